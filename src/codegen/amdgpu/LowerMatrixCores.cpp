// tl.dot on AMD matrix cores: a dot whose result has an AMD #mma layout (version 10: MFMA on
// CDNA, 11 / 12: WMMA on gfx11 / gfx12; layout/AmdMatrixLayout.h), with operands in the
// matching #dot_op layouts (converted there through LDS by convert_layout), becomes one LLVM
// amdgcn matrix intrinsic per instruction tile and K step:
//   MFMA f16   llvm.amdgcn.mfma.f32.32x32x8f16 / .16x16x16f16      (<4 x half> operands)
//        bf16  llvm.amdgcn.mfma.f32.32x32x8bf16.1k / .16x16x16bf16.1k (<4 x i16>)
//        int8  llvm.amdgcn.mfma.i32.32x32x16.i8 / .16x16x32.i8     (gfx942+, i64: 8 bytes)
//        fp8   llvm.amdgcn.mfma.f32.32x32x16.fp8.fp8 / .bf8.bf8 (and 16x16x32; gfx950, OCP)
//   WMMA f16 / bf16 llvm.amdgcn.wmma.f32.16x16x16.f16 / .bf16 (gfx11: 16 elements per lane,
//        gfx12: 8)
// The accumulator stays in registers across the K loop (AccelerateMatmul carries it in #mma).
// Each tile gathers its operand elements from this lane's registers through the fragment maps:
// the CTA layout's lane bases are the instruction's, so lane 0's coordinates name the registers
// of every lane.
#include "codegen/Lowering.h"
#include "layout/AmdMatrixLayout.h"

#include <llvm/IR/IntrinsicsAMDGPU.h>

#include <map>

namespace tritonc {

namespace {

std::map<LinearLayout::Coord, unsigned> amdRegisterIndex(const LinearLayout &ll) {
  std::map<LinearLayout::Coord, unsigned> index;
  for (unsigned r = 0; r < ll.numRegisters(); ++r)
    index.emplace(ll.registerCoord(r), r);
  return index;
}

} // namespace

bool KernelLowering::lowerAmdMatrixDot(const Operation &op) {
  using Coord = LinearLayout::Coord;
  const Type *aTy = op.operand(0)->type(), *bTy = op.operand(1)->type();
  const Type *cTy = op.operand(2)->type();
  const Layout *mma = cTy->layout();
  const Layout *al = aTy->layout(), *bl = bTy->layout();
  if (!al || !bl || !al->isDotOperand() || !bl->isDotOperand() || al->parent() != mma ||
      bl->parent() != mma || al->opIdx() != 0 || bl->opIdx() != 1 || al->kWidth() != bl->kWidth())
    return error(op, "a dot with an AMD #mma result needs operands in #dot_op layouts of that "
                     "#mma (op 0 and op 1, one k_width), got " +
                         aTy->str() + " and " + bTy->str());
  if (!target_.info().isHip())
    return error(op, "MFMA / WMMA layouts need an AMD target, not " + target_.archName());
  const AmdMatrixInstr in = amdMatrixInstrOf(mma, al->kWidth());
  if (in.lanes() != target_.info().warpSize || al->kWidth() != in.elementsPerLane())
    return error(op, "the matrix instruction of " + mma->str() + " does not fit " +
                         target_.archName() + " (k_width " + std::to_string(al->kWidth()) + ")");
  const ScalarKind ka = aTy->element()->scalarKind(), kc = cTy->element()->scalarKind();
  const unsigned rank = cTy->rank(), mDim = rank - 2, nDim = rank - 1;
  const int64_t S = in.mn, K = aTy->shape()[nDim];
  if (K % in.k || cTy->shape()[mDim] % S || cTy->shape()[nDim] % S)
    return error(op, "the matrix instruction needs M and N multiples of " + std::to_string(S) +
                         " and K of " + std::to_string(in.k) + ", got " + aTy->str() + " and " +
                         bTy->str());

  // The intrinsic, its operand type and its accumulator type.
  namespace I = llvm::Intrinsic;
  llvm::Type *f32 = b_.getFloatTy(), *i32 = b_.getInt32Ty();
  const unsigned P = in.elementsPerLane();
  llvm::Intrinsic::ID id = I::not_intrinsic;
  llvm::Type *opTy = nullptr, *accElem = f32;
  const bool mfma = in.family == AmdMatrixFamily::Mfma, big = S == 32;
  switch (ka) {
  case ScalarKind::F16:
    opTy = llvm::FixedVectorType::get(b_.getHalfTy(), P);
    id = !mfma ? I::amdgcn_wmma_f32_16x16x16_f16
         : big ? I::amdgcn_mfma_f32_32x32x8f16
               : I::amdgcn_mfma_f32_16x16x16f16;
    break;
  case ScalarKind::BF16:
    opTy = llvm::FixedVectorType::get(b_.getInt16Ty(), P);
    id = !mfma ? I::amdgcn_wmma_f32_16x16x16_bf16
         : big ? I::amdgcn_mfma_f32_32x32x8bf16_1k
               : I::amdgcn_mfma_f32_16x16x16bf16_1k;
    break;
  case ScalarKind::I8:
    opTy = b_.getInt64Ty();
    accElem = i32;
    id = big ? I::amdgcn_mfma_i32_32x32x16_i8 : I::amdgcn_mfma_i32_16x16x32_i8;
    break;
  case ScalarKind::F8E4NV:
    opTy = b_.getInt64Ty();
    id = big ? I::amdgcn_mfma_f32_32x32x16_fp8_fp8 : I::amdgcn_mfma_f32_16x16x32_fp8_fp8;
    break;
  case ScalarKind::F8E5:
    opTy = b_.getInt64Ty();
    id = big ? I::amdgcn_mfma_f32_32x32x16_bf8_bf8 : I::amdgcn_mfma_f32_16x16x32_bf8_bf8;
    break;
  default:
    break;
  }
  if (id == I::not_intrinsic || (!mfma && P * scalarBitWidth(ka) > 256) ||
      ((ka == ScalarKind::I8) != (kc == ScalarKind::I32)) ||
      (ka != ScalarKind::I8 && kc != ScalarKind::F32))
    return error(op, "no AMD matrix instruction computes " + cTy->str() + " from " + aTy->str());
  llvm::Type *accTy = llvm::FixedVectorType::get(accElem, in.accRegisters());

  const LinearLayout *aL = linearLayout(aTy, op), *bL = linearLayout(bTy, op);
  const LinearLayout *cL = linearLayout(cTy, op);
  if (!aL || !bL || !cL)
    return false;
  const LinearLayout fa = amdMatrixFragment(in, 0), fb = amdMatrixFragment(in, 1),
                     fc = amdMatrixFragment(in, 2);
  const auto aIdx = amdRegisterIndex(*aL), bIdx = amdRegisterIndex(*bL),
             cIdx = amdRegisterIndex(*cL);
  const Regs &aRegs = regs(op.operand(0)), &bRegs = regs(op.operand(1));
  Regs acc = regs(op.operand(2));
  auto find = [](const std::map<Coord, unsigned> &index, const Coord &c) -> int {
    auto it = index.find(c);
    return it == index.end() ? -1 : static_cast<int>(it->second);
  };
  auto fail = [&] {
    return error(op, "internal error: matrix-instruction fragment not held by its lane");
  };
  llvm::Type *elemTy = registerType(aTy);
  // P consecutive fragment elements of one operand, packed into the intrinsic's operand type.
  auto gather = [&](const Regs &src, const std::map<Coord, unsigned> &index,
                    const LinearLayout &frag, Coord base, unsigned rowDim,
                    unsigned colDim) -> llvm::Value * {
    llvm::Value *vec = llvm::PoisonValue::get(llvm::FixedVectorType::get(elemTy, P));
    for (unsigned e = 0; e < P; ++e) {
      const Coord f = frag.apply(e, 0, 0);
      Coord c = base;
      c[rowDim] += f[0];
      c[colDim] += f[1];
      const int i = find(index, c);
      if (i < 0)
        return nullptr;
      vec = b_.CreateInsertElement(vec, src[i], e);
    }
    return b_.CreateBitCast(vec, opTy);
  };

  // Tiles: this lane's accumulator registers at instruction origins.
  std::vector<std::pair<Coord, std::vector<int>>> tiles;
  for (unsigned r = 0; r < cL->numRegisters(); ++r) {
    const Coord origin = cL->registerCoord(r);
    if (origin[mDim] % S || origin[nDim] % S)
      continue;
    std::vector<int> ci(in.accRegisters());
    for (unsigned j = 0; j < ci.size(); ++j) {
      const Coord f = fc.apply(j, 0, 0);
      Coord c = origin;
      c[mDim] += f[0];
      c[nDim] += f[1];
      if ((ci[j] = find(cIdx, c)) < 0)
        return fail();
    }
    tiles.push_back({origin, std::move(ci)});
  }
  for (int64_t k0 = 0; k0 < K; k0 += in.k) {
    for (auto &[origin, ci] : tiles) {
      Coord ab = origin; // A: [.., m, k0]; B: [.., k0, n]
      ab[nDim] = k0;
      llvm::Value *a = gather(aRegs, aIdx, fa, ab, mDim, nDim);
      ab = origin;
      ab[mDim] = k0;
      llvm::Value *bv = gather(bRegs, bIdx, fb, ab, mDim, nDim);
      if (!a || !bv)
        return fail();
      llvm::Value *c = llvm::PoisonValue::get(accTy);
      for (unsigned j = 0; j < ci.size(); ++j)
        c = b_.CreateInsertElement(c, acc[ci[j]], j);
      llvm::Value *d;
      if (mfma) // cbsz, abid, blgp: no broadcast between blocks
        d = b_.CreateIntrinsic(accTy, id,
                               {a, bv, c, b_.getInt32(0), b_.getInt32(0), b_.getInt32(0)});
      else
        d = b_.CreateIntrinsic(accTy, id, {a, bv, c});
      for (unsigned j = 0; j < ci.size(); ++j)
        acc[ci[j]] = b_.CreateExtractElement(d, j);
    }
  }
  bind(op.result(), std::move(acc));
  return true;
}

} // namespace tritonc
