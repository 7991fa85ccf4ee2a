// Reading rulesets from files: protobuf text format or proto JSON, one file
// or a directory of them, with the location of every field.
#ifndef WATCHWORD_SRC_COMPILE_LOADER_H_
#define WATCHWORD_SRC_COMPILE_LOADER_H_

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "src/compile/source_map.h"
#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {

// Loads `path` into *ruleset (replacing its contents). `path` is a
// .textproto, .txtpb or .pbtxt file (protobuf text format), a .json file
// (proto JSON mapping), or a directory: its files with those extensions
// (not recursive, dot files skipped) are loaded in name order and merged,
// term lists and rules concatenated and custom fields unioned; name, version
// and description may each be set by at most one file.
//
// If `source_map` is non-null, records in it the location of every field
// that was set, under paths with the MERGED indices (the rules of the second
// file are numbered after those of the first), and the empty path -> `path`.
// If `diagnostics` is non-null, appends every problem found (codes WW0xx,
// see diagnostic_codes.h) with file, line and column.
//
// Returns NotFound if `path` does not exist, and InvalidArgument for any
// other problem (syntax errors, unknown extension, empty directory,
// unreadable file, conflicting names); the message is the first problem as
// "file:line:column: message", then " (and N more errors)" if there are
// more. On error *ruleset holds the files that parsed.
// The ruleset is not validated: see ValidateRuleset() (validator.h).
absl::Status LoadRulesetWithSource(std::string_view path, v1::Ruleset* ruleset,
                                   SourceMap* source_map,
                                   std::vector<v1::Diagnostic>* diagnostics);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_LOADER_H_
