#include "src/compile/regex_forms.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "re2/re2.h"
#include "src/engine/regex_spans.h"

namespace watchword {
namespace {

// The shipped folds, with "you"/"u" and "your"/"ur" as word equivalences.
FoldConfig Config() {
  FoldConfig config;
  config.SetLeet(FoldConfig::DefaultLeet());
  config.SetEquivalences({{"u", "you"}, {"ur", "your"}});
  return config;
}

RegexForms FormsOf(const std::string& regex,
                   const FoldConfig& config = Config()) {
  std::optional<RegexForms> forms = LowerRegexForms(regex, config);
  EXPECT_TRUE(forms.has_value()) << regex;
  return forms.value_or(RegexForms{});
}

bool Matches(const std::string& regex, const std::string& text) {
  RE2 re(regex, RegexOptions());
  EXPECT_TRUE(re.ok()) << regex << ": " << re.error();
  return RE2::PartialMatch(text, re);
}

TEST(RegexFormsTest, FoldsLiteralsAsPhrasesAre) {
  // Diacritics, homoglyphs and case, in literals and in classes.
  EXPECT_EQ(FormsOf("M[aá]ndame")[kFoldedSlot], "m[a]ndame");
  EXPECT_EQ(FormsOf("subí")[kFoldedSlot], "subi");
  EXPECT_EQ(FormsOf("ѕend")[kFoldedSlot], "send");
  // A digit inside a word is leetspeak, as in text ("any1" -> "anyi"); a
  // class of digits stays a class of digits.
  EXPECT_EQ(FormsOf("any1|\\d+ bucks")[kFoldedSlot], "anyi|\\d+ bucks");
}

TEST(RegexFormsTest, WholeWordsGetTheirEquivalents) {
  const RegexForms forms = FormsOf("\\b(your|ur) (mom|dad)");
  EXPECT_EQ(forms[kFoldedSlot], "\\b(your|your) (mom|dad)");
  EXPECT_EQ(forms[kJoinedSlot], "((?:your|ur)|(?:your|ur))(mom|dad)");
  // Beside a group whose alternatives end or start with a space, a word is
  // whole too.
  // Joined, "you" spells its shipped stand-in "ya" too (RunStandIns).
  EXPECT_EQ(FormsOf("(do |d )?(you|ya) (go|x)")[kJoinedSlot],
            "(do|d)?((?:you|u|ya)|ya)(go|x)");
  EXPECT_EQ(FormsOf("what (is )?ur (name|age)")[kFoldedSlot],
            "what (is )?your (name|age)");
  EXPECT_EQ(FormsOf("ur( mom| dad)")[kFoldedSlot], "your( mom| dad)");
  EXPECT_EQ(FormsOf("ur( mom|dad)")[kFoldedSlot], "ur( mom|dad)");
  EXPECT_EQ(FormsOf("(x|yo)?ur mom")[kFoldedSlot], "(x|yo)?ur mom");
  // "ur" inside a word is not the word "ur".
  EXPECT_EQ(FormsOf("hono(ur|r)")[kFoldedSlot], "hono(ur|r)");
  EXPECT_EQ(FormsOf("honou?r")[kFoldedSlot], "hono(?:u)?r");
}

// A rule author writes each word once: every form spells the word's class
// as the view it runs on holds it, as a phrase's forms do (lower.cc).
TEST(RegexFormsTest, EveryFormSpellsAWordsClassAsItsViewHoldsIt) {
  const RegexForms forms = FormsOf("\\b(tell|show) your (mom|dad)");
  // The folded and squeezed views hold the canonical word.
  EXPECT_EQ(forms[kFoldedSlot], "\\b(tell|show) your (mom|dad)");
  EXPECT_EQ(forms[kSqueezedSlot], "\\b(tel|show) your (mom|dad)");
  // Joined runs and masked words keep the spelling written.
  EXPECT_EQ(forms[kJoinedSlot], "(tell|show)(?:your|ur)(mom|dad)");
  EXPECT_TRUE(Matches(forms[kJoinedSlot], "tellurmom"));
  EXPECT_TRUE(Matches(forms[kSqueezedJoinedSlot], "telurmom"));
  EXPECT_TRUE(Matches(forms[kMaskedSlot], "tell u* mom"));
  EXPECT_TRUE(Matches(forms[kMaskedSqueezedSlot], "tel u* mom"));
  EXPECT_FALSE(Matches(forms[kJoinedSlot], "tellourmom"));
  // A word written as a member is its class alike.
  EXPECT_EQ(FormsOf("\\bu up")[kJoinedSlot], "(?:you|u|ya)up");
  // Typed together, a word spells its shipped stand-ins: "2" for "to",
  // and "4" for "for" as the fold reads it among letters too.
  EXPECT_TRUE(Matches(FormsOf("switch to discord")[kJoinedSlot],
                      "switch2discord"));
  EXPECT_TRUE(Matches(FormsOf("mature for your age")[kJoinedSlot],
                      "matureayourage"));
}

TEST(RegexFormsTest, ApostrophesBetweenLettersFoldAway) {
  FoldConfig config = Config();
  config.SetEquivalences({{"dnt", "dont"}, {"wats", "whats"}});
  // "don['’]?t" is the word "dont", as "don't" and "don’t" fold.
  for (const std::string regex :
       {"\\bdon['’]?t tell", "\\bdon't tell", "\\bdon’t tell",
        "\\bdon'?t tell"}) {
    const RegexForms forms = FormsOf(regex, config);
    EXPECT_TRUE(Matches(forms[kFoldedSlot], "dont tell")) << regex;
    EXPECT_TRUE(Matches(forms[kJoinedSlot], "dnttell")) << regex;
    EXPECT_TRUE(Matches(forms[kMaskedSlot], "dnt t*ll")) << regex;
    // A folded view keeps an apostrophe before a letter drawn with several
    // symbols ("don'-|-"), in any of its spellings.
    EXPECT_TRUE(Matches(forms[kFoldedSlot], "don’t tell")) << regex;
    EXPECT_TRUE(Matches(forms[kFoldedSlot], "don't tell")) << regex;
    EXPECT_FALSE(Matches(forms[kFoldedSlot], "don t tell")) << regex;
  }
  // "wats" folds to "whats"; "wat's" is the word "whats" too.
  const RegexForms whats = FormsOf("what['’]?s (up|new)", config);
  EXPECT_TRUE(Matches(whats[kFoldedSlot], "whats up"));
  EXPECT_FALSE(Matches(whats[kFoldedSlot], "wats up"));
  EXPECT_TRUE(Matches(whats[kJoinedSlot], "watsup"));
  EXPECT_TRUE(Matches(FormsOf("wat's up", config)[kFoldedSlot], "whats up"));
  // Not between two letters, an apostrophe is not folded away.
  EXPECT_TRUE(Matches(FormsOf("we ['’]?ll", config)[kFoldedSlot], "we 'll"));
}

TEST(RegexFormsTest, SqueezedFormKeepsACanonicalWordAMemberBecame) {
  FoldConfig config = Config();
  config.SetEquivalences({{"tmrw", "tomorrow"}});
  // "tmrwww" squeezes to "tmrw", which folds to "tomorrow", not squeezed.
  const RegexForms forms = FormsOf("see you tomorrow", config);
  EXPECT_EQ(forms[kSqueezedSlot], "se you (?:tomorow|tomorrow)");
  EXPECT_EQ(FormsOf("see you soon", config)[kSqueezedSlot], "se you son");
}

TEST(RegexFormsTest, JoinedFormDropsSpacesBoundariesAndTheirQuantifiers) {
  const RegexForms forms = FormsOf("\\b(meet|mt) ?(up|me)|dont tell");
  EXPECT_EQ(forms[kJoinedSlot], "(meet|mt)(up|me)|donttell");
  EXPECT_TRUE(Matches(forms[kJoinedSlot], "meetup"));
  EXPECT_TRUE(Matches(FormsOf("a[ ./-]?s[ ./-]?l")[kJoinedSlot], "asl"));
}

TEST(RegexFormsTest, SqueezedFormCutsDoubleLetters) {
  const RegexForms forms = FormsOf("\\b(tell|keep) (it|this) secret");
  EXPECT_EQ(forms[kSqueezedSlot], "\\b(tel|kep) (it|this) secret");
  EXPECT_EQ(forms[kSqueezedJoinedSlot], "(tel|kep)(it|this)secret");
}

TEST(RegexFormsTest, MaskedFormLetsMasksStandForLetters) {
  const RegexForms forms = FormsOf("\\b(send|show) me [a-z]+ pics?");
  EXPECT_TRUE(Matches(forms[kMaskedSlot], "s*nd me some p*cs"));
  EXPECT_TRUE(Matches(forms[kMaskedSlot], "show me s*me pic"));
  EXPECT_FALSE(Matches(forms[kMaskedSlot], "s*nd us some pics"));
  EXPECT_TRUE(Matches(forms[kMaskedSqueezedSlot], "s*nd me some p*c"));
}

TEST(RegexFormsTest, FormsMatchWhatTheFoldedViewsHold) {
  const std::string regex =
      "\\b(don['’]?t|dont|do not) (ever )?(tell|say) (your|ur) "
      "(parents?|mom)";
  const RegexForms forms = FormsOf(regex);
  // The folded view of "d0nt 3ver t3ll ur mom": leetspeak and "ur" folded.
  EXPECT_TRUE(Matches(forms[kFoldedSlot], "dont ever tell your mom"));
  EXPECT_TRUE(Matches(forms[kJoinedSlot], "donttellyourparents"));
  EXPECT_TRUE(Matches(forms[kJoinedSlot], "donttellurparents"));
  EXPECT_TRUE(Matches(forms[kSqueezedSlot], "dont tel your mom"));
  EXPECT_FALSE(Matches(forms[kFoldedSlot], "dont ever tell their mom"));
}

TEST(RegexFormsTest, FoldsTurnedOffLeaveTheirFormsEmpty) {
  FoldConfig config = Config();
  config.enabled = kAllFolds & ~(kFoldMask | kFoldSpacing);
  const RegexForms forms = FormsOf("send (pics|nudes)", config);
  EXPECT_EQ(forms[kFoldedSlot], "send (pics|nudes)");
  EXPECT_EQ(forms[kJoinedSlot], "");
  EXPECT_EQ(forms[kSqueezedJoinedSlot], "");
  EXPECT_EQ(forms[kMaskedSlot], "");
  EXPECT_EQ(forms[kSqueezedSlot], "send (pics|nudes)");
}

TEST(RegexFormsTest, LeavesUnknownSyntaxToTheBaseView) {
  EXPECT_FALSE(LowerRegexForms("(?i)send", Config()).has_value());
  EXPECT_FALSE(LowerRegexForms("(?P<x>send)", Config()).has_value());
  EXPECT_FALSE(LowerRegexForms("[[:alpha:]]+", Config()).has_value());
  EXPECT_FALSE(LowerRegexForms("\\Qa.b\\E", Config()).has_value());
  EXPECT_FALSE(LowerRegexForms("[A-Z]+x", Config()).has_value());
}

TEST(RegexFormsTest, NoFormMatchesTheEmptyString) {
  // The joined form of " " would be empty: the regex keeps the base view.
  EXPECT_FALSE(LowerRegexForms("a? ", Config()).has_value());
}

}  // namespace
}  // namespace watchword
