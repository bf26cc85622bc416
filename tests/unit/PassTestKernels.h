// Small IR-building helpers for the pass and axis-info unit tests: a kernel under construction
// with one-line builders for the ops the tests use, and the kernels several tests share.
#pragma once

#include "ir/Builder.h"
#include "ir/IR.h"

#include <string>
#include <vector>

namespace tritonc::testing {

struct KernelBuilder {
  Context ctx;
  Module module{ctx};
  Function *f = nullptr;
  Builder b{ctx};

  explicit KernelBuilder(unsigned numWarps = 4) {
    f = module.addFunction("k", {});
    f->numWarps = numWarps;
    b.setInsertionPointToEnd(f->body());
  }

  const Type *i32() { return ctx.i32(); }
  const Type *f32() { return ctx.f32(); }
  const Type *i1() { return ctx.i1(); }
  const Type *ptr(const Type *t) { return ctx.pointer(t); }
  const Type *blk(const Type *e, std::vector<int64_t> shape) { return ctx.block(e, shape); }

  Value *param(const Type *t, int64_t divisibility = 1, std::string name = "") {
    return f->addParam(t, {std::move(name), divisibility, {}});
  }
  Value *cst(int64_t v, const Type *t) { return b.intConstant(v, t, {}); }
  Value *fcst(double v, const Type *t) { return b.floatConstant(v, t, {}); }
  Value *op(OpCode code, std::vector<Value *> operands, const Type *t, AttrList attrs = {}) {
    return b.createValue(code, std::move(operands), t, {}, std::move(attrs));
  }
  Value *pid() {
    AttrList a;
    a.set("axis", int64_t(0));
    return op(OpCode::ProgramId, {}, i32(), a);
  }
  Value *arange(int64_t start, int64_t end) {
    AttrList a;
    a.set("start", start);
    a.set("end", end);
    return op(OpCode::MakeRange, {}, blk(i32(), {end - start}), a);
  }
  Value *splat(Value *s, std::vector<int64_t> shape) {
    return op(OpCode::Splat, {s}, blk(s->type(), shape));
  }
  Value *expand(Value *v, int64_t axis) {
    std::vector<int64_t> shape = v->type()->shape();
    shape.insert(shape.begin() + axis, 1);
    AttrList a;
    a.set("axis", axis);
    return op(OpCode::ExpandDims, {v}, blk(v->type()->element(), shape), a);
  }
  Value *broadcast(Value *v, std::vector<int64_t> shape) {
    return op(OpCode::Broadcast, {v}, blk(v->type()->element(), shape));
  }
  Value *bin(OpCode code, Value *x, Value *y) { return op(code, {x, y}, x->type()); }
  Value *add(Value *x, Value *y) { return bin(OpCode::Add, x, y); }
  Value *mul(Value *x, Value *y) { return bin(OpCode::Mul, x, y); }
  Value *cmp(std::string pred, Value *x, Value *y) {
    AttrList a;
    a.set("pred", pred);
    return op(OpCode::Cmp, {x, y}, x->type()->withElement(i1()), a);
  }
  Value *addptr(Value *p, Value *offs) { return op(OpCode::AddPtr, {p, offs}, p->type()); }
  Value *load(Value *p, Value *mask = nullptr) {
    std::vector<Value *> operands{p};
    if (mask)
      operands.push_back(mask);
    return op(OpCode::Load, operands, p->type()->withElement(p->type()->scalarType()->pointee()));
  }
  Operation *store(Value *p, Value *v, Value *mask = nullptr) {
    std::vector<Value *> operands{p, v};
    if (mask)
      operands.push_back(mask);
    return b.create(OpCode::Store, operands, {}, {}, {});
  }
  Operation *ret() { return b.create(OpCode::Return, {}, {}, {}, {}); }

  /// Begins a `for` with the given inits; the insertion point moves into its body. Returns the
  /// op; body()->argument(0) is the induction variable.
  Operation *beginFor(Value *lb, Value *ub, Value *step, std::vector<Value *> inits) {
    std::vector<Value *> operands{lb, ub, step};
    std::vector<const Type *> types;
    for (Value *v : inits) {
      operands.push_back(v);
      types.push_back(v->type());
    }
    Operation *loop = b.create(OpCode::For, operands, types, {}, {}, 1);
    Block *body = loop->region(0);
    body->addArgument(lb->type(), "i");
    for (Value *v : inits)
      body->addArgument(v->type());
    b.setInsertionPointToEnd(body);
    return loop;
  }
  /// Ends the body of `loop` with a yield and moves the insertion point after the loop.
  void endFor(Operation *loop, std::vector<Value *> yielded) {
    b.create(OpCode::Yield, std::move(yielded), {}, {}, {});
    b.setInsertionPointAfter(loop);
  }

  /// Every op of the function, in walk order.
  std::vector<Operation *> ops() {
    std::vector<Operation *> out;
    f->walk([&](Operation *op) { out.push_back(op); });
    return out;
  }
  std::vector<Operation *> ops(OpCode code) {
    std::vector<Operation *> out;
    f->walk([&](Operation *op) {
      if (op->code() == code)
        out.push_back(op);
    });
    return out;
  }
  size_t count(OpCode code) { return ops(code).size(); }
};

/// Triton's vector-add kernel with BLOCK = n elements per program:
///   offs = pid * n + arange(n); mask = offs < N; out[offs] = x[offs] + y[offs] (masked)
/// The three pointers are 16-byte aligned (`:16`); N is hinted divisible by `nDivisibility`.
struct VectorAdd {
  Value *x, *y, *out, *n;
  Value *offs, *mask, *px, *py, *po, *xv, *yv, *sum;
  Operation *st;

  VectorAdd(KernelBuilder &k, int64_t block = 1024, int64_t nDivisibility = 16,
            const Type *elem = nullptr) {
    if (!elem)
      elem = k.f32();
    x = k.param(k.ptr(elem), 16, "x");
    y = k.param(k.ptr(elem), 16, "y");
    out = k.param(k.ptr(elem), 16, "out");
    n = k.param(k.i32(), nDivisibility, "n");
    Value *base = k.mul(k.pid(), k.cst(block, k.i32()));
    offs = k.add(k.splat(base, {block}), k.arange(0, block));
    mask = k.cmp("lt", offs, k.splat(n, {block}));
    px = k.addptr(k.splat(x, {block}), offs);
    py = k.addptr(k.splat(y, {block}), offs);
    xv = k.load(px, mask);
    yv = k.load(py, mask);
    sum = k.add(xv, yv);
    po = k.addptr(k.splat(out, {block}), offs);
    st = k.store(po, sum, mask);
    k.ret();
  }
};

/// A 2-D tile copy: rows = pid * M + arange(M); cols = arange(N);
///   offs = rows[:, None] * stride + cols[None, :]; dst[offs] = src[offs]
/// with 16-byte aligned pointers and a stride hinted divisible by 16.
struct TileCopy {
  Value *src, *dst, *stride;
  Value *offs, *ps, *pd, *v;
  Operation *st;

  TileCopy(KernelBuilder &k, int64_t m = 64, int64_t n = 64, const Type *elem = nullptr) {
    if (!elem)
      elem = k.f32();
    src = k.param(k.ptr(elem), 16, "src");
    dst = k.param(k.ptr(elem), 16, "dst");
    stride = k.param(k.i32(), 16, "stride");
    Value *rows = k.add(k.splat(k.mul(k.pid(), k.cst(m, k.i32())), {m}), k.arange(0, m));
    Value *cols = k.arange(0, n);
    Value *r2 = k.mul(k.expand(rows, 1), k.splat(stride, {m, 1}));
    offs = k.add(k.broadcast(r2, {m, n}), k.broadcast(k.expand(cols, 0), {m, n}));
    ps = k.addptr(k.splat(src, {m, n}), offs);
    pd = k.addptr(k.splat(dst, {m, n}), offs);
    v = k.load(ps);
    st = k.store(pd, v);
    k.ret();
  }
};

} // namespace tritonc::testing
