// Tokens of the .tt language (Python's token set: indentation tokens, keywords, operators,
// literals). The Lexer produces them; the Parser consumes them.
#pragma once

#include "support/Source.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace tritonc {

// X-macro lists: the enum, the spellings and the keyword table all come from them.
// TRITONC_KEYWORD(Kind, "spelling")
#define TRITONC_KEYWORDS(X)                                                                        \
  X(KwFalse, "False")                                                                              \
  X(KwNone, "None")                                                                                \
  X(KwTrue, "True")                                                                                \
  X(KwAnd, "and")                                                                                  \
  X(KwAs, "as")                                                                                    \
  X(KwAssert, "assert")                                                                            \
  X(KwAsync, "async")                                                                              \
  X(KwAwait, "await")                                                                              \
  X(KwBreak, "break")                                                                              \
  X(KwClass, "class")                                                                              \
  X(KwContinue, "continue")                                                                        \
  X(KwDef, "def")                                                                                  \
  X(KwDel, "del")                                                                                  \
  X(KwElif, "elif")                                                                                \
  X(KwElse, "else")                                                                                \
  X(KwExcept, "except")                                                                            \
  X(KwFinally, "finally")                                                                          \
  X(KwFor, "for")                                                                                  \
  X(KwFrom, "from")                                                                                \
  X(KwGlobal, "global")                                                                            \
  X(KwIf, "if")                                                                                    \
  X(KwImport, "import")                                                                            \
  X(KwIn, "in")                                                                                    \
  X(KwIs, "is")                                                                                    \
  X(KwLambda, "lambda")                                                                            \
  X(KwNonlocal, "nonlocal")                                                                        \
  X(KwNot, "not")                                                                                  \
  X(KwOr, "or")                                                                                    \
  X(KwPass, "pass")                                                                                \
  X(KwRaise, "raise")                                                                              \
  X(KwReturn, "return")                                                                            \
  X(KwTry, "try")                                                                                  \
  X(KwWhile, "while")                                                                              \
  X(KwWith, "with")                                                                                \
  X(KwYield, "yield")

// Operators and delimiters, longest spellings are matched first by the lexer.
#define TRITONC_PUNCTUATORS(X)                                                                     \
  X(LParen, "(")                                                                                   \
  X(RParen, ")")                                                                                   \
  X(LBracket, "[")                                                                                 \
  X(RBracket, "]")                                                                                 \
  X(LBrace, "{")                                                                                   \
  X(RBrace, "}")                                                                                   \
  X(Comma, ",")                                                                                    \
  X(Colon, ":")                                                                                    \
  X(Semicolon, ";")                                                                                \
  X(Dot, ".")                                                                                      \
  X(Ellipsis, "...")                                                                               \
  X(At, "@")                                                                                       \
  X(Arrow, "->")                                                                                   \
  X(Walrus, ":=")                                                                                  \
  X(Assign, "=")                                                                                   \
  X(Plus, "+")                                                                                     \
  X(Minus, "-")                                                                                    \
  X(Star, "*")                                                                                     \
  X(DoubleStar, "**")                                                                              \
  X(Slash, "/")                                                                                    \
  X(DoubleSlash, "//")                                                                             \
  X(Percent, "%")                                                                                  \
  X(LShift, "<<")                                                                                  \
  X(RShift, ">>")                                                                                  \
  X(Amp, "&")                                                                                      \
  X(Pipe, "|")                                                                                     \
  X(Caret, "^")                                                                                    \
  X(Tilde, "~")                                                                                    \
  X(Less, "<")                                                                                     \
  X(Greater, ">")                                                                                  \
  X(LessEq, "<=")                                                                                  \
  X(GreaterEq, ">=")                                                                               \
  X(EqEq, "==")                                                                                    \
  X(NotEq, "!=")                                                                                   \
  X(PlusEq, "+=")                                                                                  \
  X(MinusEq, "-=")                                                                                 \
  X(StarEq, "*=")                                                                                  \
  X(SlashEq, "/=")                                                                                 \
  X(DoubleSlashEq, "//=")                                                                          \
  X(PercentEq, "%=")                                                                               \
  X(AtEq, "@=")                                                                                    \
  X(AmpEq, "&=")                                                                                   \
  X(PipeEq, "|=")                                                                                  \
  X(CaretEq, "^=")                                                                                 \
  X(LShiftEq, "<<=")                                                                               \
  X(RShiftEq, ">>=")                                                                               \
  X(DoubleStarEq, "**=")

enum class TokenKind : uint8_t {
  EndOfFile,
  Newline, ///< end of a logical line
  Indent,
  Dedent,
  Identifier,
  IntLiteral,
  FloatLiteral,
  StringLiteral,
#define TRITONC_TOKEN_ENUM(kind, spelling) kind,
  TRITONC_KEYWORDS(TRITONC_TOKEN_ENUM) TRITONC_PUNCTUATORS(TRITONC_TOKEN_ENUM)
#undef TRITONC_TOKEN_ENUM
};

/// How a token kind is written, for messages: "'if'", "'+='", "identifier", "end of line".
std::string describe(TokenKind kind);
/// The fixed spelling of a keyword or punctuator ("if", "+="); "" for the other kinds.
std::string_view spelling(TokenKind kind);
bool isKeyword(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  SourceRange range;
  std::string_view text; ///< the exact source text (points into the SourceManager's buffer)

  // Literal values, filled in by the lexer for the literal kinds.
  int64_t intValue = 0;    ///< IntLiteral
  double floatValue = 0.0; ///< FloatLiteral
  std::string stringValue; ///< StringLiteral: escapes decoded (raw/f-strings: the text as written)
  bool isBytes = false;    ///< StringLiteral with a b prefix
  bool isFormat = false;   ///< StringLiteral with an f prefix

  bool is(TokenKind k) const { return kind == k; }
};

/// How a token is shown in a message: `'x'` for identifiers and punctuators, "end of line",
/// "indent", "end of file", "integer literal '10'", ...
std::string describe(const Token &token);

} // namespace tritonc
