// The registry of views: which views of a text a Scanner matches, which
// phrase form and matcher each runs, and how the compiler derives that form.
// Pattern forms (pattern.h), an EngineRep's matchers (engine_rep.h), the
// matcher plan and its engine-file databases (matcher_plan.h), the lowered
// form's pattern table (lowered_form.h), the Scanner's matcher slots
// (scanner.cc) and the names MatchedViews() reports (views.h) all come from
// the two tables below.
//
// Adding a view:
//   1. a MatcherSlot and a kMatcherSlotSpecs row if it needs a phrase form
//      of its own: `folds` says which transforms the form has, and the
//      compiler derives it from them (Lowerer::PhraseForms in lower.cc,
//      LowerRegexForms in regex_forms.cc); bump kEngineFileFormatVersion
//      (engine_file.h), since the pattern table grows a form;
//   2. a ViewKind and a kViewSpecs row: its name and the slots it runs;
//   3. the step that makes it, in the view sequence (view_sequence.cc),
//      which orders the views and chains each from the one it builds on;
//   4. its name in the View::name list (views.h and the Python docstrings).
// A new disguise class needs none of this: it is a row of the disguise
// table (src/normalize/disguise_table.cc), which the folded views read.
#ifndef WATCHWORD_SRC_ENGINE_VIEW_REGISTRY_H_
#define WATCHWORD_SRC_ENGINE_VIEW_REGISTRY_H_

#include <cstddef>
#include <cstdint>

#include "src/normalize/fold.h"

namespace watchword {

// A matcher of an Engine, and the phrase form of each pattern it matches.
// Also the order of the engine file's Hyperscan databases and of each
// pattern's forms in the lowered form: appending keeps the earlier ones.
enum MatcherSlot : uint8_t {
  kBaseSlot,            // Regexes as written, on the base view.
  kFoldedSlot,          // Phrases and folded regexes.
  kJoinedSlot,          // Phrases without spaces ("sendpics").
  kSqueezedSlot,        // Phrases with letter runs cut to one.
  kSqueezedJoinedSlot,  // Phrases without spaces, runs cut to one.
  kMaskedSlot,          // Regexes of phrases whose letters may be masks.
  kMaskedSqueezedSlot,  // Likewise, runs cut to one.
  kMatcherSlots,
};

// Words run together ("areyouhomealone") are matched against phrases
// without spaces (as a whole word, or inside it: MayCountInsideWord in
// scanner.cc) in the joined view of text with a word this long: a phrase of
// several words run together is rarely shorter ("freerobux"), and ordinary
// words rarely this long, so most text pays nothing. At 8 letters
// ("giftcard") the 128-byte benchmark messages cost 28% more instructions
// (scripts/instructions.sh); at 9, nothing more than at 10. A shorter
// phrase without spaces ("rualone", "giftcard") is matched as a whole word
// in the folded view instead: the folded matcher holds it as a literal
// (PlanMatchers in matcher_plan.cc), so benign text pays no lookup.
inline constexpr size_t kRunTogetherLetters = 9;

// One row of kMatcherSlotSpecs.
struct MatcherSlotSpec {
  MatcherSlot slot;
  // Stable name of the matcher, used in engine files and messages.
  const char* name;
  // The transforms the form has beyond the folded phrase: kFoldSpacing
  // (spaces dropped), kFoldRepeat (letter runs cut to one), kFoldMask
  // (each letter may be a mask). The form exists only where the ruleset
  // enables every one of them. Unused for kBaseSlot.
  uint16_t folds;
  // A pattern may have several forms here (one per spelling of its words'
  // equivalents); otherwise at most one. How the lowered form stores it.
  bool several;
  // A phrase's form here is a regex (each letter a class with the mask).
  bool phrase_regex;
  // The matcher reports matches that start inside a word; the Scanner
  // decides which count (MayCountInsideWord in scanner.cc).
  bool inside_words;
  // Built even without patterns (scans always run the folded view);
  // otherwise a matcher without patterns stays null.
  bool required;
};

inline constexpr MatcherSlotSpec kMatcherSlotSpecs[kMatcherSlots] = {
    // slot, name, folds, several, phrase_regex, inside_words, required
    {kBaseSlot, "base", 0, false, false, false, false},
    {kFoldedSlot, "folded", 0, false, false, false, true},
    {kJoinedSlot, "joined", kFoldSpacing, true, false, true, false},
    {kSqueezedSlot, "squeezed", kFoldRepeat, false, false, false, false},
    {kSqueezedJoinedSlot, "squeezed_joined", kFoldSpacing | kFoldRepeat, true,
     false, true, false},
    {kMaskedSlot, "masked", kFoldMask, false, true, false, false},
    {kMaskedSqueezedSlot, "masked_squeezed", kFoldMask | kFoldRepeat, false,
     true, false, false},
};

// Which view of a text, in the order a Scanner first matches them. Internal:
// the public API names views by ViewKindName() (View::name, views.h), so
// these may change with folding.
enum class ViewKind : uint8_t {
  kBase,              // Normalize(): NFKC, case folded. Regexes run here.
  kFolded,            // base with diacritics, homoglyphs, leetspeak and
                      // chat-speak folded ("s3nd" -> "send"). Phrases.
  kMasked,            // folded with "*" and "#" inside words read as masks
                      // ("p*c"); only if the text has them.
  kMaskedJoined,      // folded with spaced letters joined, masks among
                      // them read, and split into term words ("s * n d m e
                      // a p * c" -> "s*nd me a p*c"); only if a mask is
                      // among them.
  kJoined,            // folded with runs of spaced letters joined
                      // ("s e n d" -> "send"); only if the text has a run.
  kSqueezedJoined,    // joined with letter runs cut to one, when the text
                      // has a run of 3+ ("s.e.n.dddd" -> "sen.d").
  kSqueezed,          // folded with letter runs cut to one ("sennnd" ->
                      // "send"); only if the text has a run of 3+.
  kMaskedSqueezed,    // squeezed with masks read ("p**cccc").
  kSqueezedRejoined,  // squeezed, then joined and squeezed again
                      // ("s.e.n.dddd").
};
inline constexpr size_t kViewKinds = 9;

// One row of kViewSpecs.
struct ViewSpec {
  ViewKind kind;
  // The stable snake_case name View::name carries.
  const char* name;
  // The folds the ruleset must enable for the view to be made (0: none).
  uint16_t trigger_folds;
  // What in the text calls for the view (view_sequence.cc checks it).
  const char* trigger;
  // The matchers that run on it, in order: a joined view meets phrases
  // with their spaces ("send pics") and without ("sendpics").
  MatcherSlot slots[2];
  uint8_t slot_count;
  // Letters may be masks: the view skips word equivalences (a mask splits
  // a word: "o*r" would become "o*are"), and a match must cover a letter.
  bool masked;
  // Spaced-out letters are joined in it: a match inside a joined run may
  // count (MayCountInsideWord in scanner.cc).
  bool joined;
};

inline constexpr ViewSpec kViewSpecs[kViewKinds] = {
    {ViewKind::kBase, "base", 0, "always", {kBaseSlot}, 1, false, false},
    {ViewKind::kFolded, "folded", 0, "always", {kFoldedSlot}, 1, false, false},
    {ViewKind::kMasked, "masked", kFoldMask, "a * or # inside a word",
     {kMaskedSlot}, 1, true, false},
    // The masked phrases keep their spaces: the view splits its runs into
    // words rather than have a form of each phrase without them.
    {ViewKind::kMaskedJoined, "masked_joined", kFoldMask | kFoldSpacing,
     "a * or # among letters spaced out", {kMaskedSlot}, 1, true, false},
    {ViewKind::kJoined, "joined", kFoldSpacing,
     "letters spaced out, a separator inside a word, or a word of 9+ letters",
     {kFoldedSlot, kJoinedSlot}, 2, false, true},
    {ViewKind::kSqueezedJoined, "squeezed_joined", kFoldSpacing | kFoldRepeat,
     "a letter run in the joined view",
     {kSqueezedSlot, kSqueezedJoinedSlot}, 2, false, true},
    {ViewKind::kSqueezed, "squeezed", kFoldRepeat,
     "a letter run of 3+ (2+ with squeeze_all_runs)",
     {kSqueezedSlot}, 1, false, false},
    {ViewKind::kMaskedSqueezed, "masked_squeezed", kFoldMask | kFoldRepeat,
     "a mask in the squeezed view", {kMaskedSqueezedSlot}, 1, true, false},
    {ViewKind::kSqueezedRejoined, "squeezed_rejoined",
     kFoldSpacing | kFoldRepeat,
     "letters spaced out in the squeezed view",
     {kSqueezedSlot, kSqueezedJoinedSlot}, 2, false, true},
};

// Returns the row of `kind`.
constexpr const ViewSpec& ViewSpecOf(ViewKind kind) {
  return kViewSpecs[static_cast<size_t>(kind)];
}

// Returns the stable snake_case name of `kind` that View::name carries.
constexpr const char* ViewKindName(ViewKind kind) {
  return ViewSpecOf(kind).name;
}

namespace view_registry_internal {
constexpr bool RowsInOrder() {
  for (size_t i = 0; i < kMatcherSlots; ++i) {
    if (kMatcherSlotSpecs[i].slot != i) return false;
  }
  for (size_t i = 0; i < kViewKinds; ++i) {
    if (static_cast<size_t>(kViewSpecs[i].kind) != i) return false;
    if (kViewSpecs[i].slot_count < 1 || kViewSpecs[i].slot_count > 2) {
      return false;
    }
  }
  return true;
}
}  // namespace view_registry_internal
static_assert(view_registry_internal::RowsInOrder(),
              "each row of kMatcherSlotSpecs and kViewSpecs sits at the "
              "index of its slot or kind");

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_VIEW_REGISTRY_H_
