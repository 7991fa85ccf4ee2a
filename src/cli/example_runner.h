// Running a ruleset's own examples: the logic of `watchword test`, kept free
// of flags and output so that tests can call it.
#ifndef WATCHWORD_SRC_CLI_EXAMPLE_RUNNER_H_
#define WATCHWORD_SRC_CLI_EXAMPLE_RUNNER_H_

#include <memory>
#include <string>
#include <vector>

#include "src/cli/example_locations.h"
#include "watchword/engine.h"

namespace watchword {

// Options of RunExamples(). Plain struct with the CLI's defaults.
struct ExampleRunOptions {
  // Every rule needs at least this many `should_match` and this many
  // `should_not_match` examples; fewer is a failure. 0 turns the check off.
  int min_examples = 3;
};

// An example that did not do what it promised, or a rule short of examples.
struct ExampleFailure {
  // The rule concerned.
  std::string rule_id;
  // "file:line" of the example (or of the rule, for coverage); "" if
  // unknown.
  std::string location;
  // Which example: "should_match[2]", "should_not_match[0]", or "examples"
  // for a coverage failure.
  std::string example;
  // One line: what was expected, what the verdict was, and the example text.
  std::string message;
};

// One check RunExamples() made: an example, or a rule's example count.
struct ExampleCheck {
  // The rule concerned.
  std::string rule_id;
  // "file:line" of the example (or of the rule, for the count); "" if
  // unknown.
  std::string location;
  // As ExampleFailure::example: "should_match[2]", "examples", ...
  std::string example;
  // Whether it passed; if not, `failures` holds it too.
  bool passed = true;
};

// What RunExamples() found.
struct ExampleReport {
  int rules = 0;                         // Rules checked.
  int should_match = 0;                  // `should_match` examples scanned.
  int should_not_match = 0;              // `should_not_match` examples scanned.
  std::vector<ExampleFailure> failures;  // In ruleset order.
  // Every check, passed or not, in ruleset order: one per example, and one
  // per rule for its example count when `min_examples` > 0.
  std::vector<ExampleCheck> checks;

  bool ok() const { return failures.empty(); }
};

// Scans every example of every rule of `engine`'s ruleset with one Scanner
// and checks it: a `should_match` example must produce a RuleMatch for its
// rule (a shadow match counts), a `should_not_match` example must not, and
// the scan must succeed. Other rules matching an example is fine and is
// only reported. Also checks each rule's example counts against
// `options.min_examples`. `locations` supplies file:line for reports.
ExampleReport RunExamples(std::shared_ptr<const Engine> engine,
                          const ExampleLocations& locations,
                          const ExampleRunOptions& options);

// Renders a failure as one line, without '\n':
// `file:line: rule "id" should_match[2]: message` (the location and its
// ": " are left out when unknown).
std::string FormatExampleFailure(const ExampleFailure& failure);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_EXAMPLE_RUNNER_H_
