// A host program that runs tritonc's vector add on a GPU twice and checks both results:
//   1. through the C header `tritonc --emit-c-header` generated (the binary embedded in it,
//      typed vector_add_add_kernel_launch());
//   2. through the header-only C++ library include/tritonc/launcher.hpp, which loads a binary
//      file (cubin or fatbin) and its JSON metadata and checks the arguments against it.
//   3. two specializations of one kernel in one binary (add_any.tt compiled with --specialize:
//      a variant for 16-byte aligned pointers and the generic kernel): the generated
//      add_any_add_kernel_launch() and launcher.hpp must launch the variant for aligned
//      arguments and the generic kernel for misaligned ones, and both must compute x + y.
// Usage: vector_add_host BINARY [N]   (BINARY: vector_add.cubin or .fatbin, beside its .json;
//        add_any.cubin / .fatbin beside it)
// Exit status 0 when every result matches x + y exactly, 1 otherwise (with the reason).
// examples/host/README.md says how to build it; tests/gpu/run_host_example.sh runs it.
#include "add_any.h"    // generated: tritonc add_any.tt --specialize ... --emit-c-header add_any.h
#include "vector_add.h" // generated: tritonc ... --emit-c-header vector_add.h

#include <tritonc/launcher.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
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

/// Compares `out[offset + i]` with x + y at offset + i for i < count; prints the first mismatch.
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

/// On the mock driver (tests/host/mock_libcuda.cpp): the symbol of the last launched entry.
/// nullptr on a real driver, where the results are what is checked.
const char *mockLastLaunch() {
  using Fn = const char *(*)();
  static Fn fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "tritonc_mock_last_launch"));
  return fn ? fn() : nullptr;
}

/// The launch went to `symbol` (checked on the mock driver only).
bool launched(const char *how, const std::string &symbol) {
  const char *last = mockLastLaunch();
  if (!last)
    return true;
  if (symbol != last) {
    std::fprintf(stderr, "FAIL %s: launched %s, expected %s\n", how, last, symbol.c_str());
    return false;
  }
  std::printf("PASS %s launched %s\n", how, last);
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

  // 3. Two specializations of one kernel in one binary; the dispatcher picks per launch. The
  // aligned launch uses a length divisible by 16, the misaligned one starts one float in.
  {
    const int n16 = n & ~15;
    const CUdeviceptr off = sizeof(float);
    const int first = add_any_add_kernel_variant(dx, dy, dout, n16);
    const int misaligned = add_any_add_kernel_variant(dx + off, dy + off, dout + off, n - 1);
    if (add_any_add_kernel_NUM_VARIANTS < 2 || first != 0 ||
        misaligned != add_any_add_kernel_NUM_VARIANTS - 1) {
      std::fprintf(stderr, "FAIL add_any: %d variants, aligned -> %d, misaligned -> %d\n",
                   add_any_add_kernel_NUM_VARIANTS, first, misaligned);
      ok = false;
    } else {
      std::printf("PASS add_any: %d variants; aligned arguments pick %s, misaligned %s\n",
                  add_any_add_kernel_NUM_VARIANTS, add_any_add_kernel_variant_symbols[first],
                  add_any_add_kernel_variant_symbols[misaligned]);
    }
    CHECK_CU(add_any_load());
    const unsigned grid16 = add_any_cdiv(n16, add_any_add_kernel_BLOCK_SIZE);
    CHECK_CU(cuMemsetD8(dout, 0xff, bytes));
    CHECK_CU(add_any_add_kernel_launch(nullptr, grid16, 1, 1, dx, dy, dout, n16));
    CHECK_CU(cuCtxSynchronize());
    CHECK_CU(cuMemcpyDtoH(out.data(), dout, bytes));
    ok &= launched("add_any header, aligned", add_any_add_kernel_variant_symbols[0]);
    ok &= matches("add_any header, aligned", x, y, out, 0, n16);
    CHECK_CU(cuMemsetD8(dout, 0xff, bytes));
    CHECK_CU(add_any_add_kernel_launch(nullptr, add_any_cdiv(n - 1, 1024), 1, 1, dx + off, dy + off,
                                       dout + off, n - 1));
    CHECK_CU(cuCtxSynchronize());
    CHECK_CU(cuMemcpyDtoH(out.data(), dout, bytes));
    ok &= launched("add_any header, misaligned", "add_kernel");
    ok &= matches("add_any header, misaligned", x, y, out, 1, n - 1);
    CHECK_CU(add_any_unload());

    // The same through launcher.hpp, from the binary file and its metadata.
    try {
      std::string anyPath = binaryPath;
      anyPath.replace(anyPath.rfind("vector_add"), 10, "add_any");
      tritonc::host::Module mod = tritonc::host::Module::load(anyPath);
      const tritonc::host::KernelInfo &k = mod.kernel("add_kernel");
      std::vector<tritonc::host::Arg> aligned = {
          tritonc::host::Arg::pointer(dx), tritonc::host::Arg::pointer(dy),
          tritonc::host::Arg::pointer(dout), tritonc::host::Arg::from(n16)};
      if (k.variants.size() < 2 || tritonc::host::selectVariant(k, aligned) != 0) {
        std::fprintf(stderr,
                     "FAIL launcher.hpp add_any: aligned arguments do not pick variant 0\n");
        ok = false;
      }
      CHECK_CU(cuMemsetD8(dout, 0xff, bytes));
      mod.launch("add_kernel", {grid16, 1, 1}, nullptr, dx, dy, dout, n16);
      CHECK_CU(cuCtxSynchronize());
      CHECK_CU(cuMemcpyDtoH(out.data(), dout, bytes));
      ok &= launched("launcher.hpp add_any, aligned", k.variants.front().symbol);
      ok &= matches("launcher.hpp add_any, aligned", x, y, out, 0, n16);
      CHECK_CU(cuMemsetD8(dout, 0xff, bytes));
      mod.launch("add_kernel", {(static_cast<unsigned>(n) + 1022) / 1024, 1, 1}, nullptr, dx + off,
                 dy + off, dout + off, n - 1);
      CHECK_CU(cuCtxSynchronize());
      CHECK_CU(cuMemcpyDtoH(out.data(), dout, bytes));
      ok &= launched("launcher.hpp add_any, misaligned", "add_kernel");
      ok &= matches("launcher.hpp add_any, misaligned", x, y, out, 1, n - 1);
    } catch (const tritonc::host::Error &e) {
      std::fprintf(stderr, "FAIL launcher.hpp add_any: %s\n", e.what());
      ok = false;
    }
  }

  cuMemFree(dx);
  cuMemFree(dy);
  cuMemFree(dout);
  cuDevicePrimaryCtxRelease(dev);
  std::printf("%s\n", ok ? "vector_add_host: OK" : "vector_add_host: FAILED");
  return ok ? 0 : 1;
}
