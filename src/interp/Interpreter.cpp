// The interpreter's executor: lays buffers out in a simulated device address space, compiles
// the kernel once into a tree of instructions whose operands are slot numbers, then runs that
// tree once per program.
//
// Strategy: every SSA value gets a slot (an RtValue) in one flat vector; an instruction reads
// its operand slots and overwrites its result slots. Slots keep their capacity from program to
// program, so after the first program the hot path allocates nothing. Each op's semantics is
// one case of the switch in Executor::exec, which covers every OpCode of Ops.def (the compiler
// warns on a missing one); elementwise ops go to Elementwise.cpp.
//
// Invariants: slot types are reset to null at the start of every program, so a use of a value
// that has not been computed in this program (IR broken by a pass) is reported, not read stale.
// Errors are reported into the DiagnosticEngine and then unwind with CompilationAborted, which
// runKernel catches.
#include "interp/Interpreter.h"

#include "interp/Cells.h"
#include "interp/Elementwise.h"
#include "interp/FloatFormats.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <unordered_map>

namespace tritonc {

using namespace interp;

namespace {

// ---------------------------------------------------------------------------------------------
// Simulated device memory
// ---------------------------------------------------------------------------------------------

/// Buffers are placed from kFirstBase up, each at a multiple of kSpacing and at least kSpacing
/// past the previous one's end: addresses look like a GPU's, an access a little past a
/// buffer's end hits no other buffer, and bases stay aligned far beyond any divisibility hint.
constexpr uint64_t kFirstBase = 0x7f0000000000ull;
constexpr uint64_t kSpacing = uint64_t(1) << 28;

class Memory {
public:
  explicit Memory(std::vector<Buffer> &buffers) {
    uint64_t next = kFirstBase;
    for (Buffer &b : buffers) {
      maps_.push_back(Mapped{next, b.bytes.size(), &b});
      next += (b.bytes.size() + 2 * kSpacing - 1) / kSpacing * kSpacing;
    }
  }

  uint64_t base(size_t buffer) const { return maps_[buffer].base; }

  /// The host bytes behind [addr, addr + n), if they lie inside one buffer.
  uint8_t *find(uint64_t addr, unsigned n) {
    if (!maps_.empty() && contains(maps_[last_], addr, n))
      return maps_[last_].buf->bytes.data() + (addr - maps_[last_].base);
    for (size_t i = 0; i < maps_.size(); ++i)
      if (contains(maps_[i], addr, n)) {
        last_ = i;
        return maps_[i].buf->bytes.data() + (addr - maps_[i].base);
      }
    return nullptr;
  }

  /// "buffer 'x' + 4096 (size 4000)" for the buffer nearest to `addr`, or "address 0x..." when
  /// no buffer is near (null and wild pointers).
  std::string describe(uint64_t addr) const {
    const Mapped *best = nullptr;
    uint64_t bestDist = ~uint64_t(0);
    for (const Mapped &m : maps_) {
      uint64_t dist;
      if (addr < m.base)
        dist = m.base - addr;
      else if (addr - m.base < m.size)
        dist = 0;
      else
        dist = addr - m.base - m.size;
      if (dist < bestDist) {
        bestDist = dist;
        best = &m;
      }
    }
    char text[64];
    if (!best || bestDist >= kSpacing / 2) {
      std::snprintf(text, sizeof text, "address 0x%" PRIx64, addr);
      return text;
    }
    std::string out = "buffer '" + best->buf->name + "' ";
    if (addr >= best->base)
      out += "+ " + std::to_string(addr - best->base);
    else
      out += "- " + std::to_string(best->base - addr);
    return out + " (size " + std::to_string(best->size) + ")";
  }

private:
  struct Mapped {
    uint64_t base;
    uint64_t size;
    Buffer *buf;
  };
  static bool contains(const Mapped &m, uint64_t addr, unsigned n) {
    return addr >= m.base && addr - m.base <= m.size && m.size - (addr - m.base) >= n;
  }
  std::vector<Mapped> maps_;
  size_t last_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The compiled kernel
// ---------------------------------------------------------------------------------------------

struct Instr;

/// A region's block: argument slots (with their types) and instructions, the last of which is
/// the terminator whose operands the owner reads.
struct Region {
  std::vector<unsigned> args;
  std::vector<const Type *> argTypes;
  std::vector<Instr> body;
  /// release[i]: the slots defined in this region (arguments or results of its instructions)
  /// that are dead once body[i] has run: body[i] (or a region nested in it) is their last use,
  /// or they are never used. Values the terminator reads are never in it.
  std::vector<std::vector<unsigned>> release;
};

struct Instr {
  const Operation *op;
  std::vector<unsigned> in;
  std::vector<unsigned> out;
  std::vector<Region> regions;
};

class Compiler {
public:
  Region compileBlock(const Block &block) {
    Region r;
    for (unsigned i = 0; i < block.numArguments(); ++i) {
      r.args.push_back(slotOf(block.argument(i)));
      r.argTypes.push_back(block.argument(i)->type());
    }
    for (const auto &op : block.ops()) {
      Instr ins{op.get(), {}, {}, {}};
      for (Value *v : op->operands())
        ins.in.push_back(slotOf(v));
      for (unsigned i = 0; i < op->numResults(); ++i)
        ins.out.push_back(slotOf(op->result(i)));
      for (unsigned i = 0; i < op->numRegions(); ++i)
        ins.regions.push_back(compileBlock(*op->region(i)));
      r.body.push_back(std::move(ins));
    }
    computeReleases(r);
    return r;
  }
  size_t numSlots() const { return slots_.size(); }

private:
  /// Every slot `ins` reads, its nested regions included.
  static void collectUses(const Instr &ins, std::vector<unsigned> &out) {
    out.insert(out.end(), ins.in.begin(), ins.in.end());
    for (const Region &r : ins.regions)
      for (const Instr &nested : r.body)
        collectUses(nested, out);
  }

  /// Liveness within one region: a value defined here dies after the last instruction of this
  /// region that uses it (directly or inside its regions); a value defined outside lives on,
  /// since its own region attributes the whole of this one to the op owning it.
  static void computeReleases(Region &r) {
    const size_t n = r.body.size();
    r.release.assign(n, {});
    if (n == 0)
      return;
    std::unordered_map<unsigned, size_t> lastUse; // slot -> instruction index
    const bool hasTerminator = r.body.back().op->isTerminator();
    std::vector<unsigned> uses;
    for (size_t i = 0; i < n; ++i) {
      uses.clear();
      collectUses(r.body[i], uses);
      for (unsigned slot : uses)
        lastUse[slot] = hasTerminator && i == n - 1 ? SIZE_MAX : i; // terminator: kept
    }
    auto release = [&](unsigned slot, size_t definedAt) {
      auto it = lastUse.find(slot);
      if (it == lastUse.end())
        r.release[definedAt].push_back(slot); // never used
      else if (it->second != SIZE_MAX)
        r.release[it->second].push_back(slot);
    };
    for (unsigned slot : r.args)
      release(slot, 0);
    for (size_t i = 0; i < n; ++i)
      for (unsigned slot : r.body[i].out)
        release(slot, i);
  }

  // Slots are handed out on first sight, use or definition: a use that no definition precedes
  // at run time is caught by the null-type check, not by the compiler.
  unsigned slotOf(const Value *v) {
    auto [it, inserted] = slots_.try_emplace(v, static_cast<unsigned>(slots_.size()));
    return it->second;
  }
  std::unordered_map<const Value *, unsigned> slots_;
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

int64_t elementCount(const Type *t) { return t->isBlock() ? t->numElements() : 1; }

std::vector<int64_t> shapeOf(const Type *t) {
  return t->isBlock() ? t->shape() : std::vector<int64_t>{};
}

std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  return strides;
}

/// Digits needed for indices into a dimension of size `dim`: Triton's ceil(log10(dim)).
int indexWidth(int64_t dim) {
  int width = 0;
  for (int64_t p = 1; p < dim; p *= 10)
    ++width;
  return width;
}

/// Reads one element of `elem` from memory into its canonical cell.
uint64_t toCell(uint64_t raw, const Type *elem, const IntNorm &norm) {
  if (elem->isBool())
    return raw != 0;
  if (elem->isInt())
    return norm(raw);
  return raw;
}

// ---------------------------------------------------------------------------------------------
// The executor
// ---------------------------------------------------------------------------------------------

class Executor {
public:
  Executor(const Function &fn, Memory &mem, const InterpOptions &options, DiagnosticEngine &diags,
           std::ostream &printOut)
      : mem_(mem), options_(options), diags_(diags), printOut_(printOut) {
    Compiler compiler;
    body_ = compiler.compileBlock(*fn.body());
    slots_.resize(compiler.numSlots());
  }

  /// Binds the kernel's parameters (after a reset of every slot) and runs one program.
  void runProgram(std::array<int64_t, 3> pid, std::array<int64_t, 3> grid,
                  const std::vector<uint64_t> &params) {
    pid_ = pid;
    grid_ = grid;
    for (RtValue &s : slots_)
      s.type = nullptr;
    for (size_t i = 0; i < body_.args.size(); ++i) {
      RtValue &v = slots_[body_.args[i]];
      v.type = body_.argTypes[i];
      v.cells.assign(1, params[i]);
    }
    runRegion(body_);
  }

private:
  // ---- errors

  std::string programText() const {
    return "(" + std::to_string(pid_[0]) + ", " + std::to_string(pid_[1]) + ", " +
           std::to_string(pid_[2]) + ")";
  }

  [[noreturn]] void fail(const Operation &op, std::string message) {
    diags_.error(op.loc(), std::move(message));
    throw CompilationAborted();
  }

  void require(bool ok, const Operation &op, const char *what) {
    if (!ok)
      fail(op, std::string("internal error: malformed '") + std::string(op.mnemonic()) +
                   "' reached the interpreter: " + what);
  }

  [[noreturn]] void memoryFault(const Operation &op, const char *kind, bool misaligned,
                                uint64_t addr, unsigned bytes, int64_t element,
                                const Type *ptrType) {
    std::string msg = std::string(misaligned ? "misaligned " : "out-of-bounds ") + kind + " of " +
                      std::to_string(bytes) + " byte" + (bytes == 1 ? "" : "s") + " at " +
                      mem_.describe(addr) + " by program " + programText();
    if (ptrType->isBlock())
      msg += ", element " + formatElementIndex(element, ptrType->shape());
    fail(op, msg);
  }

  /// The host bytes of an access, after bounds and alignment checks.
  uint8_t *access(const Operation &op, const char *kind, uint64_t addr, unsigned bytes,
                  int64_t element, const Type *ptrType) {
    uint8_t *p = mem_.find(addr, bytes);
    if (!p)
      memoryFault(op, kind, false, addr, bytes, element, ptrType);
    if (addr % bytes)
      memoryFault(op, kind, true, addr, bytes, element, ptrType);
    return p;
  }

  // ---- slots

  const RtValue &input(const Instr &ins, unsigned i) {
    const RtValue &v = slots_[ins.in[i]];
    if (!v.type)
      fail(*ins.op, "internal error: operand " + std::to_string(i) + " of '" +
                        std::string(ins.op->mnemonic()) +
                        "' is used before it is computed (the IR is malformed)");
    return v;
  }

  /// The result slot `i`, typed and sized to the op's result type.
  RtValue &result(const Instr &ins, unsigned i = 0) {
    RtValue &r = slots_[ins.out[i]];
    r.type = ins.op->result(i)->type();
    r.cells.resize(static_cast<size_t>(elementCount(r.type)));
    return r;
  }

  /// Copies values into a region's argument slots (through a temporary: a yield may pass the
  /// region's own arguments in another order).
  void bindArgs(const Region &region, std::vector<RtValue> values, const Operation &op) {
    require(values.size() == region.args.size(), op, "region argument count");
    for (size_t i = 0; i < values.size(); ++i) {
      RtValue &slot = slots_[region.args[i]];
      slot.cells = std::move(values[i].cells);
      slot.type = region.argTypes[i];
    }
  }

  std::vector<RtValue> terminatorValues(const Instr &term, unsigned first = 0) {
    std::vector<RtValue> out;
    for (unsigned i = first; i < term.in.size(); ++i)
      out.push_back(input(term, i));
    return out;
  }

  void setResults(const Instr &ins, std::vector<RtValue> values) {
    require(values.size() == ins.out.size(), *ins.op, "result count");
    for (unsigned i = 0; i < values.size(); ++i) {
      RtValue &r = slots_[ins.out[i]];
      r.type = ins.op->result(i)->type();
      r.cells = std::move(values[i].cells);
    }
  }

  // ---- control

  /// Runs a region's instructions; returns its terminator (nullptr if it has none).
  const Instr *runRegion(const Region &region) {
    for (size_t i = 0; i < region.body.size(); ++i) {
      const Instr &ins = region.body[i];
      if (ins.op->isTerminator())
        return &ins;
      if (options_.maxOps && ++opsExecuted_ > options_.maxOps)
        fail(*ins.op, "interpretation stopped after " + std::to_string(options_.maxOps) +
                          " operations in program " + programText() +
                          " (an endless loop? raise the limit with --max-ops N, 0 for none)");
      exec(ins);
      for (unsigned slot : region.release[i])
        releaseSlot(slots_[slot]);
    }
    return nullptr;
  }

  /// A dead value: its storage is returned when large (small ones keep their capacity, so the
  /// hot path of later programs does not allocate), and its type cleared so that a stray use
  /// is reported rather than read.
  static void releaseSlot(RtValue &v) {
    v.type = nullptr;
    if (v.cells.capacity() > kKeptCells)
      std::vector<uint64_t>().swap(v.cells);
  }
  static constexpr size_t kKeptCells = size_t(1) << 12;

  const Instr &runToTerminator(const Region &region, const Operation &owner) {
    const Instr *term = runRegion(region);
    require(term != nullptr, owner, "region without terminator");
    return *term;
  }

  void execFor(const Instr &ins) {
    const Operation &op = *ins.op;
    require(ins.in.size() >= 3 && ins.regions.size() == 1, op, "operands or regions");
    const RtValue &lb = input(ins, 0), &ub = input(ins, 1), &step = input(ins, 2);
    const Type *ivType = lb.type->scalarType();
    const IntNorm norm(ivType);
    // The trip count is computed without overflow (as a loop over a Python range); the
    // induction variable itself wraps like the type.
    auto wide = [&](uint64_t c) -> __int128 {
      return norm.isSigned ? static_cast<__int128>(static_cast<int64_t>(c))
                           : static_cast<__int128>(c);
    };
    const __int128 lo = wide(lb.cells[0]), hi = wide(ub.cells[0]), st = wide(step.cells[0]);
    if (st == 0)
      fail(op, "for loop with a zero step in program " + programText());
    __int128 trips = 0;
    if (st > 0 && hi > lo)
      trips = (hi - lo + st - 1) / st;
    else if (st < 0 && hi < lo)
      trips = (lo - hi - st - 1) / -st;

    std::vector<RtValue> carried;
    for (unsigned i = 3; i < ins.in.size(); ++i)
      carried.push_back(input(ins, i));
    uint64_t iv = lb.cells[0];
    const Region &body = ins.regions[0];
    for (__int128 t = 0; t < trips; ++t) {
      std::vector<RtValue> args;
      args.push_back(RtValue{ivType, {iv}});
      for (RtValue &c : carried)
        args.push_back(std::move(c));
      bindArgs(body, std::move(args), op);
      carried = terminatorValues(runToTerminator(body, op));
      iv = norm(iv + step.cells[0]);
    }
    setResults(ins, std::move(carried));
  }

  void execIf(const Instr &ins) {
    const Operation &op = *ins.op;
    require(ins.regions.size() == 2, op, "regions");
    const Region &taken = input(ins, 0).cells[0] ? ins.regions[0] : ins.regions[1];
    if (taken.body.empty()) {
      require(ins.out.empty(), op, "empty region of an if with results");
      return;
    }
    setResults(ins, terminatorValues(runToTerminator(taken, op)));
  }

  void execWhile(const Instr &ins) {
    const Operation &op = *ins.op;
    require(ins.regions.size() == 2, op, "regions");
    std::vector<RtValue> values = terminatorValues(ins);
    for (;;) {
      bindArgs(ins.regions[0], std::move(values), op);
      const Instr &cond = runToTerminator(ins.regions[0], op);
      require(cond.op->code() == OpCode::Condition && !cond.in.empty(), op,
              "before region must end with condition");
      std::vector<RtValue> forwarded = terminatorValues(cond, 1);
      if (!input(cond, 0).cells[0]) {
        setResults(ins, std::move(forwarded));
        return;
      }
      bindArgs(ins.regions[1], std::move(forwarded), op);
      values = terminatorValues(runToTerminator(ins.regions[1], op));
    }
  }

  // ---- memory ops

  /// load: ptr [, mask [, other]]; async_copy: dst, ptr [, mask] (masked-off elements are 0, the
  /// zero-fill of cp.async; dst's contents do not matter: the copy overwrites all of it).
  void execLoad(const Instr &ins) {
    const Operation &op = *ins.op;
    const size_t first = op.code() == OpCode::AsyncCopy ? 1 : 0;
    require(ins.in.size() > first && ins.in.size() <= 3, op, "operand count");
    const RtValue &ptr = input(ins, first);
    const RtValue *mask = ins.in.size() > first + 1 ? &input(ins, first + 1) : nullptr;
    const RtValue *other = first == 0 && ins.in.size() > 2 ? &input(ins, 2) : nullptr;
    RtValue &r = result(ins);
    const size_t n = r.size();
    require(ptr.size() == n && (!mask || mask->size() == n || mask->size() == 1) &&
                (!other || other->size() == n || other->size() == 1),
            op, "operand shapes");
    const Type *elem = r.type->scalarType();
    const unsigned bytes = storageBytes(elem);
    const IntNorm norm(elem);
    for (size_t i = 0; i < n; ++i) {
      if (mask && !mask->cells[mask->size() == 1 ? 0 : i]) {
        // Masked-off elements take `other`; without it they are undefined: 0 here.
        r.cells[i] = other ? other->cells[other->size() == 1 ? 0 : i] : 0;
        continue;
      }
      const uint8_t *p = access(op, "load", ptr.cells[i], bytes, i, ptr.type);
      uint64_t raw = 0;
      std::memcpy(&raw, p, bytes);
      r.cells[i] = toCell(raw, elem, norm);
    }
  }

  void execStore(const Instr &ins) {
    const Operation &op = *ins.op;
    require(ins.in.size() == 2 || ins.in.size() == 3, op, "operand count");
    const RtValue &ptr = input(ins, 0), &val = input(ins, 1);
    const RtValue *mask = ins.in.size() > 2 ? &input(ins, 2) : nullptr;
    const size_t n = ptr.size();
    require((val.size() == n || val.size() == 1) &&
                (!mask || mask->size() == n || mask->size() == 1),
            op, "operand shapes");
    const unsigned bytes = storageBytes(val.type->scalarType());
    for (size_t i = 0; i < n; ++i) {
      if (mask && !mask->cells[mask->size() == 1 ? 0 : i])
        continue;
      uint8_t *p = access(op, "store", ptr.cells[i], bytes, i, ptr.type);
      const uint64_t cell = val.cells[val.size() == 1 ? 0 : i];
      std::memcpy(p, &cell, bytes);
    }
  }

  /// The new memory value of an atomic read-modify-write.
  uint64_t atomicCombine(const Operation &op, const std::string &kind, const Type *elem,
                         uint64_t old, uint64_t val) {
    if (kind == "xchg")
      return val;
    if (elem->isFloat()) {
      const ScalarKind k = elem->scalarKind();
      const double a = decodeFloat(k, old), b = decodeFloat(k, val);
      if (kind == "add" || kind == "fadd")
        return encodeFloat(k, a + b);
      if (kind == "max" || kind == "min") {
        if (std::isnan(a) || std::isnan(b))
          return std::isnan(a) ? val : old;
        if (a == b)
          return (kind == "max") == std::signbit(a) ? val : old;
        return (kind == "max") == (b > a) ? val : old;
      }
    } else {
      const IntNorm norm(elem);
      const bool isSigned = norm.isSigned && !kind.starts_with("u");
      auto less = [&](uint64_t x, uint64_t y) {
        return isSigned ? static_cast<int64_t>(x) < static_cast<int64_t>(y) : x < y;
      };
      if (kind == "add")
        return norm(old + val);
      if (kind == "and")
        return old & val;
      if (kind == "or")
        return old | val;
      if (kind == "xor")
        return old ^ val;
      if (kind == "max" || kind == "umax")
        return less(old, val) ? val : old;
      if (kind == "min" || kind == "umin")
        return less(val, old) ? val : old;
    }
    fail(op, "unsupported atomic_rmw kind '" + kind + "' on " + elem->str());
  }

  void execAtomicRMW(const Instr &ins) {
    const Operation &op = *ins.op;
    require(ins.in.size() == 2 || ins.in.size() == 3, op, "operand count");
    const RtValue &ptr = input(ins, 0), &val = input(ins, 1);
    const RtValue *mask = ins.in.size() > 2 ? &input(ins, 2) : nullptr;
    RtValue &r = result(ins);
    const size_t n = r.size();
    require(ptr.size() == n && (val.size() == n || val.size() == 1) &&
                (!mask || mask->size() == n || mask->size() == 1),
            op, "operand shapes");
    const std::string kind = op.attrs().getString("kind");
    const Type *elem = r.type->scalarType();
    const unsigned bytes = storageBytes(elem);
    const IntNorm norm(elem);
    // Elements apply in order, so two lanes hitting one address see each other's update.
    for (size_t i = 0; i < n; ++i) {
      if (mask && !mask->cells[mask->size() == 1 ? 0 : i]) {
        r.cells[i] = 0;
        continue;
      }
      uint8_t *p = access(op, "atomic", ptr.cells[i], bytes, i, ptr.type);
      uint64_t raw = 0;
      std::memcpy(&raw, p, bytes);
      const uint64_t old = toCell(raw, elem, norm);
      const uint64_t updated =
          atomicCombine(op, kind, elem, old, val.cells[val.size() == 1 ? 0 : i]);
      std::memcpy(p, &updated, bytes);
      r.cells[i] = old;
    }
  }

  void execAtomicCas(const Instr &ins) {
    const Operation &op = *ins.op;
    const RtValue &ptr = input(ins, 0), &cmp = input(ins, 1), &val = input(ins, 2);
    RtValue &r = result(ins);
    const size_t n = r.size();
    require(ptr.size() == n && (cmp.size() == n || cmp.size() == 1) &&
                (val.size() == n || val.size() == 1),
            op, "operand shapes");
    const Type *elem = r.type->scalarType();
    const unsigned bytes = storageBytes(elem);
    const IntNorm norm(elem);
    for (size_t i = 0; i < n; ++i) {
      uint8_t *p = access(op, "atomic", ptr.cells[i], bytes, i, ptr.type);
      uint64_t raw = 0;
      std::memcpy(&raw, p, bytes);
      const uint64_t old = toCell(raw, elem, norm);
      // Compare-and-swap compares bits (a float CAS is an integer CAS on the encoding).
      if (rawBits(old, elem->bitWidth()) ==
          rawBits(cmp.cells[cmp.size() == 1 ? 0 : i], elem->bitWidth())) {
        const uint64_t v = val.cells[val.size() == 1 ? 0 : i];
        std::memcpy(p, &v, bytes);
      }
      r.cells[i] = old;
    }
  }

  // ---- shape ops

  void execBroadcast(const Instr &ins) {
    const RtValue &src = input(ins, 0);
    RtValue &r = result(ins);
    if (src.size() == 1) {
      std::fill(r.cells.begin(), r.cells.end(), src.cells[0]);
      return;
    }
    const std::vector<int64_t> &out = r.type->shape();
    const std::vector<int64_t> in = shapeOf(src.type);
    require(in.size() == out.size(), *ins.op, "rank");
    std::vector<int64_t> strides = rowMajorStrides(in);
    for (size_t d = 0; d < in.size(); ++d) {
      require(in[d] == out[d] || in[d] == 1, *ins.op, "shape");
      if (in[d] == 1)
        strides[d] = 0;
    }
    gatherStrided(src, r, out, strides);
  }

  /// r[i] = src[sum_d idx_d(i) * strides[d]] over the row-major indices of `shape`.
  static void gatherStrided(const RtValue &src, RtValue &r, const std::vector<int64_t> &shape,
                            const std::vector<int64_t> &strides) {
    const size_t rank = shape.size();
    std::vector<int64_t> idx(rank, 0);
    int64_t offset = 0;
    for (size_t i = 0, n = r.size(); i < n; ++i) {
      r.cells[i] = src.cells[static_cast<size_t>(offset)];
      for (size_t d = rank; d-- > 0;) {
        offset += strides[d];
        if (++idx[d] < shape[d])
          break;
        offset -= strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }

  void execTrans(const Instr &ins) {
    const RtValue &src = input(ins, 0);
    RtValue &r = result(ins);
    const std::vector<int64_t> in = shapeOf(src.type);
    std::vector<int64_t> order = ins.op->attrs().getInts("order");
    if (order.empty()) // Triton's default: reverse the dimensions
      for (size_t d = in.size(); d-- > 0;)
        order.push_back(static_cast<int64_t>(d));
    require(order.size() == in.size(), *ins.op, "order");
    const std::vector<int64_t> srcStrides = rowMajorStrides(in);
    std::vector<int64_t> strides;
    for (int64_t o : order) {
      require(o >= 0 && o < static_cast<int64_t>(in.size()), *ins.op, "order");
      strides.push_back(srcStrides[static_cast<size_t>(o)]);
    }
    gatherStrided(src, r, r.type->shape(), strides);
  }

  void execJoin(const Instr &ins) {
    const RtValue &a = input(ins, 0), &b = input(ins, 1);
    RtValue &r = result(ins);
    require(r.size() == 2 * a.size() && a.size() == b.size(), *ins.op, "shapes");
    for (size_t i = 0; i < a.size(); ++i) {
      r.cells[2 * i] = a.cells[i];
      r.cells[2 * i + 1] = b.cells[i];
    }
  }

  void execSplit(const Instr &ins) {
    const RtValue &src = input(ins, 0);
    RtValue &a = result(ins, 0);
    RtValue &b = result(ins, 1);
    require(src.size() == 2 * a.size() && a.size() == b.size(), *ins.op, "shapes");
    for (size_t i = 0; i < a.size(); ++i) {
      a.cells[i] = src.cells[2 * i];
      b.cells[i] = src.cells[2 * i + 1];
    }
  }

  // ---- reductions and scans: the combine region is evaluated on scalars

  /// Runs a combine region on (acc..., next...) and writes the yielded values into acc.
  void combine(const Instr &ins, std::vector<uint64_t *> &acc, std::vector<uint64_t> &next) {
    const Region &region = ins.regions[0];
    const size_t n = acc.size();
    for (size_t j = 0; j < n; ++j) {
      RtValue &a = slots_[region.args[j]];
      a.type = region.argTypes[j];
      a.cells.assign(1, *acc[j]);
      RtValue &b = slots_[region.args[n + j]];
      b.type = region.argTypes[n + j];
      b.cells.assign(1, next[j]);
    }
    const Instr &term = runToTerminator(region, *ins.op);
    require(term.in.size() == n, *ins.op, "combine region must yield one value per operand");
    for (size_t j = 0; j < n; ++j) {
      const RtValue &y = input(term, static_cast<unsigned>(j));
      require(y.size() == 1, *ins.op, "combine region must yield scalars");
      *acc[j] = y.cells[0];
    }
  }

  struct AxisGeometry {
    int64_t outer, len, inner;
  };

  AxisGeometry axisGeometry(const Instr &ins, const std::vector<int64_t> &shape) {
    const int64_t axis = ins.op->attrs().getInt("axis", 0);
    require(axis >= 0 && axis < static_cast<int64_t>(shape.size()), *ins.op, "axis");
    AxisGeometry g{1, shape[static_cast<size_t>(axis)], 1};
    for (int64_t d = 0; d < axis; ++d)
      g.outer *= shape[static_cast<size_t>(d)];
    for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d)
      g.inner *= shape[d];
    return g;
  }

  void execReduce(const Instr &ins) {
    const Operation &op = *ins.op;
    const size_t n = ins.in.size();
    require(n >= 1 && ins.out.size() == n && ins.regions.size() == 1 &&
                ins.regions[0].args.size() == 2 * n,
            op, "operands, results or region arguments");
    std::vector<const RtValue *> srcs;
    for (unsigned j = 0; j < n; ++j)
      srcs.push_back(&input(ins, j));
    const AxisGeometry g = axisGeometry(ins, shapeOf(srcs[0]->type));
    for (const RtValue *s : srcs)
      require(static_cast<int64_t>(s->size()) == g.outer * g.len * g.inner, op, "shapes");

    // Results are gathered aside: the region may be run between writes.
    std::vector<std::vector<uint64_t>> results(n, std::vector<uint64_t>(g.outer * g.inner));
    std::vector<std::vector<uint64_t>> work(n, std::vector<uint64_t>(g.len));
    std::vector<uint64_t *> acc(n);
    std::vector<uint64_t> next(n);
    for (int64_t o = 0; o < g.outer; ++o)
      for (int64_t in = 0; in < g.inner; ++in) {
        for (size_t j = 0; j < n; ++j)
          for (int64_t k = 0; k < g.len; ++k)
            work[j][k] = srcs[j]->cells[(o * g.len + k) * g.inner + in];
        // A butterfly tree, as a warp's shuffle reduction: element k combines with k + half,
        // the lower index always on the left (argmin/argmax tie-breaks rely on it).
        for (int64_t len = g.len; len > 1;) {
          const int64_t half = (len + 1) / 2;
          for (int64_t k = 0; k < len - half; ++k) {
            for (size_t j = 0; j < n; ++j) {
              acc[j] = &work[j][k];
              next[j] = work[j][k + half];
            }
            combine(ins, acc, next);
          }
          len = half;
        }
        for (size_t j = 0; j < n; ++j)
          results[j][o * g.inner + in] = work[j][0];
      }
    for (unsigned j = 0; j < n; ++j) {
      RtValue &r = result(ins, j);
      require(r.size() == results[j].size(), op, "result shape");
      r.cells = std::move(results[j]);
    }
  }

  void execScan(const Instr &ins) {
    const Operation &op = *ins.op;
    const size_t n = ins.in.size();
    require(n >= 1 && ins.out.size() == n && ins.regions.size() == 1 &&
                ins.regions[0].args.size() == 2 * n,
            op, "operands, results or region arguments");
    std::vector<const RtValue *> srcs;
    for (unsigned j = 0; j < n; ++j)
      srcs.push_back(&input(ins, j));
    const AxisGeometry g = axisGeometry(ins, shapeOf(srcs[0]->type));
    const bool reverse = op.attrs().getBool("reverse", false);
    std::vector<std::vector<uint64_t>> results(n, std::vector<uint64_t>(srcs[0]->size()));
    for (const RtValue *s : srcs)
      require(s->size() == results[0].size(), op, "shapes");
    std::vector<uint64_t> accVals(n), next(n);
    std::vector<uint64_t *> acc(n);
    for (size_t j = 0; j < n; ++j)
      acc[j] = &accVals[j];
    for (int64_t o = 0; o < g.outer; ++o)
      for (int64_t in = 0; in < g.inner; ++in)
        for (int64_t step = 0; step < g.len; ++step) {
          const int64_t k = reverse ? g.len - 1 - step : step;
          const size_t flat = static_cast<size_t>((o * g.len + k) * g.inner + in);
          if (step == 0) {
            for (size_t j = 0; j < n; ++j)
              accVals[j] = srcs[j]->cells[flat];
          } else {
            for (size_t j = 0; j < n; ++j)
              next[j] = srcs[j]->cells[flat];
            combine(ins, acc, next);
          }
          for (size_t j = 0; j < n; ++j)
            results[j][flat] = accVals[j];
        }
    for (unsigned j = 0; j < n; ++j)
      result(ins, j).cells = std::move(results[j]);
  }

  // ---- dot

  void execDot(const Instr &ins) {
    const Operation &op = *ins.op;
    const RtValue &a = input(ins, 0), &b = input(ins, 1), &c = input(ins, 2);
    RtValue &r = result(ins);
    const std::vector<int64_t> sa = shapeOf(a.type), sb = shapeOf(b.type);
    require(sa.size() >= 2 && sb.size() == sa.size(), op, "operand ranks");
    const size_t rank = sa.size();
    const int64_t M = sa[rank - 2], K = sa[rank - 1], N = sb[rank - 1];
    require(sb[rank - 2] == K && c.size() == r.size(), op, "operand shapes");
    const int64_t batch = static_cast<int64_t>(a.size()) / (M * K);
    require(static_cast<int64_t>(r.size()) == batch * M * N, op, "result shape");
    const Type *ea = a.type->scalarType(), *eb = b.type->scalarType();
    const Type *er = r.type->scalarType();

    if (ea->isInt()) {
      // Integer dot (i8 x i8 -> i32): exact products, wrap-around accumulation.
      const IntNorm norm(er);
      for (int64_t z = 0; z < batch; ++z)
        for (int64_t m = 0; m < M; ++m)
          for (int64_t n = 0; n < N; ++n) {
            uint64_t s = c.cells[(z * M + m) * N + n];
            for (int64_t k = 0; k < K; ++k)
              s += a.cells[(z * M + m) * K + k] * b.cells[(z * K + k) * N + n];
            r.cells[(z * M + m) * N + n] = norm(s);
          }
      return;
    }
    // Floats: operands decoded once; f32 operands cut to tf32 as the tensor core reads them,
    // unless the precision is "ieee" (tf32x3 recovers about fp32 precision, so it is treated
    // as exact). Products are fused into an fp32 accumulator in k order (f64 operands
    // accumulate in f64), then the sum is rounded once to the result type.
    const std::string precision = op.attrs().getString("input_precision", "tf32");
    const bool tf32 = precision == "tf32";
    const bool wide = ea->scalarKind() == ScalarKind::F64 || er->scalarKind() == ScalarKind::F64;
    auto decode = [&](const RtValue &v, const Type *e) {
      std::vector<double> out(v.size());
      const ScalarKind k = e->scalarKind();
      for (size_t i = 0; i < v.size(); ++i) {
        double d = decodeFloat(k, v.cells[i]);
        if (k == ScalarKind::F32 && tf32)
          d = truncateToTf32(static_cast<float>(d));
        out[i] = d;
      }
      return out;
    };
    const std::vector<double> da = decode(a, ea), db = decode(b, eb);
    const ScalarKind kr = er->scalarKind();
    for (int64_t z = 0; z < batch; ++z)
      for (int64_t m = 0; m < M; ++m)
        for (int64_t n = 0; n < N; ++n) {
          const size_t ri = static_cast<size_t>((z * M + m) * N + n);
          const double init = decodeFloat(kr, c.cells[ri]);
          double sum;
          if (wide) {
            sum = init;
            for (int64_t k = 0; k < K; ++k)
              sum = std::fma(da[(z * M + m) * K + k], db[(z * K + k) * N + n], sum);
          } else {
            float s = static_cast<float>(init);
            for (int64_t k = 0; k < K; ++k)
              s = std::fma(static_cast<float>(da[(z * M + m) * K + k]),
                           static_cast<float>(db[(z * K + k) * N + n]), s);
            sum = s;
          }
          r.cells[ri] = encodeFloat(kr, sum);
        }
  }

  // ---- other block ops

  void execHistogram(const Instr &ins) {
    const RtValue &src = input(ins, 0);
    RtValue &r = result(ins);
    std::fill(r.cells.begin(), r.cells.end(), 0);
    const bool isSigned = IntNorm(src.type->scalarType()).isSigned;
    const IntNorm norm(r.type->scalarType());
    // Values outside [0, num_bins) are not counted.
    for (uint64_t v : src.cells) {
      if (isSigned && static_cast<int64_t>(v) < 0)
        continue;
      if (v < r.size())
        r.cells[v] = norm(r.cells[v] + 1);
    }
  }

  void execGather(const Instr &ins) {
    const Operation &op = *ins.op;
    const RtValue &src = input(ins, 0), &index = input(ins, 1);
    RtValue &r = result(ins);
    const std::vector<int64_t> ss = shapeOf(src.type), is = shapeOf(index.type);
    const int64_t axis = op.attrs().getInt("axis", 0);
    require(ss.size() == is.size() && axis >= 0 && axis < static_cast<int64_t>(ss.size()) &&
                r.size() == index.size(),
            op, "shapes or axis");
    const std::vector<int64_t> strides = rowMajorStrides(ss);
    std::vector<int64_t> idx(is.size(), 0);
    for (size_t i = 0; i < r.size(); ++i) {
      // idx is the row-major index of element i of the index block.
      int64_t rem = static_cast<int64_t>(i);
      for (size_t d = is.size(); d-- > 0;) {
        idx[d] = rem % is[d];
        rem /= is[d];
      }
      // Cells are canonical, so an unsigned index too large for int64 reads as negative.
      const auto at = static_cast<int64_t>(index.cells[i]);
      const int64_t len = ss[static_cast<size_t>(axis)];
      if (at < 0 || at >= len)
        fail(op, "gather index " + std::to_string(at) + " is out of range [0, " +
                     std::to_string(len) + ") by program " + programText() + ", element " +
                     formatElementIndex(static_cast<int64_t>(i), is));
      int64_t offset = 0;
      for (size_t d = 0; d < is.size(); ++d) {
        const int64_t coord = static_cast<int64_t>(d) == axis ? at : idx[d];
        require(coord < ss[d], op, "index shape exceeds the source");
        offset += coord * strides[d];
      }
      r.cells[i] = src.cells[static_cast<size_t>(offset)];
    }
  }

  void execCat(const Instr &ins) {
    // Concatenation along dim 0 of row-major blocks is concatenation of their cells.
    const RtValue &a = input(ins, 0), &b = input(ins, 1);
    RtValue &r = result(ins);
    require(r.size() == a.size() + b.size(), *ins.op, "shapes");
    std::copy(a.cells.begin(), a.cells.end(), r.cells.begin());
    std::copy(b.cells.begin(), b.cells.end(), r.cells.begin() + static_cast<ptrdiff_t>(a.size()));
  }

  // ---- debugging

  std::string formatValue(uint64_t cell, const Type *elem, bool hex) {
    char text[64];
    if (hex) {
      const unsigned bits = elem->bitWidth();
      std::snprintf(text, sizeof text, "0x%0*" PRIx64, static_cast<int>(std::max(1u, bits / 4)),
                    rawBits(cell, bits));
    } else if (elem->isPointer()) {
      std::snprintf(text, sizeof text, "0x%" PRIx64, cell);
    } else if (elem->isFloat()) {
      std::snprintf(text, sizeof text, "%f", decodeFloat(elem->scalarKind(), cell));
    } else if (IntNorm(elem).isSigned) {
      std::snprintf(text, sizeof text, "%" PRId64, static_cast<int64_t>(cell));
    } else {
      std::snprintf(text, sizeof text, "%" PRIu64, cell);
    }
    return text;
  }

  /// device_print, in the format of Triton's lowering:
  ///   pid (<x>, <y>, <z>) idx (<i>, <j>)<prefix>[(operand <n>) ]<value>
  /// with each index padded to ceil(log10(dim)) digits; the prefix is printed as the IR holds
  /// it (the front end shapes it as Triton's device_print does, e.g. " x: ").
  void execPrint(const Instr &ins) {
    const Operation &op = *ins.op;
    const std::string prefix = op.attrs().getString("prefix");
    const bool hex = op.attrs().getBool("hex", false);
    const std::string pid = "pid (" + std::to_string(pid_[0]) + ", " + std::to_string(pid_[1]) +
                            ", " + std::to_string(pid_[2]) + ")";
    if (ins.in.empty()) {
      printOut_ << pid << prefix << '\n';
      return;
    }
    for (unsigned o = 0; o < ins.in.size(); ++o) {
      const RtValue &v = input(ins, o);
      const std::vector<int64_t> shape = shapeOf(v.type);
      const Type *elem = v.type->scalarType();
      std::vector<int64_t> idx(shape.size(), 0);
      for (size_t i = 0; i < v.size(); ++i) {
        std::string line = pid + " idx (";
        for (size_t d = 0; d < shape.size(); ++d) {
          char num[32];
          std::snprintf(num, sizeof num, "%*" PRId64, indexWidth(shape[d]), idx[d]);
          line += (d ? ", " : "") + std::string(num);
        }
        line += ")" + prefix;
        if (ins.in.size() > 1)
          line += "(operand " + std::to_string(o) + ") ";
        line += formatValue(v.cells[i], elem, hex);
        printOut_ << line << '\n';
        for (size_t d = shape.size(); d-- > 0;) {
          if (++idx[d] < shape[d])
            break;
          idx[d] = 0;
        }
      }
    }
  }

  void execAssert(const Instr &ins) {
    const RtValue &cond = input(ins, 0);
    for (size_t i = 0; i < cond.size(); ++i)
      if (!cond.cells[i]) {
        std::string msg = "device_assert failed: '" + ins.op->attrs().getString("message") +
                          "' by program " + programText();
        if (cond.type->isBlock())
          msg += ", element " + formatElementIndex(static_cast<int64_t>(i), cond.type->shape());
        fail(*ins.op, msg);
      }
  }

  // ---- dispatch

  void execElementwise(const Instr &ins) {
    const RtValue *in[8];
    std::vector<const RtValue *> many;
    const RtValue **ops = in;
    if (ins.in.size() > 8) {
      many.resize(ins.in.size());
      ops = many.data();
    }
    RtValue &r = result(ins);
    for (unsigned i = 0; i < ins.in.size(); ++i) {
      ops[i] = &input(ins, i);
      require(ops[i]->size() == r.size() || ops[i]->size() == 1, *ins.op, "operand shapes");
    }
    std::string error = evalElementwise(*ins.op, ops, r);
    if (!error.empty())
      fail(*ins.op, error);
  }

  void execConstant(const Instr &ins) {
    const Operation &op = *ins.op;
    RtValue &r = result(ins);
    const Type *elem = r.type->scalarType();
    const AttrValue *attr = op.attrs().find("value");
    require(attr != nullptr, op, "missing value");
    uint64_t cell;
    if (elem->isFloat())
      cell = std::holds_alternative<double>(*attr) ? scalarBits(elem, std::get<double>(*attr))
                                                   : scalarBits(elem, op.attrs().getInt("value"));
    else if (std::holds_alternative<double>(*attr))
      cell = scalarBits(elem, std::get<double>(*attr));
    else
      cell = scalarBits(elem, op.attrs().getInt("value"));
    std::fill(r.cells.begin(), r.cells.end(), cell);
  }

  void exec(const Instr &ins) {
    const Operation &op = *ins.op;
    if (op.hasTrait(optrait::Elementwise))
      return execElementwise(ins); // every elementwise op of Ops.def, through evalElementwise
    switch (op.code()) {
    case OpCode::Constant:
      return execConstant(ins);
    case OpCode::ProgramId:
    case OpCode::NumPrograms: {
      const int64_t axis = op.attrs().getInt("axis", 0);
      require(axis >= 0 && axis < 3, op, "axis");
      const auto a = static_cast<size_t>(axis);
      result(ins).cells[0] =
          static_cast<uint64_t>(op.code() == OpCode::ProgramId ? pid_[a] : grid_[a]);
      return;
    }
    case OpCode::MakeRange: {
      RtValue &r = result(ins);
      const int64_t start = op.attrs().getInt("start", 0);
      const IntNorm norm(r.type->scalarType());
      for (size_t i = 0; i < r.size(); ++i)
        r.cells[i] = norm(static_cast<uint64_t>(start) + i);
      return;
    }
    case OpCode::Splat: {
      const uint64_t v = input(ins, 0).cells[0];
      RtValue &r = result(ins);
      std::fill(r.cells.begin(), r.cells.end(), v);
      return;
    }
    case OpCode::Broadcast:
      return execBroadcast(ins);
    case OpCode::ExpandDims:
    case OpCode::Reshape:
    case OpCode::ConvertLayout:
    case OpCode::LocalLoad: {
      // Row-major order is unchanged; reshape {can_reorder} may reorder on the GPU, and the
      // identity is one of the orders it allows.
      const RtValue &src = input(ins, 0);
      RtValue &r = result(ins);
      require(src.size() == r.size(), op, "element count");
      std::copy(src.cells.begin(), src.cells.end(), r.cells.begin());
      return;
    }
    case OpCode::Trans:
      return execTrans(ins);
    case OpCode::Cat:
      return execCat(ins);
    case OpCode::Join:
      return execJoin(ins);
    case OpCode::Split:
      return execSplit(ins);

    case OpCode::Load:
    case OpCode::AsyncCopy:
      return execLoad(ins);
    case OpCode::Store:
      return execStore(ins);
    case OpCode::AtomicRMW:
      return execAtomicRMW(ins);
    case OpCode::AtomicCas:
      return execAtomicCas(ins);

    case OpCode::Reduce:
      return execReduce(ins);
    case OpCode::Scan:
      return execScan(ins);
    case OpCode::Dot:
      return execDot(ins);
    case OpCode::Histogram:
      return execHistogram(ins);
    case OpCode::Gather:
      return execGather(ins);

    case OpCode::Print:
      return execPrint(ins);
    case OpCode::Assert:
      return execAssert(ins);
    case OpCode::Barrier:
    case OpCode::AsyncWait:
      return; // programs run whole, one at a time: nothing to wait for
    case OpCode::LocalAlloc: {
      RtValue &r = result(ins);
      std::fill(r.cells.begin(), r.cells.end(), 0);
      return;
    }

    case OpCode::For:
      return execFor(ins);
    case OpCode::If:
      return execIf(ins);
    case OpCode::While:
      return execWhile(ins);
    case OpCode::Yield:
    case OpCode::Condition:
    case OpCode::Return:
      return; // terminators end their region in runRegion
    default:
      break;
    }
    fail(op, "the interpreter does not support '" + std::string(op.mnemonic()) + "'");
  }

  Memory &mem_;
  const InterpOptions &options_;
  DiagnosticEngine &diags_;
  std::ostream &printOut_;
  Region body_;
  std::vector<RtValue> slots_;
  std::array<int64_t, 3> pid_{}, grid_{};
  uint64_t opsExecuted_ = 0;
};

/// Checks the arguments against the signature; returns the parameters' cells.
bool bindParams(const Function &kernel, const KernelArgs &args, const Memory &mem,
                DiagnosticEngine &diags, std::vector<uint64_t> &params) {
  const Block &body = *kernel.body();
  if (args.args.size() != body.numArguments()) {
    diags.error(kernel.loc(), "kernel '" + kernel.name() + "' takes " +
                                  std::to_string(body.numArguments()) + " arguments, " +
                                  std::to_string(args.args.size()) + " given");
    return false;
  }
  for (unsigned i = 0; i < body.numArguments(); ++i) {
    const Type *type = body.argument(i)->type();
    const KernelArg &arg = args.args[i];
    const std::string name =
        i < kernel.params().size() ? kernel.params()[i].name : "#" + std::to_string(i);
    if (type->isPointer() != arg.isBuffer) {
      diags.error(kernel.loc(), "argument '" + name + "' of type " + type->str() + " needs " +
                                    (type->isPointer() ? "a buffer" : "a scalar"));
      return false;
    }
    if (!arg.isBuffer) {
      params.push_back(arg.bits);
      continue;
    }
    if (arg.buffer >= args.buffers.size() || args.buffers[arg.buffer].elem != type->pointee()) {
      diags.error(kernel.loc(), "argument '" + name + "' of type " + type->str() + " is given " +
                                    (arg.buffer < args.buffers.size()
                                         ? "a buffer of " + args.buffers[arg.buffer].elem->str()
                                         : std::string("no buffer")));
      return false;
    }
    params.push_back(mem.base(arg.buffer));
  }
  return true;
}

} // namespace

bool runKernel(const Function &kernel, std::array<int64_t, 3> grid, KernelArgs &args,
               const InterpOptions &options, DiagnosticEngine &diags, std::ostream &printOut) {
  for (int64_t g : grid)
    if (g < 1) {
      diags.error(kernel.loc(), "every grid dimension must be at least 1");
      return false;
    }
  Memory mem(args.buffers);
  std::vector<uint64_t> params;
  if (!bindParams(kernel, args, mem, diags, params))
    return false;
  try {
    Executor exec(kernel, mem, options, diags, printOut);
    for (int64_t z = 0; z < grid[2]; ++z)
      for (int64_t y = 0; y < grid[1]; ++y)
        for (int64_t x = 0; x < grid[0]; ++x)
          exec.runProgram({x, y, z}, grid, params);
  } catch (const CompilationAborted &) {
    return false;
  }
  return true;
}

} // namespace tritonc
