// Sema's internal interface: the values (SVal), scopes and the Lowerer that turns a kernel's AST
// into Tile IR, shared by the front end's files: Values.cpp (SVal, messages' spellings),
// Semantic.cpp (Triton's semantic.py: typed IR ops), IRGenExpr.cpp (expressions), IRGenStmt.cpp
// (statements, functions, control flow), Imports.cpp (modules), Frontend.cpp (the entry point)
// and the builtins (builtins/Builtins.h: the table and one file per Triton module). Nothing
// outside src/frontend includes it: the public entry point is Frontend.h.
//
// Model (Triton's code generator, without Python):
//  - An SVal is what a name or an expression denotes: a compile-time value (None, bool, int,
//    float, string, dtype, tuple, function, namespace, builtin) or a runtime value ("tensor":
//    an IR Value*, scalar or block). Blocks-of-pointers built by tl.make_block_ptr are BlockPtr
//    values whose fields are runtime scalars.
//  - Lowering walks the AST of a kernel once, evaluating constexpr expressions on the fly and
//    emitting Tile IR for the rest. Helpers are inlined at each call (a new Frame). Loops are
//    lowered twice like Triton does: a dry run into a scratch block finds which live names the
//    body changes (the loop-carried values), then the real body is emitted into the loop op.
//  - Errors are reported into the DiagnosticEngine and abort by throwing CompilationAborted;
//    an error inside an inlined helper carries one note per call site.
#pragma once

#include "frontend/AST.h"
#include "frontend/Frontend.h"
#include "ir/Builder.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tritonc::sema {

class Lowerer;
struct ModuleScope;
struct Namespace;
struct BuiltinDef;

/// The runtime fields of a block pointer (tl.make_block_ptr): base is a scalar pointer, shape
/// and strides are i64 scalars, offsets i32 scalars; blockShape and order are compile-time.
struct BlockPtrInfo {
  Value *base = nullptr;
  std::vector<Value *> shape, strides, offsets;
  std::vector<int64_t> blockShape;
  std::vector<int64_t> order;
  /// A tensor descriptor (tl.make_tensor_descriptor): the same fields, row-major, accessed
  /// through desc.load / desc.store with every dimension bounds-checked.
  bool descriptor = false;
  bool nanPadding = false; ///< descriptors: out-of-bounds loads read NaN instead of zero
};

/// A value of the language as sema sees it. Small and copyable.
class SVal {
public:
  enum class Kind : uint8_t {
    None,
    Bool,
    Int,
    Float,
    String,
    DType,       ///< a scalar or pointer type used as a value (tl.float16, x.dtype)
    Tuple,       ///< tuples and lists (Triton treats both as tl.tuple)
    Tensor,      ///< a runtime IR value, scalar or block
    Function,    ///< a def of some module (a @jit helper or kernel)
    Namespace,   ///< tl, tl.math, triton, libdevice, an imported module
    Builtin,     ///< a builtin function (tl.load, range, min, libdevice.tanh, ...)
    BoundMethod, ///< a builtin with its receiver: x.to, x.reshape, x.sum
    BlockPtr,
  };

  SVal() = default;
  static SVal none() { return SVal(); }
  static SVal boolean(bool v);
  static SVal integer(int64_t v);
  static SVal floating(double v);
  static SVal string(std::string v);
  static SVal dtype(const Type *t);
  static SVal tuple(std::vector<SVal> elems);
  static SVal tensor(Value *v);
  static SVal function(const ast::FunctionDef *def, ModuleScope *module);
  static SVal ns(const Namespace *ns);
  static SVal builtin(const BuiltinDef *def, std::string extra = "");
  static SVal boundMethod(const BuiltinDef *def, SVal self);
  static SVal blockPtr(BlockPtrInfo info);

  Kind kind() const { return kind_; }
  bool is(Kind k) const { return kind_ == k; }
  bool isNone() const { return kind_ == Kind::None; }
  bool isTensor() const { return kind_ == Kind::Tensor; }
  bool isTuple() const { return kind_ == Kind::Tuple; }
  /// A Python number: bool, int or float (Triton's weak scalars).
  bool isNumber() const {
    return kind_ == Kind::Bool || kind_ == Kind::Int || kind_ == Kind::Float;
  }
  /// Holds an IR value somewhere (a tensor, a block pointer, or a tuple containing one).
  bool containsRuntime() const;

  bool boolValue() const { return b_; }
  int64_t intValue() const { return kind_ == Kind::Bool ? (b_ ? 1 : 0) : i_; }
  double floatValue() const { return kind_ == Kind::Float ? f_ : double(intValue()); }
  const std::string &stringValue() const { return s_; }
  const Type *dtypeValue() const { return type_; }
  const std::vector<SVal> &elems() const { return elems_; }
  Value *value() const { return value_; }
  const Type *type() const { return value_->type(); } ///< of a Tensor
  const ast::FunctionDef *functionDef() const { return fn_; }
  ModuleScope *functionModule() const { return module_; }
  const Namespace *nsValue() const { return ns_; }
  const BuiltinDef *builtinDef() const { return builtin_; }
  const std::string &builtinExtra() const { return s_; }
  const SVal &self() const { return elems_.front(); } ///< of a BoundMethod
  const BlockPtrInfo &blockPtrInfo() const { return *bp_; }

private:
  Kind kind_ = Kind::None;
  bool b_ = false;
  int64_t i_ = 0;
  double f_ = 0;
  std::string s_;
  const Type *type_ = nullptr;
  Value *value_ = nullptr;
  std::vector<SVal> elems_;
  const ast::FunctionDef *fn_ = nullptr;
  ModuleScope *module_ = nullptr;
  const Namespace *ns_ = nullptr;
  const BuiltinDef *builtin_ = nullptr;
  std::shared_ptr<const BlockPtrInfo> bp_;
};

/// A namespace value: builtin ones (members listed), libdevice (every name is an extern call),
/// or an imported .tt module (its globals).
struct Namespace {
  enum class Kind : uint8_t { Builtin, Libdevice, Module };
  Kind kind = Kind::Builtin;
  std::string name; ///< "triton.language", "libdevice", the module's dotted name
  std::map<std::string, SVal, std::less<>> members;
  ModuleScope *module = nullptr;
};

/// One .tt file: its AST and its global names (imports, constexprs, functions).
struct ModuleScope {
  uint32_t fileId = 0;
  std::string path;
  std::string dottedName;
  std::unique_ptr<ast::Module> ast;
  std::map<std::string, SVal, std::less<>> globals;
  /// Module-level assignments whose value could not be computed at compile time: the error is
  /// reported only if a kernel uses the name (a file may hold Python scaffolding).
  std::map<std::string, Diagnostic, std::less<>> failedGlobals;
  /// Names a .py file imports from host-side Python (torch, triton.runtime, a module that is
  /// not found): the reason, located at the import, reported only if a kernel uses the name.
  std::map<std::string, Diagnostic, std::less<>> unavailable;
  std::string dir; ///< directory of the file, for relative imports
  bool loading = true;
  Namespace ns;
};

/// Evaluated arguments of a call, before they are matched to parameters.
struct ArgList {
  std::vector<SVal> args;
  std::vector<SourceRange> argRanges;
  std::vector<std::pair<std::string, SVal>> kwargs;
  std::vector<SourceRange> kwargRanges;
};

/// Local names of one function body. `localDefs` holds the names assigned since the enclosing
/// region began (Triton's local_defs): with the snapshots of `vars` it decides what an `if`
/// merges and what a loop carries.
struct Env {
  std::map<std::string, SVal, std::less<>> vars;
  std::set<std::string, std::less<>> localDefs;
  /// Where each name was last assigned (loop-carried type errors point there).
  std::map<std::string, SourceRange, std::less<>> assignSites;
};

/// One function being lowered: the kernel, or a helper inlined at a call.
struct Frame {
  std::string fnName;
  std::optional<SourceRange> callRange; ///< the call site (helpers only)
  ModuleScope *module = nullptr;
  Env env;
  bool isKernel = false;
  bool returned = false; ///< a `return` was lowered on the current straight-line path
  std::optional<SVal> retVal;
  SourceRange retRange;
  unsigned loopDepth = 0;
  /// Names assigned by a kernel statement that failed (error recovery): a use aborts the
  /// statement that makes it without a second, cascading error.
  std::set<std::string, std::less<>> poisoned;
};

/// Errors reported for one compilation before the front end stops recovering (clang's
/// -ferror-limit default is 20).
inline constexpr unsigned kErrorLimit = 20;

// ------------------------------------------------------------------------------------------------
// The lowering engine
// ------------------------------------------------------------------------------------------------

class Lowerer {
public:
  Lowerer(SourceManager &sources, Context &ctx, const FrontendOptions &options,
          DiagnosticEngine &diags);
  ~Lowerer();

  std::unique_ptr<Module> run(uint32_t fileId);

  // ---- diagnostics (Values.cpp)
  /// Reports an error (with the helper call-site notes) and aborts.
  [[noreturn]] void error(SourceRange range, std::string message);
  /// The same with a note first (e.g. where an unusable name was imported).
  [[noreturn]] void error(SourceRange range, std::string message, SourceRange noteRange,
                          std::string noteMessage);
  void note(SourceRange range, std::string message);
  /// User-facing spelling of a type: fp32, *fp16, fp32[128, 64].
  static std::string typeStr(const Type *t);
  static std::string shapeStr(const std::vector<int64_t> &shape);
  /// A short description of a value for messages ("int 3", "tensor fp32[128]", "tuple").
  std::string describe(const SVal &v) const;
  /// Python's repr of a compile-time value (1e-06, True, 'ieee', fp16); Constexpr bindings use it.
  std::string repr(const SVal &v) const;
  std::string str(const SVal &v) const;

  // ---- IR emission (Semantic.cpp)
  Context &ctx() { return ctx_; }
  bool canEmit() const { return emitting_; }
  Value *emit(OpCode code, std::vector<Value *> operands, const Type *resultType,
              AttrList attrs = {});
  Operation *emitOp(OpCode code, std::vector<Value *> operands,
                    std::vector<const Type *> resultTypes, AttrList attrs = {},
                    unsigned numRegions = 0);
  Builder &builder() { return builder_; }
  /// The kernel being lowered (hints on its parameters update its ParamInfo).
  Function *currentFunction() const { return curFn_; }
  SourceLoc loc() const { return curLoc_; }
  void setLoc(SourceLoc loc) { curLoc_ = loc; }

  // ---- semantic helpers: Triton's semantic.py (Semantic.cpp)
  const Type *scalar(ScalarKind k) { return ctx_.scalar(k); }
  /// A block type after checking every dimension is a power of two (and the element limit).
  const Type *blockType(const Type *elem, const std::vector<int64_t> &shape, SourceRange where);
  /// The same shape as `like` (scalar or block) with element `elem`.
  const Type *withElement(const Type *like, const Type *elem);
  static std::vector<int64_t> shapeOf(const Type *t) {
    return t->isBlock() ? t->shape() : std::vector<int64_t>{};
  }
  Value *constant(const SVal &number, const Type *type, SourceRange where);
  Value *intConst(int64_t v, const Type *type);
  Value *floatConst(double v, const Type *type);
  /// Triton's to_tensor: a number becomes a scalar constant of its literal type.
  Value *toTensor(const SVal &v, SourceRange where, std::string_view what = "value");
  const Type *literalType(const SVal &number);
  Value *cast(Value *v, const Type *dstScalar, SourceRange where,
              std::optional<std::string> rounding = std::nullopt);
  Value *bitcast(Value *v, const Type *dstScalar, SourceRange where);
  Value *toBool(Value *v, SourceRange where);
  Value *splat(Value *v, const std::vector<int64_t> &shape);
  Value *expandDims(Value *v, int axis, SourceRange where);
  Value *reshape(Value *v, const std::vector<int64_t> &shape, bool canReorder, SourceRange where);
  /// Broadcasts `v` to `shape` (scalar: splat); error when impossible.
  Value *broadcastTo(Value *v, const std::vector<int64_t> &shape, SourceRange where,
                     std::string_view context);
  /// NumPy broadcasting of two values to a common shape.
  std::pair<Value *, Value *> broadcastPair(Value *a, Value *b, SourceRange where,
                                            std::string_view opName);
  /// The shape two shapes broadcast to; error when incompatible.
  std::vector<int64_t> broadcastShapes(const std::vector<int64_t> &a, const std::vector<int64_t> &b,
                                       SourceRange where, std::string_view opName);
  /// Triton's binary_op_type_checking_impl: applies the promotion rules and broadcasting to a
  /// pair of operands (tensors or Python numbers) and returns two values of one type.
  std::pair<Value *, Value *> binaryOperands(const SVal &lhs, const SVal &rhs, bool allowLhsPtr,
                                             bool allowRhsPtr, bool arithmeticCheck, bool divOrMod,
                                             SourceRange where, std::string_view opName);
  Value *binaryArith(ast::BinaryOp op, const SVal &lhs, const SVal &rhs, SourceRange where);
  Value *compare(ast::CmpOp op, const SVal &lhs, const SVal &rhs, SourceRange where);
  Value *minMax(bool isMax, const SVal &a, const SVal &b, bool propagateNan, SourceRange where);
  Value *where(const SVal &cond, const SVal &a, const SVal &b, SourceRange where);
  Value *neg(Value *v, SourceRange where);
  Value *invert(Value *v, SourceRange where);
  Value *logicalNot(Value *v, SourceRange where);
  Value *logicalAndOr(bool isAnd, const SVal &a, const SVal &b, SourceRange where);
  /// Applies a float math op (exp, sqrt, ...): 16-bit floats compute in fp32 and cast back;
  /// ints are an error as in Triton.
  Value *unaryMath(OpCode code, const SVal &x, std::string_view name, SourceRange where,
                   bool fp32Only = false);
  Value *addptr(Value *ptr, Value *offset, SourceRange where);

  // ---- expressions (IRGenExpr.cpp)
  SVal eval(const ast::Expr *e);
  SVal evalBinary(ast::BinaryOp op, const SVal &lhs, const SVal &rhs, SourceRange where);
  SVal evalCall(const ast::Call *call);
  void evalArgs(const ast::Call *call, ArgList &out);
  SVal callValue(const SVal &callee, ArgList args, SourceRange callRange, SourceRange calleeRange);
  SVal callBuiltin(const BuiltinDef *def, const std::string &extra, ArgList args,
                   SourceRange callRange, SourceRange calleeRange);
  /// A compile-time `if` condition: Triton accepts bool, int and None.
  bool staticCondition(const SVal &v, SourceRange where);
  SVal lookupName(std::string_view name, SourceRange where);
  SVal getAttribute(const SVal &obj, std::string_view attr, SourceRange where);
  /// Python truthiness of a compile-time value.
  bool truthy(const SVal &v, SourceRange where);
  /// Compile-time equality (==) of two compile-time values.
  bool constEquals(const SVal &a, const SVal &b);

  // ---- constexpr accessors (IRGenExpr.cpp): error unless the value is the right compile-time kind
  int64_t requireInt(const SVal &v, SourceRange where, std::string_view what);
  bool requireBool(const SVal &v, SourceRange where, std::string_view what);
  std::string requireString(const SVal &v, SourceRange where, std::string_view what);
  const Type *requireDType(const SVal &v, SourceRange where, std::string_view what);
  std::vector<int64_t> requireShape(const SVal &v, SourceRange where, std::string_view what);
  std::vector<int64_t> requireIntList(const SVal &v, SourceRange where, std::string_view what);
  Value *requireTensor(const SVal &v, SourceRange where, std::string_view what);

  // ---- statements and functions (IRGenStmt.cpp)
  void lowerKernel(const ast::FunctionDef *def, ModuleScope *module, Function *fn);
  /// One entry of --signature (Triton's AOT notation): a type (`*fp32:16`, `i32`, `i32:16`,
  /// `i32:1`) or a constexpr value (`1024`, `True`, `fp16`).
  struct SignatureEntry {
    std::string text;
    unsigned col = 1;           ///< 1-based column of the entry in the signature string
    const Type *type = nullptr; ///< null for a value entry
    int64_t divisibility = 1;
    bool equalToOne = false; ///< `i32:1`
    bool bareType = false;   ///< a scalar type name alone (`fp16`): a dtype value for constexprs
  };
  void parseSignature();
  static const ast::Name *bareWord(const ast::Expr *e);
  /// Why a @jit function of the main file is not taken as a kernel (a note's text).
  std::string whyNotKernel(const ast::FunctionDef *fd);
  /// The range of signature entry `i` (i == size: just past the end), on the `<signature>`
  /// pseudo-file, which is registered only when an error needs it (it is no file to depend on).
  SourceRange signatureRange(size_t i);
  /// Inlines a call of a @jit function; returns its result.
  SVal inlineCall(const ast::FunctionDef *def, ModuleScope *module, ArgList args,
                  SourceRange callRange);
  /// Calls a combine function (tl.reduce / associative_scan) on scalar arguments at the current
  /// insertion point; returns its flattened results.
  std::vector<Value *> callCombine(const SVal &fn, std::vector<Value *> args, SourceRange where);
  void assign(const std::string &name, SVal value, SourceRange where);
  Frame &frame() { return *frames_.back(); }
  /// Flattens the runtime parts of a value (loop-carried values, if results).
  static void flatten(const SVal &v, std::vector<Value *> &out);
  /// Rebuilds a value of the same structure as `like` from flattened values.
  SVal unflatten(const SVal &like, const std::vector<Value *> &values, size_t &cursor);
  /// Same structure and types (the runtime parts may differ).
  bool sameShapeAndType(const SVal &a, const SVal &b);

  // ---- modules (Imports.cpp)
  ModuleScope *loadModule(uint32_t fileId, std::string dottedName);
  void bindModuleBlock(ModuleScope *m, const ast::Block &body);
  bool importsResolve(ModuleScope *m, const ast::Block &body);
  void markHostImport(ModuleScope *m, const std::string &name, SourceRange where,
                      std::string reason);
  std::string notFoundReason(ModuleScope *from, const std::string &dotted);
  void bindImport(ModuleScope *into, const ast::Import *imp);
  void bindImportFrom(ModuleScope *into, const ast::ImportFrom *imp);
  const Namespace *tlNamespace() const { return tl_.get(); }
  const Namespace *tritonNamespace() const { return triton_.get(); }
  /// Evaluates a compile-time expression of module scope (module constexprs, defaults, -D).
  SVal evalInModule(const ast::Expr *e, ModuleScope *module);
  /// A @jit function: decorated with (an attribute named) jit, or made one by `triton.jit(f)`.
  bool isJitDecorated(const ast::FunctionDef *def) const;
  void markJit(const ast::FunctionDef *def) { jitCalled_.insert(def); }

  const FrontendOptions &options() const { return options_; }
  SourceManager &sources() { return sources_; }
  DiagnosticEngine &diags() { return *diags_; }
  /// Non-zero while a loop body is lowered for its dry run (static_print stays quiet).
  unsigned dryRun = 0;
  bool allowTypeNames = false; ///< -D values: bare `fp16` names a dtype

  /// RAII: sets the current source location, restores it on exit.
  struct LocGuard {
    LocGuard(Lowerer &l, SourceLoc loc) : l(l), saved(l.curLoc_) {
      if (loc.isValid())
        l.curLoc_ = loc;
    }
    ~LocGuard() { l.curLoc_ = saved; }
    Lowerer &l;
    SourceLoc saved;
  };

  // ---- internal statement lowering (IRGenStmt.cpp)
  struct Span {
    const ast::Block *block;
    size_t from;
  };
  void lowerSeq(std::vector<Span> seq);
  /// Lowers one top-level statement of the kernel body; after an error, poisons the names it
  /// assigns and returns normally so that the next statement's errors are reported too.
  void lowerStmtRecovering(const ast::Stmt *s);
  void lowerStmt(const ast::Stmt *s);
  void lowerAssign(const ast::Assign *s);
  void lowerAnnAssign(const ast::AnnAssign *s);
  void lowerAugAssign(const ast::AugAssign *s);
  void assignTarget(const ast::Expr *target, const SVal &value);
  SVal sanitizeForAssign(const SVal &v, SourceRange where);
  void lowerIf(const ast::If *s, std::vector<Span> rest, bool &consumedRest);
  void lowerRuntimeIf(const ast::If *s, Value *cond);
  std::vector<Value *> finishIf(Operation *ifOp, const std::vector<Value *> &thenYield,
                                const std::vector<Value *> &elseYield, tritonc::Block *outer);
  void lowerReturningIf(const ast::If *s, Value *cond, std::vector<Span> rest);
  void lowerFor(const ast::For *s);
  void lowerWhile(const ast::While *s);
  void lowerReturn(const ast::Return *s);
  void finishReturn(SVal v, SourceRange where);
  /// Names whose value a loop body changes (the dry run of Triton's _find_carries).
  std::vector<std::string> findCarries(const ast::Block &body, const Env &liveins,
                                       const std::string *ivName, const Type *ivType,
                                       SourceRange where);
  /// What `for` and `while` share: the carried names' flattened values before the loop (the
  /// loop op's inits), one block argument per value, the names bound to values rebuilt from
  /// block arguments, and the end of the loop (the body lowered into the loop op's region, its
  /// yield with the carried types checked, the names bound to the loop op's results).
  std::vector<Value *> carriedInits(const Env &before, const std::vector<std::string> &names);
  std::vector<Value *> addCarriedArgs(tritonc::Block *blk, const Env &before,
                                      const std::vector<std::string> &names,
                                      const std::vector<const Type *> &types);
  void bindCarried(const Env &before, const std::vector<std::string> &names,
                   const std::vector<Value *> &args);
  void finishLoop(Operation *loop, const ast::Block &body, const Env &before,
                  const std::vector<std::string> &names, tritonc::Block *outer, SourceRange where);
  Value *conditionValue(const SVal &cond, SourceRange where);
  SVal evalIfExp(const ast::IfExp *e);

private:
  friend struct LocGuard;
  void buildNamespaces();
  std::vector<std::string> selectKernels(ModuleScope *main);

  std::vector<SignatureEntry> signature_;
  uint32_t signatureFile_ = 0;
  std::set<const ast::FunctionDef *> jitCalled_; ///< defs made jit by `triton.jit(f)`
  SourceManager &sources_;
  Context &ctx_;
  const FrontendOptions &options_;
  DiagnosticEngine *diags_; ///< swapped for a scratch engine while trying module globals
  Builder builder_;
  bool emitting_ = false;
  Function *curFn_ = nullptr;
  SourceLoc curLoc_;
  std::unique_ptr<Module> module_;
  std::vector<Frame *> frames_;
  std::vector<std::unique_ptr<ModuleScope>> modules_;
  std::map<std::string, ModuleScope *> modulesByPath_;
  std::unique_ptr<Namespace> tl_, tlMath_, tlExtra_, tlExtraCuda_, libdevice_, triton_,
      tritonPlaceholders_, propagateNan_;
  ModuleScope *mainModule_ = nullptr;
  const ast::Block *kernelBody_ = nullptr; ///< statements here recover from errors
  unsigned inlineDepth_ = 0;
  /// Statements lowered for the current kernel, counting each unrolled iteration and each
  /// inlined copy: static_range nests and helpers calling helpers multiply, so this bound (not
  /// the source size) is what keeps lowering time and IR size finite.
  uint64_t statementsLowered_ = 0;
  std::vector<std::string> importStack_;
  std::vector<std::unique_ptr<Namespace>> packages_; ///< namespaces of `import a.b` packages
  ModuleScope *resolveImport(ModuleScope *from, const std::string &dotted, unsigned level,
                             SourceRange where, bool mustExist);
  const Namespace *builtinNamespace(const std::string &dotted);

  friend class FrameGuard;
};

/// Pushes a frame for the duration of a scope.
class FrameGuard {
public:
  FrameGuard(Lowerer &l, Frame *f) : l_(l) { l_.frames_.push_back(f); }
  ~FrameGuard() { l_.frames_.pop_back(); }

private:
  Lowerer &l_;
};

/// Saves and restores the builder's insertion point.
class InsertionGuard {
public:
  // Sema only ever inserts at the end of blocks, so restoring to the end is exact.
  explicit InsertionGuard(Builder &b) : b_(b), block_(b.insertionBlock()) {}
  ~InsertionGuard() {
    if (block_)
      b_.setInsertionPointToEnd(block_);
  }

private:
  Builder &b_;
  Block *block_;
};

} // namespace tritonc::sema
