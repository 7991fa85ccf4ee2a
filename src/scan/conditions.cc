#include "src/scan/conditions.h"

#include <algorithm>

namespace watchword {
namespace {

template <typename Repeated, typename Value>
bool Contains(const Repeated& values, Value value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool InRange(const v1::NumberRange& range, double value) {
  if (range.has_min() && value < range.min()) return false;
  if (range.has_max() && value > range.max()) return false;
  return true;
}

bool PredicateHolds(const v1::Condition& c, const v1::Context& context) {
  switch (c.predicate_case()) {
    case v1::Condition::kSenderAgeBand:
      return Contains(c.sender_age_band().any_of(), context.sender_age_band());
    case v1::Condition::kRecipientAgeBand:
      return Contains(c.recipient_age_band().any_of(),
                      context.recipient_age_band());
    case v1::Condition::kSurface:
      return Contains(c.surface().any_of(), context.surface());
    case v1::Condition::kRelationship:
      return Contains(c.relationship().any_of(), context.relationship());
    case v1::Condition::kSenderAccountAgeDays:
      return context.has_sender_account_age_days() &&
             InRange(c.sender_account_age_days(),
                     context.sender_account_age_days());
    case v1::Condition::kStringAttribute: {
      auto it = context.string_attributes().find(c.string_attribute().name());
      return it != context.string_attributes().end() &&
             Contains(c.string_attribute().any_of(), it->second);
    }
    case v1::Condition::kNumberAttribute: {
      auto it = context.number_attributes().find(c.number_attribute().name());
      return it != context.number_attributes().end() &&
             InRange(c.number_attribute().range(), it->second);
    }
    case v1::Condition::PREDICATE_NOT_SET:
      break;
  }
  return false;  // Validation rejects conditions without a predicate.
}

}  // namespace

bool ConditionHolds(const v1::Condition& condition,
                    const v1::Context& context) {
  return PredicateHolds(condition, context) != condition.negate();
}

bool AllConditionsHold(const std::vector<v1::Condition>& conditions,
                       const v1::Context& context) {
  for (const v1::Condition& condition : conditions) {
    if (!ConditionHolds(condition, context)) return false;
  }
  return true;
}

}  // namespace watchword
