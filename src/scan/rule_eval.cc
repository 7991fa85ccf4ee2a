#include "src/scan/rule_eval.h"

#include <algorithm>
#include <bit>

#include "src/normalize/word.h"

namespace watchword {

void RuleEvaluator::Reset(const EngineRep* rep) {
  rep_ = rep;
  ranges_.assign(rep->patterns.size(), Range{});
  touched_.clear();
  touched_.reserve(64);
  word_starts_.reserve(256);
}

void RuleEvaluator::SetField(std::string_view text,
                             std::vector<PatternHit>* hits) {
  text_ = text;
  hits_ = hits;
  word_starts_ready_ = false;
  // One occurrence may be found in several views; keep the one that needed
  // the fewest folds (a plain spelling sorts first with no folds at all).
  std::sort(hits->begin(), hits->end(),
            [](const PatternHit& a, const PatternHit& b) {
              if (a.pattern != b.pattern) return a.pattern < b.pattern;
              if (a.begin != b.begin) return a.begin < b.begin;
              if (a.end != b.end) return a.end < b.end;
              return std::popcount(a.folds) < std::popcount(b.folds);
            });
  hits->erase(std::unique(hits->begin(), hits->end(),
                          [](const PatternHit& a, const PatternHit& b) {
                            return a.pattern == b.pattern &&
                                   a.begin == b.begin && a.end == b.end;
                          }),
              hits->end());
  for (uint32_t i = 0; i < hits->size(); ++i) {
    uint32_t p = (*hits)[i].pattern;
    if (i == 0 || (*hits)[i - 1].pattern != p) {
      ranges_[p].begin = i;
      touched_.push_back(p);
    }
    ranges_[p].end = i + 1;
  }
}

void RuleEvaluator::ClearField() {
  for (uint32_t p : touched_) ranges_[p] = Range{};
  touched_.clear();
  hits_ = nullptr;
  text_ = {};
}

void RuleEvaluator::CandidateRules(std::vector<uint32_t>* rules) const {
  size_t first = rules->size();
  for (uint32_t p : touched_) {
    const auto& by_pattern = rep_->rules_by_pattern[p];
    rules->insert(rules->end(), by_pattern.begin(), by_pattern.end());
  }
  std::sort(rules->begin() + first, rules->end());
  rules->erase(std::unique(rules->begin() + first, rules->end()),
               rules->end());
}

int32_t RuleEvaluator::WordIndex(uint32_t offset) {
  if (!word_starts_ready_) {
    word_starts_.clear();
    FindWordStarts(text_, &word_starts_);
    word_starts_ready_ = true;
  }
  return static_cast<int32_t>(WordIndexAt(word_starts_, offset));
}

uint32_t RuleEvaluator::WordGap(uint32_t a_begin, uint32_t a_end,
                                uint32_t b_begin, uint32_t b_end) {
  int32_t a_first = WordIndex(a_begin), a_last = WordIndex(a_end - 1);
  int32_t b_first = WordIndex(b_begin), b_last = WordIndex(b_end - 1);
  int32_t gap = std::max(b_first - a_last, a_first - b_last) - 1;
  return gap > 0 ? static_cast<uint32_t>(gap) : 0;
}

bool RuleEvaluator::Vetoed(const CompiledRule& rule, uint32_t term_ref,
                           const PatternHit& hit) {
  for (const CompiledException& exception : rule.exceptions) {
    if (!exception.only_terms.empty() &&
        std::find(exception.only_terms.begin(), exception.only_terms.end(),
                  rep_->term_refs[term_ref].id) == exception.only_terms.end()) {
      continue;
    }
    for (uint32_t t : exception.terms) {
      const Range& r = ranges_[rep_->term_refs[t].pattern];
      for (uint32_t i = r.begin; i < r.end; ++i) {
        const PatternHit& x = (*hits_)[i];
        if (!Allowed(t, x)) continue;
        if (exception.within_words == 0 ||
            WordGap(x.begin, x.end, hit.begin, hit.end) <=
                exception.within_words) {
          return true;
        }
      }
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
  for (size_t c = 0; c < n; ++c) {
    near_hits_[c].clear();
    LiveHits(rule, expr.children[c], &near_hits_[c]);
    if (near_hits_[c].empty()) return false;
  }
  for (const Evidence& anchor : near_hits_[0]) {
    bool all_near = true;
    for (size_t c = 1; c < n && all_near; ++c) {
      bool found = false;
      for (const Evidence& other : near_hits_[c]) {
        if (other.begin == anchor.begin && other.end == anchor.end) continue;
        if (WordGap(anchor.begin, anchor.end, other.begin, other.end) <=
            expr.max_words) {
          found = true;
          break;
        }
      }
      all_near = found;
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
