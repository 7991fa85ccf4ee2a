#include "src/compile/lower.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "unicode/utf8.h"
#include "google/protobuf/io/coded_stream.h"
#include "src/compile/phrase_forms.h"
#include "src/compile/regex_forms.h"
#include "src/normalize/disguise_table.h"
#include "src/engine/lowered_form.h"
#include "src/engine/view_registry.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "watchword/normalizer.h"
#include "watchword/status_macros.h"

namespace watchword {
namespace {

UChar32 FirstCodePoint(const std::string& s) {
  if (s.empty()) return -1;
  UChar32 c;
  int32_t i = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i,
          static_cast<int32_t>(s.size()), c);
  return c;
}

// Whether `folded` is an article (ArticleWords()) and one word: typed
// together, those read as an ordinary word as often as not ("the rapist" is
// "therapist", "a skin" "askin", "a lone" "alone", "an other" "another"),
// so such a phrase has no form without spaces.
bool ArticleAndWord(absl::string_view folded) {
  std::vector<absl::string_view> words = absl::StrSplit(folded, ' ');
  if (words.size() != 2) return false;
  const std::string_view first(words[0].data(), words[0].size());
  for (std::string_view article : ArticleWords()) {
    if (first == article) return true;
  }
  return false;
}

constexpr const char* kBuiltinFields[] = {"body", "username", "display_name",
                                          "bio"};

class Lowerer {
 public:
  explicit Lowerer(EngineRep* rep) : rep_(rep) {}

  absl::Status Run(const v1::Ruleset& ruleset) {
    rep_->fold_config = BuildFoldConfig(ruleset.normalization());
    for (const char* name : kBuiltinFields) AddField(name);
    for (const std::string& name : ruleset.custom_fields()) AddField(name);

    for (const v1::TermList& list : ruleset.term_lists()) {
      std::vector<uint32_t>& refs = lists_[list.id()];
      uint16_t disabled = FoldMask(list.disable_folds());
      for (const v1::Term& term : list.terms()) {
        refs.push_back(AddTermRef(term, list.id(), disabled));
      }
    }
    for (const v1::Rule& rule : ruleset.rules()) {
      WATCHWORD_RETURN_IF_ERROR(LowerRule(rule));
    }
    SetAloneLetters();
    IndexEngineRep(rep_);
    return absl::OkStatus();
  }

 private:
  // A lone digit may stand for a one-letter word (DisguiseContext kAlone)
  // only where some phrase has that word: "send me 4 pic" for "send me a
  // pic", while "i have 4 kids" stays a number for a ruleset without "a".
  void SetAloneLetters() {
    uint32_t letters = 0;
    for (const Pattern& pattern : rep_->patterns) {
      if (pattern.kind != Pattern::Kind::kLiteral) continue;
      for (absl::string_view word : absl::StrSplit(pattern.text, ' ')) {
        if (word.size() == 1 && word[0] >= 'a' && word[0] <= 'z') {
          letters |= 1u << (word[0] - 'a');
        }
      }
    }
    rep_->fold_config.alone_letters = letters;
  }

  // The phrase without spaces, once per combination of its words'
  // equivalents (a joined run has no word boundaries left to fold them),
  // the canonical spelling first. Past kMaxSpellings combinations, only the
  // canonical one: a phrase of many common words would otherwise explode.
  // The words whose canonical word (Normalization.equivalences) is each
  // canonical word, sorted.
  const absl::flat_hash_map<std::string, std::vector<std::string>>&
  Members() {
    if (members_.empty()) {
      for (const auto& [member, canonical] : rep_->fold_config.equivalences()) {
        members_[canonical].push_back(member);
      }
      for (auto& [canonical, list] : members_) std::sort(list.begin(), list.end());
    }
    return members_;
  }

  // `word`, then the other words of its equivalence class.
  std::vector<std::string> Spellings(absl::string_view word) {
    std::vector<std::string> spellings = {std::string(word)};
    auto it = Members().find(word);
    if (it != Members().end()) {
      spellings.insert(spellings.end(), it->second.begin(), it->second.end());
    }
    return spellings;
  }

  // The regex a masked view must match for a folded phrase. Masked words
  // skip equivalences in the text ("p*x" stays "p*x"), and a stand-in word
  // has no neighbour to read it by ("sw*tch 2 d*scord"), so each word may
  // be any spelling of its class or a stand-in for it, as the fold reads
  // it (RunSpellings): "pic" is (?:pic|pix|...), "to" (?:to|2), each masked.
  std::string MaskedSpellings(const std::string& folded, bool squeezed) {
    auto masked = squeezed ? MaskedSqueezedPhraseRegex : MaskedPhraseRegex;
    std::string regex;
    for (absl::string_view word : absl::StrSplit(folded, ' ')) {
      if (!regex.empty()) regex += MaskedPhraseRegex(" ");
      const std::vector<std::string> options = RunSpellings(word);
      if (options.size() == 1) {
        regex += masked(options[0]);
        continue;
      }
      regex += "(?:";
      for (size_t i = 0; i < options.size(); ++i) {
        if (i > 0) regex += '|';
        regex += masked(options[i]);
      }
      regex += ')';
    }
    return regex;
  }

  // The forms of phrase `term`, folded to `folded`, for a matcher whose
  // forms have the transforms `folds` (MatcherSlotSpec::folds), which the
  // ruleset enables: the transforms applied to the folded phrase.
  std::vector<std::string> PhraseForms(const v1::Term& term,
                                       const std::string& folded,
                                       uint16_t folds) {
    const bool squeeze = folds & kFoldRepeat;
    // No row combines a mask with spacing: a masked form keeps the
    // phrase's spaces.
    if (folds & kFoldMask) return {MaskedSpellings(folded, squeeze)};
    if (folds & kFoldSpacing) {
      // A phrase of one word is whole in the joined views: the forms
      // with spaces find it, but not its other spellings inside a run.
      const bool one_word = folded.find(' ') == std::string::npos;
      if (!one_word && ArticleAndWord(folded)) return {};
      std::vector<std::string> joined =
          one_word ? OtherSpellings(folded) : JoinedSpellings(folded);
      if (squeeze) {
        for (std::string& form : joined) form = SqueezeFolded(form);
      }
      return joined;
    }
    // From the phrase as written, which SqueezePhrase() folds on units, as
    // the squeezed views squeeze units of the text.
    if (squeeze) return {SqueezePhrase(term.phrase(), rep_->fold_config)};
    return {};
  }

  // Spellings(word), the shipped stand-ins for it (RunStandIns), and each
  // of those with a digit as the fold reads it among letters
  // ("somature4yrage" is "somatureayrage").
  std::vector<std::string> RunSpellings(absl::string_view word) {
    const FoldConfig& config = rep_->fold_config;
    std::vector<std::string> spellings = Spellings(word);
    auto add = [&spellings](std::string spelling) {
      if (!spelling.empty() && std::find(spellings.begin(), spellings.end(),
                                         spelling) == spellings.end()) {
        spellings.push_back(std::move(spelling));
      }
    };
    for (std::string& spelling :
         RunStandIns(std::string_view(word.data(), word.size()), config)) {
      add(std::move(spelling));
    }
    const size_t count = spellings.size();
    for (size_t i = 1; i < count; ++i) {
      add(ReadingAmongLetters(spellings[i], config));
    }
    return spellings;
  }

  // The other spellings of the word `folded` (RunSpellings), which a run
  // of letters has no word boundaries left to fold to it ("tellany1" reads
  // "tellanyi", not "tellanyone"); none shorter than kMinLetters, which
  // would stand for too many pieces of other words.
  std::vector<std::string> OtherSpellings(const std::string& folded) {
    constexpr size_t kMinLetters = 4;
    std::vector<std::string> forms;
    for (std::string& spelling : RunSpellings(folded)) {
      if (spelling != folded && spelling.size() >= kMinLetters) {
        forms.push_back(std::move(spelling));
      }
    }
    return forms;
  }

  std::vector<std::string> JoinedSpellings(const std::string& folded) {
    constexpr size_t kMaxSpellings = 32;
    std::vector<std::string> spellings = {""};
    for (absl::string_view word : absl::StrSplit(folded, ' ')) {
      std::vector<std::string> options = RunSpellings(word);
      if (spellings.size() * options.size() > kMaxSpellings) options.resize(1);
      std::vector<std::string> next;
      for (const std::string& prefix : spellings) {
        for (const std::string& option : options) next.push_back(prefix + option);
      }
      spellings = std::move(next);
    }
    return spellings;
  }

  // The folded forms of a regex, once per distinct regex: a regex used by
  // many rules is lowered once.
  std::optional<RegexForms> RegexFormsOf(const std::string& regex) {
    auto [it, inserted] = regex_forms_.try_emplace(regex);
    if (inserted) it->second = LowerRegexForms(regex, rep_->fold_config);
    return it->second;
  }

  void AddField(const std::string& name) {
    if (field_index_.contains(name)) return;
    field_index_[name] = static_cast<uint32_t>(rep_->field_names.size());
    rep_->field_names.push_back(name);
  }

  uint32_t InternPattern(Pattern pattern) {
    // The base text is part of the key: "s3nd" and "send" fold alike, but
    // only the first spells its own term plainly when it occurs as "s3nd".
    std::string key = absl::StrCat(static_cast<int>(pattern.kind),
                                   pattern.substring ? "s" : "w", ":",
                                   pattern.text, "\n", pattern.base_text);
    auto [it, inserted] = pattern_index_.try_emplace(
        std::move(key), static_cast<uint32_t>(rep_->patterns.size()));
    if (inserted) rep_->patterns.push_back(std::move(pattern));
    return it->second;
  }

  uint32_t AddTermRef(const v1::Term& term, const std::string& list,
                      uint16_t list_disabled_folds = 0) {
    const FoldConfig& config = rep_->fold_config;
    Pattern pattern;
    pattern.substring = term.substring();
    if (term.kind_case() == v1::Term::kRegex) {
      pattern.kind = Pattern::Kind::kRegex;
      pattern.text = term.regex();
      pattern.literal_prefilter = true;
      if (std::optional<RegexForms> forms = RegexFormsOf(term.regex())) {
        for (int slot = kFoldedSlot; slot < kMatcherSlots; ++slot) {
          if (!forms->forms[slot].empty()) {
            pattern.forms[slot] = {std::move(forms->forms[slot])};
          }
        }
      }
    } else {
      pattern.kind = Pattern::Kind::kLiteral;
      NormalizedText normalized;
      Normalize(term.phrase(), &normalized);
      pattern.base_text = std::move(normalized.text);
      pattern.text = FoldPhrase(term.phrase(), config);
      for (int slot = kJoinedSlot; slot < kMatcherSlots; ++slot) {
        const uint16_t folds = kMatcherSlotSpecs[slot].folds;
        if ((config.enabled & folds) != folds) continue;
        pattern.forms[slot] = PhraseForms(term, pattern.text, folds);
      }
    }
    TermRef ref;
    ref.pattern = InternPattern(std::move(pattern));
    ref.id = EffectiveTermId(term);
    ref.term_list = list;
    ref.disabled_folds = list_disabled_folds | FoldMask(term.disable_folds());
    rep_->term_refs.push_back(std::move(ref));
    return static_cast<uint32_t>(rep_->term_refs.size() - 1);
  }

  absl::Status LowerExpr(const v1::Expr& expr, bool positive,
                         const std::string& rule_id, CompiledExpr* out) {
    using Op = CompiledExpr::Op;
    auto lower_children = [&](const v1::ExprList& list, bool child_positive) {
      for (const v1::Expr& child : list.exprs()) {
        out->children.emplace_back();
        absl::Status s =
            LowerExpr(child, child_positive, rule_id, &out->children.back());
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    };
    switch (expr.node_case()) {
      case v1::Expr::kTerm:
        out->op = Op::kTerms;
        out->terms.push_back(AddTermRef(expr.term(), ""));
        break;
      case v1::Expr::kTermList: {
        auto it = lists_.find(expr.term_list());
        if (it == lists_.end()) {
          return absl::InternalError(absl::StrCat(
              "rule \"", rule_id, "\": unknown term list \"",
              expr.term_list(), "\" survived validation"));
        }
        out->op = Op::kTerms;
        out->terms = it->second;
        break;
      }
      case v1::Expr::kAny:
        out->op = Op::kAny;
        WATCHWORD_RETURN_IF_ERROR(lower_children(expr.any(), positive));
        break;
      case v1::Expr::kAll:
        out->op = Op::kAll;
        WATCHWORD_RETURN_IF_ERROR(lower_children(expr.all(), positive));
        break;
      case v1::Expr::kNone:
        out->op = Op::kNone;
        WATCHWORD_RETURN_IF_ERROR(lower_children(expr.none(), false));
        break;
      case v1::Expr::kSignal: {
        Pattern pattern;
        pattern.kind = Pattern::Kind::kSignal;
        pattern.text = "mixed-script";
        TermRef ref;
        ref.pattern = InternPattern(std::move(pattern));
        ref.id = "mixed-script";
        rep_->mixed_script_pattern = static_cast<int32_t>(ref.pattern);
        rep_->term_refs.push_back(std::move(ref));
        out->op = Op::kTerms;
        out->terms.push_back(
            static_cast<uint32_t>(rep_->term_refs.size() - 1));
        break;
      }
      case v1::Expr::kNear:
        out->op = Op::kNear;
        out->max_words = expr.near().max_words();
        for (const v1::Expr& child : expr.near().exprs()) {
          out->children.emplace_back();
          WATCHWORD_RETURN_IF_ERROR(
              LowerExpr(child, positive, rule_id, &out->children.back()));
        }
        break;
      case v1::Expr::NODE_NOT_SET:
        return absl::InternalError(absl::StrCat(
            "rule \"", rule_id, "\": empty expression survived validation"));
    }
    if (positive) {
      positive_.insert(positive_.end(), out->terms.begin(), out->terms.end());
    }
    return absl::OkStatus();
  }

  absl::Status LowerRule(const v1::Rule& rule) {
    CompiledRule out;
    out.id = rule.id();
    out.category = rule.category();
    out.severity = rule.severity();
    out.action = rule.action();
    out.shadow = rule.mode() == v1::MODE_SHADOW;
    if (rule.fields().empty()) {
      out.fields.push_back(0);
    } else {
      for (const std::string& name : rule.fields()) {
        auto it = field_index_.find(name);
        if (it == field_index_.end()) {
          return absl::InternalError(absl::StrCat(
              "rule \"", rule.id(), "\": unknown field \"", name, "\""));
        }
        out.fields.push_back(it->second);
      }
    }
    positive_.clear();
    WATCHWORD_RETURN_IF_ERROR(LowerExpr(rule.match(), true, rule.id(), &out.expr));
    std::sort(positive_.begin(), positive_.end());
    positive_.erase(std::unique(positive_.begin(), positive_.end()),
                    positive_.end());
    out.positive_terms = positive_;
    out.conditions.assign(rule.conditions().begin(), rule.conditions().end());
    out.require_folds = FoldMask(rule.evasion().require_any());
    out.severity_if_folded = rule.evasion().severity_if_folded();
    out.action_if_folded = rule.evasion().action_if_folded();
    for (const v1::Exception& exception : rule.exceptions()) {
      CompiledException lowered;
      lowered.within_words = exception.within_words();
      for (const v1::Term& term : exception.terms()) {
        lowered.terms.push_back(AddTermRef(term, ""));
      }
      for (const std::string& list : exception.term_lists()) {
        auto it = lists_.find(list);
        if (it == lists_.end()) {
          return absl::InternalError(absl::StrCat(
              "rule \"", rule.id(), "\": unknown term list \"", list, "\""));
        }
        lowered.terms.insert(lowered.terms.end(), it->second.begin(),
                             it->second.end());
      }
      lowered.only_terms.assign(exception.only_terms().begin(),
                                exception.only_terms().end());
      out.exceptions.push_back(std::move(lowered));
    }
    rep_->rules.push_back(std::move(out));
    return absl::OkStatus();
  }

  EngineRep* rep_;
  absl::flat_hash_map<std::string, uint32_t> field_index_;
  absl::flat_hash_map<std::string, uint32_t> pattern_index_;
  absl::flat_hash_map<std::string, std::vector<uint32_t>> lists_;
  std::vector<uint32_t> positive_;
  absl::flat_hash_map<std::string, std::optional<RegexForms>> regex_forms_;
  // Canonical word -> its other members, for JoinedSpellings().
  absl::flat_hash_map<std::string, std::vector<std::string>> members_;
};

}  // namespace

uint16_t FoldMask(
    const google::protobuf::RepeatedField<int>& folds) {
  uint16_t mask = 0;
  for (int fold : folds) {
    if (fold > v1::FOLD_UNSPECIFIED && fold <= v1::Fold_MAX) {
      mask |= static_cast<uint16_t>(1u << (fold - 1));
    }
  }
  return mask;
}

FoldConfig BuildFoldConfig(const v1::Normalization& normalization) {
  FoldConfig config;
  config.enabled = kAllFolds & ~FoldMask(normalization.disable());
  config.squeeze_all_runs =
      normalization.repeat_mode() == v1::REPEAT_MODE_ALL_RUNS;
  absl::flat_hash_map<UChar32, UChar32> leet;
  if (!normalization.replace_default_leet()) leet = FoldConfig::DefaultLeet();
  for (const v1::LeetMapping& m : normalization.leet()) {
    UChar32 from = FirstCodePoint(m.from()), to = FirstCodePoint(m.to());
    if (from > 0 && to > 0) leet[from] = to;
  }
  config.SetLeet(std::move(leet));
  // Equivalence words are folded like any phrase (without equivalences,
  // which are being defined), so "U" and "ü" find the class of "u".
  FoldConfig word_config = config;
  absl::flat_hash_map<std::string, std::string> equivalences;
  if (!normalization.replace_default_equivalences()) {
    for (const ChatSpeak& row : ShippedChatSpeak()) {
      std::string canonical = FoldPhrase(row.word, word_config);
      for (absl::string_view word : absl::StrSplit(
               absl::string_view(row.spellings.data(), row.spellings.size()),
               ' ')) {
        std::string folded =
            FoldPhrase(std::string_view(word.data(), word.size()), word_config);
        if (folded != canonical) equivalences[folded] = canonical;
      }
    }
  }
  // The ruleset's classes win: a word of one leaves its shipped class, and
  // a shipped class whose word the ruleset folds joins that word's class.
  absl::flat_hash_map<std::string, std::string> own;
  for (const v1::Equivalence& e : normalization.equivalences()) {
    if (e.words().empty()) continue;
    std::string canonical = FoldPhrase(e.words(0), word_config);
    for (const std::string& word : e.words()) {
      std::string folded = FoldPhrase(word, word_config);
      equivalences.erase(folded);
      if (folded != canonical) own[folded] = canonical;
    }
  }
  for (auto& [word, canonical] : equivalences) {
    auto it = own.find(canonical);
    if (it != own.end()) canonical = it->second;
  }
  for (auto& [word, canonical] : own) equivalences[word] = canonical;
  for (auto it = equivalences.begin(); it != equivalences.end();) {
    auto self = it++;
    if (self->first == self->second) equivalences.erase(self);
  }
  config.SetEquivalences(std::move(equivalences));
  return config;
}

const std::string& EffectiveTermId(const v1::Term& term) {
  if (!term.id().empty()) return term.id();
  return term.kind_case() == v1::Term::kRegex ? term.regex() : term.phrase();
}

absl::StatusOr<std::unique_ptr<EngineRep>> LowerRuleset(
    const v1::Ruleset& ruleset) {
  auto rep = std::make_unique<EngineRep>();
  rep->ruleset = ruleset;
  rep->info.set_name(ruleset.name());
  rep->info.set_version(ruleset.version());
  rep->info.set_fingerprint(RulesetFingerprint(ruleset));
  Lowerer lowerer(rep.get());
  absl::Status status = lowerer.Run(ruleset);
  if (!status.ok()) return status;
  return rep;
}

}  // namespace watchword
