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

// Builds every matcher PlanMatchers() lists for `rep`.
absl::Status BuildMatchers(EngineRep* rep) {
  for (MatcherSpec& spec : PlanMatchers(*rep)) {
    if (spec.patterns.empty() && !spec.required) continue;
    WATCHWORD_ASSIGN_OR_RETURN(
        rep->*spec.slot,
        BuildMatcher(rep->backend, spec.patterns, std::move(spec.ids)));
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
  WATCHWORD_RETURN_IF_ERROR(LoadRulesetWithSource(
      std::string_view(path.data(), path.size()), &ruleset,
      /*source_map=*/nullptr, diagnostics));
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
  WATCHWORD_RETURN_IF_ERROR(LoadRulesetWithSource(
      std::string_view(path.data(), path.size()), &ruleset, &source_map,
      diagnostics));
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
