// libFuzzer target 4: the pass pipeline on IR text (src/passes/Pass.h runPasses).
//
// The input is IR text. When it parses and verifies, the full pipeline (tile then gpu; for GPU IR
// the GPU pipeline's passes that take GPU IR) runs on it with verifyEach, and so does each of the
// level-independent clean-up passes on its own copy. A pass may reject a module with an error, but
// must never crash, hang, leak, leave IR that does not verify ("internal error: the IR does not
// verify after pass ..."), or fail silently; GPU IR that comes out must print, parse back and print
// the same. Seeds: fuzz/corpus/passes (the same IR files as parse_ir).
#include "FuzzCommon.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"

#include <cstddef>
#include <cstdint>

using namespace tritonc;

namespace {

/// Parses and verifies `text`; nullptr when it is not a valid module.
std::unique_ptr<Module> load(Context &ctx, SourceManager &sources, const std::string &text) {
  uint32_t id = sources.addFile("/nonexistent/fuzz/input.tir", text);
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = parseModule(ctx, sources, id, diags);
  if (!module || !verifyModule(*module, diags))
    return nullptr;
  return module;
}

/// Runs `passes` on `module`; checks the oracles; returns whether the passes succeeded.
bool run(Module &module, const SourceManager &sources,
         const std::vector<std::string_view> &passes) {
  DiagnosticEngine diags;
  TargetInfo target;
  PassContext ctx{diags, target};
  PassRunOptions options;
  options.verifyEach = true;
  bool ok = runPasses(module, passes, ctx, options);
  std::string rendered = fuzz::renderDiagnostics(diags, sources);
  if (!ok) {
    fuzz::check(diags.hasErrors(), "runPasses failed without an error");
    fuzz::check(rendered.find("does not verify after pass") == std::string::npos &&
                    rendered.find("failed without a diagnostic") == std::string::npos,
                "a pass broke valid IR", rendered + printModule(module));
  }
  return ok;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  TargetInfo target;
  {
    SourceManager sources;
    Context ctx;
    std::unique_ptr<Module> module = load(ctx, sources, text);
    if (!module)
      return 0;
    // Tile IR: the whole pipeline. GPU IR: the GPU pipeline's passes that take GPU IR.
    bool gpu = irLevel(*module) == IRLevel::Gpu;
    std::vector<std::string_view> passes;
    if (!gpu)
      passes = pipeline("tile", target);
    for (std::string_view p : pipeline("gpu", target)) {
      const PassInfo *info = findPass(p);
      if (!gpu || (info && info->expects != IRLevel::Tile))
        passes.push_back(p);
    }
    if (run(*module, sources, passes)) {
      std::string out = printModule(*module);
      SourceManager sources2;
      Context ctx2;
      std::unique_ptr<Module> reparsed = load(ctx2, sources2, out);
      fuzz::check(reparsed != nullptr, "IR after the pipeline does not parse back or verify", out);
      if (reparsed)
        fuzz::check(printModule(*reparsed) == out, "IR after the pipeline does not round-trip",
                    out);
    }
  }
  for (const PassInfo &info : passRegistry()) {
    if (info.expects != IRLevel::Any || info.produces != IRLevel::Any)
      continue;
    SourceManager sources;
    Context ctx;
    std::unique_ptr<Module> module = load(ctx, sources, text);
    if (module)
      run(*module, sources, {info.name});
  }
  return 0;
}
