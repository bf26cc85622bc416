// Layout maths of AMD's matrix instructions: which lane and register of one wavefront holds
// which element of the A, B and accumulator fragments of one MFMA (CDNA: gfx908, gfx90a,
// gfx942, gfx950; wave64) or WMMA (RDNA3 gfx11, RDNA4 gfx12; wave32) instruction, as GF(2)
// bases over the instruction's [M, K], [K, N] and [M, N] tiles (see LinearLayout.h). Pure
// maths, no LLVM. The maps follow AMD's instruction set manuals (CDNA3 ISA "Dependent
// arithmetic: matrix fused multiply-add", RDNA3/RDNA4 ISA "Wave matrix multiply-accumulate"):
//
// MFMA, non-K dims S = 32 or 16 (v_mfma_f32_32x32x8f16, v_mfma_f32_16x16x16f16 and their
// bf16, int8 and fp8 forms), G = 64 / S lane groups, P operand elements per lane (4 for 16-bit
// types, 8 for 8-bit ones), K = G * P:
//   A[m][k]: lane (k / P) * S + m, element k % P of its operand registers
//   B[k][n]: lane (k / P) * S + n, element k % P
//   D[m][n]: lane (m / 4 % G) * S + n, register (m / (4 G)) * 4 + m % 4
// WMMA 16x16x16 (f16, bf16 into f32; iu8 into i32 has K 16 as well):
//   gfx11: A[m][k]: lanes m and m + 16 (a copy), element k (all 16 K per lane)
//          B[k][n]: lanes n and n + 16, element k
//          D[m][n]: lane (m % 2) * 16 + n, register m / 2
//   gfx12: A[m][k]: lane (k / 8) * 16 + m, element k % 8
//          B[k][n]: lane (k / 8) * 16 + n, element k % 8
//          D[m][n]: lane (m / 8) * 16 + n, register m % 8
//
// In the IR an #mma layout of version 10 (MFMA), 11 (WMMA gfx11) or 12 (WMMA gfx12) is the
// accumulator of such instructions, instr = [S, S]; its #dot_op operands have k_width = the
// operand elements per lane. A CTA's waves tile the accumulator as for mma.sync (N first, then
// M, then the batch dim), and larger shapes repeat the wave tile in registers.
#pragma once

#include "ir/IR.h"
#include "layout/LinearLayout.h"
#include "layout/MmaLayout.h"
#include "support/TargetInfo.h"

#include <string>

namespace tritonc {

enum class AmdMatrixFamily {
  Mfma,      ///< CDNA, wave64
  WmmaGfx11, ///< RDNA3, wave32, operands replicated in both halves of the wave
  WmmaGfx12, ///< RDNA4, wave32
};

/// One matrix instruction: its family, M = N (32 or 16) and K.
struct AmdMatrixInstr {
  AmdMatrixFamily family = AmdMatrixFamily::Mfma;
  unsigned mn = 32;
  unsigned k = 8;
  /// Operand elements each lane holds (K per lane group).
  unsigned elementsPerLane() const;
  /// Lanes of the wavefront (64 for MFMA, 32 for WMMA).
  unsigned lanes() const { return family == AmdMatrixFamily::Mfma ? 64 : 32; }
  /// Accumulator registers per lane.
  unsigned accRegisters() const { return mn * mn / lanes(); }
};

/// The instruction tritonc uses on `arch` for operands of `elementBits` bits (16 for f16 and
/// bf16, 8 for int8 and fp8), preferring M = N = `mn` (32 or 16) where both exist. False when
/// the arch has no matrix instruction for them (then a dot is lowered on FMA units).
bool amdMatrixInstrFor(const std::string &arch, unsigned elementBits, unsigned mn,
                       AmdMatrixInstr &instr);

/// The fragment of one instruction: 0 = A ([M, K]), 1 = B ([K, N]), 2 = accumulator ([M, N]).
/// Registers count operand elements (A, B) or accumulator registers (D); a lane basis of zeros
/// means the lanes differing in that bit hold copies.
LinearLayout amdMatrixFragment(const AmdMatrixInstr &instr, unsigned operand);

/// #mma versions of the AMD matrix instructions.
inline constexpr unsigned kMmaVersionMfma = 10, kMmaVersionWmmaGfx11 = 11,
                          kMmaVersionWmmaGfx12 = 12;
inline bool isAmdMmaVersion(unsigned v) {
  return v >= kMmaVersionMfma && v <= kMmaVersionWmmaGfx12;
}

/// The instruction of an AMD #mma layout whose operands hold `kWidth` elements per lane.
AmdMatrixInstr amdMatrixInstrOf(const Layout *mma, unsigned kWidth);

/// Bases of an AMD #mma layout or of one of its #dot_op operands over `shape`, before
/// clipping (as mmaLayoutBases, which calls this for versions 10-12).
LayoutBases amdMatrixLayoutBases(const Layout *layout, const std::vector<int64_t> &shape);

/// The AMD #mma layout `dot` should produce on `target` (wave size, arch), or nullptr when it
/// has no matrix-core form there (types, shape): it then runs on FMA units.
const Layout *amdMmaLayoutForDot(Context &ctx, const Operation &dot, const TargetInfo &target,
                                 unsigned numWarps, bool allOnM);

/// k_width of operand `opIdx` of a dot whose result is the AMD #mma layout `mma`.
unsigned amdDotOperandKWidth(const Layout *mma, unsigned elementBits);

} // namespace tritonc
