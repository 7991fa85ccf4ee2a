// serialize.h: Engine <-> engine file (layout in src/engine/engine_file.h).
//
// An engine file holds the ruleset (for Engine::ruleset() and the
// conversation tracker), its lowered form (lowered_form.h) and, for
// Hyperscan, the serialized databases. Loading decodes and checks the
// lowered form and deserializes the databases; RE2 matchers are built from
// the lowered patterns. Nothing here needs the loader, the validator, the
// lowering or Hyperscan's compiler, so a service that only loads engine
// files links watchword::runtime (Hyperscan's libhs_runtime).
#include "watchword/serialize.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "src/engine/engine_file.h"
#include "src/engine/engine_rep.h"
#include "src/engine/lowered_form.h"
#include "src/engine/matcher_plan.h"
#include "src/engine/regex_spans.h"
#include "src/engine/ruleset_limits.h"
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

// The parts of the conversation rules ResolveConversationRules()
// (src/conversation/) relies on: a kind, a known scope, steps that name a
// signal of their rule, and indices that fit 16 bits.
absl::Status CheckConversationRules(const v1::Ruleset& ruleset) {
  if (ruleset.conversation_rules_size() > 0xffff) {
    return absl::DataLossError(
        "engine file is corrupt: too many conversation rules");
  }
  for (const v1::ConversationRule& rule : ruleset.conversation_rules()) {
    auto corrupt = [&](absl::string_view what) {
      return absl::DataLossError(absl::StrCat(
          "engine file is corrupt: conversation rule \"",
          absl::CHexEscape(rule.id()), "\": ", what));
    };
    if (rule.pattern_case() == v1::ConversationRule::PATTERN_NOT_SET) {
      return corrupt("no pattern");
    }
    if (!v1::ConversationScope_IsValid(rule.scope())) {
      return corrupt("unknown scope");
    }
    if (rule.signals_size() > 0xffff) return corrupt("too many signals");
    if (rule.pattern_case() == v1::ConversationRule::kSequence) {
      for (const std::string& step : rule.sequence().steps()) {
        bool known = false;
        for (const v1::ConversationSignal& signal : rule.signals()) {
          known = known || signal.id() == step;
        }
        if (!known) return corrupt("a step names no signal of the rule");
      }
    }
  }
  return absl::OkStatus();
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
  // The regexes of the rules: each must compile and match no empty string,
  // as validation ensured when the file was written. They are the base
  // view's patterns: the base matcher's or, on Hyperscan, the first of the
  // folded matcher's (MatcherSpec::base_patterns), which keeps them.
  const MatcherSpec& holder = specs[kFoldedSlot].base_patterns > 0
                                  ? specs[kFoldedSlot]
                                  : specs[kBaseSlot];
  const std::vector<Pattern> rule_regexes(
      holder.patterns.begin(),
      holder.patterns.begin() + (holder.base_patterns > 0
                                     ? holder.base_patterns
                                     : holder.patterns.size()));
  absl::StatusOr<std::vector<std::unique_ptr<RE2>>> regexes =
      CompileRegexes(rule_regexes);
  if (!regexes.ok()) {
    return absl::DataLossError(absl::StrCat("engine file is corrupt: ",
                                            regexes.status().message()));
  }
  for (const std::unique_ptr<RE2>& re : *regexes) {
    if (re != nullptr && MatchesEmpty(*re)) {
      return absl::DataLossError(
          absl::StrCat("engine file is corrupt: regex \"",
                       absl::CHexEscape(re->pattern()),
                       "\" matches an empty string"));
    }
  }
  if (rep->backend == Backend::kRe2) {
    for (MatcherSpec& spec : specs) {
      if (spec.patterns.empty() && !spec.required) continue;
      absl::StatusOr<std::unique_ptr<const Matcher>> matcher =
          BuildRe2Matcher(spec.patterns, std::move(spec.ids));
      if (!matcher.ok()) {
        return absl::Status(
            matcher.status().code() == absl::StatusCode::kInvalidArgument
                ? absl::StatusCode::kDataLoss
                : matcher.status().code(),
            absl::StrCat("engine file's \"", spec.name,
                         "\" matcher: ", matcher.status().message()));
      }
      rep->matchers[spec.slot] = *std::move(matcher);
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
    auto other_patterns = [&]() {
      return absl::FailedPreconditionError(absl::StrCat(
          "engine file's \"", spec.name, "\" database was compiled for ",
          stored.pattern_count, " patterns (fingerprint ",
          absl::Hex(stored.patterns_fingerprint, absl::kZeroPad16),
          "), but this build of watchword lowers the ruleset to ",
          spec.patterns.size(), " other patterns", kRecompile));
    };
    // LoadHyperscanMatcher() checks the fingerprint of patterns it loads.
    if (stored.pattern_count != spec.patterns.size() ||
        (spec.patterns.empty() &&
         stored.patterns_fingerprint !=
             HyperscanPatternsFingerprint(spec.patterns,
                                          spec.base_patterns))) {
      return other_patterns();
    }
    if (spec.patterns.empty() && !spec.required) {
      if (!stored.database.empty()) {
        return absl::DataLossError(
            absl::StrCat("engine file is corrupt: \"", spec.name,
                         "\" has a database but no patterns"));
      }
      continue;
    }
    bool fingerprint_differs = false;
    absl::StatusOr<std::unique_ptr<const Matcher>> matcher =
        LoadHyperscanMatcher(spec.patterns, std::move(spec.ids),
                             stored.database,
                             spec.slot == holder.slot
                                 ? *std::move(regexes)
                                 : std::vector<std::unique_ptr<RE2>>(),
                             &stored.patterns_fingerprint,
                             &fingerprint_differs, spec.base_patterns);
    if (fingerprint_differs) return other_patterns();
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
    rep->matchers[spec.slot] = *std::move(matcher);
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
  const std::string lowered = EncodeLoweredForm(rep);
  file.lowered = lowered;
  std::vector<std::string> databases;
  if (rep.backend == Backend::kHyperscan) {
    databases.reserve(specs.size());
    for (const MatcherSpec& spec : specs) {
      const Matcher* matcher = rep.matchers[spec.slot].get();
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
      stored.patterns_fingerprint =
          HyperscanPatternsFingerprint(spec.patterns, spec.base_patterns);
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

  // The checksum and fingerprints catch damage, not tampering: the lowered
  // form is checked as it is decoded (lowered_form.h), and what the
  // conversation tracker reads of the ruleset here, so that a crafted file
  // never reaches the scanner with an engine that breaks an invariant.
  WATCHWORD_RETURN_IF_ERROR(CheckConversationRules(ruleset));
  auto rep = std::make_unique<EngineRep>();
  WATCHWORD_RETURN_IF_ERROR(DecodeLoweredForm(file.lowered, rep.get()));
  rep->info.set_name(ruleset.name());
  rep->info.set_version(ruleset.version());
  rep->info.set_fingerprint(std::string(file.ruleset_fingerprint));
  rep->ruleset = std::move(ruleset);
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
