// Writing outputs: atomically (temporary file in the target's folder + rename, so that a failed
// or interrupted compile never leaves a half-written cubin for make or ninja to trust), or to
// standard output for "-".
#pragma once

#include <string>
#include <vector>

namespace tritonc::driver {

/// Writes `contents` to `path` through a temporary file in the same directory and a rename.
/// "-" writes to standard output; a path naming a device or FIFO (/dev/null) is written in
/// place. Returns false with `error` set (strerror text) on failure; the target is then untouched.
bool writeFileAtomically(const std::string &path, const std::string &contents, std::string &error);

/// Quotes a command for display (-v) the way a POSIX shell would read it back.
std::string shellQuote(const std::vector<std::string> &argv);

} // namespace tritonc::driver
