#include "src/compile/matcher_builder.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "re2/set.h"
#include "src/engine/re2_matcher.h"
#include "src/engine/regex_spans.h"
#ifdef WATCHWORD_HAVE_HYPERSCAN
#include "src/engine/hyperscan_matcher.h"
#endif

namespace watchword {
namespace {

// RE2::Set's DFA budget. The default (8 MiB) runs out on large rulesets;
// when it does, the scan fails loudly rather than missing matches.
constexpr int64_t kSetMaxMemory = 256 << 20;

absl::StatusOr<std::vector<std::unique_ptr<RE2>>> CompileRegexes(
    const std::vector<Pattern>& patterns) {
  std::vector<std::unique_ptr<RE2>> regexes(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].kind != Pattern::Kind::kRegex) continue;
    auto re = CompileRegex(patterns[i].text);
    if (!re.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "regex \"", patterns[i].text, "\": ", re.status().message()));
    }
    regexes[i] = *std::move(re);
  }
  return regexes;
}

absl::StatusOr<std::unique_ptr<const Matcher>> BuildRe2(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids) {
  auto regexes = CompileRegexes(patterns);
  if (!regexes.ok()) return regexes.status();
  if (patterns.empty()) {
    return std::make_unique<Re2Matcher>(patterns, std::move(ids),
                                        *std::move(regexes), nullptr, 0);
  }
  RE2::Options options = RegexOptions();
  options.set_max_mem(kSetMaxMemory);
  auto set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  size_t bytes = 0;
  for (const Pattern& pattern : patterns) {
    std::string source = pattern.kind == Pattern::Kind::kLiteral
                             ? RE2::QuoteMeta(pattern.text)
                             : pattern.text;
    bytes += source.size();
    std::string error;
    if (set->Add(source, &error) < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("pattern \"", pattern.text, "\": ", error));
    }
  }
  if (!set->Compile()) {
    return absl::ResourceExhaustedError("re2 backend: RE2::Set compile failed");
  }
  return std::make_unique<Re2Matcher>(patterns, std::move(ids),
                                      *std::move(regexes), std::move(set),
                                      bytes);
}

#ifdef WATCHWORD_HAVE_HYPERSCAN
absl::StatusOr<std::unique_ptr<const Matcher>> BuildHyperscan(
    const std::vector<Pattern>& patterns, std::vector<uint32_t> ids) {
  if (hs_valid_platform() != HS_SUCCESS) {
    return absl::FailedPreconditionError(
        "hyperscan: this CPU lacks the instructions Hyperscan needs (SSSE3); "
        "use the re2 backend");
  }
  auto regexes = CompileRegexes(patterns);
  if (!regexes.ok()) return regexes.status();
  hs_database_t* database = nullptr;
  if (!patterns.empty()) {
    std::vector<std::string> expressions;
    std::vector<const char*> expression_ptrs;
    std::vector<unsigned int> flags;
    std::vector<unsigned int> hs_ids;
    expressions.reserve(patterns.size());
    for (size_t i = 0; i < patterns.size(); ++i) {
      expressions.push_back(HyperscanExpression(patterns[i]));
      flags.push_back(HyperscanFlags(patterns[i]));
      hs_ids.push_back(static_cast<unsigned int>(i));
    }
    for (const std::string& e : expressions) expression_ptrs.push_back(e.c_str());
    hs_compile_error_t* error = nullptr;
    hs_error_t err = hs_compile_multi(
        expression_ptrs.data(), flags.data(), hs_ids.data(),
        static_cast<unsigned int>(patterns.size()), HS_MODE_BLOCK, nullptr,
        &database, &error);
    if (err != HS_SUCCESS) {
      std::string message =
          error != nullptr && error->message != nullptr ? error->message : "";
      int index = error != nullptr ? error->expression : -1;
      hs_free_compile_error(error);
      if (index >= 0 && static_cast<size_t>(index) < patterns.size()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "hyperscan: pattern \"", patterns[index].text, "\": ", message));
      }
      return absl::ResourceExhaustedError(
          absl::StrCat("hyperscan: database compile failed: ", message));
    }
  }
  return std::make_unique<HyperscanMatcher>(patterns, std::move(ids),
                                            *std::move(regexes), database);
}
#endif

}  // namespace

absl::StatusOr<std::unique_ptr<const Matcher>> BuildMatcher(
    Backend backend, const std::vector<Pattern>& patterns,
    std::vector<uint32_t> ids) {
  if (ids.empty()) {
    for (uint32_t i = 0; i < patterns.size(); ++i) ids.push_back(i);
  }
  if (backend == Backend::kDefault) {
    backend = HasHyperscan() ? Backend::kHyperscan : Backend::kRe2;
  }
  if (backend == Backend::kRe2) return BuildRe2(patterns, std::move(ids));
#ifdef WATCHWORD_HAVE_HYPERSCAN
  return BuildHyperscan(patterns, std::move(ids));
#else
  return absl::UnimplementedError(
      "this build of watchword has no hyperscan backend; use re2");
#endif
}

}  // namespace watchword
