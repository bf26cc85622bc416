// Types and layouts of tritonc's IR, interned in a Context so that equality is pointer equality.
//
// A Type is a scalar (i1..i64, u8..u64, fp8e4nv, fp8e5, f16, bf16, f32, f64), a pointer to a
// scalar or pointer type (global memory by default), or a block ("tensor") of scalars or
// pointers with a static power-of-two shape. In Tile IR blocks carry no layout; after layout
// assignment (GPU IR) every block type carries one, saying which thread holds which element.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc {

class Context;

enum class ScalarKind : uint8_t {
  I1,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
  F8E4NV,
  F8E5,
  F16,
  BF16,
  F32,
  F64
};

/// The IR spelling of a scalar kind ("i32", "f16", "f8e4nv", ...).
std::string_view scalarKindName(ScalarKind kind);
/// Parses an IR spelling; also accepts the .tt spellings ("fp32", "fp16", "fp8e5", ...).
std::optional<ScalarKind> parseScalarKind(std::string_view name);
/// The .tt / Triton spelling ("fp32", "i32", "bf16", ...) used in metadata and diagnostics.
std::string_view scalarKindTritonName(ScalarKind kind);

unsigned scalarBitWidth(ScalarKind kind);
bool isIntegerKind(ScalarKind kind); // i1 and the signed and unsigned integers
bool isUnsignedKind(ScalarKind kind);
bool isFloatKind(ScalarKind kind);

// ----------------------------------------------------------------------------------------------
// Layouts
// ----------------------------------------------------------------------------------------------

/// How the elements of a block are distributed over the registers, lanes and warps of a CTA.
/// Interned like types. Blocked is Triton's #blocked; Slice(dim, parent) is the layout of a
/// value obtained by removing dimension `dim` from a block laid out with `parent`. Mma is the
/// accumulator of a matrix-unit instruction (`mma.sync` m16n8kK on NVIDIA: version 2, instr
/// [16, 8]) tiled over warpsPerCTA; DotOperand(opIdx, parent, kWidth) is the layout of dot
/// operand A (opIdx 0) or B (opIdx 1) feeding a dot whose result has layout `parent` (an Mma
/// layout), with kWidth consecutive K elements per thread and 32-bit register. The register,
/// lane and warp maps of all four are in src/layout/ (MmaLayout.h, LinearLayout.h).
/// Shared(order) is not a distribution over threads: a block in it is a tile of shared memory
/// (see local_alloc / async_copy / local_load in Ops.def), held row-major with dimension
/// order[0] contiguous, each row cut into 16-byte chunks that are XOR-swizzled by row (chunk c of
/// row r at c ^ ((r / perPhase) % maxPhase), perPhase = max(1, 128 / row bytes), maxPhase =
/// min(chunks per row, 8)), so that ldmatrix reads it free of bank conflicts.
/// Shared(order, wgmma = true) is the form wgmma's matrix descriptors address (mma version 3,
/// layout/WgmmaLayout.h): rows wider than 128 bytes are cut into 128-byte column blocks stored
/// one after another (each block R rows of 128 bytes with the swizzle above, i.e. the 128-,
/// 64- or 32-byte swizzle mode of the descriptor), and the tile is 1024-byte aligned.
/// Mma version 3 is the wgmma accumulator (warpgroups of 4 warps, m64nNk*: instr = [16, N],
/// N the instruction's N), its warps all along M.
class Layout {
public:
  enum class Kind : uint8_t { Blocked, Slice, Mma, DotOperand, Shared };

  Kind kind() const { return kind_; }
  bool isBlocked() const { return kind_ == Kind::Blocked; }
  bool isSlice() const { return kind_ == Kind::Slice; }
  bool isMma() const { return kind_ == Kind::Mma; }
  bool isDotOperand() const { return kind_ == Kind::DotOperand; }
  bool isShared() const { return kind_ == Kind::Shared; }

  // Blocked
  const std::vector<unsigned> &sizePerThread() const { return sizePerThread_; }
  const std::vector<unsigned> &threadsPerWarp() const { return threadsPerWarp_; }
  const std::vector<unsigned> &warpsPerCTA() const { return warpsPerCTA_; }
  /// Dimensions from fastest- to slowest-varying (order[0] is the contiguous one). Also Shared.
  const std::vector<unsigned> &order() const { return order_; }

  // Slice (and DotOperand: parent)
  unsigned sliceDim() const { return sliceDim_; }
  const Layout *parent() const { return parent_; }

  // Mma: warpsPerCTA() (one entry per dim), the version (2: mma.sync) and the instruction's
  // [M, N] tile (the K extent follows from the operand type).
  unsigned mmaVersion() const { return mmaVersion_; }
  const std::vector<unsigned> &instrShape() const { return instrShape_; }

  // Shared: the wgmma (column-block) form.
  bool sharedWgmma() const { return sharedWgmma_; }

  // DotOperand: parent() is the dot result's (Mma) layout.
  unsigned opIdx() const { return opIdx_; }
  unsigned kWidth() const { return kWidth_; }

  /// Rank of the blocks this layout applies to.
  unsigned rank() const;
  std::string str() const;

private:
  friend class Context;
  Kind kind_ = Kind::Blocked;
  std::vector<unsigned> sizePerThread_, threadsPerWarp_, warpsPerCTA_, order_;
  unsigned sliceDim_ = 0;
  const Layout *parent_ = nullptr;
  unsigned mmaVersion_ = 0, opIdx_ = 0, kWidth_ = 0;
  bool sharedWgmma_ = false;
  std::vector<unsigned> instrShape_;
};

// ----------------------------------------------------------------------------------------------
// Types
// ----------------------------------------------------------------------------------------------

class Type {
public:
  enum class Kind : uint8_t { Scalar, Pointer, Block };

  Kind kind() const { return kind_; }
  bool isScalar() const { return kind_ == Kind::Scalar; }
  bool isPointer() const { return kind_ == Kind::Pointer; }
  bool isBlock() const { return kind_ == Kind::Block; }
  Context &context() const { return *ctx_; }

  // Scalar
  ScalarKind scalarKind() const { return scalar_; }
  // Pointer
  const Type *pointee() const { return pointee_; }
  unsigned addressSpace() const { return addressSpace_; }
  /// Levels of pointer before the scalar: 0 for a scalar, 2 for `**fp32`.
  unsigned pointerDepth() const {
    unsigned depth = 0;
    for (const Type *t = this; t->isPointer(); t = t->pointee())
      ++depth;
    return depth;
  }
  // Block
  const Type *element() const { return element_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  const Layout *layout() const { return layout_; }
  unsigned rank() const { return static_cast<unsigned>(shape_.size()); }
  int64_t numElements() const;

  /// The element type of a block, or the type itself for scalars and pointers.
  const Type *scalarType() const { return isBlock() ? element_ : this; }
  bool isInt() const; // element is an integer scalar (incl. i1)
  bool isFloat() const;
  bool isUnsigned() const;
  bool isBool() const;
  bool isPointerLike() const { return scalarType()->isPointer(); }
  unsigned bitWidth() const; // of the scalar element; pointers are 64

  /// The same shape (and layout) with another element type; a scalar becomes `elem`.
  const Type *withElement(const Type *elem) const;
  /// Block type with the same element and shape but another layout (nullptr: none).
  const Type *withLayout(const Layout *layout) const;

  std::string str() const;

private:
  friend class Context;
  Context *ctx_ = nullptr;
  Kind kind_ = Kind::Scalar;
  ScalarKind scalar_ = ScalarKind::I32;
  const Type *pointee_ = nullptr;
  unsigned addressSpace_ = 1;
  const Type *element_ = nullptr;
  std::vector<int64_t> shape_;
  const Layout *layout_ = nullptr;
};

/// The deepest pointer type a program may spell (`*` repeated; tl.pointer_type of a pointer).
/// Far beyond any real kernel; it keeps every type the front end makes within the IR text
/// parser's nesting bound, so printed IR always parses back.
inline constexpr unsigned kMaxPointerDepth = 16;

/// The most elements of a block (Triton's TRITON_MAX_TENSOR_NUMEL) and the highest rank: the
/// front end and the IR text parser both refuse larger blocks, so every block type any layer
/// sees has a numElements() that fits easily in 64 bits.
inline constexpr int64_t kMaxBlockElements = int64_t(1) << 20;
inline constexpr unsigned kMaxBlockRank = 64;

/// Owns every type and layout of a compilation; hands out unique pointers.
class Context {
public:
  Context();
  Context(const Context &) = delete;
  Context &operator=(const Context &) = delete;

  const Type *scalar(ScalarKind kind) const { return scalars_[static_cast<unsigned>(kind)]; }
  const Type *i1() const { return scalar(ScalarKind::I1); }
  const Type *i32() const { return scalar(ScalarKind::I32); }
  const Type *i64() const { return scalar(ScalarKind::I64); }
  const Type *f32() const { return scalar(ScalarKind::F32); }
  const Type *pointer(const Type *pointee, unsigned addressSpace = 1);
  const Type *block(const Type *element, std::vector<int64_t> shape,
                    const Layout *layout = nullptr);

  const Layout *blocked(std::vector<unsigned> sizePerThread, std::vector<unsigned> threadsPerWarp,
                        std::vector<unsigned> warpsPerCTA, std::vector<unsigned> order);
  const Layout *slice(unsigned dim, const Layout *parent);
  const Layout *mma(unsigned version, std::vector<unsigned> warpsPerCTA,
                    std::vector<unsigned> instrShape);
  const Layout *dotOperand(unsigned opIdx, const Layout *parent, unsigned kWidth);
  const Layout *shared(std::vector<unsigned> order, bool wgmma = false);

private:
  const Type *intern(std::unique_ptr<Type> type);
  const Layout *internLayout(std::unique_ptr<Layout> layout);
  std::vector<const Type *> scalars_;
  std::map<std::string, std::unique_ptr<Type>> types_;
  std::map<std::string, std::unique_ptr<Layout>> layouts_;
};

} // namespace tritonc
