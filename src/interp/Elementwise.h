// Elementwise op kernels of the interpreter (private to src/interp): arithmetic, comparisons,
// select, casts, pointer arithmetic, math functions and extern_call, each applied element by
// element with Triton's semantics for the element type (see docs/IR.md and the comments in
// Elementwise.cpp for the undefined corners, where the GPU's behaviour is chosen).
#pragma once

#include "interp/Cells.h"
#include "ir/IR.h"

#include <string>

namespace tritonc::interp {

/// Evaluates `op`, an op with the Elementwise trait, over `in` (one entry per operand; a
/// one-cell operand beside block operands is broadcast). `out.type` must be the result type
/// and `out.cells` sized to its element count. Returns an empty string on success, else a
/// description of what is not supported (an unknown extern function, an impossible cast).
std::string evalElementwise(const Operation &op, const RtValue *const *in, RtValue &out);

} // namespace tritonc::interp
