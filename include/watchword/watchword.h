// Watchword: detection of child grooming and exploitation signals in text.
//
// Start with engine.h, then compiler.h and scanner.h; conversation.h tracks
// conversations; serialize.h saves and loads compiled engines; views.h shows the views a Scanner matches;
// version.h holds the library version. Inputs
// and outputs are protobuf messages from proto/watchword/v1/.
//
//   absl::StatusOr<std::shared_ptr<const watchword::Engine>> engine =
//       watchword::CompileFile("rulesets/examples/starter.textproto");
//   if (!engine.ok()) return engine.status();  // names the bad rule
//   watchword::Scanner scanner(*engine);        // one per thread, cheap
//   watchword::v1::Verdict verdict;
//   WATCHWORD_RETURN_IF_ERROR(scanner.Scan("don't tell your mum", &verdict));
#ifndef WATCHWORD_WATCHWORD_H_
#define WATCHWORD_WATCHWORD_H_

#include "watchword/compiler.h"
#include "watchword/conversation.h"
#include "watchword/engine.h"
#include "watchword/normalizer.h"
#include "watchword/scanner.h"
#include "watchword/serialize.h"
#include "watchword/status_macros.h"
#include "watchword/version.h"
#include "watchword/views.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/diagnostic.pb.h"
#include "watchword/v1/ruleset.pb.h"
#include "watchword/v1/verdict.pb.h"

#endif  // WATCHWORD_WATCHWORD_H_
