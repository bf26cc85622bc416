#!/usr/bin/env python3
"""Compile-time benchmark: every kernel of tests/gpu/corpus.txt, source -> cubin (ptxas
included), run N times (default 5) after one warm-up, median per stage from tritonc's
--time-passes report, printed as a markdown table for bench/RESULTS.md.

Columns (milliseconds, medians over the runs):
  front end  parsing + sema + Tile IR ("front end"; "parse IR" for .tir inputs)
  passes     every "pass X" row together (tile and gpu pipelines)
  LLVM       "codegen: ..." rows (LLVM IR, math library) + "LLVM -O3" + "LLVM: PTX"
  ptxas      the "ptxas" row (the external process)
  report     the report's total (the sum of the rows)
  wall       the whole process as seen from outside (start-up, LLVM initialization, writes)
The goal in issue 5: wall under 50 ms for elementwise and reduction kernels, under 150 ms for
matmul and attention, on the 2-core build machine.

usage: bench/compile_time.py [--runs N] [--tritonc build/tritonc] [--arch sm_90a]
                             [--corpus tests/gpu/corpus.txt] [--only NAME ...]
Standard library only; not part of CI. Exit status 1 when any kernel fails to compile.
"""
import argparse
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROW = re.compile(r"^\s*([0-9.]+)\s+[0-9.]+\s+(.+?)\s*$")
COLUMNS = ["front end", "passes", "LLVM", "ptxas"]


def category(stage):
    """The table column a --time-passes row belongs to (None: counted only in the total)."""
    if stage in ("front end", "parse IR"):
        return "front end"
    if stage.startswith("pass "):
        return "passes"
    if stage.startswith("codegen:") or stage.startswith("LLVM"):
        return "LLVM"
    if stage == "ptxas":
        return "ptxas"
    return None


def parse_report(text):
    """{column: ms} plus 'report' (the sum of every row) from a --time-passes report."""
    out = {c: 0.0 for c in COLUMNS}
    total = 0.0
    in_table = False
    for line in text.splitlines():
        if line.strip().startswith("ms") and "stage" in line:
            in_table = True
            continue
        if not in_table:
            continue
        m = ROW.match(line)
        if not m:
            continue
        ms, stage = float(m.group(1)), m.group(2)
        total += ms
        c = category(stage)
        if c:
            out[c] += ms
    out["report"] = total
    return out


def read_corpus(path):
    cases = []
    with open(path) as f:
        for line in f:
            words = shlex.split(line, comments=True)
            if len(words) >= 2:
                cases.append((words[0], words[1], words[2:]))
    return cases


def run_once(tritonc, src, flags, arch, out_dir, name):
    cmd = [tritonc, os.path.join(ROOT, src), "-o", os.path.join(out_dir, name + ".cubin"),
           "--arch", arch, "--time-passes"] + flags
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    wall = (time.perf_counter() - t0) * 1e3
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d\n%s" % (shlex.join(cmd), p.returncode, p.stderr))
    row = parse_report(p.stderr)
    row["wall"] = wall
    return row


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per kernel (default 5)")
    ap.add_argument("--tritonc", default=os.path.join(ROOT, "build", "tritonc"))
    ap.add_argument("--arch", default="sm_90a")
    ap.add_argument("--corpus", default=os.path.join(ROOT, "tests", "gpu", "corpus.txt"))
    ap.add_argument("--only", action="append", default=[], help="kernel NAME (repeatable)")
    ap.add_argument("--selftest", action="store_true", help="check the report parser; no tritonc")
    args = ap.parse_args()

    if args.selftest:
        sample = ("===---===\n  Total: 10.000 ms\n\n      ms      %   stage\n"
                  "   1.000   10.0   front end\n   0.500    5.0   pass cse\n"
                  "   0.500    5.0   pass dce\n   2.000   20.0   codegen: LLVM IR\n"
                  "   3.000   30.0   LLVM -O3\n   1.000   10.0   LLVM: PTX\n"
                  "   2.000   20.0   ptxas\n")
        r = parse_report(sample)
        assert r == {"front end": 1.0, "passes": 1.0, "LLVM": 6.0, "ptxas": 2.0,
                     "report": 10.0}, r
        print("selftest passed")
        return 0

    cases = [c for c in read_corpus(args.corpus) if not args.only or c[0] in args.only]
    if not os.access(args.tritonc, os.X_OK):
        sys.exit("error: %s is not executable (build it, or pass --tritonc)" % args.tritonc)
    failed = 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="tritonc-bench-") as tmp:
        for name, src, flags in cases:
            try:
                run_once(args.tritonc, src, flags, args.arch, tmp, name)  # warm-up (page cache)
                runs = [run_once(args.tritonc, src, flags, args.arch, tmp, name)
                        for _ in range(args.runs)]
            except RuntimeError as e:
                print("FAILED %s\n%s" % (name, e), file=sys.stderr)
                failed += 1
                continue
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            rows.append((name, med))
            print("%-24s wall %7.1f ms" % (name, med["wall"]), file=sys.stderr)

    version = subprocess.run([args.tritonc, "--version"], capture_output=True,
                             text=True).stdout.strip().replace("\n", "; ")
    print("Compile time, source -> cubin for %s, median of %d runs (after one warm-up), in ms."
          % (args.arch, args.runs))
    print("Host: %s, %d cores (`nproc`). %s." % (platform.processor() or platform.machine(),
                                                 os.cpu_count() or 0, version))
    print()
    print("| kernel | front end | passes | LLVM | ptxas | report total | wall |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, m in rows:
        print("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |" % (
            name, m["front end"], m["passes"], m["LLVM"], m["ptxas"], m["report"], m["wall"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
