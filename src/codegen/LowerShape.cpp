// Shape ops: trans (permute, .T), reshape (view, ravel, and the hypercube reshapes behind sort
// and flip), join, split and cat (interleave is join + reshape).
//
// Each of them only moves elements: element c of the result is element toSrc(c) of the source,
// and toSrc is linear over GF(2) on power-of-two shapes (a permutation of the coordinate bits:
// trans permutes dims, reshape relabels the bits of the row-major index, join/split/cat move
// one bit between dims). So the result's layout, with each of its register, lane and warp
// bases mapped through toSrc, is a layout *of the source* that says which source element each
// register of each thread needs ("the result in source coordinates"). Moving the source into
// it is what convert_layout does (relayout): a renumbering of registers when every thread
// already holds the elements it needs — trans of a blocked layout whose result layout is the
// permuted one, join/split along a minor dim held in registers, reshapes that keep the bit
// roles — else one round trip through shared memory (row-major in source coordinates).
//
// Two operands (join, cat) are first seen as one stacked source of shape [2, ...] whose extra
// leading dim is one more register bit (registers of a, then of b: both have one layout); two
// results (split) as one stacked result the same way, split in halves afterwards. A reshaped
// arange (the indicator blocks of sort and flip) is recomputed from its coordinates instead.
#include "codegen/Lowering.h"
#include "support/Bits.h"

namespace tritonc {

namespace {

using Coord = LinearLayout::Coord;

int64_t flatten(const Coord &c, const std::vector<int64_t> &shape) {
  int64_t flat = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    flat = flat * shape[d] + c[d];
  return flat;
}

Coord unflatten(int64_t flat, const std::vector<int64_t> &shape) {
  Coord c(shape.size(), 0);
  for (size_t d = shape.size(); d-- > 0;) {
    c[d] = flat % shape[d];
    flat /= shape[d];
  }
  return c;
}

/// `ll` (a layout of some result) with every basis mapped through `toSrc`: a layout of
/// `srcShape`.
LinearLayout inSourceCoordinates(const LinearLayout &ll, const std::vector<int64_t> &srcShape,
                                 const std::function<Coord(const Coord &)> &toSrc) {
  auto map = [&](const std::vector<Coord> &bases) {
    std::vector<Coord> out;
    for (const Coord &b : bases)
      out.push_back(toSrc(b));
    return out;
  };
  return LinearLayout(srcShape, map(ll.regBases()), map(ll.laneBases()), map(ll.warpBases()));
}

/// `ll` with a leading dim of 2 set by one more (the highest) register bit: registers
/// 0..n-1 hold index 0 of that dim, n..2n-1 index 1.
LinearLayout stacked(const LinearLayout &ll) {
  auto prefix = [](const std::vector<Coord> &bases) {
    std::vector<Coord> out;
    for (const Coord &b : bases) {
      Coord c{0};
      c.insert(c.end(), b.begin(), b.end());
      out.push_back(std::move(c));
    }
    return out;
  };
  std::vector<int64_t> shape{2};
  shape.insert(shape.end(), ll.shape().begin(), ll.shape().end());
  std::vector<Coord> reg = prefix(ll.regBases());
  Coord top(shape.size(), 0);
  top[0] = 1;
  reg.push_back(std::move(top));
  return LinearLayout(std::move(shape), std::move(reg), prefix(ll.laneBases()),
                      prefix(ll.warpBases()));
}

std::vector<int64_t> stackedShape(const std::vector<int64_t> &shape) {
  std::vector<int64_t> out{2};
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

} // namespace

Regs KernelLowering::moveElements(const Operation &op, const Type *srcTy, const LinearLayout &src,
                                  const LinearLayout &dst,
                                  const std::function<Coord(const Coord &)> &toSrc,
                                  const Regs &in) {
  const LinearLayout &need = derivedLayout(inSourceCoordinates(dst, srcTy->shape(), toSrc));
  return relayout(op, srcTy, src, need, in);
}

bool KernelLowering::lowerTrans(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *src = linearLayout(srcTy, op), *dst = linearLayout(dstTy, op);
  if (!src || !dst)
    return false;
  std::vector<int64_t> order = op.attrs().getInts("order");
  if (order.empty()) // the reverse of the dims, as the interpreter reads it
    for (unsigned d = srcTy->rank(); d-- > 0;)
      order.push_back(d);
  if (order.size() != srcTy->rank())
    return error(op, "malformed 'trans': order must permute the operand's dims");
  // Result dim i is source dim order[i].
  Regs out = moveElements(
      op, srcTy, *src, *dst,
      [&](const Coord &c) {
        Coord s(c.size(), 0);
        for (size_t i = 0; i < order.size(); ++i)
          s[static_cast<size_t>(order[i])] = c[i];
        return s;
      },
      regs(op.operand(0)));
  if (out.empty())
    return false;
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::lowerReshape(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *src = linearLayout(srcTy, op), *dst = linearLayout(dstTy, op);
  if (!src || !dst)
    return false;
  // Row-major order is kept (also with can_reorder, as the interpreter does).
  const std::vector<int64_t> &srcShape = srcTy->shape(), &dstShape = dstTy->shape();
  auto toSrc = [&](const Coord &c) { return unflatten(flatten(c, dstShape), srcShape); };
  if (const Operation *def = op.operand(0)->definingOp(); def && def->code() == OpCode::MakeRange) {
    // A reshaped arange (sort's and flip's indicator blocks) is computed in place: its value
    // is its row-major index plus the start, with no data movement.
    const LinearLayout &need = derivedLayout(inSourceCoordinates(*dst, srcShape, toSrc));
    const int64_t start = def->attrs().getInt("start", 0);
    Regs out;
    for (unsigned r = 0; r < need.numRegisters(); ++r)
      out.push_back(b_.CreateAdd(coordinate(need, r, 0), b_.getInt32(static_cast<int32_t>(start)),
                                 "", /*HasNUW=*/start >= 0, /*HasNSW=*/true));
    bind(op.result(), std::move(out));
    return true;
  }
  Regs out = moveElements(op, srcTy, *src, *dst, toSrc, regs(op.operand(0)));
  if (out.empty())
    return false;
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::lowerJoin(const Operation &op) {
  const Type *inTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *dst = linearLayout(dstTy, op);
  if (!dst)
    return false;
  const unsigned last = dstTy->rank() - 1;
  if (!inTy->isBlock()) {
    // Two scalars: each register takes the one its coordinate names.
    Regs out;
    for (unsigned r = 0; r < dst->numRegisters(); ++r) {
      llvm::Value *second = b_.CreateICmpNE(coordinate(*dst, r, last), b_.getInt32(0));
      out.push_back(b_.CreateSelect(second, scalar(op.operand(1)), scalar(op.operand(0))));
    }
    bind(op.result(), std::move(out));
    return true;
  }
  const LinearLayout *src = linearLayout(inTy, op);
  if (!src)
    return false;
  if (op.operand(1)->type() != inTy)
    return error(op, "malformed 'join': operands of different types");
  Regs in = regs(op.operand(0));
  const Regs &second = regs(op.operand(1));
  in.insert(in.end(), second.begin(), second.end());
  const Type *stackTy = fn_.context().block(inTy->element(), stackedShape(inTy->shape()));
  // Result (c..., k) is stacked element (k, c...).
  Regs out = moveElements(
      op, stackTy, derivedLayout(stacked(*src)), *dst,
      [last](const Coord &c) {
        Coord s{c[last]};
        s.insert(s.end(), c.begin(), c.begin() + last);
        return s;
      },
      in);
  if (out.empty())
    return false;
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::lowerCat(const Operation &op) {
  const Type *inTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *src = linearLayout(inTy, op), *dst = linearLayout(dstTy, op);
  if (!src || !dst)
    return false;
  if (op.operand(1)->type() != inTy)
    return error(op, "malformed 'cat': operands of different types");
  Regs in = regs(op.operand(0));
  const Regs &second = regs(op.operand(1));
  in.insert(in.end(), second.begin(), second.end());
  const Type *stackTy = fn_.context().block(inTy->element(), stackedShape(inTy->shape()));
  // Result row i is row i % n of operand i / n (n rows each): stacked element (i / n, i % n, ...).
  const unsigned rowBits = log2Ceil(inTy->shape()[0]);
  const int64_t rowMask = inTy->shape()[0] - 1;
  Regs out = moveElements(
      op, stackTy, derivedLayout(stacked(*src)), *dst,
      [&](const Coord &c) {
        Coord s{c[0] >> rowBits, c[0] & rowMask};
        s.insert(s.end(), c.begin() + 1, c.end());
        return s;
      },
      in);
  if (out.empty())
    return false;
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::lowerSplit(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *outTy = op.result(0)->type();
  const LinearLayout *src = linearLayout(srcTy, op), *dst = linearLayout(outTy, op);
  if (!src || !dst)
    return false;
  if (op.result(1)->type() != outTy)
    return error(op, "malformed 'split': results of different types");
  // Stacked result element (k, c...) is source element (c..., k).
  Regs both = moveElements(
      op, srcTy, *src, derivedLayout(stacked(*dst)),
      [](const Coord &c) {
        Coord s(c.begin() + 1, c.end());
        s.push_back(c[0]);
        return s;
      },
      regs(op.operand(0)));
  if (both.empty())
    return false;
  const size_t n = dst->numRegisters();
  bind(op.result(0), Regs(both.begin(), both.begin() + static_cast<ptrdiff_t>(n)));
  bind(op.result(1), Regs(both.begin() + static_cast<ptrdiff_t>(n), both.end()));
  return true;
}

} // namespace tritonc
