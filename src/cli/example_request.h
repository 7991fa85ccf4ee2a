// Turning a rule's Example into the ScanRequest that `watchword test` scans.
// Shared by the CLI and the ruleset tests so that both run examples exactly
// the same way.
#ifndef WATCHWORD_SRC_CLI_EXAMPLE_REQUEST_H_
#define WATCHWORD_SRC_CLI_EXAMPLE_REQUEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// Returns the request an Example stands for: its `text` as the "body" field
// (ScanRequest's own `text` shorthand), its `fields` in order, its `context`
// (default if unset), and `id` as the request id. The note is for reviewers
// and is not copied. Matched text is not echoed.
v1::ScanRequest ExampleRequest(const v1::Example& example,
                               absl::string_view id);

// Returns the request message `index` (0-based) of a ConversationExample
// stands for: its text and fields, `id` (default "m<index + 1>"), and the
// example's context with the message's merged over it (conversation_id
// "example" if neither sets one).
v1::ScanRequest ConversationExampleRequest(
    const v1::ConversationExample& example, int index);

// Returns a one-line rendering of the example's text for reports: `text`
// alone, or `name: text` per field joined by " | ", each C-escaped (UTF-8
// kept) and cut after `max_bytes` bytes with "...". Example text is ruleset
// content, not user data, so printing it is fine.
std::string ExampleText(const v1::Example& example, size_t max_bytes = 200);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_EXAMPLE_REQUEST_H_
