// gather: result[c] = src[c with its `axis` coordinate replaced by index[c]] (tl.gather), on
// blocks of one rank whose other dims agree.
//
// When every thread holds whole source lines along the axis (no lane or warp bit moves along it)
// and the same lines as the result, each result register is a select among the thread's source
// registers of its line (up to 32 of them). Otherwise through shared memory, as the general
// case of Triton's lowering (its warp-shuffle form for an axis held within one warp is not
// done): barrier; every thread stores its registers of the source at their row-major offsets;
// barrier; every register of the result loads the offset of its own coordinates with the axis
// coordinate taken from the index register it pairs with.
// The index is first moved into the result's layout (layout assignment gives both one layout,
// so this is normally nothing). An index outside [0, len) is undefined behaviour in Triton;
// here it wraps modulo the (power-of-two) axis length, so the load stays inside the buffer.
#include "codegen/Lowering.h"

#include <map>

namespace tritonc {

Regs KernelLowering::gatherInThread(const LinearLayout &src, const LinearLayout &dst, unsigned axis,
                                    const Regs &in, const Regs &index, const Type *idxTy) {
  const int64_t len = src.shape()[axis];
  if (len > 32)
    return {};
  // Same lines per thread: lane and warp bases agree off the axis and never move along it.
  auto sameLines = [axis](const std::vector<LinearLayout::Coord> &s,
                          const std::vector<LinearLayout::Coord> &d) {
    if (s.size() != d.size())
      return false;
    for (size_t i = 0; i < s.size(); ++i)
      for (size_t k = 0; k < s[i].size(); ++k)
        if (s[i][axis] != 0 || (k != axis && s[i][k] != d[i][k]))
          return false;
    return true;
  };
  if (!sameLines(src.laneBases(), dst.laneBases()) || !sameLines(src.warpBases(), dst.warpBases()))
    return {};
  // The source registers of each line, by their coordinate along the axis.
  auto line = [axis](LinearLayout::Coord c) {
    c[axis] = 0;
    return c;
  };
  std::map<LinearLayout::Coord, std::vector<unsigned>> lines;
  for (unsigned s = 0; s < src.numRegisters(); ++s)
    lines[line(src.registerCoord(s))].push_back(s);
  for (unsigned r = 0; r < dst.numRegisters(); ++r) {
    auto it = lines.find(line(dst.registerCoord(r)));
    if (it == lines.end() || static_cast<int64_t>(it->second.size()) != len)
      return {};
  }
  const bool idxSigned = !idxTy->isUnsigned();
  llvm::Value *wrap = b_.getInt32(static_cast<uint32_t>(len - 1));
  Regs out;
  for (unsigned r = 0; r < dst.numRegisters(); ++r) {
    auto it = lines.find(line(dst.registerCoord(r)));
    llvm::Value *at = b_.CreateAnd(b_.CreateIntCast(index[r], b_.getInt32Ty(), idxSigned), wrap);
    llvm::Value *v = in[it->second[0]];
    for (size_t k = 1; k < it->second.size(); ++k) {
      const unsigned s = it->second[k];
      llvm::Value *hit =
          b_.CreateICmpEQ(at, b_.getInt32(static_cast<uint32_t>(src.registerCoord(s)[axis])));
      v = b_.CreateSelect(hit, in[s], v);
    }
    out.push_back(v);
  }
  return out;
}

bool KernelLowering::lowerGather(const Operation &op) {
  const Type *srcTy = op.operand(0)->type(), *idxTy = op.operand(1)->type();
  const Type *dstTy = op.result()->type();
  const int64_t axisAttr = op.attrs().getInt("axis", 0);
  if (!srcTy->isBlock() || !idxTy->isBlock() || srcTy->rank() != idxTy->rank() || axisAttr < 0 ||
      axisAttr >= static_cast<int64_t>(srcTy->rank()) || dstTy->shape() != idxTy->shape())
    return error(op, "malformed 'gather'");
  const unsigned axis = static_cast<unsigned>(axisAttr);
  const unsigned rank = srcTy->rank();
  for (unsigned d = 0; d < rank; ++d)
    if (d != axis && srcTy->shape()[d] != idxTy->shape()[d])
      return error(op, "malformed 'gather': index dim " + std::to_string(d) +
                           " differs from the source's");
  const LinearLayout *src = linearLayout(srcTy, op), *idx = linearLayout(idxTy, op),
                     *dst = linearLayout(dstTy, op);
  if (!src || !idx || !dst)
    return false;
  Regs index = relayout(op, idxTy, *idx, *dst, regs(op.operand(1)));
  if (index.empty())
    return false;
  if (Regs out = gatherInThread(*src, *dst, axis, regs(op.operand(0)), index, idxTy);
      !out.empty()) {
    bind(op.result(), std::move(out));
    return true;
  }

  llvm::Type *memTy = memoryType(srcTy);
  llvm::Type *regTy = registerType(srcTy);
  const unsigned elemBytes =
      static_cast<unsigned>(module_.getDataLayout().getTypeAllocSize(memTy).getFixedValue());
  const int64_t bytes = srcTy->numElements() * elemBytes;
  llvm::Value *base = sharedScratch(op, bytes);
  if (!base)
    return false;
  const std::vector<int64_t> &shape = srcTy->shape();
  std::vector<int64_t> strides(rank, 1);
  for (unsigned d = rank - 1; d-- > 0;)
    strides[d] = strides[d + 1] * shape[d + 1];
  // Row-major offset of the element whose coordinate along d is coord(d).
  auto offset = [&](const std::function<llvm::Value *(unsigned)> &coord) {
    llvm::Value *off = nullptr;
    for (unsigned d = 0; d < rank; ++d) {
      llvm::Value *term = coord(d);
      if (strides[d] != 1)
        term = b_.CreateMul(term, b_.getInt32(static_cast<uint32_t>(strides[d])), "", true, true);
      off = off ? b_.CreateAdd(off, term, "", true, true) : term;
    }
    return off;
  };

  target_.barrier(b_); // earlier readers of the scratch are done
  for (unsigned r = 0; r < src->numRegisters(); ++r) {
    llvm::Value *v = regs(op.operand(0))[r];
    if (regTy != memTy)
      v = b_.CreateZExt(v, memTy);
    llvm::Value *off = offset([&](unsigned d) { return coordinate(*src, r, d); });
    b_.CreateAlignedStore(v, b_.CreateGEP(memTy, base, off), llvm::Align(elemBytes));
  }
  target_.barrier(b_);

  const bool idxSigned = !idxTy->isUnsigned();
  llvm::Value *wrap = b_.getInt32(static_cast<uint32_t>(shape[axis] - 1));
  Regs out;
  for (unsigned r = 0; r < dst->numRegisters(); ++r) {
    llvm::Value *at = b_.CreateIntCast(index[r], b_.getInt32Ty(), idxSigned);
    at = b_.CreateAnd(at, wrap);
    llvm::Value *off = offset([&](unsigned d) { return d == axis ? at : coordinate(*dst, r, d); });
    llvm::Value *v =
        b_.CreateAlignedLoad(memTy, b_.CreateGEP(memTy, base, off), llvm::Align(elemBytes));
    out.push_back(regTy == memTy ? v : b_.CreateICmpNE(v, llvm::ConstantInt::get(memTy, 0)));
  }
  bind(op.result(), std::move(out));
  return true;
}

} // namespace tritonc
