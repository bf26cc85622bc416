// Builder: creates ops at an insertion point. Every creation takes the source location that
// the op will carry (diagnostics and line info depend on it).
#pragma once

#include "ir/IR.h"

namespace tritonc {

class Builder {
public:
  explicit Builder(Context &ctx) : ctx_(&ctx) {}

  Context &context() const { return *ctx_; }

  // Insertion point
  void setInsertionPointToEnd(Block *block) {
    block_ = block;
    pos_ = block->ops().end();
  }
  void setInsertionPointToStart(Block *block) {
    block_ = block;
    pos_ = block->ops().begin();
  }
  void setInsertionPoint(Operation *before) {
    block_ = before->parent();
    pos_ = Block::iteratorOf(before);
  }
  void setInsertionPointAfter(Operation *after) {
    block_ = after->parent();
    pos_ = std::next(Block::iteratorOf(after));
  }
  Block *insertionBlock() const { return block_; }

  /// The general form: any op of the table.
  Operation *create(OpCode code, std::vector<Value *> operands,
                    std::vector<const Type *> resultTypes, AttrList attrs, SourceLoc loc,
                    unsigned numRegions = 0) {
    auto op = Operation::create(code, std::move(operands), std::move(resultTypes), std::move(attrs),
                                loc, numRegions);
    return block_->insert(pos_, std::move(op));
  }

  /// Single-result shorthand.
  Value *createValue(OpCode code, std::vector<Value *> operands, const Type *resultType,
                     SourceLoc loc, AttrList attrs = {}) {
    return create(code, std::move(operands), {resultType}, std::move(attrs), loc)->result();
  }

  Value *intConstant(int64_t value, const Type *type, SourceLoc loc) {
    AttrList attrs;
    attrs.set("value", value);
    return createValue(OpCode::Constant, {}, type, loc, std::move(attrs));
  }
  Value *floatConstant(double value, const Type *type, SourceLoc loc) {
    AttrList attrs;
    attrs.set("value", value);
    return createValue(OpCode::Constant, {}, type, loc, std::move(attrs));
  }

private:
  Context *ctx_;
  Block *block_ = nullptr;
  Block::iterator pos_;
};

} // namespace tritonc
