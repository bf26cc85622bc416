// What the driver prints on standard error besides its outputs: the diagnostics a stage
// collected (data until here) and the driver's own `tritonc: error: ...` lines. `tritonc` and
// `tritonc run` both print through it, so the two commands look the same (colour included).
#pragma once

#include "support/Diagnostics.h"

#include <ostream>
#include <string_view>

namespace tritonc::driver {

/// Prints every diagnostic collected in `diags` (warnings too), clang-style, and clears them.
void flushDiagnostics(DiagnosticEngine &diags, const SourceManager &sources, std::ostream &err,
                      bool color);

/// Prints the driver's own error line, "tritonc: error: MESSAGE" ("error:" bold red with
/// `color`).
void printError(std::ostream &err, std::string_view message, bool color);

} // namespace tritonc::driver
