#include "watchword/conversation.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/compiler.h"

namespace watchword {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Property;
using ::watchword::testing::ParseRuleset;
using ::watchword::testing::StatusIs;

// Message-level rules the conversation rules below select as signals. The
// tracker reads only rule ids from verdicts, so tests hand it verdicts.
constexpr char kMessageRules[] = R"pb(
  rules { id: "age" category: "grooming.age" tags: "stage"
          action: ACTION_LOG match { term { phrase: "how old" } } }
  rules { id: "secret" category: "grooming.secrecy" tags: "stage"
          action: ACTION_LOG match { term { phrase: "our secret" } } }
  rules { id: "app" category: "grooming.platform" tags: "stage"
          action: ACTION_LOG match { term { phrase: "add me on" } } }
  rules { id: "pic" category: "exploitation.image"
          action: ACTION_REVIEW match { term { phrase: "send a pic" } } }
)pb";

// From an adult to a minor.
constexpr char kAdultToMinor[] = R"pb(
  conditions { sender_age_band { any_of: AGE_BAND_ADULT } }
  conditions { recipient_age_band { any_of: [AGE_BAND_UNDER_13, AGE_BAND_13_15] } }
)pb";

constexpr char kStageSignals[] = R"pb(
  signals { id: "age" rule_ids: "age" weight: 1 }
  signals { id: "secrecy" categories: "grooming.secrecy" weight: 2 }
  signals { id: "platform" rule_ids: "app" weight: 1 }
  signals { id: "image" categories: "exploitation" weight: 3 }
)pb";

std::shared_ptr<const Engine> EngineWith(const std::string& conversation_rules) {
  absl::StatusOr<std::shared_ptr<const Engine>> engine =
      Compile(ParseRuleset(absl::StrCat(kMessageRules, conversation_rules)));
  EXPECT_TRUE(engine.ok()) << engine.status();
  return engine.ok() ? *engine : nullptr;
}

std::unique_ptr<ConversationTracker> TrackerWith(
    const std::string& conversation_rules, const TrackerOptions& options = {}) {
  auto tracker =
      ConversationTracker::Create(EngineWith(conversation_rules), options);
  EXPECT_TRUE(tracker.ok()) << tracker.status();
  return tracker.ok() ? std::move(*tracker) : nullptr;
}

// One message: its context and the ids of the message-level rules it matched.
struct Message {
  std::string id;
  std::vector<std::string> rules;
  int64_t timestamp_ms = 0;
  std::string conversation = "c1";
  std::string sender = "adult";
  std::string recipient = "kid";
  v1::AgeBand sender_band = v1::AGE_BAND_ADULT;
  v1::AgeBand recipient_band = v1::AGE_BAND_13_15;
};

v1::ConversationVerdict Feed(ConversationTracker& tracker, const Message& m) {
  v1::Context context;
  context.set_conversation_id(m.conversation);
  context.set_sender_id(m.sender);
  context.set_recipient_id(m.recipient);
  context.set_timestamp_ms(m.timestamp_ms);
  context.set_sender_age_band(m.sender_band);
  context.set_recipient_age_band(m.recipient_band);
  v1::Verdict verdict;
  verdict.set_request_id(m.id);
  for (const std::string& rule : m.rules) {
    verdict.add_rule_matches()->set_rule_id(rule);
  }
  return tracker.Update(context, verdict);
}

// The ids of the rules that fired.
std::vector<std::string> Fired(const v1::ConversationVerdict& verdict) {
  std::vector<std::string> ids;
  for (const v1::ConversationMatch& m : verdict.matches()) {
    ids.push_back(m.rule_id());
  }
  return ids;
}

std::vector<std::string> ContributingIds(const v1::ConversationMatch& match) {
  std::vector<std::string> ids;
  for (const v1::Contribution& c : match.contributions()) {
    ids.push_back(c.message_id());
  }
  return ids;
}

std::string StagesRule(const std::string& extra = "",
                       const std::string& window = "max_messages: 50") {
  return absl::StrCat(
      "conversation_rules { id: \"stages\" category: \"grooming.progression\" "
      "severity: SEVERITY_HIGH action: ACTION_ESCALATE ",
      kAdultToMinor, kStageSignals, " window { ", window,
      " } distinct_stages { min_distinct: 3 } ", extra, " }");
}

// ---------------------------------------------------------------- patterns

TEST(TrackerTest, DistinctStagesFireOnTheMessageThatCompletesThem) {
  auto tracker = TrackerWith(StagesRule());
  EXPECT_THAT(Fired(Feed(*tracker, {"m1", {"age"}, 1000})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, {"m2", {}, 2000})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, {"m3", {"age"}, 3000})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, {"m4", {"secret"}, 4000})), IsEmpty());
  v1::ConversationVerdict verdict = Feed(*tracker, {"m5", {"pic"}, 5000});
  ASSERT_THAT(Fired(verdict), ElementsAre("stages"));
  EXPECT_EQ(verdict.action(), v1::ACTION_ESCALATE);
  EXPECT_EQ(verdict.severity(), v1::SEVERITY_HIGH);
  const v1::ConversationMatch& match = verdict.matches(0);
  EXPECT_EQ(match.scope(), v1::CONVERSATION_SCOPE_CONVERSATION);
  EXPECT_THAT(ContributingIds(match), ElementsAre("m1", "m3", "m4", "m5"));
  EXPECT_EQ(match.contributions(3).timestamp_ms(), 5000);
  EXPECT_EQ(match.contributions(3).signal(), "image");
  EXPECT_EQ(match.contributions(3).rule_id(), "pic");
  // A message without a signal makes nothing fire.
  EXPECT_THAT(Fired(Feed(*tracker, {"m6", {}, 6000})), IsEmpty());
}

TEST(TrackerTest, ConditionsAndDirectionsKeepOtherMessagesOut) {
  auto tracker = TrackerWith(StagesRule());
  // The minor's own messages fail the conditions.
  Message from_kid{"k1", {"age", "secret", "app"}, 1000};
  from_kid.sender = "kid";
  from_kid.recipient = "adult";
  from_kid.sender_band = v1::AGE_BAND_13_15;
  from_kid.recipient_band = v1::AGE_BAND_ADULT;
  EXPECT_THAT(Fired(Feed(*tracker, from_kid)), IsEmpty());
  // Two adults in one conversation count apart (one direction each).
  Message other{"o1", {"age"}, 2000};
  other.sender = "other-adult";
  Feed(*tracker, other);
  other = {"o2", {"secret"}, 3000};
  other.sender = "other-adult";
  Feed(*tracker, other);
  EXPECT_THAT(Fired(Feed(*tracker, {"a1", {"app"}, 4000})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, {"a2", {"age", "secret"}, 5000})),
              ElementsAre("stages"));
}

TEST(TrackerTest, WholeConversationScopeCountsEverySender) {
  auto tracker = TrackerWith(
      StagesRule("scope: CONVERSATION_SCOPE_WHOLE_CONVERSATION"));
  Message other{"o1", {"age"}, 1000};
  other.sender = "other-adult";
  Feed(*tracker, other);
  Feed(*tracker, {"a1", {"app"}, 2000});
  EXPECT_THAT(Fired(Feed(*tracker, {"a2", {"secret"}, 3000})),
              ElementsAre("stages"));
}

TEST(TrackerTest, WindowBoundsMessagesAndTime) {
  auto by_count = TrackerWith(StagesRule("", "max_messages: 3"));
  Feed(*by_count, {"m1", {"age"}, 0});
  Feed(*by_count, {"m2", {"secret"}, 0});
  Feed(*by_count, {"m3", {}, 0});
  // m1 is 4 messages back: out.
  EXPECT_THAT(Fired(Feed(*by_count, {"m4", {"app"}, 0})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*by_count, {"m5", {"age", "secret"}, 0})),
              ElementsAre("stages"));

  auto by_time = TrackerWith(StagesRule("", "max_duration_seconds: 60"));
  Feed(*by_time, {"m1", {"age"}, 0});
  Feed(*by_time, {"m2", {"secret"}, 30'000});
  EXPECT_THAT(Fired(Feed(*by_time, {"m3", {"app"}, 61'000})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*by_time, {"m4", {"age"}, 62'000})),
              ElementsAre("stages"));
}

std::string SequenceRule() {
  return absl::StrCat(
      "conversation_rules { id: \"secrecy-then-app\" category: \"g\" "
      "severity: SEVERITY_HIGH action: ACTION_REVIEW ",
      kAdultToMinor, kStageSignals,
      " window { max_messages: 20 } sequence { steps: [\"secrecy\", "
      "\"platform\"] } }");
}

TEST(TrackerTest, SequenceNeedsItsOrderByTimestamp) {
  auto tracker = TrackerWith(SequenceRule());
  Feed(*tracker, {"m1", {"app"}, 1000});
  EXPECT_THAT(Fired(Feed(*tracker, {"m2", {"secret"}, 2000})), IsEmpty());

  v1::ConversationVerdict verdict = Feed(*tracker, {"m3", {"app"}, 3000});
  ASSERT_THAT(Fired(verdict), ElementsAre("secrecy-then-app"));
  EXPECT_THAT(ContributingIds(verdict.matches(0)), ElementsAre("m2", "m3"));

  // Both in one message is not one then the other.
  auto both = TrackerWith(SequenceRule());
  EXPECT_THAT(Fired(Feed(*both, {"m1", {"secret", "app"}, 0})), IsEmpty());

  // Arriving late with an earlier timestamp, secrecy still comes first.
  auto late = TrackerWith(SequenceRule());
  Feed(*late, {"m2", {"app"}, 5000});
  v1::ConversationVerdict late_verdict = Feed(*late, {"m1", {"secret"}, 4000});
  ASSERT_THAT(Fired(late_verdict), ElementsAre("secrecy-then-app"));
  EXPECT_THAT(ContributingIds(late_verdict.matches(0)), ElementsAre("m1", "m2"));
}

TEST(TrackerTest, RiskScoreDecaysWithItsHalfLife) {
  const std::string rule = absl::StrCat(
      "conversation_rules { id: \"risk\" category: \"g\" "
      "severity: SEVERITY_HIGH action: ACTION_ESCALATE ",
      kAdultToMinor, kStageSignals,
      " window { max_duration_seconds: 86400 } "
      "risk_score { half_life_seconds: 3600 threshold: 4.5 } }");
  auto close = TrackerWith(rule);
  Feed(*close, {"m1", {"secret"}, 0});  // 2
  Feed(*close, {"m2", {"age"}, 0});     // 1
  v1::ConversationVerdict verdict = Feed(*close, {"m3", {"pic"}, 0});  // 3
  ASSERT_THAT(Fired(verdict), ElementsAre("risk"));
  EXPECT_DOUBLE_EQ(verdict.matches(0).score(), 6);

  // Two hours later the first two weigh a quarter: 0.75 + 3 < 4.5.
  auto apart = TrackerWith(rule);
  Feed(*apart, {"m1", {"secret"}, 0});
  Feed(*apart, {"m2", {"age"}, 0});
  EXPECT_THAT(Fired(Feed(*apart, {"m3", {"pic"}, 7'200'000})), IsEmpty());
}

TEST(TrackerTest, NewContactsCountDistinctRecipientsOfASender) {
  auto tracker = TrackerWith(absl::StrCat(
      "conversation_rules { id: \"many-minors\" category: \"g\" "
      "severity: SEVERITY_MEDIUM action: ACTION_REVIEW ",
      kAdultToMinor,
      " window { max_duration_seconds: 3600 } "
      "new_contacts { min_recipients: 3 } }"));
  auto to = [](const std::string& id, const std::string& kid, int64_t t) {
    Message m{id, {}, t, "conv-" + kid};
    m.recipient = kid;
    return m;
  };
  EXPECT_THAT(Fired(Feed(*tracker, to("m1", "k1", 0))), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, to("m2", "k1", 1000))), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, to("m3", "k2", 2000))), IsEmpty());
  Message adult = to("m4", "grown-up", 3000);
  adult.recipient_band = v1::AGE_BAND_ADULT;
  EXPECT_THAT(Fired(Feed(*tracker, adult)), IsEmpty());
  v1::ConversationVerdict verdict = Feed(*tracker, to("m5", "k3", 4000));
  ASSERT_THAT(Fired(verdict), ElementsAre("many-minors"));
  EXPECT_EQ(verdict.matches(0).scope(), v1::CONVERSATION_SCOPE_SENDER);
  EXPECT_THAT(ContributingIds(verdict.matches(0)), ElementsAre("m1", "m3", "m5"));
  EXPECT_EQ(verdict.matches(0).contributions(2).conversation_id(), "conv-k3");
  // Writing again to a known recipient is not a first message.
  EXPECT_THAT(Fired(Feed(*tracker, to("m6", "k2", 5000))), IsEmpty());
}

TEST(TrackerTest, RepeatedAcrossConversationsCountsOneRule) {
  auto tracker = TrackerWith(absl::StrCat(
      "conversation_rules { id: \"serial\" category: \"g\" "
      "severity: SEVERITY_HIGH action: ACTION_ESCALATE ",
      kStageSignals,
      " window { max_duration_seconds: 86400 } "
      "repeated_across_conversations { min_conversations: 3 } }"));
  Feed(*tracker, {"m1", {"secret"}, 0, "a"});
  Feed(*tracker, {"m2", {"secret"}, 0, "a"});
  Feed(*tracker, {"m3", {"age"}, 0, "b"});
  // "secret" in a and b, "age" only in b: neither reaches 3.
  EXPECT_THAT(Fired(Feed(*tracker, {"m4", {"secret"}, 0, "b"})), IsEmpty());
  v1::ConversationVerdict verdict = Feed(*tracker, {"m5", {"secret"}, 0, "c"});
  ASSERT_THAT(Fired(verdict), ElementsAre("serial"));
  for (const v1::Contribution& c : verdict.matches(0).contributions()) {
    EXPECT_EQ(c.rule_id(), "secret");
  }
  EXPECT_THAT(Fired(Feed(*tracker, {"m6", {"age"}, 0, "d"})), IsEmpty());
}

// ---------------------------------------------------------------- input order

TEST(TrackerTest, DuplicateMessageIdCountsOnce) {
  auto tracker = TrackerWith(StagesRule());
  Feed(*tracker, {"m1", {"age"}, 1000});
  v1::ConversationVerdict again = Feed(*tracker, {"m1", {"secret"}, 1000});
  EXPECT_TRUE(again.duplicate());
  EXPECT_THAT(Fired(again), IsEmpty());
  Feed(*tracker, {"m2", {"age"}, 2000});
  // Had the duplicate counted, secrecy would make three stages here.
  EXPECT_THAT(Fired(Feed(*tracker, {"m3", {"app"}, 3000})), IsEmpty());
  EXPECT_THAT(Fired(Feed(*tracker, {"m4", {"secret"}, 4000})),
              ElementsAre("stages"));
  // The same id in another conversation is another message.
  EXPECT_FALSE(Feed(*tracker, {"m1", {}, 5000, "c2"}).duplicate());
}

TEST(TrackerTest, OutOfOrderMessagesCountByTimestampInsideTheWindowOnly) {
  auto tracker = TrackerWith(StagesRule("", "max_duration_seconds: 60"));
  Feed(*tracker, {"m3", {"age"}, 100'000});
  Feed(*tracker, {"m2", {"secret"}, 90'000});
  // Late and older than the window reaches: it does not count.
  EXPECT_THAT(Fired(Feed(*tracker, {"m1", {"app"}, 10'000})), IsEmpty());
  v1::ConversationVerdict verdict = Feed(*tracker, {"m0", {"app"}, 50'000});
  ASSERT_THAT(Fired(verdict), ElementsAre("stages"));
  EXPECT_THAT(ContributingIds(verdict.matches(0)), ElementsAre("m0", "m2", "m3"));
}

// ---------------------------------------------------------------- bounds

TEST(TrackerTest, EvictsTheLeastRecentlyActiveConversation) {
  TrackerOptions options;
  options.shards = 1;
  options.max_conversations = 2;
  auto tracker = TrackerWith(StagesRule(), options);
  Feed(*tracker, {"a1", {"age"}, 0, "a"});
  Feed(*tracker, {"b1", {"age"}, 0, "b"});
  Feed(*tracker, {"b2", {"secret"}, 0, "b"});
  Feed(*tracker, {"a2", {"secret"}, 0, "a"});  // a is now the most recent.
  Feed(*tracker, {"c1", {}, 0, "c"});          // Evicts b.
  EXPECT_EQ(tracker->conversation_count(), 2u);
  EXPECT_THAT(Fired(Feed(*tracker, {"a3", {"app"}, 0, "a"})),
              ElementsAre("stages"));
  EXPECT_THAT(Fired(Feed(*tracker, {"b3", {"app"}, 0, "b"})), IsEmpty());
  EXPECT_EQ(tracker->conversation_count(), 2u);
}

TEST(TrackerTest, KeepsAtMostMaxSignalsPerScope) {
  TrackerOptions options;
  options.max_signals = 2;
  auto tracker = TrackerWith(StagesRule(), options);
  Feed(*tracker, {"m1", {"age"}, 1});
  Feed(*tracker, {"m2", {"secret"}, 2});
  Feed(*tracker, {"m3", {"secret"}, 3});  // m1 drops out.
  EXPECT_THAT(Fired(Feed(*tracker, {"m4", {"app"}, 4})), IsEmpty());
}

TEST(TrackerTest, ExpiresIdleConversations) {
  TrackerOptions options;
  options.shards = 1;
  options.expire_after_ms = 60'000;
  auto tracker = TrackerWith(StagesRule(), options);
  Feed(*tracker, {"a1", {"age"}, 0, "a"});
  Feed(*tracker, {"a2", {"secret"}, 0, "a"});
  Feed(*tracker, {"b1", {}, 30'000, "b"});
  EXPECT_EQ(tracker->conversation_count(), 2u);
  // An update two minutes later expires a on its way.
  Feed(*tracker, {"b2", {}, 120'000, "b"});
  EXPECT_EQ(tracker->conversation_count(), 1u);
  EXPECT_THAT(Fired(Feed(*tracker, {"a3", {"app"}, 120'000, "a"})), IsEmpty());
  tracker->Expire(200'000);
  EXPECT_EQ(tracker->conversation_count(), 0u);
}

TEST(TrackerTest, RejectsBadOptions) {
  TrackerOptions options;
  options.shards = 0;
  EXPECT_THAT(ConversationTracker::Create(EngineWith(StagesRule()), options)
                  .status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("shards")));
}

// ---------------------------------------------------------------- snapshots

TEST(TrackerTest, SnapshotRestoresTheSameState) {
  const std::string rules = absl::StrCat(
      StagesRule(),
      "conversation_rules { id: \"many\" category: \"g\" "
      "action: ACTION_REVIEW window { max_messages: 100 } "
      "new_contacts { min_recipients: 2 } }");
  auto original = TrackerWith(rules);
  Feed(*original, {"m1", {"age"}, 1000});
  Feed(*original, {"m2", {"secret"}, 2000});
  Message other{"x1", {}, 3000, "c2"};
  other.recipient = "kid2";
  Feed(*original, other);  // Fires "many".
  v1::TrackerState state;
  original->Snapshot(&state);
  ASSERT_EQ(state.conversations_size(), 2);
  ASSERT_EQ(state.senders_size(), 1);

  auto restored = TrackerWith(rules);
  ASSERT_TRUE(restored->Restore(state).ok());
  v1::TrackerState again;
  restored->Snapshot(&again);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(state, again))
      << state.DebugString() << "\n---\n" << again.DebugString();
  // Both go on the same way: m2 is still a duplicate, m3 completes.
  EXPECT_TRUE(Feed(*restored, {"m2", {"secret"}, 2000}).duplicate());
  v1::ConversationVerdict a = Feed(*original, {"m3", {"app"}, 4000});
  v1::ConversationVerdict b = Feed(*restored, {"m3", {"app"}, 4000});
  EXPECT_THAT(Fired(a), ElementsAre("stages"));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a, b));

  v1::TrackerState repeated = state;
  *repeated.add_conversations() = state.conversations(0);
  EXPECT_THAT(restored->Restore(repeated),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::HasSubstr("repeats conversation")));
  EXPECT_EQ(restored->conversation_count(), 0u);
}

TEST(TrackerTest, RestoreDropsWhatTheRulesetNoLongerHas) {
  auto original = TrackerWith(StagesRule());
  Feed(*original, {"m1", {"age"}, 1000});
  v1::TrackerState state;
  original->Snapshot(&state);
  auto renamed = TrackerWith(absl::StrCat(
      "conversation_rules { id: \"other\" category: \"g\" action: ACTION_LOG ",
      kStageSignals, " window { max_messages: 5 } distinct_stages { min_distinct: 1 } }"));
  ASSERT_TRUE(renamed->Restore(state).ok());
  v1::TrackerState after;
  renamed->Snapshot(&after);
  ASSERT_EQ(after.conversations_size(), 1);
  EXPECT_THAT(after.conversations(0).directions(0).messages(), IsEmpty());
}

// ---------------------------------------------------------------- interface

TEST(TrackerTest, TrackRaisesTheVerdictsAction) {
  auto tracker = TrackerWith(StagesRule());
  Feed(*tracker, {"m1", {"age"}, 0});
  Feed(*tracker, {"m2", {"secret"}, 0});
  v1::Context context;
  context.set_conversation_id("c1");
  context.set_sender_id("adult");
  context.set_sender_age_band(v1::AGE_BAND_ADULT);
  context.set_recipient_age_band(v1::AGE_BAND_13_15);
  v1::Verdict verdict;
  verdict.set_request_id("m3");
  verdict.set_action(v1::ACTION_LOG);
  verdict.add_rule_matches()->set_rule_id("app");
  tracker->Track(context, &verdict);
  EXPECT_EQ(verdict.action(), v1::ACTION_ESCALATE);
  EXPECT_EQ(verdict.severity(), v1::SEVERITY_HIGH);
  EXPECT_THAT(Fired(verdict.conversation()), ElementsAre("stages"));
}

// Threads update their own conversations and one shared sender at once;
// every conversation must end as a lone thread would leave it. Run under
// ThreadSanitizer by scripts/tsan.sh.
TEST(TrackerConcurrencyTest, ThreadsUpdateConversationsAtOnce) {
  TrackerOptions options;
  options.shards = 4;
  auto tracker = TrackerWith(absl::StrCat(
      StagesRule(),
      "conversation_rules { id: \"serial\" category: \"g\" "
      "action: ACTION_LOG ",
      kStageSignals,
      " window { max_messages: 100000 } "
      "repeated_across_conversations { min_conversations: 2 } }"),
                             options);
  constexpr int kThreads = 4;
  constexpr int kConversations = 200;
  std::vector<int> fired(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int c = 0; c < kConversations; ++c) {
        const std::string conversation = absl::StrCat("t", t, "-c", c);
        int n = 0;
        for (const char* rule : {"age", "secret", "app"}) {
          Message m{absl::StrCat(conversation, "-", n++), {rule}, n, conversation};
          for (const std::string& id : Fired(Feed(*tracker, m))) {
            if (id == "stages") ++fired[t];
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(fired[t], kConversations);
  EXPECT_EQ(tracker->conversation_count(), size_t{kThreads * kConversations});
  EXPECT_EQ(tracker->sender_count(), 1u);
}

}  // namespace
}  // namespace watchword
