// libFuzzer target 2: the whole front end, .tt text to verified Tile IR
// (src/frontend/Frontend.h compileToTileIR, then src/ir/Verifier.h verifyModule).
//
// The input is the text of a .tt file, compiled with the default options (every kernel, no -I;
// the file lives in a directory that does not exist, so imports fail cleanly) changed by its
// `# FUZZ-FLAGS:` / `# ACCEPT-FLAGS:` comment lines: `-D NAME=VALUE`, `--kernel NAME`,
// `--num-warps N`, `--num-stages N`, `--num-ctas N`, with the values the driver accepts. A module
// that comes back must verify, and its printed IR must parse back and print the same (the
// round-trip rule of docs/IR.md). Finds crashes, hangs (absurd static_range unrolling, huge
// blocks, helper recursion), stack overflows and leaks anywhere in lexing, parsing, sema and
// lowering. Seeds: fuzz/corpus/frontend (the repository's .tt files).
#include "FuzzCommon.h"
#include "frontend/Frontend.h"
#include "ir/LaunchConfig.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <cstddef>
#include <cstdint>

using namespace tritonc;

namespace {

bool isPow2(unsigned v) { return v != 0 && (v & (v - 1)) == 0; }

/// Applies the flags of the input's `# FUZZ-FLAGS:` and `# ACCEPT-FLAGS:` lines to `options`,
/// validated as the driver validates them (src/driver/Options.cpp).
void applyFlagLines(std::string_view text, FrontendOptions &options,
                    std::vector<std::pair<LaunchKnob, unsigned>> &launch) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    for (std::string_view tag : {"# FUZZ-FLAGS:", "# ACCEPT-FLAGS:"}) {
      if (line.substr(0, tag.size()) != tag)
        continue;
      std::vector<std::string> words;
      std::string word;
      for (char c : line.substr(tag.size())) {
        if (c == ' ' || c == '\t') {
          if (!word.empty())
            words.push_back(std::move(word));
          word.clear();
        } else {
          word += c;
        }
      }
      if (!word.empty())
        words.push_back(std::move(word));
      for (size_t i = 0; i < words.size(); ++i) {
        const std::string &w = words[i];
        bool hasNext = i + 1 < words.size();
        std::string define;
        if (w == "-D" && hasNext)
          define = words[++i];
        else if (w.size() > 2 && w.substr(0, 2) == "-D")
          define = w.substr(2);
        if (!define.empty()) {
          size_t eq = define.find('=');
          if (eq != std::string::npos && eq != 0)
            options.defines.emplace_back(define.substr(0, eq), define.substr(eq + 1));
          continue;
        }
        if (!hasNext)
          continue;
        if (w == "--kernel") {
          options.kernels.push_back(words[++i]);
          continue;
        }
        unsigned n = 0;
        const std::string &v = words[i + 1];
        if (v.empty() || v.size() > 3 || v.find_first_not_of("0123456789") != std::string::npos)
          continue;
        n = static_cast<unsigned>(std::stoul(v));
        // Launch knobs are not the front end's: set on the kernels afterwards, as the driver's
        // applyLaunchOverrides does.
        if (w == "--num-warps" && isPow2(n) && n <= 32)
          launch.emplace_back(LaunchKnob::NumWarps, n), ++i;
        else if (w == "--num-stages" && n >= 1 && n <= 16)
          launch.emplace_back(LaunchKnob::NumStages, n), ++i;
        else if (w == "--num-ctas" && isPow2(n) && n <= 16)
          launch.emplace_back(LaunchKnob::NumCtas, n), ++i;
      }
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceManager sources;
  uint32_t fileId = sources.addFile("/nonexistent/fuzz/input.tt",
                                    std::string(reinterpret_cast<const char *>(data), size));
  Context ctx;
  FrontendOptions options;
  std::vector<std::pair<LaunchKnob, unsigned>> launch;
  applyFlagLines(sources.file(fileId).text, options, launch);
  DiagnosticEngine diags;
  std::unique_ptr<Module> module = compileToTileIR(sources, fileId, ctx, options, diags);
  if (module)
    for (auto &fn : module->functions())
      for (auto [knob, value] : launch)
        fn->set(knob, value);
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
