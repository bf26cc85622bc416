// The AMD target: every gfx processor LLVM's AMDGPU backend knows (support/TargetInfo.cpp),
// wave64 on gfx9 (CDNA), wave32 on gfx10 and later (RDNA). Loads, stores and atomics use the
// generic branch-guarded LLVM path (atomics with workgroup / agent / system scopes); warp
// shuffles are DPP (XOR 1, 2), ds_swizzle (XOR 4-16) and ds_bpermute (XOR 32); device_print is
// ockl's hostcall printf and device_assert prints HIP's message and traps. exp/exp2 on f32 go
// through llvm.exp2 (v_exp_f32, as Triton's AMD fast path), sqrt through llvm.sqrt
// (approximate with `afn` for tl.sqrt), and the rest calls ocml (__ocml_*_f32), linked with
// ockl and the oclc_* control libraries; the ISA-version control constant is defined here from
// LLVM's IsaVersion of the arch (the installed device libraries need not know the chip). Code
// object version 5; the object from LLVM is linked by ld.lld -shared into the hsaco the HIP
// runtime loads.
#include "codegen/amdgpu/AMDGPUTarget.h"

#include <llvm-c/Target.h>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/BinaryFormat/MsgPackDocument.h>
#include <llvm/IR/IntrinsicsAMDGPU.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELF.h>
#include <llvm/TargetParser/TargetParser.h>

#include <chrono>

namespace tritonc {

namespace {

/// A NUL-terminated string constant in global memory, as a generic pointer.
llvm::Value *globalString(llvm::IRBuilderBase &b, const std::string &text, const char *name) {
  llvm::Module &m = *b.GetInsertBlock()->getModule();
  llvm::Constant *data = llvm::ConstantDataArray::getString(m.getContext(), text);
  auto *gv = new llvm::GlobalVariable(m, data->getType(), true, llvm::GlobalValue::PrivateLinkage,
                                      data, name, nullptr, llvm::GlobalValue::NotThreadLocal, 4);
  gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(llvm::Align(1));
  return b.CreateAddrSpaceCast(gv, llvm::PointerType::get(m.getContext(), 0));
}

class AMDGPUTarget final : public Target {
public:
  AMDGPUTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
               std::unique_ptr<llvm::TargetMachine> tm)
      : Target(info, toolchain, std::move(tm)) {}

  void configureModule(llvm::Module &module) const override {
    Target::configureModule(module);
    module.addModuleFlag(llvm::Module::Error, "amdhsa_code_object_version", 500);
    // What oclc_isa_version_NNN.bc defines (major * 1000 + minor * 100 + stepping), for ocml
    // and ockl's per-chip code paths; linkonce so that an unused one disappears.
    llvm::AMDGPU::IsaVersion isa = llvm::AMDGPU::getIsaVersion(info_.arch);
    llvm::Type *i32 = llvm::Type::getInt32Ty(module.getContext());
    new llvm::GlobalVariable(
        module, i32, /*isConstant=*/true, llvm::GlobalValue::LinkOnceODRLinkage,
        llvm::ConstantInt::get(i32, isa.Major * 1000 + isa.Minor * 100 + isa.Stepping),
        "__oclc_ISA_version", nullptr, llvm::GlobalValue::NotThreadLocal, /*AddressSpace=*/4);
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
    // XOR 1 and 2 stay within a row of four lanes: DPP quad_perm, a modifier of the move
    // itself ([1,0,3,2] and [2,3,0,1], two bits per lane).
    if (laneMask == 1 || laneMask == 2)
      return b.CreateIntrinsic(b.getInt32Ty(), llvm::Intrinsic::amdgcn_update_dpp,
                               {llvm::PoisonValue::get(b.getInt32Ty()), value,
                                b.getInt32(laneMask == 1 ? 0xB1 : 0x4E), b.getInt32(0xF),
                                b.getInt32(0xF), b.getTrue()});
    // XOR 4 to 16 stay within 32 lanes: ds_swizzle in bit-mask mode (offset bits 0-4 the AND
    // mask 0x1f, 10-14 the XOR mask), which moves data through the LDS crossbar without
    // touching LDS memory.
    if (laneMask < 32)
      return b.CreateIntrinsic(b.getInt32Ty(), llvm::Intrinsic::amdgcn_ds_swizzle,
                               {value, b.getInt32(0x1F | (laneMask << 10))});
    // Across the halves of a wave64: ds_bpermute reads the value of the lane whose byte address
    // (lane id × 4) it is given.
    llvm::Value *lane = b.CreateAnd(threadId(b), info_.warpSize - 1);
    llvm::Value *address = b.CreateShl(b.CreateXor(lane, laneMask), 2);
    return b.CreateIntrinsic(llvm::Intrinsic::amdgcn_ds_bpermute, {address, value});
  }

  bool emitPrintf(llvm::IRBuilderBase &b, const std::string &format,
                  llvm::ArrayRef<llvm::Value *> args) const override {
    // The ROCm device libraries' hostcall printf (what HIP's printf becomes): a message begun
    // with __ockl_printf_begin, the format appended with its NUL, then each argument as 64 bits
    // (doubles by their bits, pointers as integers); the last append flushes the message.
    llvm::Module &m = *b.GetInsertBlock()->getModule();
    llvm::LLVMContext &ctx = m.getContext();
    llvm::Type *i32 = b.getInt32Ty(), *i64 = b.getInt64Ty();
    llvm::Type *ptrTy = llvm::PointerType::get(ctx, 0);
    llvm::FunctionCallee begin =
        m.getOrInsertFunction("__ockl_printf_begin", llvm::FunctionType::get(i64, {i64}, false));
    llvm::FunctionCallee appendString =
        m.getOrInsertFunction("__ockl_printf_append_string_n",
                              llvm::FunctionType::get(i64, {i64, ptrTy, i64, i32}, false));
    llvm::FunctionCallee appendArgs = m.getOrInsertFunction(
        "__ockl_printf_append_args",
        llvm::FunctionType::get(i64, {i64, i32, i64, i64, i64, i64, i64, i64, i64, i32}, false));
    llvm::Value *desc = b.CreateCall(begin, {b.getInt64(0)});
    desc = b.CreateCall(appendString,
                        {desc, globalString(b, format, "printf.format"),
                         b.getInt64(format.size() + 1), b.getInt32(args.empty() ? 1 : 0)});
    for (size_t i = 0; i < args.size(); ++i) {
      llvm::Value *a = args[i];
      if (a->getType()->isPointerTy())
        a = b.CreatePtrToInt(a, i64);
      else if (a->getType()->isFloatingPointTy())
        a = b.CreateBitCast(b.CreateFPExt(a, b.getDoubleTy()), i64);
      else
        a = b.CreateZExt(a, i64);
      llvm::Value *zero = b.getInt64(0);
      desc = b.CreateCall(appendArgs, {desc, b.getInt32(1), a, zero, zero, zero, zero, zero, zero,
                                       b.getInt32(i + 1 == args.size() ? 1 : 0)});
    }
    return true;
  }

  bool emitAssertFail(llvm::IRBuilderBase &b, const std::string &message, const std::string &file,
                      unsigned line, const std::string &function) const override {
    // HIP's assert: the failure printed through the hostcall printf, then the wave traps
    // (s_trap; the runtime reports the kernel as aborted).
    auto escape = [](const std::string &text) {
      std::string out;
      for (char c : text)
        out += c == '%' ? std::string("%%") : std::string(1, c);
      return out;
    };
    emitPrintf(b,
               escape(file) + ":" + std::to_string(line) + ": " + escape(function) +
                   ": Device-side assertion `" + escape(message) + "' failed.\n",
               {});
    b.CreateIntrinsic(b.getVoidTy(), llvm::Intrinsic::trap, {});
    return true;
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
          r.wavefrontSize = static_cast<unsigned>(uint(".wavefront_size"));
          r.kernargBytes = uint(".kernarg_segment_size");
          auto args = map.find(doc.getNode(".args"));
          if (args != map.end() && args->second.isArray())
            for (auto &a : args->second.getArray()) {
              if (!a.isMap())
                continue;
              auto &arg = a.getMap();
              auto kind = arg.find(doc.getNode(".value_kind"));
              if (kind == arg.end() || !kind->second.isString() ||
                  kind->second.getString().starts_with("hidden_"))
                continue; // the runtime's own arguments (block counts, printf buffer, ...)
              auto field = [&](const char *key) -> uint64_t {
                auto it = arg.find(doc.getNode(key));
                return it != arg.end() && it->second.getKind() == llvm::msgpack::Type::UInt
                           ? it->second.getUInt()
                           : 0;
              };
              r.argOffsets.emplace_back(field(".offset"), field(".size"));
            }
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
    files = {dir + "/ocml.bc",
             dir + "/ockl.bc",
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
    LLVMInitializeAMDGPUAsmParser(); // ockl's hostcall (device_print) has inline assembly
  });
  llvm::Triple triple("amdgcn-amd-amdhsa");
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  // The wave size the TargetInfo chose (LLVM's default for the chip, stated so that the code and
  // the metadata cannot disagree).
  const std::string features = info.warpSize == 32 ? "+wavefrontsize32" : "+wavefrontsize64";
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, info.arch, features, options, llvm::Reloc::PIC_,
                                  std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    error = "LLVM cannot create an AMDGPU target machine for " + info.arch;
    return nullptr;
  }
  return std::make_unique<AMDGPUTarget>(info, toolchain, std::move(tm));
}

} // namespace tritonc
