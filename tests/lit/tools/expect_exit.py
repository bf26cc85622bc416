#!/usr/bin/env python3
"""Runs a command and succeeds only if it exits with the given status.

usage: expect_exit.py STATUS CMD [ARGS...]
The command's stdout and stderr pass through unchanged, so the RUN line can pipe them into
FileCheck: `%expect_exit 2 tritonc --bogus 2>&1 | FileCheck %s`. lit's `not` only tells zero
from non-zero; tritonc's exit codes (1 input, 2 usage, 3 tool, 4 internal) need this.
"""
import subprocess
import sys

if len(sys.argv) < 3:
    sys.exit("usage: expect_exit.py STATUS CMD [ARGS...]")
want = int(sys.argv[1])
try:
    got = subprocess.call(sys.argv[2:])
except OSError as e:
    sys.stderr.write("expect_exit: cannot run %s: %s\n" % (sys.argv[2], e))
    sys.exit(1)
if got != want:
    sys.stderr.write("expect_exit: %s exited with %d, expected %d\n" % (sys.argv[2], got, want))
    sys.exit(1)
