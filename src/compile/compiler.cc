// The public entry points of compiler.h: load, validate, lower, build.
#include "watchword/compiler.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/compile/loader.h"
#include "src/compile/lower.h"
#include "src/compile/matcher_builder.h"
#include "src/compile/source_map.h"
#include "src/compile/validator.h"
#include "src/engine/engine_rep.h"
#include "watchword/status_macros.h"

namespace watchword {
namespace {

int CountErrors(const std::vector<v1::Diagnostic>& diagnostics) {
  int errors = 0;
  for (const v1::Diagnostic& d : diagnostics) {
    if (d.severity() == v1::Diagnostic::SEVERITY_ERROR) ++errors;
  }
  return errors;
}

// Splits the patterns among the three matchers: regexes on the base view,
// literals on the folded views, and literals' joined forms on the joined
// view.
absl::Status BuildMatchers(EngineRep* rep) {
  std::vector<Pattern> regexes, literals, joined;
  std::vector<uint32_t> regex_ids, literal_ids, joined_ids;
  for (uint32_t i = 0; i < rep->patterns.size(); ++i) {
    const Pattern& pattern = rep->patterns[i];
    if (pattern.kind == Pattern::Kind::kRegex) {
      regexes.push_back(pattern);
      regex_ids.push_back(i);
      continue;
    }
    literals.push_back(pattern);
    literal_ids.push_back(i);
    if (!pattern.joined_text.empty()) {
      Pattern join = pattern;
      join.text = pattern.joined_text;
      joined.push_back(std::move(join));
      joined_ids.push_back(i);
    }
  }
  if (!regexes.empty()) {
    WATCHWORD_ASSIGN_OR_RETURN(
        rep->base_matcher,
        BuildMatcher(rep->backend, regexes, std::move(regex_ids)));
  }
  WATCHWORD_ASSIGN_OR_RETURN(
      rep->folded_matcher,
      BuildMatcher(rep->backend, literals, std::move(literal_ids)));
  if (!joined.empty()) {
    WATCHWORD_ASSIGN_OR_RETURN(
        rep->joined_matcher,
        BuildMatcher(rep->backend, joined, std::move(joined_ids)));
  }
  return absl::OkStatus();
}

// Validates, then builds. `source_map` may be null (in-memory rulesets).
absl::StatusOr<std::shared_ptr<const Engine>> ValidateAndBuild(
    const v1::Ruleset& ruleset, const CompileOptions& options,
    const SourceMap* source_map, std::vector<v1::Diagnostic>* diagnostics) {
  std::vector<v1::Diagnostic> found;
  ValidateRuleset(ruleset, &found);
  if (source_map != nullptr) {
    for (v1::Diagnostic& d : found) source_map->Annotate(&d);
  }
  int errors = CountErrors(found);
  const v1::Diagnostic* first_error = nullptr;
  for (const v1::Diagnostic& d : found) {
    if (d.severity() == v1::Diagnostic::SEVERITY_ERROR) {
      first_error = &d;
      break;
    }
  }
  absl::Status status;
  if (first_error != nullptr) {
    status = absl::InvalidArgumentError(
        errors == 1 ? FormatDiagnostic(*first_error)
                    : absl::StrCat(FormatDiagnostic(*first_error), " (and ",
                                   errors - 1, " more errors)"));
  }
  if (diagnostics != nullptr) {
    diagnostics->insert(diagnostics->end(), found.begin(), found.end());
  }
  if (!status.ok()) return status;

  WATCHWORD_ASSIGN_OR_RETURN(std::unique_ptr<EngineRep> rep,
                             LowerRuleset(ruleset));
  if (static_cast<int>(rep->patterns.size()) > options.max_patterns) {
    return absl::ResourceExhaustedError(
        absl::StrCat("ruleset \"", ruleset.name(), "\" needs ",
                     rep->patterns.size(), " patterns; limit is ",
                     options.max_patterns));
  }
  rep->backend = options.backend == Backend::kDefault
                     ? (HasHyperscan() ? Backend::kHyperscan : Backend::kRe2)
                     : options.backend;
  WATCHWORD_RETURN_IF_ERROR(BuildMatchers(rep.get()));
  return std::make_shared<const Engine>(std::move(rep));
}

}  // namespace

absl::StatusOr<v1::Ruleset> LoadRuleset(
    absl::string_view path, std::vector<v1::Diagnostic>* diagnostics) {
  v1::Ruleset ruleset;
  SourceMap source_map;
  std::vector<v1::Diagnostic> found;
  absl::Status status = LoadRulesetWithSource(
      std::string_view(path.data(), path.size()), &ruleset, &source_map,
      &found);
  if (diagnostics != nullptr) {
    diagnostics->insert(diagnostics->end(), found.begin(), found.end());
  }
  if (!status.ok()) return status;
  return ruleset;
}

absl::StatusOr<std::shared_ptr<const Engine>> Compile(
    const v1::Ruleset& ruleset, const CompileOptions& options,
    std::vector<v1::Diagnostic>* diagnostics) {
  return ValidateAndBuild(ruleset, options, nullptr, diagnostics);
}

absl::StatusOr<std::shared_ptr<const Engine>> CompileFile(
    absl::string_view path, const CompileOptions& options,
    std::vector<v1::Diagnostic>* diagnostics) {
  v1::Ruleset ruleset;
  SourceMap source_map;
  std::vector<v1::Diagnostic> found;
  absl::Status status = LoadRulesetWithSource(
      std::string_view(path.data(), path.size()), &ruleset, &source_map,
      &found);
  if (diagnostics != nullptr) {
    diagnostics->insert(diagnostics->end(), found.begin(), found.end());
  }
  if (!status.ok()) return status;
  return ValidateAndBuild(ruleset, options, &source_map, diagnostics);
}

std::string FormatDiagnostic(const v1::Diagnostic& d) {
  std::string where;
  if (!d.file().empty()) {
    where = d.file();
    if (d.line() > 0) absl::StrAppend(&where, ":", d.line(), ":", d.column());
  } else if (!d.field_path().empty()) {
    where = d.field_path();
  } else {
    where = "<ruleset>";
  }
  const char* severity =
      d.severity() == v1::Diagnostic::SEVERITY_WARNING ? "warning" : "error";
  return absl::StrCat(where, ": ", severity, " ", d.code(), ": ", d.message());
}

}  // namespace watchword
