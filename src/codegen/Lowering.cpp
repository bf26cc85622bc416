// Kernel lowering: the LLVM function and its signature, the op dispatch, constants, program
// ids, arange, and structured control flow (for / if / while → basic blocks and phis).
#include "codegen/Lowering.h"
#include "passes/VersionAlignment.h"
#include "support/Bits.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Metadata.h>

#include <cctype>

namespace tritonc {

namespace {

/// The kernel's symbol: its name with every character PTX and ELF identifiers cannot hold
/// replaced by '_' (names from .tt sources are Python identifiers and stay as they are).
std::string entryName(const std::string &name) {
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "_" + out;
  return out;
}

std::string tritonTypeSpelling(const Type *type) {
  if (type->isPointer())
    return "*" + tritonTypeSpelling(type->pointee());
  return std::string(scalarKindTritonName(type->scalarKind()));
}

} // namespace

KernelLowering::KernelLowering(const Function &fn, const Target &target, llvm::Module &module,
                               DiagnosticEngine &diags)
    : fn_(fn), target_(target), module_(module), ctx_(module.getContext()), diags_(diags), b_(ctx_),
      prologue_(ctx_) {}

bool KernelLowering::error(const Operation &op, std::string message) {
  diags_.error(op.loc(), std::move(message));
  return false;
}

bool KernelLowering::unsupported(const Operation &op) {
  return error(op, "'" + std::string(op.mnemonic()) + "' is not supported yet for " +
                       target_.archName());
}

// ---- types and layouts

llvm::Type *KernelLowering::registerType(const Type *type) const {
  const Type *s = type->scalarType();
  if (s->isPointer())
    return llvm::PointerType::get(ctx_, s->addressSpace());
  switch (s->scalarKind()) {
  case ScalarKind::I1:
    return llvm::Type::getInt1Ty(ctx_);
  case ScalarKind::I8:
  case ScalarKind::U8:
  case ScalarKind::F8E4NV: // fp8 values live as their bits; casts convert explicitly
  case ScalarKind::F8E5:
    return llvm::Type::getInt8Ty(ctx_);
  case ScalarKind::I16:
  case ScalarKind::U16:
    return llvm::Type::getInt16Ty(ctx_);
  case ScalarKind::I32:
  case ScalarKind::U32:
    return llvm::Type::getInt32Ty(ctx_);
  case ScalarKind::I64:
  case ScalarKind::U64:
    return llvm::Type::getInt64Ty(ctx_);
  case ScalarKind::F16:
    return llvm::Type::getHalfTy(ctx_);
  case ScalarKind::BF16:
    return llvm::Type::getBFloatTy(ctx_);
  case ScalarKind::F32:
    return llvm::Type::getFloatTy(ctx_);
  case ScalarKind::F64:
    return llvm::Type::getDoubleTy(ctx_);
  }
  return nullptr;
}

llvm::Type *KernelLowering::memoryType(const Type *type) const {
  const Type *s = type->scalarType();
  if (s->isScalar() && s->scalarKind() == ScalarKind::I1)
    return llvm::Type::getInt8Ty(ctx_);
  return registerType(s);
}

const LinearLayout *KernelLowering::linearLayout(const Type *type, const Operation &op) {
  auto key = std::make_pair(type->layout(), type->shape());
  auto it = layouts_.find(key);
  if (it != layouts_.end())
    return &it->second;
  std::string why;
  std::optional<LinearLayout> ll = LinearLayout::get(type->layout(), type->shape(), &why);
  if (!ll) {
    error(op, "cannot lower " + type->str() + ": " + why +
                  (type->layout() ? "" : " (run layout assignment first)"));
    return nullptr;
  }
  if (ll->numLanes() != target_.info().warpSize) {
    error(op, type->str() + " spreads over " + std::to_string(ll->numLanes()) +
                  " lanes, but a warp of " + target_.archName() + " has " +
                  std::to_string(target_.info().warpSize));
    return nullptr;
  }
  if (ll->numWarps() != fn_.numWarps) {
    error(op, type->str() + " spreads over " + std::to_string(ll->numWarps()) +
                  " warps, but the kernel has num_warps = " + std::to_string(fn_.numWarps));
    return nullptr;
  }
  return &layouts_.emplace(key, std::move(*ll)).first->second;
}

unsigned KernelLowering::numRegisters(const Type *type, const Operation &op) {
  if (!type->isBlock() || (type->layout() && type->layout()->isShared()))
    return 1; // a shared tile is its address
  const LinearLayout *ll = linearLayout(type, op);
  return ll ? ll->numRegisters() : 0;
}

// ---- the kernel

void KernelLowering::describeParams(KernelInfo &info) const {
  const Block *body = fn_.body();
  for (unsigned i = 0; i < body->numArguments(); ++i) {
    const Type *type = body->argument(i)->type();
    KernelParamABI p;
    p.name = i < fn_.params().size() ? fn_.params()[i].name : body->argument(i)->name();
    p.divisibility = i < fn_.params().size() ? fn_.params()[i].divisibility : 1;
    p.type = tritonTypeSpelling(type);
    p.isPointer = type->isPointer();
    // One LLVM parameter per kernel parameter, passed at its natural size (i1 as a byte).
    p.size = p.isPointer ? 8 : std::max(1u, type->bitWidth() / 8);
    p.align = p.size;
    info.params.push_back(std::move(p));
  }
}

bool KernelLowering::run(KernelInfo &info) {
  const Block *body = fn_.body();
  const unsigned warpSize = target_.info().warpSize;
  const unsigned numThreads = fn_.numWarps * warpSize;
  if (fn_.numWarps == 0 || !isPowerOf2(fn_.numWarps) ||
      numThreads > target_.info().maxThreadsPerBlock) {
    diags_.error(fn_.loc(), "num_warps = " + std::to_string(fn_.numWarps) +
                                " must be a power of two with at most " +
                                std::to_string(target_.info().maxThreadsPerBlock) +
                                " threads per block");
    return false;
  }

  std::function<void(const Block &)> findWgmmaTiles = [&](const Block &block) {
    for (const auto &op : block.ops()) {
      for (const Value *r : op->results())
        if (const Layout *l = r->type()->layout(); l && l->isShared() && l->sharedWgmma())
          wgmmaTiles_ = true;
      for (unsigned i = 0; i < op->numRegions(); ++i)
        findWgmmaTiles(*op->region(i));
    }
  };
  findWgmmaTiles(*body);
  alloc_ = std::make_unique<SharedMemoryAllocation>(fn_, target_.info());
  alloc_->assignOffsets();
  if (!alloc_->checkLimit(diags_))
    return false;

  std::vector<llvm::Type *> paramTypes;
  for (Value *arg : body->arguments()) {
    if (arg->type()->isBlock()) {
      diags_.error(fn_.loc(), "kernel parameter '" + arg->name() + "' is a block");
      return false;
    }
    paramTypes.push_back(registerType(arg->type()));
  }
  auto *fnType = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), paramTypes, false);
  kernel_ = llvm::Function::Create(fnType, llvm::GlobalValue::ExternalLinkage,
                                   entryName(fn_.name()), module_);
  target_.configureKernel(*kernel_, numThreads);

  auto *entry = llvm::BasicBlock::Create(ctx_, "entry", kernel_);
  auto *start = llvm::BasicBlock::Create(ctx_, "body", kernel_);
  b_.SetInsertPoint(entry);
  prologue_.SetInsertPoint(b_.CreateBr(start));
  threadId_ = target_.threadId(prologue_);
  laneId_ = prologue_.CreateAnd(threadId_, warpSize - 1, "lane");
  warpId_ = prologue_.CreateLShr(threadId_, log2Ceil(warpSize), "warp");
  b_.SetInsertPoint(start);
  if (lines_) {
    subprogram_ = lines_->attach(*kernel_, fn_.loc());
    llvm::DILocation *here = lines_->location(fn_.loc(), subprogram_);
    b_.SetCurrentDebugLocation(here);
    prologue_.SetCurrentDebugLocation(here);
  }

  for (unsigned i = 0; i < body->numArguments(); ++i) {
    llvm::Argument *arg = kernel_->getArg(i);
    arg->setName(i < fn_.params().size() ? fn_.params()[i].name : "");
    bind(body->argument(i), {arg});
  }
  if (!lowerBlock(*body))
    return false;
  const Operation *term = body->terminator();
  if (term && term->code() != OpCode::Return)
    return error(*term, "a kernel body must end with 'return'");
  b_.CreateRetVoid();

  info.name = fn_.name();
  info.symbol = kernel_->getName().str(); // LLVM appends a suffix if two names collide
  info.numWarps = fn_.numWarps;
  info.block = {numThreads, 1, 1};
  info.sharedBytes = static_cast<unsigned>(std::max(alloc_->totalBytes(), unplannedEnd_));
  describeParams(info);
  return true;
}

bool KernelLowering::lowerBlock(const Block &block, bool synced) {
  sharedStoresUnsynced_ = !synced; // reached from elsewhere too
  sharedReadsSinceBarrier_ = true;
  for (const auto &op : block.ops()) {
    if (op->isTerminator())
      break;
    if (!lowerOp(*op))
      return false;
    // Control flow may have run anything in between; the combine regions of reduce and scan
    // are inline scalar code (LowerReduce.cpp keeps the bookkeeping across them).
    if (op->numRegions() && op->code() != OpCode::Reduce && op->code() != OpCode::Scan)
      sharedStoresUnsynced_ = sharedReadsSinceBarrier_ = true;
  }
  return true;
}

bool KernelLowering::lowerOp(const Operation &op) {
  // An op without a location (from IR text) keeps the previous one: calls that LLVM may inline
  // need a location in a function with debug info.
  if (lines_ && op.loc().isValid())
    b_.SetCurrentDebugLocation(lines_->location(op.loc(), subprogram_));
  switch (op.code()) {
  case OpCode::Constant:
    return lowerConstant(op);
  case OpCode::ProgramId:
  case OpCode::NumPrograms: {
    int64_t axis = op.attrs().getInt("axis", 0);
    if (axis < 0 || axis > 2)
      return error(op, "axis must be 0, 1 or 2");
    bind(op.result(),
         {op.code() == OpCode::ProgramId ? target_.programId(b_, static_cast<unsigned>(axis))
                                         : target_.numPrograms(b_, static_cast<unsigned>(axis))});
    return true;
  }
  case OpCode::MakeRange:
    return lowerMakeRange(op);
  case OpCode::Splat:
    return lowerSplat(op);
  case OpCode::Broadcast:
    return lowerBroadcast(op);
  case OpCode::ExpandDims:
    return lowerExpandDims(op);
  case OpCode::ConvertLayout:
    return lowerConvertLayout(op);
  case OpCode::Load:
    return lowerLoad(op);
  case OpCode::Store:
    return lowerStore(op);
  case OpCode::AtomicRMW:
  case OpCode::AtomicCas:
    return lowerAtomic(op);
  case OpCode::Reduce:
    return lowerReduce(op);
  case OpCode::Dot:
    return lowerDot(op);
  case OpCode::Scan:
    return lowerScan(op);
  case OpCode::Histogram:
    return lowerHistogram(op);
  case OpCode::Print:
    return lowerPrint(op);
  case OpCode::Assert:
    return lowerAssert(op);
  case OpCode::Trans:
    return lowerTrans(op);
  case OpCode::Reshape:
    return lowerReshape(op);
  case OpCode::Join:
    return lowerJoin(op);
  case OpCode::Split:
    return lowerSplit(op);
  case OpCode::Cat:
    return lowerCat(op);
  case OpCode::Gather:
    return lowerGather(op);
  case OpCode::Barrier:
    target_.barrier(b_);
    return true;
  case OpCode::LocalAlloc:
    return lowerLocalAlloc(op);
  case OpCode::AsyncCopy:
    return lowerAsyncCopy(op);
  case OpCode::AsyncWait:
    return lowerAsyncWait(op);
  case OpCode::LocalLoad:
    return lowerLocalLoad(op);
  case OpCode::For:
    return lowerFor(op);
  case OpCode::If:
    return lowerIf(op);
  case OpCode::While:
    return lowerWhile(op);
  default:
    if (op.hasTrait(optrait::Elementwise))
      return lowerElementwise(op);
    return unsupported(op);
  }
}

bool KernelLowering::lowerConstant(const Operation &op) {
  const Type *type = op.result()->type();
  const Type *elem = type->scalarType();
  unsigned n = numRegisters(type, op);
  if (!n)
    return false;
  llvm::Type *ty = registerType(elem);
  llvm::Constant *c;
  if (elem->isPointer()) {
    if (op.attrs().getInt("value", 0) != 0)
      return error(op, "a pointer constant must be 0 (null)");
    c = llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ty));
  } else if (elem->isFloat()) {
    double v = op.attrs().getFloat("value");
    ScalarKind k = elem->scalarKind();
    if (k == ScalarKind::F8E4NV || k == ScalarKind::F8E5) {
      // Round to nearest even, saturating to the largest finite value (as the casts do).
      const llvm::fltSemantics &sem =
          k == ScalarKind::F8E4NV ? llvm::APFloat::Float8E4M3FN() : llvm::APFloat::Float8E5M2();
      llvm::APFloat f(v);
      if (!f.isNaN()) {
        llvm::APFloat largest = llvm::APFloat::getLargest(sem, f.isNegative());
        bool lost;
        largest.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &lost);
        if (llvm::abs(f).compare(llvm::abs(largest)) == llvm::APFloat::cmpGreaterThan)
          f = largest;
      }
      bool lost;
      f.convert(sem, llvm::APFloat::rmNearestTiesToEven, &lost);
      c = llvm::ConstantInt::get(ty, f.bitcastToAPInt().getZExtValue());
    } else {
      c = llvm::ConstantFP::get(ty, v);
    }
  } else {
    const AttrValue *attr = op.attrs().find("value");
    int64_t v = attr && std::holds_alternative<double>(*attr)
                    ? static_cast<int64_t>(std::get<double>(*attr))
                    : op.attrs().getInt("value");
    c = elem->isBool() ? llvm::ConstantInt::getBool(ctx_, v != 0)
                       : llvm::ConstantInt::get(ty, static_cast<uint64_t>(v), /*signed=*/true);
  }
  bind(op.result(), Regs(n, c));
  return true;
}

bool KernelLowering::lowerMakeRange(const Operation &op) {
  const Type *type = op.result()->type();
  const LinearLayout *ll = linearLayout(type, op);
  if (!ll)
    return false;
  if (!type->scalarType()->isScalar() || type->scalarType()->scalarKind() != ScalarKind::I32)
    return error(op, "arange must produce i32 elements");
  int64_t start = op.attrs().getInt("start", 0);
  Regs out;
  for (unsigned r = 0; r < ll->numRegisters(); ++r)
    out.push_back(b_.CreateAdd(coordinate(*ll, r, 0), b_.getInt32(static_cast<int32_t>(start)), "",
                               /*HasNUW=*/start >= 0, /*HasNSW=*/true));
  bind(op.result(), std::move(out));
  return true;
}

// ---- structured control flow

namespace {

/// One phi per register of each value, fed from `from` by `initial`.
std::vector<Regs> makePhis(llvm::IRBuilderBase &b, const std::vector<const Regs *> &initial,
                           llvm::BasicBlock *from) {
  std::vector<Regs> phis;
  for (const Regs *init : initial) {
    Regs regs;
    for (llvm::Value *v : *init) {
      llvm::PHINode *phi = b.CreatePHI(v->getType(), 2);
      phi->addIncoming(v, from);
      regs.push_back(phi);
    }
    phis.push_back(std::move(regs));
  }
  return phis;
}

void addIncoming(const std::vector<Regs> &phis, const std::vector<const Regs *> &values,
                 llvm::BasicBlock *from) {
  for (size_t k = 0; k < phis.size(); ++k)
    for (size_t r = 0; r < phis[k].size(); ++r)
      llvm::cast<llvm::PHINode>(phis[k][r])->addIncoming((*values[k])[r], from);
}

} // namespace

bool KernelLowering::lowerFor(const Operation &op) {
  const Block &body = *op.region(0);
  const Operation *yield = body.terminator();
  const unsigned numCarried = op.numOperands() - 3;
  if (!yield || yield->numOperands() != numCarried || body.numArguments() != numCarried + 1)
    return error(op, "malformed 'for': its body must take the induction variable and one "
                     "argument per carried value, and yield each carried value");
  llvm::Value *lb = scalar(op.operand(0)), *ub = scalar(op.operand(1)),
              *step = scalar(op.operand(2));
  std::vector<const Regs *> inits;
  for (unsigned k = 0; k < numCarried; ++k)
    inits.push_back(&regs(op.operand(3 + k)));

  // The first K step of the first dot's shared-tile operands, loaded before the loop and at
  // the end of each iteration for the next (LowerSharedTile.cpp), carried like the values.
  std::vector<TilePrefetch> prefetch = planTilePrefetch(op);
  // Carried as the 32-bit words ldmatrix returned (two 16-bit elements each), so that the
  // mma's operand words are the phis themselves, not halves packed again in every iteration.
  auto words = [&](const Regs &halves) {
    Regs out;
    for (size_t i = 0; i + 1 < halves.size(); i += 2) {
      llvm::Type *pairTy = llvm::FixedVectorType::get(halves[i]->getType(), 2);
      llvm::Value *v = b_.CreateInsertElement(llvm::PoisonValue::get(pairTy), halves[i], 0ul);
      v = b_.CreateInsertElement(v, halves[i + 1], 1ul);
      out.push_back(b_.CreateBitCast(v, b_.getInt32Ty()));
    }
    return out;
  };
  std::vector<Regs> prefetchInit;
  for (TilePrefetch &p : prefetch) {
    Regs r = prefetchFragments(p, scalar(op.operand(3 + p.arg)));
    if (r.empty())
      return error(op, "internal error: prefetched fragments of an unexpected shape");
    prefetchInit.push_back(words(r));
  }

  llvm::BasicBlock *pre = b_.GetInsertBlock();
  auto *header = llvm::BasicBlock::Create(ctx_, "for.header", kernel_);
  auto *loop = llvm::BasicBlock::Create(ctx_, "for.body", kernel_);
  auto *exit = llvm::BasicBlock::Create(ctx_, "for.exit", kernel_);
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  llvm::PHINode *iv = b_.CreatePHI(lb->getType(), 2, "iv");
  iv->addIncoming(lb, pre);
  std::vector<Regs> carried = makePhis(b_, inits, pre);
  bind(body.argument(0), {iv});
  for (unsigned k = 0; k < numCarried; ++k)
    bind(body.argument(k + 1), carried[k]);
  std::vector<const Regs *> prefetchInitPtrs;
  for (const Regs &r : prefetchInit)
    prefetchInitPtrs.push_back(&r);
  std::vector<Regs> prefetchPhis = makePhis(b_, prefetchInitPtrs, pre);
  for (size_t i = 0; i < prefetch.size(); ++i) {
    llvm::Type *elemTy = registerType(prefetch[i].load->result()->type());
    Regs halves;
    for (llvm::Value *w : prefetchPhis[i]) {
      llvm::Value *pair = b_.CreateBitCast(w, llvm::FixedVectorType::get(elemTy, 2));
      halves.push_back(b_.CreateExtractElement(pair, uint64_t{0}));
      halves.push_back(b_.CreateExtractElement(pair, uint64_t{1}));
    }
    std::map<unsigned, Regs> &groups = prefetched_[prefetch[i].load->result()];
    size_t at = 0;
    for (auto [r0, count] : prefetch[i].groups) {
      groups[r0] = Regs(halves.begin() + static_cast<std::ptrdiff_t>(at),
                        halves.begin() + static_cast<std::ptrdiff_t>(at + count));
      at += count;
    }
  }

  // Iterate while iv < ub (iv > ub for a negative step), as range(lb, ub, step).
  llvm::Value *cond;
  if (op.operand(0)->type()->isUnsigned()) {
    cond = b_.CreateICmpULT(iv, ub);
  } else {
    llvm::Value *up = b_.CreateICmpSLT(iv, ub), *down = b_.CreateICmpSGT(iv, ub);
    cond = b_.CreateSelect(b_.CreateICmpSGT(step, llvm::ConstantInt::get(step->getType(), 0)), up,
                           down);
  }
  b_.CreateCondBr(cond, loop, exit);

  b_.SetInsertPoint(loop);
  if (!lowerBlock(body, waitsAtBackEdge(op)))
    return false;
  std::vector<const Regs *> next;
  for (unsigned k = 0; k < numCarried; ++k)
    next.push_back(&regs(yield->operand(k)));
  std::vector<Regs> prefetchNext;
  for (TilePrefetch &p : prefetch) {
    prefetched_.erase(p.load->result());
    Regs r = prefetchFragments(p, scalar(yield->operand(p.arg)));
    if (r.empty())
      return error(op, "internal error: prefetched fragments of an unexpected shape");
    prefetchNext.push_back(words(r));
  }
  std::vector<const Regs *> prefetchNextPtrs;
  for (const Regs &r : prefetchNext)
    prefetchNextPtrs.push_back(&r);
  llvm::BasicBlock *latch = b_.GetInsertBlock();
  iv->addIncoming(b_.CreateAdd(iv, step, "iv.next"), latch);
  addIncoming(carried, next, latch);
  addIncoming(prefetchPhis, prefetchNextPtrs, latch);
  llvm::BranchInst *back = b_.CreateBr(header);
  if (int64_t unroll = op.attrs().getInt("loop_unroll_factor", 0); unroll > 0) {
    llvm::Metadata *count[] = {
        llvm::MDString::get(ctx_, "llvm.loop.unroll.count"),
        llvm::ConstantAsMetadata::get(b_.getInt32(static_cast<uint32_t>(unroll)))};
    llvm::MDNode *loopId = llvm::MDNode::getDistinct(
        ctx_, {llvm::MDNode::getTemporary(ctx_, {}).get(), llvm::MDNode::get(ctx_, count)});
    loopId->replaceOperandWith(0, loopId);
    back->setMetadata(llvm::LLVMContext::MD_loop, loopId);
  }

  b_.SetInsertPoint(exit);
  drainWgmma(op, carried);
  for (unsigned k = 0; k < numCarried; ++k)
    bind(op.result(k), carried[k]);
  return true;
}

bool KernelLowering::lowerIf(const Operation &op) {
  auto *thenBB = llvm::BasicBlock::Create(ctx_, "if.then", kernel_);
  auto *elseBB = llvm::BasicBlock::Create(ctx_, "if.else", kernel_);
  auto *merge = llvm::BasicBlock::Create(ctx_, "if.end", kernel_);
  llvm::BranchInst *branch = b_.CreateCondBr(scalar(op.operand(0)), thenBB, elseBB);
  // The entry check of an alignment-versioned kernel: marked in the LLVM IR with the facts it
  // checks, and "dot" when the version holds one, so that the target can find the vectorized
  // version (Target::finalizeModule caps the registers of memory-bound kernels at its need).
  if (const AttrValue *facts = op.attrs().find(kAlignmentVersionAttr)) {
    const auto *names = std::get_if<std::string>(facts);
    std::vector<llvm::Metadata *> md{llvm::MDString::get(ctx_, names ? *names : "")};
    bool hasDot = false;
    op.region(0)->walk([&](Operation *inner) { hasDot |= inner->code() == OpCode::Dot; });
    if (hasDot)
      md.push_back(llvm::MDString::get(ctx_, "dot"));
    branch->setMetadata(kAlignmentVersionMetadata, llvm::MDNode::get(ctx_, md));
  }

  llvm::BasicBlock *ends[2];
  std::vector<const Regs *> yielded[2];
  llvm::BasicBlock *starts[2] = {thenBB, elseBB};
  for (unsigned side = 0; side < 2; ++side) {
    const Block &region = *op.region(side);
    const Operation *yield = region.terminator();
    if (!yield || yield->numOperands() != op.numResults())
      return error(op, "malformed 'if': each region must yield one value per result");
    b_.SetInsertPoint(starts[side]);
    if (!lowerBlock(region))
      return false;
    for (Value *v : yield->operands())
      yielded[side].push_back(&regs(v));
    ends[side] = b_.GetInsertBlock();
    b_.CreateBr(merge);
  }

  b_.SetInsertPoint(merge);
  for (unsigned k = 0; k < op.numResults(); ++k) {
    Regs out;
    for (size_t r = 0; r < yielded[0][k]->size(); ++r) {
      llvm::PHINode *phi = b_.CreatePHI((*yielded[0][k])[r]->getType(), 2);
      phi->addIncoming((*yielded[0][k])[r], ends[0]);
      phi->addIncoming((*yielded[1][k])[r], ends[1]);
      out.push_back(phi);
    }
    bind(op.result(k), std::move(out));
  }
  return true;
}

bool KernelLowering::lowerWhile(const Operation &op) {
  const Block &before = *op.region(0), &after = *op.region(1);
  const Operation *condition = before.terminator();
  const Operation *yield = after.terminator();
  if (!condition || condition->code() != OpCode::Condition || !yield ||
      before.numArguments() != op.numOperands() || yield->numOperands() != op.numOperands() ||
      condition->numOperands() != op.numResults() + 1 || after.numArguments() != op.numResults())
    return error(op, "malformed 'while'");
  std::vector<const Regs *> inits;
  for (Value *v : op.operands())
    inits.push_back(&regs(v));

  llvm::BasicBlock *pre = b_.GetInsertBlock();
  auto *header = llvm::BasicBlock::Create(ctx_, "while.before", kernel_);
  auto *afterBB = llvm::BasicBlock::Create(ctx_, "while.after", kernel_);
  auto *exit = llvm::BasicBlock::Create(ctx_, "while.exit", kernel_);
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  std::vector<Regs> loopValues = makePhis(b_, inits, pre);
  for (unsigned k = 0; k < before.numArguments(); ++k)
    bind(before.argument(k), loopValues[k]);
  if (!lowerBlock(before))
    return false;
  b_.CreateCondBr(scalar(condition->operand(0)), afterBB, exit);

  // The forwarded values are defined in the "before" region, which dominates both successors.
  b_.SetInsertPoint(afterBB);
  for (unsigned k = 0; k < after.numArguments(); ++k)
    bind(after.argument(k), regs(condition->operand(k + 1)));
  if (!lowerBlock(after))
    return false;
  std::vector<const Regs *> next;
  for (Value *v : yield->operands())
    next.push_back(&regs(v));
  addIncoming(loopValues, next, b_.GetInsertBlock());
  b_.CreateBr(header);

  b_.SetInsertPoint(exit);
  for (unsigned k = 0; k < op.numResults(); ++k)
    bind(op.result(k), regs(condition->operand(k + 1)));
  return true;
}

} // namespace tritonc
