// The AMD target: LLVM's AMDGPU backend, ocml/ockl as the math library, ld.lld for hsacos.
#pragma once

#include "codegen/Target.h"

namespace tritonc {

/// The Target for a HIP TargetInfo (gfx942). Null with `error` set if LLVM lacks the AMDGPU
/// backend.
std::unique_ptr<Target> createAMDGPUTarget(const TargetInfo &info,
                                           const ToolchainOptions &toolchain, std::string &error);

} // namespace tritonc
