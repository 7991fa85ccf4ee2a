// A deterministic generator of disguised spellings, for measuring how much
// of an evasion the folds undo. Each Transform rewrites a phrase the way
// offenders do; Generate() applies each one, and each compatible pair, to a
// phrase.
#ifndef WATCHWORD_TESTS_EVASION_EVASION_CORPUS_H_
#define WATCHWORD_TESTS_EVASION_EVASION_CORPUS_H_

#include <string>
#include <vector>

namespace watchword::testing {

// One disguised spelling of a phrase.
struct Evasion {
  std::string transforms;  // e.g. "leet" or "homoglyph+spaced".
  std::string text;        // UTF-8.
};

// The names of the single transforms, in application order.
std::vector<std::string> TransformNames();

// Every single transform and every compatible ordered pair applied to
// `phrase` (lower-case ASCII words). Deterministic.
std::vector<Evasion> Generate(const std::string& phrase);

}  // namespace watchword::testing

#endif  // WATCHWORD_TESTS_EVASION_EVASION_CORPUS_H_
