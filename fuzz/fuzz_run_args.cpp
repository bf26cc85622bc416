// libFuzzer target 6: the untrusted inputs of `tritonc run` — its argument values and .npy files
// (src/driver/RunCommand.h, src/interp/Npy.h).
//
// The whole input is parsed as a .npy file; a file that parses must hold exactly the bytes its
// shape and dtype promise and must survive serializeNpy -> parseNpy unchanged. The input is also
// split into lines: each line is given to the --arg value parsers as a scalar of every scalar
// type and, after `zeros:`/`rand:`, as the shape of a buffer of several element types (a shape
// that parses must fit the buffer limit; a small one is allocated and filled as `tritonc run`
// would, the buffer's bytes checked against the shape), and to the --grid parser. Finds crashes,
// overflows (UBSan), leaks and uncaught exceptions; usage errors are the expected outcome of
// most inputs. Seeds: fuzz/seeds/run_args (argument lines and small .npy files).
#include "FuzzCommon.h"
#include "driver/RunCommand.h"
#include "interp/Interpreter.h"
#include "interp/Npy.h"
#include "ir/Types.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace tritonc;

namespace {

const Context &context() {
  static const Context ctx;
  return ctx;
}

void fuzzNpy(std::string_view bytes) {
  NpyArray array;
  std::string error;
  if (!parseNpy(bytes, array, error)) {
    fuzz::check(!error.empty(), "parseNpy failed without an error message");
    return;
  }
  int64_t n = 1;
  for (int64_t d : array.shape)
    fuzz::check(d >= 0 && !__builtin_mul_overflow(n, d, &n), "parseNpy accepted a bad shape");
  const unsigned item = npyItemSize(array.descr);
  fuzz::check(item > 0 && array.data.size() == static_cast<uint64_t>(n) * item,
              "parseNpy's data does not match its shape and dtype");
  NpyArray again;
  fuzz::check(parseNpy(serializeNpy(array), again, error) && again.descr == array.descr &&
                  again.shape == array.shape && again.data == array.data,
              "a parsed .npy does not round-trip through serializeNpy", error);
}

void fuzzArgLine(const std::string &line) {
  const Context &ctx = context();
  for (unsigned k = 0; k <= static_cast<unsigned>(ScalarKind::F64); ++k) {
    try {
      (void)driver::parseRunScalar(line, ctx.scalar(static_cast<ScalarKind>(k)), "x");
    } catch (const driver::RunUsageError &e) {
      fuzz::check(!e.message.empty(), "an empty usage error");
    }
  }
  for (ScalarKind k : {ScalarKind::F32, ScalarKind::I8, ScalarKind::I1, ScalarKind::F64}) {
    const Type *elem = ctx.scalar(k);
    std::vector<int64_t> shape;
    try {
      shape = driver::parseRunShape(line, "x", elem);
    } catch (const driver::RunUsageError &e) {
      fuzz::check(!e.message.empty(), "an empty usage error");
      continue;
    }
    int64_t bytes = 0;
    fuzz::check(!shape.empty() && bufferBytes(elem, shape, bytes) && bytes <= kMaxBufferBytes,
                "parseRunShape accepted a shape outside the buffer limit");
    if (bytes > (int64_t(1) << 16))
      continue; // valid, but too large to allocate for every input
    Buffer b = makeBuffer("x", elem, shape);
    fillRandom(b, 1);
    fuzz::check(static_cast<int64_t>(b.bytes.size()) == bytes,
                "makeBuffer's size differs from bufferBytes");
  }
  try {
    for (int64_t d : driver::parseRunGrid(line))
      fuzz::check(d >= 1, "parseRunGrid accepted a dimension below 1");
  } catch (const driver::RunUsageError &e) {
    fuzz::check(!e.message.empty(), "an empty usage error");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view input(reinterpret_cast<const char *>(data), size);
  fuzzNpy(input);
  size_t begin = 0;
  for (int lines = 0; begin <= input.size() && lines < 8; ++lines) {
    size_t end = input.find('\n', begin);
    if (end == std::string_view::npos)
      end = input.size();
    fuzzArgLine(std::string(input.substr(begin, end - begin)));
    begin = end + 1;
  }
  return 0;
}
