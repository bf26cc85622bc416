// The IR's object model: values, operations, blocks, functions and modules.
//
// Ownership: a Module owns its Functions; a Function owns its body Block; a Block owns its
// arguments and its Operations (in order); an Operation owns its results and its regions (each
// region is exactly one Block: control flow is structured, so no region needs a CFG).
// Invariants kept by every mutation through this API:
//   - each Value knows its users (one entry per operand slot that refers to it);
//   - an op's `parent()` is the block that holds it, a block's `parentOp()` the op owning it
//     (nullptr for a function body).
#pragma once

#include "ir/LaunchConfig.h"
#include "ir/Types.h"
#include "support/Source.h"

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tritonc {

class Block;
class Function;
class Module;
class Operation;

// ----------------------------------------------------------------------------------------------
// Op codes and traits, from the op table
// ----------------------------------------------------------------------------------------------

enum class OpCode : uint16_t {
#define OP(Enum, Mnemonic, NumOperands, NumResults, NumRegions, Traits) Enum,
#include "ir/Ops.def"
};

/// The trait bits of Ops.def's last column (its header says what each means).
namespace optrait {
enum : unsigned {
  Pure = 1u << 0,
  Commutative = 1u << 1,
  Elementwise = 1u << 2,
  Terminator = 1u << 3,
  // Categories: the groups of ops that passes, the interpreter and codegen treat alike.
  Arithmetic = 1u << 4,
  Binary = 1u << 5,
  IntOnly = 1u << 6,
  FloatOnly = 1u << 7,
  Math = 1u << 8,
  Cast = 1u << 9,
  Memory = 1u << 10,
  HasEffect = 1u << 11,
};
} // namespace optrait

/// Static description of an op, one row of Ops.def.
struct OpInfo {
  OpCode code;
  std::string_view mnemonic;
  int numOperands; // kVariadic if checked by the op's verifier rule
  int numResults;  // kVariadic likewise
  int numRegions;
  unsigned traits;
};
inline constexpr int kVariadic = -1;

const OpInfo &opInfo(OpCode code);
/// Looks an op up by its mnemonic; nullptr if there is none.
const OpInfo *findOp(std::string_view mnemonic);
size_t numOpCodes();

/// Category predicates, one per category bit of Ops.def (as LLVM's Instruction::isBinaryOp).
inline bool hasTrait(OpCode code, unsigned trait) { return (opInfo(code).traits & trait) != 0; }
/// Numeric operands and result, all of one type: add ... fdiv, neg, not, abs, fma, math.
inline bool isArithmetic(OpCode code) { return hasTrait(code, optrait::Arithmetic); }
/// Arithmetic with two operands: add, sub, mul, div, rem, and, or, xor, shl, shr, max, min,
/// umulhi, div_rn, fdiv.
inline bool isBinaryOp(OpCode code) { return hasTrait(code, optrait::Binary); }
/// Arithmetic defined on integers only (bitwise ops, shifts, umulhi).
inline bool isIntOnly(OpCode code) { return hasTrait(code, optrait::IntOnly); }
/// Arithmetic defined on floating point only (fma, math functions, div_rn, fdiv).
inline bool isFloatOnly(OpCode code) { return hasTrait(code, optrait::FloatOnly); }
/// A math-library function; its mnemonic is the library's base name ("exp2", "div_rn").
inline bool isMathOp(OpCode code) { return hasTrait(code, optrait::Math); }
/// Converts its one operand element by element: cast, bitcast, ptrtoint, inttoptr.
inline bool isCastOp(OpCode code) { return hasTrait(code, optrait::Cast); }
/// Accesses global memory through the pointers of operand 0: load, store, the atomics.
inline bool isMemoryOp(OpCode code) { return hasTrait(code, optrait::Memory); }
/// Must be kept even when its results are unused (stores, atomics, print, assert, barrier,
/// return, while). A volatile load has an effect too, decided by its attribute: see DCE.
inline bool hasEffect(OpCode code) { return hasTrait(code, optrait::HasEffect); }

// ----------------------------------------------------------------------------------------------
// Attributes
// ----------------------------------------------------------------------------------------------

/// An attribute value: an integer, a float, a bool, a string, an integer list or a type.
using AttrValue =
    std::variant<int64_t, double, bool, std::string, std::vector<int64_t>, const Type *>;

struct NamedAttr {
  std::string name;
  AttrValue value;
};

/// A small ordered attribute list; lookups are linear (ops carry few attributes).
class AttrList {
public:
  void set(std::string_view name, AttrValue value);
  const AttrValue *find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  void erase(std::string_view name);

  /// Typed getters: the attribute must exist with that type, else `fallback`.
  int64_t getInt(std::string_view name, int64_t fallback = 0) const;
  double getFloat(std::string_view name, double fallback = 0.0) const;
  bool getBool(std::string_view name, bool fallback = false) const;
  std::string getString(std::string_view name, std::string fallback = "") const;
  std::vector<int64_t> getInts(std::string_view name) const;

  const std::vector<NamedAttr> &entries() const { return attrs_; }
  bool empty() const { return attrs_.empty(); }

  friend bool operator==(const AttrList &, const AttrList &) = default;

private:
  std::vector<NamedAttr> attrs_;
};

// ----------------------------------------------------------------------------------------------
// Values
// ----------------------------------------------------------------------------------------------

/// An SSA value: the result of an operation, or an argument of a block.
class Value {
public:
  const Type *type() const { return type_; }
  void setType(const Type *type) { type_ = type; }

  /// The op that defines this value, or nullptr for a block argument.
  Operation *definingOp() const { return defOp_; }
  /// The block that owns this argument, or nullptr for an op result.
  Block *ownerBlock() const { return ownerBlock_; }
  bool isBlockArgument() const { return ownerBlock_ != nullptr; }
  /// Result number or argument number.
  unsigned index() const { return index_; }

  /// A name hint from the source (e.g. "offs"); the printer uses it to make IR readable.
  const std::string &name() const { return name_; }
  void setName(std::string name) { name_ = std::move(name); }

  /// One entry per operand slot referring to this value (an op may appear twice).
  const std::vector<Operation *> &users() const { return users_; }
  bool hasUses() const { return !users_.empty(); }
  /// Makes every use of this value use `other` instead.
  void replaceAllUsesWith(Value *other);

private:
  friend class Operation;
  friend class Block;
  Value(const Type *type, Operation *def, Block *owner, unsigned index)
      : type_(type), defOp_(def), ownerBlock_(owner), index_(index) {}

  const Type *type_;
  Operation *defOp_;
  Block *ownerBlock_;
  unsigned index_;
  std::string name_;
  std::vector<Operation *> users_;
};

// ----------------------------------------------------------------------------------------------
// Operations
// ----------------------------------------------------------------------------------------------

class Operation {
public:
  /// Creates a detached op; insert it with Block::insert / push_back (or use the Builder).
  static std::unique_ptr<Operation> create(OpCode code, std::vector<Value *> operands,
                                           std::vector<const Type *> resultTypes, AttrList attrs,
                                           SourceLoc loc, unsigned numRegions = 0);
  ~Operation();
  Operation(const Operation &) = delete;
  Operation &operator=(const Operation &) = delete;

  OpCode code() const { return code_; }
  const OpInfo &info() const { return opInfo(code_); }
  std::string_view mnemonic() const { return info().mnemonic; }
  bool hasTrait(unsigned trait) const { return (info().traits & trait) != 0; }
  bool isPure() const { return hasTrait(optrait::Pure); }
  bool isTerminator() const { return hasTrait(optrait::Terminator); }

  SourceLoc loc() const { return loc_; }
  void setLoc(SourceLoc loc) { loc_ = loc; }

  // Operands
  unsigned numOperands() const { return static_cast<unsigned>(operands_.size()); }
  Value *operand(unsigned i) const { return operands_[i]; }
  const std::vector<Value *> &operands() const { return operands_; }
  void setOperand(unsigned i, Value *value);
  void setOperands(std::vector<Value *> values);
  void addOperand(Value *value);

  // Results
  unsigned numResults() const { return static_cast<unsigned>(results_.size()); }
  Value *result(unsigned i = 0) const { return results_[i].get(); }
  std::vector<Value *> results() const;
  /// Appends a result (used when a loop or if gains a carried value).
  Value *addResult(const Type *type);

  // Regions (each one block)
  unsigned numRegions() const { return static_cast<unsigned>(regions_.size()); }
  Block *region(unsigned i) const { return regions_[i].get(); }

  // Attributes
  AttrList &attrs() { return attrs_; }
  const AttrList &attrs() const { return attrs_; }

  /// The block holding this op, and the op owning that block (if any).
  Block *parent() const { return parent_; }
  Operation *parentOp() const;
  Function *function() const;

  /// Detaches this op from its block and destroys it. Its results must be unused.
  void erase();
  /// Moves this op to just before `other` (possibly into another block).
  void moveBefore(Operation *other);
  /// Drops every operand reference (used before destroying a whole tree).
  void dropAllReferences();

  /// Walks this op and every op nested in its regions, pre-order.
  template <typename Fn> void walk(Fn &&fn);

private:
  friend class Block;
  Operation(OpCode code, SourceLoc loc) : code_(code), loc_(loc) {}

  OpCode code_;
  SourceLoc loc_;
  std::vector<Value *> operands_;
  std::vector<std::unique_ptr<Value>> results_;
  std::vector<std::unique_ptr<Block>> regions_;
  AttrList attrs_;
  Block *parent_ = nullptr;
  std::list<std::unique_ptr<Operation>>::iterator self_;
};

// ----------------------------------------------------------------------------------------------
// Blocks
// ----------------------------------------------------------------------------------------------

class Block {
public:
  using OpList = std::list<std::unique_ptr<Operation>>;
  using iterator = OpList::iterator;

  explicit Block(Operation *parentOp = nullptr) : parentOp_(parentOp) {}
  ~Block();
  Block(const Block &) = delete;
  Block &operator=(const Block &) = delete;

  Operation *parentOp() const { return parentOp_; }
  Function *function() const { return function_; }

  // Arguments
  Value *addArgument(const Type *type, std::string name = "");
  unsigned numArguments() const { return static_cast<unsigned>(args_.size()); }
  Value *argument(unsigned i) const { return args_[i].get(); }
  std::vector<Value *> arguments() const;
  /// Removes argument i; it must be unused. Later arguments are renumbered.
  void eraseArgument(unsigned i);

  // Operations
  OpList &ops() { return ops_; }
  const OpList &ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  Operation *front() const { return ops_.front().get(); }
  Operation *back() const { return ops_.back().get(); }
  /// The terminator, or nullptr if the block does not end with one.
  Operation *terminator() const;

  Operation *insert(iterator pos, std::unique_ptr<Operation> op);
  Operation *push_back(std::unique_ptr<Operation> op) { return insert(ops_.end(), std::move(op)); }
  /// Removes and returns an op without destroying it.
  std::unique_ptr<Operation> remove(Operation *op);
  static iterator iteratorOf(Operation *op) { return op->self_; }

  template <typename Fn> void walk(Fn &&fn) {
    for (auto it = ops_.begin(); it != ops_.end();) {
      Operation *op = (it++)->get(); // fn may erase op
      op->walk(fn);
    }
  }

private:
  friend class Operation;
  friend class Function;
  Operation *parentOp_;
  Function *function_ = nullptr; // set for function bodies only
  std::vector<std::unique_ptr<Value>> args_;
  OpList ops_;
};

template <typename Fn> void Operation::walk(Fn &&fn) {
  fn(this);
  for (auto &region : regions_)
    region->walk(fn);
}

// ----------------------------------------------------------------------------------------------
// Functions and modules
// ----------------------------------------------------------------------------------------------

/// What a kernel parameter was declared as, beyond its type.
struct ParamInfo {
  std::string name;
  int64_t divisibility = 1; ///< from `:16` hints (for pointers: of the address in bytes)
  SourceLoc loc;
};

/// A compile-time value of a kernel's constexpr parameter, in its source spelling.
struct ConstexprBinding {
  std::string name;
  std::string value; ///< "1024", "1e-06", "True", "'ieee'", "fp16"
};

/// A kernel. It carries its launch configuration: the inherited numWarps, numStages and
/// numCtas (ir/LaunchConfig.h), which the IR text prints as its attributes.
class Function : public LaunchConfig {
public:
  Function(Module &module, std::string name, SourceLoc loc);

  Module &module() const { return *module_; }
  Context &context() const;
  const std::string &name() const { return name_; }
  SourceLoc loc() const { return loc_; }

  Block *body() const { return body_.get(); }
  std::vector<ParamInfo> &params() { return params_; }
  const std::vector<ParamInfo> &params() const { return params_; }
  /// Adds a parameter: a body argument plus its info.
  Value *addParam(const Type *type, ParamInfo info);

  LaunchConfig &launch() { return *this; }
  const LaunchConfig &launch() const { return *this; }
  std::vector<ConstexprBinding> constexprs;

  /// What a specialized variant (passes/Specialize.h) promises about one parameter.
  enum class Promise : uint8_t { None, Divisible16, EqualsOne };
  /// Set by `specialize` on every variant of a kernel, the generic one included: the kernel's
  /// name (the generic variant keeps it), and one promise per parameter. Empty otherwise. Not
  /// printed in IR text (the variants print as separate kernels).
  std::string variantOf;
  std::vector<Promise> promises;

  template <typename Fn> void walk(Fn &&fn) { body_->walk(fn); }

private:
  Module *module_;
  std::string name_;
  SourceLoc loc_;
  std::unique_ptr<Block> body_;
  std::vector<ParamInfo> params_;
};

/// The two levels of the one IR: Tile IR (no block type carries a layout) and GPU IR (every
/// one does, after `coalesce`). Any: no block type at all, so valid at both levels.
enum class IRLevel { Tile, Gpu, Any };

/// The level of a function, fixed by its first block type in program order (the parameters,
/// then each op's results before the contents of its regions): Gpu if that type carries a
/// layout, Tile if not, Any if there is none. The verifier requires every other block type of
/// the function to agree.
IRLevel irLevel(const Function &function);
/// Gpu if some function is GPU IR, else Tile if some function is Tile IR, else Any.
IRLevel irLevel(const Module &module);

class Module {
public:
  explicit Module(Context &ctx) : ctx_(&ctx) {}
  Context &context() const { return *ctx_; }

  Function *addFunction(std::string name, SourceLoc loc);
  std::vector<std::unique_ptr<Function>> &functions() { return functions_; }
  const std::vector<std::unique_ptr<Function>> &functions() const { return functions_; }
  Function *lookup(std::string_view name) const;

private:
  Context *ctx_;
  std::vector<std::unique_ptr<Function>> functions_;
};

} // namespace tritonc
