// The abstract syntax tree of a .tt file: what the parser builds and sema consumes.
//
// The tree mirrors Python's `ast` module where the language (docs/LANGUAGE.md) is a
// subset of Python, with one addition: kernel parameter annotations (`*fp32:16`, `i32`,
// `tl.constexpr`) are parsed into dedicated annotation nodes instead of expressions.
//
// Design:
//  - Every node has a kind tag (NodeKind) and a SourceRange; `isa<T>/cast<T>/dyn_cast<T>` test
//    the tag (no RTTI). The kinds of each category (expressions, annotations, statements) are
//    contiguous in NodeKind so that `Expr::classof` is a range check.
//  - Children are owned through std::unique_ptr; a node never points at its parent.
//  - The parser only accepts what is syntactically valid Python (plus the annotation syntax); what
//    is valid Python but not part of the language (`@`, chained comparisons, `break`, `class`,
//    loops' targets that are not names, ...) is kept in the tree for sema to reject with context.
//  - The parser bounds the height of every tree (see Parser.h), so recursive walks over the AST,
//    including the destructors, cannot overflow the stack.
#pragma once

#include "support/Source.h"

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tritonc::ast {

enum class NodeKind : uint8_t {
  // Expressions (Expr).
  IntLiteral,
  FloatLiteral,
  StringLiteral,
  BoolLiteral,
  NoneLiteral,
  EllipsisLiteral,
  Name,
  Attribute,
  Call,
  Subscript,
  Slice,
  Starred,
  Tuple,
  List,
  Dict,
  Unary,
  Binary,
  BoolOp,
  Compare,
  IfExp,
  // Annotations (Annotation).
  TypeAnnotation,
  ConstexprAnnotation,
  ExprAnnotation,
  // Statements (Stmt).
  ExprStmt,
  Assign,
  AnnAssign,
  AugAssign,
  If,
  For,
  While,
  Return,
  Pass,
  Break,
  Continue,
  Assert,
  FunctionDef,
  ClassDef,
  Import,
  ImportFrom,
  // The root.
  Module,

  FirstExpr = IntLiteral,
  LastExpr = IfExp,
  FirstAnnotation = TypeAnnotation,
  LastAnnotation = ExprAnnotation,
  FirstStmt = ExprStmt,
  LastStmt = ImportFrom,
};

/// The name of a kind, e.g. "Binary" (for messages and debugging).
const char *kindName(NodeKind kind);

/// Base of every AST node.
class Node {
public:
  Node(const Node &) = delete;
  Node &operator=(const Node &) = delete;
  virtual ~Node() = default;

  NodeKind kind() const { return kind_; }
  SourceRange range;

protected:
  Node(NodeKind kind, SourceRange range) : range(range), kind_(kind) {}

private:
  NodeKind kind_;
};

// isa / cast / dyn_cast over the kind tags. Constrained to AST nodes so that they never compete
// in overload resolution with the IR's helpers of the same names.
template <typename T, typename U>
  requires std::is_base_of_v<Node, U>
bool isa(const U *node) {
  assert(node && "isa<> on a null node");
  return T::classof(node);
}
template <typename T, typename U>
  requires std::is_base_of_v<Node, U>
auto *cast(U *node) {
  assert(isa<T>(node) && "cast<> to the wrong node kind");
  using R = std::conditional_t<std::is_const_v<U>, const T, T>;
  return static_cast<R *>(node);
}
template <typename T, typename U>
  requires std::is_base_of_v<Node, U>
auto *dyn_cast(U *node) {
  using R = std::conditional_t<std::is_const_v<U>, const T, T>;
  return node && T::classof(node) ? static_cast<R *>(node) : static_cast<R *>(nullptr);
}

//===------------------------------------------------------------------------------------------===//
// Expressions
//===------------------------------------------------------------------------------------------===//

class Expr : public Node {
public:
  static bool classof(const Node *n) {
    return n->kind() >= NodeKind::FirstExpr && n->kind() <= NodeKind::LastExpr;
  }

protected:
  using Node::Node;
};
using ExprPtr = std::unique_ptr<Expr>;

/// `10`, `0x1F`, `1_000`. Python ints are unbounded; ours are int64 (the parser reports
/// literals that do not fit). A literal is never negative: `-1` is Unary(Neg, 1).
class IntLiteral : public Expr {
public:
  IntLiteral(SourceRange r, int64_t value, std::string spelling)
      : Expr(NodeKind::IntLiteral, r), value(value), spelling(std::move(spelling)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::IntLiteral; }

  int64_t value;
  std::string spelling; ///< as written, e.g. "0x1F"
};

/// `1.0`, `1e-6`, `.5`, `1.`, `2E+3`.
class FloatLiteral : public Expr {
public:
  FloatLiteral(SourceRange r, double value, std::string spelling)
      : Expr(NodeKind::FloatLiteral, r), value(value), spelling(std::move(spelling)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::FloatLiteral; }

  double value;
  std::string spelling;
};

/// A string literal, or several adjacent ones concatenated (`"a" "b"`), escapes decoded.
/// f-strings are kept undecoded (their text between the quotes) with `isFormat` set; sema decides
/// whether it can use them.
class StringLiteral : public Expr {
public:
  StringLiteral(SourceRange r, std::string value)
      : Expr(NodeKind::StringLiteral, r), value(std::move(value)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::StringLiteral; }

  std::string value;
  bool isBytes = false;  ///< b"..."
  bool isFormat = false; ///< f"..." (any part of a concatenation)
};

/// `True` / `False`.
class BoolLiteral : public Expr {
public:
  BoolLiteral(SourceRange r, bool value) : Expr(NodeKind::BoolLiteral, r), value(value) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::BoolLiteral; }

  bool value;
};

/// `None` (also `x[None, :]`, where it inserts a dimension).
class NoneLiteral : public Expr {
public:
  explicit NoneLiteral(SourceRange r) : Expr(NodeKind::NoneLiteral, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::NoneLiteral; }
};

/// `...` (e.g. `x[..., None]`).
class EllipsisLiteral : public Expr {
public:
  explicit EllipsisLiteral(SourceRange r) : Expr(NodeKind::EllipsisLiteral, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::EllipsisLiteral; }
};

/// An identifier used as a value or assignment target.
class Name : public Expr {
public:
  Name(SourceRange r, std::string id) : Expr(NodeKind::Name, r), id(std::move(id)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Name; }

  std::string id;
};

/// `object.attr`.
class Attribute : public Expr {
public:
  Attribute(SourceRange r, ExprPtr object, std::string attr, SourceRange attrRange)
      : Expr(NodeKind::Attribute, r), object(std::move(object)), attr(std::move(attr)),
        attrRange(attrRange) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Attribute; }

  ExprPtr object;
  std::string attr;
  SourceRange attrRange; ///< of the identifier after the dot
};

/// `name=value` in a call.
struct Keyword {
  std::string name;
  SourceRange nameRange;
  ExprPtr value;
};

/// `callee(args..., name=value...)`. Positional arguments may be Starred (`*values`); the parser
/// guarantees that no positional argument follows a keyword and that keyword names are unique.
class Call : public Expr {
public:
  Call(SourceRange r, ExprPtr callee) : Expr(NodeKind::Call, r), callee(std::move(callee)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Call; }

  /// The keyword argument named `name`, or nullptr.
  const Keyword *keyword(std::string_view name) const;

  ExprPtr callee;
  std::vector<ExprPtr> args;
  std::vector<Keyword> keywords;
};

/// `value[i0, i1, ...]`. Each index is an expression or a Slice; `x[a, b]` has two indices and
/// `x[(a, b)]` one (a Tuple).
class Subscript : public Expr {
public:
  Subscript(SourceRange r, ExprPtr value) : Expr(NodeKind::Subscript, r), value(std::move(value)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Subscript; }

  ExprPtr value;
  std::vector<ExprPtr> indices;
};

/// `lower:upper:step` inside a subscript; each part may be null (`:` has all three null).
class Slice : public Expr {
public:
  explicit Slice(SourceRange r) : Expr(NodeKind::Slice, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Slice; }

  ExprPtr lower, upper, step;
};

/// `*value` in a call argument list, a tuple/list display or an assignment target.
class Starred : public Expr {
public:
  Starred(SourceRange r, ExprPtr value) : Expr(NodeKind::Starred, r), value(std::move(value)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Starred; }

  ExprPtr value;
};

/// `(a, b)`, `a, b` (e.g. `return a, b`, `a, b = f()`), `()`.
class Tuple : public Expr {
public:
  explicit Tuple(SourceRange r) : Expr(NodeKind::Tuple, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Tuple; }

  std::vector<ExprPtr> elts;
  bool parenthesized = false;
};

/// `[a, b]` (shapes: `tl.zeros([BLOCK_M, BLOCK_N], ...)`).
class List : public Expr {
public:
  explicit List(SourceRange r) : Expr(NodeKind::List, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::List; }

  std::vector<ExprPtr> elts;
};

/// `{k: v, ...}` (only so that decorators such as
/// `@triton.autotune(configs=[triton.Config({...})])` parse; the language itself has no dicts).
/// keys.size() == values.size().
class Dict : public Expr {
public:
  explicit Dict(SourceRange r) : Expr(NodeKind::Dict, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Dict; }

  std::vector<ExprPtr> keys;
  std::vector<ExprPtr> values;
};

enum class UnaryOp : uint8_t { Neg, Pos, Invert, Not };
const char *spelling(UnaryOp op); ///< "-", "+", "~", "not"

/// `-x`, `+x`, `~x`, `not x`. `range` starts at the operator.
class Unary : public Expr {
public:
  Unary(SourceRange r, UnaryOp op, ExprPtr operand)
      : Expr(NodeKind::Unary, r), op(op), operand(std::move(operand)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Unary; }

  UnaryOp op;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  Add,
  Sub,
  Mul,
  Div,      ///< /
  FloorDiv, ///< //
  Mod,
  Pow,
  LShift,
  RShift,
  BitAnd,
  BitOr,
  BitXor,
  MatMul, ///< @ (parsed; not part of the language, sema rejects it)
};
const char *spelling(BinaryOp op); ///< "+", "//", "**", ...

/// `lhs op rhs` (also the operation of an AugAssign). `range` spans both operands; `opRange` is
/// the operator, where errors about the operation itself point.
class Binary : public Expr {
public:
  Binary(SourceRange r, BinaryOp op, ExprPtr lhs, ExprPtr rhs, SourceRange opRange)
      : Expr(NodeKind::Binary, r), op(op), lhs(std::move(lhs)), rhs(std::move(rhs)),
        opRange(opRange) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Binary; }

  BinaryOp op;
  ExprPtr lhs, rhs;
  SourceRange opRange;
};

enum class BoolOpKind : uint8_t { And, Or };
const char *spelling(BoolOpKind op); ///< "and", "or"

/// `a and b and c` / `a or b`, flattened as in Python: values.size() >= 2. Mixed `a and b or c`
/// nests: Or(And(a, b), c).
class BoolOp : public Expr {
public:
  BoolOp(SourceRange r, BoolOpKind op) : Expr(NodeKind::BoolOp, r), op(op) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::BoolOp; }

  BoolOpKind op;
  std::vector<ExprPtr> values;
};

enum class CmpOp : uint8_t { Eq, Ne, Lt, Le, Gt, Ge, Is, IsNot, In, NotIn };
const char *spelling(CmpOp op); ///< "==", "is not", "not in", ...

/// `left op0 c0 op1 c1 ...`. A chain (ops.size() > 1, `a < b < c`) is kept as one node so that
/// sema can report "chained comparisons are an error" at opRanges[1].
/// ops.size() == comparators.size() == opRanges.size() >= 1.
class Compare : public Expr {
public:
  Compare(SourceRange r, ExprPtr left) : Expr(NodeKind::Compare, r), left(std::move(left)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Compare; }

  bool isChained() const { return ops.size() > 1; }

  ExprPtr left;
  std::vector<CmpOp> ops;
  std::vector<ExprPtr> comparators;
  std::vector<SourceRange> opRanges;
};

/// `body if test else orelse`.
class IfExp : public Expr {
public:
  IfExp(SourceRange r, ExprPtr test, ExprPtr body, ExprPtr orelse)
      : Expr(NodeKind::IfExp, r), test(std::move(test)), body(std::move(body)),
        orelse(std::move(orelse)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::IfExp; }

  ExprPtr test, body, orelse;
};

//===------------------------------------------------------------------------------------------===//
// Annotations (of parameters and of annotated assignments)
//===------------------------------------------------------------------------------------------===//

class Annotation : public Node {
public:
  static bool classof(const Node *n) {
    return n->kind() >= NodeKind::FirstAnnotation && n->kind() <= NodeKind::LastAnnotation;
  }

protected:
  using Node::Node;
};
using AnnotationPtr = std::unique_ptr<Annotation>;

/// True for the scalar type names of LANGUAGE.md §2: i1 i8 i16 i32 i64 u8 u16 u32 u64 fp8e4nv
/// fp8e5 fp16 bf16 fp32 fp64.
bool isScalarTypeName(std::string_view name);

/// The type syntax of kernel parameters: `i32`, `*fp32`, `**fp16`, `*fp32:16`, `i64:16`.
/// Produced only when `scalar` is one of isScalarTypeName's names (a bare unknown name such as
/// `int` becomes an ExprAnnotation; `*` before an unknown name is a parse error).
class TypeAnnotation : public Annotation {
public:
  TypeAnnotation(SourceRange r) : Annotation(NodeKind::TypeAnnotation, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::TypeAnnotation; }

  bool isPointer() const { return pointerDepth != 0; }

  unsigned pointerDepth = 0; ///< number of leading '*'
  std::string scalar;        ///< "fp32"
  SourceRange scalarRange;
  std::optional<int64_t> divisibility; ///< the `:16` hint; > 0 (power of two is sema's check)
  SourceRange divisibilityRange;
};

/// `tl.constexpr`, `constexpr`, `triton.language.constexpr`.
class ConstexprAnnotation : public Annotation {
public:
  ConstexprAnnotation(SourceRange r, std::string spelling)
      : Annotation(NodeKind::ConstexprAnnotation, r), spelling(std::move(spelling)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::ConstexprAnnotation; }

  std::string spelling; ///< "tl.constexpr"
};

/// Any other annotation (`tl.tensor`, `int`, `"tl.tensor"`), kept as the expression.
class ExprAnnotation : public Annotation {
public:
  ExprAnnotation(SourceRange r, ExprPtr expr)
      : Annotation(NodeKind::ExprAnnotation, r), expr(std::move(expr)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::ExprAnnotation; }

  ExprPtr expr;
};

//===------------------------------------------------------------------------------------------===//
// Statements
//===------------------------------------------------------------------------------------------===//

/// A statement. For the compound statements (If, For, While, FunctionDef, ClassDef) `range` is
/// the header, from the keyword through its ':', which is where errors about the statement point;
/// for the others it spans the whole statement.
class Stmt : public Node {
public:
  static bool classof(const Node *n) {
    return n->kind() >= NodeKind::FirstStmt && n->kind() <= NodeKind::LastStmt;
  }

protected:
  using Node::Node;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>; ///< never empty after parsing (Python needs `pass`)

/// An expression evaluated for its effect (`tl.store(...)`), or a docstring (a StringLiteral).
class ExprStmt : public Stmt {
public:
  ExprStmt(SourceRange r, ExprPtr expr) : Stmt(NodeKind::ExprStmt, r), expr(std::move(expr)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::ExprStmt; }

  /// A string literal statement: a docstring, or a comment-like string; has no effect.
  bool isDocstring() const { return isa<StringLiteral>(expr.get()); }

  ExprPtr expr;
};

/// `t0 = t1 = ... = value` (targets.size() >= 1, assigned right to left as in Python). A target is
/// a Name, Attribute, Subscript, Starred, or a Tuple/List of targets (`a, b = f()`); the parser
/// rejects anything else (`f() = 1`).
class Assign : public Stmt {
public:
  Assign(SourceRange r, ExprPtr value) : Stmt(NodeKind::Assign, r), value(std::move(value)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Assign; }

  std::vector<ExprPtr> targets;
  ExprPtr value;
};

/// `target: annotation [= value]`, e.g. `EPS: tl.constexpr = 1e-6`. The target is a Name,
/// Attribute or Subscript.
class AnnAssign : public Stmt {
public:
  AnnAssign(SourceRange r, ExprPtr target, AnnotationPtr annotation, ExprPtr value)
      : Stmt(NodeKind::AnnAssign, r), target(std::move(target)), annotation(std::move(annotation)),
        value(std::move(value)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::AnnAssign; }

  ExprPtr target;
  AnnotationPtr annotation;
  ExprPtr value; ///< may be null (`x: i32`)
};

/// `target op= value`; target is a Name, Attribute or Subscript. `opRange` covers e.g. `+=`.
class AugAssign : public Stmt {
public:
  AugAssign(SourceRange r, ExprPtr target, BinaryOp op, ExprPtr value, SourceRange opRange)
      : Stmt(NodeKind::AugAssign, r), target(std::move(target)), op(op), value(std::move(value)),
        opRange(opRange) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::AugAssign; }

  ExprPtr target;
  BinaryOp op;
  ExprPtr value;
  SourceRange opRange;
};

/// `if test: body [elif ...] [else: orelse]`. An `elif` is an If with `isElif` set, alone in its
/// parent's orelse (as in Python's ast).
class If : public Stmt {
public:
  If(SourceRange r, ExprPtr test) : Stmt(NodeKind::If, r), test(std::move(test)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::If; }

  ExprPtr test;
  Block body;
  Block orelse; ///< may be empty
  bool isElif = false;
};

/// `for target in iter: body`. The target follows Assign's target rules (usually a Name).
/// Python's `for ... else` is rejected by the parser.
class For : public Stmt {
public:
  For(SourceRange r, ExprPtr target, ExprPtr iter)
      : Stmt(NodeKind::For, r), target(std::move(target)), iter(std::move(iter)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::For; }

  ExprPtr target;
  ExprPtr iter;
  Block body;
};

/// `while test: body` (`while ... else` is rejected by the parser).
class While : public Stmt {
public:
  While(SourceRange r, ExprPtr test) : Stmt(NodeKind::While, r), test(std::move(test)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::While; }

  ExprPtr test;
  Block body;
};

/// `return [value]`; `return a, b` has a (non-parenthesized) Tuple value.
class Return : public Stmt {
public:
  Return(SourceRange r, ExprPtr value) : Stmt(NodeKind::Return, r), value(std::move(value)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Return; }

  ExprPtr value; ///< may be null
};

class Pass : public Stmt {
public:
  explicit Pass(SourceRange r) : Stmt(NodeKind::Pass, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Pass; }
};

/// Parsed (also outside loops); whether it is allowed is sema's decision.
class Break : public Stmt {
public:
  explicit Break(SourceRange r) : Stmt(NodeKind::Break, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Break; }
};

class Continue : public Stmt {
public:
  explicit Continue(SourceRange r) : Stmt(NodeKind::Continue, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Continue; }
};

/// `assert test[, msg]` (Triton turns it into device_assert).
class Assert : public Stmt {
public:
  Assert(SourceRange r, ExprPtr test, ExprPtr msg)
      : Stmt(NodeKind::Assert, r), test(std::move(test)), msg(std::move(msg)) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Assert; }

  ExprPtr test;
  ExprPtr msg; ///< may be null
};

/// One parameter of a def: `name[: annotation][= default]`.
struct Param {
  std::string name;
  SourceRange nameRange;
  AnnotationPtr annotation; ///< null when unannotated
  ExprPtr defaultValue;     ///< null when absent
  SourceRange range;        ///< the whole parameter
};

/// `@decorators... def name(params) [-> returns]: body`. Python's `*args`, `**kwargs`, `/` and
/// bare `*` are rejected by the parser; a parameter without default after one with a default too.
class FunctionDef : public Stmt {
public:
  FunctionDef(SourceRange r, std::string name, SourceRange nameRange)
      : Stmt(NodeKind::FunctionDef, r), name(std::move(name)), nameRange(nameRange) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::FunctionDef; }

  /// Every parameter has an annotation (LANGUAGE.md §1: such a @jit function is a kernel).
  bool allParamsAnnotated() const;
  /// The parameter called `name`, or nullptr.
  const Param *param(std::string_view name) const;

  std::string name;
  SourceRange nameRange;
  std::vector<ExprPtr> decorators; ///< `triton.jit`, `jit`, `triton.autotune(...)`, in order
  std::vector<Param> params;
  ExprPtr returns; ///< the `-> X` annotation as an expression; may be null
  Block body;
};

/// `class Name(bases): body` — only so that Python scaffolding around kernels parses; sema
/// rejects or ignores it.
class ClassDef : public Stmt {
public:
  ClassDef(SourceRange r, std::string name, SourceRange nameRange)
      : Stmt(NodeKind::ClassDef, r), name(std::move(name)), nameRange(nameRange) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::ClassDef; }

  std::string name;
  SourceRange nameRange;
  std::vector<ExprPtr> decorators;
  std::vector<ExprPtr> bases;
  std::vector<Keyword> keywords; ///< `metaclass=...` and the like
  Block body;
};

/// `a.b.c [as x]` in an import statement, or `f [as g]` in a from-import.
struct ImportAlias {
  std::string name;   ///< dotted: "triton.language"
  SourceRange range;  ///< of the (dotted) name
  std::string asName; ///< empty when there is no `as`
  SourceRange asRange;

  /// The name this alias binds: `as` name, else (for `import a.b`) the first component "a".
  std::string boundName() const;
};

/// `import a.b [as c], d`.
class Import : public Stmt {
public:
  explicit Import(SourceRange r) : Stmt(NodeKind::Import, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Import; }

  std::vector<ImportAlias> names;
};

/// `from [.]*module import f [as g], h` or `from module import (f, g)`. `from M import *` is a
/// parse error.
class ImportFrom : public Stmt {
public:
  explicit ImportFrom(SourceRange r) : Stmt(NodeKind::ImportFrom, r) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::ImportFrom; }

  std::string module; ///< dotted, without the leading dots; empty for `from . import x`
  SourceRange moduleRange;
  unsigned level = 0; ///< number of leading dots (relative import)
  std::vector<ImportAlias> names;
};

//===------------------------------------------------------------------------------------------===//
// Module
//===------------------------------------------------------------------------------------------===//

/// A whole file: its top-level statements in order (imports, assignments, defs, and whatever other
/// Python statements the file holds, e.g. `if __name__ == "__main__":`).
class Module : public Node {
public:
  Module(SourceRange r, uint32_t fileId) : Node(NodeKind::Module, r), fileId(fileId) {}
  static bool classof(const Node *n) { return n->kind() == NodeKind::Module; }

  /// The top-level function named `name`, or nullptr (the last one if defined twice, as in Python).
  const FunctionDef *function(std::string_view name) const;

  uint32_t fileId;
  Block body;
};

//===------------------------------------------------------------------------------------------===//
// Dumping (tests and debugging)
//===------------------------------------------------------------------------------------------===//

/// An S-expression for an expression on one line, e.g. `(+ a (call (. tl arange) 0 BLOCK))`.
/// Names print bare, literals print their value (ints in decimal, floats in shortest round-trip
/// form, strings quoted with C escapes).
std::string dump(const Expr &expr);
/// `(type **fp16:16)`, `(constexpr tl.constexpr)`, `(annot <expr>)`.
std::string dump(const Annotation &annotation);
/// A statement: one line per statement, nested blocks indented by two spaces per level. `indent`
/// is the indentation of continuation lines (the first line is not indented).
std::string dump(const Stmt &stmt, unsigned indent = 0);
/// `(module` + each statement on its own indented line + `)`.
std::string dump(const Module &module);

} // namespace tritonc::ast
