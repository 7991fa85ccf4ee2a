#include "src/normalize/vocabulary.h"

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

}  // namespace watchword
