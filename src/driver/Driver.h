// The compilation pipeline as the command line asked for it: read the input (.tt source, or IR
// text with --from-ir), run the front end, the pass pipeline ("tile" then "gpu", or --passes),
// code generation and ptxas, and write the requested outputs (cubin + metadata JSON + depfile,
// or IR / LLVM IR / PTX text). Diagnostics are printed here and nowhere else.
#pragma once

#include "driver/Options.h"

#include <iosfwd>

namespace tritonc::driver {

/// Runs one compilation and returns the process exit code (see ExitCode). Diagnostics,
/// --print-after dumps, -v commands and --time-passes reports go to `err`; text outputs
/// written to "-" go to standard output. May throw only on internal errors (main catches them).
int runDriver(const DriverOptions &options, std::ostream &err);

/// `tritonc --version`: tritonc's, LLVM's and ptxas's versions, one per line.
std::string versionText(const std::string &ptxasOverride);

} // namespace tritonc::driver
