#!/usr/bin/env python3
"""Front-end speed benchmark (issue 3's "Done when": the front end plus the tile passes take
under 5 ms for a 200-line kernel).

Compiles tests/kernels/long_kernel.tt (about 200 lines: helpers, loops, static_range, loads and
stores, reductions; two kernels) to Tile IR and runs the tile pipeline on it:
  tritonc KERNEL --passes=canonicalize,cse,licm,dce --emit-ir -o /dev/null --time-passes
and reads tritonc's --time-passes report: "front end" (lexing, parsing, sema, lowering to Tile
IR) and every "pass X" row. One warm-up run, then the median over --runs runs (default 20) of
each column, printed as a markdown table row (milliseconds):

| kernel | lines | front end | tile passes | total | target |

usage: bench/frontend_time.py [--runs N] [--tritonc build/tritonc] [--kernel FILE]
Standard library only; not part of CI. Exit status 1 when tritonc fails, 2 when the median total
is over the target (5 ms).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TILE_PASSES = "canonicalize,cse,licm,dce"  # the "tile" pipeline of src/passes/Pipeline.cpp
TARGET_MS = 5.0
ROW = re.compile(r"^\s*([0-9.]+)\s+[0-9.]+\s+(.+?)\s*$")


def measure(tritonc, kernel):
    cmd = [tritonc, kernel, "--passes=" + TILE_PASSES, "--emit-ir", "-o", os.devnull,
           "--time-passes"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("tritonc failed (exit %d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    front, passes, seen = 0.0, 0.0, set()
    for line in p.stderr.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        ms, stage = float(m.group(1)), m.group(2)
        if stage == "front end":
            front += ms
        elif stage.startswith("pass "):
            passes += ms
        seen.add(stage.split(" ")[0] if stage.startswith("pass ") else stage)
    if "front end" not in seen or "pass" not in seen:
        sys.exit("no 'front end' / 'pass' rows in tritonc's --time-passes report:\n" + p.stderr)
    return front, passes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--tritonc", default=os.path.join(REPO, "build", "tritonc"))
    ap.add_argument("--kernel", default=os.path.join(REPO, "tests", "kernels", "long_kernel.tt"))
    args = ap.parse_args()
    with open(args.kernel) as f:
        lines = sum(1 for _ in f)
    measure(args.tritonc, args.kernel)  # warm-up (page cache, dynamic loader)
    fronts, passes, totals = [], [], []
    for _ in range(args.runs):
        fe, ps = measure(args.tritonc, args.kernel)
        fronts.append(fe)
        passes.append(ps)
        totals.append(fe + ps)
    total = statistics.median(totals)
    print("| kernel | lines | front end ms | tile passes ms | total ms | target |")
    print("|---|---|---|---|---|---|")
    print("| %s | %d | %.3f | %.3f | %.3f | %s %.0f ms |" % (
        os.path.relpath(args.kernel, REPO), lines, statistics.median(fronts),
        statistics.median(passes), total, "under" if total < TARGET_MS else "OVER", TARGET_MS))
    print("(median of %d runs; min total %.3f ms, max %.3f ms)" % (
        args.runs, min(totals), max(totals)), file=sys.stderr)
    return 0 if total < TARGET_MS else 2


if __name__ == "__main__":
    sys.exit(main())
