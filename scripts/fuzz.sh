#!/usr/bin/env bash
# scripts/fuzz.sh — builds and runs tritonc's libFuzzer targets (fuzz/, see fuzz/README.md).
#
#   scripts/fuzz.sh --smoke [TARGET...]        CI: each target ~30 s on its corpus
#   scripts/fuzz.sh --campaign N [TARGET...]   at least N executions per target (e.g. 10000000)
#   scripts/fuzz.sh --regress [TARGET...]      only replay tests/robustness/crashes/<target>/*
# TARGET: parse_tt (lexer+parser), frontend (.tt -> verified Tile IR), parse_ir (IR parser +
# verifier), passes (the pass pipeline on valid IR), codegen (valid IR -> LLVM IR -> PTX),
# run_args (`tritonc run` argument values and .npy files); default all six.
#
# Every mode first builds the targets (fuzz/build.sh), regenerates the seed corpora
# (fuzz/make_corpus.sh) and replays the saved crash inputs of tests/robustness/crashes/<target>/
# (each must now run cleanly). Fuzzing then starts from the seeds plus the corpus grown by earlier
# runs (BUILD/work/<target>/). It fails on any crash, sanitizer report (ASan, UBSan), leak,
# uncaught exception, oracle failure (fuzz/FuzzCommon.h), input slower than 2 s (20 s for codegen) or
# RSS over 2 GiB.
# Failing inputs land in BUILD/artifacts/<target>/; with --save each is minimized and copied to
# tests/robustness/crashes/<target>/ as a regression input.
#
# Options: --time S (seconds per target in --smoke, default 30), --save, --no-build,
#   --timeout S (the per-input limit, ten times that for codegen: 2 s in --smoke and --regress; 10 s
#   in --campaign, which runs
#   niced beside other work on a small machine, where a starved process can pass 2 s of wall time
#   on an input that takes 0.2 s of CPU),
#   --fast (campaign only): fuzz with a build under UBSan alone with edge coverage only (the
#   fuzz-fast mode of scripts/sanitized-build.sh; TRITONC_FUZZ_FAST_BUILD, default build-fuzz-fast;
#   several times the executions per second), starting from the ASan build's grown
#   corpus, then replay every input of the grown corpus under the ASan + UBSan build with leak
#   detection, so a memory error the fast build could not see still fails the campaign.
# Environment: TRITONC_FUZZ_BUILD (default build-asan, the tree scripts/sanitize.sh also uses),
# JOBS (build, and in --smoke the targets fuzzed at a time; default 1).
# Fuzzing runs under `nice -n 19`, and a campaign also lowers its scheduler autogroup to nice 19
# (with autogroups, plain nice only ranks processes within one terminal session, so a campaign
# started from another session would otherwise take half of the machine from interactive work).
# A campaign keeps going after a crash (up to 25 restarts) and
# prints executions, coverage and crashes per target at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bdir="${TRITONC_FUZZ_BUILD:-build-asan}"
asan_bdir="$bdir"

mode="" runs=0 secs=30 save=0 build=1 fast=0 timeout="" targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) mode=smoke ;;
    --campaign) mode=campaign; runs="${2:?--campaign needs a number of executions}"; shift ;;
    --regress) mode=regress ;;
    --time) secs="${2:?--time needs seconds}"; shift ;;
    --timeout) timeout="${2:?--timeout needs seconds}"; shift ;;
    --save) save=1 ;;
    --no-build) build=0 ;;
    --fast) fast=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
[ -n "$mode" ] || { echo "usage: scripts/fuzz.sh --smoke|--campaign N|--regress [TARGET...]" >&2; exit 2; }
# The slowest first: codegen's first pass over its seed corpus (whole kernels through LLVM under
# ASan) outlasts --time, and in --smoke the other targets then run beside it.
[ ${#targets[@]} -gt 0 ] || targets=(codegen passes frontend parse_ir parse_tt run_args)
if [ "$mode" = campaign ] && [ -w /proc/self/autogroup ]; then
  echo 19 >/proc/self/autogroup 2>/dev/null || true
fi
if [ -z "$timeout" ]; then
  if [ "$mode" = campaign ]; then timeout=10; else timeout=2; fi
fi
if [ "$fast" = 1 ]; then
  [ "$mode" = campaign ] || { echo "fuzz.sh: --fast is for --campaign" >&2; exit 2; }
  bdir="${TRITONC_FUZZ_FAST_BUILD:-build-fuzz-fast}"
fi

if [ "$build" = 1 ]; then
  nice -n 19 fuzz/build.sh "${targets[@]}"
  if [ "$fast" = 1 ]; then
    TRITONC_FUZZ_BUILD="$bdir" TRITONC_FUZZ_FAST=1 nice -n 19 fuzz/build.sh "${targets[@]}"
  fi
fi
fuzz/make_corpus.sh >/dev/null

# The parser bounds syntax trees at 10000 levels, which the front end walks recursively; tritonc
# gives its compiling thread a 1 GiB stack, and the fuzzers (whose ASan frames are larger) get
# the same on their main thread.
ulimit -s 1048576 2>/dev/null || ulimit -s unlimited 2>/dev/null || true

# A leak, a UBSan report or an ASan report are all crashes; symbolized where possible.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:print_summary=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
for s in llvm-symbolizer-22 /usr/lib/llvm-22/bin/llvm-symbolizer; do
  if command -v "$s" >/dev/null 2>&1; then export ASAN_SYMBOLIZER_PATH="$(command -v "$s")"; break; fi
done

max_len() { case "$1" in parse_ir|passes|codegen) echo 65536 ;; run_args) echo 4096 ;; *) echo 16384 ;; esac; }
dict() { case "$1" in parse_ir|passes|codegen) echo "$bdir/ir.dict" ;; run_args) echo fuzz/run_args.dict ;; *) echo fuzz/tt.dict ;; esac; }
# codegen runs LLVM's optimizer and NVPTX backend (not instrumented, but slowed by the
# instrumented callers and the allocator) on whole seed kernels: a 128x128 matmul compiled in two
# alignment versions takes about 10 s of wall time under ASan, so its inputs get 10x the limit.
# The limit still catches hangs.
input_timeout() { case "$1" in codegen) echo $((timeout * 10)) ;; *) echo "$timeout" ;; esac; }
common_flags() { # the limits every run shares
  echo "-timeout=$(input_timeout "$1") -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len=$(max_len "$1") -dict=$(dict "$1")"
}

status=0
summary=()
smoked=() # --smoke: the targets being fuzzed in the background

# Replays the saved regression inputs of one target; each must run cleanly.
regress() {
  local t="$1" bin="$asan_bdir/fuzz_$1" files=()
  mapfile -t files < <(find "tests/robustness/crashes/$t" -type f -not -name '*.md' 2>/dev/null | LC_ALL=C sort)
  [ ${#files[@]} -gt 0 ] || return 0
  # shellcheck disable=SC2046
  if "$bin" $(common_flags "$t") -runs=1 "${files[@]}" >"$bdir/logs/$t.regress.log" 2>&1; then
    echo "fuzz[$t]: ${#files[@]} regression inputs OK"
  else
    echo "fuzz[$t]: regression inputs FAILED: one of tests/robustness/crashes/$t fails:" >&2
    grep -m 20 -E "Running|ERROR|SUMMARY|oracle|==[0-9]+==" "$bdir/logs/$t.regress.log" >&2
    status=1
  fi
}

# Minimizes every artifact of one target and saves it under tests/robustness/crashes/<target>/.
save_artifacts() {
  local t="$1" bin="$bdir/fuzz_$1" a name
  mkdir -p "tests/robustness/crashes/$t"
  for a in "$bdir/artifacts/$t"/*; do
    [ -f "$a" ] || continue
    name="$(basename "$a")"
    case "$name" in minimized-*) continue ;; esac
    # shellcheck disable=SC2046
    nice -n 19 "$bin" $(common_flags "$t") -minimize_crash=1 -max_total_time=60 \
      -exact_artifact_path="$bdir/artifacts/$t/minimized-$name" "$a" >/dev/null 2>&1 || true
    if [ -s "$bdir/artifacts/$t/minimized-$name" ]; then
      cp "$bdir/artifacts/$t/minimized-$name" "tests/robustness/crashes/$t/$name"
    else
      cp "$a" "tests/robustness/crashes/$t/$name"
    fi
    echo "fuzz[$t]: saved tests/robustness/crashes/$t/$name"
  done
}

# Runs one target for `-runs=N` or `-max_total_time=S` (the extra flags); returns libFuzzer's status.
fuzz_once() {
  local t="$1"; shift
  local bin="$bdir/fuzz_$t" log="$bdir/logs/$t.log"
  # shellcheck disable=SC2046
  nice -n 19 "$bin" $(common_flags "$t") -print_final_stats=1 -reload=0 \
    -artifact_prefix="$bdir/artifacts/$t/" "$@" "$bdir/work/$t" "fuzz/corpus/$t" >"$log" 2>&1
}

stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }
cov_of() { grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$1" | tail -1; }

mkdir -p "$bdir/logs"
for t in "${targets[@]}"; do
  [ -x "$bdir/fuzz_$t" ] || { echo "fuzz[$t]: FAILED: $bdir/fuzz_$t was not built" >&2; status=1; continue; }
  mkdir -p "$bdir/work/$t" "$bdir/artifacts/$t"
  if [ "$fast" = 1 ] && [ -d "$asan_bdir/work/$t" ]; then
    cp -n "$asan_bdir/work/$t"/* "$bdir/work/$t"/ 2>/dev/null || true
  fi
  regress "$t"
  [ "$mode" != regress ] || continue

  if [ "$mode" = smoke ]; then
    # JOBS targets at a time (each fuzzer is one process); results are read after the loop.
    while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-1}" ]; do wait -n || true; done
    rm -f "$bdir/logs/$t.status"
    (if fuzz_once "$t" -max_total_time="$secs"; then s=0; else s=1; fi; echo "$s" >"$bdir/logs/$t.status") &
    smoked+=("$t")
    continue
  else # campaign: keep going after crashes until N executions
    done_runs=0 crashes=0 restarts=0
    while [ "$done_runs" -lt "$runs" ] && [ "$restarts" -le 25 ]; do
      if fuzz_once "$t" -runs=$((runs - done_runs)); then ok=1; else ok=0; fi
      n="$(stat_of "$bdir/logs/$t.log" number_of_executed_units)"
      done_runs=$((done_runs + ${n:-0}))
      cat "$bdir/logs/$t.log" >> "$bdir/logs/$t.campaign.log"
      [ "$ok" = 1 ] && break
      crashes=$((crashes + 1)) restarts=$((restarts + 1)) status=1
      grep -m 5 -E "ERROR|SUMMARY|oracle|Test unit written" "$bdir/logs/$t.log" >&2 || true
    done
    summary+=("$t: $done_runs execs, $crashes crash(es), $(cov_of "$bdir/logs/$t.log"), corpus $(ls "$bdir/work/$t" | wc -l) files")
    if [ "$fast" = 1 ]; then # the grown corpus, every input once, under ASan + UBSan + LSan
      # shellcheck disable=SC2046
      if nice -n 19 "$asan_bdir/fuzz_$t" $(common_flags "$t") -runs=0 \
           -artifact_prefix="$asan_bdir/artifacts/$t/" "$bdir/work/$t" >"$bdir/logs/$t.asan-replay.log" 2>&1; then
        summary+=("$t: grown corpus replayed under ASan: clean")
      else
        status=1
        summary+=("$t: grown corpus replay under ASan FAILED (log $bdir/logs/$t.asan-replay.log)")
      fi
    fi
  fi
  [ "$save" = 0 ] || save_artifacts "$t"
done

wait
for t in "${smoked[@]}"; do
  if [ "$(cat "$bdir/logs/$t.status" 2>/dev/null)" = 0 ]; then
    summary+=("$t: OK, $(stat_of "$bdir/logs/$t.log" number_of_executed_units) execs in ${secs}s, $(cov_of "$bdir/logs/$t.log")")
  else
    status=1
    summary+=("$t: FAILED (log $bdir/logs/$t.log, inputs in $bdir/artifacts/$t/)")
    grep -m 10 -E "ERROR|SUMMARY|oracle|Test unit written|timeout" "$bdir/logs/$t.log" >&2 || true
  fi
  [ "$save" = 0 ] || save_artifacts "$t"
done
for line in "${summary[@]}"; do echo "fuzz: $line"; done
if [ "$status" = 0 ]; then echo "fuzz: PASS"; else echo "fuzz: FAIL"; fi
exit "$status"
