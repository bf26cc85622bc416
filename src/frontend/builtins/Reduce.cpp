// Reductions and scans: Triton's core.reduce / core.associative_scan and the standard.py
// functions built on them (tl.sum, max, min, argmax, argmin, xor_sum, reduce, cumsum, cumprod,
// associative_scan, softmax, and the bitonic tl.sort / tl.flip), plus tl.histogram. Each follows
// Triton 3.x's core.py / standard.py, including its dtype promotions.
#include "frontend/Promotion.h"
#include "frontend/builtins/Builtins.h"
#include "support/Bits.h"

#include <functional>

namespace tritonc::sema {

using K = SVal::Kind;

namespace {

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
// Histogram
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

// ------------------------------------------------------------------------------------------------
// Sort and flip: standard.py's bitonic networks on a [2, 2, ..., 2] hypercube reshape
// ------------------------------------------------------------------------------------------------

namespace {

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
  int logN = log2Ceil(shape.back());
  int nDims = log2Ceil(x->type()->numElements());
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
  int steps = log2Ceil(shape[static_cast<size_t>(dim)]);
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

} // namespace tritonc::sema
