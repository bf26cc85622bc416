#!/usr/bin/env python3
"""The Python runtime (python/tritonc) on the mock HIP runtime (tests/host/mock_libamdhip64.cpp,
$TRITONC_LIBHIP): loads METADATA.json (an hsaco or a .hipfb bundle) for the mock's device
($TRITONC_MOCK_HIP_ARCH), launches vector add with device buffers from hipMalloc and checks
out == x + y. The mock accepts only the device's code object, its block, and the kernarg layout
of the code object's notes, so a wrong pick or packing fails here.

usage: run_python_hip.py DIR/vector_add.json   (prints one PASS line; exit 1 on a failure)"""
import ctypes
import os
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
import tritonc  # noqa: E402


class DevicePointer:
    """A device address with the CUDA array interface (what PyTorch / CuPy tensors offer)."""

    def __init__(self, address, count):
        self.__cuda_array_interface__ = {"data": (address, False), "typestr": "<f4",
                                         "shape": (count,), "version": 3}


def main():
    meta = sys.argv[1]
    drv = tritonc.get_driver("hip")
    lib = drv.lib
    lib.hipMalloc.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_size_t]
    lib.hipMemcpyHtoD.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    lib.hipMemcpyDtoH.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    lib.tritonc_mock_hip_last_launch.restype = ctypes.c_char_p
    n = 5000 + 3
    x = [float(i % 97) for i in range(n)]
    y = [float(i % 13) - 2.5 for i in range(n)]
    buffers = []
    for data in (x, y, [0.0] * n):
        p = ctypes.c_void_p()
        assert lib.hipMalloc(ctypes.byref(p), 4 * n) == 0
        raw = struct.pack(f"<{n}f", *data)
        assert lib.hipMemcpyHtoD(p, raw, 4 * n) == 0
        buffers.append(p.value)
    add = tritonc.load(meta)["add_kernel"]
    add[(tritonc.cdiv(n, add.constexprs["BLOCK_SIZE"]),)](
        *[DevicePointer(b, n) for b in buffers], n)
    out = ctypes.create_string_buffer(4 * n)
    assert lib.hipMemcpyDtoH(out, buffers[2], 4 * n) == 0
    got = struct.unpack(f"<{n}f", out.raw)
    bad = [i for i in range(n) if got[i] != x[i] + y[i]]
    last = lib.tritonc_mock_hip_last_launch().decode()
    if bad or not last.startswith("add_kernel extra "):
        print(f"FAIL python HIP runtime: {len(bad)} wrong elements, last launch '{last}'")
        return 1
    print(f"PASS python HIP runtime ({drv.name}): {n} elements, block {add.block}, "
          f"launched '{last}' from {add.module.arch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
