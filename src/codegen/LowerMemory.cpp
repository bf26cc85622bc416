// Loads and stores. A thread's registers are cut into groups of `accessWidth` consecutive
// registers; each group is one access of the target (NVPTX: one predicated ld/st.global.vN),
// through the group's first pointer, under the group's first mask element (the `vec`
// attribute promises the rest agree; see Codegen.h). Masked-off elements of a load take
// `other` (a select after the access). Stores are also predicated off in threads that merely
// replicate elements another thread owns, so each element is written once; a scalar store is
// done by thread 0 only.
//
// A masked op may also carry `vec_unmasked` (ir/MemoryAttrs.h), wider than `vec` because its mask
// varies inside a group (`offs < n`, n not known to be a multiple of the width). Each wide
// group then branches: one wide access when all its mask elements are true — every group but
// the one straddling the mask's edge — else `vec`-wide accesses under their own masks. The
// branch is warp-uniform except in that one warp, so the common path costs one access.
#include "codegen/Lowering.h"

#include "ir/MemoryAttrs.h"

#include <cmath>

namespace tritonc {

bool KernelLowering::memoryHints(const Operation &op, bool isStore, MemoryHints &hints) {
  hints.cache = op.attrs().getString("cache");
  hints.evict = op.attrs().getString("evict");
  hints.isVolatile = op.attrs().getBool("volatile");
  std::string problem = target_.checkHints(hints, isStore);
  return problem.empty() || error(op, problem);
}

unsigned KernelLowering::accessWidth(int64_t requested, const Type *type, const LinearLayout &ll) {
  if (requested <= 1 || ll.regBases().empty())
    return 1;
  // The dim whose elements consecutive registers walk (register 1 holds element +1 there).
  const LinearLayout::Coord &first = ll.regBases()[0];
  unsigned contiguous = 1;
  for (unsigned d = 0; d < ll.rank(); ++d)
    if (first[d] == 1)
      contiguous = ll.contiguousRegisters(d);
  const unsigned elemBits = type->isPointerLike() ? 64 : std::max(8u, type->bitWidth());
  const unsigned widest = target_.info().maxLoadStoreBytes * 8 / elemBits;
  unsigned width = 1;
  while (width * 2 <= requested && width * 2 <= contiguous && width * 2 <= widest)
    width *= 2;
  return width;
}

llvm::Value *KernelLowering::allOf(const Regs &mask, size_t first, unsigned count) {
  llvm::Value *all = mask[first];
  for (unsigned k = 1; k < count; ++k)
    all = b_.CreateAnd(all, mask[first + k]);
  return all;
}

namespace {
/// Emits `wide` (one access, taken when `all` holds) and `narrow` (the fallback) on two
/// branches that rejoin; returns the rejoining values (one phi per element) when the paths
/// produce values.
template <typename WideFn, typename NarrowFn>
std::vector<llvm::Value *> twoPaths(llvm::IRBuilder<> &b, llvm::Value *all, WideFn wide,
                                    NarrowFn narrow) {
  llvm::Function *fn = b.GetInsertBlock()->getParent();
  llvm::LLVMContext &ctx = fn->getContext();
  auto *wideBB = llvm::BasicBlock::Create(ctx, "mem.wide", fn);
  auto *narrowBB = llvm::BasicBlock::Create(ctx, "mem.narrow", fn);
  auto *joinBB = llvm::BasicBlock::Create(ctx, "mem.join", fn);
  b.CreateCondBr(all, wideBB, narrowBB);
  b.SetInsertPoint(wideBB);
  std::vector<llvm::Value *> fromWide = wide();
  llvm::BasicBlock *wideEnd = b.GetInsertBlock();
  b.CreateBr(joinBB);
  b.SetInsertPoint(narrowBB);
  std::vector<llvm::Value *> fromNarrow = narrow();
  llvm::BasicBlock *narrowEnd = b.GetInsertBlock();
  b.CreateBr(joinBB);
  b.SetInsertPoint(joinBB);
  std::vector<llvm::Value *> joined;
  for (size_t k = 0; k < fromWide.size(); ++k) {
    llvm::PHINode *phi = b.CreatePHI(fromWide[k]->getType(), 2);
    phi->addIncoming(fromWide[k], wideEnd);
    phi->addIncoming(fromNarrow[k], narrowEnd);
    joined.push_back(phi);
  }
  return joined;
}
} // namespace

bool KernelLowering::lowerLoad(const Operation &op) {
  if (op.numOperands() < 1 || op.numOperands() > 3)
    return error(op, "load takes a pointer, an optional mask and an optional other value");
  const Type *type = op.result()->type();
  MemoryHints hints;
  if (!memoryHints(op, /*isStore=*/false, hints))
    return false;
  const Regs &ptrs = regs(op.operand(0));
  const Regs *mask = op.numOperands() > 1 ? &regs(op.operand(1)) : nullptr;
  const Regs *other = op.numOperands() > 2 ? &regs(op.operand(2)) : nullptr;
  unsigned width = 1, wide = 1;
  if (type->isBlock()) {
    const LinearLayout *ll = linearLayout(type, op);
    if (!ll)
      return false;
    width = accessWidth(vectorWidth(op), type, *ll);
    wide = mask ? std::max(width, accessWidth(unmaskedVectorWidth(op), type, *ll)) : width;
  }
  llvm::Type *memTy = memoryType(type), *regTy = registerType(type);
  const unsigned elemBytes =
      static_cast<unsigned>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());
  // `other` = 0 (Triton's usual padding) is the load's own zero fill, not a select.
  bool zeroOther = false;
  if (other && mask)
    if (const Operation *def = op.operand(2)->definingOp();
        def && def->code() == OpCode::Constant && def->attrs().has("value")) {
      const AttrValue &v = *def->attrs().find("value");
      if (auto *i = std::get_if<int64_t>(&v))
        zeroOther = *i == 0;
      else if (auto *f = std::get_if<double>(&v))
        zeroOther = *f == 0.0 && !std::signbit(*f);
    }
  auto access = [&](size_t first, unsigned n, llvm::Value *pred) {
    VectorAccess a;
    a.zeroFill = zeroOther;
    a.ptr = ptrs[first];
    a.elemType = memTy;
    a.numElems = n;
    a.alignBytes = n * elemBytes;
    a.pred = pred;
    a.hints = hints;
    return target_.emitLoad(b_, a);
  };
  auto narrow = [&](size_t first, unsigned count) {
    std::vector<llvm::Value *> loaded;
    for (unsigned k = 0; k < count; k += width) {
      std::vector<llvm::Value *> part =
          access(first + k, width, mask ? (*mask)[first + k] : nullptr);
      loaded.insert(loaded.end(), part.begin(), part.end());
    }
    return loaded;
  };

  Regs out;
  for (size_t first = 0; first < ptrs.size(); first += wide) {
    std::vector<llvm::Value *> loaded =
        wide == width
            ? narrow(first, wide)
            : twoPaths(
                  b_, allOf(*mask, first, wide), [&] { return access(first, wide, nullptr); },
                  [&] { return narrow(first, wide); });
    for (unsigned k = 0; k < wide; ++k) {
      llvm::Value *v = loaded[k];
      if (regTy != memTy) // i1 in memory is a byte
        v = b_.CreateICmpNE(v, llvm::ConstantInt::get(memTy, 0));
      if (other && !zeroOther) // the mask is uniform over each access of `width` elements
        v = b_.CreateSelect((*mask)[first + k / width * width], v, (*other)[first + k]);
      out.push_back(v);
    }
  }
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::lowerStore(const Operation &op) {
  if (op.numOperands() < 2 || op.numOperands() > 3)
    return error(op, "store takes a pointer, a value and an optional mask");
  const Type *type = op.operand(1)->type();
  MemoryHints hints;
  if (!memoryHints(op, /*isStore=*/true, hints))
    return false;
  const Regs &ptrs = regs(op.operand(0));
  const Regs &values = regs(op.operand(1));
  const Regs *mask = op.numOperands() > 2 ? &regs(op.operand(2)) : nullptr;
  unsigned width = 1, wide = 1;
  llvm::Value *owner;
  if (type->isBlock()) {
    const LinearLayout *ll = linearLayout(type, op);
    if (!ll)
      return false;
    width = accessWidth(vectorWidth(op), type, *ll);
    wide = mask ? std::max(width, accessWidth(unmaskedVectorWidth(op), type, *ll)) : width;
    owner = ownerPredicate(*ll);
  } else {
    owner = b_.CreateICmpEQ(threadId_, b_.getInt32(0));
  }
  llvm::Type *memTy = memoryType(type), *regTy = registerType(type);
  const unsigned elemBytes =
      static_cast<unsigned>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());
  auto access = [&](size_t first, unsigned n, llvm::Value *pred) {
    VectorAccess a;
    a.ptr = ptrs[first];
    a.elemType = memTy;
    a.numElems = n;
    a.alignBytes = n * elemBytes;
    a.pred = pred;
    if (owner)
      a.pred = a.pred ? b_.CreateAnd(a.pred, owner) : owner;
    a.hints = hints;
    std::vector<llvm::Value *> group;
    for (unsigned k = 0; k < n; ++k)
      group.push_back(regTy == memTy ? values[first + k] : b_.CreateZExt(values[first + k], memTy));
    target_.emitStore(b_, a, group);
  };
  auto narrow = [&](size_t first, unsigned count) {
    for (unsigned k = 0; k < count; k += width)
      access(first + k, width, mask ? (*mask)[first + k] : nullptr);
    return std::vector<llvm::Value *>{};
  };

  for (size_t first = 0; first < ptrs.size(); first += wide) {
    if (wide == width) {
      narrow(first, wide);
      continue;
    }
    twoPaths(
        b_, allOf(*mask, first, wide),
        [&] {
          access(first, wide, nullptr);
          return std::vector<llvm::Value *>{};
        },
        [&] { return narrow(first, wide); });
  }
  return true;
}

} // namespace tritonc
