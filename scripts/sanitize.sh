#!/usr/bin/env bash
# scripts/sanitize.sh — the test suite under AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Builds the instrumented tree of scripts/sanitized-build.sh (clang-22, ASan + UBSan, -O1; the
# libFuzzer targets link the same libraries) in BUILD_DIR, then runs the test suite against it:
# `BUILD_DIR=BUILD scripts/test.sh`, which under TRITONC_SANITIZED=1 runs the layers that
# exercise tritonc's code (unit, lit, toolchain acceptance with one arch per kernel, the docs
# support table, robustness) and leaves out those that test files, scripts and other tools
# (build systems, install, the Python package, host example, man page, style). Any sanitizer
# report fails the run: ASan, LSan (leaks) and UBSan all
# abort the process (abort_on_error=1), so even a test that runs `not tritonc ...` or
# `%expect_exit 1 tritonc ...` sees a crash rather than an ordinary error exit. LLVM itself is a
# shared library and not sanitized. TRITONC_SANITIZED=1 is exported, so the test.sh that runs
# under it knows not to start its own sanitized and fuzzing layers.
#
# Usage: scripts/sanitize.sh [--build-only | --no-build] [BUILD_DIR]
#   BUILD_DIR   default: $TRITONC_ASAN_BUILD, else build-asan (relative to the repository root)
#   --build-only  configure and build, run nothing
#   --no-build    run the tests against an existing BUILD_DIR without rebuilding
# Environment: JOBS (ninja -j and test parallelism, default 1).
# Exit status: 0 when the build and every test pass, non-zero otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=1 run=1 bdir=""
for arg in "$@"; do
  case "$arg" in
    --build-only) run=0 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "sanitize.sh: unknown option $arg" >&2; exit 2 ;;
    *) bdir="$arg" ;;
  esac
done
bdir="${bdir:-${TRITONC_ASAN_BUILD:-build-asan}}"
# scripts/test.sh takes BUILD_DIR relative to the repository root.
case "$bdir" in /*) bdir="$(realpath -m --relative-to="$root" "$bdir")" ;; esac
jobs="${JOBS:-1}"

# abort_on_error: a report kills the process with SIGABRT, so `not tritonc` cannot hide it.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0:print_summary=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# Symbolized stack traces where a symbolizer is installed.
for s in llvm-symbolizer-22 /usr/lib/llvm-22/bin/llvm-symbolizer llvm-symbolizer; do
  if command -v "$s" >/dev/null 2>&1; then
    export ASAN_SYMBOLIZER_PATH="$(command -v "$s")"
    export UBSAN_SYMBOLIZER_PATH="$ASAN_SYMBOLIZER_PATH"
    break
  fi
done

if [ "$build" = 1 ]; then
  echo "== sanitize: building $bdir (ASan + UBSan, -j$jobs)"
  JOBS="$jobs" scripts/sanitized-build.sh "$bdir" asan
fi
[ "$run" = 1 ] || exit 0
export TRITONC_SANITIZED=1

# The whole suite against the sanitized build; test.sh sees TRITONC_SANITIZED=1 and does not
# start its own sanitized and fuzzing layers again.
echo "== sanitize: BUILD_DIR=$bdir scripts/test.sh"
if BUILD_DIR="$bdir" JOBS="$jobs" scripts/test.sh; then status=0; else status=1; fi

if [ "$status" = 0 ]; then echo "== sanitize: PASS"; else echo "== sanitize: FAIL"; fi
exit "$status"
