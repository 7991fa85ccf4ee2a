// The subcommands of the `watchword` CLI. main.cc owns the flags and turns
// them into these option structs, so a command is a plain function of its
// options and can be reused or tested without touching global flags.
#ifndef WATCHWORD_SRC_CLI_COMMANDS_H_
#define WATCHWORD_SRC_CLI_COMMANDS_H_

#include <cstdint>
#include <string>

#include "watchword/engine.h"

namespace watchword {

// Process exit codes shared by the subcommands.
inline constexpr int kExitOk = 0;      // Success.
inline constexpr int kExitFailed = 1;  // `check` found errors.
inline constexpr int kExitFatal = 2;   // Bad usage, bad ruleset, bad input.

// Options of `watchword check`.
struct CheckCommandOptions {
  // Ruleset file or directory.
  std::string ruleset_path;
  // Matcher backend to compile for.
  Backend backend = Backend::kDefault;
};

// Compiles the ruleset and prints every diagnostic, then a summary, to
// stdout. Returns kExitOk if it compiles (warnings allowed), kExitFailed
// otherwise.
int RunCheckCommand(const CheckCommandOptions& options);

// Options of `watchword scan`.
struct ScanCommandOptions {
  // Ruleset file or directory. Required.
  std::string ruleset_path;
  // Input JSON Lines file; "-" or empty reads stdin.
  std::string input_path;
  // Matcher backend.
  Backend backend = Backend::kDefault;
  // Worker threads, each with its own Scanner. At least 1.
  int threads = 1;
  // Records read, scanned and written together; bounds memory.
  int batch_size = 4096;
  // Sets `echo_matched_text` on every request.
  bool echo = false;
  // Prints a progress line to stderr every this many records; 0 is off.
  int64_t progress_every = 100000;
};

// Scans JSON Lines ScanRequests and writes one JSON Verdict line per record
// to stdout, in input order. Per-record problems are in-band errors. Returns
// kExitOk, or kExitFatal if the ruleset does not compile or the input
// cannot be read or the output cannot be written.
int RunScanCommand(const ScanCommandOptions& options);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_COMMANDS_H_
