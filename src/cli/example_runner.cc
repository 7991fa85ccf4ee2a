#include "src/cli/example_runner.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/example_request.h"
#include "src/cli/jsonl.h"
#include "watchword/conversation.h"
#include "watchword/scanner.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {
namespace {

// "review, rules matched: a, b (shadow)" or "no match".
std::string DescribeVerdict(const v1::Verdict& verdict) {
  if (verdict.rule_matches().empty()) return "no rule matched";
  std::vector<std::string> rules;
  for (const v1::RuleMatch& match : verdict.rule_matches()) {
    rules.push_back(match.shadow() ? absl::StrCat(match.rule_id(), " (shadow)")
                                   : match.rule_id());
  }
  return absl::StrCat("action ", ActionShortName(verdict.action()),
                      ", rules matched: ", absl::StrJoin(rules, ", "));
}

// The term ids behind `rule_id`'s match, e.g. "body:asl, body:how old r u".
std::string DescribeTerms(const v1::Verdict& verdict,
                          const std::string& rule_id) {
  std::vector<std::string> terms;
  for (const v1::RuleMatch& match : verdict.rule_matches()) {
    if (match.rule_id() != rule_id) continue;
    for (const v1::Match& m : match.matches()) {
      terms.push_back(absl::StrCat(m.field(), ":", m.term_id()));
    }
  }
  return absl::StrJoin(terms, ", ");
}

bool Matched(const v1::Verdict& verdict, const std::string& rule_id) {
  for (const v1::RuleMatch& match : verdict.rule_matches()) {
    if (match.rule_id() == rule_id) return true;
  }
  return false;
}

class Runner {
 public:
  Runner(std::shared_ptr<const Engine> engine,
         const ExampleLocations& locations, const ExampleRunOptions& options)
      : engine_(engine),
        scanner_(std::move(engine)),
        locations_(locations),
        options_(options) {}

  template <typename RuleType>
  void RunRule(const RuleType& rule, ExampleReport* report) {
    ++report->rules;
    for (bool positive : {true, false}) {
      const auto& examples =
          positive ? rule.should_match() : rule.should_not_match();
      for (int i = 0; i < examples.size(); ++i) {
        ++(positive ? report->should_match : report->should_not_match);
        RunExample(rule, positive, i, examples[i], report);
      }
    }
    const int min = options_.min_examples;
    if (min > 0 && (rule.should_match_size() < min ||
                    rule.should_not_match_size() < min)) {
      report->failures.push_back(
          {rule.id(), locations_.Rule(rule.id()), "examples",
           absl::StrCat("has ", rule.should_match_size(), " should_match and ",
                        rule.should_not_match_size(),
                        " should_not_match examples; needs at least ", min,
                        " of each")});
    }
  }

 private:
  void RunExample(const v1::Rule& rule, bool positive, int index,
                  const v1::Example& example, ExampleReport* report) {
    const std::string which = absl::StrCat(
        positive ? "should_match[" : "should_not_match[", index, "]");
    const v1::ScanRequest request =
        ExampleRequest(example, absl::StrCat(rule.id(), "/", which));
    absl::Status status = scanner_.Scan(request, &verdict_);
    std::string problem;
    if (!status.ok()) {
      problem = absl::StrCat("scan failed: ", status.ToString());
    } else if (positive && !Matched(verdict_, rule.id())) {
      problem = absl::StrCat("expected a match, got none (",
                             DescribeVerdict(verdict_), ")");
    } else if (!positive && Matched(verdict_, rule.id())) {
      problem = absl::StrCat("expected no match, but it matched on ",
                             DescribeTerms(verdict_, rule.id()), " (",
                             DescribeVerdict(verdict_), ")");
    }
    if (problem.empty()) return;
    report->failures.push_back(
        {rule.id(), locations_.Example(rule.id(), positive, index), which,
         absl::StrCat(problem, "; text: \"", ExampleText(example), "\"")});
  }

  // Scans and tracks the example's messages in order with a fresh tracker;
  // the rule must first fire at `fires_at` (any message if 0), or never.
  void RunExample(const v1::ConversationRule& rule, bool positive, int index,
                  const v1::ConversationExample& example,
                  ExampleReport* report) {
    const std::string which = absl::StrCat(
        positive ? "should_match[" : "should_not_match[", index, "]");
    absl::StatusOr<std::unique_ptr<ConversationTracker>> tracker =
        ConversationTracker::Create(engine_);
    std::string problem;
    int first = 0;  // 1-based message at which the rule first fired.
    for (int m = 0; m < example.messages_size() && tracker.ok() && first == 0;
         ++m) {
      v1::ScanRequest request = ConversationExampleRequest(example, m);
      absl::Status status = scanner_.Scan(request, &verdict_);
      if (!status.ok()) {
        problem = absl::StrCat("scan of message ", m + 1,
                               " failed: ", status.ToString());
        break;
      }
      const v1::ConversationVerdict conversation =
          (*tracker)->Update(request.context(), verdict_);
      for (const v1::ConversationMatch& match : conversation.matches()) {
        if (match.rule_id() == rule.id()) first = m + 1;
      }
    }
    if (!tracker.ok()) {
      problem = absl::StrCat("tracker: ", tracker.status().ToString());
    } else if (!problem.empty()) {
      // The scan failed; said above.
    } else if (positive && first == 0) {
      problem = absl::StrCat("expected the rule to fire, it never did over ",
                             example.messages_size(), " messages");
    } else if (positive && example.fires_at() != 0 &&
               first != static_cast<int>(example.fires_at())) {
      problem = absl::StrCat("expected the rule to fire first at message ",
                             example.fires_at(), ", it fired first at message ",
                             first);
    } else if (!positive && first != 0) {
      problem = absl::StrCat("expected the rule not to fire, it fired at message ",
                             first);
    }
    if (problem.empty()) return;
    report->failures.push_back(
        {rule.id(), locations_.Example(rule.id(), positive, index), which,
         example.note().empty() ? problem
                                : absl::StrCat(problem, "; note: \"",
                                               example.note(), "\"")});
  }

  std::shared_ptr<const Engine> engine_;
  Scanner scanner_;
  const ExampleLocations& locations_;
  const ExampleRunOptions& options_;
  v1::Verdict verdict_;
};

}  // namespace

ExampleReport RunExamples(std::shared_ptr<const Engine> engine,
                          const ExampleLocations& locations,
                          const ExampleRunOptions& options) {
  const v1::Ruleset& ruleset = engine->ruleset();
  Runner runner(std::move(engine), locations, options);
  ExampleReport report;
  for (const v1::Rule& rule : ruleset.rules()) runner.RunRule(rule, &report);
  for (const v1::ConversationRule& rule : ruleset.conversation_rules()) {
    runner.RunRule(rule, &report);
  }
  return report;
}

std::string FormatExampleFailure(const ExampleFailure& failure) {
  return absl::StrCat(failure.location, failure.location.empty() ? "" : ": ",
                      "rule \"", failure.rule_id, "\" ", failure.example, ": ",
                      failure.message);
}

}  // namespace watchword
