#include "src/engine/engine_file.h"

#include <bit>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace watchword {
namespace {

void PutU32(uint32_t value, std::string* out) {
  for (int i = 0; i < 4; ++i)
    out->push_back(static_cast<char>(value >> (8 * i)));
}

void PutU64(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i)
    out->push_back(static_cast<char>(value >> (8 * i)));
}

void PutStr(absl::string_view value, std::string* out) {
  PutU64(value.size(), out);
  out->append(value.data(), value.size());
}

uint64_t LoadU64(const char* p) {
  uint64_t value;
  std::memcpy(&value, p, sizeof(value));
  if constexpr (std::endian::native == std::endian::big) {
    value = __builtin_bswap64(value);
  }
  return value;
}

uint32_t LoadU32(const char* p) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(p[i]);
  }
  return value;
}

// Reads the payload front to back. Every read checks the bytes left, and
// the first failure names the field, for the DataLoss message.
class PayloadReader {
 public:
  explicit PayloadReader(absl::string_view bytes) : rest_(bytes) {}

  bool U32(const char* field, uint32_t* value) {
    if (!Need(field, 4)) return false;
    *value = LoadU32(rest_.data());
    rest_.remove_prefix(4);
    return true;
  }

  bool U64(const char* field, uint64_t* value) {
    if (!Need(field, 8)) return false;
    *value = LoadU64(rest_.data());
    rest_.remove_prefix(8);
    return true;
  }

  bool Str(const char* field, absl::string_view* value) {
    uint64_t size;
    if (!U64(field, &size) || !Need(field, size)) return false;
    *value = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return true;
  }

  size_t left() const { return rest_.size(); }
  const std::string& error() const { return error_; }

 private:
  bool Need(const char* field, uint64_t size) {
    if (size <= rest_.size()) return true;
    error_ = absl::StrCat("engine file is corrupt: field `", field, "` needs ",
                          size, " bytes but ", rest_.size(), " are left");
    return false;
  }

  absl::string_view rest_;
  std::string error_;
};

}  // namespace

uint64_t EngineFileHash(absl::string_view bytes, uint64_t seed) {
  // FNV-1a over 8-byte words, with an xorshift after each multiply so high
  // bits reach low ones. Every step is a bijection of the running hash, so
  // changing any one word (or tail byte) always changes the result. It runs
  // at several GB/s; a byte-wise FNV would cost milliseconds per megabyte
  // of Hyperscan database at start-up.
  constexpr uint64_t kPrime = 0x100000001b3ULL;
  uint64_t hash = (0xcbf29ce484222325ULL ^ seed) * kPrime;
  hash ^= bytes.size();
  const char* p = bytes.data();
  size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    hash = (hash ^ LoadU64(p)) * kPrime;
    hash ^= hash >> 32;
  }
  for (; n > 0; ++p, --n) {
    hash = (hash ^ static_cast<unsigned char>(*p)) * kPrime;
    hash ^= hash >> 32;
  }
  return hash;
}

std::string EncodeEngineFile(const EngineFile& file) {
  std::string payload;
  size_t size = 256 + file.ruleset.size() + file.lowered.size();
  for (const EngineFileMatcher& m : file.matchers)
    size += 64 + m.database.size();
  payload.reserve(size);
  PutStr(file.library_version, &payload);
  PutU32(file.backend, &payload);
  PutStr(file.hyperscan_version, &payload);
  PutStr(file.ruleset_fingerprint, &payload);
  PutStr(file.ruleset, &payload);
  PutStr(file.lowered, &payload);
  PutU32(static_cast<uint32_t>(file.matchers.size()), &payload);
  for (const EngineFileMatcher& m : file.matchers) {
    PutStr(m.name, &payload);
    PutU32(m.pattern_count, &payload);
    PutU64(m.patterns_fingerprint, &payload);
    PutStr(m.database, &payload);
  }

  std::string out;
  out.reserve(kEngineFileHeaderSize + payload.size());
  out.append(kEngineFileMagic.data(), kEngineFileMagic.size());
  PutU32(file.format_version, &out);
  PutU64(payload.size(), &out);
  PutU64(EngineFileHash(payload), &out);
  out += payload;
  return out;
}

absl::StatusOr<EngineFile> DecodeEngineFile(absl::string_view bytes) {
  constexpr absl::string_view kRecompile =
      "; recompile the engine from its ruleset (watchword compile)";
  if (!absl::StartsWith(bytes, kEngineFileMagic)) {
    if (absl::StartsWith(kEngineFileMagic, bytes)) {
      return absl::DataLossError(
          absl::StrCat("engine file is truncated: ", bytes.size(), " bytes"));
    }
    return absl::InvalidArgumentError(
        "not a watchword engine file: it does not start with the engine file "
        "magic bytes");
  }
  if (bytes.size() < kEngineFileHeaderSize) {
    return absl::DataLossError(absl::StrCat(
        "engine file is truncated: ", bytes.size(), " bytes, shorter than its ",
        kEngineFileHeaderSize, "-byte header"));
  }
  EngineFile file;
  const char* header = bytes.data() + kEngineFileMagic.size();
  file.format_version = LoadU32(header);
  if (file.format_version != kEngineFileFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("engine file has format version ", file.format_version,
                     "; this build of watchword reads version ",
                     kEngineFileFormatVersion, kRecompile));
  }
  const uint64_t payload_size = LoadU64(header + 4);
  const uint64_t checksum = LoadU64(header + 12);
  absl::string_view payload = bytes.substr(kEngineFileHeaderSize);
  if (payload_size != payload.size()) {
    return absl::DataLossError(
        absl::StrCat("engine file is ",
                     payload_size > payload.size() ? "truncated" : "corrupt",
                     ": its header promises ", payload_size,
                     " bytes after the header, "
                     "but there are ",
                     payload.size()));
  }
  if (EngineFileHash(payload) != checksum) {
    return absl::DataLossError(
        "engine file is corrupt: its checksum does not match its contents");
  }

  PayloadReader reader(payload);
  uint32_t matcher_count = 0;
  bool ok = reader.Str("library_version", &file.library_version) &&
            reader.U32("backend", &file.backend) &&
            reader.Str("hyperscan_version", &file.hyperscan_version) &&
            reader.Str("ruleset_fingerprint", &file.ruleset_fingerprint) &&
            reader.Str("ruleset", &file.ruleset) &&
            reader.Str("lowered", &file.lowered) &&
            reader.U32("matcher_count", &matcher_count);
  // Each matcher takes at least 24 bytes, which bounds the reservation.
  if (ok && matcher_count > reader.left() / 24) {
    return absl::DataLossError(absl::StrCat(
        "engine file is corrupt: it claims ", matcher_count, " matchers"));
  }
  if (ok) file.matchers.resize(matcher_count);
  for (uint32_t i = 0; ok && i < matcher_count; ++i) {
    EngineFileMatcher& m = file.matchers[i];
    ok = reader.Str("matcher name", &m.name) &&
         reader.U32("pattern_count", &m.pattern_count) &&
         reader.U64("patterns_fingerprint", &m.patterns_fingerprint) &&
         reader.Str("database", &m.database);
  }
  if (!ok) return absl::DataLossError(reader.error());
  if (reader.left() != 0) {
    return absl::DataLossError(
        absl::StrCat("engine file is corrupt: ", reader.left(),
                     " unexplained bytes after the last matcher"));
  }
  return file;
}

}  // namespace watchword
