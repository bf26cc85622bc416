// Code generation: GPU IR (every block carries a Blocked or Slice layout) → LLVM IR → the
// target's optimizer → PTX / AMDGPU object → cubin / hsaco. The steps are separate calls so the
// driver can stop after any of them (--emit-llvm, -S): emitLLVM, linkMathLibrary, optimize,
// then emitAssembly or emitBinary (the Target's one entry point from an optimized module to a
// binary, running ptxas or ld.lld); packFatbin packs NVIDIA binaries of several archs,
// packOffloadBundle AMD ones.
//
// What lowering expects of its input (the layout passes guarantee it):
//   - every block value has a layout; its lanes cover the target's warp size and its warps the
//     function's num_warps (replication allowed);
//   - a `vec` attribute (int) on a load or store promises that, in every group of `vec`
//     consecutive registers of a thread, the pointers are consecutive, the first is aligned to
//     vec × element size, and the mask is the same; codegen then issues one access per group
//     (clamped to 16 bytes and to the layout's contiguous registers). No `vec`: 1.
// Supported: constant, program_id, num_programs, arange, splat, broadcast, expand_dims,
// convert_layout, every elementwise op (arith, cmp, select, cast incl. fp8, math, extern_call,
// addptr), load, store, atomic_rmw, atomic_cas, reduce, scan, histogram, print and assert
// (NVIDIA), barrier, for, if, while. Any other op is a located error ("'dot' is not supported
// yet for sm_90a").
// Shared memory (convert_layout, reduce and scan across warps, histogram, atomics whose old
// values are used, dot operands staged for ldmatrix) is one dynamic buffer, `global_smem`, as
// in Triton: launch with KernelInfo::sharedBytes. Each op's offset in it comes from the
// allocation analysis (passes/Allocation.h), run before the kernel is lowered.
#pragma once

#include "codegen/Target.h"
#include "ir/IR.h"
#include "support/Diagnostics.h"
#include "support/Source.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace tritonc {

/// One kernel parameter as the binary's entry point receives it.
struct KernelParamABI {
  std::string name;
  std::string type; ///< .tt spelling: "*fp32", "i32", "**fp16"
  bool isPointer = false;
  unsigned size = 0;  ///< bytes in the parameter buffer
  unsigned align = 0; ///< bytes
  int64_t divisibility = 1;
};

/// What a launcher needs to know about one generated kernel.
struct KernelInfo {
  std::string name;
  std::string symbol; ///< the entry's name in the binary
  std::array<unsigned, 3> block{128, 1, 1};
  unsigned numWarps = 4;
  unsigned sharedBytes = 0;           ///< dynamic shared memory to pass at launch
  std::vector<KernelParamABI> params; ///< exactly the kernel's params, in order (no hidden ones)
};

/// Lowers every kernel of `module` into a new LLVM module `out` (in `ctx`) for `target`.
/// Math-library functions stay declarations until linkMathLibrary. Returns false after
/// reporting located errors into `diags`. With `lineInfoSources` (-lineinfo), instructions carry
/// the .tt lines of their ops as line-table-only debug info (LineInfo.h).
bool emitLLVM(const Module &module, const Target &target, llvm::LLVMContext &ctx,
              std::unique_ptr<llvm::Module> &out, std::vector<KernelInfo> &kernels,
              DiagnosticEngine &diags, const SourceManager *lineInfoSources = nullptr);

/// Links the math library functions `module` calls (libdevice / ocml), only those.
bool linkMathLibrary(llvm::Module &module, const Target &target, DiagnosticEngine &diags);

/// Verifies `module` and runs LLVM's default pipeline at `optLevel` (0–3) with the target's
/// passes (NVVMReflect among them).
bool optimize(llvm::Module &module, const Target &target, int optLevel, DiagnosticEngine &diags);

/// The LLVM metadata kind on the conditional branch that enters an alignment-versioned kernel's
/// vectorized version (true) or its fallback (false): !{!"FACTS"}, the checked parameters'
/// names, or !{!"FACTS", !"dot"} when the version computes a dot.
inline constexpr const char *kAlignmentVersionMetadata = "tritonc.alignment_version";

/// PTX (NVIDIA) or AMDGPU assembly of an optimized module; `module` is not changed.
bool emitAssembly(const llvm::Module &module, const Target &target, std::string &assembly,
                  DiagnosticEngine &diags);

/// The loadable binary (cubin / hsaco) of an optimized module; `assembly`, if given, gets
/// the PTX / AMDGPU assembly on the way.
bool emitBinary(const llvm::Module &module, const Target &target, std::string &binary,
                DiagnosticEngine &diags, std::string *assembly = nullptr);

/// One image of a fatbin: a cubin or the PTX for one NVIDIA arch.
struct FatbinImage {
  std::string sm; ///< "80", "90a"
  bool isPtx = false;
  std::string bytes;
};

/// The toolkit's fatbinary on `images` → one fatbin (found and run as toolchain tools are:
/// findFatbinary, runTool; failures are toolchain errors in `diags`).
bool packFatbin(const std::vector<FatbinImage> &images, const ToolchainOptions &toolchain,
                std::string &fatbin, DiagnosticEngine &diags);

/// One AMD code object of an offload bundle.
struct OffloadBundleImage {
  std::string arch; ///< "gfx942"
  std::string codeObject;
};

/// The first bytes of a clang offload bundle.
inline constexpr const char *kOffloadBundleMagic = "__CLANG_OFFLOAD_BUNDLE__";
/// Where each code object starts in a bundle: a multiple of this (clang's HIP toolchain uses the
/// same page alignment).
inline constexpr size_t kOffloadBundleAlignment = 4096;

/// The bundle entry id of `arch`'s code object: "hipv4-amdgcn-amd-amdhsa--gfx942".
std::string offloadBundleId(const std::string &arch);

/// Several AMD code objects → one clang offload bundle (amdgpu/OffloadBundle.cpp has the
/// layout), which hipModuleLoadData accepts.
std::string packOffloadBundle(const std::vector<OffloadBundleImage> &images);

} // namespace tritonc
