#!/usr/bin/env bash
# Builds Watchword under ThreadSanitizer (build-tsan/) and runs everything
# that scans on several threads at once:
#   - the C++ tests that share an Engine across threads (a Scanner per
#     thread, hot reload through EngineHandle, lazily compiled regexes),
#     the one of threads updating a ConversationTracker at once, and those
#     of the thread pool that the CLI and scan_many run on;
#   - `watchword scan --threads 2` over 4,000 records;
#   - the Python tests of scan_many/scan_iter, of Python threads sharing
#     one Engine and of threads sharing a Tracker, with the TSan runtime
#     preloaded into /usr/bin/python3.
# Exits non-zero on any ThreadSanitizer report or test failure.
#
# tests/tsan_suppressions.txt holds the one known false report and why.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh || exit 1
export CCACHE_BASEDIR="${PWD}"

echo "=== build-tsan: thread ==="
# Release-like optimization keeps the instrumented scans fast enough.
if ! cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       -DWATCHWORD_SANITIZE=thread -DWATCHWORD_BUILD_TESTS=ON \
       -DWATCHWORD_BUILD_PYTHON=ON -DPython3_EXECUTABLE=/usr/bin/python3 \
       >/dev/null ||
   ! cmake --build build-tsan -j2 --target concurrency_test hot_reload_test \
       matcher_test normalizer_test jsonl_test tracker_test thread_pool_test \
       watchword_cli watchword_python; then
  echo "tsan: build failed"
  exit 1
fi

export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=${PWD}/tests/tsan_suppressions.txt"
status=0

ctest --test-dir build-tsan --output-on-failure -j2 \
  -R 'ConcurrencyTest|HotReloadTest|LazyRegexesTest|NormalizerTest\.IsThreadSafe|TrackerConcurrencyTest|ThreadPoolTest' ||
  status=1

echo "=== tsan: watchword scan --threads 2 ==="
# Enough records for both threads to claim many batches.
for _ in $(seq 1 200); do cat examples/conversation.jsonl; done \
  >build-tsan/conversations.jsonl
if build-tsan/watchword scan --ruleset rulesets/examples/starter.textproto \
     --threads 2 --progress_every 0 build-tsan/conversations.jsonl \
     >build-tsan/scan.out; then
  echo "tsan: cli: $(wc -l <build-tsan/scan.out) verdicts"
else
  echo "tsan: cli: FAILED"
  status=1
fi

echo "=== tsan: python scan_many ==="
# The interpreter is not instrumented; preloading the runtime lets the
# extension's instrumented code run inside it. pytest captures stderr, so
# reports go to files, printed on failure.
rm -f build-tsan/python-tsan.*
if TSAN_OPTIONS="${TSAN_OPTIONS} log_path=${PWD}/build-tsan/python-tsan" \
   LD_PRELOAD="$(g++ -print-file-name=libtsan.so)" \
   PYTHONPATH=build-tsan/python PYTHONDONTWRITEBYTECODE=1 \
   WATCHWORD_SOURCE_DIR="${PWD}" \
   /usr/bin/python3 -m pytest -q -p no:cacheprovider \
     bindings/python/tests/test_scan_many.py \
     bindings/python/tests/test_tracker.py; then
  echo "tsan: python: ok"
else
  echo "tsan: python: FAILED"
  cat build-tsan/python-tsan.* 2>/dev/null
  status=1
fi
exit "${status}"
