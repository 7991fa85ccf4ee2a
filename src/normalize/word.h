// Word characters and word boundaries over normalized text, for whole-word
// matching and word-distance (proximity) conditions.
//
// All functions take text produced by Normalize() (valid UTF-8) and byte
// offsets into it. They are pure and thread-safe.
#ifndef WATCHWORD_SRC_NORMALIZE_WORD_H_
#define WATCHWORD_SRC_NORMALIZE_WORD_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "unicode/umachine.h"

namespace watchword {

// Returns true if `c` is part of a word: a letter (L*), a mark (M*), a
// decimal digit (Nd), a letter number (Nl), or connector punctuation (Pc,
// which includes '_'). Negative values (ill-formed input) are not word
// characters. ASCII is answered without ICU.
bool IsWordCodePoint(UChar32 c);

// Returns true if a match may start at byte offset `pos` of `text` and still
// be whole-word: `pos` is 0, or the code point before `pos` is not a word
// character, or there is no word character at `pos` (including
// `pos == text.size()`).
//
// A match [b, e) is whole-word iff IsWordStart(text, b) && IsWordEnd(text, e).
// REQUIRES: `pos <= text.size()` and `pos` is on a code point boundary.
bool IsWordStart(std::string_view text, size_t pos);

// Returns true if a match may end at byte offset `pos` of `text` and still be
// whole-word: `pos` is `text.size()`, or the code point at `pos` is not a word
// character, or there is no word character before `pos` (including
// `pos == 0`).
// REQUIRES: `pos <= text.size()` and `pos` is on a code point boundary.
bool IsWordEnd(std::string_view text, size_t pos);

// IsWordCodePoint(c) for an ASCII byte `c` (below 0x80), by a bit table.
inline constexpr uint64_t kAsciiWordBits[2] = {
    0x03ff000000000000,   // '0' to '9'
    0x07fffffe87fffffe};  // 'A' to 'Z', '_', 'a' to 'z'
inline bool IsAsciiWordByte(uint8_t c) {
  return (kAsciiWordBits[c >> 6] >> (c & 63)) & 1;
}

// IsWordStart() and IsWordEnd(), answered inline where the bytes either
// side of `pos` are ASCII, as most are: every occurrence a matcher reports
// asks one or both, and the calls were most of the cost.
inline bool IsWordStartInline(std::string_view text, size_t pos) {
  if (pos == 0 || pos >= text.size()) return true;
  const auto before = static_cast<uint8_t>(text[pos - 1]);
  const auto at = static_cast<uint8_t>(text[pos]);
  if ((before | at) >= 0x80) return IsWordStart(text, pos);
  return !(IsAsciiWordByte(before) && IsAsciiWordByte(at));
}

inline bool IsWordEndInline(std::string_view text, size_t pos) {
  if (pos == 0 || pos >= text.size()) return true;
  const auto last = static_cast<uint8_t>(text[pos - 1]);
  const auto after = static_cast<uint8_t>(text[pos]);
  if ((last | after) >= 0x80) return IsWordEnd(text, pos);
  return !(IsAsciiWordByte(last) && IsAsciiWordByte(after));
}

// Replaces *word_starts with the byte offset at which each word (a maximal run
// of word code points) of `text` begins, in increasing order. Letters spaced
// out ("s n e a k o u t", "s.n.e.a.k"), 4 or more one-character words in a
// row, count one word for every 4 of them, so that proximity measures them
// about as it measures the words they spell. Reuse the vector across calls
// to avoid allocation.
void FindWordStarts(std::string_view text, std::vector<uint32_t>* word_starts);

// Returns the index of the word containing or preceding byte offset `pos`:
// the number of entries of `word_starts` (from FindWordStarts) that are
// <= `pos`, minus 1. Returns -1 if `pos` comes before the first word.
// Offsets in the gap after word k (spaces, punctuation) get index k, so the
// word distance between two matches is the difference of their indexes.
int64_t WordIndexAt(const std::vector<uint32_t>& word_starts, size_t pos);

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_WORD_H_
