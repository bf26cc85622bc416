// `--arch native`: the compute capability of this machine's GPU, asked of the CUDA driver at
// run time. libcuda is loaded with dlopen, so tritonc has no link-time dependency on CUDA and
// runs (and says why `native` cannot be resolved) on machines without a driver or a GPU.
#pragma once

#include <string>

namespace tritonc {

/// The driver library asked: $TRITONC_LIBCUDA when set (the only candidate then), else
/// libcuda.so.1 found by the dynamic loader.
std::string nativeDriverLibrary();

/// Finds GPU 0's compute capability through libcuda (cuInit, cuDeviceGet,
/// cuDeviceGetAttribute) and names the --arch that fits it in `arch` (the arch-specific
/// variant where tritonc has one: sm_90a for 9.0, sm_100a for 10.0, sm_120a for 12.0), with
/// the device's name in `device`. False with `error` set when the driver cannot be loaded,
/// finds no GPU, or the GPU is not a supported target.
bool detectNativeArch(std::string &arch, std::string &device, std::string &error);

} // namespace tritonc
