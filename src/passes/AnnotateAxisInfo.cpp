// annotate-axis-info: writes the axis-info analysis into the IR as attributes.
//
// For each op with at least one integer or pointer result, the attribute `axis_info` gets the
// facts of each such result (AxisInfo::str), separated by "; " when there are several. Region
// arguments (loop induction variables, carried values) show through the ops that use them.
// Expects: Tile IR or GPU IR. Leaves: the same IR plus the attributes (which every other pass
// ignores), so it can sit anywhere in a --passes list.
//
//   before: %offs = add %0, %1 : tensor<1024xi32>
//   after:  %offs = add %0, %1 {axis_info = "contiguity = [1024], divisibility = [1024],
//           constancy = [1]"} : tensor<1024xi32>
#include "passes/AnnotateAxisInfo.h"

#include "passes/AxisInfo.h"

namespace tritonc {

bool annotateAxisInfoPass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions()) {
    AxisInfoAnalysis analysis(*f);
    f->walk([&](Operation *op) {
      std::string text;
      for (Value *r : op->results()) {
        if (!r->type()->isInt() && !r->type()->isPointerLike())
          continue;
        if (!text.empty())
          text += "; ";
        text += analysis.get(r).str();
      }
      if (!text.empty())
        op->attrs().set(kAxisInfoAttr, text);
    });
  }
  return true;
}

} // namespace tritonc
