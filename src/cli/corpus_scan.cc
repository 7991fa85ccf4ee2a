#include "src/cli/corpus_scan.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/cli/jsonl.h"
#include "watchword/scanner.h"

namespace watchword {
namespace {

// Per-thread state: one Scanner per Engine.
struct Worker {
  std::vector<std::unique_ptr<Scanner>> scanners;
};

void ScanOne(const JsonlLine& line, const CorpusScanOptions& options,
             Worker* worker, CorpusRecord* record) {
  record->line_number = line.line_number;
  record->verdicts.clear();
  if (line.too_long) {
    record->request.Clear();
    record->status = absl::InvalidArgumentError(
        absl::StrCat("line is longer than ", kMaxLineBytes, " bytes"));
    return;
  }
  record->status = ParseScanRequest(line.text, &record->request);
  if (!record->status.ok()) return;
  if (options.context != nullptr) {
    record->request.mutable_context()->MergeFrom(*options.context);
  }
  record->verdicts.resize(worker->scanners.size());
  for (size_t e = 0; e < worker->scanners.size(); ++e) {
    v1::Verdict& verdict = record->verdicts[e];
    absl::Status status = worker->scanners[e]->Scan(record->request, &verdict);
    if (!status.ok() && verdict.error().code().empty()) {
      verdict.mutable_error()->set_code(
          absl::StatusCodeToString(status.code()));
      verdict.mutable_error()->set_message(std::string(status.message()));
    }
  }
}

}  // namespace

std::string CorpusRecord::Name() const {
  if (!request.id().empty()) return request.id();
  return absl::StrCat("line ", line_number);
}

absl::Status ScanCorpus(
    const std::string& path,
    const std::vector<std::shared_ptr<const Engine>>& engines,
    const CorpusScanOptions& options,
    const std::function<void(const CorpusRecord&)>& consume) {
  std::FILE* input = stdin;
  const bool from_stdin = path.empty() || path == "-";
  if (!from_stdin) {
    input = std::fopen(path.c_str(), "rb");
    if (input == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
    }
  }
  BatchOptions batch;
  batch.threads = std::max(options.threads, 1);
  batch.batch_size = std::max(options.batch_size, 1);
  std::vector<Worker> workers(batch.threads);
  for (Worker& worker : workers) {
    for (const std::shared_ptr<const Engine>& engine : engines) {
      worker.scanners.push_back(std::make_unique<Scanner>(engine));
    }
  }
  std::vector<CorpusRecord> records(SlotCount(batch));
  LineReader reader(input);
  ProcessJsonlBatches(
      &reader, batch,
      [&](int worker, size_t slot, const JsonlLine& line) {
        ScanOne(line, options, &workers[worker], &records[slot]);
      },
      [&](size_t slot, const JsonlLine& line) {
        consume(records[slot]);
        // The request holds a copy of the line's text, and the verdicts
        // grow with it; see kKeepRecordBytes.
        if (line.text.size() > kKeepRecordBytes) records[slot] = CorpusRecord();
        return true;
      });
  if (!from_stdin) std::fclose(input);
  return reader.status();
}

}  // namespace watchword
