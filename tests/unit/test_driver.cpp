// Unit tests of the driver's pure helpers: command-line parsing (defaults, gcc-style spellings,
// usage errors → exit 2), launch-metadata rendering (schema order, constexpr values, parameter
// ABI), depfile rendering and atomic output writes; several archs (fatbin) on the command line
// and in the metadata; the --emit-c-header text; the metadata reader and argument checks of the
// host library include/tritonc/launcher.hpp (its CUDA part is compiled by the host example);
// --color, standard input, --list-kernels and the --arch table (native included).
#include "codegen/Codegen.h"
#include "driver/CHeader.h"
#include "driver/Depfile.h"
#include "driver/Metadata.h"
#include "driver/Options.h"
#include "driver/Output.h"
#include "support/TargetInfo.h"

#include <doctest/doctest.h>

#define TRITONC_LAUNCHER_NO_CUDA // the metadata and argument checks only: no cuda.h here
#include <tritonc/launcher.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tritonc;
using namespace tritonc::driver;

namespace {

/// Parses a command line given as words (argv[0] added); returns the early exit code or -1.
int parse(std::vector<std::string> words, DriverOptions &o, std::string *errText = nullptr) {
  words.insert(words.begin(), "tritonc");
  std::vector<const char *> argv;
  for (const std::string &w : words)
    argv.push_back(w.c_str());
  std::ostringstream out, err;
  auto rc = parseCommandLine(static_cast<int>(argv.size()), argv.data(), o, out, err);
  if (errText)
    *errText = err.str() + out.str();
  return rc ? *rc : -1;
}

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

TEST_CASE("driver options: defaults") {
  DriverOptions o;
  CHECK(parse({"k.tt"}, o) == -1);
  CHECK(o.input == "k.tt");
  CHECK(o.arch == "sm_90a");
  CHECK(o.optLevel == 3);
  CHECK(o.emit == EmitKind::Binary);
  CHECK(o.launchOverrides.empty());
  CHECK_FALSE(o.inputIsIR);
  CHECK_FALSE(o.passesGiven);
  CHECK(o.output.empty());
}

TEST_CASE("driver options: compiler-style spellings") {
  DriverOptions o;
  CHECK(parse({"k.tt",       "-o", "k.cubin",     "-O1",    "-DBLOCK=64",   "-D",
               "DTYPE=fp16", "-I", "inc",         "-Iinc2", "--kernel",     "a",
               "--kernel",   "b",  "--num-warps", "8",      "--num-stages", "2",
               "--num-ctas", "2",  "--arch",      "sm_80",  "-v",           "--time-passes"},
              o) == -1);
  CHECK(o.output == "k.cubin");
  CHECK(o.optLevel == 1);
  REQUIRE(o.defines.size() == 2);
  CHECK(o.defines[0] == std::pair<std::string, std::string>{"BLOCK", "64"});
  CHECK(o.defines[1] == std::pair<std::string, std::string>{"DTYPE", "fp16"});
  CHECK(o.includeDirs == std::vector<std::string>{"inc", "inc2"});
  CHECK(o.kernels == std::vector<std::string>{"a", "b"});
  CHECK(o.launchOverrides ==
        std::vector<LaunchOverride>{{LaunchKnob::NumWarps, 8, "--num-warps 8"},
                                    {LaunchKnob::NumStages, 2, "--num-stages 2"},
                                    {LaunchKnob::NumCtas, 2, "--num-ctas 2"}});
  CHECK(o.arch == "sm_80");
  CHECK(o.verbose);
  CHECK(o.timePasses);
}

TEST_CASE("driver options: launch knobs from flags and -D, applied at the kernels") {
  DriverOptions o;
  CHECK(parse({"k.tt", "-D", "num_warps=64", "--num-warps", "8", "-DBLOCK=4", "-Dnum_ctas=2"}, o) ==
        -1);
  REQUIRE(o.defines.size() == 1); // the knobs never reach the front end
  CHECK(o.defines[0].first == "BLOCK");
  // Flags first, then the -D values in order: a -D wins.
  CHECK(o.launchOverrides ==
        std::vector<LaunchOverride>{{LaunchKnob::NumWarps, 8, "--num-warps 8"},
                                    {LaunchKnob::NumWarps, 64, "-D num_warps=64"},
                                    {LaunchKnob::NumCtas, 2, "-D num_ctas=2"}});
  DriverOptions bad;
  CHECK(parse({"k.tt", "-D", "num_stages=two"}, bad) == kExitUsageError);

  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  DiagnosticEngine diags;
  CHECK_FALSE(applyLaunchOverrides(m, o.launchOverrides, 32, 1024, diags));
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(diags.diagnostics()[0].message ==
        "num_warps must be 1, 2, 4, 8, 16 or 32 (got 64), set by -D num_warps=64");
  CHECK(f->numWarps == 8); // the good override still applied
  CHECK(f->numCtas == 2);

  // The target's thread limit: 16 warps of 64 threads are the most for 1024 threads.
  DiagnosticEngine amd;
  CHECK_FALSE(
      applyLaunchOverrides(m, {{LaunchKnob::NumWarps, 32, "--num-warps 32"}}, 64, 1024, amd));
  REQUIRE(amd.diagnostics().size() == 1);
  CHECK(amd.diagnostics()[0].message ==
        "num_warps must be at most 16 on this target (64 threads per warp, at most 1024 per "
        "program; got 32), set by --num-warps 32");
  DiagnosticEngine fine;
  CHECK(applyLaunchOverrides(m, {{LaunchKnob::NumWarps, 16, "--num-warps 16"}}, 64, 1024, fine));
  CHECK(f->numWarps == 16);
}

TEST_CASE("driver options: -D keeps '=' inside the value") {
  DriverOptions o;
  CHECK(parse({"k.tt", "-D", "S='a=b'"}, o) == -1);
  REQUIRE(o.defines.size() == 1);
  CHECK(o.defines[0].first == "S");
  CHECK(o.defines[0].second == "'a=b'");
}

TEST_CASE("driver options: --emit-ir stages and the other emits") {
  DriverOptions a, b, c, d, e;
  CHECK(parse({"k.tt", "--emit-ir"}, a) == -1);
  CHECK(a.emit == EmitKind::IR);
  CHECK(parse({"k.tt", "--emit-ir=tile"}, b) == -1);
  CHECK(b.emit == EmitKind::TileIR);
  // --emit-ir never swallows the next argument as its stage.
  CHECK(parse({"--emit-ir", "k.tt"}, c) == -1);
  CHECK(c.emit == EmitKind::IR);
  CHECK(c.input == "k.tt");
  CHECK(parse({"k.tt", "--emit-llvm"}, d) == -1);
  CHECK(d.emit == EmitKind::LLVM);
  CHECK(parse({"k.tt", "-S"}, e) == -1);
  CHECK(e.emit == EmitKind::PTX);
}

TEST_CASE("driver options: pass pipeline flags") {
  DriverOptions a, b, c;
  CHECK(parse({"--from-ir", "m.tir", "--passes=cse,dce", "--print-after=cse", "--print-after",
               "dce,licm", "--verify-each"},
              a) == -1);
  CHECK(a.inputIsIR);
  CHECK(a.input == "m.tir");
  CHECK(a.passesGiven);
  CHECK(a.passes == std::vector<std::string>{"cse", "dce"});
  CHECK(a.printAfter == std::vector<std::string>{"cse", "dce", "licm"});
  CHECK(a.verifyEach);
  // An empty --passes= means "no passes" and must not eat the next word.
  CHECK(parse({"--passes=", "m.tir", "--print-after-all"}, b) == -1);
  CHECK(b.passesGiven);
  CHECK(b.passes.empty());
  CHECK(b.input == "m.tir");
  CHECK(b.inputIsIR); // implied by the .tir name
  CHECK(b.printAfter == std::vector<std::string>{"all"});
  CHECK(parse({"k.tt"}, c) == -1);
  CHECK_FALSE(c.passesGiven);
}

TEST_CASE("driver options: depfile flags, joined and separate") {
  DriverOptions a, b;
  CHECK(parse({"k.tt", "-o", "k.cubin", "-MD", "-MP", "-MT", "t1", "-MTt2"}, a) == -1);
  CHECK(a.depfile);
  CHECK(a.depPhony);
  CHECK(a.depTargets == std::vector<std::string>{"t1", "t2"});
  CHECK(parse({"k.tt", "-MFdeps.d"}, b) == -1);
  CHECK(b.depfile); // -MF implies -MD
  CHECK(b.depfilePath == "deps.d");
}

TEST_CASE("driver options: --help and --version") {
  DriverOptions a, b;
  std::string text;
  CHECK(parse({"--help"}, a, &text) == 0);
  CHECK(text.find("USAGE: tritonc FILE.tt") != std::string::npos);
  CHECK(parse({"--version"}, b) == -1); // no input needed; the driver prints it
  CHECK(b.showVersion);
}

TEST_CASE("driver options: bad usage is exit 2 with a hint") {
  const std::vector<std::vector<std::string>> bad = {
      {},                         // no input
      {"k.tt", "--no-such-flag"}, // unknown flag
      {"k.tt", "-O4"},            // out of range
      // (A bad --num-warps value is an error at each kernel, as from -D or a .tir attribute:
      // the launch-knobs test case above.)
      {"k.tt", "--num-warps", "four"}, // not a number
      {"k.tt", "-D", "NOEQUALS"},      // -D without =
      {"k.tt", "-D", "=1"},            // -D without a name
      {"k.tt", "--emit-ir", "-S"},     // two emits
      {"k.tt", "--emit-ir=llvm"},      // unknown stage
      {"k.tt", "-o", "-"},             // binary to stdout
      {"k.tt", "--emit-ir", "--metadata", "m.json"},
      {"k.tt", "--emit-llvm", "-MD"},
      {"a.tt", "b.tt"},               // two inputs
      {"a.tt", "--from-ir", "b.tir"}, // both
      {"k.tt", "--arch", "sm_80,sm_90a", "-S"},
      {"k.tt", "--arch", "sm_80,sm_90a", "--emit-llvm"},
      {"k.tt", "--arch", ","},
      {"k.tt", "--embed-ptx", "--emit-ir"},
      {"k.tt", "--emit-c-header", "k.h", "-S"},
  };
  for (const auto &words : bad) {
    DriverOptions o;
    std::string text;
    CAPTURE(words.size());
    CHECK(parse(words, o, &text) == kExitUsageError);
    CHECK(text.find("tritonc: error: ") == 0);
    CHECK(text.find("Run 'tritonc --help' for usage.") != std::string::npos);
  }
}

TEST_CASE("metadata: parameter types and ABI") {
  Context ctx;
  const Type *f32 = ctx.f32();
  ParamInfo info{"x", 16, {}};
  ParamMetadata p = describeParam(ctx.pointer(f32), info);
  CHECK(p.type == "*fp32");
  CHECK(p.isPointer);
  CHECK(p.size == 8);
  CHECK(p.align == 8);
  CHECK(p.divisibility == 16);
  CHECK(describeParam(ctx.pointer(ctx.pointer(ctx.scalar(ScalarKind::F16))), info).type ==
        "**fp16");
  ParamMetadata b = describeParam(ctx.i1(), {"b", 1, {}});
  CHECK(b.type == "i1");
  CHECK(b.size == 1);
  ParamMetadata h = describeParam(ctx.scalar(ScalarKind::F16), {"h", 1, {}});
  CHECK(h.type == "fp16");
  CHECK(h.size == 2);
  CHECK(h.align == 2);
  CHECK(describeParam(ctx.i64(), {"n", 1, {}}).size == 8);
  CHECK(describeParam(ctx.scalar(ScalarKind::U32), {"u", 1, {}}).type == "u32");
}

TEST_CASE("metadata: JSON in schema order, constexprs as JSON values") {
  LaunchMetadata m;
  m.tritoncVersion = "0.1.0";
  m.source = "k.tt";
  m.binary = "k.cubin";
  KernelMetadata k;
  k.name = k.symbol = "k";
  k.constexprs = {{"BLOCK", "1024"}, {"EPS", "1e-06"},   {"FLAG", "True"},
                  {"OFF", "False"},  {"MODE", "'ieee'"}, {"DT", "tl.float16"},
                  {"DT2", "fp16"},   {"NONE", "None"},   {"NEG", "-3"}};
  k.params.push_back({"x", "*fp32", true, 8, 8, 16});
  m.kernels.push_back(k);
  std::string json = renderMetadata(m);
  CHECK(json == renderMetadata(m)); // deterministic
  // Keys in schema order.
  const char *keys[] = {"\"tritonc_version\"",
                        "\"source\"",
                        "\"target\"",
                        "\"backend\"",
                        "\"arch\"",
                        "\"warp_size\"",
                        "\"binary\"",
                        "\"kernels\"",
                        "\"name\"",
                        "\"symbol\"",
                        "\"num_warps\"",
                        "\"num_ctas\"",
                        "\"num_stages\"",
                        "\"block\"",
                        "\"shared_bytes\"",
                        "\"cluster_dims\"",
                        "\"constexprs\"",
                        "\"params\"",
                        "\"type\"",
                        "\"kind\"",
                        "\"size\"",
                        "\"align\"",
                        "\"divisibility\""};
  size_t pos = 0;
  for (const char *key : keys) {
    CAPTURE(key);
    size_t next = json.find(key, pos);
    REQUIRE(next != std::string::npos);
    pos = next;
  }
  CHECK(json.find("\"BLOCK\": 1024") != std::string::npos);
  CHECK(json.find("\"EPS\": 1e-06") != std::string::npos);
  CHECK(json.find("\"FLAG\": true") != std::string::npos);
  CHECK(json.find("\"OFF\": false") != std::string::npos);
  CHECK(json.find("\"MODE\": \"ieee\"") != std::string::npos);
  CHECK(json.find("\"DT\": \"float16\"") != std::string::npos);
  CHECK(json.find("\"DT2\": \"fp16\"") != std::string::npos);
  CHECK(json.find("\"NONE\": null") != std::string::npos);
  CHECK(json.find("\"NEG\": -3") != std::string::npos);
  CHECK(json.find("\"kind\": \"pointer\"") != std::string::npos);
  CHECK(json.back() == '\n');
}

TEST_CASE("metadata: default path beside the output") {
  CHECK(defaultMetadataPath("out/va.cubin") == "out/va.json");
  CHECK(defaultMetadataPath("va") == "va.json");
  CHECK(defaultMetadataPath("a.b/va.cubin") == "a.b/va.json");
}

TEST_CASE("depfile: gcc format, escaping, phony targets") {
  CHECK(renderDepfile({"k.cubin"}, {"k.tt", "lib/m.tt"}, false) ==
        "k.cubin: \\\n  k.tt \\\n  lib/m.tt\n");
  CHECK(renderDepfile({"a b.cubin"}, {"my dir/k.tt", "$x#.tt"}, true) ==
        "a\\ b.cubin: \\\n  my\\ dir/k.tt \\\n  $$x\\#.tt\n\n$$x\\#.tt:\n");
  CHECK(renderDepfile({"t1", "t2"}, {"k.tt"}, true) == "t1 t2: \\\n  k.tt\n");
  CHECK(defaultDepfilePath("build/k.cubin") == "build/k.d");
}

TEST_CASE("output: atomic write, failure leaves nothing behind") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tritonc-unit-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string path = (dir / "a.cubin").string();
  std::string error;
  REQUIRE(writeFileAtomically(path, "first", error));
  CHECK(slurp(path) == "first");
  REQUIRE(writeFileAtomically(path, "second", error));
  CHECK(slurp(path) == "second");
  CHECK_FALSE(writeFileAtomically((dir / "missing" / "b.cubin").string(), "x", error));
  CHECK_FALSE(error.empty());
  size_t entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir))
    ++entries;
  CHECK(entries == 1); // no temporary left over
  CHECK(writeFileAtomically("/dev/null", "discarded", error));
  CHECK(fs::is_character_file("/dev/null"));
  fs::remove_all(dir);
}

TEST_CASE("output: several files are written all or nothing") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tritonc-unit-set-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string cubin = (dir / "k.cubin").string(), json = (dir / "k.json").string();
  std::string failed, error;
  REQUIRE(writeFilesAtomically({{cubin, "bin1"}, {json, "meta1"}}, failed, error));
  // The second file cannot be written: the first keeps its old contents, no temporary is left.
  CHECK_FALSE(writeFilesAtomically({{cubin, "bin2"}, {(dir / "no" / "k.json").string(), "m"}},
                                   failed, error));
  CHECK(failed == (dir / "no" / "k.json").string());
  CHECK(slurp(cubin) == "bin1");
  CHECK(slurp(json) == "meta1");
  size_t entries = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir))
    ++entries;
  CHECK(entries == 2);
  REQUIRE(writeFilesAtomically({{cubin, "bin3"}, {json, "meta3"}}, failed, error));
  CHECK(slurp(cubin) == "bin3");
  CHECK(slurp(json) == "meta3");
  fs::remove_all(dir);
}

TEST_CASE("output: shell quoting for -v") {
  CHECK(shellQuote({"ptxas", "-arch=sm_90a", "/tmp/a b.ptx"}) ==
        "ptxas -arch=sm_90a '/tmp/a b.ptx'");
  CHECK(shellQuote({"it's"}) == "'it'\\''s'");
  CHECK(shellQuote({""}) == "''");
}

TEST_CASE("driver options: several archs, --embed-ptx, --emit-c-header") {
  DriverOptions one, two, ptx, header;
  CHECK(parse({"k.tt"}, one) == -1);
  CHECK(one.archs == std::vector<std::string>{"sm_90a"});
  CHECK_FALSE(one.fatbin());
  CHECK(parse({"k.tt", "--arch", "sm_80,sm_90a,sm_80"}, two) == -1);
  CHECK(two.archs == std::vector<std::string>{"sm_80", "sm_90a"}); // duplicates dropped
  CHECK(two.fatbin());
  CHECK(parse({"k.tt", "--embed-ptx"}, ptx) == -1);
  CHECK(ptx.embedPtx);
  CHECK(ptx.fatbin()); // one arch + PTX is a fatbin too
  CHECK(parse({"k.tt", "--emit-c-header", "out/k.h"}, header) == -1);
  CHECK(header.cHeaderPath == "out/k.h");
}

TEST_CASE("metadata: a fatbin lists its archs; a cubin's target is unchanged") {
  LaunchMetadata m;
  m.binary = "k.fatbin";
  m.arch = "sm_80,sm_90a";
  m.archs = {"sm_80", "sm_90a"};
  m.embeddedPtx = true;
  std::string json = renderMetadata(m);
  CHECK(json.find("\"arch\": \"sm_80,sm_90a\",\n    \"archs\": [\n      \"sm_80\",\n"
                  "      \"sm_90a\"\n    ],\n    \"embedded_ptx\": true,\n"
                  "    \"warp_size\": 32") != std::string::npos);
  LaunchMetadata single;
  std::string plain = renderMetadata(single);
  CHECK(plain.find("archs") == std::string::npos);
  CHECK(plain.find("embedded_ptx") == std::string::npos);
}

namespace {

LaunchMetadata headerMetadata(const std::string &backend) {
  LaunchMetadata m;
  m.tritoncVersion = "0.1.0";
  m.source = "k.tt";
  m.binary = "out/k.cubin";
  m.backend = backend;
  m.arch = backend == "hip" ? "gfx942" : "sm_90a";
  KernelMetadata a;
  a.name = a.symbol = "add";
  a.params = {{"x", "*fp32", true, 8, 8, 16},
              {"n", "i32", false, 4, 4, 1},
              {"s", "fp16", false, 2, 2, 1},
              {"f", "i1", false, 1, 1, 1},
              {"e", "fp32", false, 4, 4, 1}};
  KernelMetadata big;
  big.name = big.symbol = "big";
  big.sharedBytes = 65536;
  big.clusterDims = {2, 1, 1};
  m.kernels = {a, big};
  return m;
}

bool has(const std::string &text, const std::string &piece) {
  return text.find(piece) != std::string::npos;
}

} // namespace

TEST_CASE("c header: names and parameter types") {
  CHECK(isCIdentifier("_k9"));
  CHECK(isCIdentifier("va1024"));
  CHECK_FALSE(isCIdentifier("9k"));
  CHECK_FALSE(isCIdentifier("a-b"));
  CHECK_FALSE(isCIdentifier(""));
  CHECK(cHeaderPrefix("out/vector_add.h") == "vector_add");
  CHECK(cHeaderPrefix("my-kernels.v2.h") == "my_kernels_v2");
  CHECK(cHeaderPrefix("2d.h") == "_2d");
  ParamMetadata p{"p", "*fp16", true, 8, 8, 1};
  CHECK(cParamType(p, false) == "CUdeviceptr");
  CHECK(cParamType(p, true) == "hipDeviceptr_t");
  CHECK(cParamType({"n", "i32", false, 4, 4, 1}, false) == "int32_t");
  CHECK(cParamType({"n", "u64", false, 8, 8, 1}, false) == "uint64_t");
  CHECK(cParamType({"n", "fp64", false, 8, 8, 1}, false) == "double");
  CHECK(cParamType({"n", "bf16", false, 2, 2, 1}, false) == "uint16_t");
  CHECK(cParamType({"n", "fp8e5", false, 1, 1, 1}, false) == "uint8_t");
  CHECK(cParamType({"n", "i1", false, 1, 1, 1}, false) == "bool");
}

TEST_CASE("c header: CUDA launchers, shared-memory opt-in, clusters, errors returned") {
  std::string bin("\x7f"
                  "ELF\x01\x02",
                  6);
  std::string h = renderCHeader(headerMetadata("cuda"), bin, "k");
  CHECK(h == renderCHeader(headerMetadata("cuda"), bin, "k")); // deterministic
  CHECK(has(h, "#ifndef TRITONC_K_H"));
  CHECK(has(h, "#include <cuda.h>"));
  CHECK(has(h, "static const unsigned char k_binary[6] __attribute__((aligned(8), unused)) = {\n"
               "    0x7f, 0x45, 0x4c, 0x46, 0x01, 0x02,\n};"));
  CHECK(has(h, "static inline CUresult k_load(void) {"));
  CHECK(has(h, "static inline CUresult k_unload(void) {"));
  CHECK(has(h, "cuModuleGetFunction(&k_add_function, k_module, \"add\");"));
  CHECK(has(h,
            "static inline CUresult k_add_launch(CUstream stream, unsigned gridX, unsigned gridY, "
            "unsigned gridZ, CUdeviceptr x, int32_t n, uint16_t s, bool f, float e) {"));
  CHECK(has(h, "void *args[5] = {&x, &n, &s, &f, &e};"));
  CHECK(has(h, "return cuLaunchKernel(k_add_function, gridX, gridY, gridZ, 128, 1, 1, 0, stream, "
               "args, NULL);"));
  // Above 48 KiB: the opt-in; num_ctas > 1: a cluster launch.
  CHECK(has(h,
            "cuFuncSetAttribute(k_big_function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, "
            "65536);"));
  CHECK_FALSE(has(h, "cuFuncSetAttribute(k_add_function"));
  CHECK(has(h, "return cuLaunchKernelEx(&config, k_big_function, args, NULL);"));
  CHECK(has(h, "void **args = NULL;"));
  CHECK_FALSE(has(h, "exit("));
  CHECK(has(h, "return CUDA_ERROR_NOT_INITIALIZED;"));
}

TEST_CASE("c header: HIP spelling for AMD") {
  std::string h = renderCHeader(headerMetadata("hip"), "ab", "k");
  CHECK(has(h, "#include <hip/hip_runtime_api.h>"));
  CHECK(has(h, "static inline hipError_t k_load(void) {"));
  CHECK(has(h, "hipModuleLoadData(&k_module, k_binary);"));
  CHECK(has(h, "add_launch(hipStream_t stream, unsigned gridX, unsigned gridY, unsigned gridZ, "
               "hipDeviceptr_t x,"));
  CHECK(has(h, "return hipModuleLaunchKernel(k_add_function, gridX, gridY, gridZ, 128, 1, 1, 0, "
               "stream, args, NULL);"));
  CHECK_FALSE(has(h, "cuda.h"));
  CHECK_FALSE(has(h, "CUresult"));
  CHECK_FALSE(has(h, "cuFuncSetAttribute"));
}

TEST_CASE("driver options: --arch repeats or lists; AMD archs make a bundle") {
  DriverOptions rep, mixed;
  CHECK(parse({"k.tt", "--arch", "gfx90a", "--arch", "gfx1100,gfx90a"}, rep) == -1);
  CHECK(rep.archs == std::vector<std::string>{"gfx90a", "gfx1100"});
  CHECK(rep.fatbin());
  CHECK(parse({"k.tt", "--arch", "sm_90a", "--arch", "sm_80"}, mixed) == -1);
  CHECK(mixed.archs == std::vector<std::string>{"sm_90a", "sm_80"});
}

TEST_CASE("offload bundle: tritonc writes it, launcher.hpp reads it and picks the device's entry") {
  const std::string a(100, 'a'), b(5000, 'b');
  const std::string bundle = packOffloadBundle({{"gfx90a", a}, {"gfx1100", b}});
  using namespace tritonc::host;
  REQUIRE(isOffloadBundle(bundle));
  std::vector<BundleEntry> es = parseOffloadBundle(bundle);
  REQUIRE(es.size() == 3);
  CHECK(es[0].id == "host-x86_64-unknown-linux");
  CHECK(es[0].size == 0);
  CHECK(es[1].id == "hipv4-amdgcn-amd-amdhsa--gfx90a");
  CHECK(es[2].id == "hipv4-amdgcn-amd-amdhsa--gfx1100");
  CHECK(es[1].offset % kOffloadBundleAlignment == 0);
  CHECK(es[2].offset % kOffloadBundleAlignment == 0);
  CHECK(bundle.substr(es[1].offset, es[1].size) == a);
  CHECK(bundle.substr(es[2].offset, es[2].size) == b);
  size_t index = 9;
  const std::vector<std::string> archs = {"gfx90a", "gfx1100"};
  CHECK(selectCodeObject(bundle, archs, "gfx1100", index) == b);
  CHECK(index == 1);
  CHECK(selectCodeObject(bundle, archs, "gfx90a:sramecc+:xnack-", index) == a);
  CHECK(index == 0);
  CHECK_THROWS_WITH(selectCodeObject(bundle, archs, "gfx942:sramecc+:xnack-", index, "k.hipfb"),
                    "k.hipfb: no code object for this GPU (gfx942:sramecc+:xnack-); the bundle "
                    "holds gfx90a, gfx1100: compile with --arch gfx942");
  CHECK(selectCodeObject("\x7f"
                         "ELF....",
                         archs, "gfx942", index) == "\x7f"
                                                    "ELF....");
  CHECK_THROWS_WITH(parseOffloadBundle(bundle.substr(0, 60), "t"), "t: truncated offload bundle");
  std::string lying = bundle;
  lying[32 + 24 + 25 + 8 + 5] = '\x7f'; // the gfx90a entry's size, far past the end
  CHECK_THROWS_WITH(parseOffloadBundle(lying, "t"),
                    "t: offload bundle entry 'hipv4-amdgcn-amd-amdhsa--gfx90a' lies outside the "
                    "file");
  CHECK(amdProcessor("gfx90a:sramecc+:xnack-") == "gfx90a");
}

TEST_CASE("launcher.hpp: AMD kernel arguments at the metadata's offsets, per-arch blocks") {
  using namespace tritonc::host;
  const std::string json = R"({"target": {"backend": "hip", "arch": "gfx90a,gfx1100",
    "archs": ["gfx90a", "gfx1100"], "arch_warp_sizes": [64, 32], "warp_size": 64},
    "kernels": [{"name": "k", "block": [256, 1, 1], "arch_blocks": [[256, 1, 1], [128, 1, 1]],
      "shared_bytes": 0, "params": [
      {"name": "x", "type": "*fp32", "kind": "pointer", "size": 8, "align": 8, "offset": 0},
      {"name": "n", "type": "i32", "kind": "scalar", "size": 4, "align": 4, "offset": 8},
      {"name": "h", "type": "fp16", "kind": "scalar", "size": 2, "align": 2, "offset": 12},
      {"name": "d", "type": "fp64", "kind": "scalar", "size": 8, "align": 8, "offset": 16}]}]})";
  Metadata m = parseMetadata(json, "k.json");
  CHECK(m.archWarpSizes == std::vector<unsigned>{64, 32});
  const tritonc::host::KernelInfo &k = *m.kernel("k");
  REQUIRE(k.archBlocks.size() == 2);
  CHECK(k.archBlocks[1] == std::vector<unsigned>{128, 1, 1});
  CHECK(k.params[3].offset == 16);
  std::vector<Arg> args = {Arg::pointer(0x1122334455667788ull), Arg::from(int32_t{-2}),
                           Arg::bits(0x3c00, 2), Arg::from(0.5)};
  checkArguments(k, args);
  std::vector<unsigned char> ka = packKernargs(k, args);
  REQUIRE(ka.size() == 24); // the end of the last explicit argument; hidden ones are HIP's
  uint64_t x;
  int32_t n;
  uint16_t h;
  double d;
  std::memcpy(&x, ka.data(), 8);
  std::memcpy(&n, ka.data() + 8, 4);
  std::memcpy(&h, ka.data() + 12, 2);
  std::memcpy(&d, ka.data() + 16, 8);
  CHECK(x == 0x1122334455667788ull);
  CHECK(n == -2);
  CHECK(h == 0x3c00);
  CHECK(d == 0.5);
  CHECK(ka[14] == 0);
  CHECK(ka[15] == 0); // padding stays zero
  // A bundle's kernel must list one block per arch.
  std::string short_ = json;
  short_.replace(short_.find("[[256, 1, 1], [128, 1, 1]]"), 26, "[[256, 1, 1]]");
  CHECK_THROWS_WITH(parseMetadata(short_, "k.json"),
                    "k.json: kernel 'k': \"arch_blocks\" must list one block per arch of "
                    "target.archs");
}

TEST_CASE("c header: a bundle of wave64 and wave32 archs asks HIP for the wavefront size") {
  LaunchMetadata m = headerMetadata("hip");
  m.arch = "gfx90a,gfx1100";
  m.archs = {"gfx90a", "gfx1100"};
  m.archWarpSizes = {64, 32};
  for (KernelMetadata &k : m.kernels)
    k.archBlocks = {{256, 1, 1}, {128, 1, 1}};
  std::string h = renderCHeader(m, "ab", "k");
  CHECK(has(h, "/* The offload bundle of code objects, 2 bytes. */"));
  CHECK(has(h, "static unsigned k_wave_size"));
  CHECK(has(h, "err = hipDeviceGetAttribute(&wave, hipDeviceAttributeWarpSize, device);"));
  CHECK(has(h, "return hipModuleLaunchKernel(k_add_function, gridX, gridY, gridZ, (k_wave_size "
               "== 32 ? 128u : 256u), 1, 1, 0, stream, args, NULL);"));
  m.archWarpSizes = {64, 64}; // one wavefront size: the block is a constant
  CHECK_FALSE(has(renderCHeader(m, "ab", "k"), "wave_size"));
}

TEST_CASE("launcher.hpp: JSON reader") {
  using namespace tritonc::host;
  Json j = parseJson(R"({"a": [1, -2.5e3, true, false, null], "s": "x\"\u00e9\n", "o": {}})");
  REQUIRE(j.kind == Json::Kind::Object);
  REQUIRE(j.find("a"));
  CHECK(j.find("a")->array.size() == 5);
  CHECK(j.find("a")->array[1].number == -2500);
  CHECK(j.find("a")->array[2].boolean);
  CHECK(j.find("a")->array[4].kind == Json::Kind::Null);
  CHECK(j.find("s")->string == "x\"\xc3\xa9\n");
  CHECK(j.find("o")->kind == Json::Kind::Object);
  CHECK(j.find("missing") == nullptr);
  for (const char *bad : {"", "{", "[1,]", "{\"a\" 1}", "\"abc", "tru", "{} x", "[01x]"})
    CHECK_THROWS_AS(parseJson(bad), Error);
  try {
    parseJson("{\n  \"a\": ?}");
    FAIL("no error");
  } catch (const Error &e) {
    CHECK(std::string(e.what()) == "JSON line 2, column 8: unexpected character '?'");
  }
}

TEST_CASE("launcher.hpp: constexprs and :16 promises") {
  using namespace tritonc::host;
  LaunchMetadata lm = headerMetadata("cuda");
  lm.kernels[0].params[1].divisibility = 16; // n: i32:16
  lm.kernels[0].constexprs = {{"BLOCK_SIZE", "1024"}, {"EPS", "1e-05"}, {"DT", "fp16"}};
  Metadata m = parseMetadata(renderMetadata(lm), "k.json");
  const host::KernelInfo *add = m.kernel("add");
  REQUIRE(add);
  CHECK(add->params[0].divisibility == 16);
  CHECK(add->params[1].divisibility == 16);
  CHECK(add->params[2].divisibility == 1);
  CHECK(add->constexprInt("BLOCK_SIZE") == 1024);
  REQUIRE(add->constexprValue("EPS"));
  CHECK(add->constexprValue("EPS")->number == doctest::Approx(1e-5));
  CHECK(add->constexprValue("DT")->string == "fp16");
  CHECK(add->constexprValue("nope") == nullptr);
  CHECK_THROWS_WITH_AS(add->constexprInt("DT"), "kernel 'add' has no integer constexpr 'DT'",
                       Error);

  auto message = [&](uint64_t address, int32_t n) {
    std::vector<Arg> args = {Arg::pointer(address), Arg::from(n), Arg::bits(0, 2), Arg::from(true),
                             Arg::from(1.f)};
    try {
      checkArguments(*add, args);
    } catch (const Error &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message(0x7f0000001000, 4096) == "no error");
  CHECK(message(0x7f0000001000, -32) == "no error");
  CHECK(message(0x7f0000001004, 4096) ==
        "kernel 'add': argument 1 ('x', *fp32) was compiled for addresses divisible by 16 (the "
        ":16 in its type), got 0x7f0000001004; pass an aligned pointer or compile without the "
        "promise");
  CHECK(message(0x7f0000001000, 4097) ==
        "kernel 'add': argument 2 ('n', i32) was compiled for values divisible by 16 (the :16 in "
        "its type), got 4097; compile without the promise for such values");
  CHECK(message(0x7f0000001000, -33) ==
        "kernel 'add': argument 2 ('n', i32) was compiled for values divisible by 16 (the :16 in "
        "its type), got -33; compile without the promise for such values");
}

TEST_CASE("launcher.hpp: reads tritonc's own metadata and checks arguments") {
  using namespace tritonc::host;
  // The metadata as the driver renders it, so the reader follows the writer.
  LaunchMetadata lm = headerMetadata("cuda");
  Metadata m = parseMetadata(renderMetadata(lm), "k.json");
  CHECK(m.backend == "cuda");
  CHECK(m.arch == "sm_90a");
  REQUIRE(m.kernels.size() == 2);
  const host::KernelInfo *add = m.kernel("add");
  REQUIRE(add);
  CHECK(add->block[0] == 128);
  CHECK(add->params.size() == 5);
  CHECK(add->params[0].isPointer);
  CHECK(add->params[1].type == "i32");
  CHECK(m.kernel("big")->sharedBytes == 65536);
  CHECK(m.kernel("big")->clusterDims[0] == 2);
  CHECK(m.kernel("nope") == nullptr);

  float *devicePointer = nullptr;
  unsigned long long cuDeviceptr = 0x1000; // what CUdeviceptr is
  std::vector<Arg> good = {Arg::from(cuDeviceptr), Arg::from(int32_t{7}), Arg::bits(0x3c00, 2),
                           Arg::from(true), Arg::from(1.5f)};
  CHECK_NOTHROW(checkArguments(*add, good));
  CHECK(good[0].kind == Arg::Kind::Pointer);
  std::vector<Arg> raw = {Arg::from(devicePointer), Arg::from(7u), Arg::bits(0, 2),
                          Arg::from(false), Arg::from(0.0f)};
  CHECK_NOTHROW(checkArguments(*add, raw));

  auto message = [&](std::vector<Arg> args) {
    try {
      checkArguments(*add, args);
    } catch (const Error &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({Arg::from(devicePointer)}) ==
        "kernel 'add' takes 5 argument(s) (x: *fp32, n: i32, s: fp16, f: i1, e: fp32), got 1");
  CHECK(message({Arg::from(7), Arg::from(7), Arg::bits(0, 2), Arg::from(true), Arg::from(1.f)}) ==
        "kernel 'add': argument 1 ('x', *fp32) needs a device pointer (CUdeviceptr or T*), got a "
        "4-byte signed integer");
  CHECK(message({Arg::from(devicePointer), Arg::from(int64_t{7}), Arg::bits(0, 2), Arg::from(true),
                 Arg::from(1.f)}) ==
        "kernel 'add': argument 2 ('n', i32) needs a 4-byte integer, got a 8-byte signed integer");
  CHECK(message({Arg::from(devicePointer), Arg::from(7), Arg::from(1.f), Arg::from(true),
                 Arg::from(1.f)}) == "kernel 'add': argument 3 ('s', fp16) needs its raw bits as "
                                     "a 2-byte unsigned integer, got a 4-byte float");
  CHECK(message({Arg::from(devicePointer), Arg::from(7), Arg::bits(0, 2), Arg::from(1),
                 Arg::from(1.f)}) ==
        "kernel 'add': argument 4 ('f', i1) needs a bool, got a 4-byte signed integer");
  CHECK(message({Arg::from(devicePointer), Arg::from(7), Arg::bits(0, 2), Arg::from(true),
                 Arg::from(1.0)}) ==
        "kernel 'add': argument 5 ('e', fp32) needs a float, got a 8-byte float");

  CHECK_THROWS_WITH_AS(parseMetadata("{\"target\": {}}", "x.json"),
                       "x.json: target: missing \"backend\"", Error);
  CHECK_THROWS_WITH_AS(parseMetadata("{\"format_version\": 2}", "x.json"),
                       "x.json: metadata format_version 2 is not supported by this launcher.hpp "
                       "(it reads format 1)",
                       Error);
  CHECK_THROWS_WITH_AS(parseMetadata("[", "x.json"),
                       "x.json: JSON line 1, column 2: unexpected end of input", Error);
}

TEST_CASE("launcher.hpp: --specialize variants, the first whose promises hold") {
  using namespace tritonc::host;
  const std::string json = R"({"format_version": 1,
    "target": {"backend": "cuda", "arch": "sm_90a", "warp_size": 32}, "binary": "k.cubin",
    "kernels": [{"name": "k", "symbol": "k", "block": [128, 1, 1], "shared_bytes": 0,
      "params": [
        {"name": "x", "type": "*fp32", "kind": "pointer", "size": 8, "align": 8, "divisibility": 1},
        {"name": "n", "type": "i32", "kind": "scalar", "size": 4, "align": 4, "divisibility": 1},
        {"name": "s", "type": "i64", "kind": "scalar", "size": 8, "align": 8, "divisibility": 1}],
      "variants": [
        {"symbol": "k_0d1d2c", "promises": [{"param": 0, "name": "x", "divisible_by": 16},
          {"param": 1, "name": "n", "divisible_by": 16}, {"param": 2, "name": "s", "equals": 1}],
         "shared_bytes": 16},
        {"symbol": "k_0d1d", "promises": [{"param": 0, "name": "x", "divisible_by": 16},
          {"param": 1, "name": "n", "divisible_by": 16}], "shared_bytes": 8},
        {"symbol": "k", "promises": [], "shared_bytes": 0}]}]})";
  Metadata m = parseMetadata(json);
  const host::KernelInfo &k = *m.kernel("k");
  REQUIRE(k.variants.size() == 3);
  CHECK(k.variants[0].symbol == "k_0d1d2c");
  CHECK(k.variants[1].sharedBytes == 8);
  auto pick = [&](uint64_t x, int32_t n, int64_t s) {
    std::vector<Arg> args = {Arg::from(x), Arg::from(n), Arg::from(s)};
    checkArguments(k, args);
    return selectVariant(k, args);
  };
  CHECK(pick(0x1000, 64, 1) == 0);
  CHECK(pick(0x1000, -32, 1) == 0); // a negative multiple of 16 keeps the promise
  CHECK(pick(0x1000, 64, 7) == 1);
  CHECK(pick(0x1004, 64, 1) == 2);
  CHECK(pick(0x1000, 65, 1) == 2);
  // A kernel without variants: always its one entry.
  std::vector<Arg> none;
  host::KernelInfo plain;
  CHECK(selectVariant(plain, none) == 0);
  // A promise on a parameter the kernel does not have is refused.
  std::string bad = json;
  bad.replace(bad.find(R"("param": 2)"), 10, R"("param": 3)");
  CHECK_THROWS_WITH_AS(parseMetadata(bad), doctest::Contains("a promise on parameter 3 of 3"),
                       Error);
}

TEST_CASE("metadata: groupVariants nests variants under their kernel, generic last") {
  using namespace tritonc::driver;
  std::vector<KernelMetadata> kernels(3);
  kernels[0].name = kernels[0].symbol = "k_0d";
  kernels[0].variantOf = "k";
  kernels[0].promises = {tritonc::Function::Promise::Divisible16};
  kernels[0].params.push_back({"x", "*fp32", true, 8, 8, 16});
  kernels[1].name = kernels[1].symbol = "k";
  kernels[1].variantOf = "k";
  kernels[1].promises = {tritonc::Function::Promise::None};
  kernels[1].params.push_back({"x", "*fp32", true, 8, 8, 1});
  kernels[2].name = kernels[2].symbol = "other";
  groupVariants(kernels);
  REQUIRE(kernels.size() == 2);
  REQUIRE(kernels[0].variants.size() == 2);
  CHECK(kernels[0].variants[0].symbol == "k_0d");
  CHECK(kernels[0].variants[1].symbol == "k");
  CHECK(kernels[1].variants.empty());
  LaunchMetadata m;
  m.kernels = kernels;
  std::string json = renderMetadata(m);
  CHECK(json.find(R"("variants": [)") != std::string::npos);
  CHECK(json.find(R"("divisible_by": 16)") != std::string::npos);
}

TEST_CASE("driver options: --color and clang's -f[no-]color-diagnostics, the last one wins") {
  const std::vector<std::pair<std::vector<std::string>, ColorChoice>> cases = {
      {{"k.tt"}, ColorChoice::Auto},
      {{"k.tt", "--color=always"}, ColorChoice::Always},
      {{"k.tt", "--color", "never"}, ColorChoice::Never},
      {{"k.tt", "-fcolor-diagnostics"}, ColorChoice::Always},
      {{"k.tt", "-fno-color-diagnostics"}, ColorChoice::Never},
      {{"k.tt", "-fcolor-diagnostics", "-fno-color-diagnostics"}, ColorChoice::Never},
      {{"k.tt", "--color=never", "-fcolor-diagnostics"}, ColorChoice::Always},
      {{"k.tt", "-fno-color-diagnostics", "--color=auto"}, ColorChoice::Auto},
  };
  for (const auto &[words, want] : cases) {
    DriverOptions o;
    CAPTURE(words.back());
    CHECK(parse(words, o) == -1);
    CHECK(o.color == want);
  }
  DriverOptions bad;
  std::string text;
  CHECK(parse({"k.tt", "--color=yes"}, bad, &text) == kExitUsageError);
  CHECK(text.find("--color takes auto, always or never (got 'yes')") != std::string::npos);
  // An explicit choice wins over NO_COLOR and a pipe; auto asks the terminal.
  CHECK(stderrWantsColor(ColorChoice::Always));
  CHECK_FALSE(stderrWantsColor(ColorChoice::Never));
}

TEST_CASE("driver options: '-' is standard input; a binary from it needs -o") {
  DriverOptions text;
  CHECK(parse({"-", "-S"}, text) == -1);
  CHECK(text.inputIsStdin());
  DriverOptions binary;
  CHECK(parse({"-", "-o", "k.cubin"}, binary) == -1);
  CHECK(binary.output == "k.cubin");
  DriverOptions both;
  CHECK(parse({"-", "-S", "-o", "-"}, both) == -1);
  CHECK(both.output == "-");
  DriverOptions noOut;
  std::string err;
  CHECK(parse({"-"}, noOut, &err) == kExitUsageError);
  CHECK(err.find("needs -o FILE") != std::string::npos);
  DriverOptions list;
  CHECK(parse({"-", "--list-kernels"}, list) == -1); // the list goes to standard output
}

TEST_CASE("driver options: --list-kernels[=FORMAT]") {
  DriverOptions plain, json;
  CHECK(parse({"k.tt", "--list-kernels"}, plain) == -1);
  CHECK(plain.listKernels == "text");
  CHECK(parse({"k.tt", "--list-kernels=json"}, json) == -1);
  CHECK(json.listKernels == "json");
  for (const std::vector<std::string> &words :
       {std::vector<std::string>{"k.tt", "--list-kernels=xml"},
        {"k.tt", "--list-kernels", "--emit-llvm"},
        {"k.tt", "--list-kernels", "--emit-c-header", "k.h"},
        {"k.tt", "--list-kernels", "--metadata", "k.json"}}) {
    DriverOptions o;
    CAPTURE(words.back());
    CHECK(parse(words, o) == kExitUsageError);
  }
}

TEST_CASE("kernel list: one line per kernel, or JSON with typed constexprs") {
  KernelMetadata k;
  k.name = "add";
  k.params = {{"x", "*fp32", true, 8, 8, 16}, {"n", "i32", false, 4, 4, 1}};
  k.constexprs = {{"BLOCK", "1024"}, {"MODE", "'ieee'"}};
  CHECK(renderKernelList("a.tt", {k}, false) ==
        "add(x: *fp32:16, n: i32, BLOCK: constexpr = 1024, MODE: constexpr = 'ieee')\n");
  KernelMetadata none;
  none.name = "noargs";
  CHECK(renderKernelList("a.tt", {none}, false) == "noargs()\n");
  const std::string json = renderKernelList("a.tt", {k}, true);
  CHECK(json.find("\"source\": \"a.tt\"") != std::string::npos);
  CHECK(json.find("\"BLOCK\": 1024") != std::string::npos);
  CHECK(json.find("\"MODE\": \"ieee\"") != std::string::npos);
  CHECK(json.find("\"divisibility\": 16") != std::string::npos);
}

TEST_CASE("targets: every --arch, and the arch --arch native picks for a compute capability") {
  for (const char *arch : {"sm_75", "sm_80", "sm_86", "sm_89", "sm_90", "sm_90a", "sm_100",
                           "sm_100a", "sm_103", "sm_120", "sm_120a", "gfx942"}) {
    TargetInfo info;
    std::string error;
    CAPTURE(arch);
    CHECK(targetInfoForArch(arch, info, error));
    CHECK(info.arch == arch);
  }
  TargetInfo t;
  std::string error;
  REQUIRE(targetInfoForArch("sm_120", t, error));
  CHECK(t.computeCapability == 120);
  CHECK(t.ptxVersion == 87);
  CHECK(t.sharedMemoryBytes == 101376);
  REQUIRE(targetInfoForArch("sm_75", t, error));
  CHECK(t.sharedMemoryBytes == 65536);
  CHECK_FALSE(targetInfoForArch("native", t, error)); // resolved by the driver first
  CHECK(archForComputeCapability(7, 5) == "sm_75");
  CHECK(archForComputeCapability(8, 6) == "sm_86");
  CHECK(archForComputeCapability(9, 0) == "sm_90a");
  CHECK(archForComputeCapability(10, 0) == "sm_100a");
  CHECK(archForComputeCapability(10, 3) == "sm_103");
  CHECK(archForComputeCapability(12, 0) == "sm_120a");
  CHECK(archForComputeCapability(8, 7).empty()); // Jetson Orin: no target
  CHECK(archForComputeCapability(6, 1).empty());
}

TEST_CASE("targets: AMD processors are LLVM's; wave64 on gfx9, wave32 on gfx10+, LDS per arch") {
  struct Row {
    const char *arch;
    unsigned wave, lds;
  };
  for (Row row :
       {Row{"gfx90a", 64, 65536}, Row{"gfx942", 64, 65536}, Row{"gfx950", 64, 163840},
        Row{"gfx908", 64, 65536}, Row{"gfx1030", 32, 65536}, Row{"gfx1100", 32, 65536},
        Row{"gfx1151", 32, 65536}, Row{"gfx1200", 32, 65536}, Row{"gfx1201", 32, 65536}}) {
    CAPTURE(row.arch);
    TargetInfo t;
    std::string error;
    REQUIRE(targetInfoForArch(row.arch, t, error));
    CHECK(t.isHip());
    CHECK(t.arch == row.arch);
    CHECK(t.warpSize == row.wave);
    CHECK(t.sharedMemoryBytes == row.lds);
  }
  std::vector<std::string> known = amdgpuArchs();
  for (const char *arch : {"gfx90a", "gfx942", "gfx950", "gfx1100", "gfx1200"})
    CHECK(std::find(known.begin(), known.end(), arch) != known.end());
  TargetInfo t;
  std::string error;
  CHECK_FALSE(targetInfoForArch("gfx1234", t, error));
  CHECK(error.find("'gfx1234'") != std::string::npos);
  CHECK(error.find(" gfx942 ") != std::string::npos);
  CHECK(error.find(" sm_90a ") != std::string::npos);
  CHECK_FALSE(targetInfoForArch("gfx", t, error));
  CHECK_FALSE(targetInfoForArch("GFX942", t, error));
}
