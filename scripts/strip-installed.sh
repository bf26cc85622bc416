#!/bin/sh
# meson install script of release builds: strip the installed tritonc (debug info and symbols
# are most of a 68 MB binary). $1 is the binary's path under the install prefix.
set -eu
exec strip --strip-unneeded "${MESON_INSTALL_DESTDIR_PREFIX}/$1"
