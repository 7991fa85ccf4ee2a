// The `watchword` command line tool: `check` a ruleset, `compile` it into an
// engine file, `test` its examples, `scan` JSON Lines, report `stats` and a
// `diff` on a corpus, show the `views` of a text, `serve` scans over gRPC.
//
// Flags live here, parsed with CLI11 into the commands' option structs, so a
// command is a plain function of its options. Each subcommand has its own
// flags and its own --help; a flag another subcommand has is an error here.

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/commands.h"
#include "src/cli/jsonl.h"
#include "src/cli/suggest.h"
#include "watchword/engine.h"
#include "watchword/version.h"

namespace watchword {
namespace {

constexpr char kExitCodes[] = R"(Exit status:
  0  success
  1  check, compile or test: the ruleset has errors, or examples failed
  2  usage error (unknown flag or subcommand, bad value), or a ruleset,
     engine file, input or output that cannot be used)";

constexpr char kMainFooter[] = R"(
Run `watchword help COMMAND` or `watchword COMMAND --help` for a command's
flags. Flags may be written --timeout_ms or --timeout-ms, and --flag=VALUE
or --flag VALUE.
)";

constexpr char kCheckFooter[] = R"(
Compiles a ruleset (.textproto, .json, or a directory of them) and prints
every diagnostic as file:line:column, then a summary: name, version, rule
and pattern counts, rules per category and per action.
Exit 0 if it compiles (warnings allowed), 1 if it has errors.)";

constexpr char kCompileFooter[] = R"(
Compiles a ruleset (diagnostics go to stderr) and writes the compiled engine
to FILE, which scan, stats and views --engine load in milliseconds. An
engine file loads only in a watchword build with the same Hyperscan version
and pattern lowering, on a CPU like this one; otherwise loading fails and
says to recompile. Keep the ruleset.
Exit 0, 1 if the ruleset does not compile, 2 if FILE cannot be written.)";

constexpr char kScanFooter[] = R"(
Reads JSON Lines of watchword.v1.ScanRequest (proto JSON mapping;
{"text": "..."} alone is a valid request) from FILE, or stdin if FILE is "-"
or absent. Writes one watchword.v1.Verdict JSON line per record to stdout,
in input order. Blank lines are not records: they are skipped.
A line that is not a valid request, or a request the scanner rejects (e.g. a
field over 1 MiB), still yields one verdict line; its `error` has the status
code, a message and `line`, the 1-based input line number. With
--timeout_ms, a record whose scan takes longer gets `truncated` and error
code DEADLINE_EXCEEDED, with the matches found so far.
stderr gets progress lines and a final summary (records, errors, verdicts
per action, enforced matches per category, elapsed seconds, messages/s);
never message text.
Exit 0 when every record was written (even if some carry errors), 2 if the
ruleset does not compile (or the engine file does not load) or the input
cannot be read.)";

constexpr char kTestFooter[] = R"(
Compiles each ruleset and scans every rule's examples: a should_match
example must produce a match of its rule (shadow counts), a
should_not_match example must not. Each rule needs at least --min_examples
of each kind. Prints one line per failure,
"FAIL: file:line: rule "id" should_match[i]: what happened; text: ...",
then a PASS or FAILED summary per ruleset.
Exit 0 if every ruleset compiles and passes, 1 otherwise.)";

constexpr char kStatsFooter[] = R"(
Scans a JSON Lines corpus and prints verdicts per action and, per rule,
hits and share of records, with up to --max_examples sample record ids (ids
only unless --show_examples).
Exit 0, or 2 if the ruleset does not compile (or the engine file does not
load) or FILE cannot be read.)";

constexpr char kDiffFooter[] = R"(
Scans a JSON Lines corpus with both rulesets and prints what changed: rule
definitions, verdicts per action (old, new, change), verdict action
transitions, and per rule the records newly flagged, no longer flagged and
with a changed action, listing up to --max_examples record ids each (ids
only unless --show_examples).
Exit 0 whether or not anything changed, 2 if a ruleset does not compile or
FILE cannot be read.)";

constexpr char kViewsFooter[] = R"(
Prints every view of TEXT (or of all of stdin, for "-") the engine matches,
in scan order: the base view where regexes run, then the folded, masked,
joined and squeezed views (and alternate_ views for "1" or "|" read as "l")
that TEXT's disguises call for. Under each view, each run of bytes a fold
produced, the original bytes it came from, as [begin, end) byte offsets,
and the folds:
  joined: "send"
    "e" <- "3 " [2, 4): FOLD_LEETSPEAK, FOLD_SPACING
Exit 0, or 2 if the ruleset does not compile (or the engine file does not
load) or the text is over 1 MiB.)";

constexpr char kServeFooter[] = R"(
Serves watchword.v1.Watchword (proto/watchword/v1/service.proto) over gRPC:
Scan, ScanStream (verdicts in request order) and Info, with the standard
health service (grpc.health.v1.Health) and server reflection. A call's
deadline bounds its scans: past it a verdict comes back truncated.
SIGHUP, or a change of the ruleset or engine file (checked every
--reload_poll_ms), reloads it; requests go on with the old engine until the
new one is ready, and a ruleset that does not compile leaves the old one
serving. SIGTERM or SIGINT stops accepting calls, finishes those in
progress (up to --shutdown_grace_ms) and exits 0. stderr gets one line per
start, reload and stop; never message text. With --metrics_listen, GET
/metrics there returns Prometheus metrics.
Exit 0 after a signal, 2 if the ruleset does not compile (or the engine
file does not load) or an address cannot be bound.)";

constexpr char kBackendHelp[] =
    "Matcher backend, hyperscan or re2; by default hyperscan when the build "
    "has it. Verdicts are identical.";

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

// Flags as typed, before they go into the option structs.
struct Flags {
  std::string backend;
  std::string ruleset;
  std::vector<std::string> rulesets;  // test's positional RULESET...
  std::string input = "-";
};

// The command line parser and the options it fills.
class Cli {
 public:
  Cli() : app_("detects child-grooming signals in text.", "watchword") {
    app_.set_help_flag("-h,--help", "Print this help and exit");
    app_.set_version_flag("--version", "watchword " WATCHWORD_VERSION,
                          "Print the version and exit");
    // Unknown flags and arguments are reported by Main(), with a suggestion.
    app_.allow_extras();
    // At most one subcommand: a later "check" is an argument, not a command.
    app_.require_subcommand(0, 1);
    AddCheck();
    AddCompile();
    AddTest();
    AddScan();
    AddStats();
    AddDiff();
    AddViews();
#ifdef WATCHWORD_HAVE_SERVE
    AddServe();
#endif
    help_ = app_.add_subcommand("help", "Print help on a command and exit");
    help_->add_option("COMMAND", help_topic_, "The command")->type_name("");
    help_->footer(std::string("\n") + kExitCodes);
    app_.footer(absl::StrCat(kMainFooter, "\n", kExitCodes));
  }

  int Main(std::vector<std::string> args);

 private:
  CLI::App* Command(const char* name, const char* description,
                    const char* footer) {
    CLI::App* command = app_.add_subcommand(name, description);
    command->footer(footer);
    commands_.push_back(command);
    return command;
  }

  void AddBackend(CLI::App* command) {
    command->add_option("--backend", flags_.backend, kBackendHelp)
        ->type_name("NAME");
  }

  // --ruleset and --engine, one of which Run() requires.
  void AddEngineOrRuleset(CLI::App* command, std::string* ruleset_path,
                          std::string* engine_path) {
    command
        ->add_option("--ruleset", *ruleset_path,
                     "Ruleset file (.textproto or .json) or directory")
        ->type_name("RULESET");
    command
        ->add_option("--engine", *engine_path,
                     "Engine file written by `watchword compile`, loaded in "
                     "milliseconds instead of compiling a ruleset")
        ->type_name("FILE");
  }

  // --threads; 0, the default, is one per core (DefaultThreadCount()).
  void AddThreads(CLI::App* command, int* threads) {
    *threads = 0;
    command
        ->add_option("--threads", *threads,
                     absl::StrCat("Worker threads, 1 to ", kMaxThreads,
                                  ", each with its own Scanner; 0 is one per "
                                  "core. Output order is input order whatever "
                                  "the count"))
        ->type_name("N")
        ->default_str("0");
  }

  void AddContext(CLI::App* command, std::string* context_json) {
    command
        ->add_option("--context", *context_json,
                     "A watchword.v1.Context in proto JSON, merged into every "
                     "request (its set fields replace the record's), e.g. "
                     "'{\"recipient_age_band\": \"AGE_BAND_13_15\"}'")
        ->type_name("JSON");
  }

  void AddCorpusReport(CLI::App* command, CorpusReportOptions* options) {
    command->add_option("FILE", flags_.input,
                        "JSON Lines corpus of ScanRequests; - or absent "
                        "reads stdin")
        ->type_name("");
    AddThreads(command, &options->threads);
    AddContext(command, &options->context_json);
    command
        ->add_option("--max_examples", options->max_examples,
                     "Record ids listed per rule (and kind of change); 0 "
                     "lists none")
        ->type_name("N")
        ->default_str(std::to_string(options->max_examples));
    command->add_flag("--show_examples", options->show_examples,
                      "Print each listed record's text beside its id (off: "
                      "reports hold ids and counts, no message text)");
    command->add_flag("--json", options->json,
                      "Print one JSON object (a StatsReport or DiffReport of "
                      "report.proto) instead of tables");
    AddBackend(command);
  }

  void AddCheck() {
    CLI::App* c = Command("check", "Compile a ruleset and report on it",
                          kCheckFooter);
    c->add_option("RULESET", flags_.ruleset,
                  "Ruleset file (.textproto or .json) or directory")
        ->type_name("");
    c->add_option("--ruleset", flags_.ruleset, "Same as RULESET")
        ->type_name("RULESET");
    c->add_flag("--json", check_.json,
                "Print one JSON object (a CheckReport of report.proto) "
                "instead of text");
    AddBackend(c);
  }

  void AddCompile() {
    CLI::App* c = Command("compile", "Compile a ruleset into an engine file",
                          kCompileFooter);
    c->add_option("RULESET", flags_.ruleset,
                  "Ruleset file (.textproto or .json) or directory")
        ->type_name("");
    c->add_option("--ruleset", flags_.ruleset, "Same as RULESET")
        ->type_name("RULESET");
    c->add_option("-o,--output", compile_.output_path,
                  "The engine file to write (required)")
        ->type_name("FILE");
    AddBackend(c);
  }

  void AddTest() {
    CLI::App* c =
        Command("test", "Run every rule's examples", kTestFooter);
    c->add_option("RULESET", flags_.rulesets,
                  "Ruleset files or directories, each tested on its own")
        ->type_name("");
    c->add_option("--ruleset", flags_.ruleset, "Same as one RULESET")
        ->type_name("RULESET");
    c->add_option("--min_examples", test_.min_examples,
                  "Each rule needs at least this many should_match and this "
                  "many should_not_match examples; 0 turns the check off")
        ->type_name("N")
        ->default_str(std::to_string(test_.min_examples));
    c->add_option("--junit", test_.junit_path,
                  "Also write the results to FILE as JUnit XML, a testsuite "
                  "per ruleset file and a testcase per example")
        ->type_name("FILE");
    AddBackend(c);
  }

  void AddScan() {
    CLI::App* c =
        Command("scan", "Scan JSON Lines requests into verdicts", kScanFooter);
    c->add_option("FILE", flags_.input,
                  "JSON Lines of ScanRequests; - or absent reads stdin")
        ->type_name("");
    AddEngineOrRuleset(c, &scan_.ruleset_path, &scan_.engine_path);
    AddThreads(c, &scan_.threads);
    AddContext(c, &scan_.context_json);
    c->add_flag("--echo", scan_.echo,
                "Set echo_matched_text on every request, so matches carry the "
                "matched original text (off: output holds no message text)");
    c->add_option("--input_format", scan_.input_format,
                  "jsonl, csv or tsv; by default, by FILE's extension (.csv, "
                  ".tsv; else JSON Lines). CSV and TSV start with a header "
                  "row; --id_field, --text_field and --context_field name "
                  "columns")
        ->type_name("FORMAT");
    c->add_option("--id_field", scan_.format.id_field,
                  "Dotted path of each record's id (a string or an integer), "
                  "e.g. meta.message_id")
        ->type_name("PATH")
        ->default_str(scan_.format.id_field);
    c->add_option("--text_field", scan_.format.text_field,
                  "Dotted path of each record's text, e.g. message.body")
        ->type_name("PATH")
        ->default_str(scan_.format.text_field);
    c->add_option("--context_field", scan_.format.context_field,
                  "Dotted path of each record's watchword.v1.Context object")
        ->type_name("PATH")
        ->default_str(scan_.format.context_field);
    // `!--no...` sets false: the spelling absl flags had.
    c->add_flag("--ignore_unknown_fields,!--noignore_unknown_fields",
                scan_.format.ignore_unknown_fields,
                "Ignore members of a record that are not part of its request "
                "(an export's extra columns); on by default. "
                "--noignore_unknown_fields makes them errors, so a mistyped "
                "name is caught");
    c->add_flag("--always_print_fields", scan_.json.always_print_fields,
                "Print every verdict field, defaults included (offsets 0, "
                "false, empty lists, *_UNSPECIFIED), so tools need no "
                "defaults");
    c->add_option("--timeout_ms", scan_.timeout_ms,
                  "Milliseconds each record's scan may take; 0 is no limit")
        ->type_name("MS")
        ->default_str("0");
    c->add_option("--progress_every", scan_.progress_every,
                  "Print a progress line to stderr every N records; 0 is off")
        ->type_name("N")
        ->default_str(std::to_string(scan_.progress_every));
    AddBackend(c);
  }

  void AddStats() {
    CLI::App* c = Command("stats", "Count verdicts and rule hits on a corpus",
                          kStatsFooter);
    AddEngineOrRuleset(c, &stats_.ruleset_path, &stats_.engine_path);
    AddCorpusReport(c, &stats_);
  }

  void AddDiff() {
    CLI::App* c = Command(
        "diff", "Compare two rulesets' verdicts on a corpus", kDiffFooter);
    c->add_option("--old", diff_.old_ruleset_path,
                  "The ruleset deployed today (required)")
        ->type_name("RULESET");
    c->add_option("--new", diff_.new_ruleset_path,
                  "The candidate ruleset (required)")
        ->type_name("RULESET");
    AddCorpusReport(c, &diff_);
  }

  void AddViews() {
    CLI::App* c = Command(
        "views", "Show the views of a text the engine matches", kViewsFooter);
    c->add_option("TEXT", views_.text, "The text; - reads all of stdin")
        ->type_name("");
    AddEngineOrRuleset(c, &views_.ruleset_path, &views_.engine_path);
    c->add_flag("--json", views_.json,
                "Print one JSON object (a ViewsReport of report.proto) "
                "instead of lines");
    AddBackend(c);
  }

  void AddServe() {
    CLI::App* c = Command("serve", "Serve scans over gRPC", kServeFooter);
    AddEngineOrRuleset(c, &serve_.ruleset_path, &serve_.engine_path);
    c->add_option("--listen", serve_.listen,
                  "gRPC address, host:port; port 0 picks a free one (logged)")
        ->type_name("HOST:PORT")
        ->default_str(serve_.listen);
    c->add_option("--metrics_listen", serve_.metrics_listen,
                  "HTTP address of /metrics (Prometheus), host:port; port 0 "
                  "picks a free one (logged); none by default")
        ->type_name("HOST:PORT");
    c->add_option("--max_concurrent_requests", serve_.max_concurrent_requests,
                  "Most Scan and ScanStream calls in progress; more are "
                  "refused with RESOURCE_EXHAUSTED")
        ->type_name("N")
        ->default_str(std::to_string(serve_.max_concurrent_requests));
    c->add_option("--max_message_bytes", serve_.max_message_bytes,
                  "Largest request message accepted, in bytes")
        ->type_name("N")
        ->default_str(std::to_string(serve_.max_message_bytes));
    c->add_option("--reload_poll_ms", serve_.reload_poll_ms,
                  "How often to check the ruleset or engine file for changes; "
                  "0: only SIGHUP reloads")
        ->type_name("MS")
        ->default_str(std::to_string(serve_.reload_poll_ms));
    c->add_option("--shutdown_grace_ms", serve_.shutdown_grace_ms,
                  "How long SIGTERM waits for calls in progress before "
                  "cancelling them")
        ->type_name("MS")
        ->default_str(std::to_string(serve_.shutdown_grace_ms));
    AddBackend(c);
  }

  // Prints the help of `command` (null: of the tool) to stdout.
  void PrintHelp(const CLI::App* command) const {
    const CLI::App* app = command == nullptr ? &app_ : command;
    const std::string name =
        command == nullptr ? "watchword"
                           : absl::StrCat("watchword ", command->get_name());
    std::cout << app->get_formatter()->make_help(app, name,
                                                 CLI::AppFormatMode::Normal);
  }

  // Prints "watchword: MESSAGE" and where to find help; returns kExitFatal.
  int Fail(const std::string& message) const {
    std::fprintf(stderr, "watchword: %s\n(see watchword %s--help)\n",
                 message.c_str(),
                 command_ == nullptr
                     ? ""
                     : absl::StrCat(command_->get_name(), " ").c_str());
    return kExitFatal;
  }

  // Names of the long flags of `command`, e.g. "--threads".
  static std::vector<std::string> FlagNames(const CLI::App* command) {
    std::vector<std::string> names;
    for (const CLI::Option* option : command->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        names.push_back("--" + name);
      }
      for (const std::string& name : option->get_snames()) {
        names.push_back("-" + name);
      }
    }
    return names;
  }

  // An error for the first of `extras`, the arguments nothing took.
  int FailExtras(const std::vector<std::string>& extras) const;
  // Checks the flags of the chosen command and runs it.
  int Run();
  // Fills *backend from --backend; returns false after printing an error.
  bool ParseBackendFlag(Backend* backend, int* exit_code) const;
  // Checks --ruleset and --engine of scan, stats and views.
  bool EngineOrRuleset(const std::string& ruleset_path,
                       const std::string& engine_path, int* exit_code) const;
  // Checks --threads and turns 0 into one per core.
  bool CheckThreads(int* threads, int* exit_code) const;

  CLI::App app_;
  std::vector<CLI::App*> commands_;
  CLI::App* help_ = nullptr;
  std::string help_topic_;
  const CLI::App* command_ = nullptr;  // The one parsed, or null.
  Flags flags_;
  CheckCommandOptions check_;
  CompileCommandOptions compile_;
  TestCommandOptions test_;
  ScanCommandOptions scan_;
  StatsCommandOptions stats_;
  DiffCommandOptions diff_;
  ViewsCommandOptions views_;
  ServeCommandOptions serve_;
};

int Cli::FailExtras(const std::vector<std::string>& extras) const {
  // A mistyped flag first: it may have swallowed or shifted an argument.
  std::string extra = extras[0];
  for (const std::string& arg : extras) {
    if (arg.size() > 1 && arg[0] == '-') {
      extra = arg;
      break;
    }
  }
  if (extra.size() > 1 && extra[0] == '-') {
    const std::string flag = extra.substr(0, extra.find('='));
    if (command_ == nullptr) {
      return Fail(absl::StrCat(
          "unknown flag ", flag,
          "; flags go after the subcommand, e.g. watchword scan ", flag));
    }
    const std::vector<std::string> own = FlagNames(command_);
    if (std::find(own.begin(), own.end(), flag) != own.end()) {
      return Fail(absl::StrCat(flag, " goes after the subcommand: watchword ",
                               command_->get_name(), " ", flag, " ..."));
    }
    std::vector<std::string> others;
    for (const CLI::App* command : commands_) {
      if (command == command_) continue;
      for (const std::string& name : FlagNames(command)) {
        if (name == flag) others.push_back(command->get_name());
      }
    }
    if (!others.empty()) {
      return Fail(absl::StrCat(command_->get_name(), " does not take ", flag,
                               " (", absl::StrJoin(others, ", "),
                               others.size() == 1 ? " does)" : " do)"));
    }
    const std::string suggestion = Suggest(flag, own);
    return Fail(absl::StrCat(
        "unknown flag ", flag, " for ", command_->get_name(),
        suggestion.empty() ? "" : absl::StrCat("; did you mean ", suggestion,
                                               "?")));
  }
  if (command_ == nullptr) {
    std::vector<std::string> names = {"help"};
    for (const CLI::App* command : commands_) {
      names.push_back(command->get_name());
    }
    const std::string suggestion = Suggest(extra, names);
    return Fail(absl::StrCat(
        "unknown subcommand '", extra, "'",
        suggestion.empty()
            ? absl::StrCat("; use ", absl::StrJoin(names.begin() + 1,
                                                   names.end(), ", "))
            : absl::StrCat("; did you mean ", suggestion, "?")));
  }
  const std::string name = command_->get_name();
  if (name == "scan" || name == "stats" || name == "diff") {
    return Fail(absl::StrCat(name, " reads at most one FILE; '", extra,
                             "' is one too many"));
  }
  if (name == "views") {
    return Fail("usage: watchword views --ruleset RULESET (TEXT | -)");
  }
  return Fail(absl::StrCat("unexpected argument '", extra, "' for ", name));
}

bool Cli::ParseBackendFlag(Backend* backend, int* exit_code) const {
  if (!ParseBackend(flags_.backend, backend)) {
    *exit_code = Fail(absl::StrCat("unknown --backend '", flags_.backend,
                                   "'; use hyperscan or re2"));
    return false;
  }
  if (*backend == Backend::kHyperscan && !HasHyperscan()) {
    *exit_code = Fail("this build has no hyperscan backend; use --backend re2");
    return false;
  }
  return true;
}

bool Cli::EngineOrRuleset(const std::string& ruleset_path,
                          const std::string& engine_path,
                          int* exit_code) const {
  const std::string& name = command_->get_name();
  if (ruleset_path.empty() && engine_path.empty()) {
    *exit_code = Fail(absl::StrCat(name, " needs --ruleset or --engine"));
    return false;
  }
  if (!ruleset_path.empty() && !engine_path.empty()) {
    *exit_code =
        Fail(absl::StrCat(name, " takes --ruleset or --engine, not both"));
    return false;
  }
  if (!engine_path.empty() && !flags_.backend.empty()) {
    *exit_code = Fail(
        "--backend does not go with --engine: the engine file fixes the "
        "backend (see watchword compile --backend)");
    return false;
  }
  return true;
}

bool Cli::CheckThreads(int* threads, int* exit_code) const {
  if (*threads == 0) *threads = DefaultThreadCount();
  if (*threads >= 1 && *threads <= kMaxThreads) return true;
  *exit_code =
      Fail(absl::StrCat("--threads must be between 0 and ", kMaxThreads));
  return false;
}

int Cli::Run() {
  const std::string name = command_->get_name();
  int exit_code = kExitFatal;
  Backend backend;
  if (!ParseBackendFlag(&backend, &exit_code)) return exit_code;

  if (name == "check") {
    if (flags_.ruleset.empty()) return Fail("usage: watchword check RULESET");
    check_.ruleset_path = flags_.ruleset;
    check_.backend = backend;
    return RunCheckCommand(check_);
  }
  if (name == "compile") {
    compile_.ruleset_path = flags_.ruleset;
    compile_.backend = backend;
    if (compile_.ruleset_path.empty() || compile_.output_path.empty()) {
      return Fail("usage: watchword compile RULESET -o FILE");
    }
    return RunCompileCommand(compile_);
  }
  if (name == "test") {
    test_.ruleset_paths = flags_.rulesets;
    if (!flags_.ruleset.empty()) test_.ruleset_paths.push_back(flags_.ruleset);
    if (test_.ruleset_paths.empty()) {
      return Fail("usage: watchword test RULESET...");
    }
    if (test_.min_examples < 0) return Fail("--min_examples must be >= 0");
    test_.backend = backend;
    return RunTestCommand(test_);
  }
  if (name == "scan") {
    if (!EngineOrRuleset(scan_.ruleset_path, scan_.engine_path, &exit_code) ||
        !CheckThreads(&scan_.threads, &exit_code)) {
      return exit_code;
    }
    if (scan_.progress_every < 0) return Fail("--progress_every must be >= 0");
    if (scan_.timeout_ms < 0) return Fail("--timeout_ms must be >= 0");
    scan_.input_path = flags_.input;
    scan_.backend = backend;
    return RunScanCommand(scan_);
  }
  if (name == "stats" || name == "diff") {
    CorpusReportOptions* report = name == "stats"
                                      ? static_cast<CorpusReportOptions*>(&stats_)
                                      : &diff_;
    if (name == "stats" &&
        !EngineOrRuleset(stats_.ruleset_path, stats_.engine_path, &exit_code)) {
      return exit_code;
    }
    if (name == "diff" && (diff_.old_ruleset_path.empty() ||
                           diff_.new_ruleset_path.empty())) {
      return Fail("diff needs --old and --new");
    }
    if (!CheckThreads(&report->threads, &exit_code)) return exit_code;
    if (report->max_examples < 0) return Fail("--max_examples must be >= 0");
    report->corpus_path = flags_.input;
    report->backend = backend;
    return name == "stats" ? RunStatsCommand(stats_) : RunDiffCommand(diff_);
  }
  if (name == "views") {
    if (!EngineOrRuleset(views_.ruleset_path, views_.engine_path,
                         &exit_code)) {
      return exit_code;
    }
    if (command_->count("TEXT") == 0) {
      return Fail("usage: watchword views --ruleset RULESET (TEXT | -)");
    }
    views_.read_stdin = views_.text == "-";
    if (views_.read_stdin) views_.text.clear();
    views_.backend = backend;
    return RunViewsCommand(views_);
  }
#ifdef WATCHWORD_HAVE_SERVE
  if (name == "serve") {
    if (!EngineOrRuleset(serve_.ruleset_path, serve_.engine_path,
                         &exit_code)) {
      return exit_code;
    }
    if (serve_.max_concurrent_requests < 1) {
      return Fail("--max_concurrent_requests must be >= 1");
    }
    if (serve_.max_message_bytes < 1) {
      return Fail("--max_message_bytes must be >= 1");
    }
    if (serve_.reload_poll_ms < 0) return Fail("--reload_poll_ms must be >= 0");
    if (serve_.shutdown_grace_ms < 0) {
      return Fail("--shutdown_grace_ms must be >= 0");
    }
    serve_.backend = backend;
    return RunServeCommand(serve_);
  }
#endif
  return Fail(absl::StrCat("unknown subcommand '", name, "'"));
}

int Cli::Main(std::vector<std::string> args) {
  // --foo-bar is --foo_bar: both spellings are common, and a flag name
  // holds no other '-'.
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() <= 2 || arg.compare(0, 2, "--") != 0) continue;
    for (size_t k = 2; k < arg.size() && arg[k] != '='; ++k) {
      if (arg[k] == '-') arg[k] = '_';
    }
  }
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  try {
    app_.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    // App::help() prints the help of the subcommand --help came with.
    std::cout << app_.help();
    return kExitOk;
  } catch (const CLI::CallForVersion& version) {
    std::cout << version.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& error) {
    for (const CLI::App* command : app_.get_subcommands()) command_ = command;
    return Fail(error.what());
  }
  for (const CLI::App* command : app_.get_subcommands()) command_ = command;

  std::vector<std::string> extras;
  for (const std::string& arg : app_.remaining(/*recurse=*/true)) {
    if (arg != "--") extras.push_back(arg);
  }
  if (!extras.empty()) return FailExtras(extras);

  if (command_ == help_) {
    if (help_topic_.empty()) {
      PrintHelp(nullptr);
      return kExitOk;
    }
    for (const CLI::App* command : commands_) {
      if (command->get_name() == help_topic_) {
        PrintHelp(command);
        return kExitOk;
      }
    }
    command_ = nullptr;
    return FailExtras({help_topic_});
  }
  if (command_ == nullptr) {
    // Usage on stderr: stdout may be a pipe that expects a command's output.
    std::cerr << app_.help();
    return kExitFatal;
  }
  return Run();
}

}  // namespace
}  // namespace watchword

int main(int argc, char** argv) {
  // A reader that stops early (`watchword scan | head -1`) is ordinary use:
  // writes then fail with EPIPE, which FinishOutput() turns into a quiet
  // exit 0, instead of the process dying of the signal with status 141.
  std::signal(SIGPIPE, SIG_IGN);
  watchword::Cli cli;
  return cli.Main(std::vector<std::string>(argv, argv + argc));
}
