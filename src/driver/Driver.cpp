// Pipeline assembly for one tritonc invocation (see Driver.h). The stages are plain calls into
// the layers below (front end, IR parser, pass registry, codegen) plus ptxas; this file only
// decides which to run, where their output goes, and how failures map to exit codes:
//   error in the input → 1, bad usage (unknown arch or pass) → 2, ptxas failed → 3.
#include "driver/Driver.h"

#include "driver/CHeader.h"
#include "driver/Depfile.h"
#include "driver/Metadata.h"
#include "driver/Output.h"
#include "driver/Report.h"

#include "codegen/Codegen.h"
#include "codegen/Target.h"
#include "codegen/Toolchain.h"
#include "codegen/nvptx/NativeArch.h"
#include "frontend/Frontend.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"
#include "passes/Allocation.h"
#include "passes/Pass.h"
#include "passes/Specialize.h"
#include "support/Diagnostics.h"
#include "support/TargetInfo.h"

#include <llvm/Config/llvm-config.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TRITONC_VERSION
#define TRITONC_VERSION "unknown"
#endif

namespace tritonc::driver {

std::string versionText(const std::string &ptxasOverride) {
  ToolchainOptions tc;
  tc.ptxas = ptxasOverride;
  std::string error;
  std::string ptxas = findPtxas(tc, error);
  std::string line;
  if (!ptxas.empty()) {
    ProcessResult r;
    std::string runError;
    if (runProcess({ptxas, "--version"}, r, runError) && r.exitCode == 0) {
      // ptxas prints a banner; the line naming the release is the useful one.
      std::istringstream in(r.output);
      std::string l;
      while (std::getline(in, l))
        if (l.find("release") != std::string::npos) {
          line = l;
          break;
        }
    }
  }
  std::string out = "tritonc " TRITONC_VERSION "\n";
  out += "LLVM " LLVM_VERSION_STRING "\n";
  if (ptxas.empty())
    out += "ptxas: not found: " + error + "\n";
  else if (line.empty())
    out += "ptxas: " + ptxas + " (its version could not be read)\n";
  else
    out += "ptxas: " + line + " (" + ptxas + ")\n";
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// --time-passes: one row per stage or pass, in the order they ran.
class TimeReport {
public:
  void add(std::string name, double seconds) {
    rows_.emplace_back(prefix + std::move(name), seconds);
  }
  std::string prefix; ///< "sm_80: " while a fatbin compiles one of its archs
  void print(std::ostream &os) const {
    double total = 0;
    for (const auto &[name, s] : rows_)
      total += s;
    os << "===---------------------------------------------------------===\n"
       << "                   tritonc execution time report\n"
       << "===---------------------------------------------------------===\n"
       << "  Total: " << std::fixed << std::setprecision(3) << total * 1e3 << " ms\n\n"
       << "      ms      %   stage\n";
    for (const auto &[name, s] : rows_)
      os << std::setw(8) << std::setprecision(3) << s * 1e3 << std::setw(7) << std::setprecision(1)
         << (total > 0 ? 100.0 * s / total : 0.0) << "   " << name << "\n";
    os << std::defaultfloat;
  }

private:
  std::vector<std::pair<std::string, double>> rows_;
};

/// The output path the user gets when -o is absent: STEM.cubin (STEM.hsaco for AMD) for a
/// binary, like nvcc -cubin; STEM.fatbin for several NVIDIA archs, STEM.hipfb (clang's name
/// for a HIP offload bundle) for several AMD ones; standard output for the text forms.
std::string outputPath(const DriverOptions &o, const TargetInfo &target) {
  if (!o.output.empty())
    return o.output;
  if (o.emit != EmitKind::Binary)
    return "-";
  const std::string stem = std::filesystem::path(o.input).stem().string();
  if (o.fatbin())
    return stem + (o.archs.front().starts_with("gfx") ? ".hipfb" : ".fatbin");
  return stem + (target.isHip() ? ".hsaco" : ".cubin");
}

/// num_warps when nothing sets it, on wave32 AMD archs (4 elsewhere: LaunchConfig).
constexpr unsigned kDefaultNumWarpsWave32 = 8;

class Compilation {
public:
  Compilation(const DriverOptions &options, std::ostream &err)
      : opts_(options), err_(err), color_(stderrWantsColor(options.color)) {}

  /// run() with CompilationAborted (a layer giving up after reporting) turned into exit 1.
  /// The --time-passes report follows, whatever the outcome.
  int execute() {
    int rc;
    try {
      rc = run();
    } catch (const CompilationAborted &) {
      bool reported = diags_.hasErrors();
      flushDiagnostics();
      if (!reported)
        err_ << "tritonc: internal error: compilation aborted without a diagnostic\n";
      rc = reported ? kExitInputError : kExitInternalError;
    }
    if (opts_.timePasses)
      times_.print(err_);
    return rc;
  }

private:
  int run();
  int runFatbin();
  int runPipeline(Module &module);
  /// The toolchain set up by the flags (--ptxas, -O, -lineinfo; -v and --time-passes hooks).
  ToolchainOptions toolchainOptions();
  int checkOutputs();
  /// `arch` for one --arch value: the value itself, or this machine's GPU for `native`.
  int resolveArch(const std::string &given, std::string &arch);
  /// Registers the input's text (the file, or standard input for `-`) in sources_.
  int readInput(uint32_t &fileId);
  /// --list-kernels: the kernels after the front end, as text or JSON.
  int listKernels(const Module &module);
  /// The input's name in diagnostics and the metadata ("<stdin>" for `-`).
  std::string inputName() const {
    return opts_.inputIsStdin() ? SourceManager::kStdinName : opts_.input;
  }
  int loadInput(std::unique_ptr<Module> &module, uint32_t &fileId);
  int selectPasses(std::vector<std::string_view> &passes);
  /// Several --signature values: compiles the source once per further signature and adds each
  /// kernel so compiled to `module` as a variant of the first signature's (its promises: the
  /// ':16' and ':1' it adds). Errors when a signature changes a type or a constexpr.
  int addSignatureVariants(Module &module, uint32_t fileId);
  int runBackend(Module &module, std::string &text, std::string &binary,
                 std::vector<KernelMetadata> &kernels);
  int writeOutputs(const std::string &primary, const std::vector<KernelMetadata> &kernels);
  /// After a binary: each entry's resources from the assembler, the variants grouped under
  /// their kernel (--specialize), and the --resource-usage / -v report.
  void finishKernels(const Target &target, std::vector<KernelMetadata> &kernels);

  /// Prints every collected diagnostic (warnings too) and clears them.
  void flushDiagnostics() { driver::flushDiagnostics(diags_, sources_, err_, color_); }
  int error(int code, const std::string &message) {
    flushDiagnostics();
    printError(err_, message, color_);
    return code;
  }
  void verbose(const std::string &line) {
    if (opts_.verbose)
      err_ << "tritonc: " << line << "\n";
  }
  std::string printIR(const Module &module) const {
    PrintOptions po;
    return printModule(module, po);
  }
  int writeText(const std::string &text) {
    std::string ioError;
    if (!writeFileAtomically(outputPath(opts_, target_), text, ioError))
      return error(kExitInputError,
                   "cannot write '" + outputPath(opts_, target_) + "': " + ioError);
    return kExitSuccess;
  }

  const DriverOptions &opts_;
  std::ostream &err_;
  bool color_;
  SourceManager sources_;
  DiagnosticEngine diags_;
  Context ctx_;
  TargetInfo target_;
  TimeReport times_;
  /// A fatbin's archs (--arch lists several, or --embed-ptx); empty for a plain binary.
  std::vector<std::string> fatbinArchs_;
  /// An AMD offload bundle's wavefront size per arch of fatbinArchs_.
  std::vector<unsigned> fatbinWarpSizes_;
  /// Standard input's file once read: a fatbin loads the input once per arch.
  uint32_t stdinFile_ = 0;
};

int Compilation::resolveArch(const std::string &given, std::string &arch) {
  arch = given;
  if (given != "native")
    return kExitSuccess;
  std::string device, why;
  if (!detectNativeArch(arch, device, why))
    return error(kExitToolError, "--arch native: " + why);
  verbose("--arch native: " + device + " is " + arch);
  return kExitSuccess;
}

int Compilation::readInput(uint32_t &fileId) {
  std::string why;
  if (opts_.inputIsStdin()) {
    fileId = stdinFile_
                 ? sources_.addFile(SourceManager::kStdinName, sources_.file(stdinFile_).text)
                 : sources_.loadStdin(&why);
    if (fileId == 0)
      return error(kExitInputError, "cannot read standard input: " + why);
    stdinFile_ = fileId;
    return kExitSuccess;
  }
  std::error_code ec;
  if (!std::filesystem::exists(opts_.input, ec))
    return error(kExitInputError, "no such file: '" + opts_.input + "'");
  if (std::filesystem::is_directory(opts_.input, ec))
    return error(kExitInputError, "'" + opts_.input + "' is a directory");
  fileId = sources_.loadFile(opts_.input, &why);
  if (fileId == 0)
    return error(kExitInputError, "cannot read '" + opts_.input + "': " + why);
  return kExitSuccess;
}

int Compilation::listKernels(const Module &module) {
  std::vector<KernelMetadata> kernels;
  for (const auto &fn : module.functions())
    kernels.push_back(describeKernel(*fn, target_.warpSize));
  const std::string text = renderKernelList(inputName(), kernels, opts_.listKernels == "json");
  const std::string path = opts_.output.empty() ? "-" : opts_.output;
  std::string ioError;
  if (!writeFileAtomically(path, text, ioError))
    return error(kExitInputError, "cannot write '" + path + "': " + ioError);
  return kExitSuccess;
}

int Compilation::loadInput(std::unique_ptr<Module> &module, uint32_t &fileId) {
  if (int rc = readInput(fileId))
    return rc;

  auto start = Clock::now();
  if (opts_.inputIsIR) {
    module = parseModule(ctx_, sources_, fileId, diags_);
    times_.add("parse IR", secondsSince(start));
    // IR text is input: a parse or verifier error in it is the user's (exit 1).
    if (!module || diags_.hasErrors() || !verifyModule(*module, diags_)) {
      flushDiagnostics();
      return kExitInputError;
    }
    if (!opts_.kernels.empty()) {
      for (const std::string &k : opts_.kernels)
        if (!module->lookup(k))
          return error(kExitInputError, "no kernel '" + k + "' in '" + inputName() + "'");
      auto &fns = module->functions();
      std::erase_if(fns, [&](const std::unique_ptr<Function> &fn) {
        return std::find(opts_.kernels.begin(), opts_.kernels.end(), fn->name()) ==
               opts_.kernels.end();
      });
    }
  } else {
    FrontendOptions fo;
    fo.includeDirs = opts_.includeDirs;
    fo.defines = opts_.defines;
    fo.kernels = opts_.kernels;
    fo.signature = opts_.signature;
    fo.maxLoweredStatements = opts_.maxStatements;
    module = compileToTileIR(sources_, fileId, ctx_, fo, diags_);
    times_.add("front end", secondsSince(start));
    if (!module || diags_.hasErrors()) {
      flushDiagnostics();
      return kExitInputError;
    }
    if (!opts_.variantSignatures.empty())
      if (int rc = addSignatureVariants(*module, fileId))
        return rc;
  }
  // On wave32 AMD archs (RDNA) num_warps defaults to 8 wavefronts, so that a program has the
  // 256 lanes it has on wave64 CDNA with the default 4: per-lane tiles tuned for 128 NVIDIA
  // threads need about twice the registers at 128 lanes, which RDNA's 256 VGPRs (no AGPRs) do
  // not hold (tests/toolchain/amd_spill_budget.txt has the spills). IR text carries its own
  // num_warps; --num-warps and -D num_warps= override this default below as any other.
  if (!opts_.inputIsIR && target_.isHip() && target_.warpSize == 32)
    for (auto &fn : module->functions())
      fn->launch().set(LaunchKnob::NumWarps, kDefaultNumWarpsWave32);
  // The one place the command line's launch knobs reach the kernels (IR text carries its own;
  // the front end gives the defaults); each kernel's configuration is checked here, before any
  // pass, against the knobs' ranges and the target's thread limit.
  if (!applyLaunchOverrides(*module, opts_.launchOverrides, target_.warpSize,
                            target_.maxThreadsPerBlock, diags_)) {
    flushDiagnostics();
    return kExitInputError;
  }
  flushDiagnostics(); // warnings
  if (opts_.verifyEach && !opts_.inputIsIR && !verifyModule(*module, diags_))
    return error(kExitInternalError, "the front end produced IR that does not verify");
  return kExitSuccess;
}

int Compilation::addSignatureVariants(Module &module, uint32_t fileId) {
  std::vector<std::unique_ptr<Module>> others; // kept alive while their kernels are copied
  for (const std::string &signature : opts_.variantSignatures) {
    FrontendOptions fo;
    fo.includeDirs = opts_.includeDirs;
    fo.defines = opts_.defines;
    fo.kernels = opts_.kernels;
    fo.signature = signature;
    fo.maxLoweredStatements = opts_.maxStatements;
    auto start = Clock::now();
    std::unique_ptr<Module> m = compileToTileIR(sources_, fileId, ctx_, fo, diags_);
    times_.add("front end (--signature " + std::to_string(others.size() + 2) + ")",
               secondsSince(start));
    if (!m || diags_.hasErrors()) {
      flushDiagnostics();
      return kExitInputError;
    }
    others.push_back(std::move(m));
  }
  std::vector<Function *> generics;
  for (auto &fn : module.functions())
    generics.push_back(fn.get());
  using Promise = Function::Promise;
  for (Function *g : generics) {
    std::vector<std::pair<std::vector<Promise>, const Function *>> variants;
    for (size_t s = 0; s < others.size(); ++s) {
      const Function *f = others[s]->lookup(g->name());
      if (!f)
        continue;
      const std::string which =
          "--signature " + std::to_string(s + 2) + " ('" + opts_.variantSignatures[s] + "') ";
      const std::string rule = ": the signatures of one kernel may differ only in ':16' and "
                               "':1' promises";
      if (f->params().size() != g->params().size())
        return error(kExitInputError, which + "gives kernel '" + g->name() +
                                          "' other parameters than the first" + rule);
      bool sameConstexprs = f->constexprs.size() == g->constexprs.size();
      for (size_t i = 0; sameConstexprs && i < f->constexprs.size(); ++i)
        sameConstexprs = f->constexprs[i].name == g->constexprs[i].name &&
                         f->constexprs[i].value == g->constexprs[i].value;
      if (!sameConstexprs)
        return error(kExitInputError, which + "gives kernel '" + g->name() +
                                          "' other constexpr values than the first" + rule);
      std::vector<Promise> promises(g->params().size(), Promise::None);
      bool any = false;
      for (unsigned i = 0; i < g->params().size(); ++i) {
        const Value *fa = f->body()->argument(i), *ga = g->body()->argument(i);
        const std::string param =
            "parameter '" + g->params()[i].name + "' of kernel '" + g->name() + "'";
        if (fa->type() != ga->type())
          return error(kExitInputError, which + "gives " + param + " the type " +
                                            tritonTypeName(fa->type()) + ", the first " +
                                            tritonTypeName(ga->type()) + rule);
        const int64_t fd = f->params()[i].divisibility, gd = g->params()[i].divisibility;
        // ':1': the body uses the constant 1 instead of the parameter (the front end's rule).
        const bool fOne = !fa->hasUses() && ga->hasUses(), gOne = fa->hasUses() && !ga->hasUses();
        if (fd < gd || gOne)
          return error(kExitInputError, which + "promises less about " + param +
                                            " than the first signature: the first is the "
                                            "generic kernel, each further one a specialization");
        if (fOne)
          promises[i] = Promise::EqualsOne;
        else if (fd > gd && fd % 16 == 0)
          promises[i] = Promise::Divisible16;
        else if (fd > gd)
          return error(kExitInputError,
                       which + "promises divisibility " + std::to_string(fd) + " of " + param +
                           "; variants are dispatched on 16 ('i32:16', '*fp32:16')");
        any |= promises[i] != Promise::None;
      }
      if (any)
        variants.emplace_back(std::move(promises), f);
    }
    // The dispatcher tries variants in order: the most promises first.
    auto count = [](const std::vector<Promise> &p) {
      return std::count_if(p.begin(), p.end(), [](Promise x) { return x != Promise::None; });
    };
    std::stable_sort(variants.begin(), variants.end(),
                     [&](const auto &a, const auto &b) { return count(a.first) > count(b.first); });
    for (size_t i = 0; i < variants.size(); ++i) {
      bool duplicate = false;
      for (size_t j = 0; j < i; ++j)
        duplicate |= variants[j].first == variants[i].first;
      if (!duplicate)
        addKernelVariant(module, *variants[i].second, *g, variants[i].first);
    }
  }
  return kExitSuccess;
}

int Compilation::selectPasses(std::vector<std::string_view> &passes) {
  auto knownPasses = [] {
    std::string list;
    for (const PassInfo &p : passRegistry())
      list += (list.empty() ? "" : ", ") + std::string(p.name);
    return list;
  };
  if (opts_.passesGiven) {
    for (const std::string &name : opts_.passes) {
      const PassInfo *info = findPass(name);
      if (!info)
        return error(kExitUsageError,
                     "unknown pass '" + name + "' in --passes (known: " + knownPasses() + ")");
      passes.push_back(info->name);
    }
  } else {
    for (std::string_view p : pipeline("tile", target_))
      passes.push_back(p);
    for (std::string_view p : pipeline("gpu", target_)) {
      if (opts_.specialize && p == "version-alignment")
        passes.push_back("specialize"); // its variants are not versioned again
      if (!(opts_.noAlignmentVersioning && p == "version-alignment"))
        passes.push_back(p);
    }
  }
  for (const std::string &name : opts_.printAfter)
    if (name != "all" && !findPass(name))
      return error(kExitUsageError,
                   "unknown pass '" + name + "' in --print-after (known: " + knownPasses() + ")");
  return kExitSuccess;
}

/// Every file this compilation will write (standard output excluded): the main output, then
/// the metadata, C header and depfile where asked for.
static std::vector<std::string> outputFiles(const DriverOptions &o, const TargetInfo &target) {
  const std::string out = o.listKernels.empty() ? outputPath(o, target) : o.output;
  std::vector<std::string> files = {out};
  if (o.listKernels.empty() && (o.emit == EmitKind::Binary || o.emit == EmitKind::PTX)) {
    if (!o.metadataPath.empty())
      files.push_back(o.metadataPath);
    else if (o.emit == EmitKind::Binary)
      files.push_back(defaultMetadataPath(out));
    if (!o.cHeaderPath.empty())
      files.push_back(o.cHeaderPath);
    if (o.depfile)
      files.push_back(o.depfilePath.empty() ? defaultDepfilePath(out) : o.depfilePath);
  }
  std::erase(files, std::string("-"));
  std::erase(files, std::string());
  return files;
}

/// What identifies a file for the overlap check: its device and inode when it exists (so
/// `./a`, `a`, links and hard links agree), else its normalized absolute path.
static std::string fileIdentity(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0)
    return "#" + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return (ec ? std::filesystem::path(path) : abs).lexically_normal().string();
}

/// As gcc: an output that is the input would destroy the source, and two outputs on one file
/// would leave only one of them. Devices (/dev/null) may take several outputs.
int Compilation::checkOutputs() {
  std::vector<std::pair<std::string, std::string>> seen; // identity, path
  for (const std::string &path : outputFiles(opts_, target_)) {
    if (!opts_.inputIsStdin() && sameFile(path, opts_.input))
      return error(kExitUsageError, "input file is the same as output file ('" + path +
                                        "'); refusing to overwrite "
                                        "the source");
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
      continue;
    const std::string id = fileIdentity(path);
    for (const auto &[otherId, other] : seen)
      if (otherId == id)
        return error(kExitUsageError, "two outputs would be written to one file: '" + other +
                                          "' and '" + path + "'");
    seen.emplace_back(id, path);
  }
  return kExitSuccess;
}

int Compilation::run() {
  if (opts_.fatbin() && opts_.listKernels.empty())
    return runFatbin();
  // (Duplicates in --arch are dropped: sm_80,sm_80 is one arch.)
  std::string arch;
  if (int rc = resolveArch(opts_.archs.empty() ? opts_.arch : opts_.archs.front(), arch))
    return rc;
  std::string archError;
  if (!targetInfoForArch(arch, target_, archError))
    return error(kExitUsageError, archError.empty() ? "unknown --arch '" + arch + "'" : archError);
  target_.wgmma = opts_.mma == "wgmma";
  if (int rc = checkOutputs())
    return rc;

  std::unique_ptr<Module> module;
  uint32_t fileId = 0;
  if (int rc = loadInput(module, fileId))
    return rc;
  if (!opts_.listKernels.empty())
    return listKernels(*module);

  if (opts_.emit == EmitKind::TileIR)
    return writeText(printIR(*module));

  if (int rc = runPipeline(*module))
    return rc;

  if (opts_.emit == EmitKind::IR)
    return writeText(printIR(*module));

  std::string text, binary;
  std::vector<KernelMetadata> kernels;
  if (int rc = runBackend(*module, text, binary, kernels))
    return rc;

  if (opts_.emit == EmitKind::LLVM)
    return writeText(text);
  return writeOutputs(opts_.emit == EmitKind::PTX ? text : binary, kernels);
}

/// The most elements of one block value a thread may hold for code generation. Past it LLVM's
/// PTX emission time grows quadratically (a 2^20-element block with 4 warps, 8192 per thread,
/// did not compile in 10 minutes; 1024 per thread takes about 40 s) and the registers spill
/// anyway, so such a kernel is refused before code generation with a located error.
constexpr int64_t kMaxElementsPerThread = 1024;

/// Checks every block value of every kernel against kMaxElementsPerThread; reports the first
/// offender of each kernel, naming the knobs (the block size, num_warps).
static bool checkElementsPerThread(Module &module, unsigned warpSize, DiagnosticEngine &diags) {
  bool ok = true;
  for (auto &fn : module.functions()) {
    const int64_t threads = int64_t(fn->numWarps) * warpSize;
    fn->walk([&](Operation *op) {
      if (!ok)
        return;
      for (Value *v : op->results()) {
        const Type *t = v->type();
        if (!t->isBlock() || threads <= 0)
          continue;
        const int64_t perThread = (t->numElements() + threads - 1) / threads;
        if (perThread <= kMaxElementsPerThread)
          continue;
        diags.error(op->loc(),
                    "a block of " + std::to_string(t->numElements()) + " elements needs " +
                        std::to_string(perThread) + " elements per thread with num_warps=" +
                        std::to_string(fn->numWarps) + " (" + std::to_string(threads) +
                        " threads); the limit is " + std::to_string(kMaxElementsPerThread) +
                        ": use a smaller block size or more warps (num_warps up to 32)");
        ok = false;
        return;
      }
    });
  }
  return ok;
}

/// The pass pipeline (or --passes) on `module`, then the check that a kernel is left to compile
/// (skipped for --emit-ir, which may print a module without kernels).
int Compilation::runPipeline(Module &module) {
  std::vector<std::string_view> passes;
  if (int rc = selectPasses(passes))
    return rc;
  if (opts_.verbose) {
    std::string list;
    for (std::string_view p : passes)
      list += (list.empty() ? "" : ",") + std::string(p);
    verbose("passes: " + (list.empty() ? std::string("(none)") : list));
  }

  PassContext pctx{diags_, target_};
  PassRunOptions ro;
  ro.verifyEach = opts_.verifyEach;
  ro.printAfter = opts_.printAfter;
  ro.timePasses = opts_.timePasses;
  ro.printHook = [this](std::string_view pass, const Module &m) {
    err_ << "// -----// IR Dump After " << pass << " //----- //\n" << printIR(m) << "\n";
  };
  ro.timeHook = [this](std::string_view pass, double seconds) {
    times_.add("pass " + std::string(pass), seconds);
  };
  if (!runPasses(module, passes, pctx, ro)) {
    if (!diags_.hasErrors())
      return error(kExitInternalError, "a pass failed without reporting an error");
    flushDiagnostics();
    return kExitInputError;
  }
  flushDiagnostics();

  if (opts_.printSharedMemory)
    for (const auto &fn : module.functions()) {
      SharedMemoryAllocation alloc(*fn, target_);
      alloc.assignOffsets();
      err_ << alloc.str();
    }

  if (opts_.emit != EmitKind::IR && module.functions().empty())
    return error(kExitInputError, "'" + inputName() +
                                      "' defines no kernel (a kernel is a @jit function whose "
                                      "parameters all carry types)");
  if (opts_.emit != EmitKind::IR && !checkElementsPerThread(module, target_.warpSize, diags_)) {
    flushDiagnostics();
    return kExitInputError;
  }
  return kExitSuccess;
}

/// Several archs (or --embed-ptx): the whole compilation once per arch (the pass pipeline
/// depends on the target), then one fatbin of every cubin (and PTX) for NVIDIA, or one clang
/// offload bundle of every code object for AMD (the archs are all of one vendor). The
/// metadata's kernels come from the first arch; a kernel's shared_bytes is the largest any arch
/// needs (launching with more dynamic shared memory than a binary uses is harmless, with less it
/// is not). AMD archs may differ in wavefront size: each kernel lists its block per arch
/// (arch_blocks), the target each arch's wavefront size.
int Compilation::runFatbin() {
  if (int rc = checkOutputs())
    return rc;
  std::vector<FatbinImage> images;
  std::vector<OffloadBundleImage> codeObjects;
  std::vector<unsigned> warpSizes;
  std::vector<KernelMetadata> kernels;
  std::string firstBackend;
  for (const std::string &given : opts_.archs) {
    std::string arch, archError;
    if (int rc = resolveArch(given, arch))
      return rc;
    if (!targetInfoForArch(arch, target_, archError))
      return error(kExitUsageError,
                   archError.empty() ? "unknown --arch '" + arch + "'" : archError);
    target_.wgmma = opts_.mma == "wgmma";
    const std::string backend = target_.isCuda() ? "NVIDIA" : "AMD";
    if (firstBackend.empty())
      firstBackend = backend;
    if (backend != firstBackend)
      return error(kExitUsageError, "several --arch values must all be NVIDIA archs (a fatbin) "
                                    "or all AMD archs (an offload bundle), not both ('" +
                                        opts_.archs.front() + "' and '" + arch + "')");
    if (!target_.isCuda() && opts_.embedPtx)
      return error(kExitUsageError, "--embed-ptx is for NVIDIA archs, not '" + arch + "'");
    times_.prefix = arch + ": ";
    std::unique_ptr<Module> module;
    uint32_t fileId = 0;
    if (int rc = loadInput(module, fileId))
      return rc;
    if (int rc = runPipeline(*module))
      return rc;
    std::string ptx, binary;
    std::vector<KernelMetadata> archKernels;
    if (int rc = runBackend(*module, ptx, binary, archKernels))
      return rc;
    if (!target_.isCuda()) {
      for (KernelMetadata &k : archKernels)
        k.archBlocks.push_back(k.block);
      warpSizes.push_back(target_.warpSize);
    }
    if (kernels.empty()) {
      kernels = std::move(archKernels);
    } else {
      for (KernelMetadata &k : kernels)
        for (const KernelMetadata &a : archKernels)
          if (a.name == k.name) {
            k.sharedBytes = std::max(k.sharedBytes, a.sharedBytes);
            k.archBlocks.insert(k.archBlocks.end(), a.archBlocks.begin(), a.archBlocks.end());
            for (KernelMetadata &v : k.variants) // --specialize: each variant likewise
              for (const KernelMetadata &av : a.variants)
                if (av.symbol == v.symbol)
                  v.sharedBytes = std::max(v.sharedBytes, av.sharedBytes);
          }
    }
    fatbinArchs_.push_back(arch);
    if (!target_.isCuda()) {
      codeObjects.push_back({arch, std::move(binary)});
      continue;
    }
    std::string sm = arch.substr(3); // sm_90a -> 90a
    images.push_back({sm, false, std::move(binary)});
    if (opts_.embedPtx)
      images.push_back({sm, true, std::move(ptx)});
  }
  times_.prefix.clear();
  // The first arch's target describes the output (its backend, the default extension).
  std::string firstError;
  targetInfoForArch(fatbinArchs_.front(), target_, firstError);
  fatbinWarpSizes_ = warpSizes;
  if (!codeObjects.empty())
    return writeOutputs(packOffloadBundle(codeObjects), kernels);
  std::string fatbin;
  auto start = Clock::now();
  bool packed = packFatbin(images, toolchainOptions(), fatbin, diags_);
  times_.add("fatbinary", secondsSince(start));
  flushDiagnostics();
  if (!packed)
    return kExitToolError;
  return writeOutputs(fatbin, kernels);
}

/// `path` as seen from the folder holding `anchorFile` (both as given on the command line).
static std::string relativeTo(const std::string &path, const std::string &anchorFile) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target = fs::absolute(path, ec);
  fs::path base = fs::absolute(fs::path(anchorFile).parent_path(), ec);
  if (ec)
    return path;
  fs::path rel = target.lexically_normal().lexically_relative(base.lexically_normal());
  return rel.empty() ? path : rel.generic_string();
}

int Compilation::writeOutputs(const std::string &primary,
                              const std::vector<KernelMetadata> &kernels) {
  std::string out = outputPath(opts_, target_);
  std::vector<std::pair<std::string, std::string>> files = {{out, primary}};

  // Metadata: always beside a binary; with -S only when --metadata asks for it.
  std::string metaPath = opts_.metadataPath;
  if (metaPath.empty() && opts_.emit == EmitKind::Binary)
    metaPath = defaultMetadataPath(out);
  LaunchMetadata m;
  m.tritoncVersion = TRITONC_VERSION;
  m.source = inputName();
  m.backend = target_.isCuda() ? "cuda" : "hip";
  m.arch = target_.arch;
  if (!fatbinArchs_.empty()) { // the archs inside, as a --arch value would list them
    m.arch.clear();
    for (const std::string &a : fatbinArchs_)
      m.arch += (m.arch.empty() ? "" : ",") + a;
  }
  m.archs = fatbinArchs_;
  m.archWarpSizes = fatbinWarpSizes_;
  m.embeddedPtx = opts_.embedPtx;
  m.warpSize = target_.warpSize;
  m.binary = out;
  m.kernels = kernels;
  if (!metaPath.empty()) {
    // Relative to the metadata's folder, so the pair can be moved or carried together.
    LaunchMetadata relative = m;
    relative.binary = relativeTo(out, metaPath);
    files.emplace_back(metaPath, renderMetadata(relative));
  }
  if (!opts_.cHeaderPath.empty())
    files.emplace_back(opts_.cHeaderPath,
                       renderCHeader(m, primary,
                                     opts_.cHeaderPrefix.empty() ? cHeaderPrefix(opts_.cHeaderPath)
                                                                 : opts_.cHeaderPrefix));

  if (opts_.depfile) {
    std::string depPath = opts_.depfilePath.empty() ? defaultDepfilePath(out) : opts_.depfilePath;
    std::vector<std::string> targets = opts_.depTargets;
    if (targets.empty())
      targets.push_back(out);
    // Every file the front end read; for IR input only the IR file (its loc("x.tt") names
    // are registered as sources but never read).
    std::vector<std::string> deps;
    // (A fatbin reads the sources once per arch: each file is listed once.)
    for (uint32_t id = 1; id <= (opts_.inputIsIR ? 1 : sources_.numFiles()); ++id)
      // "<signature>" and "-D NAME" hold option text, not files a build could depend on.
      if (!sources_.path(id).starts_with('<') && !sources_.path(id).starts_with("-D ") &&
          std::find(deps.begin(), deps.end(), sources_.path(id)) == deps.end())
        deps.emplace_back(sources_.path(id));
    files.emplace_back(depPath, renderDepfile(targets, deps, opts_.depPhony));
  }

  // All or nothing: a failure leaves every previous output as it was.
  std::string failedPath, ioError;
  if (!writeFilesAtomically(files, failedPath, ioError))
    return error(kExitInputError, "cannot write '" + failedPath + "': " + ioError);
  return kExitSuccess;
}

int Compilation::runBackend(Module &module, std::string &text, std::string &binary,
                            std::vector<KernelMetadata> &kernels) {
  std::string targetError;
  std::unique_ptr<Target> target =
      createTarget(targetInfoForModule(module, target_), toolchainOptions(), targetError);
  if (!target)
    return error(kExitInternalError, "no code generator for " + target_.arch + ": " + targetError);

  // Each step reports into diags_; a located error is the input's (e.g. an op the target cannot
  // lower yet), an unlocated one from LLVM's verifier or optimizer is ours. A missing tool or
  // library stays exit 3 even where its error points at the call that needs it.
  auto failed = [this](int unlocatedCode) {
    bool located = std::any_of(diags_.diagnostics().begin(), diags_.diagnostics().end(),
                               [](const Diagnostic &d) {
                                 return d.severity == Severity::Error && d.range.begin.isValid();
                               });
    bool toolchain = std::any_of(diags_.diagnostics().begin(), diags_.diagnostics().end(),
                                 [](const Diagnostic &d) { return d.toolchain; });
    bool any = diags_.hasErrors();
    flushDiagnostics();
    if (!any)
      err_ << "tritonc: internal error: code generation failed without a diagnostic\n";
    if (toolchain || (unlocatedCode == kExitToolError && any))
      return int(kExitToolError);
    return located ? int(kExitInputError) : any ? unlocatedCode : int(kExitInternalError);
  };

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  std::vector<KernelInfo> infos;
  auto start = Clock::now();
  if (!emitLLVM(module, *target, llvmContext, llvmModule, infos, diags_,
                opts_.lineInfo ? &sources_ : nullptr))
    return failed(kExitInputError);
  times_.add("codegen: LLVM IR", secondsSince(start));

  start = Clock::now();
  if (!linkMathLibrary(*llvmModule, *target, diags_))
    return failed(kExitToolError); // libdevice / ocml missing or unreadable
  times_.add("codegen: link math library", secondsSince(start));

  start = Clock::now();
  if (!optimize(*llvmModule, *target, static_cast<int>(opts_.optLevel), diags_))
    return failed(kExitInternalError);
  times_.add("LLVM -O" + std::to_string(opts_.optLevel), secondsSince(start));
  flushDiagnostics(); // warnings

  for (const auto &fn : module.functions()) {
    KernelMetadata k = describeKernel(*fn, target_.warpSize);
    auto info = std::find_if(infos.begin(), infos.end(),
                             [&](const KernelInfo &i) { return i.name == fn->name(); });
    if (info != infos.end()) {
      // Codegen knows the entry's real ABI; the IR function knows the launch parameters.
      k.symbol = info->symbol;
      k.block = info->block;
      k.numWarps = info->numWarps;
      k.sharedBytes = info->sharedBytes;
      if (info->params.size() == k.params.size())
        for (size_t i = 0; i < k.params.size(); ++i) {
          const KernelParamABI &p = info->params[i];
          k.params[i] = ParamMetadata{p.name,  p.type,         p.isPointer, p.size,
                                      p.align, p.divisibility, std::nullopt};
        }
    }
    kernels.push_back(std::move(k));
  }

  if (opts_.emit == EmitKind::LLVM) {
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    os.flush();
    return kExitSuccess;
  }

  // -S: the target's assembly. Otherwise its binary (ptxas or ld.lld, timed by the target);
  // a fatbin embedding PTX keeps the assembly too.
  if (opts_.emit == EmitKind::PTX) {
    start = Clock::now();
    if (!emitAssembly(*llvmModule, *target, text, diags_))
      return failed(kExitInternalError);
    times_.add("LLVM: assembly", secondsSince(start));
    groupVariants(kernels); // for --metadata (no binary: no resources)
    return kExitSuccess;
  }
  if (!emitBinary(*llvmModule, *target, binary, diags_, opts_.embedPtx ? &text : nullptr))
    return failed(kExitInternalError); // a missing or failing tool is a toolchain error: 3
  flushDiagnostics();                  // ptxas's warnings
  finishKernels(*target, kernels);
  return kExitSuccess;
}

void Compilation::finishKernels(const Target &target, std::vector<KernelMetadata> &kernels) {
  for (KernelMetadata &k : kernels)
    for (const KernelResources &r : target.resourceUsage())
      if (r.symbol == k.symbol) {
        ResourceUsage u;
        u.amd = target_.isHip();
        u.registers = r.registers;
        u.sgprs = r.sgprs;
        u.spillStores = r.spillStores;
        u.spillLoads = r.spillLoads;
        u.vgprSpills = r.vgprSpills;
        u.sgprSpills = r.sgprSpills;
        u.stackBytes = r.stackBytes;
        u.staticSharedBytes = r.staticSharedBytes;
        u.wavefrontSize = r.wavefrontSize;
        u.kernargBytes = r.kernargBytes;
        k.resources = u;
        // AMD: where each argument lies, as the code object says (one entry per parameter).
        if (r.argOffsets.size() == k.params.size())
          for (size_t i = 0; i < k.params.size(); ++i) {
            k.params[i].offset = r.argOffsets[i].first;
            k.params[i].size = static_cast<unsigned>(r.argOffsets[i].second);
          }
      }
  if (opts_.resourceUsage || opts_.verbose)
    for (const KernelMetadata &k : kernels)
      err_ << resourceUsageText(k, target_.arch);
  groupVariants(kernels);
}

ToolchainOptions Compilation::toolchainOptions() {
  ToolchainOptions toolchain;
  toolchain.ptxas = opts_.ptxas;
  toolchain.ptxasOptLevel = opts_.optLevel;
  toolchain.lineInfo = opts_.lineInfo;
  toolchain.registerCap = opts_.registerCap == "off" ? ToolchainOptions::RegisterCap::Off
                          : opts_.registerCap == "no-spill"
                              ? ToolchainOptions::RegisterCap::NoSpill
                              : ToolchainOptions::RegisterCap::Occupancy;
  toolchain.maxRegisters = opts_.maxRegisters;
  toolchain.onRun = [this](const std::vector<std::string> &argv) {
    verbose("running: " + shellQuote(argv));
  };
  toolchain.onTime = [this](const std::string &step, double seconds) { times_.add(step, seconds); };
  return toolchain;
}

} // namespace

int runDriver(const DriverOptions &options, std::ostream &err) {
  if (options.showVersion) {
    std::cout << versionText(options.ptxas);
    return kExitSuccess;
  }
  if (options.listPasses) {
    std::cout << passListText();
    return kExitSuccess;
  }
  Compilation c(options, err);
  return c.execute();
}

} // namespace tritonc::driver
