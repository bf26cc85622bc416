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

/// write(2) of all of `contents`, retrying short writes; false with errno set on failure.
bool writeAll(int fd, const std::string &contents) {
  const char *data = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  return true;
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
  // A device or FIFO: opened without creating or truncating anything, every write checked.
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 || !writeAll(fd, contents)) {
    error = std::strerror(errno);
    if (fd >= 0)
      ::close(fd);
    return false;
  }
  if (::close(fd) != 0) {
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
  if (!writeAll(fd, contents)) {
    error = std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return "";
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
  // Phase 1: every regular file into its temporary; nothing visible changes yet. A target that
  // is a directory would only fail at its rename, after others were replaced: refuse it here.
  std::vector<std::string> temps(files.size());
  auto cleanup = [&] {
    for (const std::string &t : temps)
      if (!t.empty())
        ::unlink(t.c_str());
  };
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string &path = files[i].first;
    struct stat st;
    if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      error = std::strerror(EISDIR);
      failedPath = path;
      cleanup();
      return false;
    }
    if (writesInPlace(path))
      continue;
    temps[i] = writeTemporary(path, files[i].second, error);
    if (temps[i].empty()) {
      failedPath = path;
      cleanup();
      return false;
    }
  }
  // Phase 2: devices and standard output, which cannot be undone, while every regular target
  // is still untouched (a failing /dev/full leaves the files as they were).
  for (size_t i = 0; i < files.size(); ++i)
    if (temps[i].empty() && !writeInPlace(files[i].first, files[i].second, error)) {
      failedPath = files[i].first;
      cleanup();
      return false;
    }
  // Phase 3: the renames, side files first and the main output last, so that a main output
  // newer than its inputs always comes with complete side files. The previous contents of each
  // target are kept as a hard link until all renames succeeded, so a failing rename puts the
  // ones before it back.
  struct Done {
    std::string path, backup;
    bool existed; // with an empty backup: could not be linked (left as written)
  };
  std::vector<Done> done;
  auto rollback = [&] {
    for (auto it = done.rbegin(); it != done.rend(); ++it) {
      if (!it->backup.empty())
        ::rename(it->backup.c_str(), it->path.c_str());
      else if (!it->existed)
        ::unlink(it->path.c_str());
    }
  };
  for (size_t n = 0; n < files.size(); ++n) {
    size_t i = (n + 1) % files.size();
    if (temps[i].empty())
      continue;
    const std::string &path = files[i].first;
    std::string backup;
    const bool existed = ::access(path.c_str(), F_OK) == 0;
    if (existed) {
      backup = temps[i] + ".old";
      if (::link(path.c_str(), backup.c_str()) != 0)
        backup.clear(); // no hard links here (some file systems): no way back for this one
    }
    if (::rename(temps[i].c_str(), path.c_str()) != 0) {
      error = std::strerror(errno);
      failedPath = path;
      if (!backup.empty())
        ::unlink(backup.c_str());
      rollback();
      cleanup();
      return false;
    }
    temps[i].clear();
    done.push_back({path, backup, existed});
  }
  for (const Done &d : done)
    if (!d.backup.empty())
      ::unlink(d.backup.c_str());
  return true;
}

bool writeFileAtomically(const std::string &path, const std::string &contents, std::string &error) {
  std::string failedPath;
  return writeFilesAtomically({{path, contents}}, failedPath, error);
}

bool sameFile(const std::string &a, const std::string &b) {
  struct stat sa, sb;
  return a != "-" && b != "-" && ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

} // namespace tritonc::driver
