// What the benchmarks scan, shared by every bench binary: compiled Engines
// (cached, so benchmark threads and cases share one), deterministic chat
// messages of a given size and script, mostly benign with a few hits, and
// generated rulesets of N terms for the scaling benchmarks.
//
// Everything here is deterministic (fixed seeds), so two runs scan the same
// bytes and their figures can be compared.
#ifndef WATCHWORD_BENCH_BENCH_INPUTS_H_
#define WATCHWORD_BENCH_BENCH_INPUTS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "watchword/watchword.h"

namespace watchword::bench {

// The script of the benign text around the hits.
enum class TextKind {
  kAscii,     // English chat words.
  kCyrillic,  // Russian chat words: every character is 2 bytes of UTF-8.
  kEmoji,     // English chat words mixed with emoji (4-byte UTF-8).
};

// Returns "ascii", "cyrillic" or "emoji".
const char* TextKindName(TextKind kind);

// A set of messages to scan, with what a scan of each gives.
struct MessageSet {
  std::vector<std::string> messages;
  size_t total_bytes = 0;
  // Messages whose verdict has at least one rule match (hits and any benign
  // message the generator could not keep benign), in percent.
  double flagged_percent = 0;
  // Verdict stats, averaged over the messages: pattern occurrences found
  // (benign text has some: "your mum" is half of a rule) and rules
  // evaluated.
  double term_hits_per_message = 0;
  double rules_evaluated_per_message = 0;
};

// Returns the Engine compiled from `name` with `backend`, compiling it on
// first use. `name` is "child_safety" (rulesets/child_safety), "starter"
// (rulesets/examples/starter.textproto) or "terms:N" (GeneratedRuleset(N)).
// Thread-safe; the Engine lives until the process exits. Aborts with a
// message if the ruleset does not compile: a benchmark of nothing is a bug.
const std::shared_ptr<const Engine>& CachedEngine(const std::string& name,
                                                  Backend backend);

// Makes `engine` what CachedEngine(name, backend) returns, unless it has
// one already: BM_Compile hands over what it compiled, so that a ruleset
// of 10,000 terms is not compiled twice.
void RememberEngine(const std::string& name, Backend backend,
                    std::shared_ptr<const Engine> engine);

// Returns `count` messages of about `bytes` bytes each (exactly `bytes`
// unless a hit phrase is longer) of `kind` text: one in every `hit_every`
// carries a phrase that `engine` flags (a should_match example of its
// ruleset, or one of its phrases if it has no examples); the others are
// benign for `engine` (checked by scanning; regenerated if not). Cached per
// (engine, kind, bytes, count, hit_every). Thread-safe.
const MessageSet& CachedMessages(const std::shared_ptr<const Engine>& engine,
                                 TextKind kind, size_t bytes, size_t count,
                                 int hit_every = 100);

// How many messages a benchmark cycles through at `bytes` each: enough for
// realistic cache behaviour and for 1-in-100 hits, few enough for 16 KiB.
size_t MessageCount(size_t bytes);

// Returns a ruleset of `terms` generated single-word phrases (random
// pronounceable words of 5 to 9 letters, seeded), in rules of 10 terms each,
// with no examples. The words do not occur in the benign text.
v1::Ruleset GeneratedRuleset(int terms);

// Total compiled matcher data of `engine` over all of its views, in bytes.
size_t DatabaseBytes(const Engine& engine);

}  // namespace watchword::bench

#endif  // WATCHWORD_BENCH_BENCH_INPUTS_H_
