// `watchword scan`: JSON Lines of ScanRequests in, JSON Lines of Verdicts out.
//
// Input is processed in batches by ProcessJsonlBatches() (jsonl.h): read up
// to `batch_size` records, scan them in parallel (one Scanner per thread over
// one shared Engine), write them in input order, repeat. That keeps output
// order equal to input order for any thread count, and bounds memory by the
// batch rather than the input.
//
// When the ruleset has conversation rules, records whose context carries a
// conversation_id (or a sender_id) also go through one ConversationTracker
// for the run, in input order as they are written, so the conversation
// verdicts do not depend on the thread count.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/jsonl.h"
#include "watchword/conversation.h"
#include "watchword/engine.h"
#include "watchword/scanner.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {
namespace {

// What becomes of one input record.
struct Record {
  v1::Verdict verdict;
  std::string json;  // The output line, with its '\n'.
  // Set when the tracker must see the record: `json` is then written after
  // tracking, from `verdict`.
  bool track = false;
  v1::Context context;  // The request's, when `track`.
};

// Per-thread state: a Scanner and a reusable request.
struct Worker {
  Worker(std::shared_ptr<const Engine> engine, const ScanOptions& options)
      : scanner(std::move(engine), options) {}
  Scanner scanner;
  v1::ScanRequest request;
};

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void FormatRecord(const v1::RulesetInfo& info, uint64_t line_number,
                  Record* record);

// Fills record->verdict and record->json (left for Write() when the record
// is to be tracked). Every record yields exactly one line, whatever goes
// wrong.
void ScanRecord(bool echo, bool tracking, const v1::RulesetInfo& info,
                const JsonlLine& line, Worker* worker, Record* record) {
  absl::Status status;
  record->track = false;
  if (line.too_long) {
    status = absl::InvalidArgumentError(
        absl::StrCat("line is longer than ", kMaxLineBytes, " bytes"));
  } else {
    status = ParseScanRequest(line.text, &worker->request);
  }
  if (!status.ok()) {
    SetLineError(status, line.line_number, info, &record->verdict);
  } else {
    if (echo) worker->request.set_echo_matched_text(true);
    status = worker->scanner.Scan(worker->request, &record->verdict);
    if (!status.ok() && record->verdict.error().code().empty()) {
      // The Scanner promises to fill `error`; never emit a failed scan as a
      // clean "no match" if it did not.
      v1::ScanError* error = record->verdict.mutable_error();
      error->set_code(absl::StatusCodeToString(status.code()));
      error->set_message(std::string(status.message()));
    }
    if (record->verdict.has_error()) {
      record->verdict.mutable_error()->set_line(line.line_number);
    }
    const v1::Context& context = worker->request.context();
    if (tracking && status.ok() &&
        (!context.conversation_id().empty() || !context.sender_id().empty())) {
      record->track = true;
      record->context = context;
    }
  }
  // The request holds a copy of the line's text; see kKeepRecordBytes.
  if (line.text.size() > kKeepRecordBytes) {
    v1::ScanRequest fresh;
    worker->request.Swap(&fresh);
  }
  record->json.clear();
  if (!record->track) FormatRecord(info, line.line_number, record);
}

// Fills record->json from record->verdict.
void FormatRecord(const v1::RulesetInfo& info, uint64_t line_number,
                  Record* record) {
  record->json.clear();
  absl::Status status = AppendVerdictJsonLine(record->verdict, &record->json);
  if (!status.ok()) {
    SetLineError(status, line_number, info, &record->verdict);
    status = AppendVerdictJsonLine(record->verdict, &record->json);
    if (!status.ok()) record->json = "{}\n";  // Unreachable: ASCII only.
  }
}

class ScanRun {
 public:
  ScanRun(const ScanCommandOptions& options,
          std::shared_ptr<const Engine> engine)
      : options_(options), info_(engine->info()) {
    if (engine->ruleset().conversation_rules_size() > 0) {
      // Default options are valid; state lives for this run only.
      tracker_ = *ConversationTracker::Create(engine);
    }
    ScanOptions scan_options;
    if (options.timeout_ms > 0) {
      scan_options.timeout = absl::Milliseconds(options.timeout_ms);
    }
    for (int i = 0; i < options.threads; ++i) {
      workers_.push_back(std::make_unique<Worker>(engine, scan_options));
    }
    records_.resize(std::max(options.batch_size, 1));
  }

  // Scans everything `reader` yields. Returns kExitOk or kExitFatal.
  int Run(LineReader* reader) {
    const Clock::time_point start = Clock::now();
    BatchOptions batch;
    batch.threads = options_.threads;
    batch.batch_size = static_cast<int>(records_.size());
    const bool written = ProcessJsonlBatches(
        reader, batch,
        [&](int worker, size_t slot, const JsonlLine& line) {
          ScanRecord(options_.echo, tracker_ != nullptr, info_, line,
                     workers_[worker].get(), &records_[slot]);
        },
        [&](size_t slot, const JsonlLine& line) {
          Record* record = &records_[slot];
          if (record->track) {
            tracker_->Track(record->context, &record->verdict);
            FormatRecord(info_, line.line_number, record);
          }
          return Write(record, start);
        },
        // Flush per batch so a downstream reader sees results as they come.
        [] { return std::fflush(stdout) == 0; });
    if (!written) return FinishOutput("scan", false);
    std::fprintf(stderr, "watchword scan: %s\n",
                 summary_.FormatSummary(SecondsSince(start)).c_str());
    if (!reader->status().ok()) {
      std::fprintf(stderr, "watchword scan: %s\n",
                   std::string(reader->status().message()).c_str());
      return kExitFatal;
    }
    return kExitOk;
  }

 private:
  // Writes and counts one record, then frees its buffers if they grew past
  // kKeepRecordBytes (the output line's size stands for the verdict's);
  // returns false on a write error.
  bool Write(Record* record, Clock::time_point start) {
    if (std::fwrite(record->json.data(), 1, record->json.size(), stdout) !=
        record->json.size()) {
      return false;
    }
    summary_.Add(record->verdict);
    if (record->json.capacity() > kKeepRecordBytes) {
      std::string().swap(record->json);
      v1::Verdict fresh;
      record->verdict.Swap(&fresh);
    }
    if (options_.progress_every > 0 &&
        summary_.records() % options_.progress_every == 0) {
      std::fprintf(stderr, "watchword scan: %s\n",
                   summary_.FormatProgress(SecondsSince(start)).c_str());
    }
    return true;
  }

  const ScanCommandOptions& options_;
  const v1::RulesetInfo info_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Record> records_;
  // Null when the ruleset has no conversation rules.
  std::unique_ptr<ConversationTracker> tracker_;
  ScanSummary summary_;
};

}  // namespace

int RunScanCommand(const ScanCommandOptions& options) {
  const Clock::time_point compile_start = Clock::now();
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      options.engine_path.empty()
          ? CompileForCommand("scan", options.ruleset_path, options.backend)
          : LoadForCommand("scan", options.engine_path);
  if (!engine.ok()) return kExitFatal;
  const v1::RulesetInfo& info = (*engine)->info();
  std::fprintf(stderr,
               "watchword scan: ruleset %s %s, %d rules, backend %s, "
               "%d thread%s, %s in %.3f s\n",
               info.name().c_str(), info.version().c_str(),
               (*engine)->rule_count(), BackendName((*engine)->backend()),
               options.threads, options.threads == 1 ? "" : "s",
               options.engine_path.empty() ? "compiled" : "loaded",
               SecondsSince(compile_start));

  std::FILE* input = stdin;
  const bool from_stdin =
      options.input_path.empty() || options.input_path == "-";
  if (!from_stdin) {
    input = std::fopen(options.input_path.c_str(), "rb");
    if (input == nullptr) {
      std::fprintf(stderr, "watchword scan: cannot open %s: %s\n",
                   options.input_path.c_str(), std::strerror(errno));
      return kExitFatal;
    }
  }
  static char output_buffer[1 << 20];
  std::setvbuf(stdout, output_buffer, _IOFBF, sizeof(output_buffer));

  LineReader reader(input);
  ScanRun run(options, *std::move(engine));
  const int exit_code = run.Run(&reader);
  if (!from_stdin) std::fclose(input);
  return exit_code;
}

}  // namespace watchword
