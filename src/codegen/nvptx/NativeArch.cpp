// `--arch native` (see NativeArch.h). Only the handful of driver entry points needed are
// declared here, with the driver API's C types spelled as plain ints: no cuda.h at build time.
#include "codegen/nvptx/NativeArch.h"

#include "support/TargetInfo.h"

#include <cstdlib>
#include <dlfcn.h>

namespace tritonc {

namespace {

using CuInit = int (*)(unsigned);
using CuDeviceGetCount = int (*)(int *);
using CuDeviceGet = int (*)(int *, int);
using CuDeviceGetAttribute = int (*)(int *, int, int);
using CuDeviceGetName = int (*)(char *, int, int);
using CuGetErrorName = int (*)(int, const char **);

constexpr int kAttrComputeCapabilityMajor = 75; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR
constexpr int kAttrComputeCapabilityMinor = 76; // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR

/// "CUDA_ERROR_NO_DEVICE (100)", or the bare number when the driver cannot name it.
std::string errorName(void *lib, int code) {
  const char *name = nullptr;
  if (auto fn = reinterpret_cast<CuGetErrorName>(::dlsym(lib, "cuGetErrorName")))
    fn(code, &name);
  std::string number = std::to_string(code);
  return name ? std::string(name) + " (" + number + ")" : "error " + number;
}

} // namespace

std::string nativeDriverLibrary() {
  const char *named = std::getenv("TRITONC_LIBCUDA");
  return named && *named ? named : "libcuda.so.1";
}

bool detectNativeArch(std::string &arch, std::string &device, std::string &error) {
  const std::string path = nativeDriverLibrary();
  void *lib = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char *why = ::dlerror();
    error = "cannot load the CUDA driver (" + (why ? std::string(why) : path) +
            "): is an NVIDIA driver installed? Name the target instead, e.g. --arch sm_90a";
    return false;
  }
  // The library stays loaded: the driver's own threads may outlive a dlclose.
  auto init = reinterpret_cast<CuInit>(::dlsym(lib, "cuInit"));
  auto getCount = reinterpret_cast<CuDeviceGetCount>(::dlsym(lib, "cuDeviceGetCount"));
  auto get = reinterpret_cast<CuDeviceGet>(::dlsym(lib, "cuDeviceGet"));
  auto attribute = reinterpret_cast<CuDeviceGetAttribute>(::dlsym(lib, "cuDeviceGetAttribute"));
  auto getName = reinterpret_cast<CuDeviceGetName>(::dlsym(lib, "cuDeviceGetName"));
  if (!init || !get || !attribute) {
    error = "'" + path +
            "' is not a CUDA driver library (no cuInit, cuDeviceGet or "
            "cuDeviceGetAttribute)";
    return false;
  }
  if (int rc = init(0)) {
    error = "the CUDA driver found no usable GPU (cuInit: " + errorName(lib, rc) +
            "); name the target instead, e.g. --arch sm_90a";
    return false;
  }
  int count = 1;
  if (getCount && getCount(&count) == 0 && count == 0) {
    error = "the CUDA driver reports no GPU; name the target instead, e.g. --arch sm_90a";
    return false;
  }
  int dev = 0, major = 0, minor = 0;
  if (int rc = get(&dev, 0); rc != 0) {
    error = "the CUDA driver gives no GPU 0 (cuDeviceGet: " + errorName(lib, rc) + ")";
    return false;
  }
  int rc = attribute(&major, kAttrComputeCapabilityMajor, dev);
  if (rc == 0)
    rc = attribute(&minor, kAttrComputeCapabilityMinor, dev);
  if (rc != 0) {
    error = "the CUDA driver does not give GPU 0's compute capability (" + errorName(lib, rc) + ")";
    return false;
  }
  char name[256] = {};
  if (!getName || getName(name, sizeof name - 1, dev) != 0)
    name[0] = '\0';
  device = name[0] ? name : "GPU 0";
  arch = archForComputeCapability(static_cast<unsigned>(major), static_cast<unsigned>(minor));
  if (arch.empty()) {
    error = "this machine's GPU (" + device + ", compute capability " + std::to_string(major) +
            "." + std::to_string(minor) + ") is not a target tritonc supports";
    return false;
  }
  return true;
}

} // namespace tritonc
