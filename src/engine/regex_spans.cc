#include "src/engine/regex_spans.h"

#include <algorithm>
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
  options.set_max_mem(kRegexMaxMemory);
  return options;
}

bool MatchesEmpty(const RE2& re) {
  static constexpr std::string_view kProbes[] = {"", "a", "a b", " ", "a\nb"};
  for (std::string_view probe : kProbes) {
    re2::StringPiece text(probe.data(), probe.size());
    for (size_t at = 0; at <= probe.size(); ++at) {
      if (re.Match(text, at, at, RE2::ANCHOR_BOTH, nullptr, 0)) return true;
    }
  }
  return false;
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

namespace {

// `pos`, or the start of the code point it falls inside.
size_t CodePointFloor(std::string_view text, size_t pos) {
  while (pos > 0 && pos < text.size() && (text[pos] & 0xC0) == 0x80) --pos;
  return pos;
}

}  // namespace

// Why windows: a leftmost-longest search runs until no thread of the match
// it found can go on, which for `x[^y]*y|x` on "xxxx..." is the end of the
// text, and the next search, one byte on, runs there again: quadratic. So
// each search looks at a window of 2L bytes (L = kMaxRegexMatchBytes) from
// `pos`, and nothing is scanned more than 2L times.
//
// Why the spans stay the same when no match is longer than L: every match
// within a window is a match of the whole text (RE2 sees the whole text as
// context, so `\b` and `$` at the window's end mean what they always do).
// If the leftmost match from `pos` starts at s* with s* + L <= the window's
// end, it lies inside, so the window's leftmost start is s* and its longest
// end is the true one. If the window's leftmost match starts later than
// end - L, s* may be one whose longest match runs past the window; but no
// match of at most L bytes starts before end - L (it would lie inside), so
// the search moves there and looks again. The same holds when the window
// has no match at all.
void AppendRegexSpans(const RE2& re, uint32_t pattern_index,
                      std::string_view text, HitSink* hits,
                      Deadline* deadline) {
  constexpr size_t L = kMaxRegexMatchBytes;
  const size_t n = text.size();
  re2::StringPiece input(text.data(), n);
  re2::StringPiece match;
  size_t pos = 0;
  while (pos < n) {
    if (deadline != nullptr && deadline->Tick()) return;
    // A window never ends inside a code point. L > 3 bytes, so backing off
    // to a code point boundary still moves forward.
    const size_t limit = CodePointFloor(text, std::min(n, pos + 2 * L));
    if (!re.Match(input, pos, limit, RE2::UNANCHORED, &match, 1)) {
      if (limit == n) break;
      pos = CodePointFloor(text, limit - L);
      continue;
    }
    size_t begin = static_cast<size_t>(match.data() - text.data());
    size_t end = begin + match.size();
    if (limit < n && begin + L > limit) {
      pos = CodePointFloor(text, limit - L);  // See above: look again.
      continue;
    }
    if (end == begin) {
      // Validation rejects regexes that match the empty string, but one may
      // still match empty at some positions (e.g. `a*`); step past it by one
      // code point so the next search starts on a boundary.
      pos = begin + 1;
      while (pos < n && (text[pos] & 0xC0) == 0x80) ++pos;
      continue;
    }
    hits->Add({pattern_index, static_cast<uint32_t>(begin),
               static_cast<uint32_t>(end)});
    pos = end;
  }
}

void AppendLiteralSpans(std::string_view literal, uint32_t pattern_index,
                        std::string_view text, HitSink* hits) {
  if (literal.empty()) return;
  for (size_t pos = text.find(literal); pos != std::string_view::npos;
       pos = text.find(literal, pos + 1)) {
    hits->Add({pattern_index, static_cast<uint32_t>(pos),
               static_cast<uint32_t>(pos + literal.size())});
  }
}

}  // namespace watchword
