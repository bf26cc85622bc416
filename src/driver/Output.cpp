// Atomic output files and command quoting (see Output.h).
#include "driver/Output.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace tritonc::driver {

bool writeFileAtomically(const std::string &path, const std::string &contents, std::string &error) {
  if (path == "-") {
    std::cout << contents;
    std::cout.flush();
    if (!std::cout) {
      error = "cannot write to standard output";
      return false;
    }
    return true;
  }
  // Devices, FIFOs and the like (/dev/null, /dev/stdout, a pipe) are written in place: renaming
  // a regular file over them would replace the device node.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    std::ofstream out(path, std::ios::binary);
    out << contents;
    out.flush();
    if (!out) {
      error = std::strerror(errno);
      return false;
    }
    return true;
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  // The temporary lives beside the target so that rename() stays within one file system.
  std::string pattern = (dir.empty() ? std::string(".") : dir.string()) + "/." +
                        target.filename().string() + ".tmp-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) {
    error = std::strerror(errno);
    return false;
  }
  std::string tmp = buf.data();
  const char *data = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      error = std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  // mkstemp creates the file 0600; give it the permissions a plain create would (0666 & ~umask).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

std::string shellQuote(const std::vector<std::string> &argv) {
  static const char *kPlain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "-_./=:,+@%";
  std::string out;
  for (const std::string &a : argv) {
    if (!out.empty())
      out += ' ';
    if (!a.empty() && a.find_first_not_of(kPlain) == std::string::npos) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a)
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

} // namespace tritonc::driver
