// Elementwise op kernels: the type dispatch happens once per op, outside the element loop, so
// a 1024-element add costs a tight loop over cells.
//
// Choices where Triton leaves behaviour undefined follow what PTX does (each was measured on an
// H200), so interpreted results match the GPU, and none invokes C++ undefined behaviour:
//   - integer division and remainder by zero give all ones (div/rem.{s,u}32);
//     MIN / -1 wraps to MIN and MIN % -1 is 0;
//   - shifts by the bit width or more give 0 (`shr` of a negative signed value gives -1), as
//     PTX's clamped shifts;
//   - float → int conversion truncates toward zero and saturates to the destination range,
//     NaN giving 0 (`cvt.rzi`);
//   - `max`/`min` order +0 above -0 (max.f32/min.f32), which also keeps them commutative bit
//     for bit; every NaN result, `neg` and `abs` of a NaN included, is the canonical NaN.
// Float arithmetic on f32 and f64 is done in the type itself; on f16, bf16 and fp8 it is done in
// double and rounded once to the element type, which equals the correctly rounded result for
// + - * / and sqrt (double has more than twice their precision plus two bits).
#include "interp/Elementwise.h"

#include "interp/FloatFormats.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <string_view>

namespace tritonc::interp {

namespace {

// ---- element loops

/// Operand access with broadcast of one-cell operands (stride 0).
struct Src {
  const uint64_t *p;
  size_t stride;
  explicit Src(const RtValue &v) : p(v.cells.data()), stride(v.cells.size() == 1 ? 0 : 1) {}
  uint64_t operator[](size_t i) const { return p[i * stride]; }
};

template <typename F> void map1(const RtValue &a, RtValue &out, F f) {
  Src sa(a);
  uint64_t *o = out.cells.data();
  for (size_t i = 0, n = out.cells.size(); i < n; ++i)
    o[i] = f(sa[i]);
}

template <typename F> void map2(const RtValue &a, const RtValue &b, RtValue &out, F f) {
  Src sa(a), sb(b);
  uint64_t *o = out.cells.data();
  for (size_t i = 0, n = out.cells.size(); i < n; ++i)
    o[i] = f(sa[i], sb[i]);
}

template <typename F>
void map3(const RtValue &a, const RtValue &b, const RtValue &c, RtValue &out, F f) {
  Src sa(a), sb(b), sc(c);
  uint64_t *o = out.cells.data();
  for (size_t i = 0, n = out.cells.size(); i < n; ++i)
    o[i] = f(sa[i], sb[i], sc[i]);
}

// ---- float formats as compile-time types: T is the computation type

struct F32Fmt {
  using T = float;
  static T dec(uint64_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b)); }
  static uint64_t enc(T v) { return std::isnan(v) ? 0x7fffffffu : std::bit_cast<uint32_t>(v); }
};
struct F64Fmt {
  using T = double;
  static T dec(uint64_t b) { return std::bit_cast<double>(b); }
  static uint64_t enc(T v) {
    return std::isnan(v) ? 0x7fffffffffffffffull : std::bit_cast<uint64_t>(v);
  }
};
template <ScalarKind K> struct NarrowFmt {
  using T = double;
  static T dec(uint64_t b) { return decodeFloat(K, b); }
  static uint64_t enc(T v) { return encodeFloat(K, v); }
};

template <typename Fn> void withFloat(ScalarKind kind, Fn &&fn) {
  switch (kind) {
  case ScalarKind::F32:
    return fn(F32Fmt{});
  case ScalarKind::F64:
    return fn(F64Fmt{});
  case ScalarKind::F16:
    return fn(NarrowFmt<ScalarKind::F16>{});
  case ScalarKind::BF16:
    return fn(NarrowFmt<ScalarKind::BF16>{});
  case ScalarKind::F8E4NV:
    return fn(NarrowFmt<ScalarKind::F8E4NV>{});
  default:
    return fn(NarrowFmt<ScalarKind::F8E5>{});
  }
}

template <typename F> void floatUnary(ScalarKind k, const RtValue &a, RtValue &out, F f) {
  withFloat(k, [&](auto fmt) {
    using Fmt = decltype(fmt);
    map1(a, out, [&](uint64_t x) { return Fmt::enc(f(Fmt::dec(x))); });
  });
}

template <typename F>
void floatBinary(ScalarKind k, const RtValue &a, const RtValue &b, RtValue &out, F f) {
  withFloat(k, [&](auto fmt) {
    using Fmt = decltype(fmt);
    map2(a, b, out, [&](uint64_t x, uint64_t y) { return Fmt::enc(f(Fmt::dec(x), Fmt::dec(y))); });
  });
}

/// The unary math ops, in the element's own precision (float for fp32 and narrower formats,
/// double for fp64): libm's function of the same name (sqrt for both sqrt and sqrt_rn).
template <typename T> T unaryMath(OpCode code, T x) {
  switch (code) {
  case OpCode::Exp:
    return std::exp(x);
  case OpCode::Exp2:
    return std::exp2(x);
  case OpCode::Log:
    return std::log(x);
  case OpCode::Log2:
    return std::log2(x);
  case OpCode::Sqrt:
  case OpCode::SqrtRn:
    return std::sqrt(x);
  case OpCode::Rsqrt:
    return T(1) / std::sqrt(x);
  case OpCode::Sin:
    return std::sin(x);
  case OpCode::Cos:
    return std::cos(x);
  case OpCode::Floor:
    return std::floor(x);
  case OpCode::Ceil:
    return std::ceil(x);
  default: // Erf
    return std::erf(x);
  }
}

/// IEEE maxNum/minNum (NaN-ignoring) or NaN-propagating max/min; +0 ranks above -0.
template <typename T> T floatMax(T a, T b, bool propagateNan) {
  if (std::isnan(a) || std::isnan(b)) {
    if (propagateNan || (std::isnan(a) && std::isnan(b)))
      return std::numeric_limits<T>::quiet_NaN();
    return std::isnan(a) ? b : a;
  }
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
template <typename T> T floatMin(T a, T b, bool propagateNan) {
  if (std::isnan(a) || std::isnan(b)) {
    if (propagateNan || (std::isnan(a) && std::isnan(b)))
      return std::numeric_limits<T>::quiet_NaN();
    return std::isnan(a) ? b : a;
  }
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

uint64_t signMask(unsigned bits) { return uint64_t(1) << (bits - 1); }

// ---- integer arithmetic (cells are canonical: see Cells.h)

std::string intBinary(OpCode code, const Type *scalar, const Operation &op, const RtValue &a,
                      const RtValue &b, RtValue &out) {
  const IntNorm norm(scalar);
  const bool isSigned = norm.isSigned;
  const unsigned width = scalar->bitWidth();
  switch (code) {
  case OpCode::Add:
    map2(a, b, out, [&](uint64_t x, uint64_t y) { return norm(x + y); });
    return {};
  case OpCode::Sub:
    map2(a, b, out, [&](uint64_t x, uint64_t y) { return norm(x - y); });
    return {};
  case OpCode::Mul:
    map2(a, b, out, [&](uint64_t x, uint64_t y) { return norm(x * y); });
    return {};
  case OpCode::Div:
    if (isSigned)
      map2(a, b, out, [&](uint64_t x, uint64_t y) {
        auto sx = static_cast<int64_t>(x), sy = static_cast<int64_t>(y);
        if (sy == 0)
          return norm(~uint64_t(0));
        if (sy == -1)
          return norm(uint64_t(0) - x);
        return norm(static_cast<uint64_t>(sx / sy));
      });
    else
      map2(a, b, out, [&](uint64_t x, uint64_t y) { return y == 0 ? norm(~uint64_t(0)) : x / y; });
    return {};
  case OpCode::Rem:
    if (isSigned)
      map2(a, b, out, [&](uint64_t x, uint64_t y) {
        auto sx = static_cast<int64_t>(x), sy = static_cast<int64_t>(y);
        if (sy == 0)
          return norm(~uint64_t(0));
        if (sy == -1)
          return uint64_t(0);
        return static_cast<uint64_t>(sx % sy);
      });
    else
      map2(a, b, out, [&](uint64_t x, uint64_t y) { return y == 0 ? norm(~uint64_t(0)) : x % y; });
    return {};
  case OpCode::And:
    map2(a, b, out, [](uint64_t x, uint64_t y) { return x & y; });
    return {};
  case OpCode::Or:
    map2(a, b, out, [](uint64_t x, uint64_t y) { return x | y; });
    return {};
  case OpCode::Xor:
    map2(a, b, out, [](uint64_t x, uint64_t y) { return x ^ y; });
    return {};
  case OpCode::Shl:
    map2(a, b, out, [&](uint64_t x, uint64_t y) { return y >= width ? 0 : norm(x << y); });
    return {};
  case OpCode::Shr:
    if (isSigned)
      map2(a, b, out, [&](uint64_t x, uint64_t y) {
        auto sx = static_cast<int64_t>(x);
        return static_cast<uint64_t>(y >= width ? (sx < 0 ? -1 : 0) : sx >> y);
      });
    else
      map2(a, b, out, [&](uint64_t x, uint64_t y) { return y >= width ? 0 : x >> y; });
    return {};
  case OpCode::Max:
    if (isSigned)
      map2(a, b, out, [](uint64_t x, uint64_t y) {
        return static_cast<int64_t>(x) >= static_cast<int64_t>(y) ? x : y;
      });
    else
      map2(a, b, out, [](uint64_t x, uint64_t y) { return x >= y ? x : y; });
    return {};
  case OpCode::Min:
    if (isSigned)
      map2(a, b, out, [](uint64_t x, uint64_t y) {
        return static_cast<int64_t>(x) <= static_cast<int64_t>(y) ? x : y;
      });
    else
      map2(a, b, out, [](uint64_t x, uint64_t y) { return x <= y ? x : y; });
    return {};
  case OpCode::UMulHi:
    // Triton's umulhi: the high half of the unsigned 2N-bit product, whatever the signedness.
    map2(a, b, out, [&](uint64_t x, uint64_t y) {
      unsigned __int128 p = static_cast<unsigned __int128>(rawBits(x, width)) * rawBits(y, width);
      return norm(static_cast<uint64_t>(p >> width));
    });
    return {};
  default:
    return "integer operands are not supported by '" + std::string(op.mnemonic()) + "'";
  }
}

std::string floatBinaryOp(OpCode code, ScalarKind k, const Operation &op, const RtValue &a,
                          const RtValue &b, RtValue &out) {
  const bool propagate = op.attrs().getBool("propagate_nan", false);
  switch (code) {
  case OpCode::Add:
    floatBinary(k, a, b, out, [](auto x, auto y) { return x + y; });
    return {};
  case OpCode::Sub:
    floatBinary(k, a, b, out, [](auto x, auto y) { return x - y; });
    return {};
  case OpCode::Mul:
    floatBinary(k, a, b, out, [](auto x, auto y) { return x * y; });
    return {};
  case OpCode::Div:
  case OpCode::DivRn:
  case OpCode::FDiv:
    floatBinary(k, a, b, out, [](auto x, auto y) { return x / y; });
    return {};
  case OpCode::Rem:
    floatBinary(k, a, b, out, [](auto x, auto y) { return std::fmod(x, y); });
    return {};
  case OpCode::Max:
    floatBinary(k, a, b, out, [&](auto x, auto y) { return floatMax(x, y, propagate); });
    return {};
  case OpCode::Min:
    floatBinary(k, a, b, out, [&](auto x, auto y) { return floatMin(x, y, propagate); });
    return {};
  default:
    return "float operands are not supported by '" + std::string(op.mnemonic()) + "'";
  }
}

// ---- comparisons

enum class Pred { Eq, Ne, Lt, Le, Gt, Ge };

bool parsePred(std::string_view s, Pred &p) {
  static constexpr std::pair<std::string_view, Pred> kPreds[] = {
      {"eq", Pred::Eq}, {"ne", Pred::Ne}, {"lt", Pred::Lt},
      {"le", Pred::Le}, {"gt", Pred::Gt}, {"ge", Pred::Ge}};
  for (auto &[name, pred] : kPreds)
    if (s == name) {
      p = pred;
      return true;
    }
  return false;
}

template <typename T> bool compare(Pred p, T x, T y) {
  switch (p) {
  case Pred::Eq:
    return x == y;
  case Pred::Ne:
    return !(x == y); // unordered: true when either is NaN
  case Pred::Lt:
    return x < y;
  case Pred::Le:
    return x <= y;
  case Pred::Gt:
    return x > y;
  case Pred::Ge:
    return x >= y;
  }
  return false;
}

std::string evalCmp(const Operation &op, const RtValue &a, const RtValue &b, RtValue &out) {
  Pred pred;
  std::string name = op.attrs().getString("pred");
  if (!parsePred(name, pred))
    return "unknown comparison predicate '" + name + "'";
  const Type *t = a.type->scalarType();
  if (t->isFloat()) {
    ScalarKind k = t->scalarKind();
    map2(a, b, out, [&](uint64_t x, uint64_t y) -> uint64_t {
      return compare(pred, decodeFloat(k, x), decodeFloat(k, y));
    });
  } else if (t->isInt() && IntNorm(t).isSigned) {
    map2(a, b, out, [&](uint64_t x, uint64_t y) -> uint64_t {
      return compare(pred, static_cast<int64_t>(x), static_cast<int64_t>(y));
    });
  } else { // unsigned, i1, pointers (addresses)
    map2(a, b, out, [&](uint64_t x, uint64_t y) -> uint64_t { return compare(pred, x, y); });
  }
  return {};
}

// ---- casts

uint64_t floatToInt(double d, const Type *dst) {
  if (std::isnan(d))
    return 0;
  const double t = std::trunc(d);
  const unsigned w = dst->bitWidth();
  if (IntNorm(dst).isSigned) {
    const double lim = std::ldexp(1.0, static_cast<int>(w) - 1); // 2^(w-1), exact
    const uint64_t maxVal = (uint64_t(1) << (w - 1)) - 1;
    if (t >= lim)
      return maxVal;
    if (t <= -lim)
      return ~maxVal; // the sign-extended minimum
    return static_cast<uint64_t>(static_cast<int64_t>(t));
  }
  if (t <= 0)
    return 0;
  if (t >= std::ldexp(1.0, static_cast<int>(w)))
    return w == 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
  return static_cast<uint64_t>(t);
}

std::string evalCast(const Operation &op, const RtValue &a, RtValue &out) {
  const Type *src = a.type->scalarType();
  const Type *dst = out.type->scalarType();
  const Rounding mode = op.attrs().getString("rounding", "rtne") == "rtz" ? Rounding::TowardZero
                                                                          : Rounding::NearestEven;
  if (src->isPointer() && dst->isPointer()) {
    map1(a, out, [](uint64_t x) { return x; });
  } else if (src->isPointer() && dst->isInt()) {
    IntNorm norm(dst);
    map1(a, out, [&](uint64_t x) { return norm(x); });
  } else if (src->isInt() && dst->isPointer()) {
    map1(a, out, [](uint64_t x) { return x; });
  } else if (src->isInt() && dst->isInt()) {
    // The source cell is already sign- or zero-extended by its own signedness; re-normalizing
    // to the destination width is extension followed by truncation.
    IntNorm norm(dst);
    map1(a, out, [&](uint64_t x) { return norm(x); });
  } else if (src->isInt() && dst->isFloat()) {
    const bool isSigned = IntNorm(src).isSigned;
    const ScalarKind k = dst->scalarKind();
    map1(a, out, [&](uint64_t x) { return encodeFloatFromInt(k, x, isSigned); });
  } else if (src->isFloat() && dst->isInt()) {
    const ScalarKind k = src->scalarKind();
    IntNorm norm(dst);
    map1(a, out, [&](uint64_t x) { return norm(floatToInt(decodeFloat(k, x), dst)); });
  } else if (src->isFloat() && dst->isFloat()) {
    const ScalarKind ks = src->scalarKind(), kd = dst->scalarKind();
    if (ks == kd)
      map1(a, out, [](uint64_t x) { return x; });
    else
      map1(a, out, [&](uint64_t x) { return encodeFloat(kd, decodeFloat(ks, x), mode); });
  } else {
    return "cannot cast " + src->str() + " to " + dst->str();
  }
  return {};
}

std::string evalBitcast(const RtValue &a, RtValue &out) {
  const Type *src = a.type->scalarType();
  const Type *dst = out.type->scalarType();
  if (src->bitWidth() != dst->bitWidth())
    return "bitcast between " + src->str() + " and " + dst->str() + " of different widths";
  const unsigned w = src->bitWidth();
  if (dst->isInt()) {
    IntNorm norm(dst);
    map1(a, out, [&](uint64_t x) { return norm(rawBits(x, w)); });
  } else {
    map1(a, out, [&](uint64_t x) { return rawBits(x, w); });
  }
  return {};
}

// ---- math functions and extern_call

using Fn1 = double (*)(double);
using Fn2 = double (*)(double, double);

double sigmoidOf(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double rsqrtOf(double x) { return 1.0 / std::sqrt(x); }
double rcbrtOf(double x) { return 1.0 / std::cbrt(x); }
double exp10Of(double x) { return std::pow(10.0, x); }
double saturateOf(double x) { return std::isnan(x) ? 0.0 : std::fmin(std::fmax(x, 0.0), 1.0); }
double sinpiOf(double x) { return std::sin(std::numbers::pi * x); }
double cospiOf(double x) { return std::cos(std::numbers::pi * x); }
double normcdfOf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double roundAwayOf(double x) { return std::round(x); }
double rintOf(double x) { return std::nearbyint(x); }
double fmaxOf(double x, double y) { return floatMax(x, y, false); }
double fminOf(double x, double y) { return floatMin(x, y, false); }

/// Float functions of one argument, by libdevice's base name (no `__nv_` prefix, no f suffix).
Fn1 lookupUnary(std::string_view name) {
  static constexpr std::pair<std::string_view, Fn1> kTable[] = {
      {"exp", [](double x) { return std::exp(x); }},
      {"exp2", [](double x) { return std::exp2(x); }},
      {"exp10", exp10Of},
      {"expm1", [](double x) { return std::expm1(x); }},
      {"log", [](double x) { return std::log(x); }},
      {"log2", [](double x) { return std::log2(x); }},
      {"log10", [](double x) { return std::log10(x); }},
      {"log1p", [](double x) { return std::log1p(x); }},
      {"logb", [](double x) { return std::logb(x); }},
      {"sqrt", [](double x) { return std::sqrt(x); }},
      {"rsqrt", rsqrtOf},
      {"cbrt", [](double x) { return std::cbrt(x); }},
      {"rcbrt", rcbrtOf},
      {"sin", [](double x) { return std::sin(x); }},
      {"cos", [](double x) { return std::cos(x); }},
      {"tan", [](double x) { return std::tan(x); }},
      {"sinpi", sinpiOf},
      {"cospi", cospiOf},
      {"asin", [](double x) { return std::asin(x); }},
      {"acos", [](double x) { return std::acos(x); }},
      {"atan", [](double x) { return std::atan(x); }},
      {"sinh", [](double x) { return std::sinh(x); }},
      {"cosh", [](double x) { return std::cosh(x); }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"asinh", [](double x) { return std::asinh(x); }},
      {"acosh", [](double x) { return std::acosh(x); }},
      {"atanh", [](double x) { return std::atanh(x); }},
      {"erf", [](double x) { return std::erf(x); }},
      {"erfc", [](double x) { return std::erfc(x); }},
      {"normcdf", normcdfOf},
      {"lgamma", [](double x) { return std::lgamma(x); }},
      {"tgamma", [](double x) { return std::tgamma(x); }},
      {"floor", [](double x) { return std::floor(x); }},
      {"ceil", [](double x) { return std::ceil(x); }},
      {"trunc", [](double x) { return std::trunc(x); }},
      {"round", roundAwayOf},
      {"rint", rintOf},
      {"nearbyint", rintOf},
      {"fabs", [](double x) { return std::fabs(x); }},
      {"abs", [](double x) { return std::fabs(x); }},
      {"saturate", saturateOf},
      {"sigmoid", sigmoidOf},
  };
  for (auto &[n, fn] : kTable)
    if (n == name)
      return fn;
  return nullptr;
}

Fn2 lookupBinary(std::string_view name) {
  static constexpr std::pair<std::string_view, Fn2> kTable[] = {
      {"pow", [](double x, double y) { return std::pow(x, y); }},
      {"atan2", [](double x, double y) { return std::atan2(x, y); }},
      {"fmod", [](double x, double y) { return std::fmod(x, y); }},
      {"remainder", [](double x, double y) { return std::remainder(x, y); }},
      {"hypot", [](double x, double y) { return std::hypot(x, y); }},
      {"fmax", fmaxOf},
      {"fmin", fminOf},
      {"copysign", [](double x, double y) { return std::copysign(x, y); }},
      {"fdim", [](double x, double y) { return std::fdim(x, y); }},
      {"div_rn", [](double x, double y) { return x / y; }},
      {"add_rn", [](double x, double y) { return x + y; }},
      {"sub_rn", [](double x, double y) { return x - y; }},
      {"mul_rn", [](double x, double y) { return x * y; }},
      {"fdividef", [](double x, double y) { return x / y; }},
  };
  for (auto &[n, fn] : kTable)
    if (n == name)
      return fn;
  return nullptr;
}

/// Predicates returning an integer (libdevice returns i32 0/1).
bool lookupPredicate(std::string_view name, bool (*&fn)(double)) {
  static constexpr std::pair<std::string_view, bool (*)(double)> kTable[] = {
      {"isnan", [](double x) { return std::isnan(x); }},
      {"isinf", [](double x) { return std::isinf(x); }},
      {"isfinite", [](double x) { return std::isfinite(x); }},
      {"finite", [](double x) { return std::isfinite(x); }},
      {"signbit", [](double x) { return std::signbit(x); }},
  };
  for (auto &[n, f] : kTable)
    if (n == name) {
      fn = f;
      return true;
    }
  return false;
}

/// libdevice / ocml spellings to a base name: `__nv_tanhf` → `tanh`, `__ocml_tanh_f32` → `tanh`,
/// `fast_expf` → `exp`. The exact name is tried first so that `erf` keeps its `f`.
std::string_view baseName(std::string_view name, bool (*known)(std::string_view)) {
  for (std::string_view prefix : {"__nv_", "__ocml_"})
    if (name.starts_with(prefix))
      name.remove_prefix(prefix.size());
  for (std::string_view suffix : {"_f32", "_f64", "_f16"})
    if (name.ends_with(suffix))
      name.remove_suffix(suffix.size());
  if (name.starts_with("fast_"))
    name.remove_prefix(5);
  if (known(name))
    return name;
  if (name.size() > 1 && (name.back() == 'f' || name.back() == 'd')) {
    std::string_view stripped = name.substr(0, name.size() - 1);
    if (known(stripped))
      return stripped;
  }
  return name;
}

bool isKnownExtern(std::string_view n) {
  bool (*pred)(double);
  static constexpr std::string_view kOthers[] = {
      "fma",    "ldexp",   "scalbn", "powi",     "ilogb",  "nextafter", "popc",
      "popcll", "clz",     "clzll",  "ffs",      "ffsll",  "brev",      "brevll",
      "mulhi",  "mul64hi", "umulhi", "umul64hi", "min",    "max",       "umin",
      "umax",   "llmin",   "llmax",  "ullmin",   "ullmax", "llabs",     "float2int_rn"};
  for (std::string_view o : kOthers)
    if (n == o)
      return true;
  return lookupUnary(n) || lookupBinary(n) || lookupPredicate(n, pred);
}

std::string evalIntExtern(std::string_view name, const RtValue *const *in, unsigned numIn,
                          RtValue &out) {
  const Type *t = in[0]->type->scalarType();
  const unsigned w = t->bitWidth();
  const IntNorm norm(out.type->scalarType());
  const bool isSigned = IntNorm(t).isSigned;
  if (numIn == 1) {
    if (name == "popc" || name == "popcll")
      map1(*in[0], out, [&](uint64_t x) { return norm(std::popcount(rawBits(x, w))); });
    else if (name == "clz" || name == "clzll")
      map1(*in[0], out,
           [&](uint64_t x) { return norm(std::countl_zero(rawBits(x, w)) - (64 - w)); });
    else if (name == "ffs" || name == "ffsll")
      map1(*in[0], out,
           [&](uint64_t x) { return norm(x == 0 ? 0 : std::countr_zero(rawBits(x, w)) + 1); });
    else if (name == "brev" || name == "brevll")
      map1(*in[0], out, [&](uint64_t x) {
        uint64_t r = 0, v = rawBits(x, w);
        for (unsigned i = 0; i < w; ++i)
          r |= ((v >> i) & 1) << (w - 1 - i);
        return norm(r);
      });
    else if (name == "abs" || name == "llabs")
      map1(*in[0], out, [&](uint64_t x) {
        return isSigned && static_cast<int64_t>(x) < 0 ? norm(uint64_t(0) - x) : x;
      });
    else
      return "unsupported libdevice function '" + std::string(name) + "' for " + t->str();
    return {};
  }
  if (numIn == 2) {
    if (name == "mulhi" || name == "mul64hi" || name == "umulhi" || name == "umul64hi") {
      const bool signedMul = name[0] == 'm' && isSigned;
      map2(*in[0], *in[1], out, [&](uint64_t x, uint64_t y) {
        if (signedMul) {
          __int128 p = static_cast<__int128>(static_cast<int64_t>(x)) * static_cast<int64_t>(y);
          return norm(static_cast<uint64_t>(p >> w));
        }
        unsigned __int128 p = static_cast<unsigned __int128>(rawBits(x, w)) * rawBits(y, w);
        return norm(static_cast<uint64_t>(p >> w));
      });
      return {};
    }
    const bool isMax = name.ends_with("max");
    if (name.ends_with("max") || name.ends_with("min")) {
      const bool cmpSigned = isSigned && name[0] != 'u';
      map2(*in[0], *in[1], out, [&](uint64_t x, uint64_t y) {
        bool less = cmpSigned ? static_cast<int64_t>(x) < static_cast<int64_t>(y) : x < y;
        return isMax ? (less ? y : x) : (less ? x : y);
      });
      return {};
    }
  }
  return "unsupported libdevice function '" + std::string(name) + "' for " + t->str();
}

std::string evalExtern(const Operation &op, const RtValue *const *in, RtValue &out) {
  const std::string symbol = op.attrs().getString("name");
  std::string_view name = baseName(symbol, isKnownExtern);
  const unsigned numIn = op.numOperands();
  if (numIn == 0)
    return "extern_call '" + symbol + "' without operands";
  const Type *argType = in[0]->type->scalarType();
  const Type *resType = out.type->scalarType();
  if (argType->isInt())
    return evalIntExtern(name, in, numIn, out);
  if (!argType->isFloat())
    return "unsupported operand type " + argType->str() + " for '" + symbol + "'";

  const ScalarKind ka = argType->scalarKind();
  // Results are computed in double from exact inputs and rounded once to the result type; an
  // integer result (isnan, ilogb, float2int) is normalized to its width.
  auto encodeResult = [&, resIsFloat = resType->isFloat(), kr = resType->scalarKind(),
                       norm = IntNorm(resType)](double v) -> uint64_t {
    if (resIsFloat)
      return encodeFloat(kr, v);
    return norm(static_cast<uint64_t>(static_cast<int64_t>(v)));
  };
  auto dec = [ka](uint64_t x) { return decodeFloat(ka, x); };

  if (numIn == 1) {
    bool (*pred)(double) = nullptr;
    if (Fn1 fn = lookupUnary(name))
      map1(*in[0], out, [&](uint64_t x) { return encodeResult(fn(dec(x))); });
    else if (lookupPredicate(name, pred))
      map1(*in[0], out, [&](uint64_t x) { return encodeResult(pred(dec(x)) ? 1.0 : 0.0); });
    else if (name == "ilogb")
      map1(*in[0], out, [&](uint64_t x) { return encodeResult(std::ilogb(dec(x))); });
    else if (name == "float2int_rn")
      map1(*in[0], out, [&](uint64_t x) {
        return IntNorm(resType)(floatToInt(std::nearbyint(dec(x)), resType));
      });
    else
      return "unsupported libdevice function '" + symbol + "'";
    return {};
  }
  if (numIn == 2) {
    const Type *arg1 = in[1]->type->scalarType();
    if (Fn2 fn = lookupBinary(name)) {
      const ScalarKind kb = arg1->scalarKind();
      map2(*in[0], *in[1], out,
           [&](uint64_t x, uint64_t y) { return encodeResult(fn(dec(x), decodeFloat(kb, y))); });
    } else if (name == "nextafter") {
      // Stepping must happen in the operand's own format, not in double.
      map2(*in[0], *in[1], out, [&](uint64_t x, uint64_t y) {
        if (ka == ScalarKind::F32)
          return encodeResult(
              std::nextafter(static_cast<float>(dec(x)), static_cast<float>(dec(y))));
        return encodeResult(std::nextafter(dec(x), dec(y)));
      });
    } else if ((name == "ldexp" || name == "scalbn" || name == "powi") && arg1->isInt()) {
      const bool isPow = name == "powi";
      map2(*in[0], *in[1], out, [&](uint64_t x, uint64_t y) {
        auto e = static_cast<int64_t>(y);
        e = std::clamp<int64_t>(e, -100000, 100000);
        return encodeResult(isPow ? std::pow(dec(x), static_cast<double>(e))
                                  : std::ldexp(dec(x), static_cast<int>(e)));
      });
    } else {
      return "unsupported libdevice function '" + symbol + "'";
    }
    return {};
  }
  if (numIn == 3 && name == "fma") {
    map3(*in[0], *in[1], *in[2], out, [&](uint64_t x, uint64_t y, uint64_t z) {
      return encodeResult(std::fma(dec(x), dec(y), dec(z)));
    });
    return {};
  }
  return "unsupported libdevice function '" + symbol + "' with " + std::to_string(numIn) +
         " operands";
}

} // namespace

std::string evalElementwise(const Operation &op, const RtValue *const *in, RtValue &out) {
  const OpCode code = op.code();
  const unsigned numIn = op.numOperands();
  const Type *t = numIn ? in[0]->type->scalarType() : nullptr;
  if (isBinaryOp(code)) {
    if (t->isInt())
      return intBinary(code, t, op, *in[0], *in[1], out);
    if (t->isFloat())
      return floatBinaryOp(code, t->scalarKind(), op, *in[0], *in[1], out);
    return "'" + std::string(op.mnemonic()) + "' on " + t->str();
  }
  switch (code) {
  case OpCode::Neg:
    if (t->isInt()) {
      IntNorm norm(t);
      map1(*in[0], out, [&](uint64_t x) { return norm(uint64_t(0) - x); });
    } else {
      const ScalarKind k = t->scalarKind();
      const uint64_t sign = signMask(t->bitWidth()), nan = canonicalNaN(k);
      map1(*in[0], out, [&](uint64_t x) { return std::isnan(decodeFloat(k, x)) ? nan : x ^ sign; });
    }
    return {};
  case OpCode::Not: {
    IntNorm norm(t);
    map1(*in[0], out, [&](uint64_t x) { return norm(~x); });
    return {};
  }
  case OpCode::Abs:
    if (t->isInt()) {
      IntNorm norm(t);
      map1(*in[0], out, [&](uint64_t x) {
        return norm.isSigned && static_cast<int64_t>(x) < 0 ? norm(uint64_t(0) - x) : x;
      });
    } else {
      const ScalarKind k = t->scalarKind();
      const uint64_t sign = signMask(t->bitWidth()), nan = canonicalNaN(k);
      map1(*in[0], out,
           [&](uint64_t x) { return std::isnan(decodeFloat(k, x)) ? nan : x & ~sign; });
    }
    return {};
  case OpCode::Fma:
    withFloat(t->scalarKind(), [&](auto fmt) {
      using Fmt = decltype(fmt);
      map3(*in[0], *in[1], *in[2], out, [&](uint64_t x, uint64_t y, uint64_t z) {
        return Fmt::enc(std::fma(Fmt::dec(x), Fmt::dec(y), Fmt::dec(z)));
      });
    });
    return {};

  case OpCode::Exp:
  case OpCode::Exp2:
  case OpCode::Log:
  case OpCode::Log2:
  case OpCode::Sqrt:
  case OpCode::SqrtRn:
  case OpCode::Rsqrt:
  case OpCode::Sin:
  case OpCode::Cos:
  case OpCode::Floor:
  case OpCode::Ceil:
  case OpCode::Erf:
    floatUnary(t->scalarKind(), *in[0], out, [code](auto x) { return unaryMath(code, x); });
    return {};

  case OpCode::Cmp:
    return evalCmp(op, *in[0], *in[1], out);
  case OpCode::Select:
    map3(*in[0], *in[1], *in[2], out, [](uint64_t c, uint64_t x, uint64_t y) { return c ? x : y; });
    return {};
  case OpCode::Cast:
    return evalCast(op, *in[0], out);
  case OpCode::Bitcast:
    return evalBitcast(*in[0], out);
  case OpCode::AddPtr: {
    const uint64_t elemBytes = storageBytes(in[0]->type->scalarType()->pointee());
    // Offsets are canonical (sign-extended if signed), so unsigned wrap-around arithmetic
    // gives the two's-complement address.
    map2(*in[0], *in[1], out, [&](uint64_t p, uint64_t off) { return p + off * elemBytes; });
    return {};
  }
  case OpCode::PtrToInt: {
    IntNorm norm(out.type->scalarType());
    map1(*in[0], out, [&](uint64_t x) { return norm(x); });
    return {};
  }
  case OpCode::IntToPtr:
    map1(*in[0], out, [](uint64_t x) { return x; });
    return {};
  case OpCode::ExternCall:
    return evalExtern(op, in, out);
  default:
    return "'" + std::string(op.mnemonic()) + "' is not an elementwise op";
  }
}

} // namespace tritonc::interp
