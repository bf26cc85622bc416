# lit configuration for tritonc's file tests (tests/lit/**). One file per feature or pass; the
# RUN: lines name the exact command. Run through scripts/test.sh, or by hand:
#   /usr/lib/llvm-22/bin/lit -sv tests/lit [--param build_dir=/abs/path/to/build]
# Substitutions:
#   tritonc      the build's compiler (build_dir/tritonc; build_dir defaults to <repo>/build,
#                or $TRITONC_BUILD_DIR)
#   FileCheck, not, count, split-file   LLVM 22's, from /usr/lib/llvm-22/bin (or $LLVM_BIN)
#   %expect_exit N CMD...            runs CMD, passes its output through, and fails unless
#                                    CMD exited with status N (lit's `not` only knows "non-zero")
#   %build_dir   the build directory; %update_checks  scripts/update_codegen_checks.py
#   %ptxas       the ptxas tritonc finds (only with the ptxas feature), for register reports
# Features (REQUIRES: lines):
#   ptxas        a ptxas was found where tritonc looks for one ($TRITONC_PTXAS, else
#                $CUDA_HOME/bin, $CUDA_PATH/bin, /usr/local/cuda/bin, $PATH). A test that builds
#                a cubin (or a fatbin) says `REQUIRES: ptxas`; without ptxas lit reports it
#                UNSUPPORTED, which scripts/test.sh counts as a failure (never a silent skip).
# Helper files that are not tests (imported modules, fake tools) live in Inputs/ folders.
import os
import lit.formats

config.name = "tritonc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".tt", ".tir", ".test"]
config.excludes = ["Inputs", "tools", "lit.cfg.py"]

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
build_dir = lit_config.params.get(
    "build_dir", os.environ.get("TRITONC_BUILD_DIR", os.path.join(repo, "build")))
build_dir = os.path.abspath(build_dir)
llvm_bin = os.environ.get("LLVM_BIN", "/usr/lib/llvm-22/bin")

config.test_source_root = os.path.dirname(os.path.abspath(__file__))
# Output/ folders go into the build tree, not the sources.
config.test_exec_root = os.path.join(build_dir, "tests", "lit-out")

tritonc = os.path.join(build_dir, "tritonc")
if not os.path.exists(tritonc):
    lit_config.fatal("tritonc not built: %s (run scripts/setup.sh, or pass "
                     "--param build_dir=...)" % tritonc)
for tool in ["FileCheck", "not", "count", "split-file", "llvm-readelf", "llvm-objdump"]:
    if not os.path.exists(os.path.join(llvm_bin, tool)):
        lit_config.fatal("%s not found in %s (install llvm-22-tools)" % (tool, llvm_bin))

# Tool names are replaced only as whole words, never inside paths or longer names.
def tool(name):
    return r"(?<![\w./%-])" + name + r"(?![\w./-])"

config.substitutions.append(("%kernels", os.path.join(repo, "tests", "kernels")))
config.substitutions.append(("%examples", os.path.join(repo, "examples")))
config.substitutions.append(("%expect_exit", "python3 " + os.path.join(
    config.test_source_root, "tools", "expect_exit.py")))
config.substitutions.append(("%update_checks",
                             os.path.join(repo, "scripts", "update_codegen_checks.py")))
config.substitutions.append(("%build_dir", build_dir))
config.substitutions.append((tool("tritonc"), tritonc))
# A C compiler and cuda.h, for tests that compile generated headers (a missing one is fatal).
cuda_include = os.path.join(os.environ.get("CUDA_HOME", "/usr/local/cuda"), "include")
if not os.path.exists(os.path.join(cuda_include, "cuda.h")):
    lit_config.fatal("cuda.h not found in %s (set CUDA_HOME)" % cuda_include)
config.substitutions.append(("%cuda_include", cuda_include))
config.substitutions.append(("%cc", os.environ.get("CC", "gcc")))
for name in ["FileCheck", "not", "count", "split-file", "llvm-readelf", "llvm-objdump"]:
    config.substitutions.append((tool(name), os.path.join(llvm_bin, name)))

# ptxas, looked up in tritonc's order (src/codegen/Toolchain.cpp, findPtxas).
def find_ptxas():
    def executable(path):
        return path and os.path.isfile(path) and os.access(path, os.X_OK)
    named = os.environ.get("TRITONC_PTXAS")
    if named:
        return named if executable(named) else None
    candidates = [os.path.join(os.environ[v], "bin", "ptxas")
                  for v in ["CUDA_HOME", "CUDA_PATH"] if os.environ.get(v)]
    candidates.append("/usr/local/cuda/bin/ptxas")
    candidates += [os.path.join(d, "ptxas") for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    return next((c for c in candidates if executable(c)), None)

ptxas = find_ptxas()
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("ptxas not found: tests that need it (REQUIRES: ptxas) are UNSUPPORTED, "
                    "which scripts/test.sh counts as failures")

# The toolchain the tests use is the user's: pass the variables that locate it through.
for var in ["TRITONC_PTXAS", "CUDA_HOME", "CUDA_PATH", "TRITONC_LD_LLD", "TRITONC_LIBDEVICE",
            "TMPDIR", "HOME"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]
# Diagnostics never carry colour codes in tests (stderr is a pipe anyway).
config.environment["NO_COLOR"] = "1"
