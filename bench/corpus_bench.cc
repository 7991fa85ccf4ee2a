// The library's in-process speed on a JSON Lines corpus, for comparison
// with `watchword scan` and Python's scan_many() on the same messages
// (bench/cli_bench.py runs all three in one run).
//
//     corpus_bench ENGINE_FILE CORPUS.jsonl [REPEAT]
//
// Parses every record first (not timed), then times one Scanner scanning
// them all into one reused Verdict, REPEAT times (default 3), and prints
// one JSON object: messages, and the best run's wall seconds, messages/s,
// CPU seconds (of the scanning thread) and messages per CPU-second.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "src/cli/jsonl.h"
#include "watchword/watchword.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: corpus_bench ENGINE_FILE CORPUS [REPEAT]\n");
    return 2;
  }
  const int repeat = argc > 3 ? std::atoi(argv[3]) : 3;
  absl::StatusOr<std::shared_ptr<const watchword::Engine>> engine =
      watchword::LoadEngineFile(argv[1]);
  if (!engine.ok()) {
    std::fprintf(stderr, "corpus_bench: %s\n",
                 std::string(engine.status().message()).c_str());
    return 2;
  }
  std::vector<watchword::v1::ScanRequest> requests;
  std::ifstream corpus(argv[2]);
  std::string line;
  while (std::getline(corpus, line)) {
    if (watchword::IsBlankLine(line)) continue;
    requests.emplace_back();
    if (!watchword::ParseScanRequest(line, &requests.back()).ok()) {
      requests.pop_back();
    }
  }
  watchword::Scanner scanner(*engine);
  watchword::v1::Verdict verdict;
  auto thread_cpu = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  };
  double best = 0;
  double best_cpu = 0;
  for (int r = 0; r < repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu();
    for (const watchword::v1::ScanRequest& request : requests) {
      (void)scanner.Scan(request, &verdict);
    }
    const double cpu = thread_cpu() - cpu_start;
    const double seconds = std::chrono::duration<double>(
                               std::chrono::steady_clock::now() - start)
                               .count();
    if (r == 0 || seconds < best) best = seconds;
    if (r == 0 || cpu < best_cpu) best_cpu = cpu;
  }
  const double n = static_cast<double>(requests.size());
  std::printf(
      "{\"messages\": %zu, \"seconds\": %.6f, \"messages_per_second\": %.1f, "
      "\"cpu_seconds\": %.6f, \"messages_per_cpu_second\": %.1f}\n",
      requests.size(), best, best > 0 ? n / best : 0.0, best_cpu,
      best_cpu > 0 ? n / best_cpu : 0.0);
  return 0;
}
