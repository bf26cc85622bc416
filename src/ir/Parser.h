// Parser: reads the IR's text form (docs/IR.md, "Text form"; what Printer.h writes) back into
// a Module. Used by `tritonc --from-ir`, the lit tests of passes and the round-trip tests.
#pragma once

#include "ir/IR.h"
#include "support/Diagnostics.h"

#include <memory>

namespace tritonc {

/// Parses the IR file `fileId` of `sources` into a new module whose types live in `ctx`.
///
/// On a syntax error, reports one located diagnostic (`file:line:col` in the IR file: "use of
/// undefined value %x", "expected type", "unknown op 'foo'", "'add' expects 2 operands, got 3",
/// ...) into `diags` and returns nullptr; it never crashes or aborts on any input.
///
/// The parser checks syntax, names and the fixed arities of the op table; the type rules are the
/// Verifier's (so a well-formed but invalid module parses, and verifyModule reports it).
///
/// Locations: an op, parameter or kernel without `loc(...)` gets its own position in the IR
/// file; `loc("a.tt":3:5)` names a source file, registered in `sources` (with empty text) if it
/// is not loaded yet; `loc(unknown)` gives the unknown location.
std::unique_ptr<Module> parseModule(Context &ctx, SourceManager &sources, uint32_t fileId,
                                    DiagnosticEngine &diags);

} // namespace tritonc
