// EngineHandle: swapping engines while other threads scan.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::watchword::testing::ParseRuleset;

std::shared_ptr<const Engine> EngineFor(const std::string& version,
                                        const std::string& phrase) {
  auto engine = Compile(ParseRuleset(
      "name: 'reload' version: '" + version + "' rules { id: 'r' action: "
      "ACTION_REVIEW match { term { phrase: '" + phrase + "' } } }"));
  EXPECT_TRUE(engine.ok()) << engine.status();
  return *engine;
}

TEST(HotReloadTest, ScannersFollowTheHandle) {
  EngineHandle handle(EngineFor("1", "alpha"));
  Scanner scanner(handle);
  v1::Verdict verdict;
  ASSERT_TRUE(scanner.Scan("alpha beta", &verdict).ok());
  EXPECT_EQ(verdict.ruleset().version(), "1");
  EXPECT_EQ(verdict.rule_matches_size(), 1);

  handle.Set(EngineFor("2", "beta"));
  ASSERT_TRUE(scanner.Scan("alpha", &verdict).ok());
  EXPECT_EQ(verdict.ruleset().version(), "2");
  EXPECT_EQ(verdict.rule_matches_size(), 0);
  ASSERT_TRUE(scanner.Scan("beta", &verdict).ok());
  EXPECT_EQ(verdict.rule_matches_size(), 1);
  EXPECT_EQ(handle.generation(), 1u);
}

TEST(HotReloadTest, ConcurrentScansSeeOneWholeEngineAtATime) {
  // Engine version N matches exactly the phrase NameOf(N). Each verdict
  // must be consistent: it matched iff the text names the version that
  // scanned it. Names are letters: digits would be leetspeak, and "w6" is
  // "w9" ("wg").
  constexpr int kVersions = 40;
  auto name_of = [](int v) {
    return std::string{'w', static_cast<char>('a' + v / 26),
                       static_cast<char>('a' + v % 26)};
  };
  std::vector<std::shared_ptr<const Engine>> engines;
  for (int v = 0; v < kVersions; ++v) {
    engines.push_back(EngineFor(std::to_string(v), name_of(v)));
  }
  EngineHandle handle(engines[0]);
  std::atomic<bool> done{false};
  std::atomic<int> inconsistent{0}, scans{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Scanner scanner(handle);
      v1::Verdict verdict;
      int i = t;
      while (!done.load()) {
        const int named = i++ % kVersions;
        const std::string word = name_of(named);
        if (!scanner.Scan("say " + word + " now", &verdict).ok()) {
          ++failures;
          continue;
        }
        bool matched = verdict.rule_matches_size() == 1;
        bool same_version = verdict.ruleset().version() == std::to_string(named);
        if (matched != same_version) ++inconsistent;
        ++scans;
      }
    });
  }
  for (int v = 1; v < kVersions; ++v) {
    handle.Set(engines[v]);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  done = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(scans.load(), kVersions);
  EXPECT_EQ(handle.Get()->info().version(), std::to_string(kVersions - 1));
}

TEST(HotReloadTest, OldEngineStaysAliveWhileAScannerHoldsIt) {
  auto first = EngineFor("1", "alpha");
  std::weak_ptr<const Engine> weak = first;
  EngineHandle handle(std::move(first));
  auto scanner = std::make_unique<Scanner>(handle.Get());
  handle.Set(EngineFor("2", "beta"));
  EXPECT_FALSE(weak.expired());
  v1::Verdict verdict;
  ASSERT_TRUE(scanner->Scan("alpha", &verdict).ok());
  EXPECT_EQ(verdict.rule_matches_size(), 1);
  scanner.reset();
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace watchword
