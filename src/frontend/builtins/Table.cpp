// The one builtin table: every function a kernel can call that is not a @jit function —
// triton.language (tl.*), tl.math, libdevice, the triton package (triton.cdiv) and the Python
// builtins Triton's code generator knows (range, min, max, len, ...). Each row names the
// function, its parameters (for keyword matching and messages) and its handler. Handlers follow
// Triton 3.x's core.py / standard.py / semantic.py; they receive the matched arguments and
// return the call's value.
#include "frontend/Promotion.h"
#include "frontend/Sema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <numeric>

namespace tritonc::sema {

namespace {

using K = SVal::Kind;

} // namespace

// Defined in Library.cpp (block pointers, reductions, scans, dot, atomics, random).
void blockPtrLoadArgs(Lowerer &, CallArgs &);
void blockPtrStoreArgs(Lowerer &, CallArgs &);

namespace {

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

Value *tensorArg(Lowerer &L, CallArgs &a, std::string_view name) {
  return L.toTensor(a[name], a.range(name),
                    std::string("argument '") + std::string(name) + "' of " + a.def->display);
}

std::string what(CallArgs &a, std::string_view name) {
  return std::string("argument '") + std::string(name) + "' of " + a.def->display;
}

int64_t intArg(Lowerer &L, CallArgs &a, std::string_view name, int64_t dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireInt(a[name], a.range(name), what(a, name));
}

bool boolArg(Lowerer &L, CallArgs &a, std::string_view name, bool dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireBool(a[name], a.range(name), what(a, name));
}

std::string stringArg(Lowerer &L, CallArgs &a, std::string_view name) {
  if (!a.has(name))
    return "";
  return L.requireString(a[name], a.range(name), what(a, name));
}

/// A shape given either as one tuple argument or as several int arguments (`*shape`).
std::vector<int64_t> shapeFromVarargs(Lowerer &L, CallArgs &a, std::string_view what) {
  if (a.varargs.size() == 1 && a.varargs[0].isTuple())
    return L.requireIntList(a.varargs[0], a.varargRanges[0], what);
  std::vector<int64_t> out;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    out.push_back(L.requireInt(a.varargs[i], a.varargRanges[i], what));
  return out;
}

SourceRange varargsRange(CallArgs &a) {
  return a.varargRanges.empty() ? a.callRange : a.varargRanges[0];
}

int normalizeAxis(Lowerer &L, int64_t axis, size_t rank, SourceRange where) {
  int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r)
    L.error(where, "axis " + std::to_string(axis) + " is out of range for a value of rank " +
                       std::to_string(rank));
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

bool propagateNanArg(Lowerer &L, CallArgs &a) {
  if (!a.has("propagate_nan"))
    return false;
  const SVal &v = a["propagate_nan"];
  return L.requireInt(v, a.range("propagate_nan"), what(a, "propagate_nan")) != 0;
}

// ------------------------------------------------------------------------------------------------
// Python builtins and compile-time helpers
// ------------------------------------------------------------------------------------------------

SVal iteratorTuple(const char *kind, SVal start, SVal end, SVal step, SVal stages, SVal unroll) {
  return SVal::tuple({SVal::string(kind), std::move(start), std::move(end), std::move(step),
                      std::move(stages), std::move(unroll)});
}

SVal bRange(Lowerer &L, CallArgs &a) {
  SVal start = SVal::integer(0), end = a["arg1"], step = SVal::integer(1);
  if (a.has("arg2")) {
    start = a["arg1"];
    end = a["arg2"];
  }
  if (a.has("step"))
    step = a["step"];
  SVal stages, unroll;
  if (a.index("num_stages") >= 0 && a.has("num_stages"))
    stages = SVal::integer(intArg(L, a, "num_stages", 0));
  if (a.index("loop_unroll_factor") >= 0 && a.has("loop_unroll_factor"))
    unroll = SVal::integer(intArg(L, a, "loop_unroll_factor", 0));
  for (const SVal *v : {&start, &end, &step})
    if (!v->isTensor() && !v->is(K::Int) && !v->is(K::Bool))
      L.error(a.callRange,
              std::string(a.def->display) + "() bounds must be integers, got " + L.describe(*v));
  return iteratorTuple("range", start, end, step, stages, unroll);
}

SVal bStaticRange(Lowerer &L, CallArgs &a) {
  auto get = [&](std::string_view n) {
    return L.requireInt(a[n], a.range(n), "the " + std::string(n) + " of tl.static_range");
  };
  int64_t start = 0, end = get("arg1"), step = 1;
  if (a.has("arg2")) {
    start = end;
    end = get("arg2");
  }
  if (a.has("step"))
    step = get("step");
  if (step == 0)
    L.error(a.range("step"), "tl.static_range step must not be zero");
  return iteratorTuple("static", SVal::integer(start), SVal::integer(end), SVal::integer(step),
                       SVal(), SVal());
}

/// Python's min/max: compile-time numbers fold; runtime values use tl.minimum/maximum.
SVal pyMinMax(Lowerer &L, CallArgs &a, bool isMax) {
  std::vector<SVal> vals = a.varargs;
  std::vector<SourceRange> ranges = a.varargRanges;
  if (vals.size() == 1 && vals[0].isTuple()) {
    std::vector<SVal> elems = vals[0].elems();
    ranges.assign(elems.size(), ranges[0]);
    vals = std::move(elems);
  }
  if (vals.empty())
    L.error(a.callRange, std::string(a.def->display) + "() needs at least one argument");
  SVal acc = vals[0];
  for (size_t i = 1; i < vals.size(); ++i) {
    const SVal &v = vals[i];
    if (acc.isTensor() || v.isTensor()) {
      acc = SVal::tensor(L.minMax(isMax, acc, v, false, ranges[i]));
      continue;
    }
    if (!acc.isNumber() || !v.isNumber())
      L.error(ranges[i], std::string(a.def->display) + "() needs numbers, got " + L.describe(v));
    bool vBigger = (v.is(K::Float) || acc.is(K::Float)) ? v.floatValue() > acc.floatValue()
                                                        : v.intValue() > acc.intValue();
    bool vSmaller = (v.is(K::Float) || acc.is(K::Float)) ? v.floatValue() < acc.floatValue()
                                                         : v.intValue() < acc.intValue();
    if (isMax ? vBigger : vSmaller)
      acc = v;
  }
  return acc;
}
SVal bPyMin(Lowerer &L, CallArgs &a) { return pyMinMax(L, a, false); }
SVal bPyMax(Lowerer &L, CallArgs &a) { return pyMinMax(L, a, true); }

SVal bLen(Lowerer &L, CallArgs &a) {
  const SVal &v = a["obj"];
  if (v.isTuple())
    return SVal::integer(static_cast<int64_t>(v.elems().size()));
  if (v.is(K::String))
    return SVal::integer(static_cast<int64_t>(v.stringValue().size()));
  if (v.isTensor() && v.type()->isBlock())
    return SVal::integer(v.type()->shape()[0]);
  L.error(a.range("obj"), "len() of " + L.describe(v) + " is not defined");
}

SVal bInt(Lowerer &L, CallArgs &a) {
  const SVal &v = a["x"];
  if (v.is(K::Float)) {
    double d = v.floatValue();
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18)
      L.error(a.range("x"), "cannot convert " + L.repr(v) + " to int");
    return SVal::integer(static_cast<int64_t>(d));
  }
  if (v.is(K::Int) || v.is(K::Bool))
    return SVal::integer(v.intValue());
  if (v.isTensor())
    L.error(a.range("x"), "int() needs a compile-time value; use .to(tl.int32) on tensors");
  L.error(a.range("x"), "int() of " + L.describe(v) + " is not supported");
}

SVal bFloat(Lowerer &L, CallArgs &a) {
  const SVal &v = a["x"];
  if (v.isNumber())
    return SVal::floating(v.floatValue());
  if (v.is(K::String)) {
    // Python's float(str): "inf", "-inf", "nan", "Infinity", "1e-5", surrounding spaces.
    std::string t = v.stringValue();
    size_t b = t.find_first_not_of(" \t\n"), e = t.find_last_not_of(" \t\n");
    t = b == std::string::npos ? "" : t.substr(b, e - b + 1);
    std::string lower;
    for (char c : t)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view body = lower;
    bool negative = !body.empty() && body[0] == '-';
    if (!body.empty() && (body[0] == '-' || body[0] == '+'))
      body.remove_prefix(1);
    if (body == "inf" || body == "infinity")
      return SVal::floating(negative ? -HUGE_VAL : HUGE_VAL);
    if (body == "nan")
      return SVal::floating(negative ? -std::nan("") : std::nan(""));
    bool ok =
        !t.empty() && (std::isdigit(static_cast<unsigned char>(body.empty() ? 'x' : body[0])) ||
                       (!body.empty() && body[0] == '.'));
    for (char c : body)
      ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '_' ||
                  c == '+' || c == '-');
    if (ok) {
      std::string digits;
      for (char c : t)
        if (c != '_')
          digits += c;
      char *end = nullptr;
      double d = std::strtod(digits.c_str(), &end);
      if (end && *end == '\0')
        return SVal::floating(d);
    }
    L.error(a.range("x"), "could not convert string to float: " + L.repr(v));
  }
  if (v.isTensor())
    L.error(a.range("x"), "float() needs a compile-time value; use .to(tl.float32) on tensors");
  L.error(a.range("x"), "float() of " + L.describe(v) + " is not supported");
}

SVal bBool(Lowerer &L, CallArgs &a) {
  const SVal &v = a["x"];
  if (v.isTensor())
    L.error(a.range("x"), "bool() needs a compile-time value; use .to(tl.int1) on tensors");
  return SVal::boolean(L.truthy(v, a.range("x")));
}

SVal bPyAbs(Lowerer &L, CallArgs &a) {
  const SVal &v = a["x"];
  if (v.isTensor()) {
    Value *x = v.value();
    if (x->type()->isUnsigned() || x->type()->isBool())
      return v;
    return SVal::tensor(L.emit(OpCode::Abs, {x}, x->type()));
  }
  if (v.is(K::Float))
    return SVal::floating(std::fabs(v.floatValue()));
  if (v.is(K::Int) || v.is(K::Bool)) {
    if (v.intValue() == INT64_MIN)
      L.error(a.range("x"), "integer overflow in a constant expression (abs(" + L.repr(v) +
                                ") does not fit in 64 bits)");
    return SVal::integer(std::llabs(v.intValue()));
  }
  L.error(a.range("x"), "abs() of " + L.describe(v) + " is not supported");
}

SVal bGetattr(Lowerer &L, CallArgs &a) {
  std::string name = L.requireString(a["name"], a.range("name"), "the attribute name");
  return L.getAttribute(a["obj"], name, a.range("name"));
}

SVal bIsinstance(Lowerer &L, CallArgs &a) {
  L.error(a.callRange, "isinstance() is not supported in .tt files");
}

SVal bCdiv(Lowerer &L, CallArgs &a) {
  const SVal &x = a["x"], &d = a["div"];
  // (x + div - 1) // div, as Triton's cdiv; compile-time values fold with Python's semantics.
  SVal s = L.evalBinary(ast::BinaryOp::Add, x, d, a.callRange);
  s = L.evalBinary(ast::BinaryOp::Sub, s, SVal::integer(1), a.callRange);
  return L.evalBinary(ast::BinaryOp::FloorDiv, s, d, a.callRange);
}

SVal bNextPow2(Lowerer &L, CallArgs &a) {
  int64_t n = L.requireInt(a["n"], a.range("n"), "the argument of next_power_of_2");
  // Triton's bit trick (0 gives 0); past 2^62 the next power of two needs 65 bits.
  if (n > (int64_t(1) << 62))
    L.error(a.range("n"), "integer overflow in a constant expression (next_power_of_2(" +
                              std::to_string(n) + ") does not fit in 64 bits)");
  if (n <= 0)
    return SVal::integer(0); // what the bit trick gives for 0 and negative n, without n - 1
  n -= 1;
  for (int s : {1, 2, 4, 8, 16, 32})
    n |= n >> s;
  return SVal::integer(n + 1);
}

SVal bConstexpr(Lowerer &L, CallArgs &a) {
  const SVal &v = a["value"];
  if (v.containsRuntime())
    L.error(a.range("value"), "tl.constexpr() needs a compile-time value, got " + L.describe(v));
  return v;
}

SVal bPointerType(Lowerer &L, CallArgs &a) {
  const Type *elem = L.requireDType(a["element_ty"], a.range("element_ty"), "the element type");
  int64_t as = intArg(L, a, "address_space", 1);
  if (as < 0 || as > 255)
    L.error(a.range("address_space"),
            "address_space must be between 0 and 255, got " + std::to_string(as));
  if (elem->pointerDepth() >= kMaxPointerDepth)
    L.error(a.range("element_ty"), "tl.pointer_type would nest pointers " +
                                       std::to_string(elem->pointerDepth() + 1) +
                                       " deep; the limit is " + std::to_string(kMaxPointerDepth));
  return SVal::dtype(L.ctx().pointer(elem, static_cast<unsigned>(as)));
}

SVal bStaticAssert(Lowerer &L, CallArgs &a) {
  const SVal &c = a["cond"];
  if (c.containsRuntime())
    L.error(a.range("cond"),
            "tl.static_assert needs a condition known at compile time, got a " + L.describe(c));
  if (!L.truthy(c, a.range("cond"))) {
    std::string msg = a.has("msg") ? L.str(a["msg"]) : "";
    L.error(a.callRange, "static assertion failed" + (msg.empty() ? "" : ": " + msg));
  }
  return SVal::none();
}

SVal bStaticPrint(Lowerer &L, CallArgs &a) {
  if (L.dryRun)
    return SVal::none(); // a loop's dry run would print everything twice
  std::string text;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    text += (i ? " " : "") + L.str(a.varargs[i]);
  L.note(a.callRange, "static_print: " + text);
  return SVal::none();
}

// ------------------------------------------------------------------------------------------------
// Program ids and block creation
// ------------------------------------------------------------------------------------------------

SVal programIdLike(Lowerer &L, CallArgs &a, OpCode code) {
  int64_t axis = L.requireInt(a["axis"], a.range("axis"), "the axis");
  if (axis < 0 || axis > 2)
    L.error(a.range("axis"),
            std::string(a.def->display) + " axis must be 0, 1 or 2, got " + std::to_string(axis));
  AttrList attrs;
  attrs.set("axis", axis);
  return SVal::tensor(L.emit(code, {}, L.scalar(ScalarKind::I32), std::move(attrs)));
}
SVal bProgramId(Lowerer &L, CallArgs &a) { return programIdLike(L, a, OpCode::ProgramId); }
SVal bNumPrograms(Lowerer &L, CallArgs &a) { return programIdLike(L, a, OpCode::NumPrograms); }

SVal bArange(Lowerer &L, CallArgs &a) {
  int64_t start = L.requireInt(a["start"], a.range("start"), "the start of tl.arange");
  int64_t end = L.requireInt(a["end"], a.range("end"), "the end of tl.arange");
  if (start < INT32_MIN || start > INT32_MAX || end < INT32_MIN || end > INT32_MAX)
    L.error(a.callRange, "tl.arange bounds must fit in int32");
  if (end <= start)
    L.error(a.callRange, "tl.arange's end (" + std::to_string(end) +
                             ") must be greater than its start (" + std::to_string(start) + ")");
  int64_t n = end - start;
  if ((n & (n - 1)) != 0)
    L.error(a.callRange, "tl.arange's range must be a power of two, got " + std::to_string(n));
  AttrList attrs;
  attrs.set("start", start);
  attrs.set("end", end);
  return SVal::tensor(L.emit(OpCode::MakeRange, {},
                             L.blockType(L.scalar(ScalarKind::I32), {n}, a.callRange),
                             std::move(attrs)));
}

SVal fullImpl(Lowerer &L, CallArgs &a, const std::vector<int64_t> &shape, const SVal &value,
              SourceRange valueRange, const Type *dtype) {
  const Type *t = L.blockType(dtype, shape, a.callRange);
  if (value.isNumber())
    return SVal::tensor(L.constant(value, t, valueRange));
  Value *v = L.toTensor(value, valueRange, "the value of " + std::string(a.def->display));
  if (v->type()->isBlock())
    L.error(valueRange,
            std::string(a.def->display) + " needs a scalar value, got a " + L.describe(value));
  return SVal::tensor(L.splat(L.cast(v, dtype, valueRange), shape));
}

SVal bZeros(Lowerer &L, CallArgs &a) {
  std::vector<int64_t> shape = L.requireShape(a["shape"], a.range("shape"), "the shape");
  const Type *dtype = L.requireDType(a["dtype"], a.range("dtype"), "the dtype");
  return fullImpl(L, a, shape, SVal::integer(0), a.callRange, dtype);
}

SVal bFull(Lowerer &L, CallArgs &a) {
  std::vector<int64_t> shape = L.requireShape(a["shape"], a.range("shape"), "the shape");
  const Type *dtype = L.requireDType(a["dtype"], a.range("dtype"), "the dtype");
  return fullImpl(L, a, shape, a["value"], a.range("value"), dtype);
}

SVal bZerosLike(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  const Type *dtype = a.has("dtype") ? L.requireDType(a["dtype"], a.range("dtype"), "the dtype")
                                     : x->type()->scalarType();
  return fullImpl(L, a, Lowerer::shapeOf(x->type()), SVal::integer(0), a.callRange, dtype);
}

// ------------------------------------------------------------------------------------------------
// Memory
// ------------------------------------------------------------------------------------------------

SVal bLoad(Lowerer &L, CallArgs &a) {
  if (a["pointer"].is(K::BlockPtr))
    blockPtrLoadArgs(L, a); // now a plain masked load
  Value *ptr = tensorArg(L, a, "pointer");
  if (!ptr->type()->isPointerLike())
    L.error(a.range("pointer"),
            "tl.load needs a pointer or a block of pointers, got " + Lowerer::typeStr(ptr->type()));
  std::string cache = stringArg(L, a, "cache_modifier");
  if (cache != "" && cache != ".ca" && cache != ".cg" && cache != ".cv")
    L.error(a.range("cache_modifier"),
            "cache modifier '" + cache + "' is not supported by tl.load (use .ca, .cg or .cv)");
  std::string evict = stringArg(L, a, "eviction_policy");
  if (evict != "" && evict != "evict_first" && evict != "evict_last" && evict != "evict_normal")
    L.error(a.range("eviction_policy"), "eviction policy '" + evict + "' is not supported");
  bool isVolatile = boolArg(L, a, "volatile", false);
  if (a.has("boundary_check") &&
      !(a["boundary_check"].isTuple() && a["boundary_check"].elems().empty()))
    L.error(a.range("boundary_check"),
            "boundary_check is only supported when loading through a block pointer "
            "(tl.make_block_ptr)");
  if (!stringArg(L, a, "padding_option").empty())
    L.error(a.range("padding_option"),
            "padding_option is only supported when loading through a block pointer "
            "(tl.make_block_ptr)");
  Value *mask = a.has("mask") ? tensorArg(L, a, "mask") : nullptr;
  if (a.has("other") && !mask)
    L.error(a.range("other"), "tl.load: 'other' cannot be given without 'mask'");
  if (!ptr->type()->isBlock()) {
    if (mask && mask->type()->isBlock())
      L.error(a.range("mask"), "the mask cannot be a block when the pointer is a scalar");
    if (a.has("other") && a["other"].isTensor() && a["other"].type()->isBlock())
      L.error(a.range("other"), "'other' cannot be a block when the pointer is a scalar");
  }
  // The pointer, mask and other broadcast to one shape.
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  if (mask)
    shape = L.broadcastShapes(shape, Lowerer::shapeOf(mask->type()), a.range("mask"), "tl.load");
  if (a.has("other") && a["other"].isTensor())
    shape =
        L.broadcastShapes(shape, Lowerer::shapeOf(a["other"].type()), a.range("other"), "tl.load");
  ptr = L.broadcastTo(ptr, shape, a.range("pointer"), "tl.load");
  const Type *elem = ptr->type()->scalarType()->pointee();
  bool isBool = elem->isBool();
  if (isBool) {
    // Memory holds bools as bytes.
    elem = L.scalar(ScalarKind::I8);
    ptr = L.cast(ptr, L.ctx().pointer(elem, ptr->type()->scalarType()->addressSpace()),
                 a.range("pointer"));
  }
  std::vector<Value *> operands{ptr};
  if (mask) {
    if (!mask->type()->isBool())
      L.error(a.range("mask"),
              "the mask of tl.load must be a boolean (i1), got " + Lowerer::typeStr(mask->type()));
    operands.push_back(L.broadcastTo(mask, shape, a.range("mask"), "tl.load"));
    if (a.has("other")) {
      const SVal &o = a["other"];
      Value *other;
      if (o.isNumber())
        other = L.constant(o, L.withElement(ptr->type(), elem), a.range("other"));
      else
        other = L.broadcastTo(L.cast(tensorArg(L, a, "other"), elem, a.range("other")), shape,
                              a.range("other"), "tl.load");
      operands.push_back(other);
    }
  }
  AttrList attrs;
  if (!cache.empty())
    attrs.set("cache", cache);
  if (!evict.empty())
    attrs.set("evict", evict);
  if (isVolatile)
    attrs.set("volatile", true);
  Value *r = L.emit(OpCode::Load, operands, L.withElement(ptr->type(), elem), std::move(attrs));
  if (isBool)
    r = L.cast(r, L.scalar(ScalarKind::I1), a.callRange);
  return SVal::tensor(r);
}

SVal bStore(Lowerer &L, CallArgs &a) {
  if (a["pointer"].is(K::BlockPtr))
    blockPtrStoreArgs(L, a); // now a plain masked store
  Value *ptr = tensorArg(L, a, "pointer");
  if (!ptr->type()->isPointerLike())
    L.error(a.range("pointer"), "tl.store needs a pointer or a block of pointers, got " +
                                    Lowerer::typeStr(ptr->type()));
  std::string cache = stringArg(L, a, "cache_modifier");
  if (cache != "" && cache != ".wb" && cache != ".cg" && cache != ".cs" && cache != ".wt")
    L.error(a.range("cache_modifier"), "cache modifier '" + cache +
                                           "' is not supported by tl.store (use .wb, .cg, .cs "
                                           "or .wt)");
  std::string evict = stringArg(L, a, "eviction_policy");
  if (evict != "" && evict != "evict_first" && evict != "evict_last" && evict != "evict_normal")
    L.error(a.range("eviction_policy"), "eviction policy '" + evict + "' is not supported");
  if (a.has("boundary_check") &&
      !(a["boundary_check"].isTuple() && a["boundary_check"].elems().empty()))
    L.error(a.range("boundary_check"),
            "boundary_check is only supported when storing through a block pointer "
            "(tl.make_block_ptr)");
  Value *val = tensorArg(L, a, "value");
  Value *mask = a.has("mask") ? tensorArg(L, a, "mask") : nullptr;
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  if (!ptr->type()->isBlock()) {
    if (val->type()->isBlock())
      L.error(a.range("value"), "cannot store a block of shape " +
                                    Lowerer::shapeStr(val->type()->shape()) +
                                    " through a scalar pointer");
    if (mask && mask->type()->isBlock())
      L.error(a.range("mask"), "the mask cannot be a block when the pointer is a scalar");
  }
  val = L.broadcastTo(val, shape, a.range("value"), "tl.store");
  const Type *elem = ptr->type()->scalarType()->pointee();
  if (elem->isBool()) {
    elem = L.scalar(ScalarKind::I8);
    ptr = L.cast(ptr, L.ctx().pointer(elem, ptr->type()->scalarType()->addressSpace()),
                 a.range("pointer"));
  }
  val = L.cast(val, elem, a.range("value"));
  std::vector<Value *> operands{ptr, val};
  if (mask) {
    if (!mask->type()->isBool())
      L.error(a.range("mask"),
              "the mask of tl.store must be a boolean (i1), got " + Lowerer::typeStr(mask->type()));
    operands.push_back(L.broadcastTo(mask, shape, a.range("mask"), "tl.store"));
  }
  AttrList attrs;
  if (!cache.empty())
    attrs.set("cache", cache);
  if (!evict.empty())
    attrs.set("evict", evict);
  L.emitOp(OpCode::Store, operands, {}, std::move(attrs));
  return SVal::none();
}

// ------------------------------------------------------------------------------------------------
// Elementwise
// ------------------------------------------------------------------------------------------------

SVal bWhere(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.where(a["condition"], a["x"], a["y"], a.callRange));
}

SVal bCast(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  const Type *dtype = L.requireDType(a["dtype"], a.range("dtype"), "the target dtype");
  if (boolArg(L, a, "bitcast", false))
    return SVal::tensor(L.bitcast(x, dtype, a.callRange));
  std::optional<std::string> rounding;
  if (a.has("fp_downcast_rounding"))
    rounding = stringArg(L, a, "fp_downcast_rounding");
  return SVal::tensor(L.cast(x, dtype, a.callRange, rounding));
}

SVal bMaximum(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.minMax(true, a["x"], a["y"], propagateNanArg(L, a), a.callRange));
}
SVal bMinimum(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.minMax(false, a["x"], a["y"], propagateNanArg(L, a), a.callRange));
}

SVal bClamp(Lowerer &L, CallArgs &a) {
  // Triton: min/max promote together, then x; only floats are supported.
  bool nan = propagateNanArg(L, a);
  auto [lo, hi] =
      L.binaryOperands(a["min"], a["max"], false, false, true, false, a.callRange, "tl.clamp");
  auto [x, lo2] = L.binaryOperands(a["x"], SVal::tensor(lo), false, false, true, false, a.callRange,
                                   "tl.clamp");
  auto [x2, hi2] = L.binaryOperands(SVal::tensor(x), SVal::tensor(hi), false, false, true, false,
                                    a.callRange, "tl.clamp");
  if (!x2->type()->isFloat())
    L.error(a.callRange,
            "tl.clamp only supports floating-point values, got " + Lowerer::typeStr(x2->type()));
  lo2 = L.broadcastTo(lo2, Lowerer::shapeOf(x2->type()), a.callRange, "tl.clamp");
  AttrList attrs;
  if (nan)
    attrs.set("propagate_nan", true);
  Value *m = L.emit(OpCode::Max, {x2, lo2}, x2->type(), attrs);
  return SVal::tensor(L.emit(OpCode::Min, {m, hi2}, x2->type(), attrs));
}

template <OpCode C, bool Fp32Only = false> SVal bMath(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.unaryMath(C, a["x"], a.def->display, a.range("x"), Fp32Only));
}

SVal bAbs(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "x");
  if (x->type()->isPointerLike())
    L.error(a.range("x"), "tl.abs of a pointer is not defined");
  if (x->type()->isUnsigned() || x->type()->isBool())
    return SVal::tensor(x);
  return SVal::tensor(L.emit(OpCode::Abs, {x}, x->type()));
}

/// Triton's binary_op_type_legalization for math helpers: both become tensors first.
std::pair<Value *, Value *> legalize(Lowerer &L, CallArgs &a, const SVal &x, const SVal &y) {
  Value *tx = L.toTensor(x, a.callRange, a.def->display);
  Value *ty = L.toTensor(y, a.callRange, a.def->display);
  return L.binaryOperands(SVal::tensor(tx), SVal::tensor(ty), false, false, true, false,
                          a.callRange, a.def->display);
}

SVal bFma(Lowerer &L, CallArgs &a) {
  auto [x, y] = legalize(L, a, a["x"], a["y"]);
  auto [z, x2] = legalize(L, a, a["z"], SVal::tensor(x));
  auto [z2, y2] = legalize(L, a, SVal::tensor(z), SVal::tensor(y));
  x2 = L.broadcastTo(x2, Lowerer::shapeOf(z2->type()), a.callRange, "tl.fma");
  if (!x2->type()->isFloat())
    L.error(a.callRange, "tl.fma needs floating-point values, got " + Lowerer::typeStr(x2->type()));
  return SVal::tensor(L.emit(OpCode::Fma, {x2, y2, z2}, z2->type()));
}

SVal bUmulhi(Lowerer &L, CallArgs &a) {
  auto [x, y] = legalize(L, a, a["x"], a["y"]);
  ScalarKind k = x->type()->scalarType()->scalarKind();
  if (k != ScalarKind::I32 && k != ScalarKind::I64 && k != ScalarKind::U32 && k != ScalarKind::U64)
    L.error(a.callRange, "tl.umulhi needs int32, int64, uint32 or uint64 values, got " +
                             Lowerer::typeStr(x->type()));
  return SVal::tensor(L.emit(OpCode::UMulHi, {x, y}, x->type()));
}

SVal bFdiv(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "x"), *y = tensorArg(L, a, "y");
  if (!x->type()->isFloat() || !y->type()->isFloat())
    L.error(a.callRange, "both operands of tl.fdiv must be floating-point");
  bool ieee = boolArg(L, a, "ieee_rounding", false);
  auto [l, r] = L.binaryOperands(SVal::tensor(x), SVal::tensor(y), false, false, false, true,
                                 a.callRange, "tl.fdiv");
  if (l->type() != r->type())
    L.error(a.callRange, "tl.fdiv operands must have the same type, got " +
                             Lowerer::typeStr(l->type()) + " and " + Lowerer::typeStr(r->type()));
  return SVal::tensor(L.emit(ieee ? OpCode::DivRn : OpCode::FDiv, {l, r}, l->type()));
}

SVal bDivRn(Lowerer &L, CallArgs &a) {
  auto [x, y] = legalize(L, a, a["x"], a["y"]);
  if (x->type()->scalarType()->scalarKind() != ScalarKind::F32)
    L.error(a.callRange, "tl.div_rn needs fp32 values, got " + Lowerer::typeStr(x->type()));
  return SVal::tensor(L.emit(OpCode::DivRn, {x, y}, x->type()));
}

SVal bSigmoid(Lowerer &L, CallArgs &a) {
  // standard.py: 1 / (1 + exp(-x)).
  Value *x = tensorArg(L, a, "x");
  Value *e =
      L.unaryMath(OpCode::Exp, SVal::tensor(L.neg(x, a.callRange)), "tl.sigmoid", a.range("x"));
  SVal den = L.evalBinary(ast::BinaryOp::Add, SVal::integer(1), SVal::tensor(e), a.callRange);
  return L.evalBinary(ast::BinaryOp::Div, SVal::integer(1), den, a.callRange);
}

SVal bLibdevice(Lowerer &L, CallArgs &a) {
  // libdevice.NAME(args...): the operands broadcast together; integer-only or mixed signatures
  // are the target library's business. Results have the operands' (promoted) type, except
  // the predicates (isnan, isinf, signbit...) which give i1... as libdevice gives i32.
  if (a.varargs.empty())
    L.error(a.callRange, "libdevice." + a.extra + "() needs at least one argument");
  std::vector<Value *> vals;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    vals.push_back(L.toTensor(a.varargs[i], a.varargRanges[i], "libdevice." + a.extra));
  // Promote every operand to the first one's computation type with the others (pairwise).
  for (size_t i = 1; i < vals.size(); ++i) {
    auto [l, r] = L.binaryOperands(SVal::tensor(vals[0]), SVal::tensor(vals[i]), false, false, true,
                                   false, a.callRange, "libdevice." + a.extra);
    vals[0] = l;
    vals[i] = r;
  }
  std::vector<int64_t> shape = Lowerer::shapeOf(vals[0]->type());
  for (Value *&v : vals) {
    v = L.cast(v, vals[0]->type()->scalarType(), a.callRange);
    v = L.broadcastTo(v, shape, a.callRange, "libdevice." + a.extra);
  }
  const Type *result = vals[0]->type();
  static const char *intResults[] = {"isnan",  "isinf",  "signbit",  "finitef", "isfinited",
                                     "isinfd", "isnand", "signbitd", "ilogb",   "ilogbf"};
  for (const char *n : intResults)
    if (a.extra == n)
      result = L.withElement(result, L.scalar(ScalarKind::I32));
  AttrList attrs;
  attrs.set("name", a.extra);
  return SVal::tensor(L.emit(OpCode::ExternCall, vals, result, std::move(attrs)));
}

// ------------------------------------------------------------------------------------------------
// Shapes
// ------------------------------------------------------------------------------------------------

SVal bExpandDims(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> axes = L.requireIntList(a["axis"], a.range("axis"), "the axis");
  size_t newRank = Lowerer::shapeOf(x->type()).size() + axes.size();
  std::vector<int> norm;
  for (int64_t ax : axes)
    norm.push_back(normalizeAxis(L, ax, newRank, a.range("axis")));
  std::sort(norm.begin(), norm.end());
  if (std::adjacent_find(norm.begin(), norm.end()) != norm.end())
    L.error(a.range("axis"), "tl.expand_dims: repeated axis");
  for (int ax : norm)
    x = L.expandDims(x, ax, a.range("axis"));
  return SVal::tensor(x);
}

SVal bReshape(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> shape = shapeFromVarargs(L, a, "the shape");
  bool reorder = boolArg(L, a, "can_reorder", false);
  L.blockType(x->type()->scalarType(), shape, varargsRange(a));
  return SVal::tensor(L.reshape(x, shape, reorder, a.callRange));
}

SVal bView(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> shape = shapeFromVarargs(L, a, "the shape");
  L.blockType(x->type()->scalarType(), shape, varargsRange(a));
  return SVal::tensor(L.reshape(x, shape, true, a.callRange));
}

SVal bBroadcastTo(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> shape = shapeFromVarargs(L, a, "the shape");
  L.blockType(x->type()->scalarType(), shape, varargsRange(a));
  return SVal::tensor(L.broadcastTo(x, shape, a.callRange, "tl.broadcast_to"));
}

SVal bBroadcast(Lowerer &L, CallArgs &a) {
  auto [x, y] = L.broadcastPair(tensorArg(L, a, "input"), tensorArg(L, a, "other"), a.callRange,
                                "tl.broadcast");
  return SVal::tuple({SVal::tensor(x), SVal::tensor(y)});
}

SVal permuteImpl(Lowerer &L, CallArgs &a, Value *x, std::vector<int64_t> dims) {
  if (!x->type()->isBlock())
    L.error(a.callRange, std::string(a.def->display) + " needs a block, got a scalar");
  const auto &shape = x->type()->shape();
  if (dims.size() != shape.size())
    L.error(a.callRange, std::string(a.def->display) + ": " + std::to_string(dims.size()) +
                             " dims given for a value of rank " + std::to_string(shape.size()));
  std::vector<int64_t> sorted = dims;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<int64_t>(i))
      L.error(a.callRange, std::string(a.def->display) + ": dims " + Lowerer::shapeStr(dims) +
                               " are not a permutation of 0.." + std::to_string(shape.size() - 1));
  std::vector<int64_t> out;
  for (int64_t d : dims)
    out.push_back(shape[d]);
  bool identity = true;
  for (size_t i = 0; i < dims.size(); ++i)
    identity = identity && dims[i] == static_cast<int64_t>(i);
  if (identity)
    return SVal::tensor(x);
  AttrList attrs;
  attrs.set("order", dims);
  return SVal::tensor(
      L.emit(OpCode::Trans, {x}, L.ctx().block(x->type()->element(), out), std::move(attrs)));
}

SVal bTrans(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> dims = shapeFromVarargs(L, a, "the dims");
  if (dims.empty()) {
    if (!x->type()->isBlock() || x->type()->rank() != 2)
      L.error(a.callRange,
              "tl.trans without dims needs a 2-D block, got " + Lowerer::typeStr(x->type()));
    dims = {1, 0};
  }
  return permuteImpl(L, a, x, dims);
}

SVal bPermute(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  return permuteImpl(L, a, x, shapeFromVarargs(L, a, "the dims"));
}

SVal bRavel(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "x");
  int64_t n = x->type()->isBlock() ? x->type()->numElements() : 1;
  return SVal::tensor(L.reshape(x, {n}, boolArg(L, a, "can_reorder", false), a.callRange));
}

Value *joinImpl(Lowerer &L, SourceRange where, Value *x, Value *y) {
  auto [a, b] = L.broadcastPair(x, y, where, "tl.join");
  if (a->type() != b->type())
    L.error(where, "tl.join needs two values of one type, got " + Lowerer::typeStr(a->type()) +
                       " and " + Lowerer::typeStr(b->type()));
  std::vector<int64_t> shape = Lowerer::shapeOf(a->type());
  shape.push_back(2);
  return L.emit(OpCode::Join, {a, b}, L.blockType(a->type()->scalarType(), shape, where));
}

SVal bJoin(Lowerer &L, CallArgs &a) {
  return SVal::tensor(joinImpl(L, a.callRange, tensorArg(L, a, "a"), tensorArg(L, a, "b")));
}

SVal bSplit(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "a");
  if (!x->type()->isBlock() || x->type()->shape().back() != 2)
    L.error(a.callRange,
            "tl.split needs a block whose last dimension is 2, got " + Lowerer::typeStr(x->type()));
  std::vector<int64_t> shape = x->type()->shape();
  shape.pop_back();
  const Type *t = shape.empty() ? x->type()->element() : L.ctx().block(x->type()->element(), shape);
  Operation *op = L.emitOp(OpCode::Split, {x}, {t, t});
  return SVal::tuple({SVal::tensor(op->result(0)), SVal::tensor(op->result(1))});
}

SVal bInterleave(Lowerer &L, CallArgs &a) {
  Value *c = joinImpl(L, a.callRange, tensorArg(L, a, "a"), tensorArg(L, a, "b"));
  std::vector<int64_t> shape = c->type()->shape();
  if (shape.size() == 1)
    return SVal::tensor(c);
  int64_t last = shape[shape.size() - 2] * 2;
  shape.pop_back();
  shape.back() = last;
  return SVal::tensor(L.reshape(c, shape, false, a.callRange));
}

SVal bCat(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input"), *y = tensorArg(L, a, "other");
  if (!boolArg(L, a, "can_reorder", false))
    L.error(a.callRange, "tl.cat is only supported with can_reorder=True (as in Triton)");
  if (x->type() != y->type() || !x->type()->isBlock() || x->type()->rank() != 1)
    L.error(a.callRange, "tl.cat needs two 1-D blocks of one type, got " +
                             Lowerer::typeStr(x->type()) + " and " + Lowerer::typeStr(y->type()));
  std::vector<int64_t> shape = x->type()->shape();
  shape[0] *= 2;
  return SVal::tensor(
      L.emit(OpCode::Cat, {x, y}, L.blockType(x->type()->element(), shape, a.callRange)));
}

// ------------------------------------------------------------------------------------------------
// Debugging and hints
// ------------------------------------------------------------------------------------------------

SVal bDevicePrint(Lowerer &L, CallArgs &a) {
  std::string prefix = L.requireString(a["prefix"], a.range("prefix"), "the prefix");
  std::vector<Value *> vals;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    vals.push_back(L.toTensor(a.varargs[i], a.varargRanges[i], "a device_print value"));
  // Triton's prefix normalisation: " prefix: " before the values.
  if (!vals.empty() && (prefix.empty() || prefix.back() != ' '))
    prefix += " ";
  if (!vals.empty() && !(prefix.size() >= 2 && prefix.ends_with(": ")))
    prefix = prefix.substr(0, prefix.size() - 1) + ": ";
  if (prefix.size() > 2 && prefix.front() != ' ')
    prefix = " " + prefix;
  AttrList attrs;
  attrs.set("prefix", prefix);
  if (boolArg(L, a, "hex", false))
    attrs.set("hex", true);
  L.emitOp(OpCode::Print, vals, {}, std::move(attrs));
  return SVal::none();
}

SVal bPrint(Lowerer &L, CallArgs &a) {
  // Python's print inside a kernel is device_print: a leading string is the prefix.
  std::vector<Value *> vals;
  std::string prefix;
  for (size_t i = 0; i < a.varargs.size(); ++i) {
    if (i == 0 && a.varargs[i].is(K::String)) {
      prefix = a.varargs[i].stringValue();
      continue;
    }
    vals.push_back(L.toTensor(a.varargs[i], a.varargRanges[i], "a print value"));
  }
  AttrList attrs;
  attrs.set("prefix", prefix);
  L.emitOp(OpCode::Print, vals, {}, std::move(attrs));
  return SVal::none();
}

SVal bDeviceAssert(Lowerer &L, CallArgs &a) {
  Value *cond = L.toBool(tensorArg(L, a, "cond"), a.range("cond"));
  if (a.has("mask")) {
    Value *m = L.toBool(tensorArg(L, a, "mask"), a.range("mask"));
    cond = L.logicalAndOr(false, SVal::tensor(cond), SVal::tensor(L.logicalNot(m, a.callRange)),
                          a.callRange);
  }
  AttrList attrs;
  attrs.set("message", a.has("msg") ? L.str(a["msg"]) : std::string());
  attrs.set("file", std::string(L.sources().path(a.callRange.begin.file)));
  L.emitOp(OpCode::Assert, {cond}, {}, std::move(attrs));
  return SVal::none();
}

SVal bDebugBarrier(Lowerer &L, CallArgs &) {
  L.emitOp(OpCode::Barrier, {}, {});
  return SVal::none();
}

SVal bHint(Lowerer &L, CallArgs &a) {
  // multiple_of / max_contiguous / max_constancy: checked like Triton's semantic.py.
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> values = L.requireIntList(a["values"], a.range("values"), "the values");
  size_t rank = Lowerer::shapeOf(x->type()).size();
  bool multipleOf = std::string_view(a.def->name) == "multiple_of";
  if ((multipleOf ? std::max<size_t>(1, rank) : rank) != values.size())
    L.error(a.range("values"), std::string(a.def->display) + ": " + std::to_string(values.size()) +
                                   " values for a value of rank " + std::to_string(rank));
  // As Triton's set_attr on the value: the hint goes onto the op that defines it (shared uses
  // see it too, exactly as in Triton), where the axis-info analysis reads it; CSE keys on
  // attributes, so a hinted op never merges with an unhinted twin. A kernel parameter has no
  // defining op: multiple_of raises its declared divisibility instead. Other block arguments
  // (loop-carried values) have nowhere to keep a hint, and it is dropped.
  AttrValue attr = values.size() == 1 && rank <= 1 ? AttrValue(values[0]) : AttrValue(values);
  if (Operation *def = x->definingOp()) {
    def->attrs().set(a.def->name, std::move(attr));
  } else if (multipleOf && L.currentFunction() && x->ownerBlock() == L.currentFunction()->body() &&
             x->index() < L.currentFunction()->params().size()) {
    ParamInfo &p = L.currentFunction()->params()[x->index()];
    p.divisibility = std::max(p.divisibility, values[0]);
  }
  return SVal::tensor(x);
}

SVal bAssume(Lowerer &L, CallArgs &a) {
  if (!a["cond"].containsRuntime())
    return SVal::none();
  L.toBool(tensorArg(L, a, "cond"), a.range("cond"));
  return SVal::none(); // a hint only
}

// dtype predicates (x.dtype.is_floating(), ...)
template <int Which> SVal bDTypeIs(Lowerer &L, CallArgs &a) {
  const Type *t = L.requireDType(a["self"], a.range("self"), "the dtype");
  bool r = false;
  ScalarKind k = t->isScalar() ? t->scalarKind() : ScalarKind::I64;
  bool s = t->isScalar();
  switch (Which) {
  case 0:
    r = s && isFloatKind(k);
    break;
  case 1:
    r = s && isIntegerKind(k);
    break;
  case 2:
    r = s && tritonIsSigned(k);
    break;
  case 3:
    r = s && tritonIsUnsigned(k);
    break;
  case 4:
    r = t->isPointer();
    break;
  case 5:
    r = s && k == ScalarKind::I1;
    break;
  case 6:
    r = s && (k == ScalarKind::F8E4NV || k == ScalarKind::F8E5);
    break;
  case 7:
    r = s && k == ScalarKind::F16;
    break;
  case 8:
    r = s && k == ScalarKind::BF16;
    break;
  case 9:
    r = s && k == ScalarKind::F32;
    break;
  case 10:
    r = s && k == ScalarKind::F64;
    break;
  case 11:
    r = s && (k == ScalarKind::F16 || k == ScalarKind::BF16 || k == ScalarKind::F32 ||
              k == ScalarKind::F64);
    break;
  case 12:
    r = t->isBlock(); // only x.type of a block is a block type
    break;
  }
  return SVal::boolean(r);
}

// dtype.is_int8(), is_uint64(), ...: one scalar kind.
template <ScalarKind Kind> SVal bDTypeIsKind(Lowerer &L, CallArgs &a) {
  const Type *t = L.requireDType(a["self"], a.range("self"), "the dtype");
  return SVal::boolean(t->isScalar() && t->scalarKind() == Kind);
}

SVal bJitDecorator(Lowerer &L, CallArgs &a) {
  // `k = triton.jit(k)`: the call form of the decorator makes a plain def a jit function.
  if (a.varargs.size() == 1 && a.varargs[0].is(K::Function)) {
    L.markJit(a.varargs[0].functionDef());
    return a.varargs[0];
  }
  L.error(a.calleeRange,
          std::string(a.def->display) +
              " is a decorator; as a call it takes one function (k = triton.jit(k))");
}

} // namespace

// Defined in Library.cpp.
SVal builtinSum(Lowerer &, CallArgs &);
SVal builtinMaxReduce(Lowerer &, CallArgs &);
SVal builtinMinReduce(Lowerer &, CallArgs &);
SVal builtinArgmax(Lowerer &, CallArgs &);
SVal builtinArgmin(Lowerer &, CallArgs &);
SVal builtinXorSum(Lowerer &, CallArgs &);
SVal builtinReduce(Lowerer &, CallArgs &);
SVal builtinCumsum(Lowerer &, CallArgs &);
SVal builtinCumprod(Lowerer &, CallArgs &);
SVal builtinAssociativeScan(Lowerer &, CallArgs &);
SVal builtinSoftmax(Lowerer &, CallArgs &);
SVal builtinDot(Lowerer &, CallArgs &);
SVal builtinAtomicRMW(Lowerer &, CallArgs &);
SVal builtinAtomicCas(Lowerer &, CallArgs &);
SVal builtinRandint4x(Lowerer &, CallArgs &);
SVal builtinRandint(Lowerer &, CallArgs &);
SVal builtinRand(Lowerer &, CallArgs &);
SVal builtinRandn(Lowerer &, CallArgs &);
SVal builtinHistogram(Lowerer &, CallArgs &);
SVal builtinGather(Lowerer &, CallArgs &);
SVal builtinSort(Lowerer &, CallArgs &);
SVal builtinFlip(Lowerer &, CallArgs &);
SVal builtinMakeBlockPtr(Lowerer &, CallArgs &);
SVal builtinAdvance(Lowerer &, CallArgs &);
SVal builtinMakeTensorDescriptor(Lowerer &, CallArgs &);
SVal builtinDescLoad(Lowerer &, CallArgs &);
SVal builtinDescStore(Lowerer &, CallArgs &);

const std::vector<BuiltinDef> &builtinTable() {
  using namespace bflag;
  constexpr unsigned TLM = TL | Math;
  constexpr unsigned TLMM = TL | Math | Method;
  static const std::vector<BuiltinDef> table = {
      // ---- Python builtins
      {"range", "range", {"arg1", "arg2?", "step?"}, bRange, Python | Iterator},
      {"min", "min", {"*args"}, bPyMin, Python},
      {"max", "max", {"*args"}, bPyMax, Python},
      {"len", "len", {"obj"}, bLen, Python},
      {"int", "int", {"x"}, bInt, Python},
      {"float", "float", {"x"}, bFloat, Python},
      {"bool", "bool", {"x"}, bBool, Python},
      {"abs", "abs", {"x"}, bPyAbs, Python},
      {"print", "print", {"*args"}, bPrint, Python},
      {"getattr", "getattr", {"obj", "name"}, bGetattr, Python},
      {"isinstance", "isinstance", {"obj", "cls"}, bIsinstance, Python},
      // ---- the triton package
      {"cdiv", "triton.cdiv", {"x", "div"}, bCdiv, Triton},
      {"next_power_of_2", "triton.next_power_of_2", {"n"}, bNextPow2, Triton},
      {"jit", "triton.jit", {"*args"}, bJitDecorator, Triton | TL},
      // ---- compile-time helpers
      {"constexpr", "tl.constexpr", {"value"}, bConstexpr, TL},
      {"pointer_type", "tl.pointer_type", {"element_ty", "address_space?"}, bPointerType, TL},
      {"static_assert", "tl.static_assert", {"cond", "msg?"}, bStaticAssert, TL},
      {"static_print", "tl.static_print", {"*args"}, bStaticPrint, TL},
      {"static_range", "tl.static_range", {"arg1", "arg2?", "step?"}, bStaticRange, TL | Iterator},
      {"range",
       "tl.range",
       {"arg1", "arg2?", "step?", "num_stages?", "loop_unroll_factor?",
        "disallow_acc_multi_buffer?", "flatten?", "warp_specialize?", "disable_licm?"},
       bRange,
       TL | Iterator},
      {"cdiv", "tl.cdiv", {"x", "div"}, bCdiv, TL | Method},
      // ---- program ids and creation
      {"program_id", "tl.program_id", {"axis"}, bProgramId, TL},
      {"num_programs", "tl.num_programs", {"axis"}, bNumPrograms, TL},
      {"arange", "tl.arange", {"start", "end"}, bArange, TL},
      {"zeros", "tl.zeros", {"shape", "dtype"}, bZeros, TL},
      {"full", "tl.full", {"shape", "value", "dtype"}, bFull, TL},
      {"zeros_like", "tl.zeros_like", {"input", "dtype?"}, bZerosLike, TL | Method},
      // ---- memory
      {"load",
       "tl.load",
       {"pointer", "mask?", "other?", "boundary_check?", "padding_option?", "cache_modifier?",
        "eviction_policy?", "volatile?"},
       bLoad,
       TL},
      {"store",
       "tl.store",
       {"pointer", "value", "mask?", "boundary_check?", "cache_modifier?", "eviction_policy?"},
       bStore,
       TL},
      {"make_block_ptr",
       "tl.make_block_ptr",
       {"base", "shape", "strides", "offsets", "block_shape", "order"},
       builtinMakeBlockPtr,
       TL},
      {"advance", "tl.advance", {"base", "offsets"}, builtinAdvance, TL},
      {"make_tensor_descriptor",
       "tl.make_tensor_descriptor",
       {"base", "shape", "strides", "block_shape", "padding_option?"},
       builtinMakeTensorDescriptor,
       TL},
      {"load", "tensor_descriptor.load", {"self", "offsets"}, builtinDescLoad, DescMethod},
      {"store",
       "tensor_descriptor.store",
       {"self", "offsets", "value"},
       builtinDescStore,
       DescMethod},
      // ---- elementwise
      {"where", "tl.where", {"condition", "x", "y"}, bWhere, TL},
      {"cast",
       "tl.cast",
       {"input", "dtype", "fp_downcast_rounding?", "bitcast?"},
       bCast,
       TL | Method},
      {"to", "tensor.to", {"input", "dtype", "fp_downcast_rounding?", "bitcast?"}, bCast, Method},
      {"maximum", "tl.maximum", {"x", "y", "propagate_nan?"}, bMaximum, TLM},
      {"minimum", "tl.minimum", {"x", "y", "propagate_nan?"}, bMinimum, TLM},
      {"clamp", "tl.clamp", {"x", "min", "max", "propagate_nan?"}, bClamp, TLM},
      {"exp", "tl.exp", {"x"}, bMath<OpCode::Exp>, TLMM},
      {"exp2", "tl.exp2", {"x"}, bMath<OpCode::Exp2>, TLMM},
      {"log", "tl.log", {"x"}, bMath<OpCode::Log>, TLMM},
      {"log2", "tl.log2", {"x"}, bMath<OpCode::Log2>, TLMM},
      {"sqrt", "tl.sqrt", {"x"}, bMath<OpCode::Sqrt>, TLMM},
      {"sqrt_rn", "tl.sqrt_rn", {"x"}, bMath<OpCode::SqrtRn, true>, TLMM},
      {"rsqrt", "tl.rsqrt", {"x"}, bMath<OpCode::Rsqrt>, TLMM},
      {"sin", "tl.sin", {"x"}, bMath<OpCode::Sin>, TLMM},
      {"cos", "tl.cos", {"x"}, bMath<OpCode::Cos>, TLMM},
      {"floor", "tl.floor", {"x"}, bMath<OpCode::Floor>, TLMM},
      {"ceil", "tl.ceil", {"x"}, bMath<OpCode::Ceil>, TLMM},
      {"erf", "tl.erf", {"x"}, bMath<OpCode::Erf>, TLMM},
      {"abs", "tl.abs", {"x"}, bAbs, TLMM},
      {"fma", "tl.fma", {"x", "y", "z"}, bFma, TLM},
      {"umulhi", "tl.umulhi", {"x", "y"}, bUmulhi, TLM},
      {"fdiv", "tl.fdiv", {"x", "y", "ieee_rounding?"}, bFdiv, TLM},
      {"div_rn", "tl.div_rn", {"x", "y"}, bDivRn, TLM},
      {"sigmoid", "tl.sigmoid", {"x"}, bSigmoid, TL | Method | Standard},
      {"softmax",
       "tl.softmax",
       {"x", "dim?", "keep_dims?", "ieee_rounding?"},
       builtinSoftmax,
       TL | Method | Standard},
      {"libdevice_call", "libdevice", {"*args"}, bLibdevice, Libdevice},
      // ---- shapes
      {"expand_dims", "tl.expand_dims", {"input", "axis"}, bExpandDims, TL | Method},
      {"reshape", "tl.reshape", {"input", "*shape", "can_reorder?"}, bReshape, TL | Method},
      {"view", "tl.view", {"input", "*shape"}, bView, TL | Method},
      {"broadcast_to", "tl.broadcast_to", {"input", "*shape"}, bBroadcastTo, TL | Method},
      {"broadcast", "tl.broadcast", {"input", "other"}, bBroadcast, TL},
      {"trans", "tl.trans", {"input", "*dims"}, bTrans, TL | Method},
      {"permute", "tl.permute", {"input", "*dims"}, bPermute, TL | Method},
      {"ravel", "tl.ravel", {"x", "can_reorder?"}, bRavel, TL | Method},
      {"join", "tl.join", {"a", "b"}, bJoin, TL | Method},
      {"split", "tl.split", {"a"}, bSplit, TL | Method},
      {"interleave", "tl.interleave", {"a", "b"}, bInterleave, TL | Method},
      {"cat", "tl.cat", {"input", "other", "can_reorder?"}, bCat, TL},
      // ---- reductions and scans
      {"sum",
       "tl.sum",
       {"input", "axis?", "keep_dims?", "dtype?"},
       builtinSum,
       TL | Method | Standard},
      {"max",
       "tl.max",
       {"input", "axis?", "return_indices?", "return_indices_tie_break_left?", "keep_dims?"},
       builtinMaxReduce,
       TL | Method | Standard},
      {"min",
       "tl.min",
       {"input", "axis?", "return_indices?", "return_indices_tie_break_left?", "keep_dims?"},
       builtinMinReduce,
       TL | Method | Standard},
      {"argmax",
       "tl.argmax",
       {"input", "axis", "tie_break_left?", "keep_dims?"},
       builtinArgmax,
       TL | Method | Standard},
      {"argmin",
       "tl.argmin",
       {"input", "axis", "tie_break_left?", "keep_dims?"},
       builtinArgmin,
       TL | Method | Standard},
      {"xor_sum",
       "tl.xor_sum",
       {"input", "axis?", "keep_dims?"},
       builtinXorSum,
       TL | Method | Standard},
      {"reduce",
       "tl.reduce",
       {"input", "axis", "combine_fn", "keep_dims?"},
       builtinReduce,
       TL | Method},
      {"cumsum",
       "tl.cumsum",
       {"input", "axis?", "reverse?", "dtype?"},
       builtinCumsum,
       TL | Method | Standard},
      {"cumprod",
       "tl.cumprod",
       {"input", "axis?", "reverse?", "dtype?"},
       builtinCumprod,
       TL | Method | Standard},
      {"associative_scan",
       "tl.associative_scan",
       {"input", "axis", "combine_fn", "reverse?"},
       builtinAssociativeScan,
       TL | Method},
      {"sort", "tl.sort", {"x", "dim?", "descending?"}, builtinSort, TL | Method},
      {"flip", "tl.flip", {"x", "dim?"}, builtinFlip, TL | Method},
      {"histogram", "tl.histogram", {"input", "num_bins", "mask?"}, builtinHistogram, TL | Method},
      {"gather", "tl.gather", {"src", "index", "axis"}, builtinGather, TL},
      // ---- matrix
      {"dot",
       "tl.dot",
       {"input", "other", "acc?", "input_precision?", "allow_tf32?", "max_num_imprecise_acc?",
        "out_dtype?"},
       builtinDot,
       TL},
      // ---- atomics (the kind is taken from the name)
      {"atomic_add",
       "tl.atomic_add",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_max",
       "tl.atomic_max",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_min",
       "tl.atomic_min",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_and",
       "tl.atomic_and",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_or",
       "tl.atomic_or",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_xor",
       "tl.atomic_xor",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_xchg",
       "tl.atomic_xchg",
       {"pointer", "val", "mask?", "sem?", "scope?"},
       builtinAtomicRMW,
       TL | Method},
      {"atomic_cas",
       "tl.atomic_cas",
       {"pointer", "cmp", "val", "sem?", "scope?"},
       builtinAtomicCas,
       TL | Method},
      // ---- random
      {"randint4x", "tl.randint4x", {"seed", "offset", "n_rounds?"}, builtinRandint4x, TL},
      {"randint", "tl.randint", {"seed", "offset", "n_rounds?"}, builtinRandint, TL},
      {"rand", "tl.rand", {"seed", "offset", "n_rounds?"}, builtinRand, TL},
      {"randn", "tl.randn", {"seed", "offset", "n_rounds?"}, builtinRandn, TL},
      // ---- debugging and hints
      {"device_print", "tl.device_print", {"prefix", "*args", "hex?"}, bDevicePrint, TL},
      {"device_assert", "tl.device_assert", {"cond", "msg?", "mask?"}, bDeviceAssert, TL},
      {"debug_barrier", "tl.debug_barrier", {}, bDebugBarrier, TL},
      {"multiple_of", "tl.multiple_of", {"input", "values"}, bHint, TL},
      {"max_contiguous", "tl.max_contiguous", {"input", "values"}, bHint, TL},
      {"max_constancy", "tl.max_constancy", {"input", "values"}, bHint, TL},
      {"assume", "tl.assume", {"cond"}, bAssume, TL},
      // ---- dtype methods
      {"is_floating", "dtype.is_floating", {"self"}, bDTypeIs<0>, DTypeMethod},
      {"is_int", "dtype.is_int", {"self"}, bDTypeIs<1>, DTypeMethod},
      {"is_int_signed", "dtype.is_int_signed", {"self"}, bDTypeIs<2>, DTypeMethod},
      {"is_int_unsigned", "dtype.is_int_unsigned", {"self"}, bDTypeIs<3>, DTypeMethod},
      {"is_ptr", "dtype.is_ptr", {"self"}, bDTypeIs<4>, DTypeMethod},
      {"is_bool", "dtype.is_bool", {"self"}, bDTypeIs<5>, DTypeMethod},
      {"is_fp8", "dtype.is_fp8", {"self"}, bDTypeIs<6>, DTypeMethod},
      {"is_fp16", "dtype.is_fp16", {"self"}, bDTypeIs<7>, DTypeMethod},
      {"is_bf16", "dtype.is_bf16", {"self"}, bDTypeIs<8>, DTypeMethod},
      {"is_fp32", "dtype.is_fp32", {"self"}, bDTypeIs<9>, DTypeMethod},
      {"is_fp64", "dtype.is_fp64", {"self"}, bDTypeIs<10>, DTypeMethod},
      {"is_standard_floating", "dtype.is_standard_floating", {"self"}, bDTypeIs<11>, DTypeMethod},
      {"is_block", "dtype.is_block", {"self"}, bDTypeIs<12>, DTypeMethod},
      {"is_int1", "dtype.is_int1", {"self"}, bDTypeIsKind<ScalarKind::I1>, DTypeMethod},
      {"is_int8", "dtype.is_int8", {"self"}, bDTypeIsKind<ScalarKind::I8>, DTypeMethod},
      {"is_int16", "dtype.is_int16", {"self"}, bDTypeIsKind<ScalarKind::I16>, DTypeMethod},
      {"is_int32", "dtype.is_int32", {"self"}, bDTypeIsKind<ScalarKind::I32>, DTypeMethod},
      {"is_int64", "dtype.is_int64", {"self"}, bDTypeIsKind<ScalarKind::I64>, DTypeMethod},
      {"is_uint8", "dtype.is_uint8", {"self"}, bDTypeIsKind<ScalarKind::U8>, DTypeMethod},
      {"is_uint16", "dtype.is_uint16", {"self"}, bDTypeIsKind<ScalarKind::U16>, DTypeMethod},
      {"is_uint32", "dtype.is_uint32", {"self"}, bDTypeIsKind<ScalarKind::U32>, DTypeMethod},
      {"is_uint64", "dtype.is_uint64", {"self"}, bDTypeIsKind<ScalarKind::U64>, DTypeMethod},
      {"is_fp8e4nv", "dtype.is_fp8e4nv", {"self"}, bDTypeIsKind<ScalarKind::F8E4NV>, DTypeMethod},
      {"is_fp8e5", "dtype.is_fp8e5", {"self"}, bDTypeIsKind<ScalarKind::F8E5>, DTypeMethod},
  };
  return table;
}

const BuiltinDef *findBuiltin(std::string_view name, unsigned flag) {
  for (const BuiltinDef &d : builtinTable())
    if ((d.flags & flag) && name == d.name)
      return &d;
  return nullptr;
}

} // namespace tritonc::sema
