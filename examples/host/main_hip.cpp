// The host example on AMD GPUs: tritonc's vector add through HIP's module API, run the ways
// main.cpp runs it on NVIDIA, and each result checked against x + y:
//   1. through the C header `tritonc --emit-c-header` generated for a gfx arch (the code object,
//      or an offload bundle of several, embedded; vector_add_add_kernel_launch() on hipStream_t
//      and hipDeviceptr_t);
//   2. through include/tritonc/launcher.hpp with TRITONC_LAUNCHER_HIP: the same Module::load /
//      launch calls as on NVIDIA, loading an .hsaco (or the device's entry of a .hipfb bundle)
//      with hipModuleLoadData and launching with hipModuleLaunchKernel, the arguments packed at
//      the kernarg offsets of the metadata;
//   3. add_any.tt compiled with --specialize through launcher.hpp: the aligned variant for
//      aligned arguments, the generic kernel for arguments one float in.
// Usage: vector_add_host_hip BINARY [N]   (BINARY: vector_add.hsaco or .hipfb beside its .json;
//        add_any.hsaco / .hipfb beside it). Exit status 0 when every result matches.
// examples/host/build.sh builds it for ARCH=gfx...; CI runs it on tests/host/mock_libamdhip64.cpp
// (no AMD GPU there).
#include "add_any.h"    // generated: tritonc add_any.tt --specialize --arch gfx... --emit-c-header
#include "vector_add.h" // generated: tritonc vector_add.tt --arch gfx... --emit-c-header

#define TRITONC_LAUNCHER_HIP
#include <tritonc/launcher.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <string>
#include <vector>

namespace {

#define CHECK_HIP(call)                                                                            \
  do {                                                                                             \
    hipError_t r_ = (call);                                                                        \
    if (r_ != hipSuccess) {                                                                        \
      std::fprintf(stderr, "%s failed: %s\n", #call, hipGetErrorName(r_));                         \
      return 1;                                                                                    \
    }                                                                                              \
  } while (0)

bool matches(const char *how, const std::vector<float> &x, const std::vector<float> &y,
             const std::vector<float> &out, size_t offset = 0, size_t count = SIZE_MAX) {
  for (size_t i = offset; i < out.size() && i - offset < count; ++i)
    if (out[i] != x[i] + y[i]) {
      std::fprintf(stderr, "FAIL %s: out[%zu] = %g, expected %g\n", how, i, out[i], x[i] + y[i]);
      return false;
    }
  std::printf("PASS %s: %zu elements\n", how, std::min(out.size() - offset, count));
  return true;
}

/// On the mock runtime (tests/host/mock_libamdhip64.cpp): "SYMBOL HOW PROCESSOR" of the last
/// launch; nullptr on ROCm, where the results are what is checked.
const char *mockLastLaunch() {
  using Fn = const char *(*)();
  static Fn fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "tritonc_mock_hip_last_launch"));
  return fn ? fn() : nullptr;
}

/// The last launch went to `symbol` with its arguments passed `how` (checked on the mock only).
bool launched(const char *what, const std::string &symbol, const std::string &how) {
  const char *last = mockLastLaunch();
  if (!last)
    return true;
  const std::string want = symbol + " " + how + " ";
  if (std::string(last).rfind(want, 0) != 0) {
    std::fprintf(stderr, "FAIL %s: launched '%s', expected '%s...'\n", what, last, want.c_str());
    return false;
  }
  std::printf("PASS %s launched %s\n", what, last);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s BINARY [N]\n", argv[0]);
    return 2;
  }
  const std::string binaryPath = argv[1];
  const int n = argc > 2 ? std::atoi(argv[2]) : 98432 + 3;
  const unsigned grid = (static_cast<unsigned>(n) + 1023) / 1024; // BLOCK_SIZE 1024

  CHECK_HIP(hipInit(0));
  CHECK_HIP(hipSetDevice(0));
  std::vector<float> x(n), y(n), out(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 1000) * 0.5f;
    y[i] = static_cast<float>((i * 7) % 113) - 3.25f;
  }
  const size_t bytes = sizeof(float) * static_cast<size_t>(n);
  float *dx = nullptr, *dy = nullptr, *dout = nullptr;
  CHECK_HIP(hipMalloc(reinterpret_cast<void **>(&dx), bytes));
  CHECK_HIP(hipMalloc(reinterpret_cast<void **>(&dy), bytes));
  CHECK_HIP(hipMalloc(reinterpret_cast<void **>(&dout), bytes));
  CHECK_HIP(hipMemcpyHtoD(dx, x.data(), bytes));
  CHECK_HIP(hipMemcpyHtoD(dy, y.data(), bytes));
  bool ok = true;

  // 1. The generated C header (its launcher passes kernelParams).
  CHECK_HIP(hipMemset(dout, 0xff, bytes));
  CHECK_HIP(vector_add_load());
  CHECK_HIP(vector_add_add_kernel_launch(nullptr, grid, 1, 1, dx, dy, dout, n));
  CHECK_HIP(hipDeviceSynchronize());
  CHECK_HIP(hipMemcpyDtoH(out.data(), dout, bytes));
  ok &= launched("generated header", "add_kernel", "kernelParams");
  ok &= matches("generated header (vector_add_add_kernel_launch)", x, y, out);
  CHECK_HIP(vector_add_unload());

  // 2. launcher.hpp on the binary file and its JSON, as on NVIDIA.
  try {
    CHECK_HIP(hipMemset(dout, 0xff, bytes));
    tritonc::host::Module mod = tritonc::host::Module::load(binaryPath);
    mod.launch("add_kernel", {grid, 1, 1}, nullptr, dx, dy, dout, n);
    CHECK_HIP(hipDeviceSynchronize());
    CHECK_HIP(hipMemcpyDtoH(out.data(), dout, bytes));
    ok &= launched("launcher.hpp", "add_kernel", "extra");
    ok &=
        matches(("launcher.hpp (" + binaryPath + ", " + mod.loadedArch() + ")").c_str(), x, y, out);
    try {
      mod.launch("add_kernel", {grid, 1, 1}, nullptr, dx, dy, dout, static_cast<long>(n));
      std::fprintf(stderr, "FAIL launcher.hpp accepted a 64-bit integer for an i32\n");
      ok = false;
    } catch (const tritonc::host::Error &e) {
      std::printf("PASS launcher.hpp rejects a bad argument: %s\n", e.what());
    }
  } catch (const tritonc::host::Error &e) {
    std::fprintf(stderr, "FAIL launcher.hpp: %s\n", e.what());
    ok = false;
  }

  // 3. --specialize through launcher.hpp: the variant for aligned arguments, the generic
  // kernel one float in.
  try {
    std::string anyPath = binaryPath;
    anyPath.replace(anyPath.rfind("vector_add"), 10, "add_any");
    tritonc::host::Module mod = tritonc::host::Module::load(anyPath);
    const tritonc::host::KernelInfo &k = mod.kernel("add_kernel");
    const int n16 = n & ~15;
    CHECK_HIP(hipMemset(dout, 0xff, bytes));
    mod.launch("add_kernel", {(static_cast<unsigned>(n16) + 1023) / 1024, 1, 1}, nullptr, dx, dy,
               dout, n16);
    CHECK_HIP(hipMemcpyDtoH(out.data(), dout, bytes));
    ok &= k.variants.size() >= 2;
    ok &= launched("launcher.hpp add_any, aligned", k.variants.front().symbol, "extra");
    ok &= matches("launcher.hpp add_any, aligned", x, y, out, 0, n16);
    CHECK_HIP(hipMemset(dout, 0xff, bytes));
    mod.launch("add_kernel", {(static_cast<unsigned>(n) + 1022) / 1024, 1, 1}, nullptr, dx + 1,
               dy + 1, dout + 1, n - 1);
    CHECK_HIP(hipMemcpyDtoH(out.data(), dout, bytes));
    ok &= launched("launcher.hpp add_any, misaligned", "add_kernel", "extra");
    ok &= matches("launcher.hpp add_any, misaligned", x, y, out, 1, n - 1);
  } catch (const tritonc::host::Error &e) {
    std::fprintf(stderr, "FAIL launcher.hpp add_any: %s\n", e.what());
    ok = false;
  }
  (void)add_any_load; // the header is compiled (C and C++); its dispatch is main.cpp's part 3

  hipFree(dx);
  hipFree(dy);
  hipFree(dout);
  std::printf("%s\n", ok ? "vector_add_host_hip: OK" : "vector_add_host_hip: FAILED");
  return ok ? 0 : 1;
}
