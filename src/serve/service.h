// The gRPC service of `watchword serve` (proto/watchword/v1/service.proto):
// Scan, ScanStream and Info over an EngineHandle, with metrics.
#ifndef WATCHWORD_SRC_SERVE_SERVICE_H_
#define WATCHWORD_SRC_SERVE_SERVICE_H_

#include <atomic>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "src/serve/metrics.h"
#include "watchword/engine.h"
#include "watchword/scanner.h"
#include "watchword/v1/service.grpc.pb.h"

namespace watchword {

// Options of a WatchwordService.
struct ServiceOptions {
  // Most Scan and ScanStream calls in progress at once; more are refused
  // with RESOURCE_EXHAUSTED. Info is not counted.
  int max_concurrent_requests = 256;
  // Limits of each scan. Its `timeout` is replaced per request by the
  // time left until the call's deadline (none: no limit).
  ScanOptions scan_options;
};

// Scans with the current Engine of an EngineHandle, so a reload (by
// whoever calls EngineHandle::Set()) takes effect for the next request
// without waiting: a request in progress finishes with the Engine it
// started with. Each call borrows a Scanner from a pool for as long as it
// runs (one per thread at a time; Scanners are not thread-safe). Logs
// nothing; never copies message text anywhere but into verdicts, and there
// only when the request asks (echo_matched_text). Thread-safe.
class WatchwordService final : public v1::Watchword::Service {
 public:
  // `handle` and `metrics` are borrowed and must outlive the service.
  WatchwordService(const EngineHandle* handle, Metrics* metrics,
                   const ServiceOptions& options);
  ~WatchwordService() override;

  grpc::Status Scan(grpc::ServerContext* context,
                    const v1::ScanRequest* request,
                    v1::Verdict* verdict) override;
  grpc::Status ScanStream(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::Verdict, v1::ScanRequest>* stream) override;
  grpc::Status Info(grpc::ServerContext* context,
                    const v1::InfoRequest* request,
                    v1::InfoResponse* response) override;

 private:
  // A Scanner on loan from the pool; returns it when destroyed.
  class Loan;

  // Scans `request` into *verdict with `scanner`, bounded by the call's
  // deadline, and records it in the metrics.
  void ScanOne(grpc::ServerContext* context, Scanner* scanner,
               const v1::ScanRequest& request, v1::Verdict* verdict);
  // Counts a call in; false (and nothing counted) if too many are running.
  bool Admit();
  void Leave();

  const EngineHandle* handle_;
  Metrics* metrics_;
  const ServiceOptions options_;
  std::atomic<int> in_flight_{0};
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Scanner>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SERVE_SERVICE_H_
