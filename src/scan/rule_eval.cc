#include "src/scan/rule_eval.h"

#include <algorithm>

#include "src/normalize/word.h"

namespace watchword {

void RuleEvaluator::Reset(const EngineRep* rep) {
  rep_ = rep;
  ranges_.assign(rep->patterns.size(), Range{});
  touched_.clear();
  touched_.reserve(64);
  word_starts_.reserve(256);
}

namespace {

// The order SetField() keeps hits in: by place, and at one place the one
// that needed the fewest folds first (a plain spelling has none).
bool HitBefore(const PatternHit& a, const PatternHit& b) {
  if (a.pattern != b.pattern) return a.pattern < b.pattern;
  if (a.begin != b.begin) return a.begin < b.begin;
  if (a.end != b.end) return a.end < b.end;
  // std::popcount() is a call into libgcc without -mpopcnt.
  auto folds = [](uint32_t x) {
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0f0f;
    return (x + (x >> 8)) & 0x1f;
  };
  return folds(a.folds) < folds(b.folds);
}

// Sorts `n` items by `before`. Up to 16 it is the insertion sort that
// std::sort() runs on so few, and keeps equal items in order as it does;
// std::sort(), with its code, stays out of line for the rare longer lists.
// Most benign messages have a few hits, and the scan's code must fit the
// L1i.
template <typename T, typename Before>
[[gnu::noinline]] void SortLong(T* items, size_t n, Before before) {
  std::sort(items, items + n, before);
}

template <typename T, typename Before>
void SortFew(T* items, size_t n, Before before) {
  if (n > 16) {
    SortLong(items, n, before);
    return;
  }
  for (size_t i = 1; i < n; ++i) {
    T item = items[i];
    size_t j = i;
    for (; j > 0 && before(item, items[j - 1]); --j) items[j] = items[j - 1];
    items[j] = item;
  }
}

}  // namespace

size_t RuleEvaluator::SetField(std::string_view text,
                               std::vector<PatternHit>* hits,
                               uint32_t max_per_pattern) {
  text_ = text;
  hits_ = hits;
  word_starts_ready_ = false;
  // One occurrence may be found in several views; keep the one that needed
  // the fewest folds (a plain spelling sorts first with no folds at all).
  PatternHit* all = hits->data();
  const size_t n = hits->size();
  SortFew(all, n, HitBefore);
  // One pass keeps the first of each place and, if max_per_pattern is not
  // 0, the first max_per_pattern places of each pattern, and indexes them.
  size_t dropped = 0;
  size_t kept = 0;
  uint32_t run = 0;  // Places of the current pattern before this one.
  for (size_t i = 0; i < n; ++i) {
    const PatternHit h = all[i];
    if (i > 0) {
      const PatternHit& last = all[i - 1];
      // all[i - 1] is intact: `kept` is at most i - 1, and all[kept]
      // is written with an item at or past it.
      if (last.pattern == h.pattern) {
        if (last.begin == h.begin && last.end == h.end) continue;
        ++run;
      } else {
        run = 0;
      }
    }
    if (max_per_pattern != 0 && run >= max_per_pattern) {
      ++dropped;
      continue;
    }
    if (kept == 0 || all[kept - 1].pattern != h.pattern) {
      ranges_[h.pattern].begin = static_cast<uint32_t>(kept);
      touched_.push_back(h.pattern);
    }
    ranges_[h.pattern].end = static_cast<uint32_t>(kept + 1);
    all[kept++] = h;
  }
  hits->resize(kept);
  return dropped;
}

void RuleEvaluator::ClearField() {
  for (uint32_t p : touched_) ranges_[p] = Range{};
  touched_.clear();
  hits_ = nullptr;
  text_ = {};
}

void RuleEvaluator::ReleaseMemory() {
  word_starts_ = {};
  spans_ = {};
  near_hits_ = {};
  near_index_ = {};
  exception_index_ = {};
  exception_built_ = {};
}

void RuleEvaluator::CandidateRules(std::vector<uint32_t>* rules) const {
  // In most benign fields no hit is of a rule's positive term: a short
  // loop finds that, and the listing stays out of line.
  for (uint32_t p : touched_) {
    if (!rep_->rules_by_pattern[p].empty()) {
      ListCandidateRules(rules);
      return;
    }
  }
}

void RuleEvaluator::ListCandidateRules(std::vector<uint32_t>* rules) const {
  size_t first = rules->size();
  for (uint32_t p : touched_) {
    for (uint32_t r : rep_->rules_by_pattern[p]) rules->push_back(r);
  }
  SortFew(rules->data() + first, rules->size() - first,
          [](uint32_t a, uint32_t b) { return a < b; });
  rules->erase(std::unique(rules->begin() + first, rules->end()),
               rules->end());
}

int64_t RuleEvaluator::WordIndex(uint32_t offset) {
  if (!word_starts_ready_) {
    word_starts_.clear();
    FindWordStarts(text_, &word_starts_);
    word_starts_ready_ = true;
  }
  return WordIndexAt(word_starts_, offset);
}

RuleEvaluator::WordSpan RuleEvaluator::SpanOf(uint32_t begin, uint32_t end) {
  return {WordIndex(begin), WordIndex(end - 1), begin, end};
}

void RuleEvaluator::WordSpanIndex::Assign(std::vector<WordSpan>* spans) {
  std::sort(spans->begin(), spans->end(),
            [](const WordSpan& a, const WordSpan& b) {
              if (a.first != b.first) return a.first < b.first;
              if (a.begin != b.begin) return a.begin < b.begin;
              return a.end < b.end;
            });
  spans_.clear();
  max_last_.clear();
  for (const WordSpan& s : *spans) {
    if (!spans_.empty() && spans_.back().begin == s.begin &&
        spans_.back().end == s.end) {
      continue;
    }
    max_last_.push_back(max_last_.empty() ? s.last
                                          : std::max(max_last_.back(), s.last));
    spans_.push_back(s);
  }
}

bool RuleEvaluator::WordSpanIndex::AnyWithin(const WordSpan& q, uint32_t w,
                                             bool skip_same_bytes) const {
  const int64_t lo = q.first - w - 1;
  const int64_t hi = q.last + w + 1;
  // Spans are sorted by first word; `k` is the first that starts at `lo` or
  // later. `q` itself starts after `lo`, so it is not among those before.
  auto it = std::lower_bound(
      spans_.begin(), spans_.end(), lo,
      [](const WordSpan& s, int64_t first) { return s.first < first; });
  const size_t k = static_cast<size_t>(it - spans_.begin());
  if (k > 0 && max_last_[k - 1] >= lo) return true;
  // Of those from `k` on, the one at `k` starts earliest; if it has `q`'s
  // bytes and those do not count, the next (spans are unique).
  for (size_t i = k; i < spans_.size() && i < k + 2; ++i) {
    if (spans_[i].first > hi) return false;
    if (!skip_same_bytes || spans_[i].begin != q.begin ||
        spans_[i].end != q.end) {
      return true;
    }
  }
  return false;
}

const RuleEvaluator::WordSpanIndex& RuleEvaluator::ExceptionIndex(
    const CompiledRule& rule, size_t e) {
  if (!exception_built_[e]) {
    spans_.clear();
    for (uint32_t t : rule.exceptions[e].terms) {
      const Range& r = ranges_[rep_->term_refs[t].pattern];
      for (uint32_t i = r.begin; i < r.end; ++i) {
        const PatternHit& x = (*hits_)[i];
        if (Allowed(t, x)) spans_.push_back(SpanOf(x.begin, x.end));
      }
    }
    exception_index_[e].Assign(&spans_);
    exception_built_[e] = true;
  }
  return exception_index_[e];
}

bool RuleEvaluator::Vetoed(const CompiledRule& rule, uint32_t term_ref,
                           const PatternHit& hit) {
  for (size_t e = 0; e < rule.exceptions.size(); ++e) {
    const CompiledException& exception = rule.exceptions[e];
    if (!exception.only_terms.empty() &&
        std::find(exception.only_terms.begin(), exception.only_terms.end(),
                  rep_->term_refs[term_ref].id) == exception.only_terms.end()) {
      continue;
    }
    const WordSpanIndex& index = ExceptionIndex(rule, e);
    if (index.empty()) continue;
    if (exception.within_words == 0 ||
        index.AnyWithin(SpanOf(hit.begin, hit.end), exception.within_words,
                        /*skip_same_bytes=*/false)) {
      return true;
    }
  }
  return false;
}

void RuleEvaluator::LiveHits(const CompiledRule& rule,
                             const CompiledExpr& expr,
                             std::vector<Evidence>* out) {
  if (expr.op == CompiledExpr::Op::kNone) return;
  for (uint32_t t : expr.terms) {
    const Range& r = ranges_[rep_->term_refs[t].pattern];
    for (uint32_t i = r.begin; i < r.end; ++i) {
      const PatternHit& hit = (*hits_)[i];
      if (Allowed(t, hit) && !Vetoed(rule, t, hit)) {
        out->push_back({t, hit.begin, hit.end, hit.folds});
      }
    }
  }
  for (const CompiledExpr& child : expr.children) LiveHits(rule, child, out);
}

bool RuleEvaluator::NearHolds(const CompiledRule& rule,
                              const CompiledExpr& expr) {
  const size_t n = expr.children.size();
  if (near_hits_.size() < n) near_hits_.resize(n);
  if (near_index_.size() < n) near_index_.resize(n);
  for (size_t c = 0; c < n; ++c) {
    near_hits_[c].clear();
    LiveHits(rule, expr.children[c], &near_hits_[c]);
    if (near_hits_[c].empty()) return false;
  }
  for (size_t c = 1; c < n; ++c) {
    spans_.clear();
    for (const Evidence& e : near_hits_[c]) {
      spans_.push_back(SpanOf(e.begin, e.end));
    }
    near_index_[c].Assign(&spans_);
  }
  // An occurrence is not near itself: the same bytes found by two children
  // ("you" in both) do not make a pair.
  for (const Evidence& anchor : near_hits_[0]) {
    const WordSpan a = SpanOf(anchor.begin, anchor.end);
    bool all_near = true;
    for (size_t c = 1; c < n && all_near; ++c) {
      all_near = near_index_[c].AnyWithin(a, expr.max_words,
                                          /*skip_same_bytes=*/true);
    }
    if (all_near) return true;
  }
  return false;
}

bool RuleEvaluator::Eval(const CompiledRule& rule, const CompiledExpr& expr) {
  using Op = CompiledExpr::Op;
  switch (expr.op) {
    case Op::kTerms:
      for (uint32_t t : expr.terms) {
        const Range& r = ranges_[rep_->term_refs[t].pattern];
        for (uint32_t i = r.begin; i < r.end; ++i) {
          if (Allowed(t, (*hits_)[i]) && !Vetoed(rule, t, (*hits_)[i])) {
            return true;
          }
        }
      }
      return false;
    case Op::kAny:
      for (const CompiledExpr& child : expr.children) {
        if (Eval(rule, child)) return true;
      }
      return false;
    case Op::kAll:
      for (const CompiledExpr& child : expr.children) {
        if (!Eval(rule, child)) return false;
      }
      return true;
    case Op::kNone:
      for (const CompiledExpr& child : expr.children) {
        if (Eval(rule, child)) return false;
      }
      return true;
    case Op::kNear:
      return NearHolds(rule, expr);
  }
  return false;
}

void RuleEvaluator::Collect(const CompiledRule& rule, const CompiledExpr& expr,
                            std::vector<Evidence>* evidence) {
  using Op = CompiledExpr::Op;
  switch (expr.op) {
    case Op::kTerms:
    case Op::kNear:
      LiveHits(rule, expr, evidence);
      return;
    case Op::kAny:
    case Op::kAll:
      for (const CompiledExpr& child : expr.children) {
        if (Eval(rule, child)) Collect(rule, child, evidence);
      }
      return;
    case Op::kNone:
      return;
  }
}

bool RuleEvaluator::Evaluate(const CompiledRule& rule,
                             std::vector<Evidence>* evidence) {
  if (exception_index_.size() < rule.exceptions.size()) {
    exception_index_.resize(rule.exceptions.size());
  }
  exception_built_.assign(rule.exceptions.size(), false);
  if (!Eval(rule, rule.expr)) return false;
  size_t first = evidence->size();
  Collect(rule, rule.expr, evidence);
  std::sort(evidence->begin() + first, evidence->end(),
            [](const Evidence& a, const Evidence& b) {
              if (a.begin != b.begin) return a.begin < b.begin;
              if (a.end != b.end) return a.end < b.end;
              return a.term_ref < b.term_ref;
            });
  evidence->erase(std::unique(evidence->begin() + first, evidence->end(),
                              [](const Evidence& a, const Evidence& b) {
                                return a.begin == b.begin && a.end == b.end &&
                                       a.term_ref == b.term_ref;
                              }),
                  evidence->end());
  return true;
}

}  // namespace watchword
