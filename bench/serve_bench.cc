// `watchword serve` over loopback: messages/s and latency of ScanStream
// with several client threads, beside the library in process on the same
// messages.
//
//     serve_bench [--ruleset DIR] [--input FILE.jsonl] [--threads 2]
//                 [--window 32] [--seconds 5] [--target HOST:PORT]
//
// Without --target it starts the service in this process, as `watchword
// serve` builds it (WatchwordService on a synchronous gRPC server), on a
// free loopback port; the clients still go through TCP and HTTP/2. Each
// client thread opens one ScanStream and keeps up to --window requests in
// flight (one thread writes, one reads); a message's latency is from just
// before its Write() to the return of the Read() that gets its verdict.
// Then one Scanner on one thread scans the same messages in process.
// Prints one JSON object.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "src/serve/metrics.h"
#include "src/serve/service.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using Clock = std::chrono::steady_clock;

struct StreamResult {
  uint64_t messages = 0;
  std::vector<double> latencies_us;
  bool ok = true;
};

// One client thread: one ScanStream for `seconds`, then WritesDone.
StreamResult RunStream(v1::Watchword::Stub* stub,
                       const std::vector<v1::ScanRequest>& requests,
                       int window, double seconds, size_t offset) {
  StreamResult result;
  grpc::ClientContext context;
  auto stream = stub->ScanStream(&context);
  absl::Mutex mu;
  std::deque<Clock::time_point> sent_at;
  uint64_t sent = 0, received = 0;
  bool stop = false;
  const Clock::time_point start = Clock::now();
  std::thread writer([&] {
    for (size_t i = offset;; ++i) {
      {
        absl::MutexLock lock(&mu);
        auto room = [&] {
          return stop || sent - received < static_cast<uint64_t>(window);
        };
        mu.Await(absl::Condition(&room));
        if (stop) break;
        sent_at.push_back(Clock::now());
        ++sent;
      }
      if (!stream->Write(requests[i % requests.size()])) break;
      if (std::chrono::duration<double>(Clock::now() - start).count() >
          seconds) {
        break;
      }
    }
    stream->WritesDone();
  });
  v1::Verdict verdict;
  while (stream->Read(&verdict)) {
    const Clock::time_point now = Clock::now();
    absl::MutexLock lock(&mu);
    result.latencies_us.push_back(
        std::chrono::duration<double, std::micro>(now - sent_at.front())
            .count());
    sent_at.pop_front();
    ++received;
  }
  {
    absl::MutexLock lock(&mu);
    stop = true;
  }
  writer.join();
  result.ok = stream->Finish().ok() && received == sent;
  result.messages = received;
  return result;
}

double Percentile(std::vector<double>* values, double p) {
  if (values->empty()) return 0;
  const size_t k = static_cast<size_t>(p * (values->size() - 1));
  std::nth_element(values->begin(), values->begin() + k, values->end());
  return (*values)[k];
}

int Main(int argc, char** argv) {
  CLI::App app("watchword serve over loopback", "serve_bench");
  std::string ruleset = WATCHWORD_SOURCE_DIR "/rulesets/child_safety";
  std::string input = WATCHWORD_SOURCE_DIR "/tests/data/sms_ham.jsonl";
  std::string target;
  int threads = 2, window = 32;
  double seconds = 5;
  app.add_option("--ruleset", ruleset);
  app.add_option("--input", input);
  app.add_option("--target", target, "A running server; default: in process");
  app.add_option("--threads", threads, "Client threads, one stream each");
  app.add_option("--window", window, "Requests in flight per stream");
  app.add_option("--seconds", seconds, "How long each stream sends");
  CLI11_PARSE(app, argc, argv);

  std::vector<v1::ScanRequest> requests;
  {
    std::ifstream file(input);
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    std::string line;
    while (std::getline(file, line)) {
      v1::ScanRequest request;
      if (google::protobuf::util::JsonStringToMessage(line, &request, options)
              .ok()) {
        requests.push_back(std::move(request));
      }
    }
  }
  if (requests.empty()) {
    std::fprintf(stderr, "serve_bench: no requests in %s\n", input.c_str());
    return 2;
  }
  absl::StatusOr<std::shared_ptr<const Engine>> engine = CompileFile(ruleset);
  if (!engine.ok()) {
    std::fprintf(stderr, "serve_bench: %s\n",
                 std::string(engine.status().message()).c_str());
    return 2;
  }

  EngineHandle handle(*engine);
  Metrics metrics;
  WatchwordService service(&handle, &metrics, ServiceOptions());
  std::unique_ptr<grpc::Server> server;
  if (target.empty()) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service);
    server = builder.BuildAndStart();
    if (server == nullptr || port == 0) {
      std::fprintf(stderr, "serve_bench: cannot listen on 127.0.0.1\n");
      return 2;
    }
    target = "127.0.0.1:" + std::to_string(port);
  }

  std::vector<std::unique_ptr<v1::Watchword::Stub>> stubs;
  std::vector<StreamResult> results(threads);
  std::vector<std::thread> clients;
  const Clock::time_point start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    // A channel per thread: separate connections, as separate clients.
    grpc::ChannelArguments args;
    args.SetInt("watchword.bench.channel", t);
    stubs.push_back(v1::Watchword::NewStub(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args)));
    clients.emplace_back([&, t] {
      results[t] = RunStream(stubs[t].get(), requests, window, seconds,
                             t * requests.size() / threads);
    });
  }
  for (std::thread& client : clients) client.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  uint64_t messages = 0;
  bool ok = true;
  std::vector<double> latencies;
  for (StreamResult& result : results) {
    messages += result.messages;
    ok = ok && result.ok;
    latencies.insert(latencies.end(), result.latencies_us.begin(),
                     result.latencies_us.end());
  }
  const double p50 = Percentile(&latencies, 0.50);
  const double p99 = Percentile(&latencies, 0.99);
  if (server != nullptr) server->Shutdown();

  // The library in process: the same messages, one Scanner, one thread.
  Scanner scanner(*engine);
  v1::Verdict verdict;
  uint64_t library_messages = 0;
  const Clock::time_point library_start = Clock::now();
  double library_wall = 0;
  while (library_wall < std::min(seconds, 3.0)) {
    for (const v1::ScanRequest& request : requests) {
      (void)scanner.Scan(request, &verdict);
    }
    library_messages += requests.size();
    library_wall =
        std::chrono::duration<double>(Clock::now() - library_start).count();
  }

  std::printf(
      "{\"target\": \"%s\", \"client_threads\": %d, \"window\": %d, "
      "\"messages\": %llu, \"seconds\": %.3f, \"messages_per_second\": %.0f, "
      "\"latency_p50_us\": %.1f, \"latency_p99_us\": %.1f, \"ok\": %s, "
      "\"library_one_thread_messages_per_second\": %.0f, "
      "\"in_process\": %s, \"input_messages\": %zu, \"ruleset\": \"%s\"}\n",
      target.c_str(), threads, window,
      static_cast<unsigned long long>(messages), wall, messages / wall, p50,
      p99, ok ? "true" : "false", library_messages / library_wall,
      server != nullptr ? "true" : "false", requests.size(),
      std::filesystem::path(ruleset).filename().c_str());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace watchword

int main(int argc, char** argv) { return watchword::Main(argc, argv); }
