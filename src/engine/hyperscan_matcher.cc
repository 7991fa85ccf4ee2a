#include "src/engine/hyperscan_matcher.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "src/engine/regex_spans.h"

namespace watchword {
namespace {

struct HyperscanScratch : MatcherScratch {
  ~HyperscanScratch() override { hs_free_scratch(scratch); }
  hs_scratch_t* scratch = nullptr;
  std::vector<PatternHit>* hits = nullptr;
  const std::vector<uint32_t>* literal_length = nullptr;
  const std::vector<uint32_t>* ids = nullptr;
  std::vector<uint32_t> regexes_seen;
};

int OnMatch(unsigned int id, unsigned long long /*from*/,
            unsigned long long to, unsigned int /*flags*/, void* context) {
  auto* scratch = static_cast<HyperscanScratch*>(context);
  uint32_t length = (*scratch->literal_length)[id];
  if (length == 0) {
    scratch->regexes_seen.push_back(id);  // SINGLEMATCH: at most once.
  } else {
    scratch->hits->push_back({(*scratch->ids)[id],
                              static_cast<uint32_t>(to) - length,
                              static_cast<uint32_t>(to)});
  }
  return 0;  // Keep scanning.
}

}  // namespace

unsigned int HyperscanFlags(const Pattern& pattern) {
  if (pattern.kind == Pattern::Kind::kLiteral) return 0;
  // No HS_FLAG_UCP: RE2, which decides spans, gives \w, \d, \s and \b
  // their ASCII meaning, and Hyperscan must agree with it or it would filter
  // out matches RE2 would find (\b next to "é", for one).
  return HS_FLAG_UTF8 | HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
}

std::string HyperscanExpression(const Pattern& pattern) {
  if (pattern.kind == Pattern::Kind::kRegex) return pattern.text;
  // Escaping every byte makes the literal exact in byte mode: no
  // metacharacter or UTF-8 interpretation can change what it matches.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(pattern.text.size() * 4);
  for (unsigned char c : pattern.text) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

HyperscanMatcher::HyperscanMatcher(std::vector<Pattern> patterns,
                                   std::vector<uint32_t> ids,
                                   std::vector<std::unique_ptr<RE2>> regexes,
                                   hs_database_t* database)
    : patterns_(std::move(patterns)),
      ids_(std::move(ids)),
      regexes_(std::move(regexes)),
      database_(database) {
  literal_length_.reserve(patterns_.size());
  for (const Pattern& pattern : patterns_) {
    literal_length_.push_back(pattern.kind == Pattern::Kind::kLiteral
                                  ? static_cast<uint32_t>(pattern.text.size())
                                  : 0);
  }
}

HyperscanMatcher::~HyperscanMatcher() { hs_free_database(database_); }

size_t HyperscanMatcher::database_bytes() const {
  size_t size = 0;
  if (database_ != nullptr) hs_database_size(database_, &size);
  return size;
}

absl::StatusOr<std::unique_ptr<MatcherScratch>> HyperscanMatcher::NewScratch()
    const {
  auto scratch = std::make_unique<HyperscanScratch>();
  scratch->literal_length = &literal_length_;
  scratch->ids = &ids_;
  scratch->regexes_seen.reserve(16);
  if (database_ != nullptr) {
    hs_error_t err = hs_alloc_scratch(database_, &scratch->scratch);
    if (err != HS_SUCCESS) {
      return absl::ResourceExhaustedError(
          absl::StrCat("hyperscan: hs_alloc_scratch failed with error ", err));
    }
  }
  return scratch;
}

absl::Status HyperscanMatcher::Match(std::string_view text,
                                     MatcherScratch* scratch_base,
                                     std::vector<PatternHit>* hits) const {
  if (database_ == nullptr) return absl::OkStatus();
  auto* scratch = static_cast<HyperscanScratch*>(scratch_base);
  scratch->hits = hits;
  scratch->regexes_seen.clear();
  hs_error_t err =
      hs_scan(database_, text.data(), static_cast<unsigned int>(text.size()),
              0, scratch->scratch, OnMatch, scratch);
  scratch->hits = nullptr;
  if (err != HS_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("hyperscan: hs_scan failed with error ", err));
  }
  for (uint32_t index : scratch->regexes_seen) {
    AppendRegexSpans(*regexes_[index], ids_[index], text, hits);
  }
  return absl::OkStatus();
}

}  // namespace watchword
