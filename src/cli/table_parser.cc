#include "src/cli/table_parser.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace watchword {
namespace {

absl::Status BadRecord(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("record is not a table row: ",
                                                 why));
}

// A column name is shown in a message only if it looks like one.
std::string Shown(absl::string_view name) {
  if (name.empty() || name.size() > 64) return "(name not shown)";
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return "(name not shown)";
    }
  }
  return absl::StrCat("\"", name, "\"");
}

}  // namespace

bool EndsInsideQuotes(absl::string_view record) {
  bool inside = false;
  for (char c : record) {
    if (c == '"') inside = !inside;  // "" inside quotes flips twice.
  }
  return inside;
}

absl::Status SplitTableRecord(absl::string_view record, TableKind kind,
                              std::vector<std::string>* cells) {
  cells->clear();
  if (kind == TableKind::kTsv) {
    size_t start = 0;
    while (true) {
      const size_t tab = record.find('\t', start);
      cells->emplace_back(record.substr(start, tab - start));
      if (tab == absl::string_view::npos) return absl::OkStatus();
      start = tab + 1;
    }
  }
  size_t i = 0;
  while (true) {
    std::string& cell = cells->emplace_back();
    if (i < record.size() && record[i] == '"') {
      ++i;
      while (true) {
        const size_t quote = record.find('"', i);
        if (quote == absl::string_view::npos) {
          return BadRecord("a quoted cell does not close");
        }
        cell.append(record.data() + i, quote - i);
        i = quote + 1;
        if (i < record.size() && record[i] == '"') {
          cell.push_back('"');
          ++i;
          continue;
        }
        break;
      }
      if (i < record.size() && record[i] != ',') {
        return BadRecord("text after a quoted cell");
      }
    } else {
      const size_t comma = record.find(',', i);
      const size_t end = comma == absl::string_view::npos ? record.size() : comma;
      cell.assign(record.data() + i, end - i);
      i = end;
    }
    if (i >= record.size()) return absl::OkStatus();
    ++i;  // The ','.
  }
}

absl::StatusOr<TableRequestParser> TableRequestParser::Create(
    absl::string_view header, TableKind kind, const RequestFormat& format) {
  TableRequestParser parser;
  parser.kind_ = kind;
  std::vector<std::string> names;
  if (absl::Status status = SplitTableRecord(header, kind, &names);
      !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header row: ", status.message()));
  }
  parser.columns_ = names.size();
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string name(absl::StripAsciiWhitespace(names[i]));
    const int column = static_cast<int>(i);
    if (name == format.id_field && parser.id_ < 0) {
      parser.id_ = column;
    } else if (name == format.text_field && parser.text_ < 0) {
      parser.text_ = column;
    } else if (name == format.context_field && parser.context_ < 0) {
      parser.context_ = column;
    } else if (!format.ignore_unknown_fields) {
      return absl::InvalidArgumentError(
          absl::StrCat("header row: unknown column ", Shown(name)));
    }
  }
  if (parser.text_ < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "header row: no column ", Shown(format.text_field),
        " (see --text_field)"));
  }
  return parser;
}

absl::Status TableRequestParser::Parse(absl::string_view record,
                                       v1::ScanRequest* request) {
  request->Clear();
  if (absl::Status status = SplitTableRecord(record, kind_, &cells_);
      !status.ok()) {
    return status;
  }
  if (cells_.size() != columns_) {
    return BadRecord(absl::StrCat(cells_.size(), " cells; the header has ",
                                  columns_));
  }
  if (id_ >= 0) request->set_id(std::move(cells_[id_]));
  request->set_text(std::move(cells_[text_]));
  if (context_ >= 0 && !cells_[context_].empty()) {
    google::protobuf::util::JsonParseOptions options;
    auto status = google::protobuf::util::JsonStringToMessage(
        cells_[context_], request->mutable_context(), options);
    if (!status.ok()) {
      request->Clear();
      // Protobuf's messages may quote the cell: only the code is kept.
      return BadRecord("the context cell is not a watchword.v1.Context");
    }
  }
  return absl::OkStatus();
}

}  // namespace watchword
