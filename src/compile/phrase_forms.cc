#include "src/compile/phrase_forms.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "src/normalize/disguise_table.h"
#include "src/normalize/fold.h"
#include "src/normalize/fold_chars.h"
#include "src/normalize/view_transforms.h"
#include "unicode/utf8.h"
#include "watchword/normalizer.h"

namespace watchword {

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
        QuoteMeta(folded.substr(start, static_cast<size_t>(i - start)));
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

std::string SqueezePhrase(std::string_view phrase, const FoldConfig& config) {
  NormalizedText base;
  Normalize(absl::string_view(phrase.data(), phrase.size()), &base);
  FoldUnits folded, equivalent, squeezed;
  TransformScratch scratch;
  FoldBase(phrase, base, config, &folded);
  SqueezeRepeats(
      ApplyEquivalences(folded, config, &scratch, &equivalent) ? equivalent
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
  TransformScratch scratch;
  FoldBase(phrase, base, config, &folded);
  FoldedView view;
  EncodeView(
      ApplyEquivalences(folded, config, &scratch, &equivalent) ? equivalent
                                                               : folded,
      &view);
  return view.text;
}

std::vector<std::string> RunStandIns(std::string_view word,
                                     const FoldConfig& config) {
  std::vector<std::string> spellings;
  if (!(config.enabled & kFoldChatSpeak)) return spellings;
  for (const StandInWord& row : ShippedStandInWords()) {
    std::string spelling(row.spelling);
    if (row.word != word || config.equivalences().contains(spelling) ||
        std::find(spellings.begin(), spellings.end(), spelling) !=
            spellings.end()) {
      continue;
    }
    spellings.push_back(std::move(spelling));
  }
  return spellings;
}

std::string ReadingAmongLetters(std::string_view spelling,
                                const FoldConfig& config) {
  if (spelling.find_first_of("0123456789") == std::string_view::npos) {
    return "";
  }
  // Between two letters that no fold changes.
  std::string read =
      FoldPhrase("x" + std::string(spelling) + "x", config);
  if (read.size() < 2 || read.front() != 'x' || read.back() != 'x') return "";
  read = read.substr(1, read.size() - 2);
  return read == spelling ? "" : read;
}

std::string QuoteMeta(std::string_view s) {
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

}  // namespace watchword
