// software-pipeline: loads of the next iteration issued before this iteration's dots.
#pragma once

#include "passes/Pass.h"

#include <string_view>

namespace tritonc {

/// On a dot whose operands are wgmma tiles with two recycled stages: its wgmma group may stay
/// in flight into the next iteration (codegen waits with wgmma.wait_group 1 and drains the
/// group after the loop).
inline constexpr std::string_view kWgmmaPendingAttr = "wgmma_pending";

/// In every `for` loop of a kernel with num_stages >= 2, each load whose result only feeds a
/// conversion to a #dot_op layout is issued one iteration ahead: a prologue load before the
/// loop, the next iteration's load at the top of the body (its mask also requires that the
/// next iteration exists), the loaded block carried as a new iteration argument. GPU IR in,
/// GPU IR out.
bool softwarePipelinePass(Module &module, PassContext &ctx);

} // namespace tritonc
