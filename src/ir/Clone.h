// Cloning IR: copies of ops, with their regions, through a value map.
#pragma once

#include "ir/Builder.h"

#include <unordered_map>

namespace tritonc {

/// Old value -> its copy. Values not in the map are used as they are (defined outside what is
/// cloned, e.g. kernel parameters the caller did not remap).
using ValueMap = std::unordered_map<const Value *, Value *>;

/// Copies `op` (operands through `map`, attributes, location, value names, and every region
/// with its arguments and ops) at the builder's insertion point; adds its results (and the
/// region arguments and ops inside) to `map`. Returns the copy.
Operation *cloneOp(const Operation &op, Builder &builder, ValueMap &map);

/// Copies the ops of `block` in order at the builder's insertion point, the terminator too
/// unless `withTerminator` is false. Block arguments must already be in `map`.
void cloneOps(const Block &block, Builder &builder, ValueMap &map, bool withTerminator = true);

} // namespace tritonc
