#include "src/cli/command_util.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "src/cli/commands.h"
#include "watchword/compiler.h"
#include "watchword/serialize.h"
#include "watchword/v1/diagnostic.pb.h"

namespace watchword {

absl::StatusOr<std::shared_ptr<const Engine>> CompileWithDiagnostics(
    const std::string& path, Backend backend) {
  CompileOptions options;
  options.backend = backend;
  std::vector<v1::Diagnostic> diagnostics;
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileFile(path, options, &diagnostics);
  for (const v1::Diagnostic& diagnostic : diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnostic(diagnostic).c_str());
  }
  return engine;
}

absl::StatusOr<std::shared_ptr<const Engine>> CompileForCommand(
    const std::string& command, const std::string& path, Backend backend) {
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      CompileWithDiagnostics(path, backend);
  if (!engine.ok()) {
    std::fprintf(stderr, "watchword %s: ruleset %s does not compile: %s\n",
                 command.c_str(), path.c_str(),
                 std::string(engine.status().message()).c_str());
  }
  return engine;
}

absl::StatusOr<std::shared_ptr<const Engine>> LoadForCommand(
    const std::string& command, const std::string& path) {
  absl::StatusOr<std::shared_ptr<const Engine>> engine = LoadEngineFile(path);
  if (!engine.ok()) {
    // LoadEngineFile()'s messages start with the path.
    std::fprintf(stderr, "watchword %s: engine file does not load: %s\n",
                 command.c_str(),
                 std::string(engine.status().message()).c_str());
  }
  return engine;
}

bool CheckInputReadable(const std::string& path, const std::string& command) {
  if (path.empty() || path == "-") return true;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::fprintf(stderr, "watchword %s: cannot open %s: %s\n", command.c_str(),
                 path.c_str(), std::strerror(errno));
    return false;
  }
  std::fclose(file);
  return true;
}

bool ParseContextFlag(const std::string& json, v1::Context* context,
                      const std::string& command) {
  context->Clear();
  if (json.empty()) return true;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status =
      google::protobuf::util::JsonStringToMessage(json, context, options);
  if (status.ok()) return true;
  // The flag is the user's own text, not message text: quoting it is fine.
  std::fprintf(stderr, "watchword %s: --context: not a JSON Context: %s\n",
               command.c_str(), std::string(status.message()).c_str());
  return false;
}

int FinishOutput(const std::string& command, bool written) {
  if (written && std::fflush(stdout) == 0) return kExitOk;
  if (errno == EPIPE) return kExitOk;
  std::fprintf(stderr, "watchword %s: writing output: %s\n", command.c_str(),
               std::strerror(errno));
  return kExitFatal;
}

}  // namespace watchword
