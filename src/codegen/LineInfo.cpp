// Line tables for -lineinfo (see LineInfo.h).
#include "codegen/LineInfo.h"

#include <llvm/IR/Module.h>

#include <filesystem>

namespace tritonc {

LineTable::LineTable(llvm::Module &module, const SourceManager &sources, SourceLoc mainFile)
    : ctx_(module.getContext()), sources_(sources), builder_(module) {
  // NVPTX emits .loc/.file for DWARF version 2+ debug info; "directives only" keeps the PTX free
  // of DWARF sections, as nvcc -lineinfo does.
  module.addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
  module.addModuleFlag(llvm::Module::Warning, "Dwarf Version", 2);
  unit_ = builder_.createCompileUnit(llvm::dwarf::DW_LANG_Python, file(mainFile.file), "tritonc",
                                     /*isOptimized=*/true, "", 0, "",
                                     llvm::DICompileUnit::DebugDirectivesOnly);
}

llvm::DIFile *LineTable::file(uint32_t id) {
  auto it = files_.find(id);
  if (it != files_.end())
    return it->second;
  std::string path = id ? std::string(sources_.path(id)) : std::string("<unknown>");
  std::filesystem::path p(path);
  llvm::DIFile *f = builder_.createFile(p.filename().string(), p.parent_path().string());
  files_.emplace(id, f);
  return f;
}

llvm::DISubprogram *LineTable::attach(llvm::Function &fn, SourceLoc loc) {
  llvm::DIFile *f = file(loc.file);
  auto *type = builder_.createSubroutineType(builder_.getOrCreateTypeArray({}));
  llvm::DISubprogram *sp = builder_.createFunction(
      f, fn.getName(), fn.getName(), f, loc.line, type, loc.line, llvm::DINode::FlagZero,
      llvm::DISubprogram::SPFlagDefinition | llvm::DISubprogram::SPFlagOptimized);
  fn.setSubprogram(sp);
  return sp;
}

llvm::DILocation *LineTable::location(SourceLoc loc, llvm::DISubprogram *scope) {
  if (!loc.isValid() || !scope)
    return nullptr;
  // Ops from an imported helper point into its own file: a lexical block of that file keeps
  // the right file name on the .loc while the kernel stays the scope.
  llvm::DIScope *&s = scopes_[{scope, loc.file}];
  if (!s)
    s = file(loc.file) == scope->getFile() ? static_cast<llvm::DIScope *>(scope)
                                           : builder_.createLexicalBlockFile(scope, file(loc.file));
  return llvm::DILocation::get(ctx_, loc.line, loc.col, s);
}

void LineTable::finalize() { builder_.finalize(); }

} // namespace tritonc
