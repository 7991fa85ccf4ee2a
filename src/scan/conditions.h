// Evaluating a rule's metadata conditions against a request's Context.
#ifndef WATCHWORD_SRC_SCAN_CONDITIONS_H_
#define WATCHWORD_SRC_SCAN_CONDITIONS_H_

#include <vector>

#include "watchword/v1/context.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// True if `condition` holds in `context`. An unset Context field is
// "unknown": it matches a set that lists the UNSPECIFIED value, and never
// matches a number range or a custom attribute condition (before `negate`).
bool ConditionHolds(const v1::Condition& condition,
                    const v1::Context& context);

// True if every condition holds (true for none).
bool AllConditionsHold(const std::vector<v1::Condition>& conditions,
                       const v1::Context& context);

}  // namespace watchword

#endif  // WATCHWORD_SRC_SCAN_CONDITIONS_H_
