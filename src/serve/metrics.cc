#include "src/serve/metrics.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/jsonl.h"
#include "watchword/version.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {
namespace {

constexpr const char* kMethodNames[kMethodCount] = {"Scan", "ScanStream",
                                                    "Info"};

// gRPC's and absl's status codes share numbers and names.
constexpr const char* kCodeNames[17] = {
    "OK",           "CANCELLED",          "UNKNOWN",
    "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION", "ABORTED",        "OUT_OF_RANGE",
    "UNIMPLEMENTED",    "INTERNAL",          "UNAVAILABLE",
    "DATA_LOSS",        "UNAUTHENTICATED"};

// A label value with \, " and newlines escaped, as the format requires.
std::string LabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

uint64_t Load(const std::atomic<uint64_t>& counter) {
  return counter.load(std::memory_order_relaxed);
}

}  // namespace

void Metrics::RecordRequest(Method method, int code) {
  code = std::clamp(code, 0, kCodes - 1);
  requests_[static_cast<int>(method) * kCodes + code].fetch_add(
      1, std::memory_order_relaxed);
}

void Metrics::RecordScan(const v1::Verdict& verdict, const absl::Status& status,
                         double seconds) {
  const int action = std::clamp(static_cast<int>(verdict.action()), 0,
                                kActions - 1);
  verdicts_[action].fetch_add(1, std::memory_order_relaxed);
  if (!status.ok()) {
    const int code = std::clamp(static_cast<int>(status.code()), 0, kCodes - 1);
    scan_errors_[code].fetch_add(1, std::memory_order_relaxed);
  }
  const size_t bucket =
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(),
                       seconds) -
      kLatencyBuckets.begin();
  latency_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<uint64_t>(seconds * 1e9),
                            std::memory_order_relaxed);
}

void Metrics::RecordReload(bool ok) {
  (ok ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed);
}

void Metrics::SetEngine(const Engine& engine, uint64_t generation) {
  const v1::RulesetInfo& info = engine.info();
  std::string labels = absl::StrCat(
      "ruleset=\"", LabelValue(info.name()), "\",version=\"",
      LabelValue(info.version()), "\",fingerprint=\"",
      LabelValue(info.fingerprint()), "\",backend=\"",
      BackendName(engine.backend()), "\",watchword_version=\"",
      WATCHWORD_VERSION, "\"");
  absl::MutexLock lock(&mu_);
  engine_labels_ = std::move(labels);
  rule_count_ = engine.rule_count();
  generation_ = generation;
}

uint64_t Metrics::scans() const {
  uint64_t total = 0;
  for (const auto& count : verdicts_) total += Load(count);
  return total;
}

std::string Metrics::Render() const {
  std::string out;
  absl::StrAppend(&out,
                  "# HELP watchword_requests_total Finished gRPC calls, by "
                  "method and status code.\n"
                  "# TYPE watchword_requests_total counter\n");
  for (int method = 0; method < kMethodCount; ++method) {
    for (int code = 0; code < kCodes; ++code) {
      const uint64_t count = Load(requests_[method * kCodes + code]);
      // OK is always printed, so every method has a series from the start.
      if (count == 0 && code != 0) continue;
      absl::StrAppend(&out, "watchword_requests_total{method=\"",
                      kMethodNames[method], "\",code=\"", kCodeNames[code],
                      "\"} ", count, "\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP watchword_verdicts_total Scanned requests, by the "
                  "verdict's action.\n"
                  "# TYPE watchword_verdicts_total counter\n");
  for (int action = 0; action < kActions; ++action) {
    absl::StrAppend(&out, "watchword_verdicts_total{action=\"",
                    ActionShortName(static_cast<v1::Action>(action)), "\"} ", Load(verdicts_[action]), "\n");
  }
  absl::StrAppend(&out,
                  "# HELP watchword_scan_errors_total Scans that returned an "
                  "error in the verdict, by status code.\n"
                  "# TYPE watchword_scan_errors_total counter\n");
  for (int code = 1; code < kCodes; ++code) {
    const uint64_t count = Load(scan_errors_[code]);
    if (count == 0) continue;
    absl::StrAppend(&out, "watchword_scan_errors_total{code=\"",
                    kCodeNames[code], "\"} ", count, "\n");
  }
  absl::StrAppend(&out,
                  "# HELP watchword_scan_latency_seconds Time to scan one "
                  "request, in the server.\n"
                  "# TYPE watchword_scan_latency_seconds histogram\n");
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
    cumulative += Load(latency_[i]);
    const std::string le = i < kLatencyBuckets.size()
                               ? absl::StrFormat("%g", kLatencyBuckets[i])
                               : std::string("+Inf");
    absl::StrAppend(&out, "watchword_scan_latency_seconds_bucket{le=\"", le,
                    "\"} ", cumulative, "\n");
  }
  absl::StrAppend(&out, "watchword_scan_latency_seconds_sum ",
                  absl::StrFormat("%.9f", Load(latency_sum_ns_) / 1e9), "\n",
                  "watchword_scan_latency_seconds_count ", cumulative, "\n");
  absl::StrAppend(&out,
                  "# HELP watchword_reloads_total Engine reloads, by result.\n"
                  "# TYPE watchword_reloads_total counter\n"
                  "watchword_reloads_total{result=\"ok\"} ",
                  Load(reloads_ok_), "\n",
                  "watchword_reloads_total{result=\"error\"} ",
                  Load(reloads_failed_), "\n");
  absl::StrAppend(&out,
                  "# HELP watchword_in_flight_requests Calls in progress.\n"
                  "# TYPE watchword_in_flight_requests gauge\n"
                  "watchword_in_flight_requests ",
                  in_flight_.load(std::memory_order_relaxed), "\n");
  absl::MutexLock lock(&mu_);
  absl::StrAppend(&out,
                  "# HELP watchword_engine_info The serving engine; always "
                  "1.\n"
                  "# TYPE watchword_engine_info gauge\n"
                  "watchword_engine_info{",
                  engine_labels_, "} 1\n",
                  "# HELP watchword_engine_rules Rules of the serving "
                  "engine.\n"
                  "# TYPE watchword_engine_rules gauge\n"
                  "watchword_engine_rules ",
                  rule_count_, "\n",
                  "# HELP watchword_engine_generation Engines loaded since "
                  "start (1 + successful reloads).\n"
                  "# TYPE watchword_engine_generation gauge\n"
                  "watchword_engine_generation ",
                  generation_, "\n");
  return out;
}

}  // namespace watchword
