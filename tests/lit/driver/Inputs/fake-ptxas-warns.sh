#!/bin/sh
# Stands in for a ptxas that succeeds with a warning (as for register spills): it writes a
# placeholder cubin to the -o path and prints the warning.
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then out="$2"; fi
  shift
done
printf 'placeholder' > "$out"
echo "ptxas warning : Registers are spilled to local memory in function 'fill_kernel', 8 bytes spill stores" >&2
exit 0
