"""Launch arguments: device addresses from arrays, scalar bytes, and the checks against the metadata.

Pure Python (no CUDA, no PyTorch): the unit tests run it anywhere. Every check mirrors
include/tritonc/launcher.hpp so a C++ host and a Python host reject the same launches.
"""
import ctypes
import struct

__all__ = ["ArgumentError", "Bits", "cdiv", "array_pointer", "pack_arguments", "select_variant"]


class ArgumentError(TypeError):
    """A launch argument that does not fit the kernel's parameter (count, kind, range, promise)."""


class Bits:
    """A scalar given as its raw bits (fp16, bf16 and fp8 scalars without a float conversion)."""

    def __init__(self, value):
        self.value = int(value)

    def __repr__(self):
        return f"Bits({self.value:#x})"


def cdiv(a, b):
    """ceil(a / b) for non-negative integers: the programs that cover `a` elements in blocks of `b`."""
    return (a + b - 1) // b


# .tt element type -> (struct format, bytes) of a scalar; ints also carry their range.
_INT_RANGE = {
    "i8": (-(1 << 7), (1 << 7) - 1), "i16": (-(1 << 15), (1 << 15) - 1),
    "i32": (-(1 << 31), (1 << 31) - 1), "i64": (-(1 << 63), (1 << 63) - 1),
    "u8": (0, (1 << 8) - 1), "u16": (0, (1 << 16) - 1), "u32": (0, (1 << 32) - 1),
    "u64": (0, (1 << 64) - 1),
}
_FLOAT_FORMAT = {"fp16": "e", "fp32": "f", "fp64": "d"}
_RAW_BITS = {"bf16": 2, "fp8e4nv": 1, "fp8e5": 1, "fp8e4b15": 1, "fp8e4b8": 1, "fp8e5b16": 1}

# Array dtype spellings -> .tt element type.
_TORCH_DTYPE = {"bool": "i1", "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64",
                "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64",
                "float16": "fp16", "bfloat16": "bf16", "float32": "fp32", "float64": "fp64",
                "float8_e4m3fn": "fp8e4nv", "float8_e5m2": "fp8e5"}
# __cuda_array_interface__ typestr kind + bytes -> .tt element type ('<f4' -> fp32).
_TYPESTR = {("b", 1): "i1", ("i", 1): "i8", ("i", 2): "i16", ("i", 4): "i32", ("i", 8): "i64",
            ("u", 1): "u8", ("u", 2): "u16", ("u", 4): "u32", ("u", 8): "u64",
            ("f", 2): "fp16", ("f", 4): "fp32", ("f", 8): "fp64"}
# DLPack DLDataTypeCode + bits -> .tt element type.
_DLPACK = {(0, 8): "i8", (0, 16): "i16", (0, 32): "i32", (0, 64): "i64", (1, 8): "u8",
           (1, 16): "u16", (1, 32): "u32", (1, 64): "u64", (2, 16): "fp16", (2, 32): "fp32",
           (2, 64): "fp64", (4, 16): "bf16", (6, 8): "i1"}
_DLPACK_CUDA_DEVICES = {2, 3, 13}  # kDLCUDA, kDLCUDAHost (pinned, device-visible), kDLCUDAManaged


def _bf16_bits(v):
    (u,) = struct.unpack("<I", struct.pack("<f", v))
    if (u & 0x7F800000) == 0x7F800000 and (u & 0x7FFFFF):  # NaN stays a (quiet) NaN
        return (u >> 16) | 0x40
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF  # round to nearest even


class _DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class _DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class _DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device", _DLDevice), ("ndim", ctypes.c_int32),
                ("dtype", _DLDataType), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


def _dlpack_pointer(value):
    """(address, element type) of a DLPack producer's tensor, or raises ArgumentError."""
    device_type, _ = value.__dlpack_device__()
    if int(device_type) not in _DLPACK_CUDA_DEVICES:
        raise ArgumentError(f"a DLPack array on device type {int(device_type)}, not on the GPU")
    capsule = value.__dlpack__()
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]
    address = get(capsule, b"dltensor")  # DLManagedTensor starts with its DLTensor
    t = _DLTensor.from_address(address)
    dtype = _DLPACK.get((t.dtype.code, t.dtype.bits)) if t.dtype.lanes == 1 else None
    # The capsule is not consumed: its deleter frees the wrapper, the producer keeps the memory.
    return (t.data or 0) + t.byte_offset, dtype


def array_pointer(value):
    """(device address, .tt element type or None) of a GPU array argument.

    Accepts a PyTorch tensor (data_ptr), anything with __cuda_array_interface__ (CuPy, Numba,
    PyTorch), a DLPack producer, a raw integer address, or None (a null pointer).
    """
    if value is None:
        return 0, None
    if isinstance(value, bool):
        raise ArgumentError("a bool")
    if isinstance(value, int):
        return value, None
    dtype = getattr(value, "dtype", None)
    if hasattr(value, "data_ptr") and str(dtype).startswith("torch."):
        if getattr(value, "is_cuda", True) is False:
            raise ArgumentError(f"a tensor on {getattr(value, 'device', 'the CPU')}, not on the GPU")
        return value.data_ptr(), _TORCH_DTYPE.get(str(dtype)[len("torch."):])
    cai = getattr(value, "__cuda_array_interface__", None)
    if cai is not None:
        typestr = cai.get("typestr", "")
        kind, size = (typestr[1:2], int(typestr[2:])) if len(typestr) > 2 else ("", 0)
        return int(cai["data"][0] or 0), _TYPESTR.get((kind, size))
    if hasattr(value, "__dlpack__") and hasattr(value, "__dlpack_device__"):
        return _dlpack_pointer(value)
    raise ArgumentError(f"{type(value).__name__}, which is no GPU array (no data_ptr, "
                        "__cuda_array_interface__ or DLPack)")


def _scalar_bytes(ty, size, value):
    if isinstance(value, Bits):
        if value.value < 0 or value.value >= 1 << (8 * size):
            raise ArgumentError(f"raw bits {value.value:#x} do not fit {size} byte(s)")
        return value.value.to_bytes(size, "little")
    if hasattr(value, "data_ptr") or hasattr(value, "__cuda_array_interface__"):
        raise ArgumentError("an array")
    if ty == "i1":
        if not isinstance(value, (bool, int)) or int(value) not in (0, 1):
            raise ArgumentError(f"{value!r}: an i1 takes True, False, 0 or 1")
        return int(value).to_bytes(size, "little")
    if ty in _INT_RANGE:
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise ArgumentError(f"{value!r} ({type(value).__name__}): {ty} takes an int")
        v = value.__index__()
        lo, hi = _INT_RANGE[ty]
        if not lo <= v <= hi:
            raise ArgumentError(f"{v} is out of range for {ty} ({lo} .. {hi})")
        return (v & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    if ty in _FLOAT_FORMAT or ty == "bf16":
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise ArgumentError(f"{value!r} ({type(value).__name__}): {ty} takes a float")
        if ty == "bf16":
            return _bf16_bits(float(value)).to_bytes(2, "little")
        try:
            return struct.pack("<" + _FLOAT_FORMAT[ty], float(value))
        except (OverflowError, struct.error):
            raise ArgumentError(f"{value!r} does not fit {ty}") from None
    if ty in _RAW_BITS:
        raise ArgumentError(f"{value!r}: pass an {ty} scalar as its raw bits, tritonc.Bits(...)")
    raise ArgumentError(f"unknown scalar type {ty}")


def pack_arguments(kernel_name, params, args):
    """The bytes of every argument, checked against the metadata's `params` (in order).

    Raises ArgumentError naming the kernel, the argument's position and name, and what it needs.
    """
    if len(args) != len(params):
        sig = ", ".join(f"{p['name']}: {p['type']}" for p in params)
        raise ArgumentError(f"kernel '{kernel_name}' takes {len(params)} argument(s) ({sig}), "
                            f"got {len(args)}")
    blobs = []
    for i, (p, a) in enumerate(zip(params, args)):
        where = f"kernel '{kernel_name}': argument {i + 1} ('{p['name']}', {p['type']})"
        size, div = int(p["size"]), int(p.get("divisibility", 1) or 1)
        try:
            if p["kind"] == "pointer":
                address, dtype = array_pointer(a)
                want = p["type"][1:]
                if dtype is not None and not want.startswith("*") and dtype != want:
                    raise ArgumentError(f"an array of {dtype}; it points to {want}")
                if div > 1 and address % div:
                    raise ArgumentError(
                        f"address {address:#x}, but it was compiled for addresses divisible by "
                        f"{div} (the :{div} in its type); pass an aligned array or compile "
                        "without the promise")
                if size != 8:
                    raise ArgumentError(f"a pointer of {size} bytes (only 8 is supported)")
                blobs.append(struct.pack("<Q", address))
            else:
                data = _scalar_bytes(p["type"], size, a)
                value = a.value if isinstance(a, Bits) else a
                if p["type"] in _INT_RANGE and div > 1 and int(value) % div:
                    raise ArgumentError(
                        f"{int(value)}, but it was compiled for values divisible by {div} (the :{div} "
                        "in its type); compile without the promise for such values")
                blobs.append(data)
        except ArgumentError as e:
            raise ArgumentError(f"{where}: got {e}") from None
    return blobs


def _promise_holds(promise, param, arg):
    if param["kind"] == "pointer":
        value = array_pointer(arg)[0]
    elif param["type"] in _INT_RANGE:
        value = arg.value if isinstance(arg, Bits) else int(arg)
    else:
        return False
    if "divisible_by" in promise:
        return value % int(promise["divisible_by"]) == 0
    if "equals" in promise:
        return value == promise["equals"]
    return False  # a promise this runtime does not know never holds


def select_variant(kernel_name, variants, params, args):
    """The index of the variant (metadata "variants", from tritonc --specialize) to launch: the
    first whose promises `args` keep (pointer addresses or integers divisible by 16, integers
    equal to 1), as the C header's and launcher.hpp's dispatchers pick. 0 without variants.
    `args` must already have passed pack_arguments."""
    if not variants:
        return 0
    for i, v in enumerate(variants):
        if all(_promise_holds(p, params[int(p["param"])], args[int(p["param"])])
               for p in v.get("promises", ())):
            return i
    raise ArgumentError(f"kernel '{kernel_name}': no variant's promises hold for these arguments "
                        "(the metadata lists no generic variant)")


class PackedArguments:
    """Argument bytes in 8-byte-aligned host buffers and the void*[] cuLaunchKernel reads."""

    def __init__(self, blobs):
        self.buffers = [(ctypes.c_uint64 * max(1, cdiv(len(b), 8)))() for b in blobs]
        for buf, b in zip(self.buffers, blobs):
            ctypes.memmove(buf, b, len(b))
        self.pointers = (ctypes.c_void_p * max(1, len(blobs)))(
            *[ctypes.addressof(b) for b in self.buffers])
        self.count = len(blobs)

    @property
    def address(self):
        return ctypes.addressof(self.pointers) if self.count else 0


def pack_kernargs(params, blobs):
    """AMD: the explicit part of a kernel's argument segment, each argument's bytes (from
    pack_arguments) at its parameter's `offset` (the code object's notes, through the metadata;
    without one, at the next multiple of its `align`). The hidden arguments behind it are the HIP
    runtime's to append."""
    out, end = bytearray(), 0
    for p, b in zip(params, blobs):
        align = int(p.get("align", 1) or 1)
        at = int(p["offset"]) if "offset" in p else (end + align - 1) // align * align
        size = int(p["size"])
        if len(out) < at + size:
            out.extend(b"\0" * (at + size - len(out)))
        out[at:at + size] = b[:size]
        end = at + size
    return bytes(out)


class KernargBuffer:
    """A packed kernarg buffer and the `extra` array hipModuleLaunchKernel reads:
    {HIP_LAUNCH_PARAM_BUFFER_POINTER, buf, HIP_LAUNCH_PARAM_BUFFER_SIZE, &size, HIP_LAUNCH_PARAM_END}."""

    def __init__(self, data):
        self.data = data
        self.buffer = (ctypes.c_uint64 * max(1, cdiv(len(data), 8)))()
        ctypes.memmove(self.buffer, data, len(data))
        self.size = ctypes.c_size_t(len(data))
        self.extra = (ctypes.c_void_p * 5)(1, ctypes.addressof(self.buffer), 2,
                                           ctypes.addressof(self.size), 3)

    @property
    def address(self):
        return ctypes.addressof(self.extra)


def offload_bundle_entries(data):
    """[(id, bytes)] of a clang offload bundle (what tritonc writes for several --arch gfx
    values); ValueError when it is not one or is truncated."""
    if data[:24] != b"__CLANG_OFFLOAD_BUNDLE__":
        raise ValueError("not a clang offload bundle")
    (count,) = struct.unpack_from("<Q", data, 24)
    at, out = 32, []
    for _ in range(count):
        offset, size, id_len = struct.unpack_from("<QQQ", data, at)
        ident = data[at + 24:at + 24 + id_len].decode()
        at += 24 + id_len
        if offset + size > len(data):
            raise ValueError(f"offload bundle entry {ident} lies outside the file")
        out.append((ident, data[offset:offset + size]))
    return out


def amd_processor(name):
    """'gfx90a:sramecc+:xnack-' -> 'gfx90a'; 'hipv4-amdgcn-amd-amdhsa--gfx942' -> 'gfx942'."""
    return name.rsplit("--", 1)[-1].split(":", 1)[0]
