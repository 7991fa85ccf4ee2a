// The Hyperscan backend: every pattern of an Engine in one block-mode
// database. Literals are compiled as exact byte strings and report every
// occurrence; regexes are compiled with HS_FLAG_SINGLEMATCH (Hyperscan says
// whether they occur) and then located by RE2, so spans are the same as the
// RE2 backend's.
#ifndef WATCHWORD_SRC_ENGINE_HYPERSCAN_MATCHER_H_
#define WATCHWORD_SRC_ENGINE_HYPERSCAN_MATCHER_H_

#include <hs/hs.h>

#include <memory>
#include <string>
#include <vector>

#include "re2/re2.h"
#include "src/engine/matcher.h"
#include "src/engine/pattern.h"
#include "src/engine/regex_spans.h"

namespace watchword {

// Hyperscan compile flags for a pattern; the validator uses the same ones.
unsigned int HyperscanFlags(const Pattern& pattern);

// Hyperscan source text for a pattern: literals become \xHH escapes.
std::string HyperscanExpression(const Pattern& pattern);

// What a Hyperscan database for a list of patterns is compiled from.
//
// A literal is one expression. A regex is either its literal prefilter
// (regex_literals.h; if Pattern::literal_prefilter), one expression per
// string, or itself: Hyperscan finds
// thousands of literals faster than a few hundred word-alternation regexes.
// Either way a regex's expressions only say that it may match; RE2 decides
// whether and where. The same patterns always give the same plan (engine
// files rely on it).
struct HyperscanPlan {
  // What an expression's hits mean.
  enum Kind : uint8_t {
    kLiteral,         // An occurrence of its (literal) pattern.
    kRegex,           // Its regex may match: RE2 looks.
    kPrefilter,       // Its regex may match: RE2 looks.
    kWordPrefilter,   // Likewise, but only if a word starts where it does:
                      // the regex is whole-word and the string starts
                      // every match it stands for. Reports every hit.
  };
  std::vector<std::string> expressions;
  std::vector<unsigned int> flags;
  std::vector<uint32_t> pattern;  // Per expression: index into the patterns.
  std::vector<Kind> kind;
  std::vector<uint32_t> length;   // Bytes of a literal or prefilter string.

  // Prefilter strings of at most kGatedBytes bytes ("00" to "99" of
  // "\\d{3,}", "$"), which stay out of the database: such strings made
  // Hyperscan's literal matcher slower on every text, as they are found
  // in one pass of a byte table (HyperscanMatcher::Match()). A hit wakes
  // the regex as a kPrefilter or kWordPrefilter expression would.
  static constexpr size_t kGatedBytes = 2;  // FindGated() checks 2 at most.
  static_assert(kGatedBytes <= 2);
  struct Gated {
    std::string text;
    uint32_t pattern;
    bool word;  // As kWordPrefilter: only where a word starts.
  };
  std::vector<Gated> gated;
};
HyperscanPlan PlanHyperscanDatabase(const std::vector<Pattern>& patterns);

class HyperscanMatcher : public Matcher {
 public:
  // Takes ownership of `database` (null when there are no patterns), which
  // must be compiled from `plan` (PlanHyperscanDatabase(patterns)) with
  // expression i as id i. Hits of patterns[i] are reported as ids[i].
  // `regexes[i]` is non-null exactly when patterns[i] is a regex. The
  // first `base_patterns` patterns are the base view's (MatcherPart::kBase),
  // the rest the matcher's own.
  HyperscanMatcher(HyperscanPlan plan, std::vector<uint32_t> ids,
                   std::unique_ptr<const LazyRegexes> regexes,
                   hs_database_t* database, uint32_t base_patterns = 0);
  ~HyperscanMatcher() override;

  absl::StatusOr<std::unique_ptr<MatcherScratch>> NewScratch() const override;
  using Matcher::Match;
  absl::Status Match(std::string_view text, MatcherScratch* scratch,
                     HitSink* hits, Deadline* deadline = nullptr,
                     MatcherPart part = MatcherPart::kOwn) const override;
  size_t database_bytes() const override;

  // The compiled database, null when there are no patterns. Lives as long
  // as this matcher.
  const hs_database_t* database() const { return database_; }

 private:
  // Wakes the regexes of plan_.gated found in `text`, as OnMatch() does.
  void FindGated(std::string_view text, MatcherScratch* scratch) const;

  // Match() for MatcherPart::kOwnKept, when `scratch` kept what a kOwn
  // scan of `text` finds.
  absl::Status Replay(std::string_view text, MatcherScratch* scratch,
                      HitSink* hits, Deadline* deadline) const;

  std::vector<uint32_t> ids_;
  uint32_t base_patterns_;  // Patterns [0, base_patterns_) are kBase's.
  // Whether gated_ holds strings of kBase's patterns, and of kOwn's.
  bool base_gated_ = false;
  bool own_gated_ = false;
  HyperscanPlan plan_;  // Without expressions and flags, once compiled.
  // plan_.gated sorted by first byte; gated_begin_[b] to gated_begin_[b+1]
  // are those that start with byte b.
  std::vector<HyperscanPlan::Gated> gated_;
  std::vector<uint16_t> gated_begin_;  // 257 entries, or none.
  // Bit 256 * b + c: a string of gated_ starts with byte b and has c for
  // its second byte, or has one byte only (then all of b's 256 bits are
  // set): FindGated() passes over "5pm" without reading the 20 strings
  // "50" to "59". 256 * 256 bits, or none.
  std::vector<uint64_t> gated_pairs_;
  // The bytes gated_ starts with as up to kGateRanges ranges
  // [gate_low_[r], gate_low_[r] + gate_span_[r]], for a vector pass over
  // the text; gate_ranges_ is 0 where they need more, and each byte is
  // looked up instead.
  static constexpr int kGateRanges = 4;
  int gate_ranges_ = 0;
  uint8_t gate_low_[kGateRanges] = {};
  uint8_t gate_span_[kGateRanges] = {};
  // Each gate_low_ and then each gate_span_ byte 16 times, ready to load.
  alignas(16) uint8_t gate_vectors_[2 * kGateRanges][16] = {};
  std::unique_ptr<const LazyRegexes> regexes_;  // Where each regex matched.
  hs_database_t* database_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_HYPERSCAN_MATCHER_H_
