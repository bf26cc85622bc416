// Diagnostics are data: a severity, a location, a message and notes. Passes and the front end
// only report them; the driver decides how (and whether) to print them.
#pragma once

#include "support/Source.h"

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc {

enum class Severity { Note, Warning, Error };

struct DiagnosticNote {
  SourceRange range;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceRange range;
  std::string message;
  std::vector<DiagnosticNote> notes;
  /// The error is the toolchain's (a missing or unreadable library or tool), not the input's,
  /// even when it points at the line that needs it: the driver exits 3 rather than 1.
  bool toolchain = false;
};

/// Collects diagnostics for one compilation.
class DiagnosticEngine {
public:
  Diagnostic &report(Severity severity, SourceRange range, std::string message);
  Diagnostic &error(SourceRange range, std::string message) {
    return report(Severity::Error, range, std::move(message));
  }
  Diagnostic &warning(SourceRange range, std::string message) {
    return report(Severity::Warning, range, std::move(message));
  }

  bool hasErrors() const { return numErrors_ != 0; }
  unsigned numErrors() const { return numErrors_; }
  const std::vector<Diagnostic> &diagnostics() const { return diags_; }
  void clear() {
    diags_.clear();
    numErrors_ = 0;
  }

private:
  std::vector<Diagnostic> diags_;
  unsigned numErrors_ = 0;
};

/// Thrown to abandon a stage after an error was reported into a DiagnosticEngine. Caught by the
/// driver (and by library entry points); it carries no message of its own.
struct CompilationAborted : std::exception {
  const char *what() const noexcept override { return "compilation aborted after an error"; }
};

/// Runs `attempt` with `engine` (a parser's or sema's diagnostics pointer) pointing at
/// `scratch`, and points it back afterwards: what `attempt` reports goes to `scratch` and a
/// CompilationAborted it throws is caught. Returns whether it finished. For tentative work
/// (does this line parse? is this module global computable?) whose errors are not the user's.
template <class F>
bool attemptQuietly(DiagnosticEngine *&engine, DiagnosticEngine &scratch, F &&attempt) {
  struct Restore {
    DiagnosticEngine *&engine;
    DiagnosticEngine *saved;
    ~Restore() { engine = saved; }
  } restore{engine, engine};
  engine = &scratch;
  try {
    attempt();
  } catch (const CompilationAborted &) {
    return false;
  }
  return true;
}

/// The candidate closest to `name` by edit distance (insertions, deletions, substitutions and
/// swaps of neighbours), for "did you mean 'load'?": empty when none is close enough (at most a
/// third of the name's length, at least 1) or `name` itself is a candidate.
std::string closestMatch(std::string_view name, const std::vector<std::string> &candidates);

/// ", did you mean 'X'?"-style suffix: "; did you mean 'X'?" or "" when nothing is close.
std::string didYouMean(std::string_view name, const std::vector<std::string> &candidates);

/// Renders a diagnostic clang-style: `file:line:col: error: message`, the source line, a caret
/// (with tildes over the range), then each note the same way. `color` adds ANSI colours.
std::string formatDiagnostic(const Diagnostic &diag, const SourceManager &sources, bool color);

/// --color=auto|always|never (and clang's -fcolor-diagnostics / -fno-color-diagnostics).
enum class ColorChoice { Auto, Always, Never };

/// Whether diagnostics on standard error should be coloured. Auto: only for a terminal, and
/// never when NO_COLOR is set or TERM=dumb (tests pipe stderr, so FileCheck never sees escape
/// codes); Always and Never are the user's explicit choice (a build tool such as ninja pipes
/// stderr and passes -fcolor-diagnostics to keep colours), which wins over NO_COLOR and TERM.
/// `tritonc` and `tritonc run` both ask here.
bool stderrWantsColor(ColorChoice choice = ColorChoice::Auto);

/// Parses a --color value ("auto", "always", "never"); false for anything else.
bool parseColorChoice(std::string_view text, ColorChoice &choice);

} // namespace tritonc
