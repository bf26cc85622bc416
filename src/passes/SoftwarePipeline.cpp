// software-pipeline: the global loads that feed a loop's dots are issued one iteration ahead,
// so that their latency hides behind the tensor-core work of the current iteration.
//
// For each `for` loop (kernel num_stages >= 2) that counts up by a positive constant step and
// stores nothing (a load moved one iteration earlier must not miss a store of this iteration),
// and each load L directly in its body whose
// every user is a convert_layout to a #dot_op layout, with L's backward slice inside the body
// made of pure, region-free ops:
//   - prologue: the slice and L are cloned before the loop with iv = lb and the iteration
//     arguments at their initial values; the mask also requires lb < ub;
//   - body top: the slice and L are cloned again for iteration iv + step, each iteration
//     argument replaced by the value the body yields for it (whose own pure slice is cloned
//     there too, from the current arguments); the mask also requires iv + step < ub, so the
//     last iteration loads nothing and a masked K tail stays correct;
//   - the loaded block becomes a new iteration argument: the body reads it instead of L, and
//     yields the clone for the next iteration. L and its slice are left to `dce`.
// This is a two-stage pipeline through registers (the #dot_op conversion then stages the block
// in shared memory); num_stages > 2 does not add stages yet, and cp.async is not used.
// Expects: GPU IR. Leaves: GPU IR with the same results.
//
//   before: for ... { %a = load %p, %m ; %c = convert_layout %a : #dot_op ; dot %c ... }
//   after:  %a0 = load %p0, %m0 ; for ..., %a0 { ^(%i, ..., %a): %n = load %p1, %m1 ;
//           %c = convert_layout %a : #dot_op ; dot %c ... ; yield ..., %n }
#include "passes/SoftwarePipeline.h"

#include "ir/Builder.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace tritonc {

namespace {

using ValueMap = std::unordered_map<const Value *, Value *>;

bool feedsOnlyDotOperands(const Operation &load) {
  const Value *r = load.result(0);
  if (!r->hasUses())
    return false;
  for (const Operation *u : r->users()) {
    if (u->code() != OpCode::ConvertLayout)
      return false;
    const Layout *l = u->result(0)->type()->layout();
    if (!l || !l->isDotOperand())
      return false;
  }
  return true;
}

class Pipeliner {
public:
  explicit Pipeliner(Context &ctx) : ctx_(ctx), b_(ctx) {}

  void run(Operation *loop) {
    Block *body = loop->region(0);
    // Counting up by a positive constant (the guards compare iv + step < ub), with no store or
    // atomic in the loop that a load issued one iteration early could miss.
    const Operation *stepDef = loop->operand(2)->definingOp();
    if (!stepDef || stepDef->code() != OpCode::Constant || stepDef->attrs().getInt("value") <= 0 ||
        loop->operand(2)->type()->isUnsigned())
      return;
    bool writes = false;
    loop->walk([&](Operation *op) {
      writes |= op->code() == OpCode::Store || op->code() == OpCode::AtomicRMW ||
                op->code() == OpCode::AtomicCas;
    });
    if (writes)
      return;
    std::vector<Operation *> loads;
    for (auto &op : body->ops())
      if (op->code() == OpCode::Load && op->result(0)->type()->isBlock() &&
          feedsOnlyDotOperands(*op))
        loads.push_back(op.get());
    for (Operation *load : loads)
      pipeline(loop, load);
  }

private:
  /// The ops of `body` that `roots` depend on, in body order; false if one is impure or has
  /// regions.
  bool sliceOf(Block *body, const std::vector<Value *> &roots, std::vector<Operation *> &out) {
    std::set<const Operation *> seen;
    std::vector<const Value *> work(roots.begin(), roots.end());
    while (!work.empty()) {
      const Value *v = work.back();
      work.pop_back();
      Operation *def = v->definingOp();
      if (!def || def->parent() != body || !seen.insert(def).second)
        continue;
      if (def->numRegions() != 0 || (!def->isPure() && def->code() != OpCode::Load))
        return false;
      for (const Value *o : def->operands())
        work.push_back(o);
    }
    for (auto &op : body->ops())
      if (seen.count(op.get()))
        out.push_back(op.get());
    return true;
  }

  Value *mapped(const ValueMap &map, Value *v) {
    auto it = map.find(v);
    return it == map.end() ? v : it->second;
  }

  /// Clones `ops` at the builder's insertion point through `map` (extended with the clones).
  void cloneAll(const std::vector<Operation *> &ops, ValueMap &map) {
    for (Operation *op : ops) {
      std::vector<Value *> operands;
      for (Value *o : op->operands())
        operands.push_back(mapped(map, o));
      std::vector<const Type *> types;
      for (Value *r : op->results())
        types.push_back(r->type());
      Operation *c = b_.create(op->code(), operands, types, op->attrs(), op->loc());
      for (unsigned i = 0; i < op->numResults(); ++i) {
        c->result(i)->setName(op->result(i)->name());
        map[op->result(i)] = c->result(i);
      }
    }
  }

  /// `load` (a clone) made to load nothing unless `cond` (a scalar i1) holds.
  void guard(Operation *load, Value *cond, SourceLoc loc) {
    const Type *ptrTy = load->operand(0)->type();
    const Type *maskTy = ctx_.block(ctx_.i1(), ptrTy->shape(), ptrTy->layout());
    b_.setInsertionPoint(load);
    Value *splat = b_.createValue(OpCode::Splat, {cond}, maskTy, loc);
    if (load->numOperands() >= 2) {
      load->setOperand(1, b_.createValue(OpCode::And, {load->operand(1), splat}, maskTy, loc));
    } else {
      load->addOperand(splat);
    }
  }

  void pipeline(Operation *loop, Operation *load) {
    Block *body = loop->region(0);
    Operation *yield = body->terminator();
    if (!yield)
      return;
    Value *iv = body->argument(0);
    Value *lb = loop->operand(0), *ub = loop->operand(1), *step = loop->operand(2);
    const SourceLoc loc = load->loc();

    std::vector<Operation *> slice;
    if (!sliceOf(body, {load->result(0)}, slice) ||
        std::count_if(slice.begin(), slice.end(),
                      [](Operation *o) { return o->code() == OpCode::Load; }) != 1)
      return;
    // The iteration arguments the slice reads, and the pure slices of their next values.
    std::set<unsigned> args;
    for (Operation *op : slice)
      for (Value *o : op->operands())
        if (o->ownerBlock() == body && o->index() > 0)
          args.insert(o->index() - 1);
    std::vector<Value *> nextRoots;
    for (unsigned j : args)
      nextRoots.push_back(yield->operand(j));
    std::vector<Operation *> nextSlice;
    if (!sliceOf(body, nextRoots, nextSlice))
      return;
    for (Operation *op : nextSlice)
      if (op->code() == OpCode::Load)
        return;

    // Prologue: iteration lb from the initial values.
    b_.setInsertionPoint(loop);
    ValueMap pro;
    pro[iv] = lb;
    for (unsigned j : args)
      pro[body->argument(1 + j)] = loop->operand(3 + j);
    AttrList lt;
    lt.set("pred", std::string("lt"));
    Value *first = b_.createValue(OpCode::Cmp, {lb, ub}, ctx_.i1(), loc, lt);
    cloneAll(slice, pro);
    Operation *proLoad = pro.at(load->result(0))->definingOp();
    guard(proLoad, first, loc);

    // Body top: iteration iv + step from the values this iteration yields.
    b_.setInsertionPointToStart(body);
    Value *ivNext = b_.createValue(OpCode::Add, {iv, step}, iv->type(), loc);
    Value *more = b_.createValue(OpCode::Cmp, {ivNext, ub}, ctx_.i1(), loc, lt);
    ValueMap next;
    cloneAll(nextSlice, next); // the next values, from the current arguments
    ValueMap sub;
    sub[iv] = ivNext;
    for (unsigned j : args)
      sub[body->argument(1 + j)] = mapped(next, yield->operand(j));
    cloneAll(slice, sub);
    Operation *nextLoad = sub.at(load->result(0))->definingOp();
    guard(nextLoad, more, loc);

    // Carry the loaded block.
    const Type *ty = load->result(0)->type();
    loop->addOperand(proLoad->result(0));
    Value *carried = body->addArgument(ty, load->result(0)->name());
    loop->addResult(ty);
    yield->addOperand(nextLoad->result(0));
    load->result(0)->replaceAllUsesWith(carried);
  }

  Context &ctx_;
  Builder b_;
};

} // namespace

bool softwarePipelinePass(Module &module, PassContext &ctx) {
  (void)ctx;
  for (auto &f : module.functions()) {
    if (f->numStages < 2)
      continue;
    std::vector<Operation *> loops;
    f->walk([&](Operation *op) {
      if (op->code() == OpCode::For)
        loops.push_back(op);
    });
    Pipeliner p(module.context());
    for (Operation *loop : loops)
      p.run(loop);
  }
  return true;
}

} // namespace tritonc
