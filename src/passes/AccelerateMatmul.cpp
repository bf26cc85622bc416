// accelerate-matmul: puts dots on the tensor cores (NVIDIA mma.sync, sm_80 and newer; wgmma on
// sm_90a unless --mma=sync) or the matrix cores of AMD GPUs (MFMA on CDNA, WMMA on RDNA3/4).
//
// The instruction and its #mma layout come from mmaLayoutForDot (layout/LayoutUtils.h, the one
// place that picks it): wgmma gives #mma<version = 3, wpc = [num_warps, 1], instr = [16, N]>
// (layout/WgmmaLayout.h), whose operands are #dot_op layouts of it like mma.sync's; the
// software pipeline then stages those operands in tiles that wgmma reads in place. AMD's #mma
// versions 10-12 (layout/AmdMatrixLayout.h, instruction tile [32, 32] or [16, 16]) go through
// the steps below as mma.sync's do.
//
// For each `dot` whose operand type has an mma.sync form on the target (f16/bf16 m16n8k16 with
// an f32 or, for f16, f16 accumulator; f32 with input_precision = "tf32" m16n8k8; int8
// m16n8k32 into i32) and whose shape is a whole number of instructions (M % 16, N % 8, K % the
// instruction's K):
//   - warpsPerCTA of the accumulator: the kernel's warps doubled onto M or N, whichever has
//     more instruction tiles per warp left (Triton's warpsPerTileV2), all onto M for a dot
//     whose result feeds another dot's A operand, the batch dim getting none
//     (mmaLayoutForDot in LayoutUtils; coalesce already gives most dots these layouts);
//   - the result takes #mma<version = 2, wpc = that, instr = [16, 8]>, a and b are converted to
//     #dot_op<op = 0 | 1, parent = #mma, k_width = 32 / element bits>, the accumulator to #mma,
//     and the result is converted back to its old layout for its users;
//   - an accumulator that a `for` loop carries (the dot reads the iteration argument and the
//     yield passes the dot's result back) is carried in the #mma layout instead, with one
//     conversion of the initial value before the loop and one of the result after it, so the
//     K loop keeps the accumulator in registers. `remove-converts` then drops the identity
//     conversions this leaves.
// Then a narrowing cast of a conversion out of #mma (the epilogue's acc.to(fp16)) is moved
// before the conversion, which then carries half the bytes through shared memory.
// Dots with other types (f32 with "ieee" or "tf32x3", f64, fp8 before sm_89), shapes or
// targets are left alone: codegen lowers them on FMA units.
// Expects: GPU IR. Leaves: GPU IR; dots with #mma results have #dot_op operands.
//
//   before: %d = dot %a, %b, %c : tensor<64x32xf16, #blocked0>, ... -> tensor<64x64xf32, #blocked1>
//   after:  %a1 = convert_layout %a : tensor<64x32xf16, #dot_op0>   (likewise %b1, %c1)
//           %d1 = dot %a1, %b1, %c1 : ... -> tensor<64x64xf32, #mma0>
//           %d = convert_layout %d1 : tensor<64x64xf32, #blocked1>
#include "passes/AccelerateMatmul.h"

#include "ir/Builder.h"
#include "layout/LayoutUtils.h"

namespace tritonc {

namespace {

/// Makes every use of `v` except those by `keep` use `with`.
void replaceUsesExcept(Value *v, Value *with, const Operation *keep) {
  std::vector<Operation *> users = v->users();
  for (Operation *user : users) {
    if (user == keep)
      continue;
    for (unsigned i = 0; i < user->numOperands(); ++i)
      if (user->operand(i) == v)
        user->setOperand(i, with);
  }
}

class Accelerator {
public:
  Accelerator(Function &fn, const TargetInfo &target)
      : fn_(fn), target_(target), ctx_(fn.context()), b_(ctx_) {}

  void run() {
    std::vector<Operation *> dots;
    fn_.walk([&](Operation *op) {
      if (op->code() == OpCode::Dot)
        dots.push_back(op);
    });
    for (Operation *dot : dots)
      rewrite(dot);
  }

private:
  Value *convert(Value *v, const Layout *l, SourceLoc loc) {
    return b_.createValue(OpCode::ConvertLayout, {v}, v->type()->withLayout(l), loc);
  }

  Value *convertAtDef(Value *v, const Layout *l, SourceLoc loc) {
    if (Operation *def = v->definingOp())
      b_.setInsertionPointAfter(def);
    else
      b_.setInsertionPointToStart(v->ownerBlock());
    return convert(v, l, loc);
  }

  void rewrite(Operation *dot) {
    Value *a = dot->operand(0), *b = dot->operand(1), *c = dot->operand(2);
    const Type *cTy = c->type();
    if (!cTy->layout() || cTy->layout()->isMma())
      return;
    const Layout *mma = mmaLayoutForDot(ctx_, *dot, target_, fn_.numWarps);
    if (!mma)
      return;
    const Layout *oldLayout = cTy->layout();
    const SourceLoc loc = dot->loc();

    // Operands are converted where they are defined, so that a loop-invariant one (attention's
    // q) is converted once outside the loop.
    dot->setOperand(0, convertAtDef(a, dotOperandLayout(ctx_, *dot, 0, mma), loc));
    dot->setOperand(1, convertAtDef(b, dotOperandLayout(ctx_, *dot, 1, mma), loc));
    b_.setInsertionPoint(dot);
    Value *newC = convert(c, mma, loc);
    dot->setOperand(2, newC);
    Value *res = dot->result();
    res->setType(cTy->withLayout(mma));
    b_.setInsertionPointAfter(dot);
    Value *back = convert(res, oldLayout, loc);
    replaceUsesExcept(res, back, back->definingOp());

    carryInLoop(c, back, res, newC->definingOp());
  }

  /// If `acc` is a for loop's iteration argument that the loop's yield sets to `yielded` (the
  /// dot's result converted back), carries it in the #mma layout of `mmaResult` instead.
  void carryInLoop(Value *acc, Value *yielded, Value *mmaResult, Operation *accConvert) {
    Block *body = acc->ownerBlock();
    if (!body || !body->parentOp() || body->parentOp()->code() != OpCode::For || acc->index() == 0)
      return;
    Operation *loop = body->parentOp();
    Operation *yield = body->terminator();
    const unsigned i = acc->index() - 1;
    if (!yield || i >= yield->numOperands() || yield->operand(i) != yielded ||
        mmaResult->definingOp()->parent() != body || 3 + i >= loop->numOperands() ||
        i >= loop->numResults())
      return;
    const Type *oldTy = acc->type(), *newTy = mmaResult->type();
    const SourceLoc loc = loop->loc();

    // Inside: the argument is #mma; other readers get it converted back.
    acc->setType(newTy);
    b_.setInsertionPointToStart(body);
    Value *accOld =
        b_.createValue(OpCode::ConvertLayout, {acc}, oldTy, loc); // uses acc: excluded below
    replaceUsesExcept(acc, accOld, accOld->definingOp());
    accConvert->setOperand(0, acc); // the dot reads the #mma argument (an identity convert)
    yield->setOperand(i, mmaResult);

    // Outside: the initial value converted before the loop, the result converted after it.
    b_.setInsertionPoint(loop);
    loop->setOperand(3 + i, convert(loop->operand(3 + i), newTy->layout(), loc));
    Value *out = loop->result(i);
    out->setType(newTy);
    b_.setInsertionPointAfter(loop);
    Value *outOld = b_.createValue(OpCode::ConvertLayout, {out}, oldTy, loc);
    replaceUsesExcept(out, outOld, outOld->definingOp());
  }

  Function &fn_;
  const TargetInfo &target_;
  Context &ctx_;
  Builder b_;
};

/// Epilogue: a narrowing cast of a dot result converted out of #mma (acc.to(fp16) before the
/// store) is done in #mma first, so the conversion moves half the bytes through shared memory.
void castBeforeConversion(Function &f) {
  std::vector<Operation *> casts;
  f.walk([&](Operation *op) {
    if (op->code() != OpCode::Cast || !op->result(0)->type()->isBlock())
      return;
    Operation *cvt = op->operand(0)->definingOp();
    if (!cvt || cvt->code() != OpCode::ConvertLayout || cvt->result(0)->users().size() != 1)
      return;
    const Layout *from = cvt->operand(0)->type()->layout();
    if (from && from->isMma() &&
        op->result(0)->type()->bitWidth() < op->operand(0)->type()->bitWidth())
      casts.push_back(op);
  });
  Builder b(f.context());
  for (Operation *cast : casts) {
    Operation *cvt = cast->operand(0)->definingOp();
    Value *src = cvt->operand(0);
    b.setInsertionPoint(cast);
    const Type *narrow = cast->result(0)->type();
    Value *early = b.createValue(OpCode::Cast, {src}, narrow->withLayout(src->type()->layout()),
                                 cast->loc(), cast->attrs());
    Value *moved = b.createValue(OpCode::ConvertLayout, {early}, narrow, cvt->loc());
    moved->setName(cast->result(0)->name());
    cast->result(0)->replaceAllUsesWith(moved);
  }
}

} // namespace

bool accelerateMatmulPass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions()) {
    Accelerator(*f, ctx.target).run();
    castBeforeConversion(*f);
  }
  return true;
}

} // namespace tritonc
