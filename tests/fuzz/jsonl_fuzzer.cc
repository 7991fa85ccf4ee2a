// libFuzzer target: arbitrary bytes as a JSON Lines record and as verdict
// strings. The record parser must never crash, must leave an empty request
// when it fails, and must return a request with text when it succeeds; the
// hand-written verdict printer must print exactly what protobuf's JSON
// printer prints, for any bytes (invalid UTF-8 included), and valid JSON
// for valid UTF-8.
//
//   CC=clang-14 CXX=clang++-14 cmake -B build-fuzz -DWATCHWORD_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target jsonl_fuzzer && build-fuzz/jsonl_fuzzer
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/util/json_util.h"
#include "simdjson.h"
#include "src/cli/request_parser.h"
#include "src/cli/verdict_json.h"
#include "watchword/v1/verdict.pb.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

watchword::RequestFormat Strict() {
  watchword::RequestFormat format;
  format.ignore_unknown_fields = false;
  return format;
}

watchword::RequestFormat Dotted() {
  watchword::RequestFormat format;
  format.id_field = "meta.id";
  format.text_field = "message.body";
  format.context_field = "meta.context";
  return format;
}

void CheckParser(watchword::RequestParser* parser, const std::string& line) {
  watchword::v1::ScanRequest request;
  absl::Status status = parser->Parse(line, &request);
  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument);
    Check(request.ByteSizeLong() == 0);
  }
}

// `valid_utf8`: the verdict's strings are valid UTF-8. Otherwise the output
// need not be: protobuf drops broken sequences but passes overlong ones
// through, and the printer does as protobuf does.
void CheckPrinter(const watchword::v1::Verdict& verdict, bool always,
                  bool valid_utf8) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = always;
  std::string want;
  Check(google::protobuf::util::MessageToJsonString(verdict, &want, options)
            .ok());
  watchword::VerdictJsonOptions ours;
  ours.always_print_fields = always;
  std::string got;
  watchword::AppendVerdictJson(verdict, ours, &got);
  Check(got == want);
  if (!valid_utf8) return;
  static simdjson::dom::parser* const json = new simdjson::dom::parser();
  simdjson::dom::element root;
  Check(json->parse(got.data(), got.size()).get(root) == simdjson::SUCCESS);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    // Protobuf logs every string with invalid UTF-8 it serializes.
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
  static watchword::RequestParser* const lenient =
      new watchword::RequestParser();
  static watchword::RequestParser* const strict =
      new watchword::RequestParser(Strict());
  static watchword::RequestParser* const dotted =
      new watchword::RequestParser(Dotted());
  const std::string input(reinterpret_cast<const char*>(data), size);
  CheckParser(lenient, input);
  CheckParser(strict, input);
  CheckParser(dotted, input);

  watchword::v1::Verdict verdict;
  verdict.set_request_id(input);
  watchword::v1::Match* match = verdict.add_rule_matches()->add_matches();
  match->set_text(input.substr(0, size / 2));
  match->set_begin(static_cast<uint32_t>(size));
  verdict.mutable_error()->set_message(input.substr(size / 2));
  const bool valid_utf8 = simdjson::validate_utf8(input.data(), input.size());
  CheckPrinter(verdict, false, valid_utf8);
  CheckPrinter(verdict, true, valid_utf8);
  return 0;
}
