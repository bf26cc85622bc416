// cse: common-subexpression elimination of pure ops, scoped by the region tree.
//
// A pure op without regions is identified by (opcode, operands, attributes, result types);
// operands of commutative ops are compared as a multiset. Walking each block in order, an op
// whose key was already seen in the same block or an enclosing one (which dominates it:
// control flow is structured, so an op dominates everything after it in its block and
// everything nested in those ops' regions) is replaced by the earlier op. Keys recorded inside
// a region are forgotten when the walk leaves it, so inner values never leak outwards.
// Expects: Tile IR or GPU IR. Leaves: the same level, fewer ops.
//
//   before: %a = add %x, %y : i32    %b = add %y, %x : i32    %c = mul %a, %b : i32
//   after:  %a = add %x, %y : i32    %c = mul %a, %a : i32
#include "passes/CSE.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace tritonc {

namespace {

void appendPtr(std::string &key, const void *p) {
  char buf[sizeof(p)];
  std::memcpy(buf, &p, sizeof(p));
  key.append(buf, sizeof(p));
}

void appendAttr(std::string &key, const AttrValue &v) {
  key += static_cast<char>('0' + v.index());
  std::visit(
      [&](const auto &x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, double> ||
                      std::is_same_v<T, bool>) {
          char buf[sizeof(T)];
          std::memcpy(buf, &x, sizeof(T)); // bit-exact: 0.0 and -0.0 differ
          key.append(buf, sizeof(T));
        } else if constexpr (std::is_same_v<T, std::string>) {
          key += std::to_string(x.size()) + ":" + x;
        } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
          key += std::to_string(x.size()) + ":";
          for (int64_t i : x)
            key.append(reinterpret_cast<const char *>(&i), sizeof(i));
        } else {
          appendPtr(key, x); // const Type *: interned
        }
      },
      v);
}

/// The identity of a pure op, as a byte string (types and layouts are interned, so pointers
/// identify them).
std::string keyOf(const Operation &op) {
  std::string key;
  key += std::to_string(static_cast<unsigned>(op.code())) + "|";
  std::vector<const Value *> operands(op.operands().begin(), op.operands().end());
  if (op.hasTrait(optrait::Commutative))
    std::sort(operands.begin(), operands.end()); // any fixed order will do for equality
  for (const Value *v : operands)
    appendPtr(key, v);
  key += "|";
  std::vector<const NamedAttr *> attrs;
  for (const NamedAttr &a : op.attrs().entries())
    attrs.push_back(&a);
  std::sort(attrs.begin(), attrs.end(),
            [](const NamedAttr *a, const NamedAttr *b) { return a->name < b->name; });
  for (const NamedAttr *a : attrs) {
    key += a->name + "=";
    appendAttr(key, a->value);
    key += ";";
  }
  key += "|";
  for (unsigned i = 0; i < op.numResults(); ++i)
    appendPtr(key, op.result(i)->type());
  return key;
}

class CSE {
public:
  bool changed = false;

  void runOnBlock(Block *block) {
    std::vector<std::string> inserted; // keys to forget when leaving this block
    for (auto it = block->ops().begin(); it != block->ops().end();) {
      Operation *op = (it++)->get();
      if (op->numRegions() > 0) {
        for (unsigned r = 0; r < op->numRegions(); ++r)
          runOnBlock(op->region(r));
        continue;
      }
      if (!op->isPure() || op->numResults() == 0)
        continue;
      std::string key = keyOf(*op);
      auto found = table_.find(key);
      if (found != table_.end()) {
        Operation *prev = found->second;
        for (unsigned i = 0; i < op->numResults(); ++i) {
          // Keep the first op's name hint, or take this one's if it had none.
          if (prev->result(i)->name().empty())
            prev->result(i)->setName(op->result(i)->name());
          op->result(i)->replaceAllUsesWith(prev->result(i));
        }
        op->erase();
        changed = true;
        continue;
      }
      table_.emplace(key, op);
      inserted.push_back(std::move(key));
    }
    for (const std::string &k : inserted)
      table_.erase(k);
  }

private:
  std::unordered_map<std::string, Operation *> table_;
};

} // namespace

bool csePass(Module &module, PassContext &ctx) {
  for (auto &f : module.functions()) {
    CSE cse;
    cse.runOnBlock(f->body());
  }
  return true;
}

} // namespace tritonc
