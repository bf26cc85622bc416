// software-pipeline: the global loads that feed a loop's dots are issued ahead of the
// iteration that uses them, so that their latency hides behind the tensor-core work.
//
// A `for` loop qualifies when num_stages S >= 2 (its own `num_stages` attribute, else the
// kernel's), it counts up by a positive constant step and stores nothing (a load moved to an
// earlier iteration must not miss a store of this iteration). A load L directly in its body
// qualifies when every user is a convert_layout to a #dot_op layout and L's backward slice in
// the body is made of pure, region-free ops; the slices of the next values of the iteration
// arguments it reads must be pure too ("the next iteration's L" is then a clone of the slice
// on those next values).
//
// Shared-memory stages (NVIDIA sm_80+, 2-D blocks of 16-bit elements read as k_width-2
// operands, `other` absent or zero): the loads become `async_copy` (cp.async) into S #shared
// tiles per load, D = S - 1 iterations ahead:
//   - prologue: one local_alloc tile to recycle, then for k = 0 .. D-1 (iterations first, loads
//     second, so that copy groups complete in iteration order) a local_alloc tile filled by an
//     async_copy of iteration lb + k*step, its mask also requiring lb + k*step < ub;
//   - body: `async_wait {pending = (D-1) * loads}` first (iteration iv's copies have landed and
//     every thread is past the previous iteration's reads; for tiles read through local_load
//     this wait sits at the end of the previous iteration's body instead, and once more before
//     the loop, so that the next iteration's tiles are ready at the back edge — codegen loads
//     the first K step of the first dot's operands there), then iteration iv + D*step is copied
//     into the tile read in the previous iteration (mask also iv + D*step < ub: a masked K tail
//     and the last iterations stay correct, cp.async zero-fills), and each conversion becomes a
//     `local_load` of iteration iv's tile;
//   - the tiles rotate through new iteration arguments: (previous, iv, ..., iv + (D-1)*step);
//   - after the loop `async_wait {pending = 0}`.
// Tiles read only by wgmma dots (mma version 3) take the #shared<order, wgmma> form that
// wgmma's descriptors address, and wgmma reads them where they are (no local_load copy); they
// recycle two tiles (S + 1 per load, where that fits in shared memory), the copy going into
// the tile of iteration iv - 2, and a dot reading two such tiles is marked `wgmma_pending`:
// codegen may leave its wgmma group in flight into the next iteration (LowerWgmma.cpp).
// Registers otherwise (other targets, other element types): a two-stage pipeline: the prologue
// loads iteration lb, the body top loads iteration iv + step (guarded the same way), and the
// loaded block becomes a new iteration argument that the conversion reads.
// The staged form erases L (its pointers may now run ahead of its mask); the rest of L's slice,
// and L itself in the register form, are left to `dce`.
// Expects: GPU IR. Leaves: GPU IR with the same results.
//
//   before: for ... { %a = load %p, %m ; %c = convert_layout %a : #dot_op ; dot %c ... }
//   after (S = 2): %t = local_alloc ; %a0 = async_copy local_alloc, %p0, %m0 ;
//           async_wait {pending = 0} ; for ..., %t, %a0 { ^(%i, ..., %prev, %cur):
//           %n = async_copy %prev, %p1, %m1 ; %c = local_load %cur : #dot_op ; dot %c ... ;
//           async_wait {pending = 0} ; yield ..., %cur, %n } ; async_wait {pending = 0}
#include "passes/SoftwarePipeline.h"

#include "ir/Builder.h"
#include "layout/WgmmaLayout.h"

#include <algorithm>
#include <cmath>
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

/// `load` can go through shared-memory stages: a 2-D block of 16-bit elements in a blocked
/// layout, read only as k_width-2 #dot_op operands (ldmatrix), with no `other` but zero.
bool fitsSharedStages(const Operation &load, const TargetInfo &target) {
  if (!target.isCuda() || target.computeCapability < 80 || load.numOperands() > 3)
    return false;
  const Type *ty = load.result(0)->type();
  if (ty->rank() != 2 || ty->bitWidth() != 16 || !ty->isFloat() || !ty->layout() ||
      !ty->layout()->isBlocked())
    return false;
  for (const Operation *u : load.result(0)->users()) {
    const Type *ut = u->result(0)->type();
    if (ut->layout()->kWidth() != 2)
      return false;
  }
  if (load.numOperands() == 3) {
    const Operation *def = load.operand(2)->definingOp();
    if (!def || def->code() != OpCode::Constant || !def->attrs().has("value"))
      return false;
    const AttrValue &v = *def->attrs().find("value");
    const double *f = std::get_if<double>(&v);
    const int64_t *i = std::get_if<int64_t>(&v);
    if (!(f && *f == 0.0 && !std::signbit(*f)) && !(i && *i == 0))
      return false;
  }
  return true;
}

/// Whether every reader of `load` is a wgmma operand (a #dot_op of an mma version 3 layout) and
/// its rows fit a wgmma descriptor: its tiles then take the wgmma form (layout/WgmmaLayout.h),
/// which wgmma reads in place.
bool readByWgmma(const Operation &load) {
  const Type *ty = load.result(0)->type();
  for (const Operation *u : load.result(0)->users()) {
    const Layout *l = u->result(0)->type()->layout();
    if (!l->isDotOperand() || l->parent()->mmaVersion() != 3)
      return false;
  }
  const unsigned cDim = ty->layout()->order()[0];
  return wgmmaSwizzleBytes(ty->shape()[cDim], ty->bitWidth() / 8) != 0;
}

class Pipeliner {
public:
  Pipeliner(Context &ctx, const TargetInfo &target) : ctx_(ctx), b_(ctx), target_(target) {}

  void run(Operation *loop, int64_t stages) {
    Block *body = loop->region(0);
    // Counting up by a positive constant (the guards compare iv + k*step < ub), with no store or
    // atomic in the loop that a load issued early could miss.
    const Operation *stepDef = loop->operand(2)->definingOp();
    if (!stepDef || stepDef->code() != OpCode::Constant || stepDef->attrs().getInt("value") <= 0 ||
        loop->operand(2)->type()->isUnsigned() || !body->terminator())
      return;
    bool writes = false;
    loop->walk([&](Operation *op) {
      writes |= op->code() == OpCode::Store || op->code() == OpCode::AtomicRMW ||
                op->code() == OpCode::AtomicCas || op->code() == OpCode::AsyncCopy;
    });
    if (writes)
      return;
    std::vector<Plan> shared, registers;
    for (auto &op : body->ops())
      if (op->code() == OpCode::Load && op->result(0)->type()->isBlock() &&
          feedsOnlyDotOperands(*op)) {
        Plan p;
        if (!plan(body, op.get(), p))
          continue;
        (fitsSharedStages(*op, target_) ? shared : registers).push_back(std::move(p));
      }
    if (!shared.empty())
      pipelineShared(loop, shared, static_cast<unsigned>(stages - 1));
    for (Plan &p : registers)
      pipelineRegisters(loop, p);
  }

private:
  /// A load to pipeline: its slice in the body, the iteration arguments (indices) the slice
  /// reads, and the slice of those arguments' next values.
  struct Plan {
    Operation *load = nullptr;
    std::vector<Operation *> slice, nextSlice;
    std::set<unsigned> args;
  };

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

  bool plan(Block *body, Operation *load, Plan &p) {
    Operation *yield = body->terminator();
    p.load = load;
    if (!sliceOf(body, {load->result(0)}, p.slice) ||
        std::count_if(p.slice.begin(), p.slice.end(),
                      [](Operation *o) { return o->code() == OpCode::Load; }) != 1)
      return false;
    for (Operation *op : p.slice)
      for (Value *o : op->operands())
        if (o->ownerBlock() == body && o->index() > 0)
          p.args.insert(o->index() - 1);
    std::vector<Value *> nextRoots;
    for (unsigned j : p.args)
      nextRoots.push_back(yield->operand(j));
    if (!sliceOf(body, nextRoots, p.nextSlice))
      return false;
    for (Operation *op : p.nextSlice)
      if (op->code() == OpCode::Load)
        return false;
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

  /// iv + k * step at the insertion point (iv itself for k = 0).
  Value *ivPlus(Value *iv, Value *step, unsigned k, SourceLoc loc) {
    if (k == 0)
      return iv;
    Value *off = step;
    if (k > 1)
      off = b_.createValue(OpCode::Mul, {step, b_.intConstant(k, step->type(), loc)}, step->type(),
                           loc);
    return b_.createValue(OpCode::Add, {iv, off}, iv->type(), loc);
  }

  /// The iteration arguments of p.args at iteration `iv` + 1 from their values `state` at `iv`
  /// (the next-value slice cloned at the insertion point).
  ValueMap advance(Block *body, const Plan &p, Value *iv, const ValueMap &state) {
    ValueMap m = state;
    m[body->argument(0)] = iv;
    cloneAll(p.nextSlice, m);
    ValueMap out;
    for (unsigned j : p.args)
      out[body->argument(1 + j)] = mapped(m, body->terminator()->operand(j));
    return out;
  }

  /// The load of p's slice cloned for iteration `iv` with the arguments at `state`, made into an
  /// async_copy into `dst` guarded by `iv < ub`.
  Value *copyAt(Block *body, const Plan &p, Value *iv, ValueMap state, Value *ub, Value *dst) {
    const SourceLoc loc = p.load->loc();
    state[body->argument(0)] = iv;
    cloneAll(p.slice, state);
    Operation *clone = state.at(p.load->result(0))->definingOp();
    AttrList lt;
    lt.set("pred", std::string("lt"));
    b_.setInsertionPoint(clone);
    guard(clone, b_.createValue(OpCode::Cmp, {iv, ub}, ctx_.i1(), loc, lt), loc);
    b_.setInsertionPoint(clone);
    std::vector<Value *> operands{dst, clone->operand(0), clone->operand(1)};
    AttrList attrs = clone->attrs();
    attrs.erase("volatile");
    Value *copy = b_.createValue(OpCode::AsyncCopy, operands, dst->type(), loc, attrs);
    copy->setName(p.load->result(0)->name());
    b_.setInsertionPointAfter(clone);
    clone->erase();
    return copy;
  }

  /// Whether plan q's arguments serve only its load: read by nothing in the body but its slice
  /// and their own next-value slice (which reads nothing else, not even the induction
  /// variable), unused after the loop, and read by no other plan.
  bool shiftable(Operation *loop, const std::vector<Plan> &plans, unsigned q) {
    Block *body = loop->region(0);
    const Plan &p = plans[q];
    std::set<const Operation *> mine(p.slice.begin(), p.slice.end());
    mine.insert(p.nextSlice.begin(), p.nextSlice.end());
    for (const Operation *op : p.nextSlice)
      for (const Value *o : op->operands())
        if (o->ownerBlock() == body &&
            (o->index() == 0 || !p.args.count(static_cast<unsigned>(o->index() - 1))))
          return false;
    for (unsigned j : p.args) {
      if (loop->result(j)->hasUses())
        return false;
      for (const Operation *u : body->argument(1 + j)->users())
        if (!mine.count(u))
          return false;
      for (unsigned r = 0; r < plans.size(); ++r)
        if (r != q && plans[r].args.count(j))
          return false;
    }
    return !p.args.empty();
  }

  void pipelineShared(Operation *loop, std::vector<Plan> &plans, unsigned D) {
    Block *body = loop->region(0);
    Operation *yield = body->terminator();
    Value *iv = body->argument(0);
    Value *lb = loop->operand(0), *ub = loop->operand(1), *step = loop->operand(2);
    const SourceLoc loc = loop->loc();
    const unsigned n = static_cast<unsigned>(plans.size());
    std::vector<const Type *> tileTy;
    for (Plan &p : plans) {
      const Type *ty = p.load->result(0)->type();
      tileTy.push_back(ty->withLayout(ctx_.shared(ty->layout()->order(), readByWgmma(*p.load))));
    }

    // Tiles to recycle per load: one, or two for wgmma tiles, so that a dot's wgmma group may
    // stay in flight into the next iteration (wgmma.wait_group 1: the copy of iteration iv
    // overwrites the tile of iv - 2, which every warpgroup has waited for before async_wait's
    // barrier).
    // (Not where the extra tiles would not fit in shared memory.)
    std::vector<unsigned> recycled(n);
    int64_t bytes = 0;
    for (unsigned q = 0; q < n; ++q) {
      recycled[q] = tileTy[q]->layout()->sharedWgmma() ? 2 : 1;
      bytes += tileTy[q]->numElements() * (tileTy[q]->bitWidth() / 8) * (recycled[q] + D);
    }
    if (bytes > static_cast<int64_t>(target_.sharedMemoryBytes))
      std::fill(recycled.begin(), recycled.end(), 1u);

    // Prologue: the tiles to recycle, then iterations lb .. lb + (D-1)*step, iteration-major.
    b_.setInsertionPoint(loop);
    std::vector<std::vector<Value *>> tiles(n); // per plan: recycled, then D in flight
    std::vector<ValueMap> state(n);
    for (unsigned q = 0; q < n; ++q) {
      for (unsigned k = 0; k < recycled[q]; ++k)
        tiles[q].push_back(b_.createValue(OpCode::LocalAlloc, {}, tileTy[q], loc));
      for (unsigned j : plans[q].args)
        state[q][body->argument(1 + j)] = loop->operand(3 + j);
    }
    for (unsigned k = 0; k < D; ++k) {
      b_.setInsertionPoint(loop);
      Value *at = ivPlus(lb, step, k, loc);
      for (unsigned q = 0; q < n; ++q) {
        if (k > 0) {
          b_.setInsertionPoint(loop);
          state[q] = advance(body, plans[q], ivPlus(lb, step, k - 1, loc), state[q]);
        }
        b_.setInsertionPoint(loop);
        Value *fresh = b_.createValue(OpCode::LocalAlloc, {}, tileTy[q], loc);
        tiles[q].push_back(copyAt(body, plans[q], at, state[q], ub, fresh));
      }
    }
    // Arguments that only feed the copies (pointers) start D iterations ahead instead of being
    // advanced D times in every iteration.
    std::vector<bool> shifted(n);
    for (unsigned q = 0; q < n; ++q) {
      if (!(shifted[q] = shiftable(loop, plans, q)))
        continue;
      b_.setInsertionPoint(loop);
      state[q] = advance(body, plans[q], ivPlus(lb, step, D - 1, loc), state[q]);
      for (unsigned j : plans[q].args)
        loop->setOperand(3 + j, state[q].at(body->argument(1 + j)));
    }

    // Body: wait for iteration iv, copy iteration iv + D*step into the oldest recycled tile.
    b_.setInsertionPointToStart(body);
    AttrList wait;
    wait.set("pending", static_cast<int64_t>((D - 1) * n));
    Operation *waitOp = b_.create(OpCode::AsyncWait, {}, {}, wait, loc);
    Operation *topWait = waitOp;
    std::vector<Value *> prev(n), cur(n), next(n);
    for (unsigned q = 0; q < n; ++q) {
      prev[q] = body->addArgument(tileTy[q], "prev");
      for (unsigned k = 1; k < recycled[q]; ++k)
        body->addArgument(tileTy[q], "prev");
      for (unsigned k = 0; k < D; ++k) {
        Value *arg = body->addArgument(tileTy[q], plans[q].load->result(0)->name());
        if (k == 0)
          cur[q] = arg;
      }
    }
    for (unsigned q = 0; q < n; ++q) {
      b_.setInsertionPointAfter(waitOp);
      ValueMap st;
      for (unsigned j : plans[q].args)
        st[body->argument(1 + j)] = body->argument(1 + j);
      for (unsigned k = 0; k < D && !shifted[q]; ++k)
        st = advance(body, plans[q], ivPlus(iv, step, k, loc), st);
      Value *at = ivPlus(iv, step, D, loc);
      next[q] = copyAt(body, plans[q], at, st, ub, prev[q]);
      waitOp = next[q]->definingOp();
    }
    // Readers: each conversion becomes a local_load of this iteration's tile.
    std::set<const Value *> twoRecycled;
    for (unsigned q = 0; q < n; ++q) {
      std::vector<Operation *> users = plans[q].load->result(0)->users();
      for (Operation *u : users) {
        b_.setInsertionPoint(u);
        Value *ld = b_.createValue(OpCode::LocalLoad, {cur[q]}, u->result(0)->type(), u->loc());
        ld->setName(u->result(0)->name());
        if (recycled[q] == 2)
          twoRecycled.insert(ld);
        u->result(0)->replaceAllUsesWith(ld);
        u->erase();
      }
      // Gone now rather than at `dce`: with shifted arguments it would read ahead of its mask.
      plans[q].load->erase();
    }
    // A dot whose operands are both such tiles may leave its wgmma group in flight.
    for (auto &op : body->ops())
      if (op->code() == OpCode::Dot && twoRecycled.count(op->operand(0)) &&
          twoRecycled.count(op->operand(1)))
        op->attrs().set(kWgmmaPendingAttr, int64_t{1});
    // Rotate: recycled <- the younger recycled, iv's tile, then iv + step ... , the new copy
    // last.
    unsigned first = body->numArguments();
    for (unsigned q = 0; q < n; ++q)
      first -= recycled[q] + D;
    for (unsigned q = 0; q < n; ++q) {
      const unsigned count = recycled[q] + D;
      for (unsigned k = 0; k < count; ++k) {
        loop->addOperand(tiles[q][k]);
        loop->addResult(tileTy[q]);
        yield->addOperand(k + 1 < count ? body->argument(first + 1 + k) : next[q]);
      }
      first += count;
    }
    // mma.sync tiles: the wait moves to the end of the body (and before the loop for the first
    // iteration), so that the next iteration's tiles are ready before the back edge and codegen
    // can load the first K step of the next iteration's operands there (LowerSharedTile.cpp).
    // wgmma tiles keep it at the top.
    bool wgmma = false;
    for (const Type *t : tileTy)
      wgmma |= t->layout()->sharedWgmma();
    if (!wgmma) {
      topWait->moveBefore(yield);
      b_.setInsertionPoint(loop);
      b_.create(OpCode::AsyncWait, {}, {}, wait, loc);
    }
    b_.setInsertionPointAfter(loop);
    AttrList drain;
    drain.set("pending", int64_t{0});
    b_.create(OpCode::AsyncWait, {}, {}, drain, loc);
  }

  void pipelineRegisters(Operation *loop, Plan &p) {
    Block *body = loop->region(0);
    Operation *yield = body->terminator();
    Operation *load = p.load;
    Value *iv = body->argument(0);
    Value *lb = loop->operand(0), *ub = loop->operand(1), *step = loop->operand(2);
    const SourceLoc loc = load->loc();

    // Prologue: iteration lb from the initial values.
    b_.setInsertionPoint(loop);
    ValueMap pro;
    pro[iv] = lb;
    for (unsigned j : p.args)
      pro[body->argument(1 + j)] = loop->operand(3 + j);
    AttrList lt;
    lt.set("pred", std::string("lt"));
    Value *first = b_.createValue(OpCode::Cmp, {lb, ub}, ctx_.i1(), loc, lt);
    cloneAll(p.slice, pro);
    Operation *proLoad = pro.at(load->result(0))->definingOp();
    guard(proLoad, first, loc);

    // Body top: iteration iv + step from the values this iteration yields.
    b_.setInsertionPointToStart(body);
    Value *ivNext = b_.createValue(OpCode::Add, {iv, step}, iv->type(), loc);
    Value *more = b_.createValue(OpCode::Cmp, {ivNext, ub}, ctx_.i1(), loc, lt);
    ValueMap next;
    cloneAll(p.nextSlice, next); // the next values, from the current arguments
    ValueMap sub;
    sub[iv] = ivNext;
    for (unsigned j : p.args)
      sub[body->argument(1 + j)] = mapped(next, yield->operand(j));
    cloneAll(p.slice, sub);
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
  const TargetInfo &target_;
};

} // namespace

bool softwarePipelinePass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions()) {
    std::vector<Operation *> loops;
    f->walk([&](Operation *op) {
      if (op->code() == OpCode::For)
        loops.push_back(op);
    });
    Pipeliner p(module.context(), ctx.target);
    for (Operation *loop : loops) {
      const int64_t stages = loop->attrs().getInt("num_stages", f->numStages);
      if (stages >= 2)
        p.run(loop, std::min<int64_t>(stages, 8));
    }
  }
  return true;
}

} // namespace tritonc
