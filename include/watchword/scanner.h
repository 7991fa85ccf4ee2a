// Scanning messages with an Engine.
#ifndef WATCHWORD_SCANNER_H_
#define WATCHWORD_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "watchword/engine.h"
#include "watchword/export.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

struct ScannerRep;  // Defined in src/scan/scanner_rep.h.

// Limits on what one Scan() accepts. Plain struct with production defaults.
struct ScanOptions {
  // Largest text field, in bytes; a larger one is InvalidArgument.
  size_t max_field_bytes = 1 << 20;
  // Most text fields in one request; more is InvalidArgument.
  int max_fields = 16;
  // Most occurrences of one term (one distinct phrase or regex) kept per
  // field: the first ones, in text order. Later ones are left out of rule
  // logic and evidence, and counted in `Verdict.stats.term_hits_dropped`,
  // so a text that repeats a word 100,000 times cannot make a verdict of
  // 100,000 matches. The cap holds while matching: each view of the text
  // keeps at most this many occurrences of a term as they are found, so
  // the memory and time a scan spends on occurrences are bounded too (an
  // occurrence several views find is counted once where one view finds it
  // all, and at most once per view). 0 means no limit.
  uint32_t max_hits_per_term = 10000;
  // Longest one Scan() may take, from its start. Past it, Scan() stops
  // within about a millisecond (the time to match one view of a field, or
  // to evaluate 64 rules) and returns DeadlineExceeded, with what it found
  // so far in the verdict and `Verdict.truncated` set. Rules are evaluated
  // on the occurrences found in an interrupted field, but no more text is
  // matched. InfiniteDuration() (the default) means no limit.
  absl::Duration timeout = absl::InfiniteDuration();
  // Memory high-water mark, in bytes of the largest field of a request. A
  // Scanner's reusable buffers grow to about 150 times the largest field it
  // has scanned (views of the text with per-byte maps, occurrences); after
  // a request with a field larger than this, they are freed (and, with
  // glibc, the heap is trimmed), so one huge message does not pin its
  // memory for the life of the Scanner. Requests below it allocate nothing
  // once warmed up. The memory a Scanner keeps between scans is thus about
  // 150 times this (some 10 MiB by default); during a scan it is about 150
  // times the largest field.
  size_t scratch_high_water_bytes = 64 << 10;
};

// A Scanner runs one Engine over requests. It owns per-thread scratch (the
// matcher's scratch space and reusable buffers): make one per thread (cheap)
// and reuse it. Not thread-safe.
//
// A Scanner made from an Engine keeps that Engine alive. A Scanner made from
// an EngineHandle follows it: each Scan() uses the handle's current Engine,
// checked with one atomic load.
class WATCHWORD_EXPORT Scanner {
 public:
  // REQUIRES: `engine` is non-null.
  explicit Scanner(std::shared_ptr<const Engine> engine,
                   const ScanOptions& options = {});
  // `handle` is borrowed and must outlive the Scanner.
  explicit Scanner(const EngineHandle& handle,
                   const ScanOptions& options = {});
  ~Scanner();

  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Scans `text` as the "body" field with no context, and replaces *verdict
  // with the result. Reusing one Verdict across calls avoids allocation.
  // Errors are those of Scan(const v1::ScanRequest&, ...).
  absl::Status Scan(absl::string_view text, v1::Verdict* verdict);

  // Scans every field of `request` and replaces *verdict with the result.
  //
  // Returns InvalidArgument if a field exceeds ScanOptions::max_field_bytes,
  // there are more than max_fields fields, or a field name is empty; returns
  // Internal if the matcher fails (for instance RE2 running out of DFA
  // memory). On error *verdict holds the request id, the ruleset and the
  // error, and no matches: a failed scan is never reported as "no match".
  //
  // Returns DeadlineExceeded if ScanOptions::timeout passes; *verdict then
  // holds the matches found so far, with `truncated` set and `error.code`
  // "DEADLINE_EXCEEDED", and its action reflects only those matches.
  absl::Status Scan(const v1::ScanRequest& request, v1::Verdict* verdict);

  // Replaces the options later scans use (for instance, a timeout per call).
  void set_options(const ScanOptions& options);
  const ScanOptions& options() const;

  // The Engine the next Scan() will use.
  std::shared_ptr<const Engine> engine() const;

  // Number of Scan() calls that failed, since construction.
  uint64_t failed_scans() const;

 private:
  std::unique_ptr<ScannerRep> rep_;
};

}  // namespace watchword

#endif  // WATCHWORD_SCANNER_H_
