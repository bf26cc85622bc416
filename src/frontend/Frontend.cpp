// The front end's entry point (Frontend.h): builds the builtin namespaces, loads the main file,
// picks the kernels and lowers each one into a Tile IR function.
#include "frontend/Frontend.h"

#include "frontend/Sema.h"

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
  tl_->members["extra"] = SVal::ns(tlExtra_.get());
  triton_->members["language"] = SVal::ns(tl_.get());
}

std::unique_ptr<Module> Lowerer::run(uint32_t fileId) {
  buildNamespaces();
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
      if (isJitDecorated(fd) && fd->allParamsAnnotated())
        kernels.emplace_back(fd, mainModule_);
    }
    if (kernels.empty())
      error(fileStart, "no kernel in '" + path +
                           "' (a kernel is a @jit function whose parameters all have type "
                           "annotations)");
  } else {
    for (const std::string &name : options_.kernels) {
      auto it = mainModule_->globals.find(name);
      if (it == mainModule_->globals.end() || !it->second.is(SVal::Kind::Function))
        error(fileStart, "no kernel named '" + name + "' in '" + path + "'");
      const ast::FunctionDef *fd = it->second.functionDef();
      if (!isJitDecorated(fd))
        error(fd->nameRange, "'" + name + "' is not a @jit function");
      for (const ast::Param &p : fd->params)
        if (!p.annotation)
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
  for (const auto &[name, value] : options_.defines) {
    if (name == "num_warps" || name == "num_stages" || name == "num_ctas")
      continue;
    bool used = false;
    for (auto &k : kernels)
      for (const ast::Param &p : k.first->params)
        used = used || (p.name == name && p.annotation &&
                        ast::isa<ast::ConstexprAnnotation>(p.annotation.get()));
    if (!used)
      error(SourceRange(), "-D " + name + ": no kernel has a constexpr parameter '" + name + "'");
  }
  for (auto &[fd, module] : kernels) {
    Function *fn = module_->addFunction(fd->name, fd->nameRange.begin);
    lowerKernel(fd, module, fn);
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
