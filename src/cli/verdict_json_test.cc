// Holds the hand-written verdict printer to protobuf's JSON printer, byte for
// byte, over verdicts from real scans (SMS messages, every example of the
// bundled child-safety ruleset, and those texts disguised with non-ASCII,
// control characters and invalid UTF-8), error verdicts, and crafted ones.
#include "src/cli/verdict_json.h"

#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "src/cli/jsonl.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::watchword::testing::SourcePath;

// Protobuf's printer, as the CLI used it before the hand-written one.
std::string ProtobufJson(const v1::Verdict& verdict, bool always_print) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = always_print;
  std::string json;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(verdict, &json, options)
          .ok());
  return json;
}

std::string OurJson(const v1::Verdict& verdict, bool always_print) {
  VerdictJsonOptions options;
  options.always_print_fields = always_print;
  std::string json;
  AppendVerdictJson(verdict, options, &json);
  return json;
}

// Counts the verdicts compared; each is compared in both modes.
int ExpectSameJson(const std::vector<v1::Verdict>& verdicts) {
  for (const v1::Verdict& verdict : verdicts) {
    for (bool always_print : {false, true}) {
      const std::string want = ProtobufJson(verdict, always_print);
      const std::string got = OurJson(verdict, always_print);
      if (want != got) {
        ADD_FAILURE() << "always_print=" << always_print << "\nprotobuf: "
                      << want << "\nours:     " << got;
        return 0;
      }
    }
  }
  return static_cast<int>(verdicts.size());
}

class VerdictJsonTest : public ::testing::Test {
 protected:
  // Protobuf logs an error for every string with invalid UTF-8 it
  // serializes; the crafted verdicts hold many on purpose.
  static void SetUpTestSuite() {
    previous_ = google::protobuf::SetLogHandler(nullptr);
  }
  static void TearDownTestSuite() {
    google::protobuf::SetLogHandler(previous_);
  }
  static inline google::protobuf::LogHandler* previous_ = nullptr;
};

// Texts: SMS messages and every example of the child-safety ruleset.
std::vector<std::string> RealTexts(const v1::Ruleset& ruleset) {
  std::vector<std::string> texts;
  std::ifstream sms(SourcePath("tests/data/sms_ham.jsonl"));
  std::string line;
  v1::ScanRequest request;
  for (int i = 0; i < 1500 && std::getline(sms, line); ++i) {
    if (ParseScanRequest(line, &request).ok()) texts.push_back(request.text());
  }
  for (const v1::Rule& rule : ruleset.rules()) {
    for (const auto* examples : {&rule.should_match(), &rule.should_not_match()}) {
      for (const v1::Example& example : *examples) {
        if (!example.text().empty()) texts.push_back(example.text());
      }
    }
  }
  return texts;
}

// The same text with a disguise at a random place: a control character,
// an escaped-by-protobuf character, a non-ASCII letter or a broken byte.
std::string Disguise(const std::string& text, std::mt19937* rng) {
  static const std::vector<std::string> kInserts = {
      "\x01", "\t", "\n", "\x7f", "<", ">", "\"", "\\", "\u00ad", "\u200b",
      "\u2028", "\ufeff", "\u0435", "\U0001F600", "\U000E0041", "\xff",
      "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\x80", "\xf4\x90\x80\x80"};
  std::string out = text;
  const int edits = 1 + (*rng)() % 3;
  for (int e = 0; e < edits; ++e) {
    const size_t at = out.empty() ? 0 : (*rng)() % (out.size() + 1);
    out.insert(at, kInserts[(*rng)() % kInserts.size()]);
  }
  return out;
}

TEST_F(VerdictJsonTest, MatchesProtobufOnRealScans) {
  const std::string path = SourcePath("rulesets/child_safety");
  absl::StatusOr<v1::Ruleset> ruleset = LoadRuleset(path);
  ASSERT_TRUE(ruleset.ok()) << ruleset.status();
  absl::StatusOr<std::shared_ptr<const Engine>> engine = CompileFile(path);
  ASSERT_TRUE(engine.ok()) << engine.status();
  Scanner scanner(*engine);
  std::mt19937 rng(14);
  std::vector<v1::Verdict> verdicts;
  int with_matches = 0;
  for (const std::string& text : RealTexts(*ruleset)) {
    for (const std::string& variant : {text, Disguise(text, &rng)}) {
      v1::ScanRequest request;
      request.set_id(Disguise("id", &rng));
      request.set_text(variant);
      request.set_echo_matched_text(rng() % 2 == 0);
      v1::Verdict verdict;
      (void)scanner.Scan(request, &verdict);  // Error verdicts count too.
      with_matches += verdict.rule_matches_size() > 0;
      verdicts.push_back(std::move(verdict));
    }
  }
  // A request the Scanner rejects, and a CLI line error.
  v1::ScanRequest empty_field;
  empty_field.add_fields()->set_name("");
  verdicts.emplace_back();
  (void)scanner.Scan(empty_field, &verdicts.back());
  verdicts.emplace_back();
  SetLineError(absl::InvalidArgumentError("line is not a JSON ScanRequest"),
               12, (*engine)->info(), &verdicts.back());
  EXPECT_GT(with_matches, 100);
  EXPECT_EQ(ExpectSameJson(verdicts), static_cast<int>(verdicts.size()));
}

TEST_F(VerdictJsonTest, MatchesProtobufOnEveryCodePoint) {
  std::vector<v1::Verdict> verdicts;
  // Every code point where protobuf escapes any, and a sample elsewhere.
  auto dense = [](uint32_t cp) {
    return cp < 0x2100 || (cp >= 0xfe00 && cp < 0x10000) ||
           (cp >= 0x1d100 && cp < 0x1d200) || (cp >= 0xe0000 && cp < 0xe0100);
  };
  for (uint32_t cp = 0; cp <= 0x10ffff; cp += dense(cp) ? 1 : 37) {
    if (cp >= 0xd800 && cp < 0xe000) continue;
    // push_back, not an initializer list: GCC 12 warns (-Wrestrict) on it.
    std::string text;
    if (cp < 0x80) {
      text.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      text.push_back(static_cast<char>(0xc0 | cp >> 6));
    } else if (cp < 0x10000) {
      text.push_back(static_cast<char>(0xe0 | cp >> 12));
      text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    } else {
      text.push_back(static_cast<char>(0xf0 | cp >> 18));
      text.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      text.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    }
    if (cp >= 0x80) text.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    v1::Verdict verdict;
    verdict.set_request_id("a" + text + "b");
    verdicts.push_back(std::move(verdict));
  }
  EXPECT_EQ(ExpectSameJson(verdicts), static_cast<int>(verdicts.size()));
}

TEST_F(VerdictJsonTest, MatchesProtobufOnRandomBytesAndCraftedFields) {
  std::mt19937 rng(7);
  auto random_bytes = [&] {
    std::string s(rng() % 12, '\0');
    // Mostly bytes that start or continue UTF-8 sequences.
    for (char& c : s) c = static_cast<char>(rng() % 3 ? 0x80 + rng() % 0x80 : rng() % 0x80);
    return s;
  };
  std::vector<v1::Verdict> verdicts;
  for (int i = 0; i < 20000; ++i) {
    v1::Verdict verdict;
    verdict.set_request_id(random_bytes());
    if (i % 2) verdict.set_action(static_cast<v1::Action>(rng() % 6));
    if (i % 3) verdict.set_severity(static_cast<v1::Severity>(rng() % 6));
    if (i % 5 == 0) verdict.set_truncated(true);
    if (i % 4 == 0) {
      v1::RuleMatch* rule = verdict.add_rule_matches();
      rule->set_rule_id(random_bytes());
      if (i % 8 == 0) rule->set_shadow(true);
      rule->add_folds(static_cast<v1::Fold>(rng() % 40));
      v1::Match* match = rule->add_matches();
      match->set_begin(rng() % 3 == 0 ? 0 : rng());
      match->set_end(rng() % 3 == 0 ? 0 : rng());
      match->set_text(random_bytes());
    }
    if (i % 7 == 0) verdict.mutable_ruleset();  // Set but empty: "{}".
    if (i % 9 == 0) verdict.mutable_stats()->set_bytes_scanned(uint64_t{rng()} << 33);
    if (i % 11 == 0) {
      verdict.mutable_error()->set_message(random_bytes());
    }
    verdicts.push_back(std::move(verdict));
  }
  EXPECT_EQ(ExpectSameJson(verdicts), static_cast<int>(verdicts.size()));
}

TEST_F(VerdictJsonTest, AlwaysPrintFieldsPrintsZeroOffsets) {
  v1::Verdict verdict;
  verdict.add_rule_matches()->add_matches()->set_end(4);
  std::string json = OurJson(verdict, /*always_print=*/true);
  EXPECT_NE(json.find(R"("begin":0,"end":4)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("action":"ACTION_UNSPECIFIED")"), std::string::npos);
  EXPECT_EQ(OurJson(verdict, false).find("begin"), std::string::npos);
}

}  // namespace
}  // namespace watchword
