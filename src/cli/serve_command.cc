// `watchword serve`: the gRPC service of proto/watchword/v1/service.proto,
// with the standard health service, server reflection, Prometheus metrics,
// hot reload and graceful shutdown.
//
// Signals are handled by this thread with sigwait(): they are blocked
// before any other thread starts (gRPC's, civetweb's, the reloader's), so
// none of them is interrupted and no handler runs in signal context.

#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "src/cli/commands.h"
#include "src/serve/engine_source.h"
#include "src/serve/metrics.h"
#include "src/serve/metrics_http.h"
#include "src/serve/service.h"
#include "watchword/engine.h"

namespace watchword {

int RunServeCommand(const ServeCommandOptions& options) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const EngineSource source(options.ruleset_path, options.engine_path,
                            options.backend);
  const std::string stamp = source.Stamp();
  absl::StatusOr<std::shared_ptr<const Engine>> engine = source.Load();
  if (!engine.ok()) {
    std::fprintf(stderr, "watchword serve: %s does not load: %s\n",
                 source.path().c_str(),
                 std::string(engine.status().message()).c_str());
    return kExitFatal;
  }
  EngineHandle handle(*engine);
  Metrics metrics;
  metrics.SetEngine(**engine, 1);

  std::unique_ptr<MetricsHttpServer> metrics_server;
  if (!options.metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> started =
        MetricsHttpServer::Start(options.metrics_listen, &metrics);
    if (!started.ok()) {
      std::fprintf(stderr, "watchword serve: %s\n",
                   std::string(started.status().message()).c_str());
      return kExitFatal;
    }
    metrics_server = *std::move(started);
  }

  ServiceOptions service_options;
  service_options.max_concurrent_requests = options.max_concurrent_requests;
  WatchwordService service(&handle, &metrics, service_options);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  // Each call in progress holds a thread of the synchronous server; the
  // quota keeps threads bounded, a few above the calls we admit (pollers).
  grpc::ResourceQuota quota("watchword-serve");
  quota.SetMaxThreads(options.max_concurrent_requests + 8);
  builder.SetResourceQuota(quota);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "watchword serve: cannot listen on %s\n",
                 options.listen.c_str());
    return kExitFatal;
  }
  server->GetHealthCheckService()->SetServingStatus(true);

  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  const v1::RulesetInfo& info = (*engine)->info();
  std::fprintf(stderr,
               "watchword serve: listening on %s:%d; ruleset %s version %s, "
               "%d rules, backend %s\n",
               host.c_str(), port, info.name().c_str(),
               info.version().c_str(), (*engine)->rule_count(),
               BackendName((*engine)->backend()));
  if (metrics_server != nullptr) {
    const std::string metrics_host = options.metrics_listen.substr(
        0, options.metrics_listen.rfind(':'));
    std::fprintf(stderr, "watchword serve: metrics on http://%s:%d/metrics\n",
                 metrics_host.c_str(), metrics_server->port());
  }
  engine->reset();  // The handle owns it: a reload can free it.

  {
    Reloader reloader(&source, &handle, &metrics,
                      absl::Milliseconds(options.reload_poll_ms), stamp);
    int signal = 0;
    while (sigwait(&signals, &signal) == 0 && signal == SIGHUP) {
      reloader.RequestReload();
    }
    std::fprintf(stderr,
                 "watchword serve: %s: finishing calls in progress (up to "
                 "%lld ms)\n",
                 signal == SIGINT ? "SIGINT" : "SIGTERM",
                 static_cast<long long>(options.shutdown_grace_ms));
    server->GetHealthCheckService()->SetServingStatus(false);
    server->Shutdown(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(options.shutdown_grace_ms));
    server->Wait();
  }
  std::fprintf(stderr, "watchword serve: stopped after %llu scans\n",
               static_cast<unsigned long long>(metrics.scans()));
  return kExitOk;
}

}  // namespace watchword
