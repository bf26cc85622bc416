// tritonc's entry point: parse the command line, run the driver, and make sure that whatever
// happens the process ends with a message and a documented exit code, never a stack trace:
// exceptions become "tritonc: internal error: ..." (exit 4), and so do fatal signals and LLVM's
// fatal errors, through the handlers installed below.
#include "driver/Driver.h"
#include "driver/Options.h"
#include "driver/RunCommand.h"

#include <llvm/Support/ErrorHandling.h>

#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <unistd.h>

namespace {

using namespace tritonc::driver;

/// Writes with write(2) only: callable from a signal handler.
void writeStderr(const char *text) {
  size_t left = std::strlen(text);
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, text, left);
    if (n <= 0)
      return;
    text += n;
    left -= static_cast<size_t>(n);
  }
}

extern "C" void crashHandler(int sig) {
  writeStderr("tritonc: internal error: crashed (");
  writeStderr(sigabbrev_np(sig) ? sigabbrev_np(sig) : "signal");
  writeStderr("); please report it with the input that caused it\n");
  ::_exit(kExitInternalError);
}

void installCrashHandlers() {
  // An alternate stack lets the handler run after a stack overflow (deeply nested input).
  static char altStack[64 * 1024];
  stack_t ss{};
  ss.ss_sp = altStack;
  ss.ss_size = sizeof altStack;
  ::sigaltstack(&ss, nullptr);
  struct sigaction sa{};
  sa.sa_handler = crashHandler;
  sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
    ::sigaction(sig, &sa, nullptr);
}

void llvmFatalError(void *, const char *reason, bool) {
  writeStderr("tritonc: internal error: LLVM: ");
  writeStderr(reason);
  writeStderr("\n");
  ::_exit(kExitInternalError);
}

} // namespace

int main(int argc, char **argv) {
  installCrashHandlers();
  llvm::install_fatal_error_handler(llvmFatalError);
  try {
    // `tritonc run ...` is the interpreter's subcommand with its own command line.
    if (argc >= 2 && std::strcmp(argv[1], "run") == 0)
      return runCommand(argc, argv, std::cout, std::cerr);
    DriverOptions options;
    if (auto rc = parseCommandLine(argc, argv, options, std::cout, std::cerr))
      return *rc;
    int rc = runDriver(options, std::cerr);
    std::cout.flush();
    return rc;
  } catch (const std::bad_alloc &) {
    std::cerr << "tritonc: internal error: out of memory\n";
  } catch (const std::exception &e) {
    std::cerr << "tritonc: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "tritonc: internal error: unknown exception\n";
  }
  return kExitInternalError;
}
