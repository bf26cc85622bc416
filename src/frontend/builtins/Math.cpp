// Elementwise math builtins (triton.language.math and libdevice): tl.maximum / minimum /
// clamp, the unary float functions (exp, log, sqrt, ...), tl.abs, tl.fma, tl.umulhi, tl.fdiv,
// tl.div_rn, tl.sigmoid and libdevice.NAME(...) extern calls.
#include "frontend/builtins/Builtins.h"

namespace tritonc::sema {

SVal builtinMaximum(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.minMax(true, a["x"], a["y"], propagateNanArg(L, a), a.callRange));
}
SVal builtinMinimum(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.minMax(false, a["x"], a["y"], propagateNanArg(L, a), a.callRange));
}

SVal builtinClamp(Lowerer &L, CallArgs &a) {
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

SVal builtinUnaryMath(Lowerer &L, CallArgs &a, OpCode code, bool fp32Only) {
  return SVal::tensor(L.unaryMath(code, a["x"], a.def->display, a.range("x"), fp32Only));
}

SVal builtinAbs(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "x");
  if (x->type()->isPointerLike())
    L.error(a.range("x"), "tl.abs of a pointer is not defined");
  if (x->type()->isUnsigned() || x->type()->isBool())
    return SVal::tensor(x);
  return SVal::tensor(L.emit(OpCode::Abs, {x}, x->type()));
}

namespace {

/// Triton's binary_op_type_legalization for math helpers: both become tensors first.
std::pair<Value *, Value *> legalize(Lowerer &L, CallArgs &a, const SVal &x, const SVal &y) {
  Value *tx = L.toTensor(x, a.callRange, a.def->display);
  Value *ty = L.toTensor(y, a.callRange, a.def->display);
  return L.binaryOperands(SVal::tensor(tx), SVal::tensor(ty), false, false, true, false,
                          a.callRange, a.def->display);
}

} // namespace

SVal builtinFma(Lowerer &L, CallArgs &a) {
  auto [x, y] = legalize(L, a, a["x"], a["y"]);
  auto [z, x2] = legalize(L, a, a["z"], SVal::tensor(x));
  auto [z2, y2] = legalize(L, a, SVal::tensor(z), SVal::tensor(y));
  x2 = L.broadcastTo(x2, Lowerer::shapeOf(z2->type()), a.callRange, "tl.fma");
  if (!x2->type()->isFloat())
    L.error(a.callRange, "tl.fma needs floating-point values, got " + Lowerer::typeStr(x2->type()));
  return SVal::tensor(L.emit(OpCode::Fma, {x2, y2, z2}, z2->type()));
}

SVal builtinUmulhi(Lowerer &L, CallArgs &a) {
  auto [x, y] = legalize(L, a, a["x"], a["y"]);
  ScalarKind k = x->type()->scalarType()->scalarKind();
  if (k != ScalarKind::I32 && k != ScalarKind::I64 && k != ScalarKind::U32 && k != ScalarKind::U64)
    L.error(a.callRange, "tl.umulhi needs int32, int64, uint32 or uint64 values, got " +
                             Lowerer::typeStr(x->type()));
  return SVal::tensor(L.emit(OpCode::UMulHi, {x, y}, x->type()));
}

SVal builtinFdiv(Lowerer &L, CallArgs &a) {
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

SVal builtinDivRn(Lowerer &L, CallArgs &a) {
  auto [x, y] = legalize(L, a, a["x"], a["y"]);
  if (x->type()->scalarType()->scalarKind() != ScalarKind::F32)
    L.error(a.callRange, "tl.div_rn needs fp32 values, got " + Lowerer::typeStr(x->type()));
  return SVal::tensor(L.emit(OpCode::DivRn, {x, y}, x->type()));
}

SVal builtinSigmoid(Lowerer &L, CallArgs &a) {
  // standard.py: 1 / (1 + exp(-x)).
  Value *x = tensorArg(L, a, "x");
  Value *e =
      L.unaryMath(OpCode::Exp, SVal::tensor(L.neg(x, a.callRange)), "tl.sigmoid", a.range("x"));
  SVal den = L.evalBinary(ast::BinaryOp::Add, SVal::integer(1), SVal::tensor(e), a.callRange);
  return L.evalBinary(ast::BinaryOp::Div, SVal::integer(1), den, a.callRange);
}

SVal builtinLibdevice(Lowerer &L, CallArgs &a) {
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

} // namespace tritonc::sema
