// Hostile messages from 1 KiB to 1 MiB: does scanning stay linear in the
// text whatever it holds? Each input repeats what made some stage
// quadratic or could: many occurrences for `near` and exceptions, a regex
// whose longest match stays undecided, and the disguises that make the
// scanner build extra views.
//
//   build/adversarial_bench [--benchmark_filter=re2/]
//
// BM_Adversarial/<input>/<backend>/<bytes> reports ns_per_byte. At the end
// it prints, per input and backend, ns/byte at 1 MiB against ns/byte at
// 10 KiB: linear scanning keeps the ratio near 1 (the goal is within 2).
//
// By default the Scanner has default ScanOptions, so after each message
// over 64 KiB it frees its buffers (scratch_high_water_bytes) and the next
// scan faults its memory in again. --keep_scratch raises the mark above
// 1 MiB, to see the cost of scanning alone.
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/bench_inputs.h"
#include "benchmark/benchmark.h"
#include "watchword/watchword.h"

namespace watchword::bench {
namespace {

bool keep_scratch = false;  // --keep_scratch.

// `unit` repeated to exactly `bytes` bytes, cut on a code point boundary
// (and padded with spaces to the size).
std::string Fill(const std::string& unit, size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out += unit;
  size_t cut = bytes;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  out.resize(bytes, ' ');
  return out;
}

// Words of several scripts, picked at random: every word is a candidate
// mixed-script word and most fold to something.
std::string MixedScript(size_t bytes) {
  const char* pieces[] = {"s", "е", "n", "d", "р", "і", "с", "α", "ο", "x",
                          "м", "e", "ѕ", "1", "3", "@", "ı", "ß", "ü", "ф"};
  std::mt19937 rng(12);
  std::string unit;
  while (unit.size() < 64 * 1024) {
    const int letters = 2 + rng() % 7;
    for (int i = 0; i < letters; ++i) unit += pieces[rng() % std::size(pieces)];
    unit += ' ';
  }
  return Fill(unit, bytes);
}

struct Input {
  const char* name;
  const char* ruleset;  // For CachedEngine, or "span" (SpanEngine()).
  std::string (*make)(size_t bytes);
};

std::string Half(const std::string& a, const std::string& b, size_t bytes) {
  return Fill(a, bytes / 2) + Fill(b, bytes - bytes / 2);
}

const Input kInputs[] = {
    // `near`: offers in the first half, currencies in the second.
    {"near", "child_safety",
     [](size_t n) { return Half("free ", "robux ", n); }},
    // Exceptions: offers, then the ordinary word that vetoes them nearby.
    {"exception", "child_safety",
     [](size_t n) { return Half("i can buy you robux ", "rent ", n); }},
    // A regex whose longest match is undecided until the text ends.
    {"span", "span", [](size_t n) { return Fill("x", n); }},
    {"spaced", "child_safety",
     [](size_t n) { return Fill("s e n d m e a p i c ", n); }},
    {"masks", "child_safety",
     [](size_t n) { return Fill("s*nd m* a p*c ur n*des ", n); }},
    {"leet", "child_safety",
     [](size_t n) { return Fill("s3nd m3 p1cs 4 u 0nly ", n); }},
    {"homoglyph", "child_safety",
     [](size_t n) { return Fill("ѕеnd mе а рiс оf уоu ", n); }},
    {"combining", "child_safety",
     [](size_t n) {
       return Fill("s\u0301e\u0301n\u0301d\u0301 p\u0308i\u0308c\u0308 ", n);
     }},
    {"mixed_script", "child_safety", MixedScript},
    // Regex matches the base view finds and every folded view finds again
    // (the digits make the folded views): each copy is checked against the
    // base view's matches.
    {"regex_folds", "child_safety",
     [](size_t n) { return Fill("ur phone the snap your dms 4 u 2 ", n); }},
};

const std::shared_ptr<const Engine>& SpanEngine(Backend backend) {
  static std::map<Backend, std::shared_ptr<const Engine>>* engines =
      new std::map<Backend, std::shared_ptr<const Engine>>();
  auto& engine = (*engines)[backend];
  if (engine == nullptr) {
    v1::Ruleset ruleset;
    ruleset.set_name("span");
    ruleset.set_version("1");
    v1::Rule* rule = ruleset.add_rules();
    rule->set_id("span.x");
    rule->set_category("bench.span");
    rule->set_action(v1::ACTION_LOG);
    rule->set_severity(v1::SEVERITY_LOW);
    rule->mutable_match()->mutable_term()->set_regex("x[^y]*y|x");
    rule->mutable_match()->mutable_term()->set_substring(true);
    auto compiled = Compile(ruleset, {.backend = backend});
    if (!compiled.ok()) {
      std::fprintf(stderr, "span ruleset: %s\n",
                   std::string(compiled.status().message()).c_str());
      std::abort();
    }
    engine = *compiled;
  }
  return engine;
}

void BM_Adversarial(benchmark::State& state, const Input& input,
                    Backend backend, size_t bytes) {
  const std::shared_ptr<const Engine>& engine =
      std::string(input.ruleset) == "span"
          ? SpanEngine(backend)
          : CachedEngine(input.ruleset, backend);
  const std::string text = input.make(bytes);
  // The default cap on places per term applies, as in production.
  ScanOptions options;
  if (keep_scratch) options.scratch_high_water_bytes = 2 << 20;
  Scanner scanner(engine, options);
  v1::Verdict verdict;
  for (auto _ : state) {
    absl::Status status = scanner.Scan(text, &verdict);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(verdict);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["ns_per_byte"] = benchmark::Counter(
      static_cast<double>(bytes) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate |
          benchmark::Counter::kInvert);
  state.counters["term_hits"] = verdict.stats().term_hits();
  state.counters["dropped"] = verdict.stats().term_hits_dropped();
}

const size_t kSizes[] = {1 << 10, 10 << 10, 100 << 10, 1 << 20};

void RegisterAll() {
  for (const Input& input : kInputs) {
    for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
      if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
      for (size_t bytes : kSizes) {
        benchmark::RegisterBenchmark(
            absl::StrCat("BM_Adversarial/", input.name, "/",
                         BackendName(backend), "/", bytes)
                .c_str(),
            BM_Adversarial, input, backend, bytes)
            ->Unit(benchmark::kMicrosecond);
      }
    }
  }
}

// Keeps ns_per_byte by name, to print the 1 MiB / 10 KiB table at the end.
class Reporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      auto it = run.counters.find("ns_per_byte");
      if (it != run.counters.end() && !run.error_occurred) {
        ns_per_byte_[run.benchmark_name()] = it->second.value;
      }
    }
  }

  void PrintTable() const {
    std::printf("\n%-14s %-10s %12s %12s %8s\n", "input", "backend",
                "ns/B 10KiB", "ns/B 1MiB", "ratio");
    for (const Input& input : kInputs) {
      for (const char* backend : {"hyperscan", "re2"}) {
        const std::string prefix =
            absl::StrCat("BM_Adversarial/", input.name, "/", backend, "/");
        auto small = ns_per_byte_.find(prefix + std::to_string(10 << 10));
        auto large = ns_per_byte_.find(prefix + std::to_string(1 << 20));
        if (small == ns_per_byte_.end() || large == ns_per_byte_.end()) {
          continue;
        }
        std::printf("%-14s %-10s %12.1f %12.1f %8.2f\n", input.name, backend,
                    small->second, large->second,
                    large->second / small->second);
      }
    }
  }

 private:
  std::map<std::string, double> ns_per_byte_;
};

}  // namespace
}  // namespace watchword::bench

int main(int argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--keep_scratch") {
      watchword::bench::keep_scratch = true;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  watchword::bench::RegisterAll();
  watchword::bench::Reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintTable();
  benchmark::Shutdown();
  return 0;
}
