#include "src/cli/example_runner.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/cli/example_locations.h"
#include "src/cli/example_request.h"
#include "tests/testing/test_util.h"
#include "watchword/compiler.h"

namespace watchword {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::watchword::testing::ParseRuleset;

// A rule with a context condition and a non-body field, and three passing
// examples of each kind.
constexpr char kRuleset[] = R"pb(
  name: "t"
  rules {
    id: "gifts.offer"
    category: "grooming.gifts"
    severity: SEVERITY_MEDIUM
    action: ACTION_REVIEW
    fields: "body"
    fields: "username"
    match { term { phrase: "free robux" } }
    conditions { recipient_age_band { any_of: AGE_BAND_13_15 } }
    should_match {
      text: "free robux here"
      context { recipient_age_band: AGE_BAND_13_15 }
    }
    should_match {
      fields { name: "username" text: "free robux" }
      context { recipient_age_band: AGE_BAND_13_15 }
    }
    should_match {
      text: "get free robux"
      context { recipient_age_band: AGE_BAND_13_15 }
    }
    should_not_match { text: "free robux here" note: "no context" }
    should_not_match {
      fields { name: "bio" text: "free robux" }
      context { recipient_age_band: AGE_BAND_13_15 }
    }
    should_not_match {
      text: "robux are not free"
      context { recipient_age_band: AGE_BAND_13_15 }
    }
  }
)pb";

std::shared_ptr<const Engine> MustCompile(const v1::Ruleset& ruleset) {
  absl::StatusOr<std::shared_ptr<const Engine>> engine = Compile(ruleset);
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *engine : nullptr;
}

TEST(ExampleRunnerTest, PassingExamplesUseContextAndFields) {
  ExampleReport report = RunExamples(MustCompile(ParseRuleset(kRuleset)),
                                     ExampleLocations(), ExampleRunOptions());
  EXPECT_THAT(report.failures, IsEmpty());
  EXPECT_EQ(report.rules, 1);
  EXPECT_EQ(report.should_match, 3);
  EXPECT_EQ(report.should_not_match, 3);
  EXPECT_TRUE(report.ok());
}

TEST(ExampleRunnerTest, ReportsAMissedShouldMatchWithTheVerdict) {
  v1::Ruleset ruleset = ParseRuleset(kRuleset);
  ruleset.mutable_rules(0)->mutable_should_match(0)->clear_context();
  ExampleReport report = RunExamples(MustCompile(ruleset), ExampleLocations(),
                                     ExampleRunOptions());
  ASSERT_EQ(report.failures.size(), 1u);
  const ExampleFailure& failure = report.failures[0];
  EXPECT_EQ(failure.rule_id, "gifts.offer");
  EXPECT_EQ(failure.example, "should_match[0]");
  EXPECT_THAT(failure.message,
              AllOf(HasSubstr("expected a match"), HasSubstr("no rule matched"),
                    HasSubstr("\"free robux here\"")));
  EXPECT_EQ(FormatExampleFailure(failure).rfind("rule \"gifts.offer\" "
                                                "should_match[0]: ",
                                                0),
            0u);
}

TEST(ExampleRunnerTest, ReportsAnUnwantedMatchWithItsTerms) {
  v1::Ruleset ruleset = ParseRuleset(kRuleset);
  *ruleset.mutable_rules(0)->mutable_should_not_match(0)->mutable_context() =
      ruleset.rules(0).should_match(0).context();
  ExampleReport report = RunExamples(MustCompile(ruleset), ExampleLocations(),
                                     ExampleRunOptions());
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].example, "should_not_match[0]");
  EXPECT_THAT(report.failures[0].message,
              AllOf(HasSubstr("expected no match"),
                    HasSubstr("body:free robux"), HasSubstr("action review"),
                    HasSubstr("rules matched: gifts.offer")));
}

TEST(ExampleRunnerTest, ShadowMatchesCount) {
  v1::Ruleset ruleset = ParseRuleset(kRuleset);
  ruleset.mutable_rules(0)->set_mode(v1::MODE_SHADOW);
  ExampleReport report = RunExamples(MustCompile(ruleset), ExampleLocations(),
                                     ExampleRunOptions());
  EXPECT_THAT(report.failures, IsEmpty());
}

TEST(ExampleRunnerTest, EnforcesTheMinimumNumberOfExamples) {
  v1::Ruleset ruleset = ParseRuleset(kRuleset);
  ruleset.mutable_rules(0)->mutable_should_not_match()->RemoveLast();
  ExampleRunOptions options;
  ExampleReport report =
      RunExamples(MustCompile(ruleset), ExampleLocations(), options);
  EXPECT_THAT(report.failures,
              ElementsAre(AllOf(
                  Field(&ExampleFailure::example, "examples"),
                  Field(&ExampleFailure::message,
                        HasSubstr("3 should_match and 2 should_not_match")))));
  options.min_examples = 0;
  EXPECT_TRUE(
      RunExamples(MustCompile(ruleset), ExampleLocations(), options).ok());
}

// kRuleset plus a conversation rule: two gift offers from an adult to a
// minor within 10 messages, with one example of each kind.
v1::Ruleset WithConversationRule() {
  v1::Ruleset ruleset = ParseRuleset(absl::StrCat(kRuleset, R"pb(
    conversation_rules {
      id: "gifts.repeated"
      category: "grooming.gifts"
      severity: SEVERITY_HIGH
      action: ACTION_ESCALATE
      scope: CONVERSATION_SCOPE_WHOLE_CONVERSATION
      signals { id: "gift" rule_ids: "gifts.offer" }
      window { max_messages: 10 }
      sequence { steps: [ "gift", "gift2" ] }
      signals { id: "gift2" categories: "grooming" }
      should_match {
        context { recipient_age_band: AGE_BAND_13_15 }
        messages { text: "hi" }
        messages { text: "free robux here" }
        messages { text: "get free robux" }
        fires_at: 3
      }
      should_not_match {
        context { recipient_age_band: AGE_BAND_13_15 }
        messages { text: "free robux here" }
        messages { text: "free robux here" context { conversation_id: "other" } }
      }
    })pb"));
  return ruleset;
}

TEST(ExampleRunnerTest, RunsConversationExamples) {
  ExampleRunOptions options;
  options.min_examples = 1;
  ExampleReport report = RunExamples(MustCompile(WithConversationRule()),
                                     ExampleLocations(), options);
  EXPECT_THAT(report.failures, IsEmpty());
  EXPECT_EQ(report.rules, 2);
  EXPECT_EQ(report.should_match, 4);
}

TEST(ExampleRunnerTest, ReportsWhereAConversationRuleFiredFirst) {
  v1::Ruleset ruleset = WithConversationRule();
  v1::ConversationRule* rule = ruleset.mutable_conversation_rules(0);
  rule->mutable_should_match(0)->set_fires_at(2);
  rule->mutable_should_not_match(0)->mutable_messages(1)->clear_context();
  ExampleRunOptions options;
  options.min_examples = 1;
  ExampleReport report =
      RunExamples(MustCompile(ruleset), ExampleLocations(), options);
  EXPECT_THAT(
      report.failures,
      ElementsAre(
          AllOf(Field(&ExampleFailure::example, "should_match[0]"),
                Field(&ExampleFailure::message,
                      HasSubstr("fire first at message 2, it fired first at "
                                "message 3"))),
          AllOf(Field(&ExampleFailure::example, "should_not_match[0]"),
                Field(&ExampleFailure::message,
                      HasSubstr("not to fire, it fired at message 2")))));
}

TEST(ExampleLocationsTest, PointsAtTheLineOfEachExample) {
  const std::string dir = ::testing::TempDir() + "/example_locations";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir + "/a.textproto");
    out << "rules {\n"                             // 1
           "  id: \"x.y\"\n"                       // 2
           "  should_match { text: \"a\" }\n"      // 3
           "  should_not_match { text: \"b\" }\n"  // 4
           "  should_match {\n"                    // 5
           "    text: \"c\"\n"
           "  }\n"
           "}\n";
    std::ofstream ignored(dir + "/.backup.textproto");
    ignored << "rules { id: \"x.y\" should_match { text: \"z\" } }\n";
  }
  ExampleLocations locations = ExampleLocations::Find(dir);
  const std::string file = dir + "/a.textproto";
  EXPECT_EQ(locations.Rule("x.y"), file + ":1");
  EXPECT_EQ(locations.Example("x.y", true, 0), file + ":3");
  EXPECT_EQ(locations.Example("x.y", true, 1), file + ":5");
  EXPECT_EQ(locations.Example("x.y", false, 0), file + ":4");
  EXPECT_EQ(locations.Example("x.y", false, 1), "");
  EXPECT_EQ(locations.Example("no.such", true, 0), "");
  EXPECT_EQ(ExampleLocations::Find(file).Example("x.y", false, 0), file + ":4");
}

TEST(ExampleRequestTest, CopiesTextFieldsAndContextButNotTheNote) {
  v1::Example example;
  example.set_text("hi");
  v1::TextField* field = example.add_fields();
  field->set_name("bio");
  field->set_text("line one\nline two");
  example.mutable_context()->set_recipient_age_band(v1::AGE_BAND_UNDER_13);
  example.set_note("for reviewers");
  v1::ScanRequest request = ExampleRequest(example, "r/should_match[0]");
  EXPECT_EQ(request.id(), "r/should_match[0]");
  EXPECT_EQ(request.text(), "hi");
  ASSERT_EQ(request.fields_size(), 1);
  EXPECT_EQ(request.fields(0).name(), "bio");
  EXPECT_EQ(request.context().recipient_age_band(), v1::AGE_BAND_UNDER_13);
  EXPECT_FALSE(request.echo_matched_text());
  EXPECT_EQ(ExampleText(example), "hi | bio: line one\\nline two");
  EXPECT_EQ(ExampleText(example, 4), "hi | bio: line...");
}

}  // namespace
}  // namespace watchword
