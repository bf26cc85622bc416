// What every codegen Target shares: the generic (branch-guarded) loads, stores and atomics,
// running the TargetMachine's code generator on a clone of a module, and the math library: an
// index of its function signatures (so lowering can report a wrong extern_call at the op) and
// linking only the functions a module calls.
#include "codegen/Target.h"

#include "codegen/amdgpu/AMDGPUTarget.h"
#include "codegen/nvptx/NVPTXTarget.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/DiagnosticPrinter.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Linker/Linker.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

namespace tritonc {

namespace {

/// Routes the LLVM context's diagnostics into a string while alive (LLVM's default handler
/// would print errors and exit the process).
class CaptureLLVMDiagnostics {
public:
  explicit CaptureLLVMDiagnostics(llvm::LLVMContext &ctx)
      : ctx_(ctx), previous_(ctx.getDiagnosticHandlerCallBack()),
        previousContext_(ctx.getDiagnosticContext()) {
    ctx.setDiagnosticHandlerCallBack(&CaptureLLVMDiagnostics::handle, this);
  }
  ~CaptureLLVMDiagnostics() { ctx_.setDiagnosticHandlerCallBack(previous_, previousContext_); }
  bool hasErrors() const { return hasErrors_; }
  const std::string &messages() const { return messages_; }

private:
  static void handle(const llvm::DiagnosticInfo *info, void *self) {
    auto *me = static_cast<CaptureLLVMDiagnostics *>(self);
    if (info->getSeverity() != llvm::DS_Error)
      return;
    me->hasErrors_ = true;
    llvm::raw_string_ostream os(me->messages_);
    llvm::DiagnosticPrinterRawOStream printer(os);
    info->print(printer);
    os << "\n";
  }
  llvm::LLVMContext &ctx_;
  llvm::DiagnosticHandler::DiagnosticHandlerTy previous_;
  void *previousContext_;
  bool hasErrors_ = false;
  std::string messages_;
};

std::vector<llvm::Value *> splitVector(llvm::IRBuilderBase &b, llvm::Value *v, unsigned n) {
  if (n == 1)
    return {v};
  std::vector<llvm::Value *> out;
  for (unsigned i = 0; i < n; ++i)
    out.push_back(b.CreateExtractElement(v, b.getInt32(i)));
  return out;
}

bool isKernel(const llvm::Function &fn) {
  return fn.getCallingConv() == llvm::CallingConv::PTX_Kernel ||
         fn.getCallingConv() == llvm::CallingConv::AMDGPU_KERNEL;
}

} // namespace

Target::Target(TargetInfo info, ToolchainOptions toolchain, std::unique_ptr<llvm::TargetMachine> tm)
    : info_(std::move(info)), toolchain_(std::move(toolchain)), machine_(std::move(tm)) {}

Target::~Target() = default;

bool Target::emitPrintf(llvm::IRBuilderBase &, const std::string &,
                        llvm::ArrayRef<llvm::Value *>) const {
  return false;
}

bool Target::emitAssertFail(llvm::IRBuilderBase &, const std::string &, const std::string &,
                            unsigned, const std::string &) const {
  return false;
}

void Target::configureModule(llvm::Module &module) const {
  module.setTargetTriple(machine_->getTargetTriple());
  module.setDataLayout(machine_->createDataLayout());
}

std::vector<llvm::Value *> Target::emitLoad(llvm::IRBuilderBase &b, const VectorAccess &a) const {
  llvm::Type *ty =
      a.numElems == 1 ? a.elemType : llvm::FixedVectorType::get(a.elemType, a.numElems);
  auto load = [&] {
    llvm::LoadInst *ld = b.CreateAlignedLoad(ty, a.ptr, llvm::Align(a.alignBytes));
    ld->setVolatile(a.hints.isVolatile);
    return ld;
  };
  if (!a.pred)
    return splitVector(b, load(), a.numElems);
  llvm::BasicBlock *from = b.GetInsertBlock();
  llvm::Function *fn = from->getParent();
  auto *then = llvm::BasicBlock::Create(b.getContext(), "load", fn);
  auto *cont = llvm::BasicBlock::Create(b.getContext(), "load.done", fn);
  b.CreateCondBr(a.pred, then, cont);
  b.SetInsertPoint(then);
  llvm::Value *loaded = load();
  b.CreateBr(cont);
  b.SetInsertPoint(cont);
  llvm::PHINode *phi = b.CreatePHI(ty, 2);
  phi->addIncoming(loaded, then);
  phi->addIncoming(a.zeroFill ? llvm::Constant::getNullValue(ty) : llvm::PoisonValue::get(ty),
                   from); // else the caller selects `other` there
  return splitVector(b, phi, a.numElems);
}

void Target::emitStore(llvm::IRBuilderBase &b, const VectorAccess &a,
                       const std::vector<llvm::Value *> &values) const {
  llvm::Value *v = values[0];
  if (a.numElems > 1) {
    v = llvm::PoisonValue::get(llvm::FixedVectorType::get(a.elemType, a.numElems));
    for (unsigned i = 0; i < a.numElems; ++i)
      v = b.CreateInsertElement(v, values[i], b.getInt32(i));
  }
  llvm::BasicBlock *cont = nullptr;
  if (a.pred) {
    llvm::Function *fn = b.GetInsertBlock()->getParent();
    auto *then = llvm::BasicBlock::Create(b.getContext(), "store", fn);
    cont = llvm::BasicBlock::Create(b.getContext(), "store.done", fn);
    b.CreateCondBr(a.pred, then, cont);
    b.SetInsertPoint(then);
  }
  llvm::StoreInst *st = b.CreateAlignedStore(v, a.ptr, llvm::Align(a.alignBytes));
  st->setVolatile(a.hints.isVolatile);
  if (cont) {
    b.CreateBr(cont);
    b.SetInsertPoint(cont);
  }
}

llvm::SyncScope::ID Target::syncScope(llvm::LLVMContext &, const std::string &) const {
  return llvm::SyncScope::System;
}

llvm::Value *Target::emitAtomic(llvm::IRBuilderBase &b, const AtomicAccess &a) const {
  using llvm::AtomicOrdering;
  AtomicOrdering order = a.sem == "relaxed"   ? AtomicOrdering::Monotonic
                         : a.sem == "acquire" ? AtomicOrdering::Acquire
                         : a.sem == "release" ? AtomicOrdering::Release
                                              : AtomicOrdering::AcquireRelease;
  llvm::SyncScope::ID scope = syncScope(b.getContext(), a.scope);
  llvm::Type *ty = a.value->getType();
  llvm::BasicBlock *from = b.GetInsertBlock(), *then = nullptr, *cont = nullptr;
  if (a.pred) {
    then = llvm::BasicBlock::Create(b.getContext(), "atomic", from->getParent());
    cont = llvm::BasicBlock::Create(b.getContext(), "atomic.done", from->getParent());
    b.CreateCondBr(a.pred, then, cont);
    b.SetInsertPoint(then);
  }
  llvm::Value *old;
  if (a.kind == "cas") {
    // A failed exchange writes nothing: it keeps only the acquire half of the ordering.
    AtomicOrdering failure = order == AtomicOrdering::AcquireRelease ? AtomicOrdering::Acquire
                             : order == AtomicOrdering::Release      ? AtomicOrdering::Monotonic
                                                                     : order;
    // cmpxchg takes integers and pointers: floats go as their bits.
    llvm::Type *bitsTy = ty->isFloatingPointTy() ? b.getIntNTy(ty->getPrimitiveSizeInBits()) : ty;
    // (Sequenced: as arguments of one call their order would be the C++ compiler's choice.)
    llvm::Value *cmpBits = b.CreateBitCast(a.cmp, bitsTy);
    llvm::Value *valueBits = b.CreateBitCast(a.value, bitsTy);
    old = b.CreateExtractValue(
        b.CreateAtomicCmpXchg(a.ptr, cmpBits, valueBits, llvm::MaybeAlign(), order, failure, scope),
        0);
    old = b.CreateBitCast(old, ty);
  } else {
    using Op = llvm::AtomicRMWInst::BinOp;
    Op op = a.kind == "add"   ? (a.isFloat ? Op::FAdd : Op::Add)
            : a.kind == "max" ? (a.isFloat    ? Op::FMax
                                 : a.isSigned ? Op::Max
                                              : Op::UMax)
            : a.kind == "min" ? (a.isFloat    ? Op::FMin
                                 : a.isSigned ? Op::Min
                                              : Op::UMin)
            : a.kind == "and" ? Op::And
            : a.kind == "or"  ? Op::Or
            : a.kind == "xor" ? Op::Xor
                              : Op::Xchg;
    old = b.CreateAtomicRMW(op, a.ptr, a.value, llvm::MaybeAlign(), order, scope);
  }
  if (!a.pred)
    return old;
  b.CreateBr(cont);
  b.SetInsertPoint(cont);
  llvm::PHINode *phi = b.CreatePHI(ty, 2);
  phi->addIncoming(old, then);
  phi->addIncoming(llvm::PoisonValue::get(ty), from);
  return phi;
}

std::string Target::checkHints(const MemoryHints &hints, bool isStore) const {
  static const char *const loadCache[] = {"", ".ca", ".cg", ".cv"};
  static const char *const storeCache[] = {"", ".wb", ".cg", ".cs", ".wt"};
  static const char *const evict[] = {"", "evict_first", "evict_last", "evict_normal"};
  auto oneOf = [](const std::string &v, auto &list) {
    return std::find(std::begin(list), std::end(list), v) != std::end(list);
  };
  if (!(isStore ? oneOf(hints.cache, storeCache) : oneOf(hints.cache, loadCache)))
    return "unknown cache modifier '" + hints.cache + "' for a " + (isStore ? "store" : "load");
  if (!oneOf(hints.evict, evict))
    return "unknown eviction policy '" + hints.evict + "'";
  return "";
}

bool Target::indexMathLibrary(std::string &error) const {
  std::call_once(indexOnce_, [this] {
    std::vector<std::string> files;
    if (!mathLibraryFiles(files, indexError_))
      return;
    llvm::LLVMContext ctx;
    for (const std::string &file : files) {
      llvm::SMDiagnostic diag;
      std::unique_ptr<llvm::Module> lib = llvm::getLazyIRFileModule(file, diag, ctx);
      if (!lib) {
        indexError_ = "cannot read " + file + ": " + diag.getMessage().str();
        return;
      }
      for (const llvm::Function &fn : *lib) {
        if (fn.isDeclaration() && !fn.isMaterializable())
          continue;
        std::string sig;
        llvm::raw_string_ostream os(sig);
        fn.getFunctionType()->print(os);
        librarySignatures_.emplace(fn.getName().str(), sig);
      }
    }
  });
  error = indexError_;
  return indexError_.empty();
}

bool Target::mathFunctionSignature(const std::string &symbol, std::string &signature,
                                   std::string &error) const {
  if (!indexMathLibrary(error))
    return false;
  auto it = librarySignatures_.find(symbol);
  signature = it == librarySignatures_.end() ? "" : it->second;
  return true;
}

bool Target::linkMathLibrary(llvm::Module &module, std::string &error) const {
  bool needed = false;
  for (const llvm::Function &fn : module)
    needed |= fn.isDeclaration() && !fn.isIntrinsic() && !fn.use_empty();
  if (!needed)
    return true;
  std::vector<std::string> files;
  if (!mathLibraryFiles(files, error))
    return false;
  for (const std::string &file : files) {
    llvm::SMDiagnostic diag;
    std::unique_ptr<llvm::Module> lib = llvm::getLazyIRFileModule(file, diag, module.getContext());
    if (!lib) {
      error = "cannot read " + file + ": " + diag.getMessage().str();
      return false;
    }
    // The libraries carry generic triples ("nvptx64-nvidia-gpulibs"); ours wins.
    lib->setTargetTriple(module.getTargetTriple());
    lib->setDataLayout(module.getDataLayout());
    CaptureLLVMDiagnostics capture(module.getContext());
    if (llvm::Linker::linkModules(module, std::move(lib), llvm::Linker::LinkOnlyNeeded)) {
      error = "linking " + file + " failed: " + capture.messages();
      return false;
    }
  }
  // Library code is private to the binary, so the optimizer may inline and drop it.
  for (llvm::Function &fn : module)
    if (!fn.isDeclaration() && !isKernel(fn))
      fn.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &gv : module.globals())
    if (!gv.isDeclaration())
      gv.setLinkage(llvm::GlobalValue::InternalLinkage);
  return true;
}

bool Target::emitFile(const llvm::Module &module, bool object, std::string &out,
                      std::string &error) const {
  std::unique_ptr<llvm::Module> clone = llvm::CloneModule(module);
  CaptureLLVMDiagnostics capture(clone->getContext());
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  auto kind = object ? llvm::CodeGenFileType::ObjectFile : llvm::CodeGenFileType::AssemblyFile;
  if (machine_->addPassesToEmitFile(pm, os, nullptr, kind)) {
    error =
        "LLVM cannot emit " + std::string(object ? "objects" : "assembly") + " for " + info_.arch;
    return false;
  }
  pm.run(*clone);
  if (capture.hasErrors()) {
    error = "LLVM code generation failed for " + info_.arch + ":\n" + capture.messages();
    return false;
  }
  out.assign(buffer.begin(), buffer.end());
  return true;
}

bool Target::emitFinalAssembly(const llvm::Module &module, std::string &assembly,
                               DiagnosticEngine &diags) const {
  std::string error;
  if (emitAssembly(module, assembly, error))
    return true;
  diags.error({}, error);
  return false;
}

bool Target::emitAssembly(const llvm::Module &module, std::string &assembly,
                          std::string &error) const {
  return emitFile(module, /*object=*/false, assembly, error);
}

TargetInfo targetInfoForModule(const Module &module, const TargetInfo &info) {
  TargetInfo out = info;
  if (!info.isCuda())
    return out;
  for (const auto &f : module.functions())
    f->walk([&](Operation *op) {
      if (op->code() != OpCode::Dot)
        return;
      const Layout *l = op->result(0)->type()->layout();
      const ScalarKind k = op->operand(0)->type()->element()->scalarKind();
      if (l && l->isMma() && (k == ScalarKind::F8E4NV || k == ScalarKind::F8E5))
        out.ptxVersion = std::max(out.ptxVersion, 84u);
    });
  return out;
}

std::unique_ptr<Target> createTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
                                     std::string &error) {
  if (info.isCuda())
    return createNVPTXTarget(info, toolchain, error);
  return createAMDGPUTarget(info, toolchain, error);
}

} // namespace tritonc
