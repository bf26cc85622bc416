// libFuzzer target 5: code generation, IR text to PTX (src/codegen/Codegen.h emitLLVM, optimize,
// emitAssembly) for sm_90a.
//
// The input is IR text. When it parses and verifies, Tile IR first goes through the tile and gpu
// pipelines, as the driver runs them; GPU IR goes straight to code generation. Lowering must
// either report an error or give an LLVM module that LLVM's verifier accepts, which must then
// optimize (-O1) and go through the NVPTX backend to PTX. Finds crashes, assertion failures and
// broken LLVM IR in the lowering of ops and layouts the seed kernels do not combine, and any
// input on which LLVM itself aborts. ptxas and the math library are not run (no external tools,
// no files). Seeds: fuzz/corpus/passes (the repository's IR and the IR the corpus kernels print).
#include "FuzzCommon.h"
#include "codegen/Codegen.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"

#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <cstddef>
#include <cstdint>

using namespace tritonc;

namespace {

/// The sm_90a target, created once: building an LLVM TargetMachine per input would dominate.
const Target &cudaTarget(const TargetInfo &info) {
  static std::unique_ptr<Target> target = [&] {
    std::string error;
    std::unique_ptr<Target> t = createTarget(info, ToolchainOptions{}, error);
    if (!t)
      fuzz::oracleFailed("cannot create the sm_90a target", error);
    return t;
  }();
  return *target;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceManager sources;
  uint32_t id = sources.addFile("/nonexistent/fuzz/input.tir",
                                std::string(reinterpret_cast<const char *>(data), size));
  Context ctx;
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = parseModule(ctx, sources, id, diags);
  if (!module || !verifyModule(*module, diags))
    return 0;

  TargetInfo info;
  std::string error;
  if (!targetInfoForArch("sm_90a", info, error))
    fuzz::oracleFailed("sm_90a is not a known target", error);
  if (irLevel(*module) != IRLevel::Gpu) {
    std::vector<std::string_view> passes = pipeline("tile", info);
    for (std::string_view p : pipeline("gpu", info))
      passes.push_back(p);
    PassContext pctx{diags, info};
    PassRunOptions options;
    options.verifyEach = true;
    if (!runPasses(*module, passes, pctx, options)) {
      fuzz::check(diags.hasErrors(), "runPasses failed without an error");
      return 0;
    }
  }

  const Target &target = cudaTarget(info);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  std::vector<KernelInfo> kernels;
  if (!emitLLVM(*module, target, llvmContext, llvmModule, kernels, diags)) {
    std::string rendered = fuzz::renderDiagnostics(diags, sources);
    fuzz::check(diags.hasErrors(), "emitLLVM failed without an error");
    return 0;
  }
  std::string broken;
  llvm::raw_string_ostream os(broken);
  fuzz::check(llvmModule != nullptr, "emitLLVM succeeded without a module");
  if (llvm::verifyModule(*llvmModule, &os)) {
    os.flush();
    fuzz::check(false, "code generation produced LLVM IR that does not verify",
                broken + printModule(*module));
    return 0;
  }
  fuzz::check(kernels.size() == module->functions().size(),
              "emitLLVM returned a KernelInfo count unlike the module's kernels");
  DiagnosticEngine backendDiags;
  if (!optimize(*llvmModule, target, /*optLevel=*/1, backendDiags)) {
    fuzz::check(false, "LLVM's optimizer rejected the generated module",
                fuzz::renderDiagnostics(backendDiags, sources));
    return 0;
  }
  std::string ptx;
  fuzz::check(emitAssembly(*llvmModule, target, ptx, backendDiags),
              "the NVPTX backend failed on the generated module",
              fuzz::renderDiagnostics(backendDiags, sources));
  return 0;
}
