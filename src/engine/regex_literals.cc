#include "src/engine/regex_literals.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


#include "unicode/uchar.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

using StringSet = std::vector<std::string>;

// Largest character class expanded; wider ones ([a-z] is 26) multiply the
// set too fast to be worth it.
constexpr size_t kMaxClassSize = 32;
// Largest m in {n,m}.
constexpr int kMaxRepeat = 4;
// Most strings the copies of a repeated atom read in part may make: "\\d{3,}"
// gives 100 strings of two digits, not 1,000 of three, which would leave
// less of the limit to the other branches of its group.
constexpr size_t kMaxPartStrings = 100;

// Strings this long, each with a word outside kCommonWords, are taken to
// be rare in benign text: see Better(). On rulesets/child_safety, 9 keeps
// RE2's wake-ups on tests/data/sms_ham within 5% of the whole languages'
// with half the strings; 4 or 6 without the common words (" mom",
// " when you ") woke it on 2 to 3 times as many messages.
constexpr size_t kSelectiveBytes = 9;

// Words so common in chat that a string made of them alone (" when you ")
// occurs in much benign text, however long it is. Sorted.
constexpr std::string_view kCommonWords[] = {
    "a",    "about", "after", "all",   "am",    "an",    "and",   "any",
    "are",  "as",    "at",    "be",    "but",   "by",    "can",   "come",
    "could", "did",  "do",    "does",  "dont",  "for",   "from",  "get",
    "go",   "going", "got",   "had",   "has",   "have",  "he",    "her",
    "him",  "his",   "how",   "i",     "if",    "im",    "in",    "is",
    "it",   "its",   "just",  "know",  "like",  "me",    "my",    "no",
    "not",  "now",   "of",    "ok",    "on",    "once",  "one",   "or",
    "our",  "out",   "see",   "she",   "so",    "some",  "that",  "the",
    "them", "then",  "there", "these", "they",  "this",  "those", "time",
    "to",   "u",     "up",    "ur",    "us",    "want",  "was",   "we",
    "what", "when",  "where", "which", "who",   "will",  "with",  "would",
    "ya",   "yes",   "you",   "your"};

// True if `s` has 3+ bytes in words that are not kCommonWords ("ll" of
// "i'll" is two).
bool HasRareWords(std::string_view s) {
  size_t rare = 0;
  size_t i = 0;
  auto letter = [&](size_t j) {
    const unsigned char c = s[j];
    return c >= 0x80 || (c >= 'a' && c <= 'z');
  };
  while (i < s.size()) {
    if (!letter(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && letter(j)) ++j;
    const std::string_view word = s.substr(i, j - i);
    if (!std::binary_search(std::begin(kCommonWords), std::end(kCommonWords),
                            word)) {
      rare += word.size();
      if (rare >= 3) return true;
    }
    i = j;
  }
  return false;
}

// Sorts `strings`, drops duplicates, and drops each string that holds
// another: a text that holds it holds the other. Where the strings start
// every match (`starts_match`), only one that starts with another goes.
void Minimize(std::vector<std::string>* strings, bool starts_match) {
  std::sort(strings->begin(), strings->end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() < b.size() : a < b;
            });
  std::vector<std::string> kept;
  for (std::string& s : *strings) {
    const bool covered = std::any_of(
        kept.begin(), kept.end(), [&](const std::string& k) {
          return starts_match ? s.compare(0, k.size(), k) == 0
                              : s.find(k) != std::string::npos;
        });
    if (!covered) kept.push_back(std::move(s));
  }
  std::sort(kept.begin(), kept.end());
  *strings = std::move(kept);
}

std::string Utf8(UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buf, length, c);
  return std::string(buf, length);
}

// What case folding makes of `c` in normalized text (ICU simple folding,
// which is what RE2's case-insensitive match follows).
UChar32 Fold(UChar32 c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
  return u_foldCase(c, U_FOLD_CASE_DEFAULT);
}

bool IsAsciiPunctuation(UChar32 c) {
  return c < 0x80 && c > ' ' && !(c >= '0' && c <= '9') &&
         !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z');
}

// A recursive-descent reader of the supported subset. Each method returns
// false when the regex falls outside it or the set outgrows the limit.
class Expander {
 public:
  // With `spell_whole`, each top-level alternative gives its whole run of
  // readable pieces and no string is dropped for holding another. With
  // non-null `pairs`, Run() also adds to *pairs the pairs of words side by
  // side in the strings, and the sets keep only what a later piece may
  // change of each string (Compress()).
  Expander(std::string_view regex, size_t limit, bool word_starts_checked,
           bool spell_whole, std::set<std::string>* pairs = nullptr)
      : regex_(regex),
        limit_(limit),
        word_starts_checked_(word_starts_checked),
        spell_whole_(spell_whole),
        pairs_(pairs) {}

  std::optional<std::vector<PrefilterString>> Run() {
    std::vector<PrefilterString> strings;
    while (true) {
      StringSet branch;
      bool starts_match = false;
      if (!TopLevelBranch(&branch, &starts_match)) return std::nullopt;
      if (strings.size() + branch.size() > limit_) return std::nullopt;
      for (const std::string& s : branch) AddPairs(s, /*all=*/true);
      for (std::string& s : branch) {
        strings.push_back({std::move(s), starts_match});
      }
      if (AtEnd()) break;
      ++pos_;  // '|'
    }
    // Across branches too, a string that holds another goes, unless the
    // other is no longer known to start the matches both stand for (a hit
    // of it that starts no word could then not be dropped).
    std::sort(strings.begin(), strings.end(),
              [](const PrefilterString& a, const PrefilterString& b) {
                return a.text.size() != b.text.size()
                           ? a.text.size() < b.text.size()
                           : a.text < b.text;
              });
    std::vector<PrefilterString> kept;
    for (PrefilterString& s : strings) {
      bool covered = false;
      for (PrefilterString& k : kept) {
        if (spell_whole_ && k.text != s.text) continue;
        if (k.text == s.text) {
          // One string from several branches starts a match only if it
          // does in all of them.
          k.starts_match &= s.starts_match;
          covered = true;
          break;
        }
        covered = k.starts_match
                      ? s.starts_match && s.text.compare(0, k.text.size(),
                                                         k.text) == 0
                      : s.text.find(k.text) != std::string::npos;
        if (covered) break;
      }
      if (!covered) kept.push_back(std::move(s));
    }
    std::sort(kept.begin(), kept.end(),
              [](const PrefilterString& a, const PrefilterString& b) {
                return a.text < b.text;
              });
    strings = std::move(kept);
    return strings;
  }

 private:
  // Deep nesting is refused rather than recursed into.
  static constexpr int kMaxDepth = 32;

  bool AtEnd() const { return pos_ >= regex_.size(); }
  char Peek() const { return regex_[pos_]; }

  // Inside a group: every branch must be read whole.
  bool Alternation(StringSet* out, int depth) {
    if (depth > kMaxDepth || !Concatenation(out, depth)) return false;
    while (!AtEnd() && Peek() == '|') {
      ++pos_;
      StringSet next;
      if (!Concatenation(&next, depth)) return false;
      if (out->size() + next.size() > limit_) return false;
      out->insert(out->end(), next.begin(), next.end());
    }
    return true;
  }

  bool Concatenation(StringSet* out, int depth) {
    *out = {std::string()};
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      StringSet piece;
      if (!Piece(&piece, depth) || !Multiply(out, piece)) return false;
    }
    return true;
  }

  // A top-level branch need not be read whole: every match of it contains
  // a match of each run of pieces between unreadable ones ("\\d+ ?dollars"
  // holds " dollars" or "dollars"), and of each stretch of consecutive
  // pieces within a run ("(your|ur) (mom|dad)" holds " mom" or " dad"), so
  // the best stretch by Better() is kept; *starts_match says whether it
  // starts the branch. Without such a stretch, a piece read in part
  // (PartOfPiece) may do: "\\d{3,}" holds "00" to "99" wherever it
  // matches. False if neither is found, or the branch is malformed.
  // `nested`: a branch of a group, which ends at ')'.
  bool TopLevelBranch(StringSet* out, bool* starts_match, int depth = 1,
                      bool nested = false) {
    if (depth > kMaxDepth) return false;
    if (spell_whole_) return WholeRunBranch(out, starts_match, depth, nested);
    StringSet best;
    Score best_score;
    std::vector<size_t> unread;  // Where the pieces not read start.
    std::vector<StringSet> run;  // The pieces of the current run.
    bool run_is_first = true;
    auto end_run = [&]() {
      BestStretch(run, run_is_first, &best, &best_score, starts_match);
      run.clear();
      run_is_first = false;
    };
    while (!AtEnd() && Peek() != '|') {
      if (Peek() == ')') {
        if (nested) break;
        return false;  // Unbalanced; RE2 refuses it too.
      }
      const size_t start = pos_;
      StringSet piece;
      if (Piece(&piece, depth)) {
        // Part of a string is never better than all of it: one piece.
        if (piece.size() == 1 && !run.empty() && run.back().size() == 1) {
          run.back()[0] += piece[0];
        } else {
          run.push_back(std::move(piece));
        }
        continue;
      }
      if (unreadable_) return false;
      pos_ = start;
      if (!SkipPiece()) return false;
      unread.push_back(start);
      end_run();
    }
    end_run();
    if (best.empty() &&
        !PartOfUnreadPiece(unread, depth, &best, starts_match)) {
      return false;
    }
    Minimize(&best, *starts_match);
    *out = std::move(best);
    return true;
  }

  // Where a branch gave no run to read: the most selective of the pieces
  // not read (starting at `unread`) read in part, into *out. Only now, as
  // reading pieces in part costs, nested groups most. False if none can be
  // read even in part. Leaves pos_ where it was.
  bool PartOfUnreadPiece(const std::vector<size_t>& unread, int depth,
                         StringSet* out, bool* starts_match) {
    const size_t end = pos_;
    StringSet part;
    for (size_t start : unread) {
      pos_ = start;
      StringSet piece;
      if (PartOfPiece(&piece, depth) &&
          Selectivity(piece) > Selectivity(part)) {
        part = std::move(piece);
      }
      if (unreadable_) return false;
    }
    pos_ = end;
    if (part.empty()) return false;
    *out = std::move(part);
    *starts_match = false;  // Not looked into; false is always safe.
    return true;
  }

  // TopLevelBranch() for spell_whole_: the run whose shortest string is
  // longest, each run as long as the limit allows.
  bool WholeRunBranch(StringSet* out, bool* starts_match, int depth,
                      bool nested) {
    if (depth > kMaxDepth) return false;
    StringSet best;
    std::vector<size_t> unread;  // Where the pieces not read start.
    StringSet run = {std::string()};
    bool run_is_first = true;
    auto end_run = [&]() {
      if (Selectivity(run) > Selectivity(best)) {
        best = std::move(run);
        *starts_match = run_is_first;
      }
      run = {std::string()};
      run_is_first = false;
    };
    while (!AtEnd() && Peek() != '|') {
      if (Peek() == ')') {
        if (nested) break;
        return false;  // Unbalanced; RE2 refuses it too.
      }
      const size_t start = pos_;
      StringSet piece;
      if (Piece(&piece, depth)) {
        if (Multiply(&run, piece)) continue;
        end_run();  // Too many strings: start a new run with this piece.
        if (piece.size() <= limit_) run = std::move(piece);
        continue;
      }
      if (unreadable_) return false;
      pos_ = start;
      if (!SkipPiece()) return false;
      unread.push_back(start);
      end_run();
    }
    end_run();
    if (best.empty() &&
        !PartOfUnreadPiece(unread, depth, &best, starts_match)) {
      return false;
    }
    *out = std::move(best);
    return true;
  }

  // Reads a piece Piece() cannot read whole into strings one of which each
  // of its matches contains: for an atom repeated at least n >= 1 times
  // ("x+", "x{2,}", "[a-z]{1,3}" past the limit), n copies of it, fewer if
  // they would number over kMaxPartStrings; for a group not read whole,
  // what each of its branches holds (TopLevelBranch). False where neither
  // applies ("x*", "(a|\\w)"), leaving pos_ anywhere.
  bool PartOfPiece(StringSet* out, int depth) {
    const size_t start = pos_;
    StringSet atom;
    bool whole = Atom(&atom, depth);
    if (!whole) {
      if (unreadable_) return false;
      pos_ = start;
      if (Peek() != '(' || !GroupPart(&atom, depth)) return false;
    }
    // The least number of repeats the quantifier allows.
    int min = 1;
    if (!AtEnd()) {
      const char q = Peek();
      size_t end;
      if (q == '?' || q == '*') return false;
      if (q == '+') {
        ++pos_;
      } else if (q == '{' && IsRepetitionAt(pos_, &end)) {
        min = 0;
        for (size_t i = pos_ + 1; regex_[i] >= '0' && regex_[i] <= '9'; ++i) {
          min = std::min(kMaxRepeat, min * 10 + (regex_[i] - '0'));
        }
        pos_ = end;
      }
      if (!AtEnd() && Peek() == '?') ++pos_;  // Lazy: the same matches.
      if (!AtEnd() && (Peek() == '?' || Peek() == '*' || Peek() == '+' ||
                       (Peek() == '{' && IsRepetitionAt(pos_, &end)))) {
        return false;  // A quantifier of a quantifier: not read.
      }
    }
    if (min == 0 || atom.size() > limit_) return false;
    *out = atom;
    for (int k = 1; whole && k < min &&
                    out->size() * atom.size() <= kMaxPartStrings &&
                    Multiply(out, atom);
         ++k) {
    }
    return Selectivity(*out) > 0;
  }

  // Reads the group at pos_ as TopLevelBranch reads each of its branches:
  // *out holds, for each branch, strings one of which each match of it
  // contains. False if a branch has none, or the group has flags.
  bool GroupPart(StringSet* out, int depth) {
    ++pos_;  // '('
    if (!AtEnd() && Peek() == '?') {
      ++pos_;
      if (AtEnd() || Peek() != ':') return false;
      ++pos_;
    }
    out->clear();
    while (true) {
      StringSet branch;
      bool starts_match = false;
      if (!TopLevelBranch(&branch, &starts_match, depth + 1, /*nested=*/true) ||
          out->size() + branch.size() > limit_) {
        return false;
      }
      out->insert(out->end(), branch.begin(), branch.end());
      if (AtEnd()) return false;
      if (Peek() == ')') break;
      ++pos_;  // '|'
    }
    ++pos_;  // ')'
    return true;
  }

  // What Better() compares of a set of strings.
  struct Score {
    size_t shortest = 0;  // Selectivity().
    bool selective = false;
    bool starts = false;  // The strings start matches, and that is checked.
    size_t count = 0;
  };


  // Offers every stretch of consecutive pieces of `run` whose strings
  // number at most limit_ as *best (scored *best_score), kept where
  // Better(); *starts_match then says whether it starts the run's matches
  // (`run_is_first`, and only assertions before it).
  void BestStretch(const std::vector<StringSet>& run, bool run_is_first,
                   StringSet* best, Score* best_score,
                   bool* starts_match) const {
    bool leading = run_is_first;
    for (size_t i = 0; i < run.size(); ++i) {
      Score score;
      score.starts = leading && word_starts_checked_;
      StringSet strings = {std::string()};
      for (size_t j = i; j < run.size() && Multiply(&strings, run[j]); ++j) {
        score.count = strings.size();
        score.shortest += Selectivity(run[j]);
        score.selective =
            score.shortest >= kSelectiveBytes &&
            (!best_score->selective || score.count <= best_score->count) &&
            Rare(strings);
        if (Better(score, *best_score)) {
          *best_score = score;
          *best = strings;
          *starts_match = leading;
        }
        // Longer stretches of more strings cannot beat a selective one.
        if (score.selective && j + 1 < run.size() && run[j + 1].size() > 1) {
          break;
        }
      }
      leading = leading && run[i].size() == 1 && run[i][0].empty();
    }
  }

  // True if strings scored `a` make a better prefilter than those scored
  // `b`. Strings of kSelectiveBytes or more, each with a word outside
  // kCommonWords, are rare in benign text, so among sets of them the
  // smallest wins (a smaller database); short of that, the longer shortest
  // string, where a string that must start a word counts one byte more;
  // on a tie, the first (`b`).
  static bool Better(const Score& a, const Score& b) {
    if (a.shortest == 0) return false;
    if (b.shortest == 0) return true;
    if (a.selective != b.selective) return a.selective;
    if (a.selective && a.count != b.count) return a.count < b.count;
    return a.shortest + a.starts > b.shortest + b.starts;
  }

  // True if every string of `set` has a word of 3+ bytes besides the
  // common ones.
  static bool Rare(const StringSet& set) {
    return std::all_of(set.begin(), set.end(), [](const std::string& s) {
      return HasRareWords(s);
    });
  }


  // Length of the shortest string of `set`; 0 if it is empty or holds "".
  static size_t Selectivity(const StringSet& set) {
    if (set.empty()) return 0;
    size_t shortest = set[0].size();
    for (const std::string& s : set) shortest = std::min(shortest, s.size());
    return shortest;
  }

  // Skips one atom at pos_ and its quantifiers.
  bool SkipPiece() {
    const char c = Peek();
    if (c == '\\') {
      if (!SkipEscape()) return false;
    } else if (c == '[') {
      if (!SkipClass()) return false;
    } else if (c == '(') {
      int open = 0;
      do {
        if (Peek() == '\\') {
          if (!SkipEscape()) return false;
          continue;
        }
        if (Peek() == '[') {
          if (!SkipClass()) return false;
          continue;
        }
        if (Peek() == '(') ++open;
        if (Peek() == ')') --open;
        ++pos_;
      } while (open > 0 && !AtEnd());
      if (open > 0) return false;
    } else {
      UChar32 cp;
      if (!NextCodePoint(&cp)) return false;
    }
    while (!AtEnd()) {
      const char q = Peek();
      if (q == '?' || q == '*' || q == '+') {
        ++pos_;
      } else if (q == '{') {
        size_t end;
        if (!IsRepetitionAt(pos_, &end)) break;  // A literal brace.
        pos_ = end;
      } else {
        break;
      }
    }
    return true;
  }

  // *out = every string of *out followed by every string of `piece`.
  bool Multiply(StringSet* out, const StringSet& piece) const {
    if (piece.size() == 1) {
      for (std::string& s : *out) s += piece[0];
      Compress(out);
      return true;
    }
    if (out->size() * piece.size() > limit_) return false;
    StringSet product;
    product.reserve(out->size() * piece.size());
    for (const std::string& head : *out) {
      for (const std::string& tail : piece) product.push_back(head + tail);
    }
    *out = std::move(product);
    Compress(out);
    return true;
  }

  // Stands for the words a compressed string left out.
  static constexpr std::string_view kCut = "\x01";

  // Adds to *pairs_ the pairs of words side by side in `s`: all of them, or
  // (`all` false) those no piece after or before it can change, between
  // its second word and its last but one.
  void AddPairs(std::string_view s, bool all) const {
    if (pairs_ == nullptr) return;
    std::vector<std::string_view> words;
    for (size_t i = 0;;) {
      const size_t j = std::min(s.find(' ', i), s.size());
      words.push_back(s.substr(i, j - i));
      if (j == s.size()) break;
      i = j + 1;
    }
    const size_t first = all ? 0 : 1;
    const size_t last = all ? words.size() : words.size() - 1;
    for (size_t k = first; k + 1 < last; ++k) {
      const std::string_view a = words[k], b = words[k + 1];
      if (a.empty() || b.empty() || a == kCut || b == kCut) continue;
      std::string pair(a);
      pair += ' ';
      pair += b;
      pairs_->insert(std::move(pair));
    }
  }

  // With pairs_: adds each string's pairs that no other piece can change,
  // and keeps the string as its first two words and last two, with kCut
  // between, so that a set of long strings ("(i|we) (can't|cannot) (tell|
  // say) (anyone|anybody) ...") stays within the limit; its pairs are
  // those of the whole language all the same.
  void Compress(StringSet* set) const {
    if (pairs_ == nullptr) return;
    bool changed = false;
    for (std::string& s : *set) {
      if (std::count(s.begin(), s.end(), ' ') < 4) continue;
      const size_t a = s.find(' '), b = s.find(' ', a + 1);
      const size_t d = s.rfind(' '), c = s.rfind(' ', d - 1);
      if (std::string_view(s).substr(b + 1, c - b - 1) == kCut) continue;
      AddPairs(s, /*all=*/false);
      std::string kept = s.substr(0, b);
      kept += ' ';
      kept += kCut;
      kept += std::string_view(s).substr(c);
      s = std::move(kept);
      changed = true;
    }
    if (!changed) return;
    std::sort(set->begin(), set->end());
    set->erase(std::unique(set->begin(), set->end()), set->end());
  }

  bool Piece(StringSet* out, int depth) {
    if (!Atom(out, depth)) return false;
    while (!AtEnd()) {
      const char c = Peek();
      if (c == '?') {
        ++pos_;
        if (out->size() + 1 > limit_) return false;
        out->push_back(std::string());
      } else if (c == '{') {
        size_t end;
        // A brace that does not make a repetition is a literal (RE2's rule),
        // and the next piece.
        if (!IsRepetitionAt(pos_, &end)) return true;
        int min = 0;
        int max = 0;
        if (!Repeat(&min, &max)) return false;
        StringSet one = std::move(*out);
        StringSet power = {std::string()};
        *out = {};
        for (int k = 0; k <= max; ++k) {
          if (k >= min) {
            if (out->size() + power.size() > limit_) return false;
            out->insert(out->end(), power.begin(), power.end());
          }
          if (k < max && !Multiply(&power, one)) return false;
        }
      } else if (c == '*' || c == '+') {
        return false;  // Unbounded.
      } else {
        return true;
      }
      // A trailing ? makes the quantifier lazy: the same strings.
      if (!AtEnd() && Peek() == '?') ++pos_;
    }
    return true;
  }

  // True if a repetition {n}, {n,} or {n,m} starts at `pos`; *end is then
  // just past its '}'. RE2 reads any other brace as a literal character.
  bool IsRepetitionAt(size_t pos, size_t* end) const {
    size_t i = pos + 1;
    auto digits = [&]() {
      const size_t start = i;
      while (i < regex_.size() && regex_[i] >= '0' && regex_[i] <= '9') ++i;
      return i > start;
    };
    if (!digits()) return false;
    if (i < regex_.size() && regex_[i] == ',') {
      ++i;
      digits();
    }
    if (i >= regex_.size() || regex_[i] != '}') return false;
    *end = i + 1;
    return true;
  }

  // Reads {n} or {n,m}; false for {n,} and for m > kMaxRepeat.
  bool Repeat(int* min, int* max) {
    ++pos_;  // '{'
    auto number = [&](int* value) {
      const size_t start = pos_;
      *value = 0;
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9' &&
             *value <= kMaxRepeat) {
        *value = *value * 10 + (Peek() - '0');
        ++pos_;
      }
      return pos_ > start;
    };
    if (!number(min)) return false;
    *max = *min;
    if (!AtEnd() && Peek() == ',') {
      ++pos_;
      if (!number(max)) return false;
    }
    if (AtEnd() || Peek() != '}' || *max > kMaxRepeat || *min > *max) {
      return false;
    }
    ++pos_;
    return true;
  }

  // Skips the escape at pos_, however long: \Q...\E, \x41, \x{41},
  // \pL, \p{Greek}, \123, or a backslash and one character.
  bool SkipEscape() {
    if (pos_ + 1 >= regex_.size()) return false;
    const char e = regex_[pos_ + 1];
    pos_ += 2;
    auto skip_braces = [&]() {
      const size_t close = regex_.find('}', pos_);
      if (close == std::string_view::npos) return false;
      pos_ = close + 1;
      return true;
    };
    if (e == 'Q') {
      const size_t close = regex_.find("\\E", pos_);
      pos_ = close == std::string_view::npos ? regex_.size() : close + 2;
    } else if (e == 'x') {
      if (!AtEnd() && Peek() == '{') return skip_braces();
      pos_ = std::min(pos_ + 2, regex_.size());
    } else if (e == 'p' || e == 'P') {
      if (!AtEnd() && Peek() == '{') return skip_braces();
      pos_ = std::min(pos_ + 1, regex_.size());
    } else if (e >= '0' && e <= '9') {
      while (!AtEnd() && Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    return true;
  }

  // Skips the character class at pos_, as RE2 reads it: a ']' first (after
  // an optional '^') is a member; escapes and [:name:] are members.
  bool SkipClass() {
    ++pos_;  // '['
    if (!AtEnd() && Peek() == '^') ++pos_;
    if (!AtEnd() && Peek() == ']') ++pos_;
    while (!AtEnd() && Peek() != ']') {
      if (Peek() == '\\') {
        if (!SkipEscape()) return false;
      } else if (regex_.substr(pos_, 2) == "[:") {
        const size_t close = regex_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return false;
        pos_ = close + 2;
      } else {
        ++pos_;
      }
    }
    if (AtEnd()) return false;
    ++pos_;  // ']'
    return true;
  }

  bool Atom(StringSet* out, int depth) {
    const char c = Peek();
    switch (c) {
      case '(':
        return Group(out, depth);
      case '[':
        return Class(out);
      case '\\':
        return Escape(out);
      case '^':
      case '$':
        ++pos_;
        *out = {std::string()};  // Assertions: dropped, see the header.
        return true;
      case '{': {
        size_t end;
        if (IsRepetitionAt(pos_, &end)) return false;  // Nothing to repeat.
        ++pos_;
        *out = {"{"};  // A brace that makes no repetition is a literal.
        return true;
      }
      case '.':
      case '*':
      case '+':
      case '?':
        return false;
      default: {
        UChar32 cp;
        if (!NextCodePoint(&cp)) return false;
        *out = {Utf8(Fold(cp))};
        return true;
      }
    }
  }

  bool Group(StringSet* out, int depth) {
    ++pos_;  // '('
    if (!AtEnd() && Peek() == '?') {
      ++pos_;
      if (!AtEnd() && Peek() == 'P') {  // (?P<name>...)
        const size_t close = regex_.find('>', pos_);
        if (close == std::string_view::npos) return false;
        pos_ = close + 1;
      } else {
        // Flags: (?i) alone changes nothing we expand; (?i:...) is a group.
        while (!AtEnd() && (std::isalpha(static_cast<unsigned char>(Peek())) ||
                            Peek() == '-')) {
          ++pos_;
        }
        if (AtEnd()) return false;
        if (Peek() == ')') {
          ++pos_;
          // A flags group is no atom: RE2 applies a quantifier after it to
          // what came before ("s(?)?x" is "s?x", which matches "x"), so
          // such a regex is left unread rather than read wrongly, not even
          // by the runs around it.
          size_t end;
          if (!AtEnd() && (Peek() == '?' || Peek() == '*' || Peek() == '+' ||
                           (Peek() == '{' && IsRepetitionAt(pos_, &end)))) {
            unreadable_ = true;
            return false;
          }
          *out = {std::string()};
          return true;
        }
        if (Peek() != ':') return false;
        ++pos_;
      }
    }
    if (!Alternation(out, depth + 1) || AtEnd() || Peek() != ')') return false;
    ++pos_;
    return true;
  }

  bool Class(StringSet* out) {
    ++pos_;  // '['
    if (AtEnd() || Peek() == '^') return false;
    std::vector<UChar32> members;
    bool first = true;
    while (!AtEnd() && (Peek() != ']' || first)) {
      first = false;
      if (Peek() == '[') return false;  // [[:alpha:]] and friends.
      UChar32 low;
      if (Peek() == '\\') {
        ++pos_;
        if (AtEnd()) return false;
        const char e = Peek();
        if (e == 'd' || e == 's') {
          ++pos_;
          if (e == 's') {
            members.push_back(' ');
          } else {
            for (UChar32 d = '0'; d <= '9'; ++d) members.push_back(d);
          }
          continue;
        }
        if (!NextCodePoint(&low) || !IsAsciiPunctuation(low)) return false;
      } else if (!NextCodePoint(&low)) {
        return false;
      }
      UChar32 high = low;
      if (pos_ + 1 < regex_.size() && Peek() == '-' && regex_[pos_ + 1] != ']') {
        ++pos_;
        if (Peek() == '\\' || !NextCodePoint(&high) || high < low ||
            high - low >= static_cast<UChar32>(kMaxClassSize)) {
          return false;
        }
      }
      for (UChar32 m = low; m <= high; ++m) members.push_back(Fold(m));
      if (members.size() > kMaxClassSize) return false;
    }
    if (AtEnd()) return false;
    ++pos_;  // ']'
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    out->clear();
    for (UChar32 m : members) out->push_back(Utf8(m));
    return !out->empty();
  }

  bool Escape(StringSet* out) {
    ++pos_;  // '\'
    if (AtEnd()) return false;
    const char e = Peek();
    switch (e) {
      case 'b':
      case 'B':
      case 'A':
      case 'z':
        ++pos_;
        *out = {std::string()};  // Assertions: dropped, see the header.
        return true;
      case 's':
        ++pos_;
        *out = {" "};
        return true;
      case 'd':
        ++pos_;
        out->clear();
        for (char d = '0'; d <= '9'; ++d) out->push_back(std::string(1, d));
        return true;
      default: {
        UChar32 cp;
        if (!NextCodePoint(&cp) || !IsAsciiPunctuation(cp)) return false;
        *out = {Utf8(cp)};
        return true;
      }
    }
  }

  // Decodes the code point at pos_; false on ill-formed UTF-8.
  bool NextCodePoint(UChar32* c) {
    const auto* s = reinterpret_cast<const uint8_t*>(regex_.data());
    int32_t i = static_cast<int32_t>(pos_);
    U8_NEXT(s, i, static_cast<int32_t>(regex_.size()), *c);
    pos_ = static_cast<size_t>(i);
    return *c >= 0;
  }

  std::string_view regex_;
  size_t limit_;
  // Whether a hit of a string that starts matches is dropped where no word
  // starts: then such strings are the more selective (Better()).
  bool word_starts_checked_;
  // RegexWordPairs(): whole runs, no string dropped for holding another.
  bool spell_whole_;
  size_t pos_ = 0;
  // Set when the regex holds what must not be read even in part.
  bool unreadable_ = false;
  std::set<std::string>* pairs_;
};

}  // namespace

std::optional<std::vector<PrefilterString>> RegexLiteralPrefilter(
    std::string_view regex, size_t limit, bool word_starts_checked) {
  return Expander(regex, limit, word_starts_checked, /*spell_whole=*/false)
      .Run();
}

std::optional<std::vector<std::string>> RegexWordPairs(std::string_view regex,
                                                       size_t limit) {
  std::set<std::string> pairs;
  Expander expander(regex, limit, /*word_starts_checked=*/false,
                    /*spell_whole=*/true, &pairs);
  if (!expander.Run().has_value()) return std::nullopt;
  return std::vector<std::string>(pairs.begin(), pairs.end());
}

}  // namespace watchword
