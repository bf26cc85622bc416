// Shared-memory allocation (see Allocation.h): the request table (which op needs how many
// bytes, for how long), lifetimes, first-fit placement and the over-limit error.
#include "passes/Allocation.h"
#include "support/Bits.h"

#include "layout/MmaLayout.h"

#include <algorithm>
#include <sstream>
#include <unordered_set>

namespace tritonc {

namespace {

int64_t roundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

/// The linear layout of a block type, or nullopt (the lowering reports why).
std::optional<LinearLayout> layoutOf(const Type *type) {
  if (!type->isBlock())
    return std::nullopt;
  return LinearLayout::get(type->layout(), type->shape());
}

std::string describe(const Operation &op, const Type *type) {
  return "'" + std::string(op.mnemonic()) + "' of " + type->str();
}

/// The bytes a convert_layout or an FMA dot operand moved from `src` to `dst` layouts needs:
/// none if every element stays in its thread.
int64_t relayoutBytes(const Type *type, const LinearLayout &src, const LinearLayout &dst) {
  if (LinearLayout::registerMapping(src, dst, [](const LinearLayout::Coord &c) { return c; }))
    return 0;
  return relayoutTileBytes(type, src, dst);
}

/// Shared-memory wavefronts of one warp's accesses of every register of `ll` to the tile
/// `plan` lays out for `shape` (32 banks of 4 bytes: per access, the most distinct words that
/// fall in one bank). Accesses of `vec` consecutive registers at a time (vec > 1: vector
/// accesses, 16 bytes a lane at most).
int64_t bankWavefronts(const LinearLayout &ll, const std::vector<int64_t> &shape,
                       const RelayoutPlan &plan, int64_t elemBytes, unsigned vec) {
  int64_t total = 0;
  std::vector<std::vector<int64_t>> words(32);
  for (unsigned r = 0; r < ll.numRegisters(); r += vec) {
    for (auto &w : words)
      w.clear();
    for (unsigned lane = 0; lane < ll.numLanes(); ++lane)
      for (unsigned k = 0; k < vec; ++k) {
        int64_t word = plan.offset(ll.apply(r + k, lane, 0), shape) * elemBytes / 4;
        std::vector<int64_t> &bank = words[static_cast<size_t>(word % 32)];
        if (std::find(bank.begin(), bank.end(), word) == bank.end())
          bank.push_back(word);
      }
    size_t most = 1;
    for (const auto &w : words)
      most = std::max(most, w.size());
    total += static_cast<int64_t>(most);
  }
  return total;
}

/// The widest vector access of `ll` along the last dim that `plan` keeps contiguous: registers
/// holding consecutive elements whose thread part leaves the vector's low bits alone.
unsigned vectorWidth(const LinearLayout &ll, int64_t unit) {
  const unsigned last = ll.rank() - 1;
  unsigned v = std::min<unsigned>(ll.contiguousRegisters(last), static_cast<unsigned>(unit));
  while (v > 1 && (ll.threadBitsMask(last) & (v - 1)) != 0)
    v /= 2;
  return std::max(1u, v);
}

} // namespace

int64_t RelayoutPlan::offset(const LinearLayout::Coord &c,
                             const std::vector<int64_t> &shape) const {
  int64_t row = 0;
  for (size_t d = 0; d + 1 < shape.size() && d < c.size(); ++d)
    row = row * shape[d] + c[d];
  int64_t col = c.empty() ? 0 : c.back();
  if (unit > 1) {
    const int64_t units = shape.back() / unit;
    col = (((col / unit) ^ ((row / phaseRows) % units)) * unit) + col % unit;
  }
  return row * pitch + col;
}

RelayoutPlan relayoutPlan(const Type *type, const LinearLayout &src, const LinearLayout &dst) {
  const std::vector<int64_t> &shape = type->shape();
  RelayoutPlan plain;
  plain.pitch = shape.empty() ? 1 : shape.back();
  if (shape.size() < 2 || src.shape() != shape || dst.shape() != shape)
    return plain;
  const int64_t last = shape.back();
  const int64_t elemBytes = sharedElementBytes(type);
  // Cost: wavefronts of both sides, then instructions (vector accesses count once).
  auto cost = [&](const RelayoutPlan &p) {
    const unsigned vs = p.unit > 1 ? vectorWidth(src, p.unit) : 1;
    const unsigned vd = p.unit > 1 ? vectorWidth(dst, p.unit) : 1;
    return std::make_pair(bankWavefronts(src, shape, p, elemBytes, vs) +
                              bankWavefronts(dst, shape, p, elemBytes, vd),
                          src.numRegisters() / vs + dst.numRegisters() / vd);
  };
  RelayoutPlan best = plain;
  auto bestCost = cost(plain);
  RelayoutPlan padded = plain;
  padded.pitch = last + std::max<int64_t>(1, 4 / elemBytes);
  if (auto c = cost(padded); c < bestCost) {
    best = padded;
    bestCost = c;
  }
  // Swizzled: vectors of `unit` elements along the last dim, the vector index XORed with the
  // row (every phaseRows rows one step), so that both a side walking down a column and a side
  // reading whole vectors along a row spread over the banks.
  const int64_t unit = std::min<int64_t>(
      {std::max(vectorWidth(src, last), vectorWidth(dst, last)), 16 / elemBytes, last / 2});
  if (unit > 1) {
    const int64_t rows = type->numElements() / last;
    for (int64_t q = 1; q <= rows; q *= 2) {
      RelayoutPlan swizzled = plain;
      swizzled.unit = unit;
      swizzled.phaseRows = q;
      if (auto c = cost(swizzled); c < bestCost) {
        best = swizzled;
        bestCost = c;
      }
    }
  }
  return best;
}

int64_t relayoutRowPitch(const Type *type, const LinearLayout &src, const LinearLayout &dst) {
  return relayoutPlan(type, src, dst).pitch;
}

int64_t relayoutTileBytes(const Type *type, const LinearLayout &src, const LinearLayout &dst) {
  const std::vector<int64_t> &shape = type->shape();
  if (shape.empty())
    return sharedElementBytes(type);
  return type->numElements() / shape.back() * relayoutRowPitch(type, src, dst) *
         sharedElementBytes(type);
}

int64_t sharedElementBytes(const Type *type) {
  const Type *s = type->scalarType();
  if (s->isPointer())
    return 8;
  return std::max<int64_t>(1, s->bitWidth() / 8);
}

std::vector<int64_t> operandRegions(const Operation &op, int64_t slots) {
  std::vector<int64_t> offsets;
  int64_t bytes = 0;
  for (unsigned k = 0; k < op.numOperands(); ++k) {
    offsets.push_back(bytes);
    bytes += roundUp(slots * sharedElementBytes(op.operand(k)->type()), 8);
  }
  offsets.push_back(bytes);
  return offsets;
}

int64_t reduceScratchSlots(const Type *operandType, const LinearLayout &ll, unsigned axis) {
  unsigned warpBits = 0;
  for (const LinearLayout::Coord &b : ll.warpBases())
    if (b[axis] != 0)
      ++warpBits;
  if (!warpBits)
    return 0;
  return operandType->numElements() / operandType->shape()[axis] * (int64_t{1} << warpBits);
}

int64_t scanScratchSlots(const Type *operandType, unsigned axis, unsigned lo) {
  const int64_t len = operandType->shape()[axis];
  return operandType->numElements() / len * (len >> lo);
}

bool isStagedDotOperand(const Operation &convert, const LinearLayout &dst,
                        const TargetInfo &target) {
  const Value *res = convert.result();
  if (!ldmatrixCanLoad(res->type(), dst, target) || res->users().size() != 1)
    return false;
  const Operation *user = res->users()[0];
  return user->code() == OpCode::Dot && user->parent() == convert.parent() &&
         user->operand(2) != res;
}

// ---- the request table

SharedMemoryAllocation::SharedMemoryAllocation(const Function &fn, const TargetInfo &target)
    : fn_(fn), target_(target) {
  collect(*fn.body());
}

void SharedMemoryAllocation::collect(const Block &block) {
  std::vector<size_t> tiles;
  for (const auto &ptr : block.ops()) {
    const Operation &op = *ptr;
    const unsigned n = static_cast<unsigned>(numbers_.size());
    numbers_[&op] = {n, n};
    for (unsigned i = 0; i < op.numRegions(); ++i)
      collect(*op.region(i));
    numbers_[&op].second = static_cast<unsigned>(numbers_.size()) - 1;

    switch (op.code()) {
    case OpCode::ConvertLayout: {
      const Type *srcTy = op.operand(0)->type(), *dstTy = op.result()->type();
      auto src = layoutOf(srcTy), dst = layoutOf(dstTy);
      if (!src || !dst ||
          LinearLayout::registerMapping(*src, *dst, [](const LinearLayout::Coord &c) { return c; }))
        break;
      if (ldmatrixCanLoad(dstTy, *dst, target_)) {
        const int64_t bytes = srcTy->numElements() * 2;
        if (isStagedDotOperand(op, *dst, target_))
          addValueBuffer(*op.result(), bytes, 1, describe(op, srcTy) + ", staged for its dot");
        else
          addScratch(op, bytes, describe(op, srcTy));
        break;
      }
      addScratch(op, relayoutBytes(srcTy, *src, *dst), describe(op, srcTy));
      break;
    }
    case OpCode::Dot: {
      const Type *cTy = op.operand(2)->type();
      const Layout *resultLayout = op.result()->type()->layout();
      if (resultLayout && resultLayout->isMma())
        break; // mma.sync reads staged operands (value buffers) or registers
      auto acc = layoutOf(cTy);
      if (!acc || cTy->rank() < 2)
        break;
      int64_t bytes = 0;
      for (unsigned i = 0; i < 2; ++i) {
        const Type *ty = op.operand(i)->type();
        if (ty->rank() != cTy->rank())
          continue; // malformed: the lowering reports it
        if (auto src = layoutOf(ty))
          bytes =
              std::max(bytes, relayoutBytes(ty, *src, fmaDotOperandLayout(*acc, ty->shape(), i)));
      }
      addScratch(op, bytes, describe(op, op.operand(0)->type()) + " (operand relayout)");
      break;
    }
    case OpCode::Reduce: {
      const Type *srcTy = op.operand(0)->type();
      const int64_t axis = op.attrs().getInt("axis", 0);
      auto ll = layoutOf(srcTy);
      if (!ll || axis < 0 || axis >= static_cast<int64_t>(srcTy->rank()))
        break;
      const int64_t slots = reduceScratchSlots(srcTy, *ll, static_cast<unsigned>(axis));
      if (slots)
        addScratch(op, operandRegions(op, slots).back(), describe(op, srcTy) + " across warps");
      break;
    }
    case OpCode::Scan: {
      const Type *srcTy = op.operand(0)->type();
      const int64_t axis = op.attrs().getInt("axis", 0);
      auto ll = layoutOf(srcTy);
      if (!ll || axis < 0 || axis >= static_cast<int64_t>(srcTy->rank()))
        break;
      // The lowest coordinate bit a warp bit sets starts the first (largest) warp run.
      int64_t lowest = 0;
      for (const LinearLayout::Coord &b : ll->warpBases())
        if (b[axis] > 0 && (lowest == 0 || b[axis] < lowest))
          lowest = b[axis];
      if (lowest == 0)
        break;
      const unsigned lo = log2Ceil(lowest);
      const int64_t slots = scanScratchSlots(srcTy, static_cast<unsigned>(axis), lo);
      addScratch(op, operandRegions(op, slots).back(), describe(op, srcTy) + " across warps");
      break;
    }
    case OpCode::LocalAlloc: {
      const Type *type = op.result()->type();
      SharedBuffer b;
      b.kind = SharedBuffer::Kind::Tile;
      b.op = &op;
      b.value = op.result();
      b.bytesPerStage = roundUp(type->numElements() * sharedElementBytes(type), 16);
      // wgmma tiles: the hardware swizzles absolute address bits, so the 8-row (up to 1024-byte)
      // swizzle pattern must start on its period.
      b.alignment = type->layout()->sharedWgmma() ? 1024 : 128;
      b.what = describe(op, type) + " (a pipeline stage)";
      b.first = numbers_.at(&op).first;
      b.last = b.first;
      valueIndex_[op.result()] = buffers_.size();
      tiles.push_back(buffers_.size());
      buffers_.push_back(std::move(b));
      break;
    }
    case OpCode::Histogram:
      addScratch(op, op.attrs().getInt("num_bins", 0) * 4, describe(op, op.result()->type()));
      break;
    case OpCode::AtomicRMW:
    case OpCode::AtomicCas: {
      // The old values, published by the owning threads when some thread only replicates them.
      if (op.numResults() != 1 || !op.result()->hasUses())
        break;
      const Type *type = op.result()->type();
      if (!type->isBlock()) {
        addScratch(op, sharedElementBytes(type), describe(op, type) + " (old value)");
        break;
      }
      auto ll = layoutOf(type);
      if (ll && (ll->freeLaneMask() || ll->freeWarpMask()))
        addScratch(op, type->numElements() * sharedElementBytes(type),
                   describe(op, type) + " (old values)");
      break;
    }
    default:
      break;
    }
  }
  if (!tiles.empty())
    endTileLifetimes(block, tiles);
}

namespace {
bool isTile(const Value *v) {
  const Layout *l = v->type()->layout();
  return v->type()->isBlock() && l && l->isShared();
}
/// Whether `op` reads or defines a tile of its block: a tile operand or result of its own, or a
/// use nested in it of a tile defined in the block (`blockTiles`). Tiles an op's regions make
/// for themselves do not count: their own blocks drain them.
bool touchesBlockTile(const Operation &op, const std::unordered_set<const Value *> &blockTiles) {
  for (const Value *v : op.operands())
    if (isTile(v))
      return true;
  for (const Value *v : op.results())
    if (isTile(v))
      return true;
  bool captured = false;
  for (unsigned r = 0; r < op.numRegions() && !captured; ++r)
    op.region(r)->walk([&](Operation *nested) {
      for (const Value *v : nested->operands())
        captured |= blockTiles.count(v) > 0;
    });
  return captured;
}
} // namespace

void SharedMemoryAllocation::endTileLifetimes(const Block &block,
                                              const std::vector<size_t> &tiles) {
  std::unordered_set<const Value *> blockTiles;
  for (const auto &op : block.ops())
    for (const Value *v : op->results())
      if (isTile(v))
        blockTiles.insert(v);
  const Operation *lastTouch = nullptr;
  for (const auto &op : block.ops())
    if (touchesBlockTile(*op, blockTiles))
      lastTouch = op.get();
  unsigned end = numbers_.at(lastTouch).second;
  bool past = false;
  for (const auto &op : block.ops()) {
    if (past && op->code() == OpCode::AsyncWait && op->attrs().getInt("pending", -1) == 0) {
      end = numbers_.at(op.get()).first;
      break;
    }
    past |= op.get() == lastTouch;
  }
  for (size_t i : tiles)
    buffers_[i].last = std::max(buffers_[i].last, end);
}

void SharedMemoryAllocation::addScratch(const Operation &op, int64_t bytes, std::string what,
                                        unsigned alignment) {
  if (bytes <= 0)
    return;
  if (auto it = scratchIndex_.find(&op); it != scratchIndex_.end()) {
    SharedBuffer &b = buffers_[it->second];
    b.bytesPerStage = std::max(b.bytesPerStage, roundUp(bytes, 16));
    return;
  }
  SharedBuffer b;
  b.kind = SharedBuffer::Kind::Scratch;
  b.op = &op;
  b.bytesPerStage = roundUp(bytes, 16);
  b.alignment = std::max(16u, alignment);
  b.what = std::move(what);
  b.first = numbers_.at(&op).first;
  b.last = numbers_.at(&op).second;
  scratchIndex_[&op] = buffers_.size();
  buffers_.push_back(std::move(b));
}

void SharedMemoryAllocation::addValueBuffer(const Value &value, int64_t bytesPerStage,
                                            unsigned stages, std::string what, unsigned alignment) {
  const Operation *def = value.definingOp();
  if (!def || bytesPerStage <= 0 || stages == 0)
    return;
  SharedBuffer b;
  b.kind = SharedBuffer::Kind::Value;
  b.op = def;
  b.value = &value;
  b.bytesPerStage = roundUp(bytesPerStage, 16);
  b.stages = stages;
  b.alignment = std::max(16u, alignment);
  b.what = std::move(what);
  valueIndex_[&value] = buffers_.size(); // lifetime: in assignOffsets, once every op is numbered
  buffers_.push_back(std::move(b));
}

// ---- placement

void SharedMemoryAllocation::assignOffsets() {
  // A value buffer lives from its defining op to its last use, each use counting as the op of
  // the defining block that contains it.
  for (SharedBuffer &b : buffers_) {
    if (b.kind != SharedBuffer::Kind::Value)
      continue;
    b.first = numbers_.at(b.op).first;
    b.last = numbers_.at(b.op).second;
    for (const Operation *user : b.value->users()) {
      const Operation *at = user;
      while (at && at->parent() != b.op->parent())
        at = at->parentOp();
      if (at)
        b.last = std::max(b.last, numbers_.at(at).second);
    }
  }
  std::vector<size_t> order(buffers_.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (buffers_[a].bytes() != buffers_[b].bytes())
      return buffers_[a].bytes() > buffers_[b].bytes();
    return buffers_[a].first < buffers_[b].first;
  });
  std::vector<size_t> placed;
  total_ = 0;
  for (size_t i : order) {
    SharedBuffer &buf = buffers_[i];
    buf.offset = firstFit(buf, placed);
    placed.push_back(i);
    total_ = std::max(total_, buf.offset + buf.bytes());
  }
}

int64_t SharedMemoryAllocation::firstFit(const SharedBuffer &buf,
                                         const std::vector<size_t> &placed) const {
  // The lowest aligned offset that overlaps no live placed buffer: 0 or the end of one.
  std::vector<int64_t> candidates{0};
  for (size_t j : placed)
    if (buf.overlapsInTime(buffers_[j]))
      candidates.push_back(roundUp(buffers_[j].offset + buffers_[j].bytes(), buf.alignment));
  std::sort(candidates.begin(), candidates.end());
  for (int64_t at : candidates) {
    bool free = true;
    for (size_t j : placed) {
      const SharedBuffer &o = buffers_[j];
      if (buf.overlapsInTime(o) && at < o.offset + o.bytes() && o.offset < at + buf.bytes()) {
        free = false;
        break;
      }
    }
    if (free)
      return at;
  }
  return candidates.back(); // not reached: the end of the last one is always free
}

int64_t SharedMemoryAllocation::placeUnplanned(const Operation &op, int64_t bytes) const {
  SharedBuffer buf;
  buf.bytesPerStage = roundUp(bytes, 16);
  buf.first = numbers_.at(&op).first;
  buf.last = numbers_.at(&op).second;
  std::vector<size_t> placed(buffers_.size());
  for (size_t i = 0; i < placed.size(); ++i)
    placed[i] = i;
  return firstFit(buf, placed);
}

const SharedBuffer *SharedMemoryAllocation::scratch(const Operation &op) const {
  auto it = scratchIndex_.find(&op);
  return it == scratchIndex_.end() ? nullptr : &buffers_[it->second];
}

const SharedBuffer *SharedMemoryAllocation::valueBuffer(const Value &value) const {
  auto it = valueIndex_.find(&value);
  return it == valueIndex_.end() ? nullptr : &buffers_[it->second];
}

// ---- reports

bool SharedMemoryAllocation::checkLimit(DiagnosticEngine &diags) const {
  if (fits())
    return true;
  // The largest of the buffers live together with the one that ends highest (those that make
  // the total) and of those too large on their own; alike buffers (the stages of one pipelined
  // load) form one note with a count.
  auto fitsAlone = [&](const SharedBuffer &b) {
    return b.bytes() <= static_cast<int64_t>(target_.sharedMemoryBytes);
  };
  const SharedBuffer *highest = &buffers_.front();
  for (const SharedBuffer &b : buffers_)
    if (b.offset + b.bytes() > highest->offset + highest->bytes())
      highest = &b;
  std::vector<const SharedBuffer *> bySize;
  for (const SharedBuffer &b : buffers_)
    if (b.overlapsInTime(*highest) || !fitsAlone(b))
      bySize.push_back(&b);
  std::stable_sort(bySize.begin(), bySize.end(), [](const SharedBuffer *a, const SharedBuffer *b) {
    return a->bytes() > b->bytes();
  });
  std::vector<const SharedBuffer *> largest;
  std::vector<unsigned> counts;
  for (const SharedBuffer *b : bySize) {
    bool counted = false;
    for (size_t i = 0; i < largest.size() && !counted; ++i)
      if (largest[i]->what == b->what && largest[i]->bytes() == b->bytes() &&
          largest[i]->op->loc() == b->op->loc()) {
        ++counts[i];
        counted = true;
      }
    if (!counted && largest.size() < 3) {
      largest.push_back(b);
      counts.push_back(1);
    }
  }
  // The knobs that shrink the buffers: the block sizes always; num_stages where pipelining
  // multiplies buffers; num_warps where the largest is a reduction's or scan's cross-warp step.
  const SharedBuffer &top = *largest.front();
  bool staged = false;
  for (const SharedBuffer &b : buffers_)
    staged |= b.stages > 1 || b.kind == SharedBuffer::Kind::Tile;
  std::string knob = "use smaller block sizes (the BLOCK constexprs)";
  if (staged)
    knob += " or fewer num_stages";
  else if (top.op->code() == OpCode::Reduce || top.op->code() == OpCode::Scan)
    knob += " or fewer num_warps";
  Diagnostic &d =
      diags.error(fn_.loc(), "kernel '" + fn_.name() + "' needs " + std::to_string(total_) +
                                 " bytes of shared memory, more than the " +
                                 std::to_string(target_.sharedMemoryBytes) + " bytes " +
                                 target_.arch + " allows; " + knob);
  for (size_t i = 0; i < largest.size(); ++i) {
    const SharedBuffer *b = largest[i];
    std::string stages = b->stages > 1 ? " (" + std::to_string(b->stages) + " stages of " +
                                             std::to_string(b->bytesPerStage) + ")"
                                       : "";
    std::string bytes =
        counts[i] > 1 ? std::to_string(counts[i]) + " x " + std::to_string(b->bytes()) + " bytes"
                      : std::to_string(b->bytes()) + " bytes";
    d.notes.push_back({b->op->loc(), bytes + stages + " for " + b->what});
  }
  return false;
}

std::string SharedMemoryAllocation::str() const {
  std::vector<const SharedBuffer *> byOffset;
  for (const SharedBuffer &b : buffers_)
    byOffset.push_back(&b);
  std::stable_sort(byOffset.begin(), byOffset.end(),
                   [](const SharedBuffer *a, const SharedBuffer *b) {
                     return a->offset != b->offset ? a->offset < b->offset : a->first < b->first;
                   });
  std::ostringstream os;
  os << "shared memory of kernel '" << fn_.name() << "': " << total_ << " bytes (limit "
     << target_.sharedMemoryBytes << " on " << target_.arch << ")\n";
  for (const SharedBuffer *b : byOffset) {
    os << "  [" << b->offset << ", " << b->offset + b->bytes() << ") "
       << (b->kind == SharedBuffer::Kind::Scratch ? "scratch"
           : b->kind == SharedBuffer::Kind::Value ? "value  "
                                                  : "tile   ")
       << " ops " << b->first << ".." << b->last << "  " << b->what;
    if (b->stages > 1)
      os << " x" << b->stages;
    if (b->op->loc().isValid())
      os << "  (line " << b->op->loc().line << ")";
    os << "\n";
  }
  return os.str();
}

} // namespace tritonc
