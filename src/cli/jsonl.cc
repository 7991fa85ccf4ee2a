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
#include "src/util/thread_pool.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace watchword {
namespace {

constexpr size_t kReadChunkBytes = 1 << 16;
// A batch whose line buffers freed this much trims the heap afterwards; a
// trim costs about a millisecond, so it waits for megabytes.
constexpr size_t kTrimAfterBytes = size_t{8} << 20;

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

size_t SlotCount(const BatchOptions& options) {
  // Enough to keep the workers busy while the writer waits on a slow record
  // or a slow reader of its output; more would only leave the caches.
  constexpr size_t kMaxSlots = 1024;
  return std::min(2 * static_cast<size_t>(std::max(options.batch_size, 1)),
                  kMaxSlots);
}

namespace {

// The shared state of one ProcessJsonlBatches() run. Records are numbered
// from 0 in input order; record `i` lives in slot `i % slots.size()`. Each
// stage publishes its progress in an atomic counter that the next stage
// waits on (C++20 atomic wait: a futex only when someone sleeps).
struct Pipeline {
  explicit Pipeline(size_t slot_count)
      : slots(slot_count), processed(slot_count) {}

  // Set in `read` when the reader has stopped: `read & ~kFinished` records
  // are all there will be.
  static constexpr uint64_t kFinished = uint64_t{1} << 63;

  std::vector<JsonlLine> slots;
  // processed[s] is i + 1 once record i, in slot s, was processed.
  std::vector<std::atomic<uint64_t>> processed;
  // Records read (and kFinished once the reader stopped).
  std::atomic<uint64_t> read{0};
  // Records consumed; the reader waits on it for free slots and bytes.
  std::atomic<uint64_t> consumed{0};
  // Input bytes of records read and not yet consumed.
  std::atomic<size_t> bytes_in_flight{0};
  // Next record a worker claims.
  std::atomic<uint64_t> next{0};
  // Set when the consumer stopped the run.
  std::atomic<bool> stopped{false};
};

void ReadStage(LineReader* reader, const BatchOptions& options,
               Pipeline* p) {
  const size_t max_bytes = std::max<size_t>(options.max_bytes_in_flight, 1);
  std::string more;
  const uint64_t slot_count = p->slots.size();
  uint64_t i = 0;
  while (true) {
    // Wait for a free slot and room in the byte budget.
    uint64_t consumed = p->consumed.load(std::memory_order_acquire);
    while (!p->stopped.load(std::memory_order_relaxed) &&
           (i >= consumed + slot_count ||
            p->bytes_in_flight.load(std::memory_order_acquire) >= max_bytes)) {
      p->consumed.wait(consumed, std::memory_order_acquire);
      consumed = p->consumed.load(std::memory_order_acquire);
    }
    if (p->stopped.load(std::memory_order_relaxed)) break;
    JsonlLine& line = p->slots[i % slot_count];
    bool got = false;
    while ((got = reader->Next(&line.text, &line.too_long))) {
      if (line.too_long || !IsBlankLine(line.text)) break;
    }
    if (!got) break;
    line.line_number = reader->line_number();
    while (options.continues && !line.too_long && options.continues(line.text)) {
      bool more_too_long = false;
      if (!reader->Next(&more, &more_too_long)) break;
      if (more_too_long || line.text.size() + more.size() >= kMaxLineBytes) {
        line.too_long = true;
        std::string().swap(line.text);
        break;
      }
      line.text.push_back('\n');
      line.text.append(more);
    }
    p->bytes_in_flight.fetch_add(line.text.size(), std::memory_order_release);
    p->read.store(++i, std::memory_order_release);
    p->read.notify_all();
  }
  // A blank last line may have grown a slot's buffer.
  if (!p->stopped.load()) ReleaseIfLarge(&p->slots[i % slot_count].text);
  p->read.store(i | Pipeline::kFinished, std::memory_order_release);
  p->read.notify_all();
}

// Returns the number of records read once record `i` is read or the reader
// has finished, whichever comes first.
uint64_t WaitForRead(const Pipeline& p, uint64_t i) {
  uint64_t read = p.read.load(std::memory_order_acquire);
  while ((read & ~Pipeline::kFinished) <= i && !(read & Pipeline::kFinished)) {
    p.read.wait(read, std::memory_order_acquire);
    read = p.read.load(std::memory_order_acquire);
  }
  return read;
}

void ProcessStage(int worker, const ProcessRecordFn& process, Pipeline* p) {
  const uint64_t slot_count = p->slots.size();
  while (true) {
    const uint64_t i = p->next.fetch_add(1, std::memory_order_relaxed);
    if ((WaitForRead(*p, i) & ~Pipeline::kFinished) <= i) return;
    const size_t slot = i % slot_count;
    if (!p->stopped.load(std::memory_order_relaxed)) {
      process(worker, slot, p->slots[slot]);
    }
    p->processed[slot].store(i + 1, std::memory_order_release);
    p->processed[slot].notify_all();
  }
}

}  // namespace

bool ProcessJsonlBatches(LineReader* reader, const BatchOptions& options,
                         const ProcessRecordFn& process,
                         const ConsumeRecordFn& consume,
                         const std::function<bool()>& end_batch) {
  const size_t slot_count = SlotCount(options);
  const uint64_t batch_size = std::max(options.batch_size, 1);
  const int threads = std::max(options.threads, 1);
  Pipeline p(slot_count);
  // Threads [0, threads) process; the last one reads.
  ThreadPool pool(threads + 1);
  pool.Start([&](int t) {
    if (t == threads) {
      ReadStage(reader, options, &p);
    } else {
      ProcessStage(t, process, &p);
    }
  });

  bool ok = true;
  size_t released = 0;
  uint64_t i = 0;
  for (;; ++i) {
    if ((WaitForRead(p, i) & ~Pipeline::kFinished) <= i) break;
    const size_t slot = i % slot_count;
    uint64_t done = p.processed[slot].load(std::memory_order_acquire);
    while (done != i + 1) {
      p.processed[slot].wait(done, std::memory_order_acquire);
      done = p.processed[slot].load(std::memory_order_acquire);
    }
    JsonlLine& line = p.slots[slot];
    if (!consume(slot, line)) {
      ok = false;
      break;
    }
    const size_t bytes = line.text.size();
    released += ReleaseIfLarge(&line.text);
    p.bytes_in_flight.fetch_sub(bytes, std::memory_order_release);
    p.consumed.store(i + 1, std::memory_order_release);
    p.consumed.notify_all();
#if defined(__GLIBC__)
    // Freed blocks of a few MiB go back to glibc's heap, not to the system,
    // once its adaptive mmap threshold has grown past them. The callers'
    // per-slot state, freed in `consume`, grows with the same lines.
    if (released >= kTrimAfterBytes) {
      malloc_trim(0);
      released = 0;
    }
#endif
    if ((i + 1) % batch_size == 0 && end_batch && !end_batch()) {
      ok = false;
      ++i;
      break;
    }
  }
  if (ok && i % batch_size != 0 && end_batch && !end_batch()) ok = false;
  if (!ok) {
    p.stopped.store(true);
    // Wakes the reader; workers wake when it finishes.
    p.consumed.fetch_add(slot_count, std::memory_order_release);
    p.consumed.notify_all();
  }
  pool.Wait();
  return ok;
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
