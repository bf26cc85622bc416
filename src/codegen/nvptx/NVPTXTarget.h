// The NVIDIA target: LLVM's NVPTX backend, libdevice as the math library, ptxas for cubins.
#pragma once

#include "codegen/Target.h"

#include <map>
#include <string>

namespace tritonc {

/// The Target for a CUDA TargetInfo (sm_80 … sm_100a). Null with `error` set if LLVM lacks
/// the NVPTX backend.
std::unique_ptr<Target> createNVPTXTarget(const TargetInfo &info, const ToolchainOptions &toolchain,
                                          std::string &error);

/// Assembles PTX into a cubin for `info.arch` with ptxas (found through `toolchain`, at its
/// ptxasOptLevel). ptxas's output goes into the diagnostics: a warning when it succeeds (register
/// spills), else an error naming the kernel whose line ptxas cites (or every kernel) with the
/// output as a note.
/// ptxas runs with -v; its per-kernel report goes into `resources` (if given), and only the
/// rest of its output counts as a warning.
bool runPtxas(const TargetInfo &info, const ToolchainOptions &toolchain, const std::string &ptx,
              std::string &cubin, DiagnosticEngine &diags,
              std::vector<KernelResources> *resources = nullptr);

/// Splits ptxas -v output into each entry's resources (in the order ptxas reports them:
/// "Compiling entry function 'k'", "N bytes stack frame, N bytes spill stores, N bytes spill
/// loads", "Used N registers, ... N bytes smem") and the remaining lines (warnings), returned.
std::string parsePtxasInfo(const std::string &output, std::vector<KernelResources> &resources);

} // namespace tritonc
