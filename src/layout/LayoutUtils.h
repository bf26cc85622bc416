// Layout arithmetic shared by the layout passes and codegen: Triton's rules for
// building a Blocked layout from a shape, and the order / size-per-thread of any distributed
// layout. No IR is changed here.
#pragma once

#include "ir/IR.h"
#include "ir/Types.h"
#include "support/TargetInfo.h"

#include <cstdint>
#include <vector>

namespace tritonc {

/// Triton's `BlockedEncodingAttr::get(shape, sizePerThread, order, numWarps, threadsPerWarp)`:
/// given the elements each thread holds and the dim order (fastest first), fills the lanes of a
/// warp and then the warps of the CTA along the fastest dims first, never giving a dim more
/// threads than it has chunks of `sizePerThread`; the slowest dim takes whatever is left over
/// (which may replicate if the block is small).
///   shape [64, 64], spt [1, 4], order [1, 0], 4 warps of 32
///     -> tpw [2, 16], wpc [4, 1]
const Layout *blockedLayoutFor(Context &ctx, const std::vector<int64_t> &shape,
                               const std::vector<unsigned> &sizePerThread,
                               const std::vector<unsigned> &order, unsigned numWarps,
                               unsigned threadsPerWarp);

/// Triton's default layout for a shape: one element per thread, order [rank-1, ..., 0].
const Layout *defaultBlockedLayout(Context &ctx, const std::vector<int64_t> &shape,
                                   unsigned numWarps, unsigned threadsPerWarp);

/// The dims of a layout from fastest- to slowest-varying. A slice drops its dim from its
/// parent's order (renumbering the dims above it), as Triton's `getOrder` does.
std::vector<unsigned> layoutOrder(const Layout *layout);

/// Contiguous elements one thread holds along each dim (a slice drops its dim from its
/// parent's sizePerThread).
std::vector<unsigned> layoutSizePerThread(const Layout *layout);

/// The layout of `trans(x, order)` when x has Blocked layout `layout`: dim i of the result is
/// dim order[i] of the source. nullptr if `layout` is not Blocked or the order is not a
/// permutation of its rank.
const Layout *permuteBlocked(Context &ctx, const Layout *layout, const std::vector<int64_t> &order);

/// The inverse of permuteBlocked: the source layout that `trans(., order)` maps to `layout`.
const Layout *inversePermuteBlocked(Context &ctx, const Layout *layout,
                                    const std::vector<int64_t> &order);

/// The #mma layout (mma.sync, version 2) `dot` should produce on `target`, or nullptr if the
/// dot has no mma.sync form there (operand type, input_precision, shape): it then runs on FMA
/// units. Warps are doubled onto M or N, whichever has more instruction tiles per warp left
/// (Triton's warpsPerTileV2), all onto M for chained dots (the result feeds another dot's A
/// operand, or A comes from another dot's result, as in attention: the first #mma result then
/// becomes the second dot's A operand in registers, and both share one #mma layout).
const Layout *mmaLayoutForDot(Context &ctx, const Operation &dot, const TargetInfo &target,
                              unsigned numWarps);

/// The #dot_op layout operand `opIdx` of a dot with #mma result `mma` needs.
const Layout *dotOperandLayout(Context &ctx, const Operation &dot, unsigned opIdx,
                               const Layout *mma);

} // namespace tritonc
