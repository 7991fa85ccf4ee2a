// Steady-state scans of benign text allocate nothing, and a text that
// repeats terms allocates no more than its views need: a counting global
// operator new watches every allocation the process makes.
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace {
std::atomic<long> allocations{0};
std::atomic<std::size_t> largest_allocation{0};
}  // namespace

// Replacing the global allocation functions counts every `new` in the
// process, the library's, protobuf's and Abseil's included.
void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  std::size_t largest = largest_allocation.load(std::memory_order_relaxed);
  while (size > largest &&
         !largest_allocation.compare_exchange_weak(largest, size)) {
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace watchword {
namespace {

TEST(AllocationTest, BenignScansAllocateNothingOnceWarm) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sanitizer's allocator replaces ours in this build";
#endif
  auto engine = CompileFile(
      testing::SourcePath("rulesets/examples/starter.textproto"));
  ASSERT_TRUE(engine.ok()) << engine.status();
  const std::vector<std::string> texts = {
      "hey are you coming to the game later lol",
      "my mum said we can go to the park tomorrow, what time works?",
      "ok cool see ya 5pm",
      "Привет, как дела? увидимся завтра",
      "lol 😂😂 gg 👍",
      "i think so maybe after dinner",
  };
  for (Backend backend : {Backend::kDefault, Backend::kRe2}) {
    auto compiled = CompileFile(
        testing::SourcePath("rulesets/examples/starter.textproto"),
        {.backend = backend});
    ASSERT_TRUE(compiled.ok());
    Scanner scanner(*compiled);
    v1::Verdict verdict;
    // Warm up: buffers grow to their working size.
    for (int round = 0; round < 3; ++round) {
      for (const std::string& text : texts) {
        ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
      }
    }
    const long before = allocations.load();
    for (int round = 0; round < 100; ++round) {
      for (const std::string& text : texts) {
        ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
        ASSERT_EQ(verdict.rule_matches_size(), 0) << text;
      }
    }
    const long per_scan = (allocations.load() - before) / (100 * 6);
    if (backend == Backend::kRe2) {
      // RE2::Set::Match allocates a SparseSet (3 blocks) per call, inside
      // RE2; the scanner calls it once per view (base and folded here).
      EXPECT_LE(per_scan, 6) << BackendName(backend);
    } else {
      EXPECT_EQ(allocations.load() - before, 0) << BackendName(backend);
    }
  }
}

// 20 overlapping phrases ("s", "ss", ... "ssss...s") on 256 KiB of "s"
// occur 5 million times. Before occurrences were capped while matching, the
// scanner held all of them (a 128 MiB vector; 512 MiB and 8 s for 1 MiB);
// now each view keeps ScanOptions::max_hits_per_term per phrase: 16 MiB.
TEST(AllocationTest, RepeatedTermsAreCappedWhileMatching) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the sanitizer's allocator replaces ours in this build";
#endif
  std::string rules = R"pb(name: "over" version: "1"
                           rules { id: "o" action: ACTION_LOG match { any {)pb";
  for (int n = 1; n <= 20; ++n) {
    rules += " exprs { term { phrase: \"" + std::string(n, 's') +
             "\" substring: true } }";
  }
  rules += " } } }";
  const std::string text(256 << 10, 's');
  for (Backend backend : {Backend::kDefault, Backend::kRe2}) {
    auto engine = Compile(testing::ParseRuleset(rules), {.backend = backend});
    ASSERT_TRUE(engine.ok()) << engine.status();
    Scanner scanner(*engine);
    v1::Verdict verdict;
    largest_allocation = 0;
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
    EXPECT_GT(verdict.stats().term_hits_dropped(), 5'000'000u);
    EXPECT_EQ(verdict.rule_matches(0).matches_size(), 20 * 10'000);
    EXPECT_LT(largest_allocation.load(), std::size_t{64} << 20)
        << BackendName(backend);
  }
}

}  // namespace
}  // namespace watchword
