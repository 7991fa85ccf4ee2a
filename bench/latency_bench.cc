// Per-message latency percentiles and heap allocations per scan. A binary of
// its own because it replaces the global operator new to count every
// allocation in the process (the library's, protobuf's, Abseil's), which
// would tax the other benchmarks.
//
//   build-bench/latency_bench
//
// BM_Latency/<ruleset>/<backend>/<text kind>/<bytes>/<mix> times each scan
// with std::chrono::steady_clock (whose own cost, some 20-40 ns, is in the
// figures) and reports p50_ns, p99_ns, p999_ns and max_ns, plus
// allocs_per_scan, counted after one warm-up pass over the messages. <mix>
// is "mixed" (1 in 100 messages flagged) or "benign" (none: the
// zero-allocation case of tests/api/allocation_test.cc).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench_inputs.h"
#include "benchmark/benchmark.h"
#include "watchword/watchword.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace watchword::bench {
namespace {

// Latencies kept per benchmark run; later scans overwrite the oldest.
constexpr size_t kMaxSamples = size_t{1} << 20;

void BM_Latency(benchmark::State& state, const std::string& ruleset,
                Backend backend, TextKind kind, size_t bytes, int hit_every) {
  const auto& engine = CachedEngine(ruleset, backend);
  const MessageSet& set =
      CachedMessages(engine, kind, bytes, MessageCount(bytes), hit_every);
  Scanner scanner(engine);
  v1::Verdict verdict;
  for (const std::string& message : set.messages) {
    (void)scanner.Scan(message, &verdict);  // Warm-up: buffers grow.
  }
  std::vector<uint32_t> samples(kMaxSamples);
  const size_t n = set.messages.size();
  size_t i = 0, k = 0;
  const long allocations_before = allocations.load();
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    absl::Status status = scanner.Scan(set.messages[i], &verdict);
    auto stop = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(status);
    samples[k++ & (kMaxSamples - 1)] = static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start)
            .count());
    if (++i == n) i = 0;
  }
  const long allocated = allocations.load() - allocations_before;
  samples.resize(std::min(k, kMaxSamples));
  std::sort(samples.begin(), samples.end());
  auto percentile = [&](double p) {
    if (samples.empty()) return 0.0;
    size_t index = static_cast<size_t>(p * (samples.size() - 1));
    return static_cast<double>(samples[index]);
  };
  state.counters["p50_ns"] = percentile(0.50);
  state.counters["p99_ns"] = percentile(0.99);
  state.counters["p999_ns"] = percentile(0.999);
  state.counters["max_ns"] = samples.empty() ? 0.0 : samples.back();
  state.counters["allocs_per_scan"] =
      static_cast<double>(allocated) / std::max<int64_t>(1, state.iterations());
  state.counters["flagged_pct"] = set.flagged_percent;
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * set.total_bytes / n);
}

int Register() {
  for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    for (TextKind kind :
         {TextKind::kAscii, TextKind::kCyrillic, TextKind::kEmoji}) {
      for (size_t bytes : {128, 1024, 16384}) {
        if (kind != TextKind::kAscii && bytes != 128) continue;
        for (int hit_every : {100, 0}) {
          benchmark::RegisterBenchmark(
              absl::StrCat("BM_Latency/child_safety/", BackendName(backend),
                           "/", TextKindName(kind), "/", bytes, "/",
                           hit_every == 0 ? "benign" : "mixed")
                  .c_str(),
              BM_Latency, "child_safety", backend, kind, bytes, hit_every);
        }
      }
    }
  }
  return 0;
}

[[maybe_unused]] const int registered = Register();

}  // namespace
}  // namespace watchword::bench

BENCHMARK_MAIN();
