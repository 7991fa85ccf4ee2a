// Builds the matchers (Hyperscan databases or RE2::Sets) of an Engine: from
// its patterns when compiling, or from serialized Hyperscan databases when
// loading an engine file (src/compile/serialize.cc).
#ifndef WATCHWORD_SRC_COMPILE_MATCHER_BUILDER_H_
#define WATCHWORD_SRC_COMPILE_MATCHER_BUILDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/engine/engine_rep.h"
#include "src/engine/matcher.h"
#include "src/engine/pattern.h"
#include "watchword/engine.h"

namespace watchword {

// One matcher of an EngineRep and what it is built from.
struct MatcherSpec {
  // Stable name ("base", "folded", ...), used in engine files and messages.
  const char* name;
  // The EngineRep member the matcher goes in: rep->*spec.slot.
  std::unique_ptr<const Matcher> EngineRep::*slot;
  // Its patterns, and the EngineRep::patterns index each is reported as.
  std::vector<Pattern> patterns;
  std::vector<uint32_t> ids;
  // Built even without patterns (scans always run the folded view);
  // otherwise a matcher without patterns stays null.
  bool required = false;
};

// Returns the specs of `rep`'s eight matchers, always in the same order:
// regexes on the base view, literals on the folded views, each view with
// the phrase form it needs (engine_rep.h).
// REQUIRES: `rep.patterns` is lowered.
std::vector<MatcherSpec> PlanMatchers(const EngineRep& rep);

// Returns a matcher for `patterns` on `backend` (kDefault resolves to
// Hyperscan when built in) that reports hits of patterns[i] as ids[i], or
// as i if `ids` is empty. Returns Unimplemented for Hyperscan in a build
// without it, FailedPrecondition when the CPU cannot run Hyperscan, and
// InvalidArgument naming the pattern when one does not compile.
absl::StatusOr<std::unique_ptr<const Matcher>> BuildMatcher(
    Backend backend, const std::vector<Pattern>& patterns,
    std::vector<uint32_t> ids = {});

// Fingerprint of what a Hyperscan database for `patterns` is compiled from
// (expressions, flags and order). Equal fingerprints mean a database built
// for one list serves the other. Returns 0 in a build without Hyperscan.
uint64_t HyperscanPatternsFingerprint(const std::vector<Pattern>& patterns);

// Returns the serialized Hyperscan database of `matcher` (empty if it has
// none, for want of patterns). Returns FailedPrecondition if `matcher` is
// not a Hyperscan matcher.
absl::StatusOr<std::string> SerializeHyperscanDatabase(const Matcher& matcher);

// Like BuildMatcher() on Hyperscan, but deserializes `database` (bytes from
// SerializeHyperscanDatabase()) instead of compiling; the RE2 regexes that
// locate regex matches are compiled. The caller checks that `database` was
// compiled for `patterns` (HyperscanPatternsFingerprint()).
//
// Returns FailedPrecondition if the database was made by another Hyperscan
// version or for another CPU, or this build or CPU has no Hyperscan, and
// DataLoss if `database` is not a Hyperscan database.
absl::StatusOr<std::unique_ptr<const Matcher>> LoadHyperscanMatcher(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids,
    absl::string_view database);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_MATCHER_BUILDER_H_
