// Rule logic over the term occurrences of one text field: any / all / none,
// proximity and exceptions. The hot path: no allocation once warmed up.
//
// Time is O(H log H) per rule for H occurrences in the field, whatever the
// text: proximity and exceptions ask "is any occurrence of these terms
// within N words of this one?" of an index sorted by word position
// (`WordSpanIndex`), never of every pair.
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
  // folds) and, if `max_per_pattern` is not 0, the first `max_per_pattern`
  // of each pattern, and indexes them. `hits` is reordered and shortened in
  // place and must stay alive until ClearField(). Returns the number of
  // places left out by `max_per_pattern`.
  size_t SetField(std::string_view text, std::vector<PatternHit>* hits,
                  uint32_t max_per_pattern = 0);

  // Appends to *rules the candidate rules of the current field: those with a
  // positive term that occurs. Sorted, unique.
  void CandidateRules(std::vector<uint32_t>* rules) const;

  // True if `rule`'s expression holds in the current field (conditions are
  // the caller's business). On true, appends the occurrences that support
  // it to *evidence.
  bool Evaluate(const CompiledRule& rule, std::vector<Evidence>* evidence);

  // Forgets the current field.
  void ClearField();

  // Frees the buffers that grew with the fields scanned so far.
  // REQUIRES: no current field.
  void ReleaseMemory();

  // Number of hits kept by the last SetField().
  size_t hit_count() const { return hits_ == nullptr ? 0 : hits_->size(); }

 private:
  struct Range {
    uint32_t begin = 0;
    uint32_t end = 0;
  };

  // An occurrence as a run of words: the indexes (WordIndexAt) of the words
  // holding its first and last bytes, and its bytes, to tell it from
  // another occurrence with the same words.
  struct WordSpan {
    int64_t first;
    int64_t last;
    uint32_t begin;
    uint32_t end;
  };

  // Occurrences sorted by first word, one per byte span, with the running
  // maximum of their last words: whether any is within `w` words of a given
  // one is one binary search. Two runs of words are within `w` words (the
  // old all-pairs test, WordGap() <= w) iff each starts no more than w + 1
  // words after the other ends, that is iff the occurrence overlaps the
  // query widened by w + 1 words on both sides. Those starting inside the
  // widened query are found by the search; those starting before it by the
  // running maximum.
  class WordSpanIndex {
   public:
    // Replaces the contents with `spans` (reordered and deduplicated).
    void Assign(std::vector<WordSpan>* spans);
    bool empty() const { return spans_.empty(); }
    // True if an occurrence is within `w` words of `q`; with
    // `skip_same_bytes`, one at `q`'s very bytes does not count.
    bool AnyWithin(const WordSpan& q, uint32_t w, bool skip_same_bytes) const;

   private:
    std::vector<WordSpan> spans_;
    std::vector<int64_t> max_last_;  // max_last_[i]: max of spans_[0..i].last.
  };

  // CandidateRules() where some rule has a positive term that occurs.
  [[gnu::noinline]] void ListCandidateRules(std::vector<uint32_t>* rules) const;

  bool Eval(const CompiledRule& rule, const CompiledExpr& expr);
  void Collect(const CompiledRule& rule, const CompiledExpr& expr,
               std::vector<Evidence>* evidence);
  void LiveHits(const CompiledRule& rule, const CompiledExpr& expr,
                std::vector<Evidence>* out);
  bool Vetoed(const CompiledRule& rule, uint32_t term_ref,
              const PatternHit& hit);
  // The allowed occurrences of `rule`'s exception `e`, indexed; built on
  // first use in each Evaluate().
  const WordSpanIndex& ExceptionIndex(const CompiledRule& rule, size_t e);
  WordSpan SpanOf(uint32_t begin, uint32_t end);
  // False if `hit` needed a fold its term disables.
  bool Allowed(uint32_t term_ref, const PatternHit& hit) const {
    return (hit.folds & rep_->term_refs[term_ref].disabled_folds) == 0;
  }
  bool NearHolds(const CompiledRule& rule, const CompiledExpr& expr);
  int64_t WordIndex(uint32_t offset);

  const EngineRep* rep_ = nullptr;
  std::string_view text_;
  std::vector<PatternHit>* hits_ = nullptr;
  std::vector<Range> ranges_;            // By pattern; empty unless touched.
  std::vector<uint32_t> touched_;        // Patterns with hits in this field.
  std::vector<uint32_t> word_starts_;    // Lazily computed per field.
  bool word_starts_ready_ = false;
  std::vector<std::vector<Evidence>> near_hits_;  // Scratch for kNear.
  std::vector<WordSpan> spans_;                   // Scratch for indexes.
  // Scratch for kNear: the index of each child but the first. Nested near
  // expressions are evaluated before their parent builds these.
  std::vector<WordSpanIndex> near_index_;
  // By exception of the rule being evaluated; `exception_built_` says
  // which are current.
  std::vector<WordSpanIndex> exception_index_;
  std::vector<bool> exception_built_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SCAN_RULE_EVAL_H_
