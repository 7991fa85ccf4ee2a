#include "src/normalize/disguise_table.h"

#include "src/normalize/code_points.h"
#include "src/normalize/fold_config.h"

namespace watchword {
namespace {

constexpr uint8_t kSymbol = kBetweenWord;  // "p!c", "s+ay".
constexpr uint8_t kDigit = kInWord;        // "s3nd", "p1c".

// Written with \u escapes where the character is hard to tell apart.
constexpr Disguise kShipped[] = {
    // The shipped leetspeak map, one character each (Normalization.leet
    // adds to it). Digits stand for letters inside a word that holds one,
    // so "455" and "12:30" stay numbers. Symbols stand for letters between
    // two word characters, so "pic!" keeps its "!"; "@", "$", "+" and "€"
    // also open a word ("@re", "$end"), and "$", "+" and "€", which no
    // sentence ends with, also end one ("what$", "don+"). Next to a letter,
    // another stand-in counts as one ("$€nd", "w@+") unless it is the same
    // symbol ("hi!!" stays). "4", "1", "@", "!" and "|" also stand alone
    // for the one-letter words "a" and "i" that a phrase may need. "1" and
    // "|" read "i" in "p1c" and "l" in "1ove": the scanner tries both, and
    // a word that needs both ("5t111") reads as the term word it spells.
    // "!" and "#" at a word's edge, and "(" and "<" between letters, stand
    // for letters only where they make a term word (kTermWord): "w#at" and
    // "#ow" are "what" and "how", "schoo!" is "school", but "#tag",
    // "friend(s)" and "hi!" stay.
    {"0", 'o', kDigit, kFoldLeetspeak, 0},
    {"1", 'i', kDigit | kAlone, kFoldLeetspeak, 'l'},
    {"3", 'e', kDigit, kFoldLeetspeak, 0},
    {"4", 'a', kDigit | kAlone, kFoldLeetspeak, 0},
    {"5", 's', kDigit, kFoldLeetspeak, 0},
    {"7", 't', kDigit, kFoldLeetspeak, 0},
    {"8", 'b', kDigit, kFoldLeetspeak, 0},
    {"6", 'g', kDigit, kFoldLeetspeak, 0},
    {"9", 'g', kDigit, kFoldLeetspeak, 0},
    {"@", 'a', kSymbol | kWordStart | kAlone | kTermWordEdge, kFoldLeetspeak,
     0},
    {"$", 's', kSymbol | kWordStart | kWordEnd, kFoldLeetspeak, 0},
    {"!", 'i', kSymbol | kAlone | kTermWord | kTermWordEdge, kFoldLeetspeak, 0},
    // "|" also ends a term word ("schoo|", "wi||"), read by its letter or
    // its alternate, as "1" does.
    {"|", 'i', kSymbol | kWordStart | kAlone | kTermWordEdge, kFoldLeetspeak,
     'l'},
    {"+", 't', kSymbol | kWordStart | kWordEnd, kFoldLeetspeak, 0},
    // "(" for "c" only in a term word: "(t)(u)(r)(n)" (NFKC of "⒯⒰⒭⒩") is
    // spaced letters, and "(see below)" no "csee".
    {"(", 'c', kTermWord | kTermWordEdge, kFoldLeetspeak, 0},
    {"<", 'c', kTermWord | kTermWordEdge, kFoldLeetspeak, 0},
    {"#", 'h', kTermWord | kTermWordEdge, kFoldLeetspeak, 0},
    {"\u20ac", 'e', kSymbol | kWordStart | kWordEnd, kFoldLeetspeak, 0},  // €
    // Apostrophes, or none: "don't", "don\u2019t" and "dont" are one word.
    {"'", kDropped, kBetweenWord, kFoldSpacing, 0},
    {"\u2019", kDropped, kBetweenWord, kFoldSpacing, 0},  // Right quote.
    {"\u2018", kDropped, kBetweenWord, kFoldSpacing, 0},  // Left quote.
    {"\u02bc", kDropped, kBetweenWord, kFoldSpacing, 0},  // Modifier letter.
    {"`", kDropped, kBetweenWord, kFoldSpacing, 0},
    // Separators: "how_old_are_you" is four words.
    {"_", kSeparator, kBetweenWord, kFoldSpacing, 0},
    // Several characters for one letter, from the table of leet-speak
    // equivalents of the Wikipedia article "Leet" (en.wikipedia.org/wiki/
    // Leet, "Orthography"), lower-cased as NFKC_Casefold leaves them.
    // Two-character ones need a letter in their token; longer ones are
    // disguises anywhere. Those that are also something else are read both
    // ways (`alternate`): "|>" is "p" or "d", "|o" is "p" or "lo" ("|ove"),
    // "|*" is "p" or a masked "l"; and those made of letters ("ph", "vv")
    // or that enclose letters (")(" in "(t)(u)") are letters only in the
    // second reading, so that "phone" stays "phone". "|<" is "k" or, as
    // typed, the stand-ins "|" and "<" ("p|<k" for "pick"). The second
    // reading holds for the whole text, so a row read both ways costs the
    // texts that need its first reading beside another row's second ("|3"
    // read both ways cost leet_multichar 0.8 points on tests/evasion's
    // terms: "no|3[]|>`/" needs "b" and "d").
    {"/-\\", 'a', kAnywhere, kFoldLeetspeak, 0},
    {"/\\", 'a', kInWord, kFoldLeetspeak, 0},
    {"|3", 'b', kInWord, kFoldLeetspeak, 0},
    {"]3", 'b', kInWord, kFoldLeetspeak, 0},
    {"|8", 'b', kInWord, kFoldLeetspeak, 0},
    {"|)", 'd', kInWord, kFoldLeetspeak, 0},
    {"|]", 'd', kInWord, kFoldLeetspeak, 0},
    {"[)", 'd', kInWord, kFoldLeetspeak, 0},
    {"[-", 'e', kInWord, kFoldLeetspeak, 0},
    {"|=", 'f', kInWord, kFoldLeetspeak, 0},
    {"ph", kAsTyped, kInWord, kFoldLeetspeak, 'f'},
    {"(_+", 'g', kAnywhere, kFoldLeetspeak, 0},
    {"|-|", 'h', kAnywhere, kFoldLeetspeak, 0},
    {"]-[", 'h', kAnywhere, kFoldLeetspeak, 0},
    {")-(", 'h', kAnywhere, kFoldLeetspeak, 0},
    {"(-)", 'h', kAnywhere, kFoldLeetspeak, 0},
    {"|~|", 'h', kAnywhere, kFoldLeetspeak, 0},
    {"}{", 'h', kInWord, kFoldLeetspeak, 0},
    {"][", 'i', kInWord, kFoldLeetspeak, 0},
    {"_|", 'j', kInWord, kFoldLeetspeak, 0},
    {"|<", 'k', kInWord, kFoldLeetspeak, kAsTyped},
    {"|{", 'k', kInWord, kFoldLeetspeak, 0},
    {"|_", 'l', kInWord, kFoldLeetspeak, 0},
    {"|\\/|", 'm', kAnywhere, kFoldLeetspeak, 0},
    {"/\\/\\", 'm', kAnywhere, kFoldLeetspeak, 0},
    {"|v|", 'm', kAnywhere, kFoldLeetspeak, 0},
    {"[v]", 'm', kAnywhere, kFoldLeetspeak, 0},
    {"|\\|", 'n', kAnywhere, kFoldLeetspeak, 0},
    {"/\\/", 'n', kAnywhere, kFoldLeetspeak, 0},
    {"[\\]", 'n', kAnywhere, kFoldLeetspeak, 0},
    {"()", 'o', kInWord, kFoldLeetspeak, 0},
    {"[]", 'o', kInWord, kFoldLeetspeak, 0},
    {"|>", 'p', kInWord, kFoldLeetspeak, 'd'},
    {"|o", 'p', kInWord, kFoldLeetspeak, kAsTyped},
    {"|*", 'p', kInWord, kFoldLeetspeak, kAsTyped},
    {"(,)", 'q', kAnywhere, kFoldLeetspeak, 0},
    {"|2", 'r', kInWord, kFoldLeetspeak, 0},
    {"|?", 'r', kInWord, kFoldLeetspeak, 0},
    {"-|-", 't', kAnywhere, kFoldLeetspeak, 0},
    {"'][']", 't', kAnywhere, kFoldLeetspeak, 0},
    {"'|'", 't', kAnywhere, kFoldLeetspeak, 0},
    {"|_|", 'u', kAnywhere, kFoldLeetspeak, 0},
    {"(_)", 'u', kAnywhere, kFoldLeetspeak, 0},
    {"\\/", 'v', kInWord, kFoldLeetspeak, 0},
    {"\\/\\/", 'w', kAnywhere, kFoldLeetspeak, 0},
    {"\\^/", 'w', kAnywhere, kFoldLeetspeak, 0},
    {"vv", kAsTyped, kInWord, kFoldLeetspeak, 'w'},
    {"|/\\|", 'w', kAnywhere, kFoldLeetspeak, 0},
    {"><", 'x', kInWord, kFoldLeetspeak, 0},
    {")(", kAsTyped, kInWord, kFoldLeetspeak, 'x'},
    {"`/", 'y', kInWord, kFoldLeetspeak, 0},
    {"~/_", 'z', kAnywhere, kFoldLeetspeak, 0},
};

// The usual SMS spellings of English words, each of them no word of its
// own in English or Spanish, so that reading it as the word cannot change
// what an ordinary sentence says. Left out for that reason: "ya" ("yeah";
// Spanish "already"), "da", "wit", "k", and single letters and digits that
// are words or numbers ("n", "y", "c", "b", "2", "4"). Some of those are
// read where a phrase needs them (kStandInWords below); a ruleset that
// wants them everywhere lists them in its own equivalences
// (rulesets/child_safety adds "2" for "to").
constexpr ChatSpeak kChatSpeak[] = {
    {"you", "u"},
    {"your", "ur yr"},
    {"are", "r"},
    {"please", "pls plz"},
    {"people", "ppl"},
    {"tonight", "2nite tonite"},
    {"tomorrow", "2moro tmrw"},
    {"later", "l8r"},
    {"because", "cuz bc"},
    {"what", "wat wut"},
    {"love", "luv"},
    {"thanks", "thx"},
    {"message", "msg"},
    {"messages", "msgs"},
    {"text", "txt"},
    {"know", "kno"},
    {"boyfriend", "bf"},
    {"girlfriend", "gf"},
    {"something", "smth"},
    {"someone", "some1 sum1"},
    {"anyone", "any1"},
    {"nobody", "no1"},
    {"before", "b4"},
    {"great", "gr8"},
};

// Left out of kChatSpeak above because each is a word or a number of its
// own; read as the word only where a term has it (StandInWord).
constexpr StandInWord kStandInWords[] = {
    {"to", "2"},   {"too", "2"},  {"for", "4"},
    {"see", "c"},  {"you", "ya"}, {"the", "da"},
};

// Not in kShipped: read as "z" in every word that holds a letter, "2"
// cost child_safety three forms ("2-0-0", "20 bucks" in spaced text), and
// a stand-in digit costs every message that has one.
constexpr TermWordDigit kTermWordDigits[] = {{'2', 'z'}};

constexpr std::string_view kNumberCues[] = {
    "asl", "age",    "aged", "im",    "am",   "turning", "turn",
    "room", "at",    "no",   "number", "num", "grade",   "year", "yr",
};

constexpr std::string_view kArticles[] = {"a", "an", "the", "el", "la", "un"};

}  // namespace

absl::Span<const Disguise> ShippedDisguises() { return kShipped; }

absl::Span<const std::string_view> ArticleWords() { return kArticles; }

absl::Span<const StandInWord> ShippedStandInWords() { return kStandInWords; }

absl::Span<const std::string_view> NumberCueWords() { return kNumberCues; }

absl::Span<const TermWordDigit> ShippedTermWordDigits() {
  return kTermWordDigits;
}

absl::Span<const ChatSpeak> ShippedChatSpeak() { return kChatSpeak; }

bool IsPictographic(UChar32 c) {
  return c >= 0x80 &&
         (CodePointInfo::Get().Of(c) & CodePointInfo::kPictographic);
}

}  // namespace watchword
