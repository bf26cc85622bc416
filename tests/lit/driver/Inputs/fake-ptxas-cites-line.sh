#!/bin/sh
# Stands in for a ptxas that rejects a line inside the last kernel of its input, citing it the
# way ptxas does ("FILE, line N; error ..."), to test that tritonc names that kernel.
for a in "$@"; do
  case "$a" in *.ptx) ptx="$a" ;; esac
done
line=$(grep -n '\.entry ' "$ptx" | tail -n 1 | cut -d: -f1)
echo "ptxas $ptx, line $((line + 3)); error   : Arguments mismatch for instruction 'mov'" >&2
exit 255
