// Writing outputs: atomically (temporary file in the target's folder + rename, so that a failed
// or interrupted compile never leaves a half-written cubin for make or ninja to trust), or to
// standard output for "-".
#pragma once

#include "codegen/Toolchain.h"

#include <string>
#include <utility>
#include <vector>

namespace tritonc::driver {

/// Writes `contents` to `path` through a temporary file in the same directory and a rename.
/// "-" writes to standard output; a path naming a device or FIFO (/dev/null) is written in
/// place. Returns false with `error` set (strerror text) on failure; the target is then untouched.
bool writeFileAtomically(const std::string &path, const std::string &contents, std::string &error);

/// Writes several files as one step: every file goes to a temporary beside its target first, and
/// only when all are written are they renamed into place, the first file (the main output) last.
/// On a failure no target has been touched; `failedPath` and `error` say what went wrong.
bool writeFilesAtomically(const std::vector<std::pair<std::string, std::string>> &files,
                          std::string &failedPath, std::string &error);

/// Whether `a` and `b` name the same existing file (same device and inode: `./x`, `x`, a
/// symbolic or hard link all match). False when either does not exist.
bool sameFile(const std::string &a, const std::string &b);

/// Quotes a command for display (-v) the way a POSIX shell would read it back (codegen's
/// Toolchain.h, where the tool runner uses it too).
using tritonc::shellQuote;

} // namespace tritonc::driver
