#include "src/normalize/view_transforms.h"

#include <algorithm>
#include <bit>
#include <string>

#include "absl/strings/string_view.h"
#include "src/normalize/ascii_bytes16.h"
#include "src/normalize/ascii_bytes8.h"
#include "src/normalize/disguise_table.h"
#include "src/normalize/fold_chars.h"
#include "src/normalize/vocabulary.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

// Whether a run of `c` is a stretched stand-in that SqueezeRepeats() cuts
// to one ("thi$$$$$", "m€€€", "pi<<<<"): a symbol of the leetspeak map.
// Digits stay: "1000" is a number. So does "!": "forever!!!" is no
// stretched "foreveri", and a squeezed view for it would make "met" of
// "i met you" meet "meet" (sms_ham).
bool SqueezesAsStandIn(UChar32 c, const FoldConfig& config) {
  return c >= 0 && c != '!' && !IsSpace(c) && !IsDigit(c) && !IsLetter(c) &&
         config.Leet(c) != 0;
}

}  // namespace

bool MaySqueeze(std::string_view folded, const FoldConfig* config) {
  // Runs on every ASCII message: no branch on the data and no early exit,
  // so that the compiler reads 16 bytes a step.
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  const size_t n = folded.size();
  uint8_t found = 0;
  if (config == nullptr) {
    for (size_t i = 0; i + 2 < n; ++i) {
      const uint8_t c = p[i];
      found |= (c == p[i + 1]) & (c == p[i + 2]) &
               (static_cast<uint8_t>((c | 0x20) - 'a') < 26);
    }
    return found != 0;
  }
  // With a config, as cheaply: a run of three of anything but spaces, dots
  // (the padding of bench/ messages) and "!", then, in the rare text that
  // has one, the exact check below.
#if WATCHWORD_USE_SSE2
  // 16 starts a step, the last step overlapping the one before: a tenth of
  // the code of the loop below, which the compiler vectorizes itself, and
  // fewer instructions.
  if (n >= 18) {
    const __m128i dot = _mm_set1_epi8('.');
    const __m128i quote = _mm_set1_epi8('"');
    __m128i any = _mm_setzero_si128();
    for (size_t i = 0;; i += 16) {
      if (i + 18 > n) i = n - 18;
      const __m128i a =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i b =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
      const __m128i c =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 2));
      // Byte k: bytes k to k + 2 are one byte, above '!' and no '.'.
      const __m128i same =
          _mm_and_si128(_mm_cmpeq_epi8(a, b), _mm_cmpeq_epi8(a, c));
      const __m128i above = _mm_cmpeq_epi8(_mm_max_epu8(a, quote), a);
      any = _mm_or_si128(any, _mm_andnot_si128(_mm_cmpeq_epi8(a, dot),
                                               _mm_and_si128(same, above)));
      if (i + 18 == n) break;
    }
    found = _mm_movemask_epi8(any) != 0;
  } else
#endif
  {
    for (size_t i = 0; i + 2 < n; ++i) {
      const uint8_t c = p[i];
      found |= (c == p[i + 1]) & (c == p[i + 2]) & (c > '!') & (c != '.');
    }
  }
  if (found == 0) return false;
  // Stretched letters, or stretched stand-ins beside a letter, as
  // SqueezeRepeats() looks for them.
  auto letter = [&](size_t i) {
    return static_cast<uint8_t>((p[i] | 0x20) - 'a') < 26;
  };
  for (size_t i = 0; i + 2 < n; ++i) {
    const uint8_t c = p[i];
    if (c != p[i + 1] || c != p[i + 2]) continue;
    if (letter(i)) return true;
    if (SqueezesAsStandIn(c, *config) &&
        ((i > 0 && letter(i - 1)) || (i + 3 < n && letter(i + 3)))) {
      return true;
    }
  }
  return false;
}

#if !WATCHWORD_USE_SSE2
namespace {

// For 8 bytes at `p`: bit k of the result is set if byte k is an ASCII
// letter or digit (`alnum`), or a space (`space`) (ascii_bytes8.h).
// REQUIRES: little-endian.
void AlnumAndSpaceMask8(const uint8_t* p, uint64_t* alnum, uint64_t* space) {
  const uint64_t raw = bytes8::Load(p);
  const uint64_t ascii = bytes8::Ascii(raw);
  const uint64_t x = bytes8::Low7(raw);
  const uint64_t alnum_high = bytes8::Letters(x) | bytes8::InRange(x, '0', '9');
  *alnum = bytes8::Gather8(alnum_high & ascii);
  *space = bytes8::Gather8(bytes8::Equals(x, ' ') & ascii);
}

}  // namespace
#endif

// Runs on every message, so written without a branch per byte: a
// mispredicted branch per word cost three times the rest of the loop. A
// mask of 64 bytes at a time holds the word characters, in which the
// single characters are the one bits with a zero bit either side. Letters,
// digits and spaces, most bytes, are found 8 at a time; the table is
// looked up for the other bytes only.
bool MayJoin(std::string_view folded, const FoldConfig& config) {
  // Three single characters (letters, digits or leetspeak symbols with no
  // word character but "_", or candidate, beside them) are needed for any
  // run, or two and an apostrophe, or two that spell a chat-speak word
  // ("b f"; FoldConfig::SpellsPair()).
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  const size_t n = folded.size();
  auto blocks = [&](uint8_t c) -> uint64_t {
    return (c >> 7) | config.ascii_blocks()[c & 0x7F];
  };
  // A stand-in only term words make a letter blocks nothing but may be a
  // single (JoinRuns()): `weak`, its bits.
  auto weak_at = [&](uint8_t c) -> uint64_t {
    return c < 0x80 && !config.ascii_blocks()[c] && c != ' ' && c != '_' &&
           config.ascii_leet()[c] != 0;
  };
  // Letters and digits block (ascii_blocks()); a space does not.
  auto mask_of = [&](size_t block, size_t size, uint64_t* weak) {
    uint64_t mask = 0, others = 0;
    size_t k = 0;
#if WATCHWORD_USE_SSE2
    for (; k + 16 <= size; k += 16) {
      const __m128i x = bytes16::Load(p + block + k);
      const uint64_t alnum = bytes16::Gather16(
          _mm_or_si128(bytes16::Letters(x), bytes16::InRange(x, '0', '9')));
      const uint64_t space = bytes16::Gather16(bytes16::Equals(x, ' '));
      mask |= alnum << k;
      others |= (~(alnum | space) & 0xFFFF) << k;
    }
#else
    // Without SSE2, 8 at a time. (With it, the last 0 to 15 bytes of a
    // text go to the table below, which reads letters, digits and spaces
    // as the masks do: less code on every message.)
    if constexpr (std::endian::native == std::endian::little) {
      for (; k + 8 <= size; k += 8) {
        uint64_t alnum, space;
        AlnumAndSpaceMask8(p + block + k, &alnum, &space);
        mask |= alnum << k;
        others |= (~(alnum | space) & 0xFF) << k;
      }
    }
#endif
    for (; k < size; ++k) others |= uint64_t{1} << k;
    *weak = 0;
    for (; others != 0; others &= others - 1) {
      const int k = std::countr_zero(others);
      // A "$" before a digit is no letter and blocks nothing (JoinRuns():
      // "($3" can be two of a run).
      const size_t at = block + k;
      if (p[at] == '$' && at + 1 < n && p[at + 1] >= '0' && p[at + 1] <= '9') {
        continue;
      }
      mask |= blocks(p[at]) << k;
      *weak |= weak_at(p[block + k]) << k;
    }
    return mask;
  };
  // Counted up to 3 only: a count of them all was a call to libgcc's
  // __popcountdi2 per block (no POPCNT in the baseline x86-64 ISA).
  int singles = 0;
  size_t pair[2] = {0, 0};  // Where the first two singles are.
  uint64_t last = 0;  // The bit of the byte before this block.
  for (size_t block = 0; block < n; block += 64) {
    const size_t size = n - block < 64 ? n - block : 64;
    uint64_t weak;
    const uint64_t mask = mask_of(block, size, &weak);
    const uint64_t next = block + 64 < n ? blocks(p[block + 64]) : 0;
    const uint64_t before = (mask << 1) | last;
    const uint64_t after = (mask >> 1) | (next << 63);
    for (uint64_t single = (mask | weak) & ~before & ~after; single != 0;
         single &= single - 1) {
      if (singles == 2) return true;
      pair[singles++] = block + std::countr_zero(single);
    }
    last = mask >> 63;
  }
  if (singles < 2) return false;
  // Two make a run around an apostrophe ("i.'.m"; JoinSpacedLetters()).
  for (size_t i = 0; i < n; ++i) {
    if (config.ascii_joins()[p[i] & 0x7F] == FoldConfig::kJoinDrop) return true;
  }
  return config.SpellsPair(p[pair[0]], p[pair[1]]);
}

bool MayJoinAsciiView(const FoldedView& view, const FoldConfig& config) {
  // MayJoin() counts singles in the whole text; a run and a stretch of
  // pieces hold theirs between two words of 5 letters or more, which end
  // both ("i think i can go later i": "think" and "later" part the three).
  // Byte by byte: this runs only on texts MayJoin() passes (3% of benign
  // ones). The singles are MayJoin()'s, which JoinRuns()' and
  // JoinSpacedPieces()' are among where leetspeak is on; a few more (a
  // stand-in before a "$5") make no wrong answer, only a "true".
  if (!(config.enabled & kFoldLeetspeak)) return true;
  const auto* p = reinterpret_cast<const uint8_t*>(view.text.data());
  const size_t n = view.text.size();
  auto blocks = [&](size_t i) {
    return i < n && ((p[i] >> 7) | config.ascii_blocks()[p[i] & 0x7F]) &&
           !(p[i] == '$' && i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9');
  };
  bool drop = false;   // An apostrophe: two singles may make a run.
  bool pairs = false;  // A part with two singles.
  int singles = 0;     // In this part.
  size_t pair[2] = {0, 0};
  size_t letters = 0;    // Letters in a row up to here.
  bool before = false;   // Whether byte i - 1 blocks,
  bool here = blocks(0);  // byte i.
  for (size_t i = 0; i < n; ++i) {
    const uint8_t c = p[i];
    const bool after = blocks(i + 1);
    // Not ASCII, or a space the folds made between two characters
    // (HasInWordSeparator()): the views after joins need the units.
    if (c >= 0x80 || (c == ' ' && (view.folds[i] & kFoldSpacing) && i > 0 &&
                      i + 1 < n && p[i - 1] != ' ' && p[i + 1] != ' ')) {
      return true;
    }
    drop |= config.ascii_joins()[c] == FoldConfig::kJoinDrop;
    letters = static_cast<uint8_t>((c | 0x20) - 'a') < 26 ? letters + 1 : 0;
    if (letters == 5) {
      pairs |= singles == 2;
      singles = 0;
    }
    const bool weak = c != ' ' && c != '_' && config.ascii_leet()[c] != 0;
    if ((here || weak) && !before && !after) {
      if (singles == 2) return true;
      pair[singles++] = i;
      if (singles == 2 && config.SpellsPair(p[pair[0]], c)) return true;
    }
    before = here;
    here = after;
  }
  return (pairs || singles == 2) && drop;
}

bool SqueezeRepeats(const FoldUnits& in, bool force, FoldUnits* out,
                    const FoldConfig* config) {
  out->clear();
  auto stand_in = [&](const FoldUnit& u) {
    return config != nullptr && !(u.kind & kUnitLetter) &&
           SqueezesAsStandIn(u.c, *config);
  };
  if (!force) {
    // Letters stretched, or stand-ins stretched beside a letter ("thi$$$$$";
    // "$$$" alone is money).
    auto letter = [&](size_t i) { return (in[i].kind & kUnitLetter) != 0; };
    const size_t n = in.size();
    bool stretched = false;
    for (size_t i = 0; i + 2 < n && !stretched; ++i) {
      stretched = in[i].c == in[i + 1].c && in[i].c == in[i + 2].c &&
                  (letter(i) ||
                   (stand_in(in[i]) &&
                    ((i > 0 && letter(i - 1)) || (i + 3 < n && letter(i + 3)))));
    }
    if (!stretched) return false;
  }
  // A run of masks after a letter hides letters stretched with the rest
  // ("m****et upppp" of "meeeeet uppp"): it is cut to one mask, as a run of
  // letters is (MaskedSqueezedPhraseRegex() gives a double letter one or
  // two places).
  auto masks_in_word = [&](size_t i) {
    return in[i].c == '*' && i > 0 && (in[i - 1].kind & kUnitLetter);
  };
  for (size_t i = 0; i < in.size();) {
    size_t j = i + 1;
    while (j < in.size() && in[j].c == in[i].c) ++j;
    if ((j - i >= 2 && ((in[i].kind & kUnitLetter) || masks_in_word(i))) ||
        (j - i >= 3 && stand_in(in[i]))) {
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

bool SqueezeStandIns(const FoldUnits& in, const FoldConfig& config,
                     FoldUnits* out) {
  out->clear();
  bool cut = false;
  const size_t n = in.size();
  auto letter = [&](size_t i) { return (in[i].kind & kUnitLetter) != 0; };
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && in[j].c == in[i].c) ++j;
    if (j - i >= 3 && !letter(i) && SqueezesAsStandIn(in[i].c, config) &&
        ((i > 0 && letter(i - 1)) || (j < n && letter(j)))) {
      if (!cut) out->assign(in.begin(), in.begin() + i);
      cut = true;
      FoldUnit unit = in[i];
      unit.end = in[j - 1].end;
      unit.folds |= kFoldRepeat;
      for (size_t k = i + 1; k < j; ++k) unit.folds |= in[k].folds;
      out->push_back(unit);
    } else if (cut) {
      out->insert(out->end(), in.begin() + i, in.begin() + j);
    }
    i = j;
  }
  if (!cut) out->clear();
  return cut;
}

namespace {

bool IsMask(UChar32 c) { return c == '*' || c == '#'; }

// JoinSpacedLetters(), or with `masked_words` JoinMaskedLetters().
bool JoinRuns(const FoldUnits& in, const FoldConfig& config,
              const Vocabulary* masked_words, TransformScratch* scratch,
              FoldUnits* out, bool keep_numbers, bool keep_word_spaces) {
  constexpr size_t kMaxGap = 3;      // Separators between two letters.
  constexpr size_t kMinLetters = 3;  // "u r" stays two words.
  constexpr size_t kMinRealLetters = 2;  // "5 5 5" stays a number.
  if (masked_words == nullptr) {
    scratch->joined_number = false;
    scratch->joined_words = false;
  }
  const bool leet = config.enabled & kFoldLeetspeak;
  // Per unit, computed once: bit 1, a candidate (a letter, or a digit or
  // symbol that leetspeak maps to one); bit 2, it blocks a neighbour from
  // being a single letter (word characters and candidates).
  std::vector<uint8_t>& kinds = scratch->kinds;
  kinds.resize(in.size());
  // Local pointers: through the vectors the compiler reloads them on every
  // iteration.
  uint8_t* const kind = kinds.data();
  const FoldUnit* const units = in.data();
  bool any_single = false;
  bool any_apostrophe = false;
  bool any_digit = false;
  // Bit 4: an apostrophe ("d.o.n'.t", "w.h.a.tʼ.s"; U+02BC is a letter),
  // which neither is a letter of the run nor blocks one, and does not
  // count towards the gap it sits in.
  for (size_t i = 0, n = in.size(); i < n; ++i) {
    const UChar32 c = units[i].c;
    if (masked_words != nullptr && IsMask(c)) {
      kind[i] = 1 | 2;  // A letter of the run, though not a real one.
      continue;
    }
    if (config.Join(c) == FoldConfig::kJoinDrop) {
      kind[i] = 4;
      any_apostrophe = true;
      continue;
    }
    // A currency sign before a digit ("$1 0 0") is no letter: the number
    // it starts may go on spaced out.
    const bool currency = (c == '$' || c == 0xA3 || c == 0x20AC) &&
                          i + 1 < n && IsDigit(units[i + 1].c);
    // With `keep_numbers` every digit is one of a run ("a t 1 2 o a k"),
    // even one that stands for no letter.
    const bool digit = c >= '0' && c <= '9';
    any_digit |= digit;
    const bool is_candidate =
        (units[i].kind & kUnitLetter) || (keep_numbers && digit) ||
        (leet && !currency && !IsSpace(c) && config.PlaceMakesLetter(c));
    // "_" is a word character, but among spaced-out letters a separator
    // like any other: the folds make it a space only between two letters,
    // so beside an apostrophe or a mark ("t_'_s", "r,_d") it is still here.
    const bool word = (units[i].kind & kUnitWord) && c != '_';
    // A stand-in only term words make a letter ("(", "<", "#") is a letter
    // of a run where it stands single among its letters ("p.i.<", "w e b (
    // @ m"), but blocks no neighbour: "(t)(u)(r)(n)" stays spaced letters.
    const bool weak = !is_candidate && !word && leet && !IsSpace(c) &&
                      config.Leet(c) != 0;
    kind[i] = (is_candidate || weak ? 1 : 0) | ((is_candidate || word) ? 2 : 0);
  }
  auto candidate = [&](size_t i) { return (kind[i] & 1) != 0; };
  auto blocks = [&](size_t i) { return (kind[i] & 2) != 0; };
  auto apostrophe = [&](size_t i) { return (kind[i] & 4) != 0; };
  auto single = [&](size_t i) {
    return candidate(i) && (i == 0 || !blocks(i - 1)) &&
           (i + 1 == in.size() || !blocks(i + 1));
  };
  // Most text has no run at all; count singles before doing more. Two
  // letters make a run around an apostrophe ("i.'.m"): "u r" stays two
  // words, but "i'm" is one.
  const size_t min_letters =
      any_apostrophe || config.has_spelled_pairs() ? 2 : kMinLetters;
  size_t singles = 0;
  for (size_t i = 0; i < in.size() && singles < min_letters; ++i) {
    singles += single(i);
  }
  any_single = singles >= min_letters;
  if (!any_single) {
    out->clear();
    return false;
  }
  out->clear();
  bool found = false;
  size_t copied = 0;  // in[0, copied) is already in *out (when found).
  std::vector<size_t>& letters = scratch->letters;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!single(i)) continue;
    letters.assign(1, i);
    size_t k = i + 1;
    bool run_quoted = false;
    while (true) {
      size_t gap = 0, units_in_gap = 0;
      bool quoted = false;  // One apostrophe per gap.
      // A single that blocks nothing ("(" in "w e b ( a m") ends the gap.
      while (k < in.size() && !blocks(k) && !single(k) && gap <= kMaxGap) {
        if (apostrophe(k) && !quoted) {
          quoted = true;
          gap = 0;  // "t. '. s": up to kMaxGap on either side.
        } else if (!(units_in_gap > 0 && IsPictographic(units[k].c) &&
                     IsPictographic(units[k - 1].c))) {
          ++gap;  // A row of emoji is one separator: "g. 👠🚷i".
        }
        ++k;
        ++units_in_gap;
      }
      if (units_in_gap == 0 || gap > kMaxGap || k >= in.size() || !single(k)) {
        break;
      }
      run_quoted |= quoted;
      letters.push_back(k);
      ++k;
    }
    size_t real = 0;
    for (size_t l : letters) real += in[l].kind & kUnitLetter;
    // Two letters alone that spell a chat-speak word ("b f", "b-f", "b. f"
    // for "bf"), unless a comma lists them ("grades b, f").
    auto spelled_pair = [&] {
      if (letters.size() != 2 || masked_words != nullptr ||
          !config.SpellsPair(in[letters[0]].c, in[letters[1]].c)) {
        return false;
      }
      for (size_t g = letters[0] + 1; g < letters[1]; ++g) {
        if (in[g].c == ',' || in[g].c == ';') return false;
      }
      return true;
    };
    if ((letters.size() < (run_quoted ? 2 : kMinLetters) &&
         !spelled_pair()) ||
        real < kMinRealLetters) {
      i = letters.back();
      continue;
    }
    std::vector<uint8_t>& word_start = scratch->word_start;
    if (masked_words != nullptr) {
      // The run as the vocabulary reads it: masks, ASCII letters and
      // digits; anything else is no word's letter.
      std::string& run = scratch->word;
      run.clear();
      bool masked = false;
      for (size_t l : letters) {
        UChar32 c = in[l].c;
        if (IsMask(c)) {
          masked = true;
          c = '*';
        } else if (!(in[l].kind & kUnitLetter)) {
          c = config.Leet(c);
        }
        const bool ascii = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        run.push_back(ascii || c == '*' ? static_cast<char>(c) : '?');
      }
      found |= masked;
      if (!masked_words->SplitMaskedRun(run, &word_start)) {
        word_start.assign(letters.size(), 0);
      }
    } else {
      found = true;
    }
    out->insert(out->end(), in.begin() + copied, in.begin() + letters[0]);
    // With `keep_numbers`, digits of the run are a number ("1 0 0 0 r o b
    // u x", "m y n u m b e r 5 5 5 0 1 0 0"), not leetspeak: they stay
    // digits, as they would typed together.
    size_t digits_end = 0;  // letters[l, digits_end) are digits,
    bool number = false;    // and there is one at least.
    auto digit = [&](size_t l) {
      return in[letters[l]].c >= '0' && in[letters[l]].c <= '9';
    };
    // Letters dotted within words and spaced between them ("u s.h.o.u.l.d
    // t.e.l.l", "s. e. n. d m. e"): where most gaps of the run hold no
    // space, a gap with one is between words; where most hold more than
    // spaces, a gap of spaces alone is. With `keep_word_spaces` such gaps
    // stay as they are; scratch->joined_words says a run has one. (Where
    // most gaps are spaces, "y o u $1 0 0", the others are no sign.)
    // So is a space the folds made of emoji between two letters
    // ("h.e.r.e.s📼m.y"), which spans more than the one byte of "_".
    auto real_space = [&](size_t g) {
      return IsSpace(in[g].c) && (!(in[g].folds & kFoldSpacing) ||
                                  in[g].end - in[g].begin > 1);
    };
    auto gap_has = [&](size_t l, bool only) {
      for (size_t g = letters[l] + 1; g < letters[l + 1]; ++g) {
        if (real_space(g) != only) return !only;
      }
      return only;
    };
    size_t with_space = 0, only_space = 0;
    const size_t gaps = letters.size() - 1;
    if (masked_words == nullptr) {
      for (size_t l = 0; l < gaps; ++l) {
        with_space += gap_has(l, false);
        only_space += gap_has(l, true);
      }
    }
    auto between_words = [&](size_t l) {
      if (masked_words != nullptr) return false;
      if (2 * with_space < gaps) return gap_has(l, false);
      if (2 * only_space < gaps) return gap_has(l, true);
      return false;
    };
    for (size_t l = 0; l < gaps && !scratch->joined_words; ++l) {
      scratch->joined_words = between_words(l);
    }
    for (size_t l = 0; l < letters.size(); ++l) {
      if (masked_words == nullptr && l >= digits_end) {
        digits_end = l;
        while (digits_end < letters.size() && digit(digits_end)) ++digits_end;
        // Any digits of a run may be a number ("g r a d e 7 a t", "1 2
        // o a k"), as they may be letters ("c 0 0 l"): the second reading
        // keeps them.
        number = keep_numbers && digits_end > l;
        if (digits_end == l) digits_end = l + 1;
      }
      FoldUnit unit = in[letters[l]];
      unit.folds |= kFoldSpacing;
      if (masked_words != nullptr && IsMask(unit.c)) {
        SetChar(&unit, kMaskChar);
        unit.folds |= kFoldMask;
      } else if (!(unit.kind & kUnitLetter) && !number) {
        SetChar(&unit, config.Leet(unit.c));
        unit.folds |= kFoldLeetspeak;
      }
      if (l + 1 < letters.size()) {
        // The separators up to the next letter belong to this one, or to a
        // space where the next letter starts a word.
        const FoldUnit& first = in[letters[l] + 1];
        const FoldUnit& last = in[letters[l + 1] - 1];
        uint16_t gap_folds = 0;
        for (size_t g = letters[l] + 1; g < letters[l + 1]; ++g) {
          gap_folds |= in[g].folds;
        }
        if (masked_words != nullptr && word_start[l + 1]) {
          out->push_back(unit);
          unit = MakeUnit(' ', first.begin, last.end,
                          static_cast<uint16_t>(gap_folds | kFoldSpacing));
        } else if (keep_word_spaces && between_words(l)) {
          out->push_back(unit);
          out->insert(out->end(), in.begin() + letters[l] + 1,
                      in.begin() + letters[l + 1] - 1);
          unit = last;
        } else {
          unit.end = last.end;
          unit.folds |= gap_folds;
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
  // A digit in or beside a run may be a number where this reading made it
  // a letter or left it out ("a t 1 2 o a k", where "2" is no letter).
  if (masked_words == nullptr && !keep_numbers) {
    scratch->joined_number = any_digit;
  }
  out->insert(out->end(), in.begin() + copied, in.end());
  return true;
}

}  // namespace

bool JoinSpacedLetters(const FoldUnits& in, const FoldConfig& config,
                       TransformScratch* scratch, FoldUnits* out,
                       bool keep_numbers, bool keep_word_spaces) {
  return JoinRuns(in, config, nullptr, scratch, out, keep_numbers,
                  keep_word_spaces);
}

bool JoinMaskedLetters(const FoldUnits& in, const FoldConfig& config,
                       const Vocabulary& vocabulary, TransformScratch* scratch,
                       FoldUnits* out) {
  // Most text that reaches here (any text with a mask byte, and any text
  // not in ASCII) has no mask between separators: look before joining.
  // "_" is a separator there, as in JoinRuns ("o_*_r").
  auto separator = [&in](size_t i) {
    return !(in[i].kind & kUnitWord) || in[i].c == '_';
  };
  bool spaced_mask = false;
  for (size_t i = 0, n = in.size(); i < n && !spaced_mask; ++i) {
    spaced_mask = IsMask(in[i].c) && ((i > 0 && separator(i - 1)) ||
                                      (i + 1 < n && separator(i + 1)));
  }
  if (!spaced_mask || vocabulary.empty()) {
    out->clear();
    return false;
  }
  return JoinRuns(in, config, &vocabulary, scratch, out,
                  /*keep_numbers=*/false, /*keep_word_spaces=*/false);
}

bool ReadAmbiguousRuns(const FoldConfig& config, const Vocabulary& vocabulary,
                       TransformScratch* scratch, FoldUnits* units) {
  if (vocabulary.empty() || config.ambiguous_letters() == 0) return false;
  auto ambiguous = [&config](const FoldUnit& u) {
    return (u.folds & kFoldLeetspeak) && u.c >= 'a' && u.c <= 'z' &&
           config.OtherLetter(static_cast<char>(u.c)) != 0;
  };
  auto letter = [](const FoldUnit& u) { return u.c >= 'a' && u.c <= 'z'; };
  bool changed = false;
  FoldUnit* const u = units->data();
  for (size_t i = 0, n = units->size(); i < n;) {
    if (!letter(u[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    bool any = false;
    for (; j < n && letter(u[j]); ++j) any |= ambiguous(u[j]);
    if (any) {
      std::string& run = scratch->word;
      std::string& other = scratch->before;
      run.clear();
      other.clear();
      for (size_t k = i; k < j; ++k) {
        run.push_back(static_cast<char>(u[k].c));
        other.push_back(ambiguous(u[k])
                            ? config.OtherLetter(static_cast<char>(u[k].c))
                            : '\0');
      }
      if (vocabulary.ReadAmbiguousRun(other, &run)) {
        for (size_t k = i; k < j; ++k) {
          if (u[k].c != run[k - i]) SetChar(&u[k], run[k - i]);
        }
        changed = true;
      }
    }
    i = j;
  }
  return changed;
}

namespace {

// A space the folds made from a separator (a real space has no fold)
// between two characters: the folds make one only between word characters
// ("se😀nd", "$2😀0"), leetspeak stand-ins beside one ("$😀end") or masks
// ("p😀*c").
// Or an emoji the folds left as typed between two ASCII symbols, with no
// word character beside it ("|⚾$" of "is"): a word of stand-ins, read
// as one once whole (ReadStandIns()).
bool IsInWordSeparator(const FoldUnit* units, size_t i, size_t n) {
  const UChar32 c = units[i].c;
  if (c == ' ') {
    return (units[i].folds & kFoldSpacing) && i > 0 && i + 1 < n &&
           !IsSpace(units[i - 1].c) && !IsSpace(units[i + 1].c);
  }
  if (c < 0x80 || i == 0 || i + 1 >= n) return false;
  auto symbol = [](UChar32 s) {
    return s > ' ' && s < 0x7F && !(kAsciiUnitKinds[s] & kUnitWord);
  };
  return symbol(units[i - 1].c) && symbol(units[i + 1].c) &&
         IsPictographic(c);
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

// The word of `in` that ends before `i` (`after` false) or starts after
// `j` (`after` true), past the spaces and punctuation between, as UTF-8
// into *word; empty at the text's edge.
void NeighbourWord(const FoldUnits& in, size_t i, size_t j, bool after,
                   std::string* word) {
  word->clear();
  size_t a, b;
  if (after) {
    a = j;
    while (a < in.size() && !(in[a].kind & kUnitWord)) ++a;
    b = a;
    while (b < in.size() && (in[b].kind & kUnitWord)) ++b;
  } else {
    b = i;
    while (b > 0 && !(in[b - 1].kind & kUnitWord)) --b;
    a = b;
    while (a > 0 && (in[a - 1].kind & kUnitWord)) --a;
  }
  for (size_t k = a; k < b; ++k) {
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, in[k].c);
    word->append(buf, len);
  }
}

bool ApplyEquivalences(const FoldUnits& in, const FoldConfig& config,
                       TransformScratch* scratch, FoldUnits* out) {
  if (!(config.enabled & kFoldChatSpeak) || !config.has_equivalences()) {
    return false;
  }
  if (!config.non_ascii_equivalences()) {
    // Text in another script (most of it, when it is not ASCII) has no
    // word an ASCII equivalence could be: look before walking its words.
    bool ascii_word = false;
    for (const FoldUnit& u : in) {
      ascii_word |= (u.c < 0x80) & ((u.kind & kUnitWord) != 0);
    }
    if (!ascii_word) return false;
  }
  std::string& word = scratch->word;
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
    if (!config.MayBeEquivalent(FirstUtf8Byte(in[i].c),
                                LastUtf8Byte(in[j - 1].c), bytes)) {
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
    const std::string* to = nullptr;
    if (config.equivalences().contains(word) ||
        config.term_stand_ins().contains(word)) {
      NeighbourWord(in, i, j, false, &scratch->before);
      NeighbourWord(in, i, j, true, &scratch->after);
      to = config.EquivalentOf(word, scratch->before, scratch->after);
    }
    if (to != nullptr) {
      if (!found) {
        out->clear();
        found = true;
      }
      out->insert(out->end(), in.begin() + copied, in.begin() + i);
      const auto* s = reinterpret_cast<const uint8_t*>(to->data());
      const int32_t n = static_cast<int32_t>(to->size());
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

namespace {

// Words of an ASCII view that FoldConfig::MayBeEquivalent() lets through.
struct EquivalenceCandidates {
  static constexpr int kMax = 16;
  uint32_t start[kMax];
  uint32_t length[kMax];
  int count = 0;
  bool overflow = false;  // More than kMax: look at every word.
};

// For 8 bytes at `p`, read as ASCII (the high bit ignored, as kAsciiUnitKinds is
// indexed): bit k is set if byte k is a word byte, [0-9A-Za-z_]
// (ascii_bytes8.h). REQUIRES: little-endian. Without SSE2 only.
#if !WATCHWORD_USE_SSE2
uint64_t WordByteMask8(const uint8_t* p) {
  const uint64_t x = bytes8::Low7(bytes8::Load(p));
  const uint64_t word = bytes8::InRange(x, '0', '9') |
                        bytes8::InRange(x, 'A', 'Z') |
                        bytes8::InRange(x, 'a', 'z') | bytes8::Equals(x, '_');
  return bytes8::Gather8(word);
}
#endif

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
#if WATCHWORD_USE_SSE2
    for (; k + 16 <= size; k += 16) {
      const __m128i x = _mm_and_si128(bytes16::Load(p + block + k),
                                      _mm_set1_epi8(0x7F));
      words |= bytes16::Gather16(_mm_or_si128(
                   _mm_or_si128(bytes16::InRange(x, '0', '9'),
                                bytes16::InRange(x, 'A', 'Z')),
                   _mm_or_si128(bytes16::InRange(x, 'a', 'z'),
                                bytes16::Equals(x, '_'))))
               << k;
    }
#else
    // With SSE2, no 8-byte step: its code, on every message for a test
    // that a length of a multiple of 16 never passes, cost more than the
    // at most 15 bytes of the loop below.
    if constexpr (std::endian::native == std::endian::little) {
      for (; k + 8 <= size; k += 8) {
        words |= WordByteMask8(p + block + k) << k;
      }
    }
#endif
    for (; k < size; ++k) {
      words |= static_cast<uint64_t>(
                   (kAsciiUnitKinds[p[block + k] & 0x7F] & kUnitWord) >> 1)
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
               (kAsciiUnitKinds[p[start + length] & 0x7F] & kUnitWord)) {
          ++length;
        }
      }
      if (!config.MayBeEquivalent(p[start], p[start + length - 1], length)) {
        continue;
      }
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

// Appends in[from, to) to *out.
void AppendRange(const FoldedView& in, size_t from, size_t to,
                 FoldedView* out) {
  out->text.append(in.text, from, to - from);
  out->begin.insert(out->begin.end(), in.begin.begin() + from,
                    in.begin.begin() + to);
  out->end.insert(out->end.end(), in.end.begin() + from, in.end.begin() + to);
  out->folds.insert(out->folds.end(), in.folds.begin() + from,
                    in.folds.begin() + to);
}

// Appends in[from, i) to *out, then `word`, the equivalent of the word
// in[i, j). Out of line: most messages have no equivalence to write, and
// the lookups every message runs stay together.
[[gnu::noinline]] void AppendEquivalent(const FoldedView& in, size_t from,
                                        size_t i, size_t j,
                                        const std::string& word,
                                        FoldedView* out) {
  AppendRange(in, from, i, out);
  // As in ApplyEquivalences: every byte of the canonical word maps to the
  // whole word it replaces.
  uint16_t folds = kFoldChatSpeak;
  for (size_t k = i; k < j; ++k) folds |= in.folds[k];
  out->text.append(word);
  out->begin.insert(out->begin.end(), word.size(), in.begin[i]);
  out->end.insert(out->end.end(), word.size(), in.end[j - 1]);
  out->folds.insert(out->folds.end(), word.size(), folds);
}

}  // namespace

bool ApplyAsciiEquivalences(const FoldedView& in, const FoldConfig& config,
                            FoldedView* out) {
  if (!(config.enabled & kFoldChatSpeak) || !config.has_equivalences()) {
    return false;
  }
  EquivalenceCandidates candidates;
  FindEquivalenceCandidates(in.text, config, &candidates);
  if (candidates.count == 0) return false;
  const std::string& t = in.text;
  bool found = false;
  size_t copied = 0;  // in[0, copied) is already in *out (when found).
  // Replaces the word [i, j) if it has an equivalent.
  auto is_word = [&](size_t k) {
    return (kAsciiUnitKinds[t[k] & 0x7F] & kUnitWord) != 0;
  };
  auto replace = [&](size_t i, size_t j) {
    const absl::string_view word(t.data() + i, j - i);
    // The words either side, past the spaces and punctuation between, which
    // a stand-in word needs; found before the lookup, which then hashes
    // the word once per table rather than twice.
    size_t b = i;
    while (b > 0 && !is_word(b - 1)) --b;
    size_t a = b;
    while (a > 0 && is_word(a - 1)) --a;
    size_t c = j;
    while (c < t.size() && !is_word(c)) ++c;
    size_t d = c;
    while (d < t.size() && is_word(d)) ++d;
    const std::string* to =
        config.EquivalentOf(word, absl::string_view(t.data() + a, b - a),
                            absl::string_view(t.data() + c, d - c));
    if (to == nullptr) return;
    if (!found) {
      out->Clear();
      found = true;
    }
    AppendEquivalent(in, copied, i, j, *to, out);
    copied = j;
  };
  if (!candidates.overflow) {
    for (int c = 0; c < candidates.count; ++c) {
      replace(candidates.start[c], candidates.start[c] + candidates.length[c]);
    }
  } else {
    for (size_t i = 0; i < t.size();) {  // Every word.
      size_t j = i;
      while (j < t.size() && (kAsciiUnitKinds[t[j] & 0x7F] & kUnitWord)) ++j;
      if (j > i && config.MayBeEquivalent(static_cast<uint8_t>(t[i]),
                                          static_cast<uint8_t>(t[j - 1]),
                                          j - i)) {
        replace(i, j);
      }
      i = j + 1;
    }
  }
  if (!found) return false;
  AppendRange(in, copied, t.size(), out);
  return true;
}


// A piece of JoinSpacedPieces(): units [begin, end) of one word.
using Piece = TransformScratch::UnitRange;

bool JoinSpacedPieces(const FoldUnits& in, const FoldConfig& config,
                      const Vocabulary& vocabulary, TransformScratch* scratch,
                      FoldUnits* out) {
  constexpr size_t kMaxGap = 3;      // Separators between two pieces.
  // "dm", "eap", "truw": a letter of each word, and one-letter words.
  constexpr size_t kMaxPiece = 4;
  constexpr size_t kMinSingles = 3;  // As JoinSpacedLetters()' runs.
  constexpr size_t kMaxEdge = 24;    // A longer word is no such rest.
  constexpr size_t kMaxRunLetters = 256;
  out->clear();
  if (vocabulary.empty()) return false;
  const bool leet = config.enabled & kFoldLeetspeak;
  // As JoinRuns(): bit 1, a candidate letter; bit 2, a word character or
  // candidate; bit 4, an apostrophe, which a gap may hold one of.
  std::vector<uint8_t>& kind = scratch->kinds;
  kind.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const UChar32 c = in[i].c;
    if (config.Join(c) == FoldConfig::kJoinDrop) {
      kind[i] = 4;
      continue;
    }
    const bool candidate = (in[i].kind & kUnitLetter) ||
                           (leet && !IsSpace(c) && config.PlaceMakesLetter(c));
    const bool word = (in[i].kind & kUnitWord) && c != '_';
    kind[i] = (candidate ? 1 : 0) | ((candidate || word) ? 2 : 0);
  }
  // The pieces of the text in order, each a word of 1 to kMaxPiece
  // candidates; a sequence ends at a longer word or a wider gap.
  std::vector<Piece>& pieces = scratch->pieces;
  pieces.clear();
  std::string& run = scratch->word;
  std::vector<size_t>& starts = scratch->letters;  // Of each piece in `run`.
  bool found = false;
  size_t copied = 0;
  std::vector<Piece>& stretches = scratch->stretches;  // Emitted last first.
  stretches.clear();
  auto flush = [&]() {
    // The stretches of the sequence whose letters read as words of the
    // vocabulary, from piece to piece, and that hold kMinSingles single
    // letters and a longer piece: from its end, the longest that ends at
    // each piece not in a stretch already.
    const size_t n = pieces.size();
    size_t sequence_singles = 0;
    for (const Piece& piece : pieces) {
      sequence_singles += piece.end - piece.begin == 1;
    }
    if (sequence_singles < kMinSingles || n == sequence_singles) return;
    run.clear();
    starts.clear();
    for (const Piece& piece : pieces) {
      starts.push_back(run.size());
      for (size_t u = piece.begin; u < piece.end; ++u) {
        UChar32 c = in[u].c;
        if (!(in[u].kind & kUnitLetter)) c = config.Leet(c);
        const bool ascii = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        run.push_back(ascii ? static_cast<char>(c) : '?');
      }
    }
    starts.push_back(run.size());
    if (run.size() > kMaxRunLetters) return;
    std::vector<uint8_t>& may_start = scratch->word_start;
    may_start.assign(run.size() + 1, 0);
    for (size_t p = 0; p < n; ++p) may_start[starts[p]] = 1;
    std::vector<uint32_t>& earliest = scratch->earliest;
    vocabulary.EarliestStarts(run, may_start, &earliest);
    // Each piece's longest stretch that ends with it, then the longest
    // first among those that overlap none taken: "g i f tc a r d ok" is
    // "giftcard", not "giftc" and "ardo" (a, r, do).
    stretches.clear();
    for (size_t b = n; b > 0; --b) {
      // The words may end inside the last piece ("ub" in "a.r.ey.o.ub.t.w":
      // "you" then "btw").
      uint32_t e = Vocabulary::kNoStart;
      for (size_t end = starts[b]; end > starts[b - 1]; --end) {
        // Not before a letter stretched ("s.e.n.dddd"): the squeezed
        // views read that.
        if (end < starts[b] && run[end] == run[end - 1]) continue;
        if (earliest[end] < end) {
          e = earliest[end];
          break;
        }
      }
      if (e == Vocabulary::kNoStart) continue;
      const size_t a = static_cast<size_t>(
          std::lower_bound(starts.begin(), starts.end(), e) - starts.begin());
      size_t singles = 0, longer = 0;
      for (size_t p = a; p < b; ++p) {
        (pieces[p].end - pieces[p].begin == 1 ? singles : longer) += 1;
      }
      // Mostly single letters, as a spaced-out text is: short words in a
      // row ("i c u at 5 ok", "today nice 5pm i i i") are a sentence.
      if (singles >= kMinSingles && longer > 0 && singles > longer) {
        stretches.push_back({a, b});
      }
    }
    // Longest first, then in the order found (last end first); not
    // std::stable_sort(), which allocates.
    std::sort(stretches.begin(), stretches.end(),
              [&](const Piece& x, const Piece& y) {
                const size_t lx = starts[x.end] - starts[x.begin];
                const size_t ly = starts[y.end] - starts[y.begin];
                return lx != ly ? lx > ly : x.end > y.end;
              });
    size_t taken = 0;
    for (size_t k = 0; k < stretches.size(); ++k) {
      bool overlaps = false;
      for (size_t t = 0; t < taken && !overlaps; ++t) {
        overlaps = stretches[k].begin < stretches[t].end &&
                   stretches[t].begin < stretches[k].end;
      }
      if (!overlaps) stretches[taken++] = stretches[k];
    }
    stretches.resize(taken);
    std::sort(stretches.begin(), stretches.end(),
              [](const Piece& x, const Piece& y) { return x.begin > y.begin; });
    for (size_t k = stretches.size(); k-- > 0;) {
      const size_t first = pieces[stretches[k].begin].begin;
      const size_t last = pieces[stretches[k].end - 1].end;
      // A longer word the sequence before joined to its stretch.
      if (first < copied) continue;
      found = true;
      out->insert(out->end(), in.begin() + copied, in.begin() + first);
      for (size_t u = first; u < last; ++u) {
        if (!(kind[u] & 1)) {
          // A separator between pieces goes to the letter before it.
          out->back().end = in[u].end;
          out->back().folds |= in[u].folds;
          continue;
        }
        FoldUnit unit = in[u];
        unit.folds |= kFoldSpacing;
        if (!(unit.kind & kUnitLetter)) {
          SetChar(&unit, config.Leet(unit.c));
          unit.folds |= kFoldLeetspeak;
        }
        out->push_back(unit);
      }
      copied = last;
    }
  };
  size_t i = 0;
  while (i < in.size()) {
    // The next piece: a word of candidates only.
    while (i < in.size() && !(kind[i] & 2)) ++i;
    if (i == in.size()) break;
    size_t j = i;
    bool all_candidates = true;
    while (j < in.size() && (kind[j] & 2)) all_candidates &= kind[j++] & 1;
    const bool fits = all_candidates && j - i <= kMaxPiece;
    // A longer word may end a stretch and start the next, as the rest of
    // words run together ("w.a.t'.surage": "what's", "ur", "age").
    const bool edge = all_candidates && !fits && j - i <= kMaxEdge;
    // The gap before it, from the last piece of the sequence.
    bool joins = false;
    if ((fits || edge) && !pieces.empty() &&
        (pieces.size() == 1 ||
         pieces.back().end - pieces.back().begin <= kMaxPiece)) {
      size_t gap = 0;
      bool quoted = false;
      joins = true;
      for (size_t g = pieces.back().end; g < i && joins; ++g) {
        if ((kind[g] & 4) && !quoted) {
          quoted = true;
        } else {
          joins = ++gap <= kMaxGap;
        }
      }
    }
    if (!joins) {
      flush();
      pieces.clear();
    }
    if (fits || edge) pieces.push_back({i, j});
    if (edge && pieces.size() > 1) {
      flush();
      pieces.assign(1, {i, j});
    }
    i = j;
  }
  flush();
  if (!found) {
    out->clear();
    return false;
  }
  out->insert(out->end(), in.begin() + copied, in.end());
  return true;
}

bool SplitMaskedWords(const FoldUnits& in, const Vocabulary& vocabulary,
                      TransformScratch* scratch, FoldUnits* out) {
  constexpr size_t kMinLetters = 6;  // "gi*tca*d"; a mask is rare.
  out->clear();
  if (vocabulary.empty()) return false;
  auto is_mask = [&](size_t i) {
    return in[i].c == kMaskChar && (in[i].folds & kFoldMask);
  };
  auto in_word = [&](size_t i) {
    return ((in[i].kind & kUnitWord) && in[i].c != '_') || is_mask(i);
  };
  bool found = false;
  size_t copied = 0;
  std::string& run = scratch->word;
  std::vector<uint8_t>& word_start = scratch->word_start;
  for (size_t i = 0; i < in.size();) {
    if (!in_word(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    bool masked = false;
    while (j < in.size() && in_word(j)) masked |= is_mask(j++);
    const size_t begin = i;
    i = j;
    if (!masked || j - begin < kMinLetters) continue;
    run.clear();
    for (size_t u = begin; u < j; ++u) {
      const UChar32 c = in[u].c;
      const bool ascii = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      run.push_back(ascii || is_mask(u) ? static_cast<char>(c) : '?');
    }
    bool covered = false;
    if (!vocabulary.SplitMaskedRun(run, &word_start, &covered) || !covered) {
      continue;
    }
    size_t words = 0;
    for (uint8_t start : word_start) words += start;
    if (words < 2) continue;
    found = true;
    out->insert(out->end(), in.begin() + copied, in.begin() + begin);
    for (size_t u = begin; u < j; ++u) {
      if (u > begin && word_start[u - begin]) {
        // An empty space where a word starts: it covers no byte.
        out->push_back(MakeUnit(' ', in[u].begin, in[u].begin, kFoldSpacing));
      }
      out->push_back(in[u]);
    }
    copied = j;
  }
  if (!found) {
    out->clear();
    return false;
  }
  out->insert(out->end(), in.begin() + copied, in.end());
  return true;
}

}  // namespace watchword
