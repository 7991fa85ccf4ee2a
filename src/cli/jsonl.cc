#include "src/cli/jsonl.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/cli/request_parser.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace watchword {
namespace {

constexpr size_t kReadChunkBytes = 1 << 16;
// A batch whose line buffers freed this much trims the heap afterwards; a
// trim costs about a millisecond, so it waits for megabytes.
constexpr size_t kTrimAfterBytes = size_t{8} << 20;
// Records a worker claims at a time: enough to amortize the atomic, small
// enough to balance uneven messages.
constexpr size_t kRecordsPerClaim = 16;

}  // namespace

LineReader::LineReader(std::FILE* file, size_t max_line_bytes)
    : file_(file), max_line_bytes_(max_line_bytes) {
  buffer_.resize(kReadChunkBytes);
}

bool LineReader::Fill() {
  if (eof_) return false;
  pos_ = 0;
  limit_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (limit_ == 0) {
    eof_ = true;
    if (std::ferror(file_)) {
      status_ = absl::DataLossError(
          absl::StrCat("reading input: ", std::strerror(errno)));
    }
    return false;
  }
  return true;
}

bool LineReader::Next(std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  bool read_any = false;
  while (true) {
    if (pos_ == limit_ && !Fill()) break;
    read_any = true;
    const char* start = buffer_.data() + pos_;
    const char* newline =
        static_cast<const char*>(std::memchr(start, '\n', limit_ - pos_));
    size_t n = newline ? newline - start : limit_ - pos_;
    // Past the cap, keep reading to find the line's end but store nothing.
    if (!*too_long && line->size() + n > max_line_bytes_) {
      *too_long = true;
      line->clear();
      line->shrink_to_fit();
    }
    if (!*too_long) line->append(start, n);
    pos_ += n;
    if (newline) {
      ++pos_;
      break;
    }
  }
  if (!read_any) return false;
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

int DefaultThreadCount() {
  const unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp<unsigned>(cores, 1, kMaxThreads));
}

size_t ReleaseIfLarge(std::string* buffer) {
  const size_t capacity = buffer->capacity();
  if (capacity <= kKeepRecordBytes) return 0;
  std::string().swap(*buffer);
  return capacity;
}

bool IsBlankLine(absl::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) {
    return absl::ascii_isspace(static_cast<unsigned char>(c));
  });
}

bool ProcessJsonlBatches(LineReader* reader, const BatchOptions& options,
                         const ProcessRecordFn& process,
                         const ConsumeRecordFn& consume,
                         const std::function<bool()>& end_batch) {
  std::vector<JsonlLine> lines(std::max(options.batch_size, 1));
  const int threads = std::max(options.threads, 1);
  while (true) {
    size_t count = 0;
    size_t bytes = 0;
    while (count < lines.size() && bytes < kMaxBatchBytes) {
      JsonlLine& line = lines[count];
      if (!reader->Next(&line.text, &line.too_long)) break;
      if (!line.too_long && IsBlankLine(line.text)) continue;
      line.line_number = reader->line_number();
      bytes += line.text.size();
      ++count;
    }
    if (count == 0) return true;

    if (threads == 1) {
      for (size_t i = 0; i < count; ++i) process(0, i, lines[i]);
    } else {
      std::atomic<size_t> next{0};
      auto work = [&](int worker) {
        while (true) {
          const size_t begin = next.fetch_add(kRecordsPerClaim);
          if (begin >= count) return;
          const size_t end = std::min(begin + kRecordsPerClaim, count);
          for (size_t i = begin; i < end; ++i) process(worker, i, lines[i]);
        }
      };
      std::vector<std::thread> workers;
      for (int t = 1; t < threads; ++t) workers.emplace_back(work, t);
      work(0);
      for (std::thread& worker : workers) worker.join();
    }

    size_t released = 0;
    for (size_t i = 0; i < count; ++i) {
      if (!consume(i, lines[i])) return false;
      released += ReleaseIfLarge(&lines[i].text);
    }
#if defined(__GLIBC__)
    // Freed blocks of a few MiB go back to glibc's heap, not to the system,
    // once its adaptive mmap threshold has grown past them. The callers'
    // per-slot state, freed in `consume`, grows with the same lines.
    if (released >= kTrimAfterBytes) malloc_trim(0);
#endif
    if (end_batch && !end_batch()) return false;
  }
}

absl::Status ParseScanRequest(absl::string_view line,
                              v1::ScanRequest* request) {
  thread_local RequestParser parser;
  return parser.Parse(line, request);
}

void SetLineError(const absl::Status& status, uint64_t line_number,
                  const v1::RulesetInfo& ruleset, v1::Verdict* verdict) {
  verdict->Clear();
  *verdict->mutable_ruleset() = ruleset;
  v1::ScanError* error = verdict->mutable_error();
  error->set_code(absl::StatusCodeToString(status.code()));
  error->set_message(std::string(status.message()));
  error->set_line(line_number);
}

void AppendVerdictJsonLine(const v1::Verdict& verdict, std::string* out,
                           const VerdictJsonOptions& options) {
  AppendVerdictJson(verdict, options, out);
  out->push_back('\n');
}

std::string ActionShortName(v1::Action action) {
  switch (action) {
    case v1::ACTION_UNSPECIFIED:
      return "none";
    case v1::ACTION_LOG:
      return "log";
    case v1::ACTION_REVIEW:
      return "review";
    case v1::ACTION_BLOCK:
      return "block";
    case v1::ACTION_ESCALATE:
      return "escalate";
    default:
      return absl::StrCat("action_", static_cast<int>(action));
  }
}

void ScanSummary::Add(const v1::Verdict& verdict) {
  ++records_;
  if (verdict.has_error()) ++errors_;
  ++actions_[ActionShortName(verdict.action())];
  for (const v1::RuleMatch& match : verdict.rule_matches()) {
    if (!match.shadow()) ++categories_[match.category()];
  }
}

std::string ScanSummary::FormatProgress(double elapsed_seconds) const {
  return absl::StrFormat("progress: records=%d errors=%d elapsed_s=%.1f",
                         records_, errors_, elapsed_seconds);
}

std::string ScanSummary::FormatSummary(double elapsed_seconds) const {
  std::string out = absl::StrCat("summary: records=", records_,
                                 " errors=", errors_);
  // Every action is listed, even at zero, so the line's shape is stable.
  for (v1::Action action : {v1::ACTION_UNSPECIFIED, v1::ACTION_LOG,
                            v1::ACTION_REVIEW, v1::ACTION_BLOCK,
                            v1::ACTION_ESCALATE}) {
    std::string name = ActionShortName(action);
    auto it = actions_.find(name);
    absl::StrAppend(&out, " action.", name, "=",
                    it == actions_.end() ? 0 : it->second);
  }
  for (const auto& [category, count] : categories_) {
    absl::StrAppend(&out, " category.", category, "=", count);
  }
  double rate = elapsed_seconds > 0 ? records_ / elapsed_seconds : 0.0;
  absl::StrAppend(&out, absl::StrFormat(" elapsed_s=%.3f messages_per_s=%.0f",
                                        elapsed_seconds, rate));
  return out;
}

}  // namespace watchword
