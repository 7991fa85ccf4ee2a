// Where a ruleset's rules and examples are written, for `watchword test`
// reports. Re-derived from the text format files with protobuf's
// ParseInfoTree, since LoadRuleset() returns only the merged ruleset.
#ifndef WATCHWORD_SRC_CLI_EXAMPLE_LOCATIONS_H_
#define WATCHWORD_SRC_CLI_EXAMPLE_LOCATIONS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/text_format.h"

namespace watchword {

// Maps rule ids (of rules and conversation rules alike) to "file:line" of
// the rule and of each of its examples.
// Rule ids are unique in a valid ruleset, so the map does not depend on the
// order in which a directory's files are merged. Immutable once built.
class ExampleLocations {
 public:
  // Reads the text format files of `path`, a file or a directory taken the
  // way LoadRuleset() takes it (not recursive, dot files skipped). JSON
  // files and files that do not parse contribute nothing; locations are a
  // convenience, so this never fails.
  static ExampleLocations Find(const std::string& path);

  // Returns "file:line" of the rule `rule_id`, or "" if unknown.
  std::string Rule(absl::string_view rule_id) const;

  // Returns "file:line" of the `index`th (0-based) `should_match` example
  // of the rule `rule_id`, or of its `should_not_match` example if
  // `should_match` is false; "" if unknown.
  std::string Example(absl::string_view rule_id, bool should_match,
                      int index) const;

 private:
  struct RuleLocations {
    std::string rule;
    std::vector<std::string> should_match;
    std::vector<std::string> should_not_match;
  };

  // Adds the locations found in one text format file.
  void AddFile(const std::string& file);

  // Adds the locations of `rules`, the Ruleset field `field_name` (rules or
  // conversation_rules) of the file parsed into `tree`.
  template <typename RuleType>
  void AddRules(const std::string& file,
                const google::protobuf::TextFormat::ParseInfoTree& tree,
                const google::protobuf::RepeatedPtrField<RuleType>& rules,
                const char* field_name);

  absl::flat_hash_map<std::string, RuleLocations> rules_;
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_CLI_EXAMPLE_LOCATIONS_H_
