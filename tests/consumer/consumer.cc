// A service outside this repository, as tests/consumer/run.sh builds it: it
// includes only the installed headers, compiles the ruleset named on the
// command line, saves it as an engine file, loads that file and scans one
// message with each Engine. Exits 0 if both find the expected match.
#include <cstdio>
#include <memory>

#include "expect_match.h"
#include "watchword/watchword.h"

namespace {

absl::Status Run(const char* ruleset_path, const char* engine_path) {
  WATCHWORD_ASSIGN_OR_RETURN(std::shared_ptr<const watchword::Engine> engine,
                             watchword::CompileFile(ruleset_path));
  WATCHWORD_RETURN_IF_ERROR(consumer::ExpectMatch(engine, "compiled"));
  WATCHWORD_RETURN_IF_ERROR(watchword::SaveEngineFile(*engine, engine_path));
  WATCHWORD_ASSIGN_OR_RETURN(std::shared_ptr<const watchword::Engine> loaded,
                             watchword::LoadEngineFile(engine_path));
  return consumer::ExpectMatch(std::move(loaded), "loaded");
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
