// Command-line parsing for tritonc with CLI11, plus the hand-written --help text.
//
// CLI11 does the parsing and the type/range checks; the help text is written by hand because the
// gcc-style spellings (-MD, -MF, -O3, -DNAME=V) and the grouping of a compiler's flags read better
// than CLI11's generated listing. README.md and man/tritonc.1 document exactly these flags; the
// lit test driver/help.test and scripts/test.sh check that every flag here appears in the man page.
#include "driver/Options.h"
#include "driver/CHeader.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <ostream>
#include <sstream>
#include <tuple>

namespace tritonc::driver {

std::string helpText() {
  return R"(OVERVIEW: tritonc - compiler for Triton's tile-kernel language (.tt) to GPU binaries

USAGE: tritonc FILE.tt [-o OUT.cubin] [options]      (FILE '-': standard input)
       tritonc --from-ir FILE.tir [--passes=PASS,...] [--emit-ir] [options]
       tritonc run FILE.tt --kernel NAME --grid X[,Y[,Z]] --arg NAME=VALUE...
                        (runs a kernel on the CPU; see tritonc run --help)

OUTPUT:
  -o FILE               Output file. Default: STEM.cubin (STEM.hsaco for AMD) in the working
                        directory for a binary, standard output for --emit-ir, --emit-llvm and
                        -S. '-' is standard output (text outputs only).
  --emit-ir[=STAGE]     Print the IR instead of compiling: after the whole pass pipeline (or after
                        --passes), or with STAGE 'tile' right after the front end. STAGE 'gpu' is
                        the same as no STAGE.
  --emit-llvm           Print the optimized LLVM IR.
  -S                    Write the target's assembly (PTX; AMDGPU assembly for a gfx arch).
  --metadata FILE       Write the launch-metadata JSON to FILE (default: OUT with its extension
                        replaced by .json, beside the binary). Allowed with a binary or -S.
  -MD                   Also write a gcc-style dependency file (default: OUT with .d).
  -MF FILE              Write the dependency file to FILE (implies -MD).
  -MT TARGET            Name TARGET as the rule's target in the dependency file (repeatable;
                        default: the output file).
  -MP                   Add a phony target for every dependency but the main file.
  --emit-c-header FILE  Also write a C header embedding the binary, with load/unload functions,
                        a typed PREFIX_KERNEL_launch() and the constexprs of each kernel (HIP
                        spelling for AMD). PREFIX: the header's stem.
  --c-header-prefix ID  The prefix of every name in the C header (a C identifier), so that
                        headers of two specializations of one kernel can be included together.
  --list-kernels[=FORMAT]
                        Print each kernel's name and signature, one per line (FORMAT 'text',
                        the default: NAME(PARAM: TYPE, ..., CONSTEXPR: constexpr = VALUE)), or
                        as one JSON document (FORMAT 'json'), after the front end; no compile.

TARGET AND CODE GENERATION:
  --arch ARCH           Target GPU: sm_75, sm_80, sm_86, sm_89, sm_90, sm_90a, sm_100, sm_100a,
                        sm_103, sm_120, sm_120a (NVIDIA, a cubin through ptxas), any AMD gfx
                        processor LLVM knows, e.g. gfx90a, gfx942, gfx950, gfx1100, gfx1200 (an
                        .hsaco through ld.lld; wave64 on gfx9, wave32 on gfx10+) or native (this
                        machine's GPU, asked of the CUDA driver, libcuda.so.1 or
                        $TRITONC_LIBCUDA). Default: sm_90a.
                        Several NVIDIA archs, comma-separated (--arch sm_80,sm_90a) or with
                        --arch repeated, give one fatbin (default OUT: STEM.fatbin) packed by the
                        CUDA toolkit's fatbinary; several AMD archs (--arch gfx90a,gfx1100) one
                        clang offload bundle (default OUT: STEM.hipfb) that hipModuleLoadData
                        reads, with each arch's block in the metadata (arch_blocks).
  --embed-ptx           Also put each arch's PTX into the binary (a fatbin, even for one arch)
                        for forward compatibility with newer GPUs.
  -O0 -O1 -O2 -O3       Optimization level of LLVM and ptxas. Default: -O3.
  -lineinfo             Keep the .tt line of each instruction (PTX .loc, ptxas -lineinfo) so that
                        Nsight Compute and compute-sanitizer show source lines. No effect on speed.
  --no-alignment-versioning
                        Do not version kernels on alignment: by default, where 16-byte aligned
                        pointers and integers divisible by 16 would allow wider loads and stores,
                        the kernel checks them once at entry and runs a vectorized copy of itself.
  --register-cap MODE   Registers of an alignment-versioned kernel (NVIDIA): 'occupancy' (default)
                        caps them (.maxnreg) at its vectorized versions' occupancy, where the
                        scalar fallback may spill; 'no-spill' at the highest occupancy at which
                        no version spills; 'off' no cap.
  --specialize          Also compile variants of each kernel for 16-byte aligned pointers,
                        integers divisible by 16 or equal to 1 (where they widen loads and
                        stores), as entries of the same binary; the metadata lists them and
                        the C header, launcher.hpp and the Python package launch the most
                        specialized one the arguments allow. Replaces alignment versioning.
  --mma=KIND            Tensor-core instruction of tl.dot on sm_90a: wgmma (the default:
                        warpgroup MMA reading the pipeline's shared-memory tiles, for f16/bf16
                        dots into fp32 whose M is a multiple of 16 * num_warps; other dots keep
                        mma.sync) or sync (mma.sync with ldmatrix for every dot). Other archs:
                        no effect.
  --num-warps N         Warps per program (1, 2, 4, 8, 16 or 32; default 4, and 8 on wave32 AMD
                        archs: gfx10 and later). On AMD a warp is a wavefront.
  --num-stages N        Software-pipelining stages for loops (1..16; default 3).
  --num-ctas N          CTAs per cluster (1, 2, 4, 8 or 16; default 1).
  --maxnreg N           Cap every kernel at N registers per thread (24..255; NVIDIA targets:
                        .maxnreg, as Triton's maxnreg option), e.g. so that one more program
                        fits on an SM; what does not fit spills (--resource-usage shows it).
  --ptxas PATH          The ptxas to run (else $TRITONC_PTXAS, $CUDA_HOME/bin/ptxas,
                        /usr/local/cuda/bin/ptxas, then ptxas on $PATH).

SOURCE:
  -D NAME=VALUE         Set a constexpr parameter, e.g. -D BLOCK=256 or -DDTYPE=fp16 (repeatable;
                        a later one wins). -D num_warps=8 etc. set the launch parameters.
  -I DIR                Search DIR for imported .tt modules (repeatable), after the importing
                        file's own directory.
  --kernel NAME         Compile only kernel NAME (repeatable). Default: every kernel in FILE.
  --signature STR       Parameter types in Triton's AOT notation, one entry per parameter in
                        order, e.g. "*fp32:16, *fp32:16, i32:16, 1024": *T pointers, integer
                        and float scalars, ':16' divisibility, ':1' the constant 1 (still passed
                        at launch), bare values for constexprs. Types unannotated Triton kernels
                        (FILE.py: only its @jit functions are read) and refines annotated ones.
                        Repeated, each further signature adds a variant of the kernel to the
                        same binary (differing in ':16' and ':1' promises only), launched by
                        the generated dispatchers when the arguments keep its promises.
  --max-statements N    The most statements one kernel may lower to once tl.static_range loops
                        are unrolled and helpers inlined (default 100000); past it, a located
                        error instead of a hang. See LIMITS in tritonc(1).

PASS PIPELINE (debugging):
  --from-ir FILE        Read Tile or GPU IR text from FILE instead of a .tt source (also implied
                        by an input file ending in .tir).
  --passes=PASS,...     Run exactly these passes instead of the pipeline (empty: none).
  --list-passes         List the passes: name, the IR level each runs on, what it does.
  --print-after=PASS    Print the IR to standard error after PASS (repeatable, or PASS,PASS).
  --print-after-all     Print the IR to standard error after every pass.
  --verify-each         Run the IR verifier after every pass.
  --time-passes         Report the time of the front end, each pass, LLVM and ptxas on
                        standard error.
  --print-shared-memory Print each kernel's shared-memory buffers (offset, size, lifetime, the
                        op and its line) and total to standard error, after the passes.

GENERAL:
  --color=WHEN          Colour diagnostics: auto (the default: when standard error is a terminal
                        and NO_COLOR is unset), always or never.
  -fcolor-diagnostics, -fno-color-diagnostics
                        clang's spellings of --color=always and --color=never (for ninja, which
                        pipes standard error).
  -v                    Print the commands run (ptxas), the stages and each kernel's resource
                        usage to standard error.
  --resource-usage      Print each kernel's registers, stack frame, spill stores and loads and
                        shared memory to standard error (as nvcc --resource-usage).
  --version             Print the versions of tritonc, LLVM and ptxas.
  -h, --help            Print this help.

EXIT STATUS: 0 success, 1 error in the input, 2 bad usage, 3 an external tool failed,
4 internal error.
)";
}

namespace {

/// Rewrites the gcc-style spellings CLI11 cannot declare (multi-letter single-dash options) and
/// `--passes=` with an empty value (which CLI11 would otherwise fill with the next argument).
std::vector<std::string> normalizeArgs(int argc, const char *const *argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-MD" || a == "-MP" || a == "-MF" || a == "-MT" || a == "-lineinfo") {
      args.push_back("-" + a);
    } else if (a.size() > 3 && (a.starts_with("-MF") || a.starts_with("-MT"))) {
      args.push_back("-" + a.substr(0, 3));
      args.push_back(a.substr(3));
    } else if (a == "-fcolor-diagnostics" || a == "-fno-color-diagnostics") {
      args.push_back(a == "-fcolor-diagnostics" ? "--color=always" : "--color=never");
    } else if (a == "--passes=") {
      args.push_back("--passes");
      args.push_back("");
    } else {
      args.push_back(std::move(a));
    }
  }
  return args;
}

std::vector<std::string> splitList(const std::string &text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ','))
    if (!item.empty())
      items.push_back(item);
  return items;
}

struct UsageError {
  std::string message;
};

/// --list-kernels prints and stops after the front end: it takes no output-producing flag.
void checkListKernels(const DriverOptions &o) {
  if (o.listKernels.empty())
    return;
  if (o.listKernels != "text" && o.listKernels != "json")
    throw UsageError{"--list-kernels takes 'text' or 'json' (got '" + o.listKernels + "')"};
  if (o.emit != EmitKind::Binary)
    throw UsageError{"--list-kernels excludes --emit-ir, --emit-llvm and -S"};
  if (!o.metadataPath.empty() || !o.cHeaderPath.empty() || o.depfile || !o.depfilePath.empty() ||
      o.embedPtx)
    throw UsageError{"--list-kernels writes no binary: --metadata, --emit-c-header, -MD/-MF and "
                     "--embed-ptx do not apply"};
}

/// `-` reads the source from standard input. Text outputs still default to standard output; a
/// binary has no STEM to be named after, so it needs -o (as does a depfile's default name).
void checkStdinInput(const DriverOptions &o) {
  if (!o.inputIsStdin() || !o.listKernels.empty())
    return;
  if (o.emit == EmitKind::Binary && o.output.empty())
    throw UsageError{"reading standard input ('-') needs -o FILE for a binary output (there is "
                     "no file name to take its stem from)"};
}

} // namespace

std::optional<int> parseCommandLine(int argc, const char *const *argv, DriverOptions &options,
                                    std::ostream &out, std::ostream &err) {
  CLI::App app{"tritonc", "tritonc"};
  app.set_help_flag(); // our own -h/--help prints helpText()
  bool help = false;
  app.add_flag("-h,--help", help);

  std::string emitIR;
  bool emitLLVM = false, emitPTX = false;
  std::vector<std::string> defines;
  int64_t numWarps = 0, numStages = 0, numCtas = 0;
  std::string fromIR;
  std::string passes;
  std::vector<std::string> depTargets;

  app.add_option("input", options.input);
  auto *outputOpt = app.add_option("-o", options.output);
  // --arch repeats (--arch gfx90a --arch gfx942) or lists (--arch gfx90a,gfx942): both mean
  // one binary for every arch named.
  std::vector<std::string> archValues;
  app.add_option("--arch", archValues)->allow_extra_args(false);
  app.add_option("-D", defines)->allow_extra_args(false);
  app.add_option("-I", options.includeDirs)->allow_extra_args(false);
  app.add_option("--kernel", options.kernels)->allow_extra_args(false);
  std::vector<std::string> signatures;
  app.add_option("--signature", signatures)->allow_extra_args(false);
  app.add_option("--max-statements", options.maxStatements)
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32));
  auto *warpsOpt = app.add_option("--num-warps", numWarps);
  auto *stagesOpt = app.add_option("--num-stages", numStages);
  auto *ctasOpt = app.add_option("--num-ctas", numCtas);
  // A flag that may carry a value: `--emit-ir` alone gives "gpu", `--emit-ir=tile` gives
  // "tile", and it never swallows the next argument (unlike an option with an optional value).
  app.add_flag("--emit-ir{gpu}", emitIR);
  app.add_flag("--emit-llvm", emitLLVM);
  app.add_flag("-S", emitPTX);
  auto *metadataOpt = app.add_option("--metadata", options.metadataPath);
  auto *cHeaderOpt = app.add_option("--emit-c-header", options.cHeaderPath);
  app.add_option("--c-header-prefix", options.cHeaderPrefix);
  app.add_flag("--embed-ptx", options.embedPtx);
  app.add_flag("--lineinfo", options.lineInfo); // spelled -lineinfo, as nvcc's
  app.add_flag("--no-alignment-versioning", options.noAlignmentVersioning);
  app.add_option("--register-cap", options.registerCap);
  app.add_flag("--specialize", options.specialize);
  app.add_option("--mma", options.mma)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag("--resource-usage", options.resourceUsage);
  app.add_option("-O", options.optLevel)->check(CLI::Range(0u, 3u));
  auto *maxnregOpt = app.add_option("--maxnreg", options.maxRegisters);
  app.add_flag("--version", options.showVersion);
  app.add_flag("--list-passes", options.listPasses);
  // As --emit-ir: `--list-kernels` alone gives "text", `--list-kernels=json` "json".
  app.add_flag("--list-kernels{text}", options.listKernels);
  std::string color;
  app.add_option("--color", color)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--print-after", options.printAfter)->allow_extra_args(false)->delimiter(',');
  app.add_flag("--print-after-all", options.printAfterAll);
  app.add_flag("--verify-each", options.verifyEach);
  app.add_option("--from-ir", fromIR);
  auto *passesOpt = app.add_option("--passes", passes);
  app.add_option("--ptxas", options.ptxas);
  app.add_flag("-v", options.verbose);
  app.add_flag("--time-passes", options.timePasses);
  app.add_flag("--print-shared-memory", options.printSharedMemory);
  app.add_flag("--MD", options.depfile);
  auto *depfileOpt = app.add_option("--MF", options.depfilePath);
  app.add_option("--MT", depTargets)->allow_extra_args(false);
  app.add_flag("--MP", options.depPhony);

  try {
    std::vector<std::string> args = normalizeArgs(argc, argv);
    std::reverse(args.begin(), args.end()); // CLI11 takes the arguments in reverse order
    app.parse(args);
    if (help) {
      out << helpText();
      return kExitSuccess;
    }
    if (options.mma != "sync" && options.mma != "wgmma")
      throw UsageError{"--mma takes sync or wgmma (got '" + options.mma + "')"};
    if (!color.empty() && !parseColorChoice(color, options.color))
      throw UsageError{"--color takes auto, always or never (got '" + color + "')"};
    if (options.showVersion || options.listPasses)
      return std::nullopt;

    // An empty file name would otherwise read as "not given" and silently drop that output.
    const std::pair<CLI::Option *, const char *> paths[] = {{outputOpt, "-o"},
                                                            {metadataOpt, "--metadata"},
                                                            {cHeaderOpt, "--emit-c-header"},
                                                            {depfileOpt, "-MF"}};
    for (auto [opt, flag] : paths)
      if (opt->count() && opt->as<std::string>().empty())
        throw UsageError{std::string(flag) + " needs a file name (got '')"};

    // Launch knobs are checked where they are applied, at each kernel (Launch.h), so that
    // a flag, a -D and an IR attribute get the same located error.
    const std::tuple<CLI::Option *, const char *, LaunchKnob, int64_t> knobFlags[] = {
        {warpsOpt, "--num-warps", LaunchKnob::NumWarps, numWarps},
        {stagesOpt, "--num-stages", LaunchKnob::NumStages, numStages},
        {ctasOpt, "--num-ctas", LaunchKnob::NumCtas, numCtas}};
    for (auto [opt, flag, knob, value] : knobFlags)
      if (opt->count())
        options.launchOverrides.push_back({knob, value, flag + (" " + std::to_string(value))});
    for (const std::string &d : defines) {
      size_t eq = d.find('=');
      if (eq == std::string::npos || eq == 0)
        throw UsageError{"-D expects NAME=VALUE (got '" + d + "')"};
      std::string name = d.substr(0, eq), value = d.substr(eq + 1), error;
      if (!takeLaunchDefine(name, value, options.launchOverrides, error))
        options.defines.emplace_back(name, value);
      else if (!error.empty())
        throw UsageError{error};
    }

    if (options.registerCap != "no-spill" && options.registerCap != "occupancy" &&
        options.registerCap != "off")
      throw UsageError{"--register-cap takes 'no-spill', 'occupancy' or 'off' (got '" +
                       options.registerCap + "')"};
    if (maxnregOpt->count() && (options.maxRegisters < 24 || options.maxRegisters > 255))
      throw UsageError{"--maxnreg takes 24 to 255 registers (got " +
                       std::to_string(options.maxRegisters) + ")"};

    int emits = (!emitIR.empty()) + emitLLVM + emitPTX;
    if (emits > 1)
      throw UsageError{"--emit-ir, --emit-llvm and -S exclude each other"};
    if (emitIR == "gpu")
      options.emit = EmitKind::IR;
    else if (emitIR == "tile")
      options.emit = EmitKind::TileIR;
    else if (!emitIR.empty())
      throw UsageError{"--emit-ir takes 'tile' or 'gpu' (got '" + emitIR + "')"};
    else if (emitLLVM)
      options.emit = EmitKind::LLVM;
    else if (emitPTX)
      options.emit = EmitKind::PTX;

    if (!fromIR.empty()) {
      if (!options.input.empty())
        throw UsageError{"give either an input file or --from-ir FILE, not both"};
      options.input = fromIR;
      options.inputIsIR = true;
    } else if (options.input.size() > 4 &&
               options.input.compare(options.input.size() - 4, 4, ".tir") == 0) {
      options.inputIsIR = true;
    }
    if (options.input.empty())
      throw UsageError{"no input file"};
    checkListKernels(options);

    if (!archValues.empty()) {
      options.arch.clear();
      for (const std::string &v : archValues)
        options.arch += (options.arch.empty() ? "" : ",") + v;
    }
    options.archs.clear();
    for (const std::string &a : splitList(options.arch))
      if (std::find(options.archs.begin(), options.archs.end(), a) == options.archs.end())
        options.archs.push_back(a);
    if (options.archs.empty())
      throw UsageError{"--arch needs a value such as sm_90a"};
    if (options.archs.size() > 1 && options.emit != EmitKind::Binary)
      throw UsageError{"several --arch values need a binary output (a fatbin), not " +
                       std::string(options.emit == EmitKind::PTX    ? "-S"
                                   : options.emit == EmitKind::LLVM ? "--emit-llvm"
                                                                    : "--emit-ir")};
    if (options.embedPtx && options.emit != EmitKind::Binary)
      throw UsageError{"--embed-ptx needs a binary output (a fatbin)"};
    if (!options.cHeaderPath.empty() && options.emit != EmitKind::Binary)
      throw UsageError{"--emit-c-header needs a binary output"};
    if (!options.cHeaderPrefix.empty() && options.cHeaderPath.empty())
      throw UsageError{"--c-header-prefix needs --emit-c-header"};
    if (!options.cHeaderPrefix.empty() && !isCIdentifier(options.cHeaderPrefix))
      throw UsageError{"--c-header-prefix '" + options.cHeaderPrefix +
                       "' is not a C identifier (letters, digits and '_', not starting with a "
                       "digit)"};

    if (!signatures.empty()) {
      options.signature = signatures.front();
      options.variantSignatures.assign(signatures.begin() + 1, signatures.end());
    }
    if (!options.variantSignatures.empty() && options.inputIsIR)
      throw UsageError{"several --signature values need a source, not IR text"};

    if (passesOpt->count()) {
      options.passesGiven = true;
      options.passes = splitList(passes);
    }
    if (options.printAfterAll)
      options.printAfter.push_back("all");

    if (!options.depfilePath.empty())
      options.depfile = true;
    options.depTargets = std::move(depTargets);
    if (options.depfile && options.emit != EmitKind::Binary && options.emit != EmitKind::PTX)
      throw UsageError{"-MD/-MF need an output file (a binary or -S)"};
    if (!options.metadataPath.empty() && options.emit != EmitKind::Binary &&
        options.emit != EmitKind::PTX)
      throw UsageError{"--metadata needs a binary or -S output"};
    if (options.output == "-" && options.emit == EmitKind::Binary && options.listKernels.empty())
      throw UsageError{"a binary cannot be written to standard output; use -o FILE.cubin"};
    if (options.output == "-" && options.depfile && options.depfilePath.empty() &&
        options.depTargets.empty())
      throw UsageError{"-MD with -o - needs -MF FILE and -MT TARGET"};
    checkStdinInput(options);
  } catch (const CLI::ParseError &e) {
    err << "tritonc: error: " << e.what() << "\nRun 'tritonc --help' for usage.\n";
    return kExitUsageError;
  } catch (const UsageError &e) {
    err << "tritonc: error: " << e.message << "\nRun 'tritonc --help' for usage.\n";
    return kExitUsageError;
  }
  return std::nullopt;
}

} // namespace tritonc::driver
