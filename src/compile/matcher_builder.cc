#include "src/compile/matcher_builder.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/engine/regex_spans.h"
#ifdef WATCHWORD_HAVE_HYPERSCAN
#include "src/engine/hyperscan_matcher.h"
#endif

namespace watchword {
namespace {

#ifdef WATCHWORD_HAVE_HYPERSCAN
absl::StatusOr<std::unique_ptr<const Matcher>> BuildHyperscan(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids,
    uint32_t base_patterns) {
  if (hs_valid_platform() != HS_SUCCESS) {
    return absl::FailedPreconditionError(
        "hyperscan: this CPU lacks the instructions Hyperscan needs (SSSE3); "
        "use the re2 backend");
  }
  auto regexes = CompileRegexes(patterns);
  if (!regexes.ok()) return regexes.status();
  HyperscanPlan plan = PlanHyperscanDatabase(patterns);
  hs_database_t* database = nullptr;
  // Empty where every expression is a gated string.
  if (!plan.expressions.empty()) {
    std::vector<const char*> expression_ptrs;
    std::vector<unsigned int> hs_ids;
    for (size_t i = 0; i < plan.expressions.size(); ++i) {
      expression_ptrs.push_back(plan.expressions[i].c_str());
      hs_ids.push_back(static_cast<unsigned int>(i));
    }
    hs_compile_error_t* error = nullptr;
    hs_error_t err = hs_compile_multi(
        expression_ptrs.data(), plan.flags.data(), hs_ids.data(),
        static_cast<unsigned int>(expression_ptrs.size()), HS_MODE_BLOCK,
        nullptr, &database, &error);
    if (err != HS_SUCCESS) {
      std::string message =
          error != nullptr && error->message != nullptr ? error->message : "";
      int index = error != nullptr ? error->expression : -1;
      hs_free_compile_error(error);
      if (index >= 0 && static_cast<size_t>(index) < plan.pattern.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("hyperscan: pattern \"",
                         patterns[plan.pattern[index]].text, "\": ", message));
      }
      return absl::ResourceExhaustedError(
          absl::StrCat("hyperscan: database compile failed: ", message));
    }
  }
  return std::make_unique<HyperscanMatcher>(
      std::move(plan), std::move(ids),
      std::make_unique<LazyRegexes>(RegexSources(patterns),
                                    *std::move(regexes)),
      database, base_patterns);
}
#endif

}  // namespace

absl::StatusOr<std::unique_ptr<const Matcher>> BuildMatcher(
    Backend backend, const std::vector<Pattern>& patterns,
    std::vector<uint32_t> ids, uint32_t base_patterns) {
  if (ids.empty()) {
    for (uint32_t i = 0; i < patterns.size(); ++i) ids.push_back(i);
  }
  if (backend == Backend::kDefault) {
    backend = HasHyperscan() ? Backend::kHyperscan : Backend::kRe2;
  }
  if (backend == Backend::kRe2)
    return BuildRe2Matcher(patterns, std::move(ids));
#ifdef WATCHWORD_HAVE_HYPERSCAN
  return BuildHyperscan(patterns, std::move(ids), base_patterns);
#else
  (void)base_patterns;
  return absl::UnimplementedError(
      "this build of watchword has no hyperscan backend; use re2");
#endif
}

}  // namespace watchword
