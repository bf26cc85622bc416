// IR helpers shared by the libFuzzer targets that take IR text (fuzz_passes, fuzz_codegen).
#pragma once

#include "ir/IR.h"

namespace tritonc::fuzz {

/// True if some block type of the module carries a layout (GPU IR).
inline bool isGpuIR(Module &module) {
  bool gpu = false;
  auto look = [&](const Value *v) { gpu |= v->type()->isBlock() && v->type()->layout(); };
  for (auto &f : module.functions()) {
    for (Value *arg : f->body()->arguments())
      look(arg);
    f->walk([&](Operation *op) {
      for (Value *r : op->results())
        look(r);
    });
  }
  return gpu;
}

} // namespace tritonc::fuzz
