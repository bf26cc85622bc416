"""Time tritonc's cubins against Triton compiling the same .tt source, side by side on one GPU.

    python3 bench/bench_vs_triton.py --dir .gpu --out $OUT/results.md [--only NAME] [--cudagraph]
    python3 bench/bench_vs_triton.py --selftest      # no GPU, torch or triton needed

For each BENCH case: load DIR/NAME.json with the tritonc package (python/tritonc); turn the .tt source (path from
tests/gpu/corpus.txt) into a Triton module by stripping the parameter type annotations (keeping
`tl.constexpr` ones) and prepending the imports; launch both with the same inputs, constexprs,
num_warps and num_stages (from the metadata); check that their outputs agree; time each twice,
interleaved, with triton.testing.do_bench (median of `--rep` ms after `--warmup` ms; do_bench flushes
L2 between runs, and the inputs are far larger than L2 anyway). Triton's cold compile time is the
first call in a fresh TRITON_CACHE_DIR, after one trivial kernel has paid Triton's one-time setup.
A device-to-device copy gives the bandwidth ceiling. The markdown table goes to stdout and --out;
exit 1 if any case errored or the two compilers' outputs disagree.
"""
import argparse
import ast
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "python"))

HEADER = ("import triton; import triton.language as tl; from triton import jit; "
          "from triton.language import constexpr  # added by bench_vs_triton.py\n")


# ---------------------------------------------------------------------------------------------
# .tt -> Triton Python (pure text work; covered by --selftest)
# ---------------------------------------------------------------------------------------------
def _scan(text, start, stop_at_close):
    """Yield (index, char, depth) for code chars of text[start:], skipping strings and comments.
    Depth counts brackets opened after `start`. Stops after the bracket closing depth 0 if asked."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "'\"":
            q = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else c
            j = i + len(q)
            while j < n and text[j:j + len(q)] != q:
                j += 2 if text[j] == "\\" else 1
            i = j + len(q)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0 and stop_at_close:
                yield i, c, depth
                return
        yield i, c, depth
        i += 1


def _strip_param(piece):
    """`x: *fp32:16 = d  # c` -> `x = d  # c`; a parameter whose annotation says constexpr is kept."""
    colon = eq = None
    code_end = 0
    for i, c, depth in _scan(piece, 0, False):
        code_end = i + 1 if not c.isspace() else code_end
        if depth != 0:
            continue
        if c == ":" and colon is None and eq is None:
            colon = i
        elif c == "=" and eq is None and piece[i + 1:i + 2] != "=" and piece[i - 1:i] not in ("=", "!", "<", ">"):
            eq = i
    if colon is None:
        return piece
    ann = piece[colon + 1:eq if eq is not None else code_end]
    if "constexpr" in ann:
        return piece
    if eq is not None:
        return piece[:colon].rstrip() + " " + piece[eq:]
    return piece[:colon].rstrip() + piece[code_end:]


def strip_annotations(src):
    """Remove tritonc's parameter types (`*fp32`, `i32`, `fp16:16`, ...) from every def signature."""
    out, pos = [], 0
    for m in re.finditer(r"^[ \t]*def[ \t]+\w+[ \t]*\(", src, re.M):
        if m.start() < pos:  # inside a signature already rewritten
            continue
        open_paren = m.end() - 1
        close = next(i for i, c, d in _scan(src, open_paren + 1, True) if d < 0)
        inner = src[open_paren + 1:close]
        pieces, last = [], 0
        for i, c, depth in _scan(inner, 0, False):
            if c == "," and depth == 0:
                pieces.append(inner[last:i])
                last = i + 1
        pieces.append(inner[last:])
        out.append(src[pos:open_paren + 1] + ",".join(_strip_param(p) for p in pieces))
        pos = close
    out.append(src[pos:])
    return "".join(out)


def tt_to_py(src):
    """A .tt file as a Python module Triton can import: imports added, types stripped, and module
    constants (`EPS = 1e-6`, a constexpr in .tt) annotated `tl.constexpr` as Triton requires."""
    body = strip_annotations(src)
    tree = ast.parse(body)
    lines = body.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            ln = node.lineno - 1
            name = node.targets[0].id
            lines[ln] = re.sub(rf"^{name}\s*=", f"{name}: tl.constexpr =", lines[ln], count=1)
    return HEADER + "".join(lines)


def tt_imports(py_src):
    """Module names a converted file imports (candidates for sibling .tt files)."""
    mods = []
    for node in ast.parse(py_src).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mods.append(node.module)
        elif isinstance(node, ast.Import):
            mods += [a.name for a in node.names]
    return [m for m in mods if m.split(".")[0] != "triton"]


def convert_tree(tt_path, out_dir, done=None):
    """Write tt_path as out_dir/STEM.py, and each .tt it imports (relative to its folder) beside it."""
    done = set() if done is None else done
    tt_path = Path(tt_path)
    if tt_path in done:
        return
    done.add(tt_path)
    py = tt_to_py(tt_path.read_text())
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / tt_path.with_suffix(".py").name).write_text(py)
    for mod in tt_imports(py):
        dep = tt_path.parent / (mod.replace(".", "/") + ".tt")
        if dep.is_file():
            target = out_dir / Path(mod.replace(".", "/")).parent
            target.mkdir(parents=True, exist_ok=True)
            convert_tree(dep, target, done)


def selftest():
    src = '''import triton
import triton.language as tl
from common import helper

EPS = 1e-6
SCALE: tl.constexpr = 2


@triton.jit
def k(a_ptr: *fp32, b: **fp16, c_ptr: *bf16:16,  # comment, with: colon = and comma
      n: i32, d: fp32:16, C: constexpr, D: tl.constexpr, m: i64 = 5, flag: i1=True,
      f=lambda t: t, s: str = "x:y, z", B: tl.constexpr = 1024,
      E: triton.language.constexpr = (1, 2)) -> None:
    x = tl.load(a_ptr + tl.arange(0, B), mask=n >= 0)


@jit
def helper(x, y: tl.constexpr):
    return x
'''
    got = strip_annotations(src)
    want_sig = '''def k(a_ptr, b, c_ptr,  # comment, with: colon = and comma
      n, d, C: constexpr, D: tl.constexpr, m = 5, flag =True,
      f=lambda t: t, s = "x:y, z", B: tl.constexpr = 1024,
      E: triton.language.constexpr = (1, 2)) -> None:'''
    assert want_sig in got, got
    assert "def helper(x, y: tl.constexpr):" in got and "mask=n >= 0" in got
    py = tt_to_py(src)
    assert py.startswith(HEADER) and "EPS: tl.constexpr = 1e-6" in py and "SCALE: tl.constexpr = 2" in py
    assert tt_imports(py) == ["common"], tt_imports(py)
    ast.parse(py)
    multi = "@triton.jit\ndef f(\n    x: *fp32,\n    y: i32\n):\n    pass\n"
    assert strip_annotations(multi) == "@triton.jit\ndef f(\n    x,\n    y\n):\n    pass\n", strip_annotations(multi)
    with tempfile.TemporaryDirectory() as d:  # imported .tt files are converted beside the importer
        d = Path(d)
        (d / "in" / "sub").mkdir(parents=True)
        (d / "in" / "main.tt").write_text("from common import h\nfrom sub.util import g\nimport math\n")
        (d / "in" / "common.tt").write_text("@jit\ndef h(x):\n    return x\n")
        (d / "in" / "sub" / "util.tt").write_text("@jit\ndef g(x: i32):\n    return x\n")
        convert_tree(d / "in" / "main.tt", d / "out")
        got = sorted(str(p.relative_to(d / "out")) for p in (d / "out").rglob("*.py"))
        assert got == ["common.py", "main.py", "sub/util.py"], got
        assert "def g(x):" in (d / "out" / "sub" / "util.py").read_text()
    with tempfile.TemporaryDirectory() as d:  # every corpus source converts to valid Python
        for name, path, _ in corpus():
            convert_tree(ROOT / path, Path(d))
            tree = ast.parse((Path(d) / Path(path).with_suffix(".py").name).read_text())
            for fn in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
                for a in fn.args.args:
                    ann = ast.unparse(a.annotation) if a.annotation else ""
                    assert not ann or "constexpr" in ann, f"{path}: {fn.name}.{a.arg}: {ann}"
            print(f"  {name:<20} {path}: converts ({len(tree.body)} top-level statements)")
    print("bench_vs_triton selftest: OK")


# ---------------------------------------------------------------------------------------------
# Benchmark cases
# ---------------------------------------------------------------------------------------------
def corpus():
    """(NAME, SOURCE, FLAGS) for each line of tests/gpu/corpus.txt."""
    rows = []
    for line in (ROOT / "tests" / "gpu" / "corpus.txt").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, src, *flags = line.split()
            rows.append((name, src, flags))
    return rows


@dataclass
class Run:
    args: list               # launch arguments (tensors and scalars), in parameter order
    grid: tuple
    outs: list               # indices into args of the outputs
    nbytes: int              # fewest bytes the kernel must move (each input read once, output written once)
    size: str                # problem size, for the table
    exact: bool = False      # outputs of the two compilers must agree bitwise (else rel. error <= rtol)
    rtol: float = 1e-5       # fp16 outputs: a last-bit rounding difference is ~5e-4 of an element


@dataclass
class Bench:
    name: str
    binary: str              # corpus NAME: DIR/NAME.json; the source comes from corpus.txt
    kernel: str
    setup: Callable          # constexprs -> Run


def _vector_add(cx):
    import torch
    n = 1 << 26
    x, y, out = (torch.randn(n, device="cuda") for _ in range(3))
    return Run([x, y, out, n], (-(-n // cx["BLOCK_SIZE"]),), [2], 12 * n, "2^26")


def _copy2d(transposed):
    def setup(cx):
        import torch
        M = N = 8192
        src = torch.randn(N, M, device="cuda").t() if transposed else torch.randn(M, N, device="cuda")
        dst = torch.empty(M, N, device="cuda")
        grid = (-(-M // cx["BLOCK_M"]), -(-N // cx["BLOCK_N"]))
        return Run([src, dst, M, N, *src.stride(), *dst.stride()], grid, [1], 8 * M * N,
                   f"{M}x{N}" + (" src.T" if transposed else ""), exact=True)
    return setup


def _fused(cx):
    import torch
    n = 1 << 26
    x, y = torch.randn(n, device="cuda").half(), torch.randn(n, device="cuda")
    out = torch.empty(n, device="cuda")
    return Run([x, y, out, n, 0.75], (-(-n // cx["BLOCK"]),), [2], 10 * n, "2^26")


def _softmax(M, N):
    def setup(cx):
        import torch
        x = torch.randn(M, N, device="cuda")
        out = torch.empty_like(x)
        return Run([out, x, x.stride(0), out.stride(0), N], (M,), [0], 8 * M * N, f"{M}x{N}")
    return setup


def _layernorm(cx):
    import torch
    M, N = 16384, 4096
    x = torch.randn(M, N, device="cuda").half()
    w, b = torch.randn(N, device="cuda").half(), torch.randn(N, device="cuda").half()
    y = torch.empty_like(x)
    mean, rstd = (torch.empty(M, device="cuda") for _ in range(2))
    return Run([x, y, w, b, mean, rstd, x.stride(0), N, 1e-5], (M,), [1, 4, 5], 4 * M * N,
               f"{M}x{N} fp16", rtol=2e-3)


def _rmsnorm(cx):
    import torch
    M, N = 16384, 4096
    x, w = torch.randn(M, N, device="cuda").half(), torch.randn(N, device="cuda").half()
    y = torch.empty_like(x)
    return Run([x, w, y, x.stride(0), N, 1e-6], (M,), [2], 4 * M * N, f"{M}x{N} fp16", rtol=2e-3)


def _cross_entropy(cx):
    import torch
    M, N = 4096, 32768
    logits = 3 * torch.randn(M, N, device="cuda")
    targets = torch.randint(0, N, (M,), device="cuda")
    loss = torch.empty(M, device="cuda")
    return Run([logits, targets, loss, logits.stride(0), N], (M,), [2], 4 * M * N, f"{M}x{N}")


def _dropout(cx):
    import torch
    n = 1 << 27
    x, out = torch.randn(n, device="cuda"), torch.empty(n, device="cuda")
    return Run([x, out, n, 0.3, 1234], (-(-n // cx["BLOCK"]),), [1], 8 * n, "2^27", exact=True)


BENCH = [
    Bench("vector_add", "vector_add", "add_kernel", _vector_add),
    Bench("copy2d", "copy2d", "copy2d_kernel", _copy2d(False)),
    Bench("copy2d_srcT", "copy2d", "copy2d_kernel", _copy2d(True)),
    Bench("fused_elementwise", "fused_elementwise", "fused_kernel", _fused),
    Bench("vector_add_n16", "vector_add_n16", "add_kernel", _vector_add),
    Bench("fused_n16", "fused_n16", "fused_kernel", _fused),
    Bench("copy2d_spec", "copy2d_spec", "copy2d_kernel", _copy2d(False)),
    Bench("copy2d_srcT_spec", "copy2d_srcT_spec", "copy2d_kernel", _copy2d(True)),
    # Issue #13's memory-bound workloads (tests/kernels/workloads/), no --signature facts.
    Bench("softmax_16384x4096", "softmax_4096", "softmax_kernel", _softmax(16384, 4096)),
    Bench("softmax_65536x1024", "softmax_1024", "softmax_kernel", _softmax(65536, 1024)),
    Bench("layernorm", "layernorm_4096", "layernorm_fwd_kernel", _layernorm),
    Bench("rmsnorm", "rmsnorm_4096", "rmsnorm_kernel", _rmsnorm),
    Bench("cross_entropy", "cross_entropy", "cross_entropy_fwd_kernel", _cross_entropy),
    Bench("dropout", "dropout", "dropout_kernel", _dropout),
    Bench("softmax_16384x4096_spec", "softmax_4096_spec", "softmax_kernel", _softmax(16384, 4096)),
    Bench("layernorm_spec", "layernorm_4096_spec", "layernorm_fwd_kernel", _layernorm),
    Bench("rmsnorm_spec", "rmsnorm_4096_spec", "rmsnorm_kernel", _rmsnorm),
]


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------
def import_file(path, name):
    """Import a .py file as module `name` (a real file, so that Triton can read the source)."""
    import importlib.util
    sys.path.insert(0, str(path.parent))  # for the .tt files it imports, converted beside it
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def import_triton_kernel(binary, work):
    """Convert the corpus source of `binary` and return it as a Python module."""
    src = dict((n, s) for n, s, _ in corpus()).get(binary)
    if src is None:
        raise RuntimeError(f"'{binary}' is not in tests/gpu/corpus.txt")
    convert_tree(ROOT / src, work / binary)
    return import_file(work / binary / Path(src).with_suffix(".py").name, f"tt_{binary}")


TL_DTYPE = {"i1": "int1", "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "u8": "uint8",
            "u16": "uint16", "u32": "uint32", "u64": "uint64", "fp8e4nv": "float8e4nv", "fp8e5": "float8e5",
            "fp16": "float16", "bf16": "bfloat16", "fp32": "float32", "fp64": "float64"}


def triton_constexprs(cx):
    """The metadata's constexprs as Triton kwargs: dtype constexprs (written "fp16") become tl dtypes."""
    import triton.language as tl
    return {k: getattr(tl, TL_DTYPE[v]) if isinstance(v, str) and v in TL_DTYPE else v for k, v in cx.items()}


def outputs_agree(a, b, exact, rtol=1e-5):
    import torch
    if exact:
        bad = int((a.view(torch.int32) != b.view(torch.int32)).sum()) if a.element_size() == 4 \
            else int((a != b).sum())
        return bad == 0, f"bitwise diffs={bad}"
    a, b = a.double(), b.double()
    if not bool(torch.isfinite(a).all()) or not bool(torch.isfinite(b).all()):
        return False, "non-finite output"
    rel = float(torch.linalg.vector_norm(a - b) / torch.linalg.vector_norm(b).clamp_min(1e-300))
    return rel <= rtol, f"rel diff={rel:.1e}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", type=Path, default=ROOT / ".gpu")
    ap.add_argument("--out", type=Path, help="write the markdown report here")
    ap.add_argument("--only", action="append", default=[], help="case name (repeatable)")
    ap.add_argument("--warmup", type=float, default=25, help="do_bench warm-up, ms")
    ap.add_argument("--rep", type=float, default=200, help="do_bench repetition time, ms")
    ap.add_argument("--cudagraph", action="store_true",
                    help="time CUDA-graph replays (do_bench_cudagraph): no launch overhead, no L2 flush")
    ap.add_argument("--selftest", action="store_true", help="test the .tt -> Python conversion and exit")
    args = ap.parse_args()
    if args.selftest:
        selftest()
        return 0

    cache = tempfile.TemporaryDirectory(prefix="triton-cache-")
    os.environ["TRITON_CACHE_DIR"] = cache.name  # before triton is imported: every compile is cold
    import torch
    import triton
    from triton.testing import do_bench, do_bench_cudagraph
    import tritonc

    def timeit(fn):
        if args.cudagraph:  # captures on a side stream; tritonc launches on the current stream
            return do_bench_cudagraph(fn, rep=args.rep, return_mode="median")
        return do_bench(fn, warmup=args.warmup, rep=args.rep, return_mode="median")

    unknown = set(args.only) - {b.name for b in BENCH}
    if unknown:
        sys.exit(f"unknown case(s) {sorted(unknown)}; cases: {[b.name for b in BENCH]}")
    try:
        via = tritonc.get_driver().name
    except Exception as e:  # every case will report it too
        via = f"(driver init FAILED: {type(e).__name__}: {e})"
    gpu = torch.cuda.get_device_name()
    print(f"GPU: {gpu}  torch {torch.__version__}  triton {triton.__version__}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="tt2py-"))
    head = [f"# tritonc vs Triton on {gpu}", "",
            f"torch {torch.__version__}, triton {triton.__version__}, driver API via {via}; "
            f"timer: {'do_bench_cudagraph' if args.cudagraph else 'do_bench'} median, "
            f"warmup {args.warmup} ms, rep {args.rep} ms; each kernel timed twice, interleaved."]

    def copy_ceiling(nbytes=1 << 30):
        src = torch.randn(nbytes // 4, device="cuda")
        dst = torch.empty_like(src)
        return 2 * nbytes / (timeit(lambda: dst.copy_(src)) * 1e6)
    ceiling = copy_ceiling()
    head.append(f"Bandwidth ceiling (1 GiB device-to-device copy, read + write): {ceiling:.0f} GB/s.")

    prime = work / "prime.py"
    prime.write_text(HEADER + "@triton.jit\ndef prime(p):\n    tl.store(p, 1.0)\n")
    t0 = time.perf_counter()
    import_file(prime, "tt_prime").prime[(1,)](torch.empty(1, device="cuda"))
    torch.cuda.synchronize()
    head.append(f"Triton one-time setup (first kernel ever, in a fresh cache): {time.perf_counter() - t0:.2f} s; "
                "not included in the per-kernel cold compile times below.")
    build_ms = {}
    bt = args.dir / "build_times.tsv"
    if bt.is_file():
        build_ms = {n: float(v) for n, v in (ln.split("\t") for ln in bt.read_text().splitlines() if "\t" in ln)}
    print("\n".join(head[2:]), flush=True)

    cols = ["case", "size", "tritonc ms", "triton ms", "tritonc/triton", "tritonc GB/s", "triton GB/s",
            "tritonc % ceiling", "spread", "outputs", "regs tc/tr", "triton cold compile s",
            "tritonc build s (host)"]
    rows, errors = [], 0
    modules = {}
    for b in BENCH:
        if args.only and b.name not in args.only:
            continue
        try:
            k = tritonc.load(args.dir / f"{b.binary}.json")[b.kernel]
            if b.binary not in modules:
                modules[b.binary] = import_triton_kernel(b.binary, work)
            tfn = getattr(modules[b.binary], b.kernel)
            run = b.setup(k.constexprs)
            targs = list(run.args)
            for i in run.outs:  # Triton writes its own outputs, with the same strides
                targs[i] = torch.empty_strided(run.args[i].size(), run.args[i].stride(),
                                               dtype=run.args[i].dtype, device="cuda")
            kw = dict(triton_constexprs(k.constexprs), num_warps=k.num_warps, num_stages=k.num_stages)
            t0 = time.perf_counter()
            compiled = tfn[run.grid](*targs, **kw)
            torch.cuda.synchronize()
            cold = time.perf_counter() - t0

            launch = k.prepare(run.grid, *run.args)
            for i in run.outs:
                run.args[i].fill_(float("nan"))
                targs[i].fill_(float("nan"))
            launch()
            tfn[run.grid](*targs, **kw)
            torch.cuda.synchronize()
            verdicts = [outputs_agree(run.args[i], targs[i], run.exact, run.rtol) for i in run.outs]
            agree = all(ok for ok, _ in verdicts)
            errors += not agree

            def triton_launch(fn=tfn[run.grid], targs=targs, kw=kw):
                fn(*targs, **kw)
            a1, b1, a2, b2 = timeit(launch), timeit(triton_launch), timeit(launch), timeit(triton_launch)
            ta, tb = min(a1, a2), min(b1, b2)
            spread = max(abs(a1 - a2) / ta, abs(b1 - b2) / tb)
            regs_tc = k.attributes()["NUM_REGS"]
            regs_tr = getattr(compiled, "n_regs", "?")
            rows.append([b.name, run.size, f"{ta:.4f}", f"{tb:.4f}", f"{ta / tb:.3f}",
                         f"{run.nbytes / (ta * 1e6):.0f}", f"{run.nbytes / (tb * 1e6):.0f}",
                         f"{100 * run.nbytes / (ta * 1e6) / ceiling:.0f}%", f"{100 * spread:.1f}%",
                         ("agree" if agree else "DISAGREE") + " (" + "; ".join(t for _, t in verdicts) + ")",
                         f"{regs_tc}/{regs_tr}", f"{cold:.2f}",
                         f"{build_ms[b.binary] / 1000:.2f}" if b.binary in build_ms else "n/a"])
            del run, targs, launch
        except Exception as e:
            errors += 1
            rows.append([b.name, "ERROR", f"{type(e).__name__}: {e}".replace("\n", " ").replace("|", "/")[:300]]
                        + [""] * (len(cols) - 3))
        print(" | ".join(rows[-1]), flush=True)
        torch.cuda.empty_cache()

    table = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)] + ["| " + " | ".join(r) + " |" for r in rows]
    notes = ["", "ms: the faster of two medians; GB/s: the fewest bytes the kernel must move over that time; "
             "tritonc/triton above 1 means tritonc is slower; spread: the larger relative gap between a "
             "compiler's two runs (differences below it are noise); regs: registers per thread (tritonc / "
             "Triton). Triton specializes integer arguments equal to 1 or divisible by 16 at run time; "
             "tritonc compiles ahead of time from the declared types."]
    report = "\n".join(head + [""] + table + notes) + "\n"
    print("\n" + "\n".join(table))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report)
        print(f"wrote {args.out}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
