// The code generation entry points: lowering every kernel of a module (Lowering.h), linking
// the math library, LLVM's optimization pipeline, and the target's assembly and binary.
#include "codegen/Codegen.h"

#include "codegen/Lowering.h"
#include "codegen/nvptx/NVPTXTarget.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>

namespace tritonc {

bool emitLLVM(const Module &module, const Target &target, llvm::LLVMContext &ctx,
              std::unique_ptr<llvm::Module> &out, std::vector<KernelInfo> &kernels,
              DiagnosticEngine &diags, const SourceManager *lineInfoSources) {
  out = std::make_unique<llvm::Module>("tritonc", ctx);
  target.configureModule(*out);
  std::unique_ptr<LineTable> lines;
  if (lineInfoSources && !module.functions().empty())
    lines = std::make_unique<LineTable>(*out, *lineInfoSources, module.functions().front()->loc());
  bool ok = true;
  for (const auto &fn : module.functions()) {
    KernelInfo info;
    KernelLowering lowering(*fn, target, *out, diags);
    lowering.setLineTable(lines.get());
    if (lowering.run(info))
      kernels.push_back(std::move(info));
    else
      ok = false;
  }
  if (!ok)
    return false;
  if (lines)
    lines->finalize();
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(*out, &os)) {
    diags.error({}, "internal error: codegen produced invalid LLVM IR:\n" + problems);
    return false;
  }
  return true;
}

bool linkMathLibrary(llvm::Module &module, const Target &target, DiagnosticEngine &diags) {
  std::string error;
  if (target.linkMathLibrary(module, error))
    return true;
  diags.error({}, error);
  return false;
}

bool optimize(llvm::Module &module, const Target &target, int optLevel, DiagnosticEngine &diags) {
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(module, &os)) {
    diags.error({}, "internal error: invalid LLVM IR before optimization:\n" + problems);
    return false;
  }
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&target.machine());
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  static const llvm::OptimizationLevel levels[] = {
      llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1, llvm::OptimizationLevel::O2,
      llvm::OptimizationLevel::O3};
  const llvm::OptimizationLevel &level = levels[std::clamp(optLevel, 0, 3)];
  llvm::ModulePassManager mpm =
      optLevel <= 0 ? pb.buildO0DefaultPipeline(level) : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(module, mam);
  return true;
}

bool emitAssembly(const llvm::Module &module, const Target &target, std::string &assembly,
                  DiagnosticEngine &diags) {
  return target.emitFinalAssembly(module, assembly, diags);
}

bool emitBinary(const llvm::Module &module, const Target &target, std::string &binary,
                DiagnosticEngine &diags, std::string *assembly) {
  return target.emitBinary(module, binary, assembly, diags);
}

} // namespace tritonc
