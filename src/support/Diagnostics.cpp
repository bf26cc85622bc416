// Diagnostic collection and clang-style rendering.
#include "support/Diagnostics.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

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
  // The source line, clipped to a window around the column (clang does the same: a
  // megabyte-long line must not be echoed whole), with control characters shown as <U+XXXX>
  // instead of being sent raw to the terminal. The caret line follows the rendered text.
  std::string_view line = sources.file(loc.file).lineText(loc.line);
  uint32_t col = loc.col == 0 ? 1 : loc.col;
  uint32_t endCol = col + 1;
  if (range.end.file == loc.file && range.end.line == loc.line && range.end.col > col + 1)
    endCol = std::min<uint32_t>(range.end.col, static_cast<uint32_t>(line.size()) + 1);
  constexpr size_t kWindow = 160, kBefore = 60;
  size_t first = 0, last = line.size(); // the bytes [first, last) are shown
  if (line.size() > kWindow) {
    first = col - 1 > kBefore ? std::min<size_t>(col - 1 - kBefore, line.size()) : 0;
    last = std::min(line.size(), first + kWindow);
    // Stay on a UTF-8 character boundary at both ends.
    while (first > 0 && first < line.size() && (line[first] & 0xc0) == 0x80)
      --first;
    while (last < line.size() && (line[last] & 0xc0) == 0x80)
      ++last;
  }
  std::string text, caret;
  if (first > 0) {
    text += "...";
    caret += "   ";
  }
  for (size_t i = first; i < last; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    std::string piece;
    if (c == '\t') {
      piece = "\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "<U+%04X>", c);
      piece = buf;
    } else {
      piece = std::string(1, static_cast<char>(c));
    }
    text += piece;
    // Keep tabs in the caret line so the caret lines up under the same column on any terminal.
    const uint32_t column = static_cast<uint32_t>(i) + 1;
    if (column < col)
      caret += c == '\t' ? std::string("\t") : std::string(piece.size(), ' ');
    else if (column == col)
      caret += '^' + std::string(piece.size() - 1, ' ');
    else if (column < endCol)
      caret += '~';
  }
  if (last < line.size())
    text += "...";
  if (col > last) { // the column is past the shown text (the end of the line)
    if (last < line.size())
      caret += "   ";
    caret += '^';
  }
  while (!caret.empty() && caret.back() == ' ')
    caret.pop_back();
  out += text;
  out += '\n';
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

static size_t editDistance(std::string_view a, std::string_view b) {
  // Optimal string alignment distance (Damerau-Levenshtein without repeated edits).
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string closestMatch(std::string_view name, const std::vector<std::string> &candidates) {
  if (name.empty() || name.size() > 64)
    return "";
  size_t limit = std::max<size_t>(1, name.size() / 3);
  std::string best;
  size_t bestDist = limit + 1;
  for (const std::string &c : candidates) {
    if (c == name)
      return "";
    if (c.size() > name.size() + limit || c.size() + limit < name.size())
      continue;
    size_t dist = editDistance(name, c);
    if (dist < bestDist || (dist == bestDist && c < best)) {
      best = c;
      bestDist = dist;
    }
  }
  return bestDist <= limit ? best : "";
}

std::string didYouMean(std::string_view name, const std::vector<std::string> &candidates) {
  std::string m = closestMatch(name, candidates);
  return m.empty() ? "" : "; did you mean '" + m + "'?";
}

bool stderrWantsColor(ColorChoice choice) {
  if (choice != ColorChoice::Auto)
    return choice == ColorChoice::Always;
  if (!::isatty(STDERR_FILENO) || std::getenv("NO_COLOR"))
    return false;
  const char *term = std::getenv("TERM");
  return !(term && std::strcmp(term, "dumb") == 0);
}

bool parseColorChoice(std::string_view text, ColorChoice &choice) {
  if (text == "auto")
    choice = ColorChoice::Auto;
  else if (text == "always")
    choice = ColorChoice::Always;
  else if (text == "never")
    choice = ColorChoice::Never;
  else
    return false;
  return true;
}

} // namespace tritonc
