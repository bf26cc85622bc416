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
// later pass treat it as ordinary IR.
//
// Transposed operands: where the facts include unit strides, each of them is also tried moved
// to another integer parameter (Triton's launcher specializes whichever argument is 1, so its
// build of `src[m, n]` on a transposed view is contiguous along m); each such set that widens
// an access gets a version of its own, checked in the `else` of the previous one
// (chooseAlignmentVersions; at most kMaxVectorizedVersions). In copy2d: rows contiguous on
// both sides, then a transposed source, then a transposed destination, then the scalar body.
// Coalescing then gives the transposed version's load and store their own orders and a
// convert_layout between them. The checks are a few scalar integer ops on parameters, uniform
// across the grid, before any memory access. Kernels
// with a `return` inside a region are left alone, as are kernels already versioned and kernels
// so large that a second copy would make the compile slow (see kMaxVersionedWork).
// Codegen marks each `if` in the LLVM IR (kAlignmentVersionMetadata), and the NVIDIA target caps
// the kernel's registers at its vectorized versions' occupancy (NVPTXTarget.cpp).
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
  friend bool operator==(const Fact &, const Fact &) = default; // sets of facts are compared
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

int64_t workEstimate(Function &f, unsigned warpSize) {
  const int64_t lanes = std::max(1u, warpSize);
  int64_t threads = std::max<int64_t>(lanes, int64_t(f.numWarps) * lanes), work = 0;
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

/// `if (facts of version 0) {copy 0} else if (facts of version 1) {copy 1} ... else {body}`:
/// the checks of a later version run only where the earlier ones failed.
void version(Function &f, const std::vector<std::vector<Fact>> &versions) {
  Block *body = f.body();
  Operation *ret = body->terminator();
  SourceLoc loc = f.loc();
  Operation *first = body->front();

  // The chain of checks, each `if` in the `else` of the one before.
  std::vector<Operation *> branches;
  Builder b(f.context());
  b.setInsertionPointToStart(body);
  for (const std::vector<Fact> &facts : versions) {
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
    branches.push_back(branch);
    b.setInsertionPointToEnd(branch->region(1));
  }

  // The innermost else: the original ops, moved.
  Block *orig = branches.back()->region(1);
  for (Operation *op = first; op != ret && op != branches.front();) {
    Operation *next = std::next(Block::iteratorOf(op))->get();
    orig->push_back(body->remove(op));
    op = next;
  }
  for (Operation *branch : branches) {
    Builder tail(f.context());
    tail.setInsertionPointToEnd(branch->region(1));
    tail.create(OpCode::Yield, {}, {}, {}, loc);
  }

  // Each then: a copy on the hinted parameters.
  for (size_t v = 0; v < versions.size(); ++v) {
    Builder fast(f.context());
    fast.setInsertionPointToEnd(branches[v]->region(0));
    ValueMap map;
    for (const Fact &fact : versions[v]) {
      Value *param = body->argument(fact.param);
      if (fact.isOne) { // the copy sees the constant: contiguity, and LLVM folds the multiplies
        map[param] = fast.intConstant(1, param->type(), loc);
        continue;
      }
      AttrList hint;
      hint.set("multiple_of", kFact);
      Value *hinted =
          fast.createValue(OpCode::Bitcast, {param}, param->type(), loc, std::move(hint));
      hinted->setName(param->name().empty() ? f.params()[fact.param].name : param->name());
      map[param] = hinted;
    }
    cloneOps(*orig, fast, map);
  }
}

} // namespace

namespace {

/// Facts from `facts` dropped one by one while the profile stays `best`: the fewest to check.
std::vector<Fact> prune(Function &f, std::vector<Fact> facts, const Profile &best) {
  for (size_t k = 0; k < facts.size();) {
    std::vector<Fact> fewer = facts;
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(k));
    if (profile(f, fewer) == best)
      facts = std::move(fewer);
    else
      ++k;
  }
  return facts;
}

/// The divisibility facts of every candidate parameter, none assumed equal to 1.
std::vector<Fact> allCandidates(Function &f) {
  std::vector<Fact> facts;
  for (unsigned i = 0; i < f.body()->numArguments() && i < f.params().size(); ++i)
    if (isCandidate(f, i))
      facts.push_back({i});
  return facts;
}

/// `facts` with exactly the parameters of `ones` assumed equal to 1.
std::vector<Fact> withUnits(std::vector<Fact> facts, const std::vector<unsigned> &ones) {
  for (Fact &fact : facts)
    fact.isOne = std::find(ones.begin(), ones.end(), fact.param) != ones.end();
  return facts;
}

int64_t totalWidth(const Profile &p) {
  int64_t sum = 0;
  for (const auto &[width, masked] : p)
    sum += width + masked;
  return sum;
}

std::vector<Fact> choosePrimary(Function &f, bool allowUnitStrides) {
  std::vector<Fact> facts = allCandidates(f);
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
  return prune(f, std::move(facts), best);
}

/// The other unit strides worth a version of their own (see chooseAlignmentVersions): for each
/// unit stride of `primary`, the integer parameter whose being 1 instead widens the most.
std::vector<std::vector<Fact>> chooseAlternatives(Function &f, const std::vector<Fact> &primary) {
  std::vector<unsigned> units;
  for (const Fact &fact : primary)
    if (fact.isOne)
      units.push_back(fact.param);
  std::vector<Fact> all = allCandidates(f);
  std::vector<std::vector<Fact>> out;
  for (unsigned u : units) {
    std::vector<unsigned> rest;
    for (unsigned v : units)
      if (v != u)
        rest.push_back(v);
    const Profile base = profile(f, withUnits(all, rest));
    std::vector<Fact> chosen;
    Profile chosenProfile;
    for (size_t k = all.size(); k-- > 0;) { // later parameters first, as for the primary
      unsigned c = all[k].param;
      if (!f.body()->argument(c)->type()->isInt() ||
          std::find(units.begin(), units.end(), c) != units.end())
        continue;
      std::vector<unsigned> ones = rest;
      ones.push_back(c);
      std::vector<Fact> trial = withUnits(all, ones);
      Profile p = profile(f, trial);
      if (!wider(p, base)) // (the widths may equal the primary's, along another dim)
        continue;
      if (chosen.empty() || totalWidth(p) > totalWidth(chosenProfile)) {
        chosen = std::move(trial);
        chosenProfile = std::move(p);
      }
    }
    if (chosen.empty())
      continue;
    std::vector<Fact> pruned = prune(f, std::move(chosen), chosenProfile);
    if (pruned != primary && std::find(out.begin(), out.end(), pruned) == out.end())
      out.push_back(std::move(pruned));
  }
  return out;
}

std::vector<AlignmentFact> toAlignmentFacts(const std::vector<Fact> &facts) {
  std::vector<AlignmentFact> out;
  for (const Fact &fact : facts)
    out.push_back({fact.param, fact.isOne});
  return out;
}

} // namespace

std::vector<AlignmentFact> chooseAlignmentFacts(Function &f, bool allowUnitStrides) {
  return toAlignmentFacts(choosePrimary(f, allowUnitStrides));
}

std::vector<std::vector<AlignmentFact>> chooseAlignmentVersions(Function &f) {
  std::vector<Fact> primary = choosePrimary(f, true);
  if (primary.empty())
    return {};
  std::vector<std::vector<AlignmentFact>> out{toAlignmentFacts(primary)};
  for (const std::vector<Fact> &alt : chooseAlternatives(f, primary))
    if (out.size() < kMaxVectorizedVersions)
      out.push_back(toAlignmentFacts(alt));
  return out;
}

bool versionAlignmentPass(Module &module, PassContext &ctx) {
  for (auto &fn : module.functions()) {
    Function &f = *fn;
    Operation *ret = f.body()->terminator();
    // The variants of a specialized kernel are its versions, picked by the host's dispatcher:
    // versioning them again would only add code.
    if (!f.variantOf.empty() || !ret || ret->code() != OpCode::Return || f.body()->front() == ret ||
        hasNestedReturnOrVersion(f) || workEstimate(f, ctx.target.warpSize) > kMaxVersionedWork)
      continue;
    std::vector<std::vector<Fact>> versions;
    for (const std::vector<AlignmentFact> &set : chooseAlignmentVersions(f)) {
      // Each version is a further copy of the body for the backend to compile.
      if (!versions.empty() && workEstimate(f, ctx.target.warpSize) * int64_t(versions.size() + 2) >
                                   2 * kMaxVersionedWork)
        break;
      std::vector<Fact> &facts = versions.emplace_back();
      for (const AlignmentFact &fact : set)
        facts.push_back({fact.param, fact.isOne});
    }
    if (!versions.empty())
      version(f, versions);
  }
  return true;
}

} // namespace tritonc
