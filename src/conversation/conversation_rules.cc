#include "src/conversation/conversation_rules.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace watchword {
namespace {

// True if `category` is `selector` or lies under it ("grooming" covers
// "grooming.secrecy", not "groomingx").
bool CategoryUnder(const std::string& category, const std::string& selector) {
  return category == selector ||
         absl::StartsWith(category, absl::StrCat(selector, "."));
}

bool Selects(const v1::ConversationSignal& signal, const v1::Rule& rule) {
  auto has = [](const auto& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  if (has(signal.rule_ids(), rule.id())) return true;
  for (const std::string& category : signal.categories()) {
    if (CategoryUnder(rule.category(), category)) return true;
  }
  for (const std::string& tag : rule.tags()) {
    if (has(signal.tags(), tag)) return true;
  }
  return false;
}

}  // namespace

ConversationRules ResolveConversationRules(const v1::Ruleset& ruleset) {
  ConversationRules out;
  for (int i = 0; i < ruleset.rules_size(); ++i) {
    out.source_index.try_emplace(ruleset.rules(i).id(), i);
    out.source_rule_ids.push_back(ruleset.rules(i).id());
  }
  out.feeds.resize(ruleset.rules_size());
  for (int r = 0; r < ruleset.conversation_rules_size(); ++r) {
    const v1::ConversationRule& rule = ruleset.conversation_rules(r);
    ResolvedConversationRule& resolved = out.rules.emplace_back();
    resolved.id = rule.id();
    resolved.category = rule.category();
    resolved.severity = rule.severity();
    resolved.action = rule.action();
    resolved.shadow = rule.mode() == v1::MODE_SHADOW;
    resolved.conditions.assign(rule.conditions().begin(),
                               rule.conditions().end());
    resolved.max_messages = rule.window().max_messages();
    resolved.max_duration_ms =
        static_cast<int64_t>(std::min<uint64_t>(
            rule.window().max_duration_seconds(), uint64_t{1} << 40)) *
        1000;
    for (const v1::ConversationSignal& signal : rule.signals()) {
      resolved.signal_ids.push_back(signal.id());
      resolved.weights.push_back(signal.weight());
    }
    bool sender_kind = false;
    switch (rule.pattern_case()) {
      case v1::ConversationRule::kDistinctStages:
        resolved.kind = ResolvedConversationRule::Kind::kDistinctStages;
        resolved.count = rule.distinct_stages().min_distinct();
        break;
      case v1::ConversationRule::kSequence:
        resolved.kind = ResolvedConversationRule::Kind::kSequence;
        for (const std::string& step : rule.sequence().steps()) {
          auto it = std::find(resolved.signal_ids.begin(),
                              resolved.signal_ids.end(), step);
          resolved.steps.push_back(
              static_cast<uint16_t>(it - resolved.signal_ids.begin()));
        }
        break;
      case v1::ConversationRule::kRiskScore:
        resolved.kind = ResolvedConversationRule::Kind::kRiskScore;
        resolved.half_life_ms = rule.risk_score().half_life_seconds() * 1000;
        resolved.threshold = rule.risk_score().threshold();
        break;
      case v1::ConversationRule::kNewContacts:
        resolved.kind = ResolvedConversationRule::Kind::kNewContacts;
        resolved.count = rule.new_contacts().min_recipients();
        sender_kind = true;
        break;
      case v1::ConversationRule::kRepeatedAcrossConversations:
        resolved.kind =
            ResolvedConversationRule::Kind::kRepeatedAcrossConversations;
        resolved.count = rule.repeated_across_conversations().min_conversations();
        sender_kind = true;
        break;
      case v1::ConversationRule::PATTERN_NOT_SET:
        break;
    }
    resolved.scope = rule.scope();
    if (resolved.scope == v1::CONVERSATION_SCOPE_UNSPECIFIED) {
      resolved.scope = sender_kind ? v1::CONVERSATION_SCOPE_SENDER
                                   : v1::CONVERSATION_SCOPE_CONVERSATION;
    }
    out.uses_scope[resolved.scope] = true;
    for (int s = 0; s < rule.signals_size(); ++s) {
      for (int i = 0; i < ruleset.rules_size(); ++i) {
        if (Selects(rule.signals(s), ruleset.rules(i))) {
          out.feeds[i].push_back(
              {static_cast<uint16_t>(r), static_cast<uint16_t>(s)});
        }
      }
    }
  }
  return out;
}

}  // namespace watchword
