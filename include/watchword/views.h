// The views of a text that an Engine matches, exposed for debugging rules:
// why "s 3 n d ur p*c" matched, and which disguises were seen through.
//
// A Scanner does not match the original text. It matches regexes on the
// base view (Normalize(), normalizer.h) and phrases on folded views, each
// made only when the text holds what it undoes: spaced letters are joined
// only in text with a run of spaced letters, masks read only in text with
// a "*" or "#", and so on. MatchedViews() returns those views, from the
// code the Scanner runs, so what it shows is what was matched.
#ifndef WATCHWORD_VIEWS_H_
#define WATCHWORD_VIEWS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "watchword/engine.h"
#include "watchword/export.h"
#include "watchword/scanner.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

// One view of a text, as a Scanner matched it. A plain value: owns its
// data, copyable, not tied to the Engine or the text it came from.
struct WATCHWORD_EXPORT View {
  // Which view this is, unique among the views of one text. A stable name,
  // in the order a Scanner matches them:
  //   "base"              Normalize(): NFKC, case folded. Regexes run here.
  //   "folded"            base with diacritics, homoglyphs, leetspeak and
  //                       chat-speak folded ("s3nd" -> "send"). Phrases.
  //   "masked"            folded with "*" and "#" inside words read as masks
  //                       ("p*c").
  //   "masked_joined"     folded with spaced letters joined, masks among
  //                       them read, and split into the words of the
  //                       rules' terms ("s * n d m e" -> "s*nd me").
  //   "joined"            folded with runs of spaced letters joined
  //                       ("s e n d" -> "send").
  //   "squeezed_joined"   joined with letter runs cut to one
  //                       ("s.e.n.dddd" -> "sen.d").
  //   "squeezed"          folded with letter runs cut to one ("sennnd").
  //   "masked_squeezed"   squeezed with masks read ("p**cccc").
  //   "squeezed_rejoined" squeezed, then joined and squeezed again.
  // A view of the second fold (`alternate_leet`) has "alternate_" in front.
  // Later versions may add views; a name, once given, keeps its meaning.
  std::string name;
  // True for the views of the second fold, made when the text holds a
  // stand-in that may mean either of two letters ("1" is "i" in "p1c" but
  // "l" in "1ove"): the second fold reads such stand-ins the other way.
  bool alternate_leet = false;
  // The view, as UTF-8. A folded view holds code points the matchers see:
  // "*" for a mask, canonical words for chat-speak ("you" for "u").
  std::string text;
  // Byte i of `text` came from original bytes [begin[i], end[i]): the
  // view's map to the base view composed with the base view's map to the
  // original. Sizes are text.size(); begin[i] < end[i].
  std::vector<uint32_t> begin;
  std::vector<uint32_t> end;
  // The folds that produced byte i of `text`: bit (f - 1) is set for each
  // v1::Fold f. Zero in the base view. See Folds().
  std::vector<uint16_t> fold_bits;

  // Returns the folds that produced byte `i`, in enum order.
  // REQUIRES: i < text.size().
  std::vector<v1::Fold> Folds(size_t i) const;

  // Maps view bytes [b, e) to original bytes [*ob, *oe).
  // REQUIRES: b < e <= text.size().
  void OriginalSpan(size_t b, size_t e, uint32_t* ob, uint32_t* oe) const {
    *ob = begin[b];
    *oe = end[e - 1];
  }
};

// Returns every view `engine` matches when it scans `text` as a field, in
// the order a Scanner matches them: the base view, then the folded views
// whose triggers occur in `text`, then, if `text` holds an ambiguous
// stand-in and the ruleset folds leetspeak, the second fold's views. The
// base view is always first, also for a ruleset without regexes: every
// match's offsets pass through it.
//
// Returns InvalidArgument, as Scanner::Scan() does, if `text` exceeds
// `options.max_field_bytes`.
//
// Thread-safe: `engine` is only read. Allocates per call; it is for
// debugging and tools, not for the scan path.
WATCHWORD_EXPORT absl::StatusOr<std::vector<View>> MatchedViews(
    const Engine& engine, absl::string_view text,
    const ScanOptions& options = {});

}  // namespace watchword

#endif  // WATCHWORD_VIEWS_H_
