// Normalize(): NFKC_Casefold segment by segment, so that every output byte
// maps back to an exact range of original bytes.
//
// Why segments: ICU's `hasBoundaryBefore(c)` promises that text can be cut
// before `c` and the pieces normalized independently with the same result as
// normalizing the whole. Cutting at every such boundary gives the smallest
// pieces whose output we can attribute to an original byte range; a base
// letter and the combining marks that follow it stay together, so "e\u0301"
// becomes "é" mapped to both code points.

#include "watchword/normalizer.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "src/normalize/ascii_bytes8.h"
#include "src/normalize/byte_offsets.h"
#include "src/normalize/code_points.h"
#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/uniset.h"
#include "unicode/utf16.h"
#include "unicode/utf8.h"
#include "unicode/utypes.h"

namespace watchword {
namespace {

constexpr UChar32 kReplacementChar = 0xFFFD;

// A base character plus the 30 non-starters of the Stream-Safe Text Format,
// and one spare.
constexpr int kMaxSegmentCodePoints = 32;

const icu::Normalizer2& NfkcCasefold() {
  // ICU caches the instance; looking it up once avoids a lock per call.
  static const icu::Normalizer2* const normalizer = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n =
        icu::Normalizer2::getNFKCCasefoldInstance(status);
    // The NFKC_CF data is compiled into libicudata; failing to load it means
    // a broken installation, not bad input, so there is nothing to recover.
    if (U_FAILURE(status) || n == nullptr) std::abort();
    return n;
  }();
  return *normalizer;
}

constexpr bool IsAsciiSpace(uint8_t b) {
  return b == ' ' || (b >= '\t' && b <= '\r');  // \t \n \v \f \r
}

// A frozen set of the code points with a binary property. ICU answers
// u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED) by normalizing
// `c` and comparing, a third of the cost of normalizing Cyrillic text; a
// frozen UnicodeSet answers from bit tables.
const icu::UnicodeSet& PropertySet(UProperty property) {
  UErrorCode status = U_ZERO_ERROR;
  auto* set = new icu::UnicodeSet();
  set->applyIntPropertyValue(property, 1, status);
  // The property data is compiled into libicuuc; failing to load it means
  // a broken installation, not bad input.
  if (U_FAILURE(status)) std::abort();
  set->freeze();
  return *set;
}

bool ChangesWhenNfkcCasefolded(UChar32 c) {
  static const icu::UnicodeSet& set =
      PropertySet(UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED);
  return set.contains(c);
}

bool IsWhitespace(UChar32 c) {
  if (c < 0x80) return IsAsciiSpace(static_cast<uint8_t>(c));
  static const icu::UnicodeSet& set = PropertySet(UCHAR_WHITE_SPACE);
  return set.contains(c);
}

// What the segment loop asks of each code point, from one trie lookup
// rather than a virtual ICU call and two set probes (half the cost of
// normalizing Cyrillic text went to those).
class SegmentInfo {
 public:
  static constexpr uint32_t kBoundaryBefore = 1 << 0;  // hasBoundaryBefore.
  static constexpr uint32_t kChanges = 1 << 1;  // Changes_When_NFKC_Casefolded.
  static constexpr uint32_t kWhitespace = 1 << 2;  // White_Space.

  static const SegmentInfo& Get() {
    static const SegmentInfo* const info = new SegmentInfo();
    return *info;
  }

  uint32_t Of(UChar32 c) const { return table_.Of(c); }

  static uint32_t Compute(UChar32 c) {
    return (NfkcCasefold().hasBoundaryBefore(c) ? kBoundaryBefore : 0) |
           (ChangesWhenNfkcCasefolded(c) ? kChanges : 0) |
           (IsWhitespace(c) ? kWhitespace : 0);
  }

 private:
  SegmentInfo() = default;

  CodePointTable table_{&Compute};
};

// Decodes the code point at `*i`, advancing `*i` over exactly the bytes that
// U8_NEXT consumes; an ill-formed sequence decodes to U+FFFD.
inline UChar32 DecodeNext(const uint8_t* s, size_t* i, size_t n) {
  UChar32 c;
  size_t j = *i;
  U8_NEXT(s, j, n, c);
  *i = j;
  return c < 0 ? kReplacementChar : c;
}

// Appends output code points to a NormalizedText and collapses whitespace
// runs, which may span segments, into one ASCII space.
//
// It writes into pre-sized buffers and trims them in Finish(): three
// push_backs per byte were a sixth of a whole scan's cost.
class Emitter {
 public:
  explicit Emitter(NormalizedText* out, size_t expected) : out_(out) {
    Grow(expected + 8);
  }

  // Trims the buffers to what was written.
  void Finish() {
    out_->text.resize(length_);
    out_->begin.resize(length_);
    out_->end.resize(length_);
  }

  void EmitAscii(uint8_t b, uint32_t begin, uint32_t end) {
    if (IsAsciiSpace(b)) {
      EmitSpace(begin, end);
      return;
    }
    in_space_run_ = false;
    Push(static_cast<char>(b), begin, end);
  }

  void Emit(UChar32 c, uint32_t begin, uint32_t end) {
    if (c < 0x80) {
      EmitAscii(static_cast<uint8_t>(c), begin, end);
      return;
    }
    if (IsWhitespace(c)) {
      EmitSpace(begin, end);
      return;
    }
    EmitNonSpace(c, begin, end);
  }

  // Emit() for a code point known not to be whitespace.
  void EmitNonSpace(UChar32 c, uint32_t begin, uint32_t end) {
    in_space_run_ = false;
    uint8_t buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    for (int32_t k = 0; k < len; ++k) {
      Push(static_cast<char>(buf[k]), begin, end);
    }
  }

 private:
  void EmitSpace(uint32_t begin, uint32_t end) {
    if (in_space_run_) {
      // Extend the run's space to cover this character too.
      out_->end[length_ - 1] = end;
      return;
    }
    in_space_run_ = true;
    Push(' ', begin, end);
  }

  void Push(char byte, uint32_t begin, uint32_t end) {
    if (length_ == out_->text.size()) Grow(2 * length_ + 16);
    out_->text[length_] = byte;
    out_->begin[length_] = begin;
    out_->end[length_] = end;
    ++length_;
  }

  void Grow(size_t size) {
    out_->text.resize(size);
    out_->begin.resize(size);
    out_->end.resize(size);
  }

  NormalizedText* out_;
  size_t length_ = 0;
  bool in_space_run_ = false;
};

// For each ASCII byte: what NFKC_Casefold and whitespace collapsing make of
// it (lower case; ' ' for whitespace), with the high bit set on whitespace.
constexpr std::array<uint8_t, 128> kAsciiFold = [] {
  std::array<uint8_t, 128> table{};
  for (int b = 0; b < 128; ++b) {
    if (IsAsciiSpace(static_cast<uint8_t>(b))) {
      table[b] = 0x80 | ' ';
    } else if (b >= 'A' && b <= 'Z') {
      table[b] = static_cast<uint8_t>(b + ('a' - 'A'));
    } else {
      table[b] = static_cast<uint8_t>(b);
    }
  }
  return table;
}();

// NormalizeAscii() for text with a whitespace run. Out of line: most
// messages have none, and inlined, this loop spread NormalizeAscii()'s
// code over more cache lines.
[[gnu::noinline]] void CollapseAsciiSpaceRuns(const uint8_t* s, size_t n,
                                              NormalizedText* out) {
  char* const text = out->text.data();
  uint32_t* const begin = out->begin.data();
  uint32_t* const end = out->end.data();
  size_t length = 0;
  uint8_t in_space_run = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t folded = kAsciiFold[s[i]];
    const uint8_t space = folded >> 7;
    if (space & in_space_run) {
      end[length - 1] = static_cast<uint32_t>(i + 1);
      continue;
    }
    in_space_run = space;
    text[length] = static_cast<char>(folded & 0x7F);
    begin[length] = static_cast<uint32_t>(i);
    end[length] = static_cast<uint32_t>(i + 1);
    ++length;
  }
  out->text.resize(length);
  out->begin.resize(length);
  out->end.resize(length);
}

// Normalize() for ASCII input, where NFKC_Casefold is lower-casing and the
// only other change is collapsing whitespace runs. Written out rather than
// left to the general loop, which at 4 ns a byte cost more than Hyperscan
// for a typical message: one table lookup per byte, and a branch only
// inside a whitespace run, which is rare and so well predicted.
void NormalizeAscii(const uint8_t* s, size_t n, NormalizedText* out) {
  // Resizing without Clear() first writes nothing when the buffers are
  // already long enough, which they are for a stream of similar messages.
  out->text.resize(n);
  out->begin.resize(n);
  out->end.resize(n);
  char* const text = out->text.data();
  uint32_t* const begin = out->begin.data();
  uint32_t* const end = out->end.data();
  // Branch-free tests the compiler vectorizes, 16 bytes a step.
  auto space = [](uint8_t b) -> uint8_t {
    return static_cast<uint8_t>(b == ' ') |
           static_cast<uint8_t>(static_cast<uint8_t>(b - '\t') < 5);
  };
  // Whether two whitespace bytes meet: 8 bytes a step (ascii_bytes8.h),
  // in a few instructions where the compiler's vectorized loop of space()
  // on byte pairs was ten cache lines of code. Bit 7 of byte k of `after`
  // is set if byte k is whitespace; `before`, if the byte before it is.
  // The same step writes the bytes as most messages, with no whitespace
  // run to collapse, make them (lower case, whitespace as ' ', each at its
  // own offset): a separate loop for that, vectorized, was five cache
  // lines of code. Where a run is found, the loop further down writes the
  // text again.
  uint64_t runs = 0;
  size_t i = 0;
  uint64_t before = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      const uint64_t x = bytes8::Load(s + i);  // ASCII: no high bit.
      const uint64_t after =
          bytes8::Equals(x, ' ') | bytes8::InRange(x, '\t', '\r');
      runs |= after & (after << 8 | before);
      before = after >> 56;
      // 'A' to 'Z' plus 0x20 (the high bit moved to 0x20) stays in its
      // byte; then each whitespace byte, all ones in `spaces`, is ' '.
      const uint64_t lower = x + (bytes8::InRange(x, 'A', 'Z') >> 2);
      const uint64_t spaces = (after >> 7) * 0xFF;
      const uint64_t folded =
          (lower & ~spaces) | (spaces & (' ' * bytes8::kOnes));
      std::memcpy(text + i, &folded, 8);
    }
  }
  for (uint8_t previous = before != 0; i < n; ++i) {
    const uint8_t b = s[i];
    runs |= previous & space(b);
    previous = space(b);
    const uint8_t upper = static_cast<uint8_t>(b - 'A') < 26;
    text[i] = static_cast<char>(previous ? ' ' : b + (upper << 5));
  }
  if (runs == 0) {
    WriteByteOffsets(begin, n, 0);
    WriteByteOffsets(end, n, 1);
    return;
  }
  CollapseAsciiSpaceRuns(s, n, out);
}

}  // namespace

void Normalize(absl::string_view input, NormalizedText* out) {
  const auto* s = reinterpret_cast<const uint8_t*>(input.data());
  const size_t n = input.size();
  if (IsAllAscii(s, n)) {
    NormalizeAscii(s, n, out);
    return;
  }
  out->Clear();

  const icu::Normalizer2& normalizer = NfkcCasefold();
  const SegmentInfo& infos = SegmentInfo::Get();
  // Per-thread buffers keep the non-ASCII path allocation-free once warm.
  thread_local icu::UnicodeString segment;
  thread_local icu::UnicodeString normalized;

  // Output is usually about as long as the input; growth past that (ß -> ss,
  // compatibility ligatures) is amortized and the capacity kept on reuse.
  Emitter emitter(out, input.size());
  // Finding where a segment ends decodes the code point after it; that one
  // is kept here for the next segment rather than decoded twice.
  bool have_next = false;
  UChar32 next = 0;
  uint32_t next_info = 0;
  size_t next_end = 0;
  size_t i = 0;
  while (i < n) {
    if (!have_next) {
      const uint8_t b = s[i];
      // ASCII always has a boundary before it and NFKC_Casefold only
      // lower-cases it, so an ASCII byte followed by ASCII (or the end) is a
      // segment of its own and needs no ICU call.
      if (b < 0x80 && (i + 1 == n || s[i + 1] < 0x80)) {
        const uint8_t lower = (b >= 'A' && b <= 'Z') ? b + ('a' - 'A') : b;
        emitter.EmitAscii(lower, static_cast<uint32_t>(i),
                          static_cast<uint32_t>(i + 1));
        ++i;
        continue;
      }
      next_end = i;
      next = DecodeNext(s, &next_end, n);
      next_info = infos.Of(next);
    }
    have_next = false;

    // The segment starts here even without a boundary before the first code
    // point: the start of the input is always a boundary.
    const size_t segment_begin = i;
    const UChar32 first = next;
    const uint32_t first_info = next_info;
    i = next_end;
    int segment_code_points = 1;
    while (i < n) {
      if (s[i] < 0x80) break;  // ASCII always has a boundary before it.
      next_end = i;
      next = DecodeNext(s, &next_end, n);
      next_info = infos.Of(next);
      if (next_info & SegmentInfo::kBoundaryBefore) {
        have_next = true;
        break;
      }
      ++segment_code_points;
      i = next_end;
    }
    const auto begin = static_cast<uint32_t>(segment_begin);
    const auto end = static_cast<uint32_t>(i);

    // Most non-ASCII letters (Cyrillic, CJK, already lower-case Latin) are
    // left alone by NFKC_Casefold; for a lone code point the
    // Changes_When_NFKC_Casefolded property says so without normalizing,
    // or building a string to normalize.
    if (segment_code_points == 1 && !(first_info & SegmentInfo::kChanges)) {
      if (first < 0x80) {
        emitter.EmitAscii(static_cast<uint8_t>(first), begin, end);
      } else if (first_info & SegmentInfo::kWhitespace) {
        emitter.Emit(' ', begin, end);
      } else {
        emitter.EmitNonSpace(first, begin, end);
      }
      continue;
    }

    // Canonical reordering is quadratic in the length of a combining run,
    // so "zalgo" text with thousands of marks on one letter would stall the
    // scan. No real text needs more marks than the Stream-Safe Text Format
    // allows (UAX #15: 30), so the excess is dropped; the segment's span
    // still covers it.
    segment.remove();
    size_t k = segment_begin;
    for (int taken = 0; k < i && taken < kMaxSegmentCodePoints; ++taken) {
      segment.append(DecodeNext(s, &k, i));
    }

    UErrorCode status = U_ZERO_ERROR;
    normalizer.normalize(segment, normalized, status);
    if (U_FAILURE(status)) {
      // Only allocation failure can get here; keep the text as it was
      // rather than drop it, so that matching still sees something.
      normalized = segment;
    }
    const char16_t* units = normalized.getBuffer();
    const int32_t length = normalized.length();
    for (int32_t k = 0; k < length;) {
      UChar32 c;
      U16_NEXT(units, k, length, c);
      // Unreachable for ICU output built from scalar values; be safe anyway.
      if (U_IS_SURROGATE(c)) c = kReplacementChar;
      emitter.Emit(c, begin, end);
    }
  }
  emitter.Finish();
}

void BuildCodePointTables() {
  SegmentInfo::Get();
  CodePointInfo::Get();
  BaseLetters::Get();
}

}  // namespace watchword
