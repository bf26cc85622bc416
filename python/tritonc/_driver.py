"""The handful of CUDA driver (or HIP runtime) calls the runtime needs, behind one small interface.

CUDA, for metadata whose target.backend is "cuda": cuda-python's `cuda.bindings.driver` when it
is installed, else ctypes over libcuda.so.1 (`TRITONC_DRIVER=ctypes` forces it). HIP, for
backend "hip": ctypes over libamdhip64.so ($TRITONC_LIBHIP), its module API (hipModuleLoadData,
hipModuleGetFunction, hipModuleLaunchKernel with the kernarg buffer through `extra`). Every
failing call raises CudaError with the call's name and the error's name, e.g.
`cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (1)`.
"""
import ctypes
import os

__all__ = ["CudaError", "HipError", "get_driver"]

# CUfunction_attribute values (cuda.h).
FUNC_ATTR = {"MAX_THREADS_PER_BLOCK": 0, "SHARED_SIZE_BYTES": 1, "LOCAL_SIZE_BYTES": 3,
             "NUM_REGS": 4, "MAX_DYNAMIC_SHARED_SIZE_BYTES": 8}


class CudaError(RuntimeError):
    def __init__(self, call, name, code=None):
        super().__init__(f"{call} failed: {name}" + (f" ({code})" if code is not None else ""))
        self.call, self.name, self.code = call, name, code


class HipError(CudaError):
    """A failing HIP runtime call (a CudaError, so one except clause catches both)."""


class HipCtypesDriver:
    """HIP's module API straight from libamdhip64.so ($TRITONC_LIBHIP)."""

    backend = "hip"

    def __init__(self):
        path = os.environ.get("TRITONC_LIBHIP", "libamdhip64.so")
        self.lib = ctypes.CDLL(path)
        self.name = f"ctypes({os.path.basename(path)})"
        P, U, I = ctypes.c_void_p, ctypes.c_uint, ctypes.c_int
        signatures = {
            "hipInit": [U], "hipSetDevice": [I],
            "hipModuleLoadData": [ctypes.POINTER(P), ctypes.c_char_p],
            "hipModuleGetFunction": [ctypes.POINTER(P), P, ctypes.c_char_p],
            "hipFuncGetAttribute": [ctypes.POINTER(I), I, P],
            "hipModuleLaunchKernel": [P, U, U, U, U, U, U, U, P, P, P]}
        for fn, argtypes in signatures.items():
            getattr(self.lib, fn).argtypes = argtypes
            getattr(self.lib, fn).restype = I
        self.lib.hipGetErrorName.argtypes = [I]
        self.lib.hipGetErrorName.restype = ctypes.c_char_p
        # ROCm 6 exports the current hipDeviceProp_t's getter under this name.
        self._props = getattr(self.lib, "hipGetDevicePropertiesR0600", None) or \
            self.lib.hipGetDeviceProperties
        self._props.argtypes, self._props.restype = [P, I], I
        self.ordinal = 0

    def _check(self, what, rc):
        if rc != 0:
            nm = self.lib.hipGetErrorName(rc)
            raise HipError(what, nm.decode() if nm else "?", rc)

    def init(self, ordinal):
        self._check("hipInit", self.lib.hipInit(0))
        self._check("hipSetDevice", self.lib.hipSetDevice(ordinal))
        self.ordinal = ordinal

    def device_arch(self):
        """The device's gcnArchName ('gfx942:sramecc+:xnack-'): $TRITONC_HIP_ARCH, PyTorch's
        view when it runs on ROCm, else the first gfx name in hipGetDeviceProperties' struct
        (whose layout differs between ROCm releases; the name field holds a marketing name)."""
        if os.environ.get("TRITONC_HIP_ARCH"):
            return os.environ["TRITONC_HIP_ARCH"]
        import sys
        torch = sys.modules.get("torch")
        if torch is not None and getattr(torch.version, "hip", None):
            return torch.cuda.get_device_properties(self.ordinal).gcnArchName
        buf = ctypes.create_string_buffer(16384)
        self._check("hipGetDeviceProperties", self._props(buf, self.ordinal))
        import re
        m = re.search(rb"gfx[0-9a-f]+(?::[a-z]+[+-])*", buf.raw)
        if not m:
            raise HipError("hipGetDeviceProperties", "no gcnArchName found")
        return m.group(0).decode()

    def load_module(self, image):
        mod = ctypes.c_void_p()
        self._check("hipModuleLoadData", self.lib.hipModuleLoadData(ctypes.byref(mod), image))
        return mod

    def get_function(self, module, symbol):
        f = ctypes.c_void_p()
        self._check(f"hipModuleGetFunction({symbol})",
                    self.lib.hipModuleGetFunction(ctypes.byref(f), module, symbol.encode()))
        return f

    def get_attribute(self, func, name):
        v = ctypes.c_int()
        self._check(f"hipFuncGetAttribute({name})",
                    self.lib.hipFuncGetAttribute(ctypes.byref(v), FUNC_ATTR[name], func))
        return v.value

    def set_attribute(self, func, name, value):
        pass  # LDS needs no opt-in on AMD

    def launch(self, func, grid, block, shared, stream, extra_address):
        """`extra_address`: a KernargBuffer's {BUFFER_POINTER, buf, BUFFER_SIZE, &size, END}."""
        self._check("hipModuleLaunchKernel", self.lib.hipModuleLaunchKernel(
            func, *grid, *block, shared, ctypes.c_void_p(stream), None,
            ctypes.c_void_p(extra_address)))


class BindingsDriver:
    """The driver API through cuda-python (`cuda.bindings.driver`; before 12.6 `cuda.cuda`)."""

    def __init__(self):
        try:
            from cuda.bindings import driver as cu
        except ImportError:
            from cuda import cuda as cu
        self.cu = cu
        self.name = "cuda.bindings"

    def _call(self, what, fn, *args):
        res = fn(*args)
        err, rest = res[0], res[1:]
        if int(err) != 0:
            try:
                _, nm = self.cu.cuGetErrorName(err)
                nm = nm.decode() if isinstance(nm, bytes) else str(nm)
            except Exception:  # the name lookup must not hide the real error
                nm = getattr(err, "name", str(err))
            raise CudaError(what, nm, int(err))
        return rest[0] if len(rest) == 1 else rest

    def init(self, ordinal):
        cu = self._call
        cu("cuInit", self.cu.cuInit, 0)
        if int(cu("cuCtxGetCurrent", self.cu.cuCtxGetCurrent)) == 0:
            dev = cu("cuDeviceGet", self.cu.cuDeviceGet, ordinal)
            ctx = cu("cuDevicePrimaryCtxRetain", self.cu.cuDevicePrimaryCtxRetain, dev)
            cu("cuCtxSetCurrent", self.cu.cuCtxSetCurrent, ctx)

    def load_module(self, image):
        buf = ctypes.create_string_buffer(image, len(image))
        return self._call("cuModuleLoadData", self.cu.cuModuleLoadData, ctypes.addressof(buf))

    def get_function(self, module, symbol):
        return self._call(f"cuModuleGetFunction({symbol})", self.cu.cuModuleGetFunction, module,
                          symbol.encode())

    def _attr(self, name):
        return getattr(self.cu.CUfunction_attribute, "CU_FUNC_ATTRIBUTE_" + name)

    def get_attribute(self, func, name):
        return int(self._call(f"cuFuncGetAttribute({name})", self.cu.cuFuncGetAttribute,
                              self._attr(name), func))

    def set_attribute(self, func, name, value):
        self._call(f"cuFuncSetAttribute({name}={value})", self.cu.cuFuncSetAttribute, func,
                   self._attr(name), value)

    def launch(self, func, grid, block, shared, stream, params_address):
        self._call("cuLaunchKernel", self.cu.cuLaunchKernel, func, *grid, *block, shared,
                   self.cu.CUstream(stream), params_address, 0)


class CtypesDriver:
    """The driver API straight from libcuda.so.1."""

    def __init__(self):
        self.lib = ctypes.CDLL("libcuda.so.1")
        self.name = "ctypes(libcuda.so.1)"
        P, U, I = ctypes.c_void_p, ctypes.c_uint, ctypes.c_int
        signatures = {
            "cuInit": [U], "cuDeviceGet": [ctypes.POINTER(I), I],
            "cuCtxGetCurrent": [ctypes.POINTER(P)],
            "cuDevicePrimaryCtxRetain": [ctypes.POINTER(P), I], "cuCtxSetCurrent": [P],
            "cuModuleLoadData": [ctypes.POINTER(P), ctypes.c_char_p],
            "cuModuleGetFunction": [ctypes.POINTER(P), P, ctypes.c_char_p],
            "cuFuncGetAttribute": [ctypes.POINTER(I), I, P], "cuFuncSetAttribute": [P, I, I],
            "cuLaunchKernel": [P, U, U, U, U, U, U, U, P, P, P],
            "cuGetErrorName": [I, ctypes.POINTER(ctypes.c_char_p)]}
        for fn, argtypes in signatures.items():
            getattr(self.lib, fn).argtypes = argtypes
            getattr(self.lib, fn).restype = I

    def _check(self, what, rc):
        if rc != 0:
            s = ctypes.c_char_p()
            nm = s.value.decode() if self.lib.cuGetErrorName(rc, ctypes.byref(s)) == 0 else "?"
            raise CudaError(what, nm, rc)

    def init(self, ordinal):
        self._check("cuInit", self.lib.cuInit(0))
        current = ctypes.c_void_p()
        self._check("cuCtxGetCurrent", self.lib.cuCtxGetCurrent(ctypes.byref(current)))
        if not current.value:
            dev, ctx = ctypes.c_int(), ctypes.c_void_p()
            self._check("cuDeviceGet", self.lib.cuDeviceGet(ctypes.byref(dev), ordinal))
            self._check("cuDevicePrimaryCtxRetain",
                        self.lib.cuDevicePrimaryCtxRetain(ctypes.byref(ctx), dev))
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

    def launch(self, func, grid, block, shared, stream, params_address):
        self._check("cuLaunchKernel", self.lib.cuLaunchKernel(
            func, *grid, *block, shared, ctypes.c_void_p(stream), ctypes.c_void_p(params_address),
            None))


_DRIVERS = {}


def _current_device():
    """The device PyTorch or CuPy has made current, when either is in use; else $TRITONC_DEVICE or 0."""
    import sys
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        if torch.cuda.is_available():
            torch.cuda.init()
            return torch.cuda.current_device()
    if "cupy" in sys.modules:
        return sys.modules["cupy"].cuda.Device().id
    return int(os.environ.get("TRITONC_DEVICE", "0"))


def get_driver(backend="cuda"):
    """The process's driver for `backend` ("cuda" or "hip", as the metadata's target says),
    bound to a current context or device (the framework's, or the primary one)."""
    if backend not in _DRIVERS:
        ordinal = _current_device()
        if backend == "hip":
            drv = HipCtypesDriver()
        elif os.environ.get("TRITONC_DRIVER") == "ctypes":
            drv = CtypesDriver()
        else:
            try:
                drv = BindingsDriver()
            except ImportError:
                drv = CtypesDriver()
        drv.init(ordinal)
        _DRIVERS[backend] = drv
    return _DRIVERS[backend]


def current_stream():
    """The stream of the framework in use (PyTorch, then CuPy), else the default stream (0)."""
    import sys
    if "torch" in sys.modules and sys.modules["torch"].cuda.is_initialized():
        return sys.modules["torch"].cuda.current_stream().cuda_stream
    if "cupy" in sys.modules:
        return sys.modules["cupy"].cuda.get_current_stream().ptr
    return 0


def stream_handle(stream):
    """A CUstream handle from an int, a PyTorch stream (.cuda_stream), a CuPy stream (.ptr), or
    anything with __cuda_stream__ (returns (version, handle))."""
    if stream is None:
        return current_stream()
    if isinstance(stream, int):
        return stream
    if hasattr(stream, "__cuda_stream__"):
        return int(stream.__cuda_stream__()[1])
    for attr in ("cuda_stream", "ptr", "handle"):
        if hasattr(stream, attr):
            return int(getattr(stream, attr))
    raise TypeError(f"stream={stream!r}: want an int handle or a PyTorch / CuPy stream")
