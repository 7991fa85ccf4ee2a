// Span extraction for regex patterns, shared by both backends so that they
// report identical spans: RE2 with longest_match decides where a regex
// matched, whichever backend decided that it matched.
#ifndef WATCHWORD_SRC_ENGINE_REGEX_SPANS_H_
#define WATCHWORD_SRC_ENGINE_REGEX_SPANS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "src/engine/deadline.h"
#include "src/engine/matcher.h"

namespace watchword {

// The memory budget of one regex term's RE2 object, program and DFA caches
// included (RE2::Options::max_mem; RE2's default is 8 MiB). An Engine
// holds one RE2 per regex form and view (one per phrase for the masked
// views), shared by all its Scanners, each caching DFA states as scans
// need them; this caps what each may grow to. When a search fills the
// cache, RE2 empties it and goes on; when that happens too often, or the
// DFA cannot fit at all, RE2 runs its NFA instead: slower, same matches.
// The cap is far above what a regex under kMaxRegexProgramSize needs on
// 2 * kMaxRegexMatchBytes windows.
inline constexpr int64_t kRegexMaxMemory = 1 << 20;

// The RE2 options every regex term is compiled with: UTF-8,
// case-insensitive (text is case-folded, the regex may not be), leftmost-
// longest, no logging (errors come back as diagnostics, and a log line
// could carry rule text into service logs), kRegexMaxMemory.
RE2::Options RegexOptions();

// Compiles `pattern` with RegexOptions(). Returns InvalidArgument with
// RE2's message if it does not compile.
absl::StatusOr<std::unique_ptr<RE2>> CompileRegex(std::string_view pattern);

// True if `re` matches an empty string anywhere: at the start or end of a
// text, or between two characters (`\b`, `^`, `(?m)$` match there).
// Hyperscan rejects such patterns.
bool MatchesEmpty(const RE2& re);

// RE2 regexes compiled on first use. A matcher may hold thousands of
// regexes that most scans never need (one per phrase for the masked views),
// and compiling them all when an engine file loaded was a third of its load
// time. Thread-safe: threads that first need the same regex at once may
// each compile it; one result is kept.
class LazyRegexes {
 public:
  // `sources[i]` is the RE2 source of regex i (compiled with
  // RegexOptions()), or empty where there is none. `compiled`, if not
  // empty, holds regexes already compiled (null where not), as many as
  // `sources`.
  explicit LazyRegexes(std::vector<std::string> sources,
                       std::vector<std::unique_ptr<RE2>> compiled = {});
  ~LazyRegexes();

  LazyRegexes(const LazyRegexes&) = delete;
  LazyRegexes& operator=(const LazyRegexes&) = delete;

  // Regex i, compiled now if not yet. Returns InvalidArgument if it does
  // not compile (it did when its ruleset was validated; an engine file
  // could still carry one that does not). The pointer lives as long as this.
  absl::StatusOr<const RE2*> Get(size_t i) const;

 private:
  std::vector<std::string> sources_;
  std::unique_ptr<std::atomic<RE2*>[]> compiled_;
};

// The longest regex match a scan is sure to report whole. A match longer
// than this may be reported cut short, or not at all: each search looks at
// a window of 2 * kMaxRegexMatchBytes bytes, so that scanning takes time
// linear in the text whatever the regex (see AppendRegexSpans).
inline constexpr size_t kMaxRegexMatchBytes = 256;

// Appends the leftmost-longest, non-overlapping matches of `re` in `text`
// as hits of `pattern_index`. Empty matches are skipped. Where no match of
// `re` in `text` is longer than kMaxRegexMatchBytes, these are exactly the
// matches of repeated unbounded searches; in any case each byte is scanned
// at most 2 * kMaxRegexMatchBytes times. Stops early, with the spans found
// so far, once `deadline` (if non-null) has passed.
void AppendRegexSpans(const RE2& re, uint32_t pattern_index,
                      std::string_view text, HitSink* hits,
                      Deadline* deadline = nullptr);
inline void AppendRegexSpans(const RE2& re, uint32_t pattern_index,
                             std::string_view text,
                             std::vector<PatternHit>* hits,
                             Deadline* deadline = nullptr) {
  HitVector sink(hits);
  AppendRegexSpans(re, pattern_index, text, &sink, deadline);
}

// Appends every occurrence of `literal` in `text`, overlapping included.
void AppendLiteralSpans(std::string_view literal, uint32_t pattern_index,
                        std::string_view text, HitSink* hits);

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_REGEX_SPANS_H_
