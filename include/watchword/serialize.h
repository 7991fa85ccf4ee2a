// Saving a compiled Engine to an engine file and loading it back, so that a
// service starts in milliseconds instead of compiling its ruleset (about a
// second or more for rulesets/child_safety on Hyperscan).
//
//   // At build or deploy time (or `watchword compile RULESET -o FILE`):
//   WATCHWORD_ASSIGN_OR_RETURN(auto engine,
//   CompileFile("rulesets/child_safety"));
//   WATCHWORD_RETURN_IF_ERROR(SaveEngineFile(*engine,
//   "child_safety.wwengine"));
//   // At start-up:
//   WATCHWORD_ASSIGN_OR_RETURN(auto loaded,
//   LoadEngineFile("child_safety.wwengine"));
//
// An engine file holds the validated ruleset, its lowered form (rules and
// patterns as the scanner reads them) and, for the Hyperscan backend, the
// compiled Hyperscan databases. Loading decodes the lowered form and checks
// it (a crafted file may hold anything: the checksum and fingerprints catch
// damage, not tampering) and deserializes the databases instead of
// compiling them. An RE2 engine file holds no databases: loading builds
// the RE2 matchers again, which takes about as long as compiling them.
//
// Loading needs no compiler: a service that only loads engine files links
// the CMake target watchword::runtime (pkg-config watchword_runtime), which
// has these four functions, scanner.h and conversation.h, but not
// compiler.h.
//
// Engine files are for bytes we wrote ourselves, as a cache of Compile():
// keep the ruleset source, since a file only loads in a build of watchword
// with the same engine file format version, the same Hyperscan
// version, on a CPU with the instruction set it was compiled for. Otherwise
// loading fails with FailedPrecondition and a message that says to
// recompile; it never loads an engine that would scan differently. Damaged
// bytes fail with DataLoss; a checksum covers the whole file.
//
// All functions are thread-safe.
#ifndef WATCHWORD_SERIALIZE_H_
#define WATCHWORD_SERIALIZE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "watchword/engine.h"
#include "watchword/export.h"

namespace watchword {

// Returns the bytes of an engine file for `engine`. Deterministic: the same
// engine, built by the same library and Hyperscan, gives the same bytes.
//
// Returns Internal if Hyperscan fails to serialize a database.
WATCHWORD_EXPORT absl::StatusOr<std::string> SerializeEngine(
    const Engine& engine);

// Returns an Engine equal to the one `bytes` was serialized from: same
// ruleset, info, backend and verdicts. `bytes` may be freed afterwards.
//
// Returns InvalidArgument if `bytes` is not an engine file; DataLoss if it
// is truncated or corrupt, or holds a lowered form that breaks an invariant
// validation guarantees (the message names the rule); FailedPrecondition if
// it was written in another format version, for a Hyperscan version, CPU
// or database plan this build does not have, or by a build with Hyperscan
// into one without. Each message
// says what did not fit.
WATCHWORD_EXPORT absl::StatusOr<std::shared_ptr<const Engine>>
DeserializeEngine(absl::string_view bytes);

// SerializeEngine(), then writes the bytes to `path`, replacing it. Writes
// to `path` + ".tmp" and renames it, so a reader never sees a partly
// written file.
//
// Returns the errors of SerializeEngine(), or, if the file cannot be
// written, the system's error (NotFound, PermissionDenied, ...) with a
// message naming the path.
WATCHWORD_EXPORT absl::Status SaveEngineFile(const Engine& engine,
                                              absl::string_view path);

// Reads `path` and returns DeserializeEngine() of its bytes; messages start
// with the path.
//
// Returns the system's error (NotFound, PermissionDenied, ...) if `path`
// cannot be read, and otherwise the errors of DeserializeEngine().
WATCHWORD_EXPORT absl::StatusOr<std::shared_ptr<const Engine>> LoadEngineFile(
    absl::string_view path);

}  // namespace watchword

#endif  // WATCHWORD_SERIALIZE_H_
