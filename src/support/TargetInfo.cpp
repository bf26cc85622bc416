// The table of supported targets behind --arch: the facts passes may ask about each one.
// Shared-memory figures are the per-CTA opt-in maxima of the CUDA programming guide
// (compute capabilities table) and the LDS size of CDNA3.
#include "support/TargetInfo.h"

namespace tritonc {

namespace {
struct TargetRow {
  const char *arch;
  Backend backend;
  unsigned computeCapability;
  unsigned warpSize;
  unsigned sharedMemoryBytes;
};

constexpr TargetRow kTargets[] = {
    {"sm_80", Backend::Cuda, 80, 32, 166912},  {"sm_86", Backend::Cuda, 86, 32, 101376},
    {"sm_89", Backend::Cuda, 89, 32, 101376},  {"sm_90", Backend::Cuda, 90, 32, 232448},
    {"sm_90a", Backend::Cuda, 90, 32, 232448}, {"sm_100a", Backend::Cuda, 100, 32, 232448},
    {"gfx942", Backend::Hip, 0, 64, 65536},
};
} // namespace

bool targetInfoForArch(const std::string &arch, TargetInfo &info, std::string &error) {
  for (const TargetRow &row : kTargets) {
    if (arch != row.arch)
      continue;
    info = TargetInfo{};
    info.backend = row.backend;
    info.arch = row.arch;
    info.computeCapability = row.computeCapability;
    info.warpSize = row.warpSize;
    info.sharedMemoryBytes = row.sharedMemoryBytes;
    info.maxThreadsPerBlock = 1024;
    info.maxLoadStoreBytes = 16;
    return true;
  }
  error = "unsupported target architecture '" + arch + "'; supported:";
  for (const TargetRow &row : kTargets)
    error += std::string(" ") + row.arch;
  return false;
}

} // namespace tritonc
