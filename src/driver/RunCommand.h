// `tritonc run`: compiles a kernel to Tile IR and executes it on the CPU with the reference
// interpreter (src/interp), reading pointer arguments from NumPy .npy files and writing buffers
// back to them; `tritonc run --differential` checks the pass pipeline against the interpreter.
#pragma once

#include <iosfwd>
#include <string>

namespace tritonc::driver {

/// Runs the `run` subcommand. `argv` is the whole process command line: argv[0] is the program
/// and argv[1] is "run". device_print output and --help go to `out`, diagnostics to `err`.
/// Returns the exit code: 0 success, 1 an error in the input (including an out-of-bounds
/// access, a failed device_assert, or a pass changing the result in --differential mode),
/// 2 bad usage.
int runCommand(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

/// The `tritonc run --help` text (README.md and man/tritonc.1 document these flags).
std::string runHelpText();

} // namespace tritonc::driver
