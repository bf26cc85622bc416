// licm: loop-invariant code motion.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Hoists pure ops whose operands are all defined outside a `for` or `while` loop to just
/// before the loop (innermost loops first, so an op can climb several levels). Integer `div`
/// and `rem` move only with a non-zero constant divisor, since the loop may not execute.
bool licmPass(Module &module, PassContext &ctx);

} // namespace tritonc
