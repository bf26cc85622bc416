// Verifier: enforces docs/IR.md on a module (see Verifier.h).
//
// One pass per function, in program order:
//   1. the IR level is fixed by the first block type found: with a layout the function is GPU IR
//      and every block type must carry one, without it Tile IR and none may;
//   2. every block: its arguments and each op's results become visible after their definition
//      (dominance = "defined earlier in this block or an enclosing one"), terminators appear
//      exactly once, at the end, and are the ones the enclosing op expects;
//   3. every op: arity from the op table, then the op's own rule (one case per OpCode in
//      checkRules), which may assume the arity holds and every type is present.
// Each violation is reported and verification goes on, so one run shows every problem.
#include "ir/Verifier.h"
#include "ir/Spelling.h"
#include "support/Bits.h"

#include "ir/Printer.h"

#include <initializer_list>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace tritonc {

namespace {

std::string typeStr(const Type *t) { return t ? t->str() : "<null type>"; }

std::string typeList(const std::vector<const Type *> &types) {
  std::string out = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i)
      out += ", ";
    out += typeStr(types[i]);
  }
  return out + ")";
}

using spelling::plural;

/// `tensor<4x2xf32>` (or the element itself for an empty shape), without a layout.
std::string shapeStr(const Type *elem, const std::vector<int64_t> &shape) {
  if (shape.empty())
    return typeStr(elem);
  std::string out = "tensor<";
  for (int64_t d : shape)
    out += std::to_string(d) + "x";
  return out + typeStr(elem) + ">";
}

std::vector<const Type *> operandTypes(const Operation *op) {
  std::vector<const Type *> out;
  if (op)
    for (Value *v : op->operands())
      out.push_back(v ? v->type() : nullptr);
  return out;
}
std::vector<const Type *> resultTypes(const Operation &op) {
  std::vector<const Type *> out;
  for (unsigned i = 0; i < op.numResults(); ++i)
    out.push_back(op.result(i)->type());
  return out;
}
std::vector<const Type *> argTypes(const Block &b) {
  std::vector<const Type *> out;
  for (unsigned i = 0; i < b.numArguments(); ++i)
    out.push_back(b.argument(i)->type());
  return out;
}

/// Same shape and layout (or both not blocks), whatever the element types.
bool sameShape(const Type *a, const Type *b) {
  if (!a || !b || a->isBlock() != b->isBlock())
    return false;
  return !a->isBlock() || (a->shape() == b->shape() && a->layout() == b->layout());
}
/// `t` has element `elem` and shape `shape` (empty: `t` is `elem` itself); layout ignored.
bool hasShape(const Type *t, const Type *elem, const std::vector<int64_t> &shape) {
  if (shape.empty())
    return t == elem;
  return t && t->isBlock() && t->element() == elem && t->shape() == shape;
}
bool isBlockT(const Type *t) { return t && t->isBlock(); }
bool isScalarOf(const Type *t, bool (*pred)(ScalarKind)) {
  const Type *s = t ? t->scalarType() : nullptr;
  return s && s->isScalar() && pred(s->scalarKind());
}
bool isIntT(const Type *t) { return isScalarOf(t, isIntegerKind); }
bool isFloatT(const Type *t) { return isScalarOf(t, isFloatKind); }
bool isNumericT(const Type *t) { return isIntT(t) || isFloatT(t); }
bool isPtrT(const Type *t) { return t && t->scalarType()->isPointer(); }
bool isBoolT(const Type *t) { return t && t->isBool(); }
/// A block (or scalar) of pointers to `pointee`'s element, shaped like `ptr`.
bool isPointeeOf(const Type *value, const Type *ptr) {
  return isPtrT(ptr) && sameShape(value, ptr) &&
         value->scalarType() == ptr->scalarType()->pointee();
}

const char *regionName(OpCode owner, unsigned region) {
  switch (owner) {
  case OpCode::For:
    return "the body of 'for'";
  case OpCode::If:
    return region == 0 ? "the then-region of 'if'" : "the else-region of 'if'";
  case OpCode::While:
    return region == 0 ? "the before-region of 'while'" : "the after-region of 'while'";
  case OpCode::Reduce:
    return "the combine region of 'reduce'";
  case OpCode::Scan:
    return "the combine region of 'scan'";
  default:
    return "this region";
  }
}

class FunctionVerifier {
public:
  FunctionVerifier(const Function &fn, DiagnosticEngine &diags)
      : fn_(fn), ctx_(fn.context()), diags_(diags) {}

  bool run() {
    gpu_ = irLevel(fn_) == IRLevel::Gpu;
    checkKernel();
    verifyBlock(*fn_.body(), nullptr, 0);
    return ok_;
  }

private:
  // ---- reporting

  void report(SourceLoc loc, std::string message, const Operation *op = nullptr) {
    ok_ = false;
    Diagnostic &d = diags_.error(loc, std::move(message));
    // Hand-built IR has no locations: show the op so the message can still be placed.
    if (op && !loc.isValid()) {
      PrintOptions po;
      po.elideRegions = true;
      d.notes.push_back(DiagnosticNote{SourceRange(), "in: " + printOp(*op, po)});
    }
  }
  /// "'add' <message>", at the op.
  void opError(const Operation &op, const std::string &message) {
    report(op.loc(), "'" + std::string(op.mnemonic()) + "' " + message, &op);
  }
  /// "(A, B) -> R": the op's signature, for messages.
  static std::string sig(const Operation &op) {
    std::vector<const Type *> res = resultTypes(op);
    std::string out = typeList(operandTypes(&op)) + " -> ";
    return out + (res.size() == 1 ? typeStr(res[0]) : typeList(res));
  }
  std::string valueName(const Value *v) {
    if (!names_)
      names_ = nameValues(fn_);
    auto it = names_->find(v);
    if (it != names_->end())
      return "%" + it->second;
    return v->name().empty() ? "a value of another function" : "%" + v->name();
  }

  // ---- types and layouts

  /// Why `t` is not a well-formed type of this function, or nullopt. Cached: the answer
  /// depends only on the type, the function's IR level and num_warps.
  const std::optional<std::string> &typeProblem(const Type *t) {
    auto it = typeProblems_.find(t);
    if (it == typeProblems_.end())
      it = typeProblems_.emplace(t, computeTypeProblem(t)).first;
    return it->second;
  }
  /// A type the op rules can rely on: present, with power-of-two dims, well-formed layout.
  bool goodType(const Type *t) { return !typeProblem(t).has_value(); }

  std::optional<std::string> computeTypeProblem(const Type *t) {
    if (!t)
      return "has no type";
    const Type *s = t;
    while (s->isPointer()) {
      s = s->pointee();
      if (!s || s->isBlock())
        return typeStr(t) + " points to a block";
    }
    if (!t->isBlock())
      return std::nullopt;
    const std::string ts = typeStr(t);
    if (!t->element() || t->element()->isBlock())
      return ts + " has a block element";
    if (t->rank() == 0)
      return ts + " has no dimensions";
    unsigned log2Total = 0; // bounded below so that numElements() cannot overflow
    for (int64_t d : t->shape()) {
      if (!isPowerOf2(d))
        return "dimension " + std::to_string(d) + " of " + ts + " is not a power of two";
      for (int64_t x = d; x > 1; x >>= 1)
        ++log2Total;
    }
    if (log2Total > 31)
      return ts + " has more than 2^31 elements";
    const Layout *l = t->layout();
    if (gpu_ && !l)
      return ts + " has no layout, but the function is GPU IR (its other blocks have layouts)";
    if (!gpu_ && l)
      return ts + " has a layout, but the function is Tile IR (its other blocks have none)";
    if (!l)
      return std::nullopt;
    if (std::optional<std::string> why = layoutProblem(l))
      return "layout of " + ts + ": " + *why;
    if (l->rank() != t->rank())
      return "layout of " + ts + " has rank " + std::to_string(l->rank()) + ", the block " +
             std::to_string(t->rank());
    return std::nullopt;
  }

  std::optional<std::string> layoutProblem(const Layout *l) {
    if (goodLayouts_.count(l))
      return std::nullopt;
    if (l->isSlice()) {
      if (!l->parent())
        return "slice without a parent";
      if (std::optional<std::string> why = layoutProblem(l->parent()))
        return why;
      if (l->sliceDim() >= l->parent()->rank())
        return "slice dim " + std::to_string(l->sliceDim()) +
               " out of range for a parent of rank " + std::to_string(l->parent()->rank());
      goodLayouts_.insert(l);
      return std::nullopt;
    }
    if (l->isMma()) {
      uint64_t warps = 1;
      for (unsigned w : l->warpsPerCTA()) {
        if (!isPowerOf2(w))
          return std::string("mma wpc entries must be powers of two");
        warps = std::min<uint64_t>(warps * w, uint64_t(1) << 40);
      }
      // mma.sync m16n8 (version 2); wgmma (3): warpgroups of 4 warps all along M, instr =
      // [16, N] with N a multiple of 8 up to 256 (layout/WgmmaLayout.h); AMD MFMA 32x32 / 16x16
      // (10), WMMA 16x16 (11: gfx11, 12: gfx12; layout/AmdMatrixLayout.h).
      const std::vector<unsigned> &instr = l->instrShape();
      if (l->mmaVersion() == 3) {
        const std::vector<unsigned> &wpc = l->warpsPerCTA();
        if (wpc.size() != 2 || wpc[0] % 4 || wpc[1] != 1 || instr.size() != 2 || instr[0] != 16 ||
            instr[1] % 8 || instr[1] == 0 || instr[1] > 256)
          return std::string("an mma version 3 layout has wpc = [4k, 1] and instr = [16, N] "
                             "with N a multiple of 8 up to 256");
      } else {
        const bool amdMfma = l->mmaVersion() == 10 && (instr == std::vector<unsigned>{32, 32} ||
                                                       instr == std::vector<unsigned>{16, 16});
        const bool amdWmma = (l->mmaVersion() == 11 || l->mmaVersion() == 12) &&
                             instr == std::vector<unsigned>{16, 16};
        if (!(l->mmaVersion() == 2 && instr == std::vector<unsigned>{16, 8}) && !amdMfma &&
            !amdWmma)
          return std::string("only mma version 2 with instr = [16, 8], 3 (wgmma), 10 with "
                             "[32, 32] or [16, 16] and 11 or 12 with [16, 16] are supported");
      }
      if (warps != fn_.numWarps)
        return "wpc multiplies to " + std::to_string(warps) +
               ", but the kernel has num_warps = " + std::to_string(fn_.numWarps);
      goodLayouts_.insert(l);
      return std::nullopt;
    }
    if (l->isShared()) {
      std::vector<bool> seen(l->order().size(), false);
      for (unsigned d : l->order()) {
        if (d >= seen.size() || seen[d])
          return std::string("order is not a permutation of the dimensions");
        seen[d] = true;
      }
      goodLayouts_.insert(l);
      return std::nullopt;
    }
    if (l->isDotOperand()) {
      if (!l->parent() || !l->parent()->isMma())
        return std::string("the parent of a dot operand layout must be an mma layout");
      if (std::optional<std::string> why = layoutProblem(l->parent()))
        return why;
      const unsigned w = l->kWidth();
      if (l->parent()->mmaVersion() >= 10) { // AMD: operand elements per lane
        if (l->opIdx() > 1 || (w != 4 && w != 8 && w != 16))
          return std::string("an AMD dot operand has index 0 or 1 and k_width 4, 8 or 16");
      } else if (l->opIdx() > 1 || (w != 1 && w != 2 && w != 4)) {
        return std::string("dot operand index must be 0 or 1 and k_width 1, 2 or 4");
      }
      goodLayouts_.insert(l);
      return std::nullopt;
    }
    size_t rank = l->sizePerThread().size();
    if (l->threadsPerWarp().size() != rank || l->warpsPerCTA().size() != rank ||
        l->order().size() != rank)
      return "its fields have different lengths";
    uint64_t threads = 1, warps = 1;
    for (size_t i = 0; i < rank; ++i) {
      if (!isPowerOf2(l->sizePerThread()[i]) || !isPowerOf2(l->threadsPerWarp()[i]) ||
          !isPowerOf2(l->warpsPerCTA()[i]))
        return std::string("spt, tpw and wpc entries must be powers of two");
      threads = std::min<uint64_t>(threads * l->threadsPerWarp()[i], uint64_t(1) << 40);
      warps = std::min<uint64_t>(warps * l->warpsPerCTA()[i], uint64_t(1) << 40);
    }
    std::vector<bool> seen(rank, false);
    for (unsigned d : l->order()) {
      if (d >= rank || seen[d])
        return std::string("order is not a permutation of the dimensions");
      seen[d] = true;
    }
    if (threads != 32 && threads != 64)
      return "tpw multiplies to " + std::to_string(threads) + ", not a warp size (32 or 64)";
    if (warps != fn_.numWarps)
      return "wpc multiplies to " + std::to_string(warps) +
             ", but the kernel has num_warps = " + std::to_string(fn_.numWarps);
    goodLayouts_.insert(l);
    return std::nullopt;
  }

  // ---- kernel header

  void checkKernel() {
    const std::string where = "kernel @" + fn_.name() + ": ";
    if (std::string why = checkLaunchConfig(fn_.launch()); !why.empty())
      report(fn_.loc(), where + why);
    const Block &body = *fn_.body();
    if (fn_.params().size() != body.numArguments())
      report(fn_.loc(), where + std::to_string(fn_.params().size()) + " parameter records for " +
                            plural(body.numArguments(), "parameter"));
    for (unsigned i = 0; i < body.numArguments(); ++i) {
      const Value *arg = body.argument(i);
      SourceLoc loc = i < fn_.params().size() ? fn_.params()[i].loc : fn_.loc();
      if (!loc.isValid())
        loc = fn_.loc();
      if (const std::optional<std::string> &why = typeProblem(arg->type()))
        report(loc, where + "parameter " + valueName(arg) + ": " + *why);
      if (i < fn_.params().size() && fn_.params()[i].divisibility < 1)
        report(loc, where + "parameter " + valueName(arg) + ": divisibility must be positive");
    }
  }

  // ---- blocks: dominance and terminators

  void verifyBlock(const Block &b, const Operation *owner, unsigned regionIndex) {
    std::optional<OpCode> expected;
    if (!owner)
      expected = OpCode::Return;
    else if (owner->code() == OpCode::While && regionIndex == 0)
      expected = OpCode::Condition;
    else if (owner->code() == OpCode::For || owner->code() == OpCode::If ||
             owner->code() == OpCode::While || owner->code() == OpCode::Reduce ||
             owner->code() == OpCode::Scan)
      expected = OpCode::Yield;
    const std::string where = owner ? regionName(owner->code(), regionIndex) : "a kernel body";

    for (unsigned i = 0; i < b.numArguments(); ++i)
      visible_.insert(b.argument(i));
    for (const auto &opPtr : b.ops()) {
      const Operation &op = *opPtr;
      if (op.isTerminator()) {
        bool last = &op == b.back();
        if (op.code() == OpCode::Return && owner)
          opError(op, "is only allowed at the end of a kernel body");
        else if (!last)
          opError(op, "must be the last op of its block");
        else if (expected && op.code() != *expected)
          opError(op, "cannot end " + where + " (expected '" +
                          std::string(opInfo(*expected).mnemonic) + "')");
      }
      verifyOp(op);
    }
    if (expected && (b.empty() || !b.back()->isTerminator())) {
      std::string msg = where + " must end with '" + std::string(opInfo(*expected).mnemonic) + "'";
      if (owner)
        report(owner->loc(), msg, owner);
      else
        report(fn_.loc(), "kernel @" + fn_.name() + ": " + msg);
    }
    for (unsigned i = 0; i < b.numArguments(); ++i)
      visible_.erase(b.argument(i));
    for (const auto &op : b.ops())
      for (unsigned i = 0; i < op->numResults(); ++i)
        visible_.erase(op->result(i));
  }

  // ---- ops

  void verifyOp(const Operation &op) {
    // The op's rule runs only if every operand is present and every type involved is
    // well-formed, so the rules may index shapes and dereference types freely. Bad operand
    // types were reported where they are defined.
    bool complete = true;
    for (unsigned i = 0; i < op.numOperands(); ++i) {
      const Value *v = op.operand(i);
      if (!v) {
        opError(op, "operand #" + std::to_string(i) + " is null");
        complete = false;
        continue;
      }
      if (!visible_.count(v))
        opError(op, "operand #" + std::to_string(i) + " (" + valueName(v) +
                        ") is not defined before its use in this block or an enclosing one");
      complete &= goodType(v->type());
    }
    for (unsigned i = 0; i < op.numResults(); ++i)
      if (const std::optional<std::string> &why = typeProblem(op.result(i)->type())) {
        opError(op, "result #" + std::to_string(i) + ": " + *why);
        complete = false;
      }
    for (unsigned r = 0; r < op.numRegions(); ++r)
      for (unsigned i = 0; i < op.region(r)->numArguments(); ++i)
        if (const std::optional<std::string> &why =
                typeProblem(op.region(r)->argument(i)->type())) {
          opError(op,
                  "region #" + std::to_string(r) + " argument #" + std::to_string(i) + ": " + *why);
          complete = false;
        }
    if (checkArity(op) && complete)
      checkRules(op);
    for (unsigned r = 0; r < op.numRegions(); ++r)
      verifyBlock(*op.region(r), &op, r);
    for (unsigned i = 0; i < op.numResults(); ++i)
      visible_.insert(op.result(i));
  }

  bool checkArity(const Operation &op) {
    const OpInfo &info = op.info();
    bool ok = true;
    auto check = [&](int expected, unsigned got, const char *what) {
      if (expected != kVariadic && got != unsigned(expected)) {
        opError(op, "expects " + plural(expected, what) + ", got " + std::to_string(got));
        ok = false;
      }
    };
    check(info.numOperands, op.numOperands(), "operand");
    check(info.numResults, op.numResults(), "result");
    check(info.numRegions, op.numRegions(), "region");
    return ok;
  }

  // Attribute helpers: each reports and returns nullopt / false when the attribute is wrong.
  std::optional<int64_t> intAttr(const Operation &op, std::string_view name, bool required) {
    const AttrValue *v = op.attrs().find(name);
    if (!v) {
      if (required)
        opError(op, "needs an integer '" + std::string(name) + "' attribute");
      return std::nullopt;
    }
    if (!std::holds_alternative<int64_t>(*v)) {
      opError(op, "attribute '" + std::string(name) + "' must be an integer");
      return std::nullopt;
    }
    return std::get<int64_t>(*v);
  }
  void boolAttr(const Operation &op, std::string_view name) {
    const AttrValue *v = op.attrs().find(name);
    if (v && !std::holds_alternative<bool>(*v))
      opError(op, "attribute '" + std::string(name) + "' must be a bool");
  }
  /// A string attribute, optionally restricted to `allowed` (empty: any string).
  void stringAttr(const Operation &op, std::string_view name, bool required,
                  std::initializer_list<std::string_view> allowed = {}) {
    const AttrValue *v = op.attrs().find(name);
    std::string choices;
    for (std::string_view a : allowed)
      choices += (choices.empty() ? "" : ", ") + ("\"" + std::string(a) + "\"");
    if (!v) {
      if (required)
        opError(op, "needs a string attribute '" + std::string(name) + "'" +
                        (choices.empty() ? "" : " (one of " + choices + ")"));
      return;
    }
    const std::string *s = std::get_if<std::string>(v);
    bool good = s != nullptr;
    if (s && allowed.size()) {
      good = false;
      for (std::string_view a : allowed)
        good |= *s == a;
    }
    if (!good)
      opError(op, "attribute '" + std::string(name) + "' must be " +
                      (choices.empty() ? "a string" : "one of " + choices));
  }

  /// Rule for ops whose operands and result all have one type of a given class.
  void sameTypeRule(const Operation &op, bool (*cls)(const Type *), const char *clsName) {
    const Type *r = op.result(0)->type();
    for (const Type *t : operandTypes(&op))
      if (t != r) {
        opError(op, "requires operands and result of one type, got " + sig(op));
        return;
      }
    if (!cls(r))
      opError(op, std::string("requires ") + clsName + " types, got " + sig(op));
  }

  /// The arithmetic category of Ops.def: operands and result of one type, integer or
  /// floating point as the op's IntOnly / FloatOnly bits say.
  void arithmeticRule(const Operation &op) {
    if (isIntOnly(op.code()))
      sameTypeRule(op, isIntT, "integer");
    else if (isFloatOnly(op.code()))
      sameTypeRule(op, isFloatT, "floating-point");
    else
      sameTypeRule(op, isNumericT, "integer or floating-point");
  }

  void checkRules(const Operation &op) {
    const std::vector<const Type *> in = operandTypes(&op);
    const std::vector<const Type *> out = resultTypes(op);
    const Type *r = out.empty() ? nullptr : out[0];
    switch (op.code()) {
    // ---- constants, program ids, block creation
    case OpCode::Constant: {
      const AttrValue *v = op.attrs().find("value");
      if (!v)
        opError(op, "needs a 'value' attribute");
      else if (isFloatT(r) && !std::holds_alternative<double>(*v))
        opError(op, "value must be a float for type " + typeStr(r));
      else if (isIntT(r) && !std::holds_alternative<int64_t>(*v) &&
               !std::holds_alternative<bool>(*v))
        opError(op, "value must be an integer for type " + typeStr(r));
      else if (isPtrT(r))
        opError(op, "cannot produce pointers, got type " + typeStr(r));
      return;
    }
    case OpCode::ProgramId:
    case OpCode::NumPrograms: {
      if (r != ctx_.i32())
        opError(op, "result must be i32, got " + typeStr(r));
      std::optional<int64_t> axis = intAttr(op, "axis", true);
      if (axis && (*axis < 0 || *axis > 2))
        opError(op, "axis must be 0, 1 or 2, got " + std::to_string(*axis));
      return;
    }
    case OpCode::MakeRange: {
      std::optional<int64_t> start = intAttr(op, "start", true);
      std::optional<int64_t> end = intAttr(op, "end", true);
      if (!start || !end)
        return;
      int64_t n = 0;
      if (__builtin_sub_overflow(*end, *start, &n) || !isPowerOf2(n)) {
        opError(op, "end - start must be a positive power of two, got start = " +
                        std::to_string(*start) + ", end = " + std::to_string(*end));
        return;
      }
      if (!hasShape(r, ctx_.i32(), {n}))
        opError(op, "result must be " + shapeStr(ctx_.i32(), {n}) + ", got " + typeStr(r));
      return;
    }
    case OpCode::Splat:
      if (isBlockT(in[0]) || !isBlockT(r) || r->element() != in[0])
        opError(op, "requires a scalar operand and a block of that type, got " + sig(op));
      return;
    case OpCode::Broadcast: {
      if (!isBlockT(in[0]) || !isBlockT(r) || in[0]->element() != r->element() ||
          in[0]->rank() != r->rank()) {
        opError(op, "requires blocks of one element type and rank, got " + sig(op));
        return;
      }
      for (unsigned i = 0; i < r->rank(); ++i)
        if (in[0]->shape()[i] != r->shape()[i] && in[0]->shape()[i] != 1) {
          opError(op, "cannot stretch dimension " + std::to_string(i) + " (size " +
                          std::to_string(in[0]->shape()[i]) + " is not 1), got " + sig(op));
          return;
        }
      if (in[0]->layout() != r->layout())
        opError(op, "must keep the layout, got " + sig(op));
      return;
    }
    case OpCode::ExpandDims: {
      std::optional<int64_t> axis = intAttr(op, "axis", true);
      if (!axis)
        return;
      if (!isBlockT(in[0]) || *axis < 0 || *axis > int64_t(in[0]->rank())) {
        opError(op, "axis " + std::to_string(*axis) + " out of range, got " + sig(op));
        return;
      }
      std::vector<int64_t> shape = in[0]->shape();
      shape.insert(shape.begin() + *axis, 1);
      if (!hasShape(r, in[0]->element(), shape)) {
        opError(op, "result must be " + shapeStr(in[0]->element(), shape) + ", got " + sig(op));
        return;
      }
      const Layout *l = in[0]->layout();
      if (l && (!l->isSlice() || l->sliceDim() != *axis || l->parent() != r->layout()))
        opError(op, "operand layout must be #slice<dim = " + std::to_string(*axis) +
                        ", parent = (result layout)>, got " + sig(op));
      return;
    }
    case OpCode::Reshape:
      boolAttr(op, "can_reorder");
      if (!isBlockT(in[0]) || !isBlockT(r) || in[0]->element() != r->element() ||
          in[0]->numElements() != r->numElements())
        opError(op, "requires blocks of one element type and element count, got " + sig(op));
      return;
    case OpCode::Trans: {
      if (!op.attrs().has("order") ||
          !std::holds_alternative<std::vector<int64_t>>(*op.attrs().find("order"))) {
        opError(op, "needs an integer list attribute 'order'");
        return;
      }
      std::vector<int64_t> order = op.attrs().getInts("order");
      if (!isBlockT(in[0])) {
        opError(op, "requires a block operand, got " + sig(op));
        return;
      }
      std::vector<bool> seen(in[0]->rank(), false);
      std::vector<int64_t> shape;
      for (int64_t d : order) {
        if (d < 0 || d >= int64_t(seen.size()) || seen[d])
          break;
        seen[d] = true;
        shape.push_back(in[0]->shape()[d]);
      }
      if (shape.size() != order.size() || order.size() != in[0]->rank()) {
        opError(op, "order must be a permutation of the operand's " +
                        plural(in[0]->rank(), "dimension") + ", got " + sig(op));
        return;
      }
      if (!hasShape(r, in[0]->element(), shape))
        opError(op, "result must be " + shapeStr(in[0]->element(), shape) + ", got " + sig(op));
      return;
    }
    case OpCode::Cat: {
      if (in[0] != in[1] || !isBlockT(in[0])) {
        opError(op, "requires two blocks of one type, got " + sig(op));
        return;
      }
      std::vector<int64_t> shape = in[0]->shape();
      shape[0] *= 2;
      if (!hasShape(r, in[0]->element(), shape))
        opError(op, "result must be " + shapeStr(in[0]->element(), shape) + ", got " + sig(op));
      return;
    }
    case OpCode::Join: {
      if (in[0] != in[1]) {
        opError(op, "requires two operands of one type, got " + sig(op));
        return;
      }
      std::vector<int64_t> shape = isBlockT(in[0]) ? in[0]->shape() : std::vector<int64_t>{};
      shape.push_back(2);
      if (!hasShape(r, in[0]->scalarType(), shape))
        opError(op, "result must be " + shapeStr(in[0]->scalarType(), shape) + ", got " + sig(op));
      return;
    }
    case OpCode::Split: {
      if (!isBlockT(in[0]) || in[0]->shape().back() != 2) {
        opError(op, "requires a block whose last dimension is 2, got " + sig(op));
        return;
      }
      std::vector<int64_t> shape = in[0]->shape();
      shape.pop_back();
      if (out[0] != out[1] || !hasShape(out[0], in[0]->element(), shape))
        opError(op,
                "results must both be " + shapeStr(in[0]->element(), shape) + ", got " + sig(op));
      return;
    }

    // ---- elementwise arithmetic and math: the category's rule (see default), plus attributes
    case OpCode::Max:
    case OpCode::Min:
      boolAttr(op, "propagate_nan");
      arithmeticRule(op);
      return;
    case OpCode::Cmp:
      stringAttr(op, "pred", true, {"eq", "ne", "lt", "le", "gt", "ge"});
      if (in[0] != in[1])
        opError(op, "requires operands of one type, got " + sig(op));
      else if (!isBoolT(r) || !sameShape(in[0], r))
        opError(op, "result must be i1 of the operands' shape, got " + sig(op));
      return;
    case OpCode::Select:
      if (in[1] != in[2] || in[1] != r)
        opError(op, "requires true/false values and result of one type, got " + sig(op));
      else if (!isBoolT(in[0]) || !sameShape(in[0], r))
        opError(op, "condition must be i1 of the result's shape, got " + sig(op));
      return;
    case OpCode::Cast:
      stringAttr(op, "rounding", false, {"rtne", "rtz"});
      if (!sameShape(in[0], r))
        opError(op, "requires operand and result of one shape, got " + sig(op));
      else if (!(isNumericT(in[0]) && isNumericT(r)) && !(isPtrT(in[0]) && isPtrT(r)))
        opError(op, "converts numbers to numbers or pointers to pointers, got " + sig(op) +
                        " (use ptrtoint / inttoptr)");
      return;
    case OpCode::Bitcast:
      if (!sameShape(in[0], r))
        opError(op, "requires operand and result of one shape, got " + sig(op));
      else if (in[0]->bitWidth() != r->bitWidth())
        opError(op, "requires element types of one bit width, got " + sig(op));
      return;
    case OpCode::AddPtr:
      if (!isPtrT(in[0]) || !isIntT(in[1]) || !sameShape(in[0], in[1]) || r != in[0])
        opError(op, "requires pointers and integer offsets of one shape, returning the pointer "
                    "type, got " +
                        sig(op));
      return;
    case OpCode::PtrToInt:
      if (!isPtrT(in[0]) || !sameShape(in[0], r) || r->scalarType() != ctx_.i64())
        opError(op, "requires pointers and an i64 result of their shape, got " + sig(op));
      return;
    case OpCode::IntToPtr:
      if (in[0]->scalarType() != ctx_.i64() || !isPtrT(r) || !sameShape(in[0], r))
        opError(op, "requires i64 operands and a pointer result of their shape, got " + sig(op));
      return;
    case OpCode::ExternCall:
      stringAttr(op, "name", true);
      for (const Type *t : in)
        if (!sameShape(t, r)) {
          opError(op, "operands must have the result's shape, got " + sig(op));
          return;
        }
      return;

    // ---- memory
    case OpCode::Load:
      stringAttr(op, "cache", false, {"", ".ca", ".cg", ".cv"});
      stringAttr(op, "evict", false, {"", "evict_first", "evict_last", "evict_normal"});
      boolAttr(op, "volatile");
      if (in.empty() || in.size() > 3) {
        opError(op, "expects 1 to 3 operands (ptr, mask, other), got " + std::to_string(in.size()));
        return;
      }
      if (!isPointeeOf(r, in[0]))
        opError(op, "result must be the pointee type in the pointer's shape, got " + sig(op));
      else if (in.size() > 1 && (!isBoolT(in[1]) || !sameShape(in[1], in[0])))
        opError(op, "mask must be i1 of the pointer's shape, got " + sig(op));
      else if (in.size() > 2 && in[2] != r)
        opError(op, "'other' must have the result type, got " + sig(op));
      return;
    case OpCode::Store:
      stringAttr(op, "cache", false, {"", ".wb", ".cg", ".cs", ".wt"});
      stringAttr(op, "evict", false, {"", "evict_first", "evict_last", "evict_normal"});
      if (in.size() < 2 || in.size() > 3) {
        opError(op, "expects 2 or 3 operands (ptr, value, mask), got " + std::to_string(in.size()));
        return;
      }
      if (!isPointeeOf(in[1], in[0]))
        opError(op, "value must be the pointee type in the pointer's shape, got " + sig(op));
      else if (in.size() > 2 && (!isBoolT(in[2]) || !sameShape(in[2], in[0])))
        opError(op, "mask must be i1 of the pointer's shape, got " + sig(op));
      return;
    case OpCode::AtomicRMW:
      stringAttr(op, "kind", true, {"add", "max", "min", "and", "or", "xor", "xchg"});
      stringAttr(op, "sem", false, {"relaxed", "acquire", "release", "acq_rel"});
      stringAttr(op, "scope", false, {"gpu", "cta", "sys"});
      if (in.size() < 2 || in.size() > 3) {
        opError(op, "expects 2 or 3 operands (ptr, value, mask), got " + std::to_string(in.size()));
        return;
      }
      if (!isPointeeOf(in[1], in[0]) || r != in[1])
        opError(op,
                "value and result must be the pointee type in the pointer's shape, got " + sig(op));
      else if (in.size() > 2 && (!isBoolT(in[2]) || !sameShape(in[2], in[0])))
        opError(op, "mask must be i1 of the pointer's shape, got " + sig(op));
      return;
    case OpCode::AtomicCas:
      stringAttr(op, "sem", false, {"relaxed", "acquire", "release", "acq_rel"});
      stringAttr(op, "scope", false, {"gpu", "cta", "sys"});
      if (!isPointeeOf(in[1], in[0]) || in[2] != in[1] || r != in[1])
        opError(op, "cmp, value and result must be the pointee type in the pointer's shape, got " +
                        sig(op));
      return;

    // ---- block-level computation
    case OpCode::Reduce:
    case OpCode::Scan:
      checkReduceOrScan(op, in, out);
      return;
    case OpCode::Dot: {
      stringAttr(op, "input_precision", false, {"tf32", "tf32x3", "ieee"});
      const Type *a = in[0], *b = in[1], *c = in[2];
      bool shapes = isBlockT(a) && isBlockT(b) && isBlockT(c) && a->rank() == b->rank() &&
                    a->rank() == c->rank() && (a->rank() == 2 || a->rank() == 3);
      if (shapes) {
        unsigned k = a->rank() - 2; // first matrix dim; dim 0 is the batch when rank is 3
        auto &as = a->shape(), &bs = b->shape(), &cs = c->shape();
        shapes = as[k + 1] == bs[k] && as[k] == cs[k] && bs[k + 1] == cs[k + 1] &&
                 (k == 0 || (as[0] == bs[0] && as[0] == cs[0]));
      }
      if (!shapes)
        opError(op, "requires a [M, K], b [K, N] and acc [M, N] (optionally with a leading batch "
                    "dimension), got " +
                        sig(op));
      else if (!isNumericT(a) || !isNumericT(b) || !isNumericT(c))
        opError(op, "requires numeric operands, got " + sig(op));
      else if (r != c)
        opError(op, "result must have the accumulator's type, got " + sig(op));
      return;
    }
    case OpCode::Histogram: {
      std::optional<int64_t> bins = intAttr(op, "num_bins", true);
      if (!isBlockT(in[0]) || in[0]->rank() != 1 || !isIntT(in[0]))
        opError(op, "requires a 1-D integer block, got " + sig(op));
      else if (bins && (!isBlockT(r) || !hasShape(r, ctx_.i32(), {*bins})))
        opError(op,
                "result must be " + shapeStr(ctx_.i32(), {*bins}) + " (num_bins), got " + sig(op));
      return;
    }
    case OpCode::Gather: {
      std::optional<int64_t> axis = intAttr(op, "axis", true);
      if (!isBlockT(in[0]) || !isBlockT(in[1]) || !isIntT(in[1]) || in[0]->rank() != in[1]->rank())
        opError(op,
                "requires a source block and an integer index block of one rank, got " + sig(op));
      else if (axis && (*axis < 0 || *axis >= int64_t(in[0]->rank())))
        opError(op, "axis " + std::to_string(*axis) + " out of range, got " + sig(op));
      else if (!sameShape(in[1], r) || r->scalarType() != in[0]->element())
        opError(op, "result must have the index's shape and the source's element, got " + sig(op));
      return;
    }

    // ---- debugging
    case OpCode::Print:
      stringAttr(op, "prefix", false);
      boolAttr(op, "hex");
      return;
    case OpCode::Assert:
      stringAttr(op, "message", false);
      stringAttr(op, "file", false);
      if (!isBoolT(in[0]))
        opError(op, "condition must be i1, got " + typeStr(in[0]));
      return;
    case OpCode::Barrier:
      return;

    // ---- structured control flow
    case OpCode::For:
      checkFor(op, in, out);
      return;
    case OpCode::If: {
      if (in[0] != ctx_.i1())
        opError(op, "condition must be an i1 scalar, got " + typeStr(in[0]));
      for (unsigned i = 0; i < 2; ++i) {
        const Block &b = *op.region(i);
        if (b.numArguments())
          opError(op, std::string(i ? "else" : "then") + "-region must not take arguments");
        checkYield(op, i, out, "'if' returns");
      }
      return;
    }
    case OpCode::While:
      checkWhile(op, in, out);
      return;
    case OpCode::Yield:
    case OpCode::Condition:
    case OpCode::Return:
      return; // checked by the op that owns the region (terminator placement in verifyBlock)

    // ---- GPU IR
    case OpCode::ConvertLayout:
      if (!isBlockT(in[0]) || !isBlockT(r) || !in[0]->layout() || !r->layout())
        opError(op, "converts between blocks with layouts (GPU IR only), got " + sig(op));
      else if (in[0]->shape() != r->shape() || in[0]->element() != r->element())
        opError(op, "requires operand and result of one shape and element type, got " + sig(op));
      else if (in[0]->layout()->isShared() || r->layout()->isShared())
        opError(op, "does not take or make shared tiles (local_load reads one), got " + sig(op));
      return;

    // ---- GPU IR: shared-memory tiles
    case OpCode::LocalAlloc:
      if (!isSharedT(r))
        opError(op, "result must be a block in a #shared layout, got " + sig(op));
      return;
    case OpCode::AsyncCopy:
      intAttr(op, "vec", false);
      if (in.size() < 2 || in.size() > 3) {
        opError(op, "expects 2 or 3 operands (dst, ptr, mask), got " + std::to_string(in.size()));
        return;
      }
      if (!isSharedT(in[0]) || r != in[0])
        opError(op, "dst and result must be one block type in a #shared layout, got " + sig(op));
      else if (!isBlockT(in[1]) || !isPointeeOf(r->withLayout(in[1]->layout()), in[1]))
        opError(op, "ptr must point to dst's element in dst's shape, got " + sig(op));
      else if (in.size() > 2 && (!isBoolT(in[2]) || !sameShape(in[2], in[1])))
        opError(op, "mask must be i1 of the pointer's shape, got " + sig(op));
      return;
    case OpCode::AsyncWait:
      if (std::optional<int64_t> n = intAttr(op, "pending", true); n && *n < 0)
        opError(op, "attribute 'pending' must not be negative");
      return;
    case OpCode::LocalLoad:
      if (!isSharedT(in[0]) || !isBlockT(r) || !r->layout() || r->layout()->isShared())
        opError(op, "reads a #shared tile into a register layout, got " + sig(op));
      else if (in[0]->shape() != r->shape() || in[0]->element() != r->element())
        opError(op, "requires operand and result of one shape and element type, got " + sig(op));
      return;

    default:
      // The arithmetic category shares one rule; every other op has its own case above.
      if (isArithmetic(op.code()))
        arithmeticRule(op);
      else
        opError(op, "has no verifier rule (an internal error: add one to checkRules)");
      return;
    }
  }

  static bool isSharedT(const Type *t) {
    return t && t->isBlock() && t->layout() && t->layout()->isShared();
  }

  /// The region's terminator if it is a `code` op (the block checks report the others).
  static const Operation *terminatorOf(const Block &b, OpCode code) {
    const Operation *t = b.terminator();
    return t && t->code() == code ? t : nullptr;
  }

  /// Region `index` of `op` must end with a yield of `types`.
  void checkYield(const Operation &op, unsigned index, const std::vector<const Type *> &types,
                  const std::string &what) {
    const Operation *y = terminatorOf(*op.region(index), OpCode::Yield);
    if (y && operandTypes(y) != types)
      opError(*y, "in " + std::string(regionName(op.code(), index)) + " yields " +
                      typeList(operandTypes(y)) + ", but " + what + " " + typeList(types));
  }

  void checkFor(const Operation &op, const std::vector<const Type *> &in,
                const std::vector<const Type *> &out) {
    intAttr(op, "num_stages", false);
    intAttr(op, "loop_unroll_factor", false);
    if (in.size() < 3) {
      opError(op,
              "needs lower bound, upper bound and step operands, got " + std::to_string(in.size()));
      return;
    }
    if (isBlockT(in[0]) || !isIntT(in[0]) || in[1] != in[0] || in[2] != in[0])
      opError(op, "lower bound, upper bound and step must be integer scalars of one type, got " +
                      sig(op));
    std::vector<const Type *> inits(in.begin() + 3, in.end());
    if (out != inits)
      opError(op, "results must have the types of the loop-carried values " + typeList(inits) +
                      ", got " + typeList(out));
    std::vector<const Type *> expected{in[0]};
    expected.insert(expected.end(), inits.begin(), inits.end());
    if (argTypes(*op.region(0)) != expected)
      opError(op, "body must take " + typeList(expected) +
                      " (induction variable, then the loop-carried values), got " +
                      typeList(argTypes(*op.region(0))));
    checkYield(op, 0, inits, "the loop carries");
  }

  void checkWhile(const Operation &op, const std::vector<const Type *> &inits,
                  const std::vector<const Type *> &out) {
    if (argTypes(*op.region(0)) != inits)
      opError(op, "before-region must take the types of the inits " + typeList(inits) + ", got " +
                      typeList(argTypes(*op.region(0))));
    if (const Operation *c = terminatorOf(*op.region(0), OpCode::Condition)) {
      std::vector<const Type *> fwd = operandTypes(c);
      if (fwd.empty() || fwd[0] != ctx_.i1())
        opError(*c, "needs an i1 scalar first operand, got " + typeList(fwd));
      else if (std::vector<const Type *> forwarded(fwd.begin() + 1, fwd.end()); forwarded != out)
        opError(*c, "forwards " + typeList(forwarded) + ", but 'while' returns " + typeList(out));
    }
    if (argTypes(*op.region(1)) != out)
      opError(op, "after-region must take the result types " + typeList(out) + ", got " +
                      typeList(argTypes(*op.region(1))));
    checkYield(op, 1, inits, "the loop carries");
  }

  void checkReduceOrScan(const Operation &op, const std::vector<const Type *> &in,
                         const std::vector<const Type *> &out) {
    bool scan = op.code() == OpCode::Scan;
    std::optional<int64_t> axis = intAttr(op, "axis", true);
    if (scan)
      boolAttr(op, "reverse");
    if (in.empty()) {
      opError(op, "needs at least one operand");
      return;
    }
    for (const Type *t : in)
      if (!isBlockT(t) || !sameShape(t, in[0])) {
        opError(op, "operands must be blocks of one shape, got " + sig(op));
        return;
      }
    if (out.size() != in.size()) {
      opError(op, "expects one result per operand (" + std::to_string(in.size()) + "), got " +
                      std::to_string(out.size()));
      return;
    }
    if (!axis)
      return;
    if (*axis < 0 || *axis >= int64_t(in[0]->rank())) {
      opError(op, "axis " + std::to_string(*axis) + " out of range, got " + sig(op));
      return;
    }
    std::vector<const Type *> elems;
    for (const Type *t : in)
      elems.push_back(t->element());
    for (size_t i = 0; i < in.size(); ++i) {
      const Type *expected = in[i];
      if (!scan) {
        std::vector<int64_t> shape = in[i]->shape();
        shape.erase(shape.begin() + *axis);
        const Layout *l = in[i]->layout();
        expected = shape.empty()
                       ? elems[i]
                       : ctx_.block(elems[i], shape, l ? ctx_.slice(unsigned(*axis), l) : nullptr);
      }
      if (out[i] != expected) {
        opError(op, "result #" + std::to_string(i) + " must be " + typeStr(expected) + ", got " +
                        typeStr(out[i]));
        return;
      }
    }
    std::vector<const Type *> args = elems;
    args.insert(args.end(), elems.begin(), elems.end());
    if (argTypes(*op.region(0)) != args)
      opError(op, "combine region must take " + typeList(args) +
                      " (accumulators, then new elements), got " +
                      typeList(argTypes(*op.region(0))));
    checkYield(op, 0, elems, "the combine function returns");
  }

  const Function &fn_;
  Context &ctx_;
  DiagnosticEngine &diags_;
  bool ok_ = true;
  bool gpu_ = false;
  std::unordered_set<const Value *> visible_;
  std::unordered_set<const Layout *> goodLayouts_;
  std::unordered_map<const Type *, std::optional<std::string>> typeProblems_;
  std::optional<std::unordered_map<const Value *, std::string>> names_;
};

} // namespace

bool verifyFunction(const Function &function, DiagnosticEngine &diags) {
  return FunctionVerifier(function, diags).run();
}

bool verifyModule(const Module &module, DiagnosticEngine &diags) {
  bool ok = true;
  for (const auto &fn : module.functions())
    ok &= verifyFunction(*fn, diags);
  return ok;
}

} // namespace tritonc
