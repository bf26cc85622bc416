#!/usr/bin/env bash
# tests/robustness/determinism.sh — compiling the same input twice gives byte-identical outputs.
#
# For every .tt file given (default: tests/kernels/ and examples/), tritonc runs twice, from two
# different working directories (one nested deeper, with a different environment size, so stack
# and heap addresses, and any pointer-keyed hash-map order, differ between the runs), on the same
# absolute input path, writing relative output names. Each run produces the Tile IR
# (--emit-ir=tile), the GPU IR (--emit-ir), the LLVM IR (--emit-llvm), the PTX (-S) and the binary
# with its metadata JSON and depfile (-o K.cubin -MD). Every output that both runs produce must be
# byte-identical; an output one run produces and the other does not is a failure too. A file's
# `# ACCEPT-FLAGS:` line (as in scripts/test.sh) is passed to every compile. Where neither run
# produces an output (a module with no kernel, e.g. one only imported), its diagnostics are
# compared instead, so every file and output kind is checked one way or the other.
#
# With --other PATH the second run uses that tritonc instead: given a build of the same sources
# by another C++ compiler (scripts/sanitize.sh passes the GCC build while testing the clang one),
# this catches output that depends on what C++ leaves unspecified, such as the evaluation order
# of function arguments.
#
# Usage: tests/robustness/determinism.sh [--tritonc PATH] [--other PATH] [-j N] [FILE.tt...]
#   default tritonc: $TRITONC_BUILD/tritonc, else build/tritonc. Extra tritonc flags: $TRITONC_FLAGS.
#   -j N: check N files at a time (default $JOBS, else 1); the report is in file order either way.
# Prints one line per difference, then `N identical, N differ (N compared as diagnostics)`;
# exits 1 if any differ or nothing was compared.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tritonc="${TRITONC_BUILD:-$root/build}/tritonc"
other=""
jobs="${JOBS:-1}"
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tritonc) tritonc="$2"; shift ;;
    --other) other="$2"; shift ;;
    -j) jobs="$2"; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    *) files+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")") ;;
  esac
  shift
done
tritonc="$(cd "$(dirname "$tritonc")" && pwd)/$(basename "$tritonc")"
[ -x "$tritonc" ] || { echo "determinism.sh: $tritonc is not an executable" >&2; exit 2; }
if [ -n "$other" ]; then
  other="$(cd "$(dirname "$other")" && pwd)/$(basename "$other")"
  [ -x "$other" ] || { echo "determinism.sh: $other is not an executable" >&2; exit 2; }
fi
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find "$root/tests/kernels" "$root/examples" -name '*.tt' 2>/dev/null | LC_ALL=C sort)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2206
flags=(${TRITONC_FLAGS:-})

# run TRITONC DIR FILE: all outputs of FILE into DIR (the working directory of the compiles);
# the diagnostics of each compile go to K.<ext>.err.
run() {
  local tritonc="$1"
  shift
  local dir="$1" f="$2" k extra
  k="$(basename "$f" .tt)"
  # shellcheck disable=SC2207  # the flags are meant to split
  extra=($(sed -nE '/^# ACCEPT-FLAGS:/{s/^# ACCEPT-FLAGS:(.*)$/\1/p;q}' "$f"))
  mkdir -p "$dir"
  (
    cd "$dir" || exit 1
    compile() { # EXT LIMIT FLAGS...: K.EXT, removed with its companions when the compile fails
      local ext="$1" limit="$2"
      shift 2
      timeout "$limit" "$tritonc" "$f" "${flags[@]}" "${extra[@]}" "$@" -o "$k.$ext" \
        >"$k.$ext.err" 2>&1 || rm -f "$k.$ext" "$k.json" "$k.d"
    }
    compile tile.tir 60 --emit-ir=tile
    compile gpu.tir 60 --emit-ir
    compile ll 60 --emit-llvm
    compile ptx 60 -S
    compile cubin 120 -MD
  )
}

# check N FILE: both runs of FILE (the Nth) and their comparison; the report lines go to
# $tmp/res/N, the counts (identical, differ, compared as diagnostics) to $tmp/res/N.counts.
check() {
  local n="$1" f="$2" k same=0 differ=0 as_diagnostics=0 ext a b rel
  k="$(basename "$f" .tt)"
  local da="$tmp/a/$n/$k" db="$tmp/b/x/y/z/$n/$k" # N: files of one name do not share outputs
  run "$tritonc" "$da" "$f"
  PADDING="$(printf '%*s' 4096 '')" run "${other:-$tritonc}" "$db" "$f"
  for ext in tile.tir gpu.tir ll ptx cubin json d; do
    a="$da/$k.$ext" b="$db/$k.$ext"
    rel="${f#"$root"/}"
    if [ ! -e "$a" ] && [ ! -e "$b" ]; then # both failed: the diagnostics must agree
      a="$da/$k.$ext.err" b="$db/$k.$ext.err"
      case "$ext" in json | d) a="$da/$k.cubin.err" b="$db/$k.cubin.err" ;; esac
      as_diagnostics=$((as_diagnostics + 1))
    fi
    if [ -e "$a" ] && [ -e "$b" ] && cmp -s "$a" "$b"; then
      same=$((same + 1))
    else
      differ=$((differ + 1))
      if [ -e "$a" ] && [ -e "$b" ]; then
        echo "DIFFER $rel: .$ext ($(cmp "$a" "$b" 2>&1 | head -1))"
        case "$ext" in cubin) ;; *) diff "$a" "$b" | head -6 | sed 's/^/      /' ;; esac
      else
        echo "DIFFER $rel: .$ext produced by only one of the two runs"
      fi
    fi
  done >"$tmp/res/$n"
  echo "$same $differ $as_diagnostics" >"$tmp/res/$n.counts"
}

mkdir -p "$tmp/res"
i=0
for f in "${files[@]}"; do
  i=$((i + 1))
  # Files are checked `jobs` at a time; each run writes into its own directories.
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  check "$i" "$f" &
done
wait
same=0 differ=0 as_diagnostics=0
for ((n = 1; n <= i; n++)); do
  cat "$tmp/res/$n"
  read -r s d a <"$tmp/res/$n.counts" || { echo "DIFFER ${files[n - 1]#"$root"/}: not checked"; d=1 s=0 a=0; }
  same=$((same + s)) differ=$((differ + d)) as_diagnostics=$((as_diagnostics + a))
done
echo "$same identical, $differ differ ($as_diagnostics compared as diagnostics)"
[ "$differ" = 0 ] && [ "$same" -gt 0 ]
