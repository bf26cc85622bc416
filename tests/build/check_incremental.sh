#!/usr/bin/env bash
# Checks that a build system driving tritonc through its depfiles rebuilds exactly what it must:
# builds the examples (a copy, in a temporary folder) with SYSTEM, edits
# examples/build/kernels/common.tt (imported by scale.tt and shift.tt, not by copy.tt), rebuilds,
# and checks that exactly scale.cubin and shift.cubin changed; then that one more build does nothing.
#   usage: tests/build/check_incremental.sh SYSTEM
#   SYSTEM: ninja, make, meson      examples/build, `tritonc` on PATH (env TRITONC, build/tritonc)
#           cmake-ninja, cmake-make examples/cmake: find_package(tritonc) + tritonc_add_kernel()
#           meson-pkgconfig         examples/meson: dependency('tritonc') through tritonc.pc
#   The last three use only an installed tree: env TRITONC_PREFIX (the prefix, e.g. a DESTDIR's
#   usr/local); tritonc is not on PATH for them. They also build the host program.
# Exit status 0 when every check holds; the reason otherwise.
set -uo pipefail
SYSTEM=${1:?usage: check_incremental.sh ninja|make|meson|cmake-ninja|cmake-make|meson-pkgconfig}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRITONC=${TRITONC:-$ROOT/build/tritonc}
BIN=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-bin.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-build.XXXXXX")
trap 'rm -rf "$BIN" "$WORK"' EXIT
cp -r "$ROOT/examples/." "$WORK/"
cd "$WORK/build" || exit 1
installed() { # the installed tree, and where its pkg-config file is
  [ -n "${TRITONC_PREFIX:-}" ] && [ -x "$TRITONC_PREFIX/bin/tritonc" ] ||
    { echo "check_incremental: TRITONC_PREFIX must name an installed tritonc prefix"; exit 1; }
  PCDIR=$(dirname "$(find "$TRITONC_PREFIX" -name tritonc.pc -print -quit)")
}
no_work() { [[ "$("$@" 2>&1)" == *'no work to do'* ]]; }

case "$SYSTEM" in
  ninja|make|meson)
    [ -x "$TRITONC" ] || { echo "check_incremental: $TRITONC not built"; exit 1; }
    ln -s "$(cd "$(dirname "$TRITONC")" && pwd)/$(basename "$TRITONC")" "$BIN/tritonc"
    export PATH="$BIN:$PATH" # the examples call `tritonc` from PATH, as a user's build would
    export TRITONC=tritonc   # (the Makefile reads TRITONC from the environment)
    ;;
esac
case "$SYSTEM" in
  ninja) OUT=out;       build() { ninja; };                uptodate() { no_work ninja -n; } ;;
  make)  OUT=out;       build() { make; };                 uptodate() { make -q; } ;;
  meson) OUT=out-meson; build() { ninja -C out-meson; };   uptodate() { no_work ninja -C out-meson -n; }
         meson setup out-meson >setup.log 2>&1 || { cat setup.log; echo "meson setup failed"; exit 1; } ;;
  cmake-ninja|cmake-make)
    installed
    gen=Ninja; [ "$SYSTEM" = cmake-make ] && gen="Unix Makefiles"
    OUT=$WORK/out-cmake
    build() { cmake --build "$OUT"; }
    if [ "$SYSTEM" = cmake-ninja ]; then uptodate() { no_work ninja -C "$OUT" -n; }
    else uptodate() { [[ "$(make -C "$OUT" -n 2>&1)" != *bin/tritonc\ * ]]; }; fi
    cmake -S "$WORK/cmake" -B "$OUT" -G "$gen" -DCMAKE_PREFIX_PATH="$TRITONC_PREFIX" \
      >setup.log 2>&1 || { cat setup.log; echo "$SYSTEM: cmake configure failed"; exit 1; } ;;
  meson-pkgconfig)
    installed
    OUT=$WORK/out-meson-pc
    build() { ninja -C "$OUT"; }; uptodate() { no_work ninja -C "$OUT" -n; }
    PKG_CONFIG_PATH="$PCDIR" meson setup "$OUT" "$WORK/meson" >setup.log 2>&1 ||
      { cat setup.log; echo "$SYSTEM: meson setup failed"; exit 1; } ;;
  *) echo "unknown build system: $SYSTEM"; exit 2 ;;
esac

# Modification times with nanoseconds: a rebuilt output gets a new one.
stamp() { for k in scale shift copy; do printf '%s %s\n' "$k" "$(stat -c %y "$OUT/$k.cubin" 2>/dev/null)"; done; }

build >build1.log 2>&1 || { cat build1.log; echo "$SYSTEM: first build failed"; exit 1; }
for k in scale shift copy; do
  [ -s "$OUT/$k.cubin" ] && [ -s "$OUT/$k.json" ] || { echo "$SYSTEM: $OUT/$k.cubin or .json missing"; exit 1; }
done
before=$(stamp)
sleep 1.1 # a coarse file-system clock must see the edit as newer
echo "# edited by check_incremental.sh" >> kernels/common.tt
build >build2.log 2>&1 || { cat build2.log; echo "$SYSTEM: rebuild failed"; exit 1; }
after=$(stamp)
changed=$(diff <(echo "$before") <(echo "$after") | sed -n 's/^> \([a-z]*\) .*/\1/p' | sort | tr '\n' ' ')
if [ "$changed" != "scale shift " ]; then
  cat build2.log
  echo "$SYSTEM: after editing common.tt rebuilt [${changed}], expected [scale shift ]"
  exit 1
fi
if ! uptodate >/dev/null 2>&1; then
  echo "$SYSTEM: a second build after the rebuild still has work to do"
  exit 1
fi
host=""
case "$SYSTEM" in
  cmake-*|meson-pkgconfig)
    [ -x "$OUT/vector_add_host" ] && [ -s "$OUT/vector_add.h" ] ||
      { cat build1.log; echo "$SYSTEM: the host program or the kernel's C header was not built"; exit 1; }
    host="; built vector_add_host against the installed launcher.hpp" ;;
esac
echo "$SYSTEM: ok (edit of common.tt rebuilt scale and shift only; then nothing to do$host)"
