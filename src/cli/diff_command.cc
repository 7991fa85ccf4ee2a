// `watchword diff --old R1 --new R2 CORPUS`: what a ruleset change does to
// the verdicts on a corpus, so an analyst can review it before deploying.
//
// Every record is scanned with both Engines in the same pass. A rule's
// matches are compared by rule id: "newly flagged" records match the rule
// under the new ruleset only, "no longer flagged" under the old only, and
// "action changed" under both but with a different action or mode.

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/corpus_scan.h"
#include "src/cli/jsonl.h"
#include "src/cli/report.h"
#include "watchword/engine.h"
#include "watchword/v1/report.pb.h"

namespace watchword {
namespace {

constexpr v1::Action kActions[] = {v1::ACTION_UNSPECIFIED, v1::ACTION_LOG,
                                   v1::ACTION_REVIEW, v1::ACTION_BLOCK,
                                   v1::ACTION_ESCALATE};

// The three ways a rule's match on one record can change.
enum Change { kNewlyFlagged = 0, kNoLongerFlagged = 1, kActionChanged = 2 };
constexpr const char* kChangeNames[] = {"newly flagged", "no longer flagged",
                                        "action changed"};

struct Sample {
  std::string name;
  std::string text;  // Only with --show_examples.
};

struct RuleDiff {
  std::string id;
  const v1::Rule* old_rule = nullptr;  // Null if the rule is new.
  const v1::Rule* new_rule = nullptr;  // Null if the rule was removed.
  uint64_t old_hits = 0;
  uint64_t new_hits = 0;
  uint64_t changes[3] = {0, 0, 0};
  std::vector<Sample> samples[3];

  bool matches_changed() const {
    return changes[0] + changes[1] + changes[2] > 0;
  }
};

// Returns true if the two definitions of a rule differ in more than their
// action, severity, mode, category, description, tags and examples: in
// what they match.
bool LogicChanged(const v1::Rule& old_rule, const v1::Rule& new_rule) {
  v1::Rule a = old_rule;
  v1::Rule b = new_rule;
  for (v1::Rule* rule : {&a, &b}) {
    rule->clear_description();
    rule->clear_tags();
    rule->clear_should_match();
    rule->clear_should_not_match();
    rule->clear_action();
    rule->clear_severity();
    rule->clear_mode();
    rule->clear_category();
  }
  return !google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// Returns how a rule's definition changed, e.g. "action review -> block;
// logic changed", or "" if it did not. Descriptions, tags and examples are
// not verdict-relevant and are ignored.
std::string DefinitionChange(const v1::Rule* old_rule,
                             const v1::Rule* new_rule) {
  if (old_rule == nullptr) return "added";
  if (new_rule == nullptr) return "removed";
  std::vector<std::string> parts;
  if (old_rule->action() != new_rule->action()) {
    parts.push_back(absl::StrCat("action ", ActionShortName(old_rule->action()),
                                 " -> ", ActionShortName(new_rule->action())));
  }
  if (old_rule->severity() != new_rule->severity()) {
    parts.push_back(
        absl::StrCat("severity ", SeverityShortName(old_rule->severity()),
                     " -> ", SeverityShortName(new_rule->severity())));
  }
  if (ModeName(old_rule->mode()) != ModeName(new_rule->mode())) {
    parts.push_back(absl::StrCat("mode ", ModeName(old_rule->mode()), " -> ",
                                 ModeName(new_rule->mode())));
  }
  if (old_rule->category() != new_rule->category()) {
    parts.push_back(absl::StrCat("category ", old_rule->category(), " -> ",
                                 new_rule->category()));
  }
  if (LogicChanged(*old_rule, *new_rule)) parts.push_back("logic changed");
  return absl::StrJoin(parts, "; ");
}

// Replaces *summary with what reports show of `rule`.
void Summarize(const v1::Rule& rule, v1::RuleSummary* summary) {
  summary->set_id(rule.id());
  summary->set_category(rule.category());
  summary->set_mode(EffectiveMode(rule.mode()));
  summary->set_action(rule.action());
  summary->set_severity(rule.severity());
}

class Diff {
 public:
  Diff(const v1::Ruleset& old_ruleset, const v1::Ruleset& new_ruleset,
       const DiffCommandOptions& options)
      : options_(options) {
    // New ruleset order, then rules only the old one has.
    for (const v1::Rule& rule : new_ruleset.rules()) {
      Rule(rule.id()).new_rule = &rule;
    }
    for (const v1::Rule& rule : old_ruleset.rules()) {
      Rule(rule.id()).old_rule = &rule;
    }
    // A new term list changes what the same rule text means; say so.
    term_lists_changed_ = !SameTermLists(old_ruleset, new_ruleset);
  }

  void Add(const CorpusRecord& record) {
    ++records_;
    if (!record.status.ok() || record.verdicts.size() != 2 ||
        record.verdicts[0].has_error() || record.verdicts[1].has_error()) {
      ++errors_;
      return;
    }
    const v1::Verdict& old_verdict = record.verdicts[0];
    const v1::Verdict& new_verdict = record.verdicts[1];
    ++old_actions_[old_verdict.action()];
    ++new_actions_[new_verdict.action()];
    if (old_verdict.action() != new_verdict.action()) {
      ++transitions_[{old_verdict.action(), new_verdict.action()}];
    }
    absl::flat_hash_map<std::string, const v1::RuleMatch*> old_matches;
    for (const v1::RuleMatch& match : old_verdict.rule_matches()) {
      old_matches[match.rule_id()] = &match;
      ++Rule(match.rule_id()).old_hits;
    }
    bool changed = old_verdict.action() != new_verdict.action();
    for (const v1::RuleMatch& match : new_verdict.rule_matches()) {
      RuleDiff& rule = Rule(match.rule_id());
      ++rule.new_hits;
      auto it = old_matches.find(match.rule_id());
      if (it == old_matches.end()) {
        Note(record, kNewlyFlagged, &rule);
        changed = true;
      } else {
        if (it->second->action() != match.action() ||
            it->second->shadow() != match.shadow()) {
          Note(record, kActionChanged, &rule);
          changed = true;
        }
        old_matches.erase(it);
      }
    }
    for (const auto& [id, match] : old_matches) {
      Note(record, kNoLongerFlagged, &Rule(id));
      changed = true;
    }
    if (changed) ++records_changed_;
  }

  void PrintText(const Engine& old_engine, const Engine& new_engine) const {
    for (const auto& [label, engine, path] :
         {std::tuple("old", &old_engine, &options_.old_ruleset_path),
          std::tuple("new", &new_engine, &options_.new_ruleset_path)}) {
      const v1::RulesetInfo& info = engine->info();
      std::printf("%s: %s %s (fingerprint %s) from %s\n", label,
                  info.name().c_str(), info.version().c_str(),
                  info.fingerprint().c_str(), path->c_str());
    }
    std::printf("corpus: %s\n", options_.corpus_path.c_str());
    if (!options_.context_json.empty()) {
      std::printf("context: %s\n", options_.context_json.c_str());
    }
    std::printf("records: %llu (%llu errors), %llu with changed verdicts\n\n",
                U(records_), U(errors_), U(records_changed_));

    Table definitions({"rule", "change"});
    int definition_changes = 0;
    for (const RuleDiff& rule : rules_) {
      std::string change = DefinitionChange(rule.old_rule, rule.new_rule);
      if (change.empty()) continue;
      definitions.AddRow({rule.id, change});
      ++definition_changes;
    }
    std::printf("rule definitions: %d changed%s\n", definition_changes,
                term_lists_changed_ ? " (term lists changed too)" : "");
    if (definition_changes > 0) std::printf("%s", definitions.Render().c_str());

    Table actions({"action", "old", "new", "change"});
    uint64_t old_flagged = 0;
    uint64_t new_flagged = 0;
    for (v1::Action action : kActions) {
      const uint64_t o = Count(old_actions_, action);
      const uint64_t n = Count(new_actions_, action);
      if (action >= v1::ACTION_REVIEW) {
        old_flagged += o;
        new_flagged += n;
      }
      actions.AddRow({ActionShortName(action), absl::StrCat(o), absl::StrCat(n),
                      Signed(o, n)});
    }
    actions.AddRow({"review+", absl::StrCat(old_flagged),
                    absl::StrCat(new_flagged),
                    Signed(old_flagged, new_flagged)});
    std::printf("\nverdicts by action:\n%s", actions.Render().c_str());

    if (!transitions_.empty()) {
      Table transitions({"old", "new", "records"});
      for (const auto& [key, count] : transitions_) {
        transitions.AddRow({ActionShortName(key.first),
                            ActionShortName(key.second), absl::StrCat(count)});
      }
      std::printf("\nverdict action changes:\n%s",
                  transitions.Render().c_str());
    }

    Table matches({"rule", "old hits", "new hits", "newly flagged",
                   "no longer flagged", "action changed"});
    int unchanged = 0;
    for (const RuleDiff& rule : rules_) {
      if (!rule.matches_changed()) {
        ++unchanged;
        continue;
      }
      matches.AddRow(
          {rule.id, absl::StrCat(rule.old_hits), absl::StrCat(rule.new_hits),
           absl::StrCat(rule.changes[0]), absl::StrCat(rule.changes[1]),
           absl::StrCat(rule.changes[2])});
    }
    std::printf("\nrule matches: %zu rules changed, %d unchanged\n",
                rules_.size() - unchanged, unchanged);
    if (static_cast<size_t>(unchanged) < rules_.size()) {
      std::printf("%s", matches.Render().c_str());
    }

    if (options_.max_examples <= 0) return;
    bool header = false;
    for (const RuleDiff& rule : rules_) {
      for (int c = 0; c < 3; ++c) {
        if (rule.samples[c].empty()) continue;
        if (!header) {
          std::printf("\nrecords (up to %d per rule and change%s):\n",
                      options_.max_examples,
                      options_.show_examples ? "" : "; ids only");
          header = true;
        }
        std::printf("  %s, %s:\n", rule.id.c_str(), kChangeNames[c]);
        for (const Sample& sample : rule.samples[c]) {
          if (options_.show_examples) {
            std::printf("    %s: %s\n", sample.name.c_str(),
                        sample.text.c_str());
          } else {
            std::printf("    %s\n", sample.name.c_str());
          }
        }
      }
    }
  }

  v1::DiffReport Report(const Engine& old_engine, const Engine& new_engine,
                        const v1::Context& context) const {
    v1::DiffReport report;
    *report.mutable_old_ruleset() = old_engine.info();
    *report.mutable_new_ruleset() = new_engine.info();
    report.set_corpus(options_.corpus_path);
    if (!options_.context_json.empty()) *report.mutable_context() = context;
    report.set_records(records_);
    report.set_errors(errors_);
    report.set_records_changed(records_changed_);
    report.set_term_lists_changed(term_lists_changed_);
    for (v1::Action action : kActions) {
      v1::ActionCountChange* count = report.add_actions();
      count->set_action(action);
      count->set_old_count(Count(old_actions_, action));
      count->set_new_count(Count(new_actions_, action));
    }
    for (const auto& [key, count] : transitions_) {
      v1::ActionTransition* transition = report.add_action_changes();
      transition->set_old_action(key.first);
      transition->set_new_action(key.second);
      transition->set_records(count);
    }
    for (const RuleDiff& rule : rules_) {
      v1::RuleDiff* entry = report.add_rules();
      entry->set_id(rule.id);
      if (rule.old_rule != nullptr) {
        Summarize(*rule.old_rule, entry->mutable_old_rule());
      }
      if (rule.new_rule != nullptr) {
        Summarize(*rule.new_rule, entry->mutable_new_rule());
      }
      const std::string change =
          DefinitionChange(rule.old_rule, rule.new_rule);
      entry->set_logic_changed(rule.old_rule != nullptr &&
                               rule.new_rule != nullptr &&
                               LogicChanged(*rule.old_rule, *rule.new_rule));
      entry->set_definition_change(change);
      entry->set_old_hits(rule.old_hits);
      entry->set_new_hits(rule.new_hits);
      entry->set_newly_flagged(rule.changes[kNewlyFlagged]);
      entry->set_no_longer_flagged(rule.changes[kNoLongerFlagged]);
      entry->set_action_changed(rule.changes[kActionChanged]);
      for (int c = 0; c < 3; ++c) {
        for (const Sample& sample : rule.samples[c]) {
          v1::ReportRecord* record =
              c == kNewlyFlagged      ? entry->add_newly_flagged_records()
              : c == kNoLongerFlagged ? entry->add_no_longer_flagged_records()
                                      : entry->add_action_changed_records();
          record->set_id(sample.name);
          if (options_.show_examples) record->set_text(sample.text);
        }
      }
    }
    return report;
  }

 private:
  static unsigned long long U(uint64_t n) {
    return static_cast<unsigned long long>(n);
  }

  static uint64_t Count(const std::map<v1::Action, uint64_t>& counts,
                        v1::Action action) {
    auto it = counts.find(action);
    return it == counts.end() ? 0 : it->second;
  }

  // "+3", "-2" or "0".
  static std::string Signed(uint64_t old_count, uint64_t new_count) {
    if (new_count == old_count) return "0";
    return new_count > old_count ? absl::StrCat("+", new_count - old_count)
                                 : absl::StrCat("-", old_count - new_count);
  }

  static bool SameTermLists(const v1::Ruleset& a, const v1::Ruleset& b) {
    if (a.term_lists_size() != b.term_lists_size()) return false;
    for (int i = 0; i < a.term_lists_size(); ++i) {
      v1::TermList x = a.term_lists(i);
      v1::TermList y = b.term_lists(i);
      x.clear_description();
      y.clear_description();
      if (!google::protobuf::util::MessageDifferencer::Equals(x, y)) {
        return false;
      }
    }
    return true;
  }

  RuleDiff& Rule(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, rules_.size());
    if (inserted) {
      rules_.emplace_back();
      rules_.back().id = id;
    }
    return rules_[it->second];
  }

  void Note(const CorpusRecord& record, Change change, RuleDiff* rule) {
    ++rule->changes[change];
    if (static_cast<int>(rule->samples[change].size()) <
        options_.max_examples) {
      rule->samples[change].push_back(
          {record.Name(),
           options_.show_examples ? RequestText(record.request) : ""});
    }
  }

  const DiffCommandOptions& options_;
  std::vector<RuleDiff> rules_;
  absl::flat_hash_map<std::string, size_t> index_;
  bool term_lists_changed_ = false;
  uint64_t records_ = 0;
  uint64_t errors_ = 0;
  uint64_t records_changed_ = 0;
  std::map<v1::Action, uint64_t> old_actions_;
  std::map<v1::Action, uint64_t> new_actions_;
  std::map<std::pair<v1::Action, v1::Action>, uint64_t> transitions_;
};

}  // namespace

int RunDiffCommand(const DiffCommandOptions& options) {
  v1::Context context;
  if (!ParseContextFlag(options.context_json, &context, "diff")) {
    return kExitFatal;
  }
  if (!CheckInputReadable(options.corpus_path, "diff")) return kExitFatal;
  absl::StatusOr<std::shared_ptr<const Engine>> old_engine =
      CompileForCommand("diff", options.old_ruleset_path, options.backend);
  if (!old_engine.ok()) return kExitFatal;
  absl::StatusOr<std::shared_ptr<const Engine>> new_engine =
      CompileForCommand("diff", options.new_ruleset_path, options.backend);
  if (!new_engine.ok()) return kExitFatal;

  Diff diff((*old_engine)->ruleset(), (*new_engine)->ruleset(), options);
  CorpusScanOptions scan_options;
  scan_options.threads = options.threads;
  if (!options.context_json.empty()) scan_options.context = &context;
  absl::Status status =
      ScanCorpus(options.corpus_path, {*old_engine, *new_engine}, scan_options,
                 [&](const CorpusRecord& record) { diff.Add(record); });
  if (!status.ok()) {
    std::fprintf(stderr, "watchword diff: %s\n",
                 std::string(status.message()).c_str());
    return kExitFatal;
  }
  if (options.json) {
    if (!PrintReportJson(diff.Report(**old_engine, **new_engine, context),
                         "diff")) {
      return kExitFatal;
    }
  } else {
    diff.PrintText(**old_engine, **new_engine);
  }
  return FinishOutput("diff");
}

}  // namespace watchword
