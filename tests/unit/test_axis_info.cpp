// Axis info (contiguity / divisibility / constancy) on small hand-built kernels; the expected
// facts are those Triton's AxisInfo derives for the same code.
#include "PassTestKernels.h"
#include "layout/LayoutUtils.h"
#include "passes/AxisInfo.h"

#include <doctest/doctest.h>

using namespace tritonc;
using namespace tritonc::testing;

namespace {
using V = std::vector<int64_t>;
constexpr int64_t kBig = kMaxDivisibility;
} // namespace

TEST_CASE("axis info: constants, arange, splat, parameters") {
  KernelBuilder k;
  Value *p16 = k.param(k.ptr(k.f32()), 16);
  Value *p = k.param(k.ptr(k.f32()));
  Value *n16 = k.param(k.i32(), 16);
  Value *c12 = k.cst(12, k.i32());
  Value *c0 = k.cst(0, k.i32());
  Value *r = k.arange(0, 128);
  Value *r64 = k.arange(64, 128);
  Value *s = k.splat(c12, {32, 4});
  Value *blockConst = k.cst(8, k.blk(k.i32(), {16}));
  AxisInfoAnalysis a(*k.f);

  CHECK(a.get(p16).divisibility == V{16});
  CHECK(a.get(p).divisibility == V{1}); // unhinted pointers: nothing assumed
  CHECK(a.get(n16).divisibility == V{16});
  CHECK(a.get(c12).divisibility == V{4});
  CHECK(a.get(c12).constantValue == 12);
  CHECK(a.get(c0).divisibility == V{kBig});
  CHECK(a.get(r).contiguity == V{128});
  CHECK(a.get(r).divisibility == V{kBig});
  CHECK(a.get(r).constancy == V{1});
  CHECK(a.get(r64).divisibility == V{64});
  CHECK(a.get(s).constancy == V{32, 4});
  CHECK(a.get(s).divisibility == V{4, 4});
  CHECK(a.get(s).constantValue == 12);
  CHECK(a.get(blockConst).constancy == V{16});
  CHECK(a.get(blockConst).divisibility == V{8});
}

TEST_CASE("axis info: vector-add offsets, pointers and mask") {
  KernelBuilder k;
  VectorAdd va(k, 1024, 16);
  AxisInfoAnalysis a(*k.f);
  // pid * 1024 + arange(1024): runs of 1024 starting at multiples of 1024.
  CHECK(a.get(va.offs).contiguity == V{1024});
  CHECK(a.get(va.offs).divisibility == V{1024});
  CHECK(a.get(va.offs).constancy == V{1});
  // The 16-byte aligned base plus 4-byte elements: aligned to 16 bytes, contiguous.
  CHECK(a.get(va.px).contiguity == V{1024});
  CHECK(a.get(va.px).divisibility == V{16});
  CHECK(a.pointerAlignment(va.px, 0) == 4);
  // offs < n with n a multiple of 16: the mask is constant over aligned runs of 16.
  CHECK(a.get(va.mask).constancy == V{16});
}

TEST_CASE("axis info: an unhinted bound makes the mask non-constant") {
  KernelBuilder k;
  VectorAdd va(k, 1024, 1);
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(va.mask).constancy == V{1});
  CHECK(a.get(va.px).divisibility == V{16});
}

TEST_CASE("axis info: 2-D tile offsets rows[:, None] * stride + cols[None, :]") {
  KernelBuilder k;
  TileCopy tc(k, 64, 64);
  AxisInfoAnalysis a(*k.f);
  AxisInfo offs = a.get(tc.offs);
  CHECK(offs.contiguity == V{1, 64});
  CHECK(offs.divisibility == V{1, 16});
  CHECK(offs.constancy == V{1, 1});
  AxisInfo ps = a.get(tc.ps);
  CHECK(ps.contiguity == V{1, 64});
  CHECK(ps.divisibility ==
        V{4, 16}); // bytes: rows step by a multiple of 16 elements only along dim 1
}

TEST_CASE("axis info: expand_dims and broadcast") {
  KernelBuilder k;
  Value *r = k.arange(0, 32);
  Value *e0 = k.expand(r, 0); // [1, 32]
  Value *e1 = k.expand(r, 1); // [32, 1]
  Value *b0 = k.broadcast(e0, {16, 32});
  Value *b1 = k.broadcast(e1, {32, 8});
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(e0).contiguity == V{1, 32});
  CHECK(a.get(e0).divisibility ==
        V{1, kBig}); // the new dim: a run's divisibility is not per element
  CHECK(a.get(e1).contiguity == V{32, 1});
  CHECK(a.get(b0).constancy == V{16, 1});
  CHECK(a.get(b0).contiguity == V{1, 32});
  CHECK(a.get(b1).constancy == V{1, 8});
}

TEST_CASE("axis info: mul, div, rem, shifts") {
  KernelBuilder k;
  Value *r = k.arange(0, 64);
  Value *c4 = k.splat(k.cst(4, k.i32()), {64});
  Value *c8 = k.splat(k.cst(8, k.i32()), {64});
  Value *one = k.splat(k.cst(1, k.i32()), {64});
  Value *mul = k.mul(r, c4);
  Value *mul1 = k.mul(r, one);
  Value *div = k.bin(OpCode::Div, r, c4);
  Value *rem = k.bin(OpCode::Rem, r, c8);
  Value *shr = k.bin(OpCode::Shr, r, k.splat(k.cst(2, k.i32()), {64}));
  Value *shl =
      k.bin(OpCode::Shl, k.splat(k.cst(3, k.i32()), {64}), k.splat(k.cst(4, k.i32()), {64}));
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(mul).contiguity == V{1});
  CHECK(a.get(mul).divisibility == V{4}); // the run's divisibility is not per element
  CHECK(a.get(mul1).contiguity == V{64});
  CHECK(a.get(div).constancy == V{4});
  CHECK(a.get(div).contiguity == V{1});
  CHECK(a.get(rem).contiguity == V{8});
  CHECK(a.get(rem).divisibility == V{8});
  CHECK(a.get(shr).constancy == V{4});
  CHECK(a.get(shl).constantValue == 48);
  CHECK(a.get(shl).divisibility == V{16});
  CHECK(a.get(shl).constancy == V{64});
}

TEST_CASE("axis info: cmp constancy follows Triton's rules per predicate") {
  KernelBuilder k;
  Value *r = k.arange(0, 64);
  Value *c16 = k.splat(k.cst(16, k.i32()), {64});
  Value *lt = k.cmp("lt", r, c16); // run on the left, constant on the right: flips at 16
  Value *gt = k.cmp("gt", r, c16); // flips between 16 and 17: not aligned
  Value *le = k.cmp("le", c16, r); // constant on the left: flips at 16
  Value *eq = k.cmp("eq", r, c16);
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(lt).constancy == V{16});
  CHECK(a.get(gt).constancy == V{1});
  CHECK(a.get(le).constancy == V{16});
  CHECK(a.get(eq).constancy == V{1});
}

TEST_CASE("axis info: select, casts and constant folding") {
  KernelBuilder k;
  Value *r = k.arange(0, 64);
  Value *c = k.cmp("lt", r, k.splat(k.cst(32, k.i32()), {64})); // constancy 32
  Value *sel = k.op(OpCode::Select, {c, r, k.add(r, k.splat(k.cst(64, k.i32()), {64}))}, r->type());
  Value *wide = k.op(OpCode::Cast, {r}, k.blk(k.ctx.i64(), {64}));
  Value *sum = k.add(k.cst(3, k.i32()), k.cst(5, k.i32()));
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(sel).contiguity == V{32});
  CHECK(a.get(sel).divisibility == V{64});
  CHECK(a.get(wide).contiguity == V{64});
  CHECK(a.get(sum).constantValue == 8);
  CHECK(a.get(sum).divisibility == V{8});
}

TEST_CASE("axis info: hints replace derived facts") {
  KernelBuilder k;
  Value *n = k.param(k.i32());
  AttrList hint;
  hint.set("multiple_of", int64_t(16));
  Value *m = k.op(OpCode::Add, {n, k.cst(0, k.i32())}, k.i32(), hint);
  Value *offs = k.add(k.splat(m, {128}), k.arange(0, 128));
  AttrList contig;
  contig.set("max_contiguous", std::vector<int64_t>{8});
  contig.set("multiple_of", std::vector<int64_t>{8});
  Value *h = k.op(OpCode::Add, {offs, k.splat(n, {128})}, offs->type(), contig);
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(m).divisibility == V{16});
  CHECK(a.get(offs).divisibility == V{16});
  CHECK(a.get(offs).contiguity == V{128});
  CHECK(a.get(h).contiguity == V{8});
  CHECK(a.get(h).divisibility == V{8});
}

TEST_CASE("axis info: for-loop induction variable and carried pointers") {
  KernelBuilder k;
  Value *p = k.param(k.ptr(k.f32()), 16);
  Value *kk = k.param(k.i32());
  Value *offs = k.arange(0, 128);
  Value *p0 = k.addptr(k.splat(p, {128}), offs);
  Value *iv = nullptr, *carried = nullptr, *next = nullptr;
  Operation *loop = k.beginFor(k.cst(0, k.i32()), kk, k.cst(32, k.i32()), {p0});
  iv = loop->region(0)->argument(0);
  carried = loop->region(0)->argument(1);
  next = k.addptr(carried, k.splat(k.cst(128, k.i32()), {128}));
  k.endFor(loop, {next});
  Value *ptrAfter = loop->result(0);
  // A carried value that grows by an odd amount: joins lose divisibility.
  Operation *loop2 = k.beginFor(k.cst(0, k.i32()), kk, k.cst(1, k.i32()), {k.cst(0, k.i32())});
  Value *acc = loop2->region(0)->argument(1);
  k.endFor(loop2, {k.add(acc, k.cst(3, k.i32()))});
  k.ret();
  AxisInfoAnalysis a(*k.f);
  CHECK(a.get(iv).divisibility == V{32});
  CHECK(a.get(carried).contiguity == V{128});
  CHECK(a.get(carried).divisibility == V{16});
  CHECK(a.get(ptrAfter).divisibility == V{16});
  CHECK(a.get(loop2->result(0)).divisibility == V{1});
  CHECK(!a.get(loop2->result(0)).constantValue);
}

TEST_CASE("vector width: layout, alignment and mask constancy") {
  Context ctx;
  const Layout *l4 = ctx.blocked({4}, {32}, {4}, {0});
  const Layout *l8 = ctx.blocked({8}, {32}, {4}, {0});
  AxisInfo ptr = AxisInfo::pessimistic(1);
  ptr.contiguity = {1024};
  ptr.divisibility = {16};
  CHECK(memoryVectorWidth(ptr, nullptr, l4, {1024}, 4, 16) == 4);
  CHECK(memoryVectorWidth(ptr, nullptr, l8, {1024}, 4, 16) == 4); // 16 bytes of f32
  CHECK(memoryVectorWidth(ptr, nullptr, l8, {1024}, 2, 16) == 8); // f16: 16-byte alignment allows 8
  AxisInfo mask = AxisInfo::pessimistic(1);
  mask.constancy = {2};
  CHECK(memoryVectorWidth(ptr, &mask, l4, {1024}, 4, 16) == 2);
  ptr.divisibility = {4};
  CHECK(memoryVectorWidth(ptr, nullptr, l4, {1024}, 4, 16) == 1);
  // 2-D: the fastest dim of the layout is the one that counts.
  const Layout *l2 = ctx.blocked({1, 4}, {2, 16}, {4, 1}, {1, 0});
  AxisInfo p2 = AxisInfo::pessimistic(2);
  p2.contiguity = {1, 64};
  p2.divisibility = {4, 16};
  CHECK(memoryVectorWidth(p2, nullptr, l2, {64, 64}, 4, 16) == 4);
  // A slice keeps the parent's other dim: slice(0) of [1, 4] holds 4 contiguous, slice(1) 1.
  AxisInfo p1 = AxisInfo::pessimistic(1);
  p1.contiguity = {64};
  p1.divisibility = {16};
  CHECK(memoryVectorWidth(p1, nullptr, ctx.slice(0, l2), {64}, 4, 16) == 4);
  CHECK(memoryVectorWidth(p1, nullptr, ctx.slice(1, l2), {64}, 4, 16) == 1);
}

TEST_CASE("layout helpers: Triton's blocked layouts") {
  Context ctx;
  CHECK(blockedLayoutFor(ctx, {1024}, {4}, {0}, 4, 32) == ctx.blocked({4}, {32}, {4}, {0}));
  CHECK(blockedLayoutFor(ctx, {64, 64}, {1, 4}, {1, 0}, 4, 32) ==
        ctx.blocked({1, 4}, {2, 16}, {4, 1}, {1, 0}));
  CHECK(defaultBlockedLayout(ctx, {128, 32}, 4, 32) ==
        ctx.blocked({1, 1}, {1, 32}, {4, 1}, {1, 0}));
  CHECK(defaultBlockedLayout(ctx, {16, 16}, 4, 32) == ctx.blocked({1, 1}, {2, 16}, {4, 1}, {1, 0}));
  // A block smaller than the CTA: the slowest dim absorbs the extra threads (replication).
  CHECK(defaultBlockedLayout(ctx, {32}, 4, 32) == ctx.blocked({1}, {32}, {4}, {0}));
  CHECK(defaultBlockedLayout(ctx, {64}, 8, 64) == ctx.blocked({1}, {64}, {8}, {0}));
  const Layout *l = ctx.blocked({1, 4}, {2, 16}, {4, 1}, {1, 0});
  CHECK(layoutOrder(ctx.slice(0, l)) == std::vector<unsigned>{0});
  CHECK(layoutOrder(ctx.slice(1, l)) == std::vector<unsigned>{0});
  CHECK(layoutSizePerThread(ctx.slice(0, l)) == std::vector<unsigned>{4});
  const Layout *t = permuteBlocked(ctx, l, {1, 0});
  CHECK(t == ctx.blocked({4, 1}, {16, 2}, {1, 4}, {0, 1}));
  CHECK(inversePermuteBlocked(ctx, t, {1, 0}) == l);
  CHECK(permuteBlocked(ctx, ctx.slice(0, l), {0}) == nullptr);
}
