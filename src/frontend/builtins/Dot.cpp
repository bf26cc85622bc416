// tl.dot: the matrix product's type rules (operand and out_dtype combinations, shapes, the
// input_precision / allow_tf32 choice), following Triton 3.x's semantic.py dot.
#include "frontend/builtins/Builtins.h"

namespace tritonc::sema {

SVal builtinDot(Lowerer &L, CallArgs &a) {
  Value *lhs = tensorArg(L, a, "input"), *rhs = tensorArg(L, a, "other");
  if (a.has("input_precision") && a.has("allow_tf32"))
    L.error(a.range("allow_tf32"),
            "tl.dot: only one of input_precision and allow_tf32 can be specified");
  // The default is tf32 (Triton's default on targets with tensor cores); allow_tf32=False
  // asks for ieee.
  std::string precision = "tf32";
  if (a.has("allow_tf32") && !boolArg(L, a, "allow_tf32", true))
    precision = "ieee";
  precision = stringArg(L, a, "input_precision", precision);
  if (precision != "tf32" && precision != "tf32x3" && precision != "ieee")
    L.error(a.range("input_precision"),
            "tl.dot: input_precision must be one of tf32, tf32x3, ieee; got '" + precision + "'");
  const Type *outDtype = a.has("out_dtype") ? L.requireDType(a["out_dtype"], a.range("out_dtype"),
                                                             what(a, "out_dtype"))
                                            : L.scalar(ScalarKind::F32);

  auto shapeOrScalar = [&](Value *v) {
    return v->type()->isBlock() ? Lowerer::shapeStr(v->type()->shape()) : std::string("[]");
  };
  if (!lhs->type()->isBlock() || !rhs->type()->isBlock() ||
      lhs->type()->rank() != rhs->type()->rank() ||
      (lhs->type()->rank() != 2 && lhs->type()->rank() != 3))
    L.error(a.callRange, "tl.dot: both inputs must be either 2-D or 3-D blocks (lhs: " +
                             shapeOrScalar(lhs) + " vs rhs: " + shapeOrScalar(rhs) + ")");

  ScalarKind lk = kindOf(lhs), rk = kindOf(rhs);
  auto isFp8 = [](ScalarKind k) { return k == ScalarKind::F8E4NV || k == ScalarKind::F8E5; };
  auto supported = [](ScalarKind k) {
    return k == ScalarKind::I8 || k == ScalarKind::U8 || k == ScalarKind::F16 ||
           k == ScalarKind::BF16 || k == ScalarKind::F32 || k == ScalarKind::F64;
  };
  if (!(isFp8(lk) && isFp8(rk))) {
    if (!supported(lk))
      L.error(a.range("input"), "tl.dot: unsupported lhs dtype " + Lowerer::typeStr(lhs->type()));
    if (!supported(rk))
      L.error(a.range("other"), "tl.dot: unsupported rhs dtype " + Lowerer::typeStr(rhs->type()));
    if (lk != rk)
      L.error(a.callRange, "tl.dot: both operands must be the same dtype, got " +
                               Lowerer::typeStr(lhs->type()->element()) + " and " +
                               Lowerer::typeStr(rhs->type()->element()));
  }

  const std::vector<int64_t> &ls = lhs->type()->shape(), &rs = rhs->type()->shape();
  size_t r = ls.size();
  int64_t M = ls[r - 2], K = ls[r - 1], K2 = rs[r - 2], N = rs[r - 1];
  if (K != K2)
    L.error(a.callRange, "tl.dot: first input shape " + Lowerer::shapeStr(ls) +
                             " and second input shape " + Lowerer::shapeStr(rs) +
                             " are not compatible for matmul (second index of first shape (" +
                             std::to_string(K) +
                             ") must be equal to first index of second shape (" +
                             std::to_string(K2) + "))");
  if (r == 3 && ls[0] != rs[0])
    L.error(a.callRange, "tl.dot: batch dimensions differ: " + Lowerer::shapeStr(ls) + " and " +
                             Lowerer::shapeStr(rs));
  if (M < 16 || N < 16 || K < 16)
    L.error(a.callRange, "tl.dot: input shapes should have M >= 16, N >= 16 and K >= 16, got " +
                             Lowerer::shapeStr(ls) + " and " + Lowerer::shapeStr(rs));

  const Type *retScalar = nullptr;
  if (isIntegerKind(lk)) {
    if (lk != ScalarKind::I8)
      L.error(a.range("input"), "tl.dot: only int8 is supported among integer operands, got " +
                                    Lowerer::typeStr(lhs->type()->element()));
    if (outDtype != L.scalar(ScalarKind::I32))
      L.error(a.callRange, "tl.dot: int8 operands need out_dtype=tl.int32, got out_dtype=" +
                               Lowerer::typeStr(outDtype));
    retScalar = L.scalar(ScalarKind::I32);
  } else if (outDtype->isScalar() && outDtype->scalarKind() == ScalarKind::BF16) {
    L.error(a.range("out_dtype"), "tl.dot: out_dtype=bfloat16 is unsupported; use "
                                  "out_dtype=float32/float16 and cast with .to(tl.bfloat16)");
  } else if (lk == ScalarKind::F32 || lk == ScalarKind::BF16) {
    retScalar = L.scalar(ScalarKind::F32);
  } else if (lk == ScalarKind::F64) {
    retScalar = L.scalar(ScalarKind::F64);
  } else {
    if (!(outDtype->isScalar() &&
          (outDtype->scalarKind() == ScalarKind::F16 || outDtype->scalarKind() == ScalarKind::F32)))
      L.error(a.range("out_dtype"), "tl.dot: out_dtype must be fp16 or fp32 for " +
                                        Lowerer::typeStr(lhs->type()->element()) +
                                        " operands, got " + Lowerer::typeStr(outDtype));
    retScalar = outDtype;
  }
  std::vector<int64_t> retShape = ls;
  retShape[r - 1] = N;
  const Type *retTy = L.ctx().block(retScalar, retShape);
  Value *acc = nullptr;
  if (a.has("acc")) {
    acc = tensorArg(L, a, "acc");
    if (acc->type() != retTy)
      L.error(a.range("acc"), "tl.dot: acc must be " + Lowerer::typeStr(retTy) + ", got " +
                                  Lowerer::typeStr(acc->type()));
  } else {
    acc = retScalar->isFloat() ? L.floatConst(0.0, retTy) : L.intConst(0, retTy);
  }
  AttrList attrs;
  attrs.set("input_precision", precision);
  return SVal::tensor(L.emit(OpCode::Dot, {lhs, rhs, acc}, retTy, std::move(attrs)));
}

} // namespace tritonc::sema
