// End-to-end scan throughput: normalization, matching, rule logic and a
// protobuf Verdict, on one thread.
//
//   cmake -B build -DWATCHWORD_BUILD_BENCH=ON
//   cmake --build build -j2 --target scan_bench && build/scan_bench
//
// Inputs are generated here (deterministic, benign chat-like text built from
// a fixed vocabulary) so the figures do not depend on files outside bench/.
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "watchword/watchword.h"

namespace {

std::vector<std::string> BenignMessages(size_t count, size_t bytes) {
  static const char* kWords[] = {
      "hey",   "are",   "you",    "coming", "to",     "the",    "game",
      "later", "lol",   "i",      "think",  "so",     "maybe",  "after",
      "dinner", "my",   "mum",    "said",   "we",     "can",    "go",
      "park",  "tomorrow", "what", "time",  "works",  "for",    "team",
      "practice", "was", "great", "today",  "thanks", "see",    "ya",
      "homework", "math", "test", "friday", "ok",     "cool",   "nice"};
  std::mt19937 rng(42);
  std::vector<std::string> messages;
  for (size_t i = 0; i < count; ++i) {
    std::string text;
    while (text.size() < bytes) {
      if (!text.empty()) text += ' ';
      text += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    }
    text.resize(bytes);
    messages.push_back(std::move(text));
  }
  return messages;
}

void BM_Scan(benchmark::State& state, const char* ruleset,
             watchword::Backend backend) {
  auto engine = watchword::CompileFile(
      std::string(WATCHWORD_SOURCE_DIR) + "/" + ruleset, {.backend = backend});
  if (!engine.ok()) {
    state.SkipWithError(std::string(engine.status().message()).c_str());
    return;
  }
  const size_t bytes = static_cast<size_t>(state.range(0));
  std::vector<std::string> messages = BenignMessages(1024, bytes);
  watchword::Scanner scanner(*engine);
  watchword::v1::Verdict verdict;
  size_t i = 0;
  for (auto _ : state) {
    absl::Status status = scanner.Scan(messages[i++ & 1023], &verdict);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(verdict);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_Scan, starter/hyperscan,
                  "rulesets/examples/starter.textproto",
                  watchword::Backend::kHyperscan)
    ->Arg(32)->Arg(128)->Arg(1024)->Arg(16384);
BENCHMARK_CAPTURE(BM_Scan, starter/re2, "rulesets/examples/starter.textproto",
                  watchword::Backend::kRe2)
    ->Arg(32)->Arg(128)->Arg(1024)->Arg(16384);

}  // namespace

BENCHMARK_MAIN();
