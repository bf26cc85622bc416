// software-pipeline: loads of the next iteration issued before this iteration's dots.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// In every `for` loop of a kernel with num_stages >= 2, each load whose result only feeds a
/// conversion to a #dot_op layout is issued one iteration ahead: a prologue load before the
/// loop, the next iteration's load at the top of the body (its mask also requires that the
/// next iteration exists), the loaded block carried as a new iteration argument. GPU IR in,
/// GPU IR out.
bool softwarePipelinePass(Module &module, PassContext &ctx);

} // namespace tritonc
