"""Tensor-core workloads: tritonc against Triton (two modes) and cuBLAS / SDPA, in TFLOP/s.

    python3 bench/bench_dot.py --dir .gpu --out $OUT/dot.md [--triton-mode native|sm80|none]

Workloads (issue #14): fp16 matmul 4096^3 and 8192^3 (fp32 accumulation, fp16 out), attention
forward B=4 H=32 N=4096 D=64 and D=128 (not causal). For each, every corpus build whose name starts
with the workload's prefix (mm_ / attn64_ / attn128_: block configurations, each a -D build) is timed;
the table shows each and the best. Triton compiles the same .tt source (annotations stripped, by
bench_vs_triton.py) with the same constexprs, num_warps and num_stages:
  native  Triton as installed (on Hopper: wgmma);
  sm80    Triton planning for an A100 (mma.sync path) while ptxas still assembles for this GPU:
          get_current_target() says cuda 80, sm_arch_from_capability() says sm_90a, and the PTX's
          `.target sm_80a` is rewritten to `.target sm_80` before ptxas.
A mode runs in its own process (`--triton-mode`), since the sm80 patch is process-wide; the
default runs tritonc + references + native, then re-runs itself for sm80 and merges the rows.
Timing: triton.testing.do_bench (median), outputs checked against torch (rel. error).
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))
sys.path.insert(0, str(ROOT / "bench"))


def patch_triton_sm80():
    import triton
    from triton.backends.compiler import GPUTarget
    import triton.backends.nvidia.compiler as nvc
    drv = triton.runtime.driver.active
    drv.get_current_target = lambda: GPUTarget("cuda", 80, 32)
    nvc.sm_arch_from_capability = lambda capability: "sm_90a"
    orig = nvc.CUDABackend.make_cubin

    def make_cubin(self, src, *args, **kwargs):
        src = src.replace(".target sm_80a", ".target sm_80")
        return orig(self, src, *args, **kwargs)
    nvc.CUDABackend.make_cubin = make_cubin


WORKLOADS = [  # name, prefix of corpus builds, kind, sizes
    ("matmul 4096^3", "mm_", "mm", (4096, 4096, 4096)),
    ("matmul 8192^3", "mm_", "mm", (8192, 8192, 8192)),
    ("attention D=64", "attn64_", "attn", (4, 32, 4096, 64)),
    ("attention D=128", "attn128_", "attn", (4, 32, 4096, 128)),
]


def make_inputs(kind, size):
    import torch
    torch.manual_seed(0)
    if kind == "mm":
        M, N, K = size
        a = torch.randn(M, K, device="cuda", dtype=torch.float16)
        b = torch.randn(K, N, device="cuda", dtype=torch.float16)
        c = torch.empty(M, N, device="cuda", dtype=torch.float16)
        return dict(a=a, b=b, c=c, flops=2.0 * M * N * K, ref=lambda: a @ b)
    Z, H, N, D = size
    q, k, v = (torch.randn(Z, H, N, D, device="cuda", dtype=torch.float16) for _ in range(3))
    o = torch.empty_like(q)
    sdpa = torch.nn.functional.scaled_dot_product_attention
    return dict(q=q, k=k, v=v, o=o, flops=4.0 * Z * H * N * N * D, scale=D ** -0.5,
                ref=lambda: sdpa(q, k, v, scale=D ** -0.5))


def launch_args(kind, size, x, cx):
    if kind == "mm":
        M, N, K = size
        a, b, c = x["a"], x["b"], x["c"]
        grid = (-(-M // cx["BLOCK_M"]) * -(-N // cx["BLOCK_N"]),)
        return grid, [a, b, c, M, N, K, *a.stride(), *b.stride(), *c.stride()], c
    Z, H, N, D = size
    grid = (-(-N // cx["BLOCK_M"]), Z * H)
    return grid, [x["q"], x["k"], x["v"], x["o"], N, x["scale"]], x["o"]


def rel_err(out, ref):
    import torch
    o, r = out.double(), ref.double()
    return float(torch.linalg.vector_norm(o - r) / torch.linalg.vector_norm(r))


def corpus_builds(path):
    """(NAME, SOURCE, FLAGS) for each build line of a corpus file (tests/gpu/corpus.txt)."""
    rows = []
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, src, *flags = line.split()
            rows.append((name, src, flags))
    return rows


def flag_value(flags, name):
    """The value after `name` in a build's flags (`--maxnreg 128`), or None."""
    return flags[flags.index(name) + 1] if name in flags[:-1] else None


def run(args):
    import torch
    import triton
    import tritonc
    import bench_vs_triton as bvt
    if args.triton_mode == "sm80":
        patch_triton_sm80()
    rows = []
    builds = [(n, s, f) for n, s, f in corpus_builds(args.corpus)]
    work = Path(tempfile.mkdtemp(prefix="bench_dot_"))

    def bench(fn):
        fn()
        torch.cuda.synchronize()
        return triton.testing.do_bench(fn, warmup=args.warmup, rep=args.rep)

    for wname, prefix, kind, size in WORKLOADS:
        if args.only and not any(o in wname for o in args.only):
            continue
        x = make_inputs(kind, size)
        ref = x["ref"]()
        if args.triton_mode == "native":
            ms = bench(x["ref"])
            rows.append(dict(workload=wname, who="cuBLAS" if kind == "mm" else "SDPA (torch)",
                             config="", ms=ms, tflops=x["flops"] / ms / 1e9, err=0.0))
        for name, src, flags in builds:
            if not name.startswith(prefix):
                continue
            meta = json.loads((args.dir / f"{name}.json").read_text())
            km = meta["kernels"][0]
            cx = km["constexprs"]
            maxnreg = flag_value(flags, "--maxnreg")
            cfg = f"{name} w{km['num_warps']} s{km['num_stages']}" + (f" r{maxnreg}" if maxnreg else "")
            try:
                if args.triton_mode == "tritonc":
                    k = tritonc.load(args.dir / f"{name}.json")[km["name"]]
                    grid, largs, out = launch_args(kind, size, x, cx)
                    fn = lambda: k(grid, *largs)  # noqa: E731
                    regs = k.attributes().get("NUM_REGS", "?") if hasattr(k, "attributes") else "?"
                    who = "tritonc"
                else:
                    # The build's own source (the build list may name builds main's lacks).
                    bvt.convert_tree(ROOT / src, work / args.triton_mode / name)
                    mod = bvt.import_file(work / args.triton_mode / name / Path(src).with_suffix(".py").name,
                                          f"tt_{name}")
                    tk = getattr(mod, km["name"])
                    grid, largs, out = launch_args(kind, size, x, cx)
                    kw = dict(bvt.triton_constexprs(cx), num_warps=km["num_warps"],
                              num_stages=km["num_stages"])
                    if maxnreg:  # the same register cap (Triton's maxnreg option)
                        kw["maxnreg"] = int(maxnreg)
                    fn = lambda: tk[grid](*largs, **kw)  # noqa: E731
                    regs = ""
                    who = f"Triton ({'mma.sync, sm_80 plan' if args.triton_mode == 'sm80' else 'native'})"
                ms = bench(fn)
                err = rel_err(out, ref)
                rows.append(dict(workload=wname, who=who, config=cfg, ms=ms,
                                 tflops=x["flops"] / ms / 1e9, err=err, regs=regs))
            except Exception as e:  # one failing config must not hide the others
                rows.append(dict(workload=wname, who=args.triton_mode, config=cfg, ms=None,
                                 tflops=0.0, err=None, error=f"{type(e).__name__}: {e}"[:300]))
            print(json.dumps(rows[-1]), flush=True)
        del x
        torch.cuda.empty_cache()
    return rows


def table(rows):
    import torch
    lines = [f"GPU: {torch.cuda.get_device_name()}", "",
             "| workload | compiler | config | ms | TFLOP/s | rel. err vs torch |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        if r.get("ms") is None:
            lines.append(f"| {r['workload']} | {r['who']} | {r['config']} | error | | {r.get('error', '')} |")
        else:
            lines.append(f"| {r['workload']} | {r['who']} | {r['config']} | {r['ms']:.3f} | "
                         f"{r['tflops']:.1f} | {r['err']:.1e} |")
    lines += ["", "Best per workload and compiler:", "", "| workload | compiler | best TFLOP/s | config |",
              "| --- | --- | --- | --- |"]
    best = {}
    for r in rows:
        key = (r["workload"], r["who"])
        if r.get("ms") is not None and (key not in best or r["tflops"] > best[key]["tflops"]):
            best[key] = r
    for (w, who), r in best.items():
        lines.append(f"| {w} | {who} | {r['tflops']:.1f} | {r['config']} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=ROOT / ".gpu")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--corpus", type=Path, default=ROOT / "tests" / "gpu" / "corpus.txt",
                    help="the build list (default tests/gpu/corpus.txt)")
    ap.add_argument("--triton-mode", choices=["all", "tritonc", "native", "sm80"], default="all")
    ap.add_argument("--json", type=Path, help="(internal) write this mode's rows here")
    ap.add_argument("--warmup", type=float, default=25)
    ap.add_argument("--rep", type=float, default=100)
    args = ap.parse_args()
    if args.triton_mode != "all":
        rows = run(args)
        if args.json:
            args.json.write_text(json.dumps(rows))
        return 0
    rows = []
    for mode in ("tritonc", "native", "sm80"):
        tmp = Path(tempfile.mkstemp(suffix=".json")[1])
        cmd = [sys.executable, __file__, "--dir", str(args.dir), "--corpus", str(args.corpus),
               "--triton-mode", mode, "--json", str(tmp),
               "--warmup", str(args.warmup), "--rep", str(args.rep)] + [a for o in args.only for a in ("--only", o)]
        subprocess.run(cmd)
        try:
            rows += json.loads(tmp.read_text())
        except Exception as e:
            print(f"mode {mode}: no rows ({e})")
    rows.sort(key=lambda r: [w for w, *_ in WORKLOADS].index(r["workload"]))
    text = table(rows)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
