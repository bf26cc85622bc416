// The shared-memory allocation analysis (passes/Allocation.h) on small GPU-IR kernels: which
// ops get buffers and how big, lifetimes (scratch for one op, values to their last use, tiles to
// their drain, a use inside a loop keeping a value alive through the loop), reuse of bytes between
// buffers whose lifetimes do not overlap, alignment, and the over-limit error.
#include "ir/Parser.h"
#include "passes/Allocation.h"

#include <doctest/doctest.h>

#include <set>

using namespace tritonc;

namespace {

struct Parsed {
  Context ctx;
  SourceManager sources;
  std::unique_ptr<Module> module;
  Function &fn() { return *module->functions().front(); }
  /// The op defining the value named `name` (e.g. "y" for %y).
  const Operation &op(const std::string &name) {
    const Operation *found = nullptr;
    fn().walk([&](Operation *o) {
      for (Value *r : o->results())
        if (r->name() == name)
          found = o;
    });
    REQUIRE(found);
    return *found;
  }
};

std::unique_ptr<Parsed> parse(const std::string &text) {
  auto p = std::make_unique<Parsed>();
  DiagnosticEngine diags;
  uint32_t id = p->sources.addFile("alloc.tir", text);
  p->module = parseModule(p->ctx, p->sources, id, diags);
  REQUIRE(p->module);
  return p;
}

const char *kLayouts = R"(#l0 = #blocked<spt = [1, 4], tpw = [4, 8], wpc = [4, 1], order = [1, 0]>
#l1 = #blocked<spt = [4, 1], tpw = [8, 4], wpc = [1, 4], order = [0, 1]>
#r = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>
)";

TargetInfo sm80() {
  TargetInfo t;
  std::string error;
  REQUIRE(targetInfoForArch("sm_80", t, error));
  return t;
}

} // namespace

TEST_CASE("allocation: scratch of ops that do not overlap in time shares bytes") {
  auto p = parse(std::string(kLayouts) + R"(
kernel @k(%p: ptr<f32>) attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {
  %x = constant {value = 1.0} : tensor<64x64xf32, #l0>
  %y = convert_layout %x : tensor<64x64xf32, #l1>
  %a = constant {value = 1.0} : tensor<32x32xf16, #l0>
  %b = convert_layout %a : tensor<32x32xf16, #l1>
  %c = convert_layout %y : tensor<64x64xf32, #l1>
  return
}
)");
  TargetInfo target = sm80();
  SharedMemoryAllocation alloc(p->fn(), target);
  alloc.assignOffsets();
  const SharedBuffer *y = alloc.scratch(p->op("y"));
  const SharedBuffer *b = alloc.scratch(p->op("b"));
  REQUIRE(y);
  REQUIRE(b);
  CHECK(y->kind == SharedBuffer::Kind::Scratch);
  // #l0 -> #l1 is a transpose: the tile is swizzled in 4-element vectors (relayoutPlan), rows
  // unpadded.
  CHECK(y->bytes() == 64 * 64 * 4);
  CHECK(y->first == y->last); // live while its op runs
  CHECK(b->bytes() == 32 * 32 * 2);
  // Both start at 0: their lifetimes do not overlap; the total is the larger, not the sum.
  CHECK(y->offset == 0);
  CHECK(b->offset == 0);
  CHECK(alloc.totalBytes() == 64 * 64 * 4);
  // A convert_layout that keeps every element in its thread needs none.
  CHECK_FALSE(alloc.scratch(p->op("c")));
  CHECK(alloc.fits());
}

TEST_CASE("allocation: a value buffer lives to its last use, through a loop using it") {
  auto p = parse(std::string(kLayouts) + R"(
kernel @k(%p: ptr<f32>, %n: i32) attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {
  %x = constant {value = 1.0} : tensor<64x64xf32, #l0>
  %v = constant {value = 2.0} : tensor<64x64xf32, #l0>
  %lo = constant {value = 0} : i32
  %one = constant {value = 1} : i32
  %out = for %lo, %n, %one, %x : tensor<64x64xf32, #l0> {
  ^(%i: i32, %acc: tensor<64x64xf32, #l0>):
    %t = convert_layout %acc : tensor<64x64xf32, #l1>
    %u = convert_layout %t : tensor<64x64xf32, #l0>
    %w = add %u, %v : tensor<64x64xf32, #l0>
    yield %w
  }
  %after = convert_layout %out : tensor<64x64xf32, #l1>
  return
}
)");
  TargetInfo target = sm80();
  SharedMemoryAllocation alloc(p->fn(), target);
  // %v as a software pipeline would keep it: 3 stages of 1000 bytes (rounded up to 1008 each),
  // used inside the loop, so live from its definition to the end of the loop.
  alloc.addValueBuffer(*p->op("v").result(), 1000, 3, "pipelined %v");
  alloc.assignOffsets();
  const SharedBuffer *v = alloc.valueBuffer(*p->op("v").result());
  const SharedBuffer *t = alloc.scratch(p->op("t"));
  const SharedBuffer *u = alloc.scratch(p->op("u"));
  const SharedBuffer *after = alloc.scratch(p->op("after"));
  REQUIRE(v);
  REQUIRE(t);
  REQUIRE(u);
  REQUIRE(after);
  CHECK(v->kind == SharedBuffer::Kind::Value);
  CHECK(v->bytesPerStage == 1008); // 16-byte granules
  CHECK(v->bytes() == 3 * 1008);
  const SharedBuffer &loopOp = *alloc.scratch(p->op("t")); // inside the loop
  CHECK(v->overlapsInTime(loopOp));
  CHECK_FALSE(v->overlapsInTime(*after));
  // The loop's scratch buffers sit beside %v; the one after the loop reuses %v's bytes.
  CHECK(t->offset == 0);
  CHECK(u->offset == 0);
  CHECK(v->offset == 64 * 64 * 4);
  CHECK(after->offset == 0);
  CHECK(alloc.totalBytes() == 64 * 64 * 4 + 3 * 1008);
  for (const SharedBuffer &b : alloc.buffers())
    CHECK(b.offset % 16 == 0);
  // Scratch the table does not size (shape ops, gather) is placed at lowering time clear of the
  // buffers live at its op: inside the loop %v's bytes are taken; after it they are free, and
  // only the op's own planned scratch ([0, 16384)) is in the way.
  CHECK(alloc.placeUnplanned(p->op("w"), 100) == 0);
  CHECK(alloc.placeUnplanned(p->op("w"), 20000) == 64 * 64 * 4 + 3 * 1008);
  CHECK(alloc.placeUnplanned(p->op("after"), 20000) == 64 * 64 * 4);
  // The debug dump lists every buffer with its range.
  const std::string dump = alloc.str();
  CHECK(dump.find("shared memory of kernel 'k': 19408 bytes (limit 166912 on sm_80)") !=
        std::string::npos);
  CHECK(dump.find("[16384, 19408) value") != std::string::npos);
}

TEST_CASE("allocation: buffers live at the same time never overlap; alignment is kept") {
  auto p = parse(std::string(kLayouts) + R"(
kernel @k(%p: ptr<f32>) attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {
  %a = constant {value = 1.0} : tensor<64x64xf32, #l0>
  %b = constant {value = 1.0} : tensor<8x8xf32, #l0>
  %c = constant {value = 1.0} : tensor<4x4xf32, #l0>
  %d = add %a, %a : tensor<64x64xf32, #l0>
  %e = add %b, %b : tensor<8x8xf32, #l0>
  %f = add %c, %c : tensor<4x4xf32, #l0>
  return
}
)");
  TargetInfo target = sm80();
  SharedMemoryAllocation alloc(p->fn(), target);
  // Three values live at once (a: 16384, b: 260 -> 272, c: 8 -> 16 with 64-byte alignment).
  alloc.addValueBuffer(*p->op("a").result(), 16384, 1, "a");
  alloc.addValueBuffer(*p->op("b").result(), 260, 1, "b");
  alloc.addValueBuffer(*p->op("c").result(), 8, 1, "c", 64);
  alloc.assignOffsets();
  const SharedBuffer *a = alloc.valueBuffer(*p->op("a").result());
  const SharedBuffer *b = alloc.valueBuffer(*p->op("b").result());
  const SharedBuffer *c = alloc.valueBuffer(*p->op("c").result());
  REQUIRE((a && b && c));
  CHECK(a->offset == 0);
  CHECK(b->offset == 16384);
  CHECK(b->bytes() == 272);
  CHECK(c->offset == 16384 + 320); // 16656 rounded up to a multiple of 64
  CHECK(c->offset % 64 == 0);
  CHECK(alloc.totalBytes() == c->offset + 16);
}

TEST_CASE("allocation: reduce and atomics across warps; the over-limit error names the knobs") {
  auto p = parse(std::string(kLayouts) + R"(
kernel @big(%p: ptr<f32>) attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {
  %x = constant {value = 1.0} : tensor<1024xf32, #r>
  %s = reduce %x {axis = 0} : f32 {
  ^(%a: f32, %b: f32):
    %c = add %a, %b : f32
    yield %c
  }
  %big = constant {value = 1.0} : tensor<512x256xf32, #l0>
  %moved = convert_layout %big : tensor<512x256xf32, #l1>
  %ptrs = splat %p : tensor<1024xptr<f32>, #r>
  %old = atomic_rmw %ptrs, %x {kind = "add"} : tensor<1024xf32, #r>
  %old1 = atomic_rmw %p, %s {kind = "add"} : f32
  %sum = add %old1, %s : f32
  store %p, %sum
  return
}
)");
  TargetInfo target = sm80();
  SharedMemoryAllocation alloc(p->fn(), target);
  alloc.assignOffsets();
  // 1024 elements over 4 warps: one partial per warp (4 x 4 bytes, 16 after rounding).
  const SharedBuffer *s = alloc.scratch(p->op("s"));
  REQUIRE(s);
  CHECK(s->bytes() == 16);
  // Every element is held by exactly one thread: the old values need no publishing; a scalar
  // atomic's old value is published by thread 0.
  CHECK_FALSE(alloc.scratch(p->op("old")));
  REQUIRE(alloc.scratch(p->op("old1")));
  CHECK(alloc.scratch(p->op("old1"))->bytes() == 16);
  CHECK(alloc.totalBytes() == 512 * 256 * 4);
  CHECK_FALSE(alloc.fits());

  DiagnosticEngine diags;
  CHECK_FALSE(alloc.checkLimit(diags));
  REQUIRE(diags.diagnostics().size() == 1);
  const Diagnostic &d = diags.diagnostics()[0];
  CHECK(d.range.begin == p->fn().loc()); // at the kernel
  CHECK(d.message == "kernel 'big' needs 524288 bytes of shared memory, more than the 166912 "
                     "bytes sm_80 allows; use smaller block sizes (the BLOCK constexprs)");
  // Notes at the buffers live at the peak (or too large alone), largest first: only the
  // conversion; the reduce's and atomics' scratch lives at other ops and does not add to it.
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].range.begin == p->op("moved").loc());
  CHECK(d.notes[0].message.starts_with("524288 bytes for 'convert_layout' of tensor<512x256xf32"));
}

TEST_CASE("allocation: a shared tile lives to its block's drain; tiles of two if-sides share") {
  auto p = parse(std::string(kLayouts) +
                 R"(#b = #blocked<spt = [1, 8], tpw = [16, 2], wpc = [4, 1], order = [1, 0]>
#s = #shared<order = [1, 0]>
kernel @k(%p: ptr<f16> {divisibility = 16}, %c: i1)
    attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {
  %ptrs = splat %p : tensor<64x16xptr<f16>, #b>
  %t = local_alloc : tensor<64x16xf16, #s>
  %u = local_alloc : tensor<64x16xf16, #s>
  %t1 = async_copy %t, %ptrs : tensor<64x16xf16, #s>
  %x = constant {value = 1.0} : tensor<64x64xf32, #l0>
  %during = convert_layout %x : tensor<64x64xf32, #l1>
  %v = local_load %t1 : tensor<64x16xf16, #b>
  async_wait {pending = 0}
  %after = convert_layout %x : tensor<64x64xf32, #l1>
  %r = if %c : i32 {
    %w = local_alloc : tensor<64x16xf16, #s>
    %w1 = async_copy %w, %ptrs : tensor<64x16xf16, #s>
    async_wait {pending = 0}
    %one = constant {value = 1} : i32
    yield %one
  } {
    %y = local_alloc : tensor<64x16xf16, #s>
    %y1 = async_copy %y, %ptrs : tensor<64x16xf16, #s>
    async_wait {pending = 0}
    %two = constant {value = 2} : i32
    yield %two
  }
  return
}
)");
  TargetInfo target = sm80();
  SharedMemoryAllocation alloc(p->fn(), target);
  alloc.assignOffsets();
  const SharedBuffer *t = alloc.valueBuffer(*p->op("t").result());
  const SharedBuffer *u = alloc.valueBuffer(*p->op("u").result());
  REQUIRE(t);
  REQUIRE(u);
  CHECK(t->kind == SharedBuffer::Kind::Tile);
  CHECK(t->bytes() == 64 * 16 * 2);
  CHECK(t->offset % 128 == 0);
  CHECK(u->offset % 128 == 0);
  // Both tiles live to the drain, not just to their last SSA use (u has none, t1 is t's
  // storage): the conversion before the drain avoids them, the one after reuses their bytes.
  const SharedBuffer *during = alloc.scratch(p->op("during"));
  const SharedBuffer *after = alloc.scratch(p->op("after"));
  REQUIRE(during);
  REQUIRE(after);
  CHECK(t->overlapsInTime(*during));
  CHECK(u->overlapsInTime(*during));
  CHECK_FALSE(t->overlapsInTime(*after));
  for (const SharedBuffer *tile : {t, u})
    CHECK((during->offset >= tile->offset + tile->bytes() ||
           tile->offset >= during->offset + during->bytes()));
  CHECK(after->offset == 0);
  // The two sides of the if run exclusively: their tiles share bytes.
  const SharedBuffer *w = alloc.valueBuffer(*p->op("w").result());
  const SharedBuffer *y = alloc.valueBuffer(*p->op("y").result());
  REQUIRE(w);
  REQUIRE(y);
  CHECK_FALSE(w->overlapsInTime(*y));
  CHECK(w->offset == y->offset);
  CHECK(alloc.totalBytes() == 64 * 64 * 4 + 2 * 2048); // the conversion: a swizzled transpose
}

TEST_CASE("allocation: a transpose through shared memory is swizzled in vectors, or padded") {
  auto p = parse(std::string(kLayouts) +
                 R"(#rows = #blocked<spt = [1, 1], tpw = [1, 32], wpc = [4, 1], order = [1, 0]>
#cols = #blocked<spt = [1, 1], tpw = [1, 32], wpc = [1, 4], order = [1, 0]>
#down = #blocked<spt = [1, 1], tpw = [32, 1], wpc = [1, 4], order = [0, 1]>
kernel @k(%p: ptr<f32>) attributes {num_warps = 4, num_stages = 3, num_ctas = 1} {
  %x = constant {value = 1.0} : tensor<64x64xf32, #l0>
  %t = convert_layout %x : tensor<64x64xf32, #l1>
  %m = constant {value = 1} : tensor<64x64xi1, #l0>
  %mt = convert_layout %m : tensor<64x64xi1, #l1>
  %r = constant {value = 1.0} : tensor<64x64xf32, #rows>
  %c = convert_layout %r : tensor<64x64xf32, #cols>
  %d = convert_layout %r : tensor<64x64xf32, #down>
  return
}
)");
  TargetInfo target = sm80();
  SharedMemoryAllocation alloc(p->fn(), target);
  // #l1's lanes walk down columns 4 rows apart: row-major, 16 lanes hit one bank per access.
  // #l0 holds 4 consecutive elements along the rows: the tile is swizzled in vectors of 4 (the
  // vector index XORed with the row), so #l0's side moves 16 bytes at a time and #l1's
  // column walk spreads over the banks; no padding.
  CHECK(alloc.scratch(p->op("t"))->bytes() == 64 * 64 * 4);
  CHECK(alloc.scratch(p->op("mt"))->bytes() == 64 * 64 * 1);
  const Type *tt = p->op("t").result()->type();
  auto l0 = LinearLayout::get(p->op("x").result()->type()->layout(), tt->shape());
  auto l1 = LinearLayout::get(tt->layout(), tt->shape());
  REQUIRE(l0);
  REQUIRE(l1);
  RelayoutPlan plan = relayoutPlan(tt, *l0, *l1);
  CHECK(plan.unit == 4);
  CHECK(plan.pitch == 64);
  // The swizzle permutes each row's vectors: every element keeps a distinct offset in the tile.
  std::set<int64_t> offsets;
  for (int64_t i = 0; i < 64; ++i)
    for (int64_t j = 0; j < 64; ++j)
      offsets.insert(plan.offset({i, j}, tt->shape()));
  CHECK(offsets.size() == 64 * 64);
  CHECK(*offsets.rbegin() == 64 * 64 - 1);
  // Scalar on both sides, one walking down the columns: padding, one bank word per row.
  CHECK(alloc.scratch(p->op("d"))->bytes() == 64 * 65 * 4);
  // Lanes along the rows on both sides: no conflicts to remove, no padding.
  CHECK(alloc.scratch(p->op("c"))->bytes() == 64 * 64 * 4);
}
