// print and assert: tl.device_print / print and tl.device_assert / assert on the device.
//
// print writes one line per element, in the format of the interpreter and Triton's lowering:
//   pid (<x>, <y>, <z>) idx (<i>, <j>)<prefix>[(operand <n>) ]<value>
// with each index padded to as many digits as its dim needs. Each element is printed by one
// thread (the owner among threads holding copies of it; thread 0 for a scalar), one printf
// per register. Values: floats as %f (promoted to double, fp8 decoded first), signed integers
// as %d / %lld, unsigned ones and i1 as %u / %llu, pointers as 0x%llx; `hex` prints the raw
// bits zero-padded to the type's width. An op without values prints its prefix once per
// program.
//
// assert: every thread in which an element of the condition is false calls the target's
// assertion failure with the message, the .tt file (the op's `file` attribute, set by the front
// end), the op's line and the kernel's name; on NVIDIA that is CUDA's __assertfail, which
// prints "file:line: kernel: block: [..], thread: [..] Assertion `message` failed." and
// stops the kernel.
#include "codegen/Lowering.h"

namespace tritonc {

namespace {

/// Digits of the largest index of a dim of `size` (0 for a dim of 1), as the interpreter pads.
int indexWidth(int64_t size) {
  int width = 0;
  for (int64_t p = 1; p < size; p *= 10)
    ++width;
  return width;
}

std::string escapePercent(const std::string &text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '%')
      out += '%';
  }
  return out;
}

} // namespace

bool KernelLowering::lowerPrint(const Operation &op) {
  const std::string prefix = escapePercent(op.attrs().getString("prefix"));
  const bool hex = op.attrs().getBool("hex", false);
  std::vector<llvm::Value *> pid;
  for (unsigned axis = 0; axis < 3; ++axis)
    pid.push_back(target_.programId(b_, axis));
  const std::string pidFormat = "pid (%d, %d, %d)";

  // Runs `body` in the threads where `guard` holds (nullptr: all).
  auto guarded = [&](llvm::Value *guard, const std::function<bool()> &body) {
    if (!guard)
      return body();
    auto *then = llvm::BasicBlock::Create(ctx_, "print", kernel_);
    auto *end = llvm::BasicBlock::Create(ctx_, "print.end", kernel_);
    b_.CreateCondBr(guard, then, end);
    b_.SetInsertPoint(then);
    if (!body())
      return false;
    b_.CreateBr(end);
    b_.SetInsertPoint(end);
    return true;
  };
  auto print = [&](const std::string &format, const std::vector<llvm::Value *> &args) {
    if (!target_.emitPrintf(b_, format, args))
      return unsupported(op);
    return true;
  };
  llvm::Value *firstThread = b_.CreateICmpEQ(threadId_, b_.getInt32(0));

  if (op.numOperands() == 0)
    return guarded(firstThread, [&] { return print(pidFormat + prefix + "\n", pid); });

  for (unsigned o = 0; o < op.numOperands(); ++o) {
    const Value *v = op.operand(o);
    const Type *type = v->type();
    const Type *elem = type->scalarType();
    const LinearLayout *ll = nullptr;
    if (type->isBlock() && !(ll = linearLayout(type, op)))
      return false;

    // The value's conversion and format.
    const unsigned bits = elem->isPointer() ? 64 : elem->bitWidth();
    std::string valueFormat;
    auto convert = [&](llvm::Value *x) -> llvm::Value * {
      llvm::Type *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
      if (hex || elem->isPointer()) {
        if (x->getType()->isPointerTy())
          x = b_.CreatePtrToInt(x, i64);
        else if (!x->getType()->isIntegerTy())
          x = b_.CreateBitCast(x, b_.getIntNTy(bits));
        return b_.CreateZExt(x, bits > 32 ? i64 : i32);
      }
      if (elem->isFloat()) {
        const ScalarKind k = elem->scalarKind();
        if (k == ScalarKind::F8E4NV || k == ScalarKind::F8E5)
          x = fp8ToFloat(x, k);
        return b_.CreateFPExt(x, b_.getDoubleTy());
      }
      const bool isSigned = !elem->isUnsigned() && !elem->isBool();
      llvm::Type *to = bits > 32 ? i64 : i32;
      return isSigned ? b_.CreateSExt(x, to) : b_.CreateZExt(x, to);
    };
    if (hex)
      valueFormat = "0x%0" + std::to_string(std::max(1u, bits / 4)) + (bits > 32 ? "llx" : "x");
    else if (elem->isPointer())
      valueFormat = "0x%llx";
    else if (elem->isFloat())
      valueFormat = "%f";
    else if (!elem->isUnsigned() && !elem->isBool())
      valueFormat = bits > 32 ? "%lld" : "%d";
    else
      valueFormat = bits > 32 ? "%llu" : "%u";

    std::string format = pidFormat + " idx (";
    for (unsigned d = 0; d < type->rank(); ++d) {
      const int width = indexWidth(type->shape()[d]);
      format += (d ? ", %" : "%") + (width ? std::to_string(width) : std::string()) + "d";
    }
    format += ")" + prefix;
    if (op.numOperands() > 1)
      format += "(operand " + std::to_string(o) + ") ";
    format += valueFormat + "\n";

    const Regs &values = regs(v);
    llvm::Value *guard = ll ? ownerPredicate(*ll) : firstThread;
    if (!guarded(guard, [&] {
          for (unsigned r = 0; r < values.size(); ++r) {
            std::vector<llvm::Value *> args = pid;
            for (unsigned d = 0; ll && d < type->rank(); ++d)
              args.push_back(coordinate(*ll, r, d));
            args.push_back(convert(values[r]));
            if (!print(format, args))
              return false;
          }
          return true;
        }))
      return false;
  }
  return true;
}

bool KernelLowering::lowerAssert(const Operation &op) {
  const Regs &cond = regs(op.operand(0));
  llvm::Value *anyFalse = nullptr;
  for (llvm::Value *c : cond) {
    llvm::Value *f = b_.CreateNot(c);
    anyFalse = anyFalse ? b_.CreateOr(anyFalse, f) : f;
  }
  auto *fail = llvm::BasicBlock::Create(ctx_, "assert.fail", kernel_);
  auto *end = llvm::BasicBlock::Create(ctx_, "assert.end", kernel_);
  b_.CreateCondBr(anyFalse, fail, end);
  b_.SetInsertPoint(fail);
  std::string file = op.attrs().getString("file");
  if (file.empty())
    file = "<unknown>";
  if (!target_.emitAssertFail(b_, op.attrs().getString("message"), file, op.loc().line, fn_.name()))
    return unsupported(op);
  b_.CreateBr(end);
  b_.SetInsertPoint(end);
  return true;
}

} // namespace tritonc
