#include "src/serve/engine_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/cli/command_util.h"
#include "src/serve/metrics.h"
#include "watchword/serialize.h"

namespace watchword {
namespace {

// "name size mtime_ns;" of one file, or "" if it cannot be stat'ed.
std::string FileStamp(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return absl::StrCat(path, " ", st.st_size, " ", st.st_mtim.tv_sec, ".",
                      st.st_mtim.tv_nsec, ";");
}

}  // namespace

EngineSource::EngineSource(std::string ruleset_path, std::string engine_path,
                           Backend backend)
    : path_(ruleset_path.empty() ? engine_path : ruleset_path),
      is_engine_file_(ruleset_path.empty()),
      backend_(backend) {}

absl::StatusOr<std::shared_ptr<const Engine>> EngineSource::Load() const {
  if (is_engine_file_) return LoadEngineFile(path_);
  return CompileWithDiagnostics(path_, backend_);
}

std::string EngineSource::Stamp() const {
  std::error_code error;
  if (!std::filesystem::is_directory(path_, error)) return FileStamp(path_);
  // The files LoadRuleset() reads from a directory: not recursive, no
  // dot-files. The directory's own mtime catches files added or removed.
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(path_, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] != '.') files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::string stamp = FileStamp(path_);
  for (const std::string& file : files) stamp += FileStamp(file);
  return stamp;
}

Reloader::Reloader(const EngineSource* source, EngineHandle* handle,
                   Metrics* metrics, absl::Duration poll,
                   std::string loaded_stamp)
    : source_(source),
      handle_(handle),
      metrics_(metrics),
      poll_(poll),
      loaded_stamp_(std::move(loaded_stamp)),
      thread_([this] { Run(); }) {}

Reloader::~Reloader() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void Reloader::RequestReload() {
  absl::MutexLock lock(&mu_);
  reload_requested_ = true;
}

void Reloader::Run() {
  // What the last poll saw; a change reloads once it holds for a poll.
  std::string seen_stamp = loaded_stamp_;
  // Without polling, wake up now and then only to see requests.
  const absl::Duration wait =
      poll_ > absl::ZeroDuration() ? poll_ : absl::Milliseconds(200);
  while (true) {
    bool requested = false;
    {
      absl::MutexLock lock(&mu_);
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || reload_requested_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
      if (stop_) return;
      requested = reload_requested_;
      reload_requested_ = false;
    }
    if (requested) {
      Reload("SIGHUP", source_->Stamp());
      seen_stamp = loaded_stamp_;
      continue;
    }
    if (poll_ <= absl::ZeroDuration()) continue;
    const std::string stamp = source_->Stamp();
    if (stamp != loaded_stamp_ && stamp == seen_stamp && !stamp.empty()) {
      Reload("file changed", stamp);
    }
    seen_stamp = stamp;
  }
}

void Reloader::Reload(const char* why, const std::string& stamp) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::shared_ptr<const Engine>> engine = source_->Load();
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  // A source that does not load is not retried until it changes again.
  loaded_stamp_ = stamp;
  if (!engine.ok()) {
    metrics_->RecordReload(false);
    std::fprintf(stderr,
                 "watchword serve: reload (%s) of %s failed, still serving "
                 "the previous engine: %s\n",
                 why, source_->path().c_str(),
                 std::string(engine.status().message()).c_str());
    return;
  }
  handle_->Set(*engine);
  metrics_->SetEngine(**engine, handle_->generation() + 1);
  metrics_->RecordReload(true);
  const v1::RulesetInfo& info = (*engine)->info();
  std::fprintf(stderr,
               "watchword serve: reloaded (%s) %s: ruleset %s version %s, %d "
               "rules, in %.3f s\n",
               why, source_->path().c_str(), info.name().c_str(),
               info.version().c_str(), (*engine)->rule_count(), seconds);
}

}  // namespace watchword
