// libFuzzer target for the Hyperscan backend's regex prefilters
// (src/engine/regex_literals.h): input is a regex, a newline, and a text.
// Every match RE2 finds in the normalized text must contain a prefilter
// string (and start with it when it says it starts every match), or the
// backend would miss it; and the reader must never crash.
//
//   CC=clang-14 CXX=clang++-14 cmake -B build-fuzz -DWATCHWORD_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target regex_prefilter_fuzzer
//   build-fuzz/regex_prefilter_fuzzer
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/regex_literals.h"
#include "src/engine/regex_spans.h"
#include "watchword/normalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  const std::string_view regex = input.substr(0, newline);
  const auto prefilter = watchword::RegexLiteralPrefilter(regex, 200);
  if (!prefilter.has_value()) return 0;
  auto re = watchword::CompileRegex(regex);
  if (!re.ok()) return 0;  // The validator refuses it before it gets here.
  watchword::NormalizedText text;
  const std::string_view raw = input.substr(newline + 1);
  watchword::Normalize(absl::string_view(raw.data(), raw.size()), &text);
  std::vector<watchword::PatternHit> hits;
  watchword::AppendRegexSpans(**re, 0, text.text, &hits);
  for (const watchword::PatternHit& hit : hits) {
    const std::string_view found =
        std::string_view(text.text).substr(hit.begin, hit.end - hit.begin);
    bool covered = false;
    for (const watchword::PrefilterString& p : *prefilter) {
      covered |= p.starts_match ? found.substr(0, p.text.size()) == p.text
                                : found.find(p.text) != found.npos;
    }
    if (!covered) std::abort();
  }
  return 0;
}
