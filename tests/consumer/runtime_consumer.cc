// A service that only loads engine files, linked with watchword::runtime
// (no compiler): it loads the engine file named on the command line (made
// by `watchword compile RULESET -o FILE` or SaveEngineFile() of the full
// library, from rulesets/examples/starter.textproto) and scans one message.
// Exits 0 if the expected rule matches. tests/consumer/run.sh builds it
// against the installed package; ctest `runtime_links_no_compiler` checks
// that the binary holds no compiler.
#include <cstdio>
#include <memory>
#include <string>

#include "watchword/engine.h"
#include "watchword/scanner.h"
#include "watchword/serialize.h"
#include "watchword/status_macros.h"
#include "watchword/version.h"

namespace {

absl::Status Run(const char* engine_path) {
  WATCHWORD_ASSIGN_OR_RETURN(std::shared_ptr<const watchword::Engine> engine,
                             watchword::LoadEngineFile(engine_path));
  watchword::Scanner scanner(std::move(engine));
  watchword::v1::Verdict verdict;
  WATCHWORD_RETURN_IF_ERROR(scanner.Scan("add me on snap", &verdict));
  bool matched = false;
  for (const watchword::v1::RuleMatch& match : verdict.rule_matches()) {
    matched |= match.rule_id() == "platform.move-off-platform";
  }
  if (!matched || verdict.action() != watchword::v1::ACTION_REVIEW) {
    return absl::InternalError(
        "expected a match of platform.move-off-platform and action review, "
        "got " +
        verdict.ShortDebugString());
  }
  std::printf("runtime-only engine (%s): platform.move-off-platform, %s\n",
              watchword::BackendName(scanner.engine()->backend()),
              watchword::v1::Action_Name(verdict.action()).c_str());
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s ENGINE_FILE\n", argv[0]);
    return 2;
  }
  std::printf("watchword %s (runtime)\n", WATCHWORD_VERSION);
  absl::Status status = Run(argv[1]);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
