// RuleEvaluator against a brute-force reference, and the inputs that made
// the all-pairs evaluation quadratic.
#include "src/scan/rule_eval.h"

#include <algorithm>
#include <bit>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/normalize/word.h"

namespace watchword {
namespace {

// The all-pairs evaluation RuleEvaluator replaced, kept as the reference:
// quadratic, obviously right. `hits` are deduplicated and sorted as
// RuleEvaluator::SetField leaves them.
class NaiveEvaluator {
 public:
  NaiveEvaluator(const EngineRep& rep, std::string_view text,
                 const std::vector<PatternHit>& hits)
      : rep_(rep), hits_(hits) {
    FindWordStarts(text, &word_starts_);
  }

  bool Evaluate(const CompiledRule& rule, std::vector<Evidence>* evidence) {
    if (!Eval(rule, rule.expr)) return false;
    Collect(rule, rule.expr, evidence);
    std::sort(evidence->begin(), evidence->end(),
              [](const Evidence& a, const Evidence& b) {
                if (a.begin != b.begin) return a.begin < b.begin;
                if (a.end != b.end) return a.end < b.end;
                return a.term_ref < b.term_ref;
              });
    evidence->erase(std::unique(evidence->begin(), evidence->end(),
                                [](const Evidence& a, const Evidence& b) {
                                  return a.begin == b.begin &&
                                         a.end == b.end &&
                                         a.term_ref == b.term_ref;
                                }),
                    evidence->end());
    return true;
  }

 private:
  std::vector<const PatternHit*> HitsOf(uint32_t term_ref) const {
    std::vector<const PatternHit*> out;
    for (const PatternHit& h : hits_) {
      if (h.pattern == rep_.term_refs[term_ref].pattern &&
          (h.folds & rep_.term_refs[term_ref].disabled_folds) == 0) {
        out.push_back(&h);
      }
    }
    return out;
  }
  int64_t Word(uint32_t offset) const {
    return WordIndexAt(word_starts_, offset);
  }
  uint32_t WordGap(uint32_t ab, uint32_t ae, uint32_t bb, uint32_t be) const {
    int64_t gap = std::max(Word(bb) - Word(ae - 1), Word(ab) - Word(be - 1)) - 1;
    return gap > 0 ? static_cast<uint32_t>(gap) : 0;
  }
  bool Vetoed(const CompiledRule& rule, uint32_t t, const PatternHit& hit) {
    for (const CompiledException& e : rule.exceptions) {
      if (!e.only_terms.empty() &&
          std::find(e.only_terms.begin(), e.only_terms.end(),
                    rep_.term_refs[t].id) == e.only_terms.end()) {
        continue;
      }
      for (uint32_t et : e.terms) {
        for (const PatternHit* x : HitsOf(et)) {
          if (e.within_words == 0 ||
              WordGap(x->begin, x->end, hit.begin, hit.end) <= e.within_words) {
            return true;
          }
        }
      }
    }
    return false;
  }
  void LiveHits(const CompiledRule& rule, const CompiledExpr& expr,
                std::vector<Evidence>* out) {
    if (expr.op == CompiledExpr::Op::kNone) return;
    for (uint32_t t : expr.terms) {
      for (const PatternHit* h : HitsOf(t)) {
        if (!Vetoed(rule, t, *h)) out->push_back({t, h->begin, h->end, h->folds});
      }
    }
    for (const CompiledExpr& child : expr.children) LiveHits(rule, child, out);
  }
  bool Eval(const CompiledRule& rule, const CompiledExpr& expr) {
    using Op = CompiledExpr::Op;
    switch (expr.op) {
      case Op::kTerms: {
        std::vector<Evidence> live;
        LiveHits(rule, expr, &live);
        return !live.empty();
      }
      case Op::kAny:
        for (const auto& c : expr.children) if (Eval(rule, c)) return true;
        return false;
      case Op::kAll:
        for (const auto& c : expr.children) if (!Eval(rule, c)) return false;
        return true;
      case Op::kNone:
        for (const auto& c : expr.children) if (Eval(rule, c)) return false;
        return true;
      case Op::kNear: {
        std::vector<std::vector<Evidence>> live(expr.children.size());
        for (size_t c = 0; c < live.size(); ++c) {
          LiveHits(rule, expr.children[c], &live[c]);
        }
        for (const Evidence& anchor : live[0]) {
          bool all = true;
          for (size_t c = 1; c < live.size() && all; ++c) {
            bool found = false;
            for (const Evidence& o : live[c]) {
              if (o.begin == anchor.begin && o.end == anchor.end) continue;
              if (WordGap(anchor.begin, anchor.end, o.begin, o.end) <=
                  expr.max_words) {
                found = true;
              }
            }
            all = found;
          }
          if (all) return true;
        }
        return false;
      }
    }
    return false;
  }
  void Collect(const CompiledRule& rule, const CompiledExpr& expr,
               std::vector<Evidence>* evidence) {
    using Op = CompiledExpr::Op;
    if (expr.op == Op::kTerms || expr.op == Op::kNear) {
      LiveHits(rule, expr, evidence);
    } else if (expr.op == Op::kAny || expr.op == Op::kAll) {
      for (const auto& c : expr.children) {
        if (Eval(rule, c)) Collect(rule, c, evidence);
      }
    }
  }

  const EngineRep& rep_;
  const std::vector<PatternHit>& hits_;
  std::vector<uint32_t> word_starts_;
};

bool SameEvidence(const std::vector<Evidence>& a,
                  const std::vector<Evidence>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Evidence& x, const Evidence& y) {
                      return x.term_ref == y.term_ref && x.begin == y.begin &&
                             x.end == y.end && x.folds == y.folds;
                    });
}

constexpr int kPatterns = 5;

// Term refs: one per pattern, and one per pattern that disables fold bit 1.
EngineRep RandomEngine() {
  EngineRep rep;
  rep.patterns.resize(kPatterns);
  rep.rules_by_pattern.resize(kPatterns);
  rep.term_refs_by_pattern.resize(kPatterns);
  for (uint32_t p = 0; p < kPatterns; ++p) {
    rep.term_refs.push_back({p, "t" + std::to_string(p), "", 0});
    rep.term_refs.push_back({p, "u" + std::to_string(p), "", 1});
  }
  return rep;
}

CompiledExpr RandomExpr(std::mt19937* rng, int depth) {
  std::uniform_int_distribution<int> op_dist(0, depth > 1 ? 0 : 4);
  std::uniform_int_distribution<uint32_t> term(0, 2 * kPatterns - 1);
  CompiledExpr expr;
  expr.op = static_cast<CompiledExpr::Op>(op_dist(*rng));
  if (expr.op == CompiledExpr::Op::kTerms) {
    int n = 1 + (*rng)() % 2;
    for (int i = 0; i < n; ++i) expr.terms.push_back(term(*rng));
    return expr;
  }
  int n = 1 + (*rng)() % 3;
  if (expr.op == CompiledExpr::Op::kNear) n = std::max(n, 2);
  for (int i = 0; i < n; ++i) expr.children.push_back(RandomExpr(rng, depth + 1));
  expr.max_words = (*rng)() % 4;
  return expr;
}

CompiledRule RandomRule(std::mt19937* rng) {
  CompiledRule rule;
  rule.expr = RandomExpr(rng, 0);
  int exceptions = (*rng)() % 3;
  for (int i = 0; i < exceptions; ++i) {
    CompiledException e;
    e.terms.push_back((*rng)() % (2 * kPatterns));
    if ((*rng)() % 2) e.terms.push_back((*rng)() % (2 * kPatterns));
    e.within_words = (*rng)() % 4;
    if ((*rng)() % 3 == 0) e.only_terms.push_back("t" + std::to_string((*rng)() % kPatterns));
    rule.exceptions.push_back(std::move(e));
  }
  return rule;
}

// A text of short words and separators, and hits on runs of whole words,
// some of them at the same bytes for several patterns.
void RandomField(std::mt19937* rng, std::string* text,
                 std::vector<PatternHit>* hits) {
  text->clear();
  hits->clear();
  std::vector<std::pair<uint32_t, uint32_t>> words;
  const int n = 1 + (*rng)() % 14;
  for (int i = 0; i < n; ++i) {
    if ((*rng)() % 4 == 0) *text += ", ";
    uint32_t begin = text->size();
    *text += std::string(1 + (*rng)() % 3, static_cast<char>('a' + (*rng)() % 3));
    words.push_back({begin, static_cast<uint32_t>(text->size())});
    *text += ' ';
  }
  const int h = (*rng)() % 16;
  for (int i = 0; i < h; ++i) {
    size_t first = (*rng)() % words.size();
    size_t last = std::min(words.size() - 1, first + (*rng)() % 3);
    hits->push_back({static_cast<uint32_t>((*rng)() % kPatterns),
                     words[first].first, words[last].second,
                     static_cast<uint16_t>((*rng)() % 4)});
  }
}

TEST(RuleEvaluatorTest, AgreesWithAllPairsReference) {
  std::mt19937 rng(12);
  EngineRep rep = RandomEngine();
  RuleEvaluator evaluator;
  evaluator.Reset(&rep);
  int matched = 0, vetoed_or_not = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    std::vector<PatternHit> hits;
    RandomField(&rng, &text, &hits);
    CompiledRule rule = RandomRule(&rng);
    evaluator.SetField(text, &hits);  // Sorts and deduplicates `hits`.
    NaiveEvaluator naive(rep, text, hits);
    std::vector<Evidence> got, want;
    bool got_match = evaluator.Evaluate(rule, &got);
    bool want_match = naive.Evaluate(rule, &want);
    evaluator.ClearField();
    ASSERT_EQ(got_match, want_match) << "round " << round << " text " << text;
    ASSERT_TRUE(SameEvidence(got, want)) << "round " << round;
    matched += got_match;
    vetoed_or_not += !got_match;
  }
  // Both outcomes are common, so the comparison means something.
  EXPECT_GT(matched, 2000);
  EXPECT_GT(vetoed_or_not, 2000);
}

}  // namespace
}  // namespace watchword
