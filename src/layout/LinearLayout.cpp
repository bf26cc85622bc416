// Blocked and Slice layouts as linear layouts over GF(2), built the way Triton builds them
// (LinearLayoutConversions.cpp): a blocked layout is the product, dims taken in `order`, of
// identity maps for sizePerThread (registers), threadsPerWarp (lanes) and warpsPerCTA (warps);
// a shape larger than that CTA tile repeats it in more registers, and a shape smaller than it
// zeroes the bases that fall outside (replication), dropping such register bases. Mma and
// DotOperand bases come from MmaLayout.h and are clipped to the shape the same way.
#include "layout/LinearLayout.h"
#include "support/Bits.h"

#include "layout/MmaLayout.h"

#include <algorithm>
#include <map>

namespace tritonc {

namespace {

bool isZero(const LinearLayout::Coord &c) {
  return std::all_of(c.begin(), c.end(), [](int64_t v) { return v == 0; });
}

LinearLayout::Coord unit(unsigned rank, unsigned dim, int64_t value) {
  return LinearLayout::unitCoord(rank, dim, value);
}

void xorInto(LinearLayout::Coord &acc, const LinearLayout::Coord &basis) {
  for (size_t d = 0; d < acc.size(); ++d)
    acc[d] ^= basis[d];
}

std::string coordsStr(const std::vector<LinearLayout::Coord> &bases) {
  std::string out = "[";
  for (size_t i = 0; i < bases.size(); ++i) {
    out += i ? ", [" : "[";
    for (size_t d = 0; d < bases[i].size(); ++d)
      out += (d ? "," : "") + std::to_string(bases[i][d]);
    out += "]";
  }
  return out + "]";
}

std::optional<LinearLayout> fail(std::string *why, std::string message) {
  if (why)
    *why = std::move(message);
  return std::nullopt;
}

std::optional<LinearLayout> blockedLayout(const Layout *layout, const std::vector<int64_t> &shape,
                                          std::string *why) {
  const unsigned rank = static_cast<unsigned>(shape.size());
  const auto &spt = layout->sizePerThread(), &tpw = layout->threadsPerWarp(),
             &wpc = layout->warpsPerCTA(), &order = layout->order();
  if (spt.size() != rank || tpw.size() != rank || wpc.size() != rank || order.size() != rank)
    return fail(why, layout->str() + " does not have rank " + std::to_string(rank));
  std::vector<bool> seen(rank, false);
  for (unsigned d : order) {
    if (d >= rank || seen[d])
      return fail(why, layout->str() + ": order is not a permutation");
    seen[d] = true;
  }
  for (unsigned d = 0; d < rank; ++d)
    if (!isPowerOf2(spt[d]) || !isPowerOf2(tpw[d]) || !isPowerOf2(wpc[d]))
      return fail(why, layout->str() + ": sizes must be powers of two");

  // The CTA tile: along each dim, spt registers, then tpw lanes, then wpc warps.
  std::vector<LinearLayout::Coord> reg, lane, warp;
  auto addBases = [&](std::vector<LinearLayout::Coord> &bases, unsigned dim, int64_t count,
                      int64_t stride) {
    for (int64_t v = 1; v < count; v *= 2)
      bases.push_back(unit(rank, dim, v * stride));
  };
  std::vector<int64_t> tile(rank);
  for (unsigned d : order)
    addBases(reg, d, spt[d], 1);
  for (unsigned d : order)
    addBases(lane, d, tpw[d], spt[d]);
  for (unsigned d : order)
    addBases(warp, d, wpc[d], int64_t{spt[d]} * tpw[d]);
  for (unsigned d = 0; d < rank; ++d)
    tile[d] = int64_t{spt[d]} * tpw[d] * wpc[d];

  // A shape larger than the tile: more registers repeat it (fastest dim first).
  for (unsigned d : order)
    if (shape[d] > tile[d])
      addBases(reg, d, shape[d] / tile[d], tile[d]);

  // A shape smaller than the tile: bases past the shape wrap to zero (replication).
  auto clip = [&](std::vector<LinearLayout::Coord> &bases) {
    for (auto &b : bases)
      for (unsigned d = 0; d < rank; ++d)
        if (b[d] >= shape[d])
          b[d] = 0;
  };
  clip(reg);
  clip(lane);
  clip(warp);
  std::erase_if(reg, isZero);
  return LinearLayout(shape, std::move(reg), std::move(lane), std::move(warp));
}

} // namespace

LinearLayout::LinearLayout(std::vector<int64_t> shape, std::vector<Coord> regBases,
                           std::vector<Coord> laneBases, std::vector<Coord> warpBases)
    : shape_(std::move(shape)), reg_(std::move(regBases)), lane_(std::move(laneBases)),
      warp_(std::move(warpBases)) {}

std::optional<LinearLayout> LinearLayout::get(const Layout *layout,
                                              const std::vector<int64_t> &shape, std::string *why) {
  if (!layout)
    return fail(why, "block has no layout");
  for (int64_t d : shape)
    if (!isPowerOf2(d))
      return fail(why, "shape dims must be powers of two");
  if (layout->rank() != shape.size())
    return fail(why, layout->str() + " does not have rank " + std::to_string(shape.size()));
  if (layout->isBlocked())
    return blockedLayout(layout, shape, why);
  if (layout->isMma() || layout->isDotOperand()) {
    LayoutBases bases = mmaLayoutBases(layout, shape);
    if (bases.lane.empty())
      return fail(why, layout->str() + " does not apply to a block of rank " +
                           std::to_string(shape.size()));
    // Bases past the shape wrap to zero (replication); zero register bases are dropped.
    for (auto *list : {&bases.reg, &bases.lane, &bases.warp})
      for (Coord &b : *list)
        for (size_t d = 0; d < shape.size(); ++d)
          if (b[d] >= shape[d])
            b[d] = 0;
    std::erase_if(bases.reg, isZero);
    return LinearLayout(shape, std::move(bases.reg), std::move(bases.lane), std::move(bases.warp));
  }

  // Slice: the parent laid over the shape with a size-1 dim re-inserted, that dim dropped.
  const unsigned dim = layout->sliceDim();
  std::vector<int64_t> parentShape = shape;
  parentShape.insert(parentShape.begin() + dim, 1);
  std::optional<LinearLayout> parent = get(layout->parent(), parentShape, why);
  if (!parent)
    return std::nullopt;
  auto drop = [dim](std::vector<Coord> bases) {
    for (Coord &b : bases)
      b.erase(b.begin() + dim);
    return bases;
  };
  std::vector<Coord> reg = drop(parent->reg_);
  std::erase_if(reg, isZero);
  return LinearLayout(shape, std::move(reg), drop(parent->lane_), drop(parent->warp_));
}

LinearLayout::Coord LinearLayout::apply(uint32_t reg, uint32_t lane, uint32_t warp) const {
  Coord c(rank(), 0);
  auto accumulate = [&c](const std::vector<Coord> &bases, uint32_t bits) {
    for (size_t i = 0; i < bases.size(); ++i)
      if (bits >> i & 1)
        xorInto(c, bases[i]);
  };
  accumulate(reg_, reg);
  accumulate(lane_, lane);
  accumulate(warp_, warp);
  return c;
}

static uint32_t zeroBasisMask(const std::vector<LinearLayout::Coord> &bases) {
  uint32_t mask = 0;
  for (size_t i = 0; i < bases.size(); ++i)
    if (isZero(bases[i]))
      mask |= 1u << i;
  return mask;
}

uint32_t LinearLayout::freeLaneMask() const { return zeroBasisMask(lane_); }
uint32_t LinearLayout::freeWarpMask() const { return zeroBasisMask(warp_); }

int64_t LinearLayout::threadBitsMask(unsigned dim) const {
  int64_t mask = 0;
  for (const Coord &b : lane_)
    mask |= b[dim];
  for (const Coord &b : warp_)
    mask |= b[dim];
  return mask;
}

unsigned LinearLayout::contiguousRegisters(unsigned dim) const {
  unsigned n = 1;
  for (size_t k = 0; k < reg_.size() && reg_[k] == unit(rank(), dim, int64_t{1} << k); ++k)
    n *= 2;
  return n;
}

std::optional<std::vector<unsigned>>
LinearLayout::registerMapping(const LinearLayout &src, const LinearLayout &dst,
                              const std::function<Coord(const Coord &)> &toSrc) {
  // Same thread, same elements: every lane and warp basis of dst must map onto src's.
  auto sameThreadBases = [&](const std::vector<Coord> &s, const std::vector<Coord> &d) {
    if (s.size() != d.size())
      return false;
    for (size_t i = 0; i < s.size(); ++i)
      if (toSrc(d[i]) != s[i])
        return false;
    return true;
  };
  if (!sameThreadBases(src.lane_, dst.lane_) || !sameThreadBases(src.warp_, dst.warp_))
    return std::nullopt;
  std::map<Coord, unsigned> srcRegister;
  for (unsigned r = 0; r < src.numRegisters(); ++r)
    srcRegister.emplace(src.registerCoord(r), r);
  std::vector<unsigned> mapping(dst.numRegisters());
  for (unsigned r = 0; r < dst.numRegisters(); ++r) {
    auto it = srcRegister.find(toSrc(dst.registerCoord(r)));
    if (it == srcRegister.end())
      return std::nullopt;
    mapping[r] = it->second;
  }
  return mapping;
}

std::string LinearLayout::str() const {
  return "register = " + coordsStr(reg_) + ", lane = " + coordsStr(lane_) +
         ", warp = " + coordsStr(warp_);
}

} // namespace tritonc
