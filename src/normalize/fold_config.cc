#include "src/normalize/fold_config.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/normalize/fold_chars.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

// The code point `utf8` consists of, or -1 if it holds more or none.
UChar32 OnlyCodePoint(std::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  if (n == 0) return -1;
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(s, i, n, c);
  return i == n ? c : -1;
}

}  // namespace

std::vector<std::pair<UChar32, UChar32>> FoldConfig::OtherReadings() const {
  // The shipped rows give both readings: `to` and `alternate`.
  std::vector<std::pair<UChar32, UChar32>> other;
  for (const Disguise& row : ShippedDisguises()) {
    const UChar32 from = OnlyCodePoint(row.from);
    if (from < 0 || row.alternate == 0 || row.to <= ' ') continue;
    const UChar32 now = Leet(from);
    if (now == row.to) {
      other.emplace_back(from, row.alternate);
    } else if (now == row.alternate) {
      other.emplace_back(from, row.to);
    }
  }
  return other;
}

void FoldConfig::SetLeet(absl::flat_hash_map<UChar32, UChar32> map) {
  leet_ = std::move(map);
  ascii_leet_.fill(0);
  non_ascii_leet_.clear();
  ascii_where_.fill(0);
  non_ascii_where_.clear();
  for (const auto& [from, to] : leet_) {
    uint8_t where = IsLetter(from)  ? kAnywhere
                    : IsDigit(from) ? kInWord
                                    : kBetweenWord;
    for (const Disguise& row : ShippedDisguises()) {
      if (row.to > ' ' && OnlyCodePoint(row.from) == from) where = row.where;
    }
    if (from >= 0 && from < 0x80) {
      ascii_leet_[from] = to;
      ascii_where_[from] = where;
    } else {
      non_ascii_leet_.emplace_back(from, to);
      non_ascii_where_.emplace_back(from, where);
    }
  }
  ascii_letter_leet_ = false;
  for (UChar32 c = 0; c < 0x80; ++c) {
    // "_" separates spaced-out letters (JoinSpacedLetters()).
    ascii_blocks_[c] = (IsWord(c) && c != '_') ||
                       (c != ' ' && ascii_leet_[c] != 0 &&
                        (ascii_where_[c] & ~(kTermWord | kTermWordEdge)) != 0);
    const bool to_ascii = ascii_leet_[c] != 0 && ascii_leet_[c] < 0x80;
    ascii_stand_in_[c] = to_ascii && !IsLetter(c);
    ascii_letter_leet_ |= to_ascii && IsLetter(c);
  }
  SetSurvey();
}

void FoldConfig::SetSurvey() {
  for (int c = 0; c < 0x80; ++c) {
    ascii_survey_[c] = (sequence_first_[c] ? kSurveySequenceFirst : 0) |
                       (ascii_joins_[c] != kJoinNone ? kSurveyJoin : 0) |
                       (ascii_stand_in_[c] != 0 ? kSurveyStandIn : 0);
  }
  survey_skips_letters_ = ascii_survey_[' '] == 0;
  for (int c = 'a'; c <= 'z'; ++c) {
    survey_skips_letters_ &=
        ascii_survey_[c] == 0 && ascii_survey_[c - 0x20] == 0;
  }
}

void FoldConfig::SetDisguises(absl::Span<const Disguise> rows) {
  ascii_joins_.fill(kJoinNone);
  non_ascii_joins_.clear();
  sequence_rows_.clear();
  alternate_sequences_.clear();
  alternate_sequence_first_.fill(false);
  alternate_firsts_.clear();
  alternate_pairs_ = {};
  for (const Disguise& row : rows) {
    const UChar32 only = OnlyCodePoint(row.from);
    if (only >= 0) {
      if (row.to != kDropped && row.to != kSeparator) continue;  // Leet.
      const uint8_t join = row.to == kDropped ? kJoinDrop : kJoinSpace;
      if (only < 0x80) {
        ascii_joins_[only] = join;
      } else {
        non_ascii_joins_.emplace_back(only, join);
      }
      continue;
    }
    if (row.from.empty() || static_cast<uint8_t>(row.from[0]) >= 0x80) continue;
    sequence_rows_.push_back(row);
    if (row.alternate != 0 && row.alternate != row.to) {
      alternate_sequences_.push_back(row.from);
      // Several code points, the first ASCII: two bytes at least.
      const auto a = static_cast<uint8_t>(row.from[0]);
      const auto b = static_cast<uint8_t>(row.from[1]);
      if (!alternate_sequence_first_[a]) {
        alternate_firsts_.push_back(static_cast<char>(a));
      }
      alternate_sequence_first_[a] = true;
      alternate_pairs_[a][b >> 6] |= uint64_t{1} << (b & 63);
    }
  }
  std::stable_sort(sequence_rows_.begin(), sequence_rows_.end(),
                   [](const Disguise& a, const Disguise& b) {
                     return a.from.size() > b.from.size();
                   });
  SetSequences(false);
}

void FoldConfig::SetSequences(bool alternate) {
  sequences_alternate_ = alternate;
  sequences_.clear();
  sequence_first_.fill(false);
  term_sequences_.clear();
  term_sequence_first_.fill(false);
  for (Disguise row : sequence_rows_) {
    const UChar32 other = alternate ? row.to : row.alternate;
    if (alternate && row.alternate != 0) row.to = row.alternate;
    if (row.to == kAsTyped) {
      if (other >= 'a' && other <= 'z') {
        row.to = other;
        term_sequences_.push_back(row);
        term_sequence_first_[static_cast<uint8_t>(row.from[0])] = true;
      }
      continue;
    }
    sequences_.push_back(row);
    sequence_first_[static_cast<uint8_t>(row.from[0])] = true;
  }
  SetSurvey();
}

void FoldConfig::ReadSequencesAlternately() { SetSequences(true); }

bool FoldConfig::HasAlternateSequence(std::string_view text) const {
  if (alternate_sequences_.empty()) return false;
  // Runs on every text of an engine with such rows: memchr() finds the
  // few bytes that start one (16 or 32 bytes a step), and rows are
  // compared only where two bytes start one.
  if (text.size() < 2) return false;
  // No row starts at the last byte.
  const char* const last = text.data() + text.size() - 1;
  for (const char first : alternate_firsts_) {
    const auto a = static_cast<uint8_t>(first);
    for (const char* p = text.data(); p < last; ++p) {
      p = static_cast<const char*>(std::memchr(p, first, last - p));
      if (p == nullptr) break;
      const auto b = static_cast<uint8_t>(p[1]);
      if (!((alternate_pairs_[a][b >> 6] >> (b & 63)) & 1)) continue;
      const size_t i = p - text.data();
      for (std::string_view from : alternate_sequences_) {
        if (text.compare(i, from.size(), from) == 0) return true;
      }
    }
  }
  return false;
}
void FoldConfig::SetEquivalences(
    absl::flat_hash_map<std::string, std::string> map) {
  equivalences_ = std::move(map);
  equivalence_lengths_.fill(0);
  equivalence_end_lengths_.fill(0);
  equivalence_edges_.fill(0);
  non_ascii_equivalences_ = false;
  for (const auto& [word, to] : equivalences_) AddEquivalenceLength(word);
  for (const auto& [word, to] : term_stand_ins_) AddEquivalenceLength(word);
  spelled_pairs_.fill(0);
  has_spelled_pairs_ = false;
  auto lone_letter = [&](char c) {  // A letter no word alone.
    return c >= 'a' && c <= 'z' &&
           std::string_view("aeiouy").find(c) == std::string_view::npos &&
           !equivalences_.contains(std::string(1, c));
  };
  for (const auto& [word, to] : equivalences_) {
    if (word.size() != 2 || !lone_letter(word[0]) || !lone_letter(word[1])) {
      continue;
    }
    spelled_pairs_[word[0] - 'a'] |= 1u << (word[1] - 'a');
    has_spelled_pairs_ = true;
  }
}

void FoldConfig::AddEquivalenceLength(std::string_view word) {
  if (word.empty()) return;
  equivalence_lengths_[static_cast<uint8_t>(word[0])] |= LengthBit(word.size());
  equivalence_end_lengths_[static_cast<uint8_t>(word.back())] |=
      LengthBit(word.size());
  const uint32_t edge = EdgeBit(static_cast<uint8_t>(word[0]),
                                static_cast<uint8_t>(word.back()), word.size());
  equivalence_edges_[edge >> 6] |= uint64_t{1} << (edge & 63);
  non_ascii_equivalences_ |= static_cast<uint8_t>(word[0]) >= 0x80;
}

void FoldConfig::AddTermWordBits(std::string_view word) {
  if (word.empty()) return;
  const uint64_t bits = TermWordBits(word);
  for (const uint32_t bit : {static_cast<uint32_t>(bits >> 52),
                             static_cast<uint32_t>(bits >> 40) & 4095}) {
    term_word_bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
}

namespace {

// Whether `word` is all ASCII digits. A plain loop: std::all_of's is
// unrolled four times, more code than EquivalentOf()'s stand-in words
// ("ya", "c") need.
bool AllDigits(absl::string_view word) {
  for (const char c : word) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Whether `pairs` holds "a b", for words too long to spell on the stack.
// Out of line and cold: no term word is that long.
[[gnu::noinline, gnu::cold]] bool HasLongPair(
    const absl::flat_hash_set<std::string>& pairs, absl::string_view a,
    absl::string_view b) {
  return pairs.contains(absl::StrCat(a, " ", b));
}

}  // namespace

const std::string* FoldConfig::EquivalentOf(absl::string_view word,
                                            absl::string_view before,
                                            absl::string_view after) const {
  auto it = equivalences_.find(word);
  if (it != equivalences_.end()) return &it->second;
  it = term_stand_ins_.find(word);
  if (it == term_stand_ins_.end()) return nullptr;
  const std::string& to = it->second;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const bool all_digits = AllDigits(word);
  if (all_digits) {
    // A number is a number beside another number or after a word that
    // counts ("2 12", "room 463", "asl 15 f"). Beside another such
    // spelling it may be a word ("90 70" for "go to").
    auto number = [&](absl::string_view w) {
      return std::any_of(w.begin(), w.end(), digit) &&
             !term_stand_ins_.contains(w);
    };
    // A number after a number's cue word is expected ("47 12 oak" for
    // "at 12 oak").
    bool cue = false;
    for (std::string_view c : NumberCueWords()) cue |= to == c;
    if (number(before) || (number(after) && !cue)) return nullptr;
    for (std::string_view cue : NumberCueWords()) {
      if (before == absl::string_view(cue.data(), cue.size())) return nullptr;
    }
  }
  // A neighbour, read through its equivalence ("u" is "you", "ya" may be).
  // Most neighbours are no such word, which MayBeEquivalent() tells
  // without hashing them.
  auto read = [this](absl::string_view w) -> absl::string_view {
    if (w.empty() || !MayBeEquivalent(static_cast<uint8_t>(w.front()),
                                      static_cast<uint8_t>(w.back()),
                                      w.size())) {
      return w;
    }
    auto e = equivalences_.find(w);
    if (e != equivalences_.end()) return e->second;
    e = term_stand_ins_.find(w);
    return e != term_stand_ins_.end() ? absl::string_view(e->second) : w;
  };
  // Whether term_pairs_ holds "a b". Spelled in a buffer on the stack: this
  // runs for every stand-in word of a text ("ya", "c").
  auto is_pair = [this](absl::string_view a, absl::string_view b) {
    char buffer[64];
    if (a.size() + 1 + b.size() > sizeof(buffer)) {
      return HasLongPair(term_pairs_, a, b);
    }
    std::memcpy(buffer, a.data(), a.size());
    buffer[a.size()] = ' ';
    std::memcpy(buffer + a.size() + 1, b.data(), b.size());
    return term_pairs_.contains(
        absl::string_view(buffer, a.size() + 1 + b.size()));
  };
  if ((!before.empty() && is_pair(read(before), to)) ||
      (!after.empty() && is_pair(to, read(after)))) {
    return &to;
  }
  // A spelling with a letter is no number: where its word is a phrase of
  // its own, the phrase needs it anywhere ("hey pl2").
  if (!all_digits && !term_alone_.empty() && term_alone_.contains(to)) {
    return &to;
  }
  return nullptr;
}

void FoldConfig::SetTermWords(const std::vector<std::string>& words,
                              const std::vector<std::string>& pairs,
                              const std::vector<std::string>& alone) {
  term_words_ = absl::flat_hash_set<std::string>(words.begin(), words.end());
  term_word_bits_.fill(0);
  for (const std::string& word : term_words_) AddTermWordBits(word);
  term_pairs_ = absl::flat_hash_set<std::string>(pairs.begin(), pairs.end());
  term_alone_ = absl::flat_hash_set<std::string>(alone.begin(), alone.end());
  SetTermStandIns();
  stand_in_words_.clear();
  stretched_words_.clear();
  other_letter_.fill(0);
  for (int k = 0; k < 26; ++k) stretch_letter_[k] = static_cast<char>('a' + k);
  ambiguous_letters_ = 0;
  // This reading -> the other, for the rows in `leet_` as shipped, and
  // for the rows of several code points that are a letter both ways ("|>"
  // is "p" or "d": "i|>" reads as "id" where "id" is a term word).
  std::vector<std::pair<char, char>> letter_pairs;
  auto add_pair = [&](UChar32 first, UChar32 alternate) {
    if (first < 'a' || first > 'z' || alternate < 'a' || alternate > 'z') {
      return;
    }
    if (!(ambiguous_letters_ >> (first - 'a') & 1)) {
      letter_pairs.emplace_back(static_cast<char>(first),
                                static_cast<char>(alternate));
    }
    ambiguous_letters_ |= 1u << (first - 'a');
  };
  // Both ways: a letter a stand-in of one meaning made ("!" is "i") may be
  // the other too, in either reading ("!l!" for "ill" beside "|ocat|on"
  // for "location", which needs "|" read as "l").
  for (const auto& [from, alternate] : OtherReadings()) {
    add_pair(Leet(from), alternate);
    add_pair(alternate, Leet(from));
  }
  for (const Disguise& row : sequence_rows_) {
    if (sequences_alternate_) {
      add_pair(row.alternate, row.to);
    } else {
      add_pair(row.to, row.alternate);
    }
  }
  if (letter_pairs.empty()) return;
  const absl::flat_hash_set<std::string>& known = term_words_;
  // A word with more alternate letters than this keeps its first 2^4 - 1
  // readings only: enough for "illegal", and the table stays small.
  constexpr int kMaxPlaces = 4;
  for (const std::string& word : words) {
    std::vector<size_t> places;
    for (size_t k = 0; k < word.size(); ++k) {
      for (const auto& [first, alternate] : letter_pairs) {
        if (word[k] == alternate && places.size() < kMaxPlaces) {
          places.push_back(k);
        }
      }
    }
    for (uint32_t subset = 1; subset < (1u << places.size()); ++subset) {
      std::string read = word;
      for (size_t b = 0; b < places.size(); ++b) {
        if (!(subset >> b & 1)) continue;
        for (const auto& [first, alternate] : letter_pairs) {
          if (word[places[b]] == alternate) read[places[b]] = first;
        }
      }
      if (!known.contains(read)) {
        stand_in_words_.emplace(read, word);
        AddTermWordBits(read);
      }
    }
  }
  // Each pair's letters key as the smaller one.
  for (const auto& [first, alternate] : letter_pairs) {
    other_letter_[first - 'a'] = alternate;
    other_letter_[alternate - 'a'] = first;
    const char low = std::min(first, alternate);
    stretch_letter_[first - 'a'] = std::min(stretch_letter_[first - 'a'], low);
    stretch_letter_[alternate - 'a'] =
        std::min(stretch_letter_[alternate - 'a'], low);
  }
  constexpr size_t kMinStretchKey = 3;  // "ill", "lil" and "i" are one.
  absl::flat_hash_set<std::string> shared;
  std::string key;
  for (const std::string& word : words) {
    bool ambiguous = false;
    for (char c : word) {
      ambiguous |= c >= 'a' && c <= 'z' && (ambiguous_letters_ >> (c - 'a') & 1);
    }
    if (!ambiguous) continue;
    StretchKey(word, &key);
    if (key.size() < kMinStretchKey || shared.contains(key)) continue;
    auto [it, added] = stretched_words_.emplace(key, word);
    if (!added && it->second != word) {
      stretched_words_.erase(it);
      shared.insert(key);
    }
  }
}

void FoldConfig::StretchKey(std::string_view word, std::string* key) const {
  key->clear();
  for (char c : word) {
    c = StretchLetter(c);
    if (key->empty() || key->back() != c) key->push_back(c);
  }
}

void FoldConfig::SetTermStandIns() {
  term_stand_ins_.clear();
  for (const StandInWord& row : ShippedStandInWords()) {
    const std::string word(row.word), spelling(row.spelling);
    if (term_words_.contains(word) && !equivalences_.contains(spelling)) {
      term_stand_ins_.emplace(spelling, word);  // The first row wins.
    }
  }
  // The digits that stand for each letter, the other readings too ("1" is
  // "i" or "l").
  std::array<std::string, 26> digits;
  for (char d = '0'; d <= '9'; ++d) {
    const UChar32 to = Leet(d);
    if (to >= 'a' && to <= 'z') digits[to - 'a'] += d;
  }
  for (const auto& [from, alternate] : OtherReadings()) {
    if (from < '0' || from > '9' || alternate < 'a' || alternate > 'z' ||
        Leet(from) == 0) {
      continue;
    }
    std::string& of = digits[alternate - 'a'];
    if (of.find(static_cast<char>(from)) == std::string::npos) {
      of += static_cast<char>(from);
    }
  }
  // term_words_ is a hash set: sorted, every load builds the same table.
  std::vector<std::string> sorted(term_words_.begin(), term_words_.end());
  std::sort(sorted.begin(), sorted.end());
  // A word of many letters is no number anyone types: five at most.
  constexpr size_t kMaxDigits = 5;
  for (const std::string& word : sorted) {
    if (word.size() < 2 || word.size() > kMaxDigits) continue;
    std::vector<std::string> spellings = {""};
    for (char c : word) {
      if (c < 'a' || c > 'z' || digits[c - 'a'].empty()) {
        spellings.clear();
        break;
      }
      std::vector<std::string> next;
      for (const std::string& s : spellings) {
        for (char d : digits[c - 'a']) next.push_back(s + d);
      }
      spellings = std::move(next);
    }
    for (const std::string& s : spellings) {
      if (!equivalences_.contains(s)) term_stand_ins_.emplace(s, word);
    }
  }
  // Spellings of chat-speak words with some letters as digits that stand
  // for them only there (ShippedTermWordDigits(): "pl2" of "plz" reads as
  // "please"), a letter left: one without a letter is a number. Not of
  // every term word: "ha2te" for "hazte" would let every word of five
  // letters from "h" to "e" through MayBeEquivalent() on every message
  // (+72 instructions per benign child_safety message). Sorted, so that
  // the first spelling of two words wins on every load.
  std::vector<std::pair<std::string, std::string>> spelled;
  for (const auto& [word, to] : equivalences_) {
    if (term_words_.contains(to)) spelled.emplace_back(word, to);
  }
  std::sort(spelled.begin(), spelled.end());
  for (const auto& [word, to] : spelled) {
    if (word.size() < 2 || word.size() > kMaxDigits) continue;
    std::vector<size_t> places;
    for (size_t k = 0; k < word.size(); ++k) {
      for (const TermWordDigit& row : ShippedTermWordDigits()) {
        if (word[k] == row.letter) places.push_back(k);
      }
    }
    for (uint32_t subset = 1; subset < (1u << places.size()); ++subset) {
      if (places.size() == word.size() && subset + 1 == 1u << places.size()) {
        continue;  // No letter left.
      }
      std::string s = word;
      for (size_t b = 0; b < places.size(); ++b) {
        if (!(subset >> b & 1)) continue;
        for (const TermWordDigit& row : ShippedTermWordDigits()) {
          if (word[places[b]] == row.letter) s[places[b]] = row.digit;
        }
      }
      if (!equivalences_.contains(s) && !term_words_.contains(s)) {
        term_stand_ins_.emplace(std::move(s), to);
      }
    }
  }
  for (const auto& [word, to] : term_stand_ins_) AddEquivalenceLength(word);
}

absl::flat_hash_map<UChar32, UChar32> FoldConfig::DefaultLeet() {
  absl::flat_hash_map<UChar32, UChar32> map;
  for (const Disguise& row : ShippedDisguises()) {
    const UChar32 from = OnlyCodePoint(row.from);
    if (from >= 0 && row.to > ' ') map[from] = row.to;
  }
  return map;
}

absl::flat_hash_map<UChar32, UChar32> FoldConfig::AlternateLeet() {
  absl::flat_hash_map<UChar32, UChar32> map;
  for (const Disguise& row : ShippedDisguises()) {
    const UChar32 from = OnlyCodePoint(row.from);
    if (from >= 0 && row.alternate != 0) map[from] = row.alternate;
  }
  return map;
}

}  // namespace watchword
