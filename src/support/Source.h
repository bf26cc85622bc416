// Source files and locations. Every token, AST node and IR op carries a SourceLoc so that
// diagnostics, device_assert and (later) PTX line info can point at the user's line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc {

/// A position in a source file. `file == 0` means "unknown" (e.g. IR built by hand); real
/// files are numbered from 1 by the SourceManager. Lines and columns are 1-based.
struct SourceLoc {
  uint32_t file = 0;
  uint32_t line = 0;
  uint32_t col = 0;

  bool isValid() const { return file != 0 && line != 0; }
  friend bool operator==(const SourceLoc &, const SourceLoc &) = default;
};

/// A half-open range [begin, end) on one line or across lines.
struct SourceRange {
  SourceLoc begin;
  SourceLoc end;

  SourceRange() = default;
  SourceRange(SourceLoc b) : begin(b), end(b) {}
  SourceRange(SourceLoc b, SourceLoc e) : begin(b), end(e) {}
};

struct SourceFile {
  std::string path;                 ///< as given by the user (or resolved through -I)
  std::string text;                 ///< whole contents
  std::vector<uint32_t> lineStarts; ///< byte offset of each line's first character

  std::string_view lineText(uint32_t line) const;
};

/// Owns the text of every file read during a compilation (the main file, imports, IR files).
/// The list of files is also what goes into the depfile.
class SourceManager {
public:
  /// Registers text under a path; returns its file id (>= 1).
  uint32_t addFile(std::string path, std::string text);
  /// The largest file loadFile reads (256 MiB; line offsets are 32-bit).
  static constexpr uint64_t kMaxFileBytes = uint64_t(1) << 28;
  /// Reads a regular file from disk; returns 0 if it cannot be read, is not a regular file
  /// (a device such as /dev/zero, a FIFO, a directory) or is larger than kMaxFileBytes, with
  /// the reason in `*why` when given.
  uint32_t loadFile(const std::string &path, std::string *why = nullptr);
  /// The name standard input's text is registered under (what diagnostics show for `-`).
  static constexpr const char *kStdinName = "<stdin>";
  /// Reads standard input to its end (at most kMaxFileBytes) and registers it as kStdinName;
  /// returns 0 if it cannot be read or is too large, with the reason in `*why` when given.
  uint32_t loadStdin(std::string *why = nullptr);

  const SourceFile &file(uint32_t id) const { return *files_.at(id - 1); }
  /// Replaces the text of a registered file (the front end shows --signature as given after
  /// parsing a padded copy of one entry).
  void replaceText(uint32_t id, std::string text);
  size_t numFiles() const { return files_.size(); }
  std::string_view path(uint32_t id) const;

private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

} // namespace tritonc
