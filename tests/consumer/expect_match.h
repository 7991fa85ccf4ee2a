// The check both consumers of tests/consumer/ make of an Engine: scan one
// message and expect the starter ruleset's platform.move-off-platform rule.
// Uses only what watchword::runtime installs, so that runtime_consumer.cc
// (no compiler) and consumer.cc (the whole library) share it.
#ifndef WATCHWORD_TESTS_CONSUMER_EXPECT_MATCH_H_
#define WATCHWORD_TESTS_CONSUMER_EXPECT_MATCH_H_

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "watchword/engine.h"
#include "watchword/scanner.h"
#include "watchword/status_macros.h"

namespace consumer {

// Scans "add me on snap" with `engine`; returns OK and prints
// "WHAT engine (BACKEND): platform.move-off-platform, ACTION_REVIEW" if
// that rule matched with action review, and Internal naming what came back
// otherwise.
inline absl::Status ExpectMatch(std::shared_ptr<const watchword::Engine> engine,
                                const char* what) {
  watchword::Scanner scanner(std::move(engine));
  watchword::v1::Verdict verdict;
  WATCHWORD_RETURN_IF_ERROR(scanner.Scan("add me on snap", &verdict));
  bool matched = false;
  for (const watchword::v1::RuleMatch& match : verdict.rule_matches()) {
    matched |= match.rule_id() == "platform.move-off-platform";
  }
  if (!matched || verdict.action() != watchword::v1::ACTION_REVIEW) {
    return absl::InternalError(
        std::string(what) + ": expected a match of "
        "platform.move-off-platform and action review, got " +
        verdict.ShortDebugString());
  }
  std::printf("%s engine (%s): platform.move-off-platform, %s\n", what,
              watchword::BackendName(scanner.engine()->backend()),
              watchword::v1::Action_Name(verdict.action()).c_str());
  return absl::OkStatus();
}

}  // namespace consumer

#endif  // WATCHWORD_TESTS_CONSUMER_EXPECT_MATCH_H_
