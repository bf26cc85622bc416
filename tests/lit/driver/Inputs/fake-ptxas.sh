#!/bin/sh
# Stands in for a ptxas that rejects its input, to test how tritonc reports a failing tool.
for a in "$@"; do
  if [ "$a" = "--version" ]; then echo "Cuda compilation tools, release 0.0, fake"; exit 0; fi
done
echo "ptxas fatal   : Unresolved extern function 'bogus_function'" >&2
exit 255
