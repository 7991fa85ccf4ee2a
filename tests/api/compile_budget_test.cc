// The compile budget (CompileOptions.max_patterns, max_pattern_bytes,
// max_regex_cost): a ruleset over it fails at once with ResourceExhausted
// and a WW214 diagnostic naming the rule and the term that cross it, before
// any validation or Hyperscan work.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::watchword::testing::SourcePath;

// `rules` rules, each with its own list of `terms` distinct phrases.
watchword::v1::Ruleset Generated(int rules, int terms) {
  watchword::v1::Ruleset ruleset;
  for (int r = 0; r < rules; ++r) {
    watchword::v1::TermList* list = ruleset.add_term_lists();
    list->set_id(absl::StrCat("list-", r));
    for (int t = 0; t < terms; ++t) {
      list->add_terms()->set_phrase(absl::StrCat("phrase ", r, " ", t));
    }
    watchword::v1::Rule* rule = ruleset.add_rules();
    rule->set_id(absl::StrCat("rule-", r));
    rule->set_action(watchword::v1::ACTION_LOG);
    rule->mutable_match()->set_term_list(list->id());
  }
  return ruleset;
}

TEST(CompileBudgetTest, NamesTheRuleThatCrossesThePatternLimit) {
  const watchword::v1::Ruleset ruleset = Generated(4, 5);
  watchword::CompileOptions options;
  options.max_patterns = 12;  // Rules 0 and 1 fit; rule 2's third term
                              // is the 13th.
  EXPECT_TRUE(watchword::Compile(Generated(2, 5), options).ok());
  std::vector<watchword::v1::Diagnostic> diagnostics;
  auto engine = watchword::Compile(ruleset, options, &diagnostics);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(engine.status().message(),
            "term_lists[2].terms[2].phrase: error WW214: rule \"rule-2\": "
            "the ruleset needs 13 patterns up to here; limit is 12 "
            "(CompileOptions.max_patterns)");
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].code(), "WW214");
  EXPECT_EQ(diagnostics[0].rule_id(), "rule-2");
  EXPECT_EQ(diagnostics[0].severity(),
            watchword::v1::Diagnostic::SEVERITY_ERROR);
}

TEST(CompileBudgetTest, CountsATermListOnceAndRepeatedPhrasesOnce) {
  watchword::v1::Ruleset ruleset = Generated(1, 5);
  for (int r = 0; r < 3; ++r) {
    watchword::v1::Rule* rule = ruleset.add_rules();
    *rule = ruleset.rules(0);
    rule->set_id(absl::StrCat("again-", r));
    rule->mutable_match()->mutable_any()->add_exprs()->set_term_list("list-0");
    rule->mutable_match()->mutable_any()->add_exprs()->mutable_term()
        ->set_phrase("phrase 0 1");
  }
  watchword::CompileOptions options;
  options.max_patterns = 5;
  EXPECT_TRUE(watchword::Compile(ruleset, options).ok());
}

TEST(CompileBudgetTest, LimitsTheBytesOfPatterns) {
  watchword::v1::Ruleset ruleset = Generated(3, 1);
  ruleset.mutable_term_lists(1)->mutable_terms(0)->set_phrase(
      std::string(3 << 20, 'a'));
  auto engine = watchword::Compile(ruleset);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(engine.status().message(),
              AllOf(HasSubstr("rule \"rule-1\""), HasSubstr("max_pattern_bytes")));
}

TEST(CompileBudgetTest, HundredThousandPhrasesFailAtOnceByDefault) {
  // Compiling these took 767 s and 6.5 GB on Hyperscan before the budget.
  auto engine = watchword::Compile(Generated(1000, 100));
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(engine.status().message(),
              HasSubstr("rule \"rule-500\": the ruleset needs "
                        "50001 patterns up to here; limit is 50000"));
}

TEST(CompileBudgetTest, ErrorOfAFileHasTheTermsPlace) {
  const std::string path =
      ::testing::TempDir() + "/compile_budget_test.textproto";
  std::ofstream(path) << "rules { id: \"a\" action: ACTION_LOG\n"
                         "  match { term { phrase: \"one\" } } }\n"
                         "\n"
                         "  rules { id: \"b\" action: ACTION_LOG\n"
                         "  match { term { phrase: \"two\" } } }\n";
  watchword::CompileOptions options;
  options.max_patterns = 1;
  auto engine = watchword::CompileFile(path, options);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(engine.status().message(),
              HasSubstr(absl::StrCat(path,
                                     ":5:18: error WW214: rule \"b\": "
                                     "the ruleset needs 2 patterns")));
  std::remove(path.c_str());
}

// A rule per regex: `prefix`N followed by `repeat` digits, each a few more
// than `repeat` RE2 instructions.
watchword::v1::Ruleset Regexes(int rules, int repeat) {
  watchword::v1::Ruleset ruleset;
  for (int r = 0; r < rules; ++r) {
    watchword::v1::Rule* rule = ruleset.add_rules();
    rule->set_id(absl::StrCat("rule-", r));
    rule->set_action(watchword::v1::ACTION_LOG);
    rule->mutable_match()->mutable_term()->set_regex(
        absl::StrCat("x", r, "[0-9]{", repeat, "}"));
  }
  return ruleset;
}

TEST(CompileBudgetTest, NamesTheRegexThatCrossesTheRegexCost) {
  const std::string path =
      ::testing::TempDir() + "/compile_budget_regex_test.textproto";
  std::ofstream(path)
      << "rules { id: \"a\" action: ACTION_LOG\n"
         "  match { term { regex: \"a[0-9]{300}\" } } }\n"
         "rules { id: \"b\" action: ACTION_LOG\n"
         "  match { any {\n"
         "    exprs { term { regex: \"a[0-9]{300}\" } }\n"
         "    exprs { term { regex: \"b[0-9]{300}\" } } } } }\n"
         "rules { id: \"c\" action: ACTION_LOG\n"
         "  match { any {\n"
         "    exprs { term { phrase: \"c\" } }\n"
         "    exprs { term { regex: \"c[0-9]{300}\" } } } } }\n";
  watchword::CompileOptions options;
  options.backend = watchword::Backend::kRe2;
  options.max_regex_cost = 700;  // Two of the regexes, counted once each.
  std::vector<watchword::v1::Diagnostic> diagnostics;
  auto engine = watchword::CompileFile(path, options, &diagnostics);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(
      engine.status().message(),
      AllOf(HasSubstr(absl::StrCat(path,
                                   ":10:20: error WW214: rule "
                                   "\"c\": the ruleset's regexes cost ")),
            HasSubstr("limit is 700 (CompileOptions.max_regex_cost)")));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].code(), "WW214");
  EXPECT_EQ(diagnostics[0].rule_id(), "c");
  EXPECT_EQ(diagnostics[0].field_path(),
            "rules[2].match.any.exprs[1].term.regex");
  EXPECT_EQ(diagnostics[0].line(), 10u);

  options.max_regex_cost = 1000;
  EXPECT_TRUE(watchword::CompileFile(path, options).ok());
  std::remove(path.c_str());
}

TEST(CompileBudgetTest, ARegexOverTheOneRegexLimitIsWW213NotTheBudget) {
  // 1,800 instructions: counted repeats stop at 1,000 copies each.
  watchword::v1::Ruleset ruleset = Regexes(1, 900);
  ruleset.mutable_rules(0)->mutable_match()->mutable_term()->set_regex(
      "x[0-9]{900}y[0-9]{900}");
  watchword::CompileOptions options;
  options.max_regex_cost = 1500;  // Room for the regex counted as 1,000.
  std::vector<watchword::v1::Diagnostic> diagnostics;
  auto engine = watchword::Compile(ruleset, options, &diagnostics);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(engine.status().message(), HasSubstr("error WW213"));
  for (const watchword::v1::Diagnostic& d : diagnostics) {
    EXPECT_NE(d.code(), "WW214") << d.message();
  }
}

TEST(CompileBudgetTest, ThousandsOfCostlyRegexesFailAtOnceByDefault) {
  // Each is just under the one-regex limit; Hyperscan would compile each
  // for every view.
  const watchword::v1::Ruleset ruleset = Regexes(2000, 990);
  const int64_t limit = watchword::CompileOptions().max_regex_cost;
  auto engine = watchword::Compile(ruleset);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(engine.status().message(),
              AllOf(HasSubstr("max_regex_cost"),
                    HasSubstr(absl::StrCat("limit is ", limit))));
}

TEST(CompileBudgetTest, BundledRulesetsFitATenthOfTheDefaultBudget) {
  watchword::CompileOptions options;
  options.backend = watchword::Backend::kRe2;
  options.max_patterns /= 10;
  options.max_pattern_bytes /= 10;
  options.max_regex_cost /= 10;
  for (const char* ruleset : {"rulesets/child_safety", "rulesets/examples"}) {
    auto engine = watchword::CompileFile(SourcePath(ruleset), options);
    EXPECT_TRUE(engine.ok()) << ruleset << ": " << engine.status();
  }
}

}  // namespace
