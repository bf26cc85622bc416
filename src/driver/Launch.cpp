// Launch-configuration overrides (see Launch.h).
#include "driver/Launch.h"

#include <array>
#include <charconv>

namespace tritonc::driver {

bool takeLaunchDefine(const std::string &name, const std::string &text,
                      std::vector<LaunchOverride> &overrides, std::string &error) {
  std::optional<LaunchKnob> knob = findLaunchKnob(name);
  if (!knob)
    return false;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    error = "-D " + name + "=" + text + ": " + name + " takes an integer";
  else
    overrides.push_back({*knob, value, "-D " + name + "=" + text});
  return true;
}

bool applyLaunchOverrides(Module &module, const std::vector<LaunchOverride> &overrides,
                          unsigned warpSize, unsigned maxThreadsPerBlock, DiagnosticEngine &diags) {
  bool ok = true;
  for (auto &fn : module.functions()) {
    // Which override set each knob last: the one an error names.
    std::array<const LaunchOverride *, kLaunchKnobs.size()> setBy{};
    bool bad = false;
    for (const LaunchOverride &o : overrides) {
      if (std::string why = checkLaunchKnob(o.knob, o.value); !why.empty()) {
        diags.error(fn->loc(), why + ", set by " + o.origin);
        bad = true;
        continue;
      }
      fn->launch().set(o.knob, static_cast<unsigned>(o.value));
      setBy[static_cast<unsigned>(o.knob)] = &o;
    }
    if (bad) {
      ok = false;
      continue;
    }
    if (std::string why = checkLaunchConfig(fn->launch(), warpSize, maxThreadsPerBlock);
        !why.empty()) {
      LaunchKnob culprit = LaunchKnob::NumWarps; // unless a knob is out of its own range
      for (LaunchKnob k : kLaunchKnobs)
        if (!checkLaunchKnob(k, fn->launch().get(k)).empty()) {
          culprit = k;
          break;
        }
      const LaunchOverride *o = setBy[static_cast<unsigned>(culprit)];
      diags.error(fn->loc(), why + (o ? ", set by " + o->origin : std::string()));
      ok = false;
    }
  }
  return ok;
}

} // namespace tritonc::driver
