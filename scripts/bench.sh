#!/usr/bin/env bash
# Builds the benchmarks (Release, in build-bench/), runs the whole suite and
# writes bench/RESULTS.md: the one command for issue #5's figures.
#
#   bash scripts/bench.sh
#
# Takes about 11 minutes on 2 cores. Run it on a quiet machine: the report
# records the load average, but cannot undo it. Environment overrides:
#   WATCHWORD_BENCH_BUILD_DIR    build directory (default build-bench)
#   WATCHWORD_BENCH_MIN_TIME     seconds per benchmark (default 0.3)
#   WATCHWORD_BENCH_REPETITIONS  repetitions, reported as medians (default 3)
#   WATCHWORD_BENCH_FILTER       regex of benchmarks to run (default all)
#   WATCHWORD_BENCH_MESSAGES     CLI corpus size (default 100000)
#   WATCHWORD_BENCH_OUT          report path (default bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
export CCACHE_BASEDIR="${PWD}"

build="${WATCHWORD_BENCH_BUILD_DIR:-build-bench}"
min_time="${WATCHWORD_BENCH_MIN_TIME:-0.3}"
repetitions="${WATCHWORD_BENCH_REPETITIONS:-3}"
filter="${WATCHWORD_BENCH_FILTER:-.}"
messages="${WATCHWORD_BENCH_MESSAGES:-100000}"
report="${WATCHWORD_BENCH_OUT:-bench/RESULTS.md}"
results="${build}/bench-results"

cmake -S . -B "${build}" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DWATCHWORD_BUILD_BENCH=ON -DWATCHWORD_BUILD_TESTS=OFF \
  -DWATCHWORD_BUILD_PYTHON=ON -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "${build}" -j2 \
  --target scan_bench latency_bench normalize_bench tracker_bench watchword_cli \
  corpus_bench watchword_python serve_bench
rm -rf "${results}"
mkdir -p "${results}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME BINARY [FLAGS...]: one binary's benchmarks into NAME.json.
run() {
  local name="$1" binary="$2"
  shift 2
  echo "=== ${name} ==="
  "${build}/${binary}" \
    --benchmark_out="${results}/${name}.json" --benchmark_out_format=json \
    --benchmark_counters_tabular=false "$@"
}
repeated=(--benchmark_min_time="${min_time}"
          --benchmark_repetitions="${repetitions}"
          --benchmark_report_aggregates_only=true)
# BM_Compile runs once whatever the flags say (10,000 terms take tens of
# seconds), and the scans reuse the Engines it compiled.
run scan scan_bench --benchmark_filter="${filter}" "${repeated[@]}"
run latency latency_bench --benchmark_min_time=1 \
  --benchmark_filter="${filter}"
run normalize normalize_bench --benchmark_filter="${filter}" \
  "${repeated[@]}"
run tracker tracker_bench --benchmark_filter="${filter}" "${repeated[@]}"

# Where a scan spends its time, by library and function, if perf is
# installed and allowed: a benign 128-byte message and 16 KiB ones. The
# delay skips compiling the ruleset.
perf_case() {
  local name="$1" filter="$2"
  perf record -q -o "${results}/perf-${name}.data" -D 6000 -F 2000 -- \
    "${build}/scan_bench" --benchmark_min_time=8 \
    --benchmark_filter="${filter}" >/dev/null 2>&1 &&
  perf report -i "${results}/perf-${name}.data" --no-children \
    --sort dso,symbol --stdio -g none --percent-limit 0.5 \
    >"${results}/perf-${name}.txt" 2>/dev/null &&
  perf report -i "${results}/perf-${name}.data" --no-children --sort dso \
    --stdio -g none >"${results}/perf-dso-${name}.txt" 2>/dev/null
}
if command -v perf >/dev/null 2>&1; then
  echo "=== perf ==="
  perf_case 128 '^BM_ScanHits/child_safety/hyperscan/ascii/128/none$' &&
    perf_case 16384 '^BM_Scan/child_safety/hyperscan/ascii/16384$' ||
    echo "bench: perf failed; the report goes without its profile"
else
  echo "bench: no perf; the report goes without its profile"
fi

echo "=== cli ==="
# The SMS corpus x 20, with the library and Python's scan_many on the same
# messages in the same run (issue #14). WATCHWORD_BENCH_CLI_BEFORE names a
# cli.json that cli_bench.py wrote for an earlier build, shown beside.
/usr/bin/python3 bench/cli_bench.py --cli "${build}/watchword" \
  --ruleset rulesets/child_safety --input tests/data/sms_ham.jsonl \
  --copies 20 --library "${build}/corpus_bench" --python "${build}/python" \
  --repeat 5 --label "$(git rev-parse --short HEAD 2>/dev/null)" \
  --out "${results}/cli.json"
if [[ -n "${WATCHWORD_BENCH_CLI_BEFORE:-}" ]]; then
  cp "${WATCHWORD_BENCH_CLI_BEFORE}" "${results}/cli_before.json"
fi

echo "=== serve ==="
# `watchword serve` over loopback: ScanStream from 2 client threads, one
# request at a time per stream and with 8 and 32 in flight (issue #14). A
# JSON list of serve_bench's objects, one per window.
{
  echo "["
  sep=""
  for window in 1 8 32; do
    printf '%s' "${sep}"
    "${build}/serve_bench" --threads 2 --window "${window}" --seconds 4
    sep=","
  done
  echo "]"
} >"${results}/serve.json"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 bench/report.py --results "${results}" --build "${build}" \
  --source . --out "${report}" \
  --load-before "${load_before}" --load-after "${load_after}" \
  --settings "--benchmark_min_time=${min_time}, median of ${repetitions} repetitions; latency: min_time 1 s, one run; compile: one run (one compile for child_safety and 1,000 terms or more)"
