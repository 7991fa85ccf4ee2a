// libFuzzer target: arbitrary bytes as a text-format ruleset. Loading,
// validation and compilation must return a status, never crash; whatever
// compiles must scan its own examples.
#include <cstddef>
#include <cstdint>
#include <string>

#include "google/protobuf/text_format.h"
#include "watchword/watchword.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  watchword::v1::Ruleset ruleset;
  google::protobuf::TextFormat::Parser parser;
  parser.AllowPartialMessage(true);
  std::string text(reinterpret_cast<const char*>(data), size);
  if (!parser.ParseFromString(text, &ruleset)) return 0;
  if (ruleset.rules_size() > 64) return 0;  // Keep each run fast.
  std::vector<watchword::v1::Diagnostic> diagnostics;
  auto engine = watchword::Compile(ruleset, {.backend = watchword::Backend::kRe2},
                                   &diagnostics);
  if (!engine.ok()) return 0;
  watchword::Scanner scanner(*engine);
  watchword::v1::Verdict verdict;
  for (const auto& rule : ruleset.rules()) {
    for (const auto& example : rule.should_match()) {
      watchword::v1::ScanRequest request;
      request.set_text(example.text());
      *request.mutable_fields() = example.fields();
      *request.mutable_context() = example.context();
      (void)scanner.Scan(request, &verdict);
    }
  }
  return 0;
}
