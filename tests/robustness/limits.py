#!/usr/bin/env python3
"""Resource-limit test: absurd kernels give a located error naming the limit, never a hang.

Generates (in a temporary directory) kernels that would unroll a static_range or a constexpr
loop absurdly, build blocks of 2^30 or more elements, recurse between helpers, inline
exponentially, or nest expressions, calls and blocks tens of thousands deep, and compiles each
with `tritonc FILE --emit-ir -o /dev/null`. An `error` case passes when tritonc exits 1 within
the timeout with a `file:line:col: error:` diagnostic whose text names the limit (`limit`,
`more than`, `too deep`, `too large`, `recursi`... wording); an `ok` case (big but reasonable
input) passes when tritonc exits 0, or 1 with a located error, within the timeout; a `compiles`
case must exit 0 (a limit raised by its flag). A signal, another exit code, a sanitizer report or
a timeout always fails. Prints one line per failure, then `N passed, N failed`.

  tests/robustness/limits.py [--tritonc build/tritonc] [--timeout 10] [--keep DIR] [-v]
Python 3 standard library only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HEAD = "import triton\nimport triton.language as tl\n\n\n"


def kernel(body, params="out: *fp32", helpers=""):
    lines = "".join("    " + l + "\n" for l in body.strip("\n").split("\n"))
    return HEAD + helpers + f"@triton.jit\ndef k({params}):\n" + lines


def exp_inline(depth):
    h = "@triton.jit\ndef h0(x):\n    return x + 1\n\n\n"
    for i in range(1, depth + 1):
        h += f"@triton.jit\ndef h{i}(x):\n    return h{i - 1}(x) + h{i - 1}(x)\n\n\n"
    return kernel(f"tl.store(out, h{depth}(1.0))", helpers=h)


def nested_ifs(depth):
    body = "x = tl.program_id(0)\n"
    for i in range(depth):
        body += "    " * i + "if x > 0:\n"
    body += "    " * depth + "x = x + 1\n"
    body += "tl.store(out, x.to(tl.float32))"
    return kernel(body)


STATIC_150000 = kernel("""
acc = 0.0
for i in tl.static_range(0, 150000):
    acc += 1.0
tl.store(out, acc)""")

# name: (expectation, source[, extra flags[, text the error must contain]]); expectation is
# "error" (a located error naming a limit), "ok" (exit 0, or 1 with a located error) or
# "compiles" (exit 0).
CASES = {
    "static_range_1e9": ("error", kernel("""
acc = 0.0
for i in tl.static_range(0, 1000000000):
    acc += 1.0
tl.store(out, acc)""")),
    "static_range_nested_1e10": ("error", kernel("""
acc = 0.0
for i in tl.static_range(0, 100000):
    for j in tl.static_range(0, 100000):
        acc += 1.0
tl.store(out, acc)""")),
    "static_range_in_helper_1e9": ("error", kernel("""
acc = 0.0
for i in tl.static_range(0, 1000):
    acc += g(1.0)
tl.store(out, acc)""", helpers="""@triton.jit
def f(x):
    for i in tl.static_range(0, 1000):
        x += 1.0
    return x


@triton.jit
def g(x):
    for i in tl.static_range(0, 1000):
        x += f(x)
    return x


""")),
    "arange_2_30": ("error", kernel("""
offs = tl.arange(0, 1073741824)
tl.store(out + offs, offs.to(tl.float32))""")),
    "arange_2_30_constexpr": ("error", kernel("""
offs = tl.arange(0, BLOCK)
tl.store(out + offs, offs.to(tl.float32))""", params="out: *fp32, BLOCK: tl.constexpr = 1073741824")),
    "zeros_2_30": ("error", kernel("""
z = tl.zeros([1 << 30], dtype=tl.float32)
tl.store(out + tl.arange(0, 1 << 30), z)""")),
    "zeros_2_32_2d": ("error", kernel("""
z = tl.zeros([65536, 65536], dtype=tl.float32)
tl.store(out, tl.sum(z))""")),
    "zeros_rank_64": ("error", kernel("""
z = tl.zeros([""" + ", ".join(["2"] * 64) + """], dtype=tl.float32)
tl.store(out, tl.sum(z))""")),
    "full_2_40": ("error", kernel("""
z = tl.full([1 << 20, 1 << 20], 1.0, tl.float32)
tl.store(out, tl.sum(z))""")),
    "helper_self_recursion": ("error", kernel("tl.store(out, f(1.0))", helpers="""@triton.jit
def f(x):
    return f(x) + 1.0


""")),
    "helper_mutual_recursion": ("error", kernel("tl.store(out, f(1.0))", helpers="""@triton.jit
def f(x):
    return g(x) + 1.0


@triton.jit
def g(x):
    return f(x) * 2.0


""")),
    "kernel_calls_itself": ("error", HEAD + """@triton.jit
def k(out: *fp32):
    k(out)
"""),
    "exponential_inlining_2_40": ("error", exp_inline(40)),
    "parens_100k": ("error", kernel("x = " + "(" * 100000 + "1.0" + ")" * 100000 + "\ntl.store(out, x)")),
    "unary_minus_100k": ("error", kernel("x = " + "- " * 100000 + "1.0\ntl.store(out, x)")),
    "not_100k": ("error", kernel("x = " + "not " * 100000 + "True\ntl.store(out, x.to(tl.float32))")),
    "calls_100k": ("error", kernel("x = " + "tl.abs(" * 100000 + "1.0" + ")" * 100000 + "\ntl.store(out, x)")),
    "subscripts_100k": ("error", kernel("x = tl.zeros([16], dtype=tl.float32)" + "[None, :]" * 100000 + "\ntl.store(out, 0.0)")),
    "lists_100k": ("error", kernel("x = " + "[" * 100000 + "1" + "]" * 100000 + "\ntl.store(out, 0.0)")),
    "power_chain_100k": ("error", kernel("x = " + "2 ** " * 100000 + "2\ntl.store(out, 0.0)")),
    "attribute_chain_100k": ("error", kernel("x = tl" + ".x" * 100000 + "\ntl.store(out, 0.0)")),
    "nested_ifs_1000": ("error", nested_ifs(1000)),
    "constexpr_pow_huge": ("error", kernel("""
N: tl.constexpr = 2 ** 100000000
tl.store(out, N)""")),
    "int_literal_huge": ("error", kernel("tl.store(out, " + "9" * 100000 + ")")),
    # Big but reasonable: must compile (or fail cleanly) well inside the timeout.
    "sum_chain_2000": ("ok", kernel("x = " + " + ".join(["1.0"] * 2000) + "\ntl.store(out, x)")),
    "statements_20000": ("ok", kernel("x = 0.0\n" + "x = x + 1.0\n" * 20000 + "tl.store(out, x)")),
    "static_range_4096": ("ok", kernel("""
acc = 0.0
for i in tl.static_range(0, 4096):
    acc += 1.0
tl.store(out, acc)""")),
    "runtime_infinite_loop": ("ok", kernel("""
x = tl.program_id(0)
while x >= 0:
    x = x + 0
tl.store(out, x.to(tl.float32))""")),
    "long_line_1mb": ("ok", kernel("x = 1.0" + " " * (1 << 20) + "\ntl.store(out, x)")),
    # The statement budget names the flag that raises it, and the flag does raise it.
    # 45000 values sharing one name: the IR printer once took 100 s to name them (issue #18).
    "value_names_45000": ("compiles", kernel("""
acc = 0.0
for i in tl.static_range(0, 45000):
    acc += 1.0
tl.store(out, acc)""")),
    "static_range_150000": ("error", STATIC_150000, [], b"--max-statements"),
    "static_range_150000_raised": ("compiles", STATIC_150000, ["--max-statements", "200000"]),
}

LIMIT_WORDS = re.compile(rb"limit|more than|too deep|too large|too many|recursi|exceed|overflow|out of range")
BAD_STDERR = [b"AddressSanitizer", b"LeakSanitizer", b"runtime error:", b"Stack dump",
              b"terminate called", b"PLEASE submit a bug report", b"Assertion `"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tritonc", default=None)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--keep", default=None, help="write the generated kernels here and keep them")
    ap.add_argument("-v", "--verbose", action="store_true", help="show each case's first error line")
    ap.add_argument("cases", nargs="*", help="run only these cases")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    tritonc = os.path.abspath(args.tritonc or os.path.join(
        os.environ.get("TRITONC_BUILD", os.path.join(root, "build")), "tritonc"))
    if not os.access(tritonc, os.X_OK):
        print(f"limits.py: {tritonc} is not an executable", file=sys.stderr)
        return 2
    workdir = args.keep or tempfile.mkdtemp(prefix="tritonc-limits-")
    os.makedirs(workdir, exist_ok=True)
    passed = failed = 0
    for name, (expect, source, *rest) in CASES.items():
        flags = rest[0] if rest else []
        must_contain = rest[1] if len(rest) > 1 else None
        if args.cases and name not in args.cases:
            continue
        path = os.path.join(workdir, name + ".tt")
        with open(path, "w") as f:
            f.write(source)
        try:
            p = subprocess.run([tritonc, path, "--emit-ir", "-o", os.devnull, *flags], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=args.timeout)
            rc, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            rc, err = None, b""
        first = next((l for l in err.decode(errors="replace").splitlines() if "error:" in l), "")
        if rc is None:
            problem = f"timed out after {args.timeout} s"
        elif rc < 0:
            problem = f"killed by signal {-rc}"
        elif rc not in (0, 1):
            problem = f"exit code {rc}"
        elif any(b in err for b in BAD_STDERR):
            problem = "sanitizer report / stack dump / abort on stderr"
        elif rc == 1 and not re.search(rb":\d+:\d+: error:", err):
            problem = "exit 1 without a located error"
        elif expect == "error" and rc == 0:
            problem = "compiled; expected an error naming the limit"
        elif expect == "error" and not LIMIT_WORDS.search(err):
            problem = f"the error does not name a limit: {first.strip()}"
        elif must_contain and must_contain not in err:
            problem = f"the error does not mention {must_contain.decode()}: {first.strip()}"
        elif expect == "compiles" and rc != 0:
            problem = f"expected to compile: {first.strip()}"
        else:
            problem = None
        if problem:
            failed += 1
            print(f"FAIL {name}: {problem}")
        else:
            passed += 1
            if args.verbose:
                print(f"ok   {name}: {first.strip() or 'exit 0'}")
    print(f"{passed} passed, {failed} failed")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
