// Verifier: checks that a module obeys every rule of docs/IR.md: arities from the op table,
// each op's type rules, region signatures and terminators, SSA dominance, and the layout rules
// that separate Tile IR (no block carries a layout) from GPU IR (every block does).
//
// Run after the front end, after every pass under --verify-each, and after parsing IR text.
#pragma once

#include "ir/IR.h"
#include "support/Diagnostics.h"

namespace tritonc {

/// Verifies every function of `module`. Each violation becomes an error in `diags`, located at
/// the offending op (with a note showing the op when its location is unknown); messages name
/// the op and show the types involved. Returns true if there was none. Never crashes on a
/// module the IR API can build.
bool verifyModule(const Module &module, DiagnosticEngine &diags);

/// Verifies one function (a kernel); as verifyModule.
bool verifyFunction(const Function &function, DiagnosticEngine &diags);

} // namespace tritonc
