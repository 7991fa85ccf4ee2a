// WATCHWORD_EXPORT marks the public API. A shared libwatchword
// (WATCHWORD_BUILD_SHARED) is compiled with hidden visibility, so it exports
// what carries this mark, the classes generated from proto/watchword/v1/,
// and nothing else.
#ifndef WATCHWORD_EXPORT_H_
#define WATCHWORD_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define WATCHWORD_EXPORT __attribute__((visibility("default")))
#else
#define WATCHWORD_EXPORT
#endif

#endif  // WATCHWORD_EXPORT_H_
