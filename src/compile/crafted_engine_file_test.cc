// Engine files crafted to hold a ruleset that validation refuses, with a
// good checksum and fingerprint, as anyone can make them: loading validates
// the ruleset again and refuses them with DataLoss, never loading an engine
// that breaks an invariant the lowering and the scanner rely on.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "src/compile/lower.h"
#include "src/compile/matcher_builder.h"
#include "src/compile/ruleset_limits.h"
#include "src/engine/engine_file.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::watchword::testing::ParseRuleset;
using ::watchword::testing::StatusIs;

std::vector<Backend> Backends() {
  std::vector<Backend> backends = {Backend::kRe2};
  if (HasHyperscan()) backends.push_back(Backend::kHyperscan);
  return backends;
}

std::string Deterministic(const v1::Ruleset& ruleset) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    ruleset.SerializeToCodedStream(&coded);
  }
  return bytes;
}

// Returns the engine file a compile that skipped validation would write
// for `ruleset`: the header fields of a real file, the ruleset with its
// fingerprint and, for Hyperscan, databases built from its lowering.
std::string Craft(const v1::Ruleset& ruleset, Backend backend) {
  static const v1::Ruleset* const kValid = new v1::Ruleset(
      ParseRuleset(R"pb(rules {
                          id: "r"
                          action: ACTION_REVIEW
                          match { term { phrase: "secret" } }
                        })pb"));
  absl::StatusOr<std::shared_ptr<const Engine>> real =
      Compile(*kValid, {.backend = backend});
  EXPECT_TRUE(real.ok()) << real.status();
  if (!real.ok()) return "";
  absl::StatusOr<std::string> real_bytes = SerializeEngine(**real);
  EXPECT_TRUE(real_bytes.ok()) << real_bytes.status();
  absl::StatusOr<EngineFile> file = DecodeEngineFile(*real_bytes);
  EXPECT_TRUE(file.ok()) << file.status();

  const std::string bytes = Deterministic(ruleset);
  const std::string fingerprint = RulesetFingerprint(ruleset);
  file->ruleset = bytes;
  file->ruleset_fingerprint = fingerprint;
  file->matchers.clear();
  std::vector<std::string> databases;
  absl::StatusOr<std::unique_ptr<EngineRep>> rep = LowerRuleset(ruleset);
  if (backend == Backend::kHyperscan && rep.ok()) {
    std::vector<MatcherSpec> specs = PlanMatchers(**rep);
    databases.reserve(specs.size());
    for (MatcherSpec& spec : specs) {
      EngineFileMatcher stored;
      stored.name = spec.name;
      stored.pattern_count = static_cast<uint32_t>(spec.patterns.size());
      stored.patterns_fingerprint = HyperscanPatternsFingerprint(spec.patterns);
      databases.emplace_back();
      if (!spec.patterns.empty() || spec.required) {
        auto matcher = BuildMatcher(backend, spec.patterns, spec.ids);
        if (matcher.ok()) {
          databases.back() = *SerializeHyperscanDatabase(**matcher);
        }
      }
      stored.database = databases.back();
      file->matchers.push_back(stored);
    }
  }
  return EncodeEngineFile(*file);
}

// A one-rule ruleset with `match` and the `extra` fields of the rule.
v1::Ruleset Rule(const std::string& match, const std::string& extra = "",
                 const std::string& outside = "") {
  return ParseRuleset(absl::StrCat(
      outside, R"pb( rules { id: "r" action: ACTION_REVIEW match { )pb", match,
      " } ", extra, " }"));
}

// Loads Craft(ruleset) on every backend and expects DataLoss for a ruleset
// that does not validate, with `code` in the message.
void ExpectRefused(const v1::Ruleset& ruleset, const char* code) {
  for (Backend backend : Backends()) {
    SCOPED_TRACE(BackendName(backend));
    absl::StatusOr<std::shared_ptr<const Engine>> loaded =
        DeserializeEngine(Craft(ruleset, backend));
    EXPECT_THAT(loaded, StatusIs(absl::StatusCode::kDataLoss,
                                 AllOf(HasSubstr("does not validate"),
                                       HasSubstr(code))));
  }
}

TEST(CraftedEngineFileTest, CraftedFileOfAValidRulesetLoadsAndScans) {
  // The crafting itself makes good files: what the tests below refuse is
  // the ruleset alone.
  const v1::Ruleset ruleset =
      Rule(R"pb(near {
                  exprs { term { phrase: "keep" } }
                  exprs { term { phrase: "secret" } }
                  max_words: 3
                })pb");
  for (Backend backend : Backends()) {
    absl::StatusOr<std::shared_ptr<const Engine>> loaded =
        DeserializeEngine(Craft(ruleset, backend));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ((*loaded)->backend(), backend);
    Scanner scanner(*loaded);
    v1::Verdict verdict;
    ASSERT_TRUE(scanner.Scan("keep it a secret", &verdict).ok());
    EXPECT_EQ(verdict.rule_matches_size(), 1);
  }
}

// An RE2 file with an empty `near {}` beside a term loaded, then crashed
// the first scan that found the term (CLI and Python, SIGSEGV).
TEST(CraftedEngineFileTest, RefusesEmptyNear) {
  ExpectRefused(Rule(R"pb(all {
                            exprs { term { phrase: "hello" } }
                            exprs { near {} }
                          })pb"),
                "WW109");
  ExpectRefused(Rule("near {}"), "WW109");
}

TEST(CraftedEngineFileTest, RefusesNearWithOneOperand) {
  ExpectRefused(Rule(R"pb(near { exprs { term { phrase: "a" } } })pb"),
                "WW109");
}

TEST(CraftedEngineFileTest, RefusesNearOverANonPositionalExpression) {
  ExpectRefused(Rule(R"pb(near {
                            exprs { term { phrase: "a" } }
                            exprs { all { exprs { term { phrase: "b" } } } }
                          })pb"),
                "WW109");
}

TEST(CraftedEngineFileTest, RefusesEmptyExpressionsAndLists) {
  ExpectRefused(Rule(R"pb(any { exprs { term { phrase: "a" } } exprs {} })pb"),
                "WW107");
  ExpectRefused(Rule("any {}"), "WW108");
  ExpectRefused(Rule(R"pb(none { exprs { term { phrase: "a" } } })pb"),
                "WW110");
  ExpectRefused(Rule(R"pb(term {})pb"), "WW205");
}

TEST(CraftedEngineFileTest, RefusesReferencesToNothing) {
  ExpectRefused(Rule(R"pb(term_list: "no-such-list")pb"), "WW203");
  ExpectRefused(Rule(R"pb(term { phrase: "a" })pb",
                     R"pb(exceptions { term_lists: "no-such-list" })pb"),
                "WW203");
  ExpectRefused(Rule(R"pb(term { phrase: "a" })pb",
                     R"pb(exceptions {
                            terms { phrase: "b" }
                            only_terms: "no-such-term"
                          })pb"),
                "WW211");
  ExpectRefused(Rule(R"pb(term { phrase: "a" })pb", R"pb(fields: "nope")pb"),
                "WW112");
}

TEST(CraftedEngineFileTest, RefusesDuplicateIds) {
  v1::Ruleset ruleset = Rule(R"pb(term { phrase: "a" })pb");
  *ruleset.add_rules() = ruleset.rules(0);
  ExpectRefused(ruleset, "WW102");
  ExpectRefused(Rule(R"pb(term_list: "l")pb", "",
                     R"pb(term_lists { id: "l" terms { phrase: "a" } }
                          term_lists { id: "l" terms { phrase: "b" } })pb"),
                "WW202");
}

TEST(CraftedEngineFileTest, RefusesExpressionsNestedTooDeep) {
  std::string match = R"pb(term { phrase: "a" })pb";
  for (int i = 0; i < kMaxExprDepth; ++i) {
    match = absl::StrCat("any { exprs { ", match, " } }");
  }
  ExpectRefused(Rule(match), "WW114");
  // Past what protobuf parses: refused before validation.
  for (int i = 0; i < kMaxMessageDepth; ++i) {
    match = absl::StrCat("any { exprs { ", match, " } }");
  }
  for (Backend backend : Backends()) {
    EXPECT_THAT(DeserializeEngine(Craft(Rule(match), backend)),
                StatusIs(absl::StatusCode::kDataLoss,
                         HasSubstr("ruleset does not parse")));
  }
}

TEST(CraftedEngineFileTest, RefusesBadRegexes) {
  ExpectRefused(Rule(R"pb(term { regex: "(a" })pb"), "WW208");
  ExpectRefused(Rule(R"pb(term { regex: "a*" })pb"), "WW209");
}

TEST(CraftedEngineFileTest, RefusesBadStrings) {
  ExpectRefused(Rule(R"pb(term { phrase: "a\000b" })pb"), "WW212");
  ExpectRefused(Rule(R"pb(term { phrase: " " })pb"), "WW206");
  // Protobuf refuses to parse proto3 strings that are not UTF-8.
  for (Backend backend : Backends()) {
    EXPECT_THAT(
        DeserializeEngine(Craft(Rule(R"pb(term { phrase: "a\xff" })pb"),
                                backend)),
        StatusIs(absl::StatusCode::kDataLoss,
                 AnyOf(HasSubstr("does not parse"), HasSubstr("WW007"))));
  }
}

TEST(CraftedEngineFileTest, RefusesBadConditionsAndNormalization) {
  ExpectRefused(Rule(R"pb(term { phrase: "a" })pb", "conditions {}"), "WW301");
  ExpectRefused(Rule(R"pb(term { phrase: "a" })pb", "",
                     R"pb(normalization { leet { from: "ab" to: "c" } })pb"),
                "WW501");
  ExpectRefused(Rule(R"pb(term { phrase: "a" })pb", "",
                     R"pb(normalization { equivalences { words: "u" } })pb"),
                "WW502");
}

TEST(CraftedEngineFileTest, FingerprintMismatchDoesNotSayTheExpectedOne) {
  const v1::Ruleset ruleset = Rule(R"pb(term { phrase: "a" })pb");
  absl::StatusOr<EngineFile> file;
  const std::string bytes = Craft(ruleset, Backend::kRe2);
  file = DecodeEngineFile(bytes);
  ASSERT_TRUE(file.ok());
  EngineFile edited = *file;
  edited.ruleset_fingerprint = "0123456789abcdef";
  absl::StatusOr<std::shared_ptr<const Engine>> loaded =
      DeserializeEngine(EncodeEngineFile(edited));
  EXPECT_THAT(loaded,
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("0123456789abcdef"),
                             Not(HasSubstr(RulesetFingerprint(ruleset))))));
}

}  // namespace
}  // namespace watchword
