// Bit-exact floating-point formats for the interpreter: decoding and encoding f8e4nv, f8e5,
// f16, bf16, f32 and f64 as the GPU does it, without relying on any host half-precision type.
//
// Conventions (they are the GPU's, so that interpreted results match the device bit for bit
// wherever the device's result is defined):
//   - rounding is done once, from an exact (or exactly representable) double, to nearest-even
//     unless told otherwise (`cast {rounding = "rtz"}`);
//   - f16, bf16, f32 and f64 overflow to infinity; the fp8 formats saturate to their largest
//     finite value (Triton converts with PTX `cvt.rn.satfinite.{e4m3,e5m2}x2`);
//   - NaN results are the canonical NaN of the format (NVIDIA's: all exponent and mantissa bits
//     set, sign clear), so that results do not depend on which operand's payload an x86 FPU
//     would have propagated — a commuted `add` gives the same bits.
#pragma once

#include "ir/Types.h"

#include <cstdint>

namespace tritonc::interp {

enum class Rounding { NearestEven, TowardZero };

/// The value of a float of kind `kind` whose encoding is in the low bits of `bits`. Every
/// format's values are exactly representable as double.
double decodeFloat(ScalarKind kind, uint64_t bits);

/// Encodes `value` in the float format `kind`, rounding once as `mode` says.
uint64_t encodeFloat(ScalarKind kind, double value, Rounding mode = Rounding::NearestEven);

/// Encodes an integer (given as its 64-bit value and signedness) in the float format `kind`,
/// correctly rounded to nearest-even even where the integer has more bits than a double.
uint64_t encodeFloatFromInt(ScalarKind kind, uint64_t value, bool isSigned);

/// The canonical NaN of a float format.
uint64_t canonicalNaN(ScalarKind kind);

/// What a tensor core reads from an f32 operand of a tf32 matrix instruction: the value with its
/// 13 low mantissa bits dropped (rounded toward zero). Triton passes f32 operands to
/// `mma`/`wgmma` unconverted; measured on an H200, `mma.sync ... .tf32` gives 1.0 for
/// 1 + 2^-11 + 2^-13, where `cvt.rna.tf32.f32` would have given 1 + 2^-10.
float truncateToTf32(float value);

} // namespace tritonc::interp
