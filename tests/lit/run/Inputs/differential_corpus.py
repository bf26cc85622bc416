#!/usr/bin/env python3
"""Runs `tritonc run --differential` over every kernel file of the corpus.

usage: differential_corpus.py TRITONC DIR...
Each .tt file in the DIRs is checked with every kernel it defines; a file may add flags (grid,
scalar arguments, -D) on a line `# DIFFERENTIAL-FLAGS: --grid 2,2 --arg stride=64`. Prints one
PASS/FAIL line per file (with tritonc's output for a failure) and exits 1 if any failed.
"""
import glob
import os
import shlex
import subprocess
import sys

tritonc, dirs = sys.argv[1], sys.argv[2:]
failed = 0
files = sorted(f for d in dirs for f in glob.glob(os.path.join(d, "*.tt")))
for path in files:
    flags = []
    with open(path) as f:
        for line in f:
            if line.startswith("# DIFFERENTIAL-FLAGS:"):
                flags = shlex.split(line.split(":", 1)[1])
                break
    run = subprocess.run([tritonc, "run", "--differential", path] + flags,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    name = os.path.basename(path)
    if run.returncode == 0:
        print("PASS: %s" % name)
    else:
        failed += 1
        print("FAIL: %s (exit %d)" % (name, run.returncode))
        print("".join("    " + l + "\n" for l in run.stdout.splitlines()))
print("%d kernel files, %d failed" % (len(files), failed))
sys.exit(1 if failed or not files else 0)
