// AST helpers and the S-expression dumper used by the parser tests and for debugging.
#include "frontend/AST.h"
#include "support/Quote.h"

#include <array>
#include <charconv>

namespace tritonc::ast {

const char *kindName(NodeKind kind) {
  switch (kind) {
#define TRITONC_AST_KIND(k)                                                                        \
  case NodeKind::k:                                                                                \
    return #k;
    TRITONC_AST_KIND(IntLiteral)
    TRITONC_AST_KIND(FloatLiteral)
    TRITONC_AST_KIND(StringLiteral)
    TRITONC_AST_KIND(BoolLiteral)
    TRITONC_AST_KIND(NoneLiteral)
    TRITONC_AST_KIND(EllipsisLiteral)
    TRITONC_AST_KIND(Name)
    TRITONC_AST_KIND(Attribute)
    TRITONC_AST_KIND(Call)
    TRITONC_AST_KIND(Subscript)
    TRITONC_AST_KIND(Slice)
    TRITONC_AST_KIND(Starred)
    TRITONC_AST_KIND(Tuple)
    TRITONC_AST_KIND(List)
    TRITONC_AST_KIND(Dict)
    TRITONC_AST_KIND(Unary)
    TRITONC_AST_KIND(Binary)
    TRITONC_AST_KIND(BoolOp)
    TRITONC_AST_KIND(Compare)
    TRITONC_AST_KIND(IfExp)
    TRITONC_AST_KIND(TypeAnnotation)
    TRITONC_AST_KIND(ConstexprAnnotation)
    TRITONC_AST_KIND(ExprAnnotation)
    TRITONC_AST_KIND(ExprStmt)
    TRITONC_AST_KIND(Assign)
    TRITONC_AST_KIND(AnnAssign)
    TRITONC_AST_KIND(AugAssign)
    TRITONC_AST_KIND(If)
    TRITONC_AST_KIND(For)
    TRITONC_AST_KIND(While)
    TRITONC_AST_KIND(Return)
    TRITONC_AST_KIND(Pass)
    TRITONC_AST_KIND(Break)
    TRITONC_AST_KIND(Continue)
    TRITONC_AST_KIND(Assert)
    TRITONC_AST_KIND(Raise)
    TRITONC_AST_KIND(FunctionDef)
    TRITONC_AST_KIND(ClassDef)
    TRITONC_AST_KIND(Import)
    TRITONC_AST_KIND(ImportFrom)
    TRITONC_AST_KIND(Module)
#undef TRITONC_AST_KIND
  }
  return "?";
}

const char *spelling(UnaryOp op) {
  switch (op) {
  case UnaryOp::Neg:
    return "-";
  case UnaryOp::Pos:
    return "+";
  case UnaryOp::Invert:
    return "~";
  case UnaryOp::Not:
    return "not";
  }
  return "?";
}

const char *spelling(BinaryOp op) {
  switch (op) {
  case BinaryOp::Add:
    return "+";
  case BinaryOp::Sub:
    return "-";
  case BinaryOp::Mul:
    return "*";
  case BinaryOp::Div:
    return "/";
  case BinaryOp::FloorDiv:
    return "//";
  case BinaryOp::Mod:
    return "%";
  case BinaryOp::Pow:
    return "**";
  case BinaryOp::LShift:
    return "<<";
  case BinaryOp::RShift:
    return ">>";
  case BinaryOp::BitAnd:
    return "&";
  case BinaryOp::BitOr:
    return "|";
  case BinaryOp::BitXor:
    return "^";
  case BinaryOp::MatMul:
    return "@";
  }
  return "?";
}

const char *spelling(BoolOpKind op) { return op == BoolOpKind::And ? "and" : "or"; }

const char *spelling(CmpOp op) {
  switch (op) {
  case CmpOp::Eq:
    return "==";
  case CmpOp::Ne:
    return "!=";
  case CmpOp::Lt:
    return "<";
  case CmpOp::Le:
    return "<=";
  case CmpOp::Gt:
    return ">";
  case CmpOp::Ge:
    return ">=";
  case CmpOp::Is:
    return "is";
  case CmpOp::IsNot:
    return "is not";
  case CmpOp::In:
    return "in";
  case CmpOp::NotIn:
    return "not in";
  }
  return "?";
}

bool isScalarTypeName(std::string_view name) {
  static constexpr std::array<std::string_view, 15> names = {
      "i1",  "i8",      "i16",   "i32",  "i64",  "u8",   "u16", "u32",
      "u64", "fp8e4nv", "fp8e5", "fp16", "bf16", "fp32", "fp64"};
  for (std::string_view n : names)
    if (n == name)
      return true;
  return false;
}

const Keyword *Call::keyword(std::string_view name) const {
  for (const Keyword &k : keywords)
    if (k.name == name)
      return &k;
  return nullptr;
}

bool isPythonTypeHint(const Annotation *a) {
  const auto *ea = a ? dyn_cast<ExprAnnotation>(a) : nullptr;
  if (!ea)
    return false;
  if (const auto *n = dyn_cast<Name>(ea->expr.get()))
    return n->id == "int" || n->id == "float" || n->id == "bool" || n->id == "str";
  if (const auto *at = dyn_cast<Attribute>(ea->expr.get()))
    return at->attr == "tensor" || at->attr == "Tensor";
  return false;
}

bool FunctionDef::allParamsAnnotated() const {
  for (const Param &p : params)
    if (!p.annotation || isPythonTypeHint(p.annotation.get()))
      return false;
  return true;
}

const Param *FunctionDef::param(std::string_view name) const {
  for (const Param &p : params)
    if (p.name == name)
      return &p;
  return nullptr;
}

std::string ImportAlias::boundName() const {
  if (!asName.empty())
    return asName;
  return name.substr(0, name.find('.'));
}

const FunctionDef *Module::function(std::string_view name) const {
  const FunctionDef *found = nullptr;
  for (const StmtPtr &s : body)
    if (auto *f = dyn_cast<FunctionDef>(s.get()); f && f->name == name)
      found = f;
  return found;
}

//===------------------------------------------------------------------------------------------===//
// Dumper
//===------------------------------------------------------------------------------------------===//

namespace {

std::string quote(const std::string &s) {
  std::string out;
  appendQuoted(out, s, /*escapeNonAscii=*/false);
  return out;
}

std::string formatDouble(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, ec == std::errc() ? ptr : buf);
  // Keep floats recognisable as floats: "1" -> "1.0".
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

std::string opt(const ExprPtr &e) { return e ? dump(*e) : "_"; }

std::string dumpKeyword(const Keyword &k) { return "(kw " + k.name + " " + dump(*k.value) + ")"; }

std::string dumpBlock(const Block &block, unsigned indent) {
  std::string out;
  std::string pad(indent, ' ');
  for (const StmtPtr &s : block)
    out += "\n" + pad + dump(*s, indent);
  return out;
}

std::string dumpAlias(const ImportAlias &a) {
  return a.asName.empty() ? a.name : "(" + a.name + " as " + a.asName + ")";
}

} // namespace

std::string dump(const Expr &expr) {
  switch (expr.kind()) {
  case NodeKind::IntLiteral:
    return std::to_string(cast<IntLiteral>(&expr)->value);
  case NodeKind::FloatLiteral:
    return formatDouble(cast<FloatLiteral>(&expr)->value);
  case NodeKind::StringLiteral: {
    auto *s = cast<StringLiteral>(&expr);
    return std::string(s->isFormat ? "f" : s->isBytes ? "b" : "") + quote(s->value);
  }
  case NodeKind::BoolLiteral:
    return cast<BoolLiteral>(&expr)->value ? "True" : "False";
  case NodeKind::NoneLiteral:
    return "None";
  case NodeKind::EllipsisLiteral:
    return "...";
  case NodeKind::Name:
    return cast<Name>(&expr)->id;
  case NodeKind::Attribute: {
    auto *a = cast<Attribute>(&expr);
    return "(. " + dump(*a->object) + " " + a->attr + ")";
  }
  case NodeKind::Call: {
    auto *c = cast<Call>(&expr);
    std::string out = "(call " + dump(*c->callee);
    for (const ExprPtr &a : c->args)
      out += " " + dump(*a);
    for (const Keyword &k : c->keywords)
      out += " " + dumpKeyword(k);
    return out + ")";
  }
  case NodeKind::Subscript: {
    auto *s = cast<Subscript>(&expr);
    std::string out = "(sub " + dump(*s->value);
    for (const ExprPtr &i : s->indices)
      out += " " + dump(*i);
    return out + ")";
  }
  case NodeKind::Slice: {
    auto *s = cast<Slice>(&expr);
    return "(slice " + opt(s->lower) + " " + opt(s->upper) + " " + opt(s->step) + ")";
  }
  case NodeKind::Starred:
    return "(star " + dump(*cast<Starred>(&expr)->value) + ")";
  case NodeKind::Tuple:
  case NodeKind::List: {
    const std::vector<ExprPtr> &elts =
        isa<Tuple>(&expr) ? cast<Tuple>(&expr)->elts : cast<List>(&expr)->elts;
    std::string out = isa<Tuple>(&expr) ? "(tuple" : "(list";
    for (const ExprPtr &e : elts)
      out += " " + dump(*e);
    return out + ")";
  }
  case NodeKind::Dict: {
    auto *d = cast<Dict>(&expr);
    std::string out = "(dict";
    for (size_t i = 0; i < d->keys.size(); ++i)
      out += " (" + dump(*d->keys[i]) + " " + dump(*d->values[i]) + ")";
    return out + ")";
  }
  case NodeKind::Unary: {
    auto *u = cast<Unary>(&expr);
    return std::string("(") + spelling(u->op) + " " + dump(*u->operand) + ")";
  }
  case NodeKind::Binary: {
    auto *b = cast<Binary>(&expr);
    return std::string("(") + spelling(b->op) + " " + dump(*b->lhs) + " " + dump(*b->rhs) + ")";
  }
  case NodeKind::BoolOp: {
    auto *b = cast<BoolOp>(&expr);
    std::string out = std::string("(") + spelling(b->op);
    for (const ExprPtr &v : b->values)
      out += " " + dump(*v);
    return out + ")";
  }
  case NodeKind::Compare: {
    auto *c = cast<Compare>(&expr);
    std::string out = "(cmp " + dump(*c->left);
    for (size_t i = 0; i < c->ops.size(); ++i) {
      std::string op = spelling(c->ops[i]);
      if (op.find(' ') != std::string::npos)
        op = "\"" + op + "\"";
      out += " " + op + " " + dump(*c->comparators[i]);
    }
    return out + ")";
  }
  case NodeKind::IfExp: {
    auto *i = cast<IfExp>(&expr);
    return "(ifexp " + dump(*i->test) + " " + dump(*i->body) + " " + dump(*i->orelse) + ")";
  }
  default:
    return "(?" + std::string(kindName(expr.kind())) + ")";
  }
}

std::string dump(const Annotation &annotation) {
  if (auto *t = dyn_cast<TypeAnnotation>(&annotation)) {
    std::string out = "(type " + std::string(t->pointerDepth, '*') + t->scalar;
    if (t->divisibility)
      out += ":" + std::to_string(*t->divisibility);
    return out + ")";
  }
  if (auto *c = dyn_cast<ConstexprAnnotation>(&annotation))
    return "(constexpr " + c->spelling + ")";
  return "(annot " + dump(*cast<ExprAnnotation>(&annotation)->expr) + ")";
}

std::string dump(const Stmt &stmt, unsigned indent) {
  unsigned inner = indent + 2;
  std::string pad(inner, ' ');
  switch (stmt.kind()) {
  case NodeKind::ExprStmt:
    return "(expr " + dump(*cast<ExprStmt>(&stmt)->expr) + ")";
  case NodeKind::Assign: {
    auto *a = cast<Assign>(&stmt);
    std::string out = "(assign";
    for (const ExprPtr &t : a->targets)
      out += " " + dump(*t);
    return out + " " + dump(*a->value) + ")";
  }
  case NodeKind::AnnAssign: {
    auto *a = cast<AnnAssign>(&stmt);
    std::string out = "(annassign " + dump(*a->target) + " " + dump(*a->annotation);
    if (a->value)
      out += " " + dump(*a->value);
    return out + ")";
  }
  case NodeKind::AugAssign: {
    auto *a = cast<AugAssign>(&stmt);
    return std::string("(augassign ") + spelling(a->op) + "= " + dump(*a->target) + " " +
           dump(*a->value) + ")";
  }
  case NodeKind::If: {
    auto *i = cast<If>(&stmt);
    std::string out = std::string(i->isElif ? "(elif " : "(if ") + (i->test ? dump(*i->test) : "?");
    out += "\n" + pad + "(then" + dumpBlock(i->body, inner + 2) + ")";
    if (!i->orelse.empty()) {
      // An elif prints in place of the else block that holds it.
      if (i->orelse.size() == 1 && isa<If>(i->orelse[0].get()) &&
          cast<If>(i->orelse[0].get())->isElif)
        out += "\n" + pad + dump(*i->orelse[0], inner);
      else
        out += "\n" + pad + "(else" + dumpBlock(i->orelse, inner + 2) + ")";
    }
    return out + ")";
  }
  case NodeKind::For: {
    auto *f = cast<For>(&stmt);
    return "(for " + dump(*f->target) + " " + dump(*f->iter) + dumpBlock(f->body, inner) + ")";
  }
  case NodeKind::While: {
    auto *w = cast<While>(&stmt);
    return "(while " + dump(*w->test) + dumpBlock(w->body, inner) + ")";
  }
  case NodeKind::Return: {
    auto *r = cast<Return>(&stmt);
    return r->value ? "(return " + dump(*r->value) + ")" : "(return)";
  }
  case NodeKind::Pass:
    return "(pass)";
  case NodeKind::Break:
    return "(break)";
  case NodeKind::Continue:
    return "(continue)";
  case NodeKind::Assert: {
    auto *a = cast<Assert>(&stmt);
    return "(assert " + dump(*a->test) + (a->msg ? " " + dump(*a->msg) : "") + ")";
  }
  case NodeKind::Raise: {
    auto *r = cast<Raise>(&stmt);
    return r->exc ? "(raise " + dump(*r->exc) + ")" : "(raise)";
  }
  case NodeKind::FunctionDef: {
    auto *f = cast<FunctionDef>(&stmt);
    std::string out = "(def " + f->name;
    for (const ExprPtr &d : f->decorators)
      out += "\n" + pad + "(decorator " + dump(*d) + ")";
    for (const Param &p : f->params) {
      out += "\n" + pad + "(param " + p.name;
      if (p.annotation)
        out += " " + dump(*p.annotation);
      if (p.defaultValue)
        out += " (default " + dump(*p.defaultValue) + ")";
      out += ")";
    }
    if (f->returns)
      out += "\n" + pad + "(returns " + dump(*f->returns) + ")";
    return out + "\n" + pad + "(body" + dumpBlock(f->body, inner + 2) + "))";
  }
  case NodeKind::ClassDef: {
    auto *c = cast<ClassDef>(&stmt);
    std::string out = "(class " + c->name;
    for (const ExprPtr &d : c->decorators)
      out += "\n" + pad + "(decorator " + dump(*d) + ")";
    for (const ExprPtr &b : c->bases)
      out += "\n" + pad + "(base " + dump(*b) + ")";
    for (const Keyword &k : c->keywords)
      out += "\n" + pad + dumpKeyword(k);
    return out + "\n" + pad + "(body" + dumpBlock(c->body, inner + 2) + "))";
  }
  case NodeKind::Import: {
    std::string out = "(import";
    for (const ImportAlias &a : cast<Import>(&stmt)->names)
      out += " " + dumpAlias(a);
    return out + ")";
  }
  case NodeKind::ImportFrom: {
    auto *i = cast<ImportFrom>(&stmt);
    std::string out = "(from " + std::string(i->level, '.') + i->module + " import";
    for (const ImportAlias &a : i->names)
      out += " " + dumpAlias(a);
    return out + ")";
  }
  default:
    return "(?" + std::string(kindName(stmt.kind())) + ")";
  }
}

std::string dump(const Module &module) { return "(module" + dumpBlock(module.body, 2) + ")"; }

} // namespace tritonc::ast
