// The inside of a Scanner: one thread's reusable scan state.
#ifndef WATCHWORD_SRC_SCAN_SCANNER_REP_H_
#define WATCHWORD_SRC_SCAN_SCANNER_REP_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "src/engine/deadline.h"
#include "src/engine/engine_rep.h"
#include "src/engine/matcher.h"
#include "src/engine/view_registry.h"
#include "src/normalize/fold.h"
#include "src/scan/rule_eval.h"
#include "src/scan/view_sequence.h"
#include "watchword/engine.h"
#include "watchword/normalizer.h"
#include "watchword/scanner.h"

namespace watchword {

struct ScannerRep {
  ScanOptions options;
  const EngineHandle* handle = nullptr;  // Borrowed; null if fixed engine.
  uint64_t generation = 0;
  std::shared_ptr<const Engine> engine;
  // `engine`'s matchers by MatcherSlot (view_registry.h), and scratch for
  // each, lazily made; null where the engine has no such matcher.
  const Matcher* matchers[kMatcherSlots] = {};
  std::unique_ptr<MatcherScratch> scratches[kMatcherSlots];
  bool prepared = false;
  int body_field = -1;  // The index of "body" in engine's field_names, or -1.
  uint64_t failed_scans = 0;
  Deadline deadline;  // Of the scan under way.

  // Reused per field and per request.
  ViewScratch views;  // views.normalized is the base view.
  std::vector<PatternHit> hits;  // In base-view offsets.
  // ScanOptions::max_hits_per_term while matching (ViewHits in scanner.cc):
  // by pattern, the occurrences the current view found, and the most any
  // view of the field left out; each with the patterns where it is not 0.
  std::vector<uint32_t> view_counts;
  std::vector<uint32_t> view_counted;
  // Vocabulary::SegmentRun() of the last spaced-out run a match asked
  // about (ViewHits::Segmented).
  std::vector<uint8_t> run_reach;
  std::vector<uint32_t> field_dropped;
  std::vector<uint32_t> field_dropped_patterns;
  // Regexes whose occurrences in the base view were over the cap, sorted.
  std::vector<uint32_t> base_capped;
  // The base view's regex hits, sorted by (pattern, begin), with `folds`
  // holding no folds but the group's running maximum of `end`: see
  // MatchedPlainly() in scanner.cc.
  std::vector<PatternHit> plain_regex_hits;
  std::vector<std::pair<uint32_t, uint32_t>> mixed_words;
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
