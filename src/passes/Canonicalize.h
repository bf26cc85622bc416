// canonicalize: local simplifications that make later passes (and the GPU) do less work.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Folds constants (scalar and splat; arithmetic, cmp, cast, select), applies integer identities
/// (x+0, x*1, x*0, ...), turns splat/broadcast/expand_dims/reshape/trans of splats and constants
/// into splats and constants, and erases the ops it replaced. Keeps every result type (layouts
/// included), so it runs on Tile IR and GPU IR alike. Unused operands are left for `dce`.
bool canonicalizePass(Module &module, PassContext &ctx);

} // namespace tritonc
