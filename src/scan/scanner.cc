#include "watchword/scanner.h"

#include <algorithm>
#include <cstring>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "absl/strings/str_cat.h"
#include "src/normalize/view_transforms.h"
#include "src/normalize/word.h"
#include "src/scan/conditions.h"
#include "src/scan/scanner_rep.h"
#include "unicode/utf8.h"
#include "watchword/status_macros.h"

namespace watchword {
namespace {

constexpr char kBodyField[] = "body";

int FieldIndex(const EngineRep& engine, std::string_view name) {
  for (size_t i = 0; i < engine.field_names.size(); ++i) {
    if (engine.field_names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// Makes scratch for the Engine `rep` is bound to. Once per Engine: out of
// line, so that the code of every scan stays small.
[[gnu::cold]] [[gnu::noinline]] absl::Status PrepareScratch(ScannerRep* rep) {
  const EngineRep& engine = EngineAccess::Rep(*rep->engine);
  for (int slot = 0; slot < kMatcherSlots; ++slot) {
    rep->matchers[slot] = engine.matchers[slot].get();
    rep->scratches[slot].reset();
    if (rep->matchers[slot] == nullptr) continue;
    auto made = rep->matchers[slot]->NewScratch();
    if (!made.ok()) return made.status();
    rep->scratches[slot] = *std::move(made);
  }
  rep->prepared = true;
  rep->evaluator.Reset(&engine);
  rep->match_slot.assign(engine.rules.size(), -1);
  rep->view_counts.assign(engine.patterns.size(), 0);
  rep->view_counted.clear();
  rep->field_dropped.assign(engine.patterns.size(), 0);
  rep->field_dropped_patterns.clear();
  rep->base_capped.clear();
  rep->conditions_state.assign(engine.rules.size(), -1);
  rep->body_field = FieldIndex(engine, kBodyField);
  return absl::OkStatus();
}

// Binds `rep` to the Engine the next scan must use, making scratch for it.
// PrepareEngine() for a Scanner made from an EngineHandle: out of line,
// so that the code of a Scanner made from an Engine stays small.
[[gnu::noinline]] void FollowHandle(ScannerRep* rep) {
  uint64_t generation = rep->handle->generation();
  if (rep->engine == nullptr || generation != rep->generation) {
    rep->generation = generation;
    rep->engine = rep->handle->Get();
    rep->prepared = false;
  }
}

absl::Status PrepareEngine(ScannerRep* rep) {
  if (rep->handle != nullptr) FollowHandle(rep);
  if (!rep->prepared) return PrepareScratch(rep);
  return absl::OkStatus();
}

bool RuleLooksAt(const CompiledRule& rule, int field) {
  // A plain loop: std::find() unrolls by four, code each candidate rule
  // runs through for the one or two fields a rule has.
  for (uint32_t f : rule.fields) {
    if (f == static_cast<uint32_t>(field)) return true;
  }
  return false;
}

// Stores `bytes` in *out with each ill-formed UTF-8 sequence replaced by
// U+FFFD: proto3 strings must be valid UTF-8, and an echoed match may span
// bytes the normalizer replaced.
void SetValidUtf8(std::string_view bytes, std::string* out) {
  out->clear();
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t n = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      out->append("\xef\xbf\xbd");
    } else {
      out->append(bytes.substr(start, i - start));
    }
  }
}

// Replaces *out with the v1::Fold values of a kFold* mask, in enum order.
void AddFolds(uint16_t mask, google::protobuf::RepeatedField<int>* out) {
  out->Clear();
  for (int fold = v1::FOLD_UNSPECIFIED + 1; fold <= v1::Fold_MAX; ++fold) {
    if (mask & (1u << (fold - 1))) out->Add(fold);
  }
}

uint16_t FoldBits(const google::protobuf::RepeatedField<int>& folds) {
  uint16_t mask = 0;
  for (int fold : folds) mask |= static_cast<uint16_t>(1u << (fold - 1));
  return mask;
}

// Indexes the base view's regex hits for MatchedPlainly(): sorted by
// (pattern, begin), each carrying in `end` the largest end of its pattern's
// hits so far. One sort per field keeps the scan linear however many hits
// the folded views add.
void IndexPlainRegexHits(ScannerRep* rep) {
  const EngineRep& engine = EngineAccess::Rep(*rep->engine);
  std::vector<PatternHit>& index = rep->plain_regex_hits;
  index.clear();
  for (const PatternHit& h : rep->hits) {
    if (engine.patterns[h.pattern].kind == Pattern::Kind::kRegex) {
      index.push_back(h);
    }
  }
  std::sort(index.begin(), index.end(),
            [](const PatternHit& a, const PatternHit& b) {
              return a.pattern != b.pattern ? a.pattern < b.pattern
                                            : a.begin < b.begin;
            });
  for (size_t i = 1; i < index.size(); ++i) {
    if (index[i].pattern == index[i - 1].pattern) {
      index[i].end = std::max(index[i].end, index[i - 1].end);
    }
  }
}

// Whether a regex the base view matched overlaps `hit` of the same
// pattern in a folded view. A regex spells its chat-speak ("(your|ur)")
// plainly: a match the base view found needed no fold, and reporting the
// folded view's copy of it would say it did.
bool MatchedPlainly(const ScannerRep& rep, const PatternHit& hit) {
  const std::vector<PatternHit>& index = rep.plain_regex_hits;
  // The first hit of a later pattern, or of this one starting at or past
  // hit.end: every hit before it that shares the pattern starts before
  // hit.end, and the one just before it knows the largest end among them.
  auto after = std::lower_bound(
      index.begin(), index.end(), hit, [](const PatternHit& a, const PatternHit& b) {
        return a.pattern != b.pattern ? a.pattern < b.pattern
                                      : a.begin < b.end;
      });
  if (after == index.begin()) return false;
  const PatternHit& last = *(after - 1);
  return last.pattern == hit.pattern && last.end > hit.begin;
}

// Whether `hit`, of a regex in a folded view, lies past every occurrence
// the base view kept of that regex, where the base view found more than
// max_hits_per_term: it is then a copy of one the base view left out (and
// counted), or later than the first max_hits_per_term of the field.
// Either way it would be left out; kept, it would be counted again.
bool PastCappedBaseHits(const ScannerRep& rep, const PatternHit& hit) {
  const std::vector<uint32_t>& capped = rep.base_capped;
  if (capped.empty() ||
      !std::binary_search(capped.begin(), capped.end(), hit.pattern)) {
    return false;
  }
  const std::vector<PatternHit>& index = rep.plain_regex_hits;
  auto after = std::upper_bound(
      index.begin(), index.end(), hit.pattern,
      [](uint32_t pattern, const PatternHit& h) { return pattern < h.pattern; });
  // The group's last hit holds the largest end of its pattern's hits.
  return after != index.begin() && (after - 1)->pattern == hit.pattern &&
         hit.begin >= (after - 1)->end;
}

// Whether a term without its spaces, found inside a longer word of a
// joined view, may count there. Where letters were spaced out ("s o w h a
// t s c h o o l"), the words lost their boundaries, so a match of 6+ bytes
// counts anywhere inside the run (spaced-out letters are rare in ordinary
// chat, and the rest of a spaced-out sentence holds words no term has: "w
// e s h o u l d m e e t u p t h i s w e e k e n d"), and a shorter one
// where the rest of the run reads as words of the ruleset's terms
// (`segmented`: "s e n d m e u r p i x" is send, me, ur and pix, but "c l
// a s s" is no "cl" and "ass"). Where words were typed together
// ("whatsuragetho"), a match of 10+ bytes counts where it starts or ends
// the run, and any match, in a word of kRunTogetherLetters or more, where
// the rest reads as words ("sowhatareyouwearingrn"): "areyouhomealone" is are, you, home and
// alone, but "aslan" is no "asl" and "an". Regex forms count too: the
// joined matchers report their matches inside words on both backends
// (PlanMatchers in matcher_builder.cc).
template <typename Segmented>
bool MayCountInsideWord(std::string_view text, const PatternHit& h,
                        const FoldedView* view, Segmented segmented) {
  constexpr uint32_t kMinBytes = 10;
  constexpr uint32_t kMinSpacedBytes = 6;
  if (view == nullptr) return false;
  bool spaced = false;
  for (uint32_t i = h.begin; i < h.end && !spaced; ++i) {
    spaced = view->folds[i] & kFoldSpacing;
  }
  if (h.end - h.begin < (spaced ? kMinSpacedBytes : kMinBytes)) {
    return segmented(h, spaced ? 0 : kRunTogetherLetters);
  }
  return spaced || IsWordStart(text, h.begin) || IsWordEnd(text, h.end) ||
         segmented(h, kRunTogetherLetters);
}

// IsWordStart(text, begin) && IsWordEnd(text, end), with the bytes either
// side of each read directly where they are ASCII, as most are: every
// occurrence a matcher reports asks.
bool IsWholeWord(std::string_view text, size_t begin, size_t end) {
  return IsWordStartInline(text, begin) && IsWordEndInline(text, end);
}

// Takes one view's occurrences from its matcher as they are found and
// appends the whole-word ones to rep->hits in base-view offsets, with the
// folds each needed. A literal found where the base view spells its phrase
// exactly needed no fold but the removal of invisible characters.
//
// It keeps at most ScanOptions::max_hits_per_term occurrences of a pattern
// per view (the first ones it is given), so that memory and the sort in
// RuleEvaluator::SetField() stay bounded while matching, however often a
// text repeats a term; it counts the rest. A pattern's occurrences come in
// text order (matcher.h), so these are the first ones, and the first
// max_hits_per_term of the field, which SetField() keeps, are among them.
class ViewHits final : public HitSink {
 public:
  ViewHits(ScannerRep* rep, std::string_view text, const FoldedView* view,
           bool masked, bool joined_view, bool joined_slot,
           bool spaced_words = false)
      : rep_(rep),
        engine_(EngineAccess::Rep(*rep->engine)),
        base_(rep->views.normalized.text),
        text_(text),
        view_(view),
        masked_(masked),
        joined_(joined_view),
        joined_slot_(joined_slot),
        spaced_words_(spaced_words),
        cap_(rep->options.max_hits_per_term) {}

  void Add(const PatternHit& h) override {
    const Pattern& pattern = engine_.patterns[h.pattern];
    // Whole-word semantics live here, not in the matchers, so both backends
    // share one Unicode-aware definition of a word, checked in the view
    // where the occurrence was found.
    if (!pattern.substring && !IsWholeWord(text_, h.begin, h.end) &&
        !(joined_ && MayCountInsideJoinedWord(h, pattern))) {
      return;
    }
    if (view_ == nullptr) {
      Keep(h);
      return;
    }
    AddFolded(h, pattern);
  }

  // Ends the view: for each pattern over the cap, the number it left out
  // raises the field's count for that pattern (the largest of any view:
  // views find the same occurrences).
  void Finish() {
    bool over = false;
    for (uint32_t p : rep_->view_counted) {
      uint32_t& count = rep_->view_counts[p];
      if (count > cap_) [[unlikely]] {
        OverCap(p, count);
        over = true;
      }
      count = 0;
    }
    rep_->view_counted.clear();
    if (over && view_ == nullptr) SortBaseCapped();
  }

 private:
  // Add()'s parts that most occurrences in benign text never reach (they
  // are no whole word, or in no joined view), out of line so that the
  // code every scan runs stays small.
  [[gnu::noinline]] bool MayCountInsideJoinedWord(const PatternHit& h,
                                                  const Pattern& pattern) {
    return (joined_slot_ || pattern.kind == Pattern::Kind::kLiteral) &&
           MayCountInsideWord(text_, h, view_,
                              [this](const PatternHit& hit, size_t min_run) {
                                return Segmented(hit, min_run);
                              });
  }

  // Finish()'s parts for a pattern found more than cap_ times, rare.
  [[gnu::cold]] [[gnu::noinline]] void OverCap(uint32_t p, uint32_t count) {
    uint32_t& dropped = rep_->field_dropped[p];
    if (dropped == 0) rep_->field_dropped_patterns.push_back(p);
    dropped = std::max(dropped, count - cap_);
    if (view_ == nullptr) rep_->base_capped.push_back(p);
  }

  [[gnu::cold]] [[gnu::noinline]] void SortBaseCapped() {
    std::sort(rep_->base_capped.begin(), rep_->base_capped.end());
  }

  // Add() for an occurrence of a folded view.
  [[gnu::noinline]] void AddFolded(const PatternHit& h,
                                   const Pattern& pattern) {
    if (masked_ &&
        !MaskedMatchIsPlausible(text_.substr(h.begin, h.end - h.begin)) &&
        !(spaced_words_ && SpacedOutWords(h))) {
      return;  // "***" is not every three-letter word.
    }
    PatternHit hit{h.pattern, view_->begin[h.begin], view_->end[h.end - 1], 0};
    if (pattern.kind == Pattern::Kind::kRegex &&
        (MatchedPlainly(*rep_, hit) || PastCappedBaseHits(*rep_, hit))) {
      return;
    }
    for (uint32_t i = h.begin; i < h.end; ++i) hit.folds |= view_->folds[i];
    // Invisible characters are gone from the base view already, so they
    // count even where the base view spells the phrase exactly. A hit
    // that needed no fold (most) has nothing to clear.
    if (hit.folds != 0 && SpelledPlainly(hit, pattern)) {
      hit.folds &= kFoldInvisible;
    }
    Keep(hit);
  }

  // Whether the base view spells `pattern`'s phrase at `hit`'s bytes:
  // base_.compare(), without the code of its range check.
  [[gnu::noinline]] bool SpelledPlainly(const PatternHit& hit,
                                        const Pattern& pattern) const {
    const size_t length = hit.end - hit.begin;
    return hit.end <= base_.size() && length == pattern.base_text.size() &&
           std::memcmp(base_.data() + hit.begin, pattern.base_text.data(),
                       length) == 0;
  }

  // Whether every letter of `h` was spaced out and joined (kFoldSpacing),
  // and it has kMinLetters of them: "u up" is no evidence of its own.
  bool SpacedOutWords(const PatternHit& h) const {
    constexpr int kMinLetters = 3;
    int letters = 0;
    for (uint32_t i = h.begin; i < h.end; ++i) {
      const char c = text_[i];
      if (c == ' ') continue;
      if (!(view_->folds[i] & kFoldSpacing)) return false;
      letters += c >= 'a' && c <= 'z';
    }
    return letters >= kMinLetters;
  }

  // Whether the run of ASCII letters and digits around `h` is `min_run`
  // bytes or more, and the rest of it reads as words of
  // EngineRep::vocabulary on both sides. Each run is segmented once per
  // view, when a match in it first asks.
  bool Segmented(const PatternHit& h, size_t min_run) {
    auto alnum = [this](size_t i) {
      const char c = text_[i];
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    // Inside a stretch already found too long: nobody spaces out that
    // much text.
    if (h.begin >= long_begin_ && h.end <= long_end_) return false;
    const bool cached = h.begin >= run_begin_ && h.end <= run_end_;
    size_t begin = cached ? run_begin_ : h.begin;
    size_t end = cached ? run_end_ : h.end;
    if (!cached) {
      for (size_t i = begin; i < end; ++i) {
        if (!alnum(i)) return false;
      }
      // The search stops past Vocabulary::kMaxRun bytes on either side, and
      // remembers the stretch it covered, so that the next kMaxRun bytes of
      // matches in a long run cost a constant each, and the work stays
      // linear in the text.
      constexpr size_t kMax = Vocabulary::kMaxRun;
      while (begin > 0 && alnum(begin - 1) && h.begin - begin <= kMax) --begin;
      while (end < text_.size() && alnum(end) && end - h.end <= kMax) ++end;
      if (end - begin > kMax) {
        long_begin_ = begin;
        long_end_ = end;
        return false;
      }
      run_begin_ = begin;
      run_end_ = end;
      engine_.vocabulary.SegmentRun(text_.substr(begin, end - begin),
                                    &rep_->run_reach);
    }
    if (end - begin < min_run) return false;
    const std::vector<uint8_t>& reach = rep_->run_reach;
    return (reach[h.begin - begin] & Vocabulary::kWordsBefore) &&
           (reach[h.end - begin] & Vocabulary::kWordsAfter);
  }

  // Inline: AddFolded(), which keeps most, need not call it.
  [[gnu::always_inline]] void Keep(const PatternHit& hit) {
    if (cap_ != 0) {
      uint32_t& count = rep_->view_counts[hit.pattern];
      if (count == 0) rep_->view_counted.push_back(hit.pattern);
      if (++count > cap_) return;
    }
    rep_->hits.push_back(hit);
  }

  ScannerRep* rep_;
  const EngineRep& engine_;
  const std::string& base_;
  std::string_view text_;
  const FoldedView* view_;  // Null: the base view.
  bool masked_;
  // A joined view: a literal may count inside its runs ("e p i c" ends in
  // "pic"). From a joined matcher (joined_slot_), a regex form may too;
  // the folded matcher's regexes report inside words differently on the
  // two backends, so theirs stay whole words.
  bool joined_;
  bool joined_slot_;
  // The masked joined view, whose spaced-out letters the vocabulary split
  // into words around the masks: there a match of such words without a
  // mask counts too ("if u" in "i f u s * n d"), which the joined view,
  // its runs cut by the masks, does not find.
  bool spaced_words_;
  uint32_t cap_;  // 0: none.
  // The run rep_->run_reach holds, as offsets into text_; none at first.
  size_t run_begin_ = 1;
  size_t run_end_ = 0;
  // A stretch of a run longer than Vocabulary::kMaxRun; none at first.
  size_t long_begin_ = 1;
  size_t long_end_ = 0;
};

// Runs `matcher` over one view of the field (see ViewHits).
absl::Status MatchView(ScannerRep* rep, const Matcher& matcher,
                       MatcherScratch* scratch, std::string_view text,
                       const FoldedView* view, bool masked = false,
                       bool joined_view = false, bool joined_slot = false,
                       bool spaced_words = false,
                       MatcherPart part = MatcherPart::kOwn) {
  ViewHits hits(rep, text, view, masked, joined_view, joined_slot,
                spaced_words);
  // Occurrences found before a deadline still count: keep them, then fail.
  absl::Status status =
      matcher.Match(text, scratch, &hits, &rep->deadline, part);
  hits.Finish();
  return status;
}

// Matches one view of the field: regexes and mixed-script words on the
// base view, phrases and regexes' folded forms on the others.
absl::Status MatchStep(ScannerRep* rep, const ViewStep& step) {
  if (rep->deadline.Passed()) return Deadline::Exceeded();
  const EngineRep& engine = EngineAccess::Rep(*rep->engine);
  if (step.kind == ViewKind::kBase) {
    // The base view's regexes: in the base matcher, or (Hyperscan) in the
    // folded one's base part, whose scan keeps the folded part's hits for
    // a folded view that reads as the base view (MatcherPart).
    const MatcherSlot slot =
        rep->matchers[kBaseSlot] != nullptr ? kBaseSlot : kFoldedSlot;
    if (rep->matchers[slot] != nullptr) {
      WATCHWORD_RETURN_IF_ERROR(MatchView(
          rep, *rep->matchers[slot], rep->scratches[slot].get(),
          rep->views.normalized.text, nullptr, false, false, false, false,
          slot == kBaseSlot ? MatcherPart::kOwn
                            : MatcherPart::kBaseKeepingOwn));
    }
    IndexPlainRegexHits(rep);
    if (engine.mixed_script_pattern >= 0) {
      rep->mixed_words.clear();
      FindMixedScriptWords(rep->views.normalized.text, &rep->mixed_words);
      for (const auto& [begin, end] : rep->mixed_words) {
        rep->hits.push_back(
            {static_cast<uint32_t>(engine.mixed_script_pattern), begin, end,
             kFoldHomoglyph});
      }
    }
    return absl::OkStatus();
  }
  // The matchers of the view (kViewSpecs): a joined view meets phrases
  // with their spaces ("send pics") and without ("sendpics").
  const ViewSpec& view = ViewSpecOf(step.kind);
  for (int i = 0; i < view.slot_count; ++i) {
    const MatcherSlot slot = view.slots[i];
    const Matcher* matcher = rep->matchers[slot];
    if (matcher == nullptr) continue;
    // A view with nothing folded is the base view, in base offsets.
    const std::string& text = step.folded != nullptr
                                  ? step.folded->text
                                  : rep->views.normalized.text;
    WATCHWORD_RETURN_IF_ERROR(MatchView(
        rep, *matcher, rep->scratches[slot].get(), text, step.folded,
        /*masked=*/view.masked, /*joined_view=*/view.joined,
        /*joined_slot=*/kMatcherSlotSpecs[slot].inside_words,
        /*spaced_words=*/step.kind == ViewKind::kMaskedJoined,
        // What the base view's scan kept, if this view's text is the same.
        slot == kFoldedSlot ? MatcherPart::kOwnKept : MatcherPart::kOwn));
  }
  return absl::OkStatus();
}

// Fills rep->views.normalized and rep->hits for one field, matching each
// view ForEachView() makes: MatchedViews() (views.h) shows the same views.
absl::Status MatchField(ScannerRep* rep, std::string_view text) {
  rep->hits.clear();
  for (uint32_t p : rep->field_dropped_patterns) rep->field_dropped[p] = 0;
  rep->field_dropped_patterns.clear();
  rep->base_capped.clear();
  return ForEachView(EngineAccess::Rep(*rep->engine), text, &rep->views,
                     [rep](const ViewStep& step) { return MatchStep(rep, step); });
}

// Records rule `r`, whose expression holds on rep->evidence, into
// *verdict. Out of line: most messages match no rule, and the code every
// scan runs must stay small.
[[gnu::noinline]] void RecordMatch(ScannerRep* rep,
                                   const v1::ScanRequest& request,
                                   std::string_view field_name, uint32_t r,
                                   std::string_view original,
                                   v1::Verdict* verdict) {
  const EngineRep& engine = EngineAccess::Rep(*rep->engine);
  const CompiledRule& rule = engine.rules[r];
  uint16_t folds = 0;
  for (const Evidence& e : rep->evidence) folds |= e.folds;
  if (rule.require_folds != 0 && (folds & rule.require_folds) == 0) return;

  int32_t& slot = rep->match_slot[r];
  if (slot < 0) {
    slot = verdict->rule_matches_size();
    rep->matched_rules.push_back(r);
    v1::RuleMatch* m = verdict->add_rule_matches();
    m->set_rule_id(rule.id);
    m->set_category(rule.category);
    m->set_severity(rule.severity);
    m->set_action(rule.action);
    m->set_shadow(rule.shadow);
  }
  v1::RuleMatch* m = verdict->mutable_rule_matches(slot);
  if (folds != 0) {
    // Evasion is itself a signal: a disguised match may weigh more.
    m->set_severity(std::max(m->severity(), rule.severity_if_folded));
    m->set_action(std::max(m->action(), rule.action_if_folded));
    AddFolds(folds | FoldBits(m->folds()), m->mutable_folds());
  }
  for (const Evidence& e : rep->evidence) {
    const TermRef& term = engine.term_refs[e.term_ref];
    v1::Match* match = m->add_matches();
    match->set_field(std::string(field_name));
    match->set_term_id(term.id);
    match->set_term_list(term.term_list);
    uint32_t begin, end;
    rep->views.normalized.OriginalSpan(e.begin, e.end, &begin, &end);
    match->set_begin(begin);
    match->set_end(end);
    if (request.echo_matched_text()) {
      SetValidUtf8(original.substr(begin, end - begin),
                   match->mutable_text());
    }
    if (e.folds != 0) AddFolds(e.folds, match->mutable_folds());
  }
}

// Evaluates rep->candidates, the candidate rules of the field
// RuleEvaluator::SetField() took, recording those that match into
// *verdict, and ends the field (ClearField()). With `check_deadline`,
// returns DeadlineExceeded if the deadline passes before every rule is
// evaluated; the rules evaluated so far are recorded. Out of line: most
// benign fields have no candidate rule.
[[gnu::noinline]] absl::Status EvaluateCandidates(
    ScannerRep* rep, const v1::ScanRequest& request,
    std::string_view field_name, int field, std::string_view original,
    bool check_deadline, v1::Verdict* verdict) {
  absl::Status status;
  const EngineRep& engine = EngineAccess::Rep(*rep->engine);
  for (uint32_t r : rep->candidates) {
    if (check_deadline && rep->deadline.Tick()) {
      status = Deadline::Exceeded();
      break;
    }
    const CompiledRule& rule = engine.rules[r];
    if (!RuleLooksAt(rule, field)) continue;
    int8_t& conditions = rep->conditions_state[r];
    if (conditions < 0) {
      conditions = AllConditionsHold(rule.conditions, request.context()) ? 1 : 0;
      rep->conditions_known.push_back(r);
    }
    if (conditions == 0) continue;
    verdict->mutable_stats()->set_rules_evaluated(
        verdict->stats().rules_evaluated() + 1);
    rep->evidence.clear();
    if (!rep->evaluator.Evaluate(rule, &rep->evidence)) continue;
    RecordMatch(rep, request, field_name, r, original, verdict);
  }
  rep->evaluator.ClearField();
  return status;
}

// Records the matches of one field into *verdict. With `check_deadline`,
// returns DeadlineExceeded if the deadline passes before every rule is
// evaluated; the rules evaluated so far are recorded.
absl::Status ScanField(ScannerRep* rep, const v1::ScanRequest& request,
                       std::string_view field_name, int field,
                       std::string_view original, bool check_deadline,
                       v1::Verdict* verdict) {
  // Left out while matching (ViewHits), then of what the views kept.
  size_t dropped = rep->evaluator.SetField(rep->views.normalized.text,
                                           &rep->hits,
                                           rep->options.max_hits_per_term);
  for (uint32_t p : rep->field_dropped_patterns) {
    dropped += rep->field_dropped[p];
  }
  v1::ScanStats* stats = verdict->mutable_stats();
  stats->set_term_hits(stats->term_hits() + rep->evaluator.hit_count() +
                       dropped);
  stats->set_term_hits_dropped(stats->term_hits_dropped() + dropped);
  rep->candidates.clear();
  rep->evaluator.CandidateRules(&rep->candidates);
  if (rep->candidates.empty()) [[likely]] {
    rep->evaluator.ClearField();
    return absl::OkStatus();
  }
  return EvaluateCandidates(rep, request, field_name, field, original,
                            check_deadline, verdict);
}

// Puts rule matches in ruleset order and sets the verdict's action and
// severity from the enforced ones.
void FinishVerdict(ScannerRep* rep, v1::Verdict* verdict) {
  auto* matches = verdict->mutable_rule_matches();
  // No match: ResetVerdict() left the action and severity unspecified.
  if (matches->empty()) return;
  if (matches->size() > 1) {
    std::vector<std::pair<uint32_t, int>> order;
    for (uint32_t r : rep->matched_rules) order.push_back({r, rep->match_slot[r]});
    std::sort(order.begin(), order.end());
    google::protobuf::RepeatedPtrField<v1::RuleMatch> sorted;
    for (const auto& [rule, slot] : order) {
      sorted.Add(std::move(*matches->Mutable(slot)));
    }
    matches->Swap(&sorted);
  }
  v1::Action action = v1::ACTION_UNSPECIFIED;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  for (const v1::RuleMatch& m : *matches) {
    if (m.shadow()) continue;
    action = std::max(action, m.action());
    severity = std::max(severity, m.severity());
  }
  verdict->set_action(action);
  verdict->set_severity(severity);
}

void ResetRequestState(ScannerRep* rep) {
  for (uint32_t r : rep->matched_rules) rep->match_slot[r] = -1;
  rep->matched_rules.clear();
  for (uint32_t r : rep->conditions_known) rep->conditions_state[r] = -1;
  rep->conditions_known.clear();
}

[[gnu::cold]] absl::Status Fail(ScannerRep* rep, absl::Status status,
                                v1::Verdict* verdict) {
  ++rep->failed_scans;
  ResetRequestState(rep);
  verdict->clear_stats();  // A rejected request was not scanned.
  verdict->clear_rule_matches();
  verdict->set_action(v1::ACTION_UNSPECIFIED);
  verdict->set_severity(v1::SEVERITY_UNSPECIFIED);
  v1::ScanError* error = verdict->mutable_error();
  error->set_code(absl::StatusCodeToString(status.code()));
  error->set_message(std::string(status.message()));
  return status;
}

// Frees the per-field buffers after a request whose largest field was over
// ScanOptions::scratch_high_water_bytes: they grew to about 150 times it.
void ReleaseScratch(ScannerRep* rep) {
  rep->views = ViewScratch();
  rep->hits = {};
  rep->mixed_words = {};
  rep->candidates = {};
  rep->evidence = {};
  rep->evaluator.ReleaseMemory();
#if defined(__GLIBC__)
  // Freed blocks of a few MiB go back to glibc's heap, not to the system,
  // once its adaptive mmap threshold has grown past them.
  malloc_trim(0);
#endif
}

// Empties *verdict for reuse. Not Verdict::Clear(): without an arena,
// that deletes sub-messages, and a steady-state scan must not allocate.
// Rule matches go back to the repeated field's cache; the ruleset info is
// kept and replaced only when the engine changes.
void ResetVerdict(v1::Verdict* verdict) {
  verdict->clear_request_id();
  verdict->set_action(v1::ACTION_UNSPECIFIED);
  verdict->set_severity(v1::SEVERITY_UNSPECIFIED);
  verdict->mutable_rule_matches()->Clear();
  verdict->mutable_stats()->Clear();
  verdict->set_truncated(false);
  if (verdict->has_error()) verdict->clear_error();
}

// Ends a scan the deadline stopped: the verdict keeps what was found.
[[gnu::cold]] absl::Status Truncate(ScannerRep* rep, absl::Status status,
                      v1::Verdict* verdict) {
  ++rep->failed_scans;
  FinishVerdict(rep, verdict);
  ResetRequestState(rep);
  verdict->set_truncated(true);
  v1::ScanError* error = verdict->mutable_error();
  error->set_code(absl::StatusCodeToString(status.code()));
  error->set_message(std::string(status.message()));
  return status;
}

// The deadline of a scan with a finite ScanOptions::timeout. Out of line:
// the default timeout is infinite.
[[gnu::noinline]] Deadline DeadlineAfter(absl::Duration timeout) {
  return Deadline(Deadline::Clock::now() +
                  absl::ToChronoNanoseconds(
                      std::max(timeout, absl::ZeroDuration())));
}

[[gnu::cold]] [[gnu::noinline]] void SetRulesetInfo(const Engine& engine,
                                                    v1::Verdict* verdict) {
  *verdict->mutable_ruleset() = engine.info();
}

// The errors of a request over a limit, built out of line: the code of
// every scan runs past them.
[[gnu::cold]] [[gnu::noinline]] absl::Status TooManyFields(int count,
                                                           int limit) {
  return absl::InvalidArgumentError(absl::StrCat(
      "request has ", count, " text fields; limit is ", limit));
}

[[gnu::cold]] [[gnu::noinline]] absl::Status UnnamedField() {
  return absl::InvalidArgumentError("a text field has no name");
}

// CheckRequest() for the request's fields: out of line, as a message is
// most often a text alone.
[[gnu::noinline]] absl::Status CheckFields(const ScannerRep& rep,
                                           const v1::ScanRequest& request) {
  for (const v1::TextField& f : request.fields()) {
    if (f.name().empty()) [[unlikely]] return UnnamedField();
    WATCHWORD_RETURN_IF_ERROR(CheckFieldSize(f.name(), f.text(), rep.options));
  }
  return absl::OkStatus();
}

[[gnu::noinline]] void SetRequestId(const v1::ScanRequest& request,
                                    v1::Verdict* verdict) {
  verdict->set_request_id(request.id());
}

// The size of the largest of the request's fields, at least `largest`.
[[gnu::noinline]] size_t LargestField(const v1::ScanRequest& request,
                                      size_t largest) {
  for (const v1::TextField& f : request.fields()) {
    largest = std::max(largest, f.text().size());
  }
  return largest;
}

// Checks every limit before scanning anything, so a bad request is
// rejected whole rather than half-scanned.
absl::Status CheckRequest(const ScannerRep& rep,
                          const v1::ScanRequest& request,
                          std::string_view body) {
  const int field_count = request.fields_size() + (body.empty() ? 0 : 1);
  if (field_count > rep.options.max_fields) [[unlikely]] {
    return TooManyFields(field_count, rep.options.max_fields);
  }
  WATCHWORD_RETURN_IF_ERROR(
      CheckFieldSize(kBodyField, body, rep.options));
  if (request.fields_size() == 0) return absl::OkStatus();
  return CheckFields(rep, request);
}

// Scans one text field, `field` its index in EngineRep::field_names (-1:
// no rule looks at it), into *verdict.
absl::Status ScanText(ScannerRep* rep, const v1::ScanRequest& request,
                      std::string_view name, int field, std::string_view text,
                      v1::Verdict* verdict) {
  v1::ScanStats* stats = verdict->mutable_stats();
  stats->set_fields_scanned(stats->fields_scanned() + 1);
  stats->set_bytes_scanned(stats->bytes_scanned() + text.size());
  if (field < 0) return absl::OkStatus();  // No rule looks at it.
  absl::Status matched = MatchField(rep, text);
  // ok() is inline; IsDeadlineExceeded() a call into absl per message.
  const bool stopped = !matched.ok() && absl::IsDeadlineExceeded(matched);
  if (!matched.ok() && !stopped) return matched;
  // A field the deadline interrupted is still evaluated, on what was
  // found: a truncated verdict shows what the text held so far.
  if (!rep->hits.empty()) {
    WATCHWORD_RETURN_IF_ERROR(ScanField(rep, request, name, field, text,
                                        /*check_deadline=*/!stopped,
                                        verdict));
  }
  return matched;
}

// ScanText() for each of the request's fields, until one fails: out of
// line, as a message is most often a text alone.
[[gnu::noinline]] absl::Status ScanFields(ScannerRep* rep,
                                          const v1::ScanRequest& request,
                                          v1::Verdict* verdict) {
  for (const v1::TextField& f : request.fields()) {
    WATCHWORD_RETURN_IF_ERROR(ScanText(
        rep, request, f.name(),
        FieldIndex(EngineAccess::Rep(*rep->engine), f.name()), f.text(),
        verdict));
  }
  return absl::OkStatus();
}

// Ends a scan that `status` stopped: truncated by the deadline, or failed.
[[gnu::cold]] [[gnu::noinline]] absl::Status Stopped(ScannerRep* rep,
                                                     absl::Status status,
                                                     v1::Verdict* verdict) {
  if (absl::IsDeadlineExceeded(status)) return Truncate(rep, status, verdict);
  return Fail(rep, status, verdict);
}

// Scans `request`, whose text is `body` (request.text(), or the text of
// Scanner::Scan(text) with an empty request).
absl::Status ScanOnce(ScannerRep* rep, const v1::ScanRequest& request,
                      std::string_view body, v1::Verdict* verdict) {
  ResetVerdict(verdict);  // Clears the request id.
  if (!request.id().empty()) SetRequestId(request, verdict);
  const absl::Duration timeout = rep->options.timeout;
  // The default timeout is infinite: its branch is the one laid out inline.
  if (timeout == absl::InfiniteDuration()) [[likely]] {
    rep->deadline = Deadline();
  } else {
    rep->deadline = DeadlineAfter(timeout);
  }
  absl::Status prepared = PrepareEngine(rep);
  if (rep->engine != nullptr &&
      verdict->ruleset().fingerprint() != rep->engine->info().fingerprint()) {
    SetRulesetInfo(*rep->engine, verdict);
  }
  if (!prepared.ok()) return Fail(rep, prepared, verdict);
  if (absl::Status checked = CheckRequest(*rep, request, body);
      !checked.ok()) {
    return Fail(rep, checked, verdict);
  }
  // Made in place, not assigned: an assignment's code to release the
  // status it replaces runs on every message.
  absl::Status status =
      body.empty() ? absl::OkStatus()
                   : ScanText(rep, request, kBodyField, rep->body_field, body,
                              verdict);
  if (status.ok() && request.fields_size() > 0) {
    status = ScanFields(rep, request, verdict);
  }
  if (!status.ok()) return Stopped(rep, status, verdict);
  FinishVerdict(rep, verdict);
  ResetRequestState(rep);
  return absl::OkStatus();
}

absl::Status ScanImpl(ScannerRep* rep, const v1::ScanRequest& request,
                      std::string_view body, v1::Verdict* verdict) {
  absl::Status status = ScanOnce(rep, request, body, verdict);
  size_t largest = body.size();
  if (request.fields_size() > 0) largest = LargestField(request, largest);
  if (largest > rep->options.scratch_high_water_bytes) ReleaseScratch(rep);
  return status;
}

}  // namespace

Scanner::Scanner(std::shared_ptr<const Engine> engine,
                 const ScanOptions& options)
    : rep_(std::make_unique<ScannerRep>()) {
  rep_->options = options;
  rep_->engine = std::move(engine);
}

Scanner::Scanner(const EngineHandle& handle, const ScanOptions& options)
    : rep_(std::make_unique<ScannerRep>()) {
  rep_->options = options;
  rep_->handle = &handle;
}

Scanner::~Scanner() = default;

absl::Status Scanner::Scan(absl::string_view text, v1::Verdict* verdict) {
  // An empty request with `text` beside it, not a request holding a copy
  // of it: a text, no id, no context, no other fields.
  return ScanImpl(rep_.get(), v1::ScanRequest::default_instance(),
                  std::string_view(text.data(), text.size()), verdict);
}

absl::Status Scanner::Scan(const v1::ScanRequest& request,
                           v1::Verdict* verdict) {
  return ScanImpl(rep_.get(), request, request.text(), verdict);
}

std::shared_ptr<const Engine> Scanner::engine() const {
  return rep_->handle != nullptr ? rep_->handle->Get() : rep_->engine;
}

uint64_t Scanner::failed_scans() const { return rep_->failed_scans; }

void Scanner::set_options(const ScanOptions& options) {
  rep_->options = options;
}

const ScanOptions& Scanner::options() const { return rep_->options; }

}  // namespace watchword
