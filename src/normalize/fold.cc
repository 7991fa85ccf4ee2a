#include "src/normalize/fold.h"

#include <array>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "src/normalize/code_points.h"
#include "src/normalize/word.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/uscript.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

// RE2::QuoteMeta without linking RE2 into the normalizer: backslash every
// ASCII byte that is not a letter, digit or underscore; pass UTF-8 through.
std::string RE2QuoteMeta(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_')) {
      out += '\\';
    }
    out += ch;
  }
  return out;
}

bool IsDigit(UChar32 c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_isdigit(c);
}

bool IsSpace(UChar32 c) { return c == ' '; }  // The base view's only space.

// UnitKindOf() for ASCII.
constexpr std::array<uint8_t, 128> kAsciiKinds = [] {
  std::array<uint8_t, 128> kinds{};
  for (int c = 0; c < 128; ++c) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool word = letter || (c >= '0' && c <= '9') || c == '_';
    kinds[c] = (letter ? kUnitLetter : 0) | (word ? kUnitWord : 0);
  }
  return kinds;
}();

// IsWordCodePoint() with the ASCII answer inline: this runs per character
// of every field, and most characters are ASCII.
inline bool IsWord(UChar32 c) {
  if (c >= 0 && c < 0x80) return kAsciiKinds[c] & kUnitWord;
  return IsWordCodePoint(c);
}

// A leetspeak symbol between two of these stands for a letter: a masked
// word ("a|*ne") keeps its stand-ins.
inline bool IsWordOrMask(UChar32 c) { return IsWord(c) || c == '*' || c == '#'; }

bool IsLetter(UChar32 c) {
  if (c >= 0 && c < 0x80) return kAsciiKinds[c] & kUnitLetter;
  return CodePointInfo::Get().Of(c) & CodePointInfo::kLetter;
}

// UnitKindOf() from a CodePointInfo.
uint8_t KindOfInfo(uint32_t info) {
  return ((info & CodePointInfo::kLetter) ? kUnitLetter : 0) |
         ((info & CodePointInfo::kWord) ? kUnitWord : 0);
}

// A unit whose kind follows from `c`.
FoldUnit MakeUnit(UChar32 c, uint32_t begin, uint32_t end, uint16_t folds) {
  return {c, begin, end, folds, UnitKindOf(c)};
}

// The first byte of `c` in UTF-8.
uint8_t FirstUtf8Byte(UChar32 c) {
  if (c < 0x80) return static_cast<uint8_t>(c);
  if (c < 0x800) return static_cast<uint8_t>(0xC0 | (c >> 6));
  if (c < 0x10000) return static_cast<uint8_t>(0xE0 | (c >> 12));
  return static_cast<uint8_t>(0xF0 | (c >> 18));
}

// Changes a unit's character, keeping its kind in step.
void SetChar(FoldUnit* unit, UChar32 c) {
  unit->c = c;
  unit->kind = UnitKindOf(c);
}

// The Latin letter `c` looks like, or 0.
UChar32 HomoglyphOf(UChar32 c) {
  return c < 0x80 ? 0 : CodePointInfo::Homoglyph(CodePointInfo::Get().Of(c));
}

// The Latin letter `unit` looked like as it was written, before case
// folding changed its shape: Greek "Η" is "h" though its small "η" is "n",
// and "ϲ" is "c" though case folding makes it "σ". Falls back on the
// unit's own letter.
UChar32 HomoglyphAsWritten(const FoldUnit& unit, std::string_view original,
                           const NormalizedText& base) {
  uint32_t begin, end;
  base.OriginalSpan(unit.begin, unit.end, &begin, &end);
  const auto* s = reinterpret_cast<const uint8_t*>(original.data());
  int32_t i = static_cast<int32_t>(begin);
  UChar32 written;
  U8_NEXT(s, i, static_cast<int32_t>(end), written);
  if (written != unit.c && written > 0 && static_cast<uint32_t>(i) == end) {
    const UChar32 to = HomoglyphOf(written);
    if (to != 0) return to;
  }
  return HomoglyphOf(unit.c);
}


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

// Whether the original bytes [begin, end) behind a code point of `length`
// bytes hide an invisible character. A range longer than the code point's
// own bytes hides something: a removed invisible character, or a
// compatibility form.
inline bool HasHiddenBytes(std::string_view original, uint32_t begin,
                           uint32_t end, int32_t length) {
  return end - begin > static_cast<uint32_t>(length) &&
         HasInvisible(original, begin, end);
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

// The code point `utf8` consists of, or -1 if it holds more or none.
UChar32 OnlyCodePoint(std::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  if (n == 0) return -1;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s, i, n, c);
  return i == n ? c : -1;
}

// Whether the token [first, last) of a view, read through `at` (code point
// at an index; `size` of them), looks like an alphanumeric code rather than
// a word ("a55-123", "ticket a55 123"): letters and digits beside a hyphen
// or slash next to a digit, or a neighbouring number of 2+ digits. ("4r3"
// is "are", so a token between digits alone is no code.) Leetspeak in a
// short one (3 characters or fewer) would make "a55" in "A55-123" an "ass".
template <typename At>
bool IsShortCode(At at, size_t size, size_t first, size_t last) {
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
  // no sign: "0ur li7tl3 s3cre7" is leetspeak throughout.
  auto code_neighbour = [&](size_t b, size_t e) {
    int digits = 0;
    bool other = false;
    for (size_t i = b; i < e; ++i) {
      const bool d = IsDigit(at(i));
      digits += d;
      other |= !d;
    }
    return digits >= 2 && !other;
  };
  if (first >= 2) {
    size_t b = first - 1;
    while (b > 0 && at(b - 1) != ' ') --b;
    if (code_neighbour(b, first - 1)) return true;
  }
  if (last + 1 < size) {
    size_t e = last + 1;
    while (e < size && at(e) != ' ') ++e;
    if (code_neighbour(last + 1, e)) return true;
  }
  return false;
}

// Whether the stand-in at `i` of the token [first, last) stands for
// `letter` there, by its DisguiseContext bits `where` (FoldToken's rules,
// shared with FoldAscii). `has_letter`: the token holds a letter; `code`:
// IsShortCode().
template <typename At>
bool StandsIn(At at, size_t i, size_t first, size_t last, uint8_t where,
              UChar32 letter, bool has_letter, bool code,
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
  if ((where & kWordStart) && i == first && i + 1 < last &&
      (IsLetter(at(i + 1)) || stand_in(i + 1))) {
    return true;
  }
  if ((where & kWordEnd) && i + 1 == last && i > first && has_letter &&
      (IsLetter(at(i - 1)) || stand_in(i - 1))) {
    return true;
  }
  if ((where & kAlone) && last - first == 1 && letter >= 'a' &&
      letter <= 'z' && (config.alone_letters >> (letter - 'a') & 1)) {
    return true;
  }
  return false;
}

// Whether the sequence row `row` matches units at `i` (of `count`), and
// its context allows it there.
bool SequenceAt(const FoldUnit* units, size_t count, size_t i,
                const Disguise& row) {
  const size_t n = row.from.size();
  if (i + n > count) return false;
  for (size_t k = 0; k < n; ++k) {
    if (units[i + k].c != static_cast<uint8_t>(row.from[k])) return false;
  }
  if (row.where & kAnywhere) return true;
  // kInWord: a letter elsewhere in its token.
  for (size_t k = i; k > 0 && !IsSpace(units[k - 1].c); --k) {
    if (units[k - 1].kind & kUnitLetter) return true;
  }
  for (size_t k = i + n; k < count && !IsSpace(units[k].c); ++k) {
    if (units[k].kind & kUnitLetter) return true;
  }
  return false;
}

// The sequence row matching at byte `i` of ASCII `t`, for FoldAscii() to
// hand such text to FoldBase(); null if none.
const Disguise* AsciiSequenceAt(std::string_view t, size_t i,
                                const FoldConfig& config) {
  for (const Disguise& row : config.sequences) {
    if (t.compare(i, row.from.size(), row.from) == 0) return &row;
  }
  return nullptr;
}

// Replaces the sequences of ShippedDisguises() in units [0, *count) (before
// any other fold of their characters) by their letter, and turns the
// apostrophes and separators between two word characters into nothing or a
// space. Returns whether it changed anything.
bool ApplyJoinsAndSequences(const FoldConfig& config, bool sequences,
                            bool joins, FoldUnit* units, size_t* count) {
  const size_t n = *count;
  size_t w = 0;
  bool changed = false;
  for (size_t r = 0; r < n;) {
    const UChar32 c = units[r].c;
    if (sequences && c >= 0 && c < 0x80 && config.sequence_first[c]) {
      const Disguise* hit = nullptr;
      for (const Disguise& row : config.sequences) {
        if (SequenceAt(units, n, r, row)) {
          hit = &row;
          break;
        }
      }
      if (hit != nullptr) {
        const size_t len = hit->from.size();
        FoldUnit unit = units[r];
        for (size_t k = r + 1; k < r + len; ++k) unit.folds |= units[k].folds;
        unit.end = units[r + len - 1].end;
        SetChar(&unit, hit->to);
        unit.folds |= hit->fold;
        units[w++] = unit;
        r += len;
        changed = true;
        continue;
      }
    }
    const uint8_t join =
        joins ? config.Join(c) : static_cast<uint8_t>(FoldConfig::kJoinNone);
    // A run of them ("😀😀") between two word characters that are no joins
    // ("__init__" stays). A mask is a letter to a dropped apostrophe
    // ("do*'t" is "do*t").
    auto word = [&](const FoldUnit& u) {
      if (join == FoldConfig::kJoinDrop && (u.c == '*' || u.c == '#')) {
        return true;
      }
      return (u.kind & kUnitWord) && config.Join(u.c) == FoldConfig::kJoinNone;
    };
    if (join != FoldConfig::kJoinNone && w > 0 && word(units[w - 1])) {
      size_t e = r + 1;
      while (e < n && config.Join(units[e].c) == join) ++e;
      if (e < n && word(units[e]) &&
          (join == FoldConfig::kJoinSpace || e == r + 1)) {
        uint16_t folds = kFoldSpacing;
        for (size_t k = r; k < e; ++k) folds |= units[k].folds;
        if (join == FoldConfig::kJoinDrop) {
          // The dropped apostrophe belongs to the letter before it.
          units[w - 1].end = units[e - 1].end;
          units[w - 1].folds |= folds;
        } else {
          FoldUnit space = units[r];
          space.end = units[e - 1].end;
          SetChar(&space, ' ');
          space.folds |= folds;
          units[w++] = space;
        }
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
// Reads the words of the token [first, last) that the ruleset's term words
// (FoldConfig::term_words) tell how to read: a word with a stand-in of
// kTermWord context ("#ow", "schoo!", "pi(s") takes the letters that make
// it a term word, if some do; a word whose stand-ins of two meanings the
// leetspeak fold read as their first ("stiii" from "5t111") reads as
// FoldConfig::stand_in_words says. Only stand-ins change, never a letter
// as typed. `at(i)` is the code point at i, `folds_at(i)` its fold bits,
// and `set(i, c)` makes it the letter c, a leetspeak fold.
template <typename At, typename FoldsAt, typename Set>
void ReadTermWords(const FoldConfig& config, size_t first, size_t last, At at,
                   FoldsAt folds_at, Set set) {
  if (config.term_words.empty()) return;
  // The letter a kTermWord stand-in may be, or 0.
  auto stand_in = [&config](UChar32 c) -> char {
    if (c < 0 || c >= 0x80 || !(config.ascii_where[c] & kTermWord)) return 0;
    const UChar32 to = config.ascii_leet[c];
    return to >= 'a' && to <= 'z' && !IsLetter(c) ? static_cast<char>(to) : 0;
  };
  auto is_letter = [](UChar32 c) { return c >= 'a' && c <= 'z'; };
  // Whether a stand-in may be read at a word's edge.
  auto at_edge = [&config, &stand_in](UChar32 c) {
    return stand_in(c) == 0 || (config.ascii_where[c] & kTermWordEdge);
  };
  constexpr size_t kMaxWord = 32;
  // Reads [a, b) as the term word it spells, if it spells one and has two
  // letters as typed, and no more stand-ins than those: "(u" in "(y)(o)(u)"
  // is no "cu".
  auto read = [&](size_t a, size_t b) {
    if (b - a < 2 || b - a > kMaxWord || !at_edge(at(a)) ||
        !at_edge(at(b - 1))) {
      return false;
    }
    char word[kMaxWord];
    size_t symbols = 0;
    for (size_t k = a; k < b; ++k) {
      const char letter = stand_in(at(k));
      symbols += letter != 0;
      word[k - a] = letter != 0 ? letter : static_cast<char>(at(k));
    }
    const size_t letters = b - a - symbols;
    if (letters < 2 || letters < symbols) return false;
    const absl::string_view spelled(word, b - a);
    absl::string_view target = spelled;
    if (!config.term_words.contains(spelled)) {
      auto it = config.stand_in_words.find(spelled);
      if (it == config.stand_in_words.end()) return false;
      target = it->second;
    }
    for (size_t k = a; k < b; ++k) {
      if (stand_in(at(k)) != 0 ||
          (target[k - a] != at(k) && (folds_at(k) & kFoldLeetspeak))) {
        set(k, target[k - a]);
      }
    }
    return true;
  };
  for (size_t i = first; i < last;) {
    size_t j = i;
    bool letter = false, open = false;
    for (; j < last; ++j) {
      const UChar32 c = at(j);
      if (is_letter(c)) {
        letter = true;
        open |= (folds_at(j) & kFoldLeetspeak) &&
                (config.ambiguous_letters >> (c - 'a') & 1);
      } else if (stand_in(c) != 0) {
        open = true;
      } else {
        break;
      }
    }
    if (j == i) {
      ++i;
      continue;
    }
    // The run, or the run without a stand-in at an edge ("hi!" may be "hi"
    // and a "!"): the longest reading that makes a term word.
    if (letter && open) {
      const bool lead = stand_in(at(i)) != 0;
      const bool trail = stand_in(at(j - 1)) != 0;
      (void)(read(i, j) || (lead && read(i + 1, j)) ||
             (trail && read(i, j - 1)) || (lead && trail && read(i + 1, j - 1)));
    }
    i = j;
  }
}

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
        UChar32 to = HomoglyphAsWritten(u, original, base);
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
  if (!leet || config.leet.empty()) return changed;
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
    if (code < 0) code = IsShortCode(at, count, first, last);
    if (!StandsIn(at, i, first, last, config.Where(u.c), to, has_letter,
                  code == 1, config)) {
      continue;
    }
    SetChar(&u, to);
    u.folds |= kFoldLeetspeak;
    changed = true;
  }
  return changed;
}

}  // namespace

uint8_t UnitKindOf(UChar32 c) {
  if (c >= 0 && c < 0x80) return kAsciiKinds[c];
  return KindOfInfo(CodePointInfo::Get().Of(c));
}

void FoldConfig::SetLeet(absl::flat_hash_map<UChar32, UChar32> map) {
  leet = std::move(map);
  ascii_leet.fill(0);
  non_ascii_leet.clear();
  ascii_where.fill(0);
  non_ascii_where.clear();
  for (const auto& [from, to] : leet) {
    uint8_t where = IsLetter(from)  ? kAnywhere
                    : IsDigit(from) ? kInWord
                                    : kBetweenWord;
    for (const Disguise& row : ShippedDisguises()) {
      if (row.to > ' ' && OnlyCodePoint(row.from) == from) where = row.where;
    }
    if (from >= 0 && from < 0x80) {
      ascii_leet[from] = to;
      ascii_where[from] = where;
    } else {
      non_ascii_leet.emplace_back(from, to);
      non_ascii_where.emplace_back(from, where);
    }
  }
  ascii_letter_leet = false;
  for (UChar32 c = 0; c < 0x80; ++c) {
    ascii_blocks[c] = IsWord(c) || (c != ' ' && ascii_leet[c] != 0 &&
                                    (ascii_where[c] & ~(kTermWord | kTermWordEdge)) != 0);
    const bool to_ascii = ascii_leet[c] != 0 && ascii_leet[c] < 0x80;
    ascii_stand_in[c] = to_ascii && !IsLetter(c);
    ascii_letter_leet |= to_ascii && IsLetter(c);
  }
}

void FoldConfig::SetDisguises(absl::Span<const Disguise> rows) {
  ascii_joins.fill(kJoinNone);
  non_ascii_joins.clear();
  sequences.clear();
  sequence_first.fill(false);
  for (const Disguise& row : rows) {
    const UChar32 only = OnlyCodePoint(row.from);
    if (only >= 0) {
      if (row.to != kDropped && row.to != kSeparator) continue;  // Leet.
      const uint8_t join = row.to == kDropped ? kJoinDrop : kJoinSpace;
      if (only < 0x80) {
        ascii_joins[only] = join;
      } else {
        non_ascii_joins.emplace_back(only, join);
      }
      continue;
    }
    if (row.from.empty() || static_cast<uint8_t>(row.from[0]) >= 0x80) continue;
    sequences.push_back(row);
    sequence_first[static_cast<uint8_t>(row.from[0])] = true;
  }
  std::stable_sort(sequences.begin(), sequences.end(),
                   [](const Disguise& a, const Disguise& b) {
                     return a.from.size() > b.from.size();
                   });
}
void FoldConfig::SetEquivalences(
    absl::flat_hash_map<std::string, std::string> map) {
  equivalences = std::move(map);
  equivalence_lengths.fill(0);
  non_ascii_equivalences = false;
  for (const auto& [word, canonical] : equivalences) {
    if (word.empty()) continue;
    equivalence_lengths[static_cast<uint8_t>(word[0])] |= LengthBit(word.size());
    non_ascii_equivalences |= static_cast<uint8_t>(word[0]) >= 0x80;
  }
}

void FoldConfig::SetTermWords(const std::vector<std::string>& words) {
  term_words = absl::flat_hash_set<std::string>(words.begin(), words.end());
  stand_in_words.clear();
  ambiguous_letters = 0;
  // First meaning -> alternate, for the rows in `leet` as shipped.
  std::vector<std::pair<char, char>> pairs;
  for (const auto& [from, alternate] : AlternateLeet()) {
    const UChar32 first = Leet(from);
    if (first < 'a' || first > 'z' || alternate < 'a' || alternate > 'z') continue;
    if (!(ambiguous_letters >> (first - 'a') & 1)) {
      pairs.emplace_back(static_cast<char>(first), static_cast<char>(alternate));
    }
    ambiguous_letters |= 1u << (first - 'a');
  }
  if (pairs.empty()) return;
  const absl::flat_hash_set<std::string>& known = term_words;
  // A word with more alternate letters than this keeps its first 2^4 - 1
  // readings only: enough for "illegal", and the table stays small.
  constexpr int kMaxPlaces = 4;
  for (const std::string& word : words) {
    std::vector<size_t> places;
    for (size_t k = 0; k < word.size(); ++k) {
      for (const auto& [first, alternate] : pairs) {
        if (word[k] == alternate && places.size() < kMaxPlaces) {
          places.push_back(k);
        }
      }
    }
    for (uint32_t subset = 1; subset < (1u << places.size()); ++subset) {
      std::string read = word;
      for (size_t b = 0; b < places.size(); ++b) {
        if (!(subset >> b & 1)) continue;
        for (const auto& [first, alternate] : pairs) {
          if (word[places[b]] == alternate) read[places[b]] = first;
        }
      }
      if (!known.contains(read)) stand_in_words.emplace(read, word);
    }
  }
}

absl::flat_hash_map<UChar32, UChar32> FoldConfig::DefaultLeet() {
  absl::flat_hash_map<UChar32, UChar32> map;
  for (const Disguise& row : ShippedDisguises()) {
    const UChar32 from = OnlyCodePoint(row.from);
    if (from >= 0 && row.to > ' ') map[from] = row.to;
  }
  return map;
}

absl::flat_hash_map<UChar32, UChar32> FoldConfig::AlternateLeet() {
  absl::flat_hash_map<UChar32, UChar32> map;
  for (const Disguise& row : ShippedDisguises()) {
    const UChar32 from = OnlyCodePoint(row.from);
    if (from >= 0 && row.alternate != 0) map[from] = row.alternate;
  }
  return map;
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
  uint16_t any_folds = 0;  // Of every unit: something was folded.
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c = s[i];
    FoldUnit unit;
    if (c < 0x80) {
      ++i;
      unit = {c, static_cast<uint32_t>(start), static_cast<uint32_t>(i), 0,
              kAsciiKinds[c]};
      latin_letter |= unit.kind & kUnitLetter;
      stand_in |= config.ascii_leet[c] != 0;
      special |= config.sequence_first[c] | (config.ascii_joins[c] != 0);
    } else {
      U8_NEXT(s, i, n, c);  // Base text is valid UTF-8.
      uint32_t info = infos.Of(c);
      uint16_t folds = 0;
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
      if (homoglyphs && (info & CodePointInfo::kLatinLookAlike)) {
        // A Latin look-alike ("ᴀ", "ɑ") is a disguise wherever it is.
        c = CodePointInfo::Homoglyph(info);
        info = infos.Of(c);
        folds |= kFoldHomoglyph;
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
                 (!config.non_ascii_joins.empty() &&
                  config.Join(c) != FoldConfig::kJoinNone);
      unit = {c, static_cast<uint32_t>(start), static_cast<uint32_t>(i),
              folds, KindOfInfo(info)};
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
                           !config.sequences.empty();
    const bool joins = config.enabled & kFoldSpacing;
    changed_joins =
        ApplyJoinsAndSequences(config, sequences, joins, units, &count);
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
                         !config.leet.empty() && stand_in;
  bool changed = any_folds != 0 || changed_joins;
  if (!fold_homoglyphs && !fold_leet) return changed;
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
      ReadTermWords(config, first, last,
                    [units](size_t i) { return units[i].c; },
                    [units](size_t i) { return units[i].folds; },
                    [units](size_t i, char c) {
                      SetChar(&units[i], c);
                      units[i].folds |= kFoldLeetspeak;
                    });
    }
    first = last;
  }
  return changed;
}

namespace {

// FoldAscii()'s leetspeak: FoldToken()'s rules, on the bytes of `out`.
void FoldAsciiLeet(const FoldConfig& config, FoldedView* out) {
  const size_t n = out->text.size();
  char* const t = out->text.data();
  uint16_t* const folds = out->folds.data();
  {
    // Letters fold to their class anywhere; digits and symbols need their
    // token (FoldToken's rules, on bytes), so look at tokens only if the
    // text has one.
    // Only tokens holding a stand-in need the token rules; note where the
    // stand-ins are rather than walk every token.
    constexpr int kMaxStandIns = 64;
    uint32_t stand_ins[kMaxStandIns];
    int stand_in_count = 0;
    bool many_stand_ins = false;
    if (config.ascii_letter_leet) {
      for (size_t i = 0; i < n; ++i) {
        const uint8_t c = static_cast<uint8_t>(t[i]);
        const UChar32 to = config.ascii_leet[c];
        if (to != 0 && to < 0x80 && IsLetter(c)) t[i] = static_cast<char>(to);
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (!config.ascii_stand_in[t[i] & 0x7F]) continue;  // Text is ASCII.
      if (stand_in_count < kMaxStandIns) {
        stand_ins[stand_in_count++] = static_cast<uint32_t>(i);
      } else {
        many_stand_ins = true;
      }
    }
    auto at = [t](size_t i) { return static_cast<UChar32>(t[i] & 0x7F); };
    auto fold_token = [&](size_t first, size_t last) {
      bool has_letter = false;
      for (size_t i = first; i < last; ++i) has_letter |= IsLetter(t[i]);
      int code = -1;  // IsShortCode(), computed when first needed.
      for (size_t i = first; i < last; ++i) {
        const UChar32 c = static_cast<uint8_t>(t[i]);
        const UChar32 to = config.ascii_leet[c];
        if (to == 0 || to >= 0x80 || IsLetter(c)) continue;
        if (code < 0) code = IsShortCode(at, n, first, last);
        if (StandsIn(at, i, first, last, config.ascii_where[c], to,
                     has_letter, code == 1, config)) {
          t[i] = static_cast<char>(to);
          folds[i] |= kFoldLeetspeak;
        }
      }
    };
    size_t done = 0;  // Tokens before this are folded.
    for (int k = 0; k < stand_in_count || (many_stand_ins && done < n); ++k) {
      // Past kMaxStandIns stand-ins, every remaining token is visited.
      size_t first = k < stand_in_count ? stand_ins[k] : done;
      if (first < done) continue;
      while (first > done && t[first - 1] != ' ') --first;
      size_t last = first;
      while (last < n && t[last] != ' ') ++last;
      fold_token(first, last);
      ReadTermWords(
          config, first, last, [t](size_t i) { return UChar32(t[i] & 0x7F); },
          [folds](size_t i) { return folds[i]; },
          [t, folds](size_t i, char c) {
            t[i] = c;
            folds[i] |= kFoldLeetspeak;
          });
      done = last + 1;
    }
  }
}

// ApplyJoinsAndSequences()'s joins for an ASCII view, in place.
void ApplyAsciiJoins(const FoldConfig& config, FoldedView* v) {
  std::string& t = v->text;
  const size_t n = t.size();
  uint32_t* const begin = v->begin.data();
  uint32_t* const end = v->end.data();
  uint16_t* const folds = v->folds.data();
  auto join_of = [&](size_t i) { return config.ascii_joins[t[i] & 0x7F]; };
  size_t w = 0;  // Bytes before w are written; w <= r.
  for (size_t r = 0; r < n;) {
    const uint8_t join = join_of(r);
    // As in ApplyJoinsAndSequences(): a mask is a letter to a dropped
    // apostrophe.
    auto word = [&](char ch) {
      const UChar32 c = ch & 0x7F;
      return join == FoldConfig::kJoinDrop ? IsWordOrMask(c) : IsWord(c);
    };
    if (join != FoldConfig::kJoinNone && w > 0 && word(t[w - 1]) &&
        config.ascii_joins[t[w - 1] & 0x7F] == FoldConfig::kJoinNone) {
      size_t e = r + 1;
      while (e < n && join_of(e) == join) ++e;
      if (e < n && word(t[e]) && join_of(e) == FoldConfig::kJoinNone &&
          (join == FoldConfig::kJoinSpace || e == r + 1)) {
        uint16_t f = kFoldSpacing;
        for (size_t k = r; k < e; ++k) f |= folds[k];
        if (join == FoldConfig::kJoinDrop) {
          end[w - 1] = end[e - 1];
          folds[w - 1] |= f;
        } else {
          t[w] = ' ';
          begin[w] = begin[r];
          end[w] = end[e - 1];
          folds[w] = f;
          ++w;
        }
        r = e;
        continue;
      }
    }
    t[w] = t[r];
    begin[w] = begin[r];
    end[w] = end[r];
    folds[w] = folds[r];
    ++w;
    ++r;
  }
  t.resize(w);
  v->begin.resize(w);
  v->end.resize(w);
  v->folds.resize(w);
}

}  // namespace

bool FoldAscii(std::string_view original, const NormalizedText& base,
               const FoldConfig& config, FoldedView* out) {
  const std::string& text = base.text;
  const size_t n = text.size();
  uint8_t any = 0;  // An OR over the bytes vectorizes; an early exit not.
  for (size_t i = 0; i < n; ++i) any |= static_cast<uint8_t>(text[i]);
  if (any >= 0x80) return false;
  // Sequences ("|-|") are FoldBase()'s: they change the view's length, and
  // text that has one is rare. Joins (apostrophes, "_") are not rare.
  const bool leet = (config.enabled & kFoldLeetspeak) && !config.leet.empty();
  const bool sequences =
      (config.enabled & kFoldLeetspeak) && !config.sequences.empty();
  const bool spacing = config.enabled & kFoldSpacing;
  bool joins = false;
  // Without a stand-in or a letter in the leetspeak map, leetspeak has
  // nothing to fold; unknown unless the loop below runs.
  bool stand_ins = !(sequences || spacing) || config.ascii_letter_leet;
  if (sequences || spacing) {
    for (size_t i = 0; i < n; ++i) {
      const uint8_t c = static_cast<uint8_t>(text[i]);
      if (sequences && config.sequence_first[c] &&
          AsciiSequenceAt(text, i, config) != nullptr) {
        return false;
      }
      joins |= config.ascii_joins[c] != 0;
      stand_ins |= config.ascii_stand_in[c] != 0;
    }
  }
  out->text = text;
  out->begin.resize(n);
  out->end.resize(n);
  out->folds.resize(n);
  uint32_t* const begin = out->begin.data();
  uint32_t* const end = out->end.data();
  uint16_t* const folds = out->folds.data();
  for (size_t i = 0; i < n; ++i) {
    begin[i] = static_cast<uint32_t>(i);
    end[i] = static_cast<uint32_t>(i + 1);
    folds[i] = 0;
  }
  if (config.enabled & kFoldInvisible) {
    // Local pointers: through the vectors, every store above might change
    // their data pointers as far as the compiler knows, so it reloads them.
    const uint32_t* const base_begin = base.begin.data();
    const uint32_t* const base_end = base.end.data();
    for (size_t i = 0; i < n; ++i) {
      if (HasHiddenBytes(original, base_begin[i], base_end[i], 1)) {
        folds[i] = kFoldInvisible;
      }
    }
  }
  if (joins && spacing) ApplyAsciiJoins(config, out);
  if (leet && stand_ins) FoldAsciiLeet(config, out);
  return true;
}

namespace {

// Words of an ASCII view that FoldConfig::MayBeEquivalent() lets through.
struct EquivalenceCandidates {
  static constexpr int kMax = 16;
  uint32_t start[kMax];
  uint32_t length[kMax];
  int count = 0;
  bool overflow = false;  // More than kMax: look at every word.
};

// For 8 bytes at `p`, read as ASCII (the high bit ignored, as kAsciiKinds is
// indexed): bit k is set if byte k is a word byte, [0-9A-Za-z_]. Eight bytes
// at once in a 64-bit word: each byte is at most 0x7F, so adding at most
// 0x80 to it carries into its own high bit and never into the next byte.
// REQUIRES: little-endian, where byte k is bits 8k to 8k+7.
uint64_t WordByteMask8(const uint8_t* p) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  uint64_t x;
  std::memcpy(&x, p, 8);
  x &= 0x7F * kOnes;
  // High bit of each byte: that byte is >= c.
  auto at_least = [x](uint8_t c) {
    return (x + (0x80 - c) * kOnes) & (0x80 * kOnes);
  };
  auto in = [&](uint8_t lo, uint8_t hi) {
    return at_least(lo) & ~at_least(hi + 1);
  };
  const uint64_t word =
      in('0', '9') | in('A', 'Z') | in('a', 'z') | in('_', '_');
  // Gathers the eight high bits, byte k's to bit k.
  return ((word >> 7) * 0x0102040810204080) >> 56;
}

// Finds the candidates of ASCII `text`. Runs on every ASCII message of a
// ruleset with equivalences. A loop with a branch per word boundary, or a
// branchless one per byte, cost a tenth of a scan; this one makes a bit mask
// of word bytes 64 at a time (no branch) and then visits words, not bytes.
void FindEquivalenceCandidates(std::string_view text, const FoldConfig& config,
                               EquivalenceCandidates* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  out->count = 0;
  out->overflow = false;
  bool in_word = false;  // The byte before this block is a word byte.
  for (size_t block = 0; block < n; block += 64) {
    const size_t size = n - block < 64 ? n - block : 64;
    uint64_t words = 0;  // Bit k: byte block + k is a word byte.
    size_t k = 0;
    if constexpr (std::endian::native == std::endian::little) {
      for (; k + 8 <= size; k += 8) {
        words |= WordByteMask8(p + block + k) << k;
      }
    }
    for (; k < size; ++k) {
      words |= static_cast<uint64_t>(
                   (kAsciiKinds[p[block + k] & 0x7F] & kUnitWord) >> 1)
               << k;
    }
    uint64_t starts = words & ~((words << 1) | (in_word ? 1 : 0));
    in_word = (words >> (size - 1)) & 1;
    while (starts != 0) {
      const int k = std::countr_zero(starts);
      starts &= starts - 1;
      const uint64_t rest = ~(words >> k);  // Zero bits: the word.
      size_t length = rest == 0 ? 64 - k : std::countr_zero(rest);
      const size_t start = block + k;
      if (k + length >= size) {  // The word may go on past this block.
        while (start + length < n &&
               (kAsciiKinds[p[start + length] & 0x7F] & kUnitWord)) {
          ++length;
        }
      }
      if (!config.MayBeEquivalent(p[start], length)) continue;
      if (out->count == EquivalenceCandidates::kMax) {
        out->overflow = true;
        return;
      }
      out->start[out->count] = static_cast<uint32_t>(start);
      out->length[out->count] = static_cast<uint32_t>(length);
      ++out->count;
    }
  }
}

}  // namespace

bool ApplyAsciiEquivalences(const FoldedView& in, const FoldConfig& config,
                            FoldedView* out) {
  if (!(config.enabled & kFoldChatSpeak) || config.equivalences.empty()) {
    return false;
  }
  EquivalenceCandidates candidates;
  FindEquivalenceCandidates(in.text, config, &candidates);
  if (candidates.count == 0) return false;
  const std::string& t = in.text;
  bool found = false;
  size_t copied = 0;  // in[0, copied) is already in *out (when found).
  auto copy = [&](size_t from, size_t to) {
    out->text.append(t, from, to - from);
    out->begin.insert(out->begin.end(), in.begin.begin() + from,
                      in.begin.begin() + to);
    out->end.insert(out->end.end(), in.end.begin() + from,
                    in.end.begin() + to);
    out->folds.insert(out->folds.end(), in.folds.begin() + from,
                      in.folds.begin() + to);
  };
  // Replaces the word [i, j) if it has an equivalent.
  auto replace = [&](size_t i, size_t j) {
    auto it = config.equivalences.find(absl::string_view(t.data() + i, j - i));
    if (it == config.equivalences.end()) return;
    if (!found) {
      out->Clear();
      found = true;
    }
    copy(copied, i);
    // As in ApplyEquivalences: every byte of the canonical word maps to the
    // whole word it replaces.
    uint16_t folds = kFoldChatSpeak;
    for (size_t k = i; k < j; ++k) folds |= in.folds[k];
    for (char b : it->second) {
      out->text.push_back(b);
      out->begin.push_back(in.begin[i]);
      out->end.push_back(in.end[j - 1]);
      out->folds.push_back(folds);
    }
    copied = j;
  };
  if (!candidates.overflow) {
    for (int c = 0; c < candidates.count; ++c) {
      replace(candidates.start[c], candidates.start[c] + candidates.length[c]);
    }
  } else {
    for (size_t i = 0; i < t.size();) {  // Every word.
      size_t j = i;
      while (j < t.size() && (kAsciiKinds[t[j] & 0x7F] & kUnitWord)) ++j;
      if (j > i && config.MayBeEquivalent(static_cast<uint8_t>(t[i]), j - i)) {
        replace(i, j);
      }
      i = j + 1;
    }
  }
  if (!found) return false;
  copy(copied, t.size());
  return true;
}

bool MaySqueeze(std::string_view folded) {
  // The first test rarely holds, so its branch is well predicted.
  for (size_t i = 0; i + 2 < folded.size(); ++i) {
    if (folded[i] == folded[i + 1] && folded[i] == folded[i + 2] &&
        IsLetter(static_cast<uint8_t>(folded[i]))) {
      return true;
    }
  }
  return false;
}

// Runs on every message, so written without a branch on the data: a
// mispredicted branch per word cost three times the rest of the loop.
bool MayJoin(std::string_view folded, const FoldConfig& config) {
  // Three single characters (letters, digits or leetspeak symbols with no
  // word character or candidate beside them) are needed for any run.
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  const size_t n = folded.size();
  auto blocks = [&](uint8_t c) -> uint8_t {
    return static_cast<uint8_t>((c >> 7) | config.ascii_blocks[c & 0x7F]);
  };
  if (n == 0) return false;
  int singles = 0;
  uint8_t prev = 0;
  uint8_t cur = blocks(p[0]);
  for (size_t i = 0; i + 1 < n; ++i) {
    const uint8_t next = blocks(p[i + 1]);
    singles += cur & (prev ^ 1) & (next ^ 1);
    prev = cur;
    cur = next;
  }
  singles += cur & (prev ^ 1);
  return singles >= 3;
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

bool MaskView(const FoldUnits& in, FoldUnits* out) {
  out->clear();
  auto is_mask = [&](size_t i) { return in[i].c == '*' || in[i].c == '#'; };
  bool found = false;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!is_mask(i) || i == 0 || !(in[i - 1].kind & kUnitWord)) continue;
    // A mask run inside a word: a word character on both sides.
    size_t j = i;
    while (j < in.size() && is_mask(j)) ++j;
    if (j == in.size() || !(in[j].kind & kUnitWord)) {
      i = j;
      continue;
    }
    if (!found) {
      *out = in;
      found = true;
    }
    for (size_t k = i; k < j; ++k) {
      SetChar(&(*out)[k], kMaskChar);
      (*out)[k].folds |= kFoldMask;
    }
    i = j;
  }
  return found;
}

namespace {

// MaskedPhraseRegex(), or with `squeezed` MaskedSqueezedPhraseRegex().
std::string MaskRegex(std::string_view folded, bool squeezed) {
  std::string regex;
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const int32_t n = static_cast<int32_t>(folded.size());
  UChar32 last = -1;
  int run = 0;  // Length of the run of `last` so far.
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    run = c == last ? run + 1 : 1;
    last = c;
    const std::string quoted =
        RE2QuoteMeta(folded.substr(start, static_cast<size_t>(i - start)));
    if (!IsLetter(c)) {
      regex += quoted;
    } else if (!squeezed || run == 1) {
      regex += "(?:" + quoted + "|\\*)";
    } else if (run == 2) {
      // A double letter squeezes to one, unless a mask took one of the
      // two ("lit*le"): then the view keeps both places.
      regex += "(?:" + quoted + "|\\*)?";
    }  // A longer run squeezes to the same one or two places.
  }
  return regex;
}

}  // namespace

std::string MaskedPhraseRegex(std::string_view folded) {
  return MaskRegex(folded, /*squeezed=*/false);
}

std::string MaskedSqueezedPhraseRegex(std::string_view folded) {
  return MaskRegex(folded, /*squeezed=*/true);
}

bool MaskedMatchIsPlausible(std::string_view matched) {
  int masks = 0, letters = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(matched.data());
  const int32_t n = static_cast<int32_t>(matched.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c == kMaskChar) {
      ++masks;
    } else if (IsLetter(c)) {
      ++letters;
    }
  }
  return masks >= 1 && letters >= 2 && masks <= letters;
}

void UnitsOfAsciiView(const FoldedView& view, FoldUnits* out) {
  out->resize(view.text.size());
  for (size_t i = 0; i < view.text.size(); ++i) {
    const uint8_t c = static_cast<uint8_t>(view.text[i]);
    (*out)[i] = {c, view.begin[i], view.end[i], view.folds[i],
                 kAsciiKinds[c & 0x7F]};
  }
}

bool SqueezeRepeats(const FoldUnits& in, bool force, FoldUnits* out) {
  out->clear();
  if (!force) {
    bool stretched = false;
    for (size_t i = 0; i + 2 < in.size() && !stretched; ++i) {
      stretched = in[i].c == in[i + 1].c && in[i].c == in[i + 2].c &&
                  (in[i].kind & kUnitLetter);
    }
    if (!stretched) return false;
  }
  for (size_t i = 0; i < in.size();) {
    size_t j = i + 1;
    while (j < in.size() && in[j].c == in[i].c) ++j;
    if (j - i >= 2 && (in[i].kind & kUnitLetter)) {
      FoldUnit unit = in[i];
      unit.end = in[j - 1].end;
      // Tagged even for a double: a match that spells its phrase plainly
      // ("book" for "book") has its folds cleared by the scanner anyway.
      unit.folds |= kFoldRepeat;
      for (size_t k = i + 1; k < j; ++k) unit.folds |= in[k].folds;
      out->push_back(unit);
    } else {
      out->insert(out->end(), in.begin() + i, in.begin() + j);
    }
    i = j;
  }
  return true;
}

bool JoinSpacedLetters(const FoldUnits& in, const FoldConfig& config,
                       FoldUnits* out) {
  constexpr size_t kMaxGap = 3;      // Separators between two letters.
  constexpr size_t kMinLetters = 3;  // "u r" stays two words.
  constexpr size_t kMinRealLetters = 2;  // "5 5 5" stays a number.
  const bool leet = config.enabled & kFoldLeetspeak;
  // Per unit, computed once: bit 1, a candidate (a letter, or a digit or
  // symbol that leetspeak maps to one); bit 2, it blocks a neighbour from
  // being a single letter (word characters and candidates).
  thread_local std::vector<uint8_t> kinds;
  kinds.resize(in.size());
  // Local pointers: through the thread_local the compiler reloads them on
  // every iteration.
  uint8_t* const kind = kinds.data();
  const FoldUnit* const units = in.data();
  bool any_single = false;
  for (size_t i = 0, n = in.size(); i < n; ++i) {
    const UChar32 c = units[i].c;
    const bool is_candidate = (units[i].kind & kUnitLetter) ||
                              (leet && !IsSpace(c) && config.PlaceMakesLetter(c));
    kind[i] = (is_candidate ? 1 : 0) |
              ((is_candidate || (units[i].kind & kUnitWord)) ? 2 : 0);
  }
  auto candidate = [&](size_t i) { return (kind[i] & 1) != 0; };
  auto blocks = [&](size_t i) { return (kind[i] & 2) != 0; };
  auto single = [&](size_t i) {
    return candidate(i) && (i == 0 || !blocks(i - 1)) &&
           (i + 1 == in.size() || !blocks(i + 1));
  };
  // Most text has no run at all; count singles before doing more.
  size_t singles = 0;
  for (size_t i = 0; i < in.size() && singles < kMinLetters; ++i) {
    singles += single(i);
  }
  any_single = singles >= kMinLetters;
  if (!any_single) {
    out->clear();
    return false;
  }
  out->clear();
  bool found = false;
  size_t copied = 0;  // in[0, copied) is already in *out (when found).
  thread_local std::vector<size_t> letter_buffer;  // No allocation per call.
  std::vector<size_t>& letters = letter_buffer;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!single(i)) continue;
    letters.assign(1, i);
    size_t k = i + 1;
    while (true) {
      size_t gap = 0;
      while (k < in.size() && !blocks(k) && gap <= kMaxGap) {
        ++k;
        ++gap;
      }
      if (gap == 0 || gap > kMaxGap || k >= in.size() || !single(k)) break;
      letters.push_back(k);
      ++k;
    }
    size_t real = 0;
    for (size_t l : letters) real += in[l].kind & kUnitLetter;
    if (letters.size() < kMinLetters || real < kMinRealLetters) {
      i = letters.back();
      continue;
    }
    found = true;
    out->insert(out->end(), in.begin() + copied, in.begin() + letters[0]);
    for (size_t l = 0; l < letters.size(); ++l) {
      FoldUnit unit = in[letters[l]];
      unit.folds |= kFoldSpacing;
      if (!(unit.kind & kUnitLetter)) {
        SetChar(&unit, config.Leet(unit.c));
        unit.folds |= kFoldLeetspeak;
      }
      if (l + 1 < letters.size()) {
        // The separators up to the next letter belong to this one.
        unit.end = in[letters[l + 1] - 1].end;
        for (size_t g = letters[l] + 1; g < letters[l + 1]; ++g) {
          unit.folds |= in[g].folds;
        }
      }
      out->push_back(unit);
    }
    copied = letters.back() + 1;
    i = letters.back();
  }
  if (!found) {
    out->clear();
    return false;
  }
  out->insert(out->end(), in.begin() + copied, in.end());
  return true;
}

namespace {

// A space the folds made from a separator (a real space has no fold), with
// a word character on either side ("se😀nd", "$2😀0").
bool IsInWordSeparator(const FoldUnit* units, size_t i, size_t n) {
  return units[i].c == ' ' && (units[i].folds & kFoldSpacing) && i > 0 &&
         i + 1 < n && (units[i - 1].kind & kUnitWord) &&
         (units[i + 1].kind & kUnitWord);
}

}  // namespace

bool HasInWordSeparator(const FoldUnits& units) {
  for (size_t i = 0, n = units.size(); i < n; ++i) {
    if (IsInWordSeparator(units.data(), i, n)) return true;
  }
  return false;
}

bool DropInWordSeparators(FoldUnits* units) {
  FoldUnit* const u = units->data();
  const size_t n = units->size();
  size_t w = 0;
  for (size_t r = 0; r < n; ++r) {
    // Decided on the units as they were: the letter after a dropped
    // separator is still in place at r + 1.
    if (IsInWordSeparator(u, r, n)) {
      u[w - 1].end = u[r].end;
      u[w - 1].folds |= u[r].folds;
      continue;
    }
    u[w++] = u[r];
  }
  units->resize(w);
  return w != n;
}

bool ApplyEquivalences(const FoldUnits& in, const FoldConfig& config,
                       FoldUnits* out) {
  if (!(config.enabled & kFoldChatSpeak) || config.equivalences.empty()) {
    return false;
  }
  if (!config.non_ascii_equivalences) {
    // Text in another script (most of it, when it is not ASCII) has no
    // word an ASCII equivalence could be: look before walking its words.
    bool ascii_word = false;
    for (const FoldUnit& u : in) {
      ascii_word |= (u.c < 0x80) & ((u.kind & kUnitWord) != 0);
    }
    if (!ascii_word) return false;
  }
  thread_local std::string word;
  bool found = false;
  size_t copied = 0;  // in[0, copied) is already in *out (when found).
  for (size_t i = 0; i < in.size();) {
    if (!(in[i].kind & kUnitWord)) {
      ++i;
      continue;
    }
    size_t j = i;
    size_t bytes = 0;
    while (j < in.size() && (in[j].kind & kUnitWord)) {
      bytes += U8_LENGTH(in[j].c);
      ++j;
    }
    // Build and hash the word only if some equivalence could be it.
    if (!config.MayBeEquivalent(FirstUtf8Byte(in[i].c), bytes)) {
      i = j;
      continue;
    }
    word.clear();
    uint16_t folds = 0;
    for (size_t k = i; k < j; ++k) {
      char buf[U8_MAX_LENGTH];
      int32_t len = 0;
      U8_APPEND_UNSAFE(buf, len, in[k].c);
      word.append(buf, len);
      folds |= in[k].folds;
    }
    auto it = config.equivalences.find(word);
    if (it != config.equivalences.end()) {
      if (!found) {
        out->clear();
        found = true;
      }
      out->insert(out->end(), in.begin() + copied, in.begin() + i);
      const auto* s = reinterpret_cast<const uint8_t*>(it->second.data());
      const int32_t n = static_cast<int32_t>(it->second.size());
      for (int32_t k = 0; k < n;) {
        UChar32 c;
        U8_NEXT(s, k, n, c);
        out->push_back(MakeUnit(c, in[i].begin, in[j - 1].end,
                                static_cast<uint16_t>(folds | kFoldChatSpeak)));
      }
      copied = j;
    }
    i = j;
  }
  if (!found) return false;
  out->insert(out->end(), in.begin() + copied, in.end());
  return true;
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

std::string SqueezePhrase(std::string_view phrase, const FoldConfig& config) {
  NormalizedText base;
  Normalize(absl::string_view(phrase.data(), phrase.size()), &base);
  FoldUnits folded, equivalent, squeezed;
  FoldBase(phrase, base, config, &folded);
  SqueezeRepeats(ApplyEquivalences(folded, config, &equivalent) ? equivalent
                                                                : folded,
                 /*force=*/true, &squeezed);
  FoldedView view;
  EncodeView(squeezed, &view);
  return view.text;
}

std::string SqueezeFolded(std::string_view folded) {
  std::string out;
  const auto* s = reinterpret_cast<const uint8_t*>(folded.data());
  const int32_t n = static_cast<int32_t>(folded.size());
  UChar32 last = -1;
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c == last && IsLetter(c)) continue;
    last = c;
    out.append(folded.substr(start, i - start));
  }
  return out;
}

std::string FoldPhrase(std::string_view phrase, const FoldConfig& config) {
  NormalizedText base;
  Normalize(absl::string_view(phrase.data(), phrase.size()), &base);
  FoldUnits folded, equivalent;
  FoldBase(phrase, base, config, &folded);
  FoldedView view;
  EncodeView(ApplyEquivalences(folded, config, &equivalent) ? equivalent
                                                            : folded,
             &view);
  return view.text;
}

}  // namespace watchword
