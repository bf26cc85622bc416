// Unit tests of the lexer: tokens, literals, indentation, line joining and located errors.
#include "frontend/Lexer.h"

#include <doctest/doctest.h>

#include <string>

using namespace tritonc;

namespace {

/// Renders the tokens of `text` on one line ("x = 1 NL EOF"), or the first error as
/// "error L:C: message".
std::string lex(const std::string &text) {
  SourceManager sources;
  DiagnosticEngine diags;
  uint32_t id = sources.addFile("t.tt", text);
  std::vector<Token> tokens;
  try {
    tokens = tokenize(sources, id, diags);
  } catch (const CompilationAborted &) {
    REQUIRE(diags.hasErrors());
    const Diagnostic &d = diags.diagnostics().front();
    return "error " + std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) +
           ": " + d.message;
  }
  CHECK(!diags.hasErrors());
  std::string out;
  for (const Token &t : tokens) {
    if (!out.empty())
      out += ' ';
    switch (t.kind) {
    case TokenKind::Newline:
      out += "NL";
      break;
    case TokenKind::Indent:
      out += "INDENT";
      break;
    case TokenKind::Dedent:
      out += "DEDENT";
      break;
    case TokenKind::EndOfFile:
      out += "EOF";
      break;
    case TokenKind::IntLiteral:
      out += "int:" + std::to_string(t.intValue);
      break;
    case TokenKind::FloatLiteral: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "float:%g", t.floatValue);
      out += buf;
      break;
    }
    case TokenKind::StringLiteral:
      out += std::string(t.isBytes ? "b" : "") + (t.isFormat ? "f" : "") + "str:<" + t.stringValue +
             ">";
      break;
    default:
      out += std::string(t.text);
    }
  }
  return out;
}

/// The tokens of `text` themselves (the SourceManager is kept alive by the caller).
std::vector<Token> tokens(SourceManager &sources, const std::string &text) {
  DiagnosticEngine diags;
  uint32_t id = sources.addFile("t.tt", text);
  return tokenize(sources, id, diags);
}

} // namespace

TEST_CASE("lexer: identifiers, keywords and punctuators") {
  CHECK(lex("x = y") == "x = y NL EOF");
  CHECK(lex("_a1 b_2") == "_a1 b_2 NL EOF");
  CHECK(lex("if elif else for in while def return pass break continue and or not is None True "
            "False import from as lambda") ==
        "if elif else for in while def return pass break continue and or not is None True False "
        "import from as lambda NL EOF");
  CHECK(lex("+ - * / // % ** << >> & | ^ ~ @") == "+ - * / // % ** << >> & | ^ ~ @ NL EOF");
  CHECK(lex("< > <= >= == !=") == "< > <= >= == != NL EOF");
  CHECK(lex("a += 1; b -= 2") == "a += int:1 ; b -= int:2 NL EOF");
  CHECK(lex("*= /= //= %= &= |= ^= <<= >>= **= @=") ==
        "*= /= //= %= &= |= ^= <<= >>= **= @= NL EOF");
  CHECK(lex("-> := ... . , :") == "-> := ... . , : NL EOF");
  CHECK(lex("x[None, :]") == "x [ None , : ] NL EOF");
  CHECK(lex("a**b") == "a ** b NL EOF");
  CHECK(lex("a//=b") == "a //= b NL EOF");
  CHECK(lex("") == "EOF");
  CHECK(lex("\n\n# only a comment\n   \n") == "EOF");
}

TEST_CASE("lexer: integer literals") {
  CHECK(lex("10 0x1F 0o17 0b101 1_000 0 00 0X_ff") ==
        "int:10 int:31 int:15 int:5 int:1000 int:0 int:0 int:255 NL EOF");
  CHECK(lex("9223372036854775807") == "int:9223372036854775807 NL EOF");
  // 2**63 lexes (as INT64_MIN) so that -9223372036854775808 parses; the parser rejects it
  // anywhere else (test_parser.cpp).
  CHECK(lex("9223372036854775808") == "int:-9223372036854775808 NL EOF");
  CHECK(lex("9223372036854775809") ==
        "error 1:1: integer literal is too large (the limit is 2**63 - 1)");
  CHECK(lex("0x8000000000000000") ==
        "error 1:1: integer literal is too large (the limit is 2**63 - 1)");
  CHECK(lex("x = 0b102") == "error 1:9: invalid digit '2' in binary literal");
  CHECK(lex("0o8") == "error 1:3: invalid digit '8' in octal literal");
  CHECK(lex("0x") == "error 1:1: missing digits in hexadecimal literal");
  CHECK(lex("1__0") == "error 1:2: invalid '_' in numeric literal");
  CHECK(lex("10_") == "error 1:3: invalid '_' in numeric literal");
  CHECK(lex("0123") == "error 1:1: leading zeros in decimal integer literals are not permitted; "
                       "use an 0o prefix for octal integers");
  CHECK(lex("12abc") == "error 1:3: invalid decimal literal");
  CHECK(lex("3j") == "error 1:1: imaginary literals are not supported");
}

TEST_CASE("lexer: float literals") {
  CHECK(lex("1.0 1e-6 .5 1. 2E+3 1_0.2_5 0.0") ==
        "float:1 float:1e-06 float:0.5 float:1 float:2000 float:10.25 float:0 NL EOF");
  CHECK(lex("1e400") == "float:inf NL EOF");
  CHECK(lex("1e-400") == "float:0 NL EOF");
  // `1.e5` is a float; `x.e` is an attribute.
  CHECK(lex("1.e5 x.e") == "float:100000 x . e NL EOF");
  // A '.' followed by a digit starts a float, `...` is the ellipsis.
  CHECK(lex("x[...]") == "x [ ... ] NL EOF");
}

TEST_CASE("lexer: string literals") {
  CHECK(lex("'a' \"b\"") == "str:<a> str:<b> NL EOF");
  CHECK(lex(R"("evict_last")") == "str:<evict_last> NL EOF");
  CHECK(lex(R"('a\tb\n\\\'\x41\101\u00e9')") == "str:<a\tb\n\\'AA\xC3\xA9> NL EOF");
  CHECK(lex(R"('\d')") == "str:<\\d> NL EOF"); // unknown escapes are kept, as in Python
  CHECK(lex(R"(r'\n\'' b'x' f'{x}' Rb"y" u'z')") ==
        "str:<\\n\\'> bstr:<x> fstr:<{x}> bstr:<y> str:<z> NL EOF");
  CHECK(lex("\"\"\"doc\nstring\"\"\"\nx") == "str:<doc\nstring> NL x NL EOF");
  CHECK(lex("'''it's'''") == "str:<it's> NL EOF");
  CHECK(lex("'abc\\\ndef'") == "str:<abcdef> NL EOF"); // backslash-newline inside a string
  CHECK(lex("x = 'abc") == "error 1:5: unterminated string literal");
  CHECK(lex("x = 'abc\n'") == "error 1:5: unterminated string literal");
  CHECK(lex("\n  '''abc\n") == "error 2:3: unterminated triple-quoted string literal");
  CHECK(lex(R"('\x4')") == "error 1:2: truncated \\x escape in string literal");
}

TEST_CASE("lexer: token locations") {
  SourceManager sources;
  std::vector<Token> t = tokens(sources, "def f(x):\n    return x + 10\n");
  // def f ( x ) : NL INDENT return x + 10 NL DEDENT EOF (15 tokens)
  REQUIRE(t.size() == 15);
  CHECK(t[0].range.begin.line == 1);
  CHECK(t[0].range.begin.col == 1);
  CHECK(t[0].range.end.col == 4);
  CHECK(t[1].text == "f");
  CHECK(t[1].range.begin.col == 5);
  CHECK(t[6].kind == TokenKind::Newline);
  CHECK(t[6].range.begin.col == 10);
  CHECK(t[7].kind == TokenKind::Indent);
  CHECK(t[8].kind == TokenKind::KwReturn);
  CHECK(t[8].range.begin.line == 2);
  CHECK(t[8].range.begin.col == 5);
  CHECK(t[11].kind == TokenKind::IntLiteral);
  CHECK(t[11].range.begin.col == 16);
  CHECK(t[11].range.end.col == 18);
  CHECK(t[11].range.begin.file == 1);
  CHECK(t[14].kind == TokenKind::EndOfFile);

  // Tokens after a multi-line string are on the right line and column.
  std::vector<Token> u = tokens(sources, "s = '''a\nbc''' + x\n");
  CHECK(u[2].kind == TokenKind::StringLiteral);
  CHECK(u[2].range.end.line == 2);
  CHECK(u[2].range.end.col == 6);
  CHECK(u[4].text == "x");
  CHECK(u[4].range.begin.line == 2);
  CHECK(u[4].range.begin.col == 9);
  CHECK(u[4].range.begin.file == 2);
}

TEST_CASE("lexer: indentation") {
  CHECK(lex("if x:\n    y\nz\n") == "if x : NL INDENT y NL DEDENT z NL EOF");
  CHECK(lex("if a:\n  if b:\n    c\nd") ==
        "if a : NL INDENT if b : NL INDENT c NL DEDENT DEDENT d NL EOF");
  // Blank lines and comment lines (at any indentation) do not count.
  CHECK(lex("if a:\n\n  # c\n        # c\n  b\n\n  c\n") ==
        "if a : NL INDENT b NL c NL DEDENT EOF");
  // Open blocks are closed at the end of the file, with or without a final newline.
  CHECK(lex("if a:\n  b") == "if a : NL INDENT b NL DEDENT EOF");
  CHECK(lex("if a:\n  if b:\n    c\n") ==
        "if a : NL INDENT if b : NL INDENT c NL DEDENT DEDENT EOF");
  // CRLF line endings.
  CHECK(lex("if a:\r\n  b\r\nc\r\n") == "if a : NL INDENT b NL DEDENT c NL EOF");
  CHECK(lex("if a:\n    b\n  c\n") ==
        "error 3:3: unindent does not match any outer indentation level");
  CHECK(lex("if a:\n\tb\n") == "error 2:1: tabs are not allowed in indentation");
  CHECK(lex("if a:\n  \tb\n") == "error 2:3: tabs are not allowed in indentation");
  // A tab on a blank or comment line, or between tokens, is harmless.
  CHECK(lex("a\n\t\n\t# c\nb\tc") == "a NL b c NL EOF");
}

TEST_CASE("lexer: implicit and explicit line joining") {
  CHECK(lex("f(a,\n      b)\nc") == "f ( a , b ) NL c NL EOF");
  CHECK(lex("x = [1,\n\t2,  # comment\n\n 3]") == "x = [ int:1 , int:2 , int:3 ] NL EOF");
  CHECK(lex("d = {1:\n2}") == "d = { int:1 : int:2 } NL EOF");
  CHECK(lex("x = 1 + \\\n    2\ny") == "x = int:1 + int:2 NL y NL EOF");
  CHECK(lex("x = 1 \\ 2") == "error 1:7: unexpected character after line continuation character");
  CHECK(lex("x = 1 \\") == "error 1:7: unexpected end of file after line continuation character");
  CHECK(lex("f(a,\n  b") == "error 1:2: '(' was never closed");
  CHECK(lex("x = [1, 2)") == "error 1:10: closing ')' does not match opening '['");
  CHECK(lex("x = 1)") == "error 1:6: unmatched ')'");
}

TEST_CASE("lexer: comments and stray characters") {
  CHECK(lex("x = 1  # a comment ' \" \\\ny") == "x = int:1 NL y NL EOF");
  CHECK(lex("x = $") == "error 1:5: unexpected character '$'");
  CHECK(lex("x = a ? b") == "error 1:7: unexpected character '?'");
  CHECK(lex("if !x:") == "error 1:4: unexpected character '!' (use 'not' for logical negation)");
  CHECK(lex("x = \xC3\xA9") == "error 1:5: non-ASCII character outside a string or comment");
  CHECK(lex("s = 'caf\xC3\xA9'  # caf\xC3\xA9") == "s = str:<caf\xC3\xA9> NL EOF");
  CHECK(lex("\xEF\xBB\xBFx") == "x NL EOF"); // a UTF-8 BOM is skipped
}

TEST_CASE("lexer: token descriptions") {
  CHECK(describe(TokenKind::Colon) == "':'");
  CHECK(describe(TokenKind::KwIf) == "'if'");
  CHECK(describe(TokenKind::Newline) == "end of line");
  CHECK(spelling(TokenKind::DoubleSlashEq) == "//=");
  CHECK(isKeyword(TokenKind::KwNot));
  CHECK_FALSE(isKeyword(TokenKind::Identifier));
}
