// Helpers shared by the tests.
#ifndef WATCHWORD_TESTS_TESTING_TEST_UTIL_H_
#define WATCHWORD_TESTS_TESTING_TEST_UTIL_H_

#include <cstddef>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "watchword/engine.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/ruleset.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword::testing {

// Parses a text-format Ruleset; fails the test (and returns an empty one) on
// a syntax error.
v1::Ruleset ParseRuleset(const std::string& text);

// Parses a text-format ScanRequest; fails the test on a syntax error.
v1::ScanRequest ParseRequest(const std::string& text);

// Compiles a text-format Ruleset for `backend`. Fails the test, and returns
// null, if it does not parse or compile: follow with
// `ASSERT_NE(engine, nullptr)`.
std::shared_ptr<const Engine> MustCompile(const std::string& text,
                                          Backend backend = Backend::kDefault);

// Rule ids of a verdict's matches, in order.
std::vector<std::string> RuleIds(const v1::Verdict& verdict);

// Absolute path of a file in the source tree, e.g. "rulesets/examples/x".
std::string SourcePath(const std::string& relative);

// Path of tests/data/<name>, data shipped with the source tree (see
// tests/data/README.md), e.g. TestDataPath("sms_ham.jsonl").
std::string TestDataPath(const std::string& name);

// Reads a JSON Lines file of `T` messages in proto JSON (unknown members
// ignored, empty lines skipped), such as TestDataPath("sms_ham.jsonl") as
// v1::ScanRequest. Fails the test at a file it cannot read (returning no
// records) and at each line that does not parse (skipping it).
template <typename T>
std::vector<T> ReadJsonl(const std::string& path) {
  std::vector<T> records;
  std::ifstream in(path);
  if (!in.is_open()) {
    ADD_FAILURE() << "cannot read " << path;
    return records;
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    T record;
    const auto status =
        google::protobuf::util::JsonStringToMessage(line, &record, options);
    if (!status.ok()) {
      ADD_FAILURE() << path << ":" << number << ": " << status.ToString();
      continue;
    }
    records.push_back(std::move(record));
  }
  return records;
}

// Path of ../shared/corpora/<name> beside the source tree, for data that is
// not shipped. If it is absent,
// returns "" after GTEST_SKIP-worthy logging; under CI=true its absence is a
// test failure. Use as:
//   std::string path = CorpusPath("chat_logs.jsonl");
//   if (path.empty()) GTEST_SKIP() << "../shared/corpora/chat_logs.jsonl not found";
std::string CorpusPath(const std::string& name);

// Resident set size of this process, from /proc/self/statm; 0 if unknown.
// Meaningless under ASan, whose allocator keeps freed memory in quarantine:
// memory tests skip there.
size_t ResidentBytes();

inline absl::Status ToStatus(const absl::Status& status) { return status; }
template <typename T>
absl::Status ToStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches an absl::Status (or StatusOr) with the given code and a message
// matching `message_matcher`.
MATCHER_P2(StatusIs, code, message_matcher, "") {
  absl::Status status = watchword::testing::ToStatus(arg);
  if (status.code() != code) {
    *result_listener << "code is " << absl::StatusCodeToString(status.code())
                     << ": " << status.message();
    return false;
  }
  return ::testing::ExplainMatchResult(
      message_matcher, std::string(status.message()), result_listener);
}

}  // namespace watchword::testing

#endif  // WATCHWORD_TESTS_TESTING_TEST_UTIL_H_
