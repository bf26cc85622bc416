#!/usr/bin/env python3
"""Reference-interpreter speed: a 1M-element vector add run on the CPU.

Runs examples/vector_add.tt (BLOCK_SIZE 1024) through `tritonc run` over --elements elements
(default 2^20: 1024 programs) on random inputs, one warm-up run and then --runs timed runs
(default 5), and prints the median wall time and the elements per second as a markdown table
row:

| kernel | elements | programs | median s | elements/s |

The first run's output buffer is checked against x + y, so a fast wrong interpreter
does not pass for a fast one. This used to be a unit test that only printed its time (a timing
has no pass/fail threshold on a shared CI machine); it is a benchmark now, not run by
scripts/test.sh.

usage: bench/interp_time.py [--runs N] [--elements N] [--tritonc build/tritonc]
Standard library only. Exit status 1 when tritonc fails or the sum is wrong.
"""
import argparse
import array
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(REPO, "examples", "vector_add.tt")
BLOCK = 1024


def load_f32(path):
    """The values of a little-endian float32 .npy file (format versions 1-3)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY" or b"'<f4'" not in data[:256]:
        sys.exit("%s: not a little-endian float32 .npy file" % path)
    size = 2 if data[6] == 1 else 4
    header = 8 + size + int.from_bytes(data[8:8 + size], "little")
    values = array.array("f")
    values.frombytes(data[header:])
    return values


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def run(tritonc, n, outdir, save):
    cmd = [tritonc, "run", KERNEL, "--kernel", "add_kernel", "--grid", str((n + BLOCK - 1) // BLOCK),
           "--arg", "x_ptr=rand:%d" % n, "--arg", "y_ptr=rand:%d" % n,
           "--arg", "output_ptr=zeros:%d" % n, "--arg", "n_elements=%d" % n]
    if save:
        for name in ("x_ptr", "y_ptr", "output_ptr"):
            cmd += ["--save", "%s=%s" % (name, os.path.join(outdir, name + ".npy"))]
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("tritonc run failed (exit %d): %s\n%s" % (p.returncode, " ".join(cmd), p.stderr))
    return seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tritonc", default=os.path.join(REPO, "build", "tritonc"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--elements", type=int, default=1 << 20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(args.tritonc, args.elements, tmp, save=True)  # warm-up, and the result to check
        x, y, out = (load_f32(os.path.join(tmp, n + ".npy")) for n in ("x_ptr", "y_ptr", "output_ptr"))
        for i, (a, b, c) in enumerate(zip(x, y, out)):
            if c != f32(a + b):
                sys.exit("wrong sum at element %d: %r, expected %r" % (i, c, f32(a + b)))
        times = [run(args.tritonc, args.elements, tmp, save=False) for _ in range(args.runs)]
    median = statistics.median(times)
    print("| kernel | elements | programs | median s | elements/s |")
    print("| --- | --- | --- | --- | --- |")
    print("| vector_add.tt | %d | %d | %.3f | %.3g |" % (args.elements, (args.elements + BLOCK - 1) // BLOCK,
                                                       median, args.elements / median))
    return 0


if __name__ == "__main__":
    sys.exit(main())
