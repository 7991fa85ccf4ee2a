// The stable codes of Diagnostic.code. Tools, tests and users match on these,
// so a code never changes meaning and is never reused; retire it instead.
//
// WW0xx loading, WW1xx rule structure, WW2xx terms and patterns,
// WW3xx conditions, WW4xx examples, WW5xx normalization, WW6xx
// conversation rules.
#ifndef WATCHWORD_SRC_COMPILE_DIAGNOSTIC_CODES_H_
#define WATCHWORD_SRC_COMPILE_DIAGNOSTIC_CODES_H_

namespace watchword {

// WW0xx: loading files.
inline constexpr char kSyntaxError[] = "WW001";   // File does not parse.
inline constexpr char kPathNotFound[] = "WW002";  // No such file or directory.
inline constexpr char kUnknownExtension[] = "WW003";  // Bad file type.
inline constexpr char kEmptyDirectory[] = "WW004";  // No ruleset files in dir.
inline constexpr char kConflictingHeader[] = "WW005";  // Name etc. set twice.
inline constexpr char kReadError[] = "WW006";          // Cannot read the path.
inline constexpr char kInvalidUtf8[] = "WW007";  // A string is not UTF-8.

// WW1xx: rule structure.
inline constexpr char kInvalidRuleId[] = "WW101";    // Empty or malformed.
inline constexpr char kDuplicateRuleId[] = "WW102";  // Id used twice.
inline constexpr char kMissingMatch[] = "WW103";     // No `match`.
inline constexpr char kMissingAction[] = "WW104";    // No `action`.
inline constexpr char kMissingSeverity[] = "WW105";  // Warning: no severity.
inline constexpr char kMissingCategory[] = "WW106";  // Warning: no category.
inline constexpr char kEmptyExpr[] = "WW107";        // Expr without node.
inline constexpr char kEmptyExprList[] = "WW108";    // Empty any/all/none.
inline constexpr char kBadNear[] = "WW109";          // Bad `near` operands.
inline constexpr char kNoRequiredTerm[] = "WW110";   // Only `none`.
inline constexpr char kEmptyException[] = "WW111";   // Nothing to veto with.
inline constexpr char kUnknownField[] = "WW112";     // Not built-in/custom.
inline constexpr char kBadCustomField[] = "WW113";   // Empty/built-in/twice.
inline constexpr char kExprTooDeep[] = "WW114";      // Over kMaxExprDepth.

// WW2xx: terms and patterns.
inline constexpr char kInvalidTermListId[] = "WW201";    // Empty/malformed.
inline constexpr char kDuplicateTermListId[] = "WW202";  // Id used twice.
inline constexpr char kUnknownTermList[] = "WW203";      // No such list.
inline constexpr char kEmptyTermList[] = "WW204";        // List has no terms.
inline constexpr char kTermKindNotSet[] = "WW205";       // No phrase/regex.
inline constexpr char kEmptyPhrase[] = "WW206";          // Empty (normalized).
inline constexpr char kDuplicateTermId[] = "WW207";      // Id used twice.
inline constexpr char kBadRegex[] = "WW208";             // RE2 rejects it.
inline constexpr char kRegexMatchesEmpty[] = "WW209";    // Matches "".
inline constexpr char kRegexHyperscan[] = "WW210";   // Hyperscan rejects it.
inline constexpr char kUnknownOnlyTerm[] = "WW211";  // Not a rule term.
inline constexpr char kNulInPattern[] = "WW212";  // NUL in a pattern string.
inline constexpr char kRegexTooCostly[] = "WW213";  // Over kMaxRegexProgramSize.
inline constexpr char kOverCompileBudget[] = "WW214";  // Over a CompileOptions limit.

// WW3xx: conditions.
inline constexpr char kPredicateNotSet[] = "WW301";     // No predicate.
inline constexpr char kEmptyConditionSet[] = "WW302";   // Empty `any_of`.
inline constexpr char kEmptyAttributeName[] = "WW303";  // No attribute name.
inline constexpr char kInvertedRange[] = "WW304";       // min > max.
inline constexpr char kUnboundedRange[] = "WW305";      // Warning: no bounds.
inline constexpr char kContradictoryConditions[] = "WW306";  // Never all hold.

// WW4xx: examples.
inline constexpr char kEmptyExample[] = "WW401";      // No text or fields.
inline constexpr char kNoShouldMatch[] = "WW402";     // Warning: none.
inline constexpr char kNoShouldNotMatch[] = "WW403";  // Warning: none.
inline constexpr char kBadFiresAt[] = "WW404";  // fires_at past the last message.

// WW5xx: normalization and folds.
inline constexpr char kBadLeetMapping[] = "WW501";  // Not one char -> one letter.
inline constexpr char kBadEquivalence[] = "WW502";  // < 2 words, not a word, or a word in two classes.
inline constexpr char kBadFold[] = "WW503";         // FOLD_UNSPECIFIED in a fold list.
inline constexpr char kBadSignal[] = "WW504";       // SIGNAL_UNSPECIFIED in an expression.

// WW6xx: conversation rules (ids, actions and conditions use the codes
// above).
inline constexpr char kNoPattern[] = "WW601";      // No pattern kind set.
inline constexpr char kBadConversationSignal[] = "WW602";  // Bad/duplicate id, selects nothing.
inline constexpr char kUnknownSignalSource[] = "WW603";  // No rule has that id/category/tag.
inline constexpr char kCountOutOfRange[] = "WW604";  // min_distinct etc. out of range.
inline constexpr char kEmptyWindow[] = "WW605";    // Window without a bound.
inline constexpr char kBadRiskScore[] = "WW606";   // Half-life, threshold or weight <= 0.
inline constexpr char kBadScope[] = "WW607";       // Scope does not fit the pattern.
inline constexpr char kUnknownStep[] = "WW608";    // Sequence step names no signal.

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_DIAGNOSTIC_CODES_H_
