// Loading an engine builds the per-code-point tables that normalizing and
// folding non-ASCII text need, so that no scan pays for them. Its own
// binary: the tables are built once per process, and any other test that
// normalizes text would build them first.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "src/normalize/code_points.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::watchword::testing::SourcePath;

// The engine file of rulesets/examples/starter, compiled in a child
// process: compiling normalizes the ruleset's phrases, which would build
// the tables in this one.
std::string EngineBytesFromChild() {
  int fds[2];
  if (pipe(fds) != 0) return "";
  const pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    auto engine = CompileFile(SourcePath("rulesets/examples/starter.textproto"));
    if (!engine.ok()) _exit(1);
    auto bytes = SerializeEngine(**engine);
    if (!bytes.ok()) _exit(1);
    for (size_t at = 0; at < bytes->size();) {
      const ssize_t n = write(fds[1], bytes->data() + at, bytes->size() - at);
      if (n <= 0) _exit(1);
      at += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string bytes;
  char buffer[1 << 16];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof(buffer))) > 0;) {
    bytes.append(buffer, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child ||
      !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "";
  }
  return bytes;
}

TEST(EngineTablesTest, LoadingBuildsWhatTheFirstNonAsciiScanWouldBuild) {
  const std::string bytes = EngineBytesFromChild();
  ASSERT_FALSE(bytes.empty());
  ASSERT_EQ(CodePointTablesBuilt(), 0);
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      DeserializeEngine(bytes);
  ASSERT_TRUE(engine.ok()) << engine.status();
  const int built = CodePointTablesBuilt();
  EXPECT_GT(built, 0);

  // Fullwidth letters (NFKC), accents, Cyrillic, an emoji, a combining
  // mark: the first such scan used to build the tables, about 30 ms.
  Scanner scanner(*engine);
  v1::Verdict verdict;
  for (const char* text :
       {"Ｈéllo мир, ça va? 👋", "se\xcc\x81nd pics", "ѕеnd рiсѕ"}) {
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
  }
  EXPECT_EQ(CodePointTablesBuilt(), built);
}

}  // namespace
}  // namespace watchword
