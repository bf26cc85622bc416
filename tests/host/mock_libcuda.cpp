// A CPU stand-in for the CUDA driver (libcuda.so.1) with just the calls examples/host makes, so
// that CI, which has no GPU, can run the host example end to end: device memory is host memory,
// cuModuleLoadData accepts a cubin (ELF) or fatbin by its magic and requires 8-byte alignment,
// cuModuleGetFunction knows "add_kernel" (and its variants), and cuLaunchKernel runs vector add
// over the grid the way tritonc's kernel would (BLOCK_SIZE 1024 elements per program) after
// checking the block. Built by scripts/test.sh as OUT/libcuda.so.1 and put first on
// LD_LIBRARY_PATH. Not a driver model: a real GPU run is tests/gpu/run_host_example.sh.
#include <cuda.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {

CUresult cuInit(unsigned) { return CUDA_SUCCESS; }
CUresult cuDeviceGet(CUdevice *device, int) {
  *device = 0;
  return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice) {
  *ctx = reinterpret_cast<CUcontext>(0x1);
  return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRelease(CUdevice) { return CUDA_SUCCESS; }
CUresult cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }
CUresult cuCtxSynchronize() { return CUDA_SUCCESS; }
CUresult cuMemAlloc(CUdeviceptr *p, size_t n) {
  *p = reinterpret_cast<CUdeviceptr>(std::malloc(n));
  return *p ? CUDA_SUCCESS : CUDA_ERROR_OUT_OF_MEMORY;
}
CUresult cuMemFree(CUdeviceptr p) {
  std::free(reinterpret_cast<void *>(p));
  return CUDA_SUCCESS;
}
CUresult cuMemcpyHtoD(CUdeviceptr dst, const void *src, size_t n) {
  std::memcpy(reinterpret_cast<void *>(dst), src, n);
  return CUDA_SUCCESS;
}
CUresult cuMemcpyDtoH(void *dst, CUdeviceptr src, size_t n) {
  std::memcpy(dst, reinterpret_cast<const void *>(src), n);
  return CUDA_SUCCESS;
}
CUresult cuMemsetD8(CUdeviceptr dst, unsigned char value, size_t n) {
  std::memset(reinterpret_cast<void *>(dst), value, n);
  return CUDA_SUCCESS;
}
CUresult cuModuleLoadData(CUmodule *module, const void *image) {
  uint32_t magic;
  std::memcpy(&magic, image, 4);
  if (reinterpret_cast<uintptr_t>(image) % 8 != 0)
    return CUDA_ERROR_INVALID_VALUE;
  if (magic != 0x464c457f /* \x7fELF */ && magic != 0xba55ed50 /* fatbin */)
    return CUDA_ERROR_INVALID_IMAGE;
  *module = reinterpret_cast<CUmodule>(0x2);
  return CUDA_SUCCESS;
}
CUresult cuModuleUnload(CUmodule) { return CUDA_SUCCESS; }
// The symbols looked up (add_kernel and its --specialize variants add_kernel_*), so that a
// launch can be traced back to the entry: the host example asks tritonc_mock_last_launch()
// (found with dlsym, so the same program runs on a real driver) which one its dispatcher chose.
static const char *gSymbols[16];
static unsigned gNumSymbols = 0;
static const char *gLastLaunch = "";
const char *tritonc_mock_last_launch(void) { return gLastLaunch; }

CUresult cuModuleGetFunction(CUfunction *function, CUmodule, const char *name) {
  if (std::strcmp(name, "add_kernel") != 0 && std::strncmp(name, "add_kernel_", 11) != 0)
    return CUDA_ERROR_NOT_FOUND;
  unsigned i = 0;
  while (i < gNumSymbols && std::strcmp(gSymbols[i], name) != 0)
    ++i;
  if (i == gNumSymbols) {
    if (gNumSymbols == 16)
      return CUDA_ERROR_OUT_OF_MEMORY;
    gSymbols[gNumSymbols++] = strdup(name);
  }
  *function = reinterpret_cast<CUfunction>(uintptr_t{0x100} + i);
  return CUDA_SUCCESS;
}
CUresult cuFuncSetAttribute(CUfunction, CUfunction_attribute, int) { return CUDA_SUCCESS; }
CUresult cuGetErrorName(CUresult, const char **text) {
  *text = "CUDA_ERROR_MOCK";
  return CUDA_SUCCESS;
}
CUresult cuGetErrorString(CUresult, const char **text) {
  *text = "mock driver";
  return CUDA_SUCCESS;
}
CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                        unsigned by, unsigned bz, unsigned shared, CUstream, void **args,
                        void **extra) {
  if (bx != 128 || by != 1 || bz != 1 || gy != 1 || gz != 1 || shared > 48 * 1024 || !args || extra)
    return CUDA_ERROR_INVALID_VALUE;
  const uintptr_t index = reinterpret_cast<uintptr_t>(function) - 0x100;
  if (index >= gNumSymbols)
    return CUDA_ERROR_INVALID_HANDLE;
  gLastLaunch = gSymbols[index];
  const float *x = *static_cast<float **>(args[0]);
  const float *y = *static_cast<float **>(args[1]);
  float *out = *static_cast<float **>(args[2]);
  int32_t n = *static_cast<int32_t *>(args[3]);
  for (int64_t i = 0; i < int64_t{gx} * 1024 && i < n; ++i)
    out[i] = x[i] + y[i];
  return CUDA_SUCCESS;
}
CUresult cuLaunchKernelEx(const CUlaunchConfig *, CUfunction, void **, void **) {
  return CUDA_ERROR_NOT_SUPPORTED;
}

} // extern "C"
