// libFuzzer target: random small rulesets and random text, compiled for
// both backends. Whenever both compile, Hyperscan and RE2 must give the same
// verdict byte for byte; a mismatch aborts, so libFuzzer saves the input
// (crash-*) for a regression test.
//
// The input drives a generator rather than being parsed as a ruleset, so
// every run reaches the matchers: the first 40 bytes pick up to two term
// lists of phrases that hold each other ("send pics" in "pls send pics
// now"), some with folds disabled, and 1-3 rules, each a phrase, regex,
// term list, near, all, any or none over words from a small vocabulary
// (with exceptions, inline or by list, now and then); the rest of the input
// is the text, where vocabulary words and run-together, spaced-out and
// leetspeak spellings of the lists' phrases are likely to occur. Engines are
// cached by ruleset, so mutations of the text alone cost a scan, not a
// compile.
//
//   CC=clang-14 CXX=clang++-14 cmake -B build-fuzz -DWATCHWORD_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target backend_diff_fuzzer
//   build-fuzz/backend_diff_fuzzer tests/fuzz/corpus/backend_diff_fuzzer
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>

#include <fuzzer/FuzzedDataProvider.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "watchword/watchword.h"

namespace {

// Words the rules and the text share, chosen to meet every fold: leetspeak
// ("s3nd"), homoglyphs ("ѕend"), repeats, spacing, masks, equivalences.
constexpr const char* kWords[] = {
    "send", "pic",  "snap", "add me", "u",    "dont tell", "s3nd", "ѕend",
    "p*c",  "s e n d", "sennnd", "pîc", "asl", "r u",  "old",  "mom",
};
// Phrases for term lists, many holding others whole or in part, and some
// that a run-together word reads as another ("the rapist", "therapist").
constexpr const char* kListPhrases[] = {
    "send",      "send pics",      "send pics now", "pls send pics",
    "pls send pics now", "pics now", "pics",        "s3nd p1cs",
    "add me",    "add me on snap", "on snap",       "snap",
    "dont tell", "dont tell mom",  "tell mom",      "the rapist",
    "therapist", "home alone",     "are u home alone", "u",
};
// Spellings of the lists' phrases in the views that meet them: typed
// together, spaced out, dotted, leetspeak, stretched, masked.
constexpr const char* kListSpellings[] = {
    "sendpicsnow",   "plssendpics",    "s e n d p i c s", "s.e.n.d p.i.c.s",
    "p1cs n0w",      "piiics",         "se*d pi*s",       "addmeonsnap",
    "dont telll mom", "d0nt t3ll",     "my therapist",    "the rapist",
    "homealone",     "areuhomealone",  "pls",             "now",
};
// Folds a term list may disable: none (every view) is the most likely.
constexpr const char* kListFolds[] = {
    "", "", "", " disable_folds: FOLD_LEETSPEAK",
    " disable_folds: FOLD_SPACING", " disable_folds: FOLD_REPEAT",
    " disable_folds: [FOLD_SPACING, FOLD_MASK]",
};

// Regexes over the same words; each compiles under both backends, none
// matches the empty string and none is over kMaxRegexProgramSize (`ѕ\pL+`
// was, and took 1.4 s to compile: tests/golden/errors/costly_regex).
constexpr const char* kRegexes[] = {
    "s(e|3)nd",      "p[i1!]c(s|z)?", "snap\\s*chat|snap", "\\d{3,}",
    "add\\s+me",     "a.l",           "(u|you)\\b",        "[a-z]+ tell",
    "x[^y]*y|x",     "ѕ\\p{Cyrillic}+",
};

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out;
}

std::string Term(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) {
    return absl::StrCat("term { regex: '",
                        Escape(in.PickValueInArray(kRegexes)), "'",
                        in.ConsumeBool() ? " substring: true" : "", " }");
  }
  return absl::StrCat("term { phrase: '", Escape(in.PickValueInArray(kWords)),
                      "'", in.ConsumeBool() ? " substring: true" : "", " }");
}

// Term lists l0 .. l<lists - 1>, each of 1-4 distinct phrases of
// kListPhrases, now and then as substrings.
std::string TermLists(FuzzedDataProvider& in, int lists) {
  std::string text;
  for (int l = 0; l < lists; ++l) {
    absl::StrAppend(&text, "term_lists { id: 'l", l, "'",
                    in.PickValueInArray(kListFolds));
    const int terms = in.ConsumeIntegralInRange(1, 4);
    bool used[std::size(kListPhrases)] = {};
    for (int t = 0; t < terms; ++t) {
      const size_t i = in.ConsumeIntegralInRange<size_t>(
          0, std::size(kListPhrases) - 1);
      if (used[i]) continue;  // Term ids are unique within a list.
      used[i] = true;
      absl::StrAppend(&text, " terms { phrase: '", kListPhrases[i], "'",
                      in.ConsumeIntegralInRange(0, 3) == 0 ? " substring: true"
                                                           : "",
                      " }");
    }
    text += " } ";
  }
  return text;
}

// A term inline, or one of the `lists` term lists.
std::string Leaf(FuzzedDataProvider& in, int lists) {
  if (lists > 0 && in.ConsumeBool()) {
    return absl::StrCat("term_list: 'l", in.ConsumeIntegralInRange(0, lists - 1),
                        "'");
  }
  return Term(in);
}

std::string Expr(FuzzedDataProvider& in, int depth, int lists) {
  const int kind = in.ConsumeIntegralInRange(0, depth > 1 ? 0 : 4);
  switch (kind) {
    case 1:
      return absl::StrCat("near { max_words: ", in.ConsumeIntegralInRange(0, 3),
                          " exprs { ", Leaf(in, lists), " } exprs { ",
                          Leaf(in, lists), " } }");
    case 2:
      return absl::StrCat("all { exprs { ", Expr(in, depth + 1, lists),
                          " } exprs { ", Expr(in, depth + 1, lists), " } }");
    case 3:
      return absl::StrCat("any { exprs { ", Expr(in, depth + 1, lists),
                          " } exprs { ", Expr(in, depth + 1, lists), " } }");
    case 4:
      return absl::StrCat("all { exprs { ", Leaf(in, lists),
                          " } exprs { none { exprs { ", Leaf(in, lists),
                          " } } } }");
    default:
      return Leaf(in, lists);
  }
}

std::string Ruleset(FuzzedDataProvider& in) {
  std::string text = "name: 'diff' version: '1' ";
  if (in.ConsumeBool()) {
    text += "normalization { equivalences { words: 'you' words: 'u' } } ";
  }
  // The lists' phrases are picked last: when the input runs short, they
  // fall back to a phrase, while the rules still use the lists.
  const int lists = in.ConsumeIntegralInRange(0, 2);
  const int rules = in.ConsumeIntegralInRange(1, 3);
  for (int r = 0; r < rules; ++r) {
    absl::StrAppend(&text, "rules { id: 'r", r,
                    "' action: ACTION_REVIEW match { ", Expr(in, 0, lists),
                    " }");
    if (in.ConsumeIntegralInRange(0, 3) == 0) {
      absl::StrAppend(&text, " exceptions { within_words: ",
                      in.ConsumeIntegralInRange(0, 2));
      if (lists > 0 && in.ConsumeBool()) {
        absl::StrAppend(&text, " term_lists: 'l",
                        in.ConsumeIntegralInRange(0, lists - 1), "' }");
      } else {
        absl::StrAppend(&text, " terms { phrase: '",
                        Escape(in.PickValueInArray(kWords)), "' } }");
      }
    }
    text += " } ";
  }
  return text + TermLists(in, lists);
}

struct Engines {
  std::shared_ptr<const watchword::Engine> re2, hs;
};

std::shared_ptr<const watchword::Engine> Compile(
    const watchword::v1::Ruleset& ruleset, watchword::Backend backend) {
  auto engine = watchword::Compile(ruleset, {.backend = backend});
  if (!engine.ok()) return nullptr;
  return *engine;
}

// Compiling is most of a run's cost, and most mutations change the text,
// not the rules: keep the engines of recent rulesets.
const Engines& EnginesFor(const std::string& source) {
  static auto* cache = new absl::flat_hash_map<std::string, Engines>();
  if (auto it = cache->find(source); it != cache->end()) return it->second;
  if (cache->size() >= 256) cache->clear();
  watchword::v1::Ruleset ruleset;
  // The generator writes only valid text format; a parse failure is a bug
  // in this file.
  if (!google::protobuf::TextFormat::ParseFromString(source, &ruleset)) {
    std::abort();
  }
  Engines& engines = (*cache)[source];
  engines.re2 = Compile(ruleset, watchword::Backend::kRe2);
  engines.hs = Compile(ruleset, watchword::Backend::kHyperscan);
  return engines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!watchword::HasHyperscan()) return 0;
  // The first kRuleBytes pick the rules and the rest makes the text, so
  // that most mutations change the text alone.
  constexpr size_t kRuleBytes = 40;
  const size_t rule_bytes = std::min(size, kRuleBytes);
  FuzzedDataProvider rules_in(data, rule_bytes);
  const Engines& engines = EnginesFor(Ruleset(rules_in));
  FuzzedDataProvider in(data + rule_bytes, size - rule_bytes);
  // The text: vocabulary words and spellings of the lists' phrases, joined
  // by fuzzer-chosen bytes.
  std::string text;
  while (in.remaining_bytes() > 0 && text.size() < 4096) {
    const int kind = in.ConsumeIntegralInRange(0, 3);
    if (kind == 0) {
      text += in.PickValueInArray(kWords);
    } else if (kind == 1) {
      text += in.PickValueInArray(kListSpellings);
    } else if (kind == 2) {
      text += in.PickValueInArray(kListPhrases);
    } else {
      text += in.ConsumeRandomLengthString(16);
    }
  }
  if (engines.re2 == nullptr || engines.hs == nullptr) return 0;
  watchword::Scanner re2_scanner(engines.re2), hs_scanner(engines.hs);
  watchword::v1::Verdict a, b;
  const absl::Status sa = re2_scanner.Scan(text, &a);
  const absl::Status sb = hs_scanner.Scan(text, &b);
  if (sa.code() != sb.code()) std::abort();
  if (a.SerializeAsString() != b.SerializeAsString()) std::abort();
  return 0;
}
