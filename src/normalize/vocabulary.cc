#include "src/normalize/vocabulary.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace watchword {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void Vocabulary::Add(std::string_view word) {
  if (word.empty()) return;
  for (char c : word) {
    if (c < 'a' || c > 'z') return;
  }
  uint32_t node = 0;
  for (char c : word) {
    uint32_t& next = nodes_[node].next[c - 'a'];
    if (next == 0) {
      next = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();  // May move the reference's node: reread.
    }
    node = nodes_[node].next[c - 'a'];
  }
  nodes_[node].word = true;
}

template <typename AtEnd>
void Vocabulary::WordsAt(std::string_view run, size_t i, AtEnd at_end) const {
  if (IsDigit(run[i])) {
    size_t j = i;
    while (j < run.size() && IsDigit(run[j])) ++j;
    at_end(j);
    return;
  }
  uint32_t node = 0;
  for (size_t j = i; j < run.size(); ++j) {
    const char c = run[j];
    if (c < 'a' || c > 'z') return;
    node = nodes_[node].next[c - 'a'];
    if (node == 0) return;
    if (nodes_[node].word) at_end(j + 1);
  }
}

void Vocabulary::SegmentRun(std::string_view run,
                            std::vector<uint8_t>* reach) const {
  const size_t n = run.size();
  reach->assign(n + 1, 0);
  std::vector<uint8_t>& r = *reach;
  r[0] |= kWordsBefore;
  r[n] |= kWordsAfter;
  for (size_t i = 0; i < n; ++i) {
    if (!(r[i] & kWordsBefore)) continue;
    WordsAt(run, i, [&r](size_t j) { r[j] |= kWordsBefore; });
  }
  for (size_t i = n; i-- > 0;) {
    WordsAt(run, i, [&r, i](size_t j) {
      if (r[j] & kWordsAfter) r[i] |= kWordsAfter;
    });
  }
}

void Vocabulary::EarliestStarts(std::string_view run,
                                const std::vector<uint8_t>& may_start,
                                std::vector<uint32_t>* earliest) const {
  const size_t n = run.size();
  std::vector<uint32_t>& e = *earliest;
  e.assign(n + 1, kNoStart);
  for (size_t i = 0; i <= n; ++i) {
    if (may_start[i]) e[i] = std::min(e[i], static_cast<uint32_t>(i));
    if (i == n || e[i] == kNoStart) continue;
    const uint32_t from = e[i];
    WordsAt(run, i, [&e, from](size_t j) { e[j] = std::min(e[j], from); });
  }
}

template <typename AtEnd>
bool Vocabulary::MaskedWordsAt(std::string_view run, size_t i, size_t* budget,
                               AtEnd at_end) const {
  if (IsDigit(run[i])) {
    size_t j = i;
    while (j < run.size() && IsDigit(run[j])) ++j;
    at_end(j);
    return true;
  }
  // Depth-first through the trie; a mask follows every child. Words are
  // short, so the stack is too.
  struct Step {
    uint32_t node;
    uint32_t j;  // run[i, j) spells the path to `node`.
    uint32_t masks, letters;
  };
  Step stack[256];  // Up to 25 siblings wait per mask on the path.
  size_t depth = 0;
  stack[depth++] = {0, static_cast<uint32_t>(i), 0, 0};
  while (depth > 0) {
    if (*budget == 0) return false;
    --*budget;
    const Step s = stack[--depth];
    if (s.node != 0 && nodes_[s.node].word && s.masks <= s.letters &&
        run[s.j - 1] != '*') {
      at_end(s.j);
    }
    if (s.j == run.size()) continue;
    const char c = run[s.j];
    if (c >= 'a' && c <= 'z') {
      const uint32_t next = nodes_[s.node].next[c - 'a'];
      if (next != 0 && depth < std::size(stack)) {
        stack[depth++] = {next, s.j + 1, s.masks, s.letters + 1};
      }
    } else if (c == '*' && s.letters > 0 && s.masks < kMaxMasks) {
      // Not a word's first letter, nor most of it.
      for (uint32_t next : nodes_[s.node].next) {
        if (next != 0 && depth < std::size(stack)) {
          stack[depth++] = {next, s.j + 1, s.masks + 1, s.letters};
        }
      }
    }
  }
  return true;
}

bool Vocabulary::SplitMaskedRun(std::string_view run,
                                std::vector<uint8_t>* word_start,
                                bool* covered_all) const {
  // Costs, in halves of a word: a word; a word of one letter, so that of
  // two splits of as many words the one with fewer such wins ("do ur", not
  // "d our"); a letter no word has.
  constexpr uint32_t kWord = 2;
  constexpr uint32_t kLetterWord = 3;
  constexpr uint32_t kUncovered = 4;
  constexpr uint32_t kNone = UINT32_MAX;
  const size_t n = run.size();
  if (n > kMaxRun) return false;
  // cost[j]: the cheapest split of run[0, j); from[j]: where its last word
  // starts; covered[j]: whether a word (not an uncovered letter) ends at j.
  std::vector<uint32_t> cost(n + 1, kNone), from(n + 1, 0);
  std::vector<uint8_t> covered(n + 1, 0);
  cost[0] = 0;
  size_t budget = kMaskedSteps * (n + 1);
  for (size_t i = 0; i < n; ++i) {
    if (cost[i] == kNone) continue;
    if (cost[i] + kUncovered < cost[i + 1]) {
      cost[i + 1] = cost[i] + kUncovered;
      from[i + 1] = static_cast<uint32_t>(i);
      covered[i + 1] = 0;
    }
    const bool within = MaskedWordsAt(run, i, &budget, [&](size_t j) {
      const uint32_t word = j == i + 1 ? kLetterWord : kWord;
      if (cost[i] + word < cost[j]) {
        cost[j] = cost[i] + word;
        from[j] = static_cast<uint32_t>(i);
        covered[j] = 1;
      }
    });
    if (!within) return false;
  }
  word_start->assign(n, 0);
  if (covered_all != nullptr) *covered_all = true;
  // Back from the end; an uncovered letter after another joins its word.
  for (size_t j = n; j > 0;) {
    const size_t i = from[j];
    if (!covered[j] && covered_all != nullptr) *covered_all = false;
    const bool glued = !covered[j] && i > 0 && !covered[i];
    if (!glued) (*word_start)[i] = 1;
    j = i;
  }
  return true;
}

bool Vocabulary::ReadAmbiguousRun(std::string_view other,
                                  std::string* run) const {
  const size_t n = run->size();
  if (n > kMaxRun || other.size() != n || empty()) return false;
  constexpr uint32_t kUnreached = UINT32_MAX;
  // best[j]: the fewest letters outside words in a reading of run[0, j);
  // start[j]: where the last word (or uncovered letter) of it starts;
  // letters[j]: that word as read.
  std::vector<uint32_t> best(n + 1, kUnreached);
  std::vector<uint32_t> start(n + 1, 0);
  std::vector<std::string> letters(n + 1);
  best[0] = 0;
  size_t budget = kMaskedSteps * n;
  std::string path;
  // Walks the trie from `node` at run[j], each letter as written or as its
  // other, relaxing best[] at each word's end.
  auto walk = [&](auto&& self, uint32_t node, size_t i, size_t j) -> bool {
    if (j >= n) return true;
    for (int way = 0; way < 2; ++way) {
      const char c = way == 0 ? (*run)[j] : other[j];
      if (c < 'a' || c > 'z' || (way == 1 && c == (*run)[j])) continue;
      if (budget == 0) return false;
      --budget;
      const uint32_t next = nodes_[node].next[c - 'a'];
      if (next == 0) continue;
      path.push_back(c);
      if (nodes_[next].word && best[i] < best[j + 1]) {
        best[j + 1] = best[i];
        start[j + 1] = static_cast<uint32_t>(i);
        letters[j + 1] = path;
      }
      const bool ok = self(self, next, i, j + 1);
      path.pop_back();
      if (!ok) return false;
    }
    return true;
  };
  for (size_t i = 0; i < n; ++i) {
    if (best[i] == kUnreached) continue;
    if (best[i] + 1 < best[i + 1]) {  // run[i] outside any word.
      best[i + 1] = best[i] + 1;
      start[i + 1] = static_cast<uint32_t>(i);
      letters[i + 1].assign(1, (*run)[i]);
    }
    path.clear();
    if (!walk(walk, 0, i, i)) return false;
  }
  bool changed = false;
  for (size_t j = n; j > 0; j = start[j]) {
    const std::string& word = letters[j];
    for (size_t k = 0; k < word.size(); ++k) {
      char& c = (*run)[start[j] + k];
      changed |= c != word[k];
      c = word[k];
    }
  }
  return changed;
}

}  // namespace watchword
