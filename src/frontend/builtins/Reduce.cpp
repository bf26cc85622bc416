// Library builtins: matrix products, reductions and scans (Triton's core.reduce /
// core.associative_scan and the standard.py functions built on them), atomics, and the
// builtins still missing. Each handler follows Triton 3.x's core.py / standard.py /
// semantic.py, so the IR computes what Triton's would, including its dtype promotions.
#include "frontend/Promotion.h"
#include "frontend/Sema.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <numeric>

namespace tritonc::sema {

namespace {

using K = SVal::Kind;

std::string what(CallArgs &a, std::string_view name) {
  return std::string("argument '") + std::string(name) + "' of " + a.def->display;
}

Value *tensorArg(Lowerer &L, CallArgs &a, std::string_view name) {
  return L.toTensor(a[name], a.range(name), what(a, name));
}

bool boolArg(Lowerer &L, CallArgs &a, std::string_view name, bool dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireBool(a[name], a.range(name), what(a, name));
}

std::string stringArg(Lowerer &L, CallArgs &a, std::string_view name, std::string dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireString(a[name], a.range(name), what(a, name));
}

int normalizeAxis(Lowerer &L, int64_t axis, size_t rank, SourceRange where) {
  int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r)
    L.error(where, "axis " + std::to_string(axis) + " is out of range for a value of rank " +
                       std::to_string(rank));
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

ScalarKind kindOf(const Value *v) {
  const Type *s = v->type()->scalarType();
  return s->isScalar() ? s->scalarKind() : ScalarKind::I64;
}

bool isKind(const Value *v, ScalarKind k) {
  return v->type()->scalarType()->isScalar() && kindOf(v) == k;
}

/// Emits the combine function's body into `region` (whose arguments are the accumulators, then
/// the new elements) and its `yield`; the body's results must keep the element types.
using CombineFn = std::function<std::vector<Value *>(std::vector<Value *>)>;

/// Triton's reduction / associative_scan: one reduce or scan op over `inputs` (blocks of one
/// shape) along `axis`; axis None reduces everything (the inputs are flattened first, as
/// core.reduce does with can_reorder=True).
std::vector<Value *> reduceOrScan(Lowerer &L, std::vector<Value *> inputs,
                                  std::optional<int64_t> axisArg, bool keepDims, bool scan,
                                  bool reverse, const CombineFn &combine, SourceRange where,
                                  SourceRange axisRange, std::string_view name) {
  for (Value *v : inputs)
    if (!v->type()->isBlock())
      L.error(where,
              std::string(name) + " needs a block, got a scalar " + Lowerer::typeStr(v->type()));
  std::vector<int64_t> shape = inputs[0]->type()->shape();
  for (Value *v : inputs)
    if (v->type()->shape() != shape)
      L.error(where, std::string(name) + ": all inputs must have the same shape, got " +
                         Lowerer::shapeStr(shape) + " and " +
                         Lowerer::shapeStr(v->type()->shape()));
  size_t origRank = shape.size();
  int axis = 0;
  if (!axisArg) {
    if (scan)
      L.error(where, std::string(name) + " needs an axis");
    if (shape.size() != 1) {
      int64_t n = inputs[0]->type()->numElements();
      for (Value *&v : inputs)
        v = L.reshape(v, {n}, true, where);
      shape = {n};
    }
  } else {
    axis = normalizeAxis(L, *axisArg, shape.size(), axisRange);
  }

  std::vector<const Type *> elems, resultTypes;
  for (Value *v : inputs)
    elems.push_back(v->type()->element());
  std::vector<int64_t> outShape = shape;
  if (!scan)
    outShape.erase(outShape.begin() + axis);
  for (const Type *e : elems)
    resultTypes.push_back(outShape.empty() || scan ? (scan ? L.ctx().block(e, shape) : e)
                                                   : L.ctx().block(e, outShape));
  AttrList attrs;
  attrs.set("axis", int64_t(axis));
  if (scan)
    attrs.set("reverse", reverse);
  Operation *op =
      L.emitOp(scan ? OpCode::Scan : OpCode::Reduce, inputs, resultTypes, std::move(attrs), 1);
  Block *region = op->region(0);
  std::vector<Value *> args;
  for (int pass = 0; pass < 2; ++pass)
    for (const Type *e : elems)
      args.push_back(region->addArgument(e));
  {
    InsertionGuard guard(L.builder());
    L.builder().setInsertionPointToEnd(region);
    std::vector<Value *> results = combine(args);
    if (results.size() != elems.size())
      L.error(where, std::string(name) + ": the combine function returns " +
                         std::to_string(results.size()) + " values, expected " +
                         std::to_string(elems.size()));
    for (size_t i = 0; i < results.size(); ++i)
      if (results[i]->type() != elems[i])
        L.error(where, std::string(name) + ": the combine function's result #" + std::to_string(i) +
                           " is " + Lowerer::typeStr(results[i]->type()) + ", expected " +
                           Lowerer::typeStr(elems[i]));
    L.emitOp(OpCode::Yield, results, {});
  }
  std::vector<Value *> out = op->results();
  if (keepDims && !scan) {
    for (Value *&v : out) {
      if (axisArg)
        v = L.expandDims(v, axis, where);
      else
        for (size_t i = 0; i < origRank; ++i)
          v = L.expandDims(v, 0, where);
    }
  }
  return out;
}

std::optional<int64_t> axisArg(Lowerer &L, CallArgs &a, std::string_view param = "axis") {
  if (!a.has(param))
    return std::nullopt;
  return L.requireInt(a[param], a.range(param), what(a, param));
}

/// A combine function given as a @jit function (or a builtin) of the language.
CombineFn userCombine(Lowerer &L, const SVal &fn, SourceRange where) {
  if (!fn.is(K::Function) && !fn.is(K::Builtin))
    L.error(where, "combine_fn must be a @jit function, got " + L.describe(fn));
  return [&L, fn, where](std::vector<Value *> args) { return L.callCombine(fn, args, where); };
}

CombineFn binaryCombine(Lowerer &L, ast::BinaryOp op, SourceRange where) {
  return [&L, op, where](std::vector<Value *> args) {
    return std::vector<Value *>{
        L.binaryArith(op, SVal::tensor(args[0]), SVal::tensor(args[1]), where)};
  };
}

CombineFn minMaxCombine(Lowerer &L, bool isMax, SourceRange where) {
  return [&L, isMax, where](std::vector<Value *> args) {
    return std::vector<Value *>{
        L.minMax(isMax, SVal::tensor(args[0]), SVal::tensor(args[1]), false, where)};
  };
}

/// standard.py's _argmax_combine / _argmin_combine on (value1, index1, value2, index2).
CombineFn argCombine(Lowerer &L, bool isMax, bool tieBreakLeft, SourceRange where) {
  return [&L, isMax, tieBreakLeft, where](std::vector<Value *> args) {
    SVal v1 = SVal::tensor(args[0]), i1 = SVal::tensor(args[1]), v2 = SVal::tensor(args[2]),
         i2 = SVal::tensor(args[3]);
    Value *better = L.compare(isMax ? ast::CmpOp::Gt : ast::CmpOp::Lt, v1, v2, where);
    if (tieBreakLeft) {
      Value *eq = L.compare(ast::CmpOp::Eq, v1, v2, where);
      Value *lt = L.compare(ast::CmpOp::Lt, i1, i2, where);
      Value *tie = L.logicalAndOr(true, SVal::tensor(eq), SVal::tensor(lt), where);
      better = L.logicalAndOr(false, SVal::tensor(better), SVal::tensor(tie), where);
    }
    return std::vector<Value *>{L.where(SVal::tensor(better), v1, v2, where),
                                L.where(SVal::tensor(better), i1, i2, where)};
  };
}

/// core._promote_bfloat16_to_float32.
Value *promoteBf16(Lowerer &L, Value *x, SourceRange where) {
  if (isKind(x, ScalarKind::BF16))
    return L.cast(x, L.scalar(ScalarKind::F32), where);
  return x;
}

/// standard.py's _pick_sum_dtype: ints narrower than 32 bits accumulate in (u)int32.
const Type *pickSumDtype(Lowerer &L, Value *x, CallArgs &a) {
  if (a.has("dtype"))
    return L.requireDType(a["dtype"], a.range("dtype"), what(a, "dtype"));
  const Type *s = x->type()->scalarType();
  if (!s->isInt() || s->bitWidth() >= 32)
    return nullptr;
  return L.scalar(tritonIsUnsigned(s->scalarKind()) ? ScalarKind::U32 : ScalarKind::I32);
}

Value *inputBlock(Lowerer &L, CallArgs &a, std::string_view param = "input") {
  Value *x = tensorArg(L, a, param);
  if (!x->type()->isBlock())
    L.error(a.range(param),
            std::string(a.def->display) + " needs a block, got " + L.describe(a[param]));
  return x;
}

/// core._reduce_with_indices: reduces (x, index along axis) with an argmax/argmin combine.
std::pair<Value *, Value *> reduceWithIndices(Lowerer &L, CallArgs &a, Value *x, bool isMax,
                                              bool tieBreakLeft, bool keepDims) {
  std::optional<int64_t> axis = axisArg(L, a);
  if (!axis)
    L.error(a.callRange, std::string(a.def->display) + " with indices needs an axis");
  std::vector<int64_t> shape = x->type()->shape();
  int ax = normalizeAxis(L, *axis, shape.size(), a.range("axis"));
  AttrList attrs;
  attrs.set("start", int64_t(0));
  attrs.set("end", shape[ax]);
  Value *index = L.emit(OpCode::MakeRange, {},
                        L.ctx().block(L.scalar(ScalarKind::I32), {shape[ax]}), std::move(attrs));
  if (shape.size() > 1) {
    for (int d = 0; d < static_cast<int>(shape.size()); ++d)
      if (d != ax)
        index = L.expandDims(index, d, a.callRange);
    index = L.broadcastTo(index, shape, a.callRange, a.def->display);
  }
  std::vector<Value *> r = reduceOrScan(L, {x, index}, ax, keepDims, false, false,
                                        argCombine(L, isMax, tieBreakLeft, a.callRange),
                                        a.callRange, a.range("axis"), a.def->display);
  return {r[0], r[1]};
}

SVal maxMinImpl(Lowerer &L, CallArgs &a, bool isMax) {
  Value *x = promoteBf16(L, inputBlock(L, a), a.callRange);
  bool keepDims = boolArg(L, a, "keep_dims", false);
  if (boolArg(L, a, "return_indices", false)) {
    auto [v, i] = reduceWithIndices(L, a, x, isMax,
                                    boolArg(L, a, "return_indices_tie_break_left", true), keepDims);
    return SVal::tuple({SVal::tensor(v), SVal::tensor(i)});
  }
  // Narrow types reduce in 32 bits (standard.py's max/min).
  const Type *s = x->type()->scalarType();
  if (s->bitWidth() < 32)
    x = L.cast(x, L.scalar(s->isFloat() ? ScalarKind::F32 : ScalarKind::I32), a.callRange);
  return SVal::tensor(reduceOrScan(L, {x}, axisArg(L, a), keepDims, false, false,
                                   minMaxCombine(L, isMax, a.callRange), a.callRange,
                                   a.range("axis"), a.def->display)[0]);
}

SVal argImpl(Lowerer &L, CallArgs &a, bool isMax) {
  Value *x = promoteBf16(L, inputBlock(L, a), a.callRange);
  return SVal::tensor(reduceWithIndices(L, a, x, isMax, boolArg(L, a, "tie_break_left", true),
                                        boolArg(L, a, "keep_dims", false))
                          .second);
}

Value *sumImpl(Lowerer &L, Value *x, std::optional<int64_t> axis, bool keepDims, CallArgs &a) {
  if (const Type *t = pickSumDtype(L, x, a))
    x = L.cast(x, t, a.callRange);
  return reduceOrScan(L, {x}, axis, keepDims, false, false,
                      binaryCombine(L, ast::BinaryOp::Add, a.callRange), a.callRange,
                      a.range("axis"), a.def->display)[0];
}

/// The matched values of a reduce/scan's `input`: a block or a tuple of blocks.
std::vector<Value *> inputValues(Lowerer &L, CallArgs &a, bool &isTuple) {
  const SVal &in = a["input"];
  std::vector<Value *> out;
  isTuple = in.isTuple();
  if (isTuple) {
    if (in.elems().empty())
      L.error(a.range("input"), std::string(a.def->display) + " needs at least one input");
    for (const SVal &e : in.elems())
      out.push_back(L.toTensor(e, a.range("input"), what(a, "input")));
  } else {
    out.push_back(tensorArg(L, a, "input"));
  }
  return out;
}

SVal packResults(const std::vector<Value *> &r, bool isTuple) {
  if (!isTuple)
    return SVal::tensor(r[0]);
  std::vector<SVal> elems;
  for (Value *v : r)
    elems.push_back(SVal::tensor(v));
  return SVal::tuple(std::move(elems));
}

/// semantic.py's _str_to_sem / _str_to_scope.
std::string semArg(Lowerer &L, CallArgs &a) {
  std::string sem = stringArg(L, a, "sem", "acq_rel");
  if (sem != "acquire" && sem != "release" && sem != "acq_rel" && sem != "relaxed")
    L.error(a.range("sem"), "memory semantic '" + sem +
                                "' is not supported (use acquire, release, acq_rel or relaxed)");
  return sem;
}

std::string scopeArg(Lowerer &L, CallArgs &a) {
  std::string scope = stringArg(L, a, "scope", "gpu");
  if (scope != "gpu" && scope != "cta" && scope != "sys")
    L.error(a.range("scope"),
            "memory scope '" + scope + "' is not supported (use gpu, cta or sys)");
  return scope;
}

Value *atomicPointer(Lowerer &L, CallArgs &a) {
  Value *ptr = tensorArg(L, a, "pointer");
  if (!ptr->type()->isPointerLike())
    L.error(a.range("pointer"), std::string(a.def->display) +
                                    " needs a pointer or a block of pointers, got " +
                                    Lowerer::typeStr(ptr->type()));
  return ptr;
}

} // namespace

// ------------------------------------------------------------------------------------------------
// Reductions
// ------------------------------------------------------------------------------------------------

SVal builtinSum(Lowerer &L, CallArgs &a) {
  Value *x = inputBlock(L, a);
  return SVal::tensor(sumImpl(L, x, axisArg(L, a), boolArg(L, a, "keep_dims", false), a));
}

SVal builtinMaxReduce(Lowerer &L, CallArgs &a) { return maxMinImpl(L, a, true); }
SVal builtinMinReduce(Lowerer &L, CallArgs &a) { return maxMinImpl(L, a, false); }
SVal builtinArgmax(Lowerer &L, CallArgs &a) { return argImpl(L, a, true); }
SVal builtinArgmin(Lowerer &L, CallArgs &a) { return argImpl(L, a, false); }

SVal builtinXorSum(Lowerer &L, CallArgs &a) {
  Value *x = inputBlock(L, a);
  if (!x->type()->isInt())
    L.error(a.range("input"),
            "xor_sum only supported for integers, got " + Lowerer::typeStr(x->type()));
  return SVal::tensor(reduceOrScan(L, {x}, axisArg(L, a), boolArg(L, a, "keep_dims", false), false,
                                   false, binaryCombine(L, ast::BinaryOp::BitXor, a.callRange),
                                   a.callRange, a.range("axis"), a.def->display)[0]);
}

SVal builtinReduce(Lowerer &L, CallArgs &a) {
  bool isTuple = false;
  std::vector<Value *> inputs = inputValues(L, a, isTuple);
  CombineFn fn = userCombine(L, a["combine_fn"], a.range("combine_fn"));
  std::vector<Value *> r =
      reduceOrScan(L, inputs, axisArg(L, a), boolArg(L, a, "keep_dims", false), false, false, fn,
                   a.callRange, a.range("axis"), a.def->display);
  return packResults(r, isTuple);
}

// ------------------------------------------------------------------------------------------------
// Scans
// ------------------------------------------------------------------------------------------------

SVal builtinCumsum(Lowerer &L, CallArgs &a) {
  Value *x = promoteBf16(L, inputBlock(L, a), a.callRange);
  if (const Type *t = pickSumDtype(L, x, a))
    x = L.cast(x, t, a.callRange);
  int64_t axis = a.has("axis") ? *axisArg(L, a) : 0;
  return SVal::tensor(reduceOrScan(L, {x}, axis, false, true, boolArg(L, a, "reverse", false),
                                   binaryCombine(L, ast::BinaryOp::Add, a.callRange), a.callRange,
                                   a.range("axis"), a.def->display)[0]);
}

SVal builtinCumprod(Lowerer &L, CallArgs &a) {
  Value *x = promoteBf16(L, inputBlock(L, a), a.callRange);
  if (a.has("dtype"))
    x = L.cast(x, L.requireDType(a["dtype"], a.range("dtype"), what(a, "dtype")), a.callRange);
  int64_t axis = a.has("axis") ? *axisArg(L, a) : 0;
  return SVal::tensor(reduceOrScan(L, {x}, axis, false, true, boolArg(L, a, "reverse", false),
                                   binaryCombine(L, ast::BinaryOp::Mul, a.callRange), a.callRange,
                                   a.range("axis"), a.def->display)[0]);
}

SVal builtinAssociativeScan(Lowerer &L, CallArgs &a) {
  bool isTuple = false;
  std::vector<Value *> inputs = inputValues(L, a, isTuple);
  CombineFn fn = userCombine(L, a["combine_fn"], a.range("combine_fn"));
  std::vector<Value *> r =
      reduceOrScan(L, inputs, axisArg(L, a), false, true, boolArg(L, a, "reverse", false), fn,
                   a.callRange, a.range("axis"), a.def->display);
  return packResults(r, isTuple);
}

SVal builtinSoftmax(Lowerer &L, CallArgs &a) {
  // standard.py: z = x - max(x, dim, keep_dims); num = exp(z); num / sum(num, dim, keep_dims),
  // the division being fdiv (div_rn with ieee_rounding).
  Value *x = tensorArg(L, a, "x");
  if (!x->type()->isBlock())
    L.error(a.range("x"), "tl.softmax needs a block, got " + L.describe(a["x"]));
  int64_t dim = a.has("dim") ? L.requireInt(a["dim"], a.range("dim"), what(a, "dim")) : 0;
  bool keepDims = boolArg(L, a, "keep_dims", false);
  bool ieee = boolArg(L, a, "ieee_rounding", false);
  Value *m = promoteBf16(L, x, a.callRange);
  if (m->type()->bitWidth() < 32)
    m = L.cast(m, L.scalar(m->type()->isFloat() ? ScalarKind::F32 : ScalarKind::I32), a.callRange);
  m = reduceOrScan(L, {m}, dim, keepDims, false, false, minMaxCombine(L, true, a.callRange),
                   a.callRange, a.range("dim"), a.def->display)[0];
  Value *z = L.binaryArith(ast::BinaryOp::Sub, SVal::tensor(x), SVal::tensor(m), a.callRange);
  Value *num = L.unaryMath(OpCode::Exp, SVal::tensor(z), "tl.softmax", a.callRange);
  Value *den = num;
  if (const Type *t = pickSumDtype(L, den, a))
    den = L.cast(den, t, a.callRange);
  den = reduceOrScan(L, {den}, dim, keepDims, false, false,
                     binaryCombine(L, ast::BinaryOp::Add, a.callRange), a.callRange, a.range("dim"),
                     a.def->display)[0];
  auto [l, r] = L.binaryOperands(SVal::tensor(num), SVal::tensor(den), false, false, false, true,
                                 a.callRange, "tl.softmax");
  return SVal::tensor(L.emit(ieee ? OpCode::DivRn : OpCode::FDiv, {l, r}, l->type()));
}

// ------------------------------------------------------------------------------------------------
// Matrix product
// ------------------------------------------------------------------------------------------------

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

// ------------------------------------------------------------------------------------------------
// Atomics
// ------------------------------------------------------------------------------------------------

SVal builtinAtomicRMW(Lowerer &L, CallArgs &a) {
  std::string kind = std::string(a.def->name).substr(std::string_view("atomic_").size());
  std::string sem = semArg(L, a), scope = scopeArg(L, a);
  Value *ptr = atomicPointer(L, a);
  const Type *elem = ptr->type()->scalarType()->pointee();
  ScalarKind ek = elem->isScalar() ? elem->scalarKind() : ScalarKind::I64;
  // semantic.py's atom_red_typechecking_impl.
  if (!elem->isScalar() || ek == ScalarKind::I1 || ek == ScalarKind::I8 || ek == ScalarKind::U8 ||
      ek == ScalarKind::I16 || ek == ScalarKind::U16 || ek == ScalarKind::BF16 ||
      isKind(ptr, ScalarKind::F8E4NV) || ek == ScalarKind::F8E4NV || ek == ScalarKind::F8E5)
    L.error(a.range("pointer"),
            std::string(a.def->display) + " does not support " + Lowerer::typeStr(elem));
  if (ek == ScalarKind::F16 && kind != "add")
    L.error(a.range("pointer"), std::string(a.def->display) + " does not support fp16");
  if ((kind == "and" || kind == "or" || kind == "xor") && !elem->isInt())
    L.error(a.range("pointer"),
            std::string(a.def->display) + " needs integer elements, got " + Lowerer::typeStr(elem));
  Value *val = tensorArg(L, a, "val");
  Value *mask = a.has("mask") ? L.toBool(tensorArg(L, a, "mask"), a.range("mask")) : nullptr;
  // The pointer's shape wins; a scalar pointer takes the shape of a block value or mask.
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  shape = L.broadcastShapes(shape, Lowerer::shapeOf(val->type()), a.callRange, a.def->display);
  if (mask)
    shape = L.broadcastShapes(shape, Lowerer::shapeOf(mask->type()), a.callRange, a.def->display);
  ptr = L.broadcastTo(ptr, shape, a.range("pointer"), a.def->display);
  val = L.broadcastTo(L.cast(val, elem, a.range("val")), shape, a.range("val"), a.def->display);
  std::vector<Value *> operands{ptr, val};
  if (mask)
    operands.push_back(L.broadcastTo(mask, shape, a.range("mask"), a.def->display));
  AttrList attrs;
  attrs.set("kind", kind);
  attrs.set("sem", sem);
  attrs.set("scope", scope);
  return SVal::tensor(L.emit(OpCode::AtomicRMW, operands, val->type(), std::move(attrs)));
}

SVal builtinAtomicCas(Lowerer &L, CallArgs &a) {
  std::string sem = semArg(L, a), scope = scopeArg(L, a);
  Value *ptr = atomicPointer(L, a);
  const Type *elem = ptr->type()->scalarType()->pointee();
  unsigned bits = elem->isScalar() ? elem->bitWidth() : 64;
  if (bits != 16 && bits != 32 && bits != 64)
    L.error(a.range("pointer"), "tl.atomic_cas only supports elements with width {16, 32, 64}, "
                                "got " +
                                    Lowerer::typeStr(elem));
  Value *cmp = tensorArg(L, a, "cmp"), *val = tensorArg(L, a, "val");
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  shape = L.broadcastShapes(shape, Lowerer::shapeOf(cmp->type()), a.callRange, a.def->display);
  shape = L.broadcastShapes(shape, Lowerer::shapeOf(val->type()), a.callRange, a.def->display);
  ptr = L.broadcastTo(ptr, shape, a.range("pointer"), a.def->display);
  cmp = L.broadcastTo(L.cast(cmp, elem, a.range("cmp")), shape, a.range("cmp"), a.def->display);
  val = L.broadcastTo(L.cast(val, elem, a.range("val")), shape, a.range("val"), a.def->display);
  AttrList attrs;
  attrs.set("sem", sem);
  attrs.set("scope", scope);
  return SVal::tensor(L.emit(OpCode::AtomicCas, {ptr, cmp, val}, val->type(), std::move(attrs)));
}

// ------------------------------------------------------------------------------------------------
// Histogram and gather
// ------------------------------------------------------------------------------------------------

SVal builtinHistogram(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  if (!x->type()->isBlock() || x->type()->rank() != 1)
    L.error(a.range("input"),
            "tl.histogram only supports 1-D input, got " + L.describe(a["input"]));
  if (!x->type()->isInt())
    L.error(a.range("input"),
            "tl.histogram only supports integer input, got " + Lowerer::typeStr(x->type()));
  int64_t bins = L.requireInt(a["num_bins"], a.range("num_bins"), what(a, "num_bins"));
  const Type *resTy = L.blockType(L.scalar(ScalarKind::I32), {bins}, a.range("num_bins"));
  if (a.has("mask")) {
    // Masked-off elements become -1, which no bin counts; widening to i64 first keeps every
    // unmasked value (signed or unsigned) exactly.
    Value *m = L.toBool(tensorArg(L, a, "mask"), a.range("mask"));
    m = L.broadcastTo(m, x->type()->shape(), a.range("mask"), "tl.histogram");
    Value *wide = L.cast(x, L.scalar(ScalarKind::I64), a.range("input"));
    x = L.where(SVal::tensor(m), SVal::tensor(wide), SVal::integer(-1), a.callRange);
  }
  AttrList attrs;
  attrs.set("num_bins", bins);
  return SVal::tensor(L.emit(OpCode::Histogram, {x}, resTy, std::move(attrs)));
}

SVal builtinGather(Lowerer &L, CallArgs &a) {
  Value *src = tensorArg(L, a, "src"), *index = tensorArg(L, a, "index");
  if (!src->type()->isBlock())
    L.error(a.range("src"), "tl.gather needs a block source, got " + L.describe(a["src"]));
  if (!index->type()->isBlock() || !index->type()->isInt())
    L.error(a.range("index"),
            "tl.gather: index must be an integer block, got " + L.describe(a["index"]));
  size_t rank = src->type()->rank();
  if (index->type()->rank() != rank)
    L.error(a.callRange, "tl.gather: source and index must have the same rank, got " +
                             Lowerer::shapeStr(src->type()->shape()) + " and " +
                             Lowerer::shapeStr(index->type()->shape()));
  int axis = normalizeAxis(L, L.requireInt(a["axis"], a.range("axis"), what(a, "axis")), rank,
                           a.range("axis"));
  for (size_t d = 0; d < rank; ++d)
    if (int(d) != axis && index->type()->shape()[d] != src->type()->shape()[d])
      L.error(a.callRange, "tl.gather: index dim " + std::to_string(d) +
                               " must match the corresponding source dim (" +
                               Lowerer::shapeStr(index->type()->shape()) + " vs " +
                               Lowerer::shapeStr(src->type()->shape()) + ")");
  AttrList attrs;
  attrs.set("axis", int64_t(axis));
  return SVal::tensor(L.emit(OpCode::Gather, {src, index},
                             L.ctx().block(src->type()->element(), index->type()->shape()),
                             std::move(attrs)));
}

// ------------------------------------------------------------------------------------------------
// Random numbers: Triton's random.py (Philox 4x32), op for op, so streams are bit-identical
// ------------------------------------------------------------------------------------------------

namespace {

constexpr int64_t kPhiloxKeyA = 0x9E3779B9, kPhiloxKeyB = 0xBB67AE85;
constexpr int64_t kPhiloxRoundA = 0xD2511F53, kPhiloxRoundB = 0xCD9E8D57;

struct Philox {
  Lowerer &L;
  SourceRange where;
  SVal bin(ast::BinaryOp op, const SVal &a, const SVal &b) { return L.evalBinary(op, a, b, where); }
  /// math.umulhi: both sides become tensors first (a constant above INT32_MAX is a uint32).
  SVal umulhi(const SVal &a, const SVal &b) {
    Value *ta = L.toTensor(a, where, "tl.umulhi"), *tb = L.toTensor(b, where, "tl.umulhi");
    auto [x, y] = L.binaryOperands(SVal::tensor(ta), SVal::tensor(tb), false, false, true, false,
                                   where, "tl.umulhi");
    return SVal::tensor(L.emit(OpCode::UMulHi, {x, y}, x->type()));
  }
  SVal to(const SVal &v, ScalarKind k, bool bitcast = false) {
    Value *t = L.toTensor(v, where, "a random-number argument");
    return SVal::tensor(bitcast ? L.bitcast(t, L.scalar(k), where) : L.cast(t, L.scalar(k), where));
  }

  /// randint4x(seed, offset, n_rounds): philox(seed, offset, 0, 0, 0).
  std::array<SVal, 4> randint4x(const SVal &seedArg, const SVal &offsetArg, int64_t rounds) {
    using B = ast::BinaryOp;
    Value *offset = L.toTensor(offsetArg, where, "the offset");
    if (!offset->type()->isInt())
      L.error(where, "random offsets must be integers, got " + Lowerer::typeStr(offset->type()));
    if (offset->type()->bitWidth() != 32)
      L.error(where, "64-bit random offsets (Philox 4x64) are not supported yet");
    Value *seedT = L.toTensor(seedArg, where, "the seed");
    if (!seedT->type()->isInt())
      L.error(where, "the seed must be an integer, got " + Lowerer::typeStr(seedT->type()));
    SVal zero = bin(B::Mul, SVal::tensor(offset), SVal::integer(0));
    SVal seed = to(SVal::tensor(seedT), ScalarKind::U64);
    SVal k1 = to(bin(B::BitAnd, bin(B::RShift, seed, SVal::integer(32)), SVal::integer(0xffffffff)),
                 ScalarKind::U32);
    SVal k0 = to(bin(B::BitAnd, seed, SVal::integer(0xffffffff)), ScalarKind::U32);
    SVal c0 = to(SVal::tensor(offset), ScalarKind::U32, true);
    SVal c1 = to(zero, ScalarKind::U32, true), c2 = c1, c3 = c1;
    SVal A = SVal::integer(kPhiloxRoundA), Bc = SVal::integer(kPhiloxRoundB);
    for (int64_t i = 0; i < rounds; ++i) {
      SVal c0_ = c0, c2_ = c2;
      c0 = bin(B::BitXor, bin(B::BitXor, umulhi(Bc, c2_), c1), k0);
      c2 = bin(B::BitXor, bin(B::BitXor, umulhi(A, c0_), c3), k1);
      c1 = bin(B::Mul, Bc, c2_);
      c3 = bin(B::Mul, A, c0_);
      k0 = bin(B::Add, k0, SVal::integer(kPhiloxKeyA));
      k1 = bin(B::Add, k1, SVal::integer(kPhiloxKeyB));
    }
    return {c0, c1, c2, c3};
  }

  /// uint_to_uniform_float for 32-bit values.
  SVal uniform(const SVal &x) {
    using B = ast::BinaryOp;
    SVal i = to(x, ScalarKind::I32, true);
    Value *neg = L.compare(ast::CmpOp::Lt, i, SVal::integer(0), where);
    SVal flipped = bin(B::Sub, SVal::tensor(L.neg(i.value(), where)), SVal::integer(1));
    SVal sel = SVal::tensor(L.where(SVal::tensor(neg), flipped, i, where));
    return bin(B::Mul, sel, SVal::floating(4.6566127342e-10));
  }
};

int64_t roundsArg(Lowerer &L, CallArgs &a) {
  if (!a.has("n_rounds"))
    return 10;
  int64_t n = L.requireInt(a["n_rounds"], a.range("n_rounds"), what(a, "n_rounds"));
  if (n < 0 || n > 64)
    L.error(a.range("n_rounds"), "n_rounds must be between 0 and 64, got " + std::to_string(n));
  return n;
}

} // namespace

SVal builtinRandint4x(Lowerer &L, CallArgs &a) {
  Philox p{L, a.callRange};
  std::array<SVal, 4> r = p.randint4x(a["seed"], a["offset"], roundsArg(L, a));
  return SVal::tuple({r[0], r[1], r[2], r[3]});
}

SVal builtinRandint(Lowerer &L, CallArgs &a) {
  Philox p{L, a.callRange};
  return p.randint4x(a["seed"], a["offset"], roundsArg(L, a))[0];
}

SVal builtinRand(Lowerer &L, CallArgs &a) {
  Philox p{L, a.callRange};
  return p.uniform(p.randint4x(a["seed"], a["offset"], roundsArg(L, a))[0]);
}

SVal builtinRandn(Lowerer &L, CallArgs &a) {
  // pair_uniform_to_normal (Box-Muller) on the first two streams.
  using B = ast::BinaryOp;
  Philox p{L, a.callRange};
  std::array<SVal, 4> r = p.randint4x(a["seed"], a["offset"], roundsArg(L, a));
  SVal u1 = p.uniform(r[0]), u2 = p.uniform(r[1]);
  u1 = SVal::tensor(L.minMax(true, SVal::floating(1.0e-7), u1, false, a.callRange));
  SVal th = p.bin(B::Mul, SVal::floating(6.283185307179586), u2);
  SVal lg = SVal::tensor(L.unaryMath(OpCode::Log, u1, "tl.log", a.callRange));
  SVal rr = SVal::tensor(
      L.unaryMath(OpCode::Sqrt, p.bin(B::Mul, SVal::floating(-2.0), lg), "tl.sqrt", a.callRange));
  SVal c = SVal::tensor(L.unaryMath(OpCode::Cos, th, "tl.cos", a.callRange));
  return p.bin(B::Mul, rr, c);
}

// ------------------------------------------------------------------------------------------------
// Sort and flip: standard.py's bitonic networks on a [2, 2, ..., 2] hypercube reshape
// ------------------------------------------------------------------------------------------------

namespace {

int log2Exact(int64_t n) {
  int l = 0;
  while ((int64_t(1) << l) < n)
    ++l;
  return l;
}

const Type *signedIntOfWidth(Lowerer &L, const Type *t) {
  switch (t->bitWidth()) {
  case 1:
    return L.scalar(ScalarKind::I1);
  case 8:
    return L.scalar(ScalarKind::I8);
  case 16:
    return L.scalar(ScalarKind::I16);
  case 32:
    return L.scalar(ScalarKind::I32);
  default:
    return L.scalar(ScalarKind::I64);
  }
}

Value *xorSumKeep(Lowerer &L, Value *x, int axis, SourceRange where) {
  return reduceOrScan(L, {x}, axis, true, false, false,
                      binaryCombine(L, ast::BinaryOp::BitXor, where), where, where,
                      "tl.xor_sum")[0];
}

/// _indicator(n_dims, j): arange(0, 2) reshaped to [1]*(n_dims-j-1) + [2] + [1]*j.
Value *indicator(Lowerer &L, int nDims, int j, SourceRange where) {
  AttrList attrs;
  attrs.set("start", int64_t(0));
  attrs.set("end", int64_t(2));
  Value *ar = L.emit(OpCode::MakeRange, {}, L.ctx().block(L.scalar(ScalarKind::I32), {2}),
                     std::move(attrs));
  std::vector<int64_t> shape(static_cast<size_t>(nDims), 1);
  shape[static_cast<size_t>(nDims - j - 1)] = 2;
  return L.reshape(ar, shape, false, where);
}

/// _compare_and_swap on the i-th innermost dimension of the hypercube `x`.
Value *compareAndSwap(Lowerer &L, Value *x, const SVal &flip, int i, SourceRange where) {
  int nDims = static_cast<int>(x->type()->rank());
  const Type *elem = x->type()->element();
  Value *ix = L.bitcast(x, signedIntOfWidth(L, elem), where);
  Value *iy = L.binaryArith(ast::BinaryOp::BitXor, SVal::tensor(ix),
                            SVal::tensor(xorSumKeep(L, ix, nDims - 1 - i, where)), where);
  Value *y = L.bitcast(iy, elem, where);
  Value *isRight = indicator(L, nDims, i, where);
  SVal f = L.evalBinary(ast::BinaryOp::BitXor, flip, SVal::tensor(isRight), where);
  Value *gt = L.compare(ast::CmpOp::Gt, SVal::tensor(x), SVal::tensor(y), where);
  Value *c = L.compare(ast::CmpOp::Ne, SVal::tensor(gt), f, where);
  return L.where(SVal::tensor(c), SVal::tensor(y), SVal::tensor(x), where);
}

/// _bitonic_merge_hypercube(x, stage, order): order 2 alternates, 0/1 ascend/descend.
Value *bitonicMerge(Lowerer &L, Value *x, int stage, int order, SourceRange where) {
  int nDims = static_cast<int>(x->type()->rank());
  SVal flip = order == 2 ? SVal::tensor(indicator(L, nDims, stage, where)) : SVal::integer(order);
  for (int i = 0; i < stage; ++i)
    x = compareAndSwap(L, x, flip, stage - 1 - i, where);
  return x;
}

} // namespace

SVal builtinSort(Lowerer &L, CallArgs &a) {
  Value *x = inputBlock(L, a, "x");
  std::vector<int64_t> shape = x->type()->shape();
  int rank = static_cast<int>(shape.size());
  int dim = a.has("dim") ? normalizeAxis(L, L.requireInt(a["dim"], a.range("dim"), what(a, "dim")),
                                         shape.size(), a.range("dim"))
                         : rank - 1;
  if (dim != rank - 1)
    L.error(a.range("dim"), "tl.sort: only the minor dimension is currently supported");
  int descending = boolArg(L, a, "descending", false) ? 1 : 0;
  int logN = log2Exact(shape.back());
  int nDims = log2Exact(x->type()->numElements());
  if (nDims == 0)
    return SVal::tensor(x);
  Value *h = L.reshape(x, std::vector<int64_t>(static_cast<size_t>(nDims), 2), false, a.callRange);
  for (int i = 1; i <= logN; ++i)
    h = bitonicMerge(L, h, i, i < logN ? 2 : descending, a.callRange);
  return SVal::tensor(L.reshape(h, shape, false, a.callRange));
}

SVal builtinFlip(Lowerer &L, CallArgs &a) {
  Value *x = inputBlock(L, a, "x");
  std::vector<int64_t> shape = x->type()->shape();
  int dim = a.has("dim") ? normalizeAxis(L, L.requireInt(a["dim"], a.range("dim"), what(a, "dim")),
                                         shape.size(), a.range("dim"))
                         : static_cast<int>(shape.size()) - 1;
  int steps = log2Exact(shape[static_cast<size_t>(dim)]);
  if (steps == 0)
    return SVal::tensor(x);
  const Type *elem = x->type()->element();
  std::vector<int64_t> cube(shape.begin(), shape.begin() + dim);
  cube.insert(cube.end(), static_cast<size_t>(steps), 2);
  cube.insert(cube.end(), shape.begin() + dim + 1, shape.end());
  Value *y =
      L.reshape(L.bitcast(x, signedIntOfWidth(L, elem), a.callRange), cube, false, a.callRange);
  for (int i = 0; i < steps; ++i)
    y = L.binaryArith(ast::BinaryOp::BitXor, SVal::tensor(y),
                      SVal::tensor(xorSumKeep(L, y, dim + i, a.callRange)), a.callRange);
  return SVal::tensor(L.bitcast(L.reshape(y, shape, false, a.callRange), elem, a.callRange));
}

// ------------------------------------------------------------------------------------------------
// Block pointers: lowered right here to blocks of pointers and masks, with the semantics of
// Triton's RewriteTensorPointer pass (offsets in i64; boundary_check dims give the mask)
// ------------------------------------------------------------------------------------------------

namespace {

/// The scalars of a shape / strides / offsets argument, each cast to `kind`.
std::vector<Value *> scalarList(Lowerer &L, CallArgs &a, std::string_view param, ScalarKind kind) {
  const SVal &v = a[param];
  std::vector<SVal> elems = v.isTuple() ? v.elems() : std::vector<SVal>{v};
  std::vector<Value *> out;
  for (const SVal &e : elems) {
    Value *t = L.toTensor(e, a.range(param), what(a, param));
    if (t->type()->isBlock() || !t->type()->isInt())
      L.error(a.range(param), std::string(a.def->display) + ": every element of '" +
                                  std::string(param) + "' must be an integer scalar, got " +
                                  L.describe(e));
    out.push_back(L.cast(t, L.scalar(kind), a.range(param)));
  }
  return out;
}

std::vector<int64_t> constList(Lowerer &L, CallArgs &a, std::string_view param) {
  const SVal &v = a[param];
  if (!v.isTuple())
    return {L.requireInt(v, a.range(param), what(a, param))};
  return L.requireIntList(v, a.range(param), what(a, param));
}

/// The pointers and the boundary mask (nullptr when no dim is checked) of a block pointer.
std::pair<Value *, Value *> blockPtrAddresses(Lowerer &L, const BlockPtrInfo &bp,
                                              const std::vector<int64_t> &checkDims,
                                              SourceRange where) {
  using B = ast::BinaryOp;
  const std::vector<int64_t> &bs = bp.blockShape;
  int rank = static_cast<int>(bs.size());
  const Type *i64 = L.scalar(ScalarKind::I64);
  SVal offsets, mask;
  for (int d = 0; d < rank; ++d) {
    AttrList attrs;
    attrs.set("start", int64_t(0));
    attrs.set("end", bs[d]);
    Value *range = L.emit(OpCode::MakeRange, {}, L.ctx().block(L.scalar(ScalarKind::I32), {bs[d]}),
                          std::move(attrs));
    // Two emitting calls, sequenced: as arguments of one call their order would be the C++
    // compiler's choice, and so would the IR.
    Value *range64 = L.cast(range, i64, where);
    Value *offset64 = L.cast(bp.offsets[d], i64, where);
    Value *idx = L.binaryArith(B::Add, SVal::tensor(offset64), SVal::tensor(range64), where);
    for (int e = 0; e < rank; ++e)
      if (e != d)
        idx = L.expandDims(idx, e, where);
    Value *term = L.binaryArith(B::Mul, SVal::tensor(idx), SVal::tensor(bp.strides[d]), where);
    offsets = offsets.isNone() ? SVal::tensor(term)
                               : L.evalBinary(B::Add, offsets, SVal::tensor(term), where);
    if (std::find(checkDims.begin(), checkDims.end(), d) != checkDims.end()) {
      Value *lo = L.compare(ast::CmpOp::Ge, SVal::tensor(idx), SVal::integer(0), where);
      Value *hi = L.compare(ast::CmpOp::Lt, SVal::tensor(idx), SVal::tensor(bp.shape[d]), where);
      SVal in = SVal::tensor(L.binaryArith(B::BitAnd, SVal::tensor(lo), SVal::tensor(hi), where));
      mask = mask.isNone() ? in : SVal::tensor(L.binaryArith(B::BitAnd, mask, in, where));
    }
  }
  Value *off = L.broadcastTo(offsets.value(), bs, where, "a block pointer");
  Value *ptrs = L.addptr(L.splat(bp.base, bs), off, where);
  Value *m = mask.isNone() ? nullptr : L.broadcastTo(mask.value(), bs, where, "a block pointer");
  return {ptrs, m};
}

std::vector<int64_t> boundaryCheck(Lowerer &L, CallArgs &a, size_t rank) {
  if (!a.has("boundary_check"))
    return {};
  std::vector<int64_t> dims = constList(L, a, "boundary_check");
  for (int64_t d : dims)
    if (d < 0 || d >= static_cast<int64_t>(rank))
      L.error(a.range("boundary_check"), "boundary_check dimension " + std::to_string(d) +
                                             " is out of range for a block of rank " +
                                             std::to_string(rank));
  return dims;
}

void setSlot(CallArgs &a, std::string_view param, std::optional<SVal> v) {
  a.slots[static_cast<size_t>(a.index(param))] = std::move(v);
}

} // namespace

SVal builtinMakeBlockPtr(Lowerer &L, CallArgs &a) {
  Value *base = tensorArg(L, a, "base");
  if (base->type()->isBlock() || !base->type()->isPointer())
    L.error(a.range("base"),
            "tl.make_block_ptr: expected `base` to be a pointer, got " + L.describe(a["base"]));
  if (base->type()->pointee()->isBool())
    base = L.cast(base, L.ctx().pointer(L.scalar(ScalarKind::I8), base->type()->addressSpace()),
                  a.range("base"));
  BlockPtrInfo bp;
  bp.base = base;
  bp.shape = scalarList(L, a, "shape", ScalarKind::I64);
  bp.strides = scalarList(L, a, "strides", ScalarKind::I64);
  bp.offsets = scalarList(L, a, "offsets", ScalarKind::I32);
  bp.blockShape = constList(L, a, "block_shape");
  bp.order = constList(L, a, "order");
  size_t n = bp.blockShape.size();
  if (bp.shape.size() != n || bp.strides.size() != n || bp.offsets.size() != n ||
      bp.order.size() != n)
    L.error(a.callRange, "tl.make_block_ptr: expected shape/strides/offsets/block_shape/order to "
                         "have the same length");
  std::vector<int64_t> sorted = bp.order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(n);
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity)
    L.error(a.range("order"), "tl.make_block_ptr: order must be a permutation of " +
                                  Lowerer::shapeStr(identity) + ", got " +
                                  Lowerer::shapeStr(bp.order));
  L.blockType(base->type()->pointee(), bp.blockShape, a.range("block_shape"));
  return SVal::blockPtr(std::move(bp));
}

SVal builtinAdvance(Lowerer &L, CallArgs &a) {
  if (!a["base"].is(K::BlockPtr) || a["base"].blockPtrInfo().descriptor)
    L.error(a.range("base"), "tl.advance needs a block pointer, got " + L.describe(a["base"]));
  BlockPtrInfo bp = a["base"].blockPtrInfo();
  std::vector<Value *> deltas = scalarList(L, a, "offsets", ScalarKind::I32);
  if (deltas.size() != bp.offsets.size())
    L.error(a.range("offsets"), "tl.advance: expected " + std::to_string(bp.offsets.size()) +
                                    " offsets, got " + std::to_string(deltas.size()));
  for (size_t i = 0; i < deltas.size(); ++i)
    bp.offsets[i] = L.binaryArith(ast::BinaryOp::Add, SVal::tensor(bp.offsets[i]),
                                  SVal::tensor(deltas[i]), a.callRange);
  return SVal::blockPtr(std::move(bp));
}

/// tl.load through a block pointer: rewrites the call's arguments into a plain masked load
/// (pointer block, boundary mask, padding as `other`) that tl.load then lowers.
void blockPtrLoadArgs(Lowerer &L, CallArgs &a) {
  if (a["pointer"].blockPtrInfo().descriptor)
    L.error(a.range("pointer"), "tl.load cannot load from a tensor descriptor; use desc.load");
  if (a.has("mask") || a.has("other"))
    L.error(a.has("mask") ? a.range("mask") : a.range("other"),
            "`mask` and `other` arguments cannot be specified for loading block pointers");
  const BlockPtrInfo bp = a["pointer"].blockPtrInfo(); // a copy: the slot is replaced below
  std::vector<int64_t> dims = boundaryCheck(L, a, bp.blockShape.size());
  std::string padding = stringArg(L, a, "padding_option", "");
  if (padding != "" && padding != "zero" && padding != "nan")
    L.error(a.range("padding_option"),
            "padding option '" + padding + "' is not supported (use \"zero\" or \"nan\")");
  const Type *elem = bp.base->type()->pointee();
  if (padding == "nan" && !elem->isFloat())
    L.error(a.range("padding_option"),
            "padding option `nan` is not supported for integer block pointers");
  auto [ptrs, mask] = blockPtrAddresses(L, bp, dims, a.callRange);
  setSlot(a, "pointer", SVal::tensor(ptrs));
  setSlot(a, "boundary_check", std::nullopt);
  setSlot(a, "padding_option", std::nullopt);
  if (mask) {
    setSlot(a, "mask", SVal::tensor(mask));
    if (padding == "zero")
      setSlot(a, "other", SVal::integer(0));
    else if (padding == "nan")
      setSlot(a, "other", SVal::floating(std::nan("")));
  }
}

/// tl.store through a block pointer, likewise.
void blockPtrStoreArgs(Lowerer &L, CallArgs &a) {
  if (a["pointer"].blockPtrInfo().descriptor)
    L.error(a.range("pointer"), "tl.store cannot store to a tensor descriptor; use desc.store");
  if (a.has("mask"))
    L.error(a.range("mask"), "`mask` argument cannot be specified for storing block pointers");
  const BlockPtrInfo bp = a["pointer"].blockPtrInfo(); // a copy: the slot is replaced below
  std::vector<int64_t> dims = boundaryCheck(L, a, bp.blockShape.size());
  Value *val = tensorArg(L, a, "value");
  if (val->type()->isBlock() && val->type()->shape() != bp.blockShape)
    L.error(a.range("value"), "block shape " + Lowerer::shapeStr(bp.blockShape) +
                                  " and value shape " + Lowerer::shapeStr(val->type()->shape()) +
                                  " mismatch");
  auto [ptrs, mask] = blockPtrAddresses(L, bp, dims, a.callRange);
  setSlot(a, "pointer", SVal::tensor(ptrs));
  setSlot(a, "boundary_check", std::nullopt);
  if (mask)
    setSlot(a, "mask", SVal::tensor(mask));
}

// ---- tensor descriptors: row-major block pointers whose accesses check every dimension and
// read zero out of bounds (the TMA behaviour Triton's descriptors have).

SVal builtinMakeTensorDescriptor(Lowerer &L, CallArgs &a) {
  Value *base = tensorArg(L, a, "base");
  if (base->type()->isBlock() || !base->type()->isPointer())
    L.error(a.range("base"), "tl.make_tensor_descriptor: expected `base` to be a pointer, got " +
                                 L.describe(a["base"]));
  const Type *elem = base->type()->pointee();
  if (!elem->isScalar() || elem->isBool())
    L.error(a.range("base"),
            "tl.make_tensor_descriptor: unsupported element type " + Lowerer::typeStr(elem));
  BlockPtrInfo bp;
  bp.descriptor = true;
  bp.base = base;
  bp.shape = scalarList(L, a, "shape", ScalarKind::I64);
  bp.blockShape = constList(L, a, "block_shape");
  size_t n = bp.shape.size();
  if (n < 1 || n > 5)
    L.error(a.range("shape"), "tl.make_tensor_descriptor: expected 1 <= ndim <= 5 but got " +
                                  std::to_string(n) + " dimensions");
  const SVal &strides = a["strides"];
  std::vector<SVal> strideElems = strides.isTuple() ? strides.elems() : std::vector<SVal>{strides};
  if (strideElems.size() != n)
    L.error(a.range("strides"), "tl.make_tensor_descriptor: expected " + std::to_string(n) +
                                    " strides but got " + std::to_string(strideElems.size()));
  if (bp.blockShape.size() != n)
    L.error(a.range("block_shape"), "tl.make_tensor_descriptor: expected block_shape to have " +
                                        std::to_string(n) + " dimensions but got " +
                                        std::to_string(bp.blockShape.size()));
  const SVal &last = strideElems.back();
  if (!(last.is(K::Int) || last.is(K::Bool)) || last.intValue() != 1)
    L.error(a.range("strides"),
            "tl.make_tensor_descriptor: the last dimension must be contiguous (stride 1), got " +
                L.describe(last));
  bp.strides = scalarList(L, a, "strides", ScalarKind::I64);
  int64_t bytes = bp.blockShape.back() * std::max<int64_t>(1, elem->bitWidth() / 8);
  if (bytes < 16)
    L.error(a.range("block_shape"), "tl.make_tensor_descriptor: the block must have at least 16 "
                                    "bytes in the last dimension, got " +
                                        std::to_string(bytes));
  std::string padding = stringArg(L, a, "padding_option", "zero");
  if (padding != "zero" && padding != "nan")
    L.error(a.range("padding_option"),
            "padding option '" + padding + "' is not supported (use \"zero\" or \"nan\")");
  if (padding == "nan" && !elem->isFloat())
    L.error(a.range("padding_option"),
            "padding option `nan` is not supported for integer tensor descriptors");
  L.blockType(elem, bp.blockShape, a.range("block_shape"));
  for (size_t i = 0; i < n; ++i) {
    bp.offsets.push_back(L.intConst(0, L.scalar(ScalarKind::I32)));
    bp.order.push_back(static_cast<int64_t>(n - 1 - i));
  }
  bp.nanPadding = padding == "nan";
  return SVal::blockPtr(std::move(bp));
}

namespace {

BlockPtrInfo descriptorAt(Lowerer &L, CallArgs &a) {
  BlockPtrInfo bp = a["self"].blockPtrInfo();
  bp.offsets = scalarList(L, a, "offsets", ScalarKind::I32);
  if (bp.offsets.size() != bp.blockShape.size())
    L.error(a.range("offsets"), std::string(a.def->display) + ": expected " +
                                    std::to_string(bp.blockShape.size()) + " offsets, got " +
                                    std::to_string(bp.offsets.size()));
  return bp;
}

std::vector<int64_t> allDims(size_t n) {
  std::vector<int64_t> d;
  for (size_t i = 0; i < n; ++i)
    d.push_back(static_cast<int64_t>(i));
  return d;
}

} // namespace

SVal builtinDescLoad(Lowerer &L, CallArgs &a) {
  BlockPtrInfo bp = descriptorAt(L, a);
  bool nanPad = bp.nanPadding;
  auto [ptrs, mask] = blockPtrAddresses(L, bp, allDims(bp.blockShape.size()), a.callRange);
  const Type *resTy = L.withElement(ptrs->type(), bp.base->type()->pointee());
  Value *other = nanPad             ? L.floatConst(std::nan(""), resTy)
                 : resTy->isFloat() ? L.floatConst(0.0, resTy)
                                    : L.intConst(0, resTy);
  return SVal::tensor(L.emit(OpCode::Load, {ptrs, mask, other}, resTy));
}

SVal builtinDescStore(Lowerer &L, CallArgs &a) {
  BlockPtrInfo bp = descriptorAt(L, a);
  Value *val = tensorArg(L, a, "value");
  if (val->type()->isBlock() && val->type()->shape() != bp.blockShape)
    L.error(a.range("value"), "block shape " + Lowerer::shapeStr(bp.blockShape) +
                                  " and value shape " + Lowerer::shapeStr(val->type()->shape()) +
                                  " mismatch");
  auto [ptrs, mask] = blockPtrAddresses(L, bp, allDims(bp.blockShape.size()), a.callRange);
  val = L.broadcastTo(L.cast(val, bp.base->type()->pointee(), a.range("value")), bp.blockShape,
                      a.range("value"), "tensor_descriptor.store");
  L.emitOp(OpCode::Store, {ptrs, val, mask}, {});
  return SVal::none();
}

} // namespace tritonc::sema
