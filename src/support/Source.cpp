// Source files and line tables.
#include "support/Source.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tritonc {

std::string_view SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts.size())
    return {};
  size_t begin = lineStarts[line - 1];
  size_t end = text.find('\n', begin);
  if (end == std::string::npos)
    end = text.size();
  if (end > begin && text[end - 1] == '\r')
    --end;
  return std::string_view(text).substr(begin, end - begin);
}

uint32_t SourceManager::addFile(std::string path, std::string text) {
  auto file = std::make_unique<SourceFile>();
  file->path = std::move(path);
  file->text = std::move(text);
  file->lineStarts.push_back(0);
  for (size_t i = 0; i < file->text.size(); ++i)
    if (file->text[i] == '\n' && i + 1 <= file->text.size())
      file->lineStarts.push_back(static_cast<uint32_t>(i + 1));
  files_.push_back(std::move(file));
  return static_cast<uint32_t>(files_.size());
}

void SourceManager::replaceText(uint32_t id, std::string text) {
  SourceFile &file = *files_.at(id - 1);
  file.text = std::move(text);
  file.lineStarts.assign(1, 0);
  for (size_t i = 0; i < file.text.size(); ++i)
    if (file.text[i] == '\n')
      file.lineStarts.push_back(static_cast<uint32_t>(i + 1));
}

uint32_t SourceManager::loadFile(const std::string &path, std::string *why) {
  auto fail = [&](std::string reason) {
    if (why)
      *why = std::move(reason);
    return uint32_t(0);
  };
  // Read from an open descriptor that fstat says is a regular file of bounded size: a path
  // naming /dev/zero or a FIFO would otherwise be read without end.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return fail(std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    std::string reason = std::strerror(errno);
    ::close(fd);
    return fail(reason);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes) {
    ::close(fd);
    return fail("larger than the limit of " + std::to_string(kMaxFileBytes >> 20) + " MiB");
  }
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      std::string reason = std::strerror(errno);
      ::close(fd);
      return fail(reason);
    }
    if (n == 0)
      break;
    if (text.size() + static_cast<size_t>(n) > kMaxFileBytes) { // grew while being read
      ::close(fd);
      return fail("larger than the limit of " + std::to_string(kMaxFileBytes >> 20) + " MiB");
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return addFile(path, std::move(text));
}

uint32_t SourceManager::loadStdin(std::string *why) {
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      if (why)
        *why = std::strerror(errno);
      return 0;
    }
    if (n == 0)
      break;
    if (text.size() + static_cast<size_t>(n) > kMaxFileBytes) {
      if (why)
        *why = "larger than the limit of " + std::to_string(kMaxFileBytes >> 20) + " MiB";
      return 0;
    }
    text.append(buf, static_cast<size_t>(n));
  }
  return addFile(kStdinName, std::move(text));
}

std::string_view SourceManager::path(uint32_t id) const {
  if (id == 0 || id > files_.size())
    return "<unknown>";
  return files_[id - 1]->path;
}

} // namespace tritonc
