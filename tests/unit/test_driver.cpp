// Unit tests of the driver's pure helpers: command-line parsing (defaults, gcc-style spellings,
// usage errors → exit 2), launch-metadata rendering (schema order, constexpr values, parameter
// ABI), depfile rendering and atomic output writes.
#include "driver/Depfile.h"
#include "driver/Metadata.h"
#include "driver/Options.h"
#include "driver/Output.h"

#include <doctest/doctest.h>

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
  CHECK_FALSE(o.numWarps.has_value());
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
  CHECK(*o.numWarps == 8);
  CHECK(*o.numStages == 2);
  CHECK(*o.numCtas == 2);
  CHECK(o.arch == "sm_80");
  CHECK(o.verbose);
  CHECK(o.timePasses);
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
      {},                            // no input
      {"k.tt", "--no-such-flag"},    // unknown flag
      {"k.tt", "-O4"},               // out of range
      {"k.tt", "--num-warps", "3"},  // not a power of two
      {"k.tt", "--num-warps", "64"}, // too many
      {"k.tt", "--num-ctas", "32"},  // not a power of two
      {"k.tt", "--num-stages", "0"}, // out of range
      {"k.tt", "-D", "NOEQUALS"},    // -D without =
      {"k.tt", "-D", "=1"},          // -D without a name
      {"k.tt", "--emit-ir", "-S"},   // two emits
      {"k.tt", "--emit-ir=llvm"},    // unknown stage
      {"k.tt", "-o", "-"},           // binary to stdout
      {"k.tt", "--emit-ir", "--metadata", "m.json"},
      {"k.tt", "--emit-llvm", "-MD"},
      {"a.tt", "b.tt"},               // two inputs
      {"a.tt", "--from-ir", "b.tir"}, // both
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
