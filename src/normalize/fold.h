// Alternative-spelling folds: the views of a text that defeat the disguises
// offenders use ("s3nd", "ѕеnd", "s e n d", "sennnd", "pîc", "u" for
// "you"), each mapped back to the base view (normalizer.h) byte by byte and
// each byte tagged with the folds that produced it.
//
// The same functions fold terms at compile time and text at scan time, so
// a term matches its disguised forms without listing them.
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
// src/scan/view_sequence.h makes the views in order for the scanner and for
// MatchedViews() (watchword/views.h), which shows them to analysts.
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

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "src/normalize/disguise_table.h"
#include "unicode/umachine.h"
#include "watchword/normalizer.h"

namespace watchword {

// Bits of a fold mask: which folds produced a byte, or a match needed.
// Values are 1 << (v1::Fold enum value - 1).
enum FoldBit : uint16_t {
  kFoldInvisible = 1 << 0,  // Zero-width or other invisible characters.
  kFoldDiacritic = 1 << 1,  // Accents and other marks stripped.
  kFoldHomoglyph = 1 << 2,  // Look-alike letters of other scripts.
  kFoldLeetspeak = 1 << 3,  // Digits and symbols standing for letters.
  kFoldRepeat = 1 << 4,     // Letters repeated three or more times.
  kFoldSpacing = 1 << 5,    // Letters spread out by spaces or symbols.
  kFoldChatSpeak = 1 << 6,  // Word equivalences ("u" for "you").
  kFoldMask = 1 << 7,       // Letters masked by * or # ("p*c").
};
inline constexpr uint16_t kAllFolds = (1 << 8) - 1;

// The character masks become in the masked view.
inline constexpr char kMaskChar = '*';

// How to fold. Built once per Engine from the ruleset's Normalization.
struct FoldConfig {
  // No leetspeak map (see SetLeet()); the other rows of
  // ShippedDisguises().
  FoldConfig() {
    SetLeet({});
    SetDisguises(ShippedDisguises());
  }

  // Folds that are on; a kFold* mask.
  uint16_t enabled = kAllFolds;
  // With kFoldRepeat: cut double letters in every text, not only in text
  // with a run of 3+ (REPEAT_MODE_ALL_RUNS).
  bool squeeze_all_runs = false;
  // Leetspeak: code point -> letter. Letters in the map are folded
  // everywhere; digits only in words that also hold a letter (so "455" and
  // "12:30" stay numbers); symbols only between two word characters (so
  // "pic!" keeps its "!").
  absl::flat_hash_map<UChar32, UChar32> leet;
  // Whole folded words -> the folded canonical word of their class. Set
  // with SetEquivalences().
  absl::flat_hash_map<std::string, std::string> equivalences;
  // For each first byte, the byte lengths of the `equivalences` words that
  // start with it (LengthBit). Most words of a text are ruled out by this
  // before any hashing.
  std::array<uint32_t, 256> equivalence_lengths{};
  // Whether some `equivalences` word starts with a non-ASCII character.
  bool non_ascii_equivalences = false;
  // `leet` for ASCII keys, 0 where absent: most text is ASCII, and an
  // array beats a hash lookup per byte. SetLeet() keeps both in step.
  std::array<UChar32, 128> ascii_leet{};
  // `leet` for the other keys.
  std::vector<std::pair<UChar32, UChar32>> non_ascii_leet;
  // For ASCII: 1 if the character keeps a neighbour from being a single
  // letter (word characters and leetspeak stand-ins but the space).
  std::array<uint8_t, 128> ascii_blocks{};
  // For ASCII: 1 for a digit or symbol `ascii_leet` maps to an ASCII
  // letter, which only its token can tell is a stand-in; and whether any
  // ASCII letter is a key of `ascii_leet` (none in the shipped map). Most
  // text has neither, and FoldAscii() then skips leetspeak.
  std::array<uint8_t, 128> ascii_stand_in{};
  bool ascii_letter_leet = false;

  // DisguiseContext bits of each ASCII code point of `leet`: from its row
  // in ShippedDisguises(), or else from its kind (letters anywhere, digits
  // kInWord, symbols kBetweenWord). See Where().
  std::array<uint8_t, 128> ascii_where{};
  // Where() for the other keys of `leet`.
  std::vector<std::pair<UChar32, uint8_t>> non_ascii_where;
  // Letters a kAlone stand-in may become, bit (letter - 'a'): the one-letter
  // words of the ruleset's phrases. Set by the compiler; none by default.
  uint32_t alone_letters = 0;
  // The ruleset's words as the leetspeak fold spells them when it reads a
  // stand-in of two meanings (a row's `alternate`: "1" is "i" or "l") as
  // its first: "stiii" for "still" ("5t111"), "iive" for "live" ("11ve").
  // Folded word -> term word, the same length. A word of a text read so
  // takes the term word's letters where its stand-ins stand, so a word
  // that mixes both meanings ("5t111": i, l, l) meets its term. Set by the
  // compiler from the words of its terms (SetTermWords); empty by
  // default.
  absl::flat_hash_map<std::string, std::string> stand_in_words;
  // The words of the ruleset's terms (folded, ASCII): where a stand-in of
  // kTermWord context (disguise_table.h) may stand for its letter.
  absl::flat_hash_set<std::string> term_words;
  // Whether a stand-in's first meaning may be read as its alternate, bit
  // (letter - 'a') of the first meaning.
  uint32_t ambiguous_letters = 0;
  // Sets `term_words` to `words` (folded, ASCII: the words of the
  // ruleset's terms), and `stand_in_words` from them: every spelling of a
  // word with some of its alternate letters read as their first meaning,
  // unless that spelling is itself one of `words`.
  void SetTermWords(const std::vector<std::string>& words);
  // Single code points dropped (kJoinDrop) or read as a space (kJoinSpace)
  // between two word characters, from the rows that give them.
  enum : uint8_t { kJoinNone = 0, kJoinDrop = 1, kJoinSpace = 2 };
  std::array<uint8_t, 128> ascii_joins{};
  std::vector<std::pair<UChar32, uint8_t>> non_ascii_joins;
  // Rows of more than one code point, longest first (ASCII only), and which
  // bytes start one.
  std::vector<Disguise> sequences;
  std::array<bool, 128> sequence_first{};

  // Replaces the leetspeak map.
  void SetLeet(absl::flat_hash_map<UChar32, UChar32> map);

  // Replaces the rows that are not leetspeak letters of one code point:
  // apostrophes, separators, sequences. Single-code-point rows that give a
  // letter are `leet`'s (SetLeet) and are skipped here.
  void SetDisguises(absl::Span<const Disguise> rows);

  // DisguiseContext bits of the `leet` stand-in `c`.
  uint8_t Where(UChar32 c) const {
    if (c >= 0 && c < 0x80) return ascii_where[c];
    for (const auto& [from, where] : non_ascii_where) {
      if (from == c) return where;
    }
    return kBetweenWord;
  }

  // Whether `c` is a stand-in that its place alone may make a letter: in
  // `leet`, and not only in term words (kTermWord). Such a stand-in counts
  // as a letter beside another ("$€nd") and in a spaced-out run ("s 3 n
  // d"); "(" in "(t)(u)(r)(n)" does not.
  bool PlaceMakesLetter(UChar32 c) const {
    return Leet(c) != 0 && (Where(c) & ~(kTermWord | kTermWordEdge)) != 0;
  }

  // kJoinDrop, kJoinSpace or kJoinNone for `c`.
  uint8_t Join(UChar32 c) const {
    if (c >= 0 && c < 0x80) return ascii_joins[c];
    for (const auto& [from, join] : non_ascii_joins) {
      if (from == c) return join;
    }
    return IsPictographic(c) ? kJoinSpace : kJoinNone;
  }

  // Replaces the word equivalences.
  void SetEquivalences(absl::flat_hash_map<std::string, std::string> map);

  // False when no `equivalences` word starts with byte `first` and is
  // `length` bytes long; true when one may.
  bool MayBeEquivalent(uint8_t first, size_t length) const {
    return equivalence_lengths[first] & LengthBit(length);
  }
  // Bit L-1 for a length L of 1 to 31; bit 31 for longer.
  static uint32_t LengthBit(size_t length) {
    return length < 32 ? 1u << (length - 1) : 1u << 31;
  }

  // The leetspeak target of `c`, or 0.
  UChar32 Leet(UChar32 c) const {
    if (c < 0x80) return ascii_leet[c];
    // Few stand-ins are not ASCII (the shipped map has one, "€"): a scan
    // beats hashing every letter of a Cyrillic text.
    for (const auto& [from, to] : non_ascii_leet) {
      if (from == c) return to;
    }
    return 0;
  }

  // The shipped leetspeak map: the rows of ShippedDisguises() that turn
  // one code point into a letter.
  static absl::flat_hash_map<UChar32, UChar32> DefaultLeet();

  // Stand-ins that may mean either of two letters ("1" and "|" are "i" in
  // "p1c" but "l" in "1ove") map to the first in DefaultLeet(); this gives
  // the second (the rows' `alternate`). The scanner folds text that holds one of them a second time
  // with these, instead of folding "l" and "i" into one letter, which made
  // "asl" match the Spanish "así".
  static absl::flat_hash_map<UChar32, UChar32> AlternateLeet();
};

// What the folds ask of a unit's character, answered once when the unit is
// made so that later folds need no ICU lookup per character.
enum UnitKind : uint8_t {
  kUnitLetter = 1 << 0,  // A letter: general category L.
  kUnitWord = 1 << 1,    // A word character: IsWordCodePoint() (word.h).
};

// The UnitKind bits of `c`.
uint8_t UnitKindOf(UChar32 c);

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

// Word equivalences for a view from FoldAscii(): if a whole word of `in`
// has an equivalent, writes to *out what ApplyEquivalences + EncodeView
// would give and returns true; otherwise (most texts) returns false, and
// `in` is the view to match, as it is.
bool ApplyAsciiEquivalences(const FoldedView& in, const FoldConfig& config,
                            FoldedView* out);

// Whether an ASCII folded view may hold what SqueezeRepeats() and
// JoinSpacedLetters() undo: cheap byte checks, true when in doubt.
bool MaySqueeze(std::string_view folded);
bool MayJoin(std::string_view folded, const FoldConfig& config);

// Appends to *words the base-view byte ranges of words that mix scripts
// UTS #39 does not allow together (Latin with Cyrillic, say; Latin with
// Han, kana or Hangul is fine): the mark of homoglyph disguise.
void FindMixedScriptWords(std::string_view base,
                          std::vector<std::pair<uint32_t, uint32_t>>* words);

// True if `text` holds any byte of `bytes`. One table lookup per byte:
// std::string::find_first_of calls memchr once per byte of `text`.
inline bool HasAnyOf(std::string_view text, std::string_view bytes) {
  bool wanted[256] = {};
  for (char b : bytes) wanted[static_cast<uint8_t>(b)] = true;
  bool found = false;
  for (char c : text) found |= wanted[static_cast<uint8_t>(c)];
  return found;
}

// The units of an ASCII folded view (one per byte).
void UnitsOfAsciiView(const FoldedView& view, FoldUnits* out);

// Folds the base view of `original` into *out (the folded view before word
// equivalences): invisible characters, diacritics, homoglyphs, leetspeak.
// Returns false if nothing was folded: then *out is the base view's code
// points, one unit each, with no fold bits, and encodes to the base view.
bool FoldBase(std::string_view original, const NormalizedText& base,
              const FoldConfig& config, FoldUnits* out);

// If `in` has a run of 3+ identical letters (or `force`), cuts every run
// of 2+ identical letters to one and returns true; otherwise returns false,
// leaving *out empty. Phrases are squeezed the same way (with `force`), so
// "dontttt telllll" meets "don't tell" as "dont tel" whatever each word's
// own double letters.
bool SqueezeRepeats(const FoldUnits& in, bool force, FoldUnits* out);

// Joins runs of 3+ single letters separated by spaces or symbols ("s e n d",
// "s.e.n.d", "s 3 n d": single digits and symbols of the leetspeak map count
// as letters there, but a run needs 2 real letters, so "5 5 5" stays).
// Returns false, leaving *out empty, if there is no such run.
bool JoinSpacedLetters(const FoldUnits& in, const FoldConfig& config,
                       FoldUnits* out);

// Drops, in place, the spaces that a separator between two letters became
// in the folded view ("se😀nd", "se_nd" are "se nd" there), joining the
// letters ("send"); the separator's bytes and folds go to the letter before
// it. Real spaces stay. Returns whether it dropped one. The joined view
// applies it: a word split by an emoji is one word there, and words run
// together by emoji ("how😀old😀are") meet the phrases without spaces.
bool DropInWordSeparators(FoldUnits* units);

// Whether DropInWordSeparators() would drop something in `units`.
bool HasInWordSeparator(const FoldUnits& units);

// If `in` has mask characters (* or #) inside a word ("p*c", "s#x", "f**k"),
// writes the view with each such character turned into kMaskChar and tagged
// kFoldMask, and returns true; otherwise returns false, leaving *out empty.
// Phrases meet it through MaskedPhraseRegex().
bool MaskView(const FoldUnits& in, FoldUnits* out);

// The RE2 regex that matches a folded phrase with any of its letters
// masked: each letter L becomes (?:L|\*). Whether enough letters are real
// is for the caller to check (MaskedMatchIsPlausible).
std::string MaskedPhraseRegex(std::string_view folded);

// MaskedPhraseRegex() for the masked squeezed view, from the phrase before
// squeezing: a double letter is one place, or two where a mask stands for
// one of them ("lit*le" in "lit*leeee" for "little").
std::string MaskedSqueezedPhraseRegex(std::string_view folded);

// True if a masked-view match is a plausible masking of a word rather than
// a row of symbols: at least one mask, at least two real letters, and no
// more masks than real letters.
bool MaskedMatchIsPlausible(std::string_view matched);

// If a whole word of `in` is in config.equivalences (and the chat-speak
// fold is on), writes `in` with such words replaced by their canonical word
// to *out and returns true. Otherwise returns false: `in` is the result,
// and *out is unspecified.
bool ApplyEquivalences(const FoldUnits& in, const FoldConfig& config,
                       FoldUnits* out);

// Encodes units as UTF-8 with per-byte maps.
void EncodeView(const FoldUnits& units, FoldedView* out);

// The folded form of a term: Normalize, FoldBase, ApplyEquivalences.
std::string FoldPhrase(std::string_view phrase, const FoldConfig& config);

// The folded form of a term with every run of 2+ identical letters cut to
// one, for the squeezed views.
std::string SqueezePhrase(std::string_view phrase, const FoldConfig& config);

// `folded` (already folded text) with every run of 2+ identical letters cut
// to one.
std::string SqueezeFolded(std::string_view folded);

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_FOLD_H_
