// Codegen: the layout maths (which register of which lane of which warp holds which element)
// against an independent formula, and GPU IR built by hand through LLVM IR, PTX and ptxas
// (sm_80, sm_90a) and through the AMDGPU object and ld.lld (gfx942).
#include "codegen/Codegen.h"
#include "codegen/Toolchain.h"
#include "codegen/nvptx/NVPTXTarget.h"
#include "ir/Builder.h"
#include "ir/Parser.h"
#include "ir/Verifier.h"
#include "layout/LinearLayout.h"

#include "TestAttrs.h"

#include <doctest/doctest.h>

#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>

#include <map>
#include <set>

using namespace tritonc;
using tritonc::testing::attrs;

namespace {

// ---- layout maths

/// Triton's original (pre-linear-layout) description of a blocked layout, for shapes at
/// least as large as the CTA tile: per dim, element = rep·tile + warp·(spt·tpw) + lane·spt +
/// elem, with the register index split into (elem within sizePerThread, then repetition),
/// and lane / warp ids split over dims fastest (order[0]) first.
std::vector<int64_t> referenceBlocked(const Layout *l, const std::vector<int64_t> &shape,
                                      unsigned reg, unsigned lane, unsigned warp) {
  const unsigned rank = static_cast<unsigned>(shape.size());
  auto split = [&](unsigned id, auto sizeOf) {
    std::vector<int64_t> out(rank);
    for (unsigned d : l->order()) {
      out[d] = id % sizeOf(d);
      id /= sizeOf(d);
    }
    return out;
  };
  auto spt = [&](unsigned d) { return int64_t{l->sizePerThread()[d]}; };
  auto tpw = [&](unsigned d) { return int64_t{l->threadsPerWarp()[d]}; };
  auto wpc = [&](unsigned d) { return int64_t{l->warpsPerCTA()[d]}; };
  auto tile = [&](unsigned d) { return spt(d) * tpw(d) * wpc(d); };
  auto reps = [&](unsigned d) { return std::max<int64_t>(1, shape[d] / tile(d)); };
  unsigned regsPerTile = 1;
  for (unsigned d = 0; d < rank; ++d)
    regsPerTile *= static_cast<unsigned>(spt(d));
  std::vector<int64_t> elem = split(reg % regsPerTile, spt);
  std::vector<int64_t> rep = split(reg / regsPerTile, reps);
  std::vector<int64_t> ln = split(lane, tpw), wp = split(warp, wpc);
  std::vector<int64_t> c(rank);
  for (unsigned d = 0; d < rank; ++d)
    c[d] = (rep[d] * tile(d) + wp[d] * spt(d) * tpw(d) + ln[d] * spt(d) + elem[d]) % shape[d];
  return c;
}

/// How many (register, lane, warp) hold each element.
std::map<std::vector<int64_t>, int> holders(const LinearLayout &ll) {
  std::map<std::vector<int64_t>, int> count;
  for (unsigned w = 0; w < ll.numWarps(); ++w)
    for (unsigned l = 0; l < ll.numLanes(); ++l)
      for (unsigned r = 0; r < ll.numRegisters(); ++r)
        ++count[ll.apply(r, l, w)];
  return count;
}

} // namespace

TEST_CASE("linear layout of a 1-D blocked layout") {
  Context ctx;
  const Layout *l = ctx.blocked({4}, {32}, {4}, {0});
  auto ll = LinearLayout::get(l, {1024});
  REQUIRE(ll);
  CHECK(ll->numRegisters() == 8);
  CHECK(ll->numLanes() == 32);
  CHECK(ll->numWarps() == 4);
  CHECK(ll->regBases() == std::vector<LinearLayout::Coord>{{1}, {2}, {512}});
  CHECK(ll->warpBases() == std::vector<LinearLayout::Coord>{{128}, {256}});
  CHECK(ll->apply(4, 3, 1) == LinearLayout::Coord{652}); // 512 + 3·4 + 128
  CHECK(ll->apply(5, 31, 3) == LinearLayout::Coord{512 + 1 + 124 + 384});
  CHECK(ll->contiguousRegisters(0) == 4);
  CHECK(ll->freeLaneMask() == 0);
  CHECK(ll->freeWarpMask() == 0);
  auto count = holders(*ll);
  CHECK(count.size() == 1024);
  for (auto &[coord, n] : count)
    CHECK(n == 1);
  for (unsigned w = 0; w < 4; ++w)
    for (unsigned lane = 0; lane < 32; ++lane)
      for (unsigned r = 0; r < 8; ++r)
        CHECK(ll->apply(r, lane, w) == referenceBlocked(l, {1024}, r, lane, w));
}

TEST_CASE("a shape smaller than the CTA tile replicates") {
  Context ctx;
  const Layout *l = ctx.blocked({4}, {32}, {4}, {0});
  auto ll = LinearLayout::get(l, {256}); // the tile covers 512
  REQUIRE(ll);
  CHECK(ll->numRegisters() == 4);
  CHECK(ll->freeWarpMask() == 0b10);
  CHECK(ll->freeLaneMask() == 0);
  CHECK(ll->apply(0, 0, 2) == ll->apply(0, 0, 0));
  auto count = holders(*ll);
  CHECK(count.size() == 256);
  for (auto &[coord, n] : count)
    CHECK(n == 2);

  auto tiny = LinearLayout::get(l, {2}); // one thread's registers overlap the shape
  REQUIRE(tiny);
  CHECK(tiny->numRegisters() == 2);
  CHECK(tiny->freeLaneMask() == 0b11111);
  CHECK(tiny->freeWarpMask() == 0b11);
}

TEST_CASE("linear layout of a 2-D blocked layout matches Triton's formula") {
  Context ctx;
  const Layout *rowMajor = ctx.blocked({1, 4}, {8, 4}, {4, 1}, {1, 0});
  const Layout *colMajor = ctx.blocked({2, 1}, {4, 8}, {2, 2}, {0, 1});
  for (const Layout *l : {rowMajor, colMajor}) {
    for (std::vector<int64_t> shape : {std::vector<int64_t>{64, 64}, {32, 128}, {128, 16}}) {
      CAPTURE(l->str());
      CAPTURE(shape[0]);
      CAPTURE(shape[1]);
      auto ll = LinearLayout::get(l, shape);
      REQUIRE(ll);
      CHECK(ll->numRegisters() * 128 == shape[0] * shape[1]);
      for (unsigned w = 0; w < 4; ++w)
        for (unsigned lane = 0; lane < 32; ++lane)
          for (unsigned r = 0; r < ll->numRegisters(); ++r)
            CHECK(ll->apply(r, lane, w) == referenceBlocked(l, shape, r, lane, w));
      CHECK(holders(*ll).size() == static_cast<size_t>(shape[0] * shape[1]));
    }
  }
  auto ll = LinearLayout::get(rowMajor, {64, 64});
  CHECK(ll->contiguousRegisters(1) == 4);
  CHECK(ll->contiguousRegisters(0) == 1);
}

TEST_CASE("mma.sync layouts match the PTX ISA's fragment tables") {
  // One warp, one instruction: the accumulator and operand fragments of m16n8k16 (f16),
  // m16n8k8 (tf32) and m16n8k32 (s8), lane = 4 * group + t.
  Context ctx;
  const Layout *mma = ctx.mma(2, {1, 1}, {16, 8});
  auto c = LinearLayout::get(mma, {16, 8});
  REQUIRE(c);
  REQUIRE(c->numRegisters() == 4);
  for (unsigned lane = 0; lane < 32; ++lane)
    for (unsigned r = 0; r < 4; ++r) {
      const int64_t g = lane / 4, t = lane % 4;
      CHECK(c->apply(r, lane, 0) == LinearLayout::Coord{g + 8 * (r / 2), 2 * t + r % 2});
    }
  for (unsigned w : {1u, 2u, 4u}) {
    CAPTURE(w);
    const int64_t K = 8 * w;
    auto a = LinearLayout::get(ctx.dotOperand(0, mma, w), {16, K});
    auto b = LinearLayout::get(ctx.dotOperand(1, mma, w), {K, 8});
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->numRegisters() == 4 * w);
    REQUIRE(b->numRegisters() == 2 * w);
    for (unsigned lane = 0; lane < 32; ++lane) {
      const int64_t g = lane / 4, t = lane % 4;
      // 32-bit register j of A holds w elements from (g + 8 * (j % 2), w * t + 4 * w * (j / 2)).
      for (unsigned r = 0; r < 4 * w; ++r) {
        const int64_t j = r / w, e = r % w;
        CHECK(a->apply(r, lane, 0) ==
              LinearLayout::Coord{g + 8 * (j % 2), w * t + 4 * w * (j / 2) + e});
      }
      // Register j of B holds w elements from (w * t + 4 * w * j, g).
      for (unsigned r = 0; r < 2 * w; ++r) {
        const int64_t j = r / w, e = r % w;
        CHECK(b->apply(r, lane, 0) == LinearLayout::Coord{w * t + 4 * w * j + e, g});
      }
    }
  }
  // Warps split the accumulator (N first); operands are replicated over the other dim's warps.
  const Layout *mma22 = ctx.mma(2, {2, 2}, {16, 8});
  auto c22 = LinearLayout::get(mma22, {64, 32});
  auto a22 = LinearLayout::get(ctx.dotOperand(0, mma22, 2), {64, 32});
  REQUIRE(c22);
  REQUIRE(a22);
  CHECK(holders(*c22).size() == 64 * 32);
  CHECK(c22->warpBases() == std::vector<LinearLayout::Coord>{{0, 8}, {16, 0}});
  CHECK(a22->warpBases() == std::vector<LinearLayout::Coord>{{0, 0}, {16, 0}});
  CHECK(a22->freeWarpMask() == 1);
}

TEST_CASE("slices hold what their parent's threads hold, so expand_dims and broadcast stay "
          "in registers") {
  Context ctx;
  const Layout *parent = ctx.blocked({1, 4}, {8, 4}, {4, 1}, {1, 0});
  for (unsigned dim : {0u, 1u}) {
    CAPTURE(dim);
    const Layout *slice = ctx.slice(dim, parent);
    auto s = LinearLayout::get(slice, {64});
    std::vector<int64_t> expandedShape =
        dim == 0 ? std::vector<int64_t>{1, 64} : std::vector<int64_t>{64, 1};
    auto e = LinearLayout::get(parent, expandedShape);
    auto full = LinearLayout::get(parent, {64, 64});
    REQUIRE(s);
    REQUIRE(e);
    REQUIRE(full);
    const unsigned kept = 1 - dim;
    // Every thread holds, in the slice, exactly the kept coordinates it holds in the parent.
    for (unsigned w = 0; w < 4; ++w)
      for (unsigned lane = 0; lane < 32; ++lane) {
        std::set<int64_t> inSlice, inParent;
        for (unsigned r = 0; r < s->numRegisters(); ++r)
          inSlice.insert(s->apply(r, lane, w)[0]);
        for (unsigned r = 0; r < full->numRegisters(); ++r)
          inParent.insert(full->apply(r, lane, w)[kept]);
        CHECK(inSlice == inParent);
      }
    auto expand = LinearLayout::registerMapping(*s, *e, [dim](const LinearLayout::Coord &c) {
      LinearLayout::Coord out = c;
      out.erase(out.begin() + dim);
      return out;
    });
    REQUIRE(expand);
    auto broadcast = LinearLayout::registerMapping(*e, *full, [dim](const LinearLayout::Coord &c) {
      LinearLayout::Coord out = c;
      out[dim] = 0;
      return out;
    });
    REQUIRE(broadcast);
    for (unsigned r = 0; r < full->numRegisters(); ++r) {
      auto c = full->registerCoord(r);
      CHECK(e->registerCoord((*broadcast)[r])[kept] == c[kept]);
    }
  }
}

TEST_CASE("register mappings exist only when no element changes thread") {
  Context ctx;
  auto a = LinearLayout::get(ctx.blocked({1, 4}, {8, 4}, {4, 1}, {1, 0}), {64, 64});
  auto b = LinearLayout::get(ctx.blocked({4, 1}, {4, 8}, {1, 4}, {0, 1}), {64, 64});
  auto same = [](const LinearLayout::Coord &c) { return c; };
  CHECK(LinearLayout::registerMapping(*a, *a, same));
  CHECK(!LinearLayout::registerMapping(*a, *b, same));
  std::string why;
  CHECK(!LinearLayout::get(ctx.blocked({4}, {32}, {4}, {0}), {64, 64}, &why));
  CHECK(why.find("rank") != std::string::npos);
}

// ---- code generation

namespace {

/// out[i] = x[i] + y[i] for i < n, BLOCK = 1024, one 16-byte access per 4 registers.
void buildVectorAdd(Module &m, int64_t vec) {
  Context &ctx = m.context();
  const Layout *l = ctx.blocked({4}, {32}, {4}, {0});
  const Type *i32 = ctx.i32(), *f32 = ctx.f32(), *pf32 = ctx.pointer(f32);
  const Type *ti32 = ctx.block(i32, {1024}, l), *tf32 = ctx.block(f32, {1024}, l),
             *tp = ctx.block(pf32, {1024}, l), *ti1 = ctx.block(ctx.i1(), {1024}, l);
  Function *fn = m.addFunction("add_kernel", {});
  Value *x = fn->addParam(pf32, {"x", 16, {}});
  Value *y = fn->addParam(pf32, {"y", 16, {}});
  Value *out = fn->addParam(pf32, {"out", 16, {}});
  Value *n = fn->addParam(i32, {"n", 1, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(fn->body());
  Value *pid = b.createValue(OpCode::ProgramId, {}, i32, {}, attrs({{"axis", int64_t{0}}}));
  Value *base = b.createValue(OpCode::Mul, {pid, b.intConstant(1024, i32, {})}, i32, {});
  Value *range = b.createValue(OpCode::MakeRange, {}, ti32, {},
                               attrs({{"start", int64_t{0}}, {"end", int64_t{1024}}}));
  Value *offs =
      b.createValue(OpCode::Add, {b.createValue(OpCode::Splat, {base}, ti32, {}), range}, ti32, {});
  Value *mask = b.createValue(OpCode::Cmp, {offs, b.createValue(OpCode::Splat, {n}, ti32, {})}, ti1,
                              {}, attrs({{"pred", std::string("lt")}}));
  auto at = [&](Value *p) {
    return b.createValue(OpCode::AddPtr, {b.createValue(OpCode::Splat, {p}, tp, {}), offs}, tp, {});
  };
  Value *xv = b.createValue(OpCode::Load, {at(x), mask}, tf32, {}, attrs({{"vec", vec}}));
  Value *yv = b.createValue(OpCode::Load, {at(y), mask}, tf32, {}, attrs({{"vec", vec}}));
  Value *sum = b.createValue(OpCode::Add, {xv, yv}, tf32, {});
  b.create(OpCode::Store, {at(out), sum, mask}, {}, attrs({{"vec", vec}}), {});
  b.create(OpCode::Return, {}, {}, {}, {});
}

struct Compiled {
  bool ok = false;
  std::string llvmIR, assembly, binary;
  std::vector<KernelInfo> kernels;
  DiagnosticEngine diags;
  std::string messages() const {
    std::string s;
    for (const Diagnostic &d : diags.diagnostics()) {
      s += d.message + "\n";
      for (const auto &note : d.notes)
        s += "  " + note.message + "\n";
    }
    return s;
  }
};

/// Why the tools that turn a module into a binary for a CUDA (ptxas, libdevice) or AMD (ld.lld,
/// the ROCm bitcode) target cannot be found; empty when they can. A missing tool fails the
/// test that needs it (this project counts a missing tool as a failure, never a skip).
std::string missingTools(bool cuda) {
  std::string error;
  if (cuda) {
    if (findPtxas({}, error).empty() || findLibdevice({}, error).empty())
      return error;
  } else if (findLdLld({}, error).empty() || findRocmBitcodeDir({}, error).empty()) {
    return error;
  }
  return {};
}

std::unique_ptr<Target> makeTarget(const std::string &arch) {
  TargetInfo info;
  std::string error;
  REQUIRE(targetInfoForArch(arch, info, error));
  std::unique_ptr<Target> target = createTarget(info, {}, error);
  INFO(error);
  REQUIRE(target);
  return target;
}

/// Lowers, links, optimizes and builds the binary (a missing ptxas or ld.lld fails the test), or
/// with binary = false only the assembly.
void compile(const Module &m, const std::string &arch, Compiled &out, bool binary = true) {
  std::unique_ptr<Target> target = makeTarget(arch);
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> mod;
  out.ok = emitLLVM(m, *target, ctx, mod, out.kernels, out.diags) &&
           linkMathLibrary(*mod, *target, out.diags) && optimize(*mod, *target, 3, out.diags);
  if (!out.ok)
    return;
  llvm::raw_string_ostream os(out.llvmIR);
  mod->print(os, nullptr);
  if (binary) {
    const std::string missing = missingTools(target->info().isCuda());
    REQUIRE_MESSAGE(missing.empty(), "cannot build a binary for " << arch << ": " << missing);
    out.ok = emitBinary(*mod, *target, out.binary, out.diags, &out.assembly);
  } else {
    out.ok = emitAssembly(*mod, *target, out.assembly, out.diags);
  }
}

size_t count(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

} // namespace

TEST_CASE("vector add: vectorized PTX that ptxas accepts for sm_80 and sm_90a") {
  Context ctx;
  Module m(ctx);
  buildVectorAdd(m, 4);
  for (std::string arch : {"sm_80", "sm_90a"}) {
    CAPTURE(arch);
    Compiled c;
    compile(m, arch, c);
    INFO(c.messages());
    REQUIRE(c.ok);
    CHECK(c.assembly.find(".visible .entry add_kernel(") != std::string::npos);
    CHECK(c.assembly.find(".maxntid 128") != std::string::npos);
    CHECK(count(c.assembly, "ld.global.v4.b32") == 4); // 8 registers, 2 loads
    CHECK(count(c.assembly, "st.global.v4.b32") == 2);
    CHECK(c.binary.substr(0, 4) == "\x7f"
                                   "ELF");
    REQUIRE(c.kernels.size() == 1);
    const KernelInfo &k = c.kernels[0];
    CHECK(k.block == std::array<unsigned, 3>{128, 1, 1});
    CHECK(k.sharedBytes == 0);
    REQUIRE(k.params.size() == 4);
    CHECK(k.params[0].type == "*fp32");
    CHECK(k.params[0].divisibility == 16);
    CHECK(k.params[0].size == 8);
    CHECK(k.params[3].type == "i32");
    CHECK(k.params[3].size == 4);
  }
}

TEST_CASE("vector add without vec uses scalar accesses") {
  Context ctx;
  Module m(ctx);
  buildVectorAdd(m, 1);
  Compiled c;
  compile(m, "sm_90a", c, /*binary=*/false);
  INFO(c.messages());
  REQUIRE(c.ok);
  CHECK(count(c.assembly, "ld.global.v4") == 0);
  CHECK(count(c.assembly, "ld.global.b32") == 16);
}

TEST_CASE("vector add for gfx942 links into an hsaco") {
  Context ctx;
  Module m(ctx);
  // gfx942 runs 64-lane waves: the same kernel with tpw = 64, 2 warps.
  const Layout *l = ctx.blocked({4}, {64}, {2}, {0});
  const Type *i32 = ctx.i32(), *f32 = ctx.f32(), *pf32 = ctx.pointer(f32);
  const Type *ti32 = ctx.block(i32, {512}, l), *tf32 = ctx.block(f32, {512}, l),
             *tp = ctx.block(pf32, {512}, l);
  Function *fn = m.addFunction("copy", {});
  fn->numWarps = 2;
  Value *x = fn->addParam(pf32, {"x", 16, {}});
  Value *out = fn->addParam(pf32, {"out", 16, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(fn->body());
  Value *range = b.createValue(OpCode::MakeRange, {}, ti32, {},
                               attrs({{"start", int64_t{0}}, {"end", int64_t{512}}}));
  Value *px =
      b.createValue(OpCode::AddPtr, {b.createValue(OpCode::Splat, {x}, tp, {}), range}, tp, {});
  Value *po =
      b.createValue(OpCode::AddPtr, {b.createValue(OpCode::Splat, {out}, tp, {}), range}, tp, {});
  Value *v = b.createValue(OpCode::Load, {px}, tf32, {}, attrs({{"vec", int64_t{4}}}));
  Value *e = b.createValue(OpCode::Exp, {v}, tf32, {});
  Value *s = b.createValue(OpCode::Sin, {e}, tf32, {});
  b.create(OpCode::Store, {po, s}, {}, attrs({{"vec", int64_t{4}}}), {});
  b.create(OpCode::Return, {}, {}, {}, {});
  Compiled c;
  compile(m, "gfx942", c);
  INFO(c.messages());
  REQUIRE(c.ok);
  CHECK(c.binary.substr(0, 4) == "\x7f"
                                 "ELF");
  CHECK(c.assembly.find("global_load_dwordx4") != std::string::npos);
  CHECK(c.assembly.find("v_exp_f32") != std::string::npos);
  CHECK(c.llvmIR.find("declare float @__ocml_sin_f32") == std::string::npos); // linked
}

TEST_CASE("2-D masked copy through slices, expand_dims and broadcast") {
  Context ctx;
  Module m(ctx);
  const Layout *p = ctx.blocked({1, 4}, {8, 4}, {4, 1}, {1, 0});
  const Layout *rowsL = ctx.slice(1, p), *colsL = ctx.slice(0, p);
  const Type *i32 = ctx.i32(), *f32 = ctx.f32(), *pf32 = ctx.pointer(f32), *i1 = ctx.i1();
  Function *fn = m.addFunction("copy2d", {});
  Value *x = fn->addParam(pf32, {"x", 16, {}});
  Value *out = fn->addParam(pf32, {"out", 16, {}});
  Value *rowsN = fn->addParam(i32, {"M", 1, {}});
  Value *colsN = fn->addParam(i32, {"N", 1, {}});
  Value *stride = fn->addParam(i32, {"stride", 16, {}});
  Builder b(ctx);
  b.setInsertionPointToEnd(fn->body());
  auto T = [&](const Type *e, std::vector<int64_t> shape, const Layout *l) {
    return ctx.block(e, std::move(shape), l);
  };
  auto V = [&](OpCode code, std::vector<Value *> ops, const Type *t, AttrList a = {}) {
    return b.createValue(code, std::move(ops), t, {}, std::move(a));
  };
  Value *pid = V(OpCode::ProgramId, {}, i32, attrs({{"axis", int64_t{0}}}));
  Value *rowBase = V(OpCode::Mul, {pid, b.intConstant(64, i32, {})}, i32);
  Value *rows = V(OpCode::Add,
                  {V(OpCode::Splat, {rowBase}, T(i32, {64}, rowsL)),
                   V(OpCode::MakeRange, {}, T(i32, {64}, rowsL),
                     attrs({{"start", int64_t{0}}, {"end", int64_t{64}}}))},
                  T(i32, {64}, rowsL));
  Value *cols = V(OpCode::MakeRange, {}, T(i32, {64}, colsL),
                  attrs({{"start", int64_t{0}}, {"end", int64_t{64}}}));
  Value *rowMask = V(OpCode::Cmp, {rows, V(OpCode::Splat, {rowsN}, T(i32, {64}, rowsL))},
                     T(i1, {64}, rowsL), attrs({{"pred", std::string("lt")}}));
  Value *colMask = V(OpCode::Cmp, {cols, V(OpCode::Splat, {colsN}, T(i32, {64}, colsL))},
                     T(i1, {64}, colsL), attrs({{"pred", std::string("lt")}}));
  auto rowsTo2d = [&](Value *v, const Type *e) {
    Value *ex = V(OpCode::ExpandDims, {v}, T(e, {64, 1}, p), attrs({{"axis", int64_t{1}}}));
    return std::make_pair(ex, T(e, {64, 64}, p));
  };
  auto colsTo2d = [&](Value *v, const Type *e) {
    Value *ex = V(OpCode::ExpandDims, {v}, T(e, {1, 64}, p), attrs({{"axis", int64_t{0}}}));
    return std::make_pair(ex, T(e, {64, 64}, p));
  };
  auto [r2, r2full] = rowsTo2d(rows, i32);
  Value *rowOff =
      V(OpCode::Mul, {r2, V(OpCode::Splat, {stride}, T(i32, {64, 1}, p))}, T(i32, {64, 1}, p));
  auto [c2, c2full] = colsTo2d(cols, i32);
  Value *offs =
      V(OpCode::Add, {V(OpCode::Broadcast, {rowOff}, r2full), V(OpCode::Broadcast, {c2}, c2full)},
        r2full);
  auto [rm, rmFull] = rowsTo2d(rowMask, i1);
  auto [cm, cmFull] = colsTo2d(colMask, i1);
  Value *mask = V(OpCode::And,
                  {V(OpCode::Broadcast, {rm}, rmFull), V(OpCode::Broadcast, {cm}, cmFull)}, rmFull);
  const Type *tp = T(pf32, {64, 64}, p), *tf = T(f32, {64, 64}, p);
  Value *px = V(OpCode::AddPtr, {V(OpCode::Splat, {x}, tp), offs}, tp);
  Value *po = V(OpCode::AddPtr, {V(OpCode::Splat, {out}, tp), offs}, tp);
  Value *zero = b.floatConstant(0.0, tf, {});
  Value *v = V(OpCode::Load, {px, mask, zero}, tf, attrs({{"vec", int64_t{4}}}));
  Value *twice = V(OpCode::Mul, {v, b.floatConstant(2.0, tf, {})}, tf);
  b.create(OpCode::Store, {po, twice, mask}, {}, attrs({{"vec", int64_t{4}}}), {});
  b.create(OpCode::Return, {}, {}, {}, {});

  for (std::string arch : {"sm_80", "sm_90a"}) {
    CAPTURE(arch);
    Compiled c;
    compile(m, arch, c);
    INFO(c.messages());
    REQUIRE(c.ok);
    // 32 registers per thread in groups of 4 along the contiguous dim.
    CHECK(count(c.assembly, "ld.global.v4.b32") == 8);
    CHECK(count(c.assembly, "st.global.v4.b32") == 8);
  }
}

TEST_CASE("unsupported ops are located errors") {
  Context ctx;
  Module m(ctx);
  const Layout *l = ctx.blocked({1}, {32}, {4}, {0});
  const Type *t = ctx.block(ctx.i32(), {128}, l);
  Function *fn = m.addFunction("k", {});
  Builder b(ctx);
  b.setInsertionPointToEnd(fn->body());
  SourceLoc loc{1, 7, 3};
  Value *a = b.intConstant(1, t, {});
  AttrList axis;
  axis.set("axis", int64_t{3}); // out of range for a 1-D block
  b.createValue(OpCode::Gather, {a, a}, t, loc, std::move(axis));
  b.create(OpCode::Return, {}, {}, {}, {});
  std::unique_ptr<Target> target = makeTarget("sm_90a");
  llvm::LLVMContext llctx;
  std::unique_ptr<llvm::Module> mod;
  std::vector<KernelInfo> kernels;
  DiagnosticEngine diags;
  CHECK(!emitLLVM(m, *target, llctx, mod, kernels, diags));
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(diags.diagnostics()[0].message == "malformed 'gather'");
  CHECK(diags.diagnostics()[0].range.begin.line == 7);
}

namespace {

/// One kernel touching every op codegen supports, as IR text; `lanes` × `warps` threads.
std::string kitchenSink(int lanes, int warps) {
  std::string l = "#blocked<spt = [8], tpw = [" + std::to_string(lanes) + "], wpc = [" +
                  std::to_string(warps) + "], order = [0]>";
  std::string s = "#blocked<spt = [1], tpw = [" + std::to_string(lanes) + "], wpc = [" +
                  std::to_string(warps) + "], order = [0]>";
  return "#l = " + l + "\n#s = " + s + R"(
kernel @sink(%h: ptr<f16> {divisibility = 16}, %b: ptr<bf16> {divisibility = 16},
             %q: ptr<f8e4nv> {divisibility = 16}, %m: ptr<i1> {divisibility = 16},
             %d: ptr<f64> {divisibility = 16}, %out: ptr<f32> {divisibility = 16},
             %flag: i1, %scale: f16, %n: i32, %u: u32)
    attributes {num_warps = )" +
         std::to_string(warps) + R"(} {
  %pid = program_id {axis = 1} : i32
  %np = num_programs {axis = 0} : i32
  %offs = arange {start = 0, end = 1024} : tensor<1024xi32, #l>
  %nb = splat %n : tensor<1024xi32, #l>
  %mask = cmp %offs, %nb {pred = "lt"} : tensor<1024xi1, #l>
  %hs = splat %h : tensor<1024xptr<f16>, #l>
  %ph = addptr %hs, %offs : tensor<1024xptr<f16>, #l>
  %hv = load %ph, %mask {vec = 8, cache = ".cg", evict = "evict_last"} : tensor<1024xf16, #l>
  %sc = splat %scale : tensor<1024xf16, #l>
  %hv2 = mul %hv, %sc : tensor<1024xf16, #l>
  %bs = splat %b : tensor<1024xptr<bf16>, #l>
  %pb = addptr %bs, %offs : tensor<1024xptr<bf16>, #l>
  %bv = load %pb {vec = 8} : tensor<1024xbf16, #l>
  %qs = splat %q : tensor<1024xptr<f8e4nv>, #l>
  %pq = addptr %qs, %offs : tensor<1024xptr<f8e4nv>, #l>
  %qv = load %pq {vec = 8} : tensor<1024xf8e4nv, #l>
  %ms = splat %m : tensor<1024xptr<i1>, #l>
  %pm = addptr %ms, %offs : tensor<1024xptr<i1>, #l>
  %mv = load %pm {vec = 8} : tensor<1024xi1, #l>
  %ds = splat %d : tensor<1024xptr<f64>, #l>
  %pd = addptr %ds, %offs : tensor<1024xptr<f64>, #l>
  %dv = load %pd, %mask {vec = 2, volatile = true} : tensor<1024xf64, #l>
  %hf = cast %hv2 : tensor<1024xf32, #l>
  %bf = cast %bv : tensor<1024xf32, #l>
  %qf = cast %qv : tensor<1024xf32, #l>
  %df = cast %dv : tensor<1024xf32, #l>
  %e = exp %hf : tensor<1024xf32, #l>
  %e2 = exp2 %bf : tensor<1024xf32, #l>
  %lg = log %e : tensor<1024xf32, #l>
  %lg2 = log2 %e2 : tensor<1024xf32, #l>
  %sq = sqrt %lg : tensor<1024xf32, #l>
  %sqr = sqrt_rn %lg2 : tensor<1024xf32, #l>
  %rs = rsqrt %sqr : tensor<1024xf32, #l>
  %sn = sin %sq : tensor<1024xf32, #l>
  %cs = cos %rs : tensor<1024xf32, #l>
  %fl = floor %sn : tensor<1024xf32, #l>
  %ce = ceil %cs : tensor<1024xf32, #l>
  %er = erf %qf : tensor<1024xf32, #l>
  %ab = abs %er : tensor<1024xf32, #l>
  %dr = div_rn %fl, %ce : tensor<1024xf32, #l>
  %fd = fdiv %dr, %ab : tensor<1024xf32, #l>
  %dv2 = div %fd, %df : tensor<1024xf32, #l>
  %fm = fma %dv2, %hf, %bf : tensor<1024xf32, #l>
  %mx = max %fm, %qf {propagate_nan = true} : tensor<1024xf32, #l>
  %mn = min %mx, %bf : tensor<1024xf32, #l>
  %th = extern_call %mn {name = "tanh"} : tensor<1024xf32, #l>
  %dexp = exp %dv : tensor<1024xf64, #l>
  %dsq = sqrt %dexp : tensor<1024xf64, #l>
  %dbk = cast %dsq : tensor<1024xf32, #l>
  %hexp = exp %hv : tensor<1024xf16, #l>
  %hbk = cast %hexp : tensor<1024xf32, #l>
  %t0 = add %th, %dbk : tensor<1024xf32, #l>
  %t1 = add %t0, %hbk : tensor<1024xf32, #l>
  %zero = constant {value = 0.0} : tensor<1024xf32, #l>
  %sel = select %mv, %t1, %zero : tensor<1024xf32, #l>
  %c0 = constant {value = 0} : i32
  %c1 = constant {value = 1} : i32
  %acc = for %c0, %n, %c1, %sel : tensor<1024xf32, #l> {
  ^(%i: i32, %a: tensor<1024xf32, #l>):
    %a2 = mul %a, %a : tensor<1024xf32, #l>
    yield %a2
  }
  %r = if %flag : tensor<1024xf32, #l> {
    %neg = neg %acc : tensor<1024xf32, #l>
    yield %neg
  } {
    yield %acc
  }
  %w = while %c1 : i32 {
  ^(%k: i32):
    %go = cmp %k, %n {pred = "lt"} : i1
    condition %go, %k
  } {
  ^(%k2: i32):
    %k3 = shl %k2, %c1 : i32
    yield %k3
  }
  %uw = cast %w : u32
  %uq = div %uw, %u : u32
  %hi = umulhi %uq, %u : u32
  %wf = cast %hi : f32
  %wb = splat %wf : tensor<1024xf32, #l>
  %res = add %r, %wb : tensor<1024xf32, #l>
  %conv = convert_layout %res : tensor<1024xf32, #s>
  %offs2 = arange {start = 0, end = 1024} : tensor<1024xi32, #s>
  %os = splat %out : tensor<1024xptr<f32>, #s>
  %po = addptr %os, %offs2 : tensor<1024xptr<f32>, #s>
  store %po, %conv {cache = ".cs", evict = "evict_first"}
  %q8 = cast %res : tensor<1024xf8e5, #l>
  %q8s = bitcast %q8 : tensor<1024xu8, #l>
  %q8f = bitcast %q8s : tensor<1024xf8e5, #l>
  %q8b = cast %q8f : tensor<1024xf8e4nv, #l>
  store %pq, %q8b, %mask {vec = 8, evict = "evict_first"}
  %hz = cast %res {rounding = "rtz"} : tensor<1024xf16, #l>
  store %ph, %hz {vec = 8, evict = "evict_first"}
  %nm = not %mv : tensor<1024xi1, #l>
  store %pm, %nm {vec = 8}
  %sp = addptr %out, %pid : ptr<f32>
  %npf = cast %np : f32
  %total = reduce %res {axis = 0} : f32 {
  ^(%x0: f32, %x1: f32):
    %x2 = add %x0, %x1 : f32
    yield %x2
  }
  %tot = add %total, %npf : f32
  store %sp, %tot
  %oldf = atomic_rmw %po, %conv {kind = "add"} : tensor<1024xf32, #s>
  %mxf = atomic_rmw %po, %oldf {kind = "max", sem = "relaxed", scope = "cta"} : tensor<1024xf32, #s>
  %hadd = atomic_rmw %ph, %hz, %mask {kind = "add"} : tensor<1024xf16, #l>
  %bz = cast %hadd : tensor<1024xbf16, #l>
  %badd = atomic_rmw %pb, %bz {kind = "add", scope = "sys"} : tensor<1024xbf16, #l>
  %offs64 = cast %offs2 : tensor<1024xi64, #s>
  %ds2 = splat %d : tensor<1024xptr<f64>, #s>
  %pd2 = addptr %ds2, %offs2 : tensor<1024xptr<f64>, #s>
  %pi64 = bitcast %pd2 : tensor<1024xptr<i64>, #s>
  %imax = atomic_rmw %pi64, %offs64 {kind = "max", sem = "release"} : tensor<1024xi64, #s>
  %ux = cast %imax : tensor<1024xu64, #s>
  %pu64 = bitcast %pd2 : tensor<1024xptr<u64>, #s>
  %umin = atomic_rmw %pu64, %ux {kind = "min", sem = "acquire"} : tensor<1024xu64, #s>
  %pi32 = bitcast %po : tensor<1024xptr<i32>, #s>
  %ix = cast %umin : tensor<1024xi32, #s>
  %xch = atomic_rmw %pi32, %ix {kind = "xchg"} : tensor<1024xi32, #s>
  %cas = atomic_cas %sp, %tot, %npf : f32
  %casv = add %cas, %cas : f32
  store %sp, %casv
  barrier
  return
}
)";
}

} // namespace

TEST_CASE("every supported op assembles for sm_80, sm_90a and sm_100a") {
  Context ctx;
  SourceManager sm;
  DiagnosticEngine parseDiags;
  std::unique_ptr<Module> m =
      parseModule(ctx, sm, sm.addFile("sink.tir", kitchenSink(32, 4)), parseDiags);
  REQUIRE(m);
  bool verified = verifyModule(*m, parseDiags);
  INFO(
      (parseDiags.diagnostics().empty() ? std::string() : parseDiags.diagnostics().back().message));
  REQUIRE(verified);
  for (std::string arch : {"sm_80", "sm_90a", "sm_100a"}) {
    CAPTURE(arch);
    Compiled c;
    compile(*m, arch, c);
    INFO(c.messages());
    REQUIRE(c.ok);
    const std::string &ptx = c.assembly;
    CHECK(ptx.find("ld.global.cg.v4.b32") != std::string::npos);       // 8 × f16
    CHECK(ptx.find("ld.volatile.global.v2.b64") != std::string::npos); // 2 × f64
    CHECK(ptx.find("ld.global.v2.b32") != std::string::npos);          // 8 × fp8 or i1 bytes
    CHECK(ptx.find("st.global.cs.b32") != std::string::npos);
    CHECK(ptx.find("st.global.L1::evict_first.v2.b32") != std::string::npos);
    CHECK(ptx.find("ex2.approx.f32") != std::string::npos);
    CHECK(ptx.find("sqrt.approx.f32") != std::string::npos);
    CHECK(ptx.find("sqrt.rn.f32") != std::string::npos);
    CHECK(ptx.find("div.full.f32") != std::string::npos);
    CHECK(ptx.find("div.rn.f32") != std::string::npos);
    CHECK(ptx.find("max.NaN.f32") != std::string::npos);
    CHECK(ptx.find("bar.sync") != std::string::npos);
    CHECK(ptx.find("shfl.sync.bfly.b32") != std::string::npos);
    CHECK(ptx.find("atom.acq_rel.gpu.global.add.f32") != std::string::npos);
    CHECK(ptx.find("atom.acq_rel.gpu.global.add.noftz.f16") != std::string::npos);
    CHECK(ptx.find("atom.release.gpu.global.max.s64") != std::string::npos);
    CHECK(ptx.find("atom.acquire.gpu.global.min.u64") != std::string::npos);
    CHECK(ptx.find("atom.acq_rel.gpu.global.exch.b32") != std::string::npos);
    CHECK(ptx.find("atom.acq_rel.gpu.global.cas.b32") != std::string::npos);
    // float max has no PTX atom: a compare-and-swap loop with the requested order and scope
    CHECK(ptx.find("atom.relaxed.cta.global.cas.b32") != std::string::npos);
    CHECK(ptx.find("global_smem") != std::string::npos);
    CHECK(ptx.find("%ctaid.y") != std::string::npos);
    CHECK(ptx.find("%nctaid.x") != std::string::npos);
    CHECK(ptx.find("call") == std::string::npos);                    // libdevice linked and inlined
    CHECK(ptx.find(".param .u8 sink_param_6") != std::string::npos); // i1 is a byte
    REQUIRE(c.kernels.size() == 1);
    CHECK(c.kernels[0].sharedBytes == 4096);
    CHECK(c.kernels[0].params[6].size == 1);
    CHECK(c.kernels[0].params[7].type == "fp16");
    CHECK(c.kernels[0].params[7].size == 2);
    CHECK(c.kernels[0].params[2].type == "*fp8e4nv");
  }
}

TEST_CASE("every supported op links into a gfx942 code object") {
  Context ctx;
  SourceManager sm;
  DiagnosticEngine parseDiags;
  std::unique_ptr<Module> m =
      parseModule(ctx, sm, sm.addFile("sink.tir", kitchenSink(64, 2)), parseDiags);
  REQUIRE(m);
  Compiled c;
  compile(*m, "gfx942", c);
  INFO(c.messages());
  REQUIRE(c.ok);
  CHECK(c.binary.substr(0, 4) == "\x7f"
                                 "ELF");
  CHECK(c.assembly.find("s_barrier") != std::string::npos);
  CHECK(c.assembly.find("ds_bpermute_b32") != std::string::npos);
  CHECK(c.kernels[0].block == std::array<unsigned, 3>{128, 1, 1});
}

TEST_CASE("codegen errors name the op and the problem") {
  auto lowerError = [](const std::string &body) {
    Context ctx;
    SourceManager sm;
    DiagnosticEngine diags;
    std::string text = "#l = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>\n"
                       "kernel @k(%p: ptr<f32>, %f: f32) attributes {num_warps = 4} {\n" +
                       body + "  return\n}\n";
    std::unique_ptr<Module> m = parseModule(ctx, sm, sm.addFile("e.tir", text), diags);
    REQUIRE(m);
    std::unique_ptr<Target> target = makeTarget("sm_90a");
    llvm::LLVMContext llctx;
    std::unique_ptr<llvm::Module> mod;
    std::vector<KernelInfo> kernels;
    if (emitLLVM(*m, *target, llctx, mod, kernels, diags))
      return std::string("<ok>");
    const Diagnostic &d = diags.diagnostics().at(0);
    return std::to_string(d.range.begin.line) + ": " + d.message;
  };
  CHECK(lowerError("  %x = extern_call %f {name = \"no_such_fn\"} : f32\n") ==
        "3: the math library of sm_90a has no function '__nv_no_such_fnf'");
  CHECK(lowerError("  %x = extern_call %f, %f {name = \"__nv_expf\"} : f32\n") ==
        "3: '__nv_expf' has type float (float), but is called as float (float, float)");
  CHECK(lowerError("  %a = arange {start = 0, end = 64} : tensor<64xi32, "
                   "#blocked<spt = [1], tpw = [16], wpc = [4], order = [0]>>\n") ==
        "3: tensor<64xi32, #blocked<spt = [1], tpw = [16], wpc = [4], order = [0]>> spreads "
        "over 16 lanes, but a warp of sm_90a has 32");
  CHECK(lowerError("  %a = arange {start = 0, end = 64} : tensor<64xi32, #l>\n"
                   "  %c = cast %a : tensor<64xf8e5, #l>\n"
                   "  %d = add %c, %c : tensor<64xf8e5, #l>\n") ==
        "5: 'add' on fp8 values is not supported; cast them to a wider float first");
  CHECK(lowerError("  %x = cast %f {rounding = \"rtz\"} : f8e5\n") ==
        "3: rounding = \"rtz\" is not supported for fp8 results");
  CHECK(lowerError("  %a = arange {start = 0, end = 64} : tensor<64xi32, #l>\n"
                   "  %s = splat %p : tensor<64xptr<f32>, #l>\n"
                   "  %q = addptr %s, %a : tensor<64xptr<f32>, #l>\n"
                   "  %v = load %q {cache = \".wb\"} : tensor<64xf32, #l>\n") ==
        "6: unknown cache modifier '.wb' for a load");
  CHECK(lowerError("  %a = arange {start = 0, end = 64} : tensor<64xi32, #l>\n"
                   "  %r = reshape %a : tensor<8x8xi32, #blocked<spt = [1, 1], tpw = [4, 8], "
                   "wpc = [4, 1], order = [1, 0]>>\n") == "<ok>");
}

TEST_CASE("kernel symbols are valid PTX identifiers") {
  Context ctx;
  SourceManager sm;
  DiagnosticEngine diags;
  std::unique_ptr<Module> m = parseModule(
      ctx, sm, sm.addFile("n.tir", "kernel @\"my kernel.2\"(%n: i32) {\n  return\n}\n"), diags);
  REQUIRE(m);
  Compiled c;
  compile(*m, "sm_90a", c);
  INFO(c.messages());
  REQUIRE(c.ok);
  REQUIRE(c.kernels.size() == 1);
  CHECK(c.kernels[0].name == "my kernel.2");
  CHECK(c.kernels[0].symbol == "my_kernel_2");
  CHECK(c.assembly.find(".entry my_kernel_2(") != std::string::npos);
}

TEST_CASE("ptxas -v: each entry's resources, the rest kept as warnings") {
  // The report of CUDA 13's ptxas for two entries and a device function (whose properties are
  // not an entry's), with a warning in between.
  const std::string output =
      "ptxas info    : 0 bytes gmem\n"
      "ptxas info    : Compiling entry function 'k_0d1d' for 'sm_90a'\n"
      "ptxas info    : Function properties for k_0d1d\n"
      "    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads\n"
      "ptxas info    : Used 26 registers, used 0 barriers\n"
      "ptxas warning : Registers are spilled to local memory in function "
      "'k', 8 bytes spill stores\n"
      "ptxas info    : Function properties for helper\n"
      "    16 bytes stack frame, 4 bytes spill stores, 4 bytes spill loads\n"
      "ptxas info    : Compiling entry function 'k' for 'sm_90a'\n"
      "ptxas info    : Function properties for k\n"
      "    24 bytes stack frame, 8 bytes spill stores, 12 bytes spill loads\n"
      "ptxas info    : Used 255 registers, used 1 barriers, 1024 bytes "
      "smem, 368 bytes cmem[0]\n"
      "ptxas info    : Compile time = 1.2 ms\n";
  std::vector<tritonc::KernelResources> r;
  std::string rest = tritonc::parsePtxasInfo(output, r);
  CHECK(rest == "ptxas warning : Registers are spilled to local memory in function 'k', 8 bytes "
                "spill stores");
  REQUIRE(r.size() == 2);
  CHECK(r[0].symbol == "k_0d1d");
  CHECK(r[0].registers == 26);
  CHECK(r[0].stackBytes == 0);
  CHECK(r[1].symbol == "k");
  CHECK(r[1].registers == 255);
  CHECK(r[1].stackBytes == 24);
  CHECK(r[1].spillStores == 8);
  CHECK(r[1].spillLoads == 12);
  CHECK(r[1].staticSharedBytes == 1024);
}
