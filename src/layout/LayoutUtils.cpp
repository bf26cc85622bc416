// Layout arithmetic (see LayoutUtils.h).
#include "layout/LayoutUtils.h"
#include "support/Bits.h"

#include "layout/AmdMatrixLayout.h"
#include "layout/MmaLayout.h"

#include <algorithm>
#include <numeric>

namespace tritonc {

const Layout *blockedLayoutFor(Context &ctx, const std::vector<int64_t> &shape,
                               const std::vector<unsigned> &sizePerThread,
                               const std::vector<unsigned> &order, unsigned numWarps,
                               unsigned threadsPerWarp) {
  unsigned rank = static_cast<unsigned>(shape.size());
  std::vector<unsigned> tpw(rank, 1), wpc(rank, 1);
  unsigned remainingLanes = threadsPerWarp;
  unsigned remainingThreads = numWarps * threadsPerWarp;
  unsigned remainingWarps = numWarps;
  unsigned prevLanes = 1, prevWarps = 1;
  // Every dim but the slowest takes as many threads as it has sizePerThread-chunks (bounded by
  // what is left); this is Triton's loop, kept literally so layouts match Triton's.
  for (unsigned d = 0; d + 1 < rank; ++d) {
    unsigned i = order[d];
    unsigned chunks = std::max<unsigned>(
        1, static_cast<unsigned>(shape[i] / std::max<unsigned>(sizePerThread[i], 1)));
    unsigned threadsPerCTA = std::clamp<unsigned>(remainingThreads, 1, chunks);
    tpw[i] = std::clamp<unsigned>(threadsPerCTA, 1, remainingLanes);
    wpc[i] = std::clamp<unsigned>(threadsPerCTA / tpw[i], 1, remainingWarps);
    remainingWarps /= wpc[i];
    remainingLanes /= tpw[i];
    remainingThreads /= threadsPerCTA;
    prevLanes *= tpw[i];
    prevWarps *= wpc[i];
  }
  // The slowest dim takes the remaining lanes and warps.
  if (rank > 0) {
    tpw[order[rank - 1]] = threadsPerWarp / prevLanes;
    wpc[order[rank - 1]] = numWarps / prevWarps;
  }
  return ctx.blocked(sizePerThread, tpw, wpc, order);
}

const Layout *defaultBlockedLayout(Context &ctx, const std::vector<int64_t> &shape,
                                   unsigned numWarps, unsigned threadsPerWarp) {
  unsigned rank = static_cast<unsigned>(shape.size());
  std::vector<unsigned> order(rank);
  std::iota(order.rbegin(), order.rend(), 0u); // [rank-1, ..., 0]
  return blockedLayoutFor(ctx, shape, std::vector<unsigned>(rank, 1), order, numWarps,
                          threadsPerWarp);
}

std::vector<unsigned> layoutOrder(const Layout *layout) {
  if (!layout)
    return {};
  if (layout->isBlocked())
    return layout->order();
  std::vector<unsigned> parent = layoutOrder(layout->parent());
  unsigned dim = layout->sliceDim();
  std::vector<unsigned> out;
  for (unsigned d : parent) {
    if (d == dim)
      continue;
    out.push_back(d > dim ? d - 1 : d);
  }
  return out;
}

std::vector<unsigned> layoutSizePerThread(const Layout *layout) {
  if (!layout)
    return {};
  if (layout->isBlocked())
    return layout->sizePerThread();
  std::vector<unsigned> parent = layoutSizePerThread(layout->parent());
  if (layout->sliceDim() < parent.size())
    parent.erase(parent.begin() + layout->sliceDim());
  return parent;
}

namespace {
bool isPermutation(const std::vector<int64_t> &order, unsigned rank) {
  if (order.size() != rank)
    return false;
  std::vector<bool> seen(rank, false);
  for (int64_t o : order) {
    if (o < 0 || o >= static_cast<int64_t>(rank) || seen[o])
      return false;
    seen[o] = true;
  }
  return true;
}
} // namespace

const Layout *permuteBlocked(Context &ctx, const Layout *layout,
                             const std::vector<int64_t> &order) {
  if (!layout || !layout->isBlocked() || !isPermutation(order, layout->rank()))
    return nullptr;
  unsigned rank = layout->rank();
  std::vector<unsigned> spt(rank), tpw(rank), wpc(rank), ord(rank), inv(rank);
  for (unsigned i = 0; i < rank; ++i) {
    spt[i] = layout->sizePerThread()[order[i]];
    tpw[i] = layout->threadsPerWarp()[order[i]];
    wpc[i] = layout->warpsPerCTA()[order[i]];
    inv[order[i]] = i; // source dim order[i] is result dim i
  }
  for (unsigned i = 0; i < rank; ++i)
    ord[i] = inv[layout->order()[i]];
  return ctx.blocked(spt, tpw, wpc, ord);
}

const Layout *inversePermuteBlocked(Context &ctx, const Layout *layout,
                                    const std::vector<int64_t> &order) {
  if (!layout || !isPermutation(order, layout->rank()))
    return nullptr;
  std::vector<int64_t> inv(order.size());
  for (size_t i = 0; i < order.size(); ++i)
    inv[order[i]] = static_cast<int64_t>(i);
  return permuteBlocked(ctx, layout, inv);
}

const Layout *joinBlocked(Context &ctx, const Layout *layout) {
  if (!layout || !layout->isBlocked())
    return nullptr;
  const unsigned rank = layout->rank();
  std::vector<unsigned> spt = layout->sizePerThread(), tpw = layout->threadsPerWarp(),
                        wpc = layout->warpsPerCTA(), order{rank};
  spt.push_back(2);
  tpw.push_back(1);
  wpc.push_back(1);
  order.insert(order.end(), layout->order().begin(), layout->order().end());
  return ctx.blocked(spt, tpw, wpc, order);
}

const Layout *splitBlocked(Context &ctx, const Layout *layout) {
  if (!layout || !layout->isBlocked() || layout->rank() < 2)
    return nullptr;
  const unsigned last = layout->rank() - 1;
  if (layout->sizePerThread()[last] != 2 || layout->threadsPerWarp()[last] != 1 ||
      layout->warpsPerCTA()[last] != 1)
    return nullptr;
  auto drop = [](std::vector<unsigned> v) {
    v.pop_back();
    return v;
  };
  std::vector<unsigned> order;
  for (unsigned d : layout->order())
    if (d != last)
      order.push_back(d);
  return ctx.blocked(drop(layout->sizePerThread()), drop(layout->threadsPerWarp()),
                     drop(layout->warpsPerCTA()), order);
}

namespace {

/// One basis of a linear layout along a single dim: (dim, value); value 0 is a zero basis.
using UnitBasis = std::pair<unsigned, int64_t>;
struct UnitBases {
  std::vector<UnitBasis> reg, lane, warp;
  bool operator==(const UnitBases &) const = default;
};

/// The register, lane and warp bases of a Blocked layout over `shape` (powers of two), built
/// as codegen's LinearLayout builds them: per dim in `order`, sizePerThread registers, then
/// threadsPerWarp lanes, warpsPerCTA warps, then registers repeating the CTA tile; bases past
/// the shape become zero, and zero register bases are dropped.
UnitBases blockedBases(const Layout *l, const std::vector<int64_t> &shape) {
  UnitBases out;
  const auto &spt = l->sizePerThread(), &tpw = l->threadsPerWarp(), &wpc = l->warpsPerCTA();
  auto add = [&](std::vector<UnitBasis> &bases, unsigned d, int64_t count, int64_t stride) {
    for (int64_t v = 1; v < count; v *= 2)
      bases.push_back({d, v * stride < shape[d] ? v * stride : 0});
  };
  for (unsigned d : l->order())
    add(out.reg, d, spt[d], 1);
  for (unsigned d : l->order())
    add(out.lane, d, tpw[d], spt[d]);
  for (unsigned d : l->order())
    add(out.warp, d, wpc[d], int64_t{spt[d]} * tpw[d]);
  for (unsigned d : l->order()) {
    const int64_t tile = int64_t{spt[d]} * tpw[d] * wpc[d];
    if (shape[d] > tile)
      add(out.reg, d, shape[d] / tile, tile);
  }
  std::erase_if(out.reg, [](const UnitBasis &b) { return b.second == 0; });
  return out;
}

bool allPowersOfTwo(const std::vector<int64_t> &shape) {
  return std::all_of(shape.begin(), shape.end(), isPowerOf2);
}

} // namespace

const Layout *reshapeBlocked(Context &ctx, const Layout *layout,
                             const std::vector<int64_t> &srcShape,
                             const std::vector<int64_t> &dstShape) {
  if (!layout || !layout->isBlocked() || layout->rank() != srcShape.size() ||
      !allPowersOfTwo(srcShape) || !allPowersOfTwo(dstShape))
    return nullptr;
  UnitBases src = blockedBases(layout, srcShape);
  // Each basis is one bit of the row-major index: the same bit of the result's index.
  auto strides = [](const std::vector<int64_t> &shape) {
    std::vector<int64_t> st(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;)
      st[d - 1] = st[d] * shape[d];
    return st;
  };
  const std::vector<int64_t> srcStrides = strides(srcShape), dstStrides = strides(dstShape);
  bool replicated = false;
  auto map = [&](std::vector<UnitBasis> &bases) {
    for (UnitBasis &b : bases) {
      if (b.second == 0) {
        replicated = true;
        continue;
      }
      const int64_t flat = b.second * srcStrides[b.first];
      for (unsigned d = 0; d < dstShape.size(); ++d)
        if (flat >= dstStrides[d]) {
          b = {d, flat / dstStrides[d]};
          break;
        }
    }
  };
  map(src.reg);
  map(src.lane);
  map(src.warp);
  if (replicated)
    return nullptr;
  UnitBases want = src;
  std::sort(want.reg.begin(), want.reg.end());
  // Per dim of the result, its lowest bits in registers, then lanes, then warps (the rest must
  // be registers repeating the tile); the order is read off the lists in which the dims come.
  const unsigned rank = static_cast<unsigned>(dstShape.size());
  std::vector<unsigned> spt(rank, 1), tpw(rank, 1), wpc(rank, 1);
  auto has = [](const std::vector<UnitBasis> &bases, unsigned d, int64_t v) {
    return std::find(bases.begin(), bases.end(), UnitBasis{d, v}) != bases.end();
  };
  for (unsigned d = 0; d < rank; ++d) {
    int64_t v = 1;
    for (; has(src.reg, d, v); v *= 2)
      spt[d] *= 2;
    for (; has(src.lane, d, v); v *= 2)
      tpw[d] *= 2;
    for (; has(src.warp, d, v); v *= 2)
      wpc[d] *= 2;
  }
  for (const std::vector<UnitBasis> *first : {&src.lane, &src.reg, &src.warp}) {
    std::vector<unsigned> order;
    auto note = [&](const std::vector<UnitBasis> &bases) {
      for (const UnitBasis &b : bases)
        if (std::find(order.begin(), order.end(), b.first) == order.end())
          order.push_back(b.first);
    };
    note(*first);
    note(src.lane);
    note(src.reg);
    note(src.warp);
    for (unsigned d = rank; d-- > 0;)
      if (std::find(order.begin(), order.end(), d) == order.end())
        order.push_back(d);
    // Lanes and warps must hold the same elements; registers may be renumbered.
    const Layout *candidate = ctx.blocked(spt, tpw, wpc, order);
    UnitBases got = blockedBases(candidate, dstShape);
    std::sort(got.reg.begin(), got.reg.end());
    if (got == want)
      return candidate;
  }
  return nullptr;
}

namespace {

/// Whether mma.sync computes a dot of `a` operands into `c` with `precision` on `target`.
bool hasMmaForm(const TargetInfo &target, ScalarKind a, ScalarKind c,
                const std::string &precision) {
  if (!target.isCuda() || target.computeCapability < 75)
    return false;
  if (target.computeCapability < 80) // sm_75: fp16 m16n8k8 only (codegen pairs them for k16)
    return a == ScalarKind::F16 && (c == ScalarKind::F32 || c == ScalarKind::F16);
  switch (a) {
  case ScalarKind::F16:
    return c == ScalarKind::F32 || c == ScalarKind::F16;
  case ScalarKind::BF16:
    return c == ScalarKind::F32;
  case ScalarKind::F32:
    return c == ScalarKind::F32 && precision == "tf32";
  case ScalarKind::I8:
    return c == ScalarKind::I32;
  case ScalarKind::F8E4NV:
  case ScalarKind::F8E5:
    // m16n8k32 e4m3/e5m2 (sm_89+; PTX ISA 8.4, to which codegen raises such a module's PTX).
    return c == ScalarKind::F32 && target.computeCapability >= 89;
  default:
    return false;
  }
}

/// Whether `v` reaches operand A of a dot through elementwise ops and conversions.
bool feedsDotA(const Value *v, unsigned depth = 0) {
  if (depth > 16)
    return false;
  for (const Operation *user : v->users()) {
    if (user->code() == OpCode::Dot && user->operand(0) == v)
      return true;
    if ((user->hasTrait(optrait::Elementwise) || user->code() == OpCode::ConvertLayout) &&
        user->numResults() == 1 && feedsDotA(user->result(0), depth + 1))
      return true;
  }
  return false;
}

/// Whether `v` is computed from a dot's result through elementwise ops and conversions.
bool derivesFromDot(const Value *v, unsigned depth = 0) {
  const Operation *def = v->definingOp();
  if (!def || depth > 16)
    return false;
  if (def->code() == OpCode::Dot)
    return true;
  if (!def->hasTrait(optrait::Elementwise) && def->code() != OpCode::ConvertLayout)
    return false;
  for (const Value *o : def->operands())
    if (o->type()->isBlock() && derivesFromDot(o, depth + 1))
      return true;
  return false;
}

} // namespace

const Layout *mmaLayoutForDot(Context &ctx, const Operation &dot, const TargetInfo &target,
                              unsigned numWarps) {
  if (dot.code() != OpCode::Dot || dot.numOperands() != 3)
    return nullptr;
  if (target.isHip()) // MFMA / WMMA (layout/AmdMatrixLayout.h)
    return amdMmaLayoutForDot(ctx, dot, target, numWarps,
                              feedsDotA(dot.result(0)) || derivesFromDot(dot.operand(0)));
  const Type *aTy = dot.operand(0)->type(), *bTy = dot.operand(1)->type();
  const Type *cTy = dot.operand(2)->type();
  if (!aTy->isBlock() || !bTy->isBlock() || !cTy->isBlock())
    return nullptr;
  const ScalarKind ka = aTy->element()->scalarKind(), kb = bTy->element()->scalarKind();
  auto isFp8 = [](ScalarKind k) { return k == ScalarKind::F8E4NV || k == ScalarKind::F8E5; };
  if ((kb != ka && !(isFp8(ka) && isFp8(kb))) || // e4m3 x e5m2 mixes on mma.sync
      !hasMmaForm(target, ka, cTy->element()->scalarKind(),
                  dot.attrs().getString("input_precision", "tf32")))
    return nullptr;
  const unsigned rank = cTy->rank();
  const int64_t M = cTy->shape()[rank - 2], N = cTy->shape()[rank - 1];
  const int64_t K = aTy->shape()[rank - 1];
  if (M % 16 || N % 8 || K % mmaInstrK(mmaKWidth(scalarBitWidth(ka))))
    return nullptr;
  const bool chained = feedsDotA(dot.result(0)) || derivesFromDot(dot.operand(0));
  // wgmma (version 3, sm_90a with --mma=wgmma): f16/bf16 into f32, warpgroups of 4 warps all
  // along M (64 rows per warpgroup), one instruction N = min(N, 256) dividing N.
  if (target.wgmma && target.hasWgmma() && rank == 2 && !chained &&
      (ka == ScalarKind::F16 || ka == ScalarKind::BF16) &&
      cTy->element()->scalarKind() == ScalarKind::F32 && numWarps % 4 == 0 &&
      M % (16 * numWarps) == 0 && K % 16 == 0) {
    const int64_t instrN = std::min<int64_t>(N, 256);
    if (N % instrN == 0)
      return ctx.mma(3, {numWarps, 1u}, {16, static_cast<unsigned>(instrN)});
  }
  unsigned wm = 1, wn = 1;
  if (chained) {
    while (wm * wn < numWarps)
      (M / (16 * wm) > 1 ? wm : wn) *= 2;
  } else {
    while (wm * wn < numWarps) {
      bool mHasRoom = M / (16 * wm) > 1, nHasRoom = N / (8 * wn) > 1;
      if (mHasRoom && (M / (16 * wm) >= N / (8 * wn) || !nHasRoom))
        wm *= 2;
      else
        wn *= 2;
    }
  }
  std::vector<unsigned> wpc = {wm, wn};
  if (rank == 3)
    wpc.insert(wpc.begin(), 1u);
  return ctx.mma(2, wpc, {16, 8});
}

const Layout *dotOperandLayout(Context &ctx, const Operation &dot, unsigned opIdx,
                               const Layout *mma) {
  const unsigned bits = scalarBitWidth(dot.operand(opIdx)->type()->element()->scalarKind());
  if (isAmdMmaVersion(mma->mmaVersion()))
    return ctx.dotOperand(opIdx, mma, amdDotOperandKWidth(mma, bits));
  return ctx.dotOperand(opIdx, mma, mmaKWidth(bits));
}

} // namespace tritonc
