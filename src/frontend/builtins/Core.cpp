// The core builtins of triton.language that make values: program ids (tl.program_id,
// tl.num_programs), block creation (tl.arange, tl.zeros, tl.full, tl.zeros_like), tl.where and
// tl.cast / tensor.to.
#include "frontend/builtins/Builtins.h"
#include "support/Bits.h"

namespace tritonc::sema {

namespace {

SVal programIdLike(Lowerer &L, CallArgs &a, OpCode code) {
  int64_t axis = L.requireInt(a["axis"], a.range("axis"), "the axis");
  if (axis < 0 || axis > 2)
    L.error(a.range("axis"),
            std::string(a.def->display) + " axis must be 0, 1 or 2, got " + std::to_string(axis));
  AttrList attrs;
  attrs.set("axis", axis);
  return SVal::tensor(L.emit(code, {}, L.scalar(ScalarKind::I32), std::move(attrs)));
}

} // namespace

SVal builtinProgramId(Lowerer &L, CallArgs &a) { return programIdLike(L, a, OpCode::ProgramId); }
SVal builtinNumPrograms(Lowerer &L, CallArgs &a) {
  return programIdLike(L, a, OpCode::NumPrograms);
}

SVal builtinArange(Lowerer &L, CallArgs &a) {
  int64_t start = L.requireInt(a["start"], a.range("start"), "the start of tl.arange");
  int64_t end = L.requireInt(a["end"], a.range("end"), "the end of tl.arange");
  if (start < INT32_MIN || start > INT32_MAX || end < INT32_MIN || end > INT32_MAX)
    L.error(a.callRange, "tl.arange bounds must fit in int32");
  if (end <= start)
    L.error(a.callRange, "tl.arange's end (" + std::to_string(end) +
                             ") must be greater than its start (" + std::to_string(start) + ")");
  int64_t n = end - start;
  if (!isPowerOf2(n))
    L.error(a.callRange, "tl.arange's range must be a power of two, got " + std::to_string(n));
  AttrList attrs;
  attrs.set("start", start);
  attrs.set("end", end);
  return SVal::tensor(L.emit(OpCode::MakeRange, {},
                             L.blockType(L.scalar(ScalarKind::I32), {n}, a.callRange),
                             std::move(attrs)));
}

namespace {

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

} // namespace

SVal builtinZeros(Lowerer &L, CallArgs &a) {
  std::vector<int64_t> shape = L.requireShape(a["shape"], a.range("shape"), "the shape");
  const Type *dtype = L.requireDType(a["dtype"], a.range("dtype"), "the dtype");
  return fullImpl(L, a, shape, SVal::integer(0), a.callRange, dtype);
}

SVal builtinFull(Lowerer &L, CallArgs &a) {
  std::vector<int64_t> shape = L.requireShape(a["shape"], a.range("shape"), "the shape");
  const Type *dtype = L.requireDType(a["dtype"], a.range("dtype"), "the dtype");
  return fullImpl(L, a, shape, a["value"], a.range("value"), dtype);
}

SVal builtinZerosLike(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  const Type *dtype = a.has("dtype") ? L.requireDType(a["dtype"], a.range("dtype"), "the dtype")
                                     : x->type()->scalarType();
  return fullImpl(L, a, Lowerer::shapeOf(x->type()), SVal::integer(0), a.callRange, dtype);
}

SVal builtinWhere(Lowerer &L, CallArgs &a) {
  return SVal::tensor(L.where(a["condition"], a["x"], a["y"], a.callRange));
}

SVal builtinCast(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  const Type *dtype = L.requireDType(a["dtype"], a.range("dtype"), "the target dtype");
  if (boolArg(L, a, "bitcast", false))
    return SVal::tensor(L.bitcast(x, dtype, a.callRange));
  std::optional<std::string> rounding;
  if (a.has("fp_downcast_rounding"))
    rounding = stringArg(L, a, "fp_downcast_rounding");
  return SVal::tensor(L.cast(x, dtype, a.callRange, rounding));
}

} // namespace tritonc::sema
