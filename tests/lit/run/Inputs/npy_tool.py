#!/usr/bin/env python3
"""Writes and checks .npy files for the `tritonc run` tests, without NumPy (an independent reader
of what tritonc writes).

usage: npy_tool.py make-inputs DIR N       x.npy = i/4, y.npy = 1000 - i (float32), xi.npy int64
       npy_tool.py check-sum X Y OUT        OUT == X + Y element by element, rounded to float32
       npy_tool.py same A B                 A and B hold the same dtype, shape and bytes
"""
import ast
import os
import struct
import sys


def write(path, descr, fmt, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%d,), }" % (descr, len(values))
    total = (10 + len(header) + 1 + 63) // 64 * 64
    header += " " * (total - 10 - len(header) - 1) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def read(path):
    data = open(path, "rb").read()
    if data[:6] != b"\x93NUMPY":
        sys.exit("%s: not a .npy file" % path)
    length = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + length].decode())
    return header, data[10 + length:]


def floats(path):
    header, payload = read(path)
    if header["descr"] != "<f4":
        sys.exit("%s: dtype %s, expected <f4" % (path, header["descr"]))
    return struct.unpack("<%df" % (len(payload) // 4), payload)


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


cmd = sys.argv[1]
if cmd == "make-inputs":
    out, n = sys.argv[2], int(sys.argv[3])
    write(os.path.join(out, "x.npy"), "<f4", "f", [i / 4 for i in range(n)])
    write(os.path.join(out, "y.npy"), "<f4", "f", [1000.0 - i for i in range(n)])
    write(os.path.join(out, "xi.npy"), "<i8", "q", list(range(n)))
elif cmd == "check-sum":
    x, y, o = (floats(p) for p in sys.argv[2:5])
    bad = [i for i in range(len(o)) if o[i] != f32(x[i] + y[i])]
    if len(o) != len(x) or bad:
        sys.exit("%d of %d elements differ, first at %s" % (len(bad), len(o), bad[:1]))
    print("%d elements equal x + y" % len(o))
elif cmd == "same":
    a, b = read(sys.argv[2]), read(sys.argv[3])
    if a != b:
        sys.exit("%s and %s differ" % (sys.argv[2], sys.argv[3]))
    print("same")
else:
    sys.exit(__doc__)
