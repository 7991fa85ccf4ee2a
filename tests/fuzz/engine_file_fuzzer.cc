// libFuzzer target: engine files (serialize.h). Loading arbitrary bytes
// must return a status, never crash, and an engine that loads must scan.
//
// The input is tried as a whole file, and as the payload of one: sealed
// with a valid header and checksum so that mutations get past the checksum
// into the decoder, the checks against this build and Hyperscan's own
// deserialization. Seed it with the payload of a real file:
//
//   CC=clang-14 CXX=clang++-14 cmake -B build-fuzz -DWATCHWORD_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target engine_file_fuzzer watchword_cli
//   build-fuzz/watchword compile tests/api/testdata/diff.textproto -o /tmp/e
//   mkdir -p corpus && tail -c +29 /tmp/e > corpus/seed  # skip the header
//   build-fuzz/engine_file_fuzzer -max_len=1000000 corpus
#include <cstddef>
#include <cstdint>
#include <string>

#include "src/engine/engine_file.h"
#include "watchword/watchword.h"

namespace {

void PutLittleEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) {
    out->push_back(static_cast<char>(value >> (8 * i)));
  }
}

void LoadAndScan(absl::string_view bytes) {
  auto engine = watchword::DeserializeEngine(bytes);
  if (!engine.ok()) return;
  watchword::Scanner scanner(*engine);
  watchword::v1::Verdict verdict;
  (void)scanner.Scan("dont tell ur mom, s3nd m3 a p*c on snap", &verdict);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  LoadAndScan(input);
  std::string sealed(watchword::kEngineFileMagic);
  PutLittleEndian(watchword::kEngineFileFormatVersion, 4, &sealed);
  PutLittleEndian(input.size(), 8, &sealed);
  PutLittleEndian(watchword::EngineFileHash(input), 8, &sealed);
  sealed.append(input.data(), input.size());
  LoadAndScan(sealed);
  return 0;
}
