// Unit tests of the parser: every statement and expression form (through the AST dumper),
// annotations, source ranges, located errors, nesting limits and robustness on broken input.
#include "frontend/Parser.h"

#include <doctest/doctest.h>

#include <string>

using namespace tritonc;
using namespace tritonc::ast;

namespace {

std::string firstError(const DiagnosticEngine &diags) {
  REQUIRE(diags.hasErrors());
  const Diagnostic &d = diags.diagnostics().front();
  return "error " + std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) +
         ": " + d.message;
}

/// The dump of a whole file, or "error L:C: message".
std::string parse(const std::string &text) {
  SourceManager sources;
  DiagnosticEngine diags;
  uint32_t id = sources.addFile("t.tt", text);
  std::unique_ptr<ast::Module> m = parseModule(sources, id, diags);
  if (!m)
    return firstError(diags);
  CHECK(!diags.hasErrors());
  return dump(*m);
}

/// The dump of one expression, or "error L:C: message".
std::string expr(const std::string &text) {
  SourceManager sources;
  DiagnosticEngine diags;
  std::unique_ptr<Expr> e = parseExpression(sources, "e.tt", text, diags);
  if (!e)
    return firstError(diags);
  return dump(*e);
}

/// The statements of `text` placed in a function body, each dumped, joined by newlines.
/// Errors are reported with the line numbers of `text` (the wrapper line is subtracted).
std::string body(const std::string &text) {
  std::string indented = "def f():\n";
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos)
      nl = text.size();
    indented += "    " + text.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  SourceManager sources;
  DiagnosticEngine diags;
  uint32_t id = sources.addFile("t.tt", indented);
  std::unique_ptr<ast::Module> m = parseModule(sources, id, diags);
  if (!m) {
    const Diagnostic &d = diags.diagnostics().front();
    return "error " + std::to_string(d.range.begin.line - 1) + ":" +
           std::to_string(d.range.begin.col - 4) + ": " + d.message;
  }
  auto *fn = cast<FunctionDef>(m->body.at(0).get());
  std::string out;
  for (const StmtPtr &s : fn->body)
    out += (out.empty() ? "" : "\n") + dump(*s);
  return out;
}

/// Parses `text` and returns the module (the test fails on an error). The AST owns copies of all
/// its strings, so it outlives the SourceManager.
std::unique_ptr<ast::Module> parseOk(const std::string &text) {
  SourceManager sources;
  DiagnosticEngine diags;
  uint32_t id = sources.addFile("t.tt", text);
  std::unique_ptr<ast::Module> m = parseModule(sources, id, diags);
  REQUIRE(m);
  return m;
}

std::string loc(SourceLoc l) { return std::to_string(l.line) + ":" + std::to_string(l.col); }
std::string loc(SourceRange r) { return loc(r.begin) + "-" + loc(r.end); }

std::string repeat(const std::string &s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

} // namespace

//===--- Expressions --------------------------------------------------------------------------===//

TEST_CASE("parser: literals and names") {
  CHECK(expr("42") == "42");
  CHECK(expr("0x1F") == "31");
  CHECK(expr("1_000") == "1000");
  CHECK(expr("1.5") == "1.5");
  CHECK(expr("1e-6") == "1e-06");
  CHECK(expr(".5") == "0.5");
  CHECK(expr("2.") == "2.0");
  CHECK(expr("'evict_last'") == "\"evict_last\"");
  CHECK(expr("'a' \"b\"") == "\"ab\"");
  CHECK(expr("f'x={x}'") == "f\"x={x}\"");
  CHECK(expr("True") == "True");
  CHECK(expr("False") == "False");
  CHECK(expr("None") == "None");
  CHECK(expr("...") == "...");
  CHECK(expr("tl") == "tl");
  CHECK(expr("'a' b'b'") == "error 1:5: cannot mix bytes and non-bytes literals");

  SourceManager sources;
  DiagnosticEngine diags;
  auto e = parseExpression(sources, "e.tt", "0x1F", diags);
  REQUIRE(e);
  CHECK(cast<IntLiteral>(e.get())->value == 31);
  CHECK(cast<IntLiteral>(e.get())->spelling == "0x1F");
  auto f = parseExpression(sources, "e.tt", "1e-6", diags);
  CHECK(cast<FloatLiteral>(f.get())->spelling == "1e-6");
  CHECK(cast<FloatLiteral>(f.get())->value == doctest::Approx(1e-6));
}

TEST_CASE("parser: operator precedence and associativity") {
  CHECK(expr("a + b * c") == "(+ a (* b c))");
  CHECK(expr("(a + b) * c") == "(* (+ a b) c)");
  CHECK(expr("a - b - c") == "(- (- a b) c)");
  CHECK(expr("a / b // c % d") == "(% (// (/ a b) c) d)");
  CHECK(expr("a ** b ** c") == "(** a (** b c))");
  CHECK(expr("-x ** 2") == "(- (** x 2))");
  CHECK(expr("2 ** -1") == "(** 2 (- 1))");
  CHECK(expr("-a * b") == "(* (- a) b)");
  CHECK(expr("~a + +b") == "(+ (~ a) (+ b))");
  CHECK(expr("a | b ^ c & d << e + f") == "(| a (^ b (& c (<< d (+ e f)))))");
  CHECK(expr("a >> 1 << 2") == "(<< (>> a 1) 2)");
  CHECK(expr("a @ b") == "(@ a b)");
  CHECK(expr("a + b < c * d") == "(cmp (+ a b) < (* c d))");
  CHECK(expr("not a == b") == "(not (cmp a == b))");
  CHECK(expr("not not a") == "(not (not a))");
  CHECK(expr("a and b or c and d") == "(or (and a b) (and c d))");
  CHECK(expr("a or b or c") == "(or a b c)");
  CHECK(expr("a and not b") == "(and a (not b))");
  CHECK(expr("a if c else b") == "(ifexp c a b)");
  CHECK(expr("a if c else b if d else e") == "(ifexp c a (ifexp d b e))");
  CHECK(expr("x + 1 if c or d else y") == "(ifexp (or c d) (+ x 1) y)");
  CHECK(expr("a & b | ~c") == "(| (& a b) (~ c))");
}

TEST_CASE("parser: comparisons") {
  CHECK(expr("a == b") == "(cmp a == b)");
  CHECK(expr("a != b") == "(cmp a != b)");
  CHECK(expr("a < b") == "(cmp a < b)");
  CHECK(expr("a <= b") == "(cmp a <= b)");
  CHECK(expr("a > b") == "(cmp a > b)");
  CHECK(expr("a >= b") == "(cmp a >= b)");
  CHECK(expr("a is None") == "(cmp a is None)");
  CHECK(expr("a is not None") == "(cmp a \"is not\" None)");
  CHECK(expr("a in b") == "(cmp a in b)");
  CHECK(expr("a not in b") == "(cmp a \"not in\" b)");
  // Chains are kept whole so that sema can reject them at the second operator.
  CHECK(expr("a < b <= c") == "(cmp a < b <= c)");

  SourceManager sources;
  DiagnosticEngine diags;
  auto e = parseExpression(sources, "e.tt", "0 <= i < n", diags);
  auto *c = cast<Compare>(e.get());
  CHECK(c->isChained());
  CHECK(loc(c->opRanges[1]) == "1:8-1:9");
  auto e2 = parseExpression(sources, "e.tt", "x is  not y", diags);
  CHECK(loc(cast<Compare>(e2.get())->opRanges[0]) == "1:3-1:10");

  CHECK(expr("a not b") == "error 1:7: expected 'in' after 'not' in a comparison, found 'b'");
  CHECK(expr("a <") == "error 1:4: expected an expression after '<', found end of line");
}

TEST_CASE("parser: attributes, calls and subscripts") {
  CHECK(expr("x.to(tl.float16)") == "(call (. x to) (. tl float16))");
  CHECK(expr("x.T") == "(. x T)");
  CHECK(expr("tl.math.exp(x)") == "(call (. (. tl math) exp) x)");
  CHECK(expr("tl.program_id(axis=0)") == "(call (. tl program_id) (kw axis 0))");
  CHECK(expr("f()") == "(call f)");
  CHECK(expr("f(a, b,)") == "(call f a b)");
  CHECK(expr("tl.load(p + o, mask=m, other=0.0)") ==
        "(call (. tl load) (+ p o) (kw mask m) (kw other 0.0))");
  CHECK(expr("tl.device_print('x', *vals)") == "(call (. tl device_print) \"x\" (star vals))");
  CHECK(expr("f(a)(b)[c].d") == "(. (sub (call (call f a) b) c) d)");
  CHECK(expr("x[None, :]") == "(sub x None (slice _ _ _))");
  CHECK(expr("x[:, None]") == "(sub x (slice _ _ _) None)");
  CHECK(expr("x[0]") == "(sub x 0)");
  CHECK(expr("x[1:3]") == "(sub x (slice 1 3 _))");
  CHECK(expr("x[::2]") == "(sub x (slice _ _ 2))");
  CHECK(expr("x[1:]") == "(sub x (slice 1 _ _))");
  CHECK(expr("x[:n:]") == "(sub x (slice _ n _))");
  CHECK(expr("x[a:b:c, ...]") == "(sub x (slice a b c) ...)");
  CHECK(expr("x[(a, b)]") == "(sub x (tuple a b))");
  CHECK(expr("x[i,]") == "(sub x i)");

  CHECK(expr("f(a=1, b)") == "error 1:8: positional argument follows keyword argument");
  CHECK(expr("f(a=1, a=2)") == "error 1:8: keyword argument 'a' repeated");
  CHECK(expr("f(**kw)") == "error 1:3: '**' argument unpacking is not supported");
  CHECK(expr("f(x for x in y)") == "error 1:5: generator expressions are not supported");
  CHECK(expr("f(a b)") == "error 1:5: expected ',' or ')' in the argument list, found 'b'");
  CHECK(expr("f(a.b=1)") == "error 1:6: expected ',' or ')' in the argument list (a keyword "
                            "argument's name must be a plain identifier)");
  CHECK(expr("x[]") == "error 1:3: expected an index in the subscript");
  CHECK(expr("x.1") == "error 1:2: expected end of expression, found float literal '.1'");
  CHECK(expr("x.if") == "error 1:3: expected an attribute name after '.', found 'if'");
}

TEST_CASE("parser: tuples, lists and dicts") {
  CHECK(expr("(a, b)") == "(tuple a b)");
  CHECK(expr("(a,)") == "(tuple a)");
  CHECK(expr("()") == "(tuple)");
  CHECK(expr("a, b") == "(tuple a b)");
  CHECK(expr("(a)") == "a");
  CHECK(expr("((a))") == "a");
  CHECK(expr("[BLOCK_M, BLOCK_N]") == "(list BLOCK_M BLOCK_N)");
  CHECK(expr("[]") == "(list)");
  CHECK(expr("[a, [b, c],]") == "(list a (list b c))");
  CHECK(expr("{'BLOCK': 128, 'X': n}") == "(dict (\"BLOCK\" 128) (\"X\" n))");
  CHECK(expr("{}") == "(dict)");
  CHECK(expr("(a, *b)") == "(tuple a (star b))");
  CHECK(expr("{a, b}") == "error 1:1: set displays are not supported");
  CHECK(expr("[x for x in y]") == "error 1:4: list comprehensions are not supported");
  CHECK(expr("(x := 1)") == "error 1:4: assignment expressions (':=') are not supported");
  CHECK(expr("lambda x: x") == "error 1:1: lambda expressions are not supported");
  CHECK(expr("(a b)") == "error 1:4: expected ')' to close the '(' on line 1, found 'b'");
  CHECK(expr("(*a)") == "error 1:2: cannot use a starred expression here");
}

TEST_CASE("parser: expression ranges") {
  SourceManager sources;
  DiagnosticEngine diags;
  auto e = parseExpression(sources, "e.tt", "tl.load(p + offs, mask=m)", diags);
  REQUIRE(e);
  auto *call = cast<Call>(e.get());
  CHECK(loc(call->range) == "1:1-1:26");
  CHECK(loc(call->callee->range) == "1:1-1:8");
  CHECK(loc(cast<Attribute>(call->callee.get())->attrRange) == "1:4-1:8");
  auto *add = cast<Binary>(call->args[0].get());
  CHECK(loc(add->range) == "1:9-1:17");
  CHECK(loc(add->opRange) == "1:11-1:12");
  CHECK(loc(call->keywords[0].nameRange) == "1:19-1:23");
  CHECK(call->keyword("mask") == &call->keywords[0]);
  CHECK(call->keyword("other") == nullptr);

  auto t = parseExpression(sources, "e.tt", "(a, b)[0]", diags);
  auto *sub = cast<Subscript>(t.get());
  CHECK(loc(sub->range) == "1:1-1:10");
  CHECK(loc(sub->value->range) == "1:1-1:7");
  CHECK(cast<Tuple>(sub->value.get())->parenthesized);
  // A parenthesized expression keeps its own range.
  auto p = parseExpression(sources, "e.tt", "( a )", diags);
  CHECK(loc(p->range) == "1:3-1:4");
  CHECK(p->range.begin.file == 3);
}

//===--- Statements ---------------------------------------------------------------------------===//

TEST_CASE("parser: assignments") {
  CHECK(body("x = 1") == "(assign x 1)");
  CHECK(body("a, b = f()") == "(assign (tuple a b) (call f))");
  CHECK(body("(a, b) = c, d") == "(assign (tuple a b) (tuple c d))");
  CHECK(body("[a, b] = c") == "(assign (list a b) c)");
  CHECK(body("a, *b = c") == "(assign (tuple a (star b)) c)");
  CHECK(body("a = b = 0") == "(assign a b 0)");
  CHECK(body("x.y = 1") == "(assign (. x y) 1)");
  CHECK(body("x[0] = 1") == "(assign (sub x 0) 1)");
  CHECK(body("x = 1,") == "(assign x (tuple 1))");
  CHECK(body("x: i32 = 5") == "(annassign x (type i32) 5)");
  CHECK(body("x: tl.tensor") == "(annassign x (annot (. tl tensor)))");
  CHECK(body("x += 1") == "(augassign += x 1)");
  CHECK(body("x -= 1\nx *= 1\nx /= 1\nx //= 1\nx %= 1\nx &= 1\nx |= 1\nx ^= 1\nx <<= 1\n"
             "x >>= 1\nx **= 1\nx @= 1") ==
        "(augassign -= x 1)\n(augassign *= x 1)\n(augassign /= x 1)\n(augassign //= x 1)\n"
        "(augassign %= x 1)\n(augassign &= x 1)\n(augassign |= x 1)\n(augassign ^= x 1)\n"
        "(augassign <<= x 1)\n(augassign >>= x 1)\n(augassign **= x 1)\n(augassign @= x 1)");
  CHECK(body("acc[i] += x.to(tl.float32)") ==
        "(augassign += (sub acc i) (call (. x to) (. tl float32)))");

  CHECK(body("f() = 1") == "error 1:1: cannot assign to a function call");
  CHECK(body("a, 1 = x") == "error 1:4: cannot assign to a literal");
  CHECK(body("None = 1") == "error 1:1: cannot assign to None");
  CHECK(body("a + b = 1") == "error 1:1: cannot assign to an expression");
  CHECK(body("a, b += 1") == "error 1:1: illegal target for augmented assignment: this expression");
  CHECK(body("a, b: i32") == "error 1:1: only a single target (not a tuple) can be annotated");
  CHECK(body("x =") == "error 1:4: expected an expression after '=', found end of line");
  CHECK(body("x + = 1") == "error 1:5: expected an expression after '+', found '='");
  CHECK(body("*a") == "error 1:1: cannot use a starred expression here");
}

TEST_CASE("parser: simple statements") {
  CHECK(body("tl.store(p, x, mask=m)") == "(expr (call (. tl store) p x (kw mask m)))");
  CHECK(body("pass") == "(pass)");
  CHECK(body("break") == "(break)");
  CHECK(body("continue") == "(continue)");
  CHECK(body("return") == "(return)");
  CHECK(body("return x") == "(return x)");
  CHECK(body("return a, b") == "(return (tuple a b))");
  CHECK(body("assert x > 0") == "(assert (cmp x > 0))");
  CHECK(body("assert x, 'msg'") == "(assert x \"msg\")");
  CHECK(body("a = 1; b = 2") == "(assign a 1)\n(assign b 2)");
  CHECK(body("a = 1; b = 2;") == "(assign a 1)\n(assign b 2)");
  CHECK(body("'''Docstring.'''\npass") == "(expr \"Docstring.\")\n(pass)");
  CHECK(body("x = 1 2") ==
        "error 1:7: unexpected integer literal '2' after statement (expected end of line or ';')");
  CHECK(body("a = 1;; b = 2") == "error 1:7: expected an expression, found ';'");
  CHECK(body("del x") == "error 1:1: 'del' statements are not supported");
  CHECK(body("x = -9223372036854775808") == "(assign x -9223372036854775808)");
  CHECK(body("x = 9223372036854775808") ==
        "error 1:5: integer literal is too large (the limit is 2**63 - 1)");
  CHECK(body("x = -9223372036854775808 ** 2") ==
        "error 1:6: integer literal is too large (the limit is 2**63 - 1)");
  CHECK(body("raise E") == "(raise E)");
  CHECK(body("raise") == "(raise)");
  CHECK(body("raise E from x") == "(raise E)");
  CHECK(body("global x") == "error 1:1: 'global' statements are not supported");
  CHECK(body("yield x") == "error 1:1: 'yield' statements are not supported");
  CHECK(parse("return 1") == "error 1:1: 'return' outside function");

  auto m = parseOk("def f():\n    '''doc'''\n    x = 1\n");
  auto *fn = cast<FunctionDef>(m->body[0].get());
  CHECK(cast<ExprStmt>(fn->body[0].get())->isDocstring());
  CHECK_FALSE(isa<ExprStmt>(fn->body[1].get()));
}

TEST_CASE("parser: if / elif / else") {
  CHECK(body("if a:\n    x = 1") == "(if a\n  (then\n    (assign x 1)))");
  CHECK(body("if a:\n    x = 1\nelse:\n    x = 2") ==
        "(if a\n  (then\n    (assign x 1))\n  (else\n    (assign x 2)))");
  CHECK(body("if a:\n    pass\nelif b:\n    pass\nelif c:\n    pass\nelse:\n    pass") ==
        "(if a\n"
        "  (then\n"
        "    (pass))\n"
        "  (elif b\n"
        "    (then\n"
        "      (pass))\n"
        "    (elif c\n"
        "      (then\n"
        "        (pass))\n"
        "      (else\n"
        "        (pass)))))");
  CHECK(body("if a: x = 1; y = 2\nelse: pass") ==
        "(if a\n  (then\n    (assign x 1)\n    (assign y 2))\n  (else\n    (pass)))");
  CHECK(body("if x is not None:\n    if y:\n        pass\n    z = 1") ==
        "(if (cmp x \"is not\" None)\n  (then\n    (if y\n      (then\n        (pass)))\n"
        "    (assign z 1)))");

  auto m = parseOk("if a:\n    pass\nelif b:\n    pass\n");
  auto *top = cast<If>(m->body[0].get());
  CHECK_FALSE(top->isElif);
  REQUIRE(top->orelse.size() == 1);
  CHECK(cast<If>(top->orelse[0].get())->isElif);
  CHECK(loc(top->range) == "1:1-1:6");
  CHECK(loc(top->orelse[0]->range) == "3:1-3:8");

  CHECK(body("if a\n    pass") == "error 1:5: expected ':' after 'if' condition");
  CHECK(body("if a = 1:\n    pass") ==
        "error 1:6: expected ':' after 'if' condition (use '==' to compare)");
  CHECK(body("if:\n    pass") == "error 1:3: expected a condition after 'if', found ':'");
  CHECK(parse("if a:\npass") == "error 2:1: expected an indented block after 'if' statement on "
                                "line 1");
  CHECK(body("if a:\n    pass\nelif b\n    pass") ==
        "error 3:7: expected ':' after 'elif' condition");
  CHECK(body("if a:\n    pass\nelse\n    pass") == "error 3:5: expected ':' after 'else'");
  CHECK(body("else:\n    pass") ==
        "error 1:1: 'else' does not follow an 'if' block at the same indentation");
  CHECK(parse("if a:\n    pass\n  else:\n    pass") ==
        "error 3:3: unindent does not match any outer indentation level");
  CHECK(parse("if a:\n    pass\n        x = 1") == "error 3:9: unexpected indent");
}

TEST_CASE("parser: loops") {
  CHECK(body("for i in range(0, n, BLOCK):\n    acc += i") ==
        "(for i (call range 0 n BLOCK)\n  (augassign += acc i))");
  CHECK(body("for k in tl.range(0, K, num_stages=3):\n    pass") ==
        "(for k (call (. tl range) 0 K (kw num_stages 3))\n  (pass))");
  CHECK(body("for i in tl.static_range(4): pass") ==
        "(for i (call (. tl static_range) 4)\n  (pass))");
  CHECK(body("for a, b in x:\n    pass") == "(for (tuple a b) x\n  (pass))");
  CHECK(body("for (a, b) in x, y:\n    pass") == "(for (tuple a b) (tuple x y)\n  (pass))");
  CHECK(body("while i < n:\n    i += 1\n    if i > 3:\n        break\n    continue") ==
        "(while (cmp i < n)\n  (augassign += i 1)\n  (if (cmp i > 3)\n    (then\n"
        "      (break)))\n  (continue))");

  CHECK(body("for i range(n):\n    pass") ==
        "error 1:7: expected 'in' after the 'for' loop variable, found 'range'");
  CHECK(body("for f() in x:\n    pass") == "error 1:5: cannot assign to a function call");
  CHECK(body("for i in x\n    pass") == "error 1:11: expected ':' after 'for' header");
  CHECK(body("for i in x:\n    pass\nelse:\n    pass") ==
        "error 3:1: an 'else' clause on a 'for' loop is not supported");
  CHECK(body("while x:\n    pass\nelse:\n    pass") ==
        "error 3:1: an 'else' clause on a 'while' loop is not supported");
  CHECK(body("while x == 1\n    pass") == "error 1:13: expected ':' after 'while' condition");
}

TEST_CASE("parser: unsupported compound statements") {
  CHECK(body("try:\n    pass\nexcept E:\n    pass") ==
        "error 1:1: 'try' statements are not supported");
  CHECK(body("with a as b:\n    pass") == "error 1:1: 'with' statements are not supported");
  CHECK(parse("async def f():\n    pass") == "error 1:1: 'async' is not supported");
}

//===--- Definitions and imports --------------------------------------------------------------===//

TEST_CASE("parser: a whole kernel file") {
  const char *src = R"(import triton
import triton.language as tl
from common import rms_scale

EPS: tl.constexpr = 1e-6
X = 3

@triton.jit
def add_kernel(x_ptr: *fp32, y_ptr: *fp32:16, out_ptr: *fp32, n: i32,
               BLOCK: tl.constexpr = 1024):
    pid = tl.program_id(axis=0)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask)
    tl.store(out_ptr + offs, x, mask=mask)
)";
  CHECK(parse(src) == R"((module
  (import triton)
  (import (triton.language as tl))
  (from common import rms_scale)
  (annassign EPS (constexpr tl.constexpr) 1e-06)
  (assign X 3)
  (def add_kernel
    (decorator (. triton jit))
    (param x_ptr (type *fp32))
    (param y_ptr (type *fp32:16))
    (param out_ptr (type *fp32))
    (param n (type i32))
    (param BLOCK (constexpr tl.constexpr) (default 1024))
    (body
      (assign pid (call (. tl program_id) (kw axis 0)))
      (assign offs (+ (* pid BLOCK) (call (. tl arange) 0 BLOCK)))
      (assign mask (cmp offs < n))
      (assign x (call (. tl load) (+ x_ptr offs) (kw mask mask)))
      (expr (call (. tl store) (+ out_ptr offs) x (kw mask mask)))))))");

  auto m = parseOk(src);
  const FunctionDef *fn = m->function("add_kernel");
  REQUIRE(fn);
  CHECK(m->function("nope") == nullptr);
  CHECK(fn->allParamsAnnotated());
  CHECK(loc(fn->nameRange) == "9:5-9:15");
  CHECK(loc(fn->range) == "9:1-10:44");
  CHECK(fn->params.size() == 5);
  const Param *y = fn->param("y_ptr");
  REQUIRE(y);
  CHECK(loc(y->nameRange) == "9:30-9:35");
  CHECK(loc(y->range) == "9:30-9:45");
  auto *yt = cast<TypeAnnotation>(y->annotation.get());
  CHECK(yt->isPointer());
  CHECK(yt->pointerDepth == 1);
  CHECK(yt->scalar == "fp32");
  CHECK(*yt->divisibility == 16);
  CHECK(loc(yt->range) == "9:37-9:45");
  CHECK(loc(yt->scalarRange) == "9:38-9:42");
  CHECK(loc(yt->divisibilityRange) == "9:43-9:45");
  const Param *block = fn->param("BLOCK");
  CHECK(isa<ConstexprAnnotation>(block->annotation.get()));
  CHECK(cast<IntLiteral>(block->defaultValue.get())->value == 1024);
  CHECK(m->range.begin.line == 1);
  CHECK(m->fileId == 1);
}

TEST_CASE("parser: parameter annotations") {
  auto params = [](const std::string &sig) {
    std::string d = parse("def f(" + sig + "):\n    pass\n");
    if (d.rfind("error", 0) == 0)
      return d;
    // Keep only the (param ...) lines.
    std::string out;
    size_t p = 0;
    while ((p = d.find("(param ", p)) != std::string::npos) {
      size_t e = d.find('\n', p);
      out += (out.empty() ? "" : " ") + d.substr(p, e - p);
      p = e;
    }
    return out;
  };
  CHECK(params("a: i1, b: u64, c: fp8e4nv, d: bf16") ==
        "(param a (type i1)) (param b (type u64)) (param c (type fp8e4nv)) (param d (type bf16))");
  CHECK(params("p: **fp16") == "(param p (type **fp16))");
  CHECK(params("p: ***fp16") == "(param p (type ***fp16))");
  CHECK(params("p: * fp32 : 16") == "(param p (type *fp32:16))");
  CHECK(params("n: i64:16") == "(param n (type i64:16))");
  CHECK(params("B: constexpr") == "(param B (constexpr constexpr))");
  CHECK(params("B: triton.language.constexpr = 4") ==
        "(param B (constexpr triton.language.constexpr) (default 4))");
  CHECK(params("x: tl.tensor") == "(param x (annot (. tl tensor)))");
  CHECK(params("x: int") == "(param x (annot int))");
  CHECK(params("x: 'tl.tensor'") == "(param x (annot \"tl.tensor\"))");
  CHECK(params("x, y=2") == "(param x) (param y (default 2))");
  CHECK(params("x,") == "(param x)");
  CHECK(params("") == "");

  CHECK(params("p: *float32") == "error 1:11: unknown scalar type 'float32' in pointer annotation "
                                 "(one of i1 i8 i16 i32 i64 u8 u16 u32 u64 fp8e4nv fp8e5 fp16 "
                                 "bf16 fp32 fp64)");
  CHECK(params("p: *") == "error 1:11: expected a scalar type after '*' (one of i1 i8 i16 i32 i64 "
                          "u8 u16 u32 u64 fp8e4nv fp8e5 fp16 bf16 fp32 fp64), found ')'");
  CHECK(params("p: *fp32:0") == "error 1:16: a divisibility hint must be a positive integer");
  CHECK(params("p: *fp32:x") ==
        "error 1:16: expected an integer divisibility hint after ':' in type '*fp32', found 'x'");
  CHECK(params("B: tl.constexpr:16") ==
        "error 1:22: a divisibility hint (':16') applies only to scalar and pointer types");
  CHECK(params("*args") == "error 1:7: '*args' parameters are not supported");
  CHECK(params("a, *, b") == "error 1:10: keyword-only parameters ('*') are not supported");
  CHECK(params("**kw") == "error 1:7: '**kwargs' parameters are not supported");
  CHECK(params("a, /") == "error 1:10: positional-only parameters ('/') are not supported");
  CHECK(params("a=1, b") ==
        "error 1:12: parameter 'b' without a default follows a parameter with a default");
  CHECK(params("a, a") == "error 1:10: duplicate parameter 'a' in function definition");
  CHECK(params("a b") == "error 1:9: expected ',' or ')' in the parameter list, found 'b'");
  CHECK(params("1") == "error 1:7: expected a parameter name, found integer literal '1'");
  CHECK(parse("def f(a:\n    pass") == "error 1:6: '(' was never closed");
  CHECK(parse("def f(a)\n    pass") == "error 1:9: expected ':' after the function signature");
  CHECK(parse("def (a):\n    pass") == "error 1:5: expected a function name after 'def'");
  CHECK(parse("def f:\n    pass") == "error 1:6: expected '(' after the function name");
}

TEST_CASE("parser: decorators, return annotations, helpers") {
  CHECK(parse("@jit\ndef f(a, b) -> tl.tensor:\n    return a + b\n") ==
        "(module\n  (def f\n    (decorator jit)\n    (param a)\n    (param b)\n"
        "    (returns (. tl tensor))\n    (body\n      (return (+ a b)))))");
  CHECK(parse("@triton.autotune(configs=[triton.Config({'B': 64}, num_warps=4)], key=['n'])\n"
              "@triton.jit\ndef k(n: i32): pass\n") ==
        "(module\n  (def k\n"
        "    (decorator (call (. triton autotune) (kw configs (list (call (. triton Config) "
        "(dict (\"B\" 64)) (kw num_warps 4)))) (kw key (list \"n\"))))\n"
        "    (decorator (. triton jit))\n    (param n (type i32))\n    (body\n      (pass))))");
  CHECK(parse("@jit\nx = 1\n") == "error 2:1: expected 'def' after decorator, found 'x'");
  CHECK(parse("@jit x\ndef f(): pass\n") ==
        "error 1:6: expected end of line after decorator, found 'x'");

  auto m = parseOk("@jit\ndef helper(x, y: i32):\n    return x\n");
  CHECK_FALSE(cast<FunctionDef>(m->body[0].get())->allParamsAnnotated());
}

TEST_CASE("parser: imports") {
  CHECK(parse("import triton") == "(module\n  (import triton))");
  CHECK(parse("import triton.language as tl") == "(module\n  (import (triton.language as tl)))");
  CHECK(parse("import a, b.c") == "(module\n  (import a b.c))");
  CHECK(parse("from common import f, g as h") == "(module\n  (from common import f (g as h)))");
  CHECK(parse("from triton.language.extra import libdevice") ==
        "(module\n  (from triton.language.extra import libdevice))");
  CHECK(parse("from pkg.mod import (f,\n    g,)") == "(module\n  (from pkg.mod import f g))");
  CHECK(parse("from . import x") == "(module\n  (from . import x))");
  CHECK(parse("from ...a import x") == "(module\n  (from ...a import x))");
  CHECK(parse("from m import *") ==
        "error 1:15: 'from ... import *' is not supported; name the functions to import");
  CHECK(parse("from m") == "error 1:7: expected 'import' after the module name, found end of line");
  CHECK(parse("import") == "error 1:7: expected a module name after 'import', found end of line");
  CHECK(parse("import a.") == "error 1:10: expected a name after '.' in the module name, found "
                              "end of line");
  CHECK(parse("import a as") == "error 1:12: expected a name after 'as', found end of line");

  auto m = parseOk("import triton.language\nimport triton.language as tl\nfrom m import f as g");
  CHECK(cast<Import>(m->body[0].get())->names[0].boundName() == "triton");
  CHECK(cast<Import>(m->body[1].get())->names[0].boundName() == "tl");
  auto *from = cast<ImportFrom>(m->body[2].get());
  CHECK(from->names[0].boundName() == "g");
  CHECK(loc(from->moduleRange) == "3:6-3:7");
  CHECK(loc(from->names[0].range) == "3:15-3:16");
  CHECK(loc(from->names[0].asRange) == "3:20-3:21");
}

TEST_CASE("parser: other top-level Python") {
  CHECK(parse("if __name__ == '__main__':\n    main()\n") ==
        "(module\n  (if (cmp __name__ == \"__main__\")\n    (then\n      (expr (call main)))))");
  CHECK(parse("class C(Base, metaclass=M):\n    def m(self):\n        return 1\n") ==
        "(module\n  (class C\n    (base Base)\n    (kw metaclass M)\n    (body\n"
        "      (def m\n        (param self)\n        (body\n          (return 1))))))");
  CHECK(parse("class C:\n    return 1\n") == "error 2:5: 'return' outside function");
  CHECK(parse("\n\n# comment\n\n") == "(module)");
  CHECK(parse("  x = 1") == "error 1:3: unexpected indent");
}

//===--- Errors, limits, robustness -----------------------------------------------------------===//

TEST_CASE("parser: lexical errors surface through parseModule") {
  CHECK(parse("def f():\n\tpass\n") == "error 2:1: tabs are not allowed in indentation");
  CHECK(parse("x = f(1,\n") == "error 1:6: '(' was never closed");
  CHECK(parse("x = 99999999999999999999") ==
        "error 1:5: integer literal is too large (the limit is 2**63 - 1)");
}

TEST_CASE("parser: diagnostics are rendered with the file and a caret") {
  SourceManager sources;
  DiagnosticEngine diags;
  uint32_t id = sources.addFile("k.tt", "def f(x):\n    if x\n        pass\n");
  CHECK(parseModule(sources, id, diags) == nullptr);
  REQUIRE(diags.numErrors() == 1);
  CHECK(formatDiagnostic(diags.diagnostics()[0], sources, false) ==
        "k.tt:2:9: error: expected ':' after 'if' condition\n    if x\n        ^\n");
}

TEST_CASE("parser: nesting limits") {
  // Just under the limit parses; beyond it is a located error, not a stack overflow.
  CHECK(expr(repeat("(", 150) + "x" + repeat(")", 150)) == "x");
  CHECK(expr(repeat("(", 250) + "x" + repeat(")", 250)) ==
        "error 1:201: expression nesting is too deep (limit 200)");
  CHECK(expr(repeat("(", 100000) + "x" + repeat(")", 100000)) ==
        "error 1:201: expression nesting is too deep (limit 200)");
  CHECK(expr(repeat("[", 300) + repeat("]", 300)) ==
        "error 1:201: expression nesting is too deep (limit 200)");
  CHECK(expr(repeat("-", 300) + "x") == "error 1:200: expression nesting is too deep (limit 200)");
  CHECK(expr(repeat("not ", 300) + "x").find("expression nesting is too deep") !=
        std::string::npos);
  CHECK(expr("x" + repeat(" ** x", 300)).find("expression nesting is too deep") !=
        std::string::npos);
  CHECK(expr("x" + repeat(" if c else x", 300)).find("expression nesting is too deep") !=
        std::string::npos);
  // Left-associative chains are length, not depth (Python takes thousands of terms); they only
  // count towards the tree's height, bounded at 10000 levels.
  CHECK(expr("a" + repeat(" + a", 150)).rfind("(+ (+", 0) == 0);
  // (600 terms, past the nesting limit of 200: the dump below recurses per level, on the 8 MiB main
  // stack of this test even under ASan; the compiler itself parses and walks on a 1 GiB stack.)
  CHECK(expr("a" + repeat(" + a", 600)).rfind("(+ (+", 0) == 0);
  CHECK(expr("a" + repeat(".b", 300)).find("error") == std::string::npos);
  CHECK(expr("f" + repeat("()", 300)).find("error") == std::string::npos);
  CHECK(expr("a" + repeat(" + a", 10001)).find("syntax tree would be more than 10000 levels") !=
        std::string::npos);
  CHECK(expr("a" + repeat(".b", 10001)).find("syntax tree would be more than 10000 levels") !=
        std::string::npos);
  // Depth inside a long chain still counts as depth.
  CHECK(expr("a + a + " + repeat("(", 250) + "x" + repeat(")", 250))
            .find("expression nesting is too deep") != std::string::npos);
  // Flat constructs do not.
  CHECK(expr("a" + repeat(" and a", 1000)).rfind("(and a a", 0) == 0);
  CHECK(expr("[" + repeat("1, ", 5000) + "]").rfind("(list 1 1", 0) == 0);

  // Blocks.
  std::string nested;
  for (int i = 0; i < 250; ++i)
    nested += std::string(i, ' ') + "if x:\n";
  nested += std::string(250, ' ') + "pass\n";
  CHECK(parse(nested).find("block nesting is too deep (limit 200)") != std::string::npos);
  // An elif ladder is length too.
  std::string ladder = "if a:\n    pass\n";
  for (int i = 0; i < 300; ++i)
    ladder += "elif a:\n    pass\n";
  CHECK(parse(ladder).find("error") == std::string::npos);
  for (int i = 0; i < 10000; ++i)
    ladder += "elif a:\n    pass\n";
  CHECK(parse(ladder).find("syntax tree would be more than 10000 levels") != std::string::npos);
}

TEST_CASE("parser: never crashes on damaged input") {
  // Every prefix of a kernel, and the kernel with each single character removed, either parses
  // or yields exactly one located error (run under ASan/UBSan in development).
  const std::string src = R"(import triton.language as tl
from common import f as g
EPS: tl.constexpr = 1e-6
@triton.jit
def k(x: *fp32:16, n: i32, B: tl.constexpr = 128):
    """doc"""
    offs = tl.program_id(0) * B + tl.arange(0, B)
    m = offs < n
    v = tl.load(x + offs, mask=m, other=0.0)[None, :]
    for i in tl.static_range(4):
        if i % 2 == 0 and v is not None: v += i ** 2
        elif i > 1:
            a, b = (v, -v) if m else [v, ~v]
        else:
            continue
    while n > 0: n -= 1; pass
    tl.store(x + offs, v.to(tl.float16), mask=m)
    return {'a': 1}
)";
  auto check = [](const std::string &text) {
    SourceManager sources;
    DiagnosticEngine diags;
    uint32_t id = sources.addFile("t.tt", text);
    std::unique_ptr<ast::Module> m = parseModule(sources, id, diags);
    if (m) {
      CHECK(diags.numErrors() == 0);
      (void)dump(*m);
    } else {
      CHECK(diags.numErrors() == 1);
      const Diagnostic &d = diags.diagnostics()[0];
      CHECK(d.range.begin.file == id);
      CHECK(d.range.begin.line >= 1);
      CHECK(d.range.begin.col >= 1);
    }
  };
  check(src);
  CHECK(parse(src).rfind("(module", 0) == 0);
  for (size_t i = 0; i <= src.size(); ++i) {
    check(src.substr(0, i));
    if (i < src.size())
      check(src.substr(0, i) + src.substr(i + 1));
  }
  const char *junk[] = {"\\",       "(",      ")",      "]",    "@",    ":",  "=",
                        "*",        "'",      "\"\"\"", "\x01", "\xff", "if", "def",
                        "for x in", "lambda", "\t",     " ",    "\n",   "\r"};
  for (const char *j : junk) {
    check(j);
    check(std::string("x = ") + j);
    check(std::string("def f():\n    ") + j + "\n");
  }
}
