// `watchword check RULESET`: compile a ruleset and report on it.
//
// Everything goes to stdout: for a checker, the diagnostics are the output.

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/cli/commands.h"
#include "src/cli/jsonl.h"
#include "watchword/compiler.h"
#include "watchword/engine.h"
#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {
namespace {

void PrintCounts(const char* title,
                 const std::map<std::string, int>& counts) {
  std::printf("%s:\n", title);
  size_t width = 0;
  for (const auto& [name, count] : counts) width = std::max(width, name.size());
  for (const auto& [name, count] : counts) {
    std::printf("  %-*s %d\n", static_cast<int>(width), name.c_str(), count);
  }
}

void PrintSummary(const Engine& engine, int warnings) {
  const v1::Ruleset& ruleset = engine.ruleset();
  std::map<std::string, int> by_category;
  std::map<std::string, int> by_action;
  int shadow = 0;
  for (const v1::Rule& rule : ruleset.rules()) {
    ++by_category[rule.category().empty() ? "(none)" : rule.category()];
    ++by_action[ActionShortName(rule.action())];
    if (rule.mode() == v1::MODE_SHADOW) ++shadow;
  }
  const v1::RulesetInfo& info = engine.info();
  std::printf("ok: ruleset %s version %s\n", info.name().c_str(),
              info.version().c_str());
  std::printf("fingerprint: %s\n", info.fingerprint().c_str());
  std::printf("backend: %s\n", BackendName(engine.backend()));
  std::printf("rules: %d (%d shadow)\n", engine.rule_count(), shadow);
  if (engine.ruleset().conversation_rules_size() > 0) {
    std::printf("conversation rules: %d\n",
                engine.ruleset().conversation_rules_size());
  }
  std::printf("term lists: %d\n", ruleset.term_lists_size());
  std::printf("patterns: %d\n", engine.pattern_count());
  std::printf("warnings: %d\n", warnings);
  PrintCounts("rules per category", by_category);
  PrintCounts("rules per action", by_action);
}

}  // namespace

int RunCheckCommand(const CheckCommandOptions& options) {
  CompileOptions compile_options;
  compile_options.backend = options.backend;
  std::vector<v1::Diagnostic> diagnostics;
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileFile(options.ruleset_path, compile_options, &diagnostics);

  int errors = 0;
  int warnings = 0;
  for (const v1::Diagnostic& diagnostic : diagnostics) {
    std::printf("%s\n", FormatDiagnostic(diagnostic).c_str());
    if (diagnostic.severity() == v1::Diagnostic::SEVERITY_WARNING) {
      ++warnings;
    } else {
      ++errors;
    }
  }
  if (!engine.ok()) {
    // Some failures (a missing file, a compile budget) come without a
    // diagnostic; the status is then the only report.
    if (errors == 0) {
      std::printf("%s: error: %s\n", options.ruleset_path.c_str(),
                  std::string(engine.status().message()).c_str());
      errors = 1;
    }
    std::printf("FAILED: %s: %d error%s, %d warning%s\n",
                options.ruleset_path.c_str(), errors, errors == 1 ? "" : "s",
                warnings, warnings == 1 ? "" : "s");
    return kExitFailed;
  }
  PrintSummary(**engine, warnings);
  return kExitOk;
}

}  // namespace watchword
