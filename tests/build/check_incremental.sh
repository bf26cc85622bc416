#!/usr/bin/env bash
# Checks that a build system driving tritonc through its depfiles rebuilds exactly what it must:
# builds examples/build (a copy, in a temporary folder) with SYSTEM, edits kernels/common.tt
# (imported by scale.tt and shift.tt, not by copy.tt), rebuilds, and checks that exactly
# scale.cubin and shift.cubin changed; then checks that one more build does nothing.
#   usage: tests/build/check_incremental.sh ninja|make|meson     env: TRITONC (build/tritonc)
# Exit status 0 when every check holds; the reason otherwise.
set -uo pipefail
SYSTEM=${1:?usage: check_incremental.sh ninja|make|meson}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TRITONC=${TRITONC:-$ROOT/build/tritonc}
[ -x "$TRITONC" ] || { echo "check_incremental: $TRITONC not built"; exit 1; }
BIN=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-bin.XXXXXX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-build.XXXXXX")
trap 'rm -rf "$BIN" "$WORK"' EXIT
ln -s "$(cd "$(dirname "$TRITONC")" && pwd)/$(basename "$TRITONC")" "$BIN/tritonc"
export PATH="$BIN:$PATH" # the examples call `tritonc` from PATH, as a user's build would
export TRITONC=tritonc   # (the Makefile reads TRITONC from the environment)
cp -r "$ROOT/examples/build/." "$WORK/"
cd "$WORK" || exit 1

case "$SYSTEM" in
  ninja) OUT=out;       build() { ninja; };                         uptodate() { ninja -n | grep 'no work to do' >/dev/null; } ;;
  make)  OUT=out;       build() { make; };                          uptodate() { make -q; } ;;
  meson) OUT=out-meson; build() { ninja -C out-meson; };            uptodate() { ninja -C out-meson -n | grep 'no work to do' >/dev/null; }
         meson setup out-meson >setup.log 2>&1 || { cat setup.log; echo "meson setup failed"; exit 1; } ;;
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
echo "$SYSTEM: ok (edit of common.tt rebuilt scale and shift only; then nothing to do)"
