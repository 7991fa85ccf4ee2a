// The inside of a Scanner: one thread's reusable scan state.
#ifndef WATCHWORD_SRC_SCAN_SCANNER_REP_H_
#define WATCHWORD_SRC_SCAN_SCANNER_REP_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "src/engine/engine_rep.h"
#include "src/engine/matcher.h"
#include "src/normalize/fold.h"
#include "src/scan/rule_eval.h"
#include "watchword/engine.h"
#include "watchword/normalizer.h"
#include "watchword/scanner.h"

namespace watchword {

struct ScannerRep {
  ScanOptions options;
  const EngineHandle* handle = nullptr;  // Borrowed; null if fixed engine.
  uint64_t generation = 0;
  std::shared_ptr<const Engine> engine;
  // Scratch for `engine`'s matchers, lazily made; null where the engine
  // has no such matcher.
  std::unique_ptr<MatcherScratch> base_scratch;
  std::unique_ptr<MatcherScratch> folded_scratch;
  std::unique_ptr<MatcherScratch> joined_scratch;
  bool prepared = false;
  uint64_t failed_scans = 0;

  // Reused per field and per request.
  NormalizedText normalized;  // The base view.
  FoldUnits folded_units;     // Folded, before equivalences.
  FoldUnits variant_units;    // Squeezed or joined.
  FoldUnits equivalent_units;
  FoldedView view;
  std::vector<PatternHit> view_hits;  // In view offsets.
  std::vector<PatternHit> hits;       // In base-view offsets.
  RuleEvaluator evaluator;
  std::vector<uint32_t> candidates;
  std::vector<Evidence> evidence;
  std::vector<int32_t> match_slot;    // By rule: index into rule_matches, -1.
  std::vector<uint32_t> matched_rules;  // Rules with a slot this request.
  std::vector<int8_t> conditions_state;  // By rule: -1 unknown, 0, 1.
  std::vector<uint32_t> conditions_known;  // Rules whose state is not -1.
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_SCAN_SCANNER_REP_H_
