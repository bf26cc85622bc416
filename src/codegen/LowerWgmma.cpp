// dot on wgmma (sm_90a warpgroup MMA): a dot whose result has an mma version 3 layout (the
// accelerate-matmul pass picks it under --mma=wgmma) and whose operands are both local_loads
// of #shared<order, wgmma> tiles (the software pipeline's cp.async stages) reads them in
// place through matrix descriptors; otherwise the operands are loaded into registers
// (ldmatrix) and the dot runs on mma.sync, whose fragments the version 3 layouts share.
//
// Per dot: `wgmma.fence.sync.aligned` (the accumulator registers were written by other
// instructions), then for every K step of 16 (f16/bf16), every 16*W-row repetition of M and
// every instruction N: one `wgmma.mma_async.sync.aligned.m64nNk16.f32.T.T` on the warpgroup's
// 64 rows, its N/2 accumulator registers tied in and out (inline asm: LLVM 22's NVPTX has no
// wgmma intrinsic), then `wgmma.commit_group.sync.aligned` and `wgmma.wait_group.sync.aligned
// 0`, the wait tying every accumulator register so that nothing reads them before it. The
// descriptors (layout/WgmmaLayout.h) are the tile's shared address plus the instruction's
// unswizzled start offset; warpgroup g's A rows start 64 g rows further.
//
// Ordering: cp.async writes the tiles through the generic proxy and wgmma reads them through
// the async proxy, so async_wait adds `fence.proxy.async.shared::cta` between its
// cp.async.wait_group and its barrier in kernels with wgmma tiles (LowerSharedTile.cpp). The
// wait_group 0 at the end of each dot means no wgmma still reads a tile when the next
// iteration's async_wait barrier lets a copy overwrite it.
//
// One group in flight: a dot marked wgmma_pending by the software pipeline (its tiles have two
// recycled stages, so the copy of iteration iv overwrites the tile of iv - 2) whose accumulator
// is the loop's carried value, yielded to the next iteration and used nowhere else, waits with
// `wgmma.wait_group 1` instead: iteration iv's group runs on while iteration iv + 1 waits for
// its copies and issues its own wgmma on the same accumulator registers; the wait retires iv -
// 1's group, so every warpgroup has finished with the tile of iv - 1 before the barrier of
// iteration iv + 1, after which it is overwritten. After the loop `wgmma.wait_group 0` ties the
// carried accumulators (drainWgmma), before anything reads them or reuses the tiles' memory.
#include "codegen/Lowering.h"

#include "layout/WgmmaLayout.h"
#include "passes/SoftwarePipeline.h"

#include <llvm/IR/InlineAsm.h>

namespace tritonc {

namespace {

/// The tile and its dims as a wgmma descriptor sees them.
struct WgmmaOperand {
  llvm::Value *base = nullptr; ///< the tile's address (shared address space)
  const Type *tile = nullptr;
  unsigned cDim = 1; ///< the tile's contiguous dim
  int64_t rows = 0, cols = 0;
  unsigned elemBytes = 2;
  bool kMajor = true;
  /// Byte offset (unswizzled) of the instruction starting at tile coordinate (d0, d1).
  int64_t offset(int64_t d0, int64_t d1) const {
    const int64_t r = cDim == 1 ? d0 : d1, c = cDim == 1 ? d1 : d0;
    return wgmmaTileOffsetUnswizzled(rows, cols, elemBytes, r, c);
  }
};

/// Whether `dot` may leave its group in flight: marked by the pipeline, in a `for` body, its
/// accumulator the carried value that it yields (and nothing else reads).
bool leavesGroupInFlight(const Operation &dot) {
  if (dot.attrs().getInt(kWgmmaPendingAttr, 0) != 1)
    return false;
  const Block *body = dot.parent();
  const Operation *loop = body ? body->parentOp() : nullptr;
  const Operation *yield = body ? body->terminator() : nullptr;
  const Value *acc = dot.operand(2);
  if (!loop || loop->code() != OpCode::For || !yield || acc->ownerBlock() != body ||
      acc->index() == 0)
    return false;
  const unsigned k = acc->index() - 1;
  const std::vector<Operation *> &users = dot.result()->users();
  return k < yield->numOperands() && yield->operand(k) == dot.result() && users.size() == 1 &&
         users[0] == yield && acc->users().size() == 1;
}

/// `wgmma.wait_group N` with every register of `acc` tied through it.
Regs waitGroup(llvm::IRBuilder<> &b, llvm::LLVMContext &ctx, const Regs &acc, unsigned pending) {
  const unsigned total = static_cast<unsigned>(acc.size());
  std::string constraints;
  for (unsigned i = 0; i < total; ++i)
    constraints += std::string(i ? "," : "") + "=f";
  for (unsigned i = 0; i < total; ++i)
    constraints += "," + std::to_string(i);
  llvm::Type *f32 = b.getFloatTy();
  llvm::Type *waitTy = llvm::StructType::get(ctx, std::vector<llvm::Type *>(total, f32));
  llvm::InlineAsm *waitAsm = llvm::InlineAsm::get(
      llvm::FunctionType::get(waitTy, std::vector<llvm::Type *>(total, f32), false),
      "wgmma.wait_group.sync.aligned " + std::to_string(pending) + ";", constraints,
      /*hasSideEffects=*/true);
  llvm::Value *waited = b.CreateCall(waitAsm, acc);
  Regs out;
  for (unsigned i = 0; i < total; ++i)
    out.push_back(b.CreateExtractValue(waited, i));
  return out;
}

} // namespace

void KernelLowering::drainWgmma(const Operation &loop, std::vector<Regs> &carried) {
  const Operation *yield = loop.region(0)->terminator();
  Regs all;
  std::vector<unsigned> which;
  for (unsigned k = 0; k < carried.size(); ++k)
    if (wgmmaInFlight_.count(yield->operand(k))) {
      which.push_back(k);
      all.insert(all.end(), carried[k].begin(), carried[k].end());
    }
  if (which.empty())
    return;
  Regs out = waitGroup(b_, ctx_, all, 0);
  size_t at = 0;
  for (unsigned k : which)
    for (llvm::Value *&r : carried[k])
      r = out[at++];
}

bool KernelLowering::wgmmaReadsInPlace(const Operation &dot) const {
  const Layout *mma = dot.result()->type()->layout();
  if (!mma || !mma->isMma() || mma->mmaVersion() != 3 || !target_.info().hasWgmma())
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    const Operation *ld = dot.operand(i)->definingOp();
    if (!ld || ld->code() != OpCode::LocalLoad || ld->parent() != dot.parent())
      return false;
    const Type *tile = ld->operand(0)->type();
    const Layout *tl = tile->layout();
    if (!tl || !tl->isShared() || !tl->sharedWgmma() || tile->rank() != 2)
      return false;
    const unsigned eb = tile->scalarType()->bitWidth() / 8;
    if (eb != 2 || !wgmmaSwizzleBytes(tile->shape()[tl->order()[0]], eb))
      return false;
  }
  return true;
}

bool KernelLowering::lowerWgmmaDot(const Operation &op) {
  if (!wgmmaReadsInPlace(op))
    return lowerMmaDot(op); // operands in registers: mma.sync on the same fragments
  const Type *cTy = op.operand(2)->type();
  const Layout *mma = cTy->layout();
  const LinearLayout *cL = linearLayout(cTy, op);
  if (!cL)
    return false;
  const ScalarKind ka = op.operand(0)->type()->element()->scalarKind();
  if ((ka != ScalarKind::F16 && ka != ScalarKind::BF16) ||
      cTy->element()->scalarKind() != ScalarKind::F32)
    return error(op, "wgmma takes f16 or bf16 operands into an fp32 accumulator here, not " +
                         op.operand(0)->type()->str() + " into " + cTy->str());

  WgmmaOperand opnd[2];
  for (unsigned i = 0; i < 2; ++i) {
    const Operation *ld = op.operand(i)->definingOp();
    WgmmaOperand &o = opnd[i];
    o.base = scalar(ld->operand(0));
    o.tile = ld->operand(0)->type();
    o.cDim = o.tile->layout()->order()[0];
    o.rows = o.tile->shape()[1 - o.cDim];
    o.cols = o.tile->shape()[o.cDim];
    o.elemBytes = 2;
    // A is [M, K]: K-major when K (dim 1) is contiguous; B is [K, N]: when K (dim 0) is.
    o.kMajor = o.cDim == (i == 0 ? 1u : 0u);
  }
  const int64_t M = cTy->shape()[0], N = cTy->shape()[1];
  const int64_t K = op.operand(0)->type()->shape()[1];
  const int64_t W = mma->warpsPerCTA()[0], instrN = mma->instrShape()[1];
  const int64_t repRows = 16 * W; // rows of all warpgroups together
  if (M % repRows || N % instrN || K % 16)
    return error(op, "internal error: wgmma shape " + cTy->str() + " does not fit " + mma->str());

  // Warpgroup g's A rows start 64 g rows in: a uniform offset (the tile layouts are linear in
  // whole 64-row steps, checked here).
  const int64_t wgStep = opnd[0].offset(64, 0) - opnd[0].offset(0, 0);
  for (int64_t g = 1; g < W / 4; ++g)
    if (opnd[0].offset(64 * g, 0) != opnd[0].offset(0, 0) + g * wgStep)
      return error(op, "internal error: wgmma A tile not linear in warpgroups");
  llvm::Type *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
  llvm::Value *wg = b_.CreateLShr(warpId_, 2);
  llvm::Value *aRowOff = b_.CreateMul(wg, b_.getInt32(static_cast<uint32_t>(wgStep)));
  auto address = [&](const WgmmaOperand &o) { return b_.CreatePtrToInt(o.base, i32); };
  llvm::Value *aAddr = b_.CreateAdd(address(opnd[0]), aRowOff);
  llvm::Value *bAddr = address(opnd[1]);
  auto descriptor = [&](const WgmmaOperand &o, llvm::Value *addr, int64_t off) {
    llvm::Value *start = b_.CreateAdd(addr, b_.getInt32(static_cast<uint32_t>(off)));
    start = b_.CreateAnd(b_.CreateLShr(start, 4), 0x3FFF);
    const uint64_t fields = wgmmaDescriptorFields(o.rows, o.cols, o.elemBytes, o.kMajor);
    return b_.CreateOr(b_.CreateZExt(start, i64), llvm::ConstantInt::get(i64, fields));
  };

  // Accumulator registers of each (M repetition, instruction N) in wgmma's order: for every 8
  // columns j, (g, 8j + 2t), (g, 8j + 2t + 1), (g + 8, 8j + 2t), (g + 8, 8j + 2t + 1).
  std::map<LinearLayout::Coord, unsigned> cIdx;
  for (unsigned r = 0; r < cL->numRegisters(); ++r)
    cIdx.emplace(cL->registerCoord(r), r);
  struct Tile {
    int64_t m0, n0;
    std::vector<unsigned> regs;
  };
  std::vector<Tile> tiles;
  for (int64_t m0 = 0; m0 < M; m0 += repRows)
    for (int64_t n0 = 0; n0 < N; n0 += instrN) {
      Tile t{m0, n0, {}};
      for (int64_t j = 0; j < instrN / 8; ++j)
        for (int64_t e = 0; e < 4; ++e) {
          auto it = cIdx.find({m0 + 8 * (e >> 1), n0 + 8 * j + (e & 1)});
          if (it == cIdx.end())
            return error(op, "internal error: wgmma accumulator element not held by its thread");
          t.regs.push_back(it->second);
        }
      tiles.push_back(std::move(t));
    }

  Regs acc = regs(op.operand(2));
  llvm::Type *f32 = b_.getFloatTy();
  auto voidAsm = [&](const std::string &text) {
    b_.CreateCall(llvm::InlineAsm::get(llvm::FunctionType::get(b_.getVoidTy(), false), text, "",
                                       /*hasSideEffects=*/true));
  };
  voidAsm("wgmma.fence.sync.aligned;");

  const unsigned nAcc = static_cast<unsigned>(instrN / 2);
  const std::string t = ka == ScalarKind::F16 ? "f16" : "bf16";
  std::string text = "wgmma.mma_async.sync.aligned.m64n" + std::to_string(instrN) + "k16.f32." + t +
                     "." + t + " {";
  for (unsigned i = 0; i < nAcc; ++i)
    text += (i ? ", $" : "$") + std::to_string(i);
  text += "}, $" + std::to_string(nAcc) + ", $" + std::to_string(nAcc + 1) + ", 1, 1, 1, " +
          (opnd[0].kMajor ? "0" : "1") + ", " + (opnd[1].kMajor ? "0" : "1") + ";";
  std::string constraints;
  for (unsigned i = 0; i < nAcc; ++i)
    constraints += std::string(i ? "," : "") + "=f";
  constraints += ",l,l";
  for (unsigned i = 0; i < nAcc; ++i)
    constraints += "," + std::to_string(i);
  std::vector<llvm::Type *> argTys{i64, i64};
  argTys.insert(argTys.end(), nAcc, f32);
  llvm::Type *retTy = llvm::StructType::get(ctx_, std::vector<llvm::Type *>(nAcc, f32));
  llvm::InlineAsm *mmaAsm = llvm::InlineAsm::get(llvm::FunctionType::get(retTy, argTys, false),
                                                 text, constraints, /*hasSideEffects=*/true);
  for (int64_t k0 = 0; k0 < K; k0 += 16)
    for (const Tile &tile : tiles) {
      // A: rows m0 (+ 64 g), K k0; B: K k0, columns n0.
      llvm::Value *da = descriptor(opnd[0], aAddr, opnd[0].offset(tile.m0, k0));
      llvm::Value *db = descriptor(opnd[1], bAddr, opnd[1].offset(k0, tile.n0));
      std::vector<llvm::Value *> args{da, db};
      for (unsigned r : tile.regs)
        args.push_back(acc[r]);
      llvm::Value *res = b_.CreateCall(mmaAsm, args);
      for (unsigned i = 0; i < nAcc; ++i)
        acc[tile.regs[i]] = b_.CreateExtractValue(res, i);
    }
  voidAsm("wgmma.commit_group.sync.aligned;");

  // Wait for the group (or all but this one); every accumulator register passes through the
  // wait.
  const bool inFlight = leavesGroupInFlight(op);
  if (inFlight)
    wgmmaInFlight_.insert(op.result());
  bind(op.result(), waitGroup(b_, ctx_, acc, inFlight ? 1 : 0));
  return true;
}

} // namespace tritonc
