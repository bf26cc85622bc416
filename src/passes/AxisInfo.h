// Axis info: Triton's analysis of how the integer and pointer values of a kernel vary along
// each dimension of their blocks. It is what coalescing and vectorization are decided from.
//
// For every integer or pointer value (a scalar counts as a block of shape [1]) and each dim d:
//   contiguity[d]   the value is made of runs of this many elements along d that increase by
//                   exactly 1 (pointers: by one element of the pointee) — [0 1 2 3 8 9 10 11]
//                   has contiguity 4;
//   divisibility[d] the largest power of two dividing the first element of every such run
//                   (for pointers: the address in BYTES) — the block above has divisibility 8
//                   (0 and 8); a run-less value (contiguity 1) has it for every element;
//   constancy[d]    the value is made of runs of this many equal elements along d;
// plus the value itself when it is a known constant (scalar or splat).
//
// Sources of facts: constants, arange, kernel parameters (ParamInfo::divisibility, from `:16`
// hints: for integers the value, for pointers the address in bytes; an unhinted parameter is
// divisible by 1 — Triton's launcher specializes 16-divisible arguments, we only trust hints),
// for-loop induction variables, and the hint attributes below. Rules for arithmetic, addptr,
// splat, broadcast, expand_dims, trans, cmp, select and casts follow Triton's AxisInfo.cpp;
// loop-carried values are the fixpoint of joining their init and yielded values.
//
// Hint attributes, on the op defining the hinted value (result 0), as the front end lowers
// `multiple_of(x, n)`, `max_contiguous(x, n)` and `max_constancy(x, n)`: an integer (every
// dim) or an integer list (one per dim). They replace what the analysis derived, as in Triton.
#pragma once

#include "ir/IR.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tritonc {

/// The attribute names of the hints (on the defining op of the hinted value).
inline constexpr std::string_view kMultipleOfAttr = "multiple_of";
inline constexpr std::string_view kMaxContiguousAttr = "max_contiguous";
inline constexpr std::string_view kMaxConstancyAttr = "max_constancy";

/// What divisibility means for 0: every power of two we track divides it (Triton's
/// highestPowOf2Divisor(0) for int64).
inline constexpr int64_t kMaxDivisibility = int64_t(1) << 62;

/// The largest power of two dividing `v` (kMaxDivisibility for 0).
int64_t highestPowOf2Divisor(int64_t v);

struct AxisInfo {
  std::vector<int64_t> contiguity;
  std::vector<int64_t> divisibility;
  std::vector<int64_t> constancy;
  std::optional<int64_t> constantValue;

  unsigned rank() const { return static_cast<unsigned>(contiguity.size()); }
  int64_t getContiguity(unsigned d) const { return contiguity[d]; }
  int64_t getDivisibility(unsigned d) const { return divisibility[d]; }
  int64_t getConstancy(unsigned d) const { return constancy[d]; }

  /// Nothing known: 1 everywhere.
  static AxisInfo pessimistic(unsigned rank);
  /// What is true of both (gcd of each field; the constant only if equal). Used where control
  /// flow merges values.
  static AxisInfo join(const AxisInfo &a, const AxisInfo &b);

  friend bool operator==(const AxisInfo &, const AxisInfo &) = default;
  /// "contiguity = [4], divisibility = [16], constancy = [1]" (+ ", constant = 7").
  std::string str() const;
};

/// Runs the analysis over a function (all its regions) on construction; then answers per value.
/// The analysis reads the IR and never changes it; it stays valid until the IR is changed.
/// Works on Tile IR and GPU IR alike (convert_layout passes facts through).
class AxisInfoAnalysis {
public:
  explicit AxisInfoAnalysis(const Function &function);

  /// The facts about `value`; pessimistic for values the analysis knows nothing about (floats,
  /// loads, values created after the analysis ran). Scalars have rank 1.
  AxisInfo get(const Value *value) const;

  /// Elements (not bytes) a thread may access with one aligned vector along dim `dim` of the
  /// pointer block `ptr`: min(contiguity[dim], divisibility[dim] / elementBytes), at least 1.
  /// This is Triton's getAlignment along the layout's fastest dim.
  int64_t pointerAlignment(const Value *ptr, unsigned dim) const;

private:
  std::unordered_map<const Value *, AxisInfo> infos_;
};

/// The bytes of one element of the pointee of a pointer or pointer block (pointers to pointers:
/// 8; at least 1 for i1 and 8-bit kinds).
unsigned pointeeBytes(const Type *ptrType);

/// Elements per thread of one vector access of a memory op whose pointer block has facts `ptr`
/// and layout `layout` (Blocked or Slice), as Triton's load/store lowering computes it:
///   min(sizePerThread, contiguity, divisibility / elementBytes) along the layout's fastest dim,
///   capped at maxBytes / elementBytes;
///   with a mask: also at most the mask's constancy along that dim (so one predicate covers
///   the whole vector).
/// Always >= 1.
unsigned memoryVectorWidth(const AxisInfo &ptr, const AxisInfo *mask, const Layout *layout,
                           const std::vector<int64_t> &shape, unsigned elementBytes,
                           unsigned maxBytes);

} // namespace tritonc
