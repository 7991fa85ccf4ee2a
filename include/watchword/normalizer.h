// The text normalization applied before matching, exposed for debugging.
#ifndef WATCHWORD_NORMALIZER_H_
#define WATCHWORD_NORMALIZER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "watchword/export.h"

namespace watchword {

// Text after normalization, with a map back to the original bytes.
//
// Normalization is Unicode NFKC with full case folding (ICU's
// NFKC_Casefold), which also drops default-ignorable characters such as
// zero-width spaces; whitespace runs become one ASCII space; invalid UTF-8
// becomes U+FFFD. `text` is always valid UTF-8.
//
// Each byte i of `text` came from original bytes [begin[i], end[i]), which
// start and end on code point boundaries of the original (or on the edges of
// an invalid sequence). Both arrays are non-decreasing, and begin[i] < end[i].
//
// The map is as fine as normalization allows: all bytes produced by one
// normalization segment (a character plus the combining marks and removed
// characters that follow it) share that segment's span. So "e\u0301" gives
// "é" mapped to all 3 bytes, "ß" gives "ss" with both bytes mapped to the
// same 2, and in "s\u200Bend" the "s" maps to "s\u200B". A whitespace run
// becomes one space spanning the whole run. Combining marks beyond the 31st
// on one character are dropped (their bytes stay inside the span), which
// bounds the cost of "zalgo" text.
struct NormalizedText {
  std::string text;            // Normalized UTF-8.
  std::vector<uint32_t> begin;  // Size text.size().
  std::vector<uint32_t> end;    // Size text.size().

  // Maps the normalized byte range [b, e) to original bytes [*ob, *oe).
  // REQUIRES: b < e <= text.size().
  void OriginalSpan(size_t b, size_t e, uint32_t* ob, uint32_t* oe) const {
    *ob = begin[b];
    *oe = end[e - 1];
  }

  // Empties the text, keeping capacity.
  void Clear() {
    text.clear();
    begin.clear();
    end.clear();
  }
};

// Normalizes `input` into *out (replacing its contents). Thread-safe; reuse
// *out across calls to avoid allocation. Inputs over 4 GiB are not supported
// (offsets are 32-bit); the Scanner rejects them long before.
WATCHWORD_EXPORT void Normalize(absl::string_view input, NormalizedText* out);

}  // namespace watchword

#endif  // WATCHWORD_NORMALIZER_H_
