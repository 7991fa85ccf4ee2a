// The unit a matcher looks for: one distinct literal or regex, after
// normalization. Rules refer to patterns through TermRefs (engine_rep.h), so
// a phrase used by many rules is matched once.
//
// Literals are matched in the folded views of the text (src/normalize/
// fold.h); regexes in the base view, and in the folded views in the forms
// src/compile/regex_forms.h gives them.
#ifndef WATCHWORD_SRC_ENGINE_PATTERN_H_
#define WATCHWORD_SRC_ENGINE_PATTERN_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "src/engine/view_registry.h"

namespace watchword {

struct Pattern {
  enum class Kind : uint8_t {
    kLiteral,  // `text` is a normalized phrase, matched byte for byte.
    kRegex,    // `text` is RE2 syntax, matched case-insensitively.
    kSignal,   // No matcher: the scanner finds it (`text` names it).
  };
  Kind kind = Kind::kLiteral;
  // Literal: the folded phrase. Regex: its source.
  std::string text;
  // Literal: the phrase in the base view (NFKC, case folded), to tell a
  // plain occurrence from a disguised one. Regex: empty.
  std::string base_text;
  // The pattern in the form each matcher matches, by MatcherSlot
  // (view_registry.h); empty where it has none there. kBaseSlot's stays
  // empty: that matcher takes regexes as written. So does kFoldedSlot's
  // for a literal, whose form there is `text`.
  //
  // Regex: RegexForms (src/compile/regex_forms.h), one per slot; none if
  // the regex runs on the base view only.
  //
  // Literal: from the folded phrase with the slot's transforms
  // (MatcherSlotSpec::folds), where the ruleset enables them:
  //   joined            the phrase without spaces, matched where spaced-out
  //                     letters were joined ("s e n d m e" -> "sendme"),
  //                     once per spelling of its words' equivalents
  //                     ("sendmeapix" too), since a joined run has no words
  //                     left to fold; none if the phrase is one word.
  //   squeezed          runs of 2+ identical letters cut to one.
  //   squeezed_joined   each joined form squeezed alike.
  //   masked            a regex matching the phrase with letters masked
  //                     ("p*c"), each word in any spelling of its
  //                     equivalence class ("p*x").
  //   masked_squeezed   likewise for the masked squeezed view, where a
  //                     double letter is one place, or two if a mask took
  //                     one ("lit*le").
  std::array<std::vector<std::string>, kMatcherSlots> forms;
  // Match inside words; otherwise occurrences must sit on word boundaries.
  bool substring = false;
  // Regex: whether the Hyperscan backend may look for the strings its
  // matches contain instead of the regex (src/engine/regex_literals.h). On
  // for regex terms; off for the masked views' regexes, which have a class
  // per letter and so 2^letters strings.
  bool literal_prefilter = false;
  // Regex: whether every literal character in it is case folded already,
  // as in the masked views' regexes, built from folded phrases. The text is
  // case folded too, so the Hyperscan backend matches such a regex without
  // HS_FLAG_CASELESS: caseless UTF-8 took twice as long to compile (1.5 s
  // for each masked view of the bundled ruleset) and finds nothing more.
  bool case_folded = false;

  bool operator==(const Pattern& other) const {
    return kind == other.kind && text == other.text &&
           substring == other.substring;  // The other texts follow from these.
  }
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_PATTERN_H_
