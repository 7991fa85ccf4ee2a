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
#include "google/protobuf/util/json_util.h"

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
// Parser messages are short; anything longer is probably quoting input.
constexpr size_t kMaxParserMessageBytes = 200;
// A field name the parser could not find is shown only if it looks like
// one: letters, digits and '_' (a JSON key may be any text, even a message).
constexpr size_t kMaxShownFieldNameBytes = 64;

bool LooksLikeFieldName(std::string_view name) {
  if (name.empty() || name.size() > kMaxShownFieldNameBytes) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// Rewrites a protobuf JSON parser message so that it names the place and
// the kind of problem but quotes nothing from the input, which is message
// text that must never reach our output or logs:
//   - later lines quote the input around the error position: dropped;
//   - "(path): invalid value <value> for type T": the value goes;
//   - "... <name>: Cannot find field": the name stays only if it looks like
//     a field name;
//   - anything else in double quotes goes.
std::string ScrubParserMessage(absl::string_view message) {
  message = message.substr(0, message.find('\n'));
  message = absl::StripAsciiWhitespace(message);
  while (!message.empty() && message.back() == '.') message.remove_suffix(1);
  std::string out(message);

  constexpr std::string_view kInvalid = "invalid value ";
  constexpr std::string_view kForType = " for type ";
  if (size_t at = out.find(kInvalid); at != std::string::npos) {
    const size_t value = at + kInvalid.size();
    const size_t type = out.rfind(kForType);
    if (type != std::string::npos && type >= value) {
      out.erase(value - 1, type - value + 1);  // Keep one space.
    } else {
      out.erase(value - 1);
    }
  }
  constexpr std::string_view kNotFound = ": Cannot find field";
  if (out.ends_with(kNotFound)) {
    // "NAME: Cannot find field", or "(path) NAME: ..." inside an object.
    const size_t name_end = out.size() - kNotFound.size();
    size_t name_begin = 0;
    if (out.starts_with('(')) {
      const size_t path_end = out.find(") ");
      if (path_end != std::string::npos && path_end < name_end) {
        name_begin = path_end + 2;
      }
    }
    if (!LooksLikeFieldName(
            std::string_view(out).substr(name_begin, name_end - name_begin))) {
      out.replace(name_begin, name_end - name_begin, "(name not shown)");
    }
  }
  for (size_t open = out.find('"'); open != std::string::npos;
       open = out.find('"', open + 2)) {
    const size_t close = out.find('"', open + 1);
    out.replace(open, close == std::string::npos ? std::string::npos
                                                 : close - open + 1,
                "\"\"");
  }
  if (out.size() > kMaxParserMessageBytes) out.resize(kMaxParserMessageBytes);
  // Non-ASCII bytes could be a cut UTF-8 sequence, which would make the
  // verdict unprintable as JSON.
  for (char& c : out) {
    if (!absl::ascii_isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return out;
}

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
  request->Clear();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), request,
      options);
  if (!status.ok()) {
    request->Clear();
    std::string message = ScrubParserMessage(
        absl::string_view(status.message().data(), status.message().size()));
    return absl::InvalidArgumentError(
        absl::StrCat("line is not a JSON ScanRequest: ", message));
  }
  return absl::OkStatus();
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

absl::Status AppendVerdictJsonLine(const v1::Verdict& verdict,
                                   std::string* out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status =
      google::protobuf::util::MessageToJsonString(verdict, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat(
        "rendering verdict as json: ",
        absl::string_view(status.message().data(), status.message().size())));
  }
  out->append(json);
  out->push_back('\n');
  return absl::OkStatus();
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
