#include "src/cli/example_request.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace watchword {
namespace {

std::string Escaped(absl::string_view text, size_t max_bytes) {
  std::string escaped = absl::Utf8SafeCEscape(text);
  if (escaped.size() <= max_bytes) return escaped;
  // Cut on a UTF-8 boundary so the report stays valid UTF-8.
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(escaped[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(escaped.substr(0, cut), "...");
}

}  // namespace

v1::ScanRequest ExampleRequest(const v1::Example& example,
                               absl::string_view id) {
  v1::ScanRequest request;
  request.set_id(std::string(id));
  if (!example.text().empty()) request.set_text(example.text());
  *request.mutable_fields() = example.fields();
  if (example.has_context()) *request.mutable_context() = example.context();
  return request;
}

v1::ScanRequest ConversationExampleRequest(
    const v1::ConversationExample& example, int index) {
  const v1::ConversationMessage& message = example.messages(index);
  v1::ScanRequest request;
  request.set_id(message.id().empty() ? absl::StrCat("m", index + 1)
                                      : message.id());
  if (!message.text().empty()) request.set_text(message.text());
  *request.mutable_fields() = message.fields();
  v1::Context* context = request.mutable_context();
  *context = example.context();
  context->MergeFrom(message.context());
  if (context->conversation_id().empty()) {
    context->set_conversation_id("example");
  }
  return request;
}

std::string ExampleText(const v1::Example& example, size_t max_bytes) {
  std::string out;
  if (!example.text().empty()) out = Escaped(example.text(), max_bytes);
  for (const v1::TextField& field : example.fields()) {
    if (!out.empty()) out.append(" | ");
    absl::StrAppend(&out, field.name(), ": ", Escaped(field.text(), max_bytes));
  }
  return out;
}

}  // namespace watchword
