// `watchword scan`: JSON Lines of ScanRequests in, JSON Lines of Verdicts out.
//
// Input runs through ProcessJsonlBatches() (jsonl.h), a pipeline: a reader
// thread reads lines ahead, `threads` workers parse and scan them (one
// Scanner per worker over one shared Engine) and print each verdict, and the
// calling thread writes the verdicts in input order. Output order is input
// order for any thread count, and memory is bounded by the records in flight
// rather than the input.
//
// When the ruleset has conversation rules, records whose context carries a
// conversation_id (or a sender_id) also go through one ConversationTracker
// for the run, on the writing thread in input order, so the conversation
// verdicts do not depend on the thread count.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
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
#include "watchword/v1/context.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {
namespace {

// One input record in flight: its request (empty if it did not parse) and
// its verdict.
struct Record {
  v1::ScanRequest request;
  v1::Verdict verdict;
};

// Per-thread state: a Scanner and a request parser.
struct Worker {
  Worker(std::shared_ptr<const Engine> engine, const ScanOptions& options,
         const RequestFormat& format,
         const std::optional<TableRequestParser>& table)
      : scanner(std::move(engine), options), parser(format), table(table) {}
  Scanner scanner;
  RequestParser parser;
  // Set for CSV and TSV input.
  std::optional<TableRequestParser> table;
};

// Output is written once this much is buffered, and at every batch's end.
constexpr size_t kWriteBytes = size_t{1} << 16;

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Fills record->request and record->verdict. Every record yields exactly one
// verdict, whatever goes wrong. `context`, if non-null, is merged into the
// request.
void ScanRecord(const ScanCommandOptions& options, const v1::Context* context,
                const v1::RulesetInfo& info, const JsonlLine& line,
                Worker* worker, Record* record) {
  absl::Status status;
  if (line.too_long) {
    record->request.Clear();
    status = absl::InvalidArgumentError(
        absl::StrCat("line is longer than ", kMaxLineBytes, " bytes"));
  } else {
    status = worker->table
                 ? worker->table->Parse(line.text, &record->request)
                 : worker->parser.Parse(line.text, &record->request);
  }
  if (!status.ok()) {
    SetLineError(status, line.line_number, info, &record->verdict);
  } else {
    if (options.echo) record->request.set_echo_matched_text(true);
    if (context != nullptr) {
      record->request.mutable_context()->MergeFrom(*context);
    }
    status = worker->scanner.Scan(record->request, &record->verdict);
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
  }
}

class ScanRun {
 public:
  // `table` is set for CSV and TSV input. `context`, if non-null, is merged
  // into every request; borrowed.
  ScanRun(const ScanCommandOptions& options,
          std::shared_ptr<const Engine> engine,
          const std::optional<TableRequestParser>& table,
          const v1::Context* context)
      : options_(options),
        context_(context),
        info_(engine->info()),
        table_(table.has_value()) {
    if (engine->ruleset().conversation_rules_size() > 0) {
      // Default options are valid; state lives for this run only.
      tracker_ = *ConversationTracker::Create(engine);
    }
    ScanOptions scan_options;
    if (options.timeout_ms > 0) {
      scan_options.timeout = absl::Milliseconds(options.timeout_ms);
    }
    for (int i = 0; i < options.threads; ++i) {
      workers_.push_back(
          std::make_unique<Worker>(engine, scan_options, options.format,
                                   table));
    }
    BatchOptions batch;
    batch.batch_size = std::max(options.batch_size, 1);
    records_.resize(SlotCount(batch));
  }

  // Scans everything `reader` yields. Returns kExitOk or kExitFatal.
  int Run(LineReader* reader) {
    const Clock::time_point start = Clock::now();
    BatchOptions batch;
    batch.threads = options_.threads;
    batch.batch_size = std::max(options_.batch_size, 1);
    if (table_) batch.continues = EndsInsideQuotes;
    const bool written = ProcessJsonlBatches(
        reader, batch,
        [&](int worker, size_t slot, const JsonlLine& line) {
          ScanRecord(options_, context_, info_, line, workers_[worker].get(),
                     &records_[slot]);
        },
        [&](size_t slot, const JsonlLine& line) {
          return Write(line, &records_[slot], start);
        },
        // Flush per batch so a downstream reader sees results as they come.
        [&] { return Flush() && std::fflush(stdout) == 0; });
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
  // Runs on the writing thread for each record, in input order, before its
  // verdict is printed: the place for logic that needs the records in order.
  void Finish(const v1::ScanRequest& request, v1::Verdict* verdict) {
    const v1::Context& context = request.context();
    if (tracker_ != nullptr && !verdict->has_error() &&
        (!context.conversation_id().empty() || !context.sender_id().empty())) {
      tracker_->Track(context, verdict);
    }
  }

  // Prints, counts and buffers one record's verdict, then frees the
  // record's buffers if they grew past kKeepRecordBytes (the line's size
  // stands for the request's, the printed size for the verdict's); returns
  // false on a write error.
  bool Write(const JsonlLine& line, Record* record, Clock::time_point start) {
    Finish(record->request, &record->verdict);
    const size_t before = out_.size();
    AppendVerdictJsonLine(record->verdict, &out_, options_.json);
    summary_.Add(record->verdict);
    if (line.text.size() > kKeepRecordBytes) {
      v1::ScanRequest().Swap(&record->request);
    }
    if (out_.size() - before > kKeepRecordBytes) {
      v1::Verdict().Swap(&record->verdict);
    }
    if (out_.size() >= kWriteBytes && !Flush()) return false;
    if (options_.progress_every > 0 &&
        summary_.records() % options_.progress_every == 0) {
      std::fprintf(stderr, "watchword scan: %s\n",
                   summary_.FormatProgress(SecondsSince(start)).c_str());
    }
    return true;
  }

  // Writes the buffered output to stdout; returns false on a write error.
  bool Flush() {
    const bool ok =
        std::fwrite(out_.data(), 1, out_.size(), stdout) == out_.size();
    out_.clear();
    if (out_.capacity() > 4 * kWriteBytes) std::string().swap(out_);
    return ok;
  }

  const ScanCommandOptions& options_;
  const v1::Context* context_;
  const v1::RulesetInfo info_;
  const bool table_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Record> records_;
  ScanSummary summary_;
  std::string out_;  // Printed verdicts not yet written.
  std::unique_ptr<ConversationTracker> tracker_;  // Null without such rules.
};

}  // namespace

int RunScanCommand(const ScanCommandOptions& options) {
  v1::Context context;
  if (!ParseContextFlag(options.context_json, &context, "scan")) {
    return kExitFatal;
  }
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
  // CSV and TSV: the first line is the header row.
  std::string format = options.input_format;
  if (format.empty()) {
    const std::string& path = options.input_path;
    format = path.ends_with(".csv")   ? "csv"
             : path.ends_with(".tsv") ? "tsv"
                                      : "jsonl";
  }
  std::optional<TableRequestParser> table;
  if (format == "csv" || format == "tsv") {
    std::string header;
    bool too_long = false;
    absl::StatusOr<TableRequestParser> parser =
        reader.Next(&header, &too_long) && !too_long
            ? TableRequestParser::Create(
                  header, format == "csv" ? TableKind::kCsv : TableKind::kTsv,
                  options.format)
            : absl::InvalidArgumentError("no header row");
    if (!parser.ok()) {
      std::fprintf(stderr, "watchword scan: %s input: %s\n", format.c_str(),
                   std::string(parser.status().message()).c_str());
      if (!from_stdin) std::fclose(input);
      return kExitFatal;
    }
    table = *std::move(parser);
  } else if (format != "jsonl") {
    std::fprintf(stderr,
                 "watchword scan: --input_format must be jsonl, csv or tsv\n");
    if (!from_stdin) std::fclose(input);
    return kExitFatal;
  }
  ScanRun run(options, *std::move(engine), table,
              options.context_json.empty() ? nullptr : &context);
  const int exit_code = run.Run(&reader);
  if (!from_stdin) std::fclose(input);
  return exit_code;
}

}  // namespace watchword
