#include "src/cli/report.h"

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "unicode/utf8.h"

namespace watchword {
namespace {

bool IsNumeric(absl::string_view cell) {
  if (cell.empty()) return true;
  absl::ConsumeSuffix(&cell, "%");
  return !cell.empty() && std::all_of(cell.begin(), cell.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '.' ||
           c == '-' || c == '+';
  });
}

// Display width of UTF-8 text: code points, which is right for the
// identifiers and numbers these tables hold.
size_t Width(absl::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

}  // namespace

std::string Table::Render(absl::string_view indent) const {
  size_t columns = 0;
  for (const auto& row : rows_) columns = std::max(columns, row.size());
  std::vector<size_t> widths(columns, 0);
  std::vector<bool> numeric(columns, true);
  for (size_t r = 0; r < rows_.size(); ++r) {
    for (size_t c = 0; c < rows_[r].size(); ++c) {
      widths[c] = std::max(widths[c], Width(rows_[r][c]));
      if (r > 0 && !IsNumeric(rows_[r][c])) numeric[c] = false;
    }
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line(indent);
    for (size_t c = 0; c < columns; ++c) {
      const std::string cell = c < row.size() ? row[c] : "";
      const std::string pad(widths[c] - Width(cell), ' ');
      if (c > 0) line.append("  ");
      if (numeric[c]) {
        absl::StrAppend(&line, pad, cell);
      } else {
        absl::StrAppend(&line, cell, pad);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "0.00%";
  return absl::StrFormat(
      "%.2f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string JsonQuote(absl::string_view text) {
  std::string out = "\"";
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char u = static_cast<unsigned char>(text[i]);
    if (u >= 0x80) {
      int32_t next = static_cast<int32_t>(i);
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), next,
              static_cast<int32_t>(text.size()), c);
      if (c < 0) {
        out.append("\\ufffd");  // Invalid UTF-8 would make invalid JSON.
        ++i;
      } else {
        out.append(text.data() + i, next - i);
        i = static_cast<size_t>(next);
      }
      continue;
    }
    switch (u) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          absl::StrAppendFormat(&out, "\\u%04x", u);
        } else {
          out.push_back(static_cast<char>(u));
        }
    }
    ++i;
  }
  out.push_back('"');
  return out;
}

absl::Status AppendReportJsonLine(const google::protobuf::Message& report,
                                  std::string* out) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status =
      google::protobuf::util::MessageToJsonString(report, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print the report as JSON: ",
                                            std::string(status.message())));
  }
  absl::StrAppend(out, json, "\n");
  return absl::OkStatus();
}

bool PrintReportJson(const google::protobuf::Message& report,
                     const std::string& command) {
  std::string json;
  const absl::Status status = AppendReportJsonLine(report, &json);
  if (!status.ok()) {
    std::fprintf(stderr, "watchword %s: %s\n", command.c_str(),
                 std::string(status.message()).c_str());
    return false;
  }
  std::fwrite(json.data(), 1, json.size(), stdout);
  return true;
}

v1::Mode EffectiveMode(v1::Mode mode) {
  return mode == v1::MODE_SHADOW ? v1::MODE_SHADOW : v1::MODE_ENFORCE;
}

std::string ModeName(v1::Mode mode) {
  return mode == v1::MODE_SHADOW ? "shadow" : "enforce";
}

std::string SeverityShortName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_LOW:
      return "low";
    case v1::SEVERITY_MEDIUM:
      return "medium";
    case v1::SEVERITY_HIGH:
      return "high";
    case v1::SEVERITY_CRITICAL:
      return "critical";
    default:
      return "none";
  }
}

std::string RequestText(const v1::ScanRequest& request) {
  std::string out = absl::Utf8SafeCEscape(request.text());
  for (const v1::TextField& field : request.fields()) {
    if (!out.empty()) out.append(" | ");
    absl::StrAppend(&out, field.name(), ": ",
                    absl::Utf8SafeCEscape(field.text()));
  }
  return out;
}

}  // namespace watchword
