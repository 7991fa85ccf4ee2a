// Recall on disguised spellings: every term of tests/evasion/terms.textproto
// under every transform of the evasion generator, and every compatible pair
// of transforms, must be caught at least 99% of the time.
#include <cstdlib>
#include <map>
#include <string>

#include "gtest/gtest.h"
#include "tests/evasion/evasion_corpus.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

struct Tally {
  int total = 0;
  int caught = 0;
  std::vector<std::string> misses;
};

TEST(EvasionTest, FoldsCatchDisguisedTermsWithAtLeast99PercentRecall) {
  for (Backend backend : {Backend::kDefault, Backend::kRe2}) {
    auto engine = CompileFile(
        testing::SourcePath("tests/evasion/terms.textproto"),
        {.backend = backend});
    ASSERT_TRUE(engine.ok()) << engine.status();
    Scanner scanner(*engine);
    v1::Verdict verdict;
    std::map<std::string, Tally> by_transform;
    Tally all;
    for (const v1::Rule& rule : (*engine)->ruleset().rules()) {
      const std::string& phrase = rule.match().term().phrase();
      for (const testing::Evasion& e : testing::Generate(phrase)) {
        ASSERT_TRUE(scanner.Scan("hey " + e.text + " ok", &verdict).ok());
        bool caught = false;
        for (const auto& m : verdict.rule_matches()) {
          caught |= m.rule_id() == rule.id();
        }
        for (Tally* t : {&by_transform[e.transforms], &all}) {
          ++t->total;
          t->caught += caught;
          if (!caught && t != &all) t->misses.push_back(e.text);
        }
      }
    }
    double recall = 100.0 * all.caught / all.total;
    // WATCHWORD_EVASION_TABLE=1 prints every transform, not only misses.
    const char* all_rows = std::getenv("WATCHWORD_EVASION_TABLE");
    std::string table;
    for (const auto& [name, t] : by_transform) {
      if (t.caught == t.total) {
        if (all_rows != nullptr) {
          table += name + ": " + std::to_string(t.caught) + "/" +
                   std::to_string(t.total) + "\n";
        }
        continue;
      }
      table += name + ": " + std::to_string(t.caught) + "/" +
               std::to_string(t.total) + " missed e.g. \"" + t.misses[0] +
               "\"\n";
    }
    EXPECT_GE(recall, 99.0) << BackendName(backend) << ": recall " << recall
                            << "% over " << all.total << " spellings\n"
                            << table;
    // The figure for the record, whether or not it passes.
    std::printf("%s: recall %.2f%% (%d/%d) over %zu transform sets\n%s",
                BackendName(backend), recall, all.caught, all.total,
                by_transform.size(), table.c_str());
  }
}

TEST(EvasionTest, GeneratorIsDeterministicAndCoversEveryTransform) {
  auto a = testing::Generate("send me a pic");
  auto b = testing::Generate("send me a pic");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].text, b[i].text);
  for (const std::string& name : testing::TransformNames()) {
    bool found = false;
    for (const auto& e : a) found |= e.transforms == name;
    EXPECT_TRUE(found) << name;
  }
  EXPECT_GT(a.size(), 100u);
}

}  // namespace
}  // namespace watchword
