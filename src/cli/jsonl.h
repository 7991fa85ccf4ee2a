// JSON Lines plumbing for the `watchword` CLI: reading lines, turning a line
// into a ScanRequest, turning a Verdict into a line, and counting what a run
// produced. Kept free of flags and I/O policy so that `scan` and later
// subcommands (`test`, `diff`, `stats`) share it, and so it can be unit-tested.
#ifndef WATCHWORD_SRC_CLI_JSONL_H_
#define WATCHWORD_SRC_CLI_JSONL_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/cli/verdict_json.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

// Longest input line the CLI reads, in bytes. A longer line is a record with
// an InvalidArgument error; its bytes are skipped, not buffered. Generous:
// ScanOptions allows 16 fields of 1 MiB, and JSON escaping can grow text 6x.
inline constexpr size_t kMaxLineBytes = size_t{128} << 20;

// Reads '\n'-terminated lines from a FILE, with a cap on line length so that
// memory stays bounded whatever the input. Strips a trailing "\r". Not
// thread-safe.
class LineReader {
 public:
  // `file` is borrowed and must outlive the reader; it is not closed.
  explicit LineReader(std::FILE* file, size_t max_line_bytes = kMaxLineBytes);

  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the next line into *line (replacing its contents, without the line
  // terminator) and sets *too_long. If the line was longer than
  // `max_line_bytes`, *line is empty and *too_long is true.
  //
  // Returns false at end of input or on a read error (see status()). A last
  // line without a final '\n' is still returned.
  bool Next(std::string* line, bool* too_long);

  // The 1-based number of the line last returned by Next(); 0 before.
  uint64_t line_number() const { return line_number_; }

  // OK, or the read error that ended input early.
  absl::Status status() const { return status_; }

 private:
  // Refills `buffer_`; returns false at end of input or on error.
  bool Fill();

  std::FILE* file_;
  size_t max_line_bytes_;
  std::string buffer_;
  size_t pos_ = 0;    // Next unread byte of `buffer_`.
  size_t limit_ = 0;  // End of valid bytes in `buffer_`.
  uint64_t line_number_ = 0;
  bool eof_ = false;
  absl::Status status_;
};

// One non-blank input line of a JSON Lines file.
struct JsonlLine {
  // 1-based line number in the input.
  uint64_t line_number = 0;
  // The line without its terminator; empty if `too_long`.
  std::string text;
  // The line was longer than kMaxLineBytes; its bytes were skipped.
  bool too_long = false;
};

// Most worker threads a command accepts (--threads). Each worker keeps a
// Scanner, which holds about 10 MiB between scans and some 150 times the
// largest field while scanning (ScanOptions::scratch_high_water_bytes), so
// the count bounds memory; past the core count, more threads gain nothing.
inline constexpr int kMaxThreads = 64;

// The default thread count: one per core (std::thread::hardware_concurrency),
// at most kMaxThreads, at least 1.
int DefaultThreadCount();

// Memory high-water mark of a record slot, in bytes. After its record is
// consumed, a per-record buffer (the input line, its parsed request, its
// output) whose capacity grew past this is freed, so a few huge lines do not
// pin their memory for the rest of the run. Lines below it allocate nothing
// once the slots are warm, so the slots keep at most SlotCount() times this
// each (4 MiB); the records in flight hold about kMaxBatchBytes of input on
// top.
inline constexpr size_t kKeepRecordBytes = size_t{4} << 10;

// Most input bytes in flight (read and not yet consumed): the reader waits
// once the records in flight add up to this, so a file of huge lines cannot
// make the pipeline huge.
inline constexpr size_t kMaxBatchBytes = size_t{64} << 20;

// Frees `*buffer`'s memory if its capacity is over kKeepRecordBytes, and
// returns the bytes freed; otherwise leaves it as it is and returns 0.
size_t ReleaseIfLarge(std::string* buffer);

// Options of ProcessJsonlBatches(). Plain struct with the CLI's defaults.
struct BatchOptions {
  // Worker threads. At least 1; at most kMaxThreads is sensible.
  int threads = 1;
  // Records between two `end_batch` calls; the pipeline holds at most twice
  // this many records, and at most 1,024 (SlotCount()).
  int batch_size = 4096;
  // Most input bytes in flight; see kMaxBatchBytes.
  size_t max_bytes_in_flight = kMaxBatchBytes;
  // If set, a record whose text this returns true for continues on the next
  // line (joined with '\n'), as a CSV record does inside a quoted cell.
  std::function<bool(absl::string_view)> continues;
};

// The number of record slots ProcessJsonlBatches() uses: the range of its
// `slot` arguments, for callers that keep per-record state in an array.
size_t SlotCount(const BatchOptions& options);

// Called on a worker thread for one record: `worker` is in [0, threads) and
// never runs two records at once; `slot` is the record's slot, in
// [0, SlotCount()), for per-record state the caller keeps in an array. A slot
// is reused only after `consume` returned for its previous record.
using ProcessRecordFn =
    std::function<void(int worker, size_t slot, const JsonlLine& line)>;
// Called on the calling thread for each record, in input order, after it was
// processed. Returning false stops the run.
using ConsumeRecordFn = std::function<bool(size_t slot, const JsonlLine& line)>;

// Reads non-blank lines from `reader` and runs each through `process` then
// `consume`, as a pipeline whose stages overlap: a reader thread reads ahead
// (at most SlotCount() records and about `max_bytes_in_flight` bytes),
// `options.threads` worker threads call `process`, and the calling thread
// calls `consume` for every record in input order, and `end_batch` (if
// non-null; returning false stops the run) after every `batch_size` records
// and after the last. Output order is input order whatever the thread count,
// and memory is bounded by the records in flight rather than the input: line
// buffers are released after `consume` as kKeepRecordBytes says, and callers
// do the same with their per-slot state in `consume`. Once records freed
// megabytes, the heap is trimmed (with glibc), so the freed memory leaves the
// process.
//
// Returns false if `consume` or `end_batch` stopped the run, true otherwise; a
// read error also ends the run early and is left in `reader->status()`.
bool ProcessJsonlBatches(LineReader* reader, const BatchOptions& options,
                         const ProcessRecordFn& process,
                         const ConsumeRecordFn& consume,
                         const std::function<bool()>& end_batch = nullptr);

// True if `line` holds only ASCII whitespace. The CLI skips such lines: they
// are not records and produce no output.
bool IsBlankLine(absl::string_view line);

// Parses one JSON Lines record into *request (replacing its contents) with
// the default RequestFormat (request_parser.h): `id`, `text`, `fields`,
// `context` and `echo_matched_text` as in the proto JSON mapping of
// watchword.v1.ScanRequest, an integer id accepted, other members ignored.
// Uses one RequestParser per thread.
//
// Returns InvalidArgument if the line is not such a record, as
// RequestParser::Parse() says; the message never quotes the line.
absl::Status ParseScanRequest(absl::string_view line,
                              v1::ScanRequest* request);

// Replaces *verdict with the record for an input line that could not be
// scanned: `ruleset` (may be default), `error` from `status`, and
// `error.line` = `line_number`.
// REQUIRES: !status.ok().
void SetLineError(const absl::Status& status, uint64_t line_number,
                  const v1::RulesetInfo& ruleset, v1::Verdict* verdict);

// Appends `verdict` to *out as one line of JSON (proto JSON mapping with
// proto field names, no padding, as verdict_json.h prints it) followed by
// '\n'.
void AppendVerdictJsonLine(const v1::Verdict& verdict, std::string* out,
                           const VerdictJsonOptions& options = {});

// Returns the lower-case short name of `action`: "none", "log", "review",
// "block" or "escalate".
std::string ActionShortName(v1::Action action);

// Counts what a scan run produced, for progress and summary lines. Holds no
// message text. Not thread-safe: feed it from the thread that writes output.
class ScanSummary {
 public:
  // Counts one output record: its action, whether it carries an error, and
  // the category of each enforced (non-shadow) rule match.
  void Add(const v1::Verdict& verdict);

  // Records counted so far.
  uint64_t records() const { return records_; }
  // Records that carry an error.
  uint64_t errors() const { return errors_; }
  // Records per verdict action, by ActionShortName().
  const std::map<std::string, uint64_t>& actions() const { return actions_; }
  // Enforced rule matches per category.
  const std::map<std::string, uint64_t>& categories() const {
    return categories_;
  }

  // Returns "progress: records=N errors=N elapsed_s=S".
  std::string FormatProgress(double elapsed_seconds) const;

  // Returns one line (no '\n') with records, errors, every action's count,
  // every seen category's count, elapsed seconds and messages/s, as
  // space-separated key=value pairs.
  std::string FormatSummary(double elapsed_seconds) const;

 private:
  uint64_t records_ = 0;
  uint64_t errors_ = 0;
  std::map<std::string, uint64_t> actions_;
  std::map<std::string, uint64_t> categories_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_JSONL_H_
