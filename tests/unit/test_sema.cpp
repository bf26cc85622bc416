// Unit tests of sema and lowering (compileToTileIR): small .tt sources compiled to Tile IR
// whose ops and types are checked (every module must verify), Triton's promotion rules, control
// flow, helpers and imports, and the located error messages of LANGUAGE.md §7.
#include "frontend/Frontend.h"
#include "frontend/Promotion.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace tritonc;

namespace {

struct Compiled {
  SourceManager sources;
  Context ctx;
  DiagnosticEngine diags;
  std::unique_ptr<Module> module;

  /// "L:C: message" of the first error, or "" if none.
  std::string firstError() const {
    for (const Diagnostic &d : diags.diagnostics())
      if (d.severity == Severity::Error)
        return std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + ": " +
               d.message;
    return "";
  }
  const Diagnostic *firstDiag() const {
    for (const Diagnostic &d : diags.diagnostics())
      if (d.severity == Severity::Error)
        return &d;
    return nullptr;
  }
  std::string ir() const { return module ? printModule(*module) : "<no module>"; }
  Function &fn(size_t i = 0) const { return *module->functions().at(i); }
  /// Number of ops of `code` in every function (regions included).
  int count(OpCode code) const {
    int n = 0;
    for (const auto &f : module->functions())
      f->walk([&](Operation *op) { n += op->code() == code; });
    return n;
  }
  /// The result type of the first op of `code` whose result is named `name` (or any if empty).
  const Type *typeOf(const std::string &name) const {
    const Type *t = nullptr;
    for (const auto &f : module->functions())
      f->walk([&](Operation *op) {
        for (Value *r : op->results())
          if (!t && r->name() == name)
            t = r->type();
      });
    return t;
  }
};

std::unique_ptr<Compiled> compile(const std::string &src, FrontendOptions opts = {},
                                  const std::string &path = "t.tt") {
  auto c = std::make_unique<Compiled>();
  uint32_t id = c->sources.addFile(path, src);
  c->module = compileToTileIR(c->sources, id, c->ctx, opts, c->diags);
  if (c->module) {
    DiagnosticEngine vd;
    bool ok = verifyModule(*c->module, vd);
    std::string why;
    for (const Diagnostic &d : vd.diagnostics())
      why += d.message + "\n";
    INFO("IR:\n" << c->ir() << "verifier:\n" << why);
    CHECK(ok);
  }
  return c;
}

/// Compiles a kernel body (indented by 4) with the given parameters.
std::unique_ptr<Compiled> body(const std::string &params, const std::string &code,
                               FrontendOptions opts = {}) {
  return compile("import triton\nimport triton.language as tl\n\n@triton.jit\ndef k(" + params +
                     "):\n" + code,
                 std::move(opts));
}

std::string tyStr(const Type *t) { return t ? t->str() : "<none>"; }

const char *kVectorAdd = R"(import triton
import triton.language as tl


@triton.jit
def add_kernel(x_ptr: *fp32, y_ptr: *fp32:16, output_ptr: *fp32, n_elements: i32,
               BLOCK_SIZE: tl.constexpr = 1024):
    pid = tl.program_id(axis=0)
    block_start = pid * BLOCK_SIZE
    offsets = block_start + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    y = tl.load(y_ptr + offsets, mask=mask)
    output = x + y
    tl.store(output_ptr + offsets, output, mask=mask)
)";

} // namespace

TEST_CASE("sema: vector add lowers to verified Tile IR") {
  auto c = compile(kVectorAdd);
  REQUIRE(c->module);
  REQUIRE(c->module->functions().size() == 1);
  Function &f = c->fn();
  CHECK(f.name() == "add_kernel");
  REQUIRE(f.params().size() == 4);
  CHECK(f.params()[1].name == "y_ptr");
  CHECK(f.params()[1].divisibility == 16);
  CHECK(f.params()[0].divisibility == 1);
  CHECK(f.body()->argument(0)->type()->str() == "ptr<f32>");
  CHECK(f.body()->argument(3)->type()->str() == "i32");
  REQUIRE(f.constexprs.size() == 1);
  CHECK(f.constexprs[0].name == "BLOCK_SIZE");
  CHECK(f.constexprs[0].value == "1024");
  CHECK(f.numWarps == 4);
  CHECK(c->count(OpCode::Load) == 2);
  CHECK(c->count(OpCode::Store) == 1);
  CHECK(c->count(OpCode::AddPtr) == 3);
  CHECK(c->count(OpCode::MakeRange) == 1);
  CHECK(c->count(OpCode::Return) == 1);
  CHECK(tyStr(c->typeOf("offsets")) == "tensor<1024xi32>");
  CHECK(tyStr(c->typeOf("mask")) == "tensor<1024xi1>");
  CHECK(tyStr(c->typeOf("output")) == "tensor<1024xf32>");
  // Every op carries a location in the source file.
  f.walk([&](Operation *op) { CHECK(op->loc().isValid()); });
}

TEST_CASE("sema: -D values and kernel selection") {
  // Launch knobs (-D num_warps=8) are the driver's (driver/Launch.h): kernels get the defaults.
  FrontendOptions o;
  o.defines = {{"BLOCK_SIZE", "256"}};
  auto c = compile(kVectorAdd, o);
  REQUIRE(c->module);
  CHECK(c->fn().constexprs[0].value == "256");
  CHECK(c->fn().launch() == LaunchConfig{});
  CHECK(tyStr(c->typeOf("offsets")) == "tensor<256xi32>");

  auto two = compile(R"(
@triton.jit
def a(p: *fp32):
    tl.store(p, 1.0)

@triton.jit
def helper(x):
    return x

@triton.jit
def b(p: *fp16, S: tl.constexpr = 'ieee', E: tl.constexpr = 1e-6, T: tl.constexpr = tl.float16):
    tl.store(p, 1.0)
)");
  REQUIRE(two->module);
  CHECK(two->module->functions().size() == 2); // the helper is no kernel
  Function &b = two->fn(1);
  REQUIRE(b.constexprs.size() == 3);
  CHECK(b.constexprs[0].value == "'ieee'");
  CHECK(b.constexprs[1].value == "1e-06");
  CHECK(b.constexprs[2].value == "fp16");

  FrontendOptions sel;
  sel.kernels = {"b"};
  sel.defines = {{"T", "fp32"}, {"E", "0.5"}};
  auto one = compile(R"(
@triton.jit
def a(p: *fp32):
    tl.store(p, 1.0)

@triton.jit
def b(p: *fp16, E: tl.constexpr = 1e-6, T: tl.constexpr = tl.float16):
    tl.store(p + tl.arange(0, 16), tl.full([16], E, T))
)",
                     sel);
  REQUIRE(one->module);
  CHECK(one->module->functions().size() == 1);
  CHECK(one->fn().constexprs[0].value == "0.5");
  CHECK(one->fn().constexprs[1].value == "fp32");
}

TEST_CASE("sema: promotion rules (pure)") {
  using sema::computationType;
  using S = ScalarKind;
  CHECK(computationType(S::F16, false, S::F32, true, false).kind == S::F16); // weak float
  CHECK(computationType(S::I32, false, S::I32, true, false).kind == S::I32); // weak int
  CHECK(computationType(S::F16, false, S::I32, true, false).kind == S::F16);
  CHECK(computationType(S::I32, false, S::F32, true, false).kind == S::F32); // float literal wins
  CHECK(computationType(S::F16, false, S::BF16, false, false).kind == S::F32);
  CHECK(computationType(S::F16, false, S::F32, false, false).kind == S::F32);
  CHECK(computationType(S::I8, false, S::U8, false, false).kind == S::U8);
  CHECK(computationType(S::I16, false, S::U8, false, false).kind == S::I16);
  CHECK(computationType(S::I32, false, S::I64, false, false).kind == S::I64);
  CHECK(computationType(S::F16, false, S::F16, false, true).kind == S::F32); // fp16 `/`
  CHECK(!computationType(S::I32, false, S::U32, false, true).error.empty());
  CHECK(sema::literalIntKind(5) == S::I32);
  CHECK(sema::literalIntKind(int64_t(1) << 31) == S::U32);
  CHECK(sema::literalIntKind(int64_t(1) << 40) == S::I64);
  CHECK(sema::intFitsIn(255, S::U8));
  CHECK(!sema::intFitsIn(256, S::U8));
  CHECK(!sema::intFitsIn(-1, S::U32));
}

TEST_CASE("sema: promotion through the IR") {
  auto c = body("x_ptr: *fp16, y_ptr: *bf16, i_ptr: *i32, j_ptr: *u8, k_ptr: *i8",
                "    o = tl.arange(0, 16)\n"
                "    x = tl.load(x_ptr + o)\n"
                "    y = tl.load(y_ptr + o)\n"
                "    i = tl.load(i_ptr + o)\n"
                "    j = tl.load(j_ptr + o)\n"
                "    kk = tl.load(k_ptr + o)\n"
                "    a = x * 2.0\n"
                "    b = i + 1\n"
                "    c = x + y\n"
                "    d = i / 2\n"
                "    e = i // 3\n"
                "    f = i % 3\n"
                "    g = kk + j\n"
                "    h = x * 2\n"
                "    m = x / x\n"
                "    n2 = i + 1.5\n"
                "    p = x.to(tl.float32) + x\n");
  REQUIRE(c->module);
  CHECK(tyStr(c->typeOf("a")) == "tensor<16xf16>");
  CHECK(tyStr(c->typeOf("b")) == "tensor<16xi32>");
  CHECK(tyStr(c->typeOf("c")) == "tensor<16xf32>");
  CHECK(tyStr(c->typeOf("d")) == "tensor<16xf32>");
  CHECK(tyStr(c->typeOf("e")) == "tensor<16xi32>");
  CHECK(tyStr(c->typeOf("f")) == "tensor<16xi32>");
  CHECK(tyStr(c->typeOf("g")) == "tensor<16xu8>");
  CHECK(tyStr(c->typeOf("h")) == "tensor<16xf16>");
  CHECK(tyStr(c->typeOf("m")) == "tensor<16xf32>");
  CHECK(tyStr(c->typeOf("n2")) == "tensor<16xf32>");
  CHECK(tyStr(c->typeOf("p")) == "tensor<16xf32>");

  auto range = body("i_ptr: *i8", "    x = tl.load(i_ptr + tl.arange(0, 16)) + 1000\n");
  CHECK(range->firstError() == "6:43: scalar 1000 is out of range for type i8 in '+'");
}

TEST_CASE("sema: broadcasting, subscripts and pointer arithmetic") {
  auto c =
      body("p: *fp32, M: i32, N: i32, s: i64", "    om = tl.arange(0, 32)\n"
                                               "    on = tl.arange(0, 64)\n"
                                               "    ptrs = p + om[:, None] * N + on[None, :]\n"
                                               "    mask = (om[:, None] < M) & (on[None, :] < N)\n"
                                               "    t = tl.load(ptrs, mask=mask, other=0.0)\n"
                                               "    q = 1 + p\n"
                                               "    r = p + s\n"
                                               "    tl.store(ptrs, 1.0, mask=mask)\n"
                                               "    tl.store(q, t.shape[0])\n");
  REQUIRE(c->module);
  CHECK(tyStr(c->typeOf("ptrs")) == "tensor<32x64xptr<f32>>");
  CHECK(tyStr(c->typeOf("mask")) == "tensor<32x64xi1>");
  CHECK(tyStr(c->typeOf("t")) == "tensor<32x64xf32>");
  CHECK(tyStr(c->typeOf("q")) == "ptr<f32>");
  CHECK(tyStr(c->typeOf("r")) == "ptr<f32>");
  CHECK(c->count(OpCode::ExpandDims) == 4);
}

TEST_CASE("sema: runtime if merges names, constexpr if skips the untaken branch") {
  auto c =
      body("p: *fp32, n: i32, FLAG: tl.constexpr = False", "    pid = tl.program_id(0)\n"
                                                           "    x = tl.load(p + pid)\n"
                                                           "    if FLAG:\n"
                                                           "        x = x * undefined_thing\n"
                                                           "    if pid > n:\n"
                                                           "        x = x + 1.0\n"
                                                           "        only_then = 3\n"
                                                           "        both = x\n"
                                                           "    else:\n"
                                                           "        both = x * 2.0\n"
                                                           "    tl.store(p + pid, x + both)\n");
  REQUIRE(c->module);
  CHECK(c->count(OpCode::If) == 1);
  Operation *ifOp = nullptr;
  c->fn().walk([&](Operation *op) {
    if (op->code() == OpCode::If)
      ifOp = op;
  });
  REQUIRE(ifOp);
  CHECK(ifOp->numResults() == 2); // x and both; only_then dies in its branch

  auto bad = body("p: *fp32, n: i32", "    x = tl.load(p)\n"
                                      "    if n > 0:\n"
                                      "        x = x.to(tl.int32)\n"
                                      "    tl.store(p, x)\n");
  CHECK(bad->firstError().starts_with("8:9: 'x' is a runtime scalar of type fp32 before the "
                                      "'if', but the then branch makes it a runtime scalar of "
                                      "type i32"));
}

TEST_CASE("sema: loops carry changed names and keep their types") {
  auto c = body("p: *fp32, n: i32", "    acc = tl.zeros([64], dtype=tl.float32)\n"
                                    "    cnt = 0\n"
                                    "    for i in range(0, n, 2):\n"
                                    "        acc += tl.load(p + i + tl.arange(0, 64))\n"
                                    "        cnt += 1\n"
                                    "        tmp = cnt\n"
                                    "    for j in tl.range(n, num_stages=2):\n"
                                    "        acc = acc * 2\n"
                                    "    for s in tl.static_range(4):\n"
                                    "        acc = acc + s\n"
                                    "    for r in range(10, 0, -1):\n"
                                    "        cnt = cnt + r\n"
                                    "    w = 0\n"
                                    "    while w < n:\n"
                                    "        w += cnt\n"
                                    "    tl.store(p + tl.arange(0, 64), acc + cnt + w)\n");
  REQUIRE(c->module);
  CHECK(c->count(OpCode::For) == 3);
  CHECK(c->count(OpCode::While) == 1);
  std::vector<Operation *> fors;
  c->fn().walk([&](Operation *op) {
    if (op->code() == OpCode::For)
      fors.push_back(op);
  });
  REQUIRE(fors.size() == 3);
  CHECK(fors[0]->numResults() == 2); // acc, cnt (tmp is loop-local)
  CHECK(fors[1]->numResults() == 1);
  CHECK(fors[1]->attrs().getInt("num_stages") == 2);
  CHECK(fors[2]->numResults() == 1);
  // static_range unrolled: 4 adds of a constant to acc outside any loop.
  int adds = 0;
  for (auto &op : c->fn().body()->ops())
    adds += op->code() == OpCode::Add && op->result()->name().starts_with("acc");
  CHECK(adds == 4);

  auto bad = body("p: *fp32, n: i32", "    acc = tl.zeros([64], dtype=tl.float32)\n"
                                      "    for i in range(n):\n"
                                      "        acc = acc.to(tl.float16)\n");
  CHECK(bad->firstError() ==
        "8:9: loop-carried variable 'acc' is a block of type fp32[64] before the loop but "
        "becomes a block of type fp16[64] in the loop; its type must stay the same");
}

TEST_CASE("sema: helpers are inlined, specialized and may return early") {
  auto c = compile(R"(
import triton
import triton.language as tl

@triton.jit
def scale(x, K: tl.constexpr):
    if K == 1:
        return x
    return x * K, x

@triton.jit
def pick(x, flag):
    if flag > 0:
        return x * 2
    return x + 1

@triton.jit
def k(p: *fp32, n: i32):
    pid = tl.program_id(0)
    if pid >= n:
        return
    v = tl.load(p + pid)
    a = scale(v, 1)
    b, c = scale(v, 3)
    tl.store(p + pid, pick(a + b + c, pid))
)");
  REQUIRE(c->module);
  CHECK(c->count(OpCode::If) == 2); // the early exit and pick's return
  CHECK(c->count(OpCode::Store) == 1);

  auto err = compile(R"(
@triton.jit
def helper(x):
    return x + tl.arange(0, 64)

@triton.jit
def k(p: *fp32):
    y = helper(tl.arange(0, 128))
)");
  REQUIRE(err->firstDiag());
  CHECK(err->firstError() == "4:14: incompatible shapes [128] and [64] in '+'");
  REQUIRE(err->firstDiag()->notes.size() == 1);
  CHECK(err->firstDiag()->notes[0].message == "in helper 'helper' called here");
  CHECK(err->firstDiag()->notes[0].range.begin.line == 8);
}

TEST_CASE("sema: math, casts, min/max and libdevice") {
  auto c = compile(R"(
import triton
import triton.language as tl
from triton.language.extra import libdevice

@triton.jit
def k(p: *fp16, q: *fp32, n: i32, B: tl.constexpr = 64):
    o = tl.arange(0, B)
    x = tl.load(p + o)
    e = tl.exp(x)
    s = tl.math.sqrt(x.to(tl.float32))
    t = libdevice.tanh(s)
    m = max(s, t)
    mm = min(B, 32) + triton.cdiv(n, B) + tl.cdiv(100, B) + triton.next_power_of_2(33)
    bits = x.to(tl.int16, bitcast=True)
    sg = tl.sigmoid(s)
    tl.store(q + o, m + e + sg + mm + bits)
)");
  REQUIRE(c->module);
  CHECK(tyStr(c->typeOf("e")) == "tensor<64xf16>"); // computed in fp32, cast back
  CHECK(c->count(OpCode::ExternCall) == 1);
  CHECK(c->count(OpCode::Bitcast) == 1);
  CHECK(tyStr(c->typeOf("bits")) == "tensor<64xi16>");
  CHECK(tyStr(c->typeOf("mm")) == "i32");

  auto bad = body("p: *i32", "    x = tl.exp(tl.load(p))\n");
  CHECK(bad->firstError() ==
        "6:16: expected a floating-point argument (fp32 or fp64) for tl.exp, got i32");
}

TEST_CASE("sema: located errors") {
  struct Case {
    const char *code;
    const char *error;
  };
  const Case cases[] = {
      {"    x = nope + 1\n", "6:9: unknown name 'nope'"},
      {"    tl.load(p, maks=n)\n",
       "6:16: tl.load() got an unexpected keyword argument 'maks'; did you mean 'mask'?"},
      {"    x = tl.arange(0, 16, 3)\n", "6:26: tl.arange() takes 2 arguments but 3 were given"},
      {"    x = p @ p\n", "6:11: the '@' operator is not part of the language; use tl.dot"},
      {"    if 0 < n < 5:\n        pass\n",
       "6:14: chained comparisons are not supported; split them with '&' or 'and' (e.g. (a < "
       "b) & (b < c))"},
      {"    x = tl.arange(0, 100)\n", "6:9: tl.arange's range must be a power of two, got 100"},
      {"    x = tl.zeros([64, 3], dtype=tl.float32)\n",
       "6:18: block dimension 3 is not a power of two (shape [64, 3])"},
      {"    x = tl.arange(0, n)\n",
       "6:22: the end of tl.arange must be a constexpr, but got a runtime scalar of type i32"},
      {"    tl.store(p + tl.arange(0, 64), tl.zeros([128], tl.float32))\n",
       "6:36: cannot broadcast a value of shape [128] to shape [64] in tl.store"},
      {"    x = tl.arange(0, 64) + tl.arange(0, 32)\n",
       "6:26: incompatible shapes [64] and [32] in '+'"},
      {"    tl.static_assert(n > 0)\n",
       "6:22: tl.static_assert needs a condition known at compile time, got a runtime scalar "
       "of type i1"},
      {"    tl.static_assert(1 > 2, 'too small')\n", "6:5: static assertion failed: too small"},
      {"    for i in range(n):\n        break\n",
       "7:9: 'break' is not supported (Triton loops have no break or continue)"},
      {"    x = tl.program_id(3)\n", "6:23: tl.program_id axis must be 0, 1 or 2, got 3"},
      {"    x = tl.load(p, other=1.0)\n", "6:20: tl.load: 'other' cannot be given without 'mask'"},
  };
  for (const Case &tc : cases) {
    INFO(tc.code);
    auto c = body("p: *fp32, n: i32", tc.code);
    CHECK(!c->module);
    CHECK(c->firstError() == tc.error);
  }

  auto missing = compile("@triton.jit\ndef k(p: *fp32, BLOCK: tl.constexpr):\n    pass\n");
  CHECK(missing->firstError() ==
        "2:17: missing value for constexpr parameter 'BLOCK' of kernel 'k' (pass -D "
        "BLOCK=VALUE or give it a default)");

  FrontendOptions sel;
  sel.kernels = {"k"};
  auto unannotated = compile("@triton.jit\ndef k(p: *fp32, n):\n    pass\n", sel);
  CHECK(unannotated->firstError() == "2:17: parameter 'n' of kernel 'k' has no type annotation");
  auto none = compile("@triton.jit\ndef k(p: *fp32, n):\n    pass\n");
  CHECK(none->firstError().starts_with("1:1: no kernel in 't.tt'"));

  auto imp = compile("from nothere import foo\n@triton.jit\ndef k(p: *fp32):\n    pass\n");
  CHECK(imp->firstError().starts_with("1:6: module 'nothere' not found"));
}

TEST_CASE("sema: imports resolve .tt files relative to the importer, then -I") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tritonc_sema_test_" + std::to_string(::getpid()));
  fs::create_directories(dir / "lib" / "pkg");
  fs::create_directories(dir / "inc");
  auto write = [](const fs::path &p, const char *text) { std::ofstream(p) << text; };
  write(dir / "lib" / "common.tt", R"(
import triton.language as tl
FACTOR: tl.constexpr = 3

@triton.jit
def triple(x):
    return x * FACTOR
)");
  write(dir / "lib" / "pkg" / "util.tt", "@triton.jit\ndef twice(x):\n    return x * 2\n");
  write(dir / "inc" / "other.tt", "@triton.jit\ndef inc(x):\n    return x + 1\n");
  write(dir / "lib" / "cyc_a.tt", "from cyc_b import f\n");
  write(dir / "lib" / "cyc_b.tt", "from cyc_a import g\n");
  write(dir / "lib" / "main.tt", R"(
import triton
import triton.language as tl
from common import triple, FACTOR
import pkg.util
from other import inc

@triton.jit
def k(p: *fp32):
    x = tl.load(p)
    tl.store(p, inc(pkg.util.twice(triple(x))) + FACTOR)
)");
  {
    SourceManager sm;
    Context ctx;
    DiagnosticEngine diags;
    FrontendOptions o;
    o.includeDirs = {(dir / "inc").string()};
    uint32_t id = sm.loadFile((dir / "lib" / "main.tt").string());
    REQUIRE(id != 0);
    auto m = compileToTileIR(sm, id, ctx, o, diags);
    for (const Diagnostic &d : diags.diagnostics())
      INFO(formatDiagnostic(d, sm, false));
    REQUIRE(m);
    CHECK(sm.numFiles() == 4); // main, common, pkg/util, inc/other: all in the depfile
  }
  {
    SourceManager sm;
    Context ctx;
    DiagnosticEngine diags;
    write(dir / "lib" / "cyc.tt", "from cyc_a import f\n@triton.jit\ndef k(p: *fp32):\n    pass\n");
    uint32_t id = sm.loadFile((dir / "lib" / "cyc.tt").string());
    auto m = compileToTileIR(sm, id, ctx, {}, diags);
    CHECK(!m);
    REQUIRE(diags.hasErrors());
    CHECK(diags.diagnostics()[0].message.starts_with("import cycle:"));
  }
  fs::remove_all(dir);
}

TEST_CASE("sema: never crashes on odd input") {
  const char *sources[] = {
      "@triton.jit\ndef k(p: *fp32):\n    x = (1, 2)[5]\n",
      "@triton.jit\ndef k(p: *fp32):\n    x = 1 // 0\n",
      "@triton.jit\ndef k(p: *fp32):\n    x = 9223372036854775807 + 1\n",
      "@triton.jit\ndef k(p: *fp32):\n    a, b = 1\n",
      "@triton.jit\ndef k(p: *fp32):\n    k(p)\n",
      "@triton.jit\ndef k(p: *fp32):\n    return 1\n",
      "@triton.jit\ndef k(p: *fp32):\n    x = p + p\n",
      "@triton.jit\ndef k(p: *fp32):\n    x = tl.load(p)[None][0]\n",
      "@triton.jit\ndef k(p: *fp32):\n    for i in p:\n        pass\n",
      "@triton.jit\ndef k(p: *fp32):\n    x = tl.zeros([1 << 30], tl.float32)\n",
      "X = undefined_global\n@triton.jit\ndef k(p: *fp32):\n    tl.store(p, X)\n",
  };
  for (const char *src : sources) {
    INFO(src);
    auto c = compile(src);
    CHECK(!c->module);
    CHECK(!c->firstError().empty());
  }
}

TEST_CASE("sema: dot, reductions, scans, atomics and random numbers") {
  auto c = compile(R"(
import triton
import triton.language as tl

@triton.jit
def k(a_ptr: *fp16, f_ptr: *fp32, i_ptr: *i32, seed: i32):
    r = tl.arange(0, 16)
    a = tl.load(a_ptr + r[:, None] * 16 + r[None, :])
    d = tl.dot(a, a)
    s = tl.sum(d, axis=1)
    m = tl.max(a)
    am = tl.argmax(s, axis=0)
    cs = tl.cumsum(r, 0)
    old = tl.atomic_add(i_ptr + r, cs)
    rnd = tl.rand(seed, r)
    ri = tl.randint(seed, r)
    tl.store(f_ptr + r, s + m + am + old + rnd + ri)
)");
  REQUIRE(c->module);
  CHECK(tyStr(c->typeOf("d")) == "tensor<16x16xf32>");
  CHECK(tyStr(c->typeOf("s")) == "tensor<16xf32>");
  CHECK(tyStr(c->typeOf("m")) == "f32"); // fp16 max reduces in fp32 (standard.py)
  CHECK(tyStr(c->typeOf("am")) == "i32");
  CHECK(tyStr(c->typeOf("cs")) == "tensor<16xi32>");
  CHECK(tyStr(c->typeOf("old")) == "tensor<16xi32>");
  CHECK(tyStr(c->typeOf("rnd")) == "tensor<16xf32>");
  CHECK(tyStr(c->typeOf("ri")) == "tensor<16xu32>");
  CHECK(c->count(OpCode::Dot) == 1);
  CHECK(c->count(OpCode::Reduce) == 3);
  CHECK(c->count(OpCode::Scan) == 1);
  CHECK(c->count(OpCode::AtomicRMW) == 1);
  CHECK(c->count(OpCode::UMulHi) == 40); // two Philox streams of 10 rounds, 2 umulhi each
}

TEST_CASE("sema: hints attach to the defining op; stray -D is an error") {
  auto c = body("p: *fp32, n: i32", "    o = tl.multiple_of(tl.arange(0, 64) * 4, 16)\n"
                                    "    o = tl.max_contiguous(o, [4])\n"
                                    "    m = tl.multiple_of(n, 8)\n"
                                    "    tl.store(p + o + m, 1.0)\n");
  REQUIRE(c->module);
  int hinted = 0;
  c->fn().walk([&](Operation *op) {
    if (op->attrs().find("multiple_of")) {
      ++hinted;
      CHECK(op->attrs().getInt("multiple_of") == 16);
      CHECK(op->attrs().getInt("max_contiguous") == 4);
    }
  });
  CHECK(hinted == 1);
  CHECK(c->fn().params()[1].divisibility == 8); // a parameter has no op: its info takes it

  FrontendOptions opts;
  opts.defines = {{"NOPE", "1"}};
  auto bad = compile(kVectorAdd, opts);
  CHECK(!bad->module);
  CHECK(bad->diags.diagnostics().at(0).message ==
        "-D NOPE: no kernel has a constexpr parameter 'NOPE'");
}

TEST_CASE("diagnostics: did-you-mean by edit distance") {
  std::vector<std::string> tl{"load", "store", "arange", "program_id", "num_programs", "max"};
  CHECK(closestMatch("lod", tl) == "load");
  CHECK(closestMatch("stroe", tl) == "store"); // a swap of neighbours is one edit
  CHECK(closestMatch("program_di", tl) == "program_id");
  CHECK(closestMatch("load", tl).empty()); // an exact name needs no suggestion
  CHECK(closestMatch("xyz", tl).empty());  // nothing within a third of the length
  CHECK(closestMatch("", tl).empty());
  CHECK(didYouMean("maks", {"mask", "other"}) == "; did you mean 'mask'?");
  CHECK(didYouMean("qqqq", {"mask", "other"}).empty());
}
