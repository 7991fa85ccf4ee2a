// The interface both matcher backends implement. A Matcher finds every
// pattern of an Engine in normalized text; rule logic happens elsewhere.
#ifndef WATCHWORD_SRC_ENGINE_MATCHER_H_
#define WATCHWORD_SRC_ENGINE_MATCHER_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "src/engine/deadline.h"

namespace watchword {

// One occurrence of a pattern, as byte offsets into normalized text.
struct PatternHit {
  uint32_t pattern;  // Index into EngineRep::patterns.
  uint32_t begin;
  uint32_t end;
  uint16_t folds = 0;  // kFold* bits the occurrence needed (scanner sets).
};

// Takes the occurrences a Match() call finds, one at a time, so a caller can
// filter and cap them as they come instead of holding every one (a text of
// one repeated letter has an occurrence per byte per pattern).
class HitSink {
 public:
  virtual void Add(const PatternHit& hit) = 0;

 protected:
  ~HitSink() = default;
};

// A HitSink that appends every occurrence to a vector it borrows.
class HitVector final : public HitSink {
 public:
  explicit HitVector(std::vector<PatternHit>* hits) : hits_(hits) {}
  void Add(const PatternHit& hit) override { hits_->push_back(hit); }

 private:
  std::vector<PatternHit>* hits_;
};

// Per-thread mutable state of a Matcher (for Hyperscan, its scratch).
class MatcherScratch {
 public:
  virtual ~MatcherScratch() = default;
};

// Which of a Matcher's patterns Match() reports. A Hyperscan engine's
// folded matcher also holds the base view's patterns, ahead of its own
// (MatcherSpec::base_patterns in matcher_plan.h): one database, and one
// scratch, serve both views, so a scan reads one literal table instead of
// two; each view's scan reports only its own patterns.
enum class MatcherPart : uint8_t {
  kOwn,   // The patterns of the matcher's slot.
  kBase,  // The base view's patterns it holds; none unless it holds some.
  // As kBase, and the scan keeps in the scratch what kOwn would report on
  // the same text, for kOwnKept: the folded view of much text is the base
  // view itself (nothing to fold), which need not be scanned again.
  kBaseKeepingOwn,
  // As kOwn; where `text` is that of the last kBaseKeepingOwn call with
  // this scratch, it reports what that call kept, without a scan.
  kOwnKept,
};

// Immutable and thread-safe; all mutable state lives in MatcherScratch.
//
// What Match() reports is the same for every backend, so verdicts are too:
// - for a literal, every occurrence, overlapping ones included;
// - for a regex, its leftmost-longest non-overlapping matches, as RE2 finds
//   them with longest_match (a backend may prefilter, but RE2 decides spans),
//   up to kMaxRegexMatchBytes long (src/engine/regex_spans.h).
// Word-boundary checks are not applied here; the scanner applies them. A
// backend may leave out regex matches of a whole-word pattern (not
// Pattern::substring) that do not begin where a word does (IsWordStart in
// src/normalize/word.h): the scanner would drop them.
class Matcher {
 public:
  virtual ~Matcher() = default;

  // Returns fresh scratch for this matcher, or the backend's error.
  virtual absl::StatusOr<std::unique_ptr<MatcherScratch>> NewScratch()
      const = 0;

  // Gives every occurrence in `text` of the patterns `part` selects to
  // `hits`, as it is found: in no particular order across patterns, but
  // each pattern's occurrences from one pattern source (phrase or regex
  // form) in text order.
  // REQUIRES: `text` is valid UTF-8; `scratch` came from NewScratch().
  // Returns Internal on a backend failure, and DeadlineExceeded if
  // `deadline` (if non-null) passes; `hits` then got only some.
  virtual absl::Status Match(std::string_view text, MatcherScratch* scratch,
                             HitSink* hits, Deadline* deadline = nullptr,
                             MatcherPart part = MatcherPart::kOwn) const = 0;

  // The same, appending every occurrence to *hits.
  absl::Status Match(std::string_view text, MatcherScratch* scratch,
                     std::vector<PatternHit>* hits,
                     Deadline* deadline = nullptr,
                     MatcherPart part = MatcherPart::kOwn) const {
    HitVector sink(hits);
    return Match(text, scratch, &sink, deadline, part);
  }

  // Bytes of compiled matcher data, for reports.
  virtual size_t database_bytes() const = 0;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_MATCHER_H_
