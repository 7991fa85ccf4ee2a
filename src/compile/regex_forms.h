// The forms of a regex term for the folded views (src/normalize/fold.h), so
// that a regex, like a phrase, matches the disguised spellings of what it
// spells ("d0nt t3ll", "ԁont tell", "dont t e l l", "dont telllll",
// "dont t*ll") without listing them.
//
// A regex is rewritten, not expanded: its literal characters are folded as
// a phrase's are (case, diacritics, homoglyphs, leetspeak inside words,
// apostrophes, word equivalences), and everything else (classes of digits,
// repetition, free-text slots, anchors) is kept, so the forms cost one
// regex per view, not one per spelling.
//
// Why rewrite regexes rather than replace them with a finite phrase syntax:
// measured on rulesets/child_safety, see rulesets/child_safety/README.md
// ("Regex terms and the folds").
#ifndef WATCHWORD_SRC_COMPILE_REGEX_FORMS_H_
#define WATCHWORD_SRC_COMPILE_REGEX_FORMS_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "src/engine/view_registry.h"
#include "src/normalize/fold.h"

namespace watchword {

// One regex term in the form each matcher matches, by MatcherSlot
// (view_registry.h). Each is RE2 syntax that compiles under both backends,
// with every literal letter case folded; empty where the ruleset does not
// enable the slot's folds (MatcherSlotSpec::folds), and for kBaseSlot,
// which takes the regex as written. A whole literal word with a class of
// equivalents (Normalization.equivalences) is spelled as the slot's view
// holds it, as a phrase's forms spell it (lower.cc), so an author writes
// "your" once, not "(your|ur|yr)":
//   folded            literals folded; for the folded view (and the joined
//                     view's words). A word of a class becomes its
//                     canonical word, as in the folded text: "(your|ur)"
//                     folds to "(your|your)". The Hyperscan backend reads
//                     the strings of such a regex (regex_literals.h);
//                     spelling both would double them.
//   joined            folded without its literal spaces, \s and \b
//                     ("\b(dont|do not) tell" -> "(dont|donot)tell"), for
//                     runs the joined view joined, whose words are not
//                     folded to their equivalents: a word of a class is
//                     any of its words ("(?:your|ur|yr)").
//   squeezed          folded with runs of 2+ identical literal letters cut
//                     to one, for the squeezed views; squeezed_joined is
//                     joined alike. A canonical word stays whole too
//                     ("tmrwww" squeezes to "tmrw", then folds to
//                     "tomorrow").
//   masked            folded with each literal letter (and each class or
//                     escape that holds letters) also matching kMaskChar,
//                     for the masked view; masked_squeezed likewise from
//                     squeezed. Masked words skip equivalences, so a word
//                     of a class is any of its words, as in joined.
// An apostrophe between two literal letters ("don't", "don['’]?t") is
// folded away as the folded views drop it, so "don't" is the word "dont"
// and has its class ("dnt"); each form still lets the apostrophe stand,
// as a view keeps it before a letter drawn with several symbols
// ("don'-|-" folds to "don't").
struct RegexForms {
  std::array<std::string, kMatcherSlots> forms;

  const std::string& operator[](MatcherSlot slot) const { return forms[slot]; }
};

// The forms of `regex` (RE2 syntax, validated) under `config`. Returns
// nullopt where `regex` uses syntax this does not rewrite (flags groups,
// named groups, \Q...\E, POSIX classes, upper-case ranges) or a form would
// match the empty string: such a regex runs on the base view only, as
// before.
std::optional<RegexForms> LowerRegexForms(std::string_view regex,
                                          const FoldConfig& config);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_REGEX_FORMS_H_
