// Renders the --emit-c-header output (see CHeader.h): the binary as a byte array, module-level
// load/unload functions and one typed launcher per kernel. The text depends only on the metadata
// and the binary's bytes, so identical input gives a byte-identical header.
#include "driver/CHeader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace tritonc::driver {

bool isCIdentifier(const std::string &s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9'))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string cHeaderPrefix(const std::string &headerPath) {
  std::string stem = std::filesystem::path(headerPath).stem().string();
  std::string id;
  for (char c : stem) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    id += ok ? c : '_';
  }
  if (id.empty() || (id[0] >= '0' && id[0] <= '9'))
    id = "_" + id;
  return id;
}

std::string cParamType(const ParamMetadata &p, bool hip) {
  if (p.isPointer)
    return hip ? "hipDeviceptr_t" : "CUdeviceptr";
  const std::string &t = p.type;
  if (t == "i1")
    return "bool";
  if (t == "i8" || t == "i16" || t == "i32" || t == "i64")
    return "int" + t.substr(1) + "_t";
  if (t == "u8" || t == "u16" || t == "u32" || t == "u64")
    return "uint" + t.substr(1) + "_t";
  if (t == "fp32")
    return "float";
  if (t == "fp64")
    return "double";
  // fp16, bf16, fp8: the raw bits, as wide as the parameter.
  switch (p.size) {
  case 1:
    return "uint8_t";
  case 2:
    return "uint16_t";
  case 4:
    return "uint32_t";
  default:
    return "uint64_t";
  }
}

namespace {

std::string upper(std::string s) {
  for (char &c : s)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return s;
}

/// A C string literal's contents (for comments and symbol names).
std::string cString(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

/// Text that is safe inside a /* */ comment.
std::string comment(std::string s) {
  for (size_t at; (at = s.find("*/")) != std::string::npos;)
    s.replace(at, 2, "* /");
  return s;
}

/// A constexpr's source spelling as a C constant expression ("" when C has none): integers as
/// written (LL past 32 bits), floats with 17 significant digits, True/False as 1/0, strings and
/// dtypes (tl.float16, fp16) as string literals.
std::string cConstant(const std::string &text) {
  if (text == "True" || text == "False")
    return text == "True" ? "1" : "0";
  if (text == "None")
    return "";
  const char *begin = text.data(), *end = text.data() + text.size();
  int64_t i = 0;
  if (auto [iend, iec] = std::from_chars(begin, end, i); iec == std::errc() && iend == end) {
    if (i >= INT32_MIN && i <= INT32_MAX)
      return std::to_string(i);
    return i == INT64_MIN ? "(-9223372036854775807LL - 1)" : std::to_string(i) + "LL";
  }
  double d = 0;
  if (auto [dend, dec] = std::from_chars(begin, end, d); dec == std::errc() && dend == end) {
    if (!std::isfinite(d))
      return "";
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", d);
    std::string s = buf;
    if (s.find_first_of(".e") == std::string::npos)
      s += ".0";
    return s;
  }
  std::string str = text;
  if (str.size() >= 2 && (str.front() == '\'' || str.front() == '"') && str.back() == str.front())
    str = str.substr(1, str.size() - 2);
  else if (str.starts_with("tl."))
    str = str.substr(3);
  return "\"" + cString(str) + "\"";
}

/// The entries of a kernel in the binary: its variants (--specialize), most specialized first
/// and the generic kernel last, or the kernel alone.
std::vector<const KernelMetadata *> entries(const KernelMetadata &k) {
  std::vector<const KernelMetadata *> out;
  for (const KernelMetadata &v : k.variants)
    out.push_back(&v);
  if (out.empty())
    out.push_back(&k);
  return out;
}

/// The C variable holding an entry's function: PREFIX_NAME_function for the kernel itself,
/// PREFIX_SYMBOL_function for a variant.
std::string functionVar(const std::string &prefix, const KernelMetadata &k,
                        const KernelMetadata &entry) {
  return prefix + "_" + (&entry == &k || entry.symbol == k.symbol ? k.name : entry.symbol) +
         "_function";
}

/// The C condition that an entry's promises hold for the launcher's arguments ("1" for none).
std::string promiseCondition(const KernelMetadata &entry) {
  std::string cond;
  for (size_t i = 0; i < entry.promises.size() && i < entry.params.size(); ++i) {
    const ParamMetadata &p = entry.params[i];
    std::string test;
    if (entry.promises[i] == Function::Promise::EqualsOne)
      test = p.name + " == 1";
    else if (entry.promises[i] == Function::Promise::Divisible16)
      test = p.isPointer ? "((uintptr_t)" + p.name + " & 15) == 0" : p.name + " % 16 == 0";
    else
      continue;
    cond += (cond.empty() ? "" : " && ") + test;
  }
  return cond.empty() ? "1" : cond;
}

/// A comment's description of an entry's promises: "x_ptr % 16 == 0, stride == 1".
std::string promiseText(const KernelMetadata &entry) {
  std::string text;
  for (size_t i = 0; i < entry.promises.size() && i < entry.params.size(); ++i)
    if (entry.promises[i] != Function::Promise::None)
      text += (text.empty() ? "" : ", ") + entry.params[i].name +
              (entry.promises[i] == Function::Promise::EqualsOne ? " == 1" : " % 16 == 0");
  return text.empty() ? "any arguments" : text;
}

} // namespace

std::string renderCHeader(const LaunchMetadata &m, const std::string &binary,
                          const std::string &prefix) {
  const bool hip = m.backend == "hip";
  const std::string result = hip ? "hipError_t" : "CUresult";
  const std::string success = hip ? "hipSuccess" : "CUDA_SUCCESS";
  const std::string moduleT = hip ? "hipModule_t" : "CUmodule";
  const std::string functionT = hip ? "hipFunction_t" : "CUfunction";
  const std::string streamT = hip ? "hipStream_t" : "CUstream";
  const std::string guard = "TRITONC_" + upper(prefix) + "_H";
  // An AMD bundle of archs with different wavefront sizes (gfx942 and gfx1100): the block is
  // num_warps wavefronts of the device's size, asked of HIP when loading.
  bool mixedWaves = false;
  for (unsigned w : m.archWarpSizes)
    mixedWaves |= w != m.archWarpSizes.front();
  const std::string waveVar = prefix + "_wave_size";

  std::ostringstream h;
  h << "/* " << comment(std::filesystem::path(m.binary).filename().string())
    << ": generated by tritonc " << m.tritoncVersion << " from " << comment(m.source) << " for "
    << m.arch << ". Do not edit.\n"
    << " *\n"
    << " * " << prefix << "_load() loads the embedded binary into the current context and looks\n"
    << " * up every kernel; " << prefix << "_unload() releases it. Each " << prefix
    << "_NAME_launch() launches\n"
    << " * kernel NAME with the block, shared memory" << (hip ? "" : " and cluster")
    << " it was compiled for; the grid is\n"
    << " * the caller's (" << prefix << "_cdiv() and the " << prefix
    << "_NAME_CONSTEXPR macros help to compute it).\n"
    << " * Every function returns the " << (hip ? "HIP" : "CUDA driver")
    << " API's error code and never exits.\n"
    << " * Not thread-safe: load once before launching from several threads. The state is\n"
    << " * static: each translation unit that includes this header loads its own copy. */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  if (hip)
    h << "#include <hip/hip_runtime_api.h>\n";
  else
    h << "#include <cuda.h>\n";
  h << "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  // The binary, 8-byte aligned (ELF headers are read in place by the loaders).
  h << "/* The "
    << (m.archs.empty() ? (hip ? "code object" : "cubin")
                        : (hip ? "offload bundle of code objects" : "fatbin"))
    << ", " << binary.size() << " bytes. */\n"
    << "static const unsigned char " << prefix << "_binary[" << binary.size() << "]"
    << " __attribute__((aligned(8), unused)) = {";
  char buf[8];
  for (size_t i = 0; i < binary.size(); ++i) {
    if (i % 16 == 0)
      h << "\n   ";
    std::snprintf(buf, sizeof buf, " 0x%02x,", static_cast<unsigned char>(binary[i]));
    h << buf;
  }
  h << "\n};\n\n";

  // Each kernel's constexprs, for computing grids (e.g. PREFIX_cdiv(n, PREFIX_k_BLOCK)).
  for (const KernelMetadata &k : m.kernels) {
    if (k.constexprs.empty())
      continue;
    h << "/* The constexprs " << comment(k.name) << " was compiled with. */\n";
    for (const ConstexprBinding &c : k.constexprs) {
      std::string value = cConstant(c.value);
      std::string macro = prefix + "_" + k.name + "_" + c.name;
      if (value.empty())
        h << "/* " << comment(macro) << ": " << comment(c.value) << " (no C constant) */\n";
      else
        h << "#define " << macro << " " << value << "\n";
    }
    h << "\n";
  }
  h << "/* ceil(n / d): the number of programs that cover n elements in blocks of d. */\n"
    << "static inline unsigned " << prefix
    << "_cdiv(uint64_t n, uint64_t d) { return (unsigned)((n + d - 1) / d); }\n\n";

  h << "static " << moduleT << " " << prefix << "_module __attribute__((unused));\n";
  if (mixedWaves)
    h << "/* The device's wavefront size (the bundle holds wave64 and wave32 archs). */\n"
      << "static unsigned " << waveVar << " __attribute__((unused));\n";
  for (const KernelMetadata &k : m.kernels)
    for (const KernelMetadata *e : entries(k))
      h << "static " << functionT << " " << functionVar(prefix, k, *e)
        << " __attribute__((unused));\n";
  h << "\n";

  // load / unload
  std::string api = hip ? "hip" : "cu";
  h << "/* Loads the binary into the current context and looks up every kernel. */\n"
    << "static inline " << result << " " << prefix << "_load(void) {\n"
    << "  " << result << " err;\n"
    << "  if (" << prefix << "_module)\n    return " << success << ";\n"
    << "  err = " << (hip ? "hipModuleLoadData" : "cuModuleLoadData") << "(&" << prefix
    << "_module, " << prefix << "_binary);\n"
    << "  if (err != " << success << ")\n    return err;\n";
  if (mixedWaves)
    h << "  {\n"
      << "    int device = 0, wave = 0;\n"
      << "    err = hipGetDevice(&device);\n"
      << "    if (err == hipSuccess)\n"
      << "      err = hipDeviceGetAttribute(&wave, hipDeviceAttributeWarpSize, device);\n"
      << "    if (err != hipSuccess)\n      goto fail;\n"
      << "    " << waveVar << " = (unsigned)wave;\n"
      << "  }\n";
  for (const KernelMetadata &k : m.kernels)
    for (const KernelMetadata *e : entries(k)) {
      std::string fn = functionVar(prefix, k, *e);
      h << "  err = " << (hip ? "hipModuleGetFunction" : "cuModuleGetFunction") << "(&" << fn
        << ", " << prefix << "_module, \"" << cString(e->symbol) << "\");\n"
        << "  if (err != " << success << ")\n    goto fail;\n";
      // Above 48 KiB of dynamic shared memory CUDA needs an opt-in per function; on AMD the
      // compiler already sized the LDS of the code object.
      if (!hip && e->sharedBytes > 48 * 1024)
        h << "  err = cuFuncSetAttribute(" << fn
          << ", CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, " << e->sharedBytes << ");\n"
          << "  if (err != " << success << ")\n    goto fail;\n";
    }
  h << "  return " << success << ";\n";
  if (!m.kernels.empty() || mixedWaves) {
    h << "fail:\n"
      << "  " << (hip ? "(void)hipModuleUnload" : "(void)cuModuleUnload") << "(" << prefix
      << "_module);\n"
      << "  " << prefix << "_module = NULL;\n";
    for (const KernelMetadata &k : m.kernels)
      for (const KernelMetadata *e : entries(k))
        h << "  " << functionVar(prefix, k, *e) << " = NULL;\n";
    h << "  return err;\n";
  }
  h << "}\n\n";

  h << "/* Unloads the binary; launching afterwards fails until the next " << prefix
    << "_load(). */\n"
    << "static inline " << result << " " << prefix << "_unload(void) {\n"
    << "  " << result << " err = " << success << ";\n"
    << "  if (" << prefix << "_module)\n"
    << "    err = " << (hip ? "hipModuleUnload" : "cuModuleUnload") << "(" << prefix
    << "_module);\n"
    << "  " << prefix << "_module = NULL;\n";
  for (const KernelMetadata &k : m.kernels)
    for (const KernelMetadata *e : entries(k))
      h << "  " << functionVar(prefix, k, *e) << " = NULL;\n";
  h << "  return err;\n}\n";

  // launchers
  for (const KernelMetadata &k : m.kernels) {
    std::string fn = prefix + "_" + k.name + "_function";
    std::string shared = std::to_string(k.sharedBytes);
    const bool dispatch = !k.variants.empty();
    if (dispatch) {
      // --specialize: the variant the arguments allow, most specialized first.
      std::vector<const KernelMetadata *> es = entries(k);
      h << "\n/* " << comment(k.name) << "'s variants, tried in this order:";
      for (size_t i = 0; i < es.size(); ++i)
        h << "\n *   " << i << ": " << comment(es[i]->symbol) << " ("
          << comment(promiseText(*es[i])) << ")";
      h << " */\n#define " << prefix << "_" << k.name << "_NUM_VARIANTS " << es.size() << "\n"
        << "static const char *const " << prefix << "_" << k.name << "_variant_symbols["
        << es.size() << "] __attribute__((unused)) = {";
      for (size_t i = 0; i < es.size(); ++i)
        h << (i ? ", " : "") << "\"" << cString(es[i]->symbol) << "\"";
      h << "};\n"
        << "/* The index of the variant " << prefix << "_" << k.name
        << "_launch() launches for these arguments:\n"
        << " * the first whose promises they keep. */\n"
        << "static inline int " << prefix << "_" << k.name << "_variant(";
      for (size_t i = 0; i < k.params.size(); ++i)
        h << (i ? ", " : "") << cParamType(k.params[i], hip) << " " << k.params[i].name;
      if (k.params.empty())
        h << "void";
      h << ") {\n";
      for (const ParamMetadata &p : k.params)
        h << "  (void)" << p.name << ";\n";
      for (size_t i = 0; i + 1 < es.size(); ++i)
        h << "  if (" << promiseCondition(*es[i]) << ")\n    return " << i << ";\n";
      h << "  return " << es.size() - 1 << ";\n}\n";
      fn = "function";
      shared = "shared";
    }
    unsigned cluster = k.clusterDims[0] * k.clusterDims[1] * k.clusterDims[2];
    h << "\n/* " << comment(k.name) << ": block ("
      << (mixedWaves ? std::string("as the device's wavefront size asks")
                     : std::to_string(k.block[0]))
      << ", " << k.block[1] << ", " << k.block[2] << "), " << k.sharedBytes
      << " bytes of dynamic shared memory";
    if (cluster > 1)
      h << ", clusters of (" << k.clusterDims[0] << ", " << k.clusterDims[1] << ", "
        << k.clusterDims[2] << ") CTAs (the grid counts programs; each is one cluster)";
    h << ".\n * Parameters:";
    for (const ParamMetadata &p : k.params)
      h << " " << comment(p.name) << " (" << comment(p.type) << ")";
    if (k.params.empty())
      h << " none";
    h << ".\n * Returns " << (hip ? "hipErrorNotInitialized" : "CUDA_ERROR_NOT_INITIALIZED")
      << " before " << prefix << "_load(). */\n";
    h << "static inline " << result << " " << prefix << "_" << k.name << "_launch(" << streamT
      << " stream, unsigned gridX, unsigned gridY, unsigned gridZ";
    for (const ParamMetadata &p : k.params)
      h << ", " << cParamType(p, hip) << " " << p.name;
    h << ") {\n";
    if (k.params.empty())
      h << "  void **args = NULL;\n";
    else {
      h << "  void *args[" << k.params.size() << "] = {";
      for (size_t i = 0; i < k.params.size(); ++i)
        h << (i ? ", " : "") << "&" << k.params[i].name;
      h << "};\n";
    }
    if (dispatch) {
      std::vector<const KernelMetadata *> es = entries(k);
      h << "  " << functionT << " function;\n"
        << "  unsigned shared;\n"
        << "  switch (" << prefix << "_" << k.name << "_variant(";
      for (size_t i = 0; i < k.params.size(); ++i)
        h << (i ? ", " : "") << k.params[i].name;
      h << ")) {\n";
      for (size_t i = 0; i < es.size(); ++i)
        h << "  " << (i + 1 == es.size() ? "default" : "case " + std::to_string(i)) << ":\n"
          << "    function = " << functionVar(prefix, k, *es[i]) << ";\n"
          << "    shared = " << es[i]->sharedBytes << ";\n"
          << "    break;\n";
      h << "  }\n";
    }
    h << "  if (!" << fn << ")\n    return "
      << (hip ? "hipErrorNotInitialized" : "CUDA_ERROR_NOT_INITIALIZED") << ";\n";
    if (!hip && cluster > 1) {
      h << "  {\n"
        << "    CUlaunchAttribute attr;\n"
        << "    CUlaunchConfig config;\n"
        << "    attr.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;\n"
        << "    attr.value.clusterDim.x = " << k.clusterDims[0] << ";\n"
        << "    attr.value.clusterDim.y = " << k.clusterDims[1] << ";\n"
        << "    attr.value.clusterDim.z = " << k.clusterDims[2] << ";\n"
        << "    config.gridDimX = gridX * " << k.clusterDims[0] << ";\n"
        << "    config.gridDimY = gridY * " << k.clusterDims[1] << ";\n"
        << "    config.gridDimZ = gridZ * " << k.clusterDims[2] << ";\n"
        << "    config.blockDimX = " << k.block[0] << ";\n"
        << "    config.blockDimY = " << k.block[1] << ";\n"
        << "    config.blockDimZ = " << k.block[2] << ";\n"
        << "    config.sharedMemBytes = " << shared << ";\n"
        << "    config.hStream = stream;\n"
        << "    config.attrs = &attr;\n"
        << "    config.numAttrs = 1;\n"
        << "    return cuLaunchKernelEx(&config, " << fn << ", args, NULL);\n"
        << "  }\n";
    } else {
      // A mixed bundle: the block of the device's wavefront size (every arch of one size has
      // the same block; num_warps may differ between wave64 and wave32 archs).
      std::string blockX = std::to_string(k.block[0]);
      if (mixedWaves && k.archBlocks.size() == m.archWarpSizes.size()) {
        unsigned b32 = 0, b64 = 0;
        for (size_t i = 0; i < k.archBlocks.size(); ++i)
          (m.archWarpSizes[i] == 32 ? b32 : b64) = k.archBlocks[i][0];
        blockX =
            "(" + waveVar + " == 32 ? " + std::to_string(b32) + "u : " + std::to_string(b64) + "u)";
      }
      h << "  return " << (hip ? "hipModuleLaunchKernel" : "cuLaunchKernel") << "(" << fn
        << ", gridX, gridY, gridZ, " << blockX << ", " << k.block[1] << ", " << k.block[2] << ", "
        << shared << ", stream, args, NULL);\n";
    }
    h << "}\n";
  }
  h << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* " << guard << " */\n";
  return h.str();
}

} // namespace tritonc::driver
