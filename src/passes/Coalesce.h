// coalesce: layout assignment, Tile IR -> GPU IR.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Gives every block-typed value a layout. Each load, store and atomic gets a Blocked layout
/// chosen from axis info as Triton's Coalesce pass does (order by pointer contiguity, 16-byte
/// accesses per thread, no idle threads) and an attribute `vec` (elements per vector access);
/// those layouts are propagated through elementwise ops, broadcast, expand_dims (Slice),
/// reduce (Slice), trans, scan, dot accumulators and loop/if carried values; values that no
/// memory op reaches get Triton's default layout. `convert_layout` is inserted wherever two
/// choices meet. Afterwards every block type in the module carries a layout.
bool coalescePass(Module &module, PassContext &ctx);

/// The attribute holding the vector width (in elements) of a memory op after `coalesce`.
inline constexpr std::string_view kVecAttr = "vec";
/// On a masked memory op whose mask varies inside a vector group (e.g. `offs < n` with n not
/// known to be a multiple of the width): the width the pointers alone allow. Codegen then
/// issues one wide access for each group whose mask elements are all true, and element-wise
/// accesses only for the groups that straddle the mask's edge.
inline constexpr std::string_view kVecUnmaskedAttr = "vec_unmasked";

} // namespace tritonc
