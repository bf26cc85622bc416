// `tritonc run`: compiles a kernel to Tile IR and executes it on the CPU with the reference
// interpreter (src/interp), reading pointer arguments from NumPy .npy files and writing buffers
// back to them; `tritonc run --differential` checks the pass pipeline against the interpreter.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace tritonc {
class Type;
}

namespace tritonc::driver {

/// Runs the `run` subcommand. `argv` is the whole process command line: argv[0] is the program
/// and argv[1] is "run". device_print output and --help go to `out`, diagnostics to `err`.
/// Returns the exit code: 0 success, 1 an error in the input (including an out-of-bounds
/// access, a failed device_assert, or a pass changing the result in --differential mode),
/// 2 bad usage.
int runCommand(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

/// The `tritonc run --help` text (README.md and man/tritonc.1 document these flags).
std::string runHelpText();

/// The parsers of `tritonc run`'s argument values, as runCommand uses them (also reached by the
/// unit tests and fuzz/fuzz_run_args.cpp). Each throws RunUsageError (exit 2 in runCommand).
struct RunUsageError {
  std::string message;
};
/// SHAPE of zeros:SHAPE / rand:SHAPE ("4000", "64x64") for parameter `param` pointing to
/// `pointee`: positive dimensions whose buffer fits in kMaxBufferBytes.
std::vector<int64_t> parseRunShape(const std::string &text, const std::string &param,
                                   const Type *pointee);
/// A scalar --arg value in the interpreter's encoding for a parameter of scalar type `type`.
uint64_t parseRunScalar(const std::string &text, const Type *type, const std::string &param);
/// --grid X[,Y[,Z]].
std::array<int64_t, 3> parseRunGrid(const std::string &text);

} // namespace tritonc::driver
