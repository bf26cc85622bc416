// Builds and renders the launch-metadata JSON (schema in Metadata.h, README.md and tritonc(1)).
// nlohmann::ordered_json keeps keys in insertion order, which is the documented schema order:
// the output is byte-identical for identical input.
#include "driver/Metadata.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace tritonc::driver {

using Json = nlohmann::ordered_json;

std::string tritonTypeName(const Type *type) {
  if (type->isPointer())
    return "*" + tritonTypeName(type->pointee());
  if (type->isBlock())
    return type->str(); // not a launch parameter type; keep the IR spelling
  return std::string(scalarKindTritonName(type->scalarKind()));
}

ParamMetadata describeParam(const Type *type, const ParamInfo &info) {
  ParamMetadata p;
  p.name = info.name;
  p.type = tritonTypeName(type);
  p.isPointer = type->isPointer();
  if (p.isPointer) {
    p.size = p.align = 8;
  } else {
    // NVPTX passes every scalar at its natural size (i1 as .u8, fp8 as one byte, fp16 as .b8[2]
    // aligned to 2), so size == alignment == the width rounded up to whole bytes.
    unsigned bits = type->bitWidth();
    p.size = p.align = bits < 8 ? 1 : bits / 8;
  }
  p.divisibility = info.divisibility;
  return p;
}

KernelMetadata describeKernel(const Function &fn, unsigned warpSize) {
  KernelMetadata k;
  k.name = fn.name();
  k.symbol = fn.name();
  k.numWarps = fn.numWarps;
  k.numCtas = fn.numCtas;
  k.numStages = fn.numStages;
  k.block = {fn.numWarps * warpSize, 1, 1};
  // Triton launches num_ctas > 1 as a 1-D cluster of that many CTAs.
  k.clusterDims = {fn.numCtas, 1, 1};
  k.constexprs = fn.constexprs;
  k.variantOf = fn.variantOf;
  k.promises = fn.promises;
  const Block *body = fn.body();
  for (size_t i = 0; i < fn.params().size() && i < body->numArguments(); ++i)
    k.params.push_back(
        describeParam(body->argument(static_cast<unsigned>(i))->type(), fn.params()[i]));
  return k;
}

namespace {

/// Turns a constexpr's source spelling into the JSON value a host program wants: 1024 → 1024,
/// 1e-06 → 1e-06, True → true, 'ieee' → "ieee", None → null, tl.float16 / fp16 → "fp16".
Json constexprValue(const std::string &text) {
  if (text == "True")
    return true;
  if (text == "False")
    return false;
  if (text == "None")
    return nullptr;
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') &&
      text.back() == text.front())
    return text.substr(1, text.size() - 2);
  const char *begin = text.data(), *end = text.data() + text.size();
  int64_t i = 0;
  auto [iend, iec] = std::from_chars(begin, end, i);
  if (iec == std::errc() && iend == end)
    return i;
  // Python allows `1_000`; a spelling with underscores or a 0x prefix is passed through as
  // written unless it is plain decimal, so the value a host sees is never silently changed.
  double d = 0;
  auto [dend, dec] = std::from_chars(begin, end, d);
  if (dec == std::errc() && dend == end)
    return d;
  if (text.starts_with("tl."))
    return text.substr(3);
  return text;
}

Json resourcesJson(const ResourceUsage &r) {
  Json j;
  j["registers"] = r.registers;
  if (r.amd) {
    j["sgprs"] = r.sgprs;
    j["vgpr_spills"] = r.vgprSpills;
    j["sgpr_spills"] = r.sgprSpills;
  } else {
    j["spill_stores"] = r.spillStores;
    j["spill_loads"] = r.spillLoads;
  }
  j["stack_bytes"] = r.stackBytes;
  j["static_shared_bytes"] = r.staticSharedBytes;
  if (r.amd) {
    j["wavefront_size"] = r.wavefrontSize;
    j["kernarg_bytes"] = r.kernargBytes;
  }
  return j;
}

/// One entry of a kernel's "variants": its symbol, what it promises about which parameters
/// (the dispatcher launches the first variant whose promises the arguments keep), its dynamic
/// shared memory and resources.
Json variantJson(const KernelMetadata &v) {
  Json promises = Json::array();
  for (size_t i = 0; i < v.promises.size() && i < v.params.size(); ++i) {
    if (v.promises[i] == Function::Promise::None)
      continue;
    Json p;
    p["param"] = i;
    p["name"] = v.params[i].name;
    if (v.promises[i] == Function::Promise::EqualsOne)
      p["equals"] = 1;
    else
      p["divisible_by"] = 16;
    promises.push_back(std::move(p));
  }
  Json j;
  j["symbol"] = v.symbol;
  j["promises"] = std::move(promises);
  j["shared_bytes"] = v.sharedBytes;
  if (v.resources)
    j["resources"] = resourcesJson(*v.resources);
  return j;
}

/// A kernel's constexprs and launch parameters as the metadata and --list-kernels write them;
/// `abi` adds each parameter's size and alignment (the metadata's launch contract).
Json constexprsJson(const KernelMetadata &k) {
  Json constexprs = Json::object();
  for (const ConstexprBinding &c : k.constexprs)
    constexprs[c.name] = constexprValue(c.value);
  return constexprs;
}

Json paramsJson(const KernelMetadata &k, bool abi) {
  Json params = Json::array();
  for (const ParamMetadata &p : k.params) {
    Json jp;
    jp["name"] = p.name;
    jp["type"] = p.type;
    jp["kind"] = p.isPointer ? "pointer" : "scalar";
    if (abi) {
      jp["size"] = p.size;
      jp["align"] = p.align;
    }
    jp["divisibility"] = p.divisibility;
    if (abi && p.offset)
      jp["offset"] = *p.offset;
    params.push_back(std::move(jp));
  }
  return params;
}

Json kernelJson(const KernelMetadata &k) {
  Json constexprs = constexprsJson(k);
  Json params = paramsJson(k, true);
  Json j;
  j["name"] = k.name;
  j["symbol"] = k.symbol;
  j["num_warps"] = k.numWarps;
  j["num_ctas"] = k.numCtas;
  j["num_stages"] = k.numStages;
  j["block"] = {k.block[0], k.block[1], k.block[2]};
  if (!k.archBlocks.empty()) { // an AMD bundle: the block on each of target.archs
    Json blocks = Json::array();
    for (const auto &b : k.archBlocks)
      blocks.push_back({b[0], b[1], b[2]});
    j["arch_blocks"] = std::move(blocks);
  }
  j["shared_bytes"] = k.sharedBytes;
  j["cluster_dims"] = {k.clusterDims[0], k.clusterDims[1], k.clusterDims[2]};
  j["constexprs"] = std::move(constexprs);
  j["params"] = std::move(params);
  if (k.resources)
    j["resources"] = resourcesJson(*k.resources);
  if (!k.variants.empty()) {
    Json variants = Json::array();
    for (const KernelMetadata &v : k.variants)
      variants.push_back(variantJson(v));
    j["variants"] = std::move(variants);
  }
  return j;
}

} // namespace

std::string renderMetadata(const LaunchMetadata &m) {
  Json j;
  j["format_version"] = kMetadataFormatVersion;
  j["tritonc_version"] = m.tritoncVersion;
  j["source"] = m.source;
  Json target;
  target["backend"] = m.backend;
  target["arch"] = m.arch;
  if (!m.archs.empty() && m.backend == "hip") { // an offload bundle
    target["archs"] = m.archs;
    target["arch_warp_sizes"] = m.archWarpSizes;
  } else if (!m.archs.empty()) { // a fatbin
    target["archs"] = m.archs;
    target["embedded_ptx"] = m.embeddedPtx;
  }
  target["warp_size"] = m.warpSize;
  j["target"] = std::move(target);
  j["binary"] = m.binary;
  Json kernels = Json::array();
  for (const KernelMetadata &k : m.kernels)
    kernels.push_back(kernelJson(k));
  j["kernels"] = std::move(kernels);
  return j.dump(2) + "\n";
}

void groupVariants(std::vector<KernelMetadata> &kernels) {
  std::vector<KernelMetadata> variants;
  std::erase_if(kernels, [&](KernelMetadata &k) {
    if (k.variantOf.empty() || k.variantOf == k.name)
      return false;
    variants.push_back(std::move(k));
    return true;
  });
  for (KernelMetadata &k : kernels) {
    if (k.variantOf != k.name)
      continue;
    for (KernelMetadata &v : variants)
      if (v.variantOf == k.name)
        k.variants.push_back(std::move(v));
    KernelMetadata generic = k;
    generic.variants.clear();
    k.variants.push_back(std::move(generic));
  }
}

std::string resourceUsageText(const KernelMetadata &k, const std::string &arch) {
  std::string out = "tritonc info    : Function properties for " + k.symbol;
  if (!k.variantOf.empty() && k.variantOf != k.symbol)
    out += " (a variant of " + k.variantOf + ")";
  out += " for '" + arch + "'\n";
  if (!k.resources)
    return out + "    (not known)\n";
  const ResourceUsage &r = *k.resources;
  out += "    " + std::to_string(r.stackBytes) + " bytes stack frame, ";
  if (r.amd)
    out += std::to_string(r.vgprSpills) + " VGPRs spilled, " + std::to_string(r.sgprSpills) +
           " SGPRs spilled\n";
  else
    out += std::to_string(r.spillStores) + " bytes spill stores, " + std::to_string(r.spillLoads) +
           " bytes spill loads\n";
  out += "tritonc info    : Used " + std::to_string(r.registers) +
         (r.amd ? " VGPRs, " + std::to_string(r.sgprs) + " SGPRs, " : " registers, ") +
         std::to_string(r.staticSharedBytes) + " bytes smem, " + std::to_string(k.sharedBytes) +
         " bytes dynamic smem\n";
  return out;
}

std::string renderKernelList(const std::string &source, const std::vector<KernelMetadata> &kernels,
                             bool json) {
  if (!json) {
    std::string out;
    for (const KernelMetadata &k : kernels) {
      std::string line = k.name + "(";
      bool first = true;
      auto item = [&](const std::string &text) {
        line += (first ? "" : ", ") + text;
        first = false;
      };
      for (const ParamMetadata &p : k.params)
        item(p.name + ": " + p.type +
             (p.divisibility > 1 ? ":" + std::to_string(p.divisibility) : ""));
      for (const ConstexprBinding &c : k.constexprs)
        item(c.name + ": constexpr = " + c.value);
      out += line + ")\n";
    }
    return out;
  }
  Json list = Json::array();
  for (const KernelMetadata &k : kernels) {
    Json constexprs = constexprsJson(k);
    Json params = paramsJson(k, false);
    Json j;
    j["name"] = k.name;
    j["num_warps"] = k.numWarps;
    j["num_ctas"] = k.numCtas;
    j["num_stages"] = k.numStages;
    j["constexprs"] = std::move(constexprs);
    j["params"] = std::move(params);
    list.push_back(std::move(j));
  }
  Json j;
  j["format_version"] = kMetadataFormatVersion;
  j["source"] = source;
  j["kernels"] = std::move(list);
  return j.dump(2) + "\n";
}

std::string defaultMetadataPath(const std::string &output) {
  std::filesystem::path p(output);
  p.replace_extension(".json");
  return p.string();
}

} // namespace tritonc::driver
