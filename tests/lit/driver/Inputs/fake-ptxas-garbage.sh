#!/bin/sh
# Stands in for a ptxas that exits 0 after writing something that is not a cubin.
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then out="$2"; shift; fi
  shift
done
printf 'garbage!' > "$out"
exit 0
