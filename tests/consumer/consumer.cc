// A service outside this repository, as tests/consumer/run.sh builds it: it
// includes only the installed headers, compiles the ruleset named on the
// command line, saves it as an engine file, loads that file and scans one
// message with each Engine. Exits 0 if both find the expected match.
#include <cstdio>
#include <memory>
#include <string>

#include "watchword/watchword.h"

namespace {

absl::Status ScanForMatch(std::shared_ptr<const watchword::Engine> engine,
                          const char* what) {
  watchword::Scanner scanner(std::move(engine));
  watchword::v1::Verdict verdict;
  WATCHWORD_RETURN_IF_ERROR(scanner.Scan("add me on snap", &verdict));
  bool matched = false;
  for (const watchword::v1::RuleMatch& match : verdict.rule_matches()) {
    matched |= match.rule_id() == "platform.move-off-platform";
  }
  if (!matched || verdict.action() != watchword::v1::ACTION_REVIEW) {
    return absl::InternalError(
        std::string(what) + ": expected a match of "
        "platform.move-off-platform and action review, got " +
        verdict.ShortDebugString());
  }
  std::printf("%s engine: platform.move-off-platform, %s\n", what,
              watchword::v1::Action_Name(verdict.action()).c_str());
  return absl::OkStatus();
}

absl::Status Run(const char* ruleset_path, const char* engine_path) {
  WATCHWORD_ASSIGN_OR_RETURN(std::shared_ptr<const watchword::Engine> engine,
                             watchword::CompileFile(ruleset_path));
  WATCHWORD_RETURN_IF_ERROR(ScanForMatch(engine, "compiled"));
  WATCHWORD_RETURN_IF_ERROR(watchword::SaveEngineFile(*engine, engine_path));
  WATCHWORD_ASSIGN_OR_RETURN(std::shared_ptr<const watchword::Engine> loaded,
                             watchword::LoadEngineFile(engine_path));
  return ScanForMatch(std::move(loaded), "loaded");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s RULESET ENGINE_FILE_TO_WRITE\n", argv[0]);
    return 2;
  }
  std::printf("watchword %s\n", WATCHWORD_VERSION);
  absl::Status status = Run(argv[1], argv[2]);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
