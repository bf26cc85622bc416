// Toolchain discovery (ptxas, fatbinary, ld.lld, libdevice, ROCm bitcode), process spawning and
// the one tool runner.
// Tools run through posix_spawn with an argument vector: no shell, so paths with spaces or
// quotes are safe; stdout and stderr share one pipe so the captured text keeps their order.
#include "codegen/Toolchain.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#ifndef TRITONC_LLVM_BINDIR
#define TRITONC_LLVM_BINDIR "/usr/lib/llvm-22/bin"
#endif

namespace tritonc {

namespace fs = std::filesystem;

namespace {

constexpr int kTerminationSignals[] = {SIGTERM, SIGINT, SIGHUP};
volatile sig_atomic_t gSignal = 0; ///< the termination signal received, 0 if none
volatile pid_t gChild = 0;         ///< the tool running now, 0 if none

extern "C" void onTerminationSignal(int sig) {
  const pid_t child = gChild;
  if (child <= 0) {
    // Nothing to stop: die as the signal would have made us.
    ::signal(sig, SIG_DFL);
    ::raise(sig);
    return;
  }
  gSignal = sig;
  ::kill(child, SIGKILL);
}

std::string env(const char *name) {
  const char *v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool isExecutable(const std::string &path) {
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

bool isFile(const std::string &path) {
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec);
}

std::string searchPath(const std::string &name) {
  std::string path = env("PATH");
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':'))
    if (!dir.empty() && isExecutable(dir + "/" + name))
      return dir + "/" + name;
  return "";
}

/// Tries `candidates` in order with `accept`; on failure `error` names each one tried.
std::string firstOf(const std::vector<std::string> &candidates, bool (*accept)(const std::string &),
                    const std::string &what, std::string &error) {
  std::string tried;
  for (const std::string &c : candidates) {
    if (c.empty())
      continue;
    if (accept(c))
      return c;
    tried += "\n  " + c;
  }
  error = "cannot find " + what + "; tried:" + (tried.empty() ? " nothing" : tried);
  return "";
}

std::string under(const std::string &root, const char *rest) {
  return root.empty() ? std::string() : root + rest;
}

/// The path the user named for a tool, by flag (if it has one) or else by environment variable
/// ("" if neither), with how it was named for messages. A named path is the only candidate:
/// one that does not exist is an error, never silently replaced by a search.
std::string namedPath(const std::string &flagValue, const char *flag, const char *envVar,
                      std::string &how) {
  if (!flagValue.empty()) {
    how = flag;
    return flagValue;
  }
  std::string value = env(envVar);
  how = std::string("$") + envVar;
  return value;
}

std::string namedPath(const char *envVar, std::string &how) {
  return namedPath("", "", envVar, how);
}

} // namespace

std::string findPtxas(const ToolchainOptions &options, std::string &error) {
  std::string how;
  if (std::string named = namedPath(options.ptxas, "--ptxas", "TRITONC_PTXAS", how); !named.empty())
    return firstOf({named}, isExecutable, "ptxas (" + how + ")", error);
  return firstOf({under(env("CUDA_HOME"), "/bin/ptxas"), under(env("CUDA_PATH"), "/bin/ptxas"),
                  "/usr/local/cuda/bin/ptxas", searchPath("ptxas")},
                 isExecutable, "ptxas (set TRITONC_PTXAS or CUDA_HOME, or put ptxas on PATH)",
                 error);
}

std::string findFatbinary(const ToolchainOptions &options, std::string &error) {
  std::string how;
  if (std::string named = namedPath("TRITONC_FATBINARY", how); !named.empty())
    return firstOf({named}, isExecutable, "fatbinary (" + how + ")", error);
  std::string ignored, beside;
  if (std::string ptxas = findPtxas(options, ignored); !ptxas.empty())
    beside = (fs::path(ptxas).parent_path() / "fatbinary").string();
  return firstOf({beside, under(env("CUDA_HOME"), "/bin/fatbinary"),
                  under(env("CUDA_PATH"), "/bin/fatbinary"), "/usr/local/cuda/bin/fatbinary",
                  searchPath("fatbinary")},
                 isExecutable, "fatbinary (set TRITONC_FATBINARY or CUDA_HOME)", error);
}

std::string findLdLld(const ToolchainOptions &options, std::string &error) {
  std::string how;
  if (std::string named = namedPath("TRITONC_LD_LLD", how); !named.empty())
    return firstOf({named}, isExecutable, "ld.lld (" + how + ")", error);
  return firstOf(
      {std::string(TRITONC_LLVM_BINDIR) + "/ld.lld", searchPath("ld.lld-22"), searchPath("ld.lld")},
      isExecutable, "ld.lld (set TRITONC_LD_LLD or put ld.lld on PATH)", error);
}

std::string findLibdevice(const ToolchainOptions &options, std::string &error) {
  std::string how;
  if (std::string named = namedPath("TRITONC_LIBDEVICE", how); !named.empty())
    return firstOf({named}, isFile, "libdevice (" + how + ")", error);
  const char *rel = "/nvvm/libdevice/libdevice.10.bc";
  std::string ignored, ptxasRoot;
  std::string ptxas = findPtxas(options, ignored);
  if (!ptxas.empty())
    ptxasRoot = fs::path(ptxas).parent_path().parent_path().string();
  return firstOf({under(env("CUDA_HOME"), rel), under(env("CUDA_PATH"), rel),
                  std::string("/usr/local/cuda") + rel, under(ptxasRoot, rel)},
                 isFile, "libdevice.10.bc (set TRITONC_LIBDEVICE or CUDA_HOME)", error);
}

std::string findRocmBitcodeDir(const ToolchainOptions &options, std::string &error) {
  auto hasOcml = [](const std::string &dir) { return isFile(dir + "/ocml.bc"); };
  std::string how;
  if (std::string named = namedPath("TRITONC_ROCM_BITCODE", how); !named.empty())
    return firstOf({named}, hasOcml, "ocml.bc (" + how + ")", error);
  return firstOf({under(env("ROCM_PATH"), "/amdgcn/bitcode"), "/opt/rocm/amdgcn/bitcode",
                  "/usr/lib/x86_64-linux-gnu/amdgcn/bitcode"},
                 hasOcml, "the ROCm device libraries (ocml.bc; set TRITONC_ROCM_BITCODE)", error);
}

bool runProcess(const std::vector<std::string> &argv, ProcessResult &result, std::string &error) {
  result = {};
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);

  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  // The child starts with default signal actions and nothing blocked (SIGTERM must end it, not
  // run our handler). Termination signals stay blocked here until gChild names the child, so
  // the handler never misses a child that is already running.
  posix_spawnattr_t attrs;
  posix_spawnattr_init(&attrs);
  sigset_t termination, none, saved;
  sigemptyset(&termination);
  sigemptyset(&none);
  for (int sig : kTerminationSignals)
    sigaddset(&termination, sig);
  posix_spawnattr_setsigdefault(&attrs, &termination);
  posix_spawnattr_setsigmask(&attrs, &none);
  posix_spawnattr_setflags(&attrs, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  ::pthread_sigmask(SIG_BLOCK, &termination, &saved);
  int rc = ::posix_spawn(&pid, args[0], &actions, &attrs, args.data(), environ);
  if (rc == 0)
    gChild = pid;
  ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  posix_spawnattr_destroy(&attrs);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    error = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return false;
  }
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0)
      result.output.append(buf, static_cast<size_t>(n));
    else if (n == 0 || errno != EINTR)
      break;
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  gChild = 0;
  if (gSignal) {
    error = argv[0] + " was stopped: tritonc received " +
            std::string(sigabbrev_np(gSignal) ? sigabbrev_np(gSignal) : "a signal");
    return false;
  }
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return true;
}

bool runTool(const ToolRun &run, const ToolchainOptions &options, std::string &bytes,
             std::string &messages, DiagnosticEngine &diags) {
  auto fail = [&](std::string message) -> Diagnostic & {
    Diagnostic &d = diags.error({}, std::move(message));
    d.toolchain = true;
    return d;
  };
  if (options.onRun)
    options.onRun(run.argv);
  ProcessResult result;
  std::string error;
  if (!runProcess(run.argv, result, error)) {
    fail(error);
    return false;
  }
  std::string output = result.output;
  while (!output.empty() && output.back() == '\n')
    output.pop_back();
  if (result.exitCode != 0) {
    std::string status = result.exitCode < 0 ? std::string("killed")
                                             : "exit status " + std::to_string(result.exitCode);
    std::string subject = run.subject ? run.subject(output) : "";
    Diagnostic &d = fail(run.name + " failed" + (subject.empty() ? "" : " " + subject) + " (" +
                         (run.target.empty() ? "" : run.target + ", ") + status + ")");
    d.notes.push_back(
        {{}, output.empty() ? run.name + " printed nothing" : run.name + ": " + output});
    d.notes.push_back({{}, "command: " + shellQuote(run.argv)});
    return false;
  }
  messages = output;
  if (!readFile(run.outputFile, bytes)) {
    fail(run.name + " succeeded but wrote no " + run.outputKind);
    return false;
  }
  if (run.elf && !isElf64(bytes)) {
    fail(run.name + " succeeded but its output is not a " + run.outputKind + " (" +
         std::to_string(bytes.size()) + " bytes without an ELF header)");
    return false;
  }
  return true;
}

std::string shellQuote(const std::vector<std::string> &argv) {
  static const char *kPlain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "-_./=:,+@%";
  std::string out;
  for (const std::string &a : argv) {
    if (!out.empty())
      out += ' ';
    if (!a.empty() && a.find_first_not_of(kPlain) == std::string::npos) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a)
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

void blockTerminationSignals() {
  sigset_t termination;
  sigemptyset(&termination);
  for (int sig : kTerminationSignals)
    sigaddset(&termination, sig);
  ::pthread_sigmask(SIG_BLOCK, &termination, nullptr);
}

void installTerminationHandlers() {
  struct sigaction sa{};
  sa.sa_handler = onTerminationSignal;
  sigemptyset(&sa.sa_mask);
  for (int sig : kTerminationSignals) {
    // A signal ignored by whoever started us (nohup) stays ignored.
    struct sigaction old{};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    ::sigaction(sig, &sa, nullptr);
  }
}

int terminationSignal() { return gSignal; }

TempDir::TempDir() {
  std::string base = env("TMPDIR");
  if (base.empty())
    base = "/tmp";
  std::string tmpl = base + "/tritonc-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()))
    path_ = buf.data();
  else
    error_ = "cannot create a temporary folder in '" + base + "': " + std::strerror(errno) +
             " (set TMPDIR to a writable folder)";
}

TempDir::~TempDir() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

bool writeFile(const std::string &path, const std::string &bytes, std::string *error) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (out)
    return true;
  if (error)
    *error = "cannot write '" + path + "': " + (errno ? std::strerror(errno) : "I/O error");
  return false;
}

bool isElf64(const std::string &bytes) {
  return bytes.size() >= 64 &&
         bytes.compare(0, 4,
                       "\x7f"
                       "ELF") == 0 &&
         bytes[4] == 2; // ELFCLASS64
}

bool readFile(const std::string &path, std::string &bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  bytes = ss.str();
  return true;
}

} // namespace tritonc
