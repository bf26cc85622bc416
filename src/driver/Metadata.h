// Launch metadata: the JSON file written beside each binary that tells a host program everything
// it needs to call cuLaunchKernel (kernel symbols, block size, dynamic shared memory, the argument
// list in order with sizes and alignments). The schema is documented in README.md and tritonc(1);
// keys are written in a fixed order so that identical input gives byte-identical files.
#pragma once

#include "ir/IR.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tritonc::driver {

struct ParamMetadata {
  std::string name;
  std::string type; ///< .tt spelling: "*fp32", "i32", "**fp16"
  bool isPointer = false;
  unsigned size = 0;  ///< bytes in the kernel's parameter buffer
  unsigned align = 0; ///< bytes
  int64_t divisibility = 1;
  /// AMD, after a binary: the byte offset in the kernarg segment (the code object's note).
  std::optional<uint64_t> offset = std::nullopt;
};

/// What one kernel entry uses, from the assembler (ptxas -v; an hsaco's metadata note).
struct ResourceUsage {
  bool amd = false;                         ///< which keys the JSON has: NVIDIA's or AMD's
  unsigned registers = 0;                   ///< per thread (AMD: VGPRs)
  unsigned sgprs = 0;                       ///< AMD
  uint64_t spillStores = 0, spillLoads = 0; ///< NVIDIA: bytes
  unsigned vgprSpills = 0, sgprSpills = 0;  ///< AMD: registers
  uint64_t stackBytes = 0;                  ///< local memory per thread
  uint64_t staticSharedBytes = 0;           ///< shared memory declared in the code
  unsigned wavefrontSize = 0;               ///< AMD: lanes per wavefront (the code object's)
  uint64_t kernargBytes = 0;                ///< AMD: kernarg segment, hidden arguments included
};

struct KernelMetadata {
  std::string name;
  std::string symbol; ///< the entry's name in the binary
  unsigned numWarps = 4;
  unsigned numCtas = 1;
  unsigned numStages = 3;
  std::array<unsigned, 3> block{128, 1, 1};
  /// An AMD offload bundle (several gfx archs): the block for each arch of
  /// LaunchMetadata::archs, in order (num_warps wavefronts of that arch's size); empty otherwise.
  std::vector<std::array<unsigned, 3>> archBlocks;
  uint64_t sharedBytes = 0;
  std::array<unsigned, 3> clusterDims{1, 1, 1};
  std::vector<ConstexprBinding> constexprs; ///< in declaration order, source spellings
  std::vector<ParamMetadata> params;        ///< launch arguments, in order
  std::optional<ResourceUsage> resources;   ///< when a binary was made
  /// --specialize: the kernel this entry is a variant of ("" for an ordinary kernel) and each
  /// parameter's promise. After groupVariants, a specialized kernel's entry holds every variant
  /// (itself last, with no promises) in `variants`, most specialized first.
  std::string variantOf;
  std::vector<Function::Promise> promises;
  std::vector<KernelMetadata> variants;
};

/// Moves each variant (variantOf names another kernel) into the `variants` of the kernel it
/// specializes, followed by a copy of that kernel itself (the generic variant, no promises).
void groupVariants(std::vector<KernelMetadata> &kernels);

/// The line `--resource-usage` (and -v) print for one entry, in the spirit of nvcc's
/// `ptxas info : Used N registers` report: symbol, arch, registers, stack, spills, shared memory.
std::string resourceUsageText(const KernelMetadata &kernel, const std::string &arch);

/// The metadata's "format_version": raised when a key changes meaning or is removed (adding a
/// key keeps it); docs/metadata.schema.json describes this version.
inline constexpr int kMetadataFormatVersion = 1;

struct LaunchMetadata {
  std::string tritoncVersion;
  std::string source; ///< the input path as given
  std::string backend = "cuda";
  std::string arch = "sm_90a"; ///< --arch as given ("sm_80,sm_90a" for a fatbin of two)
  /// A fatbin only (several archs or --embed-ptx): every arch inside it, in order, and whether
  /// each arch's PTX is in it. Empty for a plain cubin / hsaco, whose JSON has neither key.
  /// For AMD (an offload bundle of several gfx archs) `archWarpSizes` gives each arch's
  /// wavefront size, in the same order, and there is no embedded_ptx key.
  std::vector<std::string> archs;
  std::vector<unsigned> archWarpSizes;
  bool embeddedPtx = false;
  unsigned warpSize = 32;
  std::string binary; ///< the output path as given
  std::vector<KernelMetadata> kernels;
};

/// The .tt spelling of a parameter type: scalars by scalarKindTritonName, pointers as `*T`.
std::string tritonTypeName(const Type *type);

/// Describes one kernel parameter (size and alignment as the kernel's ABI passes it).
ParamMetadata describeParam(const Type *type, const ParamInfo &info);

/// Fills everything the IR function knows: name, launch parameters, constexprs and params. The
/// block size defaults to numWarps * warpSize; codegen's numbers (symbol, block, shared bytes,
/// cluster) overwrite the defaults afterwards.
KernelMetadata describeKernel(const Function &fn, unsigned warpSize);

/// Renders the metadata as pretty-printed JSON (2-space indent, trailing newline).
/// Constexpr values become JSON numbers, booleans or strings from their source spellings.
std::string renderMetadata(const LaunchMetadata &metadata);

/// The default metadata path for an output: `dir/stem.json` (the output's extension replaced).
std::string defaultMetadataPath(const std::string &output);

/// `tritonc --list-kernels`: each kernel's name and signature, described by describeKernel
/// after the front end. Text (`json` false): one line per kernel,
///   NAME(PARAM: TYPE[:DIV], ..., CONSTEXPR: constexpr = VALUE, ...)
/// the launch parameters in order (TYPE as in the metadata, `:DIV` when a divisibility is
/// promised), then the constexprs with their values as spelled in the source. JSON: one object
/// {"format_version", "source", "kernels": [{"name", "num_warps", "num_ctas", "num_stages",
/// "constexprs": {NAME: VALUE}, "params": [{"name", "type", "kind", "divisibility"}]}]}, keys
/// in this order, values as in the launch metadata.
std::string renderKernelList(const std::string &source, const std::vector<KernelMetadata> &kernels,
                             bool json);

} // namespace tritonc::driver
