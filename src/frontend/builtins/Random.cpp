// Random-number builtins: Triton's random.py (Philox 4x32) op for op, so streams are
// bit-identical to Triton's: tl.randint4x, tl.randint, tl.rand, tl.randn.
#include "frontend/builtins/Builtins.h"

#include <array>

namespace tritonc::sema {

namespace {

constexpr int64_t kPhiloxKeyA = 0x9E3779B9, kPhiloxKeyB = 0xBB67AE85;
constexpr int64_t kPhiloxRoundA = 0xD2511F53, kPhiloxRoundB = 0xCD9E8D57;

struct Philox {
  Lowerer &L;
  SourceRange where;
  SVal bin(ast::BinaryOp op, const SVal &a, const SVal &b) { return L.evalBinary(op, a, b, where); }
  /// math.umulhi: both sides become tensors first (a constant above INT32_MAX is a uint32).
  SVal umulhi(const SVal &a, const SVal &b) {
    Value *ta = L.toTensor(a, where, "tl.umulhi"), *tb = L.toTensor(b, where, "tl.umulhi");
    auto [x, y] = L.binaryOperands(SVal::tensor(ta), SVal::tensor(tb), false, false, true, false,
                                   where, "tl.umulhi");
    return SVal::tensor(L.emit(OpCode::UMulHi, {x, y}, x->type()));
  }
  SVal to(const SVal &v, ScalarKind k, bool bitcast = false) {
    Value *t = L.toTensor(v, where, "a random-number argument");
    return SVal::tensor(bitcast ? L.bitcast(t, L.scalar(k), where) : L.cast(t, L.scalar(k), where));
  }

  /// randint4x(seed, offset, n_rounds): philox(seed, offset, 0, 0, 0).
  std::array<SVal, 4> randint4x(const SVal &seedArg, const SVal &offsetArg, int64_t rounds) {
    using B = ast::BinaryOp;
    Value *offset = L.toTensor(offsetArg, where, "the offset");
    if (!offset->type()->isInt())
      L.error(where, "random offsets must be integers, got " + Lowerer::typeStr(offset->type()));
    if (offset->type()->bitWidth() != 32)
      L.error(where, "64-bit random offsets (Philox 4x64) are not supported yet");
    Value *seedT = L.toTensor(seedArg, where, "the seed");
    if (!seedT->type()->isInt())
      L.error(where, "the seed must be an integer, got " + Lowerer::typeStr(seedT->type()));
    SVal zero = bin(B::Mul, SVal::tensor(offset), SVal::integer(0));
    SVal seed = to(SVal::tensor(seedT), ScalarKind::U64);
    SVal k1 = to(bin(B::BitAnd, bin(B::RShift, seed, SVal::integer(32)), SVal::integer(0xffffffff)),
                 ScalarKind::U32);
    SVal k0 = to(bin(B::BitAnd, seed, SVal::integer(0xffffffff)), ScalarKind::U32);
    SVal c0 = to(SVal::tensor(offset), ScalarKind::U32, true);
    SVal c1 = to(zero, ScalarKind::U32, true), c2 = c1, c3 = c1;
    SVal A = SVal::integer(kPhiloxRoundA), Bc = SVal::integer(kPhiloxRoundB);
    for (int64_t i = 0; i < rounds; ++i) {
      SVal c0_ = c0, c2_ = c2;
      c0 = bin(B::BitXor, bin(B::BitXor, umulhi(Bc, c2_), c1), k0);
      c2 = bin(B::BitXor, bin(B::BitXor, umulhi(A, c0_), c3), k1);
      c1 = bin(B::Mul, Bc, c2_);
      c3 = bin(B::Mul, A, c0_);
      k0 = bin(B::Add, k0, SVal::integer(kPhiloxKeyA));
      k1 = bin(B::Add, k1, SVal::integer(kPhiloxKeyB));
    }
    return {c0, c1, c2, c3};
  }

  /// uint_to_uniform_float for 32-bit values.
  SVal uniform(const SVal &x) {
    using B = ast::BinaryOp;
    SVal i = to(x, ScalarKind::I32, true);
    Value *neg = L.compare(ast::CmpOp::Lt, i, SVal::integer(0), where);
    SVal flipped = bin(B::Sub, SVal::tensor(L.neg(i.value(), where)), SVal::integer(1));
    SVal sel = SVal::tensor(L.where(SVal::tensor(neg), flipped, i, where));
    return bin(B::Mul, sel, SVal::floating(4.6566127342e-10));
  }
};

int64_t roundsArg(Lowerer &L, CallArgs &a) {
  if (!a.has("n_rounds"))
    return 10;
  int64_t n = L.requireInt(a["n_rounds"], a.range("n_rounds"), what(a, "n_rounds"));
  if (n < 0 || n > 64)
    L.error(a.range("n_rounds"), "n_rounds must be between 0 and 64, got " + std::to_string(n));
  return n;
}

} // namespace

SVal builtinRandint4x(Lowerer &L, CallArgs &a) {
  Philox p{L, a.callRange};
  std::array<SVal, 4> r = p.randint4x(a["seed"], a["offset"], roundsArg(L, a));
  return SVal::tuple({r[0], r[1], r[2], r[3]});
}

SVal builtinRandint(Lowerer &L, CallArgs &a) {
  Philox p{L, a.callRange};
  return p.randint4x(a["seed"], a["offset"], roundsArg(L, a))[0];
}

SVal builtinRand(Lowerer &L, CallArgs &a) {
  Philox p{L, a.callRange};
  return p.uniform(p.randint4x(a["seed"], a["offset"], roundsArg(L, a))[0]);
}

SVal builtinRandn(Lowerer &L, CallArgs &a) {
  // pair_uniform_to_normal (Box-Muller) on the first two streams.
  using B = ast::BinaryOp;
  Philox p{L, a.callRange};
  std::array<SVal, 4> r = p.randint4x(a["seed"], a["offset"], roundsArg(L, a));
  SVal u1 = p.uniform(r[0]), u2 = p.uniform(r[1]);
  u1 = SVal::tensor(L.minMax(true, SVal::floating(1.0e-7), u1, false, a.callRange));
  SVal th = p.bin(B::Mul, SVal::floating(6.283185307179586), u2);
  SVal lg = SVal::tensor(L.unaryMath(OpCode::Log, u1, "tl.log", a.callRange));
  SVal rr = SVal::tensor(
      L.unaryMath(OpCode::Sqrt, p.bin(B::Mul, SVal::floating(-2.0), lg), "tl.sqrt", a.callRange));
  SVal c = SVal::tensor(L.unaryMath(OpCode::Cos, th, "tl.cos", a.callRange));
  return p.bin(B::Mul, rr, c);
}

} // namespace tritonc::sema
