// Engine files: a loaded engine scans exactly like the compiled one, and a
// damaged or foreign file is a clear error, never a crash or a different
// engine.
#include "watchword/serialize.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "src/compile/lower.h"
#include "src/engine/ruleset_limits.h"
#include "src/engine/engine_file.h"
#include "tests/evasion/evasion_corpus.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::watchword::testing::SourcePath;
using ::watchword::testing::StatusIs;

std::vector<Backend> Backends() {
  std::vector<Backend> backends = {Backend::kRe2};
  if (HasHyperscan()) backends.push_back(Backend::kHyperscan);
  return backends;
}

// Compiling child_safety takes seconds; each test suite compiles each
// ruleset once per backend.
std::shared_ptr<const Engine> Compiled(const std::string& ruleset,
                                       Backend backend) {
  static auto* cache = new std::map<std::pair<std::string, Backend>,
                                    std::shared_ptr<const Engine>>;
  auto& engine = (*cache)[{ruleset, backend}];
  if (engine == nullptr) {
    auto compiled = CompileFile(SourcePath(ruleset), {.backend = backend});
    EXPECT_TRUE(compiled.ok()) << compiled.status();
    if (compiled.ok()) engine = *compiled;
  }
  return engine;
}

// The example conversation, every example of every rule (many of them
// disguised), and generated disguises of phrases the rulesets look for.
std::vector<v1::ScanRequest> Requests(const Engine& engine) {
  std::vector<v1::ScanRequest> requests;
  std::ifstream in(SourcePath("examples/conversation.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    v1::ScanRequest request;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(line, &request).ok());
    requests.push_back(std::move(request));
  }
  EXPECT_GT(requests.size(), 10u);
  for (const v1::Rule& rule : engine.ruleset().rules()) {
    for (const auto* examples :
         {&rule.should_match(), &rule.should_not_match()}) {
      for (const v1::Example& example : *examples) {
        v1::ScanRequest request;
        request.set_text(example.text());
        *request.mutable_fields() = example.fields();
        *request.mutable_context() = example.context();
        request.set_echo_matched_text(true);
        requests.push_back(std::move(request));
      }
    }
  }
  for (const char* phrase :
       {"send me a pic", "dont tell your parents", "add me on snap",
        "how old are you", "are you home alone", "keep it secret"}) {
    for (const testing::Evasion& evasion : testing::Generate(phrase)) {
      v1::ScanRequest request;
      request.set_text(evasion.text);
      request.mutable_context()->set_sender_age_band(v1::AGE_BAND_ADULT);
      request.mutable_context()->set_recipient_age_band(v1::AGE_BAND_13_15);
      requests.push_back(std::move(request));
    }
  }
  return requests;
}

std::string SerializeOrDie(const Engine& engine) {
  absl::StatusOr<std::string> bytes = SerializeEngine(engine);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

class RoundTripTest
    : public ::testing::TestWithParam<std::tuple<const char*, Backend>> {};

TEST_P(RoundTripTest, LoadedEngineGivesIdenticalVerdicts) {
  const auto [ruleset, backend] = GetParam();
  std::shared_ptr<const Engine> compiled = Compiled(ruleset, backend);
  ASSERT_NE(compiled, nullptr);
  absl::StatusOr<std::shared_ptr<const Engine>> loaded =
      DeserializeEngine(SerializeOrDie(*compiled));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->backend(), backend);
  EXPECT_EQ((*loaded)->info().SerializeAsString(),
            compiled->info().SerializeAsString());
  EXPECT_EQ((*loaded)->ruleset().SerializeAsString(),
            compiled->ruleset().SerializeAsString());
  EXPECT_EQ((*loaded)->rule_count(), compiled->rule_count());
  EXPECT_EQ((*loaded)->pattern_count(), compiled->pattern_count());

  Scanner compiled_scanner(compiled), loaded_scanner(*loaded);
  v1::Verdict expected, actual;
  int flagged = 0;
  for (const v1::ScanRequest& request : Requests(*compiled)) {
    ASSERT_EQ(compiled_scanner.Scan(request, &expected),
              loaded_scanner.Scan(request, &actual));
    ASSERT_EQ(actual.SerializeAsString(), expected.SerializeAsString())
        << request.text() << "\nexpected: " << expected.ShortDebugString()
        << "\nactual: " << actual.ShortDebugString();
    if (expected.rule_matches_size() > 0) ++flagged;
  }
  // The comparison means something only if many requests matched.
  EXPECT_GT(flagged, 100);
}

TEST_P(RoundTripTest, SerializingTheLoadedEngineGivesTheSameBytes) {
  const auto [ruleset, backend] = GetParam();
  std::shared_ptr<const Engine> compiled = Compiled(ruleset, backend);
  ASSERT_NE(compiled, nullptr);
  const std::string bytes = SerializeOrDie(*compiled);
  absl::StatusOr<std::shared_ptr<const Engine>> loaded =
      DeserializeEngine(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(SerializeOrDie(**loaded), bytes);
}

INSTANTIATE_TEST_SUITE_P(
    Rulesets, RoundTripTest,
    ::testing::Combine(::testing::Values("rulesets/child_safety",
                                         "rulesets/examples/starter.textproto"),
                       ::testing::ValuesIn(Backends())),
    [](const auto& info) {
      std::string name = std::get<0>(info.param);
      name = name.substr(name.rfind('/') + 1);
      name = name.substr(0, name.find('.'));
      return name + "_" + BackendName(std::get<1>(info.param));
    });

// What compiles loads: the ruleset limits are the same on every path.
TEST(SerializeTest, RuleNestedAtTheDepthLimitLoadsFromItsEngineFile) {
  std::string match = R"pb(term { phrase: "keep it secret" })pb";
  for (int depth = 1; depth < kMaxExprDepth; ++depth) {
    match = absl::StrCat("any { exprs { ", match, " } }");
  }
  const v1::Ruleset ruleset = testing::ParseRuleset(absl::StrCat(
      R"pb(rules { id: "deep" action: ACTION_REVIEW match { )pb", match,
      " } }"));
  for (Backend backend : Backends()) {
    absl::StatusOr<std::shared_ptr<const Engine>> compiled =
        Compile(ruleset, {.backend = backend});
    ASSERT_TRUE(compiled.ok()) << compiled.status();
    absl::StatusOr<std::shared_ptr<const Engine>> loaded =
        DeserializeEngine(SerializeOrDie(**compiled));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    Scanner scanner(*loaded);
    v1::Verdict verdict;
    ASSERT_TRUE(scanner.Scan("you must keep it secret", &verdict).ok());
    ASSERT_EQ(verdict.rule_matches_size(), 1);
    EXPECT_EQ(verdict.rule_matches(0).rule_id(), "deep");
  }
}

TEST(SerializeTest, Re2FileHoldsNoDatabases) {
  std::shared_ptr<const Engine> engine =
      Compiled("rulesets/examples/starter.textproto", Backend::kRe2);
  ASSERT_NE(engine, nullptr);
  absl::StatusOr<EngineFile> file = DecodeEngineFile(SerializeOrDie(*engine));
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->backend, kEngineFileRe2);
  EXPECT_TRUE(file->matchers.empty());
}

// engine_file_fuzzer's whole-file seeds (mode 0: the first byte, then a
// file) must load, or every mutation of them stops at the format check and
// the fuzzer never reaches the decoder. The RE2 seeds only: a Hyperscan
// database also depends on the CPU and Hyperscan version that wrote it.
TEST(SerializeTest, FuzzerSeedsAreCurrentEngineFiles) {
  for (const char* seed : {"tiny_re2_mode0", "diff_re2_mode0"}) {
    std::ifstream in(
        SourcePath(absl::StrCat("tests/fuzz/corpus/engine_file_fuzzer/", seed)),
        std::ios::binary);
    ASSERT_TRUE(in) << seed;
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    ASSERT_EQ(bytes.substr(0, 1), std::string(1, '\0')) << seed;
    EXPECT_TRUE(DeserializeEngine(bytes.substr(1)).ok())
        << seed << " is stale: rerun tests/fuzz/make_engine_file_corpus.py "
        << DeserializeEngine(bytes.substr(1)).status();
  }
}

// A Hyperscan engine file of the starter ruleset, and its decoded fields
// for making files that pass the checksum but do not fit.
class CorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HasHyperscan()) GTEST_SKIP() << "no hyperscan in this build";
    std::shared_ptr<const Engine> engine =
        Compiled("rulesets/examples/starter.textproto", Backend::kHyperscan);
    ASSERT_NE(engine, nullptr);
    bytes_ = SerializeOrDie(*engine);
    absl::StatusOr<EngineFile> file = DecodeEngineFile(bytes_);
    ASSERT_TRUE(file.ok()) << file.status();
    file_ = *file;
    ASSERT_EQ(file_.matchers.size(), 7u);
  }

  // Returns DeserializeEngine() of `file_` after `edit`, re-encoded with a
  // good checksum. `file_` keeps pointing into `bytes_`.
  template <typename Edit>
  absl::Status LoadEdited(Edit edit) {
    EngineFile file = file_;
    edit(&file);
    return DeserializeEngine(EncodeEngineFile(file)).status();
  }

  std::string bytes_;
  EngineFile file_;
};

TEST_F(CorruptionTest, UneditedFileLoads) {
  EXPECT_TRUE(DeserializeEngine(bytes_).ok());
  EXPECT_TRUE(LoadEdited([](EngineFile*) {}).ok());
}

TEST_F(CorruptionTest, TruncationIsDataLoss) {
  ASSERT_GT(bytes_.size(), 1000u);
  for (size_t size = 0; size < bytes_.size(); size += size < 200 ? 1 : 997) {
    EXPECT_THAT(DeserializeEngine(absl::string_view(bytes_).substr(0, size)),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("truncated")))
        << size;
  }
  EXPECT_THAT(
      DeserializeEngine(absl::string_view(bytes_).substr(0, bytes_.size() - 1)),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("truncated")));
}

TEST_F(CorruptionTest, FlippedBytesAreDataLoss) {
  for (size_t i = 12; i < bytes_.size();
       i += i < 300 ? 1 : bytes_.size() / 200) {
    std::string bytes = bytes_;
    bytes[i] ^= 0x40;
    EXPECT_THAT(DeserializeEngine(bytes), StatusIs(absl::StatusCode::kDataLoss,
                                                   HasSubstr("engine file is")))
        << i;
  }
}

TEST_F(CorruptionTest, WrongMagicIsInvalidArgument) {
  std::string bytes = bytes_;
  bytes[3] = 'x';
  EXPECT_THAT(DeserializeEngine(bytes),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a watchword engine file")));
  EXPECT_THAT(DeserializeEngine("name: \"a textproto ruleset\""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a watchword engine file")));
}

TEST_F(CorruptionTest, WrongFormatVersionSaysToRecompile) {
  EXPECT_THAT(LoadEdited([](EngineFile* f) { f->format_version = 7; }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("format version 7; this build of watchword "
                                 "reads version 6; recompile")));
}

TEST_F(CorruptionTest, OtherHyperscanVersionSaysToRecompile) {
  EXPECT_THAT(
      LoadEdited([](EngineFile* f) { f->hyperscan_version = "4.7.0 2018"; }),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               AllOf(HasSubstr("compiled by Hyperscan 4.7.0 2018"),
                     HasSubstr("recompile the engine"))));
}

TEST_F(CorruptionTest, WrongRulesetFingerprintSaysToRecompile) {
  EXPECT_THAT(LoadEdited([](EngineFile* f) {
                f->ruleset_fingerprint = "0000000000000000";
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("fingerprint 0000000000000000"),
                             HasSubstr("recompile"))));
}

TEST_F(CorruptionTest, RulesetWithUnknownFieldsSaysToRecompile) {
  // Field 1000, varint 1: what a newer watchword's ruleset might hold. Its
  // writer knew the field, so the fingerprint covers it.
  std::string ruleset = std::string(file_.ruleset) + "\xc0\x3e\x01";
  v1::Ruleset newer;
  ASSERT_TRUE(newer.ParseFromString(ruleset));
  const std::string fingerprint = RulesetFingerprint(newer);
  EXPECT_THAT(LoadEdited([&](EngineFile* f) {
                f->ruleset = ruleset;
                f->ruleset_fingerprint = fingerprint;
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not know all its fields")));
}

TEST_F(CorruptionTest, UnparsableRulesetIsDataLoss) {
  EXPECT_THAT(LoadEdited([](EngineFile* f) { f->ruleset = "\xff\xff\xff"; }),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("ruleset does not parse")));
}

TEST_F(CorruptionTest, UnknownBackendIsDataLoss) {
  EXPECT_THAT(
      LoadEdited([](EngineFile* f) { f->backend = 9; }),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("unknown backend 9")));
}

TEST_F(CorruptionTest, DatabaseForOtherPatternsSaysToRecompile) {
  // What a file from a release that lowered phrases differently looks like.
  EXPECT_THAT(LoadEdited([](EngineFile* f) {
                f->matchers[1].patterns_fingerprint ^= 1;
              }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("\"folded\" database was compiled for"),
                             HasSubstr("recompile"))));
  EXPECT_THAT(LoadEdited([](EngineFile* f) { ++f->matchers[1].pattern_count; }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("lowers the ruleset to")));
}

TEST_F(CorruptionTest, MissingOrRenamedMatchersSayToRecompile) {
  EXPECT_THAT(LoadEdited([](EngineFile* f) { f->matchers.pop_back(); }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("has 6 hyperscan databases; this build of "
                                 "watchword uses 7")));
  EXPECT_THAT(LoadEdited([](EngineFile* f) { f->matchers[2].name = "spaced"; }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("\"spaced\" database where this build")));
}

// Bytes inside a Hyperscan database, with the file's checksum made good
// again: Hyperscan must refuse them (its own header and CRC) and the load
// fail cleanly, unless the byte is one Hyperscan ignores (its header has
// reserved fields), in which case the engine must scan as before.
TEST_F(CorruptionTest, DamagedHyperscanDatabaseFailsOrIsHarmless) {
  const std::string folded(file_.matchers[1].database);
  ASSERT_GT(folded.size(), 100u);
  std::shared_ptr<const Engine> original =
      Compiled("rulesets/examples/starter.textproto", Backend::kHyperscan);
  int refused = 0, tried = 0;
  for (size_t i = 0; i < folded.size(); i += i < 64 ? 1 : folded.size() / 50) {
    std::string damaged = folded;
    damaged[i] ^= 0x01;
    EngineFile file = file_;
    file.matchers[1].database = damaged;
    absl::StatusOr<std::shared_ptr<const Engine>> loaded =
        DeserializeEngine(EncodeEngineFile(file));
    ++tried;
    if (!loaded.ok()) {
      ++refused;
      EXPECT_THAT(loaded, AnyOf(StatusIs(absl::StatusCode::kDataLoss,
                                         HasSubstr("\"folded\" database")),
                                StatusIs(absl::StatusCode::kFailedPrecondition,
                                         HasSubstr("\"folded\" database"))))
          << i;
      continue;
    }
    Scanner expected_scanner(original), actual_scanner(*loaded);
    v1::Verdict expected, actual;
    for (const v1::ScanRequest& request : Requests(*original)) {
      ASSERT_TRUE(expected_scanner.Scan(request, &expected).ok());
      ASSERT_TRUE(actual_scanner.Scan(request, &actual).ok()) << i;
      ASSERT_EQ(actual.SerializeAsString(), expected.SerializeAsString()) << i;
    }
  }
  EXPECT_GT(refused, tried * 3 / 4);
  EXPECT_THAT(LoadEdited([](EngineFile* f) { f->matchers[1].database = "x"; }),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("not a serialized database")));
  EXPECT_THAT(LoadEdited([](EngineFile* f) { f->matchers[1].database = ""; }),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("database for")));
}

class EngineFileIoTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) {
    return ::testing::TempDir() + "/serialize_test_" + name;
  }
};

TEST_F(EngineFileIoTest, SaveThenLoad) {
  std::shared_ptr<const Engine> engine =
      Compiled("rulesets/examples/starter.textproto", Backend::kDefault);
  ASSERT_NE(engine, nullptr);
  const std::string path = Path("starter.wwengine");
  ASSERT_TRUE(SaveEngineFile(*engine, path).ok());
  absl::StatusOr<std::shared_ptr<const Engine>> loaded = LoadEngineFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ((*loaded)->info().fingerprint(), engine->info().fingerprint());
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  std::remove(path.c_str());
}

TEST_F(EngineFileIoTest, MissingFileIsNotFound) {
  EXPECT_THAT(LoadEngineFile(Path("absent.wwengine")),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("serialize_test_absent.wwengine")));
}

TEST_F(EngineFileIoTest, RulesetFileIsNotAnEngineFile) {
  const std::string path = SourcePath("rulesets/examples/starter.textproto");
  EXPECT_THAT(LoadEngineFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(path),
                             HasSubstr("not a watchword engine file"))));
}

TEST_F(EngineFileIoTest, UnwritablePathNamesIt) {
  std::shared_ptr<const Engine> engine =
      Compiled("rulesets/examples/starter.textproto", Backend::kDefault);
  ASSERT_NE(engine, nullptr);
  absl::Status status = SaveEngineFile(*engine, Path("no/such/dir/x"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound,
                               HasSubstr("no/such/dir/x.tmp")));
}

}  // namespace
}  // namespace watchword
