// The IR object model: op table lookups, use lists, insertion and erasure.
#include "ir/IR.h"

#include <algorithm>
#include <cassert>

namespace tritonc {

// ---- op table

namespace {
constexpr int VARIADIC = kVariadic;
using namespace optrait;
constexpr OpInfo kOpInfos[] = {
#define OP(Enum, Mnemonic, NumOperands, NumResults, NumRegions, Traits)                            \
  {OpCode::Enum, Mnemonic, NumOperands, NumResults, NumRegions, Traits},
#include "ir/Ops.def"
};
} // namespace

const OpInfo &opInfo(OpCode code) { return kOpInfos[static_cast<unsigned>(code)]; }
size_t numOpCodes() { return sizeof(kOpInfos) / sizeof(kOpInfos[0]); }

const OpInfo *findOp(std::string_view mnemonic) {
  for (const OpInfo &info : kOpInfos)
    if (info.mnemonic == mnemonic)
      return &info;
  return nullptr;
}

// ---- IR level

namespace {
const Type *firstBlockType(const Block &b) {
  for (unsigned i = 0; i < b.numArguments(); ++i)
    if (b.argument(i)->type() && b.argument(i)->type()->isBlock())
      return b.argument(i)->type();
  for (const auto &op : b.ops()) {
    for (unsigned i = 0; i < op->numResults(); ++i)
      if (op->result(i)->type() && op->result(i)->type()->isBlock())
        return op->result(i)->type();
    for (unsigned r = 0; r < op->numRegions(); ++r)
      if (const Type *t = firstBlockType(*op->region(r)))
        return t;
  }
  return nullptr;
}
} // namespace

IRLevel irLevel(const Function &function) {
  const Type *t = firstBlockType(*function.body());
  if (!t)
    return IRLevel::Any;
  return t->layout() ? IRLevel::Gpu : IRLevel::Tile;
}

IRLevel irLevel(const Module &module) {
  IRLevel level = IRLevel::Any;
  for (const auto &f : module.functions()) {
    IRLevel l = irLevel(*f);
    if (l == IRLevel::Gpu)
      return l;
    if (l == IRLevel::Tile)
      level = l;
  }
  return level;
}

// ---- attributes

void AttrList::set(std::string_view name, AttrValue value) {
  for (NamedAttr &a : attrs_)
    if (a.name == name) {
      a.value = std::move(value);
      return;
    }
  attrs_.push_back(NamedAttr{std::string(name), std::move(value)});
}

const AttrValue *AttrList::find(std::string_view name) const {
  for (const NamedAttr &a : attrs_)
    if (a.name == name)
      return &a.value;
  return nullptr;
}

void AttrList::erase(std::string_view name) {
  std::erase_if(attrs_, [&](const NamedAttr &a) { return a.name == name; });
}

int64_t AttrList::getInt(std::string_view name, int64_t fallback) const {
  const AttrValue *v = find(name);
  if (v && std::holds_alternative<int64_t>(*v))
    return std::get<int64_t>(*v);
  if (v && std::holds_alternative<bool>(*v))
    return std::get<bool>(*v) ? 1 : 0;
  return fallback;
}

double AttrList::getFloat(std::string_view name, double fallback) const {
  const AttrValue *v = find(name);
  if (v && std::holds_alternative<double>(*v))
    return std::get<double>(*v);
  if (v && std::holds_alternative<int64_t>(*v))
    return static_cast<double>(std::get<int64_t>(*v));
  return fallback;
}

bool AttrList::getBool(std::string_view name, bool fallback) const {
  const AttrValue *v = find(name);
  if (v && std::holds_alternative<bool>(*v))
    return std::get<bool>(*v);
  if (v && std::holds_alternative<int64_t>(*v))
    return std::get<int64_t>(*v) != 0;
  return fallback;
}

std::string AttrList::getString(std::string_view name, std::string fallback) const {
  const AttrValue *v = find(name);
  if (v && std::holds_alternative<std::string>(*v))
    return std::get<std::string>(*v);
  return fallback;
}

std::vector<int64_t> AttrList::getInts(std::string_view name) const {
  const AttrValue *v = find(name);
  if (v && std::holds_alternative<std::vector<int64_t>>(*v))
    return std::get<std::vector<int64_t>>(*v);
  return {};
}

// ---- values

void Value::replaceAllUsesWith(Value *other) {
  if (other == this)
    return;
  // Copy: setOperand edits users_.
  std::vector<Operation *> users = users_;
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  for (Operation *user : users)
    for (unsigned i = 0; i < user->numOperands(); ++i)
      if (user->operand(i) == this)
        user->setOperand(i, other);
}

namespace {
void removeUse(Value *value, Operation *user) {
  auto &users = const_cast<std::vector<Operation *> &>(value->users());
  auto it = std::find(users.begin(), users.end(), user);
  assert(it != users.end() && "use list out of sync");
  users.erase(it);
}
void addUse(Value *value, Operation *user) {
  const_cast<std::vector<Operation *> &>(value->users()).push_back(user);
}
} // namespace

// ---- operations

std::unique_ptr<Operation> Operation::create(OpCode code, std::vector<Value *> operands,
                                             std::vector<const Type *> resultTypes, AttrList attrs,
                                             SourceLoc loc, unsigned numRegions) {
  std::unique_ptr<Operation> op(new Operation(code, loc));
  for (Value *v : operands) {
    assert(v && "null operand");
    addUse(v, op.get());
  }
  op->operands_ = std::move(operands);
  for (unsigned i = 0; i < resultTypes.size(); ++i)
    op->results_.emplace_back(new Value(resultTypes[i], op.get(), nullptr, i));
  op->attrs_ = std::move(attrs);
  for (unsigned i = 0; i < numRegions; ++i)
    op->regions_.push_back(std::make_unique<Block>(op.get()));
  return op;
}

Operation::~Operation() {
  // Regions go first: their ops may use this op's operands but never its results.
  regions_.clear();
  for (Value *v : operands_)
    removeUse(v, this);
}

void Operation::setOperand(unsigned i, Value *value) {
  removeUse(operands_[i], this);
  operands_[i] = value;
  addUse(value, this);
}

void Operation::setOperands(std::vector<Value *> values) {
  for (Value *v : operands_)
    removeUse(v, this);
  operands_ = std::move(values);
  for (Value *v : operands_)
    addUse(v, this);
}

void Operation::addOperand(Value *value) {
  operands_.push_back(value);
  addUse(value, this);
}

std::vector<Value *> Operation::results() const {
  std::vector<Value *> out;
  for (auto &r : results_)
    out.push_back(r.get());
  return out;
}

Value *Operation::addResult(const Type *type) {
  results_.emplace_back(new Value(type, this, nullptr, numResults()));
  return results_.back().get();
}

Operation *Operation::parentOp() const { return parent_ ? parent_->parentOp() : nullptr; }

Function *Operation::function() const {
  const Block *b = parent_;
  while (b && b->parentOp())
    b = b->parentOp()->parent();
  return b ? b->function() : nullptr;
}

void Operation::erase() {
  assert(parent_ && "erasing a detached op");
  for (auto &r : results_)
    assert(!r->hasUses() && "erasing an op whose results are still used");
  std::unique_ptr<Operation> self = parent_->remove(this);
  // `self` goes out of scope here and destroys the op.
}

void Operation::moveBefore(Operation *other) {
  std::unique_ptr<Operation> self = parent_->remove(this);
  other->parent_->insert(other->self_, std::move(self));
}

void Operation::dropAllReferences() {
  for (auto &region : regions_)
    for (auto &op : region->ops())
      op->dropAllReferences();
  for (Value *v : operands_)
    removeUse(v, this);
  operands_.clear();
}

// ---- blocks

Block::~Block() {
  // Ops may use values defined earlier in the block (or in enclosing blocks): drop every
  // reference first so destruction order does not matter.
  for (auto &op : ops_)
    op->dropAllReferences();
  ops_.clear();
}

Value *Block::addArgument(const Type *type, std::string name) {
  args_.emplace_back(new Value(type, nullptr, this, numArguments()));
  args_.back()->setName(std::move(name));
  return args_.back().get();
}

std::vector<Value *> Block::arguments() const {
  std::vector<Value *> out;
  for (auto &a : args_)
    out.push_back(a.get());
  return out;
}

void Block::eraseArgument(unsigned i) {
  assert(!args_[i]->hasUses() && "erasing a used block argument");
  args_.erase(args_.begin() + i);
  for (unsigned j = i; j < args_.size(); ++j)
    args_[j]->index_ = j;
}

Operation *Block::terminator() const {
  if (ops_.empty() || !ops_.back()->isTerminator())
    return nullptr;
  return ops_.back().get();
}

Operation *Block::insert(iterator pos, std::unique_ptr<Operation> op) {
  Operation *raw = op.get();
  raw->parent_ = this;
  raw->self_ = ops_.insert(pos, std::move(op));
  return raw;
}

std::unique_ptr<Operation> Block::remove(Operation *op) {
  assert(op->parent_ == this);
  std::unique_ptr<Operation> owned = std::move(*op->self_);
  ops_.erase(op->self_);
  owned->parent_ = nullptr;
  return owned;
}

// ---- functions and modules

Function::Function(Module &module, std::string name, SourceLoc loc)
    : module_(&module), name_(std::move(name)), loc_(loc), body_(std::make_unique<Block>()) {
  body_->function_ = this;
}

Context &Function::context() const { return module_->context(); }

Value *Function::addParam(const Type *type, ParamInfo info) {
  Value *arg = body_->addArgument(type, info.name);
  params_.push_back(std::move(info));
  return arg;
}

Function *Module::addFunction(std::string name, SourceLoc loc) {
  functions_.push_back(std::make_unique<Function>(*this, std::move(name), loc));
  return functions_.back().get();
}

Function *Module::lookup(std::string_view name) const {
  for (auto &f : functions_)
    if (f->name() == name)
      return f.get();
  return nullptr;
}

} // namespace tritonc
