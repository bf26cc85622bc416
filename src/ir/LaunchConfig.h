// The launch configuration of a kernel: the knobs a launch carries besides the grid and the
// arguments (Triton's `triton.Config(num_warps=, num_stages=, num_ctas=)`). Each knob's name,
// default and valid values are defined here once; the command line (--num-warps, -D num_warps=),
// the IR text (`attributes {num_warps = 4, ...}`), the verifier and the driver all check a
// value with checkLaunchKnob, so every path gives the same message.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tritonc {

enum class LaunchKnob : uint8_t { NumWarps, NumStages, NumCtas };
inline constexpr std::array<LaunchKnob, 3> kLaunchKnobs = {
    LaunchKnob::NumWarps, LaunchKnob::NumStages, LaunchKnob::NumCtas};

struct LaunchConfig {
  unsigned numWarps = 4;  ///< warps per program: 1, 2, 4, 8, 16 or 32
  unsigned numStages = 3; ///< software-pipelining stages of loops: 1..16
  unsigned numCtas = 1;   ///< CTAs per cluster: 1, 2, 4, 8 or 16

  unsigned get(LaunchKnob knob) const;
  void set(LaunchKnob knob, unsigned value);

  friend bool operator==(const LaunchConfig &, const LaunchConfig &) = default;
};

/// The knob's name as the IR text, -D and Triton spell it: "num_warps".
std::string_view launchKnobName(LaunchKnob knob);
/// The knob called `name`, or nullopt.
std::optional<LaunchKnob> findLaunchKnob(std::string_view name);

/// "" if `value` is a valid value of `knob`, else why not, e.g.
/// "num_warps must be 1, 2, 4, 8, 16 or 32 (got 64)".
std::string checkLaunchKnob(LaunchKnob knob, int64_t value);

/// The first problem of `config` (checkLaunchKnob's words), or "". With a nonzero `warpSize`,
/// also that num_warps * warpSize threads fit the target's `maxThreadsPerBlock`.
std::string checkLaunchConfig(const LaunchConfig &config, unsigned warpSize = 0,
                              unsigned maxThreadsPerBlock = 0);

} // namespace tritonc
