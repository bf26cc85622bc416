// What passes may know about the target: plain facts, no LLVM. Passes ask these questions
// instead of testing arch strings; codegen's Target (src/codegen/Target.h) supplies the answers.
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

/// The TargetInfo for an --arch spelling; false if the arch is not supported. `error` then
/// names the supported archs.
bool lookupTarget(const std::string &arch, TargetInfo &info, std::string &error);

} // namespace tritonc
