#include "watchword/normalizer.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "src/normalize/word.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

using Spans = std::vector<std::pair<uint32_t, uint32_t>>;

NormalizedText Norm(const std::string& input) {
  NormalizedText out;
  Normalize(input, &out);
  return out;
}

Spans SpansOf(const NormalizedText& t) {
  Spans spans;
  for (size_t i = 0; i < t.text.size(); ++i) {
    spans.emplace_back(t.begin[i], t.end[i]);
  }
  return spans;
}

// `n` copies of the span [b, e).
Spans Repeat(size_t n, uint32_t b, uint32_t e) { return Spans(n, {b, e}); }

Spans Concat(std::initializer_list<Spans> parts) {
  Spans all;
  for (const Spans& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

std::string Utf8(UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t len = 0;
  U8_APPEND_UNSAFE(buf, len, c);
  return std::string(buf, len);
}

bool IsValidUtf8(const std::string& s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    UChar32 c;
    U8_NEXT(p, i, s.size(), c);
    if (c < 0) return false;
  }
  return true;
}

// Offsets where a decoded unit (a code point or an ill-formed sequence, as
// U8_NEXT consumes it) starts, plus the end of the input.
std::vector<bool> UnitBoundaries(const std::string& s) {
  std::vector<bool> boundary(s.size() + 1, false);
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  for (size_t i = 0; i < s.size();) {
    boundary[i] = true;
    UChar32 c;
    U8_NEXT(p, i, s.size(), c);
  }
  boundary[s.size()] = true;
  return boundary;
}

// The whole-string reference: ICU NFKC_Casefold (ill-formed input becomes
// U+FFFD), then whitespace runs collapsed to one space.
std::string Reference(const std::string& input) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString normalized =
      n->normalize(icu::UnicodeString::fromUTF8(
                       icu::StringPiece(input.data(), input.size())),
                   status);
  std::string utf8;
  normalized.toUTF8String(utf8);
  std::string collapsed;
  const auto* p = reinterpret_cast<const uint8_t*>(utf8.data());
  bool in_space = false;
  for (size_t i = 0; i < utf8.size();) {
    const size_t start = i;
    UChar32 c;
    U8_NEXT(p, i, utf8.size(), c);
    if (u_isUWhiteSpace(c) || (c >= '\t' && c <= '\r')) {
      if (!in_space) collapsed.push_back(' ');
      in_space = true;
    } else {
      collapsed.append(utf8, start, i - start);
      in_space = false;
    }
  }
  return collapsed;
}

// Checks every documented invariant of `out` = Normalize(`input`), and
// idempotence. Returns a description of the first violation, or "".
std::string CheckInvariants(const std::string& input,
                            const NormalizedText& out) {
  if (!IsValidUtf8(out.text)) return "output is not valid UTF-8";
  if (out.begin.size() != out.text.size() ||
      out.end.size() != out.text.size()) {
    return "map size differs from text size";
  }
  const std::vector<bool> boundary = UnitBoundaries(input);
  for (size_t i = 0; i < out.text.size(); ++i) {
    if (out.begin[i] >= out.end[i]) return "empty span at " + std::to_string(i);
    if (out.end[i] > input.size())
      return "span past end at " + std::to_string(i);
    if (i > 0 &&
        (out.begin[i] < out.begin[i - 1] || out.end[i] < out.end[i - 1])) {
      return "map decreases at " + std::to_string(i);
    }
    if (!boundary[out.begin[i]] || !boundary[out.end[i]]) {
      return "span not on a code point boundary at " + std::to_string(i);
    }
  }
  NormalizedText again;
  Normalize(out.text, &again);
  if (again.text != out.text) return "not idempotent";
  return "";
}

TEST(NormalizerTest, EmptyInputGivesEmptyOutput) {
  NormalizedText t = Norm("");
  EXPECT_EQ(t.text, "");
  EXPECT_TRUE(t.begin.empty());
  EXPECT_TRUE(t.end.empty());
}

TEST(NormalizerTest, LowercasesAsciiWithIdentityOffsets) {
  const std::string input = "Call ME at 555-0100!";
  NormalizedText t = Norm(input);
  EXPECT_EQ(t.text, "call me at 555-0100!");
  ASSERT_EQ(t.begin.size(), input.size());
  for (uint32_t i = 0; i < input.size(); ++i) {
    EXPECT_EQ(t.begin[i], i);
    EXPECT_EQ(t.end[i], i + 1);
  }
}

TEST(NormalizerTest, FoldsFullwidthToAscii) {
  // "ＳＥＮＤ": four 3-byte characters.
  NormalizedText t = Norm("\uFF33\uFF25\uFF2E\uFF24");
  EXPECT_EQ(t.text, "send");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 3}, {3, 6}, {6, 9}, {9, 12}}));
}

TEST(NormalizerTest, FoldsSharpSToSsSharingOneSpan) {
  NormalizedText t = Norm("gro\u00DFe");
  EXPECT_EQ(t.text, "grosse");
  EXPECT_EQ(SpansOf(t),
            (Spans{{0, 1}, {1, 2}, {2, 3}, {3, 5}, {3, 5}, {5, 6}}));
}

TEST(NormalizerTest, FoldsCapitalSharpSAndCompatibilityLetters) {
  EXPECT_EQ(Norm("\u1E9E").text, "ss");       // ẞ
  EXPECT_EQ(Norm("\u2126").text, "\u03C9");   // Ohm sign -> ω
  EXPECT_EQ(Norm("\uFB01").text, "fi");       // ﬁ ligature
  EXPECT_EQ(Norm("\U0001D41A").text, "a");    // mathematical bold a
  EXPECT_EQ(Norm("\u2460").text, "1");        // circled digit one
  EXPECT_EQ(Norm("\u0130").text, "i\u0307");  // İ: full folding keeps the dot
}

TEST(NormalizerTest, ComposesCombiningSequence) {
  // e + COMBINING ACUTE -> é, mapped to both code points.
  NormalizedText t = Norm("e\u0301");
  EXPECT_EQ(t.text, "\u00E9");
  EXPECT_EQ(SpansOf(t), Repeat(2, 0, 3));

  // Upper case, and ASCII on both sides.
  t = Norm("xE\u0301y");
  EXPECT_EQ(t.text, "x\u00E9y");
  EXPECT_EQ(SpansOf(t), Concat({{{0, 1}}, Repeat(2, 1, 4), {{4, 5}}}));
}

TEST(NormalizerTest, RemovesZeroWidthSpaceIntoPrecedingSpan) {
  // U+200B has no normalization boundary before it (removing it can let its
  // neighbours compose), so it joins the preceding segment: "s" maps to
  // "s\u200B".
  NormalizedText t = Norm("s\u200Bend");
  EXPECT_EQ(t.text, "send");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 4}, {4, 5}, {5, 6}, {6, 7}}));
}

TEST(NormalizerTest, RemovesZeroWidthJoinerAndLoneIgnorables) {
  NormalizedText t = Norm("a\u200Db");
  EXPECT_EQ(t.text, "ab");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 4}, {4, 5}}));

  // A segment that normalizes to nothing emits nothing.
  t = Norm("\u200B");
  EXPECT_EQ(t.text, "");
  t = Norm("\u200Bhi");
  EXPECT_EQ(t.text, "hi");
  EXPECT_EQ(SpansOf(t), (Spans{{3, 4}, {4, 5}}));
}

TEST(NormalizerTest, RemovesSoftHyphen) {
  NormalizedText t = Norm("gr\u00ADoom");
  EXPECT_EQ(t.text, "groom");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 1}, {1, 4}, {4, 5}, {5, 6}, {6, 7}}));
}

TEST(NormalizerTest, CollapsesWhitespaceRuns) {
  NormalizedText t = Norm("a \t\n b");
  EXPECT_EQ(t.text, "a b");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 1}, {1, 5}, {5, 6}}));
}

TEST(NormalizerTest, CollapsesUnicodeWhitespace) {
  // NBSP, ideographic space, and NEL (which NFKC leaves alone).
  NormalizedText t = Norm("a\u00A0b\u3000\u0085 c");
  EXPECT_EQ(t.text, "a b c");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 1}, {1, 3}, {3, 4}, {4, 10}, {10, 11}}));
}

TEST(NormalizerTest, KeepsOneLeadingAndTrailingSpace) {
  NormalizedText t = Norm("  \u00A0hi\r\n");
  EXPECT_EQ(t.text, " hi ");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 4}, {4, 5}, {5, 6}, {6, 8}}));
}

TEST(NormalizerTest, WhitespaceRunSpansRemovedCharacters) {
  // The zero-width space between two spaces vanishes; the run covers it.
  NormalizedText t = Norm("a \u200B b");
  EXPECT_EQ(t.text, "a b");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 1}, {1, 6}, {6, 7}}));
}

TEST(NormalizerTest, ReplacesLoneContinuationByte) {
  NormalizedText t = Norm("a\x80z");
  EXPECT_EQ(t.text, "a\uFFFDz");
  EXPECT_EQ(SpansOf(t), Concat({{{0, 1}}, Repeat(3, 1, 2), {{2, 3}}}));
}

TEST(NormalizerTest, ReplacesTruncatedSequenceAsOneUnit) {
  // E2 82 is the start of a 3-byte character cut short.
  NormalizedText t = Norm("a\xE2\x82");
  EXPECT_EQ(t.text, "a\uFFFD");
  EXPECT_EQ(SpansOf(t), Concat({{{0, 1}}, Repeat(3, 1, 3)}));

  t = Norm("\xE2\x82z");
  EXPECT_EQ(t.text, "\uFFFDz");
  EXPECT_EQ(SpansOf(t), Concat({Repeat(3, 0, 2), {{2, 3}}}));
}

TEST(NormalizerTest, ReplacesByteFF) {
  NormalizedText t = Norm("\xFF");
  EXPECT_EQ(t.text, "\uFFFD");
  EXPECT_EQ(SpansOf(t), Repeat(3, 0, 1));
}

TEST(NormalizerTest, ReplacesOverlongEncodingBytewise) {
  // C0 AF (an overlong '/') is two ill-formed units, not one.
  NormalizedText t = Norm("\xC0\xAF");
  EXPECT_EQ(t.text, "\uFFFD\uFFFD");
  EXPECT_EQ(SpansOf(t), Concat({Repeat(3, 0, 1), Repeat(3, 1, 2)}));
}

TEST(NormalizerTest, ReplacesEncodedSurrogate) {
  // ED A0 80 would be U+D800; U8_NEXT consumes ED and rejects A0.
  NormalizedText t = Norm("\xED\xA0\x80");
  EXPECT_EQ(t.text, "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(CheckInvariants("\xED\xA0\x80", t), "");
}

TEST(NormalizerTest, KeepsNulBytes) {
  const std::string input("A\0B\0\u00C9", 6);
  NormalizedText t = Norm(input);
  EXPECT_EQ(t.text, std::string("a\0b\0\u00E9", 6));
  EXPECT_EQ(SpansOf(t),
            (Spans{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 6}, {4, 6}}));
}

TEST(NormalizerTest, DropsCombiningMarksPastStreamSafeLimit) {
  // "a" + 100 acutes: the first composes with "a", the next 30 are kept and
  // the rest dropped; the output still maps to every original byte.
  std::string input = "a";
  for (int i = 0; i < 100; ++i) input += "\u0301";
  input += "b";
  std::string expected = "\u00E1";
  for (int i = 0; i < 30; ++i) expected += "\u0301";
  expected += "b";
  NormalizedText t = Norm(input);
  EXPECT_EQ(t.text, expected);
  EXPECT_EQ(SpansOf(t),
            Concat({Repeat(expected.size() - 1, 0, 201), {{201, 202}}}));
  EXPECT_EQ(CheckInvariants(input, t), "");
}

TEST(NormalizerTest, HandlesHugeCombiningRunQuickly) {
  // Alternating combining classes (230, 220) make canonical reordering
  // quadratic without the segment cap; 400 KB took seconds uncapped.
  std::string input = "z";
  for (int i = 0; i < 100000; ++i) input += "\u0301\u0316";
  NormalizedText t = Norm(input);
  EXPECT_EQ(CheckInvariants(input, t), "");
  EXPECT_LT(t.text.size(), 100u);
}

TEST(NormalizerTest, ReplacesPreviousContents) {
  NormalizedText t;
  Normalize("A LONGER MESSAGE", &t);
  Normalize("Hi", &t);
  EXPECT_EQ(t.text, "hi");
  EXPECT_EQ(t.begin.size(), 2u);
  EXPECT_EQ(t.end.size(), 2u);
}

TEST(NormalizerTest, ReusedOutputKeepsItsBuffers) {
  const std::string input =
      "Ｈｅｌｌｏ ÄÖÜ straße \u200B café e\u0301 привет 你好 \xFF end";
  NormalizedText t;
  Normalize(input + input, &t);  // Warm up with a longer input.
  const char* text_data = t.text.data();
  const uint32_t* begin_data = t.begin.data();
  const uint32_t* end_data = t.end.data();
  for (int i = 0; i < 3; ++i) {
    Normalize(input, &t);
    EXPECT_EQ(t.text.data(), text_data);
    EXPECT_EQ(t.begin.data(), begin_data);
    EXPECT_EQ(t.end.data(), end_data);
  }
}

TEST(NormalizerTest, OriginalSpanMapsRangeBack) {
  const std::string input = "Meet \uFF2D\uFF25 after SCHOOL";
  NormalizedText t = Norm(input);
  ASSERT_EQ(t.text, "meet me after school");
  uint32_t ob, oe;
  t.OriginalSpan(5, 7, &ob, &oe);  // "me"
  EXPECT_EQ(input.substr(ob, oe - ob), "\uFF2D\uFF25");
  t.OriginalSpan(14, 20, &ob, &oe);  // "school"
  EXPECT_EQ(input.substr(ob, oe - ob), "SCHOOL");
}

TEST(NormalizerTest, MatchesWholeStringIcuForEveryCodePoint) {
  // Checks the single-code-point shortcut (Changes_When_NFKC_Casefolded)
  // against ICU for all of Unicode, after a letter and alone.
  for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
    if (U_IS_SURROGATE(c)) continue;
    const std::string alone = Utf8(c);
    ASSERT_EQ(Norm(alone).text, Reference(alone)) << "U+" << std::hex << c;
    const std::string after = "x" + alone + "!";
    ASSERT_EQ(Norm(after).text, Reference(after)) << "U+" << std::hex << c;
  }
}

// Code points drawn from ranges where normalization does interesting things.
UChar32 RandomInterestingCodePoint(std::mt19937& rng) {
  static constexpr std::pair<UChar32, UChar32> kRanges[] = {
      {0x20, 0x7E},        // ASCII
      {0x00, 0x20},        // controls and whitespace
      {0xA0, 0x24F},       // Latin-1, Latin Extended
      {0x300, 0x36F},      // combining diacritics
      {0x370, 0x3FF},      // Greek, with U+0345 and friends
      {0x1F00, 0x1FFF},    // Greek extended: case folding meets composition
      {0x400, 0x4FF},      // Cyrillic
      {0x590, 0x6FF},      // Hebrew, Arabic
      {0x900, 0x97F},      // Devanagari (nukta compositions)
      {0x1100, 0x11FF},    // Hangul Jamo
      {0xAC00, 0xD7A3},    // Hangul syllables
      {0x2000, 0x206F},    // spaces, zero-width characters, punctuation
      {0x2100, 0x24FF},    // letterlike, numbers, enclosed
      {0x3000, 0x30FF},    // CJK symbols, kana (voiced marks)
      {0x4E00, 0x4E80},    // CJK ideographs
      {0xF900, 0xFAFF},    // CJK compatibility ideographs
      {0xFB00, 0xFDFF},    // ligatures, Arabic presentation forms
      {0xFE00, 0xFE6F},    // variation selectors, small forms
      {0xFF00, 0xFFEF},    // fullwidth and halfwidth
      {0xFFF0, 0xFFFF},    // specials, U+FFFD, noncharacters
      {0x1D400, 0x1D7FF},  // mathematical alphanumerics
      {0x1F300, 0x1F6FF},  // emoji
      {0xE0000, 0xE007F},  // tags (default ignorable)
      {0x0, 0x10FFFF},     // anything
  };
  const auto& range = kRanges[std::uniform_int_distribution<size_t>(
      0, std::size(kRanges) - 1)(rng)];
  for (;;) {
    const UChar32 c =
        std::uniform_int_distribution<UChar32>(range.first, range.second)(rng);
    if (!U_IS_SURROGATE(c)) return c;
  }
}

TEST(NormalizerTest, RandomBytesKeepInvariants) {
  std::mt19937 rng(20240601);
  NormalizedText out;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string input(std::uniform_int_distribution<int>(0, 40)(rng), '\0');
    // Bias towards bytes that form (and break) UTF-8 sequences.
    for (char& ch : input) {
      const int kind = std::uniform_int_distribution<int>(0, 3)(rng);
      ch = static_cast<char>(
          kind == 0   ? std::uniform_int_distribution<int>(0, 0x7F)(rng)
          : kind == 1 ? std::uniform_int_distribution<int>(0x80, 0xBF)(rng)
                      : std::uniform_int_distribution<int>(0, 0xFF)(rng));
    }
    Normalize(input, &out);
    ASSERT_EQ(CheckInvariants(input, out), "") << "iteration " << iter;
    ASSERT_EQ(out.text, Reference(input)) << "iteration " << iter;
  }
}

TEST(NormalizerTest, RandomMixedScriptTextKeepsInvariants) {
  std::mt19937 rng(7);
  NormalizedText out;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string input;
    const int length = std::uniform_int_distribution<int>(0, 24)(rng);
    for (int k = 0; k < length; ++k)
      input += Utf8(RandomInterestingCodePoint(rng));
    Normalize(input, &out);
    ASSERT_EQ(CheckInvariants(input, out), "") << "iteration " << iter;
    ASSERT_EQ(out.text, Reference(input)) << "iteration " << iter;
  }
}

// ASCII input takes a path of its own; it must give what the general path
// gives. Appending "é" (a starter, so it begins a segment of its own) sends
// the same bytes down the general path.
TEST(NormalizerTest, AsciiFastPathMatchesGeneralPath) {
  std::mt19937 rng(11);
  static constexpr char kAlphabet[] = "aZ \t\n\r\v\f 09.!*#|Xy";
  NormalizedText fast;
  NormalizedText general;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string input(std::uniform_int_distribution<int>(0, 30)(rng), ' ');
    for (char& ch : input) {
      ch = std::uniform_int_distribution<int>(0, 3)(rng) == 0
               ? static_cast<char>(
                     std::uniform_int_distribution<int>(0, 0x7F)(rng))
               : kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
    }
    Normalize(input, &fast);
    ASSERT_EQ(CheckInvariants(input, fast), "") << "iteration " << iter;
    ASSERT_EQ(fast.text, Reference(input)) << "iteration " << iter;
    Normalize(input + "\u00e9", &general);
    ASSERT_EQ(general.text, fast.text + "\u00e9") << "iteration " << iter;
    for (size_t i = 0; i < fast.text.size(); ++i) {
      ASSERT_EQ(general.begin[i], fast.begin[i]) << "iteration " << iter;
      ASSERT_EQ(general.end[i], fast.end[i]) << "iteration " << iter;
    }
  }
}

TEST(NormalizerTest, AsciiFastPathCollapsesMixedWhitespace) {
  const NormalizedText t = Norm("Hi \t\r\n  THERE\f");
  EXPECT_EQ(t.text, "hi there ");
  EXPECT_EQ(SpansOf(t), (Spans{{0, 1}, {1, 2}, {2, 8}, {8, 9}, {9, 10},
                               {10, 11}, {11, 12}, {12, 13}, {13, 14}}));
}

TEST(NormalizerTest, IsThreadSafe) {
  const std::string input = "Ｍｅｅｔ ME\u200B after schoo\u0301l, ok?";
  const std::string expected = Norm(input).text;
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      NormalizedText out;
      for (int i = 0; i < 2000; ++i) {
        Normalize(input, &out);
        if (out.text != expected) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
}

TEST(WordTest, ClassifiesWordCodePoints) {
  for (UChar32 c : {'a', 'Z', '0', '9', '_'})
    EXPECT_TRUE(IsWordCodePoint(c)) << c;
  for (UChar32 c : {' ', '-', '.', '\'', '@', '\0'}) {
    EXPECT_FALSE(IsWordCodePoint(c)) << c;
  }
  EXPECT_TRUE(IsWordCodePoint(0x0436));    // ж
  EXPECT_TRUE(IsWordCodePoint(0x4E2D));    // 中
  EXPECT_TRUE(IsWordCodePoint(0x0663));    // Arabic-Indic digit three
  EXPECT_TRUE(IsWordCodePoint(0x0301));    // combining acute
  EXPECT_TRUE(IsWordCodePoint(0x203F));    // undertie (connector punctuation)
  EXPECT_FALSE(IsWordCodePoint(0x1F600));  // 😀
  EXPECT_FALSE(IsWordCodePoint(0x3000));   // ideographic space
  EXPECT_FALSE(IsWordCodePoint(0xFFFD));
  EXPECT_FALSE(IsWordCodePoint(-1));
}

TEST(WordTest, FindsAsciiWordBoundaries) {
  const std::string text = "hi there!";
  EXPECT_TRUE(IsWordStart(text, 0));
  EXPECT_FALSE(IsWordStart(text, 1));
  EXPECT_TRUE(IsWordStart(text, 3));
  EXPECT_FALSE(IsWordStart(text, 4));
  EXPECT_TRUE(IsWordStart(text, 9));
  EXPECT_TRUE(IsWordEnd(text, 2));
  EXPECT_FALSE(IsWordEnd(text, 1));
  EXPECT_TRUE(IsWordEnd(text, 8));
  EXPECT_TRUE(IsWordEnd(text, 9));
  EXPECT_TRUE(IsWordEnd(text, 0));
  // "here" inside "there" is not whole-word; "there" is.
  EXPECT_FALSE(IsWordStart(text, 4) && IsWordEnd(text, 8));
  EXPECT_TRUE(IsWordStart(text, 3) && IsWordEnd(text, 8));
}

TEST(WordTest, TreatsLettersAndDigitsAsOneWord) {
  const std::string text = "abc123 x";
  EXPECT_FALSE(IsWordEnd(text, 3));
  EXPECT_FALSE(IsWordStart(text, 3));
  EXPECT_TRUE(IsWordEnd(text, 6));
}

TEST(WordTest, FindsCyrillicWordBoundaries) {
  const std::string text = "привет мир";  // 12 bytes, space, 6 bytes.
  EXPECT_TRUE(IsWordStart(text, 0));
  EXPECT_FALSE(IsWordStart(text, 2));
  EXPECT_TRUE(IsWordEnd(text, 12));
  EXPECT_FALSE(IsWordEnd(text, 10));
  EXPECT_TRUE(IsWordStart(text, 13));
  EXPECT_TRUE(IsWordEnd(text, 19));
}

TEST(WordTest, TreatsUnspacedCjkAsOneWord) {
  // No dictionary segmentation: a run of ideographs is a single word.
  const std::string text = "我爱你。好";
  EXPECT_FALSE(IsWordStart(text, 3));
  EXPECT_FALSE(IsWordEnd(text, 6));
  EXPECT_TRUE(IsWordEnd(text, 9));     // before the ideographic full stop
  EXPECT_TRUE(IsWordStart(text, 12));  // after it
}

TEST(WordTest, InlineBoundariesAgreeWithTheFullOnes) {
  // Every ASCII byte, and Cyrillic, CJK, "é" and an emoji beside ASCII.
  std::string ascii;
  for (int c = 1; c < 0x80; ++c) ascii += static_cast<char>(c);
  for (const std::string& text :
       {ascii, std::string("a_b9 Z-x\tq"), std::string("café x мир1 我a 😀b"),
        std::string("é"), std::string("")}) {
    for (size_t pos = 0; pos <= text.size(); ++pos) {
      // Only code point boundaries (word.h's precondition).
      if (pos < text.size() && (text[pos] & 0xC0) == 0x80) continue;
      EXPECT_EQ(IsWordStartInline(text, pos), IsWordStart(text, pos))
          << "start " << pos << " of " << text;
      EXPECT_EQ(IsWordEndInline(text, pos), IsWordEnd(text, pos))
          << "end " << pos << " of " << text;
    }
  }
  for (int c = 0; c < 0x80; ++c) {
    EXPECT_EQ(IsAsciiWordByte(static_cast<uint8_t>(c)), IsWordCodePoint(c))
        << c;
  }
}

TEST(WordTest, FindsWordStarts) {
  std::vector<uint32_t> starts = {99};
  FindWordStarts("  hi, there_you 42!", &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{2, 6, 16}));

  FindWordStarts("мир и дружба", &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{0, 7, 10}));

  FindWordStarts("", &starts);
  EXPECT_TRUE(starts.empty());

  FindWordStarts(" ... ", &starts);
  EXPECT_TRUE(starts.empty());
}

TEST(WordTest, SpacedOutLettersCountAWordForEveryFour) {
  std::vector<uint32_t> starts;
  // Three one-letter words are three words.
  FindWordStarts("r u a kid", &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{0, 2, 4, 6}));
  // "s n e a k o u t t o" is three.
  FindWordStarts("s n e a k o u t t o day", &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{0, 8, 16, 20}));
  FindWordStarts("s.n.e.a.k", &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{0, 8}));
  // A wide gap ends a run.
  FindWordStarts("a b c          d e f", &starts);
  EXPECT_EQ(starts, (std::vector<uint32_t>{0, 2, 4, 15, 17, 19}));
}

TEST(WordTest, ComputesWordIndex) {
  const std::vector<uint32_t> starts = {2, 6, 16};
  EXPECT_EQ(WordIndexAt(starts, 0), -1);
  EXPECT_EQ(WordIndexAt(starts, 2), 0);
  EXPECT_EQ(WordIndexAt(starts, 5), 0);
  EXPECT_EQ(WordIndexAt(starts, 6), 1);
  EXPECT_EQ(WordIndexAt(starts, 100), 2);
  EXPECT_EQ(WordIndexAt({}, 3), -1);
}

}  // namespace
}  // namespace watchword
