// Eight ASCII bytes at a time in one 64-bit word ("SWAR"): the primitives
// that the byte-class masks of the folds and the scan (letters, word bytes,
// spaces) are made of. For src/normalize and src/scan; not for callers of
// the folds.
//
// A test reads bytes with the high bit cleared (Low7()): each is then at
// most 0x7F, so adding at most 0x80 to it carries into its own high bit
// and never into the next byte. Results are a high bit per byte until
// Gather8() packs them, byte k's to bit k.
// REQUIRES: little-endian (byte k is bits 8k to 8k+7); callers test
// `std::endian::native` and fall back to a byte loop.
#ifndef WATCHWORD_SRC_NORMALIZE_ASCII_BYTES8_H_
#define WATCHWORD_SRC_NORMALIZE_ASCII_BYTES8_H_

#include <cstdint>
#include <cstring>

namespace watchword::bytes8 {

inline constexpr uint64_t kOnes = 0x0101010101010101;
inline constexpr uint64_t kHigh = 0x80 * kOnes;  // The high bit of each byte.

// Returns the 8 bytes at `p`, byte k in bits 8k to 8k+7.
inline uint64_t Load(const void* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

// Returns `raw` with each byte's high bit cleared.
inline uint64_t Low7(uint64_t raw) { return raw & 0x7F * kOnes; }

// Returns the high bit of each byte of `raw` that is ASCII (high bit clear).
inline uint64_t Ascii(uint64_t raw) { return ~raw & kHigh; }

// Returns the high bit of each byte of `x` that is >= `c`.
// REQUIRES: each byte of `x` is at most 0x7F (Low7()).
inline uint64_t AtLeast(uint64_t x, uint8_t c) {
  return (x + (0x80 - c) * kOnes) & kHigh;
}

// Returns the high bit of each byte of `x` in [`lo`, `hi`].
// REQUIRES: as AtLeast(); `hi` < 0x7F.
inline uint64_t InRange(uint64_t x, uint8_t lo, uint8_t hi) {
  return AtLeast(x, lo) & ~AtLeast(x, hi + 1);
}

// Returns the high bit of each byte of `x` equal to `c`.
// REQUIRES: as AtLeast(); `c` <= 0x7F.
inline uint64_t Equals(uint64_t x, uint8_t c) {
  return ~AtLeast(x ^ (c * kOnes), 1) & kHigh;
}

// Returns the high bit of each byte of `x` that is an ASCII letter, either
// case. REQUIRES: as AtLeast().
inline uint64_t Letters(uint64_t x) {
  return InRange(x | 0x20 * kOnes, 'a', 'z');
}

// Returns the eight high bits of `high` (other bits clear) packed into
// bits 0 to 7, byte k's to bit k.
inline uint64_t Gather8(uint64_t high) {
  return ((high >> 7) * 0x0102040810204080) >> 56;
}

}  // namespace watchword::bytes8

#endif  // WATCHWORD_SRC_NORMALIZE_ASCII_BYTES8_H_
