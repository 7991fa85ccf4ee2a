// The matchers of an Engine, as both phases see them: which matchers an
// EngineRep has and what each is built from (PlanMatchers), and the parts
// of building them that need no compiler: RE2 matchers, which compile at
// load, and Hyperscan matchers from serialized databases. Compiling
// Hyperscan databases is src/compile/matcher_builder.h; loading an engine
// file (serialize.cc) uses only this file, so that it links Hyperscan's
// runtime library and not its compiler.
#ifndef WATCHWORD_SRC_ENGINE_MATCHER_PLAN_H_
#define WATCHWORD_SRC_ENGINE_MATCHER_PLAN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "src/engine/engine_rep.h"
#include "src/engine/matcher.h"
#include "src/engine/pattern.h"

namespace watchword {

// One matcher of an EngineRep and what it is built from.
struct MatcherSpec {
  // Stable name ("base", "folded", ...), used in engine files and messages.
  const char* name;
  // The slot of EngineRep::matchers the matcher goes in.
  MatcherSlot slot;
  // Its patterns, and the EngineRep::patterns index each is reported as.
  std::vector<Pattern> patterns;
  std::vector<uint32_t> ids;
  // Built even without patterns (scans always run the folded view);
  // otherwise a matcher without patterns stays null.
  bool required = false;
  // The first `base_patterns` of `patterns` are the base view's, which the
  // matcher holds for the base slot (MatcherPart::kBase); 0 for most.
  uint32_t base_patterns = 0;
};

// Returns the specs of `rep`'s matchers, one per MatcherSlot in slot order
// (view_registry.h): regexes on the base view, then each slot's form of
// the patterns (Pattern::forms). On Hyperscan the folded matcher holds the
// base view's regexes too (MatcherSpec::base_patterns), and the base
// slot's spec has none, so that its matcher stays null.
// REQUIRES: `rep.patterns` is lowered.
std::vector<MatcherSpec> PlanMatchers(const EngineRep& rep);

// Compiles the regex patterns of `patterns` (RegexOptions()); null for the
// others. Returns InvalidArgument naming the first that does not compile.
absl::StatusOr<std::vector<std::unique_ptr<RE2>>> CompileRegexes(
    const std::vector<Pattern>& patterns);

// The RE2 source of each regex pattern, empty for the others.
std::vector<std::string> RegexSources(const std::vector<Pattern>& patterns);

// Returns an RE2 matcher for `patterns` that reports hits of patterns[i] as
// ids[i], or as i if `ids` is empty. Returns InvalidArgument naming the
// pattern when one does not compile, ResourceExhausted if RE2::Set fails.
absl::StatusOr<std::unique_ptr<const Matcher>> BuildRe2Matcher(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids = {});

// Fingerprint of what a Hyperscan database for `patterns`, the first
// `base_patterns` of them the base view's, is compiled from (expressions,
// flags and order). Equal fingerprints mean a database built for one list
// serves the other. Returns 0 in a build without Hyperscan.
uint64_t HyperscanPatternsFingerprint(const std::vector<Pattern>& patterns,
                                      uint32_t base_patterns = 0);

// Returns the serialized Hyperscan database of `matcher` (empty if it has
// none, for want of patterns). Returns FailedPrecondition if `matcher` is
// not a Hyperscan matcher.
absl::StatusOr<std::string> SerializeHyperscanDatabase(const Matcher& matcher);

// A Hyperscan matcher for `patterns`, the first `base_patterns` of them
// the base view's (MatcherSpec), from `database` (bytes from
// SerializeHyperscanDatabase()), deserialized instead of compiled; the RE2
// regexes that locate regex matches compile when first needed, except
// those given in `compiled` (as CompileRegexes() returns them, or empty).
// The caller checks that `database` was compiled for `patterns`
// (HyperscanPatternsFingerprint()).
//
// Returns FailedPrecondition if the database was made by another Hyperscan
// version or for another CPU, or this build or CPU has no Hyperscan, and
// DataLoss if `database` is not a Hyperscan database.
//
// Given `fingerprint`, checks it first, as the caller would: returns
// FailedPrecondition and sets *fingerprint_differs (if non-null) when
// HyperscanPatternsFingerprint(patterns, base_patterns) is not
// *fingerprint. That plans the database once instead of twice.
absl::StatusOr<std::unique_ptr<const Matcher>> LoadHyperscanMatcher(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids,
    absl::string_view database,
    std::vector<std::unique_ptr<RE2>> compiled = {},
    const uint64_t* fingerprint = nullptr,
    bool* fingerprint_differs = nullptr, uint32_t base_patterns = 0);

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_MATCHER_PLAN_H_
