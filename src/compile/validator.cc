#include "src/compile/validator.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "re2/re2.h"
#include "src/compile/diagnostic_codes.h"
#include "src/compile/library_message.h"
#include "src/engine/ruleset_limits.h"
#include "src/engine/pattern.h"
#include "src/engine/regex_spans.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"
#include "watchword/normalizer.h"

#ifdef WATCHWORD_HAVE_HYPERSCAN
#include <hs/hs.h>

#include "src/engine/hyperscan_matcher.h"
#endif

namespace watchword {
namespace {

constexpr absl::string_view kBuiltinFields[] = {"body", "username",
                                                "display_name", "bio"};

bool IsBuiltinField(absl::string_view name) {
  return std::find(std::begin(kBuiltinFields), std::end(kBuiltinFields),
                   name) != std::end(kBuiltinFields);
}

// [a-z0-9][a-z0-9._-]*
bool IsWellFormedId(absl::string_view id) {
  auto lower_or_digit = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  if (id.empty() || !lower_or_digit(id[0])) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) {
    return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
  });
}

// The id a term is reported under: its own, else its phrase or regex.
const std::string& EffectiveId(const v1::Term& term) {
  if (!term.id().empty()) return term.id();
  return term.kind_case() == v1::Term::kRegex ? term.regex() : term.phrase();
}

bool SameTerm(const v1::Term& a, const v1::Term& b) {
  return a.kind_case() == b.kind_case() && a.phrase() == b.phrase() &&
         a.regex() == b.regex() && a.substring() == b.substring();
}


// Finds an expression under `expr`, which is at `depth` and whose field
// path is *path, that nests deeper than kMaxExprDepth. Returns true and
// leaves its path in *path if there is one; otherwise returns false with
// *path as it was. Never recurses more than kMaxExprDepth + 1 levels.
bool FindTooDeep(const v1::Expr& expr, int depth, std::string* path) {
  if (depth > kMaxExprDepth) return true;
  const google::protobuf::RepeatedPtrField<v1::Expr>* children = nullptr;
  const char* field = nullptr;
  switch (expr.node_case()) {
    case v1::Expr::kAny:
      children = &expr.any().exprs();
      field = ".any.exprs[";
      break;
    case v1::Expr::kAll:
      children = &expr.all().exprs();
      field = ".all.exprs[";
      break;
    case v1::Expr::kNone:
      children = &expr.none().exprs();
      field = ".none.exprs[";
      break;
    case v1::Expr::kNear:
      children = &expr.near().exprs();
      field = ".near.exprs[";
      break;
    default:
      return false;
  }
  const size_t length = path->size();
  for (int k = 0; k < children->size(); ++k) {
    absl::StrAppend(path, field, k, "]");
    if (FindTooDeep((*children)[k], depth + 1, path)) return true;
    path->resize(length);
  }
  return false;
}

// One problem found in a regex, independent of where it is used.
struct RegexProblem {
  const char* code;
  std::string detail;
};

std::vector<RegexProblem> CheckRegex(const std::string& regex,
                                     bool compile_with_hyperscan) {
  (void)compile_with_hyperscan;  // Unused in builds without Hyperscan.
  std::vector<RegexProblem> problems;
  re2::RE2 re(regex, RegexOptions());
  if (!re.ok()) {
    problems.push_back(
        {kBadRegex, absl::StrCat("does not compile: ", LibraryMessage(re.error()))});
    return problems;
  }
  // Before Hyperscan sees it: compiling a regex far over the limit takes
  // seconds, per view.
  if (re.ProgramSize() > kMaxRegexProgramSize) {
    problems.push_back(
        {kRegexTooCostly,
         absl::StrCat("is too costly to compile: ", re.ProgramSize(),
                      " RE2 instructions; limit is ", kMaxRegexProgramSize,
                      " (large counted repeats and Unicode classes such as "
                      "\\pL cost most)")});
    return problems;
  }
  bool matches_empty = MatchesEmpty(re);
#ifdef WATCHWORD_HAVE_HYPERSCAN
  // The same flags the Hyperscan backend compiles the regex with.
  Pattern pattern;
  pattern.kind = Pattern::Kind::kRegex;
  const unsigned kFlags = HyperscanFlags(pattern);
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(regex.c_str(), kFlags, &info, &error) == HS_SUCCESS) {
    if (info->min_width == 0) matches_empty = true;
    std::free(info);
  } else {
    hs_free_compile_error(error);
    error = nullptr;
  }
#endif
  if (matches_empty) {
    // Hyperscan would only repeat this in its own words.
    problems.push_back({kRegexMatchesEmpty, "matches the empty string"});
    return problems;
  }
#ifdef WATCHWORD_HAVE_HYPERSCAN
  if (!compile_with_hyperscan) return problems;
  hs_database_t* database = nullptr;
  if (hs_compile(regex.c_str(), kFlags, HS_MODE_BLOCK, nullptr, &database,
                 &error) != HS_SUCCESS) {
    problems.push_back(
        {kRegexHyperscan,
         absl::StrCat("is rejected by hyperscan: ",
                      LibraryMessage(error != nullptr && error->message != nullptr
                                   ? error->message
                                   : "unknown error"))});
    hs_free_compile_error(error);
  }
  hs_free_database(database);
#endif
  return problems;
}

// The terms and term lists one rule's match expression uses.
struct RuleTerms {
  struct Inline {
    const v1::Term* term;
    std::string path;
  };
  std::vector<Inline> inline_terms;
  std::vector<std::string> term_lists;
};

class Validator {
 public:
  Validator(const v1::Ruleset& ruleset, const ValidateOptions& options,
            std::vector<v1::Diagnostic>* out)
      : ruleset_(ruleset), options_(options), out_(out) {}

  int Run() {
    CheckStrings();
    CheckNormalization();
    CheckCustomFields();
    for (int i = 0; i < ruleset_.term_lists_size(); ++i) CheckTermList(i);
    for (int i = 0; i < ruleset_.rules_size(); ++i) CheckRule(i);
    CollectSignalSources();
    for (int i = 0; i < ruleset_.conversation_rules_size(); ++i) {
      CheckConversationRule(i);
    }
    return errors_;
  }

 private:
  void Add(v1::Diagnostic::Severity severity, const char* code,
           const std::string& rule_id, std::string path, std::string message) {
    v1::Diagnostic d;
    d.set_severity(severity);
    d.set_code(code);
    // Messages quote ruleset strings, which may be invalid UTF-8 (WW007).
    d.set_message(ValidUtf8(message));
    d.set_rule_id(ValidUtf8(rule_id));
    d.set_field_path(std::move(path));
    out_->push_back(std::move(d));
    if (severity == v1::Diagnostic::SEVERITY_ERROR) ++errors_;
  }

  // Errors and warnings inside a rule (or a term list: then `rule_id_` is
  // empty); messages start with `label_`.
  void Error(const char* code, std::string path, absl::string_view detail) {
    Add(v1::Diagnostic::SEVERITY_ERROR, code, rule_id_, std::move(path),
        absl::StrCat(label_, ": ", detail));
  }
  void Warning(const char* code, std::string path, absl::string_view detail) {
    Add(v1::Diagnostic::SEVERITY_WARNING, code, rule_id_, std::move(path),
        absl::StrCat(label_, ": ", detail));
  }

  bool IsKnownField(const std::string& name) const {
    return IsBuiltinField(name) || custom_fields_.contains(name);
  }

  void CheckFoldList(const google::protobuf::RepeatedField<int>& folds,
                     const std::string& path) {
    for (int i = 0; i < folds.size(); ++i) {
      if (folds[i] == v1::FOLD_UNSPECIFIED) {
        Error(kBadFold, absl::StrCat(path, "[", i, "]"),
              "FOLD_UNSPECIFIED is not a fold");
      }
    }
  }

  // ---------------------------------------------------------- strings

  // Reports every string of the ruleset that is not valid UTF-8 (protobuf
  // would refuse to read it back from an engine file, and verdicts and
  // diagnostics quote many of them), and every NUL in a string that becomes
  // part of a pattern. NUL is refused rather than escaped: no chat text
  // holds one, and Hyperscan reads expressions as C strings, so the two
  // backends could not agree on one without special cases in both.
  void CheckStrings() {
    using google::protobuf::FieldDescriptor;
    const google::protobuf::Descriptor* type = ruleset_.GetDescriptor();
    const google::protobuf::Reflection* reflection = ruleset_.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    reflection->ListFields(ruleset_, &fields);
    for (const FieldDescriptor* field : fields) {
      const bool rules = field == type->FindFieldByName("rules");
    const bool conversation_rules =
        field == type->FindFieldByName("conversation_rules");
      const bool lists = field == type->FindFieldByName("term_lists");
      const int count =
          field->is_repeated() ? reflection->FieldSize(ruleset_, field) : 1;
      for (int i = 0; i < count; ++i) {
        rule_id_.clear();
        label_ = "ruleset";
        if (rules) {
          rule_id_ = ruleset_.rules(i).id();
          label_ = rule_id_.empty()
                       ? absl::StrCat("rules[", i, "]")
                       : absl::StrCat("rule \"", rule_id_, "\"");
        } else if (conversation_rules) {
          rule_id_ = ruleset_.conversation_rules(i).id();
          label_ = rule_id_.empty()
                       ? absl::StrCat("conversation_rules[", i, "]")
                       : absl::StrCat("conversation rule \"", rule_id_, "\"");
        } else if (lists) {
          const std::string& id = ruleset_.term_lists(i).id();
          label_ = id.empty() ? absl::StrCat("term_lists[", i, "]")
                              : absl::StrCat("term list \"", id, "\"");
        }
        std::string path(field->name());
        CheckField(ruleset_, field, field->is_repeated() ? i : -1, 1, &path);
      }
    }
  }

  // Checks element `index` (-1: not repeated) of `field` of `message`, at
  // message depth `depth`, whose path is *path (restored on return).
  void CheckField(const google::protobuf::Message& message,
                  const google::protobuf::FieldDescriptor* field, int index,
                  int depth, std::string* path) {
    using google::protobuf::FieldDescriptor;
    const google::protobuf::Reflection* reflection = message.GetReflection();
    const size_t length = path->size();
    if (index >= 0) absl::StrAppend(path, "[", index, "]");
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      std::string scratch;
      const std::string& value =
          index >= 0 ? reflection->GetRepeatedStringReference(message, field,
                                                               index, &scratch)
                     : reflection->GetStringReference(message, field, &scratch);
      CheckString(field, value, *path);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               depth < kMaxMessageDepth) {
      // Deeper messages are expressions, reported as too deep (WW114).
      const google::protobuf::Message& child =
          index >= 0 ? reflection->GetRepeatedMessage(message, field, index)
                     : reflection->GetMessage(message, field);
      const google::protobuf::Reflection* child_reflection =
          child.GetReflection();
      std::vector<const FieldDescriptor*> fields;
      child_reflection->ListFields(child, &fields);
      const size_t child_length = path->size();
      for (const FieldDescriptor* f : fields) {
        absl::StrAppend(path, ".", f->name());
        const int count =
            f->is_repeated() ? child_reflection->FieldSize(child, f) : 1;
        for (int i = 0; i < count; ++i) {
          CheckField(child, f, f->is_repeated() ? i : -1, depth + 1, path);
        }
        path->resize(child_length);
      }
    }
    path->resize(length);
  }

  void CheckString(const google::protobuf::FieldDescriptor* field,
                   const std::string& value, const std::string& path) {
    const size_t bad = FirstInvalidUtf8(value);
    if (bad != std::string::npos) {
      Error(kInvalidUtf8, path,
            absl::StrCat(field->name(), " is not valid UTF-8 (at byte ", bad,
                         ")"));
    }
    static const absl::flat_hash_set<std::string>* const kPatternFields =
        new absl::flat_hash_set<std::string>{
            "watchword.v1.Term.phrase", "watchword.v1.Term.regex",
            "watchword.v1.Equivalence.words", "watchword.v1.LeetMapping.from",
            "watchword.v1.LeetMapping.to"};
    const size_t nul = value.find('\0');
    if (nul != std::string::npos && kPatternFields->contains(field->full_name())) {
      Error(kNulInPattern, path,
            absl::StrCat(field->name(), " holds a NUL character (at byte ", nul,
                         ")"));
    }
  }

  static int CodePoints(const std::string& s, UChar32* first) {
    int count = 0;
    *first = -1;
    for (int32_t i = 0, n = static_cast<int32_t>(s.size()); i < n; ++count) {
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
      if (count == 0) *first = c;
    }
    return count;
  }

  void CheckNormalization() {
    const v1::Normalization& n = ruleset_.normalization();
    rule_id_.clear();
    label_ = "normalization";
    CheckFoldList(n.disable(), "normalization.disable");
    for (int i = 0; i < n.leet_size(); ++i) {
      const v1::LeetMapping& m = n.leet(i);
      std::string path = absl::StrCat("normalization.leet[", i, "]");
      UChar32 from, to;
      if (CodePoints(m.from(), &from) != 1 || from < 0) {
        Error(kBadLeetMapping, path + ".from",
              absl::StrCat("leet \"from\" must be one character, not \"",
                           m.from(), "\""));
      }
      if (CodePoints(m.to(), &to) != 1 || to < 0 || !u_isalpha(to) ||
          u_tolower(to) != to) {
        Error(kBadLeetMapping, path + ".to",
              absl::StrCat("leet \"to\" must be one lower-case letter, not \"",
                           m.to(), "\""));
      }
    }
    absl::flat_hash_map<std::string, int> word_class;
    for (int i = 0; i < n.equivalences_size(); ++i) {
      const v1::Equivalence& e = n.equivalences(i);
      std::string path = absl::StrCat("normalization.equivalences[", i, "]");
      if (e.words_size() < 2) {
        Error(kBadEquivalence, path, "an equivalence needs at least 2 words");
      }
      for (int w = 0; w < e.words_size(); ++w) {
        NormalizedText normalized;
        Normalize(e.words(w), &normalized);
        std::string word_path = absl::StrCat(path, ".words[", w, "]");
        const std::string& word = normalized.text;
        if (word.empty() || word == " " ||
            word.find(' ') != std::string::npos) {
          Error(kBadEquivalence, word_path,
                absl::StrCat("\"", e.words(w), "\" is not a single word"));
          continue;
        }
        auto [it, inserted] = word_class.try_emplace(word, i);
        if (!inserted && it->second != i) {
          Error(kBadEquivalence, word_path,
                absl::StrCat("\"", e.words(w), "\" is already in equivalences[",
                             it->second, "]"));
        }
      }
    }
  }

  void CheckCustomFields() {
    for (int i = 0; i < ruleset_.custom_fields_size(); ++i) {
      const std::string& name = ruleset_.custom_fields(i);
      std::string path = absl::StrCat("custom_fields[", i, "]");
      label_ = absl::StrCat("custom field \"", name, "\"");
      if (name.empty()) {
        label_ = path;
        Error(kBadCustomField, path, "custom field name is empty");
      } else if (IsBuiltinField(name)) {
        Error(kBadCustomField, path, "is a built-in field");
      } else if (!custom_fields_.insert(name).second) {
        Error(kBadCustomField, path, "is declared twice");
      }
    }
  }

  void CheckTermList(int i) {
    const v1::TermList& list = ruleset_.term_lists(i);
    std::string path = absl::StrCat("term_lists[", i, "]");
    rule_id_.clear();
    label_ = list.id().empty() ? path
                               : absl::StrCat("term list \"", list.id(), "\"");
    CheckFoldList(list.disable_folds(), path + ".disable_folds");
    if (list.id().empty()) {
      Error(kInvalidTermListId, path + ".id", "term list id is empty");
    } else if (!IsWellFormedId(list.id())) {
      Error(kInvalidTermListId, path + ".id",
            "id must match [a-z0-9][a-z0-9._-]*");
    }
    if (!list.id().empty()) {
      auto [it, inserted] = term_lists_.try_emplace(list.id(), i);
      if (!inserted) {
        Error(
            kDuplicateTermListId, path + ".id",
            absl::StrCat("id is already used by term_lists[", it->second, "]"));
      }
    }
    if (list.terms_size() == 0) {
      Error(kEmptyTermList, path + ".terms", "term list holds no terms");
    }
    CheckTermSet(list.terms(), path + ".terms");
  }

  // Checks the terms of a list (or exception): each valid, ids unique.
  void CheckTermSet(const google::protobuf::RepeatedPtrField<v1::Term>& terms,
                    const std::string& path) {
    absl::flat_hash_set<std::string> ids;
    for (int j = 0; j < terms.size(); ++j) {
      std::string term_path = absl::StrCat(path, "[", j, "]");
      CheckTerm(terms[j], term_path);
      const std::string& id = EffectiveId(terms[j]);
      if (!id.empty() && !ids.insert(id).second) {
        Error(kDuplicateTermId, term_path,
              absl::StrCat("duplicate term id \"", id, "\""));
      }
    }
  }

  void CheckTerm(const v1::Term& term, const std::string& path) {
    CheckFoldList(term.disable_folds(), path + ".disable_folds");
    // CheckStrings() reported these; RE2 and Hyperscan would only repeat it.
    if (FirstInvalidUtf8(term.phrase()) != std::string::npos ||
        FirstInvalidUtf8(term.regex()) != std::string::npos) {
      return;
    }
    switch (term.kind_case()) {
      case v1::Term::KIND_NOT_SET:
        Error(kTermKindNotSet, path, "term has neither phrase nor regex");
        return;
      case v1::Term::kPhrase: {
        if (term.phrase().empty()) {
          Error(kEmptyPhrase, path + ".phrase", "phrase is empty");
          return;
        }
        NormalizedText normalized;
        Normalize(term.phrase(), &normalized);
        if (normalized.text.find_first_not_of(' ') == std::string::npos) {
          Error(kEmptyPhrase, path + ".phrase",
                absl::StrCat("phrase \"", term.phrase(),
                             "\" is empty after normalization"));
        }
        return;
      }
      case v1::Term::kRegex: {
        auto [it, inserted] = regex_problems_.try_emplace(term.regex());
        if (inserted) {
          it->second = CheckRegex(term.regex(), options_.compile_with_hyperscan);
        }
        for (const RegexProblem& problem : it->second) {
          Error(problem.code, path + ".regex",
                absl::StrCat("regex \"", term.regex(), "\" ", problem.detail));
        }
        return;
      }
    }
  }

  void CheckTermListRef(const std::string& id, const std::string& path) {
    if (!term_lists_.contains(id)) {
      Error(kUnknownTermList, path,
            absl::StrCat("unknown term list \"", id, "\""));
    }
  }

  // True if `expr` occurs at a place in the text: a term, a term list, or
  // `any` of such.
  static bool IsPositional(const v1::Expr& expr) {
    switch (expr.node_case()) {
      case v1::Expr::kTerm:
      case v1::Expr::kTermList:
      case v1::Expr::kSignal:
        return true;
      case v1::Expr::kAny:
        return std::all_of(expr.any().exprs().begin(), expr.any().exprs().end(),
                           IsPositional);
      default:
        return false;
    }
  }

  // True if `expr` can only hold when some term occurs. Malformed nodes
  // count as needing a term: they are reported on their own.
  static bool NeedsTerm(const v1::Expr& expr) {
    switch (expr.node_case()) {
      case v1::Expr::kNone:
        return false;
      case v1::Expr::kAny:
        return std::all_of(expr.any().exprs().begin(), expr.any().exprs().end(),
                           NeedsTerm);
      case v1::Expr::kAll:
        return expr.all().exprs().empty() ||
               std::any_of(expr.all().exprs().begin(), expr.all().exprs().end(),
                           NeedsTerm);
      default:
        return true;
    }
  }

  void CheckExprList(const v1::ExprList& list, const char* op,
                     const std::string& path, RuleTerms* terms) {
    if (list.exprs().empty()) {
      Error(kEmptyExprList, path,
            absl::StrCat("\"", op, "\" has no sub-expressions"));
    }
    for (int k = 0; k < list.exprs_size(); ++k) {
      CheckExpr(list.exprs(k), absl::StrCat(path, ".exprs[", k, "]"), terms);
    }
  }

  void CheckExpr(const v1::Expr& expr, const std::string& path,
                 RuleTerms* terms) {
    switch (expr.node_case()) {
      case v1::Expr::NODE_NOT_SET:
        Error(kEmptyExpr, path, "expression is empty");
        return;
      case v1::Expr::kTerm:
        CheckTerm(expr.term(), path + ".term");
        terms->inline_terms.push_back({&expr.term(), path + ".term"});
        return;
      case v1::Expr::kTermList:
        CheckTermListRef(expr.term_list(), path + ".term_list");
        terms->term_lists.push_back(expr.term_list());
        return;
      case v1::Expr::kAny:
        CheckExprList(expr.any(), "any", path + ".any", terms);
        return;
      case v1::Expr::kAll:
        CheckExprList(expr.all(), "all", path + ".all", terms);
        return;
      case v1::Expr::kNone:
        CheckExprList(expr.none(), "none", path + ".none", terms);
        return;
      case v1::Expr::kSignal:
        if (expr.signal() == v1::SIGNAL_UNSPECIFIED) {
          Error(kBadSignal, path + ".signal", "SIGNAL_UNSPECIFIED is not a signal");
        }
        return;
      case v1::Expr::kNear: {
        const v1::Near& near = expr.near();
        if (near.exprs_size() < 2) {
          Error(kBadNear, path + ".near",
                "\"near\" needs at least 2 sub-expressions");
        }
        for (int k = 0; k < near.exprs_size(); ++k) {
          std::string child = absl::StrCat(path, ".near.exprs[", k, "]");
          if (near.exprs(k).node_case() != v1::Expr::NODE_NOT_SET &&
              !IsPositional(near.exprs(k))) {
            Error(kBadNear, child,
                  "\"near\" takes only term, term_list, signal and any of those");
          }
          CheckExpr(near.exprs(k), child, terms);
        }
        return;
      }
    }
  }

  void CheckRule(int i) {
    const v1::Rule& rule = ruleset_.rules(i);
    const std::string path = absl::StrCat("rules[", i, "]");
    rule_id_ = rule.id();
    label_ =
        rule.id().empty() ? path : absl::StrCat("rule \"", rule.id(), "\"");
    CheckFoldList(rule.evasion().require_any(), path + ".evasion.require_any");
    if (rule.id().empty()) {
      Error(kInvalidRuleId, path + ".id", "rule id is empty");
    } else if (!IsWellFormedId(rule.id())) {
      Error(kInvalidRuleId, path + ".id", "id must match [a-z0-9][a-z0-9._-]*");
    }
    if (!rule.id().empty()) {
      auto [it, inserted] = rule_ids_.try_emplace(rule.id(), i);
      if (!inserted) {
        Error(kDuplicateRuleId, path + ".id",
              absl::StrCat("id is already used by rules[", it->second, "]"));
      }
    }
    if (rule.action() == v1::ACTION_UNSPECIFIED) {
      Error(kMissingAction, path + ".action", "action is not set");
    }
    if (rule.severity() == v1::SEVERITY_UNSPECIFIED) {
      Warning(kMissingSeverity, path + ".severity", "severity is not set");
    }
    if (rule.category().empty()) {
      Warning(kMissingCategory, path + ".category", "category is empty");
    }

    RuleTerms terms;
    if (!rule.has_match()) {
      Error(kMissingMatch, path + ".match", "rule has no match expression");
    } else if (std::string deep = path + ".match";
               FindTooDeep(rule.match(), 1, &deep)) {
      // Nothing below looks deeper: every check of an expression recurses.
      Error(kExprTooDeep, deep,
            absl::StrCat("expression nests deeper than ", kMaxExprDepth,
                         " levels, the limit"));
    } else {
      CheckExpr(rule.match(), path + ".match", &terms);
      if (!NeedsTerm(rule.match())) {
        Error(kNoRequiredTerm, path + ".match",
              "expression needs at least one term that must occur");
      }
    }
    CheckRuleTermIds(terms);
    CheckExceptions(rule, path, terms);
    CheckConditions(rule.conditions(), path);

    for (int j = 0; j < rule.fields_size(); ++j) {
      CheckFieldName(rule.fields(j), absl::StrCat(path, ".fields[", j, "]"));
    }
    CheckExamples(rule.should_match(), path + ".should_match", "should_match");
    CheckExamples(rule.should_not_match(), path + ".should_not_match",
                  "should_not_match");
    if (rule.should_match().empty()) {
      Warning(kNoShouldMatch, path + ".should_match",
              "has no should_match examples");
    }
    if (rule.should_not_match().empty()) {
      Warning(kNoShouldNotMatch, path + ".should_not_match",
              "has no should_not_match examples");
    }
  }

  // One id may stand for one term: the same term used in two places of an
  // expression is fine, two different terms under one id are not.
  void CheckRuleTermIds(const RuleTerms& terms) {
    absl::flat_hash_map<std::string, const v1::Term*> seen;
    for (const RuleTerms::Inline& t : terms.inline_terms) {
      const std::string& id = EffectiveId(*t.term);
      if (id.empty()) continue;
      auto [it, inserted] = seen.try_emplace(id, t.term);
      if (!inserted && !SameTerm(*it->second, *t.term)) {
        Error(kDuplicateTermId, t.path,
              absl::StrCat("duplicate term id \"", id, "\""));
      }
    }
  }

  void CheckExceptions(const v1::Rule& rule, const std::string& path,
                       const RuleTerms& terms) {
    if (rule.exceptions().empty()) return;
    absl::flat_hash_set<std::string> rule_term_ids;
    for (const RuleTerms::Inline& t : terms.inline_terms) {
      rule_term_ids.insert(EffectiveId(*t.term));
    }
    for (const std::string& list_id : terms.term_lists) {
      auto it = term_lists_.find(list_id);
      if (it == term_lists_.end()) continue;
      for (const v1::Term& term : ruleset_.term_lists(it->second).terms()) {
        rule_term_ids.insert(EffectiveId(term));
      }
    }
    for (int k = 0; k < rule.exceptions_size(); ++k) {
      const v1::Exception& exception = rule.exceptions(k);
      std::string exception_path = absl::StrCat(path, ".exceptions[", k, "]");
      if (exception.terms().empty() && exception.term_lists().empty()) {
        Error(kEmptyException, exception_path,
              "exception has no terms and no term lists");
      }
      CheckTermSet(exception.terms(), exception_path + ".terms");
      for (int j = 0; j < exception.term_lists_size(); ++j) {
        CheckTermListRef(exception.term_lists(j),
                         absl::StrCat(exception_path, ".term_lists[", j, "]"));
      }
      for (int j = 0; j < exception.only_terms_size(); ++j) {
        const std::string& id = exception.only_terms(j);
        if (!rule_term_ids.contains(id)) {
          Error(kUnknownOnlyTerm,
                absl::StrCat(exception_path, ".only_terms[", j, "]"),
                absl::StrCat("only_terms names \"", id,
                             "\", which is not a term of the rule"));
        }
      }
    }
  }

  void CheckFieldName(const std::string& name, const std::string& path) {
    if (!IsKnownField(name)) {
      Error(kUnknownField, path, absl::StrCat("unknown field \"", name, "\""));
    }
  }

  void CheckExamples(
      const google::protobuf::RepeatedPtrField<v1::Example>& examples,
      const std::string& path, const char* kind) {
    for (int k = 0; k < examples.size(); ++k) {
      const v1::Example& example = examples[k];
      std::string example_path = absl::StrCat(path, "[", k, "]");
      if (example.text().empty() && example.fields().empty()) {
        Error(kEmptyExample, example_path,
              absl::StrCat(kind, "[", k, "] has no text or fields"));
      }
      for (int j = 0; j < example.fields_size(); ++j) {
        CheckFieldName(example.fields(j).name(),
                       absl::StrCat(example_path, ".fields[", j, "].name"));
      }
    }
  }

  // ---------------------------------------------------------- conversations

  // What conversation signals may select: the ids, categories (and their
  // dotted prefixes) and tags of the message-level rules.
  void CollectSignalSources() {
    for (const v1::Rule& rule : ruleset_.rules()) {
      const std::string& category = rule.category();
      if (!category.empty()) categories_.insert(category);
      for (size_t dot = category.find('.'); dot != std::string::npos;
           dot = category.find('.', dot + 1)) {
        categories_.insert(category.substr(0, dot));
      }
      tags_.insert(rule.tags().begin(), rule.tags().end());
    }
  }

  void CheckConversationRule(int i) {
    const v1::ConversationRule& rule = ruleset_.conversation_rules(i);
    const std::string path = absl::StrCat("conversation_rules[", i, "]");
    rule_id_ = rule.id();
    label_ = rule.id().empty()
                 ? path
                 : absl::StrCat("conversation rule \"", rule.id(), "\"");
    if (rule.id().empty()) {
      Error(kInvalidRuleId, path + ".id", "rule id is empty");
    } else if (!IsWellFormedId(rule.id())) {
      Error(kInvalidRuleId, path + ".id", "id must match [a-z0-9][a-z0-9._-]*");
    } else if (auto it = rule_ids_.find(rule.id()); it != rule_ids_.end()) {
      Error(kDuplicateRuleId, path + ".id",
            absl::StrCat("id is already used by rules[", it->second, "]"));
    } else if (auto [jt, inserted] =
                   conversation_rule_ids_.try_emplace(rule.id(), i);
               !inserted) {
      Error(kDuplicateRuleId, path + ".id",
            absl::StrCat("id is already used by conversation_rules[",
                         jt->second, "]"));
    }
    if (rule.action() == v1::ACTION_UNSPECIFIED) {
      Error(kMissingAction, path + ".action", "action is not set");
    }
    if (rule.severity() == v1::SEVERITY_UNSPECIFIED) {
      Warning(kMissingSeverity, path + ".severity", "severity is not set");
    }
    if (rule.category().empty()) {
      Warning(kMissingCategory, path + ".category", "category is empty");
    }
    CheckConditions(rule.conditions(), path);

    const bool risk = rule.pattern_case() == v1::ConversationRule::kRiskScore;
    absl::flat_hash_set<std::string> signal_ids;
    for (int k = 0; k < rule.signals_size(); ++k) {
      CheckConversationSignal(rule.signals(k),
                              absl::StrCat(path, ".signals[", k, "]"), risk,
                              &signal_ids);
    }
    const int signals = rule.signals_size();
    if (signals == 0 &&
        rule.pattern_case() != v1::ConversationRule::kNewContacts &&
        rule.pattern_case() != v1::ConversationRule::PATTERN_NOT_SET) {
      Error(kBadConversationSignal, path + ".signals", "rule has no signals");
    }

    const v1::ConversationWindow& window = rule.window();
    if (window.max_messages() == 0 && window.max_duration_seconds() == 0) {
      Error(kEmptyWindow, path + ".window",
            "window needs max_messages or max_duration_seconds");
    }

    const v1::ConversationScope scope = rule.scope();
    const bool sender_scope = scope == v1::CONVERSATION_SCOPE_SENDER ||
                              scope == v1::CONVERSATION_SCOPE_UNSPECIFIED;
    switch (rule.pattern_case()) {
      case v1::ConversationRule::PATTERN_NOT_SET:
        Error(kNoPattern, path,
              "rule sets none of distinct_stages, sequence, risk_score, "
              "new_contacts, repeated_across_conversations");
        break;
      case v1::ConversationRule::kDistinctStages: {
        const uint32_t n = rule.distinct_stages().min_distinct();
        if (n < 1 || (signals > 0 && n > static_cast<uint32_t>(signals))) {
          Error(kCountOutOfRange, path + ".distinct_stages.min_distinct",
                absl::StrCat("min_distinct is ", n, "; it must lie in 1..",
                             signals, ", the number of signals"));
        }
        break;
      }
      case v1::ConversationRule::kSequence: {
        const v1::SignalSequence& sequence = rule.sequence();
        if (sequence.steps_size() < 2) {
          Error(kCountOutOfRange, path + ".sequence.steps",
                "sequence needs at least 2 steps");
        }
        absl::flat_hash_set<std::string> seen;
        for (int k = 0; k < sequence.steps_size(); ++k) {
          const std::string& step = sequence.steps(k);
          std::string step_path = absl::StrCat(path, ".sequence.steps[", k, "]");
          if (!signal_ids.contains(step)) {
            Error(kUnknownStep, step_path,
                  absl::StrCat("step \"", step, "\" is not a signal of the rule"));
          } else if (!seen.insert(step).second) {
            Error(kUnknownStep, step_path,
                  absl::StrCat("step \"", step, "\" appears twice"));
          }
        }
        break;
      }
      case v1::ConversationRule::kRiskScore: {
        const v1::RiskScore& score = rule.risk_score();
        if (!(score.half_life_seconds() > 0)) {
          Error(kBadRiskScore, path + ".risk_score.half_life_seconds",
                absl::StrCat("half_life_seconds is ", score.half_life_seconds(),
                             "; it must be > 0"));
        }
        if (!(score.threshold() > 0)) {
          Error(kBadRiskScore, path + ".risk_score.threshold",
                absl::StrCat("threshold is ", score.threshold(),
                             "; it must be > 0"));
        }
        break;
      }
      case v1::ConversationRule::kNewContacts:
        if (rule.new_contacts().min_recipients() < 2) {
          Error(kCountOutOfRange, path + ".new_contacts.min_recipients",
                absl::StrCat("min_recipients is ",
                             rule.new_contacts().min_recipients(),
                             "; it must be >= 2"));
        }
        if (!sender_scope) {
          Error(kBadScope, path + ".scope",
                "new_contacts needs CONVERSATION_SCOPE_SENDER");
        }
        break;
      case v1::ConversationRule::kRepeatedAcrossConversations:
        if (rule.repeated_across_conversations().min_conversations() < 2) {
          Error(kCountOutOfRange,
                path + ".repeated_across_conversations.min_conversations",
                absl::StrCat(
                    "min_conversations is ",
                    rule.repeated_across_conversations().min_conversations(),
                    "; it must be >= 2"));
        }
        if (!sender_scope) {
          Error(kBadScope, path + ".scope",
                "repeated_across_conversations needs "
                "CONVERSATION_SCOPE_SENDER");
        }
        break;
    }

    CheckConversationExamples(rule.should_match(), path + ".should_match",
                              "should_match");
    CheckConversationExamples(rule.should_not_match(),
                              path + ".should_not_match", "should_not_match");
    if (rule.should_match().empty()) {
      Warning(kNoShouldMatch, path + ".should_match",
              "has no should_match examples");
    }
    if (rule.should_not_match().empty()) {
      Warning(kNoShouldNotMatch, path + ".should_not_match",
              "has no should_not_match examples");
    }
  }

  void CheckConversationSignal(const v1::ConversationSignal& signal,
                               const std::string& path, bool risk,
                               absl::flat_hash_set<std::string>* ids) {
    if (!IsWellFormedId(signal.id())) {
      Error(kBadConversationSignal, path + ".id",
            signal.id().empty()
                ? std::string("signal id is empty")
                : absl::StrCat("signal id \"", signal.id(),
                               "\" must match [a-z0-9][a-z0-9._-]*"));
    } else if (!ids->insert(signal.id()).second) {
      Error(kBadConversationSignal, path + ".id",
            absl::StrCat("signal id \"", signal.id(), "\" is used twice"));
    }
    if (signal.rule_ids().empty() && signal.categories().empty() &&
        signal.tags().empty()) {
      Error(kBadConversationSignal, path,
            "signal selects no rule ids, categories or tags");
    }
    for (int k = 0; k < signal.rule_ids_size(); ++k) {
      if (!rule_ids_.contains(signal.rule_ids(k))) {
        Error(kUnknownSignalSource, absl::StrCat(path, ".rule_ids[", k, "]"),
              absl::StrCat("no rule has id \"", signal.rule_ids(k), "\""));
      }
    }
    for (int k = 0; k < signal.categories_size(); ++k) {
      if (!categories_.contains(signal.categories(k))) {
        Error(kUnknownSignalSource, absl::StrCat(path, ".categories[", k, "]"),
              absl::StrCat("no rule has category \"", signal.categories(k),
                           "\" or one under it"));
      }
    }
    for (int k = 0; k < signal.tags_size(); ++k) {
      if (!tags_.contains(signal.tags(k))) {
        Error(kUnknownSignalSource, absl::StrCat(path, ".tags[", k, "]"),
              absl::StrCat("no rule has tag \"", signal.tags(k), "\""));
      }
    }
    if (risk && !(signal.weight() > 0)) {
      Error(kBadRiskScore, path + ".weight",
            absl::StrCat("signal \"", signal.id(), "\" has weight ",
                         signal.weight(), "; risk_score needs > 0"));
    }
  }

  void CheckConversationExamples(
      const google::protobuf::RepeatedPtrField<v1::ConversationExample>&
          examples,
      const std::string& path, const char* kind) {
    for (int k = 0; k < examples.size(); ++k) {
      const v1::ConversationExample& example = examples[k];
      std::string example_path = absl::StrCat(path, "[", k, "]");
      if (example.messages().empty()) {
        Error(kEmptyExample, example_path + ".messages",
              absl::StrCat(kind, "[", k, "] has no messages"));
      }
      if (example.fires_at() > static_cast<uint32_t>(example.messages_size())) {
        Error(kBadFiresAt, example_path + ".fires_at",
              absl::StrCat(kind, "[", k, "] fires_at ", example.fires_at(),
                           " is past its last message (",
                           example.messages_size(), ")"));
      }
      for (int m = 0; m < example.messages_size(); ++m) {
        const v1::ConversationMessage& message = example.messages(m);
        std::string message_path =
            absl::StrCat(example_path, ".messages[", m, "]");
        if (message.text().empty() && message.fields().empty()) {
          Error(kEmptyExample, message_path,
                absl::StrCat(kind, "[", k, "] message ", m + 1,
                             " has no text or fields"));
        }
        for (int j = 0; j < message.fields_size(); ++j) {
          CheckFieldName(message.fields(j).name(),
                         absl::StrCat(message_path, ".fields[", j, "].name"));
        }
      }
    }
  }

  // ---------------------------------------------------------- conditions

  void CheckRange(const v1::NumberRange& range, const std::string& path) {
    if (range.has_min() && range.has_max() && range.min() > range.max()) {
      Error(kInvertedRange, path,
            absl::StrCat("range min ", range.min(), " is greater than max ",
                         range.max()));
    } else if (!range.has_min() && !range.has_max()) {
      Warning(kUnboundedRange, path, "range has neither min nor max");
    }
  }

  // A condition reduced to what contradiction checks need.
  struct Constraint {
    int index;  // In rule.conditions.
    bool negate;
    std::vector<std::string> values;  // For sets; enums as numbers.
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
  };
  struct Group {
    bool is_range = false;
    // For enum sets, every value of the enum: a negated set can exclude
    // them all.
    std::vector<std::string> universe;
    std::vector<Constraint> constraints;
  };

  template <typename Set>
  static Constraint SetConstraint(int k, bool negate, const Set& set) {
    Constraint c{k, negate, {}};
    for (int value : set.any_of()) c.values.push_back(absl::StrCat(value));
    return c;
  }

  static Constraint RangeConstraint(int k, bool negate,
                                    const v1::NumberRange& range) {
    Constraint c{k, negate, {}};
    if (range.has_min()) c.min = range.min();
    if (range.has_max()) c.max = range.max();
    return c;
  }

  static std::vector<std::string> Universe(
      const google::protobuf::EnumDescriptor* type) {
    std::vector<std::string> values;
    for (int i = 0; i < type->value_count(); ++i) {
      values.push_back(absl::StrCat(type->value(i)->number()));
    }
    return values;
  }

  void CheckConditions(
      const google::protobuf::RepeatedPtrField<v1::Condition>& conditions,
      const std::string& path) {
    absl::flat_hash_map<std::string, Group> groups;
    std::vector<std::string> order;  // Group keys, first seen first.
    auto group = [&](const std::string& key) -> Group& {
      auto [it, inserted] = groups.try_emplace(key);
      if (inserted) order.push_back(key);
      return it->second;
    };
    for (int k = 0; k < conditions.size(); ++k) {
      const v1::Condition& c = conditions[k];
      std::string cpath = absl::StrCat(path, ".conditions[", k, "]");
      bool negate = c.negate();
      switch (c.predicate_case()) {
        case v1::Condition::PREDICATE_NOT_SET:
          Error(kPredicateNotSet, cpath, "condition has no predicate");
          break;
        case v1::Condition::kSenderAgeBand:
        case v1::Condition::kRecipientAgeBand: {
          bool sender = c.predicate_case() == v1::Condition::kSenderAgeBand;
          const char* name = sender ? "sender_age_band" : "recipient_age_band";
          const v1::AgeBandSet& set =
              sender ? c.sender_age_band() : c.recipient_age_band();
          if (set.any_of().empty()) {
            Error(kEmptyConditionSet, absl::StrCat(cpath, ".", name, ".any_of"),
                  absl::StrCat(name, " condition has an empty any_of"));
            break;
          }
          Group& g = group(name);
          g.universe = Universe(v1::AgeBand_descriptor());
          g.constraints.push_back(SetConstraint(k, negate, set));
          break;
        }
        case v1::Condition::kSurface:
          if (c.surface().any_of().empty()) {
            Error(kEmptyConditionSet, cpath + ".surface.any_of",
                  "surface condition has an empty any_of");
          } else {
            Group& g = group("surface");
            g.universe = Universe(v1::Surface_descriptor());
            g.constraints.push_back(SetConstraint(k, negate, c.surface()));
          }
          break;
        case v1::Condition::kRelationship:
          if (c.relationship().any_of().empty()) {
            Error(kEmptyConditionSet, cpath + ".relationship.any_of",
                  "relationship condition has an empty any_of");
          } else {
            Group& g = group("relationship");
            g.universe = Universe(v1::Relationship_descriptor());
            g.constraints.push_back(SetConstraint(k, negate, c.relationship()));
          }
          break;
        case v1::Condition::kSenderAccountAgeDays: {
          const v1::NumberRange& range = c.sender_account_age_days();
          CheckRange(range, cpath + ".sender_account_age_days");
          if (range.has_min() && range.has_max() && range.min() > range.max()) {
            break;
          }
          Group& g = group("sender_account_age_days");
          g.is_range = true;
          g.constraints.push_back(RangeConstraint(k, negate, range));
          break;
        }
        case v1::Condition::kStringAttribute: {
          const v1::StringAttributeCondition& a = c.string_attribute();
          bool ok = true;
          if (a.name().empty()) {
            Error(kEmptyAttributeName, cpath + ".string_attribute.name",
                  "string_attribute condition has no name");
            ok = false;
          }
          if (a.any_of().empty()) {
            Error(kEmptyConditionSet, cpath + ".string_attribute.any_of",
                  "string_attribute condition has an empty any_of");
            ok = false;
          }
          if (!ok) break;
          Constraint constraint{k, negate, {}};
          constraint.values.assign(a.any_of().begin(), a.any_of().end());
          group(absl::StrCat("string_attribute \"", a.name(), "\""))
              .constraints.push_back(std::move(constraint));
          break;
        }
        case v1::Condition::kNumberAttribute: {
          const v1::NumberAttributeCondition& a = c.number_attribute();
          if (a.name().empty()) {
            Error(kEmptyAttributeName, cpath + ".number_attribute.name",
                  "number_attribute condition has no name");
          }
          CheckRange(a.range(), cpath + ".number_attribute.range");
          const v1::NumberRange& range = a.range();
          if (a.name().empty() || (range.has_min() && range.has_max() &&
                                   range.min() > range.max())) {
            break;
          }
          Group& g = group(absl::StrCat("number_attribute \"", a.name(), "\""));
          g.is_range = true;
          g.constraints.push_back(RangeConstraint(k, negate, range));
          break;
        }
      }
    }
    for (const std::string& key : order) {
      const Group& g = groups[key];
      if (g.is_range ? RangesHold(g) : SetsHold(g)) continue;
      std::vector<std::string> where;
      for (const Constraint& c : g.constraints) {
        where.push_back(absl::StrCat("conditions[", c.index, "]"));
      }
      std::string last =
          absl::StrCat(path, ".conditions[", g.constraints.back().index, "]");
      if (g.constraints.size() == 1) {
        Error(kContradictoryConditions, last,
              absl::StrCat("condition on ", key, " can never hold"));
      } else {
        Error(kContradictoryConditions, last,
              absl::StrCat("conditions can never all hold (",
                           absl::StrJoin(where, ", "), " on ", key, ")"));
      }
    }
  }

  // Whether some value passes every set constraint of `g`.
  static bool SetsHold(const Group& g) {
    bool any_positive = false;
    absl::flat_hash_set<std::string> allowed;
    for (const Constraint& c : g.constraints) {
      if (c.negate) continue;
      absl::flat_hash_set<std::string> values(c.values.begin(), c.values.end());
      if (!any_positive) {
        allowed = std::move(values);
        any_positive = true;
        continue;
      }
      for (auto it = allowed.begin(); it != allowed.end();) {
        if (values.contains(*it)) {
          ++it;
        } else {
          allowed.erase(it++);
        }
      }
    }
    if (!any_positive) {
      // Only negations: an open set (strings) always has a value left.
      if (g.universe.empty()) return true;
      allowed.insert(g.universe.begin(), g.universe.end());
    }
    for (const Constraint& c : g.constraints) {
      if (!c.negate) continue;
      for (const std::string& v : c.values) allowed.erase(v);
    }
    return !allowed.empty();
  }

  // Whether some number lies in every positive range and outside every
  // negated one. Negations alone always leave numbers over, except for an
  // unbounded range, which has its own warning.
  static bool RangesHold(const Group& g) {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool any_positive = false;
    for (const Constraint& c : g.constraints) {
      if (c.negate) continue;
      any_positive = true;
      lo = std::max(lo, c.min);
      hi = std::min(hi, c.max);
    }
    if (!any_positive) return true;
    if (lo > hi) return false;
    for (const Constraint& c : g.constraints) {
      if (c.negate && c.min <= lo && c.max >= hi) return false;
    }
    return true;
  }

  const v1::Ruleset& ruleset_;
  const ValidateOptions& options_;
  std::vector<v1::Diagnostic>* out_;
  int errors_ = 0;
  std::string rule_id_;  // Of the rule being checked; empty outside rules.
  std::string label_;    // How messages name what is being checked.
  absl::flat_hash_set<std::string> custom_fields_;
  absl::flat_hash_map<std::string, int> term_lists_;  // Id -> first index.
  absl::flat_hash_map<std::string, int> rule_ids_;    // Id -> first index.
  absl::flat_hash_map<std::string, int> conversation_rule_ids_;
  absl::flat_hash_set<std::string> categories_;  // With dotted prefixes.
  absl::flat_hash_set<std::string> tags_;
  absl::flat_hash_map<std::string, std::vector<RegexProblem>> regex_problems_;
};

}  // namespace

int ValidateRuleset(const v1::Ruleset& ruleset,
                    std::vector<v1::Diagnostic>* diagnostics,
                    const ValidateOptions& options) {
  return Validator(ruleset, options, diagnostics).Run();
}

}  // namespace watchword
