#include "src/serve/engine_source.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/serve/metrics.h"
#include "tests/testing/test_util.h"

namespace watchword {
namespace {

using ::testing::HasSubstr;

std::string Starter() {
  std::ifstream file(testing::SourcePath("rulesets/examples/starter.textproto"));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Writes `text` to `path` the way deploy tools do: a new file renamed over.
void Replace(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".new";
  std::ofstream(temporary) << text;
  std::filesystem::rename(temporary, path);
}

// Polls `done` for up to two minutes: slow machines are slow, not failing.
bool WaitFor(const std::function<bool()>& done) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

class ReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/reloader_test_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()
                            ->current_test_info()
                            ->name());
    std::filesystem::create_directories(dir_);
    path_ = dir_ + "/rules.textproto";
    std::ofstream(path_) << Starter();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::string path_;
};

TEST_F(ReloaderTest, StampChangesWithTheFile) {
  EngineSource source(path_, "", Backend::kDefault);
  const std::string before = source.Stamp();
  EXPECT_THAT(before, HasSubstr(path_));
  EXPECT_EQ(source.Stamp(), before);
  Replace(path_, Starter() + "\n# changed\n");
  EXPECT_NE(source.Stamp(), before);
  EXPECT_EQ(EngineSource(dir_ + "/missing", "", Backend::kDefault).Stamp(), "");
}

TEST_F(ReloaderTest, ReloadsAChangedFile) {
  EngineSource source(path_, "", Backend::kDefault);
  const std::string stamp = source.Stamp();
  auto engine = source.Load();
  ASSERT_TRUE(engine.ok()) << engine.status();
  EngineHandle handle(*engine);
  Metrics metrics;
  Reloader reloader(&source, &handle, &metrics, absl::Milliseconds(10), stamp);
  Replace(path_, absl::StrReplaceAll(Starter(), {{"version: \"0.1.0\"",
                                                  "version: \"0.2.0\""}}));
  EXPECT_TRUE(WaitFor([&] { return handle.Get()->info().version() == "0.2.0"; }));
  EXPECT_EQ(handle.generation(), 1u);
  EXPECT_THAT(metrics.Render(),
              HasSubstr("watchword_reloads_total{result=\"ok\"} 1\n"));
}

TEST_F(ReloaderTest, RequestReloadsAnUnchangedFile) {
  EngineSource source(path_, "", Backend::kDefault);
  auto engine = source.Load();
  ASSERT_TRUE(engine.ok()) << engine.status();
  EngineHandle handle(*engine);
  Metrics metrics;
  // Polling off: only requests reload.
  Reloader reloader(&source, &handle, &metrics, absl::ZeroDuration(),
                    source.Stamp());
  reloader.RequestReload();
  EXPECT_TRUE(WaitFor([&] { return handle.generation() == 1; }));
  EXPECT_NE(handle.Get(), *engine);
  EXPECT_EQ(handle.Get()->info().fingerprint(), (*engine)->info().fingerprint());
}

TEST_F(ReloaderTest, ABrokenFileKeepsTheEngineServing) {
  EngineSource source(path_, "", Backend::kDefault);
  auto engine = source.Load();
  ASSERT_TRUE(engine.ok()) << engine.status();
  EngineHandle handle(*engine);
  Metrics metrics;
  Reloader reloader(&source, &handle, &metrics, absl::Milliseconds(10),
                    source.Stamp());
  Replace(path_, "rules { id: \"broken\" match { term { phrase: ");
  EXPECT_TRUE(WaitFor([&] {
    return metrics.Render().find(
               "watchword_reloads_total{result=\"error\"} 1\n") !=
           std::string::npos;
  }));
  EXPECT_EQ(handle.Get(), *engine);
  EXPECT_EQ(handle.generation(), 0u);
}

}  // namespace
}  // namespace watchword
