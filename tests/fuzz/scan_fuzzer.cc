// libFuzzer target: arbitrary bytes as message text, scanned by both
// backends, which must agree and never crash.
//
//   CC=clang-14 CXX=clang++-14 cmake -B build-fuzz -DWATCHWORD_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target scan_fuzzer && build-fuzz/scan_fuzzer
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "watchword/watchword.h"

namespace {

std::shared_ptr<const watchword::Engine> Load(watchword::Backend backend) {
  auto engine = watchword::CompileFile(
      std::string(WATCHWORD_SOURCE_DIR) + "/tests/api/testdata/diff.textproto",
      {.backend = backend});
  if (!engine.ok()) std::abort();  // The fuzzer's own setup is broken.
  return *engine;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static watchword::Scanner* re2 =
      new watchword::Scanner(Load(watchword::Backend::kRe2));
  static watchword::Scanner* hs =
      watchword::HasHyperscan()
          ? new watchword::Scanner(Load(watchword::Backend::kHyperscan))
          : nullptr;
  std::string text(reinterpret_cast<const char*>(data), size);
  watchword::v1::Verdict a, b;
  absl::Status sa = re2->Scan(text, &a);
  for (const auto& rule : a.rule_matches()) {
    for (const auto& m : rule.matches()) {
      if (m.begin() >= m.end() || m.end() > size) std::abort();
    }
  }
  if (hs != nullptr) {
    absl::Status sb = hs->Scan(text, &b);
    if (sa.code() != sb.code()) std::abort();
    if (a.SerializeAsString() != b.SerializeAsString()) std::abort();
  }
  return 0;
}
