// View transforms: what makes the squeezed, joined and masked views (fold.h
// lists them) from the folded view, and applies word equivalences to any of
// them, with the cheap checks that rule a view out before it is made.
// src/scan/view_sequence.h calls them in order for each field; the compiler
// (src/compile/phrase_forms.h) applies the same transforms to phrases.
#ifndef WATCHWORD_SRC_NORMALIZE_VIEW_TRANSFORMS_H_
#define WATCHWORD_SRC_NORMALIZE_VIEW_TRANSFORMS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "src/normalize/fold.h"
#include "src/normalize/fold_config.h"
#include "src/normalize/vocabulary.h"

namespace watchword {

// The character masks become in the masked view.
inline constexpr char kMaskChar = '*';

// Reusable buffers of JoinSpacedLetters() and ApplyEquivalences(), so that
// neither allocates per call once they have grown. Keep one per thread
// (ViewScratch in src/scan/view_sequence.h holds one); what they hold
// between calls means nothing.
struct TransformScratch {
  std::vector<uint8_t> kinds;    // JoinSpacedLetters(): per unit.
  std::vector<size_t> letters;   // JoinSpacedLetters(): one run's letters.
  bool joined_number = false;    // JoinSpacedLetters(): a run held one.
  bool joined_words = false;     // JoinSpacedLetters(): a run had words.
  std::string word;              // ApplyEquivalences(): the word looked up,
  std::string before, after;     // and the words either side of it.
  std::vector<uint8_t> word_start;  // JoinMaskedLetters(): per letter.
  std::vector<uint32_t> earliest;   // JoinSpacedPieces(): per letter,
  struct UnitRange {
    size_t begin, end;
  };
  std::vector<UnitRange> pieces;     // the words of a sequence,
  std::vector<UnitRange> stretches;  // and the stretches joined.
};

// True if `text` holds any byte of `bytes`. For a few bytes (the masks
// "*#", the ambiguous stand-ins), one memchr() each, which reads 16 or 32
// bytes at a time; else one table lookup per byte of `text`
// (std::string::find_first_of calls memchr once per byte of `text`).
inline bool HasAnyOf(std::string_view text, std::string_view bytes) {
  if (bytes.size() <= 4) {
    for (char b : bytes) {
      if (std::memchr(text.data(), b, text.size()) != nullptr) return true;
    }
    return false;
  }
  bool wanted[256] = {};
  for (char b : bytes) wanted[static_cast<uint8_t>(b)] = true;
  bool found = false;
  for (char c : text) found |= wanted[static_cast<uint8_t>(c)];
  return found;
}

// Whether an ASCII folded view may hold what SqueezeRepeats() and
// JoinSpacedLetters() undo: cheap byte checks, true when in doubt.
// With a `config`, MaySqueeze() also looks for what SqueezeRepeats() with
// that config squeezes.
bool MaySqueeze(std::string_view folded, const FoldConfig* config = nullptr);
bool MayJoin(std::string_view folded, const FoldConfig& config);
// For an ASCII folded view MayJoin() passed: false where neither
// JoinSpacedLetters() nor JoinSpacedPieces() can join anything and
// HasInWordSeparator() finds nothing in its units (UnitsOfAsciiView()),
// true when in doubt. MayJoin() counts single letters in the whole text;
// this reads them between words of 5 letters or more, which end runs and
// stretches ("i think i can go later i" has none). Reads byte by byte, for
// the few texts MayJoin() passes.
bool MayJoinAsciiView(const FoldedView& view, const FoldConfig& config);

// If `in` has a run of 3+ identical letters (or `force`), cuts every run
// of 2+ identical letters to one and returns true; otherwise returns false,
// leaving *out empty. Phrases are squeezed the same way (with `force`), so
// "dontttt telllll" meets "don't tell" as "dont tel" whatever each word's
// own double letters. With a `config`, a run of 3+ identical symbols of its
// leetspeak map (not "!" or digits), stretched as letters are ("thi$$$$$",
// "pi<<<<"), is cut to one too, and beside a letter counts as a stretch;
// ReadStandIns() (fold.h) then reads it in its word.
bool SqueezeRepeats(const FoldUnits& in, bool force, FoldUnits* out,
                    const FoldConfig* config = nullptr);

// Cuts each run of 3+ identical stand-ins beside a letter that
// SqueezeRepeats() with `config` would cut, and nothing else: "schoo|||" is
// "schoo|", whose word ReadStandIns() (fold.h) can still read ("school")
// before its letters are squeezed. Returns false, leaving *out empty, if
// there is no such run.
bool SqueezeStandIns(const FoldUnits& in, const FoldConfig& config,
                     FoldUnits* out);

// Joins runs of 3+ single letters separated by spaces or symbols ("s e n d",
// "s.e.n.d", "s 3 n d": single digits and symbols of the leetspeak map count
// as letters there, but a run needs 2 real letters, so "5 5 5" stays).
// With `keep_numbers`, the digits of a run stay digits: "1 0 0 0 r o b u
// x" is a number and a word, "g r a d e 7" a word and a number, "5 3 1 f 1
// e" a word; the joined view is made both ways where a run has a digit,
// which it sets scratch->joined_number to say. A currency sign before a
// digit ("$1 0 0") is no letter of a run. With `keep_word_spaces`, a run
// dotted within words and spaced between them ("u s.h.o.u.l.d t.e.l.l",
// "s. e. n. d m. e") keeps the gaps between its words: "u shouldnt tell";
// scratch->joined_words says a run has such gaps. (Without, words glued by
// a mark, "s;e~n-d m;e;a", stay one run.) Returns false, leaving *out empty, if
// there is no such run. Uses *scratch's buffers.
bool JoinSpacedLetters(const FoldUnits& in, const FoldConfig& config,
                       TransformScratch* scratch, FoldUnits* out,
                       bool keep_numbers = false,
                       bool keep_word_spaces = false);

// JoinSpacedLetters() for the masked joined view: a mask (* or #) among
// spaced-out letters ("p * c", "s.*.n.d") is a letter of their run, though
// not a real one, and becomes kMaskChar tagged kFoldMask; each run is then
// split into words of `vocabulary` (Vocabulary::SplitMaskedRun): "s * n d
// m e a p * c" is "s*nd me a p*c", which the masked phrases meet with
// their spaces. Returns false, leaving *out empty, if no run holds a mask.
// Uses *scratch's buffers.
bool JoinMaskedLetters(const FoldUnits& in, const FoldConfig& config,
                       const Vocabulary& vocabulary, TransformScratch* scratch,
                       FoldUnits* out);

// Words run together and then spaced out ("s e n dm eap i c", "o.u.rl.i.t"):
// joins each stretch of pieces of 1 to 4 letters (or leetspeak stand-ins),
// separated as JoinSpacedLetters()' letters are, that holds 3+ single
// letters, a longer piece and fewer longer pieces than single letters,
// and whose letters read as words of
// `vocabulary` ("sendmeapic": send, me, a, pic). A longer word may end or
// start a stretch ("w.a.t'.surage"), and the words may end inside its last
// piece ("o.ub.t.w": "you", then "b"). Ordinary short words in a row rarely
// read so ("i c u at 5"). Returns false, leaving *out empty, if no stretch
// does. Uses *scratch's buffers.
bool JoinSpacedPieces(const FoldUnits& in, const FoldConfig& config,
                      const Vocabulary& vocabulary, TransformScratch* scratch,
                      FoldUnits* out);

// Words run together with masks ("s*ndmeap*c"): in a view from MaskView(),
// splits each word of 6+ characters that holds a mask into words of
// `vocabulary` (Vocabulary::SplitMaskedRun), with an empty space where each
// starts ("s*nd me a p*c"), if they cover the word and are 2 or more.
// Returns false, leaving *out empty, if no word splits so. Uses *scratch's
// buffers.
bool SplitMaskedWords(const FoldUnits& in, const Vocabulary& vocabulary,
                      TransformScratch* scratch, FoldUnits* out);

// Reads, in place, each run of letters of a joined view that holds a
// letter a stand-in of two meanings made ("1" is "i" or "l":
// FoldConfig::OtherLetter()) as the words of `vocabulary` it spells, each
// such letter in the meaning a word needs: "ouriittlesecret" (from "o u r
// 1 1 t 7 l 3 ...") is "ourlittlesecret", where each reading alone gives
// "ii" or "ll". Returns whether it changed a letter. Uses *scratch's
// buffers.
bool ReadAmbiguousRuns(const FoldConfig& config, const Vocabulary& vocabulary,
                       TransformScratch* scratch, FoldUnits* units);

// Drops, in place, the spaces that a separator between two letters (or a
// leetspeak stand-in beside a letter, "$😀end") became in the folded view
// ("se😀nd", "se_nd" are "se nd" there), joining the letters ("send"); the
// separator's bytes and folds go to the letter before it. Real spaces stay. Returns whether it dropped one. The joined view
// applies it: a word split by an emoji is one word there, and words run
// together by emoji ("how😀old😀are") meet the phrases without spaces.
bool DropInWordSeparators(FoldUnits* units);

// Whether DropInWordSeparators() would drop something in `units`.
bool HasInWordSeparator(const FoldUnits& units);

// If `in` has mask characters (* or #) inside a word ("p*c", "s#x", "f**k"),
// writes the view with each such character turned into kMaskChar and tagged
// kFoldMask, and returns true; otherwise returns false, leaving *out empty.
// Phrases meet it through MaskedPhraseRegex() (src/compile/phrase_forms.h).
bool MaskView(const FoldUnits& in, FoldUnits* out);

// True if a masked-view match is a plausible masking of a word rather than
// a row of symbols: at least one mask, at least two real letters, and no
// more masks than real letters.
bool MaskedMatchIsPlausible(std::string_view matched);

// If a whole word of `in` is in config.equivalences() (and the chat-speak
// fold is on), writes `in` with such words replaced by their canonical word
// to *out and returns true. Otherwise returns false: `in` is the result,
// and *out is unspecified. Uses *scratch's buffers.
bool ApplyEquivalences(const FoldUnits& in, const FoldConfig& config,
                       TransformScratch* scratch, FoldUnits* out);

// Word equivalences for a view from FoldAscii(): if a whole word of `in`
// has an equivalent, writes to *out what ApplyEquivalences + EncodeView
// would give and returns true; otherwise (most texts) returns false, and
// `in` is the view to match, as it is.
bool ApplyAsciiEquivalences(const FoldedView& in, const FoldConfig& config,
                            FoldedView* out);

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_VIEW_TRANSFORMS_H_
