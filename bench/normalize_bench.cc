// Normalization cost alone, per byte: the base view (NFKC_Casefold with the
// offset map) and the folded view (diacritics, homoglyphs, leetspeak, plus
// encoding with per-byte maps), on ASCII, Cyrillic and emoji-heavy text.
//
//   cmake -B build -DWATCHWORD_BUILD_BENCH=ON
//   cmake --build build -j2 --target normalize_bench && build/normalize_bench
//
// ns/byte = 1e9 / bytes_per_second.
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "src/normalize/fold.h"
#include "watchword/normalizer.h"

namespace {

std::string Text(const std::vector<std::string>& words, size_t bytes) {
  std::mt19937 rng(7);
  std::string text;
  while (text.size() < bytes) {
    if (!text.empty()) text += ' ';
    text += words[rng() % words.size()];
  }
  return text;
}

std::string Ascii() {
  return Text({"hey", "are", "you", "coming", "to", "the", "game", "later",
               "lol", "maybe", "after", "dinner", "my", "mum", "said", "ok",
               "Thanks!", "see", "ya", "tomorrow", "at", "5pm"},
              1024);
}

std::string Cyrillic() {
  return Text({"привет", "как", "дела", "увидимся", "завтра", "в", "школе",
               "спасибо", "хорошо", "игра"},
              1024);
}

std::string Emoji() {
  return Text({"lol", "😂😂", "ok", "🙂", "see", "you", "🎮", "👍👍", "gg",
               "❤️"},
              1024);
}

watchword::FoldConfig Config() {
  watchword::FoldConfig config;
  config.SetLeet(watchword::FoldConfig::DefaultLeet());
  return config;
}

void BM_NormalizeBase(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  watchword::NormalizedText out;
  for (auto _ : state) {
    watchword::Normalize(text, &out);
    benchmark::DoNotOptimize(out.text.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}

void BM_NormalizeFolded(benchmark::State& state, std::string (*make)()) {
  const std::string text = make();
  const watchword::FoldConfig config = Config();
  watchword::NormalizedText base;
  watchword::FoldUnits units;
  watchword::FoldedView view;
  for (auto _ : state) {
    // What the scanner does: the ASCII fast path, else the general one.
    watchword::Normalize(text, &base);
    if (!watchword::FoldAscii(text, base, config, &view)) {
      watchword::FoldBase(text, base, config, &units);
      watchword::EncodeView(units, &view);
    }
    benchmark::DoNotOptimize(view.text.data());
  }
  state.SetBytesProcessed(state.iterations() * text.size());
}

BENCHMARK_CAPTURE(BM_NormalizeBase, ascii, Ascii);
BENCHMARK_CAPTURE(BM_NormalizeBase, cyrillic, Cyrillic);
BENCHMARK_CAPTURE(BM_NormalizeBase, emoji, Emoji);
BENCHMARK_CAPTURE(BM_NormalizeFolded, ascii, Ascii);
BENCHMARK_CAPTURE(BM_NormalizeFolded, cyrillic, Cyrillic);
BENCHMARK_CAPTURE(BM_NormalizeFolded, emoji, Emoji);

}  // namespace

BENCHMARK_MAIN();
