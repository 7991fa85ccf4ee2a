// What `watchword serve` counts, rendered in the Prometheus text format:
// requests by method and status, verdicts by action, scan errors, a scan
// latency histogram, the serving engine, reloads. Holds no message text.
#ifndef WATCHWORD_SRC_SERVE_METRICS_H_
#define WATCHWORD_SRC_SERVE_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "watchword/engine.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

// The RPCs of watchword.v1.Watchword.
enum class Method {
  kScan,        // Unary Scan.
  kScanStream,  // Bidirectional ScanStream; one request per call.
  kInfo,        // Info.
};
inline constexpr int kMethodCount = 3;

// Counters and gauges of one server. Every method is thread-safe; the
// counters are relaxed atomics, so recording costs a few nanoseconds.
class Metrics {
 public:
  // Upper bounds of the scan latency histogram, in seconds (+Inf is extra).
  static constexpr std::array<double, 15> kLatencyBuckets = {
      0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
      0.005,   0.01,     0.025,   0.05,   0.1,     0.25,   1.0};

  // Counts one finished call of `method` with gRPC status code `code`
  // (0 to 16).
  void RecordRequest(Method method, int code);

  // Counts one scanned request: its verdict's action, `status` (the
  // Scanner's result) and how long the scan took.
  void RecordScan(const v1::Verdict& verdict, const absl::Status& status,
                  double seconds);

  // Counts one reload attempt.
  void RecordReload(bool ok);

  // Records the serving engine, and its generation (1 at start).
  void SetEngine(const Engine& engine, uint64_t generation);

  // Adds `delta` to the calls in progress.
  void AddInFlight(int delta) {
    in_flight_.fetch_add(delta, std::memory_order_relaxed);
  }

  // Total scans recorded so far.
  uint64_t scans() const;

  // All metrics in the Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  static constexpr int kCodes = 17;    // gRPC and absl status codes 0..16.
  static constexpr int kActions = 5;   // v1::Action values 0..4.

  std::array<std::atomic<uint64_t>, kMethodCount * kCodes> requests_{};
  std::array<std::atomic<uint64_t>, kActions> verdicts_{};
  std::array<std::atomic<uint64_t>, kCodes> scan_errors_{};
  std::array<std::atomic<uint64_t>, kLatencyBuckets.size() + 1> latency_{};
  std::atomic<uint64_t> latency_sum_ns_{0};
  std::atomic<uint64_t> reloads_ok_{0};
  std::atomic<uint64_t> reloads_failed_{0};
  std::atomic<int64_t> in_flight_{0};

  mutable absl::Mutex mu_;
  std::string engine_labels_ ABSL_GUARDED_BY(mu_);
  int rule_count_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SERVE_METRICS_H_
