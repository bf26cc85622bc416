"""The Python runtime (python/tritonc) on a real GPU: vector_add from .gpu/ launched with PyTorch
tensors (and CuPy arrays when CuPy is installed), through cuda.bindings and through ctypes,
checked against the sum; a misaligned view and a wrong dtype are refused before the launch.

    PYTHONPATH=python python3 tests/gpu/run_python_runtime.py --dir .gpu
Last line: `python runtime: N passed, M failed`.
"""
import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=".gpu")
    args = ap.parse_args()
    import torch
    import tritonc
    passed = failed = 0

    def check(label, ok, detail=""):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + label + (f"  {detail}" if detail else ""), flush=True)
        passed, failed = passed + bool(ok), failed + (not ok)

    for driver in ("bindings", "ctypes"):
        os.environ["TRITONC_DRIVER"] = driver
        tritonc._driver._DRIVER = None
        mod = tritonc.load(Path(args.dir) / "vector_add.json")
        add = mod["add_kernel"]
        for n in (1, 1000, 98435):
            x, y = torch.rand(n, device="cuda"), torch.rand(n, device="cuda")
            out = torch.full((n,), float("nan"), device="cuda")
            add[(tritonc.cdiv(n, add.constexprs["BLOCK_SIZE"]),)](x, y, out, n)
            torch.cuda.synchronize()
            check(f"torch[{driver}] n={n}", torch.equal(out, x + y))
        try:
            import cupy
            n = 4097
            x, y = cupy.random.rand(n, dtype=cupy.float32), cupy.random.rand(n, dtype=cupy.float32)
            out = cupy.empty(n, dtype=cupy.float32)
            add[(tritonc.cdiv(n, add.constexprs["BLOCK_SIZE"]),)](x, y, out, n)
            cupy.cuda.Device().synchronize()
            check(f"cupy[{driver}] n={n}", bool((out == x + y).all()))
        except ImportError:
            print("(CuPy not installed: CuPy case not run)")
        x = torch.rand(64, device="cuda")
        for label, bad in (("misaligned view", (x[1:], x[1:], x[1:], 63)),
                           ("wrong dtype", (x.half(), x, x, 64))):
            try:
                add[1](*bad)
                check(f"refuses {label}[{driver}]", False, "launched")
            except tritonc.ArgumentError as e:
                check(f"refuses {label}[{driver}]", True, str(e)[:90])
    print(f"python runtime: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
