// Turning rulesets into Engines: load, validate, compile.
#ifndef WATCHWORD_COMPILER_H_
#define WATCHWORD_COMPILER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "watchword/engine.h"
#include "watchword/export.h"
#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// Options for Compile(). Plain struct; the defaults suit production.
struct CompileOptions {
  // Matcher backend.
  Backend backend = Backend::kDefault;
  // The compile budget. Hyperscan's compile time grows faster than the
  // number of patterns (1,000 phrases take about a second, 10,000 about 13 s,
  // 100,000 over ten minutes and gigabytes) and than the size of its
  // regexes, so a ruleset past the budget is refused with ResourceExhausted
  // before any work, with a WW214 Diagnostic naming the rule and the term
  // (with its file:line:column) at which the ruleset crosses it. The limits
  // count the distinct phrases and regexes of the term lists and rules, term
  // by term in rule order; a term list counts at its first use.
  //
  // Largest number of distinct patterns (phrases and regexes) accepted:
  // 45 times rulesets/child_safety, 5 times the largest benchmark ruleset.
  int max_patterns = 50000;
  // Largest total size in bytes of those distinct phrases and regexes.
  int64_t max_pattern_bytes = 2 << 20;
  // Largest total cost of the distinct regexes, each costing the
  // instructions of its RE2 program, the measure of the per-regex limit
  // (1,000, WW213; a regex over that limit counts as 1,000 here). Hyperscan
  // took 20 s (wall, on a busy 2-core machine) to compile 1,000 regexes
  // costing about 200 each; rulesets/child_safety's regexes cost about
  // 16,950 in all, under a tenth of this limit.
  int64_t max_regex_cost = 200000;
};

// Loads a ruleset from `path`: a protobuf text format file (.textproto,
// .txtpb or .pbtxt) or a proto JSON file (.json), or a directory whose
// ruleset files (not recursive, in name order, dot-files skipped) are merged into one ruleset: their
// term lists and rules are concatenated; name, version and description may
// be set by at most one file.
//
// Returns the merged ruleset; it is not validated. Returns NotFound if
// `path` does not exist and InvalidArgument on syntax errors. If
// `diagnostics` is non-null, appends every problem found, with locations.
WATCHWORD_EXPORT absl::StatusOr<v1::Ruleset> LoadRuleset(
    absl::string_view path, std::vector<v1::Diagnostic>* diagnostics = nullptr);

// Validates `ruleset` and compiles it into an Engine.
//
// Returns InvalidArgument if the ruleset has errors; the message names the
// first one, and if `diagnostics` is non-null every error and warning is
// appended to it (locations are field paths, since an in-memory ruleset has
// no file). Returns ResourceExhausted past CompileOptions limits, before
// validation, with one WW214 diagnostic.
WATCHWORD_EXPORT absl::StatusOr<std::shared_ptr<const Engine>> Compile(
    const v1::Ruleset& ruleset, const CompileOptions& options = {},
    std::vector<v1::Diagnostic>* diagnostics = nullptr);

// LoadRuleset() then Compile(), with diagnostics that carry
// file:line:column.
WATCHWORD_EXPORT absl::StatusOr<std::shared_ptr<const Engine>> CompileFile(
    absl::string_view path, const CompileOptions& options = {},
    std::vector<v1::Diagnostic>* diagnostics = nullptr);

// Renders a diagnostic as "file:line:column: error WW104: rule "id": ...".
WATCHWORD_EXPORT std::string FormatDiagnostic(const v1::Diagnostic& diagnostic);

}  // namespace watchword

#endif  // WATCHWORD_COMPILER_H_
