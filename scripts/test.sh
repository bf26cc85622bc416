#!/usr/bin/env bash
# Run tritonc's whole test suite (no GPU needed) and end with one line: `N passed, N failed`.
# Layers, fastest first (see CONTRIBUTING.md, "Tests"):
#   unit       doctest cases of build/tests/unit/unit_tests          (each case counts)
#   lit        lit + FileCheck file tests under tests/lit             (each test counts; an
#              UNSUPPORTED one, whose REQUIRES: feature such as ptxas is missing, fails)
#   toolchain  every tests/kernels/*.tt and examples/*.tt compiled to a cubin with ptxas for
#              sm_80 and sm_90a, and to an AMD code object for gfx90a, gfx942 and gfx1100 (its
#              notes checked: every kernel, its wavefront size); each kernel x arch counts; a
#              file may name extra flags on a line `# ACCEPT-FLAGS: -D BLOCK=64`
#   build      examples/build built with ninja, make and meson: editing an imported module
#              rebuilds exactly its importers, and a second build does nothing
#   install    scripts/setup.sh against stand-ins for apt that report every package missing
#              (tests/setup); `meson install --destdir`, then examples/cmake (find_package) and
#              examples/meson (pkg-config) built against the installed tree only; -Dtests=false;
#              the self-contained tritonc-static without libLLVM (tests/install)
#   python     python/tritonc (the Python runtime) on a fake driver, and its pip install
#   host       examples/host (generated C header + include/tritonc/launcher.hpp) compiled and
#              linked against cuda.h and the libcuda stub, for a cubin and a two-arch fatbin, and
#              run on tests/host/mock_libcuda.cpp (a CPU stand-in for the driver); the generated
#              header compiled as C99 (a real GPU: tests/gpu/run_host_example.sh)
#   docs       man/tritonc.1 renders without warnings; every flag of `tritonc --help` and of
#              `tritonc run --help` is in the man page and in README.md; the builtin support
#              and "Not supported" tables of docs/LANGUAGE.md agree with the compiler
#              (tests/docs/check_support_table.py)
#   robustness mutated kernels never crash or hang, resource limits give located errors,
#              outputs are byte-identical across runs (tests/robustness/)
#   style      clang-format-22 over the C++ sources
#   sanitized  this suite again on an ASan + UBSan build (scripts/sanitize.sh, build-asan/;
#              each of its tests counts); a sanitizer report or a leak fails. It runs what
#              exercises tritonc's own code: unit, lit (less three tensor-core tests whose time
#              is LLVM's backend and ptxas, see below), toolchain (each kernel for one arch,
#              sm_80 and sm_90a alternating), the support table and robustness; it leaves out
#              the layers that test files, scripts and other tools (build systems, set-up and
#              install, the Python package, host example, man page, style). Its tree and the fuzz
#              targets are built in the background (nice 19) while the layers above run.
#   fuzz       each libFuzzer target (fuzz/) replays its saved crash inputs, then fuzzes for
#              FUZZ_SECONDS (default 15; JOBS targets at a time) on its seed corpus: a crash,
#              leak, timeout or sanitizer report fails (scripts/fuzz.sh --smoke)
# Each section ends with `(took N s, CPU N s)`: wall time and the CPU time of all it ran.
# A missing tool (lit, FileCheck, ptxas, the built tritonc) is a failure, never a skip.
# Builds first if build/ exists (scripts/setup.sh makes it). Exit status: 0 iff nothing failed.
# Environment: BUILD_DIR (default build), LLVM_BIN (default /usr/lib/llvm-22/bin), JOBS,
# ASAN_BUILD_DIR (default build-asan), FUZZ_SECONDS; QUICK=1 leaves out the sanitized and fuzz
# layers for a fast local run (and says so; CI never sets it).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${BUILD_DIR:-build}
LLVM_BIN=${LLVM_BIN:-/usr/lib/llvm-22/bin}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
case "$BUILD_DIR" in /*) BUILD_ABS=$BUILD_DIR ;; *) BUILD_ABS=$ROOT/$BUILD_DIR ;; esac
TRITONC="$BUILD_ABS/tritonc"
PASSED=0
FAILED=0
FAILURES=()

pass() { PASSED=$((PASSED + $1)); }
fail() { FAILED=$((FAILED + $1)); FAILURES+=("$2"); echo "FAIL: $2"; }
# Each section header also says how long the previous section took, in wall time and in CPU
# time (user + system of every process it ran), so a slow CI run shows where the time went even
# on a busy machine, where wall time says little.
# `times` must run in this shell (in a $(...) or <(...) subshell it would see only that
# subshell's children), so it writes to a file in $TMP.
CPU=0
cpu_seconds() { # sets CPU: the CPU seconds of this shell's finished children so far
  times >"$TMP/times"
  CPU=$(awk 'function sec(t) { split(t, a, "m"); return a[1] * 60 + a[2] }
             NR == 2 { printf "%d", sec($1) + sec($2) }' "$TMP/times")
}
SECTION_START=$SECONDS
SECTION_CPU=0
took() {
  cpu_seconds
  echo "(took $((SECONDS - SECTION_START)) s, CPU $((CPU - SECTION_CPU)) s$1)"
  SECTION_START=$SECONDS
  SECTION_CPU=$CPU
}
section() {
  took ""
  echo; echo "=== $1"
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---- build -----------------------------------------------------------------------------------
section "build ($BUILD_DIR)"
if [ -f "$BUILD_DIR/build.ninja" ]; then
  if ! ninja -C "$BUILD_DIR" -j "$JOBS" >"$TMP/build.log" 2>&1; then
    tail -n 40 "$TMP/build.log"
    fail 1 "build: ninja -C $BUILD_DIR failed"
  fi
else
  fail 1 "build: $BUILD_DIR/build.ninja missing (run scripts/setup.sh)"
fi

# ---- the instrumented tree, in the background -------------------------------------------------
# The sanitized and fuzz layers at the end need the ASan + UBSan tree (scripts/sanitized-build.sh)
# and the fuzz targets: a second full compile. It starts now, at the lowest priority, so that it
# takes only the CPU that the layers below leave idle (unit tests, build systems, install,
# Python, host example and style run mostly one process at a time); those layers' timing is
# nearly unchanged. The sanitized layer waits for it, then runs sanitize.sh and fuzz.sh as
# before: their own builds are then no-ops, and where the background build failed they build
# again and report the failure themselves.
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-build-asan}
PREBUILD_PID=""
if [ "${TRITONC_SANITIZED:-0}" != 1 ] && [ "${QUICK:-0}" != 1 ]; then
  ( nice -n 19 env JOBS="$JOBS" scripts/sanitize.sh --build-only "$ASAN_BUILD_DIR" &&
    nice -n 19 env TRITONC_FUZZ_BUILD="$ASAN_BUILD_DIR" JOBS="$JOBS" fuzz/build.sh ) \
    >"$TMP/prebuild.log" 2>&1 </dev/null &
  PREBUILD_PID=$!
  echo "(building $ASAN_BUILD_DIR and the fuzz targets in the background, nice 19)"
fi

# ---- unit tests ------------------------------------------------------------------------------
section "unit tests (doctest)"
UNIT="$BUILD_DIR/tests/unit/unit_tests"
if [ -x "$UNIT" ]; then
  "$UNIT" --no-colors=true >"$TMP/unit.log" 2>&1
  rc=$?
  cat "$TMP/unit.log" | grep -v '^$' | tail -n 30
  # [doctest] test cases: 12 | 11 passed | 1 failed | 0 skipped
  summary=$(grep -E '^\[doctest\] test cases:' "$TMP/unit.log" | tail -n 1)
  up=$(sed -nE 's/.*\| *([0-9]+) passed.*/\1/p' <<<"$summary")
  uf=$(sed -nE 's/.*\| *([0-9]+) failed.*/\1/p' <<<"$summary")
  if [ -z "$up" ] || [ -z "$uf" ]; then
    fail 1 "unit: no doctest summary (exit $rc)"
  else
    pass "$up"
    [ "$uf" -gt 0 ] && fail "$uf" "unit: $uf doctest case(s) failed"
    [ "$uf" -eq 0 ] && [ "$rc" -ne 0 ] && fail 1 "unit: unit_tests exited $rc"
  fi
else
  fail 1 "unit: $UNIT not built"
fi

# ---- lit -------------------------------------------------------------------------------------
section "lit tests (tests/lit)"
LIT="$LLVM_BIN/lit"
if [ ! -x "$LIT" ]; then
  fail 1 "lit: $LIT not found (install llvm-22-tools)"
elif [ ! -x "$LLVM_BIN/FileCheck" ]; then
  fail 1 "lit: $LLVM_BIN/FileCheck not found (install llvm-22-tools)"
else
  # Under the sanitizers, three tests are left out whose time is LLVM's NVPTX backend and ptxas
  # (neither instrumented) on the tensor-core kernels, built again for more archs and flags: the
  # archs of driver/archs.test share sm_80's and sm_90a's lowering, and codegen/mma.test's and
  # codegen/wgmma.test's dot lowerings run sanitized in the toolchain layer (matmul.tt,
  # dot_fp8.tt and attention.tt for sm_80 or sm_90a). They run in the unsanitized suite.
  LIT_FILTER=()
  [ "${TRITONC_SANITIZED:-0}" = 1 ] && LIT_FILTER=(--filter-out '(driver/archs|codegen/mma|codegen/wgmma)\.test$')
  # An UNSUPPORTED test (a REQUIRES: feature missing, e.g. ptxas) counts as a failure.
  "$LIT" -sv --show-unsupported -j "$JOBS" "${LIT_FILTER[@]}" --param build_dir="$BUILD_ABS" tests/lit \
    >"$TMP/lit.log" 2>&1
  rc=$?
  # Show failures in full, then lit's notes (a missing feature) and summary.
  grep -E '^(FAIL|XPASS|UNRESOLVED|TIMEOUT):' "$TMP/lit.log" || true
  grep -E ' note: ' "$TMP/lit.log" || true
  sed -n '/^Unsupported Tests/,/^$/p' "$TMP/lit.log"
  sed -n '/^Testing Time/,$p' "$TMP/lit.log"
  count() { # lit's summary line "  Passed: 12 (100.00%)" ("Passed     :" beside a longer
            # category such as Unsupported); 0 when absent
    local n
    n=$(sed -nE "s/^ *$1 *: *([0-9]+).*/\1/p" "$TMP/lit.log" | tail -n 1)
    echo "${n:-0}"
  }
  lp=$(( $(count 'Passed') + $(count 'Expectedly Failed') ))
  lf=0
  for k in 'Failed' 'Unresolved' 'Unexpectedly Passed' 'Timed Out' 'Unsupported'; do
    lf=$((lf + $(count "$k")))
  done
  pass "$lp"
  [ "$lf" -gt 0 ] && fail "$lf" "lit: $lf test(s) failed, unresolved or unsupported"
  if [ "$lp" -eq 0 ] && [ "$lf" -eq 0 ]; then
    tail -n 20 "$TMP/lit.log"
    fail 1 "lit: no tests ran (exit $rc)"
  fi
fi

# ---- toolchain acceptance --------------------------------------------------------------------
if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
  section "toolchain acceptance (ptxas, sm_80 or sm_90a per kernel; one of gfx90a, gfx942, gfx1100)"
else
  section "toolchain acceptance (ptxas, sm_80 and sm_90a; ld.lld, gfx90a, gfx942 and gfx1100)"
fi
if [ ! -x "$TRITONC" ]; then
  fail 1 "toolchain: $TRITONC not built"
else
  # One job per kernel x arch, two at a time; each writes OK/FAIL lines into its own file.
  # AMD archs (gfx*) build a code object through ld.lld with ROCm's device libraries (missing
  # ones fail the build, never skip it); its metadata note must name every kernel with the
  # wavefront size the JSON's warp_size promises (tests/toolchain/check_hsaco.py).
  accept_one() { # FILE ARCH OUTDIR
    local src=$1 arch=$2 out=$3 name flags log ext=cubin
    name=$(basename "$src" .tt).$arch
    [[ $arch == gfx* ]] && ext=hsaco
    flags=$(sed -nE '/^# ACCEPT-FLAGS:/{s/^# ACCEPT-FLAGS:(.*)$/\1/p;q}' "$src")
    log="$out/$name.log"
    # shellcheck disable=SC2086  # flags are meant to split
    if "$TRITONC" "$src" -o "$out/$name.$ext" --arch "$arch" $flags >"$log" 2>&1 &&
       [ "$(head -c 4 "$out/$name.$ext" | od -An -c | tr -d ' ')" = '177ELF' ] &&
       [ -s "$out/$name.json" ] &&
       { [ $ext = cubin ] || python3 tests/toolchain/check_hsaco.py "$out/$name.hsaco" "$out/$name.json" >>"$log" 2>&1; }; then
      echo "PASS: $src ($arch)" >"$out/$name.result"
    else
      { echo "FAIL: $src ($arch)"; sed 's/^/    /' "$log"; } >"$out/$name.result"
    fi
  }
  export -f accept_one
  export TRITONC LLVM_BIN
  mkdir -p "$TMP/accept"
  # Under the sanitizers each kernel is built for one arch, sm_80 and sm_90a taking turns (both
  # archs' code paths still run sanitized; ptxas itself is not instrumented, so a second arch
  # would mostly time ptxas again). The unsanitized run builds every kernel for both.
  i=0
  for f in tests/kernels/*.tt tests/kernels/*/*.tt examples/*.tt; do
    [ -f "$f" ] || continue
    i=$((i + 1))
    if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
      archs=(sm_80); [ $((i % 2)) = 0 ] && archs=(sm_90a)
      amd=(gfx90a gfx942 gfx1100) # one AMD arch per kernel, in turn
      archs+=("${amd[$((i % 3))]}")
    else
      archs=(sm_80 sm_90a gfx90a gfx942 gfx1100)
    fi
    for arch in "${archs[@]}"; do printf '%s\0%s\0' "$f" "$arch"; done
  done | xargs -0 -n 2 -P "$JOBS" bash -c 'accept_one "$1" "$2" "$0"' "$TMP/accept"
  for r in "$TMP"/accept/*.result; do
    [ -f "$r" ] || continue
    read -r first <"$r"
    if [[ $first == PASS* ]]; then echo "$first"; pass 1; else cat "$r"; fail 1 "toolchain: ${first#FAIL: }"; fi
  done
  n=$(ls "$TMP"/accept/*.result 2>/dev/null | wc -l)
  echo "$n kernel builds checked"
  [ "$n" -eq 0 ] && fail 1 "toolchain: no kernels found"
fi

# ---- build systems ---------------------------------------------------------------------------
section "build systems (examples/build: depfiles drive incremental rebuilds)"
for sys in ninja make meson; do
  if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
    # ninja, make and meson read the depfiles; tritonc's writing of them is in lit (depfile.test).
    echo "build-system checks run in the unsanitized suite only (they test the build tools' use of depfiles)"
    break
  elif [ ! -x "$TRITONC" ]; then
    fail 1 "build-systems: $sys: $TRITONC not built"
  elif TRITONC="$TRITONC" tests/build/check_incremental.sh "$sys" >"$TMP/incr-$sys.log" 2>&1; then
    tail -n 1 "$TMP/incr-$sys.log"
    pass 1
  else
    cat "$TMP/incr-$sys.log"
    fail 1 "build-systems: $sys: $(tail -n 1 "$TMP/incr-$sys.log")"
  fi
done

# ---- set-up and install ----------------------------------------------------------------------
section "set-up and install (bare-machine set-up, meson install, consumers, static binary)"
if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
  echo "packaging checks run in the unsanitized suite only (they test files and scripts, not tritonc's memory safety)"
elif tests/setup/check_setup.sh >"$TMP/setup-check.log" 2>&1; then
  echo "PASS: $(tail -n 1 "$TMP/setup-check.log")"; pass 1
else
  cat "$TMP/setup-check.log"; fail 1 "setup: scripts/setup.sh on a simulated bare machine (tests/setup/check_setup.sh)"
fi
for check in layout cmake-ninja cmake-make meson-pkgconfig user-build static; do
  if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
    break
  elif BUILD_DIR=$BUILD_ABS tests/install/check_install.sh "$check" >"$TMP/install-$check.log" 2>&1; then
    echo "PASS: $(tail -n 1 "$TMP/install-$check.log")"; pass 1
  else
    cat "$TMP/install-$check.log"; fail 1 "install: $check (tests/install/check_install.sh $check)"
  fi
done

# ---- Python runtime --------------------------------------------------------------------------
section "Python runtime (python/tritonc: argument checks and packing on a fake driver; pip install)"
if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
  # They test the Python package; the compiles it starts run sanitized in lit and toolchain.
  echo "Python runtime checks run in the unsanitized suite only (they test the Python package)"
elif [ ! -x "$TRITONC" ]; then
  fail 1 "python: $TRITONC not built"
else
  TRITONC=$TRITONC python3 -m unittest discover -s tests/python -v >"$TMP/python.log" 2>&1
  rc=$?
  grep -E ' \.\.\. (ok|FAIL|ERROR)' "$TMP/python.log"
  pp=$(grep -cE ' \.\.\. ok$' "$TMP/python.log")
  pf=$(grep -cE ' \.\.\. (FAIL|ERROR)$' "$TMP/python.log")
  pass "$pp"
  [ "$pf" -gt 0 ] && fail "$pf" "python: $pf runtime test(s) failed (tests/python)"
  if [ "$pp" -eq 0 ] || { [ "$pf" -eq 0 ] && [ "$rc" -ne 0 ]; }; then
    tail -n 20 "$TMP/python.log"; fail 1 "python: unittest exited $rc"
  fi
fi
if [ "${TRITONC_SANITIZED:-0}" != 1 ]; then
  if tests/python/check_package.sh >"$TMP/pip.log" 2>&1; then
    echo "PASS: $(tail -n 1 "$TMP/pip.log")"; pass 1
  else
    cat "$TMP/pip.log"; fail 1 "python: the package does not pip-install (tests/python/check_package.sh)"
  fi
fi

# ---- host example ----------------------------------------------------------------------------
section "host example (examples/host: generated C headers + launcher.hpp, --specialize's dispatch; mock driver, no GPU)"
CUDA_ROOT=${CUDA_HOME:-/usr/local/cuda}
if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
  # g++ and the mock driver build and run a host program; tritonc's part of it (the C header)
  # runs sanitized in lit (driver/c-header.test).
  echo "host-example checks run in the unsanitized suite only (they test the host program and the header in C)"
elif [ ! -x "$TRITONC" ]; then
  fail 1 "host: $TRITONC not built"
elif [ ! -f "$CUDA_ROOT/include/cuda.h" ]; then
  fail 1 "host: $CUDA_ROOT/include/cuda.h not found (set CUDA_HOME)"
else
  # A CPU stand-in for libcuda.so.1 lets the built programs run here too (see its header).
  mkdir -p "$TMP/mockcuda"
  if ! ${CXX:-g++} -std=c++17 -Wall -Wextra -Werror -shared -fPIC -I "$CUDA_ROOT/include" \
       tests/host/mock_libcuda.cpp -o "$TMP/mockcuda/libcuda.so.1" >"$TMP/mockcuda.log" 2>&1; then
    cat "$TMP/mockcuda.log"; fail 1 "host: tests/host/mock_libcuda.cpp does not build"
  fi
  for variant in sm_90a sm_80,sm_90a; do # a cubin, and a fatbin of two archs
    dir="$TMP/host-${variant/,/-}"
    if TRITONC="$TRITONC" CUDA_HOME="$CUDA_ROOT" ARCH=$variant examples/host/build.sh "$dir" \
         >"$dir.log" 2>&1; then
      echo "PASS: examples/host built for $variant"; pass 1
      bin=$dir/vector_add.cubin; [ -f "$bin" ] || bin=$dir/vector_add.fatbin
      if [ -f "$TMP/mockcuda/libcuda.so.1" ] &&
         LD_LIBRARY_PATH="$TMP/mockcuda" "$dir/vector_add_host" "$bin" >"$dir.run.log" 2>&1; then
        echo "PASS: examples/host runs on the mock driver ($variant)"; pass 1
      else
        cat "$dir.run.log" 2>/dev/null; fail 1 "host: vector_add_host on the mock driver ($variant)"
      fi
    else
      cat "$dir.log"; fail 1 "host: examples/host/build.sh for $variant"
    fi
    # The generated headers are C too (add_any.h with --specialize's dispatcher): compile each
    # as C99 on its own.
    if [ -f "$dir/vector_add.h" ] && [ -f "$dir/add_any.h" ] &&
       ${CC:-gcc} -std=c99 -Wall -Wextra -Werror -fsyntax-only -I "$CUDA_ROOT/include" -x c \
         "$dir/vector_add.h" >"$dir.c.log" 2>&1 &&
       ${CC:-gcc} -std=c99 -Wall -Wextra -Werror -fsyntax-only -I "$CUDA_ROOT/include" -x c \
         "$dir/add_any.h" >>"$dir.c.log" 2>&1; then
      echo "PASS: generated header compiles as C ($variant)"; pass 1
    else
      cat "$dir.c.log" 2>/dev/null; fail 1 "host: generated header for $variant does not compile as C"
    fi
  done
fi
# AMD: the same host program for HIP (examples/host/main_hip.cpp: the generated HIP header,
# launcher.hpp with TRITONC_LAUNCHER_HIP) on a CPU stand-in for HIP's runtime
# (tests/host/mock_libamdhip64.cpp, compiled against tests/host/hip/hip_runtime_api.h; no ROCm
# here). One code object for gfx942, and a bundle of gfx90a (wave64) and gfx1100 (wave32) run as
# each of the two devices: the mock loads only the device's code object, finds kernels by their
# .kd symbols, wants the device's block and add_kernel's kernarg layout (whose offsets
# check_hsaco.py holds to the code object's notes here), and a gfx942 device must be refused.
if [ "${TRITONC_SANITIZED:-0}" != 1 ] && [ -x "$TRITONC" ]; then
  mkdir -p "$TMP/mockhip"
  if ! ${CXX:-g++} -std=c++17 -Wall -Wextra -Werror -shared -fPIC -I tests/host \
       tests/host/mock_libamdhip64.cpp -o "$TMP/mockhip/libamdhip64.so" >"$TMP/mockhip.log" 2>&1; then
    cat "$TMP/mockhip.log"; fail 1 "host: tests/host/mock_libamdhip64.cpp does not build"
  fi
  for variant in gfx942 gfx90a,gfx1100; do
    dir="$TMP/host-${variant/,/-}"
    # The bundle with --num-warps 4: 256 lanes on gfx90a, 128 on gfx1100 (the default num_warps
    # gives both 256), so that the launch must take the device's block from arch_blocks.
    flags=; [ "$variant" = gfx942 ] || flags="--num-warps 4"
    if TRITONC="$TRITONC" HIP_INCLUDE="$PWD/tests/host" HIP_LIB="$TMP/mockhip" ARCH=$variant \
         TRITONC_FLAGS="$flags" examples/host/build.sh "$dir" >"$dir.log" 2>&1; then
      echo "PASS: examples/host built for $variant (HIP)"; pass 1
    else
      cat "$dir.log"; fail 1 "host: examples/host/build.sh for $variant (HIP)"; continue
    fi
    if [ -f "$dir/vector_add.hsaco" ]; then
      bin=$dir/vector_add.hsaco devices="gfx942:sramecc+:xnack-" ext=hsaco check=check_hsaco.py
    else
      bin=$dir/vector_add.hipfb devices="gfx90a:sramecc+:xnack- gfx1100" ext=hipfb check=check_bundle.py
    fi
    if python3 tests/toolchain/$check "$dir/vector_add.$ext" "$dir/vector_add.json" \
         >"$dir.check.log" 2>&1 &&
       python3 tests/toolchain/$check "$dir/add_any.$ext" "$dir/add_any.json" \
         >>"$dir.check.log" 2>&1; then
      echo "PASS: $variant binaries' notes match their metadata (kernarg offsets, waves, blocks)"; pass 1
    else
      cat "$dir.check.log"; fail 1 "host: $variant binaries disagree with their metadata"
    fi
    for device in $devices; do
      lanes=256; [ -n "$flags" ] && [[ $device == gfx1* ]] && lanes=128
      export TRITONC_MOCK_HIP_LANES=$lanes
      if TRITONC_MOCK_HIP_ARCH=$device LD_LIBRARY_PATH="$TMP/mockhip" \
           "$dir/vector_add_host_hip" "$bin" >"$dir.run.log" 2>&1; then
        echo "PASS: examples/host runs on the mock HIP runtime ($variant on $device)"; pass 1
      else
        cat "$dir.run.log"; fail 1 "host: vector_add_host_hip on the mock HIP runtime ($variant on $device)"
      fi
      # The Python runtime's HIP driver on the same mock.
      if TRITONC_MOCK_HIP_ARCH=$device TRITONC_LIBHIP="$TMP/mockhip/libamdhip64.so" \
           python3 tests/host/run_python_hip.py "$dir/vector_add.json" >"$dir.py.log" 2>&1; then
        echo "$(tail -n 1 "$dir.py.log") ($variant on $device)"; pass 1
      else
        cat "$dir.py.log"; fail 1 "host: python/tritonc on the mock HIP runtime ($variant on $device)"
      fi
    done
    unset TRITONC_MOCK_HIP_LANES
    if [ -f "$dir/vector_add.hipfb" ]; then
      if TRITONC_MOCK_HIP_ARCH=gfx942 LD_LIBRARY_PATH="$TMP/mockhip" \
           "$dir/vector_add_host_hip" "$bin" >"$dir.no.log" 2>&1 ||
         ! grep -q "hipErrorNoBinaryForGpu" "$dir.no.log"; then
        cat "$dir.no.log"; fail 1 "host: a gfx90a+gfx1100 bundle was not refused on gfx942"
      else
        echo "PASS: a gfx90a+gfx1100 bundle is refused on gfx942 (hipErrorNoBinaryForGpu)"; pass 1
      fi
      if TRITONC_MOCK_HIP_ARCH=gfx942 TRITONC_LIBHIP="$TMP/mockhip/libamdhip64.so" \
           python3 tests/host/run_python_hip.py "$dir/vector_add.json" >"$dir.pyno.log" 2>&1 ||
         ! grep -q "no code object for this GPU (gfx942)" "$dir.pyno.log"; then
        cat "$dir.pyno.log"; fail 1 "host: python/tritonc did not refuse a gfx90a+gfx1100 bundle on gfx942"
      else
        echo "PASS: python/tritonc refuses a gfx90a+gfx1100 bundle on gfx942"; pass 1
      fi
    fi
    if ${CC:-gcc} -std=c99 -Wall -Wextra -Werror -fsyntax-only -I tests/host -x c \
         "$dir/vector_add.h" >"$dir.c.log" 2>&1 &&
       ${CC:-gcc} -std=c99 -Wall -Wextra -Werror -fsyntax-only -I tests/host -x c \
         "$dir/add_any.h" >>"$dir.c.log" 2>&1; then
      echo "PASS: generated HIP header compiles as C ($variant)"; pass 1
    else
      cat "$dir.c.log"; fail 1 "host: generated HIP header for $variant does not compile as C"
    fi
  done
fi

# ---- docs ------------------------------------------------------------------------------------
section "docs (man page, README, docs/LANGUAGE.md support table)"
if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
  echo "man page and flag-table checks run in the unsanitized suite only (the support table runs below)"
elif ! command -v man >/dev/null; then
  fail 1 "docs: man not found (install man-db)"
else
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -l man/tritonc.1 2>&1 >/dev/null)
  if [ -n "$warnings" ]; then echo "$warnings"; fail 1 "docs: man -l man/tritonc.1 warns"; else pass 1; fi
fi
if [ -x "$TRITONC" ] && [ "${TRITONC_SANITIZED:-0}" != 1 ]; then
  # Every option spelled in --help (-x, --xyz) must be documented in both places.
  flags=$({ "$TRITONC" --help; "$TRITONC" run --help; } 2>/dev/null |
          grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | sed -E 's/^[ ,]//' | sort -u)
  missing_man=(); missing_readme=()
  for fl in $flags; do
    grep -qF -- "$(sed 's/-/\\-/g' <<<"$fl")" man/tritonc.1 || grep -qF -- "$fl" man/tritonc.1 || missing_man+=("$fl")
    grep -qF -- "$fl" README.md || missing_readme+=("$fl")
  done
  if [ ${#missing_man[@]} -eq 0 ]; then pass 1; else fail 1 "docs: not in man/tritonc.1: ${missing_man[*]}"; fi
  if [ ${#missing_readme[@]} -eq 0 ]; then pass 1; else fail 1 "docs: not in README.md: ${missing_readme[*]}"; fi
fi
# The builtin support table of docs/LANGUAGE.md says what the compiler does: each row's kernel
# (tests/docs/builtins/) is interpreted and compiled for sm_80, sm_90a and gfx942; each
# construct of its "Not supported" table (tests/docs/unsupported/) fails with the quoted error.
if [ ! -x "$TRITONC" ]; then
  fail 1 "docs: support table: $TRITONC not built"
elif out=$(python3 tests/docs/check_support_table.py --tritonc "$TRITONC" -j "$JOBS" 2>&1); then
  echo "PASS: $(tail -n 1 <<<"$out")"; pass 1
else
  echo "$out" | tail -n 40; fail 1 "docs: docs/LANGUAGE.md's support or Not supported table disagrees with the compiler"
fi

# ---- robustness ------------------------------------------------------------------------------
section "robustness (mutated kernels, resource limits, determinism)"
# Under scripts/sanitize.sh (a clang build) the second determinism run uses the GCC build of
# build/, so outputs that depend on the C++ compiler (argument evaluation order) are caught.
OTHER_BUILD=""
if [ "${TRITONC_SANITIZED:-0}" = 1 ] && [ -x "$ROOT/build/tritonc" ] &&
   [ "$ROOT/build/tritonc" != "$TRITONC" ]; then
  OTHER_BUILD="--other $ROOT/build/tritonc"
fi
# The limits must be met within 10 s; an ASan + UBSan build runs several times slower.
LIMITS_TIMEOUT=""
[ "${TRITONC_SANITIZED:-0}" = 1 ] && LIMITS_TIMEOUT="--timeout 40"
for check in "python3 tests/robustness/mutate.py --tritonc $TRITONC --jobs $JOBS" \
             "python3 tests/robustness/limits.py --tritonc $TRITONC $LIMITS_TIMEOUT" \
             "env TRITONC_BUILD=$BUILD_ABS bash tests/robustness/determinism.sh -j $JOBS $OTHER_BUILD"; do
  if out=$($check 2>&1); then
    echo "PASS: $check ($(tail -n 1 <<<"$out"))"; pass 1
  else
    echo "$out" | tail -n 20; fail 1 "robustness: $check"
  fi
done

# ---- style -----------------------------------------------------------------------------------
section "style (clang-format-22, .clang-format)"
if [ "${TRITONC_SANITIZED:-0}" = 1 ]; then
  echo "the style check runs in the unsanitized suite only (it reads the sources, not tritonc)"
elif ! command -v clang-format-22 >/dev/null; then
  fail 1 "style: clang-format-22 not found (scripts/setup.sh installs it)"
else
  mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h' 'include/*.hpp' 'tests/unit/*.cpp' \
                           'tests/unit/*.h' 'examples/host/*.cpp' 'fuzz/*.cpp' 2>/dev/null)
  # One clang-format per JOBS batch of files; only when that fails, one per file to name them.
  if [ ${#sources[@]} -eq 0 ]; then
    fail 1 "style: git ls-files lists no C++ sources (not a git checkout?)"
  elif printf '%s\0' "${sources[@]}" |
       xargs -0 -n 40 -P "$JOBS" clang-format-22 --dry-run --Werror >/dev/null 2>&1; then
    pass 1
  else
    unformatted=()
    for f in "${sources[@]}"; do
      clang-format-22 --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
    done
    fail 1 "style: run clang-format-22 -i on: ${unformatted[*]:-(clang-format-22 failed)}"
  fi
fi

# ---- sanitized suite and fuzzing -------------------------------------------------------------
# Both build the instrumented tree of scripts/sanitized-build.sh once (build-asan/); the fuzz
# targets link its libraries. Not run again inside the sanitized suite itself.
if [ "${TRITONC_SANITIZED:-0}" != 1 ] && [ "${QUICK:-0}" = 1 ]; then
  section "sanitized suite and fuzz smoke: left out (QUICK=1)"
elif [ "${TRITONC_SANITIZED:-0}" != 1 ]; then
  section "sanitized suite (ASan + UBSan, $ASAN_BUILD_DIR)"
  if [ -n "$PREBUILD_PID" ]; then
    prebuild_start=$SECONDS
    if wait "$PREBUILD_PID"; then
      echo "(the background build of $ASAN_BUILD_DIR finished; waited $((SECONDS - prebuild_start)) s for it)"
      # Two sources of one unity file clashed and the tree was compiled a second time, file by
      # file: the sanitized tests still run, but the build took twice its time (CI's budget), so
      # the clash fails here with the compiler's words.
      if grep -q '^sanitized-build.sh: the build failed' "$TMP/prebuild.log"; then
        grep -m 10 -E 'error:|note: .*previously' "$TMP/prebuild.log"
        fail 1 "sanitized: two sources of one unity file clash (above); give file-local helpers distinct names or share them through a header"
      fi
    else
      echo "(the background build of $ASAN_BUILD_DIR failed; building again in the foreground:)"
      tail -n 20 "$TMP/prebuild.log"
    fi
  fi
  JOBS=$JOBS scripts/sanitize.sh "$ASAN_BUILD_DIR" >"$TMP/sanitize.log" 2>&1
  rc=$?
  # A failing check's own report lines (determinism's DIFFER lines and their diffs) come first.
  grep -m 60 -E '^(FAIL|ERROR|SUMMARY): |^==[0-9]+==ERROR|runtime error:|^DIFFER |^      [<>-]' \
    "$TMP/sanitize.log"
  totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/sanitize.log" | tail -n 1)
  if [ -z "$totals" ]; then
    tail -n 40 "$TMP/sanitize.log"
    fail 1 "sanitized: scripts/sanitize.sh did not finish its suite (exit $rc)"
  else
    echo "sanitized: $totals"
    sp=${totals%% passed*}
    sf=${totals#*passed, }; sf=${sf%% failed}
    pass "$sp"
    [ "$sf" -gt 0 ] && fail "$sf" "sanitized: $sf test(s) failed under ASan + UBSan"
    [ "$sf" -eq 0 ] && [ "$rc" -ne 0 ] && fail 1 "sanitized: scripts/sanitize.sh exited $rc"
  fi

  section "fuzz smoke (libFuzzer, ${FUZZ_SECONDS:-15} s per target)"
  TRITONC_FUZZ_BUILD=$ASAN_BUILD_DIR JOBS=$JOBS scripts/fuzz.sh --smoke --time "${FUZZ_SECONDS:-15}" \
    >"$TMP/fuzz.log" 2>&1
  rc=$?
  grep -E '^fuzz' "$TMP/fuzz.log"
  nf=0
  while IFS= read -r line; do
    case "$line" in
      *": OK,"* | *"regression inputs OK") pass 1 ;;
      *FAILED*) fail 1 "fuzz: ${line#fuzz: }"; nf=$((nf + 1)) ;;
    esac
  done < <(grep -E '^fuzz(\[[a-z_]+\])?: ' "$TMP/fuzz.log")
  if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
    tail -n 30 "$TMP/fuzz.log"
    fail 1 "fuzz: scripts/fuzz.sh --smoke exited $rc"
  fi
fi

# ---- summary ---------------------------------------------------------------------------------
cpu_seconds
took "; whole suite $SECONDS s, CPU $CPU s"
echo
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "Failures:"
  printf '  %s\n' "${FAILURES[@]}"
  echo
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
