#!/usr/bin/env bash
# fuzz/build.sh — builds the libFuzzer targets of fuzz/*.cpp with clang-22.
#
# The core libraries (support, ir, frontend, passes: no LLVM) are compiled by meson in their own
# build directory with clang++-22, ASan + UBSan and -fsanitize=fuzzer-no-link (coverage
# instrumentation), so the source lists stay those of src/*/meson.build. Each fuzz/fuzz_*.cpp is
# then linked with -fsanitize=fuzzer,address,undefined into BUILD/fuzz_<name>. UBSan does not
# recover: any report is a crash. Asserts stay on (debugoptimized, b_ndebug=if-release).
#
# Usage: fuzz/build.sh [TARGET...]     (TARGET: parse_tt, frontend, parse_ir, passes; default: all)
# Environment: TRITONC_FUZZ_BUILD (default build-fuzz), JOBS (ninja -j, default 1),
#   CLANGXX (default clang++-22).
# Needs Debian's clang-22 and libclang-rt-22-dev. Exit status non-zero if any target fails.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bdir="${TRITONC_FUZZ_BUILD:-build-fuzz}"
jobs="${JOBS:-1}"
cxx="${CLANGXX:-clang++-22}"
command -v "$cxx" >/dev/null || { echo "fuzz/build.sh: $cxx not found (apt install clang-22 libclang-rt-22-dev)" >&2; exit 2; }

all_targets=()
for f in fuzz/fuzz_*.cpp; do t="${f#fuzz/fuzz_}"; all_targets+=("${t%.cpp}"); done
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
cpp_args="['-fsanitize=fuzzer-no-link','-fno-sanitize-recover=undefined','-fno-omit-frame-pointer','-Wno-deprecated-declarations']"
if [ ! -f "$bdir/build.ninja" ]; then
  CXX="$cxx" meson setup "$bdir" --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dcpp_args="$cpp_args"
elif ! grep -qF -- "-Wno-deprecated-declarations" "$bdir/meson-info/intro-buildoptions.json" 2>/dev/null; then
  meson configure "$bdir" -Dcpp_args="$cpp_args"
fi
libs=(src/frontend/libtritonc_frontend.a src/passes/libtritonc_passes.a src/ir/libtritonc_ir.a
      src/support/libtritonc_support.a)
ninja -C "$bdir" -j "$jobs" "${libs[@]}"
libpaths=()
for l in "${libs[@]}"; do libpaths+=("$bdir/$l"); done

# The IR dictionary: fixed tokens plus every mnemonic of the op table.
{
  cat fuzz/ir.dict
  echo '# op mnemonics from src/ir/Ops.def'
  sed -n 's/^OP([A-Za-z0-9_]*, *"\([^"]*\)".*/"\1"/p' src/ir/Ops.def
} > "$bdir/ir.dict"

status=0
for t in "${targets[@]}"; do
  src="fuzz/fuzz_$t.cpp" out="$bdir/fuzz_$t"
  [ -f "$src" ] || { echo "fuzz/build.sh: no target $t ($src)" >&2; status=1; continue; }
  if [ -x "$out" ] && [ -z "$(find "$src" fuzz/FuzzCommon.h "${libpaths[@]}" -newer "$out" 2>/dev/null)" ]; then
    continue
  fi
  echo "fuzz/build.sh: linking $out"
  if ! "$cxx" -std=c++20 -g -O1 "${san[@]}" -fsanitize=fuzzer -Isrc -Ifuzz "$src" \
       -Wl,--start-group "${libpaths[@]}" -Wl,--end-group -o "$out"; then
    echo "fuzz/build.sh: FAILED to build $t" >&2
    status=1
  fi
done
exit "$status"
