#include "src/cli/request_parser.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RequestParserTest, ReadsTheProtoJsonMapping) {
  RequestParser parser;
  v1::ScanRequest request;
  ASSERT_TRUE(parser
                  .Parse(R"({"id": "m1", "text": "hi", "echoMatchedText": true,
                    "fields": [{"name": "bio", "text": "yo"}],
                    "context": {"senderAgeBand": "AGE_BAND_ADULT",
                                "string_attributes": {"locale": "es"},
                                "timestamp_ms": "1700000000000"}})",
                         &request)
                  .ok());
  EXPECT_EQ(request.id(), "m1");
  EXPECT_EQ(request.text(), "hi");
  EXPECT_TRUE(request.echo_matched_text());
  ASSERT_EQ(request.fields_size(), 1);
  EXPECT_EQ(request.fields(0).name(), "bio");
  EXPECT_EQ(request.fields(0).text(), "yo");
  EXPECT_EQ(request.context().sender_age_band(), v1::AGE_BAND_ADULT);
  EXPECT_EQ(request.context().string_attributes().at("locale"), "es");
  EXPECT_EQ(request.context().timestamp_ms(), 1700000000000);
}

TEST(RequestParserTest, AcceptsIntegerIdsAndEscapes) {
  RequestParser parser;
  v1::ScanRequest request;
  ASSERT_TRUE(parser.Parse(R"({"id": 42, "text": "a\u00e9\n\"b"})", &request)
                  .ok());
  EXPECT_EQ(request.id(), "42");
  EXPECT_EQ(request.text(), "a\xc3\xa9\n\"b");
  ASSERT_TRUE(
      parser.Parse(R"({"id": 18446744073709551615, "text": ""})", &request)
          .ok());
  EXPECT_EQ(request.id(), "18446744073709551615");
  ASSERT_TRUE(parser.Parse(R"({"id": -7, "text": ""})", &request).ok());
  EXPECT_EQ(request.id(), "-7");
  EXPECT_THAT(parser.Parse(R"({"id": 1.5, "text": ""})", &request).message(),
              HasSubstr("\"id\" must be a string or an integer"));
}

TEST(RequestParserTest, IgnoresUnknownMembersByDefault) {
  RequestParser parser;
  v1::ScanRequest request;
  ASSERT_TRUE(parser
                  .Parse(R"({"user": {"name": "x", "deep": [[[{}]]]},
                             "text": "hi", "ts": 3})",
                         &request)
                  .ok());
  EXPECT_EQ(request.text(), "hi");
}

TEST(RequestParserTest, StrictFormatRejectsUnknownMembers) {
  RequestFormat format;
  format.ignore_unknown_fields = false;
  RequestParser parser(format);
  v1::ScanRequest request;
  absl::Status status = parser.Parse(R"({"text": "hi", "colour": 1})", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("unknown member \"colour\""));
  status = parser.Parse(R"({"text": "hi", "plugh me a xyzzy": 1})", &request);
  EXPECT_THAT(status.message(), HasSubstr("(name not shown)"));
  EXPECT_THAT(status.message(), Not(HasSubstr("plugh")));
  EXPECT_EQ(request.text(), "");  // Cleared on error.
}

TEST(RequestParserTest, ReadsDottedPaths) {
  RequestFormat format;
  format.id_field = "meta.message_id";
  format.text_field = "message.body";
  format.context_field = "meta.ctx";
  format.ignore_unknown_fields = false;  // Path prefixes are not unknown.
  RequestParser parser(format);
  v1::ScanRequest request;
  ASSERT_TRUE(parser
                  .Parse(R"({"meta": {"message_id": 9, "other": 1,
                                      "ctx": {"surface": "SURFACE_PUBLIC"}},
                             "message": {"body": "add me on snap"}})",
                         &request)
                  .ok());
  EXPECT_EQ(request.id(), "9");
  EXPECT_EQ(request.text(), "add me on snap");
  EXPECT_EQ(request.context().surface(), v1::SURFACE_PUBLIC);
  // The default names are now unknown members.
  EXPECT_THAT(parser.Parse(R"({"message": {"body": "x"}, "text": "y"})",
                           &request)
                  .message(),
              HasSubstr("unknown member \"text\""));
  EXPECT_THAT(parser.Parse(R"({"message": "x"})", &request).message(),
              HasSubstr("\"message.body\" is not inside an object"));
}

TEST(RequestParserTest, RecordWithoutTextIsAnError) {
  RequestParser parser;
  v1::ScanRequest request;
  absl::Status status = parser.Parse(R"({"txt": "hi"})", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("no member \"text\""));
  EXPECT_TRUE(parser.Parse(R"({"fields": [{"name": "bio", "text": "x"}]})",
                           &request)
                  .ok());
}

TEST(RequestParserTest, ErrorsNameTheProblemButQuoteNoInput) {
  struct Case {
    std::string line;
    std::string message;
  };
  const std::string deep = std::string(2000, '[') + std::string(2000, ']');
  const std::vector<Case> cases = {
      {R"({"text": "plugh me a xyzzy" oops})", "invalid JSON"},
      {R"({"text": "plugh me a xyzzy)", "a string is not closed"},
      {"{\"text\": \"plugh \xff xyzzy\"}", "invalid UTF-8"},
      {R"({"text": "plugh", "x": )" + deep + "}", "nesting deeper than 1024"},
      {R"(["plugh me a xyzzy"])", "not a JSON object"},
      {R"({"text": {"plugh": "me a xyzzy"}})", "\"text\" must be a string"},
      {R"({"text": "hi", "fields": "plugh me a xyzzy"})",
       "\"fields\" must be an array"},
      {R"({"text": "hi", "context": "plugh me a xyzzy"})",
       "\"context\" must be an object"},
      {R"({"text": "hi", "context": {"sender_age_band": "plugh me a xyzzy"}})",
       "context.sender_age_band"},
      {R"({"text": "hi", "fields": [{"name": "bio", "text": ["plugh xyzzy"]}]})",
       "fields"},
      {R"({"text": "hi", "fields": [{"plugh me a xyzzy": "x"}]})",
       "(name not shown)"},
      {R"({"text": "hi", "echo_matched_text": "plugh xyzzy"})",
       "\"echo_matched_text\" must be a bool"},
  };
  RequestParser parser;
  for (const Case& c : cases) {
    v1::ScanRequest request;
    absl::Status status = parser.Parse(c.line, &request);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.line;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.line;
    EXPECT_THAT(status.message(), Not(HasSubstr("plugh"))) << c.line;
    EXPECT_THAT(status.message(), Not(HasSubstr("xyzzy"))) << c.line;
    EXPECT_THAT(status.message(), Not(HasSubstr("\n"))) << c.line;
  }
}

TEST(RequestParserTest, KeepsWorkingAfterAHugeRecord) {
  RequestParser parser;
  v1::ScanRequest request;
  const std::string big(1 << 20, 'x');
  ASSERT_TRUE(parser.Parse(R"({"text": ")" + big + "\"}", &request).ok());
  EXPECT_EQ(request.text().size(), big.size());
  ASSERT_TRUE(parser.Parse(R"({"text": "small"})", &request).ok());
  EXPECT_EQ(request.text(), "small");
}

}  // namespace
}  // namespace watchword
