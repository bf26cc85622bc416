// What every layer may know about the target: plain facts, no LLVM (warp size, shared-memory
// limit, compute capability). Passes, the interpreter's command line and the driver ask these
// questions instead of testing arch strings; codegen's Target (src/codegen/Target.h) adds what
// needs LLVM.
#pragma once

#include <string>

namespace tritonc {

enum class Backend { Cuda, Hip };

struct TargetInfo {
  Backend backend = Backend::Cuda;
  std::string arch = "sm_90a";     ///< "sm_80", "sm_90a", "gfx942", ...
  unsigned computeCapability = 90; ///< NVIDIA: 80, 86, 89, 90, 100; AMD: 0
  unsigned warpSize = 32;
  unsigned sharedMemoryBytes = 232448; ///< the most one CTA may use (opt-in limit)
  unsigned maxThreadsPerBlock = 1024;
  unsigned maxLoadStoreBytes = 16; ///< widest single global access per thread

  bool isCuda() const { return backend == Backend::Cuda; }
  bool isHip() const { return backend == Backend::Hip; }
};

/// Fills `info` with the facts of the target an --arch spelling names ("sm_90a", "gfx942");
/// false if the arch is not supported, `error` then naming the supported archs. (Named apart
/// from LLVM's TargetRegistry::lookupTarget, which finds an LLVM backend by triple.)
bool targetInfoForArch(const std::string &arch, TargetInfo &info, std::string &error);

} // namespace tritonc
