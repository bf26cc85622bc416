// Index maths and data movement between layouts.
//
// The coordinate of register r of a thread along dim d is registerCoord(r)[d] XOR the thread's
// part (lane and warp bits through their bases), computed once per (layout, dim) in the entry
// block. For blocked layouts the two parts have disjoint bits, so the XOR is emitted as
// `or disjoint` (an add the optimizer can fold into addresses).
//
// splat copies the scalar into every register; broadcast and expand_dims, and convert_layout
// between layouts that keep every element in the same thread, only renumber registers
// (LinearLayout::registerMapping); any other convert_layout goes through shared memory:
// barrier, each thread stores its registers at the elements' row-major offsets, barrier, each
// thread loads the elements of the new layout. The tile is laid out as relayoutPlan (shared
// with the allocation) says: rows padded by a bank word, or swizzled in vectors so that a side
// whose registers hold consecutive elements along the last dim moves them as one vector access
// (a transpose: one side's 16-byte loads, the other side's scalar stores down the columns, both
// spread over the banks), whichever costs the fewest bank wavefronts.
#include "codegen/Lowering.h"
#include "passes/Allocation.h"
#include "support/Bits.h"

namespace tritonc {

llvm::Value *KernelLowering::threadCoordinate(const LinearLayout &ll, unsigned dim) {
  auto key = std::make_pair(&ll, dim);
  if (auto it = threadCoords_.find(key); it != threadCoords_.end())
    return it->second;
  llvm::IRBuilderBase &b = prologue_;
  llvm::Value *acc = nullptr;
  int64_t accBits = 0; // bits acc may have set: while terms stay disjoint, OR them
  auto combine = [&](llvm::Value *term, int64_t bits) {
    if (!acc)
      acc = term;
    else if ((accBits & bits) == 0)
      acc = b.CreateOr(acc, term, "", /*IsDisjoint=*/true);
    else
      acc = b.CreateXor(acc, term);
    accBits |= bits;
  };
  auto addBits = [&](llvm::Value *id, const std::vector<LinearLayout::Coord> &bases) {
    for (size_t i = 0; i < bases.size();) {
      int64_t v = bases[i][dim];
      if (v == 0) {
        ++i;
        continue;
      }
      llvm::Value *shifted = i ? b.CreateLShr(id, static_cast<uint64_t>(i)) : id;
      if (!isPowerOf2(v)) {
        llvm::Value *bit = b.CreateTrunc(shifted, b.getInt1Ty());
        combine(b.CreateSelect(bit, b.getInt32(static_cast<uint32_t>(v)), b.getInt32(0)), v);
        ++i;
        continue;
      }
      // A run of bits i, i+1, ... mapping to v, 2v, ...: one shift-and-mask.
      size_t j = i + 1;
      while (j < bases.size() && bases[j][dim] == v << (j - i))
        ++j;
      int64_t mask = (int64_t{1} << (j - i)) - 1;
      llvm::Value *term = b.CreateAnd(shifted, static_cast<uint64_t>(mask));
      unsigned k = log2Ceil(v);
      if (k)
        term = b.CreateShl(term, k, "", /*HasNUW=*/true, /*HasNSW=*/true);
      combine(term, mask << k);
      i = j;
    }
  };
  addBits(laneId_, ll.laneBases());
  addBits(warpId_, ll.warpBases());
  if (!acc)
    acc = b.getInt32(0);
  threadCoords_.emplace(key, acc);
  return acc;
}

llvm::Value *KernelLowering::coordinate(const LinearLayout &ll, unsigned reg, unsigned dim) {
  int64_t c = ll.registerCoord(reg)[dim];
  llvm::Value *t = threadCoordinate(ll, dim);
  if (c == 0)
    return t;
  llvm::Value *cv = b_.getInt32(static_cast<uint32_t>(c));
  if ((c & ll.threadBitsMask(dim)) == 0)
    return b_.CreateOr(t, cv, "", /*IsDisjoint=*/true);
  return b_.CreateXor(t, cv);
}

llvm::Value *KernelLowering::ownerPredicate(const LinearLayout &ll) {
  if (auto it = owners_.find(&ll); it != owners_.end())
    return it->second;
  llvm::IRBuilderBase &b = prologue_;
  llvm::Value *pred = nullptr;
  auto require = [&](llvm::Value *id, uint32_t freeMask) {
    if (!freeMask)
      return;
    llvm::Value *zero = b.CreateICmpEQ(b.CreateAnd(id, freeMask), b.getInt32(0));
    pred = pred ? b.CreateAnd(pred, zero) : zero;
  };
  require(laneId_, ll.freeLaneMask());
  require(warpId_, ll.freeWarpMask());
  owners_.emplace(&ll, pred);
  return pred;
}

llvm::Value *KernelLowering::sharedMemoryBase() {
  // Dynamic shared memory, as Triton's: its size is the kernel's sharedBytes, passed at launch.
  // Aligned to 128 bytes, a full row of the 32 banks, so that the swizzle of shared tiles
  // (offsets 128-aligned within it) maps to the banks it was designed for.
  const char *name = "global_smem";
  if (llvm::GlobalVariable *gv = module_.getNamedGlobal(name))
    return gv;
  auto *ty = llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx_), 0);
  auto *gv = new llvm::GlobalVariable(module_, ty, false, llvm::GlobalValue::ExternalLinkage,
                                      nullptr, name, nullptr, llvm::GlobalValue::NotThreadLocal,
                                      target_.sharedAddressSpace());
  gv->setAlignment(llvm::Align(wgmmaTiles_ ? 1024 : 128)); // wgmma: the swizzle's period
  return gv;
}

bool KernelLowering::lowerSplat(const Operation &op) {
  unsigned n = numRegisters(op.result()->type(), op);
  if (!n)
    return false;
  bind(op.result(), Regs(n, scalar(op.operand(0))));
  return true;
}

namespace {
/// Renumbers registers: out[r] = src[mapping[r]].
Regs gather(const Regs &src, const std::vector<unsigned> &mapping) {
  Regs out;
  for (unsigned r : mapping)
    out.push_back(src[r]);
  return out;
}
} // namespace

bool KernelLowering::lowerBroadcast(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *src = linearLayout(srcTy, op), *dst = linearLayout(dstTy, op);
  if (!src || !dst)
    return false;
  const std::vector<int64_t> &srcShape = srcTy->shape();
  auto toSrc = [&](const LinearLayout::Coord &c) {
    LinearLayout::Coord out = c;
    for (size_t d = 0; d < out.size(); ++d)
      if (srcShape[d] == 1)
        out[d] = 0;
    return out;
  };
  auto mapping = LinearLayout::registerMapping(*src, *dst, toSrc);
  if (!mapping)
    return error(op, "broadcast from " + srcTy->str() + " to " + dstTy->str() +
                         " moves elements between threads; a convert_layout is needed first");
  bind(op.result(), gather(regs(op.operand(0)), *mapping));
  return true;
}

bool KernelLowering::lowerExpandDims(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *src = linearLayout(srcTy, op), *dst = linearLayout(dstTy, op);
  if (!src || !dst)
    return false;
  int64_t axis = op.attrs().getInt("axis", 0);
  if (axis < 0 || axis >= static_cast<int64_t>(dstTy->rank()))
    return error(op, "expand_dims axis out of range");
  auto toSrc = [axis](const LinearLayout::Coord &c) {
    LinearLayout::Coord out = c;
    out.erase(out.begin() + axis);
    return out;
  };
  auto mapping = LinearLayout::registerMapping(*src, *dst, toSrc);
  if (!mapping)
    return error(op, "expand_dims from " + srcTy->str() + " to " + dstTy->str() +
                         " moves elements between threads (the source should be a slice of "
                         "the result's layout)");
  bind(op.result(), gather(regs(op.operand(0)), *mapping));
  return true;
}

bool KernelLowering::lowerConvertLayout(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *dstTy = op.result()->type();
  const LinearLayout *src = linearLayout(srcTy, op), *dst = linearLayout(dstTy, op);
  if (!src || !dst)
    return false;
  const Regs &in = regs(op.operand(0));
  if (auto mapping = LinearLayout::registerMapping(
          *src, *dst, [](const LinearLayout::Coord &c) { return c; })) {
    bind(op.result(), gather(in, *mapping));
    return true;
  }

  // An operand whose only reader is an mma.sync dot in this block is staged in shared memory
  // and read fragment by fragment while the dot is lowered (few registers live at a time).
  // (The allocation decided which: isStagedDotOperand; it holds the operand's buffer.)
  const Value *res = op.result();
  if (alloc_->valueBuffer(*res)) {
    llvm::Value *base = sharedRegion(op, srcTy->numElements() * 2);
    if (!base)
      return false;
    unsigned pairStride = 0;
    stagedOperands_[res] = stageForLdmatrix(op, srcTy, *src, *dst, in, base, pairStride);
    stagedPairStride_[res] = pairStride;
    return true;
  }
  Regs out = canUseLdmatrix(dstTy, *dst) ? ldmatrixOperand(op, srcTy, *src, *dst, in)
                                         : throughShared(op, srcTy, *src, *dst, in);
  if (out.empty())
    return false;
  bind(op.result(), std::move(out));
  return true;
}

Regs KernelLowering::throughShared(const Operation &op, const Type *srcTy,
                                   const LinearLayout &srcLL, const LinearLayout &dstLL,
                                   const Regs &in) {
  const LinearLayout *src = &srcLL, *dst = &dstLL;
  // Through shared memory as the allocation planned the tile (relayoutPlan: rows padded, or
  // swizzled in vectors; the allocation sized the buffer the same way).
  llvm::Type *memTy = memoryType(srcTy);
  llvm::Type *regTy = registerType(srcTy);
  const unsigned elemBytes =
      static_cast<unsigned>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());
  llvm::Value *base = sharedScratch(op, relayoutTileBytes(srcTy, srcLL, dstLL));
  if (!base)
    return {};
  const std::vector<int64_t> &shape = srcTy->shape();
  const unsigned rank = srcTy->rank();
  const RelayoutPlan plan = relayoutPlan(srcTy, srcLL, dstLL);
  // Vector width of a side: consecutive registers along the last dim, within one swizzle unit,
  // the thread part of the coordinate a multiple of it.
  auto vectorOf = [&](const LinearLayout &ll) {
    if (plan.unit <= 1 || rank < 2)
      return 1u;
    unsigned v =
        std::min<unsigned>(ll.contiguousRegisters(rank - 1), static_cast<unsigned>(plan.unit));
    while (v > 1 && (ll.threadBitsMask(rank - 1) & (v - 1)) != 0)
      v /= 2;
    return std::max(1u, v);
  };
  auto offset = [&](const LinearLayout &ll, unsigned reg) {
    llvm::Value *row = nullptr;
    for (unsigned d = 0; d + 1 < rank; ++d) {
      llvm::Value *c = coordinate(ll, reg, d);
      row = row ? b_.CreateAdd(b_.CreateMul(row, b_.getInt32(static_cast<uint32_t>(shape[d])), "",
                                            true, true),
                               c, "", true, true)
                : c;
    }
    llvm::Value *col = rank ? coordinate(ll, reg, rank - 1) : b_.getInt32(0);
    if (plan.unit > 1 && row) {
      const uint32_t unitBits = static_cast<uint32_t>(log2Ceil(plan.unit));
      const uint32_t units = static_cast<uint32_t>(shape.back() / plan.unit);
      llvm::Value *phase = b_.CreateAnd(
          b_.CreateLShr(row, static_cast<uint64_t>(log2Ceil(plan.phaseRows))), units - 1);
      col = b_.CreateXor(col, b_.CreateShl(phase, unitBits));
    }
    llvm::Value *off = col;
    if (row)
      off = b_.CreateAdd(
          b_.CreateMul(row, b_.getInt32(static_cast<uint32_t>(plan.pitch)), "", true, true), col,
          "", true, true);
    return b_.CreateGEP(memTy, base, off);
  };
  auto toMemory = [&](llvm::Value *v) { return regTy == memTy ? v : b_.CreateZExt(v, memTy); };
  auto fromMemory = [&](llvm::Value *v) {
    return regTy == memTy ? v : b_.CreateICmpNE(v, llvm::ConstantInt::get(memTy, 0));
  };

  target_.barrier(b_); // earlier readers of the buffer are done
  const unsigned vs = vectorOf(*src), vd = vectorOf(*dst);
  for (unsigned r = 0; r < src->numRegisters(); r += vs) {
    // Address first, in a statement of its own: as two arguments of one call, C++ leaves the
    // order in which the value and the address are emitted unspecified, and the output would
    // depend on the host compiler.
    llvm::Value *address = offset(*src, r);
    if (vs == 1) {
      b_.CreateAlignedStore(toMemory(in[r]), address, llvm::Align(elemBytes));
      continue;
    }
    auto *vecTy = llvm::FixedVectorType::get(memTy, vs);
    llvm::Value *v = llvm::PoisonValue::get(vecTy);
    for (unsigned k = 0; k < vs; ++k)
      v = b_.CreateInsertElement(v, toMemory(in[r + k]), k);
    b_.CreateAlignedStore(v, address, llvm::Align(elemBytes * vs));
  }
  target_.barrier(b_);
  Regs out;
  for (unsigned r = 0; r < dst->numRegisters(); r += vd) {
    if (vd == 1) {
      out.push_back(
          fromMemory(b_.CreateAlignedLoad(memTy, offset(*dst, r), llvm::Align(elemBytes))));
      continue;
    }
    auto *vecTy = llvm::FixedVectorType::get(memTy, vd);
    llvm::Value *v = b_.CreateAlignedLoad(vecTy, offset(*dst, r), llvm::Align(elemBytes * vd));
    for (unsigned k = 0; k < vd; ++k)
      out.push_back(fromMemory(b_.CreateExtractElement(v, k)));
  }
  return out;
}

Regs KernelLowering::relayout(const Operation &op, const Type *type, const LinearLayout &src,
                              const LinearLayout &dst, const Regs &in) {
  if (auto mapping =
          LinearLayout::registerMapping(src, dst, [](const LinearLayout::Coord &c) { return c; }))
    return gather(in, *mapping);
  return throughShared(op, type, src, dst, in);
}

const LinearLayout &KernelLowering::derivedLayout(LinearLayout ll) {
  for (const LinearLayout &d : derivedLayouts_)
    if (d == ll)
      return d;
  return derivedLayouts_.emplace_back(std::move(ll));
}

llvm::Value *KernelLowering::sharedScratch(const Operation &op, int64_t bytes) {
  sharedStoresUnsynced_ = sharedReadsSinceBarrier_ = true; // the caller syncs for itself
  return sharedRegion(op, bytes);
}

void KernelLowering::sharedBarrier() {
  target_.barrier(b_);
  sharedStoresUnsynced_ = sharedReadsSinceBarrier_ = false;
}

llvm::Value *KernelLowering::sharedRegion(const Operation &op, int64_t bytes) {
  const SharedBuffer *buffer = op.numResults() ? alloc_->valueBuffer(*op.result()) : nullptr;
  if (!buffer)
    buffer = alloc_->scratch(op);
  if (!buffer) {
    // An op the allocation's request table does not size yet (the shape ops and gather, whose
    // need depends on their lowering's layout maths): placed now, clear of the buffers live
    // while it runs.
    const int64_t offset = alloc_->placeUnplanned(op, bytes);
    const int64_t limit = target_.info().sharedMemoryBytes;
    if (offset + bytes > limit) {
      error(op, "kernel '" + fn_.name() + "': '" + std::string(op.mnemonic()) + "' of " +
                    op.operand(0)->type()->str() + " needs " + std::to_string(offset + bytes) +
                    " bytes of shared memory, more than the " + std::to_string(limit) + " bytes " +
                    target_.archName() + " allows; use smaller block sizes");
      return nullptr;
    }
    unplannedEnd_ = std::max(unplannedEnd_, offset + (bytes + 15) / 16 * 16);
    llvm::Value *base = sharedMemoryBase();
    if (!offset)
      return base;
    return b_.CreateConstInBoundsGEP1_32(b_.getInt8Ty(), base, static_cast<unsigned>(offset));
  }
  if (buffer->bytes() < bytes) {
    error(op, "internal error: '" + std::string(op.mnemonic()) + "' needs " +
                  std::to_string(bytes) + " bytes of shared memory, but the allocation reserved " +
                  std::to_string(buffer ? buffer->bytes() : 0));
    return nullptr;
  }
  llvm::Value *base = sharedMemoryBase();
  if (!buffer->offset)
    return base;
  return b_.CreateConstInBoundsGEP1_32(b_.getInt8Ty(), base, static_cast<unsigned>(buffer->offset));
}

} // namespace tritonc
