// serialize.h: Engine <-> engine file (layout in src/engine/engine_file.h).
//
// Loading lowers the stored ruleset again rather than storing the lowered
// EngineRep: lowering is cheap (a few milliseconds for child_safety), it
// keeps the file format down to the ruleset and Hyperscan's own bytes, and
// the scan-side structures can change between releases without breaking
// files. Only the Hyperscan databases, the slow part, are reused, and only
// when this build lowers the ruleset to exactly the patterns they were
// compiled from (HyperscanPatternsFingerprint()); otherwise loading fails
// rather than scan with a database that no longer fits.
//
// This lives in watchword_compile, not watchword_engine, because loading
// uses the lowering (and matcher_builder). TODO(#5): move lower.cc and the
// matcher loading into watchword_engine, so that a service that only loads
// engine files links no validator or Hyperscan compiler.
#include "watchword/serialize.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/compile/lower.h"
#include "src/compile/matcher_builder.h"
#include "src/compile/ruleset_limits.h"
#include "src/compile/validator.h"
#include "src/engine/engine_file.h"
#include "src/engine/engine_rep.h"
#include "watchword/compiler.h"
#include "watchword/status_macros.h"
#include "watchword/version.h"
#ifdef WATCHWORD_HAVE_HYPERSCAN
#include <hs/hs.h>
#endif

namespace watchword {
namespace {

constexpr absl::string_view kRecompile =
    "; recompile the engine from its ruleset (watchword compile)";

std::string HyperscanVersion() {
#ifdef WATCHWORD_HAVE_HYPERSCAN
  return hs_version();
#else
  return "";
#endif
}

std::string SerializeDeterministic(const v1::Ruleset& ruleset) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  ruleset.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

// Fills the matchers of `rep` from `file`: Hyperscan databases are loaded
// when they were compiled from the patterns this build lowered the ruleset
// to; RE2 matchers are built.
absl::Status LoadMatchers(const EngineFile& file, EngineRep* rep) {
  std::vector<MatcherSpec> specs = PlanMatchers(*rep);
  if (rep->backend == Backend::kRe2) {
    for (MatcherSpec& spec : specs) {
      if (spec.patterns.empty() && !spec.required) continue;
      WATCHWORD_ASSIGN_OR_RETURN(
          rep->*spec.slot,
          BuildMatcher(Backend::kRe2, spec.patterns, std::move(spec.ids)));
    }
    return absl::OkStatus();
  }
  if (file.matchers.size() != specs.size()) {
    return absl::FailedPreconditionError(
        absl::StrCat("engine file has ", file.matchers.size(),
                     " hyperscan databases; this build of watchword uses ",
                     specs.size(), kRecompile));
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    MatcherSpec& spec = specs[i];
    const EngineFileMatcher& stored = file.matchers[i];
    if (stored.name != spec.name) {
      return absl::FailedPreconditionError(
          absl::StrCat("engine file has a \"", stored.name,
                       "\" database where this build "
                       "of watchword expects \"",
                       spec.name, "\"", kRecompile));
    }
    const uint64_t fingerprint = HyperscanPatternsFingerprint(spec.patterns);
    if (stored.pattern_count != spec.patterns.size() ||
        stored.patterns_fingerprint != fingerprint) {
      return absl::FailedPreconditionError(absl::StrCat(
          "engine file's \"", spec.name, "\" database was compiled for ",
          stored.pattern_count, " patterns (fingerprint ",
          absl::Hex(stored.patterns_fingerprint, absl::kZeroPad16),
          "), but this build of watchword lowers the ruleset to ",
          spec.patterns.size(), " other patterns", kRecompile));
    }
    if (spec.patterns.empty() && !spec.required) {
      if (!stored.database.empty()) {
        return absl::DataLossError(
            absl::StrCat("engine file is corrupt: \"", spec.name,
                         "\" has a database but no patterns"));
      }
      continue;
    }
    absl::StatusOr<std::unique_ptr<const Matcher>> matcher =
        LoadHyperscanMatcher(spec.patterns, std::move(spec.ids),
                             stored.database);
    if (!matcher.ok()) {
      return absl::Status(
          matcher.status().code(),
          absl::StrCat(
              "engine file's \"", spec.name,
              "\" database: ", matcher.status().message(),
              matcher.status().code() == absl::StatusCode::kFailedPrecondition
                  ? kRecompile
                  : ""));
    }
    rep->*spec.slot = *std::move(matcher);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> SerializeEngine(const Engine& engine) {
  const EngineRep& rep = EngineAccess::Rep(engine);
  const std::vector<MatcherSpec> specs = PlanMatchers(rep);

  const std::string ruleset = SerializeDeterministic(rep.ruleset);
  const std::string hyperscan_version =
      rep.backend == Backend::kHyperscan ? HyperscanVersion() : "";
  EngineFile file;
  file.library_version = WATCHWORD_VERSION;
  file.backend = rep.backend == Backend::kHyperscan ? kEngineFileHyperscan
                                                    : kEngineFileRe2;
  file.hyperscan_version = hyperscan_version;
  file.ruleset_fingerprint = rep.info.fingerprint();
  file.ruleset = ruleset;
  std::vector<std::string> databases;
  if (rep.backend == Backend::kHyperscan) {
    databases.reserve(specs.size());
    for (const MatcherSpec& spec : specs) {
      const Matcher* matcher = (rep.*spec.slot).get();
      if (matcher == nullptr) {
        databases.emplace_back();
      } else {
        WATCHWORD_ASSIGN_OR_RETURN(std::string database,
                                   SerializeHyperscanDatabase(*matcher));
        databases.push_back(std::move(database));
      }
      EngineFileMatcher stored;
      stored.name = spec.name;
      stored.pattern_count = static_cast<uint32_t>(spec.patterns.size());
      stored.patterns_fingerprint = HyperscanPatternsFingerprint(spec.patterns);
      stored.database = databases.back();
      file.matchers.push_back(stored);
    }
  }
  return EncodeEngineFile(file);
}

absl::StatusOr<std::shared_ptr<const Engine>> DeserializeEngine(
    absl::string_view bytes) {
  WATCHWORD_ASSIGN_OR_RETURN(EngineFile file, DecodeEngineFile(bytes));
  const std::string written_by =
      absl::StrCat(" (written by watchword ", file.library_version, ")");
  Backend backend;
  if (file.backend == kEngineFileHyperscan) {
    backend = Backend::kHyperscan;
    if (!HasHyperscan()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "engine file is for the hyperscan backend, and this build of "
          "watchword has none; recompile the engine with --backend re2"));
    }
    if (file.hyperscan_version != HyperscanVersion()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "engine file was compiled by Hyperscan ", file.hyperscan_version,
          written_by, "; this build has Hyperscan ", HyperscanVersion(),
          kRecompile));
    }
  } else if (file.backend == kEngineFileRe2) {
    backend = Backend::kRe2;
  } else {
    return absl::DataLossError(
        absl::StrCat("engine file is corrupt: unknown backend ", file.backend));
  }

  v1::Ruleset ruleset;
  if (file.ruleset.size() > static_cast<size_t>(INT_MAX)) {
    return absl::DataLossError("engine file is corrupt: its ruleset is too big");
  }
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const uint8_t*>(file.ruleset.data()),
      static_cast<int>(file.ruleset.size()));
  // The limit the text and JSON loaders apply, so that what compiled loads.
  input.SetRecursionLimit(kMaxMessageDepth);
  if (!ruleset.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    return absl::DataLossError(
        "engine file is corrupt: its ruleset does not "
        "parse");
  }
  // A newer watchword may have written fields this build would ignore;
  // dropping them changes the fingerprint, and the engine would not be the
  // one that was compiled.
  ruleset.DiscardUnknownFields();
  // The message does not say what the fingerprint should be: that would
  // only help someone make a file pass.
  if (RulesetFingerprint(ruleset) != file.ruleset_fingerprint) {
    return absl::FailedPreconditionError(absl::StrCat(
        "engine file's ruleset has fingerprint ", file.ruleset_fingerprint,
        written_by, ", but reads otherwise in this build of watchword, which "
        "does not know all its fields",
        kRecompile));
  }

  // The checksum and fingerprint catch damage, not tampering: validate
  // again (a fraction of the load time) so that a crafted file never reaches the lowering
  // or the scanner with a ruleset that validation would refuse.
  std::vector<v1::Diagnostic> diagnostics;
  if (ValidateRuleset(ruleset, &diagnostics,
                      {.compile_with_hyperscan = false}) > 0) {
    for (const v1::Diagnostic& d : diagnostics) {
      if (d.severity() != v1::Diagnostic::SEVERITY_ERROR) continue;
      return absl::DataLossError(absl::StrCat(
          "engine file is corrupt: its ruleset does not validate: ",
          FormatDiagnostic(d)));
    }
  }
  WATCHWORD_ASSIGN_OR_RETURN(std::unique_ptr<EngineRep> rep,
                             LowerRuleset(ruleset));
  rep->backend = backend;
  WATCHWORD_RETURN_IF_ERROR(LoadMatchers(file, rep.get()));
  return EngineAccess::Make(std::move(rep));
}

absl::Status SaveEngineFile(const Engine& engine, absl::string_view path) {
  WATCHWORD_ASSIGN_OR_RETURN(std::string bytes, SerializeEngine(engine));
  const std::string target(path);
  const std::string temporary = absl::StrCat(target, ".tmp");
  std::FILE* out = std::fopen(temporary.c_str(), "wb");
  if (out == nullptr) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot write ", temporary));
  }
  const bool written =
      std::fwrite(bytes.data(), 1, bytes.size(), out) == bytes.size();
  const int write_errno = errno;
  if (std::fclose(out) != 0 || !written) {
    const int error = written ? errno : write_errno;
    std::remove(temporary.c_str());
    return absl::ErrnoToStatus(error, absl::StrCat("cannot write ", temporary));
  }
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return absl::ErrnoToStatus(
        error, absl::StrCat("cannot rename ", temporary, " to ", target));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const Engine>> LoadEngineFile(
    absl::string_view path) {
  const std::string name(path);
  std::FILE* in = std::fopen(name.c_str(), "rb");
  if (in == nullptr) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", name));
  }
  std::string bytes;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), in)) > 0) {
    bytes.append(buffer, n);
  }
  const bool failed = std::ferror(in) != 0;
  const int read_errno = errno;
  std::fclose(in);
  if (failed) {
    return absl::ErrnoToStatus(read_errno, absl::StrCat("cannot read ", name));
  }
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      DeserializeEngine(bytes);
  if (!engine.ok()) {
    return absl::Status(engine.status().code(),
                        absl::StrCat(name, ": ", engine.status().message()));
  }
  return engine;
}

}  // namespace watchword
