// Baselines for BM_Scan, in the same binary and on the same messages, so the
// report can give ratios. Each baseline gets the text already normalized
// (watchword::Normalize, done once before timing) and the Engine's own
// patterns, so it does strictly less work than the pipeline, which also
// normalizes, folds disguises, checks word boundaries, evaluates rules and
// fills a Verdict.
//
// - BM_BareHyperscan: hs_scan of the Engine's own Hyperscan databases
//   with a no-op callback, once each over the normalized text. Since
//   engine-file format 6 that is one database, holding the phrases (the
//   folded view's) and the regexes (the base view's); the pipeline scans
//   it on the base view and, where folding changed the text, on the folded
//   view too. The floor under the Hyperscan pipeline.
// - BM_Re2Set: one RE2::Set of every term (literals escaped, regexes as
//   is, case-insensitive), Match() collecting which terms occur.
// - BM_Re2PerRule: what a hand-written filter does: one RE2 per rule, the
//   alternation of its terms with word boundaries, PartialMatch() each in
//   turn.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench_inputs.h"
#include "benchmark/benchmark.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "src/engine/engine_rep.h"
#include "watchword/normalizer.h"
#include "watchword/watchword.h"
#ifdef WATCHWORD_HAVE_HYPERSCAN
#include <hs/hs.h>

#include "src/engine/hyperscan_matcher.h"
#endif

namespace watchword::bench {
namespace {

// Returns the object `make()` returns, made once per `key` and kept for the
// process: benchmarks run their setup once per repetition, and compiling a
// database of 10,000 terms takes seconds.
// Null if `make()` returned null.
template <typename T, typename Make>
const T* Cached(const std::string& key, Make make) {
  static std::mutex mu;
  static auto* cache = new std::map<std::string, std::unique_ptr<T>>;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<T>& slot = (*cache)[key];
  if (slot == nullptr) slot = make();
  return slot.get();
}

// The messages BM_Scan scans for (ruleset, kind, bytes), normalized.
struct NormalizedSet {
  std::vector<std::string> texts;
  size_t original_bytes = 0;  // For bytes/s in the same units as BM_Scan.
};

NormalizedSet Normalized(const std::shared_ptr<const Engine>& engine,
                         TextKind kind, size_t bytes) {
  const MessageSet& set =
      CachedMessages(engine, kind, bytes, MessageCount(bytes));
  NormalizedSet out;
  NormalizedText normalized;
  for (const std::string& message : set.messages) {
    Normalize(message, &normalized);
    out.texts.push_back(normalized.text);
  }
  out.original_bytes = set.total_bytes;
  return out;
}

void SetCounters(benchmark::State& state, const NormalizedSet& set) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * set.original_bytes /
                          set.texts.size());
}

#ifdef WATCHWORD_HAVE_HYPERSCAN
int NoOp(unsigned int, unsigned long long, unsigned long long, unsigned int,
         void*) {
  return 0;
}

int Count(unsigned int, unsigned long long, unsigned long long, unsigned int,
          void* count) {
  ++*static_cast<size_t*>(count);
  return 0;
}

void BM_BareHyperscan(benchmark::State& state, const std::string& ruleset,
                      TextKind kind, size_t bytes) {
  const auto& engine = CachedEngine(ruleset, Backend::kHyperscan);
  const NormalizedSet set = Normalized(engine, kind, bytes);
  // The Engine's own databases, whichever slots hold one: phrases (run on
  // the folded view) and regexes (run on the base view, as themselves or as
  // the literal strings they must contain).
  const hs_database_t* databases[2] = {nullptr, nullptr};
  const EngineRep& rep = EngineAccess::Rep(*engine);
  const Matcher* matchers[2] = {rep.matchers[kFoldedSlot].get(),
                                rep.matchers[kBaseSlot].get()};
  for (int d = 0; d < 2; ++d) {
    const auto* matcher = dynamic_cast<const HyperscanMatcher*>(matchers[d]);
    if (matcher != nullptr) databases[d] = matcher->database();
  }
  hs_scratch_t* scratch = nullptr;
  for (const hs_database_t* database : databases) {
    if (database != nullptr) hs_alloc_scratch(database, &scratch);
  }
  // Occurrences per message, counted before timing: a phrase, or a regex
  // (or a string it must contain) that the Engine then checks with RE2.
  size_t matches = 0;
  for (const std::string& text : set.texts) {
    for (const hs_database_t* database : databases) {
      if (database == nullptr) continue;
      hs_scan(database, text.data(), static_cast<unsigned int>(text.size()),
              0, scratch, Count, &matches);
    }
  }
  const size_t n = set.texts.size();
  size_t i = 0;
  for (auto _ : state) {
    const std::string& text = set.texts[i];
    for (const hs_database_t* database : databases) {
      if (database == nullptr) continue;
      hs_error_t err =
          hs_scan(database, text.data(), static_cast<unsigned int>(text.size()),
                  0, scratch, NoOp, nullptr);
      benchmark::DoNotOptimize(err);
    }
    if (++i == n) i = 0;
  }
  SetCounters(state, set);
  state.counters["hits_per_msg"] = static_cast<double>(matches) / n;
  hs_free_scratch(scratch);
}
#endif  // WATCHWORD_HAVE_HYPERSCAN

RE2::Options BaselineOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  options.set_max_mem(256 << 20);  // As the RE2 backend: large sets need it.
  return options;
}

// A term as a regex: a literal escaped, a regex as is.
std::string TermRegex(const Pattern& pattern) {
  return pattern.kind == Pattern::Kind::kLiteral ? RE2::QuoteMeta(pattern.text)
                                                 : pattern.text;
}

void BM_Re2Set(benchmark::State& state, const std::string& ruleset,
               TextKind kind, size_t bytes) {
  const auto& engine = CachedEngine(ruleset, Backend::kHyperscan);
  const NormalizedSet set = Normalized(engine, kind, bytes);
  const RE2::Set* re2_set = Cached<RE2::Set>(ruleset, [&] {
    auto made = std::make_unique<RE2::Set>(BaselineOptions(), RE2::UNANCHORED);
    for (const Pattern& pattern : EngineAccess::Rep(*engine).patterns) {
      if (pattern.kind == Pattern::Kind::kSignal) continue;
      if (made->Add(TermRegex(pattern), nullptr) < 0) return decltype(made)();
    }
    if (!made->Compile()) return decltype(made)();
    return made;
  });
  if (re2_set == nullptr) {
    state.SkipWithError("RE2::Set did not compile");
    return;
  }
  std::vector<int> matched;
  const size_t n = set.texts.size();
  size_t i = 0;
  for (auto _ : state) {
    bool any = re2_set->Match(set.texts[i], &matched);
    benchmark::DoNotOptimize(any);
    if (++i == n) i = 0;
  }
  SetCounters(state, set);
}

void BM_Re2PerRule(benchmark::State& state, const std::string& ruleset,
                   TextKind kind, size_t bytes) {
  const auto& engine = CachedEngine(ruleset, Backend::kHyperscan);
  const EngineRep& rep = EngineAccess::Rep(*engine);
  const NormalizedSet set = Normalized(engine, kind, bytes);
  struct Rules {
    std::vector<std::unique_ptr<RE2>> regexes;
    std::string error;
  };
  const Rules& rules = *Cached<Rules>(ruleset, [&] {
    auto made = std::make_unique<Rules>();
    for (const CompiledRule& rule : rep.rules) {
      std::string alternation;
      for (uint32_t t : rule.positive_terms) {
        const Pattern& pattern = rep.patterns[rep.term_refs[t].pattern];
        if (pattern.kind == Pattern::Kind::kSignal) continue;
        if (!alternation.empty()) alternation += '|';
        absl::StrAppend(&alternation, "\\b(?:", TermRegex(pattern), ")\\b");
      }
      if (alternation.empty()) continue;
      auto re = std::make_unique<RE2>(alternation, BaselineOptions());
      if (!re->ok()) made->error = re->error();
      made->regexes.push_back(std::move(re));
    }
    return made;
  });
  if (!rules.error.empty()) {
    state.SkipWithError(("RE2: " + rules.error).c_str());
    return;
  }
  const size_t n = set.texts.size();
  size_t i = 0;
  for (auto _ : state) {
    int matched = 0;
    for (const auto& re : rules.regexes) matched += RE2::PartialMatch(set.texts[i], *re);
    benchmark::DoNotOptimize(matched);
    if (++i == n) i = 0;
  }
  SetCounters(state, set);
  state.counters["regexes"] = static_cast<double>(rules.regexes.size());
}

int Register() {
  using Fn = void (*)(benchmark::State&, const std::string&, TextKind, size_t);
  std::vector<std::pair<const char*, Fn>> baselines = {
      {"BM_Re2Set", BM_Re2Set}, {"BM_Re2PerRule", BM_Re2PerRule}};
#ifdef WATCHWORD_HAVE_HYPERSCAN
  if (HasHyperscan()) baselines.insert(baselines.begin(),
                                       {"BM_BareHyperscan", BM_BareHyperscan});
#endif
  const TextKind kinds[] = {TextKind::kAscii, TextKind::kCyrillic,
                            TextKind::kEmoji};
  for (const auto& [name, fn] : baselines) {
    for (const char* ruleset : {"child_safety", "starter"}) {
      for (TextKind kind : kinds) {
        for (size_t bytes : {32, 128, 1024, 16384}) {
          // Other scripts and the starter ruleset at 128 bytes only: enough
          // for their ratios, without making the suite slow.
          if ((kind != TextKind::kAscii || ruleset[0] == 's') && bytes != 128) {
            continue;
          }
          benchmark::RegisterBenchmark(
              absl::StrCat(name, "/", ruleset, "/", TextKindName(kind), "/",
                           bytes)
                  .c_str(),
              fn, ruleset, kind, bytes);
        }
      }
    }
    // The scaling rulesets, for the bare matcher's share at each size.
    for (int terms : {10, 100, 1000, 10000}) {
      if (fn == BM_Re2PerRule && terms == 10000) continue;  // 1000 regexes.
      benchmark::RegisterBenchmark(
          absl::StrCat(name, "/terms:", terms, "/ascii/128").c_str(), fn,
          absl::StrCat("terms:", terms), TextKind::kAscii, 128);
    }
  }
  return 0;
}

[[maybe_unused]] const int registered = Register();

}  // namespace
}  // namespace watchword::bench
