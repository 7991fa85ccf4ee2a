// Differential test: the Hyperscan and RE2 backends must give identical
// verdicts, byte for byte, on the same requests.
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::watchword::testing::ParseRuleset;
using ::watchword::testing::ReadJsonl;
using ::watchword::testing::SourcePath;
using ::watchword::testing::TestDataPath;

// Request `number` of a generated set, with id "<prefix>-<number>" and
// `text`; every other one asks for the matched text back, so that verdicts
// are compared with and without it.
v1::ScanRequest Request(const std::string& prefix, int number,
                        const std::string& text) {
  v1::ScanRequest request;
  request.set_id(prefix + "-" + std::to_string(number));
  request.set_text(text);
  request.set_echo_matched_text(number % 2 == 0);
  return request;
}

// Texts built from the ruleset's own terms, joined by filler and mutated,
// so that many of them match and the spans get exercised.
std::vector<v1::ScanRequest> Generated() {
  const std::vector<std::string> pieces = {
      "add me on snap",  "text me", "WhatsApp",     "whats app",  "tel3gram",
      "how old are you", "asl",     "what age r u", "our secret", "dont tell",
      "surprise party",  "home alone", "house  alone", "movie",   "free robux",
      "cheap vbucks",    "gift cards", "+44 7700 900123", "love", "gloves",
      "ＳＮＡＰ",         "snap\u200bchat", "ﬁ", "ß", "café", "\xff", "🙂",
      "call me", "dm me on kik", "snapchat", "555-0100-22"};
  const std::vector<std::string> glue = {" ", ", ", " and ", "  ", "!", "",
                                         " the a of ", "\n", "-"};
  std::mt19937 rng(20261128);
  std::vector<v1::ScanRequest> requests;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    int n = 1 + rng() % 6;
    for (int k = 0; k < n; ++k) {
      text += pieces[rng() % pieces.size()];
      text += glue[rng() % glue.size()];
    }
    requests.push_back(Request("gen", i, text));
  }
  return requests;
}

void ExpectSameVerdicts(const v1::Ruleset& ruleset,
                        const std::vector<v1::ScanRequest>& requests,
                        int* flagged) {
  auto hs = Compile(ruleset, {.backend = Backend::kHyperscan});
  auto re2 = Compile(ruleset, {.backend = Backend::kRe2});
  ASSERT_TRUE(hs.ok()) << hs.status();
  ASSERT_TRUE(re2.ok()) << re2.status();
  Scanner hs_scanner(*hs), re2_scanner(*re2);
  v1::Verdict a, b;
  int differences = 0;
  for (const v1::ScanRequest& request : requests) {
    absl::Status sa = hs_scanner.Scan(request, &a);
    absl::Status sb = re2_scanner.Scan(request, &b);
    ASSERT_EQ(sa, sb) << request.id();
    if (a.SerializeAsString() != b.SerializeAsString()) {
      if (++differences <= 5) {
        ADD_FAILURE() << "request " << request.id() << "\nhyperscan: "
                      << a.ShortDebugString() << "\nre2: " << b.ShortDebugString();
      }
    }
    if (a.rule_matches_size() > 0) ++*flagged;
  }
  EXPECT_EQ(differences, 0);
}

void ExpectSameVerdicts(const std::string& ruleset_path,
                        const std::vector<v1::ScanRequest>& requests,
                        int* flagged) {
  auto ruleset = LoadRuleset(ruleset_path);
  ASSERT_TRUE(ruleset.ok()) << ruleset.status();
  ExpectSameVerdicts(*ruleset, requests, flagged);
}

// A term list whose longer phrase holds the shorter one, at its start
// ("send pics" in "send pics now"), in its middle or at its end, or only
// once folded ("s3nd p1cs"); with the shorter phrase dropped from it too.
// A rule near "now" sees the list's matches as a whole.
v1::Ruleset NestedPhrases(const std::string& shorter, const std::string& longer,
                          bool keep_shorter) {
  std::string terms = "terms { phrase: '" + longer + "' }";
  if (keep_shorter) terms += " terms { phrase: '" + shorter + "' }";
  return ParseRuleset(
      "name: 'nested' version: '1' term_lists { id: 'ask' " + terms +
      " } rules { id: 'ask' action: ACTION_REVIEW category: 'c.ask'"
      "   match { term_list: 'ask' } }"
      " rules { id: 'now' action: ACTION_LOG category: 'c.now'"
      "   match { near { max_words: 2 exprs { term_list: 'ask' }"
      "                  exprs { term { phrase: 'now' } } } } }");
}

// "send pics now" and its neighbours, in the spellings each view meets:
// plain, leetspeak, look-alikes, stretched, spaced out, dotted, underscored,
// masked, typed together, and with one word wrong.
std::vector<v1::ScanRequest> NestedPhraseTexts() {
  const std::vector<std::vector<std::string>> spellings = {
      {"pls", "plz", "p l s", "ok", "so", "re"},
      {"send", "s3nd", "s e n d", "sennnd", "\u0455\u0435nd", "$end", "se*d",
       "SEND", "s.e.n.d", "s_e_n_d", "sned"},
      {"pics", "p1cs", "p i c s", "piiics", "\u0440i\u0441s", "pic$", "pi*s",
       "PICS", "p.i.c.s", "pix", "pic"},
      {"now", "n0w", "n o w", "nowww", "n*w", "NOW", "n.o.w", "nowhere"},
  };
  const std::vector<std::string> glue = {
      " ", " ", " ", "", "  ", "_", ".", " me ", "\u200b", "\U0001F600", ", "};
  std::mt19937 rng(20261207);
  std::vector<v1::ScanRequest> requests;
  for (int i = 0; i < 1500; ++i) {
    // Words 1-2 always, 0 and 3 often; now and then the words again.
    std::vector<int> words = {1, 2};
    if (rng() % 2 == 0) words.insert(words.begin(), 0);
    if (rng() % 5 < 3) words.push_back(3);
    if (rng() % 5 == 0) words.insert(words.end(), {1, 2, 3});
    std::string text;
    for (size_t k = 0; k < words.size(); ++k) {
      const auto& options = spellings[words[k]];
      text += options[rng() % options.size()];
      if (k + 1 < words.size()) text += glue[rng() % glue.size()];
    }
    requests.push_back(Request("nested", i, text));
  }
  return requests;
}

class BackendDiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HasHyperscan()) GTEST_SKIP() << "this build has no hyperscan backend";
  }
};

TEST_F(BackendDiffTest, SameVerdictsOnGeneratedText) {
  int flagged = 0;
  ExpectSameVerdicts(SourcePath("tests/api/testdata/diff.textproto"),
                     Generated(), &flagged);
  // The generator is built to hit: if nothing matched, the test proves nothing.
  EXPECT_GT(flagged, 1000);
}

TEST_F(BackendDiffTest, SameVerdictsOnTheExampleConversation) {
  int flagged = 0;
  ExpectSameVerdicts(SourcePath("rulesets/examples/starter.textproto"),
                     ReadJsonl<v1::ScanRequest>(SourcePath("examples/conversation.jsonl")),
                     &flagged);
  EXPECT_GT(flagged, 0);
}

TEST_F(BackendDiffTest, SameVerdictsOnRealBenignText) {
  std::vector<v1::ScanRequest> requests =
      ReadJsonl<v1::ScanRequest>(TestDataPath("sms_ham.jsonl"));
  ASSERT_GT(requests.size(), 4000u);
  for (const char* ruleset : {"tests/api/testdata/diff.textproto",
                              "rulesets/examples/starter.textproto"}) {
    int flagged = 0;
    ExpectSameVerdicts(SourcePath(ruleset), requests, &flagged);
  }
}

// Reported as a mismatch: dropping from a term list a phrase that a longer
// one of the list holds. Not reproduced, on these lists or on
// rulesets/child_safety with every such phrase dropped; kept so that it
// stays so.
TEST_F(BackendDiffTest, SameVerdictsWhereOnePhraseOfAListHoldsAnother) {
  struct Nested {
    const char* shorter;
    const char* longer;
  };
  const std::vector<v1::ScanRequest> requests = NestedPhraseTexts();
  for (const Nested nested : {Nested{"send pics", "send pics now"},
                              Nested{"send pics", "pls send pics now"},
                              Nested{"send pics", "pls send pics"},
                              Nested{"s3nd p1cs", "send pics now"},
                              Nested{"send pics", "s3nd p1cs n0w"},
                              Nested{"pics", "send pics now"}}) {
    for (const bool keep_shorter : {true, false}) {
      SCOPED_TRACE(std::string(nested.longer) +
                   (keep_shorter ? " with " : " without ") + nested.shorter);
      int flagged = 0;
      ExpectSameVerdicts(
          NestedPhrases(nested.shorter, nested.longer, keep_shorter), requests,
          &flagged);
      // Every list meets some of the texts, in some view.
      EXPECT_GT(flagged, 10);
    }
  }
}

// What the backends agree on above: in every view, both phrases of the list
// match where the text spells the longer one, and the shorter one alone
// where it does not.
TEST_F(BackendDiffTest, NestedPhrasesMatchInEveryViewOnBothBackends) {
  const v1::Ruleset ruleset =
      NestedPhrases("send pics", "send pics now", /*keep_shorter=*/true);
  for (const Backend backend : {Backend::kHyperscan, Backend::kRe2}) {
    auto engine = Compile(ruleset, {.backend = backend});
    ASSERT_TRUE(engine.ok()) << engine.status();
    Scanner scanner(*engine);
    v1::Verdict verdict;
    struct Case {
      const char* text;
      std::vector<std::string> spans;  // term_id@begin-end of rule "ask".
    };
    for (const Case& c : std::vector<Case>{
             {"send pics now", {"send pics@0-9", "send pics now@0-13"}},
             {"s3nd p1cs n0w", {"send pics@0-9", "send pics now@0-13"}},
             {"s e n d p i c s n o w",
              {"send pics@0-16", "send pics now@0-21"}},
             {"hey sendpicsnow ok", {"send pics@4-12", "send pics now@4-15"}},
             {"sennnd piiics now", {"send pics@0-13", "send pics now@0-17"}},
             {"se*d pi*s now", {"send pics@0-9", "send pics now@0-13"}},
             {"send pics nowhere", {"send pics@0-9"}},
             {"x s e n d p i c s z", {"send pics@2-18"}},
             {"send pics send pics now",
              {"send pics@0-9", "send pics@10-19", "send pics now@10-23"}},
             {"resend pics now", {}},
         }) {
      ASSERT_TRUE(scanner.Scan(c.text, &verdict).ok());
      std::vector<std::string> spans;
      for (const auto& rule : verdict.rule_matches()) {
        if (rule.rule_id() != "ask") continue;
        for (const auto& m : rule.matches()) {
          spans.push_back(m.term_id() + "@" + std::to_string(m.begin()) + "-" +
                          std::to_string(m.end()));
        }
      }
      EXPECT_EQ(spans, c.spans) << c.text;
    }
  }
}

}  // namespace
}  // namespace watchword
