// Rule logic and verdict construction, through Compile() and Scanner.
#include "watchword/scanner.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/compile/lower.h"
#include "src/engine/engine_rep.h"
#include "tests/testing/test_util.h"
#include "watchword/compiler.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::watchword::testing::ParseRequest;
using ::watchword::testing::ParseRuleset;
using ::watchword::testing::StatusIs;

using ::watchword::testing::MustCompile;
using ::watchword::testing::RuleIds;

std::vector<std::string> Scan(const std::shared_ptr<const Engine>& engine,
                              const std::string& text) {
  Scanner scanner(engine);
  v1::Verdict verdict;
  absl::Status status = scanner.Scan(text, &verdict);
  EXPECT_TRUE(status.ok()) << status;
  return RuleIds(verdict);
}

constexpr char kLogic[] = R"pb(
  name: "logic" version: "1"
  term_lists { id: "secret" terms { phrase: "our secret" } terms { phrase: "dont tell" } }
  rules { id: "any" action: ACTION_REVIEW severity: SEVERITY_MEDIUM category: "c.any"
          match { term_list: "secret" } }
  rules { id: "all" action: ACTION_BLOCK severity: SEVERITY_HIGH category: "c.all"
          match { all { exprs { term { phrase: "home alone" } }
                        exprs { term { phrase: "come over" } } } } }
  rules { id: "none" action: ACTION_LOG category: "c.none"
          match { all { exprs { term { phrase: "pic" } }
                        exprs { none { exprs { term { phrase: "profile" } } } } } } }
  rules { id: "near" action: ACTION_REVIEW category: "c.near"
          match { near { max_words: 2
                         exprs { term { phrase: "add" } }
                         exprs { term { phrase: "snap" } } } } }
)pb";

constexpr char kRegexFolds[] = R"pb(
  name: "regex-folds" version: "1"
  normalization { equivalences { words: "your" words: "ur" } }
  rules { id: "dont-tell" action: ACTION_REVIEW category: "c.secrecy"
          match { term { regex: "\\b(dont|do not) (ever )?tell (your|ur) (mom|dad)" } } }
  rules { id: "amount" action: ACTION_REVIEW category: "c.gifts"
          match { term { regex: "\\d+ (bucks|dollars)" } } }
)pb";

// The folds of a match, as reported.
std::vector<int> MatchFolds(const std::shared_ptr<const Engine>& engine,
                            const std::string& text) {
  Scanner scanner(engine);
  v1::Verdict verdict;
  EXPECT_TRUE(scanner.Scan(text, &verdict).ok());
  if (verdict.rule_matches().empty()) return {-1};
  const auto& folds = verdict.rule_matches(0).folds();
  return std::vector<int>(folds.begin(), folds.end());
}

TEST(ScannerTest, RegexesMatchDisguisedTextOnBothBackends) {
  for (Backend backend : {Backend::kRe2, Backend::kHyperscan}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    auto engine = MustCompile(kRegexFolds, backend);
    ASSERT_NE(engine, nullptr);
    for (const char* text :
         {"dont tell ur mom", "d0nt t3ll ur mom", "d\u043ent tell your dad",
          "d o n t tell ur mom", "dont t e l l your mom", "dont telllll ur mom",
          "dont t*ll ur mom", "DÓNT TELL UR MOM", "do not ever tell ur mom ok"}) {
      EXPECT_THAT(Scan(engine, text), ElementsAre("dont-tell")) << text;
    }
    EXPECT_THAT(Scan(engine, "dont tell their mom"), ElementsAre());
    EXPECT_THAT(Scan(engine, "dont tellur mom"), ElementsAre());
    EXPECT_THAT(Scan(engine, "it costs 20 bucks"), ElementsAre("amount"));
    EXPECT_THAT(Scan(engine, "it costs 20 bux"), ElementsAre());
  }
}

TEST(ScannerTest, RegexMatchesReportTheFoldsTheyNeeded) {
  auto engine = MustCompile(kRegexFolds);
  ASSERT_NE(engine, nullptr);
  // The regex spells "ur" itself: no fold, though the folded view also
  // matched it as "your".
  EXPECT_THAT(MatchFolds(engine, "dont tell ur mom"), ElementsAre());
  // A folded view may find a longer match where the base view found one
  // plainly ("1s anyone home" is "is anyone home" there): the plain match
  // stands, and the folded copy that overlaps it is not reported.
  auto optional_words = MustCompile(R"pb(
    name: "optional" version: "1"
    rules { id: "home" action: ACTION_REVIEW category: "c.isolation"
            match { term { regex: "\\b(is )?any ?one home" } } }
  )pb");
  ASSERT_NE(optional_words, nullptr);
  EXPECT_THAT(MatchFolds(optional_words, "1s anyone home"), ElementsAre());
  std::string many;
  for (int i = 0; i < 200; ++i) many += "1s anyone home. ";
  EXPECT_THAT(MatchFolds(optional_words, many), ElementsAre());
  EXPECT_THAT(MatchFolds(optional_words, "1s any0ne home"),
              ElementsAre(v1::FOLD_LEETSPEAK));
  EXPECT_THAT(MatchFolds(engine, "d0nt tell your mom"),
              ElementsAre(v1::FOLD_LEETSPEAK));
  EXPECT_THAT(MatchFolds(engine, "dont t*ll your mom"),
              ElementsAre(v1::FOLD_MASK));
}

TEST(ScannerTest, LongPhrasesMatchInsideRunsOfSpacedOutOrRunTogetherLetters) {
  auto engine = MustCompile(R"pb(
    name: "runs" version: "1"
    rules { id: "age" action: ACTION_REVIEW category: "c.age"
            match { term { phrase: "how old are you" } } }
    rules { id: "pic" action: ACTION_REVIEW category: "c.pic"
            match { term { phrase: "send pic" } } }
  )pb");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(Scan(engine, "h o w o l d a r e y o u b t w"), ElementsAre("age"));
  EXPECT_THAT(Scan(engine, "s.o.h.o.w.o.l.d.a.r.e.y.o.u"), ElementsAre("age"));
  EXPECT_THAT(Scan(engine, "s e n d p i c"), ElementsAre("pic"));
  // Words typed together keep their boundaries: a long match counts where
  // it starts or ends the word, not in its middle.
  EXPECT_THAT(Scan(engine, "howoldareyoubtw"), ElementsAre("age"));
  EXPECT_THAT(Scan(engine, "sohowoldareyou?"), ElementsAre("age"));
  EXPECT_THAT(Scan(engine, "sohowoldareyoubtw"), ElementsAre());
  // Spaced out, a match of 6+ bytes counts anywhere in the run; typed
  // together, "sendpic" is too short to be trusted inside another word.
  EXPECT_THAT(Scan(engine, "x s e n d p i c z"), ElementsAre("pic"));
  EXPECT_THAT(Scan(engine, "godsendpictures"), ElementsAre());
}

TEST(ScannerTest, MaskedWordsMeetStandInsAndStandInWordsOnBothBackends) {
  for (Backend backend : {Backend::kRe2, Backend::kHyperscan}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    auto engine = MustCompile(R"pb(
      name: "masked" version: "1"
      rules { id: "discord" action: ACTION_REVIEW category: "c.move"
              match { term { phrase: "switch to discord" } } }
      rules { id: "alone" action: ACTION_REVIEW category: "c.alone"
              match { term { phrase: "are you home alone" } } }
    )pb", backend);
    ASSERT_NE(engine, nullptr);
    // A stand-in word has no unmasked neighbour to be read by; a masked
    // word of stand-ins ("@*\xe2\x82\xac") has no letter of its own.
    EXPECT_THAT(Scan(engine, "hey sw*tch 2 d*scord ok"), ElementsAre("discord"));
    EXPECT_THAT(Scan(engine, "hey @*\xe2\x82\xac y*u #*me al*ne ok"),
                ElementsAre("alone"));
    EXPECT_THAT(Scan(engine, "hey sw*tch 22 d*scord ok"), ElementsAre());
    EXPECT_THAT(Scan(engine, "hey @*# y*u #*#e al*ne ok"), ElementsAre());
  }
}

// Spaced-out letters with masks among them are split into words around
// the masks (the masked joined view); there a phrase of words with no
// mask counts too ("i f u" in "i f u s * n d"), where the joined view's
// run is cut by the masks. A short one ("u up") is no evidence alone.
TEST(ScannerTest, SpacedOutWordsBesideMaskedOnesCountOnBothBackends) {
  for (Backend backend : {Backend::kRe2, Backend::kHyperscan}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    auto engine = MustCompile(R"pb(
      name: "spaced" version: "1"
      rules { id: "if" action: ACTION_REVIEW category: "c.if"
              match { term { phrase: "if you" } } }
      rules { id: "up" action: ACTION_REVIEW category: "c.up"
              match { term { phrase: "up" } } }
      rules { id: "send" action: ACTION_REVIEW category: "c.send"
              match { term { phrase: "send" } } }
    )pb", backend);
    ASSERT_NE(engine, nullptr);
    EXPECT_THAT(Scan(engine, "x y z i f u s * n d"), ElementsAre("if", "send"));
    EXPECT_THAT(Scan(engine, "x y z u p s * n d"), ElementsAre("send"));
  }
}

TEST(ScannerTest, StretchedLettersSqueezeInWordsRunTogetherOrSplitByEmoji) {
  auto engine = MustCompile(R"pb(
    name: "stretched" version: "1"
    rules { id: "pic" action: ACTION_REVIEW category: "c.pic"
            match { term { phrase: "send me a pic" } } }
  )pb");
  ASSERT_NE(engine, nullptr);
  EXPECT_THAT(Scan(engine, "hey sennnndmeeeaaaaapiccccc ok"), ElementsAre("pic"));
  EXPECT_THAT(Scan(engine, "hey se\U0001F94Cn\U0001F551d m\U0001F60Ce aaa "
                           "p\U0001F4E2iccccc ok"),
              ElementsAre("pic"));
  // Squeezed, a run-together word still needs its phrase at either end.
  EXPECT_THAT(Scan(engine, "xxsennnndmeeeaaaaapicccccxx"), ElementsAre());
}

TEST(ScannerTest, LongRegexMatchesCountInsideSpacedRunsOnBothBackends) {
  for (Backend backend : {Backend::kRe2, Backend::kHyperscan}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    auto engine = MustCompile(R"pb(
      name: "regex-runs" version: "1"
      rules { id: "school" action: ACTION_REVIEW category: "c.age"
              match { term { regex: "\\bwhat (school|grade) (do|are) (you|u)" } } }
      rules { id: "age" action: ACTION_REVIEW category: "c.age"
              match { term { regex: "\\b(asl|age)\\b" } } }
    )pb", backend);
    ASSERT_NE(engine, nullptr);
    // The run lost its word boundaries, even where the regex has one.
    EXPECT_THAT(Scan(engine, "s o w h a t s c h o o l d o u g o"),
                ElementsAre("school"));
    EXPECT_THAT(Scan(engine, "s_o_w_h_a_t_g_r_a_d_e_a_r_e_y_o_u"),
                ElementsAre("school"));
    // Typed together, words keep theirs; short matches need them.
    EXPECT_THAT(Scan(engine, "sowhatschooldougo"), ElementsAre());
    EXPECT_THAT(Scan(engine, "m a g e n t a"), ElementsAre());
  }
}

TEST(ScannerTest, AnyMatchesEitherTermOfAList) {
  auto engine = MustCompile(kLogic);
  EXPECT_THAT(Scan(engine, "this is our secret ok"), ElementsAre("any"));
  EXPECT_THAT(Scan(engine, "dont tell anyone"), ElementsAre("any"));
  EXPECT_THAT(Scan(engine, "secret recipe"), ElementsAre());
}

TEST(ScannerTest, AllNeedsEveryTermInTheSameField) {
  auto engine = MustCompile(kLogic);
  EXPECT_THAT(Scan(engine, "home alone? come over"), ElementsAre("all"));
  EXPECT_THAT(Scan(engine, "home alone tonight"), ElementsAre());
}

TEST(ScannerTest, NoneVetoesTheRule) {
  auto engine = MustCompile(kLogic);
  EXPECT_THAT(Scan(engine, "send a pic"), ElementsAre("none"));
  EXPECT_THAT(Scan(engine, "nice profile pic"), ElementsAre());
}

TEST(ScannerTest, NearCountsWordsBetween) {
  auto engine = MustCompile(kLogic);
  EXPECT_THAT(Scan(engine, "add me on snap"), ElementsAre("near"));
  EXPECT_THAT(Scan(engine, "snap, add me"), ElementsAre("near"));
  EXPECT_THAT(Scan(engine, "add this to the snap"), ElementsAre());
}

TEST(ScannerTest, PhrasesMatchWholeWordsOnly) {
  auto engine = MustCompile(kLogic);
  EXPECT_THAT(Scan(engine, "picnic at the park"), ElementsAre());
  EXPECT_THAT(Scan(engine, "snapped, added"), ElementsAre());
  EXPECT_THAT(Scan(engine, "pic!"), ElementsAre("none"));
}

TEST(ScannerTest, SpansPointIntoTheOriginalText) {
  auto engine = MustCompile(kLogic);
  Scanner scanner(engine);
  v1::Verdict verdict;
  // Fullwidth "ＯＵＲ" is 9 bytes; "sh, " is 4. Normalization folds it.
  std::string text = "sh, ＯＵＲ  secret";
  v1::ScanRequest request;
  request.set_text(text);
  request.set_echo_matched_text(true);
  ASSERT_TRUE(scanner.Scan(request, &verdict).ok());
  ASSERT_EQ(verdict.rule_matches_size(), 1);
  const v1::Match& m = verdict.rule_matches(0).matches(0);
  EXPECT_EQ(m.field(), "body");
  EXPECT_EQ(m.term_id(), "our secret");
  EXPECT_EQ(m.term_list(), "secret");
  EXPECT_EQ(m.begin(), 4u);
  EXPECT_EQ(m.end(), text.size());
  EXPECT_EQ(m.text(), "ＯＵＲ  secret");
}

TEST(ScannerTest, MatchedTextIsNotEchoedUnlessAsked) {
  auto engine = MustCompile(kLogic);
  Scanner scanner(engine);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan("our secret", &verdict).ok());
  ASSERT_EQ(verdict.rule_matches_size(), 1);
  EXPECT_EQ(verdict.rule_matches(0).matches(0).text(), "");
}

TEST(ScannerTest, VerdictTakesTheStrongestActionAndKeepsRulesetOrder) {
  auto engine = MustCompile(kLogic);
  Scanner scanner(engine);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan("home alone, come over. dont tell", &verdict).ok());
  EXPECT_THAT(RuleIds(verdict), ElementsAre("any", "all"));
  EXPECT_EQ(verdict.action(), v1::ACTION_BLOCK);
  EXPECT_EQ(verdict.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(verdict.ruleset().name(), "logic");
  EXPECT_EQ(verdict.ruleset().version(), "1");
  EXPECT_EQ(verdict.ruleset().fingerprint(), engine->info().fingerprint());
  EXPECT_EQ(verdict.stats().fields_scanned(), 1u);
}

constexpr char kContext[] = R"pb(
  name: "ctx" custom_fields: "title"
  rules { id: "meet-minor" action: ACTION_ESCALATE severity: SEVERITY_HIGH
          match { term { phrase: "meet up" } }
          conditions { recipient_age_band { any_of: [AGE_BAND_UNDER_13, AGE_BAND_13_15, AGE_BAND_16_17] } }
          conditions { sender_age_band { any_of: [AGE_BAND_ADULT, AGE_BAND_UNSPECIFIED] } } }
  rules { id: "shadow" action: ACTION_BLOCK mode: MODE_SHADOW
          match { term { phrase: "meet up" } } }
  rules { id: "names" action: ACTION_REVIEW fields: ["username", "title"]
          match { term { regex: "\\d{2,}\\s*yo" substring: true } } }
  rules { id: "call" action: ACTION_REVIEW
          match { term { id: "call-me" phrase: "call me" } }
          exceptions { within_words: 3 terms { phrase: "game" } }
          exceptions { terms { phrase: "mum" } only_terms: "call-me" } }
)pb";

TEST(ScannerTest, ConditionsGateRulesOnContext) {
  auto engine = MustCompile(kContext);
  Scanner scanner(engine);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan(ParseRequest(R"pb(
      id: "r1" text: "wanna meet up"
      context { recipient_age_band: AGE_BAND_13_15 })pb"), &verdict).ok());
  EXPECT_EQ(verdict.request_id(), "r1");
  EXPECT_THAT(RuleIds(verdict), ElementsAre("meet-minor", "shadow"));
  EXPECT_EQ(verdict.action(), v1::ACTION_ESCALATE);

  ASSERT_TRUE(scanner.Scan(ParseRequest(R"pb(
      text: "wanna meet up"
      context { recipient_age_band: AGE_BAND_ADULT })pb"), &verdict).ok());
  EXPECT_THAT(RuleIds(verdict), ElementsAre("shadow"));
}

TEST(ScannerTest, ShadowRulesAreReportedButNeverAct) {
  auto engine = MustCompile(kContext);
  Scanner scanner(engine);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan("meet up later", &verdict).ok());
  // Sender unknown counts, but the recipient is unknown: only the shadow rule.
  ASSERT_THAT(RuleIds(verdict), ElementsAre("shadow"));
  EXPECT_TRUE(verdict.rule_matches(0).shadow());
  EXPECT_EQ(verdict.action(), v1::ACTION_UNSPECIFIED);
}

TEST(ScannerTest, RulesOnlyLookAtTheirFields) {
  auto engine = MustCompile(kContext);
  Scanner scanner(engine);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan(ParseRequest(R"pb(
      text: "im 14yo"
      fields { name: "username" text: "cool_14yo" }
      fields { name: "title" text: "bio 99 yo" })pb"), &verdict).ok());
  ASSERT_THAT(RuleIds(verdict), ElementsAre("names"));
  const auto& matches = verdict.rule_matches(0).matches();
  ASSERT_EQ(matches.size(), 2);
  EXPECT_EQ(matches[0].field(), "username");
  EXPECT_EQ(matches[0].begin(), 5u);
  EXPECT_EQ(matches[0].end(), 9u);
  EXPECT_EQ(matches[1].field(), "title");
  EXPECT_EQ(verdict.stats().fields_scanned(), 3u);
}

TEST(ScannerTest, ExceptionsVetoNearbyOrSameFieldOccurrences) {
  auto engine = MustCompile(kContext);
  EXPECT_THAT(Scan(engine, "call me tonight"), ElementsAre("call"));
  EXPECT_THAT(Scan(engine, "call me when the game starts"), ElementsAre());
  EXPECT_THAT(Scan(engine, "call me, i have to sort out a few things before the game"),
              ElementsAre("call"));
  EXPECT_THAT(Scan(engine, "tell mum to call me"), ElementsAre());
}

// A term repeated past ScanOptions::max_hits_per_term is evidence only up
// to the limit, per field, and the verdict counts what was left out.
TEST(ScannerTest, KeepsAtMostMaxHitsPerTermPerFieldAndSaysSo) {
  auto engine = MustCompile(R"pb(
    name: "cap" version: "1"
    rules { id: "any" action: ACTION_REVIEW category: "c.any" fields: ["body", "bio"]
            match { any { exprs { term { phrase: "our secret" } }
                          exprs { term { phrase: "dont tell" } } } } })pb");
  std::string text;
  for (int i = 0; i < 50; ++i) text += "our secret, dont tell. ";
  v1::ScanRequest request;
  request.set_text(text);
  v1::TextField* bio = request.add_fields();
  bio->set_name("bio");
  bio->set_text(text);
  Scanner capped(engine, {.max_hits_per_term = 10});
  v1::Verdict verdict;
  ASSERT_TRUE(capped.Scan(request, &verdict).ok());
  ASSERT_THAT(RuleIds(verdict), ElementsAre("any"));
  // Two terms, ten places each, in each of two fields.
  EXPECT_EQ(verdict.rule_matches(0).matches_size(), 40);
  EXPECT_EQ(verdict.stats().term_hits_dropped(), 160u);  // 40 per term and field.
  EXPECT_EQ(verdict.stats().term_hits(), 200u);
  EXPECT_EQ(verdict.rule_matches(0).matches(19).begin(), text.find(
      "dont tell", 9 * 23));  // The tenth "dont tell": the first ones kept.

  Scanner unlimited(engine, {.max_hits_per_term = 0});
  ASSERT_TRUE(unlimited.Scan(request, &verdict).ok());
  EXPECT_EQ(verdict.rule_matches(0).matches_size(), 200);
  EXPECT_EQ(verdict.stats().term_hits_dropped(), 0u);
}

// The cap holds while matching: a view keeps at most max_hits_per_term
// occurrences of a term, counting the rest, on both backends, and where no
// term reaches it the verdict is the one without a cap.
TEST(ScannerTest, CapsOccurrencesWhileMatchingOnBothBackends) {
  constexpr char kRules[] = R"pb(
    name: "cap" version: "1"
    rules { id: "near" action: ACTION_REVIEW category: "c.near"
            match { near { max_words: 2
                           exprs { term { phrase: "send" } }
                           exprs { term { regex: "pics?" } } } } }
    rules { id: "sub" action: ACTION_LOG category: "c.sub"
            match { any { exprs { term { phrase: "s" substring: true } }
                          exprs { term { phrase: "se" substring: true } } } } })pb";
  std::string repeated;
  for (int i = 0; i < 3000; ++i) repeated += "send pics ";
  const std::string normal =
      "s3nd me pics pls, dont tell ur mom. send a pic? no. send   p i c s";
  v1::Verdict unlimited_verdict;
  for (Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    auto engine = MustCompile(kRules, backend);
    Scanner capped(engine, {.max_hits_per_term = 100});
    v1::Verdict verdict;
    ASSERT_TRUE(capped.Scan(repeated, &verdict).ok());
    // 3,000 each of "send", "pics", and "s" (6,000: in "send" and "pics")
    // and "se"; 100 of each kept.
    EXPECT_EQ(verdict.stats().term_hits(), 3000u + 3000u + 6000u + 3000u)
        << BackendName(backend);
    EXPECT_EQ(verdict.stats().term_hits_dropped(), 2900u * 3 + 5900u)
        << BackendName(backend);
    ASSERT_THAT(RuleIds(verdict), ElementsAre("near", "sub"));
    EXPECT_EQ(verdict.rule_matches(1).matches_size(), 200);  // 100 "s", "se".
    // The first ones: the 100th "se" is that of the 100th "send".
    EXPECT_EQ(verdict.rule_matches(1).matches(199).begin(), 99u * 10);

    Scanner unlimited(engine, {.max_hits_per_term = 0});
    ASSERT_TRUE(unlimited.Scan(normal, &unlimited_verdict).ok());
    ASSERT_TRUE(capped.Scan(normal, &verdict).ok());
    EXPECT_EQ(verdict.stats().term_hits_dropped(), 0u);
    EXPECT_EQ(verdict.SerializeAsString(),
              unlimited_verdict.SerializeAsString())
        << BackendName(backend);
    EXPECT_THAT(RuleIds(verdict), ElementsAre("near", "sub"));
  }
}

TEST(ScannerTest, RejectsOversizeFieldsAndTooManyFields) {
  auto engine = MustCompile(kLogic);
  Scanner scanner(engine, {.max_field_bytes = 10, .max_fields = 2});
  v1::Verdict verdict;
  EXPECT_THAT(scanner.Scan("our secret is long", &verdict),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("field \"body\" has 18 bytes; limit is 10")));
  EXPECT_EQ(verdict.error().code(), "INVALID_ARGUMENT");
  EXPECT_EQ(verdict.rule_matches_size(), 0);
  EXPECT_THAT(scanner.Scan(ParseRequest(R"pb(
      text: "a" fields { name: "bio" text: "b" } fields { name: "username" text: "c" })pb"),
                           &verdict),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("3 text fields; limit is 2")));
  EXPECT_THAT(scanner.Scan(ParseRequest(R"pb(fields { text: "b" })pb"), &verdict),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no name")));
  EXPECT_EQ(scanner.failed_scans(), 3u);
  // The scanner is still usable.
  EXPECT_TRUE(scanner.Scan("our secret", &verdict).ok());
  EXPECT_THAT(RuleIds(verdict), ElementsAre("any"));
  EXPECT_FALSE(verdict.has_error());
}

TEST(ScannerTest, EchoedTextIsAlwaysValidUtf8) {
  auto engine = MustCompile(kLogic);
  Scanner scanner(engine);
  v1::Verdict verdict;
  v1::ScanRequest request;
  // A zero-width space and an invalid byte inside "our secret": the match
  // spans them; the echo must still be a valid proto3 string.
  request.set_text("our\xe2\x80\x8b secr\xc2\xad" "et \xff");
  request.set_echo_matched_text(true);
  ASSERT_TRUE(scanner.Scan(request, &verdict).ok());
  ASSERT_EQ(verdict.rule_matches_size(), 1);
  EXPECT_EQ(verdict.rule_matches(0).matches(0).text(),
            "our\xe2\x80\x8b secr\xc2\xad" "et");
  request.set_text("dont t\xff" "ell");  // The bad byte splits the word.
  ASSERT_TRUE(scanner.Scan(request, &verdict).ok());
  EXPECT_EQ(verdict.rule_matches_size(), 0);
  std::string serialized;
  EXPECT_TRUE(verdict.SerializeToString(&serialized));
}

TEST(ScannerTest, InvalidUtf8IsScannedWithValidSpans) {
  auto engine = MustCompile(kLogic);
  Scanner scanner(engine);
  v1::Verdict verdict;
  std::string text = "\xff\xfe our \xc0 secret \x80 dont tell\xe2\x82";
  ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
  ASSERT_THAT(RuleIds(verdict), ElementsAre("any"));
  const v1::Match& m = verdict.rule_matches(0).matches(0);
  EXPECT_EQ(text.substr(m.begin(), m.end() - m.begin()), "dont tell");
}

// A matcher that always fails, as RE2::Set does when its DFA runs out of
// memory or Hyperscan when hs_scan errors.
class FailingMatcher : public Matcher {
 public:
  absl::StatusOr<std::unique_ptr<MatcherScratch>> NewScratch() const override {
    return std::make_unique<MatcherScratch>();
  }
  absl::Status Match(std::string_view, MatcherScratch*, HitSink*, Deadline*,
                     MatcherPart) const override {
    return absl::ResourceExhaustedError("re2 backend: RE2::Set ran out of DFA memory");
  }
  size_t database_bytes() const override { return 0; }
};

TEST(ScannerTest, MatcherFailureIsAFailedScanNeverANoMatch) {
  auto rep = LowerRuleset(ParseRuleset(kLogic));
  ASSERT_TRUE(rep.ok()) << rep.status();
  (*rep)->matchers[kFoldedSlot] = std::make_unique<FailingMatcher>();
  auto engine = EngineAccess::Make(*std::move(rep));
  Scanner scanner(engine);
  v1::Verdict verdict;
  EXPECT_THAT(scanner.Scan("our secret", &verdict),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("DFA")));
  EXPECT_EQ(verdict.error().code(), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(verdict.ruleset().name(), "logic");
  EXPECT_EQ(scanner.failed_scans(), 1u);
}

}  // namespace
}  // namespace watchword
