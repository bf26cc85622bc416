// Differential testing of passes: a kernel is interpreted on the same deterministic random
// inputs before the first pass and after each pass of a list, and the first pass after which
// the outcome differs from the one before it is named. Outcomes are the final contents of
// every buffer, the device_print output, and success or the first error. Integers and pointers
// must agree bit for bit; floats too, unless the pass declares `changesFloatResults` (then they
// must agree within a tolerance for their type and prints are not compared).
#pragma once

#include "interp/Interpreter.h"
#include "passes/Pass.h"

#include <array>
#include <iosfwd>
#include <string>
#include <vector>

namespace tritonc {

struct DifferentialOptions {
  std::array<int64_t, 3> grid{1, 1, 1};
  RandomArgsOptions inputs;
  /// Scalar arguments replacing the random defaults, by parameter name (e.g. strides of a 2-D
  /// kernel): values in the interpreter's encoding (see scalarBits).
  std::vector<std::pair<std::string, uint64_t>> scalarOverrides;
  /// A bound on executed ops per interpretation, so a pass that breaks a loop cannot hang.
  InterpOptions interp{100'000'000};
  /// Runs the verifier after each pass (a pass leaving invalid IR is named as such).
  bool verifyEach = true;
};

/// Runs `passes` on `module` one at a time (the module is changed in place), interpreting the
/// function named `kernel` before the first and after each. Returns true if every pass keeps
/// the outcome. Otherwise reports one error into `ctx.diags` — naming the first pass that
/// changed the outcome and the first differing element — or the pass's own failure, or the
/// baseline's failure (inputs the kernel cannot run on), and returns false. Progress lines go
/// to `log` when it is not null.
bool runDifferential(Module &module, const std::string &kernel,
                     const std::vector<const PassInfo *> &passes, PassContext &ctx,
                     const DifferentialOptions &options, std::ostream *log);

} // namespace tritonc
