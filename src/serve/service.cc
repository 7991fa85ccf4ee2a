#include "src/serve/service.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "watchword/version.h"

namespace watchword {

class WatchwordService::Loan {
 public:
  explicit Loan(WatchwordService* service) : service_(service) {
    {
      absl::MutexLock lock(&service_->mu_);
      if (!service_->idle_.empty()) {
        scanner_ = std::move(service_->idle_.back());
        service_->idle_.pop_back();
      }
    }
    // Built outside the lock. A Scanner made from the handle follows it:
    // each scan uses the Engine current when it starts.
    if (scanner_ == nullptr) {
      scanner_ = std::make_unique<Scanner>(*service_->handle_,
                                           service_->options_.scan_options);
    }
  }
  ~Loan() {
    absl::MutexLock lock(&service_->mu_);
    service_->idle_.push_back(std::move(scanner_));
  }
  Scanner* get() { return scanner_.get(); }

 private:
  WatchwordService* service_;
  std::unique_ptr<Scanner> scanner_;
};

WatchwordService::WatchwordService(const EngineHandle* handle,
                                   Metrics* metrics,
                                   const ServiceOptions& options)
    : handle_(handle), metrics_(metrics), options_(options) {}

WatchwordService::~WatchwordService() = default;

bool WatchwordService::Admit() {
  if (in_flight_.fetch_add(1, std::memory_order_acq_rel) >=
      options_.max_concurrent_requests) {
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return false;
  }
  metrics_->AddInFlight(1);
  return true;
}

void WatchwordService::Leave() {
  in_flight_.fetch_sub(1, std::memory_order_acq_rel);
  metrics_->AddInFlight(-1);
}

void WatchwordService::ScanOne(grpc::ServerContext* context, Scanner* scanner,
                               const v1::ScanRequest& request,
                               v1::Verdict* verdict) {
  ScanOptions options = options_.scan_options;
  const std::chrono::system_clock::time_point deadline = context->deadline();
  if (deadline != std::chrono::system_clock::time_point::max()) {
    // A deadline already past still scans with a zero budget, so the client
    // gets a truncated verdict, not silence.
    options.timeout = std::max(
        absl::ZeroDuration(),
        absl::FromChrono(deadline - std::chrono::system_clock::now()));
  }
  scanner->set_options(options);
  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = scanner->Scan(request, verdict);
  metrics_->RecordScan(*verdict, status,
                       std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count());
}

grpc::Status WatchwordService::Scan(grpc::ServerContext* context,
                                    const v1::ScanRequest* request,
                                    v1::Verdict* verdict) {
  if (!Admit()) {
    metrics_->RecordRequest(Method::kScan, grpc::RESOURCE_EXHAUSTED);
    return grpc::Status(grpc::RESOURCE_EXHAUSTED,
                        absl::StrCat("more than ",
                                     options_.max_concurrent_requests,
                                     " requests in progress"));
  }
  {
    Loan scanner(this);
    ScanOne(context, scanner.get(), *request, verdict);
  }
  Leave();
  metrics_->RecordRequest(Method::kScan, grpc::OK);
  return grpc::Status::OK;
}

grpc::Status WatchwordService::ScanStream(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::Verdict, v1::ScanRequest>* stream) {
  if (!Admit()) {
    metrics_->RecordRequest(Method::kScanStream, grpc::RESOURCE_EXHAUSTED);
    return grpc::Status(grpc::RESOURCE_EXHAUSTED,
                        absl::StrCat("more than ",
                                     options_.max_concurrent_requests,
                                     " requests in progress"));
  }
  grpc::Status result = grpc::Status::OK;
  {
    Loan scanner(this);
    v1::ScanRequest request;
    v1::Verdict verdict;
    // One request at a time, so verdicts go out in request order.
    while (stream->Read(&request)) {
      ScanOne(context, scanner.get(), request, &verdict);
      if (!stream->Write(verdict)) {
        result = grpc::Status(grpc::CANCELLED, "the client went away");
        break;
      }
    }
    if (result.ok() && context->IsCancelled()) {
      result = grpc::Status(grpc::CANCELLED, "cancelled");
    }
  }
  Leave();
  metrics_->RecordRequest(Method::kScanStream, result.error_code());
  return result;
}

grpc::Status WatchwordService::Info(grpc::ServerContext*,
                                    const v1::InfoRequest*,
                                    v1::InfoResponse* response) {
  // One load: every field describes the same Engine.
  const std::shared_ptr<const Engine> engine = handle_->Get();
  *response->mutable_ruleset() = engine->info();
  response->set_watchword_version(WATCHWORD_VERSION);
  response->set_rule_count(engine->rule_count());
  response->set_backend(BackendName(engine->backend()));
  response->set_generation(handle_->generation() + 1);
  metrics_->RecordRequest(Method::kInfo, grpc::OK);
  return grpc::Status::OK;
}

}  // namespace watchword
