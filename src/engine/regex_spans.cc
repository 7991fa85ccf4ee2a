#include "src/engine/regex_spans.h"

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace watchword {

RE2::Options RegexOptions() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_case_sensitive(false);
  options.set_longest_match(true);
  options.set_log_errors(false);
  return options;
}

absl::StatusOr<std::unique_ptr<RE2>> CompileRegex(std::string_view pattern) {
  auto re = std::make_unique<RE2>(
      re2::StringPiece(pattern.data(), pattern.size()), RegexOptions());
  if (!re->ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("regex does not compile: ", re->error()));
  }
  return re;
}

LazyRegexes::LazyRegexes(std::vector<std::string> sources,
                         std::vector<std::unique_ptr<RE2>> compiled)
    : sources_(std::move(sources)),
      compiled_(new std::atomic<RE2*>[sources_.size()]) {
  for (size_t i = 0; i < sources_.size(); ++i) {
    RE2* re = i < compiled.size() ? compiled[i].release() : nullptr;
    compiled_[i].store(re, std::memory_order_relaxed);
  }
}

LazyRegexes::~LazyRegexes() {
  for (size_t i = 0; i < sources_.size(); ++i) {
    delete compiled_[i].load(std::memory_order_relaxed);
  }
}

absl::StatusOr<const RE2*> LazyRegexes::Get(size_t i) const {
  RE2* re = compiled_[i].load(std::memory_order_acquire);
  if (re != nullptr) return re;
  absl::StatusOr<std::unique_ptr<RE2>> made = CompileRegex(sources_[i]);
  if (!made.ok()) return made.status();
  RE2* expected = nullptr;
  if (compiled_[i].compare_exchange_strong(expected, made->get(),
                                           std::memory_order_acq_rel)) {
    return made->release();
  }
  return expected;  // Another thread's, compiled meanwhile; ours goes.
}

void AppendRegexSpans(const RE2& re, uint32_t pattern_index,
                      std::string_view text, std::vector<PatternHit>* hits) {
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  size_t pos = 0;
  while (pos < text.size() &&
         re.Match(input, pos, text.size(), RE2::UNANCHORED, &match, 1)) {
    size_t begin = static_cast<size_t>(match.data() - text.data());
    size_t end = begin + match.size();
    if (end == begin) {
      // Validation rejects regexes that match the empty string, but one may
      // still match empty at some positions (e.g. `a*`); step past it by one
      // code point so the next search starts on a boundary.
      pos = begin + 1;
      while (pos < text.size() && (text[pos] & 0xC0) == 0x80) ++pos;
      continue;
    }
    hits->push_back({pattern_index, static_cast<uint32_t>(begin),
                     static_cast<uint32_t>(end)});
    pos = end;
  }
}

void AppendLiteralSpans(std::string_view literal, uint32_t pattern_index,
                        std::string_view text, std::vector<PatternHit>* hits) {
  if (literal.empty()) return;
  for (size_t pos = text.find(literal); pos != std::string_view::npos;
       pos = text.find(literal, pos + 1)) {
    hits->push_back({pattern_index, static_cast<uint32_t>(pos),
                     static_cast<uint32_t>(pos + literal.size())});
  }
}

}  // namespace watchword
