// `watchword check RULESET`: compile a ruleset and report on it.
//
// Everything goes to stdout: for a checker, the diagnostics are the output.
// With --json, one CheckReport (report.proto) holds all of it.

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/jsonl.h"
#include "src/cli/report.h"
#include "watchword/compiler.h"
#include "watchword/engine.h"
#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/report.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {
namespace {

// Fills the summary fields of *report, which hold only when the ruleset
// compiles.
void Summarize(const Engine& engine, v1::CheckReport* report) {
  const v1::Ruleset& ruleset = engine.ruleset();
  std::map<std::string, int> by_category;
  std::map<v1::Action, int> by_action;
  int shadow = 0;
  for (const v1::Rule& rule : ruleset.rules()) {
    ++by_category[rule.category()];
    ++by_action[rule.action()];
    if (rule.mode() == v1::MODE_SHADOW) ++shadow;
  }
  *report->mutable_ruleset() = engine.info();
  report->set_backend(BackendName(engine.backend()));
  report->set_rules(engine.rule_count());
  report->set_shadow_rules(shadow);
  report->set_conversation_rules(ruleset.conversation_rules_size());
  report->set_term_lists(ruleset.term_lists_size());
  report->set_patterns(engine.pattern_count());
  for (const auto& [category, count] : by_category) {
    v1::CategoryCount* entry = report->add_rules_per_category();
    entry->set_category(category);
    entry->set_rules(count);
  }
  for (const auto& [action, count] : by_action) {
    v1::ActionCount* entry = report->add_rules_per_action();
    entry->set_action(action);
    entry->set_count(count);
  }
}

void PrintCounts(const char* title,
                 const std::vector<std::pair<std::string, uint64_t>>& counts) {
  std::printf("%s:\n", title);
  size_t width = 0;
  for (const auto& [name, count] : counts) width = std::max(width, name.size());
  for (const auto& [name, count] : counts) {
    std::printf("  %-*s %llu\n", static_cast<int>(width), name.c_str(),
                static_cast<unsigned long long>(count));
  }
}

void PrintText(const v1::CheckReport& report) {
  for (const v1::Diagnostic& diagnostic : report.diagnostics()) {
    std::printf("%s\n", FormatDiagnostic(diagnostic).c_str());
  }
  if (!report.ok()) {
    if (!report.error().empty()) {
      std::printf("%s: error: %s\n", report.path().c_str(),
                  report.error().c_str());
    }
    std::printf("FAILED: %s: %u error%s, %u warning%s\n", report.path().c_str(),
                report.errors(), report.errors() == 1 ? "" : "s",
                report.warnings(), report.warnings() == 1 ? "" : "s");
    return;
  }
  const v1::RulesetInfo& info = report.ruleset();
  std::printf("ok: ruleset %s version %s\n", info.name().c_str(),
              info.version().c_str());
  std::printf("fingerprint: %s\n", info.fingerprint().c_str());
  std::printf("backend: %s\n", report.backend().c_str());
  std::printf("rules: %u (%u shadow)\n", report.rules(), report.shadow_rules());
  if (report.conversation_rules() > 0) {
    std::printf("conversation rules: %u\n", report.conversation_rules());
  }
  std::printf("term lists: %u\n", report.term_lists());
  std::printf("patterns: %u\n", report.patterns());
  std::printf("warnings: %u\n", report.warnings());
  std::vector<std::pair<std::string, uint64_t>> counts;
  for (const v1::CategoryCount& entry : report.rules_per_category()) {
    counts.emplace_back(
        entry.category().empty() ? "(none)" : entry.category(), entry.rules());
  }
  PrintCounts("rules per category", counts);
  counts.clear();
  for (const v1::ActionCount& entry : report.rules_per_action()) {
    counts.emplace_back(ActionShortName(entry.action()), entry.count());
  }
  PrintCounts("rules per action", counts);
}

}  // namespace

int RunCheckCommand(const CheckCommandOptions& options) {
  CompileOptions compile_options;
  compile_options.backend = options.backend;
  std::vector<v1::Diagnostic> diagnostics;
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileFile(options.ruleset_path, compile_options, &diagnostics);

  v1::CheckReport report;
  report.set_path(options.ruleset_path);
  for (v1::Diagnostic& diagnostic : diagnostics) {
    if (diagnostic.severity() == v1::Diagnostic::SEVERITY_WARNING) {
      report.set_warnings(report.warnings() + 1);
    } else {
      report.set_errors(report.errors() + 1);
    }
    *report.add_diagnostics() = std::move(diagnostic);
  }
  report.set_ok(engine.ok());
  if (!engine.ok() && report.errors() == 0) {
    // Some failures (a missing file, a compile budget) come without a
    // diagnostic; the status is then the only report.
    report.set_error(std::string(engine.status().message()));
    report.set_errors(1);
  }
  if (engine.ok()) Summarize(**engine, &report);
  if (options.json) {
    if (!PrintReportJson(report, "check")) return kExitFatal;
  } else {
    PrintText(report);
  }
  const int written = FinishOutput("check");
  if (written != kExitOk) return written;
  return report.ok() ? kExitOk : kExitFailed;
}

}  // namespace watchword
