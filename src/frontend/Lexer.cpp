// The lexer: Python's tokenization rules applied to one .tt file (see Lexer.h for the contract).
//
// One pass over the bytes with an explicit state (no recursion): the indentation stack, the stack
// of open brackets (for implicit line joining and for "never closed" errors) and the current
// line's start offset (to turn byte offsets into 1-based columns).
#include "frontend/Lexer.h"

#include <charconv>
#include <cstdio>
#include <limits>

namespace tritonc {

//===------------------------------------------------------------------------------------------===//
// Token kinds
//===------------------------------------------------------------------------------------------===//

std::string_view spelling(TokenKind kind) {
  switch (kind) {
#define TRITONC_TOKEN_SPELLING(k, s)                                                               \
  case TokenKind::k:                                                                               \
    return s;
    TRITONC_KEYWORDS(TRITONC_TOKEN_SPELLING)
    TRITONC_PUNCTUATORS(TRITONC_TOKEN_SPELLING)
#undef TRITONC_TOKEN_SPELLING
  default:
    return "";
  }
}

bool isKeyword(TokenKind kind) {
  switch (kind) {
#define TRITONC_TOKEN_IS_KEYWORD(k, s)                                                             \
  case TokenKind::k:                                                                               \
    return true;
    TRITONC_KEYWORDS(TRITONC_TOKEN_IS_KEYWORD)
#undef TRITONC_TOKEN_IS_KEYWORD
  default:
    return false;
  }
}

std::string describe(TokenKind kind) {
  switch (kind) {
  case TokenKind::EndOfFile:
    return "end of file";
  case TokenKind::Newline:
    return "end of line";
  case TokenKind::Indent:
    return "indent";
  case TokenKind::Dedent:
    return "dedent";
  case TokenKind::Identifier:
    return "identifier";
  case TokenKind::IntLiteral:
    return "integer literal";
  case TokenKind::FloatLiteral:
    return "float literal";
  case TokenKind::StringLiteral:
    return "string literal";
  default:
    return "'" + std::string(spelling(kind)) + "'";
  }
}

std::string describe(const Token &token) {
  switch (token.kind) {
  case TokenKind::Identifier:
    return "'" + std::string(token.text) + "'";
  case TokenKind::IntLiteral:
  case TokenKind::FloatLiteral:
    return describe(token.kind) + " '" + std::string(token.text) + "'";
  default:
    return describe(token.kind);
  }
}

//===------------------------------------------------------------------------------------------===//
// Lexer
//===------------------------------------------------------------------------------------------===//

namespace {

bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

int digitValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

/// A printable description of a byte for "unexpected character" messages.
std::string showChar(unsigned char c) {
  if (c >= 0x20 && c < 0x7f)
    return std::string("'") + static_cast<char>(c) + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return std::string("byte ") + buf;
}

void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
public:
  Lexer(const SourceManager &sources, uint32_t fileId, DiagnosticEngine &diags)
      : text_(sources.file(fileId).text), fileId_(fileId), diags_(diags) {}

  std::vector<Token> run();

private:
  struct OpenBracket {
    char ch;
    SourceLoc loc;
  };

  // Position helpers. `lineStart_` is the offset of the current line's first byte; every place
  // that consumes a '\n' calls newLine() so that locations stay exact inside multi-line tokens.
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool atEnd() const { return pos_ >= text_.size(); }
  SourceLoc locAt(size_t offset) const {
    return SourceLoc{fileId_, line_, static_cast<uint32_t>(offset - lineStart_ + 1)};
  }
  SourceLoc here() const { return locAt(pos_); }
  /// Length of the line break at `pos_` ("\n" or "\r\n"), 0 if none.
  size_t newlineLength() const {
    if (peek() == '\n')
      return 1;
    if (peek() == '\r' && peek(1) == '\n')
      return 2;
    return 0;
  }
  void consumeNewline(size_t length) {
    pos_ += length;
    ++line_;
    lineStart_ = pos_;
  }

  [[noreturn]] void fail(SourceRange range, std::string message) {
    diags_.error(range, std::move(message));
    throw CompilationAborted();
  }

  Token &push(TokenKind kind, size_t begin, SourceLoc beginLoc) {
    Token &t = tokens_.emplace_back();
    t.kind = kind;
    t.range = SourceRange(beginLoc, here());
    t.text = std::string_view(text_).substr(begin, pos_ - begin);
    if (kind != TokenKind::Newline && kind != TokenKind::Indent && kind != TokenKind::Dedent)
      lineHasTokens_ = true;
    return t;
  }

  /// At the start of a logical line (outside brackets): skips blank and comment-only lines, then
  /// emits Indent/Dedent tokens for the first real line. Returns false at end of file.
  bool handleIndentation();
  void lexIdentifierOrString();
  void lexNumber();
  void lexString(size_t begin, SourceLoc beginLoc, std::string_view prefix);
  void lexPunctuator();
  uint32_t readHexEscape(size_t digits, size_t escBegin, SourceLoc escLoc);

  std::string_view text_;
  uint32_t fileId_;
  DiagnosticEngine &diags_;

  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t lineStart_ = 0;
  bool lineHasTokens_ = false;
  std::vector<uint32_t> indents_{0};
  std::vector<OpenBracket> brackets_;
  std::vector<Token> tokens_;
};

bool Lexer::handleIndentation() {
  while (true) {
    uint32_t width = 0;
    size_t tabPos = std::string_view::npos;
    while (!atEnd()) {
      char c = peek();
      if (c == ' ') {
        ++width;
      } else if (c == '\t') {
        if (tabPos == std::string_view::npos)
          tabPos = pos_;
        ++width;
      } else if (c == '\f') {
        width = 0; // as in Python: a form feed resets the indentation count
      } else {
        break;
      }
      ++pos_;
    }
    if (atEnd())
      return false;
    // Blank and comment-only lines do not take part in indentation.
    if (peek() == '#') {
      while (!atEnd() && peek() != '\n')
        ++pos_;
    }
    if (size_t nl = newlineLength()) {
      consumeNewline(nl);
      continue;
    }
    if (atEnd())
      return false;
    if (peek() == '\r') { // a lone '\r' (not a line break for the SourceManager): whitespace
      ++pos_;
      continue;
    }

    if (tabPos != std::string_view::npos)
      fail(SourceRange(locAt(tabPos), locAt(tabPos + 1)), "tabs are not allowed in indentation");

    SourceLoc loc = here();
    if (width > indents_.back()) {
      indents_.push_back(width);
      Token &t = tokens_.emplace_back();
      t.kind = TokenKind::Indent;
      t.range = SourceRange(loc);
    } else {
      while (width < indents_.back()) {
        indents_.pop_back();
        Token &t = tokens_.emplace_back();
        t.kind = TokenKind::Dedent;
        t.range = SourceRange(loc);
      }
      if (width != indents_.back())
        fail(SourceRange(loc), "unindent does not match any outer indentation level");
    }
    return true;
  }
}

std::vector<Token> Lexer::run() {
  // A UTF-8 byte order mark is not part of the program.
  if (text_.substr(0, 3) == "\xEF\xBB\xBF")
    pos_ = lineStart_ = 3;

  bool atLineStart = true;
  while (true) {
    if (atLineStart && brackets_.empty()) {
      atLineStart = false;
      if (!handleIndentation())
        break;
    }
    char c = peek();
    if (atEnd())
      break;
    if (c == ' ' || c == '\t' || c == '\f' || (c == '\r' && peek(1) != '\n')) {
      ++pos_;
      continue;
    }
    if (c == '#') {
      while (!atEnd() && peek() != '\n' && !(peek() == '\r' && peek(1) == '\n'))
        ++pos_;
      continue;
    }
    if (size_t nl = newlineLength()) {
      if (brackets_.empty()) {
        // Blank lines were skipped by handleIndentation, so this line has tokens.
        SourceLoc loc = here();
        Token &t = tokens_.emplace_back();
        t.kind = TokenKind::Newline;
        t.range = SourceRange(loc, SourceLoc{fileId_, line_, loc.col + 1});
        t.text = text_.substr(pos_, nl);
        lineHasTokens_ = false;
        atLineStart = true;
      }
      consumeNewline(nl);
      continue;
    }
    if (c == '\\') {
      SourceLoc loc = here();
      ++pos_;
      if (size_t nl = newlineLength()) {
        consumeNewline(nl);
        if (atEnd())
          fail(SourceRange(loc, locAt(pos_)),
               "unexpected end of file after line continuation character");
        continue;
      }
      if (atEnd())
        fail(SourceRange(loc), "unexpected end of file after line continuation character");
      fail(SourceRange(loc), "unexpected character after line continuation character");
    }
    if (isIdentStart(c)) {
      lexIdentifierOrString();
      continue;
    }
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
      lexNumber();
      continue;
    }
    if (c == '"' || c == '\'') {
      lexString(pos_, here(), "");
      continue;
    }
    lexPunctuator();
  }

  SourceLoc endLoc = here();
  if (!brackets_.empty()) {
    const OpenBracket &open = brackets_.back();
    fail(SourceRange(open.loc, SourceLoc{fileId_, open.loc.line, open.loc.col + 1}),
         std::string("'") + open.ch + "' was never closed");
  }
  if (lineHasTokens_) {
    Token &t = tokens_.emplace_back();
    t.kind = TokenKind::Newline;
    t.range = SourceRange(endLoc);
  }
  while (indents_.size() > 1) {
    indents_.pop_back();
    Token &t = tokens_.emplace_back();
    t.kind = TokenKind::Dedent;
    t.range = SourceRange(endLoc);
  }
  Token &eof = tokens_.emplace_back();
  eof.kind = TokenKind::EndOfFile;
  eof.range = SourceRange(endLoc);
  return std::move(tokens_);
}

void Lexer::lexIdentifierOrString() {
  size_t begin = pos_;
  SourceLoc loc = here();
  while (isIdentChar(peek()))
    ++pos_;
  std::string_view word = text_.substr(begin, pos_ - begin);

  // A string prefix: r, b, f, u and the two-letter combinations Python accepts.
  if ((peek() == '"' || peek() == '\'') && word.size() <= 2) {
    std::string lower;
    for (char ch : word)
      lower += static_cast<char>(ch | 0x20);
    if (lower == "r" || lower == "b" || lower == "f" || lower == "u" || lower == "rb" ||
        lower == "br" || lower == "rf" || lower == "fr") {
      lexString(begin, loc, lower);
      return;
    }
  }
  if (static_cast<unsigned char>(peek()) >= 0x80)
    fail(SourceRange(here()), "non-ASCII characters are not allowed in identifiers");

  TokenKind kind = TokenKind::Identifier;
#define TRITONC_TOKEN_KEYWORD_MATCH(k, s)                                                          \
  if (word == s)                                                                                   \
    kind = TokenKind::k;
  TRITONC_KEYWORDS(TRITONC_TOKEN_KEYWORD_MATCH)
#undef TRITONC_TOKEN_KEYWORD_MATCH
  push(kind, begin, loc);
}

void Lexer::lexNumber() {
  size_t begin = pos_;
  SourceLoc loc = here();
  auto range = [&] { return SourceRange(loc, here()); };

  // Reads digits of `radix` with single underscores between them (Python allows one after a
  // radix prefix too: 0x_1F). Returns the digits without underscores.
  auto readDigits = [&](int radix, bool allowLeadingUnderscore) {
    std::string digits;
    bool lastWasDigit = false;
    while (true) {
      char c = peek();
      if (c == '_') {
        if (!(lastWasDigit || (allowLeadingUnderscore && digits.empty())) ||
            digitValue(peek(1)) >= radix)
          fail(SourceRange(here()), "invalid '_' in numeric literal");
        ++pos_;
        lastWasDigit = false;
        continue;
      }
      if (digitValue(c) < radix) { // letters only reach here for radix 16 (a-f)
        digits += c;
        ++pos_;
        lastWasDigit = true;
        continue;
      }
      return digits;
    }
  };

  // Integers with a radix prefix.
  char p = static_cast<char>(peek(1) | 0x20);
  if (peek() == '0' && (p == 'x' || p == 'o' || p == 'b')) {
    int radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
    const char *radixName = p == 'x' ? "hexadecimal" : p == 'o' ? "octal" : "binary";
    pos_ += 2;
    std::string digits = readDigits(radix, /*allowLeadingUnderscore=*/true);
    if (isIdentChar(peek()) || peek() == '.') {
      fail(SourceRange(here()),
           "invalid digit '" + std::string(1, peek()) + "' in " + radixName + " literal");
    }
    if (digits.empty())
      fail(range(), std::string("missing digits in ") + radixName + " literal");
    uint64_t value = 0;
    for (char d : digits) {
      uint64_t v = static_cast<uint64_t>(digitValue(d));
      if (value > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - v) / radix)
        fail(range(), "integer literal is too large (the limit is 2**63 - 1)");
      value = value * radix + v;
    }
    Token &t = push(TokenKind::IntLiteral, begin, loc);
    t.intValue = static_cast<int64_t>(value);
    return;
  }

  // Decimal integers and floats.
  std::string clean = readDigits(10, false);
  bool isFloat = false;
  if (peek() == '.') {
    // `1.` is a float; `1..` is not something we accept anyway.
    isFloat = true;
    clean += '.';
    ++pos_;
    if (isDigit(peek()))
      clean += readDigits(10, false);
  }
  char e = peek();
  if ((e == 'e' || e == 'E') &&
      (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
    isFloat = true;
    clean += 'e';
    ++pos_;
    if (peek() == '+' || peek() == '-') {
      clean += peek();
      ++pos_;
    }
    clean += readDigits(10, false);
  }
  if (peek() == 'j' || peek() == 'J')
    fail(SourceRange(loc, locAt(pos_ + 1)), "imaginary literals are not supported");
  if (isIdentChar(peek()) || static_cast<unsigned char>(peek()) >= 0x80)
    fail(SourceRange(here()), "invalid decimal literal");

  if (isFloat) {
    double value = 0;
    const char *first = clean.data();
    if (clean[0] == '.')
      clean.insert(clean.begin(), '0'), first = clean.data();
    auto [ptr, ec] = std::from_chars(first, clean.data() + clean.size(), value);
    if (ec == std::errc::result_out_of_range) {
      // Python rounds: huge exponents give inf, tiny ones 0.0.
      bool negExp = clean.find("e-") != std::string::npos;
      value = negExp ? 0.0 : std::numeric_limits<double>::infinity();
    } else if (ec != std::errc() || ptr != clean.data() + clean.size()) {
      fail(range(), "invalid float literal");
    }
    Token &t = push(TokenKind::FloatLiteral, begin, loc);
    t.floatValue = value;
    return;
  }

  if (clean.size() > 1 && clean[0] == '0' && clean.find_first_not_of('0') != std::string::npos)
    fail(range(), "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                  "for octal integers");
  uint64_t value = 0;
  // 2**63 itself lexes (as INT64_MIN): only `-9223372036854775808` may use it; the parser
  // rejects it anywhere else.
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;
  for (char d : clean) {
    uint64_t v = static_cast<uint64_t>(d - '0');
    if (value > (limit - v) / 10)
      fail(range(), "integer literal is too large (the limit is 2**63 - 1)");
    value = value * 10 + v;
  }
  Token &t = push(TokenKind::IntLiteral, begin, loc);
  t.intValue = static_cast<int64_t>(value);
}

uint32_t Lexer::readHexEscape(size_t digits, size_t escBegin, SourceLoc escLoc) {
  uint32_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    int d = digitValue(peek());
    if (atEnd() || d >= 16 || !(isDigit(peek()) || isIdentStart(peek())))
      fail(SourceRange(escLoc, here()),
           "truncated \\" + std::string(1, text_[escBegin + 1]) + " escape in string literal");
    value = value * 16 + static_cast<uint32_t>(d);
    ++pos_;
  }
  return value;
}

void Lexer::lexString(size_t begin, SourceLoc beginLoc, std::string_view prefix) {
  pos_ = begin + prefix.size();
  bool raw = prefix.find('r') != std::string_view::npos;
  bool bytes = prefix.find('b') != std::string_view::npos;
  bool format = prefix.find('f') != std::string_view::npos;
  char quote = peek();
  bool triple = peek(1) == quote && peek(2) == quote;
  pos_ += triple ? 3 : 1;

  std::string value;
  while (true) {
    if (atEnd())
      fail(SourceRange(beginLoc),
           triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
    char c = peek();
    if (c == quote && (!triple || (peek(1) == quote && peek(2) == quote))) {
      pos_ += triple ? 3 : 1;
      break;
    }
    if (size_t nl = newlineLength()) {
      if (!triple)
        fail(SourceRange(beginLoc, here()), "unterminated string literal");
      value += '\n';
      consumeNewline(nl);
      continue;
    }
    if (c != '\\') {
      if (bytes && static_cast<unsigned char>(c) >= 0x80)
        fail(SourceRange(here()), "bytes literals may only contain ASCII characters");
      value += c;
      ++pos_;
      continue;
    }

    // An escape sequence.
    size_t escBegin = pos_;
    SourceLoc escLoc = here();
    ++pos_;
    if (size_t nl = newlineLength()) { // backslash-newline: a line continuation in the string
      if (raw)
        value += '\\', value += '\n';
      consumeNewline(nl);
      continue;
    }
    if (atEnd())
      continue; // reported as unterminated above
    char e = peek();
    if (raw) {
      // In raw strings a backslash still keeps the next quote from closing the string.
      value += '\\';
      value += e;
      ++pos_;
      continue;
    }
    ++pos_;
    switch (e) {
    case '\\':
    case '\'':
    case '"':
      value += e;
      break;
    case 'a':
      value += '\a';
      break;
    case 'b':
      value += '\b';
      break;
    case 'f':
      value += '\f';
      break;
    case 'n':
      value += '\n';
      break;
    case 'r':
      value += '\r';
      break;
    case 't':
      value += '\t';
      break;
    case 'v':
      value += '\v';
      break;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      uint32_t v = static_cast<uint32_t>(e - '0');
      for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; ++i)
        v = v * 8 + static_cast<uint32_t>(peek() - '0'), ++pos_;
      if (bytes || v < 0x80)
        value += static_cast<char>(v & 0xFF);
      else
        appendUtf8(value, v);
      break;
    }
    case 'x': {
      uint32_t v = readHexEscape(2, escBegin, escLoc);
      if (bytes || v < 0x80)
        value += static_cast<char>(v);
      else
        appendUtf8(value, v);
      break;
    }
    case 'u':
    case 'U': {
      if (bytes) { // not an escape in bytes literals
        value += '\\';
        value += e;
        break;
      }
      uint32_t v = readHexEscape(e == 'u' ? 4 : 8, escBegin, escLoc);
      if (v > 0x10FFFF)
        fail(SourceRange(escLoc, here()), "invalid \\U escape in string literal");
      appendUtf8(value, v);
      break;
    }
    case 'N':
      if (!bytes)
        fail(SourceRange(escLoc, here()), "\\N{...} escapes are not supported");
      [[fallthrough]];
    default:
      // Python keeps unknown escapes as written (with a warning).
      value += '\\';
      value += e;
      break;
    }
  }

  Token &t = push(TokenKind::StringLiteral, begin, beginLoc);
  t.stringValue = std::move(value);
  t.isBytes = bytes;
  t.isFormat = format;
}

void Lexer::lexPunctuator() {
  size_t begin = pos_;
  SourceLoc loc = here();
  // Longest match: three-character spellings first, then two, then one.
  static constexpr struct {
    std::string_view text;
    TokenKind kind;
  } table[] = {
#define TRITONC_TOKEN_PUNCT_ENTRY(k, s) {s, TokenKind::k},
      TRITONC_PUNCTUATORS(TRITONC_TOKEN_PUNCT_ENTRY)
#undef TRITONC_TOKEN_PUNCT_ENTRY
  };
  TokenKind kind = TokenKind::EndOfFile;
  size_t best = 0;
  for (const auto &entry : table) {
    if (entry.text.size() > best && text_.substr(pos_, entry.text.size()) == entry.text) {
      best = entry.text.size();
      kind = entry.kind;
    }
  }
  if (best == 0) {
    unsigned char c = static_cast<unsigned char>(peek());
    if (c == '!')
      fail(SourceRange(loc), "unexpected character '!' (use 'not' for logical negation)");
    if (c >= 0x80)
      fail(SourceRange(loc), "non-ASCII character outside a string or comment");
    fail(SourceRange(loc), "unexpected character " + showChar(c));
  }
  pos_ += best;

  // Brackets: track nesting for implicit line joining, and match closers with openers.
  char c = text_[begin];
  if (c == '(' || c == '[' || c == '{') {
    brackets_.push_back({c, loc});
  } else if (c == ')' || c == ']' || c == '}') {
    if (brackets_.empty())
      fail(SourceRange(loc, here()), std::string("unmatched '") + c + "'");
    char open = brackets_.back().ch;
    char expected = open == '(' ? ')' : open == '[' ? ']' : '}';
    if (c != expected) {
      Diagnostic &d =
          diags_.error(SourceRange(loc, here()),
                       std::string("closing '") + c + "' does not match opening '" + open + "'");
      d.notes.push_back({SourceRange(brackets_.back().loc), "the opening bracket is here"});
      throw CompilationAborted();
    }
    brackets_.pop_back();
  }
  push(kind, begin, loc);
}

} // namespace

std::vector<Token> tokenize(const SourceManager &sources, uint32_t fileId,
                            DiagnosticEngine &diags) {
  return Lexer(sources, fileId, diags).run();
}

} // namespace tritonc
