// Builds the matchers (Hyperscan databases or RE2::Sets) of an Engine from
// its patterns, when compiling. What a matcher is built from, and loading
// matchers from an engine file, is src/engine/matcher_plan.h.
#ifndef WATCHWORD_SRC_COMPILE_MATCHER_BUILDER_H_
#define WATCHWORD_SRC_COMPILE_MATCHER_BUILDER_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "src/engine/matcher.h"
#include "src/engine/matcher_plan.h"
#include "src/engine/pattern.h"
#include "watchword/engine.h"

namespace watchword {

// Returns a matcher for `patterns` on `backend` (kDefault resolves to
// Hyperscan when built in) that reports hits of patterns[i] as ids[i], or
// as i if `ids` is empty; the first `base_patterns` of them are the base
// view's (MatcherSpec::base_patterns, Hyperscan only). Returns
// Unimplemented for Hyperscan in a build without it, FailedPrecondition
// when the CPU cannot run Hyperscan, and InvalidArgument naming the
// pattern when one does not compile.
absl::StatusOr<std::unique_ptr<const Matcher>> BuildMatcher(
    Backend backend, const std::vector<Pattern>& patterns,
    std::vector<uint32_t> ids = {}, uint32_t base_patterns = 0);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_MATCHER_BUILDER_H_
