// NumPy .npy files (format versions 1.0, 2.0 and 3.0): reading into C-order little-endian
// bytes, writing version 1.0 (2.0 when the header needs it), and the dtype spelling of each
// element type, so that `tritonc run` can take inputs from and give outputs to NumPy.
#pragma once

#include "ir/Types.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc {

struct NpyArray {
  std::string descr;          ///< NumPy dtype string, little-endian or '|' ("<f4", "|u1")
  std::vector<int64_t> shape; ///< () for a 0-d array
  std::vector<uint8_t> data;  ///< elements in C (row-major) order, little-endian

  int64_t numElements() const;
};

/// The item size in bytes of a dtype string ("<f4" → 4), or 0 if it is not a fixed-size one.
unsigned npyItemSize(std::string_view descr);

/// Parses the bytes of a .npy file. Big-endian data is byte-swapped and Fortran-order data is
/// transposed, so the result is always little-endian C order. Returns false with `error` set.
bool parseNpy(std::string_view bytes, NpyArray &out, std::string &error);
/// The bytes of a .npy file holding `array`.
std::string serializeNpy(const NpyArray &array);

/// Reads a .npy file (a regular file only: /dev/zero or a FIFO is refused). Writing is left to
/// the driver, which writes every output atomically (serializeNpy + driver/Output.h).
bool readNpy(const std::string &path, NpyArray &out, std::string &error);

/// The dtype string for elements of `elem` (a scalar or pointer type). NumPy has no bf16 or
/// fp8 dtypes: those are written as their bits ("<u2", "|u1"); pointers as "<u8".
std::string npyDescr(const Type *elem);
/// Whether data of `descr` can be the memory of elements of `elem`: the same dtype, or for bf16
/// and fp8 also raw-bit dtypes of the same size ("<u2"/"<V2", "|u1"/"|V1").
bool npyMatches(std::string_view descr, const Type *elem);

} // namespace tritonc
