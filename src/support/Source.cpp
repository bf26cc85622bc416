// Source files and line tables.
#include "support/Source.h"

#include <fstream>
#include <sstream>

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

uint32_t SourceManager::loadFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return 0;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return 0;
  return addFile(path, buffer.str());
}

std::string_view SourceManager::path(uint32_t id) const {
  if (id == 0 || id > files_.size())
    return "<unknown>";
  return files_[id - 1]->path;
}

} // namespace tritonc
