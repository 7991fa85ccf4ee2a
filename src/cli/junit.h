// JUnit XML for `watchword test --junit FILE`: the test report format CI
// systems (Jenkins, GitLab, GitHub Actions reporters) read.
#ifndef WATCHWORD_SRC_CLI_JUNIT_H_
#define WATCHWORD_SRC_CLI_JUNIT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace watchword {

// One <testcase>.
struct JunitCase {
  enum Outcome { kPassed, kFailure, kError };
  // The group of the case: the rule id, or the ruleset path.
  std::string classname;
  // The case: "should_match[2]", "examples", "compile".
  std::string name;
  // Where it is written; "" and 0 if unknown.
  std::string file;
  int line = 0;
  Outcome outcome = kPassed;
  // For a failure or error: one line, the `message` attribute.
  std::string message;
  // For a failure or error: the element's text, e.g. "file:line: ...".
  std::string details;
};

// One <testsuite>: a file of a ruleset.
struct JunitSuite {
  std::string name;
  std::vector<JunitCase> cases;
};

// Returns a JUnit XML document: <testsuites> with a <testsuite> per suite,
// each with tests, failures and errors counts, and a <testcase> per case
// with `file` and `line` attributes when known and a <failure> or <error>
// child when it did not pass.
std::string RenderJunit(absl::string_view name,
                        const std::vector<JunitSuite>& suites);

// Returns `text` escaped for XML text and attribute values: &, <, >, " and
// ' as entities, tab, newline and carriage return as character references
// (so attribute values keep them), other characters that XML 1.0 does not
// allow dropped, and each byte of invalid UTF-8 as U+FFFD.
std::string XmlEscape(absl::string_view text);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_JUNIT_H_
