// Engine files crafted, as anyone can make them, with a good checksum and
// fingerprints around a lowered form (lowered_form.h) that breaks an
// invariant validation and lowering guarantee for a compiled ruleset:
// loading refuses each with DataLoss naming what is wrong, never loading an
// engine the scanner would trip over. Each case stands for a validator
// error (WWxxx) a crafted file used to reach the lowering or scanner with.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/compile/lower.h"
#include "src/compile/matcher_builder.h"
#include "src/engine/engine_file.h"
#include "src/engine/lowered_form.h"
#include "src/engine/matcher_plan.h"
#include "src/engine/ruleset_limits.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::watchword::testing::ParseRuleset;
using ::watchword::testing::StatusIs;
using Op = CompiledExpr::Op;

std::vector<Backend> Backends() {
  std::vector<Backend> backends = {Backend::kRe2};
  if (HasHyperscan()) backends.push_back(Backend::kHyperscan);
  return backends;
}

// Rule "r" matches `any { near { "keep" "secret" } term_list "l" }` with an
// exception; rule "s" a regex. Patterns: keep, secret, hello, game, regex.
const v1::Ruleset& Valid() {
  static const v1::Ruleset* const kValid = new v1::Ruleset(ParseRuleset(R"pb(
    term_lists {
      id: "l"
      terms { phrase: "hello" }
    }
    rules {
      id: "r"
      action: ACTION_REVIEW
      match {
        any {
          exprs {
            near {
              exprs { term { phrase: "keep" } }
              exprs { term { phrase: "secret" } }
              max_words: 3
            }
          }
          exprs { term_list: "l" }
        }
      }
      exceptions {
        terms { phrase: "game" }
        only_terms: "hello"
      }
    }
    rules {
      id: "s"
      action: ACTION_LOG
      match { term { regex: "se+cret" } }
    }
    conversation_rules {
      id: "c"
      severity: SEVERITY_HIGH
      action: ACTION_REVIEW
      window { max_messages: 10 }
      signals { id: "a" rule_ids: "r" }
      signals { id: "b" rule_ids: "s" }
      sequence { steps: "a" steps: "b" }
    }
  )pb"));
  return *kValid;
}

// The engine file a compile of `ruleset` (Valid() by default) writes, with
// its lowered form changed by `edit` and, for Hyperscan, databases built
// from the edited patterns where Hyperscan compiles them (empty where not).
std::string Craft(const std::function<void(EngineRep*)>& edit, Backend backend,
                  const v1::Ruleset& ruleset = Valid()) {
  absl::StatusOr<std::shared_ptr<const Engine>> real =
      Compile(Valid(), {.backend = backend});
  EXPECT_TRUE(real.ok()) << real.status();
  if (!real.ok()) return "";
  absl::StatusOr<std::string> real_bytes = SerializeEngine(**real);
  EXPECT_TRUE(real_bytes.ok()) << real_bytes.status();
  absl::StatusOr<EngineFile> file = DecodeEngineFile(*real_bytes);
  EXPECT_TRUE(file.ok()) << file.status();

  absl::StatusOr<std::unique_ptr<EngineRep>> rep = LowerRuleset(ruleset);
  EXPECT_TRUE(rep.ok()) << rep.status();
  if (!rep.ok()) return "";
  edit(rep->get());
  const std::string lowered = EncodeLoweredForm(**rep);
  std::string ruleset_bytes;
  ruleset.SerializeToString(&ruleset_bytes);
  const std::string fingerprint = RulesetFingerprint(ruleset);
  file->lowered = lowered;
  file->ruleset = ruleset_bytes;
  file->ruleset_fingerprint = fingerprint;
  file->matchers.clear();
  (*rep)->backend = backend;  // Plans its matchers as the loader does.
  std::vector<MatcherSpec> specs = PlanMatchers(**rep);
  std::vector<std::string> databases;
  databases.reserve(specs.size());
  if (backend == Backend::kHyperscan) {
    for (MatcherSpec& spec : specs) {
      EngineFileMatcher stored;
      stored.name = spec.name;
      stored.pattern_count = static_cast<uint32_t>(spec.patterns.size());
      stored.patterns_fingerprint =
          HyperscanPatternsFingerprint(spec.patterns, spec.base_patterns);
      databases.emplace_back();
      if (!spec.patterns.empty() || spec.required) {
        auto matcher =
            BuildMatcher(backend, spec.patterns, spec.ids, spec.base_patterns);
        if (matcher.ok()) {
          databases.back() = *SerializeHyperscanDatabase(**matcher);
        }
      }
      stored.database = databases.back();
      file->matchers.push_back(stored);
    }
  }
  return EncodeEngineFile(*file);
}

void ExpectRefused(const std::function<void(EngineRep*)>& edit,
                   const std::string& message,
                   const v1::Ruleset& ruleset = Valid()) {
  for (Backend backend : Backends()) {
    SCOPED_TRACE(BackendName(backend));
    EXPECT_THAT(DeserializeEngine(Craft(edit, backend, ruleset)),
                StatusIs(absl::StatusCode::kDataLoss,
                         AllOf(HasSubstr("engine file is corrupt"),
                               HasSubstr(message))));
  }
}

CompiledExpr& Near(EngineRep* rep) {
  CompiledExpr& near = rep->rules[0].expr.children[0];
  EXPECT_EQ(near.op, Op::kNear);
  return near;
}

uint32_t PatternOf(const EngineRep& rep, const std::string& text) {
  for (uint32_t i = 0; i < rep.patterns.size(); ++i) {
    if (rep.patterns[i].text == text) return i;
  }
  ADD_FAILURE() << "no pattern " << text;
  return 0;
}

TEST(CraftedEngineFileTest, CraftedFileOfTheRealLoweringLoadsAndScans) {
  // The crafting itself makes good files: what the tests below refuse is
  // the edit alone.
  for (Backend backend : Backends()) {
    SCOPED_TRACE(BackendName(backend));
    absl::StatusOr<std::shared_ptr<const Engine>> loaded =
        DeserializeEngine(Craft([](EngineRep*) {}, backend));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ((*loaded)->backend(), backend);
    Scanner scanner(*loaded);
    v1::Verdict verdict;
    ASSERT_TRUE(scanner.Scan("keep it a secret", &verdict).ok());
    ASSERT_EQ(verdict.rule_matches_size(), 2);
    EXPECT_EQ(verdict.rule_matches(0).rule_id(), "r");
    EXPECT_EQ(verdict.rule_matches(1).rule_id(), "s");
  }
}

// WW109: an RE2 file with an empty `near {}` beside a term loaded, then
// crashed the first scan that found the term (CLI and Python, SIGSEGV).
TEST(CraftedEngineFileTest, RefusesNearWithFewerThanTwoOperands) {
  ExpectRefused([](EngineRep* rep) { Near(rep).children.clear(); },
                "rule \"r\": near needs at least 2 operands");
  ExpectRefused([](EngineRep* rep) { Near(rep).children.pop_back(); },
                "rule \"r\": near needs at least 2 operands");
}

TEST(CraftedEngineFileTest, RefusesNearOverANonPositionalExpression) {
  ExpectRefused(
      [](EngineRep* rep) {
        CompiledExpr& operand = Near(rep).children[1];
        CompiledExpr all;
        all.op = Op::kAll;
        all.children.push_back(operand);
        operand = all;
      },
      "near takes only terms");
}

// WW107, WW108, WW110, WW205.
TEST(CraftedEngineFileTest, RefusesEmptyExpressionsAndTerms) {
  ExpectRefused([](EngineRep* rep) { rep->rules[0].expr.children.clear(); },
                "any, all and none need operands");
  ExpectRefused(
      [](EngineRep* rep) { rep->rules[0].expr.op = static_cast<Op>(9); },
      "unknown expression kind 9");
  ExpectRefused([](EngineRep* rep) { rep->rules[1].expr.terms.clear(); },
                "rule \"s\": a term expression needs terms");
  ExpectRefused(
      [](EngineRep* rep) {
        CompiledRule& rule = rep->rules[1];
        CompiledExpr none;
        none.op = Op::kNone;
        none.children.push_back(rule.expr);
        rule.expr = none;
        rule.positive_terms.clear();
      },
      "rule \"s\": no positive term");
  ExpectRefused(
      [](EngineRep* rep) { rep->patterns[PatternOf(*rep, "hello")].text = ""; },
      "empty text");
}

// WW203, WW211, WW112.
TEST(CraftedEngineFileTest, RefusesReferencesToNothing) {
  ExpectRefused([](EngineRep* rep) { rep->rules[1].expr.terms[0] = 999; },
                "rule \"s\": term 999 of");
  ExpectRefused(
      [](EngineRep* rep) { rep->rules[0].exceptions[0].terms[0] = 999; },
      "exception term 999");
  ExpectRefused(
      [](EngineRep* rep) { rep->rules[0].exceptions[0].terms.clear(); },
      "an exception without terms");
  ExpectRefused(
      [](EngineRep* rep) {
        rep->rules[0].exceptions[0].only_terms = {"no-such-term"};
      },
      "an exception names a term the rule lacks");
  ExpectRefused([](EngineRep* rep) { rep->rules[0].fields = {99}; },
                "rule \"r\": field 99 of");
  ExpectRefused([](EngineRep* rep) { rep->term_refs[0].pattern = 999; },
                "has pattern 999 of");
  ExpectRefused([](EngineRep* rep) { rep->rules[0].positive_terms = {999}; },
                "positive terms out of range");
  ExpectRefused([](EngineRep* rep) { rep->mixed_script_pattern = 0; },
                "mixed-script");
}

// WW102.
TEST(CraftedEngineFileTest, RefusesDuplicateRuleIds) {
  ExpectRefused([](EngineRep* rep) { rep->rules[1].id = "r"; },
                "rule \"r\": two rules have this id");
}

// WW114: the decoder stops at the limit, before recursing further.
TEST(CraftedEngineFileTest, RefusesExpressionsNestedTooDeep) {
  for (int extra : {kMaxExprDepth, 100 * kMaxExprDepth}) {
    ExpectRefused(
        [extra](EngineRep* rep) {
          CompiledExpr& expr = rep->rules[1].expr;
          for (int i = 0; i < extra; ++i) {
            CompiledExpr any;
            any.op = Op::kAny;
            any.children.push_back(std::move(expr));
            expr = std::move(any);
          }
        },
        absl::StrCat("expressions nest deeper than ", kMaxExprDepth));
  }
}

// WW208, WW209.
TEST(CraftedEngineFileTest, RefusesBadRegexes) {
  ExpectRefused(
      [](EngineRep* rep) {
        rep->patterns[PatternOf(*rep, "se+cret")].text = "(a";
      },
      "missing )");
  ExpectRefused(
      [](EngineRep* rep) {
        rep->patterns[PatternOf(*rep, "se+cret")].text = "a*";
      },
      "regex \"a*\" matches an empty string");
}

// WW212, WW007: NUL, on which the backends disagree, and text that is not
// UTF-8, which verdicts cannot carry.
TEST(CraftedEngineFileTest, RefusesBadStrings) {
  ExpectRefused(
      [](EngineRep* rep) {
        rep->patterns[PatternOf(*rep, "hello")].text = std::string("he\0lo", 5);
      },
      "holds NUL");
  ExpectRefused(
      [](EngineRep* rep) {
        rep->patterns[PatternOf(*rep, "hello")].text = "h\xff";
      },
      "not UTF-8");
  ExpectRefused([](EngineRep* rep) { rep->rules[0].id = "r\xff"; },
                "not UTF-8");
  ExpectRefused([](EngineRep* rep) { rep->term_refs[0].id = "t\xc3"; },
                "not UTF-8");
}

// WW301, WW501, WW502.
TEST(CraftedEngineFileTest, RefusesBadConditionsAndNormalization) {
  ExpectRefused([](EngineRep* rep) { rep->rules[0].conditions.emplace_back(); },
                "rule \"r\": a condition without a predicate");
  ExpectRefused(
      [](EngineRep* rep) {
        auto leet = rep->fold_config.leet();
        leet[0xd800] = 'a';
        rep->fold_config.SetLeet(leet);
      },
      "a leetspeak mapping is not a code point");
  ExpectRefused(
      [](EngineRep* rep) {
        rep->fold_config.SetEquivalences({{"u", ""}});
      },
      "an equivalence is empty");
}

// WW6xx: what the conversation tracker reads of the ruleset.
TEST(CraftedEngineFileTest, RefusesBadConversationRules) {
  v1::Ruleset ruleset = Valid();
  ruleset.mutable_conversation_rules(0)->mutable_sequence()->add_steps("zz");
  ExpectRefused([](EngineRep*) {},
                "conversation rule \"c\": a step names no "
                "signal",
                ruleset);
  ruleset = Valid();
  ruleset.mutable_conversation_rules(0)->set_scope(
      static_cast<v1::ConversationScope>(7));
  ExpectRefused([](EngineRep*) {}, "unknown scope", ruleset);
}

TEST(CraftedEngineFileTest, RefusesMalformedLoweredForms) {
  for (Backend backend : Backends()) {
    SCOPED_TRACE(BackendName(backend));
    const std::string bytes = Craft([](EngineRep*) {}, backend);
    absl::StatusOr<EngineFile> file = DecodeEngineFile(bytes);
    ASSERT_TRUE(file.ok());
    const std::string lowered(file->lowered);
    for (size_t cut :
         {size_t{0}, size_t{3}, lowered.size() / 2, lowered.size() - 1}) {
      EngineFile edited = *file;
      const std::string shorter = lowered.substr(0, cut);
      edited.lowered = shorter;
      EXPECT_THAT(DeserializeEngine(EncodeEngineFile(edited)),
                  StatusIs(absl::StatusCode::kDataLoss,
                           HasSubstr("engine file is corrupt")))
          << cut;
    }
    EngineFile edited = *file;
    const std::string longer = lowered + "x";
    edited.lowered = longer;
    EXPECT_THAT(DeserializeEngine(EncodeEngineFile(edited)),
                StatusIs(absl::StatusCode::kDataLoss,
                         HasSubstr("1 unexplained bytes")));
    // A count far past the bytes left allocates nothing.
    std::string huge = lowered;
    huge[0] = huge[1] = huge[2] = huge[3] = '\xff';
    edited.lowered = huge;
    EXPECT_THAT(DeserializeEngine(EncodeEngineFile(edited)),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("truncated")));
  }
}

TEST(CraftedEngineFileTest, FingerprintMismatchDoesNotSayTheExpectedOne) {
  const std::string bytes = Craft([](EngineRep*) {}, Backend::kRe2);
  absl::StatusOr<EngineFile> file = DecodeEngineFile(bytes);
  ASSERT_TRUE(file.ok());
  EngineFile edited = *file;
  edited.ruleset_fingerprint = "0123456789abcdef";
  absl::StatusOr<std::shared_ptr<const Engine>> loaded =
      DeserializeEngine(EncodeEngineFile(edited));
  EXPECT_THAT(loaded,
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("0123456789abcdef"),
                             Not(HasSubstr(RulesetFingerprint(Valid()))))));
}

}  // namespace
}  // namespace watchword
