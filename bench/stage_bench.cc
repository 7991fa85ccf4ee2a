// The stages of a scan one at a time, so the profile of BM_Scan is visible:
//
// - BM_Normalize: watchword::Normalize alone (NFKC_Casefold with the byte
//   map), on the messages BM_Scan scans. The folded views the scanner also
//   builds are in normalize_bench.
// - BM_RuleEval: rule logic alone (RuleEvaluator, src/scan/rule_eval.h) on
//   the pattern hits of messages that match: SetField, CandidateRules, and
//   Evaluate for each candidate, as the scanner runs them (without
//   conditions: these messages have no context). Hits come from the
//   Engine's base and folded matchers run once before timing, so messages
//   whose hit needs a disguise fold are left out. A benign message never
//   gets here: the scanner skips rule logic when there is no hit.
// - BM_VerdictBuild: filling a reused Verdict with the rule matches of a
//   flagged message, the calls the scanner makes.
// - BM_VerdictSerialize / BM_VerdictJson: the Verdict to bytes
//   (SerializeToString) and to a JSON line as the CLI prints it.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/bench_inputs.h"
#include "benchmark/benchmark.h"
#include "google/protobuf/util/json_util.h"
#include "src/engine/engine_rep.h"
#include "src/normalize/word.h"
#include "src/scan/rule_eval.h"
#include "watchword/normalizer.h"
#include "watchword/watchword.h"

namespace watchword::bench {
namespace {

void BM_Normalize(benchmark::State& state, TextKind kind, size_t bytes) {
  const auto& engine = CachedEngine("child_safety", Backend::kDefault);
  const MessageSet& set =
      CachedMessages(engine, kind, bytes, MessageCount(bytes));
  NormalizedText out;
  const size_t n = set.messages.size();
  size_t i = 0;
  for (auto _ : state) {
    Normalize(set.messages[i], &out);
    benchmark::DoNotOptimize(out.text.data());
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * set.total_bytes / n);
}

// The should_match examples of `engine`'s ruleset, flagged on their own
// (no context, body only).
std::vector<std::string> FlaggedExamples(
    const std::shared_ptr<const Engine>& engine,
    std::vector<v1::Verdict>* verdicts) {
  Scanner scanner(engine);
  std::vector<std::string> examples;
  for (const v1::Rule& rule : engine->ruleset().rules()) {
    for (const v1::Example& example : rule.should_match()) {
      if (example.text().empty() || example.has_context()) continue;
      v1::Verdict verdict;
      if (!scanner.Scan(example.text(), &verdict).ok()) continue;
      if (verdict.rule_matches_size() == 0) continue;
      examples.push_back(example.text());
      if (verdicts != nullptr) verdicts->push_back(verdict);
    }
  }
  return examples;
}

struct FieldHits {
  std::string text;  // Normalized.
  std::vector<PatternHit> hits;
};

void BM_RuleEval(benchmark::State& state, const std::string& ruleset) {
  const auto& engine = CachedEngine(ruleset, Backend::kDefault);
  const EngineRep& rep = EngineAccess::Rep(*engine);
  std::vector<FieldHits> fields;
  NormalizedText normalized;
  for (const std::string& example : FlaggedExamples(engine, nullptr)) {
    Normalize(example, &normalized);
    FieldHits field{normalized.text, {}};
    for (const Matcher* matcher :
         {rep.matchers[kBaseSlot].get(), rep.matchers[kFoldedSlot].get()}) {
      if (matcher == nullptr) continue;
      auto scratch = matcher->NewScratch();
      std::vector<PatternHit> hits;
      if (!scratch.ok() || !matcher->Match(field.text, scratch->get(), &hits).ok()) {
        state.SkipWithError("matcher failed");
        return;
      }
      for (const PatternHit& hit : hits) {
        if (rep.patterns[hit.pattern].substring ||
            (IsWordStart(field.text, hit.begin) &&
             IsWordEnd(field.text, hit.end))) {
          field.hits.push_back(hit);
        }
      }
    }
    if (!field.hits.empty()) fields.push_back(std::move(field));
  }
  if (fields.empty()) {
    state.SkipWithError("no example has hits");
    return;
  }
  RuleEvaluator evaluator;
  evaluator.Reset(&rep);
  std::vector<PatternHit> hits;
  std::vector<uint32_t> candidates;
  std::vector<Evidence> evidence;
  size_t i = 0, matched = 0, evaluated = 0, hit_count = 0;
  for (auto _ : state) {
    const FieldHits& field = fields[i];
    hits.assign(field.hits.begin(), field.hits.end());
    evaluator.SetField(field.text, &hits);
    candidates.clear();
    evaluator.CandidateRules(&candidates);
    for (uint32_t r : candidates) {
      evidence.clear();
      matched += evaluator.Evaluate(rep.rules[r], &evidence);
    }
    evaluated += candidates.size();
    hit_count += field.hits.size();
    evaluator.ClearField();
    if (++i == fields.size()) i = 0;
  }
  benchmark::DoNotOptimize(matched);
  state.SetItemsProcessed(state.iterations());
  const double iterations = static_cast<double>(state.iterations());
  state.counters["hits_per_msg"] = hit_count / iterations;
  state.counters["rules_per_msg"] = evaluated / iterations;
  state.counters["messages"] = static_cast<double>(fields.size());
}

// Flagged verdicts of `ruleset`'s examples, and one benign verdict.
std::vector<v1::Verdict> Verdicts(const std::string& ruleset, bool flagged) {
  const auto& engine = CachedEngine(ruleset, Backend::kDefault);
  std::vector<v1::Verdict> verdicts;
  if (flagged) {
    FlaggedExamples(engine, &verdicts);
  } else {
    const MessageSet& set =
        CachedMessages(engine, TextKind::kAscii, 128, MessageCount(128), 0);
    Scanner scanner(engine);
    verdicts.emplace_back();
    if (!scanner.Scan(set.messages[0], &verdicts.back()).ok()) verdicts.clear();
  }
  return verdicts;
}

void BM_VerdictBuild(benchmark::State& state, const std::string& ruleset) {
  const std::vector<v1::Verdict> templates = Verdicts(ruleset, true);
  if (templates.empty()) {
    state.SkipWithError("no flagged verdicts");
    return;
  }
  v1::Verdict verdict;
  size_t i = 0, matches = 0;
  for (auto _ : state) {
    const v1::Verdict& from = templates[i];
    // As ResetVerdict() and ScanField() in src/scan/scanner.cc.
    verdict.clear_request_id();
    verdict.mutable_rule_matches()->Clear();
    verdict.mutable_stats()->Clear();
    for (const v1::RuleMatch& rm : from.rule_matches()) {
      v1::RuleMatch* m = verdict.add_rule_matches();
      m->set_rule_id(rm.rule_id());
      m->set_category(rm.category());
      m->set_severity(rm.severity());
      m->set_action(rm.action());
      m->set_shadow(rm.shadow());
      for (const v1::Match& match : rm.matches()) {
        v1::Match* out = m->add_matches();
        out->set_field(match.field());
        out->set_term_id(match.term_id());
        out->set_term_list(match.term_list());
        out->set_begin(match.begin());
        out->set_end(match.end());
        ++matches;
      }
    }
    verdict.set_action(from.action());
    verdict.set_severity(from.severity());
    verdict.mutable_stats()->set_term_hits(from.stats().term_hits());
    benchmark::ClobberMemory();
    if (++i == templates.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["matches_per_verdict"] =
      static_cast<double>(matches) / state.iterations();
}

void BM_VerdictSerialize(benchmark::State& state, const std::string& ruleset,
                         bool flagged) {
  const std::vector<v1::Verdict> verdicts = Verdicts(ruleset, flagged);
  if (verdicts.empty()) {
    state.SkipWithError("no verdicts");
    return;
  }
  std::string bytes;
  size_t i = 0, total = 0;
  for (auto _ : state) {
    verdicts[i].SerializeToString(&bytes);
    total += bytes.size();
    if (++i == verdicts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(total);
}

void BM_VerdictJson(benchmark::State& state, const std::string& ruleset,
                    bool flagged) {
  const std::vector<v1::Verdict> verdicts = Verdicts(ruleset, flagged);
  if (verdicts.empty()) {
    state.SkipWithError("no verdicts");
    return;
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;  // As the CLI prints.
  std::string json;
  size_t i = 0, total = 0;
  for (auto _ : state) {
    json.clear();
    auto status =
        google::protobuf::util::MessageToJsonString(verdicts[i], &json, options);
    benchmark::DoNotOptimize(status);
    total += json.size();
    if (++i == verdicts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(total);
}

int Register() {
  for (TextKind kind :
       {TextKind::kAscii, TextKind::kCyrillic, TextKind::kEmoji}) {
    for (size_t bytes : {128, 1024}) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_Normalize/", TextKindName(kind), "/", bytes).c_str(),
          BM_Normalize, kind, bytes);
    }
  }
  for (const char* ruleset : {"child_safety", "starter"}) {
    benchmark::RegisterBenchmark(absl::StrCat("BM_RuleEval/", ruleset).c_str(),
                                 BM_RuleEval, ruleset);
    benchmark::RegisterBenchmark(
        absl::StrCat("BM_VerdictBuild/", ruleset).c_str(), BM_VerdictBuild,
        ruleset);
    for (bool flagged : {false, true}) {
      const char* what = flagged ? "flagged" : "benign";
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_VerdictSerialize/", ruleset, "/", what).c_str(),
          BM_VerdictSerialize, ruleset, flagged);
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_VerdictJson/", ruleset, "/", what).c_str(),
          BM_VerdictJson, ruleset, flagged);
    }
  }
  return 0;
}

[[maybe_unused]] const int registered = Register();

}  // namespace
}  // namespace watchword::bench
