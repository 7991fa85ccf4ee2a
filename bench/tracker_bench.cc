// The ConversationTracker: updates per second with many conversations
// tracked, memory per tracked conversation, and what tracking adds to a
// scan. Rules are examples/conversation_rules.textproto (six weak signals,
// a distinct-stages rule and a sequence rule, per direction).
//
//   cmake -B build -DWATCHWORD_BUILD_BENCH=ON
//   cmake --build build -j2 --target tracker_bench && build/tracker_bench
//
// BM_TrackerUpdate: items/s are updates/s on a tracker that already holds
// `conversations` conversations, each update to a random one of them (1 in
// 4 carrying a signal). BM_TrackerMemory: heap bytes per conversation after
// filling a tracker (counter bytes_per_conversation), with 1 message
// of signals each or `max_signals` (the bound). BM_Scan{Untracked,Tracked}:
// Scanner::Scan alone, then Scan plus Track, over the same messages.
#include <malloc.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "watchword/watchword.h"

namespace {

using watchword::ConversationTracker;
using watchword::Engine;

const std::shared_ptr<const Engine>& ConversationEngine() {
  static const auto* engine = [] {
    auto compiled = watchword::CompileFile(
        WATCHWORD_SOURCE_DIR "/examples/conversation_rules.textproto");
    if (!compiled.ok()) std::abort();
    return new std::shared_ptr<const Engine>(*compiled);
  }();
  return *engine;
}

// Bytes the heap has handed out and not taken back (glibc's count): unlike
// the resident set, it does not depend on what earlier benchmarks freed.
size_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

std::vector<std::string> Ids(const char* prefix, int64_t n) {
  std::vector<std::string> ids;
  ids.reserve(n);
  for (int64_t i = 0; i < n; ++i) ids.push_back(absl::StrCat(prefix, i));
  return ids;
}

// A verdict of message `id` with one signal rule, or none.
watchword::v1::Verdict VerdictWith(const std::string& id, const char* rule) {
  watchword::v1::Verdict verdict;
  verdict.set_request_id(id);
  if (rule != nullptr) verdict.add_rule_matches()->set_rule_id(rule);
  return verdict;
}

watchword::v1::Context AdultToMinor() {
  watchword::v1::Context context;
  context.set_sender_id("adult");
  context.set_recipient_id("kid");
  context.set_sender_age_band(watchword::v1::AGE_BAND_ADULT);
  context.set_recipient_age_band(watchword::v1::AGE_BAND_13_15);
  return context;
}

constexpr const char* kSignals[] = {"signal.flattery", "signal.age",
                                    "signal.isolation", "signal.secrecy"};

// Gives each of `conversations` (ids) `messages` messages with a signal.
void Fill(ConversationTracker& tracker, const std::vector<std::string>& ids,
          int messages) {
  watchword::v1::Context context = AdultToMinor();
  watchword::v1::Verdict verdict;
  for (size_t c = 0; c < ids.size(); ++c) {
    context.set_conversation_id(ids[c]);
    for (int m = 0; m < messages; ++m) {
      context.set_timestamp_ms(m * 1000);
      // The same stage each time: the conversation keeps `messages` entries
      // and no rule fires.
      verdict = VerdictWith(absl::StrCat("f", m), "signal.age");
      tracker.Update(context, verdict);
    }
  }
}

void BM_TrackerUpdate(benchmark::State& state) {
  static std::unique_ptr<ConversationTracker> tracker;
  static std::vector<std::string> ids;
  const int64_t conversations = state.range(0);
  if (state.thread_index() == 0 &&
      (tracker == nullptr || static_cast<int64_t>(ids.size()) != conversations)) {
    tracker = *ConversationTracker::Create(ConversationEngine());
    ids = Ids("conversation-", conversations);
    Fill(*tracker, ids, 1);
  }
  // Google Benchmark starts the timed loops of all threads together, after
  // the setup above.
  std::mt19937_64 rng(17 + state.thread_index());
  watchword::v1::Context context = AdultToMinor();
  std::vector<watchword::v1::Verdict> verdicts;
  for (int i = 0; i < 1024; ++i) {
    verdicts.push_back(VerdictWith(
        absl::StrCat("t", state.thread_index(), "-", i),
        i % 4 == 0 ? kSignals[(i / 4) % 4] : nullptr));
  }
  uint64_t n = 0;
  for (auto _ : state) {
    context.set_conversation_id(ids[rng() % ids.size()]);
    context.set_timestamp_ms(static_cast<int64_t>(n));
    benchmark::DoNotOptimize(tracker->Update(context, verdicts[n % 1024]));
    ++n;
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    state.counters["tracked"] =
        static_cast<double>(tracker->conversation_count());
  }
}
BENCHMARK(BM_TrackerUpdate)
    ->ArgName("conversations")
    ->Arg(1000)
    ->Arg(1000000)
    ->Threads(1)
    ->Threads(2)
    ->UseRealTime();

void BM_TrackerMemory(benchmark::State& state) {
  const int64_t conversations = state.range(0);
  const int messages = static_cast<int>(state.range(1));
  for (auto _ : state) {
    const std::vector<std::string> ids = Ids("conversation-", conversations);
    const size_t before = HeapInUse();
    auto tracker = *ConversationTracker::Create(ConversationEngine());
    Fill(*tracker, ids, messages);
    const size_t after = HeapInUse();
    state.counters["bytes_per_conversation"] =
        static_cast<double>(after - before) / conversations;
    state.counters["tracked"] =
        static_cast<double>(tracker->conversation_count());
  }
}
// 32 messages with signals is TrackerOptions::max_signals, the bound.
BENCHMARK(BM_TrackerMemory)
    ->ArgNames({"conversations", "signals"})
    ->Args({1000000, 1})
    ->Args({100000, 32})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// The example conversation's messages, over `conversations` conversations
// in turn.
struct ConversationInput {
  std::vector<watchword::v1::ScanRequest> requests;
};

const ConversationInput& Input() {
  static const auto* input = [] {
    auto* in = new ConversationInput;
    const std::vector<std::string> texts = {
        "gg, nice save at the end",
        "you're so mature for a player your age",
        "how old are you anyway",
        "what do you do after practice",
        "are your parents home in the evenings?",
        "don't tell anyone we talk, they wouldn't get it",
        "add me on snap, easier to chat",
        "homework mostly, then dinner",
    };
    for (int c = 0; c < 1000; ++c) {
      for (size_t m = 0; m < texts.size(); ++m) {
        watchword::v1::ScanRequest request;
        request.set_id(absl::StrCat("c", c, "-m", m));
        request.set_text(texts[m]);
        *request.mutable_context() = AdultToMinor();
        request.mutable_context()->set_conversation_id(absl::StrCat("c", c));
        request.mutable_context()->set_timestamp_ms(m * 60000);
        in->requests.push_back(std::move(request));
      }
    }
    return in;
  }();
  return *input;
}

void BM_Scan(benchmark::State& state, bool tracked) {
  const ConversationInput& input = Input();
  watchword::Scanner scanner(ConversationEngine());
  watchword::v1::Verdict verdict;
  std::unique_ptr<ConversationTracker> tracker;
  size_t i = 0;
  for (auto _ : state) {
    // A fresh tracker per pass, so that every pass sees new conversations.
    if (i % input.requests.size() == 0 && tracked) {
      state.PauseTiming();
      tracker = *ConversationTracker::Create(ConversationEngine());
      state.ResumeTiming();
    }
    const watchword::v1::ScanRequest& request =
        input.requests[i++ % input.requests.size()];
    if (!scanner.Scan(request, &verdict).ok()) std::abort();
    if (tracked) tracker->Track(request.context(), &verdict);
    benchmark::DoNotOptimize(verdict.action());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Scan, Untracked, false);
BENCHMARK_CAPTURE(BM_Scan, Tracked, true);

}  // namespace

BENCHMARK_MAIN();
