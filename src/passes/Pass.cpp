// The pass registry and the pass runner.
//
// Every pass is one row of the X-macro table Passes.def: its name (what --passes, --print-after
// and the pipelines of Pipeline.cpp use), its entry point, the IR level it expects and the level
// it leaves, and a one-line description (`tritonc --list-passes`). runPasses checks the module's
// actual level before each pass, so a GPU-level pass handed Tile IR (or the reverse) is an internal
// error naming the pass, never a crash inside it; with verifyEach the verifier runs on the input
// and after every pass, and a failure names the pass that broke the IR.
#include "passes/Pass.h"

#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace tritonc {

// The entry points, declared from the table (each is documented in its pass's header).
#define PASS(Name, EntryPoint, Expects, Produces, ChangesFloatResults, Description)                \
  bool EntryPoint(Module &module, PassContext &ctx);
#include "passes/Passes.def"

const std::vector<PassInfo> &passRegistry() {
  static const std::vector<PassInfo> kRegistry = {
#define PASS(Name, EntryPoint, Expects, Produces, ChangesFloatResults, Description)                \
  {Name, Description, EntryPoint, IRLevel::Expects, IRLevel::Produces, ChangesFloatResults},
#include "passes/Passes.def"
  };
  return kRegistry;
}

const PassInfo *findPass(std::string_view name) {
  for (const PassInfo &p : passRegistry())
    if (p.name == name)
      return &p;
  return nullptr;
}

std::string passListText() {
  auto levelName = [](IRLevel l) {
    return l == IRLevel::Tile ? "tile" : l == IRLevel::Gpu ? "gpu" : "any";
  };
  std::string out;
  for (const PassInfo &p : passRegistry()) {
    std::string level = levelName(p.expects);
    if (p.produces != IRLevel::Any && p.produces != p.expects)
      level += std::string(" -> ") + levelName(p.produces);
    std::string line = std::string(p.name);
    line.resize(std::max<size_t>(line.size() + 2, 20), ' ');
    line += level;
    line.resize(std::max<size_t>(line.size() + 2, 34), ' ');
    out += line + std::string(p.description) + "\n";
  }
  return out;
}

namespace {

std::string passNameList() {
  std::string out;
  for (const PassInfo &p : passRegistry())
    out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out;
}

SourceRange moduleLoc(const Module &module) {
  if (!module.functions().empty())
    return module.functions().front()->loc();
  return {};
}

/// Runs the verifier; on failure reports `what` as an internal error followed by the
/// verifier's own diagnostics.
bool verifyOrReport(const Module &module, DiagnosticEngine &diags, const std::string &what) {
  DiagnosticEngine local;
  if (verifyModule(module, local))
    return true;
  diags.error(moduleLoc(module), "internal error: " + what);
  for (const Diagnostic &d : local.diagnostics())
    diags.report(d.severity, d.range, d.message).notes = d.notes;
  return false;
}

} // namespace

bool runPasses(Module &module, const std::vector<std::string_view> &passes, PassContext &ctx,
               const PassRunOptions &options) {
  std::vector<const PassInfo *> infos;
  for (std::string_view name : passes) {
    const PassInfo *info = findPass(name);
    if (!info) {
      ctx.diags.error({}, "unknown pass '" + std::string(name) + "'")
          .notes.push_back({{}, "the passes are: " + passNameList()});
      return false;
    }
    infos.push_back(info);
  }
  bool printAll = false;
  for (const std::string &name : options.printAfter) {
    if (name == "all") {
      printAll = true;
    } else if (!findPass(name)) {
      ctx.diags.error({}, "unknown pass '" + name + "' in --print-after")
          .notes.push_back({{}, "the passes are: " + passNameList()});
      return false;
    }
  }
  auto wantsPrint = [&](std::string_view name) {
    if (printAll)
      return true;
    for (const std::string &p : options.printAfter)
      if (p == name)
        return true;
    return false;
  };

  if (options.verifyEach && !infos.empty() &&
      !verifyOrReport(module, ctx.diags,
                      "the input of pass '" + std::string(infos.front()->name) +
                          "' does not verify"))
    return false;

  for (const PassInfo *info : infos) {
    std::string name(info->name);
    IRLevel level = irLevel(module);
    // The input is the user's (--from-ir with --passes): a pass given the wrong level of IR is
    // their error, with what to run instead.
    if (info->expects == IRLevel::Gpu && level == IRLevel::Tile) {
      ctx.diags.error(moduleLoc(module), "pass '" + name +
                                             "' runs on GPU IR, but this module is Tile IR (no "
                                             "block carries a layout yet): run 'coalesce' "
                                             "before it, or give it the output of --emit-ir");
      return false;
    }
    if (info->expects == IRLevel::Tile && level == IRLevel::Gpu) {
      ctx.diags.error(moduleLoc(module), "pass '" + name +
                                             "' runs on Tile IR, but this module is GPU IR (its "
                                             "blocks already carry layouts): give it the output "
                                             "of --emit-ir=tile, or leave '" +
                                             name + "' out of --passes");
      return false;
    }

    unsigned errorsBefore = ctx.diags.numErrors();
    auto start = std::chrono::steady_clock::now();
    bool ok = false;
    try {
      ok = info->run(module, ctx);
    } catch (const CompilationAborted &) {
      ok = false;
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.timePasses) {
      if (options.timeHook)
        options.timeHook(info->name, seconds);
      else
        std::cerr << "pass " << name << ": " << seconds * 1e3 << " ms\n";
    }
    if (!ok) {
      if (ctx.diags.numErrors() == errorsBefore)
        ctx.diags.error(moduleLoc(module),
                        "internal error: pass '" + name + "' failed without a diagnostic");
      return false;
    }
    if (wantsPrint(info->name)) {
      if (options.printHook)
        options.printHook(info->name, module);
      else
        std::cerr << "// -----// IR Dump After " << name << " //----- //\n"
                  << printModule(module) << "\n";
    }
    if (options.verifyEach &&
        !verifyOrReport(module, ctx.diags, "the IR does not verify after pass '" + name + "'"))
      return false;
  }
  return true;
}

} // namespace tritonc
