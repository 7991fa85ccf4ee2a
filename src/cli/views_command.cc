// `watchword views (--ruleset RULESET | --engine FILE) TEXT`: the views of
// one text an Engine matches (views.h), for finding out why it matched.

#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/command_util.h"
#include "src/cli/commands.h"
#include "src/cli/report.h"
#include "watchword/engine.h"
#include "watchword/v1/report.pb.h"
#include "watchword/views.h"

namespace watchword {
namespace {

// Returns the views as a ViewsReport: per view, its text, the original
// offsets of each of its bytes, and each run of bytes that folds produced.
v1::ViewsReport Report(const std::vector<View>& views) {
  v1::ViewsReport report;
  for (const View& view : views) {
    v1::ViewReport* entry = report.add_views();
    entry->set_name(view.name);
    entry->set_alternate_leet(view.alternate_leet);
    entry->set_text(view.text);
    entry->mutable_begin()->Add(view.begin.begin(), view.begin.end());
    entry->mutable_end()->Add(view.end.begin(), view.end.end());
    const size_t n = view.text.size();
    for (size_t b = 0; b < n;) {
      size_t e = b + 1;
      while (e < n && view.fold_bits[e] == view.fold_bits[b]) ++e;
      if (view.fold_bits[b] != 0) {
        uint32_t ob, oe;
        view.OriginalSpan(b, e, &ob, &oe);
        v1::FoldedRun* run = entry->add_folded_runs();
        run->set_begin(static_cast<uint32_t>(b));
        run->set_end(static_cast<uint32_t>(e));
        run->set_original_begin(ob);
        run->set_original_end(oe);
        for (v1::Fold fold : view.Folds(b)) run->add_folds(fold);
      }
      b = e;
    }
  }
  return report;
}

// Prints each view on a line, then one indented line for each run of its
// bytes that a fold produced: the view's bytes, the original bytes they
// came from and the folds.
void PrintViews(const v1::ViewsReport& report, const std::string& text) {
  for (const v1::ViewReport& view : report.views()) {
    std::printf("%s: %s\n", view.name().c_str(), JsonQuote(view.text()).c_str());
    for (const v1::FoldedRun& run : view.folded_runs()) {
      std::vector<std::string> folds;
      for (int fold : run.folds()) {
        folds.push_back(v1::Fold_Name(static_cast<v1::Fold>(fold)));
      }
      std::printf(
          "  %s <- %s [%u, %u): %s\n",
          JsonQuote(view.text().substr(run.begin(), run.end() - run.begin()))
              .c_str(),
          JsonQuote(text.substr(run.original_begin(),
                                run.original_end() - run.original_begin()))
              .c_str(),
          run.original_begin(), run.original_end(),
          absl::StrJoin(folds, ", ").c_str());
    }
  }
}

}  // namespace

int RunViewsCommand(const ViewsCommandOptions& options) {
  std::string text = options.text;
  if (options.read_stdin) {
    text.assign(std::istreambuf_iterator<char>(std::cin),
                std::istreambuf_iterator<char>());
  }
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      options.engine_path.empty()
          ? CompileForCommand("views", options.ruleset_path, options.backend)
          : LoadForCommand("views", options.engine_path);
  if (!engine.ok()) return kExitFatal;
  absl::StatusOr<std::vector<View>> views = MatchedViews(**engine, text);
  if (!views.ok()) {
    std::fprintf(stderr, "watchword views: %s\n",
                 std::string(views.status().message()).c_str());
    return kExitFatal;
  }
  const v1::ViewsReport report = Report(*views);
  if (options.json) {
    if (!PrintReportJson(report, "views")) return kExitFatal;
  } else {
    PrintViews(report, text);
  }
  return FinishOutput("views");
}

}  // namespace watchword
