// Debugging and hint builtins: tl.device_print and Python's print, tl.device_assert,
// tl.debug_barrier, the axis hints (tl.multiple_of, max_contiguous, max_constancy) and
// tl.assume.
#include "frontend/builtins/Builtins.h"

#include <algorithm>

namespace tritonc::sema {

using K = SVal::Kind;

SVal builtinDevicePrint(Lowerer &L, CallArgs &a) {
  std::string prefix = L.requireString(a["prefix"], a.range("prefix"), "the prefix");
  std::vector<Value *> vals;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    vals.push_back(L.toTensor(a.varargs[i], a.varargRanges[i], "a device_print value"));
  // Triton's prefix normalisation: " prefix: " before the values.
  if (!vals.empty() && (prefix.empty() || prefix.back() != ' '))
    prefix += " ";
  if (!vals.empty() && !(prefix.size() >= 2 && prefix.ends_with(": ")))
    prefix = prefix.substr(0, prefix.size() - 1) + ": ";
  if (prefix.size() > 2 && prefix.front() != ' ')
    prefix = " " + prefix;
  AttrList attrs;
  attrs.set("prefix", prefix);
  if (boolArg(L, a, "hex", false))
    attrs.set("hex", true);
  L.emitOp(OpCode::Print, vals, {}, std::move(attrs));
  return SVal::none();
}

SVal builtinPrint(Lowerer &L, CallArgs &a) {
  // Python's print inside a kernel is device_print: a leading string is the prefix.
  std::vector<Value *> vals;
  std::string prefix;
  for (size_t i = 0; i < a.varargs.size(); ++i) {
    if (i == 0 && a.varargs[i].is(K::String)) {
      prefix = a.varargs[i].stringValue();
      continue;
    }
    vals.push_back(L.toTensor(a.varargs[i], a.varargRanges[i], "a print value"));
  }
  AttrList attrs;
  attrs.set("prefix", prefix);
  L.emitOp(OpCode::Print, vals, {}, std::move(attrs));
  return SVal::none();
}

SVal builtinDeviceAssert(Lowerer &L, CallArgs &a) {
  Value *cond = L.toBool(tensorArg(L, a, "cond"), a.range("cond"));
  if (a.has("mask")) {
    Value *m = L.toBool(tensorArg(L, a, "mask"), a.range("mask"));
    cond = L.logicalAndOr(false, SVal::tensor(cond), SVal::tensor(L.logicalNot(m, a.callRange)),
                          a.callRange);
  }
  AttrList attrs;
  attrs.set("message", a.has("msg") ? L.str(a["msg"]) : std::string());
  attrs.set("file", std::string(L.sources().path(a.callRange.begin.file)));
  L.emitOp(OpCode::Assert, {cond}, {}, std::move(attrs));
  return SVal::none();
}

SVal builtinDebugBarrier(Lowerer &L, CallArgs &) {
  L.emitOp(OpCode::Barrier, {}, {});
  return SVal::none();
}

SVal builtinHint(Lowerer &L, CallArgs &a) {
  // multiple_of / max_contiguous / max_constancy: checked like Triton's semantic.py.
  Value *x = tensorArg(L, a, "input");
  std::vector<int64_t> values = L.requireIntList(a["values"], a.range("values"), "the values");
  size_t rank = Lowerer::shapeOf(x->type()).size();
  bool multipleOf = std::string_view(a.def->name) == "multiple_of";
  if ((multipleOf ? std::max<size_t>(1, rank) : rank) != values.size())
    L.error(a.range("values"), std::string(a.def->display) + ": " + std::to_string(values.size()) +
                                   " values for a value of rank " + std::to_string(rank));
  // As Triton's set_attr on the value: the hint goes onto the op that defines it (shared uses
  // see it too, exactly as in Triton), where the axis-info analysis reads it; CSE keys on
  // attributes, so a hinted op never merges with an unhinted twin. A kernel parameter has no
  // defining op: multiple_of raises its declared divisibility instead. Other block arguments
  // (loop-carried values) have nowhere to keep a hint, and it is dropped.
  AttrValue attr = values.size() == 1 && rank <= 1 ? AttrValue(values[0]) : AttrValue(values);
  if (Operation *def = x->definingOp()) {
    def->attrs().set(a.def->name, std::move(attr));
  } else if (multipleOf && L.currentFunction() && x->ownerBlock() == L.currentFunction()->body() &&
             x->index() < L.currentFunction()->params().size()) {
    ParamInfo &p = L.currentFunction()->params()[x->index()];
    p.divisibility = std::max(p.divisibility, values[0]);
  }
  return SVal::tensor(x);
}

SVal builtinAssume(Lowerer &L, CallArgs &a) {
  if (!a["cond"].containsRuntime())
    return SVal::none();
  L.toBool(tensorArg(L, a, "cond"), a.range("cond"));
  return SVal::none(); // a hint only
}

} // namespace tritonc::sema
