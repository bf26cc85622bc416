#!/bin/sh
# An ld.lld stand-in that fails the way the real one does on a bad object (for toolchain.test).
echo "ld.lld: error: kernel.o: unknown file type" >&2
exit 1
