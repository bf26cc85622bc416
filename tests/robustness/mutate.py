#!/usr/bin/env python3
"""Mutation robustness test: randomly broken kernels must never crash or hang tritonc.

Takes every .tt file under the given paths (default: tests/kernels and examples), makes K mutated
versions of each (bytes and tokens deleted, duplicated, swapped or replaced; lines duplicated,
deleted or swapped; indentation changed; and, to get past the parser, identifiers, numbers and
operators replaced by others and call arguments swapped; one to three mutations per version)
and compiles each
with tritonc. A mutant passes when tritonc exits 0, or exits 1 having printed an `error:`
diagnostic. It fails when tritonc dies from a signal (crash, abort), exits with any other code,
exits 1 silently, prints a sanitizer report, a stack dump or `terminate called`, or runs past the
timeout. Prints every failure (with the saved mutant), then `N passed, N failed`; exits 1 if any
failed. Deterministic: the mutants depend only on --seed, the file's path and its contents.

  tests/robustness/mutate.py [--tritonc build/tritonc] [--seed 1] [-k 20] [--timeout 5]
                             [--mode ir|full] [--jobs 1] [--out DIR] [PATH...]
  tests/robustness/mutate.py --as-is [--expect-error] PATH...   (regression / limit inputs)

--mode ir (default) runs `tritonc MUTANT --emit-ir -o /dev/null`; --mode full compiles to the
default target's binary. The mutant is written to a temporary directory and compiled with
`-I <the original's directory>` so that its imports still resolve. Python 3 standard library only.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TOKEN_RE = re.compile(
    rb"[A-Za-z_][A-Za-z_0-9]*|0[xXbBoO][0-9A-Fa-f_]+|[0-9][0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9]+)?"
    rb"|\.[0-9]+|\"[^\"\n]*\"|'[^'\n]*'|\*\*=?|//=?|<<=?|>>=?|->|:=|[-+*/%&|^<>=!]=|\.\.\.|[^\s]")

# Tokens worth splicing in: keywords, builtins and the literals that stress limits.
VOCAB = [
    b"def", b"if", b"else", b"elif", b"for", b"while", b"in", b"return", b"pass", b"not", b"and",
    b"or", b"None", b"True", b"False", b"import", b"from", b"lambda", b"break", b"continue",
    b"tl.static_range(0, 1000000000)", b"tl.arange(0, 1073741824)", b"tl.constexpr",
    b"tl.program_id(0)", b"tl.load", b"tl.store", b"tl.dot", b"tl.sum", b"tl.reduce", b"tl.zeros",
    b"tl.full", b"tl.where", b"tl.cdiv", b"tl.static_assert", b"tl.static_print", b"range",
    b"tl.range", b"triton.next_power_of_2", b"x.to(tl.float16)", b"[:, None]", b"[None, :]",
    b".T", b"*fp32", b"**fp16", b":16", b"i1", b"i64", b"u8", b"bf16", b"fp8e4nv", b"0", b"1", b"-1",
    b"3", b"1024", b"2147483648", b"9223372036854775808", b"1e309", b"0x7fffffffffffffffff",
    b"1_000", b".5", b"\"ieee\"", b"'", b"\"", b"(", b")", b"[", b"]", b"{", b"}", b",", b":", b";",
    b"=", b"+", b"-", b"*", b"**", b"/", b"//", b"%", b"<<", b">>", b"@", b"\\", b"#", b"\t",
]


def code_positions(data):
    """Byte offsets outside `#` comments: mutations land there (comments teach nothing)."""
    out = []
    for m in re.finditer(rb"[^\n]*", data):
        line, start = m.group(0), m.start()
        cut = line.find(b"#")
        out.extend(range(start, start + (len(line) if cut < 0 else cut)))
    return out


def tokens(data):
    code = set(code_positions(data))
    toks = [(m.start(), m.end()) for m in TOKEN_RE.finditer(data)]
    return [t for t in toks if t[0] in code] or toks


IDENT_RE = re.compile(rb"[A-Za-z_][A-Za-z_0-9]*\Z")
NUMBER_RE = re.compile(rb"[0-9.]")
BINOPS = [b"+", b"-", b"*", b"/", b"//", b"%", b"**", b"<<", b">>", b"&", b"|", b"^", b"<", b"<=",
          b">", b">=", b"==", b"!="]
NUMBERS = [b"0", b"1", b"2", b"3", b"-1", b"16", b"17", b"64", b"100", b"1024", b"65536", b"1 << 20",
           b"2147483647", b"2147483648", b"-2147483649", b"4294967296", b"0.0", b"-0.0", b"0.5",
           b"1e-30", b"1e38", b"1e39", b"float('nan')", b"True", b"None"]
BUILTINS = [b"program_id", b"num_programs", b"arange", b"zeros", b"full", b"zeros_like", b"where",
            b"load", b"store", b"reshape", b"view", b"expand_dims", b"broadcast_to", b"trans",
            b"permute", b"join", b"split", b"interleave", b"ravel", b"exp", b"sqrt", b"abs", b"sum",
            b"max", b"min", b"argmax", b"cumsum", b"dot", b"atomic_add", b"atomic_cas", b"cast",
            b"maximum", b"minimum", b"clamp", b"cdiv", b"sigmoid", b"softmax", b"static_range",
            b"range", b"multiple_of", b"static_assert", b"device_assert", b"device_print", b"float16",
            b"float32", b"int64", b"uint8", b"bfloat16", b"float8e4nv", b"int1", b"constexpr",
            b"pointer_type", b"histogram", b"sort", b"flip", b"gather", b"rand", b"cat"]


def semantic_mutation(rng, data, kind):
    """Mutations that keep the syntax (mostly) and reach sema and lowering: an identifier,
    number or operator replaced by another, or two call arguments swapped."""
    toks = tokens(data)
    if kind == "ident":
        idents = [t for t in toks if IDENT_RE.match(data[t[0]:t[1]])]
        if not idents:
            return data
        s, e = rng.choice(idents)
        pool = [data[a:b] for a, b in idents] + BUILTINS
        return data[:s] + rng.choice(pool) + data[e:]
    if kind == "number":
        nums = [t for t in toks if NUMBER_RE.match(data[t[0]:t[0] + 1])]
        if not nums:
            return data
        s, e = rng.choice(nums)
        return data[:s] + rng.choice(NUMBERS) + data[e:]
    if kind == "op":
        ops = [t for t in toks if data[t[0]:t[1]] in BINOPS]
        if not ops:
            return data
        s, e = rng.choice(ops)
        return data[:s] + rng.choice(BINOPS) + data[e:]
    # swap two arguments of one call: the text between commas inside one pair of parentheses
    calls = [m for m in re.finditer(rb"\(([^()\n]*,[^()\n]*)\)", data)]
    if not calls:
        return data
    m = rng.choice(calls)
    args = m.group(1).split(b",")
    i, j = rng.sample(range(len(args)), 2)
    args[i], args[j] = args[j], args[i]
    return data[:m.start(1)] + b",".join(args) + data[m.end(1):]


def mutate_once(rng, data):
    """Applies one random mutation to `data` (bytes) and returns the new bytes."""
    if rng.random() < 0.4:
        return semantic_mutation(rng, data, rng.choice(["ident", "number", "op", "args"]))
    kind = rng.choice(["byte_delete", "byte_dup", "byte_swap", "byte_insert", "tok_delete",
                       "tok_dup", "tok_swap", "tok_replace", "tok_vocab", "line_dup", "line_delete",
                       "line_swap", "indent"])
    n = len(data)
    if kind.startswith("byte") and n > 0:
        code = code_positions(data)
        i = rng.choice(code) if code and rng.random() < 0.95 else rng.randrange(n)
        length = min(rng.randint(1, 8), n - i)
        if kind == "byte_delete":
            return data[:i] + data[i + length:]
        if kind == "byte_dup":
            return data[:i + length] + data[i:i + length] + data[i + length:]
        if kind == "byte_insert":
            b = bytes([rng.choice(b"()[]{}:,.=+-*/\n\t \\#'\"0123456789x_@<>!%&|^~\x00\x80\xff")])
            return data[:i] + b + data[i:]
        j = rng.randrange(n)
        length2 = min(length, n - j)
        (a0, a1), (b0, b1) = sorted([(i, i + length), (j, j + length2)])
        if a1 > b0:
            return data
        return data[:a0] + data[b0:b1] + data[a1:b0] + data[a0:a1] + data[b1:]
    if kind.startswith("tok"):
        toks = tokens(data)
        if not toks:
            return data
        s, e = rng.choice(toks)
        if kind == "tok_delete":
            return data[:s] + data[e:]
        if kind == "tok_dup":
            return data[:e] + b" " + data[s:e] + data[e:]
        if kind == "tok_replace":
            s2, e2 = rng.choice(toks)
            return data[:s] + data[s2:e2] + data[e:]
        if kind == "tok_vocab":
            return data[:s] + rng.choice(VOCAB) + data[e:]
        (a0, a1), (b0, b1) = sorted([(s, e), rng.choice(toks)])
        if a1 > b0:
            return data
        return data[:a0] + data[b0:b1] + data[a1:b0] + data[a0:a1] + data[b1:]
    lines = data.split(b"\n")
    code_lines = [k for k, l in enumerate(lines) if l.strip() and not l.lstrip().startswith(b"#")]
    i = rng.choice(code_lines) if code_lines else rng.randrange(len(lines))
    if kind == "line_dup":
        lines.insert(i, lines[i])
    elif kind == "line_delete":
        del lines[i]
    elif kind == "line_swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:  # indentation: deeper, shallower, odd, or a tab
        body = lines[i].lstrip(b" ")
        depth = len(lines[i]) - len(body)
        choice = rng.randrange(4)
        if choice == 0:
            depth += 4
        elif choice == 1:
            depth = max(0, depth - 4)
        elif choice == 2:
            depth += rng.choice([1, 2, 3])
        else:
            body = b"\t" + body
        lines[i] = b" " * depth + body
    return b"\n".join(lines)


def make_mutants(path, data, seed, k):
    out = []
    for index in range(k):
        rng = random.Random(f"{seed}:{path}:{index}")
        mutant = data
        for _ in range(rng.choice([1, 1, 2, 3])):
            mutant = mutate_once(rng, mutant)
        out.append(mutant)
    return out


BAD_STDERR = [b"AddressSanitizer", b"LeakSanitizer", b"UndefinedBehaviorSanitizer",
              b"runtime error:", b"Stack dump", b"terminate called", b"PLEASE submit a bug report",
              b"Assertion `", b"Segmentation fault"]


def run_one(args, src, index, mutant, workdir):
    """Compiles one mutant; returns None on success or a string saying what went wrong."""
    base = os.path.splitext(os.path.basename(src))[0]
    mpath = os.path.join(workdir, f"{base}.m{index}.tt")
    with open(mpath, "wb") as f:
        f.write(mutant)
    if args.mode == "ir":
        cmd = [args.tritonc, mpath, "--emit-ir", "-o", os.devnull]
    else:
        cmd = [args.tritonc, mpath, "-o", os.path.join(workdir, f"{base}.m{index}.out")]
    cmd += ["-I", os.path.dirname(os.path.abspath(src))] + args.extra
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=args.timeout, cwd=workdir)
    except subprocess.TimeoutExpired:
        return mpath, f"timed out after {args.timeout} s"
    err = p.stderr
    if p.returncode < 0:
        problem = f"killed by signal {-p.returncode}"
    elif p.returncode not in (0, 1):
        problem = f"exit code {p.returncode}"
    elif p.returncode == 1 and b"error:" not in err:
        problem = "exit 1 without an error: diagnostic"
    elif args.expect_error and p.returncode == 0:
        problem = "compiled without the expected error"
    else:
        bad = [m.decode() for m in BAD_STDERR if m in err]
        problem = f"stderr has {bad[0]!r}" if bad else None
    if problem is None:
        os.unlink(mpath)
        return None
    tail = err.decode(errors="replace").strip().splitlines()[-3:]
    return mpath, problem + ("\n      " + "\n      ".join(tail) if tail else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help=".tt files or directories (default: tests/kernels examples)")
    ap.add_argument("--tritonc", default=None, help="compiler to test (default: $TRITONC_BUILD/tritonc or build/tritonc)")
    ap.add_argument("--seed", default="1")
    ap.add_argument("-k", type=int, default=20, help="mutants per file (default 20)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per compile (default 5, full: 20)")
    ap.add_argument("--mode", choices=["ir", "full"], default="ir")
    ap.add_argument("--jobs", "-j", type=int, default=1)
    ap.add_argument("--out", default=None, help="where failing mutants are kept (default: a temporary directory)")
    ap.add_argument("--extra", action="append", default=[], help="extra tritonc argument (repeatable)")
    ap.add_argument("--as-is", action="store_true",
                    help="compile the files unmodified (regression inputs), no mutants")
    ap.add_argument("--expect-error", action="store_true",
                    help="with --as-is: each file must give exit 1 and an error (limit tests)")
    args = ap.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if args.tritonc is None:
        args.tritonc = os.path.join(os.environ.get("TRITONC_BUILD", os.path.join(root, "build")), "tritonc")
    args.tritonc = os.path.abspath(args.tritonc)
    if args.timeout is None:
        args.timeout = 5.0 if args.mode == "ir" else 20.0
    if not os.access(args.tritonc, os.X_OK):
        print(f"mutate.py: {args.tritonc} is not an executable (build tritonc first)", file=sys.stderr)
        return 2
    paths = args.paths or [os.path.join(root, "tests", "kernels"), os.path.join(root, "examples")]
    files = []
    for p in paths:
        if os.path.isdir(p):
            for dirpath, _, names in os.walk(p):
                files += [os.path.join(dirpath, n) for n in names if n.endswith(".tt")]
        elif p.endswith(".tt"):
            files.append(p)
    files = sorted(set(files))
    if not files:
        if args.as_is:  # an empty regression folder
            print("0 passed, 0 failed")
            return 0
        print("mutate.py: no .tt files found", file=sys.stderr)
        return 2

    workdir = args.out or tempfile.mkdtemp(prefix="tritonc-mutate-")
    os.makedirs(workdir, exist_ok=True)
    jobs = []
    for src in files:
        with open(src, "rb") as f:
            data = f.read()
        rel = os.path.relpath(os.path.abspath(src), root)
        mutants = [data] if args.as_is else make_mutants(rel, data, args.seed, args.k)
        for i, m in enumerate(mutants):
            jobs.append((src, i, m))

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        results = ex.map(lambda j: (j, run_one(args, j[0], j[1], j[2], workdir)), jobs)
        for (src, i, _), result in results:
            if result is None:
                passed += 1
            else:
                failed += 1
                mpath, problem = result
                print(f"FAIL {os.path.relpath(src, root)} mutant {i}: {problem}\n      saved as {mpath}")
    print(f"{passed} passed, {failed} failed")
    if failed == 0 and args.out is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
