// AMD matrix-instruction fragments as GF(2) bases; the element maps are spelled out in
// AmdMatrixLayout.h.
#include "layout/AmdMatrixLayout.h"

#include "ir/Types.h"

#include <algorithm>

namespace tritonc {

namespace {

using Coord = LinearLayout::Coord;

Coord fragAt(int64_t row, int64_t col) { return {row, col}; }

Coord fragUnit(size_t rank, size_t dim, int64_t value) {
  Coord c(rank, 0);
  c[dim] = value;
  return c;
}

/// Appends bases `stride, 2*stride, ...` along `dim` until `count` is covered.
void fragRepeat(std::vector<Coord> &bases, size_t rank, size_t dim, int64_t count, int64_t stride) {
  for (int64_t v = 1; v < count; v *= 2)
    bases.push_back(fragUnit(rank, dim, v * stride));
}

/// A 2-D fragment basis [row, col] placed in the last two dims of a rank-`rank` tile.
Coord fragWiden(const Coord &c, size_t rank) {
  Coord out(rank, 0);
  out[rank - 2] = c[0];
  out[rank - 1] = c[1];
  return out;
}

bool isCdnaArch(const std::string &arch) {
  return arch == "gfx908" || arch == "gfx90a" || arch == "gfx940" || arch == "gfx941" ||
         arch == "gfx942" || arch == "gfx950";
}

/// Bases v, 2v, ... below `count` along dim `dim` of a 2-D tile.
void fragPowers(std::vector<Coord> &out, unsigned dim, int64_t count, int64_t from = 1) {
  for (int64_t v = from; v < count * from; v *= 2)
    out.push_back(dim == 0 ? fragAt(v, 0) : fragAt(0, v));
}

} // namespace

unsigned AmdMatrixInstr::elementsPerLane() const {
  switch (family) {
  case AmdMatrixFamily::Mfma:
    return k / (64 / mn);
  case AmdMatrixFamily::WmmaGfx11:
    return k;
  case AmdMatrixFamily::WmmaGfx12:
    return k / 2;
  }
  return k;
}

bool amdMatrixInstrFor(const std::string &arch, unsigned elementBits, unsigned mn,
                       AmdMatrixInstr &instr) {
  if (elementBits != 16 && elementBits != 8)
    return false;
  if (isCdnaArch(arch)) {
    // 8-bit operands: int8 K 16 / 32 (gfx942+: fp8 too); 16-bit: K 8 / 16.
    if (elementBits == 8 && arch != "gfx942" && arch != "gfx950" && arch != "gfx940" &&
        arch != "gfx941")
      return false;
    instr.family = AmdMatrixFamily::Mfma;
    instr.mn = mn == 16 ? 16 : 32;
    const unsigned perLane = elementBits == 16 ? 4 : 8;
    instr.k = perLane * (64 / instr.mn);
    return true;
  }
  if (arch.starts_with("gfx11") || arch.starts_with("gfx12")) {
    if (elementBits != 16)
      return false; // iu8 and fp8 WMMA: not used yet
    instr.family =
        arch.starts_with("gfx11") ? AmdMatrixFamily::WmmaGfx11 : AmdMatrixFamily::WmmaGfx12;
    instr.mn = 16;
    instr.k = 16;
    return true;
  }
  return false;
}

LinearLayout amdMatrixFragment(const AmdMatrixInstr &instr, unsigned operand) {
  const int64_t S = instr.mn, K = instr.k, P = instr.elementsPerLane();
  std::vector<Coord> reg, lane;
  if (operand < 2) {
    // A is [M, K] (K is dim 1); B is [K, N] (K is dim 0).
    const unsigned kDim = operand == 0 ? 1 : 0, other = 1 - kDim;
    const std::vector<int64_t> shape =
        operand == 0 ? std::vector<int64_t>{S, K} : std::vector<int64_t>{K, S};
    fragPowers(reg, kDim, P);   // element k % P
    fragPowers(lane, other, S); // lane % S: the row of A, the column of B
    if (instr.family == AmdMatrixFamily::WmmaGfx11)
      lane.push_back(fragAt(0, 0)); // lanes 16-31 hold copies
    else
      fragPowers(lane, kDim, K / P, P); // the lane group: K / P
    return LinearLayout(shape, std::move(reg), std::move(lane), {});
  }
  // The accumulator [M, N]: lane % S is the column everywhere.
  const std::vector<int64_t> shape{S, S};
  switch (instr.family) {
  case AmdMatrixFamily::Mfma: {
    const int64_t G = 64 / S;
    fragPowers(reg, 0, 4);                  // m % 4
    fragPowers(reg, 0, S / (4 * G), 4 * G); // m / (4 G): the register group
    fragPowers(lane, 1, S);                 // n
    fragPowers(lane, 0, G, 4);              // m / 4 % G: the lane group
    break;
  }
  case AmdMatrixFamily::WmmaGfx11:
    fragPowers(reg, 0, 8, 2); // m / 2
    fragPowers(lane, 1, 16);
    lane.push_back(fragAt(1, 0)); // m % 2
    break;
  case AmdMatrixFamily::WmmaGfx12:
    fragPowers(reg, 0, 8); // m % 8
    fragPowers(lane, 1, 16);
    lane.push_back(fragAt(8, 0)); // m / 8
    break;
  }
  return LinearLayout(shape, std::move(reg), std::move(lane), {});
}

AmdMatrixInstr amdMatrixInstrOf(const Layout *mma, unsigned kWidth) {
  AmdMatrixInstr in;
  const unsigned v = mma->mmaVersion();
  in.family = v == kMmaVersionMfma        ? AmdMatrixFamily::Mfma
              : v == kMmaVersionWmmaGfx11 ? AmdMatrixFamily::WmmaGfx11
                                          : AmdMatrixFamily::WmmaGfx12;
  in.mn = mma->instrShape()[0];
  if (in.family == AmdMatrixFamily::Mfma)
    in.k = std::max(1u, kWidth) * (64 / in.mn);
  else
    in.k = 16;
  return in;
}

unsigned amdDotOperandKWidth(const Layout *mma, unsigned elementBits) {
  switch (mma->mmaVersion()) {
  case kMmaVersionMfma:
    return elementBits >= 16 ? 4 : 8;
  case kMmaVersionWmmaGfx11:
    return 16;
  default:
    return 8;
  }
}

LayoutBases amdMatrixLayoutBases(const Layout *layout, const std::vector<int64_t> &shape) {
  LayoutBases out;
  const size_t rank = shape.size();
  const Layout *mma = layout->isDotOperand() ? layout->parent() : layout;
  const size_t mDim = rank - 2, nDim = rank - 1;
  const std::vector<unsigned> &wpc = mma->warpsPerCTA();
  const int64_t S = mma->instrShape()[0];
  auto warps = [&](bool keepM, bool keepN) {
    auto add = [&](size_t dim, int64_t stride, bool keep) {
      for (int64_t v = 1; v < wpc[dim]; v *= 2)
        out.warp.push_back(keep ? fragUnit(rank, dim, v * stride) : Coord(rank, 0));
    };
    add(nDim, S, keepN);
    add(mDim, S, keepM);
    if (rank == 3)
      add(0, 1, true);
  };
  if (layout->isMma()) {
    const LinearLayout f = amdMatrixFragment(amdMatrixInstrOf(mma, 4), 2);
    for (const Coord &c : f.regBases())
      out.reg.push_back(fragWiden(c, rank));
    for (const Coord &c : f.laneBases())
      out.lane.push_back(fragWiden(c, rank));
    warps(true, true);
    const std::vector<int64_t> tile = mmaWarpTile(mma);
    fragRepeat(out.reg, rank, nDim, shape[nDim] / tile[nDim], tile[nDim]);
    fragRepeat(out.reg, rank, mDim, shape[mDim] / tile[mDim], tile[mDim]);
    if (rank == 3)
      fragRepeat(out.reg, rank, 0, shape[0] / tile[0], tile[0]);
    return out;
  }
  const bool isA = layout->opIdx() == 0;
  const AmdMatrixInstr in = amdMatrixInstrOf(mma, layout->kWidth());
  const LinearLayout f = amdMatrixFragment(in, layout->opIdx());
  for (const Coord &c : f.regBases())
    out.reg.push_back(fragWiden(c, rank));
  for (const Coord &c : f.laneBases())
    out.lane.push_back(fragWiden(c, rank));
  warps(isA, !isA);
  const size_t kDim = isA ? nDim : mDim, otherDim = isA ? mDim : nDim;
  const int64_t tileOther = S * wpc[otherDim];
  fragRepeat(out.reg, rank, kDim, shape[kDim] / in.k, in.k);
  fragRepeat(out.reg, rank, otherDim, shape[otherDim] / tileOther, tileOther);
  if (rank == 3)
    fragRepeat(out.reg, rank, 0, shape[0] / wpc[0], wpc[0]);
  return out;
}

const Layout *amdMmaLayoutForDot(Context &ctx, const Operation &dot, const TargetInfo &target,
                                 unsigned numWarps, bool allOnM) {
  if (!target.isHip() || dot.code() != OpCode::Dot || dot.numOperands() != 3)
    return nullptr;
  const Type *aTy = dot.operand(0)->type(), *bTy = dot.operand(1)->type();
  const Type *cTy = dot.operand(2)->type();
  if (!aTy->isBlock() || !bTy->isBlock() || !cTy->isBlock())
    return nullptr;
  const ScalarKind ka = aTy->element()->scalarKind(), kc = cTy->element()->scalarKind();
  if (bTy->element()->scalarKind() != ka)
    return nullptr;
  // The forms used: f16 / bf16 into f32 (MFMA, WMMA); int8 into i32 (MFMA, gfx942 and
  // gfx950); OCP fp8 e4m3 / e5m2 into f32 (MFMA, gfx950 only: gfx942's fp8 is the FNUZ
  // variant, another number format).
  bool ok = false;
  switch (ka) {
  case ScalarKind::F16:
  case ScalarKind::BF16:
    ok = kc == ScalarKind::F32;
    break;
  case ScalarKind::I8:
    ok = kc == ScalarKind::I32 && isCdnaArch(target.arch);
    break;
  case ScalarKind::F8E4NV:
  case ScalarKind::F8E5:
    ok = kc == ScalarKind::F32 && target.arch == "gfx950";
    break;
  default:
    break;
  }
  if (!ok)
    return nullptr;
  const unsigned rank = cTy->rank();
  const int64_t M = cTy->shape()[rank - 2], N = cTy->shape()[rank - 1];
  const int64_t K = aTy->shape()[rank - 1];
  const unsigned bits = scalarBitWidth(ka);
  AmdMatrixInstr in;
  // 32x32 where the tile holds it once per wave, else 16x16.
  const unsigned mn = M % 32 == 0 && N % 32 == 0 && M * N >= int64_t(numWarps) * 32 * 32 ? 32 : 16;
  if (!amdMatrixInstrFor(target.arch, bits, mn, in) || in.lanes() != target.warpSize || M % in.mn ||
      N % in.mn || K % in.k)
    return nullptr;
  // The accumulator leaves the MFMA / WMMA layout through LDS whole (the epilogue's
  // convert_layout, at 16 bits after castBeforeConversion at best): a tile that cannot fit
  // stays on FMA units, whose blocked accumulator needs no conversion.
  int64_t tiles = 1;
  for (unsigned d = 0; d + 2 < rank; ++d)
    tiles *= cTy->shape()[d];
  if (tiles * M * N * 2 >= int64_t(target.sharedMemoryBytes))
    return nullptr;
  unsigned wm = 1, wn = 1;
  const int64_t S = in.mn;
  while (wm * wn < numWarps) {
    const bool mHasRoom = M / (S * wm) > 1, nHasRoom = N / (S * wn) > 1;
    if (allOnM || (mHasRoom && (M / (S * wm) >= N / (S * wn) || !nHasRoom)))
      wm *= 2;
    else
      wn *= 2;
  }
  std::vector<unsigned> wpc = {wm, wn};
  if (rank == 3)
    wpc.insert(wpc.begin(), 1u);
  const unsigned version = in.family == AmdMatrixFamily::Mfma        ? kMmaVersionMfma
                           : in.family == AmdMatrixFamily::WmmaGfx11 ? kMmaVersionWmmaGfx11
                                                                     : kMmaVersionWmmaGfx12;
  return ctx.mma(version, wpc, {unsigned(S), unsigned(S)});
}

} // namespace tritonc
