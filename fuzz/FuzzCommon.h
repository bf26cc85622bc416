// Shared helpers of the libFuzzer targets (fuzz/*.cpp): diagnostic rendering and the oracles
// that turn a broken contract into a crash the fuzzer reports.
//
// Oracles (all on by default; TRITONC_FUZZ_ORACLES=0 turns the non-memory ones off):
//  - an entry point that returns "failed" must have reported at least one error;
//  - a module the front end returns must pass the verifier;
//  - printed IR must parse back and print identically (print(parse(print(m))) == print(m)).
// Memory errors, undefined behaviour, leaks, uncaught exceptions, stack overflows and
// timeouts are found by the sanitizers and libFuzzer themselves.
#pragma once

#include "support/Diagnostics.h"
#include "support/Source.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace tritonc::fuzz {

inline bool oraclesEnabled() {
  static const bool enabled = [] {
    const char *env = std::getenv("TRITONC_FUZZ_ORACLES");
    return !(env && std::strcmp(env, "0") == 0);
  }();
  return enabled;
}

/// Aborts (a crash for libFuzzer) with `what` when an oracle does not hold.
[[noreturn]] inline void oracleFailed(const char *what, std::string_view detail = {}) {
  std::fprintf(stderr, "tritonc fuzz oracle failed: %s\n", what);
  if (!detail.empty())
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void check(bool condition, const char *what, std::string_view detail = {}) {
  if (!condition && oraclesEnabled())
    oracleFailed(what, detail);
}

inline bool verbose() {
  static const bool enabled = [] {
    const char *env = std::getenv("TRITONC_FUZZ_VERBOSE");
    return env && std::strcmp(env, "1") == 0;
  }();
  return enabled;
}

/// Renders every diagnostic as the driver would (with and without colour), so that the
/// caret/range code sees the same odd locations the front end produced. With
/// TRITONC_FUZZ_VERBOSE=1 they are also printed (to see why a seed is rejected).
inline std::string renderDiagnostics(const DiagnosticEngine &diags, const SourceManager &sources) {
  std::string all;
  for (const Diagnostic &d : diags.diagnostics()) {
    all += formatDiagnostic(d, sources, /*color=*/false);
    (void)formatDiagnostic(d, sources, /*color=*/true);
  }
  if (verbose() && !all.empty())
    std::fprintf(stderr, "%s", all.c_str());
  return all;
}

} // namespace tritonc::fuzz
