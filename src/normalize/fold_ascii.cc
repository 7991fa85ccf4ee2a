// FoldAscii(): the folds of an ASCII field, on bytes, with no FoldUnits
// (most fields are ASCII). Text it cannot fold on bytes goes to FoldBase().
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "src/normalize/ascii_bytes8.h"
#include "src/normalize/byte_offsets.h"
#include "src/normalize/disguise_table.h"
#include "src/normalize/fold.h"
#include "src/normalize/fold_chars.h"
#include "src/normalize/fold_config.h"
#include "src/normalize/fold_internal.h"
#include "src/normalize/stand_in_rules.h"
#include "unicode/utf8.h"

namespace watchword {

namespace {

// For 8 ASCII bytes at `p` (the high bit ignored): bit k is set if byte k
// is a letter, or a space unless `space_counts` (ascii_bytes8.h).
// REQUIRES: little-endian.
uint64_t LettersAndSpaces8(const char* p, bool space_counts) {
  const uint64_t x = bytes8::Low7(bytes8::Load(p));
  uint64_t bits = bytes8::Letters(x);
  if (!space_counts) bits |= bytes8::Equals(x, ' ');
  return bytes8::Gather8(bits);
}

// Whether the token rules (StandsIn(), ReadTermWords()) leave the token
// [first, last) of `t` as typed, where its shape tells without them:
// letters ("a" to "z", as typed: no leetspeak or homoglyph fold) and then
// one stand-in that is no digit, no mask and of no context that ends a
// word after letters ("thanks!"). Such a stand-in is no letter by its
// place (StandsIn()), and ReadTermWords() changes the token only where it
// spells a term word or an equivalence with the stand-in read (ruled out
// here by the tables FoldConfig keeps for that), or a stretched one; the
// letters without it read as themselves ("thanks" is a term word). False
// where it may not be so; the token rules then read it.
// Out of line: inlined, its code spreads FoldAsciiLeet()'s loop over more
// cache lines.
[[gnu::noinline]] bool KeepsLettersThenSymbol(const FoldConfig& config,
                                              const char* t,
                                              const uint16_t* folds,
                                              size_t first, size_t last) {
  constexpr size_t kMaxWord = 32;  // ReadTermWords()'s.
  const size_t n = last - first;
  if (n < 2 || n > kMaxWord) return false;
  const UChar32 symbol = t[last - 1] & 0x7F;
  if (symbol == '*' || IsDigit(symbol) || IsLetter(symbol) ||
      (config.Where(symbol) & (kAnywhere | kInWord | kWordEnd))) {
    return false;
  }
  char word[kMaxWord];
  // A stretched word ("iiveee!": a run of 3+ of one letter) may read as a
  // term word; looked for as the letters are copied, and below for the
  // stand-in's letter.
  bool stretched = false;
  for (size_t i = first; i + 1 < last; ++i) {
    if (t[i] < 'a' || t[i] > 'z' ||
        (folds[i] & (kFoldLeetspeak | kFoldHomoglyph))) {
      return false;
    }
    word[i - first] = t[i];
    stretched |= i >= first + 2 && t[i] == t[i - 1] && t[i] == t[i - 2];
  }
  // ReadTermWords()'s stand_in(): a symbol read as no letter there leaves
  // the token as typed.
  const UChar32 to = config.Leet(symbol);
  if (to < 'a' || to > 'z' || config.term_words().empty()) return true;
  word[n - 1] = static_cast<char>(to);
  if (config.MayBeEquivalent(static_cast<uint8_t>(word[0]),
                             static_cast<uint8_t>(to), n)) {
    return false;
  }
  if (stretched || (n >= 3 && word[n - 1] == word[n - 2] &&
                    word[n - 1] == word[n - 3])) {
    return false;
  }
  const bool ends_word =
      config.Where(symbol) & (kTermWordEdge | kWordEnd);  // at_end().
  return !(ends_word && config.MayBeTermWord(std::string_view(word, n)));
}

// Whether ReadTermWords() leaves the token [first, last) of `t` as it is:
// letters only ("a" to "z", after the token rules: "5pm" is "spm"), none a
// leetspeak fold that may be read as its other letter (ambiguous_letters).
bool KeepsLetters(const FoldConfig& config, const char* t,
                  const uint16_t* folds, size_t first, size_t last) {
  for (size_t i = first; i < last; ++i) {
    if (t[i] < 'a' || t[i] > 'z') return false;
    if ((folds[i] & kFoldLeetspeak) &&
        (config.ambiguous_letters() >> (t[i] - 'a') & 1)) {
      return false;
    }
  }
  return true;
}

// ReadTermWords() on the token [first, last) of the `n` bytes at `t`. Out
// of line and cold: benign tokens seldom need it (KeepsLetters()), and
// inlined, its code spread FoldAsciiLeet()'s hot blocks over more cache
// lines.
[[gnu::noinline, gnu::cold]] void ReadAsciiTermWords(
    const FoldConfig& config, char* t, uint16_t* folds, size_t n,
    size_t first, size_t last) {
  ReadTermWords(
      config, n, first, last, [t](size_t i) { return UChar32(t[i] & 0x7F); },
      [folds](size_t i) { return folds[i]; },
      [t, folds](size_t i, char c) {
        t[i] = c;
        folds[i] |= kFoldLeetspeak;
      });
}

// Where the stand-ins (ascii_stand_in()) of an ASCII text are: the first
// kMax, and whether there are more.
struct StandInPlaces {
  static constexpr int kMax = 64;
  uint32_t at[kMax];
  int count = 0;
  bool more = false;

  void Add(size_t i) {
    if (count < kMax) {
      at[count++] = static_cast<uint32_t>(i);
    } else {
      more = true;
    }
  }
};

// Into *places, the stand-ins of the `n` ASCII bytes at `t`. Out of line:
// FoldAscii()'s survey finds them for most texts.
[[gnu::noinline]] void FindStandIns(const FoldConfig& config, const char* t,
                                    size_t n, StandInPlaces* places) {
  // A letter is no stand-in (ascii_stand_in()), nor, in the shipped map,
  // a space: those, most bytes, are ruled out 8 at a time, and the table
  // is looked up for the others.
  const bool space_stands_in = config.ascii_stand_in()[' '];
  for (size_t block = 0; block < n; block += 64) {
    const size_t size = n - block < 64 ? n - block : 64;
    uint64_t others = 0;  // Bit k: byte block + k may be a stand-in.
    size_t k = 0;
    if constexpr (std::endian::native == std::endian::little) {
      for (; k + 8 <= size; k += 8) {
        others |= (~LettersAndSpaces8(t + block + k, space_stands_in) & 0xFF)
                  << k;
      }
    }
    for (; k < size; ++k) others |= uint64_t{1} << k;
    for (; others != 0; others &= others - 1) {
      const size_t i = block + std::countr_zero(others);
      if (config.ascii_stand_in()[t[i] & 0x7F]) places->Add(i);  // ASCII.
    }
  }
}

// FoldAscii()'s leetspeak: FoldToken()'s rules, on the bytes of `out`.
// `known`, if non-null, holds where the stand-ins of out->text are.
void FoldAsciiLeet(const FoldConfig& config, const StandInPlaces* known,
                   FoldedView* out) {
  const size_t n = out->text.size();
  char* const t = out->text.data();
  uint16_t* const folds = out->folds.data();
  {
    // Letters fold to their class anywhere; digits and symbols need their
    // token (FoldToken's rules, on bytes), so look at tokens only if the
    // text has one.
    // Only tokens holding a stand-in need the token rules; note where the
    // stand-ins are rather than walk every token.
    if (config.ascii_letter_leet()) {
      for (size_t i = 0; i < n; ++i) {
        const uint8_t c = static_cast<uint8_t>(t[i]);
        const UChar32 to = config.ascii_leet()[c];
        if (to != 0 && to < 0x80 && IsLetter(c)) t[i] = static_cast<char>(to);
      }
    }
    StandInPlaces found;
    if (known == nullptr) {
      FindStandIns(config, t, n, &found);
      known = &found;
    }
    const uint32_t* const stand_ins = known->at;
    const int stand_in_count = known->count;
    const bool many_stand_ins = known->more;
    auto at = [t](size_t i) { return static_cast<UChar32>(t[i] & 0x7F); };
    auto fold_token = [&](size_t first, size_t last) {
      bool has_letter = false;
      for (size_t i = first; i < last; ++i) has_letter |= IsLetter(t[i]);
      int code = -1;  // IsShortCode(), computed when first needed.
      for (size_t i = first; i < last; ++i) {
        const UChar32 c = static_cast<uint8_t>(t[i]);
        const UChar32 to = config.ascii_leet()[c];
        if (to == 0 || to >= 0x80 || IsLetter(c)) continue;
        if (code < 0) code = IsShortCode(at, n, first, last, config);
        if (StandsIn(at, n, i, first, last, config.ascii_where()[c], to,
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
      done = last + 1;
      if (KeepsLettersThenSymbol(config, t, folds, first, last)) continue;
      fold_token(first, last);
      if (KeepsLetters(config, t, folds, first, last)) continue;
      ReadAsciiTermWords(config, t, folds, n, first, last);
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
  auto join_of = [&](size_t i) { return config.ascii_joins()[t[i] & 0x7F]; };
  size_t w = 0;  // Bytes before w are written; w <= r.
  for (size_t r = 0; r < n;) {
    const uint8_t join = join_of(r);
    // As in ApplyJoinsAndSequences(): a mask is a letter to a separator,
    // and a stand-in to a dropped apostrophe.
    auto word = [&](char ch) {
      const UChar32 c = ch & 0x7F;
      return IsWordOrMask(c) ||
             (join == FoldConfig::kJoinDrop && config.ascii_stand_in()[c]);
    };
    // As in ApplyJoinsAndSequences(): a stand-in is a letter to a
    // separator where it touches a word character ("$_end", "m3_@_p1c").
    auto real_word = [&](size_t i) {
      return IsWord(t[i] & 0x7F) && join_of(i) == FoldConfig::kJoinNone;
    };
    auto stand_in = [&](size_t i) {
      return config.ascii_stand_in()[t[i] & 0x7F] != 0;
    };
    // The folds of separators [r, e), which a join reports as spacing.
    auto separator_folds = [&](size_t e) {
      uint16_t f = kFoldSpacing;
      for (size_t k = r; k < e; ++k) f |= folds[k];
      return f;
    };
    // Writes one space for separators [r, e).
    auto write_space = [&](size_t e) {
      t[w] = ' ';
      begin[w] = begin[r];
      end[w] = end[e - 1];
      folds[w] = separator_folds(e);
      ++w;
    };
    auto separates_stand_in = [&](size_t after) {
      return SeparatesStandIn(
          w, after, n, real_word, stand_in,
          [&](size_t k) { return t[k] == ' ' && (folds[k] & kFoldSpacing); },
          [&](size_t k) { return join_of(k) == FoldConfig::kJoinSpace; });
    };
    if (join != FoldConfig::kJoinNone && w > 0 &&
        (word(t[w - 1]) || stand_in(w - 1)) &&
        config.ascii_joins()[t[w - 1] & 0x7F] == FoldConfig::kJoinNone) {
      // As in ApplyJoinsAndSequences(): a run of joins with a space among
      // them is a space ("t_'_s").
      size_t e = r + 1;
      uint8_t run = join;
      for (; e < n && join_of(e) != FoldConfig::kJoinNone; ++e)
        run |= join_of(e);
      const uint8_t as = (run & FoldConfig::kJoinSpace) ? FoldConfig::kJoinSpace
                                                        : FoldConfig::kJoinDrop;
      if (e < n && join_of(e) == FoldConfig::kJoinNone &&
          ((word(t[w - 1]) && word(t[e])) ||
           (as == FoldConfig::kJoinSpace && separates_stand_in(e))) &&
          (as == FoldConfig::kJoinSpace || e == r + 1)) {
        if (as == FoldConfig::kJoinDrop) {
          end[w - 1] = end[e - 1];
          folds[w - 1] |= separator_folds(e);
        } else {
          write_space(e);
        }
        r = e;
        continue;
      }
    }
    // As in ApplyJoinsAndSequences(): separators between a word character
    // and a mark.
    if (join == FoldConfig::kJoinSpace && w > 0) {
      size_t e = r + 1;
      while (e < n && join_of(e) == FoldConfig::kJoinSpace) ++e;
      auto at = [&](size_t k) -> UChar32 { return k < n ? t[k] & 0x7F : -1; };
      const UChar32 before = t[w - 1] & 0x7F;
      const bool word_before = IsWord(before) && config.ascii_joins()[before] ==
                                                     FoldConfig::kJoinNone;
      const bool word_after =
          e < n && IsWord(at(e)) && join_of(e) == FoldConfig::kJoinNone;
      if (e < n &&
          ((word_before && IsMarkBesideSeparator(at(e), at(e + 1), config)) ||
           (word_after && IsMarkBesideSeparator(before, at(r), config)))) {
        write_space(e);
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

// FoldAscii()'s test for text NFKC made ASCII (`original` is not): whether
// a letter of `base` was written as a look-alike that reads otherwise.
// Out of line and cold: most text is ASCII as written.
[[gnu::noinline, gnu::cold]] bool HasLookAlikeReadOtherwise(
    std::string_view original, const NormalizedText& base) {
  const std::string& text = base.text;
  const CodePointInfo& infos = CodePointInfo::Get();
  for (size_t i = 0; i < text.size(); ++i) {
    const uint32_t begin = base.begin[i], end = base.end[i];
    const UChar32 c = static_cast<uint8_t>(text[i]);
    if (end - begin < 2 || !(c == ' ' || IsLetter(c))) continue;
    const UChar32 w = WrittenAt(original, begin, end);
    if (w < 0x80) continue;
    if (w == kYpogegrammeni) return true;
    const uint32_t written = infos.Of(w);
    const UChar32 to = CodePointInfo::Homoglyph(written);
    if (c != ' ' &&
        ((to != 0 && to != c) || (written & CodePointInfo::kCapitalI))) {
      return true;
    }
  }
  return false;
}

// FoldAscii()'s kFoldInvisible: sets folds[i] where the span of byte i of
// `base` in `original` hides bytes. Out of line and cold: text typed in
// ASCII (most) hides none.
[[gnu::noinline, gnu::cold]] void MarkHiddenBytes(std::string_view original,
                                                  const NormalizedText& base,
                                                  uint16_t* folds) {
  for (size_t i = 0; i < base.text.size(); ++i) {
    if (HasHiddenBytes(original, base.begin[i], base.end[i], 1)) {
      folds[i] = kFoldInvisible;
    }
  }
}

}  // namespace

bool FoldAscii(std::string_view original, const NormalizedText& base,
               const FoldConfig& config, FoldedView* out) {
  const std::string& text = base.text;
  const size_t n = text.size();
  if (!IsAllAscii(text.data(), n)) return false;
  // A letter or space NFKC made of a look-alike that reads otherwise as
  // written ("Ｉ", "ſ", "ͺ") is FoldBase()'s.
  if ((config.enabled & kFoldHomoglyph) && original.size() != n &&
      HasLookAlikeReadOtherwise(original, base)) {
    return false;
  }
  // Sequences ("|-|") are FoldBase()'s: they change the view's length, and
  // text that has one is rare. Joins (apostrophes, "_") are not rare.
  const bool leet = (config.enabled & kFoldLeetspeak) && !config.leet().empty();
  const bool sequences =
      (config.enabled & kFoldLeetspeak) && !config.sequences().empty();
  const bool spacing = config.enabled & kFoldSpacing;
  bool joins = false;
  // Without a stand-in or a letter in the leetspeak map, leetspeak has
  // nothing to fold; unknown unless the loop below runs.
  bool stand_ins = !(sequences || spacing) || config.ascii_letter_leet();
  StandInPlaces places;
  bool surveyed = false;  // Whether `places` holds the stand-ins of `text`.
  if (sequences || spacing) {
    // One lookup per byte; the bytes that start a sequence are rare. Where
    // letters and spaces, most bytes, survey as nothing, they are passed
    // over 8 at a time.
    // The survey also notes where the stand-ins are (kSurveyStandIn), for
    // FoldAsciiLeet(): it passes over no byte that may be one.
    uint8_t survey = 0;
    size_t i = 0;
    auto look_at = [&](size_t k) {
      const uint8_t bits = config.ascii_survey()[static_cast<uint8_t>(text[k])];
      survey |= bits;
      if (bits & FoldConfig::kSurveyStandIn) places.Add(k);
    };
    if (config.survey_skips_letters()) {
      if constexpr (std::endian::native == std::endian::little) {
        for (; i + 8 <= n; i += 8) {
          uint64_t others = ~LettersAndSpaces8(text.data() + i, false) & 0xFF;
          for (; others != 0; others &= others - 1) {
            look_at(i + std::countr_zero(others));
          }
        }
      }
    }
    for (; i < n; ++i) look_at(i);
    surveyed = true;
    joins = survey & FoldConfig::kSurveyJoin;
    stand_ins |= (survey & FoldConfig::kSurveyStandIn) != 0;
    if (sequences && (survey & FoldConfig::kSurveySequenceFirst)) {
      for (size_t i = 0; i < n; ++i) {
        if (config.sequence_first()[static_cast<uint8_t>(text[i])] &&
            AsciiSequenceAt(text, i, config) != nullptr) {
          return false;
        }
      }
    }
  }
  out->text = text;
  out->begin.resize(n);
  out->end.resize(n);
  out->folds.resize(n);
  uint32_t* const begin = out->begin.data();
  uint32_t* const end = out->end.data();
  uint16_t* const folds = out->folds.data();
  WriteByteOffsets(begin, n, 0);
  WriteByteOffsets(end, n, 1);
  if (n != 0) std::memset(folds, 0, n * sizeof(uint16_t));  // May be null.
  // An invisible character is not ASCII: text typed in ASCII (most) hides
  // none, and MarkHiddenBytes(), one test per byte, is left out.
  if ((config.enabled & kFoldInvisible) &&
      !IsAllAscii(original.data(), original.size())) {
    MarkHiddenBytes(original, base, folds);
  }
  if (joins && spacing) {
    ApplyAsciiJoins(config, out);
    surveyed = false;  // The joins moved them.
  }
  // FoldAsciiLeet() folds letters (ascii_letter_leet()) before it looks
  // for stand-ins: then it looks for them itself.
  if (leet && stand_ins) {
    FoldAsciiLeet(config,
                  surveyed && !config.ascii_letter_leet() ? &places : nullptr,
                  out);
  }
  return true;
}

}  // namespace watchword
