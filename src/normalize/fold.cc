#include "src/normalize/fold.h"

#include <algorithm>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/normalize/code_points.h"
#include "src/normalize/disguise_table.h"
#include "src/normalize/fold_chars.h"
#include "src/normalize/fold_internal.h"
#include "src/normalize/stand_in_rules.h"
#include "unicode/uchar.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

// The Latin letter `c` looks like, or 0.
UChar32 HomoglyphOf(UChar32 c) {
  return c < 0x80 ? 0 : CodePointInfo::Homoglyph(CodePointInfo::Get().Of(c));
}

// The Latin letter `unit` looked like as it was written, before case
// folding changed its shape: Greek "Η" is "h" though its small "η" is "n",
// and "ϲ" is "c" though case folding makes it "σ". Falls back on the
// unit's own letter.
UChar32 HomoglyphAsWritten(const FoldUnit& unit, std::string_view original,
                           const NormalizedText& base,
                           const FoldConfig& config) {
  uint32_t begin, end;
  base.OriginalSpan(unit.begin, unit.end, &begin, &end);
  const UChar32 written = WrittenAt(original, begin, end, &config);
  if (written != unit.c && written > 0) {
    const UChar32 to = HomoglyphOf(written);
    if (to != 0) return to;
  }
  return HomoglyphOf(unit.c);
}

// Gives the look-alikes of the capital "I" at `places` of token [first,
// last) the readings ("i" or "l") that make its letters a term word, if
// the reading the case gave makes none and another does. Only an ASCII
// word, edged by punctuation at most, is looked up.
void PreferTermWord(const FoldConfig& config, size_t first, size_t last,
                    const size_t* places, int place_count, FoldUnit* units) {
  while (first < last && !(units[first].kind & kUnitLetter)) ++first;
  while (last > first && !(units[last - 1].kind & kUnitLetter)) --last;
  constexpr size_t kMaxWord = 32;
  if (last - first > kMaxWord || last == first) return;
  char word[kMaxWord];
  for (size_t i = first; i < last; ++i) {
    const UChar32 c = units[i].c;
    if (c < 'a' || c > 'z') return;
    word[i - first] = static_cast<char>(c);
  }
  const absl::string_view spelled(word, last - first);
  if (config.term_words().contains(spelled)) return;
  for (int k = 0; k < place_count; ++k) {
    if (places[k] < first || places[k] >= last) return;
  }
  for (int mask = 1; mask < (1 << place_count); ++mask) {
    for (int k = 0; k < place_count; ++k) {
      const char c = word[places[k] - first];
      if (mask & (1 << k)) word[places[k] - first] = c == 'i' ? 'l' : 'i';
    }
    if (config.term_words().contains(spelled)) {
      for (int k = 0; k < place_count; ++k) {
        SetChar(&units[places[k]], word[places[k] - first]);
      }
      return;
    }
    for (int k = 0; k < place_count; ++k) {  // Undo.
      const char c = word[places[k] - first];
      if (mask & (1 << k)) word[places[k] - first] = c == 'i' ? 'l' : 'i';
    }
  }
}

// The first code point written in original bytes [begin, end), or -1:
// a unit's letter, whatever a fold joined to it ("ǀ'" with its dropped
// apostrophe).
UChar32 FirstWrittenAt(std::string_view original, uint32_t begin,
                       uint32_t end) {
  if (begin >= end) return -1;
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  int32_t i = static_cast<int32_t>(begin);
  UChar32 written;
  U8_NEXT(s, i, static_cast<int32_t>(end), written);
  return written;
}

// The case a letter at original bytes [begin, end) was written in, as the
// text shows it: +1 for upper ("A", "А"), -1 for lower ("a", "ɪ", and the
// iota "ͺ" stands for), 0 for none.
int WrittenCase(std::string_view original, uint32_t begin, uint32_t end) {
  const UChar32 written = FirstWrittenAt(original, begin, end);
  if (written < 0) return 0;
  if (u_islower(written) || written == kYpogegrammeni) return -1;
  return u_isupper(written) ? 1 : 0;
}

bool IsSeparatedLetter(const FoldUnit* units, size_t i, size_t end);

// Reads each look-alike of the capital "I" ("І", "Ι", "ǀ", "Ｉ", "ｌ"), which
// the folds made "i" or "l", by the case its word is written in: "i" among
// capitals ("ЅWІТСН"), "l" beside lower-case letters ("ѕеІfіе"), where it
// looks like one. UTS #39 gives the capital "I" and "l" one skeleton, so
// its data cannot tell them apart; the case can. Standing alone, it is the
// word "i" ("І can") unless it is written as a small "l" ("ｌ") or spaced
// out among lower-case letters ("r u a І o n e"): then its neighbours'
// case decides. A word of mixed case ("ｓΕｌｆΙｅ", "ΙETS") that reads as
// no term word of the ruleset takes the other reading where that makes
// one (FoldConfig::term_words()).
void ReadCapitalILookAlikes(std::string_view original,
                            const NormalizedText& base,
                            const FoldConfig& config, FoldUnit* units,
                            size_t count) {
  const CodePointInfo& infos = CodePointInfo::Get();
  auto written_case = [&](const FoldUnit& u) {
    uint32_t begin, end;
    base.OriginalSpan(u.begin, u.end, &begin, &end);
    return WrittenCase(original, begin, end);
  };
  auto capital_i = [&](const FoldUnit& u) {
    if (u.c != 'i' && u.c != 'l') return false;
    uint32_t begin, end;
    base.OriginalSpan(u.begin, u.end, &begin, &end);
    const UChar32 w = FirstWrittenAt(original, begin, end);
    return w >= 0 && (infos.Of(w) & CodePointInfo::kCapitalI);
  };
  // The case of the letters of token [first, last) other than look-alikes
  // of "I": +1 if some are upper and none lower, -1 if some are lower.
  auto token_case = [&](size_t first, size_t last, bool* any) {
    bool upper = false, lower = false;
    for (size_t i = first; i < last; ++i) {
      if (!(units[i].kind & kUnitLetter)) continue;
      if (capital_i(units[i])) {
        if (any != nullptr) *any = true;
        continue;
      }
      const int c = written_case(units[i]);
      upper |= c > 0;
      lower |= c < 0;
    }
    return lower ? -1 : upper ? 1 : 0;
  };
  size_t previous_first = count, previous_last = count;
  for (size_t first = 0; first < count;) {
    size_t last = first;
    while (last < count && !IsSpace(units[last].c)) ++last;
    bool any = false;
    int word_case = token_case(first, last, &any);
    if (any && word_case == 0) {
      size_t next_first = last;
      while (next_first < count && IsSpace(units[next_first].c)) ++next_first;
      size_t next_last = next_first;
      while (next_last < count && !IsSpace(units[next_last].c)) ++next_last;
      // A neighbour of one letter, dotted or not ("а. Ӏ. о. n. е").
      const bool spaced =
          (previous_first < count &&
           IsSeparatedLetter(units, previous_first, previous_last)) ||
          IsSeparatedLetter(units, next_first, next_last);
      int around = token_case(next_first, next_last, nullptr);
      if (around == 0 && previous_first < count) {
        around = token_case(previous_first, previous_last, nullptr);
      }
      bool small = false;  // Written as a small "l".
      for (size_t i = first; i < last; ++i) {
        small |= capital_i(units[i]) && written_case(units[i]) < 0;
      }
      word_case = (spaced || small) && around < 0 ? -1 : 1;
    }
    // The look-alikes of the token, at most kMaxPlaces of them.
    constexpr int kMaxPlaces = 4;
    size_t places[kMaxPlaces];
    int place_count = 0;
    for (size_t i = first; any && i < last; ++i) {
      if (!(units[i].kind & kUnitLetter) || !capital_i(units[i])) continue;
      SetChar(&units[i], word_case < 0 ? 'l' : 'i');
      units[i].folds |= kFoldHomoglyph;
      if (place_count < kMaxPlaces) places[place_count++] = i;
    }
    if (place_count > 0 && !config.term_words().empty()) {
      PreferTermWord(config, first, last, places, place_count, units);
    }
    if (last > first) {
      previous_first = first;
      previous_last = last;
    }
    first = last + 1;
  }
}


// Scripts whose letters in this text include some with no Latin twin: the
// text is really written in them, so their look-alike letters are letters.
// Also used for the scripts of look-alike letters in a text.
struct GenuineScripts {
  UScriptCode scripts[4];
  int count = 0;
  bool overflow = false;  // More than four scripts were added.

  bool Contains(UScriptCode script) const {
    for (int i = 0; i < count; ++i) {
      if (scripts[i] == script) return true;
    }
    return false;
  }
  void Add(UScriptCode script) {
    if (Contains(script)) return;
    if (count < 4) {
      scripts[count++] = script;
    } else {
      overflow = true;
    }
  }
};

UScriptCode ScriptOf(UChar32 c) {
  return CodePointInfo::Script(CodePointInfo::Get().Of(c));
}

// Whether units at `i` (of `count`) spell `from`.
bool Spells(const FoldUnit* units, size_t count, size_t i,
            std::string_view from) {
  const size_t n = from.size();
  if (i + n > count) return false;
  for (size_t k = 0; k < n; ++k) {
    if (units[i + k].c != static_cast<uint8_t>(from[k])) return false;
  }
  return true;
}

// Whether some row of config.sequences() spells units at `i`, wherever it
// may apply.
bool SomeSequenceAt(const FoldUnit* units, size_t count, size_t i,
                    const FoldConfig& config) {
  const UChar32 c = units[i].c;
  if (c < 0 || c >= 0x80 || !config.sequence_first()[c]) return false;
  for (const Disguise& row : config.sequences()) {
    if (Spells(units, count, i, row.from)) return true;
  }
  return false;
}

// Rows compared for the term word they make (TermWordRow()), and the
// longest word looked up.
constexpr int kMaxCleanRows = 4;
constexpr size_t kMaxTermWordBytes = 32;

// Punctuation that spaces out letters ("s.e.n.d", "s-e-n-d", "s~e:n;d"):
// a letter or a sequence with these after it is still one letter standing
// alone ("p. /\. r" is "par").
bool IsLetterSeparator(UChar32 c) {
  return c == '.' || c == '-' || c == '_' || c == ',' || c == '~' ||
         c == ':' || c == ';' || c == '/';
}

// Whether units [i, end) are one letter and then only separators.
bool IsSeparatedLetter(const FoldUnit* units, size_t i, size_t end) {
  if (i >= end || !(units[i].kind & kUnitLetter)) return false;
  for (size_t k = i + 1; k < end; ++k) {
    if (!IsLetterSeparator(units[k].c)) return false;
  }
  return true;
}

// Whether the sequence row `row` matches units at `i` (of `count`), and
// its context allows it there.
// `letter_before`: a letter was made of the token's units before `i`
// ("/\/\[-" is "me"); `single_before`: the token before is one letter;
// `token_start`: what was written before `i` ends in a space, or nothing.
bool SequenceAt(const FoldUnit* units, size_t count, size_t i,
                const Disguise& row, bool letter_before, bool single_before,
                bool token_start, const FoldConfig& config) {
  if (!Spells(units, count, i, row.from)) return false;
  const size_t n = row.from.size();
  if (row.where & kAnywhere) return true;
  // kInWord: a letter elsewhere in its token, or another sequence after it
  // ("()|\|" is "on"), or a symbol that opens or ends words as a letter
  // ("+()" is "to", "$[]$" "sos"; not "|", which rows are made of).
  auto letter = [&config](const FoldUnit& u) {
    const UChar32 c = u.c;
    return (u.kind & kUnitLetter) ||
           (c >= 0 && c < 0x80 && c != '|' && config.ascii_stand_in()[c] &&
            !IsDigit(c) && (config.Where(c) & (kWordStart | kWordEnd)));
  };
  if (letter_before) return true;
  for (size_t k = i; k > 0 && !IsSpace(units[k - 1].c); --k) {
    if (letter(units[k - 1])) return true;
  }
  size_t end = i + n;
  for (; end < count && !IsSpace(units[end].c); ++end) {
    if (letter(units[end]) || SomeSequenceAt(units, count, end, config)) {
      return true;
    }
  }
  // Alone, a token of its own: where a phrase has the one-letter word it
  // makes ("/\" for "a"), or a chat-speak word does ("|? (_)" for "r u"),
  // or among letters spaced out ("s [- n d", "[- a |o i c"), dotted ones
  // too ("p. /\. r. [-.").
  const UChar32 to = row.to;
  size_t tail = i + n;
  while (tail < end && IsLetterSeparator(units[tail].c)) ++tail;
  if (end != tail || !token_start || to < 'a' || to > 'z') {
    return false;
  }
  if (single_before) return true;
  if (end + 1 < count) {
    size_t next_end = end + 1;
    while (next_end < count && !IsSpace(units[next_end].c)) ++next_end;
    if (IsSeparatedLetter(units, end + 1, next_end) ||
        SomeSequenceAt(units, count, end + 1, config)) {
      return true;
    }
  }
  return (config.alone_letters >> (to - 'a') & 1) ||
         config.equivalences().contains(std::string(1, static_cast<char>(to)));
}

// Whether units [r, r + length) of a sequence hold an "_" that separates
// single characters ("r_|_i" of "o_u_r_|_i_t_t_|_e" is "r", "|", "i"; not
// "_|" for "j"): one between two characters each edged by "_" or a space,
// in a run of more ("|_|" alone is "u").
bool UnderscoreSeparates(const FoldUnit* units, size_t count, size_t r,
                         size_t length) {
  auto edge = [&](size_t j) { return units[j].c == '_' || IsSpace(units[j].c); };
  auto single = [&](size_t j) {
    return !edge(j) && (j == 0 || edge(j - 1)) &&
           (j + 1 == count || edge(j + 1));
  };
  // Only an underscore at the row's edge: "|_|" inside "_|_|_" is "u".
  for (size_t k : {r, r + length - 1}) {
    if (k < count && units[k].c == '_' && k > 0 && k + 1 < count && single(k - 1) &&
        single(k + 1) &&
        ((k >= 2 && units[k - 2].c == '_') ||
         (k + 2 < count && units[k + 2].c == '_'))) {
      return true;
    }
  }
  return false;
}

// Whether the sequence at units [r, r + length) is opened and ended by one
// separator ("-|-") that spaces out the letters around it: one character
// each side, edged by that separator or a space, in a run of more. Then the
// row's middle is a letter of its own: "p-|-c-k" is "pick" and "f-|-€"
// "fle", not "ptck" and "fte"; "-|-" alone, "a-|-e" and "12-|-13" keep "t".
bool FramedBySeparators(const FoldUnit* units, size_t count, size_t r,
                        size_t length) {
  const size_t e = r + length;
  if (length < 3 || r < 1 || e >= count) return false;
  const UChar32 sep = units[r].c;
  if (sep == '_' || sep == '/' || !IsLetterSeparator(sep) ||
      units[e - 1].c != sep) {
    return false;
  }
  auto edge = [&](size_t j) {
    return j >= count || units[j].c == sep || IsSpace(units[j].c);
  };
  // A character alone between edges at `j - 1` and `j + 1`.
  auto single = [&](size_t j) {
    return j < count && !edge(j) && (j == 0 || edge(j - 1)) && edge(j + 1);
  };
  if (!single(r - 1) || !single(e)) return false;
  // And another beyond one of them: "[-n-|-s" is "[-" "n" "-|-", "parents".
  return (r >= 3 && units[r - 2].c == sep && single(r - 3)) ||
         (e + 1 < count && units[e + 1].c == sep && single(e + 2));
}

// Whether the character after a sequence, at `e`, would be left over: no
// letter, digit, space or sentence punctuation, and no sequence's start.
// "o|_|)" is "old" ("|_" "|)"), not "ou" and a ")". So is an underscore
// that ends its token, though a word character: "te|_|_" is "tell", not
// "teu_"; before a word it separates words ("yo|_|_me").
bool LeftOver(const FoldUnit* units, size_t count, size_t e,
              const FoldConfig& config) {
  if (e >= count) return false;
  const UChar32 c = units[e].c;
  // A sequence after it is a letter to come ("\/\/_[]" is "w o").
  const bool ends_token =
      e + 1 >= count || (!(units[e + 1].kind & kUnitWord) &&
                         !SomeSequenceAt(units, count, e + 1, config));
  if (IsSpace(c) ||
      ((units[e].kind & kUnitWord) && (c != '_' || !ends_token))) {
    return false;
  }
  // Nor a separator between letters ("/\/\-y" is "m-y", "|_|~|2" "u~r"),
  // nor an emoji inside a word ("/\/\📻[-" is "m📻e"), nor a mask, a
  // letter to come ("bet\/\/*en").
  if (c == '.' || c == ',' || c == '?' || c == '!' || c == ';' || c == ':' ||
      c == '\'' || c == '"' || c == '-' || c == '~' || c == '*' ||
      IsPictographic(c)) {
    return false;
  }
  // Nor a symbol that stands for a letter ("/\/\€" is "m" and "€"), but
  // "|", which rows are made of.
  const UChar32 to = c == '|' ? 0 : config.Leet(c);
  if (to >= 'a' && to <= 'z') return false;
  return !SomeSequenceAt(units, count, e, config);
}

// The letter `c` spells in a term word: a letter, or a digit or symbol of
// the leetspeak map ("w3bc/\/\" is "webcam"), read as its first meaning,
// or a look-alike of a Latin letter ("vvhα'|'sαpp" is "whatsapp"); 0 for
// anything else, and for "|", which rows are made of.
char TermLetter(UChar32 c, const FoldConfig& config) {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c);
  if (c >= 0x80) {
    UChar32 to = (config.enabled & kFoldHomoglyph) ? HomoglyphOf(c) : 0;
    if (to == 0) to = config.Leet(c);
    return to >= 'a' && to <= 'z' ? static_cast<char>(to) : 0;
  }
  if (c < 0 || c == '|' || !config.ascii_stand_in()[c]) return 0;
  const UChar32 to = config.ascii_leet()[c];
  return to >= 'a' && to <= 'z' ? static_cast<char>(to) : 0;
}

// Appends to *word the letters the units of a token spell from `i` on,
// each sequence read by its longest row that leaves nothing over (or else
// its longest), up to the first unit that is neither; stops past
// kMaxTermWordBytes.
void AppendRestOfWord(const FoldUnit* units, size_t count, size_t i,
                      const FoldConfig& config, bool spaced,
                      std::string* word, bool* read_sequence = nullptr) {
  while (i < count && word->size() <= kMaxTermWordBytes) {
    const UChar32 c = units[i].c;
    if (const char letter = TermLetter(c, config);
        letter != 0 && !SomeSequenceAt(units, count, i, config)) {
      word->push_back(letter);
      ++i;
      continue;
    }
    // A separator between letters spaced out (`spaced`).
    if (spaced && IsLetterSeparator(c) && i + 1 < count && !word->empty() &&
        !SomeSequenceAt(units, count, i, config) &&
        ((units[i + 1].kind & kUnitLetter) ||
         (units[i + 1].c >= 0 && units[i + 1].c < 0x80 &&
          config.sequence_first()[units[i + 1].c]))) {
      ++i;
      continue;
    }
    const Disguise* best = nullptr;
    if (c >= 0 && c < 0x80 && config.sequence_first()[c]) {
      for (const Disguise& row : config.sequences()) {
        if (row.to < 'a' || row.to > 'z' ||
            !Spells(units, count, i, row.from)) {
          continue;
        }
        if (best == nullptr) best = &row;
        if (!LeftOver(units, count, i + row.from.size(), config)) {
          best = &row;
          break;
        }
      }
    }
    if (best == nullptr) return;
    if (read_sequence != nullptr) *read_sequence = true;
    word->push_back(static_cast<char>(best->to));
    i += best->from.size();
  }
}

// Whether `row`, spelling units at `r`, makes a term word with the letters
// written before it (units [0, w)) and those after it. If non-null,
// *read_sequence is set when the letters after it hold a sequence's.
// With `repeats` > 1, the row is written that many times in a row, as a
// letter is stretched, and the word with that run cut to one letter counts
// ("c/\/\/\/\n" is "caaaan", "can").
bool MakesTermWord(const FoldUnit* units, size_t count, size_t w, size_t r,
                   const Disguise& row, const FoldConfig& config,
                   bool* read_sequence = nullptr, size_t repeats = 1) {
  if (row.to < 'a' || row.to > 'z' || config.term_words().empty()) {
    return false;
  }
  // Letters spaced out by separators spell their word too ("s.n.a.|*"),
  // where the row has a separator and a letter on one side.
  auto letter = [&config](UChar32 c) { return TermLetter(c, config) != 0; };
  const size_t e = r + row.from.size() * repeats;
  const bool spaced =
      (w >= 2 && IsLetterSeparator(units[w - 1].c) && letter(units[w - 2].c)) ||
      (e + 1 < count && IsLetterSeparator(units[e].c) &&
       !SomeSequenceAt(units, count, e, config) &&
       ((units[e + 1].kind & kUnitLetter) ||
        SomeSequenceAt(units, count, e + 1, config)));
  size_t start = w;
  while (start > 0 && w - start <= kMaxTermWordBytes &&
         (letter(units[start - 1].c) ||
          (spaced && start > 1 && IsLetterSeparator(units[start - 1].c) &&
           letter(units[start - 2].c)))) {
    --start;
  }
  std::string word;
  for (size_t k = start; k < w; ++k) {
    if (letter(units[k].c)) word.push_back(TermLetter(units[k].c, config));
  }
  word.push_back(static_cast<char>(row.to));
  AppendRestOfWord(units, count, e, config, spaced, &word, read_sequence);
  return config.term_words().contains(word);
}

// Of `rows`, sequences that each spell units at `r` and leave nothing over,
// the first that makes a term word (MakesTermWord()), or else the first:
// "|_|_" is "u" and "_", or "l" and "l" as in "te|_|_" for "tell";
// "c/\/\/\" is "cam" ("/\" "/\/\"), not "cma".
const Disguise* TermWordRow(const FoldUnit* units, size_t count, size_t w,
                            size_t r, const Disguise* const* rows,
                            int row_count, const FoldConfig& config) {
  for (int k = 0; k < row_count; ++k) {
    if (MakesTermWord(units, count, w, r, *rows[k], config)) return rows[k];
  }
  return rows[0];
}

// Replaces the sequences of ShippedDisguises() in units [0, *count) (before
// any other fold of their characters) by their letter, and turns the
// apostrophes and separators between two word characters into nothing or a
// space. Returns whether it changed anything.
bool ApplyJoinsAndSequences(const FoldConfig& config, bool sequences,
                            bool joins, const uint32_t* base_begin,
                            FoldUnit* units, size_t* count) {
  const size_t n = *count;
  size_t w = 0;
  bool changed = false;
  // Whether the token being written has a letter yet.
  bool letter_before = false;
  // Whether it has a letter made of a sequence.
  bool sequence_before = false;
  // The space written for emoji inside a word ("t[-|_📷|_"), at
  // `emoji_space`, and whether the word had a sequence's letter before it:
  // a sequence after it is in that word ("|_" there is "l"). A word with
  // none keeps its emoji a space ("lol😂()").
  size_t emoji_space = n;
  bool letter_before_emoji = false;
  auto written = [&](const FoldUnit& unit) {
    letter_before =
        !IsSpace(unit.c) && (letter_before || (unit.kind & kUnitLetter));
    sequence_before = !IsSpace(unit.c) &&
                      (sequence_before || (unit.folds & kFoldLeetspeak));
  };
  for (size_t r = 0; r < n;) {
    if (w > 0) written(units[w - 1]);
    if (w > 0 && w - 1 == emoji_space) letter_before = letter_before_emoji;
    const UChar32 c = units[r].c;
    if (sequences && c >= 0 && c < 0x80 &&
        (config.sequence_first()[c] || config.term_sequence_first()[c])) {
      // The token before is one letter, perhaps dotted ("p. /\.").
      size_t before = w > 0 ? w - 1 : 0;
      while (before > 0 && IsLetterSeparator(units[before - 1].c)) --before;
      const bool single_before = w >= 2 && IsSpace(units[w - 1].c) &&
                                 before > 0 &&
                                 (units[before - 1].kind & kUnitLetter) &&
                                 (before == 1 || IsSpace(units[before - 2].c));
      // A row that opens with a separator ("_|" for "j") is no letter
      // after a word character, where the separator is one ("[]_|_|_|2"
      // is "o u r", "l_|)" is "l d"), unless it makes a term word there
      // ("m[-nsa_|es"). An apostrophe opening one ("'|'") is dropped
      // there, and the row still read: "don'|'".
      const bool after_word = w > 0 && (units[w - 1].kind & kUnitWord) &&
                              !IsSpace(units[w - 1].c);
      const bool token_start = w == 0 || IsSpace(units[w - 1].c);
      // So is one of two characters that opens a token and ends with a
      // separator before a word, where its first character stands alone for
      // a one-letter word that makes a pair of a phrase with that word
      // (FoldConfig::term_pairs()): "|_will_pay" is "i will pay"; "|_ive"
      // and "|_lamo" keep "l".
      auto alone_before_word = [&](const Disguise& row) {
        const size_t e = r + row.from.size();
        if (!token_start || !joins || row.from.size() != 2 || e >= n ||
            config.Join(static_cast<uint8_t>(row.from[1])) !=
                FoldConfig::kJoinSpace ||
            !Spells(units, n, r, row.from)) {
          return false;
        }
        const UChar32 letter = config.Leet(units[r].c);
        if (letter < 'a' || letter > 'z' ||
            !(config.Where(units[r].c) & kAlone) ||
            !(config.alone_letters >> (letter - 'a') & 1)) {
          return false;
        }
        std::string pair = {static_cast<char>(letter), ' '};
        for (size_t k = e; k < n && pair.size() < kMaxTermWordBytes &&
                           units[k].c >= 'a' && units[k].c <= 'z';
             ++k) {
          pair.push_back(static_cast<char>(units[k].c));
        }
        return pair.size() > 2 && config.term_pairs().contains(pair);
      };
      // The longest row that leaves nothing over after it, or else the
      // longest; of several that leave nothing over, one that makes a term
      // word (TermWordRow()).
      const Disguise* hit = nullptr;
      const Disguise* clean[kMaxCleanRows];
      int clean_count = 0;
      // A row is whole written characters: the "(" and ")" NFKC writes
      // around a parenthesized letter ("⒮" is "(s)") are that letter's, so
      // ")-(" between two of them is no "h". `whole(len)`: the row of
      // `len` units at r ends where a written character does (it starts
      // where one does, `starts_whole`).
      const bool starts_whole =
          w == 0 || base_begin[units[w - 1].end - 1] != base_begin[units[r].begin];
      auto whole = [&](size_t len) {
        const size_t e = r + len;
        return starts_whole &&
               (e >= n || base_begin[units[e].begin] !=
                              base_begin[units[e - 1].end - 1]);
      };
      for (const Disguise& row : config.sequences()) {
        if (after_word && joins &&
            config.Join(static_cast<uint8_t>(row.from[0])) ==
                FoldConfig::kJoinSpace &&
            !(Spells(units, n, r, row.from) &&
              MakesTermWord(units, n, w, r, row, config))) {
          continue;
        }
        if (alone_before_word(row)) continue;
        // After digits with no letter yet, where the digits read as
        // leetspeak and the row's letter make a term word ("7[]" is "to";
        // "5()" stays).
        auto after_digits = [&] {
          return !token_start && IsDigit(units[w - 1].c) &&
                 Spells(units, n, r, row.from) &&
                 MakesTermWord(units, n, w, r, row, config);
        };
        if (!(SequenceAt(units, n, r, row, letter_before, single_before,
                         token_start, config) ||
              after_digits()) ||
            UnderscoreSeparates(units, n, r, row.from.size()) ||
            FramedBySeparators(units, n, r, row.from.size()) ||
            !whole(row.from.size())) {
          continue;
        }
        if (hit == nullptr) hit = &row;
        if (!LeftOver(units, n, r + row.from.size(), config)) {
          if (clean_count == 0) hit = &row;
          clean[clean_count++] = &row;
          if (clean_count == kMaxCleanRows || config.term_words().empty()) {
            break;
          }
        }
      }
      // A row written three times or more, as a letter is stretched, is
      // that letter each time where the word with the run cut to one is a
      // term word: "c/\/\/\/\n" is "caaaan" for "can", not "cmmn"; "/\/\"
      // twice is still "mm" or "aa" by TermWordRow(). Not where a row read
      // once already makes a term word: "/\/\/\n[)/-\s" is "mandas".
      bool stretched = false;
      const Disguise* stretched_row = nullptr;
      size_t stretched_repeats = 1;
      bool read_once = false;
      for (int k = 0; k < clean_count && !read_once; ++k) {
        read_once = MakesTermWord(units, n, w, r, *clean[k], config);
      }
      for (int k = 0; k < clean_count && !stretched && !read_once; ++k) {
        const size_t len = clean[k]->from.size();
        size_t repeats = 1;
        while (repeats < kMaxTermWordBytes &&
               Spells(units, n, r + repeats * len, clean[k]->from)) {
          ++repeats;
        }
        if (repeats >= 3 && MakesTermWord(units, n, w, r, *clean[k], config,
                                          nullptr, repeats)) {
          hit = stretched_row = clean[k];
          stretched_repeats = repeats;
          stretched = true;
        }
      }
      if (clean_count > 1 && !stretched) {
        hit = TermWordRow(units, n, w, r, clean, clean_count, config);
      }
      // A row this reading leaves as typed, read as the other reading's
      // letter where that makes a term word in a word with another
      // sequence: "vv|-|atsap|o" needs "vv" read as the second reading
      // does and "|o" as the first.
      if (config.term_sequence_first()[c] && !config.term_words().empty()) {
        for (const Disguise& row : config.term_sequences()) {
          bool read_sequence = false;
          if (Spells(units, n, r, row.from) && whole(row.from.size()) &&
              MakesTermWord(units, n, w, r, row, config, &read_sequence) &&
              (read_sequence || sequence_before)) {
            hit = &row;
            break;
          }
        }
      }
      if (hit != nullptr) {
        const size_t len = hit->from.size();
        const size_t repeats = hit == stretched_row ? stretched_repeats : 1;
        for (size_t rep = 0; rep < repeats; ++rep) {
          FoldUnit unit = units[r];
          for (size_t k = r + 1; k < r + len; ++k) unit.folds |= units[k].folds;
          unit.end = units[r + len - 1].end;
          SetChar(&unit, hit->to);
          unit.folds |= hit->fold;
          units[w++] = unit;
          r += len;
        }
        changed = true;
        continue;
      }
    }
    const uint8_t join =
        joins ? config.Join(c) : static_cast<uint8_t>(FoldConfig::kJoinNone);
    // A run of them ("😀😀") between two word characters that are no joins
    // ("__init__" stays). A mask or an ASCII stand-in is a letter to a
    // dropped apostrophe ("do*'t" is "do*t", "wha+'$" is "wha+$").
    auto real_word = [&](const FoldUnit& u) {
      return (u.kind & kUnitWord) && config.Join(u.c) == FoldConfig::kJoinNone;
    };
    // A mask is a letter to a separator too ("se😀*😀d" is "se * d").
    auto word = [&](const FoldUnit& u) {
      if (u.c == '*' || u.c == '#') return true;
      if (join == FoldConfig::kJoinDrop && u.c >= 0 && u.c < 0x80 &&
          config.ascii_stand_in()[u.c]) {
        return true;
      }
      return real_word(u);
    };
    // A stand-in is a letter to a separator too ("$😀end", "m€_a"), where
    // stand-ins and separators lead from it to a word character on one
    // side or the other ("p😀|😀(", "<😀#😀at"): "@_@" stays. `after`: the
    // unit past the separators.
    auto stand_in = [&](const FoldUnit& u) {
      return !(u.kind & kUnitLetter) && !IsSpace(u.c) && config.Leet(u.c) != 0;
    };
    auto separates_stand_in = [&](size_t after) {
      return SeparatesStandIn(
          w, after, n, [&](size_t k) { return real_word(units[k]); },
          [&](size_t k) { return stand_in(units[k]); },
          [&](size_t k) {
            return IsSpace(units[k].c) && (units[k].folds & kFoldSpacing);
          },
          [&](size_t k) {
            return config.Join(units[k].c) == FoldConfig::kJoinSpace;
          });
    };
    if (join != FoldConfig::kJoinNone && w > 0 &&
        (word(units[w - 1]) || stand_in(units[w - 1]))) {
      // A run of joins with a space among them is a space: "t_'_s", where
      // the letters around an apostrophe are spaced out too. A sequence
      // after it is a letter to come, though it starts with one ("don’'|'"
      // is "don’" and "'|'").
      auto sequence = [&](size_t k) {
        return sequences && SomeSequenceAt(units, n, k, config);
      };
      size_t e = r + 1;
      uint8_t run = join;
      for (; e < n && config.Join(units[e].c) != FoldConfig::kJoinNone &&
             !sequence(e);
           ++e) {
        run |= config.Join(units[e].c);
      }
      // A pipe between two of the same separator is one too
      // ("westfield_|_my"), unless a sequence follows ("o_|_|_|2" is
      // "o u r"); not "😀|_a", where "|_" is "l". Only where the separator
      // and the pipe start a row ("_|"), so that FoldAscii(), which leaves
      // text with a row to this function, never sees one. Not after a
      // letter standing alone either: "p_|_e_a_s_e" spells its "|".
      if (run == FoldConfig::kJoinSpace && e + 2 < n && units[e].c == '|' &&
          sequence(e - 1) && w >= 2 && word(units[w - 2]) &&
          units[e + 1].c == units[e - 1].c &&
          config.Join(units[e + 1].c) == FoldConfig::kJoinSpace &&
          word(units[e + 2]) && !sequence(e + 2)) {
        e += 2;
      }
      const uint8_t as = (run & FoldConfig::kJoinSpace) ? FoldConfig::kJoinSpace
                                                        : FoldConfig::kJoinDrop;
      if (e < n &&
          ((word(units[w - 1]) && (word(units[e]) || sequence(e))) ||
           (as == FoldConfig::kJoinSpace && separates_stand_in(e))) &&
          (as == FoldConfig::kJoinSpace || e == r + 1)) {
        uint16_t folds = kFoldSpacing;
        for (size_t k = r; k < e; ++k) folds |= units[k].folds;
        if (as == FoldConfig::kJoinDrop) {
          // The dropped apostrophe belongs to the letter before it.
          units[w - 1].end = units[e - 1].end;
          units[w - 1].folds |= folds;
        } else {
          FoldUnit space = units[r];
          space.end = units[e - 1].end;
          SetChar(&space, ' ');
          space.folds |= folds;
          if (units[r].c >= 0x80 && units[e - 1].c >= 0x80) {
            emoji_space = w;
            letter_before_emoji = letter_before && sequence_before;
          }
          units[w++] = space;
        }
        r = e;
        changed = true;
        continue;
      }
    }
    // Separators between a word character and a mark (either way round).
    if (join == FoldConfig::kJoinSpace && w > 0) {
      size_t e = r + 1;
      while (e < n && config.Join(units[e].c) == FoldConfig::kJoinSpace) ++e;
      auto at = [&](size_t k) { return k < n ? units[k].c : UChar32{-1}; };
      const FoldUnit& before = units[w - 1];
      const bool word_before =
          (before.kind & kUnitWord) && config.Join(before.c) == FoldConfig::kJoinNone;
      const bool word_after = e < n && (units[e].kind & kUnitWord) &&
                              config.Join(units[e].c) == FoldConfig::kJoinNone;
      if (e < n && !(sequences && SomeSequenceAt(units, n, e, config)) &&
          ((word_before && IsMarkBesideSeparator(units[e].c, at(e + 1), config)) ||
           (word_after && IsMarkBesideSeparator(before.c, units[r].c, config)))) {
        FoldUnit space = units[r];
        space.end = units[e - 1].end;
        SetChar(&space, ' ');
        for (size_t k = r; k < e; ++k) space.folds |= units[k].folds;
        space.folds |= kFoldSpacing;
        units[w++] = space;
        r = e;
        changed = true;
        continue;
      }
    }
    units[w++] = units[r++];
  }
  *count = w;
  return changed;
}

// Folds homoglyphs and leetspeak within one space-delimited token
// [first, last) of *units. Returns whether it changed a character.
bool FoldToken(FoldUnit* units, size_t count, size_t first, size_t last,
               const FoldConfig& config, bool homoglyphs,
               const GenuineScripts& genuine, std::string_view original,
               const NormalizedText& base) {
  const bool leet = config.enabled & kFoldLeetspeak;
  bool changed = false;
  int latin = 0, other = 0, mappable = 0;
  bool has_letter = false;
  if (homoglyphs) {
    // One trie lookup per character answers all three questions.
    const CodePointInfo& infos = CodePointInfo::Get();
    for (size_t i = first; i < last; ++i) {
      UChar32 c = units[i].c;
      const bool letter = units[i].kind & kUnitLetter;
      has_letter |= letter;
      if (c < 0x80) {
        latin += letter;
        continue;
      }
      if (!letter) continue;
      const uint32_t info = infos.Of(c);
      const UScriptCode script = CodePointInfo::Script(info);
      if (script == USCRIPT_LATIN) {
        ++latin;
      } else {
        ++other;
        if (CodePointInfo::Homoglyph(info) != 0 && !genuine.Contains(script)) {
          ++mappable;
        }
      }
    }
    // Fold a word that mixes Latin with look-alikes ("sеnd" with a
    // Cyrillic е), or one made only of look-alikes ("ѕеnd") unless the text
    // is really written in their script: "сор" beside "привет" is Russian.
    if (other > 0 && (latin > 0 || mappable == other)) {
      for (size_t i = first; i < last; ++i) {
        FoldUnit& u = units[i];
        if (u.c < 0x80 || !(u.kind & kUnitLetter)) continue;
        UChar32 to = HomoglyphAsWritten(u, original, base, config);
        if (to != 0) {
          SetChar(&u, to);
          u.folds |= kFoldHomoglyph;
          changed = true;
        }
      }
    }
  } else {
    for (size_t i = first; i < last; ++i) has_letter |= units[i].kind & kUnitLetter;
  }
  if (!leet || config.leet().empty()) return changed;
  // Units before the fold: a stand-in's neighbours are read as they were.
  auto at = [units](size_t i) { return units[i].c; };
  int code = -1;  // IsShortCode(), computed when first needed.
  for (size_t i = first; i < last; ++i) {
    FoldUnit& u = units[i];
    const UChar32 to = config.Leet(u.c);
    if (to == 0) continue;
    if (u.kind & kUnitLetter) {
      SetChar(&u, to);  // A letter's class, not a disguise: no fold bit.
      changed = true;
      continue;
    }
    if (code < 0) code = IsShortCode(at, count, first, last, config);
    if (!StandsIn(at, count, i, first, last, config.Where(u.c), to, has_letter,
                  code == 1, config)) {
      continue;
    }
    SetChar(&u, to);
    u.folds |= kFoldLeetspeak;
    changed = true;
  }
  return changed;
}

// ReadTermWords() on token [first, last) of `units`: sets the letters it
// reads, marked as leetspeak. Returns whether it set any.
bool ReadTermWordsOf(const FoldConfig& config, FoldUnit* units, size_t count,
                     size_t first, size_t last) {
  bool changed = false;
  ReadTermWords(config, count, first, last,
                [units](size_t i) { return units[i].c; },
                [units](size_t i) { return units[i].folds; },
                [units, &changed](size_t i, char c) {
                  SetChar(&units[i], c);
                  units[i].folds |= kFoldLeetspeak;
                  changed = true;
                });
  return changed;
}

}  // namespace

bool HasInvisible(std::string_view original, uint32_t begin, uint32_t end) {
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  for (int32_t i = static_cast<int32_t>(begin);
       i < static_cast<int32_t>(end);) {
    UChar32 c;
    U8_NEXT(s, i, static_cast<int32_t>(end), c);
    if (c >= 0 && u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
      return true;
    }
  }
  return false;
}

UChar32 WrittenAt(std::string_view original, uint32_t begin, uint32_t end,
                  const FoldConfig* config) {
  if (begin >= end) return -1;
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t n = static_cast<int32_t>(end);
  int32_t i = static_cast<int32_t>(begin);
  UChar32 written;
  U8_NEXT(s, i, n, written);
  while (i < n) {
    UChar32 k;
    U8_NEXT(s, i, n, k);
    if (k < 0 || (u_charType(k) != U_NON_SPACING_MARK &&
                  !u_hasBinaryProperty(k, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) &&
                  (config == nullptr ||
                   config->Join(k) != FoldConfig::kJoinDrop))) {
      return -1;
    }
  }
  return written;
}

bool FoldBase(std::string_view original, const NormalizedText& base,
              const FoldConfig& config, FoldUnits* out) {
  // Written by index into a pre-sized buffer: at most one unit per byte.
  out->resize(base.text.size());
  FoldUnit* const units = out->data();
  const uint32_t* const base_begin = base.begin.data();
  const uint32_t* const base_end = base.end.data();
  size_t count = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(base.text.data());
  const int32_t n = static_cast<int32_t>(base.text.size());
  const bool invisible = config.enabled & kFoldInvisible;
  const bool diacritics = config.enabled & kFoldDiacritic;
  const bool homoglyphs = config.enabled & kFoldHomoglyph;
  const CodePointInfo& infos = CodePointInfo::Get();
  // Scripts this text is really written in, found on the way (one trie
  // lookup per character answers every question here), and what decides
  // whether any token has a look-alike or a stand-in to fold.
  GenuineScripts genuine;
  GenuineScripts look_alike_scripts;  // Of non-Latin letters with a twin.
  bool latin_letter = false, other_letter = false, stand_in = false;
  bool special = false;  // A sequence may start, or a join, somewhere.
  bool capital_i = false;  // A look-alike of the capital "I" somewhere.
  uint16_t any_folds = 0;  // Of every unit: something was folded.
  bool emoji_kept = false;  // An emoji NFKC had spelled with letters.
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c = s[i];
    FoldUnit unit;
    if (c < 0x80) {
      ++i;
      unit = {c, static_cast<uint32_t>(start), static_cast<uint32_t>(i), 0,
              kAsciiUnitKinds[c]};
      // A letter or space NFKC made of something else ("Ｉ", "ſ", "ͺ"):
      // read as written where its skeleton differs.
      if (homoglyphs && base_end[start] - base_begin[start] > 1 &&
          (c == ' ' || (unit.kind & kUnitLetter))) {
        const UChar32 w =
            WrittenAt(original, base_begin[start], base_end[start]);
        if (c == ' ' && w == kYpogegrammeni) {  // Its "ι" stays.
          any_folds |= kFoldHomoglyph;
          continue;
        }
        const uint32_t written = w >= 0x80 ? infos.Of(w) : 0;
        const UChar32 to = CodePointInfo::Homoglyph(written);
        if (c != ' ' && to != 0 && to != c) {
          SetChar(&unit, to);
          unit.folds |= kFoldHomoglyph;
        }
        capital_i |= (written & CodePointInfo::kCapitalI) != 0;
      }
      latin_letter |= unit.kind & kUnitLetter;
      stand_in |= config.ascii_leet()[c] != 0;
      special |= config.sequence_first()[c] | (config.ascii_joins()[c] != 0);
    } else {
      U8_NEXT(s, i, n, c);  // Base text is valid UTF-8.
      uint32_t info = infos.Of(c);
      uint16_t folds = 0;
      // An emoji that NFKC spells with letters ("🈶" is "有", "🉐" is
      // "得") is still an emoji, a separator between letters ("d🈶o").
      // Emoji outside the BMP take 4 bytes; the letters, fewer.
      if ((info & CodePointInfo::kLetter) &&
          base_end[i - 1] - base_begin[start] == 4 &&
          static_cast<uint8_t>(original[base_begin[start]]) >= 0xF0) {
        const auto* o =
            reinterpret_cast<const uint8_t*>(original.data()) + base_begin[start];
        int32_t k = 0;
        UChar32 emoji;
        U8_NEXT(o, k, 4, emoji);
        if (emoji >= 0 && (infos.Of(emoji) & CodePointInfo::kPictographic)) {
          c = emoji;
          info = infos.Of(c);
          emoji_kept = true;
        }
      }
      if (diacritics) {
        if ((info & CodePointInfo::kNonspacingMark) && count > 0 &&
            !IsSpace(units[count - 1].c)) {
          units[count - 1].end = static_cast<uint32_t>(i);
          any_folds |= kFoldDiacritic;
          units[count - 1].folds |=
              kFoldDiacritic |
              (invisible && HasHiddenBytes(original, base_begin[start],
                                          base_end[i - 1], i - start)
                   ? kFoldInvisible
                   : 0);
          continue;
        }
        if (info & CodePointInfo::kDecomposable) {
          const UChar32 stripped = BaseLetters::Get().Of(c);
          if (stripped != 0) {
            c = stripped;
            info = infos.Of(c);
            folds |= kFoldDiacritic;
          }
        }
      }
      if (diacritics && c == kSmallIota &&
          WrittenAt(original, base_begin[start], base_end[i - 1]) ==
              kCombiningYpogegrammeni &&
          count > 0 && !IsSpace(units[count - 1].c)) {
        // The mark NFKC_Casefold made a letter: a mark still.
        units[count - 1].end = static_cast<uint32_t>(i);
        units[count - 1].folds |= kFoldDiacritic;
        any_folds |= kFoldDiacritic;
        continue;
      }
      if (homoglyphs && CodePointInfo::Homoglyph(info) != 0) {
        // As written, before case folding changed its shape ("Ɩ" is "l"
        // though its small "ɩ" is "i").
        const UChar32 w =
            WrittenAt(original, base_begin[start], base_end[i - 1]);
        const uint32_t written = w >= 0x80 ? infos.Of(w) : 0;
        capital_i |= (written & CodePointInfo::kCapitalI) != 0;
        if (info & CodePointInfo::kLatinLookAlike) {
          // A Latin look-alike ("ᴀ", "ɑ") is a disguise wherever it is.
          const UChar32 as_written = CodePointInfo::Homoglyph(written);
          c = as_written != 0 ? as_written : CodePointInfo::Homoglyph(info);
          info = infos.Of(c);
          folds |= kFoldHomoglyph;
        }
      }
      if (homoglyphs && (info & CodePointInfo::kLetter)) {
        const UScriptCode script = c < 0x80 ? USCRIPT_LATIN
                                            : CodePointInfo::Script(info);
        if (script == USCRIPT_LATIN) {
          latin_letter = true;
        } else {
          other_letter = true;
          if (CodePointInfo::Homoglyph(info) == 0) {
            genuine.Add(script);
          } else {
            look_alike_scripts.Add(script);
          }
        }
      }
      stand_in |= config.Leet(c) != 0;
      special |= (info & CodePointInfo::kPictographic) ||
                 (!config.non_ascii_joins().empty() &&
                  config.Join(c) != FoldConfig::kJoinNone);
      unit = {c, static_cast<uint32_t>(start), static_cast<uint32_t>(i),
              folds, UnitKindOfInfo(info)};
    }
    if (invisible && HasHiddenBytes(original, base_begin[start],
                                    base_end[i - 1], i - start)) {
      unit.folds |= kFoldInvisible;
    }
    any_folds |= unit.folds;
    units[count++] = unit;
  }
  bool changed_joins = false;
  if (special) {
    const bool sequences = (config.enabled & kFoldLeetspeak) &&
                           !config.sequences().empty();
    const bool joins = config.enabled & kFoldSpacing;
    changed_joins =
        ApplyJoinsAndSequences(config, sequences, joins, base_begin, units,
                               &count);
  }
  out->resize(count);
  // FoldToken() folds look-alikes in a token that mixes them with Latin, or
  // that holds only look-alikes of scripts the text is not written in; with
  // neither anywhere in the text, and no leetspeak stand-in, no token has
  // anything to fold. So it is for most text in one script.
  bool fold_homoglyphs = homoglyphs && other_letter &&
                         (latin_letter || look_alike_scripts.overflow);
  for (int k = 0; k < look_alike_scripts.count && !fold_homoglyphs; ++k) {
    fold_homoglyphs = homoglyphs && !genuine.Contains(look_alike_scripts.scripts[k]);
  }
  const bool fold_leet = (config.enabled & kFoldLeetspeak) &&
                         !config.leet().empty() && stand_in;
  bool changed =
      any_folds != 0 || changed_joins || capital_i || emoji_kept;
  if (!fold_homoglyphs && !fold_leet) {
    if (capital_i) {
      ReadCapitalILookAlikes(original, base, config, units, count);
    }
    return changed;
  }
  for (size_t first = 0; first < count;) {
    if (IsSpace(units[first].c)) {
      ++first;
      continue;
    }
    size_t last = first;
    while (last < count && !IsSpace(units[last].c)) ++last;
    changed |=
        FoldToken(units, count, first, last, config, fold_homoglyphs, genuine,
                  original, base);
    if (fold_leet) {
      changed |= ReadTermWordsOf(config, units, count, first, last);
    }
    first = last;
  }
  if (capital_i) ReadCapitalILookAlikes(original, base, config, units, count);
  return changed;
}

namespace {

// Calls read(first, last) for each space-delimited token [first, last) of
// `units` that holds a unit `wanted` accepts.
template <typename Wanted, typename Read>
void ForEachTokenWith(const FoldUnit* units, size_t count, Wanted wanted,
                      Read read) {
  for (size_t first = 0; first < count;) {
    if (IsSpace(units[first].c)) {
      ++first;
      continue;
    }
    size_t last = first;
    bool any = false;
    for (; last < count && !IsSpace(units[last].c); ++last) {
      any |= wanted(units[last]);
    }
    if (any) read(first, last);
    first = last;
  }
}

}  // namespace

bool ReadStandIns(const FoldConfig& config, FoldUnits* out) {
  if (!(config.enabled & kFoldLeetspeak) || config.leet().empty()) {
    return false;
  }
  FoldUnit* const units = out->data();
  const size_t count = out->size();
  auto unread = [&](const FoldUnit& u) {
    return !(u.kind & kUnitLetter) && !IsSpace(u.c) && config.Leet(u.c) != 0;
  };
  // Only for FoldToken()'s look-alikes, which are not asked for here.
  static const NormalizedText kNoBase;
  bool changed = false;
  ForEachTokenWith(units, count, unread, [&](size_t first, size_t last) {
    changed |= FoldToken(units, count, first, last, config,
                         /*homoglyphs=*/false, GenuineScripts(), "", kNoBase);
    changed |= ReadTermWordsOf(config, units, count, first, last);
  });
  return changed;
}

bool ReadCapitalIInWords(std::string_view original, const NormalizedText& base,
                         const FoldConfig& config, FoldUnits* units) {
  if (!(config.enabled & kFoldHomoglyph)) return false;
  const CodePointInfo& infos = CodePointInfo::Get();
  bool any = false;
  for (const FoldUnit& u : *units) {
    if ((u.c != 'i' && u.c != 'l') || !(u.folds & kFoldHomoglyph)) continue;
    uint32_t begin, end;
    base.OriginalSpan(u.begin, u.end, &begin, &end);
    const UChar32 w = FirstWrittenAt(original, begin, end);
    if (w >= 0x80 && (infos.Of(w) & CodePointInfo::kCapitalI)) {
      any = true;
      break;
    }
  }
  if (!any) return false;
  ReadCapitalILookAlikes(original, base, config, units->data(), units->size());
  return true;
}

bool ReadJoinedTermWords(const FoldConfig& config, FoldUnits* out) {
  if (!(config.enabled & kFoldLeetspeak) || config.term_words().empty()) {
    return false;
  }
  FoldUnit* const units = out->data();
  const size_t count = out->size();
  // A letter a stand-in made that may be read as another ("!" is "i" or
  // "l"), or a stand-in left as typed.
  auto open = [&](const FoldUnit& u) {
    if (u.c >= 'a' && u.c <= 'z') {
      return (u.folds & kFoldLeetspeak) &&
             (config.ambiguous_letters() >> (u.c - 'a') & 1);
    }
    return !(u.kind & kUnitLetter) && !IsSpace(u.c) && config.Leet(u.c) != 0;
  };
  bool changed = false;
  ForEachTokenWith(units, count, open, [&](size_t first, size_t last) {
    ReadTermWords(config, count, first, last,
                  [units](size_t i) { return units[i].c; },
                  [units](size_t i) { return units[i].folds; },
                  [units, &changed](size_t i, char c) {
                    changed |= units[i].c != c;
                    SetChar(&units[i], c);
                    units[i].folds |= kFoldLeetspeak;
                  });
  });
  return changed;
}

void FindMixedScriptWords(std::string_view base,
                          std::vector<std::pair<uint32_t, uint32_t>>* words) {
  const auto* s = reinterpret_cast<const uint8_t*>(base.data());
  const int32_t n = static_cast<int32_t>(base.size());
  int32_t word_begin = -1;
  UScriptCode first = USCRIPT_INVALID_CODE;
  bool mixed = false, cjk_only = true;
  // Han, kana, Hangul and Bopomofo may mix with each other and with Latin
  // (UTS #39 "highly restrictive"); any other pair of scripts in one word
  // is mixed.
  auto cjk = [](UScriptCode sc) {
    return sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA ||
           sc == USCRIPT_KATAKANA || sc == USCRIPT_HANGUL ||
           sc == USCRIPT_BOPOMOFO || sc == USCRIPT_LATIN;
  };
  for (int32_t i = 0; i <= n;) {
    const int32_t start = i;
    UChar32 c = 0;
    if (i < n) U8_NEXT(s, i, n, c);
    const bool word = i <= n && start < n && IsWord(c);
    if (word && word_begin < 0) {
      word_begin = start;
      first = USCRIPT_INVALID_CODE;
      mixed = false;
      cjk_only = true;
    }
    if (word && IsLetter(c)) {
      UScriptCode sc = c < 0x80 ? USCRIPT_LATIN : ScriptOf(c);
      if (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) {
        cjk_only = cjk_only && cjk(sc);
        if (first == USCRIPT_INVALID_CODE) {
          first = sc;
        } else if (sc != first) {
          mixed = true;
        }
      }
    }
    if (!word && word_begin >= 0) {
      if (mixed && !cjk_only) {
        words->emplace_back(static_cast<uint32_t>(word_begin),
                            static_cast<uint32_t>(start));
      }
      word_begin = -1;
    }
    if (start >= n) break;
  }
}

void UnitsOfAsciiView(const FoldedView& view, FoldUnits* out) {
  out->resize(view.text.size());
  for (size_t i = 0; i < view.text.size(); ++i) {
    const uint8_t c = static_cast<uint8_t>(view.text[i]);
    (*out)[i] = {c, view.begin[i], view.end[i], view.folds[i],
                 kAsciiUnitKinds[c & 0x7F]};
  }
}

void EncodeView(const FoldUnits& units, FoldedView* out) {
  // Sized once, then written by index: this runs for every field.
  size_t bytes = 0;
  for (const FoldUnit& u : units) bytes += U8_LENGTH(u.c);
  out->text.resize(bytes);
  out->begin.resize(bytes);
  out->end.resize(bytes);
  out->folds.resize(bytes);
  size_t k = 0;
  for (const FoldUnit& u : units) {
    if (u.c < 0x80) {
      out->text[k] = static_cast<char>(u.c);
      out->begin[k] = u.begin;
      out->end[k] = u.end;
      out->folds[k] = u.folds;
      ++k;
      continue;
    }
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, u.c);
    for (int32_t b = 0; b < len; ++b, ++k) {
      out->text[k] = buf[b];
      out->begin[k] = u.begin;
      out->end[k] = u.end;
      out->folds[k] = u.folds;
    }
  }
}

}  // namespace watchword
