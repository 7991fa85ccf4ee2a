// Recall on disguises generated independently of the folds
// (tests/evasion/disguise.cc), per disguise class and per pair of classes, on
// both backends and two rulesets:
//   - tests/evasion/terms.textproto: each rule's phrase, disguised, between
//     "hey" and "ok";
//   - rulesets/child_safety: each rule's should_match examples that the rule
//     matches as written, disguised whole.
// Also the share of tests/evasion/data/near_misses.txt that any rule matches
// (with RE2).
// Every figure has its floor (or ceiling) in tests/evasion/recall_floors.h.
//
// The test prints the tables. WATCHWORD_DISGUISE_PAIRS=1 prints every pair,
// not only the worst; WATCHWORD_DISGUISE_MISSES=N prints up to N missed texts
// per class, each after the rule that should have matched it, and the
// near-misses that matched.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/evasion/disguise.h"
#include "tests/evasion/recall_floors.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::watchword::testing::Disguise;
using ::watchword::testing::DisguiseClasses;
using ::watchword::testing::kRecallLimits;
using ::watchword::testing::SourcePath;

constexpr const char* kRulesets[] = {"tests/evasion/terms.textproto",
                                     "rulesets/child_safety"};
// Hyperscan where the build has it, and RE2.
constexpr Backend kBackends[] = {Backend::kDefault, Backend::kRe2};
// Variants per text and class; pairs take one variant per text, and on the
// child-safety examples a fixed sample of them, to keep the run short.
constexpr int kTermVariants = 4;
constexpr int kExampleVariants = 2;
constexpr size_t kExamplesPerPair = 12;

const testing::RecallLimit* Limit(const std::string& name) {
  for (const testing::RecallLimit& limit : kRecallLimits) {
    if (name == limit.name) return &limit;
  }
  return nullptr;
}

double LimitFor(const testing::RecallLimit& limit, int ruleset) {
  return ruleset == 0 ? limit.terms : limit.child_safety;
}

// A message some rule must match, as written.
struct Case {
  std::string rule_id;
  v1::ScanRequest request;
};

// One disguised case: which classes ("a" or "a+b"), and the request.
struct Trial {
  std::string classes;
  bool pair = false;
  size_t case_index = 0;
  v1::ScanRequest request;
};

struct Tally {
  int total = 0;
  int caught = 0;
  std::vector<std::string> misses;
  double Percent() const { return total == 0 ? 100.0 : 100.0 * caught / total; }
};

bool Matches(const v1::Verdict& verdict, const std::string& rule_id) {
  for (const v1::RuleMatch& m : verdict.rule_matches()) {
    if (m.rule_id() == rule_id) return true;
  }
  return false;
}

// Disguises the body and every field of `request`; false if the classes
// change none of them.
bool DisguiseRequest(const std::vector<std::string>& classes, int variant,
                     v1::ScanRequest* request) {
  bool changed = false;
  std::string text = Disguise(classes, request->text(), variant);
  if (!text.empty()) {
    request->set_text(text);
    changed = true;
  }
  for (v1::TextField& field : *request->mutable_fields()) {
    std::string disguised = Disguise(classes, field.text(), variant);
    if (!disguised.empty()) {
      field.set_text(disguised);
      changed = true;
    }
  }
  return changed;
}

uint32_t Hash(const std::string& s) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : s) hash = (hash ^ c) * 16777619u;
  return hash;
}

// Compiles each (ruleset, backend) once per process, on first use: the
// child-safety ruleset takes seconds on Hyperscan, more under sanitizers.
class DisguiseRecallTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    delete engines_;
    engines_ = nullptr;
  }

  // Returns nullptr, with a test failure, if the ruleset does not compile.
  static std::shared_ptr<const Engine> engine(int ruleset, Backend backend) {
    if (engines_ == nullptr) {
      engines_ =
          new std::map<std::pair<int, Backend>, std::shared_ptr<const Engine>>;
    }
    std::shared_ptr<const Engine>& slot = (*engines_)[{ruleset, backend}];
    if (slot == nullptr) {
      auto compiled =
          CompileFile(SourcePath(kRulesets[ruleset]), {.backend = backend});
      EXPECT_TRUE(compiled.ok()) << compiled.status();
      if (compiled.ok()) slot = *std::move(compiled);
    }
    return slot;
  }

  static std::map<std::pair<int, Backend>, std::shared_ptr<const Engine>>*
      engines_;
};

std::map<std::pair<int, Backend>, std::shared_ptr<const Engine>>*
    DisguiseRecallTest::engines_ = nullptr;

// The terms' phrases, between two ordinary words.
std::vector<Case> TermCases(const Engine& engine) {
  std::vector<Case> cases;
  for (const v1::Rule& rule : engine.ruleset().rules()) {
    Case c{rule.id(), {}};
    c.request.set_text(rule.match().term().phrase());
    cases.push_back(c);
  }
  return cases;
}

// The should_match examples that their rule matches as written.
std::vector<Case> ExampleCases(const std::shared_ptr<const Engine>& engine) {
  Scanner scanner(engine);
  v1::Verdict verdict;
  std::vector<Case> cases;
  for (const v1::Rule& rule : engine->ruleset().rules()) {
    for (const v1::Example& example : rule.should_match()) {
      Case c{rule.id(), {}};
      c.request.set_text(example.text());
      *c.request.mutable_fields() = example.fields();
      if (example.has_context()) {
        *c.request.mutable_context() = example.context();
      }
      if (scanner.Scan(c.request, &verdict).ok() &&
          Matches(verdict, rule.id())) {
        cases.push_back(std::move(c));
      }
    }
  }
  return cases;
}

std::vector<Trial> MakeTrials(const std::vector<Case>& cases, bool terms) {
  const auto& classes = DisguiseClasses();
  std::vector<Trial> trials;
  auto add = [&](const std::vector<std::string>& names, size_t i, int variant) {
    Trial t{names.size() == 1 ? names[0] : names[0] + "+" + names[1],
            names.size() == 2, i, cases[i].request};
    if (!DisguiseRequest(names, variant, &t.request)) return;
    if (terms) t.request.set_text("hey " + t.request.text() + " ok");
    trials.push_back(std::move(t));
  };
  const int variants = terms ? kTermVariants : kExampleVariants;
  for (const auto& c : classes) {
    for (size_t i = 0; i < cases.size(); ++i) {
      for (int v = 0; v < variants; ++v) add({c.name}, i, v);
    }
  }
  for (size_t a = 0; a < classes.size(); ++a) {
    for (size_t b = a + 1; b < classes.size(); ++b) {
      std::vector<std::string> names = {classes[a].name, classes[b].name};
      if (terms) {
        for (size_t i = 0; i < cases.size(); ++i) add(names, i, i % 3);
        continue;
      }
      // A fixed sample of examples: every one where the pair applies would
      // make this test minutes long.
      std::vector<size_t> order(cases.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      uint32_t seed = Hash(names[0] + "+" + names[1]);
      auto key = [&](size_t x) {
        return std::make_pair(
            Hash(std::to_string(seed) + ":" + std::to_string(x)), x);
      };
      std::sort(order.begin(), order.end(),
                [&](size_t x, size_t y) { return key(x) < key(y); });
      size_t taken = 0;
      for (size_t k = 0; k < order.size() && taken < kExamplesPerPair; ++k) {
        size_t before = trials.size();
        add(names, order[k], static_cast<int>(k % 3));
        taken += trials.size() - before;
      }
    }
  }
  return trials;
}

std::string Pct(double p) { return absl::StrFormat("%5.1f", p); }

TEST_F(DisguiseRecallTest, EveryClassAndPairMeetsItsFloorOnBothBackends) {
  const char* misses_env = std::getenv("WATCHWORD_DISGUISE_MISSES");
  const size_t max_misses =
      misses_env == nullptr ? 0 : std::strtoul(misses_env, nullptr, 10);
  const bool all_pairs = std::getenv("WATCHWORD_DISGUISE_PAIRS") != nullptr;
  // [ruleset][backend index][classes] -> tally.
  std::map<std::string, Tally> tallies[2][2];
  std::map<std::string, Tally> pair_totals[2][2];
  for (int r = 0; r < 2; ++r) {
    for (Backend backend : kBackends) ASSERT_NE(engine(r, backend), nullptr);
    std::vector<Case> cases = r == 0 ? TermCases(*engine(r, kBackends[0]))
                                     : ExampleCases(engine(r, kBackends[0]));
    ASSERT_GE(cases.size(), r == 0 ? 20u : 100u) << kRulesets[r];
    const std::vector<Trial> trials = MakeTrials(cases, r == 0);
    std::printf("%s: %zu texts, %zu disguised forms\n", kRulesets[r],
                cases.size(), trials.size());
    for (int b = 0; b < 2; ++b) {
      Scanner scanner(engine(r, kBackends[b]));
      v1::Verdict verdict;
      for (const Trial& t : trials) {
        ASSERT_TRUE(scanner.Scan(t.request, &verdict).ok());
        const bool caught = Matches(verdict, cases[t.case_index].rule_id);
        for (Tally* tally :
             {&tallies[r][b][t.classes],
              t.pair ? &pair_totals[r][b]["all_pairs"] : nullptr}) {
          if (tally == nullptr) continue;
          ++tally->total;
          tally->caught += caught;
          if (!caught && tally->misses.size() < max_misses) {
            // An example may be all fields ("bio"), its text empty.
            std::string shown = t.request.text();
            for (const v1::TextField& field : t.request.fields()) {
              absl::StrAppend(&shown, " [", field.name(), ": ", field.text(),
                              "]");
            }
            tally->misses.push_back(
                absl::StrCat(cases[t.case_index].rule_id, ": ", shown));
          }
        }
      }
    }
  }

  // The class table: one row per class, both rulesets and backends.
  std::string table = absl::StrCat(
      "\nrecall % by disguise class (floors in "
      "tests/evasion/recall_floors.h)\n",
      absl::StrFormat("%-22s %6s %9s %9s | %6s %9s %9s\n", "", "terms", "", "",
                      "child_safety", "", ""),
      absl::StrFormat("%-22s %6s %9s %9s | %6s %9s %9s\n", "class", "floor",
                      BackendName(kBackends[0]), "re2", "floor",
                      BackendName(kBackends[0]), "re2"));
  for (const auto& c : DisguiseClasses()) {
    const testing::RecallLimit* limit = Limit(c.name);
    ASSERT_NE(limit, nullptr) << c.name << " has no row in recall_floors.h";
    absl::StrAppendFormat(&table, "%-22s", c.name);
    for (int r = 0; r < 2; ++r) {
      absl::StrAppendFormat(&table, "%s %6.1f", r == 1 ? " |" : "",
                            LimitFor(*limit, r));
      for (int b = 0; b < 2; ++b) {
        const Tally& t = tallies[r][b][c.name];
        absl::StrAppendFormat(&table, " %9.1f", t.Percent());
        EXPECT_GT(t.total, 0) << c.name << " never applies to " << kRulesets[r];
        EXPECT_GE(t.Percent(), LimitFor(*limit, r))
            << c.name << " on " << kRulesets[r] << " with "
            << BackendName(kBackends[b]) << ": " << t.caught << "/" << t.total;
      }
    }
    absl::StrAppend(&table, "\n");
    for (int r = 0; r < 2; ++r) {
      for (const std::string& miss : tallies[r][0][c.name].misses) {
        absl::StrAppend(&table, "    missed: ", miss, "\n");
      }
    }
  }

  // Pairs: overall, the worst, and optionally all.
  for (int r = 0; r < 2; ++r) {
    for (int b = 0; b < 2; ++b) {
      const Tally& all = pair_totals[r][b]["all_pairs"];
      std::vector<std::pair<double, std::string>> pairs;
      for (const auto& [name, t] : tallies[r][b]) {
        if (name.find('+') != std::string::npos) {
          pairs.push_back({t.Percent(), name});
        }
      }
      std::sort(pairs.begin(), pairs.end());
      absl::StrAppendFormat(&table,
                            "\n%s, %s: pairs of classes %s%% (%d/%d, %zu "
                            "pairs); worst pairs:\n",
                            kRulesets[r], BackendName(kBackends[b]),
                            Pct(all.Percent()), all.caught, all.total,
                            pairs.size());
      for (size_t i = 0; i < pairs.size() && (all_pairs || i < 12); ++i) {
        const Tally& t = tallies[r][b][pairs[i].second];
        absl::StrAppendFormat(&table, "  %-45s %s (%d/%d)\n", pairs[i].second,
                              Pct(pairs[i].first), t.caught, t.total);
        for (const std::string& miss : t.misses) {
          absl::StrAppend(&table, "    missed: ", miss, "\n");
        }
      }
      EXPECT_GE(all.Percent(), LimitFor(*Limit("all_pairs"), r))
          << kRulesets[r] << " " << BackendName(kBackends[b]);
      ASSERT_FALSE(pairs.empty());
      EXPECT_GE(pairs[0].first, LimitFor(*Limit("worst_pair"), r))
          << kRulesets[r] << " " << BackendName(kBackends[b]) << ": "
          << pairs[0].second;
    }
  }
  std::printf("%s", table.c_str());
}

// tests/evasion/data/near_misses.txt: "category<TAB>sentence" lines.
TEST_F(DisguiseRecallTest, NearMissesStayUnderTheirCeiling) {
  std::ifstream in(SourcePath("tests/evasion/data/near_misses.txt"));
  ASSERT_TRUE(in.is_open());
  std::vector<std::pair<std::string, std::string>> sentences;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> parts =
        absl::StrSplit(line, absl::MaxSplits('\t', 1));
    ASSERT_EQ(parts.size(), 2u) << line;
    sentences.push_back({parts[0], parts[1]});
  }
  ASSERT_GE(sentences.size(), 1000u);
  const char* misses_env = std::getenv("WATCHWORD_DISGUISE_MISSES");
  std::string report = "\nnear-miss false positives (any rule matches)\n";
  // RE2 only: both backends give identical verdicts (backend_diff_test),
  // and compiling rulesets/child_safety for Hyperscan once more would double
  // this test's time under sanitizers.
  for (int r = 0; r < 2; ++r) {
    for (Backend backend : {Backend::kRe2}) {
      ASSERT_NE(engine(r, backend), nullptr);
      Scanner scanner(engine(r, backend));
      v1::Verdict verdict;
      std::map<std::string, Tally> by_category;
      Tally all;
      for (const auto& [category, text] : sentences) {
        ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
        bool matched = verdict.rule_matches_size() > 0;
        for (Tally* t : {&by_category[category], &all}) {
          ++t->total;
          t->caught += matched;
        }
        if (matched && misses_env != nullptr) {
          absl::StrAppend(&report, "    matched (",
                          verdict.rule_matches(0).rule_id(), "): ", text, "\n");
        }
      }
      absl::StrAppendFormat(&report, "%s, %s: %s%% (%d/%d)", kRulesets[r],
                            BackendName(backend), Pct(all.Percent()),
                            all.caught, all.total);
      for (const auto& [category, t] : by_category) {
        absl::StrAppendFormat(&report, "; %s %d/%d", category, t.caught,
                              t.total);
      }
      absl::StrAppend(&report, "\n");
      EXPECT_LE(all.Percent(), LimitFor(*Limit("near_miss_false_positives"), r))
          << kRulesets[r] << " " << BackendName(backend);
    }
  }
  std::printf("%s", report.c_str());
}

TEST(DisguiseTableTest, EveryLimitNamesAClassOrASummaryRow) {
  for (const testing::RecallLimit& limit : kRecallLimits) {
    const std::string name = limit.name;
    bool known = name == "all_pairs" || name == "worst_pair" ||
                 name == "near_miss_false_positives";
    for (const auto& c : DisguiseClasses()) known |= c.name == name;
    EXPECT_TRUE(known) << name;
  }
}

TEST(DisguiseGeneratorTest, IsDeterministicAndEveryClassApplies) {
  const std::vector<std::string> phrases = {"dont tell your parents",
                                            "send me a pic", "are you home"};
  for (const auto& c : DisguiseClasses()) {
    bool applies = false;
    for (const std::string& phrase : phrases) {
      for (int v = 0; v < 3; ++v) {
        std::string a = Disguise({c.name}, phrase, v);
        EXPECT_EQ(a, Disguise({c.name}, phrase, v)) << c.name;
        applies |= !a.empty();
      }
    }
    EXPECT_TRUE(applies) << c.name;
  }
  EXPECT_EQ(Disguise({"no_such_class"}, "send me a pic", 0), "");
}

TEST(DisguiseGeneratorTest, ApostropheAppliesOnlyToContractions) {
  EXPECT_EQ(Disguise({"apostrophe"}, "how old are you", 0), "");
  std::string dont = Disguise({"apostrophe"}, "dont tell", 0);
  EXPECT_TRUE(dont == "don't tell" || dont == "don\u2019t tell" ||
              dont == "don\u02BCt tell")
      << dont;
  std::string dropped;
  for (int v = 0; v < 20 && dropped != "dont tell"; ++v) {
    dropped = Disguise({"apostrophe"}, "don't tell", v);
  }
  EXPECT_EQ(dropped, "dont tell");
}

TEST(DisguiseGeneratorTest, LookalikesComeFromTheConfusablesData) {
  using testing::Lookalikes;
  // Letters issue #11 names, none of them in the older generator's lists.
  EXPECT_NE(Lookalikes('w', "Cyrillic", false).find(U'\u051D'),
            std::u32string::npos);  // ԝ
  EXPECT_NE(Lookalikes('d', "Cyrillic", false).find(U'\u0501'),
            std::u32string::npos);  // ԁ
  EXPECT_NE(Lookalikes('h', "Cyrillic", false).find(U'\u04BB'),
            std::u32string::npos);  // һ
  EXPECT_NE(Lookalikes('j', "Cyrillic", false).find(U'\u0458'),
            std::u32string::npos);  // ј
  EXPECT_NE(Lookalikes('y', "Greek", false).find(U'\u03B3'),
            std::u32string::npos);  // γ
  EXPECT_NE(Lookalikes('o', "Greek", false).find(U'\u03BF'),
            std::u32string::npos);  // ο
  EXPECT_EQ(Lookalikes('a', "Latin", false).find(U'a'), std::u32string::npos);
  size_t cyrillic = 0;
  for (char c = 'a'; c <= 'z'; ++c) {
    cyrillic += Lookalikes(c, "Cyrillic", false).size() +
                Lookalikes(c, "Cyrillic", true).size();
  }
  EXPECT_GT(cyrillic, 30u);
}

}  // namespace
}  // namespace watchword
