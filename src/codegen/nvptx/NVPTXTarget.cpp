// The NVIDIA target. Choices follow Triton 3's CUDA backend where it has one:
//   - global loads and stores are inline PTX (`@p ld.global.v4.b32 {...}, [ptr];`) so that one
//     predicate guards a whole vector and cache/eviction hints can be spelled; atomics too
//     (`atom.acq_rel.gpu.global.add.f32`), since LLVM would drop their memory order;
//   - warp shuffles are shfl.sync.bfly, barriers bar.sync 0;
//   - exp on f32 is ex2.approx(x·log2 e), exp2 is ex2.approx.ftz (one MUFU.EX2, as in Triton's
//     attention SASS; without .ftz ptxas adds a compare and two multiplies per exp2 for
//     subnormal results), sqrt is sqrt.approx.f32 (tl.sqrt),
//     sqrt_rn / div_rn are IEEE, `/` and fdiv on f32 are div.full (Triton's FDivOpConversion:
//     dropout's `x / (1 - p)` gives Triton's bits); everything else calls libdevice (__nv_*),
//     linked with nvvm-reflect-ftz = 1 as Triton does;
//   - FMA contraction is on (Triton's enable_fp_fusion default); ptxas -O3 makes the cubin;
//   - an alignment-versioned kernel is capped (.maxnreg) at its vectorized version's occupancy
//     (registerCaps below).
#include "codegen/nvptx/NVPTXTarget.h"

#include "codegen/Codegen.h"
#include "codegen/Toolchain.h"
#include <cctype>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include <llvm-c/Target.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/IntrinsicsNVPTX.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Utils/Local.h>

namespace tritonc {

namespace {

/// The PTX ISA feature LLVM should emit for a target (TargetInfo::ptxVersion: the lowest that has
/// the arch and every instruction we use on it).
std::string ptxFeature(const TargetInfo &info) { return "+ptx" + std::to_string(info.ptxVersion); }

/// A NUL-terminated string constant in global memory, as a generic pointer.
llvm::Value *genericString(llvm::IRBuilderBase &b, const std::string &text, const char *name) {
  llvm::Module &m = *b.GetInsertBlock()->getModule();
  llvm::Constant *data = llvm::ConstantDataArray::getString(m.getContext(), text);
  auto *gv = new llvm::GlobalVariable(m, data->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                      data, name, nullptr, llvm::GlobalValue::NotThreadLocal, 1);
  gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(llvm::Align(1));
  return b.CreateAddrSpaceCast(gv, llvm::PointerType::get(m.getContext(), 0));
}

llvm::Value *toBits(llvm::IRBuilderBase &b, llvm::Value *v) {
  llvm::Type *ty = v->getType();
  if (ty->isPointerTy())
    return b.CreatePtrToInt(v, b.getInt64Ty());
  if (ty->isIntegerTy())
    return v;
  return b.CreateBitCast(v, b.getIntNTy(ty->getPrimitiveSizeInBits()));
}

llvm::Value *fromBits(llvm::IRBuilderBase &b, llvm::Value *bits, llvm::Type *ty) {
  if (ty->isPointerTy())
    return b.CreateIntToPtr(bits, ty);
  if (ty->isIntegerTy())
    return bits;
  return b.CreateBitCast(bits, ty);
}

/// How a vector access is cut into PTX words: Triton's rule (words of 32 bits, or of the
/// element size if larger; fewer bits if the whole access is smaller).
struct WordShape {
  unsigned elemBits, wordBits, numWords, elemsPerWord;
  /// Register width holding a word: 8-bit words live in 16-bit registers ('h').
  unsigned regBits() const { return wordBits == 8 ? 16 : wordBits; }
  char constraint() const { return regBits() == 16 ? 'h' : regBits() == 32 ? 'r' : 'l'; }
};

WordShape wordShape(const VectorAccess &a) {
  unsigned elemBits =
      a.elemType->isPointerTy() ? 64 : static_cast<unsigned>(a.elemType->getPrimitiveSizeInBits());
  unsigned total = elemBits * a.numElems;
  unsigned word = std::min(total, std::max(32u, elemBits));
  return {elemBits, word, total / word, word / elemBits};
}

/// PTX takes either a cache operator or an L1 eviction priority, not both (ptxas: "Modifier
/// '.evict_last' cannot be combined with modifier '.cg'"); the cache operator wins, as it
/// decides whether L1 is used at all. Volatile accesses take neither.
std::string hintSuffix(const MemoryHints &hints) {
  if (hints.isVolatile)
    return "";
  if (!hints.cache.empty())
    return hints.cache;
  return hints.evict.empty() ? "" : ".L1::" + hints.evict;
}

std::string operandList(unsigned first, unsigned count) {
  std::string s = count > 1 ? "{" : "";
  for (unsigned i = 0; i < count; ++i)
    s += (i ? ", $" : "$") + std::to_string(first + i);
  return s + (count > 1 ? "}" : "");
}

class NVPTXTarget final : public Target {
public:
  NVPTXTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
              std::unique_ptr<llvm::TargetMachine> tm)
      : Target(info, toolchain, std::move(tm)) {}

  void configureModule(llvm::Module &module) const override {
    Target::configureModule(module);
    // libdevice asks __nvvm_reflect("__CUDA_FTZ"); Triton answers 1 (flush denormals there).
    module.addModuleFlag(llvm::Module::Override, "nvvm-reflect-ftz", 1);
  }

  void configureKernel(llvm::Function &fn, unsigned numThreads) const override {
    fn.setCallingConv(llvm::CallingConv::PTX_Kernel);
    fn.addFnAttr("nvvm.maxntid", std::to_string(numThreads));
    if (toolchain_.maxRegisters) // --maxnreg
      fn.addFnAttr("nvvm.maxnreg", std::to_string(toolchain_.maxRegisters));
  }

  llvm::Value *threadId(llvm::IRBuilderBase &b) const override {
    return b.CreateIntrinsic(b.getInt32Ty(), llvm::Intrinsic::nvvm_read_ptx_sreg_tid_x, {});
  }

  llvm::Value *programId(llvm::IRBuilderBase &b, unsigned axis) const override {
    static const llvm::Intrinsic::ID ids[] = {llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_x,
                                              llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_y,
                                              llvm::Intrinsic::nvvm_read_ptx_sreg_ctaid_z};
    return b.CreateIntrinsic(b.getInt32Ty(), ids[axis], {});
  }

  llvm::Value *numPrograms(llvm::IRBuilderBase &b, unsigned axis) const override {
    static const llvm::Intrinsic::ID ids[] = {llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_x,
                                              llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_y,
                                              llvm::Intrinsic::nvvm_read_ptx_sreg_nctaid_z};
    return b.CreateIntrinsic(b.getInt32Ty(), ids[axis], {});
  }

  void barrier(llvm::IRBuilderBase &b) const override {
    b.CreateIntrinsic(llvm::Intrinsic::nvvm_barrier_cta_sync_aligned_all, {b.getInt32(0)});
  }

  llvm::Value *shuffleXor(llvm::IRBuilderBase &b, llvm::Value *value,
                          unsigned laneMask) const override {
    return b.CreateIntrinsic(llvm::Intrinsic::nvvm_shfl_sync_bfly_i32,
                             {b.getInt32(0xFFFFFFFF), value, b.getInt32(laneMask), b.getInt32(31)});
  }

  bool emitPrintf(llvm::IRBuilderBase &b, const std::string &format,
                  llvm::ArrayRef<llvm::Value *> args) const override {
    // vprintf(format, buffer): the arguments packed at their natural alignment in a local
    // buffer (allocated once in the entry block), both passed as generic pointers.
    llvm::Module &m = *b.GetInsertBlock()->getModule();
    llvm::LLVMContext &ctx = m.getContext();
    llvm::Type *ptrTy = llvm::PointerType::get(ctx, 0);
    llvm::FunctionCallee vprintf = m.getOrInsertFunction(
        "vprintf", llvm::FunctionType::get(b.getInt32Ty(), {ptrTy, ptrTy}, false));
    llvm::Value *buffer = llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ptrTy));
    if (!args.empty()) {
      std::vector<llvm::Type *> fields;
      for (llvm::Value *a : args)
        fields.push_back(a->getType());
      auto *bufTy = llvm::StructType::get(ctx, fields);
      llvm::Function *fn = b.GetInsertBlock()->getParent();
      llvm::IRBuilder<> entry(&fn->getEntryBlock(), fn->getEntryBlock().begin());
      llvm::AllocaInst *slot =
          entry.CreateAlloca(bufTy, m.getDataLayout().getAllocaAddrSpace(), nullptr, "printf.buf");
      for (unsigned i = 0; i < args.size(); ++i)
        b.CreateStore(args[i], b.CreateStructGEP(bufTy, slot, i));
      buffer = b.CreateAddrSpaceCast(slot, ptrTy);
    }
    b.CreateCall(vprintf, {genericString(b, format, "printf.format"), buffer});
    return true;
  }

  bool emitAssertFail(llvm::IRBuilderBase &b, const std::string &message, const std::string &file,
                      unsigned line, const std::string &function) const override {
    // CUDA's __assertfail(message, file, line, function, charSize) prints
    // "file:line: function: block: [..], thread: [..] Assertion `message` failed." and traps.
    llvm::Module &m = *b.GetInsertBlock()->getModule();
    llvm::Type *ptrTy = llvm::PointerType::get(m.getContext(), 0);
    llvm::FunctionCallee fail = m.getOrInsertFunction(
        "__assertfail",
        llvm::FunctionType::get(b.getVoidTy(),
                                {ptrTy, ptrTy, b.getInt32Ty(), ptrTy, b.getInt64Ty()}, false));
    b.CreateCall(fail, {genericString(b, message, "assert.message"),
                        genericString(b, file, "assert.file"), b.getInt32(line),
                        genericString(b, function, "assert.function"), b.getInt64(1)});
    return true;
  }

  std::vector<llvm::Value *> emitLoad(llvm::IRBuilderBase &b,
                                      const VectorAccess &a) const override {
    if (a.ptr->getType()->getPointerAddressSpace() != 1)
      return Target::emitLoad(b, a);
    WordShape w = wordShape(a);
    unsigned numInputs = a.pred ? 2 : 1;
    std::string text;
    if (a.pred && a.zeroFill) // zero where the predicate is off, as one register move each
      for (unsigned i = 0; i < w.numWords; ++i)
        text += "mov.b" + std::to_string(w.regBits()) + " $" + std::to_string(i) + ", 0; ";
    text += a.pred ? "@$" + std::to_string(w.numWords) + " " : "";
    text += std::string("ld") + (a.hints.isVolatile ? ".volatile" : "") + ".global" +
            hintSuffix(a.hints) + (w.numWords > 1 ? ".v" + std::to_string(w.numWords) : "") + ".b" +
            std::to_string(w.wordBits) + " " + operandList(0, w.numWords) + ", [$" +
            std::to_string(w.numWords + numInputs - 1) + "];";
    std::string constraints;
    for (unsigned i = 0; i < w.numWords; ++i)
      constraints += std::string(i ? "," : "") + "=" + w.constraint();
    constraints += a.pred ? ",b,l" : ",l";

    llvm::Type *regTy = b.getIntNTy(w.regBits());
    llvm::Type *retTy = regTy;
    if (w.numWords > 1)
      retTy = llvm::StructType::get(b.getContext(), std::vector<llvm::Type *>(w.numWords, regTy));
    std::vector<llvm::Value *> args;
    std::vector<llvm::Type *> argTys;
    if (a.pred) {
      args.push_back(a.pred);
      argTys.push_back(a.pred->getType());
    }
    args.push_back(a.ptr);
    argTys.push_back(a.ptr->getType());
    auto *asmTy = llvm::FunctionType::get(retTy, argTys, false);
    // Volatile loads must stay where they are; others only read memory (CSE/DCE may act).
    auto *asmFn = llvm::InlineAsm::get(asmTy, text, constraints, a.hints.isVolatile);
    llvm::CallInst *call = b.CreateCall(asmTy, asmFn, args);
    if (!a.hints.isVolatile)
      call->setOnlyReadsMemory();

    std::vector<llvm::Value *> out;
    for (unsigned i = 0; i < w.numWords; ++i) {
      llvm::Value *word = w.numWords > 1 ? b.CreateExtractValue(call, i) : call;
      if (w.regBits() != w.wordBits)
        word = b.CreateTrunc(word, b.getIntNTy(w.wordBits));
      if (w.elemsPerWord == 1) {
        out.push_back(fromBits(b, word, a.elemType));
        continue;
      }
      auto *vecTy = llvm::FixedVectorType::get(b.getIntNTy(w.elemBits), w.elemsPerWord);
      llvm::Value *lanes = b.CreateBitCast(word, vecTy);
      for (unsigned k = 0; k < w.elemsPerWord; ++k)
        out.push_back(fromBits(b, b.CreateExtractElement(lanes, b.getInt32(k)), a.elemType));
    }
    return out;
  }

  void emitStore(llvm::IRBuilderBase &b, const VectorAccess &a,
                 const std::vector<llvm::Value *> &values) const override {
    if (a.ptr->getType()->getPointerAddressSpace() != 1)
      return Target::emitStore(b, a, values);
    WordShape w = wordShape(a);
    std::vector<llvm::Value *> args;
    for (unsigned i = 0; i < w.numWords; ++i) {
      llvm::Value *word;
      if (w.elemsPerWord == 1) {
        word = toBits(b, values[i]);
      } else {
        auto *vecTy = llvm::FixedVectorType::get(b.getIntNTy(w.elemBits), w.elemsPerWord);
        word = llvm::PoisonValue::get(vecTy);
        for (unsigned k = 0; k < w.elemsPerWord; ++k)
          word =
              b.CreateInsertElement(word, toBits(b, values[i * w.elemsPerWord + k]), b.getInt32(k));
        word = b.CreateBitCast(word, b.getIntNTy(w.wordBits));
      }
      if (w.regBits() != w.wordBits)
        word = b.CreateZExt(word, b.getIntNTy(w.regBits()));
      args.push_back(word);
    }
    const unsigned n = w.numWords;
    std::string text = a.pred ? "@$" + std::to_string(n) + " " : "";
    text += std::string("st") + (a.hints.isVolatile ? ".volatile" : "") + ".global" +
            hintSuffix(a.hints) + (n > 1 ? ".v" + std::to_string(n) : "") + ".b" +
            std::to_string(w.wordBits) + " [$" + std::to_string(a.pred ? n + 1 : n) + "], " +
            operandList(0, n) + ";";
    std::string constraints;
    for (unsigned i = 0; i < n; ++i)
      constraints += std::string(i ? "," : "") + w.constraint();
    constraints += a.pred ? ",b,l" : ",l";
    if (a.pred)
      args.push_back(a.pred);
    args.push_back(a.ptr);
    std::vector<llvm::Type *> argTys;
    for (llvm::Value *v : args)
      argTys.push_back(v->getType());
    auto *asmTy = llvm::FunctionType::get(b.getVoidTy(), argTys, false);
    b.CreateCall(asmTy, llvm::InlineAsm::get(asmTy, text, constraints, /*sideEffects=*/true), args);
  }

  llvm::SyncScope::ID syncScope(llvm::LLVMContext &ctx, const std::string &scope) const override {
    if (scope == "cta")
      return ctx.getOrInsertSyncScopeID("block");
    if (scope == "sys")
      return llvm::SyncScope::System;
    return ctx.getOrInsertSyncScopeID("device"); // "gpu", the default
  }

  /// Inline PTX `atom.<sem>.<scope>.global.<op>.<type>`, as Triton: LLVM 22 drops the
  /// ordering of atomicrmw add/max/... on NVPTX (it emits relaxed system-scope atom). Float
  /// max/min and sub-word integer ops have no PTX atom; they take the generic path (LLVM's
  /// compare-and-swap loop, whose cas keeps its ordering).
  llvm::Value *emitAtomic(llvm::IRBuilderBase &b, const AtomicAccess &a) const override {
    llvm::Type *ty = a.value->getType();
    const unsigned bits =
        ty->isPointerTy() ? 64 : static_cast<unsigned>(ty->getPrimitiveSizeInBits());
    const std::string width = std::to_string(bits);
    std::string op = a.kind, type = ".b" + width;
    bool native = bits >= 32;
    if (a.kind == "cas") {
      native = bits >= 16;
    } else if (a.kind == "add" && a.isFloat) {
      type = bits == 16 ? (ty->isBFloatTy() ? ".noftz.bf16" : ".noftz.f16") : ".f" + width;
      native = !ty->isBFloatTy() || info_.computeCapability >= 90;
    } else if (a.kind == "add") {
      type = ".u" + width;
    } else if (a.kind == "max" || a.kind == "min") {
      type = (a.isSigned ? ".s" : ".u") + width;
      native &= !a.isFloat;
    } else if (a.kind == "xchg") {
      op = "exch";
    }
    if (!native || a.ptr->getType()->getPointerAddressSpace() != 1)
      return Target::emitAtomic(b, a);

    const char c = bits == 16 ? 'h' : bits == 32 ? 'r' : 'l';
    std::vector<llvm::Value *> args;
    std::string constraints = std::string("=") + c;
    if (a.pred) {
      args.push_back(a.pred);
      constraints += ",b";
    }
    const unsigned ptrIndex = static_cast<unsigned>(args.size()) + 1;
    args.push_back(a.ptr);
    constraints += ",l";
    if (a.cmp) {
      args.push_back(toBits(b, a.cmp));
      constraints += std::string(",") + c;
    }
    args.push_back(toBits(b, a.value));
    constraints += std::string(",") + c;
    std::string text = a.pred ? "@$1 " : "";
    text += "atom." + (a.sem.empty() ? std::string("acq_rel") : a.sem) + "." +
            (a.scope.empty() ? std::string("gpu") : a.scope) + ".global." + op + type + " $0, [$" +
            std::to_string(ptrIndex) + "], $" + std::to_string(ptrIndex + 1) +
            (a.cmp ? ", $" + std::to_string(ptrIndex + 2) : "") + ";";
    std::vector<llvm::Type *> argTys;
    for (llvm::Value *v : args)
      argTys.push_back(v->getType());
    auto *asmTy = llvm::FunctionType::get(b.getIntNTy(bits), argTys, false);
    llvm::Value *old = b.CreateCall(
        asmTy, llvm::InlineAsm::get(asmTy, text, constraints, /*sideEffects=*/true), args);
    return fromBits(b, old, ty);
  }

  llvm::Value *emitMath(llvm::IRBuilderBase &b, OpCode code,
                        llvm::ArrayRef<llvm::Value *> args) const override {
    llvm::Value *x = args[0];
    const bool f32 = x->getType()->isFloatTy();
    switch (code) {
    case OpCode::Exp:
      if (!f32)
        return nullptr;
      return b.CreateIntrinsic(
          llvm::Intrinsic::nvvm_ex2_approx, {x->getType()},
          {b.CreateFMul(x, llvm::ConstantFP::get(x->getType(), 1.4426950408889634))});
    case OpCode::Exp2: // flushing subnormals, as Triton (exp keeps them, as Triton)
      return f32 ? b.CreateIntrinsic(llvm::Intrinsic::nvvm_ex2_approx_ftz, {x->getType()}, {x})
                 : nullptr;
    case OpCode::Sqrt:
      if (f32)
        return b.CreateIntrinsic(llvm::Intrinsic::nvvm_sqrt_approx_f, {x});
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x);
    case OpCode::SqrtRn:
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x);
    case OpCode::DivRn:
      return f32 ? b.CreateIntrinsic(llvm::Intrinsic::nvvm_div_rn_f, {x, args[1]})
                 : b.CreateFDiv(x, args[1]);
    case OpCode::Div: // `/` is div.full.f32 (2 ulp), as in Triton: same bits, and no slow path
    case OpCode::FDiv:
      return f32 ? b.CreateIntrinsic(llvm::Intrinsic::nvvm_div_full, {x, args[1]})
                 : b.CreateFDiv(x, args[1]);
    case OpCode::Floor:
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x);
    case OpCode::Ceil:
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, x);
    default:
      return nullptr;
    }
  }

  std::string mathFunctionName(const std::string &name, llvm::Type *type) const override {
    if (name.starts_with("__"))
      return name;
    return "__nv_" + name + (type->isFloatTy() ? "f" : "");
  }

  bool emitBinary(const llvm::Module &module, std::string &binary, std::string *assembly,
                  DiagnosticEngine &diags) const override {
    std::string ptx;
    bool ok = compile(module, ptx, binary, diags);
    if (assembly)
      *assembly = ptx;
    return ok;
  }

  bool emitFinalAssembly(const llvm::Module &module, std::string &assembly,
                         DiagnosticEngine &diags) const override {
    std::string error, cubin;
    if (findPtxas(toolchain_, error).empty()) // nothing to measure registers with
      return Target::emitFinalAssembly(module, assembly, diags);
    DiagnosticEngine quiet; // ptxas's complaints belong to a cubin build
    if (compile(module, assembly, cubin, quiet))
      return true;
    return Target::emitFinalAssembly(module, assembly, diags);
  }

private:
  /// PTX, then the cubin; registers capped where alignment versioning calls for it.
  bool compile(const llvm::Module &module, std::string &ptx, std::string &cubin,
               DiagnosticEngine &diags) const;
  std::map<std::string, unsigned>
  registerCaps(const llvm::Module &module, const std::map<std::string, unsigned> &registers) const;

protected:
  bool mathLibraryFiles(std::vector<std::string> &files, std::string &error) const override {
    std::string path = findLibdevice(toolchain_, error);
    if (path.empty())
      return false;
    files = {path};
    return true;
  }
};

/// Threads one SM holds at once (the CUDA programming guide's table of compute capabilities).
unsigned maxThreadsPerSM(unsigned cc) {
  if (cc == 86 || cc == 89 || cc >= 120)
    return 1536;
  return cc < 80 ? 1024 : 2048;
}

/// CTAs of `threads` threads at `regs` registers each that fit on one SM: 64K registers,
/// allocated per warp in units of 256 (8 per thread), at most 32 CTAs.
unsigned ctasPerSM(unsigned regs, unsigned threads, unsigned cc) {
  const unsigned warps = (threads + 31) / 32;
  const unsigned perWarp = (regs * 32 + 255) / 256 * 256;
  const unsigned byRegs = perWarp ? 65536 / (perWarp * warps) : 32;
  return std::min({byRegs, maxThreadsPerSM(cc) / (warps * 32), 32u});
}

/// The register cap of a versioned kernel whose vectorized version alone needs `fastRegs`: the
/// most registers that keep the occupancy that version has (spare registers are free, and the
/// fallback spills less), at most 255.
unsigned registerCap(unsigned fastRegs, unsigned threads, unsigned cc) {
  const unsigned ctas = ctasPerSM(fastRegs, threads, cc);
  unsigned cap = fastRegs;
  for (unsigned r = (fastRegs + 7) / 8 * 8; r <= 256; r += 8) {
    unsigned regs = std::min(r, 255u);
    if (ctasPerSM(regs, threads, cc) != ctas)
      break;
    cap = std::max(cap, regs);
  }
  return cap;
}

/// The threads per CTA of a kernel: its nvvm.maxntid (128 when absent).
unsigned threadsPerCTA(const llvm::Function &fn) {
  unsigned n = 0;
  if (auto attr = fn.getFnAttribute("nvvm.maxntid"); attr.isStringAttribute())
    n = static_cast<unsigned>(std::strtoul(attr.getValueAsString().str().c_str(), nullptr, 10));
  return n ? n : 128;
}

/// Whether `fn` has alignment versions (a branch marked kAlignmentVersionMetadata) and no dot.
bool isAlignmentVersioned(const llvm::Function &fn) {
  bool versioned = false;
  for (const llvm::BasicBlock &bb : fn)
    if (const auto *br = llvm::dyn_cast<llvm::BranchInst>(bb.getTerminator()))
      if (const llvm::MDNode *md = br->getMetadata(kAlignmentVersionMetadata)) {
        if (md->getNumOperands() > 1)
          return false;
        versioned = true;
      }
  return versioned;
}

/// Each entry's registers, from ptxas -v's report.
std::map<std::string, unsigned> registersByEntry(const std::vector<KernelResources> &resources) {
  std::map<std::string, unsigned> registers;
  for (const KernelResources &r : resources)
    registers[r.symbol] = r.registers;
  return registers;
}

} // namespace

/// Alignment versioning and registers. ptxas gives a kernel the registers of its hungriest path,
/// and the scalar fallback of a versioned kernel may need twice what its vectorized versions
/// need (16-bit values each in a register, a predicate per element): the fast path would run
/// at the fallback's occupancy. So when the versioned kernel's registers limit its occupancy,
/// each vectorized version is assembled alone (its branch marked kAlignmentVersionMetadata
/// taken, the checks before it failed, the rest dropped) to measure its registers, and the
/// kernel is capped (.maxnreg) at the most registers with the occupancy of the hungriest
/// version, if that occupancy is higher than the kernel's: no vectorized version spills, the
/// fallback may. Kernels with dots are left alone: their occupancy comes from their tiles, and
/// their fallback would spill heavily. Returns kernel -> cap.
std::map<std::string, unsigned>
NVPTXTarget::registerCaps(const llvm::Module &module,
                          const std::map<std::string, unsigned> &registers) const {
  const unsigned cc = info_.computeCapability;
  std::map<std::string, unsigned> threads;  // kernel to measure -> threads per CTA
  std::map<std::string, unsigned> fastRegs; // kernel -> registers of its hungriest version
  for (unsigned version = 0;; ++version) {
    // Version `version` of every kernel that has it, alone; the other kernels emptied.
    std::unique_ptr<llvm::Module> fast = llvm::CloneModule(module);
    std::vector<std::string> measured;
    for (llvm::Function &fn : *fast) {
      if (fn.getCallingConv() != llvm::CallingConv::PTX_Kernel || fn.isDeclaration())
        continue;
      const unsigned n = threadsPerCTA(fn);
      auto used = registers.find(fn.getName().str());
      bool limited =
          used != registers.end() && ctasPerSM(used->second, n, cc) < ctasPerSM(1, n, cc);
      // The checks in program order: version k's is in the `else` of version k-1's.
      std::vector<llvm::BranchInst *> checks;
      bool dot = false;
      for (llvm::BasicBlock &bb : fn) {
        auto *br = llvm::dyn_cast<llvm::BranchInst>(bb.getTerminator());
        llvm::MDNode *md =
            br && br->isConditional() ? br->getMetadata(kAlignmentVersionMetadata) : nullptr;
        if (md) {
          checks.push_back(br);
          dot |= md->getNumOperands() > 1;
        }
      }
      if (!limited || dot || version >= checks.size()) {
        // nothing to measure: an empty body, so ptxas has little to do
        fn.deleteBody();
        llvm::ReturnInst::Create(fn.getContext(),
                                 llvm::BasicBlock::Create(fn.getContext(), "", &fn));
        continue;
      }
      for (unsigned k = 0; k <= version; ++k) {
        llvm::BasicBlock *bb = checks[k]->getParent();
        checks[k]->setCondition(llvm::ConstantInt::getBool(fn.getContext(), k == version));
        llvm::ConstantFoldTerminator(bb);
      }
      llvm::removeUnreachableBlocks(fn);
      threads[fn.getName().str()] = n;
      measured.push_back(fn.getName().str());
    }
    if (measured.empty())
      break;
    // Any failure here: no caps (the kernel as it is works).
    std::string ptx, cubin, error;
    std::vector<KernelResources> fastResources;
    DiagnosticEngine quiet;
    if (!emitAssembly(*fast, ptx, error) ||
        !runPtxas(info_, toolchain_, ptx, cubin, quiet, &fastResources))
      return {};
    const std::map<std::string, unsigned> versionRegisters = registersByEntry(fastResources);
    for (const std::string &name : measured) {
      auto regs = versionRegisters.find(name);
      if (regs == versionRegisters.end() || !regs->second)
        return {};
      fastRegs[name] = std::max(fastRegs[name], regs->second);
    }
  }
  std::map<std::string, unsigned> caps;
  for (const auto &[name, n] : threads) {
    unsigned cap = registerCap(fastRegs.at(name), n, cc);
    if (ctasPerSM(cap, n, cc) > ctasPerSM(registers.at(name), n, cc))
      caps[name] = cap;
  }
  return caps;
}

bool NVPTXTarget::compile(const llvm::Module &module, std::string &ptx, std::string &cubin,
                          DiagnosticEngine &diags) const {
  std::string error;
  auto start = std::chrono::steady_clock::now();
  auto lap = [&](const char *step) {
    auto now = std::chrono::steady_clock::now();
    if (toolchain_.onTime)
      toolchain_.onTime(step, std::chrono::duration<double>(now - start).count());
    start = now;
  };
  // One build: `m` through LLVM to PTX, then ptxas, whose report lands in resources_.
  auto build = [&](const llvm::Module &m) {
    if (!emitAssembly(m, ptx, error)) {
      diags.error({}, error);
      return false;
    }
    lap("LLVM: PTX");
    resources_.clear();
    if (!runPtxas(info_, toolchain_, ptx, cubin, diags, &resources_))
      return false;
    lap("ptxas");
    return true;
  };
  if (!build(module))
    return false;
  if (toolchain_.registerCap == ToolchainOptions::RegisterCap::Off)
    return true;
  const std::map<std::string, unsigned> uncapped = registersByEntry(resources_);
  std::map<std::string, unsigned> caps = registerCaps(module, uncapped);
  lap("register caps: the vectorized versions alone through LLVM and ptxas");
  // Capped, then (no-spill) each cap that makes the kernel spill raised to the next occupancy
  // step, until none spills or the cap would no longer raise the kernel's occupancy.
  const unsigned cc = info_.computeCapability;
  std::set<std::string> capsForSpills; // caps that only stop spills: raised, never dropped
  // Adjusts `caps` after a build whose ptxas report is resources_; true if it changed them.
  auto raiseForSpills = [&] {
    bool changed = false;
    for (const KernelResources &r : resources_) {
      const llvm::Function *fn = module.getFunction(r.symbol);
      if (!fn || (!r.spillStores && !r.spillLoads))
        continue;
      const unsigned threads = threadsPerCTA(*fn);
      auto cap = caps.find(r.symbol);
      const unsigned current = cap != caps.end() ? cap->second : r.registers;
      const unsigned ctas = ctasPerSM(current, threads, cc);
      unsigned next = current + 1;
      while (next < 255 && ctasPerSM(next, threads, cc) == ctas)
        ++next;
      const unsigned raised = registerCap(std::min(next, 255u), threads, cc);
      const bool forSpills = capsForSpills.count(r.symbol) != 0;
      if (cap == caps.end()) {
        // Uncapped and spilling all the same: ptxas keeps a large versioned kernel at a
        // register count of its own choosing, spills included; a cap above it stops that.
        if (raised > current && isAlignmentVersioned(*fn)) {
          caps[r.symbol] = raised;
          capsForSpills.insert(r.symbol);
          changed = true;
        }
      } else if (raised <= current ||
                 (!forSpills && ctasPerSM(raised, threads, cc) <=
                                    ctasPerSM(uncapped.at(r.symbol), threads, cc))) {
        if (!forSpills) { // no cap without spills gains occupancy: none
          caps.erase(cap);
          changed = true;
        }
      } else {
        cap->second = raised;
        changed = true;
      }
    }
    return changed;
  };
  const bool noSpill = toolchain_.registerCap == ToolchainOptions::RegisterCap::NoSpill;
  for (bool rebuild = !caps.empty() || (noSpill && raiseForSpills()); rebuild;) {
    std::unique_ptr<llvm::Module> capped = llvm::CloneModule(module);
    for (const auto &[name, cap] : caps) { // the smaller of this cap and --maxnreg's
      const unsigned c = toolchain_.maxRegisters ? std::min(cap, toolchain_.maxRegisters) : cap;
      capped->getFunction(name)->addFnAttr("nvvm.maxnreg", std::to_string(c));
    }
    if (!build(*capped))
      return false;
    rebuild = noSpill && raiseForSpills();
  }
  return true;
}

namespace {

/// The name of the kernel of one `.entry NAME(` line, or "".
std::string entryName(const std::string &line) {
  size_t pos = line.find(".entry ");
  if (pos == std::string::npos)
    return "";
  size_t begin = pos + 7;
  size_t end = line.find_first_of("( \t", begin);
  return line.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

/// Which kernel(s) a ptxas message is about: the `.entry` enclosing the line it cites
/// ("kernel.ptx, line N; error ..."), else every kernel of the PTX.
std::string kernelsOfPtxasMessage(const std::string &ptx, const std::string &message) {
  std::vector<std::string> names;
  std::string enclosing;
  size_t at = message.find(", line ");
  const long cited = at == std::string::npos ? 0 : std::atol(message.c_str() + at + 7);
  std::istringstream in(ptx);
  std::string text;
  for (long n = 1; std::getline(in, text); ++n) {
    std::string name = entryName(text);
    if (name.empty())
      continue;
    names.push_back(name);
    if (n <= cited)
      enclosing = name;
  }
  if (!enclosing.empty())
    return "kernel '" + enclosing + "'";
  if (names.size() == 1)
    return "kernel '" + names[0] + "'";
  std::string all = "kernels ";
  for (size_t i = 0; i < names.size(); ++i)
    all += (i ? ", '" : "'") + names[i] + "'";
  return all;
}

} // namespace

bool runPtxas(const TargetInfo &info, const ToolchainOptions &toolchain, const std::string &ptx,
              std::string &cubin, DiagnosticEngine &diags,
              std::vector<KernelResources> *resources) {
  std::string error;
  std::string ptxas = findPtxas(toolchain, error);
  if (ptxas.empty()) {
    diags.error({}, error).toolchain = true;
    return false;
  }
  TempDir dir;
  std::string ioError = dir.error();
  if (!dir.ok() || !writeFile(dir.file("kernel.ptx"), ptx, &ioError)) {
    diags.error({}, "cannot write a temporary file for ptxas: " + ioError).toolchain = true;
    return false;
  }
  ToolRun run;
  run.name = "ptxas";
  run.argv = {ptxas, "-arch=" + info.arch, "-O" + std::to_string(toolchain.ptxasOptLevel)};
  if (toolchain.lineInfo)
    run.argv.push_back("-lineinfo");
  run.argv.push_back("-v"); // the resource report (registers, spills, stack, shared memory)
  run.argv.insert(run.argv.end(), {dir.file("kernel.ptx"), "-o", dir.file("kernel.cubin")});
  run.outputFile = dir.file("kernel.cubin");
  run.outputKind = "cubin";
  run.elf = true;
  run.target = info.arch;
  run.subject = [&ptx](const std::string &output) {
    return "on " + kernelsOfPtxasMessage(ptx, output);
  };
  std::string messages;
  if (!runTool(run, toolchain, cubin, messages, diags))
    return false;
  std::vector<KernelResources> parsed;
  messages = parsePtxasInfo(messages, parsed);
  if (resources)
    *resources = std::move(parsed);
  if (!messages.empty()) // register spills and similar
    diags.warning({}, "ptxas: " + messages);
  return true;
}

namespace {

/// The number before `unit` in `line` ("26 registers" → 26), or 0.
uint64_t numberBefore(const std::string &line, const std::string &unit) {
  size_t at = line.find(unit);
  if (at == std::string::npos || at == 0)
    return 0;
  size_t end = at;
  while (end > 0 && line[end - 1] == ' ')
    --end;
  size_t begin = end;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(line[begin - 1])))
    --begin;
  return begin == end ? 0 : std::strtoull(line.substr(begin, end - begin).c_str(), nullptr, 10);
}

/// The text between the first pair of single quotes after `after` in `line`.
std::string quotedAfter(const std::string &line, const std::string &after) {
  size_t at = line.find(after);
  if (at == std::string::npos)
    return "";
  size_t open = line.find('\'', at + after.size());
  size_t close = open == std::string::npos ? open : line.find('\'', open + 1);
  return close == std::string::npos ? "" : line.substr(open + 1, close - open - 1);
}

} // namespace

std::string parsePtxasInfo(const std::string &output, std::vector<KernelResources> &resources) {
  std::istringstream in(output);
  std::string line, rest;
  KernelResources *current = nullptr; // the entry the next report lines are about
  auto entry = [&](const std::string &name) -> KernelResources * {
    for (KernelResources &r : resources)
      if (r.symbol == name)
        return &r;
    return nullptr;
  };
  while (std::getline(in, line)) {
    if (line.starts_with("ptxas info")) {
      if (std::string name = quotedAfter(line, "Compiling entry function"); !name.empty()) {
        resources.push_back({});
        resources.back().symbol = name;
        current = &resources.back();
      } else if (line.find("Function properties for ") != std::string::npos) {
        // Also reported for device functions, which are not entries: their lines are skipped.
        size_t at = line.find("Function properties for ") + 24;
        current = entry(line.substr(at));
      } else if (line.find("Used ") != std::string::npos && current) {
        current->registers = static_cast<unsigned>(numberBefore(line, " registers"));
        current->staticSharedBytes = numberBefore(line, " bytes smem");
      }
      continue;
    }
    if (line.find("bytes stack frame") != std::string::npos) {
      if (current) {
        current->stackBytes = numberBefore(line, " bytes stack frame");
        current->spillStores = numberBefore(line, " bytes spill stores");
        current->spillLoads = numberBefore(line, " bytes spill loads");
      }
      continue;
    }
    if (!line.empty())
      rest += (rest.empty() ? "" : "\n") + line;
  }
  return rest;
}

bool packFatbin(const std::vector<FatbinImage> &images, const ToolchainOptions &toolchain,
                std::string &fatbin, DiagnosticEngine &diags) {
  std::string error;
  std::string tool = findFatbinary(toolchain, error);
  if (tool.empty()) {
    diags.error({}, error).toolchain = true;
    return false;
  }
  TempDir dir;
  if (!dir.ok()) {
    diags.error({}, "cannot write a temporary file for fatbinary: " + dir.error()).toolchain = true;
    return false;
  }
  ToolRun run;
  run.name = "fatbinary";
  run.argv = {tool, "-64", "--create=" + dir.file("out.fatbin")};
  for (size_t i = 0; i < images.size(); ++i) {
    const std::string file =
        dir.file("image" + std::to_string(i) + (images[i].isPtx ? ".ptx" : ".cubin"));
    std::string ioError;
    if (!writeFile(file, images[i].bytes, &ioError)) {
      diags.error({}, "cannot write a temporary file for fatbinary: " + ioError).toolchain = true;
      return false;
    }
    run.argv.push_back(std::string("--image3=kind=") + (images[i].isPtx ? "ptx" : "elf") +
                       ",sm=" + images[i].sm + ",file=" + file);
  }
  run.outputFile = dir.file("out.fatbin");
  run.outputKind = "fatbin";
  std::string messages;
  return runTool(run, toolchain, fatbin, messages, diags);
}

std::unique_ptr<Target> createNVPTXTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
                                          std::string &error) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
    // 32-bit shared-memory addresses (as ptxas addresses shared memory): half the registers
    // for the ldmatrix / cp.async addresses a pipelined dot loop keeps live.
    auto &opts = llvm::cl::getRegisteredOptions();
    if (auto it = opts.find("nvptx-short-ptr"); it != opts.end())
      it->second->addOccurrence(0, "nvptx-short-ptr", "true");
  });
  llvm::Triple triple("nvptx64-nvidia-cuda");
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, info.arch, ptxFeature(info), options, std::nullopt,
                                  std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    error = "LLVM cannot create an NVPTX target machine for " + info.arch;
    return nullptr;
  }
  return std::make_unique<NVPTXTarget>(info, toolchain, std::move(tm));
}

} // namespace tritonc
