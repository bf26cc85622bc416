// Loads and stores. A thread's registers are cut into groups of `accessWidth` consecutive
// registers; each group is one access of the target (NVPTX: one predicated ld/st.global.vN),
// through the group's first pointer, under the group's first mask element (the `vec`
// attribute promises the rest agree; see Codegen.h). Masked-off elements of a load take
// `other` (a select after the access). Stores are also predicated off in threads that merely
// replicate elements another thread owns, so each element is written once; a scalar store is
// done by thread 0 only.
#include "codegen/Lowering.h"

namespace tritonc {

bool KernelLowering::memoryHints(const Operation &op, bool isStore, MemoryHints &hints) {
  hints.cache = op.attrs().getString("cache");
  hints.evict = op.attrs().getString("evict");
  hints.isVolatile = op.attrs().getBool("volatile");
  std::string problem = target_.checkHints(hints, isStore);
  return problem.empty() || error(op, problem);
}

unsigned KernelLowering::accessWidth(const Operation &op, const Type *type,
                                     const LinearLayout &ll) {
  int64_t requested = op.attrs().getInt("vec", 1);
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
  unsigned width = 1;
  if (type->isBlock()) {
    const LinearLayout *ll = linearLayout(type, op);
    if (!ll)
      return false;
    width = accessWidth(op, type, *ll);
  }
  llvm::Type *memTy = memoryType(type), *regTy = registerType(type);
  const unsigned elemBytes =
      static_cast<unsigned>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());

  Regs out;
  for (size_t first = 0; first < ptrs.size(); first += width) {
    VectorAccess a;
    a.ptr = ptrs[first];
    a.elemType = memTy;
    a.numElems = width;
    a.alignBytes = width * elemBytes;
    a.pred = mask ? (*mask)[first] : nullptr;
    a.hints = hints;
    std::vector<llvm::Value *> loaded = target_.emitLoad(b_, a);
    for (unsigned k = 0; k < width; ++k) {
      llvm::Value *v = loaded[k];
      if (regTy != memTy) // i1 in memory is a byte
        v = b_.CreateICmpNE(v, llvm::ConstantInt::get(memTy, 0));
      if (other)
        v = b_.CreateSelect(a.pred, v, (*other)[first + k]);
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
  unsigned width = 1;
  llvm::Value *owner;
  if (type->isBlock()) {
    const LinearLayout *ll = linearLayout(type, op);
    if (!ll)
      return false;
    width = accessWidth(op, type, *ll);
    owner = ownerPredicate(*ll);
  } else {
    owner = b_.CreateICmpEQ(threadId_, b_.getInt32(0));
  }
  llvm::Type *memTy = memoryType(type), *regTy = registerType(type);
  const unsigned elemBytes =
      static_cast<unsigned>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());

  for (size_t first = 0; first < ptrs.size(); first += width) {
    VectorAccess a;
    a.ptr = ptrs[first];
    a.elemType = memTy;
    a.numElems = width;
    a.alignBytes = width * elemBytes;
    a.pred = mask ? (*mask)[first] : nullptr;
    if (owner)
      a.pred = a.pred ? b_.CreateAnd(a.pred, owner) : owner;
    a.hints = hints;
    std::vector<llvm::Value *> group;
    for (unsigned k = 0; k < width; ++k)
      group.push_back(regTy == memTy ? values[first + k] : b_.CreateZExt(values[first + k], memTy));
    target_.emitStore(b_, a, group);
  }
  return true;
}

} // namespace tritonc
