// The compiled, immutable form of a ruleset, and a handle for hot reload.
#ifndef WATCHWORD_ENGINE_H_
#define WATCHWORD_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "watchword/export.h"
#include "watchword/v1/ruleset.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

struct EngineRep;    // Private (src/engine/): what an Engine holds.
class EngineAccess;  // Private (src/engine/): builds and reads Engines.

// Which matcher runs the terms. Both give identical verdicts.
enum class Backend {
  kDefault,    // Hyperscan where the build has it, otherwise RE2.
  kHyperscan,  // Hyperscan (or Vectorscan) multi-pattern databases.
  kRe2,        // RE2::Set, then RE2 for spans. Portable fallback.
};

// Returns "hyperscan" or "re2".
WATCHWORD_EXPORT const char* BackendName(Backend backend);

// True when this build includes the Hyperscan backend.
WATCHWORD_EXPORT bool HasHyperscan();

// An Engine is a compiled ruleset: terms lowered into matcher databases and
// rules into evaluable logic. Make one with Compile() or CompileFile()
// (compiler.h); scan with a Scanner (scanner.h).
//
// An Engine is immutable and can be shared across threads without locks,
// usually as std::shared_ptr<const Engine>.
class WATCHWORD_EXPORT Engine {
 public:
  ~Engine();

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Name, version and fingerprint of the ruleset, as echoed in verdicts.
  const v1::RulesetInfo& info() const;

  // The validated ruleset this engine was compiled from.
  const v1::Ruleset& ruleset() const;

  // The matcher backend in use.
  Backend backend() const;

  // Number of rules.
  int rule_count() const;

  // Number of distinct patterns handed to the matcher.
  int pattern_count() const;

 private:
  // The library builds and reads Engines through EngineAccess (src/engine/).
  friend class EngineAccess;
  explicit Engine(std::unique_ptr<const EngineRep> rep);

  std::unique_ptr<const EngineRep> rep_;
};

// An EngineHandle holds the current Engine of a service and lets one thread
// swap in a newly compiled Engine while others keep scanning: scans that
// started keep the Engine they started with, later scans see the new one.
// Thread-safe. Scanners built from a handle follow it (scanner.h).
class WATCHWORD_EXPORT EngineHandle {
 public:
  // REQUIRES: `engine` is non-null.
  explicit EngineHandle(std::shared_ptr<const Engine> engine);

  EngineHandle(const EngineHandle&) = delete;
  EngineHandle& operator=(const EngineHandle&) = delete;

  // Returns the current Engine. The caller shares ownership.
  std::shared_ptr<const Engine> Get() const;

  // Makes `engine` current and bumps generation(). REQUIRES: non-null.
  void Set(std::shared_ptr<const Engine> engine);

  // Increases by one on every Set(); cheap to poll.
  uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }

 private:
  std::atomic<std::shared_ptr<const Engine>> engine_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace watchword

#endif  // WATCHWORD_ENGINE_H_
