#!/usr/bin/env python3
"""Checks a clang offload bundle tritonc wrote for several --arch gfx values (FILE.hipfb) against
its metadata: the layout (magic, entry table, every code object inside the file at a 4096-byte
aligned offset), one empty host entry and one "hipv4-amdgcn-amd-amdhsa--ARCH" entry per arch of
target.archs in order, each an AMDGPU ELF whose e_flags name that processor; then each entry
goes through check_hsaco.py with the metadata as that arch sees it (its warp size and block).

usage: check_bundle.py FILE.hipfb FILE.json     (env LLVM_BIN: where llvm-readelf is)"""
import json
import os
import struct
import subprocess
import sys
import tempfile

MACH = {"gfx90a": 0x3f, "gfx942": 0x4c, "gfx950": 0x4f, "gfx1100": 0x41, "gfx1200": 0x48}


def entries(data):
    if data[:24] != b"__CLANG_OFFLOAD_BUNDLE__":
        raise ValueError("no __CLANG_OFFLOAD_BUNDLE__ magic")
    (count,) = struct.unpack_from("<Q", data, 24)
    at, out = 32, []
    for _ in range(count):
        offset, size, id_len = struct.unpack_from("<QQQ", data, at)
        ident = data[at + 24:at + 24 + id_len].decode()
        at += 24 + id_len
        if offset + size > len(data):
            raise ValueError(f"entry {ident} lies outside the file")
        out.append((ident, offset, data[offset:offset + size]))
    return out


def main():
    bundle, meta_path = sys.argv[1], sys.argv[2]
    data = open(bundle, "rb").read()
    meta = json.load(open(meta_path))
    target = meta["target"]
    archs = target.get("archs", [])
    try:
        found = entries(data)
    except (ValueError, struct.error) as e:
        print(f"{bundle}: {e}")
        return 1
    ids = [i for i, _, _ in found]
    want = ["host-x86_64-unknown-linux"] + [f"hipv4-amdgcn-amd-amdhsa--{a}" for a in archs]
    if ids != want or len(archs) < 2:
        print(f"{bundle}: entries {ids}, expected {want}")
        return 1
    if found[0][2]:
        print(f"{bundle}: the host entry is not empty")
        return 1
    here = os.path.dirname(os.path.abspath(__file__))
    for i, (arch, (ident, offset, co)) in enumerate(zip(archs, found[1:])):
        flags = struct.unpack_from("<I", co, 0x30)[0] if len(co) > 0x34 else 0
        machine = struct.unpack_from("<H", co, 0x12)[0] if len(co) > 0x14 else 0
        if offset % 4096 or co[:4] != b"\x7fELF" or machine != 224 or \
                (arch in MACH and flags & 0xff != MACH[arch]):
            print(f"{bundle}: {ident}: offset {offset}, not an aligned AMDGPU code object for {arch}")
            return 1
        view = json.loads(json.dumps(meta))  # the metadata as this arch sees it
        view["target"] = {"backend": "hip", "arch": arch,
                          "warp_size": target["arch_warp_sizes"][i]}
        for k in view["kernels"]:
            k["block"] = k["arch_blocks"][i]
            for v in k.get("variants", []):
                v["block"] = k["block"]
        with tempfile.TemporaryDirectory() as tmp:
            co_path, js_path = os.path.join(tmp, arch + ".hsaco"), os.path.join(tmp, arch + ".json")
            open(co_path, "wb").write(co)
            json.dump(view, open(js_path, "w"))
            r = subprocess.run([sys.executable, os.path.join(here, "check_hsaco.py"), co_path,
                                js_path], capture_output=True, text=True)
            if r.returncode != 0:
                print(f"{bundle}: {arch}: {r.stdout.strip()}")
                return 1
            print(f"{arch}: " + r.stdout.strip().replace("\n", f"\n{arch}: "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
