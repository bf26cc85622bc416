// Cloning IR (see Clone.h). Regions are copied recursively: a region's ops may use values of
// enclosing blocks, so the map is shared by the whole clone and filled in program order, which
// dominance guarantees defines every value before its uses.
#include "ir/Clone.h"

namespace tritonc {

namespace {

Value *mapped(const ValueMap &map, Value *v) {
  auto it = map.find(v);
  return it == map.end() ? v : it->second;
}

} // namespace

Operation *cloneOp(const Operation &op, Builder &builder, ValueMap &map) {
  std::vector<Value *> operands;
  operands.reserve(op.numOperands());
  for (Value *v : op.operands())
    operands.push_back(mapped(map, v));
  std::vector<const Type *> resultTypes;
  for (unsigned i = 0; i < op.numResults(); ++i)
    resultTypes.push_back(op.result(i)->type());
  Operation *copy = builder.create(op.code(), std::move(operands), std::move(resultTypes),
                                   op.attrs(), op.loc(), op.numRegions());
  for (unsigned i = 0; i < op.numResults(); ++i) {
    copy->result(i)->setName(op.result(i)->name());
    map[op.result(i)] = copy->result(i);
  }
  for (unsigned r = 0; r < op.numRegions(); ++r) {
    const Block &from = *op.region(r);
    Block &to = *copy->region(r);
    for (unsigned a = 0; a < from.numArguments(); ++a)
      map[from.argument(a)] = to.addArgument(from.argument(a)->type(), from.argument(a)->name());
    Builder inner(builder.context());
    inner.setInsertionPointToEnd(&to);
    cloneOps(from, inner, map);
  }
  return copy;
}

void cloneOps(const Block &block, Builder &builder, ValueMap &map, bool withTerminator) {
  for (const auto &op : block.ops()) {
    if (op->isTerminator() && !withTerminator)
      break;
    cloneOp(*op, builder, map);
  }
}

} // namespace tritonc
