#include "src/normalize/code_points.h"

#include <atomic>
#include <cstdlib>
#include <string_view>

#include "src/normalize/word.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/umutablecptrie.h"
#include "unicode/unistr.h"
#include "unicode/uspoof.h"
#include "unicode/utf16.h"

namespace watchword {

namespace {

// The one ASCII letter (lower-case) `text` is made of once marks are
// stripped (with a null `nfd`, as it is), or 0.
UChar32 SingleAsciiLetter(const icu::UnicodeString& text,
                          const icu::Normalizer2* nfd) {
  icu::UnicodeString decomposed = text;
  if (nfd != nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    decomposed = nfd->normalize(text, status);
    if (U_FAILURE(status)) decomposed = text;
  }
  UChar32 letter = 0;
  int letters = 0;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 k = decomposed.char32At(i);
    i += U16_LENGTH(k);
    if (u_charType(k) == U_NON_SPACING_MARK && nfd != nullptr) continue;
    letter = k;
    ++letters;
  }
  if (letters != 1 || letter >= 0x80 || !u_isalpha(letter)) return 0;
  return letter | 0x20;
}

// The ASCII letter whose small capital `c` is, from its Unicode name
// ("LATIN LETTER SMALL CAPITAL A"), or 0. UTS #39 confuses a small capital
// with nothing (its skeleton is itself), yet in chat "ᴀ" is plainly "a".
UChar32 SmallCapitalOf(UChar32 c) {
  char name[128];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length =
      u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof(name), &status);
  constexpr std::string_view kPrefix = "LATIN LETTER SMALL CAPITAL ";
  if (U_FAILURE(status) || length != static_cast<int32_t>(kPrefix.size()) + 1 ||
      std::string_view(name, kPrefix.size()) != kPrefix) {
    return 0;
  }
  const char letter = name[kPrefix.size()];
  return letter >= 'A' && letter <= 'Z' ? letter | 0x20 : 0;
}

// The ASCII letter a symbol is drawn as, from its Unicode name ("NEGATIVE
// CIRCLED LATIN CAPITAL LETTER A"), or 0: a symbol named for a Latin letter
// with no compatibility decomposition, which NFKC would have made the
// letter. UTS #39 confuses these with nothing, yet "🅢🅔🅝🅓" is "send".
UChar32 LetterSymbolOf(UChar32 c) {
  if (u_charType(c) != U_OTHER_SYMBOL ||
      u_getIntPropertyValue(c, UCHAR_DECOMPOSITION_TYPE) != U_DT_NONE) {
    return 0;
  }
  char name[128];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length =
      u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof(name), &status);
  if (U_FAILURE(status) || length < 2) return 0;
  const std::string_view n(name, static_cast<size_t>(length));
  for (std::string_view kind : {"LATIN CAPITAL LETTER ", "LATIN SMALL LETTER "}) {
    const size_t at = n.find(kind);
    if (at == std::string_view::npos || at + kind.size() + 1 != n.size()) {
      continue;
    }
    const char letter = n.back();
    if (letter >= 'A' && letter <= 'Z') return letter | 0x20;
  }
  return 0;
}

}  // namespace

HomoglyphTable::HomoglyphTable() {
  UErrorCode status = U_ZERO_ERROR;
  USpoofChecker* checker = uspoof_open(&status);
  if (U_FAILURE(status)) return;  // No data: homoglyph folding is off.
  uspoof_setChecks(checker, USPOOF_CONFUSABLE, &status);
  UErrorCode nfd_status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(nfd_status);
  if (U_FAILURE(nfd_status)) nfd = nullptr;
  auto skeleton_of = [&](UChar32 c) {
    icu::UnicodeString skeleton;
    UErrorCode s = U_ZERO_ERROR;
    uspoof_getSkeletonUnicodeString(checker, 0, icu::UnicodeString(c),
                                    skeleton, &s);
    return U_SUCCESS(s) ? skeleton : icu::UnicodeString();
  };
  auto skeleton_letter = [&](UChar32 c, bool strip_marks) -> UChar32 {
    return SingleAsciiLetter(skeleton_of(c), strip_marks ? nfd : nullptr);
  };
  // Skeletons of more than one letter: UTS #39 draws "d" as "cl" and "m" as
  // "rn", so "ԁ" (skeleton "cl") is a "d". The capital "I" is drawn as "l":
  // its look-alikes are kept apart, for either reading.
  absl::flat_hash_map<std::u16string, UChar32> letter_skeletons;
  for (UChar32 letter = 'a'; letter <= 'z'; ++letter) {
    const icu::UnicodeString s = skeleton_of(letter);
    if (s.length() > 1) {
      letter_skeletons[std::u16string(s.getBuffer(), s.length())] = letter;
    }
  }
  const icu::UnicodeString capital_i = skeleton_of('I');
  for (UChar32 c = 0x80; c < 0x20000; ++c) {
    if (!u_isalpha(c)) {
      const UChar32 letter = LetterSymbolOf(c);
      if (letter != 0) map_[c] = letter;
      continue;
    }
    UErrorCode s = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &s);
    // Han, kana, Hangul and Yi have no Latin look-alikes worth the time.
    if (script == USCRIPT_HAN || script == USCRIPT_HANGUL ||
        script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
        script == USCRIPT_YI) {
      continue;
    }
    const icu::UnicodeString skeleton = skeleton_of(c);
    if (skeleton == capital_i) capital_i_.insert(c);
    // Accented Latin letters are the diacritic fold's.
    if (script == USCRIPT_LATIN &&
        u_getIntPropertyValue(c, UCHAR_NFD_QUICK_CHECK) == UNORM_NO) {
      continue;
    }
    UChar32 latin = SingleAsciiLetter(skeleton, nfd);
    if (latin == 0 && skeleton.length() > 1) {
      auto it = letter_skeletons.find(
          std::u16string(skeleton.getBuffer(), skeleton.length()));
      if (it != letter_skeletons.end()) latin = it->second;
    }
    // Skeletons keep case: Greek "κ" is confused with nothing, its capital
    // "Κ" with "K". Either reading is the letter, but only a capital that
    // is the letter exactly: "Б" is "b̄", and "б" looks like no "b".
    if (latin == 0) {
      const UChar32 upper = u_toupper(c);
      if (upper != c) latin = skeleton_letter(upper, /*strip_marks=*/false);
    }
    if (latin == 0 && script == USCRIPT_LATIN) latin = SmallCapitalOf(c);
    if (latin != 0) map_[c] = latin;
  }
  uspoof_close(checker);
}

namespace {

UCPTrie* BuildTrie(UChar32 limit, CodePointTable::Compute compute) {
  UErrorCode status = U_ZERO_ERROR;
  UMutableCPTrie* building = umutablecptrie_open(0, 0, &status);
  for (UChar32 c = 0; c < limit && U_SUCCESS(status); ++c) {
    const uint32_t value = compute(c);
    if (value != 0) umutablecptrie_set(building, c, value, &status);
  }
  UCPTrie* trie = umutablecptrie_buildImmutable(
      building, UCPTRIE_TYPE_FAST, UCPTRIE_VALUE_BITS_32, &status);
  umutablecptrie_close(building);
  // Only allocation can fail here, at start-up.
  if (U_FAILURE(status)) std::abort();
  return trie;
}

std::atomic<int> tables_built{0};

}  // namespace

CodePointTable::CodePointTable(Compute compute)
    : compute_(compute), trie_(BuildTrie(kLimit, compute)) {
  tables_built.fetch_add(1, std::memory_order_relaxed);
}

int CodePointTablesBuilt() {
  return tables_built.load(std::memory_order_relaxed);
}

CodePointTable::~CodePointTable() { ucptrie_close(trie_); }

uint32_t CodePointInfo::Compute(UChar32 c) {
  uint32_t info = 0;
  if (u_isalpha(c)) info |= kLetter;
  if (u_charType(c) == U_NON_SPACING_MARK) info |= kNonspacingMark;
  if (IsWordCodePoint(c)) info |= kWord;
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC)) {
    info |= kPictographic;
  }
  if (u_getIntPropertyValue(c, UCHAR_NFD_QUICK_CHECK) == UNORM_NO) {
    info |= kDecomposable;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (c >= 0x80) {
    const UChar32 latin = HomoglyphTable::Get().Find(c);
    info |= static_cast<uint32_t>(latin) << 3;
    if (latin != 0 && U_SUCCESS(status) &&
        (script == USCRIPT_LATIN || !u_isalpha(c))) {
      info |= kLatinLookAlike;
    }
    if (HomoglyphTable::Get().IsCapitalI(c)) info |= kCapitalI;
  }
  if (U_SUCCESS(status) && script > 0) {
    info |= static_cast<uint32_t>(script) << 10;
  }
  return info;
}

uint32_t BaseLetters::Compute(UChar32 c) {
  if (u_getIntPropertyValue(c, UCHAR_NFD_QUICK_CHECK) != UNORM_NO) return 0;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status) || nfd == nullptr) return 0;
  icu::UnicodeString decomposition;
  if (!nfd->getDecomposition(c, decomposition)) return 0;
  UChar32 base = 0;
  for (int32_t i = 0; i < decomposition.length();) {
    const UChar32 k = decomposition.char32At(i);
    i += U16_LENGTH(k);
    if (u_charType(k) == U_NON_SPACING_MARK) continue;
    if (base != 0) return 0;  // More than one base: not a mark on a letter.
    base = k;
  }
  return base == c ? 0 : static_cast<uint32_t>(base);
}

}  // namespace watchword
