#include "src/compile/library_message.h"

#include <cctype>
#include <algorithm>
#include <cstdint>

#include "unicode/utf8.h"

namespace watchword {

std::string LibraryMessage(std::string message) {
  while (!message.empty() && (message.back() == '.' || message.back() == '\n' ||
                              message.back() == ' ')) {
    message.pop_back();
  }
  auto lower_word_at = [&message](size_t i) {
    if (i + 1 < message.size() &&
        std::isupper(static_cast<unsigned char>(message[i])) &&
        !std::isupper(static_cast<unsigned char>(message[i + 1]))) {
      message[i] = static_cast<char>(
          std::tolower(static_cast<unsigned char>(message[i])));
    }
  };
  lower_word_at(0);
  // "Expected a value. Found x" -> "expected a value; found x".
  for (size_t i = message.find(". "); i != std::string::npos;
       i = message.find(". ", i + 1)) {
    if (i + 2 < message.size() &&
        std::isupper(static_cast<unsigned char>(message[i + 2]))) {
      message[i] = ';';
      lower_word_at(i + 2);
    }
  }
  return message;
}

std::string ValidUtf8(std::string_view text) {
  if (FirstInvalidUtf8(text) == std::string_view::npos) return std::string(text);
  std::string out;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      out.append("\xef\xbf\xbd");
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

size_t FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  // U8_NEXT takes int32_t lengths; no ruleset string comes near 2 GiB.
  const int32_t n = static_cast<int32_t>(
      std::min<size_t>(text.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return std::string_view::npos;
}

}  // namespace watchword
