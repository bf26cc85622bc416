// The front end's one entry point: .tt source → verified Tile IR, one IR function per kernel.
// Lexing, parsing, imports, constexpr evaluation, type checking, helper inlining and lowering
// all happen behind it.
#pragma once

#include "ir/IR.h"
#include "support/Diagnostics.h"

#include <memory>
#include <string>
#include <vector>

namespace tritonc {

/// The default of FrontendOptions::maxLoweredStatements (--max-statements).
inline constexpr uint64_t kDefaultMaxLoweredStatements = 100000;

struct FrontendOptions {
  /// -I directories searched (after the importing file's own directory) for `import M`.
  std::vector<std::string> includeDirs;
  /// -D NAME=VALUE, in command-line order (a later one wins). VALUE is spelled as in Python:
  /// `1024`, `1e-6`, `True`, `fp16` / `tl.float16`, `'ieee'`.
  std::vector<std::pair<std::string, std::string>> defines;
  /// --kernel NAME (repeatable); empty means every kernel in the main file.
  std::vector<std::string> kernels;
  /// --signature in Triton's AOT notation ("*fp32:16, i32, i32:1, 1024"): one entry per kernel
  /// parameter, constexprs included (their values). It types unannotated parameters (Triton
  /// kernels in .py files) and refines annotated ones (adds `:16`, or `:1` = the constant 1,
  /// which stays in the launch ABI). Empty when the parameters carry their own types.
  std::string signature;
  /// --max-statements: the most statements one kernel may lower to once tl.static_range loops
  /// are unrolled and helpers inlined. It turns a runaway unroll or exponential inlining into a
  /// located error rather than a hang or an exhausted memory.
  uint64_t maxLoweredStatements = kDefaultMaxLoweredStatements;
};

/// Compiles the file `fileId` (already in `sources`). Every file read (imports) is added to
/// `sources`, so the driver can list them in the depfile. Returns nullptr after reporting at
/// least one error into `diags`.
std::unique_ptr<Module> compileToTileIR(SourceManager &sources, uint32_t fileId, Context &ctx,
                                        const FrontendOptions &options, DiagnosticEngine &diags);

} // namespace tritonc
