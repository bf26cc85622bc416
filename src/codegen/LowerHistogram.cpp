// histogram: counts of the values 0 .. num_bins-1 in a 1-D integer block (other values, and
// the -1 the front end puts in masked-off elements, are not counted), through shared memory:
//   1. barrier; the threads zero the num_bins i32 counters (a strided loop); barrier;
//   2. each element is counted once (by the thread that owns it among those holding copies):
//      an atomic add of 1 on its counter, at CTA scope;
//   3. barrier; each register of the result loads the counter of its coordinate.
#include "codegen/Lowering.h"

namespace tritonc {

bool KernelLowering::lowerHistogram(const Operation &op) {
  const Type *srcTy = op.operand(0)->type();
  const Type *resTy = op.result()->type();
  const int64_t bins = op.attrs().getInt("num_bins", 0);
  if (!srcTy->isBlock() || srcTy->rank() != 1 || !resTy->isBlock() || resTy->rank() != 1 ||
      bins <= 0 || resTy->shape()[0] != bins)
    return error(op, "malformed 'histogram'");
  const LinearLayout *src = linearLayout(srcTy, op);
  const LinearLayout *dst = src ? linearLayout(resTy, op) : nullptr;
  if (!dst)
    return false;
  llvm::Value *base = sharedScratch(op, bins * 4);
  if (!base)
    return false;
  llvm::Type *i32 = b_.getInt32Ty();
  const unsigned numThreads = fn_.numWarps * target_.info().warpSize;

  // 1. Zero the counters: for (i = tid; i < bins; i += numThreads) counter[i] = 0.
  target_.barrier(b_);
  llvm::BasicBlock *pre = b_.GetInsertBlock();
  auto *loop = llvm::BasicBlock::Create(ctx_, "histogram.zero", kernel_);
  auto *body = llvm::BasicBlock::Create(ctx_, "histogram.zero.body", kernel_);
  auto *done = llvm::BasicBlock::Create(ctx_, "histogram.zero.done", kernel_);
  b_.CreateBr(loop);
  b_.SetInsertPoint(loop);
  llvm::PHINode *i = b_.CreatePHI(i32, 2);
  i->addIncoming(threadId_, pre);
  b_.CreateCondBr(b_.CreateICmpULT(i, b_.getInt32(static_cast<uint32_t>(bins))), body, done);
  b_.SetInsertPoint(body);
  b_.CreateStore(b_.getInt32(0), b_.CreateGEP(i32, base, i));
  i->addIncoming(b_.CreateAdd(i, b_.getInt32(numThreads)), body);
  b_.CreateBr(loop);
  b_.SetInsertPoint(done);
  target_.barrier(b_);

  // 2. Count: values in [0, bins) as integers of 64 bits (signed values sign-extended, so a
  // negative one is out of range whatever its width).
  const Type *elem = srcTy->scalarType();
  const bool isSigned = !elem->isUnsigned() && !elem->isBool();
  llvm::Value *owner = ownerPredicate(*src);
  const Regs &values = regs(op.operand(0));
  for (llvm::Value *v : values) {
    llvm::Value *wide =
        isSigned ? b_.CreateSExt(v, b_.getInt64Ty()) : b_.CreateZExt(v, b_.getInt64Ty());
    llvm::Value *count = b_.CreateICmpULT(wide, b_.getInt64(static_cast<uint64_t>(bins)));
    if (owner)
      count = b_.CreateAnd(count, owner);
    auto *add = llvm::BasicBlock::Create(ctx_, "histogram.add", kernel_);
    auto *next = llvm::BasicBlock::Create(ctx_, "histogram.next", kernel_);
    b_.CreateCondBr(count, add, next);
    b_.SetInsertPoint(add);
    llvm::Value *slot = b_.CreateGEP(i32, base, b_.CreateTrunc(wide, i32));
    b_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, slot, b_.getInt32(1), llvm::MaybeAlign(4),
                       llvm::AtomicOrdering::Monotonic, target_.syncScope(ctx_, "cta"));
    b_.CreateBr(next);
    b_.SetInsertPoint(next);
  }
  target_.barrier(b_);

  // 3. Read the counters in the result's layout.
  Regs out;
  for (unsigned r = 0; r < dst->numRegisters(); ++r)
    out.push_back(b_.CreateLoad(i32, b_.CreateGEP(i32, base, coordinate(*dst, r, 0))));
  bind(op.result(), std::move(out));
  return true;
}

} // namespace tritonc
