#include "src/cli/junit.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

const char* Tag(JunitCase::Outcome outcome) {
  return outcome == JunitCase::kError ? "error" : "failure";
}

}  // namespace

std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char u = static_cast<unsigned char>(text[i]);
    if (u >= 0x80) {
      // A byte that starts no well-formed sequence becomes one U+FFFD.
      int32_t next = static_cast<int32_t>(i);
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), next,
              static_cast<int32_t>(text.size()), c);
      if (c < 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD
        ++i;
      } else {
        // U+FFFE and U+FFFF are not XML characters.
        if (c != 0xFFFE && c != 0xFFFF) out.append(text.data() + i, next - i);
        i = static_cast<size_t>(next);
      }
      continue;
    }
    switch (u) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&apos;"); break;
      case '\t': out.append("&#9;"); break;
      case '\n': out.append("&#10;"); break;
      case '\r': out.append("&#13;"); break;
      default:
        if (u >= 0x20) out.push_back(static_cast<char>(u));
    }
    ++i;
  }
  return out;
}

std::string RenderJunit(absl::string_view name,
                        const std::vector<JunitSuite>& suites) {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  std::string body;
  for (const JunitSuite& suite : suites) {
    int suite_failures = 0;
    int suite_errors = 0;
    std::string cases;
    for (const JunitCase& c : suite.cases) {
      absl::StrAppend(&cases, "    <testcase classname=\"",
                      XmlEscape(c.classname), "\" name=\"", XmlEscape(c.name),
                      "\"");
      if (!c.file.empty()) {
        absl::StrAppend(&cases, " file=\"", XmlEscape(c.file), "\"");
      }
      if (c.line > 0) absl::StrAppend(&cases, " line=\"", c.line, "\"");
      if (c.outcome == JunitCase::kPassed) {
        cases.append("/>\n");
        continue;
      }
      ++(c.outcome == JunitCase::kError ? suite_errors : suite_failures);
      absl::StrAppend(&cases, ">\n      <", Tag(c.outcome), " message=\"",
                      XmlEscape(c.message), "\">", XmlEscape(c.details), "</",
                      Tag(c.outcome), ">\n    </testcase>\n");
    }
    absl::StrAppend(&body, "  <testsuite name=\"", XmlEscape(suite.name),
                    "\" tests=\"", suite.cases.size(), "\" failures=\"",
                    suite_failures, "\" errors=\"", suite_errors, "\">\n",
                    cases, "  </testsuite>\n");
    tests += static_cast<int>(suite.cases.size());
    failures += suite_failures;
    errors += suite_errors;
  }
  return absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                      "<testsuites name=\"", XmlEscape(name), "\" tests=\"",
                      tests, "\" failures=\"", failures, "\" errors=\"",
                      errors, "\">\n", body, "</testsuites>\n");
}

}  // namespace watchword
