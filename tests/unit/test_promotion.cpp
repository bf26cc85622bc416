// Triton's type promotion, enumerated: for every pair of scalar types (and for weak int, float
// and bool literals against every type) the result type of `+`, `/`, `//`, `%`, the bitwise
// operators and the comparisons, derived from src/frontend/Promotion.h's functions the way
// Triton 3.x's semantic.py combines them, checked against tables written from semantic.py:
//   - computation_type_impl: a weak literal of a lower or equal kind (bool < int < float) keeps
//     the tensor's type (fp16/bf16 become fp32 for / // %); fp64 > fp32 > fp16 (fp32 for / %)
//     > bf16 (only bf16+bf16 stays bf16; fp32 for / %); two fp8s: the same one, else fp16;
//     fp8 with an int is an error; two ints: integer_promote_impl, and / // % with different
//     signedness is an error.
//   - integer_promote_impl: same signedness: the wider; else the unsigned one if it is at least
//     as wide, else the signed one (int1 counts as unsigned).
//   - truediv: int/int computes in fp32; floordiv: integers only; bitwise: integers only, with
//     integer_promote_impl and no weak-literal rule (arithmetic_check=False); comparisons: i1.
// One decision of LANGUAGE.md §5 differs from Triton: fp16 with bf16 gives fp32 (Triton: fp16).
// Cells are a type's Triton spelling or "E" (a type error).
#include "frontend/Promotion.h"

#include <doctest/doctest.h>

#include <string>

using namespace tritonc;
using namespace tritonc::sema;

namespace {

constexpr int kN = 15;
const ScalarKind kTypes[kN] = {
    ScalarKind::I1,   ScalarKind::I8,  ScalarKind::I16,  ScalarKind::I32, ScalarKind::I64,
    ScalarKind::U8,   ScalarKind::U16, ScalarKind::U32,  ScalarKind::U64, ScalarKind::F8E4NV,
    ScalarKind::F8E5, ScalarKind::F16, ScalarKind::BF16, ScalarKind::F32, ScalarKind::F64};

// clang-format off
// Generated from Triton 3.x semantic.py's rules (see the header comment); rows: lhs, columns: rhs.
// Column order: i1 i8 i16 i32 i64 u8 u16 u32 u64 fp8e4nv fp8e5 fp16 bf16 fp32 fp64
const char *const kAdd[kN][kN] = {
    {"i1", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // i1
    {"i8", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // i8
    {"i16", "i16", "i16", "i32", "i64", "i16", "u16", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // i16
    {"i32", "i32", "i32", "i32", "i64", "i32", "i32", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // i32
    {"i64", "i64", "i64", "i64", "i64", "i64", "i64", "i64", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // i64
    {"u8", "u8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // u8
    {"u16", "u16", "u16", "i32", "i64", "u16", "u16", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // u16
    {"u32", "u32", "u32", "u32", "i64", "u32", "u32", "u32", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // u32
    {"u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "E", "E", "fp16", "fp32", "fp32", "fp64"}, // u64
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "fp8e4nv", "fp16", "fp16", "fp32", "fp32", "fp64"}, // fp8e4nv
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "fp16", "fp8e5", "fp16", "fp32", "fp32", "fp64"}, // fp8e5
    {"fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp16", "fp32", "fp32", "fp64"}, // fp16
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "bf16", "fp32", "fp64"}, // bf16
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // fp32
    {"fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64"}, // fp64
};
const char *const kTrueDiv[kN][kN] = {
    {"fp32", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp32", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i1
    {"E", "fp32", "fp32", "fp32", "fp32", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i8
    {"E", "fp32", "fp32", "fp32", "fp32", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i16
    {"E", "fp32", "fp32", "fp32", "fp32", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i32
    {"E", "fp32", "fp32", "fp32", "fp32", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i64
    {"fp32", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp32", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u8
    {"fp32", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp32", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u16
    {"fp32", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp32", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u32
    {"fp32", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp32", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u64
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "fp8e4nv", "fp16", "fp32", "fp32", "fp32", "fp64"}, // fp8e4nv
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "fp16", "fp8e5", "fp32", "fp32", "fp32", "fp64"}, // fp8e5
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // fp16
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // bf16
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // fp32
    {"fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64"}, // fp64
};
const char *const kFloorDiv[kN][kN] = {
    {"i1", "E", "E", "E", "E", "u8", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // i1
    {"E", "i8", "i16", "i32", "i64", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // i8
    {"E", "i16", "i16", "i32", "i64", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // i16
    {"E", "i32", "i32", "i32", "i64", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // i32
    {"E", "i64", "i64", "i64", "i64", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // i64
    {"u8", "E", "E", "E", "E", "u8", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // u8
    {"u16", "E", "E", "E", "E", "u16", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // u16
    {"u32", "E", "E", "E", "E", "u32", "u32", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // u32
    {"u64", "E", "E", "E", "E", "u64", "u64", "u64", "u64", "E", "E", "E", "E", "E", "E"}, // u64
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp8e4nv
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp8e5
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp16
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // bf16
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp32
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp64
};
const char *const kMod[kN][kN] = {
    {"i1", "E", "E", "E", "E", "u8", "u16", "u32", "u64", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i1
    {"E", "i8", "i16", "i32", "i64", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i8
    {"E", "i16", "i16", "i32", "i64", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i16
    {"E", "i32", "i32", "i32", "i64", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i32
    {"E", "i64", "i64", "i64", "i64", "E", "E", "E", "E", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // i64
    {"u8", "E", "E", "E", "E", "u8", "u16", "u32", "u64", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u8
    {"u16", "E", "E", "E", "E", "u16", "u16", "u32", "u64", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u16
    {"u32", "E", "E", "E", "E", "u32", "u32", "u32", "u64", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u32
    {"u64", "E", "E", "E", "E", "u64", "u64", "u64", "u64", "E", "E", "fp32", "fp32", "fp32", "fp64"}, // u64
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "fp8e4nv", "fp16", "fp32", "fp32", "fp32", "fp64"}, // fp8e4nv
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "fp16", "fp8e5", "fp32", "fp32", "fp32", "fp64"}, // fp8e5
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // fp16
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // bf16
    {"fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp32", "fp64"}, // fp32
    {"fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64", "fp64"}, // fp64
};
const char *const kBitwise[kN][kN] = {
    {"i1", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // i1
    {"i8", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // i8
    {"i16", "i16", "i16", "i32", "i64", "i16", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // i16
    {"i32", "i32", "i32", "i32", "i64", "i32", "i32", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // i32
    {"i64", "i64", "i64", "i64", "i64", "i64", "i64", "i64", "u64", "E", "E", "E", "E", "E", "E"}, // i64
    {"u8", "u8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // u8
    {"u16", "u16", "u16", "i32", "i64", "u16", "u16", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // u16
    {"u32", "u32", "u32", "u32", "i64", "u32", "u32", "u32", "u64", "E", "E", "E", "E", "E", "E"}, // u32
    {"u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "u64", "E", "E", "E", "E", "E", "E"}, // u64
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp8e4nv
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp8e5
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp16
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // bf16
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp32
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E", "E"}, // fp64
};
const char *const kCompare[kN][kN] = {
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // i1
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // i8
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // i16
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // i32
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // i64
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // u8
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // u16
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // u32
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "E", "E", "i1", "i1", "i1", "i1"}, // u64
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "i1", "i1", "i1", "i1", "i1", "i1"}, // fp8e4nv
    {"E", "E", "E", "E", "E", "E", "E", "E", "E", "i1", "i1", "i1", "i1", "i1", "i1"}, // fp8e5
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1"}, // fp16
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1"}, // bf16
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1"}, // fp32
    {"i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1", "i1"}, // fp64
};
// weak int literal (i32) OP tensor, tensor OP weak literal
const char *const kWeakIntAdd[kN][2] = {
    {"i32", "i32"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp16", "fp16"}, // fp16
    {"bf16", "bf16"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak int literal (i32) OP tensor, tensor OP weak literal
const char *const kWeakIntTrueDiv[kN][2] = {
    {"E", "E"}, // i1
    {"fp32", "fp32"}, // i8
    {"fp32", "fp32"}, // i16
    {"fp32", "fp32"}, // i32
    {"fp32", "fp32"}, // i64
    {"fp32", "fp32"}, // u8
    {"fp32", "fp32"}, // u16
    {"fp32", "fp32"}, // u32
    {"fp32", "fp32"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp32", "fp32"}, // fp16
    {"fp32", "fp32"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak int literal (i32) OP tensor, tensor OP weak literal
const char *const kWeakIntFloorDiv[kN][2] = {
    {"E", "E"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"E", "E"}, // fp8e4nv
    {"E", "E"}, // fp8e5
    {"E", "E"}, // fp16
    {"E", "E"}, // bf16
    {"E", "E"}, // fp32
    {"E", "E"}, // fp64
};
// weak int literal (i32) OP tensor, tensor OP weak literal
const char *const kWeakIntMod[kN][2] = {
    {"E", "E"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp32", "fp32"}, // fp16
    {"fp32", "fp32"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak int literal (i32) OP tensor, tensor OP weak literal
const char *const kWeakIntBitwise[kN][2] = {
    {"i32", "i32"}, // i1
    {"i32", "i32"}, // i8
    {"i32", "i32"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"i32", "i32"}, // u8
    {"i32", "i32"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"E", "E"}, // fp8e4nv
    {"E", "E"}, // fp8e5
    {"E", "E"}, // fp16
    {"E", "E"}, // bf16
    {"E", "E"}, // fp32
    {"E", "E"}, // fp64
};
// weak int literal (i32) OP tensor, tensor OP weak literal
const char *const kWeakIntCompare[kN][2] = {
    {"i1", "i1"}, // i1
    {"i1", "i1"}, // i8
    {"i1", "i1"}, // i16
    {"i1", "i1"}, // i32
    {"i1", "i1"}, // i64
    {"i1", "i1"}, // u8
    {"i1", "i1"}, // u16
    {"i1", "i1"}, // u32
    {"i1", "i1"}, // u64
    {"i1", "i1"}, // fp8e4nv
    {"i1", "i1"}, // fp8e5
    {"i1", "i1"}, // fp16
    {"i1", "i1"}, // bf16
    {"i1", "i1"}, // fp32
    {"i1", "i1"}, // fp64
};
// weak float literal (fp32) OP tensor, tensor OP weak literal
const char *const kWeakFloatAdd[kN][2] = {
    {"fp32", "fp32"}, // i1
    {"fp32", "fp32"}, // i8
    {"fp32", "fp32"}, // i16
    {"fp32", "fp32"}, // i32
    {"fp32", "fp32"}, // i64
    {"fp32", "fp32"}, // u8
    {"fp32", "fp32"}, // u16
    {"fp32", "fp32"}, // u32
    {"fp32", "fp32"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp16", "fp16"}, // fp16
    {"bf16", "bf16"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak float literal (fp32) OP tensor, tensor OP weak literal
const char *const kWeakFloatTrueDiv[kN][2] = {
    {"fp32", "fp32"}, // i1
    {"fp32", "fp32"}, // i8
    {"fp32", "fp32"}, // i16
    {"fp32", "fp32"}, // i32
    {"fp32", "fp32"}, // i64
    {"fp32", "fp32"}, // u8
    {"fp32", "fp32"}, // u16
    {"fp32", "fp32"}, // u32
    {"fp32", "fp32"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp32", "fp32"}, // fp16
    {"fp32", "fp32"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak float literal (fp32) OP tensor, tensor OP weak literal
const char *const kWeakFloatFloorDiv[kN][2] = {
    {"E", "E"}, // i1
    {"E", "E"}, // i8
    {"E", "E"}, // i16
    {"E", "E"}, // i32
    {"E", "E"}, // i64
    {"E", "E"}, // u8
    {"E", "E"}, // u16
    {"E", "E"}, // u32
    {"E", "E"}, // u64
    {"E", "E"}, // fp8e4nv
    {"E", "E"}, // fp8e5
    {"E", "E"}, // fp16
    {"E", "E"}, // bf16
    {"E", "E"}, // fp32
    {"E", "E"}, // fp64
};
// weak float literal (fp32) OP tensor, tensor OP weak literal
const char *const kWeakFloatMod[kN][2] = {
    {"fp32", "fp32"}, // i1
    {"fp32", "fp32"}, // i8
    {"fp32", "fp32"}, // i16
    {"fp32", "fp32"}, // i32
    {"fp32", "fp32"}, // i64
    {"fp32", "fp32"}, // u8
    {"fp32", "fp32"}, // u16
    {"fp32", "fp32"}, // u32
    {"fp32", "fp32"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp32", "fp32"}, // fp16
    {"fp32", "fp32"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak float literal (fp32) OP tensor, tensor OP weak literal
const char *const kWeakFloatBitwise[kN][2] = {
    {"E", "E"}, // i1
    {"E", "E"}, // i8
    {"E", "E"}, // i16
    {"E", "E"}, // i32
    {"E", "E"}, // i64
    {"E", "E"}, // u8
    {"E", "E"}, // u16
    {"E", "E"}, // u32
    {"E", "E"}, // u64
    {"E", "E"}, // fp8e4nv
    {"E", "E"}, // fp8e5
    {"E", "E"}, // fp16
    {"E", "E"}, // bf16
    {"E", "E"}, // fp32
    {"E", "E"}, // fp64
};
// weak float literal (fp32) OP tensor, tensor OP weak literal
const char *const kWeakFloatCompare[kN][2] = {
    {"i1", "i1"}, // i1
    {"i1", "i1"}, // i8
    {"i1", "i1"}, // i16
    {"i1", "i1"}, // i32
    {"i1", "i1"}, // i64
    {"i1", "i1"}, // u8
    {"i1", "i1"}, // u16
    {"i1", "i1"}, // u32
    {"i1", "i1"}, // u64
    {"i1", "i1"}, // fp8e4nv
    {"i1", "i1"}, // fp8e5
    {"i1", "i1"}, // fp16
    {"i1", "i1"}, // bf16
    {"i1", "i1"}, // fp32
    {"i1", "i1"}, // fp64
};
// weak bool literal (i1) OP tensor, tensor OP weak literal
const char *const kWeakBoolAdd[kN][2] = {
    {"i1", "i1"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp16", "fp16"}, // fp16
    {"bf16", "bf16"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak bool literal (i1) OP tensor, tensor OP weak literal
const char *const kWeakBoolTrueDiv[kN][2] = {
    {"fp32", "fp32"}, // i1
    {"fp32", "fp32"}, // i8
    {"fp32", "fp32"}, // i16
    {"fp32", "fp32"}, // i32
    {"fp32", "fp32"}, // i64
    {"fp32", "fp32"}, // u8
    {"fp32", "fp32"}, // u16
    {"fp32", "fp32"}, // u32
    {"fp32", "fp32"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp32", "fp32"}, // fp16
    {"fp32", "fp32"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak bool literal (i1) OP tensor, tensor OP weak literal
const char *const kWeakBoolFloorDiv[kN][2] = {
    {"i1", "i1"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"E", "E"}, // fp8e4nv
    {"E", "E"}, // fp8e5
    {"E", "E"}, // fp16
    {"E", "E"}, // bf16
    {"E", "E"}, // fp32
    {"E", "E"}, // fp64
};
// weak bool literal (i1) OP tensor, tensor OP weak literal
const char *const kWeakBoolMod[kN][2] = {
    {"i1", "i1"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"fp8e4nv", "fp8e4nv"}, // fp8e4nv
    {"fp8e5", "fp8e5"}, // fp8e5
    {"fp32", "fp32"}, // fp16
    {"fp32", "fp32"}, // bf16
    {"fp32", "fp32"}, // fp32
    {"fp64", "fp64"}, // fp64
};
// weak bool literal (i1) OP tensor, tensor OP weak literal
const char *const kWeakBoolBitwise[kN][2] = {
    {"i1", "i1"}, // i1
    {"i8", "i8"}, // i8
    {"i16", "i16"}, // i16
    {"i32", "i32"}, // i32
    {"i64", "i64"}, // i64
    {"u8", "u8"}, // u8
    {"u16", "u16"}, // u16
    {"u32", "u32"}, // u32
    {"u64", "u64"}, // u64
    {"E", "E"}, // fp8e4nv
    {"E", "E"}, // fp8e5
    {"E", "E"}, // fp16
    {"E", "E"}, // bf16
    {"E", "E"}, // fp32
    {"E", "E"}, // fp64
};
// weak bool literal (i1) OP tensor, tensor OP weak literal
const char *const kWeakBoolCompare[kN][2] = {
    {"i1", "i1"}, // i1
    {"i1", "i1"}, // i8
    {"i1", "i1"}, // i16
    {"i1", "i1"}, // i32
    {"i1", "i1"}, // i64
    {"i1", "i1"}, // u8
    {"i1", "i1"}, // u16
    {"i1", "i1"}, // u32
    {"i1", "i1"}, // u64
    {"i1", "i1"}, // fp8e4nv
    {"i1", "i1"}, // fp8e5
    {"i1", "i1"}, // fp16
    {"i1", "i1"}, // bf16
    {"i1", "i1"}, // fp32
    {"i1", "i1"}, // fp64
};
// clang-format on

std::string name(ScalarKind k) { return std::string(scalarKindTritonName(k)); }
std::string show(const ComputationType &c) { return c.error.empty() ? name(c.kind) : "E"; }

// The operators, composed from Promotion.h as semantic.py composes computation_type_impl and
// integer_promote_impl.
std::string add(ScalarKind a, bool as, ScalarKind b, bool bs) {
  return show(computationType(a, as, b, bs, false));
}
std::string trueDiv(ScalarKind a, bool as, ScalarKind b, bool bs) {
  ComputationType c = computationType(a, as, b, bs, true);
  if (!c.error.empty())
    return "E";
  return isIntegerKind(c.kind) ? "fp32" : name(c.kind);
}
std::string floorDiv(ScalarKind a, bool as, ScalarKind b, bool bs) {
  ComputationType c = computationType(a, as, b, bs, true);
  if (!c.error.empty() || !isIntegerKind(c.kind))
    return "E";
  return name(c.kind);
}
std::string mod(ScalarKind a, bool as, ScalarKind b, bool bs) {
  return show(computationType(a, as, b, bs, true));
}
std::string bitwise(ScalarKind a, bool, ScalarKind b, bool) {
  if (!isIntegerKind(a) || !isIntegerKind(b))
    return "E";
  return name(integerPromote(a, b));
}
std::string compare(ScalarKind a, bool as, ScalarKind b, bool bs) {
  return computationType(a, as, b, bs, false).error.empty() ? "i1" : "E";
}

using OpFn = std::string (*)(ScalarKind, bool, ScalarKind, bool);

void checkPairs(const char *op, OpFn fn, const char *const table[kN][kN]) {
  for (int i = 0; i < kN; ++i)
    for (int j = 0; j < kN; ++j) {
      CAPTURE(op);
      std::string lhs = name(kTypes[i]), rhs = name(kTypes[j]);
      CAPTURE(lhs);
      CAPTURE(rhs);
      CHECK(fn(kTypes[i], false, kTypes[j], false) == std::string(table[i][j]));
    }
}

void checkWeak(const char *op, ScalarKind literal, OpFn fn, const char *const table[kN][2]) {
  for (int i = 0; i < kN; ++i) {
    CAPTURE(op);
    std::string lit = name(literal), tensor = name(kTypes[i]);
    CAPTURE(lit);
    CAPTURE(tensor);
    CHECK(fn(literal, true, kTypes[i], false) == std::string(table[i][0]));
    CHECK(fn(kTypes[i], false, literal, true) == std::string(table[i][1]));
  }
}

} // namespace

TEST_CASE("promotion: the tables' type order (a type with itself gives itself for +)") {
  for (int i = 0; i < kN; ++i)
    CHECK(name(kTypes[i]) == std::string(kAdd[i][i]));
}

TEST_CASE("promotion: every pair of tensor types") {
  checkPairs("+", add, kAdd);
  checkPairs("/", trueDiv, kTrueDiv);
  checkPairs("//", floorDiv, kFloorDiv);
  checkPairs("%", mod, kMod);
  checkPairs("&", bitwise, kBitwise);
  checkPairs("<", compare, kCompare);
}

TEST_CASE("promotion: weak literals against every tensor type") {
  ScalarKind intLit = literalIntKind(1), floatLit = literalFloatKind(1.5);
  REQUIRE(intLit == ScalarKind::I32);
  REQUIRE(floatLit == ScalarKind::F32);
  checkWeak("+", intLit, add, kWeakIntAdd);
  checkWeak("/", intLit, trueDiv, kWeakIntTrueDiv);
  checkWeak("//", intLit, floorDiv, kWeakIntFloorDiv);
  checkWeak("%", intLit, mod, kWeakIntMod);
  checkWeak("&", intLit, bitwise, kWeakIntBitwise);
  checkWeak("<", intLit, compare, kWeakIntCompare);
  checkWeak("+", floatLit, add, kWeakFloatAdd);
  checkWeak("/", floatLit, trueDiv, kWeakFloatTrueDiv);
  checkWeak("//", floatLit, floorDiv, kWeakFloatFloorDiv);
  checkWeak("%", floatLit, mod, kWeakFloatMod);
  checkWeak("&", floatLit, bitwise, kWeakFloatBitwise);
  checkWeak("<", floatLit, compare, kWeakFloatCompare);
  checkWeak("+", ScalarKind::I1, add, kWeakBoolAdd);
  checkWeak("/", ScalarKind::I1, trueDiv, kWeakBoolTrueDiv);
  checkWeak("//", ScalarKind::I1, floorDiv, kWeakBoolFloorDiv);
  checkWeak("%", ScalarKind::I1, mod, kWeakBoolMod);
  checkWeak("&", ScalarKind::I1, bitwise, kWeakBoolBitwise);
  checkWeak("<", ScalarKind::I1, compare, kWeakBoolCompare);
}

TEST_CASE("promotion: integer_promote_impl and the literal types") {
  CHECK(integerPromote(ScalarKind::I32, ScalarKind::U32) == ScalarKind::U32);
  CHECK(integerPromote(ScalarKind::U32, ScalarKind::I32) == ScalarKind::U32);
  CHECK(integerPromote(ScalarKind::I64, ScalarKind::U32) == ScalarKind::I64);
  CHECK(integerPromote(ScalarKind::U8, ScalarKind::I16) == ScalarKind::I16);
  CHECK(integerPromote(ScalarKind::I1, ScalarKind::I8) == ScalarKind::I8);
  CHECK(integerPromote(ScalarKind::I1, ScalarKind::U8) == ScalarKind::U8);
  CHECK(tritonIsUnsigned(ScalarKind::I1));
  CHECK(literalIntKind(2147483647) == ScalarKind::I32);
  CHECK(literalIntKind(-2147483648LL) == ScalarKind::I32);
  CHECK(literalIntKind(2147483648LL) == ScalarKind::U32);
  CHECK(literalIntKind(4294967295LL) == ScalarKind::U32);
  CHECK(literalIntKind(4294967296LL) == ScalarKind::I64);
  CHECK(literalIntKind(-2147483649LL) == ScalarKind::I64);
  CHECK(literalFloatKind(1e300) == ScalarKind::F64);
  CHECK(literalFloatKind(1e-300) == ScalarKind::F64);
  CHECK(literalFloatKind(0.0) == ScalarKind::F32);
  CHECK(literalFloatKind(3.0e38) == ScalarKind::F32);
  CHECK(dtypeKind(ScalarKind::I1) == DTypeKind::Bool);
  CHECK(dtypeKind(ScalarKind::U64) == DTypeKind::Integral);
  CHECK(dtypeKind(ScalarKind::F8E5) == DTypeKind::Floating);
}
