// reduce: combine the elements of N blocks along `axis` with the op's combine region, in
// three steps (as Triton): within each thread, then across the lanes of a warp, then across
// warps through shared memory.
//
//   1. A thread's registers that differ only along `axis` fold into one accumulator per "key"
//      (the register's coordinate with `axis` zeroed), in register order.
//   2. For each lane bit whose basis points along `axis` (highest first), a butterfly step:
//      acc = combine(acc, shuffle_xor(acc, 1 << bit)); afterwards every lane of the group has
//      the warp's result.
//   3. If warp bits point along `axis`: barrier, each thread stores its accumulators at
//      [output element][its warp's position along axis], barrier, each thread loads the 2^k
//      partials of its output elements and folds them in order.
// The result, laid out as slice(axis, operand layout), then holds in each register the
// accumulator of the key with the same coordinate (a 1-D reduce gives a scalar).
#include "codegen/Lowering.h"

namespace tritonc {

namespace {

/// Whether a basis points along `axis` only (blocked and slice layouts always do).
bool alongAxisOnly(const LinearLayout::Coord &basis, unsigned axis) {
  for (unsigned d = 0; d < basis.size(); ++d)
    if (d != axis && basis[d] != 0)
      return false;
  return true;
}

/// Whether the reduce's combine is one op whose result does not depend on the order of
/// combination: max or min (any type), or add, mul, and, or, xor of integers.
bool associativeCombine(const Operation &op) {
  const Block &region = *op.region(0);
  if (op.numResults() != 1 || region.ops().size() != 2)
    return false;
  const Operation &f = *region.ops().front();
  const Operation *yield = region.terminator();
  if (!yield || yield->numOperands() != 1 || yield->operand(0) != f.result() ||
      f.numOperands() != 2)
    return false;
  const Value *a = region.argument(0), *b = region.argument(1);
  if (!((f.operand(0) == a && f.operand(1) == b) || (f.operand(0) == b && f.operand(1) == a)))
    return false;
  switch (f.code()) {
  case OpCode::Max:
  case OpCode::Min:
    return true;
  case OpCode::Add:
  case OpCode::Mul:
  case OpCode::And:
  case OpCode::Or:
  case OpCode::Xor:
    return f.result()->type()->isInt();
  default:
    return false;
  }
}

} // namespace

std::vector<llvm::Value *> KernelLowering::combine(const Operation &op,
                                                   const std::vector<llvm::Value *> &acc,
                                                   const std::vector<llvm::Value *> &next) {
  const Block &region = *op.region(0);
  for (size_t k = 0; k < acc.size(); ++k) {
    bind(region.argument(static_cast<unsigned>(k)), {acc[k]});
    bind(region.argument(static_cast<unsigned>(acc.size() + k)), {next[k]});
  }
  // The region is scalar code lowered inline: it neither reads nor writes shared memory, so
  // the barrier bookkeeping (which lowerBlock resets for blocks reached from elsewhere) stays.
  const bool storesUnsynced = sharedStoresUnsynced_, readsSinceBarrier = sharedReadsSinceBarrier_;
  if (!lowerBlock(region))
    return {};
  sharedStoresUnsynced_ = storesUnsynced;
  sharedReadsSinceBarrier_ = readsSinceBarrier;
  std::vector<llvm::Value *> out;
  for (Value *v : region.terminator()->operands())
    out.push_back(scalar(v));
  return out;
}

llvm::Value *KernelLowering::shuffleXor(llvm::Value *v, unsigned laneMask) {
  llvm::Type *ty = v->getType();
  const unsigned bits =
      ty->isPointerTy() ? 64 : static_cast<unsigned>(ty->getPrimitiveSizeInBits());
  llvm::Type *intTy = b_.getIntNTy(bits);
  llvm::Value *x = ty->isPointerTy()   ? b_.CreatePtrToInt(v, intTy)
                   : ty->isIntegerTy() ? v
                                       : b_.CreateBitCast(v, intTy);
  llvm::Value *r;
  if (bits == 64) { // two 32-bit shuffles
    llvm::Value *lo = target_.shuffleXor(b_, b_.CreateTrunc(x, b_.getInt32Ty()), laneMask);
    llvm::Value *hi =
        target_.shuffleXor(b_, b_.CreateTrunc(b_.CreateLShr(x, 32), b_.getInt32Ty()), laneMask);
    llvm::Value *low = b_.CreateZExt(lo, intTy); // sequenced: argument order is unspecified
    r = b_.CreateOr(low, b_.CreateShl(b_.CreateZExt(hi, intTy), 32));
  } else {
    r = target_.shuffleXor(b_, b_.CreateZExt(x, b_.getInt32Ty()), laneMask);
    r = b_.CreateTrunc(r, intTy);
  }
  return ty->isPointerTy()   ? b_.CreateIntToPtr(r, ty)
         : ty->isIntegerTy() ? r
                             : b_.CreateBitCast(r, ty);
}

bool KernelLowering::lowerReduce(const Operation &op) {
  const unsigned n = op.numOperands();
  const Type *srcTy = op.operand(0)->type();
  const int64_t axisAttr = op.attrs().getInt("axis", 0);
  if (!srcTy->isBlock() || axisAttr < 0 || axisAttr >= static_cast<int64_t>(srcTy->rank()) ||
      op.numResults() != n || op.region(0)->numArguments() != 2 * n)
    return error(op, "malformed 'reduce'");
  const unsigned axis = static_cast<unsigned>(axisAttr);
  const LinearLayout *src = linearLayout(srcTy, op);
  if (!src)
    return false;
  for (const auto *bases : {&src->laneBases(), &src->warpBases(), &src->regBases()})
    for (const LinearLayout::Coord &b : *bases)
      if (b[axis] != 0 && !alongAxisOnly(b, axis))
        return error(op, "reduce over " + srcTy->str() + ": the layout mixes dim " +
                             std::to_string(axis) + " with others");

  // 1. Within the thread: one accumulator set per key, keys in order of first register. An
  //    exactly associative combine (max, min, integer add/mul/and/or/xor) folds each key's
  //    registers as a balanced tree (log2 of the chain's latency: the row max of attention's
  //    online softmax); any other combine folds in register order.
  std::vector<LinearLayout::Coord> keys;
  std::vector<unsigned> firstRegister;
  std::vector<std::vector<std::vector<llvm::Value *>>> items; // key -> its registers' values
  for (unsigned r = 0; r < src->numRegisters(); ++r) {
    LinearLayout::Coord key = src->registerCoord(r);
    key[axis] = 0;
    std::vector<llvm::Value *> next;
    for (unsigned k = 0; k < n; ++k)
      next.push_back(regs(op.operand(k))[r]);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      firstRegister.push_back(r);
      items.push_back({std::move(next)});
      continue;
    }
    items[it - keys.begin()].push_back(std::move(next));
  }
  const bool tree = associativeCombine(op);
  std::vector<std::vector<llvm::Value *>> acc;
  for (std::vector<std::vector<llvm::Value *>> &vals : items) {
    if (tree) {
      while (vals.size() > 1) {
        std::vector<std::vector<llvm::Value *>> half;
        for (size_t i = 0; i + 1 < vals.size(); i += 2) {
          half.push_back(combine(op, vals[i], vals[i + 1]));
          if (half.back().empty())
            return false;
        }
        if (vals.size() % 2)
          half.push_back(std::move(vals.back()));
        vals = std::move(half);
      }
      acc.push_back(std::move(vals.front()));
      continue;
    }
    std::vector<llvm::Value *> a = std::move(vals.front());
    for (size_t i = 1; i < vals.size(); ++i) {
      a = combine(op, a, vals[i]);
      if (a.empty())
        return false;
    }
    acc.push_back(std::move(a));
  }

  // 2. Across lanes: butterfly over the lane bits along the axis, highest first.
  const auto &lanes = src->laneBases();
  for (size_t i = lanes.size(); i-- > 0;) {
    if (lanes[i][axis] == 0)
      continue;
    for (std::vector<llvm::Value *> &a : acc) {
      std::vector<llvm::Value *> other;
      for (llvm::Value *v : a)
        other.push_back(shuffleXor(v, 1u << i));
      a = combine(op, a, other);
      if (a.empty())
        return false;
    }
  }

  // 3. Across warps, through shared memory.
  std::vector<unsigned> warpBits;
  for (unsigned i = 0; i < src->warpBases().size(); ++i)
    if (src->warpBases()[i][axis] != 0)
      warpBits.push_back(i);
  if (!warpBits.empty()) {
    const unsigned parts = 1u << warpBits.size();
    // This warp's position along the axis: its axis bits, packed.
    llvm::Value *part = b_.getInt32(0);
    for (unsigned j = 0; j < warpBits.size(); ++j)
      part =
          b_.CreateOr(part, b_.CreateShl(b_.CreateAnd(b_.CreateLShr(warpId_, warpBits[j]), 1), j));
    // Row-major index of each key's output element (the axis dim left out).
    std::vector<llvm::Value *> outIndex;
    for (unsigned g = 0; g < keys.size(); ++g) {
      llvm::Value *idx = b_.getInt32(0);
      int64_t stride = 1;
      for (unsigned d = srcTy->rank(); d-- > 0;) {
        if (d == axis)
          continue;
        idx = b_.CreateAdd(idx, b_.CreateMul(coordinate(*src, firstRegister[g], d),
                                             b_.getInt32(static_cast<uint32_t>(stride))));
        stride *= srcTy->shape()[d];
      }
      outIndex.push_back(idx);
    }
    // One region per operand, each element type at its natural alignment (8-byte steps).
    std::vector<llvm::Type *> memTys;
    for (unsigned k = 0; k < n; ++k)
      memTys.push_back(memoryType(op.operand(k)->type()));
    const std::vector<int64_t> offsets = operandRegions(op, reduceScratchSlots(srcTy, *src, axis));
    llvm::Value *base = sharedScratch(op, offsets.back());
    if (!base)
      return false;
    auto slot = [&](unsigned k, llvm::Value *index) {
      llvm::Value *region = b_.CreateConstGEP1_64(b_.getInt8Ty(), base, offsets[k]);
      return b_.CreateGEP(memTys[k], region, index);
    };
    const unsigned partsShift = static_cast<unsigned>(warpBits.size());
    target_.barrier(b_);
    for (unsigned g = 0; g < keys.size(); ++g)
      for (unsigned k = 0; k < n; ++k) {
        llvm::Value *v = acc[g][k];
        if (v->getType() != memTys[k])
          v = b_.CreateZExt(v, memTys[k]);
        b_.CreateStore(v, slot(k, b_.CreateOr(b_.CreateShl(outIndex[g], partsShift), part)));
      }
    target_.barrier(b_);
    for (unsigned g = 0; g < keys.size(); ++g) {
      std::vector<std::vector<llvm::Value *>> partials(parts);
      for (unsigned p = 0; p < parts; ++p)
        for (unsigned k = 0; k < n; ++k) {
          llvm::Value *index = b_.CreateOr(b_.CreateShl(outIndex[g], partsShift), p);
          llvm::Value *v = b_.CreateLoad(memTys[k], slot(k, index));
          if (memTys[k] != acc[g][k]->getType())
            v = b_.CreateICmpNE(v, llvm::ConstantInt::get(memTys[k], 0));
          partials[p].push_back(v);
        }
      acc[g] = partials[0];
      for (unsigned p = 1; p < parts; ++p) {
        acc[g] = combine(op, acc[g], partials[p]);
        if (acc[g].empty())
          return false;
      }
    }
  }

  // 4. Results in the slice layout: register r holds the key with r's coordinate.
  const Type *resultTy = op.result(0)->type();
  if (!resultTy->isBlock()) {
    for (unsigned k = 0; k < n; ++k)
      bind(op.result(k), {acc[0][k]});
    return true;
  }
  const LinearLayout *dst = linearLayout(resultTy, op);
  if (!dst)
    return false;
  auto notSlice = [&] {
    return error(op, "the result of reduce must be laid out as a slice of its operand's "
                     "layout along the reduced dim, not " +
                         resultTy->str());
  };
  // The same threads must hold the same output elements: src's bases minus the axis.
  auto sameThreads = [axis](const std::vector<LinearLayout::Coord> &s,
                            const std::vector<LinearLayout::Coord> &d) {
    if (s.size() != d.size())
      return false;
    for (size_t i = 0; i < s.size(); ++i) {
      LinearLayout::Coord dropped = s[i];
      dropped.erase(dropped.begin() + axis);
      if (dropped != d[i])
        return false;
    }
    return true;
  };
  if (!sameThreads(src->laneBases(), dst->laneBases()) ||
      !sameThreads(src->warpBases(), dst->warpBases()))
    return notSlice();
  std::vector<Regs> out(n);
  for (unsigned r = 0; r < dst->numRegisters(); ++r) {
    LinearLayout::Coord key = dst->registerCoord(r);
    key.insert(key.begin() + axis, 0);
    auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end())
      return notSlice();
    for (unsigned k = 0; k < n; ++k)
      out[k].push_back(acc[it - keys.begin()][k]);
  }
  for (unsigned k = 0; k < n; ++k)
    bind(op.result(k), std::move(out[k]));
  return true;
}

} // namespace tritonc
