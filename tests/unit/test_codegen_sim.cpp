// Codegen semantics without a GPU. GPU IR (as text) goes through the real lowering with a
// host Target whose thread id, program id and barrier are calls into this process; LLVM's JIT
// compiles the result for the CPU and each program runs with one OS thread per GPU thread
// (barriers are a std::barrier). This checks the index maths, masks, `other`, vector
// accesses, broadcasts, shared-memory layout conversions, control flow and conversions
// against references computed here; the NVPTX- and AMDGPU-specific parts (inline PTX, native
// math) are covered by test_codegen.cpp through ptxas and ld.lld.
#include "codegen/Codegen.h"
#include "ir/Parser.h"
#include "ir/Verifier.h"
#include "layout/WgmmaLayout.h"

#include <doctest/doctest.h>

#include <llvm/ADT/APFloat.h>
#include <llvm/ExecutionEngine/Orc/AbsoluteSymbols.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/TargetSelect.h>

#include <algorithm>
#include <barrier>
#include <bit>
#include <cmath>
#include <cstring>
#include <thread>

using namespace tritonc;

namespace {

// ---- the simulated machine

thread_local int32_t simThread = 0;
int32_t simProgram[3], simGrid[3];
std::barrier<> *simBarrier = nullptr;
alignas(16) unsigned char simShared[256 * 1024];
int32_t simShuffleSlots[1024];

int32_t simTid() { return simThread; }
int32_t simPid(int32_t axis) { return simProgram[axis]; }
int32_t simNumPrograms(int32_t axis) { return simGrid[axis]; }
void simSync() { simBarrier->arrive_and_wait(); }
/// A warp shuffle for threads that all take part: exchange through memory between barriers.
int32_t simShuffleXor(int32_t value, int32_t laneMask) {
  simShuffleSlots[simThread] = value;
  simSync();
  int32_t other = simShuffleSlots[simThread ^ laneMask];
  simSync();
  return other;
}
/// fp32 -> bf16, round to nearest even: the compiler-runtime call LLVM's x86 backend emits for
/// `fptrunc float to bfloat`. libgcc only has it from GCC 13, so the simulator provides it. A bf16
/// comes back in the low 16 bits of xmm0, as a _Float16 does.
_Float16 simTruncSfBf2(float value) {
  uint32_t bits = std::bit_cast<uint32_t>(value);
  uint16_t bf16 = (bits & 0x7fffffffu) > 0x7f800000u
                      ? static_cast<uint16_t>((bits >> 16) | 0x40u) // NaN stays NaN, made quiet
                      : static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
  return std::bit_cast<_Float16>(bf16);
}

/// A Target for this CPU: ids and barriers are calls into the simulator, math uses LLVM's
/// generic intrinsics (libm underneath), loads and stores the generic branch-guarded path.
class HostTarget final : public Target {
public:
  HostTarget(TargetInfo info, std::unique_ptr<llvm::TargetMachine> tm)
      : Target(std::move(info), {}, std::move(tm)) {}

  void configureKernel(llvm::Function &, unsigned) const override {}
  llvm::Value *threadId(llvm::IRBuilderBase &b) const override {
    return call(b, "tritonc_sim_tid", b.getInt32Ty(), {});
  }
  llvm::Value *programId(llvm::IRBuilderBase &b, unsigned axis) const override {
    return call(b, "tritonc_sim_pid", b.getInt32Ty(), {b.getInt32(axis)});
  }
  llvm::Value *numPrograms(llvm::IRBuilderBase &b, unsigned axis) const override {
    return call(b, "tritonc_sim_nprog", b.getInt32Ty(), {b.getInt32(axis)});
  }
  void barrier(llvm::IRBuilderBase &b) const override {
    call(b, "tritonc_sim_barrier", b.getVoidTy(), {});
  }
  llvm::Value *shuffleXor(llvm::IRBuilderBase &b, llvm::Value *value,
                          unsigned laneMask) const override {
    return call(b, "tritonc_sim_shfl", b.getInt32Ty(), {value, b.getInt32(laneMask)});
  }
  llvm::Value *emitMath(llvm::IRBuilderBase &b, OpCode code,
                        llvm::ArrayRef<llvm::Value *> args) const override {
    namespace I = llvm::Intrinsic;
    llvm::Value *x = args[0];
    switch (code) {
    case OpCode::Exp:
      return b.CreateUnaryIntrinsic(I::exp, x);
    case OpCode::Exp2:
      return b.CreateUnaryIntrinsic(I::exp2, x);
    case OpCode::Log:
      return b.CreateUnaryIntrinsic(I::log, x);
    case OpCode::Log2:
      return b.CreateUnaryIntrinsic(I::log2, x);
    case OpCode::Sqrt:
    case OpCode::SqrtRn:
      return b.CreateUnaryIntrinsic(I::sqrt, x);
    case OpCode::Rsqrt:
      return b.CreateFDiv(llvm::ConstantFP::get(x->getType(), 1.0),
                          b.CreateUnaryIntrinsic(I::sqrt, x));
    case OpCode::Sin:
      return b.CreateUnaryIntrinsic(I::sin, x);
    case OpCode::Cos:
      return b.CreateUnaryIntrinsic(I::cos, x);
    case OpCode::Floor:
      return b.CreateUnaryIntrinsic(I::floor, x);
    case OpCode::Ceil:
      return b.CreateUnaryIntrinsic(I::ceil, x);
    case OpCode::Erf:
      return call(b, x->getType()->isFloatTy() ? "erff" : "erf", x->getType(), {x});
    case OpCode::DivRn:
    case OpCode::FDiv:
      return b.CreateFDiv(x, args[1]);
    default:
      return nullptr;
    }
  }
  std::string mathFunctionName(const std::string &name, llvm::Type *type) const override {
    return name + (type->isFloatTy() ? "f" : "");
  }
  bool emitBinary(const llvm::Module &, std::string &, std::string *,
                  DiagnosticEngine &diags) const override {
    diags.error({}, "the host target makes no binaries");
    return false;
  }

protected:
  bool mathLibraryFiles(std::vector<std::string> &files, std::string &) const override {
    files.clear();
    return true;
  }

private:
  static llvm::Value *call(llvm::IRBuilderBase &b, const char *name, llvm::Type *ret,
                           std::vector<llvm::Value *> args) {
    std::vector<llvm::Type *> params;
    for (llvm::Value *a : args)
      params.push_back(a->getType());
    llvm::FunctionCallee fn = b.GetInsertBlock()->getModule()->getOrInsertFunction(
        name, llvm::FunctionType::get(ret, params, false));
    return b.CreateCall(fn, args);
  }
};

/// One JIT-compiled kernel and a way to launch it.
struct SimKernel {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  void (*entry)(const uint64_t *args) = nullptr;
  KernelInfo info;

  /// Runs every program of `grid`, each with block[0] threads; one 8-byte slot per parameter.
  void launch(std::array<int32_t, 3> grid, const std::vector<uint64_t> &args) const {
    REQUIRE(args.size() == info.params.size());
    const unsigned threads = info.block[0];
    for (int i = 0; i < 3; ++i)
      simGrid[i] = grid[i];
    for (int z = 0; z < grid[2]; ++z)
      for (int y = 0; y < grid[1]; ++y)
        for (int x = 0; x < grid[0]; ++x) {
          simProgram[0] = x;
          simProgram[1] = y;
          simProgram[2] = z;
          std::barrier<> bar(threads);
          simBarrier = &bar;
          std::vector<std::thread> pool;
          for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back([this, t, &args] {
              simThread = static_cast<int32_t>(t);
              entry(args.data());
            });
          for (std::thread &th : pool)
            th.join();
        }
  }
};

std::string messages(const DiagnosticEngine &diags) {
  std::string s;
  for (const Diagnostic &d : diags.diagnostics())
    s += std::to_string(d.range.begin.line) + ": " + d.message + "\n";
  return s;
}

/// `void tritonc_sim_entry(ptr args)`: loads each kernel parameter from an 8-byte slot and
/// calls the kernel, so the C++ side needs one function-pointer type for every kernel.
void addEntryWrapper(llvm::Module &mod, llvm::Function &kernel) {
  llvm::LLVMContext &ctx = mod.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *fnTy = llvm::FunctionType::get(b.getVoidTy(), {b.getPtrTy()}, false);
  auto *entry =
      llvm::Function::Create(fnTy, llvm::GlobalValue::ExternalLinkage, "tritonc_sim_entry", mod);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", entry));
  std::vector<llvm::Value *> args;
  for (llvm::Argument &a : kernel.args())
    args.push_back(b.CreateLoad(
        a.getType(), b.CreateConstGEP1_64(b.getInt8Ty(), entry->getArg(0), 8 * a.getArgNo())));
  b.CreateCall(&kernel, args);
  b.CreateRetVoid();
}

/// Parses GPU IR text with one kernel, lowers it for the host and JIT-compiles it. The host
/// claims compute capability `cc` (below 80: no cp.async, so async_copy stores through
/// registers, to the same addresses).
SimKernel build(const std::string &text, unsigned cc = 90) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  Context ctx;
  SourceManager sm;
  DiagnosticEngine diags;
  std::unique_ptr<Module> m = parseModule(ctx, sm, sm.addFile("sim.tir", text), diags);
  INFO(messages(diags));
  REQUIRE(m);
  REQUIRE(verifyModule(*m, diags));

  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  REQUIRE(static_cast<bool>(jtmb));
  auto tm = jtmb->createTargetMachine();
  REQUIRE(static_cast<bool>(tm));
  TargetInfo info;
  info.arch = "host";
  info.computeCapability = cc;
  info.sharedMemoryBytes = sizeof simShared;
  HostTarget target(info, std::move(*tm));

  auto llctx = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> mod;
  SimKernel k;
  std::vector<KernelInfo> kernels;
  bool lowered = emitLLVM(*m, target, *llctx, mod, kernels, diags);
  INFO(messages(diags));
  REQUIRE(lowered);
  REQUIRE(kernels.size() == 1);
  k.info = kernels[0];
  addEntryWrapper(*mod, *mod->getFunction(k.info.symbol));
  REQUIRE(optimize(*mod, target, 2, diags));

  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  REQUIRE(static_cast<bool>(jit));
  k.jit = std::move(*jit);
  llvm::orc::JITDylib &jd = k.jit->getMainJITDylib();
  auto sym = [&](void *addr) {
    return llvm::orc::ExecutorSymbolDef(llvm::orc::ExecutorAddr::fromPtr(addr),
                                        llvm::JITSymbolFlags::Exported);
  };
  llvm::orc::SymbolMap symbols;
  symbols[k.jit->mangleAndIntern("tritonc_sim_tid")] = sym(reinterpret_cast<void *>(&simTid));
  symbols[k.jit->mangleAndIntern("tritonc_sim_pid")] = sym(reinterpret_cast<void *>(&simPid));
  symbols[k.jit->mangleAndIntern("tritonc_sim_nprog")] =
      sym(reinterpret_cast<void *>(&simNumPrograms));
  symbols[k.jit->mangleAndIntern("tritonc_sim_barrier")] = sym(reinterpret_cast<void *>(&simSync));
  symbols[k.jit->mangleAndIntern("tritonc_sim_shfl")] =
      sym(reinterpret_cast<void *>(&simShuffleXor));
  symbols[k.jit->mangleAndIntern("__truncsfbf2")] = sym(reinterpret_cast<void *>(&simTruncSfBf2));
  symbols[k.jit->mangleAndIntern("global_smem")] = sym(simShared);
  REQUIRE(!jd.define(llvm::orc::absoluteSymbols(std::move(symbols))));
  auto libm = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      k.jit->getDataLayout().getGlobalPrefix());
  REQUIRE(static_cast<bool>(libm));
  jd.addGenerator(std::move(*libm));
  REQUIRE(!k.jit->addIRModule(llvm::orc::ThreadSafeModule(std::move(mod), std::move(llctx))));
  auto addr = k.jit->lookup("tritonc_sim_entry");
  REQUIRE(static_cast<bool>(addr));
  k.entry = addr->toPtr<void (*)(const uint64_t *)>();
  return k;
}

uint64_t ptrArg(const void *p) { return reinterpret_cast<uint64_t>(p); }
uint64_t intArg(int64_t v) { return static_cast<uint64_t>(v); }

const float kSentinel = -12345.0f;

// ---- float format references (LLVM's APFloat)

uint16_t toHalfBits(float f, const llvm::fltSemantics &sem, llvm::RoundingMode mode) {
  llvm::APFloat v(f);
  bool lost;
  v.convert(sem, mode, &lost);
  return static_cast<uint16_t>(v.bitcastToAPInt().getZExtValue());
}

/// f32 → fp8 as PTX's cvt.rn.satfinite: round to nearest even, clamp to the largest finite.
uint8_t toFp8(float f, bool e4m3) {
  const llvm::fltSemantics &sem =
      e4m3 ? llvm::APFloat::Float8E4M3FN() : llvm::APFloat::Float8E5M2();
  const float largest = e4m3 ? 448.0f : 57344.0f;
  if (!std::isnan(f) && std::fabs(f) > largest)
    f = std::copysign(largest, f);
  llvm::APFloat v(f);
  bool lost;
  v.convert(sem, llvm::RoundingMode::NearestTiesToEven, &lost);
  return static_cast<uint8_t>(v.bitcastToAPInt().getZExtValue());
}

float fromFp8(uint8_t bits, bool e4m3) {
  llvm::APFloat v(e4m3 ? llvm::APFloat::Float8E4M3FN() : llvm::APFloat::Float8E5M2(),
                  llvm::APInt(8, bits));
  bool lost;
  v.convert(llvm::APFloat::IEEEsingle(), llvm::RoundingMode::NearestTiesToEven, &lost);
  return v.convertToFloat();
}

bool sameFloat(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b);
}

/// Interesting f32 inputs for conversions: specials, boundaries, ties, subnormals, randoms.
std::vector<float> conversionInputs(size_t count) {
  std::vector<float> v = {0.0f,
                          -0.0f,
                          1.0f,
                          -1.0f,
                          1.0625f,
                          1.1875f,
                          448.0f,
                          449.0f,
                          464.0f,
                          480.0f,
                          1e6f,
                          -1e6f,
                          57344.0f,
                          61440.0f,
                          65504.0f,
                          65519.0f,
                          65520.0f,
                          1e-3f,
                          1.5e-3f,
                          0.0078125f,
                          0.001953125f,
                          0.0029296875f,
                          1e-7f,
                          6e-8f,
                          std::ldexp(1.0f, -14),
                          std::ldexp(1.0f, -15),
                          std::ldexp(1.0f, -16),
                          std::ldexp(1.0f, -17),
                          1e-30f,
                          1e30f,
                          INFINITY,
                          -INFINITY,
                          NAN,
                          -NAN};
  uint32_t state = 12345;
  while (v.size() < count) {
    state = state * 1664525u + 1013904223u;
    // Random exponents around the fp8/f16 ranges, random mantissas.
    uint32_t exp = 100 + (state >> 24) % 60, mant = state & 0x7FFFFF, sign = (state >> 23) & 1;
    v.push_back(std::bit_cast<float>(sign << 31 | exp << 23 | mant));
  }
  return v;
}

} // namespace

TEST_CASE("sim: masked, vectorized vector add") {
  SimKernel k = build(R"(
#l = #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>
kernel @add(%x: ptr<f32> {divisibility = 16}, %y: ptr<f32> {divisibility = 16},
            %out: ptr<f32> {divisibility = 16}, %n: i32) attributes {num_warps = 4} {
  %pid = program_id {axis = 0} : i32
  %c = constant {value = 1024} : i32
  %base = mul %pid, %c : i32
  %r = arange {start = 0, end = 1024} : tensor<1024xi32, #l>
  %b = splat %base : tensor<1024xi32, #l>
  %offs = add %b, %r : tensor<1024xi32, #l>
  %nb = splat %n : tensor<1024xi32, #l>
  %mask = cmp %offs, %nb {pred = "lt"} : tensor<1024xi1, #l>
  %xs = splat %x : tensor<1024xptr<f32>, #l>
  %px = addptr %xs, %offs : tensor<1024xptr<f32>, #l>
  %ys = splat %y : tensor<1024xptr<f32>, #l>
  %py = addptr %ys, %offs : tensor<1024xptr<f32>, #l>
  %os = splat %out : tensor<1024xptr<f32>, #l>
  %po = addptr %os, %offs : tensor<1024xptr<f32>, #l>
  %xv = load %px, %mask {vec = 4} : tensor<1024xf32, #l>
  %yv = load %py, %mask {vec = 4} : tensor<1024xf32, #l>
  %s = add %xv, %yv : tensor<1024xf32, #l>
  store %po, %s, %mask {vec = 4}
  return
}
)");
  const int n = 2500;
  std::vector<float> x(3072), y(3072), out(3072, kSentinel);
  for (int i = 0; i < 3072; ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 0.5f * static_cast<float>(i % 7);
  }
  k.launch({3, 1, 1}, {ptrArg(x.data()), ptrArg(y.data()), ptrArg(out.data()), intArg(n)});
  int wrong = 0;
  for (int i = 0; i < 3072; ++i)
    wrong += out[i] != (i < n ? x[i] + y[i] : kSentinel);
  CHECK(wrong == 0);
}

TEST_CASE("sim: 2-D masked copy through slices, expand_dims and broadcast") {
  SimKernel k = build(R"(
#p = #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>
#rows = #slice<dim = 1, parent = #p>
#cols = #slice<dim = 0, parent = #p>
kernel @copy2d(%x: ptr<f32>, %out: ptr<f32>, %M: i32, %N: i32, %stride: i32)
    attributes {num_warps = 4} {
  %pid = program_id {axis = 0} : i32
  %c64 = constant {value = 64} : i32
  %rb = mul %pid, %c64 : i32
  %rbs = splat %rb : tensor<64xi32, #rows>
  %ra = arange {start = 0, end = 64} : tensor<64xi32, #rows>
  %rows = add %rbs, %ra : tensor<64xi32, #rows>
  %cols = arange {start = 0, end = 64} : tensor<64xi32, #cols>
  %Ms = splat %M : tensor<64xi32, #rows>
  %rm = cmp %rows, %Ms {pred = "lt"} : tensor<64xi1, #rows>
  %Ns = splat %N : tensor<64xi32, #cols>
  %cm = cmp %cols, %Ns {pred = "lt"} : tensor<64xi1, #cols>
  %r2 = expand_dims %rows {axis = 1} : tensor<64x1xi32, #p>
  %ss = splat %stride : tensor<64x1xi32, #p>
  %ro = mul %r2, %ss : tensor<64x1xi32, #p>
  %c2 = expand_dims %cols {axis = 0} : tensor<1x64xi32, #p>
  %rob = broadcast %ro : tensor<64x64xi32, #p>
  %cob = broadcast %c2 : tensor<64x64xi32, #p>
  %offs = add %rob, %cob : tensor<64x64xi32, #p>
  %rm2 = expand_dims %rm {axis = 1} : tensor<64x1xi1, #p>
  %cm2 = expand_dims %cm {axis = 0} : tensor<1x64xi1, #p>
  %rmb = broadcast %rm2 : tensor<64x64xi1, #p>
  %cmb = broadcast %cm2 : tensor<64x64xi1, #p>
  %mask = and %rmb, %cmb : tensor<64x64xi1, #p>
  %xs = splat %x : tensor<64x64xptr<f32>, #p>
  %px = addptr %xs, %offs : tensor<64x64xptr<f32>, #p>
  %os = splat %out : tensor<64x64xptr<f32>, #p>
  %po = addptr %os, %offs : tensor<64x64xptr<f32>, #p>
  %other = constant {value = -1.0} : tensor<64x64xf32, #p>
  %v = load %px, %mask, %other {vec = 4} : tensor<64x64xf32, #p>
  %two = constant {value = 2.0} : tensor<64x64xf32, #p>
  %w = mul %v, %two : tensor<64x64xf32, #p>
  store %po, %w, %mask {vec = 4}
  return
}
)");
  // vec = 4 promises masks constant over 4 columns: N is a multiple of 4 (axis info would
  // see that from a divisibility hint on N); M is free.
  const int M = 100, N = 52, stride = 64;
  std::vector<float> x(128 * stride), out(128 * stride, kSentinel);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(i);
  k.launch({2, 1, 1}, {ptrArg(x.data()), ptrArg(out.data()), intArg(M), intArg(N), intArg(stride)});
  int wrong = 0;
  for (int r = 0; r < 128; ++r)
    for (int c = 0; c < stride; ++c) {
      int i = r * stride + c;
      wrong += out[i] != (r < M && c < N ? 2 * x[i] : kSentinel);
    }
  CHECK(wrong == 0);
}

TEST_CASE("sim: convert_layout through shared memory, with and without replication") {
  // Load row-major, convert to a column-major layout, store through column-major offsets.
  auto kernel = [](int rows, int cols) {
    std::string R = std::to_string(rows), C = std::to_string(cols);
    std::string T = R + "x" + C;
    return R"(
#a = #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>
#b = #blocked<spt = [4, 1], tpw = [4, 8], wpc = [1, 4], order = [0, 1]>
#ar = #slice<dim = 1, parent = #a>
#ac = #slice<dim = 0, parent = #a>
#br = #slice<dim = 1, parent = #b>
#bc = #slice<dim = 0, parent = #b>
kernel @transpose_layout(%x: ptr<f32>, %out: ptr<f32>) attributes {num_warps = 4} {
  %cc = constant {value = )" +
           C + R"(} : i32
  %ar = arange {start = 0, end = )" +
           R + R"(} : tensor<)" + R + R"(xi32, #ar>
  %ac = arange {start = 0, end = )" +
           C + R"(} : tensor<)" + C + R"(xi32, #ac>
  %ar2 = expand_dims %ar {axis = 1} : tensor<)" +
           R + R"(x1xi32, #a>
  %ccs = splat %cc : tensor<)" +
           R + R"(x1xi32, #a>
  %arow = mul %ar2, %ccs : tensor<)" +
           R + R"(x1xi32, #a>
  %ac2 = expand_dims %ac {axis = 0} : tensor<1x)" +
           C + R"(xi32, #a>
  %arb = broadcast %arow : tensor<)" +
           T + R"(xi32, #a>
  %acb = broadcast %ac2 : tensor<)" +
           T + R"(xi32, #a>
  %aoff = add %arb, %acb : tensor<)" +
           T + R"(xi32, #a>
  %xs = splat %x : tensor<)" +
           T + R"(xptr<f32>, #a>
  %px = addptr %xs, %aoff : tensor<)" +
           T + R"(xptr<f32>, #a>
  %v = load %px : tensor<)" +
           T + R"(xf32, #a>
  %w = convert_layout %v : tensor<)" +
           T + R"(xf32, #b>
  %br = arange {start = 0, end = )" +
           R + R"(} : tensor<)" + R + R"(xi32, #br>
  %bc = arange {start = 0, end = )" +
           C + R"(} : tensor<)" + C + R"(xi32, #bc>
  %br2 = expand_dims %br {axis = 1} : tensor<)" +
           R + R"(x1xi32, #b>
  %bccs = splat %cc : tensor<)" +
           R + R"(x1xi32, #b>
  %brow = mul %br2, %bccs : tensor<)" +
           R + R"(x1xi32, #b>
  %bc2 = expand_dims %bc {axis = 0} : tensor<1x)" +
           C + R"(xi32, #b>
  %brb = broadcast %brow : tensor<)" +
           T + R"(xi32, #b>
  %bcb = broadcast %bc2 : tensor<)" +
           T + R"(xi32, #b>
  %boff = add %brb, %bcb : tensor<)" +
           T + R"(xi32, #b>
  %os = splat %out : tensor<)" +
           T + R"(xptr<f32>, #b>
  %po = addptr %os, %boff : tensor<)" +
           T + R"(xptr<f32>, #b>
  store %po, %w
  return
}
)";
  };
  for (auto [rows, cols] : {std::pair{64, 64}, std::pair{128, 32}, std::pair{8, 16}}) {
    CAPTURE(rows);
    CAPTURE(cols);
    SimKernel k = build(kernel(rows, cols));
    // The row-major tile, its rows padded by one word where that avoids bank conflicts.
    const int64_t shared = k.info.sharedBytes;
    CHECK((shared == rows * cols * 4 || shared == rows * (cols + 1) * 4));
    std::vector<float> x(rows * cols), out(rows * cols, kSentinel);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<float>(i) * 0.25f;
    k.launch({1, 1, 1}, {ptrArg(x.data()), ptrArg(out.data())});
    CHECK(out == x);
  }
}

TEST_CASE("sim: for, if and while with carried blocks") {
  SimKernel k = build(R"(
#l = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>
kernel @loops(%x: ptr<f32>, %out: ptr<f32>, %K: i32, %flag: i1) attributes {num_warps = 4} {
  %offs = arange {start = 0, end = 128} : tensor<128xi32, #l>
  %zero = constant {value = 0.0} : tensor<128xf32, #l>
  %c0 = constant {value = 0} : i32
  %c1 = constant {value = 1} : i32
  %cm1 = constant {value = -1} : i32
  %c2 = constant {value = 2} : i32
  %c128 = constant {value = 128} : i32
  %xs = splat %x : tensor<128xptr<f32>, #l>
  %acc = for %c0, %K, %c1, %zero : tensor<128xf32, #l> {
  ^(%i: i32, %a: tensor<128xf32, #l>):
    %base = mul %i, %c128 : i32
    %bs = splat %base : tensor<128xi32, #l>
    %o = add %bs, %offs : tensor<128xi32, #l>
    %p = addptr %xs, %o : tensor<128xptr<f32>, #l>
    %v = load %p : tensor<128xf32, #l>
    %n = add %a, %v : tensor<128xf32, #l>
    yield %n
  }
  %last = sub %K, %c1 : i32
  %down = for %last, %cm1, %cm1, %zero : tensor<128xf32, #l> {
  ^(%j: i32, %d: tensor<128xf32, #l>):
    %base2 = mul %j, %c128 : i32
    %bs2 = splat %base2 : tensor<128xi32, #l>
    %o2 = add %bs2, %offs : tensor<128xi32, #l>
    %p2 = addptr %xs, %o2 : tensor<128xptr<f32>, #l>
    %v2 = load %p2 : tensor<128xf32, #l>
    %n2 = add %d, %v2 : tensor<128xf32, #l>
    yield %n2
  }
  %both = add %acc, %down : tensor<128xf32, #l>
  %r = if %flag : tensor<128xf32, #l> {
    %dbl = add %both, %both : tensor<128xf32, #l>
    yield %dbl
  } {
    yield %both
  }
  %w = while %c1 : i32 {
  ^(%k: i32):
    %go = cmp %k, %K {pred = "lt"} : i1
    condition %go, %k
  } {
  ^(%k2: i32):
    %k3 = mul %k2, %c2 : i32
    yield %k3
  }
  %wf = cast %w : f32
  %wb = splat %wf : tensor<128xf32, #l>
  %res = add %r, %wb : tensor<128xf32, #l>
  %os = splat %out : tensor<128xptr<f32>, #l>
  %po = addptr %os, %offs : tensor<128xptr<f32>, #l>
  store %po, %res
  return
}
)");
  const int K = 5;
  std::vector<float> x(K * 128);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(i % 97);
  for (bool flag : {false, true}) {
    std::vector<float> out(128, kSentinel);
    k.launch({1, 1, 1}, {ptrArg(x.data()), ptrArg(out.data()), intArg(K), intArg(flag)});
    int wrong = 0;
    for (int j = 0; j < 128; ++j) {
      float sum = 0;
      for (int i = 0; i < K; ++i)
        sum += x[i * 128 + j];
      float expect = (flag ? 4 * sum : 2 * sum) + 8; // 8: the first power of two >= K
      wrong += out[j] != expect;
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("sim: fp8, f16 and bf16 conversions match APFloat") {
  SimKernel k = build(R"(
#l = #blocked<spt = [8], tpw = [32], wpc = [4], order = [0]>
kernel @conv(%x: ptr<f32>, %e4: ptr<f8e4nv>, %e5: ptr<f8e5>, %h: ptr<f16>, %hz: ptr<f16>,
             %bf: ptr<bf16>, %bz: ptr<bf16>, %bits: ptr<u8>, %back4: ptr<f32>,
             %back5: ptr<f32>) attributes {num_warps = 4} {
  %offs = arange {start = 0, end = 1024} : tensor<1024xi32, #l>
  %xs = splat %x : tensor<1024xptr<f32>, #l>
  %px = addptr %xs, %offs : tensor<1024xptr<f32>, #l>
  %v = load %px {vec = 4} : tensor<1024xf32, #l>
  %v4 = cast %v : tensor<1024xf8e4nv, #l>
  %e4s = splat %e4 : tensor<1024xptr<f8e4nv>, #l>
  %pe4 = addptr %e4s, %offs : tensor<1024xptr<f8e4nv>, #l>
  store %pe4, %v4 {vec = 8}
  %v5 = cast %v : tensor<1024xf8e5, #l>
  %e5s = splat %e5 : tensor<1024xptr<f8e5>, #l>
  %pe5 = addptr %e5s, %offs : tensor<1024xptr<f8e5>, #l>
  store %pe5, %v5 {vec = 8}
  %vh = cast %v : tensor<1024xf16, #l>
  %hs = splat %h : tensor<1024xptr<f16>, #l>
  %ph = addptr %hs, %offs : tensor<1024xptr<f16>, #l>
  store %ph, %vh {vec = 8}
  %vhz = cast %v {rounding = "rtz"} : tensor<1024xf16, #l>
  %hzs = splat %hz : tensor<1024xptr<f16>, #l>
  %phz = addptr %hzs, %offs : tensor<1024xptr<f16>, #l>
  store %phz, %vhz
  %vb = cast %v : tensor<1024xbf16, #l>
  %bfs = splat %bf : tensor<1024xptr<bf16>, #l>
  %pbf = addptr %bfs, %offs : tensor<1024xptr<bf16>, #l>
  store %pbf, %vb
  %vbz = cast %v {rounding = "rtz"} : tensor<1024xbf16, #l>
  %bzs = splat %bz : tensor<1024xptr<bf16>, #l>
  %pbz = addptr %bzs, %offs : tensor<1024xptr<bf16>, #l>
  store %pbz, %vbz
  %c255 = constant {value = 255} : tensor<1024xi32, #l>
  %low = and %offs, %c255 : tensor<1024xi32, #l>
  %b8 = cast %low : tensor<1024xu8, #l>
  %bs = splat %bits : tensor<1024xptr<u8>, #l>
  %pb = addptr %bs, %offs : tensor<1024xptr<u8>, #l>
  store %pb, %b8 {vec = 8}
  %f4 = bitcast %b8 : tensor<1024xf8e4nv, #l>
  %w4 = cast %f4 : tensor<1024xf32, #l>
  %b4s = splat %back4 : tensor<1024xptr<f32>, #l>
  %pb4 = addptr %b4s, %offs : tensor<1024xptr<f32>, #l>
  store %pb4, %w4 {vec = 4}
  %f5 = bitcast %b8 : tensor<1024xf8e5, #l>
  %w5 = cast %f5 : tensor<1024xf32, #l>
  %b5s = splat %back5 : tensor<1024xptr<f32>, #l>
  %pb5 = addptr %b5s, %offs : tensor<1024xptr<f32>, #l>
  store %pb5, %w5 {vec = 4}
  return
}
)");
  std::vector<float> x = conversionInputs(1024);
  std::vector<uint8_t> e4(1024), e5(1024), bits(1024);
  std::vector<uint16_t> h(1024), hz(1024), bf(1024), bz(1024);
  std::vector<float> back4(1024), back5(1024);
  k.launch({1, 1, 1}, {ptrArg(x.data()), ptrArg(e4.data()), ptrArg(e5.data()), ptrArg(h.data()),
                       ptrArg(hz.data()), ptrArg(bf.data()), ptrArg(bz.data()), ptrArg(bits.data()),
                       ptrArg(back4.data()), ptrArg(back5.data())});
  auto nanAware8 = [](uint8_t got, uint8_t want, bool e4m3) {
    float g = fromFp8(got, e4m3), w = fromFp8(want, e4m3);
    return sameFloat(g, w);
  };
  auto isNaN16 = [](uint16_t bits, bool bf16) {
    return bf16 ? (bits & 0x7F80) == 0x7F80 && (bits & 0x7F)
                : (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF);
  };
  auto same16 = [&](uint16_t got, uint16_t want, bool bf16) {
    return got == want || (isNaN16(got, bf16) && isNaN16(want, bf16));
  };
  for (size_t i = 0; i < x.size(); ++i) {
    CAPTURE(i);
    CAPTURE(x[i]);
    CHECK(nanAware8(e4[i], toFp8(x[i], true), true));
    CHECK(nanAware8(e5[i], toFp8(x[i], false), false));
    CHECK(same16(h[i],
                 toHalfBits(x[i], llvm::APFloat::IEEEhalf(), llvm::RoundingMode::NearestTiesToEven),
                 false));
    // Round toward zero keeps infinity only for infinite inputs.
    uint16_t wantHz = toHalfBits(x[i], llvm::APFloat::IEEEhalf(), llvm::RoundingMode::TowardZero);
    CHECK(same16(hz[i], wantHz, false));
    CHECK(same16(bf[i],
                 toHalfBits(x[i], llvm::APFloat::BFloat(), llvm::RoundingMode::NearestTiesToEven),
                 true));
    CHECK(same16(bz[i], toHalfBits(x[i], llvm::APFloat::BFloat(), llvm::RoundingMode::TowardZero),
                 true));
    CHECK(bits[i] == (i & 255));
    CHECK(sameFloat(back4[i], fromFp8(static_cast<uint8_t>(i & 255), true)));
    CHECK(sameFloat(back5[i], fromFp8(static_cast<uint8_t>(i & 255), false)));
  }
}

TEST_CASE("sim: integer and float arithmetic follow Triton's semantics") {
  SimKernel k = build(R"(
#l = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>
kernel @arith(%a: ptr<i32>, %b: ptr<i32>, %f: ptr<f32>, %g: ptr<f32>, %out: ptr<i32>,
              %fout: ptr<f32>) attributes {num_warps = 4} {
  %offs = arange {start = 0, end = 128} : tensor<128xi32, #l>
  %as = splat %a : tensor<128xptr<i32>, #l>
  %pa = addptr %as, %offs : tensor<128xptr<i32>, #l>
  %x = load %pa : tensor<128xi32, #l>
  %bs = splat %b : tensor<128xptr<i32>, #l>
  %pb = addptr %bs, %offs : tensor<128xptr<i32>, #l>
  %y = load %pb : tensor<128xi32, #l>
  %q = div %x, %y : tensor<128xi32, #l>
  %r = rem %x, %y : tensor<128xi32, #l>
  %ux = cast %x : tensor<128xu32, #l>
  %uy = cast %y : tensor<128xu32, #l>
  %uq = div %ux, %uy : tensor<128xu32, #l>
  %c3 = constant {value = 3} : tensor<128xi32, #l>
  %sr = shr %x, %c3 : tensor<128xi32, #l>
  %u3 = constant {value = 3} : tensor<128xu32, #l>
  %ur = shr %ux, %u3 : tensor<128xu32, #l>
  %hi = umulhi %x, %y : tensor<128xi32, #l>
  %mx = max %x, %y : tensor<128xi32, #l>
  %umx = max %ux, %uy : tensor<128xu32, #l>
  %c8 = constant {value = 8} : tensor<128xi32, #l>
  %os = splat %out : tensor<128xptr<i32>, #l>
  %o0 = mul %offs, %c8 : tensor<128xi32, #l>
  %p0 = addptr %os, %o0 : tensor<128xptr<i32>, #l>
  store %p0, %q
  %one = constant {value = 1} : tensor<128xi32, #l>
  %p1 = addptr %p0, %one : tensor<128xptr<i32>, #l>
  store %p1, %r
  %p2 = addptr %p1, %one : tensor<128xptr<i32>, #l>
  %uqi = cast %uq : tensor<128xi32, #l>
  store %p2, %uqi
  %p3 = addptr %p2, %one : tensor<128xptr<i32>, #l>
  store %p3, %sr
  %p4 = addptr %p3, %one : tensor<128xptr<i32>, #l>
  %uri = cast %ur : tensor<128xi32, #l>
  store %p4, %uri
  %p5 = addptr %p4, %one : tensor<128xptr<i32>, #l>
  store %p5, %hi
  %p6 = addptr %p5, %one : tensor<128xptr<i32>, #l>
  store %p6, %mx
  %p7 = addptr %p6, %one : tensor<128xptr<i32>, #l>
  %umxi = cast %umx : tensor<128xi32, #l>
  store %p7, %umxi
  %fs = splat %f : tensor<128xptr<f32>, #l>
  %pf = addptr %fs, %offs : tensor<128xptr<f32>, #l>
  %fv = load %pf : tensor<128xf32, #l>
  %gs = splat %g : tensor<128xptr<f32>, #l>
  %pg = addptr %gs, %offs : tensor<128xptr<f32>, #l>
  %gv = load %pg : tensor<128xf32, #l>
  %fmax = max %fv, %gv : tensor<128xf32, #l>
  %fmaxn = max %fv, %gv {propagate_nan = true} : tensor<128xf32, #l>
  %fmin = min %fv, %gv : tensor<128xf32, #l>
  %frem = rem %fv, %gv : tensor<128xf32, #l>
  %ne = cmp %fv, %gv {pred = "ne"} : tensor<128xi1, #l>
  %lt = cmp %fv, %gv {pred = "lt"} : tensor<128xi1, #l>
  %nef = cast %ne : tensor<128xf32, #l>
  %ltf = cast %lt : tensor<128xf32, #l>
  %toi = cast %fv : tensor<128xi32, #l>
  %tof = cast %toi : tensor<128xf32, #l>
  %fos = splat %fout : tensor<128xptr<f32>, #l>
  %f0 = mul %offs, %c8 : tensor<128xi32, #l>
  %q0 = addptr %fos, %f0 : tensor<128xptr<f32>, #l>
  store %q0, %fmax
  %q1 = addptr %q0, %one : tensor<128xptr<f32>, #l>
  store %q1, %fmaxn
  %q2 = addptr %q1, %one : tensor<128xptr<f32>, #l>
  store %q2, %fmin
  %q3 = addptr %q2, %one : tensor<128xptr<f32>, #l>
  store %q3, %frem
  %q4 = addptr %q3, %one : tensor<128xptr<f32>, #l>
  store %q4, %nef
  %q5 = addptr %q4, %one : tensor<128xptr<f32>, #l>
  store %q5, %ltf
  %q6 = addptr %q5, %one : tensor<128xptr<f32>, #l>
  store %q6, %tof
  return
}
)");
  std::vector<int32_t> a(128), b(128), out(128 * 8);
  std::vector<float> f(128), g(128), fout(128 * 8);
  for (int i = 0; i < 128; ++i) {
    a[i] = (i * 7919 % 2001) - 1000;
    b[i] = ((i * 104729) % 37) - 18;
    if (b[i] == 0)
      b[i] = 5;
    f[i] = static_cast<float>((i * 37) % 23) - 11.5f;
    g[i] = i % 9 == 0 ? NAN : static_cast<float>((i * 11) % 13) - 6.25f;
  }
  k.launch({1, 1, 1}, {ptrArg(a.data()), ptrArg(b.data()), ptrArg(f.data()), ptrArg(g.data()),
                       ptrArg(out.data()), ptrArg(fout.data())});
  for (int i = 0; i < 128; ++i) {
    CAPTURE(i);
    const int32_t x = a[i], y = b[i];
    const uint32_t ux = static_cast<uint32_t>(x), uy = static_cast<uint32_t>(y);
    const int32_t *o = &out[i * 8];
    CHECK(o[0] == x / y); // C++ also truncates toward zero
    CHECK(o[1] == x % y);
    CHECK(static_cast<uint32_t>(o[2]) == ux / uy);
    CHECK(o[3] == (x >> 3));
    CHECK(static_cast<uint32_t>(o[4]) == (ux >> 3));
    CHECK(static_cast<uint32_t>(o[5]) == static_cast<uint32_t>((uint64_t{ux} * uy) >> 32));
    CHECK(o[6] == std::max(x, y));
    CHECK(static_cast<uint32_t>(o[7]) == std::max(ux, uy));
    const float *q = &fout[i * 8];
    CHECK(sameFloat(q[0], std::fmax(f[i], g[i])));
    CHECK(sameFloat(q[1], std::isnan(g[i]) ? NAN : std::fmax(f[i], g[i])));
    CHECK(sameFloat(q[2], std::fmin(f[i], g[i])));
    CHECK(sameFloat(q[3], std::fmod(f[i], g[i])));
    CHECK(q[4] == (f[i] != g[i] ? 1.0f : 0.0f)); // ne is unordered: NaN != x
    CHECK(q[5] == (f[i] < g[i] ? 1.0f : 0.0f));
    CHECK(q[6] == static_cast<float>(static_cast<int32_t>(f[i])));
  }
}

TEST_CASE("sim: reduce within threads, across lanes and across warps") {
  SimKernel k = build(R"(
#p = #blocked<spt = [1, 4], tpw = [8, 4], wpc = [4, 1], order = [1, 0]>
#rows = #slice<dim = 1, parent = #p>
#cols = #slice<dim = 0, parent = #p>
#l = #blocked<spt = [4], tpw = [32], wpc = [4], order = [0]>
kernel @reduce(%x: ptr<f32>, %rowSum: ptr<f32>, %colMax: ptr<f32>, %best: ptr<f32>,
               %bestAt: ptr<i32>) attributes {num_warps = 4} {
  %c64 = constant {value = 64} : tensor<64x1xi32, #p>
  %ra = arange {start = 0, end = 64} : tensor<64xi32, #rows>
  %ca = arange {start = 0, end = 64} : tensor<64xi32, #cols>
  %r2 = expand_dims %ra {axis = 1} : tensor<64x1xi32, #p>
  %rm = mul %r2, %c64 : tensor<64x1xi32, #p>
  %c2 = expand_dims %ca {axis = 0} : tensor<1x64xi32, #p>
  %rb = broadcast %rm : tensor<64x64xi32, #p>
  %cb = broadcast %c2 : tensor<64x64xi32, #p>
  %offs = add %rb, %cb : tensor<64x64xi32, #p>
  %xs = splat %x : tensor<64x64xptr<f32>, #p>
  %px = addptr %xs, %offs : tensor<64x64xptr<f32>, #p>
  %v = load %px {vec = 4} : tensor<64x64xf32, #p>
  %sum = reduce %v {axis = 1} : tensor<64xf32, #rows> {
  ^(%a: f32, %b: f32):
    %s = add %a, %b : f32
    yield %s
  }
  %rs = splat %rowSum : tensor<64xptr<f32>, #rows>
  %prs = addptr %rs, %ra : tensor<64xptr<f32>, #rows>
  store %prs, %sum
  %mx = reduce %v {axis = 0} : tensor<64xf32, #cols> {
  ^(%a: f32, %b: f32):
    %m = max %a, %b : f32
    yield %m
  }
  %cs = splat %colMax : tensor<64xptr<f32>, #cols>
  %pcs = addptr %cs, %ca : tensor<64xptr<f32>, #cols>
  store %pcs, %mx
  %o = arange {start = 0, end = 1024} : tensor<1024xi32, #l>
  %xs1 = splat %x : tensor<1024xptr<f32>, #l>
  %px1 = addptr %xs1, %o : tensor<1024xptr<f32>, #l>
  %w = load %px1 : tensor<1024xf32, #l>
  %bv, %bi = reduce %w, %o {axis = 0} : f32, i32 {
  ^(%a: f32, %ai: i32, %b: f32, %bidx: i32):
    %gt = cmp %b, %a {pred = "gt"} : i1
    %eq = cmp %b, %a {pred = "eq"} : i1
    %lt = cmp %bidx, %ai {pred = "lt"} : i1
    %tie = and %eq, %lt : i1
    %take = or %gt, %tie : i1
    %nv = select %take, %b, %a : f32
    %ni = select %take, %bidx, %ai : i32
    yield %nv, %ni
  }
  store %best, %bv
  store %bestAt, %bi
  return
}
)");
  CHECK(k.info.sharedBytes == 64 * 4 * 4); // the column max: 4 warps' partials of 64 columns
  std::vector<float> x(64 * 64), rowSum(64), colMax(64), best(1);
  std::vector<int32_t> bestAt(1, -1);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>((i * 7907) % 1009) - 500.0f; // sums are exact in f32
  x[234] = x[900] = 600.0f;                                // a tie: the first index wins
  k.launch({1, 1, 1}, {ptrArg(x.data()), ptrArg(rowSum.data()), ptrArg(colMax.data()),
                       ptrArg(best.data()), ptrArg(bestAt.data())});
  for (int r = 0; r < 64; ++r) {
    float s = 0;
    for (int c = 0; c < 64; ++c)
      s += x[r * 64 + c];
    CHECK(rowSum[r] == s);
  }
  for (int c = 0; c < 64; ++c) {
    float m = -INFINITY;
    for (int r = 0; r < 64; ++r)
      m = std::max(m, x[r * 64 + c]);
    CHECK(colMax[c] == m);
  }
  CHECK(best[0] == 600.0f);
  CHECK(bestAt[0] == 234);
}

TEST_CASE("sim: atomics update each element once and return the old values") {
  SimKernel k = build(R"(
#l = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>
kernel @atomics(%x: ptr<i32>, %hist: ptr<i32>, %acc: ptr<f32>, %olds: ptr<f32>,
                %ticket: ptr<i32>, %tickets: ptr<i32>, %lock: ptr<i32>, %lockOld: ptr<i32>,
                %n: i32) attributes {num_warps = 4} {
  %pid = program_id {axis = 0} : i32
  %c128 = constant {value = 128} : i32
  %base = mul %pid, %c128 : i32
  %bs = splat %base : tensor<128xi32, #l>
  %r = arange {start = 0, end = 128} : tensor<128xi32, #l>
  %offs = add %bs, %r : tensor<128xi32, #l>
  %nb = splat %n : tensor<128xi32, #l>
  %mask = cmp %offs, %nb {pred = "lt"} : tensor<128xi1, #l>
  %xs = splat %x : tensor<128xptr<i32>, #l>
  %px = addptr %xs, %offs : tensor<128xptr<i32>, #l>
  %v = load %px, %mask : tensor<128xi32, #l>
  %c15 = constant {value = 15} : tensor<128xi32, #l>
  %bin = and %v, %c15 : tensor<128xi32, #l>
  %hs = splat %hist : tensor<128xptr<i32>, #l>
  %ph = addptr %hs, %bin : tensor<128xptr<i32>, #l>
  %one = constant {value = 1} : tensor<128xi32, #l>
  %unused = atomic_rmw %ph, %one, %mask {kind = "add", sem = "relaxed", scope = "gpu"} : tensor<128xi32, #l>
  %s = arange {start = 0, end = 64} : tensor<64xi32, #l>
  %as = splat %acc : tensor<64xptr<f32>, #l>
  %pa = addptr %as, %s : tensor<64xptr<f32>, #l>
  %half = constant {value = 0.5} : tensor<64xf32, #l>
  %old = atomic_rmw %pa, %half {kind = "add"} : tensor<64xf32, #l>
  %c64 = constant {value = 64} : i32
  %ob = mul %pid, %c64 : i32
  %obs = splat %ob : tensor<64xi32, #l>
  %oo = add %obs, %s : tensor<64xi32, #l>
  %os = splat %olds : tensor<64xptr<f32>, #l>
  %po = addptr %os, %oo : tensor<64xptr<f32>, #l>
  store %po, %old
  %c1 = constant {value = 1} : i32
  %t = atomic_rmw %ticket, %c1 {kind = "add"} : i32
  %pt = addptr %tickets, %pid : ptr<i32>
  store %pt, %t
  %c0 = constant {value = 0} : i32
  %me = add %pid, %c1 : i32
  %lo = atomic_cas %lock, %c0, %me : i32
  %pl = addptr %lockOld, %pid : ptr<i32>
  store %pl, %lo
  return
}
)");
  const int n = 300, programs = 3;
  std::vector<int32_t> x(programs * 128), hist(16, 0), tickets(programs, -1), lockOld(programs);
  std::vector<float> acc(64, 1.0f), olds(programs * 64);
  int32_t ticket = 0, lock = 0;
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<int32_t>(i * 37 % 101);
  k.launch({programs, 1, 1}, {ptrArg(x.data()), ptrArg(hist.data()), ptrArg(acc.data()),
                              ptrArg(olds.data()), ptrArg(&ticket), ptrArg(tickets.data()),
                              ptrArg(&lock), ptrArg(lockOld.data()), intArg(n)});
  std::vector<int32_t> want(16, 0);
  for (int i = 0; i < n; ++i)
    ++want[x[i] & 15];
  CHECK(hist == want);
  // 64 elements on 128 threads: each element is held twice but added once per program.
  for (int i = 0; i < 64; ++i) {
    CHECK(acc[i] == 1.0f + 0.5f * programs);
    for (int p = 0; p < programs; ++p)
      CHECK(olds[p * 64 + i] == 1.0f + 0.5f * p); // programs run in order here
  }
  CHECK(ticket == programs);
  CHECK(tickets == std::vector<int32_t>{0, 1, 2});
  CHECK(lock == 1);
  CHECK(lockOld == std::vector<int32_t>{0, 1, 1});
}

namespace {

/// A 1-D kernel over 256 f32 elements: loads x in layout #in, applies `body` (which reads %v
/// and %w, the first and second halves as 128-element blocks in #half, and %i, i32 indices in
/// #in), and stores %o (256 elements in #in) to out.
std::string shapeKernel(const std::string &layouts, const std::string &body) {
  return layouts + R"(
#in = #blocked<spt = [2], tpw = [32], wpc = [4], order = [0]>
#half = #blocked<spt = [1], tpw = [32], wpc = [4], order = [0]>
kernel @shape(%x: ptr<f32>, %idx: ptr<i32>, %out: ptr<f32>) attributes {num_warps = 4} {
  %r = arange {start = 0, end = 256} : tensor<256xi32, #in>
  %xs = splat %x : tensor<256xptr<f32>, #in>
  %px = addptr %xs, %r : tensor<256xptr<f32>, #in>
  %v = load %px : tensor<256xf32, #in>
  %is = splat %idx : tensor<256xptr<i32>, #in>
  %pi = addptr %is, %r : tensor<256xptr<i32>, #in>
  %i = load %pi : tensor<256xi32, #in>
  %h = arange {start = 0, end = 128} : tensor<128xi32, #half>
  %c128 = constant {value = 128} : tensor<128xi32, #half>
  %h2 = add %h, %c128 : tensor<128xi32, #half>
  %xh = splat %x : tensor<128xptr<f32>, #half>
  %pa = addptr %xh, %h : tensor<128xptr<f32>, #half>
  %pb = addptr %xh, %h2 : tensor<128xptr<f32>, #half>
  %a = load %pa : tensor<128xf32, #half>
  %b = load %pb : tensor<128xf32, #half>
)" + body +
         R"(
  %os = splat %out : tensor<256xptr<f32>, #in>
  %po = addptr %os, %r : tensor<256xptr<f32>, #in>
  store %po, %o
  return
}
)";
}

/// Runs a shapeKernel on x[i] = i and idx[i] = (i * 37) % 256; returns out. A relayout through
/// shared memory may pad the tile's rows by a word each (relayoutRowPitch): up to 128 bytes here.
std::vector<float> runShape(const std::string &text, unsigned expectedShared) {
  SimKernel k = build(text);
  CHECK(k.info.sharedBytes >= expectedShared);
  CHECK(k.info.sharedBytes <= expectedShared + (expectedShared ? 128u : 0u));
  std::vector<float> x(256), out(256, kSentinel);
  std::vector<int32_t> idx(256);
  for (int i = 0; i < 256; ++i) {
    x[i] = static_cast<float>(i);
    idx[i] = (i * 37) % 256;
  }
  k.launch({1, 1, 1}, {ptrArg(x.data()), ptrArg(idx.data()), ptrArg(out.data())});
  return out;
}

} // namespace

TEST_CASE("sim: trans and reshape, by renumbering registers and through shared memory") {
  // out[16 i + j] = x[16 j + i]: reshape to 16x16, transpose, reshape back. #m keeps each
  // thread's elements of #in (a register renumbering); #t is its permutation (so the trans is
  // one too); #u is unrelated (the trans then goes through shared memory).
  const std::string layouts = R"(
#m = #blocked<spt = [1, 2], tpw = [4, 8], wpc = [4, 1], order = [1, 0]>
#t = #blocked<spt = [2, 1], tpw = [8, 4], wpc = [1, 4], order = [0, 1]>
#u = #blocked<spt = [1, 1], tpw = [2, 16], wpc = [2, 2], order = [1, 0]>)";
  std::vector<float> expected(256);
  for (int i = 0; i < 16; ++i)
    for (int j = 0; j < 16; ++j)
      expected[16 * i + j] = static_cast<float>(16 * j + i);
  auto body = [](const std::string &transLayout) {
    return R"(
  %m = reshape %v : tensor<16x16xf32, #m>
  %t = trans %m {order = [1, 0]} : tensor<16x16xf32, )" +
           transLayout + R"(>
  %o = reshape %t : tensor<256xf32, #in>)";
  };
  // #t: only the final reshape (from #t, whose threads hold columns) needs shared memory.
  CHECK(runShape(shapeKernel(layouts, body("#t")), 1024) == expected);
  CHECK(runShape(shapeKernel(layouts, body("#u")), 1024) == expected);
  // A 3-D permute: (2, 8, 16) -> (16, 2, 8), reshaped back; out[16 a + 2 b + c]... computed.
  const std::string permute = R"(
  %m = reshape %v : tensor<2x8x16xf32, #p>
  %t = trans %m {order = [2, 0, 1]} : tensor<16x2x8xf32, #q>
  %o = reshape %t : tensor<256xf32, #in>)";
  std::vector<float> permuted(256);
  for (int c = 0; c < 16; ++c)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 8; ++b)
        permuted[c * 16 + a * 8 + b] = static_cast<float>(a * 128 + b * 16 + c);
  CHECK(runShape(shapeKernel(R"(
#p = #blocked<spt = [1, 1, 2], tpw = [1, 4, 8], wpc = [2, 2, 1], order = [2, 1, 0]>
#q = #blocked<spt = [1, 1, 1], tpw = [8, 2, 2], wpc = [1, 1, 4], order = [0, 2, 1]>)",
                             permute),
                 1024) == permuted);
}

TEST_CASE("sim: join, split, interleave and cat") {
  // x[0:128] = a, x[128:256] = b.
  std::vector<float> interleaved(256), swapped(256), x(256);
  for (int i = 0; i < 128; ++i) {
    interleaved[2 * i] = static_cast<float>(i);
    interleaved[2 * i + 1] = static_cast<float>(128 + i);
    swapped[i] = static_cast<float>(128 + i);
    swapped[128 + i] = static_cast<float>(i);
  }
  for (int i = 0; i < 256; ++i)
    x[i] = static_cast<float>(i);
  const std::string layouts = R"(
#j = #blocked<spt = [1, 2], tpw = [32, 1], wpc = [4, 1], order = [1, 0]>
#k = #blocked<spt = [1, 1], tpw = [16, 2], wpc = [4, 1], order = [1, 0]>)";
  // join into registers (#j: one pair per thread) and the reshape to #in (two consecutive
  // elements per thread: the same ones) make interleave a register renumbering.
  CHECK(runShape(shapeKernel(layouts, R"(
  %j = join %a, %b : tensor<128x2xf32, #j>
  %o = reshape %j : tensor<256xf32, #in>)"),
                 0) == interleaved);
  // join along lanes (#k): through shared memory.
  CHECK(runShape(shapeKernel(layouts, R"(
  %j = join %a, %b : tensor<128x2xf32, #k>
  %o = reshape %j : tensor<256xf32, #in>)"),
                 1024) == interleaved);
  // split of the interleaved block, then cat of the halves swapped: x rotated by 128.
  for (const char *l : {"#j", "#k"}) {
    CAPTURE(l);
    CHECK(runShape(shapeKernel(layouts, std::string(R"(
  %j = reshape %v : tensor<128x2xf32, )") + l +
                                            R"(>
  %e, %f = split %j : tensor<128xf32, #half>, tensor<128xf32, #half>
  %o1 = cat %f, %e : tensor<256xf32, #half>
  %o = convert_layout %o1 : tensor<256xf32, #in>)"),
                   1024) == [&] {
      // split of reshape(x) gives the even and odd elements.
      std::vector<float> r(256);
      for (int i = 0; i < 128; ++i) {
        r[i] = static_cast<float>(2 * i + 1);
        r[128 + i] = static_cast<float>(2 * i);
      }
      return r;
    }());
  }
  // cat of the two halves is x itself: into #in through shared memory, into #half (the
  // operands' layout, one more register) by renumbering (the shared memory is the convert's).
  CHECK(runShape(shapeKernel(layouts, R"(
  %o = cat %a, %b : tensor<256xf32, #in>)"),
                 1024) == x);
  CHECK(runShape(shapeKernel(layouts, R"(
  %c = cat %a, %b : tensor<256xf32, #half>
  %o = convert_layout %c : tensor<256xf32, #in>)"),
                 1024) == x);
  CHECK(runShape(shapeKernel(layouts, R"(
  %o = cat %b, %a : tensor<256xf32, #in>)"),
                 1024) == swapped);
}

TEST_CASE("sim: gather within each thread's registers") {
  // 128 rows of 2, each row in one thread (as #in holds pairs): selects, no shared memory.
  // out[2 r + c] = x[2 r + idx[2 r + c] % 2].
  std::vector<float> expected(256);
  for (int i = 0; i < 256; ++i)
    expected[i] = static_cast<float>((i & ~1) + ((i * 37) % 256) % 2);
  CHECK(runShape(shapeKernel(R"(
#r = #blocked<spt = [1, 2], tpw = [32, 1], wpc = [4, 1], order = [1, 0]>)",
                             R"(
  %v2 = reshape %v : tensor<128x2xf32, #r>
  %i2 = reshape %i : tensor<128x2xi32, #r>
  %g = gather %v2, %i2 {axis = 1} : tensor<128x2xf32, #r>
  %o = reshape %g : tensor<256xf32, #in>)"),
                 0) == expected);
}

TEST_CASE("sim: gather through shared memory") {
  // out[i] = x[idx[i]] (the index has the result's layout, as the verifier requires).
  std::vector<float> expected(256);
  for (int i = 0; i < 256; ++i)
    expected[i] = static_cast<float>((i * 37) % 256);
  CHECK(runShape(shapeKernel("", R"(
  %o = gather %v, %i {axis = 0} : tensor<256xf32, #in>)"),
                 1024) == expected);
  // Along axis 1 of a 16x16 block whose source has another layout than the index:
  // out[16 r + c] = x[16 r + idx[16 r + c] % 16].
  std::vector<float> rows(256);
  for (int r = 0; r < 16; ++r)
    for (int c = 0; c < 16; ++c)
      rows[16 * r + c] = static_cast<float>(16 * r + ((16 * r + c) * 37 % 256) % 16);
  CHECK(runShape(shapeKernel(R"(
#m = #blocked<spt = [1, 2], tpw = [4, 8], wpc = [4, 1], order = [1, 0]>
#n = #blocked<spt = [1, 1], tpw = [16, 2], wpc = [1, 4], order = [0, 1]>)",
                             R"(
  %v2 = reshape %v : tensor<16x16xf32, #n>
  %i2 = reshape %i : tensor<16x16xi32, #m>
  %c15 = constant {value = 15} : tensor<16x16xi32, #m>
  %i3 = and %i2, %c15 : tensor<16x16xi32, #m>
  %g = gather %v2, %i3 {axis = 1} : tensor<16x16xf32, #m>
  %o = reshape %g : tensor<256xf32, #in>)"),
                 1024) == rows);
}

TEST_CASE("sim: cp.async stores into wgmma tiles land where the descriptors read") {
  // The pipeline's copies of a dot operand into a #shared<wgmma> tile, in the blocked layouts
  // the matmul corpus kernels load with (and the transposed operands of versioned kernels,
  // order [0, 1]): every element must land at the byte the tile form (layout/WgmmaLayout.h,
  // whose descriptor addresses test_wgmma.cpp checks) gives it. The registers' constant
  // offsets (rows 8, 16, .. apart; column blocks) are split off the swizzled address; in the
  // wgmma form a row is S bytes and a column block R rows of S bytes, not the mma.sync form's C
  // elements per row (the merged tree's illegal address on the H200: row + 8 of a 32x128 B
  // tile stored 2048 bytes on instead of 1024).
  struct Case {
    int rows, cols;
    std::string layout;
    bool colMajor; // dim 0 contiguous (in memory, the layout and the tile)
  };
  for (const Case &c : {Case{32, 128, "spt = [1, 8], tpw = [2, 16], wpc = [4, 1]", false},
                        Case{128, 32, "spt = [1, 8], tpw = [8, 4], wpc = [4, 1]", false},
                        Case{32, 128, "spt = [1, 8], tpw = [4, 8], wpc = [4, 1]", false},
                        Case{64, 64, "spt = [1, 8], tpw = [4, 8], wpc = [4, 1]", false},
                        Case{32, 256, "spt = [1, 8], tpw = [1, 32], wpc = [2, 2]", false},
                        Case{64, 16, "spt = [1, 8], tpw = [16, 2], wpc = [4, 1]", false},
                        Case{128, 32, "spt = [8, 1], tpw = [16, 2], wpc = [1, 4]", true},
                        Case{32, 128, "spt = [8, 1], tpw = [4, 8], wpc = [1, 4]", true}}) {
    CAPTURE(c.rows);
    CAPTURE(c.cols);
    CAPTURE(c.layout);
    CAPTURE(c.colMajor);
    const std::string R = std::to_string(c.rows), C = std::to_string(c.cols);
    const std::string T = R + "x" + C;
    const std::string order = c.colMajor ? "[0, 1]" : "[1, 0]";
    const std::string rowStride = c.colMajor ? "1" : C, colStride = c.colMajor ? R : "1";
    const std::string text = "#b = #blocked<" + c.layout + ", order = " + order + R"(>
#r = #slice<dim = 1, parent = #b>
#c = #slice<dim = 0, parent = #b>
#s = #shared<order = )" + order +
                             R"(, wgmma>
kernel @stage(%x: ptr<f16>) attributes {num_warps = 4} {
  %sr = constant {value = )" +
                             rowStride + R"(} : i32
  %sc = constant {value = )" +
                             colStride + R"(} : i32
  %ar = arange {start = 0, end = )" +
                             R + R"(} : tensor<)" + R + R"(xi32, #r>
  %ac = arange {start = 0, end = )" +
                             C + R"(} : tensor<)" + C + R"(xi32, #c>
  %ar2 = expand_dims %ar {axis = 1} : tensor<)" +
                             R + R"(x1xi32, #b>
  %srs = splat %sr : tensor<)" +
                             R + R"(x1xi32, #b>
  %row = mul %ar2, %srs : tensor<)" +
                             R + R"(x1xi32, #b>
  %ac2 = expand_dims %ac {axis = 0} : tensor<1x)" +
                             C + R"(xi32, #b>
  %scs = splat %sc : tensor<1x)" +
                             C + R"(xi32, #b>
  %col = mul %ac2, %scs : tensor<1x)" +
                             C + R"(xi32, #b>
  %rb = broadcast %row : tensor<)" +
                             T + R"(xi32, #b>
  %cb = broadcast %col : tensor<)" +
                             T + R"(xi32, #b>
  %off = add %rb, %cb : tensor<)" +
                             T + R"(xi32, #b>
  %xs = splat %x : tensor<)" +
                             T + R"(xptr<f16>, #b>
  %px = addptr %xs, %off : tensor<)" +
                             T + R"(xptr<f16>, #b>
  %t = local_alloc : tensor<)" +
                             T + R"(xf16, #s>
  %t1 = async_copy %t, %px {vec = 8} : tensor<)" +
                             T + R"(xf16, #s>
  async_wait {pending = 0}
  return
}
)";
    SimKernel k = build(text, 0);
    REQUIRE(k.info.sharedBytes == c.rows * c.cols * 2);
    std::vector<uint16_t> x(c.rows * c.cols);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<uint16_t>(i + 1);
    std::memset(simShared, 0, sizeof simShared);
    k.launch({1, 1, 1}, {ptrArg(x.data())});
    int wrong = 0;
    for (int r = 0; r < c.rows; ++r)
      for (int col = 0; col < c.cols; ++col) {
        // The tile form's rows run along the non-contiguous dim.
        const int64_t at = c.colMajor ? wgmmaTileOffset(c.cols, c.rows, 2, col, r)
                                      : wgmmaTileOffset(c.rows, c.cols, 2, r, col);
        const uint16_t want = x[c.colMajor ? col * c.rows + r : r * c.cols + col];
        uint16_t v;
        std::memcpy(&v, simShared + at, 2);
        if (v != want && wrong++ < 4)
          FAIL_CHECK("element (" << r << ", " << col << ") holds " << v << ", expected " << want);
      }
    CHECK(wrong == 0);
  }
}

TEST_CASE("sim: the wgmma accumulator's epilogue relayout through shared memory") {
  // matmul's epilogue on wgmma: the f16 result in the mma version 3 layout goes to a blocked
  // layout through the relayout scratch (swizzled in 16-byte vectors), which the allocation
  // places over the dead pipeline stages. Every element must arrive, inside the scratch.
  struct Case {
    int rows, cols, warps;
    std::string mma, blocked;
  };
  for (const Case &c : {Case{128, 128, 4, "wpc = [4, 1], instr = [16, 128]",
                             "spt = [1, 8], tpw = [2, 16], wpc = [4, 1]"},
                        Case{128, 256, 8, "wpc = [8, 1], instr = [16, 256]",
                             "spt = [1, 8], tpw = [1, 32], wpc = [8, 1]"},
                        Case{64, 128, 4, "wpc = [4, 1], instr = [16, 128]",
                             "spt = [1, 8], tpw = [2, 16], wpc = [4, 1]"}}) {
    CAPTURE(c.rows);
    CAPTURE(c.cols);
    const std::string R = std::to_string(c.rows), C = std::to_string(c.cols);
    const std::string T = R + "x" + C;
    auto index =
        [&](const std::string &l) {
          return R"(  %ar_)" + l + R"( = arange {start = 0, end = )" + R + R"(} : tensor<)" + R +
                 R"(xi32, #r)" + l + R"(>
  %ac_)" + l + R"( = arange {start = 0, end = )" +
                 C + R"(} : tensor<)" + C + R"(xi32, #c)" + l +
                 R"(>
  %ar2_)" + l + R"( = expand_dims %ar_)" +
                 l + R"( {axis = 1} : tensor<)" + R + R"(x1xi32, #)" + l + R"(>
  %ccs_)" + l + R"( = splat %cc : tensor<)" +
                 R + R"(x1xi32, #)" + l + R"(>
  %row_)" + l + R"( = mul %ar2_)" +
                 l + R"(, %ccs_)" + l + R"( : tensor<)" + R + R"(x1xi32, #)" + l + R"(>
  %ac2_)" + l + R"( = expand_dims %ac_)" +
                 l + R"( {axis = 0} : tensor<1x)" + C + R"(xi32, #)" + l + R"(>
  %rb_)" + l + R"( = broadcast %row_)" +
                 l + R"( : tensor<)" + T + R"(xi32, #)" + l + R"(>
  %cb_)" + l + R"( = broadcast %ac2_)" +
                 l + R"( : tensor<)" + T + R"(xi32, #)" + l + R"(>
  %off_)" + l + R"( = add %rb_)" +
                 l + R"(, %cb_)" + l + R"( : tensor<)" + T + R"(xi32, #)" + l +
                 R"(>
)";
        };
    const std::string text = "#m = #mma<version = 3, " + c.mma + R"(>
#b = #blocked<)" + c.blocked +
                             R"(, order = [1, 0]>
#rm = #slice<dim = 1, parent = #m>
#cm = #slice<dim = 0, parent = #m>
#rb = #slice<dim = 1, parent = #b>
#cb = #slice<dim = 0, parent = #b>
kernel @epilogue(%x: ptr<f16>, %out: ptr<f16>) attributes {num_warps = )" +
                             std::to_string(c.warps) + R"(} {
  %cc = constant {value = )" +
                             C + R"(} : i32
)" + index("m") + index("b") +
                             R"(  %xs = splat %x : tensor<)" + T + R"(xptr<f16>, #m>
  %px = addptr %xs, %off_m : tensor<)" +
                             T + R"(xptr<f16>, #m>
  %v = load %px : tensor<)" + T +
                             R"(xf16, #m>
  %w = convert_layout %v : tensor<)" +
                             T + R"(xf16, #b>
  %os = splat %out : tensor<)" +
                             T + R"(xptr<f16>, #b>
  %po = addptr %os, %off_b : tensor<)" +
                             T + R"(xptr<f16>, #b>
  store %po, %w
  return
}
)";
    SimKernel k = build(text);
    const size_t scratch = k.info.sharedBytes;
    CHECK(scratch > 0);
    CHECK(scratch <= static_cast<size_t>(c.rows * c.cols * 2));
    std::vector<uint16_t> x(c.rows * c.cols), out(x.size(), 0);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = static_cast<uint16_t>(i * 7 + 1);
    std::memset(simShared, 0xA5, sizeof simShared);
    k.launch({1, 1, 1}, {ptrArg(x.data()), ptrArg(out.data())});
    CHECK(out == x);
    // Nothing written past the scratch.
    CHECK(std::all_of(simShared + scratch, simShared + scratch + 64 * 1024,
                      [](unsigned char b) { return b == 0xA5; }));
  }
}
