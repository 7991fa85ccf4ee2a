#include "src/engine/matcher_plan.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "re2/set.h"
#include "src/engine/engine_file.h"
#include "src/engine/re2_matcher.h"
#include "src/engine/regex_spans.h"
#ifdef WATCHWORD_HAVE_HYPERSCAN
#include "src/engine/hyperscan_matcher.h"
#endif

namespace watchword {
namespace {

// The most ASCII letters in a row in `text`, as HasLongWord() in
// view_sequence.cc counts them.
size_t LongestLetterRun(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char ch : text) {
    const bool letter = static_cast<uint8_t>((ch | 0x20) - 'a') < 26;
    run = letter ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// The spec of the matcher of `row`, a folded view's: each pattern's forms
// there (Pattern::forms; the folded form of a phrase is its text), reported
// under the pattern's index. A phrase's form compiles as a literal, or as a
// regex where the slot's phrase forms are regexes; a regex's form as a
// regex with its literal prefilter (regex_literals.h), as on the base view.
MatcherSpec FormSpec(const EngineRep& rep, const MatcherSlotSpec& row) {
  MatcherSpec spec{row.name, row.slot, {}, {}, row.required};
  const Pattern::Kind phrase_kind =
      row.phrase_regex ? Pattern::Kind::kRegex : Pattern::Kind::kLiteral;
  for (uint32_t i = 0; i < rep.patterns.size(); ++i) {
    const Pattern& pattern = rep.patterns[i];
    const bool regex = pattern.kind == Pattern::Kind::kRegex;
    auto add = [&](const std::string& form) {
      if (form.empty()) return;
      Pattern view_pattern;
      view_pattern.kind = regex ? Pattern::Kind::kRegex : phrase_kind;
      view_pattern.text = form;
      view_pattern.base_text = pattern.base_text;
      view_pattern.substring = pattern.substring || row.inside_words;
      view_pattern.literal_prefilter = regex;
      // Built from the folded phrase or regex, which is case folded.
      view_pattern.case_folded = true;
      spec.patterns.push_back(std::move(view_pattern));
      spec.ids.push_back(i);
    };
    if (row.slot == kFoldedSlot && !regex) {
      add(pattern.text);
      // The phrase without spaces, as a whole word, where it is too short
      // for a joined view to be made of it ("rualone": kRunTogetherLetters).
      for (const std::string& form : pattern.forms[kJoinedSlot]) {
        if (LongestLetterRun(form) < kRunTogetherLetters) add(form);
      }
      continue;
    }
    for (const std::string& form : pattern.forms[row.slot]) add(form);
    // Likewise stretched ("freeeeerobuxxx" squeezes to "frerobux").
    if (row.slot == kSqueezedSlot && !regex) {
      for (const std::string& form : pattern.forms[kSqueezedJoinedSlot]) {
        if (LongestLetterRun(form) < kRunTogetherLetters) add(form);
      }
    }
  }
  return spec;
}

// RE2::Set's DFA budget. The default (8 MiB) runs out on large rulesets;
// when it does, the scan fails loudly rather than missing matches.
constexpr int64_t kSetMaxMemory = 256 << 20;

}  // namespace

absl::StatusOr<std::vector<std::unique_ptr<RE2>>> CompileRegexes(
    const std::vector<Pattern>& patterns) {
  std::vector<std::unique_ptr<RE2>> regexes(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].kind != Pattern::Kind::kRegex) continue;
    auto re = CompileRegex(patterns[i].text);
    if (!re.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "regex \"", patterns[i].text, "\": ", re.status().message()));
    }
    regexes[i] = *std::move(re);
  }
  return regexes;
}

std::vector<std::string> RegexSources(const std::vector<Pattern>& patterns) {
  std::vector<std::string> sources(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].kind == Pattern::Kind::kRegex)
      sources[i] = patterns[i].text;
  }
  return sources;
}

absl::StatusOr<std::unique_ptr<const Matcher>> BuildRe2Matcher(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids) {
  if (ids.empty()) {
    for (uint32_t i = 0; i < patterns.size(); ++i) ids.push_back(i);
  }
  auto regexes = CompileRegexes(patterns);
  if (!regexes.ok()) return regexes.status();
  if (patterns.empty()) {
    return std::make_unique<Re2Matcher>(patterns, std::move(ids),
                                        *std::move(regexes), nullptr, 0);
  }
  RE2::Options options = RegexOptions();
  options.set_max_mem(kSetMaxMemory);
  auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  size_t bytes = 0;
  for (const Pattern& pattern : patterns) {
    std::string source = pattern.kind == Pattern::Kind::kLiteral
                             ? RE2::QuoteMeta(pattern.text)
                             : pattern.text;
    bytes += source.size();
    std::string error;
    if (set->Add(source, &error) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("pattern \"", pattern.text, "\": ", error));
    }
  }
  if (!set->Compile()) {
    return absl::ResourceExhaustedError("re2 backend: RE2::Set compile failed");
  }
  return std::make_unique<Re2Matcher>(
      patterns, std::move(ids), *std::move(regexes), std::move(set), bytes);
}

std::vector<MatcherSpec> PlanMatchers(const EngineRep& rep) {
  std::vector<MatcherSpec> specs;
  specs.reserve(kMatcherSlots);
  const MatcherSlotSpec& base_row = kMatcherSlotSpecs[kBaseSlot];
  MatcherSpec base{base_row.name, kBaseSlot, {}, {}, base_row.required};
  for (uint32_t i = 0; i < rep.patterns.size(); ++i) {
    if (rep.patterns[i].kind == Pattern::Kind::kRegex) {
      base.patterns.push_back(rep.patterns[i]);
      base.patterns.back().forms = {};
      base.ids.push_back(i);
    }
  }
  specs.push_back(std::move(base));
  // The folded slot holds phrases and regexes' folded forms in one
  // database: one pass over the folded view, not two.
  for (int slot = kFoldedSlot; slot < kMatcherSlots; ++slot) {
    specs.push_back(FormSpec(rep, kMatcherSlotSpecs[slot]));
  }
  // On Hyperscan the base view's regexes join them, ahead of them: every
  // message scans the base and the folded view, and one database read
  // twice stays in the L1d cache where two did not (a 128-byte benign
  // message on rulesets/child_safety: 199 L1d misses instead of 290), and
  // where the folded view is the base view, one scan serves both.
  if (rep.backend == Backend::kHyperscan) {
    MatcherSpec& base_spec = specs[kBaseSlot];
    MatcherSpec& folded = specs[kFoldedSlot];
    folded.base_patterns = static_cast<uint32_t>(base_spec.patterns.size());
    folded.patterns.insert(folded.patterns.begin(),
                           std::make_move_iterator(base_spec.patterns.begin()),
                           std::make_move_iterator(base_spec.patterns.end()));
    folded.ids.insert(folded.ids.begin(), base_spec.ids.begin(),
                      base_spec.ids.end());
    base_spec.patterns.clear();
    base_spec.ids.clear();
  }
  return specs;
}

#ifdef WATCHWORD_HAVE_HYPERSCAN
namespace {

uint64_t PlanFingerprint(const HyperscanPlan& plan, size_t pattern_count,
                         uint32_t base_patterns) {
  uint64_t hash = EngineFileHash(
      absl::StrCat("hyperscan block ", pattern_count, " ",
                   plan.expressions.size(), " base ", base_patterns));
  for (size_t i = 0; i < plan.expressions.size(); ++i) {
    hash = EngineFileHash(plan.expressions[i], hash);
    hash = EngineFileHash(
        absl::StrCat(plan.flags[i], " ", plan.pattern[i], " ", plan.kind[i]),
        hash);
  }
  for (const HyperscanPlan::Gated& g : plan.gated) {
    hash = EngineFileHash(
        absl::StrCat("gated ", g.pattern, " ", g.word, " ", g.text), hash);
  }
  return hash;
}

}  // namespace
#endif

uint64_t HyperscanPatternsFingerprint(const std::vector<Pattern>& patterns,
                                      uint32_t base_patterns) {
#ifdef WATCHWORD_HAVE_HYPERSCAN
  return PlanFingerprint(PlanHyperscanDatabase(patterns), patterns.size(),
                         base_patterns);
#else
  (void)patterns;
  (void)base_patterns;
  return 0;
#endif
}

absl::StatusOr<std::string> SerializeHyperscanDatabase(const Matcher& matcher) {
#ifdef WATCHWORD_HAVE_HYPERSCAN
  const auto* hyperscan = dynamic_cast<const HyperscanMatcher*>(&matcher);
  if (hyperscan == nullptr) {
    return absl::FailedPreconditionError("not a hyperscan matcher");
  }
  if (hyperscan->database() == nullptr) return std::string();
  char* bytes = nullptr;
  size_t size = 0;
  hs_error_t err = hs_serialize_database(hyperscan->database(), &bytes, &size);
  if (err != HS_SUCCESS) {
    return absl::InternalError(absl::StrCat(
        "hyperscan: hs_serialize_database failed with error ", err));
  }
  std::string out(bytes, size);
  std::free(bytes);  // Hyperscan's default allocator is malloc.
  return out;
#else
  (void)matcher;
  return absl::FailedPreconditionError("not a hyperscan matcher");
#endif
}

absl::StatusOr<std::unique_ptr<const Matcher>> LoadHyperscanMatcher(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids,
    absl::string_view database, std::vector<std::unique_ptr<RE2>> compiled,
    const uint64_t* fingerprint, bool* fingerprint_differs,
    uint32_t base_patterns) {
  if (fingerprint_differs != nullptr) *fingerprint_differs = false;
#ifdef WATCHWORD_HAVE_HYPERSCAN
  // Planned once: loading an engine file of child_safety spends more time
  // planning than deserializing.
  HyperscanPlan plan = PlanHyperscanDatabase(patterns);
  if (fingerprint != nullptr &&
      PlanFingerprint(plan, patterns.size(), base_patterns) != *fingerprint) {
    if (fingerprint_differs != nullptr) *fingerprint_differs = true;
    return absl::FailedPreconditionError(
        "hyperscan: the database was compiled for other patterns");
  }
  if (hs_valid_platform() != HS_SUCCESS) {
    return absl::FailedPreconditionError(
        "hyperscan: this CPU lacks the instructions Hyperscan needs (SSSE3); "
        "compile the ruleset for the re2 backend");
  }
  if (ids.empty()) {
    for (uint32_t i = 0; i < patterns.size(); ++i) ids.push_back(i);
  }
  if (database.empty() != plan.expressions.empty()) {
    return absl::DataLossError(absl::StrCat(
        "hyperscan: ", database.size(), "-byte database for ",
        plan.expressions.size(), " expressions"));
  }
  // Each regex compiles when a scan first needs it; most are never needed.
  auto regexes = std::make_unique<LazyRegexes>(RegexSources(patterns),
                                               std::move(compiled));
  hs_database_t* hs_database = nullptr;
  if (!database.empty()) {
    char* info = nullptr;
    if (hs_serialized_database_info(database.data(), database.size(), &info) !=
        HS_SUCCESS) {
      return absl::DataLossError("hyperscan: not a serialized database");
    }
    // Like "Version: 5.4.0 Features: AVX2 Mode: BLOCK".
    const std::string made_by = info;
    std::free(info);
    hs_error_t err =
        hs_deserialize_database(database.data(), database.size(), &hs_database);
    if (err == HS_SUCCESS) {
      // hs_alloc_scratch() validates the database for this CPU (and its
      // checksum) now rather than at the first scan.
      hs_scratch_t* scratch = nullptr;
      err = hs_alloc_scratch(hs_database, &scratch);
      hs_free_scratch(scratch);
      if (err != HS_SUCCESS) {
        hs_free_database(hs_database);
        hs_database = nullptr;
      }
    }
    if (err == HS_DB_VERSION_ERROR || err == HS_DB_PLATFORM_ERROR ||
        err == HS_DB_MODE_ERROR) {
      return absl::FailedPreconditionError(absl::StrCat(
          "hyperscan: the database (", made_by, ") does not fit this ",
          err == HS_DB_VERSION_ERROR ? "Hyperscan version " : "CPU or mode ",
          "(Version: ", hs_version(), ")"));
    }
    if (err != HS_SUCCESS) {
      return absl::DataLossError(absl::StrCat("hyperscan: the database (",
                                              made_by,
                                              ") does not load: error ", err));
    }
  }
  return std::make_unique<HyperscanMatcher>(std::move(plan), std::move(ids),
                                            std::move(regexes), hs_database,
                                            base_patterns);
#else
  (void)patterns;
  (void)base_patterns;
  (void)ids;
  (void)database;
  (void)compiled;
  if (fingerprint != nullptr && *fingerprint != 0) {
    if (fingerprint_differs != nullptr) *fingerprint_differs = true;
    return absl::FailedPreconditionError(
        "hyperscan: the database was compiled for other patterns");
  }
  return absl::FailedPreconditionError(
      "this build of watchword has no hyperscan backend");
#endif
}

}  // namespace watchword
