// The table of supported targets behind --arch: the facts passes may ask about each one.
// NVIDIA: a table. Shared-memory figures are the per-CTA opt-in maxima of the CUDA programming
// guide (compute capabilities table). PTX ISA versions: the one LLVM 22's NVPTX backend gives
// each processor (NVPTX.td: sm_75 6.3, sm_100 8.6, sm_103 8.8, sm_120 8.7), raised to 7.8 where
// that is lower (the cache-eviction hints and atomics tritonc emits).
// AMD: every gfx processor LLVM's AMDGPU target parser knows (no list of our own, so a newer
// LLVM brings its new chips): wave32 where the parser says the chip has it (gfx10 and later,
// RDNA), wave64 otherwise (gfx9, CDNA); LDS per workgroup 64 KiB, 160 KiB on gfx950 (the
// addressable local memory size LLVM's AMDGPU.td gives it), 320 KiB on gfx1250.
#include "support/TargetInfo.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/TargetParser/TargetParser.h>

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
};

/// The LDS one workgroup may address on an AMD processor (bytes).
unsigned ldsBytes(const std::string &arch) {
  if (arch == "gfx950")
    return 160 * 1024;
  if (arch.starts_with("gfx125"))
    return 320 * 1024;
  return 64 * 1024;
}

bool amdgpuTargetInfo(const std::string &arch, TargetInfo &info) {
  if (!arch.starts_with("gfx"))
    return false;
  llvm::AMDGPU::GPUKind kind = llvm::AMDGPU::parseArchAMDGCN(arch);
  if (kind == llvm::AMDGPU::GK_NONE)
    return false;
  info = TargetInfo{};
  info.backend = Backend::Hip;
  info.arch = arch;
  info.computeCapability = 0;
  info.ptxVersion = 0;
  info.warpSize = (llvm::AMDGPU::getArchAttrAMDGCN(kind) & llvm::AMDGPU::FEATURE_WAVE32) ? 32 : 64;
  info.sharedMemoryBytes = ldsBytes(arch);
  info.maxThreadsPerBlock = 1024;
  info.maxLoadStoreBytes = 16;
  return true;
}
} // namespace

std::vector<std::string> amdgpuArchs() {
  llvm::SmallVector<llvm::StringRef, 64> names;
  llvm::AMDGPU::fillValidArchListAMDGCN(names);
  std::vector<std::string> out;
  for (llvm::StringRef name : names)
    if (name.starts_with("gfx"))
      out.push_back(name.str());
  return out;
}

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
  if (amdgpuTargetInfo(arch, info))
    return true;
  error = "unsupported target architecture '" + arch + "'; supported: NVIDIA";
  for (const TargetRow &row : kTargets)
    error += std::string(" ") + row.arch;
  error += "; AMD (the processors of LLVM's AMDGPU backend)";
  for (const std::string &name : amdgpuArchs())
    error += " " + name;
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
