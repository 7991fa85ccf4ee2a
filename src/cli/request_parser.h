// Turns one JSON Lines record into a ScanRequest, fast (simdjson) and with
// the mapping an export needs: the id, text and context may sit at dotted
// paths, ids may be integers, and fields that are not part of the request
// are ignored unless the format is strict.
#ifndef WATCHWORD_SRC_CLI_REQUEST_PARSER_H_
#define WATCHWORD_SRC_CLI_REQUEST_PARSER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "watchword/v1/context.pb.h"

namespace watchword {

// Where a record's parts are. Paths are dotted: "meta.id" is the member
// "id" of the object member "meta"; keys holding '.' cannot be addressed.
struct RequestFormat {
  // The request id: a string or an integer (printed in decimal).
  std::string id_field = "id";
  // The text, the `body` field: a string.
  std::string text_field = "text";
  // A watchword.v1.Context object in proto JSON (strict: unknown context
  // fields and bad enum names are errors).
  std::string context_field = "context";
  // Top-level members that are none of the above nor ScanRequest's own
  // `fields` and `echo_matched_text` are ignored; false makes them errors,
  // so a mistyped name is caught.
  bool ignore_unknown_fields = true;
};

// Parses records of one RequestFormat. Keeps the parser's buffers between
// records (and frees them after a record over 64 KiB). Not thread-safe: one
// per thread.
class RequestParser {
 public:
  explicit RequestParser(const RequestFormat& format = {});
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  // Parses `line`, one JSON object, into *request (replacing its contents).
  // `fields` and `context` follow the proto JSON mapping of ScanRequest, and
  // `echo_matched_text` (or `echoMatchedText`) is a bool.
  //
  // Returns InvalidArgument if `line` is not valid JSON (invalid UTF-8 and
  // nesting past 1,024 levels included), not an object, has a part of the
  // wrong type, has no text (neither the text field nor `fields`), or, in a
  // strict format, has an unknown member. The message names the member but
  // never quotes a value or a key that does not look like a field name.
  absl::Status Parse(absl::string_view line, v1::ScanRequest* request);

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_REQUEST_PARSER_H_
