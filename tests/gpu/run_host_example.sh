#!/usr/bin/env bash
# The host example (examples/host) on the lent GPU: vector add launched through the generated C
# header and through include/tritonc/launcher.hpp, once from a cubin (sm_90a) and once from a
# fatbin of two archs (sm_80,sm_90a), each result checked against x + y on the host.
#
#   tests/gpu/run_host_example.sh build   # here (no GPU): builds .gpu/host/{cubin,fatbin}/
#   tests/gpu/run_host_example.sh run     # on the device machine, with carry: [".gpu"]
#
# The device machine has no tritonc: `build` compiles the kernels and links the host programs
# here (against the libcuda stub); `run` only executes them. With REBUILD=1 `run` recompiles the
# host programs there first (g++ and cuda.h needed), from the carried generated headers.
# Ends with "host example: N passed, M failed"; exit status 0 iff nothing failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=${HOST_DIR:-$ROOT/.gpu/host}
mode=${1:-}
case "$mode" in
build)
  rc=0
  ARCH=sm_90a examples/host/build.sh "$DIR/cubin" || rc=1
  ARCH=sm_80,sm_90a examples/host/build.sh "$DIR/fatbin" || rc=1
  [ "$rc" -eq 0 ] && echo "built $DIR; now run 'tests/gpu/run_host_example.sh run' with carry [\".gpu\"]"
  exit $rc
  ;;
run)
  passed=0 failed=0
  for variant in cubin fatbin; do
    exe="$DIR/$variant/vector_add_host"
    bin="$DIR/$variant/vector_add.$variant"
    if [ "${REBUILD:-0}" = 1 ]; then
      ${CXX:-g++} -std=c++17 -O2 -I "$DIR/$variant" -I "$ROOT/include" \
        -I "${CUDA_HOME:-/usr/local/cuda}/include" examples/host/main.cpp -o "$exe" \
        -L "${CUDA_HOME:-/usr/local/cuda}/lib64/stubs" -lcuda || { echo "FAIL $variant: rebuild"; failed=$((failed + 1)); continue; }
    fi
    echo "=== $variant: $exe $bin"
    if [ -x "$exe" ] && "$exe" "$bin"; then
      passed=$((passed + 1))
    else
      echo "FAIL $variant"
      failed=$((failed + 1))
    fi
  done
  echo "host example: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  ;;
*)
  echo "usage: $0 build|run" >&2
  exit 2
  ;;
esac
