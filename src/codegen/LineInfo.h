// Line information for profilers and debuggers (tritonc -lineinfo, as nvcc's): a compile unit
// whose emission kind is "directives only", a subprogram per kernel, and the .tt line and column
// of the op each instruction came from. The NVPTX backend turns them into PTX .file/.loc
// directives (ptxas -lineinfo then keeps them in the cubin), so Nsight Compute and
// compute-sanitizer point at the user's lines. No variables or types: only line tables.
#pragma once

#include "support/Source.h"

#include <llvm/IR/DIBuilder.h>

#include <map>
#include <memory>

namespace tritonc {

class LineTable {
public:
  /// `sources` names the files of the SourceLocs; the compile unit's file is `mainFile`.
  LineTable(llvm::Module &module, const SourceManager &sources, SourceLoc mainFile);

  /// The subprogram of a kernel defined at `loc`, attached to `fn`.
  llvm::DISubprogram *attach(llvm::Function &fn, SourceLoc loc);
  /// The location of `loc` in `scope` (nullptr when `loc` is invalid).
  llvm::DILocation *location(SourceLoc loc, llvm::DISubprogram *scope);
  /// Completes the debug metadata; call once after every kernel is lowered.
  void finalize();

private:
  llvm::DIFile *file(uint32_t id);

  llvm::LLVMContext &ctx_;
  const SourceManager &sources_;
  llvm::DIBuilder builder_;
  llvm::DICompileUnit *unit_ = nullptr;
  std::map<uint32_t, llvm::DIFile *> files_;
  std::map<std::pair<llvm::DISubprogram *, uint32_t>, llvm::DIScope *> scopes_;
};

} // namespace tritonc
