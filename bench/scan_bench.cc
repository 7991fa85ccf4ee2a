// End-to-end scan throughput: normalization, matching, rule logic and a
// protobuf Verdict (as a C++ object, not serialized), per message.
//
//   bash scripts/bench.sh                   # the whole suite, writes RESULTS.md
//   build-bench/scan_bench --benchmark_filter='BM_Scan/child_safety/hyperscan/ascii/128$'
//
// This binary also holds the baselines (baseline_bench.cc) and the per-stage
// micro-benchmarks (stage_bench.cc), so that ratios compare figures taken in
// the same run on the same messages.
//
// Names: BM_Scan/<ruleset>/<backend>/<text kind>/<message bytes>, where the
// ruleset is child_safety (rulesets/child_safety), starter
// (rulesets/examples/starter.textproto) or terms:N (N generated phrases, for
// scaling). Time per iteration is time per message; counters give
// messages/s (items_per_second) and bytes/s, and `flagged_pct`, the share of
// messages that get a rule match (1 in 100 carries a grooming phrase).
// BM_Compile/<ruleset>/<backend> compiles a ruleset in memory and
// BM_LoadEngine/<ruleset>/<backend> loads its engine file.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "bench/bench_inputs.h"
#include "benchmark/benchmark.h"
#include "watchword/serialize.h"
#include "watchword/watchword.h"

namespace watchword::bench {
namespace {

void BM_Scan(benchmark::State& state, const std::string& ruleset,
             Backend backend, TextKind kind, size_t bytes, int hit_every) {
  const std::shared_ptr<const Engine>& engine = CachedEngine(ruleset, backend);
  const MessageSet& set =
      CachedMessages(engine, kind, bytes, MessageCount(bytes), hit_every);
  Scanner scanner(engine);  // One per thread, as in production.
  v1::Verdict verdict;
  const size_t n = set.messages.size();
  // Threads start at different messages so they do not run in lockstep.
  size_t i = state.thread_index() * n / state.threads();
  for (auto _ : state) {
    absl::Status status = scanner.Scan(set.messages[i], &verdict);
    benchmark::DoNotOptimize(status);
    benchmark::ClobberMemory();
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * set.total_bytes / n);
  state.counters["flagged_pct"] =
      benchmark::Counter(set.flagged_percent, benchmark::Counter::kAvgThreads);
  state.counters["patterns"] = benchmark::Counter(
      engine->pattern_count(), benchmark::Counter::kAvgThreads);
  state.counters["term_hits_per_msg"] = benchmark::Counter(
      set.term_hits_per_message, benchmark::Counter::kAvgThreads);
  state.counters["rules_per_msg"] = benchmark::Counter(
      set.rules_evaluated_per_message, benchmark::Counter::kAvgThreads);
}

// Compiling a ruleset already in memory: validation, lowering, and every
// matcher database.
void BM_Compile(benchmark::State& state, const std::string& ruleset,
                Backend backend) {
  absl::StatusOr<v1::Ruleset> loaded;
  if (ruleset == "child_safety") {
    loaded = LoadRuleset(
        absl::StrCat(WATCHWORD_SOURCE_DIR, "/rulesets/child_safety"));
  } else if (ruleset == "starter") {
    loaded = LoadRuleset(absl::StrCat(WATCHWORD_SOURCE_DIR,
                                      "/rulesets/examples/starter.textproto"));
  } else {
    loaded = GeneratedRuleset(std::stoi(ruleset.substr(6)));  // "terms:N"
  }
  if (!loaded.ok()) {
    state.SkipWithError(loaded.status().ToString().c_str());
    return;
  }
  std::shared_ptr<const Engine> compiled;
  for (auto _ : state) {
    auto engine = Compile(*loaded, {.backend = backend});
    if (!engine.ok()) {
      state.SkipWithError(engine.status().ToString().c_str());
      return;
    }
    compiled = *std::move(engine);
  }
  const size_t database_bytes = DatabaseBytes(*compiled);
  const int patterns = compiled->pattern_count();
  RememberEngine(ruleset, backend, std::move(compiled));
  state.counters["database_bytes"] = static_cast<double>(database_bytes);
  state.counters["patterns"] = patterns;
  state.counters["rules"] = loaded->rules_size();
}

// Loading an engine file SaveEngineFile() wrote for the Engine BM_Compile
// compiled: reading the file, checking it and rebuilding the matchers (what
// a service pays at start-up or when it swaps rulesets without compiling).
void BM_LoadEngine(benchmark::State& state, const std::string& ruleset,
                   Backend backend) {
  const std::shared_ptr<const Engine>& engine = CachedEngine(ruleset, backend);
  std::error_code error;
  const std::filesystem::path path =
      std::filesystem::temp_directory_path(error) /
      absl::StrCat("watchword_bench_", getpid(), "_", ruleset, "_",
                   BackendName(backend), ".wwengine");
  if (absl::Status saved = SaveEngineFile(*engine, path.string());
      !saved.ok()) {
    state.SkipWithError(saved.ToString().c_str());
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<std::shared_ptr<const Engine>> loaded =
        LoadEngineFile(path.string());
    if (!loaded.ok()) {
      state.SkipWithError(loaded.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(*loaded);
  }
  state.counters["file_bytes"] =
      static_cast<double>(std::filesystem::file_size(path, error));
  std::filesystem::remove(path, error);
}

const TextKind kKinds[] = {TextKind::kAscii, TextKind::kCyrillic,
                           TextKind::kEmoji};
const size_t kSizes[] = {32, 128, 1024, 16384};

int Register() {
  // Compile time first, so that the scans below reuse what it compiled.
  // Once each: compiling 10,000 terms takes tens of seconds.
  for (const char* ruleset : {"starter", "child_safety", "terms:10",
                              "terms:100", "terms:1000", "terms:10000"}) {
    for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
      if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
      auto* b = benchmark::RegisterBenchmark(
          absl::StrCat("BM_Compile/", ruleset, "/", BackendName(backend))
              .c_str(),
          BM_Compile, ruleset, backend);
      b->Unit(benchmark::kMillisecond)->Repetitions(1);
      const std::string name = ruleset;
      if (name == "child_safety" || name == "terms:1000" ||
          name == "terms:10000") {
        b->Iterations(1);
      }
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_LoadEngine/", ruleset, "/", BackendName(backend))
              .c_str(),
          BM_LoadEngine, ruleset, backend)
          ->Unit(benchmark::kMillisecond);
    }
  }
  for (const char* ruleset : {"child_safety", "starter"}) {
    for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
      if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
      for (TextKind kind : kKinds) {
        for (size_t bytes : kSizes) {
          benchmark::RegisterBenchmark(
              absl::StrCat("BM_Scan/", ruleset, "/", BackendName(backend), "/",
                           TextKindName(kind), "/", bytes)
                  .c_str(),
              BM_Scan, ruleset, backend, kind, bytes, 100);
        }
      }
    }
  }
  // Throughput on 1 and 2 threads sharing one Engine, one Scanner each.
  // Real time, so items_per_second is the throughput of all threads.
  for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    for (size_t bytes : {128, 1024}) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_ScanThreads/child_safety/", BackendName(backend),
                       "/ascii/", bytes)
              .c_str(),
          BM_Scan, "child_safety", backend, TextKind::kAscii, bytes, 100)
          ->Threads(1)
          ->Threads(2)
          ->UseRealTime();
    }
  }
  // The cost of a flagged message (rule evaluation and a Verdict with
  // matches): every message carries a hit, or none does.
  for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    for (int hit_every : {0, 1}) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_ScanHits/child_safety/", BackendName(backend),
                       "/ascii/128/", hit_every == 1 ? "all" : "none")
              .c_str(),
          BM_Scan, "child_safety", backend, TextKind::kAscii, 128, hit_every);
    }
  }
  // Scaling with ruleset size: generated phrases, 128-byte ASCII messages.
  for (int terms : {10, 100, 1000, 10000}) {
    const std::string ruleset = absl::StrCat("terms:", terms);
    for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
      if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_Scan/", ruleset, "/", BackendName(backend),
                       "/ascii/128")
              .c_str(),
          BM_Scan, ruleset, backend, TextKind::kAscii, 128, 100);
    }
  }
  return 0;
}

[[maybe_unused]] const int registered = Register();

}  // namespace
}  // namespace watchword::bench

BENCHMARK_MAIN();
