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
# Usage: tests/robustness/determinism.sh [--tritonc PATH] [FILE.tt...]
#   default tritonc: $TRITONC_BUILD/tritonc, else build/tritonc. Extra tritonc flags: $TRITONC_FLAGS.
# Prints one line per difference, then `N identical, N differ (N compared as diagnostics)`;
# exits 1 if any differ or nothing was compared.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tritonc="${TRITONC_BUILD:-$root/build}/tritonc"
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tritonc) tritonc="$2"; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    *) files+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")") ;;
  esac
  shift
done
tritonc="$(cd "$(dirname "$tritonc")" && pwd)/$(basename "$tritonc")"
[ -x "$tritonc" ] || { echo "determinism.sh: $tritonc is not an executable" >&2; exit 2; }
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find "$root/tests/kernels" "$root/examples" -name '*.tt' 2>/dev/null | LC_ALL=C sort)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2206
flags=(${TRITONC_FLAGS:-})

# run DIR FILE: all outputs of FILE into DIR (the working directory of the compiles); the
# diagnostics of each compile go to K.<ext>.err.
run() {
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

same=0 differ=0 as_diagnostics=0
for f in "${files[@]}"; do
  k="$(basename "$f" .tt)"
  run "$tmp/a/$k" "$f"
  PADDING="$(printf '%*s' 4096 '')" run "$tmp/b/x/y/z/$k" "$f"
  for ext in tile.tir gpu.tir ll ptx cubin json d; do
    a="$tmp/a/$k/$k.$ext" b="$tmp/b/x/y/z/$k/$k.$ext"
    rel="${f#"$root"/}"
    if [ ! -e "$a" ] && [ ! -e "$b" ]; then # both failed: the diagnostics must agree
      a="$tmp/a/$k/$k.$ext.err" b="$tmp/b/x/y/z/$k/$k.$ext.err"
      case "$ext" in json | d) a="$tmp/a/$k/$k.cubin.err" b="$tmp/b/x/y/z/$k/$k.cubin.err" ;; esac
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
  done
done
echo "$same identical, $differ differ ($as_diagnostics compared as diagnostics)"
[ "$differ" = 0 ] && [ "$same" -gt 0 ]
