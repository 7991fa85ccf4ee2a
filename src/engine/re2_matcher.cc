#include "src/engine/re2_matcher.h"

#include <utility>

#include "src/engine/regex_spans.h"

namespace watchword {
namespace {

struct Re2Scratch : MatcherScratch {
  std::vector<int> matched;
};

}  // namespace

Re2Matcher::Re2Matcher(std::vector<Pattern> patterns,
                       std::vector<uint32_t> ids,
                       std::vector<std::unique_ptr<RE2>> regexes,
                       std::unique_ptr<RE2::Set> set, size_t set_bytes)
    : patterns_(std::move(patterns)),
      ids_(std::move(ids)),
      regexes_(std::move(regexes)),
      set_(std::move(set)),
      set_bytes_(set_bytes) {}

absl::StatusOr<std::unique_ptr<MatcherScratch>> Re2Matcher::NewScratch()
    const {
  auto scratch = std::make_unique<Re2Scratch>();
  scratch->matched.reserve(64);
  return scratch;
}

absl::Status Re2Matcher::Match(std::string_view text, MatcherScratch* scratch,
                               HitSink* hits, Deadline* deadline,
                               MatcherPart part) const {
  if (set_ == nullptr || part == MatcherPart::kBase ||
      part == MatcherPart::kBaseKeepingOwn) {
    return absl::OkStatus();
  }
  if (deadline != nullptr && deadline->Passed()) return Deadline::Exceeded();
  auto& matched = static_cast<Re2Scratch*>(scratch)->matched;
  matched.clear();
  RE2::Set::ErrorInfo error;
  if (!set_->Match(re2::StringPiece(text.data(), text.size()), &matched,
                   &error)) {
    // A failed match must never pass for "no match": a message that
    // exhausts the DFA budget would otherwise slip through unscanned.
    switch (error.kind) {
      case RE2::Set::kNoError:
        return absl::OkStatus();
      case RE2::Set::kOutOfMemory:
        return absl::ResourceExhaustedError(
            "re2 backend: RE2::Set ran out of DFA memory");
      default:
        return absl::InternalError("re2 backend: RE2::Set match failed");
    }
  }
  // RE2::Set cannot stop midway: the deadline is checked after it (one
  // pass of its DFA over the text) and between and within span searches.
  for (int index : matched) {
    if (deadline != nullptr && deadline->Passed()) return Deadline::Exceeded();
    const Pattern& pattern = patterns_[index];
    if (pattern.kind == Pattern::Kind::kLiteral) {
      AppendLiteralSpans(pattern.text, ids_[index], text, hits);
    } else {
      AppendRegexSpans(*regexes_[index], ids_[index], text, hits, deadline);
    }
  }
  if (deadline != nullptr && deadline->passed()) return Deadline::Exceeded();
  return absl::OkStatus();
}

}  // namespace watchword
