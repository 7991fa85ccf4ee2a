// "Did you mean ...?" for the `watchword` CLI: the known name closest to a
// mistyped flag or subcommand.
#ifndef WATCHWORD_SRC_CLI_SUGGEST_H_
#define WATCHWORD_SRC_CLI_SUGGEST_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace watchword {

// Returns the number of single-character insertions, deletions,
// substitutions and swaps of neighbours that turn `a` into `b`.
int EditDistance(absl::string_view a, absl::string_view b);

// Returns the name of `known` closest to `typed` by EditDistance(), or ""
// if none is close enough to be a likely typo: at most 1 edit for names of
// up to 4 characters, else at most a third of the longer name. A name that
// starts with `typed` (at least 3 characters of it) also counts, so
// "--thr" suggests "--threads". Ties go to the first in `known`.
std::string Suggest(absl::string_view typed,
                    const std::vector<std::string>& known);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_SUGGEST_H_
