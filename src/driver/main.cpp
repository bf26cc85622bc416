// tritonc's entry point: parse the command line, run the driver, and make sure that whatever
// happens the process ends with a message and a documented exit code, never a stack trace:
// exceptions become "tritonc: internal error: ..." (exit 4), and so do fatal signals and LLVM's
// fatal errors, through the handlers installed below.
#include "driver/Driver.h"
#include "driver/Options.h"
#include "driver/RunCommand.h"

#include "codegen/Toolchain.h"

#include <llvm/Support/ErrorHandling.h>

#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <pthread.h>
#include <sys/mman.h>
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

/// An alternate stack lets the crash handler run after a stack overflow; each thread needs its
/// own (the main thread's, then the compiling thread's).
void installAltStack() {
  // Mapped, not static: a sanitizer runtime unmaps a thread's alternate stack when the thread
  // ends, which fails on static storage ("failed to deallocate").
  constexpr size_t kAltStackBytes = 64 * 1024;
  void *stack =
      ::mmap(nullptr, kAltStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (stack == MAP_FAILED)
    return;
  stack_t ss{};
  ss.ss_sp = stack;
  ss.ss_size = kAltStackBytes;
  ::sigaltstack(&ss, nullptr);
}

void installCrashHandlers() {
  installAltStack();
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

/// After a termination signal stopped a tool and the compilation unwound (temporaries
/// removed), end the way the signal would have ended us.
int finish(int rc) {
  if (int sig = tritonc::terminationSignal()) {
    std::cout.flush();
    std::cerr.flush();
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  return rc;
}

int compilerMain(int argc, char **argv) {
  try {
    // `tritonc run ...` is the interpreter's subcommand with its own command line.
    if (argc >= 2 && std::strcmp(argv[1], "run") == 0)
      return runCommand(argc, argv, std::cout, std::cerr);
    DriverOptions options;
    if (auto rc = parseCommandLine(argc, argv, options, std::cout, std::cerr))
      return *rc;
    int rc = runDriver(options, std::cerr);
    std::cout.flush();
    return finish(rc);
  } catch (const std::bad_alloc &) {
    std::cerr << "tritonc: internal error: out of memory\n";
  } catch (const std::exception &e) {
    std::cerr << "tritonc: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "tritonc: internal error: unknown exception\n";
  }
  return kExitInternalError;
}

/// The stack of the compiling thread: the parser bounds syntax trees to 10000 levels
/// (parser::kMaxTreeHeight) and the front end and passes walk them recursively, which the 8 MiB
/// of a main thread does not always cover. The memory is only reserved; pages are committed as
/// the recursion touches them.
constexpr size_t kCompilerStackBytes = size_t(1) << 30;

struct MainArgs {
  int argc;
  char **argv;
  int rc;
};

extern "C" void *compilerThread(void *p) {
  installAltStack();
  auto *args = static_cast<MainArgs *>(p);
  args->rc = compilerMain(args->argc, args->argv);
  return nullptr;
}

} // namespace

int main(int argc, char **argv) {
  installCrashHandlers();
  tritonc::installTerminationHandlers();
  llvm::install_fatal_error_handler(llvmFatalError);
  MainArgs args{argc, argv, kExitInternalError};
  pthread_attr_t attr;
  pthread_t thread;
  if (::pthread_attr_init(&attr) == 0 &&
      ::pthread_attr_setstacksize(&attr, kCompilerStackBytes) == 0 &&
      ::pthread_create(&thread, &attr, compilerThread, &args) == 0) {
    tritonc::blockTerminationSignals(); // delivered to the compiling thread
    ::pthread_join(thread, nullptr);
  } else {
    args.rc = compilerMain(argc, argv); // no thread (a tight ulimit -v): the main stack
  }
  return args.rc;
}
