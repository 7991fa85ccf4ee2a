#include "src/normalize/code_points.h"

#include <cstdlib>

#include "src/normalize/word.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/umutablecptrie.h"
#include "unicode/unistr.h"
#include "unicode/uspoof.h"
#include "unicode/utf16.h"

namespace watchword {

HomoglyphTable::HomoglyphTable() {
  UErrorCode status = U_ZERO_ERROR;
  USpoofChecker* checker = uspoof_open(&status);
  if (U_FAILURE(status)) return;  // No data: homoglyph folding is off.
  uspoof_setChecks(checker, USPOOF_CONFUSABLE, &status);
  UErrorCode nfd_status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(nfd_status);
  for (UChar32 c = 0x80; c < 0x20000; ++c) {
    if (!u_isalpha(c)) continue;
    UErrorCode s = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(c, &s);
    // Han, kana and Hangul have no Latin look-alikes worth the time;
    // Latin letters are never folded (Latin text stays as it is).
    if (script == USCRIPT_LATIN || script == USCRIPT_HAN ||
        script == USCRIPT_HANGUL || script == USCRIPT_HIRAGANA ||
        script == USCRIPT_KATAKANA || script == USCRIPT_YI) {
      continue;
    }
    icu::UnicodeString skeleton;
    s = U_ZERO_ERROR;
    uspoof_getSkeletonUnicodeString(checker, 0, icu::UnicodeString(c),
                                    skeleton, &s);
    if (U_FAILURE(s)) continue;
    if (nfd != nullptr && U_SUCCESS(nfd_status)) {
      skeleton = nfd->normalize(skeleton, s);
    }
    UChar32 latin = 0;
    int letters = 0;
    for (int32_t i = 0; i < skeleton.length();) {
      UChar32 k = skeleton.char32At(i);
      i += U16_LENGTH(k);
      if (u_charType(k) == U_NON_SPACING_MARK) continue;
      latin = k;
      ++letters;
    }
    if (letters != 1 || latin >= 0x80 || !u_isalpha(latin)) continue;
    map_[c] = latin | 0x20;  // Lower-case ASCII.
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

}  // namespace

CodePointTable::CodePointTable(Compute compute)
    : compute_(compute), trie_(BuildTrie(kLimit, compute)) {}

CodePointTable::~CodePointTable() { ucptrie_close(trie_); }

uint32_t CodePointInfo::Compute(UChar32 c) {
  uint32_t info = 0;
  if (u_isalpha(c)) info |= kLetter;
  if (u_charType(c) == U_NON_SPACING_MARK) info |= kNonspacingMark;
  if (IsWordCodePoint(c)) info |= kWord;
  if (u_getIntPropertyValue(c, UCHAR_NFD_QUICK_CHECK) == UNORM_NO) {
    info |= kDecomposable;
  }
  if (c >= 0x80) {
    info |= static_cast<uint32_t>(HomoglyphTable::Get().Find(c)) << 3;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
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
