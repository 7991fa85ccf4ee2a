// Every bad input gets a clear error and never crashes the process.
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;
using ::watchword::testing::ParseRuleset;
using ::watchword::testing::StatusIs;

constexpr char kRuleset[] = R"pb(
  name: "bad-input"
  rules { id: "a" action: ACTION_REVIEW match { term { phrase: "send me a pic" } } }
  rules { id: "b" action: ACTION_REVIEW match { term { regex: "sn(a|4)p\\w*" } } }
)pb";

TEST(BadInputTest, RandomBytesNeverCrashAndAlwaysYieldAVerdict) {
  for (Backend backend : {Backend::kRe2, Backend::kDefault}) {
    auto engine = Compile(ParseRuleset(kRuleset), {.backend = backend});
    ASSERT_TRUE(engine.ok()) << engine.status();
    Scanner scanner(*engine);
    std::mt19937 rng(7);
    v1::Verdict verdict;
    for (int i = 0; i < 5000; ++i) {
      std::string text(rng() % 300, '\0');
      for (char& c : text) c = static_cast<char>(rng());
      if (i % 3 == 0) text += " send me a pic snap";
      ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
      EXPECT_EQ(verdict.ruleset().name(), "bad-input");
      for (const auto& rule : verdict.rule_matches()) {
        for (const auto& m : rule.matches()) {
          ASSERT_LT(m.begin(), m.end());
          ASSERT_LE(m.end(), text.size());
        }
      }
      if (i % 3 == 0) {
        EXPECT_GE(verdict.rule_matches_size(), 1);
      }
    }
  }
}

TEST(BadInputTest, UnpairedSurrogatesAndNonCharactersAreTolerated) {
  auto engine = Compile(ParseRuleset(kRuleset));
  ASSERT_TRUE(engine.ok());
  Scanner scanner(*engine);
  v1::Verdict verdict;
  // CESU-8 surrogate halves, U+FFFF, U+10FFFF, 5-byte and 6-byte forms.
  std::string text =
      "\xed\xa0\x80 send \xed\xb0\x80me a pic \xef\xbf\xbf\xf4\x8f\xbf\xbf"
      "\xf8\x88\x80\x80\x80\xfc\x84\x80\x80\x80\x80";
  ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
  EXPECT_EQ(verdict.rule_matches_size(), 0);  // The halves split the phrase.
}

TEST(BadInputTest, HugeFieldIsRejectedWithoutScanning) {
  auto engine = Compile(ParseRuleset(kRuleset));
  ASSERT_TRUE(engine.ok());
  Scanner scanner(*engine);
  v1::Verdict verdict;
  std::string huge((1 << 20) + 1, 'a');
  EXPECT_THAT(scanner.Scan(huge, &verdict),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("limit is 1048576")));
  EXPECT_EQ(verdict.ruleset().name(), "bad-input");
  EXPECT_EQ(verdict.error().code(), "INVALID_ARGUMENT");
  // Exactly at the limit is fine.
  huge.pop_back();
  EXPECT_TRUE(scanner.Scan(huge, &verdict).ok());
}

TEST(BadInputTest, EmptyRequestIsAnEmptyVerdict) {
  auto engine = Compile(ParseRuleset(kRuleset));
  ASSERT_TRUE(engine.ok());
  Scanner scanner(*engine);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan(v1::ScanRequest(), &verdict).ok());
  EXPECT_EQ(verdict.rule_matches_size(), 0);
  EXPECT_EQ(verdict.action(), v1::ACTION_UNSPECIFIED);
  ASSERT_TRUE(scanner.Scan("", &verdict).ok());
  EXPECT_EQ(verdict.rule_matches_size(), 0);
}

TEST(BadInputTest, CompileReportsEveryErrorNotOnlyTheFirst) {
  std::vector<v1::Diagnostic> diagnostics;
  auto engine = Compile(ParseRuleset(R"pb(
    rules { id: "dup" action: ACTION_REVIEW match { term { phrase: "a b" } } }
    rules { id: "dup" action: ACTION_REVIEW match { term { phrase: "c" } } }
    rules { id: "bad-regex" action: ACTION_REVIEW match { term { regex: "(x" } } }
    rules { id: "no-list" action: ACTION_REVIEW match { term_list: "missing" } }
  )pb"), {}, &diagnostics);
  EXPECT_THAT(engine, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("dup")));
  int errors = 0;
  std::string all;
  for (const auto& d : diagnostics) {
    if (d.severity() == v1::Diagnostic::SEVERITY_ERROR) ++errors;
    all += FormatDiagnostic(d) + "\n";
  }
  EXPECT_GE(errors, 3) << all;
  EXPECT_THAT(all, HasSubstr("bad-regex"));
  EXPECT_THAT(all, HasSubstr("missing"));
}

TEST(BadInputTest, MissingRulesetFileIsNotFound) {
  EXPECT_THAT(CompileFile("/nonexistent/ruleset.textproto"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nonexistent")));
}

}  // namespace
}  // namespace watchword
