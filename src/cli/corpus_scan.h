// Scanning a JSON Lines corpus with one or more Engines side by side, for
// `watchword stats` and `watchword diff`. Uses the batching of jsonl.h, so
// records come back in input order whatever the thread count.
#ifndef WATCHWORD_SRC_CLI_CORPUS_SCAN_H_
#define WATCHWORD_SRC_CLI_CORPUS_SCAN_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "watchword/engine.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

// Options of ScanCorpus(). Plain struct with the CLI's defaults.
struct CorpusScanOptions {
  // Worker threads, each with one Scanner per Engine. At least 1.
  int threads = 1;
  // Records per batch.
  int batch_size = 4096;
  // If non-null, merged into every request's context (set fields replace
  // the record's), so a corpus without context can be scanned as if sent,
  // say, by an adult to a 13-year-old. Borrowed; must outlive the call.
  const v1::Context* context = nullptr;
};

// One corpus record and what each Engine made of it.
struct CorpusRecord {
  // 1-based input line.
  uint64_t line_number = 0;
  // The parsed request (after the context merge); empty if `status` is not
  // OK.
  v1::ScanRequest request;
  // Why the line is not a request (not JSON, too long); OK otherwise.
  absl::Status status;
  // One verdict per Engine, in the order given. A scan the Scanner rejected
  // has `error` set. Empty if `status` is not OK.
  std::vector<v1::Verdict> verdicts;

  // The request id, or "line N" when the record has none.
  std::string Name() const;
};

// Reads JSON Lines ScanRequests from `path` ("-" for stdin), scans each with
// every Engine of `engines`, and calls `consume` for each record in input
// order on the calling thread.
//
// Returns NotFound if `path` cannot be opened and DataLoss on a read error;
// records consumed before a read error stay consumed.
absl::Status ScanCorpus(
    const std::string& path,
    const std::vector<std::shared_ptr<const Engine>>& engines,
    const CorpusScanOptions& options,
    const std::function<void(const CorpusRecord&)>& consume);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_CORPUS_SCAN_H_
