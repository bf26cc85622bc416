// Axis-info analysis (contiguity / divisibility / constancy per dim), after Triton's
// lib/Analysis/AxisInfo.cpp. See AxisInfo.h for the meaning of the three facts.
//
// The walk is a single forward pass over the structured IR: an op's operands are always
// defined before it (SSA dominance), so each op's facts follow from facts already computed.
// Loop-carried values need a fixpoint: a `for`/`while` body is re-analysed with the join of
// each carried value's init and yielded facts until nothing changes (joins only lose facts,
// so this terminates; a safety cap falls back to "nothing known").
//
// Where Triton is imprecise but safe we keep its rules (so layouts match Triton's); where a
// rule would claim a divisibility that only the first element of a run has (shl, shr, and,
// or, xor, neg, max, min applied to a contiguous operand) we use the per-element divisibility
// (1 when the operand has runs) instead.
#include "passes/AxisInfo.h"

#include "layout/LayoutUtils.h"
#include "passes/ConstFold.h"

#include <algorithm>
#include <numeric>

namespace tritonc {

int64_t highestPowOf2Divisor(int64_t v) {
  if (v == 0)
    return kMaxDivisibility;
  uint64_t u = static_cast<uint64_t>(v);
  uint64_t low = u & (~u + 1);
  if (low > static_cast<uint64_t>(kMaxDivisibility))
    return kMaxDivisibility;
  return static_cast<int64_t>(low);
}

AxisInfo AxisInfo::pessimistic(unsigned rank) {
  AxisInfo a;
  a.contiguity.assign(rank, 1);
  a.divisibility.assign(rank, 1);
  a.constancy.assign(rank, 1);
  return a;
}

AxisInfo AxisInfo::join(const AxisInfo &a, const AxisInfo &b) {
  if (a.rank() != b.rank())
    return pessimistic(std::max(a.rank(), b.rank()));
  AxisInfo r = pessimistic(a.rank());
  for (unsigned d = 0; d < a.rank(); ++d) {
    r.contiguity[d] = std::gcd(a.contiguity[d], b.contiguity[d]);
    r.divisibility[d] = std::gcd(a.divisibility[d], b.divisibility[d]);
    r.constancy[d] = std::gcd(a.constancy[d], b.constancy[d]);
  }
  if (a.constantValue && b.constantValue && *a.constantValue == *b.constantValue)
    r.constantValue = a.constantValue;
  return r;
}

namespace {
std::string joinInts(const std::vector<int64_t> &v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + std::to_string(v[i]);
  return out + "]";
}
} // namespace

std::string AxisInfo::str() const {
  std::string out = "contiguity = " + joinInts(contiguity) +
                    ", divisibility = " + joinInts(divisibility) +
                    ", constancy = " + joinInts(constancy);
  if (constantValue)
    out += ", constant = " + std::to_string(*constantValue);
  return out;
}

unsigned pointeeBytes(const Type *ptrType) {
  const Type *elem = ptrType->scalarType();
  if (!elem->isPointer())
    return 1;
  const Type *pointee = elem->pointee();
  if (pointee->isPointer())
    return 8;
  return std::max(1u, pointee->bitWidth() / 8);
}

namespace {

int64_t gcd(int64_t a, int64_t b) { return std::gcd(a, b); }

/// a * b for divisibilities, saturating at kMaxDivisibility.
int64_t multiplyDivisor(int64_t a, int64_t b) {
  if (a <= 0 || b <= 0)
    return 1;
  if (a > kMaxDivisibility / b)
    return kMaxDivisibility;
  return std::min(a * b, kMaxDivisibility);
}

/// The divisibility that holds for *every* element along d (not only for run starts).
int64_t elemDiv(const AxisInfo &a, unsigned d) {
  return a.contiguity[d] > 1 ? 1 : a.divisibility[d];
}

bool isTracked(const Type *t) { return t->isInt() || t->isPointerLike(); }

std::vector<int64_t> shapeOf(const Value *v) {
  if (v->type()->isBlock())
    return v->type()->shape();
  return {1};
}

/// Facts of a constant (scalar or splat block) with value `v`.
AxisInfo constantInfo(int64_t v, const std::vector<int64_t> &shape) {
  AxisInfo a = AxisInfo::pessimistic(static_cast<unsigned>(shape.size()));
  for (unsigned d = 0; d < shape.size(); ++d) {
    a.divisibility[d] = highestPowOf2Divisor(v);
    a.constancy[d] = shape[d];
  }
  a.constantValue = v;
  return a;
}

bool isOne(const AxisInfo &a) { return a.constantValue && *a.constantValue == 1; }
bool isZero(const AxisInfo &a) { return a.constantValue && *a.constantValue == 0; }

class Analyzer {
public:
  Analyzer(std::unordered_map<const Value *, AxisInfo> &infos) : infos_(infos) {}

  void run(const Function &f) {
    const Block *body = f.body();
    for (unsigned i = 0; i < body->numArguments() && i < f.params().size(); ++i) {
      const Value *arg = body->argument(i);
      if (!isTracked(arg->type()))
        continue;
      AxisInfo a = AxisInfo::pessimistic(static_cast<unsigned>(shapeOf(arg).size()));
      int64_t div = std::max<int64_t>(1, f.params()[i].divisibility);
      std::fill(a.divisibility.begin(), a.divisibility.end(), div);
      set(arg, a);
    }
    visitBlock(*body);
  }

private:
  std::unordered_map<const Value *, AxisInfo> &infos_;

  AxisInfo info(const Value *v) const {
    auto it = infos_.find(v);
    if (it != infos_.end())
      return it->second;
    return AxisInfo::pessimistic(static_cast<unsigned>(shapeOf(v).size()));
  }

  void set(const Value *v, AxisInfo a) {
    if (!isTracked(v->type()))
      return;
    if (a.rank() != shapeOf(v).size())
      a = AxisInfo::pessimistic(static_cast<unsigned>(shapeOf(v).size()));
    infos_[v] = std::move(a);
  }

  void setPessimistic(const Value *v) {
    set(v, AxisInfo::pessimistic(static_cast<unsigned>(shapeOf(v).size())));
  }

  void visitBlock(const Block &block) {
    for (const auto &op : block.ops())
      visitOp(*op);
  }

  // ---- control flow

  void visitFor(const Operation &op) {
    const Block *body = op.region(0);
    unsigned numIters = op.numOperands() >= 3 ? op.numOperands() - 3 : 0;
    if (body->numArguments() != numIters + 1 || op.numResults() != numIters) {
      visitOpaqueRegions(op);
      return;
    }
    // The induction variable takes lb, lb+step, ...: divisible by gcd(lb, step) and nothing more.
    AxisInfo iv = AxisInfo::pessimistic(1);
    iv.divisibility[0] =
        gcd(info(op.operand(0)).divisibility[0], info(op.operand(2)).divisibility[0]);
    std::vector<AxisInfo> carried;
    for (unsigned i = 0; i < numIters; ++i)
      carried.push_back(info(op.operand(3 + i)));
    const Operation *yield = body->terminator();
    bool converged = false;
    for (int iter = 0; iter < kMaxFixpointIterations && !converged; ++iter) {
      set(body->argument(0), iv);
      for (unsigned i = 0; i < numIters; ++i)
        set(body->argument(1 + i), carried[i]);
      visitBlock(*body);
      converged = true;
      for (unsigned i = 0; i < numIters && yield && i < yield->numOperands(); ++i) {
        AxisInfo j = AxisInfo::join(carried[i], info(yield->operand(i)));
        if (!(j == carried[i])) {
          carried[i] = std::move(j);
          converged = false;
        }
      }
    }
    if (!converged) {
      for (unsigned i = 0; i < numIters; ++i) {
        carried[i] =
            AxisInfo::pessimistic(static_cast<unsigned>(shapeOf(body->argument(1 + i)).size()));
        set(body->argument(1 + i), carried[i]);
      }
      visitBlock(*body);
    }
    for (unsigned i = 0; i < numIters; ++i)
      set(op.result(i), carried[i]);
  }

  void visitIf(const Operation &op) {
    AxisInfo cond = info(op.operand(0));
    for (unsigned r = 0; r < op.numRegions(); ++r)
      visitBlock(*op.region(r));
    const Operation *thenY = op.numRegions() > 0 ? op.region(0)->terminator() : nullptr;
    const Operation *elseY = op.numRegions() > 1 ? op.region(1)->terminator() : nullptr;
    for (unsigned i = 0; i < op.numResults(); ++i) {
      bool haveThen = thenY && i < thenY->numOperands();
      bool haveElse = elseY && i < elseY->numOperands();
      if (!haveThen || !haveElse) {
        setPessimistic(op.result(i));
        continue;
      }
      AxisInfo t = info(thenY->operand(i)), e = info(elseY->operand(i));
      if (cond.constantValue)
        set(op.result(i), *cond.constantValue ? t : e);
      else
        set(op.result(i), AxisInfo::join(t, e));
    }
  }

  void visitWhile(const Operation &op) {
    if (op.numRegions() != 2) {
      visitOpaqueRegions(op);
      return;
    }
    const Block *before = op.region(0), *after = op.region(1);
    unsigned n = op.numOperands();
    if (before->numArguments() != n) {
      visitOpaqueRegions(op);
      return;
    }
    std::vector<AxisInfo> carried;
    for (unsigned i = 0; i < n; ++i)
      carried.push_back(info(op.operand(i)));
    const Operation *cond = before->terminator();
    const Operation *yield = after->terminator();
    auto visitOnce = [&] {
      for (unsigned i = 0; i < n; ++i)
        set(before->argument(i), carried[i]);
      visitBlock(*before);
      for (unsigned j = 0; j < after->numArguments(); ++j) {
        if (cond && 1 + j < cond->numOperands())
          set(after->argument(j), info(cond->operand(1 + j)));
        else
          setPessimistic(after->argument(j));
      }
      visitBlock(*after);
    };
    bool converged = false;
    for (int iter = 0; iter < kMaxFixpointIterations && !converged; ++iter) {
      visitOnce();
      converged = true;
      for (unsigned i = 0; i < n && yield && i < yield->numOperands(); ++i) {
        AxisInfo j = AxisInfo::join(carried[i], info(yield->operand(i)));
        if (!(j == carried[i])) {
          carried[i] = std::move(j);
          converged = false;
        }
      }
    }
    if (!converged) {
      for (unsigned i = 0; i < n; ++i)
        carried[i] =
            AxisInfo::pessimistic(static_cast<unsigned>(shapeOf(before->argument(i)).size()));
      visitOnce();
    }
    // The results are the values forwarded by `condition` on the last test.
    for (unsigned j = 0; j < op.numResults(); ++j) {
      if (cond && 1 + j < cond->numOperands())
        set(op.result(j), info(cond->operand(1 + j)));
      else
        setPessimistic(op.result(j));
    }
  }

  /// Ops with regions whose semantics the analysis does not model (reduce and scan combine
  /// functions): their region arguments and results are unknown.
  void visitOpaqueRegions(const Operation &op) {
    for (unsigned r = 0; r < op.numRegions(); ++r) {
      const Block *b = op.region(r);
      for (unsigned i = 0; i < b->numArguments(); ++i)
        setPessimistic(b->argument(i));
      visitBlock(*b);
    }
    for (unsigned i = 0; i < op.numResults(); ++i)
      setPessimistic(op.result(i));
  }

  // ---- ordinary ops

  void visitOp(const Operation &op) {
    switch (op.code()) {
    case OpCode::For:
      return visitFor(op);
    case OpCode::If:
      return visitIf(op);
    case OpCode::While:
      return visitWhile(op);
    default:
      break;
    }
    if (op.numRegions() > 0) {
      visitOpaqueRegions(op);
      return;
    }
    if (op.numResults() == 0)
      return;
    for (unsigned i = 1; i < op.numResults(); ++i)
      setPessimistic(op.result(i));
    const Value *res = op.result(0);
    if (!isTracked(res->type()))
      return;
    AxisInfo a = compute(op);
    applyHints(op, a);
    set(res, std::move(a));
  }

  /// multiple_of / max_contiguous / max_constancy attributes replace the derived facts.
  static void applyHints(const Operation &op, AxisInfo &a) {
    auto apply = [&](std::string_view name, std::vector<int64_t> &field) {
      const AttrValue *v = op.attrs().find(name);
      if (!v)
        return;
      if (auto *i = std::get_if<int64_t>(v)) {
        std::fill(field.begin(), field.end(), std::max<int64_t>(1, *i));
      } else if (auto *list = std::get_if<std::vector<int64_t>>(v)) {
        if (list->size() == field.size())
          for (size_t d = 0; d < field.size(); ++d)
            field[d] = std::max<int64_t>(1, (*list)[d]);
      }
    };
    apply(kMultipleOfAttr, a.divisibility);
    apply(kMaxContiguousAttr, a.contiguity);
    apply(kMaxConstancyAttr, a.constancy);
  }

  AxisInfo compute(const Operation &op) {
    const Value *res = op.result(0);
    std::vector<int64_t> shape = shapeOf(res);
    unsigned rank = static_cast<unsigned>(shape.size());
    AxisInfo p = AxisInfo::pessimistic(rank);
    ScalarKind kind = res->type()->scalarType()->isScalar()
                          ? res->type()->scalarType()->scalarKind()
                          : ScalarKind::I64;

    if (isBinaryOp(op.code())) {
      if (!res->type()->isInt())
        return p;
      return binary(op, info(op.operand(0)), info(op.operand(1)), shape, kind);
    }
    if (isCastOp(op.code()))
      return cast(op, rank, kind);
    switch (op.code()) {
    case OpCode::Constant: {
      const AttrValue *v = op.attrs().find("value");
      if (!v || !res->type()->isInt())
        return p;
      int64_t value = 0;
      if (auto *i = std::get_if<int64_t>(v))
        value = *i;
      else if (auto *b = std::get_if<bool>(v))
        value = *b ? 1 : 0;
      else
        return p;
      return constantInfo(normalizeInt(kind, value), shape);
    }
    case OpCode::MakeRange: {
      int64_t start = op.attrs().getInt("start"), end = op.attrs().getInt("end");
      p.contiguity[0] = std::max<int64_t>(1, end - start);
      p.divisibility[0] = highestPowOf2Divisor(start);
      return p;
    }
    case OpCode::Splat: {
      AxisInfo s = info(op.operand(0));
      for (unsigned d = 0; d < rank; ++d) {
        p.divisibility[d] = s.divisibility[0];
        p.constancy[d] = shape[d];
      }
      p.constantValue = s.constantValue;
      return p;
    }
    case OpCode::Broadcast: {
      AxisInfo s = info(op.operand(0));
      std::vector<int64_t> srcShape = shapeOf(op.operand(0));
      if (s.rank() != rank)
        return p;
      for (unsigned d = 0; d < rank; ++d) {
        bool stretched = srcShape[d] != shape[d];
        p.contiguity[d] = stretched ? 1 : s.contiguity[d];
        p.divisibility[d] = s.divisibility[d];
        p.constancy[d] = stretched ? shape[d] : s.constancy[d];
      }
      p.constantValue = s.constantValue;
      return p;
    }
    case OpCode::ExpandDims: {
      AxisInfo s = info(op.operand(0));
      int64_t axis = op.attrs().getInt("axis");
      if (axis < 0 || axis > static_cast<int64_t>(s.rank()) || s.rank() + 1 != rank)
        return p;
      // The new dim has size 1: the divisibility along it is that of every element, i.e. the
      // gcd over the other dims of the per-element divisibility.
      int64_t newDiv = 1;
      if (s.constantValue) {
        newDiv = highestPowOf2Divisor(*s.constantValue);
      } else if (s.rank() > 0) {
        newDiv = elemDiv(s, 0);
        for (unsigned d = 1; d < s.rank(); ++d)
          newDiv = gcd(newDiv, elemDiv(s, d));
      }
      p = s;
      p.contiguity.insert(p.contiguity.begin() + axis, 1);
      p.divisibility.insert(p.divisibility.begin() + axis, newDiv);
      p.constancy.insert(p.constancy.begin() + axis, 1);
      return p;
    }
    case OpCode::Trans: {
      AxisInfo s = info(op.operand(0));
      std::vector<int64_t> order = op.attrs().getInts("order");
      if (order.size() != rank || s.rank() != rank)
        return p;
      for (unsigned d = 0; d < rank; ++d) {
        if (order[d] < 0 || order[d] >= rank)
          return AxisInfo::pessimistic(rank);
        p.contiguity[d] = s.contiguity[order[d]];
        p.divisibility[d] = s.divisibility[order[d]];
        p.constancy[d] = s.constancy[order[d]];
      }
      p.constantValue = s.constantValue;
      return p;
    }
    case OpCode::Reshape: {
      AxisInfo s = info(op.operand(0));
      if (s.constantValue)
        return constantInfo(*s.constantValue, shape);
      return p;
    }
    case OpCode::ConvertLayout:
      return info(op.operand(0));
    case OpCode::AddPtr:
      return binary(op, info(op.operand(0)), info(op.operand(1)), shape, kind);
    case OpCode::Neg:
    case OpCode::Not: {
      if (!res->type()->isInt())
        return p;
      AxisInfo s = info(op.operand(0));
      if (s.rank() != rank)
        return p;
      for (unsigned d = 0; d < rank; ++d) {
        p.constancy[d] = s.constancy[d];
        p.divisibility[d] = op.code() == OpCode::Neg ? elemDiv(s, d) : 1;
      }
      if (s.constantValue)
        p.constantValue = foldIntUnary(op.code(), kind, *s.constantValue);
      if (p.constantValue)
        return constantLike(p, shape);
      return p;
    }
    case OpCode::Cmp:
      return cmp(op, info(op.operand(0)), info(op.operand(1)), shape);
    case OpCode::Select:
      return select(info(op.operand(0)), info(op.operand(1)), info(op.operand(2)),
                    op.operand(0)->type()->isBlock(), rank);
    default:
      return p;
    }
  }

  /// A known constant: keep the computed constancy but make sure divisibility is exact.
  static AxisInfo constantLike(AxisInfo a, const std::vector<int64_t> &shape) {
    for (unsigned d = 0; d < a.rank(); ++d) {
      a.contiguity[d] = 1;
      a.divisibility[d] = highestPowOf2Divisor(*a.constantValue);
      a.constancy[d] = shape[d];
    }
    return a;
  }

  /// cast, bitcast, ptrtoint, inttoptr: the facts carry over; a constant survives an integer
  /// conversion (or a bitcast of the same width), normalized to the result's kind.
  AxisInfo cast(const Operation &op, unsigned rank, ScalarKind kind) {
    const Value *res = op.result(0);
    const Type *src = op.operand(0)->type();
    if (!isTracked(src))
      return AxisInfo::pessimistic(rank);
    AxisInfo s = info(op.operand(0));
    if (s.rank() != rank)
      return AxisInfo::pessimistic(rank);
    if (s.constantValue && res->type()->isInt()) {
      if (src->isInt() && op.code() == OpCode::Cast)
        s.constantValue = normalizeInt(kind, *s.constantValue);
      else if (src->isInt() && src->bitWidth() == res->type()->bitWidth())
        s.constantValue = normalizeInt(kind, *s.constantValue);
      else
        s.constantValue.reset();
    } else {
      s.constantValue.reset();
    }
    return s;
  }

  AxisInfo binary(const Operation &op, const AxisInfo &l, const AxisInfo &r,
                  const std::vector<int64_t> &shape, ScalarKind kind) {
    unsigned rank = static_cast<unsigned>(shape.size());
    AxisInfo p = AxisInfo::pessimistic(rank);
    if (l.rank() != rank || r.rank() != rank)
      return p;
    OpCode code = op.code();
    for (unsigned d = 0; d < rank; ++d) {
      int64_t constancy = gcd(l.constancy[d], r.constancy[d]);
      int64_t contiguity = 1, divisibility = 1;
      switch (code) {
      case OpCode::Add:
      case OpCode::AddPtr: {
        // A run of one side plus a constant run of the other stays a run.
        contiguity =
            std::max(gcd(l.constancy[d], r.contiguity[d]), gcd(l.contiguity[d], r.constancy[d]));
        int64_t rDiv = r.divisibility[d];
        if (code == OpCode::AddPtr)
          rDiv = multiplyDivisor(rDiv, pointeeBytes(op.operand(0)->type()));
        // k*a + p*b is a multiple of gcd(a, b).
        divisibility = gcd(l.divisibility[d], rDiv);
        break;
      }
      case OpCode::Sub:
        // x - c keeps x's runs; c - x runs downwards, so it is not contiguous.
        contiguity = gcd(l.contiguity[d], r.constancy[d]);
        divisibility = gcd(l.divisibility[d], r.divisibility[d]);
        break;
      case OpCode::Mul: {
        contiguity = std::max(isOne(r) ? l.contiguity[d] : 1, isOne(l) ? r.contiguity[d] : 1);
        // Multiplying a run spreads it: only the run's first element keeps its divisibility,
        // so a contiguous operand contributes 1 (unless the other side is 1).
        int64_t lDiv = (l.contiguity[d] > 1 && !isOne(r)) ? 1 : l.divisibility[d];
        int64_t rDiv = (r.contiguity[d] > 1 && !isOne(l)) ? 1 : r.divisibility[d];
        divisibility = multiplyDivisor(lDiv, rDiv);
        break;
      }
      case OpCode::Div: {
        contiguity = isOne(r) ? l.contiguity[d] : 1;
        if (isZero(l) || isOne(r))
          divisibility = l.divisibility[d];
        // A run starting at a multiple of g, divided by a multiple of g, is constant over
        // aligned pieces of g (g also bounded by the lengths of the runs involved).
        if (l.contiguity[d] > 1)
          constancy = std::max(constancy, gcd(gcd(l.contiguity[d], r.constancy[d]),
                                              gcd(l.divisibility[d], r.divisibility[d])));
        break;
      }
      case OpCode::Rem:
        // Same reasoning: x % c restarts only at multiples of c.
        if (l.contiguity[d] > 1)
          contiguity =
              gcd(gcd(l.contiguity[d], r.constancy[d]), gcd(l.divisibility[d], r.divisibility[d]));
        divisibility = gcd(l.divisibility[d], r.divisibility[d]);
        if (isOne(r))
          constancy = shape[d];
        break;
      case OpCode::Shl: {
        if (r.constantValue && *r.constantValue == 0) {
          contiguity = l.contiguity[d];
          divisibility = l.divisibility[d];
        } else if (r.constantValue && *r.constantValue > 0 && *r.constantValue < 63) {
          divisibility = multiplyDivisor(elemDiv(l, d), int64_t(1) << *r.constantValue);
        } else {
          divisibility = elemDiv(l, d);
        }
        break;
      }
      case OpCode::Shr: {
        if (r.constantValue && *r.constantValue == 0) {
          contiguity = l.contiguity[d];
          divisibility = l.divisibility[d];
        } else if (r.constantValue && *r.constantValue > 0 && *r.constantValue < 63) {
          int64_t pow = int64_t(1) << *r.constantValue;
          divisibility = std::max<int64_t>(1, elemDiv(l, d) / pow);
          // x >> s is floor(x / 2^s): constant over 2^s-aligned pieces of a run.
          if (l.contiguity[d] > 1)
            constancy = std::max(
                constancy, gcd(gcd(l.contiguity[d], r.constancy[d]), gcd(l.divisibility[d], pow)));
        }
        break;
      }
      case OpCode::And:
        // Low zero bits of either side survive.
        divisibility = std::max(elemDiv(l, d), elemDiv(r, d));
        break;
      case OpCode::Or:
      case OpCode::Xor:
      case OpCode::Max:
      case OpCode::Min:
        divisibility = gcd(elemDiv(l, d), elemDiv(r, d));
        break;
      default:
        break;
      }
      p.contiguity[d] = std::max<int64_t>(1, contiguity);
      p.divisibility[d] = std::max<int64_t>(1, divisibility);
      p.constancy[d] = std::max<int64_t>(1, constancy);
    }
    if (l.constantValue && r.constantValue && code != OpCode::AddPtr) {
      if (auto v = foldIntBinary(code, kind, *l.constantValue, *r.constantValue)) {
        p.constantValue = v;
        return constantLike(p, shape);
      }
    }
    // x * 0, x & 0 are 0 whatever x is.
    if ((code == OpCode::Mul || code == OpCode::And) && (isZero(l) || isZero(r))) {
      p.constantValue = 0;
      return constantLike(p, shape);
    }
    return p;
  }

  AxisInfo cmp(const Operation &op, const AxisInfo &l, const AxisInfo &r,
               const std::vector<int64_t> &shape) {
    unsigned rank = static_cast<unsigned>(shape.size());
    AxisInfo p = AxisInfo::pessimistic(rank);
    if (l.rank() != rank || r.rank() != rank)
      return p;
    std::string pred = op.attrs().getString("pred");
    const Type *opTy = op.operand(0)->type();
    if (l.constantValue && r.constantValue && opTy->isInt()) {
      if (auto v = foldIntCmp(pred, opTy->scalarType()->scalarKind(), *l.constantValue,
                              *r.constantValue)) {
        p.constantValue = *v ? 1 : 0;
        return constantLike(p, shape);
      }
    }
    for (unsigned d = 0; d < rank; ++d) {
      int64_t c = gcd(l.constancy[d], r.constancy[d]);
      // A constant compared with a run flips at most once, at the constant itself: where
      // both sides are multiples of g, the flip falls on a g-aligned boundary only for
      // c > x, c <= x (the run on the right) and x < c, x >= c (the run on the left).
      if ((pred == "gt" || pred == "le") && r.contiguity[d] > 1)
        c = std::max(c, gcd(gcd(r.contiguity[d], l.constancy[d]),
                            gcd(l.divisibility[d], r.divisibility[d])));
      else if ((pred == "lt" || pred == "ge") && l.contiguity[d] > 1)
        c = std::max(c, gcd(gcd(l.contiguity[d], r.constancy[d]),
                            gcd(l.divisibility[d], r.divisibility[d])));
      p.constancy[d] = std::max<int64_t>(1, c);
    }
    return p;
  }

  AxisInfo select(const AxisInfo &c, const AxisInfo &t, const AxisInfo &f, bool blockCond,
                  unsigned rank) {
    AxisInfo p = AxisInfo::pessimistic(rank);
    if (t.rank() != rank || f.rank() != rank || c.rank() != (blockCond ? rank : 1))
      return p;
    if (c.constantValue)
      return *c.constantValue ? t : f;
    for (unsigned d = 0; d < rank; ++d) {
      int64_t cc = blockCond ? c.constancy[d] : 0; // 0: gcd(x, 0) == x
      p.constancy[d] = gcd(gcd(t.constancy[d], f.constancy[d]), cc);
      p.contiguity[d] = gcd(gcd(t.contiguity[d], cc), gcd(f.contiguity[d], cc));
      p.divisibility[d] = gcd(t.divisibility[d], f.divisibility[d]);
    }
    if (t.constantValue && f.constantValue && *t.constantValue == *f.constantValue)
      p.constantValue = t.constantValue;
    return p;
  }

  static constexpr int kMaxFixpointIterations = 64;
};

} // namespace

AxisInfoAnalysis::AxisInfoAnalysis(const Function &function) { Analyzer(infos_).run(function); }

AxisInfo AxisInfoAnalysis::get(const Value *value) const {
  auto it = infos_.find(value);
  if (it != infos_.end())
    return it->second;
  unsigned rank = value->type()->isBlock() ? value->type()->rank() : 1;
  return AxisInfo::pessimistic(rank);
}

int64_t AxisInfoAnalysis::pointerAlignment(const Value *ptr, unsigned dim) const {
  AxisInfo a = get(ptr);
  if (dim >= a.rank())
    return 1;
  int64_t bytes = pointeeBytes(ptr->type());
  return std::max<int64_t>(1, std::min(a.contiguity[dim], a.divisibility[dim] / bytes));
}

unsigned memoryVectorWidth(const AxisInfo &ptr, const AxisInfo *mask, const Layout *layout,
                           const std::vector<int64_t> &shape, unsigned elementBytes,
                           unsigned maxBytes) {
  std::vector<unsigned> order = layoutOrder(layout);
  std::vector<unsigned> spt = layoutSizePerThread(layout);
  if (order.empty() || order[0] >= ptr.rank() || order[0] >= spt.size() || order[0] >= shape.size())
    return 1;
  unsigned d = order[0];
  elementBytes = std::max(1u, elementBytes);
  int64_t vec = spt[d];
  vec = std::min(vec, std::min<int64_t>(ptr.contiguity[d], shape[d]));
  vec = std::min(vec, std::max<int64_t>(1, ptr.divisibility[d] / elementBytes));
  vec = std::min(vec, std::max<int64_t>(1, maxBytes / elementBytes));
  if (mask && d < mask->rank())
    vec = std::min(vec, std::max<int64_t>(1, mask->constancy[d]));
  return static_cast<unsigned>(std::max<int64_t>(1, vec));
}

} // namespace tritonc
