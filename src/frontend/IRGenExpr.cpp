// IR generation for expressions: every AST expression becomes an SVal. Compile-time operands
// are folded with Python's semantics (ints are 64-bit here; overflow is an error); as soon as a
// runtime value takes part, the operation is lowered through Semantic.cpp with Triton's rules.
// Also here: name lookup, attributes, subscripts, calls (argument matching for builtins) and
// the constexpr accessors used by the builtins.
#include "frontend/Parser.h"
#include "frontend/Sema.h"
#include "frontend/builtins/Builtins.h"
#include "support/Bits.h"

#include <cstring>

#include <algorithm>
#include <cmath>

namespace tritonc::sema {

using namespace ast;

// ------------------------------------------------------------------------------------------------
// Constexpr accessors
// ------------------------------------------------------------------------------------------------

static std::string runtimeMsg(const Lowerer &l, std::string_view what, const SVal &v) {
  return std::string(what) + " must be a constexpr, but got a " + l.describe(v);
}

int64_t Lowerer::requireInt(const SVal &v, SourceRange where, std::string_view what) {
  if (v.is(SVal::Kind::Int) || v.is(SVal::Kind::Bool))
    return v.intValue();
  if (v.containsRuntime())
    error(where, runtimeMsg(*this, what, v));
  error(where, std::string(what) + " must be an int, got " + describe(v));
}

bool Lowerer::requireBool(const SVal &v, SourceRange where, std::string_view what) {
  if (v.is(SVal::Kind::Bool) || v.is(SVal::Kind::Int))
    return v.intValue() != 0;
  if (v.isNone())
    return false;
  if (v.containsRuntime())
    error(where, runtimeMsg(*this, what, v));
  error(where, std::string(what) + " must be a bool, got " + describe(v));
}

std::string Lowerer::requireString(const SVal &v, SourceRange where, std::string_view what) {
  if (v.is(SVal::Kind::String))
    return v.stringValue();
  if (v.isNone())
    return "";
  if (v.containsRuntime())
    error(where, runtimeMsg(*this, what, v));
  error(where, std::string(what) + " must be a string, got " + describe(v));
}

const Type *Lowerer::requireDType(const SVal &v, SourceRange where, std::string_view what) {
  if (v.is(SVal::Kind::DType))
    return v.dtypeValue();
  if (v.containsRuntime())
    error(where, runtimeMsg(*this, what, v));
  error(where, std::string(what) + " must be a dtype (e.g. tl.float16), got " + describe(v));
}

std::vector<int64_t> Lowerer::requireIntList(const SVal &v, SourceRange where,
                                             std::string_view what) {
  std::vector<int64_t> out;
  if (v.is(SVal::Kind::Int) || v.is(SVal::Kind::Bool)) {
    out.push_back(v.intValue());
    return out;
  }
  if (!v.isTuple()) {
    if (v.containsRuntime())
      error(where, runtimeMsg(*this, what, v));
    error(where, std::string(what) + " must be a tuple of ints, got " + describe(v));
  }
  for (size_t i = 0; i < v.elems().size(); ++i) {
    const SVal &e = v.elems()[i];
    if (!e.is(SVal::Kind::Int) && !e.is(SVal::Kind::Bool))
      error(where, "element " + std::to_string(i) + " of " + std::string(what) +
                       (e.containsRuntime() ? " must be a constexpr int, but got a "
                                            : " must be an int, got ") +
                       describe(e));
    out.push_back(e.intValue());
  }
  return out;
}

std::vector<int64_t> Lowerer::requireShape(const SVal &v, SourceRange where,
                                           std::string_view what) {
  std::vector<int64_t> shape = requireIntList(v, where, what);
  for (int64_t d : shape)
    if (!isPowerOf2(d))
      error(where, "block dimension " + std::to_string(d) + " is not a power of two (shape " +
                       shapeStr(shape) + ")");
  return shape;
}

Value *Lowerer::requireTensor(const SVal &v, SourceRange where, std::string_view what) {
  return toTensor(v, where, what);
}

// ------------------------------------------------------------------------------------------------
// Compile-time semantics
// ------------------------------------------------------------------------------------------------

bool Lowerer::truthy(const SVal &v, SourceRange where) {
  switch (v.kind()) {
  case SVal::Kind::None:
    return false;
  case SVal::Kind::Bool:
  case SVal::Kind::Int:
    return v.intValue() != 0;
  case SVal::Kind::Float:
    return v.floatValue() != 0.0;
  case SVal::Kind::String:
    return !v.stringValue().empty();
  case SVal::Kind::Tuple:
    return !v.elems().empty();
  case SVal::Kind::Tensor:
  case SVal::Kind::BlockPtr:
    error(where, "the truth value of a runtime value is not known at compile time");
  default:
    return true;
  }
}

bool Lowerer::constEquals(const SVal &a, const SVal &b) {
  if (a.isNumber() && b.isNumber()) {
    if (a.is(SVal::Kind::Float) || b.is(SVal::Kind::Float))
      return a.floatValue() == b.floatValue();
    return a.intValue() == b.intValue();
  }
  if (a.kind() != b.kind())
    return false;
  switch (a.kind()) {
  case SVal::Kind::None:
    return true;
  case SVal::Kind::String:
    return a.stringValue() == b.stringValue();
  case SVal::Kind::DType:
    return a.dtypeValue() == b.dtypeValue();
  case SVal::Kind::Tuple:
    if (a.elems().size() != b.elems().size())
      return false;
    for (size_t i = 0; i < a.elems().size(); ++i)
      if (!constEquals(a.elems()[i], b.elems()[i]))
        return false;
    return true;
  case SVal::Kind::Tensor:
    return a.value() == b.value();
  case SVal::Kind::Function:
    return a.functionDef() == b.functionDef();
  case SVal::Kind::Namespace:
    return a.nsValue() == b.nsValue();
  case SVal::Kind::Builtin:
    return a.builtinDef() == b.builtinDef() && a.builtinExtra() == b.builtinExtra();
  default:
    return false;
  }
}

namespace {

/// Python's floor division and modulo on 64-bit ints.
int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}
int64_t floorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

/// Compile-time tuples and strings built by `+` and `*` are bounded by their total size (every
/// element of nested tuples counted, a string counting its characters), so that repeated
/// doubling stops with a located error instead of exhausting memory.
constexpr int64_t kMaxSequenceSize = int64_t(1) << 16;

int64_t sequenceSize(const SVal &v) {
  if (v.is(SVal::Kind::String))
    return static_cast<int64_t>(v.stringValue().size());
  if (!v.isTuple())
    return 1;
  int64_t n = 0;
  for (const SVal &e : v.elems())
    n += std::max<int64_t>(1, sequenceSize(e)); // each is within the limit: no overflow
  return n;
}

void checkSequenceSize(Lowerer &l, int64_t size, const char *what, SourceRange where) {
  if (size > kMaxSequenceSize)
    l.error(where, std::string("compile-time ") + what + " of " + std::to_string(size) +
                       " elements exceeds the limit of " + std::to_string(kMaxSequenceSize) +
                       " (nested elements and characters counted)");
}

} // namespace

/// Folds a binary operator on compile-time values (Python semantics).
static SVal foldBinary(Lowerer &l, BinaryOp op, const SVal &a, const SVal &b, SourceRange where) {
  std::string name = spelling(op);
  auto unsupported = [&]() -> SVal {
    l.error(where, "unsupported operand types for '" + name + "': " + l.describe(a) + " and " +
                       l.describe(b));
  };
  // Sequences: tuple/string concatenation and repetition.
  if (op == BinaryOp::Add && a.isTuple() && b.isTuple()) {
    checkSequenceSize(l, sequenceSize(a) + sequenceSize(b), "tuple", where);
    std::vector<SVal> e = a.elems();
    e.insert(e.end(), b.elems().begin(), b.elems().end());
    return SVal::tuple(std::move(e));
  }
  if (op == BinaryOp::Add && a.is(SVal::Kind::String) && b.is(SVal::Kind::String)) {
    checkSequenceSize(l, sequenceSize(a) + sequenceSize(b), "string", where);
    return SVal::string(a.stringValue() + b.stringValue());
  }
  if (op == BinaryOp::Mul && (a.isTuple() || b.isTuple())) {
    const SVal &t = a.isTuple() ? a : b;
    const SVal &n = a.isTuple() ? b : a;
    if (!n.is(SVal::Kind::Int))
      return unsupported();
    // Python's semantics: n <= 0 gives (); a non-empty tuple's size is at least its length.
    const int64_t copies = std::max<int64_t>(n.intValue(), 0);
    const int64_t size = sequenceSize(t);
    if (size == 0 || copies == 0)
      return SVal::tuple({});
    if (copies > kMaxSequenceSize / size)
      l.error(where, "compile-time tuple of " + std::to_string(size) + " elements repeated " +
                         std::to_string(copies) + " times exceeds the limit of " +
                         std::to_string(kMaxSequenceSize) +
                         " elements (nested elements and characters counted)");
    std::vector<SVal> e;
    for (int64_t i = 0; i < copies; ++i)
      e.insert(e.end(), t.elems().begin(), t.elems().end());
    return SVal::tuple(std::move(e));
  }
  if (!a.isNumber() || !b.isNumber())
    return unsupported();

  if (a.is(SVal::Kind::Float) || b.is(SVal::Kind::Float)) {
    double x = a.floatValue(), y = b.floatValue();
    switch (op) {
    case BinaryOp::Add:
      return SVal::floating(x + y);
    case BinaryOp::Sub:
      return SVal::floating(x - y);
    case BinaryOp::Mul:
      return SVal::floating(x * y);
    case BinaryOp::Div:
      if (y == 0)
        l.error(where, "float division by zero in a constant expression");
      return SVal::floating(x / y);
    case BinaryOp::FloorDiv:
      if (y == 0)
        l.error(where, "float division by zero in a constant expression");
      return SVal::floating(std::floor(x / y));
    case BinaryOp::Mod: {
      if (y == 0)
        l.error(where, "float modulo by zero in a constant expression");
      double r = std::fmod(x, y);
      if (r != 0 && ((r < 0) != (y < 0)))
        r += y;
      return SVal::floating(r);
    }
    case BinaryOp::Pow:
      return SVal::floating(std::pow(x, y));
    default:
      return unsupported();
    }
  }

  int64_t x = a.intValue(), y = b.intValue();
  int64_t r = 0;
  auto overflow = [&]() -> SVal {
    l.error(where, "integer overflow in a constant expression (" + l.repr(a) + " " + name + " " +
                       l.repr(b) + " does not fit in 64 bits)");
  };
  bool bothBool = a.is(SVal::Kind::Bool) && b.is(SVal::Kind::Bool);
  switch (op) {
  case BinaryOp::Add:
    if (__builtin_add_overflow(x, y, &r))
      return overflow();
    return SVal::integer(r);
  case BinaryOp::Sub:
    if (__builtin_sub_overflow(x, y, &r))
      return overflow();
    return SVal::integer(r);
  case BinaryOp::Mul:
    if (__builtin_mul_overflow(x, y, &r))
      return overflow();
    return SVal::integer(r);
  case BinaryOp::Div:
    if (y == 0)
      l.error(where, "division by zero in a constant expression");
    return SVal::floating(double(x) / double(y));
  case BinaryOp::FloorDiv:
    if (y == 0)
      l.error(where, "integer division by zero in a constant expression");
    if (x == INT64_MIN && y == -1)
      return overflow();
    return SVal::integer(floorDiv(x, y));
  case BinaryOp::Mod:
    if (y == 0)
      l.error(where, "integer modulo by zero in a constant expression");
    if (y == -1)
      return SVal::integer(0);
    return SVal::integer(floorMod(x, y));
  case BinaryOp::Pow: {
    if (y < 0)
      return SVal::floating(std::pow(double(x), double(y)));
    int64_t acc = 1;
    for (int64_t i = 0; i < y; ++i) {
      if (__builtin_mul_overflow(acc, x, &acc))
        return overflow();
      if (acc == 0 || acc == 1)
        break;
    }
    return SVal::integer(acc);
  }
  case BinaryOp::LShift:
    if (y < 0)
      l.error(where, "negative shift count in a constant expression");
    if (y >= 64 || (x != 0 && (x << y) >> y != x))
      return x == 0 ? SVal::integer(0) : overflow();
    return SVal::integer(x << y);
  case BinaryOp::RShift:
    if (y < 0)
      l.error(where, "negative shift count in a constant expression");
    return SVal::integer(y >= 64 ? (x < 0 ? -1 : 0) : x >> y);
  case BinaryOp::BitAnd:
    return bothBool ? SVal::boolean(x & y) : SVal::integer(x & y);
  case BinaryOp::BitOr:
    return bothBool ? SVal::boolean(x | y) : SVal::integer(x | y);
  case BinaryOp::BitXor:
    return bothBool ? SVal::boolean(x ^ y) : SVal::integer(x ^ y);
  case BinaryOp::MatMul:
    break;
  }
  return unsupported();
}

SVal Lowerer::evalBinary(BinaryOp op, const SVal &lhs, const SVal &rhs, SourceRange where) {
  if (op == BinaryOp::MatMul)
    error(where, "the '@' operator is not part of the language; use tl.dot");
  if (lhs.isTensor() || rhs.isTensor()) {
    const SVal &other = lhs.isTensor() ? rhs : lhs;
    if (!other.isTensor() && !other.isNumber())
      error(where, std::string("unsupported operand types for '") + spelling(op) +
                       "': " + describe(lhs) + " and " + describe(rhs) +
                       (other.isTuple() ? "; a Python list or tuple is not a block: make one "
                                          "with tl.arange, tl.full or tl.zeros"
                                        : ""));
    return SVal::tensor(binaryArith(op, lhs, rhs, where));
  }
  if (lhs.containsRuntime() || rhs.containsRuntime())
    error(where, std::string("unsupported operand types for '") + spelling(op) +
                     "': " + describe(lhs) + " and " + describe(rhs));
  return foldBinary(*this, op, lhs, rhs, where);
}

static SVal foldCompare(Lowerer &l, CmpOp op, const SVal &a, const SVal &b, SourceRange where) {
  if (op == CmpOp::Eq)
    return SVal::boolean(l.constEquals(a, b));
  if (op == CmpOp::Ne)
    return SVal::boolean(!l.constEquals(a, b));
  int c = 0;
  if (a.isNumber() && b.isNumber()) {
    if (a.is(SVal::Kind::Float) || b.is(SVal::Kind::Float)) {
      double x = a.floatValue(), y = b.floatValue();
      if (std::isnan(x) || std::isnan(y))
        return SVal::boolean(false);
      c = x < y ? -1 : x > y ? 1 : 0;
    } else {
      int64_t x = a.intValue(), y = b.intValue();
      c = x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (a.is(SVal::Kind::String) && b.is(SVal::Kind::String)) {
    c = a.stringValue().compare(b.stringValue());
    c = c < 0 ? -1 : c > 0 ? 1 : 0;
  } else {
    l.error(where, std::string("'") + spelling(op) + "' is not supported between " + l.describe(a) +
                       " and " + l.describe(b));
  }
  switch (op) {
  case CmpOp::Lt:
    return SVal::boolean(c < 0);
  case CmpOp::Le:
    return SVal::boolean(c <= 0);
  case CmpOp::Gt:
    return SVal::boolean(c > 0);
  case CmpOp::Ge:
    return SVal::boolean(c >= 0);
  default:
    return SVal::boolean(false);
  }
}

// ------------------------------------------------------------------------------------------------
// Names, attributes, subscripts
// ------------------------------------------------------------------------------------------------

SVal Lowerer::lookupName(std::string_view name, SourceRange where) {
  Frame &f = frame();
  if (f.poisoned.count(name)) // its statement failed: already reported
    throw CompilationAborted();
  if (auto it = f.env.vars.find(name); it != f.env.vars.end())
    return it->second;
  if (f.module) {
    if (auto it = f.module->globals.find(name); it != f.module->globals.end())
      return it->second;
    if (auto it = f.module->unavailable.find(name); it != f.module->unavailable.end())
      error(where, "'" + std::string(name) + "' cannot be used in a kernel: " + it->second.message,
            it->second.range, "'" + std::string(name) + "' is imported here");
    if (auto it = f.module->failedGlobals.find(name); it != f.module->failedGlobals.end()) {
      // The module-level value could not be computed (typically host code such as
      // torch.finfo(...)): the error is at the value, with where a kernel uses it.
      const Diagnostic &why = it->second;
      std::string n(name);
      std::string msg = "module-level value '" + n + "' cannot be computed at compile time" +
                        (why.message.empty() ? "" : ": " + why.message) +
                        "; if host code builds it, make it a tl.constexpr parameter of the kernel "
                        "and pass its value with -D " +
                        n + "=VALUE";
      if (why.message.empty())
        error(where, msg);
      error(why.range, msg, where, "'" + n + "' is used here");
    }
  }
  if (name == "tl")
    return SVal::ns(tl_.get());
  if (name == "triton")
    return SVal::ns(triton_.get());
  if (const BuiltinDef *b = findBuiltin(name, bflag::Python))
    return SVal::builtin(b);
  if (allowTypeNames && isScalarTypeName(name))
    return SVal::dtype(scalar(*parseScalarKind(name)));
  std::vector<std::string> known{"tl", "triton"};
  for (const auto &[n, v] : f.env.vars)
    known.push_back(n);
  if (f.module)
    for (const auto &[n, v] : f.module->globals)
      known.push_back(n);
  for (const BuiltinDef &b : builtinTable())
    if (b.flags & bflag::Python)
      known.push_back(b.name);
  std::string hint = didYouMean(name, known);
  if (hint.empty() && tl_->members.count(name))
    hint = "; did you mean 'tl." + std::string(name) + "'?";
  error(where, "unknown name '" + std::string(name) + "'" + hint);
}

/// The names a value's attributes can have, for did-you-mean suggestions.
static std::vector<std::string> memberNames(const Namespace *ns) {
  std::vector<std::string> names;
  for (const auto &[n, v] : ns->kind == Namespace::Kind::Module ? ns->module->globals : ns->members)
    names.push_back(n);
  return names;
}

/// Attributes of dtype values (Triton's dtype API).
static std::optional<SVal> dtypeAttribute(const Type *t, std::string_view attr) {
  if (t->isBlock()) { // x.type of a block: Triton's block_type
    if (attr == "element_ty" || attr == "scalar")
      return SVal::dtype(t->element());
    if (attr == "shape") {
      std::vector<SVal> dims;
      for (int64_t d : t->shape())
        dims.push_back(SVal::integer(d));
      return SVal::tuple(std::move(dims));
    }
    return std::nullopt;
  }
  ScalarKind k = t->isScalar() ? t->scalarKind() : ScalarKind::I64;
  if (attr == "primitive_bitwidth")
    return SVal::integer(t->isPointer() ? 64 : scalarBitWidth(k));
  if (attr == "int_bitwidth" && t->isScalar() && isIntegerKind(k))
    return SVal::integer(scalarBitWidth(k));
  if (attr == "element_ty" && t->isPointer())
    return SVal::dtype(t->pointee());
  if (attr == "scalar")
    return SVal::dtype(t);
  if (attr == "name") {
    if (t->isPointer())
      return SVal::string(Lowerer::typeStr(t));
    // Triton's dtype names spell integers out (int32, uint8).
    static const std::pair<ScalarKind, const char *> names[] = {
        {ScalarKind::I1, "int1"},        {ScalarKind::I8, "int8"},    {ScalarKind::I16, "int16"},
        {ScalarKind::I32, "int32"},      {ScalarKind::I64, "int64"},  {ScalarKind::U8, "uint8"},
        {ScalarKind::U16, "uint16"},     {ScalarKind::U32, "uint32"}, {ScalarKind::U64, "uint64"},
        {ScalarKind::F8E4NV, "fp8e4nv"}, {ScalarKind::F8E5, "fp8e5"}, {ScalarKind::F16, "fp16"},
        {ScalarKind::BF16, "bf16"},      {ScalarKind::F32, "fp32"},   {ScalarKind::F64, "fp64"}};
    for (auto &[kk, n] : names)
      if (kk == k)
        return SVal::string(n);
  }
  return std::nullopt;
}

SVal Lowerer::getAttribute(const SVal &obj, std::string_view attr, SourceRange where) {
  std::string a(attr);
  switch (obj.kind()) {
  case SVal::Kind::Namespace: {
    const Namespace *ns = obj.nsValue();
    if (ns->kind == Namespace::Kind::Libdevice)
      return SVal::builtin(findBuiltin("libdevice_call", bflag::Libdevice), a);
    if (ns->kind == Namespace::Kind::Module) {
      if (auto it = ns->module->globals.find(attr); it != ns->module->globals.end())
        return it->second;
      if (auto it = ns->module->unavailable.find(attr); it != ns->module->unavailable.end())
        error(where, "'" + a + "' cannot be used in a kernel: " + it->second.message,
              it->second.range, "'" + a + "' is imported here");
      if (auto it = ns->module->failedGlobals.find(attr); it != ns->module->failedGlobals.end())
        error(where,
              "'" + ns->name + "." + a +
                  "' is a module-level value that is not a compile-time constant" +
                  (it->second.message.empty() ? "" : " (" + it->second.message + ")"),
              it->second.range, "'" + a + "' is assigned here");
      error(where, "module '" + ns->name + "' has no attribute '" + a + "'" +
                       didYouMean(a, memberNames(ns)));
    }
    if (auto it = ns->members.find(attr); it != ns->members.end())
      return it->second;
    std::string hint = didYouMean(a, memberNames(ns));
    if (hint.empty() && (ns == tl_.get() || ns == tlMath_.get()))
      // Triton 3 moved most of the math library out of tl.math (tl.math.tanh, tl.math.pow).
      hint = "; for the math library's '" + a + "', use libdevice." + a +
             " (from triton.language.extra import libdevice)";
    error(where, "module '" + ns->name + "' has no attribute '" + a + "'" + hint);
  }
  case SVal::Kind::Tensor: {
    const Type *t = obj.type();
    if (attr == "dtype")
      return SVal::dtype(t->scalarType());
    if (attr == "shape") {
      std::vector<SVal> dims;
      for (int64_t d : shapeOf(t))
        dims.push_back(SVal::integer(d));
      return SVal::tuple(std::move(dims));
    }
    if (attr == "numel")
      return SVal::integer(t->isBlock() ? t->numElements() : 1);
    if (attr == "T") {
      const BuiltinDef *trans = findBuiltin("trans", bflag::Method);
      CallArgs args;
      args.def = trans;
      args.callRange = where;
      args.calleeRange = where;
      args.slots.resize(trans->params.size());
      args.ranges.assign(trans->params.size(), where);
      args.slots[0] = obj;
      return trans->fn(*this, args);
    }
    if (attr == "type") // x.type.element_ty, x_ptr.type.element_ty
      return SVal::dtype(t);
    if (const BuiltinDef *m = findBuiltin(attr, bflag::Method))
      return SVal::boundMethod(m, obj);
    std::vector<std::string> names{"dtype", "shape", "numel", "T", "type"};
    for (const BuiltinDef &b : builtinTable())
      if (b.flags & bflag::Method)
        names.push_back(b.name);
    error(where, describe(obj) + " has no attribute '" + a + "'" + didYouMean(a, names));
  }
  case SVal::Kind::Int:
  case SVal::Kind::Float:
  case SVal::Kind::Bool:
  case SVal::Kind::String:
  case SVal::Kind::None:
  case SVal::Kind::Tuple:
    if (attr == "value") // a tl.constexpr's value: the constant itself
      return obj;
    break;
  case SVal::Kind::BlockPtr:
    if (obj.blockPtrInfo().descriptor)
      if (const BuiltinDef *m = findBuiltin(attr, bflag::DescMethod))
        return SVal::boundMethod(m, obj);
    break;
  case SVal::Kind::DType:
    if (attr == "value")
      return obj;
    if (auto v = dtypeAttribute(obj.dtypeValue(), attr))
      return *v;
    if (const BuiltinDef *m = findBuiltin(attr, bflag::DTypeMethod))
      return SVal::boundMethod(m, obj);
    break;
  default:
    break;
  }
  error(where, describe(obj) + " has no attribute '" + a + "'");
}

// ------------------------------------------------------------------------------------------------
// Calls
// ------------------------------------------------------------------------------------------------

SVal Lowerer::callBuiltin(const BuiltinDef *def, const std::string &extra, ArgList al,
                          SourceRange callRange, SourceRange calleeRange) {
  CallArgs a;
  a.def = def;
  a.extra = extra;
  a.callRange = callRange;
  a.calleeRange = calleeRange;
  a.slots.resize(def->params.size());
  a.ranges.assign(def->params.size(), callRange);
  std::string display = def->display;
  if (def->flags & bflag::Libdevice)
    display = "libdevice." + extra;
  size_t numPositional = 0;
  for (const char *p : def->params)
    if (p[0] != '*')
      ++numPositional;
  size_t pi = 0;
  for (size_t i = 0; i < al.args.size(); ++i) {
    if (pi < def->params.size() && def->params[pi][0] == '*') {
      a.varargs.push_back(std::move(al.args[i]));
      a.varargRanges.push_back(al.argRanges[i]);
      continue;
    }
    if (pi >= def->params.size())
      error(al.argRanges[i], display + "() takes " + std::to_string(numPositional) + " argument" +
                                 (numPositional == 1 ? "" : "s") + " but " +
                                 std::to_string(al.args.size()) + " were given");
    a.slots[pi] = std::move(al.args[i]);
    a.ranges[pi] = al.argRanges[i];
    ++pi;
  }
  for (size_t i = 0; i < al.kwargs.size(); ++i) {
    int idx = a.index(al.kwargs[i].first);
    if (idx < 0 || def->params[idx][0] == '*') {
      std::vector<std::string> params;
      for (const char *p : def->params)
        if (p[0] != '*')
          params.push_back(
              std::string(p).substr(0, std::strlen(p) - (p[std::strlen(p) - 1] == '?')));
      error(al.kwargRanges[i], display + "() got an unexpected keyword argument '" +
                                   al.kwargs[i].first + "'" +
                                   didYouMean(al.kwargs[i].first, params));
    }
    if (a.slots[idx])
      error(al.kwargRanges[i],
            display + "() got multiple values for argument '" + al.kwargs[i].first + "'");
    a.slots[idx] = std::move(al.kwargs[i].second);
    a.ranges[idx] = al.kwargRanges[i];
  }
  for (size_t i = 0; i < def->params.size(); ++i) {
    std::string_view p = def->params[i];
    if (p[0] == '*' || p.back() == '?' || a.slots[i])
      continue;
    error(callRange, display + "() missing required argument '" + std::string(p) + "'");
  }
  return def->fn(*this, a);
}

SVal Lowerer::callValue(const SVal &callee, ArgList args, SourceRange callRange,
                        SourceRange calleeRange) {
  switch (callee.kind()) {
  case SVal::Kind::Builtin:
    if (callee.builtinDef()->flags & bflag::Iterator)
      error(calleeRange, std::string(callee.builtinDef()->display) +
                             "() can only be used as the iterator of a for loop");
    return callBuiltin(callee.builtinDef(), callee.builtinExtra(), std::move(args), callRange,
                       calleeRange);
  case SVal::Kind::BoundMethod:
    args.args.insert(args.args.begin(), callee.self());
    args.argRanges.insert(args.argRanges.begin(), calleeRange);
    return callBuiltin(callee.builtinDef(), "", std::move(args), callRange, calleeRange);
  case SVal::Kind::Function:
    if (!isJitDecorated(callee.functionDef()))
      error(calleeRange, "'" + callee.functionDef()->name +
                             "' is not a @jit function; only @jit functions can be called");
    return inlineCall(callee.functionDef(), callee.functionModule(), std::move(args), callRange);
  default:
    error(calleeRange, describe(callee) + " is not callable");
  }
}

void Lowerer::evalArgs(const Call *call, ArgList &out) {
  for (const ExprPtr &arg : call->args) {
    if (const auto *star = dyn_cast<Starred>(arg.get())) {
      SVal t = eval(star->value.get());
      if (!t.isTuple())
        error(star->range, "only tuples can be unpacked with '*', got " + describe(t));
      for (const SVal &e : t.elems()) {
        out.args.push_back(e);
        out.argRanges.push_back(star->range);
      }
      continue;
    }
    out.args.push_back(eval(arg.get()));
    out.argRanges.push_back(arg->range);
  }
  for (const Keyword &kw : call->keywords) {
    out.kwargs.emplace_back(kw.name, eval(kw.value.get()));
    out.kwargRanges.push_back(kw.nameRange);
  }
}

SVal Lowerer::evalCall(const Call *call) {
  SVal callee = eval(call->callee.get());
  ArgList args;
  evalArgs(call, args);
  return callValue(callee, std::move(args), call->range, call->callee->range);
}

// ------------------------------------------------------------------------------------------------
// Expressions
// ------------------------------------------------------------------------------------------------

bool Lowerer::staticCondition(const SVal &v, SourceRange where) {
  // Triton accepts only bool, int and None as compile-time `if` conditions.
  if (v.isNone() || v.is(SVal::Kind::Bool) || v.is(SVal::Kind::Int))
    return truthy(v, where);
  error(where, "a compile-time condition must be a bool, an int or None, got " + describe(v));
}

Value *Lowerer::conditionValue(const SVal &cond, SourceRange where) {
  Value *v = cond.value();
  if (v->type()->isBlock())
    error(where, "the condition must be a scalar, got a block of shape " +
                     shapeStr(v->type()->shape()) + " (use tl.reduce or index it first)");
  if (v->type()->isPointer())
    error(where, "a pointer cannot be used as a condition");
  return toBool(v, where);
}

SVal Lowerer::evalIfExp(const IfExp *e) {
  SVal c = eval(e->test.get());
  if (!c.isTensor()) {
    if (staticCondition(c, e->test->range))
      return eval(e->body.get());
    return eval(e->orelse.get());
  }
  Value *cond = conditionValue(c, e->test->range);
  Operation *ifOp = emitOp(OpCode::If, {cond}, {}, {}, 2);
  tritonc::Block *saved = builder_.insertionBlock();
  builder_.setInsertionPointToEnd(ifOp->region(0));
  Value *t = toTensor(eval(e->body.get()), e->body->range, "the 'if' value");
  Operation *thenYield = emitOp(OpCode::Yield, {t}, {});
  builder_.setInsertionPointToEnd(ifOp->region(1));
  Value *f = toTensor(eval(e->orelse.get()), e->orelse->range, "the 'else' value");
  if (f->type() != t->type())
    error(e->range, "a conditional expression with a runtime condition has inconsistent types " +
                        typeStr(t->type()) + " and " + typeStr(f->type()));
  emitOp(OpCode::Yield, {f}, {});
  (void)thenYield;
  builder_.setInsertionPointToEnd(saved);
  return SVal::tensor(ifOp->addResult(t->type()));
}

SVal Lowerer::eval(const Expr *e) {
  LocGuard guard(*this, e->range.begin);
  switch (e->kind()) {
  case NodeKind::IntLiteral:
    return SVal::integer(ast::cast<IntLiteral>(e)->value);
  case NodeKind::FloatLiteral:
    return SVal::floating(ast::cast<FloatLiteral>(e)->value);
  case NodeKind::StringLiteral: {
    const auto *s = ast::cast<StringLiteral>(e);
    if (s->isFormat)
      error(e->range, "f-strings are not supported yet; use a plain string");
    return SVal::string(s->value);
  }
  case NodeKind::BoolLiteral:
    return SVal::boolean(ast::cast<BoolLiteral>(e)->value);
  case NodeKind::NoneLiteral:
    return SVal::none();
  case NodeKind::EllipsisLiteral:
    error(e->range, "'...' is not supported here");
  case NodeKind::Name:
    return lookupName(ast::cast<Name>(e)->id, e->range);
  case NodeKind::Attribute: {
    const auto *a = ast::cast<Attribute>(e);
    SVal obj = eval(a->object.get());
    return getAttribute(obj, a->attr, a->attrRange);
  }
  case NodeKind::Call:
    return evalCall(ast::cast<Call>(e));
  case NodeKind::Subscript: {
    const auto *s = ast::cast<Subscript>(e);
    SVal base = eval(s->value.get());
    if (base.isTensor()) {
      Value *v = base.value();
      int dim = 0;
      for (const ExprPtr &idx : s->indices) {
        if (const auto *sl = dyn_cast<Slice>(idx.get())) {
          if (sl->lower || sl->upper || sl->step)
            error(idx->range, "only ':' and None are allowed as tensor indices");
          ++dim;
          continue;
        }
        SVal iv = eval(idx.get());
        if (!iv.isNone())
          error(idx->range, "only ':' and None are allowed as tensor indices, got " + describe(iv));
        v = expandDims(v, dim, idx->range);
        ++dim;
      }
      if (dim > static_cast<int>(v->type()->isBlock() ? v->type()->rank() : 0))
        error(e->range, "too many indices for a value of shape " + shapeStr(shapeOf(v->type())));
      return SVal::tensor(v);
    }
    if (base.isTuple() || base.is(SVal::Kind::String)) {
      if (s->indices.size() != 1)
        error(e->range, "a tuple takes a single index");
      int64_t n = base.isTuple() ? base.elems().size() : base.stringValue().size();
      const Expr *idx = s->indices[0].get();
      if (const auto *sl = dyn_cast<Slice>(idx)) {
        int64_t step = sl->step ? requireInt(eval(sl->step.get()), sl->step->range, "step") : 1;
        if (step == 0)
          error(sl->step->range, "slice step cannot be zero");
        auto bound = [&](const ExprPtr &b, int64_t dflt) {
          if (!b)
            return dflt;
          SVal bv = eval(b.get());
          if (bv.isNone())
            return dflt;
          int64_t x = requireInt(bv, b->range, "a slice bound");
          if (x < 0)
            x += n;
          return std::clamp<int64_t>(x, step > 0 ? 0 : -1, step > 0 ? n : n - 1);
        };
        int64_t lo = bound(sl->lower, step > 0 ? 0 : n - 1);
        int64_t hi = bound(sl->upper, step > 0 ? n : -1);
        std::vector<SVal> out;
        std::string sout;
        for (int64_t i = lo; step > 0 ? i < hi : i > hi; i += step) {
          if (base.isTuple())
            out.push_back(base.elems()[i]);
          else
            sout += base.stringValue()[i];
        }
        return base.isTuple() ? SVal::tuple(std::move(out)) : SVal::string(sout);
      }
      int64_t i = requireInt(eval(idx), idx->range, "a tuple index");
      if (i < 0)
        i += n;
      if (i < 0 || i >= n)
        error(idx->range, "index " + std::to_string(i) + " is out of range for a tuple of " +
                              std::to_string(n) + " elements");
      if (base.isTuple())
        return base.elems()[i];
      return SVal::string(std::string(1, base.stringValue()[i]));
    }
    error(s->value->range, describe(base) + " is not subscriptable");
  }
  case NodeKind::Slice:
    error(e->range, "a slice is only allowed inside '[]'");
  case NodeKind::Starred:
    error(e->range, "'*' unpacking is only allowed in call arguments");
  case NodeKind::Tuple:
  case NodeKind::List: {
    const auto &elts =
        e->kind() == NodeKind::Tuple ? ast::cast<Tuple>(e)->elts : ast::cast<List>(e)->elts;
    std::vector<SVal> out;
    for (const ExprPtr &x : elts) {
      if (const auto *star = dyn_cast<Starred>(x.get())) {
        SVal t = eval(star->value.get());
        if (!t.isTuple())
          error(star->range, "only tuples can be unpacked with '*', got " + describe(t));
        out.insert(out.end(), t.elems().begin(), t.elems().end());
        continue;
      }
      out.push_back(eval(x.get()));
    }
    return SVal::tuple(std::move(out));
  }
  case NodeKind::Dict:
    error(e->range, "dicts are not part of the language");
  case NodeKind::Unary: {
    const auto *u = ast::cast<Unary>(e);
    SVal v = eval(u->operand.get());
    if (v.isTensor()) {
      switch (u->op) {
      case UnaryOp::Neg:
        return SVal::tensor(neg(v.value(), e->range));
      case UnaryOp::Pos:
        return v;
      case UnaryOp::Invert:
        return SVal::tensor(invert(v.value(), e->range));
      case UnaryOp::Not:
        return SVal::tensor(logicalNot(v.value(), e->range));
      }
    }
    if (u->op == UnaryOp::Not) {
      if (v.containsRuntime())
        error(e->range, "'not' is not supported on " + describe(v));
      return SVal::boolean(!truthy(v, e->range));
    }
    if (!v.isNumber())
      error(e->range,
            std::string("bad operand for unary '") + spelling(u->op) + "': " + describe(v));
    switch (u->op) {
    case UnaryOp::Neg:
      if (v.is(SVal::Kind::Float))
        return SVal::floating(-v.floatValue());
      if (v.intValue() == INT64_MIN)
        error(e->range, "integer overflow in a constant expression");
      return SVal::integer(-v.intValue());
    case UnaryOp::Pos:
      return v.is(SVal::Kind::Bool) ? SVal::integer(v.intValue()) : v;
    case UnaryOp::Invert:
      if (v.is(SVal::Kind::Float))
        error(e->range, "bad operand for unary '~': float");
      return SVal::integer(~v.intValue());
    case UnaryOp::Not:
      break;
    }
    return v;
  }
  case NodeKind::Binary: {
    const auto *b = ast::cast<Binary>(e);
    if (b->op == BinaryOp::MatMul)
      error(b->opRange, "the '@' operator is not part of the language; use tl.dot");
    SVal l = eval(b->lhs.get());
    SVal r = eval(b->rhs.get());
    LocGuard opLoc(*this, b->opRange.begin);
    return evalBinary(b->op, l, r, b->opRange);
  }
  case NodeKind::BoolOp: {
    // Triton's visit_BoolOp: compile-time values short-circuit; the remaining runtime values
    // are combined with logical and/or (as i1).
    const auto *b = ast::cast<BoolOp>(e);
    bool isAnd = b->op == BoolOpKind::And;
    std::vector<SVal> nontrivial;
    std::vector<SourceRange> ranges;
    SVal last;
    for (const ExprPtr &sub : b->values) {
      SVal v = eval(sub.get());
      if (!v.isTensor()) {
        if (v.containsRuntime())
          error(sub->range,
                std::string("'") + spelling(b->op) + "' is not supported on " + describe(v));
        bool t = truthy(v, sub->range);
        if (!t && isAnd)
          return v;
        if (t && !isAnd)
          return v;
        last = v;
        continue;
      }
      nontrivial.push_back(v);
      ranges.push_back(sub->range);
    }
    if (nontrivial.empty())
      return last;
    while (nontrivial.size() >= 2) {
      SVal rhs = nontrivial.back();
      nontrivial.pop_back();
      SVal lhs = nontrivial.back();
      nontrivial.pop_back();
      nontrivial.push_back(SVal::tensor(logicalAndOr(isAnd, lhs, rhs, e->range)));
    }
    return nontrivial[0];
  }
  case NodeKind::Compare: {
    const auto *c = ast::cast<Compare>(e);
    if (c->isChained())
      error(c->opRanges[1], "chained comparisons are not supported; split them with '&' or "
                            "'and' (e.g. (a < b) & (b < c))");
    SVal l = eval(c->left.get());
    SVal r = eval(c->comparators[0].get());
    CmpOp op = c->ops[0];
    SourceRange where = c->opRanges[0];
    LocGuard opLoc(*this, where.begin);
    if (op == CmpOp::Is || op == CmpOp::IsNot) {
      bool same = (l.isTensor() || r.isTensor())
                      ? (l.isTensor() && r.isTensor() && l.value() == r.value())
                      : constEquals(l, r);
      return SVal::boolean(op == CmpOp::Is ? same : !same);
    }
    if (op == CmpOp::In || op == CmpOp::NotIn) {
      if (!r.isTuple() || l.containsRuntime())
        error(where, std::string("'") + spelling(op) + "' needs a compile-time value and a tuple");
      bool found = false;
      for (const SVal &x : r.elems())
        found = found || (!x.containsRuntime() && constEquals(l, x));
      return SVal::boolean(op == CmpOp::In ? found : !found);
    }
    if (l.isTensor() || r.isTensor()) {
      const SVal &other = l.isTensor() ? r : l;
      if (!other.isTensor() && !other.isNumber())
        error(where, std::string("'") + spelling(op) + "' is not supported between " + describe(l) +
                         " and " + describe(r));
      return SVal::tensor(compare(op, l, r, where));
    }
    if (l.containsRuntime() || r.containsRuntime())
      error(where, std::string("'") + spelling(op) + "' is not supported between " + describe(l) +
                       " and " + describe(r));
    return foldCompare(*this, op, l, r, where);
  }
  case NodeKind::IfExp:
    return evalIfExp(ast::cast<IfExp>(e));
  default:
    break;
  }
  error(e->range, std::string("unsupported expression (") + kindName(e->kind()) + ")");
}

} // namespace tritonc::sema
