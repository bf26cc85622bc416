// specialize: launch-time specialization, ahead of time. Triton compiles a kernel again for
// each new combination of "pointer 16-byte aligned", "integer divisible by 16" and "integer
// equal to 1" among its arguments. An ahead-of-time binary cannot, so version-alignment puts a
// vectorized copy of the body behind a check at entry; this pass, asked for by --specialize,
// instead compiles each useful combination as a kernel of its own, and the host's generated
// dispatcher (C header, launcher.hpp, the Python package) checks the arguments and launches the
// most specialized variant whose promises hold. The generic kernel stays as it was, unversioned.
//
// Which variants: the facts version-alignment would pick (chooseAlignmentFacts: the fewest that
// give every memory op its full width, unit strides included), and, when they differ and still
// widen something, the divisibility facts alone (so an aligned call with a non-unit stride does
// not fall back to scalar code). A kernel whose accesses no fact widens gets no variant.
//
//   before: kernel @k(%x: *f32, %n: i32) { ops... }
//   after:  kernel @k_0d1d(%x: *f32 {divisibility = 16}, %n: i32 {divisibility = 16}) { ops... }
//           kernel @k(%x: *f32, %n: i32) { ops... }      (variants of k, in that order)
// A variant's equal-to-1 parameter stays in its ABI (the dispatcher passes the same arguments to
// every variant); the body uses the constant 1 instead.
// Expects: Tile IR, before version-alignment and coalesce. Leaves: Tile IR.
#include "passes/Specialize.h"

#include "ir/Builder.h"
#include "ir/Clone.h"
#include "passes/VersionAlignment.h"

#include <algorithm>

namespace tritonc {

namespace {

constexpr int64_t kPromisedDivisibility = 16;

/// Triton's spelling of a specialization: each promised parameter's index, then `d` (divisible
/// by 16) or `c` (equal to 1).
std::string variantSuffix(const std::vector<Function::Promise> &promises) {
  std::string s;
  for (size_t i = 0; i < promises.size(); ++i)
    if (promises[i] != Function::Promise::None)
      s += std::to_string(i) + (promises[i] == Function::Promise::EqualsOne ? "c" : "d");
  return s;
}

Function *makeVariant(Module &module, Function &f, const std::vector<AlignmentFact> &facts) {
  const size_t n = f.params().size();
  std::vector<Function::Promise> promises(n, Function::Promise::None);
  for (const AlignmentFact &fact : facts)
    promises[fact.param] =
        fact.isOne ? Function::Promise::EqualsOne : Function::Promise::Divisible16;
  std::string name = f.name() + "_" + variantSuffix(promises);
  while (module.lookup(name))
    name += "_";

  Function *v = module.addFunction(name, f.loc());
  v->launch() = f.launch();
  v->constexprs = f.constexprs;
  v->variantOf = f.name();
  v->promises = promises;
  ValueMap map;
  for (size_t i = 0; i < n; ++i) {
    Value *old = f.body()->argument(static_cast<unsigned>(i));
    ParamInfo info = f.params()[i];
    if (promises[i] == Function::Promise::Divisible16)
      info.divisibility = std::max(info.divisibility, kPromisedDivisibility);
    map[old] = v->addParam(old->type(), std::move(info));
  }
  Builder b(f.context());
  b.setInsertionPointToEnd(v->body());
  for (size_t i = 0; i < n; ++i)
    if (promises[i] == Function::Promise::EqualsOne) {
      Value *old = f.body()->argument(static_cast<unsigned>(i));
      map[old] = b.intConstant(1, old->type(), f.loc());
    }
  cloneOps(*f.body(), b, map);
  return v;
}

} // namespace

Function *addKernelVariant(Module &module, const Function &f, Function &generic,
                           const std::vector<Function::Promise> &promises) {
  std::string name = generic.name() + "_" + variantSuffix(promises);
  while (module.lookup(name))
    name += "_";
  Function *v = module.addFunction(name, f.loc());
  v->launch() = f.launch();
  v->constexprs = f.constexprs;
  v->variantOf = generic.name();
  v->promises = promises;
  ValueMap map;
  for (size_t i = 0; i < f.params().size(); ++i) {
    Value *old = f.body()->argument(static_cast<unsigned>(i));
    map[old] = v->addParam(old->type(), f.params()[i]);
  }
  Builder b(module.context());
  b.setInsertionPointToEnd(v->body());
  cloneOps(*f.body(), b, map);
  generic.variantOf = generic.name();
  generic.promises.assign(generic.params().size(), Function::Promise::None);
  // Just before the generic kernel: after its other variants, so they stay in the order made.
  auto &fns = module.functions();
  std::unique_ptr<Function> owned = std::move(fns.back());
  fns.pop_back();
  auto at = std::find_if(fns.begin(), fns.end(), [&](auto &fn) { return fn.get() == &generic; });
  fns.insert(at, std::move(owned));
  return v;
}

bool specializePass(Module &module, PassContext &) {
  std::vector<Function *> kernels;
  for (auto &fn : module.functions())
    if (fn->variantOf.empty())
      kernels.push_back(fn.get());
  for (Function *f : kernels) {
    std::vector<std::vector<AlignmentFact>> sets;
    if (std::vector<AlignmentFact> all = chooseAlignmentFacts(*f, true); !all.empty())
      sets.push_back(std::move(all));
    if (std::vector<AlignmentFact> div = chooseAlignmentFacts(*f, false);
        !div.empty() && (sets.empty() || div != sets.front()))
      sets.push_back(std::move(div));
    if (sets.empty())
      continue;
    for (const std::vector<AlignmentFact> &facts : sets)
      makeVariant(module, *f, facts);
    f->variantOf = f->name();
    f->promises.assign(f->params().size(), Function::Promise::None);
  }
  // Each kernel's variants just before it, in the order made; kernels keep their order.
  std::vector<std::unique_ptr<Function>> &fns = module.functions();
  std::vector<std::unique_ptr<Function>> ordered;
  for (Function *k : kernels) {
    for (auto &fn : fns)
      if (fn && fn.get() != k && fn->variantOf == k->name() && fn->name() != k->name())
        ordered.push_back(std::move(fn));
    for (auto &fn : fns)
      if (fn.get() == k)
        ordered.push_back(std::move(fn));
  }
  for (auto &fn : fns) // variants made by an earlier run of the pass
    if (fn)
      ordered.push_back(std::move(fn));
  fns = std::move(ordered);
  return true;
}

} // namespace tritonc
