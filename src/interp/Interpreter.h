// The reference interpreter: runs a Tile IR (or GPU IR: layouts do not change meaning, and
// `convert_layout` is the identity) kernel on the CPU over a grid of programs, with Triton's
// semantics (docs/IR.md) and memory checking.
//
// Programs run one after another, x fastest, then y, then z, so atomics and races have one
// deterministic outcome. Every pointer argument is a Buffer mapped at a simulated device
// address, with large unmapped gaps between buffers so that realistic pointer arithmetic stays
// realistic; a load, store or atomic outside every buffer (or misaligned) stops the run with a
// diagnostic at the op's source location naming the buffer, the offset, the program and the
// element. Errors are reported into a DiagnosticEngine; nothing here exits or aborts.
#pragma once

#include "ir/IR.h"
#include "support/Diagnostics.h"

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace tritonc {

/// The memory behind one pointer argument.
struct Buffer {
  std::string name;           ///< shown in memory errors (usually the parameter's name)
  const Type *elem = nullptr; ///< element type: the pointee of the parameter
  std::vector<int64_t> shape; ///< logical shape (kept for .npy output); its product = elements
  std::vector<uint8_t> bytes; ///< little-endian contents; i1 takes one byte per element

  int64_t numElements() const;

  /// Element i as a double (ints converted, floats decoded), and as an integer (ints
  /// sign- or zero-extended by signedness, floats truncated). For tests and tools.
  double getDouble(int64_t i) const;
  int64_t getInt(int64_t i) const;
  /// Stores `v` into element i, converted as a `cast` would (round to nearest even).
  void setDouble(int64_t i, double v);
  void setInt(int64_t i, int64_t v);
};

/// The most bytes one buffer may take (16 GiB): a larger shape is refused before allocating.
constexpr int64_t kMaxBufferBytes = int64_t(1) << 34;

/// The bytes of a buffer of `shape` elements of `elem`, in checked arithmetic; false (and
/// `bytes` unset) when a dimension is negative or the product does not fit in 64 bits.
bool bufferBytes(const Type *elem, const std::vector<int64_t> &shape, int64_t &bytes);

/// A zero-filled buffer of `shape` elements of `elem`. Throws std::length_error when its size
/// overflows or exceeds kMaxBufferBytes (callers taking shapes from users check bufferBytes
/// first and report the shape).
Buffer makeBuffer(std::string name, const Type *elem, std::vector<int64_t> shape);

/// One kernel argument: a buffer (an index into KernelArgs::buffers, so that two pointer
/// arguments may alias one buffer) or a scalar in the interpreter's encoding (scalarBits).
struct KernelArg {
  bool isBuffer = false;
  size_t buffer = 0;
  uint64_t bits = 0;

  static KernelArg ofBuffer(size_t index) { return KernelArg{true, index, 0}; }
  static KernelArg ofScalar(uint64_t bits) { return KernelArg{false, 0, bits}; }
};

struct KernelArgs {
  std::vector<Buffer> buffers;
  std::vector<KernelArg> args; ///< one per kernel parameter, in order
};

/// The encoding of a scalar argument of scalar type `type`: an integer value wrapped to the
/// type, a float value rounded to it (ints given to float types are converted, and floats given
/// to int types truncated, as a `cast` would).
uint64_t scalarBits(const Type *type, int64_t value);
uint64_t scalarBits(const Type *type, double value);

/// The op limit `tritonc run` applies unless --max-ops says otherwise: far above what the kernels
/// of the test suite execute (at most a few hundred thousand ops), yet an endless loop stops
/// within seconds (scalar ops run at about 15 million a second, block ops slower).
inline constexpr uint64_t kDefaultRunMaxOps = 10'000'000;

struct InterpOptions {
  /// Stops the run with an error after this many executed ops (0: no limit). The differential
  /// tester sets it so that a pass that breaks a loop's exit cannot hang the test.
  uint64_t maxOps = 0;
};

/// Runs `kernel` once per program of `grid` (each dimension >= 1). Buffers in `args` are read
/// and written in place. device_print output goes to `printOut`. Returns false after reporting
/// an error into `diags`: bad arguments, an out-of-bounds or misaligned access, a failed
/// device_assert, an unsupported op, or IR too malformed to run.
bool runKernel(const Function &kernel, std::array<int64_t, 3> grid, KernelArgs &args,
               const InterpOptions &options, DiagnosticEngine &diags, std::ostream &printOut);

/// Deterministic random inputs for a kernel's signature, for differential and smoke testing.
struct RandomArgsOptions {
  int64_t elements = 4096; ///< elements of every pointer argument's buffer
  uint64_t seed = 0;
};

/// Fills a buffer with deterministic random data: floats uniform in [-1, 1), signed ints in
/// [-100, 100], unsigned ints in [0, 200], i1 0/1, pointers null. The same seed gives the same
/// bytes on every platform.
void fillRandom(Buffer &buffer, uint64_t seed);

/// Builds arguments for `kernel`: one buffer of `elements` elements per pointer parameter,
/// filled by fillRandom (a seed per parameter), every integer scalar parameter set to
/// `elements` (the usual `n` of a kernel masked by `offs < n`), float scalars in [0.5, 2),
/// i1 scalars true.
KernelArgs makeRandomArgs(const Function &kernel, const RandomArgsOptions &options);

} // namespace tritonc
