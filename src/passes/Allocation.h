// Shared-memory allocation: an analysis over a GPU-IR kernel that lays out, before lowering,
// every buffer the kernel keeps in shared memory, and the kernel's total (the dynamic shared
// memory it is launched with). Codegen asks it for each op's offset; it keeps no tally of its
// own. Triton's lib/Analysis/Allocation.cpp is the model.
//
// A buffer has a size, an alignment and a lifetime: an interval of the kernel's ops numbered
// in program order (pre-order: an op with regions comes before the ops inside it and its
// interval covers them). Two kinds:
//   - scratch: an op's temporary, live while that op runs ([op, op]): convert_layout between
//     layouts that move elements between threads, the FMA dot's operand relayout, reduce and
//     scan across warps, histogram counters, atomics that publish their old values;
//   - value: holds an SSA value in shared memory from its defining op to its last use (a use
//     inside a region counts as the use of the op owning that region in the defining block):
//     a dot operand staged for ldmatrix, live from its convert_layout to its dot. A value
//     buffer may hold `stages` copies of `bytesPerStage` (the multi-buffering of software
//     pipelining): an op that defines such a buffer gets a case in the request table
//     (Allocation.cpp, requestBuffers), or a caller adds it with addValueBuffer before
//     assignOffsets;
//   - tile: a local_alloc tile (a stage of software pipelining's cp.async copies). The tile's
//     storage flows through async_copy results and loop-carried values, so its lifetime is not
//     its SSA value's: it lives from its local_alloc to the `async_wait {pending = 0}` that
//     follows the last op of its block touching any tile (the drain: no copy is in flight
//     after it), or to that last op if there is no drain. Tiles are 128-byte aligned (a row of
//     the 32 banks, which their swizzle assumes).
// Offsets: buffers are placed largest first (then earliest), each at the lowest aligned offset
// at which it overlaps no placed buffer whose lifetime overlaps its own. Buffers whose
// lifetimes are disjoint share bytes. Every buffer is 16-byte aligned and its size rounded to
// 16 bytes (the widest vector access).
//
// The sizes come from the same helpers the lowering uses (scratch regions per operand of
// reduce and scan, the ldmatrix and FMA layouts of layout/), so the two cannot disagree.
// Not in the table yet: the shape ops (trans, reshape, join, split, cat) and gather, whose need
// follows from their lowering's layout maths (codegen/LowerShape.cpp, LowerGather.cpp); their
// scratch is placed while lowering (placeUnplanned), clear of the buffers live at the op, and
// they are neither in str() nor in checkLimit (the lowering reports their overflow at the op).
#pragma once

#include "ir/IR.h"
#include "layout/LinearLayout.h"
#include "support/Diagnostics.h"
#include "support/TargetInfo.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tritonc {

struct SharedBuffer {
  enum class Kind { Scratch, Value, Tile };
  Kind kind = Kind::Scratch;
  const Operation *op = nullptr; ///< the op that uses (scratch) or defines (value) it
  const Value *value = nullptr;  ///< value and tile buffers: the value held
  int64_t bytesPerStage = 0;
  unsigned stages = 1;     ///< copies (multi-buffering); bytes() = bytesPerStage * stages
  unsigned alignment = 16; ///< a power of two, at most 16 unless a caller asks for more
  std::string what;        ///< for messages: "convert_layout of tensor<...>"
  unsigned first = 0;      ///< lifetime: op numbers [first, last]
  unsigned last = 0;
  int64_t offset = -1; ///< from the start of the kernel's shared memory; -1 before placement

  int64_t bytes() const { return bytesPerStage * stages; }
  bool overlapsInTime(const SharedBuffer &o) const { return first <= o.last && o.first <= last; }
};

class SharedMemoryAllocation {
public:
  /// Collects the buffers the kernel's ops need (lifetimes numbered, offsets not yet placed).
  SharedMemoryAllocation(const Function &fn, const TargetInfo &target);

  /// Adds a buffer holding `value` (live from its defining op to its last use) of `stages`
  /// copies of `bytesPerStage`. Call before assignOffsets.
  void addValueBuffer(const Value &value, int64_t bytesPerStage, unsigned stages, std::string what,
                      unsigned alignment = 16);
  /// Adds scratch for `op` (only live while it runs); an op has at most one scratch buffer,
  /// so a second call keeps the larger size.
  void addScratch(const Operation &op, int64_t bytes, std::string what, unsigned alignment = 16);

  /// Places every buffer and computes the total.
  void assignOffsets();

  /// The total bytes the kernel needs (0 without buffers); valid after assignOffsets.
  int64_t totalBytes() const { return total_; }
  bool fits() const { return total_ <= static_cast<int64_t>(target_.sharedMemoryBytes); }
  /// If the total exceeds the target's limit, reports an error at the kernel naming the bytes,
  /// the limit, the largest buffers (as notes at their ops) and the knob to turn; returns
  /// whether it fit.
  bool checkLimit(DiagnosticEngine &diags) const;

  /// For scratch of `bytes` that `op` needs but the request table does not size (the shape ops
  /// and gather, whose need follows from their lowering's layout maths): the lowest offset at
  /// which it overlaps no buffer live while `op` runs. The kernel then needs at least
  /// offset + bytes (rounded to 16). Valid after assignOffsets.
  int64_t placeUnplanned(const Operation &op, int64_t bytes) const;

  /// Op `op`'s scratch buffer, or nullptr if it has none.
  const SharedBuffer *scratch(const Operation &op) const;
  /// The buffer holding `value`, or nullptr if it is not kept in shared memory.
  const SharedBuffer *valueBuffer(const Value &value) const;
  const std::vector<SharedBuffer> &buffers() const { return buffers_; }

  /// One line per buffer, by offset: "[offset, end) bytes kind  what  (line L)", then the total.
  std::string str() const;

private:
  void collect(const Block &block);
  /// Ends the lifetimes of `block`'s tiles (buffer indices) at the block's drain.
  void endTileLifetimes(const Block &block, const std::vector<size_t> &tiles);
  /// The lowest offset, aligned for `buf`, at which `buf` overlaps none of the buffers
  /// `placed` (indices into buffers_) whose lifetimes overlap its own.
  int64_t firstFit(const SharedBuffer &buf, const std::vector<size_t> &placed) const;

  const Function &fn_;
  const TargetInfo &target_;
  std::vector<SharedBuffer> buffers_;
  std::unordered_map<const Operation *, size_t> scratchIndex_;
  std::unordered_map<const Value *, size_t> valueIndex_;
  /// Per op: its number and the number of the last op nested in it (itself if none).
  std::unordered_map<const Operation *, std::pair<unsigned, unsigned>> numbers_;
  int64_t total_ = 0;
};

// ---- Sizes shared with the lowering

/// Bytes one element of `type` (its scalar) takes in shared memory: i1 is stored as a byte,
/// pointers as 8 bytes.
int64_t sharedElementBytes(const Type *type);

/// How an element-wise relayout (convert_layout, an FMA dot's operands, shape ops) lays out the
/// tile through which it moves a block: rows (every dim but the last, row-major) of `pitch`
/// elements; with `unit` > 1, swizzled: the last dim in vectors of `unit` elements, the vector
/// index XORed with (row / phaseRows) % (last / unit), so that each side accesses whole vectors
/// where its registers hold them and a side walking down a column spreads over the banks.
struct RelayoutPlan {
  int64_t pitch = 1;
  int64_t unit = 1;
  int64_t phaseRows = 1;
  /// The element offset of coordinate `c` of a block of `shape`.
  int64_t offset(const LinearLayout::Coord &c, const std::vector<int64_t> &shape) const;
};

/// The plan for moving a block of `type` from `src` to `dst`: of row-major with the last dim's
/// size as pitch, that plus one 4-byte bank word (padding), and the swizzles, the one with the
/// fewest shared-memory wavefronts over both sides' accesses (then the fewest instructions).
RelayoutPlan relayoutPlan(const Type *type, const LinearLayout &src, const LinearLayout &dst);

/// The row pitch, in elements, of the row-major tile through which an element-wise relayout
/// (convert_layout, an FMA dot's operands, shape ops) moves a block of `type` from `src` to `dst`
/// layout: the last dim's size, or that plus one 4-byte bank word when the padding lowers the
/// bank conflicts of the two sides' accesses (a transpose: one side's lanes walk down a column,
/// every row at the same bank without it). Counted per register of one warp: for each bank,
/// the distinct words the lanes touch.
int64_t relayoutRowPitch(const Type *type, const LinearLayout &src, const LinearLayout &dst);

/// The bytes of that tile: the rows times the pitch.
int64_t relayoutTileBytes(const Type *type, const LinearLayout &src, const LinearLayout &dst);

/// The regions of a scratch buffer holding `slots` elements of each of `op`'s operands, one
/// after the other, each 8-byte aligned: the offset of each, then the total as the last entry.
std::vector<int64_t> operandRegions(const Operation &op, int64_t slots);

/// reduce across warps: slots per operand (output elements times the warps along the axis);
/// 0 if the reduce stays within warps.
int64_t reduceScratchSlots(const Type *operandType, const LinearLayout &ll, unsigned axis);

/// scan: the slots per operand of the shared-memory step for the run of warp bits that starts
/// at coordinate bit `lo` of the axis (the first such run needs the most).
int64_t scanScratchSlots(const Type *operandType, unsigned axis, unsigned lo);

/// Whether a convert_layout result of `type` is staged in shared memory until its single
/// reader, a dot in the same block, is lowered (the ldmatrix path).
bool isStagedDotOperand(const Operation &convert, const LinearLayout &dst,
                        const TargetInfo &target);

} // namespace tritonc
