#!/usr/bin/env bash
# Set up a fresh Debian 12 machine for tritonc, build it, and compile the example:
#   1. install every build and test dependency from Debian's packages (LLVM 22 comes from the
#      machine's configured apt sources; `apt-cache policy llvm-22-dev` shows where);
#   2. configure and build with meson + ninja into build/ (reconfigures if build/ exists);
#   3. compile examples/vector_add.tt to build/examples/vector_add.cubin + vector_add.json.
# ptxas is not a Debian package: it comes from the CUDA toolkit (12.0 or newer for sm_90a),
# found through $TRITONC_PTXAS, $CUDA_HOME/bin, /usr/local/cuda/bin or $PATH.
# Idempotent: run it again at any time. Environment: BUILD_DIR (default build), JOBS (ninja -j),
# MESON_OPTIONS (more `meson setup` options, e.g. "-Ddebug=false -Db_ndebug=false", as CI uses).
# `scripts/setup.sh --deps-only` stops after step 1 (tests/setup/check_setup.sh runs it against
# stand-ins for dpkg-query, apt-get and apt-cache that report every package missing).
#
# Under pipefail, never pipe a command into `grep -q` or `head`: they exit at the first match, the
# writer dies of SIGPIPE and the pipeline fails although the answer was yes. Capture, then match.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
DEPS_ONLY=0
case "${1:-}" in
  --deps-only) DEPS_ONLY=1 ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--deps-only]" >&2; exit 2 ;;
esac

PACKAGES=(
  g++ make pkg-config python3        # compilers, dependency lookup, lit's interpreter
  llvm-22-dev lld-22 llvm-22-tools   # LLVM 22 libraries, ld.lld for AMD, lit + FileCheck + not
  libzstd-dev zlib1g-dev             # static archives for the self-contained tritonc-static
  meson ninja-build                  # build
  libcli11-dev nlohmann-json3-dev doctest-dev
  rocm-device-libs                   # ocml/ockl bitcode for the AMDGPU target
  python3-numpy                      # GPU harness and reference checks
  python3-pip python3-setuptools python3-wheel   # the Python runtime's pip-install check
  python3-jsonschema                 # docs/metadata.schema.json is checked against real output
  man-db                             # `man -l man/tritonc.1` in the test suite
  clang-format-22                    # the style check of the test suite
  clang-22 libclang-rt-22-dev        # the sanitized build and the libFuzzer targets of the suite
  cmake file                         # the install checks: a CMake consumer project; `file` on the stripped binary
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update
  # Read the whole answer before matching: under pipefail, `apt-cache ... | grep -q` fails when
  # grep exits at its first match and apt-cache dies of SIGPIPE.
  policy=$(apt-cache policy llvm-22-dev 2>/dev/null || true)
  if ! [[ "$policy" =~ Candidate:\ [0-9] ]]; then
    echo "setup: error: no apt source offers llvm-22-dev; add one that does (e.g. LLVM's" >&2
    echo "       bookworm repository) and run this script again" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
if [ "$DEPS_ONLY" = 1 ]; then
  echo "setup: dependencies installed"
  exit 0
fi

# shellcheck disable=SC2086  # MESON_OPTIONS is a list of options
if [ -f "$BUILD_DIR/build.ninja" ]; then
  meson setup --reconfigure "$BUILD_DIR" ${MESON_OPTIONS:-}
else
  meson setup "$BUILD_DIR" ${MESON_OPTIONS:-}
fi
ninja -C "$BUILD_DIR" ${JOBS:+-j "$JOBS"}

mkdir -p "$BUILD_DIR/examples"
"$BUILD_DIR/tritonc" examples/vector_add.tt -o "$BUILD_DIR/examples/vector_add.cubin" --arch sm_90a
echo "setup: built $BUILD_DIR/tritonc; wrote $BUILD_DIR/examples/vector_add.cubin and" \
     "$BUILD_DIR/examples/vector_add.json"
