// Printer: writes modules, functions and ops in the IR's text form (docs/IR.md, "Text form").
//
// The syntax is generic and driven by the op table: every op prints as
//   [%res, ... =] mnemonic [%operand, ...] [{attr = value, ...}] [: type, ...] [{region}...]
// so a new row in Ops.def needs no printer code. The Parser reads exactly this form back, and
// print(parse(print(m))) == print(m) holds for every module.
#pragma once

#include "ir/IR.h"

#include <string>
#include <unordered_map>

namespace tritonc {

class SourceManager;

struct PrintOptions {
  /// Print ` loc("file.tt":3:5)` after each op, parameter and kernel header (`loc(unknown)` where
  /// the location is unknown). File names come from `sources`; without it no locations print.
  bool locations = false;
  const SourceManager *sources = nullptr;
  /// Spell every layout in full inside its type instead of printing module-level aliases
  /// (`#blocked0 = #blocked<...>` lines at the top, `#blocked0` in types). printOp always
  /// prints layouts inline, since it has no module header to put aliases in.
  bool inlineLayouts = false;
  /// printOp only: print each region as `{...}` (one-line op summaries for diagnostics).
  bool elideRegions = false;
};

/// The whole module: layout aliases, then each kernel, separated by blank lines.
std::string printModule(const Module &module, const PrintOptions &options = {});
/// One kernel, preceded by the aliases of the layouts it uses.
std::string printFunction(const Function &function, const PrintOptions &options = {});
/// One op (with its regions unless `elideRegions`), without a trailing newline. Value names
/// are those printFunction gives in the op's function, so they match a full dump.
std::string printOp(const Operation &op, const PrintOptions &options = {});

/// The names (without '%') that printFunction gives to the values of `function`: the value's
/// name hint made unique (`offs`, `offs_1`, ...), or a sequential number for values without a
/// usable hint (empty or purely numeric).
std::unordered_map<const Value *, std::string> nameValues(const Function &function);

} // namespace tritonc
