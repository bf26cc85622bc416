// Float format decoding and encoding (see FloatFormats.h for the conventions).
//
// One generic encoder serves every format narrower than f64: the value is scaled by a power of
// two so that one unit is the format's quantum at that magnitude (exact in double), rounded to
// an integer, and the result is checked against the largest finite value. f32 round-to-nearest
// takes the host's own conversion, which is correctly rounded.
#include "interp/FloatFormats.h"

#include <bit>
#include <cmath>

namespace tritonc::interp {

namespace {

struct FormatInfo {
  int expBits;
  int mantBits;
  int bias;
  bool hasInf;   ///< IEEE-style: the all-ones exponent is inf/NaN
  bool saturate; ///< overflow gives the largest finite value (satfinite conversions)
  uint64_t nan;  ///< canonical NaN encoding
  double maxFinite;
};

const FormatInfo &formatOf(ScalarKind kind) {
  // e4m3fn has no infinity: exponent 15 is an ordinary binade except for mantissa 111 (NaN),
  // so its largest finite value is 1.75 * 2^8 = 448.
  static const FormatInfo f8e4{4, 3, 7, false, true, 0x7f, 448.0};
  static const FormatInfo f8e5{5, 2, 15, true, true, 0x7f, 57344.0};
  static const FormatInfo f16{5, 10, 15, true, false, 0x7fff, 65504.0};
  static const FormatInfo bf16{8, 7, 127, true, false, 0x7fff, 0x1.fep127};
  static const FormatInfo f32{8, 23, 127, true, false, 0x7fffffff, 0x1.fffffep127};
  switch (kind) {
  case ScalarKind::F8E4NV:
    return f8e4;
  case ScalarKind::F8E5:
    return f8e5;
  case ScalarKind::F16:
    return f16;
  case ScalarKind::BF16:
    return bf16;
  default:
    return f32;
  }
}

uint64_t encodeGeneric(const FormatInfo &fmt, double value, Rounding mode) {
  const uint64_t signBit = uint64_t(1) << (fmt.expBits + fmt.mantBits);
  const uint64_t sign = std::signbit(value) ? signBit : 0;
  double mag = std::fabs(value);
  auto largest = [&]() -> uint64_t {
    // Largest finite encoding: for IEEE-style formats the exponent below all-ones with a full
    // mantissa; for e4m3fn the all-ones exponent with mantissa 110.
    if (fmt.hasInf)
      return sign |
             ((uint64_t(1) << (fmt.expBits + fmt.mantBits)) - 1 - ((uint64_t(1) << fmt.mantBits)));
    return sign | (((uint64_t(1) << (fmt.expBits + fmt.mantBits)) - 1) - 1);
  };
  const uint64_t inf = sign | (((uint64_t(1) << fmt.expBits) - 1) << fmt.mantBits);
  if (std::isinf(mag))
    return fmt.saturate || !fmt.hasInf ? largest() : inf;
  if (mag == 0)
    return sign;

  const int minExp = 1 - fmt.bias; // exponent of the smallest normal
  int exp = std::ilogb(mag);       // mag in [2^exp, 2^(exp+1))
  if (exp < minExp)
    exp = minExp; // subnormal: the quantum stays that of the smallest binade
  const int quantumExp = exp - fmt.mantBits;
  double scaled = std::ldexp(mag, -quantumExp); // exact: a power-of-two scaling
  double rounded = mode == Rounding::NearestEven ? std::nearbyint(scaled) : std::trunc(scaled);
  double result = std::ldexp(rounded, quantumExp);
  if (result > fmt.maxFinite) {
    // Round-toward-zero never reaches infinity; nearest-even does unless the format saturates.
    if (mode == Rounding::TowardZero || fmt.saturate || !fmt.hasInf)
      return largest();
    return inf;
  }
  auto mant = static_cast<uint64_t>(rounded);
  const uint64_t implicit = uint64_t(1) << fmt.mantBits;
  if (mant >= 2 * implicit) { // rounding carried into the next binade
    mant >>= 1;
    ++exp;
  }
  if (mant < implicit) // subnormal (or rounded down to zero)
    return sign | mant;
  const auto expField = static_cast<uint64_t>(exp + fmt.bias);
  return sign | (expField << fmt.mantBits) | (mant - implicit);
}

double decodeGeneric(const FormatInfo &fmt, uint64_t bits) {
  const uint64_t mantMask = (uint64_t(1) << fmt.mantBits) - 1;
  const uint64_t expMax = (uint64_t(1) << fmt.expBits) - 1;
  const bool neg = (bits >> (fmt.expBits + fmt.mantBits)) & 1;
  const uint64_t expField = (bits >> fmt.mantBits) & expMax;
  const uint64_t mant = bits & mantMask;
  double mag;
  if (fmt.hasInf && expField == expMax)
    mag = mant == 0 ? INFINITY : NAN;
  else if (!fmt.hasInf && expField == expMax && mant == mantMask)
    mag = NAN;
  else if (expField == 0)
    mag = std::ldexp(static_cast<double>(mant), 1 - fmt.bias - fmt.mantBits);
  else
    mag = std::ldexp(static_cast<double>(mant | (mantMask + 1)),
                     static_cast<int>(expField) - fmt.bias - fmt.mantBits);
  return neg ? -mag : mag;
}

} // namespace

uint64_t canonicalNaN(ScalarKind kind) {
  if (kind == ScalarKind::F64)
    return 0x7fffffffffffffffull;
  return formatOf(kind).nan;
}

double decodeFloat(ScalarKind kind, uint64_t bits) {
  switch (kind) {
  case ScalarKind::F64:
    return std::bit_cast<double>(bits);
  case ScalarKind::F32:
    return std::bit_cast<float>(static_cast<uint32_t>(bits));
  case ScalarKind::BF16:
    return std::bit_cast<float>(static_cast<uint32_t>(bits & 0xffff) << 16);
  default:
    return decodeGeneric(formatOf(kind), bits);
  }
}

uint64_t encodeFloat(ScalarKind kind, double value, Rounding mode) {
  if (std::isnan(value))
    return canonicalNaN(kind);
  if (kind == ScalarKind::F64)
    return std::bit_cast<uint64_t>(value);
  if (kind == ScalarKind::F32 && mode == Rounding::NearestEven)
    return std::bit_cast<uint32_t>(static_cast<float>(value));
  return encodeGeneric(formatOf(kind), value, mode);
}

uint64_t encodeFloatFromInt(ScalarKind kind, uint64_t value, bool isSigned) {
  if (kind == ScalarKind::F64)
    return std::bit_cast<uint64_t>(isSigned ? static_cast<double>(static_cast<int64_t>(value))
                                            : static_cast<double>(value));
  if (kind == ScalarKind::F32)
    return std::bit_cast<uint32_t>(isSigned ? static_cast<float>(static_cast<int64_t>(value))
                                            : static_cast<float>(value));
  // Narrow formats keep at most 11 significant bits. Integers above 2^53 are first rounded to
  // odd at 53 bits (the shifted-out bits are ORed into the last one), which is exact in double
  // and, having two spare bits beyond the target precision, rounds once more correctly.
  const bool neg = isSigned && static_cast<int64_t>(value) < 0;
  uint64_t mag = neg ? ~value + 1 : value;
  int shift = 0;
  while ((mag >> shift) >= (uint64_t(1) << 53))
    ++shift;
  uint64_t kept = mag >> shift;
  if (shift && (mag & ((uint64_t(1) << shift) - 1)))
    kept |= 1;
  double exact = std::ldexp(static_cast<double>(kept), shift);
  return encodeFloat(kind, neg ? -exact : exact);
}

float truncateToTf32(float value) {
  if (std::isnan(value))
    return value;
  return std::bit_cast<float>(std::bit_cast<uint32_t>(value) & ~0x1fffu);
}

} // namespace tritonc::interp
