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

using ::watchword::testing::ReadJsonl;
using ::watchword::testing::SourcePath;
using ::watchword::testing::TestDataPath;

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
    v1::ScanRequest request;
    request.set_id("gen-" + std::to_string(i));
    request.set_text(text);
    request.set_echo_matched_text(i % 2 == 0);
    requests.push_back(std::move(request));
  }
  return requests;
}

void ExpectSameVerdicts(const std::string& ruleset_path,
                        const std::vector<v1::ScanRequest>& requests,
                        int* flagged) {
  auto hs = CompileFile(ruleset_path, {.backend = Backend::kHyperscan});
  auto re2 = CompileFile(ruleset_path, {.backend = Backend::kRe2});
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

}  // namespace
}  // namespace watchword
