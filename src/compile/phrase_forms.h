// The forms of a phrase term for the views (src/normalize/fold.h): the
// phrase folded, squeezed and masked as the scanner folds, squeezes and
// masks text, built once at compile time by lowering (lower.cc) and by the
// regex forms (regex_forms.h) for a regex's literal words. The scanner
// needs none of this: it meets the forms through the engine's matchers.
#ifndef WATCHWORD_SRC_COMPILE_PHRASE_FORMS_H_
#define WATCHWORD_SRC_COMPILE_PHRASE_FORMS_H_

#include <string>
#include <string_view>

#include "src/normalize/fold_config.h"

namespace watchword {

// The folded form of a term: Normalize, FoldBase, ApplyEquivalences.
std::string FoldPhrase(std::string_view phrase, const FoldConfig& config);

// The folded form of a term with every run of 2+ identical letters cut to
// one, for the squeezed views.
std::string SqueezePhrase(std::string_view phrase, const FoldConfig& config);

// `folded` (already folded text) with every run of 2+ identical letters cut
// to one.
std::string SqueezeFolded(std::string_view folded);

// The RE2 regex that matches a folded phrase with any of its letters
// masked: each letter L becomes (?:L|\*). Whether enough letters are real
// is for the caller to check (MaskedMatchIsPlausible, view_transforms.h).
std::string MaskedPhraseRegex(std::string_view folded);

// MaskedPhraseRegex() for the masked squeezed view, from the phrase before
// squeezing: a double letter is one place, or two where a mask stands for
// one of them ("lit*le" in "lit*leeee" for "little").
std::string MaskedSqueezedPhraseRegex(std::string_view folded);

// RE2 syntax that matches `s` literally: a backslash before every ASCII
// byte that is not a letter, digit or underscore; other bytes (UTF-8) as
// they are.
std::string QuoteMeta(std::string_view s);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_PHRASE_FORMS_H_
