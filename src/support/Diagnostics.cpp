// Diagnostic collection and clang-style rendering.
#include "support/Diagnostics.h"

namespace tritonc {

Diagnostic &DiagnosticEngine::report(Severity severity, SourceRange range, std::string message) {
  if (severity == Severity::Error)
    ++numErrors_;
  diags_.push_back(Diagnostic{severity, range, std::move(message), {}});
  return diags_.back();
}

namespace {

const char *severityName(Severity s) {
  switch (s) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "error";
}

const char *severityColor(Severity s) {
  switch (s) {
  case Severity::Note:
    return "\033[1;30m";
  case Severity::Warning:
    return "\033[1;35m";
  case Severity::Error:
    return "\033[1;31m";
  }
  return "";
}

void renderOne(std::string &out, Severity severity, const SourceRange &range,
               const std::string &message, const SourceManager &sources, bool color) {
  const SourceLoc &loc = range.begin;
  if (color)
    out += "\033[1m";
  if (loc.file != 0 && loc.file <= sources.numFiles()) {
    out += sources.path(loc.file);
    if (loc.line != 0) {
      out += ':' + std::to_string(loc.line) + ':' + std::to_string(loc.col);
    }
    out += ": ";
  } else {
    out += "tritonc: ";
  }
  if (color)
    out += severityColor(severity);
  out += severityName(severity);
  out += ": ";
  if (color)
    out += "\033[0m\033[1m";
  out += message;
  if (color)
    out += "\033[0m";
  out += '\n';

  if (loc.file == 0 || loc.file > sources.numFiles() || loc.line == 0)
    return;
  std::string_view line = sources.file(loc.file).lineText(loc.line);
  out += line;
  out += '\n';
  // Caret line: keep tabs so the caret lines up under the same column on any terminal.
  std::string caret;
  uint32_t col = loc.col == 0 ? 1 : loc.col;
  for (uint32_t i = 1; i < col && i - 1 < line.size(); ++i)
    caret += line[i - 1] == '\t' ? '\t' : ' ';
  caret += '^';
  if (range.end.file == loc.file && range.end.line == loc.line && range.end.col > col + 1) {
    uint32_t last = std::min<uint32_t>(range.end.col, static_cast<uint32_t>(line.size()) + 1);
    for (uint32_t i = col + 1; i < last; ++i)
      caret += '~';
  }
  if (color)
    out += "\033[1;32m";
  out += caret;
  if (color)
    out += "\033[0m";
  out += '\n';
}

} // namespace

std::string formatDiagnostic(const Diagnostic &diag, const SourceManager &sources, bool color) {
  std::string out;
  renderOne(out, diag.severity, diag.range, diag.message, sources, color);
  for (const DiagnosticNote &note : diag.notes)
    renderOne(out, Severity::Note, note.range, note.message, sources, color);
  return out;
}

} // namespace tritonc
