// The precompiled header of src/codegen, used when configured with -Dllvm_pch=true (CI does):
// LLVM's IR headers cost about 6 s of parsing in each of codegen's translation units. Only
// what codegen includes anyway belongs here: the header is force-included into every codegen
// file, so a file that forgets an include still compiles with it (the default build, without a
// precompiled header, catches that). No include guard: it is only read as the precompiled
// header (GCC warns about `#pragma once` in the file it precompiles).

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/IntrinsicsNVPTX.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>
