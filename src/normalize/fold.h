// Alternative-spelling folds: the views of a text that defeat the disguises
// offenders use ("s3nd", "ѕеnd", "s e n d", "sennnd", "pîc", "u" for
// "you"), each mapped back to the base view (normalizer.h) byte by byte and
// each byte tagged with the folds that produced it.
//
// The same functions fold terms at compile time (src/compile/phrase_forms.h)
// and text at scan time, so a term matches its disguised forms without
// listing them.
//
// Views of one text:
//   base     NFKC_Casefold + whitespace runs (normalizer.h). Regexes run here.
//   folded   base + diacritics stripped + homoglyphs to Latin + the rows of
//            the disguise table (disguise_table.h: leetspeak, apostrophes,
//            separators) + word equivalences (chat-speak). Phrases run
//            here, and regexes in the forms src/compile/regex_forms.h gives
//            them, as in the views below. Text with a word of 9+ letters
//            is also matched as a joined view, for words run together
//            ("howoldareyou").
//   squeezed folded with every run of 2+ identical letters cut to one
//            ("sennnd" -> "send", "cooool" -> "col", matched against
//            phrases squeezed alike); made only when the text has a run of
//            3+, so plain "good" never meets "god".
//   joined   folded (or squeezed) with runs of 3+ single letters joined
//            ("s e n d", "s.e.n.d" -> "send"); made only when the text has
//            such a run, and matched against phrases without spaces too.
//   masked   folded (or squeezed) with * and # inside words as kMaskChar
//            ("p*c"), matched by regexes that let a mask stand for a letter;
//            made only when a word holds one.
//   masked_joined  folded with runs of spaced letters that hold a mask
//            joined and split into the words of the ruleset's terms
//            ("s * n d m e" -> "s*nd me"), for the masked phrases.
// This file holds the character folds, code point by code point and token
// by token, that make the folded view (before word equivalences); how to
// fold is a FoldConfig (fold_config.h). view_transforms.h holds what makes
// the other views from it, and word equivalences. src/scan/view_sequence.h
// makes the views in order for the scanner and for MatchedViews()
// (watchword/views.h), which shows them to analysts.
// Why views rather than folding everything into one: each fold is only safe
// where its trigger is present. Joining every pair of words would make
// "from growing" contain "omg"; collapsing every double letter would make
// "good" match "god". A view exists only when its trigger occurs, so
// ordinary text pays for the folded view alone.
#ifndef WATCHWORD_SRC_NORMALIZE_FOLD_H_
#define WATCHWORD_SRC_NORMALIZE_FOLD_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/normalize/code_points.h"
#include "src/normalize/fold_config.h"
#include "unicode/umachine.h"
#include "watchword/normalizer.h"

namespace watchword {

// What the folds ask of a unit's character, answered once when the unit is
// made so that later folds need no ICU lookup per character.
enum UnitKind : uint8_t {
  kUnitLetter = 1 << 0,  // A letter: general category L.
  kUnitWord = 1 << 1,    // A word character: IsWordCodePoint() (word.h).
};

// UnitKindOf() for ASCII.
inline constexpr std::array<uint8_t, 128> kAsciiUnitKinds = [] {
  std::array<uint8_t, 128> kinds{};
  for (int c = 0; c < 128; ++c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool word = letter || (c >= '0' && c <= '9') || c == '_';
    kinds[c] = (letter ? kUnitLetter : 0) | (word ? kUnitWord : 0);
  }
  return kinds;
}();

// UnitKindOf() from a CodePointInfo.
inline uint8_t UnitKindOfInfo(uint32_t info) {
  return ((info & CodePointInfo::kLetter) ? kUnitLetter : 0) |
         ((info & CodePointInfo::kWord) ? kUnitWord : 0);
}

// The UnitKind bits of `c`.
inline uint8_t UnitKindOf(UChar32 c) {
  if (c >= 0 && c < 0x80) return kAsciiUnitKinds[c];
  return UnitKindOfInfo(CodePointInfo::Get().Of(c));
}

// One code point of a view, with the base-view bytes it came from.
struct FoldUnit {
  UChar32 c;
  uint32_t begin;  // Base-view byte offsets.
  uint32_t end;
  uint16_t folds;  // kFold* bits that changed or removed something here.
  uint8_t kind;    // UnitKindOf(c). Whatever changes `c` updates it.
};
using FoldUnits = std::vector<FoldUnit>;

// A view encoded for matching: UTF-8 text with per-byte maps to base-view
// bytes and per-byte fold masks.
struct FoldedView {
  std::string text;
  std::vector<uint32_t> begin;
  std::vector<uint32_t> end;
  std::vector<uint16_t> folds;

  void Clear() {
    text.clear();
    begin.clear();
    end.clear();
    folds.clear();
  }
};

// The ASCII fast path: when the base view is all ASCII (most traffic),
// writes the folded view before word equivalences straight into *out, the
// same bytes FoldBase + EncodeView would give, and returns true. Otherwise
// returns false and *out is unspecified.
bool FoldAscii(std::string_view original, const NormalizedText& base,
               const FoldConfig& config, FoldedView* out);

// Folds the base view of `original` into *out (the folded view before word
// equivalences): invisible characters, diacritics, homoglyphs, leetspeak.
// Returns false if nothing was folded: then *out is the base view's code
// points, one unit each, with no fold bits, and encodes to the base view.
bool FoldBase(std::string_view original, const NormalizedText& base,
              const FoldConfig& config, FoldUnits* out);

// Reads, in a view a transform made from the folded one, the leetspeak
// stand-ins the folded view left as typed because their word was not
// whole there: the transform dropped the separator ("5😀3nd" is "53nd"
// once "5 3nd" is joined) or squeezed the run ("thi$$$$$" is "thi$").
// Applies FoldBase()'s leetspeak rules to each token of *units that holds
// such a stand-in. Returns whether it read one.
bool ReadStandIns(const FoldConfig& config, FoldUnits* units);

// Reads, in a view that joined spaced-out letters into words ("t-e-l-!" is
// "teli"), the words whose stand-ins the join read by their first meaning
// as the term words they spell (FoldConfig::term_words(): "tell"), run
// together too ("dontteliyourparents"). Returns whether it changed one.
bool ReadJoinedTermWords(const FoldConfig& config, FoldUnits* units);

// Reads once more, in a view a transform made from the folded one, the
// look-alikes of the capital "I" ("І", "Ι", "ǀ", "ｌ") by the case of the
// word they are in there: spaced out ("І_е.t,ѕ") or split by an emoji
// ("і🪥еt"), a look-alike stood alone in the folded view and read "i"; once
// the transform makes its word whole, it is "l" among lower-case letters,
// as FoldBase() reads it inside a word. Returns whether *units has one.
bool ReadCapitalIInWords(std::string_view original, const NormalizedText& base,
                         const FoldConfig& config, FoldUnits* units);

// Encodes units as UTF-8 with per-byte maps.
void EncodeView(const FoldUnits& units, FoldedView* out);

// The units of an ASCII folded view (one per byte).
void UnitsOfAsciiView(const FoldedView& view, FoldUnits* out);

// Appends to *words the base-view byte ranges of words that mix scripts
// UTS #39 does not allow together (Latin with Cyrillic, say; Latin with
// Han, kana or Hangul is fine): the mark of homoglyph disguise.
void FindMixedScriptWords(std::string_view base,
                          std::vector<std::pair<uint32_t, uint32_t>>* words);

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_FOLD_H_
