// The pipelines, as lists of pass names, and the ordering rules they must obey — in one place.
//
//   tile: the clean-ups on Tile IR the front end's output needs (constants folded, duplicates
//         merged, invariants out of loops, dead code gone) before layouts are chosen;
//   gpu:  layout assignment and the GPU-level passes, leaving GPU IR ready for codegen.
// The full compilation runs tile then gpu. A unit test runs checkPassOrder on every pipeline,
// so a pipeline that breaks a rule fails in CI rather than at a user's compile.
#include "passes/Pass.h"

namespace tritonc {

namespace {

struct PipelineRow {
  std::string_view name;
  std::vector<std::string_view> passes;
};

const std::vector<PipelineRow> &pipelines() {
  static const std::vector<PipelineRow> kPipelines = {
      {"tile", {"canonicalize", "cse", "licm", "dce"}},
      {"gpu",
       {"version-alignment", "coalesce", "remove-converts", "accelerate-matmul", "remove-converts",
        "software-pipeline", "cse", "dce"}},
  };
  return kPipelines;
}

/// (first, second): where both appear, `first` must come before `second`. Level rules
/// (PassInfo::expects / produces) are checked separately; this table holds the orderings
/// that levels do not express.
struct OrderingRule {
  std::string_view first, second, why;
};
constexpr OrderingRule kOrderingRules[] = {
    {"specialize", "version-alignment",
     "a variant is not versioned again: its promises are the facts versioning would check"},
    {"specialize", "coalesce", "coalesce picks vector widths from each variant's promises"},
    {"version-alignment", "coalesce",
     "coalesce picks vector widths from the facts each version assumes"},
    {"coalesce", "remove-converts", "the conversions to clean up are inserted by coalesce"},
    {"coalesce", "accelerate-matmul", "dots get #mma layouts once every block has a layout"},
    {"accelerate-matmul", "software-pipeline",
     "the loads to pipeline are those feeding #dot_op conversions"},
};

std::string producersOf(IRLevel level) {
  std::string out;
  for (const PassInfo &p : passRegistry())
    if (p.produces == level)
      out += (out.empty() ? "'" : ", '") + std::string(p.name) + "'";
  return out;
}

} // namespace

std::vector<std::string_view> pipeline(std::string_view name, const TargetInfo &target) {
  (void)target; // no target-specific pipeline yet: the passes ask the target themselves
  for (const PipelineRow &row : pipelines())
    if (row.name == name)
      return row.passes;
  return {};
}

std::string checkPassOrder(const std::vector<std::string_view> &passes, IRLevel start) {
  IRLevel level = start;
  for (std::string_view name : passes) {
    const PassInfo *info = findPass(name);
    if (!info)
      return "unknown pass '" + std::string(name) + "'";
    if (info->expects == IRLevel::Gpu && level == IRLevel::Tile)
      return "pass '" + std::string(name) + "' needs GPU IR: it must come after " +
             producersOf(IRLevel::Gpu);
    if (info->expects == IRLevel::Tile && level == IRLevel::Gpu)
      return "pass '" + std::string(name) + "' works on Tile IR: it must come before " +
             producersOf(IRLevel::Gpu);
    if (info->produces != IRLevel::Any)
      level = info->produces;
  }
  for (const OrderingRule &rule : kOrderingRules) {
    size_t firstAt = passes.size(), secondAt = passes.size();
    for (size_t i = 0; i < passes.size(); ++i) {
      if (passes[i] == rule.first && firstAt == passes.size())
        firstAt = i;
      if (passes[i] == rule.second && secondAt == passes.size())
        secondAt = i;
    }
    if (firstAt != passes.size() && secondAt != passes.size() && secondAt < firstAt)
      return "pass '" + std::string(rule.second) + "' must come after '" + std::string(rule.first) +
             "': " + std::string(rule.why);
  }
  return "";
}

} // namespace tritonc
