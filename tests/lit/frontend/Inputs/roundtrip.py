#!/usr/bin/env python3
"""Round-trips every .tt of the corpus through tritonc's IR printer and parser.

usage: roundtrip.py TRITONC WORKDIR ROOT...

For each .tt under the ROOTs (recursively), at the Tile level and at the GPU level:
  tritonc F.tt --emit-ir[=tile] --verify-each -o a.tir
  tritonc a.tir --passes= --emit-ir --verify-each -o b.tir      (parse + print, no passes)
  cmp a.tir b.tir
Prints one line per file and exits non-zero on any failure or mismatch. Files that need
options, or that are not compilable on their own, are listed in SPECIAL below: none is
skipped silently, and a listed file that has gone away is an error too.
"""
import os
import subprocess
import sys

# file name relative to its ROOT's parent folder -> extra options, or None for a module with no
# kernel (imported by other files of the corpus, and round-tripped through them).
SPECIAL = {
    "examples/build/kernels/common.tt": None,  # helpers of scale.tt and shift.tt
}


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stderr.strip()


def roundtrip(tritonc, src, opts, work, stage):
    a = os.path.join(work, "a.%s.tir" % stage)
    b = os.path.join(work, "b.%s.tir" % stage)
    emit = "--emit-ir=tile" if stage == "tile" else "--emit-ir"
    rc, err = run([tritonc, src, emit, "--verify-each", "-o", a] + opts)
    if rc != 0:
        return "compile failed (exit %d): %s" % (rc, err.splitlines()[0] if err else "")
    rc, err = run([tritonc, a, "--passes=", "--emit-ir", "--verify-each", "-o", b])
    if rc != 0:
        return "re-parse failed (exit %d): %s" % (rc, err.splitlines()[0] if err else "")
    with open(a, "rb") as fa, open(b, "rb") as fb:
        ta, tb = fa.read(), fb.read()
    if ta != tb:
        la, lb = ta.decode().splitlines(), tb.decode().splitlines()
        for i, (x, y) in enumerate(zip(la, lb)):
            if x != y:
                return "mismatch at line %d:\n  printed:  %s\n  reprinted: %s" % (i + 1, x, y)
        return "mismatch: %d vs %d lines" % (len(la), len(lb))
    if not ta.strip():
        return "empty IR"
    return None


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tritonc, work, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    files = []
    for root in roots:
        root = os.path.abspath(root)
        base = os.path.dirname(root)
        for dirpath, dirnames, names in os.walk(root):
            dirnames.sort()
            for n in sorted(names):
                if n.endswith(".tt"):
                    path = os.path.join(dirpath, n)
                    files.append((os.path.relpath(path, base).replace(os.sep, "/"), path))
    failures = 0
    seen = set()
    for rel, path in files:
        key = rel if rel in SPECIAL else None
        opts = []
        if key is not None:
            seen.add(key)
            if SPECIAL[key] is None:
                # A module: it must still be one (no kernel), else it belongs in the corpus.
                rc, err = run([tritonc, path, "--emit-ir=tile", "-o", os.devnull])
                if rc != 0 and "no kernel" in err:
                    print("MODULE %s (no kernel; round-tripped through its importers)" % rel)
                else:
                    print("FAIL %s: listed as a module but compiles: remove it from SPECIAL" % rel)
                    failures += 1
                continue
            opts = SPECIAL[key]
        problems = []
        for stage in ("tile", "gpu"):
            why = roundtrip(tritonc, path, opts, work, stage)
            if why:
                problems.append("%s: %s" % (stage, why))
        if problems:
            failures += 1
            print(("FAIL %s %s" % (rel, " ".join(opts))).rstrip())
            for p in problems:
                print("  " + p)
        else:
            print(("OK %s %s" % (rel, " ".join(opts))).rstrip())
    for key in SPECIAL:
        if key not in seen:
            print("FAIL %s: listed in SPECIAL but not found" % key)
            failures += 1
    print("%d files, %d failed" % (len(files), failures))
    return 1 if failures or not files else 0


if __name__ == "__main__":
    sys.exit(main())
