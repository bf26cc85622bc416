#!/usr/bin/env bash
# What a user gets from `meson install`, checked from the installed tree alone.
#   tests/install/check_install.sh layout|cmake-ninja|cmake-make|meson-pkgconfig|user-build|static
#     layout          `meson install --destdir` puts the binary, man page, launcher.hpp, tritonc.pc
#                     and the CMake package in place, and the installed tritonc runs
#     cmake-ninja, cmake-make, meson-pkgconfig
#                     examples/cmake (find_package) and examples/meson (pkg-config) build against
#                     that tree only, with incremental rebuilds driven by tritonc's depfiles
#                     (tests/build/check_incremental.sh)
#     user-build      `-Dtests=false` configures a build without the unit tests
#     static          `ninja tritonc-static`: a binary without libLLVM (ldd) that compiles the example
# Environment: BUILD_DIR (default build), DESTDIR_ROOT (reuse an install made by `layout`).
# Exit status 0 when the check holds; the reason otherwise.
set -uo pipefail
CHECK=${1:?usage: check_install.sh layout|cmake-ninja|cmake-make|meson-pkgconfig|user-build|static}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
[ -f "$BUILD_DIR/build.ninja" ] || { echo "check_install: $BUILD_DIR is not a configured build"; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-install.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
die() { echo "$CHECK: $*"; exit 1; }

# install DEST: meson install into DEST; sets PREFIX to the installed prefix inside it.
install_into() {
  local dest=$1 prefix
  if [ ! -d "$dest" ]; then
    meson install -C "$BUILD_DIR" --no-rebuild --destdir "$dest" >"$TMP/install.log" 2>&1 ||
      { cat "$TMP/install.log"; die "meson install --destdir failed"; }
  fi
  prefix=$(meson introspect "$BUILD_DIR" --buildoptions |
           python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')
  PREFIX=$dest$prefix
}

case "$CHECK" in
  layout)
    install_into "$TMP/dest"
    for f in bin/tritonc share/man/man1/tritonc.1 include/tritonc/launcher.hpp; do
      [ -f "$PREFIX/$f" ] || die "$f not installed under $PREFIX"
    done
    pc=$(find "$PREFIX" -name tritonc.pc -path '*/pkgconfig/*' -print -quit)
    [ -n "$pc" ] || die "no pkgconfig/tritonc.pc under $PREFIX"
    for f in tritoncConfig.cmake tritoncConfigVersion.cmake; do
      [ -n "$(find "$PREFIX" -path "*/cmake/tritonc/$f" -print -quit)" ] || die "no cmake/tritonc/$f under $PREFIX"
    done
    # The .pc file is relocatable: from the DESTDIR it names the DESTDIR's compiler.
    tc=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=tritonc tritonc)
    [ "$(realpath "$tc")" = "$(realpath "$PREFIX/bin/tritonc")" ] || die "tritonc.pc names $tc, not the installed $PREFIX/bin/tritonc"
    cflags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags tritonc | xargs)
    [ -f "${cflags#-I}/tritonc/launcher.hpp" ] || die "tritonc.pc Cflags ($cflags) do not reach tritonc/launcher.hpp"
    "$PREFIX/bin/tritonc" --version >"$TMP/version.log" 2>&1 || { cat "$TMP/version.log"; die "the installed tritonc does not run"; }
    "$PREFIX/bin/tritonc" "$ROOT/examples/vector_add.tt" -o "$TMP/va.cubin" >"$TMP/va.log" 2>&1 &&
      [ -s "$TMP/va.json" ] || { cat "$TMP/va.log"; die "the installed tritonc does not compile examples/vector_add.tt"; }
    # What a release build's install runs on the binary (meson.build: add_install_script).
    cp "$PREFIX/bin/tritonc" "$TMP/strip-me"
    MESON_INSTALL_DESTDIR_PREFIX=$TMP "$ROOT/scripts/strip-installed.sh" strip-me ||
      die "scripts/strip-installed.sh failed"
    [[ "$(file -b "$TMP/strip-me")" == *", stripped"* ]] || die "scripts/strip-installed.sh left symbols: $(file -b "$TMP/strip-me")"
    "$TMP/strip-me" --version >/dev/null 2>&1 || die "the stripped tritonc does not run"
    echo "layout: ok (binary, man page, launcher.hpp, tritonc.pc, CMake package; the installed tritonc compiles; release strip works)" ;;
  cmake-ninja|cmake-make|meson-pkgconfig)
    install_into "$TMP/dest"
    # Nothing from the source tree's build on PATH: the consumer sees only the install.
    TRITONC_PREFIX=$PREFIX TRITONC=/nonexistent "$ROOT/tests/build/check_incremental.sh" "$CHECK" ;;
  user-build)
    meson setup "$TMP/user" "$ROOT" -Dtests=false --buildtype=release >"$TMP/setup.log" 2>&1 ||
      { cat "$TMP/setup.log"; die "meson setup -Dtests=false failed"; }
    targets=$(meson introspect "$TMP/user" --targets | python3 -c 'import json,sys; print(" ".join(t["name"] for t in json.load(sys.stdin)))')
    [[ " $targets " == *" tritonc "* ]] || die "no tritonc target in the user build ($targets)"
    [[ " $targets " == *" unit_tests "* ]] && die "-Dtests=false still builds unit_tests"
    echo "user-build: ok (-Dtests=false: $targets)" ;;
  static)
    ninja -C "$BUILD_DIR" tritonc-static >"$TMP/static.log" 2>&1 || { tail -n 30 "$TMP/static.log"; die "ninja tritonc-static failed"; }
    bin=$BUILD_DIR/tritonc-static
    deps=$(ldd "$bin" 2>&1)
    grep -qi 'libLLVM' <<<"$deps" && die "tritonc-static still needs libLLVM: $deps"
    grep -q 'libstdc++' <<<"$deps" && die "tritonc-static still needs libstdc++: $deps"
    "$bin" "$ROOT/examples/vector_add.tt" -o "$TMP/va.cubin" >"$TMP/va.log" 2>&1 &&
      [ "$(head -c 4 "$TMP/va.cubin" | od -An -c | tr -d ' ')" = '177ELF' ] ||
      { cat "$TMP/va.log"; die "tritonc-static does not compile examples/vector_add.tt"; }
    echo "static: ok ($(du -h "$bin" | cut -f1), needs only: $(awk '/=>|ld-linux/ {print $1}' <<<"$deps" | tr '\n' ' '))" ;;
  *) echo "unknown check: $CHECK"; exit 2 ;;
esac
