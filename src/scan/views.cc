#include "watchword/views.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "src/engine/engine_rep.h"
#include "src/scan/view_sequence.h"

namespace watchword {
namespace {

// The body field, as Scanner::Scan(text) names it in its size error.
constexpr char kBodyField[] = "body";

View BaseView(const NormalizedText& base) {
  View out;
  out.text = base.text;
  out.begin = base.begin;
  out.end = base.end;
  out.fold_bits.assign(base.text.size(), 0);
  return out;
}

// Copies `folded`, mapping its base-view offsets through `base` to the
// original text.
View FoldedViewOf(const FoldedView& folded, const NormalizedText& base) {
  View out;
  out.text = folded.text;
  out.fold_bits = folded.folds;
  const size_t n = folded.text.size();
  out.begin.resize(n);
  out.end.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t b = folded.begin[i];
    // Every byte of a view comes from at least one base byte; max() keeps
    // the map well-formed should a fold ever produce an empty span.
    const uint32_t e = std::max(folded.end[i], b + 1);
    out.begin[i] = base.begin[b];
    out.end[i] = base.end[e - 1];
  }
  return out;
}

}  // namespace

std::vector<v1::Fold> View::Folds(size_t i) const {
  std::vector<v1::Fold> out;
  for (int fold = v1::FOLD_UNSPECIFIED + 1; fold <= v1::Fold_MAX; ++fold) {
    if (fold_bits[i] & (1u << (fold - 1))) {
      out.push_back(static_cast<v1::Fold>(fold));
    }
  }
  return out;
}

absl::StatusOr<std::vector<View>> MatchedViews(const Engine& engine,
                                               absl::string_view text,
                                               const ScanOptions& options) {
  const std::string_view input(text.data(), text.size());
  if (absl::Status size = CheckFieldSize(kBodyField, input, options);
      !size.ok()) {
    return size;
  }
  ViewScratch scratch;
  std::vector<View> views;
  absl::Status status = ForEachView(
      EngineAccess::Rep(engine), input, &scratch, [&](const ViewStep& step) {
        View view = step.folded == nullptr
                        ? BaseView(scratch.normalized)
                        : FoldedViewOf(*step.folded, scratch.normalized);
        view.alternate_leet = step.alternate_leet;
        view.name = step.alternate_leet
                        ? std::string("alternate_") + ViewKindName(step.kind)
                        : std::string(ViewKindName(step.kind));
        views.push_back(std::move(view));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return views;
}

}  // namespace watchword
