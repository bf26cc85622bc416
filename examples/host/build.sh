#!/usr/bin/env bash
# Builds the host example into OUT_DIR (default build/examples/host):
#   OUT_DIR/vector_add.{cubin,json}  + OUT_DIR/vector_add.h   (tritonc --emit-c-header)
#   OUT_DIR/add_any.{cubin,json}     + OUT_DIR/add_any.h      (the same, with --specialize)
#   OUT_DIR/vector_add_host          (g++ against cuda.h and libcuda; the driver stub is enough
#                                     to link, the real libcuda.so.1 is needed to run)
# ARCH (default sm_90a) may list several archs (sm_80,sm_90a): the binary is then
# OUT_DIR/vector_add.fatbin. Environment: TRITONC (default build/tritonc), CXX (default g++),
# CUDA_HOME (default /usr/local/cuda), TRITONC_FLAGS (more tritonc flags, e.g. --num-warps 4).
# Run from anywhere; exit status non-zero on any failure.
# An AMD ARCH (gfx942, or several: gfx90a,gfx1100) builds OUT_DIR/vector_add.hsaco (.hipfb, an
# offload bundle, for several) and OUT_DIR/vector_add_host_hip from main_hip.cpp against
# HIP_INCLUDE (default $HIP_PATH/include, HIP_PATH default /opt/rocm) and -lamdhip64 from
# HIP_LIB (default $HIP_PATH/lib).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/build/examples/host}
ARCH=${ARCH:-sm_90a}
TRITONC=${TRITONC:-$ROOT/build/tritonc}
CXX=${CXX:-g++}
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
mkdir -p "$OUT"
case "$ARCH" in gfx*,*) EXT=hipfb ;; gfx*) EXT=hsaco ;; *,*) EXT=fatbin ;; *) EXT=cubin ;; esac
# shellcheck disable=SC2086  # TRITONC_FLAGS are meant to split
"$TRITONC" "$ROOT/examples/vector_add.tt" --arch "$ARCH" ${TRITONC_FLAGS:-} -o "$OUT/vector_add.$EXT" \
  --emit-c-header "$OUT/vector_add.h"
# Two specializations of one kernel in one binary (--specialize), for part 3 of main.cpp.
# shellcheck disable=SC2086
"$TRITONC" "$ROOT/examples/host/add_any.tt" --specialize --arch "$ARCH" ${TRITONC_FLAGS:-} -o "$OUT/add_any.$EXT" \
  --emit-c-header "$OUT/add_any.h"
if [[ $ARCH == gfx* ]]; then
  HIP_PATH=${HIP_PATH:-/opt/rocm}
  "$CXX" -std=c++17 -O2 -Wall -Wextra -Werror -I "$OUT" -I "$ROOT/include" \
    -I "${HIP_INCLUDE:-$HIP_PATH/include}" "$ROOT/examples/host/main_hip.cpp" \
    -o "$OUT/vector_add_host_hip" -L "${HIP_LIB:-$HIP_PATH/lib}" -lamdhip64 -ldl
  echo "built $OUT/vector_add_host_hip (run: $OUT/vector_add_host_hip $OUT/vector_add.$EXT)"
  exit 0
fi
LIBDIR="$CUDA_HOME/lib64/stubs" # link against the stub; the driver's libcuda.so.1 runs it
"$CXX" -std=c++17 -O2 -Wall -Wextra -Werror -I "$OUT" -I "$ROOT/include" \
  -I "$CUDA_HOME/include" "$ROOT/examples/host/main.cpp" -o "$OUT/vector_add_host" \
  -L "$LIBDIR" -lcuda
echo "built $OUT/vector_add_host (run: $OUT/vector_add_host $OUT/vector_add.$EXT)"
