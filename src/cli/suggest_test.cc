#include "src/cli/suggest.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace watchword {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(EditDistance("threads", "threads"), 0);
  EXPECT_EQ(EditDistance("thread", "threads"), 1);
  EXPECT_EQ(EditDistance("threadss", "threads"), 1);
  EXPECT_EQ(EditDistance("thraeds", "threads"), 1);
  EXPECT_EQ(EditDistance("threbds", "threads"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(SuggestTest, PicksTheClosestLikelyTypo) {
  const std::vector<std::string> flags = {"--ruleset", "--engine", "--threads",
                                          "--echo", "--timeout_ms"};
  EXPECT_EQ(Suggest("--thread", flags), "--threads");
  EXPECT_EQ(Suggest("--rulset", flags), "--ruleset");
  EXPECT_EQ(Suggest("--timeoutms", flags), "--timeout_ms");
  EXPECT_EQ(Suggest("--ech", flags), "--echo");
  // A prefix of at least three letters.
  EXPECT_EQ(Suggest("--time", flags), "--timeout_ms");
}

TEST(SuggestTest, SuggestsNothingForUnrelatedNames) {
  const std::vector<std::string> commands = {"check", "compile", "test",
                                             "scan", "stats", "diff", "views"};
  EXPECT_EQ(Suggest("frobnicate", commands), "");
  EXPECT_EQ(Suggest("xy", commands), "");
  EXPECT_EQ(Suggest("--output", {"--ruleset", "--engine"}), "");
  EXPECT_EQ(Suggest("sacn", commands), "scan");
  EXPECT_EQ(Suggest("chek", commands), "check");
}

}  // namespace
}  // namespace watchword
