#include "src/serve/metrics_http.h"

#include <civetweb.h>

#include <cstring>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"

namespace watchword {
namespace {

int HandleMetrics(mg_connection* connection, void* data) {
  const mg_request_info* request = mg_get_request_info(connection);
  if (std::strcmp(request->request_method, "GET") != 0 &&
      std::strcmp(request->request_method, "HEAD") != 0) {
    mg_send_http_error(connection, 405, "only GET");
    return 405;
  }
  const std::string body = static_cast<const Metrics*>(data)->Render();
  mg_printf(connection,
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
            "Content-Length: %zu\r\n"
            "Connection: close\r\n\r\n",
            body.size());
  if (std::strcmp(request->request_method, "GET") == 0) {
    mg_write(connection, body.data(), body.size());
  }
  return 200;
}

// civetweb logs bind errors and the like through this; the caller reports
// the failure itself.
int QuietLog(const mg_connection*, const char*) { return 1; }

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    const std::string& listen, const Metrics* metrics) {
  static std::once_flag init;
  std::call_once(init, [] { mg_init_library(0); });
  const char* options[] = {"listening_ports", listen.c_str(),
                           // A scrape is one small response: two threads.
                           "num_threads", "2", nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof(callbacks));
  callbacks.log_message = QuietLog;
  std::unique_ptr<MetricsHttpServer> server(new MetricsHttpServer);
  server->context_ = mg_start(&callbacks, nullptr, options);
  if (server->context_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve metrics on ", listen));
  }
  mg_set_request_handler(server->context_, "/metrics$", HandleMetrics,
                         const_cast<Metrics*>(metrics));
  mg_server_port ports[1];
  if (mg_get_server_ports(server->context_, 1, ports) == 1) {
    server->port_ = ports[0].port;
  }
  return server;
}

MetricsHttpServer::~MetricsHttpServer() {
  if (context_ != nullptr) mg_stop(context_);
}

}  // namespace watchword
