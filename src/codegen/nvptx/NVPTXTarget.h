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
/// output as a note. With `registers`, ptxas -v's register count of each entry goes there.
bool runPtxas(const TargetInfo &info, const ToolchainOptions &toolchain, const std::string &ptx,
              std::string &cubin, DiagnosticEngine &diags,
              std::map<std::string, unsigned> *registers = nullptr);

} // namespace tritonc
