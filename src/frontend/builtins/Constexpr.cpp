// The compile-time helpers of triton.language: tl.constexpr, tl.pointer_type,
// tl.static_assert, tl.static_print and the dtype methods (x.dtype.is_floating(), ...).
#include "frontend/Promotion.h"
#include "frontend/builtins/Builtins.h"

namespace tritonc::sema {

SVal builtinConstexpr(Lowerer &L, CallArgs &a) {
  const SVal &v = a["value"];
  if (v.containsRuntime())
    L.error(a.range("value"), "tl.constexpr() needs a compile-time value, got " + L.describe(v));
  return v;
}

SVal builtinPointerType(Lowerer &L, CallArgs &a) {
  const Type *elem = L.requireDType(a["element_ty"], a.range("element_ty"), "the element type");
  int64_t as = intArg(L, a, "address_space", 1);
  if (as < 0 || as > 255)
    L.error(a.range("address_space"),
            "address_space must be between 0 and 255, got " + std::to_string(as));
  if (elem->pointerDepth() >= kMaxPointerDepth)
    L.error(a.range("element_ty"), "tl.pointer_type would nest pointers " +
                                       std::to_string(elem->pointerDepth() + 1) +
                                       " deep; the limit is " + std::to_string(kMaxPointerDepth));
  return SVal::dtype(L.ctx().pointer(elem, static_cast<unsigned>(as)));
}

SVal builtinStaticAssert(Lowerer &L, CallArgs &a) {
  const SVal &c = a["cond"];
  if (c.containsRuntime())
    L.error(a.range("cond"),
            "tl.static_assert needs a condition known at compile time, got a " + L.describe(c));
  if (!L.truthy(c, a.range("cond"))) {
    std::string msg = a.has("msg") ? L.str(a["msg"]) : "";
    L.error(a.callRange, "static assertion failed" + (msg.empty() ? "" : ": " + msg));
  }
  return SVal::none();
}

SVal builtinStaticPrint(Lowerer &L, CallArgs &a) {
  if (L.dryRun)
    return SVal::none(); // a loop's dry run would print everything twice
  std::string text;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    text += (i ? " " : "") + L.str(a.varargs[i]);
  L.note(a.callRange, "static_print: " + text);
  return SVal::none();
}

// ------------------------------------------------------------------------------------------------
// dtype methods (x.dtype.is_floating(), ...)
// ------------------------------------------------------------------------------------------------

SVal builtinDTypeTest(Lowerer &L, CallArgs &a, DTypeTest test) {
  const Type *t = L.requireDType(a["self"], a.range("self"), "the dtype");
  ScalarKind k = t->isScalar() ? t->scalarKind() : ScalarKind::I64;
  bool s = t->isScalar();
  switch (test) {
  case DTypeTest::Floating:
    return SVal::boolean(s && isFloatKind(k));
  case DTypeTest::Int:
    return SVal::boolean(s && isIntegerKind(k));
  case DTypeTest::IntSigned:
    return SVal::boolean(s && tritonIsSigned(k));
  case DTypeTest::IntUnsigned:
    return SVal::boolean(s && tritonIsUnsigned(k));
  case DTypeTest::Ptr:
    return SVal::boolean(t->isPointer());
  case DTypeTest::Bool:
    return SVal::boolean(s && k == ScalarKind::I1);
  case DTypeTest::Fp8:
    return SVal::boolean(s && (k == ScalarKind::F8E4NV || k == ScalarKind::F8E5));
  case DTypeTest::Fp16:
    return SVal::boolean(s && k == ScalarKind::F16);
  case DTypeTest::Bf16:
    return SVal::boolean(s && k == ScalarKind::BF16);
  case DTypeTest::Fp32:
    return SVal::boolean(s && k == ScalarKind::F32);
  case DTypeTest::Fp64:
    return SVal::boolean(s && k == ScalarKind::F64);
  case DTypeTest::StandardFloating:
    return SVal::boolean(s && (k == ScalarKind::F16 || k == ScalarKind::BF16 ||
                               k == ScalarKind::F32 || k == ScalarKind::F64));
  case DTypeTest::Block:
    return SVal::boolean(t->isBlock()); // only x.type of a block is a block type
  }
  return SVal::boolean(false);
}

SVal builtinDTypeIsScalarKind(Lowerer &L, CallArgs &a, ScalarKind kind) {
  const Type *t = L.requireDType(a["self"], a.range("self"), "the dtype");
  return SVal::boolean(t->isScalar() && t->scalarKind() == kind);
}

} // namespace tritonc::sema
