// version-alignment: run-time alignment versioning, the ahead-of-time answer to Triton's
// launch-time specialization.
//
// Triton compiles a kernel at its first launch and treats every pointer argument that is
// 16-byte aligned, and every integer argument divisible by 16, as a compile-time fact: that is
// what lets `x_ptr + row * stride + cols` become 16-byte loads. An ahead-of-time build knows only
// the declared `:16` hints, so without them every such access stays scalar. This pass recovers
// the speed without asking the user: when the facts would widen some memory access, the kernel
// checks them once at entry (a uniform branch; LLVM's loop vectorizer versions loops on
// run-time alignment checks the same way) and runs a copy of its body in which they hold.
//
// Which facts: the candidates are the parameters without a `:16` hint, pointers and integers;
// an integer may instead be assumed equal to 1 (Triton specializes that too) where that makes
// a dim contiguous — a row stride of 1 — and widens an access beyond what divisibility gives.
// For each load and store on a pointer block the "profile" is the width the axis-info analysis
// allows along the pointer's most contiguous dim — min(contiguity, alignment / element bytes,
// 16 bytes / element bytes, the dim's size) — and that width also bounded by the mask's
// constancy. Facts for all candidates give the best profile; if it is no better than with none,
// nothing changes. Otherwise the facts are pruned greedily, each dropped when the profile
// stays the best without it, so a kernel whose row length is odd still gets its aligned
// pointers' vectors.
//
//   before: body(%x: *f32, %n: i32) { ops...; return }
//   after:  body(%x: *f32, %n: i32) {
//             %ok = (ptrtoint %x & 15) == 0 && (%n & 15) == 0
//             if %ok {alignment_version = "x, n"} {
//               %x16 = bitcast %x {multiple_of = 16}; %n16 = bitcast %n {multiple_of = 16}
//               ops... (on %x16, %n16); yield
//             } else { ops...; yield }
//             return }
// The copy in the `then` region names its facts the way `tl.multiple_of` does (a hint on the
// defining op), and uses the constant 1 for a unit stride, so coalescing, codegen and every
// later pass treat it as ordinary IR. One vectorized version only: a transposed call of a
// kernel versioned for unit row strides runs the declared version. Kernels
// with a `return` inside a region are left alone, as are kernels already versioned and kernels
// so large that a second copy would make the compile slow (see kMaxVersionedWork).
// Codegen marks the `if` in the LLVM IR (kAlignmentVersionMetadata), and the NVIDIA target caps
// the kernel's registers at the vectorized version's occupancy (NVPTXTarget.cpp).
// Expects: Tile IR (before `coalesce`, which decides vector widths). Leaves: Tile IR.
#include "passes/VersionAlignment.h"

#include "ir/Builder.h"
#include "ir/Clone.h"
#include "passes/AxisInfo.h"

#include <algorithm>

namespace tritonc {

namespace {

constexpr int64_t kFact = 16; // what Triton's launcher specializes on

/// One run-time fact about a parameter: divisible by 16 (pointers: the address), or equal to 1
/// (an integer: a unit stride, which makes a dim contiguous).
struct Fact {
  unsigned param;
  bool isOne = false;
};

/// A kernel parameter whose divisibility a run-time check could establish.
bool isCandidate(const Function &f, unsigned i) {
  const Type *t = f.body()->argument(i)->type();
  if (f.params()[i].divisibility >= kFact || t->isBlock())
    return false;
  return t->isPointer() || (t->isInt() && !t->isBool());
}

bool isVectorizable(const Operation &op) {
  return (op.code() == OpCode::Load || op.code() == OpCode::Store) &&
         op.operand(0)->type()->isBlock();
}

const Value *maskOperand(const Operation &op) {
  if (op.code() == OpCode::Load)
    return op.numOperands() > 1 ? op.operand(1) : nullptr;
  return op.numOperands() > 2 ? op.operand(2) : nullptr;
}

/// Per memory op, in program order: (width the pointer allows, width with the mask too).
using Profile = std::vector<std::pair<int64_t, int64_t>>;

/// The widths the analysis allows when `assumed` hold. A `== 1` fact is modelled by a constant 1
/// standing in for the parameter while the analysis runs; the IR is restored before returning.
Profile profile(Function &f, const std::vector<Fact> &assumed) {
  Block *body = f.body();
  std::vector<int64_t> saved;
  std::vector<std::pair<Value *, Operation *>> ones;
  Builder b(f.context());
  b.setInsertionPointToStart(body);
  for (const Fact &fact : assumed) {
    Value *param = body->argument(fact.param);
    saved.push_back(f.params()[fact.param].divisibility);
    f.params()[fact.param].divisibility = kFact;
    if (fact.isOne) {
      Value *one = b.intConstant(1, param->type(), f.loc());
      param->replaceAllUsesWith(one);
      ones.emplace_back(param, one->definingOp());
    }
  }
  AxisInfoAnalysis axis(f);
  for (size_t k = 0; k < assumed.size(); ++k)
    f.params()[assumed[k].param].divisibility = saved[k];
  for (auto &[param, one] : ones) {
    one->result()->replaceAllUsesWith(param);
    one->erase();
  }

  Profile out;
  f.walk([&](Operation *op) {
    if (!isVectorizable(*op))
      return;
    const Value *ptr = op->operand(0);
    AxisInfo p = axis.get(ptr);
    const std::vector<int64_t> &shape = ptr->type()->shape();
    unsigned dim = 0; // the most contiguous dim; ties go to the later one, as in coalesce
    for (unsigned d = 0; d < p.rank(); ++d)
      if (p.contiguity[d] >= p.contiguity[dim])
        dim = d;
    int64_t width = std::min({axis.pointerAlignment(ptr, dim),
                              int64_t(16 / std::max(1u, pointeeBytes(ptr->type()))),
                              dim < shape.size() ? shape[dim] : int64_t(1)});
    width = std::max<int64_t>(1, width);
    int64_t masked = width;
    if (const Value *mask = maskOperand(*op)) {
      AxisInfo m = axis.get(mask);
      if (dim < m.rank())
        masked = std::max<int64_t>(1, std::min(width, m.constancy[dim]));
    }
    out.emplace_back(width, masked);
  });
  return out;
}

/// Versioning doubles the code the backend compiles. A rough measure of that code: the elements
/// each thread handles, summed over the ops' results. The kernels of tests/kernels measure 190
/// (copy2d) to about 2000 (matmul, attention); past kMaxVersionedWork (e.g. a kernel on
/// 1M-element blocks, 8192 registers' worth per thread for each op) the kernel keeps one
/// version, so the compile time stays bounded.
constexpr int64_t kMaxVersionedWork = 1 << 13;

int64_t workEstimate(Function &f) {
  int64_t threads = std::max<int64_t>(32, int64_t(f.numWarps) * 32), work = 0;
  f.walk([&](Operation *op) {
    for (unsigned i = 0; i < op->numResults(); ++i) {
      const Type *t = op->result(i)->type();
      int64_t n = 1;
      if (t->isBlock())
        for (int64_t d : t->shape())
          n *= d;
      work += std::max<int64_t>(1, n / threads);
    }
  });
  return work;
}

bool hasNestedReturnOrVersion(Function &f) {
  bool found = false;
  f.walk([&](Operation *op) {
    if ((op->code() == OpCode::Return && op->parent() != f.body()) ||
        (op->code() == OpCode::If && op->attrs().find(kAlignmentVersionAttr)))
      found = true;
  });
  return found;
}

/// Every op of `a` at least as wide as in `b`, and one wider.
bool wider(const Profile &a, const Profile &b) {
  bool some = false;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].first < b[i].first || a[i].second < b[i].second)
      return false;
    some |= a[i] != b[i];
  }
  return some;
}

/// The scalar i1 `(param & 15) == 0` (for pointers, of the address), or `param == 1`.
Value *factHolds(Builder &b, Value *param, bool isOne, SourceLoc loc) {
  Context &ctx = b.context();
  if (isOne) {
    AttrList eq;
    eq.set("pred", std::string("eq"));
    return b.createValue(OpCode::Cmp, {param, b.intConstant(1, param->type(), loc)}, ctx.i1(), loc,
                         std::move(eq));
  }
  Value *bits = param;
  if (param->type()->isPointer())
    bits = b.createValue(OpCode::PtrToInt, {param}, ctx.i64(), loc);
  const Type *t = bits->type();
  Value *low = b.createValue(OpCode::And, {bits, b.intConstant(kFact - 1, t, loc)}, t, loc);
  AttrList eq;
  eq.set("pred", std::string("eq"));
  return b.createValue(OpCode::Cmp, {low, b.intConstant(0, t, loc)}, ctx.i1(), loc, std::move(eq));
}

void version(Function &f, const std::vector<Fact> &facts) {
  Block *body = f.body();
  Operation *ret = body->terminator();
  SourceLoc loc = f.loc();
  Builder b(f.context());
  b.setInsertionPointToStart(body);
  Operation *first = body->front();

  Value *ok = nullptr;
  std::string names;
  for (const Fact &fact : facts) {
    Value *holds = factHolds(b, body->argument(fact.param), fact.isOne, loc);
    ok = ok ? b.createValue(OpCode::And, {ok, holds}, f.context().i1(), loc) : holds;
    names +=
        (names.empty() ? "" : ", ") + f.params()[fact.param].name + (fact.isOne ? " == 1" : "");
  }
  AttrList attrs;
  attrs.set(kAlignmentVersionAttr, names);
  Operation *branch = b.create(OpCode::If, {ok}, {}, std::move(attrs), loc, 2);

  // else: the original ops, moved.
  Block *orig = branch->region(1);
  for (Operation *op = first; op != ret;) {
    Operation *next = std::next(Block::iteratorOf(op))->get();
    orig->push_back(body->remove(op));
    op = next;
  }
  Builder tail(f.context());
  tail.setInsertionPointToEnd(orig);
  tail.create(OpCode::Yield, {}, {}, {}, loc);

  // then: a copy on the hinted parameters.
  Builder fast(f.context());
  fast.setInsertionPointToEnd(branch->region(0));
  ValueMap map;
  for (const Fact &fact : facts) {
    Value *param = body->argument(fact.param);
    if (fact.isOne) { // the copy sees the constant: contiguity, and LLVM folds the multiplies
      map[param] = fast.intConstant(1, param->type(), loc);
      continue;
    }
    AttrList hint;
    hint.set("multiple_of", kFact);
    Value *hinted = fast.createValue(OpCode::Bitcast, {param}, param->type(), loc, std::move(hint));
    hinted->setName(param->name().empty() ? f.params()[fact.param].name : param->name());
    map[param] = hinted;
  }
  cloneOps(*orig, fast, map);
}

} // namespace

std::vector<AlignmentFact> chooseAlignmentFacts(Function &f, bool allowUnitStrides) {
  std::vector<Fact> facts;
  for (unsigned i = 0; i < f.body()->numArguments() && i < f.params().size(); ++i)
    if (isCandidate(f, i))
      facts.push_back({i});
  if (facts.empty())
    return {};
  // Unit strides: an integer whose being 1 widens some access beyond what divisibility gives.
  // Later parameters first (the inner dim's stride usually follows the outer one's); a second
  // unit stride that adds nothing (the rows are already contiguous) is not assumed.
  Profile best = profile(f, facts);
  for (size_t k = facts.size(); allowUnitStrides && k-- > 0;) {
    if (!f.body()->argument(facts[k].param)->type()->isInt())
      continue;
    std::vector<Fact> trial = facts;
    trial[k].isOne = true;
    Profile p = profile(f, trial);
    if (wider(p, best)) {
      facts = std::move(trial);
      best = std::move(p);
    }
  }
  if (best == profile(f, {}))
    return {};
  for (size_t k = 0; k < facts.size();) {
    std::vector<Fact> fewer = facts;
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(k));
    if (profile(f, fewer) == best)
      facts = std::move(fewer);
    else
      ++k;
  }
  std::vector<AlignmentFact> out;
  for (const Fact &fact : facts)
    out.push_back({fact.param, fact.isOne});
  return out;
}

bool versionAlignmentPass(Module &module, PassContext &) {
  for (auto &fn : module.functions()) {
    Function &f = *fn;
    Operation *ret = f.body()->terminator();
    // The variants of a specialized kernel are its versions, picked by the host's dispatcher:
    // versioning them again would only add code.
    if (!f.variantOf.empty() || !ret || ret->code() != OpCode::Return || f.body()->front() == ret ||
        hasNestedReturnOrVersion(f) || workEstimate(f) > kMaxVersionedWork)
      continue;
    std::vector<Fact> facts;
    for (const AlignmentFact &fact : chooseAlignmentFacts(f, true))
      facts.push_back({fact.param, fact.isOne});
    if (!facts.empty())
      version(f, facts);
  }
  return true;
}

} // namespace tritonc
