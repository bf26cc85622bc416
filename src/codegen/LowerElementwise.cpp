// Elementwise ops, one register at a time: integer and float arithmetic with Triton's
// semantics (docs/IR.md: signedness from the type, truncating int division, NaN-ignoring
// max/min unless propagate_nan, ordered float compares except `ne`), casts including fp8,
// pointer arithmetic, math ops (the target's native forms, else its math library) and
// extern_call.
//
// fp8 values are carried as their i8 bits. Conversions are done in software so they behave
// the same on every target: fp8 → f32 is exact; f32 → fp8 rounds to nearest even, saturates
// to the largest finite value (infinities too) and keeps NaN, as PTX's
// cvt.rn.satfinite.{e4m3,e5m2}x2.f32 that Triton uses. Other floats convert through f32.
#include "codegen/Lowering.h"

#include <llvm/IR/Constants.h>

#include <cmath>

namespace tritonc {

namespace {

bool isFp8(ScalarKind k) { return k == ScalarKind::F8E4NV || k == ScalarKind::F8E5; }

bool hasFp8(const Type *t) {
  const Type *s = t->scalarType();
  return s->isScalar() && isFp8(s->scalarKind());
}

} // namespace

bool KernelLowering::lowerElementwise(const Operation &op) {
  if (op.numResults() != 1)
    return error(op, "an elementwise op must have one result");
  const Type *resultType = op.result()->type();
  const unsigned n = numRegisters(resultType, op);
  if (!n)
    return false;
  bool fp8 = hasFp8(resultType);
  std::vector<const Regs *> inputs;
  for (Value *v : op.operands()) {
    if (regs(v).size() != n)
      return error(op, "operand of type " + v->type()->str() + " does not match the result " +
                           resultType->str());
    inputs.push_back(&regs(v));
    fp8 |= hasFp8(v->type());
  }
  if (fp8 && op.code() != OpCode::Cast && op.code() != OpCode::Bitcast &&
      op.code() != OpCode::Select)
    return error(op, "'" + std::string(op.mnemonic()) +
                         "' on fp8 values is not supported; cast them to a wider float first");
  if (op.code() == OpCode::Cast &&
      op.operand(0)->type()->isPointerLike() != resultType->isPointerLike())
    return error(op, "cast between pointers and numbers: use ptrtoint / inttoptr");

  Regs out;
  std::vector<llvm::Value *> args(inputs.size());
  for (unsigned r = 0; r < n; ++r) {
    for (size_t k = 0; k < inputs.size(); ++k)
      args[k] = (*inputs[k])[r];
    llvm::Value *v = elementwise(op, args);
    if (!v)
      return false;
    out.push_back(v);
  }
  bind(op.result(), std::move(out));
  return true;
}

llvm::Value *KernelLowering::elementwise(const Operation &op,
                                         const std::vector<llvm::Value *> &args) {
  const Type *t = op.numOperands() ? op.operand(0)->type()->scalarType() : nullptr;
  const bool isFloat = t && t->isFloat();
  const bool isUnsigned = t && (t->isUnsigned() || t->isBool()); // bool orders false < true
  llvm::Value *x = args.empty() ? nullptr : args[0];
  llvm::Value *y = args.size() > 1 ? args[1] : nullptr;
  using llvm::Intrinsic::ID;
  namespace I = llvm::Intrinsic;
  switch (op.code()) {
  case OpCode::Add:
    return isFloat ? b_.CreateFAdd(x, y) : b_.CreateAdd(x, y);
  case OpCode::Sub:
    return isFloat ? b_.CreateFSub(x, y) : b_.CreateSub(x, y);
  case OpCode::Mul:
    return isFloat ? b_.CreateFMul(x, y) : b_.CreateMul(x, y);
  case OpCode::Div:
    if (isFloat) // the target may spell `/` its own way (Triton's CUDA backend: div.full.f32)
      if (llvm::Value *v = target_.emitMath(b_, OpCode::Div, {x, y}))
        return v;
    return isFloat ? b_.CreateFDiv(x, y) : isUnsigned ? b_.CreateUDiv(x, y) : b_.CreateSDiv(x, y);
  case OpCode::Rem:
    return isFloat ? b_.CreateFRem(x, y) : isUnsigned ? b_.CreateURem(x, y) : b_.CreateSRem(x, y);
  case OpCode::And:
    return b_.CreateAnd(x, y);
  case OpCode::Or:
    return b_.CreateOr(x, y);
  case OpCode::Xor:
    return b_.CreateXor(x, y);
  case OpCode::Shl:
    return b_.CreateShl(x, y);
  case OpCode::Shr:
    return isUnsigned ? b_.CreateLShr(x, y) : b_.CreateAShr(x, y);
  case OpCode::Max:
  case OpCode::Min: {
    const bool max = op.code() == OpCode::Max;
    ID id;
    if (isFloat && op.attrs().getBool("propagate_nan"))
      id = max ? I::maximum : I::minimum;
    else if (isFloat)
      id = max ? I::maxnum : I::minnum;
    else if (isUnsigned)
      id = max ? I::umax : I::umin;
    else
      id = max ? I::smax : I::smin;
    return b_.CreateBinaryIntrinsic(id, x, y);
  }
  case OpCode::UMulHi: {
    unsigned w = x->getType()->getIntegerBitWidth();
    llvm::Type *wide = b_.getIntNTy(2 * w);
    // (Each emitting call in a statement of its own: argument order is unspecified in C++.)
    llvm::Value *xw = b_.CreateZExt(x, wide);
    llvm::Value *yw = b_.CreateZExt(y, wide);
    llvm::Value *p = b_.CreateMul(xw, yw);
    return b_.CreateTrunc(b_.CreateLShr(p, w), x->getType());
  }
  case OpCode::Neg:
    return isFloat ? b_.CreateFNeg(x) : b_.CreateNeg(x);
  case OpCode::Not:
    return b_.CreateNot(x);
  case OpCode::Fma:
    return b_.CreateIntrinsic(I::fma, {x->getType()}, {x, y, args[2]});
  case OpCode::Cmp: {
    static const struct {
      const char *name;
      llvm::CmpInst::Predicate f, s, u;
    } preds[] = {
        {"eq", llvm::CmpInst::FCMP_OEQ, llvm::CmpInst::ICMP_EQ, llvm::CmpInst::ICMP_EQ},
        {"ne", llvm::CmpInst::FCMP_UNE, llvm::CmpInst::ICMP_NE, llvm::CmpInst::ICMP_NE},
        {"lt", llvm::CmpInst::FCMP_OLT, llvm::CmpInst::ICMP_SLT, llvm::CmpInst::ICMP_ULT},
        {"le", llvm::CmpInst::FCMP_OLE, llvm::CmpInst::ICMP_SLE, llvm::CmpInst::ICMP_ULE},
        {"gt", llvm::CmpInst::FCMP_OGT, llvm::CmpInst::ICMP_SGT, llvm::CmpInst::ICMP_UGT},
        {"ge", llvm::CmpInst::FCMP_OGE, llvm::CmpInst::ICMP_SGE, llvm::CmpInst::ICMP_UGE},
    };
    std::string pred = op.attrs().getString("pred");
    for (const auto &p : preds) {
      if (pred != p.name)
        continue;
      if (isFloat)
        return b_.CreateFCmp(p.f, x, y);
      // Pointers compare as unsigned addresses.
      return b_.CreateICmp(isUnsigned || t->isPointer() ? p.u : p.s, x, y);
    }
    error(op, "unknown comparison '" + pred + "'");
    return nullptr;
  }
  case OpCode::Select:
    return b_.CreateSelect(x, y, args[2]);
  case OpCode::Cast:
    return cast(op, x, t, op.result()->type()->scalarType(),
                op.attrs().getString("rounding", "rtne") == "rtz");
  case OpCode::Bitcast: {
    llvm::Type *to = registerType(op.result()->type());
    if (x->getType() == to)
      return x;
    if (x->getType()->isPointerTy())
      return b_.CreatePtrToInt(x, to);
    if (to->isPointerTy())
      return b_.CreateIntToPtr(x, to);
    return b_.CreateBitCast(x, to);
  }
  case OpCode::AddPtr: {
    llvm::Type *elem = memoryType(t->pointee());
    const Type *offTy = op.operand(1)->type()->scalarType();
    llvm::Value *index = y;
    // GEP sign-extends its index; unsigned offsets must be zero-extended first.
    if ((offTy->isUnsigned() || offTy->isBool()) && y->getType()->getIntegerBitWidth() < 64)
      index = b_.CreateZExt(y, b_.getInt64Ty());
    return b_.CreateGEP(elem, x, index);
  }
  case OpCode::PtrToInt:
    return b_.CreatePtrToInt(x, registerType(op.result()->type()));
  case OpCode::IntToPtr:
    return b_.CreateIntToPtr(x, registerType(op.result()->type()));
  case OpCode::Abs:
    if (isFloat)
      return b_.CreateUnaryIntrinsic(I::fabs, x);
    return isUnsigned ? x : b_.CreateBinaryIntrinsic(I::abs, x, b_.getFalse());
  case OpCode::ExternCall:
    return externCall(op, args);
  default:
    if (isMathOp(op.code()))
      return math(op, args);
    unsupported(op);
    return nullptr;
  }
}

llvm::Value *KernelLowering::math(const Operation &op, std::vector<llvm::Value *> args) {
  llvm::Type *ty = args[0]->getType();
  if (!ty->isFloatingPointTy()) {
    error(op, "'" + std::string(op.mnemonic()) + "' needs float operands");
    return nullptr;
  }
  if (ty->isHalfTy() || ty->isBFloatTy()) { // computed in f32, rounded back (as Triton)
    for (llvm::Value *&a : args)
      a = b_.CreateFPExt(a, b_.getFloatTy());
    llvm::Value *r = math(op, args);
    return r ? b_.CreateFPTrunc(r, ty) : nullptr;
  }
  if (llvm::Value *v = target_.emitMath(b_, op.code(), args))
    return v;
  return callLibrary(op, target_.mathFunctionName(std::string(op.mnemonic()), ty), args, ty);
}

llvm::Value *KernelLowering::externCall(const Operation &op, std::vector<llvm::Value *> args) {
  std::string name = op.attrs().getString("name", op.attrs().getString("symbol"));
  if (name.empty()) {
    error(op, "extern_call needs a 'name' attribute");
    return nullptr;
  }
  // f16 / bf16 go through the f32 function, as Triton's libdevice wrappers do.
  auto widen = [this](llvm::Type *ty) {
    return ty->isHalfTy() || ty->isBFloatTy() ? b_.getFloatTy() : ty;
  };
  for (llvm::Value *&a : args)
    if (widen(a->getType()) != a->getType())
      a = b_.CreateFPExt(a, widen(a->getType()));
  llvm::Type *resultType = registerType(op.result()->type());
  llvm::Type *callType = widen(resultType);
  llvm::Type *keyType = args.empty() ? callType : args[0]->getType();
  llvm::Value *r = callLibrary(op, target_.mathFunctionName(name, keyType), args, callType);
  if (r && callType != resultType)
    r = b_.CreateFPTrunc(r, resultType);
  return r;
}

llvm::Value *KernelLowering::callLibrary(const Operation &op, const std::string &symbol,
                                         llvm::ArrayRef<llvm::Value *> args,
                                         llvm::Type *resultType) {
  auto it = libraryFunctions_.find(symbol);
  if (it == libraryFunctions_.end()) {
    std::vector<llvm::Type *> params;
    for (llvm::Value *a : args)
      params.push_back(a->getType());
    auto *fnType = llvm::FunctionType::get(resultType, params, false);
    std::string wanted, actual, problem;
    llvm::raw_string_ostream os(wanted);
    fnType->print(os);
    if (!target_.mathFunctionSignature(symbol, actual, problem)) {
      diags_.error(op.loc(), problem).toolchain = true; // libdevice / ocml missing or unreadable
      return nullptr;
    }
    if (actual.empty()) {
      error(op, "the math library of " + target_.archName() + " has no function '" + symbol + "'");
      return nullptr;
    }
    if (actual != wanted) {
      error(op, "'" + symbol + "' has type " + actual + ", but is called as " + wanted);
      return nullptr;
    }
    it = libraryFunctions_.emplace(symbol, module_.getOrInsertFunction(symbol, fnType)).first;
  }
  return b_.CreateCall(it->second, args);
}

// ---- casts

llvm::Value *KernelLowering::cast(const Operation &op, llvm::Value *v, const Type *from,
                                  const Type *to, bool towardZero) {
  if (from == to)
    return v;
  llvm::Type *toTy = registerType(to);
  if (from->isPointer()) // to a pointer too (lowerElementwise checked)
    return from->addressSpace() == to->addressSpace() ? v : b_.CreateAddrSpaceCast(v, toTy);
  const Type *f32 = fn_.context().f32();
  const ScalarKind fk = from->scalarKind(), tk = to->scalarKind();
  if (isFp8(fk))
    return cast(op, fp8ToFloat(v, fk), f32, to, towardZero);
  if (isFp8(tk)) {
    if (towardZero) {
      error(op, "rounding = \"rtz\" is not supported for fp8 results");
      return nullptr;
    }
    llvm::Value *wide = cast(op, v, from, f32, false);
    return wide ? floatToFp8(wide, tk) : nullptr;
  }
  if (tk == ScalarKind::I1) // Triton: x != 0 (NaN is true)
    return from->isFloat() ? b_.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0))
                           : b_.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
  const bool fromUnsigned = from->isUnsigned() || from->isBool();
  if (from->isInt() && to->isInt())
    return b_.CreateIntCast(v, toTy, /*isSigned=*/!fromUnsigned);
  if (from->isInt())
    return fromUnsigned ? b_.CreateUIToFP(v, toTy) : b_.CreateSIToFP(v, toTy);
  if (to->isInt())
    return to->isUnsigned() ? b_.CreateFPToUI(v, toTy) : b_.CreateFPToSI(v, toTy);
  const unsigned fw = from->bitWidth(), tw = to->bitWidth();
  if (fw == tw) // f16 <-> bf16
    return cast(op, cast(op, v, from, f32, false), f32, to, towardZero);
  if (tw > fw)
    return b_.CreateFPExt(v, toTy);
  if (!towardZero)
    return b_.CreateFPTrunc(v, toTy);
  if (fk != ScalarKind::F32) {
    error(op, "rounding = \"rtz\" is supported from f32 only");
    return nullptr;
  }
  return truncateTowardZero(v, tk);
}

llvm::Value *KernelLowering::truncateTowardZero(llvm::Value *f, ScalarKind kind) {
  // LLVM's llvm.fptrunc.round has no NVPTX lowering, so: chop the mantissa bits.
  llvm::Type *i32 = b_.getInt32Ty();
  llvm::Value *bits = b_.CreateBitCast(f, i32);
  llvm::Value *a = b_.CreateAnd(bits, 0x7FFFFFFF);
  llvm::Value *isNaN = b_.CreateICmpUGT(a, b_.getInt32(0x7F800000));
  llvm::Value *r;
  if (kind == ScalarKind::BF16) { // bf16 is the top half of an f32
    llvm::Value *sign = b_.CreateAnd(b_.CreateLShr(bits, 16), 0x8000);
    r = b_.CreateSelect(isNaN, b_.getInt32(0x7FC0), b_.CreateLShr(a, 16));
    r = b_.CreateOr(r, sign);
  } else {
    // f16: exponent bias 15 instead of 127, 10 mantissa bits instead of 23. Finite values
    // beyond the largest f16 (65504) truncate to it; only infinity stays infinite.
    llvm::Value *sign = b_.CreateAnd(b_.CreateLShr(bits, 16), 0x8000);
    llvm::Value *af = b_.CreateBitCast(a, b_.getFloatTy());
    llvm::Value *normal = b_.CreateSub(b_.CreateLShr(a, 13), b_.getInt32((127 - 15) << 10));
    llvm::Value *subnormal = b_.CreateFPToUI(
        b_.CreateFMul(af, llvm::ConstantFP::get(b_.getFloatTy(), std::ldexp(1.0, 24))), i32);
    r = b_.CreateSelect(
        b_.CreateFCmpOLT(af, llvm::ConstantFP::get(b_.getFloatTy(), std::ldexp(1.0, -14))),
        subnormal, normal);
    r = b_.CreateSelect(b_.CreateFCmpOGE(af, llvm::ConstantFP::get(b_.getFloatTy(), 65504.0)),
                        b_.getInt32(0x7BFF), r);
    r = b_.CreateSelect(b_.CreateICmpEQ(a, b_.getInt32(0x7F800000)), b_.getInt32(0x7C00), r);
    r = b_.CreateSelect(isNaN, b_.getInt32(0x7E00), r);
    r = b_.CreateOr(r, sign);
  }
  llvm::Type *to = kind == ScalarKind::BF16 ? b_.getBFloatTy() : b_.getHalfTy();
  return b_.CreateBitCast(b_.CreateTrunc(r, b_.getInt16Ty()), to);
}

llvm::Value *KernelLowering::fp8ToFloat(llvm::Value *bits, ScalarKind kind) {
  llvm::Value *x = b_.CreateZExt(bits, b_.getInt16Ty());
  if (kind == ScalarKind::F8E5) // e5m2 is the top byte of an f16
    return b_.CreateFPExt(b_.CreateBitCast(b_.CreateShl(x, 8), b_.getHalfTy()), b_.getFloatTy());
  // e4m3fn: place exponent and mantissa in an f16 (bias 15 instead of 7, so scale by 2^8;
  // subnormals come out right as f16 subnormals), the sign on top; S.1111.111 is NaN.
  llvm::Value *mag = b_.CreateAnd(x, 0x7F);
  llvm::Value *signBit = b_.CreateShl(b_.CreateAnd(x, 0x80), 8);
  llvm::Value *h = b_.CreateOr(signBit, b_.CreateShl(mag, 7));
  llvm::Value *f =
      b_.CreateFMul(b_.CreateFPExt(b_.CreateBitCast(h, b_.getHalfTy()), b_.getFloatTy()),
                    llvm::ConstantFP::get(b_.getFloatTy(), 256.0));
  llvm::Value *sign = b_.CreateShl(b_.CreateZExt(b_.CreateAnd(bits, 0x80), b_.getInt32Ty()), 24);
  llvm::Value *nan = b_.CreateBitCast(b_.CreateOr(sign, 0x7FC00000), b_.getFloatTy());
  return b_.CreateSelect(b_.CreateICmpEQ(mag, b_.getInt16(0x7F)), nan, f);
}

llvm::Value *KernelLowering::floatToFp8(llvm::Value *f, ScalarKind kind) {
  // Format: M mantissa bits, exponent bias B; largest finite value and its encoding.
  const bool e4m3 = kind == ScalarKind::F8E4NV;
  const unsigned M = e4m3 ? 3 : 2, B = e4m3 ? 7 : 15;
  const uint32_t maxBits = e4m3 ? 0x7E : 0x7B, nanBits = 0x7F;
  const double maxValue = e4m3 ? 448.0 : 57344.0;
  llvm::Type *i32 = b_.getInt32Ty(), *f32 = b_.getFloatTy();

  llvm::Value *bits = b_.CreateBitCast(f, i32);
  llvm::Value *sign = b_.CreateAnd(b_.CreateLShr(bits, 24), 0x80);
  llvm::Value *a = b_.CreateAnd(bits, 0x7FFFFFFF);
  llvm::Value *af = b_.CreateBitCast(a, f32);
  // Normal results: round the f32 mantissa to M bits (ties to even), then rebias.
  const unsigned shift = 23 - M;
  llvm::Value *half = b_.CreateAdd(a, b_.getInt32((1u << (shift - 1)) - 1));
  llvm::Value *rounded = b_.CreateAdd(half, b_.CreateAnd(b_.CreateLShr(a, shift), 1));
  llvm::Value *normal = b_.CreateSub(b_.CreateLShr(rounded, shift), b_.getInt32((127 - B) << M));
  // Subnormal results: the value in units of the smallest subnormal, rounded to even.
  llvm::Value *scaled = b_.CreateFMul(af, llvm::ConstantFP::get(f32, std::ldexp(1.0, B - 1 + M)));
  llvm::Value *subnormal =
      b_.CreateFPToUI(b_.CreateUnaryIntrinsic(llvm::Intrinsic::roundeven, scaled), i32);
  llvm::Value *minNormal = llvm::ConstantFP::get(f32, std::ldexp(1.0, 1 - static_cast<int>(B)));
  llvm::Value *r = b_.CreateSelect(b_.CreateFCmpOLT(af, minNormal), subnormal, normal);
  r = b_.CreateSelect(b_.CreateFCmpOGE(af, llvm::ConstantFP::get(f32, maxValue)),
                      b_.getInt32(maxBits), r);
  r = b_.CreateSelect(b_.CreateICmpUGT(a, b_.getInt32(0x7F800000)), b_.getInt32(nanBits), r);
  return b_.CreateTrunc(b_.CreateOr(r, sign), b_.getInt8Ty());
}

} // namespace tritonc
