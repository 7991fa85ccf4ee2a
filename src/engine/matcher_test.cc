#include <algorithm>
#include <chrono>
#include <iterator>
#include <random>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/compile/matcher_builder.h"
#include "src/engine/regex_spans.h"
#ifdef WATCHWORD_HAVE_HYPERSCAN
#include <hs/hs.h>
#include "src/engine/hyperscan_matcher.h"
#endif
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::watchword::testing::StatusIs;

using Span = std::tuple<uint32_t, uint32_t, uint32_t>;

Pattern Literal(std::string text) {
  Pattern pattern;
  pattern.text = std::move(text);
  return pattern;
}
Pattern Regex(std::string text) {
  Pattern pattern;
  pattern.kind = Pattern::Kind::kRegex;
  pattern.text = std::move(text);
  pattern.literal_prefilter = true;  // As the compiler sets it for terms.
  return pattern;
}

std::vector<Backend> Backends() {
  std::vector<Backend> backends = {Backend::kRe2};
  if (HasHyperscan()) backends.push_back(Backend::kHyperscan);
  return backends;
}

std::vector<Span> MatchAll(Backend backend, const std::vector<Pattern>& patterns,
                           const std::string& text) {
  auto matcher = BuildMatcher(backend, patterns);
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  if (!matcher.ok()) return {};
  auto scratch = (*matcher)->NewScratch();
  EXPECT_TRUE(scratch.ok()) << scratch.status();
  std::vector<PatternHit> hits;
  absl::Status status = (*matcher)->Match(text, scratch->get(), &hits);
  EXPECT_TRUE(status.ok()) << status;
  std::vector<Span> spans;
  for (const PatternHit& h : hits) spans.emplace_back(h.pattern, h.begin, h.end);
  std::sort(spans.begin(), spans.end());
  return spans;
}

class MatcherTest : public ::testing::TestWithParam<Backend> {};

TEST_P(MatcherTest, ReportsEveryLiteralOccurrenceIncludingOverlaps) {
  EXPECT_THAT(MatchAll(GetParam(), {Literal("aa"), Literal("b")}, "aaab b"),
              ElementsAre(Span{0, 0, 2}, Span{0, 1, 3}, Span{1, 3, 4},
                          Span{1, 5, 6}));
}

TEST_P(MatcherTest, LiteralsAreExactBytesNotRegexSyntax) {
  EXPECT_THAT(MatchAll(GetParam(), {Literal("a.b"), Literal("(x)")},
                       "axb a.b (x)"),
              ElementsAre(Span{0, 4, 7}, Span{1, 8, 11}));
}

TEST_P(MatcherTest, MatchesUtf8Literals) {
  // "привет" is 12 bytes; it starts after "hi " (3 bytes).
  EXPECT_THAT(MatchAll(GetParam(), {Literal("привет")}, "hi привет"),
              ElementsAre(Span{0, 3, 15}));
}

TEST_P(MatcherTest, RegexSpansAreLeftmostLongestNonOverlapping) {
  EXPECT_THAT(MatchAll(GetParam(), {Regex("ab|b+")}, "abbb xbb"),
              ElementsAre(Span{0, 0, 2}, Span{0, 2, 4}, Span{0, 6, 8}));
}

// A substring regex whose longest match is undecided until the text ends:
// each search used to run to the end of the text (quadratic). Spans are
// still every "x", and a real match longer than a window is still whole.
TEST_P(MatcherTest, RegexThatStaysAliveToTheEndStillFindsEveryMatch) {
  Pattern regex = Regex("x[^y]*y|x");
  regex.substring = true;
  std::vector<Span> spans =
      MatchAll(GetParam(), {regex}, std::string(32768, 'x'));
  ASSERT_EQ(spans.size(), 32768u);
  for (uint32_t i = 0; i < spans.size(); ++i) {
    ASSERT_EQ(spans[i], (Span{0, i, i + 1}));
  }
  // A match of up to kMaxRegexMatchBytes is whole wherever windows fall.
  std::string text = std::string(1000, 'z') + "x" +
                     std::string(kMaxRegexMatchBytes - 2, 'a') + "y";
  EXPECT_THAT(MatchAll(GetParam(), {regex}, text),
              ElementsAre(Span{0, 1000, 1000 + kMaxRegexMatchBytes}));
}

// A passed deadline stops either backend with DeadlineExceeded, whether
// it is seen before the scan or by the match callback mid-scan.
TEST_P(MatcherTest, StopsWithDeadlineExceededOnceTheDeadlinePasses) {
  auto matcher = BuildMatcher(GetParam(), {Literal("a"), Regex("b+")});
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  auto scratch = (*matcher)->NewScratch();
  ASSERT_TRUE(scratch.ok());
  std::vector<PatternHit> hits;
  Deadline passed(Deadline::Clock::now() - std::chrono::seconds(1));
  EXPECT_THAT((*matcher)->Match("a b a b", scratch->get(), &hits, &passed),
              StatusIs(absl::StatusCode::kDeadlineExceeded, HasSubstr("deadline")));
  Deadline later(Deadline::Clock::now() + std::chrono::hours(1));
  hits.clear();
  EXPECT_TRUE((*matcher)->Match("a b a b", scratch->get(), &hits, &later).ok());
  EXPECT_EQ(hits.size(), 4u);
}

// The loop AppendRegexSpans replaced: one unbounded search per match.
std::vector<Span> UnboundedSpans(const RE2& re, std::string_view text) {
  std::vector<Span> spans;
  re2::StringPiece input(text.data(), text.size()), match;
  size_t pos = 0;
  while (pos < text.size() &&
         re.Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    size_t begin = match.data() - text.data(), end = begin + match.size();
    if (end == begin) {
      pos = begin + 1;
      while (pos < text.size() && (text[pos] & 0xC0) == 0x80) ++pos;
      continue;
    }
    spans.emplace_back(0, begin, end);
    pos = end;
  }
  return spans;
}

// A regex whose DFA outgrows its memory budget (kRegexMaxMemory in
// production) is searched by RE2's NFA instead, with the same spans. The
// DFA of `(a|b)*a(a|b){12}b` needs some 2^13 states; 32 KiB holds a few.
TEST(RegexSpansTest, SameSpansWhenTheDfaRunsOutOfMemory) {
  constexpr char kRegex[] = "(a|b)*a(a|b){12}b";
  auto budgeted = CompileRegex(kRegex);
  ASSERT_TRUE(budgeted.ok()) << budgeted.status();
  RE2::Options options = RegexOptions();
  options.set_max_mem(32 << 10);
  options.set_log_errors(true);  // RE2 says when it leaves its DFA.
  RE2 tiny(kRegex, options);
  ASSERT_TRUE(tiny.ok()) << tiny.error();
  std::mt19937 rng(3);
  std::string text;
  for (int i = 0; i < 20 * static_cast<int>(kMaxRegexMatchBytes); ++i) {
    text += "ab"[rng() % 2];
  }
  std::vector<PatternHit> expected, got;
  AppendRegexSpans(**budgeted, 0, text, &expected);
  ::testing::internal::CaptureStderr();
  AppendRegexSpans(tiny, 0, text, &got);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(log, HasSubstr("DFA out of memory"));
  ASSERT_GT(expected.size(), 10u);
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].begin, expected[i].begin) << i;
    EXPECT_EQ(got[i].end, expected[i].end) << i;
  }
}

// For regexes with no match longer than kMaxRegexMatchBytes, windowed
// search gives the spans unbounded searches gave, on texts of several
// windows with matches straddling their edges.
TEST(RegexSpansTest, SameSpansAsUnboundedSearchForOrdinaryRegexes) {
  const char* regexes[] = {
      "x[^y]{0,60}y|x", "\\d{3}-?\\d{4}", "ab|b+", "\\bsnap ?chat\\b",
      "(a|ab)(c|bcd)?", "é+x?", "x$", "^.x", "\\b(i|we) (can|could) (buy|get)",
      "a*",  // Matches empty at most places.
  };
  const std::string alphabet[] = {"x", "y", "a", "b", "c", "d", " ", "é",
                                  "1", "2", "-", "snap", "chat", "i can buy"};
  std::mt19937 rng(2);
  for (const char* source : regexes) {
    auto re = CompileRegex(source);
    ASSERT_TRUE(re.ok()) << re.status();
    for (int round = 0; round < 30; ++round) {
      std::string text;
      const size_t size = rng() % (5 * kMaxRegexMatchBytes);
      while (text.size() < size) text += alphabet[rng() % std::size(alphabet)];
      std::vector<PatternHit> hits;
      AppendRegexSpans(**re, 0, text, &hits);
      std::vector<Span> got;
      for (const PatternHit& h : hits) got.emplace_back(h.pattern, h.begin, h.end);
      ASSERT_EQ(got, UnboundedSpans(**re, text)) << source << " on " << text;
    }
  }
}

TEST_P(MatcherTest, RegexIsCaseInsensitiveAndUnicodeAware) {
  EXPECT_THAT(MatchAll(GetParam(), {Regex("SNAP\\s*CHAT"), Regex("\\p{Cyrillic}+")},
                       "snapchat да"),
              ElementsAre(Span{0, 0, 8}, Span{1, 9, 13}));
}

TEST_P(MatcherTest, CaseFoldedRegexesMatchCaseFoldedTextOfAnyScript) {
  // As the masked views' regexes: built from folded phrases, matched in
  // folded text. Hyperscan builds them without HS_FLAG_CASELESS.
  Pattern masked = Regex("(?:п|\\*)(?:р|\\*)(?:и|\\*)(?:в|\\*)|(?:p|\\*)(?:i|\\*)c");
  masked.literal_prefilter = false;
  masked.case_folded = true;
  EXPECT_THAT(MatchAll(GetParam(), {masked}, "п*ив and p*c"),
              ElementsAre(Span{0, 0, 7}, Span{0, 12, 15}));
}

TEST(LazyRegexesTest, CompilesOnFirstUseOnceAndReportsBadSources) {
  std::vector<std::unique_ptr<RE2>> compiled(3);
  compiled[2] = std::make_unique<RE2>("x+");
  const RE2* given = compiled[2].get();
  LazyRegexes regexes({"p(i|1)c", "(unclosed", "x+"}, std::move(compiled));
  absl::StatusOr<const RE2*> first = regexes.Get(0);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(RE2::FullMatch("P1C", **first));  // RegexOptions: caseless.
  EXPECT_EQ(*regexes.Get(0), *first);
  EXPECT_THAT(regexes.Get(1).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("missing )")));
  EXPECT_EQ(*regexes.Get(2), given);
}

TEST(LazyRegexesTest, ThreadsThatNeedARegexAtOnceShareOne) {
  LazyRegexes regexes({"(a|b)+c", "send (me )?(a )?pic"});
  std::vector<const RE2*> seen(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] { seen[t] = *regexes.Get(t % 2); });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(seen[t], seen[t % 2]) << t;
  EXPECT_NE(seen[0], seen[1]);
}

#ifdef WATCHWORD_HAVE_HYPERSCAN
TEST(HyperscanFlagsTest, CaseFoldedRegexesAreNotCaseless) {
  Pattern term = Regex("pic");
  Pattern masked = term;
  masked.case_folded = true;
  EXPECT_NE(HyperscanFlags(term) & HS_FLAG_CASELESS, 0u);
  EXPECT_EQ(HyperscanFlags(masked) & HS_FLAG_CASELESS, 0u);
  EXPECT_NE(HyperscanFlags(masked) & HS_FLAG_UTF8, 0u);
}
#endif

TEST_P(MatcherTest, PerlClassesKeepRe2sAsciiMeaningOnEveryBackend) {
  // RE2 decides spans and its \b is ASCII: "é" is not a word character to
  // it. A Unicode-aware prefilter would drop this match; ours must not.
  Pattern pic = Regex("\\bpic\\b");
  pic.substring = true;  // Else a backend may drop it; see the next test.
  EXPECT_THAT(MatchAll(GetParam(), {pic}, "\xc3\xa9pic"),
              ElementsAre(Span{0, 2, 5}));
}

TEST_P(MatcherTest, WholeWordRegexMatchesAreKeptWhereAWordStarts) {
  // A backend may leave out matches no whole-word check would keep, never
  // one it would: "said" holds "id ", the third word starts with it.
  EXPECT_THAT(MatchAll(GetParam(), {Regex("\\b(id|i'd) (buy|get)")},
                       "said get, id get"),
              ::testing::Contains(Span{0, 10, 16}));
  EXPECT_THAT(MatchAll(GetParam(), {Regex("\\b(id|i'd) (buy|get)")},
                       "id get, said get"),
              ::testing::Contains(Span{0, 0, 6}));
}

TEST_P(MatcherTest, RegexesOfOneAndTwoByteStringsMatchAnywhereInTheText) {
  // Their strings ("00" to "99", "$") are found outside Hyperscan's
  // database (HyperscanPlan::gated), 16 bytes at a time: at the start, across
  // 16-byte blocks and in the last bytes.
  const std::vector<Pattern> patterns = {
      Regex("\\b(\\d{3,}|[a-z]{1,3}\\d{2,})\\b"), Regex("[$]\\s?\\d+"),
      Literal("pay")};
  EXPECT_THAT(MatchAll(GetParam(), patterns,
                       "pay $5 now, then 12 or 1234 later; code ab12 x9 7 and 77"),
              ElementsAre(Span{0, 23, 27}, Span{0, 40, 44}, Span{1, 4, 6},
                          Span{2, 0, 3}));
  EXPECT_THAT(MatchAll(GetParam(), patterns, "abcdefghijklmn 12345 zz 999"),
              ElementsAre(Span{0, 15, 20}, Span{0, 24, 27}));
  EXPECT_THAT(MatchAll(GetParam(), patterns, "$9"), ElementsAre(Span{1, 0, 2}));
  // A byte that starts strings but is not followed by one's second byte
  // ("5p"; HyperscanMatcher::gated_pairs_) is passed over, and a string's
  // first byte at the end of the text is still looked at.
  EXPECT_THAT(MatchAll(GetParam(), patterns, "5pm and 5p then 123 $"),
              ElementsAre(Span{0, 16, 19}));
  EXPECT_THAT(MatchAll(GetParam(), patterns, "5pm $5p 5"),
              ElementsAre(Span{1, 4, 6}));
  EXPECT_THAT(MatchAll(GetParam(), {patterns[0]}, "1 2 3 4 5 6 7 8 9 0 1 2 3 4"),
              ElementsAre());
}

#ifdef WATCHWORD_HAVE_HYPERSCAN
TEST(HyperscanPlanTest, OneAndTwoByteStringsStayOutOfTheDatabase) {
  HyperscanPlan plan = PlanHyperscanDatabase(
      {Regex("\\b\\d{3,}\\b"), Regex("[$]\\d+|\\d+ dollars")});
  EXPECT_THAT(plan.expressions, ElementsAre("\\x20\\x64\\x6f\\x6c\\x6c\\x61"
                                            "\\x72\\x73"));
  ASSERT_EQ(plan.gated.size(), 101u);
  EXPECT_EQ(plan.gated[0].text, "00");
  EXPECT_EQ(plan.gated[0].pattern, 0u);
  EXPECT_EQ(plan.gated[100].text, "$");
  EXPECT_EQ(plan.gated[100].pattern, 1u);
}
#endif

#ifdef WATCHWORD_HAVE_HYPERSCAN
// A matcher that holds the base view's patterns ahead of its own
// (MatcherSpec::base_patterns) reports each part only when asked for it,
// gated strings ("\\d{2}") and regex spans included, and a kOwnKept call
// gives what the kBaseKeepingOwn scan of the same text kept: what kOwn
// finds.
TEST(HyperscanMatcherTest, ReportsOnlyThePartAskedFor) {
  // Base: "sec+ret", "\\d{2}" (gated); own: "send", "secret", "ret+".
  std::vector<Pattern> patterns = {Regex("sec+ret"), Regex("\\d{2}"),
                                   Literal("send"), Literal("secret"),
                                   Regex("ret+")};
  patterns[4].substring = true;  // Inside words too.
  auto matcher =
      BuildMatcher(Backend::kHyperscan, patterns, {}, /*base_patterns=*/2);
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  auto scratch = (*matcher)->NewScratch();
  ASSERT_TRUE(scratch.ok()) << scratch.status();
  const std::string text = "send secret 42 seccret";
  auto match = [&](std::string_view view, MatcherPart part) {
    std::vector<PatternHit> hits;
    EXPECT_TRUE((*matcher)->Match(view, scratch->get(), &hits, nullptr, part)
                    .ok());
    std::vector<Span> spans;
    for (const PatternHit& h : hits) {
      spans.emplace_back(h.pattern, h.begin, h.end);
    }
    std::sort(spans.begin(), spans.end());
    return spans;
  };
  const std::vector<Span> base = {{0, 5, 11}, {0, 15, 22}, {1, 12, 14}};
  const std::vector<Span> own = {
      {2, 0, 4}, {3, 5, 11}, {4, 8, 11}, {4, 19, 22}};
  EXPECT_EQ(match(text, MatcherPart::kBase), base);
  EXPECT_EQ(match(text, MatcherPart::kOwn), own);
  EXPECT_EQ(match(text, MatcherPart::kBaseKeepingOwn), base);
  // Another text scanned in between leaves what was kept.
  EXPECT_EQ(match("send", MatcherPart::kOwn),
            (std::vector<Span>{{2, 0, 4}}));
  EXPECT_EQ(match(text, MatcherPart::kOwnKept), own);
  EXPECT_EQ(match(std::string(text), MatcherPart::kOwnKept), own);  // A copy.
  // Kept for `text` only: another text is scanned.
  const std::string other = "rett 12";
  EXPECT_EQ(match(other, MatcherPart::kOwnKept),
            (std::vector<Span>{{4, 0, 4}}));
}
#endif

TEST_P(MatcherTest, NoPatternsMatchNothing) {
  EXPECT_THAT(MatchAll(GetParam(), {}, "anything"), ElementsAre());
}

TEST_P(MatcherTest, EmptyTextMatchesNothing) {
  EXPECT_THAT(MatchAll(GetParam(), {Literal("a"), Regex("b+")}, ""),
              ElementsAre());
}

INSTANTIATE_TEST_SUITE_P(Backends, MatcherTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) {
                           return std::string(BackendName(info.param));
                         });

TEST(MatcherBuilderTest, NamesTheRegexThatDoesNotCompile) {
  for (Backend backend : Backends()) {
    EXPECT_THAT(BuildMatcher(backend, {Regex("(unclosed")}),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("(unclosed")));
  }
}

}  // namespace
}  // namespace watchword
