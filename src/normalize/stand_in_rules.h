// Whether a leetspeak stand-in stands for its letter where it is: the
// token rules that FoldBase() and its ASCII fast path FoldAscii() (fold.h)
// share, written once over any view through accessors. For fold.cc and
// fold_ascii.cc only.
#ifndef WATCHWORD_SRC_NORMALIZE_STAND_IN_RULES_H_
#define WATCHWORD_SRC_NORMALIZE_STAND_IN_RULES_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/normalize/disguise_table.h"
#include "src/normalize/fold_chars.h"
#include "src/normalize/fold_config.h"
#include "unicode/uchar.h"
#include "unicode/umachine.h"

namespace watchword {

// Whether the token [first, last) of a view, read through `at` (code point
// at an index; `size` of them), looks like an alphanumeric code rather than
// a word ("a55-123", "ticket a55 123"): letters and digits beside a hyphen
// or slash next to a digit, or a neighbouring number of 2+ digits. ("4r3"
// is "are", so a token between digits alone is no code.) Leetspeak in a
// short one (3 characters or fewer) would make "a55" in "A55-123" an "ass".
// A neighbour that spells a term word in leetspeak digits
// (FoldConfig::term_stand_ins(): "70" for "to") is no number here: "6o 70"
// is "go to".
template <typename At>
bool IsShortCode(At at, size_t size, size_t first, size_t last,
                 const FoldConfig& config) {
  // Cheap out: long tokens. A code's parts are short, but there may be
  // several ("451-u-99").
  if (last - first > 16) return false;
  size_t longest = 0, run = 0;
  bool digit = false, letter = false, dash_digit = false;
  for (size_t i = first; i < last; ++i) {
    const UChar32 c = at(i);
    const bool d = IsDigit(c), l = IsLetter(c);
    digit |= d;
    letter |= l;
    // A mask stands for a letter: "7r*s7" is a word of five.
    run = (d || l || c == '*' || c == '#') ? run + 1 : 0;
    if (run > longest) longest = run;
    if ((c == '-' || c == '/') &&
        ((i > first && IsDigit(at(i - 1))) || (i + 1 < last && IsDigit(at(i + 1))))) {
      dash_digit = true;
    }
  }
  if (!digit || !letter || longest > 3) return false;
  if (dash_digit) return true;
  // A neighbour one space away that is a number of 2+ digits ("a55 123";
  // "p1c 2 me" is still a word). A neighbour mixing letters and digits is
  // no sign: "0ur li7tl3 s3cre7" is leetspeak throughout. Most neighbours
  // are words: a neighbour's byte next to the token that is no digit
  // rules it out before its end is looked for.
  auto code_neighbour = [&](size_t b, size_t e) {
    constexpr size_t kMaxStandIn = 8;
    char spelled[kMaxStandIn];
    int digits = 0;
    bool other = false;
    for (size_t i = b; i < e; ++i) {
      const UChar32 c = at(i);
      const bool d = IsDigit(c);
      if (d && i - b < kMaxStandIn) spelled[i - b] = static_cast<char>(c);
      digits += d;
      other |= !d;
    }
    if (digits < 2 || other) return false;
    return e - b > kMaxStandIn ||
           !config.term_stand_ins().contains(absl::string_view(spelled, e - b));
  };
  const bool before = first >= 2 && IsDigit(at(first - 2));
  const bool after = last + 1 < size && IsDigit(at(last + 1));
  if (!before && !after) return false;
  // A word after which a number is a number ("4t 12" for "at 12") is no
  // code beside one.
  if (last - first <= 4) {
    char spelled[4];
    for (size_t i = first; i < last; ++i) {
      const UChar32 c = at(i);
      const UChar32 to = IsDigit(c) ? config.Leet(c) : c;
      spelled[i - first] = to > 0 && to < 0x80 ? static_cast<char>(to) : '?';
    }
    const std::string_view word(spelled, last - first);
    for (std::string_view cue : NumberCueWords()) {
      if (word == cue) return false;
    }
  }
  if (before) {
    size_t b = first - 1;
    while (b > 0 && at(b - 1) != ' ') --b;
    if (code_neighbour(b, first - 1)) return true;
  }
  if (after) {
    size_t e = last + 1;
    while (e < size && at(e) != ' ') ++e;
    if (code_neighbour(last + 1, e)) return true;
  }
  return false;
}

// Whether the token [first, last) of a view of `size` code points is a
// word of FoldConfig::term_stand_ins() that reads as its term word beside
// its neighbours (FoldConfig::EquivalentOf()): "4" in "mature 4 ur age" is
// "for", not the "a" it would stand for alone. Out of line: a stand-in
// alone is rare, and its hash lookups are much code for the folds' loops.
template <typename At>
[[gnu::noinline]] bool ReadsAsStandInWord(At at, size_t size, size_t first, size_t last,
                        const FoldConfig& config) {
  constexpr size_t kMaxWord = 16;
  if (config.term_stand_ins().empty() || last - first > kMaxWord) return false;
  auto word_char = [](UChar32 c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  char token[kMaxWord];
  for (size_t i = first; i < last; ++i) {
    if (!word_char(at(i))) return false;
    token[i - first] = static_cast<char>(at(i));
  }
  const absl::string_view spelled(token, last - first);
  if (!config.term_stand_ins().contains(spelled)) return false;
  // The words either side, past the spaces and punctuation between; a
  // longer one is cut to its last (before) or first (after) kMaxWord.
  char before[kMaxWord], after[kMaxWord];
  size_t b = first;
  while (b > 0 && !word_char(at(b - 1))) --b;
  size_t a = b;
  while (a > 0 && word_char(at(a - 1)) && b - a < kMaxWord) --a;
  for (size_t k = a; k < b; ++k) before[k - a] = static_cast<char>(at(k));
  size_t c = last;
  while (c < size && !word_char(at(c))) ++c;
  size_t d = c;
  while (d < size && word_char(at(d)) && d - c < kMaxWord) ++d;
  for (size_t k = c; k < d; ++k) after[k - c] = static_cast<char>(at(k));
  const absl::string_view left(before, b - a), right(after, d - c);
  if (config.EquivalentOf(spelled, left, right) == nullptr) return false;
  // Where the one-letter word it also stands for makes a pair with a
  // neighbour too ("just 4 number" of "just a number"), the letter wins.
  const UChar32 letter = config.Leet(at(first));
  if (letter < 'a' || letter > 'z') return true;
  auto read = [&config](absl::string_view w) -> absl::string_view {
    auto e = config.equivalences().find(w);
    return e != config.equivalences().end() ? absl::string_view(e->second) : w;
  };
  const char one[1] = {static_cast<char>(letter)};
  const absl::string_view word(one, 1);
  return !((!left.empty() && config.term_pairs().contains(
                                 absl::StrCat(read(left), " ", word))) ||
           (!right.empty() && config.term_pairs().contains(
                                  absl::StrCat(word, " ", read(right)))));
}

// Whether the stand-in at `i` of the token [first, last) of a view of
// `size` code points stands for `letter` there, by its DisguiseContext bits
// `where` (FoldToken's rules, shared with FoldAscii). `has_letter`: the token
// holds a letter; `code`: IsShortCode().
template <typename At>
bool StandsIn(At at, size_t size, size_t i, size_t first, size_t last,
              uint8_t where, UChar32 letter, bool has_letter, bool code,
              const FoldConfig& config) {
  if ((where & kAnywhere)) return true;
  if ((where & kInWord) && has_letter && !code) return true;
  // Another stand-in, in a token with a letter, is a letter here ("$€nd"),
  // unless it repeats this one ("hi!!").
  auto stand_in = [&](size_t j) {
    return has_letter && at(j) != at(i) && config.PlaceMakesLetter(at(j));
  };
  if ((where & kBetweenWord) && i > first && i + 1 < last &&
      (IsWordOrMask(at(i - 1)) || stand_in(i - 1)) &&
      (IsWordOrMask(at(i + 1)) || stand_in(i + 1))) {
    return true;
  }
  // Twice the same symbol between letters is two letters ("pa$$word"),
  // where the pair is not at the token's end ("hi!!") unless the symbol
  // may end a word ("fr€€").
  if ((where & kBetweenWord) && has_letter) {
    const size_t a = i > first && at(i - 1) == at(i) ? i - 1 : i;
    const size_t b = a + 1 < last && at(a + 1) == at(i) ? a + 2 : a + 1;
    if (b - a == 2 && a > first && IsLetter(at(a - 1)) &&
        (b < last ? IsLetter(at(b))
                  : (where & kWordEnd) &&
                        // "c++" and "g++" are names.
                        (at(i) != '+' ||
                         (a >= first + 2 && IsLetter(at(a - 2)))))) {
      return true;
    }
  }
  // A mask in a word with a letter is a letter too ("$*nd", "w@*").
  auto mask = [&](size_t j) { return has_letter && at(j) == '*'; };
  if ((where & kWordStart) && i == first && i + 1 < last &&
      (IsLetter(at(i + 1)) || stand_in(i + 1) || mask(i + 1))) {
    return true;
  }
  // Last in the token, or before the sentence's punctuation ("phon€?").
  auto ends_word = [&]() {
    for (size_t j = i + 1; j < last; ++j) {
      const UChar32 c = at(j);
      if (c != '.' && c != ',' && c != '?' && c != ';' && c != ':') {
        return false;
      }
    }
    return true;
  };
  if ((where & kWordEnd) && i > first && has_letter &&
      (IsLetter(at(i - 1)) || stand_in(i - 1) || mask(i - 1)) && ends_word()) {
    return true;
  }
  if ((where & kAlone) && last - first == 1 && letter >= 'a' &&
      letter <= 'z' && (config.alone_letters >> (letter - 'a') & 1)) {
    // Left as typed for the chat-speak fold when it reads as a word there.
    return !ReadsAsStandInWord(at, size, first, last, config);
  }
  return false;
}

// Reads `spelled`, the letters of units [a, a + spelled.size()), as the
// term word FoldConfig::stretched_words() gives it, if it is stretched (a
// run of 3+ of one letter) and has one: each run of one StretchKey()
// letter takes the term word's run's letters in order, its last letter
// for the rest ("iiveeee" is "liveeee", "seiiifie" "selllfie"), where a
// stand-in or a leetspeak fold stands. Returns whether it read one.
template <typename At, typename FoldsAt, typename Set>
bool ReadStretchedTermWord(const FoldConfig& config,
                           absl::string_view spelled, size_t a, At at,
                           FoldsAt folds_at, Set set) {
  if (config.stretched_words().empty() || spelled.size() < 4) return false;
  bool stretched = false;
  for (size_t k = 2; k < spelled.size() && !stretched; ++k) {
    stretched = spelled[k] == spelled[k - 1] && spelled[k] == spelled[k - 2];
  }
  if (!stretched) return false;
  std::string key;
  config.StretchKey(std::string_view(spelled.data(), spelled.size()), &key);
  auto it = config.stretched_words().find(key);
  if (it == config.stretched_words().end()) return false;
  const std::string& target = it->second;
  // Walks the runs of both words, which StretchKey() made alike.
  size_t k = 0, t = 0;
  auto key_of = [&config](char c) { return config.StretchLetter(c); };
  while (k < spelled.size() && t < target.size()) {
    const char run = key_of(spelled[k]);
    size_t k_end = k, t_end = t;
    while (k_end < spelled.size() && key_of(spelled[k_end]) == run) ++k_end;
    while (t_end < target.size() && key_of(target[t_end]) == run) ++t_end;
    for (size_t m = k; m < k_end; ++m) {
      const char letter = target[std::min(t + (m - k), t_end - 1)];
      const UChar32 c = at(a + m);
      const bool stand_in = c < 'a' || c > 'z';
      if (letter != c && (stand_in || (folds_at(a + m) & kFoldLeetspeak))) {
        set(a + m, letter);
      }
    }
    k = k_end;
    t = t_end;
  }
  return true;
}

// Reads the words of the token [first, last) of a view of `size` code
// points that the ruleset's term words
// (FoldConfig::term_words()) tell how to read: a word with a stand-in of
// kTermWord context ("#ow", "schoo!", "pi(s") takes the letters that make
// it a term word, if some do; a word whose stand-ins of two meanings the
// leetspeak fold read as their first ("stiii" from "5t111") reads as
// FoldConfig::stand_in_words() says. Only stand-ins change, never a letter
// as typed. `at(i)` is the code point at i, `folds_at(i)` its fold bits,
// and `set(i, c)` makes it the letter c, a leetspeak fold.
template <typename At, typename FoldsAt, typename Set>
void ReadTermWords(const FoldConfig& config, size_t size, size_t first,
                   size_t last, At at, FoldsAt folds_at, Set set) {
  if (config.term_words().empty()) return;
  // The letter a symbol that stands in may be, or 0: one of kTermWord
  // context, or one whose place did not make it a letter ("(@n", "@$|").
  auto stand_in = [&config](UChar32 c) -> char {
    if (c < 0 || (c < 0x80 && config.ascii_leet()[c] == 0) || IsDigit(c)) {
      return 0;
    }
    const UChar32 to = config.Leet(c);
    return to >= 'a' && to <= 'z' && !IsLetter(c) ? static_cast<char>(to) : 0;
  };
  auto is_letter = [](UChar32 c) { return c >= 'a' && c <= 'z'; };
  auto is_letter_at = [&](size_t k) { return is_letter(at(k)); };
  // Whether a stand-in may be read first or last in a word: one that
  // opens or ends words by its place ("$end", "don+"; not "hel|"), or one
  // of kTermWordEdge context. An opening bracket closed later in the text
  // opens a parenthesis, not a word: "(age 12)" has no "cage".
  auto at_start = [&](size_t k) {
    const UChar32 c = at(k);
    if (stand_in(c) == 0) return true;
    if (!(config.Where(c) & (kTermWordEdge | kWordStart))) {
      return false;
    }
    if (c == '(' || c == '<') {
      const UChar32 closer = c == '(' ? ')' : '>';
      for (size_t m = k + 1; m < size; ++m) {
        if (at(m) == closer) return false;
      }
    }
    return true;
  };
  auto at_end = [&](size_t k) {
    const UChar32 c = at(k);
    return stand_in(c) == 0 ||
           (config.Where(c) & (kTermWordEdge | kWordEnd));
  };
  constexpr size_t kMaxWord = 32;
  // Whether the term word `w` of the token makes a pair of a phrase
  // (FoldConfig::term_pairs()) with the word of letters before or after it,
  // one space away.
  auto pairs = [&](absl::string_view w) {
    char other[kMaxWord];
    size_t n = 0;
    if (first >= 2 && at(first - 1) == ' ') {
      size_t k = first - 1;
      while (k > 0 && is_letter_at(k - 1) && first - k <= kMaxWord) --k;
      for (size_t m = k; m + 1 < first; ++m) other[n++] = static_cast<char>(at(m));
      if (n != 0 && config.term_pairs().contains(absl::StrCat(
                        absl::string_view(other, n), " ", w))) {
        return true;
      }
    }
    n = 0;
    if (last + 1 < size && at(last) == ' ') {
      for (size_t m = last + 1; m < size && is_letter_at(m) && n < kMaxWord;
           ++m) {
        other[n++] = static_cast<char>(at(m));
      }
      if (n != 0 && config.term_pairs().contains(absl::StrCat(
                        w, " ", absl::string_view(other, n)))) {
        return true;
      }
    }
    return false;
  };
  // Whether [a, b) reads as a term word, if it spells one, and has a
  // letter or three characters ("!n" is "in", "@$|" is "asl"), or is a
  // token of two ("|$" is "is"); *target is then that word.
  // The letters reads() spelled last and found no word for, in `word`.
  char word[kMaxWord];
  absl::string_view unread;
  auto reads = [&](size_t a, size_t b, absl::string_view* target) {
    if (b - a < 2 || b - a > kMaxWord || !at_start(a) || !at_end(b - 1)) {
      return false;
    }
    size_t symbols = 0, digits = 0;
    for (size_t k = a; k < b; ++k) {
      const char letter = stand_in(at(k));
      symbols += letter != 0;
      digits += IsDigit(at(k));
      word[k - a] = letter != 0 ? letter : static_cast<char>(at(k));
    }
    // A whole token of symbols and digits that stand in, no letter, and no
    // digit first, reads its digits as letters too ("!5" is "is", "€|5€"
    // "else").
    if (digits != 0 && symbols != 0 && symbols + digits == b - a &&
        a == first && b == last && !IsDigit(at(a))) {
      for (size_t k = a; k < b; ++k) {
        const UChar32 to = IsDigit(at(k)) ? config.Leet(at(k)) : 0;
        if (to >= 'a' && to <= 'z') {
          word[k - a] = static_cast<char>(to);
          ++symbols;
        }
      }
    }
    const size_t letters = b - a - symbols;
    // Two symbols only if they are the whole token and differ ("|$" for
    // "is"; "!!" and "a @$" stay).
    if (letters == 0 && b - a < 3 &&
        (b - a < 2 || a != first || b != last || at(a) == at(a + 1))) {
      return false;
    }
    // A symbol that ends words only as a term word's edge ("@", "|": no
    // kWordEnd or kTermWord) ends one of five characters or more, or one
    // with another stand-in, or one that makes a pair of a phrase with the
    // word beside it ("video cal|"): after a short word it is as often
    // punctuation ("hel|", "me@") as a letter ("schoo|", "<al|", "|l|").
    const UChar32 end = at(b - 1);
    bool short_end = false;
    if (b - a < 5 && stand_in(end) != 0 &&
        !(config.Where(end) & (kWordEnd | kTermWord))) {
      bool other = false;  // Another stand-in, read or not ("|l|").
      for (size_t k = a; k + 1 < b; ++k) {
        other |= stand_in(at(k)) != 0 || (folds_at(k) & kFoldLeetspeak);
      }
      short_end = !other;
    }
    const absl::string_view spelled(word, b - a);
    if (auto it = config.term_words().find(spelled);
        it != config.term_words().end()) {
      if (short_end && !(a == first && b == last && pairs(*it))) return false;
      *target = *it;
      return true;
    }
    if (short_end) return false;
    auto it = config.stand_in_words().find(spelled);
    // A letter typed as itself is the term word's: "a|op" read "app" is
    // no "add", whose "d" a "|>" may be, for its second "p" is typed. (A
    // look-alike of the capital "I" may be either of "i" and "l".)
    for (size_t k = a; it != config.stand_in_words().end() && k < b; ++k) {
      if (it->second[k - a] != word[k - a] && stand_in(at(k)) == 0 &&
          !(folds_at(k) & (kFoldLeetspeak | kFoldHomoglyph)) &&
          !IsDigit(at(k))) {
        it = config.stand_in_words().end();
      }
    }
    if (it == config.stand_in_words().end()) {
      unread = spelled;
      return false;
    }
    *target = it->second;
    return true;
  };
  // Gives the stand-ins of [a, b) the letters of `target`, its term word.
  auto take = [&](size_t a, size_t b, absl::string_view target) {
    for (size_t k = a; k < b; ++k) {
      if (stand_in(at(k)) != 0 ||
          (target[k - a] != at(k) &&
           ((folds_at(k) & kFoldLeetspeak) || IsDigit(at(k))))) {
        set(k, target[k - a]);
      }
    }
  };
  // A word that spells no term word may still be a stretched one
  // ("11veeee"): ReadStretchedTermWord() reads what reads() left unread.
  auto read = [&](size_t a, size_t b) {
    absl::string_view target;
    unread = {};
    if (!reads(a, b, &target)) {
      return !unread.empty() &&
             ReadStretchedTermWord(config, unread, a, at, folds_at, set);
    }
    take(a, b, target);
    return true;
  };
  // Whether the stand-in at `k` may stand alone for a one-letter word of a
  // phrase (kAlone, FoldConfig::alone_letters): its letter, or 0.
  auto alone_letter = [&](size_t k) -> char {
    const char letter = stand_in(at(k));
    return letter != 0 && (config.Where(at(k)) & kAlone) &&
                   (config.alone_letters >> (letter - 'a') & 1)
               ? letter
               : 0;
  };
  // Words run together ("don+tel!yourparent$", "#owo|d@reyou"): reads
  // [a, b) as two or more term words end to end, the fewest that cover it,
  // each read as read() reads a word; a one-letter word of a phrase
  // (FoldConfig::alone_letters) only as typed ("i(anpi<kyouup"), or as a
  // stand-in that stands alone for it opening the token ("!canpickyouup").
  // Where none do, nothing changes.
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz";
  auto read_joined = [&](size_t a, size_t b) {
    const size_t n = b - a;
    // A run beside a mask is part of a word ("5*lf1e"), not words.
    if (n < 4 || n > kMaxWord || (a > first && IsWordOrMask(at(a - 1))) ||
        (b < last && IsWordOrMask(at(b)))) {
      return false;
    }
    // parts[k]: the fewest words that spell [a, a + k), or 0 for none;
    // from[k]: where the last of them starts.
    uint8_t parts[kMaxWord + 1] = {1};
    uint8_t from[kMaxWord + 1] = {};
    absl::string_view words[kMaxWord + 1];
    absl::string_view target;
    for (size_t k = 1; k <= n; ++k) {
      parts[k] = 0;
      for (size_t s = 0; s < k; ++s) {
        if (parts[s] == 0 || (parts[k] != 0 && parts[s] + 1 >= parts[k])) {
          continue;
        }
        if (k - s == 1) {
          const UChar32 c = at(a + s);
          const char alone = a + s == first ? alone_letter(a + s) : 0;
          if (alone != 0) {
            target = absl::string_view(kLetters + (alone - 'a'), 1);
          } else if (!is_letter(c) ||
                     !(config.alone_letters >> (c - 'a') & 1) ||
                     (folds_at(a + s) & kFoldLeetspeak)) {
            continue;
          } else {
            target = {};
          }
        } else if ((s == 0 && k == n) || !reads(a + s, a + k, &target)) {
          continue;
        }
        parts[k] = parts[s] + 1;
        from[k] = static_cast<uint8_t>(s);
        words[k] = target;
      }
    }
    if (parts[n] < 3) return false;  // parts counts one for the start.
    for (size_t k = n; k > 0; k = from[k]) {
      if (!words[k].empty()) take(a + from[k], a + k, words[k]);
    }
    return true;
  };
  // A whole token of letters and symbols that spells a chat-speak word
  // ("y@" is "ya", an equivalence of "you" or a stand-in that reads as it
  // beside another word of a phrase) reads as it, whatever context its
  // symbols have. MayBeEquivalent() rules out most tokens.
  auto spelled_at = [&](size_t k) {
    const char letter = stand_in(at(k));
    return static_cast<uint8_t>(letter != 0 ? letter : at(k));
  };
  if (last - first >= 2 && last - first <= kMaxWord &&
      config.MayBeEquivalent(spelled_at(first), spelled_at(last - 1),
                             last - first)) {
    bool letter = false, symbol = false;  // Spelled into `word`.
    size_t k = first;
    for (; k < last; ++k) {
      const UChar32 c = at(k);
      const char as = stand_in(c);
      if (as == 0 && !is_letter(c)) break;
      letter |= as == 0;
      symbol |= as != 0;
      word[k - first] = as != 0 ? as : static_cast<char>(c);
    }
    const absl::string_view spelled(word, last - first);
    if (k == last && letter && symbol &&
        (config.equivalences().contains(spelled) ||
         config.term_stand_ins().contains(spelled))) {
      for (k = first; k < last; ++k) {
        if (stand_in(at(k)) != 0) set(k, word[k - first]);
      }
      return;
    }
  }
  // A masked word with stand-ins and no word of its own ("@*€", "#*me",
  // "!|*e"): the mask is a wildcard, a stand-in of two meanings may be
  // either ("!" is "i" or "l"), and the word reads as a term word if every
  // term word it may spell gives its stand-ins the same letters. Fewer
  // masks than other characters: "@**" or "$*#*" stay as typed. With
  // `digits`, a whole token of masks and leetspeak digits ("4*3" for
  // "are") reads so too, where its word makes a pair of a phrase with the
  // word beside it ("old 4*3"): alone, or beside a number ("4*3 = 12"), it
  // is a sum.
  bool masked = false;
  for (size_t k = first; k < last && !masked; ++k) masked = at(k) == '*';
  auto digit_letter = [&config](UChar32 c) -> char {
    const UChar32 to = IsDigit(c) ? config.Leet(c) : 0;
    return to >= 'a' && to <= 'z' ? static_cast<char>(to) : 0;
  };
  // Whether a token next to this one is part of a sum: digits, "=" and
  // arithmetic only ("= 12", "12", "+1", "+").
  auto beside_sum = [&]() {
    auto sum = [&](size_t b, size_t e) {
      bool any = false;
      for (size_t k = b; k < e; ++k) {
        const UChar32 c = at(k);
        if (!IsDigit(c) && c != '=' && c != '+' && c != '-' && c != '*' &&
            c != '/' && c != '.' && c != ',') {
          return false;
        }
        any |= c != '.' && c != ',';
      }
      return any;
    };
    if (first >= 2 && at(first - 1) == ' ') {
      size_t b = first - 1;
      while (b > 0 && at(b - 1) != ' ') --b;
      if (sum(b, first - 1)) return true;
    }
    if (last + 1 < size && at(last) == ' ') {
      size_t e = last + 1;
      while (e < size && at(e) != ' ') ++e;
      if (sum(last + 1, e)) return true;
    }
    return false;
  };
  auto read_masked = [&](size_t a, size_t b, bool digits) {
    const size_t n = b - a;
    if (n < 3 || n > kMaxWord || !at_start(a) || !at_end(b - 1)) {
      return false;
    }
    size_t masks = 0, symbols = 0;
    for (size_t k = a; k < b; ++k) {
      masks += at(k) == '*';
      // A stand-in, or a letter one made ("pu*!icar": "!" read as "i").
      symbols += stand_in(at(k)) != 0 || (folds_at(k) & kFoldLeetspeak) ||
                 (digits && digit_letter(at(k)) != 0);
    }
    if (masks == 0 || symbols == 0 || 2 * masks >= n) return false;
    // Whether the typed character at k may be `letter`.
    auto may_be = [&](size_t k, char letter) {
      const UChar32 c = at(k);
      if (c == '*') return true;
      const char as = digits && IsDigit(c) ? digit_letter(c) : stand_in(c);
      const char read = as != 0 ? as : static_cast<char>(c);
      if (read == letter) return true;
      return (as != 0 || (folds_at(k) & kFoldLeetspeak)) &&
             (config.ambiguous_letters() >> (read - 'a') & 1) &&
             config.OtherLetter(read) == letter;
    };
    absl::string_view found;
    bool paired = false;  // Some term word it may spell makes a pair.
    for (const std::string& w : config.term_words()) {
      if (w.size() != n) continue;
      size_t k = 0;
      while (k < n && may_be(a + k, w[k])) ++k;
      if (k < n) continue;
      paired = paired || (digits && pairs(w));
      if (found.empty()) {
        found = w;
        continue;
      }
      // Another term word: its stand-ins must read alike ("@*€" is "are"
      // or "age", a and e either way).
      for (k = 0; k < n; ++k) {
        if (at(a + k) != '*' && found[k] != w[k]) return false;
      }
    }
    if (found.empty() || (digits && (!paired || beside_sum()))) {
      return false;
    }
    for (size_t k = a; k < b; ++k) {
      if (at(k) != '*' && found[k - a] != at(k)) set(k, found[k - a]);
    }
    return true;
  };
  if (masked) {
    bool digit = false, other = false;
    for (size_t k = first; k < last; ++k) {
      digit |= digit_letter(at(k)) != 0;
      other |= at(k) != '*' && digit_letter(at(k)) == 0;
    }
    if (digit && !other && read_masked(first, last, /*digits=*/true)) return;
  }
  // A number stretched as a word is ("700000" of "tooooo"): digits only,
  // with a run of 3+ of one, whose runs cut to one spell a term stand-in
  // ("70" for "to") that reads as its word beside its neighbours
  // (FoldConfig::EquivalentOf()). Each run takes its letter of the word, so
  // the squeezed view reads it. "1000", "go 5000 miles" stay numbers.
  if (IsDigit(at(first)) && last - first >= 3 && last - first <= kMaxWord &&
      !config.term_stand_ins().empty()) {
    size_t n = 0;
    bool stretched = false, digits = true;
    for (size_t k = first; k < last && digits; ++k) {
      digits = IsDigit(at(k));
      if (k >= first + 2 && at(k) == at(k - 1) && at(k) == at(k - 2)) {
        stretched = true;
      }
      if (k == first || at(k) != at(k - 1)) {
        word[n++] = static_cast<char>(at(k));
      }
    }
    const absl::string_view squeezed(word, n);
    auto it = digits && stretched ? config.term_stand_ins().find(squeezed)
                                  : config.term_stand_ins().end();
    if (it != config.term_stand_ins().end() && it->second.size() == n) {
      auto word_char = [](UChar32 c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      };
      char before[kMaxWord], after[kMaxWord];
      size_t b = first, a = first;
      while (b > 0 && at(b - 1) == ' ') --b;
      a = b;
      while (a > 0 && word_char(at(a - 1)) && b - a < kMaxWord) --a;
      for (size_t k = a; k < b; ++k) before[k - a] = static_cast<char>(at(k));
      size_t c = last;
      while (c < size && at(c) == ' ') ++c;
      size_t d = c;
      while (d < size && word_char(at(d)) && d - c < kMaxWord) ++d;
      for (size_t k = c; k < d; ++k) after[k - c] = static_cast<char>(at(k));
      const std::string target = it->second;
      // Its neighbours as written, or stretched too ("g0000 700000").
      auto squeeze = [](char* w, size_t size) {
        size_t m = 0;
        for (size_t k = 0; k < size; ++k) {
          if (m == 0 || w[k] != w[m - 1]) w[m++] = w[k];
        }
        return absl::string_view(w, m);
      };
      const absl::string_view left(before, b - a), right(after, d - c);
      if (config.EquivalentOf(squeezed, left, right) != nullptr ||
          config.EquivalentOf(squeezed, squeeze(before, left.size()),
                              squeeze(after, right.size())) != nullptr) {
        // The runs' first digits are in `word`, in order.
        for (size_t k = first, r = 0; k < last; ++k) {
          if (at(k) != word[r]) ++r;
          set(k, target[r]);
        }
        return;
      }
    }
  }
  // A sum's shape, digits and then symbols that stand in ("1$", "49€"),
  // reads as the term word it spells only where that word makes a pair of
  // a phrase with the word beside it, read through its own leetspeak
  // ("1$ 4nyone" is "is anyone", "your 49€" "your age"); "it costs 1$",
  // "1$ each" and "1$ 12" stay.
  if (IsDigit(at(first)) && last - first >= 2 && last - first <= kMaxWord &&
      stand_in(at(last - 1)) != 0) {
    bool spelled = true;
    for (size_t k = first; k < last && spelled; ++k) {
      const char letter =
          IsDigit(at(k)) ? digit_letter(at(k)) : stand_in(at(k));
      spelled = letter != 0;
      word[k - first] = letter;
    }
    const absl::string_view w(word, last - first);
    // The word one space away from [b, e), each character read as a
    // letter if it stands for one.
    auto neighbour = [&](size_t b, size_t e, char* out) {
      size_t n = 0;
      for (size_t k = b; k < e && n < kMaxWord; ++k) {
        const UChar32 c = at(k);
        const char letter = is_letter(c)    ? static_cast<char>(c)
                            : IsDigit(c)    ? digit_letter(c)
                                            : stand_in(c);
        if (letter == 0) return absl::string_view();
        out[n++] = letter;
      }
      return absl::string_view(out, n);
    };
    char other[kMaxWord];
    bool paired = false;
    if (spelled && config.term_words().contains(w) && !beside_sum()) {
      if (last + 1 < size && at(last) == ' ') {
        size_t e = last + 1;
        while (e < size && at(e) != ' ') ++e;
        const absl::string_view after = neighbour(last + 1, e, other);
        paired = !after.empty() &&
                 config.term_pairs().contains(absl::StrCat(w, " ", after));
      }
      if (!paired && first >= 2 && at(first - 1) == ' ') {
        size_t b = first - 1;
        while (b > 0 && at(b - 1) != ' ') --b;
        const absl::string_view before = neighbour(b, first - 1, other);
        paired = !before.empty() &&
                 config.term_pairs().contains(absl::StrCat(before, " ", w));
      }
    }
    if (paired) {
      for (size_t k = first; k < last; ++k) set(k, w[k - first]);
      return;
    }
  }
  // A token of symbols and digits only, both there ("!5", "€|5€"), reads
  // as one word: the runs below end at a digit. Not one a digit opens, nor
  // a currency sign and then digits only: "1$", "$10" and "5€" are sums,
  // "3+" a number.
  if (!IsDigit(at(first))) {
    size_t symbols = 0, digits = 0, k = first;
    for (; k < last; ++k) {  // Ends at the first letter of a word.
      if (IsDigit(at(k))) {
        ++digits;
      } else if (stand_in(at(k)) != 0) {
        ++symbols;
      } else {
        break;
      }
    }
    if (k == last && symbols != 0 && digits != 0 &&
        !(u_charType(at(first)) == U_CURRENCY_SYMBOL &&
          digits + 1 == last - first) &&
        read(first, last)) {
      return;
    }
  }
  for (size_t i = first; i < last;) {
    auto in_word = [&](size_t k) {
      return is_letter(at(k)) || at(k) == '*' || stand_in(at(k)) != 0;
    };
    if (masked && (i == first || !in_word(i - 1))) {
      size_t j = i;
      while (j < last && in_word(j)) ++j;
      if (read_masked(i, j, /*digits=*/false)) {
        i = j;
        continue;
      }
    }
    size_t j = i;
    bool letter = false, open = false;
    // The leetspeak of the run, stand-ins and letters they made: how much,
    // and the first and last place. Words run together are read only with
    // some inside the run: a sentence's "thanks!" or "(yes" has none.
    size_t leet = 0, leet_first = 0, leet_last = 0;
    for (; j < last; ++j) {
      const UChar32 c = at(j);
      bool is_leet;
      if (is_letter(c)) {
        letter = true;
        is_leet = folds_at(j) & kFoldLeetspeak;
        open |= is_leet && (config.ambiguous_letters() >> (c - 'a') & 1);
      } else if (stand_in(c) != 0) {
        open = is_leet = true;
      } else {
        break;
      }
      if (is_leet) {
        if (leet++ == 0) leet_first = j;
        leet_last = j;
      }
    }
    if (j == i) {
      ++i;
      continue;
    }
    // Whether some of it is inside [a, b), not at an edge of it.
    auto inside = [&](size_t a, size_t b) {
      return leet > 2 || (leet_first > a && leet_first + 1 < b) ||
             (leet_last > a && leet_last + 1 < b);
    };
    // The run, or the run without a stand-in at an edge ("hi!" may be "hi"
    // and a "!"): the longest reading that makes a term word.
    // A run of symbols only needs three ("<#@+" for "chat"), or two that
    // are the whole token ("|$" for "is").
    if ((letter || j - i >= 3 || (j - i == 2 && i == first && j == last)) &&
        open) {
      const bool lead = stand_in(at(i)) != 0;
      const bool trail = stand_in(at(j - 1)) != 0;
      // A stand-in opening the token that stands alone for a one-letter
      // word may be one run together with the rest ("!canpickyouup").
      const bool alone_lead = lead && i == first && alone_letter(i) != 0;
      (void)(read(i, j) || (lead && read(i + 1, j)) ||
             (trail && read(i, j - 1)) ||
             (lead && trail && read(i + 1, j - 1)) ||
             ((inside(i, j) || alone_lead) &&
              (read_joined(i, j) || (trail && read_joined(i, j - 1)))));
    }
    i = j;
  }
}

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_STAND_IN_RULES_H_
