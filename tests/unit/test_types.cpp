// Types and layouts are interned: equal descriptions give the same pointer.
#include "ir/Builder.h"
#include "ir/Types.h"

#include <doctest/doctest.h>

using namespace tritonc;

TEST_CASE("types are interned and print in IR spelling") {
  Context ctx;
  const Type *f32 = ctx.f32();
  CHECK(f32 == ctx.scalar(ScalarKind::F32));
  CHECK(ctx.pointer(f32) == ctx.pointer(f32));
  CHECK(ctx.pointer(f32)->str() == "ptr<f32>");
  const Type *blk = ctx.block(ctx.pointer(f32), {128, 64});
  CHECK(blk->str() == "tensor<128x64xptr<f32>>");
  CHECK(blk == ctx.block(ctx.pointer(f32), {128, 64}));
  CHECK(blk->numElements() == 128 * 64);
  CHECK(blk->isPointerLike());
  CHECK(ctx.scalar(ScalarKind::U16)->isUnsigned());
  CHECK(parseScalarKind("fp16") == ScalarKind::F16);
  CHECK(parseScalarKind("bf16") == ScalarKind::BF16);
  CHECK(!parseScalarKind("fp17"));
}

TEST_CASE("layouts are interned and attach to block types") {
  Context ctx;
  const Layout *b = ctx.blocked({4}, {32}, {4}, {0});
  CHECK(b == ctx.blocked({4}, {32}, {4}, {0}));
  const Layout *s = ctx.slice(1, ctx.blocked({1, 4}, {8, 4}, {4, 1}, {1, 0}));
  CHECK(s->rank() == 1);
  const Type *t = ctx.block(ctx.f32(), {1024}, b);
  CHECK(t->layout() == b);
  CHECK(t->withLayout(nullptr) == ctx.block(ctx.f32(), {1024}));
  CHECK(t->str() == "tensor<1024xf32, #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>>");
}

TEST_CASE("use lists follow operand changes and erasure") {
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  Value *n = f->addParam(ctx.i32(), {"n", 1, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  Value *c = b.intConstant(3, ctx.i32(), {});
  Value *sum = b.createValue(OpCode::Add, {n, c}, ctx.i32(), {});
  CHECK(n->users().size() == 1);
  CHECK(c->users().size() == 1);
  Value *c2 = b.intConstant(4, ctx.i32(), {});
  c->replaceAllUsesWith(c2);
  CHECK(!c->hasUses());
  CHECK(c2->users().size() == 1);
  c->definingOp()->erase();
  sum->definingOp()->erase();
  CHECK(!n->hasUses());
  CHECK(!c2->hasUses());
}
