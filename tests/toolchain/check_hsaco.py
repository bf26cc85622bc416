#!/usr/bin/env python3
"""Checks an AMD code object against the launch metadata tritonc wrote beside it.

usage: check_hsaco.py FILE.hsaco FILE.json     (env LLVM_BIN: where llvm-readelf is)

Reads the code object's AMDGPU metadata note with `llvm-readelf --notes` and requires, for
every kernel of the JSON (each variant of a --specialize build too): an entry of that name,
its `.wavefront_size` equal to the JSON's warp_size, `.max_flat_workgroup_size` equal to the
block the JSON launches, a `.group_segment_fixed_size` (LDS) within the arch's limit, one
explicit argument per parameter with the JSON's offset and size, and `.vgpr_spill_count` within
the kernel's line of amd_spill_budget.txt beside this script (none for a kernel without a line;
$TRITONC_SPILL_BUDGET names another file). Prints one line per kernel; exits 1 on the first
disagreement."""
import json
import os
import re
import subprocess
import sys

# LDS one workgroup may use (bytes); see src/support/TargetInfo.cpp.
def lds_limit(arch):
    if arch == "gfx950":
        return 160 * 1024
    if arch.startswith("gfx125"):
        return 320 * 1024
    return 64 * 1024


def spill_budget():
    """{(arch, symbol): max VGPR spills} from amd_spill_budget.txt (or $TRITONC_SPILL_BUDGET)."""
    path = os.environ.get("TRITONC_SPILL_BUDGET") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "amd_spill_budget.txt")
    budget = {}
    for line in open(path):
        words = line.split("#", 1)[0].split()
        if len(words) == 3:
            budget[(words[0], words[1])] = int(words[2])
    return budget


def note_kernels(text):
    """{name: {key: value, 'args': [{key: value}]}} from the YAML llvm-readelf prints."""
    kernels, cur, arg = {}, None, None
    section = None
    for line in text.splitlines():
        if line.startswith("amdhsa."):
            section = line.split(":")[0]
            cur = arg = None
            continue
        if section != "amdhsa.kernels":
            continue
        m = re.match(r"^(\s*)(- )?(\.[a-z_]+):\s*(.*)$", line)
        if not m:
            continue
        indent, dash, key, value = len(m.group(1)), m.group(2), m.group(3), m.group(4).strip()
        if indent == 2 and dash:  # a new kernel
            cur = {"args": []}
            arg = None
        if cur is None:
            continue
        if indent >= 6:  # an argument's field
            if dash:
                arg = {}
                cur["args"].append(arg)
            if arg is not None:
                arg[key] = value
        else:
            arg = None
            cur[key] = value
            if key == ".name":
                kernels[value] = cur
    return kernels


def main():
    hsaco, meta_path = sys.argv[1], sys.argv[2]
    readelf = os.path.join(os.environ.get("LLVM_BIN", "/usr/lib/llvm-22/bin"), "llvm-readelf")
    out = subprocess.run([readelf, "--notes", hsaco], capture_output=True, text=True)
    if out.returncode != 0:
        print(f"{hsaco}: llvm-readelf failed: {out.stderr.strip()}")
        return 1
    notes = note_kernels(out.stdout)
    meta = json.load(open(meta_path))
    target = meta["target"]
    if target.get("backend") != "hip":
        print(f"{meta_path}: backend is {target.get('backend')!r}, not 'hip'")
        return 1
    budget = spill_budget()
    entries = []
    for k in meta["kernels"]:
        entries += [dict(k, **v) for v in k.get("variants", [])] or [k]
    for k in entries:
        sym = k["symbol"]
        n = notes.get(sym)
        if n is None:
            print(f"{hsaco}: no kernel {sym} in the metadata note (has: {sorted(notes)})")
            return 1
        problems = []
        if n.get(".wavefront_size") != str(target["warp_size"]):
            problems.append(f"wavefront_size {n.get('.wavefront_size')} != warp_size {target['warp_size']}")
        if n.get(".max_flat_workgroup_size") != str(k["block"][0]):
            problems.append(f"max_flat_workgroup_size {n.get('.max_flat_workgroup_size')} != block {k['block'][0]}")
        lds = int(n.get(".group_segment_fixed_size", "-1"))
        if lds < 0 or lds + k["shared_bytes"] > lds_limit(target["arch"]):
            problems.append(f"LDS {lds} + {k['shared_bytes']} beyond {lds_limit(target['arch'])}")
        args = [a for a in n["args"] if not a.get(".value_kind", "").startswith("hidden_")]
        if len(args) != len(k["params"]):
            problems.append(f"{len(args)} explicit arguments in the note, {len(k['params'])} params")
        else:
            for a, p in zip(args, k["params"]):
                if a.get(".offset") != str(p.get("offset")) or a.get(".size") != str(p["size"]):
                    problems.append(f"param {p['name']}: note offset {a.get('.offset')} size "
                                    f"{a.get('.size')}, JSON offset {p.get('offset')} size {p['size']}")
        spills = int(n.get(".vgpr_spill_count", "0"))
        allowed = budget.get((target["arch"], sym), 0)
        if spills > allowed:
            problems.append(f"{spills} VGPR spills, over the {allowed} amd_spill_budget.txt allows "
                            f"on {target['arch']}")
        if problems:
            print(f"{hsaco}: {sym}: " + "; ".join(problems))
            return 1
        print(f"{sym}: wave{n['.wavefront_size']}, {len(args)} args, LDS {lds} B, "
              f"{n.get('.vgpr_count')} VGPRs, {spills} spilled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
