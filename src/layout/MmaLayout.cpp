// Mma and DotOperand layouts as GF(2) bases; the fragment maps are spelled out in MmaLayout.h.
#include "layout/MmaLayout.h"

#include "layout/AmdMatrixLayout.h"

#include <algorithm>

namespace tritonc {

namespace {

/// The basis vector `value` along `dim` (a name of its own: LinearLayout.cpp has a `unit`, and
/// the two files may be compiled as one unity file).
LinearLayout::Coord along(size_t rank, size_t dim, int64_t value) {
  return LinearLayout::unitCoord(static_cast<unsigned>(rank), static_cast<unsigned>(dim), value);
}

/// Appends bases `stride, 2*stride, ...` along `dim` until `count` is covered.
void repeat(std::vector<std::vector<int64_t>> &bases, size_t rank, size_t dim, int64_t count,
            int64_t stride) {
  for (int64_t v = 1; v < count; v *= 2)
    bases.push_back(along(rank, dim, v * stride));
}

} // namespace

unsigned mmaKWidth(unsigned elementBits) {
  return elementBits >= 32 ? 1 : elementBits >= 16 ? 2 : 4;
}

std::vector<int64_t> mmaWarpTile(const Layout *mma) {
  const std::vector<unsigned> &wpc = mma->warpsPerCTA();
  const size_t rank = wpc.size();
  std::vector<int64_t> tile(rank, 1);
  for (size_t d = 0; d < rank; ++d)
    tile[d] = wpc[d];
  tile[rank - 2] *= mma->instrShape()[0];
  tile[rank - 1] *= mma->mmaVersion() == 3 ? 8 : mma->instrShape()[1]; // a warp's N: 8
  return tile;
}

LayoutBases mmaLayoutBases(const Layout *layout, const std::vector<int64_t> &shape) {
  LayoutBases out;
  const size_t rank = shape.size();
  const Layout *mma = layout->isDotOperand() ? layout->parent() : layout;
  if (!mma || !mma->isMma() || mma->rank() != rank || rank < 2)
    return out;
  if (isAmdMmaVersion(mma->mmaVersion()))
    return amdMatrixLayoutBases(layout, shape);
  const size_t mDim = rank - 2, nDim = rank - 1;
  const std::vector<unsigned> &wpc = mma->warpsPerCTA();
  const bool v3 = mma->mmaVersion() == 3;
  // wgmma (version 3): each warp holds the m16n8 pattern of mma.sync repeated over the
  // instruction's N, so a warp's tile is 16 x 8 as for mma.sync; only the order of the
  // register repetitions differs (N within one instruction first, see below).
  const int64_t instrM = mma->instrShape()[0], instrN = v3 ? 8 : mma->instrShape()[1];

  // Warps: N first, then M, then the batch dim; `keep` says which dims this layout spans.
  auto warps = [&](bool keepM, bool keepN) {
    auto add = [&](size_t dim, int64_t stride, bool keep) {
      for (int64_t v = 1; v < wpc[dim]; v *= 2)
        out.warp.push_back(keep ? along(rank, dim, v * stride) : std::vector<int64_t>(rank, 0));
    };
    add(nDim, instrN, keepN);
    add(mDim, instrM, keepM);
    if (rank == 3)
      add(0, 1, true);
  };

  if (layout->isMma()) {
    out.reg = {along(rank, nDim, 1), along(rank, mDim, 8)};
    out.lane = {along(rank, nDim, 2), along(rank, nDim, 4), along(rank, mDim, 1),
                along(rank, mDim, 2), along(rank, mDim, 4)};
    warps(true, true);
    if (v3 && rank == 2) {
      // N inside one instruction (8, 16, .. up to instr N), then the M repetitions (16 rows
      // per warp), then the N repetitions (one instruction N each).
      const int64_t wgN = std::min<int64_t>(mma->instrShape()[1], shape[nDim]);
      repeat(out.reg, rank, nDim, wgN / 8, 8);
      repeat(out.reg, rank, mDim, shape[mDim] / (16 * wpc[mDim]), 16 * wpc[mDim]);
      repeat(out.reg, rank, nDim, shape[nDim] / wgN, wgN);
      return out;
    }
    const std::vector<int64_t> tile = mmaWarpTile(mma);
    repeat(out.reg, rank, nDim, shape[nDim] / tile[nDim], tile[nDim]);
    repeat(out.reg, rank, mDim, shape[mDim] / tile[mDim], tile[mDim]);
    if (rank == 3)
      repeat(out.reg, rank, 0, shape[0] / tile[0], tile[0]);
    return out;
  }

  // A dot operand: A is [M, K] (K is dim nDim), B is [K, N] (K is dim mDim).
  const bool isA = layout->opIdx() == 0;
  const int64_t w = layout->kWidth();
  const size_t kDim = isA ? nDim : mDim, otherDim = isA ? mDim : nDim;
  repeat(out.reg, rank, kDim, w, 1);
  out.lane = {along(rank, kDim, w), along(rank, kDim, 2 * w), along(rank, otherDim, 1),
              along(rank, otherDim, 2), along(rank, otherDim, 4)};
  if (isA)
    out.reg.push_back(along(rank, mDim, 8));
  out.reg.push_back(along(rank, kDim, 4 * w));
  warps(isA, !isA);
  const int64_t tileK = 8 * w;
  const int64_t tileOther = isA ? instrM * wpc[mDim] : instrN * wpc[nDim];
  repeat(out.reg, rank, kDim, shape[kDim] / tileK, tileK);
  repeat(out.reg, rank, otherDim, shape[otherDim] / tileOther, tileOther);
  if (rank == 3)
    repeat(out.reg, rank, 0, shape[0] / wpc[0], wpc[0]);
  return out;
}

bool ldmatrixCanLoad(const Type *type, const LinearLayout &dst, const TargetInfo &target) {
  const Layout *l = type->layout();
  if (!target.isCuda() || target.computeCapability < 75 || !l || !l->isDotOperand() ||
      l->kWidth() != 2 || type->rank() != 2 || type->scalarType()->bitWidth() != 16)
    return false;
  const unsigned kDim = l->opIdx() == 0 ? 1 : 0;
  const auto &reg = dst.regBases();
  if (l->opIdx() == 0)
    return reg.size() >= 3 && reg[0] == along(2, kDim, 1) && reg[1] == along(2, 0, 8) &&
           reg[2] == along(2, kDim, 8);
  return reg.size() >= 2 && reg[0] == along(2, kDim, 1) && reg[1] == along(2, kDim, 8);
}

LinearLayout fmaDotOperandLayout(const LinearLayout &acc, const std::vector<int64_t> &shape,
                                 unsigned opIdx) {
  const unsigned rank = acc.rank(), mDim = rank - 2, nDim = rank - 1;
  const unsigned dim = opIdx == 0 ? nDim : mDim; // dropped from acc, and K's dim in the operand
  auto project = [dim](std::vector<LinearLayout::Coord> bases) {
    for (LinearLayout::Coord &b : bases)
      b[dim] = 0;
    return bases;
  };
  std::vector<LinearLayout::Coord> reg = project(acc.regBases());
  for (int64_t k = 1; k < shape[dim]; k *= 2)
    reg.push_back(along(rank, dim, k));
  std::erase_if(reg, [](const LinearLayout::Coord &c) {
    return std::all_of(c.begin(), c.end(), [](int64_t v) { return v == 0; });
  });
  return LinearLayout(shape, std::move(reg), project(acc.laneBases()), project(acc.warpBases()));
}

} // namespace tritonc
