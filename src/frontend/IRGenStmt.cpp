// IR generation for statements: kernels, inlined helpers, assignments, structured control flow
// (the AST -> Tile IR half that IRGenExpr.cpp does not do).
//
// Control flow follows Triton's code generator:
//  - `if` on a compile-time condition lowers only the taken branch; on a runtime scalar it
//    becomes an `if` op whose results are the names the branches changed (a live name changed in
//    either branch, or a new name defined in both); names defined in one branch only die there.
//  - `for`/`while` lower their body twice: a dry run into a scratch block tells which live names
//    the body changes (they become loop-carried values, which must keep their type), then the
//    real body is built inside the loop op. Names first defined in a loop body die with it.
//  - `return` may appear anywhere outside loops. A runtime `if` containing a return takes the
//    statements that follow it (up to the end of the function) into each of its branches, so
//    every path ends in a return and the returned values become the `if` op's results.
#include "frontend/Parser.h"
#include "frontend/Promotion.h"
#include "frontend/Sema.h"
#include "frontend/builtins/Builtins.h"
#include "support/Bits.h"

#include <functional>

namespace tritonc::sema {

using namespace ast;

static bool containsReturn(const ast::Block &b);

static bool containsReturn(const Stmt *s) {
  switch (s->kind()) {
  case NodeKind::Return:
    return true;
  case NodeKind::If: {
    const auto *i = ast::cast<If>(s);
    return containsReturn(i->body) || containsReturn(i->orelse);
  }
  case NodeKind::For:
    return containsReturn(ast::cast<For>(s)->body);
  case NodeKind::While:
    return containsReturn(ast::cast<While>(s)->body);
  default:
    return false;
  }
}

static bool containsReturn(const ast::Block &b) {
  for (const StmtPtr &s : b)
    if (containsReturn(s.get()))
      return true;
  return false;
}

/// The first `return` in a block (for locating loop errors).
static const Stmt *findReturn(const ast::Block &b) {
  for (const StmtPtr &s : b) {
    if (isa<Return>(s.get()))
      return s.get();
    const ast::Block *subs[2] = {nullptr, nullptr};
    if (const auto *i = dyn_cast<If>(s.get())) {
      subs[0] = &i->body;
      subs[1] = &i->orelse;
    } else if (const auto *f = dyn_cast<For>(s.get())) {
      subs[0] = &f->body;
    } else if (const auto *w = dyn_cast<While>(s.get())) {
      subs[0] = &w->body;
    }
    for (const ast::Block *sub : subs)
      if (sub)
        if (const Stmt *r = findReturn(*sub))
          return r;
  }
  return nullptr;
}

// ------------------------------------------------------------------------------------------------
// Statement sequences
// ------------------------------------------------------------------------------------------------

void Lowerer::lowerSeq(std::vector<Span> seq) {
  for (size_t k = 0; k < seq.size(); ++k) {
    const Span &sp = seq[k];
    for (size_t i = sp.from; i < sp.block->size(); ++i) {
      if (frame().returned)
        return; // dead code after a return
      const Stmt *s = (*sp.block)[i].get();
      if (const auto *ifs = dyn_cast<If>(s); ifs && containsReturn(s)) {
        std::vector<Span> rest{{sp.block, i + 1}};
        rest.insert(rest.end(), seq.begin() + k + 1, seq.end());
        bool consumed = false;
        LocGuard guard(*this, s->range.begin);
        lowerIf(ifs, std::move(rest), consumed);
        if (consumed)
          return;
        continue;
      }
      if (sp.block == kernelBody_ && frames_.size() == 1 && !dryRun)
        lowerStmtRecovering(s);
      else
        lowerStmt(s);
    }
  }
}

/// The names a statement assigns, nested blocks included.
static void assignedNames(const Stmt *s, std::set<std::string, std::less<>> &out) {
  std::function<void(const Expr *)> target = [&](const Expr *e) {
    if (const auto *n = dyn_cast<Name>(e))
      out.insert(n->id);
    else if (const auto *t = dyn_cast<Tuple>(e))
      for (const ExprPtr &x : t->elts)
        target(x.get());
    else if (const auto *l = dyn_cast<List>(e))
      for (const ExprPtr &x : l->elts)
        target(x.get());
  };
  auto block = [&](const ast::Block &b) {
    for (const StmtPtr &x : b)
      assignedNames(x.get(), out);
  };
  if (const auto *a = dyn_cast<Assign>(s))
    for (const ExprPtr &t : a->targets)
      target(t.get());
  else if (const auto *aa = dyn_cast<AnnAssign>(s))
    target(aa->target.get());
  else if (const auto *ag = dyn_cast<AugAssign>(s))
    target(ag->target.get());
  else if (const auto *f = dyn_cast<For>(s)) {
    target(f->target.get());
    block(f->body);
  } else if (const auto *w = dyn_cast<While>(s))
    block(w->body);
  else if (const auto *i = dyn_cast<If>(s)) {
    block(i->body);
    block(i->orelse);
  }
}

void Lowerer::lowerStmtRecovering(const Stmt *s) {
  // Counters that lowering raises and lowers around nested work, restored after an error.
  unsigned savedInline = inlineDepth_, savedDry = dryRun, savedLoop = frame().loopDepth;
  bool savedEmitting = emitting_;
  tritonc::Block *savedBlock =
      builder_.insertionBlock(); // a failed loop's dry run may leave a dead one
  try {
    lowerStmt(s);
  } catch (const CompilationAborted &) {
    if (savedBlock)
      builder_.setInsertionPointToEnd(savedBlock);
    inlineDepth_ = savedInline;
    dryRun = savedDry;
    frame().loopDepth = savedLoop;
    emitting_ = savedEmitting;
    if (diags_->numErrors() >= kErrorLimit) {
      diags_->report(Severity::Note, s->range,
                     "too many errors (" + std::to_string(kErrorLimit) + "); stopping here");
      throw;
    }
    assignedNames(s, frame().poisoned);
  }
}

void Lowerer::lowerStmt(const Stmt *s) {
  LocGuard guard(*this, s->range.begin);
  if (++statementsLowered_ > options_.maxLoweredStatements)
    error(s->range, "kernel too large: lowering it takes more than " +
                        std::to_string(options_.maxLoweredStatements) +
                        " statements once tl.static_range loops are unrolled and helpers inlined "
                        "(limit; raise it with --max-statements N); unroll less, or use a "
                        "runtime loop (range / tl.range)");
  switch (s->kind()) {
  case NodeKind::ExprStmt: {
    const auto *e = ast::cast<ExprStmt>(s);
    if (e->isDocstring())
      return;
    eval(e->expr.get());
    return;
  }
  case NodeKind::Assign:
    return lowerAssign(ast::cast<Assign>(s));
  case NodeKind::AnnAssign:
    return lowerAnnAssign(ast::cast<AnnAssign>(s));
  case NodeKind::AugAssign:
    return lowerAugAssign(ast::cast<AugAssign>(s));
  case NodeKind::If: {
    bool consumed = false;
    lowerIf(ast::cast<If>(s), {}, consumed);
    return;
  }
  case NodeKind::For:
  case NodeKind::While: {
    const ast::Block &body =
        s->kind() == NodeKind::For ? ast::cast<For>(s)->body : ast::cast<While>(s)->body;
    if (const Stmt *r = findReturn(body))
      error(r->range, "'return' inside a loop is not supported");
    if (s->kind() == NodeKind::For)
      return lowerFor(ast::cast<For>(s));
    return lowerWhile(ast::cast<While>(s));
  }
  case NodeKind::Return:
    return lowerReturn(ast::cast<Return>(s));
  case NodeKind::Pass:
    return;
  case NodeKind::Break:
    error(s->range, "'break' is not supported (Triton loops have no break or continue)");
  case NodeKind::Continue:
    error(s->range, "'continue' is not supported (Triton loops have no break or continue)");
  case NodeKind::Assert: {
    // Python's assert is Triton's device_assert.
    const auto *a = ast::cast<Assert>(s);
    SVal test = eval(a->test.get());
    std::string msg =
        a->msg ? requireString(eval(a->msg.get()), a->msg->range, "the assertion message") : "";
    Value *cond = toBool(toTensor(test, a->test->range, "the assertion"), a->test->range);
    AttrList attrs;
    attrs.set("message", msg);
    attrs.set("file", std::string(sources().path(s->range.begin.file)));
    emitOp(OpCode::Assert, {cond}, {}, std::move(attrs));
    return;
  }
  case NodeKind::Raise:
    // Triton rejects a raise it reaches; one in a branch not taken at compile time is harmless.
    error(s->range, "'raise' is reached while lowering '" + frame().fnName +
                        "': kernels cannot raise exceptions (a raise is allowed only in a branch "
                        "not taken at compile time)");
  case NodeKind::FunctionDef:
    error(s->range, "nested function definitions are not supported");
  case NodeKind::ClassDef:
    error(s->range, "classes are not supported inside functions");
  case NodeKind::Import:
  case NodeKind::ImportFrom:
    error(s->range, "imports are only allowed at module level");
  default:
    error(s->range, std::string("unsupported statement (") + kindName(s->kind()) + ")");
  }
}

// ------------------------------------------------------------------------------------------------
// Assignments
// ------------------------------------------------------------------------------------------------

SVal Lowerer::sanitizeForAssign(const SVal &v, SourceRange where) {
  // Triton's _sanitize_value: a plain assignment turns Python numbers into tensors (only an
  // explicit `x: tl.constexpr = ...` keeps a compile-time number).
  if (v.isTuple()) {
    std::vector<SVal> elems;
    for (const SVal &e : v.elems())
      elems.push_back(sanitizeForAssign(e, where));
    return SVal::tuple(std::move(elems));
  }
  if (v.isNumber())
    return SVal::tensor(toTensor(v, where));
  return v;
}

void Lowerer::assign(const std::string &name, SVal value, SourceRange where) {
  if (value.isTensor() && value.value()->name().empty())
    value.value()->setName(name);
  Env &env = frame().env;
  frame().poisoned.erase(name);
  env.vars[name] = std::move(value);
  env.localDefs.insert(name);
  env.assignSites[name] = where;
}

void Lowerer::assignTarget(const Expr *target, const SVal &value) {
  switch (target->kind()) {
  case NodeKind::Name:
    return assign(ast::cast<Name>(target)->id, value, target->range);
  case NodeKind::Tuple:
  case NodeKind::List: {
    const auto &elts = target->kind() == NodeKind::Tuple ? ast::cast<Tuple>(target)->elts
                                                         : ast::cast<List>(target)->elts;
    if (!value.isTuple())
      error(target->range,
            "cannot unpack " + describe(value) + " into " + std::to_string(elts.size()) + " names");
    if (value.elems().size() != elts.size())
      error(target->range, "cannot unpack a tuple of " + std::to_string(value.elems().size()) +
                               " values into " + std::to_string(elts.size()) + " names");
    for (size_t i = 0; i < elts.size(); ++i)
      assignTarget(elts[i].get(), value.elems()[i]);
    return;
  }
  case NodeKind::Subscript:
    error(target->range, "assigning to a subscript is not supported (blocks are immutable)");
  case NodeKind::Attribute:
    error(target->range, "assigning to an attribute is not supported");
  default:
    error(target->range, "cannot assign to this expression");
  }
}

void Lowerer::lowerAssign(const Assign *s) {
  SVal v = sanitizeForAssign(eval(s->value.get()), s->value->range);
  for (const ExprPtr &t : s->targets)
    assignTarget(t.get(), v);
}

void Lowerer::lowerAnnAssign(const AnnAssign *s) {
  const auto *name = dyn_cast<Name>(s->target.get());
  if (!name)
    error(s->target->range, "an annotated assignment needs a plain name as its target");
  if (isa<ConstexprAnnotation>(s->annotation.get())) {
    if (!s->value)
      error(s->range, "constexpr '" + name->id + "' needs a value");
    SVal v = eval(s->value.get());
    if (v.containsRuntime())
      error(s->value->range, "the value of constexpr '" + name->id +
                                 "' must be known at compile time, but it is a " + describe(v));
    // As in Triton, a constexpr binding does not count as a local definition: loops and ifs
    // never carry it.
    frame().env.vars[name->id] = v;
    return;
  }
  if (!s->value)
    return; // `x: T` declares nothing
  SVal v = sanitizeForAssign(eval(s->value.get()), s->value->range);
  assign(name->id, v, s->target->range);
}

void Lowerer::lowerAugAssign(const AugAssign *s) {
  const auto *name = dyn_cast<Name>(s->target.get());
  if (!name)
    error(s->target->range, "augmented assignment needs a plain name as its target");
  SVal cur = lookupName(name->id, s->target->range);
  SVal rhs = eval(s->value.get());
  LocGuard guard(*this, s->opRange.begin);
  SVal res = evalBinary(s->op, cur, rhs, s->opRange);
  assign(name->id, sanitizeForAssign(res, s->range), s->target->range);
}

// ------------------------------------------------------------------------------------------------
// if
// ------------------------------------------------------------------------------------------------

void Lowerer::lowerIf(const If *s, std::vector<Span> rest, bool &consumedRest) {
  SVal c = eval(s->test.get());
  if (!c.isTensor()) {
    bool taken = staticCondition(c, s->test->range);
    const ast::Block &branch = taken ? s->body : s->orelse;
    if (containsReturn(s)) {
      std::vector<Span> seq{{&branch, 0}};
      seq.insert(seq.end(), rest.begin(), rest.end());
      lowerSeq(std::move(seq));
      consumedRest = true;
      return;
    }
    lowerSeq({{&branch, 0}});
    return;
  }
  Value *cond = conditionValue(c, s->test->range);
  if (containsReturn(s)) {
    if (frame().loopDepth > 0)
      error(s->range, "'return' inside a loop is not supported");
    lowerReturningIf(s, cond, std::move(rest));
    consumedRest = true;
    return;
  }
  lowerRuntimeIf(s, cond);
}

/// Ends both branches of a runtime `if` op with their yields, moves back to `outer`, and gives
/// the op one result per yielded value.
std::vector<Value *> Lowerer::finishIf(Operation *ifOp, const std::vector<Value *> &thenYield,
                                       const std::vector<Value *> &elseYield,
                                       tritonc::Block *outer) {
  builder_.setInsertionPointToEnd(ifOp->region(0));
  emitOp(OpCode::Yield, thenYield, {});
  builder_.setInsertionPointToEnd(ifOp->region(1));
  emitOp(OpCode::Yield, elseYield, {});
  builder_.setInsertionPointToEnd(outer);
  std::vector<Value *> results;
  for (Value *v : thenYield)
    results.push_back(ifOp->addResult(v->type()));
  return results;
}

void Lowerer::lowerRuntimeIf(const If *s, Value *cond) {
  Frame &f = frame();
  const auto liveins = f.env.vars;
  const auto prevDefs = f.env.localDefs;
  const auto prevSites = f.env.assignSites;
  Operation *ifOp = emitOp(OpCode::If, {cond}, {}, {}, 2);
  tritonc::Block *outer = builder_.insertionBlock();

  auto lowerBranch = [&](const ast::Block &b, unsigned region) {
    builder_.setInsertionPointToEnd(ifOp->region(region));
    f.env.vars = liveins;
    f.env.localDefs.clear();
    lowerSeq({{&b, 0}});
    return std::make_pair(f.env.vars, f.env.localDefs);
  };
  auto [thenVars, thenDefs] = lowerBranch(s->body, 0);
  auto thenSites = f.env.assignSites;
  auto [elseVars, elseDefs] = lowerBranch(s->orelse, 1);
  auto elseSites = f.env.assignSites;

  std::vector<std::string> names;      // merged through the if op's results
  std::vector<std::string> constNames; // equal compile-time values in both branches
  auto siteOf = [&](const std::string &name, bool inThen) {
    auto &sites = inThen ? thenSites : elseSites;
    auto it = sites.find(name);
    return it != sites.end() ? it->second : s->range;
  };
  for (const auto &[name, live] : liveins) {
    const SVal &tv = thenVars.at(name);
    const SVal &ev = elseVars.at(name);
    if (!live.containsRuntime()) {
      for (int br = 0; br < 2; ++br) {
        const SVal &nv = br == 0 ? tv : ev;
        if (nv.containsRuntime() || !constEquals(nv, live))
          error(siteOf(name, br == 0),
                "'" + name + "' holds a compile-time value (" + describe(live) +
                    ") and cannot be reassigned inside an 'if' with a runtime condition");
      }
      continue;
    }
    std::vector<Value *> a, b;
    flatten(tv, a);
    flatten(ev, b);
    if (a == b && sameShapeAndType(tv, ev))
      continue;
    for (int br = 0; br < 2; ++br) {
      const SVal &nv = br == 0 ? tv : ev;
      if (!sameShapeAndType(nv, live))
        error(siteOf(name, br == 0),
              "'" + name + "' is a " + describe(live) + " before the 'if', but the " +
                  (br == 0 ? "then" : "else") + " branch makes it a " + describe(nv));
    }
    names.push_back(name);
  }
  for (const std::string &name : thenDefs) {
    if (!elseDefs.count(name) || liveins.count(name))
      continue;
    const SVal &tv = thenVars.at(name);
    const SVal &ev = elseVars.at(name);
    if (!sameShapeAndType(tv, ev))
      error(siteOf(name, false), "'" + name + "' is a " + describe(tv) +
                                     " in the then branch but a " + describe(ev) +
                                     " in the else branch");
    if (!tv.containsRuntime())
      constNames.push_back(name);
    else
      names.push_back(name);
  }

  std::vector<Value *> thenYield, elseYield;
  for (const std::string &name : names) {
    flatten(thenVars.at(name), thenYield);
    flatten(elseVars.at(name), elseYield);
  }
  std::vector<Value *> results = finishIf(ifOp, thenYield, elseYield, outer);
  f.env.vars = liveins;
  f.env.localDefs = prevDefs;
  f.env.assignSites = prevSites;
  size_t cursor = 0;
  for (const std::string &name : names) {
    SVal merged = unflatten(thenVars.at(name), results, cursor);
    std::vector<Value *> flat;
    flatten(merged, flat);
    for (Value *v : flat)
      if (v->name().empty())
        v->setName(name);
    assign(name, merged, s->range);
  }
  for (const std::string &name : constNames)
    assign(name, thenVars.at(name), s->range);
}

/// Triton's return decay: compile-time numbers become tensors.
static SVal decayReturn(Lowerer &l, const SVal &v, SourceRange where) {
  if (v.isTuple()) {
    std::vector<SVal> elems;
    for (const SVal &e : v.elems())
      elems.push_back(decayReturn(l, e, where));
    return SVal::tuple(std::move(elems));
  }
  if (v.isNumber())
    return SVal::tensor(l.toTensor(v, where));
  return v;
}

void Lowerer::lowerReturningIf(const If *s, Value *cond, std::vector<Span> rest) {
  Frame &f = frame();
  const Env saved = f.env;
  Operation *ifOp = emitOp(OpCode::If, {cond}, {}, {}, 2);
  tritonc::Block *outer = builder_.insertionBlock();

  auto lowerBranch = [&](const ast::Block &b, unsigned region) {
    builder_.setInsertionPointToEnd(ifOp->region(region));
    f.env = saved;
    f.returned = false;
    f.retVal.reset();
    std::vector<Span> seq{{&b, 0}};
    seq.insert(seq.end(), rest.begin(), rest.end());
    lowerSeq(std::move(seq));
    // Falling off the end of the function returns None.
    SVal r = f.returned && f.retVal ? *f.retVal : SVal::none();
    return std::make_pair(r, f.returned ? f.retRange : s->range);
  };
  auto [thenRet, thenRange] = lowerBranch(s->body, 0);
  auto [elseRet, elseRange] = lowerBranch(s->orelse, 1);
  if (!sameShapeAndType(thenRet, elseRet))
    error(elseRange,
          "inconsistent return types: " + describe(thenRet) + " and " + describe(elseRet));
  std::vector<Value *> thenYield, elseYield;
  flatten(thenRet, thenYield);
  flatten(elseRet, elseYield);
  std::vector<Value *> results = finishIf(ifOp, thenYield, elseYield, outer);
  size_t cursor = 0;
  f.env = saved;
  f.returned = true;
  f.retVal = unflatten(thenRet, results, cursor);
  f.retRange = thenRange;
}

void Lowerer::finishReturn(SVal v, SourceRange where) {
  Frame &f = frame();
  if (f.isKernel && !v.isNone())
    error(where, "a kernel cannot return a value");
  f.returned = true;
  f.retVal = decayReturn(*this, v, where);
  f.retRange = where;
}

void Lowerer::lowerReturn(const Return *s) {
  if (frame().loopDepth > 0)
    error(s->range, "'return' inside a loop is not supported");
  SVal v = s->value ? eval(s->value.get()) : SVal::none();
  finishReturn(std::move(v), s->range);
}

// ------------------------------------------------------------------------------------------------
// Loops
// ------------------------------------------------------------------------------------------------

std::vector<std::string> Lowerer::findCarries(const ast::Block &body, const Env &liveins,
                                              const std::string *ivName, const Type *ivType,
                                              SourceRange where) {
  Frame &f = frame();
  auto scratch = std::make_unique<tritonc::Block>();
  tritonc::Block *outer = builder_.insertionBlock();
  builder_.setInsertionPointToEnd(scratch.get());
  f.env = liveins;
  f.env.localDefs.clear();
  if (ivName)
    f.env.vars[*ivName] = SVal::tensor(scratch->addArgument(ivType, *ivName));
  ++f.loopDepth;
  ++dryRun;
  lowerSeq({{&body, 0}});
  --dryRun;
  --f.loopDepth;

  std::vector<std::string> names;
  for (const auto &[name, live] : liveins.vars) {
    if (ivName && name == *ivName)
      continue; // reassigning the loop variable does not change the iteration
    const SVal &now = f.env.vars.at(name);
    auto site = [&]() {
      auto it = f.env.assignSites.find(name);
      return it != f.env.assignSites.end() ? it->second : where;
    };
    if (!live.containsRuntime()) {
      if (f.env.localDefs.count(name) && (now.containsRuntime() || !constEquals(now, live)))
        error(site(), "'" + name + "' holds a compile-time value (" + describe(live) +
                          ") and cannot be reassigned inside a loop");
      continue;
    }
    std::vector<Value *> a, b;
    flatten(live, a);
    flatten(now, b);
    if (a == b)
      continue;
    if (!sameShapeAndType(live, now))
      error(site(), "loop-carried variable '" + name + "' is a " + describe(live) +
                        " before the loop but becomes a " + describe(now) +
                        " in the loop; its type must stay the same");
    names.push_back(name);
  }
  builder_.setInsertionPointToEnd(outer);
  f.env = liveins;
  return names; // `scratch` and everything the dry run built die here
}

void Lowerer::lowerFor(const For *s) {
  Frame &f = frame();
  const auto *target = dyn_cast<Name>(s->target.get());
  if (!target)
    error(s->target->range, "the target of a for loop must be a single name");
  const auto *call = dyn_cast<Call>(s->iter.get());
  SVal callee = call ? eval(call->callee.get()) : SVal::none();
  if (!call || !callee.is(SVal::Kind::Builtin) || !(callee.builtinDef()->flags & bflag::Iterator))
    error(s->iter->range, "for loops only iterate over range(), tl.range() or tl.static_range()");
  ArgList args;
  evalArgs(call, args);
  // The iterator builtins return ("static"|"range", start, end, step, num_stages,
  // loop_unroll_factor).
  SVal it = callBuiltin(callee.builtinDef(), "", std::move(args), call->range, call->callee->range);
  const std::vector<SVal> &iv = it.elems();
  const std::string &ivName = target->id;

  if (iv[0].stringValue() == "static") {
    const int64_t start = iv[1].intValue(), end = iv[2].intValue(), step = iv[3].intValue();
    // The trip count in 128 bits (start + k * step never overflows), checked against the
    // statement budget before anything is unrolled: each iteration lowers at least one statement.
    const __int128 span = step > 0 ? __int128(end) - start : __int128(start) - end;
    const __int128 stride = step > 0 ? __int128(step) : -__int128(step);
    const __int128 count = span <= 0 ? 0 : (span + stride - 1) / stride;
    if (count > static_cast<__int128>(options_.maxLoweredStatements))
      error(s->iter->range,
            "tl.static_range unrolls " + std::to_string(static_cast<uint64_t>(count)) +
                " iterations, more than the limit of " +
                std::to_string(options_.maxLoweredStatements) +
                " statements per kernel (raise it with --max-statements N); use a runtime loop "
                "(range / tl.range) instead");
    for (int64_t k = 0; k < static_cast<int64_t>(count); ++k) {
      f.env.vars[ivName] = SVal::integer(static_cast<int64_t>(start + __int128(k) * step));
      lowerSeq({{&s->body, 0}});
    }
    return;
  }

  SVal lbV = iv[1], ubV = iv[2], stepV = iv[3];
  bool negativeStep = false;
  if (!stepV.isTensor()) {
    int64_t st = requireInt(stepV, s->iter->range, "the step of range()");
    if (st == 0)
      error(s->iter->range, "range() step must not be zero");
    if (st < 0) {
      // scf.for needs a positive step: iterate the mirrored range and map the variable back.
      stepV = SVal::integer(-st);
      std::swap(lbV, ubV);
      negativeStep = true;
    }
  }
  Value *lb = toTensor(lbV, s->iter->range, "the start of range()");
  Value *ub = toTensor(ubV, s->iter->range, "the end of range()");
  Value *step = toTensor(stepV, s->iter->range, "the step of range()");
  for (Value *v : {lb, ub, step})
    if (v->type()->isBlock() || !v->type()->isInt())
      error(s->iter->range, "range() bounds and step must be integer scalars, got " +
                                typeStr(lb->type()) + ", " + typeStr(ub->type()) + " and " +
                                typeStr(step->type()));
  ScalarKind k = integerPromote(integerPromote(lb->type()->scalarKind(), ub->type()->scalarKind()),
                                step->type()->scalarKind());
  const Type *ivType = scalar(k);
  lb = cast(lb, ivType, s->iter->range);
  ub = cast(ub, ivType, s->iter->range);
  step = cast(step, ivType, s->iter->range);

  const Env before = f.env;
  std::vector<std::string> names = findCarries(s->body, before, &ivName, ivType, s->range);

  std::vector<Value *> inits = carriedInits(before, names);
  std::vector<Value *> operands{lb, ub, step};
  operands.insert(operands.end(), inits.begin(), inits.end());
  std::vector<const Type *> types;
  for (Value *v : inits)
    types.push_back(v->type());
  AttrList attrs;
  if (!iv[4].isNone())
    attrs.set("num_stages", iv[4].intValue());
  if (!iv[5].isNone())
    attrs.set("loop_unroll_factor", iv[5].intValue());
  Operation *forOp = emitOp(OpCode::For, operands, types, std::move(attrs), 1);
  tritonc::Block *body = forOp->region(0);
  Value *ivArg = body->addArgument(ivType, ivName);
  std::vector<Value *> bodyArgs = addCarriedArgs(body, before, names, types);
  tritonc::Block *outer = builder_.insertionBlock();
  builder_.setInsertionPointToEnd(body);
  f.env.localDefs.clear();
  Value *ivVal = ivArg;
  if (negativeStep) {
    // The mirrored variable runs from the original end upwards: i = ub + lb - j.
    Value *d = emit(OpCode::Sub, {ub, ivArg}, ivType);
    ivVal = emit(OpCode::Add, {d, lb}, ivType);
    ivVal->setName(ivName);
  }
  f.env.vars[ivName] = SVal::tensor(ivVal);
  bindCarried(before, names, bodyArgs);
  finishLoop(forOp, s->body, before, names, outer, s->range);
}

void Lowerer::lowerWhile(const While *s) {
  Frame &f = frame();
  const Env before = f.env;
  std::vector<std::string> names = findCarries(s->body, before, nullptr, nullptr, s->range);
  std::vector<Value *> inits = carriedInits(before, names);
  std::vector<const Type *> types;
  for (Value *v : inits)
    types.push_back(v->type());
  Operation *w = emitOp(OpCode::While, inits, types, {}, 2);
  tritonc::Block *outer = builder_.insertionBlock();

  auto bindArgs = [&](tritonc::Block *blk) {
    std::vector<Value *> args = addCarriedArgs(blk, before, names, types);
    bindCarried(before, names, args);
    return args;
  };

  // Before region: the condition, forwarding the loop values unchanged.
  tritonc::Block *bef = w->region(0);
  builder_.setInsertionPointToEnd(bef);
  std::vector<Value *> befArgs = bindArgs(bef);
  SVal c = eval(s->test.get());
  Value *cond;
  if (c.isTensor())
    cond = conditionValue(c, s->test->range);
  else
    cond = intConst(staticCondition(c, s->test->range) ? 1 : 0, scalar(ScalarKind::I1));
  std::vector<Value *> condOperands{cond};
  condOperands.insert(condOperands.end(), befArgs.begin(), befArgs.end());
  emitOp(OpCode::Condition, condOperands, {});

  // After region: the body.
  tritonc::Block *aft = w->region(1);
  builder_.setInsertionPointToEnd(aft);
  f.env.vars = before.vars;
  bindArgs(aft);
  f.env.localDefs.clear();
  finishLoop(w, s->body, before, names, outer, s->range);
}

// ---- what `for` and `while` share: the loop-carried values in and out of the loop op

std::vector<Value *> Lowerer::carriedInits(const Env &before,
                                           const std::vector<std::string> &names) {
  std::vector<Value *> inits;
  for (const std::string &name : names)
    flatten(before.vars.at(name), inits);
  return inits;
}

std::vector<Value *> Lowerer::addCarriedArgs(tritonc::Block *blk, const Env &before,
                                             const std::vector<std::string> &names,
                                             const std::vector<const Type *> &types) {
  std::vector<Value *> args;
  size_t idx = 0;
  for (const std::string &name : names) {
    std::vector<Value *> flat;
    flatten(before.vars.at(name), flat);
    for (size_t j = 0; j < flat.size(); ++j, ++idx)
      args.push_back(blk->addArgument(types[idx], name));
  }
  return args;
}

void Lowerer::bindCarried(const Env &before, const std::vector<std::string> &names,
                          const std::vector<Value *> &args) {
  size_t cursor = 0;
  for (const std::string &name : names)
    frame().env.vars[name] = unflatten(before.vars.at(name), args, cursor);
}

void Lowerer::finishLoop(Operation *loop, const ast::Block &body, const Env &before,
                         const std::vector<std::string> &names, tritonc::Block *outer,
                         SourceRange where) {
  Frame &f = frame();
  ++f.loopDepth;
  lowerSeq({{&body, 0}});
  --f.loopDepth;
  std::vector<Value *> yields;
  for (const std::string &name : names) {
    const SVal &now = f.env.vars.at(name);
    if (!sameShapeAndType(now, before.vars.at(name)))
      error(where, "loop-carried variable '" + name + "' changes type in the loop");
    flatten(now, yields);
  }
  emitOp(OpCode::Yield, yields, {});
  builder_.setInsertionPointToEnd(outer);

  f.env = before;
  std::vector<Value *> results = loop->results();
  size_t cursor = 0;
  for (const std::string &name : names) {
    SVal r = unflatten(before.vars.at(name), results, cursor);
    std::vector<Value *> flat;
    flatten(r, flat);
    for (Value *v : flat)
      if (v->name().empty())
        v->setName(name);
    assign(name, r, where);
  }
}

// ------------------------------------------------------------------------------------------------
// Functions
// ------------------------------------------------------------------------------------------------

/// Parses an annotation spelled as a string ("*fp32:16").
static std::optional<std::pair<const Type *, int64_t>> parseTypeString(Context &ctx,
                                                                       std::string_view s) {
  unsigned depth = 0;
  while (!s.empty() && s.front() == '*') {
    ++depth;
    s.remove_prefix(1);
  }
  int64_t div = 1;
  if (size_t colon = s.find(':'); colon != std::string_view::npos) {
    std::string_view d = s.substr(colon + 1);
    div = 0;
    for (char c : d) {
      if (c < '0' || c > '9' || div > (int64_t(1) << 40))
        return std::nullopt;
      div = div * 10 + (c - '0');
    }
    s = s.substr(0, colon);
  }
  if (!isScalarTypeName(s) || depth > kMaxPointerDepth)
    return std::nullopt;
  const Type *t = ctx.scalar(*parseScalarKind(s));
  for (unsigned i = 0; i < depth; ++i)
    t = ctx.pointer(t);
  return std::make_pair(t, div);
}

void Lowerer::lowerKernel(const FunctionDef *def, ModuleScope *module, Function *fn) {
  Frame fr;
  fr.fnName = def->name;
  fr.module = module;
  fr.isKernel = true;
  FrameGuard guard(*this, &fr);
  LocGuard loc(*this, def->range.begin);
  emitting_ = true;
  curFn_ = fn;
  statementsLowered_ = 0;
  builder_.setInsertionPointToEnd(fn->body());

  auto defineFor = [&](const std::string &name) -> std::optional<std::string> {
    std::optional<std::string> v;
    for (const auto &[k, val] : options_.defines)
      if (k == name)
        v = val; // a later -D wins
    return v;
  };
  auto evalDefine = [&](const std::string &name, const std::string &text) {
    std::unique_ptr<Expr> e = parseExpression(sources_, "-D " + name, text, *diags_);
    if (!e)
      throw CompilationAborted();
    allowTypeNames = true;
    SVal v = evalInModule(e.get(), module);
    allowTypeNames = false;
    return v;
  };

  // --signature: one entry per parameter, constexprs included (Triton's AOT convention).
  bool haveSig = !signature_.empty();
  if (haveSig && signature_.size() != def->params.size()) {
    size_t n = def->params.size();
    error(signatureRange(std::min(n, signature_.size())),
          "the signature has " + std::to_string(signature_.size()) + " entr" +
              (signature_.size() == 1 ? "y" : "ies") + " but kernel '" + def->name + "' has " +
              std::to_string(n) + " parameter" + (n == 1 ? "" : "s"));
  }

  for (size_t pi = 0; pi < def->params.size(); ++pi) {
    const Param &p = def->params[pi];
    const Annotation *ann = p.annotation.get();
    const SignatureEntry *sig = haveSig ? &signature_[pi] : nullptr;
    if (isPythonTypeHint(ann)) {
      // `n: int`, `x_ptr: tl.tensor`: Python hints, no tritonc type; --signature types them.
      if (!sig)
        error(ann->range, "parameter '" + p.name + "' of kernel '" + def->name +
                              "' has a Python type hint, which gives it no type; annotate it "
                              "with a type such as i32 or *fp32, or pass --signature");
      ann = nullptr;
    }
    if (!ann && !sig)
      error(p.nameRange,
            "parameter '" + p.name + "' of kernel '" + def->name + "' has no type annotation");
    // A value entry makes the parameter a constexpr; so does a bare dtype name (`fp16`) given
    // for a parameter declared tl.constexpr.
    bool sigValue = sig && (!sig->type || (sig->bareType && ann && isa<ConstexprAnnotation>(ann)));
    if (sigValue && ann && !isa<ConstexprAnnotation>(ann))
      error(signatureRange(pi), "signature entry '" + sig->text +
                                    "' is a constexpr value, but "
                                    "parameter '" +
                                    p.name + "' of kernel '" + def->name +
                                    "' has a type annotation");
    if (sig && !sigValue && ann && isa<ConstexprAnnotation>(ann))
      error(signatureRange(pi), "signature entry '" + sig->text + "' is a type, but parameter '" +
                                    p.name + "' of kernel '" + def->name +
                                    "' is a constexpr (give its value instead)");
    if (sigValue || (ann && isa<ConstexprAnnotation>(ann))) {
      SVal v;
      if (auto text = defineFor(p.name))
        v = evalDefine(p.name, *text); // -D wins, as over a default
      else if (sigValue) {
        // Parenthesized and padded so that the entry keeps its column in the signature (a
        // leading space alone would lex as an indent): errors point into the entry. After a
        // `# comment` the ')' goes on a line of its own, or the comment would swallow it.
        const char *close = sig->text.find('#') == std::string::npos ? ")" : "\n)";
        std::string text =
            sig->col > 1 ? "(" + std::string(sig->col - 2, ' ') + sig->text + close : sig->text;
        // Diagnostics print the signature as given, not the padded text (same columns).
        uint32_t sigFile = static_cast<uint32_t>(sources_.numFiles()) + 1;
        struct ShowSignature {
          SourceManager &sources;
          uint32_t id;
          const std::string &sig;
          ~ShowSignature() {
            if (sources.numFiles() >= id)
              sources.replaceText(id, sig);
          }
        } show{sources_, sigFile, options_.signature};
        std::unique_ptr<Expr> e = parseExpression(sources_, "<signature>", text, *diags_);
        if (!e)
          throw CompilationAborted();
        // A value is a number, a bool, a dtype or a string, never a lookup: a bare word would
        // silently bind a Python name of the file (a @jit function for `leaky_relu`).
        if (const Name *word = bareWord(e.get()))
          error(word->range, "signature entry '" + sig->text + "' for constexpr '" + p.name +
                                 "': '" + word->id +
                                 "' is a bare word (a value is a number, True/False, a dtype "
                                 "such as fp16, or a string); to pass a string, quote it: '" +
                                 word->id + "'");
        allowTypeNames = true;
        v = evalInModule(e.get(), module);
        allowTypeNames = false;
      } else if (p.defaultValue)
        v = evalInModule(p.defaultValue.get(), module);
      else
        error(p.nameRange, "missing value for constexpr parameter '" + p.name + "' of kernel '" +
                               def->name + "' (pass -D " + p.name + "=VALUE or give it a default)");
      fr.env.vars[p.name] = v;
      fn->constexprs.push_back({p.name, repr(v)});
      continue;
    }
    const Type *type = nullptr;
    int64_t div = 1;
    SourceRange divRange = p.range;
    if (!ann) {
      type = sig->type;
    } else if (const auto *ta = dyn_cast<TypeAnnotation>(ann)) {
      auto k = parseScalarKind(ta->scalar);
      if (!k)
        error(ta->scalarRange, "unknown type '" + ta->scalar + "'");
      type = scalar(*k);
      if (ta->pointerDepth > kMaxPointerDepth)
        error(SourceRange(ta->range.begin, ta->scalarRange.end),
              "pointer type nested " + std::to_string(ta->pointerDepth) + " deep; the limit is " +
                  std::to_string(kMaxPointerDepth));
      for (unsigned i = 0; i < ta->pointerDepth; ++i)
        type = ctx_.pointer(type);
      if (ta->divisibility) {
        div = *ta->divisibility;
        divRange = ta->divisibilityRange;
      }
    } else {
      const auto *ea = ast::cast<ExprAnnotation>(ann);
      SVal a = evalInModule(ea->expr.get(), module);
      if (a.is(SVal::Kind::DType)) {
        type = a.dtypeValue();
      } else if (a.is(SVal::Kind::String)) {
        if (auto parsed = parseTypeString(ctx_, a.stringValue())) {
          type = parsed->first;
          div = parsed->second;
        }
      }
      if (!type)
        error(ann->range, "parameter '" + p.name + "' of kernel '" + def->name +
                              "' has an unsupported annotation; use a type such as *fp32 or "
                              "i32, or tl.constexpr");
    }
    if (!isPowerOf2(div))
      error(divRange, "divisibility " + std::to_string(div) + " of parameter '" + p.name +
                          "' is not a power of two");
    if (sig) {
      // The signature refines an annotation (adds `:16`) but cannot change its type.
      if (type != sig->type)
        error(signatureRange(pi), "signature entry '" + sig->text + "' does not match the type " +
                                      type->str() + " of parameter '" + p.name + "' of kernel '" +
                                      def->name + "'");
      div = std::max(div, sig->divisibility);
    }
    Value *v = fn->addParam(type, ParamInfo{p.name, div, p.nameRange.begin});
    // `i32:1` (Triton's equal-to-1 specialization): the parameter stays in the launch ABI, so a
    // host passes the same argument list as for the unspecialized kernel, but the kernel body
    // sees the constant 1 (a constexpr, as in Triton), never the argument's value.
    fr.env.vars[p.name] = sig && sig->equalToOne ? SVal::integer(1) : SVal::tensor(v);
  }

  kernelBody_ = &def->body;
  lowerSeq({{&def->body, 0}});
  kernelBody_ = nullptr;
  emitOp(OpCode::Return, {}, {});
  emitting_ = false;
}

/// The first name in a --signature value that is neither a dtype spelling nor tl/triton (whose
/// attributes spell dtypes: tl.float16), or nullptr.
const Name *Lowerer::bareWord(const Expr *e) {
  if (const auto *n = dyn_cast<Name>(e))
    return isScalarTypeName(n->id) || n->id == "tl" || n->id == "triton" ? nullptr : n;
  if (const auto *a = dyn_cast<Attribute>(e))
    return bareWord(a->object.get());
  if (const auto *t = dyn_cast<Tuple>(e)) {
    for (const ExprPtr &x : t->elts)
      if (const Name *n = bareWord(x.get()))
        return n;
  } else if (const auto *l = dyn_cast<List>(e)) {
    for (const ExprPtr &x : l->elts)
      if (const Name *n = bareWord(x.get()))
        return n;
  } else if (const auto *u = dyn_cast<Unary>(e)) {
    return bareWord(u->operand.get());
  } else if (const auto *b = dyn_cast<Binary>(e)) {
    if (const Name *n = bareWord(b->lhs.get()))
      return n;
    return bareWord(b->rhs.get());
  }
  return nullptr;
}

SVal Lowerer::inlineCall(const FunctionDef *def, ModuleScope *module, ArgList al,
                         SourceRange callRange) {
  if (inlineDepth_ >= 64)
    error(callRange, "helper calls nest more than 64 deep (recursion is not supported)");
  size_t np = def->params.size();
  std::vector<std::optional<SVal>> vals(np);
  std::vector<SourceRange> ranges(np, callRange);
  if (al.args.size() > np)
    error(al.argRanges[np], "'" + def->name + "' takes " + std::to_string(np) + " argument" +
                                (np == 1 ? "" : "s") + " but " + std::to_string(al.args.size()) +
                                " were given");
  for (size_t i = 0; i < al.args.size(); ++i) {
    vals[i] = std::move(al.args[i]);
    ranges[i] = al.argRanges[i];
  }
  for (size_t i = 0; i < al.kwargs.size(); ++i) {
    size_t idx = np;
    for (size_t j = 0; j < np; ++j)
      if (def->params[j].name == al.kwargs[i].first)
        idx = j;
    if (idx == np) {
      std::vector<std::string> names;
      for (const Param &p : def->params)
        names.push_back(p.name);
      error(al.kwargRanges[i], "'" + def->name + "' got an unexpected keyword argument '" +
                                   al.kwargs[i].first + "'" +
                                   didYouMean(al.kwargs[i].first, names));
    }
    if (vals[idx])
      error(al.kwargRanges[i],
            "'" + def->name + "' got multiple values for argument '" + al.kwargs[i].first + "'");
    vals[idx] = std::move(al.kwargs[i].second);
    ranges[idx] = al.kwargRanges[i];
  }
  Frame fr;
  fr.fnName = def->name;
  fr.callRange = callRange;
  fr.module = module;
  for (size_t i = 0; i < np; ++i) {
    const Param &p = def->params[i];
    if (!vals[i]) {
      if (!p.defaultValue)
        error(callRange, "'" + def->name + "' missing argument '" + p.name + "'");
      vals[i] = evalInModule(p.defaultValue.get(), module);
    }
    // A tl.constexpr annotation on a helper's parameter is not enforced, as in Triton: the
    // tutorials pass blocks (offs_m) and runtime scalars to such parameters.
    fr.env.vars[p.name] = *vals[i];
  }
  ++inlineDepth_;
  {
    FrameGuard guard(*this, &fr);
    lowerSeq({{&def->body, 0}});
  }
  --inlineDepth_;
  return fr.returned && fr.retVal ? *fr.retVal : SVal::none();
}

std::vector<Value *> Lowerer::callCombine(const SVal &fn, std::vector<Value *> args,
                                          SourceRange where) {
  ArgList al;
  for (Value *v : args) {
    al.args.push_back(SVal::tensor(v));
    al.argRanges.push_back(where);
  }
  SVal r = callValue(fn, std::move(al), where, where);
  std::vector<Value *> out;
  if (r.isTuple()) {
    for (const SVal &e : r.elems())
      out.push_back(toTensor(e, where, "the combine function's result"));
  } else {
    out.push_back(toTensor(r, where, "the combine function's result"));
  }
  return out;
}

} // namespace tritonc::sema
