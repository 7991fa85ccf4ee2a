// A hand-written JSON printer for watchword.v1.Verdict, several times faster
// than protobuf's reflection-based one and byte-for-byte equal to it:
// protobuf's JSON mapping as the CLI has always printed it (proto field
// names, no whitespace, enum names, uint64 as strings, defaults omitted),
// including its escaping (control characters, '<', '>', and the invisible
// and bidi characters protobuf escapes as \uXXXX) and its handling of
// invalid UTF-8 (bad sequences are dropped, never passed through).
// verdict_json_test.cc holds it to protobuf's output over many verdicts.
// A verdict with a conversation verdict (ConversationTracker) goes to
// protobuf's printer.
#ifndef WATCHWORD_SRC_CLI_VERDICT_JSON_H_
#define WATCHWORD_SRC_CLI_VERDICT_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

// How a Verdict is printed.
struct VerdictJsonOptions {
  // Print every field, defaults included (0, false, "", [], and enum
  // *_UNSPECIFIED), as protobuf's `always_print_primitive_fields` does, so
  // that `.end - .begin` works on a match at offset 0. Unset messages (a
  // verdict without `error`) stay omitted.
  bool always_print_fields = false;
};

// Appends `verdict` to *out as one JSON object, without a newline.
void AppendVerdictJson(const v1::Verdict& verdict,
                       const VerdictJsonOptions& options, std::string* out);

// Appends `text` to *out as a JSON string, quotes included, escaped as
// protobuf's JSON printer escapes it.
void AppendJsonString(absl::string_view text, std::string* out);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_VERDICT_JSON_H_
