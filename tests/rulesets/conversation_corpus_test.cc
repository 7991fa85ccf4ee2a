// Conversation-level detection by the bundled child-safety ruleset, measured
// the way a service runs it: every message is scanned, then fed to one
// ConversationTracker, and a conversation "escalates" at its first message
// whose verdict action is ACTION_ESCALATE (a message-level rule or a
// conversation rule).
//
// Two corpora:
// - tests/data/conversations/: synthetic conversations labelled grooming,
//   benign or hard (see its README). Issue #13's bounds: at most one grooming
//   conversation fails to escalate, at least 20 escalate by their reference
//   message, at most one benign conversation escalates. Hard cases and the
//   held-out split are reported, not bounded.
// - tests/data/sms_ham.jsonl: real benign messages, cut into conversations of
//   20 consecutive messages from one account to another. Adult to adult,
//   none may escalate; adult to a 13-to-15-year-old, the rate is reported.
//
// Each test prints its figures and, for the corpus, one line per
// conversation (ctest --output-on-failure, or run the binary).

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/conversation.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::google::protobuf::Struct;
using ::watchword::testing::ReadJsonl;
using ::watchword::testing::SourcePath;
using ::watchword::testing::TestDataPath;

constexpr char kRuleset[] = "rulesets/child_safety";
constexpr int kSmsConversationLength = 20;

// One conversation of tests/data/conversations/.
struct Conversation {
  std::string id;
  std::string label;   // "grooming", "benign" or "hard".
  std::string split;   // "dev" or "holdout".
  int reference = -1;  // Grooming: 0-based index of the reference message.
  bool subtle = false;
  std::string expect;  // Hard cases: what a reviewer would want.
  std::vector<v1::ScanRequest> messages;
};

// Where a conversation first escalated, and the rules behind it.
struct Escalation {
  int at = -1;  // -1: never.
  std::string rules;
};

std::string Field(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? "" : it->second.string_value();
}

double Number(const Struct& s, const std::string& key) {
  auto it = s.fields().find(key);
  return it == s.fields().end() ? -1 : it->second.number_value();
}

// The message's context, as its JSON names it (AgeBand etc. by name).
v1::Context ContextOf(const Struct& m) {
  v1::Context context;
  v1::AgeBand band;
  if (v1::AgeBand_Parse(Field(m, "sender_age_band"), &band)) {
    context.set_sender_age_band(band);
  }
  if (v1::AgeBand_Parse(Field(m, "recipient_age_band"), &band)) {
    context.set_recipient_age_band(band);
  }
  v1::Surface surface;
  if (v1::Surface_Parse(Field(m, "surface"), &surface)) context.set_surface(surface);
  v1::Relationship relationship;
  if (v1::Relationship_Parse(Field(m, "relationship"), &relationship)) {
    context.set_relationship(relationship);
  }
  context.set_conversation_id(Field(m, "conversation_id"));
  context.set_sender_id(Field(m, "sender_id"));
  context.set_recipient_id(Field(m, "recipient_id"));
  context.set_timestamp_ms(static_cast<int64_t>(Number(m, "timestamp_ms")));
  return context;
}

std::string EscalatingRules(const v1::Verdict& verdict) {
  std::vector<std::string> rules;
  for (const v1::RuleMatch& m : verdict.rule_matches()) {
    if (m.action() == v1::ACTION_ESCALATE && !m.shadow()) rules.push_back(m.rule_id());
  }
  for (const v1::ConversationMatch& m : verdict.conversation().matches()) {
    if (m.action() == v1::ACTION_ESCALATE && !m.shadow()) rules.push_back(m.rule_id());
  }
  return absl::StrJoin(rules, ",");
}

class ConversationCorpusTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // RE2 compiles this ruleset a few times faster than Hyperscan, and both
    // give identical verdicts (tests/api/backend_diff_test.cc).
    CompileOptions options;
    options.backend = Backend::kRe2;
    absl::StatusOr<std::shared_ptr<const Engine>> engine =
        CompileFile(SourcePath(kRuleset), options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = new std::shared_ptr<const Engine>(*std::move(engine));
  }

  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(engine_, nullptr);
    absl::StatusOr<std::unique_ptr<ConversationTracker>> tracker =
        ConversationTracker::Create(*engine_);
    ASSERT_TRUE(tracker.ok()) << tracker.status();
    tracker_ = *std::move(tracker);
    scanner_ = std::make_unique<Scanner>(*engine_);
  }

  // Scans and tracks `messages` in order; returns the first escalation.
  Escalation Replay(const std::vector<v1::ScanRequest>& messages) {
    Escalation escalation;
    v1::Verdict verdict;
    for (size_t i = 0; i < messages.size(); ++i) {
      absl::Status status = scanner_->Scan(messages[i], &verdict);
      EXPECT_TRUE(status.ok()) << messages[i].id() << ": " << status;
      tracker_->Track(messages[i].context(), &verdict);
      if (escalation.at < 0 && verdict.action() == v1::ACTION_ESCALATE) {
        escalation.at = static_cast<int>(i);
        escalation.rules = EscalatingRules(verdict);
      }
    }
    return escalation;
  }

  static std::shared_ptr<const Engine>* engine_;
  std::unique_ptr<ConversationTracker> tracker_;
  std::unique_ptr<Scanner> scanner_;
};

std::shared_ptr<const Engine>* ConversationCorpusTest::engine_ = nullptr;

std::vector<Conversation> LoadConversations() {
  std::vector<Conversation> conversations;
  std::map<std::string, size_t> index;
  for (const Struct& m : ReadJsonl<Struct>(TestDataPath("conversations/manifest.jsonl"))) {
    Conversation c;
    c.id = Field(m, "conversation_id");
    c.label = Field(m, "label");
    c.split = Field(m, "split");
    c.reference = static_cast<int>(Number(m, "reference_index"));
    auto subtle = m.fields().find("subtle");
    c.subtle = subtle != m.fields().end() && subtle->second.bool_value();
    c.expect = Field(m, "expect");
    index[c.id] = conversations.size();
    conversations.push_back(std::move(c));
  }
  for (const Struct& m : ReadJsonl<Struct>(TestDataPath("conversations/conversations.jsonl"))) {
    auto it = index.find(Field(m, "conversation_id"));
    EXPECT_NE(it, index.end()) << Field(m, "message_id") << " is not in the manifest";
    if (it == index.end()) continue;
    v1::ScanRequest request;
    request.set_id(Field(m, "message_id"));
    request.set_text(Field(m, "text"));
    *request.mutable_context() = ContextOf(m);
    conversations[it->second].messages.push_back(std::move(request));
  }
  return conversations;
}

TEST_F(ConversationCorpusTest, GroomingEscalatesByTheReferenceMessageAndBenignDoesNot) {
  std::vector<Conversation> conversations = LoadConversations();
  ASSERT_GE(conversations.size(), 60u);
  std::map<std::string, Escalation> results;
  for (const Conversation& c : conversations) {
    ASSERT_FALSE(c.messages.empty()) << c.id;
    results[c.id] = Replay(c.messages);
  }

  int all_grooming = 0, all_escalated = 0, all_on_time = 0, all_benign_escalated = 0;
  for (const std::string split : {"dev", "holdout", "all"}) {
    int grooming = 0, escalated = 0, on_time = 0, subtle = 0, subtle_escalated = 0;
    int benign = 0, benign_escalated = 0, hard = 0, hard_escalated = 0;
    std::vector<int> offsets;
    for (const Conversation& c : conversations) {
      if (split != "all" && c.split != split) continue;
      const Escalation& e = results[c.id];
      if (c.label == "grooming") {
        ++grooming;
        subtle += c.subtle;
        if (e.at >= 0) {
          ++escalated;
          subtle_escalated += c.subtle;
          on_time += e.at <= c.reference;
          offsets.push_back(e.at - c.reference);
        }
      } else if (c.label == "benign") {
        ++benign;
        benign_escalated += e.at >= 0;
      } else {
        ++hard;
        hard_escalated += e.at >= 0;
      }
    }
    std::sort(offsets.begin(), offsets.end());
    std::cout << absl::StrFormat(
        "[%s] grooming escalated %d/%d, by the reference message %d/%d, median "
        "offset %s messages; without an explicit message %d/%d; benign escalated "
        "%d/%d; hard escalated %d/%d\n",
        split, escalated, grooming, on_time, grooming,
        offsets.empty() ? "n/a" : absl::StrCat(offsets[offsets.size() / 2]),
        subtle_escalated, subtle, benign_escalated, benign, hard_escalated, hard);
    if (split == "all") {
      all_grooming = grooming;
      all_escalated = escalated;
      all_on_time = on_time;
      all_benign_escalated = benign_escalated;
    }
  }
  std::cout << "per conversation: label split escalated-at/reference mark rules\n";
  for (const Conversation& c : conversations) {
    const Escalation& e = results[c.id];
    std::string mark;
    if (c.label == "grooming") {
      mark = e.at < 0 ? "MISSED" : (e.at > c.reference ? "late" : "ok");
    } else if (e.at >= 0) {
      mark = c.label == "benign" ? "FALSE-ESCALATION" : "escalated";
    }
    std::cout << absl::StrFormat(
        "  %s %-8s %-7s %2s/%2s %-16s %s%s\n", c.id, c.label, c.split,
        e.at < 0 ? "-" : absl::StrCat(e.at),
        c.reference < 0 ? "-" : absl::StrCat(c.reference), mark, e.rules,
        c.expect.empty() ? "" : absl::StrCat(" expect=", c.expect));
  }

  EXPECT_EQ(all_grooming, 25);
  EXPECT_GE(all_escalated, all_grooming - 1) << "grooming conversations that escalate";
  EXPECT_GE(all_on_time, 20) << "grooming conversations escalated by the reference message";
  EXPECT_LE(all_benign_escalated, 1) << "benign conversations that escalate";
}

// Replays sms_ham as conversations from one adult to `recipient`; returns
// how many escalate and stores the rules behind them in *rules.
int SmsHamEscalations(const std::shared_ptr<const Engine>& engine, v1::AgeBand recipient,
                      int* conversations, std::map<std::string, int>* rules) {
  std::vector<Struct> records = ReadJsonl<Struct>(TestDataPath("sms_ham.jsonl"));
  EXPECT_GT(records.size(), 4000u);
  absl::StatusOr<std::unique_ptr<ConversationTracker>> tracker =
      ConversationTracker::Create(engine);
  EXPECT_TRUE(tracker.ok()) << tracker.status();
  if (!tracker.ok()) return -1;
  Scanner scanner(engine);
  v1::Verdict verdict;
  int escalated = 0;
  *conversations = static_cast<int>(records.size()) / kSmsConversationLength;
  constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01, one message a minute.
  for (int c = 0; c < *conversations; ++c) {
    bool escalates = false;
    for (int i = 0; i < kSmsConversationLength; ++i) {
      const Struct& record = records[c * kSmsConversationLength + i];
      v1::ScanRequest request;
      request.set_id(Field(record, "id"));
      request.set_text(Field(record, "text"));
      v1::Context* context = request.mutable_context();
      context->set_sender_age_band(v1::AGE_BAND_ADULT);
      context->set_recipient_age_band(recipient);
      context->set_surface(v1::SURFACE_DIRECT_MESSAGE);
      context->set_relationship(v1::RELATIONSHIP_NOT_CONNECTED);
      context->set_conversation_id(absl::StrCat("sms-", c));
      context->set_sender_id(absl::StrCat("sms-", c, "-a"));
      context->set_recipient_id(absl::StrCat("sms-", c, "-b"));
      context->set_timestamp_ms(kStartMs + int64_t{i} * 60000);
      EXPECT_TRUE(scanner.Scan(request, &verdict).ok()) << request.id();
      (*tracker)->Track(*context, &verdict);
      if (!escalates && verdict.action() == v1::ACTION_ESCALATE) {
        escalates = true;
        ++escalated;
        ++(*rules)[EscalatingRules(verdict)];
      }
    }
  }
  return escalated;
}

std::string Tally(const std::map<std::string, int>& rules) {
  std::vector<std::string> parts;
  for (const auto& [rule, n] : rules) parts.push_back(absl::StrCat(rule, " ", n));
  return absl::StrJoin(parts, "; ");
}

TEST_F(ConversationCorpusTest, SmsHamAdultToAdultNeverEscalatesAndAdultToTeenIsReported) {
  int conversations = 0;
  std::map<std::string, int> adult_rules, teen_rules;
  int adult = SmsHamEscalations(*engine_, v1::AGE_BAND_ADULT, &conversations, &adult_rules);
  int teen = SmsHamEscalations(*engine_, v1::AGE_BAND_13_15, &conversations, &teen_rules);
  std::cout << absl::StrFormat(
      "sms_ham as %d conversations of %d messages: adult to adult %d escalate; "
      "adult to 13-15 %d escalate (%.1f%%): %s\n",
      conversations, kSmsConversationLength, adult, teen,
      100.0 * teen / std::max(conversations, 1), Tally(teen_rules));
  EXPECT_GT(conversations, 200);
  EXPECT_EQ(adult, 0) << Tally(adult_rules);
}

}  // namespace
}  // namespace watchword
