// The subcommands of the `watchword` CLI. main.cc owns the flags (parsed
// with CLI11) and turns them into these option structs, so a command is a
// plain function of its options and can be reused or tested without a
// command line.
#ifndef WATCHWORD_SRC_CLI_COMMANDS_H_
#define WATCHWORD_SRC_CLI_COMMANDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "src/cli/request_parser.h"
#include "src/cli/table_parser.h"
#include "src/cli/verdict_json.h"
#include "watchword/engine.h"

namespace watchword {

// Process exit codes shared by the subcommands.
inline constexpr int kExitOk = 0;      // Success.
inline constexpr int kExitFailed = 1;  // `check` or `test` found errors.
inline constexpr int kExitFatal = 2;   // Bad usage, bad ruleset, bad input.

// Options of `watchword check`.
struct CheckCommandOptions {
  // Ruleset file or directory.
  std::string ruleset_path;
  // Matcher backend to compile for.
  Backend backend = Backend::kDefault;
  // Print one CheckReport (report.proto) as JSON instead of text.
  bool json = false;
};

// Compiles the ruleset and prints every diagnostic, then a summary, to
// stdout. Returns kExitOk if it compiles (warnings allowed), kExitFailed
// otherwise, or kExitFatal if stdout cannot be written.
int RunCheckCommand(const CheckCommandOptions& options);

// Options of `watchword compile`.
struct CompileCommandOptions {
  // Ruleset file or directory.
  std::string ruleset_path;
  // Engine file to write (serialize.h).
  std::string output_path;
  // Matcher backend to compile for.
  Backend backend = Backend::kDefault;
};

// Compiles the ruleset, printing diagnostics to stderr, and saves it as an
// engine file; prints one summary line to stdout. Returns kExitOk,
// kExitFailed if the ruleset does not compile, or kExitFatal if the file
// cannot be written.
int RunCompileCommand(const CompileCommandOptions& options);

// Options of `watchword scan`.
struct ScanCommandOptions {
  // Ruleset file or directory; exactly one of this and `engine_path`.
  std::string ruleset_path;
  // Engine file from `watchword compile`, loaded instead of compiling.
  std::string engine_path;
  // Input JSON Lines file; "-" or empty reads stdin.
  std::string input_path;
  // Matcher backend.
  Backend backend = Backend::kDefault;
  // Worker threads, each with its own Scanner. At least 1.
  int threads = 1;
  // Where each record's id, text and context are, and whether unknown
  // members are errors.
  RequestFormat format;
  // How verdicts are printed (--always_print_fields).
  VerdictJsonOptions json;
  // Input format: "jsonl", "csv" or "tsv"; empty picks by the input file's
  // extension (.csv, .tsv; anything else and stdin are JSON Lines).
  std::string input_format;
  // Records between two flushes of stdout. The records in flight are
  // bounded by SlotCount() (jsonl.h).
  int batch_size = 4096;
  // Sets `echo_matched_text` on every request.
  bool echo = false;
  // A watchword.v1.Context as JSON merged into every request (set fields
  // replace the record's); empty: none.
  std::string context_json;
  // Prints a progress line to stderr every this many records; 0 is off.
  int64_t progress_every = 100000;
  // Milliseconds each record's scan may take (ScanOptions::timeout); 0 is
  // no limit. A record that takes longer gets a truncated verdict with
  // error code DEADLINE_EXCEEDED, and the stream goes on.
  int64_t timeout_ms = 0;
};

// Scans JSON Lines ScanRequests and writes one JSON Verdict line per record
// to stdout, in input order. Per-record problems are in-band errors. Returns
// kExitOk, or kExitFatal if the ruleset does not compile (or the engine
// file does not load) or the input cannot be read or the output cannot be
// written.
int RunScanCommand(const ScanCommandOptions& options);

// Options of `watchword test`.
struct TestCommandOptions {
  // Ruleset files or directories; each is tested on its own.
  std::vector<std::string> ruleset_paths;
  // Matcher backend.
  Backend backend = Backend::kDefault;
  // Each rule needs at least this many should_match and this many
  // should_not_match examples; 0 turns the check off.
  int min_examples = 3;
  // If not empty, also writes the results to this file as JUnit XML.
  std::string junit_path;
};

// Compiles each ruleset and runs every rule's examples through a Scanner
// (example_runner.h). Prints diagnostics, one "FAIL: file:line: rule ..."
// line per failure and a PASS/FAILED summary per ruleset to stdout, and
// JUnit XML to `junit_path` if set. Returns kExitOk if every ruleset
// compiles and passes, kExitFailed otherwise, or kExitFatal if the JUnit
// file or stdout cannot be written.
int RunTestCommand(const TestCommandOptions& options);

// Options shared by the commands that scan a corpus into a report.
struct CorpusReportOptions {
  // JSON Lines corpus of ScanRequests; "-" reads stdin.
  std::string corpus_path;
  // Matcher backend, for every ruleset.
  Backend backend = Backend::kDefault;
  // Worker threads. At least 1.
  int threads = 1;
  // A watchword.v1.Context as JSON merged into every request; empty: none.
  std::string context_json;
  // Record ids listed per rule (and kind of change); 0 lists none.
  int max_examples = 10;
  // List each record's text beside its id. Off by default: reports then
  // hold no message text.
  bool show_examples = false;
  // Print one JSON object (a StatsReport or DiffReport of report.proto)
  // instead of tables.
  bool json = false;
};

// Options of `watchword stats`.
struct StatsCommandOptions : CorpusReportOptions {
  // Ruleset file or directory; exactly one of this and `engine_path`.
  std::string ruleset_path;
  // Engine file from `watchword compile`, loaded instead of compiling.
  std::string engine_path;
};

// Scans the corpus and prints, to stdout, the verdicts per action and each
// rule's hit count and share, with sample record ids. Returns kExitOk, or
// kExitFatal if the ruleset does not compile or the corpus cannot be read.
int RunStatsCommand(const StatsCommandOptions& options);

// Options of `watchword diff`.
struct DiffCommandOptions : CorpusReportOptions {
  // The ruleset deployed today. Required.
  std::string old_ruleset_path;
  // The candidate ruleset. Required.
  std::string new_ruleset_path;
};

// Scans the corpus with both rulesets and prints, to stdout, what changed:
// rule definitions, verdicts per action, action transitions, and per rule
// the records newly flagged, no longer flagged or with a changed action.
// Returns kExitOk whether or not anything changed, or kExitFatal if a
// ruleset does not compile or the corpus cannot be read.
int RunDiffCommand(const DiffCommandOptions& options);

// Options of `watchword views`.
struct ViewsCommandOptions {
  // Ruleset file or directory; exactly one of this and `engine_path`.
  std::string ruleset_path;
  // Engine file from `watchword compile`, loaded instead of compiling.
  std::string engine_path;
  // Matcher backend.
  Backend backend = Backend::kDefault;
  // The text whose views to print, unless `read_stdin`.
  std::string text;
  // Read the text from stdin, all of it, instead.
  bool read_stdin = false;
  // Print one JSON object (a ViewsReport of report.proto) instead of lines.
  bool json = false;
};

// Prints to stdout every view of the text the Engine matches (views.h), in
// scan order, each with the runs of its bytes that folds produced and the
// original bytes they came from. Returns kExitOk, or kExitFatal if the
// ruleset does not compile (or the engine file does not load) or the
// scanner rejects the text.
int RunViewsCommand(const ViewsCommandOptions& options);

// Options of `watchword serve`.
struct ServeCommandOptions {
  // Ruleset file or directory; exactly one of this and `engine_path`.
  std::string ruleset_path;
  // Engine file from `watchword compile`, loaded instead of compiling.
  std::string engine_path;
  // Matcher backend (with `ruleset_path`).
  Backend backend = Backend::kDefault;
  // gRPC address, host:port; port 0 picks a free one (logged).
  std::string listen = "127.0.0.1:50051";
  // Metrics HTTP address, host:port; empty: no metrics endpoint.
  std::string metrics_listen;
  // Most Scan and ScanStream calls in progress at once.
  int max_concurrent_requests = 256;
  // Largest request message gRPC accepts, in bytes.
  int max_message_bytes = 4 << 20;
  // How often the ruleset or engine file is checked for changes, in
  // milliseconds; 0: only SIGHUP reloads.
  int64_t reload_poll_ms = 1000;
  // How long SIGTERM waits for calls in progress before cancelling them.
  int64_t shutdown_grace_ms = 10000;
};

// Serves proto/watchword/v1/service.proto until SIGTERM or SIGINT, then
// finishes the calls in progress (up to `shutdown_grace_ms`) and returns
// kExitOk. SIGHUP, or a change of the file, reloads the engine. Returns
// kExitFatal if the engine does not load or an address cannot be bound.
int RunServeCommand(const ServeCommandOptions& options);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_COMMANDS_H_
