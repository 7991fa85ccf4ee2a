// How to fold (fold.h): which folds are on, the leetspeak map, the rows of
// the disguise table (disguise_table.h), word equivalences and the words of
// the ruleset's terms, with the lookups derived from them that the folds
// read per character. Built once per Engine from the ruleset's
// Normalization (src/compile/lower.cc) or from an engine file
// (src/engine/lowered_form.cc).
#ifndef WATCHWORD_SRC_NORMALIZE_FOLD_CONFIG_H_
#define WATCHWORD_SRC_NORMALIZE_FOLD_CONFIG_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/types/span.h"
#include "src/normalize/disguise_table.h"
#include "unicode/umachine.h"

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

// How to fold. The settings below are plain fields; the leetspeak map, the
// disguise rows, the equivalences and the term words are set by their
// Set*() methods, which also rebuild the lookups derived from them, kept
// private so that nothing else can put them out of step. Copyable (an
// Engine copies its config for the alternate reading of stand-ins). Not
// thread-safe to change; safe to share once built.
class FoldConfig {
 public:
  // No leetspeak map (see SetLeet()); the other rows of
  // ShippedDisguises().
  FoldConfig() {
    SetLeet({});
    SetDisguises(ShippedDisguises());
  }

  // Plain settings, read where they apply: nothing is derived from them.
  //
  // Folds that are on; a kFold* mask.
  uint16_t enabled = kAllFolds;
  // With kFoldRepeat: cut double letters in every text, not only in text
  // with a run of 3+ (REPEAT_MODE_ALL_RUNS).
  bool squeeze_all_runs = false;
  // Letters a kAlone stand-in may become, bit (letter - 'a'): the one-letter
  // words of the ruleset's phrases. Set by the compiler; none by default.
  uint32_t alone_letters = 0;

  // Replaces the leetspeak map: code point -> letter. Letters in the map
  // are folded everywhere; digits only in words that also hold a letter (so
  // "455" and "12:30" stay numbers); symbols only between two word
  // characters (so "pic!" keeps its "!"), unless their row in
  // ShippedDisguises() says otherwise.
  void SetLeet(absl::flat_hash_map<UChar32, UChar32> map);
  // The leetspeak map SetLeet() set.
  const absl::flat_hash_map<UChar32, UChar32>& leet() const { return leet_; }

  // Replaces the rows that are not leetspeak letters of one code point:
  // apostrophes, separators, sequences. Single-code-point rows that give a
  // letter are `leet`'s (SetLeet) and are skipped here.
  void SetDisguises(absl::Span<const Disguise> rows);

  // Replaces the word equivalences: whole folded words -> the folded
  // canonical word of their class.
  void SetEquivalences(absl::flat_hash_map<std::string, std::string> map);
  // The word equivalences SetEquivalences() set.
  const absl::flat_hash_map<std::string, std::string>& equivalences() const {
    return equivalences_;
  }

  // Sets term_words() to `words` (folded, ASCII: the words of the
  // ruleset's terms), and stand_in_words() from them: every spelling of a
  // word with some of its alternate letters read as their first meaning,
  // unless that spelling is itself one of `words`.
  // It also sets term_stand_ins(), and from `pairs` (two words of a
  // phrase side by side, "your age") and `alone` (the words that are a
  // phrase of their own, "please") where they may be read.
  void SetTermWords(const std::vector<std::string>& words,
                    const std::vector<std::string>& pairs = {},
                    const std::vector<std::string>& alone = {});

  // Spellings that are words or numbers of their own, read as the term
  // word they stand for (StandInWord in disguise_table.h): the shipped
  // ShippedStandInWords() rows whose word is a term word, and every term
  // word of two to five letters spelled wholly in leetspeak digits ("70"
  // for "to", "463" for "age"), and every spelling of an equivalences()
  // word of two to five letters whose word is a term word, with some of
  // its letters as ShippedTermWordDigits() digits and a letter left ("pl2"
  // for "plz", read as "please"). equivalences() win over them. One is
  // read as its word only where that word and a neighbour are a pair of a
  // phrase ("what 15 your" has "what is" of "what is your age"), or, if it
  // holds a letter, where that word is a phrase of its own.
  const absl::flat_hash_map<std::string, std::string>& term_stand_ins() const {
    return term_stand_ins_;
  }

  // Two words side by side in a phrase or a regex's strings ("your age"),
  // from SetTermWords().
  const absl::flat_hash_set<std::string>& term_pairs() const {
    return term_pairs_;
  }

  // What the whole folded word `word` reads as: its equivalences() word,
  // or its term_stand_ins() word where it stands between the words
  // `before` and `after` ("" at the text's edge) as StandInWord says; or
  // nullptr.
  const std::string* EquivalentOf(absl::string_view word,
                                  absl::string_view before,
                                  absl::string_view after) const;
  // Whether two letters standing alone, `a` then `b`, spell a word of
  // equivalences() ("b f", "b-f" for "bf"), neither of them a word alone:
  // no vowel ("a", "i"; Spanish "y", "o", "e", "u") and no equivalences()
  // word ("u", "r"). JoinSpacedLetters() joins such a pair.
  bool SpellsPair(UChar32 a, UChar32 b) const {
    return a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z' &&
           ((spelled_pairs_[a - 'a'] >> (b - 'a')) & 1);
  }
  bool has_spelled_pairs() const { return has_spelled_pairs_; }
  // Whether some word has an EquivalentOf().
  bool has_equivalences() const {
    return !equivalences_.empty() || !term_stand_ins_.empty();
  }

  // The leetspeak target of `c`, or 0.
  UChar32 Leet(UChar32 c) const {
    if (c < 0x80) return ascii_leet_[c];
    // Few stand-ins are not ASCII (the shipped map has one, "€"): a scan
    // beats hashing every letter of a Cyrillic text.
    for (const auto& [from, to] : non_ascii_leet_) {
      if (from == c) return to;
    }
    return 0;
  }

  // DisguiseContext bits of the `leet` stand-in `c`.
  uint8_t Where(UChar32 c) const {
    if (c >= 0 && c < 0x80) return ascii_where_[c];
    for (const auto& [from, where] : non_ascii_where_) {
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

  // Single code points dropped (kJoinDrop) or read as a space (kJoinSpace)
  // between two word characters, from the rows that give them.
  enum : uint8_t { kJoinNone = 0, kJoinDrop = 1, kJoinSpace = 2 };

  // kJoinDrop, kJoinSpace or kJoinNone for `c`.
  uint8_t Join(UChar32 c) const {
    if (c >= 0 && c < 0x80) return ascii_joins_[c];
    for (const auto& [from, join] : non_ascii_joins_) {
      if (from == c) return join;
    }
    return IsPictographic(c) ? kJoinSpace : kJoinNone;
  }

  // False when no `equivalences` word `length` bytes long starts with byte
  // `first`, or none that long ends with byte `last`, or none that long
  // both starts and ends so; true when one may.
  bool MayBeEquivalent(uint8_t first, uint8_t last, size_t length) const {
    const uint32_t bit = LengthBit(length);
    const uint32_t edge = EdgeBit(first, last, length);
    return (equivalence_lengths_[first] & bit) &&
           (equivalence_end_lengths_[last] & bit) &&
           ((equivalence_edges_[edge >> 6] >> (edge & 63)) & 1);
  }

  // The lookups derived by the Set*() methods, for the folds' inner loops.
  //
  // Leet() for ASCII keys, 0 where absent: most text is ASCII, and an
  // array beats a hash lookup per byte.
  const std::array<UChar32, 128>& ascii_leet() const { return ascii_leet_; }
  // Where() for ASCII keys.
  const std::array<uint8_t, 128>& ascii_where() const { return ascii_where_; }
  // For ASCII: 1 if the character keeps a neighbour from being a single
  // letter (word characters but "_", and leetspeak stand-ins but the
  // space).
  const std::array<uint8_t, 128>& ascii_blocks() const { return ascii_blocks_; }
  // For ASCII: 1 for a digit or symbol ascii_leet() maps to an ASCII
  // letter, which only its token can tell is a stand-in.
  const std::array<uint8_t, 128>& ascii_stand_in() const {
    return ascii_stand_in_;
  }
  // Whether any ASCII letter is a key of ascii_leet() (none in the shipped
  // map). Most text has neither this nor an ascii_stand_in(), and
  // FoldAscii() then skips leetspeak.
  bool ascii_letter_leet() const { return ascii_letter_leet_; }
  // Join() for ASCII.
  const std::array<uint8_t, 128>& ascii_joins() const { return ascii_joins_; }
  // For ASCII, the bits below: the three tables above and sequence_first()
  // in one lookup, for FoldAscii()'s pass over every byte.
  enum : uint8_t {
    kSurveySequenceFirst = 1,  // sequence_first().
    kSurveyJoin = 2,           // ascii_joins() is not kJoinNone.
    kSurveyStandIn = 4,        // ascii_stand_in().
  };
  const std::array<uint8_t, 128>& ascii_survey() const { return ascii_survey_; }
  // Whether ascii_survey() is 0 for every letter and the space: false
  // where a letter starts a sequence (the alternate reading's "ph") or a
  // ruleset's leetspeak map has a letter or the space.
  bool survey_skips_letters() const { return survey_skips_letters_; }
  // Join()'s rows for the other code points (pictographs aside).
  const std::vector<std::pair<UChar32, uint8_t>>& non_ascii_joins() const {
    return non_ascii_joins_;
  }
  // Rows of more than one code point that this reading turns into a letter
  // (ASCII only), longest first, and which bytes start one.
  const std::vector<Disguise>& sequences() const { return sequences_; }
  const std::array<bool, 128>& sequence_first() const {
    return sequence_first_;
  }
  // Rows of several code points that this reading leaves as typed but the
  // other reads as a letter ("vv" in the first, "|o" in the second), each
  // with that letter as its `to`, and which bytes start one: read so only
  // where they make a term word beside another sequence ("vv|-|atsap|o").
  const std::vector<Disguise>& term_sequences() const {
    return term_sequences_;
  }
  const std::array<bool, 128>& term_sequence_first() const {
    return term_sequence_first_;
  }
  // Makes sequences() read each row as its `alternate` (Disguise): the
  // second reading of a text, for the alternate views.
  void ReadSequencesAlternately();
  // Whether `text` holds a row of several code points that
  // ReadSequencesAlternately() reads differently ("ph", "|>"), so that the
  // text needs the second reading.
  bool HasAlternateSequence(std::string_view text) const;

  // Whether some `equivalences` word starts with a non-ASCII character.
  bool non_ascii_equivalences() const { return non_ascii_equivalences_; }
  // The words of the ruleset's terms (folded, ASCII): where a stand-in of
  // kTermWord context (disguise_table.h) may stand for its letter.
  const absl::flat_hash_set<std::string>& term_words() const {
    return term_words_;
  }
  // The ruleset's words as the leetspeak fold spells them when it reads a
  // stand-in of two meanings (a row's `alternate`: "1" is "i" or "l") as
  // it does: "stiii" for "still" ("5t111"), "iive" for "live" ("11ve");
  // in the alternate reading, "locatlon" for "location" ("|ocat|on").
  // Folded word -> term word, the same length. A word of a text read so
  // takes the term word's letters where its stand-ins stand, so a word
  // that mixes both meanings ("5t111": i, l, l) meets its term. Empty by
  // default.
  const absl::flat_hash_map<std::string, std::string>& stand_in_words() const {
    return stand_in_words_;
  }
  // False when `word` (not empty) is neither a term_words() word nor a
  // stand_in_words() key; true when it may be one. Two bits of 4,096 per
  // word, no hashing of the whole word: FoldAscii() rules out most tokens
  // ("thanks!") with it before ReadTermWords() hashes them.
  bool MayBeTermWord(std::string_view word) const {
    const uint64_t bits = TermWordBits(word);
    const uint32_t a = static_cast<uint32_t>(bits >> 52);
    const uint32_t b = static_cast<uint32_t>(bits >> 40) & 4095;
    return ((term_word_bits_[a >> 6] >> (a & 63)) & 1) &&
           ((term_word_bits_[b >> 6] >> (b & 63)) & 1);
  }
  // Whether a stand-in's meaning in this reading may be read as its other,
  // bit (letter - 'a') of this reading's meaning.
  uint32_t ambiguous_letters() const { return ambiguous_letters_; }
  // The ruleset's words with a letter a stand-in of two meanings may be
  // ("1" for "i" or "l"), keyed by StretchKey(): for a word stretched too
  // ("11veeee", "5e111f1e"), whose letters no longer line up with its term
  // word's, so stand_in_words() cannot read it. Keys of under 3 letters,
  // and keys two words share, are left out. Empty by default.
  const absl::flat_hash_map<std::string, std::string>& stretched_words()
      const {
    return stretched_words_;
  }
  // Into *key: `word` with each letter of two meanings as one letter of
  // its pair, and then every run of a letter cut to one: "11veeee" (read
  // "iiveeee") and "live" are both "ive"; "seiiifie" and "selfie" are
  // "seifie".
  void StretchKey(std::string_view word, std::string* key) const;
  // For a letter of ambiguous_letters(), the other meaning its stand-in
  // may have ("l" for "i"); else 0.
  char OtherLetter(char c) const {
    return c >= 'a' && c <= 'z' ? other_letter_[c - 'a'] : 0;
  }
  // The letter StretchKey() writes for `c`.
  char StretchLetter(char c) const {
    return c >= 'a' && c <= 'z' ? stretch_letter_[c - 'a'] : c;
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

  // The stand-ins of two meanings in `leet()`, each with the meaning this
  // reading does not give it: ("1", "l") with the shipped map, ("1", "i")
  // with AlternateLeet() applied.
  std::vector<std::pair<UChar32, UChar32>> OtherReadings() const;

 private:
  // Sets sequences() from `sequence_rows_`, read as their alternates if
  // `alternate`.
  void SetSequences(bool alternate);
  // Sets ascii_survey_ from the tables it sums up; each Set*() that
  // changes one calls it.
  void SetSurvey();

  // Bit L-1 for a length L of 1 to 31; bit 31 for longer.
  static uint32_t LengthBit(size_t length) {
    return length < 32 ? 1u << (length - 1) : 1u << 31;
  }

  // A bit of equivalence_edges_ for a word's first and last bytes and its
  // length (capped at 63): the top 12 bits of a multiplicative hash.
  static uint32_t EdgeBit(uint8_t first, uint8_t last, size_t length) {
    const uint32_t key = first | uint32_t{last} << 8 |
                         static_cast<uint32_t>(length < 63 ? length : 63) << 16;
    return (key * 0x9E3779B1u) >> 20;
  }

  // A multiplicative hash of a word's first two and last two bytes and its
  // length (MayBeTermWord()).
  static uint64_t TermWordBits(std::string_view word) {
    const size_t n = word.size();
    const uint64_t key =
        uint64_t{static_cast<uint8_t>(word[0])} |
        uint64_t{static_cast<uint8_t>(word[n > 1 ? 1 : 0])} << 8 |
        uint64_t{static_cast<uint8_t>(word[n > 1 ? n - 2 : 0])} << 16 |
        uint64_t{static_cast<uint8_t>(word[n - 1])} << 24 |
        uint64_t{n < 255 ? n : 255} << 32;
    return key * 0x9E3779B97F4A7C15u;
  }
  // Adds `word` to term_word_bits_.
  void AddTermWordBits(std::string_view word);

  // Set by SetLeet().
  absl::flat_hash_map<UChar32, UChar32> leet_;
  std::array<UChar32, 128> ascii_leet_{};
  // `leet_` for the other keys.
  std::vector<std::pair<UChar32, UChar32>> non_ascii_leet_;
  std::array<uint8_t, 128> ascii_blocks_{};
  std::array<uint8_t, 128> ascii_stand_in_{};
  std::array<uint8_t, 128> ascii_survey_{};
  bool survey_skips_letters_ = false;
  bool ascii_letter_leet_ = false;
  // DisguiseContext bits of each ASCII code point of `leet_`: from its row
  // in ShippedDisguises(), or else from its kind (letters anywhere, digits
  // kInWord, symbols kBetweenWord).
  std::array<uint8_t, 128> ascii_where_{};
  // Where() for the other keys of `leet_`.
  std::vector<std::pair<UChar32, uint8_t>> non_ascii_where_;

  // Set by SetDisguises().
  std::array<uint8_t, 128> ascii_joins_{};
  std::vector<std::pair<UChar32, uint8_t>> non_ascii_joins_;
  std::vector<Disguise> sequences_;
  bool sequences_alternate_ = false;  // Set by SetSequences().
  std::array<bool, 128> sequence_first_{};
  std::vector<Disguise> term_sequences_;
  std::array<bool, 128> term_sequence_first_{};
  // Every row of several code points, and those with an alternate reading.
  std::vector<Disguise> sequence_rows_;
  std::vector<std::string_view> alternate_sequences_;
  // Which bytes start an alternate row, and bit b of alternate_pairs_[a][b /
  // 64] whether one starts with the bytes a, b: HasAlternateSequence()
  // compares rows only there ("p" is common, "ph" less so).
  std::array<bool, 128> alternate_sequence_first_{};
  std::string alternate_firsts_;  // The bytes alternate_sequence_first_ holds.
  std::array<std::array<uint64_t, 4>, 128> alternate_pairs_{};

  // Set by SetEquivalences().
  absl::flat_hash_map<std::string, std::string> equivalences_;
  // Sets term_stand_ins_ from term_words_ (SetTermWords).
  void SetTermStandIns();
  // Adds `word` to the three tables below.
  void AddEquivalenceLength(std::string_view word);
  // For each first byte, the byte lengths of the `equivalences_` (and
  // `term_stand_ins_`) words that start with it (LengthBit). Most words of a text are ruled out by this
  // before any hashing.
  std::array<uint32_t, 256> equivalence_lengths_{};
  // Likewise for each last byte: on the bench's chat text, the two
  // together leave about one word in 13 to hash, the first byte alone one
  // in 3.5.
  std::array<uint32_t, 256> equivalence_end_lengths_{};
  // EdgeBit() of each such word, 4,096 bits. The tables above pair one
  // word's first byte with another's last ("ok" passes them through "oh"
  // and "lk"); this pairs them within a word. It runs on every word the two
  // tables let through, and each word it rules out saves two or three hash
  // lookups.
  std::array<uint64_t, 64> equivalence_edges_{};
  bool non_ascii_equivalences_ = false;
  // Bit (b - 'a') of [a - 'a']: SpellsPair(a, b).
  std::array<uint32_t, 26> spelled_pairs_{};
  bool has_spelled_pairs_ = false;

  // Set by SetTermWords().
  absl::flat_hash_set<std::string> term_words_;
  absl::flat_hash_map<std::string, std::string> stand_in_words_;
  absl::flat_hash_map<std::string, std::string> stretched_words_;
  // MayBeTermWord()'s bits: of term_words_ and stand_in_words_' keys.
  std::array<uint64_t, 64> term_word_bits_{};
  // Per letter, OtherLetter().
  std::array<char, 26> other_letter_{};
  // Per letter, the letter StretchKey() writes for it.
  std::array<char, 26> stretch_letter_ = [] {
    std::array<char, 26> letters{};
    for (int k = 0; k < 26; ++k) letters[k] = static_cast<char>('a' + k);
    return letters;
  }();
  absl::flat_hash_map<std::string, std::string> term_stand_ins_;
  absl::flat_hash_set<std::string> term_pairs_;
  absl::flat_hash_set<std::string> term_alone_;  // SetTermWords' `alone`.
  uint32_t ambiguous_letters_ = 0;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_FOLD_CONFIG_H_
