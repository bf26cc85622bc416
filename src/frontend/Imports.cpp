// Modules: loading a .tt file into a ModuleScope (its imports, module-level constexprs and
// functions, in order), resolving `import M` / `from M import f` to files (relative to the
// importing file, then each -I directory; dots are directories), and the builtin `triton...`
// namespaces. Every file read is added to the SourceManager (the driver's depfile lists them).
#include "frontend/Parser.h"
#include "frontend/Sema.h"
#include "frontend/builtins/Builtins.h"

#include <filesystem>

namespace tritonc::sema {

using ast::AnnAssign;
using ast::Assign;
using ast::Attribute;
using ast::Call;
using ast::Expr;
using ast::ExprPtr;
using ast::FunctionDef;
using ast::If;
using ast::Import;
using ast::ImportAlias;
using ast::ImportFrom;
using ast::Name;
using ast::NodeKind;
using ast::Stmt;
using ast::StmtPtr;
using ast::Tuple;
namespace fs = std::filesystem;

bool Lowerer::isJitDecorated(const FunctionDef *def) const {
  if (jitCalled_.count(def))
    return true;
  for (const ExprPtr &d : def->decorators) {
    const Expr *e = d.get();
    if (const auto *c = dyn_cast<Call>(e))
      e = c->callee.get(); // @triton.jit(...)
    if (const auto *n = dyn_cast<Name>(e); n && n->id == "jit")
      return true;
    if (const auto *a = dyn_cast<Attribute>(e); a && a->attr == "jit")
      return true;
  }
  return false;
}

SVal Lowerer::evalInModule(const Expr *e, ModuleScope *module) {
  Frame fr;
  fr.fnName = "<module>";
  fr.module = module;
  bool savedEmitting = emitting_;
  emitting_ = false;
  SVal v;
  {
    FrameGuard guard(*this, &fr);
    try {
      v = eval(e);
    } catch (...) {
      emitting_ = savedEmitting;
      throw;
    }
  }
  emitting_ = savedEmitting;
  return v;
}

const Namespace *Lowerer::builtinNamespace(const std::string &dotted) {
  // Walks `triton.language.extra.cuda` from the triton namespace.
  if (dotted != "triton" && !dotted.starts_with("triton."))
    return nullptr;
  const Namespace *ns = triton_.get();
  size_t pos = std::string("triton").size();
  while (pos < dotted.size()) {
    size_t next = dotted.find('.', pos + 1);
    std::string part =
        dotted.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    auto it = ns->members.find(part);
    if (it == ns->members.end() || !it->second.is(SVal::Kind::Namespace))
      return nullptr;
    ns = it->second.nsValue();
    pos = next == std::string::npos ? dotted.size() : next;
  }
  return ns;
}

ModuleScope *Lowerer::resolveImport(ModuleScope *from, const std::string &dotted, unsigned level,
                                    SourceRange where, bool mustExist) {
  std::string rel = dotted;
  for (char &c : rel)
    if (c == '.')
      c = '/';
  // Each folder is searched for M.tt, then (Triton's own modules are Python) M.py and
  // M/__init__.py.
  std::vector<fs::path> candidates;
  auto addDir = [&](const fs::path &dir) {
    candidates.push_back(dir / (rel + ".tt"));
    candidates.push_back(dir / (rel + ".py"));
    candidates.push_back(dir / rel / "__init__.py");
  };
  fs::path base = from->dir.empty() ? fs::path(".") : fs::path(from->dir);
  if (level > 0) {
    for (unsigned i = 1; i < level; ++i)
      base = base.parent_path();
    addDir(base);
  } else {
    addDir(base);
    for (const std::string &dir : options_.includeDirs)
      addDir(fs::path(dir));
    // A file inside a Python package (folders with __init__.py) imports its siblings by their
    // absolute name (`from pkg.sub import f`): the folder above the outermost package is where
    // Python would find them.
    std::error_code ec;
    fs::path root = base;
    while (!root.empty() && fs::is_regular_file(root / "__init__.py", ec) &&
           root.has_parent_path() && root.parent_path() != root)
      root = root.parent_path();
    if (root != base)
      addDir(root);
  }
  for (const fs::path &cand : candidates) {
    std::error_code ec;
    fs::file_status status = fs::status(cand, ec);
    if (!fs::exists(status))
      continue;
    if (!fs::is_regular_file(status))
      error(where, "cannot import '" + dotted + "': '" + cand.lexically_normal().string() +
                       "' is " + (fs::is_directory(status) ? "a directory" : "not a regular file"));
    std::string key = fs::weakly_canonical(cand, ec).string();
    if (ec)
      key = cand.string();
    if (auto it = modulesByPath_.find(key); it != modulesByPath_.end()) {
      if (it->second->loading) {
        std::string cycle;
        for (const std::string &m : importStack_)
          cycle += "'" + m + "' -> ";
        error(where, "import cycle: " + cycle + "'" + dotted + "'");
      }
      return it->second;
    }
    std::string why;
    uint32_t id = sources_.loadFile(cand.lexically_normal().string(), &why);
    if (id == 0)
      error(where, "cannot read '" + cand.string() + "' for import of '" + dotted + "': " + why);
    ModuleScope *m = loadModule(id, dotted); // registers itself, so cycles are seen
    modulesByPath_[key] = m;
    return m;
  }
  if (!mustExist)
    return nullptr;
  std::string looked;
  for (size_t i = 0; i < candidates.size(); ++i)
    looked += (i ? ", " : "") + candidates[i].lexically_normal().string();
  error(where,
        "module '" + std::string(level, '.') + dotted + "' not found (looked for " + looked + ")");
}

void Lowerer::bindImport(ModuleScope *into, const Import *imp) {
  for (const ImportAlias &a : imp->names) {
    bool python = into->path.ends_with(".py");
    if (a.name == "triton" || a.name.starts_with("triton.")) {
      const Namespace *ns = builtinNamespace(a.name);
      if (!ns && python) {
        // Host-side Triton (triton.runtime, triton.testing, triton.tools...): a kernel never
        // uses it; if one does, the error names the import.
        markHostImport(into, a.boundName(), a.range,
                       "module '" + a.name +
                           "' is host-side Triton, not part of the kernel language");
        continue;
      }
      if (!ns)
        error(a.range, "module '" + a.name + "' is not available in .tt files");
      // `import triton.language` binds `triton`; `import triton.language as tl` binds tl.
      into->globals[a.boundName()] = SVal::ns(a.asName.empty() ? triton_.get() : ns);
      continue;
    }
    // A .py file imports host libraries (torch, numpy) that kernels never see: an import that
    // resolves to no module is skipped there, and a kernel using the name gets an error.
    ModuleScope *m = resolveImport(into, a.name, 0, a.range, !python);
    if (!m) {
      markHostImport(into, a.boundName(), a.range, notFoundReason(into, a.name));
      continue;
    }
    if (!a.asName.empty() || a.name.find('.') == std::string::npos) {
      into->globals[a.boundName()] = SVal::ns(&m->ns);
      continue;
    }
    // `import pkg.mod` binds `pkg`, a namespace whose member `mod` is the module.
    std::vector<std::string> parts;
    size_t pos = 0;
    while (true) {
      size_t dot = a.name.find('.', pos);
      parts.push_back(a.name.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos));
      if (dot == std::string::npos)
        break;
      pos = dot + 1;
    }
    Namespace *root = nullptr;
    if (auto it = into->globals.find(parts[0]);
        it != into->globals.end() && it->second.is(SVal::Kind::Namespace) &&
        it->second.nsValue()->kind == Namespace::Kind::Builtin) {
      for (auto &p : packages_)
        if (p.get() == it->second.nsValue())
          root = p.get();
    }
    if (!root) {
      packages_.push_back(std::make_unique<Namespace>());
      root = packages_.back().get();
      root->name = parts[0];
      into->globals[parts[0]] = SVal::ns(root);
    }
    Namespace *cur = root;
    for (size_t i = 1; i + 1 < parts.size(); ++i) {
      auto it = cur->members.find(parts[i]);
      Namespace *sub = nullptr;
      if (it != cur->members.end())
        for (auto &p : packages_)
          if (p.get() == it->second.nsValue())
            sub = p.get();
      if (!sub) {
        packages_.push_back(std::make_unique<Namespace>());
        sub = packages_.back().get();
        sub->name = cur->name + "." + parts[i];
        cur->members[parts[i]] = SVal::ns(sub);
      }
      cur = sub;
    }
    cur->members[parts.back()] = SVal::ns(&m->ns);
  }
}

void Lowerer::bindImportFrom(ModuleScope *into, const ImportFrom *imp) {
  bool python = into->path.ends_with(".py");
  if (imp->level == 0 && (imp->module == "triton" || imp->module.starts_with("triton."))) {
    const Namespace *ns = builtinNamespace(imp->module);
    if (!ns && python) {
      for (const ImportAlias &a : imp->names)
        markHostImport(into, a.boundName(), a.range,
                       "module '" + imp->module +
                           "' is host-side Triton, not part of the kernel language");
      return;
    }
    if (!ns)
      error(imp->moduleRange, "module '" + imp->module + "' is not available in .tt files");
    for (const ImportAlias &a : imp->names) {
      auto it = ns->members.find(a.name);
      if (it == ns->members.end()) {
        if (ns->kind == Namespace::Kind::Libdevice) {
          into->globals[a.boundName()] =
              SVal::builtin(findBuiltin("libdevice_call", bflag::Libdevice), a.name);
          continue;
        }
        if (python) { // triton.Config, triton.autotune, ...: host-side
          markHostImport(into, a.boundName(), a.range,
                         "'" + a.name + "' of '" + imp->module +
                             "' is host-side Triton, not part of the kernel language");
          continue;
        }
        error(a.range, "cannot import name '" + a.name + "' from '" + imp->module + "'");
      }
      into->globals[a.boundName()] = it->second;
    }
    return;
  }
  ModuleScope *m = nullptr;
  if (!imp->module.empty()) {
    // host imports in .py files: see bindImport
    m = resolveImport(into, imp->module, imp->level, imp->moduleRange, !python);
    if (!m && python) {
      std::string reason = notFoundReason(into, std::string(imp->level, '.') + imp->module);
      for (const ImportAlias &a : imp->names)
        markHostImport(into, a.boundName(), a.range, reason);
      return;
    }
  }
  for (const ImportAlias &a : imp->names) {
    if (m) {
      if (auto it = m->globals.find(a.name); it != m->globals.end()) {
        into->globals[a.boundName()] = it->second;
        continue;
      }
    }
    // `from pkg import mod`: a submodule.
    std::string sub = imp->module.empty() ? a.name : imp->module + "." + a.name;
    if (ModuleScope *sm = resolveImport(into, sub, imp->level, a.range, false)) {
      into->globals[a.boundName()] = SVal::ns(&sm->ns);
      continue;
    }
    if (m && python) {
      // Deferred, as in the module itself: an error only if a kernel uses the name.
      if (auto it = m->unavailable.find(a.name); it != m->unavailable.end()) {
        into->unavailable[a.boundName()] = it->second;
        continue;
      }
      if (auto it = m->failedGlobals.find(a.name); it != m->failedGlobals.end()) {
        into->failedGlobals[a.boundName()] = it->second;
        continue;
      }
    }
    if (m && m->failedGlobals.count(a.name)) {
      diags_->report(Severity::Error, m->failedGlobals.at(a.name).range,
                     m->failedGlobals.at(a.name).message);
      error(a.range, "cannot import '" + a.name + "' from '" + imp->module +
                         "': its value is not a compile-time constant");
    }
    if (python) {
      markHostImport(into, a.boundName(), a.range,
                     "'" + a.name + "' is not defined in module '" + std::string(imp->level, '.') +
                         imp->module + "'");
      continue;
    }
    error(a.range, "cannot import name '" + a.name + "' from '" + std::string(imp->level, '.') +
                       imp->module + "'");
  }
}

void Lowerer::markHostImport(ModuleScope *m, const std::string &name, SourceRange where,
                             std::string reason) {
  m->globals.erase(name);
  m->failedGlobals.erase(name);
  Diagnostic d;
  d.range = where;
  d.message = std::move(reason);
  m->unavailable[name] = std::move(d);
}

std::string Lowerer::notFoundReason(ModuleScope *from, const std::string &dotted) {
  return "module '" + dotted + "' was not found beside '" + from->path +
         "' or in an -I folder (as a .tt or .py file or a package); host-side Python such as "
         "torch is not read";
}

/// True if every import directly in `body` resolves (a module-level `try`/`if` of a .py file
/// takes the first branch for which this holds). Resolving loads the modules, as importing them
/// would.
bool Lowerer::importsResolve(ModuleScope *m, const ast::Block &body) {
  for (const StmtPtr &sp : body) {
    if (const auto *imp = dyn_cast<Import>(sp.get())) {
      for (const ImportAlias &a : imp->names) {
        if (a.name == "triton" || a.name.starts_with("triton.")) {
          if (!builtinNamespace(a.name))
            return false;
        } else if (!resolveImport(m, a.name, 0, a.range, false)) {
          return false;
        }
      }
    } else if (const auto *imf = dyn_cast<ImportFrom>(sp.get())) {
      if (imf->level == 0 && (imf->module == "triton" || imf->module.starts_with("triton."))) {
        const Namespace *ns = builtinNamespace(imf->module);
        if (!ns)
          return false;
        if (ns->kind != Namespace::Kind::Libdevice)
          for (const ImportAlias &a : imf->names)
            if (!ns->members.count(a.name))
              return false;
      } else if (!imf->module.empty() &&
                 !resolveImport(m, imf->module, imf->level, imf->moduleRange, false)) {
        return false;
      }
    }
  }
  return true;
}

/// Evaluates one module-level assignment; on failure the error is kept for later (the name
/// may belong to Python scaffolding that no kernel uses).
static void bindModuleValue(Lowerer &l, ModuleScope *m, const Expr *target, const SVal &v) {
  if (const auto *n = dyn_cast<Name>(target)) {
    m->globals[n->id] = v;
    m->failedGlobals.erase(n->id);
    return;
  }
  if (const auto *t = dyn_cast<Tuple>(target)) {
    if (v.isTuple() && v.elems().size() == t->elts.size())
      for (size_t i = 0; i < t->elts.size(); ++i)
        bindModuleValue(l, m, t->elts[i].get(), v.elems()[i]);
  }
}

void Lowerer::bindModuleBlock(ModuleScope *m, const ast::Block &body) {
  for (const StmtPtr &sp : body) {
    const Stmt *s = sp.get();
    LocGuard guard(*this, s->range.begin);
    switch (s->kind()) {
    case NodeKind::Import:
      bindImport(m, ast::cast<Import>(s));
      break;
    case NodeKind::ImportFrom:
      bindImportFrom(m, ast::cast<ImportFrom>(s));
      break;
    case NodeKind::FunctionDef: {
      const auto *fd = ast::cast<FunctionDef>(s);
      m->globals[fd->name] = SVal::function(fd, m);
      break;
    }
    case NodeKind::Assign:
    case NodeKind::AnnAssign: {
      const Expr *value = nullptr;
      std::vector<const Expr *> targets;
      if (const auto *a = dyn_cast<Assign>(s)) {
        value = a->value.get();
        for (const ExprPtr &t : a->targets)
          targets.push_back(t.get());
      } else {
        const auto *aa = ast::cast<AnnAssign>(s);
        value = aa->value.get();
        targets.push_back(aa->target.get());
      }
      if (!value)
        break;
      // Try the value with a scratch diagnostic engine: a failure is recorded against the
      // names and reported only if a kernel uses one of them.
      DiagnosticEngine scratch;
      SVal v;
      if (attemptQuietly(diags_, scratch, [&] { v = evalInModule(value, m); })) {
        for (const Expr *t : targets)
          bindModuleValue(*this, m, t, v);
      } else {
        Diagnostic d = scratch.diagnostics().empty() ? Diagnostic{} : scratch.diagnostics()[0];
        std::vector<const Expr *> work(targets);
        while (!work.empty()) {
          const Expr *t = work.back();
          work.pop_back();
          if (const auto *n = dyn_cast<Name>(t)) {
            m->globals.erase(n->id);
            m->failedGlobals[n->id] = d;
          } else if (const auto *tu = dyn_cast<Tuple>(t)) {
            for (const ExprPtr &e : tu->elts)
              work.push_back(e.get());
          }
        }
      }
      break;
    }
    case NodeKind::If: {
      // A module-level `if` or `try` of a .py file: a condition known at compile time picks
      // its branch as Python would; otherwise (a host condition such as a version check, or a
      // try) the first branch whose imports all resolve is taken.
      if (!m->path.ends_with(".py"))
        break;
      const auto *i = ast::cast<If>(s);
      std::optional<bool> cond;
      if (i->test) {
        DiagnosticEngine scratch;
        attemptQuietly(diags_, scratch, [&] {
          SVal v = evalInModule(i->test.get(), m);
          if (!v.containsRuntime())
            cond = truthy(v, i->test->range);
        });
      }
      if (!cond)
        cond = importsResolve(m, i->body);
      bindModuleBlock(m, *cond ? i->body : i->orelse);
      break;
    }
    default:
      // Docstrings, `if __name__ == "__main__":` blocks, classes: Python scaffolding that
      // kernels cannot see.
      break;
    }
  }
}

ModuleScope *Lowerer::loadModule(uint32_t fileId, std::string dottedName) {
  auto owned = std::make_unique<ModuleScope>();
  ModuleScope *m = owned.get();
  modules_.push_back(std::move(owned));
  m->fileId = fileId;
  m->path = std::string(sources_.path(fileId));
  m->dir = fs::path(m->path).parent_path().string();
  m->dottedName = dottedName;
  m->ns.kind = Namespace::Kind::Module;
  m->ns.name = dottedName;
  m->ns.module = m;
  m->ast = parseModule(sources_, fileId, *diags_);
  if (!m->ast)
    throw CompilationAborted();
  std::error_code ec;
  std::string key = fs::weakly_canonical(m->path, ec).string();
  if (!ec && !modulesByPath_.count(key))
    modulesByPath_[key] = m;

  importStack_.push_back(dottedName);
  bindModuleBlock(m, m->ast->body);
  importStack_.pop_back();
  m->loading = false;
  return m;
}

} // namespace tritonc::sema
