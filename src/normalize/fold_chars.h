// Character questions the folds ask of every code point, answered inline
// for ASCII, and small helpers on FoldUnits. For the files that implement
// the folds (src/normalize/fold*.cc, view_transforms.cc) and the phrase
// forms built from them (src/compile/phrase_forms.cc); not for callers of
// the folds.
#ifndef WATCHWORD_SRC_NORMALIZE_FOLD_CHARS_H_
#define WATCHWORD_SRC_NORMALIZE_FOLD_CHARS_H_

#include <cstdint>

#include "src/normalize/code_points.h"
#include "src/normalize/fold.h"
#include "src/normalize/word.h"
#include "unicode/uchar.h"
#include "unicode/umachine.h"

namespace watchword {

inline bool IsDigit(UChar32 c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_isdigit(c);
}

inline bool IsSpace(UChar32 c) { return c == ' '; }  // The base view's only space.

// IsWordCodePoint() with the ASCII answer inline: this runs per character
// of every field, and most characters are ASCII.
inline bool IsWord(UChar32 c) {
  if (c >= 0 && c < 0x80) return kAsciiUnitKinds[c] & kUnitWord;
  return IsWordCodePoint(c);
}

// A leetspeak symbol between two of these stands for a letter: a masked
// word ("a|*ne") keeps its stand-ins.
inline bool IsWordOrMask(UChar32 c) { return IsWord(c) || c == '*' || c == '#'; }

inline bool IsLetter(UChar32 c) {
  if (c >= 0 && c < 0x80) return kAsciiUnitKinds[c] & kUnitLetter;
  return CodePointInfo::Get().Of(c) & CodePointInfo::kLetter;
}

// A unit whose kind follows from `c`.
inline FoldUnit MakeUnit(UChar32 c, uint32_t begin, uint32_t end,
                         uint16_t folds) {
  return {c, begin, end, folds, UnitKindOf(c)};
}

// Changes a unit's character, keeping its kind in step.
inline void SetChar(FoldUnit* unit, UChar32 c) {
  unit->c = c;
  unit->kind = UnitKindOf(c);
}

// The first byte of `c` in UTF-8.
inline uint8_t FirstUtf8Byte(UChar32 c) {
  if (c < 0x80) return static_cast<uint8_t>(c);
  if (c < 0x800) return static_cast<uint8_t>(0xC0 | (c >> 6));
  if (c < 0x10000) return static_cast<uint8_t>(0xE0 | (c >> 12));
  return static_cast<uint8_t>(0xF0 | (c >> 18));
}

// The last byte of `c`'s UTF-8 encoding.
inline uint8_t LastUtf8Byte(UChar32 c) {
  if (c < 0x80) return static_cast<uint8_t>(c);
  return static_cast<uint8_t>(0x80 | (c & 0x3F));
}

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_FOLD_CHARS_H_
