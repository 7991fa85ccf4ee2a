// The table of character disguises: each row maps a sequence of one or more
// code points ("3", "|-|", "’") to zero or one letter, with where it applies,
// the fold it reports and another reading it may have. FoldConfig
// (fold_config.h) is built from it once per Engine; FoldBase() and
// FoldAscii() (fold.h) apply it.
//
// Look-alike letters are not rows here: they come from ICU's confusables
// data (HomoglyphTable, code_points.h), one per code point, thousands of
// them. This table holds what that data does not: leetspeak, single and
// multi-character, apostrophes and the separators between words.
//
// A new disguise of this kind is a row below plus a test in
// disguise_table_test.cc.
#ifndef WATCHWORD_SRC_NORMALIZE_DISGUISE_TABLE_H_
#define WATCHWORD_SRC_NORMALIZE_DISGUISE_TABLE_H_

#include <cstdint>
#include <string_view>

#include "absl/types/span.h"
#include "unicode/umachine.h"

namespace watchword {

// Where a row applies: a mask of these. A letter's own row (a class, not a
// disguise) applies anywhere whatever its mask.
enum DisguiseContext : uint8_t {
  kAnywhere = 1 << 0,     // Wherever the sequence occurs.
  kInWord = 1 << 1,       // In a token that also holds a letter ("s3nd").
  kBetweenWord = 1 << 2,  // Between two word characters ("p!c", "don't").
  kWordStart = 1 << 3,    // First in a token, before a letter ("$end").
  kWordEnd = 1 << 5,      // Last in a token, after a letter ("don+").
  // A whole token, standing for a one-letter word that some phrase of the
  // ruleset has ("send me 4 pic" for "send me a pic").
  kAlone = 1 << 4,
  // Between letters, only where the word it makes is a word of the
  // ruleset's terms ("w#at" for "what", "pi(s" for "pics"): for symbols
  // that are as often themselves ("friend(s)", "c#").
  kTermWord = 1 << 6,
  // With kTermWord, at either edge of a word too ("!f", "schoo!", "#ow");
  // not for "(", which opens words ("(age") as often as it hides a letter.
  // A hashtag ("#tag") stays one unless "h" and its word make a term word.
  kTermWordEdge = 1 << 7,
};

// What a row turns its sequence into, besides a letter.
inline constexpr UChar32 kDropped = 0;   // Removed ("don't" -> "dont").
inline constexpr UChar32 kSeparator = ' ';  // A space between words.
// Left as typed: a row of several code points that only its alternate
// reading turns into a letter ("ph" is "ph" in "phone", "f" in "phun").
inline constexpr UChar32 kAsTyped = -1;

// One disguise.
struct Disguise {
  std::string_view from;  // UTF-8, after NFKC_Casefold: one or more code points.
  UChar32 to;             // A lower-case letter, kDropped or kSeparator.
  uint8_t where;          // DisguiseContext bits.
  uint16_t fold;          // The kFold* bit (fold_config.h) a match reports.
  // Another letter it may stand for, or 0. The scanner reads text that
  // holds such a row a second time, with the alternates (the alternate
  // views): "1" is "i" in "p1c" and "l" in "1ove"; "|>" is "p" and "d".
  // For a row of several code points, kAsTyped: the second reading leaves
  // it as typed ("|o" is "p", or "l" and "o").
  UChar32 alternate;
};

// The shipped rows, single characters first.
absl::Span<const Disguise> ShippedDisguises();

// A chat-speak spelling of a whole word ("ur" for "your"), shipped as a
// default class of Normalization.equivalences.
struct ChatSpeak {
  std::string_view word;       // The word, as phrases write it.
  std::string_view spellings;  // Its chat-speak spellings, space-separated.
};

// The shipped chat-speak classes.
absl::Span<const ChatSpeak> ShippedChatSpeak();

// A spelling that is a word or a number of its own ("4", "c", "ya"), read
// as `word` only where a term of the ruleset has `word`, and `word` and a
// neighbour are two words side by side in a phrase
// (FoldConfig::term_stand_ins(), EquivalentOf()); when it is all digits,
// never beside a number or after a NumberCueWords() word.
struct StandInWord {
  std::string_view word;      // The word it stands for, as phrases write it.
  std::string_view spelling;  // One spelling.
};

// The shipped ambiguous chat-speak, one row each. Words spelled wholly in
// leetspeak digits ("70" for "to", "463" for "age") are not listed: they
// come from the leetspeak map (FoldConfig::SetTermWords).
absl::Span<const StandInWord> ShippedStandInWords();

// A digit that stands for a letter only in a spelling of a chat-speak word
// that also holds a letter, read as the word it stands for only where a
// phrase needs it (FoldConfig::term_stand_ins()): "2" for "z" makes "pl2"
// "plz". Elsewhere it is a number or a word of its own ("2" for "to").
struct TermWordDigit {
  char digit;
  char letter;
};

// The shipped rows.
absl::Span<const TermWordDigit> ShippedTermWordDigits();

// Words after which a number is a number: an age, a room, a time, an
// amount ("asl 13", "room 463", "at 4").
absl::Span<const std::string_view> NumberCueWords();

// Articles of the languages the shipped tables cover (English, Spanish,
// French): typed together with the word after them, they read as an
// ordinary word as often as not ("the rapist", "a lone", "un til").
absl::Span<const std::string_view> ArticleWords();

// Code points (Unicode Extended_Pictographic: emoji) that separate words
// when they stand between two word characters with no space: "send😀me".
bool IsPictographic(UChar32 c);

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_DISGUISE_TABLE_H_
