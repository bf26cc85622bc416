// The IR text's lexical rules that the printer and the parser must agree on, and the count
// phrases both put in their messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tritonc::spelling {

/// An identifier (attribute, kernel and constexpr names) starts with a letter or `_` and goes on
/// with letters, digits, `_` and `.`; the printer prints a name bare only when the parser would
/// read it back as one identifier.
inline bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c) || c == '.'; }

/// "1 operand", "2 operands".
inline std::string plural(size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

} // namespace tritonc::spelling
