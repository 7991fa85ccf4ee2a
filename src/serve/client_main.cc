// `watchword-client`: a small client of `watchword serve`, for scripts, the
// README and the end-to-end test (tests/serve/serve_test.sh).
//
//   watchword-client [--target HOST:PORT] info
//   watchword-client [--target HOST:PORT] health
//   watchword-client [--target HOST:PORT] scan TEXT
//   watchword-client [--target HOST:PORT] stream [FILE] [--loop]
//       [--until_version V] [--quiet]
//
// `stream` sends JSON Lines ScanRequests over one ScanStream call and
// prints the verdicts in order. Its summary on stderr says what was sent
// and received; it exits 1 if any request was lost, answered out of order
// or with an error, or if the call failed. With --loop it numbers the
// requests itself (ids "0", "1", ...) and sends the input over and over,
// until a verdict from ruleset version --until_version has come back (or
// --max_seconds pass).

#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "watchword/v1/service.grpc.pb.h"

namespace watchword {
namespace {

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

int CallFailed(const char* what, const grpc::Status& status) {
  std::fprintf(stderr, "watchword-client: %s failed: %s: %s\n", what,
               absl::StatusCodeToString(
                   static_cast<absl::StatusCode>(status.error_code()))
                   .c_str(),
               status.error_message().c_str());
  return 2;
}

void SetDeadline(grpc::ClientContext* context, int64_t timeout_ms) {
  if (timeout_ms > 0) {
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::milliseconds(timeout_ms));
  }
}

int Info(v1::Watchword::Stub& stub, int64_t timeout_ms) {
  grpc::ClientContext context;
  SetDeadline(&context, timeout_ms);
  v1::InfoResponse response;
  grpc::Status status = stub.Info(&context, v1::InfoRequest(), &response);
  if (!status.ok()) return CallFailed("Info", status);
  std::printf("%s\n", ToJson(response).c_str());
  return 0;
}

// grpc.health.v1.Health/Check for the whole server, without generated code:
// the request (no service name) is empty, and the response is one varint
// field, `status` (1 SERVING, 2 NOT_SERVING).
int Health(const std::shared_ptr<grpc::Channel>& channel, int64_t timeout_ms) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  SetDeadline(&context, timeout_ms);
  grpc::Slice empty;
  grpc::ByteBuffer request(&empty, 1), response;
  grpc::Status status;
  absl::Mutex mu;
  bool done = false;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check",
                 grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) {
                   absl::MutexLock lock(&mu);
                   status = s;
                   done = true;
                 });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
  }
  if (!status.ok()) return CallFailed("Health/Check", status);
  std::vector<grpc::Slice> slices;
  (void)response.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  const int value = bytes.size() == 2 && bytes[0] == 0x08 ? bytes[1] : 0;
  const char* names[] = {"UNKNOWN", "SERVING", "NOT_SERVING",
                         "SERVICE_UNKNOWN"};
  std::printf("%s\n", names[value >= 0 && value <= 3 ? value : 0]);
  return value == 1 ? 0 : 1;
}

int ScanOne(v1::Watchword::Stub& stub, const std::string& text,
            int64_t timeout_ms) {
  grpc::ClientContext context;
  SetDeadline(&context, timeout_ms);
  v1::ScanRequest request;
  request.set_text(text);
  v1::Verdict verdict;
  grpc::Status status = stub.Scan(&context, request, &verdict);
  if (!status.ok()) return CallFailed("Scan", status);
  std::printf("%s\n", ToJson(verdict).c_str());
  return 0;
}

struct StreamFlags {
  std::string input = "-";
  bool loop = false;
  std::string until_version;
  double max_seconds = 120;
  bool quiet = false;
  int window = 256;  // Requests sent and not yet answered, at most.
};

int Stream(v1::Watchword::Stub& stub, const StreamFlags& flags) {
  std::vector<v1::ScanRequest> requests;
  {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (flags.input != "-") {
      file.open(flags.input);
      if (!file) {
        std::fprintf(stderr, "watchword-client: cannot open %s\n",
                     flags.input.c_str());
        return 2;
      }
      in = &file;
    }
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    std::string line;
    for (int number = 1; std::getline(*in, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      v1::ScanRequest request;
      if (!google::protobuf::util::JsonStringToMessage(line, &request, options)
               .ok()) {
        std::fprintf(stderr, "watchword-client: line %d is not a request\n",
                     number);
        return 2;
      }
      requests.push_back(std::move(request));
    }
  }
  if (requests.empty()) {
    std::fprintf(stderr, "watchword-client: no requests\n");
    return 2;
  }

  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<v1::ScanRequest, v1::Verdict>>
      stream = stub.ScanStream(&context);
  absl::Mutex mu;
  uint64_t sent = 0, received = 0;
  bool stop = false;        // Seen --until_version, or out of time.
  bool writes_ok = true;
  std::deque<std::string> expected_ids;  // Sent, not yet answered.
  const auto start = std::chrono::steady_clock::now();

  std::thread writer([&] {
    for (uint64_t i = 0;; ++i) {
      if (!flags.loop && i == requests.size()) break;
      v1::ScanRequest request = requests[i % requests.size()];
      {
        absl::MutexLock lock(&mu);
        auto ready = [&] {
          return stop || sent - received < static_cast<uint64_t>(flags.window);
        };
        mu.Await(absl::Condition(&ready));
        if (stop) break;
        if (flags.loop) request.set_id(std::to_string(sent));
        expected_ids.push_back(request.id());
        ++sent;
      }
      if (!stream->Write(request)) {
        absl::MutexLock lock(&mu);
        writes_ok = false;
        break;
      }
      if (flags.loop && std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - start)
                                .count() > flags.max_seconds) {
        absl::MutexLock lock(&mu);
        stop = true;
      }
    }
    stream->WritesDone();
  });

  uint64_t out_of_order = 0, errors = 0;
  std::map<std::string, uint64_t> versions;
  v1::Verdict verdict;
  while (stream->Read(&verdict)) {
    absl::MutexLock lock(&mu);
    if (expected_ids.empty() || expected_ids.front() != verdict.request_id()) {
      ++out_of_order;
    }
    if (!expected_ids.empty()) expected_ids.pop_front();
    ++received;
    if (verdict.has_error()) ++errors;
    ++versions[verdict.ruleset().version()];
    if (!flags.until_version.empty() &&
        verdict.ruleset().version() == flags.until_version) {
      stop = true;
    }
    if (!flags.quiet) std::printf("%s\n", ToJson(verdict).c_str());
  }
  {
    // The call is over: a writer waiting for room must not wait forever.
    absl::MutexLock lock(&mu);
    stop = true;
  }
  writer.join();
  const grpc::Status status = stream->Finish();
  absl::MutexLock lock(&mu);
  const uint64_t lost = sent - received;
  std::string per_version;
  for (const auto& [version, count] : versions) {
    absl::StrAppend(&per_version, per_version.empty() ? "" : ", ", version,
                    ": ", count);
  }
  std::fprintf(stderr,
               "watchword-client: sent %llu, received %llu, lost %llu, out of "
               "order %llu, errors %llu, status %s; verdicts per ruleset "
               "version: {%s}\n",
               static_cast<unsigned long long>(sent),
               static_cast<unsigned long long>(received),
               static_cast<unsigned long long>(lost),
               static_cast<unsigned long long>(out_of_order),
               static_cast<unsigned long long>(errors),
               absl::StatusCodeToString(
                   static_cast<absl::StatusCode>(status.error_code()))
                   .c_str(),
               per_version.c_str());
  const bool reached = flags.until_version.empty() ||
                       versions.count(flags.until_version) > 0;
  if (!reached) {
    std::fprintf(stderr, "watchword-client: no verdict from version %s\n",
                 flags.until_version.c_str());
  }
  return status.ok() && writes_ok && lost == 0 && out_of_order == 0 &&
                 errors == 0 && reached
             ? 0
             : 1;
}

int Main(int argc, char** argv) {
  CLI::App app("A client of `watchword serve`.", "watchword-client");
  app.require_subcommand(1);
  std::string target = "127.0.0.1:50051";
  int64_t timeout_ms = 10000;
  app.add_option("--target", target, "Server address, host:port")
      ->default_str(target);
  app.add_option("--timeout_ms", timeout_ms,
                 "Deadline of info, health and scan calls; 0: none")
      ->default_str(std::to_string(timeout_ms));
  CLI::App* info = app.add_subcommand("info", "Print the server's Info");
  CLI::App* health =
      app.add_subcommand("health", "Check grpc.health.v1; exit 0 if SERVING");
  CLI::App* scan = app.add_subcommand("scan", "Scan one text, print the verdict");
  std::string text;
  scan->add_option("TEXT", text, "The text")->required();
  CLI::App* stream = app.add_subcommand(
      "stream", "Scan JSON Lines ScanRequests over one ScanStream call");
  StreamFlags stream_flags;
  stream->add_option("FILE", stream_flags.input, "JSON Lines; - is stdin");
  stream->add_flag("--loop", stream_flags.loop,
                   "Send the input over and over, numbering the requests");
  stream->add_option("--until_version", stream_flags.until_version,
                     "With --loop: stop once a verdict from this ruleset "
                     "version has come back");
  stream->add_option("--max_seconds", stream_flags.max_seconds,
                     "With --loop: stop sending after this long");
  stream->add_flag("--quiet", stream_flags.quiet, "Print no verdicts");
  CLI11_PARSE(app, argc, argv);

  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::Watchword::Stub> stub = v1::Watchword::NewStub(channel);
  if (info->parsed()) return Info(*stub, timeout_ms);
  if (health->parsed()) return Health(channel, timeout_ms);
  if (scan->parsed()) return ScanOne(*stub, text, timeout_ms);
  return Stream(*stub, stream_flags);
}

}  // namespace
}  // namespace watchword

int main(int argc, char** argv) { return watchword::Main(argc, argv); }
