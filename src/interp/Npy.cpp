// .npy reading and writing. The header is a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (64, 64), }
// padded with spaces and a newline so that the data starts at a multiple of 64 bytes. Only
// the three keys NumPy writes are understood; object arrays and structured dtypes are refused.
#include "interp/Npy.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace tritonc {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;

/// A tiny scanner over the header's dict literal.
class HeaderScanner {
public:
  explicit HeaderScanner(std::string_view text) : text_(text) {}

  /// The text following `'key':` (with spaces skipped), or npos.
  size_t valueOf(std::string_view key) const {
    for (char quote : {'\'', '"'}) {
      std::string pattern = std::string(1, quote) + std::string(key) + quote;
      size_t at = text_.find(pattern);
      if (at == std::string_view::npos)
        continue;
      at = text_.find(':', at + pattern.size());
      if (at == std::string_view::npos)
        return at;
      ++at;
      while (at < text_.size() && text_[at] == ' ')
        ++at;
      return at;
    }
    return std::string_view::npos;
  }

  bool stringValue(std::string_view key, std::string &out) const {
    size_t at = valueOf(key);
    if (at == std::string_view::npos || at >= text_.size())
      return false;
    char quote = text_[at];
    if (quote != '\'' && quote != '"')
      return false;
    size_t end = text_.find(quote, at + 1);
    if (end == std::string_view::npos)
      return false;
    out = std::string(text_.substr(at + 1, end - at - 1));
    return true;
  }

  bool boolValue(std::string_view key, bool &out) const {
    size_t at = valueOf(key);
    if (at == std::string_view::npos)
      return false;
    if (text_.substr(at, 4) == "True")
      out = true;
    else if (text_.substr(at, 5) == "False")
      out = false;
    else
      return false;
    return true;
  }

  bool shapeValue(std::vector<int64_t> &out) const {
    size_t at = valueOf("shape");
    if (at == std::string_view::npos || at >= text_.size() || text_[at] != '(')
      return false;
    size_t end = text_.find(')', at);
    if (end == std::string_view::npos)
      return false;
    std::string_view dims = text_.substr(at + 1, end - at - 1);
    size_t i = 0;
    while (i < dims.size()) {
      while (i < dims.size() && (dims[i] == ' ' || dims[i] == ','))
        ++i;
      if (i == dims.size())
        break;
      int64_t v = 0;
      size_t start = i;
      while (i < dims.size() && dims[i] >= '0' && dims[i] <= '9') {
        v = v * 10 + (dims[i] - '0');
        if (v > (int64_t(1) << 48))
          return false;
        ++i;
      }
      // Python 2 era files may write dimensions as `64L`.
      if (i < dims.size() && dims[i] == 'L')
        ++i;
      if (i == start)
        return false;
      out.push_back(v);
    }
    return true;
  }

private:
  std::string_view text_;
};

/// Reorders Fortran-order (column-major) elements into C order.
std::vector<uint8_t> fortranToC(const std::vector<uint8_t> &data, const std::vector<int64_t> &shape,
                                unsigned item) {
  std::vector<uint8_t> out(data.size());
  const size_t rank = shape.size();
  std::vector<int64_t> idx(rank, 0);
  const int64_t n = static_cast<int64_t>(data.size() / item);
  for (int64_t c = 0; c < n; ++c) {
    // idx is the row-major index of element c; its column-major offset is sum idx[d]*stride_d.
    int64_t f = 0, stride = 1;
    for (size_t d = 0; d < rank; ++d) {
      f += idx[d] * stride;
      stride *= shape[d];
    }
    std::memcpy(out.data() + c * item, data.data() + f * item, item);
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  return out;
}

} // namespace

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

unsigned npyItemSize(std::string_view descr) {
  if (descr.size() < 3 ||
      (descr[0] != '<' && descr[0] != '>' && descr[0] != '|' && descr[0] != '='))
    return 0;
  const char kind = descr[1];
  if (std::string_view("biufcV").find(kind) == std::string_view::npos)
    return 0;
  unsigned size = 0;
  for (char c : descr.substr(2)) {
    if (c < '0' || c > '9')
      return 0;
    size = size * 10 + static_cast<unsigned>(c - '0');
    if (size > 64)
      return 0;
  }
  return size;
}

bool parseNpy(std::string_view bytes, NpyArray &out, std::string &error) {
  if (bytes.size() < kMagicLen + 4 || bytes.substr(0, kMagicLen) != std::string_view(kMagic, 6)) {
    error = "not a .npy file (bad magic)";
    return false;
  }
  const auto major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) | static_cast<size_t>(static_cast<uint8_t>(bytes[9]))
                                                     << 8;
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) {
      error = "truncated .npy header";
      return false;
    }
    headerLen = 0;
    for (int i = 3; i >= 0; --i)
      headerLen = headerLen << 8 | static_cast<uint8_t>(bytes[8 + i]);
    headerStart = 12;
  } else {
    error = "unsupported .npy format version " + std::to_string(major);
    return false;
  }
  if (bytes.size() < headerStart + headerLen) {
    error = "truncated .npy header";
    return false;
  }
  HeaderScanner header(bytes.substr(headerStart, headerLen));
  bool fortran = false;
  out.shape.clear();
  if (!header.stringValue("descr", out.descr) || !header.boolValue("fortran_order", fortran) ||
      !header.shapeValue(out.shape)) {
    error = "malformed .npy header (expected 'descr', 'fortran_order' and 'shape')";
    return false;
  }
  const unsigned item = npyItemSize(out.descr);
  if (item == 0) {
    error = "unsupported .npy dtype '" + out.descr + "'";
    return false;
  }
  // The shape's product in checked arithmetic: a header may claim any shape, and the data
  // it promises must be in the file.
  int64_t n = 1, dataBytes = 0;
  for (int64_t d : out.shape)
    if (__builtin_mul_overflow(n, d, &n)) {
      error = "malformed .npy: shape too large";
      return false;
    }
  if (__builtin_mul_overflow(n, static_cast<int64_t>(item), &dataBytes)) {
    error = "malformed .npy: shape too large";
    return false;
  }
  const std::string_view payload = bytes.substr(headerStart + headerLen);
  if (payload.size() < static_cast<uint64_t>(dataBytes)) {
    error = "truncated .npy data: " + std::to_string(n) + " elements of " + std::to_string(item) +
            " bytes expected, " + std::to_string(payload.size()) + " bytes present";
    return false;
  }
  out.data.assign(payload.begin(), payload.begin() + dataBytes);
  if (out.descr[0] == '>' && item > 1 && out.descr[1] != 'V') {
    for (int64_t i = 0; i < n; ++i)
      std::reverse(out.data.begin() + i * item, out.data.begin() + (i + 1) * item);
  }
  // One spelling per dtype from here on: '|' for single bytes, '<' otherwise.
  out.descr[0] = item == 1 ? '|' : '<';
  if (fortran && out.shape.size() > 1)
    out.data = fortranToC(out.data, out.shape, item);
  return true;
}

std::string serializeNpy(const NpyArray &array) {
  std::string dims;
  for (size_t d = 0; d < array.shape.size(); ++d)
    dims += (d ? ", " : "") + std::to_string(array.shape[d]);
  if (array.shape.size() == 1)
    dims += ','; // a Python 1-tuple
  std::string dict =
      "{'descr': '" + array.descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Pad with spaces and end with a newline so that the data starts 64-byte aligned.
  const bool v2 = dict.size() + 11 + 63 > 0xffff;
  const size_t prefix = v2 ? 12 : 10;
  const size_t total = (prefix + dict.size() + 1 + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out(kMagic, kMagicLen);
  out += static_cast<char>(v2 ? 2 : 1);
  out += '\0';
  const size_t len = dict.size();
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>((len >> 8) & 0xff);
  if (v2) {
    out += static_cast<char>((len >> 16) & 0xff);
    out += static_cast<char>((len >> 24) & 0xff);
  }
  out += dict;
  out.append(reinterpret_cast<const char *>(array.data.data()), array.data.size());
  return out;
}

bool readNpy(const std::string &path, NpyArray &out, std::string &error) {
  // Only regular files: /dev/zero or a FIFO would be read without end.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    error = "'" + path + "' is not a regular file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (!parseNpy(text.str(), out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

std::string npyDescr(const Type *elem) {
  if (elem->isPointer())
    return "<u8";
  switch (elem->scalarKind()) {
  case ScalarKind::I1:
    return "|b1";
  case ScalarKind::I8:
    return "|i1";
  case ScalarKind::I16:
    return "<i2";
  case ScalarKind::I32:
    return "<i4";
  case ScalarKind::I64:
    return "<i8";
  case ScalarKind::U8:
  case ScalarKind::F8E4NV:
  case ScalarKind::F8E5:
    return "|u1";
  case ScalarKind::U16:
  case ScalarKind::BF16:
    return "<u2";
  case ScalarKind::U32:
    return "<u4";
  case ScalarKind::U64:
    return "<u8";
  case ScalarKind::F16:
    return "<f2";
  case ScalarKind::F32:
    return "<f4";
  case ScalarKind::F64:
    return "<f8";
  }
  return "";
}

bool npyMatches(std::string_view descr, const Type *elem) {
  if (descr == npyDescr(elem))
    return true;
  if (elem->isScalar() && elem->scalarKind() == ScalarKind::BF16)
    return descr == "<V2";
  if (elem->isScalar() &&
      (elem->scalarKind() == ScalarKind::F8E4NV || elem->scalarKind() == ScalarKind::F8E5))
    return descr == "|V1";
  return false;
}

} // namespace tritonc
