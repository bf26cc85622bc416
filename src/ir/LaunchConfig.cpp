// The launch configuration's knobs and their one validation (see LaunchConfig.h).
#include "ir/LaunchConfig.h"
#include "support/Bits.h"

namespace tritonc {

namespace {

struct KnobInfo {
  std::string_view name;
  unsigned LaunchConfig::*field;
  int64_t most;
  bool powerOfTwo;
  std::string_view values; ///< for messages
};

constexpr KnobInfo kKnobs[] = {
    {"num_warps", &LaunchConfig::numWarps, 32, true, "1, 2, 4, 8, 16 or 32"},
    {"num_stages", &LaunchConfig::numStages, 16, false, "from 1 to 16"},
    {"num_ctas", &LaunchConfig::numCtas, 16, true, "1, 2, 4, 8 or 16"},
};

const KnobInfo &knobInfo(LaunchKnob knob) { return kKnobs[static_cast<unsigned>(knob)]; }

} // namespace

unsigned LaunchConfig::get(LaunchKnob knob) const { return this->*knobInfo(knob).field; }
void LaunchConfig::set(LaunchKnob knob, unsigned value) { this->*knobInfo(knob).field = value; }

std::string_view launchKnobName(LaunchKnob knob) { return knobInfo(knob).name; }

std::optional<LaunchKnob> findLaunchKnob(std::string_view name) {
  for (LaunchKnob k : kLaunchKnobs)
    if (knobInfo(k).name == name)
      return k;
  return std::nullopt;
}

std::string checkLaunchKnob(LaunchKnob knob, int64_t value) {
  const KnobInfo &k = knobInfo(knob);
  if (value >= 1 && value <= k.most && (!k.powerOfTwo || isPowerOf2(value)))
    return "";
  return std::string(k.name) + " must be " + std::string(k.values) + " (got " +
         std::to_string(value) + ")";
}

std::string checkLaunchConfig(const LaunchConfig &config, unsigned warpSize,
                              unsigned maxThreadsPerBlock) {
  for (LaunchKnob k : kLaunchKnobs)
    if (std::string why = checkLaunchKnob(k, config.get(k)); !why.empty())
      return why;
  if (warpSize && maxThreadsPerBlock && int64_t(config.numWarps) * warpSize > maxThreadsPerBlock)
    return "num_warps must be at most " + std::to_string(maxThreadsPerBlock / warpSize) +
           " on this target (" + std::to_string(warpSize) + " threads per warp, at most " +
           std::to_string(maxThreadsPerBlock) + " per program; got " +
           std::to_string(config.numWarps) + ")";
  return "";
}

} // namespace tritonc
