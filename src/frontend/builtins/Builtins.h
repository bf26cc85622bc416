// The builtins' internal interface: the table's row type and flags (BuiltinDef, bflag), the
// matched arguments a handler receives (CallArgs), the argument helpers every handler uses
// (Args.cpp), and the declaration of every handler, grouped by the file (one per Triton module)
// that defines it. Table.cpp holds the one table that names them; sema (IRGenExpr.cpp,
// Imports.cpp, Frontend.cpp) looks builtins up through builtinTable() / findBuiltin().
// Nothing outside src/frontend includes it.
#pragma once

#include "frontend/Sema.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc::sema {

/// Arguments of a builtin call matched to its parameters by position and keyword.
struct CallArgs {
  const BuiltinDef *def = nullptr;
  std::string extra;     ///< libdevice function name
  SourceRange callRange; ///< the whole call
  SourceRange calleeRange;
  std::vector<std::optional<SVal>> slots; ///< one per declared parameter
  std::vector<SourceRange> ranges;        ///< of each slot's argument (callRange if absent)
  std::vector<SVal> varargs;              ///< the `*args` parameter's values
  std::vector<SourceRange> varargRanges;

  int index(std::string_view param) const;
  /// The parameter was passed (None counts as passed).
  bool passed(std::string_view param) const;
  /// The parameter was passed and is not None.
  bool has(std::string_view param) const;
  /// The parameter's value (None if it was not passed).
  const SVal &operator[](std::string_view param) const;
  SourceRange range(std::string_view param) const;
};

using BuiltinFn = SVal (*)(Lowerer &, CallArgs &);

/// One row of the builtin table. Parameter spellings: "x" required, "x?" optional (absent or
/// None), "*args" collects the remaining positional arguments.
struct BuiltinDef {
  const char *name;    ///< as it is called (e.g. "load")
  const char *display; ///< for messages (e.g. "tl.load")
  std::vector<const char *> params;
  BuiltinFn fn;
  unsigned flags = 0;
};

namespace bflag {
enum : unsigned {
  TL = 1u << 0,       ///< member of triton.language
  Method = 1u << 1,   ///< also a tensor method (x.NAME(...), receiver is the first parameter)
  Math = 1u << 2,     ///< member of triton.language.math
  Python = 1u << 3,   ///< a Python builtin name (range, min, len, ...)
  Triton = 1u << 4,   ///< member of the triton package (triton.cdiv)
  Iterator = 1u << 5, ///< only valid as the iterator of a `for` (range, tl.range, static_range)
  Libdevice = 1u << 6,
  Standard = 1u << 7,    ///< member of triton.language.standard (helpers like tl.sum)
  DTypeMethod = 1u << 8, ///< a method of dtype values (x.dtype.is_floating())
  DescMethod = 1u << 9,  ///< a method of tensor descriptors (desc.load, desc.store)
};
}

/// The one builtin table.
const std::vector<BuiltinDef> &builtinTable();
const BuiltinDef *findBuiltin(std::string_view name, unsigned flag);

// ------------------------------------------------------------------------------------------------
// Argument helpers (Args.cpp): each reports a located error naming the argument and the builtin
// ------------------------------------------------------------------------------------------------

/// "argument 'NAME' of tl.FN", for messages.
std::string what(CallArgs &a, std::string_view name);
/// The argument as a runtime value (Triton's to_tensor).
Value *tensorArg(Lowerer &L, CallArgs &a, std::string_view name);
/// Compile-time arguments, or `dflt` when absent or None.
int64_t intArg(Lowerer &L, CallArgs &a, std::string_view name, int64_t dflt);
bool boolArg(Lowerer &L, CallArgs &a, std::string_view name, bool dflt);
std::string stringArg(Lowerer &L, CallArgs &a, std::string_view name, std::string dflt = "");
/// The `propagate_nan` argument of tl.maximum / minimum / clamp (absent: false).
bool propagateNanArg(Lowerer &L, CallArgs &a);
/// A shape given either as one tuple argument or as several int arguments (`*shape`).
std::vector<int64_t> shapeFromVarargs(Lowerer &L, CallArgs &a, std::string_view what);
/// Where the `*args` of a call start (the call when there are none).
SourceRange varargsRange(CallArgs &a);
/// Python's axis rule: -rank <= axis < rank, negative counts from the end.
int normalizeAxis(Lowerer &L, int64_t axis, size_t rank, SourceRange where);
/// The scalar kind of a value's elements (I64 for pointers).
ScalarKind kindOf(const Value *v);
bool isKind(const Value *v, ScalarKind k);

// ------------------------------------------------------------------------------------------------
// Handlers, by file. Each takes the matched arguments and returns the call's value.
// ------------------------------------------------------------------------------------------------

// Python.cpp: Python builtins, the triton package, range / static_range
SVal builtinRange(Lowerer &L, CallArgs &a);
SVal builtinStaticRange(Lowerer &L, CallArgs &a);
SVal builtinPyMin(Lowerer &L, CallArgs &a);
SVal builtinPyMax(Lowerer &L, CallArgs &a);
SVal builtinLen(Lowerer &L, CallArgs &a);
SVal builtinInt(Lowerer &L, CallArgs &a);
SVal builtinFloat(Lowerer &L, CallArgs &a);
SVal builtinBool(Lowerer &L, CallArgs &a);
SVal builtinPyAbs(Lowerer &L, CallArgs &a);
SVal builtinGetattr(Lowerer &L, CallArgs &a);
SVal builtinIsinstance(Lowerer &L, CallArgs &a);
SVal builtinCdiv(Lowerer &L, CallArgs &a);
SVal builtinNextPow2(Lowerer &L, CallArgs &a);
SVal builtinJitDecorator(Lowerer &L, CallArgs &a);

// Constexpr.cpp: compile-time helpers of triton.language and the dtype methods
SVal builtinConstexpr(Lowerer &L, CallArgs &a);
SVal builtinPointerType(Lowerer &L, CallArgs &a);
SVal builtinStaticAssert(Lowerer &L, CallArgs &a);
SVal builtinStaticPrint(Lowerer &L, CallArgs &a);

// Core.cpp: program ids, block creation, where, cast
SVal builtinProgramId(Lowerer &L, CallArgs &a);
SVal builtinNumPrograms(Lowerer &L, CallArgs &a);
SVal builtinArange(Lowerer &L, CallArgs &a);
SVal builtinZeros(Lowerer &L, CallArgs &a);
SVal builtinFull(Lowerer &L, CallArgs &a);
SVal builtinZerosLike(Lowerer &L, CallArgs &a);
SVal builtinWhere(Lowerer &L, CallArgs &a);
SVal builtinCast(Lowerer &L, CallArgs &a);

// Memory.cpp: loads, stores, block pointers, tensor descriptors
SVal builtinLoad(Lowerer &L, CallArgs &a);
SVal builtinStore(Lowerer &L, CallArgs &a);
SVal builtinMakeBlockPtr(Lowerer &L, CallArgs &a);
SVal builtinAdvance(Lowerer &L, CallArgs &a);
SVal builtinMakeTensorDescriptor(Lowerer &L, CallArgs &a);
SVal builtinDescLoad(Lowerer &L, CallArgs &a);
SVal builtinDescStore(Lowerer &L, CallArgs &a);

// Math.cpp: elementwise math and libdevice
SVal builtinMaximum(Lowerer &L, CallArgs &a);
SVal builtinMinimum(Lowerer &L, CallArgs &a);
SVal builtinClamp(Lowerer &L, CallArgs &a);
SVal builtinAbs(Lowerer &L, CallArgs &a);
SVal builtinFma(Lowerer &L, CallArgs &a);
SVal builtinUmulhi(Lowerer &L, CallArgs &a);
SVal builtinFdiv(Lowerer &L, CallArgs &a);
SVal builtinDivRn(Lowerer &L, CallArgs &a);
SVal builtinSigmoid(Lowerer &L, CallArgs &a);
SVal builtinLibdevice(Lowerer &L, CallArgs &a);

// Shape.cpp: shape operations and gather
SVal builtinExpandDims(Lowerer &L, CallArgs &a);
SVal builtinReshape(Lowerer &L, CallArgs &a);
SVal builtinView(Lowerer &L, CallArgs &a);
SVal builtinBroadcastTo(Lowerer &L, CallArgs &a);
SVal builtinBroadcast(Lowerer &L, CallArgs &a);
SVal builtinTrans(Lowerer &L, CallArgs &a);
SVal builtinPermute(Lowerer &L, CallArgs &a);
SVal builtinRavel(Lowerer &L, CallArgs &a);
SVal builtinJoin(Lowerer &L, CallArgs &a);
SVal builtinSplit(Lowerer &L, CallArgs &a);
SVal builtinInterleave(Lowerer &L, CallArgs &a);
SVal builtinCat(Lowerer &L, CallArgs &a);
SVal builtinGather(Lowerer &L, CallArgs &a);

// Reduce.cpp: reductions, scans, softmax, sort, flip, histogram
SVal builtinSum(Lowerer &L, CallArgs &a);
SVal builtinMaxReduce(Lowerer &L, CallArgs &a);
SVal builtinMinReduce(Lowerer &L, CallArgs &a);
SVal builtinArgmax(Lowerer &L, CallArgs &a);
SVal builtinArgmin(Lowerer &L, CallArgs &a);
SVal builtinXorSum(Lowerer &L, CallArgs &a);
SVal builtinReduce(Lowerer &L, CallArgs &a);
SVal builtinCumsum(Lowerer &L, CallArgs &a);
SVal builtinCumprod(Lowerer &L, CallArgs &a);
SVal builtinAssociativeScan(Lowerer &L, CallArgs &a);
SVal builtinSoftmax(Lowerer &L, CallArgs &a);
SVal builtinSort(Lowerer &L, CallArgs &a);
SVal builtinFlip(Lowerer &L, CallArgs &a);
SVal builtinHistogram(Lowerer &L, CallArgs &a);

// Dot.cpp: the matrix product
SVal builtinDot(Lowerer &L, CallArgs &a);

// Atomic.cpp: atomics
SVal builtinAtomicRMW(Lowerer &L, CallArgs &a);
SVal builtinAtomicCas(Lowerer &L, CallArgs &a);

// Random.cpp: Philox random numbers
SVal builtinRandint4x(Lowerer &L, CallArgs &a);
SVal builtinRandint(Lowerer &L, CallArgs &a);
SVal builtinRand(Lowerer &L, CallArgs &a);
SVal builtinRandn(Lowerer &L, CallArgs &a);

// Debug.cpp: printing, assertions, barriers and hints
SVal builtinDevicePrint(Lowerer &L, CallArgs &a);
SVal builtinPrint(Lowerer &L, CallArgs &a);
SVal builtinDeviceAssert(Lowerer &L, CallArgs &a);
SVal builtinDebugBarrier(Lowerer &L, CallArgs &a);
SVal builtinHint(Lowerer &L, CallArgs &a);
SVal builtinAssume(Lowerer &L, CallArgs &a);

/// The unary float functions (tl.exp, tl.sqrt, ...; Math.cpp): one handler per op code.
SVal builtinUnaryMath(Lowerer &L, CallArgs &a, OpCode code, bool fp32Only);
template <OpCode C, bool Fp32Only = false> SVal builtinMath(Lowerer &L, CallArgs &a) {
  return builtinUnaryMath(L, a, C, Fp32Only);
}

/// The dtype predicates (x.dtype.is_floating(), ...; Constexpr.cpp).
enum class DTypeTest : uint8_t {
  Floating,
  Int,
  IntSigned,
  IntUnsigned,
  Ptr,
  Bool,
  Fp8,
  Fp16,
  Bf16,
  Fp32,
  Fp64,
  StandardFloating,
  Block,
};
SVal builtinDTypeTest(Lowerer &L, CallArgs &a, DTypeTest test);
template <DTypeTest T> SVal builtinDTypeIs(Lowerer &L, CallArgs &a) {
  return builtinDTypeTest(L, a, T);
}
/// dtype.is_int8(), is_uint64(), ...: one scalar kind.
SVal builtinDTypeIsScalarKind(Lowerer &L, CallArgs &a, ScalarKind kind);
template <ScalarKind Kind> SVal builtinDTypeIsKind(Lowerer &L, CallArgs &a) {
  return builtinDTypeIsScalarKind(L, a, Kind);
}

} // namespace tritonc::sema
