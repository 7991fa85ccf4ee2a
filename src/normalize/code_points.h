// Per-code-point facts the folds (fold.h) ask about every character of
// non-ASCII text, computed once from ICU's data.
#ifndef WATCHWORD_SRC_NORMALIZE_CODE_POINTS_H_
#define WATCHWORD_SRC_NORMALIZE_CODE_POINTS_H_

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "unicode/ucptrie.h"
#include "unicode/uscript.h"
#include "unicode/umachine.h"

namespace watchword {

// A 32-bit fact per code point, `compute(c)`, for facts that would cost
// several ICU calls a character: kept in an ICU fast code point trie
// (ucptrie.h) for the first three planes, where nearly all text is, and
// asked of `compute` past them. Immutable and thread-safe once built;
// building calls `compute` about 200,000 times. Aborts only if allocation
// fails, at start-up.
class CodePointTable {
 public:
  using Compute = uint32_t (*)(UChar32 c);

  explicit CodePointTable(Compute compute);
  ~CodePointTable();

  CodePointTable(const CodePointTable&) = delete;
  CodePointTable& operator=(const CodePointTable&) = delete;

  uint32_t Of(UChar32 c) const {
    if (c >= 0 && c < kLimit) return UCPTRIE_FAST_GET(trie_, UCPTRIE_32, c);
    return compute_(c);
  }

 private:
  static constexpr UChar32 kLimit = 0x30000;

  const Compute compute_;
  UCPTrie* const trie_;
};

// Letters that look like one ASCII letter, computed once from ICU's data
// (not a hand-typed table): the UTS #39 confusables skeleton of the letter,
// or failing that of its capital ("κ" via "Κ"), stripped of marks, is one
// ASCII letter or the skeleton of one ("ԁ" is "cl", as "d" is); or the
// letter is a Latin small capital ("ᴀ", by its Unicode name). Non-ASCII
// Latin letters are in it too ("ɑ", "ꜱ", "ɪ"), but not accented ones, which
// the diacritic fold strips; Han, kana, Hangul and Yi letters never are.
// So are symbols named for a Latin letter that NFKC leaves alone ("🅢").
// Immutable and thread-safe once built; built on first use (slow: a
// skeleton per letter).
class HomoglyphTable {
 public:
  static const HomoglyphTable& Get() {
    static const HomoglyphTable* const table = new HomoglyphTable();
    return *table;
  }

  // Returns the lower-case ASCII letter `c` looks like, or 0.
  UChar32 Find(UChar32 c) const {
    auto it = map_.find(c);
    return it == map_.end() ? 0 : it->second;
  }

  // Whether `c` has the skeleton of the capital "I", which UTS #39 draws
  // as "l": "І", "Ι", "Ӏ", "ǀ", "Ｉ", and "ｌ" too. Find() gives "l"; the
  // folds read it as "i" in a word written in capitals.
  bool IsCapitalI(UChar32 c) const { return capital_i_.contains(c); }

 private:
  HomoglyphTable();

  absl::flat_hash_map<UChar32, UChar32> map_;
  absl::flat_hash_set<UChar32> capital_i_;
};

// What folding asks about a code point, packed into one CodePointTable: one
// lookup instead of a property call, a set probe or a hash per question,
// which together cost more than the rest of folding did. Immutable and
// thread-safe; built on first use.
class CodePointInfo {
 public:
  enum : uint32_t {
    kLetter = 1 << 0,          // General category L (u_isalpha).
    kNonspacingMark = 1 << 1,  // General category Mn.
    kDecomposable = 1 << 2,    // NFD_Quick_Check=No.
    // Bits 3-9: HomoglyphTable::Find(c). Bits 10-17: the UScriptCode, or 0
    // (USCRIPT_COMMON) where ICU has none.
    kWord = 1 << 18,  // IsWordCodePoint(c) (word.h).
    // A Latin letter with an ASCII look-alike ("ᴀ", "ɑ"), or a symbol
    // drawn as one ("🅢"): folded wherever it is, since Latin text is what
    // phrases are written in.
    kLatinLookAlike = 1 << 19,
    kPictographic = 1 << 20,  // Extended_Pictographic (emoji).
    kCapitalI = 1 << 21,      // HomoglyphTable::IsCapitalI(c).
  };

  static const CodePointInfo& Get() {
    static const CodePointInfo* const info = new CodePointInfo();
    return *info;
  }

  // The facts about `c`, as Compute() gives them.
  uint32_t Of(UChar32 c) const { return table_.Of(c); }
  static UChar32 Homoglyph(uint32_t info) { return (info >> 3) & 0x7F; }
  static UScriptCode Script(uint32_t info) {
    return static_cast<UScriptCode>((info >> 10) & 0xFF);
  }

  // The facts, straight from ICU (and HomoglyphTable).
  static uint32_t Compute(UChar32 c);

 private:
  CodePointInfo() = default;

  CodePointTable table_{&Compute};
};

// The base letter of each precomposed letter ("é" -> "e", "й" -> "и"):
// the one code point of its canonical decomposition that is not a
// nonspacing mark, if there is exactly one. From ICU's decompositions, which
// cost 50 ns a letter to ask for; this answers from a CodePointTable.
// Immutable and thread-safe; built on first use.
class BaseLetters {
 public:
  static const BaseLetters& Get() {
    static const BaseLetters* const table = new BaseLetters();
    return *table;
  }

  // The base letter of `c`, or 0 if it has none (or is its own).
  UChar32 Of(UChar32 c) const { return static_cast<UChar32>(table_.Of(c)); }

  // The answer, straight from ICU.
  static uint32_t Compute(UChar32 c);

 private:
  BaseLetters() = default;

  CodePointTable table_{&Compute};
};

// Builds now every table that normalizing and folding non-ASCII text build
// on first use (CodePointInfo, BaseLetters, and Normalize()'s own), about
// 120 million instructions, so that the first scan of such text in a
// process does not pay for them. Every Engine made, compiled or loaded,
// calls it (EngineAccess::Make). Thread-safe; nothing to do once done.
void BuildCodePointTables();

// How many CodePointTables this process has built, for tests that check
// that scanning builds none.
int CodePointTablesBuilt();

}  // namespace watchword

#endif  // WATCHWORD_SRC_NORMALIZE_CODE_POINTS_H_
