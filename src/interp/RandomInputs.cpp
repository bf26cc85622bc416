// Deterministic random kernel arguments (makeRandomArgs) and the scalar/buffer conveniences
// of Interpreter.h. The generator is SplitMix64 with our own mapping to values, so the bytes
// do not depend on the standard library's distributions.
#include "interp/Cells.h"
#include "interp/FloatFormats.h"
#include "interp/Interpreter.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace tritonc {

using namespace interp;

namespace {

class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }

private:
  uint64_t state_;
};

uint64_t loadCell(const Buffer &b, int64_t i) {
  const unsigned bytes = storageBytes(b.elem);
  uint64_t raw = 0;
  std::memcpy(&raw, b.bytes.data() + i * bytes, bytes);
  if (b.elem->isInt())
    return b.elem->isBool() ? raw != 0 : IntNorm(b.elem)(raw);
  return raw;
}

void storeCell(Buffer &b, int64_t i, uint64_t cell) {
  const unsigned bytes = storageBytes(b.elem);
  std::memcpy(b.bytes.data() + i * bytes, &cell, bytes);
}

} // namespace

int64_t Buffer::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

double Buffer::getDouble(int64_t i) const {
  uint64_t cell = loadCell(*this, i);
  if (elem->isFloat())
    return decodeFloat(elem->scalarKind(), cell);
  if (elem->isInt() && IntNorm(elem).isSigned)
    return static_cast<double>(static_cast<int64_t>(cell));
  return static_cast<double>(cell);
}

int64_t Buffer::getInt(int64_t i) const {
  uint64_t cell = loadCell(*this, i);
  if (elem->isFloat())
    return static_cast<int64_t>(std::trunc(decodeFloat(elem->scalarKind(), cell)));
  return static_cast<int64_t>(cell);
}

void Buffer::setDouble(int64_t i, double v) { storeCell(*this, i, scalarBits(elem, v)); }
void Buffer::setInt(int64_t i, int64_t v) { storeCell(*this, i, scalarBits(elem, v)); }

bool bufferBytes(const Type *elem, const std::vector<int64_t> &shape, int64_t &bytes) {
  int64_t n = storageBytes(elem);
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return false;
  bytes = n;
  return true;
}

Buffer makeBuffer(std::string name, const Type *elem, std::vector<int64_t> shape) {
  int64_t bytes = 0;
  if (!bufferBytes(elem, shape, bytes) || bytes > kMaxBufferBytes)
    throw std::length_error("buffer shape too large");
  Buffer b;
  b.name = std::move(name);
  b.elem = elem;
  b.shape = std::move(shape);
  b.bytes.assign(static_cast<size_t>(bytes), 0);
  return b;
}

uint64_t scalarBits(const Type *type, int64_t value) {
  if (type->isFloat())
    return encodeFloatFromInt(type->scalarKind(), static_cast<uint64_t>(value), true);
  if (type->isPointer())
    return static_cast<uint64_t>(value);
  return IntNorm(type)(static_cast<uint64_t>(value));
}

uint64_t scalarBits(const Type *type, double value) {
  if (type->isFloat())
    return encodeFloat(type->scalarKind(), value);
  return scalarBits(type, static_cast<int64_t>(std::isfinite(value) ? value : 0.0));
}

void fillRandom(Buffer &buffer, uint64_t seed) {
  SplitMix64 rng(seed);
  const Type *elem = buffer.elem;
  for (int64_t i = 0, n = buffer.numElements(); i < n; ++i) {
    if (elem->isFloat())
      buffer.setDouble(i, rng.unit() * 2.0 - 1.0);
    else if (elem->isBool())
      buffer.setInt(i, rng.range(0, 1));
    else if (elem->isUnsigned())
      buffer.setInt(i, rng.range(0, 200));
    else if (elem->isInt())
      buffer.setInt(i, rng.range(-100, 100));
    // pointer elements stay null
  }
}

KernelArgs makeRandomArgs(const Function &kernel, const RandomArgsOptions &options) {
  KernelArgs out;
  // Each parameter draws from its own stream, so adding a parameter does not change the data of
  // the others.
  for (unsigned p = 0; p < kernel.body()->numArguments(); ++p) {
    const Type *type = kernel.body()->argument(p)->type();
    const uint64_t seed = options.seed * 0x100000001b3ull + p + 1;
    const std::string name = p < kernel.params().size() ? kernel.params()[p].name : "";
    if (type->isPointer()) {
      Buffer b = makeBuffer(name, type->pointee(), {options.elements});
      fillRandom(b, seed);
      out.args.push_back(KernelArg::ofBuffer(out.buffers.size()));
      out.buffers.push_back(std::move(b));
    } else if (type->isBool()) {
      out.args.push_back(KernelArg::ofScalar(1));
    } else if (type->isInt()) {
      out.args.push_back(KernelArg::ofScalar(scalarBits(type, options.elements)));
    } else {
      SplitMix64 rng(seed);
      out.args.push_back(KernelArg::ofScalar(scalarBits(type, 0.5 + rng.unit() * 1.5)));
    }
  }
  return out;
}

} // namespace tritonc
