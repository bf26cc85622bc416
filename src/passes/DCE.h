// dce: dead-code elimination.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Erases ops whose results are never needed by an op with an effect (stores, atomics, prints,
/// asserts, barriers, volatile loads, `while` loops, returns): pure ops, non-volatile loads, and
/// `for`/`if` ops with nothing live inside; and drops the loop-carried values of `for` and the
/// results of `if` that nothing needs.
bool dcePass(Module &module, PassContext &ctx);

} // namespace tritonc
