// The byte layout of an engine file, the serialized form of an Engine
// (include/watchword/serialize.h). src/engine/serialize.cc writes and reads
// it; this file only encodes and decodes bytes and detects damage. Whether
// the contents fit this build of watchword is the reader's question.
//
// Layout (integers little-endian; `str` is a u64 length, then the bytes):
//
//   magic             8 bytes  kEngineFileMagic
//   format_version    u32      kEngineFileFormatVersion
//   payload_size      u64      bytes after this header
//   payload_checksum  u64      EngineFileHash(payload)
//   payload:
//     library_version      str  watchword version that wrote the file
//     backend              u32  kEngineFileHyperscan or kEngineFileRe2
//     hyperscan_version    str  hs_version() of the writer; empty for re2
//     ruleset_fingerprint  str  RulesetInfo.fingerprint of the ruleset
//     ruleset              str  the validated v1::Ruleset, deterministic
//     lowered              str  its lowering: src/engine/lowered_form.h
//     matcher_count        u32
//     matcher_count times (none for re2, whose matchers are rebuilt):
//       name                 str  "base", "folded", ... (matcher_plan.h)
//       pattern_count        u32  patterns the database was compiled from
//       patterns_fingerprint u64  of their Hyperscan expressions and flags
//       database             str  hs_serialize_database(); empty: none
//
// The header is fixed so that a reader of any version can say which format
// version a file has before trusting anything else in it.
#ifndef WATCHWORD_SRC_ENGINE_ENGINE_FILE_H_
#define WATCHWORD_SRC_ENGINE_ENGINE_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace watchword {

// The first bytes of every engine file. The high byte and CR LF catch
// transfers that treat the file as text, as in PNG.
inline constexpr absl::string_view kEngineFileMagic("\x89WWENG\r\n", 8);

// Bumped whenever the layout above, or the lowered form, changes. Version 1
// held no lowered form: loading lowered the ruleset again, which needed the
// compiler. Version 3's folded matcher also holds the short joined forms
// (PlanMatchers in matcher_plan.cc), which a version 2 file's Hyperscan
// database lacks. Version 4's databases compile a regex's prefilter
// strings without HS_FLAG_SINGLEMATCH (PlanHyperscanDatabase), so a version
// 3 database fits other patterns' fingerprint. Version 5's databases leave
// out prefilter strings of 1 or 2 bytes (HyperscanPlan::gated). In version
// 6 the "folded" Hyperscan database holds the base view's regexes too, and
// "base" none (MatcherSpec::base_patterns).
inline constexpr uint32_t kEngineFileFormatVersion = 6;

// Size of magic, format_version, payload_size and payload_checksum.
inline constexpr size_t kEngineFileHeaderSize = 8 + 4 + 8 + 8;

// Values of `backend`; stable, unlike the order of enum class Backend.
inline constexpr uint32_t kEngineFileHyperscan = 1;
inline constexpr uint32_t kEngineFileRe2 = 2;

// One matcher's database.
struct EngineFileMatcher {
  absl::string_view name;
  uint32_t pattern_count = 0;
  uint64_t patterns_fingerprint = 0;
  absl::string_view database;
};

// The fields of an engine file. The views point into the bytes it was
// decoded from, or, when encoding, into strings the caller keeps alive.
struct EngineFile {
  uint32_t format_version = kEngineFileFormatVersion;
  absl::string_view library_version;
  uint32_t backend = 0;
  absl::string_view hyperscan_version;
  absl::string_view ruleset_fingerprint;
  absl::string_view ruleset;
  absl::string_view lowered;
  std::vector<EngineFileMatcher> matchers;
};

// Returns the bytes of `file`, with a fresh checksum. Writes
// `file.format_version` as given, so tests can make files of other
// versions.
std::string EncodeEngineFile(const EngineFile& file);

// Decodes `bytes`; the result points into `bytes`.
//
// Returns InvalidArgument if `bytes` does not start with kEngineFileMagic,
// FailedPrecondition if its format version is not kEngineFileFormatVersion,
// and DataLoss if it is truncated, has trailing bytes, fails its checksum
// or is malformed inside. Never reads outside `bytes`.
absl::StatusOr<EngineFile> DecodeEngineFile(absl::string_view bytes);

// A 64-bit hash for detecting damage, not tampering: any change to one
// aligned 8-byte word changes it. Stable across processes, releases and
// hosts. `seed` chains hashes of several pieces.
uint64_t EngineFileHash(absl::string_view bytes, uint64_t seed = 0);

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_ENGINE_FILE_H_
