// Rule logic over the term occurrences of one text field: any / all / none,
// proximity and exceptions. The hot path: no allocation once warmed up.
#ifndef WATCHWORD_SRC_SCAN_RULE_EVAL_H_
#define WATCHWORD_SRC_SCAN_RULE_EVAL_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "src/engine/engine_rep.h"
#include "src/engine/matcher.h"

namespace watchword {

// An occurrence that made a rule match, in normalized offsets.
struct Evidence {
  uint32_t term_ref;
  uint32_t begin;
  uint32_t end;
  uint16_t folds;  // kFold* bits the occurrence needed.
};

// Evaluates rules against one field at a time. Not thread-safe; one per
// Scanner. Usage per field: SetField(), then Evaluate() for each candidate
// rule, then ClearField().
class RuleEvaluator {
 public:
  // Sizes internal tables for `rep`. Call again when the Engine changes.
  void Reset(const EngineRep* rep);

  // Takes the occurrences found in all views of a field, in offsets of its
  // base view `text`, keeps one per place (the one that needed fewest
  // folds), and indexes them. `hits` is reordered in place and must stay
  // alive until ClearField().
  void SetField(std::string_view text, std::vector<PatternHit>* hits);

  // Appends to *rules the candidate rules of the current field: those with a
  // positive term that occurs. Sorted, unique.
  void CandidateRules(std::vector<uint32_t>* rules) const;

  // True if `rule`'s expression holds in the current field (conditions are
  // the caller's business). On true, appends the occurrences that support
  // it to *evidence.
  bool Evaluate(const CompiledRule& rule, std::vector<Evidence>* evidence);

  // Forgets the current field.
  void ClearField();

  // Number of hits kept by the last SetField().
  size_t hit_count() const { return hits_ == nullptr ? 0 : hits_->size(); }

 private:
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
  };

  bool Eval(const CompiledRule& rule, const CompiledExpr& expr);
  void Collect(const CompiledRule& rule, const CompiledExpr& expr,
               std::vector<Evidence>* evidence);
  void LiveHits(const CompiledRule& rule, const CompiledExpr& expr,
                std::vector<Evidence>* out);
  bool Vetoed(const CompiledRule& rule, uint32_t term_ref,
              const PatternHit& hit);
  // False if `hit` needed a fold its term disables.
  bool Allowed(uint32_t term_ref, const PatternHit& hit) const {
    return (hit.folds & rep_->term_refs[term_ref].disabled_folds) == 0;
  }
  bool NearHolds(const CompiledRule& rule, const CompiledExpr& expr);
  // Words between two occurrences; 0 if adjacent or overlapping.
  uint32_t WordGap(uint32_t a_begin, uint32_t a_end, uint32_t b_begin,
                   uint32_t b_end);
  int32_t WordIndex(uint32_t offset);

  const EngineRep* rep_ = nullptr;
  std::string_view text_;
  std::vector<PatternHit>* hits_ = nullptr;
  std::vector<Range> ranges_;            // By pattern; empty unless touched.
  std::vector<uint32_t> touched_;        // Patterns with hits in this field.
  std::vector<uint32_t> word_starts_;    // Lazily computed per field.
  bool word_starts_ready_ = false;
  std::vector<std::vector<Evidence>> near_hits_;  // Scratch for kNear.
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SCAN_RULE_EVAL_H_
