// The RE2 backend: one RE2::Set finds which patterns occur, then each
// occurring pattern is located (literals by search, regexes by RE2).
// Portable: it runs wherever RE2 does, so Watchword works without Hyperscan.
#ifndef WATCHWORD_SRC_ENGINE_RE2_MATCHER_H_
#define WATCHWORD_SRC_ENGINE_RE2_MATCHER_H_

#include <memory>
#include <vector>

#include "re2/re2.h"
#include "re2/set.h"
#include "src/engine/matcher.h"
#include "src/engine/pattern.h"

namespace watchword {

class Re2Matcher : public Matcher {
 public:
  // Takes ownership. Hits of patterns[i] are reported as ids[i]. It holds
  // one view's patterns: Match() reports none for MatcherPart::kBase and
  // kBaseKeepingOwn, keeps nothing, and scans for kOwnKept as for kOwn.
  // `regexes[i]` is null unless patterns[i] is a regex; `set` is null when
  // there are no patterns.
  Re2Matcher(std::vector<Pattern> patterns, std::vector<uint32_t> ids,
             std::vector<std::unique_ptr<RE2>> regexes,
             std::unique_ptr<RE2::Set> set, size_t set_bytes);

  absl::StatusOr<std::unique_ptr<MatcherScratch>> NewScratch() const override;
  using Matcher::Match;
  absl::Status Match(std::string_view text, MatcherScratch* scratch,
                     HitSink* hits, Deadline* deadline = nullptr,
                     MatcherPart part = MatcherPart::kOwn) const override;
  size_t database_bytes() const override { return set_bytes_; }

 private:
  std::vector<Pattern> patterns_;
  std::vector<uint32_t> ids_;
  std::vector<std::unique_ptr<RE2>> regexes_;
  std::unique_ptr<RE2::Set> set_;
  size_t set_bytes_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_RE2_MATCHER_H_
