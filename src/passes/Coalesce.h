// coalesce: layout assignment, Tile IR -> GPU IR.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Gives every block-typed value a layout. Each load, store and atomic gets a Blocked layout
/// chosen from axis info as Triton's Coalesce pass does (order by pointer contiguity, 16-byte
/// accesses per thread, no idle threads) and an attribute `vec` (elements per vector access);
/// (and `vec_unmasked` where a mask narrows it; see ir/MemoryAttrs.h); those layouts are
/// propagated through elementwise ops, broadcast, expand_dims (Slice),
/// reduce (Slice), trans, scan, dot accumulators and loop/if carried values; values that no
/// memory op reaches get Triton's default layout. `convert_layout` is inserted wherever two
/// choices meet. Afterwards every block type in the module carries a layout.
bool coalescePass(Module &module, PassContext &ctx);

} // namespace tritonc
