#include "src/compile/lower.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;
using ::watchword::testing::ParseRuleset;

constexpr char kRuleset[] = R"pb(
  name: "t"
  version: "1"
  term_lists {
    id: "pics"
    terms { phrase: "Send  me a PIC" }
    terms { id: "selfie" phrase: "selfie" }
  }
  rules {
    id: "a"
    action: ACTION_REVIEW
    match { term_list: "pics" }
  }
  rules {
    id: "b"
    action: ACTION_BLOCK
    fields: [ "username", "bio" ]
    match {
      all {
        exprs { term { phrase: "selfie" } }
        exprs { none { exprs { term { regex: "art\\s+class" } } } }
      }
    }
  }
)pb";

TEST(LowerTest, NormalizesPhrasesAndSharesPatterns) {
  auto rep = LowerRuleset(ParseRuleset(kRuleset));
  ASSERT_TRUE(rep.ok()) << rep.status();
  // "selfie" appears in the list and inline: one pattern, two TermRefs.
  ASSERT_EQ((*rep)->patterns.size(), 3u);
  EXPECT_EQ((*rep)->patterns[0].text, "send me a pic");
  EXPECT_EQ((*rep)->patterns[0].base_text, "send me a pic");
  EXPECT_THAT((*rep)->patterns[0].forms[kJoinedSlot], ElementsAre("sendmeapic"));
  EXPECT_EQ((*rep)->patterns[1].text, "selfie");
  EXPECT_EQ((*rep)->patterns[1].base_text, "selfie");
  EXPECT_THAT((*rep)->patterns[1].forms[kJoinedSlot], ElementsAre());
  EXPECT_EQ((*rep)->patterns[2].kind, Pattern::Kind::kRegex);
  EXPECT_EQ((*rep)->term_refs.size(), 4u);
  EXPECT_EQ((*rep)->term_refs[0].id, "Send  me a PIC");
  EXPECT_EQ((*rep)->term_refs[0].term_list, "pics");
  EXPECT_EQ((*rep)->term_refs[1].id, "selfie");
}

TEST(LowerTest, PositiveTermsExcludeNoneBranches) {
  auto rep = LowerRuleset(ParseRuleset(kRuleset));
  ASSERT_TRUE(rep.ok()) << rep.status();
  const CompiledRule& b = (*rep)->rules[1];
  ASSERT_EQ(b.positive_terms.size(), 1u);
  EXPECT_EQ((*rep)->term_refs[b.positive_terms[0]].pattern, 1u);
  // The regex only vetoes; no rule is triggered by it.
  EXPECT_THAT((*rep)->rules_by_pattern[2], ElementsAre());
  EXPECT_THAT((*rep)->rules_by_pattern[1], ElementsAre(0, 1));
}

TEST(LowerTest, MapsFieldsToIndexesWithBodyDefault) {
  auto rep = LowerRuleset(ParseRuleset(kRuleset));
  ASSERT_TRUE(rep.ok()) << rep.status();
  EXPECT_THAT((*rep)->rules[0].fields, ElementsAre(0));
  EXPECT_EQ((*rep)->field_names[(*rep)->rules[1].fields[0]], "username");
  EXPECT_EQ((*rep)->field_names[(*rep)->rules[1].fields[1]], "bio");
}

TEST(LowerTest, FingerprintFollowsContent) {
  v1::Ruleset ruleset = ParseRuleset(kRuleset);
  std::string before = RulesetFingerprint(ruleset);
  EXPECT_EQ(before.size(), 16u);
  EXPECT_EQ(before, RulesetFingerprint(ParseRuleset(kRuleset)));
  ruleset.mutable_rules(0)->set_action(v1::ACTION_BLOCK);
  EXPECT_NE(before, RulesetFingerprint(ruleset));
}

}  // namespace
}  // namespace watchword
