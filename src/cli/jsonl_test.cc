#include "src/cli/jsonl.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::watchword::testing::ResidentBytes;

// Returns a FILE reading `text`; the caller closes it.
std::FILE* FileWith(const std::string& text) {
  std::FILE* file = std::tmpfile();
  std::fwrite(text.data(), 1, text.size(), file);
  std::rewind(file);
  return file;
}

TEST(LineReaderTest, SplitsLinesAndStripsCarriageReturns) {
  std::FILE* file = FileWith("a\r\n\nlast");
  LineReader reader(file);
  std::string line;
  bool too_long;
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_EQ(line, "a");
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_EQ(line, "");
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_EQ(line, "last");
  EXPECT_EQ(reader.line_number(), 3u);
  EXPECT_FALSE(reader.Next(&line, &too_long));
  EXPECT_TRUE(reader.status().ok());
  std::fclose(file);
}

TEST(LineReaderTest, FlagsLongLinesAndKeepsCounting) {
  std::FILE* file = FileWith("0123456789abc\nok\n");
  LineReader reader(file, /*max_line_bytes=*/10);
  std::string line;
  bool too_long;
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_TRUE(too_long);
  EXPECT_EQ(line, "");
  ASSERT_TRUE(reader.Next(&line, &too_long));
  EXPECT_FALSE(too_long);
  EXPECT_EQ(line, "ok");
  EXPECT_EQ(reader.line_number(), 2u);
  std::fclose(file);
}

TEST(IsBlankLineTest, OnlyWhitespaceIsBlank) {
  EXPECT_TRUE(IsBlankLine(""));
  EXPECT_TRUE(IsBlankLine(" \t "));
  EXPECT_FALSE(IsBlankLine(" {} "));
}

TEST(ParseScanRequestTest, AcceptsBareText) {
  v1::ScanRequest request;
  ASSERT_TRUE(ParseScanRequest(R"({"text": "hi there"})", &request).ok());
  EXPECT_EQ(request.text(), "hi there");
}

TEST(ParseScanRequestTest, IgnoresUnknownFieldsAndAcceptsIntegerIds) {
  v1::ScanRequest request;
  ASSERT_TRUE(
      ParseScanRequest(R"({"id": 7, "text": "hi", "user": "x"})", &request)
          .ok());
  EXPECT_EQ(request.id(), "7");
  EXPECT_EQ(request.text(), "hi");
}

TEST(ParseScanRequestTest, ErrorNeverQuotesTheInput) {
  v1::ScanRequest request;
  absl::Status status =
      ParseScanRequest(R"({"text": "our secret plan" oops})", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), Not(HasSubstr("secret")));
  EXPECT_THAT(status.message(), Not(HasSubstr("\n")));
}

TEST(VerdictJsonTest, ErrorRecordIsOneLineWithLineNumber) {
  v1::Verdict verdict;
  v1::RulesetInfo info;
  info.set_name("r");
  SetLineError(absl::InvalidArgumentError("bad"), 7, info, &verdict);
  std::string out;
  AppendVerdictJsonLine(verdict, &out);
  EXPECT_EQ(out,
            R"({"ruleset":{"name":"r"},"error":{"code":"INVALID_ARGUMENT",)"
            R"("message":"bad","line":7}})"
            "\n");
}

TEST(ScanSummaryTest, CountsActionsErrorsAndEnforcedCategories) {
  ScanSummary summary;
  v1::Verdict verdict;
  verdict.set_action(v1::ACTION_REVIEW);
  v1::RuleMatch* enforced = verdict.add_rule_matches();
  enforced->set_category("grooming.secrecy");
  v1::RuleMatch* shadow = verdict.add_rule_matches();
  shadow->set_category("grooming.flattery");
  shadow->set_shadow(true);
  summary.Add(verdict);
  summary.Add(v1::Verdict());
  EXPECT_EQ(summary.records(), 2u);
  EXPECT_EQ(summary.errors(), 0u);
  EXPECT_EQ(summary.actions().at("review"), 1u);
  EXPECT_EQ(summary.actions().at("none"), 1u);
  EXPECT_EQ(summary.categories().count("grooming.flattery"), 0u);
  EXPECT_THAT(summary.FormatSummary(1.0),
              HasSubstr("records=2 errors=0 action.none=1 action.log=0 "
                        "action.review=1 action.block=0 action.escalate=0 "
                        "category.grooming.secrecy=1 "));
}

TEST(ProcessJsonlBatchesTest, ConsumesInInputOrderWithManyThreads) {
  std::string input;
  for (int i = 1; i <= 1000; ++i) {
    input += std::to_string(i) + "\n";
    if (i % 10 == 0) input += "  \n";  // Blank lines are not records.
  }
  std::FILE* file = FileWith(input);
  LineReader reader(file);
  BatchOptions options;
  options.threads = 4;
  options.batch_size = 64;
  std::vector<std::string> processed(SlotCount(options));
  std::vector<std::string> consumed;
  std::vector<uint64_t> line_numbers;
  int batches = 0;
  EXPECT_TRUE(ProcessJsonlBatches(
      &reader, options,
      [&](int worker, size_t slot, const JsonlLine& line) {
        EXPECT_GE(worker, 0);
        EXPECT_LT(worker, options.threads);
        EXPECT_LT(slot, processed.size());
        processed[slot] = "seen " + line.text;
      },
      [&](size_t slot, const JsonlLine& line) {
        consumed.push_back(processed[slot]);
        line_numbers.push_back(line.line_number);
        return true;
      },
      [&] {
        ++batches;
        return true;
      }));
  ASSERT_EQ(consumed.size(), 1000u);
  EXPECT_EQ(consumed.front(), "seen 1");
  EXPECT_EQ(consumed.back(), "seen 1000");
  for (size_t i = 1; i < consumed.size(); ++i) {
    EXPECT_EQ(consumed[i], "seen " + std::to_string(i + 1));
  }
  EXPECT_EQ(line_numbers[10], 12u);  // Line 11 was blank.
  EXPECT_EQ(batches, 16);            // ceil(1000 / 64).
  EXPECT_TRUE(reader.status().ok());
  std::fclose(file);
}

TEST(ProcessJsonlBatchesTest, StopsWhenConsumeSaysSo) {
  std::FILE* file = FileWith("a\nb\nc\n");
  LineReader reader(file);
  int consumed = 0;
  EXPECT_FALSE(ProcessJsonlBatches(
      &reader, BatchOptions(), [](int, size_t, const JsonlLine&) {},
      [&](size_t, const JsonlLine&) { return ++consumed < 2; }));
  EXPECT_EQ(consumed, 2);
  std::fclose(file);
}

// The stages overlap: record 0 is written while record 1 is still being
// processed. (A design that processes a whole batch before writing any of it
// would wait here forever; the test gives up after 10 s.)
TEST(ProcessJsonlBatchesTest, ConsumesWhileLaterRecordsAreProcessed) {
  std::FILE* file = FileWith("a\nb\nc\n");
  LineReader reader(file);
  std::atomic<int> consumed{0};
  bool overlapped = false;
  EXPECT_TRUE(ProcessJsonlBatches(
      &reader, BatchOptions(),
      [&](int, size_t, const JsonlLine& line) {
        if (line.text != "b") return;
        for (int i = 0; i < 1000 && consumed.load() == 0; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        overlapped = consumed.load() == 1;
      },
      [&](size_t, const JsonlLine&) {
        ++consumed;
        return true;
      }));
  EXPECT_TRUE(overlapped);
  EXPECT_EQ(consumed.load(), 3);
  std::fclose(file);
}

// A stream with 3 MiB lines, each landing in a different slot, used to
// leave every slot holding its 4 MiB buffer for the rest of the run (1.86
// GB for `watchword scan` on such a stream). Now whatever a record grew is
// freed after it (kKeepRecordBytes), so between batches the process holds
// what it held before the stream plus the records in flight.
TEST(ProcessJsonlBatchesTest, MemoryAfterAStreamOfHugeLinesIsBounded) {
  if (ResidentBytes() == 0) GTEST_SKIP() << "no /proc/self/statm";
  constexpr int kHugeLines = 120;
  const std::string huge = std::string(3 << 20, 'x') + "\n";
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::FILE* in = fdopen(fds[0], "rb");
  std::FILE* out = fdopen(fds[1], "wb");
  ASSERT_NE(in, nullptr);
  ASSERT_NE(out, nullptr);
  const size_t before = ResidentBytes();
  // A varying run of short lines before each huge one moves the huge lines
  // to new slots from batch to batch.
  std::thread writer([&] {
    for (int i = 0; i < kHugeLines; ++i) {
      for (int j = 0; j < (i * 7919) % 241; ++j) std::fputs("{}\n", out);
      std::fwrite(huge.data(), 1, huge.size(), out);
    }
    std::fclose(out);
  });

  LineReader reader(in);
  BatchOptions options;
  options.threads = 2;
  options.batch_size = 256;
  options.max_bytes_in_flight = size_t{16} << 20;
  int huge_seen = 0;
  int batches = 0;
  size_t highest_in_batch = 0;
  size_t highest_between = 0;
  EXPECT_TRUE(ProcessJsonlBatches(
      &reader, options, [](int, size_t, const JsonlLine&) {},
      [&](size_t, const JsonlLine& line) {
        if (line.text.size() == huge.size() - 1) {
          ++huge_seen;
          highest_in_batch = std::max(highest_in_batch, ResidentBytes());
        }
        return true;
      },
      [&] {
        ++batches;
        highest_between = std::max(highest_between, ResidentBytes());
        return true;
      }));
  writer.join();
  std::fclose(in);
  EXPECT_EQ(huge_seen, kHugeLines);
  std::cout << "[ rss ] before " << (before >> 20) << " MiB; " << batches
            << " batches; highest during a batch " << (highest_in_batch >> 20)
            << " MiB, between batches " << (highest_between >> 20) << " MiB\n";
#if defined(__SANITIZE_ADDRESS__)
  // The stream still ran, for ASan to check the releases.
  GTEST_SKIP() << "ASan's allocator keeps freed memory in quarantine";
#endif
  // In flight: at most the byte budget plus one line, in buffers up to
  // twice their size.
  const size_t in_flight = 2 * (options.max_bytes_in_flight + huge.size());
  EXPECT_LT(highest_in_batch, before + in_flight + (16 << 20));
  // Between batches: short lines' buffers and the records in flight. It used
  // to be 274 MiB, and grows with the stream.
  EXPECT_LT(highest_between, before + SlotCount(options) * kKeepRecordBytes +
                                 in_flight + (16 << 20));
}

}  // namespace
}  // namespace watchword
