// The parser: recursive descent over the token vector, one function per grammar rule of Python's
// grammar (the subset in docs/LANGUAGE.md, plus the kernel parameter type syntax).
//
// Strategy: the whole file is tokenized first, so lookahead is free. The first error is reported
// and a CompilationAborted exception unwinds to parseModule, which returns nullptr. Every
// recursive rule, and every iteration of a left-associative loop, goes through enterNesting(),
// which bounds both the C++ recursion and the height of the resulting tree.
#include "frontend/Parser.h"

#include "frontend/Lexer.h"

#include <functional>
#include <limits>
#include <set>

namespace tritonc {

using namespace ast;

namespace {

class Parser {
public:
  Parser(std::vector<Token> tokens, uint32_t fileId, DiagnosticEngine &diags, bool python = false)
      : toks_(std::move(tokens)), fileId_(fileId), diags_(&diags), python_(python) {}

  std::unique_ptr<Module> parseModule();
  ExprPtr parseWholeExpression();

private:
  //===--- Token access ---------------------------------------------------------------------===//

  const Token &cur() const { return toks_[pos_]; }
  /// The token `n` ahead of the current one (EndOfFile past the end).
  const Token &peek(size_t n = 1) const {
    return pos_ + n < toks_.size() ? toks_[pos_ + n] : toks_.back();
  }
  bool at(TokenKind k) const { return cur().kind == k; }
  const Token &advance() {
    const Token &t = toks_[pos_];
    if (t.kind != TokenKind::EndOfFile)
      ++pos_;
    return t;
  }
  bool accept(TokenKind k) {
    if (!at(k))
      return false;
    advance();
    return true;
  }
  const Token &expect(TokenKind k, const std::string &message) {
    if (!at(k))
      failAt(cur(), message);
    return advance();
  }
  /// End of the last consumed token: where the range of the node being built ends.
  SourceLoc prevEnd() const { return pos_ == 0 ? cur().range.begin : toks_[pos_ - 1].range.end; }
  SourceRange span(SourceLoc begin) const { return SourceRange(begin, prevEnd()); }

  [[noreturn]] void fail(SourceRange range, std::string message) {
    diags_->error(range, std::move(message));
    throw CompilationAborted();
  }
  [[noreturn]] void failAt(const Token &t, const std::string &message) { fail(t.range, message); }
  [[noreturn]] void failFound(const Token &t, const std::string &expected) {
    fail(t.range, expected + ", found " + describe(t));
  }

  //===--- Nesting bound ------------------------------------------------------------------===//

  /// Counts one level of nesting of expressions or of blocks, or one link of a chain; the
  /// caller undoes it with leaveNesting (or a NestingGuard). Depth (what the programmer nests:
  /// parentheses, calls' arguments, blocks) is bounded by kMaxNesting, expressions and blocks
  /// separately so that the message names what is too deep. A link (`a + b + c`, `x.a.b`,
  /// `f()()`, an elif) is length, not depth, but makes the tree one level taller: every level
  /// counts towards the tree's height, bounded by kMaxTreeHeight.
  enum class Nest { Expression, Block, Link };
  void enterNesting(SourceRange where, Nest what) {
    if (++height_ > parser::kMaxTreeHeight)
      fail(where, "expression or statement too long: its syntax tree would be more than " +
                      std::to_string(parser::kMaxTreeHeight) +
                      " levels tall (split it, e.g. into several assignments)");
    if (what == Nest::Link)
      return;
    unsigned &depth = what == Nest::Expression ? exprDepth_ : blockDepth_;
    if (++depth > parser::kMaxNesting)
      fail(where, std::string(what == Nest::Expression ? "expression" : "block") +
                      " nesting is too deep (limit " + std::to_string(parser::kMaxNesting) + ")");
  }
  void leaveNesting(Nest what, unsigned levels = 1) {
    height_ -= levels;
    if (what != Nest::Link)
      (what == Nest::Expression ? exprDepth_ : blockDepth_) -= levels;
  }
  struct NestingGuard {
    NestingGuard(Parser &p, SourceRange where, Nest what) : p(p), what(what) {
      p.enterNesting(where, what);
    }
    ~NestingGuard() { p.leaveNesting(what); }
    Parser &p;
    Nest what;
  };

  //===--- Statements -----------------------------------------------------------------------===//

  void parseStatement(Block &out);
  void parsePythonTopLevel(Block &out);
  StmtPtr parsePythonBranches();
  void parsePythonBlock(Block &out);
  void skipPastHeaderColon();
  bool tryParsePython(Block &out);
  bool tentatively(const std::function<void(Block &)> &parse, Block *out = nullptr);
  void skipStatement();
  bool atJitDecorator() const;
  void parseSimpleStatements(Block &out);
  StmtPtr parseSimpleStatement();
  StmtPtr parseExpressionStatement();
  void parseBlock(Block &out, const char *construct, const Token &header);
  StmtPtr parseIf(bool isElif);
  StmtPtr parseFor();
  StmtPtr parseWhile();
  StmtPtr parseFunctionDef(std::vector<ExprPtr> decorators);
  StmtPtr parseClassDef(std::vector<ExprPtr> decorators);
  StmtPtr parseDecorated();
  StmtPtr parseImport();
  StmtPtr parseImportFrom();
  std::string parseDottedName(SourceRange &range);
  ImportAlias parseImportAlias(bool dotted);
  void rejectLoopElse(const char *loop);
  void checkTarget(const Expr &e, const char *context);
  AnnotationPtr parseAnnotation();

  //===--- Expressions ----------------------------------------------------------------------===//

  bool startsExpression(const Token &t) const;
  ExprPtr parseStarExpressions();
  ExprPtr parseStarExpression();
  ExprPtr parseTargetList();
  ExprPtr parseExpression();
  ExprPtr parseOr();
  ExprPtr parseAnd();
  ExprPtr parseNot();
  ExprPtr parseComparison();
  ExprPtr parseBinary(int level);
  ExprPtr parseBitOr() { return parseBinary(0); }
  ExprPtr parseUnary();
  ExprPtr parsePower();
  ExprPtr parsePrimary();
  ExprPtr parseAtom();
  ExprPtr parseParenthesized();
  ExprPtr parseListDisplay();
  ExprPtr parseDictDisplay();
  ExprPtr parseStrings();
  void parseCallArguments(std::vector<ExprPtr> &args, std::vector<Keyword> &keywords);
  ExprPtr parseSubscriptIndex();
  void rejectComprehension(const char *what);

  std::vector<Token> toks_;
  size_t pos_ = 0;
  uint32_t fileId_;
  DiagnosticEngine *diags_; // a pointer: tryParsePython swaps in a scratch engine
  /// A .py file: top-level Python outside the language is skipped, not an error.
  bool python_ = false;
  unsigned exprDepth_ = 0;
  unsigned blockDepth_ = 0;
  unsigned height_ = 0;        ///< levels of the tree being built, links of chains included
  unsigned functionDepth_ = 0; ///< > 0 inside a def (for "'return' outside function")
};

//===------------------------------------------------------------------------------------------===//
// Module and statements
//===------------------------------------------------------------------------------------------===//

std::unique_ptr<Module> Parser::parseModule() {
  SourceLoc begin{fileId_, 1, 1};
  auto module = std::make_unique<Module>(SourceRange(begin), fileId_);
  while (!at(TokenKind::EndOfFile)) {
    if (at(TokenKind::Indent))
      failAt(cur(), "unexpected indent");
    if (python_)
      parsePythonTopLevel(module->body);
    else
      parseStatement(module->body);
  }
  module->range = SourceRange(begin, cur().range.end);
  return module;
}

ExprPtr Parser::parseWholeExpression() {
  if (at(TokenKind::Indent))
    failAt(cur(), "unexpected indent");
  if (!startsExpression(cur()))
    failFound(cur(), "expected an expression");
  ExprPtr e = parseStarExpressions();
  accept(TokenKind::Newline);
  if (!at(TokenKind::EndOfFile))
    failFound(cur(), "expected end of expression");
  return e;
}

// A .py file (Triton compatibility) is a Python program of which only the @jit functions, the
// imports and the simple module-level assignments matter; everything else (classes, plain defs,
// `if __name__ == "__main__":`, try/with, autotune decorators) is host code that may use any
// Python, so it is skipped by its token extent rather than parsed.
void Parser::parsePythonTopLevel(Block &out) {
  switch (cur().kind) {
  case TokenKind::At: {
    // A def with a jit decorator is parsed as usual (its errors are errors). Other decorators
    // (@triton.autotune / @triton.heuristics configs, @libentry(), a project's alias of
    // triton.jit) are kept when they parse and dropped when they do not; the def they decorate
    // is then read tentatively, like any plain def.
    std::vector<ExprPtr> decorators;
    bool jit = false;
    while (at(TokenKind::At)) {
      bool isJit = atJitDecorator();
      jit = jit || isJit;
      size_t savedPos = pos_;
      ExprPtr d;
      bool ok = tentatively([&](Block &) {
        advance();
        ExprPtr e = parseExpression();
        if (!at(TokenKind::Newline))
          failFound(cur(), "expected end of line after decorator");
        advance();
        d = std::move(e);
      });
      if (ok)
        decorators.push_back(std::move(d));
      else {
        if (isJit) { // report the error
          pos_ = savedPos;
          advance();
          decorators.push_back(parseExpression());
          failFound(cur(), "expected end of line after decorator");
        }
        while (!at(TokenKind::Newline) && !at(TokenKind::EndOfFile))
          advance();
        accept(TokenKind::Newline);
      }
    }
    if (at(TokenKind::KwDef) && jit)
      out.push_back(parseFunctionDef(std::move(decorators)));
    else if (!at(TokenKind::KwDef) ||
             !tentatively([&](Block &b) { b.push_back(parseFunctionDef(std::move(decorators))); },
                          &out))
      skipStatement();
    return;
  }
  case TokenKind::KwDef:
    // A plain def: host code, or a helper that `triton.jit(f)` or --kernel makes a jit
    // function. Kept if it parses.
    if (!tentatively([&](Block &b) { b.push_back(parseFunctionDef({})); }, &out))
      skipStatement();
    return;
  case TokenKind::KwIf:
  case TokenKind::KwTry:
    out.push_back(parsePythonBranches());
    return;
  case TokenKind::KwImport:
  case TokenKind::KwFrom:
  case TokenKind::Identifier:
  case TokenKind::StringLiteral:
    if (!tryParsePython(out))
      skipStatement();
    return;
  default:
    // class, with, while, ...
    skipStatement();
  }
}

/// A module-level `if` / `try` of a .py file (the usual guarded import, e.g. a libdevice
/// fallback): an If whose branches hold top-level statements parsed as above. `try` has no
/// test (its body is the then-branch, the first `except` the else-branch, the next `except`s
/// nested elses); an `if` keeps its test when the test parses.
StmtPtr Parser::parsePythonBranches() {
  const Token &kw = advance(); // 'if', 'elif' or 'try'
  NestingGuard guard(*this, kw.range, Nest::Block);
  ExprPtr test;
  if (kw.kind != TokenKind::KwTry) {
    if (!tentatively([&](Block &) {
          test = parseExpression();
          if (!at(TokenKind::Colon))
            failFound(cur(), "expected ':'");
        }))
      test = nullptr;
  }
  skipPastHeaderColon();
  auto node = std::make_unique<If>(span(kw.range.begin), std::move(test));
  node->isElif = kw.kind == TokenKind::KwElif;
  parsePythonBlock(node->body);
  if (kw.kind == TokenKind::KwTry) {
    If *handlerParent = node.get();
    bool first = true;
    while (at(TokenKind::KwExcept)) {
      const Token &ex = advance();
      skipPastHeaderColon();
      if (first) {
        parsePythonBlock(handlerParent->orelse);
        first = false;
        continue;
      }
      auto next = std::make_unique<If>(span(ex.range.begin), nullptr);
      next->isElif = true;
      parsePythonBlock(next->body);
      If *raw = next.get();
      handlerParent->orelse.push_back(std::move(next));
      handlerParent = raw;
    }
    if (at(TokenKind::KwElse)) { // runs when the body raised nothing: part of the body's branch
      advance();
      skipPastHeaderColon();
      parsePythonBlock(node->body);
    }
    if (at(TokenKind::KwFinally)) { // runs on both paths; nothing in it matters to kernels
      advance();
      skipPastHeaderColon();
      Block ignored;
      parsePythonBlock(ignored);
    }
    return node;
  }
  if (at(TokenKind::KwElif)) {
    node->orelse.push_back(parsePythonBranches());
  } else if (at(TokenKind::KwElse)) {
    advance();
    skipPastHeaderColon();
    parsePythonBlock(node->orelse);
  }
  return node;
}

/// Skips a compound statement's header up to and including its ':' (brackets may hold ':').
void Parser::skipPastHeaderColon() {
  int depth = 0;
  while (!at(TokenKind::EndOfFile) && !at(TokenKind::Newline)) {
    TokenKind k = advance().kind;
    if (k == TokenKind::LParen || k == TokenKind::LBracket || k == TokenKind::LBrace)
      ++depth;
    else if (k == TokenKind::RParen || k == TokenKind::RBracket || k == TokenKind::RBrace)
      --depth;
    else if (k == TokenKind::Colon && depth <= 0)
      return;
  }
  failFound(cur(), "expected ':'");
}

/// The block after a module-level compound header of a .py file, read like the top level.
void Parser::parsePythonBlock(Block &out) {
  if (!at(TokenKind::Newline)) { // `try: import x` on one line
    if (!tryParsePython(out))
      skipStatement();
    return;
  }
  advance();
  if (!at(TokenKind::Indent))
    failFound(cur(), "expected an indented block");
  advance();
  while (!at(TokenKind::Dedent) && !at(TokenKind::EndOfFile))
    parsePythonTopLevel(out);
  accept(TokenKind::Dedent);
}

/// `@jit`, `@triton.jit`, `@triton.jit(...)`, `@tl.jit`: the current token is the '@'.
bool Parser::atJitDecorator() const {
  size_t i = 1;
  if (peek(i).kind == TokenKind::Identifier && peek(i + 1).kind == TokenKind::Dot) {
    i += 2;
  }
  return peek(i).kind == TokenKind::Identifier && peek(i).text == "jit" &&
         (peek(i + 1).kind == TokenKind::Newline || peek(i + 1).kind == TokenKind::LParen);
}

/// Parses one simple top-level statement line; on a syntax error nothing is reported, the
/// position is restored and false is returned (the caller skips the line as host code).
/// `tentatively` does the same for any parse: on success the statements go to `out`.
bool Parser::tryParsePython(Block &out) {
  return tentatively([&](Block &b) { parseSimpleStatements(b); }, &out);
}

bool Parser::tentatively(const std::function<void(Block &)> &parse, Block *out) {
  size_t savedPos = pos_;
  unsigned savedExpr = exprDepth_, savedBlock = blockDepth_, savedFn = functionDepth_;
  unsigned savedHeight = height_;
  DiagnosticEngine scratch;
  Block tmp;
  if (!attemptQuietly(diags_, scratch, [&] { parse(tmp); })) {
    pos_ = savedPos;
    exprDepth_ = savedExpr;
    blockDepth_ = savedBlock;
    height_ = savedHeight;
    functionDepth_ = savedFn;
    return false;
  }
  if (out)
    for (StmtPtr &s : tmp)
      out->push_back(std::move(s));
  return true;
}

/// Skips one top-level statement: its logical line and, for a compound statement, the indented
/// block after it (which the lexer brackets with Indent/Dedent).
void Parser::skipStatement() {
  int depth = 0;
  while (!at(TokenKind::EndOfFile)) {
    TokenKind k = advance().kind;
    if (k == TokenKind::Indent)
      ++depth;
    else if (k == TokenKind::Dedent && --depth <= 0)
      return;
    else if (k == TokenKind::Newline && depth == 0 && !at(TokenKind::Indent))
      return;
  }
}

void Parser::parseStatement(Block &out) {
  const Token &t = cur();
  switch (t.kind) {
  case TokenKind::KwIf:
    out.push_back(parseIf(false));
    return;
  case TokenKind::KwFor:
    out.push_back(parseFor());
    return;
  case TokenKind::KwWhile:
    out.push_back(parseWhile());
    return;
  case TokenKind::KwDef:
    out.push_back(parseFunctionDef({}));
    return;
  case TokenKind::KwClass:
    out.push_back(parseClassDef({}));
    return;
  case TokenKind::At:
    out.push_back(parseDecorated());
    return;
  case TokenKind::KwElif:
  case TokenKind::KwElse:
    failAt(t,
           "'" + std::string(t.text) + "' does not follow an 'if' block at the same indentation");
  case TokenKind::KwTry:
  case TokenKind::KwExcept:
  case TokenKind::KwFinally:
    failAt(t, "'try' statements are not supported");
  case TokenKind::KwWith:
    failAt(t, "'with' statements are not supported");
  case TokenKind::KwAsync:
    failAt(t, "'async' is not supported");
  case TokenKind::Indent:
    failAt(t, "unexpected indent");
  default:
    parseSimpleStatements(out);
  }
}

void Parser::parseSimpleStatements(Block &out) {
  while (true) {
    out.push_back(parseSimpleStatement());
    if (accept(TokenKind::Semicolon)) {
      if (at(TokenKind::Newline))
        break;
      continue;
    }
    if (!at(TokenKind::Newline)) {
      const Token &t = cur();
      if (t.kind == TokenKind::Colon)
        failAt(t, "unexpected ':' after statement");
      fail(t.range, "unexpected " + describe(t) + " after statement (expected end of line or ';')");
    }
    break;
  }
  expect(TokenKind::Newline, "expected end of line");
}

StmtPtr Parser::parseSimpleStatement() {
  const Token &t = cur();
  SourceLoc begin = t.range.begin;
  switch (t.kind) {
  case TokenKind::KwPass:
    advance();
    return std::make_unique<Pass>(t.range);
  case TokenKind::KwBreak:
    advance();
    return std::make_unique<Break>(t.range);
  case TokenKind::KwContinue:
    advance();
    return std::make_unique<Continue>(t.range);
  case TokenKind::KwReturn: {
    if (functionDepth_ == 0)
      failAt(t, "'return' outside function");
    advance();
    ExprPtr value;
    if (startsExpression(cur()))
      value = parseStarExpressions();
    return std::make_unique<Return>(span(begin), std::move(value));
  }
  case TokenKind::KwImport:
    return parseImport();
  case TokenKind::KwFrom:
    return parseImportFrom();
  case TokenKind::KwAssert: {
    advance();
    ExprPtr test = parseExpression();
    ExprPtr msg;
    if (accept(TokenKind::Comma))
      msg = parseExpression();
    return std::make_unique<Assert>(span(begin), std::move(test), std::move(msg));
  }
  case TokenKind::KwRaise: {
    advance();
    ExprPtr exc;
    if (startsExpression(cur())) {
      exc = parseExpression();
      if (at(TokenKind::KwFrom)) {
        advance();
        parseExpression();
      }
    }
    return std::make_unique<Raise>(span(begin), std::move(exc));
  }
  case TokenKind::KwGlobal:
  case TokenKind::KwNonlocal:
  case TokenKind::KwDel:
  case TokenKind::KwYield:
    failAt(t, "'" + std::string(t.text) + "' statements are not supported");
  default:
    return parseExpressionStatement();
  }
}

/// Augmented assignment operators and the binary operation each performs.
static bool augAssignOp(TokenKind k, BinaryOp &op) {
  switch (k) {
  case TokenKind::PlusEq:
    op = BinaryOp::Add;
    return true;
  case TokenKind::MinusEq:
    op = BinaryOp::Sub;
    return true;
  case TokenKind::StarEq:
    op = BinaryOp::Mul;
    return true;
  case TokenKind::SlashEq:
    op = BinaryOp::Div;
    return true;
  case TokenKind::DoubleSlashEq:
    op = BinaryOp::FloorDiv;
    return true;
  case TokenKind::PercentEq:
    op = BinaryOp::Mod;
    return true;
  case TokenKind::AtEq:
    op = BinaryOp::MatMul;
    return true;
  case TokenKind::AmpEq:
    op = BinaryOp::BitAnd;
    return true;
  case TokenKind::PipeEq:
    op = BinaryOp::BitOr;
    return true;
  case TokenKind::CaretEq:
    op = BinaryOp::BitXor;
    return true;
  case TokenKind::LShiftEq:
    op = BinaryOp::LShift;
    return true;
  case TokenKind::RShiftEq:
    op = BinaryOp::RShift;
    return true;
  case TokenKind::DoubleStarEq:
    op = BinaryOp::Pow;
    return true;
  default:
    return false;
  }
}

/// A short description of an expression for "cannot assign to ..." messages.
static std::string describeExpr(const Expr &e) {
  switch (e.kind()) {
  case NodeKind::Call:
    return "a function call";
  case NodeKind::IntLiteral:
  case NodeKind::FloatLiteral:
  case NodeKind::StringLiteral:
  case NodeKind::EllipsisLiteral:
  case NodeKind::Dict:
    return "a literal";
  case NodeKind::BoolLiteral:
    return cast<BoolLiteral>(&e)->value ? "True" : "False";
  case NodeKind::NoneLiteral:
    return "None";
  case NodeKind::Compare:
    return "a comparison";
  case NodeKind::BoolOp:
  case NodeKind::Binary:
  case NodeKind::Unary:
    return "an expression";
  case NodeKind::IfExp:
    return "a conditional expression";
  default:
    return "this expression";
  }
}

void Parser::checkTarget(const Expr &e, const char *context) {
  switch (e.kind()) {
  case NodeKind::Name:
  case NodeKind::Attribute:
  case NodeKind::Subscript:
    return;
  case NodeKind::Starred:
    checkTarget(*cast<Starred>(&e)->value, context);
    return;
  case NodeKind::Tuple:
    for (const ExprPtr &elt : cast<Tuple>(&e)->elts)
      checkTarget(*elt, context);
    return;
  case NodeKind::List:
    for (const ExprPtr &elt : cast<List>(&e)->elts)
      checkTarget(*elt, context);
    return;
  default:
    fail(e.range, std::string("cannot ") + context + " " + describeExpr(e));
  }
}

StmtPtr Parser::parseExpressionStatement() {
  SourceLoc begin = cur().range.begin;
  ExprPtr first = parseStarExpressions();

  // Annotated assignment: `target: annotation [= value]`.
  if (at(TokenKind::Colon)) {
    if (isa<Tuple>(first.get()))
      fail(first->range, "only a single target (not a tuple) can be annotated");
    if (!isa<Name>(first.get()) && !isa<Attribute>(first.get()) && !isa<Subscript>(first.get()))
      fail(first->range, "illegal target for annotation: " + describeExpr(*first));
    advance();
    AnnotationPtr annotation = parseAnnotation();
    ExprPtr value;
    if (accept(TokenKind::Assign))
      value = parseStarExpressions();
    return std::make_unique<AnnAssign>(span(begin), std::move(first), std::move(annotation),
                                       std::move(value));
  }

  // Augmented assignment: `target op= value`.
  BinaryOp op;
  if (augAssignOp(cur().kind, op)) {
    const Token &opTok = advance();
    if (!isa<Name>(first.get()) && !isa<Attribute>(first.get()) && !isa<Subscript>(first.get()))
      fail(first->range, "illegal target for augmented assignment: " + describeExpr(*first));
    ExprPtr value = parseStarExpressions();
    return std::make_unique<AugAssign>(span(begin), std::move(first), op, std::move(value),
                                       opTok.range);
  }

  // Assignment, possibly chained: `a = b = value`.
  if (at(TokenKind::Assign)) {
    std::vector<ExprPtr> targets;
    targets.push_back(std::move(first));
    ExprPtr value;
    while (accept(TokenKind::Assign)) {
      if (!startsExpression(cur()))
        failFound(cur(), "expected an expression after '='");
      value = parseStarExpressions();
      if (at(TokenKind::Assign))
        targets.push_back(std::move(value));
    }
    for (const ExprPtr &target : targets)
      checkTarget(*target, "assign to");
    auto assign = std::make_unique<Assign>(span(begin), std::move(value));
    assign->targets = std::move(targets);
    return assign;
  }

  if (auto *starred = dyn_cast<Starred>(first.get()))
    fail(starred->range, "cannot use a starred expression here");
  return std::make_unique<ExprStmt>(span(begin), std::move(first));
}

void Parser::parseBlock(Block &out, const char *construct, const Token &header) {
  NestingGuard guard(*this, header.range, Nest::Block);
  if (!at(TokenKind::Newline)) {
    // `if x: return 1` — simple statements on the header's line.
    parseSimpleStatements(out);
    return;
  }
  advance();
  if (!at(TokenKind::Indent))
    fail(cur().range, std::string("expected an indented block after ") + construct + " on line " +
                          std::to_string(header.range.begin.line));
  advance();
  while (!at(TokenKind::Dedent) && !at(TokenKind::EndOfFile))
    parseStatement(out);
  accept(TokenKind::Dedent);
}

StmtPtr Parser::parseIf(bool isElif) {
  const Token &kw = advance(); // 'if' or 'elif'
  const char *name = isElif ? "'elif'" : "'if'";
  if (!startsExpression(cur()))
    failFound(cur(), std::string("expected a condition after ") + name);
  ExprPtr test = parseExpression();
  if (!at(TokenKind::Colon)) {
    std::string msg = std::string("expected ':' after ") + name + " condition";
    if (at(TokenKind::Assign))
      msg += " (use '==' to compare)";
    failAt(cur(), msg);
  }
  advance();
  auto node = std::make_unique<If>(span(kw.range.begin), std::move(test));
  node->isElif = isElif;
  parseBlock(node->body, isElif ? "'elif' statement" : "'if' statement", kw);

  if (at(TokenKind::KwElif)) {
    // An elif ladder nests in orelse: a link, counted towards the tree's height.
    NestingGuard guard(*this, cur().range, Nest::Link);
    node->orelse.push_back(parseIf(true));
  } else if (at(TokenKind::KwElse)) {
    const Token &elseTok = advance();
    expect(TokenKind::Colon, "expected ':' after 'else'");
    parseBlock(node->orelse, "'else' statement", elseTok);
  }
  return node;
}

void Parser::rejectLoopElse(const char *loop) {
  if (at(TokenKind::KwElse))
    failAt(cur(), std::string("an 'else' clause on a '") + loop + "' loop is not supported");
}

StmtPtr Parser::parseFor() {
  const Token &kw = advance();
  if (!startsExpression(cur()))
    failFound(cur(), "expected a loop variable after 'for'");
  ExprPtr target = parseTargetList();
  if (!at(TokenKind::KwIn))
    failFound(cur(), "expected 'in' after the 'for' loop variable");
  checkTarget(*target, "assign to");
  advance();
  if (!startsExpression(cur()))
    failFound(cur(), "expected an iterable after 'in'");
  ExprPtr iter = parseStarExpressions();
  expect(TokenKind::Colon, "expected ':' after 'for' header");
  auto node = std::make_unique<For>(span(kw.range.begin), std::move(target), std::move(iter));
  parseBlock(node->body, "'for' statement", kw);
  rejectLoopElse("for");
  return node;
}

StmtPtr Parser::parseWhile() {
  const Token &kw = advance();
  if (!startsExpression(cur()))
    failFound(cur(), "expected a condition after 'while'");
  ExprPtr test = parseExpression();
  if (!at(TokenKind::Colon)) {
    std::string msg = "expected ':' after 'while' condition";
    if (at(TokenKind::Assign))
      msg += " (use '==' to compare)";
    failAt(cur(), msg);
  }
  advance();
  auto node = std::make_unique<While>(span(kw.range.begin), std::move(test));
  parseBlock(node->body, "'while' statement", kw);
  rejectLoopElse("while");
  return node;
}

StmtPtr Parser::parseDecorated() {
  std::vector<ExprPtr> decorators;
  while (accept(TokenKind::At)) {
    if (!startsExpression(cur()))
      failFound(cur(), "expected a decorator expression after '@'");
    decorators.push_back(parseExpression());
    if (!at(TokenKind::Newline))
      failFound(cur(), "expected end of line after decorator");
    advance();
  }
  if (at(TokenKind::KwDef))
    return parseFunctionDef(std::move(decorators));
  if (at(TokenKind::KwClass))
    return parseClassDef(std::move(decorators));
  failFound(cur(), "expected 'def' after decorator");
}

StmtPtr Parser::parseFunctionDef(std::vector<ExprPtr> decorators) {
  const Token &kw = advance(); // 'def'
  const Token &nameTok = expect(TokenKind::Identifier, "expected a function name after 'def'");
  expect(TokenKind::LParen, "expected '(' after the function name");

  auto fn = std::make_unique<FunctionDef>(SourceRange(kw.range.begin), std::string(nameTok.text),
                                          nameTok.range);
  fn->decorators = std::move(decorators);
  bool sawDefault = false;
  std::set<std::string, std::less<>> seen;
  while (!at(TokenKind::RParen)) {
    const Token &t = cur();
    if (t.kind == TokenKind::Star && peek().kind == TokenKind::Identifier)
      failAt(t, "'*args' parameters are not supported");
    if (t.kind == TokenKind::Star)
      failAt(t, "keyword-only parameters ('*') are not supported");
    if (t.kind == TokenKind::DoubleStar)
      failAt(t, "'**kwargs' parameters are not supported");
    if (t.kind == TokenKind::Slash)
      failAt(t, "positional-only parameters ('/') are not supported");
    if (t.kind != TokenKind::Identifier)
      failFound(t, "expected a parameter name");
    advance();

    Param p;
    p.name = std::string(t.text);
    p.nameRange = t.range;
    if (!seen.insert(p.name).second)
      failAt(t, "duplicate parameter '" + p.name + "' in function definition");
    if (accept(TokenKind::Colon))
      p.annotation = parseAnnotation();
    if (accept(TokenKind::Assign)) {
      if (!startsExpression(cur()))
        failFound(cur(), "expected a default value after '='");
      p.defaultValue = parseExpression();
      sawDefault = true;
    } else if (sawDefault) {
      failAt(t, "parameter '" + p.name + "' without a default follows a parameter with a default");
    }
    p.range = span(t.range.begin);
    fn->params.push_back(std::move(p));
    if (!accept(TokenKind::Comma))
      break;
  }
  if (!at(TokenKind::RParen)) {
    if (at(TokenKind::Colon) || at(TokenKind::Newline))
      failFound(cur(), "expected ')' to close the parameter list");
    failFound(cur(), "expected ',' or ')' in the parameter list");
  }
  advance();
  if (accept(TokenKind::Arrow)) {
    if (!startsExpression(cur()))
      failFound(cur(), "expected a return annotation after '->'");
    fn->returns = parseExpression();
  }
  expect(TokenKind::Colon, "expected ':' after the function signature");
  fn->range = span(kw.range.begin);

  ++functionDepth_;
  parseBlock(fn->body, "function definition", kw);
  --functionDepth_;
  return fn;
}

StmtPtr Parser::parseClassDef(std::vector<ExprPtr> decorators) {
  const Token &kw = advance(); // 'class'
  const Token &nameTok = expect(TokenKind::Identifier, "expected a class name after 'class'");
  auto cls = std::make_unique<ClassDef>(SourceRange(kw.range.begin), std::string(nameTok.text),
                                        nameTok.range);
  cls->decorators = std::move(decorators);
  if (accept(TokenKind::LParen))
    parseCallArguments(cls->bases, cls->keywords);
  expect(TokenKind::Colon, "expected ':' after the class name");
  cls->range = span(kw.range.begin);
  // A method body's `return` is inside a function; the class body itself is not.
  unsigned savedFunctionDepth = functionDepth_;
  functionDepth_ = 0;
  parseBlock(cls->body, "class definition", kw);
  functionDepth_ = savedFunctionDepth;
  return cls;
}

std::string Parser::parseDottedName(SourceRange &range) {
  const Token &first = expect(TokenKind::Identifier, "expected a module name");
  std::string name(first.text);
  while (at(TokenKind::Dot)) {
    advance();
    const Token &part = cur();
    if (part.kind != TokenKind::Identifier)
      failFound(part, "expected a name after '.' in the module name");
    advance();
    name += ".";
    name += part.text;
  }
  range = span(first.range.begin);
  return name;
}

ImportAlias Parser::parseImportAlias(bool dotted) {
  ImportAlias alias;
  if (dotted) {
    alias.name = parseDottedName(alias.range);
  } else {
    const Token &t = cur();
    if (t.kind != TokenKind::Identifier)
      failFound(t, "expected a name to import");
    advance();
    alias.name = std::string(t.text);
    alias.range = t.range;
  }
  if (accept(TokenKind::KwAs)) {
    const Token &t = cur();
    if (t.kind != TokenKind::Identifier)
      failFound(t, "expected a name after 'as'");
    advance();
    alias.asName = std::string(t.text);
    alias.asRange = t.range;
  }
  return alias;
}

StmtPtr Parser::parseImport() {
  const Token &kw = advance();
  auto node = std::make_unique<Import>(SourceRange(kw.range.begin));
  if (!at(TokenKind::Identifier))
    failFound(cur(), "expected a module name after 'import'");
  do {
    node->names.push_back(parseImportAlias(/*dotted=*/true));
  } while (accept(TokenKind::Comma));
  node->range = span(kw.range.begin);
  return node;
}

StmtPtr Parser::parseImportFrom() {
  const Token &kw = advance();
  auto node = std::make_unique<ImportFrom>(SourceRange(kw.range.begin));
  // Relative imports: `from . import x`, `from ..pkg import y` (`...` lexes as one token).
  while (at(TokenKind::Dot) || at(TokenKind::Ellipsis))
    node->level += advance().kind == TokenKind::Dot ? 1 : 3;
  if (at(TokenKind::Identifier))
    node->module = parseDottedName(node->moduleRange);
  else if (node->level == 0)
    failFound(cur(), "expected a module name after 'from'");
  if (!at(TokenKind::KwImport))
    failFound(cur(), "expected 'import' after the module name");
  advance();
  if (at(TokenKind::Star))
    failAt(cur(), "'from ... import *' is not supported; name the functions to import");
  bool parenthesized = accept(TokenKind::LParen);
  while (true) {
    node->names.push_back(parseImportAlias(/*dotted=*/false));
    if (!accept(TokenKind::Comma))
      break;
    if (parenthesized && at(TokenKind::RParen))
      break; // trailing comma
  }
  if (parenthesized)
    expect(TokenKind::RParen, "expected ',' or ')' in the import list");
  node->range = span(kw.range.begin);
  return node;
}

//===------------------------------------------------------------------------------------------===//
// Annotations
//===------------------------------------------------------------------------------------------===//

/// "tl.constexpr" etc. if `e` spells the constexpr annotation, else "".
static std::string constexprSpelling(const Expr &e) {
  if (auto *n = dyn_cast<Name>(&e))
    return n->id == "constexpr" ? "constexpr" : "";
  auto *a = dyn_cast<Attribute>(&e);
  if (!a || a->attr != "constexpr")
    return "";
  if (auto *base = dyn_cast<Name>(a->object.get()); base && base->id == "tl")
    return "tl.constexpr";
  if (auto *mid = dyn_cast<Attribute>(a->object.get()); mid && mid->attr == "language")
    if (auto *root = dyn_cast<Name>(mid->object.get()); root && root->id == "triton")
      return "triton.language.constexpr";
  return "";
}

AnnotationPtr Parser::parseAnnotation() {
  const Token &first = cur();
  SourceLoc begin = first.range.begin;

  // The type syntax: '*'* scalar [':' divisibility].
  unsigned stars = 0;
  while (at(TokenKind::Star) || at(TokenKind::DoubleStar))
    stars += advance().kind == TokenKind::Star ? 1 : 2;
  bool isScalarName = at(TokenKind::Identifier) && isScalarTypeName(cur().text);
  if (stars > 0 || isScalarName) {
    const Token &scalar = cur();
    if (!isScalarName) {
      std::string msg = "expected a scalar type after '*' (one of i1 i8 i16 i32 i64 u8 u16 u32 "
                        "u64 fp8e4nv fp8e5 fp16 bf16 fp32 fp64)";
      if (scalar.kind == TokenKind::Identifier)
        fail(scalar.range, "unknown scalar type '" + std::string(scalar.text) +
                               "' in pointer annotation (one of i1 i8 i16 i32 i64 u8 u16 u32 u64 "
                               "fp8e4nv fp8e5 fp16 bf16 fp32 fp64)");
      failFound(scalar, msg);
    }
    advance();
    auto type = std::make_unique<TypeAnnotation>(SourceRange(begin));
    type->pointerDepth = stars;
    type->scalar = std::string(scalar.text);
    type->scalarRange = scalar.range;
    if (at(TokenKind::Colon) && peek().kind == TokenKind::IntLiteral) {
      advance();
      const Token &div = advance();
      if (div.intValue <= 0)
        failAt(div, "a divisibility hint must be a positive integer");
      type->divisibility = div.intValue;
      type->divisibilityRange = div.range;
    } else if (at(TokenKind::Colon) && peek().kind != TokenKind::Newline) {
      failFound(peek(), "expected an integer divisibility hint after ':' in type '" +
                            std::string(stars, '*') + type->scalar + "'");
    }
    type->range = span(begin);
    return type;
  }

  if (!startsExpression(cur()))
    failFound(cur(), "expected a type annotation");
  ExprPtr e = parseExpression();
  SourceRange range = e->range;
  if (at(TokenKind::Colon) && peek().kind == TokenKind::IntLiteral)
    failAt(cur(), "a divisibility hint (':16') applies only to scalar and pointer types");
  std::string spelling = constexprSpelling(*e);
  if (!spelling.empty())
    return std::make_unique<ConstexprAnnotation>(range, spelling);
  return std::make_unique<ExprAnnotation>(range, std::move(e));
}

//===------------------------------------------------------------------------------------------===//
// Expressions
//===------------------------------------------------------------------------------------------===//

bool Parser::startsExpression(const Token &t) const {
  switch (t.kind) {
  case TokenKind::Identifier:
  case TokenKind::IntLiteral:
  case TokenKind::FloatLiteral:
  case TokenKind::StringLiteral:
  case TokenKind::KwTrue:
  case TokenKind::KwFalse:
  case TokenKind::KwNone:
  case TokenKind::KwNot:
  case TokenKind::KwLambda: // so that it reaches parseExpression's "not supported" error
  case TokenKind::KwAwait:
  case TokenKind::KwYield:
  case TokenKind::Ellipsis:
  case TokenKind::LParen:
  case TokenKind::LBracket:
  case TokenKind::LBrace:
  case TokenKind::Minus:
  case TokenKind::Plus:
  case TokenKind::Tilde:
  case TokenKind::Star:
    return true;
  default:
    return false;
  }
}

ExprPtr Parser::parseStarExpressions() {
  SourceLoc begin = cur().range.begin;
  ExprPtr first = parseStarExpression();
  if (!at(TokenKind::Comma))
    return first;
  auto tuple = std::make_unique<Tuple>(SourceRange(begin));
  tuple->elts.push_back(std::move(first));
  while (accept(TokenKind::Comma)) {
    if (!startsExpression(cur()))
      break; // trailing comma: `x = 1,`
    tuple->elts.push_back(parseStarExpression());
  }
  tuple->range = span(begin);
  return tuple;
}

ExprPtr Parser::parseStarExpression() {
  if (at(TokenKind::Star)) {
    const Token &star = advance();
    NestingGuard guard(*this, star.range, Nest::Expression);
    ExprPtr value = parseBitOr();
    return std::make_unique<Starred>(span(star.range.begin), std::move(value));
  }
  return parseExpression();
}

/// The targets of a `for` loop: like star_expressions, but at the bitwise-or level so that the
/// `in` that follows is not taken for a comparison.
ExprPtr Parser::parseTargetList() {
  SourceLoc begin = cur().range.begin;
  auto one = [&]() -> ExprPtr {
    if (at(TokenKind::Star)) {
      const Token &star = advance();
      ExprPtr value = parseBitOr();
      return std::make_unique<Starred>(span(star.range.begin), std::move(value));
    }
    return parseBitOr();
  };
  ExprPtr first = one();
  if (!at(TokenKind::Comma))
    return first;
  auto tuple = std::make_unique<Tuple>(SourceRange(begin));
  tuple->elts.push_back(std::move(first));
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::KwIn))
      break;
    tuple->elts.push_back(one());
  }
  tuple->range = span(begin);
  return tuple;
}

ExprPtr Parser::parseExpression() {
  NestingGuard guard(*this, cur().range, Nest::Expression);
  if (at(TokenKind::KwLambda))
    failAt(cur(), "lambda expressions are not supported");
  if (at(TokenKind::KwYield))
    failAt(cur(), "'yield' is not supported");
  if (at(TokenKind::KwAwait))
    failAt(cur(), "'await' is not supported");
  SourceLoc begin = cur().range.begin;
  ExprPtr body = parseOr();
  if (!at(TokenKind::KwIf))
    return body;
  advance();
  ExprPtr test = parseOr();
  if (!at(TokenKind::KwElse))
    failFound(cur(), "expected 'else' in conditional expression");
  advance();
  if (!startsExpression(cur()))
    failFound(cur(), "expected an expression after 'else'");
  ExprPtr orelse = parseExpression();
  return std::make_unique<IfExp>(span(begin), std::move(test), std::move(body), std::move(orelse));
}

ExprPtr Parser::parseOr() {
  SourceLoc begin = cur().range.begin;
  ExprPtr first = parseAnd();
  if (!at(TokenKind::KwOr))
    return first;
  auto node = std::make_unique<BoolOp>(SourceRange(begin), BoolOpKind::Or);
  node->values.push_back(std::move(first));
  while (accept(TokenKind::KwOr))
    node->values.push_back(parseAnd());
  node->range = span(begin);
  return node;
}

ExprPtr Parser::parseAnd() {
  SourceLoc begin = cur().range.begin;
  ExprPtr first = parseNot();
  if (!at(TokenKind::KwAnd))
    return first;
  auto node = std::make_unique<BoolOp>(SourceRange(begin), BoolOpKind::And);
  node->values.push_back(std::move(first));
  while (accept(TokenKind::KwAnd))
    node->values.push_back(parseNot());
  node->range = span(begin);
  return node;
}

ExprPtr Parser::parseNot() {
  if (at(TokenKind::KwNot)) {
    const Token &op = advance();
    NestingGuard guard(*this, op.range, Nest::Expression);
    ExprPtr operand = parseNot();
    return std::make_unique<Unary>(span(op.range.begin), UnaryOp::Not, std::move(operand));
  }
  return parseComparison();
}

ExprPtr Parser::parseComparison() {
  SourceLoc begin = cur().range.begin;
  ExprPtr left = parseBitOr();
  std::unique_ptr<Compare> node;
  while (true) {
    const Token &t = cur();
    CmpOp op;
    size_t length = 1;
    switch (t.kind) {
    case TokenKind::EqEq:
      op = CmpOp::Eq;
      break;
    case TokenKind::NotEq:
      op = CmpOp::Ne;
      break;
    case TokenKind::Less:
      op = CmpOp::Lt;
      break;
    case TokenKind::LessEq:
      op = CmpOp::Le;
      break;
    case TokenKind::Greater:
      op = CmpOp::Gt;
      break;
    case TokenKind::GreaterEq:
      op = CmpOp::Ge;
      break;
    case TokenKind::KwIn:
      op = CmpOp::In;
      break;
    case TokenKind::KwIs:
      if (peek().kind == TokenKind::KwNot) {
        op = CmpOp::IsNot;
        length = 2;
      } else {
        op = CmpOp::Is;
      }
      break;
    case TokenKind::KwNot:
      if (peek().kind != TokenKind::KwIn)
        failFound(peek(), "expected 'in' after 'not' in a comparison");
      op = CmpOp::NotIn;
      length = 2;
      break;
    default:
      return node ? std::move(node) : std::move(left);
    }
    SourceRange opRange(t.range.begin, peek(length - 1).range.end);
    for (size_t i = 0; i < length; ++i)
      advance();
    if (!node) {
      node = std::make_unique<Compare>(SourceRange(begin), std::move(left));
    }
    if (!startsExpression(cur()))
      failFound(cur(), "expected an expression after '" + std::string(spelling(op)) + "'");
    node->ops.push_back(op);
    node->opRanges.push_back(opRange);
    node->comparators.push_back(parseBitOr());
    node->range = span(begin);
  }
}

namespace {
/// Binary operator precedence levels, lowest first; all left-associative.
struct BinaryLevel {
  TokenKind tokens[5];
  BinaryOp ops[5];
  unsigned count;
};
constexpr BinaryLevel kBinaryLevels[] = {
    {{TokenKind::Pipe}, {BinaryOp::BitOr}, 1},
    {{TokenKind::Caret}, {BinaryOp::BitXor}, 1},
    {{TokenKind::Amp}, {BinaryOp::BitAnd}, 1},
    {{TokenKind::LShift, TokenKind::RShift}, {BinaryOp::LShift, BinaryOp::RShift}, 2},
    {{TokenKind::Plus, TokenKind::Minus}, {BinaryOp::Add, BinaryOp::Sub}, 2},
    {{TokenKind::Star, TokenKind::Slash, TokenKind::DoubleSlash, TokenKind::Percent, TokenKind::At},
     {BinaryOp::Mul, BinaryOp::Div, BinaryOp::FloorDiv, BinaryOp::Mod, BinaryOp::MatMul},
     5},
};
constexpr int kNumBinaryLevels = sizeof(kBinaryLevels) / sizeof(kBinaryLevels[0]);
} // namespace

ExprPtr Parser::parseBinary(int level) {
  if (level == kNumBinaryLevels)
    return parseUnary();
  SourceLoc begin = cur().range.begin;
  ExprPtr lhs = parseBinary(level + 1);
  const BinaryLevel &L = kBinaryLevels[level];
  unsigned chain = 0; // each operator nests the tree one level deeper on the left
  while (true) {
    const Token &t = cur();
    unsigned i = 0;
    while (i < L.count && L.tokens[i] != t.kind)
      ++i;
    if (i == L.count)
      break;
    advance();
    enterNesting(t.range, Nest::Link);
    ++chain;
    if (!startsExpression(cur()) || at(TokenKind::Star))
      failFound(cur(), "expected an expression after '" + std::string(t.text) + "'");
    ExprPtr rhs = parseBinary(level + 1);
    lhs = std::make_unique<Binary>(span(begin), L.ops[i], std::move(lhs), std::move(rhs), t.range);
  }
  leaveNesting(Nest::Link, chain);
  return lhs;
}

ExprPtr Parser::parseUnary() {
  const Token &t = cur();
  UnaryOp op;
  switch (t.kind) {
  case TokenKind::Minus:
    op = UnaryOp::Neg;
    break;
  case TokenKind::Plus:
    op = UnaryOp::Pos;
    break;
  case TokenKind::Tilde:
    op = UnaryOp::Invert;
    break;
  default:
    return parsePower();
  }
  if (op == UnaryOp::Neg && peek().kind == TokenKind::IntLiteral &&
      peek().intValue == std::numeric_limits<int64_t>::min() &&
      peek(2).kind != TokenKind::DoubleStar) {
    // -9223372036854775808: the one literal whose magnitude exceeds int64 (Python accepts it).
    advance();
    const Token &lit = advance();
    return std::make_unique<IntLiteral>(span(t.range.begin), lit.intValue,
                                        "-" + std::string(lit.text));
  }
  advance();
  NestingGuard guard(*this, t.range, Nest::Expression);
  ExprPtr operand = parseUnary();
  return std::make_unique<Unary>(span(t.range.begin), op, std::move(operand));
}

ExprPtr Parser::parsePower() {
  SourceLoc begin = cur().range.begin;
  ExprPtr base = parsePrimary();
  if (!at(TokenKind::DoubleStar))
    return base;
  const Token &op = advance();
  NestingGuard guard(*this, op.range, Nest::Expression);
  if (!startsExpression(cur()) || at(TokenKind::Star))
    failFound(cur(), "expected an expression after '**'");
  ExprPtr exponent = parseUnary(); // right-associative, and binds `2 ** -1`
  return std::make_unique<Binary>(span(begin), BinaryOp::Pow, std::move(base), std::move(exponent),
                                  op.range);
}

ExprPtr Parser::parsePrimary() {
  SourceLoc begin = cur().range.begin;
  ExprPtr e = parseAtom();
  unsigned chain = 0;
  while (true) {
    const Token &t = cur();
    if (t.kind == TokenKind::Dot) {
      advance();
      const Token &name = cur();
      if (name.kind != TokenKind::Identifier)
        failFound(name, "expected an attribute name after '.'");
      advance();
      enterNesting(t.range, Nest::Link);
      ++chain;
      e = std::make_unique<Attribute>(span(begin), std::move(e), std::string(name.text),
                                      name.range);
    } else if (t.kind == TokenKind::LParen) {
      advance();
      enterNesting(t.range, Nest::Link);
      ++chain;
      auto call = std::make_unique<Call>(SourceRange(begin), std::move(e));
      parseCallArguments(call->args, call->keywords);
      call->range = span(begin);
      e = std::move(call);
    } else if (t.kind == TokenKind::LBracket) {
      advance();
      enterNesting(t.range, Nest::Link);
      ++chain;
      auto sub = std::make_unique<Subscript>(SourceRange(begin), std::move(e));
      if (at(TokenKind::RBracket))
        failAt(cur(), "expected an index in the subscript");
      while (true) {
        sub->indices.push_back(parseSubscriptIndex());
        if (!accept(TokenKind::Comma) || at(TokenKind::RBracket))
          break;
      }
      if (!at(TokenKind::RBracket))
        failFound(cur(), "expected ',' or ']' in the subscript");
      advance();
      sub->range = span(begin);
      e = std::move(sub);
    } else {
      break;
    }
  }
  leaveNesting(Nest::Link, chain);
  return e;
}

void Parser::parseCallArguments(std::vector<ExprPtr> &args, std::vector<Keyword> &keywords) {
  // The '(' has been consumed.
  std::set<std::string, std::less<>> seen;
  while (!at(TokenKind::RParen)) {
    const Token &t = cur();
    if (t.kind == TokenKind::DoubleStar)
      failAt(t, "'**' argument unpacking is not supported");
    if (t.kind == TokenKind::Identifier && peek().kind == TokenKind::Assign) {
      advance();
      advance();
      if (!startsExpression(cur()))
        failFound(cur(), "expected a value for keyword argument '" + std::string(t.text) + "'");
      Keyword k;
      k.name = std::string(t.text);
      k.nameRange = t.range;
      k.value = parseExpression();
      if (!seen.insert(k.name).second)
        failAt(t, "keyword argument '" + k.name + "' repeated");
      keywords.push_back(std::move(k));
    } else {
      if (!startsExpression(t))
        failFound(t, "expected an argument or ')'");
      ExprPtr arg = parseStarExpression();
      rejectComprehension("generator expressions");
      if (!keywords.empty() && !isa<Starred>(arg.get()))
        fail(arg->range, "positional argument follows keyword argument");
      if (at(TokenKind::Assign))
        failAt(cur(), "expected ',' or ')' in the argument list (a keyword argument's name must "
                      "be a plain identifier)");
      args.push_back(std::move(arg));
    }
    if (!accept(TokenKind::Comma))
      break;
  }
  if (!at(TokenKind::RParen))
    failFound(cur(), "expected ',' or ')' in the argument list");
  advance();
}

ExprPtr Parser::parseSubscriptIndex() {
  SourceLoc begin = cur().range.begin;
  ExprPtr lower;
  if (!at(TokenKind::Colon)) {
    if (!startsExpression(cur()) || at(TokenKind::Star))
      failFound(cur(), "expected an index in the subscript");
    lower = parseExpression();
    if (!at(TokenKind::Colon))
      return lower;
  }
  // A slice: [lower] ':' [upper] [':' [step]].
  advance();
  auto slice = std::make_unique<Slice>(SourceRange(begin));
  slice->lower = std::move(lower);
  auto endsPart = [&] {
    return at(TokenKind::Colon) || at(TokenKind::Comma) || at(TokenKind::RBracket);
  };
  if (!endsPart())
    slice->upper = parseExpression();
  if (accept(TokenKind::Colon) && !at(TokenKind::Comma) && !at(TokenKind::RBracket))
    slice->step = parseExpression();
  slice->range = span(begin);
  return slice;
}

void Parser::rejectComprehension(const char *what) {
  if (at(TokenKind::KwFor) || at(TokenKind::KwAsync))
    failAt(cur(), std::string(what) + " are not supported");
}

ExprPtr Parser::parseAtom() {
  const Token &t = cur();
  switch (t.kind) {
  case TokenKind::Identifier:
    advance();
    return std::make_unique<Name>(t.range, std::string(t.text));
  case TokenKind::IntLiteral:
    advance();
    if (t.intValue == std::numeric_limits<int64_t>::min())
      fail(t.range, "integer literal is too large (the limit is 2**63 - 1)");
    return std::make_unique<IntLiteral>(t.range, t.intValue, std::string(t.text));
  case TokenKind::FloatLiteral:
    advance();
    return std::make_unique<FloatLiteral>(t.range, t.floatValue, std::string(t.text));
  case TokenKind::StringLiteral:
    return parseStrings();
  case TokenKind::KwTrue:
  case TokenKind::KwFalse:
    advance();
    return std::make_unique<BoolLiteral>(t.range, t.kind == TokenKind::KwTrue);
  case TokenKind::KwNone:
    advance();
    return std::make_unique<NoneLiteral>(t.range);
  case TokenKind::Ellipsis:
    advance();
    return std::make_unique<EllipsisLiteral>(t.range);
  case TokenKind::LParen:
    return parseParenthesized();
  case TokenKind::LBracket:
    return parseListDisplay();
  case TokenKind::LBrace:
    return parseDictDisplay();
  case TokenKind::KwLambda:
    failAt(t, "lambda expressions are not supported");
  case TokenKind::KwYield:
    failAt(t, "'yield' is not supported");
  case TokenKind::KwAwait:
    failAt(t, "'await' is not supported");
  default:
    failFound(t, "expected an expression");
  }
}

ExprPtr Parser::parseStrings() {
  const Token &first = cur();
  auto node = std::make_unique<StringLiteral>(first.range, "");
  node->isBytes = first.isBytes;
  // Adjacent literals concatenate, as in Python: "a" "b" == "ab".
  while (at(TokenKind::StringLiteral)) {
    const Token &t = advance();
    if (t.isBytes != node->isBytes)
      failAt(t, "cannot mix bytes and non-bytes literals");
    node->value += t.stringValue;
    node->isFormat = node->isFormat || t.isFormat;
  }
  node->range = span(first.range.begin);
  return node;
}

ExprPtr Parser::parseParenthesized() {
  const Token &open = advance();
  SourceLoc begin = open.range.begin;
  if (accept(TokenKind::RParen)) {
    auto empty = std::make_unique<Tuple>(span(begin));
    empty->parenthesized = true;
    return empty;
  }
  if (!startsExpression(cur()))
    failFound(cur(), "expected an expression after '('");
  ExprPtr first = parseStarExpression();
  if (at(TokenKind::Walrus))
    failAt(cur(), "assignment expressions (':=') are not supported");
  rejectComprehension("generator expressions");
  if (accept(TokenKind::RParen)) {
    if (isa<Starred>(first.get()))
      fail(first->range, "cannot use a starred expression here");
    // A parenthesized expression keeps its own range (Python's ast does the same).
    return first;
  }
  if (!at(TokenKind::Comma))
    failFound(cur(),
              "expected ')' to close the '(' on line " + std::to_string(open.range.begin.line));
  auto tuple = std::make_unique<Tuple>(SourceRange(begin));
  tuple->parenthesized = true;
  tuple->elts.push_back(std::move(first));
  while (accept(TokenKind::Comma)) {
    if (at(TokenKind::RParen))
      break;
    if (!startsExpression(cur()))
      failFound(cur(), "expected an expression or ')' in the tuple");
    tuple->elts.push_back(parseStarExpression());
  }
  if (!at(TokenKind::RParen))
    failFound(cur(), "expected ',' or ')' in the tuple");
  advance();
  tuple->range = span(begin);
  return tuple;
}

ExprPtr Parser::parseListDisplay() {
  const Token &open = advance();
  auto list = std::make_unique<List>(SourceRange(open.range.begin));
  while (!at(TokenKind::RBracket)) {
    if (!startsExpression(cur()))
      failFound(cur(), "expected an expression or ']' in the list");
    list->elts.push_back(parseStarExpression());
    rejectComprehension("list comprehensions");
    if (!accept(TokenKind::Comma))
      break;
  }
  if (!at(TokenKind::RBracket))
    failFound(cur(), "expected ',' or ']' in the list");
  advance();
  list->range = span(open.range.begin);
  return list;
}

ExprPtr Parser::parseDictDisplay() {
  const Token &open = advance();
  auto dict = std::make_unique<Dict>(SourceRange(open.range.begin));
  while (!at(TokenKind::RBrace)) {
    if (at(TokenKind::DoubleStar))
      failAt(cur(), "'**' dictionary unpacking is not supported");
    if (!startsExpression(cur()))
      failFound(cur(), "expected a key or '}' in the dictionary");
    ExprPtr key = parseExpression();
    if (!at(TokenKind::Colon)) {
      if (at(TokenKind::Comma) || at(TokenKind::RBrace))
        fail(SourceRange(open.range.begin), "set displays are not supported");
      rejectComprehension("set comprehensions");
      failFound(cur(), "expected ':' after the dictionary key");
    }
    advance();
    if (!startsExpression(cur()))
      failFound(cur(), "expected a value after ':' in the dictionary");
    dict->keys.push_back(std::move(key));
    dict->values.push_back(parseExpression());
    rejectComprehension("dictionary comprehensions");
    if (!accept(TokenKind::Comma))
      break;
  }
  if (!at(TokenKind::RBrace))
    failFound(cur(), "expected ',' or '}' in the dictionary");
  advance();
  dict->range = span(open.range.begin);
  return dict;
}

} // namespace

std::unique_ptr<Module> parseModule(const SourceManager &sources, uint32_t fileId,
                                    DiagnosticEngine &diags) {
  try {
    bool python = std::string_view(sources.path(fileId)).ends_with(".py");
    Parser parser(tokenize(sources, fileId, diags), fileId, diags, python);
    return parser.parseModule();
  } catch (const CompilationAborted &) {
    return nullptr;
  }
}

std::unique_ptr<Expr> parseExpression(SourceManager &sources, std::string name, std::string text,
                                      DiagnosticEngine &diags) {
  uint32_t fileId = sources.addFile(std::move(name), std::move(text));
  try {
    Parser parser(tokenize(sources, fileId, diags), fileId, diags);
    return parser.parseWholeExpression();
  } catch (const CompilationAborted &) {
    return nullptr;
  }
}

} // namespace tritonc
