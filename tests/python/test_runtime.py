"""Unit tests of the Python runtime (python/tritonc) without a GPU: a fake driver records what
would reach cuLaunchKernel; fake arrays speak each protocol (PyTorch's data_ptr, CUDA array
interface, DLPack). `compile` runs the real tritonc binary ($TRITONC).

    TRITONC=build/tritonc python3 -m unittest discover -s tests/python -v
"""
import ctypes
import os
import struct
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))
import tritonc  # noqa: E402
from tritonc import _args  # noqa: E402


class FakeDriver:
    name = "fake"

    def __init__(self, max_threads=1024):
        self.launches, self.attributes, self.max_threads = [], [], max_threads

    def load_module(self, image):
        self.image = image
        return "module"

    def get_function(self, module, symbol):
        return f"fn:{symbol}"

    def get_attribute(self, func, name):
        return self.max_threads

    def set_attribute(self, func, name, value):
        self.attributes.append((func, name, value))

    def launch(self, func, grid, block, shared, stream, params_address):
        # Read the argument bytes through the void*[] now, as the driver does: the buffers are
        # the launch's own and are gone after it.
        pointers = (ctypes.c_void_p * len(SIZES)).from_address(params_address)
        blobs = [ctypes.string_at(p, s) for p, s in zip(pointers, SIZES)]
        self.launches.append((func, grid, block, shared, stream, blobs))


class TorchDtype:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return "torch." + self.name


class FakeTorchTensor:
    def __init__(self, address, dtype="float32", is_cuda=True):
        self.address, self.dtype, self.is_cuda = address, TorchDtype(dtype), is_cuda

    def data_ptr(self):
        return self.address


class FakeCupyArray:
    def __init__(self, address, typestr="<f4"):
        self.__cuda_array_interface__ = {"data": (address, False), "typestr": typestr,
                                         "shape": (4,), "version": 3}


class FakeDLPackArray:
    """A DLPack producer whose capsule holds a real DLManagedTensor."""

    class Managed(ctypes.Structure):
        _fields_ = [("tensor", _args._DLTensor), ("manager_ctx", ctypes.c_void_p),
                    ("deleter", ctypes.c_void_p)]

    def __init__(self, address, code, bits, device_type=2, byte_offset=0):
        self.managed = self.Managed()
        self.managed.tensor.data = address
        self.managed.tensor.device.device_type = device_type
        self.managed.tensor.dtype.code, self.managed.tensor.dtype.bits = code, bits
        self.managed.tensor.dtype.lanes = 1
        self.managed.tensor.byte_offset = byte_offset
        self.device_type = device_type

    def __dlpack_device__(self):
        return (self.device_type, 0)

    def __dlpack__(self, stream=None):
        new = ctypes.pythonapi.PyCapsule_New
        new.restype, new.argtypes = ctypes.py_object, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        return new(ctypes.addressof(self.managed), b"dltensor", None)


def params_bytes(launch, sizes):
    """The argument bytes a recorded launch passed, one blob per parameter."""
    return launch[5]


METADATA = {
    "tritonc_version": "0.1.0", "source": "k.tt",
    "target": {"backend": "cuda", "arch": "sm_90a", "warp_size": 32},
    "binary": "k.cubin",
    "kernels": [{
        "name": "k", "symbol": "k_sym", "num_warps": 4, "num_ctas": 1, "num_stages": 3,
        "block": [128, 1, 1], "shared_bytes": 65536, "cluster_dims": [1, 1, 1],
        "constexprs": {"BLOCK": 256, "EPS": 1e-05, "DT": "fp16"},
        "params": [
            {"name": "x", "type": "*fp32", "kind": "pointer", "size": 8, "align": 8, "divisibility": 16},
            {"name": "n", "type": "i32", "kind": "scalar", "size": 4, "align": 4, "divisibility": 16},
            {"name": "h", "type": "fp16", "kind": "scalar", "size": 2, "align": 2, "divisibility": 1},
            {"name": "b", "type": "bf16", "kind": "scalar", "size": 2, "align": 2, "divisibility": 1},
            {"name": "f", "type": "i1", "kind": "scalar", "size": 1, "align": 1, "divisibility": 1},
            {"name": "u", "type": "u64", "kind": "scalar", "size": 8, "align": 8, "divisibility": 1},
        ]}]}
SIZES = [8, 4, 2, 2, 1, 8]


class RuntimeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        d = Path(self.dir.name)
        (d / "k.cubin").write_bytes(b"\x7fELF-fake")
        import json
        (d / "k.json").write_text(json.dumps(METADATA))
        self.driver = FakeDriver()
        self.module = tritonc.load(d / "k.json", driver=self.driver)
        self.k = self.module["k"]

    def tearDown(self):
        self.dir.cleanup()

    def test_load(self):
        self.assertEqual(self.driver.image, b"\x7fELF-fake")
        self.assertEqual(list(self.module), ["k"])
        self.assertEqual(self.k.function, "fn:k_sym")
        self.assertEqual(self.k.constexprs["BLOCK"], 256)
        # Above 48 KiB the dynamic shared-memory limit is raised.
        self.assertEqual(self.driver.attributes, [("fn:k_sym", "MAX_DYNAMIC_SHARED_SIZE_BYTES", 65536)])
        with self.assertRaisesRegex(KeyError, "no kernel 'nope' \\(it has: k\\)"):
            self.module["nope"]
        # A metadata format this runtime does not know is refused.
        import json
        newer = Path(self.dir.name) / "newer.json"
        newer.write_text(json.dumps(dict(METADATA, format_version=2, binary="k.cubin")))
        with self.assertRaisesRegex(ValueError, "format_version 2 is not supported"):
            tritonc.load(newer, driver=FakeDriver())
        # A .cubin path finds its .json.
        self.assertEqual(len(tritonc.load(Path(self.dir.name) / "k.cubin", driver=FakeDriver())), 1)

    def test_launch_packs_every_kind(self):
        x = FakeTorchTensor(0x7F0000001000)
        self.k[(tritonc.cdiv(1000, self.k.constexprs["BLOCK"]),)](x, 4096, 1.5, 1.0, True, 2**64 - 1,
                                                                 stream=7)
        (launch,) = self.driver.launches
        self.assertEqual(launch[1:5], ((4, 1, 1), (128, 1, 1), 65536, 7))
        blobs = params_bytes(launch, SIZES)
        self.assertEqual(struct.unpack("<Q", blobs[0])[0], 0x7F0000001000)
        self.assertEqual(struct.unpack("<i", blobs[1])[0], 4096)
        self.assertEqual(struct.unpack("<e", blobs[2])[0], 1.5)
        self.assertEqual(blobs[3], b"\x80\x3f")  # bf16 1.0
        self.assertEqual(blobs[4], b"\x01")
        self.assertEqual(blobs[5], b"\xff" * 8)

    def test_prepare_call_and_attributes(self):
        # prepare() checks and packs once; each call of the result launches with the same bytes
        # (the GPU harness times kernels this way). kernel(grid, *args) is launch().
        x = FakeTorchTensor(0x7F0000002000)
        launch = self.k.prepare(3, x, 16, 1.0, 1.0, False, 5)
        self.assertEqual(self.driver.launches, [])
        launch(stream=1)
        launch(stream=2)
        self.assertEqual([l[1] for l in self.driver.launches], [(3, 1, 1), (3, 1, 1)])
        self.assertEqual([l[4] for l in self.driver.launches], [1, 2])
        self.assertEqual(self.driver.launches[0][5], self.driver.launches[1][5])
        self.k((2, 2), x, 16, 1.0, 1.0, False, 5, stream=3)
        self.assertEqual(self.driver.launches[-1][1], (2, 2, 1))
        with self.assertRaises(tritonc.ArgumentError):
            self.k.prepare(1, x)  # checked at prepare, not at launch
        self.assertEqual(tritonc.normalize_grid(lambda c: (c["BLOCK"],), {"BLOCK": 4}), (4, 1, 1))
        self.assertEqual(set(self.k.attributes()),
                         {"NUM_REGS", "LOCAL_SIZE_BYTES", "SHARED_SIZE_BYTES", "MAX_THREADS_PER_BLOCK"})

    def test_array_protocols(self):
        args = (4096, 1.0, 1.0, False, 0)
        for array, address in [(FakeCupyArray(0x1000), 0x1000),
                               (FakeDLPackArray(0x2000, 2, 32, byte_offset=16), 0x2010),
                               (0x3000, 0x3000), (None, 0)]:
            self.driver.launches.clear()
            self.k[1](array, *args)
            self.assertEqual(struct.unpack("<Q", params_bytes(self.driver.launches[0], SIZES)[0])[0], address)

    def test_errors(self):
        good = [FakeTorchTensor(0x1000), 16, 1.0, 1.0, True, 1]

        def error(*args):
            with self.assertRaises(tritonc.ArgumentError) as cm:
                self.k[1](*args)
            return str(cm.exception)

        self.assertEqual(error(FakeTorchTensor(0x1000)),
                         "kernel 'k' takes 6 argument(s) (x: *fp32, n: i32, h: fp16, b: bf16, "
                         "f: i1, u: u64), got 1")
        self.assertIn("argument 1 ('x', *fp32): got an array of fp16; it points to fp32",
                      error(FakeTorchTensor(0x1000, "float16"), *good[1:]))
        self.assertIn("argument 1 ('x', *fp32): got an array of i32",
                      error(FakeCupyArray(0x1000, "<i4"), *good[1:]))
        self.assertIn("argument 1 ('x', *fp32): got a DLPack array on device type 1, not on the GPU",
                      error(FakeDLPackArray(0x1000, 2, 32, device_type=1), *good[1:]))
        self.assertIn("not on the GPU", error(FakeTorchTensor(0x1000, is_cuda=False), *good[1:]))
        self.assertIn("argument 1 ('x', *fp32): got address 0x1004, but it was compiled for "
                      "addresses divisible by 16", error(FakeTorchTensor(0x1004), *good[1:]))
        self.assertIn("argument 2 ('n', i32): got 17, but it was compiled for values divisible "
                      "by 16", error(good[0], 17, *good[2:]))
        self.assertIn("argument 2 ('n', i32): got 2147483648 is out of range for i32",
                      error(good[0], 2**31, *good[2:]))
        self.assertIn("argument 2 ('n', i32): got 1.5 (float): i32 takes an int",
                      error(good[0], 1.5, *good[2:]))
        self.assertIn("argument 5 ('f', i1): got 2: an i1 takes True, False, 0 or 1",
                      error(*good[:4], 2, good[5]))
        self.assertIn("argument 6 ('u', u64): got -1 is out of range for u64",
                      error(*good[:5], -1))
        self.assertIn("argument 3 ('h', fp16): got 1e+300 does not fit fp16",
                      error(good[0], 16, 1e300, *good[3:]))
        self.assertIn("argument 3 ('h', fp16): got an array", error(good[0], 16, good[0], *good[3:]))
        # Raw bits go through unchanged; an empty grid launches nothing.
        self.driver.launches.clear()
        self.k[0](good[0], 16, tritonc.Bits(0x3C00), tritonc.Bits(0x3F80), True, 1)
        self.assertEqual(self.driver.launches, [])
        with self.assertRaisesRegex(ValueError, "grid \\(1, 70000, 1\\) exceeds"):
            self.k[1, 70000](*good)

    def test_compile_runs_tritonc(self):
        exe = os.environ.get("TRITONC", str(ROOT / "build" / "tritonc"))
        out = Path(self.dir.name) / "va.cubin"
        mod = tritonc.compile(ROOT / "examples" / "vector_add.tt", out, arch="sm_80",
                              defines={"BLOCK_SIZE": 256}, tritonc=exe, driver=FakeDriver())
        add = mod["add_kernel"]
        self.assertEqual(add.constexprs, {"BLOCK_SIZE": 256})
        self.assertEqual(mod.metadata["target"]["arch"], "sm_80")
        with self.assertRaises(tritonc.CompileError) as cm:
            tritonc.compile(ROOT / "examples" / "vector_add.tt", out, defines={"NOPE": 1}, tritonc=exe,
                            driver=FakeDriver())
        self.assertEqual(cm.exception.returncode, 1)
        self.assertIn("NOPE", str(cm.exception))


class RecordingDriver(FakeDriver):
    """Records which function each launch ran and with what shared memory, for any kernel."""

    def launch(self, func, grid, block, shared, stream, params_address):
        self.launches.append((func, grid, block, shared))


class SpecializeTest(unittest.TestCase):
    """tritonc --specialize: the package launches the most specialized variant whose promises the
    arguments keep, as the C header and launcher.hpp do."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        exe = os.environ.get("TRITONC", str(ROOT / "build" / "tritonc"))
        self.driver = RecordingDriver()
        self.mod = tritonc.compile(ROOT / "tests" / "lit" / "driver" / "Inputs" / "strided_rows.tt",
                                   Path(self.dir.name) / "s.cubin", flags=["--specialize"],
                                   tritonc=exe, driver=self.driver)
        self.k = self.mod["scale_rows"]

    def tearDown(self):
        self.dir.cleanup()

    def test_variants_loaded(self):
        self.assertEqual([v["symbol"] for v in self.k.variants],
                         ["scale_rows_0d1d2d3d4c", "scale_rows_1d2d", "scale_rows"])
        self.assertEqual(self.k.variant_functions,
                         ["fn:scale_rows_0d1d2d3d4c", "fn:scale_rows_1d2d", "fn:scale_rows"])
        self.assertGreater(self.k.meta["resources"]["registers"], 0)

    def test_dispatch(self):
        x, out = FakeTorchTensor(0x10000), FakeTorchTensor(0x20000)
        cases = [((x, out, 256, 256, 1), "fn:scale_rows_0d1d2d3d4c"),
                 ((x, out, 256, 512, 2), "fn:scale_rows_1d2d"),
                 ((FakeTorchTensor(0x10004), out, 256, 256, 1), "fn:scale_rows_1d2d"),
                 ((x, FakeTorchTensor(0x20004), 256, 256, 1), "fn:scale_rows"),
                 ((x, out, 255, 256, 1), "fn:scale_rows"),
                 ((0x10000, 0x20000, -16, 0, 1), "fn:scale_rows_0d1d2d3d4c")]
        for args, function in cases:
            self.driver.launches.clear()
            self.k[4](*args)
            self.assertEqual(self.driver.launches[0][0], function, args)
        # The checks against the generic parameters still come first.
        with self.assertRaises(tritonc.ArgumentError):
            self.k[4](x, out, 2**31, 256, 1)

    def test_select_without_generic(self):
        variants = [{"symbol": "k_0d", "promises": [{"param": 0, "name": "x", "divisible_by": 16}],
                     "shared_bytes": 0}]
        params = [{"name": "x", "type": "*fp32", "kind": "pointer", "size": 8}]
        self.assertEqual(_args.select_variant("k", variants, params, [0x100]), 0)
        with self.assertRaisesRegex(tritonc.ArgumentError, "no variant's promises hold"):
            _args.select_variant("k", variants, params, [0x104])
        self.assertEqual(_args.select_variant("k", [], params, [0x104]), 0)


class AmdHostTest(unittest.TestCase):
    """AMD metadata without a GPU: kernarg packing at the metadata's offsets, the bundle reader,
    and Module's choice of the device's code object and block (a fake HIP driver)."""

    def test_pack_kernargs(self):
        params = [{"name": "x", "type": "*fp32", "kind": "pointer", "size": 8, "align": 8,
                   "offset": 0},
                  {"name": "n", "type": "i32", "kind": "scalar", "size": 4, "align": 4,
                   "offset": 8},
                  {"name": "s", "type": "fp64", "kind": "scalar", "size": 8, "align": 8,
                   "offset": 16}]
        blobs = _args.pack_arguments("k", params, [0x1000, 7, 2.5])
        data = _args.pack_kernargs(params, blobs)
        self.assertEqual(len(data), 24)  # the end of the last explicit argument
        self.assertEqual(struct.unpack_from("<Qi", data, 0) + struct.unpack_from("<d", data, 16),
                         (0x1000, 7, 2.5))
        # Without offsets: each at the next multiple of its alignment.
        bare = [{k: v for k, v in p.items() if k != "offset"} for p in params]
        self.assertEqual(_args.pack_kernargs(bare, blobs), data)
        buf = _args.KernargBuffer(data)
        extra = (ctypes.c_void_p * 5).from_address(buf.address)
        self.assertEqual([extra[0], extra[2], extra[4]], [1, 2, 3])
        self.assertEqual(ctypes.string_at(extra[1], 24), data)

    def test_bundle_and_block(self):
        tritonc_bin = os.environ.get("TRITONC", str(ROOT / "build" / "tritonc"))

        class FakeHip(FakeDriver):
            arch = "gfx1100"

            def device_arch(self):
                return self.arch

            def launch(self, func, grid, block, shared, stream, extra):
                self.launches.append((func, grid, block))

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "va.hipfb"
            drv = FakeHip()
            mod = tritonc.compile(ROOT / "examples" / "vector_add.tt", out,
                                  arch=["gfx90a", "gfx1100"], num_warps=4, tritonc=tritonc_bin,
                                  driver=drv)
            self.assertEqual(mod.backend, "hip")
            self.assertEqual(mod.arch, "gfx1100")
            self.assertEqual(drv.image[:4], b"\x7fELF")  # the entry, not the bundle
            ids = [i for i, _ in _args.offload_bundle_entries(out.read_bytes())]
            self.assertEqual(ids, ["host-x86_64-unknown-linux", "hipv4-amdgcn-amd-amdhsa--gfx90a",
                                   "hipv4-amdgcn-amd-amdhsa--gfx1100"])
            add = mod["add_kernel"]
            self.assertEqual(add.block, (128, 1, 1))  # 4 wave32 wavefronts
            add[(2,)](0x1000, 0x2000, 0x3000, 2048)
            self.assertEqual(drv.launches[-1][2], (128, 1, 1))
            drv90 = FakeHip()
            drv90.arch = "gfx90a:sramecc+:xnack-"
            self.assertEqual(tritonc.load(out, driver=drv90)["add_kernel"].block, (256, 1, 1))
            drv42 = FakeHip()
            drv42.arch = "gfx942"
            with self.assertRaisesRegex(RuntimeError, "no code object for this GPU"):
                tritonc.load(out, driver=drv42)


if __name__ == "__main__":
    unittest.main()
