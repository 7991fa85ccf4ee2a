// `watchword test RULESET...`: compile each ruleset and run every rule's
// examples through a Scanner. Everything goes to stdout: for a test runner,
// the failures are the output.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/cli/commands.h"
#include "src/cli/example_locations.h"
#include "src/cli/example_runner.h"
#include "watchword/compiler.h"
#include "watchword/engine.h"
#include "watchword/v1/diagnostic.pb.h"

namespace watchword {
namespace {

// Tests one ruleset; returns true if it compiled and every check passed.
bool TestRuleset(const std::string& path, const TestCommandOptions& options) {
  CompileOptions compile_options;
  compile_options.backend = options.backend;
  std::vector<v1::Diagnostic> diagnostics;
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileFile(path, compile_options, &diagnostics);
  for (const v1::Diagnostic& diagnostic : diagnostics) {
    std::printf("%s\n", FormatDiagnostic(diagnostic).c_str());
  }
  if (!engine.ok()) {
    std::printf("FAILED: %s does not compile: %s\n", path.c_str(),
                std::string(engine.status().message()).c_str());
    return false;
  }

  ExampleRunOptions run_options;
  run_options.min_examples = options.min_examples;
  const ExampleReport report =
      RunExamples(*engine, ExampleLocations::Find(path), run_options);
  for (const ExampleFailure& failure : report.failures) {
    std::printf("FAIL: %s\n", FormatExampleFailure(failure).c_str());
  }
  const v1::RulesetInfo& info = (*engine)->info();
  std::printf(
      "%s: %s: ruleset %s version %s: %d rules, %d should_match and %d "
      "should_not_match examples, %zu failure%s\n",
      report.ok() ? "PASS" : "FAILED", path.c_str(), info.name().c_str(),
      info.version().c_str(), report.rules, report.should_match,
      report.should_not_match, report.failures.size(),
      report.failures.size() == 1 ? "" : "s");
  return report.ok();
}

}  // namespace

int RunTestCommand(const TestCommandOptions& options) {
  bool ok = true;
  for (const std::string& path : options.ruleset_paths) {
    ok = TestRuleset(path, options) && ok;
  }
  return ok ? kExitOk : kExitFailed;
}

}  // namespace watchword
