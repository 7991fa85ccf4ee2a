#include "src/engine/lowered_form.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/engine/regex_literals.h"
#include "src/engine/ruleset_limits.h"
#include "src/engine/view_registry.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

constexpr uint32_t kNoPattern = 0xffffffff;

class Writer {
 public:
  void U32(uint32_t value) {
    for (int i = 0; i < 4; ++i)
      out_.push_back(static_cast<char>(value >> (8 * i)));
  }
  void Str(absl::string_view value) {
    U32(static_cast<uint32_t>(value.size()));
    out_.append(value.data(), value.size());
  }
  void Strs(const std::vector<std::string>& values) {
    U32(static_cast<uint32_t>(values.size()));
    for (const std::string& value : values) Str(value);
  }
  void U32s(const std::vector<uint32_t>& values) {
    U32(static_cast<uint32_t>(values.size()));
    for (uint32_t value : values) U32(value);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads front to back. The first read past the end makes every later read
// fail and return zero or empty, so callers check ok() once per element.
class Reader {
 public:
  explicit Reader(absl::string_view bytes) : rest_(bytes) {}

  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t value = 0;
    for (int i = 3; i >= 0; --i) {
      value = (value << 8) | static_cast<unsigned char>(rest_[i]);
    }
    rest_.remove_prefix(4);
    return value;
  }
  std::string Str() {
    const uint32_t size = U32();
    if (!Need(size)) return "";
    std::string value(rest_.substr(0, size));
    rest_.remove_prefix(size);
    return value;
  }
  // A count of elements of at least `min_bytes` each: more than the bytes
  // left can hold fails, so that no count makes a huge allocation.
  uint32_t Count(size_t min_bytes) {
    const uint32_t count = U32();
    if (count > rest_.size() / min_bytes) failed_ = true;
    return failed_ ? 0 : count;
  }
  std::vector<std::string> Strs() {
    std::vector<std::string> values(Count(4));
    for (std::string& value : values) value = Str();
    return values;
  }
  std::vector<uint32_t> U32s() {
    std::vector<uint32_t> values(Count(4));
    for (uint32_t& value : values) value = U32();
    return values;
  }
  bool ok() const { return !failed_; }
  size_t left() const { return rest_.size(); }

 private:
  bool Need(uint64_t size) {
    if (!failed_ && size <= rest_.size()) return true;
    failed_ = true;
    return false;
  }
  absl::string_view rest_;
  bool failed_ = false;
};

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("engine file is corrupt: ", what));
}

absl::Status RuleCorrupt(const std::string& rule, absl::string_view what) {
  return Corrupt(absl::StrCat("rule \"", absl::CHexEscape(rule), "\": ", what));
}

bool ValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

// Text a verdict may carry: UTF-8, as protobuf strings must be.
bool GoodText(absl::string_view s) { return ValidUtf8(s); }

// Text a matcher compiles: UTF-8 without NUL, on which the two backends
// would disagree.
bool GoodPatternText(absl::string_view s) {
  return ValidUtf8(s) && s.find('\0') == absl::string_view::npos;
}

bool ValidCodePoint(uint32_t c) {
  return c > 0 && c <= 0x10ffff && !(c >= 0xd800 && c <= 0xdfff);
}

// A pattern's forms, slot by slot after kBaseSlot (view_registry.h): a
// list of str where a slot holds several, otherwise one str, empty for
// none.
void WriteForms(const Pattern& p, Writer* w) {
  for (int slot = kBaseSlot + 1; slot < kMatcherSlots; ++slot) {
    const std::vector<std::string>& forms = p.forms[slot];
    if (kMatcherSlotSpecs[slot].several) {
      w->Strs(forms);
    } else {
      w->Str(forms.empty() ? absl::string_view() : forms[0]);
    }
  }
}

void ReadForms(Reader* r, Pattern* p) {
  for (int slot = kBaseSlot + 1; slot < kMatcherSlots; ++slot) {
    std::vector<std::string>& forms = p->forms[slot];
    if (kMatcherSlotSpecs[slot].several) {
      forms = r->Strs();
    } else if (std::string form = r->Str(); !form.empty()) {
      forms = {std::move(form)};
    } else {
      forms.clear();
    }
  }
}

void WriteExpr(const CompiledExpr& expr, Writer* w) {
  w->U32(static_cast<uint32_t>(expr.op));
  w->U32s(expr.terms);
  w->U32(expr.max_words);
  w->U32(static_cast<uint32_t>(expr.children.size()));
  for (const CompiledExpr& child : expr.children) WriteExpr(child, w);
}

// Reads an expression at `depth` (a rule's match is at depth 1). Refuses
// deeper than kMaxExprDepth before recursing further.
absl::Status ReadExpr(Reader* r, int depth, const std::string& rule,
                      CompiledExpr* expr) {
  if (depth > kMaxExprDepth) {
    return RuleCorrupt(
        rule, absl::StrCat("expressions nest deeper than ", kMaxExprDepth));
  }
  const uint32_t op = r->U32();
  if (op > static_cast<uint32_t>(CompiledExpr::Op::kNear)) {
    return RuleCorrupt(rule, absl::StrCat("unknown expression kind ", op));
  }
  expr->op = static_cast<CompiledExpr::Op>(op);
  expr->terms = r->U32s();
  expr->max_words = r->U32();
  expr->children.resize(r->Count(16));
  for (CompiledExpr& child : expr->children) {
    if (!r->ok()) break;
    absl::Status status = ReadExpr(r, depth + 1, rule, &child);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// What `near` may take: occurrences with a place in the text.
bool Positional(const CompiledExpr& expr) {
  using Op = CompiledExpr::Op;
  if (expr.op == Op::kTerms) return true;
  if (expr.op != Op::kAny) return false;
  for (const CompiledExpr& child : expr.children) {
    if (!Positional(child)) return false;
  }
  return true;
}

absl::Status CheckExpr(const CompiledExpr& expr, const EngineRep& rep,
                       const std::string& rule) {
  using Op = CompiledExpr::Op;
  for (uint32_t t : expr.terms) {
    if (t >= rep.term_refs.size()) {
      return RuleCorrupt(
          rule, absl::StrCat("term ", t, " of ", rep.term_refs.size()));
    }
  }
  switch (expr.op) {
    case Op::kTerms:
      if (expr.terms.empty() || !expr.children.empty()) {
        return RuleCorrupt(rule,
                           "a term expression needs terms and no operands");
      }
      break;
    case Op::kAny:
    case Op::kAll:
    case Op::kNone:
      if (expr.children.empty() || !expr.terms.empty()) {
        return RuleCorrupt(rule,
                           "any, all and none need operands and no terms");
      }
      break;
    case Op::kNear:
      if (expr.children.size() < 2 || !expr.terms.empty()) {
        return RuleCorrupt(rule, "near needs at least 2 operands");
      }
      for (const CompiledExpr& child : expr.children) {
        if (!Positional(child)) {
          return RuleCorrupt(rule, "near takes only terms and any of terms");
        }
      }
      break;
  }
  for (const CompiledExpr& child : expr.children) {
    absl::Status status = CheckExpr(child, rep, rule);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status CheckPattern(const Pattern& p, size_t index) {
  auto bad = [&](absl::string_view what) {
    return Corrupt(absl::StrCat("pattern ", index, ": ", what));
  };
  if (p.text.empty()) return bad("empty text");
  bool good = GoodPatternText(p.text) && GoodPatternText(p.base_text);
  for (const std::vector<std::string>& forms : p.forms) {
    for (const std::string& s : forms) good = good && GoodPatternText(s);
  }
  if (!good) return bad("text is not UTF-8 or holds NUL");
  return absl::OkStatus();
}

absl::Status CheckRule(const CompiledRule& rule, const EngineRep& rep) {
  const std::string& id = rule.id;
  if (id.empty() || !GoodText(id) || !GoodText(rule.category)) {
    return Corrupt(absl::StrCat("rule \"", absl::CHexEscape(id),
                                "\": id or category empty or not UTF-8"));
  }
  if (!v1::Severity_IsValid(rule.severity) ||
      !v1::Action_IsValid(rule.action) ||
      !v1::Severity_IsValid(rule.severity_if_folded) ||
      !v1::Action_IsValid(rule.action_if_folded)) {
    return RuleCorrupt(id, "unknown severity or action");
  }
  if (rule.fields.empty()) return RuleCorrupt(id, "no fields");
  for (uint32_t f : rule.fields) {
    if (f >= rep.field_names.size()) {
      return RuleCorrupt(
          id, absl::StrCat("field ", f, " of ", rep.field_names.size()));
    }
  }
  absl::Status status = CheckExpr(rule.expr, rep, id);
  if (!status.ok()) return status;
  if (rule.positive_terms.empty()) {
    return RuleCorrupt(id, "no positive term: the rule could never match");
  }
  absl::flat_hash_set<absl::string_view> term_ids;
  for (size_t i = 0; i < rule.positive_terms.size(); ++i) {
    const uint32_t t = rule.positive_terms[i];
    if (t >= rep.term_refs.size() ||
        (i > 0 && t <= rule.positive_terms[i - 1])) {
      return RuleCorrupt(id, "positive terms out of range or order");
    }
    term_ids.insert(rep.term_refs[t].id);
  }
  for (const v1::Condition& c : rule.conditions) {
    if (c.predicate_case() == v1::Condition::PREDICATE_NOT_SET) {
      return RuleCorrupt(id, "a condition without a predicate");
    }
  }
  for (const CompiledException& e : rule.exceptions) {
    if (e.terms.empty()) return RuleCorrupt(id, "an exception without terms");
    for (uint32_t t : e.terms) {
      if (t >= rep.term_refs.size()) {
        return RuleCorrupt(id, absl::StrCat("exception term ", t, " of ",
                                            rep.term_refs.size()));
      }
    }
    for (const std::string& only : e.only_terms) {
      if (!term_ids.contains(only)) {
        return RuleCorrupt(id, "an exception names a term the rule lacks");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Check(const EngineRep& rep) {
  for (size_t i = 0; i < rep.patterns.size(); ++i) {
    absl::Status status = CheckPattern(rep.patterns[i], i);
    if (!status.ok()) return status;
  }
  for (const TermRef& ref : rep.term_refs) {
    if (ref.pattern >= rep.patterns.size()) {
      return Corrupt(absl::StrCat("term \"", absl::CHexEscape(ref.id),
                                  "\" has pattern ", ref.pattern, " of ",
                                  rep.patterns.size()));
    }
    if (!GoodText(ref.id) || !GoodText(ref.term_list)) {
      return Corrupt("a term id is not UTF-8");
    }
  }
  if (rep.field_names.empty() || rep.field_names[0] != "body") {
    return Corrupt("the first field is not \"body\"");
  }
  for (const std::string& name : rep.field_names) {
    if (name.empty() || !GoodText(name)) {
      return Corrupt("a field name is empty or not UTF-8");
    }
  }
  absl::flat_hash_set<absl::string_view> rule_ids;
  for (const CompiledRule& rule : rep.rules) {
    absl::Status status = CheckRule(rule, rep);
    if (!status.ok()) return status;
    if (!rule_ids.insert(rule.id).second) {
      return RuleCorrupt(rule.id, "two rules have this id");
    }
  }
  if (rep.mixed_script_pattern != -1 &&
      (rep.mixed_script_pattern < 0 ||
       static_cast<size_t>(rep.mixed_script_pattern) >= rep.patterns.size() ||
       rep.patterns[rep.mixed_script_pattern].kind != Pattern::Kind::kSignal)) {
    return Corrupt("the mixed-script signal has no signal pattern");
  }
  const FoldConfig& config = rep.fold_config;
  if ((config.enabled & ~kAllFolds) != 0 || config.alone_letters >= 1u << 26) {
    return Corrupt("unknown folds");
  }
  return absl::OkStatus();
}

}  // namespace

std::string EncodeLoweredForm(const EngineRep& rep) {
  Writer w;
  w.U32(static_cast<uint32_t>(rep.patterns.size()));
  for (const Pattern& p : rep.patterns) {
    w.U32(static_cast<uint32_t>(p.kind));
    w.U32((p.substring ? 1 : 0) | (p.literal_prefilter ? 2 : 0) |
          (p.case_folded ? 4 : 0));
    w.Str(p.text);
    w.Str(p.base_text);
    WriteForms(p, &w);
  }
  w.U32(static_cast<uint32_t>(rep.term_refs.size()));
  for (const TermRef& ref : rep.term_refs) {
    w.U32(ref.pattern);
    w.Str(ref.id);
    w.Str(ref.term_list);
    w.U32(ref.disabled_folds);
  }
  w.Strs(rep.field_names);
  w.U32(static_cast<uint32_t>(rep.rules.size()));
  for (const CompiledRule& rule : rep.rules) {
    w.Str(rule.id);
    w.Str(rule.category);
    w.U32(static_cast<uint32_t>(rule.severity));
    w.U32(static_cast<uint32_t>(rule.action));
    w.U32(rule.shadow ? 1 : 0);
    w.U32s(rule.fields);
    WriteExpr(rule.expr, &w);
    w.U32(static_cast<uint32_t>(rule.conditions.size()));
    for (const v1::Condition& c : rule.conditions) {
      std::string bytes;
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      c.SerializeToCodedStream(&coded);
      coded.Trim();
      w.Str(bytes);
    }
    w.U32(static_cast<uint32_t>(rule.exceptions.size()));
    for (const CompiledException& e : rule.exceptions) {
      w.U32s(e.terms);
      w.U32(e.within_words);
      w.Strs(e.only_terms);
    }
    w.U32s(rule.positive_terms);
    w.U32(rule.require_folds);
    w.U32(static_cast<uint32_t>(rule.severity_if_folded));
    w.U32(static_cast<uint32_t>(rule.action_if_folded));
  }
  const FoldConfig& config = rep.fold_config;
  w.U32(config.enabled);
  w.U32(config.squeeze_all_runs ? 1 : 0);
  w.U32(config.alone_letters);
  std::vector<std::pair<UChar32, UChar32>> leet(config.leet().begin(),
                                                config.leet().end());
  std::sort(leet.begin(), leet.end());
  w.U32(static_cast<uint32_t>(leet.size()));
  for (const auto& [from, to] : leet) {
    w.U32(static_cast<uint32_t>(from));
    w.U32(static_cast<uint32_t>(to));
  }
  std::vector<std::pair<std::string, std::string>> equivalences(
      config.equivalences().begin(), config.equivalences().end());
  std::sort(equivalences.begin(), equivalences.end());
  w.U32(static_cast<uint32_t>(equivalences.size()));
  for (const auto& [word, canonical] : equivalences) {
    w.Str(word);
    w.Str(canonical);
  }
  w.U32(rep.mixed_script_pattern < 0
            ? kNoPattern
            : static_cast<uint32_t>(rep.mixed_script_pattern));
  return w.Take();
}

absl::Status DecodeLoweredForm(absl::string_view bytes, EngineRep* rep) {
  Reader r(bytes);
  // Minimum bytes per element bound each count (Reader::Count).
  rep->patterns.resize(r.Count(40));
  for (Pattern& p : rep->patterns) {
    const uint32_t kind = r.U32();
    if (kind > static_cast<uint32_t>(Pattern::Kind::kSignal)) {
      return Corrupt(absl::StrCat("unknown pattern kind ", kind));
    }
    p.kind = static_cast<Pattern::Kind>(kind);
    const uint32_t flags = r.U32();
    p.substring = flags & 1;
    p.literal_prefilter = flags & 2;
    p.case_folded = flags & 4;
    p.text = r.Str();
    p.base_text = r.Str();
    ReadForms(&r, &p);
    if (!r.ok()) break;
  }
  rep->term_refs.resize(r.Count(16));
  for (TermRef& ref : rep->term_refs) {
    ref.pattern = r.U32();
    ref.id = r.Str();
    ref.term_list = r.Str();
    const uint32_t disabled = r.U32();
    if (disabled > kAllFolds) return Corrupt("unknown folds");
    ref.disabled_folds = static_cast<uint16_t>(disabled);
    if (!r.ok()) break;
  }
  rep->field_names = r.Strs();
  rep->rules.resize(r.Count(64));
  for (CompiledRule& rule : rep->rules) {
    rule.id = r.Str();
    rule.category = r.Str();
    rule.severity = static_cast<v1::Severity>(r.U32());
    rule.action = static_cast<v1::Action>(r.U32());
    rule.shadow = r.U32() != 0;
    rule.fields = r.U32s();
    if (!r.ok()) break;
    absl::Status status = ReadExpr(&r, 1, rule.id, &rule.expr);
    if (!status.ok()) return status;
    rule.conditions.resize(r.Count(4));
    for (v1::Condition& c : rule.conditions) {
      const std::string condition = r.Str();
      if (!r.ok()) break;
      if (!c.ParseFromString(condition)) {
        return RuleCorrupt(rule.id, "a condition does not parse");
      }
    }
    rule.exceptions.resize(r.Count(12));
    for (CompiledException& e : rule.exceptions) {
      e.terms = r.U32s();
      e.within_words = r.U32();
      e.only_terms = r.Strs();
    }
    rule.positive_terms = r.U32s();
    const uint32_t require_folds = r.U32();
    if (require_folds > kAllFolds) return RuleCorrupt(rule.id, "unknown folds");
    rule.require_folds = static_cast<uint16_t>(require_folds);
    rule.severity_if_folded = static_cast<v1::Severity>(r.U32());
    rule.action_if_folded = static_cast<v1::Action>(r.U32());
    if (!r.ok()) break;
  }
  FoldConfig& config = rep->fold_config;
  const uint32_t enabled = r.U32();
  if (enabled > kAllFolds) return Corrupt("unknown folds");
  config.enabled = static_cast<uint16_t>(enabled);
  config.squeeze_all_runs = r.U32() != 0;
  config.alone_letters = r.U32();
  absl::flat_hash_map<UChar32, UChar32> leet;
  for (uint32_t i = r.Count(8); i > 0 && r.ok(); --i) {
    const uint32_t from = r.U32(), to = r.U32();
    if (r.ok() && (!ValidCodePoint(from) || !ValidCodePoint(to))) {
      return Corrupt("a leetspeak mapping is not a code point");
    }
    leet[static_cast<UChar32>(from)] = static_cast<UChar32>(to);
  }
  absl::flat_hash_map<std::string, std::string> equivalences;
  for (uint32_t i = r.Count(8); i > 0 && r.ok(); --i) {
    std::string word = r.Str();
    std::string canonical = r.Str();
    if (r.ok() && (word.empty() || canonical.empty() || !GoodText(word) ||
                   !GoodText(canonical))) {
      return Corrupt("an equivalence is empty or not UTF-8");
    }
    equivalences[std::move(word)] = std::move(canonical);
  }
  const uint32_t mixed = r.U32();
  if (!r.ok()) return Corrupt("its lowered form is truncated");
  if (r.left() != 0) {
    return Corrupt(
        absl::StrCat(r.left(), " unexplained bytes after its lowered form"));
  }
  config.SetLeet(std::move(leet));
  config.SetEquivalences(std::move(equivalences));
  rep->mixed_script_pattern =
      mixed == kNoPattern
          ? -1
          : static_cast<int32_t>(std::min<uint32_t>(mixed, 0x7fffffff));
  absl::Status status = Check(*rep);
  if (!status.ok()) return status;
  IndexEngineRep(rep);
  return absl::OkStatus();
}

void IndexEngineRep(EngineRep* rep) {
  rep->rules_by_pattern.assign(rep->patterns.size(), {});
  rep->term_refs_by_pattern.assign(rep->patterns.size(), {});
  for (uint32_t t = 0; t < rep->term_refs.size(); ++t) {
    rep->term_refs_by_pattern[rep->term_refs[t].pattern].push_back(t);
  }
  for (uint32_t r = 0; r < rep->rules.size(); ++r) {
    for (uint32_t t : rep->rules[r].positive_terms) {
      auto& rules = rep->rules_by_pattern[rep->term_refs[t].pattern];
      if (rules.empty() || rules.back() != r) rules.push_back(r);
    }
  }
  // The words of the terms, for reading stand-ins of two meanings
  // (FoldConfig::stand_in_words), in both readings' configs: each
  // phrase's words, and the runs of letters of each regex's folded form
  // ("(your|ur) age" has "your", "ur", "age"; an escape's letter is no
  // word). Sorted, so that every load builds the same table.
  absl::flat_hash_set<std::string> words;
  auto add_runs = [&](absl::string_view text, bool regex) {
    size_t i = 0;
    while (i < text.size()) {
      if (regex && text[i] == '\\') {
        i += 2;
        continue;
      }
      size_t j = i;
      while (j < text.size() && text[j] >= 'a' && text[j] <= 'z') ++j;
      if (j - i >= 2) words.emplace(text.substr(i, j - i));
      i = j == i ? i + 1 : j;
    }
  };
  for (const Pattern& pattern : rep->patterns) {
    if (pattern.kind == Pattern::Kind::kLiteral) {
      add_runs(pattern.text, false);
    } else {
      for (const std::string& folded : pattern.forms[kFoldedSlot]) {
        add_runs(folded, true);
      }
    }
  }
  // And the words side by side in a phrase, where a word's ambiguous
  // spelling ("4", "463") may be read as it (FoldConfig::term_stand_ins).
  // A phrase of one word ("please") needs that word anywhere.
  absl::flat_hash_set<std::string> pairs, alone;
  auto add_pairs = [&pairs, &alone](absl::string_view text) {
    std::vector<absl::string_view> phrase =
        absl::StrSplit(text, ' ', absl::SkipEmpty());
    if (phrase.size() == 1) alone.emplace(phrase[0]);
    for (size_t k = 0; k + 1 < phrase.size(); ++k) {
      pairs.insert(absl::StrCat(phrase[k], " ", phrase[k + 1]));
    }
  };
  // A regex's pairs come from the strings its folded form spells
  // (RegexWordPairs, regex_literals.h), read piece by piece so that a long
  // regex is no more costly than a short one: "(hear|see) (you|u)" has
  // "see you", so "can't c" may be "can't see". A run of a regex that is
  // not finite ("i live at ") is a substring of its matches, so its words
  // side by side are a pair too. Spelling every string out whole cost
  // child_safety about 30 ms of load at 512 strings a regex.
  constexpr size_t kRegexStrings = 256;
  for (const Pattern& pattern : rep->patterns) {
    if (pattern.kind == Pattern::Kind::kLiteral) {
      add_pairs(pattern.text);
      continue;
    }
    for (const std::string& folded : pattern.forms[kFoldedSlot]) {
      auto regex_pairs = RegexWordPairs(folded, kRegexStrings);
      if (!regex_pairs.has_value()) continue;
      for (std::string& pair : *regex_pairs) pairs.insert(std::move(pair));
    }
  }
  std::vector<std::string> sorted(words.begin(), words.end());
  std::sort(sorted.begin(), sorted.end());
  const std::vector<std::string> pair_list(pairs.begin(), pairs.end());
  const std::vector<std::string> alone_list(alone.begin(), alone.end());
  rep->fold_config.SetTermWords(sorted, pair_list, alone_list);
  // Text holding a stand-in that may mean either of two letters is folded
  // a second time with the other reading (FoldConfig::AlternateLeet()).
  // Built after the term words, which it reads too, with its own
  // stand-in words (FoldConfig::SetTermWords): "|ocat|on" read with "|" as
  // "l" has "locatlon", which is "location" with one "l" read as "i".
  rep->alternate_fold_config.reset();
  rep->alternate_stand_ins.clear();
  const FoldConfig& config = rep->fold_config;
  if (config.enabled & kFoldLeetspeak) {
    absl::flat_hash_map<UChar32, UChar32> alternate = config.leet();
    std::vector<std::pair<UChar32, UChar32>> changes;
    for (const auto& [from, to] : FoldConfig::AlternateLeet()) {
      auto it = alternate.find(from);
      if (it == alternate.end() || it->second == to) continue;
      changes.emplace_back(from, to);
    }
    // AlternateLeet() is a hash map: sorted, the stand-ins come out in the
    // same order on every load.
    std::sort(changes.begin(), changes.end());
    for (const auto& [from, to] : changes) {
      alternate[from] = to;
      if (from < 0x80) rep->alternate_stand_ins += static_cast<char>(from);
    }
    // Rows of several code points with another reading ("|>" is "p" or
    // "d") are read the other way in the same second fold.
    if (!rep->alternate_stand_ins.empty()) {
      rep->alternate_fold_config = std::make_unique<FoldConfig>(config);
      rep->alternate_fold_config->SetLeet(std::move(alternate));
      rep->alternate_fold_config->ReadSequencesAlternately();
      rep->alternate_fold_config->SetTermWords(sorted, pair_list, alone_list);
    }
  }
  rep->vocabulary = Vocabulary();
  for (const std::string& word : sorted) rep->vocabulary.Add(word);
  // One-letter words ("a", "u") count where a phrase has them.
  for (const Pattern& pattern : rep->patterns) {
    if (pattern.kind != Pattern::Kind::kLiteral) continue;
    for (absl::string_view word : absl::StrSplit(pattern.text, ' ')) {
      if (word.size() != 1) continue;
      words.emplace(word);
      rep->vocabulary.Add(std::string_view(word.data(), 1));
    }
  }
  // And the words a regex spells beside another, as its pairs say: whole
  // where a class ends them ("sol[oa] en" has "sola" and "solo", where its
  // runs of letters have "sol"), and of one letter ("t[uú] y yo" has "y").
  for (absl::string_view pair : pair_list) {
    for (absl::string_view word : absl::StrSplit(pair, ' ')) {
      if (word.size() == 1) words.emplace(word);
      rep->vocabulary.Add(std::string_view(word.data(), word.size()));
    }
  }
  // A run of spaced-out letters keeps its chat-speak ("u r" in "s e n d m
  // e u r p i x"): the other spellings of a term word are words too.
  for (const auto& [word, canonical] : rep->fold_config.equivalences()) {
    if (words.contains(canonical)) rep->vocabulary.Add(word);
  }
  // So are the one-letter stand-in words of term words ("c" for "see":
  // "snap ur parents wont c"), as a phrase's one-letter words are. Not
  // "da" or "ya", which would cut masked runs wrongly ("s*n da f*w" for
  // "s*nd a f*w"), nor digits, which a run reads as numbers already.
  for (const auto& [spelling, word] : rep->fold_config.term_stand_ins()) {
    if (spelling.size() == 1) rep->vocabulary.Add(spelling);
  }
}

std::string RulesetFingerprint(const v1::Ruleset& ruleset) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    ruleset.SerializeToCodedStream(&coded);
  }
  // FNV-1a, 64-bit, written out here because it must be stable across
  // processes and releases; absl::Hash is salted per process.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return absl::StrFormat("%016x", hash);
}

}  // namespace watchword
