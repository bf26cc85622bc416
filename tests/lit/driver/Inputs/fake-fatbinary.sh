#!/bin/sh
# A fatbinary stand-in that fails like the real one does on a bad image (for fatbin.test).
echo "fatbinary fatal   : Could not open input file 'bogus.cubin'" >&2
exit 1
