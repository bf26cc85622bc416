"""tritonc: load and launch kernels compiled by tritonc, from Python.

    import tritonc
    mod = tritonc.load("vector_add.json")        # the metadata; the binary it names is loaded
    add = mod["add_kernel"]
    add[(tritonc.cdiv(n, add.constexprs["BLOCK_SIZE"]),)](x, y, out, n)

`load` reads tritonc's JSON metadata, loads the cubin or fatbin it names into the current CUDA
context (PyTorch's or CuPy's when they are in use, else the device's primary context) and looks
every kernel up by its symbol. For AMD metadata (target.backend "hip") it loads the hsaco, or
the device's code object of a .hipfb bundle (by gcnArchName), through HIP's module API
(libamdhip64.so) and launches with the explicit arguments packed at the metadata's kernarg
offsets. A Kernel launches with the block, dynamic shared memory and
(above 48 KiB) shared-memory opt-in the metadata gives; the grid is the caller's. Arguments are
checked against the metadata first (tritonc.ArgumentError); driver failures raise
tritonc.CudaError. `compile` runs the tritonc binary and loads its output.
"""
import json
import os
import shutil
import subprocess
from pathlib import Path

from ._args import (ArgumentError, Bits, KernargBuffer, PackedArguments, amd_processor,
                    array_pointer, cdiv, offload_bundle_entries, pack_arguments, pack_kernargs,
                    select_variant)
from ._driver import CudaError, HipError, get_driver, stream_handle

__all__ = ["ArgumentError", "Bits", "CompileError", "CudaError", "HipError", "Kernel", "Module",
           "cdiv",
           "compile", "get_driver", "load", "normalize_grid"]
__version__ = "0.1.0"

_DEFAULT_SHARED_LIMIT = 48 * 1024


class CompileError(RuntimeError):
    """tritonc failed: the message holds its diagnostics and exit status."""

    def __init__(self, message, returncode):
        super().__init__(message)
        self.returncode = returncode


def normalize_grid(grid, constexprs):
    """`grid` (an int, 1 to 3 ints, or a function of the constexprs) as 3 ints, checked."""
    if callable(grid):
        grid = grid(constexprs)
    if isinstance(grid, int):
        grid = (grid,)
    try:
        grid = tuple(int(g) for g in grid)
    except TypeError:
        raise ValueError(f"grid {grid!r}: want an int or 1 to 3 ints") from None
    if not 1 <= len(grid) <= 3 or any(g < 0 for g in grid):
        raise ValueError(f"grid {grid}: want 1 to 3 non-negative ints")
    grid += (1,) * (3 - len(grid))
    if grid[0] >= 2**31 or grid[1] > 65535 or grid[2] > 65535:
        raise ValueError(f"grid {grid} exceeds CUDA's limits (2^31-1, 65535, 65535)")
    return grid


class Kernel:
    """One kernel of a loaded module. `kernel[grid](*args, stream=None)` launches it."""

    def __init__(self, module, meta, function, variant_functions=()):
        self.module, self.meta, self.function = module, meta, function
        # tritonc --specialize: every entry, most specialized first, the generic one last.
        self.variants = list(meta.get("variants", ()))
        self.variant_functions = list(variant_functions)
        self.name = meta["name"]
        self.symbol = meta.get("symbol", self.name)
        self.num_warps = int(meta.get("num_warps", 4))
        self.num_stages = int(meta.get("num_stages", 3))
        self.block = tuple(int(b) for b in meta["block"])
        if "arch_blocks" in meta:  # an AMD bundle: the block of the arch that was loaded
            self.block = tuple(int(b) for b in meta["arch_blocks"][module.arch_index])
        self.shared_bytes = int(meta.get("shared_bytes", 0))
        self.cluster_dims = tuple(int(c) for c in meta.get("cluster_dims", (1, 1, 1)))
        self.constexprs = dict(meta.get("constexprs", {}))
        self.params = list(meta["params"])

    def launch(self, grid, *args, stream=None):
        """Checks and packs `args`, then launches on `stream` (default: the framework's current
        stream). An empty grid launches nothing, as in Triton."""
        self.prepare(grid, *args)(stream)

    __call__ = launch

    def prepare(self, grid, *args):
        """Checks and packs `args` once and returns a callable `launch(stream=None)` that launches
        with them: for timing loops and graphs, where packing per launch would be measured too.
        The arrays must stay alive while it is used."""
        if self.cluster_dims != (1, 1, 1):
            raise NotImplementedError(
                f"kernel '{self.name}' was compiled for clusters {self.cluster_dims} "
                "(--num-ctas), which need cuLaunchKernelEx; launch it from C/C++ (the generated "
                "header or launcher.hpp)")
        grid = normalize_grid(grid, self.constexprs)
        blobs = pack_arguments(self.name, self.params, args)
        if self.module.backend == "hip":  # one kernarg buffer through hipModuleLaunchKernel's extra
            packed = KernargBuffer(pack_kernargs(self.params, blobs))
        else:
            packed = PackedArguments(blobs)
        function, shared = self.function, self.shared_bytes
        if self.variants:
            v = self.select_variant(*args)
            function, shared = self.variant_functions[v], int(self.variants[v]["shared_bytes"])
        driver = self.module.driver

        def launch(stream=None):
            if 0 in grid:
                return
            driver.launch(function, grid, self.block, shared, stream_handle(stream),
                          packed.address)

        launch.packed = packed  # keeps the argument buffer alive with the callable
        return launch

    def select_variant(self, *args):
        """The index in `variants` of the entry these arguments launch (0 without variants)."""
        return select_variant(self.name, self.variants, self.params, args)

    def attributes(self):
        """The driver's view of the loaded function: NUM_REGS, LOCAL_SIZE_BYTES (spills and
        stack per thread), SHARED_SIZE_BYTES (static), MAX_THREADS_PER_BLOCK."""
        driver = self.module.driver
        return {name: driver.get_attribute(self.function, name)
                for name in ("NUM_REGS", "LOCAL_SIZE_BYTES", "SHARED_SIZE_BYTES",
                             "MAX_THREADS_PER_BLOCK")}

    def __getitem__(self, grid):
        return lambda *args, stream=None: self.launch(grid, *args, stream=stream)

    def __repr__(self):
        sig = ", ".join(f"{p['name']}: {p['type']}" for p in self.params)
        return f"<tritonc.Kernel {self.name}({sig}) block={self.block} constexprs={self.constexprs}>"


class Module:
    """A loaded binary: a mapping from kernel name to Kernel."""

    def __init__(self, metadata_path, metadata, driver):
        self.path, self.metadata, self.driver = metadata_path, metadata, driver
        fmt = metadata.get("format_version", 1)  # files without it predate format 1
        if fmt != 1:
            raise ValueError(f"{metadata_path}: metadata format_version {fmt} is not supported "
                             "by this runtime (it reads format 1)")
        target = metadata.get("target", {})
        self.backend = target.get("backend", "cuda")
        if self.backend not in ("cuda", "hip"):
            raise ValueError(f"{metadata_path}: a {self.backend} binary; this runtime drives CUDA "
                             "and HIP")
        binary = metadata_path.parent / metadata["binary"]
        if not binary.is_file():
            raise FileNotFoundError(f"{metadata_path}: the binary it names is missing: {binary}")
        image = binary.read_bytes()
        self.arch_index, self.arch = 0, target.get("arch")
        if self.backend == "hip":
            image = self._amd_code_object(image, target, driver.device_arch())
        self.handle = driver.load_module(image)
        self.kernels = {}
        for km in metadata["kernels"]:
            symbol = km.get("symbol", km["name"])
            entries = [(v["symbol"], int(v["shared_bytes"])) for v in km.get("variants", ())]
            functions = [driver.get_function(self.handle, s) for s, _ in entries]
            k = Kernel(self, km, driver.get_function(self.handle, symbol), functions)
            threads = k.block[0] * k.block[1] * k.block[2]
            for (sym, shared), f in [((symbol, k.shared_bytes), k.function)] + list(
                    zip(entries, functions)):
                limit = driver.get_attribute(f, "MAX_THREADS_PER_BLOCK")
                if threads > limit:
                    raise RuntimeError(f"{metadata_path}: kernel '{k.name}' ({sym}): a block of "
                                       f"{threads} threads, but the binary allows {limit}")
                if shared > _DEFAULT_SHARED_LIMIT:
                    driver.set_attribute(f, "MAX_DYNAMIC_SHARED_SIZE_BYTES", shared)
            self.kernels[k.name] = k

    def _amd_code_object(self, image, target, device):
        """The code object for `device` (a gcnArchName): a bundle's entry for its processor, or
        the image when it is one code object for that processor; sets arch / arch_index."""
        want = amd_processor(device)
        if image[:24] != b"__CLANG_OFFLOAD_BUNDLE__":
            if amd_processor(target.get("arch", want)) != want:
                raise RuntimeError(f"{self.path}: a code object for {target.get('arch')}, but the "
                                   f"GPU is {device}: compile with --arch {want}")
            return image
        archs = list(target.get("archs", ()))
        have = []
        for ident, code in offload_bundle_entries(image):
            if not ident.startswith("hip"):
                continue  # the host entry
            have.append(amd_processor(ident))
            if have[-1] == want:
                self.arch = want
                self.arch_index = archs.index(want) if want in archs else 0
                return code
        raise RuntimeError(f"{self.path}: no code object for this GPU ({device}); the bundle "
                           f"holds {', '.join(have) or 'none'}: compile with --arch {want}")

    def __getitem__(self, name):
        try:
            return self.kernels[name]
        except KeyError:
            raise KeyError(f"{self.path}: no kernel '{name}' (it has: "
                           f"{', '.join(self.kernels) or 'none'})") from None

    def __iter__(self):
        return iter(self.kernels)

    def __len__(self):
        return len(self.kernels)


def load(metadata_path, driver=None):
    """Loads the binary that tritonc's metadata JSON names; returns a Module."""
    path = Path(metadata_path)
    if path.suffix in (".cubin", ".fatbin", ".hsaco", ".hipfb"):
        path = path.with_suffix(".json")
    if not path.is_file():
        raise FileNotFoundError(f"metadata not found: {path}")
    metadata = json.loads(path.read_text())
    backend = metadata.get("target", {}).get("backend", "cuda")
    return Module(path, metadata, driver or get_driver(backend))


def compile(source, output, *, arch=None, defines=None, kernels=(), signature=None,
            num_warps=None, num_stages=None, flags=(), tritonc=None, load_module=True,
            driver=None):
    """Runs tritonc on `source` into `output` (+ its .json) and returns the loaded Module (or the
    metadata's path with load_module=False). `tritonc`: the binary (default $TRITONC, then PATH)."""
    exe = tritonc or os.environ.get("TRITONC") or shutil.which("tritonc")
    if not exe:
        raise FileNotFoundError("tritonc not found: set TRITONC or put tritonc on PATH")
    cmd = [exe, str(source), "-o", str(output)]
    if arch:
        cmd += ["--arch", arch if isinstance(arch, str) else ",".join(arch)]
    for name, value in (defines or {}).items():
        cmd += ["-D", f"{name}={value}"]
    for k in kernels:
        cmd += ["--kernel", k]
    if signature:
        cmd += ["--signature", signature]
    if num_warps:
        cmd += ["--num-warps", str(num_warps)]
    if num_stages:
        cmd += ["--num-stages", str(num_stages)]
    cmd += list(flags)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise CompileError(f"tritonc failed (exit status {done.returncode}):\n{done.stderr}",
                           done.returncode)
    metadata = Path(output).with_suffix(".json")
    return load(metadata, driver) if load_module else metadata
