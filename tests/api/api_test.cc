// Black-box tests of the public API, using only include/watchword/ as a
// user would.
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "watchword/watchword.h"

namespace {

std::string Source(const std::string& relative) {
  const char* root = std::getenv("WATCHWORD_SOURCE_DIR");
  return std::string(root != nullptr ? root : WATCHWORD_SOURCE_DIR) + "/" +
         relative;
}

// The README's example, as written there.
absl::Status ReadmeExample(watchword::v1::Verdict* out) {
  absl::StatusOr<std::shared_ptr<const watchword::Engine>> engine =
      watchword::CompileFile(Source("rulesets/examples/starter.textproto"));
  if (!engine.ok()) return engine.status();  // names the bad rule
  watchword::Scanner scanner(*engine);        // one per thread, cheap
  watchword::v1::Verdict verdict;
  WATCHWORD_RETURN_IF_ERROR(scanner.Scan("don't tell your mum", &verdict));
  *out = verdict;
  return absl::OkStatus();
}

TEST(ApiTest, ReadmeExampleFlagsSecrecy) {
  watchword::v1::Verdict verdict;
  ASSERT_TRUE(ReadmeExample(&verdict).ok());
  ASSERT_GE(verdict.rule_matches_size(), 1);
  EXPECT_THAT(verdict.rule_matches(0).category(),
              ::testing::HasSubstr("secrecy"));
  EXPECT_GE(verdict.action(), watchword::v1::ACTION_REVIEW);
  EXPECT_EQ(verdict.ruleset().name(), "watchword-starter");
}

TEST(ApiTest, StarterRulesetCompilesOnBothBackendsWithoutErrors) {
  for (auto backend : {watchword::Backend::kRe2, watchword::Backend::kDefault}) {
    std::vector<watchword::v1::Diagnostic> diagnostics;
    auto engine = watchword::CompileFile(
        Source("rulesets/examples/starter.textproto"), {.backend = backend},
        &diagnostics);
    ASSERT_TRUE(engine.ok()) << engine.status();
    for (const auto& d : diagnostics) {
      EXPECT_NE(d.severity(), watchword::v1::Diagnostic::SEVERITY_ERROR)
          << watchword::FormatDiagnostic(d);
    }
    EXPECT_GT((*engine)->rule_count(), 5);
    EXPECT_GT((*engine)->pattern_count(), (*engine)->rule_count());
  }
}

TEST(ApiTest, NormalizeIsExposedForDebugging) {
  watchword::NormalizedText normalized;
  watchword::Normalize("ＨＥＬＬＯ  World", &normalized);
  EXPECT_EQ(normalized.text, "hello world");
  uint32_t begin, end;
  normalized.OriginalSpan(6, 11, &begin, &end);
  EXPECT_EQ(begin, 17u);
  EXPECT_EQ(end, 22u);
}

TEST(ApiTest, BackendNames) {
  EXPECT_STREQ(watchword::BackendName(watchword::Backend::kRe2), "re2");
  EXPECT_STREQ(watchword::BackendName(watchword::Backend::kHyperscan),
               "hyperscan");
}

// version.h is generated from project(watchword VERSION ...), the one place
// the version is set.
TEST(ApiTest, VersionHeaderIsTheProjectVersion) {
  std::ifstream in(Source("CMakeLists.txt"));
  std::stringstream cmake;
  cmake << in.rdbuf();
  std::smatch m;
  const std::string text = cmake.str();
  ASSERT_TRUE(std::regex_search(
      text, m, std::regex(R"(project\(watchword VERSION (\d+)\.(\d+)\.(\d+))")));
  EXPECT_EQ(WATCHWORD_VERSION, m[1].str() + "." + m[2].str() + "." + m[3].str());
  EXPECT_EQ(WATCHWORD_VERSION_MAJOR, std::stoi(m[1].str()));
  EXPECT_EQ(WATCHWORD_VERSION_MINOR, std::stoi(m[2].str()));
  EXPECT_EQ(WATCHWORD_VERSION_PATCH, std::stoi(m[3].str()));
}

}  // namespace
