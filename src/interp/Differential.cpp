// The differential pass tester (see Differential.h). Each stage is compared with the stage
// just before it, not with the original, so that after a float-reassociating pass the next
// passes are again held to bit-exact agreement with what they were given.
#include "interp/Differential.h"

#include "interp/Cells.h"

#include "ir/Verifier.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

namespace tritonc {

namespace {

struct Outcome {
  bool ok = false;
  std::string error;      ///< the first diagnostic's message when !ok
  SourceRange errorRange; ///< and where it points
  std::vector<Buffer> buffers;
  std::string printed;
};

Outcome interpret(const Function &fn, const KernelArgs &inputs,
                  const DifferentialOptions &options) {
  KernelArgs args = inputs;
  DiagnosticEngine diags;
  std::ostringstream printed;
  Outcome out;
  out.ok = runKernel(fn, options.grid, args, options.interp, diags, printed);
  if (!out.ok && !diags.diagnostics().empty()) {
    out.error = diags.diagnostics().front().message;
    out.errorRange = diags.diagnostics().front().range;
  }
  out.buffers = std::move(args.buffers);
  out.printed = printed.str();
  return out;
}

/// Relative and absolute tolerance for a float type when a pass may reassociate.
std::pair<double, double> tolerance(ScalarKind kind) {
  switch (kind) {
  case ScalarKind::F64:
    return {1e-10, 1e-12};
  case ScalarKind::F32:
    return {1e-4, 1e-5};
  case ScalarKind::F16:
    return {1e-2, 1e-3};
  case ScalarKind::BF16:
    return {5e-2, 1e-2};
  default: // fp8
    return {0.25, 0.05};
  }
}

bool close(double a, double b, ScalarKind kind) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b))
    return a == b;
  auto [rtol, atol] = tolerance(kind);
  return std::fabs(a - b) <= atol + rtol * std::max(std::fabs(a), std::fabs(b));
}

std::string formatElement(const Buffer &b, int64_t i) {
  std::ostringstream os;
  if (b.elem->isFloat())
    os << b.getDouble(i);
  else
    os << b.getInt(i);
  return os.str();
}

/// Describes the first difference between two outcomes, or returns "" if they agree.
std::string difference(const Outcome &before, const Outcome &after, bool tolerant) {
  if (before.ok != after.ok || before.error != after.error) {
    auto describe = [](const Outcome &o) {
      return o.ok ? std::string("the run succeeded") : "the run failed with '" + o.error + "'";
    };
    return "before it " + describe(before) + ", after it " + describe(after);
  }
  for (size_t b = 0; b < before.buffers.size(); ++b) {
    const Buffer &x = before.buffers[b], &y = after.buffers[b];
    if (x.bytes == y.bytes)
      continue;
    const unsigned size =
        static_cast<unsigned>(x.bytes.size() / std::max<int64_t>(1, x.numElements()));
    for (int64_t i = 0; i < x.numElements(); ++i) {
      if (std::equal(x.bytes.begin() + i * size, x.bytes.begin() + (i + 1) * size,
                     y.bytes.begin() + i * size))
        continue;
      if (tolerant && x.elem->isFloat() &&
          close(x.getDouble(i), y.getDouble(i), x.elem->scalarKind()))
        continue;
      return "buffer '" + x.name + "' element " + interp::formatElementIndex(i, x.shape) + " is " +
             formatElement(x, i) + " before it and " + formatElement(y, i) + " after it";
    }
  }
  if (!tolerant && before.printed != after.printed)
    return "the device_print output differs";
  return "";
}

} // namespace

bool runDifferential(Module &module, const std::string &kernel,
                     const std::vector<const PassInfo *> &passes, PassContext &ctx,
                     const DifferentialOptions &options, std::ostream *log) {
  const Function *fn = module.lookup(kernel);
  if (!fn) {
    ctx.diags.error(SourceRange(), "no kernel named '" + kernel + "' in the module");
    return false;
  }
  KernelArgs inputs = makeRandomArgs(*fn, options.inputs);
  for (const auto &[name, bits] : options.scalarOverrides) {
    bool found = false;
    for (size_t p = 0; p < fn->params().size() && p < inputs.args.size(); ++p)
      if (fn->params()[p].name == name && !inputs.args[p].isBuffer) {
        inputs.args[p].bits = bits;
        found = true;
      }
    if (!found) {
      ctx.diags.error(fn->loc(), "kernel '" + kernel + "' has no scalar parameter '" + name + "'");
      return false;
    }
  }
  const std::string setup =
      "random inputs of " + std::to_string(options.inputs.elements) + " elements, seed " +
      std::to_string(options.inputs.seed) + ", grid (" + std::to_string(options.grid[0]) + ", " +
      std::to_string(options.grid[1]) + ", " + std::to_string(options.grid[2]) + ")";

  Outcome previous = interpret(*fn, inputs, options);
  if (!previous.ok) {
    ctx.diags.error(previous.errorRange, "kernel '" + kernel + "' fails before any pass (" + setup +
                                             "): " + previous.error);
    return false;
  }
  if (log)
    *log << "differential: '" << kernel << "' runs (" << setup << ")\n";

  for (const PassInfo *pass : passes) {
    if (!pass->run(module, ctx)) {
      if (!ctx.diags.hasErrors())
        ctx.diags.error(fn->loc(), "pass '" + std::string(pass->name) + "' failed");
      return false;
    }
    if (options.verifyEach && !verifyModule(module, ctx.diags)) {
      ctx.diags.error(SourceRange(),
                      "pass '" + std::string(pass->name) + "' leaves IR that does not verify");
      return false;
    }
    fn = module.lookup(kernel);
    if (!fn) {
      ctx.diags.error(SourceRange(),
                      "pass '" + std::string(pass->name) + "' removed kernel '" + kernel + "'");
      return false;
    }
    Outcome current = interpret(*fn, inputs, options);
    std::string diff = difference(previous, current, pass->changesFloatResults);
    if (!diff.empty()) {
      ctx.diags.error(fn->loc(), "pass '" + std::string(pass->name) +
                                     "' changes the result of kernel '" + kernel + "': " + diff +
                                     " (" + setup + ")");
      return false;
    }
    if (log)
      *log << "differential: after '" << pass->name << "': same result\n";
    previous = std::move(current);
  }
  return true;
}

} // namespace tritonc
