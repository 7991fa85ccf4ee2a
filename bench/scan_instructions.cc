// Instructions per scanned message, for comparing two commits on a noisy
// machine where times vary by 30% from run to run (and virtual machines
// expose no hardware counters). scripts/instructions.sh drives it under
// callgrind; instruction counts do not depend on the load.
//
//   scan_instructions prep DIR BACKEND KIND BYTES
//       Compiles child_safety for BACKEND (hyperscan|re2), writes DIR/engine,
//       and, unless it exists, DIR/../messages: the bench's benign messages
//       of KIND (ascii|cyrillic|emoji) and BYTES, one per line, so that every
//       commit scans the same ones.
//   scan_instructions run DIR N
//       Loads DIR/engine and scans N messages in ScanAll(), the function
//       callgrind counts.
//
// Run `prep` under valgrind too (--tool=none): Hyperscan compiles for the
// CPU it sees, and valgrind does not emulate AVX-512.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_inputs.h"
#include "watchword/serialize.h"
#include "watchword/watchword.h"

namespace watchword::bench {
namespace {

int Prep(const std::string& dir, const std::string& backend_name,
         const std::string& kind_name, size_t bytes) {
  const Backend backend =
      backend_name == "re2" ? Backend::kRe2 : Backend::kHyperscan;
  TextKind kind = TextKind::kAscii;
  if (kind_name == "cyrillic") kind = TextKind::kCyrillic;
  if (kind_name == "emoji") kind = TextKind::kEmoji;
  const std::shared_ptr<const Engine>& engine =
      CachedEngine("child_safety", backend);
  if (absl::Status s = SaveEngineFile(*engine, dir + "/engine"); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  const std::string messages = dir + "/../messages";
  if (std::ifstream(messages)) return 0;
  std::ofstream out(messages);
  for (const std::string& m :
       CachedMessages(engine, kind, bytes, MessageCount(bytes)).messages) {
    out << m << "\n";
  }
  return out ? 0 : 1;
}

// What callgrind counts (--toggle-collect=*ScanAll*).
__attribute__((noinline)) long ScanAll(Scanner& scanner,
                                       const std::vector<std::string>& texts,
                                       long n) {
  v1::Verdict verdict;
  long flagged = 0;
  for (long i = 0; i < n; ++i) {
    if (!scanner.Scan(texts[i % texts.size()], &verdict).ok()) return -1;
    flagged += verdict.rule_matches_size() > 0;
  }
  return flagged;
}

int Run(const std::string& dir, long n) {
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      LoadEngineFile(dir + "/engine");
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", std::string(engine.status().message()).c_str());
    return 1;
  }
  std::vector<std::string> texts;
  std::ifstream in(dir + "/../messages");
  for (std::string line; std::getline(in, line);) texts.push_back(line);
  if (texts.empty()) return 1;
  Scanner scanner(*engine);
  const long flagged = ScanAll(scanner, texts, n);
  std::printf("%ld of %ld flagged\n", flagged, n);
  return flagged < 0 ? 1 : 0;
}

}  // namespace
}  // namespace watchword::bench

int main(int argc, char** argv) {
  const std::string mode = argc > 2 ? argv[1] : "";
  if (mode == "prep" && argc == 6) {
    return watchword::bench::Prep(argv[2], argv[3], argv[4],
                                  std::strtoul(argv[5], nullptr, 10));
  }
  if (mode == "run" && argc == 4) {
    return watchword::bench::Run(argv[2], std::strtol(argv[3], nullptr, 10));
  }
  std::fprintf(stderr,
               "usage: scan_instructions prep DIR BACKEND KIND BYTES\n"
               "       scan_instructions run DIR N\n");
  return 2;
}
