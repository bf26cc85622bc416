"""Run tritonc-compiled kernels on the GPU and compare them with PyTorch references.

    python3 tests/gpu/run_corpus.py [--dir .gpu] [--only 'copy2d*'] [--seed S] [--list]

Each CASE below names a corpus build (DIR/NAME.json + its cubin, from tests/gpu/build_corpus.sh),
a kernel in it, the problem variants to try, and a setup function that, given a variant and the
kernel's constexprs *from the metadata*, draws fresh random inputs (seeded per check, so
`--seed S --only LABEL` reproduces one), allocates outputs and computes the reference. Every
output sits inside a larger buffer; the whole buffer is poisoned (NaN for floats, 0x7f bytes
otherwise) before the launch. A check passes when
  - the launch and a device synchronize raise nothing,
  - floats: ||out - ref|| / ||ref|| (float64) <= rtol, and no NaN/inf where the reference has none
    (a poisoned element that was never written shows up here), or, for exact outputs, bit equality,
  - every buffer element outside the output view still holds the poison (no masked-off stores).
One line per check (PASS/FAIL + numbers), then `N passed, M failed`; exit 1 on any failure.
A missing or unloadable cubin is a FAIL, never a skip. If a check leaves the CUDA context broken
(e.g. an illegal address), the remaining checks run in a fresh subprocess. A check that takes longer
than --timeout seconds (a hung kernel) is reported as FAIL and the run stops there.

Adding a kernel: a line in tests/gpu/corpus.txt, and one Case(...) entry in CASES.
"""
import argparse
import fnmatch
import os
import re
import subprocess
import sys
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "python"))  # the tritonc runtime package of this checkout
import tritonc  # noqa: E402
from tritonc import cdiv  # noqa: E402

torch = None  # imported in main(), so that --list works without it
DEVICE = "cuda"


@dataclass
class Out:
    view: Any                 # the tensor (view) the kernel writes
    ref: Any                  # the expected values (compared in float64, or bitwise if exact)
    base: Any = None          # contiguous buffer holding `view`; the rest of it must stay poisoned
    exact: bool = False
    rtol: float = 1e-6
    zero: bool = False        # the view starts zeroed (the kernel accumulates into it)


@dataclass
class Launch:
    grid: tuple
    args: list
    outs: list


@dataclass
class Case:
    name: str                 # label prefix
    binary: str               # corpus NAME: DIR/NAME.json
    kernel: str               # kernel name inside the metadata
    variants: list            # list of dicts, each passed to setup
    setup: Callable           # (variant, constexprs) -> Launch


# ---------------------------------------------------------------------------------------------
# Helpers for setup functions
# ---------------------------------------------------------------------------------------------
def randn(*shape, dtype=None):
    t = torch.randn(*shape, device=DEVICE)
    return t if dtype is None else t.to(dtype)


def guarded(shape, dtype, pad):
    """An uninitialised view of `shape` at the start of a larger contiguous buffer (shape + pad)."""
    base = torch.empty([s + p for s, p in zip(shape, pad)], dtype=dtype, device=DEVICE)
    return base[tuple(slice(0, s) for s in shape)], base


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------
SIZES_1D = [{"n": n} for n in (1, 1000, 4097, 98432, (1 << 20) + 3)]
SIZES_1D_DIV16 = [{"n": n} for n in (16, 1008, 4112, 98432, (1 << 20) + 16)]


def setup_vector_add(v, cx):
    n = v["n"]
    x, y = randn(n), randn(n)
    out, base = guarded((n,), torch.float32, pad=(4096,))
    return Launch(grid=(cdiv(n, cx["BLOCK_SIZE"]),), args=[x, y, out, n],
                  outs=[Out(out, x.double() + y.double(), base, rtol=1e-6)])


def setup_copy2d(v, cx):
    # Row pads of 16 elements keep every stride divisible by 16: the vectorized versions of the
    # alignment-versioned build run (the unit stride along rows, or along columns: srcT, dstT).
    M, N, layout = v["M"], v["N"], v["layout"]
    pad = 16 if v.get("pad16") else None
    if layout == "srcT":                       # transposed view: strides (1, M)
        src = randn(N, M).t()
    elif layout == "src_step2":                # every other column: strides (2N, 2)
        src = randn(M, 2 * N)[:, ::2]
    else:
        src = randn(M, N)
    if layout == "dstT":                       # the destination is a transposed view too
        dstT, base = guarded((N, M), torch.float32, pad=(13, pad or 3))
        dst = dstT.t()
    else:                                      # rows padded: stride_dm = N + 13
        dst, base = guarded((M, N), torch.float32, pad=(3, pad or 13))
    return Launch(grid=(cdiv(M, cx["BLOCK_M"]), cdiv(N, cx["BLOCK_N"])),
                  args=[src, dst, M, N, *src.stride(), *dst.stride()],
                  outs=[Out(dst, src.clone(), base, exact=True)])


def setup_fused(v, cx):
    n = v["n"]
    x, y = randn(n, dtype=torch.float16), 2 * randn(n)
    alpha = torch.empty((), dtype=torch.float32).uniform_(0.5, 2.0).item()  # exactly an fp32
    out, base = guarded((n,), torch.float32, pad=(4096,))
    xd, yd = x.double(), y.double()
    ref = torch.where(xd > 0, torch.exp(xd) * alpha, torch.sqrt(yd.abs())) + torch.maximum(xd, yd)
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, y, out, n, alpha],
                  outs=[Out(out, ref, base, rtol=1e-5)])


# ---- dots: references in float64 from the kernel's own (rounded) inputs; tolerances allow for
# fp32 accumulation in another order (and tf32's 10-bit mantissa, fp16 accumulation).
def setup_matmul(dtype, out_dtype, rtol, precision=None, bias=False):
    def setup(v, cx):
        M, N, K = v["M"], v["N"], v["K"]
        if dtype == torch.int8:
            a = torch.randint(-128, 128, (M, K), dtype=torch.int8, device=DEVICE)
            b = torch.randint(-128, 128, (K, N), dtype=torch.int8, device=DEVICE)
        else:
            a, b = randn(M, K, dtype=dtype), randn(K, N, dtype=dtype)
        if v.get("bT"):                        # B given as a transposed view: strides (1, K)
            b = b.t().contiguous().t()
        c, base = guarded((M, N), out_dtype, pad=(3, 13))
        ad, bd = a.double(), b.double()
        if precision == "tf32":                # the tensor cores read 10 mantissa bits
            ad = (a.view(torch.int32) & ~0x1FFF).view(torch.float32).double()
            bd = (b.view(torch.int32) & ~0x1FFF).view(torch.float32).double()
        ref = ad @ bd
        args = [a, b]
        if bias:
            bvec = randn(N, dtype=dtype)
            ref = ref + bvec.double()[None, :]
            ref = torch.where(ref > 0, ref, 0.01 * ref)
            args.append(bvec)
        grid = (cdiv(M, cx["BLOCK_M"]) * cdiv(N, cx["BLOCK_N"]),)
        exact = dtype == torch.int8
        if exact:
            ref = ref.to(torch.int64).to(torch.int32)
        return Launch(grid=grid, args=args + [c, M, N, K, *a.stride(), *b.stride(), *c.stride()],
                      outs=[Out(c, ref, base, exact=exact, rtol=rtol)])
    return setup


def setup_bmm(v, cx):
    Z, M, N, K = v["Z"], v["M"], v["N"], v["K"]
    a, b = randn(Z, M, K, dtype=torch.float16), randn(Z, K, N, dtype=torch.float16)
    c, base = guarded((Z, M, N), torch.float32, pad=(1, 3, 5))
    grid = (cdiv(M, cx["BLOCK_M"]) * cdiv(N, cx["BLOCK_N"]), Z)
    return Launch(grid=grid, args=[a, b, c, M, N, K, *a.stride(), *b.stride(), *c.stride()],
                  outs=[Out(c, a.double() @ b.double(), base, rtol=1e-5)])


def setup_splitk(v, cx):
    M, N, K = v["M"], v["N"], v["K"]
    a, b = randn(M, K, dtype=torch.float16), randn(K, N, dtype=torch.float16)
    c, base = guarded((M, N), torch.float32, pad=(3, 13))
    grid = (cdiv(M, cx["BLOCK_M"]) * cdiv(N, cx["BLOCK_N"]), cx["SPLIT_K"])
    return Launch(grid=grid, args=[a, b, c, M, N, K, *a.stride(), *b.stride(), *c.stride()],
                  outs=[Out(c, a.double() @ b.double(), base, rtol=1e-5, zero=True)])


def setup_dot3d(v, cx):
    a, b = randn(2, 16, 32, dtype=torch.float16), randn(2, 32, 16, dtype=torch.float16)
    c, base = guarded((2, 16, 16), torch.float32, pad=(1, 0, 0))
    return Launch(grid=(1,), args=[a, b, c], outs=[Out(c, a.double() @ b.double(), base, rtol=1e-5)])


def setup_dot_fp8(dtype, dtype_b=None):
    def setup(v, cx):
        a, b = randn(64, 32, dtype=getattr(torch, dtype)), randn(32, 64, dtype=getattr(torch, dtype_b or dtype))
        c, base = guarded((64, 64), torch.float32, pad=(2, 0))
        # fp8 products are exact in fp32; the fp32 sum of 32 of them stays within 1e-6.
        return Launch(grid=(1,), args=[a, b, c], outs=[Out(c, a.double() @ b.double(), base, rtol=1e-5)])
    return setup


def setup_attention(v, cx):
    Z, H, N, D = v["Z"], v["H"], v["N"], cx["HEAD_DIM"]
    q, k, vv = (randn(Z, H, N, D, dtype=torch.float16) for _ in range(3))
    o, base = guarded((Z, H, N, D), torch.float16, pad=(1, 0, 0, 0))
    scale = 1.0 / D ** 0.5
    ref = torch.nn.functional.scaled_dot_product_attention(
        q.double(), k.double(), vv.double(), is_causal=bool(cx["CAUSAL"]), scale=scale)
    return Launch(grid=(cdiv(N, cx["BLOCK_M"]), Z * H), args=[q, k, vv, o, N, scale],
                  outs=[Out(o, ref, base, rtol=2e-3)])


MATMUL_SIZES = [{"M": m, "N": n, "K": k} for m, n, k in
                ((16, 16, 16), (100, 70, 33), (128, 128, 64), (257, 129, 200), (512, 384, 1000))]
MATMUL_CASES = [
    # (kernel, dtype, out dtype, rtol, precision)
    ("matmul_f16", "float16", "float16", 2e-3, None),
    ("matmul_f16_acc16", "float16", "float16", 5e-3, None),
    ("matmul_bf16", "bfloat16", "float32", 1e-5, None),
    ("matmul_tf32", "float32", "float32", 1e-5, "tf32"),
    ("matmul_f32_ieee", "float32", "float32", 1e-6, None),
    ("matmul_f32_tf32x3", "float32", "float32", 1e-6, None),
    ("matmul_i8", "int8", "int32", 0, None),
]


def dot_cases():
    cases = []
    for binary in ("matmul", "matmul_small"):
        for kern, dt, odt, rtol, prec in MATMUL_CASES:
            cases.append(Case(f"{binary}.{kern}", binary, kern, MATMUL_SIZES + [
                {"M": 100, "N": 70, "K": 33, "bT": True}],
                lambda v, cx, dt=dt, odt=odt, rtol=rtol, prec=prec: setup_matmul(
                    getattr(torch, dt), getattr(torch, odt), rtol, prec)(v, cx)))
        cases.append(Case(f"{binary}.matmul_bias_act", binary, "matmul_bias_act", MATMUL_SIZES,
                          lambda v, cx: setup_matmul(torch.float16, torch.float16, 2e-3,
                                                     bias=True)(v, cx)))
    cases += [
        Case("bmm", "matmul_batched", "bmm_kernel",
             [{"Z": z, "M": m, "N": n, "K": k} for z, m, n, k in ((1, 64, 64, 32), (3, 100, 70, 33),
                                                                  (5, 257, 129, 200))], setup_bmm),
        Case("splitk", "matmul_batched", "splitk_kernel",
             [{"M": m, "N": n, "K": k} for m, n, k in ((64, 64, 32), (100, 70, 333), (257, 129, 1000))],
             setup_splitk),
        Case("dot3d", "matmul_batched", "dot3d_kernel", [{}], setup_dot3d),
        Case("dot_fp8.e4m3", "dot_fp8", "dot_fp8", [{}], setup_dot_fp8("float8_e4m3fn")),
        Case("dot_fp8.e5m2", "dot_fp8", "dot_fp8e5", [{}], setup_dot_fp8("float8_e5m2")),
        Case("dot_fp8.e4m3xe5m2", "dot_fp8", "dot_fp8_mixed", [{}],
             setup_dot_fp8("float8_e4m3fn", "float8_e5m2")),
    ]
    for binary in ("attention_d64", "attention_d64_causal", "attention_d128", "attention_d128_causal"):
        cases.append(Case(binary, binary, "attn_fwd",
                          [{"Z": z, "H": h, "N": n} for z, h, n in ((1, 1, 128), (2, 3, 200), (1, 2, 1000))],
                          setup_attention))
    return cases


def segmented_scan(x, block, reverse, op="sum"):
    """Reference scans of consecutive `block`-element segments of a 1-D float64 tensor."""
    n = x.numel()
    fill = {"sum": 0.0, "prod": 1.0, "max": float("-inf")}[op]
    pad = torch.full((cdiv(n, block) * block,), fill, dtype=x.dtype, device=x.device)
    pad[:n] = x
    seg = pad.view(-1, block)
    if reverse:
        seg = seg.flip(1)
    r = {"sum": lambda t: t.cumsum(1), "prod": lambda t: t.cumprod(1),
         "max": lambda t: t.cummax(1).values}[op](seg)
    if reverse:
        r = r.flip(1)
    return r.reshape(-1)[:n]


def setup_cumsum_1d(v, cx):
    n = v["n"]
    x = randn(n)
    out, base = guarded((n,), torch.float32, pad=(1000,))
    ref = segmented_scan(x.double(), cx["BLOCK"], bool(cx["REVERSE"]))
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, out, n], outs=[Out(out, ref, base, rtol=1e-5)])


def setup_cumsum_rows(v, cx):
    M, N = v["M"], min(v["N"], cx["BLOCK_N"])
    x = randn(M, N)
    out, base = guarded((M, N), torch.float32, pad=(3, 5))       # rows padded: stride N + 5
    xd = x.double()
    ref = xd.flip(1).cumsum(1).flip(1) if cx["REVERSE"] else xd.cumsum(1)
    return Launch(grid=(cdiv(M, cx["BLOCK_M"]),), args=[x, out, M, N, x.stride(0), out.stride(0)],
                  outs=[Out(out, ref, base, rtol=1e-5)])


def setup_cumprod_cols(v, cx):
    M, N = min(v["M"], cx["BLOCK_M"]), v["N"]
    x = torch.empty(M, N, device=DEVICE).uniform_(0.9, 1.1)
    out, base = guarded((M, N), torch.float32, pad=(2, 7))
    return Launch(grid=(cdiv(N, cx["BLOCK_N"]),), args=[x, out, M, N, x.stride(0), out.stride(0)],
                  outs=[Out(out, x.double().cumprod(0), base, rtol=1e-4)])


def setup_cumsum_i32_reverse(v, cx):
    n = v["n"]
    x = torch.randint(-1000, 1000, (n,), dtype=torch.int32, device=DEVICE)
    out, base = guarded((n,), torch.int32, pad=(1000,))
    ref = segmented_scan(x.double(), cx["BLOCK"], True).to(torch.int32)
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, out, n], outs=[Out(out, ref, base, exact=True)])


def setup_cummax(v, cx):
    n = v["n"]
    x = randn(n)
    out, base = guarded((n,), torch.float32, pad=(1000,))
    ref = segmented_scan(x.double(), cx["BLOCK"], False, "max")
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, out, n], outs=[Out(out, ref, base, exact=True)])


def setup_linear_recurrence(v, cx):
    n = min(v["n"], cx["BLOCK"])
    a = torch.empty(n, device=DEVICE).uniform_(0.5, 1.0)
    b = randn(n)
    out, base = guarded((n,), torch.float32, pad=(100,))
    ad, bd, h, ref = a.double().cpu(), b.double().cpu(), 0.0, []
    for i in range(n):                         # h[i] = a[i] h[i-1] + b[i], sequentially
        h = float(ad[i]) * h + float(bd[i])
        ref.append(h)
    return Launch(grid=(1,), args=[a, b, out, n],
                  outs=[Out(out, torch.tensor(ref, dtype=torch.float64, device=DEVICE), base, rtol=1e-4)])


def setup_print_assert(v, cx):
    n = v["n"]
    x = randn(n)
    out, base = guarded((n,), torch.float32, pad=(64,))
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, out, n],
                  outs=[Out(out, 2 * x.double(), base, exact=True)])


def setup_histogram(v, cx):
    n, bins = min(v["n"], cx["BLOCK"]), cx["BINS"]
    x = torch.randint(-3, bins + 3, (n,), dtype=torch.int32, device=DEVICE)  # some out of range
    out, base = guarded((bins,), torch.int32, pad=(64,))
    inside = x[(x >= 0) & (x < bins)].long()
    ref = torch.bincount(inside, minlength=bins).to(torch.int32)
    return Launch(grid=(1,), args=[x, out, n], outs=[Out(out, ref, base, exact=True)])


# ---- shape builtins (tests/kernels/shape_ops.tt): flat outputs, each in a poisoned buffer
def padded(x, shape):
    """x zero-padded (at the end of each dim) to `shape`."""
    out = torch.zeros(shape, dtype=x.dtype, device=x.device)
    out[tuple(slice(0, s) for s in x.shape)] = x
    return out


def setup_trans(v, cx):
    M, N = v["M"], v["N"]
    x = randn(M, N)
    y, base = guarded((N * M,), torch.float32, pad=(333,))
    return Launch(grid=(cdiv(M, cx["BLOCK_M"]), cdiv(N, cx["BLOCK_N"])), args=[x, y, M, N],
                  outs=[Out(y, x.t().reshape(-1), base, exact=True)])


def setup_permute(v, cx):
    n, A, B, C = v["n"], cx["A"], cx["B"], cx["C"]
    blk = A * B * C
    x = randn(n)
    y, base = guarded((n,), torch.float32, pad=(333,))
    ref = padded(x, (cdiv(n, blk) * blk,)).view(-1, A, B, C).permute(0, 3, 1, 2).reshape(-1)[:n]
    return Launch(grid=(cdiv(n, blk),), args=[x, y, n], outs=[Out(y, ref, base, exact=True)])


def setup_reshape(v, cx):
    n, B, C = v["n"], cx["BLOCK"], cx["COLS"]
    x = randn(n)
    y, ybase = guarded((n,), torch.float32, pad=(333,))
    rows = cdiv(n, C)
    s, sbase = guarded((rows,), torch.float32, pad=(33,))
    xp = padded(x.double(), (rows * C,)).view(rows, C)
    cols = torch.arange(C, device=DEVICE, dtype=torch.float64) + 1
    return Launch(grid=(cdiv(n, B),), args=[x, y, s, n],
                  outs=[Out(y, (xp * cols).reshape(-1)[:n], ybase, rtol=1e-6),
                        Out(s, xp.sum(1), sbase, rtol=1e-5)])


def setup_join_split(v, cx):
    n = v["n"]
    a, b, p = randn(n), randn(n), randn(n, 2)
    j, jbase = guarded((2 * n,), torch.float32, pad=(64,))
    d, dbase = guarded((n,), torch.float32, pad=(64,))
    i, ibase = guarded((2 * n,), torch.float32, pad=(64,))
    ab = torch.stack([a, b], dim=1).reshape(-1)
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[a, b, p, j, d, i, n],
                  outs=[Out(j, ab, jbase, exact=True), Out(d, p[:, 0] - p[:, 1], dbase, exact=True),
                        Out(i, ab, ibase, exact=True)])


def setup_cat(v, cx):
    n, B = v["n"], cx["BLOCK"]
    a, b = randn(n), randn(n)
    blocks = cdiv(n, B)
    c, base = guarded((2 * B * blocks,), torch.float32, pad=(64,))
    ap, bp = padded(a, (blocks * B,)).view(blocks, B), padded(b, (blocks * B,)).view(blocks, B)
    return Launch(grid=(blocks,), args=[a, b, c, n],
                  outs=[Out(c, torch.cat([ap, bp], dim=1).reshape(-1), base, exact=True)])


def setup_sort_rows(v, cx):
    M, N = v["M"], min(v["N"], cx["BLOCK_N"])
    x = randn(M, N)
    y, base = guarded((M * N,), torch.float32, pad=(99,))
    ref = torch.sort(x, dim=1, descending=bool(cx["DESCENDING"])).values.reshape(-1)
    return Launch(grid=(cdiv(M, cx["BLOCK_M"]),), args=[x, y, M, N],
                  outs=[Out(y, ref, base, exact=True)])


def setup_sort_i32(v, cx):
    n = min(v["n"], cx["BLOCK"])
    x = torch.randint(-(1 << 31), (1 << 31) - 1, (n,), dtype=torch.int32, device=DEVICE)
    x[: n // 3] = x[n // 2: n // 2 + n // 3].clone()      # duplicates
    y, base = guarded((n,), torch.int32, pad=(99,))
    ref = torch.sort(x, descending=bool(cx["DESCENDING"])).values
    return Launch(grid=(1,), args=[x, y, n], outs=[Out(y, ref, base, exact=True)])


def setup_flip(v, cx):
    M, N, BM, BN = v["M"], v["N"], cx["BLOCK_M"], cx["BLOCK_N"]
    x = randn(M, N)
    r, rbase = guarded((M * N,), torch.float32, pad=(99,))
    c, cbase = guarded((M * N,), torch.float32, pad=(99,))
    TM, TN = cdiv(M, BM), cdiv(N, BN)
    tiles = padded(x, (TM * BM, TN * BN)).view(TM, BM, TN, BN)
    back = lambda t: t.reshape(TM * BM, TN * BN)[:M, :N].reshape(-1)  # noqa: E731
    return Launch(grid=(TM, TN), args=[x, r, c, M, N],
                  outs=[Out(r, back(tiles.flip(3)), rbase, exact=True),
                        Out(c, back(tiles.flip(1)), cbase, exact=True)])


def setup_gather(v, cx):
    M, N, K = v["M"], cx["N"], cx["K"]
    src = randn(M, N)
    idx = torch.randint(0, N, (M, K), dtype=torch.int32, device=DEVICE)
    out, base = guarded((M * K,), torch.float32, pad=(99,))
    ref = torch.gather(src, 1, idx.long()).reshape(-1)
    return Launch(grid=(cdiv(M, cx["BLOCK_M"]),), args=[src, idx, out, M],
                  outs=[Out(out, ref, base, exact=True)])


def setup_dot_trans(v, cx):
    M, N, K = v["M"], v["N"], v["K"]
    a, b = randn(M, K, dtype=torch.float16), randn(N, K, dtype=torch.float16)
    c, base = guarded((M * N,), torch.float32, pad=(99,))
    ref = (a.double() @ b.double().t()).reshape(-1)
    return Launch(grid=(cdiv(M, cx["DOT_M"]), cdiv(N, cx["DOT_N"])), args=[a, b, c, M, N, K],
                  outs=[Out(c, ref, base, rtol=1e-5)])


def setup_copy_i64(v, cx):
    n = v["n"]
    x = torch.randint(-128, 128, (n,), dtype=torch.int8, device=DEVICE)
    y, base = guarded((n,), torch.int8, pad=(4096,))
    ref = (x.to(torch.int16) + 1).to(torch.int8)       # wraps as the kernel's i8 add does
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, y, n], outs=[Out(y, ref, base, exact=True)])


SHAPE_2D = [{"M": m, "N": n} for m, n in ((1, 1), (7, 20), (33, 65), (100, 257))]
SHAPE_1D = [{"n": n} for n in (1, 100, 1000, 4097)]
SORT_ROWS = [{"M": m, "N": n} for m, n in ((1, 1), (5, 100), (9, 256), (3, 1024))]
SORT_1D = [{"n": n} for n in (1, 77, 1000, 1024)]
DOT_TRANS = [{"M": m, "N": n, "K": k} for m, n, k in ((1, 1, 1), (70, 33, 100), (200, 129, 64))]
GATHER_ROWS = [{"M": m} for m in (1, 7, 100)]


def shape_cases():
    cases = []
    for binary in ("shape_ops", "shape_ops_desc", "shape_ops_w8", "shape_ops_wide"):
        cases += [
            Case(binary + ".trans", binary, "trans_kernel", SHAPE_2D, setup_trans),
            Case(binary + ".permute", binary, "permute_kernel", SHAPE_1D, setup_permute),
            Case(binary + ".reshape", binary, "reshape_kernel", SHAPE_1D, setup_reshape),
            Case(binary + ".join_split", binary, "join_split_kernel", SHAPE_1D, setup_join_split),
            Case(binary + ".join_split_aligned", binary, "join_split_aligned_kernel", SHAPE_1D,
                 setup_join_split),
            Case(binary + ".cat", binary, "cat_kernel", SHAPE_1D, setup_cat),
            Case(binary + ".sort_rows", binary, "sort_rows_kernel", SORT_ROWS, setup_sort_rows),
            Case(binary + ".sort_i32", binary, "sort_i32_kernel", SORT_1D, setup_sort_i32),
            Case(binary + ".flip", binary, "flip_kernel", SHAPE_2D, setup_flip),
            Case(binary + ".gather", binary, "gather_kernel", GATHER_ROWS, setup_gather),
            Case(binary + ".dot_trans", binary, "dot_trans_kernel", DOT_TRANS, setup_dot_trans),
        ]
    return cases


# ---- memory-bound workloads (tests/kernels/workloads/): rows padded so strides are not the width
def setup_softmax(v, cx):
    M, N = v["M"], min(v["N"], cx["BLOCK"])
    x = randn(M, N + 3)[:, :N]
    out, base = guarded((M, N), torch.float32, pad=(2, 5))
    return Launch(grid=(M,), args=[out, x, x.stride(0), out.stride(0), N],
                  outs=[Out(out, torch.softmax(x.double(), dim=1), base, rtol=1e-5)])


def setup_layernorm(v, cx):
    M, N = v["M"], v["N"]
    x = randn(M, N, dtype=torch.float16)
    w, b = randn(N, dtype=torch.float16), randn(N, dtype=torch.float16)
    y, base = guarded((M, N), torch.float16, pad=(0, 0))
    mean, mbase = guarded((M,), torch.float32, pad=(7,))
    rstd, rbase = guarded((M,), torch.float32, pad=(7,))
    xd = x.double()
    mu, var = xd.mean(1), xd.var(1, unbiased=False)
    ref = (xd - mu[:, None]) / torch.sqrt(var[:, None] + 1e-5) * w.double() + b.double()
    return Launch(grid=(M,), args=[x, y, w, b, mean, rstd, x.stride(0), N, 1e-5],
                  outs=[Out(y, ref, base, rtol=2e-3), Out(mean, mu, mbase, rtol=1e-5),
                        Out(rstd, 1 / torch.sqrt(var + 1e-5), rbase, rtol=1e-5)])


def setup_rmsnorm(v, cx):
    M, N = v["M"], min(v["N"], cx["BLOCK"])
    x, w = randn(M, N, dtype=torch.float16), randn(N, dtype=torch.float16)
    y, base = guarded((M, N), torch.float16, pad=(0, 0))
    xd = x.double()
    ref = xd / torch.sqrt((xd * xd).mean(1, keepdim=True) + 1e-6) * w.double()
    return Launch(grid=(M,), args=[x, w, y, x.stride(0), N, 1e-6],
                  outs=[Out(y, ref, base, rtol=2e-3)])


def setup_cross_entropy(v, cx):
    M, N = v["M"], v["N"]
    logits = 3 * randn(M, N)
    targets = torch.randint(0, N, (M,), device=DEVICE)
    loss, base = guarded((M,), torch.float32, pad=(9,))
    ref = torch.nn.functional.cross_entropy(logits.double(), targets, reduction="none")
    return Launch(grid=(M,), args=[logits, targets, loss, logits.stride(0), N],
                  outs=[Out(loss, ref, base, rtol=1e-5)])


def setup_dropout(v, cx):
    n, p = v["n"], 0.3
    x = randn(n)
    out, base = guarded((n,), torch.float32, pad=(1000,))
    # The bits come from Philox: checked here for the kept fraction and the scale only; the
    # benchmark compares them bitwise with Triton's build of the same source.
    return Launch(grid=(cdiv(n, cx["BLOCK"]),), args=[x, out, n, p, 1234],
                  outs=[Out(out, None, base)])


def setup_cumsum_rows_wl(v, cx):
    M, N = v["M"], min(v["N"], cx["BLOCK"])
    x = randn(M, N + 3)[:, :N]                                   # rows padded: stride N + 3
    y, base = guarded((M, N), torch.float32, pad=(2, 5))
    return Launch(grid=(M,), args=[x, y, x.stride(0), y.stride(0), N],
                  outs=[Out(y, x.double().cumsum(1), base, rtol=1e-5)])


def setup_transpose(v, cx):
    M, N = v["M"], v["N"]
    x = randn(M, N + 3)[:, :N]                                   # rows padded: stride N + 3
    y, base = guarded((N, M), torch.float32, pad=(3, 5))         # y rows: stride M + 5
    return Launch(grid=(cdiv(M, cx["BLOCK_M"]), cdiv(N, cx["BLOCK_N"])),
                  args=[x, y, M, N, x.stride(0), y.stride(0)],
                  outs=[Out(y, x.t().clone(), base, exact=True)])


SCAN_SIZES_1D = [{"n": n} for n in (1, 1000, 4097, 98431)]
SCAN_ROWS = [{"M": m, "N": n} for m, n in ((1, 1), (5, 63), (37, 300), (130, 512))]
SCAN_COLS = [{"M": m, "N": n} for m, n in ((1, 1), (100, 13), (256, 70))]
SCAN_RECUR = [{"n": n} for n in (1, 777, 1024)]

CASES = [
    Case("vector_add", "vector_add", "add_kernel", SIZES_1D, setup_vector_add),
    Case("copy2d", "copy2d", "copy2d_kernel",
         [{"M": m, "N": n, "layout": lay} for lay in ("contig", "srcT", "src_step2", "dstT")
          for m, n in ((1, 1), (31, 65), (100, 257), (1000, 999), (2049, 130))]
         + [{"M": m, "N": n, "layout": lay, "pad16": True} for lay in ("contig", "srcT", "dstT")
            for m, n in ((48, 80), (256, 192))], setup_copy2d),
    Case("fused_elementwise", "fused_elementwise", "fused_kernel", SIZES_1D, setup_fused),
    # Sources that promise n % 16 == 0 (the specialization Triton makes at launch): sizes obey it.
    Case("vector_add_n16", "vector_add_n16", "add_kernel", SIZES_1D_DIV16, setup_vector_add),
    Case("fused_n16", "fused_n16", "fused_kernel", SIZES_1D_DIV16, setup_fused),
    # Scans: each output poisoned, sizes not multiples of the blocks.
    Case("cumsum_1d", "scans", "cumsum_1d_kernel", SCAN_SIZES_1D, setup_cumsum_1d),
    Case("cumsum_1d_rev", "scans_rev", "cumsum_1d_kernel", SCAN_SIZES_1D, setup_cumsum_1d),
    Case("cumsum_rows", "scans", "cumsum_rows_kernel", SCAN_ROWS, setup_cumsum_rows),
    Case("cumsum_rows_rev", "scans_rev", "cumsum_rows_kernel", SCAN_ROWS, setup_cumsum_rows),
    Case("cumsum_rows_w8", "scans_w8", "cumsum_rows_kernel", SCAN_ROWS, setup_cumsum_rows),
    Case("cumprod_cols", "scans", "cumprod_cols_kernel", SCAN_COLS, setup_cumprod_cols),
    Case("cumprod_cols_w8", "scans_w8", "cumprod_cols_kernel", SCAN_COLS, setup_cumprod_cols),
    Case("cumsum_i32_rev", "scans", "cumsum_i32_reverse_kernel", SCAN_SIZES_1D, setup_cumsum_i32_reverse),
    Case("cummax", "scans", "cummax_kernel", SCAN_SIZES_1D, setup_cummax),
    Case("cummax_w8", "scans_w8", "cummax_kernel", SCAN_SIZES_1D, setup_cummax),
    Case("linear_recurrence", "scans", "linear_recurrence_kernel", SCAN_RECUR, setup_linear_recurrence),
    Case("linear_recurrence_w8", "scans_w8", "linear_recurrence_kernel", SCAN_RECUR,
         setup_linear_recurrence),
    Case("histogram", "histogram", "histogram_kernel", [{"n": n} for n in (1, 700, 1024)],
         setup_histogram),
    Case("histogram_512_w8", "histogram_512_w8", "histogram_kernel",
         [{"n": n} for n in (1, 1000, 1024)], setup_histogram),
    # device_print and device_assert (which must not fire): y = 2x; the lines go to the output.
    Case("print_assert", "debug_print", "print_assert_kernel", [{"n": n} for n in (1, 13)],
         setup_print_assert),
    # 64-bit offsets: past 2^31 bytes (the program id is cast to int64 in the kernel).
    Case("copy_i64", "copy_i64", "copy_i64_kernel", [{"n": n} for n in (1000, (1 << 31) + 1000)],
         setup_copy_i64),
    # Memory-bound workloads: sizes not multiples of the block, padded rows.
    Case("softmax_4096", "softmax_4096", "softmax_kernel",
         [{"M": m, "N": n} for m, n in ((1, 1), (7, 1000), (130, 4096))], setup_softmax),
    Case("softmax_1024", "softmax_1024", "softmax_kernel",
         [{"M": m, "N": n} for m, n in ((3, 17), (1000, 1024))], setup_softmax),
    Case("layernorm", "layernorm_4096", "layernorm_fwd_kernel",
         [{"M": m, "N": n} for m, n in ((1, 1), (5, 1000), (64, 4096), (3, 10000))], setup_layernorm),
    Case("rmsnorm", "rmsnorm_4096", "rmsnorm_kernel",
         [{"M": m, "N": n} for m, n in ((1, 1), (9, 3000), (64, 4096))], setup_rmsnorm),
    Case("cross_entropy", "cross_entropy", "cross_entropy_fwd_kernel",
         [{"M": m, "N": n} for m, n in ((1, 1), (4, 1000), (16, 32768), (3, 40001))], setup_cross_entropy),
    Case("dropout", "dropout", "dropout_kernel", [{"n": n} for n in (1, 1000, 98437)], setup_dropout),
    Case("cumsum_rows_4096", "cumsum_rows_4096", "cumsum_rows_kernel",
         [{"M": m, "N": n} for m, n in ((1, 1), (5, 1000), (64, 4096), (3, 4093))], setup_cumsum_rows_wl),
    Case("transpose", "transpose", "transpose_kernel",
         [{"M": m, "N": n} for m, n in ((1, 1), (31, 65), (100, 257), (1000, 999), (64, 4096))],
         setup_transpose),
] + dot_cases() + shape_cases()


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------
def bits(t):
    """Reinterpret as same-width integers (bitwise compare, NaN-safe)."""
    return t.view({1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}[t.element_size()])


def poison(t):
    if t.is_floating_point() and t.element_size() >= 2:
        t.fill_(float("nan"))
    else:  # ints, bools, fp8 (0x7f is NaN in both fp8 formats)
        bits(t).fill_(int.from_bytes(b"\x7f" * t.element_size(), "little", signed=True))


def compare(o):
    """(ok, text) for one output."""
    out = o.view
    if o.ref is None:                          # values checked by the case (check_dropout)
        ok, text = True, "values: see below"
    elif o.exact:
        bad = int((bits(out) != bits(o.ref.to(out.dtype))).sum())
        ok, text = bad == 0, f"mismatches={bad}/{out.numel()}"
    else:
        a, r = out.double(), o.ref.double()
        fin = torch.isfinite(a) & torch.isfinite(r)
        nonfinite_bad = int((~fin & ~((a == r) | (torch.isnan(a) & torch.isnan(r)))).sum())
        d = torch.where(fin, a - r, 0.0)
        num = float(torch.linalg.vector_norm(d))
        den = float(torch.linalg.vector_norm(torch.where(fin, r, 0.0)))
        rel = num / den if den > 0 else num
        maxabs = float(d.abs().max()) if d.numel() else 0.0
        ok = nonfinite_bad == 0 and rel <= o.rtol
        text = f"rel_err={rel:.2e} max_abs={maxabs:.2e} (rtol {o.rtol:.0e})"
        if nonfinite_bad:
            text += f" nan/inf_mismatch={nonfinite_bad}/{out.numel()}"
    if o.base is not None:
        base = o.base
        assert base.is_contiguous(), "Out.base must be contiguous"
        cover = torch.zeros(base.numel(), dtype=torch.bool, device=base.device)
        cover.as_strided(out.shape, out.stride(), out.storage_offset() - base.storage_offset()).fill_(True)
        p = torch.empty(1, dtype=base.dtype, device=base.device)
        poison(p)
        clobbered = int((bits(base.reshape(-1))[~cover] != bits(p)).sum())
        if clobbered:
            ok, text = False, text + f" OUT-OF-BOUNDS writes={clobbered}"
    return ok, text


def check_dropout(launch):
    """Every element is 0 or x / (1 - p) (to 2 ulp), and the kept fraction is near 1 - p."""
    x, out, n, p = launch.args[0], launch.args[1], launch.args[2], launch.args[3]
    scaled = x.double() / (1 - p)
    kept = out != 0
    if bool(torch.isnan(out).any()):
        return False, "NaN (unwritten) elements"
    err = float(((out.double() - scaled).abs() / scaled.abs().clamp_min(1e-30))[kept].max()) if bool(kept.any()) else 0.0
    frac = float(kept.double().mean())
    ok = err <= 3e-7 and (n < 1000 or abs(frac - (1 - p)) < 0.05)
    return ok, f"kept={frac:.3f} (1-p={1 - p:.2f}) max_rel_err={err:.1e}"


def run_check(case, variant, kernel, seed):
    torch.manual_seed(seed)
    launch = case.setup(variant, kernel.constexprs)
    for o in launch.outs:
        poison(o.base if o.base is not None else o.view)
        if o.zero:
            o.view.zero_()
    torch.cuda.synchronize()
    kernel(launch.grid, *launch.args)
    torch.cuda.synchronize()
    results = [compare(o) for o in launch.outs]
    if case.setup is setup_dropout:
        results.append(check_dropout(launch))
    grid = tritonc.normalize_grid(launch.grid, kernel.constexprs)
    return all(ok for ok, _ in results), "; ".join(t for _, t in results) + f"  grid={grid}"


def context_ok():
    try:
        torch.cuda.synchronize()
        return torch.ones(1, device=DEVICE).add_(1).item() == 2.0
    except Exception:
        return False


def watchdog(seconds, lab, passed, failed, left):
    """Report a hung check and end the process (the main thread may be stuck in a device sync)."""
    def fire():
        print(f"FAIL {lab:<44} TIMEOUT: no result after {seconds} s (hung kernel?); "
              f"{left} later checks not run", flush=True)
        print(f"{passed} passed, {failed + 1 + left} failed", flush=True)
        os._exit(1)
    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()
    return t


def label(case, variant):
    return f"{case.name}[" + ",".join(f"{k}={v}" for k, v in variant.items()) + "]"


def corpus_names():
    names = []
    for line in (HERE / "corpus.txt").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names.append(line.split()[0])
    return names


def main():
    global torch
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=ROOT / ".gpu", help="folder of NAME.cubin + NAME.json")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB",
                    help="run checks whose label or case name matches (repeatable)")
    ap.add_argument("--seed", type=int, default=None, help="base seed (default: random, printed)")
    ap.add_argument("--list", action="store_true", help="list the check labels and exit")
    ap.add_argument("--timeout", type=float, default=60, help="seconds one check may take (default 60)")
    ap.add_argument("--start-at", type=int, default=0, help=argparse.SUPPRESS)  # used for recovery
    args = ap.parse_args()

    def selected(c, v):  # exact labels first: their brackets would read as a glob character class
        lab = label(c, v)
        return not args.only or any(g in (lab, c.name) or fnmatch.fnmatchcase(lab, g)
                                    or fnmatch.fnmatchcase(c.name, g) for g in args.only)
    checks = [(c, v) for c in CASES for v in c.variants if selected(c, v)]
    if args.list:
        print("\n".join(label(c, v) for c, v in checks))
        return 0
    if not checks:
        print(f"no checks match {args.only}\n0 passed, 1 failed")
        return 1

    import torch as _torch
    torch = _torch
    seed = args.seed if args.seed is not None else int.from_bytes(__import__("os").urandom(4), "little")
    if args.start_at == 0:
        try:
            via = tritonc.get_driver().name
        except Exception as e:  # every check will fail on it too, each with this message
            via = f"(driver init FAILED: {type(e).__name__}: {e})"
        print(f"GPU: {torch.cuda.get_device_name()}  torch {torch.__version__}  driver API via {via}")
        print(f"dir: {args.dir}  seed: {seed}  (reproduce one check: --seed {seed} --only 'LABEL')")
        used = {c.binary for c in CASES}
        for name in corpus_names():
            if name not in used:
                print(f"NOTE corpus entry '{name}' has no case in run_corpus.py (built, not run)")

    loaded = {}  # binary -> {name: Kernel} or the exception that loading raised
    passed = failed = 0
    for i in range(args.start_at, len(checks)):
        case, variant = checks[i]
        lab = label(case, variant)
        dog = watchdog(args.timeout, lab, passed, failed, len(checks) - i - 1)
        try:
            if case.binary not in loaded:
                try:
                    loaded[case.binary] = tritonc.load(args.dir / f"{case.binary}.json")
                except Exception as e:
                    loaded[case.binary] = e
            ks = loaded[case.binary]
            if isinstance(ks, Exception):
                raise RuntimeError(f"cannot load {case.binary}: {type(ks).__name__}: {ks}")
            if case.kernel not in ks:
                raise RuntimeError(f"{case.binary}.json has no kernel '{case.kernel}' (has {sorted(ks)})")
            ok, text = run_check(case, variant, ks[case.kernel], seed ^ zlib.crc32(lab.encode()))
        except Exception as e:
            ok, text = False, f"{type(e).__name__}: {e}".replace("\n", " ")[:400]
        dog.cancel()
        print(f"{'PASS' if ok else 'FAIL'} {lab:<44} {text}", flush=True)
        passed, failed = passed + ok, failed + (not ok)
        if not ok and i + 1 < len(checks) and not context_ok():
            print(f"NOTE the CUDA context is broken after {lab}; running the remaining checks in a new process",
                  flush=True)
            cmd = [sys.executable, __file__, "--dir", str(args.dir), "--seed", str(seed),
                   "--timeout", str(args.timeout), "--start-at", str(i + 1)] + [a for g in args.only for a in ("--only", g)]
            child = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
            tail = child.stdout.rstrip().splitlines()
            m = re.fullmatch(r"(\d+) passed, (\d+) failed", tail[-1]) if tail else None
            print("\n".join(tail[:-1] if m else tail), flush=True)
            if m:
                passed, failed = passed + int(m[1]), failed + int(m[2])
            else:
                print(f"FAIL recovery process exited {child.returncode} without a summary")
                failed += 1
            break
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
