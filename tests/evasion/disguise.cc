#include "tests/evasion/disguise.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "unicode/normalizer2.h"
#include "unicode/uchar.h"
#include "unicode/uniset.h"
#include "unicode/unistr.h"
#include "unicode/uscript.h"
#include "unicode/uspoof.h"
#include "unicode/utf8.h"

namespace watchword::testing {
namespace {

using Text = std::u32string;

// ------------------------------------------------------------ text model

// One written character of a word: the ASCII letter it stands for and how it
// is written now. Transforms rewrite `text` and `after`, never `base`, so a
// later transform knows which letter it is looking at.
struct Glyph {
  char32_t base = 0;  // 'a'..'z', '\'' for an apostrophe, 0 for anything else.
  Text text;          // As written, e.g. "a", "4", "/-\", "а" (Cyrillic).
  Text after;         // Written between this glyph and the next one.
};

// A message is words (runs of letters and digits, with apostrophes inside)
// and the gaps between them (spaces, punctuation, emoji).
struct Piece {
  bool is_word = false;
  std::vector<Glyph> glyphs;  // If is_word.
  Text gap;                   // Otherwise.
};
using Message = std::vector<Piece>;

std::string Encode(const Text& text) {
  std::string out;
  for (char32_t c : text) {
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
    out.append(buf, len);
  }
  return out;
}

Text Decode(const std::string& s) {
  Text out;
  for (int32_t i = 0, n = static_cast<int32_t>(s.size()); i < n;) {
    UChar32 c;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
    out.push_back(static_cast<char32_t>(c < 0 ? 0xFFFD : c));
  }
  return out;
}

bool IsApostrophe(char32_t c) {
  return c == U'\'' || c == U'\u2019' || c == U'\u02BC';
}

char32_t AsciiLower(char32_t c) { return c >= U'A' && c <= U'Z' ? c + 32 : c; }
char32_t AsciiUpper(char32_t c) { return c >= U'a' && c <= U'z' ? c - 32 : c; }

bool IsWordChar(char32_t c) { return u_isalnum(static_cast<UChar32>(c)); }

bool IsMark(char32_t c) {
  int8_t type = u_charType(static_cast<UChar32>(c));
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
         type == U_COMBINING_SPACING_MARK;
}

Message Parse(const Text& text) {
  Message message;
  for (size_t i = 0; i < text.size(); ++i) {
    char32_t c = text[i];
    bool in_word = !message.empty() && message.back().is_word;
    bool apostrophe_inside = in_word && IsApostrophe(c) &&
                             i + 1 < text.size() && IsWordChar(text[i + 1]);
    if (IsWordChar(c) || apostrophe_inside || (in_word && IsMark(c))) {
      if (!in_word) message.push_back({true, {}, {}});
      std::vector<Glyph>& glyphs = message.back().glyphs;
      if (IsMark(c)) {
        glyphs.back().text.push_back(c);
        continue;
      }
      char32_t lower = AsciiLower(c);
      char32_t base = lower >= U'a' && lower <= U'z' ? lower
                      : apostrophe_inside            ? U'\''
                                                     : 0;
      glyphs.push_back({base, Text(1, c), {}});
    } else {
      if (message.empty() || message.back().is_word) {
        message.push_back({false, {}, {}});
      }
      message.back().gap.push_back(c);
    }
  }
  return message;
}

Text Render(const Message& message) {
  Text out;
  for (const Piece& piece : message) {
    if (!piece.is_word) {
      out += piece.gap;
      continue;
    }
    for (size_t i = 0; i < piece.glyphs.size(); ++i) {
      out += piece.glyphs[i].text;
      if (i + 1 < piece.glyphs.size()) out += piece.glyphs[i].after;
    }
  }
  return out;
}

// A glyph still written as its own ASCII letter, in either case.
bool IsPlainLetter(const Glyph& g) {
  return g.base >= U'a' && g.base <= U'z' && g.text.size() == 1 &&
         AsciiLower(g.text[0]) == g.base;
}

// The lower-case ASCII spelling of a word, or "" if it holds anything else.
std::string Spelling(const Piece& word) {
  std::string out;
  for (const Glyph& g : word.glyphs) {
    if (g.base == 0) return "";
    out.push_back(static_cast<char>(g.base));
  }
  return out;
}

// ------------------------------------------------------------ randomness

// std::mt19937's output is fixed by the standard, unlike the standard
// distributions, so variants are the same on every platform.
class Rng {
 public:
  explicit Rng(uint32_t seed) : engine_(seed) {}
  uint32_t Below(size_t n) {
    return n == 0 ? 0 : static_cast<uint32_t>(engine_() % n);
  }
  bool Chance(double p) { return engine_() < p * 4294967296.0; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }
  char32_t Pick(const Text& items) { return items[Below(items.size())]; }

 private:
  std::mt19937 engine_;
};

uint32_t Fnv1a(const std::string& s, uint32_t hash = 2166136261u) {
  for (unsigned char c : s) hash = (hash ^ c) * 16777619u;
  return hash;
}

// What a transform gets besides the message.
struct Context {
  Rng rng;
  int variant = 0;
  // The share of eligible letters a letter transform may take. Below 1 when
  // another letter transform of the pair follows and needs letters left.
  double cover = 1.0;
};

// Applies `rewrite` to each plain letter with probability `p` (times the
// cover), and to one at random if that picked none. `rewrite` returns false
// if it has nothing for that letter. `min_glyphs` skips shorter words.
void RewriteLetters(Message& message, Context& ctx, double p,
                    const std::function<bool(Glyph&)>& rewrite,
                    size_t min_glyphs = 1) {
  std::vector<Glyph*> eligible;
  for (Piece& piece : message) {
    if (!piece.is_word || piece.glyphs.size() < min_glyphs) continue;
    for (Glyph& g : piece.glyphs) {
      Glyph probe = g;
      if (IsPlainLetter(g) && rewrite(probe)) eligible.push_back(&g);
    }
  }
  bool any = false;
  for (Glyph* g : eligible) {
    if (ctx.rng.Chance(p * ctx.cover)) any |= rewrite(*g);
  }
  if (!any && !eligible.empty())
    rewrite(*eligible[ctx.rng.Below(eligible.size())]);
}

// Positions between two glyphs of a word, as the glyph before each.
std::vector<Glyph*> InnerPositions(Message& message, size_t min_glyphs = 2) {
  std::vector<Glyph*> out;
  for (Piece& piece : message) {
    if (!piece.is_word || piece.glyphs.size() < min_glyphs) continue;
    for (size_t i = 0; i + 1 < piece.glyphs.size(); ++i) {
      out.push_back(&piece.glyphs[i]);
    }
  }
  return out;
}

// Replaces every run of white space in the gaps with what `make` returns.
void ReplaceSpaces(Message& message, const std::function<Text()>& make) {
  for (Piece& piece : message) {
    if (piece.is_word) continue;
    Text out;
    for (size_t i = 0; i < piece.gap.size(); ++i) {
      if (!u_isUWhiteSpace(static_cast<UChar32>(piece.gap[i]))) {
        out.push_back(piece.gap[i]);
        continue;
      }
      while (i + 1 < piece.gap.size() &&
             u_isUWhiteSpace(static_cast<UChar32>(piece.gap[i + 1]))) {
        ++i;
      }
      out += make();
    }
    piece.gap = out;
  }
}

// ------------------------------------------------------------ Unicode data

Text FromUnicodeString(const icu::UnicodeString& s) {
  Text out;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

// Every code point of an ICU UnicodeSet pattern such as "[:Emoji:]".
Text SetMembers(const char* pattern) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeSet set(icu::UnicodeString::fromUTF8(pattern), status);
  Text out;
  if (U_FAILURE(status)) return out;
  for (int32_t r = 0; r < set.getRangeCount(); ++r) {
    for (UChar32 c = set.getRangeStart(r); c <= set.getRangeEnd(r); ++c) {
      out.push_back(static_cast<char32_t>(c));
    }
  }
  return out;
}

char32_t CharNamed(const std::string& name) {
  UErrorCode status = U_ZERO_ERROR;
  UChar32 c = u_charFromName(U_UNICODE_CHAR_NAME, name.c_str(), &status);
  return U_SUCCESS(status) && c >= 0 ? static_cast<char32_t>(c) : 0;
}

// Per-letter pools, indexed by letter - 'a'.
using LetterPools = std::vector<Text>;

class UnicodeData {
 public:
  static const UnicodeData& Get() {
    static const UnicodeData* const data = new UnicodeData;
    return *data;
  }

  // Look-alikes per script (and capital or not), by skeleton.
  const Text& Lookalikes(char32_t letter, const std::string& script,
                         bool upper) const {
    static const Text kNone;
    auto it = lookalikes_.find({script, upper});
    if (it == lookalikes_.end() || letter < U'a' || letter > U'z') return kNone;
    return it->second[letter - U'a'];
  }

  const LetterPools& small_capitals() const { return small_capitals_; }
  const LetterPools& accented() const { return accented_; }
  const Text& combining_marks() const { return combining_marks_; }
  const Text& emoji() const { return emoji_; }
  const Text& invisible() const { return invisible_; }
  // Alphabets of styled letters (mathematical, circled, ...), each 26 code
  // points, 0 where the style has no letter.
  const std::vector<Text>& styles() const { return styles_; }
  const Text& fullwidth() const { return fullwidth_; }

 private:
  UnicodeData() {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* checker = uspoof_open(&status);
    auto skeleton = [&](char32_t c) {
      icu::UnicodeString id(static_cast<UChar32>(c)), out;
      UErrorCode s = U_ZERO_ERROR;
      uspoof_getSkeletonUnicodeString(checker, 0, id, out, &s);
      return U_SUCCESS(s) ? out : icu::UnicodeString();
    };
    const std::pair<const char*, const char*> kScripts[] = {
        {"Latin", "[[:sc=Latn:]&[:L:]-[\\u0000-\\u007f]]"},
        {"Cyrillic", "[[:sc=Cyrl:]&[:L:]]"},
        {"Greek", "[[:sc=Grek:]&[:L:]]"},
    };
    for (const auto& [script, pattern] : kScripts) {
      Text members = SetMembers(pattern);
      std::vector<icu::UnicodeString> skeletons;
      for (char32_t c : members) skeletons.push_back(skeleton(c));
      for (bool upper : {false, true}) {
        LetterPools pools(26);
        for (char32_t letter = U'a'; letter <= U'z'; ++letter) {
          icu::UnicodeString target =
              skeleton(upper ? AsciiUpper(letter) : letter);
          for (size_t i = 0; i < members.size(); ++i) {
            if (skeletons[i] == target) pools[letter - U'a'] += members[i];
          }
        }
        lookalikes_[{script, upper}] = std::move(pools);
      }
    }
    uspoof_close(checker);

    small_capitals_.resize(26);
    for (char32_t letter = U'a'; letter <= U'z'; ++letter) {
      std::string upper(1, static_cast<char>(AsciiUpper(letter)));
      char32_t c = CharNamed("LATIN LETTER SMALL CAPITAL " + upper);
      if (c != 0) small_capitals_[letter - U'a'].push_back(c);
    }

    // Precomposed letters whose canonical decomposition is an ASCII letter
    // and combining marks: é, ñ, ǘ, ṩ, ...
    accented_.resize(26);
    status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    for (char32_t c : SetMembers("[[:sc=Latn:]&[:Ll:]-[\\u0000-\\u007f]]")) {
      icu::UnicodeString decomposition;
      if (nfd == nullptr ||
          !nfd->getDecomposition(static_cast<UChar32>(c), decomposition)) {
        continue;
      }
      Text parts = FromUnicodeString(decomposition);
      if (parts.size() < 2 || parts[0] < U'a' || parts[0] > U'z') continue;
      if (std::all_of(parts.begin() + 1, parts.end(), IsMark)) {
        accented_[parts[0] - U'a'].push_back(c);
      }
    }

    combining_marks_ = SetMembers(
        "[[:blk=Combining_Diacritical_Marks:]&[:Mn:]"
        "-[:Default_Ignorable_Code_Point:]]");
    emoji_ = SetMembers(
        "[[:Emoji_Presentation:]-[:Emoji_Component:]"
        "-[:Emoji_Modifier:]]");
    // Invisible: default-ignorable format characters and marks (zero-width
    // space and joiners, soft hyphen, word joiner, variation selectors, tags),
    // minus the bidi controls, which reorder what is shown.
    invisible_ = SetMembers(
        "[[:Default_Ignorable_Code_Point:]&[[:Cf:][:Mn:]]"
        "-[:Bidi_Control:]]");

    const char* kStyles[] = {
        "MATHEMATICAL BOLD SMALL ",
        "MATHEMATICAL ITALIC SMALL ",
        "MATHEMATICAL BOLD ITALIC SMALL ",
        "MATHEMATICAL SCRIPT SMALL ",
        "MATHEMATICAL BOLD SCRIPT SMALL ",
        "MATHEMATICAL FRAKTUR SMALL ",
        "MATHEMATICAL BOLD FRAKTUR SMALL ",
        "MATHEMATICAL DOUBLE-STRUCK SMALL ",
        "MATHEMATICAL SANS-SERIF SMALL ",
        "MATHEMATICAL SANS-SERIF BOLD SMALL ",
        "MATHEMATICAL SANS-SERIF ITALIC SMALL ",
        "MATHEMATICAL SANS-SERIF BOLD ITALIC SMALL ",
        "MATHEMATICAL MONOSPACE SMALL ",
        "CIRCLED LATIN SMALL LETTER ",
        "PARENTHESIZED LATIN SMALL LETTER ",
        "NEGATIVE CIRCLED LATIN CAPITAL LETTER ",
        "NEGATIVE SQUARED LATIN CAPITAL LETTER ",
        "SQUARED LATIN CAPITAL LETTER ",
        "MODIFIER LETTER SMALL ",
    };
    // Every style names its letters by the capital: "... SMALL A",
    // "CIRCLED LATIN SMALL LETTER A", "SQUARED LATIN CAPITAL LETTER A".
    for (const char* style : kStyles) {
      Text alphabet;
      for (char32_t letter = U'a'; letter <= U'z'; ++letter) {
        alphabet.push_back(CharNamed(std::string(style) +
                                     static_cast<char>(AsciiUpper(letter))));
      }
      styles_.push_back(alphabet);
    }
    for (char32_t letter = U'a'; letter <= U'z'; ++letter) {
      fullwidth_.push_back(
          CharNamed(std::string("FULLWIDTH LATIN SMALL LETTER ") +
                    static_cast<char>(AsciiUpper(letter))));
    }
  }

  std::map<std::pair<std::string, bool>, LetterPools> lookalikes_;
  LetterPools small_capitals_;
  LetterPools accented_;
  Text combining_marks_;
  Text emoji_;
  Text invisible_;
  std::vector<Text> styles_;
  Text fullwidth_;
};

// ------------------------------------------------------------ word tables

// English contractions, written with the apostrophe. Those whose bare form
// is another common word ("we're"/"were", "he'll"/"hell") are left out, except
// the ones issue #11 names ("i'll"/"ill").
const std::vector<std::string>& Contractions() {
  static const auto* const kContractions = new std::vector<std::string>{
      "don't",     "can't",    "won't",    "didn't",  "doesn't", "isn't",
      "aren't",    "wasn't",   "weren't",  "haven't", "hasn't",  "hadn't",
      "shouldn't", "wouldn't", "couldn't", "ain't",   "i'm",     "i've",
      "i'll",      "i'd",      "you're",   "you've",  "you'll",  "you'd",
      "let's",     "that's",   "what's",   "where's", "who's",   "it's",
      "she's",     "he's",     "they're",  "they've", "we've",   "there's",
      "how's",     "y'all",
  };
  return *kContractions;
}

// Where the apostrophe goes in a bare contraction ("dont" -> 3), or -1.
int ApostropheSlot(const std::string& bare) {
  for (const std::string& c : Contractions()) {
    size_t at = c.find('\'');
    if (c.substr(0, at) + c.substr(at + 1) == bare) return static_cast<int>(at);
  }
  return -1;
}

// Text-speak for whole words (netlingo-style lists of SMS abbreviations).
const std::map<std::string, std::vector<std::string>>& ChatWords() {
  static const auto* const kWords =
      new std::map<std::string, std::vector<std::string>>{
          {"you", {"u", "ya"}},
          {"your", {"ur", "yr"}},
          {"you're", {"ur"}},
          {"youre", {"ur"}},
          {"are", {"r"}},
          {"please", {"pls", "plz"}},
          {"to", {"2"}},
          {"too", {"2"}},
          {"for", {"4"}},
          {"be", {"b"}},
          {"see", {"c"}},
          {"why", {"y"}},
          {"and", {"n"}},
          {"okay", {"ok", "k"}},
          {"people", {"ppl"}},
          {"picture", {"pic"}},
          {"pictures", {"pics", "pix"}},
          {"tonight", {"2nite", "tonite"}},
          {"tomorrow", {"2moro", "tmrw"}},
          {"later", {"l8r"}},
          {"because", {"cuz", "bc"}},
          {"what", {"wat", "wut"}},
          {"love", {"luv"}},
          {"thanks", {"thx"}},
          {"message", {"msg"}},
          {"messages", {"msgs"}},
          {"text", {"txt"}},
          {"know", {"kno"}},
          {"with", {"wit"}},
          {"the", {"da"}},
          {"boyfriend", {"bf"}},
          {"girlfriend", {"gf"}},
          {"something", {"smth"}},
          {"someone", {"some1"}},
          {"anyone", {"any1"}},
          {"nobody", {"no1"}},
          {"before", {"b4"}},
          {"great", {"gr8"}},
      };
  return *kWords;
}

// Leetspeak tables, after the common substitutions listed in published leet
// alphabets (e.g. Wikipedia's "Leet" article).
const std::map<char32_t, Text>& LeetDigits() {
  static const auto* const kTable = new std::map<char32_t, Text>{
      {U'a', U"4"}, {U'b', U"8"}, {U'e', U"3"}, {U'g', U"96"}, {U'i', U"1"},
      {U'l', U"1"}, {U'o', U"0"}, {U's', U"5"}, {U't', U"7"},  {U'z', U"2"},
  };
  return *kTable;
}

const std::map<char32_t, Text>& LeetSymbols() {
  static const auto* const kTable = new std::map<char32_t, Text>{
      {U'a', U"@"},  {U'c', U"(<"}, {U'e', U"€"}, {U'h', U"#"},
      {U'i', U"!|"}, {U'l', U"|!"}, {U's', U"$"}, {U't', U"+"},
  };
  return *kTable;
}

// Letters drawn with two or more characters.
const std::map<char32_t, std::vector<Text>>& LeetMultiChar() {
  static const auto* const kTable = new std::map<char32_t, std::vector<Text>>{
      {U'a', {U"/-\\", U"/\\"}},
      {U'b', {U"|3", U"]3"}},
      {U'd', {U"|)", U"[)", U"|>"}},
      {U'e', {U"[-"}},
      {U'f', {U"|=", U"ph"}},
      {U'g', {U"(_+"}},
      {U'h', {U"|-|", U"]-[", U"}{"}},
      {U'i', {U"]["}},
      {U'j', {U"_|"}},
      {U'k', {U"|<", U"|{"}},
      {U'l', {U"|_"}},
      {U'm', {U"|\\/|", U"/\\/\\"}},
      {U'n', {U"|\\|", U"/\\/"}},
      {U'o', {U"()", U"[]"}},
      {U'p', {U"|*", U"|o"}},
      {U'q', {U"(,)"}},
      {U'r', {U"|2", U"|?"}},
      {U't', {U"'|'", U"-|-"}},
      {U'u', {U"|_|", U"(_)"}},
      {U'v', {U"\\/"}},
      {U'w', {U"\\/\\/", U"vv", U"\\^/"}},
      {U'x', {U"><", U")("}},
      {U'y', {U"`/"}},
      {U'z', {U"~/_"}},
  };
  return *kTable;
}

// Writes `g` as one code point drawn from `pool`; false if the pool is empty.
bool Substitute(Glyph& g, const Text& pool, Rng& rng) {
  if (pool.empty()) return false;
  g.text = Text(1, rng.Pick(pool));
  return true;
}

// ------------------------------------------------------------ the classes

using Apply = std::function<void(Message&, Context&)>;

void ApplyLookalikes(Message& m, Context& ctx, const std::string& script) {
  const UnicodeData& data = UnicodeData::Get();
  // Variant 0: every letter that has a look-alike (text written entirely in
  // the other script); variant 2: the same in capitals; otherwise about half.
  bool whole = ctx.variant % 3 == 0;
  bool upper = ctx.variant % 3 == 2;
  RewriteLetters(m, ctx, whole || upper ? 1.0 : 0.5, [&](Glyph& g) {
    return Substitute(g, data.Lookalikes(g.base, script, upper), ctx.rng);
  });
  if (upper) {
    for (Piece& p : m) {
      for (Glyph& g : p.glyphs) {
        if (IsPlainLetter(g)) g.text = Text(1, AsciiUpper(g.base));
      }
    }
  }
}

void ApplyApostrophe(Message& m, Context& ctx, bool dotted) {
  const Text kForms[] = {U"\u2019", U"'", U"\u02BC", U""};
  for (Piece& p : m) {
    if (!p.is_word) continue;
    int slot = -1;
    for (size_t i = 0; i < p.glyphs.size(); ++i) {
      if (p.glyphs[i].base == U'\'') slot = static_cast<int>(i);
    }
    if (slot < 0) {
      slot = ApostropheSlot(Spelling(p));
      if (slot < 0) continue;
      // The bare form ("dont") is the dropped apostrophe; write one.
      p.glyphs.insert(p.glyphs.begin() + slot, Glyph{U'\'', U"", {}});
    }
    Glyph& apostrophe = p.glyphs[slot];
    Text form;
    do {
      form = kForms[ctx.rng.Below(dotted ? 3 : 4)];
    } while (form == apostrophe.text);
    apostrophe.text = form;
    if (!dotted) continue;
    // "d.o.n'.t", "d.o.n.'.t", "d-o-n'-t".
    Text sep = ctx.rng.Chance(0.5) ? U"." : U"-";
    bool before_apostrophe = ctx.rng.Chance(0.5);
    for (size_t i = 0; i + 1 < p.glyphs.size(); ++i) {
      if (static_cast<int>(i) + 1 == slot && !before_apostrophe) continue;
      p.glyphs[i].after += sep;
    }
  }
}

// Writes the one-letter words "a" and "i" as one of `for_a` or `for_i`.
void OneLetterWords(Message& m, Context& ctx, const Text& for_a,
                    const Text& for_i) {
  for (Piece& p : m) {
    if (!p.is_word || p.glyphs.size() != 1) continue;
    Glyph& g = p.glyphs[0];
    if (g.base == U'a') g.text = Text(1, ctx.rng.Pick(for_a));
    if (g.base == U'i') g.text = Text(1, ctx.rng.Pick(for_i));
  }
}

struct Class {
  std::string name;
  std::string description;
  // Pairs apply the lower stage first: 0 words, 1 case, 2 letters, 3 marks
  // and repeats on letters, 4 inside words, 5 between words.
  int stage;
  Apply apply;
};

const std::vector<Class>& Classes() {
  static const auto* const kClasses = new std::vector<Class>{
      {"apostrophe", "don't as don’t, donʼt or dont, and back", 0,
       [](Message& m, Context& ctx) { ApplyApostrophe(m, ctx, false); }},
      {"chat_speak", "whole words in text-speak: u, ur, r, pls, 2, 4", 0,
       [](Message& m, Context& ctx) {
         for (Piece& p : m) {
           if (!p.is_word) continue;
           auto it = ChatWords().find(Spelling(p));
           if (it == ChatWords().end() || !ctx.rng.Chance(0.8)) continue;
           p.glyphs.clear();
           for (char c : ctx.rng.Pick(it->second)) {
             p.glyphs.push_back(
                 {static_cast<char32_t>(c >= 'a' && c <= 'z' ? c : 0),
                  Text(1, static_cast<char32_t>(c)),
                  {}});
           }
         }
       }},
      {"one_letter_digit", "a lone a or i as a digit: send me 4 pic", 0,
       [](Message& m, Context& ctx) { OneLetterWords(m, ctx, U"4", U"1"); }},
      {"one_letter_symbol", "a lone a or i as a symbol: send me @ pic", 0,
       [](Message& m, Context& ctx) { OneLetterWords(m, ctx, U"@", U"!|"); }},
      {"mixed_case", "SEND ME or SeNd Me", 1,
       [](Message& m, Context& ctx) {
         bool all = ctx.variant % 2 == 0;
         RewriteLetters(m, ctx, all ? 1.0 : 0.5, [](Glyph& g) {
           g.text = Text(1, AsciiUpper(g.base));
           return true;
         });
       }},
      {"leet_digits", "4 3 1 0 5 7 8 9 2 for letters: s3nd m3", 2,
       [](Message& m, Context& ctx) {
         RewriteLetters(
             m, ctx, 0.5,
             [&](Glyph& g) {
               auto it = LeetDigits().find(g.base);
               return it != LeetDigits().end() &&
                      Substitute(g, it->second, ctx.rng);
             },
             2);
       }},
      {"leet_digit_start", "words that start with a digit: 53nd, 4re", 2,
       [](Message& m, Context& ctx) {
         for (Piece& p : m) {
           if (!p.is_word || p.glyphs.size() < 2) continue;
           Glyph& first = p.glyphs[0];
           auto it = LeetDigits().find(first.base);
           if (!IsPlainLetter(first) || it == LeetDigits().end()) continue;
           if (ctx.rng.Chance(0.2 + 0.8 * ctx.cover)) {
             Substitute(first, it->second, ctx.rng);
             for (size_t i = 1; i < p.glyphs.size(); ++i) {
               auto more = LeetDigits().find(p.glyphs[i].base);
               if (IsPlainLetter(p.glyphs[i]) && more != LeetDigits().end() &&
                   ctx.rng.Chance(0.4)) {
                 Substitute(p.glyphs[i], more->second, ctx.rng);
               }
             }
           }
         }
       }},
      {"leet_symbols", "@ $ | ! + ( for letters, at word edges too: @re, $end",
       2,
       [](Message& m, Context& ctx) {
         std::vector<Glyph*> edges;
         for (Piece& p : m) {
           if (!p.is_word || p.glyphs.size() < 2) continue;
           edges.push_back(&p.glyphs.front());
           edges.push_back(&p.glyphs.back());
         }
         auto rewrite = [&](Glyph& g) {
           auto it = LeetSymbols().find(g.base);
           return it != LeetSymbols().end() &&
                  Substitute(g, it->second, ctx.rng);
         };
         for (Glyph* g : edges) {
           if (IsPlainLetter(*g) && ctx.rng.Chance(0.6 * ctx.cover)) {
             rewrite(*g);
           }
         }
         RewriteLetters(m, ctx, 0.3, rewrite, 2);
       }},
      {"leet_multichar", "letters drawn with symbols: |-| \\/\\/ () /-\\ |_|",
       2,
       [](Message& m, Context& ctx) {
         RewriteLetters(m, ctx, 0.4, [&](Glyph& g) {
           auto it = LeetMultiChar().find(g.base);
           if (it == LeetMultiChar().end()) return false;
           g.text = ctx.rng.Pick(it->second);
           return true;
         });
       }},
      {"small_capitals", "ꜱᴇɴᴅ ᴍᴇ: LATIN LETTER SMALL CAPITAL", 2,
       [](Message& m, Context& ctx) {
         const LetterPools& pools = UnicodeData::Get().small_capitals();
         RewriteLetters(m, ctx, ctx.variant % 2 == 0 ? 1.0 : 0.5,
                        [&](Glyph& g) {
                          return Substitute(g, pools[g.base - U'a'], ctx.rng);
                        });
       }},
      {"latin_lookalikes", "other Latin letters with the same UTS #39 skeleton",
       2, [](Message& m, Context& ctx) { ApplyLookalikes(m, ctx, "Latin"); }},
      {"cyrillic_lookalikes",
       "Cyrillic letters with the same UTS #39 skeleton: ѕеnd, һ, ԁ", 2,
       [](Message& m, Context& ctx) { ApplyLookalikes(m, ctx, "Cyrillic"); }},
      {"greek_lookalikes",
       "Greek letters with the same UTS #39 skeleton: ο, ι, ν, ρ", 2,
       [](Message& m, Context& ctx) { ApplyLookalikes(m, ctx, "Greek"); }},
      {"fullwidth", "ｓｅｎｄ: FULLWIDTH LATIN SMALL LETTER", 2,
       [](Message& m, Context& ctx) {
         const Text& fullwidth = UnicodeData::Get().fullwidth();
         RewriteLetters(m, ctx, 1.0, [&](Glyph& g) {
           g.text = Text(1, fullwidth[g.base - U'a']);
           return true;
         });
       }},
      {"styled_letters",
       "one alphabet of fancy-text letters: 𝐬𝐞𝐧𝐝, 𝔰𝔢𝔫𝔡, ⓢⓔⓝⓓ, 🅂🄴🄽🄳", 2,
       [](Message& m, Context& ctx) {
         const Text& style = ctx.rng.Pick(UnicodeData::Get().styles());
         RewriteLetters(m, ctx, 1.0, [&](Glyph& g) {
           char32_t c = style[g.base - U'a'];
           if (c == 0) return false;
           g.text = Text(1, c);
           return true;
         });
       }},
      {"diacritics", "precomposed accented letters: séñd", 2,
       [](Message& m, Context& ctx) {
         const LetterPools& pools = UnicodeData::Get().accented();
         RewriteLetters(m, ctx, 0.5, [&](Glyph& g) {
           return Substitute(g, pools[g.base - U'a'], ctx.rng);
         });
       }},
      {"masked", "a letter inside a word as *: s*nd, p*c", 2,
       [](Message& m, Context& ctx) {
         for (Piece& p : m) {
           size_t n = p.glyphs.size();
           if (!p.is_word || n < 3 || !ctx.rng.Chance(0.3 + 0.7 * ctx.cover)) {
             continue;
           }
           Glyph& g = p.glyphs[1 + ctx.rng.Below(n - 2)];
           if (IsPlainLetter(g)) g.text = U"*";
         }
       }},
      {"combining_marks", "combining marks on letters: s̈e̊n̂d", 3,
       [](Message& m, Context& ctx) {
         const Text& marks = UnicodeData::Get().combining_marks();
         int most = ctx.variant % 3 == 2 ? 3 : 1;
         for (Piece& p : m) {
           for (Glyph& g : p.glyphs) {
             if (g.base < U'a' || g.base > U'z' || !ctx.rng.Chance(0.6)) {
               continue;
             }
             for (int k = 1 + ctx.rng.Below(most); k > 0; --k) {
               g.text.push_back(ctx.rng.Pick(marks));
             }
           }
         }
       }},
      {"repeated_letters", "a letter stretched to 3-5: sendddd, pleeease", 3,
       [](Message& m, Context& ctx) {
         std::vector<Glyph*> letters;
         for (Piece& p : m) {
           if (!p.is_word || !ctx.rng.Chance(0.7)) continue;
           std::vector<Glyph*> in_word;
           for (Glyph& g : p.glyphs) {
             if (g.base >= U'a' && g.base <= U'z') in_word.push_back(&g);
           }
           if (in_word.empty()) continue;
           // Mostly the last letter or a vowel, as people stretch them.
           Glyph* g = ctx.rng.Chance(0.5)
                          ? in_word.back()
                          : in_word[ctx.rng.Below(in_word.size())];
           // Written 3 to 5 times: a double letter is often just spelling.
           Text once = g->text;
           for (int k = 2 + ctx.rng.Below(3); k > 0; --k) g->text += once;
         }
       }},
      {"spaced_letters", "s e n d  m e", 4,
       [](Message& m, Context&) {
         for (Glyph* g : InnerPositions(m)) g->after += U" ";
       }},
      {"dotted_letters", "s.e.n.d or s-e-n-d", 4,
       [](Message& m, Context& ctx) {
         Text sep = ctx.rng.Pick(std::vector<Text>{U".", U"-", U". "});
         for (Glyph* g : InnerPositions(m)) g->after += sep;
       }},
      {"mixed_punctuation", "w.h_a/t a-r,e: punctuation between letters", 4,
       [](Message& m, Context& ctx) {
         const Text kMarks = U"._/-,~:;";
         for (Glyph* g : InnerPositions(m)) g->after += ctx.rng.Pick(kMarks);
         ReplaceSpaces(m, [&] {
           return ctx.rng.Chance(0.5) ? Text(U" ")
                                      : Text(1, ctx.rng.Pick(kMarks));
         });
       }},
      {"underscores", "how_old_are_you, or h_o_w_o_l_d", 4,
       [](Message& m, Context& ctx) {
         if (ctx.variant % 2 == 1) {
           for (Glyph* g : InnerPositions(m)) g->after += U"_";
         }
         ReplaceSpaces(m, [] { return Text(U"_"); });
       }},
      {"invisible_characters",
       "default-ignorable characters between letters: zero-width space, "
       "soft hyphen, joiners, variation selectors, tags",
       4,
       [](Message& m, Context& ctx) {
         const Text kCommon = U"\u200B\u200C\u200D\u2060\uFEFF\u00AD";
         const Text& all = UnicodeData::Get().invisible();
         std::vector<Glyph*> at = InnerPositions(m);
         bool any = false;
         for (Glyph* g : at) {
           if (!ctx.rng.Chance(0.7)) continue;
           g->after += ctx.rng.Pick(ctx.rng.Chance(0.5) ? kCommon : all);
           any = true;
         }
         if (!any && !at.empty())
           at[ctx.rng.Below(at.size())]->after += kCommon[0];
       }},
      {"emoji_inside_words", "an emoji between two letters: se😀nd", 4,
       [](Message& m, Context& ctx) {
         const Text& emoji = UnicodeData::Get().emoji();
         for (Piece& p : m) {
           if (!p.is_word || p.glyphs.size() < 2) continue;
           for (int k = ctx.rng.Chance(0.3) ? 2 : 1; k > 0; --k) {
             p.glyphs[ctx.rng.Below(p.glyphs.size() - 1)].after +=
                 ctx.rng.Pick(emoji);
           }
         }
       }},
      {"dotted_apostrophe",
       "d.o.n'.t, d-o-n-’-t: letters spread around an "
       "apostrophe",
       4, [](Message& m, Context& ctx) { ApplyApostrophe(m, ctx, true); }},
      {"emoji_between_words", "emoji instead of spaces: how😀old🔥are", 5,
       [](Message& m, Context& ctx) {
         const Text& emoji = UnicodeData::Get().emoji();
         ReplaceSpaces(m, [&] {
           Text out(1, ctx.rng.Pick(emoji));
           if (ctx.rng.Chance(0.3)) out.push_back(ctx.rng.Pick(emoji));
           return out;
         });
       }},
      {"run_together", "words run together: areyouhomealone", 5,
       [](Message& m, Context&) { ReplaceSpaces(m, [] { return Text(); }); }},
  };
  return *kClasses;
}

}  // namespace

const std::vector<DisguiseClass>& DisguiseClasses() {
  static const auto* const kList = [] {
    auto* list = new std::vector<DisguiseClass>;
    for (const Class& c : Classes()) list->push_back({c.name, c.description});
    return list;
  }();
  return *kList;
}

std::string Disguise(const std::vector<std::string>& classes,
                     const std::string& text, int variant) {
  std::vector<const Class*> chosen;
  for (const std::string& name : classes) {
    auto it = std::find_if(Classes().begin(), Classes().end(),
                           [&](const Class& c) { return c.name == name; });
    if (it == Classes().end()) return "";
    chosen.push_back(&*it);
  }
  std::stable_sort(
      chosen.begin(), chosen.end(),
      [](const Class* a, const Class* b) { return a->stage < b->stage; });
  uint32_t seed = Fnv1a(text, Fnv1a(std::to_string(variant)));
  for (const std::string& name : classes) seed = Fnv1a(name, seed);
  Context ctx{Rng(seed), variant, 1.0};
  const Text original = Decode(text);
  Message message = Parse(original);
  for (size_t i = 0; i < chosen.size(); ++i) {
    bool shares_letters =
        i + 1 < chosen.size() && chosen[i]->stage == chosen[i + 1]->stage;
    ctx.cover = shares_letters ? 0.5 : 1.0;
    chosen[i]->apply(message, ctx);
  }
  Text out = Render(message);
  return out == original ? "" : Encode(out);
}

std::u32string Lookalikes(char letter, const std::string& script, bool upper) {
  return UnicodeData::Get().Lookalikes(static_cast<char32_t>(letter), script,
                                       upper);
}

}  // namespace watchword::testing
