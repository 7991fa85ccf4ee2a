// CSV and TSV input for `watchword scan`: a header row names the columns,
// and each later record becomes a ScanRequest.
#ifndef WATCHWORD_SRC_CLI_TABLE_PARSER_H_
#define WATCHWORD_SRC_CLI_TABLE_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/cli/request_parser.h"
#include "watchword/v1/context.pb.h"

namespace watchword {

// The shape of a table: CSV (RFC 4180: ',' between cells, a cell in double
// quotes may hold ',', '"' doubled as "" and line breaks) or TSV (a tab
// between cells, no quoting).
enum class TableKind {
  kCsv,  // Comma-separated, quoted cells.
  kTsv,  // Tab-separated.
};

// Splits one record into *cells (replacing them). Returns InvalidArgument
// for a CSV quote that does not close or is followed by other text.
absl::Status SplitTableRecord(absl::string_view record, TableKind kind,
                              std::vector<std::string>* cells);

// True if `record` (CSV) ends inside a quoted cell, so that the next line
// continues it.
bool EndsInsideQuotes(absl::string_view record);

// Parses the records of one table. Copyable; not thread-safe: one per
// thread.
class TableRequestParser {
 public:
  // Reads the header row. The id, text and context columns are the ones
  // named like RequestFormat's fields (whole names: a table has no paths);
  // the text column is required. Other columns are ignored, or errors if
  // `!format.ignore_unknown_fields`.
  //
  // Returns InvalidArgument if the header cannot be split, has no text
  // column, or (strict) has another column.
  static absl::StatusOr<TableRequestParser> Create(absl::string_view header,
                                                   TableKind kind,
                                                   const RequestFormat& format);

  // Parses one record into *request (replacing its contents): the id and
  // text cells as they are, the context cell (if not empty) as a
  // watchword.v1.Context in proto JSON.
  //
  // Returns InvalidArgument if the record cannot be split, has another
  // number of cells than the header, or its context cell is not a Context.
  // The message never quotes a cell.
  absl::Status Parse(absl::string_view record, v1::ScanRequest* request);

 private:
  TableRequestParser() = default;

  TableKind kind_ = TableKind::kCsv;
  size_t columns_ = 0;
  int id_ = -1;
  int text_ = -1;
  int context_ = -1;
  std::vector<std::string> cells_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_TABLE_PARSER_H_
