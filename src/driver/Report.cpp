// Printing diagnostics and the driver's error lines (Report.h).
#include "driver/Report.h"

namespace tritonc::driver {

void flushDiagnostics(DiagnosticEngine &diags, const SourceManager &sources, std::ostream &err,
                      bool color) {
  for (const Diagnostic &d : diags.diagnostics())
    err << formatDiagnostic(d, sources, color);
  diags.clear();
}

void printError(std::ostream &err, std::string_view message, bool color) {
  err << "tritonc: " << (color ? "\033[1;31merror:\033[0m " : "error: ") << message << "\n";
}

} // namespace tritonc::driver
