// What every layer may know about the target: plain facts, no LLVM (warp size, shared-memory
// limit, compute capability). Passes, the interpreter's command line and the driver ask these
// questions instead of testing arch strings; codegen's Target (src/codegen/Target.h) adds what
// needs LLVM. (The implementation asks LLVM's target parser which AMD processors exist; this
// header stays free of LLVM.)
#pragma once

#include <string>
#include <vector>

namespace tritonc {

enum class Backend { Cuda, Hip };

struct TargetInfo {
  Backend backend = Backend::Cuda;
  std::string arch = "sm_90a";     ///< "sm_80", "sm_90a", "gfx942", ...
  unsigned computeCapability = 90; ///< NVIDIA: 75, 80, 86, 89, 90, 100, 103, 120; AMD: 0
  /// NVIDIA: the PTX ISA version the code is emitted in (78 = 7.8): the lowest that has the arch
  /// and every instruction tritonc uses on it. AMD: 0.
  unsigned ptxVersion = 80;
  unsigned warpSize = 32;
  unsigned sharedMemoryBytes = 232448; ///< the most one CTA may use (opt-in limit)
  unsigned maxThreadsPerBlock = 1024;
  unsigned maxLoadStoreBytes = 16; ///< widest single global access per thread
  /// Dots may use wgmma (mma version 3) where the target has it (sm_90a) and the shapes allow;
  /// else mma.sync. On by default; --mma=sync turns it off (a choice of the user, carried with
  /// the target's facts).
  bool wgmma = true;

  /// Whether the target has wgmma (sm_90a: the arch-specific 9.0 variant).
  bool hasWgmma() const { return isCuda() && computeCapability == 90 && arch == "sm_90a"; }

  bool isCuda() const { return backend == Backend::Cuda; }
  bool isHip() const { return backend == Backend::Hip; }
};

/// Fills `info` with the facts of the target an --arch spelling names ("sm_90a", "gfx942");
/// false if the arch is not supported, `error` then naming the supported archs. (Named apart
/// from LLVM's TargetRegistry::lookupTarget, which finds an LLVM backend by triple.)
bool targetInfoForArch(const std::string &arch, TargetInfo &info, std::string &error);

/// The AMD processors --arch accepts ("gfx90a", "gfx942", "gfx1100", ...; LLVM's generic
/// targets such as "gfx9-generic" too), as LLVM's AMDGPU target parser lists them.
std::vector<std::string> amdgpuArchs();

/// The --arch for a GPU of compute capability major.minor, as `--arch native` picks it: the
/// arch-specific variant where there is one (9.0 → sm_90a, 10.0 → sm_100a, 12.0 → sm_120a),
/// since the code runs on exactly that GPU; "" when no supported arch fits.
std::string archForComputeCapability(unsigned major, unsigned minor);

} // namespace tritonc
