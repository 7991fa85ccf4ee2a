#include "src/compile/regex_forms.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"
#include "src/compile/phrase_forms.h"
#include "src/engine/regex_spans.h"
#include "src/normalize/disguise_table.h"
#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

// One piece of a regex, as far as folding cares. RE2 syntax is parsed only
// this deep: literals, classes and escapes are what folding rewrites; the
// rest is copied.
struct Token {
  enum class Kind : uint8_t {
    kLiteral,  // `text` is one code point, unescaped.
    kClass,    // `members`, and `negated`.
    kEscape,   // `text` is the escape as written: \b, \d, \pL, \p{Greek}.
    kDot,
    kOpen,     // `text` is "(" or "(?:".
    kClose,
    kAlt,
    kAnchor,   // `text` is "^" or "$".
  };
  struct Member {
    enum class Kind : uint8_t { kChar, kRange, kEscape } kind;
    std::string text;  // kChar: one code point, unescaped; else as written.
  };
  Kind kind;
  std::string text;
  std::string quantifier;  // As written: "?", "*", "+?", "{6,}"; or empty.
  bool negated = false;
  std::vector<Member> members;
  // An apostrophe between two literal letters ("'", "['’]?"), which the
  // folded views drop (FormWriter::MarkApostrophes()).
  bool apostrophe = false;
};

// Stands for an apostrophe between two letters in a run of literals
// (Token::apostrophe); never in a regex's text.
constexpr char kApostrophe = '\x01';

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

// Reads one UTF-8 code point of `s` at *i into *out.
bool NextChar(std::string_view s, size_t* i, std::string* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t at = static_cast<int32_t>(*i);
  UChar32 c;
  U8_NEXT(p, at, static_cast<int32_t>(s.size()), c);
  if (c < 0) return false;
  *out = std::string(s.substr(*i, at - *i));
  *i = at;
  return true;
}

// Reads an escape after the backslash at s[*i - 1]. Sets *literal if it
// stands for one character. Returns false for escapes not rewritten.
bool ReadEscape(std::string_view s, size_t* i, bool* literal,
                std::string* text) {
  if (*i >= s.size()) return false;
  const char c = s[*i];
  if (c == 'p' || c == 'P') {
    size_t end = *i + 1;
    if (end < s.size() && s[end] == '{') {
      end = s.find('}', end);
      if (end == std::string_view::npos) return false;
    }
    *text = std::string(s.substr(*i - 1, end + 2 - *i));
    *i = end + 1;
    *literal = false;
    return true;
  }
  if (std::string_view("bBdDwWsS").find(c) != std::string_view::npos) {
    *text = std::string("\\") + c;
    ++*i;
    *literal = false;
    return true;
  }
  if (IsAsciiAlnum(c) || static_cast<uint8_t>(c) >= 0x80) return false;
  *text = std::string(1, c);  // An escaped punctuation character.
  ++*i;
  *literal = true;
  return true;
}

bool ReadClass(std::string_view s, size_t* i, Token* token) {
  token->kind = Token::Kind::kClass;
  if (*i < s.size() && s[*i] == '^') {
    token->negated = true;
    ++*i;
  }
  bool first = true;
  while (*i < s.size() && (s[*i] != ']' || first)) {
    first = false;
    Token::Member member{Token::Member::Kind::kChar, ""};
    if (s[*i] == '[') return false;  // [:alpha:] and the like.
    if (s[*i] == '\\') {
      ++*i;
      bool literal = false;
      if (!ReadEscape(s, i, &literal, &member.text)) return false;
      if (!literal) member.kind = Token::Member::Kind::kEscape;
    } else if (!NextChar(s, i, &member.text)) {
      return false;
    }
    if (member.kind == Token::Member::Kind::kChar && *i + 1 < s.size() &&
        s[*i] == '-' && s[*i + 1] != ']') {
      ++*i;
      std::string last;
      if (s[*i] == '\\' || !NextChar(s, i, &last)) return false;
      for (const std::string& end : {member.text, last}) {
        if (end.size() == 1 && end[0] >= 'A' && end[0] <= 'Z') return false;
      }
      member = {Token::Member::Kind::kRange, member.text + "-" + last};
    }
    token->members.push_back(std::move(member));
  }
  if (*i >= s.size()) return false;
  ++*i;  // ']'
  return true;
}

bool ReadQuantifier(std::string_view s, size_t* i, std::string* out) {
  const size_t start = *i;
  if (s[*i] == '{') {
    const size_t end = s.find('}', *i);
    if (end == std::string_view::npos) return false;
    for (size_t k = *i + 1; k < end; ++k) {
      if (!(s[k] >= '0' && s[k] <= '9') && s[k] != ',') return false;
    }
    *i = end + 1;
  } else {
    ++*i;
  }
  if (*i < s.size() && s[*i] == '?') ++*i;  // Non-greedy.
  *out = std::string(s.substr(start, *i - start));
  return true;
}

std::optional<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> tokens;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == kApostrophe) return std::nullopt;
    if (c == '?' || c == '*' || c == '+' || c == '{') {
      if (tokens.empty() || !tokens.back().quantifier.empty()) return std::nullopt;
      const Token::Kind k = tokens.back().kind;
      if (k == Token::Kind::kOpen || k == Token::Kind::kAlt ||
          k == Token::Kind::kAnchor) {
        return std::nullopt;
      }
      if (!ReadQuantifier(s, &i, &tokens.back().quantifier)) return std::nullopt;
      continue;
    }
    Token token{Token::Kind::kLiteral, ""};
    if (c == '\\') {
      ++i;
      bool literal = false;
      if (!ReadEscape(s, &i, &literal, &token.text)) return std::nullopt;
      if (!literal) token.kind = Token::Kind::kEscape;
    } else if (c == '[') {
      ++i;
      if (!ReadClass(s, &i, &token)) return std::nullopt;
    } else if (c == '(') {
      token.kind = Token::Kind::kOpen;
      token.text = "(";
      ++i;
      if (i < s.size() && s[i] == '?') {
        if (i + 1 >= s.size() || s[i + 1] != ':') return std::nullopt;
        token.text = "(?:";
        i += 2;
      }
    } else if (c == ')' || c == '|' || c == '.' || c == '^' || c == '$') {
      token.kind = c == ')'   ? Token::Kind::kClose
                   : c == '|' ? Token::Kind::kAlt
                   : c == '.' ? Token::Kind::kDot
                              : Token::Kind::kAnchor;
      token.text = std::string(1, c);
      ++i;
    } else if (!NextChar(s, &i, &token.text)) {
      return std::nullopt;
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// Where a word may begin or end, for word equivalences: "ur" in
// "(your|ur) mom" is a whole word, "ur" in "hono(ur|r)" is not.
class Boundaries {
 public:
  explicit Boundaries(const std::vector<Token>& tokens)
      : tokens_(tokens), open_(tokens.size(), -1), close_(tokens.size(), -1) {
    std::vector<int> stack;
    for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
      open_[i] = stack.empty() ? -1 : stack.back();
      if (tokens[i].kind == Token::Kind::kOpen) stack.push_back(i);
      if (tokens[i].kind == Token::Kind::kClose && !stack.empty()) {
        close_[stack.back()] = i;
        stack.pop_back();
      }
    }
  }

  // Whether a word boundary stands just before token `i`.
  bool Before(int i) const {
    if (i == 0) return true;
    const Token& p = tokens_[i - 1];
    switch (p.kind) {
      case Token::Kind::kAlt:
        return open_[i - 1] < 0 || Before(open_[i - 1]);
      case Token::Kind::kOpen:
        return Before(i - 1);
      case Token::Kind::kClose:
        // After a group whose every alternative ends with a space: "your"
        // in "(is )?your".
        return open_[i - 1] >= 0 && EachEndsWithBoundary(open_[i - 1], i - 1) &&
               (!MayBeAbsent(p) || Before(open_[i - 1]));
      default:
        return IsBoundary(p, "^");
    }
  }

  // Whether a word boundary stands just after token `i`.
  bool After(int i) const {
    if (i + 1 == static_cast<int>(tokens_.size())) return true;
    const Token& n = tokens_[i + 1];
    switch (n.kind) {
      case Token::Kind::kAlt:
        return open_[i + 1] < 0 || close_[open_[i + 1]] < 0 ||
               After(close_[open_[i + 1]]);
      case Token::Kind::kClose:
        return After(i + 1);
      case Token::Kind::kOpen: {
        // Before a group whose every alternative starts with a space.
        const int close = close_[i + 1];
        return close >= 0 && EachStartsWithBoundary(i + 1, close) &&
               (!MayBeAbsent(tokens_[close]) || After(close));
      }
      default:
        return IsBoundary(n, "$");
    }
  }

 private:
  // Whether the quantifier of `t` lets it match nothing.
  static bool MayBeAbsent(const Token& t) {
    return !t.quantifier.empty() &&
           (t.quantifier[0] == '?' || t.quantifier[0] == '*' ||
            t.quantifier.rfind("{0", 0) == 0);
  }

  // Calls `visit` with the first and last token of each alternative of the
  // group from `open` to `close`; an empty one gives first > last.
  template <typename Visit>
  bool EachAlternative(int open, int close, Visit visit) const {
    int first = open + 1;
    for (int j = open + 1; j <= close; ++j) {
      if (j == close || tokens_[j].kind == Token::Kind::kAlt) {
        if (first > j - 1 || !visit(first, j - 1)) return false;
        first = j + 1;
      } else if (tokens_[j].kind == Token::Kind::kOpen) {
        if (close_[j] < 0) return false;
        j = close_[j];  // Nested: its alternatives are not this group's.
      }
    }
    return true;
  }

  // Whether every alternative of the group ends with a word boundary.
  bool EachEndsWithBoundary(int open, int close) const {
    return EachAlternative(open, close, [this](int, int last) {
      const Token& t = tokens_[last];
      if (t.kind == Token::Kind::kClose) {
        return !MayBeAbsent(t) && EachEndsWithBoundary(open_[last], last);
      }
      return IsBoundary(t, "^");
    });
  }

  // Whether every alternative of the group starts with a word boundary.
  bool EachStartsWithBoundary(int open, int close) const {
    return EachAlternative(open, close, [this](int first, int) {
      const Token& t = tokens_[first];
      if (t.kind == Token::Kind::kOpen) {
        return close_[first] >= 0 && !MayBeAbsent(tokens_[close_[first]]) &&
               EachStartsWithBoundary(first, close_[first]);
      }
      return IsBoundary(t, "$");
    });
  }

  static bool IsBoundary(const Token& t, std::string_view anchor) {
    if (!t.quantifier.empty()) return false;
    return (t.kind == Token::Kind::kAnchor && t.text == anchor) ||
           (t.kind == Token::Kind::kEscape && t.text == "\\b") ||
           (t.kind == Token::Kind::kLiteral && t.text == " ");
  }

  const std::vector<Token>& tokens_;
  std::vector<int> open_;   // The innermost group open around each token.
  std::vector<int> close_;  // For each open, its close.
};

// `c` (one code point) as a class member: only what a class gives meaning
// is escaped, so that regex_literals.h reads the class as written.
std::string ClassMember(std::string_view c) {
  if (c.size() == 1 && std::string_view("\\]^-[").find(c[0]) !=
                           std::string_view::npos) {
    return std::string("\\") + c[0];
  }
  return std::string(c);
}

struct Form {
  bool join = false;
  bool squeeze = false;
  bool mask = false;
};

class FormWriter {
 public:
  FormWriter(std::vector<Token> tokens, const FoldConfig& config)
      : config_(config), word_config_(config) {
    word_config_.SetEquivalences({});
    tokens_ = std::move(tokens);
    MarkApostrophes();
    boundaries_.emplace(tokens_);
    if (config_.enabled & kFoldChatSpeak) {
      for (const auto& [member, canonical] : config_.equivalences()) {
        members_[canonical].push_back(member);
      }
      for (auto& [canonical, list] : members_) {
        std::sort(list.begin(), list.end());
      }
    }
  }

  // Returns false if a literal folds to something this cannot write.
  bool Write(Form form, std::string* out) {
    out->clear();
    for (size_t i = 0; i < tokens_.size();) {
      const Token& t = tokens_[i];
      if (t.kind == Token::Kind::kLiteral && t.quantifier.empty()) {
        // A run of literals, an apostrophe between letters a kApostrophe.
        std::string run;
        size_t j = i;
        for (; j < tokens_.size() &&
               (tokens_[j].apostrophe ||
                (tokens_[j].kind == Token::Kind::kLiteral &&
                 tokens_[j].quantifier.empty()));
             ++j) {
          run += tokens_[j].apostrophe ? std::string(1, kApostrophe)
                                       : tokens_[j].text;
        }
        WriteRun(form, run, boundaries_->Before(static_cast<int>(i)),
                 boundaries_->After(static_cast<int>(j) - 1), out);
        i = j;
        continue;
      }
      if (!WriteToken(form, t, out)) return false;
      ++i;
    }
    return true;
  }

 private:
  // The folded form of one word, or one character: as a phrase folds it,
  // without equivalences.
  std::string Fold(std::string_view word) {
    auto [it, inserted] = folded_.try_emplace(std::string(word));
    if (inserted) it->second = FoldPhrase(word, word_config_);
    return it->second;
  }

  static std::string Spell(Form form, const std::string& word) {
    if (form.mask) {
      return form.squeeze ? MaskedSqueezedPhraseRegex(word)
                          : MaskedPhraseRegex(word);
    }
    return QuoteMeta(form.squeeze ? SqueezeFolded(word) : word);
  }

  // Whether `t` is one literal letter or digit, not quantified.
  static bool IsWordLiteral(const Token& t) {
    if (t.kind != Token::Kind::kLiteral || !t.quantifier.empty()) return false;
    const auto* p = reinterpret_cast<const uint8_t*>(t.text.data());
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(p, i, static_cast<int32_t>(t.text.size()), c);
    return c >= 0 && u_isalnum(c);
  }

  // Whether `c` (one code point) folds to nothing between two letters, as
  // an apostrophe does ("don't" and "don’t" fold to "dont").
  bool DropsBetweenLetters(std::string_view c) {
    return Fold("a" + std::string(c) + "a") == "aa";
  }

  // Whether token `t` matches only characters that fold to nothing between
  // letters: an apostrophe ("'", "['’]", "['’]?").
  bool FoldsAway(const Token& t) {
    if (t.kind == Token::Kind::kLiteral) return DropsBetweenLetters(t.text);
    if (t.kind != Token::Kind::kClass || t.negated) return false;
    for (const Token::Member& m : t.members) {
      if (m.kind != Token::Member::Kind::kChar ||
          !DropsBetweenLetters(m.text)) {
        return false;
      }
    }
    return !t.members.empty();
  }

  // Marks the apostrophes between two literal letters, which the folded
  // views drop: "don['’]?t" and "don't" are the word "dont", whose
  // equivalents ("dnt") its forms then spell as a phrase's.
  void MarkApostrophes() {
    for (size_t i = 1; i + 1 < tokens_.size(); ++i) {
      Token& t = tokens_[i];
      t.apostrophe = IsWordLiteral(tokens_[i - 1]) &&
                     IsWordLiteral(tokens_[i + 1]) &&
                     (t.quantifier.empty() || t.quantifier == "?") &&
                     FoldsAway(t);
    }
  }

  // The class of the apostrophes the folded views drop between letters,
  // which one of them may keep all the same: before a letter drawn with
  // several symbols ("don'-|-" folds to "don't").
  const std::string& ApostropheClass() {
    if (apostrophe_class_.empty()) {
      std::string members;
      for (const Disguise& row : ShippedDisguises()) {
        int32_t n = 0;
        U8_FWD_1(reinterpret_cast<const uint8_t*>(row.from.data()), n,
                 static_cast<int32_t>(row.from.size()));
        if (row.to == kDropped && n == static_cast<int32_t>(row.from.size()) &&
            DropsBetweenLetters(row.from)) {
          members += ClassMember(row.from);
        }
      }
      apostrophe_class_ = members.empty() ? "'" : "[" + members + "]";
    }
    return apostrophe_class_;
  }

  // `word` (raw, with kApostrophe where the regex has an apostrophe) as
  // written, folded, without its apostrophes or with them; or "" if it has
  // none, or its pieces do not fold to `folded`. The word whole comes
  // first: the engine reads the words of the terms from the folded form
  // (lowered_form.cc), and "dont" is one.
  std::string WithApostrophes(Form form, std::string_view word,
                              const std::string& folded) {
    if (word.find(kApostrophe) == std::string_view::npos) return "";
    std::string joined, regex;
    for (size_t at = 0; at <= word.size();) {
      size_t end = word.find(kApostrophe, at);
      if (end == std::string_view::npos) end = word.size();
      const std::string piece = Fold(word.substr(at, end - at));
      if (at > 0) regex += ApostropheClass();
      joined += piece;
      regex += Spell(form, piece);
      at = end + 1;
    }
    if (joined != folded) return "";
    return "(?:" + Spell(form, folded) + "|" + regex + ")";
  }

  // `canonical` (a canonical word, or a word of no class), then the other
  // words of its class (Normalization.equivalences), as the folded text
  // may spell it: a phrase's word has the same spellings (lower.cc).
  std::vector<std::string> Spellings(const std::string& canonical) {
    std::vector<std::string> spellings = {canonical};
    auto it = members_.find(canonical);
    if (it != members_.end()) {
      spellings.insert(spellings.end(), it->second.begin(), it->second.end());
    }
    return spellings;
  }

  // One whole word of a regex, folded to `folded`, in `form`. Each view
  // holds a word of a class as a phrase's forms expect it:
  //   folded, squeezed  the canonical word, as ApplyEquivalences() leaves
  //                     it; squeezed, unless the squeezed view's word was
  //                     a member squeezed ("tmrww" -> "tmrw" ->
  //                     "tomorrow"), which leaves the canonical word whole.
  //   joined            any word of the class, as written: a joined run
  //                     has no word boundaries left to fold it.
  //   masked            likewise: masked words skip equivalences.
  std::string WriteWord(Form form, std::string_view raw, bool whole) {
    std::string unmarked(raw);
    unmarked.erase(std::remove(unmarked.begin(), unmarked.end(), kApostrophe),
                   unmarked.end());
    const std::string folded = Fold(unmarked);
    // The word as written, its apostrophes optional: a folded view keeps
    // one before a letter drawn with several symbols.
    const std::string written = WithApostrophes(form, raw, folded);
    auto spell = [&](const std::string& word) {
      return word == folded && !written.empty() ? written : Spell(form, word);
    };
    auto canonical = whole ? config_.equivalences().find(folded)
                           : config_.equivalences().end();
    if (!(config_.enabled & kFoldChatSpeak) || !whole) return spell(folded);
    const std::string& word = canonical != config_.equivalences().end()
                                  ? canonical->second
                                  : folded;
    std::vector<std::string> options;
    auto add = [&options](std::string option) {
      if (std::find(options.begin(), options.end(), option) == options.end()) {
        options.push_back(std::move(option));
      }
    };
    if (form.join || form.mask) {
      for (const std::string& spelling : Spellings(word)) add(spell(spelling));
      // Words typed together, as a phrase's (lower.cc): its stand-ins too.
      if (form.join) {
        for (const std::string& spelling : RunStandIns(word, config_)) {
          add(spell(spelling));
          const std::string read = ReadingAmongLetters(spelling, config_);
          if (!read.empty()) add(spell(read));
        }
      }
    } else {
      add(spell(word));
      if (form.squeeze && members_.contains(word)) add(QuoteMeta(word));
    }
    // A word kept with its apostrophe is no whole word to fold ("wat's"
    // for "whats" where the view keeps "wat'" + "s").
    if (!written.empty() && word != folded) add(written);
    if (options.size() == 1) return options[0];
    return "(?:" + absl::StrJoin(options, "|") + ")";
  }

  // A run of literal characters: words and spaces.
  void WriteRun(Form form, const std::string& run, bool starts_word,
                bool ends_word, std::string* out) {
    size_t at = 0;
    while (at < run.size()) {
      if (run[at] == ' ') {
        if (!form.join) *out += ' ';
        ++at;
        continue;
      }
      size_t end = run.find(' ', at);
      if (end == std::string::npos) end = run.size();
      const bool whole = (at > 0 || starts_word) && (end < run.size() || ends_word);
      *out +=
          WriteWord(form, std::string_view(run).substr(at, end - at), whole);
      at = end;
    }
  }

  static bool HasLetter(std::string_view s) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    for (int32_t i = 0; i < static_cast<int32_t>(s.size());) {
      UChar32 c;
      U8_NEXT(p, i, static_cast<int32_t>(s.size()), c);
      if (u_isalpha(c)) return true;
    }
    return false;
  }

  static bool EscapeHasLetters(std::string_view escape) {
    return escape == "\\w" || escape[1] == 'p';
  }

  bool WriteToken(Form form, const Token& t, std::string* out) {
    switch (t.kind) {
      case Token::Kind::kLiteral: {  // Quantified.
        const std::string folded = Fold(t.text);
        if (folded.empty() || (form.join && folded == " ")) return true;
        *out += "(?:" + (folded == " " ? std::string(" ") : Spell(form, folded)) +
                ")" + t.quantifier;
        return true;
      }
      case Token::Kind::kClass:
        return WriteClass(form, t, out);
      case Token::Kind::kEscape:
        // A joined run has no spaces, and no word boundaries inside it:
        // where the match may count is the scanner's call (a whole word, or
        // inside letters spaced out), not the regex's.
        if (form.join && (t.text == "\\s" || t.text == "\\b" || t.text == "\\B")) {
          return true;
        }
        if (form.mask && EscapeHasLetters(t.text)) {
          *out += "[" + t.text + "\\*]" + t.quantifier;
        } else {
          *out += t.text + t.quantifier;
        }
        return true;
      case Token::Kind::kClose:
      case Token::Kind::kDot:
        *out += t.text + t.quantifier;
        return true;
      default:
        *out += t.text;
        return true;
    }
  }

  bool WriteClass(Form form, const Token& t, std::string* out) {
    if (t.negated) {  // Copied: it matches a mask already.
      std::string members;
      for (const Token::Member& m : t.members) {
        members += m.kind == Token::Member::Kind::kChar ? ClassMember(m.text) : m.text;
      }
      *out += "[^" + members + "]" + t.quantifier;
      return true;
    }
    std::vector<std::string> members;
    bool letters = false;
    auto add = [&members](std::string member) {
      for (const std::string& m : members) {
        if (m == member) return;
      }
      members.push_back(std::move(member));
    };
    for (const Token::Member& m : t.members) {
      switch (m.kind) {
        case Token::Member::Kind::kChar: {
          const std::string folded = Fold(m.text);
          if (folded.empty() || (form.join && folded == " ")) break;
          const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
          int32_t n = 0;
          U8_FWD_1(p, n, static_cast<int32_t>(folded.size()));
          if (n != static_cast<int32_t>(folded.size())) return false;
          letters |= HasLetter(folded);
          add(ClassMember(folded));
          break;
        }
        case Token::Member::Kind::kRange:
          letters |= HasLetter(m.text);
          add(m.text);
          break;
        case Token::Member::Kind::kEscape:
          if (form.join && m.text == "\\s") break;
          letters |= EscapeHasLetters(m.text);
          add(m.text);
          break;
      }
    }
    if (form.mask && letters) add("\\*");
    if (members.empty()) return true;  // Every member folds away.
    *out += "[";
    for (const std::string& m : members) *out += m;
    *out += "]" + t.quantifier;
    return true;
  }

  const FoldConfig& config_;
  FoldConfig word_config_;  // `config_` without equivalences.
  std::vector<Token> tokens_;
  std::optional<Boundaries> boundaries_;  // Of `tokens_`.
  absl::flat_hash_map<std::string, std::string> folded_;
  // Canonical word -> the other words of its class, sorted; empty without
  // kFoldChatSpeak.
  absl::flat_hash_map<std::string, std::vector<std::string>> members_;
  std::string apostrophe_class_;  // ApostropheClass(), once.
};

// Whether `regex` compiles and cannot match the empty string (Hyperscan
// rejects such patterns, and so does the validator).
bool IsUsable(const std::string& regex) {
  re2::RE2 re(regex, RegexOptions());
  return re.ok() && !MatchesEmpty(re);
}

}  // namespace

std::optional<RegexForms> LowerRegexForms(std::string_view regex,
                                          const FoldConfig& config) {
  std::optional<std::vector<Token>> tokens = Tokenize(regex);
  if (!tokens.has_value()) return std::nullopt;
  FormWriter writer(*std::move(tokens), config);
  RegexForms forms;
  // Each slot's form has its transforms (MatcherSlotSpec::folds), where
  // the ruleset enables them all.
  for (int slot = kFoldedSlot; slot < kMatcherSlots; ++slot) {
    const uint16_t folds = kMatcherSlotSpecs[slot].folds;
    if ((config.enabled & folds) != folds) continue;
    const Form form{.join = (folds & kFoldSpacing) != 0,
                    .squeeze = (folds & kFoldRepeat) != 0,
                    .mask = (folds & kFoldMask) != 0};
    std::string* out = &forms.forms[slot];
    if (!writer.Write(form, out) || !IsUsable(*out)) return std::nullopt;
  }
  return forms;
}

}  // namespace watchword
