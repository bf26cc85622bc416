// Toolchain discovery (ptxas, ld.lld, libdevice, ROCm bitcode) and process spawning.
// Tools run through posix_spawn with an argument vector: no shell, so paths with spaces or
// quotes are safe; stdout and stderr share one pipe so the captured text keeps their order.
#include "codegen/Toolchain.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
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

/// The path the user named for a tool, by flag or else by environment variable ("" if neither),
/// with how it was named for messages. A named path is the only candidate: one that does not
/// exist is an error, never silently replaced by a search.
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

std::string findLdLld(const ToolchainOptions &options, std::string &error) {
  std::string how;
  if (std::string named = namedPath(options.ldLld, "the given path", "TRITONC_LD_LLD", how);
      !named.empty())
    return firstOf({named}, isExecutable, "ld.lld (" + how + ")", error);
  return firstOf(
      {std::string(TRITONC_LLVM_BINDIR) + "/ld.lld", searchPath("ld.lld-22"), searchPath("ld.lld")},
      isExecutable, "ld.lld (set TRITONC_LD_LLD or put ld.lld on PATH)", error);
}

std::string findLibdevice(const ToolchainOptions &options, std::string &error) {
  std::string how;
  if (std::string named = namedPath(options.libdevice, "the given path", "TRITONC_LIBDEVICE", how);
      !named.empty())
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
  if (std::string named =
          namedPath(options.rocmBitcodeDir, "the given path", "TRITONC_ROCM_BITCODE", how);
      !named.empty())
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
  int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
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
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return true;
}

TempDir::TempDir() {
  std::string base = env("TMPDIR");
  std::string tmpl = (base.empty() ? std::string("/tmp") : base) + "/tritonc-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()))
    path_ = buf.data();
}

TempDir::~TempDir() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

bool writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
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
