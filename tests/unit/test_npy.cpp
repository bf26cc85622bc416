// NumPy .npy files: round trips, the exact header NumPy writes, big-endian and Fortran-order
// inputs, dtype spellings and malformed files.
#include "interp/Npy.h"

#include <doctest/doctest.h>

#include <cstring>

using namespace tritonc;

namespace {

/// A version-1.0 file with `dict` as its header, padded like NumPy pads it.
std::string npyFile(const std::string &dict, const std::string &payload) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + payload;
}

} // namespace

TEST_CASE("npy: write then read gives the same array, header as NumPy writes it") {
  NpyArray a;
  a.descr = "<f4";
  a.shape = {2, 3};
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) {
    uint8_t bytes[4];
    std::memcpy(bytes, &v, 4);
    a.data.insert(a.data.end(), bytes, bytes + 4);
  }
  std::string file = serializeNpy(a);
  CHECK(file.size() == 128 + 24); // NumPy pads the header to a multiple of 64 bytes
  CHECK(file.substr(10).starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
  CHECK(file[127] == '\n');
  NpyArray b;
  std::string error;
  REQUIRE(parseNpy(file, b, error));
  CHECK(b.descr == "<f4");
  CHECK(b.shape == std::vector<int64_t>{2, 3});
  CHECK(b.data == a.data);

  NpyArray v;
  v.descr = "<i4";
  v.shape = {4000};
  v.data.assign(16000, 0);
  CHECK(serializeNpy(v).substr(10).starts_with(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (4000,), }"));
}

TEST_CASE("npy: big-endian and Fortran-order data become little-endian C order") {
  // >i2 [[1, 2], [3, 4]] stored column-major: 1, 3, 2, 4.
  std::string payload = std::string("\x00\x01\x00\x03\x00\x02\x00\x04", 8);
  std::string file = npyFile("{'descr': '>i2', 'fortran_order': True, 'shape': (2, 2), }", payload);
  NpyArray a;
  std::string error;
  REQUIRE(parseNpy(file, a, error));
  CHECK(a.descr == "<i2");
  CHECK(a.data == std::vector<uint8_t>{1, 0, 2, 0, 3, 0, 4, 0});
}

TEST_CASE("npy: dtype spellings of element types") {
  Context ctx;
  CHECK(npyDescr(ctx.f32()) == "<f4");
  CHECK(npyDescr(ctx.scalar(ScalarKind::F16)) == "<f2");
  CHECK(npyDescr(ctx.i1()) == "|b1");
  CHECK(npyDescr(ctx.scalar(ScalarKind::U8)) == "|u1");
  CHECK(npyMatches("<u2", ctx.scalar(ScalarKind::BF16)));
  CHECK(npyMatches("<V2", ctx.scalar(ScalarKind::BF16)));
  CHECK_FALSE(npyMatches("<f4", ctx.scalar(ScalarKind::F16)));
  CHECK_FALSE(npyMatches("<i8", ctx.i32()));
  CHECK(npyItemSize("<f8") == 8);
  CHECK(npyItemSize("|O") == 0);
}

TEST_CASE("npy: malformed files are refused with a reason") {
  NpyArray a;
  std::string error;
  CHECK_FALSE(parseNpy("hello", a, error));
  CHECK(error == "not a .npy file (bad magic)");
  CHECK_FALSE(parseNpy(
      npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", std::string(8, '\0')), a,
      error));
  CHECK(error == "truncated .npy data: 4 elements of 4 bytes expected, 8 bytes present");
  CHECK_FALSE(
      parseNpy(npyFile("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "x"), a, error));
  CHECK(error == "unsupported .npy dtype '|O'");
  CHECK_FALSE(parseNpy(npyFile("{'descr': '<f4', 'shape': (1,), }", "xxxx"), a, error));
  CHECK(error.starts_with("malformed .npy header"));
}
