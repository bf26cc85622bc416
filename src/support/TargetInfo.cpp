// The table of supported targets behind --arch: the facts passes may ask about each one.
// Shared-memory figures are the per-CTA opt-in maxima of the CUDA programming guide
// (compute capabilities table) and the LDS size of CDNA3. PTX ISA versions: the one LLVM 22's
// NVPTX backend gives each processor (NVPTX.td: sm_75 6.3, sm_100 8.6, sm_103 8.8, sm_120 8.7),
// raised to 7.8 where that is lower (the cache-eviction hints and atomics tritonc emits).
#include "support/TargetInfo.h"

namespace tritonc {

namespace {
struct TargetRow {
  const char *arch;
  Backend backend;
  unsigned computeCapability;
  unsigned warpSize;
  unsigned sharedMemoryBytes;
  unsigned ptxVersion;
};

constexpr TargetRow kTargets[] = {
    {"sm_75", Backend::Cuda, 75, 32, 65536, 78},
    {"sm_80", Backend::Cuda, 80, 32, 166912, 78},
    {"sm_86", Backend::Cuda, 86, 32, 101376, 78},
    {"sm_89", Backend::Cuda, 89, 32, 101376, 78},
    {"sm_90", Backend::Cuda, 90, 32, 232448, 80},
    {"sm_90a", Backend::Cuda, 90, 32, 232448, 80},
    {"sm_100", Backend::Cuda, 100, 32, 232448, 86},
    {"sm_100a", Backend::Cuda, 100, 32, 232448, 86},
    {"sm_103", Backend::Cuda, 103, 32, 232448, 88},
    {"sm_120", Backend::Cuda, 120, 32, 101376, 87},
    {"sm_120a", Backend::Cuda, 120, 32, 101376, 87},
    {"gfx942", Backend::Hip, 0, 64, 65536, 0},
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
    info.ptxVersion = row.ptxVersion;
    info.maxThreadsPerBlock = 1024;
    info.maxLoadStoreBytes = 16;
    return true;
  }
  error = "unsupported target architecture '" + arch + "'; supported:";
  for (const TargetRow &row : kTargets)
    error += std::string(" ") + row.arch;
  return false;
}

std::string archForComputeCapability(unsigned major, unsigned minor) {
  const std::string base = "sm_" + std::to_string(major * 10 + minor);
  std::string found;
  for (const TargetRow &row : kTargets) // the "a" variant follows its base arch in the table
    if (row.backend == Backend::Cuda && (base == row.arch || base + "a" == row.arch))
      found = row.arch;
  return found;
}

} // namespace tritonc
