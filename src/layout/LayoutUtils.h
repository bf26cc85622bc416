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

/// The layout of `join(a, b)` when a and b have Blocked layout `layout`: the new minor dim of
/// 2 in each thread's registers, so the join only renumbers registers. nullptr if not Blocked.
const Layout *joinBlocked(Context &ctx, const Layout *layout);

/// The inverse of joinBlocked: the layout of split(x)'s results when x has Blocked layout
/// `layout` whose last dim is held in registers (2 per thread, one lane and warp along it);
/// nullptr otherwise.
const Layout *splitBlocked(Context &ctx, const Layout *layout);

/// A Blocked layout of `dstShape` under which every thread holds the elements of
/// `reshape(x, dstShape)` (row-major) that it holds of x, of shape `srcShape`, under Blocked
/// `layout` — the reshape is then a renumbering of registers. nullptr if there is none, or if
/// `layout` replicates elements across lanes or warps (not handled).
const Layout *reshapeBlocked(Context &ctx, const Layout *layout,
                             const std::vector<int64_t> &srcShape,
                             const std::vector<int64_t> &dstShape);

/// The #mma layout `dot` should produce on `target`, or nullptr if the dot has no mma.sync
/// form there (operand type, input_precision, shape): it then runs on FMA units. The one place
/// that picks the matrix instruction: wgmma (version 3, layout/WgmmaLayout.h) on sm_90a when
/// the user asked for it (--mma=wgmma) and the dot is an unchained f16/bf16 -> f32 one with M a
/// multiple of 16 * num_warps (num_warps a multiple of 4), else mma.sync (version 2). Warps are
/// doubled onto M or N, whichever has more instruction tiles per warp left (Triton's
/// warpsPerTileV2), all onto M for chained dots (the result feeds another dot's A operand, or A
/// comes from another dot's result, as in attention: the first #mma result then becomes the second
/// dot's A operand in registers, and both share one #mma layout).
const Layout *mmaLayoutForDot(Context &ctx, const Operation &dot, const TargetInfo &target,
                              unsigned numWarps);

/// The #dot_op layout operand `opIdx` of a dot with #mma result `mma` needs.
const Layout *dotOperandLayout(Context &ctx, const Operation &dot, unsigned opIdx,
                               const Layout *mma);

} // namespace tritonc
