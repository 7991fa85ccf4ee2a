#include "src/normalize/vocabulary.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace watchword {
namespace {

// The offsets i of `run` where run[0, i) and run[i, n) both read as words:
// the word boundaries of a reading of the whole run.
std::vector<size_t> Boundaries(const Vocabulary& vocabulary,
                               const std::string& run) {
  std::vector<uint8_t> reach;
  vocabulary.SegmentRun(run, &reach);
  EXPECT_EQ(reach.size(), run.size() + 1);
  std::vector<size_t> out;
  for (size_t i = 0; i < reach.size(); ++i) {
    if ((reach[i] & Vocabulary::kWordsBefore) &&
        (reach[i] & Vocabulary::kWordsAfter)) {
      out.push_back(i);
    }
  }
  return out;
}

Vocabulary Words(std::initializer_list<const char*> words) {
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  return vocabulary;
}

TEST(VocabularyTest, FindsTheWordBoundariesOfARunOfWords) {
  const Vocabulary v = Words({"send", "me", "ur", "pix", "a"});
  EXPECT_EQ(Boundaries(v, "sendmeurpix"),
            (std::vector<size_t>{0, 4, 6, 8, 11}));
  // Digits are a word of their own.
  EXPECT_EQ(Boundaries(v, "sendme100pix"),
            (std::vector<size_t>{0, 4, 6, 9, 12}));
}

TEST(VocabularyTest, ARunThatDoesNotReadAsWordsHasNoInnerBoundary) {
  const Vocabulary v = Words({"ass", "send", "me"});
  // "cl" is no word: "class" has no reading, though it ends in "ass".
  std::vector<uint8_t> reach;
  v.SegmentRun("class", &reach);
  EXPECT_FALSE(reach[2] & Vocabulary::kWordsBefore);
  EXPECT_TRUE(reach[2] & Vocabulary::kWordsAfter);
  EXPECT_EQ(Boundaries(v, "sendmex"), (std::vector<size_t>{}));
}

TEST(VocabularyTest, SkipsWordsWithOtherThanLowerCaseLetters) {
  const Vocabulary v = Words({"Send", "s3nd", "", "me"});
  EXPECT_FALSE(v.empty());
  EXPECT_EQ(Boundaries(v, "s3ndme"), (std::vector<size_t>{}));
  EXPECT_EQ(Boundaries(v, "meme"), (std::vector<size_t>{0, 2, 4}));
  EXPECT_TRUE(Vocabulary().empty());
}

}  // namespace
}  // namespace watchword
