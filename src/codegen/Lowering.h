// Private to src/codegen: the lowering of one GPU-IR kernel to an LLVM function.
//
// Every IR value becomes, in each thread, an array of LLVM values: one per register of its
// layout (LinearLayout numbering; a scalar has one). Elementwise ops map register i of the
// operands to register i of the result (operands share the result's layout by the verifier's
// rule). Ops that move data (broadcast, expand_dims, convert_layout) use the layout maths to
// find which register holds which element. Structured control flow becomes basic blocks with
// one phi per register of each carried value.
//
// The implementation is split by concern: Lowering.cpp (kernel, dispatch, constants, control
// flow), LowerElementwise.cpp (arith, casts incl. fp8, math, extern calls), LowerMemory.cpp
// (load, store), LowerLayout.cpp (index maths, splat/broadcast/expand_dims/convert_layout),
// LowerReduce.cpp (reduce), LowerScan.cpp (scan), LowerHistogram.cpp (histogram),
// LowerDebug.cpp (print, assert), LowerAtomic.cpp (atomics), LowerDot.cpp (dot: FMA and
// mma.sync), LowerDotOperand.cpp (operands into mma.sync fragments with ldmatrix),
// LowerShape.cpp (trans, reshape, join, split, cat), LowerGather.cpp (gather),
// LowerSharedTile.cpp (shared-memory tiles: local_alloc, async_copy, async_wait, local_load),
// LowerWgmma.cpp (dot on sm_90a wgmma).
#pragma once

#include "codegen/Codegen.h"
#include "codegen/LineInfo.h"
#include "layout/LinearLayout.h"
#include "passes/Allocation.h"

#include <llvm/IR/IRBuilder.h>

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace tritonc {

/// The registers of one IR value in one thread.
using Regs = std::vector<llvm::Value *>;

class KernelLowering {
public:
  KernelLowering(const Function &fn, const Target &target, llvm::Module &module,
                 DiagnosticEngine &diags);
  /// Emits the kernel into the module and describes it in `info`. False after an error.
  bool run(KernelInfo &info);
  /// With a line table (-lineinfo), every instruction carries its op's source location.
  void setLineTable(LineTable *lines) { lines_ = lines; }

private:
  // ---- Lowering.cpp
  /// Its ops up to (not including) the terminator; `synced`: entered right after a barrier
  /// with no shared-memory store since (else unknown).
  bool lowerBlock(const Block &block, bool synced = false);
  bool lowerOp(const Operation &op);
  bool lowerConstant(const Operation &op);
  bool lowerMakeRange(const Operation &op);
  bool lowerFor(const Operation &op);
  bool lowerIf(const Operation &op);
  bool lowerWhile(const Operation &op);
  void describeParams(KernelInfo &info) const;

  // ---- LowerElementwise.cpp
  bool lowerElementwise(const Operation &op);
  /// One register of an elementwise op; nullptr after reporting an error.
  llvm::Value *elementwise(const Operation &op, const std::vector<llvm::Value *> &args);
  /// A numeric cast of one register; nullptr after reporting an error at `op`.
  llvm::Value *cast(const Operation &op, llvm::Value *v, const Type *from, const Type *to,
                    bool towardZero);
  /// f32 → f16 / bf16 rounding toward zero.
  llvm::Value *truncateTowardZero(llvm::Value *f32, ScalarKind kind);
  llvm::Value *math(const Operation &op, std::vector<llvm::Value *> args);
  llvm::Value *externCall(const Operation &op, std::vector<llvm::Value *> args);
  llvm::Value *callLibrary(const Operation &op, const std::string &symbol,
                           llvm::ArrayRef<llvm::Value *> args, llvm::Type *resultType);
  llvm::Value *fp8ToFloat(llvm::Value *bits, ScalarKind kind);
  llvm::Value *floatToFp8(llvm::Value *f32, ScalarKind kind);

  // ---- LowerMemory.cpp
  bool lowerLoad(const Operation &op);
  bool lowerStore(const Operation &op);
  /// Elements per access for a load/store of `type`: the `requested` width (its `vec` or
  /// `vec_unmasked`, ir/MemoryAttrs.h) clamped to the layout's contiguous registers and the
  /// widest access.
  unsigned accessWidth(int64_t requested, const Type *type, const LinearLayout &ll);
  /// The conjunction of `mask[first, first + count)`.
  llvm::Value *allOf(const Regs &mask, size_t first, unsigned count);
  bool memoryHints(const Operation &op, bool isStore, MemoryHints &hints);

  // ---- LowerAtomic.cpp
  bool lowerAtomic(const Operation &op);

  // ---- LowerReduce.cpp
  bool lowerReduce(const Operation &op);
  /// The op's combine region applied to (accumulators, new values); empty after an error.
  std::vector<llvm::Value *> combine(const Operation &op, const std::vector<llvm::Value *> &acc,
                                     const std::vector<llvm::Value *> &next);
  /// Target::shuffleXor for a register of any type (moved as 32-bit words).
  llvm::Value *shuffleXor(llvm::Value *v, unsigned laneMask);

  // ---- LowerScan.cpp
  bool lowerScan(const Operation &op);

  // ---- LowerHistogram.cpp
  bool lowerHistogram(const Operation &op);

  // ---- LowerShape.cpp
  bool lowerTrans(const Operation &op);
  bool lowerReshape(const Operation &op);
  bool lowerJoin(const Operation &op);
  bool lowerSplit(const Operation &op);
  bool lowerCat(const Operation &op);
  /// `in` (laid out as `src` over `srcTy`) moved into `dst`, a layout of the result, where
  /// the result's element c is the source's element toSrc(c) (toSrc linear over GF(2)): by
  /// renumbering registers when each thread holds what it needs, else through shared memory.
  /// Empty after an error.
  Regs moveElements(const Operation &op, const Type *srcTy, const LinearLayout &src,
                    const LinearLayout &dst,
                    const std::function<LinearLayout::Coord(const LinearLayout::Coord &)> &toSrc,
                    const Regs &in);

  // ---- LowerGather.cpp
  bool lowerGather(const Operation &op);
  /// The gather as selects among each thread's own source registers, when every thread holds
  /// the whole lines along `axis` it needs; empty when it does not (nothing emitted then).
  Regs gatherInThread(const LinearLayout &src, const LinearLayout &dst, unsigned axis,
                      const Regs &in, const Regs &index, const Type *idxTy);

  // ---- LowerDebug.cpp
  bool lowerPrint(const Operation &op);
  bool lowerAssert(const Operation &op);

  // ---- LowerLayout.cpp
  bool lowerSplat(const Operation &op);
  bool lowerBroadcast(const Operation &op);
  bool lowerExpandDims(const Operation &op);
  bool lowerConvertLayout(const Operation &op);
  /// Moves `in` (a value of block type `type` laid out as `src`) into layout `dst` through
  /// shared memory; empty after reporting an error at `op`.
  Regs throughShared(const Operation &op, const Type *type, const LinearLayout &src,
                     const LinearLayout &dst, const Regs &in);
  /// `in` moved to `dst`: by renumbering registers if no element changes thread, else
  /// through shared memory. `dst` must outlive the lowering (see derivedLayout).
  Regs relayout(const Operation &op, const Type *type, const LinearLayout &src,
                const LinearLayout &dst, const Regs &in);

  // ---- LowerDotOperand.cpp
  /// Whether a convert_layout into `type` (a #dot_op of 16-bit elements) can read its
  /// operand fragments with ldmatrix.
  bool canUseLdmatrix(const Type *type, const LinearLayout &dst) const;
  /// `in` moved into the #dot_op layout `dst` of op's result through swizzled shared memory
  /// and ldmatrix; empty after an error.
  Regs ldmatrixOperand(const Operation &op, const Type *type, const LinearLayout &src,
                       const LinearLayout &dst, const Regs &in);
  /// Stores `in` swizzled at `base` (between barriers) and returns the ldmatrix loader of one
  /// fragment group (see stagedOperands_).
  /// `pairStride` (0: none) is set when a B operand's loader returns two groups at once, the
  /// one at r0 and the one at r0 + pairStride (r0 must not have that bit).
  std::function<Regs(unsigned)> stageForLdmatrix(const Operation &op, const Type *type,
                                                 const LinearLayout &src, const LinearLayout &dst,
                                                 const Regs &in, llvm::Value *base,
                                                 unsigned &pairStride);
  /// The ldmatrix loader of the #dot_op type `dstTy` (layout `dst`) from a block of `type`
  /// stored swizzled at `base` with `cDim` contiguous (see stageForLdmatrix).
  std::function<Regs(unsigned)> ldmatrixLoader(const Type *dstTy, const Type *type,
                                               const LinearLayout &dst, llvm::Value *base,
                                               unsigned cDim, unsigned &pairStride);
  /// All `numRegs` registers of a #dot_op fragment (operand `opIdx`) from an ldmatrix loader,
  /// one group per call (8 registers for A, 4 for B; a second group paired at r0 + pairStride).
  static Regs loadFragments(const std::function<Regs(unsigned)> &load, unsigned numRegs,
                            unsigned opIdx, unsigned pairStride);
  /// Address of element (row, col) of a 2-D block of `type` stored at `base` in the #shared
  /// swizzle (Types.h), rows running along `cDim`.
  llvm::Value *swizzledAddress(llvm::Value *base, const Type *type, unsigned cDim, llvm::Value *row,
                               llvm::Value *col);
  /// The same for (row + rowConst, col + colConst), with the constants split into the part the
  /// swizzle's XOR sees (kept in the computed offset) and the rest (whole swizzle periods of
  /// rows, whole maxPhase groups of chunks; in the wgmma form whole 8-row periods and whole
  /// column blocks), added as one constant element offset at the end.
  /// Addresses that differ only in the rest share one register and fold the constant into the
  /// instruction's immediate offset.
  llvm::Value *swizzledAddress(llvm::Value *base, const Type *type, unsigned cDim, llvm::Value *row,
                               int64_t rowConst, llvm::Value *col, int64_t colConst);

  // ---- LowerSharedTile.cpp
  bool lowerLocalAlloc(const Operation &op);
  bool lowerAsyncCopy(const Operation &op);
  bool lowerAsyncWait(const Operation &op);
  bool lowerLocalLoad(const Operation &op);
  /// Address in the shared tile at `base` of register `reg`'s element of layout `ll`.
  llvm::Value *tileAddress(llvm::Value *base, const Type *tileTy, unsigned cDim,
                           const LinearLayout &ll, unsigned reg);
  /// A local_load of a loop's tile whose first K step is loaded one iteration ahead: the
  /// carried value (index `arg`) it reads and the fragment groups (first register, count) of
  /// that step, in the order prefetchFragments returns them.
  struct TilePrefetch {
    const Operation *load = nullptr;
    unsigned arg = 0;
    std::vector<std::pair<unsigned, unsigned>> groups;
  };
  /// Whether `forOp` is entered and iterated right after an async_wait (software-pipeline put
  /// one just before it and one at the end of its body): the tiles it carries are then ready at
  /// the top of every iteration, and no shared-memory store is pending there.
  bool waitsAtBackEdge(const Operation &forOp) const;
  /// The local_loads of `forOp`'s body whose first K step is loaded at the back edge (see
  /// LowerSharedTile.cpp).
  std::vector<TilePrefetch> planTilePrefetch(const Operation &forOp);
  /// The first K step's fragments of `p.load` read from the tile at `base`, groups concatenated
  /// (fills p.groups the first time).
  Regs prefetchFragments(TilePrefetch &p, llvm::Value *base);

  // ---- LowerDot.cpp
  bool lowerDot(const Operation &op);
  bool lowerFmaDot(const Operation &op);
  bool lowerMmaDot(const Operation &op);
  // ---- amdgpu/LowerMatrixCores.cpp: MFMA / WMMA for AMD #mma layouts
  bool lowerAmdMatrixDot(const Operation &op);

  // ---- LowerWgmma.cpp
  /// A dot with an mma version 3 result on wgmma (operands read in place from wgmma tiles),
  /// else on mma.sync.
  bool lowerWgmmaDot(const Operation &op);
  /// After a `for` loop: `wgmma.wait_group 0` for the wgmma groups its dots left in flight
  /// (the carried accumulators `carried`, which pass through the wait).
  void drainWgmma(const Operation &loop, std::vector<Regs> &carried);
  /// Whether both operands of `dot` are local_loads of wgmma tiles that wgmma reads in place
  /// (those local_loads then load nothing).
  bool wgmmaReadsInPlace(const Operation &dot) const;
  /// A layout made by codegen itself, kept alive for the caches keyed by its address.
  const LinearLayout &derivedLayout(LinearLayout ll);
  /// Coordinate along `dim` of the element in register `reg` of this thread.
  llvm::Value *coordinate(const LinearLayout &ll, unsigned reg, unsigned dim);
  /// The part of every coordinate along `dim` set by this thread's lane and warp (entry block).
  llvm::Value *threadCoordinate(const LinearLayout &ll, unsigned dim);
  /// True in exactly one thread of each group holding the same elements (nullptr: all).
  llvm::Value *ownerPredicate(const LinearLayout &ll);
  /// The start of the kernel's (dynamic) shared memory; the allocation's offsets count from it.
  llvm::Value *sharedMemoryBase();
  /// The address of op's scratch buffer, `bytes` long, where the allocation (alloc_) placed
  /// it; other ops' buffers may reuse those bytes, so callers put barriers around their use.
  /// nullptr after an internal error (the allocation reserved less).
  llvm::Value *sharedScratch(const Operation &op, int64_t bytes);
  /// The address of op's buffer (the value buffer of its result, else its scratch) without the
  /// conservative barrier bookkeeping (for staged operands, which track their stores and reads
  /// themselves: see sharedStoresUnsynced_).
  llvm::Value *sharedRegion(const Operation &op, int64_t bytes);
  /// A CTA barrier that settles the staged-operand bookkeeping.
  void sharedBarrier();

  // ---- shared helpers (Lowering.cpp)
  /// The linear layout of a block type; nullptr after reporting why at `op`.
  const LinearLayout *linearLayout(const Type *type, const Operation &op);
  /// Register count of a value of `type` (1 for scalars); 0 after an error.
  unsigned numRegisters(const Type *type, const Operation &op);
  llvm::Type *registerType(const Type *type) const; ///< of the element / scalar
  llvm::Type *memoryType(const Type *type) const;   ///< in memory: i1 is stored as i8
  const Regs &regs(const Value *v) const { return values_.at(v); }
  llvm::Value *scalar(const Value *v) const { return values_.at(v)[0]; }
  void bind(const Value *v, Regs r) { values_[v] = std::move(r); }
  bool error(const Operation &op, std::string message);
  bool unsupported(const Operation &op);

  const Function &fn_;
  const Target &target_;
  llvm::Module &module_;
  llvm::LLVMContext &ctx_;
  DiagnosticEngine &diags_;
  llvm::IRBuilder<> b_;        ///< where the current op's code goes
  llvm::IRBuilder<> prologue_; ///< end of the entry block: values every block may use
  llvm::Function *kernel_ = nullptr;
  llvm::Value *threadId_ = nullptr, *laneId_ = nullptr, *warpId_ = nullptr;
  std::unordered_map<const Value *, Regs> values_;
  std::map<std::pair<const Layout *, std::vector<int64_t>>, LinearLayout> layouts_;
  std::deque<LinearLayout> derivedLayouts_;
  std::map<std::pair<const LinearLayout *, unsigned>, llvm::Value *> threadCoords_;
  std::map<const LinearLayout *, llvm::Value *> owners_;
  std::map<std::string, llvm::FunctionCallee> libraryFunctions_;
  /// Where every buffer of the kernel lives in shared memory (computed before lowering).
  std::unique_ptr<SharedMemoryAllocation> alloc_;
  /// The end of the scratch of ops the allocation does not size (see sharedRegion).
  int64_t unplannedEnd_ = 0;
  /// Staged-operand bookkeeping along the straight-line code being emitted (both true, i.e.
  /// unknown, at the start of every region and after every op with regions): shared-memory
  /// stores not yet followed by a barrier (a read needs one first), and reads since the last
  /// barrier (a store needs one first). Staging two operands then costs one barrier before
  /// their stores and one before their first ldmatrix.
  bool sharedStoresUnsynced_ = true, sharedReadsSinceBarrier_ = true;
  /// ldmatrix loaders of operands staged in shared memory, by value: each returns the
  /// registers of the fragment group starting at a register (8 for A, 4 for B).
  std::unordered_map<const Value *, std::function<Regs(unsigned)>> stagedOperands_;
  std::unordered_map<const Value *, unsigned> stagedPairStride_;
  /// Fragment groups of a local_load loaded in the previous iteration (or before the loop), by
  /// the local_load's result and the group's first register: its ldmatrix loader returns them.
  std::unordered_map<const Value *, std::map<unsigned, Regs>> prefetched_;
  /// The kernel has wgmma tiles (#shared<order, wgmma>): shared memory 1024-byte aligned and
  /// a proxy fence in async_wait.
  bool wgmmaTiles_ = false;
  /// Results of wgmma dots lowered with their group left in flight (wgmma.wait_group 1).
  std::set<const Value *> wgmmaInFlight_;
  LineTable *lines_ = nullptr;
  llvm::DISubprogram *subprogram_ = nullptr;
};

} // namespace tritonc
