// Conversation-level detection: a tracker that feeds each message's verdict
// to the ruleset's conversation rules (ConversationRule in ruleset.proto).
#ifndef WATCHWORD_CONVERSATION_H_
#define WATCHWORD_CONVERSATION_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "watchword/engine.h"
#include "watchword/export.h"
#include "watchword/v1/context.pb.h"
#include "watchword/v1/tracker.pb.h"
#include "watchword/v1/verdict.pb.h"

namespace watchword {

struct ConversationTrackerRep;  // Defined in src/conversation/.

// Bounds on what a ConversationTracker keeps. Plain struct with production
// defaults.
struct TrackerOptions {
  // Independent parts of the state, each with its own lock; threads that
  // update conversations in different shards do not wait for each other.
  int shards = 16;
  // Most conversations tracked at once (over all shards). Past it, the
  // least recently active conversation of the shard is dropped.
  size_t max_conversations = 1 << 20;
  // Most senders tracked at once, for sender-scope rules; same eviction.
  size_t max_senders = 1 << 18;
  // Most messages with signals kept per scope (a direction, a whole
  // conversation, a sender); past it, the oldest is dropped.
  int max_signals = 32;
  // Message ids remembered per conversation (or per sender, for messages
  // without a conversation id) to recognize duplicates.
  int max_message_ids = 16;
  // Recipients remembered per sender, for new_contacts.
  int max_recipients = 256;
  // A conversation or sender whose newest timestamp is this much older than
  // the newest timestamp its shard has seen is dropped (checked on the
  // least recently active first, a few per update). 0: never.
  int64_t expire_after_ms = int64_t{7} * 24 * 3600 * 1000;
};

// A ConversationTracker applies an Engine's conversation rules to the
// messages of many conversations. It keeps, per conversation (per direction
// where a rule asks) and per sender, only which signals fired, in which
// message (by id), and when: never message text. Memory is bounded by
// TrackerOptions; each update takes time bounded by the options, not by the
// number of conversations or their length.
//
// Thread-safe: any number of threads may call Update() concurrently; those
// updating conversations in different shards do not contend. It keeps its
// Engine alive; a tracker follows one Engine for its life.
class WATCHWORD_EXPORT ConversationTracker {
 public:
  // Returns a tracker of the conversation rules of `engine` (there may be
  // none: every update then returns an empty verdict).
  //
  // Returns InvalidArgument if an option is out of range (shards < 1, a
  // max_* < 1, expire_after_ms < 0). REQUIRES: `engine` is non-null.
  static absl::StatusOr<std::unique_ptr<ConversationTracker>> Create(
      std::shared_ptr<const Engine> engine, const TrackerOptions& options = {});

  ~ConversationTracker();
  ConversationTracker(const ConversationTracker&) = delete;
  ConversationTracker& operator=(const ConversationTracker&) = delete;

  // Feeds one scanned message, known by `verdict.request_id()`, sent in
  // `context` (conversation_id, sender_id, recipient_id, timestamp_ms and
  // the fields conditions read), whose message-level matches are
  // `verdict.rule_matches()`. Returns the conversation rules that fired on
  // it. A message id already seen in its conversation (or, without a
  // conversation id, from its sender) counts once: the result then has
  // `duplicate` set and nothing else. A message without conversation id
  // feeds only sender-scope rules; one without sender id feeds only
  // whole-conversation rules. Timestamps may arrive out of order: a message
  // counts where its timestamp puts it, if inside the window.
  v1::ConversationVerdict Update(const v1::Context& context,
                                 const v1::Verdict& verdict);

  // Like Update(), then stores the result in `verdict->conversation` and
  // raises `verdict->action` and `verdict->severity` to the conversation
  // verdict's where stronger.
  void Track(const v1::Context& context, v1::Verdict* verdict);

  // Drops conversations and senders whose newest timestamp is older than
  // `now_ms - expire_after_ms` (nothing if expire_after_ms is 0).
  void Expire(int64_t now_ms);

  // Number of conversations and of senders tracked now.
  size_t conversation_count() const;
  size_t sender_count() const;

  // Stores the whole state in *state, least recently active first. Shards
  // are copied one at a time: updates that run meanwhile may or may not be
  // in it.
  void Snapshot(v1::TrackerState* state) const;

  // Replaces the state with `state` (from Snapshot(), maybe of a tracker of
  // another ruleset version: rules and signals it does not know are
  // dropped). Entries past this tracker's bounds are dropped, oldest first.
  // Returns InvalidArgument, leaving the state empty, if `state` repeats a
  // conversation or sender id.
  absl::Status Restore(const v1::TrackerState& state);

 private:
  explicit ConversationTracker(std::unique_ptr<ConversationTrackerRep> rep);
  std::unique_ptr<ConversationTrackerRep> rep_;
};

}  // namespace watchword

#endif  // WATCHWORD_CONVERSATION_H_
