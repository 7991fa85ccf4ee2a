// libFuzzer target: engine files (serialize.h). Loading arbitrary bytes
// must return a status, never crash, and an engine that loads must scan.
//
// The first byte of the input picks how the rest is used, so that
// mutations reach each layer of loading instead of stopping at the first
// check they break:
//
//   0  the bytes of a whole file: header, checksum and decoder;
//   1  a payload, sealed with a valid header and checksum: the decoder,
//      the checks against this build and Hyperscan's own deserialization;
//   2  a payload as in 1, with the ruleset fingerprint recomputed: the
//      ruleset parser, the checks of conversation rules, the lowered form's
//      decoder and checks, and the matchers;
//   3  a lowered form (src/engine/lowered_form.h), wrapped into an RE2
//      engine file with an empty ruleset and its fingerprint: the lowered
//      form's decoder and checks and everything after them, for any
//      lowered form.
//
// Seeds for every mode and both backends are in
// tests/fuzz/corpus/engine_file_fuzzer/, written by
// tests/fuzz/make_engine_file_corpus.py; scripts/fuzz.sh builds and runs it
// (`bash scripts/fuzz.sh engine_file_fuzzer`).
#include <cstddef>
#include <cstdint>
#include <string>

#include "google/protobuf/stubs/logging.h"
#include "src/engine/engine_file.h"
#include "src/engine/lowered_form.h"
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
  (void)scanner.Scan("keep it secret, meet me alone, a b c", &verdict);
}

// `payload` behind a valid header and checksum.
std::string Seal(absl::string_view payload) {
  std::string sealed(watchword::kEngineFileMagic);
  PutLittleEndian(watchword::kEngineFileFormatVersion, 4, &sealed);
  PutLittleEndian(payload.size(), 8, &sealed);
  PutLittleEndian(watchword::EngineFileHash(payload), 8, &sealed);
  sealed.append(payload.data(), payload.size());
  return sealed;
}

// `file` with its ruleset fingerprint made to match its ruleset, if that
// parses; the file as it is otherwise.
std::string WithFingerprint(watchword::EngineFile file) {
  watchword::v1::Ruleset ruleset;
  if (!ruleset.ParseFromArray(file.ruleset.data(),
                              static_cast<int>(file.ruleset.size()))) {
    return watchword::EncodeEngineFile(file);
  }
  ruleset.DiscardUnknownFields();
  const std::string fingerprint = watchword::RulesetFingerprint(ruleset);
  file.ruleset_fingerprint = fingerprint;
  return watchword::EncodeEngineFile(file);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Protobuf logs every string that is not UTF-8; at thousands of inputs a
  // second that is most of the time spent.
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view input(reinterpret_cast<const char*>(data) + 1,
                                size - 1);
  switch (data[0] % 4) {
    case 0:
      LoadAndScan(input);
      break;
    case 1:
      LoadAndScan(Seal(input));
      break;
    case 2: {
      const std::string sealed = Seal(input);
      absl::StatusOr<watchword::EngineFile> file =
          watchword::DecodeEngineFile(sealed);
      if (file.ok()) LoadAndScan(WithFingerprint(*file));
      break;
    }
    case 3: {
      watchword::EngineFile file;
      file.library_version = "fuzz";
      file.backend = watchword::kEngineFileRe2;
      file.lowered = input;
      LoadAndScan(WithFingerprint(file));
      break;
    }
  }
  return 0;
}
