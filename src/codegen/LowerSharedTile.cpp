// Shared-memory tiles (blocks in a #shared layout): local_alloc, async_copy, async_wait,
// local_load. software-pipeline makes them for the operands of a loop's dots.
//
// A tile's value in codegen is its address (one register). The shared-memory allocation
// (passes/Allocation) places each local_alloc tile, live from its local_alloc until the
// `async_wait {pending = 0}` that drains its block's copies (so the epilogue reuses its bytes,
// and the tiles of the two sides of an `if` share theirs); a tile holds its 2-D block row-major
// with the layout's order[0] contiguous, in the swizzle of Types.h (the one the ldmatrix staging
// of LowerDotOperand.cpp uses).
//
// async_copy: each thread's runs of contiguous registers (the load's `vec`, or `vec_unmasked`
// where the mask varies inside a run) become one `cp.async` of 4, 8 or 16 bytes (16: `.cg`,
// around L1) whose source size is 0 where the mask is off, so cp.async zero-fills; a run whose
// mask is mixed takes a branch to element-wise loads and shared stores. Each async_copy ends
// with `cp.async.commit_group`, even when it copied synchronously, so that group counts stay
// what software-pipeline planned. Targets without cp.async (before sm_80, AMD) copy through
// registers.
//
// Ordering contract (software-pipeline keeps it; codegen does not check it): a tile that
// async_copy writes is read (local_load) only after an async_wait that leaves fewer copies
// pending than were issued since, and it is rewritten only after an async_wait that follows
// every read of its old contents. async_wait is `cp.async.wait_group N` and a CTA barrier.
//
// Cross-iteration prefetch: when a `for` loop directly follows an async_wait and its body ends
// with one (software-pipeline's form for mma.sync tiles), every tile the loop carries is ready at
// the top of each iteration. The first K step of the fragments of the body's first mma.sync dot
// whose operands are local_loads of carried tiles (ldmatrix, loaded lazily) is then loaded
// before the loop and, for the tile the body yields, after the body's final wait, and carried
// in phis: the iteration's first mma does not wait for ldmatrix after the barrier. Later dots
// (attention's second) have the work before them to hide their first loads.
#include "codegen/Lowering.h"

#include "ir/MemoryAttrs.h"
#include "layout/MmaLayout.h"

#include <llvm/IR/IntrinsicsNVPTX.h>

#include <set>

namespace tritonc {

namespace {
bool hasCpAsync(const TargetInfo &t) { return t.isCuda() && t.computeCapability >= 80; }
} // namespace

llvm::Value *KernelLowering::tileAddress(llvm::Value *base, const Type *tileTy, unsigned cDim,
                                         const LinearLayout &ll, unsigned reg) {
  const unsigned rDim = 1 - cDim;
  const LinearLayout::Coord c = ll.registerCoord(reg);
  if ((c[rDim] & ll.threadBitsMask(rDim)) || (c[cDim] & ll.threadBitsMask(cDim)))
    return swizzledAddress(base, tileTy, cDim, coordinate(ll, reg, rDim),
                           coordinate(ll, reg, cDim));
  // The register's offsets are disjoint from the thread's: added, so that the copies of one
  // thread share address registers (see swizzledAddress).
  return swizzledAddress(base, tileTy, cDim, threadCoordinate(ll, rDim), c[rDim],
                         threadCoordinate(ll, cDim), c[cDim]);
}

bool KernelLowering::lowerLocalAlloc(const Operation &op) {
  const Type *t = op.result()->type();
  if (!t->isBlock() || t->rank() != 2)
    return error(op, "shared tiles of rank 2 only, got " + t->str());
  const SharedBuffer *buffer = alloc_->valueBuffer(*op.result());
  if (!buffer || buffer->offset < 0)
    return error(op, "internal error: shared tile not placed");
  bind(op.result(), {b_.CreateConstInBoundsGEP1_32(b_.getInt8Ty(), sharedMemoryBase(),
                                                   static_cast<unsigned>(buffer->offset))});
  return true;
}

bool KernelLowering::lowerAsyncWait(const Operation &op) {
  if (hasCpAsync(target_.info()))
    b_.CreateIntrinsic(llvm::Intrinsic::nvvm_cp_async_wait_group, {},
                       {b_.getInt32(static_cast<uint32_t>(op.attrs().getInt("pending", 0)))});
  // wgmma reads the tiles through the async proxy: order this thread's (generic-proxy)
  // cp.async writes before it, then the barrier orders every thread's. (Only NVIDIA has
  // wgmma; the unit tests' host simulator lowers the same tiles without the fence.)
  if (wgmmaTiles_ && target_.info().hasWgmma())
    b_.CreateIntrinsic(llvm::Intrinsic::nvvm_fence_proxy_async_shared_cta,
                       llvm::ArrayRef<llvm::Type *>{}, llvm::ArrayRef<llvm::Value *>{});
  sharedBarrier(); // every thread's copies (and earlier reads) are done
  return true;
}

bool KernelLowering::lowerAsyncCopy(const Operation &op) {
  const Type *tileTy = op.result()->type(), *ptrTy = op.operand(1)->type();
  if (tileTy->rank() != 2)
    return error(op, "shared tiles of rank 2 only, got " + tileTy->str());
  const LinearLayout *ll = linearLayout(ptrTy, op);
  if (!ll)
    return false;
  llvm::Value *base = scalar(op.operand(0));
  const Regs &ptrs = regs(op.operand(1));
  const Regs *mask = op.numOperands() > 2 ? &regs(op.operand(2)) : nullptr;
  const unsigned cDim = tileTy->layout()->order()[0];
  llvm::Type *elemTy = memoryType(tileTy);
  const unsigned elemBytes = std::max(1u, tileTy->element()->bitWidth() / 8);

  // Runs of contiguous registers along the tile's rows, inside one 16-byte chunk.
  const Type *valueTy = tileTy->withLayout(ptrTy->layout());
  unsigned uniform = accessWidth(vectorWidth(op), valueTy, *ll);
  unsigned width =
      mask ? std::max(uniform, accessWidth(unmaskedVectorWidth(op), valueTy, *ll)) : uniform;
  if (ll->regBases().empty() || ll->regBases()[0][cDim] != 1)
    width = uniform = 1;
  while (width > 1 && width * elemBytes > 16)
    width /= 2;
  uniform = std::min(uniform, width);
  const unsigned bytes = width * elemBytes;
  const bool async = hasCpAsync(target_.info()) && (bytes == 4 || bytes == 8 || bytes == 16);
  const llvm::Intrinsic::ID cp = bytes == 16  ? llvm::Intrinsic::nvvm_cp_async_cg_shared_global_16_s
                                 : bytes == 8 ? llvm::Intrinsic::nvvm_cp_async_ca_shared_global_8_s
                                              : llvm::Intrinsic::nvvm_cp_async_ca_shared_global_4_s;
  auto copy = [&](llvm::Value *dst, llvm::Value *src, llvm::Value *srcBytes) {
    b_.CreateIntrinsic(cp, {}, {dst, src, srcBytes});
  };
  // Element by element through registers: zero where the mask is off.
  auto throughRegisters = [&](llvm::Value *dst, unsigned first) {
    for (unsigned e = 0; e < width; ++e) {
      VectorAccess a;
      a.ptr = ptrs[first + e];
      a.elemType = elemTy;
      a.alignBytes = elemBytes;
      a.pred = mask ? (*mask)[first + e] : nullptr;
      a.zeroFill = true;
      llvm::Value *v = target_.emitLoad(b_, a)[0];
      b_.CreateAlignedStore(v, b_.CreateConstInBoundsGEP1_32(elemTy, dst, e),
                            llvm::Align(elemBytes));
    }
  };
  for (unsigned r = 0; r < ll->numRegisters(); r += width) {
    llvm::Value *dst = tileAddress(base, tileTy, cDim, *ll, r);
    if (!async) {
      throughRegisters(dst, r);
      continue;
    }
    if (!mask) {
      copy(dst, ptrs[r], b_.getInt32(bytes));
      continue;
    }
    if (uniform == width) { // one mask element speaks for the run
      copy(dst, ptrs[r], b_.CreateSelect((*mask)[r], b_.getInt32(bytes), b_.getInt32(0)));
      continue;
    }
    // The mask varies inside runs: whole runs (all on or all off) are one copy; a mixed run
    // (only at the mask's edge) goes element by element.
    llvm::Value *all = allOf(*mask, r, width), *any = (*mask)[r];
    for (unsigned e = 1; e < width; ++e)
      any = b_.CreateOr(any, (*mask)[r + e]);
    llvm::Value *whole = b_.CreateOr(all, b_.CreateNot(any));
    llvm::Function *fn = b_.GetInsertBlock()->getParent();
    auto *wholeBB = llvm::BasicBlock::Create(ctx_, "copy.whole", fn);
    auto *mixedBB = llvm::BasicBlock::Create(ctx_, "copy.mixed", fn);
    auto *joinBB = llvm::BasicBlock::Create(ctx_, "copy.join", fn);
    b_.CreateCondBr(whole, wholeBB, mixedBB);
    b_.SetInsertPoint(wholeBB);
    copy(dst, ptrs[r], b_.CreateSelect(all, b_.getInt32(bytes), b_.getInt32(0)));
    b_.CreateBr(joinBB);
    b_.SetInsertPoint(mixedBB);
    throughRegisters(dst, r);
    b_.CreateBr(joinBB);
    b_.SetInsertPoint(joinBB);
  }
  if (hasCpAsync(target_.info()))
    b_.CreateIntrinsic(llvm::Intrinsic::nvvm_cp_async_commit_group, llvm::ArrayRef<llvm::Type *>{},
                       llvm::ArrayRef<llvm::Value *>{});
  bind(op.result(), {base});
  return true;
}

bool KernelLowering::lowerLocalLoad(const Operation &op) {
  const Type *tileTy = op.operand(0)->type(), *dstTy = op.result()->type();
  if (tileTy->rank() != 2)
    return error(op, "shared tiles of rank 2 only, got " + tileTy->str());
  const LinearLayout *dst = linearLayout(dstTy, op);
  if (!dst)
    return false;
  llvm::Value *base = scalar(op.operand(0));
  const unsigned cDim = tileTy->layout()->order()[0];
  // Read in place by wgmma dots (LowerWgmma.cpp): nothing to load.
  const Value *res = op.result();
  bool inPlace = res->hasUses();
  for (const Operation *u : res->users())
    inPlace &= u->code() == OpCode::Dot && u->operand(2) != res && wgmmaReadsInPlace(*u);
  if (inPlace)
    return true;
  if (canUseLdmatrix(dstTy, *dst)) {
    unsigned pairStride = 0;
    std::function<Regs(unsigned)> load =
        ldmatrixLoader(dstTy, tileTy, *dst, base, cDim, pairStride);
    // Read by mma.sync dots of this block only: fragments are loaded as each dot needs them.
    bool lazy = res->hasUses();
    for (const Operation *u : res->users())
      lazy &= u->code() == OpCode::Dot && u->parent() == op.parent() && u->operand(2) != res;
    if (lazy) {
      if (auto it = prefetched_.find(res); it != prefetched_.end()) {
        // Groups loaded in the previous iteration come from there.
        load = [early = it->second, rest = std::move(load)](unsigned r0) {
          auto g = early.find(r0);
          return g != early.end() ? g->second : rest(r0);
        };
      }
      stagedOperands_[res] = load;
      stagedPairStride_[res] = pairStride;
      return true;
    }
    bind(op.result(),
         loadFragments(load, dst->numRegisters(), dstTy->layout()->opIdx(), pairStride));
    return true;
  }
  if (sharedStoresUnsynced_)
    sharedBarrier();
  sharedReadsSinceBarrier_ = true;
  llvm::Type *memTy = memoryType(tileTy), *regTy = registerType(tileTy);
  const unsigned elemBytes = std::max(1u, tileTy->element()->bitWidth() / 8);
  Regs out;
  for (unsigned r = 0; r < dst->numRegisters(); ++r) {
    llvm::Value *ptr = tileAddress(base, tileTy, cDim, *dst, r);
    llvm::Value *v = b_.CreateAlignedLoad(memTy, ptr, llvm::Align(elemBytes));
    out.push_back(regTy == memTy ? v : b_.CreateICmpNE(v, llvm::ConstantInt::get(memTy, 0)));
  }
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::waitsAtBackEdge(const Operation &forOp) const {
  const Block &body = *forOp.region(0);
  const Operation *last = nullptr;
  for (const auto &op : body.ops())
    if (!op->isTerminator())
      last = op.get();
  if (!last || last->code() != OpCode::AsyncWait)
    return false;
  const Operation *before = nullptr;
  for (const auto &op : forOp.parent()->ops()) {
    if (op.get() == &forOp)
      break;
    before = op.get();
  }
  return before && before->code() == OpCode::AsyncWait;
}

std::vector<KernelLowering::TilePrefetch> KernelLowering::planTilePrefetch(const Operation &forOp) {
  std::vector<TilePrefetch> out;
  if (!hasCpAsync(target_.info()) || !waitsAtBackEdge(forOp))
    return out;
  const Block &body = *forOp.region(0);
  // The body's first dot: the later ones have the work before them to hide their loads.
  const Operation *dot = nullptr;
  for (const auto &op : body.ops())
    if (op->code() == OpCode::Dot) {
      dot = op.get();
      break;
    }
  const Layout *ml = dot ? dot->result()->type()->layout() : nullptr;
  if (!ml || !ml->isMma() || ml->mmaVersion() != 2)
    return out;
  for (unsigned i = 0; i < 2; ++i) {
    const Value *v = dot->operand(i);
    const Operation *ld = v->definingOp();
    if (!ld || ld->code() != OpCode::LocalLoad || ld->parent() != &body || dot->operand(2) == v)
      continue;
    const Value *tile = ld->operand(0);
    if (tile->ownerBlock() != &body || tile->index() == 0 || tile->type()->rank() != 2)
      continue;
    bool lazy = true; // read by mma.sync dots of the body only (lowerLocalLoad's lazy loads)
    for (const Operation *u : v->users())
      lazy &= u->code() == OpCode::Dot && u->parent() == &body && u->operand(2) != v;
    const LinearLayout *dst = linearLayout(v->type(), *ld);
    if (!lazy || !dst || !canUseLdmatrix(v->type(), *dst))
      continue;
    TilePrefetch p;
    p.load = ld;
    p.arg = static_cast<unsigned>(tile->index() - 1);
    out.push_back(std::move(p));
  }
  return out;
}

Regs KernelLowering::prefetchFragments(TilePrefetch &p, llvm::Value *base) {
  const Type *tileTy = p.load->operand(0)->type(), *dstTy = p.load->result()->type();
  const LinearLayout &dst = *linearLayout(dstTy, *p.load);
  const unsigned cDim = tileTy->layout()->order()[0];
  unsigned pairStride = 0;
  std::function<Regs(unsigned)> load = ldmatrixLoader(dstTy, tileTy, dst, base, cDim, pairStride);
  if (p.groups.empty()) {
    const unsigned opIdx = dstTy->layout()->opIdx(), kDim = opIdx == 0 ? 1 : 0;
    const unsigned group = opIdx == 0 ? 8 : 4;
    const int64_t instrK = mmaInstrK(dstTy->layout()->kWidth());
    std::set<unsigned> firsts;
    for (unsigned r = 0; r < dst.numRegisters(); ++r)
      if (dst.registerCoord(r)[kDim] < instrK)
        firsts.insert((r / group * group) & ~pairStride);
    for (unsigned r0 : firsts) // a paired B load returns its pair's group too
      p.groups.push_back({r0, pairStride ? 2 * group : group});
  }
  Regs out;
  for (auto [r0, count] : p.groups) {
    Regs r = load(r0);
    if (r.size() != count)
      return {};
    out.insert(out.end(), r.begin(), r.end());
  }
  return out;
}

} // namespace tritonc
