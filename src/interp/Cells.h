// The interpreter's runtime values (private to src/interp).
//
// Every scalar or block value is a type plus a flat, row-major array of 64-bit cells, one per
// element. A cell's meaning depends on the element type, and these invariants hold for every
// value the interpreter produces (ops may rely on them without re-normalizing their inputs):
//   - signed integers are sign-extended to 64 bits; unsigned integers zero-extended; i1 is 0/1;
//   - floats hold their own encoding in the low bits (f16: 16 bits, ...), the rest zero, so
//     loads, stores, selects and bitcasts move bits exactly (NaN payloads included);
//   - pointers hold the 64-bit simulated device address.
#pragma once

#include "ir/Types.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tritonc::interp {

struct RtValue {
  const Type *type = nullptr;
  std::vector<uint64_t> cells;

  size_t size() const { return cells.size(); }
};

/// Brings a 64-bit integer into the canonical cell form of an integer type of `bits` width
/// (wrap-around): sign-extension for signed types, zero-extension for unsigned and i1.
struct IntNorm {
  unsigned shift = 0; ///< 64 - width
  bool isSigned = false;

  explicit IntNorm(const Type *scalar)
      : shift(64 - scalar->bitWidth()),
        isSigned(scalar->isScalar() && !scalar->isUnsigned() && !scalar->isBool()) {}
  uint64_t operator()(uint64_t v) const {
    if (isSigned)
      return static_cast<uint64_t>(static_cast<int64_t>(v << shift) >> shift);
    return (v << shift) >> shift;
  }
};

/// Raw bits of a cell in its element type's width (what memory holds).
inline uint64_t rawBits(uint64_t cell, unsigned bits) {
  return bits >= 64 ? cell : cell & ((uint64_t(1) << bits) - 1);
}

/// Bytes an element of `scalar` occupies in memory (i1 is stored as a byte, as Triton does).
inline unsigned storageBytes(const Type *scalar) {
  unsigned bits = scalar->bitWidth();
  return bits < 8 ? 1 : bits / 8;
}

/// "[17]" or "[3, 5]": the multi-dimensional index of flat element `flat` of a row-major block
/// of `shape`, as memory errors and the differential tester name elements.
inline std::string formatElementIndex(int64_t flat, const std::vector<int64_t> &shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::string out = "[";
  for (size_t d = 0; d < idx.size(); ++d)
    out += (d ? ", " : "") + std::to_string(idx[d]);
  return out + "]";
}

} // namespace tritonc::interp
