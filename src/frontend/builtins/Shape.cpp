// Shape builtins: tl.expand_dims, reshape / view, broadcast_to / broadcast, trans / permute,
// ravel, join / split / interleave, cat, and tl.gather.
#include "frontend/builtins/Builtins.h"

#include <algorithm>

namespace tritonc::sema {

SVal builtinExpandDims(Lowerer &L, CallArgs &a) {
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

SVal builtinReshape(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> shape = shapeFromVarargs(L, a, "the shape");
  bool reorder = boolArg(L, a, "can_reorder", false);
  L.blockType(x->type()->scalarType(), shape, varargsRange(a));
  return SVal::tensor(L.reshape(x, shape, reorder, a.callRange));
}

SVal builtinView(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> shape = shapeFromVarargs(L, a, "the shape");
  L.blockType(x->type()->scalarType(), shape, varargsRange(a));
  return SVal::tensor(L.reshape(x, shape, true, a.callRange));
}

SVal builtinBroadcastTo(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> shape = shapeFromVarargs(L, a, "the shape");
  L.blockType(x->type()->scalarType(), shape, varargsRange(a));
  return SVal::tensor(L.broadcastTo(x, shape, a.callRange, "tl.broadcast_to"));
}

SVal builtinBroadcast(Lowerer &L, CallArgs &a) {
  auto [x, y] = L.broadcastPair(tensorArg(L, a, "input"), tensorArg(L, a, "other"), a.callRange,
                                "tl.broadcast");
  return SVal::tuple({SVal::tensor(x), SVal::tensor(y)});
}

namespace {

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

} // namespace

SVal builtinTrans(Lowerer &L, CallArgs &a) {
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

SVal builtinPermute(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "input");
  return permuteImpl(L, a, x, shapeFromVarargs(L, a, "the dims"));
}

SVal builtinRavel(Lowerer &L, CallArgs &a) {
  Value *x = tensorArg(L, a, "x");
  int64_t n = x->type()->isBlock() ? x->type()->numElements() : 1;
  return SVal::tensor(L.reshape(x, {n}, boolArg(L, a, "can_reorder", false), a.callRange));
}

namespace {

Value *joinImpl(Lowerer &L, SourceRange where, Value *x, Value *y) {
  auto [a, b] = L.broadcastPair(x, y, where, "tl.join");
  if (a->type() != b->type())
    L.error(where, "tl.join needs two values of one type, got " + Lowerer::typeStr(a->type()) +
                       " and " + Lowerer::typeStr(b->type()));
  std::vector<int64_t> shape = Lowerer::shapeOf(a->type());
  shape.push_back(2);
  return L.emit(OpCode::Join, {a, b}, L.blockType(a->type()->scalarType(), shape, where));
}

} // namespace

SVal builtinJoin(Lowerer &L, CallArgs &a) {
  return SVal::tensor(joinImpl(L, a.callRange, tensorArg(L, a, "a"), tensorArg(L, a, "b")));
}

SVal builtinSplit(Lowerer &L, CallArgs &a) {
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

SVal builtinInterleave(Lowerer &L, CallArgs &a) {
  Value *c = joinImpl(L, a.callRange, tensorArg(L, a, "a"), tensorArg(L, a, "b"));
  std::vector<int64_t> shape = c->type()->shape();
  if (shape.size() == 1)
    return SVal::tensor(c);
  int64_t last = shape[shape.size() - 2] * 2;
  shape.pop_back();
  shape.back() = last;
  return SVal::tensor(L.reshape(c, shape, false, a.callRange));
}

SVal builtinCat(Lowerer &L, CallArgs &a) {
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

} // namespace tritonc::sema
