#include "src/cli/report.h"

#include <string>

#include "gtest/gtest.h"
#include "watchword/v1/report.pb.h"

namespace watchword {
namespace {

TEST(ReportJsonTest, PrintsEveryFieldWithEnumNamesOnOneLine) {
  v1::StatsReport report;
  report.set_records(3);
  v1::ActionCount* none = report.add_actions();
  none->set_count(2);
  v1::ActionCount* review = report.add_actions();
  review->set_action(v1::ACTION_REVIEW);
  review->set_count(1);
  std::string out = "x";
  ASSERT_TRUE(AppendReportJsonLine(report, &out).ok());
  // Defaults printed (errors, corpus, rules), 64-bit counts as strings, the
  // unset message field left out.
  EXPECT_EQ(out,
            "x{\"corpus\":\"\",\"records\":\"3\",\"errors\":\"0\","
            "\"actions\":[{\"action\":\"ACTION_UNSPECIFIED\",\"count\":\"2\"},"
            "{\"action\":\"ACTION_REVIEW\",\"count\":\"1\"}],\"rules\":[]}\n");
}

TEST(TableTest, PadsColumnsAndRightAlignsNumbers) {
  Table table({"rule", "hits", "share"});
  table.AddRow({"a.long-rule", "3", "0.06%"});
  table.AddRow({"b", "120", "2.49%"});
  EXPECT_EQ(table.Render(),
            "  rule         hits  share\n"
            "  a.long-rule     3  0.06%\n"
            "  b             120  2.49%\n");
}

TEST(TableTest, CountsCodePointsNotBytes) {
  Table table({"x", "n"});
  table.AddRow({"año", "1"});
  table.AddRow({"ab", "22"});
  EXPECT_EQ(table.Render(""),
            "x     n\n"
            "año   1\n"
            "ab   22\n");
}

TEST(PercentTest, TwoDecimalsAndZeroWhole) {
  EXPECT_EQ(Percent(3, 4827), "0.06%");
  EXPECT_EQ(Percent(1, 2), "50.00%");
  EXPECT_EQ(Percent(5, 0), "0.00%");
}

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  EXPECT_EQ(JsonQuote("año"), "\"año\"");
  EXPECT_EQ(JsonQuote("a\xff\xc3"), "\"a\\ufffd\\ufffd\"");
  EXPECT_EQ(JsonQuote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"")
      << "a surrogate is not UTF-8";
}

TEST(RequestTextTest, JoinsFieldsOnOneLine) {
  v1::ScanRequest request;
  request.set_text("hi\nthere");
  v1::TextField* field = request.add_fields();
  field->set_name("username");
  field->set_text("x");
  EXPECT_EQ(RequestText(request), "hi\\nthere | username: x");
}

}  // namespace
}  // namespace watchword
