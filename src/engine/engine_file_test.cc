#include "src/engine/engine_file.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;
using ::watchword::testing::StatusIs;

// A file with every field set, and a database long enough to have words and
// a tail.
struct Sample {
  std::string database = std::string(1000, 'd') + "tail!";
  std::string bytes;

  Sample() {
    EngineFile file;
    file.library_version = "0.1.0";
    file.backend = kEngineFileHyperscan;
    file.hyperscan_version = "5.4.0 2023-01-01";
    file.ruleset_fingerprint = "0123456789abcdef";
    file.ruleset = "ruleset bytes";
    file.lowered = "lowered bytes";
    file.matchers.push_back({"base", 0, 0, ""});
    file.matchers.push_back({"folded", 3, 0x1234, database});
    bytes = EncodeEngineFile(file);
  }
};

TEST(EngineFileTest, RoundTrips) {
  Sample sample;
  absl::StatusOr<EngineFile> file = DecodeEngineFile(sample.bytes);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->format_version, kEngineFileFormatVersion);
  EXPECT_EQ(file->library_version, "0.1.0");
  EXPECT_EQ(file->backend, kEngineFileHyperscan);
  EXPECT_EQ(file->hyperscan_version, "5.4.0 2023-01-01");
  EXPECT_EQ(file->ruleset_fingerprint, "0123456789abcdef");
  EXPECT_EQ(file->ruleset, "ruleset bytes");
  EXPECT_EQ(file->lowered, "lowered bytes");
  ASSERT_EQ(file->matchers.size(), 2u);
  EXPECT_EQ(file->matchers[0].name, "base");
  EXPECT_EQ(file->matchers[0].database, "");
  EXPECT_EQ(file->matchers[1].name, "folded");
  EXPECT_EQ(file->matchers[1].pattern_count, 3u);
  EXPECT_EQ(file->matchers[1].patterns_fingerprint, 0x1234u);
  EXPECT_EQ(file->matchers[1].database, sample.database);
}

TEST(EngineFileTest, StartsWithMagicAndVersion) {
  Sample sample;
  EXPECT_EQ(sample.bytes.substr(0, 8), kEngineFileMagic);
  EXPECT_EQ(sample.bytes.substr(8, 4), std::string("\x06\0\0\0", 4));
}

TEST(EngineFileTest, RejectsOtherFiles) {
  EXPECT_THAT(DecodeEngineFile("rules { id: \"x\" }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a watchword engine file")));
  Sample sample;
  sample.bytes[1] = 'X';
  EXPECT_THAT(DecodeEngineFile(sample.bytes),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a watchword engine file")));
}

TEST(EngineFileTest, RejectsOtherFormatVersions) {
  Sample sample;
  // Version 1 files held no lowered form (loading needed the compiler).
  sample.bytes[8] = 1;
  EXPECT_THAT(DecodeEngineFile(sample.bytes),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("format version 1; this build of watchword "
                                 "reads version 6; recompile")));
  // Version 2 files' folded databases lack the short joined forms.
  sample.bytes[8] = 2;
  EXPECT_THAT(DecodeEngineFile(sample.bytes),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("format version 2")));
  // Version 3 files' prefilter strings report once (HS_FLAG_SINGLEMATCH).
  sample.bytes[8] = 3;
  EXPECT_THAT(DecodeEngineFile(sample.bytes),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("format version 3")));
  // Version 5 files' base view regexes have a database of their own.
  sample.bytes[8] = 5;
  EXPECT_THAT(DecodeEngineFile(sample.bytes),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("format version 5")));
}

TEST(EngineFileTest, EveryTruncationIsDataLoss) {
  Sample sample;
  for (size_t size = 0; size < sample.bytes.size(); ++size) {
    EXPECT_THAT(DecodeEngineFile(sample.bytes.substr(0, size)),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("truncated")))
        << size;
  }
}

TEST(EngineFileTest, TrailingBytesAreDataLoss) {
  Sample sample;
  EXPECT_THAT(
      DecodeEngineFile(sample.bytes + "x"),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("header promises")));
}

TEST(EngineFileTest, EveryFlippedBitAfterTheVersionIsDataLoss) {
  Sample sample;
  for (size_t i = 12; i < sample.bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bytes = sample.bytes;
      bytes[i] ^= static_cast<char>(1 << bit);
      EXPECT_THAT(DecodeEngineFile(bytes), StatusIs(absl::StatusCode::kDataLoss,
                                                    HasSubstr("engine file")))
          << "byte " << i << " bit " << bit;
    }
  }
}

// A payload whose checksum is right but whose fields are not: what a bug in
// the writer, or a crafted file, would look like.
TEST(EngineFileTest, MalformedPayloadWithGoodChecksumIsDataLoss) {
  Sample sample;
  std::string payload = sample.bytes.substr(kEngineFileHeaderSize);
  auto with_payload = [&](const std::string& p) {
    std::string bytes = sample.bytes.substr(0, 12);
    for (int i = 0; i < 8; ++i)
      bytes.push_back(static_cast<char>(p.size() >> (8 * i)));
    uint64_t hash = EngineFileHash(p);
    for (int i = 0; i < 8; ++i)
      bytes.push_back(static_cast<char>(hash >> (8 * i)));
    return bytes + p;
  };
  ASSERT_TRUE(DecodeEngineFile(with_payload(payload)).ok());
  // library_version claims more bytes than there are.
  std::string huge = payload;
  huge[7] = '\x7f';
  EXPECT_THAT(DecodeEngineFile(with_payload(huge)),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("field `library_version` needs")));
  // Cut inside the last matcher.
  EXPECT_THAT(
      DecodeEngineFile(with_payload(payload.substr(0, payload.size() - 3))),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("field `database` needs")));
  EXPECT_THAT(
      DecodeEngineFile(with_payload(payload + "xyz")),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("3 unexplained bytes")));
}

TEST(EngineFileHashTest, SeesEveryByteAndTheLength) {
  std::string text(37, 'a');
  const uint64_t hash = EngineFileHash(text);
  EXPECT_EQ(hash, EngineFileHash(text));
  for (size_t i = 0; i < text.size(); ++i) {
    std::string changed = text;
    changed[i] = 'b';
    EXPECT_NE(EngineFileHash(changed), hash) << i;
  }
  EXPECT_NE(EngineFileHash(text + std::string(1, '\0')), hash);
  EXPECT_NE(EngineFileHash(text, 1), hash);
}

TEST(EngineFileHashTest, IsStable) {
  // Files written by one release must load in the next: the hash is part of
  // the format.
  EXPECT_EQ(EngineFileHash(""), 0xaf63bd4c8601b7dfULL);
  // Two words and a five-byte tail.
  EXPECT_EQ(EngineFileHash("watchword engine file"), 0x0ea79b9df50181f4ULL);
}

}  // namespace
}  // namespace watchword
