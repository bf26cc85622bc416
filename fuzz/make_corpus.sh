#!/usr/bin/env bash
# fuzz/make_corpus.sh — (re)generates the seed corpora fuzz/corpus/<target>/ from the repository.
#
#   parse_tt, frontend: every .tt file under tests/ (not tests/robustness/crashes), examples/ and
#                       bench/, the .tt sections of split-file tests (tests/**/*.test), plus
#                       fuzz/seeds/parse_tt/
#   parse_ir, passes,
#   codegen:            every .tir file under tests/ (same exclusion), fuzz/seeds/parse_ir/, and the
#                       Tile IR and GPU IR that TRITONC (default: the first of $TRITONC_BUILD/tritonc,
#                       build/tritonc, build-asan/tritonc that compiles examples/vector_add.tt) prints
#                       for each of those .tt files with --emit-ir=tile / --emit-ir=gpu
#   run_args:           fuzz/seeds/run_args/ (argument lines and small .npy files)
# Files are named by the SHA-1 of their contents (as libFuzzer names its units), so duplicates
# collapse. The corpora are generated, not committed (fuzz/.gitignore); the crash regression
# inputs live in tests/robustness/crashes/<target>/ and are run separately by scripts/fuzz.sh.
#
# Usage: fuzz/make_corpus.sh [TRITONC]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tritonc="${1:-}"
if [ -z "$tritonc" ]; then # the first that works on the example
  probe="$(mktemp)"
  for t in "${TRITONC_BUILD:-build}/tritonc" build/tritonc build-asan/tritonc; do
    if [ -x "$t" ] && timeout 20 "$t" examples/vector_add.tt --emit-ir=tile -o "$probe" >/dev/null 2>&1 &&
       [ -s "$probe" ]; then
      tritonc="$t"
      break
    fi
  done
  rm -f "$probe"
fi

put() { # put DIR FILE: copy FILE into DIR under its hash
  local h
  h="$(sha1sum "$2" | cut -c1-40)"
  cp "$2" "$1/$h"
}

rm -rf fuzz/corpus
mkdir -p fuzz/corpus/parse_tt fuzz/corpus/frontend fuzz/corpus/parse_ir fuzz/corpus/passes \
  fuzz/corpus/run_args
for f in fuzz/seeds/run_args/*; do
  [ -f "$f" ] && put fuzz/corpus/run_args "$f"
done

mapfile -t tts < <(find tests examples bench -name '*.tt' -not -path 'tests/robustness/crashes/*' \
                     2>/dev/null | LC_ALL=C sort)
mapfile -t tirs < <(find tests -name '*.tir' -not -path 'tests/robustness/crashes/*' 2>/dev/null |
                      LC_ALL=C sort)
for f in "${tts[@]}" fuzz/seeds/parse_tt/*; do
  [ -f "$f" ] || continue
  put fuzz/corpus/parse_tt "$f"
  put fuzz/corpus/frontend "$f"
done
for f in "${tirs[@]}" fuzz/seeds/parse_ir/*; do
  [ -f "$f" ] || continue
  put fuzz/corpus/parse_ir "$f"
  put fuzz/corpus/passes "$f"
done

# The .tt and .tir sections of split-file tests (`#--- name.tt` in tests/lit/**/*.test).
tmp_split="$(mktemp -d)"
python3 - "$tmp_split" <<'PY'
import os, re, sys
out, n = sys.argv[1], 0
for dirpath, _, names in os.walk("tests"):
    for name in sorted(names):
        if not name.endswith(".test"):
            continue
        cur = None
        for line in open(os.path.join(dirpath, name), errors="replace"):
            m = re.match(r"^(?:#|//)--- (\S+)$", line.rstrip("\n"))
            if m:
                n += 1
                ext = os.path.splitext(m.group(1))[1]
                cur = open(os.path.join(out, f"{n}{ext}"), "w") if ext in (".tt", ".tir") else None
            elif cur:
                cur.write(line)
PY
for f in "$tmp_split"/*.tt; do
  [ -f "$f" ] || continue
  put fuzz/corpus/parse_tt "$f"
  put fuzz/corpus/frontend "$f"
  tts+=("$f")
done
for f in "$tmp_split"/*.tir; do
  [ -f "$f" ] || continue
  put fuzz/corpus/parse_ir "$f"
  put fuzz/corpus/passes "$f"
done

emitted=0
if [ -n "$tritonc" ] && [ -x "$tritonc" ]; then
  tmp="$(mktemp -d)"
  # emit_one FILE: FILE's Tile and GPU IR into the IR corpora; prints one line per IR written.
  emit_one() {
    local f="$1" out stage
    out="$(mktemp "$tmp/XXXXXX")"
    for stage in tile gpu; do
      # Kernels that need -D values or imports from other folders simply give no IR.
      if timeout 10 "$tritonc" "$f" --emit-ir="$stage" -o "$out" >/dev/null 2>&1 && [ -s "$out" ]; then
        put fuzz/corpus/parse_ir "$out"
        put fuzz/corpus/passes "$out"
        echo "$f"
      fi
    done
    rm -f "$out"
  }
  export -f emit_one put
  export tritonc tmp
  # JOBS files at a time (the corpus names are content hashes, so the order does not matter).
  emitted=$(printf '%s\0' "${tts[@]}" | xargs -0 -n 1 -P "${JOBS:-1}" bash -c 'emit_one "$0"' | wc -l)
fi

rm -rf "$tmp_split" "${tmp:-}"
# Code generation takes the same IR as the passes.
cp -r fuzz/corpus/passes fuzz/corpus/codegen
for t in parse_tt frontend parse_ir passes codegen; do
  echo "fuzz/corpus/$t: $(ls fuzz/corpus/$t | wc -l) seeds"
done
echo "(IR printed by ${tritonc:-no tritonc}: $emitted files)"
