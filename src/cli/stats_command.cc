// `watchword stats --ruleset R CORPUS`: how often each rule matches on a
// corpus, and how verdicts spread over actions. For tuning a ruleset on
// benign text before it meets real users.

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/corpus_scan.h"
#include "src/cli/jsonl.h"
#include "src/cli/report.h"
#include "watchword/compiler.h"
#include "watchword/engine.h"
#include "watchword/v1/diagnostic.pb.h"

namespace watchword {
namespace {

constexpr v1::Action kActions[] = {v1::ACTION_UNSPECIFIED, v1::ACTION_LOG,
                                   v1::ACTION_REVIEW, v1::ACTION_BLOCK,
                                   v1::ACTION_ESCALATE};

// A record listed as a sample of a rule's matches.
struct Sample {
  std::string name;
  std::string text;  // Only with --show_examples.
};

struct RuleStats {
  uint64_t hits = 0;
  std::vector<Sample> samples;
};

class Stats {
 public:
  Stats(const v1::Ruleset& ruleset, const StatsCommandOptions& options)
      : ruleset_(ruleset), options_(options), rules_(ruleset.rules_size()) {
    for (int i = 0; i < ruleset.rules_size(); ++i) {
      index_[ruleset.rules(i).id()] = i;
    }
  }

  void Add(const CorpusRecord& record) {
    ++records_;
    if (!record.status.ok() || record.verdicts.empty()) {
      ++errors_;
      return;
    }
    const v1::Verdict& verdict = record.verdicts[0];
    if (verdict.has_error()) ++errors_;
    ++actions_[verdict.action()];
    for (const v1::RuleMatch& match : verdict.rule_matches()) {
      auto it = index_.find(match.rule_id());
      if (it == index_.end()) continue;
      RuleStats& stats = rules_[it->second];
      ++stats.hits;
      if (static_cast<int>(stats.samples.size()) < options_.max_examples) {
        stats.samples.push_back(
            {record.Name(),
             options_.show_examples ? RequestText(record.request) : ""});
      }
    }
  }

  void PrintText(const v1::RulesetInfo& info) const {
    std::printf("ruleset: %s %s (fingerprint %s)\n", info.name().c_str(),
                info.version().c_str(), info.fingerprint().c_str());
    std::printf("corpus: %s\n", options_.corpus_path.c_str());
    if (!options_.context_json.empty()) {
      std::printf("context: %s\n", options_.context_json.c_str());
    }
    std::printf("records: %llu (%llu errors)\n\n",
                static_cast<unsigned long long>(records_),
                static_cast<unsigned long long>(errors_));

    Table actions({"action", "records", "share"});
    uint64_t review_or_above = 0;
    for (v1::Action action : kActions) {
      const uint64_t n = ActionCount(action);
      if (action >= v1::ACTION_REVIEW) review_or_above += n;
      actions.AddRow(
          {ActionShortName(action), absl::StrCat(n), Percent(n, records_)});
    }
    std::printf("verdicts by action:\n%s", actions.Render().c_str());
    std::printf("  review or above: %llu (%s)\n\n",
                static_cast<unsigned long long>(review_or_above),
                Percent(review_or_above, records_).c_str());

    Table rules(
        {"rule", "category", "mode", "action", "severity", "hits", "share"});
    for (int i = 0; i < ruleset_.rules_size(); ++i) {
      const v1::Rule& rule = ruleset_.rules(i);
      rules.AddRow(
          {rule.id(), rule.category(), ModeName(rule.mode()),
           ActionShortName(rule.action()), SeverityShortName(rule.severity()),
           absl::StrCat(rules_[i].hits), Percent(rules_[i].hits, records_)});
    }
    std::printf("rules:\n%s", rules.Render().c_str());

    bool header = false;
    for (int i = 0; i < ruleset_.rules_size(); ++i) {
      if (rules_[i].samples.empty()) continue;
      if (!header) {
        std::printf("\nsample matches (up to %d per rule):\n",
                    options_.max_examples);
        header = true;
      }
      std::printf("  %s:\n", ruleset_.rules(i).id().c_str());
      for (const Sample& sample : rules_[i].samples) {
        if (options_.show_examples) {
          std::printf("    %s: %s\n", sample.name.c_str(), sample.text.c_str());
        } else {
          std::printf("    %s\n", sample.name.c_str());
        }
      }
    }
  }

  void PrintJson(const v1::RulesetInfo& info) const {
    std::string out = absl::StrCat(
        "{\"ruleset\":{\"name\":", JsonQuote(info.name()),
        ",\"version\":", JsonQuote(info.version()),
        ",\"fingerprint\":", JsonQuote(info.fingerprint()),
        "},\"records\":", records_, ",\"errors\":", errors_, ",\"actions\":{");
    for (v1::Action action : kActions) {
      absl::StrAppend(&out, action == kActions[0] ? "" : ",",
                      JsonQuote(ActionShortName(action)), ":",
                      ActionCount(action));
    }
    out.append("},\"rules\":[");
    for (int i = 0; i < ruleset_.rules_size(); ++i) {
      const v1::Rule& rule = ruleset_.rules(i);
      absl::StrAppend(
          &out, i == 0 ? "" : ",", "{\"id\":", JsonQuote(rule.id()),
          ",\"category\":", JsonQuote(rule.category()),
          ",\"mode\":", JsonQuote(ModeName(rule.mode())),
          ",\"action\":", JsonQuote(ActionShortName(rule.action())),
          ",\"severity\":", JsonQuote(SeverityShortName(rule.severity())),
          ",\"hits\":", rules_[i].hits, ",\"samples\":[");
      const std::vector<Sample>& samples = rules_[i].samples;
      for (size_t s = 0; s < samples.size(); ++s) {
        absl::StrAppend(&out, s == 0 ? "" : ",",
                        "{\"id\":", JsonQuote(samples[s].name));
        if (options_.show_examples) {
          absl::StrAppend(&out, ",\"text\":", JsonQuote(samples[s].text));
        }
        out.append("}");
      }
      out.append("]}");
    }
    out.append("]}\n");
    std::fputs(out.c_str(), stdout);
  }

 private:
  uint64_t ActionCount(v1::Action action) const {
    auto it = actions_.find(action);
    return it == actions_.end() ? 0 : it->second;
  }

  const v1::Ruleset& ruleset_;
  const StatsCommandOptions& options_;
  absl::flat_hash_map<std::string, int> index_;
  std::vector<RuleStats> rules_;
  uint64_t records_ = 0;
  uint64_t errors_ = 0;
  std::map<v1::Action, uint64_t> actions_;
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

  Stats stats((*engine)->ruleset(), options);
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
    stats.PrintJson((*engine)->info());
  } else {
    stats.PrintText((*engine)->info());
  }
  return FinishOutput("stats");
}

}  // namespace watchword
