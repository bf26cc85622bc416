// A host program that runs tritonc's vector add on a GPU twice and checks both results:
//   1. through the C header `tritonc --emit-c-header` generated (the binary embedded in it,
//      typed vector_add_add_kernel_launch());
//   2. through the header-only C++ library include/tritonc/launcher.hpp, which loads a binary
//      file (cubin or fatbin) and its JSON metadata and checks the arguments against it.
// Usage: vector_add_host BINARY [N]   (BINARY: vector_add.cubin or .fatbin, beside its .json)
// Exit status 0 when both results match x + y exactly, 1 otherwise (with the reason).
// examples/host/README.md says how to build it; tests/gpu/run_host_example.sh runs it.
#include "vector_add.h" // generated: tritonc ... --emit-c-header vector_add.h

#include <tritonc/launcher.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

#define CHECK_CU(call)                                                                             \
  do {                                                                                             \
    CUresult r_ = (call);                                                                          \
    if (r_ != CUDA_SUCCESS) {                                                                      \
      const char *name_ = nullptr;                                                                 \
      cuGetErrorName(r_, &name_);                                                                  \
      std::fprintf(stderr, "%s failed: %s\n", #call, name_ ? name_ : "?");                         \
      return 1;                                                                                    \
    }                                                                                              \
  } while (0)

/// Compares `out` with x + y; prints the first mismatch.
bool matches(const char *how, const std::vector<float> &x, const std::vector<float> &y,
             const std::vector<float> &out) {
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i] != x[i] + y[i]) {
      std::fprintf(stderr, "FAIL %s: out[%zu] = %g, expected %g\n", how, i, out[i], x[i] + y[i]);
      return false;
    }
  std::printf("PASS %s: %zu elements\n", how, out.size());
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
  const unsigned block = 1024; // BLOCK_SIZE in the metadata's constexprs
  const unsigned grid = (static_cast<unsigned>(n) + block - 1) / block;

  CHECK_CU(cuInit(0));
  CUdevice dev;
  CHECK_CU(cuDeviceGet(&dev, 0));
  CUcontext ctx;
  CHECK_CU(cuDevicePrimaryCtxRetain(&ctx, dev));
  CHECK_CU(cuCtxSetCurrent(ctx));

  std::vector<float> x(n), y(n), out(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 1000) * 0.5f;
    y[i] = static_cast<float>((i * 7) % 113) - 3.25f;
  }
  const size_t bytes = sizeof(float) * static_cast<size_t>(n);
  CUdeviceptr dx, dy, dout;
  CHECK_CU(cuMemAlloc(&dx, bytes));
  CHECK_CU(cuMemAlloc(&dy, bytes));
  CHECK_CU(cuMemAlloc(&dout, bytes));
  CHECK_CU(cuMemcpyHtoD(dx, x.data(), bytes));
  CHECK_CU(cuMemcpyHtoD(dy, y.data(), bytes));

  bool ok = true;

  // 1. The generated C header.
  CHECK_CU(cuMemsetD8(dout, 0xff, bytes));
  CHECK_CU(vector_add_load());
  CHECK_CU(vector_add_add_kernel_launch(nullptr, grid, 1, 1, dx, dy, dout, n));
  CHECK_CU(cuCtxSynchronize());
  CHECK_CU(cuMemcpyDtoH(out.data(), dout, bytes));
  ok &= matches("generated header (vector_add_add_kernel_launch)", x, y, out);
  CHECK_CU(vector_add_unload());

  // 2. The C++ library on the binary file and its JSON.
  try {
    CHECK_CU(cuMemsetD8(dout, 0xff, bytes));
    tritonc::host::Module mod = tritonc::host::Module::load(binaryPath);
    mod.launch("add_kernel", {grid, 1, 1}, nullptr, dx, dy, dout, n);
    CHECK_CU(cuCtxSynchronize());
    CHECK_CU(cuMemcpyDtoH(out.data(), dout, bytes));
    ok &= matches(("launcher.hpp (" + binaryPath + ")").c_str(), x, y, out);

    // A wrong argument is caught before the driver sees it.
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

  cuMemFree(dx);
  cuMemFree(dy);
  cuMemFree(dout);
  cuDevicePrimaryCtxRelease(dev);
  std::printf("%s\n", ok ? "vector_add_host: OK" : "vector_add_host: FAILED");
  return ok ? 0 : 1;
}
