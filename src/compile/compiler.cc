// The public entry points of compiler.h: load, validate, lower, build.
#include "watchword/compiler.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "src/compile/loader.h"
#include "src/compile/lower.h"
#include "src/compile/matcher_builder.h"
#include "src/engine/ruleset_limits.h"
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
        rep->matchers[spec.slot],
        BuildMatcher(rep->backend, spec.patterns, std::move(spec.ids)));
  }
  return absl::OkStatus();
}

// Counts the distinct phrases and regexes of `ruleset` rule by rule, as
// CompileOptions describes, and returns ResourceExhausted at the first rule
// (or unused term list) that takes them over the budget. It runs before
// validation and lowering, which take seconds on rulesets far over budget,
// so it only reads the ruleset, and no deeper than expressions may nest.
class BudgetCheck {
 public:
  BudgetCheck(const v1::Ruleset& ruleset, const CompileOptions& options,
              const SourceMap* source_map)
      : ruleset_(ruleset), options_(options), source_map_(source_map) {}

  absl::Status Run() {
    for (int i = 0; i < ruleset_.term_lists_size(); ++i) {
      lists_.try_emplace(ruleset_.term_lists(i).id(), i);
    }
    for (int i = 0; i < ruleset_.rules_size(); ++i) {
      const v1::Rule& rule = ruleset_.rules(i);
      AddExpr(rule.match(), 1);
      for (const v1::Exception& exception : rule.exceptions()) {
        for (const v1::Term& term : exception.terms()) AddTerm(term);
        for (const std::string& id : exception.term_lists()) AddList(id);
      }
      if (Over()) {
        return Exhausted(absl::StrCat("rule \"", rule.id(), "\""),
                         absl::StrCat("rules[", i, "]"));
      }
    }
    // Term lists no rule uses are compiled all the same.
    for (int i = 0; i < ruleset_.term_lists_size(); ++i) {
      const v1::TermList& list = ruleset_.term_lists(i);
      AddList(list.id());
      if (Over()) {
        return Exhausted(absl::StrCat("term list \"", list.id(), "\""),
                         absl::StrCat("term_lists[", i, "]"));
      }
    }
    return absl::OkStatus();
  }

 private:
  bool Over() const {
    return static_cast<int64_t>(seen_.size()) > options_.max_patterns ||
           bytes_ > options_.max_pattern_bytes;
  }

  absl::Status Exhausted(const std::string& label, const std::string& path) {
    std::string where = path;
    SourceLocation loc;
    if (source_map_ != nullptr && source_map_->Find(path, &loc) &&
        loc.line > 0) {
      where = absl::StrCat(loc.file, ":", loc.line, ":", loc.column);
    }
    const bool count = static_cast<int64_t>(seen_.size()) > options_.max_patterns;
    return absl::ResourceExhaustedError(absl::StrCat(
        label, " (", where, "): the ruleset needs ",
        count ? absl::StrCat(seen_.size(), " patterns up to here; limit is ",
                             options_.max_patterns,
                             " (CompileOptions.max_patterns)")
              : absl::StrCat(bytes_, " bytes of patterns up to here; limit is ",
                             options_.max_pattern_bytes,
                             " (CompileOptions.max_pattern_bytes)")));
  }

  void AddTerm(const v1::Term& term) {
    if (term.kind_case() == v1::Term::KIND_NOT_SET) return;
    const bool regex = term.kind_case() == v1::Term::kRegex;
    const std::string& text = regex ? term.regex() : term.phrase();
    if (seen_.insert(absl::StrCat(regex ? "r" : "p", text)).second) {
      bytes_ += static_cast<int64_t>(text.size());
    }
  }

  void AddList(const std::string& id) {
    auto it = lists_.find(id);
    if (it == lists_.end() || it->second < 0) return;
    for (const v1::Term& term : ruleset_.term_lists(it->second).terms()) {
      AddTerm(term);
    }
    it->second = -1;  // Counted.
  }

  void AddExpr(const v1::Expr& expr, int depth) {
    if (depth > kMaxExprDepth) return;  // The validator reports it.
    const google::protobuf::RepeatedPtrField<v1::Expr>* children = nullptr;
    switch (expr.node_case()) {
      case v1::Expr::kTerm:
        AddTerm(expr.term());
        return;
      case v1::Expr::kTermList:
        AddList(expr.term_list());
        return;
      case v1::Expr::kAny:
        children = &expr.any().exprs();
        break;
      case v1::Expr::kAll:
        children = &expr.all().exprs();
        break;
      case v1::Expr::kNone:
        children = &expr.none().exprs();
        break;
      case v1::Expr::kNear:
        children = &expr.near().exprs();
        break;
      default:
        return;
    }
    for (const v1::Expr& child : *children) AddExpr(child, depth + 1);
  }

  const v1::Ruleset& ruleset_;
  const CompileOptions& options_;
  const SourceMap* source_map_;
  absl::flat_hash_map<std::string, int> lists_;  // Id -> index; -1 counted.
  absl::flat_hash_set<std::string> seen_;        // "p" phrase, "r" regex.
  int64_t bytes_ = 0;
};

// Validates, then builds. `source_map` may be null (in-memory rulesets).
absl::StatusOr<std::shared_ptr<const Engine>> ValidateAndBuild(
    const v1::Ruleset& ruleset, const CompileOptions& options,
    const SourceMap* source_map, std::vector<v1::Diagnostic>* diagnostics) {
  WATCHWORD_RETURN_IF_ERROR(
      BudgetCheck(ruleset, options, source_map).Run());
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
  return EngineAccess::Make(std::move(rep));
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
