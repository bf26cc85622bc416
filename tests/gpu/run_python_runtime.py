"""The Python runtime (python/tritonc) on a real GPU: vector_add from .gpu/ launched with PyTorch
tensors (and CuPy arrays when CuPy is installed), through cuda.bindings and through ctypes,
checked against the sum; a misaligned view and a wrong dtype are refused before the launch.
Then strided_rows_spec (tests/lit/driver/Inputs/strided_rows.tt compiled with --specialize by
build_corpus.sh): for aligned rows, a column stride of 2, a misaligned input view and a misaligned
output view, the dispatcher must pick the expected variant and every result must equal 2 * x.

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
    spec = Path(args.dir) / "strided_rows_spec.json"
    if not spec.is_file():
        check("specialize: strided_rows_spec.json built by build_corpus.sh", False, str(spec))
    else:
        for driver in ("bindings", "ctypes"):
            os.environ["TRITONC_DRIVER"] = driver
            tritonc._driver._DRIVER = None
            k = tritonc.load(spec)["scale_rows"]
            rows, cols = 37, 256  # BLOCK = 256 columns per program, one program per row
            base = torch.rand(rows * cols * 2 + 8, device="cuda")
            out_base = torch.full((rows * cols + 8,), float("nan"), device="cuda")
            # (label, x view, column stride of x, out view, expected variant symbol)
            cases = [
                ("aligned rows", base[:rows * cols], 1, out_base[:rows * cols],
                 "scale_rows_0d1d2d3d4c"),
                ("column stride 2", base[:rows * cols * 2], 2, out_base[:rows * cols],
                 "scale_rows_1d2d"),
                ("misaligned input", base[1:rows * cols + 1], 1, out_base[:rows * cols],
                 "scale_rows_1d2d"),
                ("misaligned output", base[:rows * cols], 1, out_base[1:rows * cols + 1],
                 "scale_rows"),
            ]
            for label, x, stride_col, out, symbol in cases:
                out.fill_(float("nan"))
                stride_row = cols * stride_col
                chosen = k.variants[k.select_variant(x, out, cols, stride_row, stride_col)]["symbol"]
                k[(rows,)](x, out, cols, stride_row, stride_col)
                torch.cuda.synchronize()
                want = (x.view(rows, -1)[:, ::stride_col] * 2.0).reshape(-1)
                check(f"specialize[{driver}] {label} -> {symbol}",
                      chosen == symbol and torch.equal(out, want), f"picked {chosen}")
    print(f"python runtime: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
