// Constant folding of scalar integer and float operations (see ConstFold.h for the value
// conventions). Everything here is a pure function of its arguments; nothing touches the IR.
#include "passes/ConstFold.h"

#include <cmath>
#include <limits>

namespace tritonc {

namespace {

bool isSigned(ScalarKind kind) { return !isUnsignedKind(kind) && kind != ScalarKind::I1; }

uint64_t widthMask(unsigned w) { return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1; }

int64_t signedMin(unsigned w) {
  return w >= 64 ? std::numeric_limits<int64_t>::min() : -(int64_t(1) << (w - 1));
}

/// Rounds a double to the precision of `kind` (only f32 and f64 are handled by the callers).
double roundTo(ScalarKind kind, double v) {
  if (kind == ScalarKind::F32)
    return static_cast<double>(static_cast<float>(v));
  return v;
}

} // namespace

int64_t normalizeInt(ScalarKind kind, int64_t v) {
  unsigned w = scalarBitWidth(kind);
  if (w >= 64)
    return v;
  uint64_t bits = static_cast<uint64_t>(v) & widthMask(w);
  if (isSigned(kind) && (bits >> (w - 1)) & 1)
    bits |= ~widthMask(w); // sign-extend
  return static_cast<int64_t>(bits);
}

std::optional<int64_t> foldIntBinary(OpCode code, ScalarKind kind, int64_t a, int64_t b) {
  unsigned w = scalarBitWidth(kind);
  bool sgn = isSigned(kind);
  uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  // Operands are normalized: for unsigned kinds narrower than 64 bits they are non-negative,
  // so int64 comparisons agree with the unsigned order; u64 needs the uint64 view.
  auto less = [&](int64_t x, int64_t y) {
    return sgn ? x < y : static_cast<uint64_t>(x) < static_cast<uint64_t>(y);
  };
  switch (code) {
  case OpCode::Add:
    return normalizeInt(kind, static_cast<int64_t>(ua + ub));
  case OpCode::Sub:
    return normalizeInt(kind, static_cast<int64_t>(ua - ub));
  case OpCode::Mul:
    return normalizeInt(kind, static_cast<int64_t>(ua * ub));
  case OpCode::Div:
  case OpCode::Rem:
    if (b == 0)
      return std::nullopt;
    if (sgn) {
      if (a == signedMin(w) && b == -1)
        return std::nullopt; // overflows; left to the target
      return normalizeInt(kind, code == OpCode::Div ? a / b : a % b);
    }
    return normalizeInt(kind, static_cast<int64_t>(code == OpCode::Div ? ua / ub : ua % ub));
  case OpCode::And:
    return normalizeInt(kind, a & b);
  case OpCode::Or:
    return normalizeInt(kind, a | b);
  case OpCode::Xor:
    return normalizeInt(kind, a ^ b);
  case OpCode::Shl:
    if (b < 0 || static_cast<uint64_t>(b) >= w)
      return std::nullopt;
    return normalizeInt(kind, static_cast<int64_t>(ua << b));
  case OpCode::Shr:
    if (b < 0 || static_cast<uint64_t>(b) >= w)
      return std::nullopt;
    // Normalized signed values are sign-extended, so a 64-bit arithmetic shift is exact.
    return normalizeInt(kind, sgn ? (a >> b) : static_cast<int64_t>(ua >> b));
  case OpCode::Max:
    return less(a, b) ? b : a;
  case OpCode::Min:
    return less(a, b) ? a : b;
  case OpCode::UMulHi: {
    unsigned __int128 p = static_cast<unsigned __int128>(ua & widthMask(w)) * (ub & widthMask(w));
    return normalizeInt(kind, static_cast<int64_t>(static_cast<uint64_t>(p >> w)));
  }
  default:
    return std::nullopt;
  }
}

std::optional<int64_t> foldIntUnary(OpCode code, ScalarKind kind, int64_t a) {
  switch (code) {
  case OpCode::Neg:
    return normalizeInt(kind, static_cast<int64_t>(0 - static_cast<uint64_t>(a)));
  case OpCode::Not:
    return normalizeInt(kind, ~a);
  case OpCode::Abs:
    if (!isSigned(kind) || a >= 0)
      return a;
    return normalizeInt(kind, static_cast<int64_t>(0 - static_cast<uint64_t>(a)));
  default:
    return std::nullopt;
  }
}

std::optional<bool> foldIntCmp(std::string_view pred, ScalarKind kind, int64_t a, int64_t b) {
  bool lt = isSigned(kind) ? a < b : static_cast<uint64_t>(a) < static_cast<uint64_t>(b);
  bool eq = a == b;
  if (pred == "eq")
    return eq;
  if (pred == "ne")
    return !eq;
  if (pred == "lt")
    return lt;
  if (pred == "le")
    return lt || eq;
  if (pred == "gt")
    return !lt && !eq;
  if (pred == "ge")
    return !lt;
  return std::nullopt;
}

std::optional<double> foldFloatBinary(OpCode code, ScalarKind kind, double a, double b,
                                      bool propagateNan) {
  if (kind != ScalarKind::F32 && kind != ScalarKind::F64)
    return std::nullopt;
  a = roundTo(kind, a);
  b = roundTo(kind, b);
  switch (code) {
  case OpCode::Add:
    return roundTo(kind, a + b);
  case OpCode::Sub:
    return roundTo(kind, a - b);
  case OpCode::Mul:
    return roundTo(kind, a * b);
  case OpCode::DivRn:
    // Only the IEEE division: `div` is Triton's `/`, which the GPU computes approximately
    // (div.full.f32), so folding it exactly would change results.
    return roundTo(kind, a / b);
  case OpCode::Max:
  case OpCode::Min: {
    if (std::isnan(a) || std::isnan(b)) {
      if (propagateNan)
        return std::numeric_limits<double>::quiet_NaN();
      return std::isnan(a) ? b : a;
    }
    // The sign of a max/min of +0 and -0 is target-specific: leave it to the target.
    if (a == 0 && b == 0 && std::signbit(a) != std::signbit(b))
      return std::nullopt;
    return code == OpCode::Max ? std::max(a, b) : std::min(a, b);
  }
  default:
    return std::nullopt;
  }
}

std::optional<bool> foldFloatCmp(std::string_view pred, ScalarKind kind, double a, double b) {
  if (kind != ScalarKind::F32 && kind != ScalarKind::F64)
    return std::nullopt;
  a = roundTo(kind, a);
  b = roundTo(kind, b);
  // C++ comparisons on doubles are ordered (false with a NaN) except !=, which is unordered:
  // exactly the IR's rule.
  if (pred == "eq")
    return a == b;
  if (pred == "ne")
    return a != b;
  if (pred == "lt")
    return a < b;
  if (pred == "le")
    return a <= b;
  if (pred == "gt")
    return a > b;
  if (pred == "ge")
    return a >= b;
  return std::nullopt;
}

std::optional<ConstValue> foldCast(ScalarKind from, ScalarKind to, ConstValue v,
                                   std::string_view rounding) {
  bool rtne = rounding.empty() || rounding == "rtne";
  bool fromInt = isIntegerKind(from), toInt = isIntegerKind(to);
  ConstValue out;
  if (fromInt && toInt) {
    // The value is normalized in `from` (so already sign- or zero-extended by the source's
    // signedness; i1 counts as unsigned, as Triton zero-extends booleans): truncate to `to`.
    out.i = normalizeInt(to, v.i);
    return out;
  }
  if (fromInt && !toInt) {
    if (!rtne || (to != ScalarKind::F32 && to != ScalarKind::F64))
      return std::nullopt;
    out.isFloat = true;
    bool sgn = isSigned(from);
    // One rounding, straight from the integer to the destination precision.
    if (to == ScalarKind::F32)
      out.f = sgn ? static_cast<double>(static_cast<float>(v.i))
                  : static_cast<double>(static_cast<float>(static_cast<uint64_t>(v.i)));
    else
      out.f = sgn ? static_cast<double>(v.i) : static_cast<double>(static_cast<uint64_t>(v.i));
    return out;
  }
  if (!fromInt && !toInt) {
    if (from != ScalarKind::F32 && from != ScalarKind::F64)
      return std::nullopt;
    if (to != ScalarKind::F32 && to != ScalarKind::F64)
      return std::nullopt;
    double x = roundTo(from, v.f);
    if (to == ScalarKind::F32 && from == ScalarKind::F64 && !rtne)
      return std::nullopt;
    out.isFloat = true;
    out.f = roundTo(to, x);
    return out;
  }
  // float -> int: truncation toward zero, only when the result is in range (out-of-range and
  // NaN conversions are target-specific).
  if (from != ScalarKind::F32 && from != ScalarKind::F64)
    return std::nullopt;
  double x = std::trunc(roundTo(from, v.f));
  if (std::isnan(x))
    return std::nullopt;
  unsigned w = scalarBitWidth(to);
  if (to == ScalarKind::I1)
    return std::nullopt;
  if (isSigned(to)) {
    double lo = -std::ldexp(1.0, static_cast<int>(w) - 1),
           hi = std::ldexp(1.0, static_cast<int>(w) - 1);
    if (!(x >= lo && x < hi))
      return std::nullopt;
    out.i = static_cast<int64_t>(x);
  } else {
    double hi = std::ldexp(1.0, static_cast<int>(w));
    if (!(x >= 0 && x < hi))
      return std::nullopt;
    out.i = normalizeInt(to, static_cast<int64_t>(static_cast<uint64_t>(x)));
  }
  return out;
}

} // namespace tritonc
