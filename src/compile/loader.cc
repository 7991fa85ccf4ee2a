#include "src/compile/loader.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "src/compile/diagnostic_codes.h"
#include "src/compile/library_message.h"
#include "src/engine/ruleset_limits.h"

namespace watchword {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;
using ::google::protobuf::TextFormat;

// A field path of one file (indices local to that file) and where it is.
struct Located {
  std::string path;
  uint32_t line = 0;    // 1-based.
  uint32_t column = 0;  // 1-based, in bytes.
};

// Everything loading one file produced.
struct LoadedFile {
  std::string file;  // As it goes into Diagnostic.file.
  v1::Ruleset ruleset;
  std::vector<Located> locations;
};

v1::Diagnostic MakeDiagnostic(const char* code, std::string message,
                              std::string file, uint32_t line = 0,
                              uint32_t column = 0) {
  v1::Diagnostic d;
  d.set_severity(v1::Diagnostic::SEVERITY_ERROR);
  d.set_code(code);
  // Protobuf's messages may quote bytes of the file, and a path may be any
  // bytes; Diagnostic's strings must be valid UTF-8.
  d.set_message(ValidUtf8(message));
  d.set_file(ValidUtf8(file));
  d.set_line(line);
  d.set_column(column);
  return d;
}


// Maps between byte offsets, protobuf's (line, column) and ours.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  // 0-based line of byte `offset`.
  size_t LineOf(size_t offset) const {
    return static_cast<size_t>(
        std::upper_bound(starts_.begin(), starts_.end(), offset) -
        starts_.begin() - 1);
  }

  size_t LineStart(size_t line) const { return starts_[line]; }
  size_t LineCount() const { return starts_.size(); }

  // 1-based line and byte column of byte `offset`.
  void FromOffset(size_t offset, uint32_t* line, uint32_t* column) const {
    size_t l = LineOf(offset);
    *line = static_cast<uint32_t>(l + 1);
    *column = static_cast<uint32_t>(offset - starts_[l] + 1);
  }

  // Converts protobuf's 0-based line and column, where a tab advances the
  // column to the next multiple of 8, to our 1-based line and byte column.
  void FromProtobuf(int pb_line, int pb_column, uint32_t* line,
                    uint32_t* column) const {
    *line = static_cast<uint32_t>(pb_line + 1);
    *column = static_cast<uint32_t>(pb_column + 1);
    if (pb_line < 0 || static_cast<size_t>(pb_line) >= starts_.size()) return;
    size_t i = starts_[pb_line];
    int visual = 0;
    while (i < text_.size() && text_[i] != '\n' && visual < pb_column) {
      visual = text_[i] == '\t' ? visual + 8 - visual % 8 : visual + 1;
      ++i;
    }
    *column = static_cast<uint32_t>(i - starts_[pb_line] +
                                    std::max(0, pb_column - visual) + 1);
  }

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

// ---------------------------------------------------------------- text format

struct SyntaxError {
  int line;    // Protobuf's: 0-based.
  int column;  // Protobuf's: 0-based, tabs expanded.
  std::string message;
};

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  CollectErrors(std::vector<SyntaxError>* errors, int line_offset)
      : errors_(errors), line_offset_(line_offset) {}

  void AddError(int line, int column, const std::string& message) override {
    errors_->push_back({line + line_offset_, column, message});
  }

 private:
  std::vector<SyntaxError>* errors_;
  int line_offset_;
};

// Returns the offsets where top-level fields start, by a rough tokenizer
// that knows strings, comments and brackets. Good enough to cut a broken
// file into independently parsable pieces.
std::vector<size_t> TopLevelFieldStarts(std::string_view text) {
  std::vector<size_t> starts;
  int depth = 0;
  bool after_colon = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i < text.size() && text[i] == c) ++i;
      after_colon = false;
    } else if (c == '{' || c == '<' || c == '[') {
      // `[ext.name] { ... }` at the top level starts a field; `a: [...]`
      // does not.
      if (depth == 0 && c == '[' && !after_colon) starts.push_back(i);
      ++depth;
      ++i;
      after_colon = false;
    } else if (c == '}' || c == '>' || c == ']') {
      depth = std::max(0, depth - 1);
      ++i;
      after_colon = false;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
               c == '-' || c == '.' || c == '+') {
      size_t begin = i;
      while (i < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[i])) ||
              text[i] == '_' || text[i] == '-' || text[i] == '.' ||
              text[i] == '+')) {
        ++i;
      }
      bool identifier = std::isalpha(static_cast<unsigned char>(c)) || c == '_';
      if (depth == 0 && identifier && !after_colon) starts.push_back(begin);
      after_colon = false;
    } else {
      after_colon = c == ':';
      ++i;
    }
  }
  return starts;
}

// Parses `text` with protobuf's parser; appends syntax errors, with lines
// shifted by `line_offset`.
bool ParseText(std::string_view text, int line_offset, v1::Ruleset* ruleset,
               TextFormat::ParseInfoTree* tree,
               std::vector<SyntaxError>* errors) {
  TextFormat::Parser parser;
  // Protobuf's text parser recurses once per nested message, and by
  // default without limit: a few thousand levels overflow the stack.
  parser.SetRecursionLimit(kMaxMessageDepth);
  CollectErrors collector(errors, line_offset);
  parser.RecordErrorsTo(&collector);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  return parser.Parse(&input, ruleset);
}

// Protobuf's text parser stops at the first error. To report more, parse
// each top-level field on its own: errors in different rules are
// independent. Each piece keeps its line and column: it is prefixed by
// its line's preceding bytes, blanked (tabs kept, so protobuf's tab-expanded
// columns still match the original line).
void CollectMoreErrors(std::string_view text, const LineIndex& lines,
                       std::vector<SyntaxError>* errors) {
  std::vector<size_t> starts = TopLevelFieldStarts(text);
  if (starts.size() < 2) return;
  starts[0] = 0;
  starts.push_back(text.size());
  for (size_t k = 0; k + 1 < starts.size(); ++k) {
    size_t line = lines.LineOf(starts[k]);
    size_t line_start = lines.LineStart(line);
    std::string piece;
    for (size_t i = line_start; i < starts[k]; ++i) {
      piece.push_back(text[i] == '\t' ? '\t' : ' ');
    }
    piece.append(text.substr(starts[k], starts[k + 1] - starts[k]));
    v1::Ruleset scratch;
    ParseText(piece, static_cast<int>(line), &scratch, nullptr, errors);
  }
}

// Appends the location of every set field of `message`, as recorded in
// `tree` (which may be null), under `prefix`. Fields without a recorded
// location (elements after the first of `name: [a, b]`, or anything under a
// message without a tree) inherit the nearest location before them.
void RecordTree(const Message& message, const TextFormat::ParseInfoTree* tree,
                const std::string& prefix, const LineIndex& lines,
                Located inherited, std::vector<Located>* out) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    int count =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    Located previous = inherited;
    for (int i = 0; i < count; ++i) {
      int index = field->is_repeated() ? i : -1;
      Located here = previous;
      here.path = field->is_repeated()
                      ? absl::StrCat(prefix, field->name(), "[", i, "]")
                      : absl::StrCat(prefix, field->name());
      if (tree != nullptr) {
        TextFormat::ParseLocation loc = tree->GetLocation(field, index);
        if (loc.line >= 0) {
          lines.FromProtobuf(loc.line, loc.column, &here.line, &here.column);
        }
      }
      if (field->is_repeated() && i == 0) {
        out->push_back(here);
        out->back().path = absl::StrCat(prefix, field->name());
      }
      out->push_back(here);
      previous = here;
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      const Message& child =
          field->is_repeated()
              ? reflection->GetRepeatedMessage(message, field, i)
              : reflection->GetMessage(message, field);
      const TextFormat::ParseInfoTree* child_tree =
          tree != nullptr ? tree->GetTreeForNested(field, index) : nullptr;
      RecordTree(child, child_tree, here.path + ".", lines, here, out);
    }
  }
}

// Protobuf reports an unknown field or enum value at the token after it,
// which may be on a later line; point at the name itself.
void PointAtName(std::string_view text, const LineIndex& lines,
                 const std::string& message, uint32_t* line, uint32_t* column) {
  static constexpr std::string_view kAfter[] = {
      "has no field named \"", "Unknown enumeration value of \""};
  for (std::string_view after : kAfter) {
    size_t begin = message.find(after);
    if (begin == std::string::npos) continue;
    begin += after.size();
    size_t end = message.find('"', begin);
    if (end == std::string::npos || *line == 0 || *line > lines.LineCount()) {
      return;
    }
    std::string_view name =
        std::string_view(message).substr(begin, end - begin);
    size_t offset = std::min(
        text.size(), lines.LineStart(*line - 1) + std::max(*column, 1u) - 1);
    size_t at = text.substr(0, offset).rfind(name);
    if (at != std::string_view::npos) lines.FromOffset(at, line, column);
    return;
  }
}

bool LoadTextFile(std::string_view text, LoadedFile* loaded,
                  std::vector<v1::Diagnostic>* problems) {
  LineIndex lines(text);
  TextFormat::ParseInfoTree tree;
  std::vector<SyntaxError> errors;
  if (!ParseText(text, 0, &loaded->ruleset, &tree, &errors)) {
    CollectMoreErrors(text, lines, &errors);
    std::stable_sort(errors.begin(), errors.end(),
                     [](const SyntaxError& a, const SyntaxError& b) {
                       return std::tie(a.line, a.column) <
                              std::tie(b.line, b.column);
                     });
    for (size_t i = 0; i < errors.size(); ++i) {
      const SyntaxError& e = errors[i];
      if (i > 0 && e.line == errors[i - 1].line &&
          e.column == errors[i - 1].column &&
          e.message == errors[i - 1].message) {
        continue;
      }
      uint32_t line, column;
      lines.FromProtobuf(e.line, e.column, &line, &column);
      PointAtName(text, lines, e.message, &line, &column);
      problems->push_back(MakeDiagnostic(kSyntaxError, LibraryMessage(e.message),
                                         loaded->file, line, column));
    }
    if (errors.empty()) {  // Not expected; never fail silently.
      problems->push_back(
          MakeDiagnostic(kSyntaxError, "cannot parse", loaded->file));
    }
    return false;
  }
  RecordTree(loaded->ruleset, &tree, "", lines, Located{}, &loaded->locations);
  return true;
}

// ---------------------------------------------------------------- JSON

// Walks JSON text alongside the message descriptors to find where each
// field path is: protobuf's JSON parser keeps no locations. Also finds the
// first syntax error. Unknown keys are recorded under their JSON name, so
// that protobuf's "(rules[0]) foo: Cannot find field" can be placed.
class JsonLocator {
 public:
  JsonLocator(std::string_view text, const LineIndex& lines,
              std::vector<Located>* out)
      : text_(text), lines_(lines), out_(out) {}

  // True if Walk() failed because the text nests too deep.
  bool too_deep() const { return too_deep_; }

  // Returns false at the first syntax error, with its offset in *error_at.
  bool Walk(const Descriptor* root, size_t* error_at) {
    SkipSpace();
    bool ok = Value(root, "") && (SkipSpace(), pos_ == text_.size());
    *error_at = pos_;
    return ok;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }

  bool Consume(char c) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  void Record(const std::string& path, size_t offset) {
    Located loc;
    loc.path = path;
    lines_.FromOffset(offset, &loc.line, &loc.column);
    out_->push_back(std::move(loc));
  }

  // Reads a string at pos_ into *s (escapes kept as written: keys and
  // rule ids rarely have any).
  bool String(std::string* s) {
    if (pos_ >= text_.size() || text_[pos_] != '"') return false;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (++pos_ >= text_.size()) return false;
        s->push_back('\\');
        c = text_[pos_];
      }
      s->push_back(c);
    }
    return false;
  }

  static const FieldDescriptor* FindField(const Descriptor* type,
                                          const std::string& key) {
    if (type == nullptr) return nullptr;
    const FieldDescriptor* field = type->FindFieldByName(key);
    for (int i = 0; field == nullptr && i < type->field_count(); ++i) {
      if (type->field(i)->json_name() == key) field = type->field(i);
    }
    return field;
  }

  // A value at pos_. `type` is the message type if the value should be a
  // message object; `path` is where it lives ("" for the root).
  bool Value(const Descriptor* type, const std::string& path) {
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    char c = text_[pos_];
    if (c == '{') return Nested(&JsonLocator::Object, type, path);
    if (c == '[') return Nested(&JsonLocator::Array, nullptr, path);
    if (c == '"') {
      std::string ignored;
      return String(&ignored);
    }
    size_t begin = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
            text_[pos_] == '-' || text_[pos_] == '+' || text_[pos_] == '.')) {
      ++pos_;
    }
    return pos_ > begin;
  }

  bool Object(const Descriptor* type, const std::string& path) {
    ++pos_;  // '{'
    if (Consume('}')) return true;
    std::string prefix = path.empty() ? "" : path + ".";
    do {
      SkipSpace();
      size_t key_at = pos_;
      std::string key;
      if (!String(&key) || !Consume(':')) return false;
      const FieldDescriptor* field = FindField(type, key);
      std::string child = prefix + (field != nullptr ? field->name() : key);
      Record(child, key_at);
      SkipSpace();
      bool message = field != nullptr &&
                     field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                     !field->is_map();
      if (field != nullptr && field->is_repeated() && !field->is_map() &&
          pos_ < text_.size() && text_[pos_] == '[') {
        if (!Nested(&JsonLocator::Array,
                    message ? field->message_type() : nullptr, child)) {
          return false;
        }
      } else if (!Value(message ? field->message_type() : nullptr, child)) {
        return false;
      }
    } while (Consume(','));
    return Consume('}');
  }

  // An array; its elements are recorded as path[i] if `type` or the
  // elements are those of a repeated field (`path` non-empty).
  bool Array(const Descriptor* type, const std::string& path) {
    ++pos_;  // '['
    if (Consume(']')) return true;
    int index = 0;
    do {
      SkipSpace();
      std::string element = absl::StrCat(path, "[", index++, "]");
      Record(element, pos_);
      if (!Value(type, element)) return false;
    } while (Consume(','));
    return Consume(']');
  }

  // Object() or Array(), one level deeper. A message kMaxMessageDepth deep
  // nests at most twice as many JSON values (an object, and an array for a
  // repeated field, per level); deeper text is an error here, at its place,
  // before the recursion can exhaust the stack.
  bool Nested(bool (JsonLocator::*walk)(const Descriptor*, const std::string&),
              const Descriptor* type, const std::string& path) {
    const bool object = walk == &JsonLocator::Object;
    // Protobuf's JSON parser counts objects, from 1 at the root; fail where
    // it fails, so that its error has a place.
    if (objects_ > kMaxMessageDepth || depth_ >= 2 * kMaxMessageDepth + 1) {
      too_deep_ = true;
      return false;
    }
    ++depth_;
    objects_ += object;
    bool ok = (this->*walk)(type, path);
    objects_ -= object;
    --depth_;
    return ok;
  }

  std::string_view text_;
  const LineIndex& lines_;
  std::vector<Located>* out_;
  size_t pos_ = 0;
  int depth_ = 0;    // Objects and arrays open at pos_.
  int objects_ = 0;  // Objects open at pos_.
  bool too_deep_ = false;
};

// Reads "(rules[0].action): invalid value ..." or "(rules[0]) foo: Cannot
// find field." into a field path and the rest.
void SplitJsonError(std::string message, std::string* path, std::string* rest) {
  if (message.empty() || message[0] != '(') {
    // An error at the root has an empty path: ": Root element must be...".
    size_t begin = message.find_first_not_of(": ");
    *rest = begin == std::string::npos ? "" : message.substr(begin);
    return;
  }
  size_t close = message.find(')');
  if (close == std::string::npos) {
    *rest = std::move(message);
    return;
  }
  *path = message.substr(1, close - 1);
  size_t begin = close + 1;
  while (begin < message.size() &&
         (message[begin] == ':' || message[begin] == ' ')) {
    ++begin;
  }
  *rest = message.substr(begin);
}

bool LoadJsonFile(std::string_view text, LoadedFile* loaded,
                  std::vector<v1::Diagnostic>* problems) {
  LineIndex lines(text);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &loaded->ruleset,
      options);
  std::vector<Located> located;
  JsonLocator locator(text, lines, &located);
  size_t error_at = 0;
  bool walked = locator.Walk(v1::Ruleset::descriptor(), &error_at);
  if (status.ok()) {
    loaded->locations = std::move(located);
    return true;
  }
  // Protobuf's message: first line is the error, the rest a text excerpt.
  std::string message(status.message());
  message = message.substr(0, message.find('\n'));
  std::string path, rest;
  SplitJsonError(message, &path, &rest);
  std::string key;
  static constexpr std::string_view kCannotFind = ": Cannot find field";
  if (size_t at = rest.find(kCannotFind); at != std::string::npos) {
    key = rest.substr(0, at);
    rest = absl::StrCat("unknown field \"", key, "\"");
  }
  if (!walked && locator.too_deep()) {
    path.clear();
    rest = absl::StrCat("message is too deep: more than ", kMaxMessageDepth,
                        " nested messages");
  }
  uint32_t line = 0, column = 0;
  if (!walked) {
    lines.FromOffset(std::min(error_at, text.size()), &line, &column);
  } else {
    // The path protobuf names, or the unknown key inside it.
    std::string wanted = path;
    if (!key.empty())
      wanted = path.empty() ? key : absl::StrCat(path, ".", key);
    for (const std::string& candidate : {wanted, path}) {
      auto it =
          std::find_if(located.begin(), located.end(),
                       [&](const Located& l) { return l.path == candidate; });
      if (it != located.end()) {
        line = it->line;
        column = it->column;
        break;
      }
    }
  }
  problems->push_back(MakeDiagnostic(
      kSyntaxError,
      path.empty() ? LibraryMessage(rest) : absl::StrCat(path, ": ", LibraryMessage(rest)),
      loaded->file, line, column));
  return false;
}

// ---------------------------------------------------------------- files

enum class Format { kText, kJson, kUnknown };

Format FormatOf(const fs::path& file) {
  std::string ext = file.extension().string();
  if (ext == ".textproto" || ext == ".txtpb" || ext == ".pbtxt") {
    return Format::kText;
  }
  if (ext == ".json") return Format::kJson;
  return Format::kUnknown;
}

bool ReadFile(const std::string& file, std::string* text) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return false;
  *text = std::move(contents).str();
  return true;
}

// Merges loaded files into one ruleset and moves their locations into the
// SourceMap under merged indices.
class Merger {
 public:
  Merger(v1::Ruleset* ruleset, SourceMap* source_map)
      : ruleset_(ruleset), source_map_(source_map) {}

  void Add(LoadedFile* file, std::vector<v1::Diagnostic>* problems) {
    v1::Ruleset& part = file->ruleset;
    bool owns[3] = {false, false, false};
    const std::string* values[3] = {&part.name(), &part.version(),
                                    &part.description()};
    for (int h = 0; h < 3; ++h) {
      if (values[h]->empty()) continue;
      if (header_owner_[h].empty()) {
        header_owner_[h] = file->file;
        owns[h] = true;
        continue;
      }
      v1::Diagnostic d = MakeDiagnostic(
          kConflictingHeader,
          absl::StrCat(kHeaderFields[h], " is set in both \"", header_owner_[h],
                       "\" and \"", file->file, "\""),
          file->file);
      d.set_field_path(kHeaderFields[h]);
      for (const Located& loc : file->locations) {
        if (loc.path == kHeaderFields[h]) {
          d.set_line(loc.line);
          d.set_column(loc.column);
        }
      }
      problems->push_back(std::move(d));
    }
    if (owns[0]) ruleset_->set_name(part.name());
    if (owns[1]) ruleset_->set_version(part.version());
    if (owns[2]) ruleset_->set_description(part.description());
    // Normalization is ruleset-wide too: one file may set it.
    bool owns_normalization = false;
    if (part.has_normalization()) {
      if (normalization_owner_.empty()) {
        normalization_owner_ = file->file;
        owns_normalization = true;
        *ruleset_->mutable_normalization() = part.normalization();
      } else {
        v1::Diagnostic d = MakeDiagnostic(
            kConflictingHeader,
            absl::StrCat("normalization is set in both \"",
                         normalization_owner_, "\" and \"", file->file, "\""),
            file->file);
        d.set_field_path("normalization");
        problems->push_back(std::move(d));
      }
    }

    const int term_list_offset = ruleset_->term_lists_size();
    const int rule_offset = ruleset_->rules_size();
    const int conversation_rule_offset = ruleset_->conversation_rules_size();
    const bool first_custom = ruleset_->custom_fields_size() == 0;
    // Custom fields are unioned across files; repeats within one file stay,
    // for the validator to report.
    std::vector<int> custom_index;
    for (const std::string& name : part.custom_fields()) {
      if (earlier_custom_fields_.contains(name)) {
        custom_index.push_back(-1);
      } else {
        custom_index.push_back(ruleset_->custom_fields_size());
        ruleset_->add_custom_fields(name);
      }
    }
    for (const std::string& name : part.custom_fields()) {
      earlier_custom_fields_.insert(name);
    }
    for (v1::TermList& list : *part.mutable_term_lists()) {
      *ruleset_->add_term_lists() = std::move(list);
    }
    for (v1::Rule& rule : *part.mutable_rules()) {
      *ruleset_->add_rules() = std::move(rule);
    }
    for (v1::ConversationRule& rule : *part.mutable_conversation_rules()) {
      *ruleset_->add_conversation_rules() = std::move(rule);
    }

    if (source_map_ == nullptr) return;
    for (Located& loc : file->locations) {
      std::string_view path = loc.path;
      size_t name_end = std::min(path.find('.'), path.find('['));
      std::string_view name = path.substr(0, name_end);
      std::string_view rest =
          name_end == std::string_view::npos ? "" : path.substr(name_end);
      bool keep = true;
      if (name == "name" || name == "version" || name == "description") {
        keep = owns[name == "name" ? 0 : name == "version" ? 1 : 2];
      } else if (name == "normalization") {
        keep = owns_normalization;
      } else if (name == "term_lists" || name == "rules" ||
                 name == "conversation_rules" || name == "custom_fields") {
        if (rest.empty() || rest[0] != '[') {
          // The repeated field itself: the first file to use it has it.
          keep = name == "term_lists" ? term_list_offset == 0
                 : name == "rules"    ? rule_offset == 0
                 : name == "conversation_rules"
                     ? conversation_rule_offset == 0
                     : first_custom;
        } else {
          size_t close = rest.find(']');
          int index = std::stoi(std::string(rest.substr(1, close - 1)));
          if (name == "term_lists") {
            index += term_list_offset;
          } else if (name == "rules") {
            index += rule_offset;
          } else if (name == "conversation_rules") {
            index += conversation_rule_offset;
          } else {
            index = custom_index[index];
          }
          keep = index >= 0;
          std::string_view tail = rest.substr(close + 1);
          loc.path = absl::StrCat(absl::string_view(name.data(), name.size()),
                                  "[", index, "]",
                                  absl::string_view(tail.data(), tail.size()));
        }
      }
      if (keep) {
        source_map_->Add(std::move(loc.path),
                         SourceLocation{file->file, loc.line, loc.column});
      }
    }
  }

 private:
  static constexpr const char* kHeaderFields[3] = {"name", "version",
                                                   "description"};
  v1::Ruleset* ruleset_;
  SourceMap* source_map_;
  std::string header_owner_[3];
  std::string normalization_owner_;
  absl::flat_hash_set<std::string> earlier_custom_fields_;
};

// Loads one file of a known format and merges it.
void LoadFile(const std::string& file, Format format, Merger* merger,
              std::vector<v1::Diagnostic>* problems) {
  std::string text;
  if (!ReadFile(file, &text)) {
    problems->push_back(MakeDiagnostic(kReadError, "cannot read file", file));
    return;
  }
  LoadedFile loaded;
  loaded.file = file;
  bool ok = format == Format::kJson ? LoadJsonFile(text, &loaded, problems)
                                    : LoadTextFile(text, &loaded, problems);
  if (ok) merger->Add(&loaded, problems);
}

// Loads `path`; returns false if it does not exist.
bool LoadPath(const std::string& path, Merger* merger,
              std::vector<v1::Diagnostic>* problems) {
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) {
    problems->push_back(
        MakeDiagnostic(kPathNotFound, "no such file or directory", path));
    return false;
  }
  if (status.type() == fs::file_type::none) {
    problems->push_back(MakeDiagnostic(
        kReadError, absl::StrCat("cannot access: ", LibraryMessage(error.message())),
        path));
    return true;
  }
  if (status.type() != fs::file_type::directory) {
    Format format = FormatOf(path);
    if (format == Format::kUnknown) {
      problems->push_back(MakeDiagnostic(
          kUnknownExtension,
          absl::StrCat("unknown extension \"",
                       fs::path(path).extension().string(),
                       "\"; expected .textproto, .txtpb, .pbtxt or .json"),
          path));
      return true;
    }
    LoadFile(path, format, merger, problems);
    return true;
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    std::error_code ignored;
    // Dot files are editor backups and lock files, not rules.
    if (name.empty() || name[0] == '.' || !it->is_regular_file(ignored) ||
        FormatOf(name) == Format::kUnknown) {
      continue;
    }
    names.push_back(std::move(name));
  }
  if (error) {
    problems->push_back(MakeDiagnostic(
        kReadError,
        absl::StrCat("cannot list directory: ", LibraryMessage(error.message())),
        path));
    return true;
  }
  if (names.empty()) {
    problems->push_back(MakeDiagnostic(
        kEmptyDirectory,
        "directory holds no .textproto, .txtpb, .pbtxt or .json files", path));
    return true;
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    LoadFile((fs::path(path) / name).string(), FormatOf(name), merger,
             problems);
  }
  return true;
}

std::string FormatProblem(const v1::Diagnostic& d) {
  if (d.line() == 0) return absl::StrCat(d.file(), ": ", d.message());
  return absl::StrCat(d.file(), ":", d.line(), ":", d.column(), ": ",
                      d.message());
}

}  // namespace

absl::Status LoadRulesetWithSource(std::string_view path, v1::Ruleset* ruleset,
                                   SourceMap* source_map,
                                   std::vector<v1::Diagnostic>* diagnostics) {
  ruleset->Clear();
  std::string file(path);
  std::vector<v1::Diagnostic> problems;
  Merger merger(ruleset, source_map);
  bool exists = LoadPath(file, &merger, &problems);
  if (source_map != nullptr) source_map->Add("", SourceLocation{file, 0, 0});
  if (diagnostics != nullptr) {
    diagnostics->insert(diagnostics->end(), problems.begin(), problems.end());
  }
  if (problems.empty()) return absl::OkStatus();
  std::string message = FormatProblem(problems.front());
  if (problems.size() > 1) {
    absl::StrAppend(&message, " (and ", problems.size() - 1, " more errors)");
  }
  return exists ? absl::InvalidArgumentError(message)
                : absl::NotFoundError(message);
}

}  // namespace watchword
