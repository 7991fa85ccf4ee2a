#include "src/cli/suggest.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"

namespace watchword {

int EditDistance(absl::string_view a, absl::string_view b) {
  // Optimal string alignment: Levenshtein plus swaps of neighbours, the
  // commonest typo ("--thraeds").
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string Suggest(absl::string_view typed,
                    const std::vector<std::string>& known) {
  std::string best;
  int best_distance = 0;
  for (const std::string& name : known) {
    const size_t longer = std::max(typed.size(), name.size());
    const int limit = longer <= 4 ? 1 : static_cast<int>(longer / 3);
    int distance = EditDistance(typed, name);
    // Leading dashes are not letters the user chose: "--thr" is 3 typed.
    const size_t letters = typed.size() - std::min(typed.find_first_not_of('-'),
                                                   typed.size());
    if (distance > limit && letters >= 3 && absl::StartsWith(name, typed)) {
      distance = limit;
    }
    if (distance > limit) continue;
    if (best.empty() || distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace watchword
