// The codegen side of a target: everything GPU-IR lowering needs to know about the machine
// that is not plain data (that lives in support/TargetInfo.h). An LLVM TargetMachine, the
// kernel ABI, thread and program ids, barriers, global loads and stores, native math and the
// math library, and the steps from an optimized LLVM module to a loadable binary.
//
// Implementations: nvptx/NVPTXTarget (PTX, libdevice, ptxas → cubin) and
// amdgpu/AMDGPUTarget (ocml, object, ld.lld → hsaco). Lowering code asks these hooks; it never
// tests an arch string.
#pragma once

#include "codegen/Toolchain.h"
#include "ir/IR.h"
#include "support/Diagnostics.h"
#include "support/TargetInfo.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/Target/TargetMachine.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tritonc {

/// Cache hints of a load or store, as the op's attributes spell them (see docs/IR.md).
struct MemoryHints {
  std::string cache; ///< "", ".ca", ".cg", ".cv" (loads); "", ".wb", ".cg", ".cs", ".wt" (stores)
  std::string evict; ///< "", "evict_first", "evict_last", "evict_normal"
  bool isVolatile = false;
};

/// One memory access of `numElems` consecutive elements of `elemType` starting at `ptr`,
/// aligned to `alignBytes`, performed only where `pred` (an i1; nullptr: always) is true.
/// `elemType` is the in-memory type (i1 is stored as i8 by the caller).
struct VectorAccess {
  llvm::Value *ptr = nullptr;
  llvm::Type *elemType = nullptr;
  unsigned numElems = 1;
  unsigned alignBytes = 1;
  llvm::Value *pred = nullptr;
  MemoryHints hints;
  /// Loads only: where `pred` is false the result is zero (else undefined).
  bool zeroFill = false;
};

/// One atomic read-modify-write of one element (a compare-and-swap when `kind` is "cas"),
/// performed only where `pred` (nullptr: always) is true.
struct AtomicAccess {
  std::string kind; ///< add max min and or xor xchg cas
  llvm::Value *ptr = nullptr;
  llvm::Value *value = nullptr;
  llvm::Value *cmp = nullptr; ///< cas only
  llvm::Value *pred = nullptr;
  bool isFloat = false, isSigned = false;
  std::string sem;   ///< relaxed acquire release acq_rel
  std::string scope; ///< cta gpu sys
};

/// What one kernel entry of a binary uses, as the assembler reports it (ptxas -v for a cubin;
/// the code object's metadata notes for an AMD hsaco). What a backend does not report is 0.
struct KernelResources {
  std::string symbol;
  unsigned registers = 0;                   ///< per thread (AMD: VGPRs per work-item)
  unsigned sgprs = 0;                       ///< AMD: scalar registers per wavefront
  uint64_t spillStores = 0, spillLoads = 0; ///< NVIDIA: bytes of spill stores / loads
  unsigned vgprSpills = 0, sgprSpills = 0;  ///< AMD: registers spilled
  uint64_t stackBytes = 0;                  ///< local memory (stack frame, private segment)
  uint64_t staticSharedBytes = 0;           ///< shared memory (LDS) the code declares itself
  unsigned wavefrontSize = 0;               ///< AMD: lanes per wavefront the code object declares
  /// AMD: each explicit kernel argument's offset and size in the kernarg segment, in order.
  std::vector<std::pair<uint64_t, uint64_t>> argOffsets;
  uint64_t kernargBytes = 0; ///< AMD: the whole kernarg segment (hidden arguments included)
};

class Target {
public:
  virtual ~Target();

  const TargetInfo &info() const { return info_; }
  const ToolchainOptions &toolchain() const { return toolchain_; }
  llvm::TargetMachine &machine() const { return *machine_; }
  /// e.g. "'dot' is not supported yet for sm_90a" uses this name.
  const std::string &archName() const { return info_.arch; }

  /// Sets the triple, data layout and module flags of a module about to receive kernels.
  virtual void configureModule(llvm::Module &module) const;
  /// Makes `fn` a kernel entry of `numThreads` threads per CTA (calling convention, limits).
  virtual void configureKernel(llvm::Function &fn, unsigned numThreads) const = 0;

  // ---- ids and synchronization (all i32)
  virtual llvm::Value *threadId(llvm::IRBuilderBase &b) const = 0; ///< flat id in the CTA
  virtual llvm::Value *programId(llvm::IRBuilderBase &b, unsigned axis) const = 0;
  virtual llvm::Value *numPrograms(llvm::IRBuilderBase &b, unsigned axis) const = 0;
  /// A CTA-wide barrier that also orders shared-memory accesses before and after it.
  virtual void barrier(llvm::IRBuilderBase &b) const = 0;
  /// The i32 `value` of the lane whose id is this lane's XOR `laneMask` (all lanes of the warp
  /// take part).
  virtual llvm::Value *shuffleXor(llvm::IRBuilderBase &b, llvm::Value *value,
                                  unsigned laneMask) const = 0;
  unsigned sharedAddressSpace() const { return 3; }

  // ---- debugging (tl.device_print, tl.device_assert)
  /// A device printf of `format` with `args` (i32, i64, double or pointers: C's promotions
  /// already applied). False, having emitted nothing, where the target cannot print.
  virtual bool emitPrintf(llvm::IRBuilderBase &b, const std::string &format,
                          llvm::ArrayRef<llvm::Value *> args) const;
  /// Stops the kernel with an assertion failure that names `message`, the source `file` and
  /// `line` and the kernel `function`. False, having emitted nothing, where unsupported.
  virtual bool emitAssertFail(llvm::IRBuilderBase &b, const std::string &message,
                              const std::string &file, unsigned line,
                              const std::string &function) const;

  // ---- memory
  /// Loads `a.numElems` elements; returns them (undefined where `a.pred` is false). The
  /// default is a plain LLVM load guarded by a branch.
  virtual std::vector<llvm::Value *> emitLoad(llvm::IRBuilderBase &b, const VectorAccess &a) const;
  virtual void emitStore(llvm::IRBuilderBase &b, const VectorAccess &a,
                         const std::vector<llvm::Value *> &values) const;
  /// Performs an atomic; returns the old value (undefined where `a.pred` is false). The
  /// default is LLVM's atomicrmw / cmpxchg guarded by a branch.
  virtual llvm::Value *emitAtomic(llvm::IRBuilderBase &b, const AtomicAccess &a) const;
  /// LLVM's sync scope for "cta", "gpu" or "sys" (default: system scope, the strongest).
  virtual llvm::SyncScope::ID syncScope(llvm::LLVMContext &ctx, const std::string &scope) const;
  /// Empty if the hints are valid for a load (store); otherwise why not.
  virtual std::string checkHints(const MemoryHints &hints, bool isStore) const;

  // ---- math
  /// A native lowering of the math op `code` on f32 or f64 operands, or nullptr when the math
  /// library should be called instead (see mathFunctionName). Also asked for float `/`
  /// (OpCode::Div), where nullptr means LLVM's correctly rounded fdiv.
  virtual llvm::Value *emitMath(llvm::IRBuilderBase &b, OpCode code,
                                llvm::ArrayRef<llvm::Value *> args) const = 0;
  /// The math library's function for `name` ("exp", "tanh", ...) on scalars of `type`
  /// (f32 → "__nv_expf", f64 → "__nv_exp"; ints: "__nv_" + name). Names already starting
  /// with "__" are taken as they are.
  virtual std::string mathFunctionName(const std::string &name, llvm::Type *type) const = 0;
  /// The signature ("float (float)") of a math-library function, "" if there is none.
  /// False with `error` set if the library itself cannot be read.
  bool mathFunctionSignature(const std::string &symbol, std::string &signature,
                             std::string &error) const;
  /// Links the library functions `module` calls (only those) and internalizes them.
  bool linkMathLibrary(llvm::Module &module, std::string &error) const;

  // ---- output
  /// The target assembly emitBinary assembles, for -S: emitAssembly's unless the target
  /// decides something with its assembler (NVIDIA: the register caps of alignment-versioned
  /// kernels, see NVPTXTarget.cpp; without ptxas, the PTX without them).
  virtual bool emitFinalAssembly(const llvm::Module &module, std::string &assembly,
                                 DiagnosticEngine &diags) const;
  /// The binary (cubin, hsaco) of an optimized module; `assembly`, if given, receives the
  /// target assembly (PTX, AMDGPU asm). `module` is not changed (codegen runs on a clone).
  virtual bool emitBinary(const llvm::Module &module, std::string &binary, std::string *assembly,
                          DiagnosticEngine &diags) const = 0;
  /// The resources of each kernel of the binary the last successful emitBinary produced.
  const std::vector<KernelResources> &resourceUsage() const { return resources_; }
  /// Target assembly text of an optimized module (on a clone; `module` is not changed).
  bool emitAssembly(const llvm::Module &module, std::string &assembly, std::string &error) const;

protected:
  Target(TargetInfo info, ToolchainOptions toolchain, std::unique_ptr<llvm::TargetMachine> tm);
  /// Runs the TargetMachine's code generator on a clone of `module`.
  bool emitFile(const llvm::Module &module, bool object, std::string &out,
                std::string &error) const;
  /// The bitcode files making up the math library, in link order (the first ones define the
  /// functions; later ones the control variables they read).
  virtual bool mathLibraryFiles(std::vector<std::string> &files, std::string &error) const = 0;

  TargetInfo info_;
  ToolchainOptions toolchain_;
  /// Filled by emitBinary (see resourceUsage).
  mutable std::vector<KernelResources> resources_;
  std::unique_ptr<llvm::TargetMachine> machine_;

private:
  bool indexMathLibrary(std::string &error) const;
  mutable std::once_flag indexOnce_;
  mutable std::string indexError_;
  mutable std::map<std::string, std::string> librarySignatures_;
};

/// `info` with the PTX ISA version raised to what `module` needs on NVIDIA: 8.4 where a dot
/// runs on fp8 mma.sync (sm_89 and sm_90 otherwise emit 7.8 / 8.0, which older ptxas accept).
TargetInfo targetInfoForModule(const Module &module, const TargetInfo &info);

/// The codegen Target for a TargetInfo from targetInfoForArch. Null with `error` set if LLVM was
/// built without the backend or the arch is unknown to it.
std::unique_ptr<Target> createTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
                                     std::string &error);

} // namespace tritonc
