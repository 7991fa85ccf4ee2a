#include "tests/testing/fold_util.h"

#include "watchword/normalizer.h"

namespace watchword::testing {

FoldConfig DefaultFoldConfig() {
  FoldConfig config;
  config.SetLeet(FoldConfig::DefaultLeet());
  return config;
}

FoldUnits FoldedUnits(const std::string& text, const FoldConfig& config) {
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units;
  FoldBase(text, base, config, &units);
  return units;
}

std::string Folded(const std::string& text, const FoldConfig& config) {
  FoldedView view;
  EncodeView(FoldedUnits(text, config), &view);
  return view.text;
}

uint16_t FoldsOf(const std::string& text) {
  uint16_t folds = 0;
  for (const FoldUnit& u : FoldedUnits(text)) folds |= u.folds;
  return folds;
}

}  // namespace watchword::testing
