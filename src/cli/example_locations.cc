#include "src/cli/example_locations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::TextFormat;

bool IsTextFormat(const fs::path& file) {
  const std::string ext = file.extension().string();
  return ext == ".textproto" || ext == ".txtpb" || ext == ".pbtxt";
}

// Swallows syntax errors: the compiler reports them, with better messages.
class IgnoreErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

// "file:line" of a field recorded in `tree`, or "" if it was not.
std::string At(const std::string& file, const TextFormat::ParseInfoTree* tree,
               const FieldDescriptor* field, int index) {
  if (tree == nullptr) return "";
  TextFormat::ParseLocation location = tree->GetLocation(field, index);
  if (location.line < 0) return "";
  return absl::StrCat(file, ":", location.line + 1);
}

}  // namespace

ExampleLocations ExampleLocations::Find(const std::string& path) {
  ExampleLocations locations;
  std::error_code error;
  if (!fs::is_directory(path, error)) {
    if (IsTextFormat(path)) locations.AddFile(path);
    return locations;
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    std::error_code ignored;
    if (name.empty() || name[0] == '.' || !it->is_regular_file(ignored) ||
        !IsTextFormat(name)) {
      continue;
    }
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  // Named the way the loader names them in diagnostics.
  for (const std::string& name : names) {
    locations.AddFile((fs::path(path) / name).string());
  }
  return locations;
}

void ExampleLocations::AddFile(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return;
  std::ostringstream text;
  text << in.rdbuf();

  v1::Ruleset ruleset;
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  IgnoreErrors ignore;
  parser.RecordErrorsTo(&ignore);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text.str(), &ruleset)) return;

  AddRules(file, tree, ruleset.rules(), "rules");
  AddRules(file, tree, ruleset.conversation_rules(), "conversation_rules");
}

template <typename RuleType>
void ExampleLocations::AddRules(
    const std::string& file, const TextFormat::ParseInfoTree& tree,
    const google::protobuf::RepeatedPtrField<RuleType>& rules,
    const char* field_name) {
  const auto* rule_type = RuleType::descriptor();
  const FieldDescriptor* rules_field =
      v1::Ruleset::descriptor()->FindFieldByName(field_name);
  const FieldDescriptor* should_match_field =
      rule_type->FindFieldByName("should_match");
  const FieldDescriptor* should_not_match_field =
      rule_type->FindFieldByName("should_not_match");
  for (int i = 0; i < rules.size(); ++i) {
    const RuleType& rule = rules[i];
    // A duplicate id is a compile error; keep the first, as the validator
    // reports the second.
    if (rule.id().empty() || rules_.contains(rule.id())) continue;
    RuleLocations& out = rules_[rule.id()];
    out.rule = At(file, &tree, rules_field, i);
    const TextFormat::ParseInfoTree* rule_tree =
        tree.GetTreeForNested(rules_field, i);
    for (int j = 0; j < rule.should_match_size(); ++j) {
      out.should_match.push_back(At(file, rule_tree, should_match_field, j));
    }
    for (int j = 0; j < rule.should_not_match_size(); ++j) {
      out.should_not_match.push_back(
          At(file, rule_tree, should_not_match_field, j));
    }
  }
}

std::string ExampleLocations::Rule(absl::string_view rule_id) const {
  auto it = rules_.find(rule_id);
  return it == rules_.end() ? "" : it->second.rule;
}

std::string ExampleLocations::Example(absl::string_view rule_id,
                                      bool should_match, int index) const {
  auto it = rules_.find(rule_id);
  if (it == rules_.end()) return "";
  const std::vector<std::string>& examples =
      should_match ? it->second.should_match : it->second.should_not_match;
  if (index < 0 || index >= static_cast<int>(examples.size())) return "";
  return examples[index];
}

}  // namespace watchword
