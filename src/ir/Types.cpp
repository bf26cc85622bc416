// Type and layout interning, names and printing.
#include "ir/Types.h"

#include <cassert>

namespace tritonc {

namespace {
struct ScalarInfo {
  ScalarKind kind;
  const char *irName;
  const char *tritonName;
  unsigned bits;
};
constexpr ScalarInfo kScalarInfo[] = {
    {ScalarKind::I1, "i1", "i1", 1},        {ScalarKind::I8, "i8", "i8", 8},
    {ScalarKind::I16, "i16", "i16", 16},    {ScalarKind::I32, "i32", "i32", 32},
    {ScalarKind::I64, "i64", "i64", 64},    {ScalarKind::U8, "u8", "u8", 8},
    {ScalarKind::U16, "u16", "u16", 16},    {ScalarKind::U32, "u32", "u32", 32},
    {ScalarKind::U64, "u64", "u64", 64},    {ScalarKind::F8E4NV, "f8e4nv", "fp8e4nv", 8},
    {ScalarKind::F8E5, "f8e5", "fp8e5", 8}, {ScalarKind::F16, "f16", "fp16", 16},
    {ScalarKind::BF16, "bf16", "bf16", 16}, {ScalarKind::F32, "f32", "fp32", 32},
    {ScalarKind::F64, "f64", "fp64", 64},
};
constexpr unsigned kNumScalarKinds = sizeof(kScalarInfo) / sizeof(kScalarInfo[0]);

const ScalarInfo &info(ScalarKind kind) { return kScalarInfo[static_cast<unsigned>(kind)]; }

template <typename T> std::string joinList(const std::vector<T> &values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      out += ", ";
    out += std::to_string(values[i]);
  }
  return out + "]";
}
} // namespace

std::string_view scalarKindName(ScalarKind kind) { return info(kind).irName; }
std::string_view scalarKindTritonName(ScalarKind kind) { return info(kind).tritonName; }
unsigned scalarBitWidth(ScalarKind kind) { return info(kind).bits; }

std::optional<ScalarKind> parseScalarKind(std::string_view name) {
  for (const ScalarInfo &s : kScalarInfo)
    if (name == s.irName || name == s.tritonName)
      return s.kind;
  return std::nullopt;
}

bool isIntegerKind(ScalarKind kind) { return kind <= ScalarKind::U64; }
bool isUnsignedKind(ScalarKind kind) { return kind >= ScalarKind::U8 && kind <= ScalarKind::U64; }
bool isFloatKind(ScalarKind kind) { return kind >= ScalarKind::F8E4NV; }

// ---- Layout

unsigned Layout::rank() const {
  if (kind_ == Kind::Slice)
    return parent_->rank() - 1;
  if (kind_ == Kind::DotOperand)
    return parent_->rank();
  if (kind_ == Kind::Mma)
    return static_cast<unsigned>(warpsPerCTA_.size());
  if (kind_ == Kind::Shared)
    return static_cast<unsigned>(order_.size());
  return static_cast<unsigned>(sizePerThread_.size());
}

std::string Layout::str() const {
  if (kind_ == Kind::Slice)
    return "#slice<dim = " + std::to_string(sliceDim_) + ", parent = " + parent_->str() + ">";
  if (kind_ == Kind::Mma)
    return "#mma<version = " + std::to_string(mmaVersion_) + ", wpc = " + joinList(warpsPerCTA_) +
           ", instr = " + joinList(instrShape_) + ">";
  if (kind_ == Kind::DotOperand)
    return "#dot_op<op = " + std::to_string(opIdx_) + ", parent = " + parent_->str() +
           ", k_width = " + std::to_string(kWidth_) + ">";
  if (kind_ == Kind::Shared)
    return "#shared<order = " + joinList(order_) + (sharedWgmma_ ? ", wgmma>" : ">");
  return "#blocked<spt = " + joinList(sizePerThread_) + ", tpw = " + joinList(threadsPerWarp_) +
         ", wpc = " + joinList(warpsPerCTA_) + ", order = " + joinList(order_) + ">";
}

// ---- Type

int64_t Type::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape_)
    n *= d;
  return n;
}

bool Type::isInt() const {
  const Type *s = scalarType();
  return s->isScalar() && isIntegerKind(s->scalar_);
}
bool Type::isFloat() const {
  const Type *s = scalarType();
  return s->isScalar() && isFloatKind(s->scalar_);
}
bool Type::isUnsigned() const {
  const Type *s = scalarType();
  return s->isScalar() && isUnsignedKind(s->scalar_);
}
bool Type::isBool() const {
  const Type *s = scalarType();
  return s->isScalar() && s->scalar_ == ScalarKind::I1;
}
unsigned Type::bitWidth() const {
  const Type *s = scalarType();
  return s->isPointer() ? 64 : scalarBitWidth(s->scalar_);
}

const Type *Type::withElement(const Type *elem) const {
  if (!isBlock())
    return elem;
  return ctx_->block(elem, shape_, layout_);
}

const Type *Type::withLayout(const Layout *layout) const {
  assert(isBlock() && "only blocks carry layouts");
  return ctx_->block(element_, shape_, layout);
}

std::string Type::str() const {
  switch (kind_) {
  case Kind::Scalar:
    return std::string(scalarKindName(scalar_));
  case Kind::Pointer:
    if (addressSpace_ == 1)
      return "ptr<" + pointee_->str() + ">";
    return "ptr<" + pointee_->str() + ", " + std::to_string(addressSpace_) + ">";
  case Kind::Block: {
    std::string out = "tensor<";
    for (int64_t d : shape_)
      out += std::to_string(d) + "x";
    out += element_->str();
    if (layout_)
      out += ", " + layout_->str();
    return out + ">";
  }
  }
  return "?";
}

// ---- Context

Context::Context() {
  for (unsigned i = 0; i < kNumScalarKinds; ++i) {
    auto t = std::make_unique<Type>();
    t->ctx_ = this;
    t->kind_ = Type::Kind::Scalar;
    t->scalar_ = static_cast<ScalarKind>(i);
    scalars_.push_back(intern(std::move(t)));
  }
}

/// The one object of `table` that prints like `obj` (types and layouts are keyed by their
/// printed form): `obj` itself, kept, the first time.
template <typename T>
static const T *internByStr(std::map<std::string, std::unique_ptr<T>> &table,
                            std::unique_ptr<T> obj) {
  std::string key = obj->str();
  auto it = table.find(key);
  if (it != table.end())
    return it->second.get();
  const T *raw = obj.get();
  table.emplace(std::move(key), std::move(obj));
  return raw;
}

const Type *Context::intern(std::unique_ptr<Type> type) {
  return internByStr(types_, std::move(type));
}

const Type *Context::pointer(const Type *pointee, unsigned addressSpace) {
  assert(!pointee->isBlock() && "pointers point to scalars or pointers");
  auto t = std::make_unique<Type>();
  t->ctx_ = this;
  t->kind_ = Type::Kind::Pointer;
  t->pointee_ = pointee;
  t->addressSpace_ = addressSpace;
  return intern(std::move(t));
}

const Type *Context::block(const Type *element, std::vector<int64_t> shape, const Layout *layout) {
  assert(!element->isBlock() && "blocks hold scalars or pointers");
  auto t = std::make_unique<Type>();
  t->ctx_ = this;
  t->kind_ = Type::Kind::Block;
  t->element_ = element;
  t->shape_ = std::move(shape);
  t->layout_ = layout;
  return intern(std::move(t));
}

const Layout *Context::blocked(std::vector<unsigned> sizePerThread,
                               std::vector<unsigned> threadsPerWarp,
                               std::vector<unsigned> warpsPerCTA, std::vector<unsigned> order) {
  auto l = std::make_unique<Layout>();
  l->kind_ = Layout::Kind::Blocked;
  l->sizePerThread_ = std::move(sizePerThread);
  l->threadsPerWarp_ = std::move(threadsPerWarp);
  l->warpsPerCTA_ = std::move(warpsPerCTA);
  l->order_ = std::move(order);
  return internLayout(std::move(l));
}

const Layout *Context::slice(unsigned dim, const Layout *parent) {
  auto l = std::make_unique<Layout>();
  l->kind_ = Layout::Kind::Slice;
  l->sliceDim_ = dim;
  l->parent_ = parent;
  return internLayout(std::move(l));
}

const Layout *Context::mma(unsigned version, std::vector<unsigned> warpsPerCTA,
                           std::vector<unsigned> instrShape) {
  auto l = std::make_unique<Layout>();
  l->kind_ = Layout::Kind::Mma;
  l->mmaVersion_ = version;
  l->warpsPerCTA_ = std::move(warpsPerCTA);
  l->instrShape_ = std::move(instrShape);
  return internLayout(std::move(l));
}

const Layout *Context::dotOperand(unsigned opIdx, const Layout *parent, unsigned kWidth) {
  auto l = std::make_unique<Layout>();
  l->kind_ = Layout::Kind::DotOperand;
  l->opIdx_ = opIdx;
  l->parent_ = parent;
  l->kWidth_ = kWidth;
  return internLayout(std::move(l));
}

const Layout *Context::shared(std::vector<unsigned> order, bool wgmma) {
  auto l = std::make_unique<Layout>();
  l->kind_ = Layout::Kind::Shared;
  l->order_ = std::move(order);
  l->sharedWgmma_ = wgmma;
  return internLayout(std::move(l));
}

const Layout *Context::internLayout(std::unique_ptr<Layout> l) {
  return internByStr(layouts_, std::move(l));
}

} // namespace tritonc
