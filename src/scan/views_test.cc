// MatchedViews(): which views exist for which text, how they map back to
// the original bytes, and that they hold every match a Scanner reports.
#include "watchword/views.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/scan/view_sequence.h"
#include "tests/testing/test_util.h"
#include "watchword/compiler.h"
#include "watchword/normalizer.h"
#include "watchword/scanner.h"

namespace watchword {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::watchword::testing::ParseRuleset;
using ::watchword::testing::StatusIs;

constexpr char kRuleset[] = R"pb(
  name: "views" version: "1"
  normalization { equivalences { words: "you" words: "u" } }
  term_lists { id: "send" terms { phrase: "send" } terms { phrase: "send you" } }
  term_lists { id: "pic" terms { phrase: "pic" } }
  rules { id: "send" action: ACTION_REVIEW category: "c.send"
          match { term_list: "send" } }
  rules { id: "pic" action: ACTION_REVIEW category: "c.pic"
          match { term_list: "pic" } }
  rules { id: "number" action: ACTION_LOG category: "c.number"
          match { term { regex: "[0-9]{3}-[0-9]{4}" } } }
)pb";

std::shared_ptr<const Engine> SmallEngine() {
  static const auto* engine = [] {
    auto compiled = Compile(ParseRuleset(kRuleset));
    EXPECT_TRUE(compiled.ok()) << compiled.status();
    return new std::shared_ptr<const Engine>(*compiled);
  }();
  return *engine;
}

std::vector<View> ViewsOf(const std::string& text) {
  auto views = MatchedViews(*SmallEngine(), text);
  EXPECT_TRUE(views.ok()) << views.status();
  return views.ok() ? *views : std::vector<View>{};
}

std::vector<std::string> Names(const std::vector<View>& views) {
  std::vector<std::string> names;
  for (const View& v : views) names.push_back(v.name);
  return names;
}

const View* Find(const std::vector<View>& views, const std::string& name) {
  for (const View& v : views) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// The original bytes that view bytes [b, e) map to, as "begin..end".
std::string SpanOf(const View& view, size_t b, size_t e) {
  if (b >= e || e > view.text.size()) return "not in the view";
  uint32_t ob, oe;
  view.OriginalSpan(b, e, &ob, &oe);
  return std::to_string(ob) + ".." + std::to_string(oe);
}

// The union of the folds of view bytes [b, e).
uint16_t FoldBits(const View& view, size_t b, size_t e) {
  uint16_t bits = 0;
  for (size_t i = b; i < e; ++i) bits |= view.fold_bits[i];
  return bits;
}

TEST(MatchedViewsTest, PlainTextHasOnlyBaseAndFoldedViews) {
  std::vector<View> views = ViewsOf("Hello there");
  EXPECT_THAT(Names(views), ElementsAre("base", "folded"));
  EXPECT_EQ(views[0].text, "hello there");
  EXPECT_EQ(views[1].text, "hello there");
  for (const View& v : views) {
    EXPECT_FALSE(v.alternate_leet);
    EXPECT_EQ(v.begin.size(), v.text.size());
    EXPECT_EQ(v.end.size(), v.text.size());
    EXPECT_EQ(v.fold_bits.size(), v.text.size());
    EXPECT_EQ(FoldBits(v, 0, v.text.size()), 0);
  }
}

TEST(MatchedViewsTest, BaseViewIsNormalize) {
  const std::string text = "S\xE2\x80\x8B" "END  me Pîc";  // Zero-width space.
  NormalizedText normalized;
  Normalize(text, &normalized);
  std::vector<View> views = ViewsOf(text);
  ASSERT_FALSE(views.empty());
  EXPECT_EQ(views[0].name, "base");
  EXPECT_EQ(views[0].text, normalized.text);
  EXPECT_EQ(views[0].begin, normalized.begin);
  EXPECT_EQ(views[0].end, normalized.end);
}

TEST(MatchedViewsTest, SpacedLettersMakeAJoinedView) {
  std::vector<View> views = ViewsOf("s e n d");
  EXPECT_THAT(Names(views), ElementsAre("base", "folded", "joined"));
  const View* joined = Find(views, "joined");
  ASSERT_NE(joined, nullptr);
  size_t at = joined->text.find("send");
  ASSERT_NE(at, std::string::npos) << joined->text;
  EXPECT_EQ(SpanOf(*joined, at, at + 4), "0..7");
  EXPECT_THAT(joined->Folds(at), Contains(v1::FOLD_SPACING));
  // A joined letter takes the separator after it.
  EXPECT_EQ(SpanOf(*joined, at + 2, at + 3), "4..6");
}

// A word of 9 letters or more is matched without spaces too, in a joined
// view of the folded view. The letters are found 16, 8 and 1 at a time:
// the word is found at every offset and length, and no shorter one is.
TEST(MatchedViewsTest, ALongWordMakesAJoinedViewWhereverItIs) {
  std::mt19937 random(7);
  int joined = 0;
  for (int round = 0; round < 1500; ++round) {
    // Words of 2 to 12 letters, no letter twice in a row (no squeezed
    // view), between separators that join nothing.
    std::string text;
    size_t longest = 0;
    for (int w = random() % 12; w >= 0; --w) {
      if (!text.empty()) text += ",. -"[random() % 4];
      const size_t length = 2 + random() % (round % 2 ? 8 : 11);
      longest = std::max(longest, length);
      char last = 0;
      for (size_t k = 0; k < length; ++k) {
        char c;
        do {
          c = "bcdfghkmnrstvwz"[random() % 15];
        } while (c == last);
        text += (random() % 4 ? c : static_cast<char>(c - 'a' + 'A'));
        last = c;
      }
    }
    const std::vector<std::string> names = Names(ViewsOf(text));
    const bool has_joined =
        std::find(names.begin(), names.end(), "joined") != names.end();
    ASSERT_EQ(has_joined, longest >= 9) << text;
    joined += has_joined;
  }
  EXPECT_GT(joined, 300);
  EXPECT_LT(joined, 1200);
}

TEST(MatchedViewsTest, StretchedLettersMakeASqueezedView) {
  std::vector<View> views = ViewsOf("sennnd it");
  EXPECT_THAT(Names(views), ElementsAre("base", "folded", "squeezed"));
  const View& squeezed = views[2];
  EXPECT_EQ(squeezed.text, "send it");
  EXPECT_EQ(SpanOf(squeezed, 0, 4), "0..6");
  EXPECT_EQ(SpanOf(squeezed, 2, 3), "2..5");  // "n" is all of "nnn".
  EXPECT_THAT(squeezed.Folds(2), ElementsAre(v1::FOLD_REPEAT));
  EXPECT_THAT(squeezed.Folds(0), IsEmpty());
}

TEST(MatchedViewsTest, StretchedSpacedLettersMakeSqueezedJoinedViews) {
  std::vector<View> views = ViewsOf("s.e.n.dddd");
  EXPECT_THAT(Names(views),
              ElementsAre("base", "folded", "joined", "squeezed_joined",
                          "squeezed", "squeezed_rejoined"));
  const View* rejoined = Find(views, "squeezed_rejoined");
  ASSERT_NE(rejoined, nullptr);
  EXPECT_EQ(rejoined->text, "send");
  EXPECT_EQ(SpanOf(*rejoined, 0, 4), "0..10");
  EXPECT_THAT(rejoined->Folds(3),
              ElementsAre(v1::FOLD_REPEAT, v1::FOLD_SPACING));
}

// Words dotted within and spaced between, one stretched into the next
// ("d.o.n.tttt t-e-l-l"): squeezed as one run, "donttel" is "dontel"; the
// run kept in words keeps "dont tel" too. Spaced-out letters with no such
// gaps ("s e n dddd p i c") are one run, read once.
TEST(MatchedViewsTest, StretchedWordsDottedWithinAreSqueezedAsWordsToo) {
  std::vector<std::string> rejoined;
  for (const View& v : ViewsOf("d.o.n.tttt t-e-l-l y.o.u")) {
    if (v.name == "squeezed_rejoined") rejoined.push_back(v.text);
  }
  EXPECT_THAT(rejoined, ElementsAre("dontelyou", "dont tel you"));
  rejoined.clear();
  for (const View& v : ViewsOf("s.e.e.e.n.d p.i.c")) {
    if (v.name == "squeezed_rejoined") rejoined.push_back(v.text);
  }
  EXPECT_THAT(rejoined, IsEmpty());
  rejoined.clear();
  for (const View& v : ViewsOf("s e n dddd p i c")) {
    if (v.name == "squeezed_rejoined") rejoined.push_back(v.text);
  }
  EXPECT_THAT(rejoined, ElementsAre("sendpic"));
}

// Digits in a stretched dotted run are also a number ("n.u.m.b.e.r
// 5.5.5" keeps "555", where squeezed as letters it is "s"); a run with no
// digit is read only as letters (and in words, for its gaps).
TEST(MatchedViewsTest, StretchedRunsWithDigitsAreSqueezedAsANumberToo) {
  std::vector<std::string> rejoined;
  for (const View& v : ViewsOf("m.yyyy n.u.m.b.e.r 5.5.5 0.1")) {
    if (v.name == "squeezed_rejoined") rejoined.push_back(v.text);
  }
  EXPECT_THAT(rejoined, Contains("mynumber55501"));
  rejoined.clear();
  for (const View& v : ViewsOf("m.yyyy n.u.m.b.e.r")) {
    if (v.name == "squeezed_rejoined") rejoined.push_back(v.text);
  }
  EXPECT_THAT(rejoined, ElementsAre("mynumber", "my number"));
}

// The run in "s e e e n d" forms only once the letters are joined; ASCII
// text, which takes a fast path, must find it as other text does.
TEST(MatchedViewsTest, RunsThatFormWhenJoinedAreSqueezedInAnyText) {
  for (std::string text : {"s e e e n d now", "s e e e n d now \xC3\xA9"}) {
    SCOPED_TRACE(text);
    std::vector<View> views = ViewsOf(text);
    const View* squeezed = Find(views, "squeezed_joined");
    ASSERT_NE(squeezed, nullptr) << ::testing::PrintToString(Names(views));
    EXPECT_EQ(squeezed->text.substr(0, 4), "send");
    EXPECT_EQ(SpanOf(*squeezed, 0, 4), "0..11");
    Scanner scanner(SmallEngine());
    v1::Verdict verdict;
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
    ASSERT_EQ(verdict.rule_matches_size(), 1);
    EXPECT_EQ(verdict.rule_matches(0).rule_id(), "send");
    EXPECT_THAT(verdict.rule_matches(0).folds(),
                ElementsAre(v1::FOLD_REPEAT, v1::FOLD_SPACING));
  }
}

TEST(MatchedViewsTest, MasksMakeAMaskedView) {
  std::vector<View> views = ViewsOf("send the p*c");
  EXPECT_THAT(Names(views), ElementsAre("base", "folded", "masked"));
  const View& masked = views[2];
  EXPECT_EQ(masked.text, "send the p*c");
  EXPECT_THAT(masked.Folds(10), ElementsAre(v1::FOLD_MASK));
  EXPECT_THAT(masked.Folds(9), IsEmpty());
  EXPECT_EQ(SpanOf(masked, 9, 12), "9..12");
  // Stretched and masked: the masked squeezed view.
  EXPECT_THAT(Names(ViewsOf("p**cccc")),
              ElementsAre("base", "folded", "masked", "squeezed",
                          "masked_squeezed"));
  // A star that masks nothing makes no view.
  EXPECT_THAT(Names(ViewsOf("send * now")), ElementsAre("base", "folded"));
}

TEST(MatchedViewsTest, SeparatorsInsideWordsLeaveMaskedAndSpacedWordsWhole) {
  // An emoji beside a mask: the word made whole is masked.
  std::vector<View> views = ViewsOf("the p\U0001FAB3*c");
  std::vector<std::string> texts;
  for (const View& v : views) texts.push_back(v.name + ": " + v.text);
  EXPECT_THAT(texts, Contains("masked: the p*c"));
  // An emoji inside a dotted word: made whole, then joined.
  views = ViewsOf("the s\U0001F94D.e.n.d");
  texts.clear();
  for (const View& v : views) texts.push_back(v.name + ": " + v.text);
  EXPECT_THAT(texts, Contains("joined: the send"));
  Scanner scanner(SmallEngine());
  v1::Verdict verdict;
  for (std::string text : {"the p\U0001FAB3*c", "the s\U0001F94D.e.n.d"}) {
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
    EXPECT_EQ(verdict.rule_matches_size(), 1) << text;
  }
}

TEST(MatchedViewsTest, MasksAmongSpacedLettersMakeAMaskedJoinedView) {
  std::vector<View> views = ViewsOf("s * n d u the p.*.c");
  ASSERT_THAT(Names(views), ElementsAre("base", "folded", "masked_joined",
                                        "joined"));
  const View& masked = views[2];
  // Split into the words of the terms ("send", "you" and its "u", "pic");
  // "the" is no term word, and stays whole.
  EXPECT_EQ(masked.text, "s*nd u the p*c");
  EXPECT_THAT(masked.Folds(1), ElementsAre(v1::FOLD_SPACING, v1::FOLD_MASK));
  EXPECT_EQ(SpanOf(masked, 0, 4), "0..7");
  Scanner scanner(SmallEngine());
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan("s * n d u the p.*.c", &verdict).ok());
  std::vector<std::string> rules;
  for (const v1::RuleMatch& m : verdict.rule_matches()) {
    rules.push_back(m.rule_id());
    EXPECT_THAT(m.matches(0).folds(),
                ElementsAre(v1::FOLD_SPACING, v1::FOLD_MASK));
  }
  EXPECT_THAT(rules, ElementsAre("send", "pic"));
  // Near misses: another letter where the mask is not, a mask for most of
  // the word, stars that rate or multiply.
  for (const char* text : {"s * n t u", "p * x", "p . * . * . c", "* * * c",
                           "rate it 5 * * * * *", "2 * 3 = 6", "i * j * k"}) {
    SCOPED_TRACE(text);
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
    EXPECT_EQ(verdict.rule_matches_size(), 0);
  }
  EXPECT_THAT(Names(ViewsOf("rate it 5 * * * * *")),
              ElementsAre("base", "folded"));
}

TEST(MatchedViewsTest, ReportsFoldsOfLeetspeakHomoglyphsAndChatSpeak) {
  std::vector<View> views = ViewsOf("s3nd u");
  const View& folded = views[1];
  EXPECT_EQ(folded.text, "send you");
  EXPECT_THAT(folded.Folds(1), ElementsAre(v1::FOLD_LEETSPEAK));
  EXPECT_THAT(folded.Folds(0), IsEmpty());
  // "you" is all of "u".
  EXPECT_EQ(SpanOf(folded, 5, 8), "5..6");
  EXPECT_THAT(folded.Folds(6), Contains(v1::FOLD_CHAT_SPEAK));

  // Cyrillic "ѕ" and "е" (2 bytes each) in "ѕеnd".
  views = ViewsOf("\xD1\x95\xD0\xB5nd");
  EXPECT_EQ(views[1].text, "send");
  EXPECT_EQ(SpanOf(views[1], 0, 4), "0..6");
  EXPECT_EQ(SpanOf(views[1], 1, 2), "2..4");
  EXPECT_THAT(views[1].Folds(1), ElementsAre(v1::FOLD_HOMOGLYPH));
}

TEST(MatchedViewsTest, AmbiguousStandInsMakeAlternateViews) {
  // "1" is "i" first and "l" in the alternate view; each reading takes the
  // term word a word spells, so "p1c" is "pic" in both.
  std::vector<View> views = ViewsOf("p1c 1ove");
  EXPECT_THAT(Names(views),
              ElementsAre("base", "folded", "alternate_folded"));
  EXPECT_EQ(views[1].text, "pic iove");
  EXPECT_EQ(views[2].text, "pic love");
  EXPECT_TRUE(views[2].alternate_leet);
}

TEST(MatchedViewsTest, RejectsWhatTheScannerRejects) {
  ScanOptions options;
  options.max_field_bytes = 4;
  const std::string text = "send it";
  auto views = MatchedViews(*SmallEngine(), text, options);
  EXPECT_THAT(views.status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has 7 bytes; limit is 4")));
  Scanner scanner(SmallEngine(), options);
  v1::Verdict verdict;
  EXPECT_EQ(scanner.Scan(text, &verdict), views.status());
  EXPECT_TRUE(MatchedViews(*SmallEngine(), "send", options).ok());
}

TEST(MatchedViewsTest, ViewKindNamesAreDistinct) {
  std::vector<std::string> names;
  for (ViewKind kind :
       {ViewKind::kBase, ViewKind::kFolded, ViewKind::kMasked,
        ViewKind::kMaskedJoined, ViewKind::kJoined, ViewKind::kSqueezedJoined,
        ViewKind::kSqueezed, ViewKind::kMaskedSqueezed,
        ViewKind::kSqueezedRejoined}) {
    names.push_back(ViewKindName(kind));
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
}

// One rule per phrase, so that every term found is reported.
constexpr char kPhrases[] = R"pb(
  name: "phrases" version: "1"
  normalization { equivalences { words: "you" words: "u" words: "ya" }
                  equivalences { words: "your" words: "ur" } }
  rules { id: "send" action: ACTION_LOG category: "c" match { term { phrase: "send" } } }
  rules { id: "send-pics" action: ACTION_LOG category: "c" match { term { phrase: "send pics" } } }
  rules { id: "pic" action: ACTION_LOG category: "c" match { term { phrase: "pic" } } }
  rules { id: "nudes" action: ACTION_LOG category: "c" match { term { phrase: "nudes" } } }
  rules { id: "snap" action: ACTION_LOG category: "c" match { term { phrase: "snap" } } }
  rules { id: "dont-tell" action: ACTION_LOG category: "c" match { term { phrase: "dont tell" } } }
  rules { id: "secret" action: ACTION_LOG category: "c" match { term { phrase: "our secret" } } }
  rules { id: "your-mom" action: ACTION_LOG category: "c" match { term { phrase: "your mom" } } }
  rules { id: "love-you" action: ACTION_LOG category: "c" match { term { phrase: "love you" } } }
  rules { id: "little" action: ACTION_LOG category: "c" match { term { phrase: "little" } } }
  rules { id: "meet" action: ACTION_LOG category: "c" match { term { phrase: "meet me" } } }
  rules { id: "alone" action: ACTION_LOG category: "c" match { term { phrase: "home alone" } } }
  rules { id: "age" action: ACTION_LOG category: "c" match { term { phrase: "how old" } } }
  rules { id: "number" action: ACTION_LOG category: "c"
          match { term { regex: "[0-9]{3}-[0-9]{4}" } } }
)pb";

// Every match a Scanner reports is a byte range of one of the views
// MatchedViews() returns, with the folds the match names, and a match that
// needed joining, squeezing or masking came from a view made for it.
TEST(MatchedViewsTest, EveryMatchLiesInAView) {
  auto engine = Compile(ParseRuleset(kPhrases));
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::vector<std::string> pieces = {
      "send", "s e n d", "s3nd", "\xD1\x95\xD0\xB5nd", "sennnd", "s.e.n.dddd",
      "p*c", "pic", "p1c", "pics", "nudes", "n00dz", "snap", "sn@p", "dont",
      "d o n t", "tell", "t3ll", "telllll", "ur", "u", "mom", "secret",
      "our", "s#cr#t", "1ove", "|ove", "you", "whats", "your", "age", "how",
      "old", "r", "meet", "me", "alone", "home", "p\xC3\xAE" "c",
      "s\xE2\x80\x8B" "end", "l i t t l e", "lit*leeee", "ca", "m", "!!",
      "555-0100", "aaa", "i", "a", "k", "\xF0\x9F\x98\x80"};
  const std::vector<std::string> separators = {" ", " ", " ", ". ", ", ",
                                               "  ", "\n", ""};
  std::mt19937 random(20261128);
  Scanner scanner(*engine);
  v1::Verdict verdict;
  int matches = 0;
  uint16_t seen_folds = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int words = 1 + static_cast<int>(random() % 10);
    for (int w = 0; w < words; ++w) {
      if (w > 0) text += separators[random() % separators.size()];
      text += pieces[random() % pieces.size()];
    }
    SCOPED_TRACE(text);
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
    auto views = MatchedViews(**engine, text);
    ASSERT_TRUE(views.ok()) << views.status();
    for (const v1::RuleMatch& rule_match : verdict.rule_matches()) {
      for (const v1::Match& match : rule_match.matches()) {
        uint16_t wanted = 0;
        for (int fold : match.folds()) wanted |= 1u << (fold - 1);
        seen_folds |= wanted;
        ++matches;
        // Some view holds the match with its folds, and one such view is
        // made for them: a span of the folded view may carry FOLD_SPACING
        // too, where an emoji beside a mark became a space ("d😀,").
        bool found = false;
        bool made_for_it = false;
        for (const View& view : *views) {
          bool here = false;
          for (size_t b = 0; b < view.text.size() && !here; ++b) {
            if (view.begin[b] != match.begin()) continue;
            for (size_t e = b + 1; e <= view.text.size(); ++e) {
              if (view.end[e - 1] != match.end()) continue;
              if ((FoldBits(view, b, e) & wanted) != wanted) continue;
              here = true;
              break;
            }
          }
          if (!here) continue;
          found = true;
          // The view a match needed must be one made for its fold.
          auto has = [&](v1::Fold fold, const char* name) {
            return !(wanted & (1u << (fold - 1))) ||
                   view.name.find(name) != std::string::npos;
          };
          if (has(v1::FOLD_SPACING, "joined") &&
              has(v1::FOLD_REPEAT, "squeezed") &&
              has(v1::FOLD_MASK, "masked")) {
            made_for_it = true;
            break;
          }
        }
        EXPECT_TRUE(!found || made_for_it)
            << "no view made for the folds of term " << match.term_id();
        EXPECT_TRUE(found) << "rule " << rule_match.rule_id() << " term "
                           << match.term_id() << " at [" << match.begin()
                           << ", " << match.end() << ")";
      }
    }
  }
  // The texts exercise the views, not only the folded one.
  EXPECT_GT(matches, 1000);
  for (v1::Fold fold : {v1::FOLD_LEETSPEAK, v1::FOLD_HOMOGLYPH,
                        v1::FOLD_REPEAT, v1::FOLD_SPACING, v1::FOLD_MASK}) {
    EXPECT_TRUE(seen_folds & (1u << (fold - 1))) << v1::Fold_Name(fold);
  }
}

}  // namespace
}  // namespace watchword
