// Constant folding of scalar integer and float operations, with the IR's exact semantics
// (docs/IR.md): integers wrap at their width, signedness lives in the type, division truncates
// toward zero, `rem` takes the sign of the dividend. Shared by `canonicalize` (which folds ops)
// and the axis-info analysis (which tracks constant values).
//
// Integer constants are kept *normalized*: signed kinds sign-extended from their width to
// int64, unsigned kinds (and i1) zero-extended. So an i32 -1 is -1, a u32 0xffffffff is
// 4294967295, a u64 0xffff...ff is the int64 bit pattern -1, and i1 true is 1.
#pragma once

#include "ir/IR.h"

#include <cstdint>
#include <optional>

namespace tritonc {

/// `v` wrapped to the width of integer kind `kind` and normalized as above.
int64_t normalizeInt(ScalarKind kind, int64_t v);

/// Folds a binary integer op (add sub mul div rem and or xor shl shr max min umulhi) on
/// normalized operands of kind `kind`. nullopt when the op is not foldable: division by zero,
/// signed overflow of div/rem (INT_MIN / -1), shifts by a negative amount or >= the width.
std::optional<int64_t> foldIntBinary(OpCode code, ScalarKind kind, int64_t a, int64_t b);

/// Folds `neg` / `not` / `abs` on an integer.
std::optional<int64_t> foldIntUnary(OpCode code, ScalarKind kind, int64_t a);

/// Folds `cmp` with predicate `pred` ("eq" "ne" "lt" "le" "gt" "ge") on integers of `kind`.
std::optional<bool> foldIntCmp(std::string_view pred, ScalarKind kind, int64_t a, int64_t b);

/// Folds a binary float op (add sub mul div_rn min max; not `div`, which the GPU computes
/// approximately) on f32 or f64. Operands are rounded to the kind first; the result is
/// correctly rounded to the kind (computing in double and rounding once is exact for + - * /
/// of floats). nullopt for other kinds or ops.
std::optional<double> foldFloatBinary(OpCode code, ScalarKind kind, double a, double b,
                                      bool propagateNan = false);

/// Folds a float `cmp` (ordered; `ne` unordered, as Triton) on f32 or f64.
std::optional<bool> foldFloatCmp(std::string_view pred, ScalarKind kind, double a, double b);

/// A numeric constant: an integer (normalized to its kind) or a float.
struct ConstValue {
  bool isFloat = false;
  int64_t i = 0;
  double f = 0.0;
};

/// Folds `cast` of a constant from kind `from` to kind `to` with the given rounding ("" or
/// "rtne" is the default, "rtz"). Handles int->int, int->f32/f64, f32/f64->f32/f64 and
/// float->int in range; nullopt otherwise (f16, bf16 and fp8 results are left to the GPU).
std::optional<ConstValue> foldCast(ScalarKind from, ScalarKind to, ConstValue v,
                                   std::string_view rounding = "");

} // namespace tritonc
