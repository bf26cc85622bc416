"""tcrt: a minimal runtime for tritonc-compiled cubins, driven only by their JSON metadata.

    kernels = tcrt.load(".gpu/vector_add.json")          # {name: Kernel}
    k = kernels["add_kernel"]
    k((tcrt.cdiv(n, k.constexprs["BLOCK_SIZE"]),), x, y, out, n)

`load` reads the metadata, loads the cubin with cuModuleLoadData into the device's primary context
(the one PyTorch uses), looks each kernel up by its `symbol`, raises the dynamic shared-memory limit
when `shared_bytes` > 48 KiB, and checks the block against the function's thread limit.
`Kernel.__call__(grid, *args)` packs every argument as the metadata's `params` say (pointer: the
tensor's data_ptr() as 8 bytes; scalar: its `type` encoded in `size` bytes), checks dtype and
`divisibility` hints, and calls cuLaunchKernel on torch's current stream. Every CUresult is checked;
a failure raises CudaError naming the call and the error (e.g. CUDA_ERROR_INVALID_VALUE).

Driver access goes through `cuda.bindings` (cuda-python); set TCRT_DRIVER=ctypes to call
libcuda.so.1 directly instead (same behaviour, no Python CUDA package needed).
torch is imported lazily, so `python3 tcrt.py --selftest` runs anywhere (fake driver, fake tensors).
"""
import ctypes
import json
import os
import struct
import sys
from pathlib import Path

# CUfunction_attribute values (cuda.h); the cuda.bindings driver looks them up by name instead.
FUNC_ATTR = {"MAX_THREADS_PER_BLOCK": 0, "LOCAL_SIZE_BYTES": 3, "NUM_REGS": 4,
             "MAX_DYNAMIC_SHARED_SIZE_BYTES": 8}
DEFAULT_SMEM_LIMIT = 48 * 1024

# .tt element type -> torch dtype name (for the pointer dtype check).
TORCH_DTYPE = {"i1": "bool", "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64",
               "u8": "uint8", "u16": "uint16", "u32": "uint32", "u64": "uint64",
               "fp8e4nv": "float8_e4m3fn", "fp8e5": "float8_e5m2", "fp16": "float16",
               "bf16": "bfloat16", "fp32": "float32", "fp64": "float64"}
INT_TYPES = {"i1", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"}
FLOAT_FMT = {"fp16": ("e", 2), "fp32": ("f", 4), "fp64": ("d", 8)}


def cdiv(a, b):
    return (a + b - 1) // b


class CudaError(RuntimeError):
    def __init__(self, call, name, code=None):
        super().__init__(f"{call} failed: {name}" + (f" ({code})" if code is not None else ""))
        self.call, self.name, self.code = call, name, code


# ----------------------------------------------------------------------------------------------
# Drivers: the handful of driver-API calls the runtime needs, behind one small interface.
# ----------------------------------------------------------------------------------------------
class BindingsDriver:
    """The CUDA driver API through cuda-python (`cuda.bindings.driver`; older: `cuda.cuda`)."""

    def __init__(self):
        try:
            from cuda.bindings import driver as cu
        except ImportError:
            from cuda import cuda as cu  # cuda-python < 12.6
        self.cu = cu
        self.name = "cuda.bindings"

    def _call(self, what, fn, *args):
        res = fn(*args)
        err, rest = res[0], res[1:]
        if int(err) != 0:
            try:
                e2, nm = self.cu.cuGetErrorName(err)
                nm = nm.decode() if isinstance(nm, bytes) else str(nm)
            except Exception:  # the name lookup itself must not hide the real error
                nm = getattr(err, "name", str(err))
            raise CudaError(what, nm, int(err))
        return rest[0] if len(rest) == 1 else rest

    def init(self, ordinal):
        cu = self.cu
        self._call("cuInit", cu.cuInit, 0)
        dev = self._call("cuDeviceGet", cu.cuDeviceGet, ordinal)
        ctx = self._call("cuDevicePrimaryCtxRetain", cu.cuDevicePrimaryCtxRetain, dev)
        self._call("cuCtxSetCurrent", cu.cuCtxSetCurrent, ctx)

    def load_module(self, image):
        buf = ctypes.create_string_buffer(image, len(image))  # pass a plain address: every version takes an int
        return self._call("cuModuleLoadData", self.cu.cuModuleLoadData, ctypes.addressof(buf))

    def get_function(self, module, symbol):
        return self._call(f"cuModuleGetFunction({symbol})", self.cu.cuModuleGetFunction,
                          module, symbol.encode())

    def _attr(self, name):
        return getattr(self.cu.CUfunction_attribute, "CU_FUNC_ATTRIBUTE_" + name)

    def get_attribute(self, func, name):
        return int(self._call(f"cuFuncGetAttribute({name})", self.cu.cuFuncGetAttribute,
                              self._attr(name), func))

    def set_attribute(self, func, name, value):
        self._call(f"cuFuncSetAttribute({name}={value})", self.cu.cuFuncSetAttribute,
                   func, self._attr(name), value)

    def launch(self, func, grid, block, shared, stream, params_addr):
        self._call("cuLaunchKernel", self.cu.cuLaunchKernel, func, *grid, *block, shared,
                   self.cu.CUstream(stream), params_addr, 0)


class CtypesDriver:
    """The CUDA driver API straight from libcuda.so.1 (TCRT_DRIVER=ctypes)."""

    def __init__(self):
        self.lib = ctypes.CDLL("libcuda.so.1")
        self.name = "ctypes(libcuda.so.1)"
        P, U, I = ctypes.c_void_p, ctypes.c_uint, ctypes.c_int
        sig = {"cuInit": [U], "cuDeviceGet": [ctypes.POINTER(I), I],
               "cuDevicePrimaryCtxRetain": [ctypes.POINTER(P), I], "cuCtxSetCurrent": [P],
               "cuModuleLoadData": [ctypes.POINTER(P), ctypes.c_char_p],
               "cuModuleGetFunction": [ctypes.POINTER(P), P, ctypes.c_char_p],
               "cuFuncGetAttribute": [ctypes.POINTER(I), I, P], "cuFuncSetAttribute": [P, I, I],
               "cuLaunchKernel": [P, U, U, U, U, U, U, U, P, P, P],
               "cuGetErrorName": [I, ctypes.POINTER(ctypes.c_char_p)]}
        for fn, argtypes in sig.items():
            getattr(self.lib, fn).argtypes = argtypes
            getattr(self.lib, fn).restype = I

    def _check(self, what, rc):
        if rc != 0:
            s = ctypes.c_char_p()
            nm = s.value.decode() if self.lib.cuGetErrorName(rc, ctypes.byref(s)) == 0 else "?"
            raise CudaError(what, nm, rc)

    def init(self, ordinal):
        dev, ctx = ctypes.c_int(), ctypes.c_void_p()
        self._check("cuInit", self.lib.cuInit(0))
        self._check("cuDeviceGet", self.lib.cuDeviceGet(ctypes.byref(dev), ordinal))
        self._check("cuDevicePrimaryCtxRetain", self.lib.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev))
        self._check("cuCtxSetCurrent", self.lib.cuCtxSetCurrent(ctx))

    def load_module(self, image):
        mod = ctypes.c_void_p()
        self._check("cuModuleLoadData", self.lib.cuModuleLoadData(ctypes.byref(mod), image))
        return mod

    def get_function(self, module, symbol):
        f = ctypes.c_void_p()
        self._check(f"cuModuleGetFunction({symbol})",
                    self.lib.cuModuleGetFunction(ctypes.byref(f), module, symbol.encode()))
        return f

    def get_attribute(self, func, name):
        v = ctypes.c_int()
        self._check(f"cuFuncGetAttribute({name})",
                    self.lib.cuFuncGetAttribute(ctypes.byref(v), FUNC_ATTR[name], func))
        return v.value

    def set_attribute(self, func, name, value):
        self._check(f"cuFuncSetAttribute({name}={value})",
                    self.lib.cuFuncSetAttribute(func, FUNC_ATTR[name], value))

    def launch(self, func, grid, block, shared, stream, params_addr):
        self._check("cuLaunchKernel", self.lib.cuLaunchKernel(
            func, *grid, *block, shared, ctypes.c_void_p(stream), ctypes.c_void_p(params_addr), None))


_DRIVER = None


def driver():
    """The process's driver, created and bound to torch's current device on first use."""
    global _DRIVER
    if _DRIVER is None:
        import torch
        torch.cuda.init()
        torch.empty(1, device="cuda")  # make torch create (and make current) the primary context
        ordinal = torch.cuda.current_device()
        d = CtypesDriver() if os.environ.get("TCRT_DRIVER") == "ctypes" else BindingsDriver()
        d.init(ordinal)
        _DRIVER = d
    return _DRIVER


# ----------------------------------------------------------------------------------------------
# Argument packing (pure Python: tested by --selftest without a GPU).
# ----------------------------------------------------------------------------------------------
def _bf16_bits(v):
    (u,) = struct.unpack("<I", struct.pack("<f", v))
    if (u & 0x7F800000) == 0x7F800000 and (u & 0x7FFFFF):  # NaN stays a (quiet) NaN
        return (u >> 16) | 0x40
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF  # round to nearest even


def pack_scalar(param, value):
    """Bytes of a scalar kernel argument, exactly `param['size']` long."""
    ty, size, name = param["type"], int(param["size"]), param["name"]
    if hasattr(value, "data_ptr"):
        raise TypeError(f"param '{name}' is a scalar {ty} but got a tensor")
    try:
        if ty in INT_TYPES:
            v = int(bool(value)) if ty == "i1" else value.__index__()
            fmt = {1: "b", 2: "h", 4: "i", 8: "q"}[size]  # the metadata's size wins (i1 may be 1 or 4)
            unsigned = ty.startswith("u") or ty == "i1"
            data = struct.pack("<" + (fmt.upper() if unsigned else fmt), v)
        elif ty == "bf16":
            data = struct.pack("<H", _bf16_bits(float(value)))
        elif ty in FLOAT_FMT:
            data = struct.pack("<" + FLOAT_FMT[ty][0], float(value))
        elif ty in ("fp8e4nv", "fp8e5"):
            import torch
            dt = torch.float8_e4m3fn if ty == "fp8e4nv" else torch.float8_e5m2
            data = bytes([torch.tensor([float(value)]).to(dt).view(torch.uint8).item()])
        else:
            raise TypeError(f"param '{name}': unknown scalar type '{ty}'")
    except (struct.error, KeyError, AttributeError, OverflowError) as e:
        raise TypeError(f"param '{name}' ({ty}, {size} bytes): cannot pack {value!r}: {e}") from None
    if len(data) != size:
        raise TypeError(f"param '{name}': type {ty} packs to {len(data)} bytes, metadata says {size}")
    div = int(param.get("divisibility", 1) or 1)
    if ty in INT_TYPES and div > 1 and value % div:
        raise ValueError(f"param '{name}' = {value} breaks its divisibility hint {div}")
    return data


def pack_pointer(param, value):
    """Bytes of a pointer argument: a tensor's data_ptr() (or a raw int address, or None)."""
    name, ty = param["name"], param["type"]
    if value is None:
        addr = 0
    elif isinstance(value, int):
        addr = value
    elif hasattr(value, "data_ptr"):
        if getattr(value, "is_cuda", True) is False:
            raise TypeError(f"param '{name}' ({ty}) got a tensor that is not on the GPU")
        want = TORCH_DTYPE.get(ty[1:]) if not ty.startswith("**") else None
        got = str(getattr(value, "dtype", "")).replace("torch.", "")
        if want and got and got != want:
            raise TypeError(f"param '{name}' is {ty} but the tensor's dtype is {got} (want {want})")
        addr = value.data_ptr()
    else:
        raise TypeError(f"param '{name}' is a pointer ({ty}) but got {type(value).__name__}")
    div = int(param.get("divisibility", 1) or 1)
    if div > 1 and addr % div:
        raise ValueError(f"param '{name}': address {addr:#x} breaks its divisibility hint {div}")
    size = int(param.get("size", 8))
    if size != 8:
        raise TypeError(f"param '{name}': pointer of size {size} (only 8 is supported)")
    return struct.pack("<Q", addr)


class PackedArgs:
    """Owns the argument bytes and the void*[] the driver reads them through."""

    def __init__(self, params, args):
        if len(args) != len(params):
            names = ", ".join(p["name"] for p in params)
            raise TypeError(f"kernel takes {len(params)} arguments ({names}), got {len(args)}")
        self.blobs = [pack_pointer(p, a) if p["kind"] == "pointer" else pack_scalar(p, a)
                      for p, a in zip(params, args)]
        # 8-byte-aligned host storage for each argument, then the array of pointers to them.
        self.bufs = [(ctypes.c_uint64 * max(1, cdiv(len(b), 8)))() for b in self.blobs]
        for buf, b in zip(self.bufs, self.blobs):
            ctypes.memmove(buf, b, len(b))
        self.ptrs = (ctypes.c_void_p * max(1, len(self.bufs)))(*[ctypes.addressof(b) for b in self.bufs])

    @property
    def address(self):
        return ctypes.addressof(self.ptrs) if self.blobs else 0


def normalize_grid(grid, constexprs):
    if callable(grid):
        grid = grid(constexprs)
    if isinstance(grid, int):
        grid = (grid,)
    grid = tuple(int(g) for g in grid)
    if not 1 <= len(grid) <= 3 or any(g < 0 for g in grid):
        raise ValueError(f"bad grid {grid}: want 1 to 3 non-negative ints")
    grid = grid + (1,) * (3 - len(grid))
    if grid[0] >= 2**31 or grid[1] > 65535 or grid[2] > 65535:
        raise ValueError(f"grid {grid} exceeds the CUDA limits (2^31-1, 65535, 65535)")
    return grid


def _current_stream():
    import torch
    return torch.cuda.current_stream().cuda_stream


class Launcher:
    """One kernel with its arguments packed once; calling it launches on the current stream."""

    def __init__(self, kernel, grid, args):
        self.kernel, self.grid, self.packed = kernel, normalize_grid(grid, kernel.constexprs), PackedArgs(kernel.params, args)

    def __call__(self, stream=None):
        if 0 in self.grid:  # as Triton does: an empty grid launches nothing
            return
        k = self.kernel
        k.driver.launch(k.function, self.grid, k.block, k.shared_bytes,
                        _current_stream() if stream is None else stream, self.packed.address)


class Kernel:
    def __init__(self, meta, function, drv, origin):
        self.meta, self.function, self.driver, self.origin = meta, function, drv, origin
        self.name, self.symbol = meta["name"], meta.get("symbol", meta["name"])
        self.num_warps = int(meta["num_warps"])
        self.num_stages = int(meta.get("num_stages", 3))
        self.num_ctas = int(meta.get("num_ctas", 1))
        self.block = tuple(int(b) for b in meta["block"])
        self.shared_bytes = int(meta.get("shared_bytes", 0))
        self.constexprs = dict(meta.get("constexprs", {}))
        self.params = list(meta["params"])
        cluster = tuple(int(c) for c in meta.get("cluster_dims", [1, 1, 1]))
        if len(self.block) != 3 or self.block[0] * self.block[1] * self.block[2] <= 0:
            raise ValueError(f"{origin}: kernel {self.name}: bad block {meta['block']}")
        if cluster != (1, 1, 1) or self.num_ctas != 1:
            raise NotImplementedError(f"{origin}: kernel {self.name}: cluster_dims {cluster} / num_ctas "
                                      f"{self.num_ctas} need cuLaunchKernelEx, which tcrt lacks")

    def prepare(self, grid, *args):
        return Launcher(self, grid, args)

    def __call__(self, grid, *args, stream=None):
        self.prepare(grid, *args)(stream)

    def attributes(self):
        return {n: self.driver.get_attribute(self.function, n) for n in FUNC_ATTR}

    def __repr__(self):
        sig = ", ".join(f"{p['name']}: {p['type']}" for p in self.params)
        return f"<Kernel {self.name}({sig}) warps={self.num_warps} constexprs={self.constexprs}>"


def _check_target(meta, origin):
    t = meta.get("target", {})
    if t.get("backend", "cuda") != "cuda" or int(t.get("warp_size", 32)) != 32:
        raise ValueError(f"{origin}: target {t} is not a CUDA target")
    arch = t.get("arch", "")
    try:
        import torch
        major, minor = torch.cuda.get_device_capability()
    except ImportError:
        return
    digits = arch.removeprefix("sm_").rstrip("af")
    want = (int(digits[:-1]), int(digits[-1])) if digits.isdigit() and len(digits) >= 2 else None
    if want is None:
        raise ValueError(f"{origin}: cannot read target arch '{arch}'")
    exact = arch[-1:] in ("a", "f")
    if want[0] != major or (want[1] != minor if exact else want[1] > minor):
        raise RuntimeError(f"{origin}: cubin is for {arch}; this GPU is sm_{major}{minor}")


def load(json_path, drv=None):
    """Load the cubin a metadata JSON names; returns {kernel name: Kernel}."""
    json_path = Path(json_path)
    if not json_path.is_file():
        raise FileNotFoundError(f"metadata not found: {json_path}")
    meta = json.loads(json_path.read_text())
    binary = json_path.parent / meta["binary"]
    if not binary.is_file():
        raise FileNotFoundError(f"{json_path}: binary not found: {binary}")
    if drv is None:
        _check_target(meta, json_path)
        drv = driver()
    module = drv.load_module(binary.read_bytes())
    kernels = {}
    for km in meta["kernels"]:
        k = Kernel(km, drv.get_function(module, km.get("symbol", km["name"])), drv, json_path)
        k.module = module  # keep the module alive with its functions
        threads = k.block[0] * k.block[1] * k.block[2]
        limit = drv.get_attribute(k.function, "MAX_THREADS_PER_BLOCK")
        if threads > limit:
            raise RuntimeError(f"{json_path}: kernel {k.name}: block {k.block} has {threads} threads; "
                               f"the cubin allows {limit}")
        if k.shared_bytes > DEFAULT_SMEM_LIMIT:
            drv.set_attribute(k.function, "MAX_DYNAMIC_SHARED_SIZE_BYTES", k.shared_bytes)
        kernels[k.name] = k
    return kernels


# ----------------------------------------------------------------------------------------------
# Self-test: fake metadata, fake driver, fake tensors. No GPU, torch or cuda.bindings needed.
# ----------------------------------------------------------------------------------------------
def _selftest():
    import tempfile

    class FakeTensor:
        def __init__(self, addr, dtype="torch.float32"):
            self.addr, self.dtype, self.is_cuda = addr, dtype, True

        def data_ptr(self):
            return self.addr

    class FakeDriver:
        name = "fake"

        def __init__(self):
            self.launches, self.attrs = [], {}

        def load_module(self, image):
            assert image == b"\x7fELF-fake"
            return "module"

        def get_function(self, module, symbol):
            return "fn:" + symbol

        def get_attribute(self, func, name):
            return 1024 if name == "MAX_THREADS_PER_BLOCK" else 0

        def set_attribute(self, func, name, value):
            self.attrs[(func, name)] = value

        def launch(self, func, grid, block, shared, stream, params_addr):
            n = len(self.expect_sizes)
            ptrs = (ctypes.c_void_p * n).from_address(params_addr)
            self.launches.append((func, grid, block, shared, stream,
                                  [ctypes.string_at(ptrs[i], s) for i, s in enumerate(self.expect_sizes)]))

    P = lambda name, ty, size, kind="scalar", div=1: {"name": name, "type": ty, "kind": kind,
                                                       "size": size, "align": size, "divisibility": div}
    params = [P("x", "*fp32", 8, "pointer", 16), P("h", "*fp16", 8, "pointer"), P("n", "i32", 4),
              P("m", "i64", 8), P("u", "u8", 1), P("flag", "i1", 1), P("a", "fp32", 4),
              P("d", "fp64", 8), P("hf", "fp16", 2), P("b", "bf16", 2), P("k", "i32", 4, div=16),
              P("neg", "i16", 2), P("big", "u32", 4)]
    meta = {"tritonc_version": "test", "source": "fake.tt",
            "target": {"backend": "cuda", "arch": "sm_90a", "warp_size": 32}, "binary": "fake.cubin",
            "kernels": [{"name": "k1", "symbol": "k1_sym", "num_warps": 4, "num_ctas": 1, "num_stages": 3,
                         "block": [128, 1, 1], "shared_bytes": 65536, "cluster_dims": [1, 1, 1],
                         "constexprs": {"BLOCK": 256}, "params": params},
                        {"name": "k0", "symbol": "k0", "num_warps": 1, "num_ctas": 1, "num_stages": 3,
                         "block": [32, 1, 1], "shared_bytes": 0, "cluster_dims": [1, 1, 1],
                         "constexprs": {}, "params": []}]}
    with tempfile.TemporaryDirectory() as d:
        (Path(d) / "fake.cubin").write_bytes(b"\x7fELF-fake")
        (Path(d) / "fake.json").write_text(json.dumps(meta))
        drv = FakeDriver()
        ks = load(Path(d) / "fake.json", drv)
    k = ks["k1"]
    assert drv.attrs == {("fn:k1_sym", "MAX_DYNAMIC_SHARED_SIZE_BYTES"): 65536}, drv.attrs
    drv.expect_sizes = [int(p["size"]) for p in params]
    x, h = FakeTensor(0x7F0000001000), FakeTensor(0x7F0000002002, "torch.float16")
    args = [x, h, 4097, -(2**40), 255, True, 1.5, -2.25, 0.5, 1.0, 32, -3, 2**32 - 1]
    k(lambda c: (cdiv(4097, c["BLOCK"]),), *args, stream=7)
    func, grid, block, shared, stream, blobs = drv.launches[-1]
    assert (func, grid, block, shared, stream) == ("fn:k1_sym", (17, 1, 1), (128, 1, 1), 65536, 7)
    want = [struct.pack("<Q", 0x7F0000001000), struct.pack("<Q", 0x7F0000002002), struct.pack("<i", 4097),
            struct.pack("<q", -(2**40)), b"\xff", b"\x01", struct.pack("<f", 1.5), struct.pack("<d", -2.25),
            b"\x00\x38", b"\x80\x3f", struct.pack("<i", 32), struct.pack("<h", -3), b"\xff\xff\xff\xff"]
    assert blobs == want, (blobs, want)
    assert _bf16_bits(1.00390625) == 0x3F80 and _bf16_bits(1.01171875) == 0x3F82  # ties to even
    k((2, 3), *args, stream=0)
    assert drv.launches[-1][1] == (2, 3, 1)
    n_before = len(drv.launches)
    k((0,), *args, stream=0)  # empty grid: no launch
    assert len(drv.launches) == n_before
    drv.expect_sizes = []
    ks["k0"](1, stream=0)
    assert drv.launches[-1][1] == (1, 1, 1) and drv.launches[-1][5] == []

    def fails(exc, fn, needle):
        try:
            fn()
        except exc as e:
            assert needle in str(e), f"'{needle}' not in '{e}'"
            return
        raise AssertionError(f"expected {exc.__name__} containing '{needle}'")

    drv.expect_sizes = [int(p["size"]) for p in params]
    with_arg = lambda i, v: args[:i] + [v] + args[i + 1:]
    fails(TypeError, lambda: k(1, *args[:-1]), "takes 13 arguments")
    fails(TypeError, lambda: k(1, *with_arg(0, FakeTensor(0x1000, "torch.float16"))), "dtype is float16")
    fails(ValueError, lambda: k(1, *with_arg(0, FakeTensor(0x1004))), "divisibility hint 16")
    fails(ValueError, lambda: k(1, *with_arg(10, 33)), "divisibility hint 16")
    fails(TypeError, lambda: k(1, *with_arg(2, 2**31)), "cannot pack")
    fails(TypeError, lambda: k(1, *with_arg(4, -1)), "cannot pack")
    fails(TypeError, lambda: k(1, *with_arg(2, x)), "got a tensor")
    fails(TypeError, lambda: k(1, *with_arg(0, 1.5)), "is a pointer")
    fails(ValueError, lambda: k((1, 1, 1, 1), *args), "bad grid")
    fails(ValueError, lambda: k((1, 70000), *args), "exceeds")
    meta["kernels"][0]["cluster_dims"] = [2, 1, 1]
    fails(NotImplementedError, lambda: Kernel(meta["kernels"][0], "f", drv, "fake.json"), "cuLaunchKernelEx")
    fails(FileNotFoundError, lambda: load("/nonexistent/x.json", drv), "metadata not found")
    print("tcrt selftest: OK")


if __name__ == "__main__":
    if sys.argv[1:] == ["--selftest"]:
        _selftest()
    else:
        sys.exit("usage: tcrt.py --selftest   (the runtime is a library; see tests/gpu/README.md)")
