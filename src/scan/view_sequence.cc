#include "src/scan/view_sequence.h"

#include <bit>

#include "absl/strings/str_cat.h"
#include "src/normalize/ascii_bytes16.h"
#include "src/normalize/ascii_bytes8.h"
#include "watchword/status_macros.h"

namespace watchword {

namespace {

// For 8 bytes at `p`: bit k is set if byte k is an ASCII letter
// (ascii_bytes8.h). REQUIRES: little-endian.
uint64_t LetterByteMask8(const uint8_t* p) {
  const uint64_t raw = bytes8::Load(p);
  return bytes8::Gather8(bytes8::Letters(bytes8::Low7(raw)) &
                         bytes8::Ascii(raw));
}

// Whether ASCII `text` has a run of kRunTogetherLetters letters or more.
// Runs on every ASCII message: a mask of letters 64 bytes at a time, in
// which a run is kRunTogetherLetters one bits, costs a tenth of a loop
// that counts the run byte by byte.
bool HasLongWord(std::string_view text) {
  static_assert(kRunTogetherLetters == 9);
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t run = 0;  // Letters that end the blocks before this one.
  for (size_t block = 0; block < n; block += 64) {
    const size_t size = n - block < 64 ? n - block : 64;
    uint64_t letters = 0;  // Bit k: byte block + k is a letter.
    size_t k = 0;
#if WATCHWORD_USE_SSE2
    for (; k + 16 <= size; k += 16) {
      const __m128i x = bytes16::Load(p + block + k);
      letters |= bytes16::Gather16(bytes16::Letters(x)) << k;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
      for (; k + 8 <= size; k += 8) {
        letters |= LetterByteMask8(p + block + k) << k;
      }
    }
    for (; k < size; ++k) {
      letters |= static_cast<uint64_t>(
                     static_cast<uint8_t>((p[block + k] | 0x20) - 'a') < 26)
                 << k;
    }
    // A run that began in a block before.
    if (run + std::countr_one(letters) >= kRunTogetherLetters) return true;
    // Bit k of `nine`: bytes k to k + 8 of the block are letters.
    uint64_t nine = letters & (letters >> 1);  // Two.
    nine &= nine >> 2;                         // Four.
    nine &= nine >> 4;                         // Eight.
    nine &= letters >> 8;                      // Nine.
    if (nine != 0) return true;
    run = size == 64 && letters == ~uint64_t{0}
              ? run + 64
              : static_cast<size_t>(std::countl_one(letters << (64 - size)));
  }
  return false;
}

// HasLongWord() for units.
bool HasLongWord(const FoldUnits& units) {
  size_t run = 0;
  for (const FoldUnit& u : units) {
    run = (u.kind & kUnitLetter) ? run + 1 : 0;
    if (run >= kRunTogetherLetters) return true;
  }
  return false;
}

// Copies `in` to *out with the digits of `base` (the base view) that the
// leetspeak fold read as letters put back ("you2obucks" of "you20bucks"
// is "you20bucks" again); returns false, leaving *out alone, if there are
// none.
bool KeepDigits(const FoldedView& in, std::string_view base,
                FoldedView* out) {
  bool copied = false;
  const size_t n = in.text.size();
  for (size_t i = 0; i < n;) {
    // [i, j): the bytes of one base span.
    size_t j = i + 1;
    while (j < n && in.begin[j] == in.begin[i] && in.end[j] == in.end[i]) ++j;
    const size_t b = in.begin[i], e = in.end[i];
    bool digits = (in.folds[i] & kFoldLeetspeak) && e - b == j - i;
    for (size_t k = b; digits && k < e; ++k) {
      digits = base[k] >= '0' && base[k] <= '9';
    }
    if (digits) {
      if (!copied) *out = in;
      copied = true;
      for (size_t k = i; k < j; ++k) {
        out->text[k] = base[b + (k - i)];
        out->folds[k] &= static_cast<uint16_t>(~kFoldLeetspeak);
      }
    }
    i = j;
  }
  return copied;
}

// Gives *out room for as many units as `in`, which bounds what the joins
// and squeezes below write from `in`. Sized once, a buffer for a large field
// is faulted in once: grown by doubling, it would touch about twice
// what it keeps, which a Scanner pays again after every field over the
// high-water mark, its buffers having been released.
void ReserveFor(const FoldUnits& in, FoldUnits* out) {
  if (out->capacity() < in.size()) out->reserve(in.size());
}

// Calls `visit` for each view a folded field has under `config`.
class FoldedViews {
 public:
  FoldedViews(const EngineRep& engine, const FoldConfig& config,
              bool alternate_leet, ViewScratch* scratch,
              absl::FunctionRef<absl::Status(const ViewStep&)> visit)
      : engine_(engine),
        config_(config),
        alternate_leet_(alternate_leet),
        s_(*scratch),
        visit_(visit) {}

  absl::Status Run(std::string_view text);

 private:
  // The views Run() makes from s_.folded_units, where the folded view may
  // have what they undo. Out of line: most ASCII messages need none of
  // them, and the code every scan runs stays small.
  [[gnu::noinline]] absl::Status RunOnUnits(bool join_folded, bool repeats,
                                            bool masks);

  // Run() for text the ASCII fast path does not fold, and the joined view
  // of a long word in ASCII text. Out of line, as RunOnUnits() is: a benign
  // ASCII message runs neither, and the code it does run stays together.
  [[gnu::noinline]] absl::Status RunOnText(std::string_view text, bool masks);
  [[gnu::noinline]] absl::Status VisitAsciiJoined();

  // Visits the view scratch.view already holds.
  absl::Status Visit(ViewKind kind) {
    return visit_(ViewStep{kind, alternate_leet_, &s_.view});
  }

  // Encodes `units`, after word equivalences, into scratch.view and visits
  // it. Units FoldBase() left `unfolded` are the base view; unless an
  // equivalence changes them, the base view itself is visited (most text in
  // one script), matched where it is rather than encoded again.
  absl::Status EncodeAndVisit(const FoldUnits& units, ViewKind kind,
                              bool unfolded = false) {
    // A mask splits a word for ApplyEquivalences ("o*r" would become
    // "o*are"), so the masked views go without equivalences.
    if (!ViewSpecOf(kind).masked &&
        ApplyEquivalences(units, engine_.fold_config, &s_.transform,
                          &s_.equivalent_units)) {
      EncodeView(s_.equivalent_units, &s_.view);
    } else if (unfolded) {
      return visit_(ViewStep{kind, alternate_leet_, nullptr});
    } else {
      EncodeView(units, &s_.view);
    }
    return Visit(kind);
  }

  // Words typed together with a number ("venmoyou20bucks", "year8at"):
  // the joined view in s_.view read its digits as leetspeak; they may be a
  // number too, as JoinSpacedLetters() keeps them for spaced-out letters.
  // s_.equivalent_view is free once the folded view is visited.
  absl::Status VisitJoinedNumbers() {
    if (!KeepDigits(s_.view, s_.normalized.text, &s_.equivalent_view)) {
      return absl::OkStatus();
    }
    return visit_(
        ViewStep{ViewKind::kJoined, alternate_leet_, &s_.equivalent_view});
  }

  // Reads the look-alikes of the capital "I" in `units`, a view that made
  // their words whole, by those words (ReadCapitalIInWords()). Text the
  // ASCII fast path folded has none.
  void ReadCapitalI(FoldUnits* units) {
    if (!ascii_) ReadCapitalIInWords(text_, s_.normalized, config_, units);
  }

  const EngineRep& engine_;
  const FoldConfig& config_;
  const bool alternate_leet_;
  std::string_view text_;  // As written.
  bool ascii_ = true;      // Folded by the ASCII fast path.
  ViewScratch& s_;
  absl::FunctionRef<absl::Status(const ViewStep&)> visit_;
};

// The folded view, and the masked, joined and squeezed views when the text
// has what they undo.
absl::Status FoldedViews::Run(std::string_view text) {
  const bool spacing = config_.enabled & kFoldSpacing;
  bool masks = (config_.enabled & kFoldMask) && engine_.matchers[kMaskedSlot];
  if (!FoldAscii(text, s_.normalized, config_, &s_.view)) {
    return RunOnText(text, masks);
  }
  // The ASCII fast path: no units unless a squeezed or joined view is
  // needed, which byte checks rule out for most messages. Word
  // equivalences, where a word has one, make a copy of the view: the
  // views below start from the view before them.
  if (ApplyAsciiEquivalences(s_.view, engine_.fold_config,
                             &s_.equivalent_view)) {
    WATCHWORD_RETURN_IF_ERROR(visit_(
        ViewStep{ViewKind::kFolded, alternate_leet_, &s_.equivalent_view}));
  } else {
    WATCHWORD_RETURN_IF_ERROR(Visit(ViewKind::kFolded));
  }
  if (spacing && engine_.matchers[kJoinedSlot] && HasLongWord(s_.view.text)) {
    WATCHWORD_RETURN_IF_ERROR(VisitAsciiJoined());
  }
  // Whether the folded view may have a run, or a separator in a word: a
  // whole-text byte check, then, on the few texts it passes, a closer one.
  const bool join_folded = spacing && MayJoin(s_.view.text, config_) &&
                           MayJoinAsciiView(s_.view, config_);
  const bool repeats =
      (config_.enabled & kFoldRepeat) &&
      (config_.squeeze_all_runs || MaySqueeze(s_.view.text, &config_));
  masks = masks && HasAnyOf(s_.view.text, "*#");
  if (!join_folded && !repeats && !masks) return absl::OkStatus();
  UnitsOfAsciiView(s_.view, &s_.folded_units);
  return RunOnUnits(join_folded, repeats, masks);
}

absl::Status FoldedViews::VisitAsciiJoined() {
  // s_.view is the folded view before equivalences; the phrases without
  // spaces spell every member of a class.
  WATCHWORD_RETURN_IF_ERROR(Visit(ViewKind::kJoined));
  return VisitJoinedNumbers();
}

absl::Status FoldedViews::RunOnText(std::string_view text, bool masks) {
  const bool spacing = config_.enabled & kFoldSpacing;
  text_ = text;
  ascii_ = false;
  const bool folded = FoldBase(text, s_.normalized, config_, &s_.folded_units);
  WATCHWORD_RETURN_IF_ERROR(EncodeAndVisit(s_.folded_units, ViewKind::kFolded,
                                           /*unfolded=*/!folded));
  if (spacing && engine_.matchers[kJoinedSlot] &&
      HasLongWord(s_.folded_units)) {
    EncodeView(s_.folded_units, &s_.view);
    WATCHWORD_RETURN_IF_ERROR(Visit(ViewKind::kJoined));
    WATCHWORD_RETURN_IF_ERROR(VisitJoinedNumbers());
  }
  // The folded view may have a run of either kind.
  return RunOnUnits(spacing, config_.enabled & kFoldRepeat, masks);
}

absl::Status FoldedViews::RunOnUnits(bool join_folded, bool repeats,
                                     bool masks) {
  const bool spacing = config_.enabled & kFoldSpacing;
  const bool repeat_fold = config_.enabled & kFoldRepeat;
  if (masks && MaskView(s_.folded_units, &s_.masked_units)) {
    WATCHWORD_RETURN_IF_ERROR(
        EncodeAndVisit(s_.masked_units, ViewKind::kMasked));
    // Words run together with masks ("s*ndmeap*c"), split into term words
    // as the masked joined view splits spaced-out letters.
    if (spacing && SplitMaskedWords(s_.masked_units, engine_.vocabulary,
                                    &s_.transform, &s_.variant_units)) {
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.variant_units, ViewKind::kMaskedJoined));
    }
  }
  // Masks among spaced-out letters ("s * n d", "p.*.c"), where the joined
  // view reads them as separators and the masked view sees no word.
  if (masks && spacing) ReserveFor(s_.folded_units, &s_.masked_units);
  if (masks && spacing &&
      JoinMaskedLetters(s_.folded_units, config_, engine_.vocabulary,
                        &s_.transform, &s_.masked_units)) {
    WATCHWORD_RETURN_IF_ERROR(
        EncodeAndVisit(s_.masked_units, ViewKind::kMaskedJoined));
  }
  if (join_folded) ReserveFor(s_.folded_units, &s_.variant_units);
  const bool joined =
      join_folded &&
      JoinSpacedLetters(s_.folded_units, config_, &s_.transform,
                        &s_.variant_units);
  if (joined) {
    ReadCapitalI(&s_.variant_units);  // "І_е.t,ѕ" joined is "lets".
    // "t-e-l-!" joined is "teli": its stand-ins read as its term word.
    ReadJoinedTermWords(config_, &s_.variant_units);
    WATCHWORD_RETURN_IF_ERROR(
        EncodeAndVisit(s_.variant_units, ViewKind::kJoined));
    // Spaced-out letters may be stretched too: "s e e e n d". Their run
    // forms only in the joined view, so `repeats`, which looked at the
    // folded view, does not rule it out.
    if (repeat_fold) ReserveFor(s_.variant_units, &s_.squeezed_units);
    if (repeat_fold && SqueezeRepeats(s_.variant_units,
                                      /*force=*/config_.squeeze_all_runs,
                                      &s_.squeezed_units, &config_)) {
      ReadStandIns(config_, &s_.squeezed_units);
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.squeezed_units, ViewKind::kSqueezedJoined));
    }
    // A run may need both meanings of a stand-in ("o u r 1 1 t 7 l 3": "l",
    // then "i"), where each reading of the text gives one: read it by the
    // words of the terms. The other reading's runs read the same.
    if (!alternate_leet_ && ReadAmbiguousRuns(config_, engine_.vocabulary,
                                              &s_.transform,
                                              &s_.variant_units)) {
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.variant_units, ViewKind::kJoined));
    }
    // Digits in a run were read as leetspeak ("5 3 1 f 1 e"); they may be
    // a number too ("1 0 0 0 r o b u x", "g r a d e 7"): join once more
    // with them kept. Words dotted and spaced between ("u s.h.o.u.l.d
    // t.e.l.l") were joined into one; they may be words too.
    const bool number = s_.transform.joined_number;
    const bool words = s_.transform.joined_words;
    if (number &&
        JoinSpacedLetters(s_.folded_units, config_, &s_.transform,
                          &s_.variant_units, /*keep_numbers=*/true)) {
      ReadCapitalI(&s_.variant_units);
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.variant_units, ViewKind::kJoined));
    }
    if (words &&
        JoinSpacedLetters(s_.folded_units, config_, &s_.transform,
                          &s_.variant_units, /*keep_numbers=*/false,
                          /*keep_word_spaces=*/true)) {
      ReadCapitalI(&s_.variant_units);
      ReadJoinedTermWords(config_, &s_.variant_units);
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.variant_units, ViewKind::kJoined));
    }
  }
  // Words run together, then spaced out ("s e n dm eap i c"): the letters
  // of two words meet in one piece, which ends the joined view's runs.
  if (join_folded &&
      JoinSpacedPieces(s_.folded_units, config_, engine_.vocabulary,
                       &s_.transform, &s_.variant_units)) {
    WATCHWORD_RETURN_IF_ERROR(
        EncodeAndVisit(s_.variant_units, ViewKind::kJoined));
  }
  // A separator inside a word ("se😀nd", "se_nd") reads as a space in the
  // views above, which is right between words ("how😀old"); without it,
  // the word is whole. The two readings are two views: joining every such
  // space would lose the phrases of a sentence whose words are all
  // separated that way ("hey_how_old_are_you_lol"). It starts from the
  // folded view, not the joined one: the letters a separator leaves alone
  // ("robu😀x i😀f") are no spaced-out word.
  if (join_folded && HasInWordSeparator(s_.folded_units)) {
    s_.separated_units = s_.folded_units;
    DropInWordSeparators(&s_.separated_units);
    ReadCapitalI(&s_.separated_units);  // "І🪥еt" is "lеt" once whole.
    WATCHWORD_RETURN_IF_ERROR(
        EncodeAndVisit(s_.separated_units, ViewKind::kJoined));
    // Or spaced out around it ("c🥭.a.n.'.t" is "c .a.n.'.t" there).
    if (JoinSpacedLetters(s_.separated_units, config_, &s_.transform,
                          &s_.variant_units)) {
      ReadCapitalI(&s_.variant_units);
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.variant_units, ViewKind::kJoined));
    }
    // Or masked ("p📢*c").
    if (masks && MaskView(s_.separated_units, &s_.masked_units)) {
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.masked_units, ViewKind::kMasked));
    }
    // The word it makes whole may be stretched too ("p📢iccccc").
    if (repeat_fold) ReserveFor(s_.separated_units, &s_.squeezed_units);
    if (repeat_fold && SqueezeRepeats(s_.separated_units,
                                      /*force=*/config_.squeeze_all_runs,
                                      &s_.squeezed_units, &config_)) {
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.squeezed_units, ViewKind::kSqueezedJoined));
    }
    // Stand-ins the separator kept from their word ("5😀3nd", "$_end") are
    // read in the word it makes whole: a view of its own, since digits
    // there may be a number ("year_8_at" is "year8at" above).
    if (ReadStandIns(config_, &s_.separated_units)) {
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.separated_units, ViewKind::kJoined));
    }
  }
  // Stand-ins stretched with their word ("schoo|||", "thi$$$$$") are cut
  // and read before its letters are squeezed, while the word is whole for
  // the term words that read them ("schoo|" is "school"). separated_units
  // is free again here.
  const FoldUnits* stretched = &s_.folded_units;
  bool stand_ins_cut = false;
  if (repeats &&
      SqueezeStandIns(s_.folded_units, config_, &s_.separated_units)) {
    ReadStandIns(config_, &s_.separated_units);
    stretched = &s_.separated_units;
    stand_ins_cut = true;
  }
  if (repeats) ReserveFor(*stretched, &s_.squeezed_units);
  if (repeats &&
      SqueezeRepeats(*stretched,
                     /*force=*/config_.squeeze_all_runs || stand_ins_cut,
                     &s_.squeezed_units, &config_)) {
    // Stand-ins a term word reads once its letters are squeezed ("piiii<").
    ReadStandIns(config_, &s_.squeezed_units);
    WATCHWORD_RETURN_IF_ERROR(
        EncodeAndVisit(s_.squeezed_units, ViewKind::kSqueezed));
    // Words run together and stretched ("sennnndmeeeaaaaapic"): as for the
    // folded view, a long word after squeezing is matched without spaces.
    if (spacing && engine_.matchers[kSqueezedJoinedSlot] &&
        HasLongWord(s_.squeezed_units)) {
      EncodeView(s_.squeezed_units, &s_.view);
      WATCHWORD_RETURN_IF_ERROR(Visit(ViewKind::kSqueezedJoined));
    }
    if (masks && MaskView(s_.squeezed_units, &s_.masked_units)) {
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.masked_units, ViewKind::kMaskedSqueezed));
    }
    // Stretched words may be spaced out too ("s.e.n.dddd"); joining brings
    // double letters together, so squeeze once more.
    if (spacing) ReserveFor(s_.squeezed_units, &s_.variant_units);
    if (spacing &&
        JoinSpacedLetters(s_.squeezed_units, config_, &s_.transform,
                          &s_.variant_units)) {
      // Words dotted within and spaced between ("d/o/n't t-e:l~lllll") may
      // be words too, as in the joined view: squeezed as one run, a word's
      // stretched last letter takes the next word's first ("donttel" is
      // "dontel"). s_.masked_units is free once its views are visited.
      const bool words =
          s_.transform.joined_words &&
          JoinSpacedLetters(s_.squeezed_units, config_, &s_.transform,
                            &s_.masked_units, /*keep_numbers=*/false,
                            /*keep_word_spaces=*/true);
      // Digits in the run may be a number too ("m,yyyy n_u;m.b:e_r
      // 5~5,5"), as in the joined view; s_.separated_units is free once
      // squeezed.
      const bool number =
          s_.transform.joined_number &&
          JoinSpacedLetters(s_.squeezed_units, config_, &s_.transform,
                            &s_.separated_units, /*keep_numbers=*/true);
      SqueezeRepeats(s_.variant_units, /*force=*/true, &s_.squeezed_units,
                     &config_);
      WATCHWORD_RETURN_IF_ERROR(
          EncodeAndVisit(s_.squeezed_units, ViewKind::kSqueezedRejoined));
      if (words) {
        SqueezeRepeats(s_.masked_units, /*force=*/true, &s_.squeezed_units,
                       &config_);
        ReadJoinedTermWords(config_, &s_.squeezed_units);
        WATCHWORD_RETURN_IF_ERROR(
            EncodeAndVisit(s_.squeezed_units, ViewKind::kSqueezedRejoined));
      }
      if (number) {
        SqueezeRepeats(s_.separated_units, /*force=*/true, &s_.squeezed_units,
                       &config_);
        WATCHWORD_RETURN_IF_ERROR(
            EncodeAndVisit(s_.squeezed_units, ViewKind::kSqueezedRejoined));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckFieldSize(std::string_view name, std::string_view text,
                            const ScanOptions& options) {
  if (text.size() > options.max_field_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field \"", absl::string_view(name.data(), name.size()), "\" has ",
        text.size(), " bytes; limit is ", options.max_field_bytes));
  }
  return absl::OkStatus();
}

absl::Status ForEachView(
    const EngineRep& engine, std::string_view text, ViewScratch* scratch,
    absl::FunctionRef<absl::Status(const ViewStep&)> visit) {
  Normalize(absl::string_view(text.data(), text.size()), &scratch->normalized);
  WATCHWORD_RETURN_IF_ERROR(visit(ViewStep{ViewKind::kBase, false, nullptr}));
  WATCHWORD_RETURN_IF_ERROR(
      FoldedViews(engine, engine.fold_config, false, scratch, visit).Run(text));
  // Ambiguous stand-ins ("1" is "i" in "p1c" but "l" in "1ove"): fold once
  // more the other way rather than make "l" and "i" one letter. So for
  // sequences of two readings ("|>" is "p" or "d"; "ph" is "ph" or "f").
  if (engine.alternate_fold_config != nullptr &&
      (HasAnyOf(scratch->normalized.text, engine.alternate_stand_ins) ||
       engine.fold_config.HasAlternateSequence(scratch->normalized.text))) {
    WATCHWORD_RETURN_IF_ERROR(
        FoldedViews(engine, *engine.alternate_fold_config, true, scratch, visit)
            .Run(text));
  }
  return absl::OkStatus();
}

}  // namespace watchword
