// Literal prefilters for regex terms: most regexes in child-safety rulesets
// are alternations of words ("(your|ur|yr) (mom|mum|dad|parents?)"), whose
// language is a finite set of strings. Hyperscan finds thousands of
// literals faster than a few hundred such regexes (on the bundled ruleset,
// 200 regexes cost 2 MB of database and most of a scan), so the Hyperscan
// backend looks for these strings instead and runs RE2 only where one
// occurs; RE2 still decides whether and where the regex matched.
//
// Hand-written because neither RE2 nor Hyperscan exposes its parse tree or
// the language of a regex. The reader knows a small subset of RE2 syntax
// and gives up on the rest, which then stays a regex in the database.
#ifndef WATCHWORD_SRC_ENGINE_REGEX_LITERALS_H_
#define WATCHWORD_SRC_ENGINE_REGEX_LITERALS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace watchword {

// A string a regex's matches contain.
struct PrefilterString {
  std::string text;
  // True if every match it stands for starts with it: a hit where no word
  // starts cannot be the start of a whole-word match.
  bool starts_match = false;
};

// Returns strings such that every match of `regex` in normalized text
// (normalizer.h: case-folded, whitespace collapsed to one space) contains
// one of them, ASCII case aside; or nullopt if no such set of at most
// `limit` non-empty strings is found. The strings are case-folded, sorted,
// and none holds another (a text holding it would hold the other).
//
// Each top-level alternative contributes the strings of one stretch of
// consecutive readable pieces: every match contains one of them. Among the
// stretches whose strings are all 9+ bytes with a word outside a short list
// of common ones ("send me your", not " when you "), the one with the
// fewest strings: "\\b(send|give) me (your|ur) (pics|photos|nudes)" gives
// "give me ur ", "give me your ", "send me ur ", "send me your ", not 12
// strings. Without such a
// stretch, the one whose shortest string is longest, a string that starts
// every match counting a byte more where `word_starts_checked` (the caller
// drops hits that start no word): "i live at \d+" gives "i live at ",
// "\d+ ?dollars" gives " dollars" and "dollars". An alternative with no
// stretch free of the empty string falls back on a
// piece read in part: an atom repeated at least n times gives n copies
// ("\d{3,}" gives "00" to "99"), a group not read whole what each of its
// branches holds ("(a\w|\d+b)" gives "a" and "b"); without one, the
// result is nullopt. Assertions such as \b and ^ are dropped, so a hit is
// a candidate for RE2, never a match.
//
// Read: literal characters and escaped punctuation; character classes of
// up to 32 members, without negation; \s (a space, the only whitespace
// normalized text has) and \d; groups of any kind (flags such as (?i) are
// ignored); alternation; the quantifiers ?, ?? and {n} / {n,m} with m <= 4.
// Anything else (., *, +, \w, ...) ends a run.
std::optional<std::vector<PrefilterString>> RegexLiteralPrefilter(
    std::string_view regex, size_t limit, bool word_starts_checked = true);

// Returns the pairs of words side by side ("see you") in what a regex
// spells, each "word word", unique and sorted; or nullopt where it gives
// up. What it spells is not the prefilter's choice: each top-level
// alternative gives its whole run of readable pieces whose shortest string
// is longest ("(hear|see) (you|u)" gives all four strings). The strings are not spelled out
// whole: the words inside a long string are paired as they are read, and
// only its first and last two words kept, so a regex of thousands of
// strings ("(i|we) (can't|cannot) (tell|say) (anyone|anybody)") gives its
// pairs within `limit`.
std::optional<std::vector<std::string>> RegexWordPairs(std::string_view regex,
                                                       size_t limit);

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_REGEX_LITERALS_H_
