#!/usr/bin/env python3
"""Keeps the builtin support table of docs/LANGUAGE.md true.

The table is every markdown table in docs/LANGUAGE.md whose header row is exactly
`| builtin | interpreter | NVIDIA | AMD | notes |` (or `| type | ...` for element types). Each row
names one builtin (or type) in backticks (`` `tl.load` ``) and says `yes` or `no` in each of the
three columns. The row's kernel is tests/docs/builtins/NAME.tt (NAME: the backticked text, each
character outside [A-Za-z0-9._] replaced by `_`): a small kernel named `kernel` that uses the
builtin and stores what it computes. For each row and column:

  interpreter  `tritonc run NAME.tt --kernel kernel` with an argument for every parameter (a
               pointer gets `rand:4096`, an integer 32, an i1 True, a float 1.5; a line
               `# RUN-ARGS: --arg n=8 ...` in the kernel overrides or adds arguments)
  NVIDIA       `tritonc NAME.tt --arch sm_80` and `--arch sm_90a`: a cubin through ptxas
  AMD          `tritonc NAME.tt --arch gfx942`: an .hsaco through ld.lld

A cell is `yes` when its commands exit 0 (for NVIDIA: for both archs) and `no` when they exit 1
with a located `FILE:LINE:COL: error:` diagnostic; an NVIDIA cell may also name the one arch
that works (`sm_90a`: yes for sm_90a, no for sm_80). A `yes` that fails, a `no` that succeeds,
and a command that fails any other way (a crash, a timeout, exit 3: a tool rejected tritonc's
output, exit 4: an internal error) are failures that name the row, the column and the word the
cell should hold. So are a row without a kernel, a kernel without a row, and a cell word other
than `yes` or `no`.

Speed: the `yes` kernels of each compiled column go into one file (each file's functions and
constants renamed apart) compiled by one tritonc per arch; when that fails, the kernel its error
points into is compiled alone and the rest batched again. `no` cells and the interpreter run
one command per row. Commands run `-j` at a time (default 2).

The "Not supported" table of the same page (header `| construct | the error says |`) is kept
true the same way: each row's kernel, tests/docs/unsupported/NAME.tt (NAME from the backticked
construct as above), must fail in the front end (`tritonc NAME.tt --emit-ir=tile`, exit 1, a
located error) with an error containing the first backticked text of the row's second cell.
When the construct compiles, or the error's text changed, the row is a failure.

Before the rows, each column's toolchain is checked on examples/vector_add.tt: a missing ptxas,
ld.lld, libdevice or ROCm device library fails that column (never a skip).

  tests/docs/check_support_table.py [--tritonc build/tritonc] [--doc docs/LANGUAGE.md]
                                    [--kernels tests/docs/builtins]
                                    [--unsupported tests/docs/unsupported] [-j 2] [-v]
Prints one line per failure, then
`support table: N rows, N cells, N unsupported constructs, N commands, N failed (T s)`.
Exit status 0 iff nothing failed. Python 3 standard library only.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLUMNS = ["interpreter", "NVIDIA", "AMD"]
HEADERS = (["builtin", "interpreter", "NVIDIA", "AMD", "notes"],
           ["type", "interpreter", "NVIDIA", "AMD", "notes"])
TARGETS = {"interpreter": ["run"], "NVIDIA": ["sm_80", "sm_90a"], "AMD": ["gfx942"]}
TIMEOUT = 120
LOCATED_ERROR = re.compile(r"^[^\s:][^:\n]*:\d+:\d+: error: ", re.M)


def rel(path):
    return os.path.relpath(path, ROOT)


def cell_words(column):
    """The words a cell may hold: yes, no, and for a column of several archs the one arch that
    works (`sm_90a`: sm_90a yes, sm_80 no)."""
    targets = TARGETS[column]
    return ["yes", "no"] + (targets if len(targets) > 1 else [])


def expected(column, word):
    """{target: 'yes' or 'no'} for a cell's word."""
    if word in ("yes", "no"):
        return {t: word for t in TARGETS[column]}
    return {t: "yes" if t == word else "no" for t in TARGETS[column]}


def word_for(column, got):
    """The cell word that describes outcomes {target: 'yes' or 'no'}; None if no word does."""
    for w in cell_words(column):
        if expected(column, w) == got:
            return w
    return None


def label(target):
    return "tritonc run" if target == "run" else target


def kernel_file_name(builtin):
    return re.sub(r"[^A-Za-z0-9._]", "_", builtin) + ".tt"


def split_row(line):
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|") and len(s) > 1):
        return None
    return [c.strip() for c in s[1:-1].split("|")]


def parse_table(doc):
    """Rows of every support table as (line, builtin, {column: word}), problems, and every
    builtin named (malformed rows included)."""
    rows, problems, names = [], [], set()
    with open(doc, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if split_row(lines[i]) not in HEADERS:
            i += 1
            continue
        i += 2  # the header and its --- line
        while i < len(lines) and lines[i].strip().startswith("|"):
            cells = split_row(lines[i])
            where = f"{rel(doc)}:{i + 1}"
            m = re.fullmatch(r"`([^`]+)`", cells[0]) if cells else None
            if cells is None or len(cells) != len(HEADERS[0]) or not m:
                problems.append(f"{where}: a support-table row is "
                                "| `builtin` | yes/no | yes/no | yes/no | notes |")
            else:
                names.add(m.group(1))
                words = dict(zip(COLUMNS, cells[1:4]))
                bad = [c for c in COLUMNS if words[c] not in cell_words(c)]
                if bad:
                    problems.append(f"{where}: row `{m.group(1)}`, column {bad[0]} says "
                                    f"'{words[bad[0]]}': a cell is exactly one of "
                                    f"{', '.join(cell_words(bad[0]))}")
                else:
                    rows.append((i + 1, m.group(1), words))
            i += 1
    if not rows and not problems:
        problems.append(f"{rel(doc)}: no support table (a table whose header is "
                        f"| {' | '.join(HEADERS[0])} |)")
    return rows, problems, names


UNSUPPORTED_HEADER = ["construct", "the error says"]


def parse_unsupported(doc):
    """Rows of the "Not supported" table as (line, construct, expected error text), problems,
    and every construct named."""
    rows, problems, names = [], [], set()
    with open(doc, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if split_row(lines[i]) != UNSUPPORTED_HEADER:
            i += 1
            continue
        i += 2
        while i < len(lines) and lines[i].strip().startswith("|"):
            cells = split_row(lines[i])
            m = re.fullmatch(r"`([^`]+)`", cells[0]) if cells else None
            said = re.search(r"`([^`]+)`", cells[1]) if cells and len(cells) == 2 else None
            if not m or not said:
                problems.append(f"{rel(doc)}:{i + 1}: a not-supported row is "
                                "| `construct` | `the error's text` ... |")
            else:
                names.add(m.group(1))
                rows.append((i + 1, m.group(1), said.group(1)))
            i += 1
    return rows, problems, names


def orphans(directory, names, doc, what):
    """Kernels of `directory` that no row names."""
    named = {kernel_file_name(n) for n in names}
    return [f"{rel(os.path.join(directory, f))}: no row of the {what} in {rel(doc)} names this "
            "kernel" for f in sorted(os.listdir(directory)) if f.endswith(".tt") and f not in named]


def run_args(path):
    """`tritonc run` arguments for the kernel in `path`: one per runtime parameter."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        src = f.read()
    m = re.search(r"^def kernel\((.*?)\):", src, re.M | re.S)
    args = {}
    for p in (re.split(r",\s*", m.group(1).replace("\n", " ")) if m else []):
        pm = re.match(r"\s*(\w+)\s*:\s*(\**)(\w+)", p)
        if not pm or pm.group(3) in ("tl", "constexpr"):
            continue
        name, stars, ty = pm.groups()
        args[name] = ("rand:4096" if stars else "1.5" if ty.startswith(("fp", "bf")) else
                      "True" if ty == "i1" else "32")
    for extra in re.findall(r"^# RUN-ARGS:(.*)$", src, re.M):
        for k, v in re.findall(r"--arg\s+(\w+)=(\S+)", extra):
            args[k] = v
    return [a for k, v in args.items() for a in ("--arg", f"{k}={v}")]


def compile_cmd(tritonc, target, path, outdir, tag):
    ext = ".hsaco" if target.startswith("gfx") else ".cubin"
    return [tritonc, path, "--arch", target, "-o", os.path.join(outdir, f"{tag}.{target}{ext}")]


def batch_source(paths):
    """One file holding every kernel of `paths`, each file's functions and constants renamed
    apart, and the first line of each file's part (to map an error's line back to its file)."""
    imports, body, starts = [], [], []
    for n, path in enumerate(paths):
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            src = f.read()
        # Functions and module-level constants: both could clash between files.
        names = re.findall(r"^def (\w+)\(", src, re.M) + \
            re.findall(r"^(\w+)\s*(?::[^=\n]*)?=(?!=)", src, re.M)
        starts.append(len(body))
        for line in src.split("\n"):
            if line.startswith(("import ", "from ")):
                if line not in imports:
                    imports.append(line)
                line = ""
            for name in names:
                line = re.sub(rf"\b{name}\b", f"{name}_{n}", line)
            body.append(line)
    head = "\n".join(imports + ["", ""])
    offset = head.count("\n") + 1
    return head + "\n".join(body) + "\n", [offset + s for s in starts]


def execute(cmd):
    """(exit status, output); a timeout gives status None."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=TIMEOUT, cwd=ROOT)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, f"no result after {TIMEOUT} s"


def first_error(out):
    m = LOCATED_ERROR.search(out)
    if m:
        return out[m.start():].split("\n", 1)[0]
    lines = [l for l in out.strip().split("\n") if l.strip()]
    return lines[0] if lines else "(no output)"


def outcome(result):
    """'yes', 'no' or 'broken: why' for one command's (status, output)."""
    status, out = result
    if status == 0:
        return "yes"
    if status == 1 and LOCATED_ERROR.search(out):
        return "no"
    how = "timed out" if status is None else (
        f"killed by signal {-status}" if status < 0 else f"exit {status}")
    return f"broken ({how}): {first_error(out)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tritonc", default=os.path.join(ROOT, "build", "tritonc"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "LANGUAGE.md"))
    ap.add_argument("--kernels", default=os.path.join(ROOT, "tests", "docs", "builtins"))
    ap.add_argument("--unsupported", default=os.path.join(ROOT, "tests", "docs", "unsupported"),
                    help="kernels of the Not supported table")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every cell's outcome")
    opts = ap.parse_args()
    start = time.monotonic()
    tritonc = os.path.abspath(opts.tritonc)
    if not os.access(tritonc, os.X_OK):
        print(f"FAIL: {tritonc} is not built\nsupport table: 1 failed")
        return 1
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs))
    tmp = tempfile.mkdtemp(prefix="support-table.")
    ncommands = 0
    checked, dead, unsupported = [], set(), []

    def run_all(cmds):
        nonlocal ncommands
        ncommands += len(cmds)
        return list(pool.map(execute, cmds))

    try:
        rows, failures, names = parse_table(opts.doc)
        failures += orphans(opts.kernels, names, opts.doc, "support table")
        unsupported, problems, unames = parse_unsupported(opts.doc)
        failures += problems
        if os.path.isdir(opts.unsupported):
            failures += orphans(opts.unsupported, unames, opts.doc, "Not supported table")
        # checked: (line, builtin, words, path)
        for line, builtin, words in rows:
            path = rel(os.path.join(opts.kernels, kernel_file_name(builtin)))
            if os.path.isfile(os.path.join(ROOT, path)):
                checked.append((line, builtin, words, path))
            else:
                failures.append(f"{rel(opts.doc)}:{line}: row `{builtin}`: its kernel "
                                f"{path} does not exist")

        # Each column's toolchain must work on the simplest kernel; else that column fails.
        canary = os.path.join("examples", "vector_add.tt")
        canary_cmds = {}
        for column in COLUMNS:
            for t in TARGETS[column]:
                canary_cmds[(column, t)] = (
                    [tritonc, "run", canary, "--arg", "x_ptr=rand:4096", "--arg",
                     "y_ptr=rand:4096", "--arg", "output_ptr=zeros:4096", "--arg",
                     "n_elements=4096"] if t == "run" else
                    compile_cmd(tritonc, t, canary, tmp, "canary"))
        for (column, t), res in zip(canary_cmds, run_all(list(canary_cmds.values()))):
            if res[0] != 0:
                dead.add(column)
                failures.append(f"column {column} ({t}): the toolchain does not work on "
                                f"examples/vector_add.tt: {first_error(res[1])}")

        # One command per (row, target) except the `yes` cells of compiled targets: one batch
        # per target, its rows compiled one by one only when the batch fails.
        results = {}  # (line, target) -> (status, output)
        singles, batches = {}, {}
        for line, builtin, words, path in checked:
            for column in COLUMNS:
                if column in dead:
                    continue
                for t in TARGETS[column]:
                    if t == "run":
                        singles[(line, t)] = [tritonc, "run", path, "--kernel", "kernel"] + \
                            run_args(path)
                    elif words[column] == "yes":
                        batches.setdefault(t, []).append((line, path))
                    else:
                        singles[(line, t)] = compile_cmd(tritonc, t, path, tmp, f"row{line}")
        # Each construct of the Not supported table: the front end must reject its kernel with
        # the quoted error.
        for line, construct, _ in unsupported:
            path = rel(os.path.join(opts.unsupported, kernel_file_name(construct)))
            if os.path.isfile(os.path.join(ROOT, path)):
                singles[(line, "unsupported")] = [tritonc, path, "--emit-ir=tile", "-o",
                                                  os.devnull]
            else:
                failures.append(f"{rel(opts.doc)}:{line}: not-supported row `{construct}`: its "
                                f"kernel {path} does not exist")
        # The batches (the longest commands) start first, the single commands beside them. A
        # failing batch: the kernel its error points into is compiled alone (for the message)
        # and the rest batched again, so k wrong cells cost k + 1 batches.
        pending = dict(batches)
        while pending:
            cmds, layout = {}, {}
            for t, members in pending.items():
                src = os.path.join(tmp, f"batch_{t}.tt")
                text, starts = batch_source([p for _, p in members])
                with open(src, "w", encoding="utf-8") as f:
                    f.write(text)
                cmds[t] = compile_cmd(tritonc, t, src, tmp, "batch")
                layout[t] = (src, starts)
            keys = list(cmds) + list(singles)
            outs = run_all(list(cmds.values()) + list(singles.values()))
            for key, res in zip(keys[len(cmds):], outs[len(cmds):]):
                results[key] = res
            singles = {}
            again = {}
            for t, res in zip(cmds, outs):
                members = pending[t]
                if res[0] == 0:
                    for line, _ in members:
                        results[(line, t)] = res
                    continue
                src, starts = layout[t]
                m = re.search(re.escape(src) + r":(\d+):\d+: error: ", res[1])
                part = [i for i, s in enumerate(starts) if m and s <= int(m.group(1))]
                # Without a location inside a kernel (a tool's failure): one by one.
                suspects = [members[part[-1]]] if part else members
                alone = run_all([compile_cmd(tritonc, t, p, tmp, f"row{l}") for l, p in suspects])
                for (line, _), r in zip(suspects, alone):
                    results[(line, t)] = r
                rest = [mb for mb in members if mb not in suspects]
                if rest:
                    again[t] = rest
            pending = again
        for key, res in zip(singles, run_all(list(singles.values()))):
            results[key] = res  # when there was no batch at all

        for line, builtin, words, path in checked:
            for column in COLUMNS:
                if column in dead:
                    continue
                got = [(t, outcome(results[(line, t)]), results[(line, t)][1])
                       for t in TARGETS[column]]
                if opts.verbose:
                    print(f"{builtin:32} {column:12} " + "  ".join(f"{t}={o}" for t, o, _ in got))
                where = f"{rel(opts.doc)}:{line}: row `{builtin}`, column {column}"
                broken = [(t, o) for t, o, _ in got if o.startswith("broken")]
                said = words[column]
                want = expected(column, said)
                if broken:
                    failures.append(f"{where}: {path} for {label(broken[0][0])} neither builds "
                                    f"nor fails with a located error: {broken[0][1]}")
                    continue
                right = word_for(column, {t: o for t, o, _ in got})
                if right == said:
                    continue
                works = [label(t) for t, o, _ in got if o == "yes" and want[t] == "no"]
                fails = [(t, out) for t, o, out in got if o == "no" and want[t] == "yes"]
                why = []
                if works:
                    why.append(f"now works ({' and '.join(works)})")
                if fails:
                    why.append(f"fails for {label(fails[0][0])}: {first_error(fails[0][1])}")
                fix = f"change the cell to {right}" + (" (or fix the compiler)" if fails else "")
                failures.append(f"{where}: the cell says {said}, but {path} "
                                f"{'; it '.join(why)}: {fix}")
        for line, construct, said in unsupported:
            if (line, "unsupported") not in results:
                continue
            status, out = results[(line, "unsupported")]
            path = rel(os.path.join(opts.unsupported, kernel_file_name(construct)))
            where = f"{rel(opts.doc)}:{line}: not-supported row `{construct}`"
            verdict = outcome((status, out))
            if verdict == "yes":
                failures.append(f"{where}: {path} now compiles: the construct is supported, so "
                                "remove the row (and document the construct)")
            elif verdict != "no":
                failures.append(f"{where}: {path} neither compiles nor fails with a located "
                                f"error: {verdict}")
            elif said not in out:
                failures.append(f"{where}: the error is no longer `{said}` but "
                                f"`{first_error(out).split(' error: ', 1)[-1]}`: update the row")
    finally:
        pool.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print(f"FAIL: {f}")
    ncells = len(checked) * (len(COLUMNS) - len(dead))
    print(f"support table: {len(rows)} rows, {ncells} cells, {len(unsupported)} unsupported "
          f"constructs, {ncommands} commands, {len(failures)} failed "
          f"({time.monotonic() - start:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
