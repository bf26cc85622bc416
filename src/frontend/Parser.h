// The parser: tokens of one .tt file -> ast::Module (recursive descent, Python's grammar and
// precedence, plus the kernel parameter type syntax of LANGUAGE.md §2).
//
// Errors: the first syntax error is reported into the DiagnosticEngine, located at the offending
// token (e.g. "expected ':' after 'if' condition"), and parsing stops. Valid Python that the
// language does not have (`@`, chained comparisons, `break`, `is`, `in`, classes, dicts) is parsed
// and left to sema; Python the parser does not model (`try`, `with`, `lambda`, comprehensions,
// `*args` parameters, `for ... else`, ...) is an error naming the construct, as is `return`
// outside a function.
//
// A file whose name ends in .py is a Triton program: at top level @jit functions, imports and
// simple statements that parse are kept, and so are plain defs and non-jit decorators that parse
// (host code that does not parse is dropped); module-level `if` and `try` become If nodes whose
// branches are read the same way (sema takes the branch whose imports resolve); any other
// statement (classes, with, ...) is skipped by its extent (its line and indented block) without
// an error. `raise` parses everywhere: only a raise that sema lowers is an error.
//
// Bounded: expression nesting and block nesting are each capped at kMaxNesting (located errors
// "expression nesting is too deep (limit 200)" / "block nesting is too deep (limit 200)").
// Left-associative chains (`a + b + ...`, `x.a.b...`, `f()()`) and `elif` ladders are length,
// not depth (Python takes thousands of terms), but build tall trees: each of their links, and
// each level of nesting, counts towards kMaxTreeHeight. Every AST the parser returns therefore
// has a height of at most kMaxTreeHeight and can be walked (and destroyed) recursively; tritonc
// runs the compilation on a thread whose stack is sized for that (see driver/main.cpp).
#pragma once

#include "frontend/AST.h"
#include "support/Diagnostics.h"

#include <memory>

namespace tritonc {

namespace parser {
inline constexpr unsigned kMaxNesting = 200;
inline constexpr unsigned kMaxTreeHeight = 10000;
} // namespace parser

/// Lexes and parses file `fileId` of `sources`. Returns the module, or nullptr after reporting the
/// first lexical or syntax error into `diags`. Never throws.
std::unique_ptr<ast::Module> parseModule(const SourceManager &sources, uint32_t fileId,
                                         DiagnosticEngine &diags);

/// Parses `text` as one expression (a bare tuple `a, b` included) that must make up the whole
/// text, e.g. a `-D NAME=VALUE` value; tests use it too. The text is registered in `sources` under
/// `name` so that diagnostics can show it. Returns nullptr after reporting an error. Never throws.
std::unique_ptr<ast::Expr> parseExpression(SourceManager &sources, std::string name,
                                           std::string text, DiagnosticEngine &diags);

} // namespace tritonc
