#include "src/engine/regex_spans.h"

#include <string>

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
