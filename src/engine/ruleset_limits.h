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

// Largest regex term, in instructions of its RE2 program
// (RE2::ProgramSize()): a regex over it is an error (WW213), found before
// any Hyperscan compile. The program counts what makes a regex slow to
// compile: each counted repeat is copied out (`x{300}` is 300 copies) and
// each character class costs its UTF-8 byte ranges (`.` 8, `\pL` about
// 1,200). Hyperscan's compile time grows faster than the program: `\pL+`
// (1,199 instructions) takes 1.4 s to compile for every view, `a\pL{5}`
// (5,975) 4 s per view, `\pN{20}` (4,664) 1.5 s. The bundled rulesets'
// largest regex has 238; 1,000 leaves room for every regex a rule needs
// (`[a-z]{100}`, `\d{3,}`, long alternations of words) and refuses Unicode
// property classes, which folded text rarely needs: it is case-folded and
// homoglyphs are folded to Latin, so `[a-zñ]` does what `\pL` would.
inline constexpr int kMaxRegexProgramSize = 1000;

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_RULESET_LIMITS_H_
