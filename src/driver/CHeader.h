// --emit-c-header: a self-contained C header that embeds a compiled binary (cubin, fatbin or
// hsaco) as a byte array and gives a host program typed launchers for its kernels, spelled for
// the CUDA driver API (cuda.h) or for HIP's module API (gfx942). Every function returns the
// API's error code; nothing in the header prints or exits.
#pragma once

#include "driver/Metadata.h"

#include <string>

namespace tritonc::driver {

/// True if `s` is a C identifier: [A-Za-z_][A-Za-z0-9_]*.
bool isCIdentifier(const std::string &s);

/// The C identifier a header's module-level names start with: the header file's stem with every
/// character outside [A-Za-z0-9_] replaced by '_' (and '_' prepended before a leading digit).
std::string cHeaderPrefix(const std::string &headerPath);

/// The C type a launch parameter is passed as: CUdeviceptr / hipDeviceptr_t for pointers,
/// int32_t, float, ... for scalars (fp16, bf16 and fp8 as their raw bits: uint16_t, uint8_t).
std::string cParamType(const ParamMetadata &param, bool hip);

/// Renders the header: `PREFIX_binary[]`, `PREFIX_load()`, `PREFIX_unload()`, `PREFIX_cdiv()`
/// and, per kernel, `PREFIX_NAME_launch(stream, gridX, gridY, gridZ, args...)` and a macro
/// `PREFIX_NAME_CONSTEXPR` per constexpr. Every name starts with PREFIX, so headers of two
/// specializations of one kernel coexist. Deterministic for identical input.
std::string renderCHeader(const LaunchMetadata &metadata, const std::string &binary,
                          const std::string &prefix);

} // namespace tritonc::driver
