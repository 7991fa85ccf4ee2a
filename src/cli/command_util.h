// Steps shared by the subcommands that compile a ruleset and read a corpus
// (`stats`, `diff`, `compile`, and `serve` for compiling): compiling with
// diagnostics on stderr, loading engine files, and the `--context` flag.
#ifndef WATCHWORD_SRC_CLI_COMMAND_UTIL_H_
#define WATCHWORD_SRC_CLI_COMMAND_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "watchword/engine.h"
#include "watchword/v1/context.pb.h"

namespace watchword {

// Compiles the ruleset at `path` with `backend`, printing every diagnostic
// (FormatDiagnostic(), one a line) to stderr. Returns the Engine or the
// compile error.
absl::StatusOr<std::shared_ptr<const Engine>> CompileWithDiagnostics(
    const std::string& path, Backend backend);

// As CompileWithDiagnostics(), and prints, on failure, "watchword COMMAND: ruleset PATH does not compile: ...".
// Returns the Engine or the compile error.
absl::StatusOr<std::shared_ptr<const Engine>> CompileForCommand(
    const std::string& command, const std::string& path, Backend backend);

// Loads the engine file at `path` (serialize.h), printing, on failure,
// "watchword COMMAND: engine file does not load: PATH: ..." to stderr.
absl::StatusOr<std::shared_ptr<const Engine>> LoadForCommand(
    const std::string& command, const std::string& path);

// Returns true if `path` is "-" (stdin) or a file that can be opened for
// reading; otherwise prints "watchword COMMAND: cannot open PATH: ..." to
// stderr and returns false. Lets a command fail before a long compile.
bool CheckInputReadable(const std::string& path, const std::string& command);

// Parses `json`, a watchword.v1.Context in the proto JSON mapping, into
// *context. An empty `json` leaves *context empty. Returns false, after
// printing "watchword COMMAND: --context: ..." to stderr, if it does not
// parse.
bool ParseContextFlag(const std::string& json, v1::Context* context,
                      const std::string& command);

// Ends a command's output. Returns kExitOk if stdout was written and
// flushed, or if the reader went away first (EPIPE, as in `watchword scan |
// head -1`: the reader has what it wanted, and main() ignores SIGPIPE so
// this is seen). Otherwise prints "watchword COMMAND: writing output: ..."
// to stderr and returns kExitFatal. `written` is false if an earlier write
// already failed, with errno set by it.
int FinishOutput(const std::string& command, bool written = true);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_COMMAND_UTIL_H_
