// The unit a matcher looks for: one distinct literal or regex, after
// normalization. Rules refer to patterns through TermRefs (engine_rep.h), so
// a phrase used by many rules is matched once.
#ifndef WATCHWORD_SRC_ENGINE_PATTERN_H_
#define WATCHWORD_SRC_ENGINE_PATTERN_H_

#include <cstdint>
#include <string>

namespace watchword {

struct Pattern {
  enum class Kind : uint8_t {
    kLiteral,  // `text` is a normalized phrase, matched byte for byte.
    kRegex,    // `text` is RE2 syntax, matched case-insensitively.
  };
  Kind kind = Kind::kLiteral;
  std::string text;
  // Match inside words; otherwise occurrences must sit on word boundaries.
  bool substring = false;

  bool operator==(const Pattern& other) const {
    return kind == other.kind && text == other.text &&
           substring == other.substring;
  }
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_PATTERN_H_
