// Where each field of a loaded ruleset came from, so that diagnostics about
// an in-memory Ruleset can point at file:line:column.
#ifndef WATCHWORD_SRC_COMPILE_SOURCE_MAP_H_
#define WATCHWORD_SRC_COMPILE_SOURCE_MAP_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "watchword/v1/diagnostic.pb.h"

namespace watchword {

// A place in a ruleset file. `line` and `column` are 1-based (the column
// counts bytes); 0 means unknown.
struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

// A SourceMap records a SourceLocation for field paths of a Ruleset and
// answers, for any path, the location of its closest recorded ancestor.
//
// Field paths are proto field names joined by '.', with repeated elements
// written `name[i]` (0-based), e.g. "rules[3].match.any.exprs[1].term.regex"
// or "term_lists[0].terms[2].phrase". The empty path stands for the whole
// ruleset. Not thread-safe for writing; const methods may run concurrently.
class SourceMap {
 public:
  // Records `loc` for `field_path`, replacing an earlier record.
  void Add(std::string field_path, SourceLocation loc);

  // Stores in *loc the location of the longest recorded prefix of
  // `field_path`, cutting only at component boundaries: "rules[3].match" and
  // "rules" are prefixes of "rules[3].match.any", "rules[3" is not. Returns
  // false, leaving *loc alone, if no prefix (not even "") is recorded.
  bool Find(std::string_view field_path, SourceLocation* loc) const;

  // Fills file, line and column of *d from its field_path. Leaves *d alone
  // if it already names a file or no prefix of its path is recorded.
  void Annotate(v1::Diagnostic* d) const;

  // Number of recorded paths.
  size_t size() const { return locations_.size(); }

 private:
  absl::flat_hash_map<std::string, SourceLocation> locations_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_SOURCE_MAP_H_
