// The runtime half of Triton's semantic.py: building Tile IR for casts, broadcasting, binary
// operators with Triton's promotion of weak Python scalars, comparisons, select and the
// elementwise math helpers. Every function takes the SourceRange that errors point at; ops
// carry the Lowerer's current location.
#include "frontend/Promotion.h"
#include "frontend/Sema.h"
#include "support/Bits.h"

namespace tritonc::sema {

static constexpr int64_t kMaxNumel = kMaxBlockElements; // Triton's TRITON_MAX_TENSOR_NUMEL

// ------------------------------------------------------------------------------------------------
// Emission
// ------------------------------------------------------------------------------------------------

Operation *Lowerer::emitOp(OpCode code, std::vector<Value *> operands,
                           std::vector<const Type *> resultTypes, AttrList attrs,
                           unsigned numRegions) {
  if (!emitting_)
    error(SourceRange(curLoc_), "this expression needs a runtime value, but module-level values "
                                "must be compile-time constants");
  // Every block the front end makes passes here: none may outgrow what the IR text accepts
  // (x[None, None, ...] adds a dimension without going through blockType).
  for (const Type *t : resultTypes)
    if (t && t->isBlock() && t->rank() > kMaxBlockRank)
      error(SourceRange(curLoc_), "block of rank " + std::to_string(t->rank()) +
                                      " exceeds the limit of " + std::to_string(kMaxBlockRank) +
                                      " dimensions");
  return builder_.create(code, std::move(operands), std::move(resultTypes), std::move(attrs),
                         curLoc_, numRegions);
}

Value *Lowerer::emit(OpCode code, std::vector<Value *> operands, const Type *resultType,
                     AttrList attrs) {
  return emitOp(code, std::move(operands), {resultType}, std::move(attrs))->result();
}

// ------------------------------------------------------------------------------------------------
// Types and constants
// ------------------------------------------------------------------------------------------------

const Type *Lowerer::blockType(const Type *elem, const std::vector<int64_t> &shape,
                               SourceRange where) {
  if (shape.empty())
    return elem;
  if (shape.size() > kMaxBlockRank) // (only dimensions of 1 get there within kMaxNumel)
    error(where, "block of rank " + std::to_string(shape.size()) + " exceeds the limit of " +
                     std::to_string(kMaxBlockRank) + " dimensions");
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (!isPowerOf2(d))
      error(where, "block dimension " + std::to_string(d) + " is not a power of two (shape " +
                       shapeStr(shape) + ")");
    numel *= d;
    if (numel > kMaxNumel)
      error(where, "block of shape " + shapeStr(shape) + " exceeds the limit of " +
                       std::to_string(kMaxNumel) + " elements");
  }
  return ctx_.block(elem, shape);
}

const Type *Lowerer::withElement(const Type *like, const Type *elem) {
  if (!like->isBlock())
    return elem;
  return ctx_.block(elem, like->shape());
}

Value *Lowerer::intConst(int64_t v, const Type *type) {
  AttrList attrs;
  attrs.set("value", v);
  return emit(OpCode::Constant, {}, type, std::move(attrs));
}

Value *Lowerer::floatConst(double v, const Type *type) {
  AttrList attrs;
  attrs.set("value", v);
  return emit(OpCode::Constant, {}, type, std::move(attrs));
}

Value *Lowerer::constant(const SVal &number, const Type *type, SourceRange where) {
  const Type *elem = type->scalarType();
  if (elem->isPointer())
    error(where, "cannot make a constant of pointer type " + typeStr(elem));
  if (elem->isFloat())
    return floatConst(number.floatValue(), type);
  if (number.is(SVal::Kind::Float)) {
    // Triton would reject a float for an integer dtype; truncate as C does.
    return intConst(static_cast<int64_t>(number.floatValue()), type);
  }
  int64_t v = number.intValue();
  if (elem->isBool())
    v = v != 0;
  return intConst(v, type);
}

const Type *Lowerer::literalType(const SVal &number) {
  switch (number.kind()) {
  case SVal::Kind::Bool:
    return scalar(ScalarKind::I1);
  case SVal::Kind::Int:
    return scalar(literalIntKind(number.intValue()));
  default:
    return scalar(literalFloatKind(number.floatValue()));
  }
}

Value *Lowerer::toTensor(const SVal &v, SourceRange where, std::string_view what) {
  if (v.isTensor())
    return v.value();
  if (v.isNumber())
    return constant(v, literalType(v), where);
  error(where, "expected a tensor or a number for " + std::string(what) + ", got " + describe(v));
}

// ------------------------------------------------------------------------------------------------
// Casts
// ------------------------------------------------------------------------------------------------

Value *Lowerer::cast(Value *v, const Type *dst, SourceRange where,
                     std::optional<std::string> rounding) {
  const Type *src = v->type()->scalarType();
  dst = dst->scalarType();
  if (src == dst)
    return v;
  const Type *dstTy = withElement(v->type(), dst);
  bool srcF = src->isFloat(), dstF = dst->isFloat();
  bool srcI = src->isInt(), dstI = dst->isInt();
  bool truncFp = srcF && dstF && src->bitWidth() > dst->bitWidth();
  if (rounding) {
    if (!truncFp)
      error(where, "fp_downcast_rounding is only valid for truncating float conversions, not " +
                       typeStr(src) + " to " + typeStr(dst));
    if (*rounding != "rtne" && *rounding != "rtz")
      error(where, "invalid rounding mode '" + *rounding +
                       "'; supported rounding modes are 'rtne' and 'rtz'");
  }
  auto plainCast = [&](const Type *to) {
    AttrList attrs;
    if (rounding && *rounding != "rtne")
      attrs.set("rounding", *rounding);
    return emit(OpCode::Cast, {v}, withElement(v->type(), to), std::move(attrs));
  };
  auto isFp8 = [](const Type *t) {
    return t->isScalar() &&
           (t->scalarKind() == ScalarKind::F8E4NV || t->scalarKind() == ScalarKind::F8E5);
  };
  // fp8 conversions and custom rounding are direct float-to-float conversions.
  if ((isFp8(src) && dstF) || (srcF && isFp8(dst)) || (rounding && *rounding != "rtne"))
    return plainCast(dst);
  // 16-bit floats convert through fp32 to anything but fp32 (Triton's rule).
  bool src16 = src->isScalar() &&
               (src->scalarKind() == ScalarKind::F16 || src->scalarKind() == ScalarKind::BF16);
  if (src16 && !(dst->isScalar() && dst->scalarKind() == ScalarKind::F32)) {
    Value *f = cast(v, scalar(ScalarKind::F32), where);
    return cast(f, dst, where);
  }
  if (srcF && dstF)
    return plainCast(dst);
  auto neZero = [&](Value *x) {
    const Type *st = x->type()->scalarType();
    Value *zero = st->isFloat() ? floatConst(0.0, x->type()) : intConst(0, x->type());
    AttrList attrs;
    attrs.set("pred", std::string("ne"));
    return emit(OpCode::Cmp, {x, zero}, withElement(x->type(), scalar(ScalarKind::I1)),
                std::move(attrs));
  };
  if (srcI && dstI) {
    if (dst->isBool())
      return neZero(v);
    return plainCast(dst);
  }
  if (srcF && dstI) {
    if (dst->isBool())
      return neZero(v);
    return plainCast(dst);
  }
  if (srcI && dstF)
    return plainCast(dst);
  if (src->isPointer() && dstI) {
    if (dst->bitWidth() == 64) {
      if (dst != scalar(ScalarKind::I64)) {
        Value *i = emit(OpCode::PtrToInt, {v}, withElement(v->type(), scalar(ScalarKind::I64)));
        return cast(i, dst, where);
      }
      return emit(OpCode::PtrToInt, {v}, dstTy);
    }
    if (dst->isBool()) {
      Value *i = emit(OpCode::PtrToInt, {v}, withElement(v->type(), scalar(ScalarKind::I64)));
      return neZero(i);
    }
    error(where, "cannot cast a pointer to " + typeStr(dst) + " (only to int64 or int1)");
  }
  if (srcI && dst->isPointer()) {
    Value *i = cast(v, scalar(ScalarKind::I64), where);
    return emit(OpCode::IntToPtr, {i}, dstTy);
  }
  if (src->isPointer() && dst->isPointer())
    return emit(OpCode::Cast, {v}, dstTy);
  error(where, "cannot cast " + typeStr(src) + " to " + typeStr(dst));
}

Value *Lowerer::bitcast(Value *v, const Type *dst, SourceRange where) {
  const Type *src = v->type()->scalarType();
  dst = dst->scalarType();
  if (src == dst)
    return v;
  if (src->isPointer() || dst->isPointer())
    return cast(v, dst, where);
  if (src->bitWidth() != dst->bitWidth())
    error(where, "cannot bitcast " + typeStr(src) + " (" + std::to_string(src->bitWidth()) +
                     " bits) to " + typeStr(dst) + " (" + std::to_string(dst->bitWidth()) +
                     " bits)");
  return emit(OpCode::Bitcast, {v}, withElement(v->type(), dst));
}

Value *Lowerer::toBool(Value *v, SourceRange where) {
  return cast(v, scalar(ScalarKind::I1), where);
}

// ------------------------------------------------------------------------------------------------
// Shapes
// ------------------------------------------------------------------------------------------------

Value *Lowerer::splat(Value *v, const std::vector<int64_t> &shape) {
  if (shape.empty())
    return v;
  return emit(OpCode::Splat, {v}, ctx_.block(v->type(), shape));
}

Value *Lowerer::expandDims(Value *v, int axis, SourceRange where) {
  std::vector<int64_t> shape = shapeOf(v->type());
  int rank = static_cast<int>(shape.size());
  if (axis < 0)
    axis += rank + 1;
  if (axis < 0 || axis > rank)
    error(where, "axis " + std::to_string(axis) + " is out of range for expand_dims of a " +
                     std::to_string(rank) + "-d value");
  shape.insert(shape.begin() + axis, 1);
  if (!v->type()->isBlock())
    return splat(v, shape);
  AttrList attrs;
  attrs.set("axis", int64_t(axis));
  return emit(OpCode::ExpandDims, {v}, ctx_.block(v->type()->element(), shape), std::move(attrs));
}

Value *Lowerer::reshape(Value *v, const std::vector<int64_t> &shape, bool canReorder,
                        SourceRange where) {
  int64_t numel = 1;
  for (int64_t d : shape)
    numel *= d;
  int64_t srcNumel = v->type()->isBlock() ? v->type()->numElements() : 1;
  if (numel != srcNumel)
    error(where, "reshape cannot change the number of elements (" + shapeStr(shapeOf(v->type())) +
                     " to " + shapeStr(shape) + ")");
  const Type *elem = v->type()->scalarType();
  if (shape.empty()) {
    // A one-element block to a scalar: reduce would be the IR way; reshape keeps it simple.
    error(where, "reshape to a scalar (shape []) is not supported");
  }
  const Type *dstTy = blockType(elem, shape, where);
  if (!v->type()->isBlock())
    return splat(v, shape);
  if (dstTy == v->type())
    return v;
  AttrList attrs;
  attrs.set("can_reorder", canReorder);
  return emit(OpCode::Reshape, {v}, dstTy, std::move(attrs));
}

std::vector<int64_t> Lowerer::broadcastShapes(const std::vector<int64_t> &a,
                                              const std::vector<int64_t> &b, SourceRange where,
                                              std::string_view opName) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the right (NumPy): missing leading dims are 1.
    int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da == db || db == 1)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else
      error(where, "incompatible shapes " + shapeStr(a) + " and " + shapeStr(b) + " in '" +
                       std::string(opName) + "'");
  }
  return out;
}

Value *Lowerer::broadcastTo(Value *v, const std::vector<int64_t> &shape, SourceRange where,
                            std::string_view context) {
  const Type *t = v->type();
  if (!t->isBlock()) {
    if (shape.empty())
      return v;
    return splat(v, shape);
  }
  const std::vector<int64_t> &src = t->shape();
  if (src == shape)
    return v;
  auto fail = [&]() {
    error(where, "cannot broadcast a value of shape " + shapeStr(src) + " to shape " +
                     shapeStr(shape) + " in " + std::string(context));
  };
  if (src.size() > shape.size())
    fail();
  size_t lead = shape.size() - src.size();
  for (size_t i = 0; i < src.size(); ++i)
    if (src[i] != shape[lead + i] && src[i] != 1)
      fail();
  for (size_t i = 0; i < lead; ++i)
    v = expandDims(v, 0, where);
  if (v->type()->shape() == shape)
    return v;
  return emit(OpCode::Broadcast, {v}, ctx_.block(t->element(), shape));
}

std::pair<Value *, Value *> Lowerer::broadcastPair(Value *a, Value *b, SourceRange where,
                                                   std::string_view opName) {
  std::vector<int64_t> shape =
      broadcastShapes(shapeOf(a->type()), shapeOf(b->type()), where, opName);
  return {broadcastTo(a, shape, where, opName), broadcastTo(b, shape, where, opName)};
}

// ------------------------------------------------------------------------------------------------
// Binary operators
// ------------------------------------------------------------------------------------------------

std::pair<Value *, Value *> Lowerer::binaryOperands(const SVal &lhs, const SVal &rhs,
                                                    bool allowLhsPtr, bool allowRhsPtr,
                                                    bool arithmeticCheck, bool divOrMod,
                                                    SourceRange where, std::string_view opName) {
  bool lScalar = lhs.isNumber(), rScalar = rhs.isNumber();
  for (const SVal *v : {&lhs, &rhs})
    if (!v->isNumber() && !v->isTensor())
      error(where, "unsupported operand for '" + std::string(opName) + "': " + describe(*v));
  const Type *lSca = lScalar ? literalType(lhs) : lhs.type()->scalarType();
  const Type *rSca = rScalar ? literalType(rhs) : rhs.type()->scalarType();
  auto invalid = [&]() {
    error(where, "invalid operands of type " + typeStr(lSca) + " and " + typeStr(rSca) + " for '" +
                     std::string(opName) + "'");
  };
  auto checkPtr = [&](const Type *a, const Type *b, bool allow) {
    if (!a->isPointer())
      return;
    if (!allow || (b->isPointer() && a != b) || b->isFloat())
      invalid();
  };
  checkPtr(lSca, rSca, allowLhsPtr);
  checkPtr(rSca, lSca, allowRhsPtr);
  const Type *lT = lSca, *rT = rSca;
  if (arithmeticCheck && !lSca->isPointer() && !rSca->isPointer()) {
    ComputationType ct =
        computationType(lSca->scalarKind(), lScalar, rSca->scalarKind(), rScalar, divOrMod);
    if (!ct.error.empty())
      error(where, ct.error + " in '" + std::string(opName) + "'");
    ScalarKind k = ct.kind;
    auto negative = [](const SVal &v) {
      return v.is(SVal::Kind::Float) ? v.floatValue() < 0 : v.intValue() < 0;
    };
    if (tritonIsUnsigned(k) && ((lScalar && negative(lhs)) || (rScalar && negative(rhs))))
      error(where, "cannot perform '" + std::string(opName) +
                       "' between an unsigned tensor and a negative scalar; cast one of them "
                       "explicitly");
    if (isIntegerKind(k)) {
      for (const SVal *v : {lScalar ? &lhs : nullptr, rScalar ? &rhs : nullptr})
        if (v && !v->is(SVal::Kind::Float) && !intFitsIn(v->intValue(), k))
          error(where, "scalar " + repr(*v) + " is out of range for type " +
                           std::string(scalarKindTritonName(k)) + " in '" + std::string(opName) +
                           "'");
    }
    lT = rT = scalar(k);
  }
  std::vector<int64_t> shape =
      broadcastShapes(lScalar ? std::vector<int64_t>{} : shapeOf(lhs.type()),
                      rScalar ? std::vector<int64_t>{} : shapeOf(rhs.type()), where, opName);
  auto materialize = [&](const SVal &v, bool isScalar, const Type *t) -> Value * {
    if (isScalar)
      return constant(v, shape.empty() ? t : ctx_.block(t, shape), where);
    Value *x = cast(v.value(), t, where);
    return broadcastTo(x, shape, where, "'" + std::string(opName) + "'");
  };
  Value *l = materialize(lhs, lScalar, lT);
  Value *r = materialize(rhs, rScalar, rT);
  return {l, r};
}

Value *Lowerer::addptr(Value *ptr, Value *offset, SourceRange where) {
  auto [p, o] = broadcastPair(ptr, offset, where, "+");
  return emit(OpCode::AddPtr, {p, o}, p->type());
}

static const char *opSpelling(ast::BinaryOp op) { return ast::spelling(op); }

Value *Lowerer::binaryArith(ast::BinaryOp op, const SVal &lhs, const SVal &rhs, SourceRange where) {
  std::string name = opSpelling(op);
  using B = ast::BinaryOp;
  switch (op) {
  case B::Add: {
    auto [l, r] = binaryOperands(lhs, rhs, true, true, true, false, where, name);
    bool lp = l->type()->isPointerLike(), rp = r->type()->isPointerLike();
    if (lp && rp)
      error(where, "cannot add pointers together");
    if (rp)
      std::swap(l, r);
    if (lp || rp) {
      const Type *ot = r->type()->scalarType();
      if (ot->isUnsigned() && ot->bitWidth() < 64)
        r = cast(r, scalar(ScalarKind::I64), where); // addptr offsets are signed: zero-extend
      return emit(OpCode::AddPtr, {l, r}, l->type());
    }
    return emit(OpCode::Add, {l, r}, l->type());
  }
  case B::Sub: {
    auto [l, r] = binaryOperands(lhs, rhs, true, false, true, false, where, name);
    if (l->type()->isPointerLike()) {
      const Type *ot = r->type()->scalarType();
      if (ot->isUnsigned() || ot->isBool())
        r = cast(r, scalar(ScalarKind::I64), where);
      return emit(OpCode::AddPtr, {l, neg(r, where)}, l->type());
    }
    return emit(OpCode::Sub, {l, r}, l->type());
  }
  case B::Mul: {
    auto [l, r] = binaryOperands(lhs, rhs, false, false, true, false, where, name);
    return emit(OpCode::Mul, {l, r}, l->type());
  }
  case B::Div: {
    auto [l, r] = binaryOperands(lhs, rhs, false, false, true, true, where, name);
    const Type *ls = l->type()->scalarType(), *rs = r->type()->scalarType();
    if (ls->isFloat() && rs->isInt())
      r = cast(r, ls, where);
    else if (ls->isInt() && rs->isFloat())
      l = cast(l, rs, where);
    else if (ls->isInt() && rs->isInt()) {
      l = cast(l, scalar(ScalarKind::F32), where);
      r = cast(r, scalar(ScalarKind::F32), where);
    } else if (fpMantissaWidth(ls->scalarKind()) > fpMantissaWidth(rs->scalarKind()))
      r = cast(r, ls, where);
    else
      l = cast(l, rs, where);
    return emit(OpCode::Div, {l, r}, l->type());
  }
  case B::FloorDiv: {
    auto [l, r] = binaryOperands(lhs, rhs, false, false, true, true, where, name);
    if (l->type()->isInt())
      return emit(OpCode::Div, {l, r}, l->type()); // truncates, as Triton's sdiv/udiv
    // Floats: floor(a / b) (Triton itself rejects `//` on floats).
    Value *q = emit(OpCode::Div, {l, r}, l->type());
    return emit(OpCode::Floor, {q}, q->type());
  }
  case B::Mod: {
    auto [l, r] = binaryOperands(lhs, rhs, false, false, true, true, where, name);
    return emit(OpCode::Rem, {l, r}, l->type());
  }
  case B::LShift:
  case B::RShift:
  case B::BitAnd:
  case B::BitOr:
  case B::BitXor: {
    auto [l, r] = binaryOperands(lhs, rhs, false, false, true, false, where, name);
    if (!l->type()->isInt() || !r->type()->isInt())
      error(where, "invalid operands of type " + typeStr(l->type()->scalarType()) + " and " +
                       typeStr(r->type()->scalarType()) + " for '" + name +
                       "' (bitwise operators need integers)");
    OpCode code = op == B::LShift   ? OpCode::Shl
                  : op == B::RShift ? OpCode::Shr
                  : op == B::BitAnd ? OpCode::And
                  : op == B::BitOr  ? OpCode::Or
                                    : OpCode::Xor;
    return emit(code, {l, r}, l->type());
  }
  case B::Pow:
    error(where, "'**' is only supported on constexpr values (use libdevice.pow for tensors)");
  case B::MatMul:
    error(where, "the '@' operator is not part of the language; use tl.dot");
  }
  error(where, "unsupported operator '" + name + "'");
}

Value *Lowerer::compare(ast::CmpOp op, const SVal &lhs, const SVal &rhs, SourceRange where) {
  std::string name = ast::spelling(op);
  auto [l, r] = binaryOperands(lhs, rhs, true, true, true, false, where, name);
  if (l->type()->isPointerLike() != r->type()->isPointerLike())
    error(where, "invalid operands of type " + typeStr(l->type()->scalarType()) + " and " +
                     typeStr(r->type()->scalarType()) + " for '" + name + "'");
  const char *pred = nullptr;
  switch (op) {
  case ast::CmpOp::Eq:
    pred = "eq";
    break;
  case ast::CmpOp::Ne:
    pred = "ne";
    break;
  case ast::CmpOp::Lt:
    pred = "lt";
    break;
  case ast::CmpOp::Le:
    pred = "le";
    break;
  case ast::CmpOp::Gt:
    pred = "gt";
    break;
  case ast::CmpOp::Ge:
    pred = "ge";
    break;
  default:
    error(where, "comparison '" + name + "' is not supported on tensors");
  }
  AttrList attrs;
  attrs.set("pred", std::string(pred));
  return emit(OpCode::Cmp, {l, r}, withElement(l->type(), scalar(ScalarKind::I1)),
              std::move(attrs));
}

Value *Lowerer::minMax(bool isMax, const SVal &a, const SVal &b, bool propagateNan,
                       SourceRange where) {
  // tl.maximum/minimum: both operands become tensors first (no weak scalars), bf16 computes
  // in fp32 (and stays fp32, as in Triton).
  const char *name = isMax ? "maximum" : "minimum";
  Value *x = toTensor(a, where, name), *y = toTensor(b, where, name);
  auto promoteBf16 = [&](Value *v) {
    if (v->type()->scalarType()->isScalar() &&
        v->type()->scalarType()->scalarKind() == ScalarKind::BF16)
      return cast(v, scalar(ScalarKind::F32), where);
    return v;
  };
  x = promoteBf16(x);
  y = promoteBf16(y);
  auto [l, r] =
      binaryOperands(SVal::tensor(x), SVal::tensor(y), false, false, true, false, where, name);
  AttrList attrs;
  if (propagateNan && l->type()->isFloat())
    attrs.set("propagate_nan", true);
  return emit(isMax ? OpCode::Max : OpCode::Min, {l, r}, l->type(), std::move(attrs));
}

Value *Lowerer::where(const SVal &condV, const SVal &a, const SVal &b, SourceRange where) {
  Value *cond = toBool(toTensor(condV, where, "the condition of tl.where"), where);
  auto [x, y] = binaryOperands(a, b, true, true, true, false, where, "tl.where");
  std::vector<int64_t> shape =
      broadcastShapes(shapeOf(cond->type()), shapeOf(x->type()), where, "tl.where");
  cond = broadcastTo(cond, shape, where, "tl.where");
  x = broadcastTo(x, shape, where, "tl.where");
  y = broadcastTo(y, shape, where, "tl.where");
  return emit(OpCode::Select, {cond, x, y}, x->type());
}

Value *Lowerer::neg(Value *v, SourceRange where) {
  if (v->type()->isPointerLike())
    error(where, "wrong type argument to unary minus (" + typeStr(v->type()) + ")");
  return emit(OpCode::Neg, {v}, v->type());
}

Value *Lowerer::invert(Value *v, SourceRange where) {
  if (!v->type()->isInt())
    error(where, "wrong type argument to unary invert (" + typeStr(v->type()) + ")");
  return emit(OpCode::Not, {v}, v->type());
}

Value *Lowerer::logicalNot(Value *v, SourceRange where) {
  return emit(OpCode::Not, {toBool(v, where)}, withElement(v->type(), scalar(ScalarKind::I1)));
}

Value *Lowerer::logicalAndOr(bool isAnd, const SVal &a, const SVal &b, SourceRange where) {
  const char *name = isAnd ? "and" : "or";
  Value *x = toBool(toTensor(a, where, name), where);
  Value *y = toBool(toTensor(b, where, name), where);
  auto [l, r] = broadcastPair(x, y, where, name);
  return emit(isAnd ? OpCode::And : OpCode::Or, {l, r}, l->type());
}

Value *Lowerer::unaryMath(OpCode code, const SVal &xv, std::string_view name, SourceRange where,
                          bool fp32Only) {
  Value *x = toTensor(xv, where, name);
  const Type *st = x->type()->scalarType();
  if (!st->isFloat() || (fp32Only && st->scalarKind() == ScalarKind::F64))
    error(where, "expected a floating-point argument (" +
                     std::string(fp32Only ? "fp32" : "fp32 or fp64") + ") for " +
                     std::string(name) + ", got " + typeStr(x->type()));
  if (st->scalarKind() == ScalarKind::F32 || st->scalarKind() == ScalarKind::F64)
    return emit(code, {x}, x->type());
  // 16-bit and 8-bit floats: compute in fp32, cast back.
  Value *f = cast(x, scalar(ScalarKind::F32), where);
  Value *r = emit(code, {f}, f->type());
  return cast(r, st, where);
}

} // namespace tritonc::sema
