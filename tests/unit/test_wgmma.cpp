// wgmma maths (layout/WgmmaLayout.h, the version 3 bases of layout/MmaLayout.cpp): the
// accumulator layout against the PTX ISA's fragment of wgmma.m64nNk16, and every element's
// address as the descriptor makes the hardware read it against the tile layout our stores use.
#include "ir/Types.h"
#include "layout/LinearLayout.h"
#include "layout/WgmmaLayout.h"

#include <doctest/doctest.h>

using namespace tritonc;

TEST_CASE("wgmma accumulator layout is the m64nNk16 fragment per warpgroup") {
  Context ctx;
  struct Case {
    unsigned warps;
    int64_t M, N;
    unsigned instrN;
  };
  for (Case c : {Case{4, 64, 128, 128}, Case{4, 128, 128, 128}, Case{8, 128, 256, 256},
                 Case{4, 64, 512, 256}, Case{8, 256, 64, 64}, Case{4, 64, 8, 8}}) {
    CAPTURE(c.warps);
    CAPTURE(c.M);
    CAPTURE(c.N);
    const Layout *l = ctx.mma(3, {c.warps, 1}, {16, c.instrN});
    std::optional<LinearLayout> ll = LinearLayout::get(l, {c.M, c.N});
    REQUIRE(ll);
    const int64_t repRows = 16 * c.warps, perInstr = c.instrN / 2;
    REQUIRE(ll->numRegisters() == (c.M / repRows) * (c.N / c.instrN) * perInstr);
    for (uint32_t warp = 0; warp < c.warps; ++warp)
      for (uint32_t lane = 0; lane < 32; ++lane)
        for (uint32_t r = 0; r < ll->numRegisters(); ++r) {
          // Register r: instruction register i of the repetition (mRep, nRep), registers in
          // the order N inside an instruction, then M repetitions, then N repetitions.
          const int64_t i = r % perInstr, rep = r / perInstr;
          const int64_t mReps = c.M / repRows;
          const int64_t mRep = rep % mReps, nRep = rep / mReps;
          const int64_t g = lane / 4, t = lane % 4;
          // PTX ISA, wgmma .m64nNk16 accumulator D: row 16 (warp % 4) + g (+8 for d2, d3 of
          // each 4), column 8 (i / 4) + 2t (+1 for odd i); warpgroups stack 64 rows.
          const int64_t row =
              mRep * repRows + 64 * (warp / 4) + 16 * (warp % 4) + g + 8 * ((i >> 1) & 1);
          const int64_t col = nRep * c.instrN + 8 * (i >> 2) + 2 * t + (i & 1);
          CHECK(ll->apply(r, lane, warp) == LinearLayout::Coord{row, col});
        }
  }
}

TEST_CASE("wgmma descriptors address the elements our tile stores wrote") {
  const int64_t base = 3 * 1024; // a 1024-byte aligned tile
  // A tile of `rows` x `cols` (cols contiguous) read by instructions covering `mnExtent` of
  // the M or N dim and 16 of K (16-bit elements).
  auto check = [&](int64_t rows, int64_t cols, bool kMajor, int64_t mnExtent) {
    CAPTURE(rows);
    CAPTURE(cols);
    CAPTURE(kMajor);
    REQUIRE(wgmmaSwizzleBytes(cols, 2) != 0);
    const uint64_t fields = wgmmaDescriptorFields(rows, cols, 2, kMajor);
    const int64_t mnSize = kMajor ? rows : cols, kSize = kMajor ? cols : rows;
    int64_t checked = 0;
    for (int64_t mn0 = 0; mn0 < mnSize; mn0 += mnExtent)
      for (int64_t k0 = 0; k0 < kSize; k0 += 16) {
        const int64_t r0 = kMajor ? mn0 : k0, c0 = kMajor ? k0 : mn0;
        const int64_t start = base + wgmmaTileOffsetUnswizzled(rows, cols, 2, r0, c0);
        REQUIRE(start % 16 == 0);
        const uint64_t desc = fields | static_cast<uint64_t>((start >> 4) & 0x3FFF);
        for (int64_t mn = 0; mn < mnExtent; ++mn)
          for (int64_t k = 0; k < 16; ++k) {
            const int64_t r = kMajor ? mn0 + mn : k0 + k, c = kMajor ? k0 + k : mn0 + mn;
            const int64_t stored = base + wgmmaTileOffset(rows, cols, 2, r, c);
            const int64_t read = wgmmaElementAddress(desc, kMajor, 2, mn, k);
            if (read != stored) {
              CAPTURE(mn0);
              CAPTURE(k0);
              CAPTURE(mn);
              CAPTURE(k);
              CHECK(read == stored);
              return;
            }
            ++checked;
          }
      }
    CHECK(checked == rows * cols);
  };
  // A [M, K] K-major (rows M, cols K), 64 rows per instruction; B [K, N] K-major likewise with
  // N rows of an instruction's N.
  for (int64_t K : {16, 32, 64, 128, 256})
    for (int64_t M : {64, 128, 256})
      check(M, K, true, 64);
  for (int64_t K : {16, 32, 64, 128})
    for (int64_t N : {16, 64, 128, 256})
      check(N, K, true, N);
  // B [K, N] N-major (rows K, cols N: the row-major B of a matmul) and A M-major, instructions
  // of N = min(N, 256) (or 64 rows of M).
  for (int64_t K : {16, 32, 64, 128})
    for (int64_t N : {16, 32, 64, 128, 256, 512}) {
      check(K, N, false, std::min<int64_t>(N, 256));
      if (N <= 128)
        check(K, N, false, std::min<int64_t>(N, 64));
    }
  for (int64_t K : {16, 64})
    for (int64_t M : {64, 128})
      check(K, M, false, 64);
}

TEST_CASE("wgmma tile form: swizzle widths and descriptor fields") {
  CHECK(wgmmaSwizzleBytes(8, 2) == 0); // 16-byte rows: no swizzle mode
  CHECK(wgmmaSwizzleBytes(16, 2) == 32);
  CHECK(wgmmaSwizzleBytes(32, 2) == 64);
  CHECK(wgmmaSwizzleBytes(64, 2) == 128);
  CHECK(wgmmaSwizzleBytes(256, 2) == 128);
  CHECK(wgmmaSwizzleBytes(48, 2) == 0);
  // 128-byte swizzle (mode 1), SBO 1024 bytes, K-major LBO 1; N-major LBO = rows * 128.
  const uint64_t kMajor128 = uint64_t{1} << 62 | uint64_t{1024 >> 4} << 32 | uint64_t{1} << 16;
  const uint64_t nMajor128 =
      uint64_t{1} << 62 | uint64_t{1024 >> 4} << 32 | uint64_t{32 * 128 >> 4} << 16;
  CHECK(wgmmaDescriptorFields(128, 64, 2, true) == kMajor128);
  CHECK(wgmmaDescriptorFields(32, 128, 2, false) == nMajor128);
  // 64- and 32-byte modes (2, 3), SBO 8 rows of the swizzle width.
  const uint64_t d64 = wgmmaDescriptorFields(64, 32, 2, true);
  const uint64_t d32 = wgmmaDescriptorFields(64, 16, 2, true);
  const uint64_t mode64 = d64 >> 62, sbo64 = (d64 >> 32) & 0x3FFF, mode32 = d32 >> 62;
  CHECK(mode64 == 2);
  CHECK(sbo64 == 512 >> 4);
  CHECK(mode32 == 3);
  // The tile offset is the swizzled column-block layout: row 1 of a 128-byte row swaps chunks
  // 0 and 1; column 64 of a 256-column tile starts the second block after all rows.
  CHECK(wgmmaTileOffset(8, 64, 2, 1, 0) == 128 + 16);
  CHECK(wgmmaTileOffset(8, 256, 2, 0, 64) == 8 * 128);
}
