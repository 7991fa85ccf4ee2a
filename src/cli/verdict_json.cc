#include "src/cli/verdict_json.h"

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "watchword/v1/ruleset.pb.h"

namespace watchword {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Bytes copied as they are: printable ASCII except the four protobuf escapes.
constexpr std::array<bool, 256> MakePlainTable() {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7f; ++c) plain[c] = true;
  for (char c : {'"', '\\', '<', '>'}) plain[static_cast<unsigned char>(c)] = false;
  return plain;
}
constexpr std::array<bool, 256> kPlain = MakePlainTable();

void AppendHex16(uint32_t unit, std::string* out) {
  const char escaped[6] = {'\\', 'u', kHex[(unit >> 12) & 0xf],
                           kHex[(unit >> 8) & 0xf], kHex[(unit >> 4) & 0xf],
                           kHex[unit & 0xf]};
  out->append(escaped, 6);
}

// Appends the escape protobuf uses for code point `cp`, or returns false if
// protobuf prints it as it is. Mirrors EscapeCodePoint() in protobuf's
// util/internal/json_escaping.cc.
bool AppendEscape(uint32_t cp, std::string* out) {
  if (cp < 0xa0) {
    switch (cp) {
      case '\b': out->append("\\b"); return true;
      case '\t': out->append("\\t"); return true;
      case '\n': out->append("\\n"); return true;
      case '\f': out->append("\\f"); return true;
      case '\r': out->append("\\r"); return true;
      case '"': out->append("\\\""); return true;
      case '\\': out->append("\\\\"); return true;
      default:
        if (cp < 0x20 || cp >= 0x7f || cp == '<' || cp == '>') {
          AppendHex16(cp, out);
          return true;
        }
        return false;
    }
  }
  // Not required by JSON; protobuf escapes them against JavaScript pitfalls.
  if (cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) || cp == 0x00ad ||
      cp == 0x06dd || cp == 0x070f || cp == 0x17b4 || cp == 0x17b5 ||
      (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
      (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
      (cp >= 0x206a && cp <= 0x206f)) {
    AppendHex16(cp, out);
    return true;
  }
  if (cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
      (cp >= 0xe0020 && cp <= 0xe007f)) {
    const uint32_t v = cp - 0x10000;
    AppendHex16(0xd800 + (v >> 10), out);
    AppendHex16(0xdc00 + (v & 0x3ff), out);
    return true;
  }
  return false;
}

// Appends ",\"name\":" (or without the comma for the first field).
class ObjectWriter {
 public:
  ObjectWriter(bool all, std::string* out) : all_(all), out_(out) {
    out_->push_back('{');
  }
  ~ObjectWriter() { out_->push_back('}'); }

  void Key(absl::string_view name) {
    if (!first_) out_->push_back(',');
    first_ = false;
    out_->push_back('"');
    out_->append(name.data(), name.size());
    out_->append("\":");
  }
  void String(absl::string_view name, const std::string& value) {
    if (value.empty() && !all_) return;
    Key(name);
    AppendJsonString(value, out_);
  }
  void Uint32(absl::string_view name, uint32_t value) {
    if (value == 0 && !all_) return;
    Key(name);
    absl::StrAppend(out_, value);
  }
  // Protobuf's JSON mapping quotes 64-bit integers.
  void Uint64(absl::string_view name, uint64_t value) {
    if (value == 0 && !all_) return;
    Key(name);
    out_->push_back('"');
    absl::StrAppend(out_, value);
    out_->push_back('"');
  }
  void Bool(absl::string_view name, bool value) {
    if (!value && !all_) return;
    Key(name);
    out_->append(value ? "true" : "false");
  }
  // `enum_name` is the value's name, or empty for a value the enum lacks
  // (printed as its number, as protobuf does).
  void Enum(absl::string_view name, int value, const std::string& enum_name) {
    if (value == 0 && !all_) return;
    Key(name);
    AppendEnumValue(value, enum_name);
  }
  template <typename NameFn>
  void Folds(absl::string_view name,
             const google::protobuf::RepeatedField<int>& folds,
             NameFn fold_name) {
    if (folds.empty() && !all_) return;
    Key(name);
    out_->push_back('[');
    for (int i = 0; i < folds.size(); ++i) {
      if (i > 0) out_->push_back(',');
      AppendEnumValue(folds[i], fold_name(folds[i]));
    }
    out_->push_back(']');
  }

 private:
  void AppendEnumValue(int value, const std::string& enum_name) {
    if (enum_name.empty()) {
      absl::StrAppend(out_, value);
    } else {
      out_->push_back('"');
      out_->append(enum_name);
      out_->push_back('"');
    }
  }

  const bool all_;
  std::string* const out_;
  bool first_ = true;
};

const std::string& FoldName(int fold) {
  return v1::Fold_Name(static_cast<v1::Fold>(fold));
}

void AppendMatch(const v1::Match& match, bool all, std::string* out) {
  ObjectWriter object(all, out);
  object.String("field", match.field());
  object.String("term_id", match.term_id());
  object.String("term_list", match.term_list());
  object.Uint32("begin", match.begin());
  object.Uint32("end", match.end());
  object.String("text", match.text());
  object.Folds("folds", match.folds(), FoldName);
}

void AppendRuleMatch(const v1::RuleMatch& rule, bool all, std::string* out) {
  ObjectWriter object(all, out);
  object.String("rule_id", rule.rule_id());
  object.String("category", rule.category());
  object.Enum("severity", rule.severity(), v1::Severity_Name(rule.severity()));
  object.Enum("action", rule.action(), v1::Action_Name(rule.action()));
  object.Bool("shadow", rule.shadow());
  if (!rule.matches().empty() || all) {
    object.Key("matches");
    out->push_back('[');
    for (int i = 0; i < rule.matches_size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendMatch(rule.matches(i), all, out);
    }
    out->push_back(']');
  }
  object.Folds("folds", rule.folds(), FoldName);
}

}  // namespace

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const size_t run = i;
    while (i < n && kPlain[static_cast<unsigned char>(text[i])]) ++i;
    out->append(text.data() + run, i - run);
    if (i == n) break;
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      AppendEscape(lead, out);
      ++i;
      continue;
    }
    // Decodes one sequence the way protobuf's ReadCodePoint() does: a bad
    // lead byte is dropped; a bad continuation byte is dropped with every
    // byte read before it; a sequence cut by the end of the text is
    // dropped; a surrogate or a code point past U+10FFFF is dropped.
    // Overlong forms are not rejected: they decode (and print) as usual.
    uint32_t cp;
    int left;
    if (lead <= 0xbf) {
      ++i;
      continue;
    } else if (lead <= 0xdf) {
      cp = lead & 0x1f;
      left = 1;
    } else if (lead <= 0xef) {
      cp = lead & 0x0f;
      left = 2;
    } else if (lead <= 0xf7) {
      cp = lead & 0x07;
      left = 3;
    } else {
      ++i;
      continue;
    }
    size_t j = i + 1;
    bool ok = true;
    while (left > 0 && j < n) {
      const unsigned char next = static_cast<unsigned char>(text[j++]);
      --left;
      cp = (cp << 6) | (next & 0x3f);
      if (next < 0x80 || next > 0xbf) {
        ok = false;
        break;
      }
    }
    if (ok && left == 0 && (cp & 0xfffff800) != 0xd800 && cp <= 0x10ffff) {
      if (!AppendEscape(cp, out)) out->append(text.data() + i, j - i);
    }
    i = j;
  }
  out->push_back('"');
}

void AppendVerdictJson(const v1::Verdict& verdict,
                       const VerdictJsonOptions& options, std::string* out) {
  const bool all = options.always_print_fields;
  if (verdict.has_conversation()) {
    // Conversation verdicts, one per tracked message, are printed by
    // protobuf itself: their doubles (risk scores) would need protobuf's
    // own number formatting to print alike.
    google::protobuf::util::JsonPrintOptions print;
    print.preserve_proto_field_names = true;
    print.always_print_primitive_fields = all;
    std::string json;
    if (google::protobuf::util::MessageToJsonString(verdict, &json, print)
            .ok()) {
      out->append(json);
      return;
    }
  }
  ObjectWriter object(all, out);
  object.String("request_id", verdict.request_id());
  object.Enum("action", verdict.action(), v1::Action_Name(verdict.action()));
  object.Enum("severity", verdict.severity(),
              v1::Severity_Name(verdict.severity()));
  if (!verdict.rule_matches().empty() || all) {
    object.Key("rule_matches");
    out->push_back('[');
    for (int i = 0; i < verdict.rule_matches_size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendRuleMatch(verdict.rule_matches(i), all, out);
    }
    out->push_back(']');
  }
  if (verdict.has_ruleset()) {
    object.Key("ruleset");
    const v1::RulesetInfo& info = verdict.ruleset();
    ObjectWriter ruleset(all, out);
    ruleset.String("name", info.name());
    ruleset.String("version", info.version());
    ruleset.String("fingerprint", info.fingerprint());
  }
  if (verdict.has_stats()) {
    object.Key("stats");
    const v1::ScanStats& stats = verdict.stats();
    ObjectWriter writer(all, out);
    writer.Uint32("fields_scanned", stats.fields_scanned());
    writer.Uint64("bytes_scanned", stats.bytes_scanned());
    writer.Uint32("term_hits", stats.term_hits());
    writer.Uint32("rules_evaluated", stats.rules_evaluated());
    writer.Uint32("term_hits_dropped", stats.term_hits_dropped());
  }
  if (verdict.has_error()) {
    object.Key("error");
    const v1::ScanError& error = verdict.error();
    ObjectWriter writer(all, out);
    writer.String("code", error.code());
    writer.String("message", error.message());
    writer.Uint32("line", error.line());
  }
  object.Bool("truncated", verdict.truncated());
}

}  // namespace watchword
