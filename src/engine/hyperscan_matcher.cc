#include "src/engine/hyperscan_matcher.h"

#include <algorithm>
#include <utility>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"
#include "src/engine/regex_literals.h"
#include "src/engine/regex_spans.h"
#include "src/normalize/word.h"

namespace watchword {
namespace {

struct HyperscanScratch : MatcherScratch {
  ~HyperscanScratch() override { hs_free_scratch(scratch); }
  hs_scratch_t* scratch = nullptr;
  std::string_view text;
  HitSink* hits = nullptr;
  const HyperscanPlan* plan = nullptr;
  const std::vector<uint32_t>* ids = nullptr;
  // The patterns the scan reports: first_pattern to first_pattern +
  // pattern_count - 1 (MatcherPart).
  uint32_t first_pattern = 0;
  uint32_t pattern_count = 0;
  std::vector<uint32_t> regexes_seen;  // Pattern indices, each once.
  std::vector<uint8_t> regex_seen;     // Per pattern: in regexes_seen.
  Deadline* deadline = nullptr;        // Null: none.
  // MatcherPart::kBaseKeepingOwn: while it scans, `keep` takes the hits of
  // the patterns not reported (the matcher's own), which kept_hits holds
  // with the own regexes that may match, for kOwnKept on kept_text.
  HitSink* keep = nullptr;
  // Past kMaxKeptHits (a text repeating terms), nothing is kept and the
  // folded view is scanned again: kept hits are not capped per term as
  // reported ones are, so they must not grow with the text.
  static constexpr size_t kMaxKeptHits = 1024;
  std::vector<PatternHit> kept_hits;
  HitVector kept_sink{&kept_hits};
  std::vector<uint32_t> kept_regexes;
  bool kept = false;
  bool kept_overflow = false;
  std::string kept_text;
};

int OnMatch(unsigned int id, unsigned long long /*from*/,
            unsigned long long to, unsigned int /*flags*/, void* context) {
  auto* scratch = static_cast<HyperscanScratch*>(context);
  // Non-zero stops hs_scan, which then returns HS_SCAN_TERMINATED.
  if (scratch->deadline != nullptr && scratch->deadline->Tick()) return 1;
  const HyperscanPlan& plan = *scratch->plan;
  // Only a database not compiled from this plan (a doctored engine file)
  // can report another id; never read past the plan for it.
  if (id >= plan.pattern.size()) return 0;
  const uint32_t pattern = plan.pattern[id];
  HitSink* hits = scratch->hits;
  // One of the other view's patterns (MatcherPart), as the unsigned
  // difference shows in one test: skipped, or kept.
  if (pattern - scratch->first_pattern >= scratch->pattern_count) {
    if (scratch->keep == nullptr) return 0;
    if (scratch->kept_hits.size() >= HyperscanScratch::kMaxKeptHits) {
      scratch->kept_overflow = true;
      return 0;
    }
    hits = scratch->keep;
  }
  const auto end = static_cast<uint32_t>(to);
  // Likewise a match shorter than its string: it would start before the
  // text.
  if (plan.length[id] > end) return 0;
  switch (plan.kind[id]) {
    case HyperscanPlan::kLiteral:
      hits->Add({(*scratch->ids)[pattern], end - plan.length[id], end});
      break;
    case HyperscanPlan::kWordPrefilter:
      if (!IsWordStartInline(scratch->text, end - plan.length[id])) break;
      [[fallthrough]];
    case HyperscanPlan::kRegex:
    case HyperscanPlan::kPrefilter:
      // A prefilter string reports every occurrence (plan.flags), and a
      // prefiltered regex has many strings: each regex is listed once.
      if (!scratch->regex_seen[pattern]) {
        scratch->regex_seen[pattern] = 1;
        scratch->regexes_seen.push_back(pattern);
      }
      break;
  }
  return 0;  // Keep scanning.
}

// The status of a failed hs_scan(): out of line, as it is rare.
[[gnu::cold, gnu::noinline]] absl::Status ScanError(hs_error_t err) {
  if (err == HS_SCAN_TERMINATED) return Deadline::Exceeded();
  return absl::InternalError(
      absl::StrCat("hyperscan: hs_scan failed with error ", err));
}

// The spans of the regexes a scan woke (scratch->regexes_seen), of the
// patterns first to first + count - 1; the others' are kept for kOwnKept.
[[gnu::noinline]] absl::Status SpanRegexes(
    const LazyRegexes& regexes, const std::vector<uint32_t>& ids,
    std::string_view text, HyperscanScratch* scratch, HitSink* hits,
    Deadline* deadline, uint32_t first, uint32_t count) {
  std::vector<uint32_t>& seen = scratch->regexes_seen;
  if (seen.size() > 1) std::sort(seen.begin(), seen.end());
  for (uint32_t index : seen) {
    if (index - first >= count) {  // The own part's, kept (sorted).
      scratch->kept_regexes.push_back(index);
      continue;
    }
    absl::StatusOr<const RE2*> re = regexes.Get(index);
    if (!re.ok()) return re.status();
    AppendRegexSpans(**re, ids[index], text, hits, deadline);
    if (deadline != nullptr && deadline->passed()) return Deadline::Exceeded();
  }
  return absl::OkStatus();
}

// Replay()'s spans of the regexes a kBaseKeepingOwn scan kept, `kept`:
// out of line, as most benign texts wake none.
[[gnu::noinline]] absl::Status SpanKeptRegexes(
    const LazyRegexes& regexes, const std::vector<uint32_t>& ids,
    const std::vector<uint32_t>& kept, std::string_view text, HitSink* hits,
    Deadline* deadline) {
  for (uint32_t index : kept) {
    absl::StatusOr<const RE2*> re = regexes.Get(index);
    if (!re.ok()) return re.status();
    AppendRegexSpans(**re, ids[index], text, hits, deadline);
    if (deadline != nullptr && deadline->passed()) return Deadline::Exceeded();
  }
  return absl::OkStatus();
}

}  // namespace

unsigned int HyperscanFlags(const Pattern& pattern) {
  if (pattern.kind == Pattern::Kind::kLiteral) return 0;
  // No HS_FLAG_UCP: RE2, which decides spans, gives \w, \d, \s and \b
  // their ASCII meaning, and Hyperscan must agree with it or it would filter
  // out matches RE2 would find (\b next to "é", for one).
  if (pattern.case_folded) return HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH;
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

HyperscanPlan PlanHyperscanDatabase(const std::vector<Pattern>& patterns) {
  // Strings per regex, and in all: past these, a regex stays a regex. On
  // rulesets/child_safety, 200 per regex reads all 167 regexes of the base
  // view as 5,427 strings (their whole languages were 10,514), and their
  // folded forms as 5,944 (were 10,642); RE2 then wakes on 33% of
  // tests/data/sms_ham's base views and 43% of its folded views, as with
  // the whole languages. Shorter strings woke it on 2 to 3 times as many
  // (regex_literals.cc, kSelectiveBytes).
  constexpr size_t kPerRegex = 200;
  constexpr size_t kTotal = 50000;
  HyperscanPlan plan;
  auto add = [&](std::string expression, unsigned int flags, uint32_t pattern,
                 HyperscanPlan::Kind kind, size_t length) {
    plan.expressions.push_back(std::move(expression));
    plan.flags.push_back(flags);
    plan.pattern.push_back(pattern);
    plan.kind.push_back(kind);
    plan.length.push_back(static_cast<uint32_t>(length));
  };
  size_t prefilter_strings = 0;
  for (uint32_t i = 0; i < patterns.size(); ++i) {
    const Pattern& pattern = patterns[i];
    if (pattern.kind == Pattern::Kind::kLiteral) {
      add(HyperscanExpression(pattern), HyperscanFlags(pattern), i,
          HyperscanPlan::kLiteral, pattern.text.size());
      continue;
    }
    std::optional<std::vector<PrefilterString>> strings;
    if (pattern.literal_prefilter) {
      strings = RegexLiteralPrefilter(pattern.text, kPerRegex,
                                      /*word_starts_checked=*/!pattern.substring);
    }
    if (!strings.has_value() || prefilter_strings + strings->size() > kTotal) {
      add(HyperscanExpression(pattern), HyperscanFlags(pattern), i,
          HyperscanPlan::kRegex, 0);
      continue;
    }
    prefilter_strings += strings->size();
    for (const PrefilterString& s : *strings) {
      const bool word = s.starts_match && !pattern.substring;
      if (s.text.size() <= HyperscanPlan::kGatedBytes) {
        plan.gated.push_back({s.text, i, word});
        continue;
      }
      Pattern literal;
      literal.kind = Pattern::Kind::kLiteral;
      literal.text = s.text;
      // Exact bytes, like literals: the base view is case-folded, and so
      // are the strings. Every hit is reported, though one is enough
      // unless hits are checked for a word start: HS_FLAG_SINGLEMATCH on
      // the others made rulesets/child_safety's folded database 1.08 MB
      // instead of 0.67 MB (base: 0.73 instead of 0.47), and a scan of a
      // 128-byte benign message 7 to 13% slower (Hyperscan keeps a bit per
      // such string). OnMatch() lists each regex once instead.
      add(HyperscanExpression(literal), 0, i,
          word ? HyperscanPlan::kWordPrefilter : HyperscanPlan::kPrefilter,
          s.text.size());
    }
  }
  return plan;
}

HyperscanMatcher::HyperscanMatcher(HyperscanPlan plan,
                                   std::vector<uint32_t> ids,
                                   std::unique_ptr<const LazyRegexes> regexes,
                                   hs_database_t* database,
                                   uint32_t base_patterns)
    : ids_(std::move(ids)),
      base_patterns_(base_patterns),
      plan_(std::move(plan)),
      regexes_(std::move(regexes)),
      database_(database) {
  plan_.expressions = {};  // Compiled already; only the maps are needed.
  plan_.flags = {};
  gated_ = std::move(plan_.gated);
  plan_.gated = {};
  for (const HyperscanPlan::Gated& g : gated_) {
    (g.pattern < base_patterns_ ? base_gated_ : own_gated_) = true;
  }
  if (!gated_.empty()) {
    std::stable_sort(gated_.begin(), gated_.end(),
                     [](const HyperscanPlan::Gated& a,
                        const HyperscanPlan::Gated& b) {
                       return static_cast<uint8_t>(a.text[0]) <
                              static_cast<uint8_t>(b.text[0]);
                     });
    gated_begin_.assign(257, 0);
    for (const HyperscanPlan::Gated& g : gated_) {
      ++gated_begin_[static_cast<uint8_t>(g.text[0]) + 1];
    }
    for (size_t b = 1; b < gated_begin_.size(); ++b) {
      gated_begin_[b] += gated_begin_[b - 1];
    }
    gated_pairs_.assign(256 * 256 / 64, 0);
    for (const HyperscanPlan::Gated& g : gated_) {
      uint64_t* row = &gated_pairs_[static_cast<uint8_t>(g.text[0]) * 4];
      if (g.text.size() == 1) {
        std::fill_n(row, 4, ~uint64_t{0});
      } else {
        const auto c = static_cast<uint8_t>(g.text[1]);
        row[c / 64] |= uint64_t{1} << (c % 64);
      }
    }
    int ranges = 0;
    for (int b = 0; b < 256 && ranges <= kGateRanges; ++b) {
      if (gated_begin_[b] == gated_begin_[b + 1]) continue;
      if (ranges > 0 &&
          gate_low_[ranges - 1] + gate_span_[ranges - 1] + 1 == b) {
        ++gate_span_[ranges - 1];
        continue;
      }
      if (ranges < kGateRanges) {
        gate_low_[ranges] = static_cast<uint8_t>(b);
        gate_span_[ranges] = 0;
      }
      ++ranges;
    }
    gate_ranges_ = ranges <= kGateRanges ? ranges : 0;
    // Unused ranges repeat the first, so a scan tests all kGateRanges.
    for (int r = gate_ranges_; r > 0 && r < kGateRanges; ++r) {
      gate_low_[r] = gate_low_[0];
      gate_span_[r] = gate_span_[0];
    }
    for (int r = 0; r < kGateRanges; ++r) {
      std::fill_n(gate_vectors_[r], 16, gate_low_[r]);
      std::fill_n(gate_vectors_[kGateRanges + r], 16, gate_span_[r]);
    }
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
  scratch->plan = &plan_;
  scratch->ids = &ids_;
  scratch->regexes_seen.reserve(16);
  scratch->regex_seen.assign(ids_.size(), 0);
  if (database_ != nullptr) {
    hs_error_t err = hs_alloc_scratch(database_, &scratch->scratch);
    if (err != HS_SUCCESS) {
      return absl::ResourceExhaustedError(
          absl::StrCat("hyperscan: hs_alloc_scratch failed with error ", err));
    }
  }
  return scratch;
}

void HyperscanMatcher::FindGated(std::string_view text,
                                 MatcherScratch* scratch_base) const {
  auto* scratch = static_cast<HyperscanScratch*>(scratch_base);
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const uint16_t* begin = gated_begin_.data();
  const uint64_t* pairs = gated_pairs_.data();
  // The gated strings that start at text[i]. Out of line: most bytes that
  // start strings ("5" of "5pm") are not followed by one's second byte,
  // and the code every scan runs must stay small.
  auto wake = [&](size_t i) __attribute__((noinline)) {
    const uint8_t b = bytes[i];
    for (uint16_t k = begin[b]; k < begin[b + 1]; ++k) {
      const HyperscanPlan::Gated& g = gated_[k];
      // The first byte is b; kGatedBytes is 2.
      if (g.text.size() > 1 &&
          (i + 1 == text.size() || text[i + 1] != g.text[1])) {
        continue;
      }
      if ((g.pattern - scratch->first_pattern >= scratch->pattern_count &&
           scratch->keep == nullptr) ||
          scratch->regex_seen[g.pattern]) {
        continue;
      }
      if (g.word && !IsWordStartInline(text, i)) continue;
      scratch->regex_seen[g.pattern] = 1;
      scratch->regexes_seen.push_back(g.pattern);
    }
  };
  auto check = [&](size_t i) {
    // No string of text[i]'s has the next byte second (nor one byte only).
    if (i + 1 < text.size()) {
      const uint8_t b = bytes[i];
      const uint8_t c = bytes[i + 1];
      if ((pairs[b * 4 + c / 64] >> (c % 64) & 1) == 0) return;
    }
    wake(i);
  };
  size_t i = 0;
#ifdef __SSE2__
  // 16 bytes at a time: which are in one of the ranges (the byte minus the
  // range's low end, unsigned, at most its span). On the benchmark's
  // 128-byte messages this is a tenth of a lookup per byte. The vectors
  // are read where they are, not copied: the code every scan runs must
  // stay small.
  if (gate_ranges_ > 0 && text.size() >= 16) {
    const auto* vectors = reinterpret_cast<const __m128i*>(gate_vectors_);
    while (i < text.size()) {
      // The last bytes are read as the 16 that end the text, less those
      // seen.
      const size_t at = std::min(i, text.size() - 16);
      const __m128i chunk =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + at));
      __m128i in = _mm_setzero_si128();
      for (int r = 0; r < kGateRanges; ++r) {
        const __m128i offset =
            _mm_sub_epi8(chunk, _mm_load_si128(vectors + r));
        in = _mm_or_si128(
            in, _mm_cmpeq_epi8(
                    _mm_min_epu8(offset,
                                 _mm_load_si128(vectors + kGateRanges + r)),
                    offset));
      }
      for (unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(in)) >>
                           (i - at);
           mask != 0; mask &= mask - 1) {
        check(i + static_cast<size_t>(__builtin_ctz(mask)));
      }
      i = at + 16;
    }
  }
#endif
  for (; i < text.size(); ++i) {
    if (begin[bytes[i]] != begin[bytes[i] + 1]) check(i);
  }
}

absl::Status HyperscanMatcher::Match(std::string_view text,
                                     MatcherScratch* scratch_base,
                                     HitSink* hits, Deadline* deadline,
                                     MatcherPart part) const {
  auto* scratch = static_cast<HyperscanScratch*>(scratch_base);
  if (part == MatcherPart::kOwnKept) {
    if (scratch->kept && text == scratch->kept_text) {
      return Replay(text, scratch, hits, deadline);
    }
    part = MatcherPart::kOwn;  // Nothing kept for `text`: scan it.
  }
  const bool keeping = part == MatcherPart::kBaseKeepingOwn;
  const bool base = keeping || part == MatcherPart::kBase;
  const uint32_t first = base ? 0 : base_patterns_;
  const auto count =
      static_cast<uint32_t>(base ? base_patterns_ : ids_.size() - first);
  if (keeping) {
    scratch->kept_hits.clear();
    scratch->kept_regexes.clear();
    scratch->kept = false;
    scratch->kept_overflow = false;
  }
  if ((count == 0 && !keeping) || (database_ == nullptr && gated_.empty())) {
    if (keeping) {
      scratch->kept = true;
      scratch->kept_text.assign(text.data(), text.size());
    }
    return absl::OkStatus();
  }
  if (deadline != nullptr && deadline->Passed()) return Deadline::Exceeded();
  scratch->text = text;
  scratch->hits = hits;
  scratch->deadline = deadline;
  scratch->first_pattern = first;
  scratch->pattern_count = count;
  scratch->keep = keeping ? &scratch->kept_sink : nullptr;
  // Cleared here, not after the scan: a scan the deadline stopped leaves
  // its regexes listed.
  for (uint32_t index : scratch->regexes_seen) scratch->regex_seen[index] = 0;
  scratch->regexes_seen.clear();
  if (keeping ? !gated_.empty() : base ? base_gated_ : own_gated_) {
    FindGated(text, scratch);
  }
  hs_error_t err =
      database_ == nullptr
          ? HS_SUCCESS
          : hs_scan(database_, text.data(),
                    static_cast<unsigned int>(text.size()), 0,
                    scratch->scratch, OnMatch, scratch);
  scratch->hits = nullptr;
  scratch->deadline = nullptr;
  scratch->keep = nullptr;
  if (err != HS_SUCCESS) return ScanError(err);
  // Most benign texts wake no regex: their spans are found out of line.
  if (!scratch->regexes_seen.empty()) {
    absl::Status status = SpanRegexes(*regexes_, ids_, text, scratch, hits,
                                      deadline, first, count);
    if (!status.ok()) return status;
  }
  if (keeping && !scratch->kept_overflow) {
    scratch->kept = true;
    scratch->kept_text.assign(text.data(), text.size());
  }
  return absl::OkStatus();
}

absl::Status HyperscanMatcher::Replay(std::string_view text,
                                      MatcherScratch* scratch_base,
                                      HitSink* hits, Deadline* deadline) const {
  auto* scratch = static_cast<HyperscanScratch*>(scratch_base);
  if (deadline != nullptr && deadline->Passed()) return Deadline::Exceeded();
  // In the order a kOwn scan of the text gives them: its hits as
  // hs_scan() reports them, then its regexes' spans by pattern.
  for (const PatternHit& hit : scratch->kept_hits) hits->Add(hit);
  if (scratch->kept_regexes.empty()) return absl::OkStatus();
  return SpanKeptRegexes(*regexes_, ids_, scratch->kept_regexes, text, hits,
                         deadline);
}

}  // namespace watchword
