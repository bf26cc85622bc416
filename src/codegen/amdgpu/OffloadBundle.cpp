// Several AMD code objects in one file: a clang offload bundle, the format clang's HIP toolchain
// writes for `--offload-arch=A --offload-arch=B --genco` and HIP's hipModuleLoadData reads
// (the runtime extracts the entry for the current device's processor). Written here, without
// clang-offload-bundler:
//
//   "__CLANG_OFFLOAD_BUNDLE__"                    24 bytes of magic
//   number of entries                             uint64, little-endian
//   per entry: offset, size, id length (uint64s), then the id's bytes (no terminator)
//   the code objects, each at its offset (aligned to kOffloadBundleAlignment)
//
// The ids are "host-x86_64-unknown-linux" (an empty host entry, as clang writes for device-only
// bundles) and "hipv4-amdgcn-amd-amdhsa--gfxNNN" per arch (the offload kind "hipv4" for code
// object version 4 and later; no target features, matching code objects built for "any" xnack
// and sramecc). include/tritonc/launcher.hpp and python/tritonc read the same layout to pick
// the device's entry themselves.
#include "codegen/Codegen.h"

#include <cstdint>

namespace tritonc {

namespace {

void putU64(std::string &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void putU64At(std::string &out, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

} // namespace

std::string offloadBundleId(const std::string &arch) { return "hipv4-amdgcn-amd-amdhsa--" + arch; }

std::string packOffloadBundle(const std::vector<OffloadBundleImage> &images) {
  struct Entry {
    std::string id;
    const std::string *bytes;
    size_t offsetField = 0; // where the entry's offset is written in the header
  };
  static const std::string empty;
  std::vector<Entry> entries{{"host-x86_64-unknown-linux", &empty}};
  for (const OffloadBundleImage &image : images)
    entries.push_back({offloadBundleId(image.arch), &image.codeObject});

  std::string out = kOffloadBundleMagic;
  putU64(out, entries.size());
  for (Entry &e : entries) {
    e.offsetField = out.size();
    putU64(out, 0); // offset, filled in below
    putU64(out, e.bytes->size());
    putU64(out, e.id.size());
    out += e.id;
  }
  for (Entry &e : entries) {
    if (e.bytes->empty()) { // the host entry: no bytes, offset at the end of the header
      putU64At(out, e.offsetField, out.size());
      continue;
    }
    out.resize((out.size() + kOffloadBundleAlignment - 1) / kOffloadBundleAlignment *
                   kOffloadBundleAlignment,
               '\0');
    putU64At(out, e.offsetField, out.size());
    out += *e.bytes;
  }
  return out;
}

} // namespace tritonc
