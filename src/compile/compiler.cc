// The public entry points of compiler.h: load, validate, lower, build.
#include "watchword/compiler.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "src/compile/diagnostic_codes.h"
#include "src/compile/loader.h"
#include "src/compile/lower.h"
#include "src/compile/matcher_builder.h"
#include "src/compile/source_map.h"
#include "src/compile/validator.h"
#include "src/engine/engine_rep.h"
#include "src/engine/regex_spans.h"
#include "src/engine/ruleset_limits.h"
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
        BuildMatcher(rep->backend, spec.patterns, std::move(spec.ids),
                     spec.base_patterns));
  }
  return absl::OkStatus();
}

// Counts the distinct phrases and regexes of `ruleset` and the cost of its
// regexes term by term, in rule order, as CompileOptions describes, and
// returns ResourceExhausted (WW214) at the first term that takes them over
// the budget. It runs before validation and lowering, which take seconds on
// rulesets far over budget and compile regexes with Hyperscan, so it only
// reads the ruleset, and no deeper than expressions may nest.
class BudgetCheck {
 public:
  BudgetCheck(const v1::Ruleset& ruleset, const CompileOptions& options,
              const SourceMap* source_map)
      : ruleset_(ruleset), options_(options), source_map_(source_map) {}

  // Appends the error, if any, to `diagnostics` (if non-null).
  absl::Status Run(std::vector<v1::Diagnostic>* diagnostics) {
    for (int i = 0; i < ruleset_.term_lists_size(); ++i) {
      lists_.try_emplace(ruleset_.term_lists(i).id(), i);
    }
    for (int i = 0; i < ruleset_.rules_size() && over_ == Over::kNo; ++i) {
      const v1::Rule& rule = ruleset_.rules(i);
      rule_id_ = &rule.id();
      std::string path = absl::StrCat("rules[", i, "]");
      AddExpr(rule.match(), 1, absl::StrCat(path, ".match"));
      for (int e = 0; e < rule.exceptions_size(); ++e) {
        const v1::Exception& exception = rule.exceptions(e);
        const std::string prefix = absl::StrCat(path, ".exceptions[", e, "]");
        for (int t = 0; t < exception.terms_size(); ++t) {
          AddTerm(exception.terms(t), absl::StrCat(prefix, ".terms[", t, "]"));
        }
        for (const std::string& id : exception.term_lists()) AddList(id);
      }
    }
    // Term lists no rule uses are compiled all the same.
    if (over_ == Over::kNo) rule_id_ = nullptr;
    for (int i = 0; i < ruleset_.term_lists_size() && over_ == Over::kNo; ++i) {
      AddList(ruleset_.term_lists(i).id());
    }
    if (over_ == Over::kNo) return absl::OkStatus();

    v1::Diagnostic d;
    d.set_severity(v1::Diagnostic::SEVERITY_ERROR);
    d.set_code(kOverCompileBudget);
    if (rule_id_ != nullptr) d.set_rule_id(*rule_id_);
    d.set_field_path(crossing_path_);
    const std::string label =
        rule_id_ != nullptr
            ? absl::StrCat("rule \"", *rule_id_, "\"")
            : absl::StrCat("term list \"", crossing_list_, "\"");
    switch (over_) {
      case Over::kPatterns:
        d.set_message(absl::StrCat(label, ": the ruleset needs ", seen_.size(),
                                   " patterns up to here; limit is ",
                                   options_.max_patterns,
                                   " (CompileOptions.max_patterns)"));
        break;
      case Over::kBytes:
        d.set_message(absl::StrCat(label, ": the ruleset needs ", bytes_,
                                   " bytes of patterns up to here; limit is ",
                                   options_.max_pattern_bytes,
                                   " (CompileOptions.max_pattern_bytes)"));
        break;
      default:
        d.set_message(absl::StrCat(
            label, ": the ruleset's regexes cost ", regex_cost_,
            " RE2 instructions up to this one; limit is ",
            options_.max_regex_cost, " (CompileOptions.max_regex_cost)"));
        break;
    }
    if (source_map_ != nullptr) source_map_->Annotate(&d);
    absl::Status status = absl::ResourceExhaustedError(FormatDiagnostic(d));
    if (diagnostics != nullptr) diagnostics->push_back(std::move(d));
    return status;
  }

 private:
  enum class Over { kNo, kPatterns, kBytes, kRegexCost };

  // `path` is the term's field path.
  void AddTerm(const v1::Term& term, const std::string& path) {
    if (over_ != Over::kNo) return;
    if (term.kind_case() == v1::Term::KIND_NOT_SET) return;
    const bool regex = term.kind_case() == v1::Term::kRegex;
    const std::string& text = regex ? term.regex() : term.phrase();
    if (!seen_.insert(absl::StrCat(regex ? "r" : "p", text)).second) return;
    bytes_ += static_cast<int64_t>(text.size());
    if (regex) {
      // The measure of WW213. A regex that does not compile costs nothing
      // here and one over kMaxRegexProgramSize costs that limit: the
      // validator reports both with their own codes.
      re2::RE2 re(text, RegexOptions());
      if (re.ok()) {
        regex_cost_ += std::min(re.ProgramSize(), kMaxRegexProgramSize);
      }
    }
    if (static_cast<int64_t>(seen_.size()) > options_.max_patterns) {
      over_ = Over::kPatterns;
    } else if (bytes_ > options_.max_pattern_bytes) {
      over_ = Over::kBytes;
    } else if (regex_cost_ > options_.max_regex_cost) {
      over_ = Over::kRegexCost;
    } else {
      return;
    }
    crossing_path_ = absl::StrCat(path, regex ? ".regex" : ".phrase");
  }

  void AddList(const std::string& id) {
    auto it = lists_.find(id);
    if (it == lists_.end() || it->second < 0) return;
    const int index = it->second;
    it->second = -1;  // Counted.
    const v1::TermList& list = ruleset_.term_lists(index);
    for (int t = 0; t < list.terms_size() && over_ == Over::kNo; ++t) {
      AddTerm(list.terms(t),
              absl::StrCat("term_lists[", index, "].terms[", t, "]"));
      if (over_ != Over::kNo) crossing_list_ = list.id();
    }
  }

  // `path` is the field path of `expr`.
  void AddExpr(const v1::Expr& expr, int depth, const std::string& path) {
    if (depth > kMaxExprDepth) return;  // The validator reports it.
    const google::protobuf::RepeatedPtrField<v1::Expr>* children = nullptr;
    const char* field = nullptr;
    switch (expr.node_case()) {
      case v1::Expr::kTerm:
        AddTerm(expr.term(), absl::StrCat(path, ".term"));
        return;
      case v1::Expr::kTermList:
        AddList(expr.term_list());
        return;
      case v1::Expr::kAny:
        children = &expr.any().exprs();
        field = ".any.exprs[";
        break;
      case v1::Expr::kAll:
        children = &expr.all().exprs();
        field = ".all.exprs[";
        break;
      case v1::Expr::kNone:
        children = &expr.none().exprs();
        field = ".none.exprs[";
        break;
      case v1::Expr::kNear:
        children = &expr.near().exprs();
        field = ".near.exprs[";
        break;
      default:
        return;
    }
    for (int k = 0; k < children->size() && over_ == Over::kNo; ++k) {
      AddExpr((*children)[k], depth + 1, absl::StrCat(path, field, k, "]"));
    }
  }

  const v1::Ruleset& ruleset_;
  const CompileOptions& options_;
  const SourceMap* source_map_;
  absl::flat_hash_map<std::string, int> lists_;  // Id -> index; -1 counted.
  absl::flat_hash_set<std::string> seen_;        // "p" phrase, "r" regex.
  int64_t bytes_ = 0;
  int64_t regex_cost_ = 0;
  const std::string* rule_id_ = nullptr;  // The rule being counted.
  Over over_ = Over::kNo;                 // The first limit crossed.
  std::string crossing_path_;  // Field path of the term that crossed it.
  std::string crossing_list_;  // Its term list's id, if it is in one.
};

// Validates, then builds. `source_map` may be null (in-memory rulesets).
absl::StatusOr<std::shared_ptr<const Engine>> ValidateAndBuild(
    const v1::Ruleset& ruleset, const CompileOptions& options,
    const SourceMap* source_map, std::vector<v1::Diagnostic>* diagnostics) {
  WATCHWORD_RETURN_IF_ERROR(
      BudgetCheck(ruleset, options, source_map).Run(diagnostics));
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
