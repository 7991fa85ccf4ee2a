// `watchword test RULESET...`: compile each ruleset and run every rule's
// examples through a Scanner. Everything goes to stdout: for a test runner,
// the failures are the output. With --junit FILE, the same results go to
// FILE as JUnit XML, a <testsuite> per ruleset file and a <testcase> per
// example.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/example_locations.h"
#include "src/cli/example_runner.h"
#include "src/cli/junit.h"
#include "watchword/compiler.h"
#include "watchword/engine.h"
#include "watchword/v1/diagnostic.pb.h"

namespace watchword {
namespace {

// Splits "file:line" into its parts; an empty `location` gives `fallback`
// and line 0.
void SplitLocation(const std::string& location, const std::string& fallback,
                   std::string* file, int* line) {
  *file = fallback;
  *line = 0;
  const size_t colon = location.rfind(':');
  if (colon == std::string::npos) return;
  if (absl::SimpleAtoi(location.substr(colon + 1), line)) {
    *file = location.substr(0, colon);
  }
}

// Adds the JUnit suites of one ruleset to *suites: one per file its rules
// are written in, in order of first appearance.
void AddJunitSuites(const std::string& path, const ExampleReport& report,
                    std::vector<JunitSuite>* suites) {
  std::map<std::string, size_t> by_file;
  size_t failure = 0;
  for (const ExampleCheck& check : report.checks) {
    JunitCase c;
    c.classname = check.rule_id;
    c.name = check.example;
    SplitLocation(check.location, path, &c.file, &c.line);
    if (!check.passed && failure < report.failures.size()) {
      const ExampleFailure& f = report.failures[failure++];
      c.outcome = JunitCase::kFailure;
      c.message = f.message;
      c.details = FormatExampleFailure(f);
    }
    auto [it, inserted] = by_file.try_emplace(c.file, suites->size());
    if (inserted) suites->push_back({c.file, {}});
    (*suites)[it->second].cases.push_back(std::move(c));
  }
}

// Tests one ruleset; returns true if it compiled and every check passed.
// If `suites` is non-null, adds its JUnit suites to it.
bool TestRuleset(const std::string& path, const TestCommandOptions& options,
                 std::vector<JunitSuite>* suites) {
  CompileOptions compile_options;
  compile_options.backend = options.backend;
  std::vector<v1::Diagnostic> diagnostics;
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileFile(path, compile_options, &diagnostics);
  std::string diagnostic_lines;
  for (const v1::Diagnostic& diagnostic : diagnostics) {
    std::printf("%s\n", FormatDiagnostic(diagnostic).c_str());
    absl::StrAppend(&diagnostic_lines, FormatDiagnostic(diagnostic), "\n");
  }
  if (!engine.ok()) {
    std::printf("FAILED: %s does not compile: %s\n", path.c_str(),
                std::string(engine.status().message()).c_str());
    if (suites != nullptr) {
      JunitCase c;
      c.classname = path;
      c.name = "compile";
      c.file = path;
      c.outcome = JunitCase::kError;
      c.message = absl::StrCat("does not compile: ", engine.status().message());
      c.details = diagnostic_lines;
      suites->push_back({path, {std::move(c)}});
    }
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
  if (suites != nullptr) AddJunitSuites(path, report, suites);
  return report.ok();
}

}  // namespace

int RunTestCommand(const TestCommandOptions& options) {
  bool ok = true;
  std::vector<JunitSuite> suites;
  std::vector<JunitSuite>* junit =
      options.junit_path.empty() ? nullptr : &suites;
  for (const std::string& path : options.ruleset_paths) {
    ok = TestRuleset(path, options, junit) && ok;
  }
  if (junit != nullptr) {
    std::ofstream out(options.junit_path, std::ios::binary | std::ios::trunc);
    out << RenderJunit("watchword test", suites);
    out.close();
    if (!out) {
      std::fprintf(stderr, "watchword test: cannot write %s: %s\n",
                   options.junit_path.c_str(), std::strerror(errno));
      return kExitFatal;
    }
  }
  const int written = FinishOutput("test");
  if (written != kExitOk) return written;
  return ok ? kExitOk : kExitFailed;
}

}  // namespace watchword
