// IR text: printing, parsing and the round trip print(parse(print(m))) == print(m), on
// hand-built modules that use every op of Ops.def; parse errors with their exact line:col; and
// robustness of the parser against truncated and mutated input.
#include "ir/Builder.h"
#include "ir/Parser.h"
#include "ir/Printer.h"
#include "ir/Verifier.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <set>

using namespace tritonc;

namespace {

AttrList attrs(std::initializer_list<NamedAttr> entries) {
  AttrList out;
  for (const NamedAttr &a : entries)
    out.set(a.name, a.value);
  return out;
}

std::string firstError(const DiagnosticEngine &diags) {
  if (diags.diagnostics().empty())
    return "<no diagnostic>";
  const Diagnostic &d = diags.diagnostics().front();
  return std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.col) + ": " +
         d.message;
}

/// Parses `text` as file "t.tir"; returns the module or nullptr with `error` set.
std::unique_ptr<Module> parseText(Context &ctx, SourceManager &sm, const std::string &text,
                                  std::string *error = nullptr) {
  DiagnosticEngine diags;
  uint32_t id = sm.addFile("t.tir", text);
  std::unique_ptr<Module> m = parseModule(ctx, sm, id, diags);
  if (error)
    *error = m ? std::string() : firstError(diags);
  return m;
}

/// The first parse error of `text` as "line:col: message", or "<parsed>".
std::string parseError(const std::string &text) {
  Context ctx;
  SourceManager sm;
  std::string error;
  std::unique_ptr<Module> m = parseText(ctx, sm, text, &error);
  return m ? "<parsed>" : error;
}

/// print(parse(text)) with a fresh context; REQUIREs the parse to succeed.
std::string reprint(const std::string &text, const PrintOptions &options = {}) {
  Context ctx;
  SourceManager sm;
  std::string error;
  std::unique_ptr<Module> m = parseText(ctx, sm, text, &error);
  INFO(error);
  REQUIRE(m);
  return printModule(*m, options);
}

std::string verifierErrors(const Module &m) {
  DiagnosticEngine diags;
  if (verifyModule(m, diags))
    return "";
  std::string out;
  for (const Diagnostic &d : diags.diagnostics())
    out += d.message + "\n";
  return out;
}

/// Builds one Tile IR kernel that uses every op except convert_layout, and one GPU IR kernel
/// with blocked and slice layouts that uses convert_layout.
struct AllOpsModule {
  Context ctx;
  Module module{ctx};
  Builder b{ctx};

  const Type *i1 = ctx.i1(), *i32 = ctx.i32(), *i64 = ctx.i64(), *f32 = ctx.f32();
  const Type *f16 = ctx.scalar(ScalarKind::F16);
  const Type *pf32 = ctx.pointer(f32);
  const Type *bI32 = ctx.block(i32, {128}), *bI1 = ctx.block(i1, {128});
  const Type *bF32 = ctx.block(f32, {128}), *bPtr = ctx.block(pf32, {128});

  Value *op(OpCode code, std::vector<Value *> operands, const Type *type, AttrList a = {},
            std::string name = "") {
    Value *v = b.createValue(code, std::move(operands), type, {}, std::move(a));
    v->setName(std::move(name));
    return v;
  }

  /// A two-argument combine region computing `code`.
  void combine(Operation *owner, const Type *elem, OpCode code) {
    Block *region = owner->region(0);
    Value *acc = region->addArgument(elem, "acc");
    Value *x = region->addArgument(elem, "x");
    Builder rb(ctx);
    rb.setInsertionPointToEnd(region);
    Value *r = rb.createValue(code, {acc, x}, elem, {});
    rb.create(OpCode::Yield, {r}, {}, {}, {});
  }

  AllOpsModule() {
    buildTileKernel();
    buildGpuKernel();
  }

  void buildTileKernel() {
    Function *f = module.addFunction("all_ops", {});
    Value *x = f->addParam(pf32, ParamInfo{"x", 16, {}});
    Value *n = f->addParam(i32, ParamInfo{"n", 1, {}});
    f->numWarps = 8;
    f->constexprs = {{"BLOCK", "128"}, {"EPS", "1e-06"}};
    b.setInsertionPointToEnd(f->body());

    Value *pid = op(OpCode::ProgramId, {}, i32, attrs({{"axis", int64_t(0)}}), "pid");
    op(OpCode::NumPrograms, {}, i32, attrs({{"axis", int64_t(1)}}), "np");
    Value *c128 = b.intConstant(128, i32, {});
    Value *tenth = b.floatConstant(0.1, f32, {});
    op(OpCode::Constant, {}, i1, attrs({{"value", true}}), "yes");
    Value *offs = op(OpCode::MakeRange, {}, bI32,
                     attrs({{"start", int64_t(0)}, {"end", int64_t(128)}}), "offs");
    Value *start = op(OpCode::Mul, {pid, c128}, i32);
    Value *base = op(OpCode::Splat, {start}, bI32, {}, "base");
    Value *acc = op(OpCode::Add, {base, offs}, bI32, {}, "offs"); // duplicate hint
    for (OpCode code : {OpCode::Sub, OpCode::Mul, OpCode::Div, OpCode::Rem, OpCode::And, OpCode::Or,
                        OpCode::Xor, OpCode::Shl, OpCode::Shr, OpCode::Min, OpCode::UMulHi})
      acc = op(code, {acc, offs}, bI32);
    acc = op(OpCode::Max, {acc, offs}, bI32, attrs({{"propagate_nan", false}}));
    acc = op(OpCode::Neg, {acc}, bI32);
    acc = op(OpCode::Not, {acc}, bI32, {}, "42"); // numeric hint: counts as none
    Value *nb = op(OpCode::Splat, {n}, bI32);
    Value *mask = op(OpCode::Cmp, {acc, nb}, bI1, attrs({{"pred", std::string("lt")}}), "mask");
    Value *px = op(OpCode::Splat, {x}, bPtr);
    Value *p = op(OpCode::AddPtr, {px, offs}, bPtr, {}, "p");
    Value *zero = op(OpCode::Constant, {}, bF32, attrs({{"value", 0.0}}), "zero");
    Value *v = op(OpCode::Load, {p, mask, zero}, bF32,
                  attrs({{"cache", std::string(".ca")},
                         {"evict", std::string("evict_last")},
                         {"volatile", false}}),
                  "v");
    Value *fv = op(OpCode::Fma, {v, v, v}, bF32);
    for (OpCode code : {OpCode::Exp, OpCode::Exp2, OpCode::Log, OpCode::Log2, OpCode::Sqrt,
                        OpCode::SqrtRn, OpCode::Rsqrt, OpCode::Abs, OpCode::Sin, OpCode::Cos,
                        OpCode::Floor, OpCode::Ceil, OpCode::Erf})
      fv = op(code, {fv}, bF32);
    fv = op(OpCode::DivRn, {fv, v}, bF32);
    fv = op(OpCode::FDiv, {fv, v}, bF32);
    fv = op(OpCode::ExternCall, {fv}, bF32, attrs({{"name", std::string("tanh")}}), "t");
    fv = op(OpCode::Select, {mask, fv, zero}, bF32, {}, "sel");
    op(OpCode::Cast, {fv}, ctx.block(f16, {128}), attrs({{"rounding", std::string("rtz")}}));
    op(OpCode::Cast, {offs}, bF32);
    op(OpCode::Bitcast, {fv}, bI32);
    Value *pi = op(OpCode::PtrToInt, {p}, ctx.block(i64, {128}));
    Value *ip = op(OpCode::IntToPtr, {pi}, bPtr);
    b.create(OpCode::Store, {ip, fv, mask}, {},
             attrs({{"cache", std::string(".cg")}, {"evict", std::string("evict_first")}}), {});
    op(OpCode::AtomicRMW, {p, fv, mask}, bF32,
       attrs({{"kind", std::string("add")},
              {"sem", std::string("acq_rel")},
              {"scope", std::string("gpu")}}));
    op(OpCode::AtomicCas, {p, v, fv}, bF32);

    Value *e = op(OpCode::ExpandDims, {v}, ctx.block(f32, {128, 1}), attrs({{"axis", int64_t(1)}}));
    Value *br = op(OpCode::Broadcast, {e}, ctx.block(f32, {128, 64}));
    op(OpCode::Reshape, {br}, ctx.block(f32, {8192}), attrs({{"can_reorder", false}}));
    op(OpCode::Trans, {br}, ctx.block(f32, {64, 128}),
       attrs({{"order", std::vector<int64_t>{1, 0}}}));
    op(OpCode::Cat, {v, v}, ctx.block(f32, {256}));
    Value *j = op(OpCode::Join, {v, fv}, ctx.block(f32, {128, 2}));
    Operation *split = b.create(OpCode::Split, {j}, {bF32, bF32}, {}, {});
    split->result(0)->setName("lo");
    split->result(1)->setName("hi");

    Value *one16 = b.floatConstant(1.0, f16, {});
    Value *a = op(OpCode::Splat, {one16}, ctx.block(f16, {16, 16}), {}, "a");
    Value *c = op(OpCode::Constant, {}, ctx.block(f32, {16, 16}), attrs({{"value", 0.0}}), "c");
    op(OpCode::Dot, {a, a, c}, ctx.block(f32, {16, 16}),
       attrs({{"input_precision", std::string("tf32")}}), "d");

    Operation *reduce = b.create(OpCode::Reduce, {v}, {f32}, attrs({{"axis", int64_t(0)}}), {}, 1);
    combine(reduce, f32, OpCode::Add);
    reduce->result(0)->setName("sum");
    Operation *scan = b.create(OpCode::Scan, {v}, {bF32},
                               attrs({{"axis", int64_t(0)}, {"reverse", true}}), {}, 1);
    combine(scan, f32, OpCode::Max);

    op(OpCode::Histogram, {offs}, ctx.block(i32, {16}), attrs({{"num_bins", int64_t(16)}}));
    op(OpCode::Gather, {v, offs}, bF32, attrs({{"axis", int64_t(0)}}));
    b.create(OpCode::Print, {v, n}, {},
             attrs({{"prefix", std::string("v = \"q\"\n\t\\ \x01")}, {"hex", false}}), {});
    b.create(OpCode::Assert, {mask}, {}, attrs({{"message", std::string("bad")}}), {});
    b.create(OpCode::Barrier, {}, {}, attrs({{"ty", ctx.block(pf32, {4})}}), {});

    // for
    Value *lb = b.intConstant(0, i32, {});
    Value *step = b.intConstant(1, i32, {});
    Operation *loop = b.create(OpCode::For, {lb, n, step, tenth}, {f32},
                               attrs({{"num_stages", int64_t(2)}}), {}, 1);
    loop->result(0)->setName("r");
    {
      Block *body = loop->region(0);
      Value *iv = body->addArgument(i32, "i");
      Value *carried = body->addArgument(f32, "acc");
      Builder lbld(ctx);
      lbld.setInsertionPointToEnd(body);
      Value *fi = lbld.createValue(OpCode::Cast, {iv}, f32, {});
      Value *next = lbld.createValue(OpCode::Add, {carried, fi}, f32, {});
      lbld.create(OpCode::Yield, {next}, {}, {}, {});
    }
    // if
    Value *cond = op(OpCode::Cmp, {n, c128}, i1, attrs({{"pred", std::string("gt")}}));
    Operation *iff = b.create(OpCode::If, {cond}, {f32}, {}, {}, 2);
    {
      Builder tb(ctx);
      tb.setInsertionPointToEnd(iff->region(0));
      tb.create(OpCode::Yield, {loop->result(0)}, {}, {}, {});
      tb.setInsertionPointToEnd(iff->region(1));
      tb.create(OpCode::Yield, {tenth}, {}, {}, {});
    }
    // while
    Operation *wh = b.create(OpCode::While, {n}, {i32}, {}, {}, 2);
    {
      Builder wb(ctx);
      Value *w = wh->region(0)->addArgument(i32, "w");
      wb.setInsertionPointToEnd(wh->region(0));
      Value *zero32 = wb.intConstant(0, i32, {});
      Value *more =
          wb.createValue(OpCode::Cmp, {w, zero32}, i1, {}, attrs({{"pred", std::string("gt")}}));
      wb.create(OpCode::Condition, {more, w}, {}, {}, {});
      Value *w2 = wh->region(1)->addArgument(i32, "w");
      wb.setInsertionPointToEnd(wh->region(1));
      Value *one = wb.intConstant(1, i32, {});
      Value *dec = wb.createValue(OpCode::Sub, {w2, one}, i32, {});
      wb.create(OpCode::Yield, {dec}, {}, {}, {});
    }
    b.create(OpCode::Return, {}, {}, {}, {});
  }

  void buildGpuKernel() {
    Function *f = module.addFunction("gpu_ops", {});
    f->addParam(pf32, ParamInfo{"x", 1, {}});
    b.setInsertionPointToEnd(f->body());
    const Layout *rows = ctx.blocked({1, 4}, {8, 4}, {4, 1}, {1, 0});
    const Layout *cols = ctx.blocked({4, 1}, {4, 8}, {1, 4}, {0, 1});
    const Layout *slice = ctx.slice(1, rows);
    Value *r = op(OpCode::MakeRange, {}, ctx.block(i32, {64}, slice),
                  attrs({{"start", int64_t(0)}, {"end", int64_t(64)}}), "r");
    Value *e =
        op(OpCode::ExpandDims, {r}, ctx.block(i32, {64, 1}, rows), attrs({{"axis", int64_t(1)}}));
    Value *bc = op(OpCode::Broadcast, {e}, ctx.block(i32, {64, 32}, rows));
    op(OpCode::ConvertLayout, {bc}, ctx.block(i32, {64, 32}, cols));
    const Type *tileTy = ctx.block(f32, {64, 32}, ctx.shared({1, 0}));
    Value *tile = op(OpCode::LocalAlloc, {}, tileTy, {}, "tile");
    Value *ptrs = op(OpCode::Splat, {f->body()->argument(0)}, ctx.block(pf32, {64, 32}, rows));
    Value *copied = op(OpCode::AsyncCopy, {tile, ptrs}, tileTy, attrs({{"vec", int64_t(4)}}));
    b.create(OpCode::AsyncWait, {}, {}, attrs({{"pending", int64_t(0)}}), {});
    op(OpCode::LocalLoad, {copied}, ctx.block(f32, {64, 32}, rows));
    Operation *reduce = b.create(OpCode::Reduce, {bc}, {ctx.block(i32, {64}, slice)},
                                 attrs({{"axis", int64_t(1)}}), {}, 1);
    combine(reduce, i32, OpCode::Max);
    b.create(OpCode::Return, {}, {}, {}, {});
  }
};

} // namespace

TEST_CASE("ir text: every op of the table round-trips") {
  AllOpsModule all;
  std::set<OpCode> used;
  for (auto &fn : all.module.functions())
    fn->walk([&](Operation *op) { used.insert(op->code()); });
  CHECK(used.size() == numOpCodes());
  for (size_t i = 0; i < numOpCodes(); ++i)
    CHECK_MESSAGE(used.count(OpCode(i)), "op not covered: " << opInfo(OpCode(i)).mnemonic);

  CHECK(verifierErrors(all.module) == "");
  std::string text = printModule(all.module);
  CHECK(reprint(text) == text);

  // The parsed module is valid too, and inline layouts round-trip as well.
  Context ctx;
  SourceManager sm;
  std::unique_ptr<Module> parsed = parseText(ctx, sm, text);
  REQUIRE(parsed);
  CHECK(verifierErrors(*parsed) == "");
  PrintOptions inlined;
  inlined.inlineLayouts = true;
  std::string inlineText = printModule(all.module, inlined);
  CHECK(inlineText.find("#blocked0") == std::string::npos);
  CHECK(reprint(inlineText, inlined) == inlineText);
  CHECK(reprint(inlineText) == text);
}

TEST_CASE("ir text: exact form of a small kernel") {
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("add_kernel", {});
  const Type *pf32 = ctx.pointer(ctx.f32());
  Value *x = f->addParam(pf32, ParamInfo{"x_ptr", 16, {}});
  Value *n = f->addParam(ctx.i32(), ParamInfo{"n", 1, {}});
  f->constexprs = {{"BLOCK", "1024"}};
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  const Layout *l = ctx.blocked({4}, {32}, {4}, {0});
  const Type *bi = ctx.block(ctx.i32(), {1024}, l);
  AttrList axis;
  axis.set("axis", int64_t(0));
  Value *pid = b.createValue(OpCode::ProgramId, {}, ctx.i32(), {}, axis);
  pid->setName("pid");
  AttrList range;
  range.set("start", int64_t(0));
  range.set("end", int64_t(1024));
  Value *offs = b.createValue(OpCode::MakeRange, {}, bi, {}, range);
  offs->setName("offs");
  Value *nb = b.createValue(OpCode::Splat, {n}, bi, {});
  AttrList lt;
  lt.set("pred", std::string("lt"));
  Value *mask = b.createValue(OpCode::Cmp, {offs, nb}, ctx.block(ctx.i1(), {1024}, l), {}, lt);
  Value *px = b.createValue(OpCode::Splat, {x}, ctx.block(pf32, {1024}, l), {});
  Value *p = b.createValue(OpCode::AddPtr, {px, offs}, px->type(), {});
  Value *v = b.createValue(OpCode::Load, {p, mask}, ctx.block(ctx.f32(), {1024}, l), {});
  v->setName("x");
  b.create(OpCode::Store, {p, v, mask}, {}, {}, {});
  (void)pid;
  b.create(OpCode::Return, {}, {}, {}, {});

  const char *expected =
      "#blocked0 = #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>\n"
      "\n"
      "kernel @add_kernel(%x_ptr: ptr<f32> {divisibility = 16}, %n: i32)\n"
      "    attributes {num_warps = 4, num_stages = 3, num_ctas = 1, constexprs = {BLOCK = "
      "\"1024\"}} {\n"
      "  %pid = program_id {axis = 0} : i32\n"
      "  %offs = arange {start = 0, end = 1024} : tensor<1024xi32, #blocked0>\n"
      "  %0 = splat %n : tensor<1024xi32, #blocked0>\n"
      "  %1 = cmp %offs, %0 {pred = \"lt\"} : tensor<1024xi1, #blocked0>\n"
      "  %2 = splat %x_ptr : tensor<1024xptr<f32>, #blocked0>\n"
      "  %3 = addptr %2, %offs : tensor<1024xptr<f32>, #blocked0>\n"
      "  %x = load %3, %1 : tensor<1024xf32, #blocked0>\n"
      "  store %3, %x, %1\n"
      "  return\n"
      "}\n";
  CHECK(printModule(m) == expected);
  CHECK(reprint(expected) == expected);
  CHECK(verifierErrors(m) == "");

  // printFunction carries its own aliases; printOp spells layouts inline.
  CHECK(printFunction(*f) == expected);
  CHECK(printOp(*mask->definingOp()) ==
        "%1 = cmp %offs, %0 {pred = \"lt\"} : tensor<1024xi1, #blocked<spt = [4], tpw = [32], "
        "wpc = [4], order = [0]>>");
}

TEST_CASE("ir text: value names are unique, sanitized, and numbered otherwise") {
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  Value *a = f->addParam(ctx.i32(), ParamInfo{"a", 1, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  auto add = [&](std::string name) {
    Value *v = b.createValue(OpCode::Add, {a, a}, ctx.i32(), {});
    v->setName(std::move(name));
    return v;
  };
  add("a");    // a_1
  add("a_1");  // a_1_1
  add("");     // 0
  add("7");    // numeric: 1
  add("x y!"); // x_y_
  add("a");    // a_2
  add("0abc"); // not purely numeric
  b.create(OpCode::Return, {}, {}, {}, {});
  std::string text = printModule(m);
  CHECK(text.find("%a_1 = add %a, %a") != std::string::npos);
  CHECK(text.find("%a_1_1 = add") != std::string::npos);
  CHECK(text.find("%0 = add") != std::string::npos);
  CHECK(text.find("%1 = add") != std::string::npos);
  CHECK(text.find("%x_y_ = add") != std::string::npos);
  CHECK(text.find("%a_2 = add") != std::string::npos);
  CHECK(text.find("%0abc = add") != std::string::npos);
  CHECK(reprint(text) == text);

  // Hand-written numbering is normalized; hints come back as written.
  std::string hand = "kernel @k(%7: i32) {\n  %x = add %7, %7 : i32\n  %3 = add %x, %x : i32\n"
                     "  return\n}\n";
  std::string printed = reprint(hand);
  CHECK(printed.find("%x = add %0, %0 : i32") != std::string::npos);
  CHECK(printed.find("%1 = add %x, %x : i32") != std::string::npos);
  CHECK(reprint(printed) == printed);
}

TEST_CASE("ir text: float, string, list and type attributes read back exactly") {
  const double values[] = {0.1,  -0.0,        1.0,    1e300,    -2.5e-300, 5e-324,
                           1e16, 123456789.0, 3.0e38, INFINITY, -INFINITY};
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  std::string weird;
  for (int c = 0; c < 256; ++c)
    weird += static_cast<char>(c);
  AttrList a;
  for (size_t i = 0; i < std::size(values); ++i)
    a.set("f" + std::to_string(i), values[i]);
  a.set("nan", std::nan(""));
  a.set("s", weird);
  a.set("list", std::vector<int64_t>{INT64_MIN, -1, 0, INT64_MAX});
  a.set("empty", std::vector<int64_t>{});
  a.set("t", ctx.block(ctx.pointer(ctx.pointer(ctx.f32()), 3), {2, 4}));
  a.set("odd name", int64_t(-5));
  a.set("b", true);
  b.create(OpCode::Barrier, {}, {}, a, {});
  b.create(OpCode::Return, {}, {}, {}, {});
  std::string text = printModule(m);
  CHECK(text.find("f2 = 1.0,") != std::string::npos);
  CHECK(text.find("f1 = -0.0,") != std::string::npos);
  CHECK(text.find("f0 = 0.1,") != std::string::npos);
  CHECK(text.find("nan = nan") != std::string::npos);
  CHECK(text.find("\"odd name\" = -5") != std::string::npos);
  CHECK(text.find("t = tensor<2x4xptr<ptr<f32>, 3>>") != std::string::npos);
  CHECK(reprint(text) == text);

  Context ctx2;
  SourceManager sm;
  std::unique_ptr<Module> parsed = parseText(ctx2, sm, text);
  REQUIRE(parsed);
  const AttrList &pa = parsed->functions()[0]->body()->front()->attrs();
  for (size_t i = 0; i < std::size(values); ++i) {
    double got = pa.getFloat("f" + std::to_string(i));
    CHECK(std::memcmp(&got, &values[i], sizeof got) == 0);
  }
  CHECK(std::isnan(pa.getFloat("nan")));
  CHECK(pa.getString("s") == weird);
  CHECK(pa.getInts("list") == std::vector<int64_t>{INT64_MIN, -1, 0, INT64_MAX});
  CHECK(pa.getInt("odd name") == -5);
  CHECK(pa.getBool("b"));
}

TEST_CASE("ir text: locations print and parse back into source locations") {
  SourceManager sm;
  uint32_t tt = sm.addFile("dir/add.tt", "line1\nline2\nline3\n");
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", SourceLoc{tt, 1, 1});
  Value *n = f->addParam(ctx.i32(), ParamInfo{"n", 1, SourceLoc{tt, 1, 10}});
  Builder b(ctx);
  b.setInsertionPointToEnd(f->body());
  b.create(OpCode::Add, {n, n}, {ctx.i32()}, {}, SourceLoc{tt, 3, 5});
  b.create(OpCode::Return, {}, {}, {}, {}); // unknown location
  PrintOptions po;
  po.locations = true;
  po.sources = &sm;
  std::string text = printModule(m, po);
  CHECK(text ==
        "kernel @k(%n: i32 loc(\"dir/add.tt\":1:10))\n"
        "    attributes {num_warps = 4, num_stages = 3, num_ctas = 1} loc(\"dir/add.tt\":1:1) {\n"
        "  %0 = add %n, %n : i32 loc(\"dir/add.tt\":3:5)\n"
        "  return loc(unknown)\n"
        "}\n");
  CHECK(printModule(m).find("loc(") == std::string::npos); // off by default

  // Parsing registers the named file (with empty text) in a fresh SourceManager.
  Context ctx2;
  SourceManager sm2;
  std::unique_ptr<Module> parsed = parseText(ctx2, sm2, text);
  REQUIRE(parsed);
  REQUIRE(sm2.numFiles() == 2);
  CHECK(sm2.path(2) == "dir/add.tt");
  const Operation *add = parsed->functions()[0]->body()->front();
  CHECK(add->loc() == SourceLoc{2, 3, 5});
  CHECK(parsed->functions()[0]->body()->back()->loc() == SourceLoc{});
  PrintOptions po2 = po;
  po2.sources = &sm2;
  CHECK(printModule(*parsed, po2) == text);

  // Without loc(...), ops are located in the IR file itself.
  Context ctx3;
  SourceManager sm3;
  std::unique_ptr<Module> plain = parseText(ctx3, sm3, printModule(m));
  REQUIRE(plain);
  CHECK(plain->functions()[0]->body()->front()->loc() == SourceLoc{1, 3, 3});
  CHECK(plain->functions()[0]->loc() == SourceLoc{1, 1, 1});
}

TEST_CASE("ir text: syntax is whitespace-insensitive and accepts comments") {
  std::string text = "// RUN: tritonc --from-ir %s\n"
                     "#l = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>\n"
                     "kernel @k(%n: i32) { %a = program_id {axis = 0} : i32 barrier\n"
                     "  %b, %c = split %t : tensor<4 x f32, #l>, tensor<4xf32, #l> // no\n"
                     "  return }\n";
  // %t is undefined: the error shows the lookahead did not take %b for barrier's operand.
  CHECK(parseError(text) == "4:18: use of undefined value %t");
}

TEST_CASE("ir text: corner cases of the syntax") {
  // Empty module.
  CHECK(reprint("") == "");
  CHECK(reprint("// only a comment\n") == "");
  // An op without results whose attribute dictionary is followed by a region; a kernel name
  // that needs quotes.
  std::string text = "kernel @\"my kernel\"(%n: i32)\n"
                     "    attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {\n"
                     "  for %n, %n, %n {num_stages = 2} {\n"
                     "  ^(%i: i32):\n"
                     "    yield\n"
                     "  }\n"
                     "  return\n"
                     "}\n";
  CHECK(reprint(text) == text);
  // Defaults for an omitted attributes clause; inline layouts read back as aliases.
  CHECK(reprint("kernel @k(%n: tensor<4xf32, #blocked<spt = [1], tpw = [32], wpc = [4], "
                "order = [0]>>) { return }") ==
        "#blocked0 = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>\n\n"
        "kernel @k(%n: tensor<4xf32, #blocked0>)\n"
        "    attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {\n  return\n}\n");
  // printOp on a detached op names values by their hints.
  Context ctx;
  Module m(ctx);
  Function *f = m.addFunction("k", {});
  Value *n = f->addParam(ctx.i32(), ParamInfo{"n", 1, {}});
  std::unique_ptr<Operation> op = Operation::create(OpCode::Add, {n, n}, {ctx.i32()}, {}, {}, 0);
  CHECK(printOp(*op) == "%0 = add %n, %n : i32");
}

TEST_CASE("ir text: parse errors are located") {
  const std::string head = "kernel @k(%n: i32, %f: f32) {\n";
  CHECK(parseError(head + "  %x = add %n, %m : i32\n  return\n}\n") ==
        "2:16: use of undefined value %m");
  CHECK(parseError(head + "  %x = add %n, %n : 32\n") == "2:21: expected type");
  CHECK(parseError(head + "  %x = frobnicate %n : i32\n") == "2:8: unknown op 'frobnicate'");
  CHECK(parseError(head + "  %x = add %n, %n, %n : i32\n") ==
        "2:8: 'add' expects 2 operands, got 3");
  CHECK(parseError(head + "  %x = neg %n, %n : i32\n") == "2:8: 'neg' expects 1 operand, got 2");
  CHECK(parseError(head + "  %x = store %n, %n : i32\n") ==
        "2:8: 'store' expects 0 results, got 1");
  CHECK(parseError(head + "  %x, %y = add %n, %n : i32\n") ==
        "2:12: 'add' defines 2 results but lists 1 result type");
  CHECK(parseError(head + "  %x = add %n, %n\n  return\n}\n") ==
        "3:3: expected ':' and the result types");
  CHECK(parseError(head + "  %n = add %n, %n : i32\n") == "2:3: redefinition of value %n");
  CHECK(parseError(head + "  %x = for %n, %n, %n : \n") == "3:1: expected type, got end of input");
  CHECK(parseError(head + "  for %n, %n, %n\n  return\n}\n") ==
        "2:3: 'for' expects 1 region, got 0");
  CHECK(parseError(head + "  %x = add %n, %n : i32 {\n  }\n") ==
        "2:25: 'add' expects 0 regions, got 1");
  CHECK(parseError(head + "  barrier {a = 1, a = 2}\n") == "2:19: duplicate attribute 'a'");
  CHECK(parseError(head + "  barrier {a = \"abc}\n") == "2:16: unterminated string literal");
  CHECK(parseError(head + "  barrier {a = \"\\q\"}\n") == "2:17: invalid escape sequence '\\q'");
  CHECK(parseError(head + "  barrier {a = 99999999999999999999}\n") ==
        "2:16: integer literal out of range");
  CHECK(parseError(head + "  barrier {a = 1e999}\n") == "2:16: float literal out of range");
  CHECK(parseError(head + "  barrier {a = lt}\n") == "2:16: expected attribute value");
  CHECK(parseError(head + "  barrier $\n") == "2:11: unexpected character '$'");
  CHECK(parseError(head + "  %x = splat %n : tensor<3x5i32>\n") ==
        "2:29: expected 'x' after a block dimension");
  CHECK(parseError(head + "  %x = splat %n : tensor<4xf32, #nope>\n") ==
        "2:33: undefined layout alias #nope");
  CHECK(parseError(head + "  %x = splat %n : ptr<tensor<4xf32>>\n") ==
        "2:23: pointers cannot point to blocks");
  CHECK(parseError(head + "  %x = splat %n : tensor<4xtensor<4xf32>>\n") ==
        "2:28: block elements must be scalars or pointers");
  CHECK(parseError(head + "  return\n") == "3:1: expected '}', got end of input");
  CHECK(parseError("kernel @k() {\n  return\n}\nkernel @k() {\n  return\n}\n") ==
        "4:8: redefinition of kernel @k");
  CHECK(parseError("kernel @k() attributes {num_warps = 4, warp = 3} {\n}\n") ==
        "1:40: unknown kernel attribute 'warp'");
  CHECK(parseError("%x = add\n") == "1:1: expected 'kernel' or a layout alias definition");
  CHECK(parseError("#a = #blocked<spt = [1, 1], tpw = [32], wpc = [4], order = [0]>\n") ==
        "1:6: blocked layout fields must all have the same length");
  CHECK(parseError("#a = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>\n"
                   "#b = #slice<dim = 1, parent = #a>\n") ==
        "2:19: slice dim 1 out of range for a parent of rank 1");
  CHECK(parseError("#a = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>\n#a = #a\n") ==
        "2:1: redefinition of layout alias #a");
  CHECK(parseError(head + "  %x = add %n, %n : i32 loc(\"a.tt\":1)\n") == "2:37: expected ':'");
  CHECK(parseError("kernel @k(%n: i32 {align = 4}) {\n}\n") == "1:20: expected 'divisibility'");
}

TEST_CASE("ir text: scopes end with their region") {
  // %y is defined inside the loop body and used after it.
  std::string text = "kernel @k(%n: i32) {\n"
                     "  for %n, %n, %n {\n"
                     "  ^(%i: i32):\n"
                     "    %y = add %i, %i : i32\n"
                     "    yield\n"
                     "  }\n"
                     "  %z = add %y, %y : i32\n"
                     "  return\n"
                     "}\n";
  CHECK(parseError(text) == "7:12: use of undefined value %y");
}

TEST_CASE("ir text: the parser survives truncated and mutated input") {
  AllOpsModule all;
  const std::string text = printModule(all.module);
  auto tryParse = [](const std::string &input) {
    Context ctx;
    SourceManager sm;
    DiagnosticEngine diags;
    uint32_t id = sm.addFile("fuzz.tir", input);
    std::unique_ptr<Module> m = parseModule(ctx, sm, id, diags);
    if (!m) {
      // Exactly one located error.
      REQUIRE(diags.diagnostics().size() == 1);
      CHECK(diags.diagnostics()[0].range.begin.line >= 1);
      return;
    }
    // Whatever parses must verify (or not) and print without crashing.
    DiagnosticEngine vd;
    verifyModule(*m, vd);
    std::string again = printModule(*m);
    CHECK(reprint(again) == again);
  };
  for (size_t len = 0; len < text.size(); len += 7)
    tryParse(text.substr(0, len));
  std::mt19937 rng(12345);
  const char alphabet[] = "%@#^(){}[]<>,:=-\"x0123456789 \nabcfiptensorl.";
  for (int iter = 0; iter < 1500; ++iter) {
    std::string mutated = text;
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % mutated.size();
      switch (rng() % 3) {
      case 0:
        mutated[pos] = alphabet[rng() % (sizeof(alphabet) - 1)];
        break;
      case 1:
        mutated.erase(pos, 1 + rng() % 8);
        break;
      default:
        mutated.insert(pos, 1, alphabet[rng() % (sizeof(alphabet) - 1)]);
      }
      if (mutated.empty())
        mutated = "x";
    }
    tryParse(mutated);
  }
  // Deep nesting is refused, not a stack overflow.
  std::string deep = "kernel @k(%n: i32) {\n";
  for (int i = 0; i < 100000; ++i)
    deep += "if %c {\n";
  CHECK(parseError(deep).find("use of undefined value %c") != std::string::npos);
  std::string deepRegions = "kernel @k(%c: i1) {\n";
  for (int i = 0; i < 100000; ++i)
    deepRegions += "if %c {\n";
  CHECK(parseError(deepRegions).find("regions nested too deeply") != std::string::npos);
  std::string deepType = "kernel @k(%c: ";
  for (int i = 0; i < 100000; ++i)
    deepType += "ptr<";
  CHECK(parseError(deepType).find("type nested too deeply") != std::string::npos);
  // Bad file ids are reported, not dereferenced.
  Context ctx;
  SourceManager sm;
  DiagnosticEngine diags;
  CHECK(!parseModule(ctx, sm, 3, diags));
  CHECK(diags.hasErrors());
}
