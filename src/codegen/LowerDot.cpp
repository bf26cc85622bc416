// dot: the matrix product of a block, on FMA units or on NVIDIA tensor cores (mma.sync).
//
// FMA (any target, any operand type): each thread computes the accumulator elements it holds.
// Operand A is moved into the layout that gives every thread the full K rows of its
// accumulator rows (the accumulator's layout with its N bases dropped and K in registers),
// operand B likewise with the columns; then each accumulator register is a chain of fused
// multiply-adds in k order, in f32 (f64 for f64 operands, i32 for int8). An f16 accumulator
// is widened to f32 for the chain and rounded once at the end, as the interpreter does.
//
// mma.sync (the accumulator in an #mma layout, the operands in #dot_op layouts; the
// accelerate-matmul pass sets this up): for every 16x8 accumulator tile a thread's registers
// cover and every K step of one instruction, the operand registers are packed into 32-bit
// words in the fragment order of layout/MmaLayout.h and one `mma.sync.aligned.m16n8kK.row.col`
// is emitted (f16/bf16 k16, tf32 k8, s8 and fp8 k32: e4m3 and e5m2, mixed too, on sm_89+ in
// PTX ISA 8.4, see ptxVersionFor in Target.h). On sm_75 only fp16 dots take tensor cores, each
// k16 step as two m16n8k8 instructions; bf16 and fp8 dots are refused there.
#include "codegen/Lowering.h"

#include "layout/AmdMatrixLayout.h"
#include "layout/MmaLayout.h"

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <array>

namespace tritonc {

namespace {

using Coord = LinearLayout::Coord;

std::map<Coord, unsigned> registerIndex(const LinearLayout &ll) {
  std::map<Coord, unsigned> index;
  for (unsigned r = 0; r < ll.numRegisters(); ++r)
    index.emplace(ll.registerCoord(r), r);
  return index;
}

} // namespace

bool KernelLowering::lowerDot(const Operation &op) {
  // Turing (sm_75) has no bf16 or fp8 tensor-core instruction (nor bf16 conversions): such a
  // dot is refused there rather than quietly run on FMA units (tritonc(1), --arch).
  const ScalarKind ka = op.operand(0)->type()->element()->scalarKind();
  if (target_.info().isCuda() && target_.info().computeCapability < 80 &&
      (ka == ScalarKind::BF16 || ka == ScalarKind::F8E4NV || ka == ScalarKind::F8E5))
    return error(op, "tl.dot of " + std::string(scalarKindTritonName(ka)) +
                         " operands needs sm_80 or newer; " + target_.archName() + " has no " +
                         std::string(scalarKindTritonName(ka)) +
                         " tensor-core instruction (convert the operands to fp16)");
  const Layout *layout = op.result()->type()->layout();
  if (layout && layout->isMma())
    return isAmdMmaVersion(layout->mmaVersion()) ? lowerAmdMatrixDot(op)
           : layout->mmaVersion() == 3           ? lowerWgmmaDot(op)
                                                 : lowerMmaDot(op);
  return lowerFmaDot(op);
}

bool KernelLowering::lowerFmaDot(const Operation &op) {
  const Type *aTy = op.operand(0)->type(), *bTy = op.operand(1)->type();
  const Type *cTy = op.operand(2)->type();
  const LinearLayout *aL = linearLayout(aTy, op), *bL = linearLayout(bTy, op);
  const LinearLayout *cL = linearLayout(cTy, op);
  if (!aL || !bL || !cL)
    return false;
  const unsigned rank = cTy->rank(), mDim = rank - 2, nDim = rank - 1;
  const int64_t K = aTy->shape()[nDim];

  // Each thread's accumulator rows with all of K (A), its columns with all of K (B).
  const LinearLayout &aF = derivedLayout(fmaDotOperandLayout(*cL, aTy->shape(), 0));
  const LinearLayout &bF = derivedLayout(fmaDotOperandLayout(*cL, bTy->shape(), 1));
  Regs aRegs = relayout(op, aTy, *aL, aF, regs(op.operand(0)));
  if (aRegs.empty())
    return false;
  Regs bRegs = relayout(op, bTy, *bL, bF, regs(op.operand(1)));
  if (bRegs.empty())
    return false;

  const Type *ea = aTy->element(), *ec = cTy->element();
  const bool isInt = ea->isInt();
  const bool wide = ea->scalarKind() == ScalarKind::F64 || ec->scalarKind() == ScalarKind::F64;
  llvm::Type *computeTy = isInt ? b_.getInt32Ty() : wide ? b_.getDoubleTy() : b_.getFloatTy();
  auto widen = [&](llvm::Value *v, const Type *elem) -> llvm::Value * {
    if (isInt)
      return b_.CreateSExtOrTrunc(v, computeTy);
    ScalarKind k = elem->scalarKind();
    if (k == ScalarKind::F8E4NV || k == ScalarKind::F8E5)
      v = fp8ToFloat(v, k);
    return v->getType() == computeTy ? v : b_.CreateFPExt(v, computeTy);
  };
  for (llvm::Value *&v : aRegs)
    v = widen(v, ea);
  for (llvm::Value *&v : bRegs)
    v = widen(v, bTy->element());

  const std::map<Coord, unsigned> aIdx = registerIndex(aF), bIdx = registerIndex(bF);
  Regs out;
  const Regs &acc = regs(op.operand(2));
  for (unsigned r = 0; r < cL->numRegisters(); ++r) {
    const Coord c = cL->registerCoord(r);
    llvm::Value *sum = widen(acc[r], ec);
    for (int64_t k = 0; k < K; ++k) {
      Coord ac = c, bc = c;
      ac[nDim] = k;
      bc[mDim] = k;
      auto ai = aIdx.find(ac), bi = bIdx.find(bc);
      if (ai == aIdx.end() || bi == bIdx.end())
        return error(op, "internal error: dot operand element not held by its thread");
      llvm::Value *x = aRegs[ai->second], *y = bRegs[bi->second];
      if (isInt)
        sum = b_.CreateAdd(sum, b_.CreateMul(x, y));
      else
        sum = b_.CreateIntrinsic(llvm::Intrinsic::fma, {computeTy}, {x, y, sum});
    }
    llvm::Type *resTy = registerType(cTy);
    if (sum->getType() != resTy)
      sum = isInt ? b_.CreateTrunc(sum, resTy) : b_.CreateFPTrunc(sum, resTy);
    out.push_back(sum);
  }
  bind(op.result(), std::move(out));
  return true;
}

bool KernelLowering::lowerMmaDot(const Operation &op) {
  const Type *aTy = op.operand(0)->type(), *bTy = op.operand(1)->type();
  const Type *cTy = op.operand(2)->type();
  const Layout *mma = cTy->layout();
  const Layout *al = aTy->layout(), *bl = bTy->layout();
  if (!al || !bl || !al->isDotOperand() || !bl->isDotOperand() || al->parent() != mma ||
      bl->parent() != mma || al->opIdx() != 0 || bl->opIdx() != 1 || al->kWidth() != bl->kWidth())
    return error(op, "a dot with an #mma result needs operands in #dot_op layouts of that #mma "
                     "(op 0 and op 1, one k_width), got " +
                         aTy->str() + " and " + bTy->str());
  if (!target_.info().isCuda() || target_.info().computeCapability < 75)
    return error(op, "mma.sync needs an NVIDIA GPU of sm_75 or newer, not " + target_.archName());
  if (target_.info().computeCapability < 80 && aTy->element()->scalarKind() != ScalarKind::F16)
    return error(op, "mma.sync on " + target_.archName() + " takes fp16 operands only, not " +
                         aTy->str());
  const LinearLayout *aL = linearLayout(aTy, op), *bL = linearLayout(bTy, op);
  const LinearLayout *cL = linearLayout(cTy, op);
  if (!aL || !bL || !cL)
    return false;

  const ScalarKind ka = aTy->element()->scalarKind(), kc = cTy->element()->scalarKind();
  const unsigned w = al->kWidth();
  std::string shape, types;
  bool intAcc = false, halfAcc = false;
  switch (ka) {
  case ScalarKind::F16:
  case ScalarKind::BF16: {
    shape = "m16n8k16";
    const char *t = ka == ScalarKind::F16 ? "f16" : "bf16";
    if (kc == ScalarKind::F16 && ka == ScalarKind::F16) {
      halfAcc = true;
      types = "f16.f16.f16.f16";
    } else {
      types = std::string("f32.") + t + "." + t + ".f32";
    }
    break;
  }
  case ScalarKind::F32:
    shape = "m16n8k8";
    types = "f32.tf32.tf32.f32";
    break;
  case ScalarKind::I8:
    shape = "m16n8k32";
    types = "s32.s8.s8.s32";
    intAcc = true;
    break;
  case ScalarKind::F8E4NV:
  case ScalarKind::F8E5: {
    if (target_.info().computeCapability < 89)
      return error(op, "fp8 mma.sync needs sm_89 or newer, not " + target_.archName());
    const ScalarKind kb = bTy->element()->scalarKind();
    if (kb != ScalarKind::F8E4NV && kb != ScalarKind::F8E5)
      return error(op, "mma.sync cannot multiply " + aTy->str() + " by " + bTy->str());
    auto name = [](ScalarKind k) { return k == ScalarKind::F8E4NV ? "e4m3" : "e5m2"; };
    shape = "m16n8k32";
    types = std::string("f32.") + name(ka) + "." + name(kb) + ".f32";
    break;
  }
  default:
    return error(op, "mma.sync does not take " + aTy->str() + " operands");
  }
  if (w != mmaKWidth(scalarBitWidth(ka)) || (!intAcc && !halfAcc && kc != ScalarKind::F32) ||
      (intAcc && kc != ScalarKind::I32))
    return error(op, "mma.sync cannot compute " + cTy->str() + " from " + aTy->str() +
                         " (k_width " + std::to_string(w) + ")");

  const unsigned rank = cTy->rank(), mDim = rank - 2, nDim = rank - 1;
  const int64_t K = aTy->shape()[nDim], instrK = mmaInstrK(w);
  if (K % instrK || cTy->shape()[mDim] % 16 || cTy->shape()[nDim] % 8)
    return error(op, "mma.sync " + shape + " needs M a multiple of 16, N of 8 and K of " +
                         std::to_string(instrK) + ", got " + aTy->str() + " and " + bTy->str());

  const std::map<Coord, unsigned> aIdx = registerIndex(*aL), bIdx = registerIndex(*bL),
                                  cIdx = registerIndex(*cL);
  // Operand registers: bound values, or fragment groups of a staged operand loaded with
  // ldmatrix on first use (cached for one K step).
  struct Operand {
    const Regs *regs = nullptr;
    std::function<Regs(unsigned)> load;
    unsigned group = 1, pairStride = 0;
    std::map<unsigned, Regs> cache;
    llvm::Value *get(unsigned r) {
      if (regs)
        return (*regs)[r];
      unsigned r0 = r / group * group;
      auto it = cache.find(r0);
      if (it == cache.end()) {
        unsigned first = r0 & ~pairStride;
        Regs g = load(first);
        cache[first] = Regs(g.begin(), g.begin() + group);
        if (g.size() > group)
          cache[first + pairStride] = Regs(g.begin() + group, g.end());
        it = cache.find(r0);
      }
      return it->second[r - r0];
    }
  };
  Operand opnd[2];
  for (unsigned i = 0; i < 2; ++i) {
    if (auto it = stagedOperands_.find(op.operand(i)); it != stagedOperands_.end()) {
      opnd[i].load = it->second;
      opnd[i].group = i == 0 ? 8 : 4;
      opnd[i].pairStride = stagedPairStride_[op.operand(i)];
    } else {
      opnd[i].regs = &regs(op.operand(i));
    }
  }
  Regs acc = regs(op.operand(2));
  llvm::Type *i32 = b_.getInt32Ty();
  auto find = [&](const std::map<Coord, unsigned> &index, const Coord &c) -> int {
    auto it = index.find(c);
    return it == index.end() ? -1 : static_cast<int>(it->second);
  };
  // w consecutive K elements starting at `c` packed into one 32-bit word.
  auto pack = [&](Operand &src, const std::map<Coord, unsigned> &index, Coord c,
                  unsigned kDim) -> llvm::Value * {
    if (w == 1) {
      int i = find(index, c);
      return i < 0 ? nullptr : b_.CreateBitCast(src.get(i), i32);
    }
    llvm::Type *elemTy = registerType(aTy);
    llvm::Value *vec = llvm::PoisonValue::get(llvm::FixedVectorType::get(elemTy, w));
    for (unsigned e = 0; e < w; ++e) {
      int i = find(index, c);
      if (i < 0)
        return nullptr;
      vec = b_.CreateInsertElement(vec, src.get(i), e);
      ++c[kDim];
    }
    return b_.CreateBitCast(vec, i32);
  };

  const unsigned nC = halfAcc ? 2 : 4;
  llvm::Type *cRegTy = halfAcc ? i32 : intAcc ? i32 : b_.getFloatTy();
  // Operands $0.. : the nC results, A's 4 words, B's 2, then the accumulator tied to the results.
  auto operands = [](unsigned first, unsigned count) {
    std::string list = "{";
    for (unsigned i = 0; i < count; ++i)
      list += (i ? ",$" : "$") + std::to_string(first + i);
    return list + "}";
  };
  // sm_75 writes the results between its two instructions: early-clobber, so that no input but
  // the tied accumulator shares their registers.
  const bool pairK8 = target_.info().computeCapability < 80;
  std::string constraints;
  for (unsigned i = 0; i < nC; ++i)
    constraints +=
        std::string(i ? "," : "") + (pairK8 ? "=&" : "=") + (cRegTy->isFloatTy() ? "f" : "r");
  for (unsigned i = 0; i < 6; ++i)
    constraints += ",r";
  for (unsigned i = 0; i < nC; ++i)
    constraints += "," + std::to_string(i);
  std::string text;
  if (pairK8) {
    // sm_75 has the fp16 m16n8k8 but not m16n8k16: the k16 step is two k8 steps, the first
    // on A's words 0-1 (K 0-7) and B's word 0, the second on A's words 2-3 (K 8-15) and B's
    // word 1 (the k16 fragments are the two k8 fragments side by side; the accumulator
    // fragment is the same).
    const std::string k8 = "mma.sync.aligned.m16n8k8.row.col." + types + " ";
    text = k8 + operands(0, nC) + ", " + operands(nC, 2) + ", " + operands(nC + 4, 1) + ", " +
           operands(nC + 6, nC) + ";\n\t" + k8 + operands(0, nC) + ", " + operands(nC + 2, 2) +
           ", " + operands(nC + 5, 1) + ", " + operands(0, nC) + ";";
  } else {
    text = "mma.sync.aligned." + shape + ".row.col." + types + " " + operands(0, nC) + ", " +
           operands(nC, 4) + ", " + operands(nC + 4, 2) + ", " + operands(nC + 6, nC) + ";";
  }
  std::vector<llvm::Type *> argTys(6, i32);
  argTys.insert(argTys.end(), nC, cRegTy);
  llvm::Type *retTy = llvm::StructType::get(ctx_, std::vector<llvm::Type *>(nC, cRegTy));
  llvm::InlineAsm *mmaAsm = llvm::InlineAsm::get(llvm::FunctionType::get(retTy, argTys, false),
                                                 text, constraints, /*hasSideEffects=*/false);

  auto fail = [&] { return error(op, "internal error: mma.sync fragment not held by its thread"); };
  // Tiles: the 16x8 accumulator fragments (m, n), (m, n+1), (m+8, n), (m+8, n+1).
  std::vector<std::pair<Coord, std::array<int, 4>>> tiles;
  for (unsigned r = 0; r < cL->numRegisters(); ++r) {
    const Coord origin = cL->registerCoord(r);
    if (origin[mDim] % 16 || origin[nDim] % 8)
      continue;
    std::array<int, 4> ci;
    for (unsigned j = 0; j < 4; ++j) {
      Coord c = origin;
      c[mDim] += 8 * (j >> 1);
      c[nDim] += j & 1;
      if ((ci[j] = find(cIdx, c)) < 0)
        return fail();
    }
    tiles.push_back({origin, ci});
  }
  // K outermost: a staged operand's fragments of one K step are loaded once and die there.
  for (int64_t k0 = 0; k0 < K; k0 += instrK) {
    for (auto &[origin, ci] : tiles) {
      std::vector<llvm::Value *> args;
      for (unsigned j = 0; j < 4; ++j) { // A: rows +8 for odd j, K +4w for j >= 2
        Coord c = origin;
        c[mDim] += 8 * (j & 1);
        c[nDim] = k0 + 4 * w * (j >> 1);
        llvm::Value *v = pack(opnd[0], aIdx, c, nDim);
        if (!v)
          return fail();
        args.push_back(v);
      }
      for (unsigned j = 0; j < 2; ++j) { // B: K +4w for j = 1
        Coord c = origin;
        c[mDim] = k0 + 4 * w * j;
        llvm::Value *v = pack(opnd[1], bIdx, c, mDim);
        if (!v)
          return fail();
        args.push_back(v);
      }
      if (halfAcc) {
        for (unsigned j = 0; j < 2; ++j) {
          llvm::Value *vec = llvm::PoisonValue::get(llvm::FixedVectorType::get(b_.getHalfTy(), 2));
          vec = b_.CreateInsertElement(vec, acc[ci[2 * j]], uint64_t{0});
          vec = b_.CreateInsertElement(vec, acc[ci[2 * j + 1]], uint64_t{1});
          args.push_back(b_.CreateBitCast(vec, i32));
        }
      } else {
        for (unsigned j = 0; j < 4; ++j)
          args.push_back(acc[ci[j]]);
      }
      llvm::Value *res = b_.CreateCall(mmaAsm, args);
      if (halfAcc) {
        for (unsigned j = 0; j < 2; ++j) {
          llvm::Value *vec = b_.CreateBitCast(b_.CreateExtractValue(res, j),
                                              llvm::FixedVectorType::get(b_.getHalfTy(), 2));
          acc[ci[2 * j]] = b_.CreateExtractElement(vec, uint64_t{0});
          acc[ci[2 * j + 1]] = b_.CreateExtractElement(vec, uint64_t{1});
        }
      } else {
        for (unsigned j = 0; j < 4; ++j)
          acc[ci[j]] = b_.CreateExtractValue(res, j);
      }
    }
    opnd[0].cache.clear();
    opnd[1].cache.clear();
  }
  for (unsigned i = 0; i < 2; ++i) {
    stagedOperands_.erase(op.operand(i));
    stagedPairStride_.erase(op.operand(i));
  }
  bind(op.result(), std::move(acc));
  return true;
}

} // namespace tritonc
