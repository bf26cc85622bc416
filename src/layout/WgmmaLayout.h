// wgmma (sm_90a warpgroup MMA) maths, no LLVM: the shared-memory operand tiles its matrix
// descriptors address, the descriptors themselves, and a model of the address a descriptor
// gives each operand element (the unit tests check it against the tile layout our stores use).
//
// Accumulator (mma version 3, #mma<version = 3, wpc = [W, 1], instr = [16, N]>): a warpgroup of
// 4 consecutive warps computes m64nNk16 (f16/bf16; k8 tf32, k32 8-bit); warp w % 4 holds rows
// 16 (w % 4) .. +15 of the warpgroup's 64 with the m16n8 accumulator pattern of mma.sync
// repeated over N / 8 (registers d[4j .. 4j+3] of the instruction: row g, columns 8j + 2t, +1,
// then row g + 8): register bases [n:1] [m:8] [n:8] .. [n:N/2], lanes as mma.sync. Warpgroups
// stack along M (64 rows each); larger blocks repeat the W*16 rows (registers [m:16W] ..) and
// then the instruction's N. See MmaLayout.cpp.
//
// Operand tiles (#shared<order, wgmma>): R rows of C elements, C along the contiguous dim
// (order[0]). A row of C * e bytes is cut into column blocks of S = min(128, C * e) bytes
// (S must be 32, 64 or 128: the descriptor's swizzle mode); block b holds columns [b*S/e,
// (b+1)*S/e) of all R rows, R*S bytes, at byte b*R*S. Inside a block, row r starts at r*S and
// its 16-byte chunk c is stored at chunk c ^ ((r / (128/S)) % (S/16)) — on a 1024-byte
// aligned tile this is the hardware's swizzle of address bits [4, 4+log2(S/16)) by bits [7, ..).
//
// Descriptors (PTX ISA "Matrix Descriptor Format"): bits 0-13 start address >> 4, 16-29 the
// leading byte offset >> 4, 32-45 the stride byte offset >> 4, 62-63 the swizzle mode (1: 128 B,
// 2: 64 B, 3: 32 B). An operand is K-major when K is its contiguous dim, else MN-major (only
// 16-bit types may be MN-major: the instruction's imm-trans bit). For our tiles:
//   K-major:  SBO = 8 * S (the next 8 rows of M or N), LBO unused (1); the start address moves
//             by k * e bytes inside a block, or to the block of that k.
//   MN-major: SBO = 8 * S (the next 8 rows of K), LBO = R * S (the next S/e columns of M or N:
//             the next block).
#pragma once

#include <cstdint>

namespace tritonc {

/// The swizzle width S in bytes of a wgmma tile whose rows hold `cols` elements of `elemBytes`
/// bytes: min(128, cols * elemBytes) if that is 32, 64 or 128, else 0 (no wgmma form).
unsigned wgmmaSwizzleBytes(int64_t cols, unsigned elemBytes);

/// Byte offset of element (r, c) (c along the contiguous dim) in a wgmma tile of `rows` x
/// `cols` elements, swizzled as stored.
int64_t wgmmaTileOffset(int64_t rows, int64_t cols, unsigned elemBytes, int64_t r, int64_t c);

/// The same without the swizzle: the start address a descriptor gives for an instruction whose
/// first element is (r, c) (r a multiple of 8, c a multiple of 16 bytes / elemBytes).
int64_t wgmmaTileOffsetUnswizzled(int64_t rows, int64_t cols, unsigned elemBytes, int64_t r,
                                  int64_t c);

/// The descriptor of a tile (without its start address, bits 0-13) for K-major (kMajor) or
/// MN-major access.
uint64_t wgmmaDescriptorFields(int64_t rows, int64_t cols, unsigned elemBytes, bool kMajor);

/// The shared-memory byte address the hardware reads for element (mn, k) of one instruction's
/// operand (A: mn = m in [0, 64); B: mn = n) from descriptor `desc` (start address included),
/// per the canonical layouts of the PTX ISA, swizzle applied to the absolute address.
int64_t wgmmaElementAddress(uint64_t desc, bool kMajor, unsigned elemBytes, int64_t mn, int64_t k);

/// The K extent of one wgmma for operands of `elemBits` bits (16: 16, 32 (tf32): 8, 8: 32).
inline unsigned wgmmaInstrK(unsigned elemBits) { return 256 / elemBits; }

} // namespace tritonc
