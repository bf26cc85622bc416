/* A stand-in for libcuda.so.1 for `--arch native` tests (built by arch-native.test, loaded
 * through TRITONC_LIBCUDA): it reports one GPU whose compute capability is $FAKE_CC
 * ("12.0" by default), or makes cuInit fail with $FAKE_INIT_ERROR (a CUresult number). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cuInit(unsigned flags) {
  const char *e = getenv("FAKE_INIT_ERROR");
  (void)flags;
  return e ? atoi(e) : 0;
}

int cuDeviceGetCount(int *count) {
  *count = 1;
  return 0;
}

int cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? 0 : 101; /* CUDA_ERROR_INVALID_DEVICE */
}

int cuDeviceGetAttribute(int *value, int attribute, int device) {
  const char *cc = getenv("FAKE_CC");
  int major = 12, minor = 0;
  (void)device;
  if (cc)
    sscanf(cc, "%d.%d", &major, &minor);
  if (attribute == 75)
    *value = major;
  else if (attribute == 76)
    *value = minor;
  else
    return 1; /* CUDA_ERROR_INVALID_VALUE */
  return 0;
}

int cuDeviceGetName(char *name, int length, int device) {
  (void)device;
  strncpy(name, "Fake GPU", (size_t)length);
  return 0;
}

int cuGetErrorName(int error, const char **name) {
  *name = error == 100 ? "CUDA_ERROR_NO_DEVICE" : NULL;
  return *name ? 0 : 1;
}
