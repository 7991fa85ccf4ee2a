// The `watchword` command line tool: `check` a ruleset, `compile` it into an
// engine file, `scan` JSON Lines, show the `views` of a text.
//
// Flags live here, not in the command files, so that `--help` (which lists
// flags defined in main.cc) shows all of them, and so that commands take
// plain option structs.

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/cli/commands.h"
#include "src/cli/jsonl.h"
#include "watchword/engine.h"
#include "watchword/version.h"

ABSL_FLAG(std::string, ruleset, "",
          "scan, stats, views: ruleset file (.textproto or .json) or "
          "directory. Required unless --engine is given.");
ABSL_FLAG(std::string, engine, "",
          "scan, stats, views: engine file written by `watchword compile`, "
          "loaded in milliseconds instead of compiling a ruleset. Replaces "
          "--ruleset and --backend.");
ABSL_FLAG(std::string, output, "",
          "compile: the engine file to write; -o FILE is the same.");
ABSL_FLAG(int, threads, 0,
          "scan, stats, diff: worker threads, each with its own Scanner over "
          "one shared Engine; 0 (the default) is one per core. Output order "
          "is input order whatever the count. At most 64: each thread keeps "
          "its own scratch memory.");
ABSL_FLAG(std::string, backend, "",
          "check, compile, test, scan, stats, diff, views: matcher backend, "
          "'hyperscan' or 're2'. Empty picks hyperscan when the build has "
          "it, else re2. Verdicts are identical.");
ABSL_FLAG(int, min_examples, 3,
          "test: each rule needs at least this many should_match and this "
          "many should_not_match examples; 0 turns the check off.");
ABSL_FLAG(std::string, old, "", "diff: the ruleset deployed today. Required.");
ABSL_FLAG(std::string, new, "", "diff: the candidate ruleset. Required.");
ABSL_FLAG(std::string, context, "",
          "stats, diff: a watchword.v1.Context in proto JSON, merged into "
          "every request, e.g. '{\"sender_age_band\": \"AGE_BAND_ADULT\", "
          "\"recipient_age_band\": \"AGE_BAND_13_15\"}'.");
ABSL_FLAG(int, max_examples, 10,
          "stats, diff: record ids listed per rule (and, for diff, per kind "
          "of change); 0 lists none.");
ABSL_FLAG(bool, show_examples, false,
          "stats, diff: print each listed record's text beside its id. Off "
          "by default: reports then hold ids and counts, no message text.");
ABSL_FLAG(bool, json, false,
          "stats, diff, views: print one JSON object instead of tables.");
ABSL_FLAG(bool, echo, false,
          "scan: set echo_matched_text on every request, so matches carry "
          "the matched original text. Off by default: output then holds no "
          "message text.");
ABSL_FLAG(int64_t, timeout_ms, 0,
          "scan: milliseconds each record's scan may take; 0 is no limit. A "
          "record that takes longer gets a verdict with `truncated` set and "
          "error code DEADLINE_EXCEEDED, and the stream goes on.");
ABSL_FLAG(bool, always_print_fields, false,
          "scan: print every verdict field, defaults included (offsets 0, "
          "false, empty lists, *_UNSPECIFIED), so tools need no defaults.");
ABSL_FLAG(std::string, id_field, "id",
          "scan: dotted path of each record's id (a string or an integer), "
          "e.g. 'meta.message_id'.");
ABSL_FLAG(std::string, text_field, "text",
          "scan: dotted path of each record's text, e.g. 'message.body'.");
ABSL_FLAG(std::string, context_field, "context",
          "scan: dotted path of each record's watchword.v1.Context object.");
ABSL_FLAG(std::string, input_format, "",
          "scan: jsonl, csv or tsv; empty picks by FILE's extension (.csv, "
          ".tsv; else JSON Lines). CSV and TSV start with a header row; "
          "--id_field, --text_field and --context_field name columns.");
ABSL_FLAG(bool, ignore_unknown_fields, true,
          "scan: ignore fields of a record that are not part of its request "
          "(an export's extra columns). --noignore_unknown_fields makes them "
          "errors, so a mistyped field name is caught.");
ABSL_FLAG(int64_t, progress_every, 100000,
          "scan: print a progress line to stderr every N records; 0 is off.");

namespace watchword {
namespace {

constexpr char kUsage[] = R"(detects child-grooming signals in text.

Usage:
  watchword check RULESET
      Compiles a ruleset (.textproto, .json, or a directory of them) and
      prints every diagnostic as file:line:column, then a summary: name,
      version, rule and pattern counts, rules per category and per action.
      Exit 0 if it compiles (warnings allowed), 1 if it has errors.

  watchword compile [--backend hyperscan|re2] RULESET -o FILE
      Compiles a ruleset (diagnostics go to stderr) and writes the compiled
      engine to FILE, which scan and stats --engine load in milliseconds.
      An engine file loads only in a watchword build with the same
      Hyperscan version and pattern lowering, on a CPU like this one;
      otherwise loading fails and says to recompile. Keep the ruleset.
      Exit 0, 1 if the ruleset does not compile, 2 if FILE cannot be
      written.

  watchword scan (--ruleset RULESET | --engine FILE) [--threads N]
                 [--backend hyperscan|re2] [--echo] [--progress_every N]
                 [--timeout_ms MS] [FILE|-]
      Reads JSON Lines of watchword.v1.ScanRequest (proto JSON mapping;
      {"text": "..."} alone is a valid request) from FILE, or stdin if FILE
      is "-" or absent. Writes one watchword.v1.Verdict JSON line per record
      to stdout, in input order. Blank or whitespace-only lines are not
      records: they are skipped and produce no output.
      A line that is not a valid request, or a request the scanner rejects
      (e.g. a field over 1 MiB), still yields one verdict line; its `error`
      has the status code, a message and `line`, the 1-based input line
      number. `error.line` is set only on errors; `request_id` is the
      request's `id`, empty if it has none. With --timeout_ms, a record
      whose scan takes longer gets `truncated` and error code
      DEADLINE_EXCEEDED, with the matches found so far.
      stderr gets progress lines and a final summary (records, errors,
      verdicts per action, enforced matches per category, elapsed seconds,
      messages/s); never message text.
      Exit 0 when every record was written (even if some carry errors),
      2 if the ruleset does not compile (or the engine file does not load)
      or the input cannot be read.

  watchword test [--min_examples N] [--backend hyperscan|re2] RULESET...
      Compiles each ruleset and scans every rule's examples: a should_match
      example must produce a match of its rule (shadow counts), a
      should_not_match example must not. Each rule needs at least
      --min_examples (default 3) of each kind. Prints one line per failure,
      "FAIL: file:line: rule "id" should_match[i]: what happened; text: ...",
      then a PASS or FAILED summary per ruleset.
      Exit 0 if every ruleset compiles and passes, 1 otherwise.

  watchword stats (--ruleset RULESET | --engine FILE) [--threads N]
                  [--context JSON] [--max_examples N] [--show_examples]
                  [--json] [FILE|-]
      Scans a JSON Lines corpus and prints verdicts per action and, per
      rule, hits and share of records, with up to --max_examples sample
      record ids (ids only unless --show_examples).
      Exit 0, or 2 if the ruleset does not compile (or the engine file does
      not load) or FILE cannot be read.

  watchword diff --old RULESET --new RULESET [--threads N] [--context JSON]
                 [--max_examples N] [--show_examples] [--json] [FILE|-]
      Scans a JSON Lines corpus with both rulesets and prints what changed:
      rule definitions, verdicts per action (old, new, change), verdict
      action transitions, and per rule the records newly flagged, no longer
      flagged and with a changed action, listing up to --max_examples record
      ids each (ids only unless --show_examples).
      Exit 0 whether or not anything changed, 2 if a ruleset does not
      compile or FILE cannot be read.

  watchword views (--ruleset RULESET | --engine FILE)
                  [--backend hyperscan|re2] [--json] (TEXT | -)
      Prints every view of TEXT (or of all of stdin, for "-") the engine
      matches, in scan order: the base view where regexes run, then the
      folded, masked, joined and squeezed views (and alternate_ views for
      "1" or "|" read as "l") that TEXT's disguises call for. Under each
      view, each run of bytes a fold produced, the original bytes it came
      from, as [begin, end) byte offsets, and the folds:
        joined: "send"
          "e" <- "3 " [2, 4): FOLD_LEETSPEAK, FOLD_SPACING
      --json prints {"views": [{"name", "alternate_leet", "text", "begin",
      "end", "folds"}]} with begin, end and folds per byte of the view.
      Exit 0, or 2 if the ruleset does not compile (or the engine file does
      not load) or the text is over 1 MiB.)";

int Fail(const std::string& message) {
  std::fprintf(stderr, "watchword: %s\n(see watchword --help)\n",
               message.c_str());
  return kExitFatal;
}

// Takes the engine from --engine or the ruleset from --ruleset into
// *engine_path or *ruleset_path. Returns an error message, or "" if exactly
// one was given (and --backend not with --engine).
std::string EngineOrRuleset(const std::string& command,
                            const std::string& backend_name,
                            std::string* ruleset_path,
                            std::string* engine_path) {
  *ruleset_path = absl::GetFlag(FLAGS_ruleset);
  *engine_path = absl::GetFlag(FLAGS_engine);
  if (ruleset_path->empty() && engine_path->empty()) {
    return absl::StrCat(command, " needs --ruleset or --engine");
  }
  if (!ruleset_path->empty() && !engine_path->empty()) {
    return absl::StrCat(command, " takes --ruleset or --engine, not both");
  }
  if (!engine_path->empty() && !backend_name.empty()) {
    return "--backend does not go with --engine: the engine file fixes the "
           "backend (see watchword compile --backend)";
  }
  return "";
}

bool ParseBackend(const std::string& name, Backend* backend) {
  if (name.empty()) {
    *backend = Backend::kDefault;
  } else if (name == "hyperscan") {
    *backend = Backend::kHyperscan;
  } else if (name == "re2") {
    *backend = Backend::kRe2;
  } else {
    return false;
  }
  return true;
}

// Our flags live in src/cli/main.cc, which absl's default --help filter
// (files named after the binary) would not list.
bool IsCliFlagFile(absl::string_view path) {
  return absl::StrContains(path, "src/cli/");
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(kUsage);
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = &IsCliFlagFile;
  usage_config.contains_helpshort_flags = &IsCliFlagFile;
  usage_config.normalize_filename = [](absl::string_view path) {
    size_t pos = path.rfind("src/cli/");
    return std::string(pos == absl::string_view::npos ? path
                                                      : path.substr(pos));
  };
  usage_config.version_string = [] {
    return std::string("watchword " WATCHWORD_VERSION "\n");
  };
  absl::SetFlagsUsageConfig(usage_config);
  // absl flags have no one-letter aliases; `compile -o FILE` is too
  // customary to refuse.
  std::vector<char*> raw_args(argv, argv + argc);
  static char kOutputFlag[] = "--output";
  for (size_t i = 1; i < raw_args.size(); ++i) {
    if (std::string_view(raw_args[i]) == "--") break;
    if (std::string_view(raw_args[i]) == "-o") raw_args[i] = kOutputFlag;
  }
  std::vector<char*> args = absl::ParseCommandLine(
      static_cast<int>(raw_args.size()), raw_args.data());
  if (args.size() < 2) {
    return Fail(
        "missing subcommand: check, compile, test, scan, stats, diff or "
        "views");
  }
  const std::string command = args[1];
  const std::vector<std::string> positional(args.begin() + 2, args.end());

  Backend backend;
  const std::string backend_name = absl::GetFlag(FLAGS_backend);
  if (!ParseBackend(backend_name, &backend)) {
    return Fail(absl::StrCat("unknown --backend '", backend_name,
                             "'; use hyperscan or re2"));
  }
  if (backend == Backend::kHyperscan && !HasHyperscan()) {
    return Fail("this build has no hyperscan backend; use --backend re2");
  }

  if (command == "check") {
    CheckCommandOptions options;
    options.backend = backend;
    if (positional.size() == 1) {
      options.ruleset_path = positional[0];
    } else if (positional.empty() && !absl::GetFlag(FLAGS_ruleset).empty()) {
      options.ruleset_path = absl::GetFlag(FLAGS_ruleset);
    } else {
      return Fail("usage: watchword check RULESET");
    }
    return RunCheckCommand(options);
  }

  if (command == "compile") {
    CompileCommandOptions options;
    options.backend = backend;
    options.output_path = absl::GetFlag(FLAGS_output);
    if (positional.size() == 1) {
      options.ruleset_path = positional[0];
    } else if (positional.empty() && !absl::GetFlag(FLAGS_ruleset).empty()) {
      options.ruleset_path = absl::GetFlag(FLAGS_ruleset);
    }
    if (options.ruleset_path.empty() || options.output_path.empty()) {
      return Fail("usage: watchword compile RULESET -o FILE");
    }
    return RunCompileCommand(options);
  }

  if (command == "scan") {
    ScanCommandOptions options;
    options.backend = backend;
    std::string error = EngineOrRuleset("scan", backend_name,
                                        &options.ruleset_path,
                                        &options.engine_path);
    if (!error.empty()) return Fail(error);
    if (positional.size() > 1) return Fail("scan reads at most one FILE");
    options.input_path = positional.empty() ? "-" : positional[0];
    options.threads = absl::GetFlag(FLAGS_threads);
    if (options.threads == 0) options.threads = DefaultThreadCount();
    if (options.threads < 1 || options.threads > kMaxThreads) {
      return Fail(
          absl::StrCat("--threads must be between 0 and ", kMaxThreads));
    }
    options.echo = absl::GetFlag(FLAGS_echo);
    options.json.always_print_fields = absl::GetFlag(FLAGS_always_print_fields);
    options.format.id_field = absl::GetFlag(FLAGS_id_field);
    options.format.text_field = absl::GetFlag(FLAGS_text_field);
    options.format.context_field = absl::GetFlag(FLAGS_context_field);
    options.format.ignore_unknown_fields =
        absl::GetFlag(FLAGS_ignore_unknown_fields);
    options.input_format = absl::GetFlag(FLAGS_input_format);
    options.progress_every = absl::GetFlag(FLAGS_progress_every);
    if (options.progress_every < 0) {
      return Fail("--progress_every must be >= 0");
    }
    options.timeout_ms = absl::GetFlag(FLAGS_timeout_ms);
    if (options.timeout_ms < 0) return Fail("--timeout_ms must be >= 0");
    return RunScanCommand(options);
  }

  if (command == "test") {
    TestCommandOptions options;
    options.backend = backend;
    options.ruleset_paths = positional;
    if (options.ruleset_paths.empty() &&
        !absl::GetFlag(FLAGS_ruleset).empty()) {
      options.ruleset_paths.push_back(absl::GetFlag(FLAGS_ruleset));
    }
    if (options.ruleset_paths.empty()) {
      return Fail("usage: watchword test RULESET...");
    }
    options.min_examples = absl::GetFlag(FLAGS_min_examples);
    if (options.min_examples < 0) return Fail("--min_examples must be >= 0");
    return RunTestCommand(options);
  }

  if (command == "stats" || command == "diff") {
    if (positional.size() > 1) {
      return Fail(absl::StrCat(command, " reads at most one FILE"));
    }
    const std::string corpus = positional.empty() ? "-" : positional[0];
    int threads = absl::GetFlag(FLAGS_threads);
    if (threads == 0) threads = DefaultThreadCount();
    if (threads < 1 || threads > kMaxThreads) {
      return Fail(
          absl::StrCat("--threads must be between 0 and ", kMaxThreads));
    }
    const int max_examples = absl::GetFlag(FLAGS_max_examples);
    if (max_examples < 0) return Fail("--max_examples must be >= 0");
    auto fill_report = [&](CorpusReportOptions* options) {
      options->corpus_path = corpus;
      options->backend = backend;
      options->threads = threads;
      options->context_json = absl::GetFlag(FLAGS_context);
      options->max_examples = max_examples;
      options->show_examples = absl::GetFlag(FLAGS_show_examples);
      options->json = absl::GetFlag(FLAGS_json);
    };
    if (command == "stats") {
      StatsCommandOptions options;
      std::string error = EngineOrRuleset("stats", backend_name,
                                          &options.ruleset_path,
                                          &options.engine_path);
      if (!error.empty()) return Fail(error);
      fill_report(&options);
      return RunStatsCommand(options);
    }
    DiffCommandOptions options;
    options.old_ruleset_path = absl::GetFlag(FLAGS_old);
    options.new_ruleset_path = absl::GetFlag(FLAGS_new);
    if (options.old_ruleset_path.empty() || options.new_ruleset_path.empty()) {
      return Fail("diff needs --old and --new");
    }
    fill_report(&options);
    return RunDiffCommand(options);
  }

  if (command == "views") {
    ViewsCommandOptions options;
    options.backend = backend;
    std::string error = EngineOrRuleset("views", backend_name,
                                        &options.ruleset_path,
                                        &options.engine_path);
    if (!error.empty()) return Fail(error);
    if (positional.size() != 1) {
      return Fail("usage: watchword views --ruleset RULESET (TEXT | -)");
    }
    options.read_stdin = positional[0] == "-";
    if (!options.read_stdin) options.text = positional[0];
    options.json = absl::GetFlag(FLAGS_json);
    return RunViewsCommand(options);
  }

  return Fail(absl::StrCat(
      "unknown subcommand '", command,
      "'; use check, compile, test, scan, stats, diff or views"));
}

}  // namespace
}  // namespace watchword

int main(int argc, char** argv) {
  // A reader that stops early (`watchword scan | head -1`) is ordinary use:
  // writes then fail with EPIPE, which FinishOutput() turns into a quiet
  // exit 0, instead of the process dying of the signal with status 141.
  std::signal(SIGPIPE, SIG_IGN);
  return watchword::Main(argc, argv);
}
