// `tritonc run`: the command line of the reference interpreter (see RunCommand.h).
//
//   tritonc run FILE.tt --kernel K --grid X[,Y[,Z]] [-D N=V]... [-I DIR]...
//               --arg NAME=VALUE... [--save NAME=FILE.npy]... [--passes a,b | --pipeline P]
//   tritonc run --differential FILE.tt [--kernel K] [--grid ...] [--elements N] [--seed S]
//
// A scalar argument takes a number; a pointer argument takes `@FILE.npy` (whose dtype must be
// the pointee's), `zeros:SHAPE` or `rand:SHAPE` (SHAPE as 4000 or 64x64). Every parameter
// needs an argument in run mode; in differential mode inputs are random and --arg only
// overrides scalars. The command-line problems are found before anything runs, so a bad
// --save never costs a long interpretation.
#include "driver/RunCommand.h"

#include "driver/Options.h"
#include "driver/Output.h"
#include "driver/Report.h"
#include "frontend/Frontend.h"
#include "interp/Differential.h"
#include "interp/Interpreter.h"
#include "interp/Npy.h"
#include "ir/Parser.h"
#include "ir/Verifier.h"
#include "passes/Pass.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace tritonc::driver {

std::string runHelpText() {
  return R"(USAGE: tritonc run FILE [options]

Runs a kernel on the CPU with the reference interpreter: programs of the grid run one after
another (x fastest), with Triton's semantics, and every load, store and atomic is checked
against the buffers passed in.

INPUT:
  FILE                  A .tt source, or IR text with --from-ir (or a .tir file); '-' reads
                        standard input (named <stdin> in diagnostics).
  --from-ir             FILE is Tile or GPU IR text.
  --kernel NAME         The kernel to run (needed when FILE has several).
  -D NAME=VALUE         Value of a constexpr parameter (as for compiling).
  -I DIR                Also search DIR for imported modules.

LAUNCH:
  --grid X[,Y[,Z]]      Programs along each axis (default 1).
  --arg NAME=VALUE      Argument of parameter NAME (repeatable; every parameter needs one):
                          a number for a scalar (42, -1, 0x10, 1.5e-3, inf, True);
                          for a pointer: @FILE.npy (its dtype must be the pointee's; bf16 and
                          fp8 as their bits, uint16/uint8), zeros:SHAPE or rand:SHAPE
                          (SHAPE: 4000 or 64x64; rand gives the interpreter's seeded data).
  --save NAME=FILE.npy  After the run, write the buffer of pointer parameter NAME.
  --passes A,B          Run these passes on the IR before interpreting it.
  --pipeline P          Run a named pipeline first: tile, gpu or full (tile then gpu).
  --arch ARCH           Target of the gpu pipeline (default sm_90a).
  --max-ops N           Stop with an error after N executed ops, so that an endless loop
                        ends (default 10000000; 0: no limit; --differential: 100000000 per
                        interpretation).
  --max-statements N    Statements one kernel may lower to after unrolling and inlining
                        (default 100000), as for compiling.

DIFFERENTIAL TESTING:
  --differential        Interpret the kernel (without --kernel: each kernel of FILE) on random
                        inputs before the first pass and after each pass (--passes, --pipeline,
                        default full) and name the first pass that changes the result. --arg
                        may set scalars (not pointers).
  --elements N          Elements per random buffer; integer scalars default to N (4096).
  --seed S              Seed of the random inputs (default 0).

DIAGNOSTICS:
  --color=WHEN          Colour diagnostics: auto (default), always or never; also
                        -fcolor-diagnostics and -fno-color-diagnostics (as for compiling).

OUTPUT: device_print lines on standard output; errors, such as an out-of-bounds access with
its location, program and element, on standard error.

EXIT STATUS: 0 success, 1 error in the input (including an out-of-bounds access, a failed
device_assert, or a pass that changes the result), 2 bad usage.
)";
}

namespace {

constexpr const char *kUsageHint = "Run 'tritonc run --help' for usage.\n";

using UsageError = RunUsageError;
struct InputError {
  std::string message;
};

struct RunOptions {
  std::string input;
  bool fromIR = false;
  std::string kernel;
  std::string grid = "1";
  std::vector<std::string> defines, includeDirs, args, saves;
  std::string passes, pipeline, arch = "sm_90a";
  bool passesGiven = false;
  bool differential = false;
  int64_t elements = 4096;
  uint64_t seed = 0;
  uint64_t maxOps = kDefaultRunMaxOps;
  bool maxOpsGiven = false;
  uint64_t maxStatements = kDefaultMaxLoweredStatements;
  ColorChoice color = ColorChoice::Auto; ///< --color, -fcolor-diagnostics
};

std::vector<std::string> split(const std::string &text, char sep) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep))
    items.push_back(item);
  return items;
}

std::pair<std::string, std::string> nameValue(const std::string &text, const char *flag) {
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError{std::string(flag) + " expects NAME=VALUE (got '" + text + "')"};
  return {text.substr(0, eq), text.substr(eq + 1)};
}

int64_t parsePositive(const std::string &text, const std::string &what) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1)
    throw UsageError{what + " must be a positive integer (got '" + text + "')"};
  return v;
}

std::array<int64_t, 3> parseGrid(const std::string &text) {
  std::vector<std::string> parts = split(text, ',');
  if (parts.empty() || parts.size() > 3)
    throw UsageError{"--grid expects X[,Y[,Z]] (got '" + text + "')"};
  std::array<int64_t, 3> grid{1, 1, 1};
  for (size_t i = 0; i < parts.size(); ++i)
    grid[i] = parsePositive(parts[i], "each --grid dimension");
  return grid;
}

/// The .tt spelling of an element type: fp32, *fp16, ...
std::string tritonName(const Type *t) {
  if (t->isPointer())
    return "*" + tritonName(t->pointee());
  return std::string(scalarKindTritonName(t->scalarKind()));
}

/// SHAPE of zeros:SHAPE / rand:SHAPE: positive dimensions separated by 'x' (an empty one, as
/// in `4x`, is an error), whose buffer of `pointee` elements fits in kMaxBufferBytes.
std::vector<int64_t> parseShape(const std::string &text, const std::string &param,
                                const Type *pointee) {
  if (text.empty())
    throw UsageError{"--arg " + param + ": empty shape"};
  std::vector<int64_t> shape;
  size_t begin = 0;
  for (;;) {
    size_t end = text.find('x', begin);
    shape.push_back(parsePositive(text.substr(begin, end - begin),
                                  "each dimension of the shape of --arg " + param));
    if (end == std::string::npos)
      break;
    begin = end + 1;
  }
  int64_t bytes = 0;
  if (!bufferBytes(pointee, shape, bytes) || bytes > kMaxBufferBytes)
    throw UsageError{"--arg " + param + ": shape too large: " + text + " elements of " +
                     tritonName(pointee) + " exceed the " + std::to_string(kMaxBufferBytes >> 30) +
                     " GiB limit of a buffer"};
  return shape;
}

/// The encoding of a scalar --arg value for a parameter of `type`.
uint64_t parseScalar(const std::string &text, const Type *type, const std::string &param) {
  const std::string where = "--arg " + param + "=" + text;
  if (type->isFloat()) {
    char *end = nullptr;
    errno = 0;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0')
      throw UsageError{where + ": expected a number for " + type->str()};
    return scalarBits(type, v);
  }
  if (type->isBool()) {
    if (text == "True" || text == "true" || text == "1")
      return 1;
    if (text == "False" || text == "false" || text == "0")
      return 0;
    throw UsageError{where + ": expected True or False for i1"};
  }
  // Integers: decimal or 0x hex, range-checked against the type.
  const bool neg = !text.empty() && text[0] == '-';
  std::string digits = neg ? text.substr(1) : text;
  int base = 10;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    digits = digits.substr(2);
    base = 16;
  }
  uint64_t mag = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), mag, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    throw UsageError{where + ": expected an integer for " + type->str()};
  const unsigned w = type->bitWidth();
  const bool isUnsigned = type->isUnsigned();
  const uint64_t maxPos =
      isUnsigned ? (w == 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1) : (uint64_t(1) << (w - 1)) - 1;
  const uint64_t maxNeg = isUnsigned ? 0 : uint64_t(1) << (w - 1);
  if ((neg && mag > maxNeg) || (!neg && mag > maxPos))
    throw UsageError{where + ": out of range for " + type->str()};
  return scalarBits(type, static_cast<int64_t>(neg ? uint64_t(0) - mag : mag));
}

class Runner {
public:
  Runner(const RunOptions &options, std::ostream &out, std::ostream &err)
      : opts_(options), out_(out), err_(err),
        color_(options.color == ColorChoice::Always ||
               (&err == &std::cerr && stderrWantsColor(options.color))) {}

  int execute() {
    try {
      return run();
    } catch (const UsageError &e) {
      return fail(kExitUsageError, e.message);
    } catch (const InputError &e) {
      return fail(kExitInputError, e.message);
    } catch (const CompilationAborted &) {
      flushDiagnostics();
      return kExitInputError;
    } catch (const std::length_error &) {
      // makeBuffer's limit (kMaxBufferBytes), reached through --elements.
      return fail(kExitInputError, "a buffer would exceed the " +
                                       std::to_string(kMaxBufferBytes >> 30) +
                                       " GiB limit of a buffer (fewer --elements, smaller shapes)");
    } catch (const std::bad_alloc &) {
      // The user's shapes and loops decide the memory a run needs: running out is theirs.
      return fail(kExitInputError, "out of memory while running the kernel (smaller buffers, "
                                   "blocks or --elements need less)");
    }
  }

private:
  int run() {
    const std::array<int64_t, 3> grid = parseGrid(opts_.grid);
    FrontendOptions fo;
    for (const std::string &d : opts_.defines) {
      auto [name, value] = nameValue(d, "-D");
      std::string error;
      if (!takeLaunchDefine(name, value, launchOverrides_, error))
        fo.defines.emplace_back(name, value);
      else if (!error.empty())
        throw UsageError{error};
    }
    fo.includeDirs = opts_.includeDirs;
    if (!opts_.kernel.empty())
      fo.kernels.push_back(opts_.kernel);
    fo.maxLoweredStatements = opts_.maxStatements;
    std::string archError;
    if (!targetInfoForArch(opts_.arch, target_, archError))
      throw UsageError{archError.empty() ? "unknown --arch '" + opts_.arch + "'" : archError};
    std::vector<const PassInfo *> passes = selectPasses();

    std::unique_ptr<Module> module = load(fo);
    if (opts_.differential)
      return differentialAll(std::move(module), fo, passes, grid);
    Function *fn = selectKernel(*module);

    KernelArgs args = bindArgs(*fn);
    const std::vector<std::pair<size_t, std::string>> saves = bindSaves(*fn, args);
    if (!passes.empty()) {
      std::vector<std::string_view> names;
      for (const PassInfo *p : passes)
        names.push_back(p->name);
      PassContext pctx{diags_, target_};
      PassRunOptions ro;
      ro.verifyEach = true;
      if (!runPasses(*module, names, pctx, ro))
        throw CompilationAborted();
      fn = module->lookup(fn->name());
      if (!fn)
        throw InputError{"the passes removed the kernel"};
    }
    InterpOptions io;
    io.maxOps = opts_.maxOps;
    if (!runKernel(*fn, grid, args, io, diags_, out_))
      throw CompilationAborted();
    out_.flush();
    // Each file through a temporary and a rename: a failed write leaves the old file intact.
    for (const auto &[param, path] : saves) {
      const Buffer &b = args.buffers[args.args[param].buffer];
      NpyArray array{npyDescr(b.elem), b.shape, b.bytes};
      std::string error;
      if (!writeFileAtomically(path, serializeNpy(array), error))
        throw InputError{"--save " + fn->params()[param].name + ": cannot write '" + path +
                         "': " + error};
    }
    return kExitSuccess;
  }

  std::vector<const PassInfo *> selectPasses() {
    std::vector<std::string_view> names;
    if (opts_.passesGiven && !opts_.pipeline.empty())
      throw UsageError{"--passes and --pipeline exclude each other"};
    if (opts_.passesGiven) {
      for (const std::string &n : split(opts_.passes, ','))
        if (!n.empty())
          names.push_back(n);
    } else {
      std::string p = opts_.pipeline.empty() && opts_.differential ? "full" : opts_.pipeline;
      if (p == "tile" || p == "full")
        for (std::string_view n : pipeline("tile", target_))
          names.push_back(n);
      if (p == "gpu" || p == "full")
        for (std::string_view n : pipeline("gpu", target_))
          names.push_back(n);
      if (!p.empty() && p != "tile" && p != "gpu" && p != "full")
        throw UsageError{"unknown --pipeline '" + p + "' (known: tile, gpu, full)"};
    }
    std::vector<const PassInfo *> passes;
    for (std::string_view n : names) {
      const PassInfo *info = findPass(n);
      if (!info)
        throw UsageError{"unknown pass '" + std::string(n) + "' in --passes"};
      passes.push_back(info);
    }
    return passes;
  }

  std::unique_ptr<Module> load(const FrontendOptions &fo) {
    std::string why;
    uint32_t fileId = 0;
    if (opts_.input != "-")
      fileId = sources_.loadFile(opts_.input, &why);
    else if (stdinFile_ != 0) // a second load (--differential) reuses the text read once
      fileId = sources_.addFile(SourceManager::kStdinName, sources_.file(stdinFile_).text);
    else
      fileId = stdinFile_ = sources_.loadStdin(&why);
    if (fileId == 0)
      throw InputError{"cannot read '" + opts_.input + "': " + why};
    std::unique_ptr<Module> module;
    if (opts_.fromIR || opts_.input.ends_with(".tir")) {
      module = parseModule(ctx_, sources_, fileId, diags_);
      if (!module || diags_.hasErrors() || !verifyModule(*module, diags_))
        throw CompilationAborted();
    } else {
      module = compileToTileIR(sources_, fileId, ctx_, fo, diags_);
      if (!module || diags_.hasErrors())
        throw CompilationAborted();
    }
    if (!applyLaunchOverrides(*module, launchOverrides_, target_.warpSize,
                              target_.maxThreadsPerBlock, diags_))
      throw CompilationAborted();
    flushDiagnostics(); // warnings
    return module;
  }

  Function *selectKernel(Module &module) {
    if (!opts_.kernel.empty()) {
      if (Function *fn = module.lookup(opts_.kernel))
        return fn;
      throw InputError{"no kernel '" + opts_.kernel + "' in '" + opts_.input + "'"};
    }
    if (module.functions().size() == 1)
      return module.functions().front().get();
    std::string names;
    for (const auto &f : module.functions())
      names += (names.empty() ? "" : ", ") + f->name();
    if (names.empty())
      throw InputError{"'" + opts_.input + "' defines no kernel"};
    throw UsageError{"'" + opts_.input + "' defines several kernels (" + names +
                     "): choose one with --kernel"};
  }

  size_t paramIndex(const Function &fn, const std::string &name, const char *flag) {
    for (size_t i = 0; i < fn.params().size(); ++i)
      if (fn.params()[i].name == name)
        return i;
    std::string names;
    for (const ParamInfo &p : fn.params())
      names += (names.empty() ? "" : ", ") + p.name;
    throw UsageError{std::string(flag) + ": kernel '" + fn.name() + "' has no parameter '" + name +
                     "' (parameters: " + names + ")"};
  }

  Buffer pointerArg(const std::string &value, const Type *pointee, const std::string &param,
                    size_t index) {
    if (value.starts_with("@")) {
      NpyArray array;
      std::string error;
      if (!readNpy(value.substr(1), array, error))
        throw InputError{"--arg " + param + ": " + error};
      if (!npyMatches(array.descr, pointee))
        throw InputError{"--arg " + param + ": '" + value.substr(1) + "' holds dtype '" +
                         array.descr + "', but " + param + " points to " + tritonName(pointee) +
                         " (dtype '" + npyDescr(pointee) + "')"};
      Buffer b;
      b.name = param;
      b.elem = pointee;
      b.shape = array.shape.empty() ? std::vector<int64_t>{1} : array.shape;
      b.bytes = std::move(array.data);
      return b;
    }
    for (const char *kind : {"zeros:", "rand:"})
      if (value.starts_with(kind)) {
        std::vector<int64_t> shape = parseShape(value.substr(std::strlen(kind)), param, pointee);
        Buffer b;
        try {
          b = makeBuffer(param, pointee, std::move(shape));
        } catch (const std::bad_alloc &) {
          throw InputError{"--arg " + param + "=" + value + ": not enough memory for the buffer"};
        }
        if (value.starts_with("rand:"))
          fillRandom(b, opts_.seed * 0x100000001b3ull + index + 1);
        return b;
      }
    throw UsageError{"--arg " + param + "=" + value + ": a pointer takes @FILE.npy, " +
                     "zeros:SHAPE or rand:SHAPE"};
  }

  KernelArgs bindArgs(const Function &fn) {
    const size_t n = fn.params().size();
    std::vector<bool> given(n, false);
    KernelArgs args;
    args.args.resize(n);
    for (const std::string &a : opts_.args) {
      auto [name, value] = nameValue(a, "--arg");
      const size_t i = paramIndex(fn, name, "--arg");
      if (given[i])
        throw UsageError{"--arg " + name + " is given twice"};
      given[i] = true;
      const Type *type = fn.body()->argument(static_cast<unsigned>(i))->type();
      if (type->isPointer()) {
        args.args[i] = KernelArg::ofBuffer(args.buffers.size());
        args.buffers.push_back(pointerArg(value, type->pointee(), name, i));
      } else {
        args.args[i] = KernelArg::ofScalar(parseScalar(value, type, name));
      }
    }
    std::string missing;
    for (size_t i = 0; i < n; ++i)
      if (!given[i])
        missing += (missing.empty() ? "" : ", ") + fn.params()[i].name;
    if (!missing.empty())
      throw UsageError{"kernel '" + fn.name() + "' needs --arg for: " + missing};
    return args;
  }

  std::vector<std::pair<size_t, std::string>> bindSaves(const Function &fn,
                                                        const KernelArgs &args) {
    std::vector<std::pair<size_t, std::string>> saves;
    for (const std::string &s : opts_.saves) {
      auto [name, path] = nameValue(s, "--save");
      const size_t i = paramIndex(fn, name, "--save");
      if (!args.args[i].isBuffer)
        throw UsageError{"--save " + name + ": not a pointer parameter"};
      if (path.empty())
        throw UsageError{"--save " + name + ": empty file name"};
      if (path == "-")
        throw UsageError{"--save " + name + ": a .npy file cannot be written to standard output"};
      if (opts_.input != "-" && sameFile(path, opts_.input))
        throw UsageError{"--save " + name + "=" + path + ": input file is the same as output file"};
      for (const auto &[other, otherPath] : saves)
        if (otherPath == path || sameFile(otherPath, path))
          throw UsageError{"--save " + name + "=" + path + ": the same file as --save " +
                           fn.params()[other].name};
      saves.emplace_back(i, path);
    }
    return saves;
  }

  /// --differential on the kernel named by --kernel, or on every kernel of the file. Passes
  /// change the module in place, so each further kernel starts from a freshly compiled one.
  int differentialAll(std::unique_ptr<Module> module, const FrontendOptions &fo,
                      const std::vector<const PassInfo *> &passes, std::array<int64_t, 3> grid) {
    if (!opts_.saves.empty())
      throw UsageError{"--save does not apply to --differential"};
    std::vector<std::string> kernels;
    if (!opts_.kernel.empty())
      kernels.push_back(selectKernel(*module)->name());
    else
      for (const auto &f : module->functions())
        kernels.push_back(f->name());
    if (kernels.empty())
      throw InputError{"'" + opts_.input + "' defines no kernel"};
    // With every kernel of a file under test, an --arg applies to the kernels that have it.
    const bool strictArgs = kernels.size() == 1;
    std::vector<bool> argUsed(opts_.args.size(), false);
    for (size_t k = 0; k < kernels.size(); ++k) {
      if (k > 0)
        module = load(fo);
      differential(*module, *module->lookup(kernels[k]), passes, grid, strictArgs, argUsed);
    }
    for (size_t a = 0; a < opts_.args.size(); ++a)
      if (!argUsed[a])
        throw UsageError{"--arg " + opts_.args[a] + ": no kernel of '" + opts_.input +
                         "' has that parameter"};
    return kExitSuccess;
  }

  void differential(Module &module, const Function &fn, const std::vector<const PassInfo *> &passes,
                    std::array<int64_t, 3> grid, bool strictArgs, std::vector<bool> &argUsed) {
    DifferentialOptions options;
    options.grid = grid;
    options.inputs.elements = opts_.elements;
    options.inputs.seed = opts_.seed;
    if (opts_.maxOpsGiven)
      options.interp.maxOps = opts_.maxOps;
    for (size_t a = 0; a < opts_.args.size(); ++a) {
      const auto [name, value] = nameValue(opts_.args[a], "--arg");
      bool has = false;
      for (const ParamInfo &p : fn.params())
        has |= p.name == name;
      if (!has && !strictArgs)
        continue;
      const size_t i = paramIndex(fn, name, "--arg"); // reports the unknown name
      const Type *type = fn.body()->argument(static_cast<unsigned>(i))->type();
      if (type->isPointer())
        throw UsageError{"--arg " + name + ": --differential makes its own buffers"};
      options.scalarOverrides.emplace_back(name, parseScalar(value, type, name));
      argUsed[a] = true;
    }
    PassContext pctx{diags_, target_};
    if (!runDifferential(module, fn.name(), passes, pctx, options, &out_))
      throw CompilationAborted();
    out_ << "differential: " << passes.size() << " passes keep the result of '" << fn.name()
         << "'\n";
  }

  void flushDiagnostics() { driver::flushDiagnostics(diags_, sources_, err_, color_); }

  int fail(int code, const std::string &message) {
    flushDiagnostics();
    printError(err_, message, color_);
    if (code == kExitUsageError)
      err_ << kUsageHint;
    return code;
  }

  const RunOptions &opts_;
  std::ostream &out_;
  std::ostream &err_;
  bool color_;
  SourceManager sources_;
  DiagnosticEngine diags_;
  Context ctx_;
  TargetInfo target_;
  std::vector<LaunchOverride> launchOverrides_; ///< -D num_warps=N etc.
  uint32_t stdinFile_ = 0;                      ///< standard input's file once read (FILE '-')
};

} // namespace

std::vector<int64_t> parseRunShape(const std::string &text, const std::string &param,
                                   const Type *pointee) {
  return parseShape(text, param, pointee);
}

uint64_t parseRunScalar(const std::string &text, const Type *type, const std::string &param) {
  return parseScalar(text, type, param);
}

std::array<int64_t, 3> parseRunGrid(const std::string &text) { return parseGrid(text); }

int runCommand(int argc, const char *const *argv, std::ostream &out, std::ostream &err) {
  RunOptions options;
  CLI::App app{"tritonc run", "tritonc run"};
  app.set_help_flag();
  bool help = false;
  app.add_flag("-h,--help", help);
  app.add_option("input", options.input);
  app.add_flag("--from-ir", options.fromIR);
  app.add_option("--kernel", options.kernel);
  app.add_option("--grid", options.grid);
  app.add_option("-D", options.defines)->allow_extra_args(false);
  app.add_option("-I", options.includeDirs)->allow_extra_args(false);
  app.add_option("--arg", options.args)->allow_extra_args(false);
  app.add_option("--save", options.saves)->allow_extra_args(false);
  auto *passesOpt = app.add_option("--passes", options.passes);
  app.add_option("--pipeline", options.pipeline);
  app.add_option("--arch", options.arch);
  auto *maxOpsOpt = app.add_option("--max-ops", options.maxOps);
  app.add_option("--max-statements", options.maxStatements)
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32));
  app.add_flag("--differential", options.differential);
  app.add_option("--elements", options.elements)->check(CLI::Range(int64_t{1}, int64_t{1} << 32));
  app.add_option("--seed", options.seed);
  std::string color;
  app.add_option("--color", color)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  try {
    std::vector<std::string> args;
    for (int i = argc - 1; i >= 2; --i) { // CLI11 takes the arguments in reverse order
      std::string a = argv[i];
      if (a == "-fcolor-diagnostics" || a == "-fno-color-diagnostics") // clang's spellings
        a = a == "-fcolor-diagnostics" ? "--color=always" : "--color=never";
      args.push_back(std::move(a));
    }
    app.parse(args);
  } catch (const CLI::ParseError &e) {
    err << "tritonc: error: " << e.what() << "\n" << kUsageHint;
    return kExitUsageError;
  }
  if (!color.empty() && !parseColorChoice(color, options.color)) {
    err << "tritonc: error: --color takes auto, always or never (got '" << color << "')\n"
        << kUsageHint;
    return kExitUsageError;
  }
  if (help) {
    out << runHelpText();
    return kExitSuccess;
  }
  if (options.input.empty()) {
    err << "tritonc: error: no input file\n" << kUsageHint;
    return kExitUsageError;
  }
  options.passesGiven = passesOpt->count() > 0;
  options.maxOpsGiven = maxOpsOpt->count() > 0;
  Runner runner(options, out, err);
  return runner.execute();
}

} // namespace tritonc::driver
