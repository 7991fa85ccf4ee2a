// Small helpers for the reports of `watchword check`, `stats`, `diff` and
// `views`: aligned text tables, and the JSON printer of report.proto.
#ifndef WATCHWORD_SRC_CLI_REPORT_H_
#define WATCHWORD_SRC_CLI_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// A text table whose columns are padded to their widest cell. Columns whose
// cells (header aside) are all numbers or percentages are right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}

  // Adds a row; missing cells are blank.
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }

  // Returns the table, one line per row, each line starting with `indent`
  // and ending in '\n'; trailing blanks are trimmed.
  std::string Render(absl::string_view indent = "  ") const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Returns `part` as a percentage of `whole` with two decimals, e.g. "0.41%";
// "0.00%" when `whole` is 0.
std::string Percent(uint64_t part, uint64_t whole);

// Returns `text` as a JSON string literal, quotes included. Valid UTF-8
// passes through; control characters, '"' and '\\' are escaped, and each
// byte of invalid UTF-8 becomes \ufffd so the result is always valid JSON.
std::string JsonQuote(absl::string_view text);

// Appends `report` (a message of report.proto) to *out as one line of proto3
// JSON, '\n' included: proto field names, enum values by name, no padding,
// and every field, at its default too, so the shape does not depend on the
// content. The same mapping as `scan`'s verdicts.
//
// Returns Internal if it cannot be rendered (a string that is not UTF-8);
// *out is then unchanged.
absl::Status AppendReportJsonLine(const google::protobuf::Message& report,
                                  std::string* out);

// Prints `report` to stdout with AppendReportJsonLine(). Returns false, after
// printing "watchword COMMAND: ..." to stderr, if it cannot be rendered.
bool PrintReportJson(const google::protobuf::Message& report,
                     const std::string& command);

// Returns `mode`, with MODE_UNSPECIFIED as the MODE_ENFORCE it means.
v1::Mode EffectiveMode(v1::Mode mode);

// Returns "enforce" or "shadow".
std::string ModeName(v1::Mode mode);

// Returns the lower-case short name of `severity`: "low", "medium", "high",
// "critical", or "none" when unset.
std::string SeverityShortName(v1::Severity severity);

// Returns the request's text for a report: the body, then each other field
// as "name: text", joined by " | ", C-escaped so it stays on one line.
// Message text: print only when the user asked for it.
std::string RequestText(const v1::ScanRequest& request);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_REPORT_H_
