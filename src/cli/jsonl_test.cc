#include "src/cli/jsonl.h"

#include <cstdio>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Returns a FILE reading `text`; the caller closes it.
std::FILE* FileWith(const std::string& text) {
  std::FILE* file = std::tmpfile();
  std::fwrite(text.data(), 1, text.size(), file);
  std::rewind(file);
  return file;
}

TEST(LineReaderTest, SplitsLinesAndStripsCarriageReturns) {
  std::FILE* file = FileWith("a\r\n\nlast");
  LineReader reader(file);
  std::string line;
  bool too_long;
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_EQ(line, "a");
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_EQ(line, "");
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_EQ(line, "last");
  EXPECT_EQ(reader.line_number(), 3u);
  EXPECT_FALSE(reader.Next(&line, &too_long));
  EXPECT_TRUE(reader.status().ok());
  std::fclose(file);
}

TEST(LineReaderTest, FlagsLongLinesAndKeepsCounting) {
  std::FILE* file = FileWith("0123456789abc\nok\n");
  LineReader reader(file, /*max_line_bytes=*/10);
  std::string line;
  bool too_long;
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_TRUE(too_long);
  EXPECT_EQ(line, "");
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_FALSE(too_long);
  EXPECT_EQ(line, "ok");
  EXPECT_EQ(reader.line_number(), 2u);
  std::fclose(file);
}

TEST(IsBlankLineTest, OnlyWhitespaceIsBlank) {
  EXPECT_TRUE(IsBlankLine(""));
  EXPECT_TRUE(IsBlankLine(" \t "));
  EXPECT_FALSE(IsBlankLine(" {} "));
}

TEST(ParseScanRequestTest, AcceptsBareText) {
  v1::ScanRequest request;
  ASSERT_TRUE(ParseScanRequest(R"({"text": "hi there"})", &request).ok());
  EXPECT_EQ(request.text(), "hi there");
}

TEST(ParseScanRequestTest, RejectsUnknownFields) {
  v1::ScanRequest request;
  absl::Status status = ParseScanRequest(R"({"txt": "hi"})", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("txt"));
}

TEST(ParseScanRequestTest, ErrorNeverQuotesTheInput) {
  v1::ScanRequest request;
  absl::Status status =
      ParseScanRequest(R"({"text": "our secret plan" oops})", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), Not(HasSubstr("secret")));
  EXPECT_THAT(status.message(), Not(HasSubstr("\n")));
}

TEST(VerdictJsonTest, ErrorRecordIsOneLineWithLineNumber) {
  v1::Verdict verdict;
  v1::RulesetInfo info;
  info.set_name("r");
  SetLineError(absl::InvalidArgumentError("bad"), 7, info, &verdict);
  std::string out;
  ASSERT_TRUE(AppendVerdictJsonLine(verdict, &out).ok());
  EXPECT_EQ(out,
            R"({"ruleset":{"name":"r"},"error":{"code":"INVALID_ARGUMENT",)"
            R"("message":"bad","line":7}})"
            "\n");
}

TEST(ScanSummaryTest, CountsActionsErrorsAndEnforcedCategories) {
  ScanSummary summary;
  v1::Verdict verdict;
  verdict.set_action(v1::ACTION_REVIEW);
  v1::RuleMatch* enforced = verdict.add_rule_matches();
  enforced->set_category("grooming.secrecy");
  v1::RuleMatch* shadow = verdict.add_rule_matches();
  shadow->set_category("grooming.flattery");
  shadow->set_shadow(true);
  summary.Add(verdict);
  summary.Add(v1::Verdict());
  EXPECT_EQ(summary.records(), 2u);
  EXPECT_EQ(summary.errors(), 0u);
  EXPECT_EQ(summary.actions().at("review"), 1u);
  EXPECT_EQ(summary.actions().at("none"), 1u);
  EXPECT_EQ(summary.categories().count("grooming.flattery"), 0u);
  EXPECT_THAT(summary.FormatSummary(1.0),
              HasSubstr("records=2 errors=0 action.none=1 action.log=0 "
                        "action.review=1 action.block=0 action.escalate=0 "
                        "category.grooming.secrecy=1 "));
}

}  // namespace
}  // namespace watchword
