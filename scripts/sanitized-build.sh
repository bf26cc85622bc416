#!/usr/bin/env bash
# scripts/sanitized-build.sh — configures and builds an instrumented tree: the one configuration
# shared by scripts/sanitize.sh (the test suite under ASan + UBSan) and fuzz/build.sh (the
# libFuzzer targets link the same static libraries), so CI compiles the sources once for both.
#
#   clang++-22, -O1 -gline-tables-only (fast enough to run the suite, symbolized reports),
#   UBSan without recovery (any report is a crash), asserts on, compiled as unity files (meson's
#   -Dunity=on, 4 sources per file: the headers -- LLVM's, CLI11, nlohmann/json, doctest, the
#   IR's -- are parsed once per 4 sources, not once per source; the sanitizers instrument the same
#   code), and by MODE:
#   asan       ASan + UBSan, -fsanitize=fuzzer-no-link (libFuzzer's coverage and comparison
#              tracing; inert in tritonc and the unit tests, whose sanitizer runtime provides the
#              callbacks). The test suite and CI's fuzzing use this one.
#   fuzz-fast  UBSan alone and edge coverage without comparison tracing (-fsanitize-coverage=
#              inline-8bit-counters,pc-table), for long campaigns: comparison callbacks and ASan
#              take about two thirds of an execution here, and the dictionaries stand in for what
#              comparison tracing would learn. scripts/fuzz.sh --fast replays the grown corpus
#              under the asan build afterwards.
#
# Usage: scripts/sanitized-build.sh DIR MODE [NINJA_TARGET...]
#   NINJA_TARGET: what to build (default: everything).
# A DIR configured differently (another compiler, another mode, an older version of this
# script) is emptied and configured afresh, keeping only the fuzzing state scripts/fuzz.sh keeps
# there (work/, artifacts/, logs/); the configuration is recorded in DIR/sanitized.conf.
# Environment: JOBS (ninja -j, default 1), CLANGXX (default clang++-22).
# Needs Debian's clang-22 and libclang-rt-22-dev (scripts/setup.sh installs them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ $# -ge 2 ] || { echo "usage: scripts/sanitized-build.sh DIR asan|fuzz-fast [NINJA_TARGET...]" >&2; exit 2; }
bdir="$1" mode="$2"
shift 2
case "$mode" in
  asan) sanitizers=address,undefined coverage="'-fsanitize=fuzzer-no-link'" ;;
  fuzz-fast) sanitizers=undefined coverage="'-fsanitize-coverage=inline-8bit-counters,pc-table'" ;;
  *) echo "sanitized-build.sh: MODE must be asan or fuzz-fast" >&2; exit 2 ;;
esac
cxx="${CLANGXX:-clang++-22}"
command -v "$cxx" >/dev/null ||
  { echo "sanitized-build.sh: $cxx not found (apt install clang-22 libclang-rt-22-dev)" >&2; exit 2; }

cpp_args="['-gline-tables-only',$coverage,'-fno-sanitize-recover=undefined','-fno-omit-frame-pointer']"
conf="v3 $cxx $sanitizers $cpp_args unity"
if [ -f "$bdir/build.ninja" ] && [ "$(cat "$bdir/sanitized.conf" 2>/dev/null)" != "$conf" ]; then
  echo "sanitized-build.sh: $bdir was configured differently; configuring it afresh"
  find "$bdir" -mindepth 1 -maxdepth 1 ! -name work ! -name artifacts ! -name logs -exec rm -rf {} +
fi
if [ ! -f "$bdir/build.ninja" ]; then
  CXX="$cxx" meson setup "$bdir" --buildtype=custom -Doptimization=1 -Ddebug=false \
    -Db_ndebug=false -Db_sanitize="$sanitizers" -Db_lundef=false -Dcpp_args="$cpp_args" \
    -Dunity=on -Dunity_size=4
  echo "$conf" >"$bdir/sanitized.conf"
fi
ninja -C "$bdir" -j "${JOBS:-1}" "$@" && exit 0
# A unity file fails where its sources compile alone when two files of one group define the same
# file-local helper, or one's `using namespace` makes a later one's name ambiguous; the sources
# are fine, so that must not fail the sanitized layer: build file by file instead (once per tree;
# the marker stays until the tree is configured afresh). A real compile error then fails again,
# file by file. Give such helpers distinct names (or share them through a header) when this
# message shows: the fallback compiles everything a second time.
[ ! -f "$bdir/unity-off" ] || exit 1
echo "sanitized-build.sh: the build failed; building file by file (-Dunity=off) in case two sources of one unity file clash (a file-local helper's name, a using-directive)"
touch "$bdir/unity-off"
meson configure "$bdir" -Dunity=off
ninja -C "$bdir" -j "${JOBS:-1}" "$@"
