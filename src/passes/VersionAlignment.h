// version-alignment: a vectorized and a scalar version of a kernel, picked at run time.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// Where a kernel's loads and stores would be wider if some pointer parameters were 16-byte
/// aligned and some integer parameters multiples of 16 (what Triton's launcher specializes on
/// at run time), wraps the kernel body in `if (those facts hold) { body with the facts } else
/// { body }`. The facts are the fewest that give every memory op its full width; the check is
/// one uniform branch at entry. Tile IR in, Tile IR out; must precede `coalesce`.
bool versionAlignmentPass(Module &module, PassContext &ctx);

/// The attribute on the versioning `if`: the parameters it checks, comma-separated.
inline constexpr std::string_view kAlignmentVersionAttr = "alignment_version";

} // namespace tritonc
