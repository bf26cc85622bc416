#!/usr/bin/env python3
"""Writes and checks .npy files for the `tritonc run` tests, without NumPy (an independent reader
of what tritonc writes).

usage: npy_tool.py make-inputs DIR N       x.npy = i/4, y.npy = 1000 - i (float32), xi.npy int64
       npy_tool.py check-sum X Y OUT        OUT == X + Y element by element, rounded to float32
       npy_tool.py check-copy2d SRC DST M N DST[m, n] == SRC[m, n] for m < M, n < N, else 0
       npy_tool.py check-fused X Y OUT ALPHA   tests/kernels/fused_elementwise.tt, in float64,
                                            to a relative 1e-6
       npy_tool.py same A B                 A and B hold the same dtype, shape and bytes
       npy_tool.py raw PATH DESCR FORTRAN SHAPE NBYTES   a file whose header claims SHAPE (the
                                            text of a tuple, e.g. "(4294967296, 4294967296)")
                                            followed by NBYTES zero bytes, true or not
"""
import math
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


def floats(path, descr="<f4"):
    header, payload = read(path)
    if header["descr"] != descr:
        sys.exit("%s: dtype %s, expected %s" % (path, header["descr"], descr))
    size = int(descr[2:])
    return struct.unpack("<%d%s" % (len(payload) // size, {2: "e", 4: "f"}[size]), payload)


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
elif cmd == "check-copy2d":
    src, dst = floats(sys.argv[2]), floats(sys.argv[3])
    m_lim, n_lim = int(sys.argv[4]), int(sys.argv[5])
    cols = int(math.isqrt(len(dst)))
    bad = [i for i in range(len(dst))
           if dst[i] != (src[i] if i // cols < m_lim and i % cols < n_lim else 0.0)]
    if bad:
        sys.exit("%d elements differ, first at %d" % (len(bad), bad[0]))
    print("copy of %dx%d in %d elements" % (m_lim, n_lim, len(dst)))
elif cmd == "check-fused":
    x, y, out = floats(sys.argv[2], "<f2"), floats(sys.argv[3]), floats(sys.argv[4])
    alpha = float(sys.argv[5])
    bad = 0
    for i in range(len(out)):
        ref = (math.exp(x[i]) * alpha if x[i] > 0 else math.sqrt(abs(y[i]))) + max(x[i], y[i])
        if abs(out[i] - ref) > 1e-6 * abs(ref) + 1e-7:
            bad += 1
    if bad:
        sys.exit("%d of %d elements differ" % (bad, len(out)))
    print("%d elements match" % len(out))
elif cmd == "raw":
    path, descr, fortran, shape, nbytes = sys.argv[2:7]
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    total = (10 + len(header) + 1 + 63) // 64 * 64
    header += " " * (total - 10 - len(header) - 1) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        f.write(bytes(int(nbytes)))
elif cmd == "same":
    a, b = read(sys.argv[2]), read(sys.argv[3])
    if a != b:
        sys.exit("%s and %s differ" % (sys.argv[2], sys.argv[3]))
    print("same")
else:
    sys.exit(__doc__)
