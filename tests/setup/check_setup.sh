#!/usr/bin/env bash
# The set-up path of a machine that has none of the packages, without such a machine: runs
# `scripts/setup.sh --deps-only` against stand-ins (PATH shims) for dpkg-query, apt-get, apt-cache
# and sudo, and checks what the script asks apt for. Cases:
#   bare      every package missing; apt-cache policy answers at length (a real answer is long,
#             and the Candidate line comes early, so a `apt-cache ... | grep -q` under pipefail
#             dies of SIGPIPE: the bug that broke the first README command for every new user)
#   none      no apt source offers llvm-22-dev: a clear error naming the package, exit 1
#   complete  every package installed: apt is not called at all
#   nonroot   not root: apt-get runs through sudo
# Exit status 0 when every case holds; each failure is printed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tritonc-setup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
failures=0
bad() { echo "FAIL: $*"; failures=$((failures + 1)); }

# shim DIR CASE: write the stand-ins into DIR; every call is logged to DIR/calls.log.
shim() {
  local dir=$1 case=$2
  mkdir -p "$dir"
  cat >"$dir/dpkg-query" <<SH
#!/usr/bin/env bash
echo "dpkg-query \$*" >>"$dir/calls.log"
if [ "$case" = complete ]; then printf 'install ok installed'; exit 0; fi
echo "dpkg-query: no packages found matching \${@: -1}" >&2
exit 1
SH
  cat >"$dir/apt-get" <<SH
#!/usr/bin/env bash
echo "apt-get \$*" >>"$dir/calls.log"
exit 0
SH
  cat >"$dir/apt-cache" <<SH
#!/usr/bin/env bash
echo "apt-cache \$*" >>"$dir/calls.log"
echo "llvm-22-dev:"
echo "  Installed: (none)"
if [ "$case" = none ]; then echo "  Candidate: (none)"; else echo "  Candidate: 1:22.1.8-1~deb12u1"; fi
echo "  Version table:"
# A long answer, as apt gives with many sources: far more than a pipe holds.
for i in \$(seq 1 20000); do echo "     1:22.1.\$i-1~deb12u1 500        500 http://apt.example/ bookworm/main amd64 Packages"; done
exit 0
SH
  cat >"$dir/sudo" <<SH
#!/usr/bin/env bash
echo "sudo \$*" >>"$dir/calls.log"
exec "\$@"
SH
  cat >"$dir/id" <<SH
#!/usr/bin/env bash
if [ "\${1:-}" = -u ]; then if [ "$case" = nonroot ]; then echo 1000; else echo 0; fi; else exec /usr/bin/id "\$@"; fi
SH
  chmod +x "$dir"/*
  : >"$dir/calls.log"
}

run_case() { # CASE -> sets rc, out, calls
  local dir="$WORK/$1"
  shim "$dir" "$1"
  out=$(PATH="$dir:$PATH" bash "$ROOT/scripts/setup.sh" --deps-only 2>&1)
  rc=$?
  calls=$(cat "$dir/calls.log")
}

run_case bare
if [ "$rc" -ne 0 ]; then
  bad "bare: setup.sh --deps-only exited $rc with every package missing: $out"
else
  grep -qx 'apt-get update' <<<"$calls" || bad "bare: no 'apt-get update' (calls: $calls)"
  install=$(grep '^apt-get install' <<<"$calls")
  for p in llvm-22-dev lld-22 llvm-22-tools meson ninja-build libcli11-dev nlohmann-json3-dev \
           doctest-dev rocm-device-libs clang-22 cmake; do
    grep -qw -- "$p" <<<"$install" || bad "bare: apt-get install does not name $p ($install)"
  done
fi

run_case none
if [ "$rc" -ne 1 ]; then bad "none: exit $rc, expected 1"; fi
grep -q 'no apt source offers llvm-22-dev' <<<"$out" || bad "none: message does not name llvm-22-dev: $out"
grep -q '^apt-get install' <<<"$calls" && bad "none: apt-get install ran although llvm-22-dev has no candidate"

run_case complete
if [ "$rc" -ne 0 ]; then bad "complete: exit $rc: $out"; fi
grep -q '^apt-' <<<"$calls" && bad "complete: apt was called although every package is installed: $calls"

run_case nonroot
if [ "$rc" -ne 0 ]; then bad "nonroot: exit $rc: $out"; fi
grep -q '^sudo apt-get install' <<<"$calls" || bad "nonroot: apt-get install did not run through sudo: $calls"

if [ "$failures" -eq 0 ]; then
  echo "setup: ok (bare machine, no candidate, all installed, non-root)"
else
  exit 1
fi
