// Layout maths of the matrix-unit layouts (Mma, DotOperand): which register, lane and warp of
// a CTA holds which element, as GF(2) bases (see LinearLayout.h for the meaning of a
// basis). Pure maths with no LLVM, usable by passes (warpsPerCTA choice, shape checks) and by
// codegen (which clips the bases to the shape and numbers the registers).
//
// mma.sync m16n8kK (PTX ISA "Matrix fragments for mma.m16n8k*"), lane = 4 * group + t:
//   accumulator c0..c3:  row group (+8 for c2, c3), column 2t (+1 for c1, c3)
//     register bases [n:1] [m:8]  lane bases [n:2] [n:4] [m:1] [m:2] [m:4]
//   operand A (M x K), kWidth w = 32 / element bits elements per 32-bit register:
//     register bases [k:1 .. k:w/2]  lane [k:w] [k:2w] [m:1] [m:2] [m:4]  register [m:8] [k:4w]
//   operand B (K x N):
//     register bases [k:1 .. k:w/2]  lane [k:w] [k:2w] [n:1] [n:2] [n:4]  register [k:4w]
// One instruction covers M 16, N 8, K 8w (tf32 8, f16/bf16 16, i8/fp8 32). Warps tile the
// accumulator N first, then M, then the batch dim; an operand is replicated over the warps
// that differ only along the other operand's dim. Larger shapes repeat the warp tile in more
// registers (K first for operands, then M or N, then the batch).
#pragma once

#include "ir/Types.h"
#include "layout/LinearLayout.h"
#include "support/TargetInfo.h"

#include <cstdint>
#include <vector>

namespace tritonc {

struct LayoutBases {
  std::vector<std::vector<int64_t>> reg, lane, warp;
};

/// Elements of a dot operand per 32-bit register: 1 (32-bit), 2 (16-bit) or 4 (8-bit).
unsigned mmaKWidth(unsigned elementBits);
/// K extent of one mma.sync for operands with `kWidth`.
inline unsigned mmaInstrK(unsigned kWidth) { return 8 * kWidth; }

/// Bases of an Mma or DotOperand layout over `shape` before clipping (a base may point past
/// the shape: the caller zeroes it, meaning replication). Empty reg/lane/warp if the layout is
/// neither or its rank does not match `shape`.
LayoutBases mmaLayoutBases(const Layout *layout, const std::vector<int64_t> &shape);

/// The [M, N] (or [B, M, N]) extent one CTA's warps cover with one instruction each.
std::vector<int64_t> mmaWarpTile(const Layout *mma);

/// Whether the operand fragments of a #dot_op value of `type` laid out as `dst` can be read
/// from shared memory with ldmatrix on `target` (NVIDIA sm_80+, 16-bit elements, k_width 2,
/// rank 2, and the first register bases of the fragment as spelled above).
bool ldmatrixCanLoad(const Type *type, const LinearLayout &dst, const TargetInfo &target);

/// The layout an FMA dot moves operand `opIdx` (0: A, [.., M, K]; 1: B, [.., K, N]) of shape
/// `shape` into: every thread holds all of K for the accumulator rows (A) or columns (B) it
/// holds in `acc`, the accumulator's layout with its N (A) or M (B) bases dropped and K in
/// registers.
LinearLayout fmaDotOperandLayout(const LinearLayout &acc, const std::vector<int64_t> &shape,
                                 unsigned opIdx);

} // namespace tritonc
