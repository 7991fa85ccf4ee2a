// Where `watchword serve` gets its Engine, and how it gets a new one: a
// ruleset compiled (or an engine file loaded) at start, and again on
// SIGHUP or when the file changes on disk.
#ifndef WATCHWORD_SRC_SERVE_ENGINE_SOURCE_H_
#define WATCHWORD_SRC_SERVE_ENGINE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "watchword/engine.h"

namespace watchword {

class Metrics;

// A ruleset path or an engine file path, and how to turn it into an Engine.
// Thread-compatible: const methods may run concurrently.
class EngineSource {
 public:
  // Exactly one of `ruleset_path` (a ruleset file or directory) and
  // `engine_path` (a file from `watchword compile`) is non-empty.
  EngineSource(std::string ruleset_path, std::string engine_path,
               Backend backend);

  // Compiles the ruleset or loads the engine file. Diagnostics (which name
  // rules and file:line:column, never message text) go to stderr.
  absl::StatusOr<std::shared_ptr<const Engine>> Load() const;

  // A summary of the files Load() reads: for each, its name, size and
  // modification time (for a directory, each ruleset file in it). Equal
  // stamps mean nothing changed; a missing file gives an empty stamp.
  std::string Stamp() const;

  // The ruleset or engine file path, for logs.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool is_engine_file_;
  Backend backend_;
};

// Reloads an EngineHandle from an EngineSource on a thread of its own: when
// asked (RequestReload(), for SIGHUP) and, every `poll` interval, when the
// source's Stamp() has changed and then stayed the same for one more
// interval (so a file being written is not read half-way). A source that
// fails to load leaves the current Engine serving; the failure is logged and
// counted. Scans never wait for a reload: the new Engine is built off to the
// side and swapped in with EngineHandle::Set(). Thread-safe.
class Reloader {
 public:
  // `source`, `handle` and `metrics` are borrowed and must outlive the
  // Reloader. `poll` of zero turns polling off. `loaded_stamp` is the
  // Stamp() of what `handle` holds now. Starts the thread.
  Reloader(const EngineSource* source, EngineHandle* handle, Metrics* metrics,
           absl::Duration poll, std::string loaded_stamp);
  // Stops the thread, after a reload in progress: Compile() cannot be
  // interrupted, and the thread uses `source`, `handle` and `metrics`, so
  // it is joined rather than left behind. `watchword serve` stops serving
  // before this runs, so only exit waits.
  ~Reloader();

  Reloader(const Reloader&) = delete;
  Reloader& operator=(const Reloader&) = delete;

  // Asks for a reload whether or not the file changed; returns at once.
  void RequestReload();

 private:
  void Run();
  // Loads the source and, if it loads, makes it current.
  void Reload(const char* why, const std::string& stamp);

  const EngineSource* source_;
  EngineHandle* handle_;
  Metrics* metrics_;
  const absl::Duration poll_;
  std::string loaded_stamp_;  // Only the thread touches it after start.
  absl::Mutex mu_;
  bool reload_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SERVE_ENGINE_SOURCE_H_
