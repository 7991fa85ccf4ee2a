// The `watchword` command line tool: `check` a ruleset, `scan` JSON Lines.
//
// Flags live here, not in the command files, so that `--help` (which lists
// flags defined in main.cc) shows all of them, and so that commands take
// plain option structs.

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "src/cli/commands.h"
#include "watchword/engine.h"

ABSL_FLAG(std::string, ruleset, "",
          "scan: ruleset file (.textproto or .json) or directory. Required.");
ABSL_FLAG(int, threads, 1,
          "scan: worker threads, each with its own Scanner over one shared "
          "Engine. Output order is input order whatever the count.");
ABSL_FLAG(std::string, backend, "",
          "check, scan: matcher backend, 'hyperscan' or 're2'. Empty picks "
          "hyperscan when the build has it, else re2. Verdicts are identical.");
ABSL_FLAG(bool, echo, false,
          "scan: set echo_matched_text on every request, so matches carry "
          "the matched original text. Off by default: output then holds no "
          "message text.");
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

  watchword scan --ruleset RULESET [--threads N] [--backend hyperscan|re2]
                 [--echo] [--progress_every N] [FILE|-]
      Reads JSON Lines of watchword.v1.ScanRequest (proto JSON mapping;
      {"text": "..."} alone is a valid request) from FILE, or stdin if FILE
      is "-" or absent. Writes one watchword.v1.Verdict JSON line per record
      to stdout, in input order. Blank or whitespace-only lines are not
      records: they are skipped and produce no output.
      A line that is not a valid request, or a request the scanner rejects
      (e.g. a field over 1 MiB), still yields one verdict line; its `error`
      has the status code, a message and `line`, the 1-based input line
      number. `error.line` is set only on errors; `request_id` is the
      request's `id`, empty if it has none.
      stderr gets progress lines and a final summary (records, errors,
      verdicts per action, enforced matches per category, elapsed seconds,
      messages/s); never message text.
      Exit 0 when every record was written (even if some carry errors),
      2 if the ruleset does not compile or the input cannot be read.)";

int Fail(const std::string& message) {
  std::fprintf(stderr, "watchword: %s\n(see watchword --help)\n",
               message.c_str());
  return kExitFatal;
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
  usage_config.version_string = [] { return std::string("watchword 0.1.0\n"); };
  absl::SetFlagsUsageConfig(usage_config);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) return Fail("missing subcommand: check or scan");
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

  if (command == "scan") {
    ScanCommandOptions options;
    options.backend = backend;
    options.ruleset_path = absl::GetFlag(FLAGS_ruleset);
    if (options.ruleset_path.empty()) return Fail("scan needs --ruleset");
    if (positional.size() > 1) return Fail("scan reads at most one FILE");
    options.input_path = positional.empty() ? "-" : positional[0];
    options.threads = absl::GetFlag(FLAGS_threads);
    if (options.threads < 1 || options.threads > 256) {
      return Fail("--threads must be between 1 and 256");
    }
    options.echo = absl::GetFlag(FLAGS_echo);
    options.progress_every = absl::GetFlag(FLAGS_progress_every);
    if (options.progress_every < 0) {
      return Fail("--progress_every must be >= 0");
    }
    return RunScanCommand(options);
  }

  return Fail(absl::StrCat("unknown subcommand '", command,
                           "'; use check or scan"));
}

}  // namespace
}  // namespace watchword

int main(int argc, char** argv) { return watchword::Main(argc, argv); }
