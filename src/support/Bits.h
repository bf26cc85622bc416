// Power-of-two arithmetic on the signed sizes the compiler handles (shapes, divisibilities,
// warp counts, layout bases), through C++20's <bit>: one definition for every layer.
#pragma once

#include <bit>
#include <cstdint>

namespace tritonc {

/// v is 1, 2, 4, ... (false for zero and negative values).
constexpr bool isPowerOf2(int64_t v) {
  return v > 0 && std::has_single_bit(static_cast<uint64_t>(v));
}

/// The exponent of the smallest power of two >= v: log2(v) for a power of two, 0 for v <= 1.
constexpr unsigned log2Ceil(int64_t v) {
  return v <= 1 ? 0 : static_cast<unsigned>(std::bit_width(static_cast<uint64_t>(v - 1)));
}

} // namespace tritonc
