// The external pieces of the toolchain: finding ptxas, ld.lld, libdevice and the ROCm device
// libraries, and running a tool without a shell with its output captured.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tritonc {

/// Where the user pointed the toolchain; an empty field means "search for it".
struct ToolchainOptions {
  std::string ptxas;          ///< path of ptxas
  std::string ldLld;          ///< path of ld.lld
  std::string libdevice;      ///< path of libdevice.10.bc
  std::string rocmBitcodeDir; ///< folder holding ocml.bc and oclc_*.bc
  unsigned ptxasOptLevel = 3; ///< ptxas -O level (tritonc -O)
  bool lineInfo = false;      ///< ptxas -lineinfo: keep the PTX's .loc lines in the cubin
  /// Called with each external command line just before it runs (tritonc -v prints them).
  std::function<void(const std::vector<std::string> &argv)> onRun;
};

/// Search order of each find function (first hit wins; `error` lists what was tried). A path
/// named by the option or by the tool's variable is the only candidate: when it does not exist
/// the search fails (tritonc exits 3) rather than quietly using another tool.
///   ptxas:     option, else $TRITONC_PTXAS; else $CUDA_HOME/bin, $CUDA_PATH/bin,
///              /usr/local/cuda/bin, PATH
///   ld.lld:    option, else $TRITONC_LD_LLD; else LLVM 22's bin folder, ld.lld-22 then ld.lld on
///   PATH libdevice: option, else $TRITONC_LIBDEVICE; else $CUDA_HOME, $CUDA_PATH, /usr/local/cuda,
///   then
///              the CUDA tree of the ptxas found above (each + nvvm/libdevice/libdevice.10.bc)
///   ROCm bitcode: option, else $TRITONC_ROCM_BITCODE; else $ROCM_PATH/amdgcn/bitcode,
///              /opt/rocm/amdgcn/bitcode, /usr/lib/x86_64-linux-gnu/amdgcn/bitcode
std::string findPtxas(const ToolchainOptions &options, std::string &error);
std::string findLdLld(const ToolchainOptions &options, std::string &error);
std::string findLibdevice(const ToolchainOptions &options, std::string &error);
std::string findRocmBitcodeDir(const ToolchainOptions &options, std::string &error);

struct ProcessResult {
  int exitCode = -1;  ///< the exit status; -1 if the process did not start or was killed
  std::string output; ///< stdout and stderr, in the order they arrived
};

/// Runs argv[0] (a path) with the arguments argv[1..], no shell, capturing its output.
/// Returns false with `error` set if it could not be started.
bool runProcess(const std::vector<std::string> &argv, ProcessResult &result, std::string &error);

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

private:
  std::string path_;
};

bool writeFile(const std::string &path, const std::string &bytes);
bool readFile(const std::string &path, std::string &bytes);

} // namespace tritonc
