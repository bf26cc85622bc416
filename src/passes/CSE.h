// cse: common-subexpression elimination of pure ops.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Replaces a pure op by an earlier equal one (same opcode, operands — in any order for
/// commutative ops — attributes and result types) that dominates it: one in the same block or in
/// an enclosing block. Values of inner regions are never reused outside them.
bool csePass(Module &module, PassContext &ctx);

} // namespace tritonc
