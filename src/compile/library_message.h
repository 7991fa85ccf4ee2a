// Turning messages from libraries (protobuf, RE2, Hyperscan) into our style.
#ifndef WATCHWORD_SRC_COMPILE_LIBRARY_MESSAGE_H_
#define WATCHWORD_SRC_COMPILE_LIBRARY_MESSAGE_H_

#include <string>
#include <string_view>

namespace watchword {

// Library messages are sentences ("Expected "{", found "}"."); ours are
// lower-case without a final period. Returns `message` restyled: trailing
// periods and whitespace dropped, a capitalized first word lowered
// (acronyms such as "JSON" keep their case), and ". X" joins become "; x".
std::string LibraryMessage(std::string message);

// Returns `text` with each ill-formed UTF-8 sequence replaced by U+FFFD.
// Diagnostic fields are proto3 strings, which must be valid UTF-8 (Python
// refuses to parse them otherwise), and they quote ruleset strings that may
// not be.
std::string ValidUtf8(std::string_view text);

// Returns the offset of the first byte of `text` that does not begin a
// well-formed UTF-8 sequence, or npos if `text` is valid UTF-8.
size_t FirstInvalidUtf8(std::string_view text);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_LIBRARY_MESSAGE_H_
