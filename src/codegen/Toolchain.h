// The external pieces of the toolchain: finding ptxas, fatbinary, ld.lld, libdevice and the
// ROCm device libraries, and running a tool without a shell with its output captured (runTool:
// one way of running and of reporting failures for every tool).
#pragma once

#include "support/Diagnostics.h"

#include <functional>
#include <string>
#include <vector>

namespace tritonc {

/// How the driver set up the toolchain (tritonc's flags): an empty path means "search for it".
struct ToolchainOptions {
  std::string ptxas;          ///< --ptxas PATH
  unsigned ptxasOptLevel = 3; ///< ptxas -O level (tritonc -O)
  bool lineInfo = false;      ///< ptxas -lineinfo: keep the PTX's .loc lines in the cubin
  /// --register-cap: how an alignment-versioned kernel's registers are capped (NVIDIA).
  enum class RegisterCap { NoSpill, Occupancy, Off } registerCap = RegisterCap::Occupancy;
  unsigned maxRegisters = 0; ///< --maxnreg: every NVIDIA kernel's .maxnreg (0: none)
  /// Called with each external command line just before it runs (tritonc -v prints them).
  std::function<void(const std::vector<std::string> &argv)> onRun;
  /// Called with the time of each step from an optimized module to a binary ("LLVM: PTX",
  /// "ptxas", "codegen: object + ld.lld"; tritonc --time-passes reports them).
  std::function<void(const std::string &step, double seconds)> onTime;
};

/// Search order of each find function (first hit wins; `error` lists what was tried). A path
/// named by --ptxas or by the tool's environment variable is the only candidate: when it does
/// not exist the search fails (tritonc exits 3) rather than quietly using another tool.
///   ptxas:        --ptxas, else $TRITONC_PTXAS; else $CUDA_HOME/bin, $CUDA_PATH/bin,
///                 /usr/local/cuda/bin, PATH
///   fatbinary:    $TRITONC_FATBINARY; else beside the ptxas found above (the same toolkit),
///                 $CUDA_HOME/bin, $CUDA_PATH/bin, /usr/local/cuda/bin, PATH
///   ld.lld:       $TRITONC_LD_LLD; else LLVM 22's bin folder, ld.lld-22 then ld.lld on PATH
///   libdevice:    $TRITONC_LIBDEVICE; else $CUDA_HOME, $CUDA_PATH, /usr/local/cuda, then the
///                 CUDA tree of the ptxas found above (each + nvvm/libdevice/libdevice.10.bc)
///   ROCm bitcode: $TRITONC_ROCM_BITCODE; else $ROCM_PATH/amdgcn/bitcode,
///                 /opt/rocm/amdgcn/bitcode, /usr/lib/x86_64-linux-gnu/amdgcn/bitcode
std::string findPtxas(const ToolchainOptions &options, std::string &error);
std::string findFatbinary(const ToolchainOptions &options, std::string &error);
std::string findLdLld(const ToolchainOptions &options, std::string &error);
std::string findLibdevice(const ToolchainOptions &options, std::string &error);
std::string findRocmBitcodeDir(const ToolchainOptions &options, std::string &error);

/// One run of an external tool that turns files into one output file (ptxas, ld.lld,
/// fatbinary). The caller writes the inputs (in a TempDir) and names the output in argv.
struct ToolRun {
  std::string name;              ///< "ptxas": for messages
  std::vector<std::string> argv; ///< argv[0]: the tool's path (from a find function)
  std::string outputFile;        ///< the file the tool writes
  std::string outputKind;        ///< "cubin", "code object", "fatbin": for messages
  bool elf = false;              ///< the output must be a 64-bit ELF file
  std::string target;            ///< "sm_90a": in the failure message, if set
  /// What failed, from the tool's output ("on kernel 'k'"), in the failure message if set.
  std::function<std::string(const std::string &output)> subject;
};

/// Runs `run` (onRun sees the command line first) and reads its output file into `bytes`; the
/// tool's own text on success (warnings) goes to `messages`. Every failure is one toolchain
/// error in `diags` (tritonc exits 3): the tool could not start or was stopped, or it failed,
///   "NAME failed SUBJECT (TARGET, exit status N)", with the notes "NAME: its output" and
///   "command: the command line",
/// or it wrote no output, or (`elf`) something that is not an ELF file.
bool runTool(const ToolRun &run, const ToolchainOptions &options, std::string &bytes,
             std::string &messages, DiagnosticEngine &diags);

/// Quotes a command for display (-v, failure notes) the way a POSIX shell would read it back.
std::string shellQuote(const std::vector<std::string> &argv);

struct ProcessResult {
  int exitCode = -1;  ///< the exit status; -1 if the process did not start or was killed
  std::string output; ///< stdout and stderr, in the order they arrived
};

/// Runs argv[0] (a path) with the arguments argv[1..], no shell, capturing its output.
/// Returns false with `error` set if it could not be started.
bool runProcess(const std::vector<std::string> &argv, ProcessResult &result, std::string &error);

/// Termination signals (SIGTERM, SIGINT, SIGHUP) while a tool runs: the handler kills the tool
/// and lets the compilation unwind (its temporary folder is removed on the way out); at any
/// other time the signal takes its default action at once. installTerminationHandlers() is
/// called once by main; terminationSignal() is the signal received (0: none), which main
/// re-raises once the compilation has unwound, so callers see the usual "killed by SIGTERM".
void installTerminationHandlers();
int terminationSignal();
/// Blocks the termination signals in the calling thread (main's, once the compiling thread runs,
/// so that the handler runs on the thread that starts the tools).
void blockTerminationSignals();

/// A fresh private folder under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }
  /// Why the folder could not be created: "cannot create a temporary folder in '/x': ...".
  const std::string &error() const { return error_; }

private:
  std::string path_;
  std::string error_;
};

/// Write and read a whole file; false on failure, with the strerror text in `*error` if given.
bool writeFile(const std::string &path, const std::string &bytes, std::string *error = nullptr);
bool readFile(const std::string &path, std::string &bytes);

/// Whether `bytes` start with a 64-bit ELF header (what ptxas and ld.lld write): a tool that
/// exits 0 after writing something else must not yield a "binary".
bool isElf64(const std::string &bytes);

} // namespace tritonc
