// libFuzzer target 1: the .tt lexer and parser (src/frontend/Lexer.h, Parser.h).
//
// The input is the text of a .tt file. It is tokenized, then parsed to an AST, which is dumped,
// and parsed again as a single expression (as a -D value is); every diagnostic is rendered. Finds
// crashes, hangs, unbounded recursion and leaks in the lexer, the parser, the AST printer and the
// diagnostic renderer; checks that a failure always comes with an error. Seeds:
// fuzz/corpus/parse_tt (the repository's .tt files).
#include "FuzzCommon.h"
#include "frontend/AST.h"
#include "frontend/Lexer.h"
#include "frontend/Parser.h"

#include <cstddef>
#include <cstdint>

using namespace tritonc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  SourceManager sources;
  uint32_t fileId = sources.addFile("/nonexistent/fuzz/input.tt",
                                    std::string(reinterpret_cast<const char *>(data), size));

  DiagnosticEngine lexDiags;
  try {
    std::vector<Token> tokens = tokenize(sources, fileId, lexDiags);
    fuzz::check(!lexDiags.hasErrors(), "tokenize returned after reporting an error");
  } catch (const CompilationAborted &) {
    fuzz::check(lexDiags.hasErrors(), "tokenize threw CompilationAborted without an error");
  }
  (void)fuzz::renderDiagnostics(lexDiags, sources);

  DiagnosticEngine diags;
  std::unique_ptr<ast::Module> module = parseModule(sources, fileId, diags);
  if (module) {
    fuzz::check(!diags.hasErrors(), "parseModule returned a module after reporting an error");
    (void)ast::dump(*module);
  } else {
    fuzz::check(diags.hasErrors(), "parseModule returned nullptr without an error");
  }
  (void)fuzz::renderDiagnostics(diags, sources);

  // The same text as one expression (the entry point of -D NAME=VALUE values).
  DiagnosticEngine exprDiags;
  std::unique_ptr<ast::Expr> expr =
      parseExpression(sources, "-D VALUE", std::string(sources.file(fileId).text), exprDiags);
  if (expr)
    (void)ast::dump(*expr);
  else
    fuzz::check(exprDiags.hasErrors(), "parseExpression returned nullptr without an error");
  (void)fuzz::renderDiagnostics(exprDiags, sources);
  return 0;
}
