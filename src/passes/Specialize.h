// specialize: several variants of each kernel in one binary, picked by the host at launch.
#pragma once

#include "passes/Pass.h"

namespace tritonc {

/// For every kernel whose loads and stores would be wider if some parameters were 16-byte
/// aligned pointers, multiples of 16 or equal to 1 (what Triton's launcher specializes on),
/// adds variants compiled with those facts as promises (the facts version-alignment would check;
/// then the divisibility facts alone when they differ), each a kernel of its own named
/// `KERNEL_` + Triton's spelling of its promises (`0d1d3c`: parameters 0 and 1 divisible by 16,
/// parameter 3 equal to 1). Every variant, the unchanged generic kernel too, gets
/// Function::variantOf and Function::promises, so the metadata lists them and version-alignment
/// leaves them alone. Order: each kernel's variants, most specialized first, then the kernel.
/// Tile IR in, Tile IR out; must precede `version-alignment` and `coalesce`.
bool specializePass(Module &module, PassContext &ctx);

/// Adds to `module` a copy of `f` (a kernel of a module of the same Context, e.g. compiled from
/// another --signature) as a variant of kernel `generic` with `promises` (one per parameter):
/// named `generic` + "_" + Triton's spelling of the promises, marked with variantOf, placed just
/// before `generic`, and `generic` marked as the generic variant. Returns the copy.
Function *addKernelVariant(Module &module, const Function &f, Function &generic,
                           const std::vector<Function::Promise> &promises);

} // namespace tritonc
