// Triton's implicit type rules, as pure functions on scalar types (no IR is built here):
// which type a binary operation computes in, which type a Python literal gets when it becomes
// a tensor, and the integer-promotion rule. They follow `semantic.py` of Triton 3.x
// (`computation_type_impl`, `integer_promote_impl`, `to_tensor`), except where LANGUAGE.md
// decides otherwise (fp16 with bf16 gives fp32).
#pragma once

#include "ir/Types.h"

#include <cstdint>
#include <string>

namespace tritonc::sema {

/// Triton's dtype kinds, ordered: a weak scalar of a lower or equal kind than the tensor it meets
/// does not take part in promotion.
enum class DTypeKind : uint8_t { Bool = 0, Integral = 1, Floating = 2 };
DTypeKind dtypeKind(ScalarKind kind);

/// Triton calls int1 unsigned (it is in UINT_TYPES); the IR's ScalarKind does not, so every
/// signedness question of the promotion rules goes through here.
bool tritonIsUnsigned(ScalarKind kind);
bool tritonIsSigned(ScalarKind kind);

/// Mantissa bits (fp16: 10, bf16: 7, fp32: 23, ...); 0 for non-floats.
unsigned fpMantissaWidth(ScalarKind kind);

/// Triton's integer_promote_impl: the wider type; at equal width the unsigned one wins.
ScalarKind integerPromote(ScalarKind a, ScalarKind b);

/// The result of computation_type_impl: a scalar kind, or an error message (Triton's words).
struct ComputationType {
  ScalarKind kind = ScalarKind::I32;
  std::string error; ///< non-empty when the operands cannot be combined
};

/// The type a binary arithmetic op computes in. `aIsScalar`/`bIsScalar` say whether the operand
/// is a Python number (a weak literal or constexpr), which only takes part in promotion when it
/// is of a higher kind (bool < int < float) than the other operand. `divOrMod` is set for `/`,
/// `//` and `%` (16-bit floats then compute in fp32).
ComputationType computationType(ScalarKind a, bool aIsScalar, ScalarKind b, bool bIsScalar,
                                bool divOrMod);

/// The type Triton's to_tensor gives a Python int: i32, else u32, else i64.
ScalarKind literalIntKind(int64_t value);
/// The type Triton's to_tensor gives a Python float: fp32 unless out of fp32's normal range.
ScalarKind literalFloatKind(double value);

/// Whether `value` lies in the range of the integer kind (Triton's get_int_min/max_value).
bool intFitsIn(int64_t value, ScalarKind kind);

} // namespace tritonc::sema
