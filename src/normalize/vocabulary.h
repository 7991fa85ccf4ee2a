// The words of a ruleset's terms, for telling where the words of a run of
// spaced-out letters begin ("s e n d m e u r p i x" joins to
// "sendmeurpix": send, me, ur, pix).
#ifndef WATCHWORD_SRC_NORMALIZE_VOCABULARY_H_
#define WATCHWORD_SRC_NORMALIZE_VOCABULARY_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace watchword {

// A trie of words of ASCII letters. Built once per Engine (IndexEngineRep),
// then read-only: thread-safe to read from any number of threads.
class Vocabulary {
 public:
  // Adds `word`; a word with anything but a-z in it is skipped.
  void Add(std::string_view word);

  bool empty() const { return nodes_.size() <= 1; }

  // Bits of SegmentRun()'s output.
  enum : uint8_t {
    kWordsBefore = 1,  // run[0, i) is a sequence of words.
    kWordsAfter = 2,   // run[i, n) is a sequence of words.
  };

  // Sets (*reach)[i] for each 0 <= i <= run.size() to the bits above, where
  // a word is one of the vocabulary's or a run of digits ("1000").
  // O(run.size() times the longest word): callers keep runs to kMaxRun.
  void SegmentRun(std::string_view run, std::vector<uint8_t>* reach) const;

  static constexpr size_t kMaxRun = 4096;

  // Sets (*earliest)[j], for each 0 <= j <= run.size(), to the least i
  // with may_start[i] such that run[i, j) is a sequence of words (as for
  // SegmentRun()), i == j where may_start[j] and none is less, or kNoStart.
  // REQUIRES: may_start.size() == run.size() + 1. O(run.size() times the
  // longest word).
  void EarliestStarts(std::string_view run,
                      const std::vector<uint8_t>& may_start,
                      std::vector<uint32_t>* earliest) const;

  static constexpr uint32_t kNoStart = UINT32_MAX;

  // Splits `run` (a-z, digits and '*', a masked letter) into words for the
  // masked joined view ("s*ndmeap*c" -> "s*nd me a p*c"): sets
  // (*word_start)[i], for 0 <= i < run.size(), where a word starts. A word
  // is one of the vocabulary's, where a '*' inside it (not first or last)
  // stands for any letter, with at most kMaxMasks masks and no more masks
  // than letters ("f**k", not "p***"), or a run of digits; letters no word covers stay together as one word. It takes the
  // split of fewest words, an uncovered letter counting as two and a word
  // of one letter as one and a half ("do ur", not "d our"). Returns
  // false, leaving *word_start unspecified, if `run` is over kMaxRun or the
  // search for words takes over kMaskedSteps steps per byte. If
  // `covered` is non-null, sets it to whether words cover every letter.
  bool SplitMaskedRun(std::string_view run, std::vector<uint8_t>* word_start,
                      bool* covered = nullptr) const;

  // Reads `run` (a-z) as words of the vocabulary where each letter with
  // other[i] != 0 may be other[i] instead ("1" is "i" or "l": "ouriittle"
  // as "our little"): sets the letters of *run to the reading that leaves
  // the fewest letters outside words, the first such where several do.
  // Returns whether it changed a letter. Leaves *run alone if it is over
  // kMaxRun, other.size() differs, or the search takes over kMaskedSteps
  // steps per byte. O(run.size() times the longest word) without
  // alternatives.
  bool ReadAmbiguousRun(std::string_view other, std::string* run) const;

  static constexpr size_t kMaskedSteps = 64;
  static constexpr uint32_t kMaxMasks = 2;

 private:
  struct Node {
    std::array<uint32_t, 26> next{};  // 0: none (the root is no child).
    bool word = false;
  };
  // Calls `at_end(j)` for each j > i where run[i, j) is a word.
  template <typename AtEnd>
  void WordsAt(std::string_view run, size_t i, AtEnd at_end) const;

  // Calls `at_end(j)` for each j > i where run[i, j) is a word, with masks
  // read as SplitMaskedRun() says; returns false once *budget steps are
  // spent.
  template <typename AtEnd>
  bool MaskedWordsAt(std::string_view run, size_t i, size_t* budget,
                     AtEnd at_end) const;

  std::vector<Node> nodes_ = std::vector<Node>(1);
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_VOCABULARY_H_
