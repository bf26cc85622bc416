#!/usr/bin/env python3
"""Regenerate the FileCheck lines of a codegen lit test from tritonc's current output.

The counterpart of LLVM's utils/update_llc_test_checks.py for tests/lit (mostly
tests/lit/codegen). A test opts in, per FileCheck prefix, with one line

    // UPDATE-CHECKS: PTX shfl\\.sync|bar\\.sync|st\\.shared

(after the test's comment leader: `//` in .tir, `#` in .tt, nothing or `#` in .test files):
the prefix, then a Python regular expression (the rest of the line). For every RUN line of
the form `COMMAND | FileCheck %s --check-prefix=PTX` (no prefix: CHECK), the script runs
COMMAND with bash (lit's substitutions applied: tritonc, %s, %S, %t, %kernels, %examples), splits
the output into kernels and writes, right below the UPDATE-CHECKS line,

    PTX-LABEL: <the kernel's header line>
    PTX:       <each line of its body that the regular expression matches (re.search)>

replacing every line of that prefix elsewhere in the file. So a test checks the instructions
that matter, not a whole dump. Names that change whenever code is added are captures: PTX and
AMDGPU registers and branch labels, LLVM IR and tritonc IR values (`%12`, `%x`) and tritonc IR
layout aliases (`#blocked0`) are written `[[R3:%r[0-9]+]]` where first seen and `[[R3]]`
afterwards, numbered per kind and kernel in order of appearance.
Lines before the first kernel (PTX globals, LLVM IR string constants, IR layout aliases) are
checked as a preamble when they match.

Output kinds are told apart by their text: PTX (`.entry NAME(`), LLVM IR (`define ... @NAME(`),
AMDGPU assembly (`NAME:` after `.type NAME,@function`) and tritonc IR (`kernel @NAME(`).
When two RUN lines share a prefix, the first one is used and the others must give the same
filtered lines after capture naming (else the script says which prefix to split).

Usage: scripts/update_codegen_checks.py [--build-dir DIR] [--check] TEST...
  --build-dir DIR  the build whose tritonc runs (default: build, or $TRITONC_BUILD_DIR)
  --check          write nothing; exit 1 if a test's CHECK lines would change
Review the diff (git diff) before committing: the script writes what the compiler does today,
right or wrong.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRECTIVE = re.compile(r"^(?P<lead>.*?)UPDATE-CHECKS:\s+(?P<prefix>[A-Za-z0-9_-]+)\s+(?P<regex>.+?)\s*$")
SUFFIXES = ["", "-LABEL", "-NEXT", "-SAME", "-NOT", "-DAG", "-EMPTY", r"-COUNT-\d+"]


def run_lines(lines):
    """RUN lines of the test, continuations (trailing backslash) joined."""
    runs, cur = [], None
    for line in lines:
        m = re.search(r"\bRUN:(.*)$", line)
        if not m:
            continue
        text = m.group(1).strip()
        cur = text if cur is None else cur + " " + text
        if cur.endswith("\\"):
            cur = cur[:-1].rstrip()
            continue
        runs.append(cur)
        cur = None
    return runs


def prefixes_of(filecheck_args):
    args = shlex.split(filecheck_args)
    out = []
    for i, a in enumerate(args):
        for flag in ("--check-prefix", "-check-prefix", "--check-prefixes", "-check-prefixes"):
            if a == flag and i + 1 < len(args):
                out += args[i + 1].split(",")
            elif a.startswith(flag + "="):
                out += a.split("=", 1)[1].split(",")
    return out or ["CHECK"]


def substitute(cmd, test, tritonc, tmp):
    subs = [
        ("%kernels", os.path.join(REPO, "tests", "kernels")),
        ("%examples", os.path.join(REPO, "examples")),
        ("%s", test),
        ("%S", os.path.dirname(test)),
        ("%t", tmp),
    ]
    for key, value in subs:
        cmd = cmd.replace(key, value)
    return re.sub(r"(?<![\w./%-])tritonc(?![\w./-])", tritonc, cmd)


# ---- output kinds: where kernels start and which names are captured -------------------------

KINDS = {
    # kind: (kernel header regex, [(name regex, capture regex builder, variable stem)])
    "ptx": (re.compile(r"^(?:\.visible\s+|\.weak\s+)?\.entry\s+(\w+)\("), [
        (re.compile(r"%[a-z]+[0-9]+\b"), lambda n: re.sub(r"[0-9]+$", "", n) + "[0-9]+",
         lambda n: re.sub(r"[0-9]+$", "", n[1:]).upper()),
        (re.compile(r"\$L__BB[0-9_]+"), lambda n: r"\$L__BB[0-9_]+", lambda n: "BB"),
    ]),
    "llvm": (re.compile(r"^define\b.*@([\w.$]+)\("), [
        (re.compile(r"%[-a-zA-Z$._0-9]+"), lambda n: "%[0-9A-Za-z._]+",
         lambda n: "TMP" if re.fullmatch(r"%[0-9]+", n) else
         re.sub(r"[^A-Za-z0-9_]", "_", n[1:]).upper().rstrip("_0123456789") or "TMP"),
    ]),
    "amdgpu": (re.compile(r"^([A-Za-z_][\w.$]*):\s*(;.*)?$"), [
        (re.compile(r"\b[vsa]\[[0-9]+:[0-9]+\]|\b[vsa][0-9]+\b"),
         lambda n: n[0] + (r"\[[0-9]+:[0-9]+\]" if "[" in n else "[0-9]+"),
         lambda n: n[0].upper() + ("R" if "[" in n else "")),
        (re.compile(r"\.LBB[0-9_]+"), lambda n: r"\.LBB[0-9_]+", lambda n: "BB"),
    ]),
    "ir": (re.compile(r"^kernel\s+@(\w+)\("), [
        (re.compile(r"%[A-Za-z0-9_.]+"), lambda n: "%[A-Za-z0-9_.]+",
         lambda n: "V" if re.fullmatch(r"%[0-9]+", n) else
         re.sub(r"[^A-Za-z0-9_]", "_", n[1:]).upper().rstrip("_0123456789") or "V"),
    ]),
}
LAYOUT = re.compile(r"#(blocked|slice|shared|mma|dot_op|[a-z_]+?)[0-9]+\b")


def output_kind(text):
    if re.search(r"^\s*(\.visible\s+|\.weak\s+)?\.entry\s", text, re.M):
        return "ptx"
    if re.search(r"^define\b", text, re.M):
        return "llvm"
    if re.search(r"^\s*\.amdgcn_target\b|^\s*\.amdhsa_", text, re.M):
        return "amdgpu"
    if re.search(r"^kernel\s+@", text, re.M):
        return "ir"
    return None


def split_kernels(text, kind):
    """[(kernel name or None for the preamble, [body lines])]. Lines after a kernel's end and
    before the next one (declarations, attributes, metadata) are left out."""
    header_re = KINDS[kind][0]
    amd_functions = set(re.findall(r"^\s*\.type\s+([\w.$]+),\s*@function", text, re.M))
    parts = [(None, [])]
    inside = None  # the current kernel's name while in its body
    for line in text.splitlines():
        m = header_re.search(line)
        if m and (kind != "amdgpu" or m.group(m.lastindex) in amd_functions):
            inside = m.group(m.lastindex)
            parts.append((inside, []))
        elif inside is not None and (re.match(r"^\.Lfunc_end", line) if kind == "amdgpu"
                                     else line.startswith("}")):
            inside = None
        elif inside is not None or len(parts) == 1:
            parts[-1][1].append(line)
    return parts


LABELS = {
    "ptx": ".entry %s(",
    "llvm": "define {{.*}}@%s(",
    "amdgpu": "%s:",
    "ir": "kernel @%s(",
}


class Namer:
    """Replaces captured names with FileCheck variables: a definition where first seen."""

    def __init__(self, kind, layouts):
        self.kind = kind
        self.seen = {}
        self.counts = {}
        self.layouts = layouts  # shared by the whole output (module-level aliases)

    def _var(self, table, name, stem, regex):
        if name in table:
            return "[[%s]]" % table[name]
        n = self.counts.get(stem, 0)
        self.counts[stem] = n + 1
        var = "%s%d" % (stem, n)
        table[name] = var
        return "[[%s:%s]]" % (var, regex)

    def line(self, text):
        text = re.sub(r"\s+", " ", text.strip())
        # Trailing comments carry nothing a test should depend on.
        comment = {"ptx": r"\s*//.*$", "amdgpu": r"\s*;.*$", "llvm": r"\s*;.*$",
                   "ir": r"\s*//.*$"}[self.kind]
        if not re.match(comment.replace(r"\s*", "", 1), text):
            text = re.sub(comment, "", text)
        pieces = []  # (start, end, replacement)
        for name_re, regex_of, stem_of in KINDS[self.kind][1]:
            for m in name_re.finditer(text):
                pieces.append((m.start(), m.end(), "name", m.group(0), regex_of, stem_of))
        if self.kind == "ir":
            for m in LAYOUT.finditer(text):
                pieces.append((m.start(), m.end(), "layout", m.group(0), None, None))
        pieces.sort(key=lambda p: (p[0], -p[1]))
        out, pos = [], 0
        for start, end, what, name, regex_of, stem_of in pieces:
            if start < pos:
                continue  # overlaps an earlier replacement
            out.append(escape(text[pos:start]))
            if what == "layout":
                stem = re.sub(r"[0-9]+$", "", name[1:]).upper()
                out.append(self._var(self.layouts, name, stem, "#" + name[1:].rstrip("0123456789") + "[0-9]+"))
            else:
                out.append(self._var(self.seen, name, stem_of(name), regex_of(name)))
            pos = end
        out.append(escape(text[pos:]))
        return "".join(out)


def escape(literal):
    """FileCheck reads {{ and [[ in a pattern as regex and variable brackets."""
    return literal.replace("{{", "{{[{][{]}}").replace("[[", "{{[[][[]}}")


def generate(text, regex, prefix):
    kind = output_kind(text)
    if kind is None:
        raise ValueError("the output is neither PTX, LLVM IR, AMDGPU assembly nor tritonc IR")
    filt = re.compile(regex)
    layouts = {}
    out = []
    for header, body in split_kernels(text, kind):
        namer = Namer(kind, layouts)
        if header is not None:
            out.append("%s-LABEL: %s" % (prefix, LABELS[kind] % header))
        for line in body:
            if line.strip() and filt.search(line):
                out.append("%s: %s" % (prefix, namer.line(line)))
    return out


def is_check_line(line, prefix):
    suffix = "|".join(SUFFIXES)
    return re.search(r"(?<![\w-])%s(%s):" % (re.escape(prefix), suffix), line) is not None


def update(test, tritonc, check_only):
    with open(test) as f:
        lines = f.read().splitlines()
    directives = {}
    for i, line in enumerate(lines):
        m = DIRECTIVE.match(line)
        if m:
            directives[m.group("prefix")] = (i, m.group("lead"), m.group("regex"))
    if not directives:
        print("%s: no UPDATE-CHECKS line; nothing to do" % test, file=sys.stderr)
        return True
    generated = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        for run in run_lines(lines):
            tmp = os.path.join(tmpdir, "t")
            if "FileCheck" not in run:
                # A set-up step (writing %t files that later RUN lines read): run it too.
                proc = subprocess.run(["bash", "-o", "pipefail", "-c",
                                       substitute(run, os.path.abspath(test), tritonc, tmp)],
                                      cwd=tmpdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True)
                if proc.returncode != 0:
                    print("%s: `%s` failed (exit %d):\n%s" % (test, run, proc.returncode,
                                                               proc.stderr), file=sys.stderr)
                    return False
                continue
            if "|" not in run:
                continue
            cmd, rest = run.rsplit("|", 1)
            rest = rest.strip()
            if not re.match(r"FileCheck\s+%s\b", rest):
                continue
            ps = [p for p in prefixes_of(rest[len("FileCheck"):]) if p in directives]
            if not ps:
                continue
            prefix = ps[0]
            shell_cmd = substitute(cmd, os.path.abspath(test), tritonc, tmp)
            proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell_cmd], cwd=tmpdir,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            if proc.returncode != 0:
                print("%s: `%s` failed (exit %d):\n%s" % (test, cmd.strip(), proc.returncode,
                                                           proc.stderr), file=sys.stderr)
                return False
            try:
                checks = generate(proc.stdout, directives[prefix][2], prefix)
            except (ValueError, re.error) as e:
                print("%s: prefix %s: %s" % (test, prefix, e), file=sys.stderr)
                return False
            if prefix in generated and generated[prefix] != checks:
                print("%s: RUN lines with prefix %s give different output; give them their own "
                      "prefixes" % (test, prefix), file=sys.stderr)
                return False
            generated[prefix] = checks
    for prefix in directives:
        if prefix not in generated:
            print("%s: no RUN line `tritonc ... | FileCheck %%s` checks prefix %s" % (test, prefix),
                  file=sys.stderr)
            return False
    # Drop every line of a regenerated prefix; put the new ones below its directive.
    new = []
    for i, line in enumerate(lines):
        if any(is_check_line(line, p) for p in generated) and not DIRECTIVE.match(line):
            continue
        new.append(line)
        m = DIRECTIVE.match(line)
        if m and m.group("prefix") in generated:
            lead = m.group("lead")
            new += [lead + c for c in generated[m.group("prefix")]]
    if new == lines:
        return True
    if check_only:
        print("%s: CHECK lines are out of date (scripts/update_codegen_checks.py %s)" % (test, test))
        return False
    with open(test, "w") as f:
        f.write("\n".join(new) + "\n")
    print("%s: updated %s" % (test, ", ".join(sorted(generated))))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", default=os.environ.get("TRITONC_BUILD_DIR", os.path.join(REPO, "build")))
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    ap.add_argument("tests", nargs="+")
    args = ap.parse_args()
    tritonc = os.path.join(os.path.abspath(args.build_dir), "tritonc")
    if not os.access(tritonc, os.X_OK):
        print("update_codegen_checks.py: %s not built" % tritonc, file=sys.stderr)
        return 2
    ok = True
    for test in args.tests:
        ok = update(test, tritonc, args.check) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
