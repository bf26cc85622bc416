// Layout arithmetic (see LayoutUtils.h).
#include "layout/LayoutUtils.h"

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

namespace {

/// Whether mma.sync computes a dot of `a` operands into `c` with `precision` on `target`.
bool hasMmaForm(const TargetInfo &target, ScalarKind a, ScalarKind c,
                const std::string &precision) {
  if (!target.isCuda() || target.computeCapability < 80)
    return false;
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
    // mma.sync on e4m3/e5m2 (sm_89+) needs PTX ISA 8.4, above what the NVPTX target emits for
    // sm_89/sm_90a (7.8/8.0, kept for older ptxas): fp8 dots stay on FMA units for now.
    return false;
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
  const Type *aTy = dot.operand(0)->type(), *bTy = dot.operand(1)->type();
  const Type *cTy = dot.operand(2)->type();
  if (!aTy->isBlock() || !bTy->isBlock() || !cTy->isBlock())
    return nullptr;
  const ScalarKind ka = aTy->element()->scalarKind();
  if (bTy->element()->scalarKind() != ka ||
      !hasMmaForm(target, ka, cTy->element()->scalarKind(),
                  dot.attrs().getString("input_precision", "tf32")))
    return nullptr;
  const unsigned rank = cTy->rank();
  const int64_t M = cTy->shape()[rank - 2], N = cTy->shape()[rank - 1];
  const int64_t K = aTy->shape()[rank - 1];
  if (M % 16 || N % 8 || K % mmaInstrK(mmaKWidth(scalarBitWidth(ka))))
    return nullptr;
  unsigned wm = 1, wn = 1;
  if (feedsDotA(dot.result(0)) || derivesFromDot(dot.operand(0))) {
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
  return ctx.dotOperand(opIdx, mma, mmaKWidth(bits));
}

} // namespace tritonc
