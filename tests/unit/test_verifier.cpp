// Verifier: one bad module per rule of docs/IR.md, each checked against the exact message and
// (for modules parsed from text) the exact line:col of the offending op. Modules the parser
// would refuse (dominance, wrong arity) are built with the Builder.
#include "ir/Builder.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <doctest/doctest.h>

#include <tuple>

using namespace tritonc;

namespace {

/// Parameters usable in every test body: a pointer, ints, floats and a bool.
const char *kHead = "kernel @k(%p: ptr<f32>, %n: i32, %u: u32, %f: f32, %h: f16, %c: i1) {\n";

/// A kernel around `body` (whose first line is line 2), ending with `return`.
std::string kernel(const std::string &body) { return kHead + body + "  return\n}\n"; }

std::string describe(const Diagnostic &d) {
  return std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + ": " +
         d.message;
}

/// Parses (which must succeed) and verifies; the first error as "line:col: message", or "ok".
std::string verifyText(const std::string &text) {
  Context ctx;
  SourceManager sm;
  DiagnosticEngine diags;
  std::unique_ptr<Module> m = parseModule(ctx, sm, sm.addFile("t.tir", text), diags);
  INFO(text);
  REQUIRE_MESSAGE(m, (diags.diagnostics().empty() ? "" : describe(diags.diagnostics()[0])));
  if (verifyModule(*m, diags)) {
    CHECK(!diags.hasErrors());
    return "ok";
  }
  REQUIRE(diags.hasErrors());
  return describe(diags.diagnostics()[0]);
}

/// For hand-built modules: the first error's message, or "ok".
std::string verifyBuilt(const Module &m) {
  DiagnosticEngine diags;
  if (verifyModule(m, diags))
    return "ok";
  return diags.diagnostics()[0].message;
}
} // namespace

TEST_CASE("verifier: valid modules pass") {
  CHECK(verifyText(kernel("  %x = add %n, %n : i32\n")) == "ok");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<4x8xf32>\n"
                          "  %s = reduce %b {axis = 1} : tensor<4xf32> {\n"
                          "  ^(%a: f32, %x: f32):\n"
                          "    %m = max %a, %x : f32\n"
                          "    yield %m\n"
                          "  }\n")) == "ok");
}

TEST_CASE("verifier: arity comes from the op table") {
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  Value *n = f->addParam(ctx.i32(), ParamInfo{"n", 1, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  b.create(OpCode::Add, {n, n, n}, {ctx.i32()}, {}, {});
  b.create(OpCode::Return, {}, {}, {}, {});
  CHECK(verifyBuilt(m) == "'add' expects 2 operands, got 3");

  Module m2(ctx);
  Function *f2 = m2.addFunction("k", {});
  Value *n2 = f2->addParam(ctx.i32(), ParamInfo{"n", 1, {}});
  b.setInsertionPointToEnd(f2->body());
  b.create(OpCode::Split, {n2}, {ctx.i32()}, {}, {});
  b.create(OpCode::For, {n2, n2, n2}, {}, {}, {}, 0);
  b.create(OpCode::Return, {}, {}, {}, {});
  DiagnosticEngine diags;
  CHECK(!verifyModule(m2, diags));
  REQUIRE(diags.diagnostics().size() == 2);
  CHECK(diags.diagnostics()[0].message == "'split' expects 2 results, got 1");
  CHECK(diags.diagnostics()[1].message == "'for' expects 1 region, got 0");
  // Hand-built ops have no location: a note shows the op.
  REQUIRE(diags.diagnostics()[0].notes.size() == 1);
  CHECK(diags.diagnostics()[0].notes[0].message == "in: %0 = split %n : i32");
}

TEST_CASE("verifier: elementwise type rules") {
  CHECK(verifyText(kernel("  %x = add %n, %f : i32\n")) ==
        "2:3: 'add' requires operands and result of one type, got (i32, f32) -> i32");
  CHECK(verifyText(kernel("  %x = add %n, %n : u32\n")) ==
        "2:3: 'add' requires operands and result of one type, got (i32, i32) -> u32");
  CHECK(verifyText(kernel("  %x = sub %p, %p : ptr<f32>\n")) ==
        "2:3: 'sub' requires integer or floating-point types, got (ptr<f32>, ptr<f32>) -> "
        "ptr<f32>");
  CHECK(verifyText(kernel("  %x = xor %f, %f : f32\n")) ==
        "2:3: 'xor' requires integer types, got (f32, f32) -> f32");
  CHECK(verifyText(kernel("  %x = exp %n : i32\n")) ==
        "2:3: 'exp' requires floating-point types, got (i32) -> i32");
  CHECK(verifyText(kernel("  %x = fma %f, %f, %h : f32\n")) ==
        "2:3: 'fma' requires operands and result of one type, got (f32, f32, f16) -> f32");
  CHECK(
      verifyText(kernel("  %b = splat %f : tensor<4xf32>\n  %x = mul %b, %f : tensor<4xf32>\n")) ==
      "3:3: 'mul' requires operands and result of one type, got (tensor<4xf32>, f32) -> "
      "tensor<4xf32>");
  CHECK(verifyText(kernel("  %x = max %f, %f {propagate_nan = 1} : f32\n")) ==
        "2:3: 'max' attribute 'propagate_nan' must be a bool");
}

TEST_CASE("verifier: cmp, select, cast, bitcast, pointers, extern_call") {
  CHECK(verifyText(kernel("  %x = cmp %n, %n {pred = \"lt\"} : i32\n")) ==
        "2:3: 'cmp' result must be i1 of the operands' shape, got (i32, i32) -> i32");
  CHECK(verifyText(kernel("  %x = cmp %n, %u {pred = \"lt\"} : i1\n")) ==
        "2:3: 'cmp' requires operands of one type, got (i32, u32) -> i1");
  CHECK(verifyText(kernel("  %x = cmp %n, %n {pred = \"less\"} : i1\n")) ==
        "2:3: 'cmp' attribute 'pred' must be one of \"eq\", \"ne\", \"lt\", \"le\", \"gt\", "
        "\"ge\"");
  CHECK(verifyText(kernel("  %x = cmp %n, %n : i1\n")) ==
        "2:3: 'cmp' needs a string attribute 'pred' (one of \"eq\", \"ne\", \"lt\", \"le\", "
        "\"gt\", \"ge\")");
  CHECK(verifyText(kernel("  %x = select %n, %f, %f : f32\n")) ==
        "2:3: 'select' condition must be i1 of the result's shape, got (i32, f32, f32) -> f32");
  CHECK(verifyText(kernel("  %x = select %c, %f, %h : f32\n")) ==
        "2:3: 'select' requires true/false values and result of one type, got (i1, f32, f16) -> "
        "f32");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<4xf32>\n  %x = cast %b : f16\n")) ==
        "3:3: 'cast' requires operand and result of one shape, got (tensor<4xf32>) -> f16");
  CHECK(verifyText(kernel("  %x = cast %p : i64\n")) ==
        "2:3: 'cast' converts numbers to numbers or pointers to pointers, got (ptr<f32>) -> i64 "
        "(use ptrtoint / inttoptr)");
  CHECK(verifyText(kernel("  %x = cast %f {rounding = \"up\"} : f16\n")) ==
        "2:3: 'cast' attribute 'rounding' must be one of \"rtne\", \"rtz\"");
  CHECK(verifyText(kernel("  %x = cast %p : ptr<f16, 3>\n")) == "ok");
  CHECK(verifyText(kernel("  %x = bitcast %f : i64\n")) ==
        "2:3: 'bitcast' requires element types of one bit width, got (f32) -> i64");
  CHECK(verifyText(kernel("  %x = bitcast %f : u32\n")) == "ok");
  CHECK(verifyText(kernel("  %x = addptr %p, %f : ptr<f32>\n")) ==
        "2:3: 'addptr' requires pointers and integer offsets of one shape, returning the pointer "
        "type, got (ptr<f32>, f32) -> ptr<f32>");
  CHECK(verifyText(kernel("  %b = splat %n : tensor<4xi32>\n  %x = addptr %p, %b : ptr<f32>\n")) ==
        "3:3: 'addptr' requires pointers and integer offsets of one shape, returning the pointer "
        "type, got (ptr<f32>, tensor<4xi32>) -> ptr<f32>");
  CHECK(verifyText(kernel("  %x = ptrtoint %p : i32\n")) ==
        "2:3: 'ptrtoint' requires pointers and an i64 result of their shape, got (ptr<f32>) -> "
        "i32");
  CHECK(verifyText(kernel("  %x = inttoptr %n : ptr<f32>\n")) ==
        "2:3: 'inttoptr' requires i64 operands and a pointer result of their shape, got (i32) -> "
        "ptr<f32>");
  CHECK(verifyText(kernel("  %x = extern_call %f : f32\n")) ==
        "2:3: 'extern_call' needs a string attribute 'name'");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<4xf32>\n"
                          "  %x = extern_call %b, %n {name = \"pow\"} : tensor<4xf32>\n")) ==
        "3:3: 'extern_call' operands must have the result's shape, got (tensor<4xf32>, i32) -> "
        "tensor<4xf32>");
}

TEST_CASE("verifier: constants, program ids and arange") {
  CHECK(verifyText(kernel("  %x = constant {value = 1} : f32\n")) ==
        "2:3: 'constant' value must be a float for type f32");
  CHECK(verifyText(kernel("  %x = constant {value = 1.0} : tensor<4xi32>\n")) ==
        "2:3: 'constant' value must be an integer for type tensor<4xi32>");
  CHECK(verifyText(kernel("  %x = constant : i32\n")) ==
        "2:3: 'constant' needs a 'value' attribute");
  CHECK(verifyText(kernel("  %x = constant {value = 0} : ptr<f32>\n")) ==
        "2:3: 'constant' cannot produce pointers, got type ptr<f32>");
  CHECK(verifyText(kernel("  %x = constant {value = true} : i1\n")) == "ok");
  CHECK(verifyText(kernel("  %x = program_id {axis = 3} : i32\n")) ==
        "2:3: 'program_id' axis must be 0, 1 or 2, got 3");
  CHECK(verifyText(kernel("  %x = num_programs : i32\n")) ==
        "2:3: 'num_programs' needs an integer 'axis' attribute");
  CHECK(verifyText(kernel("  %x = program_id {axis = 0} : i64\n")) ==
        "2:3: 'program_id' result must be i32, got i64");
  CHECK(verifyText(kernel("  %x = arange {start = 0, end = 96} : tensor<128xi32>\n")) ==
        "2:3: 'arange' end - start must be a positive power of two, got start = 0, end = 96");
  CHECK(verifyText(kernel("  %x = arange {start = 64, end = 128} : tensor<128xi32>\n")) ==
        "2:3: 'arange' result must be tensor<64xi32>, got tensor<128xi32>");
  CHECK(verifyText(kernel("  %x = arange {start = 0, end = 64} : tensor<64xi32>\n")) == "ok");
}

TEST_CASE("verifier: block shapes and shape ops") {
  CHECK(verifyText(kernel("  %b = splat %f : tensor<6xf32>\n")) ==
        "2:3: 'splat' result #0: dimension 6 of tensor<6xf32> is not a power of two");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<0xf32>\n")) ==
        "2:3: 'splat' result #0: dimension 0 of tensor<0xf32> is not a power of two");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<f32>\n")) ==
        "2:3: 'splat' result #0: tensor<f32> has no dimensions");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<4xi32>\n")) ==
        "2:3: 'splat' requires a scalar operand and a block of that type, got (f32) -> "
        "tensor<4xi32>");
  const std::string b42 = "  %b = splat %f : tensor<4x2xf32>\n";
  CHECK(verifyText(kernel(b42 + "  %x = broadcast %b : tensor<8x2xf32>\n")) ==
        "3:3: 'broadcast' cannot stretch dimension 0 (size 4 is not 1), got (tensor<4x2xf32>) -> "
        "tensor<8x2xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = broadcast %b : tensor<4x2x1xf32>\n")) ==
        "3:3: 'broadcast' requires blocks of one element type and rank, got (tensor<4x2xf32>) -> "
        "tensor<4x2x1xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = expand_dims %b {axis = 0} : tensor<4x1x2xf32>\n")) ==
        "3:3: 'expand_dims' result must be tensor<1x4x2xf32>, got (tensor<4x2xf32>) -> "
        "tensor<4x1x2xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = expand_dims %b {axis = 3} : tensor<4x2x1xf32>\n")) ==
        "3:3: 'expand_dims' axis 3 out of range, got (tensor<4x2xf32>) -> tensor<4x2x1xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = reshape %b : tensor<16xf32>\n")) ==
        "3:3: 'reshape' requires blocks of one element type and element count, got "
        "(tensor<4x2xf32>) -> tensor<16xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = reshape %b : tensor<2x4xf32>\n")) == "ok");
  CHECK(verifyText(kernel(b42 + "  %x = trans %b {order = [0, 0]} : tensor<2x4xf32>\n")) ==
        "3:3: 'trans' order must be a permutation of the operand's 2 dimensions, got "
        "(tensor<4x2xf32>) -> tensor<2x4xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = trans %b {order = [1, 0]} : tensor<4x2xf32>\n")) ==
        "3:3: 'trans' result must be tensor<2x4xf32>, got (tensor<4x2xf32>) -> tensor<4x2xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = trans %b : tensor<2x4xf32>\n")) ==
        "3:3: 'trans' needs an integer list attribute 'order'");
  CHECK(verifyText(kernel(b42 + "  %x = cat %b, %b : tensor<4x4xf32>\n")) ==
        "3:3: 'cat' result must be tensor<8x2xf32>, got (tensor<4x2xf32>, tensor<4x2xf32>) -> "
        "tensor<4x4xf32>");
  CHECK(verifyText(kernel(b42 + "  %x = join %b, %b : tensor<2x4x2xf32>\n")) ==
        "3:3: 'join' result must be tensor<4x2x2xf32>, got (tensor<4x2xf32>, tensor<4x2xf32>) -> "
        "tensor<2x4x2xf32>");
  CHECK(verifyText(kernel("  %x = join %f, %f : tensor<2xf32>\n")) == "ok");
  CHECK(verifyText(kernel(b42 + "  %x, %y = split %b : tensor<4xf32>, tensor<4xf32>\n")) == "ok");
  CHECK(verifyText(kernel(b42 + "  %x, %y = split %b : tensor<4xf32>, tensor<2xf32>\n")) ==
        "3:3: 'split' results must both be tensor<4xf32>, got (tensor<4x2xf32>) -> "
        "(tensor<4xf32>, tensor<2xf32>)");
  CHECK(verifyText(kernel("  %b = splat %f : tensor<4xf32>\n"
                          "  %x, %y = split %b : tensor<2xf32>, tensor<2xf32>\n")) ==
        "3:3: 'split' requires a block whose last dimension is 2, got (tensor<4xf32>) -> "
        "(tensor<2xf32>, tensor<2xf32>)");
}

TEST_CASE("verifier: memory ops") {
  const std::string ptrs = "  %ps = splat %p : tensor<4xptr<f32>>\n"
                           "  %m = splat %c : tensor<4xi1>\n"
                           "  %v = splat %f : tensor<4xf32>\n";
  CHECK(verifyText(kernel(ptrs + "  %x = load %ps, %m, %v : tensor<4xf32>\n")) == "ok");
  CHECK(verifyText(kernel(ptrs + "  %x = load %ps : tensor<4xf16>\n")) ==
        "5:3: 'load' result must be the pointee type in the pointer's shape, got "
        "(tensor<4xptr<f32>>) -> tensor<4xf16>");
  CHECK(verifyText(kernel(ptrs + "  %x = load %ps, %v : tensor<4xf32>\n")) ==
        "5:3: 'load' mask must be i1 of the pointer's shape, got (tensor<4xptr<f32>>, "
        "tensor<4xf32>) -> tensor<4xf32>");
  CHECK(verifyText(kernel(ptrs + "  %x = load %ps, %m, %f : tensor<4xf32>\n")) ==
        "5:3: 'load' 'other' must have the result type, got (tensor<4xptr<f32>>, tensor<4xi1>, "
        "f32) -> tensor<4xf32>");
  CHECK(verifyText(kernel(ptrs + "  %x = load %ps, %m, %v, %v : tensor<4xf32>\n")) ==
        "5:3: 'load' expects 1 to 3 operands (ptr, mask, other), got 4");
  CHECK(verifyText(kernel(ptrs + "  %x = load %ps {cache = \".xx\"} : tensor<4xf32>\n")) ==
        "5:3: 'load' attribute 'cache' must be one of \"\", \".ca\", \".cg\", \".cv\"");
  CHECK(verifyText(kernel(ptrs + "  store %ps, %f\n")) ==
        "5:3: 'store' value must be the pointee type in the pointer's shape, got "
        "(tensor<4xptr<f32>>, f32) -> ()");
  CHECK(verifyText(kernel(ptrs + "  store %ps, %v, %v\n")) ==
        "5:3: 'store' mask must be i1 of the pointer's shape, got (tensor<4xptr<f32>>, "
        "tensor<4xf32>, tensor<4xf32>) -> ()");
  CHECK(verifyText(kernel(ptrs + "  %x = atomic_rmw %ps, %v : tensor<4xf32>\n")) ==
        "5:3: 'atomic_rmw' needs a string attribute 'kind' (one of \"add\", \"max\", \"min\", "
        "\"and\", \"or\", \"xor\", \"xchg\")");
  CHECK(verifyText(kernel(ptrs + "  %x = atomic_rmw %ps, %v {kind = \"add\"} : f32\n")) ==
        "5:3: 'atomic_rmw' value and result must be the pointee type in the pointer's shape, got "
        "(tensor<4xptr<f32>>, tensor<4xf32>) -> f32");
  CHECK(verifyText(kernel(ptrs + "  %x = atomic_rmw %ps, %v {kind = \"add\", sem = \"seq\"} : "
                                 "tensor<4xf32>\n")) ==
        "5:3: 'atomic_rmw' attribute 'sem' must be one of \"relaxed\", \"acquire\", \"release\", "
        "\"acq_rel\"");
  CHECK(verifyText(kernel("  %x = atomic_cas %p, %f, %n : f32\n")) ==
        "2:3: 'atomic_cas' cmp, value and result must be the pointee type in the pointer's shape, "
        "got (ptr<f32>, f32, i32) -> f32");
}

TEST_CASE("verifier: reduce, scan, dot, histogram, gather, assert") {
  const std::string b = "  %b = splat %f : tensor<4x8xf32>\n";
  auto reduce = [&](const std::string &head, const std::string &args, const std::string &yield) {
    return kernel(b + head + " {\n  ^(" + args + "):\n    yield " + yield + "\n  }\n");
  };
  CHECK(verifyText(reduce("  %s = reduce %b {axis = 0} : tensor<8xf32>", "%a: f32, %x: f32",
                          "%a")) == "ok");
  CHECK(
      verifyText(reduce("  %s = reduce %b {axis = 0} : tensor<4xf32>", "%a: f32, %x: f32", "%a")) ==
      "3:3: 'reduce' result #0 must be tensor<8xf32>, got tensor<4xf32>");
  CHECK(
      verifyText(reduce("  %s = reduce %b {axis = 2} : tensor<4xf32>", "%a: f32, %x: f32", "%a")) ==
      "3:3: 'reduce' axis 2 out of range, got (tensor<4x8xf32>) -> tensor<4xf32>");
  CHECK(verifyText(reduce("  %s = reduce %b {axis = 1} : tensor<4xf32>", "%a: f32", "%a")) ==
        "3:3: 'reduce' combine region must take (f32, f32) (accumulators, then new elements), got "
        "(f32)");
  CHECK(
      verifyText(reduce("  %s = reduce %b {axis = 1} : tensor<4xf32>", "%a: f32, %x: f32", "%n")) ==
      "5:5: 'yield' in the combine region of 'reduce' yields (i32), but the combine function "
      "returns (f32)");
  CHECK(verifyText(reduce("  %s = reduce %b : tensor<4xf32>", "%a: f32, %x: f32", "%a")) ==
        "3:3: 'reduce' needs an integer 'axis' attribute");
  CHECK(verifyText(reduce("  %s = scan %b {axis = 1} : tensor<4xf32>", "%a: f32, %x: f32", "%a")) ==
        "3:3: 'scan' result #0 must be tensor<4x8xf32>, got tensor<4xf32>");
  CHECK(verifyText(reduce("  %s, %t = reduce %b, %f {axis = 1} : tensor<4xf32>, f32",
                          "%a: f32, %x: f32", "%a")) ==
        "3:3: 'reduce' operands must be blocks of one shape, got (tensor<4x8xf32>, f32) -> "
        "(tensor<4xf32>, f32)");

  const std::string mats = "  %a = splat %h : tensor<16x32xf16>\n"
                           "  %bb = splat %h : tensor<32x8xf16>\n"
                           "  %acc = splat %f : tensor<16x8xf32>\n";
  CHECK(verifyText(kernel(mats + "  %d = dot %a, %bb, %acc : tensor<16x8xf32>\n")) == "ok");
  CHECK(verifyText(kernel(mats + "  %d = dot %bb, %a, %acc : tensor<16x8xf32>\n")) ==
        "5:3: 'dot' requires a [M, K], b [K, N] and acc [M, N] (optionally with a leading batch "
        "dimension), got (tensor<32x8xf16>, tensor<16x32xf16>, tensor<16x8xf32>) -> "
        "tensor<16x8xf32>");
  CHECK(verifyText(kernel(mats + "  %d = dot %a, %bb, %acc : tensor<16x8xf16>\n")) ==
        "5:3: 'dot' result must have the accumulator's type, got (tensor<16x32xf16>, "
        "tensor<32x8xf16>, tensor<16x8xf32>) -> tensor<16x8xf16>");
  CHECK(verifyText(kernel(mats + "  %d = dot %a, %bb, %acc {input_precision = \"fast\"} : "
                                 "tensor<16x8xf32>\n")) ==
        "5:3: 'dot' attribute 'input_precision' must be one of \"tf32\", \"tf32x3\", \"ieee\"");

  const std::string idx = "  %i = splat %n : tensor<16xi32>\n";
  CHECK(verifyText(kernel(idx + "  %x = histogram %i {num_bins = 8} : tensor<16xi32>\n")) ==
        "3:3: 'histogram' result must be tensor<8xi32> (num_bins), got (tensor<16xi32>) -> "
        "tensor<16xi32>");
  CHECK(verifyText(kernel("  %v = splat %f : tensor<16xf32>\n"
                          "  %x = histogram %v {num_bins = 8} : tensor<8xi32>\n")) ==
        "3:3: 'histogram' requires a 1-D integer block, got (tensor<16xf32>) -> tensor<8xi32>");
  CHECK(verifyText(kernel(idx + "  %v = splat %f : tensor<32xf32>\n"
                                "  %x = gather %v, %i {axis = 1} : tensor<16xf32>\n")) ==
        "4:3: 'gather' axis 1 out of range, got (tensor<32xf32>, tensor<16xi32>) -> "
        "tensor<16xf32>");
  CHECK(verifyText(kernel(idx + "  %v = splat %f : tensor<32xf32>\n"
                                "  %x = gather %v, %i {axis = 0} : tensor<32xf32>\n")) ==
        "4:3: 'gather' result must have the index's shape and the source's element, got "
        "(tensor<32xf32>, tensor<16xi32>) -> tensor<32xf32>");
  CHECK(verifyText(kernel("  assert %n {message = \"m\"}\n")) ==
        "2:3: 'assert' condition must be i1, got i32");
  CHECK(verifyText(kernel("  print %n, %f {prefix = 3}\n")) ==
        "2:3: 'print' attribute 'prefix' must be a string");
}

TEST_CASE("verifier: for, if and while signatures") {
  auto forLoop = [](const std::string &operands, const std::string &types, const std::string &args,
                    const std::string &yield) {
    return kernel("  %r = for " + operands + types + " {\n  ^(" + args + "):\n    yield " + yield +
                  "\n  }\n");
  };
  CHECK(verifyText(forLoop("%n, %n, %n, %f", " : f32", "%i: i32, %a: f32", "%a")) == "ok");
  CHECK(verifyText(forLoop("%n, %u, %n, %f", " : f32", "%i: i32, %a: f32", "%a")) ==
        "2:3: 'for' lower bound, upper bound and step must be integer scalars of one type, got "
        "(i32, u32, i32, f32) -> f32");
  CHECK(verifyText(forLoop("%n, %n, %n, %f", " : f16", "%i: i32, %a: f32", "%a")) ==
        "2:3: 'for' results must have the types of the loop-carried values (f32), got (f16)");
  CHECK(verifyText(forLoop("%n, %n, %n, %f", " : f32", "%a: f32", "%a")) ==
        "2:3: 'for' body must take (i32, f32) (induction variable, then the loop-carried "
        "values), got (f32)");
  CHECK(verifyText(forLoop("%n, %n, %n, %f", " : f32", "%i: i32, %a: f32", "%i")) ==
        "4:5: 'yield' in the body of 'for' yields (i32), but the loop carries (f32)");
  CHECK(verifyText(kernel("  for %n, %n {\n  ^(%i: i32):\n    yield\n  }\n")) ==
        "2:3: 'for' needs lower bound, upper bound and step operands, got 2");

  CHECK(verifyText(kernel("  %r = if %c : f32 {\n    yield %f\n  } {\n    yield %f\n  }\n")) ==
        "ok");
  CHECK(verifyText(kernel("  %r = if %n : f32 {\n    yield %f\n  } {\n    yield %f\n  }\n")) ==
        "2:3: 'if' condition must be an i1 scalar, got i32");
  CHECK(verifyText(kernel("  %r = if %c : f32 {\n    yield %f\n  } {\n    yield %n\n  }\n")) ==
        "5:5: 'yield' in the else-region of 'if' yields (i32), but 'if' returns (f32)");
  CHECK(verifyText(kernel("  if %c {\n  ^(%z: i32):\n    yield\n  } {\n    yield\n  }\n")) ==
        "2:3: 'if' then-region must not take arguments");

  auto whileLoop = [](const std::string &before, const std::string &cond, const std::string &after,
                      const std::string &yield) {
    return kernel("  %r = while %n : f32 {\n  ^(" + before + "):\n    condition " + cond +
                  "\n  } {\n  ^(" + after + "):\n    yield " + yield + "\n  }\n");
  };
  CHECK(verifyText(whileLoop("%a: i32", "%c, %f", "%b: f32", "%n")) == "ok");
  CHECK(verifyText(whileLoop("%a: f32", "%c, %f", "%b: f32", "%n")) ==
        "2:3: 'while' before-region must take the types of the inits (i32), got (f32)");
  CHECK(verifyText(whileLoop("%a: i32", "%a, %f", "%b: f32", "%n")) ==
        "4:5: 'condition' needs an i1 scalar first operand, got (i32, f32)");
  CHECK(verifyText(whileLoop("%a: i32", "%c, %a", "%b: f32", "%n")) ==
        "4:5: 'condition' forwards (i32), but 'while' returns (f32)");
  CHECK(verifyText(whileLoop("%a: i32", "%c, %f", "%b: i32", "%n")) ==
        "2:3: 'while' after-region must take the result types (f32), got (i32)");
  CHECK(verifyText(whileLoop("%a: i32", "%c, %f", "%b: f32", "%b")) ==
        "7:5: 'yield' in the after-region of 'while' yields (f32), but the loop carries (i32)");
}

TEST_CASE("verifier: terminators") {
  CHECK(verifyText(std::string(kHead) + "  %x = add %n, %n : i32\n}\n") ==
        "1:1: kernel @k: a kernel body must end with 'return'");
  CHECK(verifyText(std::string(kHead) + "  return\n  %x = add %n, %n : i32\n  return\n}\n") ==
        "2:3: 'return' must be the last op of its block");
  CHECK(verifyText(std::string(kHead) + "  yield\n}\n") ==
        "2:3: 'yield' cannot end a kernel body (expected 'return')");
  CHECK(verifyText(kernel("  for %n, %n, %n {\n  ^(%i: i32):\n    return\n  }\n")) ==
        "4:5: 'return' is only allowed at the end of a kernel body");
  CHECK(verifyText(kernel("  for %n, %n, %n {\n  ^(%i: i32):\n    %x = add %i, %i : i32\n  }\n")) ==
        "2:3: the body of 'for' must end with 'yield'");
  CHECK(verifyText(kernel("  for %n, %n, %n {\n  ^(%i: i32):\n    condition %c\n  }\n")) ==
        "4:5: 'condition' cannot end the body of 'for' (expected 'yield')");
  CHECK(verifyText(kernel("  %r = while %n : i32 {\n  ^(%a: i32):\n    yield %a\n  } {\n"
                          "  ^(%b: i32):\n    yield %b\n  }\n")) ==
        "4:5: 'yield' cannot end the before-region of 'while' (expected 'condition')");
  CHECK(verifyText(kernel("  %r = if %c : i32 {\n    yield %n\n    yield %n\n  } {\n"
                          "    yield %n\n  }\n")) ==
        "3:5: 'yield' must be the last op of its block");
}

TEST_CASE("verifier: SSA dominance") {
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  Value *n = f->addParam(ctx.i32(), ParamInfo{"n", 1, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  Value *later = b.createValue(OpCode::Add, {n, n}, ctx.i32(), {});
  later->setName("later");
  Operation *ret = b.create(OpCode::Return, {}, {}, {}, {});
  b.setInsertionPoint(later->definingOp());
  b.createValue(OpCode::Mul, {later, n}, ctx.i32(), {}); // uses a value defined after it
  (void)ret;
  CHECK(verifyBuilt(m) == "'mul' operand #0 (%later) is not defined before its use in this block "
                          "or an enclosing one");

  // A value defined inside a loop body, used after the loop.
  Module m2(ctx);
  Function *f2 = m2.addFunction("k", {});
  Value *n2 = f2->addParam(ctx.i32(), ParamInfo{"n", 1, {}});
  b.setInsertionPointToEnd(f2->body());
  Operation *loop = b.create(OpCode::For, {n2, n2, n2}, {}, {}, {}, 1);
  Builder inner(ctx);
  inner.setInsertionPointToEnd(loop->region(0));
  Value *iv = loop->region(0)->addArgument(ctx.i32(), "i");
  Value *y = inner.createValue(OpCode::Add, {iv, n2}, ctx.i32(), {}); // outer value: fine
  y->setName("y");
  inner.create(OpCode::Yield, {}, {}, {}, {});
  b.createValue(OpCode::Add, {y, y}, ctx.i32(), {});
  b.create(OpCode::Return, {}, {}, {}, {});
  CHECK(verifyBuilt(m2) == "'add' operand #0 (%y) is not defined before its use in this block or "
                           "an enclosing one");

  // A value of another function.
  Module m3(ctx);
  Function *f3 = m3.addFunction("k", {});
  f3->addParam(ctx.i32(), ParamInfo{"own", 1, {}});
  b.setInsertionPointToEnd(f3->body());
  b.createValue(OpCode::Neg, {n}, ctx.i32(), {});
  b.create(OpCode::Return, {}, {}, {}, {});
  CHECK(verifyBuilt(m3) == "'neg' operand #0 (%n) is not defined before its use in this block or "
                           "an enclosing one");
}

TEST_CASE("verifier: layouts separate Tile IR from GPU IR") {
  const std::string aliases =
      "#r = #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>\n"
      "#c = #blocked<spt = [4, 1], tpw = [4, 8], wpc = [1, 4], order = [0, 1]>\n"
      "#s = #slice<dim = 1, parent = #r>\n"
      "#one = #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>\n";
  // Line numbers: the aliases take lines 1-4, the kernel header line 5, the body starts at 6.
  auto gpu = [&](const std::string &body) { return aliases + kernel(body); };
  CHECK(verifyText(gpu("  %a = arange {start = 0, end = 64} : tensor<64xi32, #s>\n"
                       "  %e = expand_dims %a {axis = 1} : tensor<64x1xi32, #r>\n"
                       "  %b = broadcast %e : tensor<64x32xi32, #r>\n"
                       "  %x = convert_layout %b : tensor<64x32xi32, #c>\n")) == "ok");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64x32xf32, #r>\n"
                       "  %b = splat %f : tensor<64x32xf32>\n")) ==
        "7:3: 'splat' result #0: tensor<64x32xf32> has no layout, but the function is GPU IR "
        "(its other blocks have layouts)");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64x32xf32>\n"
                       "  %b = splat %f : tensor<64x32xf32, #r>\n")) ==
        "7:3: 'splat' result #0: tensor<64x32xf32, #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, "
        "1], order = [1, 0]>> has a layout, but the function is Tile IR (its other blocks have "
        "none)");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64xf32, #r>\n")) ==
        "6:3: 'splat' result #0: layout of tensor<64xf32, #blocked<spt = [1, 4], tpw = [8, 4], "
        "wpc = [4, 1], order = [1, 0]>> has rank 2, the block 1");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64x32xf32>\n"
                       "  %b = convert_layout %a : tensor<64x32xf32>\n")) ==
        "7:3: 'convert_layout' converts between blocks with layouts (GPU IR only), got "
        "(tensor<64x32xf32>) -> tensor<64x32xf32>");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64x32xf32, #r>\n"
                       "  %b = convert_layout %a : tensor<32x64xf32, #c>\n")) ==
        "7:3: 'convert_layout' requires operand and result of one shape and element type, got "
        "(tensor<64x32xf32, #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>>) "
        "-> tensor<32x64xf32, #blocked<spt = [4, 1], tpw = [4, 8], wpc = [1, 4], order = [0, 1]>>");
  CHECK(verifyText(gpu("  %a = arange {start = 0, end = 64} : tensor<64xi32, #one>\n"
                       "  %e = expand_dims %a {axis = 1} : tensor<64x1xi32, #r>\n")) ==
        "7:3: 'expand_dims' operand layout must be #slice<dim = 1, parent = (result layout)>, got "
        "(tensor<64xi32, #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>>) -> "
        "tensor<64x1xi32, #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>>");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64x1xf32, #r>\n"
                       "  %b = broadcast %a : tensor<64x32xf32, #c>\n")) ==
        "7:3: 'broadcast' must keep the layout, got (tensor<64x1xf32, #blocked<spt = [1, 4], tpw "
        "= [8, 4], wpc = [4, 1], order = [1, 0]>>) -> tensor<64x32xf32, #blocked<spt = [4, 1], "
        "tpw = [4, 8], wpc = [1, 4], order = [0, 1]>>");
  CHECK(verifyText(gpu("  %a = splat %f : tensor<64x32xf32, #r>\n"
                       "  %s = reduce %a {axis = 1} : tensor<64xf32, #one> {\n"
                       "  ^(%x: f32, %y: f32):\n    yield %x\n  }\n")) ==
        "7:3: 'reduce' result #0 must be tensor<64xf32, #slice<dim = 1, parent = #blocked<spt = "
        "[1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>>>, got tensor<64xf32, #blocked<spt = "
        "[4], tpw = [32], wpc = [4], order = [0]>>");
  // Layout well-formedness.
  CHECK(verifyText("#w = #blocked<spt = [4], tpw = [32], wpc = [8], order = [0]>\n" +
                   kernel("  %a = splat %f : tensor<64xf32, #w>\n")) ==
        "3:3: 'splat' result #0: layout of tensor<64xf32, #blocked<spt = [4], tpw = [32], wpc = "
        "[8], order = [0]>>: wpc multiplies to 8, but the kernel has num_warps = 4");
  CHECK(verifyText("#w = #blocked<spt = [4], tpw = [16], wpc = [4], order = [0]>\n" +
                   kernel("  %a = splat %f : tensor<64xf32, #w>\n")) ==
        "3:3: 'splat' result #0: layout of tensor<64xf32, #blocked<spt = [4], tpw = [16], wpc = "
        "[4], order = [0]>>: tpw multiplies to 16, not a warp size (32 or 64)");
  CHECK(verifyText("#w = #blocked<spt = [1, 1], tpw = [4, 8], wpc = [4, 1], order = [1, 1]>\n" +
                   kernel("  %a = splat %f : tensor<4x8xf32, #w>\n")) ==
        "3:3: 'splat' result #0: layout of tensor<4x8xf32, #blocked<spt = [1, 1], tpw = [4, 8], "
        "wpc = [4, 1], order = [1, 1]>>: order is not a permutation of the dimensions");
  CHECK(verifyText("#w = #blocked<spt = [3], tpw = [32], wpc = [4], order = [0]>\n" +
                   kernel("  %a = splat %f : tensor<64xf32, #w>\n")) ==
        "3:3: 'splat' result #0: layout of tensor<64xf32, #blocked<spt = [3], tpw = [32], wpc = "
        "[4], order = [0]>>: spt, tpw and wpc entries must be powers of two");
}

TEST_CASE("verifier: kernel header") {
  // The IR parser already refuses a bad launch knob (at its value); a built kernel meets the
  // same check (LaunchConfig.h) in the verifier.
  for (auto [warps, stages, ctas, why] :
       {std::tuple{3u, 3u, 1u, "num_warps must be 1, 2, 4, 8, 16 or 32 (got 3)"},
        std::tuple{64u, 3u, 1u, "num_warps must be 1, 2, 4, 8, 16 or 32 (got 64)"},
        std::tuple{4u, 500u, 1u, "num_stages must be from 1 to 16 (got 500)"},
        std::tuple{4u, 3u, 0u, "num_ctas must be 1, 2, 4, 8 or 16 (got 0)"}}) {
    Context ctx;
    Module m(ctx);
    Function *f = m.addFunction("k", {});
    f->numWarps = warps;
    f->numStages = stages;
    f->numCtas = ctas;
    Builder b(ctx);
    b.setInsertionPointToEnd(f->body());
    b.create(OpCode::Return, {}, {}, {}, {});
    CHECK(verifyBuilt(m) == std::string("kernel @k: ") + why);
  }
  CHECK(verifyText("kernel @k(%b: tensor<3xf32>) {\n  return\n}\n") ==
        "1:11: kernel @k: parameter %b: dimension 3 of tensor<3xf32> is not a power of two");
  CHECK(verifyText("kernel @k(%b: i32 {divisibility = 0}) {\n  return\n}\n") ==
        "1:11: kernel @k: parameter %b: divisibility must be positive");
}
