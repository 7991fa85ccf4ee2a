// A service that only loads engine files, linked with watchword::runtime
// (no compiler): it loads the engine file named on the command line (made
// by `watchword compile RULESET -o FILE` or SaveEngineFile() of the full
// library, from rulesets/examples/starter.textproto) and scans one message.
// Exits 0 if the expected rule matches. tests/consumer/run.sh builds it
// against the installed package; ctest `runtime_links_no_compiler` checks
// that the binary holds no compiler.
#include <cstdio>
#include <memory>
#include <utility>

#include "expect_match.h"
#include "watchword/serialize.h"
#include "watchword/status_macros.h"
#include "watchword/version.h"

namespace {

absl::Status Run(const char* engine_path) {
  WATCHWORD_ASSIGN_OR_RETURN(std::shared_ptr<const watchword::Engine> engine,
                             watchword::LoadEngineFile(engine_path));
  return consumer::ExpectMatch(std::move(engine), "runtime-only");
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
