// atomic_rmw and atomic_cas. Each element is updated exactly once: the atomic is predicated
// on the mask and on this thread owning the element (threads that only replicate it skip it;
// a scalar atomic is done by thread 0). If the old values are used and some thread skipped
// elements it holds, the owners publish them through shared memory: barrier, owners store,
// barrier, everyone loads.
#include "codegen/Lowering.h"

namespace tritonc {

bool KernelLowering::lowerAtomic(const Operation &op) {
  const bool cas = op.code() == OpCode::AtomicCas;
  const unsigned expected = cas ? 3 : 2;
  if (op.numOperands() < expected || op.numOperands() > 3 || op.numResults() != 1)
    return error(op, cas ? "atomic_cas takes a pointer, a compare value and a new value"
                         : "atomic_rmw takes a pointer, a value and an optional mask");
  const Type *type = op.result()->type();
  const Type *elem = type->scalarType();
  if (elem->isBool() || (elem->isScalar() && (elem->scalarKind() == ScalarKind::F8E4NV ||
                                              elem->scalarKind() == ScalarKind::F8E5)))
    return error(op, "atomics on " + elem->str() + " are not supported");
  AtomicAccess proto;
  proto.kind = cas ? "cas" : op.attrs().getString("kind");
  proto.sem = op.attrs().getString("sem", "acq_rel");
  proto.scope = op.attrs().getString("scope", "gpu");
  proto.isFloat = elem->isFloat();
  proto.isSigned = elem->isInt() && !elem->isUnsigned();
  static const char *const kinds[] = {"add", "max", "min", "and", "or", "xor", "xchg", "cas"};
  static const char *const sems[] = {"relaxed", "acquire", "release", "acq_rel"};
  static const char *const scopes[] = {"cta", "gpu", "sys"};
  auto oneOf = [](const std::string &v, auto &list) {
    return std::find(std::begin(list), std::end(list), v) != std::end(list);
  };
  if (!oneOf(proto.kind, kinds))
    return error(op, "unknown atomic kind '" + proto.kind + "'");
  if (!oneOf(proto.sem, sems))
    return error(op, "unknown memory order '" + proto.sem + "'");
  if (!oneOf(proto.scope, scopes))
    return error(op, "unknown scope '" + proto.scope + "'");
  if (proto.isFloat && proto.kind != "add" && proto.kind != "max" && proto.kind != "min" &&
      proto.kind != "xchg" && proto.kind != "cas")
    return error(op, "atomic '" + proto.kind + "' needs integer values");

  const Regs &ptrs = regs(op.operand(0));
  const Regs &values = regs(op.operand(cas ? 2 : 1));
  const Regs *cmps = cas ? &regs(op.operand(1)) : nullptr;
  const Regs *mask = !cas && op.numOperands() > 2 ? &regs(op.operand(2)) : nullptr;
  const LinearLayout *ll = nullptr;
  llvm::Value *owner;
  if (type->isBlock()) {
    if (!(ll = linearLayout(type, op)))
      return false;
    owner = ownerPredicate(*ll);
  } else {
    owner = b_.CreateICmpEQ(threadId_, b_.getInt32(0));
  }

  Regs old;
  for (size_t r = 0; r < ptrs.size(); ++r) {
    AtomicAccess a = proto;
    a.ptr = ptrs[r];
    a.value = values[r];
    a.cmp = cmps ? (*cmps)[r] : nullptr;
    a.pred = mask ? (*mask)[r] : nullptr;
    if (owner)
      a.pred = a.pred ? b_.CreateAnd(a.pred, owner) : owner;
    old.push_back(target_.emitAtomic(b_, a));
  }

  if (owner && op.result()->hasUses()) {
    llvm::Type *memTy = memoryType(type);
    const int64_t elemBytes =
        static_cast<int64_t>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());
    const int64_t bytes = type->isBlock() ? type->numElements() * elemBytes : elemBytes;
    llvm::Value *base = sharedScratch(op, bytes);
    if (!base)
      return false;
    auto slot = [&](unsigned r) -> llvm::Value * {
      if (!ll)
        return base;
      llvm::Value *index = b_.getInt32(0);
      int64_t stride = 1;
      for (unsigned d = type->rank(); d-- > 0;) {
        index = b_.CreateAdd(
            index, b_.CreateMul(coordinate(*ll, r, d), b_.getInt32(static_cast<uint32_t>(stride))));
        stride *= type->shape()[d];
      }
      return b_.CreateGEP(memTy, base, index);
    };
    target_.barrier(b_);
    for (unsigned r = 0; r < old.size(); ++r) {
      VectorAccess a;
      a.ptr = slot(r);
      a.elemType = memTy;
      a.alignBytes = static_cast<unsigned>(elemBytes);
      a.pred = owner;
      target_.emitStore(b_, a, {old[r]});
    }
    target_.barrier(b_);
    for (unsigned r = 0; r < old.size(); ++r)
      old[r] = b_.CreateLoad(memTy, slot(r));
  }
  bind(op.result(), std::move(old));
  return true;
}

} // namespace tritonc
