// The inside of an Engine: what the compiler builds and the scanner reads.
#ifndef WATCHWORD_SRC_ENGINE_ENGINE_REP_H_
#define WATCHWORD_SRC_ENGINE_ENGINE_REP_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "src/engine/matcher.h"
#include "src/engine/pattern.h"
#include "src/engine/view_registry.h"
#include "src/normalize/fold.h"
#include "src/normalize/vocabulary.h"
#include "watchword/engine.h"
#include "watchword/v1/ruleset.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

// A term as a rule sees it: which pattern, and how to report it.
struct TermRef {
  uint32_t pattern;       // Index into EngineRep::patterns.
  std::string id;         // Term id for verdicts.
  std::string term_list;  // Source list id; empty for inline terms.
  uint16_t disabled_folds = 0;  // kFold* bits an occurrence may not need.
};

// A rule's match expression, lowered. Leaves name TermRefs.
struct CompiledExpr {
  enum class Op : uint8_t {
    kTerms,  // True if any of `terms` occurs (a term or a term list).
    kAny,
    kAll,
    kNone,
    kNear,   // Every child occurs within `max_words` of the first child.
  };
  Op op = Op::kTerms;
  std::vector<uint32_t> terms;  // kTerms: indices into EngineRep::term_refs.
  std::vector<CompiledExpr> children;
  uint32_t max_words = 0;
};

struct CompiledException {
  std::vector<uint32_t> terms;  // Indices into EngineRep::term_refs.
  uint32_t within_words = 0;    // 0: anywhere in the same field.
  std::vector<std::string> only_terms;  // Rule term ids it vetoes; empty: all.
};

struct CompiledRule {
  std::string id;
  std::string category;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  v1::Action action = v1::ACTION_UNSPECIFIED;
  bool shadow = false;
  std::vector<uint32_t> fields;  // Indices into EngineRep::field_names.
  CompiledExpr expr;
  std::vector<v1::Condition> conditions;
  std::vector<CompiledException> exceptions;
  // Every TermRef under a positive (not `none`) branch; a rule with no hit
  // among these cannot match. Sorted, unique.
  std::vector<uint32_t> positive_terms;
  // Evasion policy: kFold* bits one occurrence must have needed (0: none
  // required), and what a folded match raises severity and action to.
  uint16_t require_folds = 0;
  v1::Severity severity_if_folded = v1::SEVERITY_UNSPECIFIED;
  v1::Action action_if_folded = v1::ACTION_UNSPECIFIED;
};

struct EngineRep {
  v1::Ruleset ruleset;
  v1::RulesetInfo info;
  Backend backend = Backend::kRe2;
  std::vector<Pattern> patterns;
  std::vector<TermRef> term_refs;
  std::vector<CompiledRule> rules;
  // Field names rules may look at; index 0 is "body".
  std::vector<std::string> field_names;
  // For each pattern, the rules that list one of its TermRefs among their
  // positive terms. Sorted, unique.
  std::vector<std::vector<uint32_t>> rules_by_pattern;
  // For each pattern, the TermRefs that use it.
  std::vector<std::vector<uint32_t>> term_refs_by_pattern;
  FoldConfig fold_config;
  // The words of the terms (one-letter words of phrases too), for reading
  // where the words of a spaced-out run begin (scanner.cc).
  Vocabulary vocabulary;
  // fold_config with FoldConfig::AlternateLeet() applied, for text that holds
  // an ambiguous stand-in; null if leetspeak is off or nothing is ambiguous.
  std::unique_ptr<FoldConfig> alternate_fold_config;
  // The ASCII stand-ins alternate_fold_config reads differently.
  std::string alternate_stand_ins;
  // The pattern of SIGNAL_MIXED_SCRIPT, or -1 if no rule uses it.
  int32_t mixed_script_pattern = -1;
  // The matchers, by MatcherSlot (view_registry.h): each matches its slot's
  // form of the patterns on the views kViewSpecs runs it on. Null where no
  // pattern has that form (or its fold is off), except kFoldedSlot's.
  std::array<std::unique_ptr<const Matcher>, kMatcherSlots> matchers;
};

// The library's way into an Engine. Engine keeps its EngineRep and its
// constructor private, so that include/watchword/ holds only the contract.
class EngineAccess {
 public:
  // Returns an Engine that owns `rep`. REQUIRES: `rep` is fully built.
  static std::shared_ptr<const Engine> Make(
      std::unique_ptr<const EngineRep> rep);

  // Returns what `engine` was built from; lives as long as `engine`.
  static const EngineRep& Rep(const Engine& engine) { return *engine.rep_; }
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_ENGINE_REP_H_
