#include "src/engine/regex_literals.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "re2/re2.h"
#include "src/engine/regex_spans.h"
#include "watchword/compiler.h"
#include "watchword/normalizer.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

constexpr size_t kLimit = 1000;

// The strings alone. Hits are not checked for a word start unless
// `word_starts_checked`: then a string that starts every match wins ties.
std::optional<std::vector<std::string>> Prefilter(
    std::string_view regex, size_t limit = kLimit,
    bool word_starts_checked = false) {
  auto strings = RegexLiteralPrefilter(regex, limit, word_starts_checked);
  if (!strings.has_value()) return std::nullopt;
  std::vector<std::string> texts;
  for (const PrefilterString& s : *strings) texts.push_back(s.text);
  return texts;
}

// The strings that start every match they stand for.
std::vector<std::string> Starting(std::string_view regex) {
  std::vector<std::string> texts;
  auto strings = RegexLiteralPrefilter(regex, kLimit);
  if (!strings.has_value()) return texts;
  for (const PrefilterString& s : *strings) {
    if (s.starts_match) texts.push_back(s.text);
  }
  return texts;
}

TEST(RegexLiteralPrefilterTest, SpellsOutAlternationsOfWords) {
  EXPECT_THAT(Prefilter("(your|ur) (mom|dad)"),
              Optional(ElementsAre("ur dad", "ur mom", "your dad", "your mom")));
  // "pics" holds "pic": a text with it has the other.
  EXPECT_THAT(Prefilter("pics?|pix"), Optional(ElementsAre("pic", "pix")));
  EXPECT_THAT(Prefilter("(?:a|b)(?i)c(?P<x>d)"),
              Optional(ElementsAre("acd", "bcd")));
}

TEST(RegexLiteralPrefilterTest, ReadsClassesEscapesAndCounts) {
  EXPECT_THAT(Prefilter("a[ ./-]?b"),
              Optional(ElementsAre("a b", "a-b", "a.b", "a/b", "ab")));
  EXPECT_THAT(Prefilter("what['’]?s"),
              Optional(ElementsAre("what's", "whats", "what’s")));
  EXPECT_THAT(Prefilter("m[aá]ma"), Optional(ElementsAre("mama", "máma")));
  EXPECT_THAT(Prefilter("x\\.y\\s?z"), Optional(ElementsAre("x.y z", "x.yz")));
  EXPECT_THAT(Prefilter("ab{2}c"), Optional(ElementsAre("abbc")));
  EXPECT_THAT(Prefilter("ab{1,2}?c"), Optional(ElementsAre("abbc", "abc")));
  EXPECT_THAT(Prefilter("[]x]"), Optional(ElementsAre("]", "x")));
}

TEST(RegexLiteralPrefilterTest, FoldsCase) {
  EXPECT_THAT(Prefilter("Free|FRÉE"), Optional(ElementsAre("free", "frée")));
}

TEST(RegexLiteralPrefilterTest, DropsAssertions) {
  EXPECT_THAT(Prefilter("\\bfree\\b"), Optional(ElementsAre("free")));
  EXPECT_THAT(Prefilter("^hi$"), Optional(ElementsAre("hi")));
}

// Found by regex_prefilter_fuzzer: RE2 reads "s(?)?x" as "s?x", so the
// quantifier after a flags group applies to what came before it, and "x"
// alone matches. Reading "s" as required would hide that match.
TEST(RegexLiteralPrefilterTest, LeavesAQuantifiedFlagsGroupUnread) {
  EXPECT_EQ(Prefilter("s(?)?x"), std::nullopt);
  EXPECT_EQ(Prefilter("s(?i)*x"), std::nullopt);
  EXPECT_EQ(Prefilter("s(?i){2}x"), std::nullopt);
  EXPECT_THAT(Prefilter("(?i)sx"), Optional(ElementsAre("sx")));
}

TEST(RegexLiteralPrefilterTest, KeepsTheMostSelectiveRunOfABranch) {
  EXPECT_THAT(Prefilter("\\bi live (at|on) \\d+[a-z]? [a-z]+"),
              Optional(ElementsAre("i live at ", "i live on ")));
  // "$ " holds "$", " bucks" holds "bucks".
  EXPECT_THAT(Prefilter("[$£]\\s?\\d+|\\d+ ?(bucks|quid)"),
              Optional(ElementsAre("$", "bucks", "quid", "£")));
  EXPECT_THAT(Prefilter("call .* right now"), Optional(ElementsAre(" right now")));
  // Unreadable pieces are skipped whole, groups, classes and escapes
  // included.
  EXPECT_THAT(Prefilter("ab\\w(c+|[|)])dxyz|e"),
              Optional(ElementsAre("dxyz", "e")));
  EXPECT_THAT(Prefilter("ab\\Q|(\\Exy|e"), Optional(ElementsAre("ab", "e")));
  EXPECT_THAT(Prefilter("a\\x41bcd"), Optional(ElementsAre("bcd")));
  EXPECT_THAT(Prefilter("a\\x{41}bcd"), Optional(ElementsAre("bcd")));
  EXPECT_THAT(Prefilter("a\\p{Greek}bcd"), Optional(ElementsAre("bcd")));
  EXPECT_THAT(Prefilter("a\\pLbcd"), Optional(ElementsAre("bcd")));
  EXPECT_THAT(Prefilter("a\\101bcd"), Optional(ElementsAre("bcd")));
}

TEST(RegexLiteralPrefilterTest, KeepsTheFewestStringsThatAreRareEnough) {
  // 9+ bytes with a word beyond the common ones: 4 strings, not 12.
  EXPECT_THAT(Prefilter("\\b(send|give) me (your|ur) (pics|photos|nudes)"),
              Optional(ElementsAre("give me ur ", "give me your ",
                                   "send me ur ", "send me your ")));
  EXPECT_THAT(Prefilter("(when|what time) (does|do) (your|you) (school|class)"),
              Optional(ElementsAre(" you class", " you school", " your class",
                                   " your school")));
  EXPECT_THAT(Prefilter("(delete|erase) it (when|once) you (read|see)"),
              Optional(ElementsAre("delete it ", "erase it ")));
  // "when you see" is long enough but common: the whole language is rarer.
  EXPECT_THAT(Prefilter("(when|once) you (read|see) it"),
              Optional(ElementsAre("once you read it", "once you see it",
                                   "when you read it", "when you see it")));
  // Short of rare strings, the longest shortest string: "ur mom".
  EXPECT_THAT(Prefilter("(your|ur) (mom|dad)"),
              Optional(ElementsAre("ur dad", "ur mom", "your dad", "your mom")));
}

TEST(RegexLiteralPrefilterTest, CountsAWordStartAsAByteWhereItIsChecked) {
  // "id " must start a word; " buy" may be anywhere.
  const char* regex = "\\b(id|ill) \\w+ (buy|get)";
  EXPECT_THAT(Prefilter(regex, kLimit, /*word_starts_checked=*/true),
              Optional(ElementsAre("id ", "ill ")));
  EXPECT_THAT(Starting(regex), ElementsAre("id ", "ill "));
  EXPECT_THAT(Prefilter(regex, kLimit, /*word_starts_checked=*/false),
              Optional(ElementsAre(" buy", " get")));
}

TEST(RegexLiteralPrefilterTest, KeepsAStringThatStartsMatchesOverOneInside) {
  // "ur mom" lies inside "your mom" but starts no word there, so a hit
  // of it cannot stand for "your mom" once word starts are checked.
  EXPECT_THAT(Prefilter("\\b(your|ur) mom", kLimit, true),
              Optional(ElementsAre("ur mom", "your mom")));
  EXPECT_THAT(Prefilter("(your|ur) mom", kLimit, true),
              Optional(ElementsAre("ur mom", "your mom")));
  EXPECT_THAT(Prefilter("\\w(your|ur) mom", kLimit, true),
              Optional(ElementsAre("ur mom")));
}

TEST(RegexLiteralPrefilterTest, ReadsBracesThatAreNotRepetitionsAsLiterals) {
  // RE2 reads "{3,x{" as text, so the '|' after it separates branches;
  // skipping to the next '}' as if it were a repetition lost that (found by
  // tests/fuzz/regex_prefilter_fuzzer.cc).
  EXPECT_THAT(Prefilter("ab+ {3,x{|cd}"),
              Optional(ElementsAre(" {3,x{", "cd}")));
  EXPECT_THAT(Prefilter("a{,2}b"), Optional(ElementsAre("a{,2}b")));
  EXPECT_THAT(Prefilter("ab{2,}cd"), Optional(ElementsAre("cd")));
}

TEST(RegexLiteralPrefilterTest, SaysWhichStringsStartEveryMatch) {
  EXPECT_THAT(Starting("\\b(do )?you\\w+"), ElementsAre("do you", "you"));
  EXPECT_THAT(Starting("\\w+ (you|me)"), ElementsAre());
  // "ab" starts the matches of one branch but not of the other.
  EXPECT_THAT(Prefilter("ab\\w|x+ab|cd"), Optional(ElementsAre("ab", "cd")));
  EXPECT_THAT(Starting("ab\\w|x+ab|cd"), ElementsAre("cd"));
}

TEST(RegexLiteralPrefilterTest, GivesUpWithoutANonEmptyRun) {
  EXPECT_EQ(Prefilter(".*"), std::nullopt);
  EXPECT_EQ(Prefilter("a?\\w+b?"), std::nullopt);
  EXPECT_EQ(Prefilter("\\b"), std::nullopt);
  EXPECT_EQ(Prefilter("[^a]"), std::nullopt);
  EXPECT_EQ(Prefilter("x|(a?\\w)"), std::nullopt);
  EXPECT_EQ(Prefilter("(ab)*|x"), std::nullopt);
  EXPECT_EQ(Prefilter("(ab|\\w)+"), std::nullopt);
}

TEST(RegexLiteralPrefilterTest, ReadsPiecesInPartWhereNoRunIsFound) {
  // At least n repeats: n copies, fewer past 100 strings: "\\d{3,}" gives
  // two digits.
  EXPECT_THAT(Prefilter("a?\\d+b?"),
              Optional(ElementsAre("0", "1", "2", "3", "4", "5", "6", "7", "8",
                                   "9")));
  EXPECT_THAT(Prefilter("\\b(\\d{3,}|[a-z]{1,3}\\d{2,})\\b"),
              Optional(::testing::SizeIs(100)));
  EXPECT_THAT(Prefilter("\\w(ab){2,}?\\w"), Optional(ElementsAre("abab")));
  // A group not read whole: what each branch holds.
  EXPECT_THAT(Prefilter("x|(a\\w)"), Optional(ElementsAre("a", "x")));
  EXPECT_THAT(Prefilter("\\w(?:ab\\w|\\d+cd)+"), Optional(ElementsAre("ab", "cd")));
  EXPECT_THAT(Starting("(ab\\w|cd)"), ElementsAre());
  // A run is still preferred, even a shorter one.
  EXPECT_THAT(Prefilter("ab{2,}cd"), Optional(ElementsAre("cd")));
}

TEST(RegexLiteralPrefilterTest, RespectsTheLimit) {
  // 10 * 10 * 10 strings.
  const std::string regex = "\\d\\d\\d";
  EXPECT_THAT(Prefilter(regex, 1000), Optional(::testing::SizeIs(1000)));
  // Over the limit, a run that fits is kept.
  EXPECT_THAT(Prefilter(regex, 999), Optional(::testing::SizeIs(100)));
  EXPECT_THAT(Prefilter("(a|b|c)(d|e)", 5),
              Optional(ElementsAre("a", "b", "c")));
  EXPECT_EQ(Prefilter("(a|b|c|d|e|f)", 5), std::nullopt);
}

TEST(RegexWordPairsTest, PairsTheWordsSideBySide) {
  EXPECT_THAT(RegexWordPairs("(hear|see) (you|u)", 256),
              Optional(ElementsAre("hear u", "hear you", "see u", "see you")));
  // A word spelled across pieces is one word: "pics me".
  EXPECT_THAT(RegexWordPairs("pic(s)? me", 256),
              Optional(ElementsAre("pic me", "pics me")));
}

TEST(RegexWordPairsTest, ReadsRegexesOfMoreStringsThanTheLimit) {
  // 4 * 4 * 4 * 4 * 4 = 1,024 strings; their pairs are 4 * 4 * 4 = 64.
  const std::string regex =
      "\\b(a|b|c|d) (e|f|g|h) (i|j|k|l) (m|n|o|p) (q|r|s|t)";
  // Spelled out, the strings outgrow the limit: the prefilter keeps a run.
  EXPECT_LT(RegexLiteralPrefilter(regex, 256)->size(), 1024u);
  auto pairs = RegexWordPairs(regex, 256);
  ASSERT_TRUE(pairs.has_value());
  EXPECT_EQ(pairs->size(), 64u);
  for (const char* pair : {"a e", "d h", "e i", "h l", "i m", "p t"}) {
    EXPECT_NE(std::find(pairs->begin(), pairs->end(), pair), pairs->end())
        << pair;
  }
  // Words apart are no pair.
  EXPECT_EQ(std::find(pairs->begin(), pairs->end(), "a i"), pairs->end());
  EXPECT_THAT(RegexWordPairs(
                  "(you cant|you cannot|never) (ever )?(tell|say|show)", 256),
              Optional(::testing::Contains("cant tell")));
}

TEST(RegexLiteralPrefilterTest, SurvivesMalformedInput) {
  for (std::string_view regex :
       {"(", ")", "[", "[a", "a{", "a{1", "a{9}", "a{2,1}", "\\", "(?", "(?P<",
        "a|", "|", "((((a", "\xff", "[\xff]", "[a-\\d]"}) {
    (void)Prefilter(regex);  // Only that it returns.
  }
}

// Random regexes from a grammar the reader knows in part, each with a
// string it matches: every such string must contain a prefilter string, or
// there must be no prefilter.
class RandomRegex {
 public:
  explicit RandomRegex(uint32_t seed) : rng_(seed) {}

  // Appends a regex to *regex and a string it fully matches to *text.
  void Alternation(int depth, std::string* regex, std::string* text) {
    const int branches = depth > 2 ? 1 : Pick(3) + 1;
    const int chosen = Pick(branches);
    for (int b = 0; b < branches; ++b) {
      if (b > 0) *regex += '|';
      std::string sample;
      Concatenation(depth, regex, &sample);
      if (b == chosen) *text += sample;
    }
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  void Concatenation(int depth, std::string* regex, std::string* text) {
    const int pieces = Pick(4) + 1;
    for (int p = 0; p < pieces; ++p) Piece(depth, regex, text);
  }

  void Piece(int depth, std::string* regex, std::string* text) {
    std::string atom_regex;
    auto atom_sample = [&]() {
      std::string sample;
      Atom(depth, &atom_regex, &sample);
      return sample;
    };
    std::string first = atom_sample();
    switch (Pick(6)) {
      case 0:  // ?
        *regex += atom_regex + "?";
        if (Pick(2)) *text += first;
        return;
      case 1:  // + : repeats of the first sample are still a match.
        *regex += atom_regex + "+";
        *text += first;
        if (Pick(2)) *text += first;
        return;
      case 2:  // {1,2}
        *regex += atom_regex + "{1,2}";
        *text += first;
        if (Pick(2)) *text += first;
        return;
      default:
        *regex += atom_regex;
        *text += first;
    }
  }

  void Atom(int depth, std::string* regex, std::string* text) {
    static const char* kLetters[] = {"a", "b", "c", "é", "’", " "};
    switch (depth < 3 ? Pick(8) : Pick(5)) {
      case 0:
        *regex += "\\d";
        *text += static_cast<char>('0' + Pick(10));
        return;
      case 1:
        *regex += "[ab.é]";
        *text += std::string(1, "ab."[Pick(3)]);
        return;
      case 2:
        *regex += "\\b";
        return;  // Text may not satisfy it; RE2 check below skips those.
      case 3:
        *regex += "\\w";
        *text += 'x';
        return;
      case 4: {
        const char* letter = kLetters[Pick(6)];
        *regex += letter;
        *text += letter;
        return;
      }
      default:
        *regex += Pick(2) ? "(" : "(?:";
        Alternation(depth + 1, regex, text);
        *regex += ")";
    }
  }

  std::mt19937 rng_;
};

TEST(RegexLiteralPrefilterTest, EveryMatchContainsAPrefilterString) {
  RandomRegex random(20261128);
  int checked = 0;
  for (int iter = 0; iter < 10000; ++iter) {
    std::string regex;
    std::string text;
    random.Alternation(0, &regex, &text);
    auto re = CompileRegex(regex);
    ASSERT_TRUE(re.ok()) << regex;
    if (!RE2::FullMatch(text, **re)) continue;  // A \b the sample broke.
    const auto prefilter = RegexLiteralPrefilter(regex, 200);
    if (!prefilter.has_value()) continue;
    ++checked;
    const bool covered = std::any_of(
        prefilter->begin(), prefilter->end(), [&](const PrefilterString& p) {
          return p.starts_match ? text.rfind(p.text, 0) == 0
                                : text.find(p.text) != text.npos;
        });
    ASSERT_TRUE(covered) << "regex " << regex << " matches \"" << text
                         << "\" but holds no prefilter string";
  }
  EXPECT_GT(checked, 1000);  // The generator must exercise the reader.
}

// The bundled rulesets: every RE2 match in their own examples contains a
// prefilter string.
TEST(RegexLiteralPrefilterTest, CoversTheBundledRulesetsExamples) {
  auto ruleset = LoadRuleset(std::string(WATCHWORD_SOURCE_DIR) +
                             "/rulesets/child_safety");
  ASSERT_TRUE(ruleset.ok()) << ruleset.status();
  std::vector<std::string> regexes;
  std::vector<std::string> texts;
  auto add_terms = [&](const auto& terms) {
    for (const auto& term : terms) {
      if (!term.regex().empty()) regexes.push_back(term.regex());
    }
  };
  for (const auto& list : ruleset->term_lists()) add_terms(list.terms());
  for (const auto& rule : ruleset->rules()) {
    for (const auto* examples : {&rule.should_match(), &rule.should_not_match()}) {
      for (const auto& example : *examples) {
        NormalizedText normalized;
        Normalize(example.text(), &normalized);
        texts.push_back(normalized.text);
      }
    }
  }
  ASSERT_GT(regexes.size(), 50u);
  ASSERT_GT(texts.size(), 300u);
  int expanded = 0;
  int matches = 0;
  for (const std::string& regex : regexes) {
    const auto prefilter = RegexLiteralPrefilter(regex, 5000);
    if (!prefilter.has_value()) continue;
    ++expanded;
    auto re = CompileRegex(regex);
    ASSERT_TRUE(re.ok()) << regex;
    for (const std::string& text : texts) {
      std::vector<PatternHit> hits;
      AppendRegexSpans(**re, 0, text, &hits);
      for (const PatternHit& hit : hits) {
        ++matches;
        const std::string_view found(text.data() + hit.begin,
                                     hit.end - hit.begin);
        const bool covered = std::any_of(
            prefilter->begin(), prefilter->end(),
            [&](const PrefilterString& p) {
              return p.starts_match ? found.substr(0, p.text.size()) == p.text
                                    : found.find(p.text) != found.npos;
            });
        ASSERT_TRUE(covered) << "regex " << regex << " found \"" << found
                             << "\" in \"" << text << "\"";
      }
    }
  }
  // Not a vacuous pass: most of the ruleset's regexes have strings to look
  // for (the rest stay regexes), and the examples exercise them. Ratios, so
  // that moving regexes to phrases does not break this test.
  EXPECT_GE(expanded * 10, static_cast<int>(regexes.size()) * 9)
      << expanded << " of " << regexes.size();
  EXPECT_GT(matches, 200);
}

}  // namespace
}  // namespace watchword
