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

namespace {

/// Standard output, devices, FIFOs and the like (/dev/null, a pipe) are written in place:
/// renaming a regular file over them would replace the device node.
bool writesInPlace(const std::string &path) {
  struct stat st;
  return path == "-" || (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode));
}

bool writeInPlace(const std::string &path, const std::string &contents, std::string &error) {
  if (path == "-") {
    std::cout << contents;
    std::cout.flush();
    if (!std::cout) {
      error = "cannot write to standard output";
      return false;
    }
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << contents;
  out.flush();
  if (!out) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

/// Writes `contents` to a new temporary file beside `path`; returns its name ("" on failure).
std::string writeTemporary(const std::string &path, const std::string &contents,
                           std::string &error) {
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
    return "";
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
      return "";
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  // mkstemp creates the file 0600; give it the permissions a plain create would (0666 & ~umask).
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (::close(fd) != 0) {
    error = std::strerror(errno);
    ::unlink(tmp.c_str());
    return "";
  }
  return tmp;
}

} // namespace

bool writeFilesAtomically(const std::vector<std::pair<std::string, std::string>> &files,
                          std::string &failedPath, std::string &error) {
  // Phase 1: every regular file into its temporary; nothing visible changes yet.
  std::vector<std::string> temps(files.size());
  auto cleanup = [&] {
    for (const std::string &t : temps)
      if (!t.empty())
        ::unlink(t.c_str());
  };
  for (size_t i = 0; i < files.size(); ++i) {
    if (writesInPlace(files[i].first))
      continue;
    temps[i] = writeTemporary(files[i].first, files[i].second, error);
    if (temps[i].empty()) {
      failedPath = files[i].first;
      cleanup();
      return false;
    }
  }
  // Phase 2: the side files, then the main output last, so that a main output newer than its
  // inputs always comes with complete side files.
  for (size_t n = 0; n < files.size(); ++n) {
    size_t i = (n + 1) % files.size();
    const std::string &path = files[i].first;
    bool ok = temps[i].empty() ? writeInPlace(path, files[i].second, error)
                               : ::rename(temps[i].c_str(), path.c_str()) == 0;
    if (!ok) {
      if (!temps[i].empty())
        error = std::strerror(errno);
      failedPath = path;
      cleanup();
      return false;
    }
    temps[i].clear();
  }
  return true;
}

bool writeFileAtomically(const std::string &path, const std::string &contents, std::string &error) {
  std::string failedPath;
  return writeFilesAtomically({{path, contents}}, failedPath, error);
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
