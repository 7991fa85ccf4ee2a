// A ruleset's conversation rules, resolved for the tracker: signals become
// indices, and each message-level rule knows which signals it feeds.
#ifndef WATCHWORD_SRC_CONVERSATION_CONVERSATION_RULES_H_
#define WATCHWORD_SRC_CONVERSATION_CONVERSATION_RULES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// One conversation rule, resolved.
struct ResolvedConversationRule {
  enum class Kind : uint8_t {
    kDistinctStages,
    kSequence,
    kRiskScore,
    kNewContacts,
    kRepeatedAcrossConversations,
  };
  std::string id;
  std::string category;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  v1::Action action = v1::ACTION_UNSPECIFIED;
  bool shadow = false;
  // Never CONVERSATION_SCOPE_UNSPECIFIED: the default is resolved.
  v1::ConversationScope scope = v1::CONVERSATION_SCOPE_CONVERSATION;
  std::vector<v1::Condition> conditions;
  std::vector<std::string> signal_ids;
  std::vector<double> weights;  // Per signal, for kRiskScore.
  uint32_t max_messages = 0;    // 0: no bound.
  int64_t max_duration_ms = 0;  // 0: no bound.
  Kind kind = Kind::kDistinctStages;
  // min_distinct, min_recipients or min_conversations.
  uint32_t count = 0;
  std::vector<uint16_t> steps;  // kSequence: signal indices, in order.
  double half_life_ms = 0;      // kRiskScore.
  double threshold = 0;         // kRiskScore.
};

// A (conversation rule, signal) pair a message-level rule feeds.
struct SignalFeed {
  uint16_t rule;    // Index into ConversationRules::rules.
  uint16_t signal;  // Index into that rule's signal_ids.
};

struct ConversationRules {
  std::vector<ResolvedConversationRule> rules;
  // Message-level rule id -> index into `source_rule_ids` and `feeds`.
  absl::flat_hash_map<std::string, uint32_t> source_index;
  std::vector<std::string> source_rule_ids;
  // Per message-level rule, the signals it feeds, in rule then signal order.
  std::vector<std::vector<SignalFeed>> feeds;
  // Which scopes some rule counts in, indexed by ConversationScope.
  bool uses_scope[4] = {false, false, false, false};
};

// Resolves the conversation rules of `ruleset`.
// REQUIRES: `ruleset` validates (no unknown signal sources, no more than
// 65535 conversation rules or signals per rule).
ConversationRules ResolveConversationRules(const v1::Ruleset& ruleset);

}  // namespace watchword

#endif  // WATCHWORD_SRC_CONVERSATION_CONVERSATION_RULES_H_
