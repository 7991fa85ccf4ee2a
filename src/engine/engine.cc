#include "watchword/engine.h"

#include <utility>

#include "src/engine/engine_rep.h"
#include "src/normalize/code_points.h"

namespace watchword {

const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kHyperscan:
      return "hyperscan";
    case Backend::kRe2:
      return "re2";
    case Backend::kDefault:
      break;
  }
  return HasHyperscan() ? "hyperscan" : "re2";
}

bool HasHyperscan() {
#ifdef WATCHWORD_HAVE_HYPERSCAN
  return true;
#else
  return false;
#endif
}

Engine::Engine(std::unique_ptr<const EngineRep> rep) : rep_(std::move(rep)) {}

std::shared_ptr<const Engine> EngineAccess::Make(
    std::unique_ptr<const EngineRep> rep) {
  // Whoever makes an engine scans with it: pay for the tables here, with
  // compiling or loading, and not in the first scan of non-ASCII text.
  BuildCodePointTables();
  // Not make_shared: the constructor is private to Engine's friends.
  return std::shared_ptr<const Engine>(new Engine(std::move(rep)));
}
Engine::~Engine() = default;

const v1::RulesetInfo& Engine::info() const { return rep_->info; }
const v1::Ruleset& Engine::ruleset() const { return rep_->ruleset; }
Backend Engine::backend() const { return rep_->backend; }
int Engine::rule_count() const { return static_cast<int>(rep_->rules.size()); }
int Engine::pattern_count() const {
  return static_cast<int>(rep_->patterns.size());
}

EngineHandle::EngineHandle(std::shared_ptr<const Engine> engine)
    : engine_(std::move(engine)) {}

std::shared_ptr<const Engine> EngineHandle::Get() const {
  return engine_.load(std::memory_order_acquire);
}

void EngineHandle::Set(std::shared_ptr<const Engine> engine) {
  engine_.store(std::move(engine), std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace watchword
