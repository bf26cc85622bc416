// Library builtins (temporary stubs).
#include "frontend/Sema.h"

namespace tritonc::sema {
#define STUB(n)                                                                                    \
  SVal n(Lowerer &L, CallArgs &a) {                                                                \
    L.error(a.calleeRange, std::string(a.def->display) + " is not supported yet");                 \
  }
STUB(builtinSum)
STUB(builtinMaxReduce)
STUB(builtinMinReduce)
STUB(builtinArgmax)
STUB(builtinArgmin)
STUB(builtinXorSum)
STUB(builtinReduce)
STUB(builtinCumsum)
STUB(builtinCumprod)
STUB(builtinAssociativeScan)
STUB(builtinSoftmax)
STUB(builtinDot)
STUB(builtinAtomicRMW)
STUB(builtinAtomicCas)
STUB(builtinRandint4x)
STUB(builtinRandint)
STUB(builtinRand)
STUB(builtinRandn)
STUB(builtinHistogram)
STUB(builtinGather)
STUB(builtinMakeBlockPtr)
STUB(builtinAdvance)
STUB(blockPtrLoad)
STUB(blockPtrStore)
} // namespace tritonc::sema
