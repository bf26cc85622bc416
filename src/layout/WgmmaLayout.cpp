// wgmma tiles and descriptors; the formats are spelled out in WgmmaLayout.h.
#include "layout/WgmmaLayout.h"

#include <algorithm>

namespace tritonc {

unsigned wgmmaSwizzleBytes(int64_t cols, unsigned elemBytes) {
  const int64_t bytes = std::min<int64_t>(128, cols * elemBytes);
  return bytes == 32 || bytes == 64 || bytes == 128 ? static_cast<unsigned>(bytes) : 0;
}

int64_t wgmmaTileOffsetUnswizzled(int64_t rows, int64_t cols, unsigned elemBytes, int64_t r,
                                  int64_t c) {
  const int64_t S = wgmmaSwizzleBytes(cols, elemBytes), perBlock = S / elemBytes;
  return (c / perBlock) * rows * S + r * S + (c % perBlock) * elemBytes;
}

int64_t wgmmaTileOffset(int64_t rows, int64_t cols, unsigned elemBytes, int64_t r, int64_t c) {
  const int64_t S = wgmmaSwizzleBytes(cols, elemBytes);
  const int64_t off = wgmmaTileOffsetUnswizzled(rows, cols, elemBytes, r, c);
  const int64_t inBlock = off % (rows * S), blockStart = off - inBlock;
  const int64_t row = inBlock / S, byte = inBlock % S;
  const int64_t phase = (row / (128 / S)) % (S / 16);
  return blockStart + row * S + (((byte / 16) ^ phase) * 16) + byte % 16;
}

uint64_t wgmmaDescriptorFields(int64_t rows, int64_t cols, unsigned elemBytes, bool kMajor) {
  const uint64_t S = wgmmaSwizzleBytes(cols, elemBytes);
  const uint64_t lbo = kMajor ? 1 : (static_cast<uint64_t>(rows) * S) >> 4;
  const uint64_t sbo = (8 * S) >> 4;
  const uint64_t mode = S == 128 ? 1 : S == 64 ? 2 : 3;
  return (lbo & 0x3FFF) << 16 | (sbo & 0x3FFF) << 32 | mode << 62;
}

int64_t wgmmaElementAddress(uint64_t desc, bool kMajor, unsigned elemBytes, int64_t mn, int64_t k) {
  const int64_t start = static_cast<int64_t>(desc & 0x3FFF) << 4;
  const int64_t lbo = static_cast<int64_t>((desc >> 16) & 0x3FFF) << 4;
  const int64_t sbo = static_cast<int64_t>((desc >> 32) & 0x3FFF) << 4;
  const unsigned mode = static_cast<unsigned>(desc >> 62);
  const int64_t S = mode == 1 ? 128 : mode == 2 ? 64 : 32; // bytes of a swizzle row
  const int64_t T = 16 / elemBytes;                        // elements per 16 bytes
  const int64_t w = S / 16;                                // 16-byte chunks per swizzle row
  int64_t addr = start;
  if (kMajor) {
    // ((8, m), (T, 2k)) : ((S bytes, SBO), (1, T)): 8 rows S bytes apart, groups of 8 rows
    // SBO apart; K contiguous (the instruction's K bytes stay inside one swizzle row).
    addr += (mn % 8) * S + (mn / 8) * sbo + k * elemBytes;
  } else {
    // ((T, w, m), (8, k)) : ((1, T, LBO), (S bytes, SBO)): MN contiguous in rows of S bytes,
    // the next S bytes' worth of MN at LBO; 8 K rows S bytes apart, groups of 8 at SBO.
    addr += (mn % (T * w)) * elemBytes + (mn / (T * w)) * lbo + (k % 8) * S + (k / 8) * sbo;
  }
  // Swizzle<log2 w, 4, 3>: address bits [4, 4 + log2 w) ^= bits [7, 7 + log2 w).
  return addr ^ (((addr >> 7) & (w - 1)) << 4);
}

} // namespace tritonc
