// Dependency-file rendering (see Depfile.h).
#include "driver/Depfile.h"

#include <filesystem>

namespace tritonc::driver {

namespace {

// The escaping gcc applies in depfiles, which make and ninja both read back.
std::string escape(const std::string &path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '#')
      out += '\\';
    else if (c == '$')
      out += '$';
    out += c;
  }
  return out;
}

} // namespace

std::string renderDepfile(const std::vector<std::string> &targets,
                          const std::vector<std::string> &deps, bool phony) {
  std::string out;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (i)
      out += ' ';
    out += escape(targets[i]);
  }
  out += ':';
  for (const std::string &d : deps)
    out += " \\\n  " + escape(d);
  out += '\n';
  if (phony)
    for (size_t i = 1; i < deps.size(); ++i)
      out += "\n" + escape(deps[i]) + ":\n";
  return out;
}

std::string defaultDepfilePath(const std::string &output) {
  std::filesystem::path p(output);
  p.replace_extension(".d");
  return p.string();
}

} // namespace tritonc::driver
