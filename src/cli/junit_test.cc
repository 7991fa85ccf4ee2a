#include "src/cli/junit.h"

#include <string>

#include "gtest/gtest.h"

namespace watchword {
namespace {

TEST(XmlEscapeTest, EscapesMarkupAndDropsWhatXmlCannotHold) {
  EXPECT_EQ(XmlEscape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(XmlEscape("tab\tnl\ncr\r"), "tab&#9;nl&#10;cr&#13;");
  EXPECT_EQ(XmlEscape(std::string("a\x01\x1f\0b", 5)), "ab");
  EXPECT_EQ(XmlEscape("ѕеnd"), "ѕеnd");
  EXPECT_EQ(XmlEscape("a\xff" "b"), "a\xEF\xBF\xBD" "b");
}

JunitCase Case(const std::string& classname, const std::string& name,
               const std::string& file, int line) {
  JunitCase c;
  c.classname = classname;
  c.name = name;
  c.file = file;
  c.line = line;
  return c;
}

TEST(RenderJunitTest, CountsFailuresAndErrorsPerSuiteAndInAll) {
  JunitCase passed = Case("r.a", "should_match[0]", "a.textproto", 3);
  JunitCase failed = Case("r.a", "should_match[1]", "a.textproto", 4);
  failed.outcome = JunitCase::kFailure;
  failed.message = "expected a match, got none";
  failed.details = "a.textproto:4: rule \"r.a\" ...";
  JunitCase error = Case("b.textproto", "compile", "", 0);
  error.outcome = JunitCase::kError;
  error.message = "does not compile";
  const std::string xml = RenderJunit(
      "watchword test", {{"a.textproto", {passed, failed}},
                         {"b.textproto", {error}}});
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"watchword test\" tests=\"3\" failures=\"1\" "
            "errors=\"1\">\n"
            "  <testsuite name=\"a.textproto\" tests=\"2\" failures=\"1\" "
            "errors=\"0\">\n"
            "    <testcase classname=\"r.a\" name=\"should_match[0]\" "
            "file=\"a.textproto\" line=\"3\"/>\n"
            "    <testcase classname=\"r.a\" name=\"should_match[1]\" "
            "file=\"a.textproto\" line=\"4\">\n"
            "      <failure message=\"expected a match, got none\">"
            "a.textproto:4: rule &quot;r.a&quot; ...</failure>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "  <testsuite name=\"b.textproto\" tests=\"1\" failures=\"0\" "
            "errors=\"1\">\n"
            "    <testcase classname=\"b.textproto\" name=\"compile\">\n"
            "      <error message=\"does not compile\"></error>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

}  // namespace
}  // namespace watchword
