"""SASS of the attention builds, tritonc's and Triton's, for comparing instruction mixes per loop.

    python3 bench/dump_attention_sass.py --dir .gpu --out $OUT/sass [--triton-cache ~/.triton/cache]

Run after bench/bench_dot.py (which fills Triton's cache). For each tritonc build DIR/attn*.cubin
and each Triton cubin of a kernel named attn_fwd in the cache, writes `cuobjdump -sass` to OUT
(tritonc_NAME.sass, triton_HASH.sass with the cache's JSON beside it) and prints one line per
binary: registers (cuobjdump -res-usage) and the counts of HMMA, LDSM, LDGSTS, BAR.SYNC, SHFL,
MUFU, LDL, STL, and of all instructions.
"""
import argparse
import json
import re
import shutil
import subprocess
from pathlib import Path

OPS = ["HMMA", "LDSM", "LDGSTS", "BAR.SYNC", "SHFL", "MUFU", "LDL", "STL"]


def counts(sass):
    lines = [l for l in sass.splitlines() if re.match(r"\s+/\*[0-9a-f]{4}\*/\s", l)]
    c = {op: sum(1 for l in lines if re.search(r"\b" + re.escape(op) + r"\b", l)) for op in OPS}
    c["all"] = len(lines)
    return c


def dump(cubin, out_name, out):
    sass = subprocess.run(["cuobjdump", "-sass", str(cubin)], capture_output=True, text=True).stdout
    (out / out_name).write_text(sass)
    res = subprocess.run(["cuobjdump", "-res-usage", str(cubin)], capture_output=True, text=True).stdout
    regs = re.findall(r"REG:(\d+)", res)
    print(f"{out_name:48s} regs={','.join(regs)} " + " ".join(f"{k}={v}" for k, v in counts(sass).items()),
          flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--triton-cache", type=Path, default=Path.home() / ".triton" / "cache")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for cubin in sorted(args.dir.glob("attn*.cubin")):
        dump(cubin, f"tritonc_{cubin.stem}.sass", args.out)
    for cubin in sorted(args.triton_cache.rglob("attn_fwd.cubin")):
        meta = cubin.with_suffix(".json")
        info = ""
        if meta.exists():
            m = json.loads(meta.read_text())
            shutil.copy(meta, args.out / f"triton_{cubin.parent.name[:12]}.json")
            info = f"_w{m.get('num_warps')}_s{m.get('num_stages')}_sm{(m.get('target') or {}).get('arch')}"
        dump(cubin, f"triton_{cubin.parent.name[:12]}{info}.sass", args.out)


if __name__ == "__main__":
    main()
