// The pass registry and runner, constant folding, and each pass on small hand-built kernels.
// Passes run through runPasses with verifyEach, so every test also checks that the pass leaves
// IR the verifier accepts.
#include "PassTestKernels.h"
#include "ir/MemoryAttrs.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Coalesce.h"
#include "passes/ConstFold.h"
#include "passes/Pass.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace tritonc;
using namespace tritonc::testing;

namespace {

std::string allDiags(const DiagnosticEngine &d) {
  std::string out;
  for (const Diagnostic &x : d.diagnostics()) {
    out += x.message + "\n";
    for (const DiagnosticNote &n : x.notes)
      out += "  note: " + n.message + "\n";
  }
  return out;
}

/// Runs `passes` with the verifier before and after each; fails the test with the diagnostics
/// (and the IR) if anything goes wrong.
bool run(KernelBuilder &k, std::vector<std::string_view> passes, TargetInfo target = {}) {
  DiagnosticEngine diags;
  PassContext ctx{diags, target};
  PassRunOptions opts;
  opts.verifyEach = true;
  bool ok = runPasses(k.module, passes, ctx, opts);
  INFO(allDiags(diags));
  INFO(printModule(k.module));
  CHECK(ok);
  return ok;
}

std::optional<int64_t> intConstant(const Value *v) {
  const Operation *def = v->definingOp();
  if (!def || def->code() != OpCode::Constant)
    return std::nullopt;
  return def->attrs().getInt("value");
}

bool everyBlockHasLayout(KernelBuilder &k) {
  bool ok = true;
  auto check = [&](const Value *v) {
    if (v->type()->isBlock() && !v->type()->layout())
      ok = false;
  };
  k.f->walk([&](Operation *op) {
    for (Value *r : op->results())
      check(r);
    for (unsigned i = 0; i < op->numRegions(); ++i)
      for (Value *a : op->region(i)->arguments())
        check(a);
  });
  return ok;
}

Operation *firstOp(KernelBuilder &k, OpCode code) {
  auto ops = k.ops(code);
  REQUIRE(!ops.empty());
  return ops.front();
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Constant folding helpers

TEST_CASE("const fold: integers wrap at their width and follow signedness") {
  CHECK(normalizeInt(ScalarKind::I32, int64_t(1) << 32) == 0);
  CHECK(normalizeInt(ScalarKind::I8, 200) == -56);
  CHECK(normalizeInt(ScalarKind::U8, -1) == 255);
  CHECK(normalizeInt(ScalarKind::I1, 3) == 1);
  CHECK(foldIntBinary(OpCode::Add, ScalarKind::I32, 2147483647, 1) == -2147483648LL);
  CHECK(foldIntBinary(OpCode::Mul, ScalarKind::U16, 300, 300) == (300 * 300) % 65536);
  CHECK(foldIntBinary(OpCode::Div, ScalarKind::I32, -7, 2) == -3);
  CHECK(foldIntBinary(OpCode::Rem, ScalarKind::I32, -7, 2) == -1);
  CHECK(!foldIntBinary(OpCode::Div, ScalarKind::I32, 7, 0));
  CHECK(!foldIntBinary(OpCode::Div, ScalarKind::I32, -2147483648LL, -1));
  CHECK(foldIntBinary(OpCode::Div, ScalarKind::U32, 4294967295LL, 2) == 2147483647);
  CHECK(foldIntBinary(OpCode::Shr, ScalarKind::I32, -8, 1) == -4);
  CHECK(foldIntBinary(OpCode::Shr, ScalarKind::U32, 4294967288LL, 1) == 2147483644);
  CHECK(!foldIntBinary(OpCode::Shl, ScalarKind::I32, 1, 32));
  CHECK(foldIntBinary(OpCode::Shl, ScalarKind::I32, 1, 31) == -2147483648LL);
  CHECK(foldIntBinary(OpCode::Max, ScalarKind::U32, 4294967295LL, 1) == 4294967295LL);
  CHECK(foldIntBinary(OpCode::Max, ScalarKind::U64, -1, 1) == -1); // u64 max is all ones
  CHECK(foldIntBinary(OpCode::UMulHi, ScalarKind::I32, 0x10000, 0x10000) == 1);
  CHECK(foldIntCmp("lt", ScalarKind::I32, -1, 0) == true);
  CHECK(foldIntCmp("lt", ScalarKind::U64, -1, 0) == false);
  CHECK(foldIntUnary(OpCode::Neg, ScalarKind::I32, -2147483648LL) == -2147483648LL);
  CHECK(foldIntUnary(OpCode::Not, ScalarKind::U8, 0) == 255);
}

TEST_CASE("const fold: floats are exact at f32 and f64 only, and never fold `div`") {
  double a = 0.1, b = 0.2;
  CHECK(*foldFloatBinary(OpCode::Add, ScalarKind::F32, a, b) == static_cast<double>(0.1f + 0.2f));
  CHECK(*foldFloatBinary(OpCode::Add, ScalarKind::F64, a, b) == a + b);
  CHECK(!foldFloatBinary(OpCode::Add, ScalarKind::F16, a, b));
  CHECK(!foldFloatBinary(OpCode::Div, ScalarKind::F32, 1.0, 3.0));
  CHECK(*foldFloatBinary(OpCode::DivRn, ScalarKind::F32, 1.0, 3.0) ==
        static_cast<double>(1.0f / 3.0f));
  CHECK(*foldFloatBinary(OpCode::Max, ScalarKind::F32, NAN, 2.0) == 2.0);
  CHECK(std::isnan(*foldFloatBinary(OpCode::Max, ScalarKind::F32, NAN, 2.0, true)));
  CHECK(foldFloatCmp("lt", ScalarKind::F32, NAN, 1.0) == false);
  CHECK(foldFloatCmp("ne", ScalarKind::F32, NAN, 1.0) == true);
}

TEST_CASE("const fold: casts") {
  ConstValue t;
  t.i = 1;
  CHECK(foldCast(ScalarKind::I1, ScalarKind::I32, t)->i == 1); // booleans zero-extend
  ConstValue m1;
  m1.i = -1;
  CHECK(foldCast(ScalarKind::I32, ScalarKind::U8, m1)->i == 255);
  CHECK(foldCast(ScalarKind::I32, ScalarKind::I64, m1)->i == -1);
  ConstValue u;
  u.i = 4294967295LL;
  CHECK(foldCast(ScalarKind::U32, ScalarKind::I64, u)->i == 4294967295LL);
  CHECK(foldCast(ScalarKind::U32, ScalarKind::F32, u)->f == 4294967296.0);
  ConstValue big;
  big.i = 16777217; // 2^24 + 1: rounds to even in f32
  CHECK(foldCast(ScalarKind::I32, ScalarKind::F32, big)->f == 16777216.0);
  CHECK(!foldCast(ScalarKind::I32, ScalarKind::F32, big, "rtz"));
  CHECK(!foldCast(ScalarKind::I32, ScalarKind::F16, big));
  ConstValue f;
  f.isFloat = true;
  f.f = -2.75;
  CHECK(foldCast(ScalarKind::F32, ScalarKind::I32, f)->i == -2);
  CHECK(!foldCast(ScalarKind::F32, ScalarKind::U32, f)); // out of range
  f.f = 0.1;
  CHECK(foldCast(ScalarKind::F64, ScalarKind::F32, f)->f == static_cast<double>(0.1f));
}

// ---------------------------------------------------------------------------------------------
// Registry, pipelines, runner

TEST_CASE("registry: names, pipelines and ordering rules") {
  for (const char *name : {"canonicalize", "cse", "dce", "licm", "coalesce", "remove-converts",
                           "annotate-axis-info"}) {
    const PassInfo *p = findPass(name);
    REQUIRE(p);
    CHECK(p->name == name);
    CHECK(!p->description.empty());
  }
  CHECK(!findPass("nope"));
  CHECK(findPass("coalesce")->produces == IRLevel::Gpu);
  CHECK(findPass("remove-converts")->expects == IRLevel::Gpu);

  TargetInfo target;
  std::vector<std::string_view> tile = pipeline("tile", target);
  std::vector<std::string_view> gpu = pipeline("gpu", target);
  CHECK(!tile.empty());
  CHECK(!gpu.empty());
  CHECK(pipeline("nope", target).empty());
  CHECK(checkPassOrder(tile) == "");
  CHECK(checkPassOrder(gpu) == "");
  std::vector<std::string_view> full = tile;
  full.insert(full.end(), gpu.begin(), gpu.end());
  CHECK(checkPassOrder(full) == "");

  CHECK(checkPassOrder({"remove-converts"}) ==
        "pass 'remove-converts' needs GPU IR: it must come after 'coalesce'");
  CHECK(checkPassOrder({"coalesce", "coalesce"}) ==
        "pass 'coalesce' works on Tile IR: it must come before 'coalesce'");
  CHECK(checkPassOrder({"cse", "bogus"}) == "unknown pass 'bogus'");
  CHECK(checkPassOrder({"remove-converts", "coalesce"}, IRLevel::Any) ==
        "pass 'remove-converts' must come after 'coalesce': the conversions to clean up are "
        "inserted by coalesce");
}

TEST_CASE("runPasses: unknown passes and wrong IR levels are errors, not crashes") {
  KernelBuilder k;
  VectorAdd va(k);
  TargetInfo target;
  DiagnosticEngine diags;
  PassContext ctx{diags, target};
  CHECK(!runPasses(k.module, {"cse", "frobnicate"}, ctx));
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(diags.diagnostics()[0].message == "unknown pass 'frobnicate'");
  CHECK(diags.diagnostics()[0].notes.size() == 1);

  diags.clear();
  CHECK(!runPasses(k.module, {"remove-converts"}, ctx));
  REQUIRE(diags.hasErrors());
  CHECK(diags.diagnostics()[0].message ==
        "pass 'remove-converts' runs on GPU IR, but this module is Tile IR (no block carries a "
        "layout yet): run 'coalesce' before it, or give it the output of --emit-ir");

  diags.clear();
  CHECK(runPasses(k.module, {"coalesce"}, ctx));
  CHECK(!runPasses(k.module, {"coalesce"}, ctx));
  CHECK(diags.diagnostics()[0].message ==
        "pass 'coalesce' runs on Tile IR, but this module is GPU IR (its blocks already carry "
        "layouts): give it the output of --emit-ir=tile, or leave 'coalesce' out of --passes");

  diags.clear();
  PassRunOptions opts;
  opts.printAfter = {"nope"};
  CHECK(!runPasses(k.module, {"cse"}, ctx, opts));
  CHECK(diags.diagnostics()[0].message == "unknown pass 'nope' in --print-after");
}

TEST_CASE("runPasses: print-after and timing hooks, verify-each on bad input") {
  KernelBuilder k;
  VectorAdd va(k);
  TargetInfo target;
  DiagnosticEngine diags;
  PassContext ctx{diags, target};
  PassRunOptions opts;
  std::vector<std::string> printed, timed;
  opts.printAfter = {"cse"};
  opts.printHook = [&](std::string_view name, const Module &) { printed.emplace_back(name); };
  opts.timePasses = true;
  opts.timeHook = [&](std::string_view name, double s) {
    timed.emplace_back(name);
    CHECK(s >= 0);
  };
  opts.verifyEach = true;
  CHECK(runPasses(k.module, {"canonicalize", "cse", "dce"}, ctx, opts));
  CHECK(printed == std::vector<std::string>{"cse"});
  CHECK(timed == std::vector<std::string>{"canonicalize", "cse", "dce"});

  printed.clear();
  opts.printAfter = {"all"};
  CHECK(runPasses(k.module, {"canonicalize", "cse"}, ctx, opts));
  CHECK(printed == std::vector<std::string>{"canonicalize", "cse"});

  // An add of an i32 and an f32 does not verify: the input is reported, naming the first pass.
  KernelBuilder bad;
  Value *a = bad.param(bad.i32());
  Value *b = bad.param(bad.f32());
  bad.op(OpCode::Add, {a, b}, bad.i32());
  bad.ret();
  diags.clear();
  CHECK(!runPasses(bad.module, {"cse"}, ctx, opts));
  REQUIRE(diags.hasErrors());
  CHECK(diags.diagnostics()[0].message ==
        "internal error: the input of pass 'cse' does not verify");
  CHECK(diags.diagnostics().size() >= 2); // the verifier's own report follows
}

TEST_CASE("the full pipeline keeps a vector add valid and leaves GPU IR") {
  KernelBuilder k;
  VectorAdd va(k);
  TargetInfo target;
  std::vector<std::string_view> passes = pipeline("tile", target);
  for (std::string_view p : pipeline("gpu", target))
    passes.push_back(p);
  run(k, passes, target);
  CHECK(everyBlockHasLayout(k));
  CHECK(k.count(OpCode::ConvertLayout) == 0);
  CHECK(k.count(OpCode::Load) == 2);
  CHECK(k.count(OpCode::Store) == 1);
}

// ---------------------------------------------------------------------------------------------
// canonicalize

TEST_CASE("canonicalize: folds constants, splats and integer identities") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *n = k.param(k.i32());
  Value *eight = k.add(k.cst(3, k.i32()), k.cst(5, k.i32()));
  Value *offs = k.arange(0, 64);
  Value *x = k.add(k.mul(offs, k.splat(k.cst(1, k.i32()), {64})), k.splat(k.cst(0, k.i32()), {64}));
  Value *z = k.mul(offs, k.splat(k.cst(0, k.i32()), {64}));
  Value *cond = k.cmp("lt", k.cst(3, k.i32()), k.cst(5, k.i32()));
  Value *sel = k.op(OpCode::Select, {cond, eight, n}, k.i32());
  Value *u8 = k.op(OpCode::Cast, {k.cst(-1, k.i32())}, k.ctx.scalar(ScalarKind::U8));
  Value *bsplat = k.broadcast(k.splat(n, {1, 64}), {32, 64});
  Value *esplat = k.expand(k.splat(n, {64}), 0);
  Value *ptrs = k.addptr(k.splat(p, {64}), x);
  k.store(ptrs, k.add(z, k.splat(sel, {64})));
  k.store(k.addptr(k.splat(p, {64}), offs), k.op(OpCode::Cast, {k.splat(u8, {64})}, offs->type()));
  Value *sink = k.add(k.broadcast(esplat, {32, 64}), bsplat);
  k.store(k.addptr(k.splat(p, {32, 64}), sink), sink);
  k.ret();
  run(k, {"canonicalize", "dce"});

  // x*1 + 0 is x: the first store's pointer offsets are the arange itself.
  Operation *st = firstOp(k, OpCode::Store);
  Operation *ap = st->operand(0)->definingOp();
  REQUIRE(ap->code() == OpCode::AddPtr);
  CHECK(ap->operand(1)->definingOp()->code() == OpCode::MakeRange);
  // z = offs * 0 is 0 and select(3 < 5, 8, n) is 8: the stored value is the constant block 8.
  CHECK(intConstant(st->operand(1)) == 8);
  CHECK(st->operand(1)->type() == k.blk(k.i32(), {64}));
  // cast(splat(cast(-1 : i32 -> u8))) : i32 is 255.
  Operation *st2 = k.ops(OpCode::Store)[1];
  CHECK(intConstant(st2->operand(1)) == 255);
  // broadcast(splat n) and expand_dims(splat n) became splats.
  Operation *sinkAdd = k.ops(OpCode::Store)[2]->operand(1)->definingOp();
  REQUIRE(sinkAdd->code() == OpCode::Add);
  CHECK(sinkAdd->operand(0)->definingOp()->code() == OpCode::Splat);
  CHECK(sinkAdd->operand(1)->definingOp()->code() == OpCode::Splat);
  CHECK(k.count(OpCode::Broadcast) == 0);
  CHECK(k.count(OpCode::ExpandDims) == 0);
  CHECK(k.count(OpCode::Mul) == 0);
  CHECK(k.count(OpCode::Cmp) == 0);
  CHECK(k.count(OpCode::Select) == 0);
}

TEST_CASE("canonicalize: keeps float division and unfoldable ops") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.f32()), 16);
  Value *q = k.op(OpCode::Div, {k.fcst(1.0, k.f32()), k.fcst(3.0, k.f32())}, k.f32());
  Value *s = k.op(OpCode::Add, {k.fcst(1.5, k.f32()), k.fcst(2.25, k.f32())}, k.f32());
  Value *d0 = k.bin(OpCode::Div, k.cst(1, k.i32()), k.cst(0, k.i32()));
  k.store(p, k.op(OpCode::Add, {q, s}, k.f32()));
  k.store(k.addptr(p, d0), s);
  k.ret();
  run(k, {"canonicalize", "dce"});
  CHECK(k.count(OpCode::Div) == 2);
  Operation *add = k.ops(OpCode::Add).front();
  Operation *c = add->operand(1)->definingOp();
  REQUIRE(c->code() == OpCode::Constant);
  CHECK(c->attrs().getFloat("value") == 3.75);
}

// ---------------------------------------------------------------------------------------------
// cse

TEST_CASE("cse: merges equal pure ops, commutative operands, across nested regions only inwards") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *x = k.param(k.i32());
  Value *y = k.param(k.i32());
  Value *a = k.add(x, y);
  Value *b = k.add(y, x);
  Value *c = k.mul(a, b);
  Value *s1 = k.op(OpCode::Sub, {x, y}, k.i32());
  Value *s2 = k.op(OpCode::Sub, {y, x}, k.i32()); // not commutative
  Operation *loop = k.beginFor(k.cst(0, k.i32()), x, k.cst(1, k.i32()), {});
  Value *inner = k.add(x, y);     // equal to `a`, which dominates it
  Value *innerOnly = k.mul(x, x); // defined only inside the loop
  k.store(k.addptr(p, inner), innerOnly);
  k.endFor(loop, {});
  Value *after = k.mul(x, x); // equal to innerOnly, but the loop's value does not dominate it
  k.store(p, k.add(k.add(c, after), k.add(s1, s2)));
  k.ret();
  run(k, {"cse"});
  CHECK(c->definingOp()->operand(0) == a);
  CHECK(c->definingOp()->operand(1) == a);
  CHECK(k.count(OpCode::Sub) == 2);
  Operation *innerStore = k.ops(OpCode::Store).front();
  CHECK(innerStore->operand(0)->definingOp()->operand(1) == a);
  CHECK(k.count(OpCode::Mul) == 3); // c, the loop's x*x and the one after the loop
  CHECK(innerOnly->definingOp()->parent() == loop->region(0));
  CHECK(after->definingOp()->parent() == k.f->body());
}

TEST_CASE("cse: constants and splats with equal attributes and types merge") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *c1 = k.cst(4, k.i32());
  Value *c2 = k.cst(4, k.i32());
  Value *c3 = k.cst(4, k.ctx.i64());
  Value *r1 = k.arange(0, 32);
  Value *r2 = k.arange(0, 32);
  k.store(k.addptr(k.splat(p, {32}), k.add(r1, r2)), k.add(k.splat(c1, {32}), k.splat(c2, {32})));
  k.store(k.addptr(p, k.op(OpCode::Cast, {c3}, k.i32())), c2);
  k.ret();
  run(k, {"cse"});
  CHECK(k.count(OpCode::Constant) == 2);
  CHECK(k.count(OpCode::MakeRange) == 1);
  CHECK(k.count(OpCode::Splat) == 2); // splat(p) and one splat of 4
}

// ---------------------------------------------------------------------------------------------
// dce

TEST_CASE("dce: erases unused pure ops and loads, keeps effects") {
  KernelBuilder k;
  VectorAdd va(k);
  // An unused chain and an unused load before the return.
  k.b.setInsertionPoint(k.f->body()->back());
  Value *dead = k.add(va.offs, va.offs);
  k.load(k.addptr(va.px, dead));
  AttrList vol;
  vol.set("volatile", true);
  k.op(OpCode::Load, {va.px}, va.xv->type(), vol); // volatile: kept
  run(k, {"dce"});
  CHECK(k.count(OpCode::Load) == 3);
  CHECK(k.count(OpCode::Store) == 1);
  CHECK(k.count(OpCode::AddPtr) == 3);
}

TEST_CASE("dce: drops unused loop-carried values and dead loops") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *n = k.param(k.i32());
  Value *zero = k.cst(0, k.i32());
  Value *one = k.cst(1, k.i32());
  // Carried a (stored after the loop) and b (only feeds itself): b goes.
  Operation *loop = k.beginFor(zero, n, one, {zero, zero});
  Value *a = loop->region(0)->argument(1);
  Value *b = loop->region(0)->argument(2);
  Value *iv = loop->region(0)->argument(0);
  k.endFor(loop, {k.add(a, iv), k.mul(b, b)});
  // A loop with nothing live: gone.
  Operation *dead = k.beginFor(zero, n, one, {zero});
  k.endFor(dead, {k.add(dead->region(0)->argument(1), one)});
  k.store(p, loop->result(0));
  k.ret();
  run(k, {"dce"});
  auto loops = k.ops(OpCode::For);
  REQUIRE(loops.size() == 1);
  Operation *l = loops[0];
  CHECK(l->numResults() == 1);
  CHECK(l->numOperands() == 4);
  CHECK(l->region(0)->numArguments() == 2);
  CHECK(k.count(OpCode::Mul) == 0);
  Operation *st = k.ops(OpCode::Store).front();
  CHECK(st->operand(1) == l->result(0));
}

TEST_CASE("dce: if results nothing uses are dropped") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *c = k.param(k.i1());
  Value *x = k.param(k.i32());
  Operation *ifOp = k.b.create(OpCode::If, {c}, {k.i32(), k.i32()}, {}, {}, 2);
  k.b.setInsertionPointToEnd(ifOp->region(0));
  k.b.create(OpCode::Yield, {k.add(x, x), k.mul(x, x)}, {}, {}, {});
  k.b.setInsertionPointToEnd(ifOp->region(1));
  k.b.create(OpCode::Yield, {x, k.op(OpCode::Sub, {x, x}, k.i32())}, {}, {}, {});
  k.b.setInsertionPointAfter(ifOp);
  k.store(p, ifOp->result(0));
  k.ret();
  run(k, {"dce"});
  auto ifs = k.ops(OpCode::If);
  REQUIRE(ifs.size() == 1);
  CHECK(ifs[0]->numResults() == 1);
  CHECK(k.count(OpCode::Mul) == 0);
  CHECK(k.count(OpCode::Sub) == 0);
  CHECK(k.count(OpCode::Add) == 1);
}

// ---------------------------------------------------------------------------------------------
// licm

TEST_CASE("licm: hoists invariant pure ops, keeps dependent ones and risky divisions") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *n = k.param(k.i32());
  Value *d = k.param(k.i32());
  Value *offs = k.arange(0, 64);
  Operation *loop = k.beginFor(k.cst(0, k.i32()), n, k.cst(1, k.i32()), {});
  Value *iv = loop->region(0)->argument(0);
  Value *lim = k.splat(n, {64});                        // invariant
  Value *mask = k.cmp("lt", offs, lim);                 // invariant once lim is out
  Value *q = k.bin(OpCode::Div, n, d);                  // may divide by zero: stays
  Value *q4 = k.bin(OpCode::Div, n, k.cst(4, k.i32())); // constant is invariant and nonzero
  Value *shifted = k.add(offs, k.splat(iv, {64}));      // depends on the iv: stays
  k.store(k.addptr(k.splat(p, {64}), shifted), k.splat(k.add(q, q4), {64}), mask);
  k.endFor(loop, {});
  k.ret();
  run(k, {"licm"});
  auto inLoop = [&](Value *v) { return v->definingOp()->parent() == loop->region(0); };
  CHECK(!inLoop(lim));
  CHECK(!inLoop(mask));
  CHECK(!inLoop(q4));
  CHECK(inLoop(q));
  CHECK(inLoop(shifted));
}

// ---------------------------------------------------------------------------------------------
// coalesce

TEST_CASE("coalesce: vector add gets 16-byte accesses") {
  KernelBuilder k;
  VectorAdd va(k, 1024, 16);
  run(k, {"coalesce"});
  const Layout *want = k.ctx.blocked({4}, {32}, {4}, {0});
  CHECK(va.px->type()->layout() == want);
  CHECK(va.xv->type()->layout() == want);
  CHECK(va.offs->type()->layout() == want);
  CHECK(va.mask->type()->layout() == want);
  for (Operation *op : k.ops(OpCode::Load))
    CHECK(op->attrs().getInt(kVecAttr) == 4);
  CHECK(va.st->attrs().getInt(kVecAttr) == 4);
  CHECK(everyBlockHasLayout(k));
  CHECK(k.count(OpCode::ConvertLayout) == 0);
}

TEST_CASE("coalesce: masks with an unhinted bound allow no vectors; f16 and small blocks") {
  SUBCASE("unhinted n") {
    KernelBuilder k;
    VectorAdd va(k, 1024, 1);
    run(k, {"coalesce"});
    CHECK(va.px->type()->layout() == k.ctx.blocked({4}, {32}, {4}, {0}));
    CHECK(va.st->attrs().getInt(kVecAttr) == 1);
  }
  SUBCASE("f16: 8 elements make 16 bytes") {
    KernelBuilder k;
    VectorAdd va(k, 1024, 16, k.ctx.scalar(ScalarKind::F16));
    run(k, {"coalesce"});
    CHECK(va.px->type()->layout() == k.ctx.blocked({8}, {32}, {4}, {0}));
    CHECK(va.st->attrs().getInt(kVecAttr) == 8);
  }
  SUBCASE("128 elements for 128 threads: one each") {
    KernelBuilder k;
    VectorAdd va(k, 128, 16);
    run(k, {"coalesce"});
    CHECK(va.px->type()->layout() == k.ctx.blocked({1}, {32}, {4}, {0}));
    CHECK(va.st->attrs().getInt(kVecAttr) == 1);
  }
  SUBCASE("wave64 target") {
    KernelBuilder k;
    VectorAdd va(k, 1024, 16);
    TargetInfo amd;
    amd.backend = Backend::Hip;
    amd.warpSize = 64;
    run(k, {"coalesce"}, amd);
    CHECK(va.px->type()->layout() == k.ctx.blocked({4}, {64}, {4}, {0}));
  }
}

TEST_CASE("coalesce: 2-D tile copy is row-major with 4-wide accesses") {
  KernelBuilder k;
  TileCopy tc(k, 64, 64);
  run(k, {"coalesce"});
  const Layout *want = k.ctx.blocked({1, 4}, {2, 16}, {4, 1}, {1, 0});
  CHECK(tc.ps->type()->layout() == want);
  CHECK(tc.pd->type()->layout() == want);
  CHECK(tc.offs->type()->layout() == want);
  CHECK(firstOp(k, OpCode::Load)->attrs().getInt(kVecAttr) == 4);
  CHECK(tc.st->attrs().getInt(kVecAttr) == 4);
  // The aranges feeding expand_dims take slices of the 2-D layout.
  for (Operation *r : k.ops(OpCode::MakeRange)) {
    const Layout *l = r->result(0)->type()->layout();
    REQUIRE(l);
    CHECK(l->isSlice());
    CHECK(l->parent() == want);
  }
  CHECK(k.count(OpCode::ConvertLayout) == 0);
  CHECK(everyBlockHasLayout(k));
}

TEST_CASE("coalesce: a transposing copy converts once between the two access layouts") {
  KernelBuilder k;
  Value *src = k.param(k.ptr(k.f32()), 16);
  Value *dst = k.param(k.ptr(k.f32()), 16);
  Value *stride = k.param(k.i32(), 16);
  Value *rows = k.arange(0, 64);
  Value *cols = k.arange(0, 32);
  // src[r, c] at r * stride + c (contiguous along dim 1); dst[r, c] at r + c * stride (dim 0).
  Value *so = k.add(k.broadcast(k.mul(k.expand(rows, 1), k.splat(stride, {64, 1})), {64, 32}),
                    k.broadcast(k.expand(cols, 0), {64, 32}));
  Value *dOff = k.add(k.broadcast(k.expand(rows, 1), {64, 32}),
                      k.broadcast(k.mul(k.expand(cols, 0), k.splat(stride, {1, 32})), {64, 32}));
  Value *ps = k.addptr(k.splat(src, {64, 32}), so);
  Value *pd = k.addptr(k.splat(dst, {64, 32}), dOff);
  Value *v = k.load(ps);
  Operation *st = k.store(pd, v);
  k.ret();
  run(k, {"coalesce", "remove-converts", "cse", "dce"});
  const Layout *ls = ps->type()->layout();
  const Layout *ld = pd->type()->layout();
  REQUIRE(ls);
  REQUIRE(ld);
  CHECK(ls->order() == std::vector<unsigned>{1, 0});
  CHECK(ld->order() == std::vector<unsigned>{0, 1});
  CHECK(ls->sizePerThread() == std::vector<unsigned>{1, 4});
  CHECK(ld->sizePerThread() == std::vector<unsigned>{4, 1});
  // The loaded tile is converted to the store's layout.
  Operation *cvt = st->operand(1)->definingOp();
  REQUIRE(cvt->code() == OpCode::ConvertLayout);
  CHECK(cvt->operand(0) == v);
  CHECK(everyBlockHasLayout(k));
}

TEST_CASE("coalesce: reductions, loops and default layouts") {
  KernelBuilder k;
  Value *src = k.param(k.ptr(k.f32()), 16);
  Value *dst = k.param(k.ptr(k.f32()), 16);
  Value *n = k.param(k.i32(), 16);
  Value *rows = k.arange(0, 32);
  Value *cols = k.arange(0, 128);
  Value *offs =
      k.add(k.broadcast(k.mul(k.expand(rows, 1), k.splat(k.cst(128, k.i32()), {32, 1})), {32, 128}),
            k.broadcast(k.expand(cols, 0), {32, 128}));
  Value *zero = k.fcst(0.0, k.f32());
  Value *acc0 = k.splat(zero, {32, 128});
  Operation *loop = k.beginFor(k.cst(0, k.i32()), n, k.cst(1, k.i32()), {acc0});
  Value *acc = loop->region(0)->argument(1);
  Value *tile = k.load(k.addptr(k.splat(src, {32, 128}), offs));
  k.endFor(loop, {k.add(acc, tile)});
  // Row sums: reduce along dim 1, stored as a 1-D block.
  AttrList ax;
  ax.set("axis", int64_t(1));
  Operation *red = k.b.create(OpCode::Reduce, {loop->result(0)}, {k.blk(k.f32(), {32})}, ax, {}, 1);
  Block *body = red->region(0);
  Value *l = body->addArgument(k.f32());
  Value *r = body->addArgument(k.f32());
  k.b.setInsertionPointToEnd(body);
  k.b.create(OpCode::Yield, {k.add(l, r)}, {}, {}, {});
  k.b.setInsertionPointAfter(red);
  k.store(k.addptr(k.splat(dst, {32}), rows), red->result(0));
  // A value no memory op touches.
  Value *lonely = k.splat(zero, {16, 16});
  k.ret();
  run(k, {"coalesce", "remove-converts", "cse"});
  CHECK(everyBlockHasLayout(k));
  const Layout *tileLayout = k.ctx.blocked({1, 4}, {1, 32}, {4, 1}, {1, 0});
  CHECK(acc->type()->layout() == tileLayout);
  CHECK(loop->result(0)->type()->layout() == tileLayout);
  CHECK(red->operand(0)->type()->layout() == tileLayout);
  CHECK(red->result(0)->type()->layout() == k.ctx.slice(1, tileLayout));
  // The 1-D store wants its own coalesced layout: the row sums are converted to it.
  Operation *st = k.ops(OpCode::Store).back();
  CHECK(st->operand(1)->definingOp()->code() == OpCode::ConvertLayout);
  CHECK(lonely->type()->layout() == k.ctx.blocked({1, 1}, {2, 16}, {4, 1}, {1, 0}));
}

TEST_CASE("coalesce: every kind of op ends with consistent layouts the verifier accepts") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.f32()), 16);
  Value *pi = k.param(k.ptr(k.i32()), 16);
  Value *c = k.param(k.i1());
  const Type *f32 = k.f32();
  Value *rows = k.arange(0, 32);
  Value *offs2 =
      k.add(k.broadcast(k.mul(k.expand(rows, 1), k.splat(k.cst(32, k.i32()), {32, 1})), {32, 32}),
            k.broadcast(k.expand(k.arange(0, 32), 0), {32, 32}));
  Value *a = k.load(k.addptr(k.splat(p, {32, 32}), offs2));
  AttrList tr;
  tr.set("order", std::vector<int64_t>{1, 0});
  Value *at = k.op(OpCode::Trans, {a}, a->type(), tr);
  AttrList prec;
  prec.set("input_precision", std::string("ieee"));
  Value *d = k.op(OpCode::Dot, {a, at, k.splat(k.fcst(0.0, f32), {32, 32})}, a->type(), prec);
  // scan along dim 1
  AttrList sa;
  sa.set("axis", int64_t(1));
  sa.set("reverse", false);
  Operation *scan = k.b.create(OpCode::Scan, {d}, {d->type()}, sa, {}, 1);
  {
    Block *body = scan->region(0);
    Value *x = body->addArgument(f32), *y = body->addArgument(f32);
    k.b.setInsertionPointToEnd(body);
    k.b.create(OpCode::Yield, {k.op(OpCode::Add, {x, y}, f32)}, {}, {}, {});
    k.b.setInsertionPointAfter(scan);
  }
  // if with a block result
  Operation *ifOp = k.b.create(OpCode::If, {c}, {d->type()}, {}, {}, 2);
  k.b.setInsertionPointToEnd(ifOp->region(0));
  k.b.create(OpCode::Yield, {scan->result(0)}, {}, {}, {});
  k.b.setInsertionPointToEnd(ifOp->region(1));
  k.b.create(OpCode::Yield, {d}, {}, {}, {});
  k.b.setInsertionPointAfter(ifOp);
  Value *r = ifOp->result(0);
  Value *cc = k.op(OpCode::Cat, {r, r}, k.blk(f32, {64, 32}));
  AttrList ro;
  ro.set("can_reorder", false);
  Value *rs = k.op(OpCode::Reshape, {cc}, k.blk(f32, {2048}), ro);
  Value *j = k.op(OpCode::Join, {rs, rs}, k.blk(f32, {2048, 2}));
  Operation *split = k.b.create(OpCode::Split, {j}, {rs->type(), rs->type()}, {}, {});
  Value *idx = k.arange(0, 2048);
  Value *ints = k.load(k.addptr(k.splat(pi, {2048}), idx));
  AttrList bins;
  bins.set("num_bins", int64_t(16));
  Value *h = k.op(OpCode::Histogram, {ints}, k.blk(k.i32(), {16}), bins);
  AttrList ga;
  ga.set("axis", int64_t(0));
  Value *g = k.op(OpCode::Gather, {split->result(0), ints}, rs->type(), ga);
  // while loop carrying a block
  Operation *w = k.b.create(OpCode::While, {g}, {g->type()}, {}, {}, 2);
  {
    Block *before = w->region(0), *after = w->region(1);
    Value *x = before->addArgument(g->type());
    k.b.setInsertionPointToEnd(before);
    k.b.create(OpCode::Condition, {c, x}, {}, {}, {});
    Value *y = after->addArgument(g->type());
    k.b.setInsertionPointToEnd(after);
    k.b.create(OpCode::Yield, {k.op(OpCode::Add, {y, y}, y->type())}, {}, {}, {});
    k.b.setInsertionPointAfter(w);
  }
  AttrList pr;
  pr.set("prefix", std::string("w = "));
  k.b.create(OpCode::Print, {w->result(0)}, {}, pr, {});
  k.store(k.addptr(k.splat(p, {2048}), idx), k.add(w->result(0), split->result(1)));
  k.store(k.addptr(k.splat(pi, {16}), k.arange(0, 16)), h);
  k.ret();
  TargetInfo target;
  std::vector<std::string_view> passes = pipeline("tile", target);
  for (std::string_view x : pipeline("gpu", target))
    passes.push_back(x);
  run(k, passes, target);
  CHECK(everyBlockHasLayout(k));
  // The transposed operand is produced in the permuted layout of the load.
  CHECK(k.count(OpCode::Trans) == 1);
  CHECK(k.count(OpCode::While) == 1);
}

// ---------------------------------------------------------------------------------------------
// remove-converts

TEST_CASE("remove-converts: identities, chains and rematerialized cheap values") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.i32()), 16);
  Value *n = k.param(k.i32());
  const Layout *l0 = k.ctx.blocked({1}, {32}, {4}, {0});
  const Layout *l1 = k.ctx.blocked({2}, {32}, {4}, {0});
  const Type *t0 = k.ctx.block(k.i32(), {256}, l0);
  const Type *t1 = k.ctx.block(k.i32(), {256}, l1);
  Value *a = k.op(OpCode::Splat, {n}, t0);
  AttrList ar;
  ar.set("start", int64_t(0));
  ar.set("end", int64_t(256));
  Value *r = k.op(OpCode::MakeRange, {}, t0, ar);
  Value *b = k.op(OpCode::UMulHi, {r, a}, t0); // not cheap: converted, never recomputed
  Value *c1 = k.op(OpCode::ConvertLayout, {b}, t1);
  Value *c2 = k.op(OpCode::ConvertLayout, {c1}, t0); // back to l0: b itself
  Value *same = k.op(OpCode::ConvertLayout, {c2}, t0);
  Value *d = k.op(OpCode::Add, {same, same}, t0);
  Value *e = k.op(OpCode::ConvertLayout, {a}, t1);  // a splat: rebuilt in l1
  Value *e2 = k.op(OpCode::ConvertLayout, {b}, t1); // a real conversion: kept
  Value *chain = k.op(OpCode::Add, {r, a}, t0);
  Value *e3 = k.op(OpCode::ConvertLayout, {chain}, t1); // arange + splat: recomputed in l1
  Value *f = k.op(OpCode::UMulHi, {k.op(OpCode::Add, {e, e2}, t1), e3}, t1); // not cheap either
  Value *ptrs =
      k.op(OpCode::AddPtr, {k.op(OpCode::Splat, {p}, k.ctx.block(k.ptr(k.i32()), {256}, l0)), d},
           k.ctx.block(k.ptr(k.i32()), {256}, l0));
  k.store(ptrs, k.op(OpCode::ConvertLayout, {f}, t0));
  k.ret();
  run(k, {"remove-converts", "dce"});
  Operation *dAdd = d->definingOp();
  CHECK(dAdd->operand(0) == b);
  CHECK(dAdd->operand(1) == b);
  Operation *fAdd = f->definingOp();
  Operation *inner = fAdd->operand(0)->definingOp();
  CHECK(inner->operand(0)->definingOp()->code() == OpCode::Splat);
  CHECK(inner->operand(0)->type() == t1);
  CHECK(inner->operand(1)->definingOp()->code() == OpCode::ConvertLayout);
  Operation *re = fAdd->operand(1)->definingOp();
  REQUIRE(re->code() == OpCode::Add);
  CHECK(re->result(0)->type() == t1);
  CHECK(re->operand(0)->definingOp()->code() == OpCode::MakeRange);
  CHECK(re->operand(0)->type() == t1);
  CHECK(k.count(OpCode::ConvertLayout) == 2); // b -> l1 and f -> l0
  (void)e;
  (void)e3;
}

TEST_CASE("remove-converts: a transposing copy recomputes its row and column indices") {
  KernelBuilder k;
  Value *src = k.param(k.ptr(k.f32()), 16);
  Value *dst = k.param(k.ptr(k.f32()), 16);
  Value *stride = k.param(k.i32(), 16);
  Value *rows = k.add(k.splat(k.mul(k.pid(), k.cst(64, k.i32())), {64}), k.arange(0, 64));
  Value *cols = k.arange(0, 32);
  Value *so = k.add(k.broadcast(k.mul(k.expand(rows, 1), k.splat(stride, {64, 1})), {64, 32}),
                    k.broadcast(k.expand(cols, 0), {64, 32}));
  Value *dOff = k.add(k.broadcast(k.expand(rows, 1), {64, 32}),
                      k.broadcast(k.mul(k.expand(cols, 0), k.splat(stride, {1, 32})), {64, 32}));
  Value *v = k.load(k.addptr(k.splat(src, {64, 32}), so));
  k.store(k.addptr(k.splat(dst, {64, 32}), dOff), v);
  k.ret();
  run(k, {"coalesce", "remove-converts", "cse", "dce"});
  // Only the data itself goes through a conversion.
  REQUIRE(k.count(OpCode::ConvertLayout) == 1);
  CHECK(firstOp(k, OpCode::ConvertLayout)->operand(0) == v);
}
