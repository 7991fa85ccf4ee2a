// Limits of the ruleset language that hold on every path a ruleset takes:
// text format and JSON files, in-memory Rulesets and engine files. They are
// not CompileOptions: an engine file must load wherever its ruleset
// compiled, whatever options the loader was built with.
#ifndef WATCHWORD_SRC_ENGINE_RULESET_LIMITS_H_
#define WATCHWORD_SRC_ENGINE_RULESET_LIMITS_H_

namespace watchword {

// Deepest nesting of expressions in a rule: a rule's `match` is at depth 1,
// the sub-expressions of its `any`, `all`, `none` or `near` at depth 2, and
// so on. Deeper rules are an error (WW114). Real rules nest 2 to 5 deep;
// 32 keeps every recursion over expressions (validation, lowering,
// evaluation) far from the stack's end.
inline constexpr int kMaxExprDepth = 32;

// Deepest nesting of protobuf messages the parsers accept, counted as
// protobuf counts (the Ruleset itself is level 0; `rules` level 1; a rule's
// `match` level 2; each expression level adds 2). Deeper files are a syntax
// error at the place where they get too deep, before the nesting can
// exhaust the stack or memory. It is protobuf's own default for binary
// messages and JSON, so the text format, JSON and engine files agree; it
// leaves room for rules somewhat deeper than kMaxExprDepth, which the
// validator then reports with their rule id (WW114).
inline constexpr int kMaxMessageDepth = 100;

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_RULESET_LIMITS_H_
