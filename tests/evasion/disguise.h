// A generator of disguised spellings, written from the disguise classes of
// issue #11 and from Unicode data (UTS #39 confusables, emoji and
// default-ignorable properties, character names, canonical decompositions,
// all as ICU exposes them), independently of the folding code. It measures
// how much of a disguise the folds undo; tests/evasion/disguise_recall_test.cc
// reports the recall per class and per pair of classes.
//
// Each class is one row of a table: a name, a stage and a transform. A
// transform rewrites a message the way people who evade filters do; it is
// randomized, and a variant is reproducible from (class, text, variant).
// Pairs apply the class of the lower stage first.
#ifndef WATCHWORD_TESTS_EVASION_DISGUISE_H_
#define WATCHWORD_TESTS_EVASION_DISGUISE_H_

#include <string>
#include <vector>

namespace watchword::testing {

// One disguise class, as listed in the table of disguise.cc.
struct DisguiseClass {
  std::string name;         // e.g. "cyrillic_lookalikes".
  std::string description;  // One line, for reports.
};

// Every class, in table order.
const std::vector<DisguiseClass>& DisguiseClasses();

// Returns variant `variant` of `text` (UTF-8) disguised by the classes named
// in `classes` (one name, or two for a pair), or "" if the classes do not
// apply to `text` (e.g. "apostrophe" on a text without a contraction) or
// leave it unchanged. Deterministic: the same arguments give the same result
// on every platform. An unknown class name returns "".
std::string Disguise(const std::vector<std::string>& classes,
                     const std::string& text, int variant);

// The look-alikes of the lower-case ASCII letter `letter` in `script`
// ("Latin", "Cyrillic" or "Greek"): every letter (general category L) of
// that script, other than ASCII, whose UTS #39 skeleton equals that of
// `letter` (or, with `upper`, that of its capital). Exposed for tests of the
// generator.
std::u32string Lookalikes(char letter, const std::string& script, bool upper);

}  // namespace watchword::testing

#endif  // WATCHWORD_TESTS_EVASION_DISGUISE_H_
