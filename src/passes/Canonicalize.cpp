// canonicalize: constant folding and local simplification.
//
// What it does, op by op, until nothing changes:
//   - folds arithmetic, cmp, cast and select whose operands are constants (scalar constants and
//     splat constant blocks alike), with the IR's exact semantics (ConstFold.h); float folding
//     is limited to f32/f64 ops the GPU computes exactly (not `div`, not f16/bf16/fp8);
//   - integer identities: x+0, x-0, x*1, x/1, x|0, x^0, x&-1, x<<0, x>>0 -> x; x*0, x&0,
//     x%1, x-x, x^x -> 0; x&x, x|x, max/min(x, x) -> x; addptr(p, 0) -> p; select(c, x, x) -> x;
//   - splat(constant) -> constant; broadcast / expand_dims / reshape / trans of a constant ->
//     constant, of splat(s) -> splat(s); no-op broadcasts, reshapes and casts disappear.
// Expects: Tile IR or GPU IR (every replacement keeps the original result type, layout
// included). Leaves: the same level; operands that became unused are left for `dce`.
//
//   before: %c = constant {value = 4} : i32    %s = splat %c : tensor<64xi32>
//           %z = mul %x, (splat of 1)           (x: tensor<64xi32>)
//   after:  %s = constant {value = 4} : tensor<64xi32>    uses of %z use %x
#include "passes/Canonicalize.h"

#include "ir/Builder.h"
#include "passes/ConstFold.h"

namespace tritonc {

namespace {

/// The value of a Constant op (scalar or splat block), normalized to its kind.
std::optional<ConstValue> constantOf(const Value *v) {
  const Operation *def = v->definingOp();
  if (!def || def->code() != OpCode::Constant)
    return std::nullopt;
  const Type *elem = v->type()->scalarType();
  if (!elem->isScalar())
    return std::nullopt;
  const AttrValue *attr = def->attrs().find("value");
  if (!attr)
    return std::nullopt;
  ConstValue c;
  if (isFloatKind(elem->scalarKind())) {
    c.isFloat = true;
    if (auto *d = std::get_if<double>(attr))
      c.f = *d;
    else if (auto *i = std::get_if<int64_t>(attr))
      c.f = static_cast<double>(*i);
    else
      return std::nullopt;
    return c;
  }
  if (auto *i = std::get_if<int64_t>(attr))
    c.i = normalizeInt(elem->scalarKind(), *i);
  else if (auto *b = std::get_if<bool>(attr))
    c.i = *b ? 1 : 0;
  else
    return std::nullopt;
  return c;
}

bool isIntConst(const std::optional<ConstValue> &c, int64_t v) {
  return c && !c->isFloat && c->i == v;
}

class Canonicalizer {
public:
  explicit Canonicalizer(Context &ctx) : b_(ctx) {}

  /// One sweep over the function; true if anything changed.
  bool sweep(Function &f) {
    std::vector<Operation *> ops;
    f.walk([&](Operation *op) { ops.push_back(op); });
    bool changed = false;
    for (Operation *op : ops)
      changed |= simplify(op);
    return changed;
  }

private:
  Builder b_;

  Value *makeConstant(Operation *at, const Type *type, ConstValue c) {
    b_.setInsertionPoint(at);
    const Type *elem = type->scalarType();
    if (c.isFloat)
      return b_.floatConstant(c.f, type, at->loc());
    return b_.intConstant(normalizeInt(elem->scalarKind(), c.i), type, at->loc());
  }

  Value *intConstant(Operation *at, const Type *type, int64_t v) {
    ConstValue c;
    c.i = v;
    return makeConstant(at, type, c);
  }

  /// Replaces the single result of `op` by `v` and erases `op`. A value created for the
  /// purpose (a folded constant, a new splat) inherits the replaced value's name hint.
  static bool replace(Operation *op, Value *v) {
    Value *old = op->result(0);
    if (v->name().empty() && v->definingOp() && !v->hasUses())
      v->setName(old->name());
    old->replaceAllUsesWith(v);
    op->erase();
    return true;
  }

  bool simplify(Operation *op) {
    if (op->numResults() != 1 || op->numRegions() != 0)
      return false;
    const Type *resTy = op->result(0)->type();
    switch (op->code()) {
    case OpCode::Splat:
      if (auto c = constantOf(op->operand(0)))
        return replace(op, makeConstant(op, resTy, *c));
      return false;
    case OpCode::Broadcast:
    case OpCode::ExpandDims:
    case OpCode::Reshape:
    case OpCode::Trans:
      return simplifyShapeOp(op);
    case OpCode::Cast:
      return simplifyCast(op);
    case OpCode::Cmp:
      return simplifyCmp(op);
    case OpCode::Select:
      return simplifySelect(op);
    case OpCode::AddPtr:
      if (isIntConst(constantOf(op->operand(1)), 0) && op->operand(0)->type() == resTy)
        return replace(op, op->operand(0));
      return false;
    case OpCode::Neg:
    case OpCode::Not:
      return simplifyUnary(op);
    default:
      return isBinaryOp(op->code()) && simplifyBinary(op);
    }
  }

  bool simplifyShapeOp(Operation *op) {
    Value *src = op->operand(0);
    const Type *resTy = op->result(0)->type();
    if (src->type() == resTy) {
      // broadcast to the same shape, reshape to the same shape, trans by the identity.
      bool identity = true;
      if (op->code() == OpCode::Trans) {
        std::vector<int64_t> order = op->attrs().getInts("order");
        for (size_t i = 0; i < order.size(); ++i)
          identity &= order[i] == static_cast<int64_t>(i);
      }
      if (op->code() != OpCode::ExpandDims && identity)
        return replace(op, src);
    }
    if (auto c = constantOf(src))
      return replace(op, makeConstant(op, resTy, *c));
    Operation *def = src->definingOp();
    if (def && def->code() == OpCode::Splat) {
      b_.setInsertionPoint(op);
      return replace(op, b_.createValue(OpCode::Splat, {def->operand(0)}, resTy, op->loc()));
    }
    return false;
  }

  bool simplifyCast(Operation *op) {
    Value *src = op->operand(0);
    const Type *resTy = op->result(0)->type();
    if (src->type() == resTy)
      return replace(op, src);
    auto c = constantOf(src);
    const Type *from = src->type()->scalarType(), *to = resTy->scalarType();
    if (!c || !from->isScalar() || !to->isScalar())
      return false;
    auto folded =
        foldCast(from->scalarKind(), to->scalarKind(), *c, op->attrs().getString("rounding"));
    if (!folded)
      return false;
    return replace(op, makeConstant(op, resTy, *folded));
  }

  bool simplifyCmp(Operation *op) {
    auto l = constantOf(op->operand(0)), r = constantOf(op->operand(1));
    if (!l || !r)
      return false;
    std::string pred = op->attrs().getString("pred");
    ScalarKind kind = op->operand(0)->type()->scalarType()->scalarKind();
    std::optional<bool> v =
        l->isFloat ? foldFloatCmp(pred, kind, l->f, r->f) : foldIntCmp(pred, kind, l->i, r->i);
    if (!v)
      return false;
    return replace(op, intConstant(op, op->result(0)->type(), *v ? 1 : 0));
  }

  bool simplifySelect(Operation *op) {
    Value *t = op->operand(1), *f = op->operand(2);
    const Type *resTy = op->result(0)->type();
    if (t == f && t->type() == resTy)
      return replace(op, t);
    if (auto c = constantOf(op->operand(0))) {
      Value *pick = c->i ? t : f;
      if (pick->type() == resTy)
        return replace(op, pick);
    }
    return false;
  }

  bool simplifyUnary(Operation *op) {
    auto c = constantOf(op->operand(0));
    if (!c)
      return false;
    const Type *resTy = op->result(0)->type();
    if (c->isFloat) {
      if (op->code() != OpCode::Neg)
        return false;
      ConstValue r = *c;
      r.f = -c->f; // exact at every precision
      return replace(op, makeConstant(op, resTy, r));
    }
    auto v = foldIntUnary(op->code(), resTy->scalarType()->scalarKind(), c->i);
    if (!v)
      return false;
    return replace(op, intConstant(op, resTy, *v));
  }

  bool simplifyBinary(Operation *op) {
    Value *x = op->operand(0), *y = op->operand(1);
    const Type *resTy = op->result(0)->type();
    const Type *elem = resTy->scalarType();
    if (!elem->isScalar())
      return false;
    ScalarKind kind = elem->scalarKind();
    auto l = constantOf(x), r = constantOf(y);
    OpCode code = op->code();

    if (l && r) {
      if (l->isFloat) {
        bool nan = op->attrs().getBool("propagate_nan");
        if (auto v = foldFloatBinary(code, kind, l->f, r->f, nan)) {
          ConstValue c;
          c.isFloat = true;
          c.f = *v;
          return replace(op, makeConstant(op, resTy, c));
        }
        return false;
      }
      if (auto v = foldIntBinary(code, kind, l->i, r->i))
        return replace(op, intConstant(op, resTy, *v));
      return false;
    }
    if (!isIntegerKind(kind) || x->type() != resTy || y->type() != resTy)
      return false;

    int64_t allOnes = normalizeInt(kind, -1);
    switch (code) {
    case OpCode::Add:
      if (isIntConst(r, 0))
        return replace(op, x);
      if (isIntConst(l, 0))
        return replace(op, y);
      break;
    case OpCode::Sub:
      if (isIntConst(r, 0))
        return replace(op, x);
      if (x == y)
        return replace(op, intConstant(op, resTy, 0));
      break;
    case OpCode::Mul:
      if (isIntConst(r, 1))
        return replace(op, x);
      if (isIntConst(l, 1))
        return replace(op, y);
      if (isIntConst(l, 0) || isIntConst(r, 0))
        return replace(op, intConstant(op, resTy, 0));
      break;
    case OpCode::Div:
      if (isIntConst(r, 1))
        return replace(op, x);
      break;
    case OpCode::Rem:
      if (isIntConst(r, 1))
        return replace(op, intConstant(op, resTy, 0));
      break;
    case OpCode::And:
      if (isIntConst(l, 0) || isIntConst(r, 0))
        return replace(op, intConstant(op, resTy, 0));
      if (isIntConst(r, allOnes) || x == y)
        return replace(op, x);
      if (isIntConst(l, allOnes))
        return replace(op, y);
      break;
    case OpCode::Or:
      if (isIntConst(r, 0) || x == y)
        return replace(op, x);
      if (isIntConst(l, 0))
        return replace(op, y);
      break;
    case OpCode::Xor:
      if (isIntConst(r, 0))
        return replace(op, x);
      if (isIntConst(l, 0))
        return replace(op, y);
      if (x == y)
        return replace(op, intConstant(op, resTy, 0));
      break;
    case OpCode::Shl:
    case OpCode::Shr:
      if (isIntConst(r, 0))
        return replace(op, x);
      break;
    case OpCode::Max:
    case OpCode::Min:
      if (x == y)
        return replace(op, x);
      break;
    default:
      break;
    }
    return false;
  }
};

} // namespace

bool canonicalizePass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions()) {
    Canonicalizer c(module.context());
    // Each sweep folds at least one op or stops; the cap only guards against a rule pair that
    // undoes itself (none does today).
    for (int round = 0; round < 32 && c.sweep(*f); ++round) {
    }
  }
  return true;
}

} // namespace tritonc
