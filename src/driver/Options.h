// The command line of tritonc: what the user asked for, as plain data. Parsing (CLI11) lives in
// Options.cpp; nothing here knows how the compilation is carried out. The flags, their defaults
// and their help text are the single source that README.md and man/tritonc.1 document.
#pragma once

#include "driver/Launch.h"
#include "frontend/Frontend.h"
#include "support/Diagnostics.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tritonc::driver {

/// Process exit codes (documented in README.md and tritonc(1)).
enum ExitCode : int {
  kExitSuccess = 0,
  kExitInputError = 1,   ///< an error in the input (source, IR, -D value, unreadable file)
  kExitUsageError = 2,   ///< bad command line
  kExitToolError = 3,    ///< an external tool (ptxas, ld.lld) failed or is missing
  kExitInternalError = 4 ///< a bug in tritonc: an exception or a crash caught at the top
};

/// What the compilation stops at and writes.
enum class EmitKind {
  Binary, ///< cubin (default) + metadata JSON
  TileIR, ///< --emit-ir=tile: the IR right after the front end (or as parsed with --from-ir)
  IR,     ///< --emit-ir: the IR after the pass pipeline (or after --passes)
  LLVM,   ///< --emit-llvm: the optimized LLVM IR
  PTX,    ///< -S: PTX assembly
};

struct DriverOptions {
  /// The input: a .tt source, or Tile/GPU IR text with --from-ir (or a `.tir` file name).
  /// "-" is standard input (named `<stdin>` in diagnostics; a binary then needs -o).
  std::string input;
  bool inputIsIR = false;
  /// -o; empty means the default (binary: STEM.cubin in the working directory; text: stdout).
  /// "-" means stdout (text outputs only).
  std::string output;
  std::string arch = "sm_90a"; ///< --arch as given: one arch, or several separated by commas
  /// --arch split at commas, duplicates removed, in order. Several archs (or --embed-ptx) make
  /// the binary a fatbin packed by the toolkit's `fatbinary`.
  std::vector<std::string> archs{"sm_90a"};
  bool embedPtx = false;                 ///< --embed-ptx: put each arch's PTX into the fatbin too
  std::string cHeaderPath;               ///< --emit-c-header FILE: a C header embedding the binary
  bool lineInfo = false;                 ///< -lineinfo: .tt line tables in the PTX and the cubin
  bool noAlignmentVersioning = false;    ///< --no-alignment-versioning: drop version-alignment
  std::string registerCap = "occupancy"; ///< --register-cap: no-spill, occupancy or off
  bool specialize = false; ///< --specialize: variants per kernel, dispatched at launch
  /// --mma=KIND: the tensor-core instruction of dots on sm_90a: "wgmma" (warpgroup MMA where
  /// the shapes allow, else mma.sync; the default) or "sync" (mma.sync only).
  std::string mma = "wgmma";
  bool resourceUsage = false; ///< --resource-usage: print each entry's registers, spills, ...
  unsigned maxRegisters = 0;  ///< --maxnreg N: each NVIDIA kernel's register cap (0: none)
  std::string cHeaderPrefix;  ///< --c-header-prefix ID: its names' prefix ("": the header's stem)

  std::vector<std::pair<std::string, std::string>> defines; ///< -D NAME=VALUE, in order
  std::vector<std::string> includeDirs;                     ///< -I DIR
  std::vector<std::string> kernels;                         ///< --kernel NAME
  std::string signature; ///< --signature "*fp32:16, i32, 1024" (Triton's AOT notation)
  /// A second, third, ... --signature: variants of the same kernels (promises only), compiled
  /// into the same binary and dispatched at launch like --specialize's.
  std::vector<std::string> variantSignatures;
  /// --num-warps, --num-stages, --num-ctas, then each -D num_warps=N etc. in order (so a -D
  /// wins); checked and applied to every kernel by applyLaunchOverrides, at the kernel.
  std::vector<LaunchOverride> launchOverrides;
  uint64_t maxStatements = kDefaultMaxLoweredStatements; ///< --max-statements N

  EmitKind emit = EmitKind::Binary;
  std::string metadataPath; ///< --metadata FILE; empty: beside the binary
  unsigned optLevel = 3;    ///< -O0..-O3

  // Pass-pipeline debugging.
  std::vector<std::string> printAfter; ///< --print-after=PASS (repeatable)
  bool printAfterAll = false;
  bool verifyEach = false;
  bool passesGiven = false;        ///< --passes was on the command line (even empty)
  std::vector<std::string> passes; ///< --passes=a,b: run exactly these instead of the pipeline

  // Toolchain.
  std::string ptxas; ///< --ptxas PATH
  bool verbose = false;
  bool timePasses = false;
  bool printSharedMemory = false; ///< --print-shared-memory: the allocation, on standard error

  // gcc-compatible dependency file.
  bool depfile = false;                ///< -MD (or -MF)
  std::string depfilePath;             ///< -MF FILE; default: OUT with its extension replaced by .d
  std::vector<std::string> depTargets; ///< -MT TARGET; default: the output path
  bool depPhony = false;               ///< -MP

  bool showVersion = false;
  bool listPasses = false; ///< --list-passes

  /// --list-kernels[=FORMAT]: "" (not asked), "text" or "json": print each kernel's name and
  /// signature after the front end instead of compiling.
  std::string listKernels;
  ColorChoice color = ColorChoice::Auto; ///< --color, -fcolor-diagnostics, -fno-color-diagnostics

  bool inputIsStdin() const { return input == "-"; }

  /// The binary is a fatbin: several archs, or --embed-ptx.
  bool fatbin() const { return archs.size() > 1 || embedPtx; }
};

/// Parses argv. On success fills `options` and returns std::nullopt: the caller compiles. When
/// nothing is left to do it returns the exit code: 0 after --help, kExitUsageError after a bad
/// command line (the message and a usage hint already written to `err`). --version is left to
/// the caller (it needs the toolchain to report ptxas's version).
std::optional<int> parseCommandLine(int argc, const char *const *argv, DriverOptions &options,
                                    std::ostream &out, std::ostream &err);

/// The full --help text (also used by the tests that keep README and man page in sync).
std::string helpText();

} // namespace tritonc::driver
