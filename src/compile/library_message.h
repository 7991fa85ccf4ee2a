// Turning messages from libraries (protobuf, RE2, Hyperscan) into our style.
#ifndef WATCHWORD_SRC_COMPILE_LIBRARY_MESSAGE_H_
#define WATCHWORD_SRC_COMPILE_LIBRARY_MESSAGE_H_

#include <string>

namespace watchword {

// Library messages are sentences ("Expected "{", found "}"."); ours are
// lower-case without a final period. Returns `message` restyled: trailing
// periods and whitespace dropped, a capitalized first word lowered
// (acronyms such as "JSON" keep their case), and ". X" joins become "; x".
std::string LibraryMessage(std::string message);

}  // namespace watchword

#endif  // WATCHWORD_SRC_COMPILE_LIBRARY_MESSAGE_H_
