// libFuzzer target 3: the IR text parser and the verifier (src/ir/Parser.h, Verifier.h).
//
// The input is IR text (the form Printer.h writes). It is parsed and, when it parses, verified
// and printed (with and without locations and layout aliases). A module that verifies must
// round-trip: print(parse(print(m))) == print(m). Finds crashes, hangs and leaks in the IR
// parser, the verifier and the printer, including the verifier's promise never to crash on a
// module the IR API can build. Seeds: fuzz/corpus/parse_ir (IR files of the test suite and IR
// printed from the repository's .tt files).
#include "FuzzCommon.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <cstddef>
#include <cstdint>

using namespace tritonc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceManager sources;
  uint32_t fileId = sources.addFile("/nonexistent/fuzz/input.tir",
                                    std::string(reinterpret_cast<const char *>(data), size));
  Context ctx;
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = parseModule(ctx, sources, fileId, diags);
  (void)fuzz::renderDiagnostics(diags, sources);
  if (!module) {
    fuzz::check(diags.hasErrors(), "IR parseModule returned nullptr without an error");
    return 0;
  }

  DiagnosticEngine verifyDiags;
  bool ok = verifyModule(*module, verifyDiags);
  (void)fuzz::renderDiagnostics(verifyDiags, sources);
  fuzz::check(ok == !verifyDiags.hasErrors(), "verifyModule's result disagrees with its errors");

  // The printer must cope with any module the parser builds, valid or not.
  PrintOptions withLocations;
  withLocations.locations = true;
  withLocations.sources = &sources;
  (void)printModule(*module, withLocations);
  PrintOptions inlineLayouts;
  inlineLayouts.inlineLayouts = true;
  (void)printModule(*module, inlineLayouts);
  if (!ok)
    return 0;

  std::string text = printModule(*module);
  SourceManager sources2;
  uint32_t id2 = sources2.addFile("/nonexistent/fuzz/roundtrip.tir", text);
  Context ctx2;
  DiagnosticEngine diags2;
  std::unique_ptr<Module> reparsed = parseModule(ctx2, sources2, id2, diags2);
  fuzz::check(reparsed != nullptr, "printed IR of a valid module does not parse back",
              fuzz::renderDiagnostics(diags2, sources2) + text);
  if (!reparsed)
    return 0;
  fuzz::check(printModule(*reparsed) == text, "IR does not round-trip", text);
  return 0;
}
