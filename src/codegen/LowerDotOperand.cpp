// convert_layout into an mma.sync operand layout (#dot_op, k_width 2: f16 / bf16) through
// XOR-swizzled shared memory, read back with ldmatrix.
//
// The block is stored row-major with its contiguous dim (the source layout's fastest) as the
// row: R rows of C elements. Rows are cut into 16-byte chunks (8 16-bit elements); chunk c of
// row r lives at chunk position c ^ ((r / perPhase) % maxPhase), where perPhase = max(1, 8 /
// chunks per row) rows share one 128-byte line and maxPhase = min(chunks per row, 8) — the
// #shared layout's swizzle, so shared tiles that async_copy filled are read the same way. The 8 row
// addresses of one 8x8 ldmatrix matrix then fall in 8 different 16-byte bank groups: no bank
// conflicts. Each thread stores its registers in runs of up to 8 contiguous elements.
//
// Reading: one 16x16 tile of A (8 registers: k, m+8, k+8) is one ldmatrix.x4, matrices
// (m, k), (m+8, k), (m, k+8), (m+8, k+8); one 16x8 tile of B (4 registers: k, k+8) one
// ldmatrix.x2, matrices (k, n), (k+8, n). Lane l gives the address of row l % 8 of matrix
// l / 8. When the stored rows run along K (A with K contiguous, B with K contiguous) the plain
// form gives each thread its fragment; when they run along M or N, `.trans` does.
#include "codegen/Lowering.h"
#include "layout/MmaLayout.h"
#include "layout/WgmmaLayout.h"
#include "support/Bits.h"

#include <llvm/IR/IntrinsicsNVPTX.h>

namespace tritonc {

bool KernelLowering::canUseLdmatrix(const Type *type, const LinearLayout &dst) const {
  return ldmatrixCanLoad(type, dst, target_.info());
}

Regs KernelLowering::ldmatrixOperand(const Operation &op, const Type *type, const LinearLayout &src,
                                     const LinearLayout &dst, const Regs &in) {
  llvm::Value *base = sharedRegion(op, type->numElements() * 2);
  if (!base)
    return {};
  unsigned pairStride = 0;
  std::function<Regs(unsigned)> load = stageForLdmatrix(op, type, src, dst, in, base, pairStride);
  return loadFragments(load, dst.numRegisters(), op.result()->type()->layout()->opIdx(),
                       pairStride);
}

Regs KernelLowering::loadFragments(const std::function<Regs(unsigned)> &load, unsigned numRegs,
                                   unsigned opIdx, unsigned pairStride) {
  const unsigned group = opIdx == 0 ? 8 : 4;
  Regs out(numRegs);
  for (unsigned r0 = 0; r0 < numRegs; r0 += group) {
    if (r0 & pairStride)
      continue; // loaded with its pair
    Regs g = load(r0);
    std::copy(g.begin(), g.begin() + group, out.begin() + r0);
    if (g.size() > group)
      std::copy(g.begin() + group, g.end(), out.begin() + r0 + pairStride);
  }
  return out;
}

llvm::Value *KernelLowering::swizzledAddress(llvm::Value *base, const Type *type, unsigned cDim,
                                             llvm::Value *row, llvm::Value *col) {
  llvm::Type *elemTy = registerType(type);
  const int64_t elemBytes = std::max(1u, type->scalarType()->bitWidth() / 8);
  const int64_t C = type->shape()[cDim];
  const int64_t perChunk = std::max<int64_t>(1, 16 / elemBytes);
  if (const Layout *l = type->layout(); l && l->isShared() && l->sharedWgmma()) {
    // The wgmma form (layout/WgmmaLayout.h): column blocks of S bytes, each R rows of S bytes
    // swizzled with the S-byte mode.
    const int64_t S = wgmmaSwizzleBytes(C, static_cast<unsigned>(elemBytes));
    const int64_t R = type->shape()[1 - cDim], perBlock = S / elemBytes;
    llvm::Value *block = b_.CreateLShr(col, log2Ceil(perBlock));
    llvm::Value *inBlock = b_.CreateAnd(col, static_cast<uint64_t>(perBlock - 1));
    llvm::Value *phase =
        b_.CreateAnd(b_.CreateLShr(row, log2Ceil(128 / S)), static_cast<uint64_t>(S / 16 - 1));
    const unsigned chunkBits = log2Ceil(perChunk);
    llvm::Value *chunk = b_.CreateXor(b_.CreateLShr(inBlock, chunkBits), phase);
    llvm::Value *off =
        b_.CreateMul(block, b_.getInt32(static_cast<uint32_t>(R * perBlock)), "", true, true);
    off = b_.CreateAdd(
        off, b_.CreateMul(row, b_.getInt32(static_cast<uint32_t>(perBlock)), "", true, true));
    off = b_.CreateAdd(off, b_.CreateShl(chunk, chunkBits), "", true, true);
    off = b_.CreateAdd(off, b_.CreateAnd(inBlock, static_cast<uint64_t>(perChunk - 1)), "", true,
                       true);
    return b_.CreateGEP(elemTy, base, off);
  }
  const int64_t chunks = std::max<int64_t>(1, C / perChunk);
  const int64_t perPhase = std::max<int64_t>(1, 8 / chunks);
  const int64_t maxPhase = std::min<int64_t>(chunks, 8);
  llvm::Value *phase = row;
  if (perPhase > 1)
    phase = b_.CreateLShr(phase, log2Ceil(perPhase));
  phase = b_.CreateAnd(phase, static_cast<uint64_t>(maxPhase - 1));
  const unsigned chunkBits = log2Ceil(perChunk);
  llvm::Value *chunk = b_.CreateXor(b_.CreateLShr(col, chunkBits), phase);
  llvm::Value *off = b_.CreateMul(row, b_.getInt32(static_cast<uint32_t>(C)), "", true, true);
  off = b_.CreateAdd(off, b_.CreateShl(chunk, chunkBits), "", true, true);
  off = b_.CreateAdd(off, b_.CreateAnd(col, static_cast<uint64_t>(perChunk - 1)), "", true, true);
  return b_.CreateGEP(elemTy, base, off);
}

llvm::Value *KernelLowering::swizzledAddress(llvm::Value *base, const Type *type, unsigned cDim,
                                             llvm::Value *row, int64_t rowConst, llvm::Value *col,
                                             int64_t colConst) {
  const int64_t elemBytes = std::max(1u, type->scalarType()->bitWidth() / 8);
  const int64_t C = type->shape()[cDim];
  if (const Layout *l = type->layout(); l && l->isShared() && l->sharedWgmma()) {
    // The wgmma form: the swizzle repeats every 8 rows (128/S rows per phase, S/16 phases),
    // a row is S bytes (not C elements) and whole column blocks are R rows of S bytes apart.
    const int64_t S = wgmmaSwizzleBytes(C, static_cast<unsigned>(elemBytes));
    const int64_t R = type->shape()[1 - cDim], perBlock = S / elemBytes;
    const int64_t rowLow = rowConst % 8, rowHigh = rowConst - rowLow;
    const int64_t colLow = colConst % perBlock, colHigh = colConst - colLow;
    if (rowLow)
      row = b_.CreateAdd(row, b_.getInt32(static_cast<uint32_t>(rowLow)));
    if (colLow)
      col = b_.CreateAdd(col, b_.getInt32(static_cast<uint32_t>(colLow)));
    llvm::Value *ptr = swizzledAddress(base, type, cDim, row, col);
    const int64_t rest = rowHigh * perBlock + colHigh / perBlock * R * perBlock;
    if (!rest)
      return ptr;
    return b_.CreateGEP(registerType(type), ptr, b_.getInt32(static_cast<uint32_t>(rest)));
  }
  const int64_t perChunk = std::max<int64_t>(1, 16 / elemBytes);
  const int64_t chunks = std::max<int64_t>(1, C / perChunk);
  const int64_t perPhase = std::max<int64_t>(1, 8 / chunks);
  const int64_t maxPhase = std::min<int64_t>(chunks, 8);
  // Rows a whole number of swizzle periods apart have the same phase; chunk indices that differ
  // by a multiple of maxPhase (a power of two above every phase) XOR alike.
  const int64_t rowLow = rowConst % (perPhase * maxPhase), rowHigh = rowConst - rowLow;
  const int64_t chunk = colConst / perChunk, chunkLow = chunk % maxPhase;
  const int64_t colLow = chunkLow * perChunk + colConst % perChunk;
  if (rowLow)
    row = b_.CreateAdd(row, b_.getInt32(static_cast<uint32_t>(rowLow)));
  if (colLow)
    col = b_.CreateAdd(col, b_.getInt32(static_cast<uint32_t>(colLow)));
  llvm::Value *ptr = swizzledAddress(base, type, cDim, row, col);
  const int64_t rest = rowHigh * C + (chunk - chunkLow) * perChunk;
  if (!rest)
    return ptr;
  return b_.CreateGEP(registerType(type), ptr, b_.getInt32(static_cast<uint32_t>(rest)));
}

std::function<Regs(unsigned)>
KernelLowering::stageForLdmatrix(const Operation &op, const Type *type, const LinearLayout &src,
                                 const LinearLayout &dst, const Regs &in, llvm::Value *base,
                                 unsigned &pairStride) {
  // The source's contiguous dim: the one a register or lane basis steps by one element.
  unsigned cDim = 1;
  const Layout *sl = op.operand(0)->type()->layout();
  if (sl && sl->isBlocked()) {
    cDim = sl->order()[0];
  } else {
    for (const auto *bases : {&src.regBases(), &src.laneBases()})
      for (const LinearLayout::Coord &c : *bases)
        if (c[0] == 1 || c[1] == 1) {
          cDim = c[0] == 1 ? 0 : 1;
          goto found;
        }
  found:;
  }
  const unsigned rDim = 1 - cDim;
  llvm::Type *elemTy = registerType(type);

  // Store: runs of n registers holding n consecutive elements of one chunk.
  unsigned n = std::min(src.contiguousRegisters(cDim), 8u);
  while (n > 1 && (src.threadBitsMask(cDim) & (n - 1)))
    n /= 2;
  if (sharedReadsSinceBarrier_)
    sharedBarrier(); // earlier readers of shared memory are done
  for (unsigned r = 0; r < src.numRegisters(); r += n) {
    llvm::Value *ptr =
        swizzledAddress(base, type, cDim, coordinate(src, r, rDim), coordinate(src, r, cDim));
    if (n == 1) {
      b_.CreateAlignedStore(in[r], ptr, llvm::Align(2));
      continue;
    }
    llvm::Value *vec = llvm::PoisonValue::get(llvm::FixedVectorType::get(elemTy, n));
    for (unsigned e = 0; e < n; ++e)
      vec = b_.CreateInsertElement(vec, in[r + e], e);
    b_.CreateAlignedStore(vec, ptr, llvm::Align(2 * n));
  }
  sharedStoresUnsynced_ = true; // the first ldmatrix waits for every thread's stores
  return ldmatrixLoader(op.result()->type(), type, dst, base, cDim, pairStride);
}

std::function<Regs(unsigned)> KernelLowering::ldmatrixLoader(const Type *dstTy, const Type *type,
                                                             const LinearLayout &dst,
                                                             llvm::Value *base, unsigned cDim,
                                                             unsigned &pairStride) {
  const Layout *dl = dstTy->layout();
  const bool isA = dl->opIdx() == 0;
  const unsigned kDim = isA ? 1 : 0;
  const bool trans = cDim != kDim;
  const std::vector<int64_t> &shape = type->shape();
  llvm::Type *elemTy = registerType(type);

  // Load: the warp's part of the coordinates (lanes are ldmatrix's business).
  std::vector<LinearLayout::Coord> noLanes(dst.laneBases().size(), LinearLayout::Coord(2, 0));
  const LinearLayout &warpOnly =
      derivedLayout(LinearLayout(shape, dst.regBases(), std::move(noLanes), dst.warpBases()));
  llvm::Value *lane = laneId_;
  llvm::Value *i = b_.CreateAnd(lane, 7);
  llvm::Value *j = b_.CreateAnd(b_.CreateLShr(lane, 3), isA ? 3 : 1);
  const unsigned oDim = 1 - kDim;
  // B: two 16x8 tiles at once (ldmatrix.x4) when the register after the K repetitions steps
  // along N: registers r0.. and r0 + pairStride.. then come from one instruction.
  pairStride = 0;
  int64_t pairOff = 0;
  if (!isA) {
    const auto &reg = dst.regBases();
    size_t b = 2;
    while (b < reg.size() && reg[b][kDim] && !reg[b][oDim])
      ++b;
    if (b < reg.size() && reg[b][oDim] && !reg[b][kDim]) {
      pairStride = 1u << b;
      pairOff = reg[b][oDim];
      j = b_.CreateAnd(b_.CreateLShr(lane, 3), 3);
    }
  }
  const bool x4 = isA || pairStride;
  const unsigned numMatrices = x4 ? 4 : 2;
  const llvm::Intrinsic::ID id =
      x4 ? (trans ? llvm::Intrinsic::nvvm_ldmatrix_sync_aligned_m8n8_x4_trans_b16
                  : llvm::Intrinsic::nvvm_ldmatrix_sync_aligned_m8n8_x4_b16)
         : (trans ? llvm::Intrinsic::nvvm_ldmatrix_sync_aligned_m8n8_x2_trans_b16
                  : llvm::Intrinsic::nvvm_ldmatrix_sync_aligned_m8n8_x2_b16);
  // Matrix j's offset along the other dim (A: bit 0 of j, 8 rows; paired B: bit 1, the next
  // tile) and along K (A: bit 1; B: bit 0).
  llvm::Value *oOff =
      isA          ? b_.CreateShl(b_.CreateAnd(j, 1), 3)
      : pairStride ? b_.CreateMul(b_.CreateLShr(j, 1), b_.getInt32(static_cast<uint32_t>(pairOff)))
                   : b_.getInt32(0);
  llvm::Value *kOff =
      isA ? b_.CreateShl(b_.CreateLShr(j, 1), 3) : b_.CreateShl(b_.CreateAnd(j, 1), 3);
  const LinearLayout *warpOnlyPtr = &warpOnly;
  return [this, base, type, cDim, warpOnlyPtr, i, id, trans, kDim, oDim, oOff, kOff, elemTy,
          numMatrices](unsigned r0) {
    if (sharedStoresUnsynced_)
      sharedBarrier();
    sharedReadsSinceBarrier_ = true;
    // The register's own offsets (constants) stay apart from the lane's and warp's where their
    // bits do not overlap, so that loads of one tile share a few address registers.
    const LinearLayout::Coord c = warpOnlyPtr->registerCoord(r0);
    const bool split = (c[oDim] & warpOnlyPtr->threadBitsMask(oDim)) == 0 &&
                       (c[kDim] & warpOnlyPtr->threadBitsMask(kDim)) == 0;
    llvm::Value *o = b_.CreateAdd(
        split ? threadCoordinate(*warpOnlyPtr, oDim) : coordinate(*warpOnlyPtr, r0, oDim), oOff);
    llvm::Value *k = b_.CreateAdd(
        split ? threadCoordinate(*warpOnlyPtr, kDim) : coordinate(*warpOnlyPtr, r0, kDim), kOff);
    const int64_t oConst = split ? c[oDim] : 0, kConst = split ? c[kDim] : 0;
    // Lane i gives row i of its matrix: along K when the stored rows run along K's other dim.
    llvm::Value *row = trans ? b_.CreateAdd(k, i) : b_.CreateAdd(o, i);
    llvm::Value *col = trans ? o : k;
    llvm::Value *ptr = swizzledAddress(base, type, cDim, row, trans ? kConst : oConst, col,
                                       trans ? oConst : kConst);
    llvm::Value *res = b_.CreateIntrinsic(id, {ptr->getType()}, {ptr});
    Regs out;
    for (unsigned m = 0; m < numMatrices; ++m) {
      llvm::Value *word = b_.CreateExtractValue(res, m);
      llvm::Value *pair = b_.CreateBitCast(word, llvm::FixedVectorType::get(elemTy, 2));
      out.push_back(b_.CreateExtractElement(pair, uint64_t{0}));
      out.push_back(b_.CreateExtractElement(pair, uint64_t{1}));
    }
    return out;
  };
}

} // namespace tritonc
