// The reference interpreter on kernels built with the Builder: results against hand-computed
// references, Triton's rounding and integer corner cases, memory and assert errors with their
// exact messages, device_print's format, and the differential tester naming a planted bug.
#include "interp/Differential.h"
#include "interp/FloatFormats.h"
#include "interp/Interpreter.h"
#include "ir/Builder.h"

#include "TestAttrs.h"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <sstream>

using namespace tritonc;
using tritonc::testing::attrs;

namespace {

/// A kernel under construction: one function "k", a builder at the end of its body.
struct Kernel {
  Context ctx;
  Module module{ctx};
  Function *fn;
  Builder b{ctx};
  SourceLoc loc{};

  Kernel() {
    fn = module.addFunction("k", {});
    b.setInsertionPointToEnd(fn->body());
  }
  Value *param(const Type *t, std::string name) { return fn->addParam(t, ParamInfo{name, 1, {}}); }
  Value *op(OpCode code, std::vector<Value *> in, const Type *t, AttrList a = {}) {
    return b.createValue(code, std::move(in), t, loc, std::move(a));
  }
  Operation *stmt(OpCode code, std::vector<Value *> in, AttrList a = {}) {
    return b.create(code, std::move(in), {}, std::move(a), loc);
  }
  Value *i32c(int64_t v) { return b.intConstant(v, ctx.i32(), loc); }
  const Type *blk(const Type *e, std::vector<int64_t> shape) {
    return ctx.block(e, std::move(shape));
  }
  void finish() { stmt(OpCode::Return, {}); }

  // offs = pid * block + arange(0, block)
  Value *offsets(int64_t block) {
    const Type *bi = blk(ctx.i32(), {block});
    Value *pid = op(OpCode::ProgramId, {}, ctx.i32(), attrs({{"axis", int64_t{0}}}));
    Value *start = op(OpCode::Mul, {pid, i32c(block)}, ctx.i32());
    Value *range = op(OpCode::MakeRange, {}, bi, attrs({{"start", int64_t{0}}, {"end", block}}));
    return op(OpCode::Add, {op(OpCode::Splat, {start}, bi), range}, bi);
  }
  Value *ptrs(Value *base, Value *offs) {
    const Type *bp = offs->type()->withElement(base->type());
    return op(OpCode::AddPtr, {op(OpCode::Splat, {base}, bp), offs}, bp);
  }
};

/// add_kernel(x_ptr, y_ptr, output_ptr, n_elements) of examples/vector_add.tt; without `masked`
/// the store is unmasked (the bug the memory checker catches) and carries `storeLoc`.
void buildVectorAdd(Kernel &k, int64_t block, bool masked, SourceLoc storeLoc = {}) {
  const Type *f32 = k.ctx.f32(), *pf = k.ctx.pointer(f32);
  Value *x = k.param(pf, "x_ptr"), *y = k.param(pf, "y_ptr"), *out = k.param(pf, "output_ptr");
  Value *n = k.param(k.ctx.i32(), "n_elements");
  Value *offs = k.offsets(block);
  const Type *bf = k.blk(f32, {block});
  Value *mask = k.op(OpCode::Cmp, {offs, k.op(OpCode::Splat, {n}, offs->type())},
                     k.blk(k.ctx.i1(), {block}), attrs({{"pred", std::string("lt")}}));
  Value *xv = k.op(OpCode::Load, {k.ptrs(x, offs), mask}, bf);
  Value *yv = k.op(OpCode::Load, {k.ptrs(y, offs), mask}, bf);
  Value *sum = k.op(OpCode::Add, {xv, yv}, bf);
  std::vector<Value *> storeOps = {k.ptrs(out, offs), sum};
  if (masked)
    storeOps.push_back(mask);
  k.b.create(OpCode::Store, storeOps, {}, {}, storeLoc);
  k.finish();
}

KernelArgs vectorAddArgs(Context &ctx, int64_t n) {
  KernelArgs args;
  for (const char *name : {"x_ptr", "y_ptr", "output_ptr"}) {
    args.args.push_back(KernelArg::ofBuffer(args.buffers.size()));
    args.buffers.push_back(makeBuffer(name, ctx.f32(), {n}));
  }
  for (int64_t i = 0; i < n; ++i) {
    args.buffers[0].setDouble(i, 0.5 * static_cast<double>(i));
    args.buffers[1].setDouble(i, 1000.0 - static_cast<double>(i));
  }
  args.args.push_back(KernelArg::ofScalar(scalarBits(ctx.i32(), n)));
  return args;
}

bool run(Kernel &k, KernelArgs &args, std::array<int64_t, 3> grid, DiagnosticEngine &diags,
         std::string *printed = nullptr) {
  std::ostringstream out;
  bool ok = runKernel(*k.fn, grid, args, InterpOptions{}, diags, out);
  if (printed)
    *printed = out.str();
  return ok;
}

/// Runs a kernel with one output buffer `out` of `n` elements of `elem` and returns it.
Buffer runToBuffer(Kernel &k, const Type *elem, int64_t n) {
  KernelArgs args;
  args.buffers.push_back(makeBuffer("out", elem, {n}));
  args.args.push_back(KernelArg::ofBuffer(0));
  DiagnosticEngine diags;
  bool ok = run(k, args, {1, 1, 1}, diags);
  CHECK(ok);
  for (const Diagnostic &d : diags.diagnostics())
    MESSAGE(d.message);
  return args.buffers[0];
}

/// Stores `v` (a scalar, or a 1-D block stored from element 0) to the kernel's first parameter.
void storeAll(Kernel &k, Value *v) {
  Value *out = k.fn->body()->argument(0);
  if (!v->type()->isBlock()) {
    k.stmt(OpCode::Store, {out, v});
    return;
  }
  const int64_t n = v->type()->numElements();
  Value *range = k.op(OpCode::MakeRange, {}, k.blk(k.ctx.i32(), {n}),
                      attrs({{"start", int64_t{0}}, {"end", n}}));
  k.stmt(OpCode::Store, {k.ptrs(out, range), v});
}

} // namespace

TEST_CASE("interpreter: vector add over a grid, masked tail untouched") {
  Kernel k;
  buildVectorAdd(k, 1024, true);
  KernelArgs args = vectorAddArgs(k.ctx, 4000);
  DiagnosticEngine diags;
  REQUIRE(run(k, args, {4, 1, 1}, diags));
  const Buffer &out = args.buffers[2];
  for (int64_t i : {0, 1, 1023, 1024, 3999})
    CHECK(out.getDouble(i) == 0.5 * static_cast<double>(i) + 1000.0 - static_cast<double>(i));
}

TEST_CASE("interpreter: masked load takes `other`, scalar loads and stores") {
  Kernel k;
  const Type *i32 = k.ctx.i32(), *pi = k.ctx.pointer(i32);
  Value *out = k.param(pi, "out");
  Value *in = k.param(pi, "in");
  const Type *bi = k.blk(i32, {8});
  Value *offs =
      k.op(OpCode::MakeRange, {}, bi, attrs({{"start", int64_t{0}}, {"end", int64_t{8}}}));
  Value *mask = k.op(OpCode::Cmp, {offs, k.op(OpCode::Splat, {k.i32c(5)}, bi)},
                     k.blk(k.ctx.i1(), {8}), attrs({{"pred", std::string("lt")}}));
  Value *other = k.op(OpCode::Splat, {k.i32c(-7)}, bi);
  Value *v = k.op(OpCode::Load, {k.ptrs(in, offs), mask, other}, bi);
  k.stmt(OpCode::Store, {k.ptrs(out, offs), v});
  // out[8] = in[0] through scalar pointer ops.
  Value *first = k.op(OpCode::Load, {in}, i32);
  k.stmt(OpCode::Store, {k.op(OpCode::AddPtr, {out, k.i32c(8)}, pi), first});
  k.finish();

  KernelArgs args;
  args.buffers.push_back(makeBuffer("out", i32, {9}));
  args.buffers.push_back(makeBuffer("in", i32, {5})); // only 5 elements: the rest is masked off
  for (int i = 0; i < 5; ++i)
    args.buffers[1].setInt(i, 10 + i);
  args.args = {KernelArg::ofBuffer(0), KernelArg::ofBuffer(1)};
  DiagnosticEngine diags;
  REQUIRE(run(k, args, {1, 1, 1}, diags));
  const Buffer &o = args.buffers[0];
  CHECK(o.getInt(0) == 10);
  CHECK(o.getInt(4) == 14);
  CHECK(o.getInt(5) == -7);
  CHECK(o.getInt(7) == -7);
  CHECK(o.getInt(8) == 10);
}

TEST_CASE("interpreter: integer division, remainder and shifts follow the type") {
  struct Case {
    ScalarKind kind;
    OpCode code;
    int64_t a, b, expected;
  };
  const Case cases[] = {
      {ScalarKind::I32, OpCode::Div, 7, -2, -3},
      {ScalarKind::I32, OpCode::Div, -7, 2, -3},
      {ScalarKind::I32, OpCode::Div, -7, -2, 3},
      {ScalarKind::I32, OpCode::Rem, 7, -2, 1},
      {ScalarKind::I32, OpCode::Rem, -7, 2, -1},
      {ScalarKind::I32, OpCode::Rem, -7, -2, -1},
      {ScalarKind::I32, OpCode::Div, INT32_MIN, -1, INT32_MIN},
      {ScalarKind::I32, OpCode::Rem, INT32_MIN, -1, 0},
      {ScalarKind::I32, OpCode::Div, 5, 0, -1},
      {ScalarKind::I32, OpCode::Rem, 5, 0, -1},
      {ScalarKind::U32, OpCode::Div, -2, 2, 0x7fffffff}, // 0xfffffffe / 2
      {ScalarKind::U32, OpCode::Rem, -1, 10, 5},         // 4294967295 % 10
      {ScalarKind::I32, OpCode::Shr, -16, 2, -4},
      {ScalarKind::U32, OpCode::Shr, -16, 2, 0x3ffffffc},
      {ScalarKind::I32, OpCode::Shr, -16, 40, -1},
      {ScalarKind::I32, OpCode::Shl, 1, 32, 0},
      {ScalarKind::I8, OpCode::Add, 127, 1, -128},
      {ScalarKind::U8, OpCode::Mul, 16, 17, 16},
      {ScalarKind::I32, OpCode::Max, -1, 1, 1},
      {ScalarKind::U32, OpCode::Max, -1, 1, 0xffffffff},
      {ScalarKind::I32, OpCode::UMulHi, -1, 2, 1},
      {ScalarKind::I64, OpCode::Div, INT64_MIN, -1, INT64_MIN},
  };
  for (const Case &c : cases) {
    Kernel k;
    const Type *t = k.ctx.scalar(c.kind);
    k.param(k.ctx.pointer(t), "out");
    Value *r = k.op(c.code, {k.b.intConstant(c.a, t, {}), k.b.intConstant(c.b, t, {})}, t);
    storeAll(k, r);
    k.finish();
    Buffer out = runToBuffer(k, t, 1);
    CAPTURE(std::string(opInfo(c.code).mnemonic));
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(out.getInt(0) == c.expected);
  }
}

TEST_CASE("interpreter: float formats round to nearest even once, fp8 saturates") {
  using namespace interp;
  // f16: 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even gives 1.
  CHECK(encodeFloat(ScalarKind::F16, 1.0 + std::ldexp(1.0, -11)) == 0x3c00);
  CHECK(encodeFloat(ScalarKind::F16, 1.0 + 3 * std::ldexp(1.0, -11)) == 0x3c02);
  CHECK(encodeFloat(ScalarKind::F16, 65519.0) == 0x7bff);
  CHECK(encodeFloat(ScalarKind::F16, 65520.0) == 0x7c00); // rounds to infinity
  CHECK(encodeFloat(ScalarKind::F16, 65520.0, Rounding::TowardZero) == 0x7bff);
  CHECK(encodeFloat(ScalarKind::F16, std::ldexp(1.0, -24)) == 0x0001); // smallest subnormal
  CHECK(encodeFloat(ScalarKind::F16, std::ldexp(1.0, -25)) == 0x0000); // tie to even (zero)
  CHECK(encodeFloat(ScalarKind::F16, -0.0) == 0x8000);
  CHECK(encodeFloat(ScalarKind::F16, NAN) == 0x7fff);
  CHECK(decodeFloat(ScalarKind::F16, 0x3555) == doctest::Approx(0.33325195));
  CHECK(encodeFloat(ScalarKind::BF16, 1.0 + std::ldexp(1.0, -8)) == 0x3f80);
  CHECK(encodeFloat(ScalarKind::BF16, 1.0 + 3 * std::ldexp(1.0, -8)) == 0x3f82);
  CHECK(encodeFloat(ScalarKind::F8E4NV, 1000.0) == 0x7e); // 448
  CHECK(decodeFloat(ScalarKind::F8E4NV, 0x7e) == 448.0);
  CHECK(std::isnan(decodeFloat(ScalarKind::F8E4NV, 0x7f)));
  CHECK(encodeFloat(ScalarKind::F8E5, INFINITY) == 0x7b);           // 57344
  CHECK(encodeFloat(ScalarKind::F8E5, 0.3) == 0x35);                // 0.3125
  CHECK(encodeFloatFromInt(ScalarKind::F16, 2049, true) == 0x6800); // 2048: tie to even
  CHECK(encodeFloatFromInt(ScalarKind::BF16, (uint64_t(1) << 62) + 1, false) == 0x5e80);
  CHECK(truncateToTf32(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -13)) == 1.0f);
  CHECK(truncateToTf32(-1.0f - std::ldexp(1.0f, -10)) == -1.0f - std::ldexp(1.0f, -10));

  // fp16 arithmetic in a kernel rounds after each op: (1 + 2^-11) + 2^-11 in f16 is 1.
  Kernel k;
  const Type *f16 = k.ctx.scalar(ScalarKind::F16);
  k.param(k.ctx.pointer(f16), "out");
  Value *tiny = k.b.floatConstant(std::ldexp(1.0, -11), f16, {});
  Value *one = k.b.floatConstant(1.0, f16, {});
  Value *sum = k.op(OpCode::Add, {k.op(OpCode::Add, {one, tiny}, f16), tiny}, f16);
  storeAll(k, sum);
  k.finish();
  CHECK(runToBuffer(k, f16, 1).getDouble(0) == 1.0);
}

TEST_CASE("interpreter: max/min ignore NaN unless propagate_nan; casts saturate") {
  Kernel k;
  const Type *f32 = k.ctx.f32(), *i32 = k.ctx.i32();
  k.param(k.ctx.pointer(f32), "out");
  Value *nan = k.b.floatConstant(NAN, f32, {});
  Value *two = k.b.floatConstant(2.0, f32, {});
  Value *m1 = k.op(OpCode::Max, {nan, two}, f32);
  Value *m2 = k.op(OpCode::Max, {nan, two}, f32, attrs({{"propagate_nan", true}}));
  Value *big = k.b.floatConstant(3e9, f32, {});
  Value *c1 = k.op(OpCode::Cast, {k.op(OpCode::Cast, {big}, i32)}, f32); // saturates
  Value *c2 =
      k.op(OpCode::Cast, {k.op(OpCode::Cast, {k.b.floatConstant(-2.7, f32, {})}, i32)}, f32);
  Value *c3 = k.op(OpCode::Cast, {k.op(OpCode::Cast, {nan}, i32)}, f32);
  Value *c4 = k.op(
      OpCode::Cast,
      {k.op(OpCode::Cast, {k.b.floatConstant(-5.0, f32, {})}, k.ctx.scalar(ScalarKind::U8))}, f32);
  Value *tanh = k.op(OpCode::ExternCall, {two}, f32, attrs({{"name", std::string("__nv_tanhf")}}));
  Value *isnan =
      k.op(OpCode::Cast,
           {k.op(OpCode::ExternCall, {nan}, i32, attrs({{"name", std::string("isnan")}}))}, f32);
  Value *pow = k.op(OpCode::ExternCall, {two, k.b.floatConstant(10.0, f32, {})}, f32,
                    attrs({{"name", std::string("pow")}}));
  Value *out = k.fn->body()->argument(0);
  int i = 0;
  for (Value *v : {m1, m2, c1, c2, c3, c4, tanh, isnan, pow})
    k.stmt(OpCode::Store, {k.op(OpCode::AddPtr, {out, k.i32c(i++)}, out->type()), v});
  k.finish();
  Buffer b = runToBuffer(k, f32, 9);
  CHECK(b.getDouble(0) == 2.0);
  CHECK(std::isnan(b.getDouble(1)));
  CHECK(b.getDouble(2) == 2147483648.0); // INT32_MAX, rounded to f32
  CHECK(b.getDouble(3) == -2.0);
  CHECK(b.getDouble(4) == 0.0);
  CHECK(b.getDouble(5) == 0.0);
  CHECK(b.getDouble(6) == doctest::Approx(std::tanh(2.0)));
  CHECK(b.getDouble(7) == 1.0);
  CHECK(b.getDouble(8) == 1024.0);
}

TEST_CASE("interpreter: reduce evaluates its combine region along an axis") {
  Kernel k;
  const Type *i32 = k.ctx.i32();
  k.param(k.ctx.pointer(i32), "out");
  // x[i, j] = 8 * i + j over a 4x8 block; sum along axis 1 and max along axis 0.
  const Type *b32 = k.blk(i32, {32}), *b4x8 = k.blk(i32, {4, 8});
  Value *flat =
      k.op(OpCode::MakeRange, {}, b32, attrs({{"start", int64_t{0}}, {"end", int64_t{32}}}));
  Value *x = k.op(OpCode::Reshape, {flat}, b4x8);
  auto reduce = [&](OpCode combineOp, int64_t axis, std::vector<int64_t> shape) {
    Operation *r =
        k.b.create(OpCode::Reduce, {x}, {k.blk(i32, shape)}, attrs({{"axis", axis}}), {}, 1);
    Block *body = r->region(0);
    Value *a = body->addArgument(i32), *b = body->addArgument(i32);
    Builder rb(k.ctx);
    rb.setInsertionPointToEnd(body);
    Value *c = rb.createValue(combineOp, {a, b}, i32, {});
    rb.create(OpCode::Yield, {c}, {}, {}, {});
    return r->result();
  };
  Value *rowSums = reduce(OpCode::Add, 1, {4}); // 28, 92, 156, 220
  Value *colMax = reduce(OpCode::Max, 0, {8});  // 24..31
  Value *joined = k.op(OpCode::Cat,
                       {k.op(OpCode::Join, {rowSums, rowSums}, k.blk(i32, {4, 2})),
                        k.op(OpCode::Reshape, {colMax}, k.blk(i32, {4, 2}))},
                       k.blk(i32, {8, 2}));
  storeAll(k, k.op(OpCode::Reshape, {joined}, k.blk(i32, {16})));
  k.finish();
  Buffer b = runToBuffer(k, i32, 16);
  const int64_t expected[] = {28, 28, 92, 92, 156, 156, 220, 220, 24, 25, 26, 27, 28, 29, 30, 31};
  for (int i = 0; i < 16; ++i) {
    CAPTURE(i);
    CHECK(b.getInt(i) == expected[i]);
  }
}

TEST_CASE("interpreter: scan, for loop with carried values, while, if") {
  Kernel k;
  const Type *i32 = k.ctx.i32();
  k.param(k.ctx.pointer(i32), "out");
  const Type *b8 = k.blk(i32, {8});
  Value *r = k.op(OpCode::MakeRange, {}, b8, attrs({{"start", int64_t{1}}, {"end", int64_t{9}}}));
  // cumsum (reverse) of 1..8: 36, 35, 33, 30, 26, 21, 15, 8
  Operation *scan =
      k.b.create(OpCode::Scan, {r}, {b8}, attrs({{"axis", int64_t{0}}, {"reverse", true}}), {}, 1);
  {
    Block *body = scan->region(0);
    Value *a = body->addArgument(i32), *b = body->addArgument(i32);
    Builder rb(k.ctx);
    rb.setInsertionPointToEnd(body);
    rb.create(OpCode::Yield, {rb.createValue(OpCode::Add, {a, b}, i32, {})}, {}, {}, {});
  }
  // for i in range(10, 0, -3): acc += i  → 10 + 7 + 4 + 1 = 22
  Operation *loop =
      k.b.create(OpCode::For, {k.i32c(10), k.i32c(0), k.i32c(-3), k.i32c(0)}, {i32}, {}, {}, 1);
  {
    Block *body = loop->region(0);
    Value *iv = body->addArgument(i32), *acc = body->addArgument(i32);
    Builder rb(k.ctx);
    rb.setInsertionPointToEnd(body);
    rb.create(OpCode::Yield, {rb.createValue(OpCode::Add, {acc, iv}, i32, {})}, {}, {}, {});
  }
  // while v < 100: v *= 3 (from 1) → 243
  Operation *wh = k.b.create(OpCode::While, {k.i32c(1)}, {i32}, {}, {}, 2);
  {
    Block *before = wh->region(0), *after = wh->region(1);
    Value *v = before->addArgument(i32);
    Builder rb(k.ctx);
    rb.setInsertionPointToEnd(before);
    Value *c = rb.createValue(OpCode::Cmp, {v, rb.intConstant(100, i32, {})}, k.ctx.i1(), {},
                              attrs({{"pred", std::string("lt")}}));
    rb.create(OpCode::Condition, {c, v}, {}, {}, {});
    Value *w = after->addArgument(i32);
    rb.setInsertionPointToEnd(after);
    rb.create(OpCode::Yield,
              {rb.createValue(OpCode::Mul, {w, rb.intConstant(3, i32, {})}, i32, {})}, {}, {}, {});
  }
  // if 22 > 20: 1 else 2
  Value *cond = k.op(OpCode::Cmp, {loop->result(), k.i32c(20)}, k.ctx.i1(),
                     attrs({{"pred", std::string("gt")}}));
  Operation *iff = k.b.create(OpCode::If, {cond}, {i32}, {}, {}, 2);
  for (int branch = 0; branch < 2; ++branch) {
    Builder rb(k.ctx);
    rb.setInsertionPointToEnd(iff->region(branch));
    rb.create(OpCode::Yield, {rb.intConstant(branch + 1, i32, {})}, {}, {}, {});
  }
  Value *out = k.fn->body()->argument(0);
  Value *scanned = scan->result();
  k.stmt(OpCode::Store, {k.ptrs(out, k.op(OpCode::MakeRange, {}, b8,
                                          attrs({{"start", int64_t{0}}, {"end", int64_t{8}}}))),
                         scanned});
  int i = 8;
  for (Value *v : {loop->result(), wh->result(), iff->result()})
    k.stmt(OpCode::Store, {k.op(OpCode::AddPtr, {out, k.i32c(i++)}, out->type()), v});
  k.finish();
  Buffer b = runToBuffer(k, i32, 11);
  const int64_t expected[] = {36, 35, 33, 30, 26, 21, 15, 8, 22, 243, 1};
  for (int j = 0; j < 11; ++j) {
    CAPTURE(j);
    CHECK(b.getInt(j) == expected[j]);
  }
}

TEST_CASE("interpreter: dot accumulates in fp32, cutting f32 inputs to tf32 unless ieee") {
  for (const char *precision : {"tf32", "ieee"}) {
    Kernel k;
    const Type *f32 = k.ctx.f32();
    k.param(k.ctx.pointer(f32), "out");
    const Type *b16 = k.blk(f32, {16, 16});
    // a = 1 + 2^-11 + 2^-13 everywhere (not a tf32 value; the tensor core reads 1), b = ones:
    // every output is 16 * a, i.e. 16 in tf32 and 16 + 2^-7 + 2^-9 in ieee.
    Value *a =
        k.op(OpCode::Splat,
             {k.b.floatConstant(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -13), f32, {})}, b16);
    Value *one = k.op(OpCode::Splat, {k.b.floatConstant(1.0, f32, {})}, b16);
    Value *zero = k.op(OpCode::Splat, {k.b.floatConstant(0.0, f32, {})}, b16);
    Value *d = k.op(OpCode::Dot, {a, one, zero}, b16,
                    attrs({{"input_precision", std::string(precision)}}));
    storeAll(k, k.op(OpCode::Reshape, {d}, k.blk(f32, {256})));
    k.finish();
    Buffer b = runToBuffer(k, f32, 256);
    CAPTURE(precision);
    CHECK(b.getDouble(255) == (std::string(precision) == "tf32"
                                   ? 16.0
                                   : 16.0 + std::ldexp(1.0, -7) + std::ldexp(1.0, -9)));
  }
}

TEST_CASE("interpreter: atomics see every program in order") {
  Kernel k;
  const Type *i32 = k.ctx.i32(), *pi = k.ctx.pointer(i32);
  Value *out = k.param(pi, "out");
  // old = atomic_add(out[0], 1); out[1 + pid] = old
  Value *old =
      k.op(OpCode::AtomicRMW, {out, k.i32c(1)}, i32, attrs({{"kind", std::string("add")}}));
  Value *pid = k.op(OpCode::ProgramId, {}, i32, attrs({{"axis", int64_t{0}}}));
  Value *slot = k.op(OpCode::AddPtr, {out, k.op(OpCode::Add, {pid, k.i32c(1)}, i32)}, pi);
  k.stmt(OpCode::Store, {slot, old});
  k.finish();
  KernelArgs args;
  args.buffers.push_back(makeBuffer("out", i32, {6}));
  args.args = {KernelArg::ofBuffer(0)};
  DiagnosticEngine diags;
  REQUIRE(run(k, args, {5, 1, 1}, diags));
  for (int i = 0; i < 6; ++i)
    CHECK(args.buffers[0].getInt(i) == (i == 0 ? 5 : i - 1));
}

TEST_CASE("interpreter: an out-of-bounds store is reported with location, program, element") {
  SourceManager sources;
  uint32_t file =
      sources.addFile("vector_add.tt", "a\nb\n    tl.store(output_ptr + offsets, output)\n");
  Kernel k;
  buildVectorAdd(k, 1024, false, SourceLoc{file, 3, 5});
  KernelArgs args = vectorAddArgs(k.ctx, 4000);
  DiagnosticEngine diags;
  CHECK_FALSE(run(k, args, {4, 1, 1}, diags));
  REQUIRE(diags.diagnostics().size() == 1);
  const Diagnostic &d = diags.diagnostics()[0];
  CHECK(d.message == "out-of-bounds store of 4 bytes at buffer 'output_ptr' + 16000 (size 16000) "
                     "by program (3, 0, 0), element [928]");
  CHECK(formatDiagnostic(d, sources, false)
            .starts_with("vector_add.tt:3:5: error: out-of-bounds store"));
  // Programs before the failing one ran: their stores are in the buffer.
  CHECK(args.buffers[2].getDouble(0) == 1000.0);
}

TEST_CASE("interpreter: misaligned and wild accesses; bad arguments") {
  Kernel k;
  const Type *i32 = k.ctx.i32(), *pi = k.ctx.pointer(i32);
  Value *out = k.param(pi, "out");
  Value *asInt = k.op(OpCode::PtrToInt, {out}, k.ctx.i64());
  Value *bumped = k.op(OpCode::Add, {asInt, k.b.intConstant(2, k.ctx.i64(), {})}, k.ctx.i64());
  k.stmt(OpCode::Store, {k.op(OpCode::IntToPtr, {bumped}, pi), k.i32c(1)});
  k.finish();
  KernelArgs args;
  args.buffers.push_back(makeBuffer("out", i32, {4}));
  args.args = {KernelArg::ofBuffer(0)};
  DiagnosticEngine diags;
  CHECK_FALSE(run(k, args, {1, 1, 1}, diags));
  CHECK(diags.diagnostics().at(0).message ==
        "misaligned store of 4 bytes at buffer 'out' + 2 (size 16) by program (0, 0, 0)");

  Kernel k2;
  Value *p = k2.param(k2.ctx.pointer(k2.ctx.i32()), "p");
  k2.op(OpCode::Load, {k2.op(OpCode::IntToPtr, {k2.b.intConstant(0, k2.ctx.i64(), {})}, p->type())},
        k2.ctx.i32());
  k2.finish();
  KernelArgs a2;
  a2.buffers.push_back(makeBuffer("p", k2.ctx.i32(), {4}));
  a2.args = {KernelArg::ofBuffer(0)};
  DiagnosticEngine d2;
  CHECK_FALSE(run(k2, a2, {1, 1, 1}, d2));
  CHECK(d2.diagnostics().at(0).message ==
        "out-of-bounds load of 4 bytes at address 0x0 by program (0, 0, 0)");

  a2.buffers[0] = makeBuffer("p", k2.ctx.f32(), {4});
  DiagnosticEngine d3;
  CHECK_FALSE(run(k2, a2, {1, 1, 1}, d3));
  CHECK(d3.diagnostics().at(0).message == "argument 'p' of type ptr<i32> is given a buffer of f32");
}

TEST_CASE("interpreter: device_print format and device_assert failures") {
  SourceManager sources;
  uint32_t file = sources.addFile("k.tt", "x\n    tl.device_assert(offs < 3, 'offs < 3')\n");
  Kernel k;
  const Type *i32 = k.ctx.i32();
  const Type *b4 = k.blk(i32, {4});
  Value *offs =
      k.op(OpCode::MakeRange, {}, b4, attrs({{"start", int64_t{0}}, {"end", int64_t{4}}}));
  k.stmt(OpCode::Print, {offs}, attrs({{"prefix", std::string(" offs: ")}, {"hex", false}}));
  Value *neg = k.op(OpCode::Neg, {k.i32c(5)}, i32);
  k.stmt(OpCode::Print, {neg, neg}, attrs({{"prefix", std::string(" v: ")}, {"hex", true}}));
  Value *ok = k.op(OpCode::Cmp, {offs, k.op(OpCode::Splat, {k.i32c(3)}, b4)},
                   k.blk(k.ctx.i1(), {4}), attrs({{"pred", std::string("lt")}}));
  k.b.create(OpCode::Assert, {ok}, {}, attrs({{"message", std::string("offs < 3")}}),
             SourceLoc{file, 2, 5});
  k.finish();
  KernelArgs args;
  DiagnosticEngine diags;
  std::string printed;
  CHECK_FALSE(run(k, args, {2, 1, 1}, diags, &printed));
  CHECK(printed == "pid (0, 0, 0) idx (0) offs: 0\n"
                   "pid (0, 0, 0) idx (1) offs: 1\n"
                   "pid (0, 0, 0) idx (2) offs: 2\n"
                   "pid (0, 0, 0) idx (3) offs: 3\n"
                   "pid (0, 0, 0) idx () v: (operand 0) 0xfffffffb\n"
                   "pid (0, 0, 0) idx () v: (operand 1) 0xfffffffb\n");
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(formatDiagnostic(diags.diagnostics()[0], sources, false)
            .starts_with("k.tt:2:5: error: device_assert failed: 'offs < 3' by program (0, 0, 0), "
                         "element [3]\n"));
}

TEST_CASE("interpreter: random inputs are deterministic and follow the signature") {
  Kernel k;
  buildVectorAdd(k, 1024, true);
  KernelArgs a = makeRandomArgs(*k.fn, RandomArgsOptions{100, 7});
  KernelArgs b = makeRandomArgs(*k.fn, RandomArgsOptions{100, 7});
  KernelArgs c = makeRandomArgs(*k.fn, RandomArgsOptions{100, 8});
  REQUIRE(a.buffers.size() == 3);
  CHECK(a.buffers[0].bytes == b.buffers[0].bytes);
  CHECK(a.buffers[0].bytes != c.buffers[0].bytes);
  CHECK(a.buffers[0].bytes != a.buffers[1].bytes);
  CHECK(a.buffers[2].name == "output_ptr");
  CHECK(a.args[3].bits == 100);
  for (int64_t i = 0; i < 100; ++i) {
    double v = a.buffers[0].getDouble(i);
    CHECK((v >= -1.0 && v < 1.0));
  }
}

namespace {

/// A deliberately wrong strength reduction, as a buggy pass would do it: `div x, 2^k` becomes
/// `shr x, k` even for signed x (wrong for negative odd x). The correct variant only rewrites
/// unsigned divisions.
PassInfo strengthReducePass(bool buggy) {
  PassInfo info;
  info.name = buggy ? "strength-reduce-wrong" : "strength-reduce";
  info.description = "div by a power of two to shr";
  info.run = [buggy](Module &m, PassContext &) {
    for (auto &fn : m.functions()) {
      std::vector<Operation *> divs;
      fn->walk([&](Operation *op) {
        if (op->code() == OpCode::Div && op->result()->type()->isInt() &&
            (buggy || op->result()->type()->isUnsigned()))
          divs.push_back(op);
      });
      for (Operation *div : divs) {
        Operation *rhs = div->operand(1)->definingOp();
        if (!rhs || rhs->code() != OpCode::Splat || !rhs->operand(0)->definingOp())
          continue;
        Operation *c = rhs->operand(0)->definingOp();
        const int64_t v = c->attrs().getInt("value");
        if (c->code() != OpCode::Constant || v <= 0 || (v & (v - 1)))
          continue;
        Builder b(m.context());
        b.setInsertionPoint(div);
        const Type *st = c->result()->type();
        Value *shift = b.intConstant(std::countr_zero(static_cast<uint64_t>(v)), st, div->loc());
        Value *splat = b.createValue(OpCode::Splat, {shift}, div->result()->type(), div->loc());
        Value *shr =
            b.createValue(OpCode::Shr, {div->operand(0), splat}, div->result()->type(), div->loc());
        div->result()->replaceAllUsesWith(shr);
        div->erase();
      }
    }
    return true;
  };
  return info;
}

/// out[i] = x[i] / 4 over i32 or u32 data.
void buildDivKernel(Kernel &k, ScalarKind kind) {
  const Type *t = k.ctx.scalar(kind), *pt = k.ctx.pointer(t);
  Value *x = k.param(pt, "x_ptr"), *out = k.param(pt, "out_ptr");
  k.param(k.ctx.i32(), "n");
  Value *offs = k.offsets(256);
  const Type *bt = k.blk(t, {256});
  Value *xv = k.op(OpCode::Load, {k.ptrs(x, offs)}, bt);
  Value *q = k.op(OpCode::Div, {xv, k.op(OpCode::Splat, {k.b.intConstant(4, t, {})}, bt)}, bt);
  k.stmt(OpCode::Store, {k.ptrs(out, offs), q});
  k.finish();
}

} // namespace

TEST_CASE("differential: a correct pass keeps the result, a planted bug is named") {
  TargetInfo target;
  DifferentialOptions options;
  options.inputs.elements = 256;
  const PassInfo good = strengthReducePass(false), bad = strengthReducePass(true);

  for (ScalarKind kind : {ScalarKind::I32, ScalarKind::U32}) {
    Kernel k;
    buildDivKernel(k, kind);
    DiagnosticEngine diags;
    PassContext ctx{diags, target};
    CHECK(runDifferential(k.module, "k", {&good}, ctx, options, nullptr));
    CHECK_FALSE(diags.hasErrors());
  }
  // Unsigned division by 4 is a shift: even the wrong pass is right there.
  {
    Kernel k;
    buildDivKernel(k, ScalarKind::U32);
    DiagnosticEngine diags;
    PassContext ctx{diags, target};
    CHECK(runDifferential(k.module, "k", {&good, &bad}, ctx, options, nullptr));
  }
  Kernel k;
  buildDivKernel(k, ScalarKind::I32);
  DiagnosticEngine diags;
  PassContext ctx{diags, target};
  std::ostringstream log;
  CHECK_FALSE(runDifferential(k.module, "k", {&good, &bad}, ctx, options, &log));
  REQUIRE(diags.diagnostics().size() == 1);
  const std::string &msg = diags.diagnostics()[0].message;
  CHECK(msg.starts_with("pass 'strength-reduce-wrong' changes the result of kernel 'k': "
                        "buffer 'out_ptr' element ["));
  CHECK(msg.find("(random inputs of 256 elements, seed 0, grid (1, 1, 1))") != std::string::npos);
  CHECK(log.str().find("after 'strength-reduce': same result") != std::string::npos);
}

TEST_CASE("differential: the tile pipeline with a broken copy of canonicalize names the copy") {
  // The real canonicalize, followed by a planted bug: the first float `add` becomes `sub`.
  const PassInfo *real = findPass("canonicalize");
  REQUIRE(real != nullptr);
  PassInfo broken = *real;
  broken.name = "canonicalize-broken";
  broken.run = [run = real->run](Module &m, PassContext &ctx) {
    if (!run(m, ctx))
      return false;
    Operation *add = nullptr;
    for (auto &fn : m.functions())
      fn->walk([&](Operation *op) {
        if (!add && op->code() == OpCode::Add && op->result()->type()->isFloat())
          add = op;
      });
    if (add) {
      Builder b(m.context());
      b.setInsertionPoint(add);
      Value *sub = b.createValue(OpCode::Sub, add->operands(), add->result()->type(), add->loc());
      add->result()->replaceAllUsesWith(sub);
      add->erase();
    }
    return true;
  };
  TargetInfo target;
  std::vector<const PassInfo *> passes;
  for (std::string_view name : pipeline("tile", target))
    passes.push_back(name == "canonicalize" ? &broken : findPass(name));
  REQUIRE(passes.size() > 1);

  Kernel k;
  buildVectorAdd(k, 1024, true);
  DiagnosticEngine diags;
  PassContext ctx{diags, target};
  DifferentialOptions options;
  options.grid = {4, 1, 1};
  CHECK_FALSE(runDifferential(k.module, "k", passes, ctx, options, nullptr));
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(
      diags.diagnostics()[0].message.starts_with("pass 'canonicalize-broken' changes the result of "
                                                 "kernel 'k': buffer 'output_ptr' element [0]"));

  // The real pipeline keeps the result.
  Kernel k2;
  buildVectorAdd(k2, 1024, true);
  DiagnosticEngine diags2;
  PassContext ctx2{diags2, target};
  std::vector<const PassInfo *> realPasses;
  for (std::string_view name : pipeline("tile", target))
    realPasses.push_back(findPass(name));
  CHECK(runDifferential(k2.module, "k", realPasses, ctx2, options, nullptr));
  for (const Diagnostic &d : diags2.diagnostics())
    MESSAGE(d.message);
}
