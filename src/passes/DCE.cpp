// dce: dead-code elimination by liveness marking.
//
// Roots are the ops with an effect: stores, atomics, prints, asserts, barriers, volatile
// loads, returns, and `while` loops (which may not terminate, so they are never dropped).
// Liveness flows from a live op to the definitions of its operands, from a live op to the
// control-flow op enclosing it, and through structured control flow per carried value: result
// i of a `for` needs its init i and yielded value i (and iteration argument i uses the same
// pair); result i of an `if` needs the i-th value of each branch. A live `for` needs its
// bounds, a live `if` its condition. Everything not marked is erased — pure ops, non-volatile
// loads (a dead load only reads, as in Triton) and whole loops and ifs with nothing live
// inside — and live `for`/`if` ops lose the carried values and results nothing needs (they
// are rebuilt with fewer results, their region ops moved across).
// Expects: Tile IR or GPU IR. Leaves: the same level.
//
//   before: %r, %unused = for %lb, %ub, %st, %a0, %b0 { ^(%i, %a, %b): ... yield %a1, %b1 }
//   after:  %r = for %lb, %ub, %st, %a0 { ^(%i, %a): ... yield %a1 }
#include "passes/DCE.h"

#include "ir/Builder.h"

#include <unordered_set>

namespace tritonc {

namespace {

bool isRoot(const Operation &op) {
  if (hasEffect(op.code()))
    return true;
  if (op.code() == OpCode::Load)
    return op.attrs().getBool("volatile");
  // Control flow (for, if, their yields, while's condition) lives through its users and
  // contents. Any other op the table marks neither pure nor effectful is kept, to be safe.
  return !op.isPure() && op.numRegions() == 0 && !op.isTerminator();
}

class Liveness {
public:
  std::unordered_set<const Operation *> liveOps;
  std::unordered_set<const Value *> liveValues;

  void run(Function &f) {
    f.walk([&](Operation *op) {
      if (isRoot(*op))
        markOp(op);
    });
    while (!work_.empty()) {
      Item item = work_.back();
      work_.pop_back();
      if (item.op)
        visitOp(item.op);
      else
        visitValue(item.value);
    }
  }

private:
  struct Item {
    Operation *op = nullptr;
    Value *value = nullptr;
  };
  std::vector<Item> work_;

  void markOp(Operation *op) {
    if (liveOps.insert(op).second)
      work_.push_back({op, nullptr});
  }
  void markValue(Value *v) {
    if (liveValues.insert(v).second)
      work_.push_back({nullptr, v});
  }

  /// Carried value i of a live `for` is needed: its init, its yielded value, its argument.
  void markForCarried(Operation *forOp, unsigned i) {
    if (3 + i < forOp->numOperands())
      markValue(forOp->operand(3 + i));
    Block *body = forOp->region(0);
    if (Operation *y = body->terminator(); y && i < y->numOperands()) {
      markOp(y);
      markValue(y->operand(i));
    }
    if (1 + i < body->numArguments())
      liveValues.insert(body->argument(1 + i));
  }

  void markIfResult(Operation *ifOp, unsigned i) {
    for (unsigned r = 0; r < ifOp->numRegions(); ++r)
      if (Operation *y = ifOp->region(r)->terminator(); y && i < y->numOperands()) {
        markOp(y);
        markValue(y->operand(i));
      }
  }

  void visitOp(Operation *op) {
    if (Operation *parent = op->parentOp())
      markOp(parent);
    switch (op->code()) {
    case OpCode::For:
      for (unsigned i = 0; i < 3 && i < op->numOperands(); ++i)
        markValue(op->operand(i));
      return;
    case OpCode::If:
      markValue(op->operand(0));
      return;
    case OpCode::Yield:
    case OpCode::Condition: {
      // Yields of for/if carry values that are live one by one (marked by their users). Any
      // other region's terminator (while, reduce, scan) needs all its operands.
      Operation *parent = op->parentOp();
      if (parent && (parent->code() == OpCode::For || parent->code() == OpCode::If))
        return;
      for (Value *v : op->operands())
        markValue(v);
      return;
    }
    default:
      break;
    }
    for (Value *v : op->operands())
      markValue(v);
    // A live op with regions other than for/if (while, reduce, scan) needs all of them.
    for (unsigned r = 0; r < op->numRegions(); ++r)
      for (auto &inner : op->region(r)->ops())
        markOp(inner.get());
  }

  void visitValue(Value *v) {
    if (Operation *def = v->definingOp()) {
      markOp(def);
      if (def->code() == OpCode::For)
        markForCarried(def, v->index());
      else if (def->code() == OpCode::If)
        markIfResult(def, v->index());
      return;
    }
    Block *owner = v->ownerBlock();
    Operation *parent = owner ? owner->parentOp() : nullptr;
    if (!parent)
      return; // a kernel parameter
    markOp(parent);
    if (parent->code() == OpCode::For && v->index() > 0)
      markForCarried(parent, v->index() - 1);
  }
};

class DCE {
public:
  explicit DCE(Context &ctx) : ctx_(ctx) {}

  void run(Function &f) {
    Liveness live;
    live.run(f);
    // 1. Live for/if ops stop yielding (and initializing) what nothing needs, so the values
    //    feeding only those operands become unused. The ops keep their old results and region
    //    arguments until step 3.
    std::vector<Operation *> shrink;
    f.walk([&](Operation *op) {
      if (!live.liveOps.count(op))
        return;
      if (op->code() != OpCode::For && op->code() != OpCode::If)
        return;
      std::vector<bool> keep = keptResults(op, live);
      if (std::find(keep.begin(), keep.end(), false) == keep.end())
        return;
      for (unsigned r = 0; r < op->numRegions(); ++r)
        if (Operation *y = op->region(r)->terminator())
          y->setOperands(filter(y->operands(), keep));
      if (op->code() == OpCode::For) // the inits of dropped carried values
        op->setOperands(filter(op->operands(), keep, 3));
      shrink.push_back(op);
    });
    // 2. Erase the dead ops: outermost dead ops only (their regions go with them). References
    //    are dropped first so that dead ops using each other can go in any order.
    std::vector<Operation *> dead;
    collectDead(f.body(), live, dead);
    for (Operation *op : dead)
      op->dropAllReferences();
    for (Operation *op : dead)
      op->erase();
    // 3. Rebuild the shrunk for/if ops without the dropped results.
    for (Operation *op : shrink)
      rebuild(op, keptResults(op, live));
  }

private:
  Context &ctx_;

  static std::vector<bool> keptResults(Operation *op, const Liveness &live) {
    std::vector<bool> keep(op->numResults());
    for (unsigned i = 0; i < op->numResults(); ++i) {
      keep[i] = live.liveValues.count(op->result(i)) > 0;
      if (op->code() == OpCode::For && 1 + i < op->region(0)->numArguments())
        keep[i] = keep[i] || live.liveValues.count(op->region(0)->argument(1 + i)) > 0;
    }
    return keep;
  }

  static std::vector<Value *> filter(const std::vector<Value *> &values,
                                     const std::vector<bool> &keep, size_t offset = 0) {
    std::vector<Value *> out(values.begin(), values.begin() + std::min(offset, values.size()));
    for (size_t i = offset; i < values.size(); ++i)
      if (i - offset >= keep.size() || keep[i - offset])
        out.push_back(values[i]);
    return out;
  }

  static void collectDead(Block *block, const Liveness &live, std::vector<Operation *> &dead) {
    for (auto &owned : block->ops()) {
      Operation *op = owned.get();
      // A terminator goes with its region: it stays while the region stays.
      if (!live.liveOps.count(op) && !op->isTerminator()) {
        dead.push_back(op);
        continue;
      }
      for (unsigned r = 0; r < op->numRegions(); ++r)
        collectDead(op->region(r), live, dead);
    }
  }

  /// Replaces `op` (a for or if) by a copy that has only the kept results, moving its region
  /// contents into the copy.
  void rebuild(Operation *op, const std::vector<bool> &keep) {
    bool isFor = op->code() == OpCode::For;
    std::vector<Value *> operands = op->operands(); // already filtered in step 1
    std::vector<const Type *> types;
    for (unsigned i = 0; i < op->numResults(); ++i)
      if (keep[i])
        types.push_back(op->result(i)->type());
    Builder b(ctx_);
    b.setInsertionPoint(op);
    Operation *copy =
        b.create(op->code(), operands, types, op->attrs(), op->loc(), op->numRegions());
    for (unsigned r = 0; r < op->numRegions(); ++r) {
      Block *from = op->region(r), *to = copy->region(r);
      for (unsigned a = 0; a < from->numArguments(); ++a) {
        // For bodies: argument 0 is the induction variable, then one per carried value.
        bool kept = !isFor || a == 0 || keep[a - 1];
        if (!kept)
          continue;
        Value *arg = from->argument(a);
        Value *na = to->addArgument(arg->type(), arg->name());
        arg->replaceAllUsesWith(na);
      }
      while (!from->empty())
        to->push_back(from->remove(from->front()));
    }
    unsigned j = 0;
    for (unsigned i = 0; i < op->numResults(); ++i) {
      if (!keep[i])
        continue;
      Value *nr = copy->result(j++);
      nr->setName(op->result(i)->name());
      op->result(i)->replaceAllUsesWith(nr);
    }
    op->erase();
  }
};

} // namespace

bool dcePass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions())
    DCE(module.context()).run(*f);
  return true;
}

} // namespace tritonc
