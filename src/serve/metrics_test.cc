#include "src/serve/metrics.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/compiler.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountsRequestsByMethodAndCode) {
  Metrics metrics;
  metrics.RecordRequest(Method::kScan, 0);
  metrics.RecordRequest(Method::kScan, 0);
  metrics.RecordRequest(Method::kScanStream, 8);
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr(
      "watchword_requests_total{method=\"Scan\",code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("watchword_requests_total{method=\"ScanStream\","
                              "code=\"RESOURCE_EXHAUSTED\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_requests_total{method=\"Info\",code=\"OK\"} 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("method=\"Scan\",code=\"CANCELLED\"")));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  v1::Verdict review;
  review.set_action(v1::ACTION_REVIEW);
  metrics.RecordScan(review, absl::OkStatus(), 0.00002);   // <= 25 µs
  metrics.RecordScan(v1::Verdict(), absl::DeadlineExceededError("late"),
                     0.3);                                 // <= 1 s
  metrics.RecordScan(v1::Verdict(), absl::OkStatus(), 5);  // +Inf only
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("watchword_verdicts_total{action=\"review\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("watchword_verdicts_total{action=\"none\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_scan_errors_total{code=\"DEADLINE_EXCEEDED\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_scan_latency_seconds_bucket{le=\"1e-05\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_scan_latency_seconds_bucket{le=\"2.5e-05\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_scan_latency_seconds_bucket{le=\"0.25\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_scan_latency_seconds_bucket{le=\"1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(
      "watchword_scan_latency_seconds_bucket{le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("watchword_scan_latency_seconds_count 3\n"));
  EXPECT_THAT(text, HasSubstr("watchword_scan_latency_seconds_sum 5.300020000\n"));
  EXPECT_EQ(metrics.scans(), 3u);
}

TEST(MetricsTest, EngineInfoAndReloads) {
  auto engine = CompileFile(testing::SourcePath("rulesets/examples/starter.textproto"));
  ASSERT_TRUE(engine.ok()) << engine.status();
  Metrics metrics;
  metrics.SetEngine(**engine, 2);
  metrics.RecordReload(true);
  metrics.RecordReload(false);
  metrics.RecordReload(false);
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("watchword_engine_info{ruleset=\"watchword-"
                              "starter\",version=\"0.1.0\",fingerprint=\""));
  EXPECT_THAT(text, HasSubstr("watchword_engine_rules 8\n"));
  EXPECT_THAT(text, HasSubstr("watchword_engine_generation 2\n"));
  EXPECT_THAT(text, HasSubstr("watchword_reloads_total{result=\"ok\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("watchword_reloads_total{result=\"error\"} 2\n"));
}

}  // namespace
}  // namespace watchword
