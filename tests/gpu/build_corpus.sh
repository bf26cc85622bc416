#!/usr/bin/env bash
# Build every kernel of tests/gpu/corpus.txt with tritonc into a folder (default .gpu/) that the
# device call carries:  OUT_DIR/NAME.cubin + OUT_DIR/NAME.json (metadata, written by tritonc).
# Also writes OUT_DIR/build_times.tsv (NAME, milliseconds) for bench_vs_triton.py's table.
# A kernel that fails to build is reported and skipped; the script then exits 1 (run_corpus.py
# reports its missing cubin as a FAIL).
#   usage: tests/gpu/build_corpus.sh [OUT_DIR]     env: TRITONC (build/tritonc), ARCH (sm_90a),
#          TRITONC_FLAGS (flags added to every build, e.g. --mma=wgmma)
set -u
cd "$(dirname "$0")/../.." || exit 2   # paths below are relative to the repo root
OUT_DIR=${1:-.gpu}
TRITONC=${TRITONC:-build/tritonc}
ARCH=${ARCH:-sm_90a}
TRITONC_FLAGS=${TRITONC_FLAGS:-}
[ -x "$TRITONC" ] || { echo "error: $TRITONC not found or not executable (build it, or set TRITONC)" >&2; exit 2; }
mkdir -p "$OUT_DIR"
: > "$OUT_DIR/build_times.tsv"
failed=0; built=0
while read -r name src flags; do
  case "$name" in ''|'#'*) continue ;; esac
  rm -f "$OUT_DIR/$name.cubin" "$OUT_DIR/$name.json"
  t0=$(date +%s%N)
  # shellcheck disable=SC2086  # flags are meant to split into words
  if "$TRITONC" "$src" -o "$OUT_DIR/$name.cubin" --arch "$ARCH" $flags $TRITONC_FLAGS </dev/null; then
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if [ -f "$OUT_DIR/$name.json" ]; then
      printf '%s\t%s\n' "$name" "$ms" >> "$OUT_DIR/build_times.tsv"
      printf 'built  %-24s %6d ms  %s %s\n' "$name" "$ms" "$src" "$flags"
      built=$((built + 1))
    else
      echo "FAILED $name: tritonc wrote no $OUT_DIR/$name.json" >&2; failed=$((failed + 1))
    fi
  else
    echo "FAILED $name: $TRITONC $src -o $OUT_DIR/$name.cubin --arch $ARCH $flags" >&2
    failed=$((failed + 1))
  fi
done < tests/gpu/corpus.txt
# tritonc --specialize: a kernel with three variants in one cubin, for run_python_runtime.py's
# dispatcher case (OUT_DIR/strided_rows_spec.{cubin,json}).
if "$TRITONC" tests/lit/driver/Inputs/strided_rows.tt --specialize --arch "$ARCH" \
     -o "$OUT_DIR/strided_rows_spec.cubin" </dev/null; then
  echo "built  strided_rows_spec (--specialize)"; built=$((built + 1))
else
  echo "FAILED strided_rows_spec: $TRITONC tests/lit/driver/Inputs/strided_rows.tt --specialize" >&2
  failed=$((failed + 1))
fi
echo "$built built, $failed failed -> $OUT_DIR/"
[ "$failed" -eq 0 ]
