#include "tests/evasion/evasion_corpus.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "unicode/utf8.h"

namespace watchword::testing {
namespace {

using Text = std::u32string;

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
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

bool IsAsciiLetter(char32_t c) { return c >= U'a' && c <= U'z'; }

// Replaces letters that have a substitute, every other eligible one (so the
// word stays readable, as evaders keep it), starting with the first. A word
// of one letter is left alone: a lone "1" or "0" reads as a number, and the
// folds keep numbers numbers on purpose.
Text Substitute(const Text& in, const std::map<char32_t, char32_t>& table,
                bool interior_only) {
  Text out = in;
  bool take = true;
  for (size_t i = 0; i < out.size(); ++i) {
    auto it = table.find(out[i]);
    if (it == table.end()) continue;
    bool lone = (i == 0 || in[i - 1] == U' ') &&
                (i + 1 == in.size() || in[i + 1] == U' ');
    if (lone) continue;
    bool interior = i > 0 && i + 1 < out.size() && IsAsciiLetter(out[i - 1]) &&
                    IsAsciiLetter(out[i + 1]);
    if (interior_only && !interior) continue;
    if (take) out[i] = it->second;
    take = !take;
  }
  return out;
}

Text MapAll(const Text& in, const std::function<char32_t(char32_t)>& f) {
  Text out;
  for (char32_t c : in) out.push_back(f(c));
  return out;
}

bool IsCombiningMark(char32_t c) { return c >= 0x0300 && c <= 0x036F; }

// Puts `separator` between the letters of each word (a letter keeps its
// combining marks); words keep a space.
Text SpreadLetters(const Text& in, const Text& separator) {
  Text out;
  for (size_t i = 0; i < in.size(); ++i) {
    out.push_back(in[i]);
    if (i + 1 < in.size() && in[i] != U' ' && in[i + 1] != U' ' &&
        !IsCombiningMark(in[i + 1])) {
      out += separator;
    }
  }
  return out;
}

Text ChatSpeak(const Text& in) {
  static const std::map<Text, Text> kWords = {
      {U"you", U"u"}, {U"are", U"r"}, {U"your", U"ur"}, {U"pic", U"pix"},
      {U"please", U"plz"}};
  Text out, word;
  auto flush = [&] {
    auto it = kWords.find(word);
    out += it == kWords.end() ? word : it->second;
    word.clear();
  };
  for (char32_t c : in) {
    if (c == U' ') {
      flush();
      out.push_back(c);
    } else {
      word.push_back(c);
    }
  }
  flush();
  return out;
}

struct Transform {
  std::string name;
  int stage;        // Word-level 0, letters 1, structure 2: applied in order.
  std::string group;  // At most one transform of a group per pair.
  std::function<Text(const Text&)> apply;
};

const std::vector<Transform>& Transforms() {
  static const std::vector<Transform>* const transforms = new std::vector<
      Transform>{
      {"chat_speak", 0, "words", ChatSpeak},
      {"upper", 1, "case",
       [](const Text& t) {
         return MapAll(t, [](char32_t c) {
           return IsAsciiLetter(c) ? c - 32 : c;
         });
       }},
      {"leet_digits", 1, "leet",
       [](const Text& t) {
         return Substitute(t, {{U'a', U'4'}, {U'e', U'3'}, {U'i', U'1'},
                               {U'o', U'0'}, {U's', U'5'}, {U't', U'7'}},
                           false);
       }},
      {"leet_symbols", 1, "leet",
       [](const Text& t) {
         return Substitute(t, {{U'a', U'@'}, {U's', U'$'}, {U'i', U'!'},
                               {U'l', U'|'}},
                           true);
       }},
      {"homoglyph_cyrillic", 1, "script",
       [](const Text& t) {
         return Substitute(t, {{U'a', U'а'}, {U'c', U'с'}, {U'e', U'е'},
                               {U'o', U'о'}, {U'p', U'р'}, {U'x', U'х'},
                               {U'y', U'у'}, {U's', U'ѕ'}, {U'i', U'і'}},
                           false);
       }},
      {"homoglyph_greek", 1, "script",
       [](const Text& t) {
         // UTS #39 look-alikes only (kappa is not one).
         return Substitute(t, {{U'o', U'ο'}, {U'i', U'ι'}, {U'v', U'ν'},
                               {U'a', U'α'}, {U'p', U'ρ'}, {U'u', U'υ'}},
                           false);
       }},
      {"fullwidth", 1, "script",
       [](const Text& t) {
         return MapAll(t, [](char32_t c) {
           return IsAsciiLetter(c) ? c - U'a' + 0xFF41 : c;
         });
       }},
      {"math_bold", 1, "script",
       [](const Text& t) {
         return MapAll(t, [](char32_t c) {
           return IsAsciiLetter(c) ? c - U'a' + 0x1D41A : c;
         });
       }},
      {"diacritics", 1, "marks",
       [](const Text& t) {
         return Substitute(t, {{U'a', U'á'}, {U'e', U'é'}, {U'i', U'î'},
                               {U'o', U'ö'}, {U'u', U'ú'}, {U'n', U'ñ'}},
                           false);
       }},
      {"combining_marks", 1, "marks",
       [](const Text& t) {
         Text out;
         for (char32_t c : t) {
           out.push_back(c);
           if (IsAsciiLetter(c)) out.push_back(0x0301);
         }
         return out;
       }},
      {"spaced", 2, "spacing",
       [](const Text& t) { return SpreadLetters(t, U" "); }},
      {"dotted", 2, "spacing",
       [](const Text& t) { return SpreadLetters(t, U"."); }},
      {"emoji_separated", 2, "spacing",
       [](const Text& t) { return SpreadLetters(t, U"🙂"); }},
      {"zero_width", 2, "invisible",
       [](const Text& t) { return SpreadLetters(t, U"\u200b"); }},
      {"soft_hyphen", 2, "invisible",
       [](const Text& t) { return SpreadLetters(t, U"\u00ad"); }},
      // Masks share the spacing group: in "s.e.*.d" a "*" among separators
      // could be a masked letter or one more separator, so that pair is
      // ambiguous by construction and not generated.
      {"masked", 2, "spacing",
       [](const Text& t) {
         // The middle letter of each word of 3+ letters becomes "*"
         // (letters only: not a separator or mark another transform added).
         Text out = t;
         size_t start = 0;
         for (size_t i = 0; i <= out.size(); ++i) {
           if (i < out.size() && out[i] != U' ') continue;
           std::vector<size_t> letters;
           for (size_t k = start; k < i; ++k) {
             if ((out[k] >= U'a' && out[k] <= U'z') ||
                 (out[k] >= U'A' && out[k] <= U'Z')) {
               letters.push_back(k);
             }
           }
           if (letters.size() >= 3) out[letters[letters.size() / 2]] = U'*';
           start = i + 1;
         }
         return out;
       }},
      {"repeated", 2, "repeat",
       [](const Text& t) {
         // Stretch the last letter of every word: "sendddd meee".
         Text out;
         for (size_t i = 0; i < t.size(); ++i) {
           out.push_back(t[i]);
           if (t[i] != U' ' && (i + 1 == t.size() || t[i + 1] == U' ')) {
             out += Text(3, t[i]);
           }
         }
         return out;
       }},
  };
  return *transforms;
}

}  // namespace

std::vector<std::string> TransformNames() {
  std::vector<std::string> names;
  for (const Transform& t : Transforms()) names.push_back(t.name);
  return names;
}

std::vector<Evasion> Generate(const std::string& phrase) {
  const Text text = Decode(phrase);
  std::vector<Evasion> out;
  const auto& all = Transforms();
  for (const Transform& t : all) out.push_back({t.name, Encode(t.apply(text))});
  for (const Transform& a : all) {
    for (const Transform& b : all) {
      if (a.stage > b.stage || (a.stage == b.stage && &a >= &b)) continue;
      if (a.group == b.group) continue;
      out.push_back({a.name + "+" + b.name, Encode(b.apply(a.apply(text)))});
    }
  }
  return out;
}

}  // namespace watchword::testing
