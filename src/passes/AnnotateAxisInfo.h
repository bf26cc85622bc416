// annotate-axis-info: a debugging aid that makes the axis-info analysis visible in IR text.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Attaches to every op with an integer or pointer result an attribute `axis_info` holding the
/// analysis' facts about its results ("contiguity = [..], divisibility = [..], constancy = [..]",
/// results separated by "; "). Changes nothing else; lit tests of AxisInfo go through it.
bool annotateAxisInfoPass(Module &module, PassContext &ctx);

/// The attribute written by annotate-axis-info.
inline constexpr std::string_view kAxisInfoAttr = "axis_info";

} // namespace tritonc
