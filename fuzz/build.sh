#!/usr/bin/env bash
# fuzz/build.sh — builds the libFuzzer targets of fuzz/*.cpp with clang-22.
#
# The core libraries (support, ir, frontend, passes: no LLVM) come from the instrumented tree of
# scripts/sanitized-build.sh (clang-22, ASan + UBSan, -fsanitize=fuzzer-no-link, asserts on), the
# same tree scripts/sanitize.sh runs the test suite on, so the source lists stay those of
# src/*/meson.build and CI compiles them once. Each fuzz/fuzz_*.cpp is then linked with
# -fsanitize=fuzzer,SANITIZERS into BUILD/fuzz_<name>. UBSan does not recover: any report is a crash.
#
# Usage: fuzz/build.sh [TARGET...]     (TARGET: parse_tt, frontend, parse_ir, passes, codegen,
#                                       run_args;
#                                       default: all)
# Environment: TRITONC_FUZZ_BUILD (default build-asan), JOBS (ninja -j, default 1),
#   CLANGXX (default clang++-22), TRITONC_FUZZ_FAST=1 (the fuzz-fast mode of
#   scripts/sanitized-build.sh: UBSan alone, edge coverage only; scripts/fuzz.sh --fast).
# Needs Debian's clang-22 and libclang-rt-22-dev. Exit status non-zero if any target fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bdir="${TRITONC_FUZZ_BUILD:-build-asan}"
jobs="${JOBS:-1}"
cxx="${CLANGXX:-clang++-22}"
command -v "$cxx" >/dev/null || { echo "fuzz/build.sh: $cxx not found (apt install clang-22 libclang-rt-22-dev)" >&2; exit 2; }

all_targets=()
for f in fuzz/fuzz_*.cpp; do t="${f#fuzz/fuzz_}"; all_targets+=("${t%.cpp}"); done
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

if [ "${TRITONC_FUZZ_FAST:-0}" = 1 ]; then mode=fuzz-fast sanitizers=undefined; else mode=asan sanitizers=address,undefined; fi
san=(-fsanitize="$sanitizers" -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
libs=(src/frontend/libtritonc_frontend.a src/passes/libtritonc_passes.a
      src/layout/libtritonc_layout.a src/ir/libtritonc_ir.a src/support/libtritonc_support.a)
# The run_args target also needs the interpreter and the driver's `tritonc run` parsers (the
# objects it pulls from them use no LLVM).
if [[ " ${targets[*]} " == *" run_args "* ]]; then
  libs=(src/driver/libtritonc_driver.a src/interp/libtritonc_difftest.a
        src/interp/libtritonc_interp.a "${libs[@]}")
fi
# The codegen target also needs the code generator and LLVM 22 (a shared library, not
# instrumented).
llvm_flags=()
if [[ " ${targets[*]} " == *" codegen "* ]]; then
  libs=(src/codegen/libtritonc_codegen.a "${libs[@]}")
  llvm_config="${LLVM_CONFIG:-llvm-config-22}"
  # shellcheck disable=SC2207
  llvm_flags=(-I"$("$llvm_config" --includedir)" $("$llvm_config" --ldflags --link-shared --libs)
              -Wl,-rpath,"$("$llvm_config" --libdir)")
fi
JOBS="$jobs" CLANGXX="$cxx" scripts/sanitized-build.sh "$bdir" "$mode" "${libs[@]}"
libpaths=()
for l in "${libs[@]}"; do libpaths+=("$bdir/$l"); done

# The IR dictionary: fixed tokens plus every mnemonic of the op table.
{
  cat fuzz/ir.dict
  echo '# op mnemonics from src/ir/Ops.def'
  sed -n 's/^OP([A-Za-z0-9_]*, *"\([^"]*\)".*/"\1"/p' src/ir/Ops.def
} > "$bdir/ir.dict"

# The targets are compiled and linked JOBS at a time.
build_one() { # TARGET: compile and link fuzz_TARGET unless it is newer than what it is made of
  local t="$1" src="fuzz/fuzz_$1.cpp" out="$bdir/fuzz_$1"
  [ -f "$src" ] || { echo "fuzz/build.sh: no target $t ($src)" >&2; return 1; }
  if [ -x "$out" ] && [ -z "$(find "$src" fuzz/FuzzCommon.h "${libpaths[@]}" -newer "$out" 2>/dev/null)" ]; then
    return 0
  fi
  echo "fuzz/build.sh: linking $out"
  if ! "$cxx" -std=c++20 -gline-tables-only -O1 "${san[@]}" -fsanitize=fuzzer -Isrc -Ifuzz "$src" \
       -Wl,--start-group "${libpaths[@]}" -Wl,--end-group "${llvm_flags[@]}" -o "$out"; then
    echo "fuzz/build.sh: FAILED to build $t" >&2
    return 1
  fi
}

status=0
mkdir -p "$bdir/logs"
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  (if build_one "$t"; then s=0; else s=1; fi; echo "$s" >"$bdir/logs/$t.build-status") &
done
wait
for t in "${targets[@]}"; do
  [ "$(cat "$bdir/logs/$t.build-status" 2>/dev/null)" = 0 ] || status=1
done
exit "$status"
