#!/usr/bin/env bash
# scripts/sanitized-build.sh — configures and builds an instrumented tree: the one configuration
# shared by scripts/sanitize.sh (the test suite under ASan + UBSan) and fuzz/build.sh (the
# libFuzzer targets link the same static libraries), so CI compiles the sources once for both.
#
#   clang++-22, -O1 -gline-tables-only (fast enough to run the suite, symbolized reports),
#   -fsanitize=SANITIZERS, UBSan without recovery (any report is a crash),
#   -fsanitize=fuzzer-no-link (coverage for libFuzzer; inert in tritonc and the unit tests, whose
#   sanitizer runtime provides the callbacks), asserts on.
#
# Usage: scripts/sanitized-build.sh DIR SANITIZERS [NINJA_TARGET...]
#   SANITIZERS: address,undefined (the default elsewhere) or undefined (the fast fuzzing build).
#   NINJA_TARGET: what to build (default: everything).
# A DIR configured differently (another compiler, other sanitizers, an older version of this
# script) is removed and configured afresh; its configuration is recorded in DIR/sanitized.conf.
# Environment: JOBS (ninja -j, default 1), CLANGXX (default clang++-22).
# Needs Debian's clang-22 and libclang-rt-22-dev (scripts/setup.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ $# -ge 2 ] || { echo "usage: scripts/sanitized-build.sh DIR SANITIZERS [NINJA_TARGET...]" >&2; exit 2; }
bdir="$1" sanitizers="$2"
shift 2
case "$sanitizers" in address,undefined | undefined) ;; *)
  echo "sanitized-build.sh: SANITIZERS must be address,undefined or undefined" >&2; exit 2 ;;
esac
cxx="${CLANGXX:-clang++-22}"
command -v "$cxx" >/dev/null ||
  { echo "sanitized-build.sh: $cxx not found (apt install clang-22 libclang-rt-22-dev)" >&2; exit 2; }

cpp_args="['-gline-tables-only','-fsanitize=fuzzer-no-link','-fno-sanitize-recover=undefined','-fno-omit-frame-pointer']"
conf="v1 $cxx $sanitizers $cpp_args"
if [ -f "$bdir/build.ninja" ] && [ "$(cat "$bdir/sanitized.conf" 2>/dev/null)" != "$conf" ]; then
  echo "sanitized-build.sh: $bdir was configured differently; configuring it afresh"
  rm -rf "$bdir"
fi
if [ ! -f "$bdir/build.ninja" ]; then
  CXX="$cxx" meson setup "$bdir" --buildtype=custom -Doptimization=1 -Ddebug=false \
    -Db_ndebug=false -Db_sanitize="$sanitizers" -Db_lundef=false -Dcpp_args="$cpp_args"
  echo "$conf" >"$bdir/sanitized.conf"
fi
ninja -C "$bdir" -j "${JOBS:-1}" "$@"
