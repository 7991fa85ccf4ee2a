// The compile budget (CompileOptions.max_patterns, max_pattern_bytes): a
// ruleset over it fails at once with ResourceExhausted naming the rule
// that crosses it, before any validation or Hyperscan work.
#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "watchword/watchword.h"

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

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
  options.max_patterns = 12;  // Rules 0 and 1 fit; rule 2 takes it to 15.
  EXPECT_TRUE(watchword::Compile(Generated(2, 5), options).ok());
  auto engine = watchword::Compile(ruleset, options);
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(engine.status().message(),
              AllOf(HasSubstr("rule \"rule-2\" (rules[2])"),
                    HasSubstr("15 patterns"), HasSubstr("limit is 12"),
                    HasSubstr("max_patterns")));
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
              HasSubstr("rule \"rule-500\" (rules[500]): the ruleset needs "
                        "50100 patterns up to here; limit is 50000"));
}

TEST(CompileBudgetTest, ErrorOfAFileHasTheRulesPlace) {
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
              HasSubstr(absl::StrCat("rule \"b\" (", path, ":4:3)")));
  std::remove(path.c_str());
}

}  // namespace
