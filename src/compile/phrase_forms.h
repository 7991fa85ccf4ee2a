// The forms of a phrase term for the views (src/normalize/fold.h): the
// phrase folded, squeezed and masked as the scanner folds, squeezes and
// masks text, built once at compile time by lowering (lower.cc) and by the
// regex forms (regex_forms.h) for a regex's literal words. The scanner
// needs none of this: it meets the forms through the engine's matchers.
#ifndef WATCHWORD_SRC_COMPILE_PHRASE_FORMS_H_
#define WATCHWORD_SRC_COMPILE_PHRASE_FORMS_H_

#include <string>
#include <string_view>
#include <vector>

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

// The spellings of the folded word `word` in words typed together beyond
// its equivalences ("switch2discord"): with kFoldChatSpeak, the shipped
// stand-ins for it (ShippedStandInWords: "2" for "to", "ya" for "you")
// that `config`'s equivalences do not claim, which the folds read as the
// word only beside another word of a phrase.
std::vector<std::string> RunStandIns(std::string_view word,
                                     const FoldConfig& config);

// How the folds read `spelling` among letters, where it has a digit
// ("4" is "a" in "somature4yrage"), or "" where that is `spelling` itself.
std::string ReadingAmongLetters(std::string_view spelling,
                                const FoldConfig& config);

// RE2 syntax that matches `s` literally: a backslash before every ASCII
// byte that is not a letter, digit or underscore; other bytes (UTF-8) as
// they are.
std::string QuoteMeta(std::string_view s);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_PHRASE_FORMS_H_
