// Helpers shared by the tests of folding (src/normalize, src/compile). They
// reach into src/normalize, so tests/api, which uses only the public
// headers, does not include this file.
#ifndef WATCHWORD_TESTS_TESTING_FOLD_UTIL_H_
#define WATCHWORD_TESTS_TESTING_FOLD_UTIL_H_

#include <cstdint>
#include <string>

#include "src/normalize/fold.h"

namespace watchword::testing {

// A FoldConfig with the shipped leet map and nothing else set.
FoldConfig DefaultFoldConfig();

// The units of the folded view of `text` (Normalize, then FoldBase), before
// equivalences.
FoldUnits FoldedUnits(const std::string& text,
                      const FoldConfig& config = DefaultFoldConfig());

// The folded view of `text` (before equivalences) as a string.
std::string Folded(const std::string& text,
                       const FoldConfig& config = DefaultFoldConfig());

// The folds FoldBase reports anywhere in `text`, with DefaultFoldConfig().
uint16_t FoldsOf(const std::string& text);

}  // namespace watchword::testing

#endif  // WATCHWORD_TESTS_TESTING_FOLD_UTIL_H_
