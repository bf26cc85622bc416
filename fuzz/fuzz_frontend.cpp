// libFuzzer target 2: the whole front end, .tt text to verified Tile IR
// (src/frontend/Frontend.h compileToTileIR, then src/ir/Verifier.h verifyModule).
//
// The input is the text of a .tt file, compiled with the default options (every kernel, no -D,
// no -I; the file lives in a directory that does not exist, so imports fail cleanly). A module
// that comes back must verify, and its printed IR must parse back and print the same (the
// round-trip rule of docs/IR.md). Finds crashes, hangs (absurd static_range unrolling, huge
// blocks, helper recursion), stack overflows and leaks anywhere in lexing, parsing, sema and
// lowering. Seeds: fuzz/corpus/frontend (the repository's .tt files).
#include "FuzzCommon.h"
#include "frontend/Frontend.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <cstddef>
#include <cstdint>

using namespace tritonc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceManager sources;
  uint32_t fileId = sources.addFile("/nonexistent/fuzz/input.tt",
                                    std::string(reinterpret_cast<const char *>(data), size));
  Context ctx;
  FrontendOptions options;
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = compileToTileIR(sources, fileId, ctx, options, diags);
  std::string rendered = fuzz::renderDiagnostics(diags, sources);
  if (!module) {
    fuzz::check(diags.hasErrors(), "compileToTileIR returned nullptr without an error");
    return 0;
  }
  fuzz::check(!diags.hasErrors(), "compileToTileIR returned a module after reporting an error",
              rendered);

  DiagnosticEngine verifyDiags;
  bool ok = verifyModule(*module, verifyDiags);
  std::string text = printModule(*module);
  fuzz::check(ok, "the front end produced IR that does not verify",
              fuzz::renderDiagnostics(verifyDiags, sources) + text);
  if (!ok)
    return 0;
  PrintOptions withLocations;
  withLocations.locations = true;
  withLocations.sources = &sources;
  (void)printModule(*module, withLocations);

  // Round trip through the IR text form.
  SourceManager irSources;
  uint32_t irId = irSources.addFile("/nonexistent/fuzz/input.tir", text);
  Context ctx2;
  DiagnosticEngine irDiags;
  std::unique_ptr<Module> reparsed = parseModule(ctx2, irSources, irId, irDiags);
  fuzz::check(reparsed != nullptr, "printed front-end IR does not parse back",
              fuzz::renderDiagnostics(irDiags, irSources) + text);
  if (reparsed)
    fuzz::check(printModule(*reparsed) == text, "front-end IR does not round-trip", text);
  return 0;
}
