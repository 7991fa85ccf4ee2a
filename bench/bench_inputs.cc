#include "bench/bench_inputs.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "src/engine/engine_rep.h"

namespace watchword::bench {
namespace {

// Chat vocabulary chosen to be benign for the bundled rulesets; the
// generator still checks every message by scanning it.
const std::vector<std::string>& Words(TextKind kind) {
  static const auto* ascii = new std::vector<std::string>{
      "hey",      "are",   "you",      "coming", "to",     "the",   "game",
      "later",    "lol",   "i",        "think",  "so",     "maybe", "after",
      "dinner",   "my",    "mum",      "said",   "we",     "can",   "go",
      "park",     "tomorrow", "what",  "time",   "works",  "for",   "team",
      "practice", "was",   "great",    "today",  "thanks", "see",   "ya",
      "homework", "math",  "test",     "friday", "ok",     "cool",  "nice",
      "Thanks!",  "5pm",   "bus",      "late",   "again",  "pizza", "movie"};
  static const auto* cyrillic = new std::vector<std::string>{
      "привет",  "как",   "дела",    "увидимся", "завтра", "в",
      "школе",   "спасибо", "хорошо", "игра",    "мама",   "сказала",
      "домашка", "сегодня", "урок",  "ладно",    "пока",   "давай",
      "футбол",  "после", "ужина",   "автобус",  "опять",  "опоздал"};
  static const auto* emoji = new std::vector<std::string>{
      "lol", "😂😂", "ok",   "🙂",   "see",  "you", "🎮",   "👍👍",
      "gg",  "❤️",  "🔥",   "haha", "omg",  "✨",  "nice", "game",
      "😭",  "later", "🏀", "pizza", "🍕🍕", "tmrw", "🙏", "same"};
  switch (kind) {
    case TextKind::kAscii:
      return *ascii;
    case TextKind::kCyrillic:
      return *cyrillic;
    case TextKind::kEmoji:
      return *emoji;
  }
  return *ascii;
}

// Appends benign words to *text until it holds `bytes` bytes: whole words
// while they fit, then '.' padding, so multi-byte text is never cut inside
// a character.
void Fill(TextKind kind, size_t bytes, std::mt19937* rng, std::string* text) {
  const std::vector<std::string>& words = Words(kind);
  for (int misses = 0; misses < 8 && text->size() < bytes;) {
    const std::string& word = words[(*rng)() % words.size()];
    size_t need = word.size() + (text->empty() ? 0 : 1);
    if (text->size() + need > bytes) {
      ++misses;
      continue;
    }
    if (!text->empty()) *text += ' ';
    *text += word;
  }
  if (text->size() < bytes) text->append(bytes - text->size(), '.');
}

// Texts that `ruleset` should flag: its rules' should_match examples of the
// body, or failing those, its phrases.
std::vector<std::string> HitPhrases(const v1::Ruleset& ruleset) {
  std::vector<std::string> phrases;
  for (const v1::Rule& rule : ruleset.rules()) {
    for (const v1::Example& example : rule.should_match()) {
      if (!example.text().empty() && !example.has_context()) {
        phrases.push_back(example.text());
      }
    }
  }
  if (phrases.empty()) {
    for (const v1::TermList& list : ruleset.term_lists()) {
      for (const v1::Term& term : list.terms()) {
        if (!term.phrase().empty()) phrases.push_back(term.phrase());
      }
    }
  }
  return phrases;
}

bool Flagged(Scanner* scanner, const std::string& text, v1::Verdict* verdict) {
  absl::Status status = scanner->Scan(text, verdict);
  if (!status.ok()) {
    std::fprintf(stderr, "bench: scan failed: %s\n",
                 std::string(status.message()).c_str());
    std::abort();
  }
  return verdict->rule_matches_size() > 0;
}

MessageSet MakeMessages(const std::shared_ptr<const Engine>& engine,
                        TextKind kind, size_t bytes, size_t count,
                        int hit_every) {
  std::mt19937 rng(42 + static_cast<int>(kind) * 1000 + bytes);
  const std::vector<std::string> phrases = HitPhrases(engine->ruleset());
  Scanner scanner(engine);
  v1::Verdict verdict;
  MessageSet set;
  size_t flagged = 0;
  size_t next_phrase = 0;
  for (size_t i = 0; i < count; ++i) {
    std::string text;
    // The hit sits in the middle of the run of 100, not at index 0, so a
    // benchmark that stops early still sees benign messages first.
    const bool hit = hit_every > 0 && !phrases.empty() &&
                     i % hit_every == static_cast<size_t>(hit_every / 2);
    if (hit) {
      // Some examples need context or other fields to be flagged; take the
      // next one that is flagged on its own.
      for (size_t tries = 0; tries < phrases.size(); ++tries) {
        text = phrases[next_phrase++ % phrases.size()];
        Fill(kind, bytes, &rng, &text);
        if (Flagged(&scanner, text, &verdict)) break;
      }
    } else {
      for (int tries = 0; tries < 20; ++tries) {
        text.clear();
        Fill(kind, bytes, &rng, &text);
        if (!Flagged(&scanner, text, &verdict)) break;
      }
    }
    if (Flagged(&scanner, text, &verdict)) ++flagged;
    set.term_hits_per_message += verdict.stats().term_hits();
    set.rules_evaluated_per_message += verdict.stats().rules_evaluated();
    set.total_bytes += text.size();
    set.messages.push_back(std::move(text));
  }
  set.flagged_percent = 100.0 * flagged / count;
  set.term_hits_per_message /= count;
  set.rules_evaluated_per_message /= count;
  return set;
}

std::string RandomWord(std::mt19937* rng) {
  static constexpr char kConsonants[] = "bdfgklmnprstvz";
  static constexpr char kVowels[] = "aeiou";
  const int length = 5 + static_cast<int>((*rng)() % 5);
  std::string word;
  const bool vowel_first = (*rng)() % 2;
  for (int i = 0; i < length; ++i) {
    if ((i % 2 == 0) != vowel_first) {
      word += kConsonants[(*rng)() % (sizeof(kConsonants) - 1)];
    } else {
      word += kVowels[(*rng)() % (sizeof(kVowels) - 1)];
    }
  }
  return word;
}

}  // namespace

const char* TextKindName(TextKind kind) {
  switch (kind) {
    case TextKind::kAscii:
      return "ascii";
    case TextKind::kCyrillic:
      return "cyrillic";
    case TextKind::kEmoji:
      return "emoji";
  }
  return "?";
}

namespace {

std::mutex engines_mu;

std::map<std::pair<std::string, Backend>, std::shared_ptr<const Engine>>&
Engines() {
  static auto* engines =
      new std::map<std::pair<std::string, Backend>,
                   std::shared_ptr<const Engine>>;
  return *engines;
}

}  // namespace

void RememberEngine(const std::string& name, Backend backend,
                    std::shared_ptr<const Engine> engine) {
  std::lock_guard<std::mutex> lock(engines_mu);
  Engines().emplace(std::make_pair(name, backend), std::move(engine));
}

const std::shared_ptr<const Engine>& CachedEngine(const std::string& name,
                                                  Backend backend) {
  std::lock_guard<std::mutex> lock(engines_mu);
  auto* engines = &Engines();
  auto it = engines->find({name, backend});
  if (it != engines->end()) return it->second;
  absl::StatusOr<std::shared_ptr<const Engine>> engine;
  int terms = 0;
  if (name == "child_safety") {
    engine = CompileFile(
        absl::StrCat(WATCHWORD_SOURCE_DIR, "/rulesets/child_safety"),
        {.backend = backend});
  } else if (name == "starter") {
    engine = CompileFile(absl::StrCat(WATCHWORD_SOURCE_DIR,
                                      "/rulesets/examples/starter.textproto"),
                         {.backend = backend});
  } else if (absl::StartsWith(name, "terms:") &&
             absl::SimpleAtoi(name.substr(6), &terms)) {
    engine = Compile(GeneratedRuleset(terms), {.backend = backend});
  } else {
    engine = absl::NotFoundError(absl::StrCat("unknown ruleset \"", name, "\""));
  }
  if (!engine.ok()) {
    std::fprintf(stderr, "bench: ruleset %s (%s): %s\n", name.c_str(),
                 BackendName(backend), engine.status().ToString().c_str());
    std::abort();
  }
  return engines->emplace(std::make_pair(name, backend), *std::move(engine))
      .first->second;
}

const MessageSet& CachedMessages(const std::shared_ptr<const Engine>& engine,
                                 TextKind kind, size_t bytes, size_t count,
                                 int hit_every) {
  using Key = std::tuple<const Engine*, TextKind, size_t, size_t, int>;
  static std::mutex mu;
  static auto* sets = new std::map<Key, MessageSet>;
  std::lock_guard<std::mutex> lock(mu);
  Key key{engine.get(), kind, bytes, count, hit_every};
  auto it = sets->find(key);
  if (it != sets->end()) return it->second;
  return sets->emplace(key, MakeMessages(engine, kind, bytes, count, hit_every))
      .first->second;
}

size_t MessageCount(size_t bytes) { return bytes >= 16384 ? 200 : 1000; }

v1::Ruleset GeneratedRuleset(int terms) {
  std::mt19937 rng(terms);
  std::set<std::string> seen;
  for (TextKind kind :
       {TextKind::kAscii, TextKind::kCyrillic, TextKind::kEmoji}) {
    for (const std::string& word : Words(kind)) seen.insert(word);
  }
  v1::Ruleset ruleset;
  ruleset.set_name(absl::StrCat("bench-terms-", terms));
  ruleset.set_version("1.0.0");
  v1::TermList* list = nullptr;
  for (int i = 0; i < terms; ++i) {
    if (i % 10 == 0) {
      const int n = i / 10;
      list = ruleset.add_term_lists();
      list->set_id(absl::StrCat("gen.list-", n));
      v1::Rule* rule = ruleset.add_rules();
      rule->set_id(absl::StrCat("gen.rule-", n));
      rule->set_category("bench.generated");
      rule->set_severity(v1::SEVERITY_LOW);
      rule->set_action(v1::ACTION_LOG);
      rule->mutable_match()->set_term_list(list->id());
    }
    std::string word;
    do {
      word = RandomWord(&rng);
    } while (!seen.insert(word).second);
    list->add_terms()->set_phrase(word);
  }
  return ruleset;
}

size_t DatabaseBytes(const Engine& engine) {
  const EngineRep& rep = EngineAccess::Rep(engine);
  size_t bytes = 0;
  for (const auto& matcher : rep.matchers) {
    if (matcher != nullptr) bytes += matcher->database_bytes();
  }
  return bytes;
}

}  // namespace watchword::bench
