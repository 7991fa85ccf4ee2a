#!/usr/bin/env bash
# Builds every libFuzzer target with clang-14 under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-fuzz/), then runs each from its seed
# corpus for a fixed time. Exits non-zero if any target finds a crash, a
# leak, a sanitizer report or a timeout; the input that did it is saved as
# build-fuzz/artifacts/TARGET-crash-* (or leak-*, timeout-*, oom-*).
#
#   bash scripts/fuzz.sh                  # 30 s per target (what CI runs)
#   bash scripts/fuzz.sh --long           # 20 min per target, random seed
#   bash scripts/fuzz.sh --seed 7         # another fixed seed (default 1)
#   bash scripts/fuzz.sh --seconds 120 scan_fuzzer fold_fuzzer
#
# Seeds live in tests/fuzz/corpus/TARGET/ and are never written to; what a
# run discovers goes to build-fuzz/corpus/TARGET/ and is reused by the next
# run on this machine. To keep a useful new input, copy it into the seeds.
# A crash becomes a regression test beside the code it broke.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=30
# A fixed seed makes the short runs explore the same inputs every time, so a
# run that passed here passes in CI; campaigns (--long) pick a random one.
seed=1
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --long) seconds=1200; seed=0 ;;
    --seed) seed="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown flag $1 (try --help)" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(compile_fuzzer scan_fuzzer engine_file_fuzzer
           regex_prefilter_fuzzer fold_fuzzer backend_diff_fuzzer jsonl_fuzzer)
fi

bash scripts/install-deps.sh || exit 1
export CCACHE_BASEDIR="${PWD}"

echo "=== build-fuzz: clang-14, libFuzzer, address,undefined ==="
if ! CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja \
       -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWATCHWORD_BUILD_FUZZERS=ON \
       -DWATCHWORD_BUILD_TESTS=OFF -DWATCHWORD_SANITIZE=address,undefined \
       >/dev/null ||
   ! cmake --build build-fuzz -j2 --target "${targets[@]}"; then
  echo "fuzz: build failed"
  exit 1
fi

mkdir -p build-fuzz/artifacts
status=0
for target in "${targets[@]}"; do
  seeds="tests/fuzz/corpus/${target}"
  work="build-fuzz/corpus/${target}"
  mkdir -p "${work}"
  log="build-fuzz/${target}.log"
  # -timeout: one input taking 25 s is a hang (the scan paths are linear);
  # -rss_limit_mb: compile_fuzzer may build Hyperscan databases.
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/${target}" -max_total_time="${seconds}" -seed="${seed}" \
      -timeout=25 \
      -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/artifacts/${target}-" \
      "${work}" $([[ -d "${seeds}" ]] && echo "${seeds}") >"${log}" 2>&1
  rc=$?
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "${log}" |
          grep -o '[0-9]*$' || true)"
  if [[ ${rc} -eq 0 ]]; then
    echo "fuzz: ${target}: ok, ${runs:-?} runs in ${seconds} s"
  else
    echo "fuzz: ${target}: FAILED (exit ${rc}); last lines of ${log}:"
    tail -n 40 "${log}"
    status=1
  fi
done
exit "${status}"
