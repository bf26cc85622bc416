// Layout maths: which register of which lane of which warp holds which element of a block.
//
// A distributed layout (Blocked, Slice) applied to a power-of-two shape is a *linear layout*
// in Triton's sense: a map from the bits of (register, lane, warp) to the bits of the element
// coordinates that is linear over GF(2). It is stored as one basis vector (a coordinate per
// tensor dim) per input bit; the element at (r, l, w) is the XOR of the bases of the set bits.
//
//   blocked<spt = [4], tpw = [32], wpc = [4], order = [0]> on tensor<1024>:
//     register bases [1] [2] [512]   lane bases [4] [8] [16] [32] [64]   warp bases [128] [256]
//     so register 4 of lane 3, warp 1 holds element 512 ^ (4+8) ^ 128 = 652.
//
// A zero basis means replication: the threads differing in that bit hold the same elements.
// Register bases are never zero (replicated registers are dropped, as Triton does), so each
// register of a thread holds a distinct element. The registers of one value are indexed
// 0..numRegisters()-1; codegen keeps one LLVM value per register.
#pragma once

#include "ir/Types.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tritonc {

class LinearLayout {
public:
  /// One coordinate per tensor dim.
  using Coord = std::vector<int64_t>;

  /// The coordinate of `rank` dims that is `value` along `dim` and 0 elsewhere.
  static Coord unitCoord(unsigned rank, unsigned dim, int64_t value) {
    Coord c(rank, 0);
    c[dim] = value;
    return c;
  }

  LinearLayout() = default;
  LinearLayout(std::vector<int64_t> shape, std::vector<Coord> regBases,
               std::vector<Coord> laneBases, std::vector<Coord> warpBases);

  /// The linear layout of `layout` applied to `shape` (every dim a power of two). Returns
  /// nullopt, with a reason in `why`, if the layout's rank or parameters do not fit.
  static std::optional<LinearLayout> get(const Layout *layout, const std::vector<int64_t> &shape,
                                         std::string *why = nullptr);

  const std::vector<int64_t> &shape() const { return shape_; }
  unsigned rank() const { return static_cast<unsigned>(shape_.size()); }
  const std::vector<Coord> &regBases() const { return reg_; }
  const std::vector<Coord> &laneBases() const { return lane_; }
  const std::vector<Coord> &warpBases() const { return warp_; }

  unsigned numRegisters() const { return 1u << reg_.size(); }
  unsigned numLanes() const { return 1u << lane_.size(); }
  unsigned numWarps() const { return 1u << warp_.size(); }

  /// Coordinates of the element held in register `reg` of lane `lane` of warp `warp`.
  Coord apply(uint32_t reg, uint32_t lane, uint32_t warp) const;
  /// The register part alone: the element register `reg` of lane 0, warp 0 holds.
  Coord registerCoord(uint32_t reg) const { return apply(reg, 0, 0); }

  /// Bits of the lane (warp) id whose basis is zero: threads differing only in those bits
  /// hold the same elements (replication).
  uint32_t freeLaneMask() const;
  uint32_t freeWarpMask() const;

  /// OR of the lane and warp bases along `dim`: the coordinate bits a thread's position can set.
  int64_t threadBitsMask(unsigned dim) const;

  /// How many consecutive registers, starting at any multiple of that count, hold consecutive
  /// elements along `dim` (a power of two, at least 1): registers 0..n-1 map to 0..n-1 on `dim`.
  unsigned contiguousRegisters(unsigned dim) const;

  /// For data movement within a thread (broadcast, expand_dims, a no-op convert_layout): the
  /// register of `src` holding the element `toSrc(element of dst register r)`, for every r.
  /// `toSrc` must be linear (it maps bases to bases). Returns nullopt if a thread of `dst`
  /// needs elements that the same thread of `src` does not hold.
  static std::optional<std::vector<unsigned>>
  registerMapping(const LinearLayout &src, const LinearLayout &dst,
                  const std::function<Coord(const Coord &)> &toSrc);

  std::string str() const;
  friend bool operator==(const LinearLayout &, const LinearLayout &) = default;

private:
  std::vector<int64_t> shape_;
  std::vector<Coord> reg_, lane_, warp_;
};

} // namespace tritonc
