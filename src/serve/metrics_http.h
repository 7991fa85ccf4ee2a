// The HTTP endpoint of `watchword serve --metrics_listen`: GET /metrics
// returns Metrics::Render() as Prometheus scrapes it. Served by civetweb
// (Debian libcivetweb-dev), bound to one address.
#ifndef WATCHWORD_SRC_SERVE_METRICS_HTTP_H_
#define WATCHWORD_SRC_SERVE_METRICS_HTTP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "src/serve/metrics.h"

struct mg_context;

namespace watchword {

// A running HTTP server with one handler, /metrics. Stops when destroyed.
class MetricsHttpServer {
 public:
  // Starts serving `metrics` (borrowed; must outlive the server) on
  // `listen`, "host:port"; port 0 picks a free one (see port()). Returns
  // Unavailable if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      const std::string& listen, const Metrics* metrics);
  ~MetricsHttpServer();

  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // The port it listens on.
  int port() const { return port_; }

 private:
  MetricsHttpServer() = default;

  mg_context* context_ = nullptr;
  int port_ = 0;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SERVE_METRICS_HTTP_H_
