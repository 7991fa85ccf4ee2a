// Sixteen bytes at a time with SSE2, where the target has it: the byte
// classes of ascii_bytes8.h as a bit per byte (byte k's to bit k), in a
// third of its instructions and code. Callers test WATCHWORD_USE_SSE2 and
// fall back to ascii_bytes8.h. For src/normalize and src/scan; not for
// callers of the folds.
#ifndef WATCHWORD_SRC_NORMALIZE_ASCII_BYTES16_H_
#define WATCHWORD_SRC_NORMALIZE_ASCII_BYTES16_H_

// 1 where the 16-byte code is compiled: with SSE2 (every x86-64), unless
// WATCHWORD_SCALAR_ONLY asks for the portable fallbacks, as
// view_transforms_scalar_test does to test them on x86-64 too.
#if defined(__SSE2__) && !defined(WATCHWORD_SCALAR_ONLY)
#define WATCHWORD_USE_SSE2 1
#else
#define WATCHWORD_USE_SSE2 0
#endif

#if WATCHWORD_USE_SSE2
#include <emmintrin.h>

#include <cstdint>

namespace watchword::bytes16 {

// Returns the 16 bytes at `p`.
inline __m128i Load(const void* p) {
  return _mm_loadu_si128(static_cast<const __m128i*>(p));
}

// Returns 0xFF in each byte of `x` in [`lo`, `hi`] (as unsigned bytes),
// 0 in the others.
inline __m128i InRange(__m128i x, uint8_t lo, uint8_t hi) {
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
  return _mm_cmpeq_epi8(
      _mm_min_epu8(d, _mm_set1_epi8(static_cast<char>(hi - lo))), d);
}

// Returns 0xFF in each byte of `x` equal to `c`.
inline __m128i Equals(__m128i x, uint8_t c) {
  return _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(c)));
}

// Returns 0xFF in each byte of `x` that is an ASCII letter, either case
// (a byte with the high bit set is none).
inline __m128i Letters(__m128i x) {
  return InRange(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
}

// Returns bit k set where byte k of `m` is 0xFF. REQUIRES: each byte of
// `m` is 0 or 0xFF.
inline uint64_t Gather16(__m128i m) {
  return static_cast<uint16_t>(_mm_movemask_epi8(m));
}

}  // namespace watchword::bytes16

#endif  // WATCHWORD_USE_SSE2

#endif  // WATCHWORD_SRC_NORMALIZE_ASCII_BYTES16_H_
