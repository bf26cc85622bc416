// The attributes that carry memory-access facts from the passes to codegen: `coalesce` sets
// them on every load, store and atomic, and codegen's load/store lowering reads them. They are
// IR contracts (docs/IR.md), so they live here with typed accessors rather than as strings
// spelled in a pass header and in codegen.
#pragma once

#include "ir/IR.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace tritonc {

/// `vec`: the elements per vector access of a memory op. Each group of `vec` consecutive
/// elements a thread holds has contiguous, aligned pointers and (for a masked op) one mask
/// value, so codegen may access it at once. Absent: 1, one element per access.
inline constexpr std::string_view kVecAttr = "vec";

/// `vec_unmasked`: on a masked memory op whose mask varies inside a vector group (e.g.
/// `offs < n` with n not known to be a multiple of the width), the wider width the pointers
/// alone allow. Codegen then issues one wide access for each group whose mask elements are all
/// true, and `vec`-wide accesses only for the groups that straddle the mask's edge. Set only
/// when wider than `vec`.
inline constexpr std::string_view kVecUnmaskedAttr = "vec_unmasked";

inline int64_t vectorWidth(const Operation &op) { return op.attrs().getInt(kVecAttr, 1); }
inline void setVectorWidth(Operation &op, int64_t width) { op.attrs().set(kVecAttr, width); }

/// The `vec_unmasked` width, or vectorWidth(op) when the op has none.
inline int64_t unmaskedVectorWidth(const Operation &op) {
  return std::max(vectorWidth(op), op.attrs().getInt(kVecUnmaskedAttr, 1));
}
inline void setUnmaskedVectorWidth(Operation &op, int64_t width) {
  op.attrs().set(kVecUnmaskedAttr, width);
}

} // namespace tritonc
