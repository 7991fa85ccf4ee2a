// `watchword stats --ruleset R CORPUS`: how often each rule matches on a
// corpus, and how verdicts spread over actions. For tuning a ruleset on
// benign text before it meets real users.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/corpus_scan.h"
#include "src/cli/jsonl.h"
#include "src/cli/report.h"
#include "watchword/compiler.h"
#include "watchword/engine.h"
#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/report.pb.h"

namespace watchword {
namespace {

constexpr v1::Action kActions[] = {v1::ACTION_UNSPECIFIED, v1::ACTION_LOG,
                                   v1::ACTION_REVIEW, v1::ACTION_BLOCK,
                                   v1::ACTION_ESCALATE};

class Stats {
 public:
  Stats(const Engine& engine, const StatsCommandOptions& options,
        const v1::Context& context)
      : options_(options) {
    *report_.mutable_ruleset() = engine.info();
    report_.set_corpus(options.corpus_path);
    if (!options.context_json.empty()) *report_.mutable_context() = context;
    for (v1::Action action : kActions) {
      report_.add_actions()->set_action(action);
    }
    const v1::Ruleset& ruleset = engine.ruleset();
    for (int i = 0; i < ruleset.rules_size(); ++i) {
      const v1::Rule& rule = ruleset.rules(i);
      v1::RuleSummary* summary = report_.add_rules()->mutable_rule();
      summary->set_id(rule.id());
      summary->set_category(rule.category());
      summary->set_mode(EffectiveMode(rule.mode()));
      summary->set_action(rule.action());
      summary->set_severity(rule.severity());
      index_[rule.id()] = i;
    }
  }

  void Add(const CorpusRecord& record) {
    report_.set_records(report_.records() + 1);
    if (!record.status.ok() || record.verdicts.empty()) {
      report_.set_errors(report_.errors() + 1);
      return;
    }
    const v1::Verdict& verdict = record.verdicts[0];
    if (verdict.has_error()) report_.set_errors(report_.errors() + 1);
    // The entries are in Action order: an action is its own index.
    if (verdict.action() < report_.actions_size()) {
      v1::ActionCount* count = report_.mutable_actions(verdict.action());
      count->set_count(count->count() + 1);
    }
    for (const v1::RuleMatch& match : verdict.rule_matches()) {
      auto it = index_.find(match.rule_id());
      if (it == index_.end()) continue;
      v1::RuleStats* stats = report_.mutable_rules(it->second);
      stats->set_hits(stats->hits() + 1);
      if (stats->samples_size() < options_.max_examples) {
        v1::ReportRecord* sample = stats->add_samples();
        sample->set_id(record.Name());
        if (options_.show_examples) {
          sample->set_text(RequestText(record.request));
        }
      }
    }
  }

  const v1::StatsReport& report() const { return report_; }

  void PrintText() const {
    const v1::RulesetInfo& info = report_.ruleset();
    const uint64_t records = report_.records();
    std::printf("ruleset: %s %s (fingerprint %s)\n", info.name().c_str(),
                info.version().c_str(), info.fingerprint().c_str());
    std::printf("corpus: %s\n", report_.corpus().c_str());
    if (!options_.context_json.empty()) {
      std::printf("context: %s\n", options_.context_json.c_str());
    }
    std::printf("records: %llu (%llu errors)\n\n",
                static_cast<unsigned long long>(records),
                static_cast<unsigned long long>(report_.errors()));

    Table actions({"action", "records", "share"});
    uint64_t review_or_above = 0;
    for (const v1::ActionCount& count : report_.actions()) {
      const uint64_t n = count.count();
      if (count.action() >= v1::ACTION_REVIEW) review_or_above += n;
      actions.AddRow({ActionShortName(count.action()), absl::StrCat(n),
                      Percent(n, records)});
    }
    std::printf("verdicts by action:\n%s", actions.Render().c_str());
    std::printf("  review or above: %llu (%s)\n\n",
                static_cast<unsigned long long>(review_or_above),
                Percent(review_or_above, records).c_str());

    Table rules(
        {"rule", "category", "mode", "action", "severity", "hits", "share"});
    for (const v1::RuleStats& stats : report_.rules()) {
      const v1::RuleSummary& rule = stats.rule();
      rules.AddRow(
          {rule.id(), rule.category(), ModeName(rule.mode()),
           ActionShortName(rule.action()), SeverityShortName(rule.severity()),
           absl::StrCat(stats.hits()), Percent(stats.hits(), records)});
    }
    std::printf("rules:\n%s", rules.Render().c_str());

    bool header = false;
    for (const v1::RuleStats& stats : report_.rules()) {
      if (stats.samples().empty()) continue;
      if (!header) {
        std::printf("\nsample matches (up to %d per rule):\n",
                    options_.max_examples);
        header = true;
      }
      std::printf("  %s:\n", stats.rule().id().c_str());
      for (const v1::ReportRecord& sample : stats.samples()) {
        if (options_.show_examples) {
          std::printf("    %s: %s\n", sample.id().c_str(),
                      sample.text().c_str());
        } else {
          std::printf("    %s\n", sample.id().c_str());
        }
      }
    }
  }

 private:
  const StatsCommandOptions& options_;
  absl::flat_hash_map<std::string, int> index_;
  v1::StatsReport report_;
};

}  // namespace

int RunStatsCommand(const StatsCommandOptions& options) {
  v1::Context context;
  if (!ParseContextFlag(options.context_json, &context, "stats")) {
    return kExitFatal;
  }
  if (!CheckInputReadable(options.corpus_path, "stats")) return kExitFatal;
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      options.engine_path.empty()
          ? CompileForCommand("stats", options.ruleset_path, options.backend)
          : LoadForCommand("stats", options.engine_path);
  if (!engine.ok()) return kExitFatal;

  Stats stats(**engine, options, context);
  CorpusScanOptions scan_options;
  scan_options.threads = options.threads;
  if (!options.context_json.empty()) scan_options.context = &context;
  absl::Status status =
      ScanCorpus(options.corpus_path, {*engine}, scan_options,
                 [&](const CorpusRecord& record) { stats.Add(record); });
  if (!status.ok()) {
    std::fprintf(stderr, "watchword stats: %s\n",
                 std::string(status.message()).c_str());
    return kExitFatal;
  }
  if (options.json) {
    if (!PrintReportJson(stats.report(), "stats")) return kExitFatal;
  } else {
    stats.PrintText();
  }
  return FinishOutput("stats");
}

}  // namespace watchword
