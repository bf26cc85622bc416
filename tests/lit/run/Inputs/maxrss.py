#!/usr/bin/env python3
"""Runs a command and fails unless its peak resident memory stayed under a bound.

usage: maxrss.py MEGABYTES CMD [ARGS...]
The command's output passes through; the exit status is the command's, or 1 when it used more
than MEGABYTES MiB (the figure is printed on standard error).
"""
import resource
import subprocess
import sys

limit = int(sys.argv[1])
rc = subprocess.call(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # KiB on Linux
if peak > limit:
    sys.stderr.write("maxrss: %s used %d MiB, more than %d MiB\n" % (sys.argv[2], peak, limit))
    sys.exit(1)
sys.exit(rc)
