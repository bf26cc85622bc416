// coalesce: layout assignment — Tile IR in, GPU IR out.
//
// 1. Anchors (Triton's Coalesce pass). For every load, store and atomic on a pointer block,
//    from the axis info of the pointer:
//      order          = dims sorted by decreasing contiguity (ties: the later dim first);
//      per thread     = min(contiguity, divisibility / element bytes, 16 bytes / element bytes)
//                       along order[0] — maximized over the memory ops of the same shape and
//                       order connected to this one through def-use chains (Triton's
//                       multiRootGetSlice), then capped at elements / threads so no thread
//                       idles, and for non-loads capped again at its own value (a store wider
//                       than 16 bytes per thread leaves gaps in each warp's write);
//      layout         = blockedLayoutFor(shape, [1.. per thread at order[0] ..1], order).
//    The memory op gets attribute `vec`: the elements of one vector access (AxisInfo.h,
//    memoryVectorWidth: also bounded by the mask's constancy).
// 2. Propagation. Every block value is a node; ops relate their values' layouts:
//      equal      elementwise ops (all block operands and the result), memory ops (pointer,
//                 mask, other, value, result), broadcast, scan, dot accumulator/result,
//                 the two operands of cat and join and cat's result, the two results of
//                 split, gather's index and result,
//                 for/if/while inits, region arguments, yields and results;
//      slice      expand_dims operand = slice(axis, result); reduce result = slice(axis,
//                 operand) — each derivable only from the result (resp. operand) side unless
//                 the other side is already a slice of that axis;
//      permute    trans (Blocked layouts only);
//      shape      join result = the operands' layout with the new minor dim in registers, split
//                 the inverse; reshape result = a Blocked layout in which each thread holds the
//                 elements it held of the operand (when one exists: reshapeBlocked). Each makes
//                 the op a renumbering of registers in codegen.
//    A for result and its iteration argument (a while result and its "after" argument, the two
//    results of split) must have the same type, so they are one node. Layouts spread
//    breadth-first: first from the anchors (each anchor claims its memory op's result and those
//    operands nobody claimed before, in program order), then from Triton's default layout
//    placed on the highest-rank unreached value, until every node has one. A node keeps the
//    first layout that reaches it.
// 3. Rewrite. Every block value takes its node's layout. Where an op needs an operand in
//    another layout than the value has, a convert_layout is inserted right after the value's
//    definition (one per value and layout, so it dominates every use and stays out of loops the
//    value is defined outside of); where an op produces a layout other than its result's
//    (reduce, trans), a convert_layout follows the op. Ops without a hard layout relation
//    (reshape, cat, join, split, gather, histogram, dot's a and b, print, assert) take operands
//    as they are (cat and join only need their two operands alike, gather its index in the
//    result's layout): codegen handles any layout there, through shared memory if it must.
// Dots with an mma.sync form on the target (mmaLayoutForDot) are anchors too: their result and
// accumulator take the #mma layout, seeded before the memory ops so that it wins ties, and their
// operands are converted to the matching #dot_op layouts.
// Expects: Tile IR. Leaves: GPU IR (every block type has a layout), loads/stores with `vec`.
//
//   before: %v = load %p, %m : tensor<1024xf32>          (%p: 16-byte aligned and contiguous)
//   after:  %v = load %p, %m {vec = 4} : tensor<1024xf32, #blocked0>
//           with #blocked0 = #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>
#include "passes/Coalesce.h"

#include "ir/Builder.h"
#include "ir/MemoryAttrs.h"
#include "layout/LayoutUtils.h"
#include "passes/AxisInfo.h"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <unordered_map>

namespace tritonc {

namespace {

/// A memory op on a block of pointers (the ops that get a coalesced layout).
bool isBlockMemoryOp(const Operation &op) {
  return isMemoryOp(op.code()) && op.numOperands() > 0 && op.operand(0)->type()->isBlock();
}

/// The mask operand of a memory op, if it has one.
const Value *maskOf(const Operation &op) {
  switch (op.code()) {
  case OpCode::Load:
    return op.numOperands() >= 2 ? op.operand(1) : nullptr;
  case OpCode::Store:
  case OpCode::AtomicRMW:
    return op.numOperands() >= 3 ? op.operand(2) : nullptr;
  default:
    return nullptr;
  }
}

/// Dims by decreasing contiguity. Ties go to the later dim, as in Triton: with nothing known
/// (e.g. a run-time inner stride), row-major order makes a warp's accesses contiguous whenever
/// that stride turns out to be 1, the common case.
std::vector<unsigned> argSortDesc(const std::vector<int64_t> &v) {
  std::vector<unsigned> idx(v.size());
  std::iota(idx.rbegin(), idx.rend(), 0u);
  std::stable_sort(idx.begin(), idx.end(), [&](unsigned a, unsigned b) { return v[a] > v[b]; });
  return idx;
}

/// Union-find over small integer ids.
class UnionFind {
public:
  unsigned add() {
    parent_.push_back(static_cast<unsigned>(parent_.size()));
    return parent_.back();
  }
  unsigned find(unsigned x) {
    while (parent_[x] != x)
      x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void unite(unsigned a, unsigned b) { parent_[find(a)] = find(b); }

private:
  std::vector<unsigned> parent_;
};

struct Transfer {
  enum Kind { Equal, ToSlice, FromSlice, Permute, InvPermute, Join, Split, Reshape } kind = Equal;
  unsigned axis = 0;
  std::vector<int64_t> order;
  std::vector<int64_t> from, to; ///< Reshape: the shapes
};

class LayoutAssigner {
public:
  LayoutAssigner(Function &f, const TargetInfo &target)
      : f_(f), ctx_(f.context()), target_(target), numWarps_(std::max(1u, f.numWarps)),
        warpSize_(std::max(1u, target.warpSize)), maxBytes_(std::max(1u, target.maxLoadStoreBytes)),
        axis_(f) {}

  void run() {
    collectNodes();
    chooseAnchors();
    collectConstraints();
    propagate();
    rewrite();
  }

private:
  Function &f_;
  Context &ctx_;
  const TargetInfo &target_;
  unsigned numWarps_, warpSize_, maxBytes_;
  AxisInfoAnalysis axis_;

  // ---- nodes: block-typed values; hard-equal values share a representative
  std::vector<Value *> values_;
  std::unordered_map<const Value *, unsigned> nodeOf_;
  UnionFind nodes_;
  std::vector<std::pair<unsigned, std::pair<unsigned, Transfer>>> rawEdges_; // from, (to, t)
  std::vector<std::vector<std::pair<unsigned, Transfer>>> edges_;            // per representative
  std::vector<const Layout *> layout_;                                       // per representative
  std::deque<unsigned> queue_, dotQueue_;

  std::vector<Operation *> memOps_;
  std::unordered_map<const Operation *, const Layout *> anchor_;
  std::unordered_map<const Operation *, const Layout *> reduceLayout_; // the operands' layout
  std::vector<std::pair<Operation *, const Layout *>> dotMma_;         // dots on tensor cores

  // ------------------------------------------------------------------------------------------
  void addNode(Value *v) {
    if (!v->type()->isBlock() || nodeOf_.count(v))
      return;
    nodeOf_[v] = nodes_.add();
    values_.push_back(v);
  }

  void collectNodes() {
    for (Value *a : f_.body()->arguments())
      addNode(a);
    f_.walk([&](Operation *op) {
      for (Value *r : op->results())
        addNode(r);
      for (unsigned i = 0; i < op->numRegions(); ++i)
        for (Value *a : op->region(i)->arguments())
          addNode(a);
      if (isBlockMemoryOp(*op))
        memOps_.push_back(op);
    });
  }

  bool isNode(const Value *v) const { return nodeOf_.count(v) > 0; }
  unsigned rep(const Value *v) { return nodes_.find(nodeOf_.at(v)); }
  const Layout *layoutOf(const Value *v) { return layout_[rep(v)]; }

  // ------------------------------------------------------------------------------------------
  // 1. Anchors

  unsigned elementsPerThread(const Operation &op, const std::vector<unsigned> &order) const {
    const Value *ptr = op.operand(0);
    AxisInfo info = axis_.get(ptr);
    const std::vector<int64_t> &shape = ptr->type()->shape();
    unsigned d = order[0];
    int64_t bytes = pointeeBytes(ptr->type());
    int64_t maxMultiple = std::max<int64_t>(info.divisibility[d] / bytes, 1);
    int64_t maxContig = std::min(info.contiguity[d], shape[d]);
    int64_t alignment = std::min(maxMultiple, maxContig);
    return static_cast<unsigned>(std::max<int64_t>(
        1, std::min<int64_t>(alignment, std::max<int64_t>(1, maxBytes_ / bytes))));
  }

  std::vector<unsigned> orderOf(const Operation &op) const {
    return argSortDesc(axis_.get(op.operand(0)).contiguity);
  }

  /// Components of the def-use graph over ops (Triton's multiRootGetSlice: everything
  /// reachable by following operands and users, with region arguments tied to their op).
  std::unordered_map<const Operation *, unsigned> opComponents() {
    std::unordered_map<const Operation *, unsigned> id;
    UnionFind uf;
    f_.walk([&](Operation *op) { id[op] = uf.add(); });
    f_.walk([&](Operation *op) {
      for (Value *v : op->operands()) {
        const Operation *other = v->definingOp();
        if (!other && v->ownerBlock())
          other = v->ownerBlock()->parentOp();
        if (other)
          uf.unite(id[op], id[other]);
      }
    });
    for (auto &[op, i] : id)
      i = uf.find(i);
    return id;
  }

  void chooseAnchors() {
    f_.walk([&](Operation *op) {
      if (op->code() == OpCode::Dot)
        if (const Layout *l = mmaLayoutForDot(ctx_, *op, target_, numWarps_))
          dotMma_.push_back({op, l});
    });
    if (memOps_.empty())
      return;
    auto component = opComponents();
    for (Operation *op : memOps_) {
      const Type *ptrTy = op->operand(0)->type();
      const std::vector<int64_t> &shape = ptrTy->shape();
      std::vector<unsigned> order = orderOf(*op);
      unsigned perThread = elementsPerThread(*op, order);
      for (Operation *other : memOps_) {
        if (other == op || component[other] != component[op] ||
            other->operand(0)->type()->shape() != shape || orderOf(*other) != order)
          continue;
        perThread = std::max(perThread, elementsPerThread(*other, order));
      }
      int64_t numElems = ptrTy->numElements();
      int64_t numThreads = int64_t(numWarps_) * warpSize_;
      perThread = static_cast<unsigned>(
          std::min<int64_t>(perThread, std::max<int64_t>(numElems / numThreads, 1)));
      if (op->code() != OpCode::Load)
        perThread = std::min(perThread, elementsPerThread(*op, order));
      std::vector<unsigned> spt(shape.size(), 1);
      spt[order[0]] = perThread;
      const Layout *l = blockedLayoutFor(ctx_, shape, spt, order, numWarps_, warpSize_);
      anchor_[op] = l;

      const Value *mask = maskOf(*op);
      AxisInfo maskInfo = mask ? axis_.get(mask) : AxisInfo();
      unsigned vec = memoryVectorWidth(axis_.get(op->operand(0)), mask ? &maskInfo : nullptr, l,
                                       shape, pointeeBytes(ptrTy), maxBytes_);
      setVectorWidth(*op, vec);
      if (mask) {
        unsigned unmasked = memoryVectorWidth(axis_.get(op->operand(0)), nullptr, l, shape,
                                              pointeeBytes(ptrTy), maxBytes_);
        if (unmasked > vec)
          setUnmaskedVectorWidth(*op, unmasked);
      }
    }
    // Scalar memory ops access one element.
    f_.walk([&](Operation *op) {
      if (isMemoryOp(op->code()) && !isBlockMemoryOp(*op))
        setVectorWidth(*op, 1);
    });
  }

  // ------------------------------------------------------------------------------------------
  // 2. Constraints and propagation

  void edge(const Value *a, const Value *b, Transfer ab, Transfer ba) {
    if (!isNode(a) || !isNode(b))
      return;
    rawEdges_.push_back({nodeOf_.at(a), {nodeOf_.at(b), std::move(ab)}});
    rawEdges_.push_back({nodeOf_.at(b), {nodeOf_.at(a), std::move(ba)}});
  }
  void equal(const Value *a, const Value *b) { edge(a, b, {}, {}); }
  void hardEqual(const Value *a, const Value *b) {
    if (isNode(a) && isNode(b))
      nodes_.unite(nodeOf_.at(a), nodeOf_.at(b));
  }

  void collectConstraints() {
    f_.walk([&](Operation *op) { constrain(*op); });
    edges_.assign(values_.size(), {});
    layout_.assign(values_.size(), nullptr);
    for (auto &[from, to] : rawEdges_)
      edges_[nodes_.find(from)].push_back({nodes_.find(to.first), to.second});
  }

  void constrain(Operation &op) {
    if (isBlockMemoryOp(op)) {
      const Value *ptr = op.operand(0);
      // A mask shared with a dot's epilogue is not tied (sharedMask): the memory op then
      // converts it (remove-converts recomputes such cheap chains in place).
      for (unsigned i = 1; i < op.numOperands(); ++i)
        if (!sharedMask(op, op.operand(i)))
          equal(ptr, op.operand(i));
      for (Value *r : op.results())
        equal(ptr, r);
      return;
    }
    switch (op.code()) {
    case OpCode::Broadcast:
      equal(op.operand(0), op.result(0));
      return;
    case OpCode::ExpandDims: {
      Transfer toSlice{
          Transfer::ToSlice, static_cast<unsigned>(op.attrs().getInt("axis")), {}, {}, {}};
      Transfer fromSlice{Transfer::FromSlice, toSlice.axis, {}, {}, {}};
      edge(op.result(0), op.operand(0), toSlice, fromSlice);
      return;
    }
    case OpCode::Reduce: {
      Transfer toSlice{
          Transfer::ToSlice, static_cast<unsigned>(op.attrs().getInt("axis")), {}, {}, {}};
      Transfer fromSlice{Transfer::FromSlice, toSlice.axis, {}, {}, {}};
      for (unsigned i = 1; i < op.numOperands(); ++i)
        equal(op.operand(0), op.operand(i));
      for (unsigned i = 0; i < op.numResults() && i < op.numOperands(); ++i)
        edge(op.operand(i), op.result(i), toSlice, fromSlice);
      return;
    }
    case OpCode::Scan:
      for (unsigned i = 1; i < op.numOperands(); ++i)
        equal(op.operand(0), op.operand(i));
      for (Value *r : op.results())
        if (op.numOperands() > 0)
          equal(op.operand(0), r);
      return;
    case OpCode::Trans: {
      std::vector<int64_t> order = op.attrs().getInts("order");
      edge(op.operand(0), op.result(0), {Transfer::Permute, 0, order, {}, {}},
           {Transfer::InvPermute, 0, order, {}, {}});
      return;
    }
    case OpCode::Dot:
      if (op.numOperands() == 3)
        equal(op.operand(2), op.result(0));
      return;
    case OpCode::Cat:
      // Both operands have one type (layout included). The result in the same Blocked layout
      // holds the second operand's rows in one more register (the top bit of dim 0) when the
      // layout does not replicate along dim 0: the cat is then a register renumbering.
      if (op.numOperands() == 2) {
        equal(op.operand(0), op.operand(1));
        equal(op.operand(0), op.result(0));
      }
      return;
    case OpCode::Join:
      if (op.numOperands() == 2) {
        equal(op.operand(0), op.operand(1));
        edge(op.operand(0), op.result(0), {Transfer::Join, 0, {}, {}, {}},
             {Transfer::Split, 0, {}, {}, {}});
      }
      return;
    case OpCode::Split:
      if (op.numResults() == 2) {
        hardEqual(op.result(0), op.result(1)); // both results have one type
        edge(op.operand(0), op.result(0), {Transfer::Split, 0, {}, {}, {}},
             {Transfer::Join, 0, {}, {}, {}});
      }
      return;
    case OpCode::Gather:
      if (op.numOperands() == 2)
        equal(op.operand(1), op.result(0));
      return;
    case OpCode::Reshape: {
      const std::vector<int64_t> &from = op.operand(0)->type()->shape(),
                                 &to = op.result(0)->type()->shape();
      edge(op.operand(0), op.result(0), {Transfer::Reshape, 0, {}, from, to},
           {Transfer::Reshape, 0, {}, to, from});
      return;
    }
    case OpCode::For: {
      Block *body = op.region(0);
      for (unsigned i = 0; i < op.numResults(); ++i) {
        if (1 + i >= body->numArguments() || 3 + i >= op.numOperands())
          break;
        hardEqual(body->argument(1 + i), op.result(i));
        equal(op.operand(3 + i), body->argument(1 + i));
        if (Operation *y = body->terminator(); y && i < y->numOperands())
          equal(y->operand(i), body->argument(1 + i));
      }
      return;
    }
    case OpCode::If:
      for (unsigned r = 0; r < op.numRegions(); ++r)
        if (Operation *y = op.region(r)->terminator())
          for (unsigned i = 0; i < op.numResults() && i < y->numOperands(); ++i)
            equal(y->operand(i), op.result(i));
      return;
    case OpCode::While: {
      if (op.numRegions() != 2)
        return;
      Block *before = op.region(0), *after = op.region(1);
      for (unsigned i = 0; i < op.numOperands() && i < before->numArguments(); ++i) {
        equal(op.operand(i), before->argument(i));
        if (Operation *y = after->terminator(); y && i < y->numOperands())
          equal(y->operand(i), before->argument(i));
      }
      Operation *cond = before->terminator();
      for (unsigned j = 0; j < after->numArguments(); ++j) {
        if (j < op.numResults())
          hardEqual(after->argument(j), op.result(j));
        if (cond && 1 + j < cond->numOperands())
          equal(cond->operand(1 + j), after->argument(j));
      }
      return;
    }
    default:
      break;
    }
    if (op.hasTrait(optrait::Elementwise) && op.numResults() == 1 &&
        op.result(0)->type()->isBlock())
      for (Value *v : op.operands())
        equal(v, op.result(0));
  }

  const Layout *apply(const Transfer &t, const Layout *l) {
    switch (t.kind) {
    case Transfer::Equal:
      return l;
    case Transfer::ToSlice:
      return t.axis < l->rank() ? ctx_.slice(t.axis, l) : nullptr;
    case Transfer::FromSlice:
      return l->isSlice() && l->sliceDim() == t.axis ? l->parent() : nullptr;
    case Transfer::Permute:
      return permuteBlocked(ctx_, l, t.order);
    case Transfer::InvPermute:
      return inversePermuteBlocked(ctx_, l, t.order);
    case Transfer::Join:
      return joinBlocked(ctx_, l);
    case Transfer::Split:
      return splitBlocked(ctx_, l);
    case Transfer::Reshape:
      return reshapeBlocked(ctx_, l, t.from, t.to);
    }
    return nullptr;
  }

  /// `fromDot`: the layout comes from a tensor-core dot; such layouts spread first.
  void assign(unsigned r, const Layout *l, bool fromDot = false) {
    r = nodes_.find(r);
    if (layout_[r] || !l || l->rank() != values_[r]->type()->rank())
      return;
    layout_[r] = l;
    (fromDot ? dotQueue_ : queue_).push_back(r);
  }

  /// Whether `v` is `op`'s mask, tensor-core dots exist, and something other than a memory op
  /// reads it too: such a mask (shared after cse with a dot's epilogue, as attention's key mask
  /// with its score mask) is not tied to the memory op's layout.
  bool sharedMask(const Operation &op, const Value *v) const {
    if (dotMma_.empty() || v != maskOf(op))
      return false;
    for (const Operation *u : v->users())
      if (!isBlockMemoryOp(*u))
        return true;
    return false;
  }

  /// With tensor-core dots (whose layouts spread first), a memory op's pointer computation
  /// keeps the memory op's layout back through addptr, broadcast and elementwise ops, so that
  /// index arithmetic shared (after cse) with a dot's epilogue does not drag the pointers into
  /// the #mma layout.
  void claimPointerChain(Value *v, const Layout *l, unsigned depth) {
    if (!isNode(v) || depth > 16)
      return;
    assign(rep(v), l);
    if (layout_[rep(v)] != l)
      return;
    Operation *def = v->definingOp();
    if (!def || def->numResults() != 1 ||
        !(def->code() == OpCode::Broadcast || def->hasTrait(optrait::Elementwise)))
      return;
    for (Value *o : def->operands())
      if (o->type()->isBlock() && o->type()->shape() == v->type()->shape())
        claimPointerChain(o, l, depth + 1);
      else if (def->code() == OpCode::Broadcast)
        claimPointerChain(o, l, depth + 1);
  }

  void drain() {
    while (!queue_.empty() || !dotQueue_.empty()) {
      const bool fromDot = !dotQueue_.empty();
      std::deque<unsigned> &q = fromDot ? dotQueue_ : queue_;
      unsigned r = q.front();
      q.pop_front();
      for (auto &[to, t] : edges_[r])
        if (!layout_[to])
          assign(to, apply(t, layout_[r]), fromDot);
    }
  }

  void propagate() {
    // Dots on tensor cores first: their #mma layout then wins the ties, so that a loop-carried
    // accumulator and the elementwise work on a dot's result (attention's softmax) stay in it.
    // The memory ops still claim their own operands and result first (not a mask shared with
    // a dot's epilogue), then the dots' layouts spread before theirs.
    for (auto &[op, l] : dotMma_) {
      if (isNode(op->result(0)))
        assign(rep(op->result(0)), l, true);
      // A constant accumulator is left to propagation (one zero block may feed several dots).
      const Operation *accDef = op->operand(2)->definingOp();
      if (isNode(op->operand(2)) && !(accDef && accDef->code() == OpCode::Constant))
        assign(rep(op->operand(2)), l, true);
    }
    for (Operation *op : memOps_) {
      const Layout *l = anchor_.at(op);
      if (!dotMma_.empty())
        claimPointerChain(op->operand(0), l, 0);
      for (Value *r : op->results())
        if (isNode(r))
          assign(rep(r), l);
      for (Value *v : op->operands())
        if (isNode(v) && (!sharedMask(*op, v)))
          assign(rep(v), l);
    }
    drain();
    // Values no memory op reaches: Triton's default layout, highest rank first (a slice can be
    // derived from a higher-rank layout, never the other way round).
    std::vector<unsigned> pending;
    for (unsigned n = 0; n < values_.size(); ++n)
      if (nodes_.find(n) == n && !layout_[n])
        pending.push_back(n);
    std::stable_sort(pending.begin(), pending.end(), [&](unsigned a, unsigned b) {
      return values_[a]->type()->rank() > values_[b]->type()->rank();
    });
    for (unsigned n : pending) {
      if (layout_[n])
        continue;
      assign(n, defaultLayout(values_[n]->type()->shape()));
      drain();
    }
  }

  const Layout *defaultLayout(const std::vector<int64_t> &shape) {
    return defaultBlockedLayout(ctx_, shape, numWarps_, warpSize_);
  }

  // ------------------------------------------------------------------------------------------
  // 3. Rewrite

  std::map<std::pair<const Value *, const Layout *>, Value *> converted_;
  Builder builder_{ctx_};

  /// `v` in layout `l`: v itself, or a convert_layout placed right after v's definition.
  Value *inLayout(Value *v, const Layout *l) {
    if (!l || v->type()->layout() == l)
      return v;
    auto key = std::make_pair(static_cast<const Value *>(v), l);
    if (auto it = converted_.find(key); it != converted_.end())
      return it->second;
    if (Operation *def = v->definingOp())
      builder_.setInsertionPointAfter(def);
    else
      builder_.setInsertionPointToStart(v->ownerBlock());
    SourceLoc loc = v->definingOp() ? v->definingOp()->loc() : SourceLoc{};
    Value *c = builder_.createValue(OpCode::ConvertLayout, {v}, v->type()->withLayout(l), loc);
    c->setName(v->name());
    converted_[key] = c;
    return c;
  }

  /// Makes `op` produce `produced` for result i, followed by a conversion to the layout the
  /// result's users were given.
  void produce(Operation *op, unsigned i, const Layout *produced) {
    Value *r = op->result(i);
    const Layout *wanted = r->type()->layout();
    if (!produced || produced == wanted)
      return;
    std::vector<Operation *> users = r->users();
    r->setType(r->type()->withLayout(produced));
    builder_.setInsertionPointAfter(op);
    Value *c =
        builder_.createValue(OpCode::ConvertLayout, {r}, r->type()->withLayout(wanted), op->loc());
    c->setName(r->name());
    Operation *cvt = c->definingOp();
    for (Operation *u : users)
      for (unsigned k = 0; k < u->numOperands(); ++k)
        if (u->operand(k) == r && u != cvt)
          u->setOperand(k, c);
  }

  /// The layout `op` needs operand i in (nullptr: whatever it has).
  const Layout *required(Operation *op, unsigned i) {
    Value *v = op->operand(i);
    if (!v->type()->isBlock())
      return nullptr;
    if (isBlockMemoryOp(*op))
      return anchor_.at(op);
    auto resultLayout = [&](unsigned k) {
      return k < op->numResults() ? op->result(k)->type()->layout() : nullptr;
    };
    switch (op->code()) {
    case OpCode::Broadcast:
      return resultLayout(0);
    case OpCode::ExpandDims:
      return ctx_.slice(static_cast<unsigned>(op->attrs().getInt("axis")), resultLayout(0));
    case OpCode::Reduce:
      return reduceLayout_.at(op);
    case OpCode::Scan:
      return resultLayout(0);
    case OpCode::Trans: {
      std::vector<int64_t> order = op->attrs().getInts("order");
      if (const Layout *l = inversePermuteBlocked(ctx_, resultLayout(0), order))
        return l;
      if (v->type()->layout() && v->type()->layout()->isBlocked())
        return nullptr;
      return defaultLayout(v->type()->shape());
    }
    case OpCode::Dot:
      if (i == 2)
        return resultLayout(0);
      if (const Layout *r = resultLayout(0); r && r->isMma())
        return dotOperandLayout(ctx_, *op, i, r);
      return nullptr;
    case OpCode::Cat:
    case OpCode::Join:
      return i == 1 ? op->operand(0)->type()->layout() : nullptr;
    case OpCode::For:
      return i >= 3 ? op->region(0)->argument(i - 2)->type()->layout() : nullptr;
    case OpCode::While:
      return op->region(0)->argument(i)->type()->layout();
    case OpCode::Yield: {
      Operation *parent = op->parentOp();
      if (!parent)
        return nullptr;
      if (parent->code() == OpCode::For)
        return parent->region(0)->argument(1 + i)->type()->layout();
      if (parent->code() == OpCode::If)
        return parent->result(i)->type()->layout();
      if (parent->code() == OpCode::While)
        return parent->region(0)->argument(i)->type()->layout();
      return nullptr;
    }
    case OpCode::Condition: {
      Operation *parent = op->parentOp();
      if (!parent || parent->code() != OpCode::While || i == 0)
        return nullptr;
      return parent->region(1)->argument(i - 1)->type()->layout();
    }
    default:
      break;
    }
    if (op->hasTrait(optrait::Elementwise) && op->numResults() == 1)
      return resultLayout(0);
    return nullptr;
  }

  void rewrite() {
    // a. Every block value takes its node's layout.
    for (unsigned n = 0; n < values_.size(); ++n) {
      Value *v = values_[n];
      v->setType(v->type()->withLayout(layout_[nodes_.find(n)]));
    }
    std::vector<Operation *> ops;
    f_.walk([&](Operation *op) { ops.push_back(op); });
    // b. Ops whose result layout follows from their operands'.
    for (Operation *op : ops) {
      if (op->code() == OpCode::Reduce && op->numOperands() > 0) {
        unsigned axis = static_cast<unsigned>(op->attrs().getInt("axis"));
        const Layout *res = op->numResults() ? op->result(0)->type()->layout() : nullptr;
        const Layout *p = (res && res->isSlice() && res->sliceDim() == axis)
                              ? res->parent()
                              : op->operand(0)->type()->layout();
        reduceLayout_[op] = p;
        for (unsigned i = 0; i < op->numResults(); ++i)
          if (op->result(i)->type()->isBlock())
            produce(op, i, ctx_.slice(axis, p));
      } else if (op->code() == OpCode::Trans) {
        const Layout *res = op->result(0)->type()->layout();
        if (res && res->isBlocked())
          continue; // the operand is converted to match instead
        const Layout *src = op->operand(0)->type()->layout();
        if (!src || !src->isBlocked())
          src = defaultLayout(op->operand(0)->type()->shape());
        produce(op, 0, permuteBlocked(ctx_, src, op->attrs().getInts("order")));
      }
    }
    // c. Operands in the layout their op needs.
    for (Operation *op : ops)
      for (unsigned i = 0; i < op->numOperands(); ++i)
        if (const Layout *l = required(op, i); l && l != op->operand(i)->type()->layout())
          op->setOperand(i, inLayout(op->operand(i), l));
  }
};

} // namespace

bool coalescePass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions())
    LayoutAssigner(*f, ctx.target).run();
  return true;
}

} // namespace tritonc
