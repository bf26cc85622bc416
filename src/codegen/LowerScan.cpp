// scan: the inclusive prefix of N blocks along `axis` under the op's combine region
// (`reverse`: from the last element towards the first), in the result's layout, which is the
// operand's.
//
// The coordinate along `axis` of an element is the XOR of the bases of its register, lane and
// warp bits; in the layouts we lower each basis along the axis is a distinct power of two, so
// every coordinate bit is set by exactly one register, lane or warp bit. The scan walks the
// coordinate bits from the lowest up and keeps, for every register, its inclusive prefix `p`
// within the group of elements that agree on the bits above the current one, and that group's
// total `t` (shared by the registers of the group). Merging two groups along the next bit
// gives the upper group's elements the lower group's total in front: p = combine(t_lower, p).
// Consecutive bits of one kind are handled together, as Triton does:
//   - register bits: within the thread, folding the groups' totals in order (the first run is
//     the plain sequential in-thread scan);
//   - lane bits: one butterfly step per bit (shuffle_xor of the totals; the upper lane puts the
//     partner's total in front of its exclusive offset and total, the lower one behind its
//     total), then the exclusive offset is applied to every register of the group;
//   - warp bits: through shared memory (as reduce): each group's total is stored at its
//     position, barrier, every thread folds the totals of the lower-ordered warps.
// With `reverse` the order along the axis is reversed: the group with the bit clear is the
// upper one, and combine's first argument is always the accumulation of the elements that
// come first in scan order (as the interpreter and Triton apply it).
#include "codegen/Lowering.h"
#include "support/Bits.h"

namespace tritonc {

namespace {

enum class BitKind { Register, Lane, Warp };

/// The register, lane or warp bit that sets one coordinate bit along the scan axis.
struct AxisBit {
  BitKind kind = BitKind::Register;
  unsigned index = 0; ///< the bit of the register index, lane id or warp id
  bool set = false;
};

using Values = std::vector<llvm::Value *>;

} // namespace

bool KernelLowering::lowerScan(const Operation &op) {
  const unsigned n = op.numOperands();
  const Type *srcTy = op.operand(0)->type();
  const int64_t axisAttr = op.attrs().getInt("axis", 0);
  if (n == 0 || !srcTy->isBlock() || axisAttr < 0 ||
      axisAttr >= static_cast<int64_t>(srcTy->rank()) || op.numResults() != n ||
      op.region(0)->numArguments() != 2 * n)
    return error(op, "malformed 'scan'");
  const unsigned axis = static_cast<unsigned>(axisAttr);
  const bool reverse = op.attrs().getBool("reverse", false);
  const LinearLayout *ll = linearLayout(srcTy, op);
  if (!ll)
    return false;
  for (unsigned k = 0; k < n; ++k) {
    const LinearLayout *other = linearLayout(op.result(k)->type(), op);
    if (!other)
      return false;
    const LinearLayout *operand = linearLayout(op.operand(k)->type(), op);
    if (!operand)
      return false;
    if (!(*other == *ll) || !(*operand == *ll))
      return error(op, "the operands and results of scan must share one layout");
  }

  // Which register / lane / warp bit sets each coordinate bit along the axis.
  const int64_t len = srcTy->shape()[axis];
  unsigned numBits = 0;
  while ((int64_t{1} << numBits) < len)
    ++numBits;
  std::vector<AxisBit> bits(numBits);
  auto mixed = [&] {
    return error(op, "scan over " + srcTy->str() +
                         ": the layout does not give each coordinate bit of dim " +
                         std::to_string(axis) + " its own register, lane or warp bit");
  };
  const std::pair<BitKind, const std::vector<LinearLayout::Coord> *> kinds[] = {
      {BitKind::Register, &ll->regBases()},
      {BitKind::Lane, &ll->laneBases()},
      {BitKind::Warp, &ll->warpBases()}};
  for (const auto &[kind, bases] : kinds)
    for (unsigned i = 0; i < bases->size(); ++i) {
      const LinearLayout::Coord &basis = (*bases)[i];
      const int64_t c = basis[axis];
      if (c == 0)
        continue;
      for (unsigned d = 0; d < basis.size(); ++d)
        if (d != axis && basis[d] != 0)
          return mixed();
      if (!isPowerOf2(c) || c >= len)
        return mixed();
      unsigned pos = 0;
      while ((int64_t{1} << pos) != c)
        ++pos;
      if (bits[pos].set)
        return mixed();
      bits[pos] = {kind, i, true};
    }
  for (const AxisBit &bit : bits)
    if (!bit.set)
      return mixed();

  const unsigned numRegs = ll->numRegisters();
  std::vector<Values> p(numRegs), t(numRegs);
  for (unsigned r = 0; r < numRegs; ++r)
    for (unsigned k = 0; k < n; ++k)
      p[r].push_back(regs(op.operand(k))[r]);
  t = p;
  // The register bits already scanned: registers differing only in them form one group.
  uint32_t groupRegMask = 0;
  auto groupOf = [&](unsigned r) { return r & ~groupRegMask; };
  auto select = [&](llvm::Value *cond, const Values &a, const Values &b) {
    Values out;
    for (size_t k = 0; k < a.size(); ++k)
      out.push_back(b_.CreateSelect(cond, a[k], b[k]));
    return out;
  };
  // Puts the exclusive offset `e` (where `valid`; nullptr: always) in front of every register
  // of group `g`, and makes `total` the group's total.
  auto applyOffset = [&](unsigned g, const Values &e, llvm::Value *valid,
                         const Values &total) -> bool {
    for (unsigned r = 0; r < numRegs; ++r) {
      if (groupOf(r) != g)
        continue;
      Values withOffset = combine(op, e, p[r]);
      if (withOffset.empty())
        return false;
      p[r] = valid ? select(valid, withOffset, p[r]) : withOffset;
      t[r] = total;
    }
    return true;
  };

  for (unsigned lo = 0; lo < numBits;) {
    unsigned hi = lo + 1;
    while (hi < numBits && bits[hi].kind == bits[lo].kind)
      ++hi;
    const unsigned m = hi - lo;
    const unsigned count = 1u << m;
    // The position in scan order of the group whose run bits are `ordinal`.
    auto order = [&](unsigned ordinal) { return reverse ? count - 1 - ordinal : ordinal; };

    switch (bits[lo].kind) {
    case BitKind::Register: {
      uint32_t runMask = 0;
      for (unsigned j = lo; j < hi; ++j)
        runMask |= 1u << bits[j].index;
      auto member = [&](unsigned base, unsigned ordinal) {
        for (unsigned j = 0; j < m; ++j)
          if (ordinal & (1u << j))
            base |= 1u << bits[lo + j].index;
        return base;
      };
      for (unsigned base = 0; base < numRegs; ++base) {
        if ((base & runMask) != 0)
          continue;
        // Exclusive offsets in scan order, then the new total for all.
        std::vector<Values> excl(count);
        Values acc;
        for (unsigned s = 0; s < count; ++s) {
          const Values &total = t[member(base, order(s))];
          excl[s] = acc;
          acc = s == 0 ? total : combine(op, acc, total);
          if (acc.empty())
            return false;
        }
        for (unsigned s = 0; s < count; ++s) {
          const unsigned r = member(base, order(s));
          if (s > 0) {
            p[r] = combine(op, excl[s], p[r]);
            if (p[r].empty())
              return false;
          }
          t[r] = acc;
        }
      }
      groupRegMask |= runMask;
      break;
    }
    case BitKind::Lane: {
      // Per group: its total, the exclusive offset of this lane's part and whether it has one.
      std::map<unsigned, std::pair<Values, Values>> state;
      std::map<unsigned, llvm::Value *> valid;
      for (unsigned r = 0; r < numRegs; ++r)
        state.try_emplace(groupOf(r), t[r], Values{});
      for (unsigned j = lo; j < hi; ++j) {
        const unsigned laneMask = 1u << bits[j].index;
        llvm::Value *upper = b_.CreateICmpNE(b_.CreateAnd(laneId_, laneMask), b_.getInt32(0));
        if (reverse)
          upper = b_.CreateNot(upper);
        for (auto &[g, st] : state) {
          auto &[total, e] = st;
          Values partner;
          for (llvm::Value *v : total)
            partner.push_back(shuffleXor(v, laneMask));
          Values front = combine(op, partner, total);
          if (front.empty())
            return false;
          Values back = combine(op, total, partner);
          if (back.empty())
            return false;
          Values offset = partner;
          if (!e.empty()) {
            Values both = combine(op, partner, e);
            if (both.empty())
              return false;
            offset = select(valid[g], both, partner);
            e = select(upper, offset, e);
            valid[g] = b_.CreateOr(valid[g], upper);
          } else {
            e = offset; // meaningful only where `upper`
            valid[g] = upper;
          }
          total = select(upper, front, back);
        }
      }
      for (auto &[g, st] : state)
        if (!applyOffset(g, st.second, valid[g], st.first))
          return false;
      break;
    }
    case BitKind::Warp: {
      // Shared memory: for each operand, one slot per element with the coordinate bits below
      // `lo` dropped; the run's bits are the lowest of the (innermost) axis index.
      const std::vector<int64_t> &shape = srcTy->shape();
      const int64_t axisSlots = len >> lo;
      const int64_t slots = scanScratchSlots(srcTy, axis, lo);
      std::vector<llvm::Type *> memTys;
      for (unsigned k = 0; k < n; ++k)
        memTys.push_back(memoryType(op.operand(k)->type()));
      const std::vector<int64_t> offsets = operandRegions(op, slots);
      llvm::Value *smem = sharedScratch(op, offsets.back());
      if (!smem)
        return false;
      auto slot = [&](unsigned k, llvm::Value *index) {
        llvm::Value *region = b_.CreateConstGEP1_64(b_.getInt8Ty(), smem, offsets[k]);
        return b_.CreateGEP(memTys[k], region, index);
      };
      // Per group: the slot index of its first register, with the run bits cleared, and the
      // run bits (this warp's ordinal).
      std::map<unsigned, std::pair<llvm::Value *, llvm::Value *>> where;
      for (unsigned r = 0; r < numRegs; ++r) {
        const unsigned g = groupOf(r);
        if (where.count(g))
          continue;
        // Row-major over the other dims, the axis innermost (so the ordinal can be OR'ed in).
        llvm::Value *index = b_.getInt32(0), *ordinal = nullptr, *along = nullptr;
        int64_t stride = axisSlots;
        for (unsigned d = srcTy->rank(); d-- > 0;) {
          llvm::Value *c = coordinate(*ll, r, d);
          if (d == axis) {
            c = b_.CreateLShr(c, lo);
            ordinal = b_.CreateAnd(c, count - 1);
            along = b_.CreateAnd(c, ~(count - 1));
            continue;
          }
          index = b_.CreateAdd(index, b_.CreateMul(c, b_.getInt32(static_cast<uint32_t>(stride))));
          stride *= shape[d];
        }
        index = b_.CreateAdd(index, along);
        where[g] = {index, ordinal};
      }
      target_.barrier(b_);
      for (auto &[g, w] : where)
        for (unsigned k = 0; k < n; ++k) {
          llvm::Value *v = t[g][k];
          if (v->getType() != memTys[k])
            v = b_.CreateZExt(v, memTys[k]);
          b_.CreateStore(v, slot(k, b_.CreateOr(w.first, w.second)));
        }
      target_.barrier(b_);
      for (auto &[g, w] : where) {
        llvm::Value *mine = reverse ? b_.CreateSub(b_.getInt32(count - 1), w.second) : w.second;
        Values acc, e;
        for (unsigned s = 0; s < count; ++s) {
          llvm::Value *index = b_.CreateOr(w.first, b_.getInt32(order(s)));
          Values partial;
          for (unsigned k = 0; k < n; ++k) {
            llvm::Value *v = b_.CreateLoad(memTys[k], slot(k, index));
            if (memTys[k] != t[g][k]->getType())
              v = b_.CreateICmpNE(v, llvm::ConstantInt::get(memTys[k], 0));
            partial.push_back(v);
          }
          if (s == 0) {
            acc = partial;
            continue;
          }
          e = s == 1 ? acc : select(b_.CreateICmpEQ(mine, b_.getInt32(s)), acc, e);
          acc = combine(op, acc, partial);
          if (acc.empty())
            return false;
        }
        if (!applyOffset(g, e, b_.CreateICmpNE(mine, b_.getInt32(0)), acc))
          return false;
      }
      break;
    }
    }
    lo = hi;
  }

  for (unsigned k = 0; k < n; ++k) {
    Regs out;
    for (unsigned r = 0; r < numRegs; ++r)
      out.push_back(p[r][k]);
    bind(op.result(k), std::move(out));
  }
  return true;
}

} // namespace tritonc
