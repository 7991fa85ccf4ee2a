// The words of a ruleset's terms, for telling where the words of a run of
// spaced-out letters begin ("s e n d m e u r p i x" joins to
// "sendmeurpix": send, me, ur, pix).
#ifndef WATCHWORD_SRC_NORMALIZE_VOCABULARY_H_
#define WATCHWORD_SRC_NORMALIZE_VOCABULARY_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"

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

 private:
  struct Node {
    std::array<uint32_t, 26> next{};  // 0: none (the root is no child).
    bool word = false;
  };
  // Calls `at_end(j)` for each j > i where run[i, j) is a word.
  template <typename AtEnd>
  void WordsAt(std::string_view run, size_t i, AtEnd at_end) const;

  std::vector<Node> nodes_ = std::vector<Node>(1);
};

// Phrases of several words run together into a word shorter than the
// joined view's general trigger ("giftcard", "rualone": kRunTogetherLetters
// in src/scan/view_sequence.h), which no term word spells by itself. A text
// with such a word gets the joined view, where it meets its phrase; text
// whose words are all shorter otherwise never does. Built once per Engine
// (IndexEngineRep), then read-only: thread-safe to read.
class RunTogetherWords {
 public:
  // Shorter ones ("ruok") are too often something else, and the words a
  // scan looks up fit in 8 bytes.
  static constexpr size_t kMinLetters = 5;
  static constexpr size_t kMaxLetters = 8;

  // Adds `word`; a word with anything but a-z in it, or of another length,
  // is skipped.
  void Add(std::string_view word);

  bool empty() const { return keys_.empty(); }

  // Whether `word` was added. One table lookup rules out most words of
  // the right length.
  bool Contains(std::string_view word) const {
    if (word.size() < kMinLetters || word.size() > kMaxLetters) return false;
    const uint8_t first = static_cast<uint8_t>(word.front() - 'a');
    const uint8_t last = static_cast<uint8_t>(word.back() - 'a');
    if (first >= 26 || last >= 26 || !((ends_[first] >> last) & 1)) {
      return false;
    }
    return keys_.contains(Key(word));
  }

 private:
  // The word's bytes, zero-padded: no letter is zero, so words of
  // different lengths differ.
  static uint64_t Key(std::string_view word) {
    uint64_t key = 0;
    std::memcpy(&key, word.data(), word.size());
    return key;
  }

  std::array<uint32_t, 26> ends_{};  // Bit `last` of ends_[first].
  absl::flat_hash_set<uint64_t> keys_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_VOCABULARY_H_
