// The pass registry: every pass is named once in a table (Passes.def: name, entry point, IR
// levels, one-line description), and the pipelines are lists of those names (see Pipeline.cpp). The
// driver, the differential tester and `--from-ir ... --passes=a,b` all go through this table.
#pragma once

#include "ir/IR.h"
#include "support/Diagnostics.h"
#include "support/TargetInfo.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc {

/// What a pass gets besides the module.
struct PassContext {
  DiagnosticEngine &diags;
  const TargetInfo &target;
};

/// A pass's place in the pipeline: the IR level (ir/IR.h) it expects and the one it leaves.
struct PassInfo {
  std::string_view name;
  std::string_view description;
  /// Runs on the whole module. Returns false after reporting an error into ctx.diags.
  std::function<bool(Module &, PassContext &)> run;
  IRLevel expects = IRLevel::Any;
  /// The level the module is at afterwards (Any: unchanged). `coalesce` produces Gpu.
  IRLevel produces = IRLevel::Any;
  /// True if the pass may reassociate or otherwise change floating-point results (the
  /// differential tester then compares floats with a tolerance instead of bit-exactly).
  bool changesFloatResults = false;
};

/// Every registered pass, in registration order.
const std::vector<PassInfo> &passRegistry();
const PassInfo *findPass(std::string_view name);
/// The table for `tritonc --list-passes`: one line per pass with its name, the IR level it
/// runs on ("tile -> gpu" when it changes the level) and its description.
std::string passListText();

/// The named pipelines: "tile" (front-end cleanups on Tile IR), "gpu" (layout assignment and
/// GPU-level passes producing GPU IR ready for codegen). The full pipeline is tile then gpu.
/// An unknown name gives an empty list.
std::vector<std::string_view> pipeline(std::string_view name, const TargetInfo &target);

/// Checks a list of pass names against the registry and the ordering rules (every name known;
/// a Gpu-level pass only after the pass that produces GPU IR; a Tile-level pass only before it;
/// the constraints of the ordering table). Returns "" if fine, else what is wrong. The named
/// pipelines are checked by a unit test; runPasses checks the module's actual level too.
std::string checkPassOrder(const std::vector<std::string_view> &passes,
                           IRLevel start = IRLevel::Tile);

/// Options for running a list of passes.
struct PassRunOptions {
  bool verifyEach = false;
  std::vector<std::string> printAfter; ///< pass names; "all" prints after every pass
  bool timePasses = false;
  /// Where --print-after output goes (the driver passes stderr).
  std::function<void(std::string_view passName, const Module &)> printHook;
  /// Receives (pass name, seconds) when timePasses is set.
  std::function<void(std::string_view passName, double seconds)> timeHook;
};

/// Runs `passes` in order. Returns false as soon as one fails (its error is in ctx.diags) or,
/// with verifyEach, as soon as the verifier rejects the module (reported as an internal error
/// naming the pass).
bool runPasses(Module &module, const std::vector<std::string_view> &passes, PassContext &ctx,
               const PassRunOptions &options = {});

} // namespace tritonc
