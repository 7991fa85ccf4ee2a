// The ASCII fast paths' shared pieces: byte offsets for the views of ASCII
// text, where unit i of a view is byte i (NormalizedText and FoldedView's
// begin and end), copied from one table rather than written by a loop in
// each fast path, which the compiler unrolls and vectorizes into much
// code; and the test for ASCII text.
#ifndef WATCHWORD_SRC_NORMALIZE_BYTE_OFFSETS_H_
#define WATCHWORD_SRC_NORMALIZE_BYTE_OFFSETS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace watchword {

// 0, 1, 2, ...: enough for most messages.
inline constexpr std::array<uint32_t, 4097> kByteOffsets = [] {
  std::array<uint32_t, 4097> offsets{};
  for (uint32_t i = 0; i < offsets.size(); ++i) offsets[i] = i;
  return offsets;
}();

// WriteByteOffsets() past the table. Out of line: long texts are rare.
[[gnu::cold]] [[gnu::noinline]] inline void WriteLongByteOffsets(
    uint32_t* out, size_t n, uint32_t first) {
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint32_t>(first + i);
}

// Writes first, first + 1, ..., first + n - 1 to out[0, n).
inline void WriteByteOffsets(uint32_t* out, size_t n, uint32_t first) {
  if (n == 0) return;  // `out` may be null, which memcpy() must not see.
  if (first + n <= kByteOffsets.size()) {
    std::memcpy(out, kByteOffsets.data() + first, n * sizeof(uint32_t));
  } else {
    WriteLongByteOffsets(out, n, first);
  }
}

// Whether every byte of [p, p + n) is ASCII: an OR over the bytes, which
// the compiler vectorizes (an early exit it would not). Out of line, so
// that Normalize() and FoldAscii(), which ask it of each message three
// times, share one copy of that loop's code.
[[gnu::noinline]] inline bool IsAllAscii(const void* p, size_t n) {
  const auto* s = static_cast<const uint8_t*>(p);
  uint8_t any = 0;
  for (size_t i = 0; i < n; ++i) any |= s[i];
  return any < 0x80;
}

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_BYTE_OFFSETS_H_
