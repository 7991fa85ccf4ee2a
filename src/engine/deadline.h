// When a scan must stop, as the matchers and rule logic see it.
#ifndef WATCHWORD_SRC_ENGINE_DEADLINE_H_
#define WATCHWORD_SRC_ENGINE_DEADLINE_H_

#include <chrono>
#include <cstdint>

#include "absl/status/status.h"

namespace watchword {

// A point in time (on the steady clock) after which a scan stops, or none.
// Loops call Tick() once per unit of work, which reads the clock only every
// kStride calls; work between clock reads is bounded by kStride units, and
// a unit is at most one window of regex search or one rule. Not
// thread-safe; one per Scanner.
class Deadline {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr uint32_t kStride = 64;

  // No deadline: Passed() and Tick() are always false.
  Deadline() = default;
  explicit Deadline(Clock::time_point at) : set_(true), at_(at) {}

  // True once the deadline has passed (and from then on). Reads the clock.
  bool Passed() {
    if (!set_ || passed_) return passed_;
    passed_ = Clock::now() >= at_;
    return passed_;
  }

  // Whether Passed() or Tick() last found the deadline passed; no clock.
  bool passed() const { return passed_; }

  // As Passed(), reading the clock only every kStride calls.
  bool Tick() {
    if (!set_ || passed_) return passed_;
    if (++ticks_ < kStride) return false;
    ticks_ = 0;
    return Passed();
  }

  // What a scan returns when it stopped for the deadline.
  static absl::Status Exceeded() {
    return absl::DeadlineExceededError("scan deadline passed");
  }

 private:
  bool set_ = false;
  bool passed_ = false;
  uint32_t ticks_ = 0;
  Clock::time_point at_{};
};

}  // namespace watchword

#endif  // WATCHWORD_SRC_ENGINE_DEADLINE_H_
