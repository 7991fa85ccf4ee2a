#include "src/cli/table_parser.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SplitTableRecordTest, CsvQuotesCommasAndLineBreaks) {
  std::vector<std::string> cells;
  ASSERT_TRUE(SplitTableRecord(R"(a,"b, ""c""",,"d
e")", TableKind::kCsv, &cells)
                  .ok());
  EXPECT_THAT(cells, ElementsAre("a", "b, \"c\"", "", "d\ne"));
  EXPECT_FALSE(SplitTableRecord(R"(a,"b)", TableKind::kCsv, &cells).ok());
  EXPECT_FALSE(SplitTableRecord(R"(a,"b"c)", TableKind::kCsv, &cells).ok());
}

TEST(SplitTableRecordTest, TsvSplitsOnTabsOnly) {
  std::vector<std::string> cells;
  ASSERT_TRUE(SplitTableRecord("a\t\"b, c\"\t", TableKind::kTsv, &cells).ok());
  EXPECT_THAT(cells, ElementsAre("a", "\"b, c\"", ""));
}

TEST(EndsInsideQuotesTest, CountsQuotes) {
  EXPECT_TRUE(EndsInsideQuotes(R"(1,"hi)"));
  EXPECT_FALSE(EndsInsideQuotes(R"(1,"hi ""x"" there")"));
}

TEST(TableRequestParserTest, MapsColumnsByHeader) {
  RequestFormat format;
  format.text_field = "body";
  absl::StatusOr<TableRequestParser> parser = TableRequestParser::Create(
      "user,id,body,context", TableKind::kCsv, format);
  ASSERT_TRUE(parser.ok()) << parser.status();
  v1::ScanRequest request;
  ASSERT_TRUE(parser
                  ->Parse(R"(bob,17,"add me, on snap","{""surface"": ""SURFACE_PUBLIC""}")",
                          &request)
                  .ok());
  EXPECT_EQ(request.id(), "17");
  EXPECT_EQ(request.text(), "add me, on snap");
  EXPECT_EQ(request.context().surface(), v1::SURFACE_PUBLIC);
  absl::Status status = parser->Parse("bob,18,plugh xyzzy", &request);
  EXPECT_THAT(status.message(), HasSubstr("3 cells; the header has 4"));
  status = parser->Parse(R"(bob,18,x,"{""surface"": ""plugh""}")", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), Not(HasSubstr("plugh")));
}

TEST(TableRequestParserTest, HeaderNeedsTheTextColumnAndStrictRejectsOthers) {
  RequestFormat format;
  EXPECT_THAT(TableRequestParser::Create("id,body", TableKind::kCsv, format)
                  .status()
                  .message(),
              HasSubstr("no column \"text\""));
  format.ignore_unknown_fields = false;
  EXPECT_THAT(
      TableRequestParser::Create("id\ttext\tuser", TableKind::kTsv, format)
          .status()
          .message(),
      HasSubstr("unknown column \"user\""));
}

}  // namespace
}  // namespace watchword
