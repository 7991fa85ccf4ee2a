#include "src/compile/validator.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/compile/diagnostic_codes.h"
#include "src/engine/ruleset_limits.h"
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Property;
using ::testing::UnorderedElementsAre;
using ::watchword::testing::ParseRuleset;

// The fields of a rule that draws no diagnostics, except `match`.
constexpr char kRuleBody[] = R"pb(
  category: "grooming.secrecy"
  severity: SEVERITY_HIGH
  action: ACTION_REVIEW
  should_match { text: "our secret" }
  should_not_match { text: "a surprise party" }
)pb";

// A ruleset of one rule "r" with `match` and `extra` fields.
v1::Ruleset OneRule(const std::string& match, const std::string& extra = "",
                    const std::string& outside = "") {
  return ParseRuleset(absl::StrCat(outside, " rules { id: \"r\" ", kRuleBody,
                                   " match { ", match, " } ", extra, " }"));
}

constexpr char kTerm[] = R"pb(term { phrase: "our secret" })pb";

std::vector<v1::Diagnostic> Validate(const v1::Ruleset& ruleset,
                                     int* errors = nullptr) {
  std::vector<v1::Diagnostic> diagnostics;
  int n = ValidateRuleset(ruleset, &diagnostics);
  if (errors != nullptr) *errors = n;
  return diagnostics;
}

// Matches an error with this code, field path and message part.
::testing::Matcher<const v1::Diagnostic&> Error(const char* code,
                                                const std::string& path,
                                                const std::string& message) {
  return AllOf(
      Property(&v1::Diagnostic::code, code),
      Property(&v1::Diagnostic::field_path, path),
      Property(&v1::Diagnostic::message, HasSubstr(message)),
      Property(&v1::Diagnostic::severity, v1::Diagnostic::SEVERITY_ERROR));
}

::testing::Matcher<const v1::Diagnostic&> Warning(const char* code,
                                                  const std::string& path) {
  return AllOf(
      Property(&v1::Diagnostic::code, code),
      Property(&v1::Diagnostic::field_path, path),
      Property(&v1::Diagnostic::severity, v1::Diagnostic::SEVERITY_WARNING));
}

::testing::Matcher<const v1::Diagnostic&> HasCode(const char* code) {
  return Property(&v1::Diagnostic::code, code);
}

TEST(ValidatorTest, AcceptsAGoodRuleset) {
  v1::Ruleset ruleset = OneRule(
      R"pb(all {
             exprs { term_list: "secrets" }
             exprs {
               near {
                 exprs { term { id: "tell" phrase: "tell" } }
                 exprs {
                   any {
                     exprs { term_list: "adults" }
                     exprs { term { regex: "mom|dad" } }
                   }
                 }
               }
             }
             exprs { none { exprs { term { phrase: "surprise" } } } }
           })pb",
      R"pb(exceptions {
             terms { phrase: "game" }
             only_terms: "tell"
             only_terms: "shh"
           }
           conditions { sender_age_band { any_of: AGE_BAND_ADULT } }
           conditions {
             recipient_age_band {
               any_of: [ AGE_BAND_UNDER_13, AGE_BAND_13_15 ]
             }
           }
           conditions { sender_account_age_days { max: 30 } }
           fields: "body"
           fields: "caption")pb",
      R"pb(custom_fields: "caption"
           term_lists {
             id: "secrets"
             terms { phrase: "our secret" }
             terms { id: "shh" phrase: "shh" }
           }
           term_lists {
             id: "adults"
             terms { phrase: "your parents" }
           })pb");
  int errors = -1;
  EXPECT_THAT(Validate(ruleset, &errors), IsEmpty());
  EXPECT_EQ(errors, 0);
}

// ---------------------------------------------------------------- ids

TEST(ValidatorTest, RejectsEmptyAndMalformedRuleIds) {
  v1::Ruleset ruleset = OneRule(kTerm);
  *ruleset.add_rules() = ruleset.rules(0);
  *ruleset.add_rules() = ruleset.rules(0);
  ruleset.mutable_rules(0)->set_id("");
  ruleset.mutable_rules(1)->set_id("Secrecy Rule");
  ruleset.mutable_rules(2)->set_id("-secrecy");
  EXPECT_THAT(
      Validate(ruleset),
      ElementsAre(Error(kInvalidRuleId, "rules[0].id", "rule id is empty"),
                  Error(kInvalidRuleId, "rules[1].id",
                        "rule \"Secrecy Rule\": id must match"),
                  Error(kInvalidRuleId, "rules[2].id", "\"-secrecy\"")));
}

TEST(ValidatorTest, RejectsDuplicateRuleIdAtTheSecondRule) {
  v1::Ruleset ruleset = OneRule(kTerm);
  *ruleset.add_rules() = ruleset.rules(0);
  std::vector<v1::Diagnostic> diagnostics = Validate(ruleset);
  ASSERT_THAT(diagnostics,
              ElementsAre(Error(kDuplicateRuleId, "rules[1].id",
                                "rule \"r\": id is already used by rules[0]")));
  EXPECT_EQ(diagnostics[0].rule_id(), "r");
}

TEST(ValidatorTest, RejectsBadTermListIds) {
  v1::Ruleset ruleset = ParseRuleset(R"pb(
    term_lists {
      id: ""
      terms { phrase: "a" }
    }
    term_lists {
      id: "Bad"
      terms { phrase: "a" }
    }
    term_lists {
      id: "ok"
      terms { phrase: "a" }
    }
    term_lists {
      id: "ok"
      terms { phrase: "a" }
    }
  )pb");
  EXPECT_THAT(Validate(ruleset),
              ElementsAre(Error(kInvalidTermListId, "term_lists[0].id",
                                "term list id is empty"),
                          Error(kInvalidTermListId, "term_lists[1].id",
                                "term list \"Bad\": id must match"),
                          Error(kDuplicateTermListId, "term_lists[3].id",
                                "term list \"ok\": id is already used by "
                                "term_lists[2]")));
}

TEST(ValidatorTest, RejectsEmptyTermList) {
  EXPECT_THAT(Validate(ParseRuleset(R"pb(term_lists { id: "l" })pb")),
              ElementsAre(Error(kEmptyTermList, "term_lists[0].terms",
                                "term list \"l\": term list holds no terms")));
}

// ---------------------------------------------------------------- rule fields

TEST(ValidatorTest, RejectsMissingMatchAndAction) {
  v1::Ruleset ruleset = OneRule(kTerm);
  ruleset.mutable_rules(0)->clear_match();
  ruleset.mutable_rules(0)->clear_action();
  int errors = 0;
  std::vector<v1::Diagnostic> diagnostics = Validate(ruleset, &errors);
  EXPECT_THAT(
      diagnostics,
      UnorderedElementsAre(Error(kMissingAction, "rules[0].action",
                                 "rule \"r\": action is not set"),
                           Error(kMissingMatch, "rules[0].match",
                                 "rule \"r\": rule has no match expression")));
  EXPECT_EQ(errors, 2);
  for (const v1::Diagnostic& d : diagnostics) EXPECT_EQ(d.rule_id(), "r");
}

TEST(ValidatorTest, WarnsAboutMissingSeverityAndCategory) {
  v1::Ruleset ruleset = OneRule(kTerm);
  ruleset.mutable_rules(0)->clear_severity();
  ruleset.mutable_rules(0)->clear_category();
  int errors = -1;
  EXPECT_THAT(Validate(ruleset, &errors),
              ElementsAre(Warning(kMissingSeverity, "rules[0].severity"),
                          Warning(kMissingCategory, "rules[0].category")));
  EXPECT_EQ(errors, 0);
}

// ---------------------------------------------------------------- expressions

TEST(ValidatorTest, RejectsUnknownTermListsInMatchAndExceptions) {
  std::vector<v1::Diagnostic> diagnostics =
      Validate(OneRule(R"pb(any {
                              exprs { term_list: "secrets" }
                              exprs { term { phrase: "x" } }
                            })pb",
                       R"pb(exceptions { term_lists: "games" })pb"));
  EXPECT_THAT(
      diagnostics,
      ElementsAre(
          Error(kUnknownTermList, "rules[0].match.any.exprs[0].term_list",
                "rule \"r\": unknown term list \"secrets\""),
          Error(kUnknownTermList, "rules[0].exceptions[0].term_lists[0]",
                "rule \"r\": unknown term list \"games\"")));
  EXPECT_EQ(diagnostics[0].rule_id(), "r");
}

TEST(ValidatorTest, RejectsEmptyExpression) {
  EXPECT_THAT(Validate(OneRule("")),
              ElementsAre(Error(kEmptyExpr, "rules[0].match",
                                "rule \"r\": expression is empty")));
}

TEST(ValidatorTest, RejectsEmptyAnyAllNone) {
  EXPECT_THAT(
      Validate(
          OneRule(absl::StrCat("all { exprs { any {} } exprs { ", kTerm,
                               " } exprs { none {} } exprs { all {} } }"))),
      ElementsAre(Error(kEmptyExprList, "rules[0].match.all.exprs[0].any",
                        "\"any\" has no sub-expressions"),
                  Error(kEmptyExprList, "rules[0].match.all.exprs[2].none",
                        "\"none\" has no sub-expressions"),
                  Error(kEmptyExprList, "rules[0].match.all.exprs[3].all",
                        "\"all\" has no sub-expressions")));
}

TEST(ValidatorTest, NearNeedsTwoSubExpressions) {
  EXPECT_THAT(Validate(OneRule(absl::StrCat("near { exprs { ", kTerm, " } }"))),
              ElementsAre(Error(kBadNear, "rules[0].match.near",
                                "needs at least 2 sub-expressions")));
}

TEST(ValidatorTest, NearTakesOnlyPositionalSubExpressions) {
  EXPECT_THAT(
      Validate(OneRule(absl::StrCat(
          "near { exprs { ", kTerm, " } exprs { all { exprs { ", kTerm,
          " } } } exprs { any { exprs { none { exprs { ", kTerm,
          " } } } } } exprs { any { exprs { term { phrase: \"b\" } } } } }"))),
      ElementsAre(
          Error(kBadNear, "rules[0].match.near.exprs[1]",
                "takes only term, term_list, signal and any of those"),
          Error(kBadNear, "rules[0].match.near.exprs[2]", "takes only term")));
}

TEST(ValidatorTest, RejectsExpressionThatNeedsNoTerm) {
  const std::string none = absl::StrCat("none { exprs { ", kTerm, " } }");
  const char* kMessage = "needs at least one term that must occur";
  EXPECT_THAT(Validate(OneRule(none)),
              ElementsAre(Error(kNoRequiredTerm, "rules[0].match", kMessage)));
  EXPECT_THAT(Validate(OneRule(absl::StrCat("all { exprs { ", none,
                                            " } exprs { ", none, " } }"))),
              ElementsAre(Error(kNoRequiredTerm, "rules[0].match", kMessage)));
  // `any` holds when its `none` branch does.
  EXPECT_THAT(Validate(OneRule(absl::StrCat("any { exprs { ", none,
                                            " } exprs { ", kTerm, " } }"))),
              ElementsAre(Error(kNoRequiredTerm, "rules[0].match", kMessage)));
  // Beside a positive term, `none` is fine.
  EXPECT_THAT(Validate(OneRule(absl::StrCat("all { exprs { ", none,
                                            " } exprs { ", kTerm, " } }"))),
              IsEmpty());
}

// ---------------------------------------------------------------- terms

TEST(ValidatorTest, RejectsTermWithoutKind) {
  EXPECT_THAT(Validate(OneRule(R"pb(term { id: "x" })pb")),
              ElementsAre(Error(kTermKindNotSet, "rules[0].match.term",
                                "term has neither phrase nor regex")));
}

TEST(ValidatorTest, RejectsEmptyPhrases) {
  v1::Ruleset ruleset = ParseRuleset(R"pb(
    term_lists {
      id: "l"
      terms { phrase: "" }
      terms { phrase: "   " }
      terms { phrase: "\u200b" }
      terms { phrase: "ok" }
    })pb");
  EXPECT_THAT(Validate(ruleset),
              ElementsAre(Error(kEmptyPhrase, "term_lists[0].terms[0].phrase",
                                "term list \"l\": phrase is empty"),
                          Error(kEmptyPhrase, "term_lists[0].terms[1].phrase",
                                "is empty after normalization"),
                          Error(kEmptyPhrase, "term_lists[0].terms[2].phrase",
                                "is empty after normalization")));
}

TEST(ValidatorTest, RejectsDuplicateTermIdsInList) {
  v1::Ruleset ruleset = ParseRuleset(R"pb(
    term_lists {
      id: "l"
      terms { phrase: "pic" }
      terms { phrase: "pic" substring: true }
      terms { id: "photo" phrase: "photo" }
      terms { id: "photo" regex: "ph[o0]t[o0]" }
    })pb");
  EXPECT_THAT(Validate(ruleset),
              ElementsAre(Error(kDuplicateTermId, "term_lists[0].terms[1]",
                                "duplicate term id \"pic\""),
                          Error(kDuplicateTermId, "term_lists[0].terms[3]",
                                "duplicate term id \"photo\"")));
}

TEST(ValidatorTest, RejectsTwoDifferentTermsUnderOneIdInRule) {
  EXPECT_THAT(
      Validate(OneRule(
          R"pb(all {
                 exprs { term { id: "t" phrase: "a" } }
                 exprs { term { id: "t" phrase: "b" } }
               })pb")),
      ElementsAre(Error(kDuplicateTermId, "rules[0].match.all.exprs[1].term",
                        "rule \"r\": duplicate term id \"t\"")));
  // The same term in two places is one term.
  EXPECT_THAT(Validate(OneRule(absl::StrCat(
                  "any { exprs { ", kTerm, " } exprs { near { exprs { ", kTerm,
                  " } exprs { term { phrase: \"tell\" } } } } }"))),
              IsEmpty());
}

TEST(ValidatorTest, RejectsRegexThatDoesNotCompile) {
  std::vector<v1::Diagnostic> diagnostics =
      Validate(OneRule(R"pb(term { regex: "(secret" })pb"));
  ASSERT_THAT(diagnostics,
              ElementsAre(Error(kBadRegex, "rules[0].match.term.regex",
                                "regex \"(secret\" does not compile: ")));
  EXPECT_THAT(diagnostics[0].message(), HasSubstr("missing )"));
}

TEST(ValidatorTest, RejectsRegexMatchingEmptyString) {
  for (const char* regex : {"x*", "(a|)", "^", "\\\\B"}) {
    EXPECT_THAT(
        Validate(OneRule(absl::StrCat("term { regex: \"", regex, "\" }"))),
        ElementsAre(Error(kRegexMatchesEmpty, "rules[0].match.term.regex",
                          "matches the empty string")))
        << regex;
  }
  EXPECT_THAT(Validate(OneRule(R"pb(term { regex: "x+" })pb")), IsEmpty());
}

TEST(ValidatorTest, RejectsEveryRegexTooCostlyToCompileAndKeepsCheapOnes) {
  // `ѕ\pL+` is the regex of a 37-byte ruleset the backend_diff fuzzer
  // found slow to compile; `a\pL{5}` took 4 s per view, `.{300}` is 2,404
  // instructions of plain repeats. Each is reported, none is compiled.
  v1::Ruleset ruleset = OneRule(
      R"pb(any {
             exprs { term { regex: "ѕ\\pL+" } }
             exprs { term { regex: "a\\pL{5}" } }
             exprs { term { regex: "x.{300}" } }
             exprs { term { regex: "[a-z]{100}x|\\d{3,}" } }
           })pb");
  EXPECT_THAT(
      Validate(ruleset),
      ElementsAre(Error(kRegexTooCostly, "rules[0].match.any.exprs[0].term.regex",
                        "regex \"ѕ\\pL+\" is too costly to compile: 1203 RE2 "
                        "instructions; limit is 1000"),
                  Error(kRegexTooCostly, "rules[0].match.any.exprs[1].term.regex",
                        "is too costly to compile: 5975 RE2 instructions"),
                  Error(kRegexTooCostly, "rules[0].match.any.exprs[2].term.regex",
                        "is too costly to compile: 2405 RE2 instructions")));
  for (const v1::Diagnostic& d : Validate(ruleset)) EXPECT_EQ(d.rule_id(), "r");
}

#ifdef WATCHWORD_HAVE_HYPERSCAN
TEST(ValidatorTest, RejectsRegexHyperscanCannotCompile) {
  // RE2 takes the ungreedy flag (?U); Hyperscan does not.
  EXPECT_THAT(Validate(OneRule(R"pb(term { regex: "(?U)secret+" })pb")),
              ElementsAre(Error(kRegexHyperscan, "rules[0].match.term.regex",
                                "is rejected by hyperscan: unrecognised")));
}
#endif

// ---------------------------------------------------------------- exceptions

TEST(ValidatorTest, RejectsEmptyException) {
  EXPECT_THAT(Validate(OneRule(kTerm, "exceptions { within_words: 3 }")),
              ElementsAre(Error(kEmptyException, "rules[0].exceptions[0]",
                                "exception has no terms and no term lists")));
}

TEST(ValidatorTest, RejectsOnlyTermsThatAreNotTermsOfTheRule) {
  v1::Ruleset ruleset = OneRule(
      R"pb(any {
             exprs { term { id: "secret" phrase: "our secret" } }
             exprs { term_list: "l" }
           })pb",
      R"pb(exceptions {
             terms { phrase: "game" }
             only_terms: "secret"
             only_terms: "pic"
             only_terms: "game"
           })pb",
      R"pb(term_lists {
             id: "l"
             terms { phrase: "pic" }
           })pb");
  EXPECT_THAT(Validate(ruleset),
              ElementsAre(Error(kUnknownOnlyTerm,
                                "rules[0].exceptions[0].only_terms[2]",
                                "only_terms names \"game\", which is not a "
                                "term of the rule")));
}

// ---------------------------------------------------------------- conditions

TEST(ValidatorTest, RejectsConditionWithoutPredicate) {
  EXPECT_THAT(Validate(OneRule(kTerm, "conditions { negate: true }")),
              ElementsAre(Error(kPredicateNotSet, "rules[0].conditions[0]",
                                "condition has no predicate")));
}

TEST(ValidatorTest, RejectsEmptySets) {
  EXPECT_THAT(
      Validate(OneRule(kTerm, R"pb(
        conditions { sender_age_band {} }
        conditions { surface {} }
        conditions { relationship {} }
        conditions { string_attribute { name: "locale" } }
      )pb")),
      ElementsAre(
          Error(kEmptyConditionSet,
                "rules[0].conditions[0].sender_age_band.any_of",
                "sender_age_band condition has an empty any_of"),
          Error(kEmptyConditionSet, "rules[0].conditions[1].surface.any_of",
                "surface"),
          Error(kEmptyConditionSet,
                "rules[0].conditions[2].relationship.any_of", "relationship"),
          Error(kEmptyConditionSet,
                "rules[0].conditions[3].string_attribute.any_of",
                "string_attribute")));
}

TEST(ValidatorTest, RejectsEmptyAttributeNames) {
  EXPECT_THAT(Validate(OneRule(kTerm, R"pb(
                conditions { string_attribute { any_of: "es" } }
                conditions { number_attribute { range { min: 1 } } }
              )pb")),
              ElementsAre(Error(kEmptyAttributeName,
                                "rules[0].conditions[0].string_attribute.name",
                                "string_attribute condition has no name"),
                          Error(kEmptyAttributeName,
                                "rules[0].conditions[1].number_attribute.name",
                                "number_attribute condition has no name")));
}

TEST(ValidatorTest, ChecksRanges) {
  int errors = 0;
  EXPECT_THAT(
      Validate(OneRule(kTerm, R"pb(
                 conditions { sender_account_age_days { min: 30 max: 7 } }
                 conditions {
                   number_attribute {
                     name: "reports"
                     range {}
                   }
                 }
               )pb"),
               &errors),
      ElementsAre(Error(kInvertedRange,
                        "rules[0].conditions[0].sender_account_age_days",
                        "range min 30 is greater than max 7"),
                  Warning(kUnboundedRange,
                          "rules[0].conditions[1].number_attribute.range")));
  EXPECT_EQ(errors, 1);
}

TEST(ValidatorTest, RejectsDisjointSets) {
  EXPECT_THAT(
      Validate(OneRule(kTerm, R"pb(
        conditions { sender_age_band { any_of: AGE_BAND_ADULT } }
        conditions { surface { any_of: SURFACE_PUBLIC } }
        conditions {
          sender_age_band { any_of: [ AGE_BAND_UNDER_13, AGE_BAND_13_15 ] }
        }
      )pb")),
      ElementsAre(Error(kContradictoryConditions, "rules[0].conditions[2]",
                        "rule \"r\": conditions can never all hold "
                        "(conditions[0], conditions[2] on sender_age_band)")));
}

TEST(ValidatorTest, RejectsDisjointStringAttributes) {
  v1::Ruleset ruleset = OneRule(kTerm, R"pb(
    conditions {
      string_attribute {
        name: "locale"
        any_of: [ "es", "pt" ]
      }
    }
    conditions { string_attribute { name: "country" any_of: "br" } }
    conditions {
      string_attribute {
        name: "locale"
        any_of: [ "en" ]
      }
    }
  )pb");
  EXPECT_THAT(
      Validate(ruleset),
      ElementsAre(Error(kContradictoryConditions, "rules[0].conditions[2]",
                        "on string_attribute \"locale\"")));
  // Overlapping sets can hold together.
  ruleset.mutable_rules(0)
      ->mutable_conditions(2)
      ->mutable_string_attribute()
      ->add_any_of("pt");
  EXPECT_THAT(Validate(ruleset), IsEmpty());
}

TEST(ValidatorTest, RejectsDisjointRanges) {
  EXPECT_THAT(
      Validate(OneRule(kTerm, R"pb(
        conditions { sender_account_age_days { max: 7 } }
        conditions { sender_account_age_days { min: 30 } }
        conditions {
          number_attribute {
            name: "n"
            range { min: 1 max: 5 }
          }
        }
        conditions {
          number_attribute {
            name: "n"
            range { min: 5 }
          }
        }
      )pb")),
      ElementsAre(Error(kContradictoryConditions, "rules[0].conditions[1]",
                        "sender_account_age_days")));
}

TEST(ValidatorTest, RejectsConditionBesideItsNegation) {
  EXPECT_THAT(
      Validate(OneRule(kTerm, R"pb(
        conditions { relationship { any_of: RELATIONSHIP_NOT_CONNECTED } }
        conditions {
          relationship { any_of: RELATIONSHIP_NOT_CONNECTED }
          negate: true
        }
        conditions {
          number_attribute {
            name: "n"
            range { min: 1 max: 5 }
          }
        }
        conditions {
          number_attribute {
            name: "n"
            range { min: 1 max: 5 }
          }
          negate: true
        }
        conditions { string_attribute { name: "s" any_of: "x" } }
        conditions {
          string_attribute { name: "s" any_of: "y" }
          negate: true
        }
      )pb")),
      ElementsAre(Error(kContradictoryConditions, "rules[0].conditions[1]",
                        "on relationship"),
                  Error(kContradictoryConditions, "rules[0].conditions[3]",
                        "on number_attribute \"n\"")));
}

TEST(ValidatorTest, RejectsNegatedSetThatExcludesEverything) {
  EXPECT_THAT(
      Validate(OneRule(kTerm, R"pb(
        conditions {
          surface {
            any_of: [
              SURFACE_UNSPECIFIED,
              SURFACE_DIRECT_MESSAGE,
              SURFACE_GROUP_CHAT,
              SURFACE_PUBLIC,
              SURFACE_VOICE_TRANSCRIPT,
              SURFACE_PROFILE
            ]
          }
          negate: true
        }
      )pb")),
      ElementsAre(Error(kContradictoryConditions, "rules[0].conditions[0]",
                        "condition on surface can never hold")));
}

// ---------------------------------------------------------------- fields

TEST(ValidatorTest, RejectsUnknownFields) {
  v1::Ruleset ruleset = OneRule(kTerm, R"pb(
                                  fields: "body"
                                  fields: "bio"
                                  fields: "caption"
                                  fields: "subject"
                                  should_match {
                                    fields { name: "caption" text: "x" }
                                    fields { name: "title" text: "y" }
                                  }
                                )pb",
                                R"pb(custom_fields: "caption")pb");
  EXPECT_THAT(Validate(ruleset),
              ElementsAre(Error(kUnknownField, "rules[0].fields[3]",
                                "rule \"r\": unknown field \"subject\""),
                          Error(kUnknownField,
                                "rules[0].should_match[1].fields[1].name",
                                "unknown field \"title\"")));
}

TEST(ValidatorTest, RejectsBadCustomFields) {
  EXPECT_THAT(
      Validate(ParseRuleset(R"pb(
        custom_fields: "caption"
        custom_fields: "username"
        custom_fields: "caption"
        custom_fields: ""
      )pb")),
      ElementsAre(Error(kBadCustomField, "custom_fields[1]",
                        "custom field \"username\": is a built-in field"),
                  Error(kBadCustomField, "custom_fields[2]",
                        "custom field \"caption\": is declared twice"),
                  Error(kBadCustomField, "custom_fields[3]",
                        "custom field name is empty")));
}

// ---------------------------------------------------------------- examples

TEST(ValidatorTest, RejectsEmptyExample) {
  EXPECT_THAT(Validate(OneRule(kTerm, R"pb(should_not_match { note: "x" })pb")),
              ElementsAre(Error(kEmptyExample, "rules[0].should_not_match[1]",
                                "should_not_match[1] has no text or fields")));
}

TEST(ValidatorTest, WarnsAboutRuleWithoutExamples) {
  v1::Ruleset ruleset = OneRule(kTerm);
  ruleset.mutable_rules(0)->clear_should_match();
  ruleset.mutable_rules(0)->clear_should_not_match();
  int errors = -1;
  EXPECT_THAT(
      Validate(ruleset, &errors),
      ElementsAre(Warning(kNoShouldMatch, "rules[0].should_match"),
                  Warning(kNoShouldNotMatch, "rules[0].should_not_match")));
  EXPECT_EQ(errors, 0);
}

// A match expression `depth` levels deep: `any`s around one term.
std::string NestedMatch(int depth) {
  std::string match;
  for (int i = 1; i < depth; ++i) match += "any { exprs { ";
  match += kTerm;
  for (int i = 1; i < depth; ++i) match += " } }";
  return match;
}

TEST(ValidatorTest, AcceptsExpressionAtTheDepthLimit) {
  EXPECT_THAT(Validate(OneRule(NestedMatch(kMaxExprDepth))),
              Not(Contains(HasCode(kExprTooDeep))));
}

TEST(ValidatorTest, RejectsExpressionDeeperThanTheLimitWhereItCrossesIt) {
  std::string deepest = "rules[0].match";
  for (int i = 1; i <= kMaxExprDepth; ++i) deepest += ".any.exprs[0]";
  int errors = 0;
  std::vector<v1::Diagnostic> diagnostics =
      Validate(OneRule(NestedMatch(kMaxExprDepth + 5)), &errors);
  EXPECT_THAT(diagnostics,
              ElementsAre(Error(kExprTooDeep, deepest,
                                absl::StrCat("rule \"r\": expression nests "
                                             "deeper than ",
                                             kMaxExprDepth))));
  EXPECT_EQ(diagnostics[0].rule_id(), "r");
  EXPECT_EQ(errors, 1);
}

TEST(ValidatorTest, ChecksDepthOfInMemoryRulesetsWithoutRecursingThroughThem) {
  // Deeper than any parser accepts: only a program builds this. Deep enough
  // to overflow the stack if every level took a validator frame or two.
  v1::Ruleset ruleset = OneRule(kTerm);
  v1::Expr* expr = ruleset.mutable_rules(0)->mutable_match();
  v1::Expr leaf = *expr;
  for (int i = 0; i < 200000; ++i) {
    expr = expr->mutable_near()->add_exprs();
  }
  *expr = leaf;
  EXPECT_THAT(Validate(ruleset), Contains(HasCode(kExprTooDeep)));
  // Protobuf's destructor recurses; unwind it level by level.
  std::unique_ptr<v1::Expr> rest(
      ruleset.mutable_rules(0)->release_match());
  while (rest->has_near() && rest->near().exprs_size() > 0) {
    std::unique_ptr<v1::Expr> next(
        rest->mutable_near()->mutable_exprs()->ReleaseLast());
    rest = std::move(next);
  }
}

// ---------------------------------------------------------------- strings

TEST(ValidatorTest, ReportsEveryStringThatIsNotUtf8) {
  v1::Ruleset ruleset = ParseRuleset(absl::StrCat(
      R"pb(name: "n\xff"
           normalization { equivalences { words: "u" words: "y\xc3" } }
           term_lists {
             id: "l"
             terms { phrase: "a\xe2\x82" }
           }
           rules {
             id: "r"
             category: "grooming.\xc0\xaf"
             severity: SEVERITY_HIGH
             action: ACTION_REVIEW
             tags: "ok"
             tags: "\xed\xa0\x80"
             match { any { exprs { term { regex: "x\xff" } } } }
             should_match { text: "ok" }
             should_match { text: "\xfe" }
             should_not_match { text: "ok" }
           })pb"));
  int errors = 0;
  std::vector<v1::Diagnostic> diagnostics = Validate(ruleset, &errors);
  EXPECT_THAT(
      diagnostics,
      AllOf(Contains(Error(kInvalidUtf8, "name",
                           "ruleset: name is not valid UTF-8 (at byte 1)")),
            Contains(Error(kInvalidUtf8, "normalization.equivalences[0].words[1]",
                           "words is not valid UTF-8 (at byte 1)")),
            Contains(Error(kInvalidUtf8, "term_lists[0].terms[0].phrase",
                           "term list \"l\": phrase is not valid UTF-8")),
            Contains(Error(kInvalidUtf8, "rules[0].category",
                           "rule \"r\": category is not valid UTF-8 (at byte 9)")),
            Contains(Error(kInvalidUtf8, "rules[0].tags[1]", "tags")),
            Contains(Error(kInvalidUtf8,
                           "rules[0].match.any.exprs[0].term.regex", "regex")),
            Contains(Error(kInvalidUtf8, "rules[0].should_match[1].text",
                           "text is not valid UTF-8 (at byte 0)"))));
  EXPECT_EQ(std::count_if(diagnostics.begin(), diagnostics.end(),
                          [](const v1::Diagnostic& d) {
                            return d.code() == kInvalidUtf8;
                          }),
            7);
  // Every diagnostic is itself valid UTF-8: Python parses them.
  for (const v1::Diagnostic& d : diagnostics) {
    v1::Diagnostic parsed;
    EXPECT_TRUE(parsed.ParseFromString(d.SerializeAsString())) << d.code();
  }
}

TEST(ValidatorTest, InvalidUtf8RuleIdIsReportedAndQuotedSafely) {
  v1::Ruleset ruleset = OneRule(kTerm);
  ruleset.mutable_rules(0)->set_id("r\xff");
  std::vector<v1::Diagnostic> diagnostics = Validate(ruleset);
  EXPECT_THAT(diagnostics,
              Contains(Error(kInvalidUtf8, "rules[0].id",
                             "rule \"r\xef\xbf\xbd\": id is not valid UTF-8")));
  for (const v1::Diagnostic& d : diagnostics) {
    EXPECT_EQ(d.rule_id(), "r\xef\xbf\xbd");
  }
}

TEST(ValidatorTest, RejectsNulInPatternStrings) {
  v1::Ruleset ruleset = OneRule(
      R"pb(any {
             exprs { term { phrase: "a\000b" } }
             exprs { term { regex: "c\000" } }
           })pb",
      R"pb(should_match { text: "a\000b" })pb",
      R"pb(normalization { leet { from: "\000" to: "a" } })pb");
  EXPECT_THAT(
      Validate(ruleset),
      AllOf(Contains(Error(kNulInPattern, "normalization.leet[0].from",
                           "from holds a NUL character (at byte 0)")),
            Contains(Error(kNulInPattern,
                           "rules[0].match.any.exprs[0].term.phrase",
                           "rule \"r\": phrase holds a NUL character (at byte 1)")),
            Contains(Error(kNulInPattern,
                           "rules[0].match.any.exprs[1].term.regex",
                           "regex holds a NUL character (at byte 1)")),
            // Example text is scanned, not matched against: NUL is fine.
            Not(Contains(Property(&v1::Diagnostic::field_path,
                                  HasSubstr("should_match"))))));
}

// ---------------------------------------------------------------- conversations

// Two message-level rules to select signals from, and `conversation` rules.
v1::Ruleset WithConversationRules(const std::string& conversation) {
  return ParseRuleset(absl::StrCat(
      R"pb(rules {
             id: "age-question"
             tags: "weak"
             match { term { phrase: "how old" } }
           )pb",
      kRuleBody, R"pb(
           }
           rules {
             id: "secrecy"
             tags: "weak"
             match { term { phrase: "our secret" } }
           )pb",
      kRuleBody, " } ", conversation));
}

// A conversation rule body that draws no diagnostics, minus pattern.
constexpr char kConversationBody[] = R"pb(
  category: "grooming.progression"
  severity: SEVERITY_HIGH
  action: ACTION_ESCALATE
  signals { id: "age" rule_ids: "age-question" weight: 1 }
  signals { id: "secret" categories: "grooming.secrecy" weight: 1 }
  window { max_messages: 50 max_duration_seconds: 259200 }
  should_match {
    messages { text: "how old are you" }
    messages { text: "our secret" }
    fires_at: 2
  }
  should_not_match { messages { text: "hi" } }
)pb";

TEST(ValidatorTest, AcceptsEachConversationPatternKind) {
  for (const char* pattern :
       {"distinct_stages { min_distinct: 2 }",
        "sequence { steps: [\"age\", \"secret\"] }",
        "risk_score { half_life_seconds: 3600 threshold: 1.5 }",
        "scope: CONVERSATION_SCOPE_SENDER new_contacts { min_recipients: 10 }",
        "repeated_across_conversations { min_conversations: 5 }"}) {
    SCOPED_TRACE(pattern);
    int errors = 0;
    EXPECT_THAT(Validate(WithConversationRules(absl::StrCat(
                             "conversation_rules { id: \"c\" ",
                             kConversationBody, pattern, " }")),
                         &errors),
                IsEmpty());
    EXPECT_EQ(errors, 0);
  }
}

TEST(ValidatorTest, ReportsEveryConversationRuleProblem) {
  int errors = 0;
  std::vector<v1::Diagnostic> diagnostics = Validate(
      WithConversationRules(R"pb(
        conversation_rules {
          id: "secrecy"
          action: ACTION_ESCALATE
          severity: SEVERITY_HIGH
          category: "c"
          conditions {}
          signals { id: "a" rule_ids: "no-such-rule" }
          signals { id: "a" categories: "grooming.sec" tags: "strong" }
          signals { id: "Bad" }
          distinct_stages { min_distinct: 4 }
          should_match { fires_at: 1 }
          should_not_match { messages {} }
        }
        conversation_rules {
          id: "r2"
          severity: SEVERITY_HIGH
          category: "c"
          window { max_messages: 10 }
          sequence { steps: [ "x" ] }
        }
        conversation_rules {
          id: "r3"
          action: ACTION_LOG
          severity: SEVERITY_HIGH
          category: "c"
          scope: CONVERSATION_SCOPE_CONVERSATION
          signals { rule_ids: "secrecy" id: "s" }
          window { max_duration_seconds: 60 }
          risk_score { half_life_seconds: 0 threshold: -1 }
        }
        conversation_rules {
          id: "r4"
          action: ACTION_LOG
          severity: SEVERITY_HIGH
          category: "c"
          scope: CONVERSATION_SCOPE_WHOLE_CONVERSATION
          window { max_duration_seconds: 60 }
          new_contacts { min_recipients: 1 }
        }
        conversation_rules {
          id: "r2"
          action: ACTION_LOG
          severity: SEVERITY_HIGH
          category: "c"
          window { max_duration_seconds: 60 }
        }
      )pb"),
      &errors);
  EXPECT_THAT(
      diagnostics,
      ::testing::IsSupersetOf({
          Error(kDuplicateRuleId, "conversation_rules[0].id",
                "conversation rule \"secrecy\": id is already used by rules[1]"),
          Error(kPredicateNotSet, "conversation_rules[0].conditions[0]",
                "no predicate"),
          Error(kUnknownSignalSource, "conversation_rules[0].signals[0].rule_ids[0]",
                "no rule has id \"no-such-rule\""),
          Error(kBadConversationSignal, "conversation_rules[0].signals[1].id",
                "signal id \"a\" is used twice"),
          Error(kUnknownSignalSource,
                "conversation_rules[0].signals[1].categories[0]",
                "\"grooming.sec\""),
          Error(kUnknownSignalSource, "conversation_rules[0].signals[1].tags[0]",
                "no rule has tag \"strong\""),
          Error(kBadConversationSignal, "conversation_rules[0].signals[2].id",
                "must match"),
          Error(kBadConversationSignal, "conversation_rules[0].signals[2]",
                "selects no rule ids, categories or tags"),
          Error(kEmptyWindow, "conversation_rules[0].window",
                "needs max_messages or max_duration_seconds"),
          Error(kCountOutOfRange,
                "conversation_rules[0].distinct_stages.min_distinct",
                "min_distinct is 4; it must lie in 1..3"),
          Error(kEmptyExample, "conversation_rules[0].should_match[0].messages",
                "should_match[0] has no messages"),
          Error(kBadFiresAt, "conversation_rules[0].should_match[0].fires_at",
                "past its last message (0)"),
          Error(kEmptyExample,
                "conversation_rules[0].should_not_match[0].messages[0]",
                "message 1 has no text or fields"),
          Error(kMissingAction, "conversation_rules[1].action", "r2"),
          Error(kBadConversationSignal, "conversation_rules[1].signals",
                "rule has no signals"),
          Error(kCountOutOfRange, "conversation_rules[1].sequence.steps",
                "at least 2 steps"),
          Error(kUnknownStep, "conversation_rules[1].sequence.steps[0]",
                "step \"x\" is not a signal"),
          Error(kBadRiskScore, "conversation_rules[2].signals[0].weight",
                "risk_score needs > 0"),
          Error(kBadRiskScore, "conversation_rules[2].risk_score.half_life_seconds",
                "half_life_seconds is 0"),
          Error(kBadRiskScore, "conversation_rules[2].risk_score.threshold",
                "threshold is -1"),
          Error(kCountOutOfRange, "conversation_rules[3].new_contacts.min_recipients",
                "must be >= 2"),
          Error(kBadScope, "conversation_rules[3].scope",
                "new_contacts needs CONVERSATION_SCOPE_SENDER"),
          Error(kDuplicateRuleId, "conversation_rules[4].id",
                "already used by conversation_rules[1]"),
          Error(kNoPattern, "conversation_rules[4]", "rule sets none of"),
      }));
  EXPECT_EQ(errors, 24);
}

// ---------------------------------------------------------------- all at once

TEST(ValidatorTest, ReportsEveryProblemNotJustTheFirst) {
  v1::Ruleset ruleset =
      ParseRuleset(absl::StrCat(R"pb(
                                  term_lists {
                                    id: "l"
                                    terms { regex: "(" }
                                  }
                                  rules { id: "secrecy.dont-tell"
                                          match { term_list: "secrets" }
                                )pb",
                                kRuleBody, R"pb(
                                  }
                                  rules {
      id: "secrecy.dont-tell"
      match { near { exprs { term { phrase: "a" } } } }
      conditions {}
    )pb",
                                kRuleBody, "}"));
  int errors = 0;
  std::vector<v1::Diagnostic> diagnostics = Validate(ruleset, &errors);
  EXPECT_THAT(
      diagnostics,
      ElementsAre(
          Error(kBadRegex, "term_lists[0].terms[0].regex", "term list \"l\""),
          Error(kUnknownTermList, "rules[0].match.term_list",
                "rule \"secrecy.dont-tell\": unknown term list \"secrets\""),
          Error(kDuplicateRuleId, "rules[1].id", "secrecy.dont-tell"),
          Error(kBadNear, "rules[1].match.near", "needs at least 2"),
          Error(kPredicateNotSet, "rules[1].conditions[0]", "no predicate")));
  EXPECT_EQ(errors, 5);
  EXPECT_THAT(diagnostics, Not(Contains(HasCode(kMissingAction))));
}

}  // namespace
}  // namespace watchword
