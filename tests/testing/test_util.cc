#include "tests/testing/test_util.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "watchword/compiler.h"

namespace watchword::testing {

v1::Ruleset ParseRuleset(const std::string& text) {
  v1::Ruleset ruleset;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &ruleset))
      << text;
  return ruleset;
}

v1::ScanRequest ParseRequest(const std::string& text) {
  v1::ScanRequest request;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &request))
      << text;
  return request;
}

std::shared_ptr<const Engine> MustCompile(const std::string& text,
                                          Backend backend) {
  auto engine = Compile(ParseRuleset(text), {.backend = backend});
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *engine : nullptr;
}

std::vector<std::string> RuleIds(const v1::Verdict& verdict) {
  std::vector<std::string> ids;
  for (const auto& m : verdict.rule_matches()) ids.push_back(m.rule_id());
  return ids;
}

std::string SourcePath(const std::string& relative) {
  const char* root = std::getenv("WATCHWORD_SOURCE_DIR");
  std::string base = root != nullptr ? root : WATCHWORD_SOURCE_DIR;
  return base + "/" + relative;
}

std::string TestDataPath(const std::string& name) {
  return SourcePath("tests/data/" + name);
}

std::string CorpusPath(const std::string& name) {
  std::filesystem::path path =
      std::filesystem::path(SourcePath("")).parent_path().parent_path() /
      "shared" / "corpora" / name;
  if (std::filesystem::exists(path)) return path.string();
  const char* ci = std::getenv("CI");
  if (ci != nullptr && std::string(ci) == "true") {
    ADD_FAILURE() << "CI=true but the shared corpus is missing: " << path;
  }
  return "";
}

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace watchword::testing
