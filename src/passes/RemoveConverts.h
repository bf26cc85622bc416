// remove-converts: clean-up of layout conversions.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Drops `convert_layout` ops whose source already has the result's layout, folds chains
/// convert(convert(x)) into one conversion, and recomputes values made by a few cheap ops
/// (constants, splats, aranges, integer arithmetic, broadcasts, ...) in the layout wanted
/// instead of converting them. GPU IR in, GPU IR out.
bool removeConvertsPass(Module &module, PassContext &ctx);

} // namespace tritonc
