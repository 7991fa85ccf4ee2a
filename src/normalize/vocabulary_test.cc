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

// ReadAmbiguousRun() on `run` with `other`, where '.' is no alternative.
std::string ReadAmbiguous(const Vocabulary& vocabulary, std::string run,
                          std::string other) {
  for (char& c : other) c = c == '.' ? '\0' : c;
  if (!vocabulary.ReadAmbiguousRun(other, &run)) return "<unchanged>";
  return run;
}

TEST(VocabularyTest, AmbiguousLettersReadAsTheWordsTheRunNeeds) {
  const Vocabulary v = Words({"our", "little", "secret", "video", "call"});
  // Each "i" of "1" may be "l"; a run takes the meaning each word needs.
  EXPECT_EQ(ReadAmbiguous(v, "ouriittlesecret", "...ll.........."),
            "ourlittlesecret");
  EXPECT_EQ(ReadAmbiguous(v, "videocail", ".l.....l."), "videocall");
  // Letters outside words stay; only letters with an alternative change.
  EXPECT_EQ(ReadAmbiguous(v, "videocailx", ".l.....l.."), "videocallx");
  EXPECT_EQ(ReadAmbiguous(v, "videocaii", ".l......."), "<unchanged>");
  // Near misses: no word needs the other meaning.
  EXPECT_EQ(ReadAmbiguous(v, "iiiiii", "llllll"), "<unchanged>");
  EXPECT_EQ(ReadAmbiguous(v, "ourlittle", "......l.."), "<unchanged>");
  // A size mismatch changes nothing.
  EXPECT_EQ(ReadAmbiguous(v, "videocail", ".l"), "<unchanged>");
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

// SplitMaskedRun()'s words of `run`, space-separated, or "<none>".
std::string Split(const Vocabulary& vocabulary, const std::string& run) {
  std::vector<uint8_t> starts;
  if (!vocabulary.SplitMaskedRun(run, &starts)) return "<none>";
  EXPECT_EQ(starts.size(), run.size());
  std::string out;
  for (size_t i = 0; i < run.size(); ++i) {
    if (starts[i] && i > 0) out += ' ';
    out += run[i];
  }
  return out;
}

TEST(VocabularyTest, SplitsAMaskedRunIntoWordsAMaskMayStandIn) {
  const Vocabulary v = Words({"send", "me", "a", "pic", "our", "secret"});
  EXPECT_EQ(Split(v, "s*ndmeap*c"), "s*nd me a p*c");
  EXPECT_EQ(Split(v, "o*rsec*et"), "o*r sec*et");
  // Letters no word covers stay one word, beside the words that are.
  EXPECT_EQ(Split(v, "heys*ndme"), "hey s*nd me");
  EXPECT_EQ(Split(v, "send100pics"), "send 100 pic s");
}

// Of two splits of as many words, the one with fewer words of one letter:
// "do ur", not "d our"; a one-letter word still beats a letter no word has.
TEST(VocabularyTest, ASplitPrefersWordsOfTwoLettersOrMore) {
  EXPECT_EQ(Split(Words({"d", "do", "our", "ur", "parents"}), "dourp*rents"),
            "do ur p*rents");
  EXPECT_EQ(Split(Words({"send", "me", "a", "pic"}), "s*ndmeap*c"),
            "s*nd me a p*c");
  EXPECT_EQ(Split(Words({"d", "our", "parents"}), "dourp*rents"),
            "d our p*rents");
}

TEST(VocabularyTest, AMaskNeverStartsOrEndsAWordNorOutnumbersItsLetters) {
  const Vocabulary v = Words({"send", "me", "pic", "ab"});
  // "*end" and "pi*" would be words if a mask could stand first or last.
  EXPECT_EQ(Split(v, "*endme"), "*end me");
  EXPECT_EQ(Split(v, "mepi*"), "me pi*");
  // Two masks for two letters: "s**d" may be "send"; "**" is no word.
  EXPECT_EQ(Split(v, "s**dme"), "s**d me");
  EXPECT_EQ(Split(v, "a**b"), "a**b");
  // Three masks in a word are too many, though the letters are as many.
  const Vocabulary pass = Words({"password"});
  EXPECT_EQ(Split(pass, "pa**word"), "pa**word");
  EXPECT_EQ(Split(pass, "pa***ord"), "pa***ord");
  EXPECT_EQ(Split(Words({"password", "me"}), "pa**wordme"), "pa**word me");
  EXPECT_EQ(Split(Words({"password", "me"}), "pa***ordme"), "pa***ord me");
}

TEST(VocabularyTest, ASplitOfManyMasksStopsAtItsBudget) {
  Vocabulary v;
  // Every word of three letters: each mask branches 26 ways.
  for (char a = 'a'; a <= 'z'; ++a) {
    for (char b = 'a'; b <= 'z'; ++b) {
      for (char c = 'a'; c <= 'z'; ++c) v.Add(std::string{a, b, c, 'x'});
    }
  }
  // About 700 steps from each "a", over kMaskedSteps for its 3 bytes.
  std::string run;
  for (int i = 0; i < 4; ++i) run += "a**";
  EXPECT_EQ(Split(v, run + "x"), "<none>");
  EXPECT_EQ(Split(v, "abcx"), "abcx");
  EXPECT_EQ(Split(v, std::string(Vocabulary::kMaxRun + 1, 'a')), "<none>");
}

TEST(VocabularyTest, EarliestStartsFindTheLongestReadingEndingAtEachOffset) {
  Vocabulary vocabulary;
  for (const char* word : {"send", "me", "a", "pic"}) vocabulary.Add(word);
  // "xsendmeapic": words may start at 0 and 1 only.
  const std::string run = "xsendmeapic";
  std::vector<uint8_t> may_start(run.size() + 1, 0);
  may_start[0] = may_start[1] = 1;
  std::vector<uint32_t> earliest;
  vocabulary.EarliestStarts(run, may_start, &earliest);
  ASSERT_EQ(earliest.size(), run.size() + 1);
  EXPECT_EQ(earliest[0], 0u);
  EXPECT_EQ(earliest[1], 1u);
  EXPECT_EQ(earliest[5], 1u);    // "send".
  EXPECT_EQ(earliest[11], 1u);   // "sendmeapic".
  EXPECT_EQ(earliest[3], Vocabulary::kNoStart);
  EXPECT_EQ(earliest[10], Vocabulary::kNoStart);  // "sendmeapi".
}

TEST(VocabularyTest, SaysWhetherWordsCoverAMaskedRun) {
  Vocabulary vocabulary;
  for (const char* word : {"send", "me", "a", "pic"}) vocabulary.Add(word);
  std::vector<uint8_t> word_start;
  bool covered = false;
  ASSERT_TRUE(vocabulary.SplitMaskedRun("s*ndmeap*c", &word_start, &covered));
  EXPECT_TRUE(covered);
  ASSERT_TRUE(vocabulary.SplitMaskedRun("s*ndxmeap*c", &word_start, &covered));
  EXPECT_FALSE(covered);
}

}  // namespace
}  // namespace watchword
