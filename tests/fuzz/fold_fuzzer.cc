// libFuzzer target: arbitrary bytes as text, folded every way the scanner
// folds it. The fast paths must give what the general path gives, every
// unit's kind must follow its character, and every view must map into the
// base view in order.
//
//   CC=clang-14 CXX=clang++-14 cmake -B build-fuzz -DWATCHWORD_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target fold_fuzzer && build-fuzz/fold_fuzzer
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "src/normalize/fold.h"
#include "src/normalize/view_transforms.h"
#include "watchword/normalizer.h"

namespace {

using ::watchword::FoldConfig;
using ::watchword::FoldedView;
using ::watchword::FoldUnit;
using ::watchword::FoldUnits;
using ::watchword::TransformScratch;

const FoldConfig& Config() {
  static const FoldConfig* const config = [] {
    auto* c = new FoldConfig();
    c->SetLeet(FoldConfig::DefaultLeet());
    c->SetEquivalences({{"u", "you"},
                        {"ur", "your"},
                        {"r", "are"},
                        {"pix", "pic"},
                        {"фото", "pic"},
                        {"averyveryverylongwordthatisover32", "x"}});
    return c;
  }();
  return *config;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckUnits(const FoldUnits& units, size_t base_size) {
  uint32_t last_begin = 0;
  for (const FoldUnit& u : units) {
    Check(u.kind == watchword::UnitKindOf(u.c));
    Check(u.begin < u.end && u.end <= base_size && u.begin >= last_begin);
    last_begin = u.begin;
  }
}

bool SameView(const FoldedView& a, const FoldedView& b) {
  return a.text == b.text && a.begin == b.begin && a.end == b.end &&
         a.folds == b.folds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const FoldConfig& config = Config();
  watchword::NormalizedText base;
  watchword::Normalize(text, &base);
  FoldUnits units, equivalent, squeezed, joined, masked;
  TransformScratch scratch;
  const bool folded = watchword::FoldBase(text, base, config, &units);
  CheckUnits(units, base.text.size());
  if (!folded) {
    // Nothing folded: the units encode to the base view, fold-free, each
    // byte mapped to its own code point.
    FoldedView encoded;
    watchword::EncodeView(units, &encoded);
    Check(encoded.text == base.text);
    for (size_t i = 0; i < encoded.text.size(); ++i) {
      Check(encoded.folds[i] == 0 && encoded.begin[i] <= i &&
            i < encoded.end[i]);
    }
  }
  const bool replaced =
      watchword::ApplyEquivalences(units, config, &scratch, &equivalent);
  if (replaced) CheckUnits(equivalent, base.text.size());
  watchword::SqueezeRepeats(units, /*force=*/true, &squeezed);
  CheckUnits(squeezed, base.text.size());
  watchword::JoinSpacedLetters(units, config, &scratch, &joined);
  CheckUnits(joined, base.text.size());
  watchword::MaskView(units, &masked);
  CheckUnits(masked, base.text.size());
  // Stand-ins read where a transform made their word whole.
  FoldUnits separated = units;
  watchword::DropInWordSeparators(&separated);
  watchword::ReadStandIns(config, &separated);
  CheckUnits(separated, base.text.size());
  FoldUnits stand_ins_cut;
  if (watchword::SqueezeStandIns(units, config, &stand_ins_cut)) {
    watchword::ReadStandIns(config, &stand_ins_cut);
    CheckUnits(stand_ins_cut, base.text.size());
  }

  FoldedView fast, fast_equivalent, general, general_equivalent;
  if (watchword::FoldAscii(text, base, config, &fast)) {
    watchword::EncodeView(units, &general);
    Check(SameView(fast, general));
    watchword::EncodeView(replaced ? equivalent : units, &general_equivalent);
    const bool ascii_replaced =
        watchword::ApplyAsciiEquivalences(fast, config, &fast_equivalent);
    Check(ascii_replaced == replaced);
    Check(SameView(ascii_replaced ? fast_equivalent : fast, general_equivalent));
    // The byte checks may say yes in doubt, never no to a real run.
    FoldUnits out;
    Check(watchword::MayJoin(fast.text, config) ||
          !watchword::JoinSpacedLetters(units, config, &scratch, &out));
    Check(watchword::MaySqueeze(fast.text) ||
          !watchword::SqueezeRepeats(units, /*force=*/false, &out));
    Check(watchword::MaySqueeze(fast.text, &config) ||
          !watchword::SqueezeRepeats(units, /*force=*/false, &out, &config));
  }
  return 0;
}
