// tritonc/launcher.hpp: a header-only C++17 library that loads a tritonc binary (cubin or
// fatbin; for AMD an hsaco code object or an offload bundle of several) with its JSON launch
// metadata and launches kernels by name, checking every argument against the metadata (count,
// pointer or scalar, size, integer or float) before the driver sees it. No dependencies beyond
// the standard library and the GPU API: the CUDA driver API (cuda.h, -lcuda) by default, HIP's
// module API (hip/hip_runtime_api.h, -lamdhip64) with TRITONC_LAUNCHER_HIP defined. The
// metadata is read by the small JSON reader below.
//
//   auto mod = tritonc::host::Module::load("vector_add.cubin"); // + vector_add.json
//   mod.launch("add_kernel", {blocks, 1, 1}, stream, x, y, out, n); // CUdeviceptr x, y, out
//
// With TRITONC_LAUNCHER_HIP the same calls load "vector_add.hsaco" (or a .hipfb bundle: the
// entry for the current device's gcnArchName is chosen) through hipModuleLoadData and launch
// through hipModuleLaunchKernel (hipStream_t, hipDeviceptr_t or T*); the explicit arguments are
// packed at the kernarg offsets the metadata gives (the runtime appends the hidden ones).
//
// Everything is in namespace tritonc::host. Errors throw tritonc::host::Error (a
// std::runtime_error) whose message names the file, kernel and argument; the CUDA / HIP calls'
// failures carry the CUresult / hipError_t. Define TRITONC_LAUNCHER_NO_CUDA (without
// TRITONC_LAUNCHER_HIP) to use only the metadata part (parseJson, parseMetadata,
// checkArguments, packKernargs, the offload-bundle reader) without any GPU header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(TRITONC_LAUNCHER_HIP)
#include <hip/hip_runtime_api.h>
#elif !defined(TRITONC_LAUNCHER_NO_CUDA)
#include <cuda.h>
#define TRITONC_LAUNCHER_CUDA 1
#endif

namespace tritonc::host {

/// Every failure of this library.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// ---- JSON: the subset the metadata uses (objects, arrays, strings, numbers, bools, null) -----

struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  // An object's members in file order, as two parallel vectors: std::pair<std::string, Json>
  // would need Json complete here, which clang with libstdc++ enforces.
  std::vector<std::string> keys;
  std::vector<Json> values;

  /// The member `key` of an object, or nullptr.
  const Json *find(const std::string &key) const {
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key)
        return &values[i];
    return nullptr;
  }
};

namespace detail {

class JsonReader {
public:
  explicit JsonReader(const std::string &text) : s_(text) {}

  Json document() {
    Json v = value(0);
    skipSpace();
    if (pos_ != s_.size())
      fail("unexpected text after the JSON value");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string &what) const {
    size_t line = 1, col = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i, ++col)
      if (s_[i] == '\n') {
        ++line;
        col = 0;
      }
    throw Error("JSON line " + std::to_string(line) + ", column " + std::to_string(col) + ": " +
                what);
  }
  void skipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool literal(const char *word) {
    size_t n = std::strlen(word);
    if (s_.compare(pos_, n, word) != 0)
      return false;
    pos_ += n;
    return true;
  }
  Json value(int depth) {
    if (depth > 64)
      fail("nesting too deep");
    skipSpace();
    if (pos_ >= s_.size())
      fail("unexpected end of input");
    Json v;
    char c = s_[pos_];
    if (c == '{') {
      v.kind = Json::Kind::Object;
      ++pos_;
      skipSpace();
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
        return v;
      }
      for (;;) {
        skipSpace();
        if (pos_ >= s_.size() || s_[pos_] != '"')
          fail("expected a string key");
        std::string key = string();
        skipSpace();
        if (pos_ >= s_.size() || s_[pos_] != ':')
          fail("expected ':'");
        ++pos_;
        v.keys.push_back(std::move(key));
        v.values.push_back(value(depth + 1));
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == '}') {
          ++pos_;
          return v;
        }
        fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.kind = Json::Kind::Array;
      ++pos_;
      skipSpace();
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        return v;
      }
      for (;;) {
        v.array.push_back(value(depth + 1));
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == ']') {
          ++pos_;
          return v;
        }
        fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v.kind = Json::Kind::String;
      v.string = string();
      return v;
    }
    if (literal("true")) {
      v.kind = Json::Kind::Bool;
      v.boolean = true;
      return v;
    }
    if (literal("false")) {
      v.kind = Json::Kind::Bool;
      return v;
    }
    if (literal("null"))
      return v;
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = pos_;
      while (pos_ < s_.size() && std::strchr("+-.eE0123456789", s_[pos_]))
        ++pos_;
      std::string text = s_.substr(start, pos_ - start);
      std::istringstream in(text);
      in.imbue(std::locale::classic());
      in >> v.number;
      if (!in || in.peek() != std::char_traits<char>::eof())
        fail("bad number '" + text + "'");
      v.kind = Json::Kind::Number;
      return v;
    }
    fail(std::string("unexpected character '") + c + "'");
  }
  std::string string() {
    ++pos_; // opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20)
        fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size())
        break;
      char e = s_[pos_++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        if (pos_ + 4 > s_.size())
          fail("short \\u escape");
        unsigned cp = static_cast<unsigned>(std::stoul(s_.substr(pos_, 4), nullptr, 16));
        pos_ += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && s_.compare(pos_, 2, "\\u") == 0) {
          unsigned lo = static_cast<unsigned>(std::stoul(s_.substr(pos_ + 2, 4), nullptr, 16));
          pos_ += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        // UTF-8
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        break;
      }
      default:
        fail(std::string("bad escape '\\") + e + "'");
      }
    }
    if (pos_ >= s_.size())
      fail("unterminated string");
    ++pos_; // closing quote
    return out;
  }

  const std::string &s_;
  size_t pos_ = 0;
};

inline std::string readWholeFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("cannot open '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace detail

/// Parses JSON text; throws Error("JSON line L, column C: ...") on malformed input.
inline Json parseJson(const std::string &text) { return detail::JsonReader(text).document(); }

// ---- launch metadata ---------------------------------------------------------------------

struct ParamInfo {
  std::string name;
  std::string type; ///< .tt spelling: "*fp32", "i32", "fp16"
  bool isPointer = false;
  unsigned size = 0;
  unsigned align = 0;
  /// The `:16` promise the kernel was compiled with: a pointer's address (in bytes) or an
  /// integer's value is a multiple of it. checkArguments() holds every launch to it.
  uint64_t divisibility = 1;
  /// AMD: the byte offset in the kernel-argument segment (the code object's notes); -1 when the
  /// metadata has none (then packKernargs lays the parameters out by their alignment).
  int64_t offset = -1;
};

/// One promise of a specialized variant (tritonc --specialize): parameter `param` (0-based) is
/// a multiple of `divisibleBy` (a pointer's address) when that is nonzero, else equal to
/// `equals`.
struct Promise {
  unsigned param = 0;
  uint64_t divisibleBy = 0;
  int64_t equals = 0;
};

/// One entry point of a kernel compiled with --specialize: launched when the arguments keep
/// all its promises (the last variant, the generic kernel, has none).
struct VariantInfo {
  std::string symbol;
  std::vector<Promise> promises;
  unsigned sharedBytes = 0;
};

struct KernelInfo {
  std::string name;
  std::string symbol;
  /// --specialize: every entry of the kernel, most specialized first, the generic one last;
  /// empty for a kernel with one entry (`symbol`). See selectVariant().
  std::vector<VariantInfo> variants;
  unsigned block[3] = {1, 1, 1};
  /// An AMD offload bundle: the block on each arch of Metadata::archs (wavefront sizes differ
  /// between CDNA and RDNA); empty otherwise.
  std::vector<std::vector<unsigned>> archBlocks;
  unsigned clusterDims[3] = {1, 1, 1};
  unsigned sharedBytes = 0;
  std::vector<ParamInfo> params;
  /// The constexprs it was compiled with (BLOCK_SIZE, ...), in declaration order: the object
  /// "constexprs" of the metadata (numbers, booleans, strings, null).
  Json constexprs;

  /// A constexpr's value, or nullptr.
  const Json *constexprValue(const std::string &name) const { return constexprs.find(name); }
  /// An integer constexpr (for grids: cdiv(n, kernel.constexprInt("BLOCK_SIZE"))); throws Error
  /// when it is missing or not an integer.
  int64_t constexprInt(const std::string &name) const {
    const Json *v = constexprValue(name);
    if (!v || v->kind != Json::Kind::Number ||
        v->number != static_cast<double>(static_cast<int64_t>(v->number)))
      throw Error("kernel '" + this->name + "' has no integer constexpr '" + name + "'");
    return static_cast<int64_t>(v->number);
  }
};

struct Metadata {
  std::string backend;            ///< "cuda" or "hip"
  std::string arch;               ///< as --arch: "sm_90a", or "sm_80,sm_90a" for a fatbin
  std::vector<std::string> archs; ///< a fatbin's (or AMD bundle's) archs; empty for one binary
  unsigned warpSize = 32;
  std::vector<unsigned> archWarpSizes; ///< an AMD bundle: each arch's wavefront size
  std::string binary;
  std::vector<KernelInfo> kernels;

  const KernelInfo *kernel(const std::string &name) const {
    for (const KernelInfo &k : kernels)
      if (k.name == name)
        return &k;
    return nullptr;
  }
};

namespace detail {

inline const Json &member(const Json &object, const std::string &key, Json::Kind kind,
                          const std::string &where) {
  const Json *v = object.find(key);
  if (!v)
    throw Error(where + ": missing \"" + key + "\"");
  if (v->kind != kind)
    throw Error(where + ": \"" + key + "\" has the wrong type");
  return *v;
}

inline unsigned unsignedMember(const Json &object, const std::string &key,
                               const std::string &where) {
  double d = member(object, key, Json::Kind::Number, where).number;
  if (d < 0 || d > 4294967295.0 || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw Error(where + ": \"" + key + "\" is not an unsigned integer");
  return static_cast<unsigned>(d);
}

inline void dims(const Json &object, const std::string &key, unsigned (&out)[3],
                 const std::string &where) {
  const Json *v = object.find(key);
  if (!v) // optional: cluster_dims
    return;
  if (v->kind != Json::Kind::Array || v->array.size() != 3)
    throw Error(where + ": \"" + key + "\" must be an array of 3 numbers");
  for (int i = 0; i < 3; ++i) {
    if (v->array[i].kind != Json::Kind::Number || v->array[i].number < 1)
      throw Error(where + ": \"" + key + "\" must hold positive numbers");
    out[i] = static_cast<unsigned>(v->array[i].number);
  }
}

} // namespace detail

/// Reads tritonc's launch metadata (README.md, "Launch metadata"); `origin` names the file in
/// error messages. Keys the launcher does not need are ignored.
inline Metadata parseMetadata(const std::string &text, const std::string &origin = "metadata") {
  using detail::member;
  Json doc;
  try {
    doc = parseJson(text);
  } catch (const Error &e) {
    throw Error(origin + ": " + e.what());
  }
  if (doc.kind != Json::Kind::Object)
    throw Error(origin + ": not a JSON object");
  // A format this header does not know could mean something else by the same keys (metadata
  // without the key predates format 1 and reads the same).
  if (const Json *format = doc.find("format_version"))
    if (format->kind != Json::Kind::Number || format->number != 1)
      throw Error(origin + ": metadata format_version " +
                  (format->kind == Json::Kind::Number
                       ? std::to_string(static_cast<long long>(format->number))
                       : "?") +
                  " is not supported by this launcher.hpp (it reads format 1)");
  Metadata m;
  const Json &target = member(doc, "target", Json::Kind::Object, origin);
  m.backend = member(target, "backend", Json::Kind::String, origin + ": target").string;
  m.arch = member(target, "arch", Json::Kind::String, origin + ": target").string;
  if (const Json *archs = target.find("archs"))
    for (const Json &a : archs->array)
      m.archs.push_back(a.string);
  if (const Json *w = target.find("warp_size"); w && w->kind == Json::Kind::Number)
    m.warpSize = static_cast<unsigned>(w->number);
  if (const Json *ws = target.find("arch_warp_sizes"))
    for (const Json &w : ws->array)
      m.archWarpSizes.push_back(static_cast<unsigned>(w.number));
  if (const Json *binary = doc.find("binary"))
    m.binary = binary->string;
  for (const Json &k : member(doc, "kernels", Json::Kind::Array, origin).array) {
    KernelInfo info;
    info.name = member(k, "name", Json::Kind::String, origin + ": kernel").string;
    std::string where = origin + ": kernel '" + info.name + "'";
    const Json *symbol = k.find("symbol");
    info.symbol = symbol && symbol->kind == Json::Kind::String ? symbol->string : info.name;
    detail::dims(k, "block", info.block, where);
    detail::dims(k, "cluster_dims", info.clusterDims, where);
    if (const Json *blocks = k.find("arch_blocks")) {
      if (blocks->kind != Json::Kind::Array || blocks->array.size() != m.archs.size())
        throw Error(where + ": \"arch_blocks\" must list one block per arch of target.archs");
      for (const Json &b : blocks->array) {
        Json holder;
        holder.kind = Json::Kind::Object;
        holder.keys.push_back("block");
        holder.values.push_back(b);
        unsigned d[3] = {1, 1, 1};
        detail::dims(holder, "block", d, where + ": arch_blocks");
        info.archBlocks.push_back({d[0], d[1], d[2]});
      }
    }
    if (const Json *c = k.find("constexprs"); c && c->kind == Json::Kind::Object)
      info.constexprs = *c;
    info.sharedBytes = detail::unsignedMember(k, "shared_bytes", where);
    for (const Json &p : member(k, "params", Json::Kind::Array, where).array) {
      ParamInfo param;
      param.name = member(p, "name", Json::Kind::String, where + ": param").string;
      std::string pwhere = where + ": param '" + param.name + "'";
      param.type = member(p, "type", Json::Kind::String, pwhere).string;
      std::string kind = member(p, "kind", Json::Kind::String, pwhere).string;
      if (kind != "pointer" && kind != "scalar")
        throw Error(pwhere + ": kind must be \"pointer\" or \"scalar\", not \"" + kind + "\"");
      param.isPointer = kind == "pointer";
      param.size = detail::unsignedMember(p, "size", pwhere);
      param.align = detail::unsignedMember(p, "align", pwhere);
      if (param.size == 0 || param.size > 8)
        throw Error(pwhere + ": unsupported size " + std::to_string(param.size));
      if (const Json *d = p.find("divisibility")) {
        if (d->kind != Json::Kind::Number || d->number < 1 ||
            d->number != static_cast<double>(static_cast<uint64_t>(d->number)))
          throw Error(pwhere + ": \"divisibility\" must be a positive integer");
        param.divisibility = static_cast<uint64_t>(d->number);
      }
      if (p.find("offset"))
        param.offset = detail::unsignedMember(p, "offset", pwhere);
      info.params.push_back(std::move(param));
    }
    if (const Json *vs = k.find("variants")) {
      if (vs->kind != Json::Kind::Array)
        throw Error(where + ": \"variants\" must be an array");
      for (const Json &v : vs->array) {
        VariantInfo variant;
        variant.symbol = member(v, "symbol", Json::Kind::String, where + ": variant").string;
        std::string vwhere = where + ": variant '" + variant.symbol + "'";
        variant.sharedBytes = detail::unsignedMember(v, "shared_bytes", vwhere);
        for (const Json &p : member(v, "promises", Json::Kind::Array, vwhere).array) {
          Promise promise;
          promise.param = detail::unsignedMember(p, "param", vwhere + ": promise");
          if (promise.param >= info.params.size())
            throw Error(vwhere + ": a promise on parameter " + std::to_string(promise.param) +
                        " of " + std::to_string(info.params.size()));
          if (p.find("divisible_by"))
            promise.divisibleBy = detail::unsignedMember(p, "divisible_by", vwhere + ": promise");
          else if (const Json *e = p.find("equals"); e && e->kind == Json::Kind::Number)
            promise.equals = static_cast<int64_t>(e->number);
          else // a promise this launcher does not know: never assume it holds
            promise.divisibleBy = ~uint64_t{0};
          variant.promises.push_back(promise);
        }
        info.variants.push_back(std::move(variant));
      }
    }
    m.kernels.push_back(std::move(info));
  }
  return m;
}

// ---- arguments ---------------------------------------------------------------------------

/// One launch argument as the host gave it, before it is checked against a parameter.
struct Arg {
  enum class Kind { Pointer, SignedInt, UnsignedInt, Float, Bool };
  Kind kind = Kind::Pointer;
  unsigned size = 0;        ///< sizeof the host value
  unsigned char bytes[8]{}; ///< the value's bytes, as the kernel's parameter buffer wants them

  /// A device pointer: CUdeviceptr is an unsigned integer of pointer size; prefer
  /// Arg::pointer(d) (or a T* from cuMemAlloc's address space) to make the intent explicit.
  static Arg pointer(uint64_t address) {
    Arg a;
    a.kind = Kind::Pointer;
    a.size = 8;
    std::memcpy(a.bytes, &address, 8);
    return a;
  }
  /// Raw bits for fp16 / bf16 / fp8 scalars (e.g. a uint16_t holding an fp16 value).
  static Arg bits(uint64_t value, unsigned size) {
    Arg a;
    a.kind = Kind::UnsignedInt;
    a.size = size;
    std::memcpy(a.bytes, &value, size); // little-endian hosts
    return a;
  }

  /// Any host value: a T* is a device pointer; integers, floats and bools are scalars.
  /// (A CUdeviceptr is an unsigned long long and would read as a u64 scalar, so
  /// Module::launch() treats unsigned 64-bit integers passed for a pointer parameter as an
  /// address: see checkArguments.)
  template <typename T> static Arg from(const T &value) {
    Arg a;
    if constexpr (std::is_pointer_v<T>) {
      a = pointer(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(value)));
    } else if constexpr (std::is_same_v<T, bool>) {
      a.kind = Kind::Bool;
      a.size = 1;
      a.bytes[0] = value ? 1 : 0;
    } else if constexpr (std::is_floating_point_v<T>) {
      static_assert(sizeof(T) <= 8, "long double is not a kernel parameter type");
      a.kind = Kind::Float;
      a.size = sizeof(T);
      std::memcpy(a.bytes, &value, sizeof(T));
    } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
      static_assert(sizeof(T) <= 8, "integers wider than 64 bits are not parameter types");
      a.kind = std::is_signed_v<T> ? Kind::SignedInt : Kind::UnsignedInt;
      a.size = sizeof(T);
      std::memcpy(a.bytes, &value, sizeof(T));
    } else if constexpr (std::is_same_v<T, Arg>) {
      a = value;
    } else {
      static_assert(sizeof(T) == 0, "a launch argument must be a pointer, integer, float or bool");
    }
    return a;
  }
};

namespace detail {

inline std::string describe(const Arg &a) {
  switch (a.kind) {
  case Arg::Kind::Pointer:
    return "a pointer";
  case Arg::Kind::Bool:
    return "a bool";
  case Arg::Kind::Float:
    return "a " + std::to_string(a.size) + "-byte float";
  case Arg::Kind::SignedInt:
    return "a " + std::to_string(a.size) + "-byte signed integer";
  case Arg::Kind::UnsignedInt:
    return "a " + std::to_string(a.size) + "-byte unsigned integer";
  }
  return "?";
}

} // namespace detail

/// Checks `args` against `kernel`'s parameters and fixes them up in place where the meaning is
/// unambiguous: a 64-bit unsigned integer (CUdeviceptr) for a pointer parameter becomes a
/// pointer. Throws Error naming the kernel and the first bad argument. The rules: the count
/// matches; pointer parameters take pointers (or CUdeviceptr); integer scalars (iN, uN) take
/// integers of exactly their size; fp32/fp64 take float/double; i1 takes bool; fp16, bf16 and
/// fp8 take unsigned integers of their size (the raw bits). A parameter compiled with a `:16`
/// promise (divisibility) takes only addresses / integer values that keep it: the kernel's code
/// relies on it (16-byte vector accesses), so a broken promise would give wrong results.
inline void checkArguments(const KernelInfo &kernel, std::vector<Arg> &args) {
  if (args.size() != kernel.params.size()) {
    std::string list;
    for (const ParamInfo &p : kernel.params)
      list += (list.empty() ? "" : ", ") + p.name + ": " + p.type;
    throw Error("kernel '" + kernel.name + "' takes " + std::to_string(kernel.params.size()) +
                " argument(s) (" + list + "), got " + std::to_string(args.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const ParamInfo &p = kernel.params[i];
    Arg &a = args[i];
    auto bad = [&](const std::string &want) {
      throw Error("kernel '" + kernel.name + "': argument " + std::to_string(i + 1) + " ('" +
                  p.name + "', " + p.type + ") needs " + want + ", got " + detail::describe(a));
    };
    if (p.isPointer) {
      if (a.kind == Arg::Kind::UnsignedInt && a.size == 8)
        a.kind = Arg::Kind::Pointer; // CUdeviceptr
      if (a.kind != Arg::Kind::Pointer)
        bad("a device pointer (CUdeviceptr or T*)");
      uint64_t address = 0;
      std::memcpy(&address, a.bytes, 8);
      if (p.divisibility > 1 && address % p.divisibility != 0) {
        char hex[32];
        std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(address));
        throw Error("kernel '" + kernel.name + "': argument " + std::to_string(i + 1) + " ('" +
                    p.name + "', " + p.type + ") was compiled for addresses divisible by " +
                    std::to_string(p.divisibility) + " (the :" + std::to_string(p.divisibility) +
                    " in its type), got " + hex +
                    "; pass an aligned pointer or compile without the promise");
      }
      continue;
    }
    const std::string &t = p.type;
    std::string bytes = std::to_string(p.size) + "-byte";
    if (t == "i1") {
      if (a.kind != Arg::Kind::Bool)
        bad("a bool");
    } else if (t == "fp32" || t == "fp64") {
      if (a.kind != Arg::Kind::Float || a.size != p.size)
        bad(t == "fp32" ? "a float" : "a double");
    } else if (!t.empty() && (t[0] == 'i' || t[0] == 'u')) {
      bool isInt = a.kind == Arg::Kind::SignedInt || a.kind == Arg::Kind::UnsignedInt;
      if (!isInt || a.size != p.size)
        bad("a " + bytes + " integer");
      if (p.divisibility > 1) {
        // Sign-extend a signed value from its size; the remainder test then holds for both.
        int64_t value = 0;
        std::memcpy(&value, a.bytes, a.size);
        if (a.kind == Arg::Kind::SignedInt && a.size < 8 && (a.bytes[a.size - 1] & 0x80))
          value |= static_cast<int64_t>(~0ull << (8 * a.size));
        if (value % static_cast<int64_t>(p.divisibility) != 0)
          throw Error("kernel '" + kernel.name + "': argument " + std::to_string(i + 1) + " ('" +
                      p.name + "', " + p.type + ") was compiled for values divisible by " +
                      std::to_string(p.divisibility) + " (the :" + std::to_string(p.divisibility) +
                      " in its type), got " + std::to_string(value) +
                      "; compile without the promise for such values");
      }
    } else { // fp16, bf16, fp8*: raw bits
      if (a.kind != Arg::Kind::UnsignedInt || a.size != p.size)
        bad("its raw bits as a " + bytes + " unsigned integer");
    }
  }
}

/// The variant of a kernel compiled with --specialize that `args` (already checked by
/// checkArguments) launch: the index in kernel.variants of the first whose promises they keep
/// (a pointer's address or an integer's value divisible by 16, an integer equal to 1). 0 for a
/// kernel without variants. Throws Error when none fits (metadata without a generic variant).
inline size_t selectVariant(const KernelInfo &kernel, const std::vector<Arg> &args) {
  for (size_t v = 0; v < kernel.variants.size(); ++v) {
    bool holds = true;
    for (const Promise &p : kernel.variants[v].promises) {
      if (p.param >= args.size()) {
        holds = false;
        break;
      }
      const Arg &a = args[p.param];
      int64_t value = 0;
      std::memcpy(&value, a.bytes, a.size < 8 ? a.size : 8);
      if (a.kind == Arg::Kind::SignedInt && a.size > 0 && a.size < 8 &&
          (a.bytes[a.size - 1] & 0x80))
        value |= static_cast<int64_t>(~0ull << (8 * a.size));
      if (p.divisibleBy != 0) {
        if (a.kind == Arg::Kind::Pointer || a.kind == Arg::Kind::UnsignedInt)
          holds = static_cast<uint64_t>(value) % p.divisibleBy == 0;
        else
          holds = a.kind == Arg::Kind::SignedInt && p.divisibleBy <= INT64_MAX &&
                  value % static_cast<int64_t>(p.divisibleBy) == 0;
      } else {
        holds = (a.kind == Arg::Kind::SignedInt || a.kind == Arg::Kind::UnsignedInt) &&
                value == p.equals;
      }
      if (!holds)
        break;
    }
    if (holds)
      return v;
  }
  if (kernel.variants.empty())
    return 0;
  throw Error("kernel '" + kernel.name + "': no variant's promises hold for these arguments " +
              "(the metadata lists no generic variant)");
}

// ---- AMD: kernel arguments and offload bundles ---------------------------------------------

/// The explicit part of an AMD kernel's argument segment for `args` (already checked by
/// checkArguments): each argument's bytes at its parameter's offset (from the code object's
/// notes, through the metadata; without offsets, each parameter at the next multiple of its
/// alignment), zeros between. The size is the end of the last parameter: hidden arguments
/// follow it in the segment, and the HIP runtime appends them itself (as for hipLaunchKernel,
/// which hands hipModuleLaunchKernel the explicit arguments alone).
inline std::vector<unsigned char> packKernargs(const KernelInfo &kernel,
                                               const std::vector<Arg> &args) {
  if (args.size() != kernel.params.size())
    throw Error("kernel '" + kernel.name + "': packKernargs needs checked arguments");
  std::vector<unsigned char> out;
  uint64_t next = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const ParamInfo &p = kernel.params[i];
    uint64_t align = p.align ? p.align : 1;
    uint64_t at =
        p.offset >= 0 ? static_cast<uint64_t>(p.offset) : (next + align - 1) / align * align;
    if (at > (1u << 20))
      throw Error("kernel '" + kernel.name + "': param '" + p.name + "' at offset " +
                  std::to_string(at) + " is beyond any kernel-argument segment");
    if (out.size() < at + p.size)
      out.resize(at + p.size, 0);
    std::memcpy(out.data() + at, args[i].bytes, p.size);
    next = at + p.size;
  }
  return out;
}

/// One entry of a clang offload bundle: its id ("hipv4-amdgcn-amd-amdhsa--gfx942") and bytes.
struct BundleEntry {
  std::string id;
  uint64_t offset = 0;
  uint64_t size = 0;
};

/// Whether `image` starts as a clang offload bundle ("__CLANG_OFFLOAD_BUNDLE__").
inline bool isOffloadBundle(const std::string &image) {
  return image.compare(0, 24, "__CLANG_OFFLOAD_BUNDLE__") == 0;
}

/// The entries of a clang offload bundle (the layout tritonc writes for several --arch gfx
/// values); throws Error when it is truncated or an entry lies outside it.
inline std::vector<BundleEntry> parseOffloadBundle(const std::string &image,
                                                   const std::string &origin = "bundle") {
  auto u64 = [&](size_t at) {
    if (at + 8 > image.size())
      throw Error(origin + ": truncated offload bundle");
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(image[at + i]);
    return v;
  };
  if (!isOffloadBundle(image))
    throw Error(origin + ": not a clang offload bundle");
  uint64_t count = u64(24);
  if (count > 4096)
    throw Error(origin + ": offload bundle with " + std::to_string(count) + " entries");
  std::vector<BundleEntry> entries;
  size_t at = 32;
  for (uint64_t i = 0; i < count; ++i) {
    BundleEntry e;
    e.offset = u64(at);
    e.size = u64(at + 8);
    uint64_t idLength = u64(at + 16);
    at += 24;
    if (idLength > 4096 || at + idLength > image.size())
      throw Error(origin + ": truncated offload bundle");
    e.id = image.substr(at, idLength);
    at += idLength;
    if (e.offset > image.size() || e.size > image.size() - e.offset)
      throw Error(origin + ": offload bundle entry '" + e.id + "' lies outside the file");
    entries.push_back(std::move(e));
  }
  return entries;
}

/// The processor of an AMD target id or gcnArchName: "gfx90a:sramecc+:xnack-" -> "gfx90a",
/// "hipv4-amdgcn-amd-amdhsa--gfx942" -> "gfx942".
inline std::string amdProcessor(const std::string &name) {
  std::string s = name;
  if (size_t dashes = s.rfind("--"); dashes != std::string::npos)
    s = s.substr(dashes + 2);
  return s.substr(0, s.find(':'));
}

/// The code object of `image` for `deviceArch` (a gcnArchName): a bundle's entry for that
/// processor, or the image itself when it is one code object. `index` gets the entry's place in
/// `archs` (the metadata's list; 0 for one code object). Throws Error naming what the image
/// holds when nothing fits.
inline std::string selectCodeObject(const std::string &image, const std::vector<std::string> &archs,
                                    const std::string &deviceArch, size_t &index,
                                    const std::string &origin = "binary") {
  const std::string want = amdProcessor(deviceArch);
  index = 0;
  if (!isOffloadBundle(image))
    return image;
  std::string have;
  for (const BundleEntry &e : parseOffloadBundle(image, origin)) {
    if (e.id.rfind("hip", 0) != 0)
      continue; // the host entry
    const std::string arch = amdProcessor(e.id);
    have += (have.empty() ? "" : ", ") + arch;
    if (arch != want)
      continue;
    for (size_t i = 0; i < archs.size(); ++i)
      if (archs[i] == arch)
        index = i;
    return image.substr(e.offset, e.size);
  }
  throw Error(origin + ": no code object for this GPU (" + deviceArch + "); the bundle holds " +
              (have.empty() ? std::string("none") : have) + ": compile with --arch " + want);
}

// ---- CUDA and HIP ------------------------------------------------------------------------

#if defined(TRITONC_LAUNCHER_CUDA) || defined(TRITONC_LAUNCHER_HIP)

namespace detail {

#if defined(TRITONC_LAUNCHER_HIP)
using ModuleHandle = hipModule_t;
using FunctionHandle = hipFunction_t;
using StreamHandle = hipStream_t;
using ErrorCode = hipError_t;
inline constexpr const char *kBackend = "hip";
inline constexpr const char *kApi = "HIP";

inline void check(hipError_t r, const std::string &what) {
  if (r == hipSuccess)
    return;
  const char *name = hipGetErrorName(r);
  const char *text = hipGetErrorString(r);
  throw Error(what + " failed: " +
              (name ? std::string(name) : "hipError_t " + std::to_string(static_cast<int>(r))) +
              (text ? std::string(" (") + text + ")" : std::string()));
}

/// The current device's gcnArchName ("gfx942:sramecc+:xnack-").
inline std::string deviceArch() {
  int device = 0;
  check(hipGetDevice(&device), "hipGetDevice");
  hipDeviceProp_t props{};
  check(hipGetDeviceProperties(&props, device), "hipGetDeviceProperties");
  return std::string(props.gcnArchName, strnlen(props.gcnArchName, sizeof props.gcnArchName));
}
#else
using ModuleHandle = CUmodule;
using FunctionHandle = CUfunction;
using StreamHandle = CUstream;
using ErrorCode = CUresult;
inline constexpr const char *kBackend = "cuda";
inline constexpr const char *kApi = "CUDA";

inline void check(CUresult r, const std::string &what) {
  if (r == CUDA_SUCCESS)
    return;
  const char *name = nullptr, *text = nullptr;
  cuGetErrorName(r, &name);
  cuGetErrorString(r, &text);
  throw Error(what + " failed: " + (name ? name : "CUresult " + std::to_string(r)) +
              (text ? std::string(" (") + text + ")" : std::string()));
}
#endif

} // namespace detail

/// The stream type launches take: CUstream, or hipStream_t with TRITONC_LAUNCHER_HIP.
using Stream = detail::StreamHandle;

struct Grid {
  unsigned x = 1, y = 1, z = 1;
};

/// A loaded binary and its kernels. Needs a current CUDA context (cuCtxSetCurrent /
/// cuDevicePrimaryCtxRetain), or with HIP a current device (hipSetDevice), when loaded and when
/// launching. Movable, not copyable; unloads the module when destroyed.
class Module {
public:
  /// Loads `binaryPath` (cubin or fatbin; hsaco or hipfb) and its metadata (`jsonPath`;
  /// default: the binary's path with its extension replaced by .json). Throws Error.
  static Module load(const std::string &binaryPath, std::string jsonPath = "") {
    if (jsonPath.empty()) {
      size_t slash = binaryPath.find_last_of('/');
      size_t dot = binaryPath.find_last_of('.');
      jsonPath = (dot != std::string::npos && (slash == std::string::npos || dot > slash)
                      ? binaryPath.substr(0, dot)
                      : binaryPath) +
                 ".json";
    }
    return fromMemory(detail::readWholeFile(binaryPath),
                      parseMetadata(detail::readWholeFile(jsonPath), jsonPath), binaryPath);
  }

  /// Loads binary bytes already in memory with their parsed metadata.
  static Module fromMemory(const std::string &binary, Metadata metadata,
                           const std::string &origin = "binary") {
    if (metadata.backend != detail::kBackend)
      throw Error(origin + ": metadata is for backend '" + metadata.backend +
                  "'; this launcher drives " + detail::kApi +
#if defined(TRITONC_LAUNCHER_HIP)
                  " (build without TRITONC_LAUNCHER_HIP for CUDA binaries)");
#else
                  " (define TRITONC_LAUNCHER_HIP for AMD binaries)");
#endif
    Module m;
    m.metadata_ = std::move(metadata);
    m.origin_ = origin;
    const std::string *image = &binary;
#if defined(TRITONC_LAUNCHER_HIP)
    // The device's code object: a bundle's entry for its processor (hipModuleLoadData would
    // pick the same one; choosing here gives the block of that arch and a clear error), or the
    // single code object after checking that it is for this processor.
    const std::string arch = detail::deviceArch();
    size_t index = 0;
    std::string chosen = selectCodeObject(binary, m.metadata_.archs, arch, index, origin);
    if (!isOffloadBundle(binary) && !m.metadata_.arch.empty() &&
        amdProcessor(m.metadata_.arch) != amdProcessor(arch))
      throw Error(origin + ": a code object for " + m.metadata_.arch + ", but the GPU is " + arch +
                  ": compile with --arch " + amdProcessor(arch));
    m.archIndex_ = index;
    image = &chosen;
#endif
    // The module loaders want the image 8-byte aligned; a std::string's buffer may not be.
    std::vector<uint64_t> aligned((image->size() + 7) / 8);
    std::memcpy(aligned.data(), image->data(), image->size());
#if defined(TRITONC_LAUNCHER_HIP)
    detail::check(hipModuleLoadData(&m.module_, aligned.data()), origin + ": hipModuleLoadData");
#else
    detail::check(cuModuleLoadData(&m.module_, aligned.data()), origin + ": cuModuleLoadData");
#endif
    for (const KernelInfo &k : m.metadata_.kernels) {
      std::vector<std::pair<std::string, unsigned>> entries; // symbol, shared bytes
      for (const VariantInfo &v : k.variants)
        entries.emplace_back(v.symbol, v.sharedBytes);
      if (entries.empty())
        entries.emplace_back(k.symbol, k.sharedBytes);
      std::vector<detail::FunctionHandle> functions;
      for (const auto &[symbol, shared] : entries) {
        detail::FunctionHandle f = nullptr;
#if defined(TRITONC_LAUNCHER_HIP)
        (void)shared; // LDS needs no opt-in
        detail::check(hipModuleGetFunction(&f, m.module_, symbol.c_str()),
                      origin + ": hipModuleGetFunction(\"" + symbol + "\")");
#else
        detail::check(cuModuleGetFunction(&f, m.module_, symbol.c_str()),
                      origin + ": cuModuleGetFunction(\"" + symbol + "\")");
        if (shared > 48 * 1024)
          detail::check(cuFuncSetAttribute(f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                           static_cast<int>(shared)),
                        origin + ": kernel '" + k.name + "': raising the shared-memory limit");
#endif
        functions.push_back(f);
      }
      m.functions_[k.name] = std::move(functions);
    }
    return m;
  }

  Module() = default;
  Module(Module &&other) noexcept { *this = std::move(other); }
  Module &operator=(Module &&other) noexcept {
    if (this != &other) {
      reset();
      module_ = other.module_;
      other.module_ = nullptr;
      metadata_ = std::move(other.metadata_);
      functions_ = std::move(other.functions_);
      origin_ = std::move(other.origin_);
      archIndex_ = other.archIndex_;
    }
    return *this;
  }
  Module(const Module &) = delete;
  Module &operator=(const Module &) = delete;
  ~Module() { reset(); }

  const Metadata &metadata() const { return metadata_; }
  detail::ModuleHandle handle() const { return module_; }
  /// The arch whose binary was loaded: the metadata's arch for one binary, the device's entry
  /// of an AMD bundle (a fatbin: the driver's choice, so the metadata's list).
  std::string loadedArch() const {
    return archIndex_ < metadata_.archs.size() && isAmd() ? metadata_.archs[archIndex_]
                                                          : metadata_.arch;
  }

  /// The kernel's metadata; throws Error listing the kernels there are.
  const KernelInfo &kernel(const std::string &name) const {
    if (const KernelInfo *k = metadata_.kernel(name))
      return *k;
    std::string list;
    for (const KernelInfo &k : metadata_.kernels)
      list += (list.empty() ? "" : ", ") + k.name;
    throw Error(origin_ + ": no kernel '" + name + "' (it has: " + list + ")");
  }

  /// The block a launch of `k` uses: the metadata's, or in an AMD bundle the loaded arch's.
  std::vector<unsigned> block(const KernelInfo &k) const {
    if (archIndex_ < k.archBlocks.size())
      return k.archBlocks[archIndex_];
    return {k.block[0], k.block[1], k.block[2]};
  }

  /// Launches kernel `name` on `grid` programs with `args` (checked by checkArguments).
  template <typename... Args>
  void launch(const std::string &name, Grid grid, Stream stream, const Args &...args) {
    std::vector<Arg> list{Arg::from(args)...};
    launchArgs(name, grid, stream, list);
  }

  /// The same with arguments built at run time.
  void launchArgs(const std::string &name, Grid grid, Stream stream, std::vector<Arg> args) {
    const KernelInfo &k = kernel(name);
    checkArguments(k, args);
    // --specialize: the most specialized entry whose promises the arguments keep.
    const size_t variant = selectVariant(k, args);
    const unsigned sharedBytes =
        k.variants.empty() ? k.sharedBytes : k.variants[variant].sharedBytes;
    detail::FunctionHandle f = functions_.at(name).at(variant);
    const std::vector<unsigned> b = block(k);
#if defined(TRITONC_LAUNCHER_HIP)
    // The explicit arguments at the code object's offsets, through `extra` (the runtime adds
    // the hidden arguments behind them).
    std::vector<unsigned char> kernargs = packKernargs(k, args);
    size_t kernargBytes = kernargs.size();
    void *extra[] = {HIP_LAUNCH_PARAM_BUFFER_POINTER, kernargs.empty() ? nullptr : kernargs.data(),
                     HIP_LAUNCH_PARAM_BUFFER_SIZE, &kernargBytes, HIP_LAUNCH_PARAM_END};
    detail::check(hipModuleLaunchKernel(f, grid.x, grid.y, grid.z, b[0], b[1], b[2], sharedBytes,
                                        stream, nullptr, extra),
                  origin_ + ": kernel '" + name + "': hipModuleLaunchKernel");
#else
    std::vector<void *> pointers;
    for (Arg &a : args)
      pointers.push_back(a.bytes);
    void **params = pointers.empty() ? nullptr : pointers.data();
    unsigned cluster = k.clusterDims[0] * k.clusterDims[1] * k.clusterDims[2];
    if (cluster > 1) {
#if CUDA_VERSION >= 12000
      CUlaunchAttribute attr{};
      attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
      attr.value.clusterDim.x = k.clusterDims[0];
      attr.value.clusterDim.y = k.clusterDims[1];
      attr.value.clusterDim.z = k.clusterDims[2];
      CUlaunchConfig config{};
      config.gridDimX = grid.x * k.clusterDims[0];
      config.gridDimY = grid.y * k.clusterDims[1];
      config.gridDimZ = grid.z * k.clusterDims[2];
      config.blockDimX = b[0];
      config.blockDimY = b[1];
      config.blockDimZ = b[2];
      config.sharedMemBytes = sharedBytes;
      config.hStream = stream;
      config.attrs = &attr;
      config.numAttrs = 1;
      detail::check(cuLaunchKernelEx(&config, f, params, nullptr),
                    origin_ + ": kernel '" + name + "': cuLaunchKernelEx");
      return;
#else
      throw Error(origin_ + ": kernel '" + name + "' needs clusters (CUDA 12 or newer)");
#endif
    }
    detail::check(cuLaunchKernel(f, grid.x, grid.y, grid.z, b[0], b[1], b[2], sharedBytes, stream,
                                 params, nullptr),
                  origin_ + ": kernel '" + name + "': cuLaunchKernel");
#endif
  }

private:
  bool isAmd() const { return metadata_.backend == "hip"; }
  void reset() {
    if (module_) {
#if defined(TRITONC_LAUNCHER_HIP)
      (void)hipModuleUnload(module_);
#else
      cuModuleUnload(module_);
#endif
    }
    module_ = nullptr;
    functions_.clear();
  }

  detail::ModuleHandle module_ = nullptr;
  Metadata metadata_;
  std::map<std::string, std::vector<detail::FunctionHandle>> functions_; ///< per kernel, variant
  std::string origin_;
  size_t archIndex_ = 0; ///< an AMD bundle: the loaded entry's place in metadata_.archs
};

#endif // TRITONC_LAUNCHER_CUDA || TRITONC_LAUNCHER_HIP

} // namespace tritonc::host
