// Printer: the IR's text form, generic over the op table (see Printer.h and docs/IR.md).
//
// Invariants the Parser relies on for an exact round trip:
//   - value names are unique within a function and only use [A-Za-z0-9_.]; purely numeric
//     names are the sequential numbers of values without a usable hint, assigned in print order
//     (results before the op's regions, block arguments before the block's ops), so names read
//     back as hints reproduce the same text;
//   - floats always contain '.' or 'e' (or are inf / -inf / nan), ints never do;
//   - layout aliases are defined before use (a slice's or dot operand's parent first) and numbered
//   per kind in
//     order of first use.
#include "ir/Printer.h"
#include "ir/Spelling.h"

#include "support/Quote.h"
#include "support/Source.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

namespace tritonc {

namespace {

using spelling::isIdentChar;
using spelling::isIdentStart;

/// Attribute, kernel and constexpr names print bare when the parser's identifier rule accepts
/// them, quoted otherwise.
bool isIdentifier(std::string_view s) {
  if (s.empty() || !isIdentStart(s[0]))
    return false;
  for (char c : s)
    if (!isIdentChar(c))
      return false;
  return true;
}

void appendName(std::string &out, std::string_view s) {
  if (isIdentifier(s))
    out += s;
  else
    appendQuoted(out, s, /*escapeNonAscii=*/true);
}

/// Shortest spelling that reads back as the same double, marked as a float.
void appendFloat(std::string &out, double v) {
  if (std::isnan(v)) {
    out += "nan";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-inf" : "inf";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
  out += s;
  if (s.find_first_of(".e") == std::string_view::npos)
    out += ".0";
}

template <typename T> void appendList(std::string &out, const std::vector<T> &values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i)
      out += ", ";
    out += std::to_string(values[i]);
  }
  out += ']';
}

// ---- value names

class ValueNamer {
public:
  /// Names everything in `fn` in print order.
  void nameFunction(const Function &fn) { nameBlock(*fn.body()); }
  void nameOp(const Operation &op) {
    for (unsigned i = 0; i < op.numResults(); ++i)
      name(op.result(i));
    for (unsigned r = 0; r < op.numRegions(); ++r)
      nameBlock(*op.region(r));
  }

  /// The value's name, assigning one on first sight (values outside the printed function in
  /// broken IR still get a name instead of crashing the printer).
  const std::string &name(const Value *v) {
    auto it = names_.find(v);
    if (it != names_.end())
      return it->second;
    std::string hint = sanitize(v->name());
    std::string chosen;
    if (hint.empty()) {
      chosen = std::to_string(next_++);
    } else {
      // Probing resumes after the last suffix this hint took (every smaller one is still
      // taken), so n values sharing a name cost O(n), not O(n^2).
      chosen = hint;
      if (used_.count(chosen)) {
        unsigned &k = nextSuffix_[hint];
        do
          chosen = hint + "_" + std::to_string(++k);
        while (used_.count(chosen));
      }
    }
    used_.insert(chosen);
    return names_.emplace(v, std::move(chosen)).first->second;
  }

  std::unordered_map<const Value *, std::string> take() { return std::move(names_); }

private:
  void nameBlock(const Block &b) {
    for (unsigned i = 0; i < b.numArguments(); ++i)
      name(b.argument(i));
    for (const auto &op : b.ops())
      nameOp(*op);
  }

  /// Keeps [A-Za-z0-9_.], maps anything else to '_'; a purely numeric hint counts as none so
  /// that numbers stay reserved for unnamed values.
  static std::string sanitize(const std::string &hint) {
    std::string out;
    bool allDigits = true;
    for (char c : hint) {
      bool digit = c >= '0' && c <= '9';
      allDigits &= digit;
      out += (digit || isIdentChar(c)) ? c : '_';
    }
    return allDigits ? std::string() : out;
  }

  std::unordered_map<const Value *, std::string> names_;
  std::unordered_set<std::string> used_;
  std::unordered_map<std::string, unsigned> nextSuffix_; ///< the last suffix taken per hint
  unsigned next_ = 0;
};

// ---- layout aliases

class LayoutAliases {
public:
  void addFunction(const Function &fn) {
    for (unsigned i = 0; i < fn.body()->numArguments(); ++i)
      addType(fn.body()->argument(i)->type());
    addBlock(*fn.body());
  }

  const std::string *find(const Layout *l) const {
    auto it = names_.find(l);
    return it == names_.end() ? nullptr : &it->second;
  }
  const std::vector<const Layout *> &order() const { return order_; }

private:
  void addBlock(const Block &b) {
    for (unsigned i = 0; i < b.numArguments(); ++i)
      addType(b.argument(i)->type());
    for (const auto &op : b.ops()) {
      for (unsigned i = 0; i < op->numResults(); ++i)
        addType(op->result(i)->type());
      for (const NamedAttr &a : op->attrs().entries())
        if (auto *t = std::get_if<const Type *>(&a.value))
          addType(*t);
      for (unsigned r = 0; r < op->numRegions(); ++r)
        addBlock(*op->region(r));
    }
  }
  void addType(const Type *t) {
    while (t && t->isPointer())
      t = t->pointee();
    if (t && t->isBlock()) {
      addType(t->element());
      if (t->layout())
        addLayout(t->layout());
    }
  }
  void addLayout(const Layout *l) {
    if (names_.count(l))
      return;
    if ((l->isSlice() || l->isDotOperand()) && l->parent())
      addLayout(l->parent()); // defined before the layout that refers to it
    std::string name = l->isSlice()        ? "slice" + std::to_string(numSlice_++)
                       : l->isMma()        ? "mma" + std::to_string(numMma_++)
                       : l->isDotOperand() ? "dot_op" + std::to_string(numDotOperand_++)
                       : l->isShared()     ? "shared" + std::to_string(numShared_++)
                                           : "blocked" + std::to_string(numBlocked_++);
    names_.emplace(l, std::move(name));
    order_.push_back(l);
  }

  std::unordered_map<const Layout *, std::string> names_;
  std::vector<const Layout *> order_;
  unsigned numBlocked_ = 0, numSlice_ = 0, numMma_ = 0, numDotOperand_ = 0, numShared_ = 0;
};

// ---- the printer

class Printer {
public:
  Printer(const PrintOptions &options, ValueNamer &namer, const LayoutAliases *aliases)
      : opts_(options), namer_(namer), aliases_(aliases) {}

  std::string out;

  void printAliasDefinitions() {
    if (!aliases_)
      return;
    for (const Layout *l : aliases_->order()) {
      out += '#';
      out += *aliases_->find(l);
      out += " = ";
      printLayout(l, /*full=*/true);
      out += '\n';
    }
  }

  void printFunction(const Function &fn) {
    out += "kernel @";
    appendName(out, fn.name());
    out += '(';
    const Block &body = *fn.body();
    for (unsigned i = 0; i < body.numArguments(); ++i) {
      if (i)
        out += ", ";
      const Value *arg = body.argument(i);
      printValue(arg);
      out += ": ";
      printType(arg->type());
      if (i < fn.params().size()) {
        const ParamInfo &p = fn.params()[i];
        if (p.divisibility > 1)
          out += " {divisibility = " + std::to_string(p.divisibility) + "}";
        printLoc(p.loc);
      }
    }
    out += ")\n    attributes {";
    for (LaunchKnob k : kLaunchKnobs)
      out += std::string(k == kLaunchKnobs.front() ? "" : ", ") + std::string(launchKnobName(k)) +
             " = " + std::to_string(fn.launch().get(k));
    if (!fn.constexprs.empty()) {
      out += ", constexprs = {";
      for (size_t i = 0; i < fn.constexprs.size(); ++i) {
        if (i)
          out += ", ";
        appendName(out, fn.constexprs[i].name);
        out += " = ";
        appendQuoted(out, fn.constexprs[i].value, /*escapeNonAscii=*/true);
      }
      out += '}';
    }
    out += '}';
    printLoc(fn.loc());
    out += " {\n";
    printOps(body, 2);
    out += "}\n";
  }

  void printOp(const Operation &op, unsigned indent) {
    if (op.numResults()) {
      for (unsigned i = 0; i < op.numResults(); ++i) {
        if (i)
          out += ", ";
        printValue(op.result(i));
      }
      out += " = ";
    }
    out += op.mnemonic();
    for (unsigned i = 0; i < op.numOperands(); ++i) {
      out += i ? ", " : " ";
      printValue(op.operand(i));
    }
    if (!op.attrs().empty()) {
      out += " {";
      bool first = true;
      for (const NamedAttr &a : op.attrs().entries()) {
        if (!first)
          out += ", ";
        first = false;
        appendName(out, a.name);
        out += " = ";
        printAttrValue(a.value);
      }
      out += '}';
    }
    for (unsigned i = 0; i < op.numResults(); ++i) {
      out += i ? ", " : " : ";
      printType(op.result(i)->type());
    }
    for (unsigned r = 0; r < op.numRegions(); ++r) {
      if (opts_.elideRegions) {
        out += " {...}";
        continue;
      }
      const Block &b = *op.region(r);
      out += " {\n";
      if (b.numArguments()) {
        out.append(indent, ' ');
        out += "^(";
        for (unsigned i = 0; i < b.numArguments(); ++i) {
          if (i)
            out += ", ";
          printValue(b.argument(i));
          out += ": ";
          printType(b.argument(i)->type());
        }
        out += "):\n";
      }
      printOps(b, indent + 2);
      out.append(indent, ' ');
      out += '}';
    }
    printLoc(op.loc());
  }

private:
  void printOps(const Block &b, unsigned indent) {
    for (const auto &op : b.ops()) {
      out.append(indent, ' ');
      printOp(*op, indent);
      out += '\n';
    }
  }

  void printValue(const Value *v) {
    out += '%';
    out += v ? namer_.name(v) : std::string("<null>");
  }

  void printType(const Type *t) {
    if (!t) {
      out += "<null-type>";
      return;
    }
    switch (t->kind()) {
    case Type::Kind::Scalar:
      out += scalarKindName(t->scalarKind());
      return;
    case Type::Kind::Pointer:
      out += "ptr<";
      printType(t->pointee());
      if (t->addressSpace() != 1)
        out += ", " + std::to_string(t->addressSpace());
      out += '>';
      return;
    case Type::Kind::Block:
      out += "tensor<";
      for (int64_t d : t->shape())
        out += std::to_string(d) + "x";
      printType(t->element());
      if (t->layout()) {
        out += ", ";
        printLayout(t->layout(), /*full=*/false);
      }
      out += '>';
      return;
    }
  }

  /// `full` spells the layout out even if it has an alias (for the alias definition itself).
  void printLayout(const Layout *l, bool full) {
    if (!l) {
      out += "#<null-layout>";
      return;
    }
    if (!full && aliases_) {
      if (const std::string *name = aliases_->find(l)) {
        out += '#';
        out += *name;
        return;
      }
    }
    if (l->isSlice()) {
      out += "#slice<dim = " + std::to_string(l->sliceDim()) + ", parent = ";
      printLayout(l->parent(), false);
      out += '>';
      return;
    }
    if (l->isMma()) {
      out += "#mma<version = " + std::to_string(l->mmaVersion()) + ", wpc = ";
      appendList(out, l->warpsPerCTA());
      out += ", instr = ";
      appendList(out, l->instrShape());
      out += '>';
      return;
    }
    if (l->isDotOperand()) {
      out += "#dot_op<op = " + std::to_string(l->opIdx()) + ", parent = ";
      printLayout(l->parent(), false);
      out += ", k_width = " + std::to_string(l->kWidth()) + '>';
      return;
    }
    if (l->isShared()) {
      out += "#shared<order = ";
      appendList(out, l->order());
      out += l->sharedWgmma() ? ", wgmma>" : ">";
      return;
    }
    out += "#blocked<spt = ";
    appendList(out, l->sizePerThread());
    out += ", tpw = ";
    appendList(out, l->threadsPerWarp());
    out += ", wpc = ";
    appendList(out, l->warpsPerCTA());
    out += ", order = ";
    appendList(out, l->order());
    out += '>';
  }

  void printAttrValue(const AttrValue &v) {
    if (auto *i = std::get_if<int64_t>(&v))
      out += std::to_string(*i);
    else if (auto *f = std::get_if<double>(&v))
      appendFloat(out, *f);
    else if (auto *b = std::get_if<bool>(&v))
      out += *b ? "true" : "false";
    else if (auto *s = std::get_if<std::string>(&v))
      appendQuoted(out, *s, /*escapeNonAscii=*/true);
    else if (auto *l = std::get_if<std::vector<int64_t>>(&v))
      appendList(out, *l);
    else if (auto *t = std::get_if<const Type *>(&v))
      printType(*t);
  }

  void printLoc(SourceLoc loc) {
    if (!opts_.locations || !opts_.sources)
      return;
    if (loc.file == 0 || loc.file > opts_.sources->numFiles() || loc.line == 0) {
      out += " loc(unknown)";
      return;
    }
    out += " loc(";
    appendQuoted(out, opts_.sources->path(loc.file), /*escapeNonAscii=*/true);
    out += ':' + std::to_string(loc.line) + ':' + std::to_string(loc.col) + ')';
  }

  const PrintOptions &opts_;
  ValueNamer &namer_;
  const LayoutAliases *aliases_;
};

} // namespace

std::string printModule(const Module &module, const PrintOptions &options) {
  LayoutAliases aliases;
  if (!options.inlineLayouts)
    for (const auto &fn : module.functions())
      aliases.addFunction(*fn);
  ValueNamer unused;
  Printer header(options, unused, options.inlineLayouts ? nullptr : &aliases);
  header.printAliasDefinitions();
  std::string out = std::move(header.out);
  for (const auto &fn : module.functions()) {
    if (!out.empty())
      out += '\n';
    ValueNamer namer;
    namer.nameFunction(*fn);
    Printer p(options, namer, options.inlineLayouts ? nullptr : &aliases);
    p.printFunction(*fn);
    out += p.out;
  }
  return out;
}

std::string printFunction(const Function &function, const PrintOptions &options) {
  LayoutAliases aliases;
  if (!options.inlineLayouts)
    aliases.addFunction(function);
  ValueNamer namer;
  namer.nameFunction(function);
  Printer p(options, namer, options.inlineLayouts ? nullptr : &aliases);
  p.printAliasDefinitions();
  if (!p.out.empty())
    p.out += '\n';
  p.printFunction(function);
  return std::move(p.out);
}

std::string printOp(const Operation &op, const PrintOptions &options) {
  ValueNamer namer;
  if (const Function *fn = op.function())
    namer.nameFunction(*fn);
  else
    namer.nameOp(op);
  Printer p(options, namer, nullptr);
  p.printOp(op, 0);
  return std::move(p.out);
}

std::unordered_map<const Value *, std::string> nameValues(const Function &function) {
  ValueNamer namer;
  namer.nameFunction(function);
  return namer.take();
}

} // namespace tritonc
