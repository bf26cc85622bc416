// The front end's entry point (Frontend.h): builds the builtin namespaces, loads the main file,
// picks the kernels and lowers each one into a Tile IR function.
#include "frontend/Frontend.h"
#include "support/Bits.h"

#include "frontend/Sema.h"
#include "frontend/builtins/Builtins.h"

#include <filesystem>

namespace tritonc {

namespace sema {

Lowerer::Lowerer(SourceManager &sources, Context &ctx, const FrontendOptions &options,
                 DiagnosticEngine &diags)
    : sources_(sources), ctx_(ctx), options_(options), diags_(&diags), builder_(ctx) {}

Lowerer::~Lowerer() = default;

void Lowerer::buildNamespaces() {
  auto make = [](std::string name, Namespace::Kind kind = Namespace::Kind::Builtin) {
    auto ns = std::make_unique<Namespace>();
    ns->name = std::move(name);
    ns->kind = kind;
    return ns;
  };
  tl_ = make("triton.language");
  tlMath_ = make("triton.language.math");
  tlExtra_ = make("triton.language.extra");
  tlExtraCuda_ = make("triton.language.extra.cuda");
  libdevice_ = make("libdevice", Namespace::Kind::Libdevice);
  triton_ = make("triton");
  propagateNan_ = make("triton.language.PropagateNan");

  for (const BuiltinDef &d : builtinTable()) {
    if (d.flags & bflag::TL)
      tl_->members[d.name] = SVal::builtin(&d);
    if (d.flags & bflag::Math)
      tlMath_->members[d.name] = SVal::builtin(&d);
    if (d.flags & bflag::Triton)
      triton_->members[d.name] = SVal::builtin(&d);
  }
  static const std::pair<const char *, ScalarKind> dtypes[] = {
      {"int1", ScalarKind::I1},       {"int8", ScalarKind::I8},
      {"int16", ScalarKind::I16},     {"int32", ScalarKind::I32},
      {"int64", ScalarKind::I64},     {"uint8", ScalarKind::U8},
      {"uint16", ScalarKind::U16},    {"uint32", ScalarKind::U32},
      {"uint64", ScalarKind::U64},    {"float8e4nv", ScalarKind::F8E4NV},
      {"float8e5", ScalarKind::F8E5}, {"float16", ScalarKind::F16},
      {"bfloat16", ScalarKind::BF16}, {"float32", ScalarKind::F32},
      {"float64", ScalarKind::F64}};
  for (auto &[name, kind] : dtypes)
    tl_->members[name] = SVal::dtype(ctx_.scalar(kind));
  propagateNan_->members["NONE"] = SVal::integer(0);
  propagateNan_->members["ALL"] = SVal::integer(0xFFFF);
  tl_->members["PropagateNan"] = SVal::ns(propagateNan_.get());
  tlExtraCuda_->members["libdevice"] = SVal::ns(libdevice_.get());
  tlExtra_->members["libdevice"] = SVal::ns(libdevice_.get());
  tlExtra_->members["cuda"] = SVal::ns(tlExtraCuda_.get());
  tlExtra_->members["hip"] = SVal::ns(tlExtraCuda_.get());
  tl_->members["math"] = SVal::ns(tlMath_.get());
  // `import triton.language.core as core` / `.standard`: the same builtins as tl.
  tl_->members["core"] = SVal::ns(tl_.get());
  tl_->members["standard"] = SVal::ns(tl_.get());
  tl_->members["extra"] = SVal::ns(tlExtra_.get());
  triton_->members["language"] = SVal::ns(tl_.get());
}

/// True if `body` returns a value: such a @jit function is a helper, never a kernel (kernels
/// return nothing), so a --signature of matching arity must not pick it as one.
static bool returnsValue(const ast::Block &body) {
  for (const ast::StmtPtr &s : body) {
    if (const auto *r = ast::dyn_cast<ast::Return>(s.get()); r && r->value)
      return true;
    if (const auto *i = ast::dyn_cast<ast::If>(s.get());
        i && (returnsValue(i->body) || returnsValue(i->orelse)))
      return true;
    if (const auto *f = ast::dyn_cast<ast::For>(s.get()); f && returnsValue(f->body))
      return true;
    if (const auto *w = ast::dyn_cast<ast::While>(s.get()); w && returnsValue(w->body))
      return true;
  }
  return false;
}

std::string Lowerer::whyNotKernel(const ast::FunctionDef *fd) {
  std::string why = "'" + fd->name + "' is not a kernel: ";
  if (returnsValue(fd->body))
    return why + "it returns a value (a helper)";
  for (const ast::Param &p : fd->params) {
    if (p.annotation && !ast::isPythonTypeHint(p.annotation.get()))
      continue;
    if (!signature_.empty() && fd->params.size() != signature_.size())
      return why + "it has " + std::to_string(fd->params.size()) + " parameters and --signature " +
             std::to_string(signature_.size()) + " entries";
    return why + "parameter '" + p.name + "' has no type annotation (pass --signature with " +
           std::to_string(fd->params.size()) + " entries, or annotate it)";
  }
  return why + "it is not selected";
}

SourceRange Lowerer::signatureRange(size_t i) {
  if (!signatureFile_)
    signatureFile_ = sources_.addFile("<signature>", options_.signature);
  unsigned col = i < signature_.size() ? signature_[i].col
                                       : static_cast<unsigned>(options_.signature.size()) + 1;
  unsigned len = i < signature_.size() ? static_cast<unsigned>(signature_[i].text.size()) : 1;
  return SourceRange(SourceLoc{signatureFile_, 1, col}, SourceLoc{signatureFile_, 1, col + len});
}

/// Splits --signature at the commas outside brackets and quotes (a constexpr value may be a
/// tuple or a string) and classifies each entry; types are checked here, values when a kernel
/// binds them (they are evaluated like -D values).
void Lowerer::parseSignature() {
  const std::string &sig = options_.signature;
  std::vector<std::pair<size_t, size_t>> spans; // [begin, end) of each raw entry
  int depth = 0;
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i <= sig.size(); ++i) {
    char c = i < sig.size() ? sig[i] : ',';
    if (quote) {
      if (c == quote)
        quote = 0;
      if (i < sig.size())
        continue;
    }
    if (c == '\'' || c == '"')
      quote = c;
    else if (c == '(' || c == '[' || c == '{')
      ++depth;
    else if (c == ')' || c == ']' || c == '}')
      --depth;
    else if (c == ',' && (depth <= 0 || i == sig.size())) {
      spans.emplace_back(start, i);
      start = i + 1;
    }
  }
  for (auto [b, e] : spans) {
    while (b < e && (sig[b] == ' ' || sig[b] == '\t'))
      ++b;
    while (e > b && (sig[e - 1] == ' ' || sig[e - 1] == '\t'))
      --e;
    SignatureEntry entry;
    entry.text = sig.substr(b, e - b);
    entry.col = static_cast<unsigned>(b) + 1;
    signature_.push_back(std::move(entry));
  }
  for (size_t i = 0; i < signature_.size(); ++i) {
    SignatureEntry &entry = signature_[i];
    std::string_view t = entry.text;
    if (t.empty())
      error(signatureRange(i), "empty signature entry " + std::to_string(i + 1));
    unsigned ptrDepth = 0;
    while (!t.empty() && t.front() == '*') {
      ++ptrDepth;
      t.remove_prefix(1);
    }
    std::string_view name = t.substr(0, t.find(':'));
    bool hasColon = name.size() != t.size();
    if (!ast::isScalarTypeName(name)) {
      if (ptrDepth || hasColon)
        error(signatureRange(i),
              "bad signature entry '" + entry.text +
                  "' (expected a type such as *fp32, *fp16:16, i32, i32:16 or i32:1, or a "
                  "constexpr value)");
      continue; // a constexpr value
    }
    if (ptrDepth > kMaxPointerDepth) {
      error(signatureRange(i), "pointer type nested " + std::to_string(ptrDepth) +
                                   " deep in signature entry '" + entry.text + "'; the limit is " +
                                   std::to_string(kMaxPointerDepth));
      continue;
    }
    const Type *type = ctx_.scalar(*parseScalarKind(name));
    for (unsigned d = 0; d < ptrDepth; ++d)
      type = ctx_.pointer(type);
    entry.type = type;
    entry.bareType = !ptrDepth && !hasColon;
    if (!hasColon)
      continue;
    std::string_view digits = t.substr(name.size() + 1);
    int64_t div = 0;
    bool ok = !digits.empty();
    for (char c : digits) {
      if (c < '0' || c > '9' || div > (int64_t(1) << 40)) {
        ok = false;
        break;
      }
      div = div * 10 + (c - '0');
    }
    if (!ok)
      error(signatureRange(i), "bad specialization in signature entry '" + entry.text +
                                   "' (expected ':16' for divisibility or ':1' for equal to 1)");
    if (div == 1) {
      // Triton's "equal to 1" specialization only exists for integers.
      if (ptrDepth || !isIntegerKind(*parseScalarKind(name)))
        error(signatureRange(i), "':1' (equal to 1) in signature entry '" + entry.text +
                                     "' applies to integer parameters only");
      entry.equalToOne = true;
    } else if (!isPowerOf2(div)) {
      error(signatureRange(i), "divisibility " + std::to_string(div) + " in signature entry '" +
                                   entry.text + "' is not a power of two");
    }
    entry.divisibility = entry.equalToOne ? 1 : div;
  }
}

std::unique_ptr<Module> Lowerer::run(uint32_t fileId) {
  buildNamespaces();
  if (!options_.signature.empty())
    parseSignature();
  module_ = std::make_unique<Module>(ctx_);
  std::string path(sources_.path(fileId));
  mainModule_ = loadModule(fileId, std::filesystem::path(path).stem().string());
  SourceRange fileStart(SourceLoc{fileId, 1, 1});

  std::vector<std::pair<const ast::FunctionDef *, ModuleScope *>> kernels;
  if (options_.kernels.empty()) {
    // Every kernel of the main file, in order; a name defined twice uses its last definition.
    for (const ast::StmtPtr &s : mainModule_->ast->body) {
      const auto *fd = ast::dyn_cast<ast::FunctionDef>(s.get());
      if (!fd)
        continue;
      auto it = mainModule_->globals.find(fd->name);
      if (it == mainModule_->globals.end() || !it->second.is(SVal::Kind::Function) ||
          it->second.functionDef() != fd)
        continue;
      // With --signature an unannotated @jit function whose arity matches is a kernel too. A
      // function that returns a value is a helper either way (kernels return nothing).
      if (isJitDecorated(fd) && !returnsValue(fd->body) &&
          (fd->allParamsAnnotated() ||
           (!signature_.empty() && fd->params.size() == signature_.size())))
        kernels.emplace_back(fd, mainModule_);
    }
    if (kernels.empty()) {
      // Say, for each @jit function, why it is not a kernel.
      Diagnostic &d = diags_->error(
          fileStart, "no kernel in '" + path +
                         "' (a kernel is a @jit function whose parameters all have type "
                         "annotations, or as many parameters as --signature has entries)");
      for (const ast::StmtPtr &s : mainModule_->ast->body)
        if (const auto *fd = ast::dyn_cast<ast::FunctionDef>(s.get()); fd && isJitDecorated(fd))
          d.notes.push_back({fd->nameRange, whyNotKernel(fd)});
      throw CompilationAborted();
    }
  } else {
    for (const std::string &name : options_.kernels) {
      auto it = mainModule_->globals.find(name);
      if (it == mainModule_->globals.end() || !it->second.is(SVal::Kind::Function)) {
        std::vector<std::string> defs, jits;
        for (const auto &[n, v] : mainModule_->globals)
          if (v.is(SVal::Kind::Function) && v.functionModule() == mainModule_) {
            defs.push_back(n);
            if (isJitDecorated(v.functionDef()))
              jits.push_back(n);
          }
        std::string msg =
            "no kernel named '" + name + "' in '" + path + "'" + didYouMean(name, defs);
        Diagnostic &d = diags_->error(fileStart, msg);
        std::string list;
        for (const std::string &j : jits)
          list += (list.empty() ? "'" : ", '") + j + "'";
        d.notes.push_back({fileStart, jits.empty() ? "'" + path + "' has no @jit function"
                                                   : "its @jit functions: " + list});
        throw CompilationAborted();
      }
      const ast::FunctionDef *fd = it->second.functionDef();
      if (!isJitDecorated(fd))
        note(fd->nameRange,
             "'" + name + "' has no @triton.jit decorator that tritonc knows" +
                 std::string(fd->decorators.empty() ? "" : " (its decorator may wrap triton.jit)") +
                 "; compiling it as a kernel because --kernel names it");
      for (const ast::Param &p : fd->params)
        if (!p.annotation && signature_.empty())
          error(p.nameRange,
                "parameter '" + p.name + "' of kernel '" + name + "' has no type annotation");
      bool seen = false;
      for (auto &k : kernels)
        seen = seen || k.first == fd;
      if (!seen)
        kernels.emplace_back(fd, it->second.functionModule());
    }
  }
  // A -D that no selected kernel reads is almost always a typo: silently ignoring it would
  // build a kernel with the default value the user meant to override.
  // (Launch knobs such as -D num_warps=8 are the driver's: they never reach the front end.)
  for (const auto &[name, value] : options_.defines) {
    bool used = false;
    for (auto &k : kernels)
      for (const ast::Param &p : k.first->params)
        used = used || (p.name == name &&
                        ((p.annotation && ast::isa<ast::ConstexprAnnotation>(p.annotation.get())) ||
                         !signature_.empty()));
    if (!used)
      error(SourceRange(), "-D " + name + ": no kernel has a constexpr parameter '" + name + "'");
  }
  // Each kernel is lowered even after another failed, so that independent errors are all
  // reported (up to kErrorLimit).
  for (auto &[fd, module] : kernels) {
    Function *fn = module_->addFunction(fd->name, fd->nameRange.begin);
    try {
      lowerKernel(fd, module, fn);
    } catch (const CompilationAborted &) {
      if (diags_->numErrors() >= kErrorLimit)
        throw;
      emitting_ = false;
      frames_.clear();
      kernelBody_ = nullptr;
    }
  }
  return std::move(module_);
}

} // namespace sema

std::unique_ptr<Module> compileToTileIR(SourceManager &sources, uint32_t fileId, Context &ctx,
                                        const FrontendOptions &options, DiagnosticEngine &diags) {
  unsigned errorsBefore = diags.numErrors();
  try {
    sema::Lowerer lowerer(sources, ctx, options, diags);
    std::unique_ptr<Module> m = lowerer.run(fileId);
    if (diags.numErrors() != errorsBefore)
      return nullptr;
    return m;
  } catch (const CompilationAborted &) {
    return nullptr;
  } catch (const std::exception &e) {
    // Never a crash on user input: an internal failure still becomes a diagnostic.
    diags.error(SourceRange(SourceLoc{fileId, 1, 1}),
                std::string("internal compiler error in the front end: ") + e.what());
    return nullptr;
  }
}

} // namespace tritonc
