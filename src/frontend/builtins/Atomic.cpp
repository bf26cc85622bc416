// Atomic builtins: tl.atomic_add / max / min / and / or / xor / xchg (one handler, the kind
// taken from the name) and tl.atomic_cas, with semantic.py's type checks and memory
// semantics / scopes.
#include "frontend/builtins/Builtins.h"

namespace tritonc::sema {

namespace {

/// semantic.py's _str_to_sem / _str_to_scope.
std::string semArg(Lowerer &L, CallArgs &a) {
  std::string sem = stringArg(L, a, "sem", "acq_rel");
  if (sem != "acquire" && sem != "release" && sem != "acq_rel" && sem != "relaxed")
    L.error(a.range("sem"), "memory semantic '" + sem +
                                "' is not supported (use acquire, release, acq_rel or relaxed)");
  return sem;
}

std::string scopeArg(Lowerer &L, CallArgs &a) {
  std::string scope = stringArg(L, a, "scope", "gpu");
  if (scope != "gpu" && scope != "cta" && scope != "sys")
    L.error(a.range("scope"),
            "memory scope '" + scope + "' is not supported (use gpu, cta or sys)");
  return scope;
}

Value *atomicPointer(Lowerer &L, CallArgs &a) {
  Value *ptr = tensorArg(L, a, "pointer");
  if (!ptr->type()->isPointerLike())
    L.error(a.range("pointer"), std::string(a.def->display) +
                                    " needs a pointer or a block of pointers, got " +
                                    Lowerer::typeStr(ptr->type()));
  return ptr;
}

} // namespace

SVal builtinAtomicRMW(Lowerer &L, CallArgs &a) {
  std::string kind = std::string(a.def->name).substr(std::string_view("atomic_").size());
  std::string sem = semArg(L, a), scope = scopeArg(L, a);
  Value *ptr = atomicPointer(L, a);
  const Type *elem = ptr->type()->scalarType()->pointee();
  ScalarKind ek = elem->isScalar() ? elem->scalarKind() : ScalarKind::I64;
  // semantic.py's atom_red_typechecking_impl.
  if (!elem->isScalar() || ek == ScalarKind::I1 || ek == ScalarKind::I8 || ek == ScalarKind::U8 ||
      ek == ScalarKind::I16 || ek == ScalarKind::U16 || ek == ScalarKind::BF16 ||
      isKind(ptr, ScalarKind::F8E4NV) || ek == ScalarKind::F8E4NV || ek == ScalarKind::F8E5)
    L.error(a.range("pointer"),
            std::string(a.def->display) + " does not support " + Lowerer::typeStr(elem));
  if (ek == ScalarKind::F16 && kind != "add")
    L.error(a.range("pointer"), std::string(a.def->display) + " does not support fp16");
  if ((kind == "and" || kind == "or" || kind == "xor") && !elem->isInt())
    L.error(a.range("pointer"),
            std::string(a.def->display) + " needs integer elements, got " + Lowerer::typeStr(elem));
  Value *val = tensorArg(L, a, "val");
  Value *mask = a.has("mask") ? L.toBool(tensorArg(L, a, "mask"), a.range("mask")) : nullptr;
  // The pointer's shape wins; a scalar pointer takes the shape of a block value or mask.
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  shape = L.broadcastShapes(shape, Lowerer::shapeOf(val->type()), a.callRange, a.def->display);
  if (mask)
    shape = L.broadcastShapes(shape, Lowerer::shapeOf(mask->type()), a.callRange, a.def->display);
  ptr = L.broadcastTo(ptr, shape, a.range("pointer"), a.def->display);
  val = L.broadcastTo(L.cast(val, elem, a.range("val")), shape, a.range("val"), a.def->display);
  std::vector<Value *> operands{ptr, val};
  if (mask)
    operands.push_back(L.broadcastTo(mask, shape, a.range("mask"), a.def->display));
  AttrList attrs;
  attrs.set("kind", kind);
  attrs.set("sem", sem);
  attrs.set("scope", scope);
  return SVal::tensor(L.emit(OpCode::AtomicRMW, operands, val->type(), std::move(attrs)));
}

SVal builtinAtomicCas(Lowerer &L, CallArgs &a) {
  std::string sem = semArg(L, a), scope = scopeArg(L, a);
  Value *ptr = atomicPointer(L, a);
  const Type *elem = ptr->type()->scalarType()->pointee();
  unsigned bits = elem->isScalar() ? elem->bitWidth() : 64;
  if (bits != 16 && bits != 32 && bits != 64)
    L.error(a.range("pointer"), "tl.atomic_cas only supports elements with width {16, 32, 64}, "
                                "got " +
                                    Lowerer::typeStr(elem));
  Value *cmp = tensorArg(L, a, "cmp"), *val = tensorArg(L, a, "val");
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  shape = L.broadcastShapes(shape, Lowerer::shapeOf(cmp->type()), a.callRange, a.def->display);
  shape = L.broadcastShapes(shape, Lowerer::shapeOf(val->type()), a.callRange, a.def->display);
  ptr = L.broadcastTo(ptr, shape, a.range("pointer"), a.def->display);
  cmp = L.broadcastTo(L.cast(cmp, elem, a.range("cmp")), shape, a.range("cmp"), a.def->display);
  val = L.broadcastTo(L.cast(val, elem, a.range("val")), shape, a.range("val"), a.def->display);
  AttrList attrs;
  attrs.set("sem", sem);
  attrs.set("scope", scope);
  return SVal::tensor(L.emit(OpCode::AtomicCas, {ptr, cmp, val}, val->type(), std::move(attrs)));
}

} // namespace tritonc::sema
