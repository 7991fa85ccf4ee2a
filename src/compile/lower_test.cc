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

// A phrase of one word is whole in the joined views, where the folded
// forms find it; its other spellings are not ("tellany1" reads
// "tellanyi"), but short ones would be pieces of too many other words.
TEST(LowerTest, OneWordPhrasesSpellTheirEquivalentsJoined) {
  auto rep = LowerRuleset(ParseRuleset(R"pb(
    name: "t" version: "1"
    normalization {
      equivalences { words: "anyone" words: "any1" }
      equivalences { words: "what" words: "wat" }
    }
    term_lists { id: "l" terms { phrase: "anyone" } terms { phrase: "what" } }
    rules { id: "a" action: ACTION_REVIEW match { term_list: "l" } }
  )pb"));
  ASSERT_TRUE(rep.ok()) << rep.status();
  ASSERT_EQ((*rep)->patterns.size(), 2u);
  EXPECT_THAT((*rep)->patterns[0].forms[kJoinedSlot],
              ElementsAre("anyi"));
  EXPECT_THAT((*rep)->patterns[1].forms[kJoinedSlot], ElementsAre());
}

// Whether the vocabulary reads all of `run` as words typed together.
bool IsRunOfWords(const Vocabulary& vocabulary, std::string_view run) {
  std::vector<uint8_t> reach;
  vocabulary.SegmentRun(run, &reach);
  return (reach[0] & Vocabulary::kWordsAfter) != 0;
}

// A run of words typed together is read by the words of the terms, their
// chat-speak and their stand-in words ("c" for "see"), so that "snap" at
// its start counts in "snapurparentswontc"; no other one-letter word does,
// nor "da" for "the", which would cut "s*ndaf*w" as "s*n da f*w".
TEST(LowerTest, TheVocabularyHasTheStandInWordsOfTermWords) {
  auto rep = LowerRuleset(ParseRuleset(R"pb(
    name: "t" version: "1"
    term_lists {
      id: "l"
      terms { phrase: "snap" }
      terms { phrase: "wont see" }
      terms { phrase: "the" }
    }
    rules { id: "a" action: ACTION_REVIEW match { term_list: "l" } }
  )pb"));
  ASSERT_TRUE(rep.ok()) << rep.status();
  auto words = [&](std::string_view run) {
    return IsRunOfWords((*rep)->vocabulary, run);
  };
  EXPECT_TRUE(words("snapwontc"));
  EXPECT_TRUE(words("snapwontsee"));
  EXPECT_FALSE(words("snapwontd"));
  EXPECT_TRUE(words("snapthe"));
  EXPECT_FALSE(words("snapda"));
}

// The words a regex spells beside another are words of runs typed
// together: of one letter ("t[uú] y yo": "batallayrobux"), and whole where
// a class ends them ("sol[oa] en": "solaencasa"); a letter inside a word
// ("parents?") is not one.
TEST(LowerTest, TheVocabularyHasTheWordsRegexesSpell) {
  auto rep = LowerRuleset(ParseRuleset(R"pb(
    name: "t" version: "1"
    term_lists {
      id: "l"
      terms { regex: "entre (t[uú] y yo|nosotros)" }
      terms { regex: "sol[oa] en casa" }
      terms { regex: "your parents? (know|see)" }
      terms { phrase: "robux" }
    }
    rules { id: "a" action: ACTION_REVIEW match { term_list: "l" } }
  )pb"));
  ASSERT_TRUE(rep.ok()) << rep.status();
  auto words = [&](std::string_view run) {
    return IsRunOfWords((*rep)->vocabulary, run);
  };
  EXPECT_TRUE(words("yorobux"));
  EXPECT_TRUE(words("entreyyo"));
  EXPECT_FALSE(words("robuxs"));
  EXPECT_TRUE(words("solaencasa"));
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

// The shipped chat-speak classes apply to every ruleset; a ruleset's own
// classes win for the words they list, and can replace the shipped ones.
TEST(LowerTest, ShippedChatSpeakClassesUnlessTheRulesetSaysOtherwise) {
  v1::Normalization normalization;
  FoldConfig shipped = BuildFoldConfig(normalization);
  EXPECT_EQ(shipped.equivalences().at("u"), "you");
  EXPECT_EQ(shipped.equivalences().at("ur"), "your");
  EXPECT_EQ(shipped.equivalences().at("pls"), "please");
  EXPECT_FALSE(shipped.equivalences().contains("ya"));  // Spanish "already".

  // "ur" moves to the ruleset's class; the rest of the shipped ones stay,
  // and a shipped class whose word the ruleset folds follows it.
  v1::Equivalence* own = normalization.add_equivalences();
  own->add_words("youre");
  own->add_words("ur");
  v1::Equivalence* you = normalization.add_equivalences();
  you->add_words("ya");
  you->add_words("you");
  FoldConfig mixed = BuildFoldConfig(normalization);
  EXPECT_EQ(mixed.equivalences().at("ur"), "youre");
  EXPECT_EQ(mixed.equivalences().at("yr"), "your");
  EXPECT_EQ(mixed.equivalences().at("you"), "ya");
  EXPECT_EQ(mixed.equivalences().at("u"), "ya");
  EXPECT_EQ(mixed.equivalences().at("pls"), "please");

  normalization.set_replace_default_equivalences(true);
  FoldConfig replaced = BuildFoldConfig(normalization);
  EXPECT_EQ(replaced.equivalences().size(), 2u);
  EXPECT_FALSE(replaced.equivalences().contains("pls"));
}

}  // namespace
}  // namespace watchword
