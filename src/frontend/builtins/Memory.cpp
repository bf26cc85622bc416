// Memory builtins: tl.load and tl.store (pointers, masks, cache and eviction hints), block
// pointers (tl.make_block_ptr, tl.advance) and tensor descriptors (tl.make_tensor_descriptor,
// desc.load, desc.store). Block pointers are lowered right here to blocks of pointers and masks,
// with the semantics of Triton's RewriteTensorPointer pass.
#include "frontend/builtins/Builtins.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tritonc::sema {

using K = SVal::Kind;

// ------------------------------------------------------------------------------------------------
// Block pointers: lowered right here to blocks of pointers and masks, with the semantics of
// Triton's RewriteTensorPointer pass (offsets in i64; boundary_check dims give the mask)
// ------------------------------------------------------------------------------------------------

namespace {

/// The scalars of a shape / strides / offsets argument, each cast to `kind`.
std::vector<Value *> scalarList(Lowerer &L, CallArgs &a, std::string_view param, ScalarKind kind) {
  const SVal &v = a[param];
  std::vector<SVal> elems = v.isTuple() ? v.elems() : std::vector<SVal>{v};
  std::vector<Value *> out;
  for (const SVal &e : elems) {
    Value *t = L.toTensor(e, a.range(param), what(a, param));
    if (t->type()->isBlock() || !t->type()->isInt())
      L.error(a.range(param), std::string(a.def->display) + ": every element of '" +
                                  std::string(param) + "' must be an integer scalar, got " +
                                  L.describe(e));
    out.push_back(L.cast(t, L.scalar(kind), a.range(param)));
  }
  return out;
}

std::vector<int64_t> constList(Lowerer &L, CallArgs &a, std::string_view param) {
  const SVal &v = a[param];
  if (!v.isTuple())
    return {L.requireInt(v, a.range(param), what(a, param))};
  return L.requireIntList(v, a.range(param), what(a, param));
}

/// The pointers and the boundary mask (nullptr when no dim is checked) of a block pointer.
std::pair<Value *, Value *> blockPtrAddresses(Lowerer &L, const BlockPtrInfo &bp,
                                              const std::vector<int64_t> &checkDims,
                                              SourceRange where) {
  using B = ast::BinaryOp;
  const std::vector<int64_t> &bs = bp.blockShape;
  int rank = static_cast<int>(bs.size());
  const Type *i64 = L.scalar(ScalarKind::I64);
  SVal offsets, mask;
  for (int d = 0; d < rank; ++d) {
    AttrList attrs;
    attrs.set("start", int64_t(0));
    attrs.set("end", bs[d]);
    Value *range = L.emit(OpCode::MakeRange, {}, L.ctx().block(L.scalar(ScalarKind::I32), {bs[d]}),
                          std::move(attrs));
    // Two emitting calls, sequenced: as arguments of one call their order would be the C++
    // compiler's choice, and so would the IR.
    Value *range64 = L.cast(range, i64, where);
    Value *offset64 = L.cast(bp.offsets[d], i64, where);
    Value *idx = L.binaryArith(B::Add, SVal::tensor(offset64), SVal::tensor(range64), where);
    for (int e = 0; e < rank; ++e)
      if (e != d)
        idx = L.expandDims(idx, e, where);
    Value *term = L.binaryArith(B::Mul, SVal::tensor(idx), SVal::tensor(bp.strides[d]), where);
    offsets = offsets.isNone() ? SVal::tensor(term)
                               : L.evalBinary(B::Add, offsets, SVal::tensor(term), where);
    if (std::find(checkDims.begin(), checkDims.end(), d) != checkDims.end()) {
      Value *lo = L.compare(ast::CmpOp::Ge, SVal::tensor(idx), SVal::integer(0), where);
      Value *hi = L.compare(ast::CmpOp::Lt, SVal::tensor(idx), SVal::tensor(bp.shape[d]), where);
      SVal in = SVal::tensor(L.binaryArith(B::BitAnd, SVal::tensor(lo), SVal::tensor(hi), where));
      mask = mask.isNone() ? in : SVal::tensor(L.binaryArith(B::BitAnd, mask, in, where));
    }
  }
  Value *off = L.broadcastTo(offsets.value(), bs, where, "a block pointer");
  Value *ptrs = L.addptr(L.splat(bp.base, bs), off, where);
  Value *m = mask.isNone() ? nullptr : L.broadcastTo(mask.value(), bs, where, "a block pointer");
  return {ptrs, m};
}

std::vector<int64_t> boundaryCheck(Lowerer &L, CallArgs &a, size_t rank) {
  if (!a.has("boundary_check"))
    return {};
  std::vector<int64_t> dims = constList(L, a, "boundary_check");
  for (int64_t d : dims)
    if (d < 0 || d >= static_cast<int64_t>(rank))
      L.error(a.range("boundary_check"), "boundary_check dimension " + std::to_string(d) +
                                             " is out of range for a block of rank " +
                                             std::to_string(rank));
  return dims;
}

void setSlot(CallArgs &a, std::string_view param, std::optional<SVal> v) {
  a.slots[static_cast<size_t>(a.index(param))] = std::move(v);
}

} // namespace

SVal builtinMakeBlockPtr(Lowerer &L, CallArgs &a) {
  Value *base = tensorArg(L, a, "base");
  if (base->type()->isBlock() || !base->type()->isPointer())
    L.error(a.range("base"),
            "tl.make_block_ptr: expected `base` to be a pointer, got " + L.describe(a["base"]));
  if (base->type()->pointee()->isBool())
    base = L.cast(base, L.ctx().pointer(L.scalar(ScalarKind::I8), base->type()->addressSpace()),
                  a.range("base"));
  BlockPtrInfo bp;
  bp.base = base;
  bp.shape = scalarList(L, a, "shape", ScalarKind::I64);
  bp.strides = scalarList(L, a, "strides", ScalarKind::I64);
  bp.offsets = scalarList(L, a, "offsets", ScalarKind::I32);
  bp.blockShape = constList(L, a, "block_shape");
  bp.order = constList(L, a, "order");
  size_t n = bp.blockShape.size();
  if (bp.shape.size() != n || bp.strides.size() != n || bp.offsets.size() != n ||
      bp.order.size() != n)
    L.error(a.callRange, "tl.make_block_ptr: expected shape/strides/offsets/block_shape/order to "
                         "have the same length");
  std::vector<int64_t> sorted = bp.order;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int64_t> identity(n);
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity)
    L.error(a.range("order"), "tl.make_block_ptr: order must be a permutation of " +
                                  Lowerer::shapeStr(identity) + ", got " +
                                  Lowerer::shapeStr(bp.order));
  L.blockType(base->type()->pointee(), bp.blockShape, a.range("block_shape"));
  return SVal::blockPtr(std::move(bp));
}

SVal builtinAdvance(Lowerer &L, CallArgs &a) {
  if (!a["base"].is(K::BlockPtr) || a["base"].blockPtrInfo().descriptor)
    L.error(a.range("base"), "tl.advance needs a block pointer, got " + L.describe(a["base"]));
  BlockPtrInfo bp = a["base"].blockPtrInfo();
  std::vector<Value *> deltas = scalarList(L, a, "offsets", ScalarKind::I32);
  if (deltas.size() != bp.offsets.size())
    L.error(a.range("offsets"), "tl.advance: expected " + std::to_string(bp.offsets.size()) +
                                    " offsets, got " + std::to_string(deltas.size()));
  for (size_t i = 0; i < deltas.size(); ++i)
    bp.offsets[i] = L.binaryArith(ast::BinaryOp::Add, SVal::tensor(bp.offsets[i]),
                                  SVal::tensor(deltas[i]), a.callRange);
  return SVal::blockPtr(std::move(bp));
}

/// tl.load through a block pointer: rewrites the call's arguments into a plain masked load
/// (pointer block, boundary mask, padding as `other`) that tl.load then lowers.
static void blockPtrLoadArgs(Lowerer &L, CallArgs &a) {
  if (a["pointer"].blockPtrInfo().descriptor)
    L.error(a.range("pointer"), "tl.load cannot load from a tensor descriptor; use desc.load");
  if (a.has("mask") || a.has("other"))
    L.error(a.has("mask") ? a.range("mask") : a.range("other"),
            "`mask` and `other` arguments cannot be specified for loading block pointers");
  const BlockPtrInfo bp = a["pointer"].blockPtrInfo(); // a copy: the slot is replaced below
  std::vector<int64_t> dims = boundaryCheck(L, a, bp.blockShape.size());
  std::string padding = stringArg(L, a, "padding_option", "");
  if (padding != "" && padding != "zero" && padding != "nan")
    L.error(a.range("padding_option"),
            "padding option '" + padding + "' is not supported (use \"zero\" or \"nan\")");
  const Type *elem = bp.base->type()->pointee();
  if (padding == "nan" && !elem->isFloat())
    L.error(a.range("padding_option"),
            "padding option `nan` is not supported for integer block pointers");
  auto [ptrs, mask] = blockPtrAddresses(L, bp, dims, a.callRange);
  setSlot(a, "pointer", SVal::tensor(ptrs));
  setSlot(a, "boundary_check", std::nullopt);
  setSlot(a, "padding_option", std::nullopt);
  if (mask) {
    setSlot(a, "mask", SVal::tensor(mask));
    if (padding == "zero")
      setSlot(a, "other", SVal::integer(0));
    else if (padding == "nan")
      setSlot(a, "other", SVal::floating(std::nan("")));
  }
}

/// tl.store through a block pointer, likewise.
static void blockPtrStoreArgs(Lowerer &L, CallArgs &a) {
  if (a["pointer"].blockPtrInfo().descriptor)
    L.error(a.range("pointer"), "tl.store cannot store to a tensor descriptor; use desc.store");
  if (a.has("mask"))
    L.error(a.range("mask"), "`mask` argument cannot be specified for storing block pointers");
  const BlockPtrInfo bp = a["pointer"].blockPtrInfo(); // a copy: the slot is replaced below
  std::vector<int64_t> dims = boundaryCheck(L, a, bp.blockShape.size());
  Value *val = tensorArg(L, a, "value");
  if (val->type()->isBlock() && val->type()->shape() != bp.blockShape)
    L.error(a.range("value"), "block shape " + Lowerer::shapeStr(bp.blockShape) +
                                  " and value shape " + Lowerer::shapeStr(val->type()->shape()) +
                                  " mismatch");
  auto [ptrs, mask] = blockPtrAddresses(L, bp, dims, a.callRange);
  setSlot(a, "pointer", SVal::tensor(ptrs));
  setSlot(a, "boundary_check", std::nullopt);
  if (mask)
    setSlot(a, "mask", SVal::tensor(mask));
}

// ---- tensor descriptors: row-major block pointers whose accesses check every dimension and
// read zero out of bounds (the TMA behaviour Triton's descriptors have).

SVal builtinMakeTensorDescriptor(Lowerer &L, CallArgs &a) {
  Value *base = tensorArg(L, a, "base");
  if (base->type()->isBlock() || !base->type()->isPointer())
    L.error(a.range("base"), "tl.make_tensor_descriptor: expected `base` to be a pointer, got " +
                                 L.describe(a["base"]));
  const Type *elem = base->type()->pointee();
  if (!elem->isScalar() || elem->isBool())
    L.error(a.range("base"),
            "tl.make_tensor_descriptor: unsupported element type " + Lowerer::typeStr(elem));
  BlockPtrInfo bp;
  bp.descriptor = true;
  bp.base = base;
  bp.shape = scalarList(L, a, "shape", ScalarKind::I64);
  bp.blockShape = constList(L, a, "block_shape");
  size_t n = bp.shape.size();
  if (n < 1 || n > 5)
    L.error(a.range("shape"), "tl.make_tensor_descriptor: expected 1 <= ndim <= 5 but got " +
                                  std::to_string(n) + " dimensions");
  const SVal &strides = a["strides"];
  std::vector<SVal> strideElems = strides.isTuple() ? strides.elems() : std::vector<SVal>{strides};
  if (strideElems.size() != n)
    L.error(a.range("strides"), "tl.make_tensor_descriptor: expected " + std::to_string(n) +
                                    " strides but got " + std::to_string(strideElems.size()));
  if (bp.blockShape.size() != n)
    L.error(a.range("block_shape"), "tl.make_tensor_descriptor: expected block_shape to have " +
                                        std::to_string(n) + " dimensions but got " +
                                        std::to_string(bp.blockShape.size()));
  const SVal &last = strideElems.back();
  if (!(last.is(K::Int) || last.is(K::Bool)) || last.intValue() != 1)
    L.error(a.range("strides"),
            "tl.make_tensor_descriptor: the last dimension must be contiguous (stride 1), got " +
                L.describe(last));
  bp.strides = scalarList(L, a, "strides", ScalarKind::I64);
  int64_t bytes = bp.blockShape.back() * std::max<int64_t>(1, elem->bitWidth() / 8);
  if (bytes < 16)
    L.error(a.range("block_shape"), "tl.make_tensor_descriptor: the block must have at least 16 "
                                    "bytes in the last dimension, got " +
                                        std::to_string(bytes));
  std::string padding = stringArg(L, a, "padding_option", "zero");
  if (padding != "zero" && padding != "nan")
    L.error(a.range("padding_option"),
            "padding option '" + padding + "' is not supported (use \"zero\" or \"nan\")");
  if (padding == "nan" && !elem->isFloat())
    L.error(a.range("padding_option"),
            "padding option `nan` is not supported for integer tensor descriptors");
  L.blockType(elem, bp.blockShape, a.range("block_shape"));
  for (size_t i = 0; i < n; ++i) {
    bp.offsets.push_back(L.intConst(0, L.scalar(ScalarKind::I32)));
    bp.order.push_back(static_cast<int64_t>(n - 1 - i));
  }
  bp.nanPadding = padding == "nan";
  return SVal::blockPtr(std::move(bp));
}

namespace {

BlockPtrInfo descriptorAt(Lowerer &L, CallArgs &a) {
  BlockPtrInfo bp = a["self"].blockPtrInfo();
  bp.offsets = scalarList(L, a, "offsets", ScalarKind::I32);
  if (bp.offsets.size() != bp.blockShape.size())
    L.error(a.range("offsets"), std::string(a.def->display) + ": expected " +
                                    std::to_string(bp.blockShape.size()) + " offsets, got " +
                                    std::to_string(bp.offsets.size()));
  return bp;
}

std::vector<int64_t> allDims(size_t n) {
  std::vector<int64_t> d;
  for (size_t i = 0; i < n; ++i)
    d.push_back(static_cast<int64_t>(i));
  return d;
}

} // namespace

SVal builtinDescLoad(Lowerer &L, CallArgs &a) {
  BlockPtrInfo bp = descriptorAt(L, a);
  bool nanPad = bp.nanPadding;
  auto [ptrs, mask] = blockPtrAddresses(L, bp, allDims(bp.blockShape.size()), a.callRange);
  const Type *resTy = L.withElement(ptrs->type(), bp.base->type()->pointee());
  Value *other = nanPad             ? L.floatConst(std::nan(""), resTy)
                 : resTy->isFloat() ? L.floatConst(0.0, resTy)
                                    : L.intConst(0, resTy);
  return SVal::tensor(L.emit(OpCode::Load, {ptrs, mask, other}, resTy));
}

SVal builtinDescStore(Lowerer &L, CallArgs &a) {
  BlockPtrInfo bp = descriptorAt(L, a);
  Value *val = tensorArg(L, a, "value");
  if (val->type()->isBlock() && val->type()->shape() != bp.blockShape)
    L.error(a.range("value"), "block shape " + Lowerer::shapeStr(bp.blockShape) +
                                  " and value shape " + Lowerer::shapeStr(val->type()->shape()) +
                                  " mismatch");
  auto [ptrs, mask] = blockPtrAddresses(L, bp, allDims(bp.blockShape.size()), a.callRange);
  val = L.broadcastTo(L.cast(val, bp.base->type()->pointee(), a.range("value")), bp.blockShape,
                      a.range("value"), "tensor_descriptor.store");
  L.emitOp(OpCode::Store, {ptrs, val, mask}, {});
  return SVal::none();
}

// ------------------------------------------------------------------------------------------------
// Loads and stores
// ------------------------------------------------------------------------------------------------

SVal builtinLoad(Lowerer &L, CallArgs &a) {
  if (a["pointer"].is(K::BlockPtr))
    blockPtrLoadArgs(L, a); // now a plain masked load
  Value *ptr = tensorArg(L, a, "pointer");
  if (!ptr->type()->isPointerLike())
    L.error(a.range("pointer"),
            "tl.load needs a pointer or a block of pointers, got " + Lowerer::typeStr(ptr->type()));
  std::string cache = stringArg(L, a, "cache_modifier");
  if (cache != "" && cache != ".ca" && cache != ".cg" && cache != ".cv")
    L.error(a.range("cache_modifier"),
            "cache modifier '" + cache + "' is not supported by tl.load (use .ca, .cg or .cv)");
  std::string evict = stringArg(L, a, "eviction_policy");
  if (evict != "" && evict != "evict_first" && evict != "evict_last" && evict != "evict_normal")
    L.error(a.range("eviction_policy"), "eviction policy '" + evict + "' is not supported");
  bool isVolatile = boolArg(L, a, "volatile", false);
  if (a.has("boundary_check") &&
      !(a["boundary_check"].isTuple() && a["boundary_check"].elems().empty()))
    L.error(a.range("boundary_check"),
            "boundary_check is only supported when loading through a block pointer "
            "(tl.make_block_ptr)");
  if (!stringArg(L, a, "padding_option").empty())
    L.error(a.range("padding_option"),
            "padding_option is only supported when loading through a block pointer "
            "(tl.make_block_ptr)");
  Value *mask = a.has("mask") ? tensorArg(L, a, "mask") : nullptr;
  if (a.has("other") && !mask)
    L.error(a.range("other"), "tl.load: 'other' cannot be given without 'mask'");
  if (!ptr->type()->isBlock()) {
    if (mask && mask->type()->isBlock())
      L.error(a.range("mask"), "the mask cannot be a block when the pointer is a scalar");
    if (a.has("other") && a["other"].isTensor() && a["other"].type()->isBlock())
      L.error(a.range("other"), "'other' cannot be a block when the pointer is a scalar");
  }
  // The pointer, mask and other broadcast to one shape.
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  if (mask)
    shape = L.broadcastShapes(shape, Lowerer::shapeOf(mask->type()), a.range("mask"), "tl.load");
  if (a.has("other") && a["other"].isTensor())
    shape =
        L.broadcastShapes(shape, Lowerer::shapeOf(a["other"].type()), a.range("other"), "tl.load");
  ptr = L.broadcastTo(ptr, shape, a.range("pointer"), "tl.load");
  const Type *elem = ptr->type()->scalarType()->pointee();
  bool isBool = elem->isBool();
  if (isBool) {
    // Memory holds bools as bytes.
    elem = L.scalar(ScalarKind::I8);
    ptr = L.cast(ptr, L.ctx().pointer(elem, ptr->type()->scalarType()->addressSpace()),
                 a.range("pointer"));
  }
  std::vector<Value *> operands{ptr};
  if (mask) {
    if (!mask->type()->isBool())
      L.error(a.range("mask"),
              "the mask of tl.load must be a boolean (i1), got " + Lowerer::typeStr(mask->type()));
    operands.push_back(L.broadcastTo(mask, shape, a.range("mask"), "tl.load"));
    if (a.has("other")) {
      const SVal &o = a["other"];
      Value *other;
      if (o.isNumber())
        other = L.constant(o, L.withElement(ptr->type(), elem), a.range("other"));
      else
        other = L.broadcastTo(L.cast(tensorArg(L, a, "other"), elem, a.range("other")), shape,
                              a.range("other"), "tl.load");
      operands.push_back(other);
    }
  }
  AttrList attrs;
  if (!cache.empty())
    attrs.set("cache", cache);
  if (!evict.empty())
    attrs.set("evict", evict);
  if (isVolatile)
    attrs.set("volatile", true);
  Value *r = L.emit(OpCode::Load, operands, L.withElement(ptr->type(), elem), std::move(attrs));
  if (isBool)
    r = L.cast(r, L.scalar(ScalarKind::I1), a.callRange);
  return SVal::tensor(r);
}

SVal builtinStore(Lowerer &L, CallArgs &a) {
  if (a["pointer"].is(K::BlockPtr))
    blockPtrStoreArgs(L, a); // now a plain masked store
  Value *ptr = tensorArg(L, a, "pointer");
  if (!ptr->type()->isPointerLike())
    L.error(a.range("pointer"), "tl.store needs a pointer or a block of pointers, got " +
                                    Lowerer::typeStr(ptr->type()));
  std::string cache = stringArg(L, a, "cache_modifier");
  if (cache != "" && cache != ".wb" && cache != ".cg" && cache != ".cs" && cache != ".wt")
    L.error(a.range("cache_modifier"), "cache modifier '" + cache +
                                           "' is not supported by tl.store (use .wb, .cg, .cs "
                                           "or .wt)");
  std::string evict = stringArg(L, a, "eviction_policy");
  if (evict != "" && evict != "evict_first" && evict != "evict_last" && evict != "evict_normal")
    L.error(a.range("eviction_policy"), "eviction policy '" + evict + "' is not supported");
  if (a.has("boundary_check") &&
      !(a["boundary_check"].isTuple() && a["boundary_check"].elems().empty()))
    L.error(a.range("boundary_check"),
            "boundary_check is only supported when storing through a block pointer "
            "(tl.make_block_ptr)");
  Value *val = tensorArg(L, a, "value");
  Value *mask = a.has("mask") ? tensorArg(L, a, "mask") : nullptr;
  std::vector<int64_t> shape = Lowerer::shapeOf(ptr->type());
  if (!ptr->type()->isBlock()) {
    if (val->type()->isBlock())
      L.error(a.range("value"), "cannot store a block of shape " +
                                    Lowerer::shapeStr(val->type()->shape()) +
                                    " through a scalar pointer");
    if (mask && mask->type()->isBlock())
      L.error(a.range("mask"), "the mask cannot be a block when the pointer is a scalar");
  }
  val = L.broadcastTo(val, shape, a.range("value"), "tl.store");
  const Type *elem = ptr->type()->scalarType()->pointee();
  if (elem->isBool()) {
    elem = L.scalar(ScalarKind::I8);
    ptr = L.cast(ptr, L.ctx().pointer(elem, ptr->type()->scalarType()->addressSpace()),
                 a.range("pointer"));
  }
  val = L.cast(val, elem, a.range("value"));
  std::vector<Value *> operands{ptr, val};
  if (mask) {
    if (!mask->type()->isBool())
      L.error(a.range("mask"),
              "the mask of tl.store must be a boolean (i1), got " + Lowerer::typeStr(mask->type()));
    operands.push_back(L.broadcastTo(mask, shape, a.range("mask"), "tl.store"));
  }
  AttrList attrs;
  if (!cache.empty())
    attrs.set("cache", cache);
  if (!evict.empty())
    attrs.set("evict", evict);
  L.emitOp(OpCode::Store, operands, {}, std::move(attrs));
  return SVal::none();
}

} // namespace tritonc::sema
