// Checking a ruleset before it is lowered: every problem, not just the first.
#ifndef WATCHWORD_SRC_COMPILE_VALIDATOR_H_
#define WATCHWORD_SRC_COMPILE_VALIDATOR_H_

#include <vector>

#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// Appends to *diagnostics every problem in `ruleset`: errors (the ruleset
// must not be compiled) and warnings (it compiles, probably not as meant).
// Each has a code from diagnostic_codes.h, a message naming the rule or
// term list, rule_id when inside a rule, severity and field_path; file, line
// and column are left for the caller to fill from a SourceMap.
//
struct ValidateOptions {
  // Whether regexes are also compiled with Hyperscan (in builds with it),
  // to report those it rejects (WW210). Loading an engine file skips this:
  // its Hyperscan databases were compiled from exactly its patterns, and an
  // RE2 engine never runs Hyperscan.
  bool compile_with_hyperscan = true;
};

// Returns the number of errors (not warnings) appended. Regexes are
// compiled with RE2 and, in builds with Hyperscan, with Hyperscan too, so
// this costs about as much as compiling them.
int ValidateRuleset(const v1::Ruleset& ruleset,
                    std::vector<v1::Diagnostic>* diagnostics,
                    const ValidateOptions& options = {});

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_VALIDATOR_H_
