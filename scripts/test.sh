#!/usr/bin/env bash
# Builds and runs every test: under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/); every libFuzzer target for 30 s
# each (scripts/fuzz.sh, build-fuzz/); the multi-threaded tests under
# ThreadSanitizer (scripts/tsan.sh, build-tsan/); then a normal build
# (build/) that also builds the Python bindings, the benchmarks (ctest
# bench_smoke_* runs them briefly) and libwatchword.so, and builds
# tests/consumer/ against it all (ctest consumer_builds). The normal run
# comes last so the output ends with ctest's summary line. Exits non-zero if any part fails.
#
# WATCHWORD_FUZZ_SECONDS sets the time per fuzz target (default 30).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh || exit 1
export CCACHE_BASEDIR="${PWD}"  # Lets builds in other checkouts share hits.

status=0

echo "=== build-asan: address,undefined ==="
# `watchword serve` (gRPC) is built and tested in the default build only:
# its code is glue around gRPC, whose many headers would add minutes here.
if cmake -S . -B build-asan -G Ninja -DWATCHWORD_BUILD_TESTS=ON \
     -DWATCHWORD_SANITIZE=address,undefined -DWATCHWORD_BUILD_SERVE=OFF \
     >/dev/null &&
   cmake --build build-asan -j2; then
  # detect_leaks stays on; halt_on_error makes a finding fail its test.
  ASAN_OPTIONS=halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j2 || status=1
else
  echo "build-asan: build failed"
  status=1
fi

echo "=== fuzz: every target, ${WATCHWORD_FUZZ_SECONDS:-30} s each ==="
bash scripts/fuzz.sh --seconds "${WATCHWORD_FUZZ_SECONDS:-30}" || status=1

echo "=== tsan ==="
bash scripts/tsan.sh || status=1

echo "=== build: default ==="
if cmake -S . -B build -G Ninja -DWATCHWORD_BUILD_TESTS=ON -DWATCHWORD_SANITIZE= -DWATCHWORD_BUILD_PYTHON=ON -DPython3_EXECUTABLE=/usr/bin/python3 \
     -DWATCHWORD_BUILD_BENCH=ON -DWATCHWORD_BUILD_SHARED=ON \
     >/dev/null && cmake --build build -j2; then
  ctest --test-dir build --output-on-failure -j2 || status=1
else
  echo "build: build failed"
  status=1
fi

exit "${status}"
