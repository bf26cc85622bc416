// AMD matrix-instruction fragments (src/layout/AmdMatrixLayout.h): every element of the A, B
// and accumulator tiles of each MFMA / WMMA form is held by the lane and register AMD's ISA
// manuals give it, written here element by element, independent of the GF(2) bases.
#include "layout/AmdMatrixLayout.h"

#include <doctest/doctest.h>

#include <map>
#include <set>

using namespace tritonc;

namespace {

struct Place {
  unsigned lane, reg;
  bool operator<(const Place &o) const { return lane != o.lane ? lane < o.lane : reg < o.reg; }
  bool operator==(const Place &o) const = default;
};

/// Where the ISA puts element (row, col) of `operand`: every (lane, register) holding it.
std::set<Place> documented(const AmdMatrixInstr &in, unsigned operand, int64_t row, int64_t col) {
  const unsigned S = in.mn, K = in.k;
  std::set<Place> out;
  switch (in.family) {
  case AmdMatrixFamily::Mfma: {
    const unsigned G = 64 / S, P = K / G;
    if (operand == 0) // A[m][k]
      out.insert({unsigned(col / P * S + row), unsigned(col % P)});
    else if (operand == 1) // B[k][n]
      out.insert({unsigned(row / P * S + col), unsigned(row % P)});
    else // D[m][n]
      out.insert({unsigned(row / 4 % G * S + col), unsigned(row / (4 * G) * 4 + row % 4)});
    break;
  }
  case AmdMatrixFamily::WmmaGfx11:
    if (operand == 0)
      out = {{unsigned(row), unsigned(col)}, {unsigned(row + 16), unsigned(col)}};
    else if (operand == 1)
      out = {{unsigned(col), unsigned(row)}, {unsigned(col + 16), unsigned(row)}};
    else
      out.insert({unsigned(row % 2 * 16 + col), unsigned(row / 2)});
    break;
  case AmdMatrixFamily::WmmaGfx12:
    if (operand == 0)
      out.insert({unsigned(col / 8 * 16 + row), unsigned(col % 8)});
    else if (operand == 1)
      out.insert({unsigned(row / 8 * 16 + col), unsigned(row % 8)});
    else
      out.insert({unsigned(row / 8 * 16 + col), unsigned(row % 8)});
    break;
  }
  return out;
}

void checkFragments(const AmdMatrixInstr &in) {
  for (unsigned operand = 0; operand < 3; ++operand) {
    CAPTURE(operand);
    const LinearLayout ll = amdMatrixFragment(in, operand);
    const int64_t rows = operand == 1 ? in.k : in.mn, cols = operand == 0 ? in.k : in.mn;
    REQUIRE(ll.shape() == std::vector<int64_t>{rows, cols});
    CHECK(ll.numLanes() == in.lanes());
    CHECK(ll.numRegisters() == (operand == 2 ? in.accRegisters() : in.elementsPerLane()));
    // What the bases say, inverted: element -> places.
    std::map<std::pair<int64_t, int64_t>, std::set<Place>> held;
    for (unsigned lane = 0; lane < ll.numLanes(); ++lane)
      for (unsigned reg = 0; reg < ll.numRegisters(); ++reg) {
        LinearLayout::Coord c = ll.apply(reg, lane, 0);
        held[{c[0], c[1]}].insert({lane, reg});
      }
    CHECK(held.size() == size_t(rows * cols)); // every element somewhere
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        CAPTURE(r);
        CAPTURE(c);
        CHECK((held[{r, c}] == documented(in, operand, r, c)));
      }
  }
}

} // namespace

TEST_CASE("amd matrix: MFMA 32x32x8 and 16x16x16 (f16/bf16), 32x32x16 and 16x16x32 (i8/fp8)") {
  for (unsigned bits : {16u, 8u})
    for (unsigned mn : {32u, 16u}) {
      AmdMatrixInstr in;
      REQUIRE(amdMatrixInstrFor("gfx942", bits, mn, in));
      CAPTURE(bits);
      CAPTURE(mn);
      CHECK(in.family == AmdMatrixFamily::Mfma);
      CHECK(in.mn == mn);
      CHECK(in.k == (bits == 16 ? 4 : 8) * (64 / mn)); // 8 / 16 for f16, 16 / 32 for i8
      checkFragments(in);
    }
  AmdMatrixInstr in;
  CHECK(amdMatrixInstrFor("gfx90a", 16, 32, in));
  CHECK(in.k == 8);
  CHECK_FALSE(amdMatrixInstrFor("gfx90a", 8, 32, in)); // no fp8 before gfx942 (int8 K 8: FMA)
  CHECK(amdMatrixInstrFor("gfx950", 8, 16, in));
  CHECK_FALSE(amdMatrixInstrFor("gfx1030", 16, 16, in)); // RDNA2: no matrix cores
  CHECK_FALSE(amdMatrixInstrFor("gfx942", 32, 32, in));  // f32: FMA
}

TEST_CASE("amd matrix: WMMA 16x16x16 on gfx11 (replicated operands) and gfx12") {
  AmdMatrixInstr in;
  REQUIRE(amdMatrixInstrFor("gfx1100", 16, 32, in));
  CHECK(in.family == AmdMatrixFamily::WmmaGfx11);
  CHECK(in.mn == 16);
  CHECK(in.k == 16);
  checkFragments(in);
  CHECK(amdMatrixFragment(in, 0).freeLaneMask() == 16); // lanes 16-31 copy lanes 0-15
  REQUIRE(amdMatrixInstrFor("gfx1200", 16, 16, in));
  CHECK(in.family == AmdMatrixFamily::WmmaGfx12);
  checkFragments(in);
  CHECK(amdMatrixFragment(in, 0).freeLaneMask() == 0);
}
