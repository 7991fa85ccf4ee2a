// What src/normalize/fold.cc and its ASCII fast path, fold_ascii.cc, share:
// questions about the original bytes behind a unit, and the rules both
// joins apply. Internal to the folds; not for their callers.
#ifndef WATCHWORD_SRC_NORMALIZE_FOLD_INTERNAL_H_
#define WATCHWORD_SRC_NORMALIZE_FOLD_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/normalize/disguise_table.h"
#include "src/normalize/fold.h"
#include "src/normalize/fold_chars.h"
#include "src/normalize/fold_config.h"
#include "unicode/umachine.h"

namespace watchword {

// Whether the original bytes [begin, end) hold an invisible
// (default-ignorable) code point.
bool HasInvisible(std::string_view original, uint32_t begin, uint32_t end);

// The code point written in original bytes [begin, end), or -1 if they
// hold none or more than one besides marks and invisible characters
// after it ("Η" with an accent or a zero-width space is "Η" as written),
// and, with a non-null `config`, the apostrophes its spacing fold dropped
// there ("Ν'" of "DΟΝ'Τ").
UChar32 WrittenAt(std::string_view original, uint32_t begin, uint32_t end,
                  const FoldConfig* config = nullptr);

// Code points whose NFKC_Casefold is not the letter or mark they are drawn
// as: the combining ypogegrammeni (a mark under a letter, "ͅ") becomes the
// letter "ι", and the spacing one ("ͺ", confused with "i") a space and
// that "ι".
constexpr UChar32 kCombiningYpogegrammeni = 0x345;
constexpr UChar32 kYpogegrammeni = 0x37A;
constexpr UChar32 kSmallIota = 0x3B9;

// Whether the original bytes [begin, end) behind a code point of `length`
// bytes hide an invisible character. A range longer than the code point's
// own bytes hides something: a removed invisible character, or a
// compatibility form.
inline bool HasHiddenBytes(std::string_view original, uint32_t begin,
                           uint32_t end, int32_t length) {
  return end - begin > static_cast<uint32_t>(length) &&
         HasInvisible(original, begin, end);
}

// The sequence row matching at byte `i` of ASCII `t`, for FoldAscii() to
// hand such text to FoldBase(); null if none.
inline const Disguise* AsciiSequenceAt(std::string_view t, size_t i,
                                       const FoldConfig& config) {
  for (const Disguise& row : config.sequences()) {
    if (t.compare(i, row.from.size(), row.from) == 0) return &row;
  }
  return nullptr;
}

// Whether `c`, followed by `next`, is a mark beside which separators read
// as a space (kJoinSpace, "_") that a word character has on its other side
// are a space too ("over,_dont", "it._i", "number:_555", "you_$20"): a
// punctuation mark or symbol that is no space, no join, and no letter's
// stand-in or mask ("p_!_c", "o_*_r" keep theirs), or a currency sign
// before a digit.
inline bool IsMarkBesideSeparator(UChar32 c, UChar32 next,
                                  const FoldConfig& config) {
  if ((c == '$' || c == 0xA3 || c == 0x20AC) && IsDigit(next)) return true;
  if (c < 0 || IsSpace(c) || IsWordOrMask(c) ||
      config.Join(c) != FoldConfig::kJoinNone) {
    return false;
  }
  return c >= 0x80 ? config.Leet(c) == 0 : !config.ascii_stand_in()[c];
}

// Whether separators before `after` stand between stand-ins that lead to a
// word character, on one side or the other, for ApplyJoinsAndSequences()
// and ApplyAsciiJoins(): "$😀end", "p😀|😀(" and "<😀#😀at" join, "@_@"
// stays. Positions before `w` are written (a separator there is a space
// that `spacing_space` reports), `after` and those past it are not yet;
// `n` is the end of the text. The callbacks take a position.
template <typename RealWord, typename StandIn, typename SpacingSpace,
          typename JoinSpace>
inline bool SeparatesStandIn(size_t w, size_t after, size_t n,
                             RealWord real_word, StandIn stand_in,
                             SpacingSpace spacing_space, JoinSpace join_space) {
  constexpr size_t kMaxReach = 8;  // Stand-ins and separators.
  if (!(real_word(w - 1) || stand_in(w - 1)) ||
      !(real_word(after) || stand_in(after))) {
    return false;
  }
  for (size_t k = w, steps = 0; k > 0 && steps < kMaxReach; --k, ++steps) {
    if (real_word(k - 1)) return true;
    if (!stand_in(k - 1) && !spacing_space(k - 1)) break;
  }
  for (size_t k = after; k < n && k < after + kMaxReach; ++k) {
    if (real_word(k)) return true;
    if (!stand_in(k) && !join_space(k)) break;
  }
  return false;
}

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_FOLD_INTERNAL_H_
