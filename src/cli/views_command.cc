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
#include "watchword/views.h"

namespace watchword {
namespace {

std::vector<std::string> FoldNames(const View& view, size_t i) {
  std::vector<std::string> names;
  for (v1::Fold fold : view.Folds(i)) names.push_back(v1::Fold_Name(fold));
  return names;
}

// Prints each view on a line, then one indented line for each run of its
// bytes that a fold produced: the view's bytes, the original bytes they
// came from and the folds.
void PrintViews(const std::vector<View>& views, const std::string& text) {
  for (const View& view : views) {
    std::printf("%s: %s\n", view.name.c_str(), JsonQuote(view.text).c_str());
    const size_t n = view.text.size();
    for (size_t b = 0; b < n;) {
      size_t e = b + 1;
      while (e < n && view.fold_bits[e] == view.fold_bits[b]) ++e;
      if (view.fold_bits[b] != 0) {
        uint32_t ob, oe;
        view.OriginalSpan(b, e, &ob, &oe);
        std::printf("  %s <- %s [%u, %u): %s\n",
                    JsonQuote(view.text.substr(b, e - b)).c_str(),
                    JsonQuote(text.substr(ob, oe - ob)).c_str(), ob, oe,
                    absl::StrJoin(FoldNames(view, b), ", ").c_str());
      }
      b = e;
    }
  }
}

// Prints {"views": [{"name", "alternate_leet", "text", "begin", "end",
// "folds"}]}, with begin, end and folds per byte of the view's text.
void PrintViewsJson(const std::vector<View>& views) {
  std::string out = "{\"views\": [";
  for (size_t v = 0; v < views.size(); ++v) {
    const View& view = views[v];
    if (v > 0) out += ", ";
    absl::StrAppend(&out, "{\"name\": ", JsonQuote(view.name),
                    ", \"alternate_leet\": ",
                    view.alternate_leet ? "true" : "false",
                    ", \"text\": ", JsonQuote(view.text), ", \"begin\": [",
                    absl::StrJoin(view.begin, ", "), "], \"end\": [",
                    absl::StrJoin(view.end, ", "), "], \"folds\": [");
    for (size_t i = 0; i < view.text.size(); ++i) {
      if (i > 0) out += ", ";
      out += "[";
      out += absl::StrJoin(FoldNames(view, i), ", ",
                           [](std::string* o, const std::string& name) {
                             o->append(JsonQuote(name));
                           });
      out += "]";
    }
    out += "]}";
  }
  out += "]}\n";
  std::fputs(out.c_str(), stdout);
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
  if (options.json) {
    PrintViewsJson(*views);
  } else {
    PrintViews(*views, text);
  }
  return FinishOutput("views");
}

}  // namespace watchword
