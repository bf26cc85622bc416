// A CPU stand-in for HIP's runtime (libamdhip64.so) with just the calls examples/host/main_hip.cpp,
// the generated HIP headers, include/tritonc/launcher.hpp (TRITONC_LAUNCHER_HIP) and the Python
// runtime's HIP driver make, so that CI, which has no AMD GPU or ROCm, runs them end to end.
// What it holds the programs to, as the real runtime would:
//   - the device is $TRITONC_MOCK_HIP_ARCH (a gcnArchName, default "gfx942:sramecc+:xnack-"):
//     wave64 on gfx9, wave32 on gfx10 and later;
//   - hipModuleLoadData takes an AMDGPU code object (ELF, EM_AMDGPU) whose e_flags name the
//     device's processor, or a clang offload bundle, from which it takes the device's entry
//     ("hipv4-amdgcn-amd-amdhsa--gfxNNN"); anything else is hipErrorInvalidImage, a bundle
//     without the device's processor hipErrorNoBinaryForGpu;
//   - hipModuleGetFunction finds NAME only where the loaded code object has the kernel
//     descriptor symbol NAME.kd;
//   - hipModuleLaunchKernel wants add_kernel's block, $TRITONC_MOCK_HIP_LANES lanes (default 256:
//     the default num_warps, 4 wave64 or 8 wave32 wavefronts), and its explicit arguments either as
//     kernelParams (void*[], as the generated header passes them) or as one kernarg buffer through
//     `extra` (HIP_LAUNCH_PARAM_BUFFER_POINTER / _SIZE / _END, as launcher.hpp and the Python
//     runtime pass them) laid out as the code object's notes give add_kernel's parameters: x_ptr at
//     0, y_ptr at 8, output_ptr at 16, n_elements (i32) at 24, 28 bytes (the host example's CI step
//     checks those offsets against the notes with tests/toolchain/check_hsaco.py). It then runs
//     vector add over the grid (BLOCK_SIZE 1024 elements per program).
// Device memory is host memory. Built by scripts/test.sh as OUT/libamdhip64.so, found first on
// LD_LIBRARY_PATH. tritonc_mock_hip_last_launch() says which entry, by which argument path and
// for which processor, the last launch ran.
#include <hip/hip_runtime_api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::string deviceArch() {
  const char *a = std::getenv("TRITONC_MOCK_HIP_ARCH");
  return a && *a ? a : "gfx942:sramecc+:xnack-";
}

std::string processor() {
  std::string a = deviceArch();
  return a.substr(0, a.find(':'));
}

int waveSize() { return processor().rfind("gfx9", 0) == 0 ? 64 : 32; }

/// EF_AMDGPU_MACH of a processor the mock knows (LLVM's numbering); 0 for others.
unsigned machOf(const std::string &p) {
  if (p == "gfx90a")
    return 0x3f;
  if (p == "gfx942")
    return 0x4c;
  if (p == "gfx950")
    return 0x4f;
  if (p == "gfx1100")
    return 0x41;
  if (p == "gfx1200")
    return 0x48;
  return 0;
}

uint64_t u64(const unsigned char *p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

struct LoadedModule {
  std::string image; // the code object for the device
};

std::vector<std::string> gSymbols;
std::string gLastLaunch;

} // namespace

extern "C" {

const char *tritonc_mock_hip_last_launch(void) { return gLastLaunch.c_str(); }

hipError_t hipInit(unsigned) { return hipSuccess; }
hipError_t hipSetDevice(int device) { return device == 0 ? hipSuccess : hipErrorInvalidValue; }
hipError_t hipGetDevice(int *device) {
  *device = 0;
  return hipSuccess;
}
hipError_t hipGetDeviceProperties(hipDeviceProp_t *prop, int device) {
  if (device != 0)
    return hipErrorInvalidValue;
  std::memset(prop, 0, sizeof *prop);
  std::snprintf(prop->name, sizeof prop->name, "mock AMD GPU");
  std::snprintf(prop->gcnArchName, sizeof prop->gcnArchName, "%s", deviceArch().c_str());
  prop->warpSize = waveSize();
  return hipSuccess;
}
hipError_t hipDeviceGetAttribute(int *value, hipDeviceAttribute_t attr, int device) {
  if (device != 0 || attr != hipDeviceAttributeWarpSize)
    return hipErrorInvalidValue;
  *value = waveSize();
  return hipSuccess;
}
hipError_t hipDeviceSynchronize(void) { return hipSuccess; }
hipError_t hipMalloc(void **p, size_t n) {
  *p = std::malloc(n);
  return *p ? hipSuccess : hipErrorOutOfMemory;
}
hipError_t hipFree(void *p) {
  std::free(p);
  return hipSuccess;
}
hipError_t hipMemcpyHtoD(hipDeviceptr_t dst, const void *src, size_t n) {
  std::memcpy(dst, src, n);
  return hipSuccess;
}
hipError_t hipMemcpyDtoH(void *dst, hipDeviceptr_t src, size_t n) {
  std::memcpy(dst, src, n);
  return hipSuccess;
}
hipError_t hipMemset(void *dst, int value, size_t n) {
  std::memset(dst, value, n);
  return hipSuccess;
}

hipError_t hipModuleLoadData(hipModule_t *module, const void *image) {
  const auto *bytes = static_cast<const unsigned char *>(image);
  std::string codeObject;
  if (std::memcmp(bytes, "__CLANG_OFFLOAD_BUNDLE__", 24) == 0) {
    const uint64_t count = u64(bytes + 24);
    const unsigned char *at = bytes + 32;
    bool found = false;
    for (uint64_t i = 0; i < count && i < 64; ++i) {
      const uint64_t offset = u64(at), size = u64(at + 8), idLength = u64(at + 16);
      std::string id(reinterpret_cast<const char *>(at + 24), idLength);
      at += 24 + idLength;
      if (id == "hipv4-amdgcn-amd-amdhsa--" + processor()) {
        if (offset % 4096 != 0) // clang's HIP bundles align code objects; so must tritonc's
          return hipErrorInvalidImage;
        codeObject.assign(reinterpret_cast<const char *>(bytes + offset), size);
        found = true;
      }
    }
    if (!found)
      return hipErrorNoBinaryForGpu;
  } else {
    // An ELF's size: the end of its section header table (e_shoff + e_shnum * e_shentsize).
    if (std::memcmp(bytes,
                    "\x7f"
                    "ELF",
                    4) != 0)
      return hipErrorInvalidImage;
    uint64_t shoff;
    uint16_t shentsize, shnum;
    std::memcpy(&shoff, bytes + 0x28, 8);
    std::memcpy(&shentsize, bytes + 0x3a, 2);
    std::memcpy(&shnum, bytes + 0x3c, 2);
    codeObject.assign(reinterpret_cast<const char *>(bytes), shoff + uint64_t{shentsize} * shnum);
  }
  const auto *elf = reinterpret_cast<const unsigned char *>(codeObject.data());
  uint16_t machine;
  uint32_t flags;
  if (codeObject.size() < 64 || std::memcmp(elf,
                                            "\x7f"
                                            "ELF",
                                            4) != 0)
    return hipErrorInvalidImage;
  std::memcpy(&machine, elf + 0x12, 2);
  std::memcpy(&flags, elf + 0x30, 4);
  if (machine != 224 /* EM_AMDGPU */ || machOf(processor()) == 0 ||
      (flags & 0xff) != machOf(processor()))
    return hipErrorNoBinaryForGpu;
  *module = reinterpret_cast<hipModule_t>(new LoadedModule{codeObject});
  return hipSuccess;
}
hipError_t hipModuleUnload(hipModule_t module) {
  delete reinterpret_cast<LoadedModule *>(module);
  return hipSuccess;
}

hipError_t hipModuleGetFunction(hipFunction_t *function, hipModule_t module, const char *name) {
  if (!module)
    return hipErrorInvalidHandle;
  const std::string &image = reinterpret_cast<LoadedModule *>(module)->image;
  const std::string kd = std::string(name) + ".kd";
  if (image.find(std::string("\0", 1) + kd + std::string("\0", 1)) == std::string::npos)
    return hipErrorNotFound;
  size_t i = 0;
  while (i < gSymbols.size() && gSymbols[i] != name)
    ++i;
  if (i == gSymbols.size())
    gSymbols.push_back(name);
  *function = reinterpret_cast<hipFunction_t>(uintptr_t{0x100} + i);
  return hipSuccess;
}

hipError_t hipFuncGetAttribute(int *value, hipFunction_attribute attrib, hipFunction_t f) {
  if (reinterpret_cast<uintptr_t>(f) - 0x100 >= gSymbols.size())
    return hipErrorInvalidHandle;
  *value = attrib == HIP_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK ? 1024 : 0;
  return hipSuccess;
}

hipError_t hipModuleLaunchKernel(hipFunction_t f, unsigned gx, unsigned gy, unsigned gz,
                                 unsigned bx, unsigned by, unsigned bz, unsigned shared,
                                 hipStream_t, void **kernelParams, void **extra) {
  const uintptr_t index = reinterpret_cast<uintptr_t>(f) - 0x100;
  if (index >= gSymbols.size())
    return hipErrorInvalidHandle;
  const char *lanes = std::getenv("TRITONC_MOCK_HIP_LANES");
  const unsigned wantLanes = lanes && *lanes ? static_cast<unsigned>(std::atoi(lanes)) : 256;
  if (bx != wantLanes || by != 1 || bz != 1 || gy != 1 || gz != 1 || shared > 64 * 1024)
    return hipErrorInvalidValue;
  if ((kernelParams == nullptr) == (extra == nullptr)) // exactly one way of passing arguments
    return hipErrorInvalidValue;
  const float *x, *y;
  float *out;
  int32_t n;
  std::string how;
  if (kernelParams) {
    x = *static_cast<float **>(kernelParams[0]);
    y = *static_cast<float **>(kernelParams[1]);
    out = *static_cast<float **>(kernelParams[2]);
    n = *static_cast<int32_t *>(kernelParams[3]);
    how = "kernelParams";
  } else {
    const unsigned char *buffer = nullptr;
    size_t size = 0;
    bool ended = false;
    for (int i = 0; i < 8 && !ended; i += 2) {
      if (extra[i] == HIP_LAUNCH_PARAM_BUFFER_POINTER)
        buffer = static_cast<const unsigned char *>(extra[i + 1]);
      else if (extra[i] == HIP_LAUNCH_PARAM_BUFFER_SIZE)
        size = *static_cast<size_t *>(extra[i + 1]);
      else if (extra[i] == HIP_LAUNCH_PARAM_END)
        ended = true;
      else
        return hipErrorInvalidValue;
    }
    if (!ended || !buffer || size != 28) // the explicit arguments' extent in the notes
      return hipErrorInvalidValue;
    std::memcpy(&x, buffer + 0, 8);
    std::memcpy(&y, buffer + 8, 8);
    std::memcpy(&out, buffer + 16, 8);
    std::memcpy(&n, buffer + 24, 4);
    how = "extra";
  }
  gLastLaunch = gSymbols[index] + " " + how + " " + processor();
  for (int64_t i = 0; i < int64_t{gx} * 1024 && i < n; ++i)
    out[i] = x[i] + y[i];
  return hipSuccess;
}

const char *hipGetErrorName(hipError_t error) {
  switch (error) {
  case hipSuccess:
    return "hipSuccess";
  case hipErrorInvalidValue:
    return "hipErrorInvalidValue";
  case hipErrorInvalidImage:
    return "hipErrorInvalidImage";
  case hipErrorNoBinaryForGpu:
    return "hipErrorNoBinaryForGpu";
  case hipErrorNotFound:
    return "hipErrorNotFound";
  default:
    return "hipErrorUnknown";
  }
}
const char *hipGetErrorString(hipError_t) { return "mock HIP runtime"; }

} // extern "C"
