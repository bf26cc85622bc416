// Launch-configuration overrides from the command line (--num-warps N, -D num_warps=N, ...):
// the one place that applies them to the kernels, for `tritonc` and `tritonc run` alike.
#pragma once

#include "ir/IR.h"
#include "support/Diagnostics.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tritonc::driver {

/// A launch knob set on the command line.
struct LaunchOverride {
  LaunchKnob knob;
  int64_t value;
  std::string origin; ///< how it was spelled, for messages: "--num-warps 64", "-D num_warps=64"

  friend bool operator==(const LaunchOverride &, const LaunchOverride &) = default;
};

/// If `name` is a launch knob (num_warps, num_stages, num_ctas), appends `-D name=text` to
/// `overrides` and returns true; the value must be a decimal integer (else `error` is set).
/// Returns false for any other name (a constexpr for the front end).
bool takeLaunchDefine(const std::string &name, const std::string &text,
                      std::vector<LaunchOverride> &overrides, std::string &error);

/// Sets `overrides` on every kernel of `module`, in order (a later one wins), then checks each
/// kernel's launch configuration (checkLaunchConfig, with the target's warp size and thread
/// limit). Each problem is an error at the kernel, naming the override that set the value.
/// Returns false if there was one.
bool applyLaunchOverrides(Module &module, const std::vector<LaunchOverride> &overrides,
                          unsigned warpSize, unsigned maxThreadsPerBlock, DiagnosticEngine &diags);

} // namespace tritonc::driver
