// Span extraction for regex patterns, shared by both backends so that they
// report identical spans: RE2 with longest_match decides where a regex
// matched, whichever backend decided that it matched.
#ifndef WATCHWORD_SRC_ENGINE_REGEX_SPANS_H_
#define WATCHWORD_SRC_ENGINE_REGEX_SPANS_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "re2/re2.h"
#include "src/engine/matcher.h"

namespace watchword {

// The RE2 options every regex term is compiled with: UTF-8,
// case-insensitive (text is case-folded, the regex may not be), leftmost-
// longest, no logging (errors come back as diagnostics, and a log line
// could carry rule text into service logs).
RE2::Options RegexOptions();

// Compiles `pattern` with RegexOptions(). Returns InvalidArgument with
// RE2's message if it does not compile.
absl::StatusOr<std::unique_ptr<RE2>> CompileRegex(std::string_view pattern);

// Appends the leftmost-longest, non-overlapping matches of `re` in `text`
// as hits of `pattern_index`. Empty matches are skipped.
void AppendRegexSpans(const RE2& re, uint32_t pattern_index,
                      std::string_view text, std::vector<PatternHit>* hits);

// Appends every occurrence of `literal` in `text`, overlapping included.
void AppendLiteralSpans(std::string_view literal, uint32_t pattern_index,
                        std::string_view text, std::vector<PatternHit>* hits);

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_REGEX_SPANS_H_
