// The sequence of views a field is matched on, produced in one place for
// the Scanner (which matches each view) and for MatchedViews() (views.h,
// which copies each view out), so that what analysts see is what the
// Scanner matched. Which views there are, and the matchers each runs, is
// src/engine/view_registry.h; this is when each is made.
#ifndef WATCHWORD_SRC_SCAN_VIEW_SEQUENCE_H_
#define WATCHWORD_SRC_SCAN_VIEW_SEQUENCE_H_

#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "src/engine/engine_rep.h"
#include "src/engine/view_registry.h"
#include "src/normalize/fold.h"
#include "src/normalize/view_transforms.h"
#include "watchword/normalizer.h"
#include "watchword/scanner.h"
#include "watchword/views.h"

namespace watchword {

// Reusable buffers of ForEachView(); a Scanner keeps one per thread.
struct ViewScratch {
  NormalizedText normalized;  // The base view.
  FoldUnits folded_units;     // Folded, before equivalences.
  FoldUnits squeezed_units;
  FoldUnits masked_units;
  FoldUnits variant_units;  // Joined.
  FoldUnits separated_units;  // Joined, separators inside words dropped.
  FoldUnits equivalent_units;
  FoldedView view;  // The view being visited.
  FoldedView equivalent_view;  // An ASCII view after word equivalences.
  TransformScratch transform;  // For JoinSpacedLetters, ApplyEquivalences.
};

// One view, as ForEachView() hands it to its visitor. Valid only during
// the call.
struct ViewStep {
  ViewKind kind;
  bool alternate_leet;  // From EngineRep::alternate_fold_config.
  // The view in base-view offsets; null where the view is the base view
  // itself, ViewScratch::normalized: always for kBase, and for kFolded when
  // nothing in the text was folded.
  const FoldedView* folded;
};

// Returns InvalidArgument if field `name` is larger than a Scanner with
// `options` accepts.
absl::Status CheckFieldSize(std::string_view name, std::string_view text,
                            const ScanOptions& options);

// Normalizes `text` into scratch->normalized, then calls `visit` for each
// view of it `engine` matches, in order: the base view; the folded view;
// the masked, joined and squeezed views when the text has what they undo;
// and the same again under EngineRep::alternate_fold_config when the text
// holds one of its stand-ins. Stops at, and returns, the first error
// `visit` returns.
absl::Status ForEachView(
    const EngineRep& engine, std::string_view text, ViewScratch* scratch,
    absl::FunctionRef<absl::Status(const ViewStep&)> visit);

}  // namespace watchword

#endif  // WATCHWORD_SRC_SCAN_VIEW_SEQUENCE_H_
