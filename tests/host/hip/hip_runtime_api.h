/* A stand-in for ROCm's <hip/hip_runtime_api.h> with only what tritonc's generated HIP headers,
 * include/tritonc/launcher.hpp (TRITONC_LAUNCHER_HIP) and examples/host/main_hip.cpp use, so
 * that CI, which has no ROCm, can compile them and run them on tests/host/mock_libamdhip64.cpp.
 * The names, signatures and constants are HIP's (hipError_t values as HIP numbers them,
 * HIP_LAUNCH_PARAM_* as HIP defines them); hipDeviceProp_t here holds only the fields used and
 * is not HIP's layout, and hipDeviceAttributeWarpSize's value is the mock's own: a program
 * built against this header runs on the mock, not on ROCm. */
#ifndef TRITONC_TEST_HIP_RUNTIME_API_H
#define TRITONC_TEST_HIP_RUNTIME_API_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hipError_t {
  hipSuccess = 0,
  hipErrorInvalidValue = 1,
  hipErrorOutOfMemory = 2,
  hipErrorNotInitialized = 3,
  hipErrorInvalidImage = 200,
  hipErrorNoBinaryForGpu = 209,
  hipErrorInvalidHandle = 400,
  hipErrorNotFound = 500,
} hipError_t;

typedef struct ihipModule_t *hipModule_t;
typedef struct ihipModuleSymbol_t *hipFunction_t;
typedef struct ihipStream_t *hipStream_t;
typedef void *hipDeviceptr_t;

typedef enum hipDeviceAttribute_t {
  hipDeviceAttributeWarpSize = 87,
} hipDeviceAttribute_t;

typedef struct hipDeviceProp_t {
  char name[256];
  int warpSize;
  char gcnArchName[256];
} hipDeviceProp_t;

typedef enum hipFunction_attribute {
  HIP_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0,
  HIP_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES = 1,
  HIP_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES = 3,
  HIP_FUNC_ATTRIBUTE_NUM_REGS = 4,
} hipFunction_attribute;

#define HIP_LAUNCH_PARAM_BUFFER_POINTER ((void *)0x01)
#define HIP_LAUNCH_PARAM_BUFFER_SIZE ((void *)0x02)
#define HIP_LAUNCH_PARAM_END ((void *)0x03)

hipError_t hipInit(unsigned int flags);
hipError_t hipSetDevice(int device);
hipError_t hipGetDevice(int *device);
hipError_t hipGetDeviceProperties(hipDeviceProp_t *prop, int device);
hipError_t hipDeviceGetAttribute(int *value, hipDeviceAttribute_t attr, int device);
hipError_t hipDeviceSynchronize(void);
hipError_t hipMalloc(void **ptr, size_t size);
hipError_t hipFree(void *ptr);
hipError_t hipMemcpyHtoD(hipDeviceptr_t dst, const void *src, size_t size);
hipError_t hipMemcpyDtoH(void *dst, hipDeviceptr_t src, size_t size);
hipError_t hipMemset(void *dst, int value, size_t size);
hipError_t hipModuleLoadData(hipModule_t *module, const void *image);
hipError_t hipModuleUnload(hipModule_t module);
hipError_t hipModuleGetFunction(hipFunction_t *function, hipModule_t module, const char *name);
hipError_t hipFuncGetAttribute(int *value, hipFunction_attribute attrib, hipFunction_t hfunc);
hipError_t hipModuleLaunchKernel(hipFunction_t f, unsigned int gridDimX, unsigned int gridDimY,
                                 unsigned int gridDimZ, unsigned int blockDimX,
                                 unsigned int blockDimY, unsigned int blockDimZ,
                                 unsigned int sharedMemBytes, hipStream_t stream,
                                 void **kernelParams, void **extra);
const char *hipGetErrorName(hipError_t error);
const char *hipGetErrorString(hipError_t error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* TRITONC_TEST_HIP_RUNTIME_API_H */
