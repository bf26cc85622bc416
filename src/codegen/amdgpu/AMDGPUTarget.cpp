// The AMD target (gfx942, wave64). Loads, stores and atomics use the generic branch-guarded
// LLVM path (atomics with workgroup / agent / system scopes); shuffles are ds_bpermute;
// exp/exp2 on f32 go through llvm.exp2 (v_exp_f32, as Triton's AMD fast path), sqrt through
// llvm.sqrt (approximate with `afn` for tl.sqrt), and the rest calls ocml (__ocml_*_f32),
// linked with ockl and the oclc_* control libraries. Code object version 5; the object from
// LLVM is linked by ld.lld -shared into the hsaco the HIP runtime loads.
#include "codegen/amdgpu/AMDGPUTarget.h"

#include <llvm-c/Target.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/BinaryFormat/MsgPackDocument.h>
#include <llvm/IR/IntrinsicsAMDGPU.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELF.h>

#include <chrono>
#include <filesystem>

namespace tritonc {

namespace {

/// The oclc_isa_version_NNN.bc for the arch, or the nearest lower one of the same major
/// version (Debian's device libraries stop at 940; gfx942 code only differs in its ISA flag).
std::string isaVersionLibrary(const std::string &dir, const std::string &arch) {
  std::string digits = arch.substr(3);
  std::string exact = dir + "/oclc_isa_version_" + digits + ".bc";
  if (std::filesystem::exists(exact))
    return exact;
  std::string best, bestDigits;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    const std::string prefix = "oclc_isa_version_";
    if (!name.starts_with(prefix) || !name.ends_with(".bc"))
      continue;
    std::string d = name.substr(prefix.size(), name.size() - prefix.size() - 3);
    if (d.size() == digits.size() && d[0] == digits[0] && d <= digits && d > bestDigits) {
      best = entry.path().string();
      bestDigits = d;
    }
  }
  return best;
}

class AMDGPUTarget final : public Target {
public:
  AMDGPUTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
               std::unique_ptr<llvm::TargetMachine> tm)
      : Target(info, toolchain, std::move(tm)) {}

  void configureModule(llvm::Module &module) const override {
    Target::configureModule(module);
    module.addModuleFlag(llvm::Module::Error, "amdhsa_code_object_version", 500);
  }

  void configureKernel(llvm::Function &fn, unsigned numThreads) const override {
    fn.setCallingConv(llvm::CallingConv::AMDGPU_KERNEL);
    fn.addFnAttr("amdgpu-flat-work-group-size", "1," + std::to_string(numThreads));
  }

  llvm::Value *threadId(llvm::IRBuilderBase &b) const override {
    return b.CreateIntrinsic(b.getInt32Ty(), llvm::Intrinsic::amdgcn_workitem_id_x, {});
  }

  llvm::Value *programId(llvm::IRBuilderBase &b, unsigned axis) const override {
    static const llvm::Intrinsic::ID ids[] = {llvm::Intrinsic::amdgcn_workgroup_id_x,
                                              llvm::Intrinsic::amdgcn_workgroup_id_y,
                                              llvm::Intrinsic::amdgcn_workgroup_id_z};
    return b.CreateIntrinsic(b.getInt32Ty(), ids[axis], {});
  }

  llvm::Value *numPrograms(llvm::IRBuilderBase &b, unsigned axis) const override {
    llvm::Module *m = b.GetInsertBlock()->getModule();
    llvm::FunctionCallee fn =
        m->getOrInsertFunction("__ockl_get_num_groups", b.getInt64Ty(), b.getInt32Ty());
    return b.CreateTrunc(b.CreateCall(fn, {b.getInt32(axis)}), b.getInt32Ty());
  }

  void barrier(llvm::IRBuilderBase &b) const override {
    // The fences make LDS writes before the barrier visible to reads after it.
    llvm::SyncScope::ID wg = b.getContext().getOrInsertSyncScopeID("workgroup");
    b.CreateFence(llvm::AtomicOrdering::Release, wg);
    b.CreateIntrinsic(b.getVoidTy(), llvm::Intrinsic::amdgcn_s_barrier, {});
    b.CreateFence(llvm::AtomicOrdering::Acquire, wg);
  }

  llvm::Value *shuffleXor(llvm::IRBuilderBase &b, llvm::Value *value,
                          unsigned laneMask) const override {
    // ds_bpermute reads the value of the lane whose byte address (lane id × 4) it is given.
    llvm::Value *lane = b.CreateAnd(threadId(b), info_.warpSize - 1);
    llvm::Value *address = b.CreateShl(b.CreateXor(lane, laneMask), 2);
    return b.CreateIntrinsic(llvm::Intrinsic::amdgcn_ds_bpermute, {address, value});
  }

  llvm::SyncScope::ID syncScope(llvm::LLVMContext &ctx, const std::string &scope) const override {
    if (scope == "cta")
      return ctx.getOrInsertSyncScopeID("workgroup");
    if (scope == "sys")
      return llvm::SyncScope::System;
    return ctx.getOrInsertSyncScopeID("agent"); // "gpu", the default
  }

  llvm::Value *emitMath(llvm::IRBuilderBase &b, OpCode code,
                        llvm::ArrayRef<llvm::Value *> args) const override {
    llvm::Value *x = args[0];
    const bool f32 = x->getType()->isFloatTy();
    llvm::FastMathFlags afn;
    afn.setApproxFunc();
    switch (code) {
    case OpCode::Exp:
      if (!f32)
        return nullptr;
      return b.CreateUnaryIntrinsic(
          llvm::Intrinsic::exp2,
          b.CreateFMul(x, llvm::ConstantFP::get(x->getType(), 1.4426950408889634)), afn);
    case OpCode::Exp2:
      return f32 ? b.CreateUnaryIntrinsic(llvm::Intrinsic::exp2, x, afn) : nullptr;
    case OpCode::Sqrt:
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x, f32 ? afn : llvm::FastMathFlags());
    case OpCode::SqrtRn:
      return b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x);
    case OpCode::DivRn:
      return b.CreateFDiv(x, args[1]);
    case OpCode::FDiv: {
      llvm::FastMathFlags fast;
      fast.setApproxFunc();
      fast.setAllowReciprocal();
      llvm::Value *q = b.CreateFDiv(x, args[1]);
      llvm::cast<llvm::Instruction>(q)->setFastMathFlags(fast);
      return q;
    }
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
    std::string suffix = type->isFloatTy()    ? "_f32"
                         : type->isDoubleTy() ? "_f64"
                         : type->isHalfTy()   ? "_f16"
                                              : "_i" + std::to_string(type->getIntegerBitWidth());
    return "__ocml_" + name + suffix;
  }

  bool emitBinary(const llvm::Module &module, std::string &binary, std::string *assembly,
                  DiagnosticEngine &diags) const override {
    const auto start = std::chrono::steady_clock::now();
    std::string error, object;
    if ((assembly && !emitAssembly(module, *assembly, error)) ||
        !emitFile(module, /*object=*/true, object, error)) {
      diags.error({}, error);
      return false;
    }
    std::string lld = findLdLld(toolchain_, error);
    if (lld.empty()) {
      diags.error({}, error).toolchain = true;
      return false;
    }
    TempDir dir;
    std::string ioError = dir.error();
    if (!dir.ok() || !writeFile(dir.file("kernel.o"), object, &ioError)) {
      diags.error({}, "cannot write a temporary file for ld.lld: " + ioError).toolchain = true;
      return false;
    }
    ToolRun run;
    run.name = "ld.lld";
    run.argv = {
        lld, "-flavor", "gnu", "-shared", dir.file("kernel.o"), "-o", dir.file("kernel.hsaco")};
    run.outputFile = dir.file("kernel.hsaco");
    run.outputKind = "code object";
    run.elf = true;
    run.target = info_.arch;
    std::string messages;
    const bool ok = runTool(run, toolchain_, binary, messages, diags);
    resources_.clear();
    if (ok)
      readCodeObjectResources(binary, resources_);
    if (toolchain_.onTime)
      toolchain_.onTime(
          "codegen: object + ld.lld",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return ok;
  }

private:
  /// Each kernel's registers, spills, private and group segment sizes from the code object's
  /// AMDGPU metadata note (msgpack: amdhsa.kernels[] with .symbol, .vgpr_count, .sgpr_count,
  /// .vgpr_spill_count, .sgpr_spill_count, .private_segment_fixed_size,
  /// .group_segment_fixed_size). An unreadable note leaves `out` empty.
  static void readCodeObjectResources(const std::string &binary,
                                      std::vector<KernelResources> &out) {
    auto file = llvm::object::ELF64LEFile::create(llvm::StringRef(binary.data(), binary.size()));
    if (!file) {
      llvm::consumeError(file.takeError());
      return;
    }
    auto sections = file->sections();
    if (!sections) {
      llvm::consumeError(sections.takeError());
      return;
    }
    for (const auto &section : *sections) {
      if (section.sh_type != llvm::ELF::SHT_NOTE)
        continue;
      llvm::Error err = llvm::Error::success();
      for (const auto &note : file->notes(section, err)) {
        if (note.getName() != "AMDGPU" || note.getType() != llvm::ELF::NT_AMDGPU_METADATA)
          continue;
        llvm::ArrayRef<uint8_t> desc = note.getDesc(section.sh_addralign);
        llvm::msgpack::Document doc;
        if (!doc.readFromBlob(
                llvm::StringRef(reinterpret_cast<const char *>(desc.data()), desc.size()), false) ||
            !doc.getRoot().isMap())
          continue;
        auto &root = doc.getRoot().getMap();
        auto kernels = root.find(doc.getNode("amdhsa.kernels"));
        if (kernels == root.end() || !kernels->second.isArray())
          continue;
        for (auto &k : kernels->second.getArray()) {
          if (!k.isMap())
            continue;
          auto &map = k.getMap();
          auto uint = [&](const char *key) -> uint64_t {
            auto it = map.find(doc.getNode(key));
            if (it == map.end())
              return 0;
            if (it->second.getKind() == llvm::msgpack::Type::UInt)
              return it->second.getUInt();
            if (it->second.getKind() == llvm::msgpack::Type::Int)
              return static_cast<uint64_t>(std::max<int64_t>(0, it->second.getInt()));
            return 0;
          };
          KernelResources r;
          for (const char *key : {".symbol", ".name"}) {
            auto it = map.find(doc.getNode(key));
            if (it != map.end() && it->second.isString()) {
              r.symbol = it->second.getString().str();
              break;
            }
          }
          if (r.symbol.ends_with(".kd")) // the kernel descriptor's symbol
            r.symbol.resize(r.symbol.size() - 3);
          r.registers = static_cast<unsigned>(uint(".vgpr_count"));
          r.sgprs = static_cast<unsigned>(uint(".sgpr_count"));
          r.vgprSpills = static_cast<unsigned>(uint(".vgpr_spill_count"));
          r.sgprSpills = static_cast<unsigned>(uint(".sgpr_spill_count"));
          r.stackBytes = uint(".private_segment_fixed_size");
          r.staticSharedBytes = uint(".group_segment_fixed_size");
          out.push_back(std::move(r));
        }
      }
      llvm::consumeError(std::move(err));
    }
  }

protected:
  bool mathLibraryFiles(std::vector<std::string> &files, std::string &error) const override {
    std::string dir = findRocmBitcodeDir(toolchain_, error);
    if (dir.empty())
      return false;
    std::string isa = isaVersionLibrary(dir, info_.arch);
    if (isa.empty()) {
      error = "no oclc_isa_version library for " + info_.arch + " in " + dir;
      return false;
    }
    files = {dir + "/ocml.bc",
             dir + "/ockl.bc",
             isa,
             dir + "/oclc_abi_version_500.bc",
             dir + "/oclc_daz_opt_off.bc",
             dir + "/oclc_finite_only_off.bc",
             dir + "/oclc_unsafe_math_off.bc",
             dir + "/oclc_correctly_rounded_sqrt_on.bc",
             dir + (info_.warpSize == 64 ? "/oclc_wavefrontsize64_on.bc"
                                         : "/oclc_wavefrontsize64_off.bc")};
    return true;
  }
};

} // namespace

std::unique_ptr<Target> createAMDGPUTarget(const TargetInfo &info,
                                           const ToolchainOptions &toolchain, std::string &error) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeAMDGPUTargetInfo();
    LLVMInitializeAMDGPUTarget();
    LLVMInitializeAMDGPUTargetMC();
    LLVMInitializeAMDGPUAsmPrinter();
  });
  llvm::Triple triple("amdgcn-amd-amdhsa");
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, info.arch, "", options, llvm::Reloc::PIC_, std::nullopt,
                                  llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    error = "LLVM cannot create an AMDGPU target machine for " + info.arch;
    return nullptr;
  }
  return std::make_unique<AMDGPUTarget>(info, toolchain, std::move(tm));
}

} // namespace tritonc
