// Argument access for builtin handlers: CallArgs (the matched arguments of one call, looked up
// by parameter name) and the helpers that read an argument as a value of the kind a handler
// needs, with a located error that names the argument and the builtin when it is not.
#include "frontend/builtins/Builtins.h"

namespace tritonc::sema {

static std::string_view paramName(const char *spec) {
  std::string_view s(spec);
  if (!s.empty() && s.front() == '*')
    s.remove_prefix(1);
  if (!s.empty() && s.back() == '?')
    s.remove_suffix(1);
  return s;
}

int CallArgs::index(std::string_view param) const {
  for (size_t i = 0; i < def->params.size(); ++i)
    if (paramName(def->params[i]) == param)
      return static_cast<int>(i);
  return -1;
}

bool CallArgs::passed(std::string_view param) const {
  int i = index(param);
  return i >= 0 && slots[i].has_value();
}

bool CallArgs::has(std::string_view param) const {
  int i = index(param);
  return i >= 0 && slots[i].has_value() && !slots[i]->isNone();
}

const SVal &CallArgs::operator[](std::string_view param) const {
  static const SVal kNone;
  int i = index(param);
  if (i < 0 || !slots[i])
    return kNone;
  return *slots[i];
}

SourceRange CallArgs::range(std::string_view param) const {
  int i = index(param);
  if (i < 0)
    return callRange;
  return ranges[i];
}

// ------------------------------------------------------------------------------------------------
// Argument helpers
// ------------------------------------------------------------------------------------------------

std::string what(CallArgs &a, std::string_view name) {
  return std::string("argument '") + std::string(name) + "' of " + a.def->display;
}

Value *tensorArg(Lowerer &L, CallArgs &a, std::string_view name) {
  return L.toTensor(a[name], a.range(name), what(a, name));
}

int64_t intArg(Lowerer &L, CallArgs &a, std::string_view name, int64_t dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireInt(a[name], a.range(name), what(a, name));
}

bool boolArg(Lowerer &L, CallArgs &a, std::string_view name, bool dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireBool(a[name], a.range(name), what(a, name));
}

std::string stringArg(Lowerer &L, CallArgs &a, std::string_view name, std::string dflt) {
  if (!a.has(name))
    return dflt;
  return L.requireString(a[name], a.range(name), what(a, name));
}

bool propagateNanArg(Lowerer &L, CallArgs &a) { return intArg(L, a, "propagate_nan", 0) != 0; }

std::vector<int64_t> shapeFromVarargs(Lowerer &L, CallArgs &a, std::string_view what) {
  if (a.varargs.size() == 1 && a.varargs[0].isTuple())
    return L.requireIntList(a.varargs[0], a.varargRanges[0], what);
  std::vector<int64_t> out;
  for (size_t i = 0; i < a.varargs.size(); ++i)
    out.push_back(L.requireInt(a.varargs[i], a.varargRanges[i], what));
  return out;
}

SourceRange varargsRange(CallArgs &a) {
  return a.varargRanges.empty() ? a.callRange : a.varargRanges[0];
}

int normalizeAxis(Lowerer &L, int64_t axis, size_t rank, SourceRange where) {
  int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r)
    L.error(where, "axis " + std::to_string(axis) + " is out of range for a value of rank " +
                       std::to_string(rank));
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

ScalarKind kindOf(const Value *v) {
  const Type *s = v->type()->scalarType();
  return s->isScalar() ? s->scalarKind() : ScalarKind::I64;
}

bool isKind(const Value *v, ScalarKind k) {
  return v->type()->scalarType()->isScalar() && kindOf(v) == k;
}

} // namespace tritonc::sema
