// `watchword compile RULESET -o FILE`: compile once, save an engine file
// that `scan --engine` and `stats --engine` load in milliseconds.

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "watchword/engine.h"
#include "watchword/serialize.h"

namespace watchword {

int RunCompileCommand(const CompileCommandOptions& options) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileForCommand("compile", options.ruleset_path, options.backend);
  if (!engine.ok()) return kExitFailed;
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  absl::Status saved = SaveEngineFile(**engine, options.output_path);
  if (!saved.ok()) {
    std::fprintf(stderr, "watchword compile: %s\n",
                 std::string(saved.message()).c_str());
    return kExitFatal;
  }
  const v1::RulesetInfo& info = (*engine)->info();
  std::printf(
      "wrote %s: ruleset %s version %s (fingerprint %s), %d rules, backend "
      "%s, compiled in %.3f s\n",
      options.output_path.c_str(), info.name().c_str(), info.version().c_str(),
      info.fingerprint().c_str(), (*engine)->rule_count(),
      BackendName((*engine)->backend()), seconds);
  return kExitOk;
}

}  // namespace watchword
