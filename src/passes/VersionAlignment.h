// version-alignment: a vectorized and a scalar version of a kernel, picked at run time.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Where a kernel's loads and stores would be wider if some pointer parameters were 16-byte
/// aligned and some integer parameters multiples of 16 (what Triton's launcher specializes on
/// at run time), wraps the kernel body in `if (those facts hold) { body with the facts } else
/// { body }`. The facts are the fewest that give every memory op its full width; the check is
/// one uniform branch at entry. Tile IR in, Tile IR out; must precede `coalesce`. Variants
/// made by `specialize` (Function::variantOf set) are left alone.
bool versionAlignmentPass(Module &module, PassContext &ctx);

/// A run-time fact about parameter `param`: divisible by 16 (for a pointer, its address), or
/// equal to 1 (`isOne`, an integer).
struct AlignmentFact {
  unsigned param = 0;
  bool isOne = false;
  friend bool operator==(const AlignmentFact &, const AlignmentFact &) = default;
};

/// The facts versionAlignmentPass would check for `f`: the fewest that give every memory op
/// its full width, empty when none would widen one. With `allowUnitStrides` false only
/// divisibility facts are considered. Also used by `specialize` (passes/Specialize.h), which
/// makes each set of facts a separately compiled variant instead of a branch at entry.
std::vector<AlignmentFact> chooseAlignmentFacts(Function &f, bool allowUnitStrides);

/// The most vectorized versions one kernel gets (each a copy of its body).
inline constexpr size_t kMaxVectorizedVersions = 3;

/// The versions versionAlignmentPass builds for `f`, in the order their checks run: first the
/// facts of chooseAlignmentFacts(f, true); then, for each unit stride among them, the set with
/// that stride replaced by the integer parameter whose being 1 instead widens the most accesses
/// (a transposed operand: `src[m, n]` with unit stride along m instead of n), pruned the same
/// way. At most kMaxVectorizedVersions sets; empty when no fact widens an access.
std::vector<std::vector<AlignmentFact>> chooseAlignmentVersions(Function &f);

/// The attribute on the versioning `if`: the parameters it checks, comma-separated.
inline constexpr std::string_view kAlignmentVersionAttr = "alignment_version";

} // namespace tritonc
