#include "src/compile/loader.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/compile/diagnostic_codes.h"
#include "src/engine/ruleset_limits.h"
#include "src/compile/source_map.h"
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Property;
using ::watchword::testing::StatusIs;

// A fresh directory for the running test.
std::string TestDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  fs::path dir = fs::path(::testing::TempDir()) / "loader_test" /
                 (std::string(info->test_suite_name()) + "." + info->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string WriteFile(const std::string& dir, const std::string& name,
                      const std::string& contents) {
  std::string path = (fs::path(dir) / name).string();
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

// Matches a Diagnostic by code, file, line and column.
::testing::Matcher<const v1::Diagnostic&> At(const char* code,
                                             const std::string& file,
                                             uint32_t line, uint32_t column) {
  return AllOf(
      Property(&v1::Diagnostic::code, code),
      Property(&v1::Diagnostic::file, file),
      Property(&v1::Diagnostic::line, line),
      Property(&v1::Diagnostic::column, column),
      Property(&v1::Diagnostic::severity, v1::Diagnostic::SEVERITY_ERROR));
}

// Returns "file:line:column" of `field_path`, or "" if not found.
std::string Where(const SourceMap& map, const std::string& field_path) {
  SourceLocation loc;
  if (!map.Find(field_path, &loc)) return "";
  return fs::path(loc.file).filename().string() + ":" +
         std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

// ---------------------------------------------------------------- SourceMap

TEST(SourceMapTest, FindsLongestPrefixAtComponentBoundaries) {
  SourceMap map;
  map.Add("", {"f", 0, 0});
  map.Add("rules[3]", {"f", 10, 3});
  map.Add("rules[3].match", {"f", 12, 5});
  SourceLocation loc;
  ASSERT_TRUE(map.Find("rules[3].match.any.exprs[1].term.regex", &loc));
  EXPECT_EQ(loc.line, 12u);
  ASSERT_TRUE(map.Find("rules[3].matches", &loc));  // Not "rules[3].match".
  EXPECT_EQ(loc.line, 10u);
  ASSERT_TRUE(map.Find("rules[30].id", &loc));  // Not "rules[3]".
  EXPECT_EQ(loc.line, 0u);
}

TEST(SourceMapTest, FindFailsWithoutAnyPrefix) {
  SourceMap map;
  map.Add("rules[0]", {"f", 1, 1});
  SourceLocation loc;
  EXPECT_FALSE(map.Find("term_lists[0]", &loc));
  EXPECT_FALSE(map.Find("rules", &loc));
}

TEST(SourceMapTest, AnnotateFillsLocationButKeepsAFileAlreadySet) {
  SourceMap map;
  map.Add("rules[0].id", {"a.textproto", 2, 7});
  v1::Diagnostic d;
  d.set_field_path("rules[0].id");
  map.Annotate(&d);
  EXPECT_EQ(d.file(), "a.textproto");
  EXPECT_EQ(d.line(), 2u);
  EXPECT_EQ(d.column(), 7u);

  v1::Diagnostic loaded;
  loaded.set_field_path("rules[0].id");
  loaded.set_file("other.json");
  map.Annotate(&loaded);
  EXPECT_EQ(loaded.file(), "other.json");
  EXPECT_EQ(loaded.line(), 0u);
}

// ---------------------------------------------------------------- textproto

// Exact layout matters: the tests check lines and columns. A "txt"
// delimiter keeps clang-format from reflowing it as a proto.
constexpr char kTextRuleset[] = R"txt(name: "kids"
rules {
  id: "secrecy.dont-tell"
  action: ACTION_REVIEW
  match {
    any {
      exprs { term { phrase: "our secret" } }
      exprs { term { regex: "don'?t tell" } }
    }
  }
  tags: ["a", "b"]
}
term_lists {
  id: "secrets"
  terms { phrase: "a" }
	terms { phrase: "b" }
}
)txt";

TEST(LoaderTest, RecordsLocationsOfNestedTextprotoFields) {
  std::string path = WriteFile(TestDir(), "rules.textproto", kTextRuleset);
  v1::Ruleset ruleset;
  SourceMap map;
  std::vector<v1::Diagnostic> diagnostics;
  ASSERT_TRUE(LoadRulesetWithSource(path, &ruleset, &map, &diagnostics).ok());
  EXPECT_THAT(diagnostics, IsEmpty());
  ASSERT_EQ(ruleset.rules_size(), 1);
  EXPECT_EQ(ruleset.rules(0).id(), "secrecy.dont-tell");

  EXPECT_EQ(Where(map, "name"), "rules.textproto:1:1");
  EXPECT_EQ(Where(map, "rules[0]"), "rules.textproto:2:1");
  EXPECT_EQ(Where(map, "rules[0].id"), "rules.textproto:3:3");
  EXPECT_EQ(Where(map, "rules[0].match.any.exprs[1]"), "rules.textproto:8:7");
  EXPECT_EQ(Where(map, "rules[0].match.any.exprs[1].term.regex"),
            "rules.textproto:8:22");
  // `tags: [...]` has one location for all its elements.
  EXPECT_EQ(Where(map, "rules[0].tags[1]"), "rules.textproto:11:3");
  // Byte columns: the tab counts as one.
  EXPECT_EQ(Where(map, "term_lists[0].terms[1].phrase"),
            "rules.textproto:16:10");
  // Unset fields resolve to the closest ancestor.
  EXPECT_EQ(Where(map, "rules[0].severity"), "rules.textproto:2:1");
  EXPECT_EQ(Where(map, ""), "rules.textproto:0:0");
}

TEST(LoaderTest, CollectsEverySyntaxError) {
  std::string path = WriteFile(TestDir(), "bad.textproto",
                               "rules { id: \"a\" }\n"
                               "rules { id: \"b\" bogus: 1 }\n"
                               "rules { id: \"c\" }\n"
                               "\trules { id \"d\" }\n"
                               "rules { action: NOT_AN_ACTION }\n");
  v1::Ruleset ruleset;
  SourceMap map;
  std::vector<v1::Diagnostic> diagnostics;
  absl::Status status =
      LoadRulesetWithSource(path, &ruleset, &map, &diagnostics);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(path + ":2:17: message type "
                                              "\"watchword.v1.Rule\" has no "
                                              "field named \"bogus\""),
                             HasSubstr("(and 2 more errors)"))));
  EXPECT_THAT(diagnostics, ElementsAre(At(kSyntaxError, path, 2, 17),
                                       At(kSyntaxError, path, 4, 13),
                                       At(kSyntaxError, path, 5, 17)));
  EXPECT_THAT(diagnostics[1].message(), HasSubstr("expected \":\""));
  EXPECT_THAT(diagnostics[2].message(), HasSubstr("NOT_AN_ACTION"));
  for (const v1::Diagnostic& d : diagnostics) {
    EXPECT_FALSE(d.message().ends_with(".")) << d.message();
  }
}

TEST(LoaderTest, ReportsUnbalancedBraceOnce) {
  std::string path = WriteFile(TestDir(), "open.textproto",
                               "rules { id: \"a\"\nrules { id: \"b\" }\n");
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(path)));
  EXPECT_THAT(diagnostics,
              ElementsAre(Property(&v1::Diagnostic::code, kSyntaxError)));
}

TEST(LoaderTest, AcceptsOtherTextExtensions) {
  std::string dir = TestDir();
  for (const char* name : {"a.txtpb", "b.pbtxt"}) {
    v1::Ruleset ruleset;
    EXPECT_TRUE(LoadRulesetWithSource(WriteFile(dir, name, "name: \"x\""),
                                      &ruleset, nullptr, nullptr)
                    .ok());
    EXPECT_EQ(ruleset.name(), "x");
  }
}

// ---------------------------------------------------------------- JSON

constexpr char kJsonRuleset[] = R"({
  "name": "kids",
  "termLists": [
    {"id": "secrets", "terms": [{"phrase": "a"}]}
  ],
  "rules": [
    {"id": "first", "action": "ACTION_LOG"},
    {
      "id": "second",
      "match": {"any": {"exprs": [{"termList": "secrets"},
                                  {"term": {"regex": "x+"}}]}}
    }
  ]
}
)";

TEST(LoaderTest, LoadsJsonWithLocations) {
  std::string path = WriteFile(TestDir(), "rules.json", kJsonRuleset);
  v1::Ruleset ruleset;
  SourceMap map;
  std::vector<v1::Diagnostic> diagnostics;
  ASSERT_TRUE(LoadRulesetWithSource(path, &ruleset, &map, &diagnostics).ok());
  EXPECT_THAT(diagnostics, IsEmpty());
  ASSERT_EQ(ruleset.rules_size(), 2);
  EXPECT_EQ(ruleset.rules(0).action(), v1::ACTION_LOG);
  EXPECT_EQ(ruleset.term_lists(0).id(), "secrets");

  EXPECT_EQ(Where(map, "name"), "rules.json:2:3");
  EXPECT_EQ(Where(map, "term_lists[0].terms[0].phrase"), "rules.json:4:34");
  EXPECT_EQ(Where(map, "rules[0]"), "rules.json:7:5");
  EXPECT_EQ(Where(map, "rules[1]"), "rules.json:8:5");
  EXPECT_EQ(Where(map, "rules[1].id"), "rules.json:9:7");
  EXPECT_EQ(Where(map, "rules[1].match.any.exprs[1].term.regex"),
            "rules.json:11:45");
}

TEST(LoaderTest, PlacesJsonSyntaxError) {
  std::string path =
      WriteFile(TestDir(), "bad.json",
                "{\n  \"rules\": [\n    {\"id\": \"a\" \"b\"}\n]}");
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(path + ":3:16: ")));
  EXPECT_THAT(diagnostics, ElementsAre(At(kSyntaxError, path, 3, 16)));
}

// A one-rule textproto whose `match` nests `depth` expressions, one per
// line: the innermost term is on line `depth` + 1.
std::string NestedTextRuleset(int depth) {
  std::string text = "rules {\n  match {\n";
  for (int i = 1; i < depth; ++i) text += "any { exprs {\n";
  text += "term { phrase: \"a\" }\n";
  for (int i = 1; i < depth; ++i) text += "} }\n";
  return text + "  }\n}\n";
}

TEST(LoaderTest, LoadsTextprotoNestedWithinTheLimits) {
  std::string path = WriteFile(TestDir(), "deep.textproto",
                               NestedTextRuleset(kMaxExprDepth + 1));
  v1::Ruleset ruleset;
  SourceMap map;
  std::vector<v1::Diagnostic> diagnostics;
  ASSERT_TRUE(LoadRulesetWithSource(path, &ruleset, &map, &diagnostics).ok());
  EXPECT_THAT(diagnostics, IsEmpty());
  std::string deepest = "rules[0].match";
  for (int i = 1; i < kMaxExprDepth + 1; ++i) deepest += ".any.exprs[0]";
  EXPECT_EQ(Where(map, deepest),
            "deep.textproto:" + std::to_string(kMaxExprDepth + 2) + ":7");
}

TEST(LoaderTest, RejectsTextprotoNestedDeeperThanTheParserLimitWithItsPlace) {
  // 4,000 levels overflowed protobuf's recursive parser.
  std::string path =
      WriteFile(TestDir(), "deep.textproto", NestedTextRuleset(4000));
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("message is too deep")));
  // Protobuf counts `rules` and `match` too: two levels per expression.
  const int line = 3 + (kMaxMessageDepth - 2) / 2;
  // Column 5: the `{` of the `any` that goes one level too deep.
  EXPECT_THAT(diagnostics, ElementsAre(At(kSyntaxError, path, line, 5)));
}

// A one-rule JSON ruleset whose `match` nests `depth` expressions.
std::string NestedJsonRuleset(int depth) {
  std::string text = "{\"rules\": [{\"match\": ";
  for (int i = 1; i < depth; ++i) text += "{\"any\": {\"exprs\": [\n";
  text += "{\"term\": {\"phrase\": \"a\"}}";
  for (int i = 1; i < depth; ++i) text += "]}}";
  return text + "}]}";
}

TEST(LoaderTest, LoadsJsonNestedWithinTheLimits) {
  std::string path = WriteFile(TestDir(), "deep.json",
                               NestedJsonRuleset(kMaxExprDepth + 1));
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_TRUE(
      LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics).ok());
  EXPECT_THAT(diagnostics, IsEmpty());
}

TEST(LoaderTest, RejectsJsonNestedTooDeepWithItsPlace) {
  std::string dir = TestDir();
  for (const std::string& text :
       {NestedJsonRuleset(4000), std::string(200000, '['),
        "{\"rules\": [{\"match\": " + std::string(200000, '{')}) {
    std::string path = WriteFile(dir, "deep.json", text);
    v1::Ruleset ruleset;
    std::vector<v1::Diagnostic> diagnostics;
    EXPECT_THAT(LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deep")));
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics[0].code(), kSyntaxError);
    EXPECT_GT(diagnostics[0].line(), 0u) << diagnostics[0].message();
  }
}

TEST(LoaderTest, PlacesJsonUnknownFieldAndBadValue) {
  std::string dir = TestDir();
  std::string unknown = WriteFile(
      dir, "unknown.json", "{\"rules\": [\n  {\"id\": \"a\", \"colour\": 1}]}");
  std::vector<v1::Diagnostic> diagnostics;
  v1::Ruleset ruleset;
  EXPECT_FALSE(
      LoadRulesetWithSource(unknown, &ruleset, nullptr, &diagnostics).ok());
  ASSERT_THAT(diagnostics, ElementsAre(At(kSyntaxError, unknown, 2, 15)));
  EXPECT_THAT(diagnostics[0].message(), HasSubstr("unknown field \"colour\""));

  std::string bad_value =
      WriteFile(dir, "value.json",
                "{\"rules\": [\n  {\"id\": \"a\", \"action\": \"NOPE\"}]}");
  diagnostics.clear();
  EXPECT_FALSE(
      LoadRulesetWithSource(bad_value, &ruleset, nullptr, &diagnostics).ok());
  ASSERT_THAT(diagnostics, ElementsAre(At(kSyntaxError, bad_value, 2, 15)));
  EXPECT_THAT(diagnostics[0].message(), HasSubstr("rules[0].action"));
}

// ---------------------------------------------------------------- directories

TEST(LoaderTest, MergesDirectoryWithMergedIndices) {
  std::string dir = TestDir();
  WriteFile(dir, "a.textproto",
            "name: \"kids\"\n"
            "custom_fields: \"caption\"\n"
            "term_lists { id: \"l1\" terms { phrase: \"x\" } }\n"
            "rules { id: \"a1\" }\n"
            "rules { id: \"a2\" }\n");
  WriteFile(dir, "b.json",
            "{\"customFields\": [\"caption\", \"alt_text\"],\n"
            " \"termLists\": [{\"id\": \"l2\"}],\n"
            " \"rules\": [\n"
            "  {\"id\": \"b1\"}]}\n");
  WriteFile(dir, "c.pbtxt", "rules {\n  id: \"c1\"\n}\n");
  WriteFile(dir, "notes.md", "not a ruleset");
  WriteFile(dir, ".#a.textproto", "editor lock file");
  v1::Ruleset ruleset;
  SourceMap map;
  std::vector<v1::Diagnostic> diagnostics;
  ASSERT_TRUE(LoadRulesetWithSource(dir, &ruleset, &map, &diagnostics).ok());
  EXPECT_THAT(diagnostics, IsEmpty());
  EXPECT_EQ(ruleset.name(), "kids");
  ASSERT_EQ(ruleset.rules_size(), 4);
  EXPECT_EQ(ruleset.rules(2).id(), "b1");
  EXPECT_EQ(ruleset.rules(3).id(), "c1");
  ASSERT_EQ(ruleset.term_lists_size(), 2);
  EXPECT_EQ(ruleset.term_lists(1).id(), "l2");
  EXPECT_THAT(ruleset.custom_fields(), ElementsAre("caption", "alt_text"));

  EXPECT_EQ(Where(map, "rules[1].id"), "a.textproto:5:9");
  EXPECT_EQ(Where(map, "rules[2]"), "b.json:4:3");
  EXPECT_EQ(Where(map, "rules[2].id"), "b.json:4:4");
  EXPECT_EQ(Where(map, "rules[3].id"), "c.pbtxt:2:3");
  EXPECT_EQ(Where(map, "term_lists[1].id"), "b.json:2:17");
  EXPECT_EQ(Where(map, "custom_fields[0]"), "a.textproto:2:1");
  EXPECT_EQ(Where(map, "custom_fields[1]"), "b.json:1:30");
  EXPECT_EQ(Where(map, "rules"), "a.textproto:4:1");
}

TEST(LoaderTest, MergesConversationRulesWithMergedIndices) {
  std::string dir = TestDir();
  WriteFile(dir, "a.textproto",
            "conversation_rules { id: \"a1\" }\n"
            "conversation_rules { id: \"a2\" }\n");
  WriteFile(dir, "b.textproto",
            "rules { id: \"b0\" }\n"
            "conversation_rules {\n  id: \"b1\"\n}\n");
  v1::Ruleset ruleset;
  SourceMap map;
  std::vector<v1::Diagnostic> diagnostics;
  ASSERT_TRUE(LoadRulesetWithSource(dir, &ruleset, &map, &diagnostics).ok());
  ASSERT_EQ(ruleset.conversation_rules_size(), 3);
  EXPECT_EQ(ruleset.conversation_rules(2).id(), "b1");
  EXPECT_EQ(Where(map, "conversation_rules[1].id"), "a.textproto:2:22");
  EXPECT_EQ(Where(map, "conversation_rules[2].id"), "b.textproto:3:3");
  EXPECT_EQ(Where(map, "conversation_rules"), "a.textproto:1:1");
}

TEST(LoaderTest, RejectsNameSetByTwoFiles) {
  std::string dir = TestDir();
  std::string a = WriteFile(dir, "a.textproto", "name: \"one\"\n");
  std::string b =
      WriteFile(dir, "b.textproto", "version: \"1\"\n\nname: \"two\"\n");
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(dir, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(b + ":3:1: name is set in both")));
  ASSERT_THAT(diagnostics, ElementsAre(At(kConflictingHeader, b, 3, 1)));
  EXPECT_THAT(diagnostics[0].message(),
              AllOf(HasSubstr("\"" + a + "\""), HasSubstr("\"" + b + "\"")));
  EXPECT_EQ(ruleset.name(), "one");
  EXPECT_EQ(ruleset.version(), "1");
}

TEST(LoaderTest, ReportsSyntaxErrorsOfEveryFileInDirectory) {
  std::string dir = TestDir();
  std::string a = WriteFile(dir, "a.textproto", "rules { id: }\n");
  WriteFile(dir, "b.textproto", "rules { id: \"fine\" }\n");
  std::string c = WriteFile(dir, "c.json", "{\"rules\": [}");
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(dir, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(a)));
  EXPECT_THAT(diagnostics, ElementsAre(At(kSyntaxError, a, 1, 13),
                                       At(kSyntaxError, c, 1, 12)));
  ASSERT_EQ(ruleset.rules_size(), 1);  // What parsed.
  EXPECT_EQ(ruleset.rules(0).id(), "fine");
}

TEST(LoaderTest, RejectsEmptyDirectory) {
  std::string dir = TestDir();
  WriteFile(dir, "README.md", "no rules here");
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(dir, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("directory holds no")));
  EXPECT_THAT(diagnostics, ElementsAre(At(kEmptyDirectory, dir, 0, 0)));
}

TEST(LoaderTest, MissingPathIsNotFound) {
  std::string path = TestDir() + "/nope.textproto";
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr(path + ": no such file or directory")));
  EXPECT_THAT(diagnostics, ElementsAre(At(kPathNotFound, path, 0, 0)));
}

TEST(LoaderTest, RejectsUnknownExtension) {
  std::string path = WriteFile(TestDir(), "rules.yaml", "rules: []\n");
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_THAT(LoadRulesetWithSource(path, &ruleset, nullptr, &diagnostics),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown extension \".yaml\"")));
  EXPECT_THAT(diagnostics, ElementsAre(At(kUnknownExtension, path, 0, 0)));
}

TEST(LoaderTest, LoadsTheExampleRulesets) {
  std::string dir = watchword::testing::SourcePath("rulesets/examples");
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no " << dir;
  v1::Ruleset ruleset;
  std::vector<v1::Diagnostic> diagnostics;
  EXPECT_TRUE(LoadRulesetWithSource(dir, &ruleset, nullptr, &diagnostics).ok())
      << (diagnostics.empty() ? "" : diagnostics[0].DebugString());
}

}  // namespace
}  // namespace watchword
