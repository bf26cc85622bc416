// gcc-compatible dependency files (-MD, -MF, -MT, -MP) so that make and ninja (`deps = gcc`)
// rebuild a kernel when its source or any imported .tt file changes.
#pragma once

#include <string>
#include <vector>

namespace tritonc::driver {

/// Renders `targets: deps...` with gcc's escaping (spaces and '#' backslashed, '$' doubled),
/// lines continued with " \" after every dependency. With `phony`, every dependency but the
/// first (the main source) also gets an empty rule, so deleting an import does not break make.
std::string renderDepfile(const std::vector<std::string> &targets,
                          const std::vector<std::string> &deps, bool phony);

/// The default depfile path for an output: the output with its extension replaced by `.d`.
std::string defaultDepfilePath(const std::string &output);

} // namespace tritonc::driver
