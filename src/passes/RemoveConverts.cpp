// remove-converts: clean-up of `convert_layout` ops after layout assignment.
//
// Rules, applied until nothing changes:
//   convert(x) where x already has the result's layout     -> x
//   convert(convert(x))                                     -> convert(x) (or x)
//   convert(x) where x is computed by a small chain of cheap ops (constant, splat, arange,
//   integer/pointer arithmetic, cmp, select, cast, broadcast, expand_dims) from scalars and
//   from values already in the right layout                -> the chain recomputed in the
//                                                              result layout (at most
//                                                              kMaxRematOps ops: a few
//                                                              integer ops cost less than a
//                                                              round trip through shared
//                                                              memory, as in Triton's
//                                                              RemoveLayoutConversions)
//   for loop argument read only through convert(x) to X, yield convert(y) from X
//                                                           -> carried in X (one conversion
//                                                              before and one after the loop)
// Converts left without users are erased; the original chain is left for `dce`.
// Expects: GPU IR. Leaves: GPU IR with no identity or chained conversion.
//
//   before: %r = arange : tensor<64xi32, #L1>   %c = convert_layout %r : tensor<64xi32, #L0>
//   after:  %c = arange : tensor<64xi32, #L0>
#include "passes/RemoveConverts.h"

#include "ir/Builder.h"

#include <map>
#include <set>

namespace tritonc {

namespace {

// A 2-D tile's bounds mask from a program id, `(offs_m < M) & (offs_n < N)`, is 12 ops.
constexpr int kMaxRematOps = 16;

/// Ops worth recomputing in another layout instead of converting their result.
bool isCheap(const Operation &op) {
  // Integer binary arithmetic is cheap to repeat, but not umulhi (a double-width multiply); float
  // math may be costly or inexact to repeat.
  if (isBinaryOp(op.code()))
    return op.code() != OpCode::UMulHi && op.result(0)->type()->isInt();
  switch (op.code()) {
  case OpCode::Constant:
  case OpCode::Splat:
  case OpCode::MakeRange:
  case OpCode::Broadcast:
  case OpCode::ExpandDims:
  case OpCode::ConvertLayout:
  case OpCode::Cmp:
  case OpCode::Select:
  case OpCode::Cast:
  case OpCode::AddPtr:
    return true;
  default:
    return false;
  }
}

/// The layout operand i of a recomputed `op` must have for the result to have `target`.
const Layout *operandLayout(Context &ctx, const Operation &op, unsigned i, const Layout *target) {
  if (!op.operand(i)->type()->isBlock())
    return nullptr;
  if (op.code() == OpCode::ExpandDims)
    return ctx.slice(static_cast<unsigned>(op.attrs().getInt("axis")), target);
  return target; // elementwise, broadcast and convert keep the layout
}

class Rematerializer {
public:
  explicit Rematerializer(Context &ctx) : ctx_(ctx), b_(ctx) {}

  /// `v` recomputed in layout `l`, or nullptr if that takes more than kMaxRematOps cheap ops.
  Value *run(Value *v, const Layout *l, Operation *insertAfter) {
    int budget = kMaxRematOps;
    std::set<std::pair<const Value *, const Layout *>> seen;
    if (!feasible(v, l, budget, seen))
      return nullptr;
    b_.setInsertionPointAfter(insertAfter);
    memo_.clear();
    return clone(v, l);
  }

private:
  Context &ctx_;
  Builder b_;
  std::map<std::pair<const Value *, const Layout *>, Value *> memo_;

  bool feasible(const Value *v, const Layout *l, int &budget,
                std::set<std::pair<const Value *, const Layout *>> &seen) {
    if (!v->type()->isBlock() || v->type()->layout() == l)
      return true;
    if (!seen.insert({v, l}).second)
      return true; // shared sub-chain: cloned once
    const Operation *def = v->definingOp();
    if (!def || def->numResults() != 1 || def->numRegions() != 0 || !isCheap(*def))
      return false;
    if (def->code() != OpCode::ConvertLayout && --budget < 0)
      return false;
    for (unsigned i = 0; i < def->numOperands(); ++i)
      if (!feasible(def->operand(i), operandLayout(ctx_, *def, i, l), budget, seen))
        return false;
    return true;
  }

  Value *clone(Value *v, const Layout *l) {
    if (!v->type()->isBlock() || v->type()->layout() == l)
      return v;
    auto key = std::make_pair(static_cast<const Value *>(v), l);
    if (auto it = memo_.find(key); it != memo_.end())
      return it->second;
    Operation *def = v->definingOp();
    Value *out;
    if (def->code() == OpCode::ConvertLayout) {
      out = clone(def->operand(0), l);
    } else {
      std::vector<Value *> operands;
      for (unsigned i = 0; i < def->numOperands(); ++i)
        operands.push_back(clone(def->operand(i), operandLayout(ctx_, *def, i, l)));
      out = b_.create(def->code(), operands, {v->type()->withLayout(l)}, def->attrs(), def->loc())
                ->result();
      out->setName(v->name());
    }
    memo_[key] = out;
    return out;
  }
};

void eraseIfDead(Operation *op) {
  if (!op || !op->isPure() || op->numRegions() != 0)
    return;
  for (Value *r : op->results())
    if (r->hasUses())
      return;
  op->erase();
}

/// One rewrite of `cvt`; true if it changed the IR (cvt may be gone).
bool simplify(Operation *cvt, Rematerializer &remat) {
  Value *src = cvt->operand(0);
  Value *res = cvt->result(0);
  if (src->type() == res->type()) {
    res->replaceAllUsesWith(src);
    cvt->erase();
    return true;
  }
  Operation *def = src->definingOp();
  if (!def)
    return false;
  if (def->code() == OpCode::ConvertLayout) {
    cvt->setOperand(0, def->operand(0));
    eraseIfDead(def);
    return true;
  }
  // Recompute right after the source: everything the chain uses dominates that point, and so
  // does the result, for every use of the convert.
  if (Value *v = remat.run(src, res->type()->layout(), def)) {
    res->replaceAllUsesWith(v);
    cvt->erase();
    return true;
  }
  return false;
}

/// A for loop's iteration argument i that the body only reads through conversions to one
/// layout X and whose yielded value is a conversion from X is carried in X instead: the
/// conversions inside the loop go, one before the loop (of the initial value) and one after it
/// (of the result, for users outside) take their place. True if it changed the IR.
bool carryConvertedLayout(Operation *loop, unsigned i, Builder &b) {
  Block *body = loop->region(0);
  Value *arg = body->argument(1 + i);
  Operation *yield = body->terminator();
  if (!arg->type()->isBlock() || !yield || i >= yield->numOperands() ||
      3 + i >= loop->numOperands())
    return false;
  Operation *back = yield->operand(i)->definingOp();
  if (!back || back->code() != OpCode::ConvertLayout)
    return false;
  const Type *newTy = back->operand(0)->type(), *oldTy = arg->type();
  if (newTy == oldTy)
    return false;
  std::vector<Operation *> readers = arg->users();
  for (Operation *u : readers)
    if (u->code() != OpCode::ConvertLayout || u->result(0)->type() != newTy)
      return false;
  arg->setType(newTy);
  for (Operation *u : readers) {
    u->result(0)->replaceAllUsesWith(arg);
    u->erase();
  }
  yield->setOperand(i, back->operand(0));
  eraseIfDead(back);
  b.setInsertionPoint(loop);
  loop->setOperand(
      3 + i, b.createValue(OpCode::ConvertLayout, {loop->operand(3 + i)}, newTy, loop->loc()));
  Value *out = loop->result(i);
  std::vector<Operation *> outside = out->users();
  out->setType(newTy);
  b.setInsertionPointAfter(loop);
  Value *outOld = b.createValue(OpCode::ConvertLayout, {out}, oldTy, loop->loc());
  for (Operation *u : outside)
    for (unsigned k = 0; k < u->numOperands(); ++k)
      if (u->operand(k) == out)
        u->setOperand(k, outOld);
  return true;
}

} // namespace

bool removeConvertsPass(Module &module, PassContext &ctx) {
  Rematerializer remat(module.context());
  for (auto &f : module.functions()) {
    for (bool changed = true; changed;) {
      changed = false;
      std::vector<Operation *> converts;
      f->walk([&](Operation *op) {
        if (op->code() == OpCode::ConvertLayout)
          converts.push_back(op);
      });
      // A rewrite erases only the convert it works on and that convert's source, which is
      // earlier in program order and so already visited: later entries stay valid.
      for (Operation *cvt : converts)
        changed |= simplify(cvt, remat);
      // Converts nobody reads (left behind by folding) go too.
      std::vector<Operation *> dead;
      f->walk([&](Operation *op) {
        if (op->code() == OpCode::ConvertLayout && !op->result(0)->hasUses())
          dead.push_back(op);
      });
      for (Operation *op : dead)
        op->erase();
      changed |= !dead.empty();
      // Loop-carried values converted on every iteration are carried converted.
      std::vector<Operation *> loops;
      f->walk([&](Operation *op) {
        if (op->code() == OpCode::For)
          loops.push_back(op);
      });
      Builder b(module.context());
      for (Operation *loop : loops)
        for (unsigned i = 0; i < loop->numResults(); ++i)
          changed |= carryConvertedLayout(loop, i, b);
    }
  }
  return true;
}

} // namespace tritonc
