// Triton's implicit type rules (see Promotion.h): computation type, integer promotion and the
// types of Python literals.
#include "frontend/Promotion.h"

#include <cmath>

namespace tritonc::sema {

DTypeKind dtypeKind(ScalarKind kind) {
  if (kind == ScalarKind::I1)
    return DTypeKind::Bool;
  if (isIntegerKind(kind))
    return DTypeKind::Integral;
  return DTypeKind::Floating;
}

bool tritonIsUnsigned(ScalarKind kind) { return kind == ScalarKind::I1 || isUnsignedKind(kind); }
bool tritonIsSigned(ScalarKind kind) { return isIntegerKind(kind) && !tritonIsUnsigned(kind); }

unsigned fpMantissaWidth(ScalarKind kind) {
  switch (kind) {
  case ScalarKind::F8E4NV:
    return 3;
  case ScalarKind::F8E5:
    return 2;
  case ScalarKind::F16:
    return 10;
  case ScalarKind::BF16:
    return 7;
  case ScalarKind::F32:
    return 23;
  case ScalarKind::F64:
    return 52;
  default:
    return 0;
  }
}

ScalarKind integerPromote(ScalarKind a, ScalarKind b) {
  unsigned aRank = scalarBitWidth(a), bRank = scalarBitWidth(b);
  bool aUnsigned = tritonIsUnsigned(a), bUnsigned = tritonIsUnsigned(b);
  if (aUnsigned == bUnsigned)
    return aRank > bRank ? a : b;
  if (aUnsigned)
    return aRank >= bRank ? a : b;
  return bRank >= aRank ? b : a;
}

static std::string tritonName(ScalarKind k) { return std::string(scalarKindTritonName(k)); }

ComputationType computationType(ScalarKind a, bool aIsScalar, ScalarKind b, bool bIsScalar,
                                bool divOrMod) {
  ComputationType r;
  // 0) A weak scalar of a lower or equal kind does not take part in promotion.
  if (aIsScalar != bIsScalar) {
    ScalarKind scalar = aIsScalar ? a : b;
    ScalarKind tensor = aIsScalar ? b : a;
    if (dtypeKind(scalar) <= dtypeKind(tensor)) {
      if (divOrMod && (tensor == ScalarKind::F16 || tensor == ScalarKind::BF16))
        r.kind = ScalarKind::F32;
      else
        r.kind = tensor;
      return r;
    }
  }
  auto either = [&](ScalarKind k) { return a == k || b == k; };
  auto isFp8 = [](ScalarKind k) { return k == ScalarKind::F8E4NV || k == ScalarKind::F8E5; };
  // 1) fp64 wins, 2) then fp32.
  if (either(ScalarKind::F64)) {
    r.kind = ScalarKind::F64;
    return r;
  }
  if (either(ScalarKind::F32)) {
    r.kind = ScalarKind::F32;
    return r;
  }
  // LANGUAGE.md §5: fp16 with bf16 gives fp32 (Triton's rule 3 would pick fp16).
  if (either(ScalarKind::F16) && either(ScalarKind::BF16)) {
    r.kind = ScalarKind::F32;
    return r;
  }
  // 3) fp16 (fp32 for / and %, which PTX has no native fp16 form of).
  if (either(ScalarKind::F16)) {
    r.kind = divOrMod ? ScalarKind::F32 : ScalarKind::F16;
    return r;
  }
  // 4) bf16 only if both are bf16.
  if (a == ScalarKind::BF16 && b == ScalarKind::BF16) {
    r.kind = divOrMod ? ScalarKind::F32 : ScalarKind::BF16;
    return r;
  }
  if (either(ScalarKind::BF16)) {
    r.kind = ScalarKind::F32;
    return r;
  }
  // 5) two fp8: the same one, else fp16.
  if (isFp8(a) && isFp8(b)) {
    r.kind = a == b ? a : ScalarKind::F16;
    return r;
  }
  if (!isIntegerKind(a) || !isIntegerKind(b)) {
    r.error = "unexpected types " + tritonName(a) + " and " + tritonName(b);
    return r;
  }
  // 6) integer promotion.
  if (divOrMod && tritonIsUnsigned(a) != tritonIsUnsigned(b)) {
    r.error = "cannot use /, // or % with " + tritonName(a) + " and " + tritonName(b) +
              " because they have different signedness; cast them to the same signedness";
    return r;
  }
  r.kind = integerPromote(a, b);
  return r;
}

ScalarKind literalIntKind(int64_t value) {
  if (value >= INT32_MIN && value <= INT32_MAX)
    return ScalarKind::I32;
  if (value > INT32_MAX && value <= int64_t(UINT32_MAX))
    return ScalarKind::U32;
  return ScalarKind::I64;
}

ScalarKind literalFloatKind(double value) {
  double a = std::fabs(value);
  const double minF32 = std::ldexp(1.0, -126);
  const double maxF32 = (2.0 - std::ldexp(1.0, -23)) * std::ldexp(1.0, 127);
  if (std::isinf(a) || a == 0.0 || std::isnan(value) || (a >= minF32 && a <= maxF32))
    return ScalarKind::F32;
  return ScalarKind::F64;
}

bool intFitsIn(int64_t value, ScalarKind kind) {
  unsigned bits = scalarBitWidth(kind);
  if (tritonIsUnsigned(kind)) {
    if (value < 0)
      return false;
    return bits >= 64 || value <= int64_t((uint64_t(1) << bits) - 1);
  }
  if (bits >= 64)
    return true;
  int64_t lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
  return value >= lo && value <= hi;
}

} // namespace tritonc::sema
