#include "src/util/thread_pool.h"

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;

TEST(ThreadPoolTest, RunsTheJobOnceOnEveryThread) {
  ThreadPool pool(3);
  ASSERT_EQ(pool.size(), 3);
  std::vector<int> calls(3, 0);  // Each thread writes only its own entry.
  std::vector<std::thread::id> ids(3);
  pool.Start([&](int t) {
    ++calls[t];
    ids[t] = std::this_thread::get_id();
  });
  pool.Wait();
  EXPECT_THAT(calls, ElementsAre(1, 1, 1));
  std::set<std::thread::id> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), 3u);
  EXPECT_EQ(distinct.count(std::this_thread::get_id()), 0u);
}

TEST(ThreadPoolTest, KeepsItsThreadsAcrossJobs) {
  ThreadPool pool(2);
  std::vector<std::thread::id> first(2), second(2);
  pool.Start([&](int t) { first[t] = std::this_thread::get_id(); });
  pool.Wait();
  pool.Start([&](int t) { second[t] = std::this_thread::get_id(); });
  pool.Wait();
  EXPECT_EQ(first, second);
}

TEST(ThreadPoolTest, WaitWaitsForEveryThreadAndTheCallerWorksAlongside) {
  ThreadPool pool(2);
  std::atomic<int> next{0};
  std::vector<int> done(10000, 0);
  auto claim = [&] {
    for (int i; (i = next.fetch_add(1)) < static_cast<int>(done.size());) {
      done[i] += 1;
    }
  };
  for (int round = 0; round < 20; ++round) {
    next = 0;
    pool.Start([&](int) { claim(); });
    claim();
    pool.Wait();
  }
  for (int count : done) ASSERT_EQ(count, 20);
}

TEST(ThreadPoolTest, WithNoThreadsStartAndWaitReturn) {
  ThreadPool pool(0);
  bool ran = false;
  pool.Start([&](int) { ran = true; });
  pool.Wait();
  EXPECT_FALSE(ran);
}

TEST(ThreadPoolTest, DestructorWaitsForTheRunningJob) {
  std::atomic<int> finished{0};
  {
    ThreadPool pool(2);
    pool.Start([&](int) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      finished.fetch_add(1);
    });
  }
  EXPECT_EQ(finished.load(), 2);
}

}  // namespace
}  // namespace watchword
