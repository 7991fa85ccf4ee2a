// The one thread pool of the CLI and the Python bindings: `watchword scan
// --threads N` runs its reader and scanning stages on one (jsonl.cc), and
// Python's scan_many() its scanning workers (_watchword.cc). Header-only,
// so that the extension module, which links only the public library, can
// use it too.
#ifndef WATCHWORD_SRC_UTIL_THREAD_POOL_H_
#define WATCHWORD_SRC_UTIL_THREAD_POOL_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace watchword {

// A fixed set of threads that run one job at a time: Start(job) calls
// job(t) on every thread t in [0, size()) and returns at once, so the
// caller can work alongside; Wait() returns once every thread has returned
// from the job. Threads live as long as the pool, so a caller that runs
// many short jobs (scan_many()'s chunks) starts them once. How work is
// split is the job's business: the callers claim items from an atomic
// counter. Start() and Wait() are for one thread (the owner) at a time.
class ThreadPool {
 public:
  // Starts `threads` threads (none if `threads` <= 0; then jobs do nothing).
  explicit ThreadPool(int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] { Loop(t); });
    }
  }

  // Waits for the current job, then stops and joins the threads.
  ~ThreadPool() {
    {
      std::unique_lock<std::mutex> lock(mu_);
      done_.wait(lock, [this] { return busy_ == 0; });
      stop_ = true;
    }
    work_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // The number of threads.
  int size() const { return static_cast<int>(threads_.size()); }

  // Calls job(t) on each thread t and returns without waiting. What the
  // caller wrote before Start() is visible to the job.
  // REQUIRES: the previous job was waited for (Wait()).
  void Start(std::function<void(int)> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = std::move(job);
      busy_ = size();
      ++generation_;
    }
    work_.notify_all();
  }

  // Returns once every thread has returned from the current job (at once
  // if there is none). What the job wrote is then visible to the caller.
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return busy_ == 0; });
  }

 private:
  void Loop(int t) {
    uint64_t seen = 0;
    while (true) {
      const std::function<void(int)>* job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        job = &job_;
      }
      // `job_` is not replaced before every thread is done with it.
      (*job)(t);
      std::lock_guard<std::mutex> lock(mu_);
      if (--busy_ == 0) done_.notify_all();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable work_;  // A job started, or stop_.
  std::condition_variable done_;  // busy_ reached 0.
  std::function<void(int)> job_;  // Guarded by mu_ while it is replaced.
  uint64_t generation_ = 0;       // Guarded by mu_; counts Start() calls.
  int busy_ = 0;                  // Guarded by mu_; threads on the job.
  bool stop_ = false;             // Guarded by mu_.
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_UTIL_THREAD_POOL_H_
