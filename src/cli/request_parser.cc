#include "src/cli/request_parser.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "simdjson.h"
#include "watchword/status_macros.h"

namespace watchword {
namespace {

// Past this, a record's parser buffers are freed rather than kept: they
// grow to several times the line (see kKeepRecordBytes in jsonl.h).
constexpr size_t kKeepParserBytes = size_t{64} << 10;
// Deeper JSON is an error, even inside ignored members.
constexpr size_t kMaxDepth = 1024;
// Parser messages are short; anything longer is probably quoting input.
constexpr size_t kMaxParserMessageBytes = 200;
// A key is shown in a message only if it looks like a field name: letters,
// digits and '_' (a JSON key may be any text, even a message).
constexpr size_t kMaxShownFieldNameBytes = 64;

bool LooksLikeFieldName(std::string_view name) {
  if (name.empty() || name.size() > kMaxShownFieldNameBytes) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

absl::Status NotARequest(absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("line is not a JSON ScanRequest: ", why));
}

// Rewrites a protobuf JSON parser message so that it names the place and
// the kind of problem but quotes nothing from the input, which is message
// text that must never reach our output or logs:
//   - later lines quote the input around the error position: dropped;
//   - "(path): invalid value <value> for type T": the value goes;
//   - "... <name>: Cannot find field": the name stays only if it looks like
//     a field name;
//   - anything else in double quotes goes.
std::string ScrubParserMessage(absl::string_view message) {
  message = message.substr(0, message.find('\n'));
  message = absl::StripAsciiWhitespace(message);
  while (!message.empty() && message.back() == '.') message.remove_suffix(1);
  std::string out(message);

  constexpr std::string_view kInvalid = "invalid value ";
  constexpr std::string_view kForType = " for type ";
  if (size_t at = out.find(kInvalid); at != std::string::npos) {
    const size_t value = at + kInvalid.size();
    const size_t type = out.rfind(kForType);
    if (type != std::string::npos && type >= value) {
      out.erase(value - 1, type - value + 1);  // Keep one space.
    } else {
      out.erase(value - 1);
    }
  }
  constexpr std::string_view kNotFound = ": Cannot find field";
  if (out.ends_with(kNotFound)) {
    // "NAME: Cannot find field", or "(path) NAME: ..." inside an object.
    const size_t name_end = out.size() - kNotFound.size();
    size_t name_begin = 0;
    if (out.starts_with('(')) {
      const size_t path_end = out.find(") ");
      if (path_end != std::string::npos && path_end < name_end) {
        name_begin = path_end + 2;
      }
    }
    if (!LooksLikeFieldName(
            std::string_view(out).substr(name_begin, name_end - name_begin))) {
      out.replace(name_begin, name_end - name_begin, "(name not shown)");
    }
  }
  for (size_t open = out.find('"'); open != std::string::npos;
       open = out.find('"', open + 2)) {
    const size_t close = out.find('"', open + 1);
    out.replace(open, close == std::string::npos ? std::string::npos
                                                 : close - open + 1,
                "\"\"");
  }
  if (out.size() > kMaxParserMessageBytes) out.resize(kMaxParserMessageBytes);
  // Non-ASCII bytes could be a cut UTF-8 sequence, which would make the
  // verdict unprintable as JSON.
  for (char& c : out) {
    if (!absl::ascii_isprint(static_cast<unsigned char>(c))) c = '?';
  }
  return out;
}

// simdjson's messages are fixed sentences that quote nothing.
std::string JsonErrorText(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::DEPTH_ERROR:
      return absl::StrCat("nesting deeper than ", kMaxDepth, " levels");
    case simdjson::UNCLOSED_STRING:
      return "a string is not closed";
    case simdjson::EMPTY:
      return "no JSON value";
    default:
      break;
  }
  std::string text = simdjson::error_message(code);
  while (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty()) text[0] = absl::ascii_tolower(text[0]);
  return absl::StrCat("invalid JSON (", text, ")");
}

enum class Slot { kId, kText, kContext };

struct Path {
  std::string dotted;
  std::vector<std::string> parts;
  Slot slot;
};

using Candidates = absl::InlinedVector<const Path*, 3>;

}  // namespace

struct RequestParser::Rep {
  RequestFormat format;
  std::vector<Path> paths;
  simdjson::dom::parser parser{};
  // Holds `fields` and `context` while protobuf parses them.
  v1::ScanRequest scratch;
  std::string wrapped;
  bool has_text = false;

  // Parses `json`, a ScanRequest member `name` alone (`{"name": ...}`),
  // with protobuf's JSON parser into `scratch`, so that these members keep
  // the exact proto JSON mapping (enum names, maps, camelCase names).
  absl::Status ParseWithProtobuf(absl::string_view name,
                                 simdjson::dom::element value) {
    wrapped = absl::StrCat("{\"", name, "\":", simdjson::minify(value), "}");
    scratch.Clear();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(wrapped.data(), wrapped.size()),
        &scratch, options);
    if (!status.ok()) {
      return NotARequest(ScrubParserMessage(absl::string_view(
          status.message().data(), status.message().size())));
    }
    return absl::OkStatus();
  }

  absl::Status SetSlot(const Path& path, simdjson::dom::element value,
                       v1::ScanRequest* request) {
    if (value.is_null()) return absl::OkStatus();
    switch (path.slot) {
      case Slot::kId:
        if (value.is_string()) {
          const std::string_view id = value.get_string().value_unsafe();
          request->mutable_id()->assign(id.data(), id.size());
        } else if (value.is_int64()) {
          request->set_id(absl::StrCat(value.get_int64().value_unsafe()));
        } else if (value.is_uint64()) {
          request->set_id(absl::StrCat(value.get_uint64().value_unsafe()));
        } else {
          return NotARequest(absl::StrCat("member \"", path.dotted,
                                          "\" must be a string or an integer"));
        }
        return absl::OkStatus();
      case Slot::kText:
        if (!value.is_string()) {
          return NotARequest(
              absl::StrCat("member \"", path.dotted, "\" must be a string"));
        }
        {
          // assign() keeps the string's capacity from the last record.
          const std::string_view text = value.get_string().value_unsafe();
          request->mutable_text()->assign(text.data(), text.size());
        }
        has_text = true;
        return absl::OkStatus();
      case Slot::kContext:
        if (!value.is_object()) {
          return NotARequest(
              absl::StrCat("member \"", path.dotted, "\" must be an object"));
        }
        WATCHWORD_RETURN_IF_ERROR(ParseWithProtobuf("context", value));
        request->mutable_context()->Swap(scratch.mutable_context());
        return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  // ScanRequest's own members besides the mapped ones.
  absl::Status SetMember(std::string_view key, simdjson::dom::element value,
                         v1::ScanRequest* request) {
    if (key == "fields") {
      if (value.is_null()) return absl::OkStatus();
      if (!value.is_array()) {
        return NotARequest("member \"fields\" must be an array");
      }
      WATCHWORD_RETURN_IF_ERROR(ParseWithProtobuf("fields", value));
      request->mutable_fields()->Swap(scratch.mutable_fields());
      if (request->fields_size() > 0) has_text = true;
      return absl::OkStatus();
    }
    if (key == "echo_matched_text" || key == "echoMatchedText") {
      if (value.is_null()) return absl::OkStatus();
      if (!value.is_bool()) {
        return NotARequest("member \"echo_matched_text\" must be a bool");
      }
      request->set_echo_matched_text(value.get_bool().value_unsafe());
      return absl::OkStatus();
    }
    if (format.ignore_unknown_fields) return absl::OkStatus();
    return NotARequest(
        LooksLikeFieldName(key)
            ? absl::StrCat("unknown member \"",
                           absl::string_view(key.data(), key.size()), "\"")
            : std::string("unknown member (name not shown)"));
  }

  absl::Status Walk(simdjson::dom::object object, size_t depth,
                    const Candidates& candidates, v1::ScanRequest* request) {
    for (simdjson::dom::key_value_pair member : object) {
      bool mapped = false;
      Candidates deeper;
      for (const Path* path : candidates) {
        if (path->parts[depth] != member.key) continue;
        mapped = true;
        if (path->parts.size() == depth + 1) {
          WATCHWORD_RETURN_IF_ERROR(SetSlot(*path, member.value, request));
        } else {
          deeper.push_back(path);
        }
      }
      if (!deeper.empty()) {
        if (member.value.is_object()) {
          WATCHWORD_RETURN_IF_ERROR(
              Walk(member.value.get_object().value_unsafe(), depth + 1,
                   deeper, request));
        } else if (!member.value.is_null()) {
          return NotARequest(absl::StrCat("member \"", deeper[0]->dotted,
                                          "\" is not inside an object"));
        }
      }
      if (!mapped && depth == 0) {
        WATCHWORD_RETURN_IF_ERROR(SetMember(member.key, member.value, request));
      }
    }
    return absl::OkStatus();
  }
};

RequestParser::RequestParser(const RequestFormat& format)
    : rep_(std::make_unique<Rep>()) {
  rep_->format = format;
  for (auto [dotted, slot] :
       {std::pair{&format.id_field, Slot::kId},
        std::pair{&format.text_field, Slot::kText},
        std::pair{&format.context_field, Slot::kContext}}) {
    if (dotted->empty()) continue;
    rep_->paths.push_back(
        Path{*dotted, absl::StrSplit(*dotted, '.'), slot});
  }
}

RequestParser::~RequestParser() = default;

absl::Status RequestParser::Parse(absl::string_view line,
                                  v1::ScanRequest* request) {
  request->Clear();
  Rep& rep = *rep_;
  rep.has_text = false;
  absl::Status status;
  simdjson::dom::element root;
  simdjson::error_code error =
      rep.parser.parse(line.data(), line.size()).get(root);
  if (error != simdjson::SUCCESS) {
    status = NotARequest(JsonErrorText(error));
  } else if (!root.is_object()) {
    status = NotARequest("not a JSON object");
  } else {
    Candidates candidates;
    for (const Path& path : rep.paths) candidates.push_back(&path);
    status = rep.Walk(root.get_object().value_unsafe(), 0, candidates, request);
    if (status.ok() && !rep.has_text) {
      status = absl::InvalidArgumentError(
          absl::StrCat("record has no text: no member \"",
                       rep.format.text_field, "\" and no \"fields\""));
    }
  }
  if (!status.ok()) request->Clear();
  if (line.size() > kKeepParserBytes) {
    rep.parser = simdjson::dom::parser();
    v1::ScanRequest().Swap(&rep.scratch);
    std::string().swap(rep.wrapped);
  }
  return status;
}

}  // namespace watchword
