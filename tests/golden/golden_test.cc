// Golden tests. tests/golden/scan/*.textproto hold a ruleset, requests and
// the verdicts they must produce; tests/golden/errors/*.textproto hold a
// broken ruleset and tests/golden/errors/*.expected the diagnostics it must
// render. Run with WATCHWORD_UPDATE_GOLDEN=1 to rewrite the expectations,
// then review the diff.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/golden/golden_case.pb.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

namespace fs = std::filesystem;

bool Updating() {
  const char* update = std::getenv("WATCHWORD_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream(path) << content;
}

std::vector<fs::path> Cases(const std::string& folder) {
  std::vector<fs::path> paths;
  for (const auto& entry :
       fs::directory_iterator(testing::SourcePath("tests/golden/" + folder))) {
    if (entry.path().extension() == ".textproto") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST(GoldenTest, ScanCasesProduceTheirVerdicts) {
  std::vector<fs::path> cases = Cases("scan");
  ASSERT_FALSE(cases.empty());
  for (const fs::path& path : cases) {
    SCOPED_TRACE(path.filename().string());
    testing::GoldenCase golden;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(ReadFile(path),
                                                              &golden));
    for (Backend backend : {Backend::kRe2, Backend::kDefault}) {
      auto engine = Compile(golden.ruleset(), {.backend = backend});
      ASSERT_TRUE(engine.ok()) << engine.status();
      Scanner scanner(*engine);
      testing::GoldenCase actual = golden;
      actual.clear_verdicts();
      for (const v1::ScanRequest& request : golden.requests()) {
        v1::Verdict* verdict = actual.add_verdicts();
        (void)scanner.Scan(request, verdict);  // Errors are in the verdict.
        verdict->clear_ruleset();  // The fingerprint churns with any edit.
      }
      if (Updating()) {
        std::string text;
        google::protobuf::TextFormat::PrintToString(actual, &text);
        WriteFile(path, text);
        continue;
      }
      ASSERT_EQ(actual.verdicts_size(), golden.verdicts_size());
      for (int i = 0; i < golden.verdicts_size(); ++i) {
        EXPECT_EQ(actual.verdicts(i).ShortDebugString(),
                  golden.verdicts(i).ShortDebugString())
            << "request " << i << " on " << BackendName(backend);
      }
    }
  }
}

TEST(GoldenTest, ErrorCasesRenderTheirDiagnostics) {
  std::vector<fs::path> cases = Cases("errors");
  ASSERT_FALSE(cases.empty());
  for (const fs::path& path : cases) {
    SCOPED_TRACE(path.filename().string());
    std::vector<v1::Diagnostic> diagnostics;
    auto engine = CompileFile(path.string(), {}, &diagnostics);
    EXPECT_FALSE(engine.ok());
    std::string rendered;
    for (v1::Diagnostic d : diagnostics) {
      // Paths differ between machines; keep the file name only.
      d.set_file(fs::path(d.file()).filename().string());
      rendered += FormatDiagnostic(d) + "\n";
    }
    fs::path expected_path = path;
    expected_path.replace_extension(".expected");
    if (Updating()) {
      WriteFile(expected_path, rendered);
      continue;
    }
    EXPECT_EQ(rendered, ReadFile(expected_path));
  }
}

}  // namespace
}  // namespace watchword
