#include "src/normalize/word.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

constexpr uint32_t kWordCategories =
    U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK | U_GC_NL_MASK | U_GC_PC_MASK;

// The code point starting at `pos`, or -1 at the end of `text`.
UChar32 CodePointAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return -1;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  UChar32 c;
  U8_NEXT(s, pos, text.size(), c);
  return c;
}

// The code point ending at `pos`, or -1 at the start of `text`.
UChar32 CodePointBefore(std::string_view text, size_t pos) {
  if (pos == 0 || pos > text.size()) return -1;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  // U8_PREV takes int32_t offsets; look back at most one code point's worth
  // of bytes so that long texts cannot overflow them.
  const size_t window_start = pos > U8_MAX_LENGTH ? pos - U8_MAX_LENGTH : 0;
  int32_t i = static_cast<int32_t>(pos - window_start);
  UChar32 c;
  U8_PREV(s + window_start, 0, i, c);
  return c;
}

}  // namespace

bool IsWordCodePoint(UChar32 c) {
  if (c < 0x80) {
    if (c < 0) return false;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
  }
  return (U_GET_GC_MASK(c) & kWordCategories) != 0;
}

bool IsWordStart(std::string_view text, size_t pos) {
  return pos == 0 || !IsWordCodePoint(CodePointBefore(text, pos)) ||
         !IsWordCodePoint(CodePointAt(text, pos));
}

bool IsWordEnd(std::string_view text, size_t pos) {
  return pos >= text.size() || !IsWordCodePoint(CodePointAt(text, pos)) ||
         !IsWordCodePoint(CodePointBefore(text, pos));
}

void FindWordStarts(std::string_view text, std::vector<uint32_t>* word_starts) {
  word_starts->clear();
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  bool in_word = false;
  // Spaced-out letters ("s n e a k o u t", "s.n.e.a.k"): one-character
  // words with at most kMaxGap bytes between. Past kMinSpacedRun of them in
  // a row, only every kSpacedLettersPerWord-th starts a word, so that a
  // spaced-out sentence is about as many words apart as written.
  constexpr size_t kMaxGap = 8;  // Two emoji.
  constexpr size_t kMinSpacedRun = 4;
  constexpr size_t kSpacedLettersPerWord = 4;
  size_t singles = 0;         // One-character words in a row, so far.
  size_t chars_in_word = 0;   // Of the current (or last) word.
  size_t word_end = 0;        // Where the last word ended.
  auto end_word = [&](size_t at) {
    word_end = at;
    if (chars_in_word != 1) {
      singles = 0;
      return;
    }
    const size_t place = singles++;  // This one's place in its run.
    if (singles == kMinSpacedRun) {
      // The run is long enough: of its singles so far, the first counts.
      word_starts->resize(word_starts->size() - (kMinSpacedRun - 1));
    } else if (singles > kMinSpacedRun && place % kSpacedLettersPerWord != 0) {
      word_starts->pop_back();
    }
  };
  for (size_t i = 0; i < n;) {
    const size_t start = i;
    UChar32 c;
    if (s[i] < 0x80) {
      c = s[i++];
    } else {
      U8_NEXT(s, i, n, c);
    }
    const bool is_word = IsWordCodePoint(c);
    if (is_word && !in_word) {
      if (start - word_end > kMaxGap) singles = 0;
      word_starts->push_back(static_cast<uint32_t>(start));
      chars_in_word = 0;
    }
    if (is_word) ++chars_in_word;
    if (!is_word && in_word) end_word(start);
    in_word = is_word;
  }
  if (in_word) end_word(n);
}

int64_t WordIndexAt(const std::vector<uint32_t>& word_starts, size_t pos) {
  const auto it = std::upper_bound(word_starts.begin(), word_starts.end(), pos);
  return static_cast<int64_t>(it - word_starts.begin()) - 1;
}

}  // namespace watchword
