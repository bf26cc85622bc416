// Python's builtins as Triton's code generator knows them (range, min, max, len, int, float,
// bool, abs, getattr, isinstance) and the triton package (triton.cdiv, triton.next_power_of_2,
// triton.jit), plus tl.static_range: compile-time numbers fold with Python's semantics, runtime
// values go through Semantic.cpp.
#include "frontend/builtins/Builtins.h"

#include <bit>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace tritonc::sema {

using K = SVal::Kind;

namespace {

SVal iteratorTuple(const char *kind, SVal start, SVal end, SVal step, SVal stages, SVal unroll) {
  return SVal::tuple({SVal::string(kind), std::move(start), std::move(end), std::move(step),
                      std::move(stages), std::move(unroll)});
}

} // namespace

SVal builtinRange(Lowerer &L, CallArgs &a) {
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

SVal builtinStaticRange(Lowerer &L, CallArgs &a) {
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

namespace {

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

} // namespace

SVal builtinPyMin(Lowerer &L, CallArgs &a) { return pyMinMax(L, a, false); }
SVal builtinPyMax(Lowerer &L, CallArgs &a) { return pyMinMax(L, a, true); }

SVal builtinLen(Lowerer &L, CallArgs &a) {
  const SVal &v = a["obj"];
  if (v.isTuple())
    return SVal::integer(static_cast<int64_t>(v.elems().size()));
  if (v.is(K::String))
    return SVal::integer(static_cast<int64_t>(v.stringValue().size()));
  if (v.isTensor() && v.type()->isBlock())
    return SVal::integer(v.type()->shape()[0]);
  L.error(a.range("obj"), "len() of " + L.describe(v) + " is not defined");
}

SVal builtinInt(Lowerer &L, CallArgs &a) {
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

SVal builtinFloat(Lowerer &L, CallArgs &a) {
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

SVal builtinBool(Lowerer &L, CallArgs &a) {
  const SVal &v = a["x"];
  if (v.isTensor())
    L.error(a.range("x"), "bool() needs a compile-time value; use .to(tl.int1) on tensors");
  return SVal::boolean(L.truthy(v, a.range("x")));
}

SVal builtinPyAbs(Lowerer &L, CallArgs &a) {
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

SVal builtinGetattr(Lowerer &L, CallArgs &a) {
  std::string name = L.requireString(a["name"], a.range("name"), "the attribute name");
  return L.getAttribute(a["obj"], name, a.range("name"));
}

SVal builtinIsinstance(Lowerer &L, CallArgs &a) {
  L.error(a.callRange, "isinstance() is not supported in .tt files");
}

SVal builtinCdiv(Lowerer &L, CallArgs &a) {
  const SVal &x = a["x"], &d = a["div"];
  // (x + div - 1) // div, as Triton's cdiv; compile-time values fold with Python's semantics.
  SVal s = L.evalBinary(ast::BinaryOp::Add, x, d, a.callRange);
  s = L.evalBinary(ast::BinaryOp::Sub, s, SVal::integer(1), a.callRange);
  return L.evalBinary(ast::BinaryOp::FloorDiv, s, d, a.callRange);
}

SVal builtinNextPow2(Lowerer &L, CallArgs &a) {
  int64_t n = L.requireInt(a["n"], a.range("n"), "the argument of next_power_of_2");
  // Triton's bit trick (0 gives 0); past 2^62 the next power of two needs 65 bits.
  if (n > (int64_t(1) << 62))
    L.error(a.range("n"), "integer overflow in a constant expression (next_power_of_2(" +
                              std::to_string(n) + ") does not fit in 64 bits)");
  if (n <= 0)
    return SVal::integer(0); // what the bit trick gives for 0 and negative n, without n - 1
  return SVal::integer(static_cast<int64_t>(std::bit_ceil(static_cast<uint64_t>(n))));
}

SVal builtinJitDecorator(Lowerer &L, CallArgs &a) {
  // `k = triton.jit(k)`: the call form of the decorator makes a plain def a jit function.
  if (a.varargs.size() == 1 && a.varargs[0].is(K::Function)) {
    L.markJit(a.varargs[0].functionDef());
    return a.varargs[0];
  }
  L.error(a.calleeRange,
          std::string(a.def->display) +
              " is a decorator; as a call it takes one function (k = triton.jit(k))");
}

} // namespace tritonc::sema
