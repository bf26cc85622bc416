// licm: loop-invariant code motion for `for` and `while` loops.
//
// An op of a loop body is invariant when it is pure and every value it uses (its operands and
// the outside values its regions use) is defined outside the loop. Invariant ops move, in
// order, to just before the loop; an op using only invariants becomes invariant once they have
// moved. Loops are handled innermost first, so an op invariant in two nested loops leaves both.
// Pure ops cannot trap, except integer `div`/`rem` by zero: the loop may run zero times, so
// those move only with a non-zero constant divisor. Only ops directly in a loop body move
// (not ops inside an `if` within it: they may be guarded).
// Expects: Tile IR or GPU IR. Leaves: the same level.
//
//   before: for ... { ^(%i, %acc): %s = splat %n : tensor<64xi32>   %m = cmp lt %offs, %s ... }
//   after:  %s = splat %n : tensor<64xi32>    for ... { ^(%i, %acc): %m = cmp lt %offs, %s ... }
#include "passes/LICM.h"

namespace tritonc {

namespace {

/// True if `op` is `ancestor` or nested (at any depth) in its regions.
bool isInside(const Operation *op, const Operation *ancestor) {
  for (; op; op = op->parentOp())
    if (op == ancestor)
      return true;
  return false;
}

/// True if `v` is defined inside `loop` (by an op in it, or as an argument of one of its
/// regions or of a region nested in it).
bool definedInside(const Value *v, const Operation *loop) {
  if (const Operation *def = v->definingOp())
    return isInside(def, loop);
  const Block *owner = v->ownerBlock();
  return owner && owner->parentOp() && isInside(owner->parentOp(), loop);
}

bool usesOnlyOutside(Operation *op, const Operation *loop) {
  bool ok = true;
  op->walk([&](Operation *inner) {
    for (Value *v : inner->operands()) {
      // Values defined inside `op` itself (in its own regions) move with it.
      if (definedInside(v, op))
        continue;
      if (definedInside(v, loop))
        ok = false;
    }
  });
  return ok;
}

bool allPure(Operation *op) {
  bool pure = true;
  op->walk([&](Operation *inner) {
    if (inner != op && !inner->isPure() && !inner->isTerminator())
      pure = false;
  });
  return pure && op->isPure();
}

/// Integer division may trap (or report, in the interpreter) when the divisor is zero.
bool safeToSpeculate(const Operation &op) {
  if (op.code() != OpCode::Div && op.code() != OpCode::Rem)
    return true;
  if (!op.result(0)->type()->isInt())
    return true;
  const Operation *def = op.operand(1)->definingOp();
  if (!def || def->code() != OpCode::Constant)
    return false;
  const AttrValue *v = def->attrs().find("value");
  const int64_t *i = v ? std::get_if<int64_t>(v) : nullptr;
  return i && *i != 0;
}

bool hoistFrom(Operation *loop) {
  bool changed = false;
  for (unsigned r = 0; r < loop->numRegions(); ++r) {
    Block *body = loop->region(r);
    for (auto it = body->ops().begin(); it != body->ops().end();) {
      Operation *op = (it++)->get();
      if (op->isTerminator() || !allPure(op) || !safeToSpeculate(*op))
        continue;
      if (!usesOnlyOutside(op, loop))
        continue;
      op->moveBefore(loop);
      changed = true;
    }
  }
  return changed;
}

void collectLoopsPostOrder(Block *block, std::vector<Operation *> &loops) {
  for (auto &owned : block->ops()) {
    Operation *op = owned.get();
    for (unsigned r = 0; r < op->numRegions(); ++r)
      collectLoopsPostOrder(op->region(r), loops);
    if (op->code() == OpCode::For || op->code() == OpCode::While)
      loops.push_back(op);
  }
}

} // namespace

bool licmPass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions()) {
    std::vector<Operation *> loops;
    collectLoopsPostOrder(f->body(), loops);
    for (Operation *loop : loops)
      hoistFrom(loop);
  }
  return true;
}

} // namespace tritonc
