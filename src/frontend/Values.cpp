// Sema's values and how messages spell them: SVal construction, user-facing spellings of types
// and values (Python's repr for constexpr bindings), error and note reporting with the helper
// call-site notes, and the flattening of values into the IR values that loops and ifs carry.
#include "frontend/Sema.h"
#include "frontend/builtins/Builtins.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace tritonc::sema {

// ------------------------------------------------------------------------------------------------
// SVal
// ------------------------------------------------------------------------------------------------

SVal SVal::boolean(bool v) {
  SVal s;
  s.kind_ = Kind::Bool;
  s.b_ = v;
  return s;
}
SVal SVal::integer(int64_t v) {
  SVal s;
  s.kind_ = Kind::Int;
  s.i_ = v;
  return s;
}
SVal SVal::floating(double v) {
  SVal s;
  s.kind_ = Kind::Float;
  s.f_ = v;
  return s;
}
SVal SVal::string(std::string v) {
  SVal s;
  s.kind_ = Kind::String;
  s.s_ = std::move(v);
  return s;
}
SVal SVal::dtype(const Type *t) {
  SVal s;
  s.kind_ = Kind::DType;
  s.type_ = t;
  return s;
}
SVal SVal::tuple(std::vector<SVal> elems) {
  SVal s;
  s.kind_ = Kind::Tuple;
  s.elems_ = std::move(elems);
  return s;
}
SVal SVal::tensor(Value *v) {
  SVal s;
  s.kind_ = Kind::Tensor;
  s.value_ = v;
  return s;
}
SVal SVal::function(const ast::FunctionDef *def, ModuleScope *module) {
  SVal s;
  s.kind_ = Kind::Function;
  s.fn_ = def;
  s.module_ = module;
  return s;
}
SVal SVal::ns(const Namespace *ns) {
  SVal s;
  s.kind_ = Kind::Namespace;
  s.ns_ = ns;
  return s;
}
SVal SVal::builtin(const BuiltinDef *def, std::string extra) {
  SVal s;
  s.kind_ = Kind::Builtin;
  s.builtin_ = def;
  s.s_ = std::move(extra);
  return s;
}
SVal SVal::boundMethod(const BuiltinDef *def, SVal self) {
  SVal s;
  s.kind_ = Kind::BoundMethod;
  s.builtin_ = def;
  s.elems_.push_back(std::move(self));
  return s;
}
SVal SVal::blockPtr(BlockPtrInfo info) {
  SVal s;
  s.kind_ = Kind::BlockPtr;
  s.bp_ = std::make_shared<const BlockPtrInfo>(std::move(info));
  return s;
}

bool SVal::containsRuntime() const {
  if (kind_ == Kind::Tensor || kind_ == Kind::BlockPtr)
    return true;
  if (kind_ == Kind::Tuple)
    for (const SVal &e : elems_)
      if (e.containsRuntime())
        return true;
  return false;
}

// ------------------------------------------------------------------------------------------------
// Diagnostics and spellings
// ------------------------------------------------------------------------------------------------

void Lowerer::error(SourceRange range, std::string message) {
  Diagnostic &d = diags_->error(range, std::move(message));
  // One note per inlined helper, innermost first: where each was called from.
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
    if ((*it)->callRange)
      d.notes.push_back({*(*it)->callRange, "in helper '" + (*it)->fnName + "' called here"});
  throw CompilationAborted();
}

void Lowerer::error(SourceRange range, std::string message, SourceRange noteRange,
                    std::string noteMessage) {
  Diagnostic &d = diags_->error(range, std::move(message));
  d.notes.push_back({noteRange, std::move(noteMessage)});
  for (auto it = frames_.rbegin(); it != frames_.rend(); ++it)
    if ((*it)->callRange)
      d.notes.push_back({*(*it)->callRange, "in helper '" + (*it)->fnName + "' called here"});
  throw CompilationAborted();
}

void Lowerer::note(SourceRange range, std::string message) {
  diags_->report(Severity::Note, range, std::move(message));
}

std::string Lowerer::shapeStr(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string Lowerer::typeStr(const Type *t) {
  if (t->isScalar())
    return std::string(scalarKindTritonName(t->scalarKind()));
  if (t->isPointer())
    return "*" + typeStr(t->pointee());
  return typeStr(t->element()) + shapeStr(t->shape());
}

/// Python's repr of a float: the shortest round-tripping digits, positional notation for
/// exponents in [-4, 16), scientific with a two-digit exponent otherwise, and ".0" on integers.
static std::string pyFloatRepr(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  // sci is like "-1.2345e-06" or "1e+20".
  bool negative = sci[0] == '-';
  if (negative)
    sci.erase(0, 1);
  size_t ePos = sci.find('e');
  std::string mant = sci.substr(0, ePos);
  int exp = std::stoi(sci.substr(ePos + 1));
  std::string digits;
  for (char c : mant)
    if (c != '.')
      digits += c;
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      std::string intPart, fracPart;
      if (digits.size() > size_t(exp) + 1) {
        intPart = digits.substr(0, exp + 1);
        fracPart = digits.substr(exp + 1);
      } else {
        intPart = digits + std::string(exp + 1 - digits.size(), '0');
      }
      out = intPart + "." + (fracPart.empty() ? "0" : fracPart);
    } else {
      out = "0." + std::string(-exp - 1, '0') + digits;
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1)
      out += "." + digits.substr(1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += e;
  }
  return negative ? "-" + out : out;
}

std::string Lowerer::repr(const SVal &v) const {
  switch (v.kind()) {
  case SVal::Kind::None:
    return "None";
  case SVal::Kind::Bool:
    return v.boolValue() ? "True" : "False";
  case SVal::Kind::Int:
    return std::to_string(v.intValue());
  case SVal::Kind::Float:
    return pyFloatRepr(v.floatValue());
  case SVal::Kind::String: {
    std::string s = "'";
    for (char c : v.stringValue()) {
      if (c == '\'' || c == '\\')
        s += '\\';
      if (c == '\n') {
        s += "\\n";
        continue;
      }
      s += c;
    }
    return s + "'";
  }
  case SVal::Kind::DType:
    return typeStr(v.dtypeValue());
  case SVal::Kind::Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < v.elems().size(); ++i) {
      if (i)
        s += ", ";
      s += repr(v.elems()[i]);
    }
    if (v.elems().size() == 1)
      s += ",";
    return s + ")";
  }
  case SVal::Kind::Tensor:
    return "tensor " + typeStr(v.type());
  case SVal::Kind::Function:
    return "<function " + v.functionDef()->name + ">";
  case SVal::Kind::Namespace:
    return "<module " + v.nsValue()->name + ">";
  case SVal::Kind::Builtin:
  case SVal::Kind::BoundMethod:
    return std::string("<builtin ") + v.builtinDef()->display + ">";
  case SVal::Kind::BlockPtr:
    return "<block pointer>";
  }
  return "?";
}

std::string Lowerer::str(const SVal &v) const {
  if (v.is(SVal::Kind::String))
    return v.stringValue();
  return repr(v);
}

std::string Lowerer::describe(const SVal &v) const {
  switch (v.kind()) {
  case SVal::Kind::None:
    return "None";
  case SVal::Kind::Bool:
    return "bool " + repr(v);
  case SVal::Kind::Int:
    return "int " + repr(v);
  case SVal::Kind::Float:
    return "float " + repr(v);
  case SVal::Kind::String:
    return "string " + repr(v);
  case SVal::Kind::DType:
    return "dtype " + repr(v);
  case SVal::Kind::Tuple:
    return "tuple " + repr(v);
  case SVal::Kind::Tensor:
    return v.type()->isBlock() ? "block of type " + typeStr(v.type())
                               : "runtime scalar of type " + typeStr(v.type());
  case SVal::Kind::Function:
    return "function '" + v.functionDef()->name + "'";
  case SVal::Kind::Namespace:
    return "module '" + v.nsValue()->name + "'";
  case SVal::Kind::Builtin:
  case SVal::Kind::BoundMethod:
    return std::string("builtin '") + v.builtinDef()->display + "'";
  case SVal::Kind::BlockPtr:
    return v.blockPtrInfo().descriptor ? "tensor descriptor" : "block pointer";
  }
  return "value";
}

// ------------------------------------------------------------------------------------------------
// Flattening (loop-carried values and if results)
// ------------------------------------------------------------------------------------------------

void Lowerer::flatten(const SVal &v, std::vector<Value *> &out) {
  switch (v.kind()) {
  case SVal::Kind::Tensor:
    out.push_back(v.value());
    break;
  case SVal::Kind::Tuple:
    for (const SVal &e : v.elems())
      flatten(e, out);
    break;
  case SVal::Kind::BlockPtr: {
    const BlockPtrInfo &bp = v.blockPtrInfo();
    out.push_back(bp.base);
    out.insert(out.end(), bp.shape.begin(), bp.shape.end());
    out.insert(out.end(), bp.strides.begin(), bp.strides.end());
    out.insert(out.end(), bp.offsets.begin(), bp.offsets.end());
    break;
  }
  default:
    break;
  }
}

SVal Lowerer::unflatten(const SVal &like, const std::vector<Value *> &values, size_t &cursor) {
  switch (like.kind()) {
  case SVal::Kind::Tensor:
    return SVal::tensor(values.at(cursor++));
  case SVal::Kind::Tuple: {
    std::vector<SVal> elems;
    for (const SVal &e : like.elems())
      elems.push_back(unflatten(e, values, cursor));
    return SVal::tuple(std::move(elems));
  }
  case SVal::Kind::BlockPtr: {
    BlockPtrInfo bp = like.blockPtrInfo();
    bp.base = values.at(cursor++);
    for (Value *&s : bp.shape)
      s = values.at(cursor++);
    for (Value *&s : bp.strides)
      s = values.at(cursor++);
    for (Value *&s : bp.offsets)
      s = values.at(cursor++);
    return SVal::blockPtr(std::move(bp));
  }
  default:
    return like;
  }
}

bool Lowerer::sameShapeAndType(const SVal &a, const SVal &b) {
  if (a.kind() != b.kind())
    return false;
  switch (a.kind()) {
  case SVal::Kind::Tensor:
    return a.type() == b.type();
  case SVal::Kind::Tuple:
    if (a.elems().size() != b.elems().size())
      return false;
    for (size_t i = 0; i < a.elems().size(); ++i)
      if (!sameShapeAndType(a.elems()[i], b.elems()[i]))
        return false;
    return true;
  case SVal::Kind::BlockPtr: {
    const BlockPtrInfo &x = a.blockPtrInfo(), &y = b.blockPtrInfo();
    return x.base->type() == y.base->type() && x.blockShape == y.blockShape && x.order == y.order &&
           x.shape.size() == y.shape.size() && x.descriptor == y.descriptor;
  }
  default:
    return constEquals(a, b);
  }
}

} // namespace tritonc::sema
