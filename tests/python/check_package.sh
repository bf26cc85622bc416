#!/usr/bin/env bash
# The Python runtime installs with pip (no network, no build isolation: setuptools from the
# system) and imports from the installed copy alone. Debian's python3 (python3-pip,
# python3-setuptools, python3-wheel from scripts/setup.sh), whatever else is first on PATH.
set -uo pipefail
PY=${PYTHON:-/usr/bin/python3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-pip.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cp -r "$ROOT/python" "$TMP/src" # pip builds in place; keep the source tree clean
if ! "$PY" -m pip install --quiet --no-deps --no-build-isolation --no-index --target "$TMP/site" \
     "$TMP/src" >"$TMP/pip.log" 2>&1; then
  cat "$TMP/pip.log"; echo "python package: pip install failed"; exit 1
fi
version=$(cd "$TMP" && PYTHONPATH="$TMP/site" "$PY" -c 'import tritonc, os; assert "site" in tritonc.__file__; print(tritonc.__version__)') ||
  { echo "python package: the installed copy does not import"; exit 1; }
echo "python package: ok (pip install, import tritonc $version from the installed copy)"
