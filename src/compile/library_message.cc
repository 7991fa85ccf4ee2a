#include "src/compile/library_message.h"

#include <cctype>

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

}  // namespace watchword
