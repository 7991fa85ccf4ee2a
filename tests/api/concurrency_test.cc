// One Engine shared by many threads, a Scanner per thread: every thread must
// get the verdicts a lone scanner gets. Run under ThreadSanitizer by
// scripts/tsan.sh; it also runs in the ordinary suites.
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::watchword::testing::SourcePath;

// Texts that reach every kind of pattern of diff.textproto (literals,
// regexes, proximity, exceptions) through several folds.
const std::vector<std::string>& Texts() {
  static const auto* texts = new std::vector<std::string>{
      "add me on snap",
      "text me on whats app",
      "dont tell ur mom, add me on t3l3gram",
      "how old r u",
      "call me at 555 010 0199",
      "our ѕесrеt, ok?",
      "are you h o m e alone",
      "free robux for you",
      "i l0000ve it",
      "dont tell, it's a surprise party",
      "nothing to see here, just homework",
  };
  return *texts;
}

std::vector<std::string> ScanAll(Scanner& scanner) {
  std::vector<std::string> out;
  v1::Verdict verdict;
  for (const std::string& text : Texts()) {
    EXPECT_TRUE(scanner.Scan(text, &verdict).ok());
    out.push_back(verdict.SerializeAsString());
  }
  return out;
}

class ConcurrencyTest : public ::testing::TestWithParam<Backend> {};

TEST_P(ConcurrencyTest, ScannersPerThreadAgreeWithALoneScanner) {
  if (GetParam() == Backend::kHyperscan && !HasHyperscan()) {
    GTEST_SKIP() << "built without Hyperscan";
  }
  // A fresh Engine, so the threads race on its lazily compiled regexes.
  auto engine = CompileFile(SourcePath("tests/api/testdata/diff.textproto"),
                            {.backend = GetParam()});
  ASSERT_TRUE(engine.ok()) << engine.status();
  constexpr int kThreads = 4;
  constexpr int kRounds = 20;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Scanner scanner(*engine);
      for (int round = 0; round < kRounds; ++round) {
        std::vector<std::string> got = ScanAll(scanner);
        if (round == 0) results[t] = got;
        if (got != results[t]) results[t].clear();  // Unstable: fail below.
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  Scanner lone(*engine);
  const std::vector<std::string> expected = ScanAll(lone);
  int matched = 0;
  for (const std::string& bytes : expected) {
    v1::Verdict verdict;
    ASSERT_TRUE(verdict.ParseFromString(bytes));
    if (verdict.rule_matches_size() > 0) ++matched;
  }
  EXPECT_GE(matched, 8) << "the texts no longer exercise the ruleset";
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(results[t], expected) << "thread " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrencyTest,
                         ::testing::Values(Backend::kHyperscan, Backend::kRe2),
                         [](const auto& info) {
                           return info.param == Backend::kHyperscan
                                      ? std::string("Hyperscan")
                                      : std::string("Re2");
                         });

}  // namespace
}  // namespace watchword
