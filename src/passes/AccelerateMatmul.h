// accelerate-matmul: dots onto the GPU's matrix units.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Rewrites every `dot` that an NVIDIA matrix instruction can compute (mma.sync on sm_80+:
/// f16/bf16, tf32, int8; M a multiple of 16, N of 8, K of the instruction's K)
/// so that its result has an #mma layout and its operands #dot_op layouts, inserting the
/// conversions; an accumulator carried by a `for` loop is carried in the #mma layout. Other
/// dots stay as they are (codegen computes them on FMA units). GPU IR in, GPU IR out.
bool accelerateMatmulPass(Module &module, PassContext &ctx);

} // namespace tritonc
